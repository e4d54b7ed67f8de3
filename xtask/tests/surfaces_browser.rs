//! Every surface of the page's catalog in headless Chromium: chosen through `window.gdviz.set`, it
//! must give a finite trajectory and a status with no console error and `#error` hidden; dataset
//! surfaces must do the same stochastic and mini-batch, and surfaces with parameters at the ends
//! of their ranges. A screenshot of each is written to `target/screenshots/surface-NAME.png`.
//!
//! Needs `cargo xtask build` first (it writes `www/pkg/`) and Chromium at `/usr/bin/chromium`
//! (or `$CHROME`); the harness is `common/mod.rs`.

mod common;

use common::*;
use serde_json::{json, Value};

/// Applies `options`, lets two frames run, and returns the notices with a summary of the state:
/// its surface, status, parameters, and whether every trajectory number is finite.
fn set_and_check(options: &Value) -> String {
    format!(
        r#"(async () => {{
  const notices = await window.gdviz.set({options});
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const s = window.gdviz.state();
  const t = s.trajectory || [];
  return {{
    notices, surface: s.surface, status: s.status, variant: s.variant, start: s.start,
    rows: t.length,
    finite: t.every(r => Array.isArray(r) && r.length === 3 && r.every(Number.isFinite)),
    statusText: (document.getElementById('status') || {{}}).textContent || '',
    state: s,
  }};
}})()"#
    )
}

/// Fails on any console error, exception or failed load so far, or a visible `#error`, saying
/// which change caused it.
fn healthy(page: &Page, what: &str) {
    let problems = std::mem::take(&mut *page.problems.lock().unwrap_or_else(|e| e.into_inner()));
    assert!(
        problems.is_empty(),
        "{what}: the page reported {problems:#?}"
    );
    let v = page.js(ERROR_VISIBILITY);
    assert_ne!(v["missing"], json!(true), "the page has no #error element");
    assert_eq!(
        v["hidden"],
        json!(true),
        "{what}: #error is visible: {}",
        v["text"]
    );
}

/// Sets `options` and checks the run: no notices, the expected surface and variant, a status, a
/// finite trajectory of more than one row, and a healthy page. Returns the full state.
fn check(page: &Page, options: Value, surface: &str, variant: &str) -> Value {
    let what = format!("set({options})");
    let r = page.js(&set_and_check(&options));
    assert_eq!(r["notices"], json!([]), "{what}: rejected");
    assert_eq!(r["surface"], json!(surface), "{what}");
    assert_eq!(r["variant"], json!(variant), "{what}");
    let status = r["status"].as_str().unwrap_or_default();
    assert!(
        ["converged", "diverged", "max-steps"].contains(&status),
        "{what}: status {:?}",
        r["status"]
    );
    assert!(
        !r["statusText"].as_str().unwrap_or_default().is_empty(),
        "{what}: #status is empty"
    );
    let rows = r["rows"].as_u64().unwrap_or(0);
    assert!(rows > 1, "{what}: {rows} trajectory rows");
    assert_eq!(r["finite"], json!(true), "{what}: non-finite trajectory");
    healthy(page, &what);
    r["state"].clone()
}

#[test]
fn every_surface_of_the_catalog_runs_in_the_page() {
    let page = Page::open(1280, 800);
    healthy(&page, "page load");
    let catalog = page.js("window.gdviz.catalog()");
    let surfaces = catalog["surfaces"]
        .as_array()
        .expect("catalog().surfaces is an array");
    let names: Vec<&str> = surfaces.iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names.len(), surfaces.len(), "every surface has a name");
    for name in ["ridge", "lasso", "svm", "tiny-nn", "recommender"] {
        assert!(names.contains(&name), "{name} is missing from the page");
    }
    let dir = xtask::target_dir().join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let (mut datasets, mut params) = (0, 0);
    for s in surfaces {
        let name = s["name"].as_str().unwrap();
        let state = check(
            &page,
            json!({"surface": name, "variant": "batch"}),
            name,
            "batch",
        );
        let png = page.screenshot();
        assert!(png.starts_with(b"\x89PNG"), "{name}: screenshot");
        std::fs::write(dir.join(format!("surface-{name}.png")), &png).unwrap();
        // The run starts at the surface's start, inside its view.
        let (start, view) = (&state["start"], &state["view"]);
        for (k, axis) in ["x", "y"].into_iter().enumerate() {
            let (v, lo, hi) = (
                start[k].as_f64().unwrap(),
                view[axis][0].as_f64().unwrap(),
                view[axis][1].as_f64().unwrap(),
            );
            assert!(
                lo <= v && v <= hi,
                "{name}: start {start} outside view {view}"
            );
        }
        if s["dataset"] == json!(true) {
            datasets += 1;
            for variant in ["stochastic", "minibatch"] {
                check(&page, json!({"variant": variant}), name, variant);
            }
            check(&page, json!({"variant": "batch"}), name, "batch");
        }
        for p in s["params"].as_array().into_iter().flatten() {
            params += 1;
            let key = p["name"].as_str().unwrap();
            for end in ["min", "max", "default"] {
                let value = &p[end];
                let state = check(&page, json!({ key: value }), name, "batch");
                assert_eq!(&state[key], value, "{name}: {key} = {value}");
            }
        }
    }
    assert!(datasets >= 9, "only {datasets} dataset surfaces");
    assert!(params >= 5, "only {params} surface parameters");
}
