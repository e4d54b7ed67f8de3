//! The full page in an iframe on another origin, talking to its host page (www/frame.js and the
//! host's helper www/gdviz-host.js), in a real browser: the host fits the frame to the height it
//! posts and hears its events from a real slider drag, drives it with `set()`/`state()`, and
//! hostile messages are answered with errors or notices; a page the frame's `origin=` does not
//! list changes nothing and hears nothing.

mod common;

use common::Page;
use headless_chrome::protocol::cdp::Input;
use serde_json::{json, Value};

/// The host fixture: puts `?frame=URL` in an iframe and connects to it (`&connect=0`: only
/// embeds it).
const HOST: &str = "xtask/tests/pages/host.html";

fn origin(server: &xtask::Server) -> String {
    server.url().trim_end_matches('/').to_string()
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn mouse(page: &Page, kind: &str, (x, y): (f64, f64), buttons: u32) {
    let event: Input::DispatchMouseEvent = serde_json::from_value(json!({
        "type": kind, "x": x, "y": y, "button": "left", "buttons": buttons, "clickCount": 1
    }))
    .unwrap();
    page.tab.call_method(event).expect("mouse event");
}

fn frames(page: &Page, n: usize) {
    page.js(&format!(
        "new Promise(r => {{ let k = {n}; const f = () => (--k > 0 ? requestAnimationFrame(f) : r()); requestAnimationFrame(f); }})"
    ));
}

/// Polls `expr` in the frame of origin `at` until it is `want` (up to 5 s).
fn wait_frame(page: &Page, at: &str, expr: &str, want: Value) {
    let start = std::time::Instant::now();
    loop {
        let got = page.frame_js(at, expr);
        if got == want {
            return;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(5),
            "{expr} in the frame is {got}, not {want}"
        );
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
}

fn assert_clean(page: &Page) {
    frames(page, 2);
    let problems = page.problems();
    assert!(problems.is_empty(), "the pages reported: {problems:#?}");
}

#[test]
fn a_host_on_another_origin_fits_the_frame_hears_its_events_and_drives_it() {
    let gdviz = xtask::serve(&xtask::repo_root(), 0).expect("serve gdviz");
    let host = xtask::serve(&xtask::repo_root(), 0).expect("serve the host page");
    let (at, host_origin) = (origin(&gdviz), origin(&host));
    assert_ne!(at, host_origin);
    let frame = format!(
        "{}index.html?embed=1&surface=booth&lr=0.1&controls=lr&question=within:50&origin={}",
        gdviz.url(),
        encode(&host_origin)
    );
    let url = format!("{}{HOST}?frame={}", host.url(), encode(&frame));
    let page = Page::open_url(1000, 1400, Some(host), &url);

    // The frame is as tall as its content, from the height it posted (the fixture gave 200 px).
    wait_frame(
        &page,
        &at,
        "document.body?.dataset.ready ?? null",
        json!("1"),
    );
    let content = page.frame_js(
        &at,
        "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(Math.ceil(document.documentElement.getBoundingClientRect().height)))))",
    );
    let fitted = page.js(&format!(
        "new Promise(r => {{ const f = document.querySelector('iframe'); \
         const check = () => (f.clientHeight === {content} ? r(f.clientHeight) : setTimeout(check, 25)); check(); }})"
    ));
    assert_eq!(fitted, content);
    assert!(content.as_f64().unwrap() > 400.0, "{content}");
    let scroll = page.frame_js(&at, "document.documentElement.scrollHeight <= innerHeight");
    assert_eq!(scroll, json!(true), "the fitted frame scrolls");
    // The origin is kept in the frame's address, as embed is.
    let address = page.frame_js(
        &at,
        "new Promise(r => setTimeout(() => r(location.search), 400))",
    );
    assert!(
        address
            .as_str()
            .unwrap()
            .contains(&format!("origin={}", encode(&host_origin))),
        "{address}"
    );

    // A real drag on the frame's slider, to its right end: the host hears the changes and one
    // divergence, however many frames show a diverged run.
    let slider = page.frame_js(
        &at,
        r#"(() => {
          const s = document.getElementById('lr');
          const r = s.getBoundingClientRect();
          const f = (Number(s.value) - Number(s.min)) / (Number(s.max) - Number(s.min));
          return { x: r.left + 8 + f * (r.width - 16), y: r.top + r.height / 2, right: r.right - 2 };
        })()"#,
    );
    let offset = page.js(
        "(() => { const r = document.querySelector('iframe').getBoundingClientRect(); return [r.left, r.top]; })()",
    );
    let (dx, dy) = (offset[0].as_f64().unwrap(), offset[1].as_f64().unwrap());
    let (x0, y, right) = (
        slider["x"].as_f64().unwrap() + dx,
        slider["y"].as_f64().unwrap() + dy,
        slider["right"].as_f64().unwrap() + dx,
    );
    assert!(y < 1400.0, "the slider is off screen: {slider}");
    page.js("window.heard.splice(0)");
    mouse(&page, "mousePressed", (x0, y), 1);
    for k in 1..=10 {
        mouse(
            &page,
            "mouseMoved",
            (x0 + (right - x0) * k as f64 / 10.0, y),
            1,
        );
    }
    mouse(&page, "mouseReleased", (right, y), 0);
    let lr = page.frame_js(
        &at,
        "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(window.gdviz.state().lr))))",
    );
    let heard = page.js(&format!(
        "new Promise(r => {{ const check = () => {{ const c = window.heard.filter(h => h[0] === 'change'); \
         return c.length && c[c.length - 1][1] === {lr} ? r(window.heard.splice(0)) : setTimeout(check, 25); }}; check(); }})"
    ));
    let heard = heard.as_array().unwrap();
    let kinds: Vec<&str> = heard
        .iter()
        .map(|h| h[0].as_str().unwrap())
        .filter(|k| *k != "height")
        .collect();
    assert!(
        kinds.iter().filter(|k| **k == "change").count() >= 2,
        "{heard:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "diverged").count(),
        1,
        "{heard:?}"
    );
    assert!(
        heard
            .iter()
            .filter(|h| h[0] == "change")
            .filter(|h| h[2] == "diverged")
            .count()
            >= 2,
        "{heard:?}"
    );
    let said = page.js("document.getElementById('said').textContent");
    assert!(
        said.as_str().unwrap().starts_with("Diverged at step"),
        "{said}"
    );

    // The host drives the frame: set() and state() answer with the frame's state.
    let v = page.js(
        "window.viz.set({ lr: 0.05, steps: 40 }).then(async (a) => ({ set: a, now: await window.viz.state() }))",
    );
    assert_eq!(v["set"]["state"]["lr"], json!(0.05), "{v}");
    assert_eq!(v["set"]["notices"], json!([]), "{v}");
    assert_eq!(v["now"]["steps"], json!(40), "{v}");
    assert_eq!(page.frame_js(&at, "window.gdviz.state().lr"), json!(0.05));
    // A rejected option is a notice, shown in the frame and sent back; the rest applies.
    let v = page.js("window.viz.set({ lr: -3, steps: 30 })");
    assert_eq!(v["state"]["lr"], json!(0.05), "{v}");
    assert_eq!(v["state"]["steps"], json!(30), "{v}");
    let notice = v["notices"][0].as_str().unwrap_or_default();
    assert!(notice.starts_with("lr:"), "{v}");
    assert_eq!(
        page.frame_js(&at, "document.getElementById('notices').textContent"),
        json!(notice)
    );

    // Hostile messages from the listed host: errors or notices, never a stopped page.
    let answers = page.js(&format!(
        r#"(async () => {{
          const f = document.querySelector('iframe');
          const send = (m) => f.contentWindow.postMessage(m, '{at}');
          window.received.splice(0);
          let deep = 0.2;
          for (let i = 0; i < 300; i++) deep = {{ x: [deep] }};
          send(42);
          send('gdviz:set');
          send(null);
          send([1, 2, 3]);
          send({{ type: 'other-library', id: 'x' }});
          send({{ type: 'gdviz:set', options: 5, id: 'not-an-object' }});
          send({{ type: 'gdviz:set', options: {{ lr: deep }}, id: 'deep' }});
          send({{ type: 'gdviz:set', options: {{ runs: new Array(100000).fill({{ lr: 1 }}) }}, id: 'huge' }});
          send({{ type: 'gdviz:set', options: {{ lr: 'x'.repeat(1000000) }}, id: 'long' }});
          send({{ type: 'gdviz:set', options: {{ surface: '<img src=x onerror=alert(1)>' }}, id: 7 }});
          send({{ type: 'gdviz:eval', id: 'unknown' }});
          send({{ type: 'gdviz:' + 'x'.repeat(100000), id: 'x'.repeat(5000) }});
          send({{ type: 'gdviz:get', id: 'last' }});
          await new Promise((r) => {{
            const check = () => (window.received.some(m => m.data && m.data.id === 'last') ? r() : setTimeout(check, 25));
            check();
          }});
          return window.received.filter(m => m.data && m.data.type !== 'gdviz:height' && m.data.type !== 'gdviz:change')
            .map(m => ({{ origin: m.origin, type: m.data.type, id: m.data.id, lr: m.data.state && m.data.state.lr,
                         text: String(m.data.message ?? (m.data.notices || []).join(' | ')).slice(0, 200) }}));
        }})()"#
    ));
    let by_id = |id: Value| -> Value {
        answers
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no answer for {id}: {answers:#}"))
    };
    assert!(
        answers
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["origin"] == json!(at)),
        "{answers:#}"
    );
    assert_eq!(
        answers.as_array().unwrap().len(),
        8,
        "one answer per gdviz message: {answers:#}"
    );
    let a = by_id(json!("not-an-object"));
    assert_eq!(a["type"], json!("gdviz:error"), "{a}");
    assert!(a["text"].as_str().unwrap().contains("object"), "{a}");
    for (id, says) in [
        (json!("deep"), "nested too deeply"),
        (json!("huge"), "100000 items"),
        (json!("long"), "characters"),
        (json!(7), "surface:"),
    ] {
        let a = by_id(id.clone());
        assert_eq!(a["type"], json!("gdviz:state"), "{a}");
        assert_eq!(a["lr"], json!(0.05), "{id}: nothing changed: {a}");
        assert!(a["text"].as_str().unwrap().contains(says), "{id}: {a}");
    }
    let a = by_id(json!("unknown"));
    assert_eq!(a["type"], json!("gdviz:error"), "{a}");
    assert!(
        a["text"].as_str().unwrap().contains("unknown message type"),
        "{a}"
    );
    let a = by_id(Value::Null);
    assert_eq!(
        a["type"],
        json!("gdviz:error"),
        "an over-long id is not echoed: {a}"
    );
    assert_eq!(by_id(json!("last"))["lr"], json!(0.05));
    assert_eq!(
        page.frame_js(&at, "[document.querySelectorAll('img').length, window.gdviz.state().lr, document.getElementById('error').hidden]"),
        json!([0, 0.05, true])
    );

    // The frame's exercise (`question=within:50`): Check, and the host hears the verdict (at
    // γ = 0.05 Booth's gradient descent needs far more than 50 steps).
    page.js("window.heard.splice(0)");
    page.frame_js(
        &at,
        "(() => { document.querySelector('#exercise-choices button').click(); return true; })()",
    );
    let heard = page.js(
        "new Promise(r => { const f = () => { const a = window.heard.find(h => h[0] === 'answer'); a ? r(a) : setTimeout(f, 25); }; f(); })",
    );
    assert_eq!(heard[1], json!("within:50"), "{heard}");
    assert_eq!(heard[2], json!(false), "{heard}");
    assert!(
        heard[3]
            .as_str()
            .unwrap()
            .starts_with("sgd, lr 0.05 has not converged in its "),
        "{heard}"
    );
    assert_clean(&page);
    drop(gdviz);
}

