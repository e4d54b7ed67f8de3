//! The page's second wasm module (`lab/`: Network mode and the code export), in headless
//! Chromium: the first module is within its ceiling; a plain page load never fetches the second;
//! opening Network mode or the Code box fetches it once, shared by every instance on the page,
//! with an honest "loading" state meanwhile; a second module that cannot load is a message in
//! the instance, and the surfaces keep working.
//!
//! The harness is `common/mod.rs`; needs `cargo xtask build` first and Chromium.

use std::time::Duration;

use serde_json::{json, Value};

mod common;

use common::*;

/// How many times the page fetched each of the second module's files.
const LAB_LOADS: &str = r#"(() => {
  const names = performance.getEntriesByType('resource').map(e => e.name.split('?')[0]);
  return { glue: names.filter(n => n.endsWith('/gdviz_lab.js')).length,
           wasm: names.filter(n => n.endsWith('/gdviz_lab_bg.wasm')).length };
})()"#;

/// Waits until the network of instance `api` has trained `steps` steps.
fn trained(page: &Page, api: &str, steps: u64) -> Value {
    wait(page, &format!("{api}.state().network"), |n| {
        n["trained"] == json!(steps) && n["training"] == json!(false)
    })
}

/// The Code box's text of the instance in `root` (a selector), once it is not loading.
fn code_text(page: &Page, root: &str) -> String {
    let expr = format!("document.querySelector('{root} [id$=\"code-text\"]').textContent");
    let text = wait(page, &expr, |t| {
        t.as_str()
            .is_some_and(|t| !t.is_empty() && !t.starts_with("# Loading"))
    });
    text.as_str().unwrap().to_string()
}

#[test]
fn the_first_module_is_within_its_ceiling() {
    let bytes = std::fs::read(xtask::pkg_wasm()).expect("run `cargo xtask build` first");
    let gzipped = xtask::gzip_size(&bytes);
    assert!(
        gzipped <= xtask::FIRST_MODULE_CEILING,
        "the first module is {gzipped} bytes gzipped, over {}",
        xtask::FIRST_MODULE_CEILING
    );
    assert!(
        xtask::pkg_lab_wasm().is_file(),
        "the second module is built"
    );
}

#[test]
fn the_second_module_loads_once_when_network_or_code_is_first_opened() {
    let page = Page::open_at(1000, 800, "example.html");
    wait(&page, "(window.demos || []).length", |n| {
        n.as_u64() >= Some(2)
    });
    // A plain load: the surfaces only, nothing of the second module.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(page.js(LAB_LOADS), json!({"glue": 0, "wasm": 0}));
    // Network mode in one instance: it loads, trains, and is the core's run.
    page.js("window.demos[0].set({ mode: 'network', steps: 200 })");
    let n = trained(&page, "window.demos[0]", 200);
    assert!(n["trainLoss"].is_number(), "{n}");
    // A second instance shares the module: no second fetch.
    page.js("window.demos[1].set({ mode: 'network', steps: 50, optimizer: 'adam', lr: 0.01 })");
    trained(&page, "window.demos[1]", 50);
    assert_eq!(page.js(LAB_LOADS), json!({"glue": 1, "wasm": 1}));
    // Code in a third instance: the same module again.
    page.js("document.querySelector('#demo-element [id$=\"show-code\"]').click()");
    let text = code_text(&page, "#demo-element");
    assert!(text.contains("import torch"), "{text}");
    assert_eq!(page.js(LAB_LOADS), json!({"glue": 1, "wasm": 1}));
    assert_eq!(page.problems(), Vec::<String>::new());
}

#[test]
fn code_first_shows_the_script_of_the_state() {
    let page = Page::open_at(1280, 900, "?surface=booth&optimizer=adam&lr=0.05&steps=30");
    assert_eq!(page.js(LAB_LOADS), json!({"glue": 0, "wasm": 0}));
    page.js("document.querySelector('#show-code').click()");
    let text = code_text(&page, "body");
    // The core's own script for the same state.
    let opts = gdviz::options::strict(&gdviz::share::changes(&gdviz::share::parse_query(
        "surface=booth&optimizer=adam&lr=0.05&steps=30",
    )))
    .unwrap();
    let surface = opts.build_surface().unwrap();
    let cfg = opts.run_config(surface.as_ref(), 0);
    assert_eq!(
        text,
        gdviz::export::torch_script(surface.as_ref(), &cfg).unwrap()
    );
    assert_eq!(page.js(LAB_LOADS), json!({"glue": 1, "wasm": 1}));
    // It follows the state.
    page.js("window.gdviz.set({ lr: 0.01 })");
    let text = wait(
        &page,
        "document.querySelector('#code-text').textContent",
        |t| t.as_str().is_some_and(|t| t.contains("lr=0.01")),
    );
    assert!(text.as_str().unwrap().contains("Adam"), "{text}");
    page.assert_healthy();
}

#[test]
fn a_second_module_that_cannot_load_is_a_message_and_the_surfaces_keep_working() {
    let server = serve_without_lab("lab-missing");
    let url = server.url();
    let page = Page::open_url(1000, 800, Some(server), &url);
    page.js("window.gdviz.set({ mode: 'network' })");
    let progress = wait(
        &page,
        "document.querySelector('#net-progress').textContent",
        |t| t.as_str().is_some_and(|t| t.contains("could not start")),
    );
    assert!(
        progress
            .as_str()
            .unwrap()
            .contains("The surfaces still work"),
        "{progress}"
    );
    assert_eq!(page.visible_error(), None, "no fatal banner");
    // The code export says so too.
    page.js("document.querySelector('#show-code').click()");
    let code = code_text(&page, "body");
    assert!(
        code.starts_with("# The code export could not load"),
        "{code}"
    );
    // A Network mode lesson, whose text is the second module's, says that it could not load.
    page.js("(() => { const l = document.querySelector('#lesson'); l.value = 'spiral'; l.dispatchEvent(new Event('change')); })()");
    let said = lesson_text(&page);
    assert!(
        said.starts_with("This lesson's text could not load"),
        "{said}"
    );
    // The surfaces still work.
    let s = page.js("window.gdviz.set({ mode: 'surfaces', surface: 'booth', lr: 0.05, steps: 40 }).then(() => window.gdviz.state())");
    assert_eq!(s["surface"], json!("booth"));
    assert_eq!(s["trajectory"].as_array().map(Vec::len), Some(41));
    assert_eq!(page.visible_error(), None);
}

#[test]
fn the_single_file_carries_the_second_module() {
    // The single file alone in its folder, from file://: both modules inlined.
    let root = xtask::target_dir().join("tmp").join("lab-single");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    xtask::dist::site(&root.join("site")).expect("the static build");
    let file = root.join("gdviz.html");
    std::fs::copy(root.join("site/gdviz.html"), &file).unwrap();
    let page = Page::open_url(1000, 800, None, &format!("file://{}", file.display()));
    page.js("window.gdviz.set({ mode: 'network', steps: 60 })");
    let n = trained(&page, "window.gdviz", 60);
    assert!(n["trainLoss"].is_number(), "{n}");
    page.js("window.gdviz.set({ mode: 'surfaces' })");
    page.js("document.querySelector('#show-code').click()");
    let text = code_text(&page, "body");
    assert!(text.contains("import torch"), "{text}");
    page.assert_healthy();
}
