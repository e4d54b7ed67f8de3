//! The data view and the 3D view come with the page's second module (`lab/`), in headless
//! Chromium: a plain page load does not fetch it; the first view shown does, once, saying
//! "loading…" in its place meanwhile; a module that cannot load is a message in each view's
//! place, and the surfaces (and the PNG, of the contour plot) keep working.
//!
//! The harness is `common/mod.rs`; needs `cargo xtask build` first and Chromium.

use std::time::Duration;

use serde_json::json;

mod common;

use common::*;

/// How many times the page fetched the second module's wasm.
const LAB_WASM_LOADS: &str = "performance.getEntriesByType('resource')\
    .filter(e => e.name.split('?')[0].endsWith('/gdviz_lab_bg.wasm')).length";

/// The notes in the views' places: `[text, hidden]` for the 3D view's and the data view's.
const NOTES: &str = "['view3d-note', 'data-note'].map(id => { \
    const el = document.getElementById(id); return [el.textContent, el.hidden]; })";

#[test]
fn the_views_load_the_second_module_once_saying_loading_meanwhile() {
    let page = Page::open_at(1280, 800, "?surface=booth&lr=0.05&steps=50");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(page.js(LAB_WASM_LOADS), json!(0), "a plain load fetched it");
    // The click shows the 3D view's place at once, saying so until the module is there.
    let notes = page.js(&format!(
        "(() => {{ document.getElementById('view3d-toggle').click(); return {NOTES}; }})()"
    ));
    assert_eq!(notes[0], json!(["loading…", false]), "{notes}");
    let s = page.wait_state("the 3D view to be drawn", |s| {
        s["view3d"]["drawMs"].is_number()
    });
    assert_eq!(s["view3d"]["on"], json!(true));
    assert_eq!(page.js(NOTES)[0][1], json!(true), "the note stays");
    // A dataset surface's data view: drawn by the same module, not fetched again.
    page.js("window.gdviz.set({ surface: 'linear-regression', lr: 0.02 })");
    wait(
        &page,
        "(() => { const c = document.getElementById('data'); \
         const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
         return d.some((v, i) => i % 4 === 3 && v > 0); })()",
        |inked| inked == &json!(true),
    );
    assert_eq!(page.js(LAB_WASM_LOADS), json!(1));
    page.assert_healthy();
}

#[test]
fn views_that_cannot_load_are_a_message_and_the_surfaces_keep_working() {
    let server = serve_without_lab("views-lab-missing");
    let url = format!(
        "{}?surface=linear-regression&lr=0.02&steps=60",
        server.url()
    );
    let page = Page::open_url(1000, 800, Some(server), &url);
    let notes = wait(&page, NOTES, |n| {
        n[1][0]
            .as_str()
            .is_some_and(|t| t.contains("could not load"))
    });
    assert_eq!(
        notes[1][1],
        json!(false),
        "the data view's note shows: {notes}"
    );
    assert!(
        notes[1][0]
            .as_str()
            .unwrap()
            .contains("The surfaces still work"),
        "{notes}"
    );
    page.js("document.getElementById('view3d-toggle').click()");
    // The module's failure is known, but the toggle's redraw may come a frame later.
    let notes = wait(&page, NOTES, |n| {
        n[0][0]
            .as_str()
            .is_some_and(|t| t.contains("could not load"))
    });
    assert_eq!(
        notes[0][1],
        json!(false),
        "the 3D view's note shows: {notes}"
    );
    assert!(
        notes[0][0].as_str().unwrap().contains("could not load"),
        "{notes}"
    );
    let s = page.state();
    assert_eq!(s["view3d"]["on"], json!(true));
    assert!(s["view3d"]["error"].is_string(), "{}", s["view3d"]);
    assert_eq!(page.visible_error(), None, "no fatal banner");
    // The PNG is of the contour plot, as it cannot be of the 3D view.
    let png = page.js("window.gdviz.png().then(u => u.startsWith('data:image/png'))");
    assert_eq!(png, json!(true));
    // The surfaces still work.
    let s = page.js(
        "window.gdviz.set({ surface: 'booth', lr: 0.05, steps: 40 }).then(() => window.gdviz.state())",
    );
    assert_eq!(s["surface"], json!("booth"));
    assert_eq!(s["trajectory"].as_array().map(Vec::len), Some(41));
    assert_eq!(page.visible_error(), None);
}
