//! The web app in headless Chromium, driven like a person would: real key presses and mouse
//! clicks through the DevTools protocol, pixels read back from the canvases, console errors and
//! failed requests collected, screenshots written to `target/screenshots/`.
//!
//! Needs `cargo xtask build` first (it writes `www/pkg/`) and Chromium at `/usr/bin/chromium`
//! (or `$CHROME`). The page contract these tests rely on is in the brief of the web app:
//! `document.body.dataset.ready === "1"` when ready, `window.gdviz.set(options)` (a Promise
//! resolved after redraw) and `window.gdviz.state()`, and the DOM ids used below.

use headless_chrome::browser::tab::point::Point;
use serde_json::{json, Value};

mod common;

use common::*;

/// The page's API and every element the tests use.
const API_AND_IDS: &str = r#"({
  set: typeof window.gdviz.set,
  state: typeof window.gdviz.state,
  ids: ['bg', 'overlay', 'loss', 'lr', 'lr-value', 'surface', 'optimizer', 'variant', 'status',
        'error'].filter(id => !document.getElementById(id)),
})"#;

/// Every fetch of the wasm module, with its HTTP status.
const WASM_LOADS: &str = r#"performance.getEntriesByType('resource')
  .filter(e => e.name.endsWith('/gdviz_bg.wasm'))
  .map(e => ({ status: e.responseStatus, size: e.encodedBodySize }))"#;

/// The slider's value, min, max and the number box's text.
const LR_CONTROLS: &str = r#"(() => {
  const s = document.getElementById('lr'), n = document.getElementById('lr-value');
  return { type: s && s.type, value: s && Number(s.value), min: s && Number(s.min),
           max: s && Number(s.max), box: n && n.value };
})()"#;

/// Distinct colours and the blank share (transparent or near-white) of `#bg`, over the whole
/// canvas and inside `state().plot` (2 canvas pixels in from its edges).
const BG_PIXELS: &str = r#"(() => {
  const c = document.getElementById('bg');
  const r = c.getBoundingClientRect();
  const p = window.gdviz.state().plot;
  const sx = c.width / r.width, sy = c.height / r.height;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const count = (x0, y0, x1, y1) => {
    const set = new Set();
    let blank = 0, n = 0;
    for (let y = Math.max(0, y0); y < Math.min(c.height, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(c.width, x1); x++) {
        const i = 4 * (y * c.width + x);
        const [R, G, B, A] = [d[i], d[i + 1], d[i + 2], d[i + 3]];
        if (A === 0 || (R > 250 && G > 250 && B > 250)) blank++;
        set.add((R << 16) | (G << 8) | B);
        n++;
      }
    }
    return { distinct: set.size, blank: n ? blank / n : 1, n };
  };
  const inset = 2;
  return {
    width: c.width, height: c.height,
    all: count(0, 0, c.width, c.height),
    plot: count(Math.ceil((p.left - r.left) * sx) + inset,
                Math.ceil((p.top - r.top) * sy) + inset,
                Math.floor((p.left - r.left + p.width) * sx) - inset,
                Math.floor((p.top - r.top + p.height) * sy) - inset),
  };
})()"#;

/// Booth with plain SGD above its stability limit 2/18: must diverge.
const DIVERGE: &str = r#"(async () => {
  await window.gdviz.set({ surface: 'booth', optimizer: 'sgd', lr: 0.12, steps: 500 });
  const s = window.gdviz.state();
  return { ...s, finite: s.trajectory.every(r => r.every(Number.isFinite)),
           statusText: document.getElementById('status').textContent };
})()"#;

/// Back below the limit: must converge.
const RECOVER: &str = r#"(async () => {
  await window.gdviz.set({ lr: 0.05 });
  return { ...window.gdviz.state(), statusText: document.getElementById('status').textContent };
})()"#;

/// Moves the slider to log10(lr) = -2 by script and fires `input`.
const SLIDER_INPUT: &str = r#"(() => {
  const s = document.getElementById('lr');
  s.value = '-2';
  s.dispatchEvent(new Event('input', { bubbles: true }));
})()"#;

