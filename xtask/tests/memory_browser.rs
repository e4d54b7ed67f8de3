//! The wasm instances' memory in the real page: the heaviest state stays under 32 MB in each
//! module (the second holding the paths for the 3D view), and redrawing does not leak (the
//! linear memory only grows, so any leak per redraw shows up as growth over enough redraws).
//! Timings are in the browser benchmark, not here.

mod common;

use common::Page;

fn num(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}
use serde_json::json;

/// The linear memory in bytes.
fn memory(page: &Page) -> f64 {
    page.js("import('/www/pkg/gdviz.js').then(m => m.memoryBytes())")
        .as_f64()
        .expect("memoryBytes")
}

/// The second module's linear memory in bytes (its exports, once it is loaded).
fn lab_memory(page: &Page) -> f64 {
    page.js("import('/www/pkg/gdviz_lab.js').then(m => m.default()).then(w => w.memory.buffer.byteLength)")
        .as_f64()
        .expect("the second module's memory")
}

/// Sets the learning rate `count` times (of the single run, or of a race's first run), each a
/// full re-run and redraw as a slider move makes.
fn drag(page: &Page, count: usize) {
    page.js(&format!(
        r#"(async () => {{
  for (let k = 0; k < {count}; k++) {{
    const s = window.gdviz.state();
    const lr = 0.0005 + 0.001 * ((k % 50) / 50);
    if (s.runs.length > 1) {{
      const race = s.runs.map(r => ({{ optimizer: r.optimizer, lr: r.lr }}));
      race[0].lr = lr;
      await window.gdviz.set({{ race }});
    }} else {{
      await window.gdviz.set({{ lr }});
    }}
  }}
}})()"#
    ));
}

#[test]
fn the_heaviest_state_fits_in_32_mb_and_redraws_do_not_leak() {
    let page = Page::open(1280, 800);
    // Slider moves on the default run: any per-redraw leak of more than a few dozen bytes grows
    // the memory over 1500 redraws.
    drag(&page, 50);
    let settled = memory(&page);
    drag(&page, 1500);
    let after = memory(&page);
    assert_eq!(
        after, settled,
        "memory grew over 1500 redraws: {settled} → {after} bytes"
    );

    // The heaviest state the page allows: four 100 000-step runs, and a 512² field beside them.
    page.js(&format!(
        "window.gdviz.set({})",
        json!({"surface": "rosenbrock", "steps": 100000, "race": [
            {"optimizer": "sgd", "lr": 0.001}, {"optimizer": "momentum", "lr": 0.001},
            {"optimizer": "rmsprop", "lr": 0.001}, {"optimizer": "adam", "lr": 0.01}]})
    ));
    let s = page.state();
    let lengths: Vec<usize> = s["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["trajectory"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(lengths, [100_001; 4], "four full runs");
    page.js("import('/www/pkg/gdviz.js').then(m => { const f = new m.BenchField('rosenbrock', 512); const n = f.segments(f.levels(20)); f.free(); return n; })");
    // Its exports: the CSV (30 MB of text, handed over in parts), the PNG and the state again
    // (one CSV took the memory to 80 MB for good when it was built whole).
    let csv = page.js("window.gdviz.csv().length");
    assert!(num(&csv) > 25e6, "{csv}");
    page.js("window.gdviz.png().then(u => u.length)");
    page.js("window.gdviz.state().runs.length");
    let peak = memory(&page);
    assert!(
        peak < 32.0 * (1 << 20) as f64,
        "{:.1} MB of wasm memory",
        peak / (1 << 20) as f64
    );
    // With the 3D view on, the second module holds every path too (handed over a run at a
    // time, the old ones dropped first).
    page.js("document.getElementById('view3d-toggle').click()");
    page.wait_state("the 3D view to be drawn", |s| {
        s["view3d"]["drawMs"].is_number()
    });
    let lab = lab_memory(&page);
    assert!(
        lab < 32.0 * (1 << 20) as f64,
        "{:.1} MB of the second module's memory",
        lab / (1 << 20) as f64
    );
    // Redrawing the heavy race allocates four trajectories each time and frees the old ones.
    drag(&page, 20);
    assert_eq!(memory(&page), peak, "memory grew while redrawing the race");
    assert_eq!(lab_memory(&page), lab, "the second module's memory grew");
    page.assert_healthy();
}
