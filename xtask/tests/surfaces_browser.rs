//! Every surface of the page's catalog in headless Chromium: chosen through `window.gdviz.set`, it
//! must give a finite trajectory and a status with no console error and `#error` hidden; dataset
//! surfaces must do the same stochastic and mini-batch, and surfaces with parameters at the ends
//! of their ranges. A screenshot of each is written to `target/screenshots/surface-NAME.png`.
//!
//! Needs `cargo xtask build` first (it writes `www/pkg/`) and Chromium at `/usr/bin/chromium`
//! (or `$CHROME`); the helpers follow `browser.rs`.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Emulation, Log, Page as CdpPage, Runtime};
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::{json, Value};

const READY_TIMEOUT: Duration = Duration::from_secs(20);

/// Whether `#error` is shown, and its text.
const ERROR_VISIBILITY: &str = r#"(() => {
  const e = document.getElementById('error');
  if (!e) return { missing: true };
  const cs = getComputedStyle(e);
  const hidden = e.hidden || cs.display === 'none' || cs.visibility === 'hidden'
    || e.getClientRects().length === 0;
  return { hidden, text: e.textContent };
})()"#;

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

fn chrome_path() -> PathBuf {
    let path = std::env::var_os("CHROME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.is_file(),
        "Chromium not found at {}: install it (`apt-get install chromium chromium-driver`, as \
         .ci/run does) or point $CHROME at a Chrome/Chromium binary",
        path.display()
    );
    path
}

fn launch() -> Browser {
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--mute-audio",
    ]
    .into_iter()
    .map(OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(chrome_path()))
        .headless(true)
        .sandbox(false)
        .window_size(Some((1280, 800)))
        .idle_browser_timeout(Duration::from_secs(300))
        .args(args)
        .build()
        .expect("launch options");
    Browser::new(options).expect("launch Chromium")
}

/// The app open in a tab, served from the repository root by the xtask server.
struct Page {
    tab: Arc<Tab>,
    /// Console errors, uncaught exceptions and failed loads seen so far.
    problems: Arc<Mutex<Vec<String>>>,
    _server: xtask::Server,
    // Dropped last: closing the browser kills Chromium.
    _browser: Browser,
}

impl Drop for Page {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let problems = self.take_problems();
            if !problems.is_empty() {
                eprintln!("the page also reported: {problems:#?}");
            }
        }
        let _ = self.tab.close(false);
    }
}

impl Page {
    fn open(width: u32, height: u32) -> Page {
        let wasm = xtask::pkg_wasm();
        assert!(
            wasm.is_file(),
            "{} is missing: run `cargo xtask build` first (`cargo xtask test` does)",
            wasm.display()
        );
        let server = xtask::serve(&xtask::repo_root(), 0).expect("start the xtask server");
        let browser = launch();
        let tab = browser.new_tab().expect("open a tab");
        tab.set_default_timeout(Duration::from_secs(20));
        let metrics: Emulation::SetDeviceMetricsOverride = serde_json::from_value(json!({
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false
        }))
        .unwrap();
        tab.call_method(metrics).expect("set the viewport size");

        let problems = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&problems);
        tab.add_event_listener(Arc::new(move |event: &Event| {
            let problem = match event {
                Event::RuntimeExceptionThrown(e) => {
                    let d = &e.params.exception_details;
                    let what = d
                        .exception
                        .as_ref()
                        .and_then(|x| x.description.clone())
                        .unwrap_or_else(|| d.text.clone());
                    Some(format!("uncaught exception: {what}"))
                }
                Event::RuntimeConsoleAPICalled(e)
                    if matches!(
                        e.params.Type,
                        Runtime::ConsoleAPICalledEventTypeOption::Error
                            | Runtime::ConsoleAPICalledEventTypeOption::Assert
                    ) =>
                {
                    let args: Vec<String> = e.params.args.iter().map(remote_text).collect();
                    Some(format!("console.error: {}", args.join(" ")))
                }
                Event::LogEntryAdded(e) if e.params.entry.level == Log::LogEntryLevel::Error => {
                    Some(format!(
                        "log error ({:?}): {} {}",
                        e.params.entry.source,
                        e.params.entry.text,
                        e.params.entry.url.as_deref().unwrap_or("")
                    ))
                }
                _ => None,
            };
            if let Some(problem) = problem {
                sink.lock().unwrap_or_else(|e| e.into_inner()).push(problem);
            }
        }))
        .expect("listen to DevTools events");
        tab.enable_runtime().expect("enable Runtime events");
        tab.enable_log().expect("enable Log events");

        let page = Page {
            tab,
            problems,
            _server: server,
            _browser: browser,
        };
        page.tab
            .navigate_to(&page._server.url())
            .and_then(|t| t.wait_until_navigated())
            .expect("load the page");
        let start = Instant::now();
        while page.js("document.body && document.body.dataset.ready === '1'") != json!(true) {
            assert!(
                start.elapsed() < READY_TIMEOUT,
                "the page did not set document.body.dataset.ready = \"1\" within {READY_TIMEOUT:?}; \
                 problems: {:#?}",
                page.take_problems()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        page
    }

    /// Evaluates `expr` (awaited if it is a Promise) and returns it through `JSON.stringify`;
    /// a thrown error fails the test with its message.
    fn js(&self, expr: &str) -> Value {
        let wrapped = format!(
            "(async () => {{ try {{ return JSON.stringify({{ ok: await ({expr}) }}); }} \
             catch (e) {{ return JSON.stringify({{ err: String((e && e.stack) || e) }}); }} }})()"
        );
        let result = self
            .tab
            .evaluate(&wrapped, true)
            .unwrap_or_else(|e| panic!("evaluate {expr}: {e}"));
        let text = match result.value {
            Some(Value::String(s)) => s,
            other => panic!("evaluate {expr}: unexpected result {other:?}"),
        };
        let mut value: Value = serde_json::from_str(&text).expect("JSON from the page");
        if let Some(err) = value.get("err") {
            panic!("{expr} threw: {}", err.as_str().unwrap_or_default());
        }
        value.get_mut("ok").map(Value::take).unwrap_or(Value::Null)
    }

    fn take_problems(&self) -> Vec<String> {
        std::mem::take(&mut *self.problems.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Fails on any console error, exception or failed load so far, or a visible `#error`.
    fn assert_healthy(&self, what: &str) {
        let problems = self.take_problems();
        assert!(
            problems.is_empty(),
            "{what}: the page reported {problems:#?}"
        );
        let v = self.js(ERROR_VISIBILITY);
        assert_ne!(v["missing"], json!(true), "the page has no #error element");
        assert_eq!(
            v["hidden"],
            json!(true),
            "{what}: #error is visible: {}",
            v["text"]
        );
    }

    fn screenshot(&self) -> Vec<u8> {
        self.tab
            .capture_screenshot(
                CdpPage::CaptureScreenshotFormatOption::Png,
                None,
                None,
                true,
            )
            .expect("screenshot")
    }
}

fn remote_text(o: &Runtime::RemoteObject) -> String {
    match (&o.value, &o.description) {
        (Some(Value::String(s)), _) => s.clone(),
        (Some(v), _) => v.to_string(),
        (None, Some(d)) => d.clone(),
        (None, None) => format!("{:?}", o.Type),
    }
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
    page.assert_healthy(&what);
    r["state"].clone()
}

#[test]
fn every_surface_of_the_catalog_runs_in_the_page() {
    let page = Page::open(1280, 800);
    page.assert_healthy("page load");
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
