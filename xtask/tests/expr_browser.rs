//! The typed f(x, y) in headless Chromium, typed with real key presses: Enter (or the Draw
//! button) redraws the plot with the new surface; a bad expression shows its message, with the
//! position, beside the box while the previous plot and state stay.
//!
//! The harness (shared Chromium, `xtask::serve`, readiness, console-error collection) is the one
//! of `browser.rs`; needs `cargo xtask build` first and Chromium at `/usr/bin/chromium`.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use headless_chrome::browser::tab::point::Point;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Emulation, Log, Page as CdpPage, Runtime};
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::{json, Value};

const READY_TIMEOUT: Duration = Duration::from_secs(20);

/// `#error`'s text, for messages.
const ERROR_TEXT: &str = r#"(() => {
  const e = document.getElementById('error');
  return e ? e.textContent : '(no #error element)';
})()"#;

/// Whether `#error` is shown, and its text.
const ERROR_VISIBILITY: &str = r#"(() => {
  const e = document.getElementById('error');
  if (!e) return { missing: true };
  const cs = getComputedStyle(e);
  const hidden = e.hidden || cs.display === 'none' || cs.visibility === 'hidden'
    || e.getClientRects().length === 0;
  return { hidden, text: e.textContent };
})()"#;

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

/// One browser for the whole test binary while any test uses it; it is closed (the process
/// killed) when the last test holding it finishes, so no Chromium outlives the tests.
fn browser() -> Arc<Browser> {
    static SHARED: Mutex<Weak<Browser>> = Mutex::new(Weak::new());
    let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(browser) = shared.upgrade() {
        return browser;
    }
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
    let browser = Arc::new(Browser::new(options).expect("launch Chromium"));
    *shared = Arc::downgrade(&browser);
    browser
}

/// The app open in its own tab, served from the repository root by the xtask server.
struct Page {
    tab: Arc<Tab>,
    /// Console errors, uncaught exceptions and failed loads seen so far.
    problems: Arc<Mutex<Vec<String>>>,
    _server: xtask::Server,
    _browser: Arc<Browser>,
}

impl Drop for Page {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let problems = self.problems();
            if !problems.is_empty() {
                eprintln!("the page also reported: {problems:#?}");
            }
        }
        let _ = self.tab.close(false);
    }
}

impl Page {
    /// Opens `http://127.0.0.1:PORT/` in a `width`×`height` viewport and waits until the page
    /// says it is ready (`document.body.dataset.ready === "1"`).
    fn open(width: u32, height: u32) -> Page {
        let wasm = xtask::pkg_wasm();
        assert!(
            wasm.is_file(),
            "{} is missing: run `cargo xtask build` first (`cargo xtask test` does)",
            wasm.display()
        );
        let server = xtask::serve(&xtask::repo_root(), 0).expect("start the xtask server");
        let browser = browser();
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
                    Some(format!(
                        "uncaught exception at {}:{}: {what}",
                        d.url.as_deref().unwrap_or("?"),
                        d.line_number
                    ))
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
        page.wait_ready();
        page
    }