/// Types 0.003 into the number box by script and fires `change`.
const BOX_CHANGE: &str = r#"(() => {
  const n = document.getElementById('lr-value');
  n.value = '0.003';
  n.dispatchEvent(new Event('change', { bubbles: true }));
})()"#;

fn lr_controls(page: &Page) -> Value {
    page.js(LR_CONTROLS)
}

#[test]
fn page_loads_without_errors() {
    let page = Page::open(1280, 800);
    let api = page.js(API_AND_IDS);
    assert_eq!(api["set"], json!("function"), "window.gdviz.set");
    assert_eq!(api["state"], json!("function"), "window.gdviz.state");
    assert_eq!(api["ids"], json!([]), "elements missing from the page");

    // The module really came over the network, with status 200.
    let wasm = page.js(WASM_LOADS);
    let loads = wasm.as_array().expect("resource entries");
    assert!(
        !loads.is_empty(),
        "the page never fetched gdviz_bg.wasm: {wasm}"
    );
    for load in loads {
        assert_eq!(load["status"], json!(200), "wasm fetch: {load}");
    }

    let state = page.state();
    let traj = state["trajectory"].as_array().expect("state().trajectory");
    assert!(!traj.is_empty(), "empty trajectory: {}", brief(&state));
    page.assert_healthy();
}

#[test]
fn background_canvas_holds_a_contour_plot() {
    let page = Page::open(1280, 800);
    let stats = page.js(BG_PIXELS);
    let (w, h) = (
        num(&stats["width"], "width"),
        num(&stats["height"], "height"),
    );
    assert!(w >= 200.0 && h >= 150.0, "#bg is {w}×{h}: {stats}");
    let all = &stats["all"];
    assert!(
        num(&all["distinct"], "distinct") > 50.0,
        "#bg has too few colours for a heatmap with contours: {stats}"
    );
    assert!(
        num(&all["blank"], "blank") < 0.5,
        "#bg is mostly blank: {stats}"
    );
    let plot = &stats["plot"];
    assert!(
        num(&plot["n"], "n") > 10_000.0,
        "plot area too small: {stats}"
    );
    assert!(
        num(&plot["distinct"], "distinct") > 50.0 && num(&plot["blank"], "blank") < 0.2,
        "the plot area of #bg is not filled by a heatmap: {stats}"
    );
    page.assert_healthy();
}

/// A checksum of the background canvas's pixels.
const BG_HASH: &str = "(() => { const c = document.getElementById('bg'); \
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
    let h = 0; for (let i = 0; i < d.length; i++) h = (h * 31 + d[i]) >>> 0; return h; })()";

#[test]
fn redrawn_background_leaves_nothing_of_the_previous_surface() {
    let page = Page::open(1280, 800);
    page.js("window.gdviz.set({surface: 'booth'})");
    let direct = page.js(BG_HASH);
    page.js("window.gdviz.set({surface: 'six-hump-camel'})");
    assert_ne!(
        page.js(BG_HASH),
        direct,
        "another surface must look different"
    );
    page.js("window.gdviz.set({surface: 'booth'})");
    assert_eq!(
        page.js(BG_HASH),
        direct,
        "booth drawn after six-hump-camel differs from booth drawn first: stale pixels (axis labels?) remain"
    );
    page.assert_healthy();
}

