//! The browser-test harness shared by every `xtask/tests/*_browser.rs` file and `browser.rs`:
//! one headless Chromium per test binary, the page served by the xtask server, console errors
//! and failed loads collected, JavaScript evaluated through `JSON.stringify`.
#![allow(dead_code)] // each test binary uses a different part of it

use std::ffi::OsStr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Emulation, Log, Page as CdpPage, Runtime, Target};
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::{json, Value};

pub const READY_TIMEOUT: Duration = Duration::from_secs(20);

/// `#error`'s text, for messages.
pub const ERROR_TEXT: &str = r#"(() => {
  const e = document.getElementById('error');
  return e ? e.textContent : '(no #error element)';
})()"#;

/// Whether `#error` is shown, and its text.
pub const ERROR_VISIBILITY: &str = r#"(() => {
  const e = document.getElementById('error');
  if (!e) return { missing: true };
  const cs = getComputedStyle(e);
  const hidden = e.hidden || cs.display === 'none' || cs.visibility === 'hidden'
    || e.getClientRects().length === 0;
  return { hidden, text: e.textContent };
})()"#;

pub fn chrome_path() -> PathBuf {
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
pub fn browser() -> Arc<Browser> {
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
pub struct Page {
    pub tab: Arc<Tab>,
    /// Console errors, uncaught exceptions and failed loads seen so far.
    pub problems: Arc<Mutex<Vec<String>>>,
    /// The JavaScript contexts of the page and its frames, `(id, origin)`, newest last
    /// (`frame_js` evaluates in a frame of another origin).
    pub contexts: Arc<Mutex<Vec<(Runtime::ExecutionContextId, String)>>>,
    /// The server of the page, if it was served (not for `file://`).
    pub _server: Option<xtask::Server>,
    pub _browser: Arc<Browser>,
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
    pub fn open(width: u32, height: u32) -> Page {
        Page::open_at(width, height, "")
    }

    /// Opens the page at `query` (e.g. `?lesson=saddle`).
    pub fn open_at(width: u32, height: u32, query: &str) -> Page {
        Page::open_with(width, height, query, &[])
    }

    /// Opens the page at `query`, served with the extra response `headers`.
    pub fn open_with(width: u32, height: u32, query: &str, headers: &[(&str, &str)]) -> Page {
        let wasm = xtask::pkg_wasm();
        assert!(
            wasm.is_file(),
            "{} is missing: run `cargo xtask build` first (`cargo xtask test` does)",
            wasm.display()
        );
        let server = xtask::serve_with_headers(
            &xtask::repo_root(),
            0,
            std::env::var_os("GDVIZ_SERVE_LOG").is_some(),
            headers,
        )
        .expect("start the xtask server");
        let url = format!("{}{query}", server.url());
        Page::open_url(width, height, Some(server), &url)
    }

    /// Opens `url` (served by `server`, or a `file://` address) in a `width`×`height`
    /// viewport and waits until the page says it is ready.
    pub fn open_url(width: u32, height: u32, server: Option<xtask::Server>, url: &str) -> Page {
        let browser = browser();
        // A window of its own: a tab behind another tab of its window gets no animation frames,
        // and tests run in parallel (and some open a second page).
        let tab = browser
            .new_tab_with_options(Target::CreateTarget {
                url: "about:blank".to_string(),
                left: None,
                top: None,
                width: Some(width),
                height: Some(height),
                window_state: None,
                browser_context_id: None,
                enable_begin_frame_control: None,
                new_window: Some(true),
                background: None,
                for_tab: None,
                hidden: None,
            })
            .expect("open a window");
        tab.set_default_timeout(Duration::from_secs(20));
        let metrics: Emulation::SetDeviceMetricsOverride = serde_json::from_value(json!({
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false
        }))
        .unwrap();
        tab.call_method(metrics).expect("set the viewport size");

        let problems = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&problems);
        let contexts = Arc::new(Mutex::new(Vec::new()));
        let known = Arc::clone(&contexts);
        tab.add_event_listener(Arc::new(move |event: &Event| {
            let mut known = known.lock().unwrap_or_else(|e| e.into_inner());
            match event {
                Event::RuntimeExecutionContextCreated(e) => {
                    let c = &e.params.context;
                    known.push((c.id, c.origin.clone()));
                }
                Event::RuntimeExecutionContextDestroyed(e) => {
                    known.retain(|(id, _)| *id != e.params.execution_context_id);
                }
                Event::RuntimeExecutionContextsCleared(_) => known.clear(),
                _ => {}
            }
            drop(known);
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
            contexts,
            _server: server,
            _browser: browser,
        };
        page.go(url);
        page
    }

    /// Loads `url` in the tab and waits until the new document is ready.
    pub fn go(&self, url: &str) {
        self.leaving(|| {
            self.tab.navigate_to(url).expect("load the page");
        });
    }

    /// Reloads the page and waits until the new document is ready.
    pub fn reload(&self) {
        self.leaving(|| {
            self.tab.reload(false, None).expect("reload the page");
        });
    }

    /// Marks the current document, runs `navigate`, and waits for a ready document that is not
    /// the marked one. Not headless_chrome's `wait_until_navigated`: it raises its flag after
    /// Page.navigate returns, so a page that reaches networkAlmostIdle first (a fast local
    /// page on a loaded machine) leaves it waiting for an event that already came.
    fn leaving(&self, navigate: impl FnOnce()) {
        let _ = self.tab.evaluate("window.__gdvizLeaving = true", false);
        navigate();
        let start = Instant::now();
        loop {
            // The document changes under us: an evaluation may fail, and is retried.
            let ready = self.tab.evaluate(
                "!window.__gdvizLeaving && !!document.body && document.body.dataset.ready === '1'",
                false,
            );
            if matches!(ready, Ok(r) if r.value == Some(Value::Bool(true))) {
                return;
            }
            // Twice the readiness budget: on a loaded machine, compiling the wasm module alone
            // can take seconds.
            if start.elapsed() > 2 * READY_TIMEOUT {
                // Say why, from whatever document is there.
                self.wait_ready();
                panic!(
                    "the page stayed the old document for {:?}",
                    2 * READY_TIMEOUT
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_ready(&self) {
        let start = Instant::now();
        loop {
            let ready = self.js("document.body && document.body.dataset.ready === '1'");
            if ready == json!(true) {
                return;
            }
            if start.elapsed() > READY_TIMEOUT {
                let error = self.js(ERROR_TEXT);
                let has_api = self.js("typeof window.gdviz");
                // What had loaded, to tell a stalled request from a slow machine.
                let loaded = self.js(
                    "[document.readyState, performance.getEntriesByType('resource').map(r => `${r.name.split('/').pop()} ${Math.round(r.duration)} ms`)]",
                );
                panic!(
                    "the page did not set document.body.dataset.ready = \"1\" within {:?}; \
                     typeof window.gdviz = {has_api}; #error: {error}; loaded: {loaded}; problems: {:#?}",
                    READY_TIMEOUT,
                    self.problems()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Evaluates `expr` (awaited if it is a Promise) and returns it through `JSON.stringify`;
    /// a thrown error fails the test with its message.
    pub fn js(&self, expr: &str) -> Value {
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

    pub fn state(&self) -> Value {
        self.js("window.gdviz.state()")
    }

    /// [`Page::js`] in the newest context whose origin is `origin` (e.g. `http://127.0.0.1:PORT`):
    /// a frame of another origin, which the page's own scripts cannot reach. Waits up to
    /// [`READY_TIMEOUT`] for such a context to exist.
    pub fn frame_js(&self, origin: &str, expr: &str) -> Value {
        let start = Instant::now();
        let context = loop {
            let found = self
                .contexts
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .rev()
                .find(|(_, o)| o == origin)
                .map(|(id, _)| *id);
            if let Some(id) = found {
                break id;
            }
            assert!(
                start.elapsed() < READY_TIMEOUT,
                "no JavaScript context of {origin} in the page"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let wrapped = format!(
            "(async () => {{ try {{ return JSON.stringify({{ ok: await ({expr}) }}); }} \
             catch (e) {{ return JSON.stringify({{ err: String((e && e.stack) || e) }}); }} }})()"
        );
        let result = self
            .tab
            .call_method(Runtime::Evaluate {
                expression: wrapped,
                object_group: None,
                include_command_line_api: None,
                silent: None,
                context_id: Some(context),
                return_by_value: Some(true),
                generate_preview: None,
                user_gesture: None,
                await_promise: Some(true),
                throw_on_side_effect: None,
                timeout: None,
                disable_breaks: None,
                repl_mode: None,
                allow_unsafe_eval_blocked_by_csp: None,
                unique_context_id: None,
                serialization_options: None,
            })
            .unwrap_or_else(|e| panic!("evaluate {expr} in {origin}: {e}"));
        let text = match result.result.value {
            Some(Value::String(s)) => s,
            other => panic!("evaluate {expr} in {origin}: unexpected result {other:?}"),
        };
        let mut value: Value = serde_json::from_str(&text).expect("JSON from the frame");
        if let Some(err) = value.get("err") {
            panic!(
                "{expr} threw in {origin}: {}",
                err.as_str().unwrap_or_default()
            );
        }
        value.get_mut("ok").map(Value::take).unwrap_or(Value::Null)
    }

    /// Polls `state()` until `done` holds (up to 5 s); returns the last state.
    pub fn wait_state(&self, what: &str, done: impl Fn(&Value) -> bool) -> Value {
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

    pub fn problems(&self) -> Vec<String> {
        self.problems
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// `None` if `#error` is hidden (or empty and zero-sized), else its text.
    pub fn visible_error(&self) -> Option<String> {
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
    pub fn assert_healthy(&self) {
        self.js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
        let problems =
            std::mem::take(&mut *self.problems.lock().unwrap_or_else(|e| e.into_inner()));
        assert!(problems.is_empty(), "the page reported: {problems:#?}");
        if let Some(text) = self.visible_error() {
            panic!("#error is visible: {text:?}");
        }
    }

    pub fn screenshot(&self) -> Vec<u8> {
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

pub fn remote_text(o: &Runtime::RemoteObject) -> String {
    match (&o.value, &o.description) {
        (Some(Value::String(s)), _) => s.clone(),
        (Some(v), _) => v.to_string(),
        (None, Some(d)) => d.clone(),
        (None, None) => format!("{:?}", o.Type),
    }
}

/// A state without its (long) trajectory, for messages.
pub fn brief(state: &Value) -> String {
    let mut s = state.clone();
    if let Some(t) = s.get_mut("trajectory") {
        let n = t.as_array().map_or(0, Vec::len);
        *t = json!(format!("[{n} rows]"));
    }
    s.to_string()
}

pub fn num(v: &Value, what: &str) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("{what} is not a number: {v}"))
}

pub fn pair(v: &Value, what: &str) -> (f64, f64) {
    (num(&v[0], what), num(&v[1], what))
}

/// Width and height from a PNG's IHDR chunk.
pub fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(
        png.len() > 1000 && png.starts_with(b"\x89PNG\r\n\x1a\n") && &png[12..16] == b"IHDR",
        "not a PNG screenshot ({} bytes)",
        png.len()
    );
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

/// The view the plot draws: `state.view` padded about its centre so one unit of x and one of y
/// are the same number of pixels of `state.plot` (every surface the browser tests click on has
/// parameters of one kind). `((x0, x1), (y0, y1))`.
pub fn drawn_view(state: &Value) -> ((f64, f64), (f64, f64)) {
    let (x, y) = (
        pair(&state["view"]["x"], "view.x"),
        pair(&state["view"]["y"], "view.y"),
    );
    let (w, h) = (
        num(&state["plot"]["width"], "plot.width"),
        num(&state["plot"]["height"], "plot.height"),
    );
    let ppu = (w / (x.1 - x.0)).min(h / (y.1 - y.0));
    let grow = |(a, b): (f64, f64), span: f64| {
        let c = (a + b) / 2.0;
        ((c - span / 2.0).min(a), (c + span / 2.0).max(b))
    };
    (grow(x, w / ppu), grow(y, h / ppu))
}

/// The static build (`xtask::dist::site`) in `target/tmp/<name>` with the second module's wasm
/// missing, as on a half-uploaded site, served on a free port.
pub fn serve_without_lab(name: &str) -> xtask::Server {
    let root = xtask::target_dir().join("tmp").join(name);
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    xtask::dist::site(&root).expect("the static build");
    std::fs::remove_file(root.join("www/pkg/gdviz_lab_bg.wasm")).unwrap();
    xtask::serve(&root, 0).expect("serve the static build")
}

/// Polls `expr` in `page` (up to 60 s) until `done` holds; returns its last value.
pub fn wait(page: &Page, expr: &str, done: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let v = page.js(expr);
        if done(&v) {
            return v;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "{expr}: {v}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Real key presses of `key` on the focused element.
pub fn press(page: &Page, key: &str, times: usize) {
    let (code, vk) = match key {
        "ArrowRight" => ("ArrowRight", 39),
        "ArrowLeft" => ("ArrowLeft", 37),
        "ArrowDown" => ("ArrowDown", 40),
        "ArrowUp" => ("ArrowUp", 38),
        "1" => ("Digit1", 49),
        "2" => ("Digit2", 50),
        "3" => ("Digit3", 51),
        "Enter" => ("Enter", 13),
        other => panic!("no key code for {other}"),
    };
    for _ in 0..times {
        for kind in ["keyDown", "keyUp"] {
            let text = if key == "Enter" && kind == "keyDown" {
                "\r"
            } else if key.len() == 1 && kind == "keyDown" {
                key
            } else {
                ""
            };
            let event: headless_chrome::protocol::cdp::Input::DispatchKeyEvent =
                serde_json::from_value(json!({
                    "type": kind, "key": key, "code": code, "text": text,
                    "windowsVirtualKeyCode": vk,
                }))
                .unwrap();
            page.tab.call_method(event).expect("key event");
        }
    }
}

/// The lesson box's text once it is there: Network mode's lessons get theirs with the second
/// module, and say "Loading the lesson…" until then.
pub fn lesson_text(page: &Page) -> String {
    let t = wait(
        page,
        "document.getElementById('lesson-text').textContent",
        |t| t.as_str().is_some_and(|t| !t.starts_with("Loading")),
    );
    t.as_str().unwrap().to_string()
}

/// A real mouse event of `kind` (`mousePressed`, `mouseMoved`, `mouseReleased`) at `(x, y)`
/// with the left button, `buttons` held.
pub fn mouse(page: &Page, kind: &str, (x, y): (f64, f64), buttons: u32) {
    let event: headless_chrome::protocol::cdp::Input::DispatchMouseEvent =
        serde_json::from_value(json!({
            "type": kind, "x": x, "y": y, "button": "left", "buttons": buttons, "clickCount": 1
        }))
        .unwrap();
    page.tab.call_method(event).expect("mouse event");
}

/// The centre of the element `selector`, scrolled into view.
pub fn centre(page: &Page, selector: &str) -> (f64, f64) {
    let r = page.js(&format!(
        "(() => {{ const e = document.querySelector({selector:?}); \
         e.scrollIntoView({{ block: 'center' }}); const r = e.getBoundingClientRect(); \
         return [r.left + r.width / 2, r.top + r.height / 2]; }})()"
    ));
    pair(&r, selector)
}

/// A real click at the centre of `selector`, once the element has stayed in place for two frames
/// and is what a pointer there would hit: a page whose captions grow while it computes moves its
/// controls, and under load a click measured a frame earlier lands on a neighbour. Fails if
/// that does not happen within 10 s (the element stays hidden, covered or moving).
pub fn click(page: &Page, selector: &str) {
    match steady_centre(page, selector, Duration::from_secs(10), false) {
        Ok(at) => press_at(page, at),
        Err(hit) => panic!(
            "{selector} did not hold still under the pointer for 10 s; the pointer hits {hit}"
        ),
    }
}

/// [`click`] for a monkey, which clicks what a person might, hidden or covered included:
/// waits up to a second for the element to hold still, then clicks at its centre whatever is
/// there.
pub fn poke(page: &Page, selector: &str) {
    let at = steady_centre(page, selector, Duration::from_secs(1), true)
        .unwrap_or_else(|_| centre(page, selector));
    press_at(page, at);
}

fn press_at(page: &Page, at: (f64, f64)) {
    mouse(page, "mousePressed", at, 1);
    mouse(page, "mouseReleased", at, 0);
}

/// The centre of `selector` once it is in the same place two frames apart (scrolled into view
/// once, then measured without scrolling, so a move shows) and is what a pointer there hits (or
/// contains it); else, after `patience`, what the pointer hits. An element that is not rendered
/// is waited for too, unless `hidden_ok`: then it is an error at once.
fn steady_centre(
    page: &Page,
    selector: &str,
    patience: Duration,
    hidden_ok: bool,
) -> Result<(f64, f64), String> {
    let start = Instant::now();
    loop {
        let r = page.js(&format!(
            "(async () => {{ const e = document.querySelector({selector:?}); \
             if (!e.getClientRects().length) return [0, 0, false, null]; \
             e.scrollIntoView({{ block: 'center' }}); \
             const at = () => {{ const r = e.getBoundingClientRect(); \
             return [r.left + r.width / 2, r.top + r.height / 2]; }}; \
             const a = at(); \
             await new Promise(f => requestAnimationFrame(() => requestAnimationFrame(f))); \
             const b = at(); const hit = document.elementFromPoint(b[0], b[1]); \
             return [b[0], b[1], a[0] === b[0] && a[1] === b[1] && !!hit && e.contains(hit), \
             hit ? hit.outerHTML.slice(0, 120) : 'nothing']; }})()"
        ));
        if r[2] == Value::Bool(true) {
            return Ok(pair(&json!([r[0], r[1]]), selector));
        }
        let why = match &r[3] {
            Value::Null => "nothing: it is not rendered".to_string(),
            hit => hit.to_string(),
        };
        if (hidden_ok && r[3].is_null()) || start.elapsed() >= patience {
            return Err(why);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