    fn wait_ready(&self) {
        let start = Instant::now();
        loop {
            let ready = self.js("document.body && document.body.dataset.ready === '1'");
            if ready == json!(true) {
                return;
            }
            if start.elapsed() > READY_TIMEOUT {
                let error = self.js(ERROR_TEXT);
                let has_api = self.js("typeof window.gdviz");
                panic!(
                    "the page did not set document.body.dataset.ready = \"1\" within {:?}; \
                     typeof window.gdviz = {has_api}; #error: {error}; problems: {:#?}",
                    READY_TIMEOUT,
                    self.problems()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
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

    fn state(&self) -> Value {
        self.js("window.gdviz.state()")
    }

    /// Polls `state()` until `done` holds (up to 5 s); returns the last state.
    fn wait_state(&self, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let start = Instant::now();
        loop {
            let state = self.state();
            if done(&state) {
                return state;
            }
            if start.elapsed() > Duration::from_secs(5) {
                panic!("timed out waiting for {what}; state: {}", brief(&state));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn problems(&self) -> Vec<String> {
        self.problems
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// `None` if `#error` is hidden (or empty and zero-sized), else its text.
    fn visible_error(&self) -> Option<String> {
        let v = self.js(ERROR_VISIBILITY);
        assert_ne!(v["missing"], json!(true), "the page has no #error element");
        if v["hidden"] == json!(true) {
            None
        } else {
            Some(v["text"].as_str().unwrap_or_default().to_string())
        }
    }

    /// Lets pending frames run, then fails on any console error, exception, failed load or
    /// visible `#error`.
    fn assert_healthy(&self) {
        self.js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
        let problems =
            std::mem::take(&mut *self.problems.lock().unwrap_or_else(|e| e.into_inner()));
        assert!(problems.is_empty(), "the page reported: {problems:#?}");
        if let Some(text) = self.visible_error() {
            panic!("#error is visible: {text:?}");
        }
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

/// A state without its (long) trajectory, for messages.
fn brief(state: &Value) -> String {
    let mut s = state.clone();
    if let Some(t) = s.get_mut("trajectory") {
        let n = t.as_array().map_or(0, Vec::len);
        *t = json!(format!("[{n} rows]"));
    }
    s.to_string()
}

/// A hash of every pixel of the background canvas (heatmap, contours, axes).
const BG_HASH: &str = "(() => { const c = document.getElementById('bg'); \
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
    let h = 0; for (let i = 0; i < d.length; i++) h = (h * 31 + d[i]) >>> 0; return h; })()";

/// The expression box, its error line and the surface menu, as the user sees them.
const EXPR_UI: &str = r#"(() => {
  const box = document.getElementById('expr'), err = document.getElementById('expr-error');
  const menu = document.getElementById('surface');
  return {
    text: box.value, selection: [box.selectionStart, box.selectionEnd],
    focused: document.activeElement === box,
    error: err.hidden || err.getClientRects().length === 0 ? null : err.textContent,
    menu: menu.value, menuText: menu.options[menu.selectedIndex].textContent,
    describe: document.getElementById('describe').textContent,
    viewShown: !document.getElementById('expr-view').hidden,
    xmin: document.getElementById('xmin').value, ymax: document.getElementById('ymax').value,
  };
})()"#;

impl Page {
    /// Clicks the middle of element `id` with the mouse.
    fn click(&self, id: &str) {
        let r = self.js(&format!(
            "(() => {{ const r = document.getElementById('{id}').getBoundingClientRect(); \
             return [r.left + r.width / 2, r.top + r.height / 2]; }})()"
        ));
        let (x, y) = (r[0].as_f64().unwrap(), r[1].as_f64().unwrap());
        self.tab
            .click_point(Point { x, y })
            .unwrap_or_else(|e| panic!("click #{id}: {e}"));
    }

    /// Clicks the text box `id`, selects what it holds and types `text` over it, key by key.
    fn type_into(&self, id: &str, text: &str) {
        self.tab.bring_to_front().expect("bring the tab to front");
        self.click(id);
        assert_eq!(
            self.js("document.activeElement && document.activeElement.id"),
            json!(id),
            "#{id} did not take the focus"
        );
        self.js(&format!("document.getElementById('{id}').select()"));
        self.tab.type_str(text).expect("type");
    }

    fn ui(&self) -> Value {
        self.js(EXPR_UI)
    }
}

/// What must not change when an expression is rejected. (Numbers compare as JSON: whole
/// numbers come back from the page as integers.)
fn essentials(s: &Value) -> Value {
    json!([
        s["surface"],
        s["expr"],
        s["view"],
        s["start"],
        s["trajectory"]
    ])
}

#[test]
fn typing_an_expression_redraws_and_a_bad_one_keeps_the_plot() {
    let page = Page::open(1280, 800);
    let before = page.state();
    let bg0 = page.js(BG_HASH);

    // A good expression, typed and committed with Enter.
    page.type_into("expr", "x^2+10*y^2");
    page.tab.press_key("Enter").expect("press Enter");
    let drawn = page.wait_state("the typed surface", |s| s["surface"] == json!("expr"));
    assert_eq!(drawn["expr"], json!("x^2 + 10*y^2"), "{}", brief(&drawn));
    assert_eq!(drawn["view"], json!({"x": [-3, 3], "y": [-3, 3]}));
    assert_eq!(drawn["trajectory"][0][0], json!(1.5), "{}", brief(&drawn));
    assert_ne!(drawn["trajectory"], before["trajectory"]);
    let bg1 = page.js(BG_HASH);
    assert_ne!(
        bg1, bg0,
        "the background was not redrawn for the typed surface"
    );
    let ui = page.ui();
    assert_eq!(
        ui["text"],
        json!("x^2 + 10*y^2"),
        "the box shows the normalised text: {ui}"
    );
    assert_eq!(ui["error"], Value::Null, "{ui}");
    assert_eq!(ui["menu"], json!("expr"), "{ui}");
    assert_eq!(ui["menuText"], json!("your f(x, y)"), "{ui}");
    assert!(
        ui["describe"].as_str().unwrap().contains("x^2 + 10*y^2"),
        "{ui}"
    );
    assert_eq!(ui["viewShown"], json!(true), "{ui}");
    page.assert_healthy();

    // A bad one: the message with its position beside the box; plot and state unchanged.
    page.type_into("expr", "x^2 + sinn(y)");
    page.tab.press_key("Enter").expect("press Enter");
    let start = Instant::now();
    let ui = loop {
        let ui = page.ui();
        if ui["error"].is_string() || start.elapsed() > Duration::from_secs(5) {
            break ui;
        }
        std::thread::sleep(Duration::from_millis(25));
    };
    let error = ui["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("unknown function 'sinn' at 6..10"),
        "#expr-error: {ui}"
    );
    assert_eq!(
        ui["text"],
        json!("x^2 + sinn(y)"),
        "the bad text stays to be fixed"
    );
    assert_eq!(
        ui["selection"],
        json!([6, 10]),
        "the bad part is selected: {ui}"
    );
    assert_eq!(ui["menu"], json!("expr"), "{ui}");
    assert_eq!(
        essentials(&page.state()),
        essentials(&drawn),
        "the state changed"
    );
    assert_eq!(page.js(BG_HASH), bg1, "the plot changed");
    // Nothing went to the page-wide notices or the fatal error box.
    let notices = page.js("document.getElementById('notices').textContent");
    assert!(!notices.as_str().unwrap().contains("sinn"), "{notices}");
    page.assert_healthy();

    // Fixed and drawn with the button instead of Enter.
    page.type_into("expr", "sin(x)*cos(y)");
    page.click("expr-apply");
    let fixed = page.wait_state("the fixed expression", |s| {
        s["expr"] == json!("sin(x)*cos(y)")
    });
    assert_eq!(page.ui()["error"], Value::Null);
    assert_ne!(page.js(BG_HASH), bg1);
    let dir = xtask::target_dir().join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("expr-1280x800.png"), page.screenshot()).unwrap();
    assert!(fixed["trajectory"].as_array().is_some_and(|t| t.len() > 1));
    page.assert_healthy();
}

#[test]
fn the_view_is_settable_and_a_catalog_surface_leaves_expression_mode() {
    let page = Page::open(1280, 800);
    page.js("window.gdviz.set({expr: 'x^2 - y^2 + 0.1*x^4', xrange: [-6, 6]})");
    let s = page.state();
    assert_eq!(
        s["view"],
        json!({"x": [-6, 6], "y": [-3, 3]}),
        "{}",
        brief(&s)
    );
    assert_eq!(s["xrange"], json!([-6, 6]));
    let ui = page.ui();
    assert_eq!(
        (ui["xmin"].clone(), ui["ymax"].clone()),
        (json!("-6"), json!("3")),
        "{ui}"
    );

    // The view boxes, typed into and committed with Tab.
    let bg = page.js(BG_HASH);
    page.type_into("ymax", "5");
    page.tab.press_key("Tab").expect("press Tab");
    let s = page.wait_state("the new y range", |s| s["view"]["y"] == json!([-3, 5]));
    assert_eq!(s["surface"], json!("expr"));
    assert_ne!(page.js(BG_HASH), bg, "a new view redraws the plot");

    // A bad range: a message beside the box, the view stays.
    page.type_into("xmin", "7");
    page.tab.press_key("Tab").expect("press Tab");
    let start = Instant::now();
    while page.ui()["error"].is_null() && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(25));
    }
    let ui = page.ui();
    assert!(
        ui["error"]
            .as_str()
            .unwrap_or_default()
            .starts_with("xrange: "),
        "{ui}"
    );
    assert_eq!(page.state()["view"]["x"], json!([-6, 6]));
    assert_eq!(
        ui["xmin"],
        json!("-6"),
        "the box goes back to the view in force: {ui}"
    );

    // A catalog surface from the menu: out of expression mode; the menu entry brings it back.
    page.js(
        "(() => { const m = document.getElementById('surface'); m.value = 'booth'; \
         m.dispatchEvent(new Event('change', { bubbles: true })); })()",
    );
    let s = page.wait_state("booth", |s| s["surface"] == json!("booth"));
    assert_eq!(s.get("expr"), None, "{}", brief(&s));
    assert_eq!(page.ui()["viewShown"], json!(false));
    assert_eq!(
        page.ui()["error"],
        Value::Null,
        "a surface change clears the old error"
    );
    page.js(
        "(() => { const m = document.getElementById('surface'); m.value = 'expr'; \
         m.dispatchEvent(new Event('change', { bubbles: true })); })()",
    );
    let s = page.wait_state("the expression again", |s| s["surface"] == json!("expr"));
    assert_eq!(s["expr"], json!("x^2 - y^2 + 0.1*x^4"));
    assert_eq!(s["view"]["x"], json!([-3, 3]), "back to the default view");
    page.assert_healthy();
}
