//! The browser benchmark (`cargo xtask bench`, which builds the release wasm first and runs this
//! ignored test with `--ignored --nocapture`): medians over `REPS` repetitions in headless
//! Chromium, each against its budget from shared/DESIGN.md, and gdviz's contour extraction timed
//! against npm's `d3-contour` on the same grid and levels. See BENCHMARKS.md.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;
use headless_chrome::protocol::cdp::Page as CdpPage;
use serde_json::{json, Value};

/// Repetitions per measurement (the issue asks for at least 30).
const REPS: usize = 40;
/// The d3 packages, installed by `cargo xtask bench` under `target/tools/` (served from there).
const D3_ARRAY: &str = "/target/tools/node_modules/d3-array/dist/d3-array.min.js";
const D3_CONTOUR: &str = "/target/tools/node_modules/d3-contour/dist/d3-contour.min.js";

fn median(mut v: Vec<f64>) -> f64 {
    assert!(!v.is_empty());
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn times(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected an array of times, got {v}"))
        .iter()
        .map(|t| t.as_f64().expect("a time"))
        .collect()
}

/// Times `window.gdviz.set(opts)` for each option object of `cycle` in turn, `REPS` times in
/// all, one animation frame apart (so each change is its own frame); first sets `setup`.
fn time_sets(page: &Page, setup: &Value, cycle: &[Value]) -> Vec<f64> {
    let script = format!(
        r#"(async () => {{
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const cycle = {cycle};
  await window.gdviz.set({setup});
  await window.gdviz.set(cycle[cycle.length - 1]);
  await frame();
  const out = [];
  for (let k = 0; k < {REPS}; k++) {{
    const t0 = performance.now();
    await window.gdviz.set(cycle[k % cycle.length]);
    out.push(performance.now() - t0);
    await frame();
  }}
  return out;
}})()"#,
        cycle = Value::Array(cycle.to_vec()),
    );
    times(&page.js(&script))
}

struct Row {
    what: String,
    shown: String,
    budget: String,
    met: Option<bool>,
}

fn row_ms(what: &str, samples: Vec<f64>, budget_ms: f64) -> Row {
    let m = median(samples);
    Row {
        what: what.to_string(),
        shown: format!("{m:.2} ms"),
        budget: format!("≤ {budget_ms} ms"),
        met: Some(m <= budget_ms),
    }
}

fn row_info(what: &str, samples: Vec<f64>) -> Row {
    Row {
        what: what.to_string(),
        shown: format!("{:.2} ms", median(samples)),
        budget: "—".into(),
        met: None,
    }
}

/// The wasm instance's linear memory, MB.
fn memory_mb(page: &Page) -> f64 {
    let bytes = page.js("import('/www/pkg/gdviz.js').then(m => m.memoryBytes())");
    bytes.as_f64().expect("memoryBytes") / (1 << 20) as f64
}

fn row_mb(what: &str, mb: f64, budget_mb: Option<f64>) -> Row {
    Row {
        what: what.to_string(),
        shown: format!("{mb:.1} MB"),
        budget: budget_mb.map_or("—".into(), |b| format!("< {b} MB")),
        met: budget_mb.map(|b| mb < b),
    }
}

