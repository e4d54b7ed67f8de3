//! The picture tells the truth, in the page as a student sees it: a circle is drawn as a
//! circle (one unit as long on both axes), the star of the global minimum stays visible when a
//! run ends on it, where f is undefined the heatmap is hatched rather than painted "high", and
//! the status says the step a run converged at. The geometry is tested natively too
//! (tests/truth.rs); these check the page's canvases after real input.
//!
//! The harness is `common/mod.rs`; needs `cargo xtask build` first and Chromium.

use headless_chrome::protocol::cdp::Input;
use serde_json::{json, Value};

mod common;

use common::*;

/// Types `text` into the focused element, key by key, then presses Enter.
fn type_and_enter(page: &Page, text: &str) {
    for c in text.chars() {
        let s = c.to_string();
        for kind in ["keyDown", "keyUp"] {
            let event: Input::DispatchKeyEvent = serde_json::from_value(json!({
                "type": kind, "key": s, "text": if kind == "keyDown" { s.as_str() } else { "" },
            }))
            .unwrap();
            page.tab.call_method(event).expect("key event");
        }
    }
    for kind in ["keyDown", "keyUp"] {
        let event: Input::DispatchKeyEvent = serde_json::from_value(json!({
            "type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13,
            "text": if kind == "keyDown" { "\r" } else { "" },
        }))
        .unwrap();
        page.tab.call_method(event).expect("Enter");
    }
}

/// Waits for the refined picture (a coarse background is redrawn a frame after a change).
fn settle(page: &Page) {
    page.js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(r))))");
}

#[test]
fn a_circle_is_drawn_as_a_circle() {
    let page = Page::open(1280, 800);
    page.js("document.getElementById('expr').focus()");
    type_and_enter(&page, "x^2 + y^2");
    let s = page.wait_state("the typed surface", |s| s["surface"] == json!("expr"));
    settle(&page);
    let s = if s["plotView"].is_null() {
        page.state()
    } else {
        s
    };
    let (x0, x1) = pair(&s["plotView"]["x"], "plotView x");
    let (y0, y1) = pair(&s["plotView"]["y"], "plotView y");
    let (w, h) = (
        num(&s["plot"]["width"], "w"),
        num(&s["plot"]["height"], "h"),
    );
    let (ppx, ppy) = (w / (x1 - x0), h / (y1 - y0));
    assert!(
        (ppx - ppy).abs() * (x1 - x0).max(y1 - y0) < 1.0,
        "pixels per unit: {ppx} across, {ppy} up (view {x0}..{x1} × {y0}..{y1}, plot {w}×{h})"
    );
    // The surface's own view [−3, 3]² is inside the drawn one, padded along one axis only.
    assert!(x0 <= -3.0 && x1 >= 3.0 && y0 <= -3.0 && y1 >= 3.0);
    assert!((x0 + 3.0).abs() < 1e-9 || (y0 + 3.0).abs() < 1e-9);
    page.assert_healthy();
}

/// The colour of the overlay canvas at parameter point `p`, and how many pixels in a small
/// square around it are (nearly) white.
fn overlay_at(page: &Page, p: (f64, f64)) -> Value {
    page.js(&format!(
        r#"(() => {{
          const s = window.gdviz.state();
          const [x0, x1] = s.plotView.x, [y0, y1] = s.plotView.y;
          const c = document.getElementById('overlay');
          const r = c.getBoundingClientRect();
          const scale = c.width / r.width;
          const px = (s.plot.left - r.left + ({x} - x0) / (x1 - x0) * s.plot.width) * scale;
          const py = (s.plot.top - r.top + (y1 - {y}) / (y1 - y0) * s.plot.height) * scale;
          const d = c.getContext('2d').getImageData(Math.round(px) - 3, Math.round(py) - 3, 7, 7).data;
          let white = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200 && d[i] > 235 && d[i + 1] > 235 && d[i + 2] > 235) white++;
          return {{ white, centre: [d[24 * 4], d[24 * 4 + 1], d[24 * 4 + 2], d[24 * 4 + 3]] }};
        }})()"#,
        x = p.0,
        y = p.1
    ))
}

