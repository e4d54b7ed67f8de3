//! The data view and the 3D view in headless Chromium: the data view shows for dataset surfaces
//! only and follows the scrubber, the mini-batch is highlighted, and the 3D view turns under
//! real mouse drags and arrow keys. Both are drawn by the second module, loaded the first time
//! either shows: the tests wait for their pictures. Screenshots of both go to
//! `target/screenshots/`.
//!
//! The harness (shared Chromium, `xtask::serve`, readiness, console-error collection) is the one
//! of `common/mod.rs`; needs `cargo xtask build` first and Chromium at `/usr/bin/chromium`.

use std::time::{Duration, Instant};

use headless_chrome::browser::tab::point::Point;
use headless_chrome::protocol::cdp::Input;
use serde_json::{json, Value};

mod common;

use common::*;

/// Whether `#data-box` shows, where it and `#plot-box` are, and the data canvas's pixels: how
/// many are inked, how many in the batch's orange and the model's blue, and a checksum.
const DATA_STATS: &str = r#"(() => {
  const box = document.getElementById('data-box');
  const c = document.getElementById('data');
  const r = box.getBoundingClientRect();
  const p = document.getElementById('plot-box').getBoundingClientRect();
  const rect = (q) => ({ left: q.left, top: q.top, right: q.right, bottom: q.bottom });
  const shown = !box.hidden && getComputedStyle(box).display !== 'none' && r.width > 100
    && r.height > 100;
  const out = { shown, box: rect(r), plot: rect(p), width: c.width, height: c.height };
  if (!shown) return out;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const near = (i, rgb, tol) => d[i + 3] > 200 && Math.abs(d[i] - rgb[0]) <= tol
    && Math.abs(d[i + 1] - rgb[1]) <= tol && Math.abs(d[i + 2] - rgb[2]) <= tol;
  let inked = 0, orange = 0, blue = 0, hash = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] > 0) inked++;
    if (near(i, [217, 72, 15], 24)) orange++;
    if (near(i, [31, 95, 209], 24)) blue++;
    hash = (hash * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2] + 17 * d[i + 3]) >>> 0;
  }
  return { ...out, inked, orange, blue, hash };
})()"#;

/// The 3D canvas: shown or not, its distinct colours and a checksum, and the toggle's state.
const VIEW3D_STATS: &str = r#"(() => {
  const c = document.getElementById('view3d');
  const r = c.getBoundingClientRect();
  const shown = !c.hidden && getComputedStyle(c).display !== 'none' && r.width > 100;
  const out = {
    shown,
    pressed: document.getElementById('view3d-toggle').getAttribute('aria-pressed'),
    bgVisibility: getComputedStyle(document.getElementById('bg')).visibility,
    centre: [r.left + r.width / 2, r.top + r.height / 2],
  };
  if (!shown) return out;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const set = new Set();
  let hash = 0;
  for (let i = 0; i < d.length; i += 4) {
    set.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    hash = (hash * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2] + 17 * d[i + 3]) >>> 0;
  }
  return { ...out, distinct: set.size, hash };
})()"#;

/// Moves the scrubber to step `k` by script (as a drag of the slider does) and fires `input`.
fn scrub(page: &Page, k: usize) {
    page.js(&format!(
        "(() => {{ const s = document.getElementById('scrub'); s.value = '{k}'; \
         s.dispatchEvent(new Event('input', {{ bubbles: true }})); }})()"
    ));
    let state = page.state();
    assert_eq!(
        state["current"].as_u64(),
        Some(k as u64),
        "the scrubber did not move to step {k}: {}",
        brief(&state)
    );
}

/// Whether the data view shows and is drawn (the second module, which draws it, loads the first
/// time a view shows).
fn drawn(stats: &Value) -> bool {
    stats["shown"] == json!(true) && stats["inked"].as_f64().is_some_and(|n| n > 0.0)
}