#[test]
fn learning_rate_controls_change_the_trajectory() {
    let page = Page::open(1280, 800);
    let controls = lr_controls(&page);
    assert_eq!(controls["type"], json!("range"), "#lr: {controls}");
    assert_eq!(controls["min"].as_f64(), Some(-5.0), "#lr min: {controls}");
    assert_eq!(controls["max"].as_f64(), Some(1.0), "#lr max: {controls}");
    let before = page.state();
    let lr0 = num(&before["lr"], "state().lr");
    let slider0 = num(&controls["value"], "#lr value");
    assert!(
        (10f64.powf(slider0) / lr0 - 1.0).abs() < 0.05,
        "#lr holds log10(lr): slider {slider0}, lr {lr0}"
    );

    // Real key presses on the focused slider.
    let (key, up) = if slider0 < 1.0 {
        ("ArrowRight", true)
    } else {
        ("ArrowLeft", false)
    };
    page.tab.bring_to_front().expect("bring the tab to front");
    page.js("document.getElementById('lr').focus()");
    assert_eq!(
        page.js("document.activeElement && document.activeElement.id"),
        json!("lr"),
        "#lr cannot take focus"
    );
    for _ in 0..3 {
        page.tab.press_key(key).expect("press a key");
    }
    let after = page.wait_state("state().lr to follow the slider's key presses", |s| {
        s["lr"].as_f64().is_some_and(|lr| lr != lr0)
    });
    let lr1 = num(&after["lr"], "state().lr");
    assert_eq!(lr1 > lr0, up, "{key} moved lr from {lr0} to {lr1}");
    let slider1 = num(&lr_controls(&page)["value"], "#lr value");
    assert_ne!(slider1, slider0, "the slider did not move");
    assert!(
        (10f64.powf(slider1) / lr1 - 1.0).abs() < 0.05,
        "after {key}: slider {slider1}, lr {lr1}"
    );
    let after = page.wait_state("the trajectory to follow the new lr", |s| {
        s["trajectory"] != before["trajectory"]
    });
    assert_eq!(
        after["trajectory"][0], before["trajectory"][0],
        "same start"
    );

    // An `input` event from a scripted slider move.
    let before = page.state();
    page.js(SLIDER_INPUT);
    let after = page.wait_state("lr = 0.01 after an input event on #lr", |s| {
        s["lr"]
            .as_f64()
            .is_some_and(|lr| (lr / 0.01 - 1.0).abs() < 1e-6)
    });
    assert_ne!(after["trajectory"], before["trajectory"]);

    // The number box, committed with `change`.
    let before = page.state();
    page.js(BOX_CHANGE);
    let after = page.wait_state("lr = 0.003 after a change event on #lr-value", |s| {
        s["lr"]
            .as_f64()
            .is_some_and(|lr| (lr / 0.003 - 1.0).abs() < 1e-9)
    });
    assert_ne!(after["trajectory"], before["trajectory"]);
    let slider = num(&lr_controls(&page)["value"], "#lr value");
    assert!(
        (slider - 0.003f64.log10()).abs() < 0.02,
        "the slider follows the number box: {slider}"
    );
    page.assert_healthy();
}