#[test]
fn the_global_minimum_stays_visible_where_a_run_ends_on_it() {
    let page = Page::open_at(1280, 900, "?lesson=local-minima");
    settle(&page);
    let s = page.state();
    // Momentum (run 2) ends in the left, global well; the star is drawn above its end.
    let end = s["runs"][1]["trajectory"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    let (ex, ey) = (num(&end[0], "x"), num(&end[1], "y"));
    assert!(ex < -0.5, "momentum reaches the left well: {ex}");
    let v = overlay_at(&page, (ex, ey));
    assert!(
        v["white"].as_u64().unwrap() >= 8,
        "the star's white shows over the run's end: {v}"
    );
    // The key says what the marks are.
    let key = page.js("document.getElementById('key').textContent");
    let key = key.as_str().unwrap();
    for k in [
        "★ global minimum",
        "○ local minimum",
        "□ start",
        "● point shown",
    ] {
        assert!(key.contains(k), "{key}");
    }
    page.assert_healthy();
}

#[test]
fn where_f_is_undefined_the_heatmap_is_hatched_not_high() {
    let page = Page::open(1280, 800);
    page.js("document.getElementById('expr').focus()");
    type_and_enter(&page, "log(x) + y^2");
    page.wait_state("the typed surface", |s| s["surface"] == json!("expr"));
    settle(&page);
    let v = page.js(r#"(() => {
          const s = window.gdviz.state();
          const [x0, x1] = s.plotView.x;
          const c = document.getElementById('bg');
          const r = c.getBoundingClientRect();
          const scale = c.width / r.width;
          const left = (s.plot.left - r.left) * scale, top = (s.plot.top - r.top) * scale;
          const w = s.plot.width * scale, h = s.plot.height * scale;
          // The plot's part where x < −0.2 (a grid cell clear of the edge at 0).
          const right = left + (-0.2 - x0) / (x1 - x0) * w;
          const d = c.getContext('2d').getImageData(Math.ceil(left) + 2, Math.ceil(top) + 2,
            Math.floor(right - left) - 4, Math.floor(h) - 4).data;
          let high = 0, grey = 0, n = 0;
          for (let i = 0; i < d.length; i += 4) {
            n++;
            const [R, G, B] = [d[i], d[i + 1], d[i + 2]];
            if (Math.abs(R - 254) + Math.abs(G - 239) + Math.abs(B - 113) < 30) high++;
            if (Math.abs(R - G) < 8 && Math.abs(G - B) < 8) grey++;
          }
          return { high, grey, n };
        })()"#);
    assert_eq!(
        v["high"],
        json!(0),
        "top-colour pixels where log(x) is undefined: {v}"
    );
    assert!(
        v["grey"].as_f64().unwrap() > 0.9 * v["n"].as_f64().unwrap(),
        "hatched in greys: {v}"
    );
    page.assert_healthy();
}

#[test]
fn the_status_says_when_a_run_converged() {
    let page = Page::open(1280, 800);
    page.js("window.gdviz.set({ surface: 'booth', optimizer: 'sgd', lr: 0.1, steps: 1000 })");
    let s = page.state();
    let at = s["convergedAt"].as_u64().expect("converged");
    assert!(at < 200, "{at}");
    let status = page.js("document.getElementById('status').textContent");
    assert_eq!(
        status,
        json!(format!("converged at step {at}: ‖∇f‖ < 1e-6 from there on"))
    );
    page.assert_healthy();
}

/// While a surface parameter is dragged, the heatmap is a coarse image on its own layer, placed
/// exactly over the plot and scaled up by the browser (the background's plot area is clear
/// above it); it shows the same surface as the full heatmap that replaces it once the input
/// rests: at nine points of the plot the two colours agree (a contour line may cross one or
/// two of them). Then the layer is hidden and the background holds the heatmap again.
#[test]
fn a_dragged_surface_shows_the_same_heatmap_coarse_until_it_rests() {
    let page = Page::open(1280, 800);
    let r = page.js(r#"(async () => {
  const g = window.gdviz;
  await g.set({ surface: 'ravine', kappa: 10 });
  await new Promise(r => requestAnimationFrame(r));
  const heat = document.getElementById('heat'), bg = document.getElementById('bg');
  const pixel = (c, fx, fy, rect) => {
    const box = c.getBoundingClientRect();
    const x = Math.floor((rect.left + fx * rect.width - box.left) / box.width * c.width);
    const y = Math.floor((rect.top + fy * rect.height - box.top) / box.height * c.height);
    return [...c.getContext('2d').getImageData(x, y, 1, 1).data];
  };
  const at = [0.2, 0.5, 0.8].flatMap(fx => [0.2, 0.5, 0.8].map(fy => [fx, fy]));
  const done = g.set({ kappa: 30 });
  const plot = g.state().plot;
  const h = heat.getBoundingClientRect();
  const coarse = {
    hidden: heat.hidden,
    rect: [h.left - plot.left, h.top - plot.top, h.width - plot.width, h.height - plot.height],
    pixels: heat.width * heat.height,
    heat: at.map(([fx, fy]) => pixel(heat, fx, fy, plot)),
    bgAlpha: at.map(([fx, fy]) => pixel(bg, fx, fy, plot)[3]),
  };
  await done;
  const fine = { hidden: heat.hidden, bg: at.map(([fx, fy]) => pixel(bg, fx, fy, plot)), plot };
  return { coarse, fine };
})()"#);
    let (coarse, fine) = (&r["coarse"], &r["fine"]);
    assert_eq!(
        coarse["hidden"],
        json!(false),
        "no coarse layer during the drag: {r}"
    );
    for d in coarse["rect"].as_array().unwrap() {
        assert!(
            d.as_f64().unwrap().abs() < 1.0,
            "the coarse layer is not over the plot: {r}"
        );
    }
    let plot = &fine["plot"];
    let full = num(&plot["width"], "w") * num(&plot["height"], "h");
    assert!(
        num(&coarse["pixels"], "pixels") * 4.0 < full,
        "the coarse image is not coarse: {r}"
    );
    assert!(
        coarse["bgAlpha"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a == &json!(0)),
        "the background covers the coarse layer: {r}"
    );
    assert_eq!(
        fine["hidden"],
        json!(true),
        "the coarse layer stays after the refinement: {r}"
    );
    let (c, f) = (
        coarse["heat"].as_array().unwrap(),
        fine["bg"].as_array().unwrap(),
    );
    let agree = c
        .iter()
        .zip(f)
        .filter(|(a, b)| {
            (0..4).all(|i| (num(&a[i], "c") - num(&b[i], "f")).abs() <= 12.0)
                && num(&b[3], "alpha") == 255.0
        })
        .count();
    assert!(
        agree >= 7,
        "coarse and full heatmaps disagree at {} of 9 points: {r}",
        9 - agree
    );
    page.assert_healthy();
}