#[test]
#[ignore = "a benchmark: run by `cargo xtask bench`"]
fn browser_benchmark() {
    let page = Page::open(1280, 800);
    page.assert_healthy();
    let mut rows = Vec::new();

    // Slider → overlay: Adam on Rosenbrock, 1000 steps, the learning rate moved.
    let lrs: Vec<Value> = [0.01, 0.012, 0.015, 0.02, 0.025, 0.03]
        .iter()
        .map(|lr| json!({ "lr": lr }))
        .collect();
    let setup = json!({"surface": "rosenbrock", "optimizer": "adam", "lr": 0.01, "steps": 1000});
    rows.push(row_ms(
        "slider change → overlay redrawn (Rosenbrock, Adam, 1000 steps)",
        time_sets(&page, &setup, &lrs),
        4.0,
    ));

    // How the slider's cost grows with the run's length (the run is recomputed in full; what is
    // drawn is decimated to the pixels it covers, the loss curve to two points per pixel).
    for steps in [100, 10_000, 100_000] {
        let setup =
            json!({"surface": "rosenbrock", "optimizer": "adam", "lr": 0.01, "steps": steps});
        let samples = time_sets(&page, &setup, &lrs);
        rows.push(row_info(
            &format!("slider change → overlay redrawn, {steps} steps"),
            samples,
        ));
    }
    // Scrubbing (and playback, which shows a step per frame) on a 100 000-step run.
    let script = format!(
        r#"(async () => {{
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  await window.gdviz.set({{ surface: "rosenbrock", optimizer: "adam", lr: 0.01, steps: 100000 }});
  const scrub = document.getElementById("scrub");
  const out = [];
  for (let k = 0; k < {REPS}; k++) {{
    scrub.value = String(Math.round((k + 1) * 100000 / {REPS}) - 1);
    const t0 = performance.now();
    scrub.dispatchEvent(new Event("input"));
    out.push(performance.now() - t0);
    await frame();
  }}
  return out;
}})()"#
    );
    rows.push(row_info(
        "scrub to a step of a 100 000-step run",
        times(&page.js(&script)),
    ));

    // Surface change → full redraw (background and overlay).
    let analytic: Vec<Value> = ["rosenbrock", "himmelblau", "beale", "six-hump-camel"]
        .iter()
        .map(|s| json!({ "surface": s }))
        .collect();
    rows.push(row_ms(
        "surface change → full redraw (analytic surfaces)",
        time_sets(&page, &json!({"steps": 1000}), &analytic),
        16.0,
    ));
    let dataset: Vec<Value> = ["logistic-regression", "linear-regression", "svm", "tiny-nn"]
        .iter()
        .map(|s| json!({ "surface": s }))
        .collect();
    rows.push(row_ms(
        "surface change → full redraw (dataset surfaces)",
        time_sets(&page, &json!({"steps": 1000}), &dataset),
        16.0,
    ));
    let exprs: Vec<Value> = ["sin(3*x) + (y - 1)^2", "x^2 + 10*y^2", "log(1 + x^2 + y^2)"]
        .iter()
        .map(|e| json!({ "expr": e }))
        .collect();
    rows.push(row_ms(
        "surface change → full redraw (typed f(x, y))",
        time_sets(&page, &json!({"steps": 1000}), &exprs),
        16.0,
    ));

    // Page load → first frame: navigation start to `data-ready="1"`, stamped by a mutation
    // observer installed before any script of the page runs.
    let stamp: CdpPage::AddScriptToEvaluateOnNewDocument = serde_json::from_value(json!({
        "source": "new MutationObserver((_, o) => { if (document.body && document.body.dataset.ready === '1') { window.__readyAt = performance.now(); o.disconnect(); } }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });"
    }))
    .unwrap();
    page.tab
        .call_method(stamp)
        .expect("install the ready stamp");
    let url = page._server.as_ref().expect("served").url();
    let mut loads = Vec::new();
    for _ in 0..REPS {
        page.tab
            .navigate_to(&url)
            .and_then(|t| t.wait_until_navigated())
            .expect("load the page");
        page.wait_ready();
        let start = Instant::now();
        let at = loop {
            let v = page.js("window.__readyAt ?? null");
            if let Some(t) = v.as_f64() {
                break t;
            }
            assert!(start.elapsed() < Duration::from_secs(5), "no ready stamp");
            std::thread::sleep(Duration::from_millis(10));
        };
        loads.push(at);
    }
    rows.push(row_ms("page load → first frame", loads, 300.0));

    // Memory: the linear memory only grows, so each reading is the peak so far. The heaviest
    // state: a race of four 100 000-step runs, a 512² field sampled beside it, then a minute of
    // slider drags (one learning rate per frame), which must not grow it at all.
    let fresh = Page::open(1280, 800);
    rows.push(row_mb(
        "wasm memory after page load",
        memory_mb(&fresh),
        None,
    ));
    let race = json!({"surface": "rosenbrock", "steps": 100000, "race": [
        {"optimizer": "sgd", "lr": 0.001}, {"optimizer": "momentum", "lr": 0.001},
        {"optimizer": "rmsprop", "lr": 0.001}, {"optimizer": "adam", "lr": 0.01}]});
    fresh.js(&format!("window.gdviz.set({race})"));
    fresh.js("import('/www/pkg/gdviz.js').then(m => { const f = new m.BenchField('rosenbrock', 512); const n = f.segments(f.levels(20)); f.free(); return n; })");
    let peak = memory_mb(&fresh);
    rows.push(row_mb(
        "wasm memory, 4 × 100 000-step race + a 512² field",
        peak,
        Some(32.0),
    ));
    let dragged = fresh.js(r#"(async () => {
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const race = window.gdviz.state().runs.map(r => ({ optimizer: r.optimizer, lr: r.lr }));
  const t0 = performance.now();
  let k = 0;
  while (performance.now() - t0 < 60000) {
    race[0].lr = 0.0005 + 0.001 * ((k++ % 50) / 50);
    await window.gdviz.set({ race });
    await frame();
  }
  return k;
})()"#);
    let after = memory_mb(&fresh);
    rows.push(row_mb(
        &format!("growth over a minute of slider drags ({dragged} redraws of the race)"),
        after - peak,
        Some(0.001),
    ));
    drop(fresh);

    // The wasm module's size.
    let wasm = std::fs::read(xtask::pkg_wasm()).expect("read the wasm");
    let (raw, gz) = (
        wasm.len() as f64 / 1000.0,
        xtask::gzip_size(&wasm) as f64 / 1000.0,
    );
    rows.push(Row {
        what: "wasm size, raw".into(),
        shown: format!("{raw:.1} KB"),
        budget: "—".into(),
        met: None,
    });
    rows.push(Row {
        what: "wasm size, gzipped".into(),
        shown: format!("{gz:.1} KB"),
        budget: "≤ 200 KB".into(),
        met: Some(gz <= 200.0),
    });

    // Contour extraction: gdviz (wasm) against d3-contour, same grid, same levels.
    let root = xtask::repo_root();
    for f in [D3_ARRAY, D3_CONTOUR] {
        let p = root.join(f.trim_start_matches('/'));
        assert!(
            Path::new(&p).is_file(),
            "{} is missing: `cargo xtask bench` installs it",
            p.display()
        );
    }
    let mut comparisons = Vec::new();
    for (surface, n) in [
        ("rosenbrock", 128),
        ("rosenbrock", 256),
        ("himmelblau", 256),
        ("rosenbrock", 512),
        ("rosenbrock", 1024),
    ] {
        let script = format!(
            r#"(async () => {{
  const load = (src) => new Promise((res, rej) => {{
    if (document.querySelector(`script[src="${{src}}"]`)) return res();
    const s = document.createElement('script');
    s.src = src; s.onload = res; s.onerror = () => rej(new Error('cannot load ' + src));
    document.head.appendChild(s);
  }});
  await load('{D3_ARRAY}');
  await load('{D3_CONTOUR}');
  const m = await import('/www/pkg/gdviz.js');
  const sample = [];
  for (let k = 0; k < 10; k++) {{
    const t0 = performance.now();
    new m.BenchField('{surface}', {n}).free();
    sample.push(performance.now() - t0);
  }}
  const f = new m.BenchField('{surface}', {n});
  const values = f.values();
  const levels = f.levels(20);
  const contours = d3.contours().size([{n}, {n}]).thresholds(Array.from(levels));
  const gd = [], d3t = [];
  let segs = 0, rings = 0;
  for (let k = 0; k < {REPS}; k++) {{
    let t0 = performance.now();
    segs = f.segments(levels);
    gd.push(performance.now() - t0);
    t0 = performance.now();
    const c = contours(values);
    d3t.push(performance.now() - t0);
    rings = c.reduce((a, mp) => a + mp.coordinates.reduce((b, poly) => b + poly.length, 0), 0);
  }}
  f.free();
  return {{ gd, d3: d3t, segs, rings, sample }};
}})()"#
        );
        let r = page.js(&script);
        let gd = median(times(&r["gd"]));
        let d3 = median(times(&r["d3"]));
        let sample = median(times(&r["sample"]));
        comparisons.push((
            surface,
            n,
            gd,
            d3,
            r["segs"].clone(),
            r["rings"].clone(),
            sample,
        ));
    }
    page.assert_healthy();

    let width = rows
        .iter()
        .map(|r| r.what.chars().count())
        .max()
        .unwrap_or(0);
    println!();
    println!("gdviz browser benchmark: medians of {REPS} runs, headless Chromium");
    println!();
    println!(
        "| {:width$} | median | budget | |",
        "measurement",
        width = width
    );
    println!("|{}|---|---|---|", "-".repeat(width + 2));
    for r in &rows {
        let verdict = match r.met {
            Some(true) => "MET",
            Some(false) => "NOT MET",
            None => "",
        };
        println!(
            "| {:width$} | {} | {} | {verdict} |",
            r.what,
            r.shown,
            r.budget,
            width = width
        );
    }
    println!();
    println!("contour extraction, 20 levels: gdviz (wasm marching squares) vs d3-contour 4.0.3");
    println!();
    println!("| grid | sampling (wasm) | gdviz | d3-contour | d3 / gdviz | ≥ 2× |");
    println!("|---|---|---|---|---|---|");
    for (surface, n, gd, d3, segs, rings, sample) in &comparisons {
        let ratio = d3 / gd;
        println!(
            "| {surface} {n}² ({segs} segments; d3: {rings} rings) | {sample:.2} ms | {gd:.2} ms | {d3:.2} ms | {ratio:.1}× | {} |",
            if ratio >= 2.0 { "MET" } else { "NOT MET" }
        );
    }
    println!();
}