#[test]
fn clicking_the_plot_moves_the_start() {
    let page = Page::open(1280, 800);
    let before = page.state();
    let plot = &before["plot"];
    let (left, top) = (
        num(&plot["left"], "plot.left"),
        num(&plot["top"], "plot.top"),
    );
    let (width, height) = (
        num(&plot["width"], "plot.width"),
        num(&plot["height"], "plot.height"),
    );
    assert!(width > 100.0 && height > 100.0, "plot: {plot}");
    // The plot shows the view padded to equal scales: clicks map through the drawn view.
    let ((x0, x1), (y0, y1)) = drawn_view(&before);
    assert!(x1 > x0 && y1 > y0, "view: {}", before["view"]);
    assert!(
        ((x1 - x0) / width - (y1 - y0) / height).abs() * width.max(height)
            < 0.5 * (x1 - x0) / width,
        "a unit is as long on both axes"
    );

    // A point away from the current start, on whole CSS pixels.
    let (sx, sy) = pair(&before["start"], "start");
    let fx = if (sx - x0) / (x1 - x0) < 0.5 {
        0.73
    } else {
        0.27
    };
    let fy = if (sy - y0) / (y1 - y0) < 0.5 {
        0.71
    } else {
        0.29
    };
    let cx = (left + fx * width).round();
    let cy = (top + (1.0 - fy) * height).round();
    assert!(
        cx < 1280.0 && cy < 800.0,
        "the plot point ({cx}, {cy}) is outside the 1280×800 viewport"
    );
    let hit = page.js(&format!(
        "(() => {{ const e = document.elementFromPoint({cx}, {cy}); return e && e.id; }})()"
    ));
    assert_eq!(
        hit,
        json!("overlay"),
        "#overlay must receive the click at ({cx}, {cy})"
    );

    page.tab
        .click_point(Point { x: cx, y: cy })
        .expect("click the plot");
    let after = page.wait_state("state().start to move to the clicked point", |s| {
        s["start"] != before["start"]
    });
    let expected_x = x0 + (cx - left) / width * (x1 - x0);
    let expected_y = y0 + (top + height - cy) / height * (y1 - y0);
    let (px, py) = pair(&after["start"], "start");
    let (tol_x, tol_y) = ((x1 - x0) / width + 1e-9, (y1 - y0) / height + 1e-9);
    assert!(
        (px - expected_x).abs() <= tol_x && (py - expected_y).abs() <= tol_y,
        "clicked ({cx}, {cy}) = param ({expected_x}, {expected_y}) ± ({tol_x}, {tol_y}); \
         state().start = ({px}, {py})"
    );
    let (tx, ty) = pair(&after["trajectory"][0], "trajectory[0]");
    assert!(
        (tx - px).abs() < 1e-12 && (ty - py).abs() < 1e-12,
        "trajectory row 0 is the start"
    );
    page.assert_healthy();
}

#[test]
fn divergence_is_reported_and_the_page_recovers() {
    let page = Page::open(1280, 800);
    let state = page.js(DIVERGE);
    assert_eq!(state["surface"], json!("booth"), "{}", brief(&state));
    assert_eq!(state["optimizer"], json!("sgd"), "{}", brief(&state));
    assert_eq!(state["status"], json!("diverged"), "{}", brief(&state));
    let at = state["divergedAt"]
        .as_u64()
        .unwrap_or_else(|| panic!("divergedAt is not a step number: {}", brief(&state)));
    assert!((1..=500).contains(&at), "divergedAt {at}");
    assert_eq!(state["finite"], json!(true), "non-finite trajectory values");
    let rows = state["trajectory"].as_array().unwrap();
    assert!(
        !rows.is_empty() && rows.len() <= at as usize + 1,
        "{} rows",
        rows.len()
    );
    let text = state["statusText"].as_str().unwrap_or_default();
    assert!(
        text.to_lowercase().contains("diverged") && text.contains(&at.to_string()),
        "#status should say diverged at step {at}: {text:?}"
    );
    if let Some(error) = page.visible_error() {
        panic!("divergence is a result, not an error, but #error shows {error:?}");
    }

    let state = page.js(RECOVER);
    assert_eq!(state["status"], json!("converged"), "{}", brief(&state));
    assert_eq!(state["divergedAt"], Value::Null);
    let text = state["statusText"].as_str().unwrap_or_default();
    assert!(
        !text.to_lowercase().contains("diverged"),
        "#status still says diverged: {text:?}"
    );
    page.assert_healthy();
}

#[test]
fn screenshots() {
    let dir = xtask::target_dir().join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    for (width, height) in [(1280, 800), (400, 800)] {
        let page = Page::open(width, height);
        let png = page.screenshot();
        assert_eq!(png_size(&png), (width, height), "screenshot size");
        let path = dir.join(format!("app-{width}x{height}.png"));
        std::fs::write(&path, &png).unwrap();
        eprintln!("wrote {} ({} bytes)", path.display(), png.len());
        page.assert_healthy();
    }
}