/// A hash of the overlay's pixels (the paths, the arrows and their labels, the marks).
const OVERLAY_HASH: &str = r#"(() => {
  const c = document.getElementById('overlay');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 2166136261;
  for (let i = 0; i < d.length; i++) h = Math.imul(h ^ d[i], 16777619);
  return [c.width, c.height, h >>> 0];
})()"#;

/// Sets the device pixel ratio of `page`'s viewport (1280×800 CSS pixels).
fn device_scale(page: &Page, scale: f64) {
    let metrics: headless_chrome::protocol::cdp::Emulation::SetDeviceMetricsOverride =
        serde_json::from_value(json!({
            "width": 1280, "height": 800, "deviceScaleFactor": scale, "mobile": false
        }))
        .unwrap();
    page.tab.call_method(metrics).expect("set the device scale");
}

/// Run before a page's own scripts: keeps every media query list made for a `resolution`, so
/// that a test can fire the `change` event a browser fires when a window moves to a screen of
/// another density (Chromium's emulated device scale changes the ratio without firing it).
const KEEP_RESOLUTION_QUERIES: &str = r#"
  const matchMedia = window.matchMedia.bind(window);
  window.__resolutionQueries = [];
  window.matchMedia = (q) => {
    const list = matchMedia(q);
    if (q.includes('resolution')) window.__resolutionQueries.push(list);
    return list;
  };
"#;

/// The overlay remembers its font and the widths of the arrows' labels between redraws; after
/// a divergence (whose label is in another font) and back, and after the device pixel ratio
/// doubles (a window moved to a denser screen: every canvas redrawn at the new ratio, every
/// font twice the size), it draws what a page opened in that state draws.
#[test]
fn the_overlay_after_a_divergence_and_a_new_scale_is_what_a_fresh_page_draws() {
    // Momentum on Rosenbrock: the arrows' labels say that the step is under a pixel.
    let query = "?surface=rosenbrock&steps=100&runs=optimizer:momentum,lr:0.0012";
    let page = Page::open_at(1280, 800, query);
    let keep: headless_chrome::protocol::cdp::Page::AddScriptToEvaluateOnNewDocument =
        serde_json::from_value(json!({ "source": KEEP_RESOLUTION_QUERIES })).unwrap();
    page.tab
        .call_method(keep)
        .expect("keep the resolution queries");
    page.reload();
    settle(&page);
    let first = page.js(OVERLAY_HASH);
    page.js("window.gdviz.set({lr: 0.004})");
    page.wait_state("the divergence", |s| s["status"] == json!("diverged"));
    settle(&page);
    page.js("window.gdviz.set({lr: 0.0012})");
    page.wait_state("γ back", |s| {
        s["lr"] == json!(0.0012) && s["status"] != json!("diverged")
    });
    settle(&page);
    assert_eq!(
        page.js(OVERLAY_HASH),
        first,
        "the overlay after a divergence and back"
    );

    device_scale(&page, 2.0);
    page.js("window.__resolutionQueries.at(-1).dispatchEvent(new Event('change'))");
    page.wait_state("the double scale", |_| page.js(OVERLAY_HASH)[0] != first[0]);
    settle(&page);
    let doubled = page.js(OVERLAY_HASH);
    assert_eq!(
        doubled[0],
        json!(2 * first[0].as_u64().unwrap()),
        "{doubled} {first}"
    );
    let fresh = Page::open_at(1280, 800, query);
    device_scale(&fresh, 2.0);
    fresh.reload();
    settle(&fresh);
    assert_eq!(
        doubled,
        fresh.js(OVERLAY_HASH),
        "the overlay at twice the scale"
    );
    page.assert_healthy();
    fresh.assert_healthy();
}