/// Whether the 3D view is on and drawn (the second module loaded).
fn on3d(state: &Value) -> bool {
    state["view3d"]["on"] == json!(true) && state["view3d"]["drawMs"].is_number()
}

/// Polls the data view until `done` holds (up to 5 s); returns the last stats.
fn wait_data(page: &Page, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let stats = page.js(DATA_STATS);
        if done(&stats) {
            return stats;
        }
        if start.elapsed() > Duration::from_secs(5) {
            panic!("timed out waiting for {what}; data view: {stats}");
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn set(page: &Page, options: &str) {
    let notices = page.js(&format!("window.gdviz.set({options})"));
    assert_eq!(notices, json!([]), "set({options}) was refused in part");
}

/// A real mouse event through the DevTools protocol, left button.
fn mouse(page: &Page, kind: &str, (x, y): (f64, f64), buttons: u32) {
    let event: Input::DispatchMouseEvent = serde_json::from_value(json!({
        "type": kind, "x": x, "y": y, "button": "left", "buttons": buttons, "clickCount": 1
    }))
    .unwrap();
    page.tab.call_method(event).expect("dispatch a mouse event");
}

#[test]
fn data_view_shows_the_model_and_follows_the_scrubber() {
    let page = Page::open(1280, 800);
    set(
        &page,
        "{surface: 'linear-regression', optimizer: 'sgd', lr: 0.02, steps: 200, variant: 'batch'}",
    );
    let end = wait_data(&page, "the data view to show", drawn);
    assert!(
        num(&end["inked"], "inked") > 3000.0,
        "the data canvas is nearly blank: {end}"
    );
    assert!(
        num(&end["blue"], "blue") > 100.0,
        "no model line in the data view: {end}"
    );
    // Wide: beside the contour plot, not over it.
    assert!(
        num(&end["box"]["left"], "box.left") >= num(&end["plot"]["right"], "plot.right") - 0.5,
        "the data view overlaps the plot: {end}"
    );

    scrub(&page, 3);
    let early = page.js(DATA_STATS);
    assert_ne!(early["hash"], end["hash"], "step 3 looks like step 200");
    assert!(num(&early["blue"], "blue") > 50.0, "{early}");
    scrub(&page, 150);
    let later = page.js(DATA_STATS);
    assert_ne!(later["hash"], early["hash"], "the line did not move");
    assert_ne!(later["hash"], end["hash"], "step 150 looks like step 200");
    page.assert_healthy();
}

#[test]
fn data_view_is_hidden_for_analytic_surfaces() {
    let page = Page::open(1280, 800);
    let first = page.js(DATA_STATS);
    assert_eq!(
        first["shown"],
        json!(false),
        "rosenbrock has no data: {first}"
    );
    let plot_width = num(&first["plot"]["right"], "right") - num(&first["plot"]["left"], "left");
    set(&page, "{surface: 'logistic-regression'}");
    let shown = wait_data(&page, "the data view to show", drawn);
    assert!(num(&shown["blue"], "blue") > 50.0, "no sigmoid: {shown}");
    set(&page, "{surface: 'rosenbrock'}");
    let hidden = wait_data(&page, "the data view to hide", |s| {
        s["shown"] == json!(false)
    });
    let width = num(&hidden["plot"]["right"], "right") - num(&hidden["plot"]["left"], "left");
    assert!(
        (width - plot_width).abs() < 1.0,
        "the plot did not take its width back: {plot_width} then {width}"
    );
    page.assert_healthy();
}

#[test]
fn minibatch_examples_are_highlighted() {
    let page = Page::open(1280, 800);
    set(
        &page,
        "{surface: 'linear-regression', optimizer: 'sgd', lr: 0.02, steps: 100, \
         variant: 'minibatch', batch: 10, seed: 7}",
    );
    wait_data(&page, "the data view to show", drawn);
    // One epoch is five batches of ten: together every example once.
    let mut seen = [0; 50];
    for k in 1..=5 {
        scrub(&page, k);
        let state = page.state();
        let batch: Vec<usize> = state["batchIndices"]
            .as_array()
            .unwrap_or_else(|| panic!("no state().batchIndices: {}", brief(&state)))
            .iter()
            .map(|v| num(v, "batch index") as usize)
            .collect();
        assert_eq!(batch.len(), 10, "step {k}: {batch:?}");
        for i in batch {
            seen[i] += 1;
        }
        let stats = page.js(DATA_STATS);
        assert!(
            num(&stats["orange"], "orange") > 200.0,
            "step {k}: the batch is not highlighted: {stats}"
        );
    }
    assert_eq!(seen, [1; 50], "an epoch covers every example once");

    // At the start no step has been taken: no batch, nothing orange.
    scrub(&page, 0);
    assert_eq!(page.state()["batchIndices"], json!([]));
    let stats = page.js(DATA_STATS);
    assert!(
        num(&stats["orange"], "orange") < 10.0,
        "orange at step 0: {stats}"
    );

    set(&page, "{variant: 'stochastic'}");
    assert_eq!(
        page.state()["batchIndices"].as_array().map(Vec::len),
        Some(1)
    );
    set(&page, "{variant: 'batch'}");
    assert_eq!(
        page.state()["batchIndices"].as_array().map(Vec::len),
        Some(50)
    );

    // Logistic regression: the boundary is where θ₀ + θ₁x = 0.
    set(
        &page,
        "{surface: 'logistic-regression', variant: 'minibatch', batch: 10}",
    );
    scrub(&page, 40);
    let state = page.state();
    let (t0, t1) = pair(&state["trajectory"][40], "trajectory[40]");
    let xb = num(&state["decisionBoundary"], "decisionBoundary");
    assert!(
        (xb - (-t0 / t1)).abs() <= 1e-12 * (1.0 + xb.abs()),
        "boundary {xb} vs −θ₀/θ₁ = {}",
        -t0 / t1
    );
    page.assert_healthy();
}

#[test]
fn three_d_view_turns_when_dragged() {
    let page = Page::open(1280, 800);
    let off = page.js(VIEW3D_STATS);
    assert_eq!(off["shown"], json!(false), "{off}");
    assert_eq!(off["pressed"], json!("false"), "{off}");

    // A real click on the toggle.
    let at = page.js(
        "(() => { const r = document.getElementById('view3d-toggle').getBoundingClientRect(); \
         return [r.left + r.width / 2, r.top + r.height / 2]; })()",
    );
    let (x, y) = pair(&at, "toggle centre");
    page.tab
        .click_point(Point { x, y })
        .expect("click the 3D toggle");
    page.wait_state("the 3D view to switch on", on3d);
    let on = page.js(VIEW3D_STATS);
    assert_eq!(on["shown"], json!(true), "{on}");
    assert_eq!(on["pressed"], json!("true"), "{on}");
    assert_eq!(
        on["bgVisibility"],
        json!("hidden"),
        "the contour plot stays under it: {on}"
    );
    assert!(
        num(&on["distinct"], "distinct") > 300.0,
        "a shaded mesh has many colours: {on}"
    );

    // A real drag: press, move in steps, release.
    let before = page.state()["view3d"].clone();
    let (cx, cy) = pair(&on["centre"], "centre");
    mouse(&page, "mousePressed", (cx, cy), 1);
    for k in 1..=6 {
        mouse(
            &page,
            "mouseMoved",
            (cx + 20.0 * k as f64, cy + 4.0 * k as f64),
            1,
        );
    }
    mouse(&page, "mouseReleased", (cx + 120.0, cy + 24.0), 0);
    let after = page.wait_state("the drag to turn the view", |s| {
        s["view3d"]["yaw"] != before["yaw"]
    });
    assert_ne!(
        after["view3d"]["pitch"], before["pitch"],
        "a downward drag tilts"
    );
    let turned = page.js(VIEW3D_STATS);
    assert_ne!(turned["hash"], on["hash"], "the picture did not change");
    assert_eq!(
        page.js("document.activeElement && document.activeElement.id"),
        json!("view3d"),
        "a drag focuses the 3D view, so the arrow keys turn it"
    );

    // Arrow keys on the focused canvas; time each redraw.
    let mut times = Vec::new();
    for key in [
        "ArrowLeft",
        "ArrowLeft",
        "ArrowUp",
        "ArrowRight",
        "ArrowDown",
        "ArrowLeft",
    ] {
        let yaw_pitch = page.state()["view3d"].clone();
        page.tab.press_key(key).expect("press an arrow key");
        let s = page.wait_state(&format!("{key} to turn the view"), |s| {
            s["view3d"]["yaw"] != yaw_pitch["yaw"] || s["view3d"]["pitch"] != yaw_pitch["pitch"]
        });
        times.push(num(&s["view3d"]["drawMs"], "drawMs"));
    }
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    eprintln!("3D redraw: {times:?} ms, mean {mean:.1} ms");
    assert!(
        mean < 60.0,
        "3D redraws take {mean:.1} ms: too slow to drag"
    );

    // The view follows the scrubber too.
    let before = page.js(VIEW3D_STATS);
    scrub(&page, 0);
    assert_ne!(
        page.js(VIEW3D_STATS)["hash"],
        before["hash"],
        "the path did not shrink"
    );

    page.tab
        .click_point(Point { x, y })
        .expect("click the 3D toggle again");
    page.wait_state("the 3D view to switch off", |s| {
        s["view3d"]["on"] == json!(false)
    });
    let off = page.js(VIEW3D_STATS);
    assert_eq!(off["shown"], json!(false), "{off}");
    assert_eq!(off["bgVisibility"], json!("visible"), "{off}");
    page.assert_healthy();
}

#[test]
fn screenshots_of_the_data_and_3d_views() {
    let dir = xtask::target_dir().join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    for (width, height) in [(1280, 800), (400, 800)] {
        let page = Page::open(width, height);
        let shoot = |name: &str, scroll_to: &str| {
            page.js(&format!(
                "document.getElementById('{scroll_to}').scrollIntoView({{ block: 'center' }})"
            ));
            page.js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
            let png = page.screenshot();
            assert_eq!(png_size(&png), (width, height), "screenshot size");
            let path = dir.join(format!("{name}-{width}x{height}.png"));
            std::fs::write(&path, &png).unwrap();
            eprintln!("wrote {}", path.display());
        };
        set(
            &page,
            "{surface: 'linear-regression', optimizer: 'sgd', lr: 0.02, steps: 300, \
             variant: 'minibatch', batch: 10, seed: 7}",
        );
        scrub(&page, 40);
        let stats = wait_data(&page, "the data view to show", drawn);
        if width < 800 {
            assert!(
                num(&stats["box"]["top"], "box.top")
                    >= num(&stats["plot"]["bottom"], "bottom") - 0.5,
                "narrow: the data view goes under the plot: {stats}"
            );
        }
        shoot("data-view-regression", "data-box");
        set(
            &page,
            "{surface: 'logistic-regression', optimizer: 'sgd', lr: 0.5, steps: 300, \
             variant: 'minibatch', batch: 10, seed: 7}",
        );
        scrub(&page, 25);
        shoot("data-view-logistic", "data-box");
        set(
            &page,
            "{surface: 'rosenbrock', optimizer: 'momentum', lr: 0.001, momentum: 0.9, steps: 400, \
             variant: 'batch'}",
        );
        wait_data(&page, "the data view to hide", |s| {
            s["shown"] == json!(false)
        });
        page.js("document.getElementById('view3d-toggle').click()");
        page.wait_state("the 3D view to switch on", on3d);
        shoot("view-3d", "plot-box");
        page.assert_healthy();
    }
}