#[test]
fn every_lesson_loads_from_its_url_with_finite_paths() {
    let page = Page::open(1280, 800);
    let lessons = page.js("window.gdviz.lessons()");
    let lessons = lessons.as_array().expect("lessons() is an array");
    assert!(lessons.len() >= 9, "{} lessons", lessons.len());
    for lesson in lessons {
        assert!(
            lesson["title"].is_string() && lesson["options"].is_object(),
            "{lesson}"
        );
    }
    drop(page);
    for lesson in lessons {
        let id = lesson["id"].as_str().unwrap();
        let page = Page::open_at(1024, 768, &format!("?lesson={id}"));
        let state = page.state();
        let runs = state["runs"].as_array().unwrap();
        assert!(!runs.is_empty());
        for run in runs {
            let t = run["trajectory"].as_array().unwrap();
            assert!(t.len() > 1, "{id}: an empty run");
            assert!(
                t.iter()
                    .flat_map(|p| p.as_array().unwrap())
                    .all(|v| v.as_f64().is_some_and(f64::is_finite)),
                "{id}: non-finite numbers in a trajectory"
            );
        }
        let shown = page.js("[document.getElementById('lesson').value, document.getElementById('lesson-box').hidden, document.getElementById('lesson-text').textContent.length]");
        assert_eq!(shown[0], id, "{id}: the menu does not show the lesson");
        assert_eq!(shown[1], false, "{id}: the lesson text is hidden");
        assert!(shown[2].as_u64().unwrap() > 80);
        page.assert_healthy();
    }
    // An unknown lesson is a notice, not a failure.
    let page = Page::open_at(1024, 768, "?lesson=%3Cimg%20src=x%3E");
    let notice = page.js("document.getElementById('notices').textContent");
    assert!(
        notice.as_str().unwrap().contains("unknown lesson"),
        "{notice}"
    );
    page.assert_healthy();
}

#[test]
fn critical_learning_rate_is_marked_on_the_slider() {
    let page = Page::open(1280, 800);
    page.js("window.gdviz.set({surface: 'booth', optimizer: 'sgd', lr: 0.05, race: []})");
    let state = page.state();
    let critical = num(&state["criticalLr"], "criticalLr");
    assert!(
        (critical - 2.0 / 18.0).abs() < 1e-12,
        "criticalLr = {critical}"
    );
    // The mark sits where the slider's thumb would be for γ = 2/18.
    let at = page.js(
        "(() => { const m = document.getElementById('critical-mark'); \
        const s = document.getElementById('lr').getBoundingClientRect(); \
        const r = m.getBoundingClientRect(); \
        return [m.hidden, (r.left + r.width / 2 - s.left) / s.width]; })()",
    );
    assert_eq!(at[0], false, "the mark is hidden");
    let want = ((2.0f64 / 18.0).log10() + 5.0) / 6.0;
    assert!(
        (num(&at[1], "mark") - want).abs() < 0.02,
        "mark at {}, want {want}",
        at[1]
    );
    let caption = page.js("document.getElementById('critical').textContent");
    assert!(caption.as_str().unwrap().contains("0.1111"), "{caption}");
    page.js("window.gdviz.set({optimizer: 'momentum', momentum: 0.9})");
    let caption = page.js("document.getElementById('critical').textContent");
    assert!(
        caption.as_str().unwrap().contains("0.2111"),
        "heavy ball: 2(1+μ)/λ = 0.2111: {caption}"
    );
    // Adam has no fixed threshold: no mark, and the caption says why.
    let hidden = "document.getElementById('critical-mark').hidden";
    page.js("window.gdviz.set({optimizer: 'adam'})");
    assert_eq!(page.js(hidden), true, "a mark for Adam");
    let caption = page.js("document.getElementById('critical').textContent");
    assert!(
        caption
            .as_str()
            .unwrap()
            .contains("no fixed threshold applies"),
        "{caption}"
    );
    // f = x has no curvature: no mark, and no claim that no learning rate is safe.
    page.js("window.gdviz.set({optimizer: 'sgd', expr: 'x'})");
    assert_eq!(page.js(hidden), true, "a mark for f = x");
    let caption = page.js("document.getElementById('critical').textContent");
    assert!(
        caption
            .as_str()
            .unwrap()
            .starts_with("f has no curvature at the start"),
        "{caption}"
    );
    page.assert_healthy();
}