#[test]
fn a_page_the_frame_does_not_list_changes_nothing_and_hears_nothing() {
    let gdviz = xtask::serve(&xtask::repo_root(), 0).expect("serve gdviz");
    let listed = xtask::serve(&xtask::repo_root(), 0).expect("the listed host");
    let stranger = xtask::serve(&xtask::repo_root(), 0).expect("the unlisted host");
    let at = origin(&gdviz);
    let frame = format!(
        "{}index.html?embed=1&surface=booth&lr=0.1&origin={}",
        gdviz.url(),
        encode(&origin(&listed))
    );
    let url = format!(
        "{}{HOST}?connect=0&frame={}",
        stranger.url(),
        encode(&frame)
    );
    let page = Page::open_url(1000, 1000, Some(stranger), &url);
    wait_frame(
        &page,
        &at,
        "document.body?.dataset.ready ?? null",
        json!("1"),
    );
    // What the frame receives, seen from inside it, to know when the messages have arrived.
    page.frame_js(
        &at,
        "(() => { window.got = 0; addEventListener('message', () => window.got++); })()",
    );
    let before = page.frame_js(&at, "window.gdviz.state()");
    page.js(r#"(() => {
          const f = document.querySelector('iframe').contentWindow;
          f.postMessage({ type: 'gdviz:set', options: { lr: 0.3, steps: 12 }, id: 1 }, '*');
          f.postMessage({ type: 'gdviz:get', id: 2 }, '*');
        })()"#);
    wait_frame(&page, &at, "window.got", json!(2));
    frames(&page, 3);
    let after = page.frame_js(&at, "window.gdviz.state()");
    assert_eq!(after["lr"], before["lr"], "an unlisted page changed the lr");
    assert_eq!(after["trajectory"], before["trajectory"]);
    assert_eq!(
        page.frame_js(&at, "document.getElementById('notices').textContent"),
        json!("")
    );
    // Nothing at all reached the unlisted page: no answer, no event, not even the height.
    assert_eq!(page.js("window.received"), json!([]));
    assert_clean(&page);
    drop((gdviz, listed));
}

#[test]
fn a_malformed_origin_is_a_notice() {
    let page = Page::open_at(
        1000,
        900,
        "?embed=1&origin=*,https://course.example.org/week2,javascript:alert(1),https://ok.example.org",
    );
    let notices = page.js("document.getElementById('notices').textContent");
    let text = notices.as_str().unwrap();
    for part in ["'*'", "course.example.org/week2", "javascript:alert(1)"] {
        assert!(text.contains(part), "no notice about {part}: {text}");
    }
    assert!(!text.contains("ok.example.org"), "{text}");
    assert_eq!(
        page.js("window.gdviz.origins"),
        json!(["https://ok.example.org"])
    );
    let link = page.js("window.gdviz.link()");
    assert!(
        link.as_str()
            .unwrap()
            .contains("origin=https%3A%2F%2Fok.example.org"),
        "{link}"
    );
    assert_eq!(page.problems(), Vec::<String>::new());
}