#[test]
fn a_race_runs_each_optimizer_with_its_own_colour_and_legend() {
    let page = Page::open(1280, 800);
    page.js("window.gdviz.set({surface: 'rosenbrock', steps: 300, race: [{optimizer: 'sgd', lr: 0.001}, {optimizer: 'momentum', lr: 0.001, momentum: 0.9}, {optimizer: 'adam', lr: 0.05}]})");
    let state = page.state();
    let runs = state["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 3);
    let names: Vec<&str> = runs
        .iter()
        .map(|r| r["optimizer"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["sgd", "momentum", "adam"]);
    let colours: std::collections::HashSet<&str> =
        runs.iter().map(|r| r["colour"].as_str().unwrap()).collect();
    assert_eq!(colours.len(), 3, "each run needs its own colour");
    assert_ne!(runs[0]["trajectory"], runs[2]["trajectory"]);
    // Each run's colour is on screen: count overlay pixels close to it.
    let counts = page.js(
        "(() => { const c = document.getElementById('overlay'); \
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
        return window.gdviz.state().runs.map(r => { \
          const [R, G, B] = [1, 3, 5].map(i => parseInt(r.colour.slice(i, i + 2), 16)); let n = 0; \
          for (let i = 0; i < d.length; i += 4) \
            if (d[i + 3] > 250 && Math.abs(d[i] - R) + Math.abs(d[i + 1] - G) + Math.abs(d[i + 2] - B) < 24) n++; \
          return n; }); })()",
    );
    for (run, n) in counts.as_array().unwrap().iter().enumerate() {
        assert!(
            n.as_u64().unwrap() > 100,
            "run {run}'s colour is hardly on screen: {counts}"
        );
    }
    let legend = page
        .js("[...document.querySelectorAll('#legend .gdviz-legend-item')].map(e => e.textContent)");
    assert_eq!(legend.as_array().unwrap().len(), 3, "{legend}");
    // The slider drives the first run in a race.
    page.js("(() => { const s = document.getElementById('lr'); s.value = '-2.5'; s.dispatchEvent(new Event('input', {bubbles: true})); })()");
    let lr = num(&page.state()["runs"][0]["lr"], "lr");
    assert!((lr - 10f64.powf(-2.5)).abs() < 1e-5, "first run's lr {lr}");
    page.js("window.gdviz.set({race: []})");
    assert_eq!(page.state()["runs"].as_array().unwrap().len(), 1);
    assert_eq!(page.js("document.getElementById('legend').hidden"), true);
    page.assert_healthy();
}

#[test]
fn the_next_update_is_written_out_with_its_numbers() {
    let page = Page::open(1280, 800);
    page.js("window.gdviz.set({surface: 'booth', optimizer: 'sgd', lr: 0.01, start: [-6, -6], steps: 50, race: []})");
    page.js("(() => { const s = document.getElementById('scrub'); s.value = '0'; s.dispatchEvent(new Event('input', {bubbles: true})); })()");
    // By hand: ∇f(−6, −6) = (−142, −146), θ₁ = (−6, −6) − 0.01 ∇f = (−4.58, −4.54).
    let text = page.js("document.getElementById('update-lines').textContent");
    let text = text.as_str().unwrap();
    assert!(text.contains("g = ∇f(θ0) = (-142, -146)"), "{text}");
    assert!(
        text.contains("θ1 = θ0 + step = (-6, -6) + (1.42, 1.46) = (-4.58, -4.54)"),
        "{text}"
    );
    let title = page.js("document.getElementById('update-title').textContent");
    assert!(title.as_str().unwrap().contains("step 1"), "{title}");
    page.js("window.gdviz.set({optimizer: 'adam', lr: 0.1})");
    let text = page.js("document.getElementById('update-lines').textContent");
    assert!(text.as_str().unwrap().contains("m̂ = m/(1−β₁^"), "{text}");
    page.assert_healthy();
}
