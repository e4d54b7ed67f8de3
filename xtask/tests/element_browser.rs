//! `<gd-viz>` (www/gd-viz.js) as a course page uses it, in a real browser: attributes as options
//! (bad ones a notice), attribute changes applied, the events a page listens to (from a real
//! slider drag), removal and re-insertion, and the one-script page under the strict CSP.

mod common;

use common::Page;
use headless_chrome::protocol::cdp::Input;
use serde_json::{json, Value};

/// The test course page: only `<script type="module" src=".../gd-viz.js">` and two elements.
const COURSE: &str = "xtask/tests/pages/course.html";

fn frames(page: &Page, n: usize) {
    page.js(&format!(
        "new Promise(r => {{ let k = {n}; const f = () => (--k > 0 ? requestAnimationFrame(f) : r()); requestAnimationFrame(f); }})"
    ));
}

/// No console errors, exceptions or failed loads, and no instance showing an error.
fn assert_clean(page: &Page) {
    frames(page, 2);
    let problems = page.problems();
    assert!(problems.is_empty(), "the page reported: {problems:#?}");
    let shown = page.js(
        "[...document.querySelectorAll('.gdviz .gdviz-error')].filter(e => !e.hidden).map(e => e.textContent)",
    );
    assert_eq!(shown, json!([]), "an instance shows an error");
}

fn mouse(page: &Page, kind: &str, (x, y): (f64, f64), buttons: u32) {
    let event: Input::DispatchMouseEvent = serde_json::from_value(json!({
        "type": kind, "x": x, "y": y, "button": "left", "buttons": buttons, "clickCount": 1
    }))
    .unwrap();
    page.tab.call_method(event).expect("mouse event");
}

/// The element `sel`'s state without its on-screen position.
fn state(page: &Page, sel: &str) -> Value {
    let mut s = page.js(&format!("document.querySelector('{sel}').state()"));
    s.as_object_mut().unwrap().remove("plot");
    s
}

/// The notices shown in the element `sel`.
fn shown_notices(page: &Page, sel: &str) -> String {
    page.js(&format!(
        "document.querySelector('{sel}').querySelector('.gdviz-notices').textContent"
    ))
    .as_str()
    .unwrap()
    .to_string()
}

#[test]
fn attributes_are_the_options_and_a_change_applies() {
    let server = xtask::serve_with_headers(
        &xtask::repo_root(),
        0,
        false,
        &[("Content-Security-Policy", xtask::STRICT_CSP)],
    )
    .expect("serve the repository");
    let url = format!("{}{COURSE}", server.url());
    let page = Page::open_url(1000, 900, Some(server), &url);
    assert_clean(&page);

    // The attributes are the mount options: state, page keys and all, under the strict CSP, with
    // gdviz's stylesheet loaded by the module alone.
    let s = state(&page, "#first");
    assert_eq!(
        (&s["surface"], &s["lr"], &s["optimizer"]),
        (&json!("booth"), &json!(0.105), &json!("sgd"))
    );
    let look = page.js(
        r#"(() => {
          const el = document.getElementById('first');
          const shown = (g) => [...el.querySelectorAll(`[data-group="${g}"]`)].some(e => e.checkVisibility());
          return { embed: el.classList.contains('gdviz-embed'), lr: shown('lr'), optimizer: shown('optimizer'),
                   sheets: [...document.styleSheets].map(s => s.href.split('/').slice(-2).join('/')),
                   display: getComputedStyle(el).display, radius: getComputedStyle(el).borderTopLeftRadius };
        })()"#,
    );
    assert_eq!(
        look,
        json!({"embed": true, "lr": true, "optimizer": false, "sheets": ["www/style.css"],
               "display": "block", "radius": "10px"}),
        "embed, controls=lr and the stylesheet"
    );
    assert_eq!(state(&page, "#second")["optimizer"], json!("momentum"));

    // Changing an attribute applies it, as set() would.
    page.js("document.getElementById('first').setAttribute('lr', '0.05')");
    frames(&page, 2);
    let s = state(&page, "#first");
    assert_eq!(s["lr"], json!(0.05), "the new lr attribute applies");
    assert_eq!(s["surface"], json!("booth"));
    assert_eq!(
        page.js("document.querySelector('#first input[id$=\"-lr-value\"]').value"),
        json!("0.05"),
        "the slider's box follows"
    );

    // A bad value is a notice in the instance, and changes nothing.
    page.js("document.getElementById('first').setAttribute('lr', 'fast')");
    frames(&page, 2);
    assert_eq!(state(&page, "#first")["lr"], json!(0.05));
    let notice = shown_notices(&page, "#first");
    assert!(
        notice.starts_with("lr:") && notice.contains("fast"),
        "{notice:?}"
    );

    // Several attributes set in one go apply together: the surface's own lr range holds.
    page.js("(() => { const el = document.getElementById('first'); \
         el.setAttribute('surface', 'rosenbrock'); el.setAttribute('lr', '0.001'); })()");
    frames(&page, 2);
    let s = state(&page, "#first");
    assert_eq!(
        (&s["surface"], &s["lr"]),
        (&json!("rosenbrock"), &json!(0.001))
    );

    // A page key changes how the instance is mounted: controls=lr,optimizer shows the menu.
    page.js("document.getElementById('first').setAttribute('controls', 'lr,optimizer')");
    page.js("document.getElementById('first').ready");
    frames(&page, 2);
    let shown = page.js(
        "[...document.querySelectorAll('#first [data-group=\"optimizer\"]')].some(e => e.checkVisibility())",
    );
    assert_eq!(
        shown,
        json!(true),
        "controls=lr,optimizer shows the optimizer"
    );
    assert_eq!(state(&page, "#first")["surface"], json!("rosenbrock"));

    // Removing an option attribute mounts again from the others: the state of an element
    // written without it.
    page.js("document.getElementById('first').setAttribute('lr', '0.0005')");
    frames(&page, 2);
    assert_eq!(state(&page, "#first")["lr"], json!(0.0005));
    page.js("document.getElementById('first').removeAttribute('lr')");
    let again = page.js(
        r#"(async () => {
          const el = document.getElementById('first');
          await el.ready;
          const twin = document.createElement('gd-viz');
          for (const a of el.attributes) if (a.name !== 'id') twin.setAttribute(a.name, a.value);
          document.querySelector('main').appendChild(twin);
          await twin.ready;
          const [a, b] = [el.state(), twin.state()];
          twin.remove();
          return { same: JSON.stringify(a.trajectory) === JSON.stringify(b.trajectory), a: a.lr, b: b.lr,
                   instances: el.querySelectorAll('.gdviz-app').length };
        })()"#,
    );
    assert_eq!(again["same"], json!(true), "{again}");
    assert_eq!(again["a"], again["b"], "{again}");
    assert_ne!(
        again["a"],
        json!(0.0005),
        "the removed lr still holds: {again}"
    );
    assert_eq!(again["instances"], json!(1), "one instance in the element");
    assert_clean(&page);
}

#[test]
fn bad_attributes_are_notices_and_the_instance_works() {
    let page = Page::open_at(1000, 900, COURSE);
    let v = page.js(r#"(async () => {
          const el = document.createElement('gd-viz');
          el.setAttribute('surface', 'nowhere');
          el.setAttribute('lr', '-1');
          el.setAttribute('heading', '9');
          el.setAttribute('controls', 'lr,<img src=x onerror=alert(1)>');
          el.setAttribute('embed', 'maybe');
          el.setAttribute('origin', 'https://example.org');
          el.setAttribute('__proto__', '1');
          el.setAttribute('steps', '9'.repeat(3000));
          el.setAttribute('aria-label', 'A figure');
          el.setAttribute('data-x', '1');
          document.querySelector('main').appendChild(el);
          const h = await el.ready;
          const shown = el.querySelector('.gdviz-notices').textContent;
          await el.set({ steps: 20 });
          return { notices: el.notices, shown,
                   imgs: el.querySelectorAll('img').length, steps: el.state().trajectory.length,
                   surface: el.state().surface, handle: h.element === el };
        })()"#);
    let notices: Vec<&str> = v["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    for key in [
        "surface:",
        "lr:",
        "heading:",
        "controls:",
        "embed:",
        "origin:",
        "__proto__",
        "steps",
    ] {
        assert!(
            notices.iter().any(|n| n.contains(key)),
            "no notice about {key}: {notices:#?}"
        );
    }
    assert!(
        !notices
            .iter()
            .any(|n| n.contains("aria-label") || n.contains("data-x")),
        "global attributes are not options: {notices:#?}"
    );
    assert_eq!(v["imgs"], json!(0), "nothing from an attribute is markup");
    assert_eq!(v["steps"], json!(21), "the instance works: {v}");
    assert_eq!(
        v["surface"],
        json!("rosenbrock"),
        "the default surface: {v}"
    );
    assert_eq!(v["handle"], json!(true));
    assert!(
        v["shown"].as_str().unwrap().contains("surface:"),
        "the notices are shown in the instance: {v}"
    );
    assert_clean(&page);
}

#[test]
fn events_follow_a_real_slider_drag_and_status_changes_fire_once() {
    let page = Page::open_at(1000, 900, COURSE);
    // Every event the page hears at the document (they bubble), with the frame it came in.
    page.js(r#"(() => {
          window.heard = [];
          window.frame = 0;
          const count = () => { window.frame++; requestAnimationFrame(count); };
          requestAnimationFrame(count);
          for (const type of ['gdviz-change', 'gdviz-diverged', 'gdviz-converged']) {
            document.addEventListener(type, (e) => window.heard.push({
              type, frame: window.frame, on: e.target.id, lr: e.detail.lr, status: e.detail.status,
              link: typeof e.detail.link, trajectory: 'trajectory' in e.detail,
              bubbles: e.bubbles, composed: e.composed }));
          }
        })()"#);

    // Three set() calls in one task: one change event, with the last state.
    let burst = page.js(r#"(async () => {
          const el = document.getElementById('first');
          el.set({ lr: 0.08 }); el.set({ lr: 0.09 }); el.set({ lr: 0.1 });
          await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
          return window.heard.splice(0);
        })()"#);
    let burst = burst.as_array().unwrap();
    assert_eq!(
        burst.len(),
        1,
        "one event for one frame's changes: {burst:?}"
    );
    let e = &burst[0];
    assert_eq!(e["type"], json!("gdviz-change"), "{e}");
    assert_eq!(e["on"], json!("first"), "{e}");
    assert_eq!(e["lr"], json!(0.1), "{e}");
    assert_eq!(e["link"], json!("string"), "{e}");
    assert_eq!(
        e["trajectory"],
        json!(false),
        "a summary, without trajectories: {e}"
    );
    assert_eq!(
        (&e["bubbles"], &e["composed"]),
        (&json!(true), &json!(true))
    );
    // γ = 0.1 < 2/18: every mode shrinks by 0.8 a step, so the run converges.
    assert_eq!(e["status"], json!("converged"), "{e}");

    // A real drag on the slider: right to its end (a learning rate far above 2/18 diverges), and
    // back to where it was.
    let track = page.js(
        r#"(() => {
          const s = document.querySelector('#first input[type=range][id$="-lr"]');
          s.scrollIntoView({ block: 'center' });
          const r = s.getBoundingClientRect();
          const f = (Number(s.value) - Number(s.min)) / (Number(s.max) - Number(s.min));
          return { x: r.left + 8 + f * (r.width - 16), y: r.top + r.height / 2, right: r.right - 2 };
        })()"#,
    );
    let (x0, y, right) = (
        track["x"].as_f64().unwrap(),
        track["y"].as_f64().unwrap(),
        track["right"].as_f64().unwrap(),
    );
    page.js("window.heard.splice(0)");
    mouse(&page, "mousePressed", (x0, y), 1);
    for k in 1..=12 {
        mouse(
            &page,
            "mouseMoved",
            (x0 + (right - x0) * k as f64 / 12.0, y),
            1,
        );
    }
    for k in (0..12).rev() {
        mouse(
            &page,
            "mouseMoved",
            (x0 + (right - x0) * k as f64 / 12.0, y),
            1,
        );
    }
    mouse(&page, "mouseReleased", (x0, y), 0);
    frames(&page, 3);
    let heard = page.js("window.heard.splice(0)");
    let heard = heard.as_array().unwrap();
    let changes: Vec<&Value> = heard
        .iter()
        .filter(|e| e["type"] == "gdviz-change")
        .collect();
    let statuses: Vec<String> = heard
        .iter()
        .filter(|e| e["type"] != "gdviz-change")
        .map(|e| e["type"].as_str().unwrap().to_string())
        .collect();
    assert!(changes.len() >= 4, "the drag fired changes: {heard:#?}");
    // At most one change per animation frame.
    let mut frames_seen: Vec<u64> = changes
        .iter()
        .map(|e| e["frame"].as_u64().unwrap())
        .collect();
    frames_seen.dedup();
    assert_eq!(
        frames_seen.len(),
        changes.len(),
        "two changes in one frame: {heard:#?}"
    );
    // Diverged once on the way out, though many frames showed a diverged run.
    let diverged_frames = changes.iter().filter(|e| e["status"] == "diverged").count();
    assert!(diverged_frames >= 2, "{heard:#?}");
    // Back where it started: converged again, once.
    assert_eq!(
        statuses,
        ["gdviz-diverged", "gdviz-converged"],
        "{heard:#?}"
    );
    // The last event is the state shown.
    let now = state(&page, "#first");
    let last = changes.last().unwrap();
    assert_eq!((&last["lr"], &last["status"]), (&now["lr"], &now["status"]));
    // The other element heard nothing of it.
    assert!(heard.iter().all(|e| e["on"] == "first"), "{heard:#?}");
    assert_clean(&page);
}

#[test]
fn removal_destroys_the_instance_and_reinsertion_mounts_it_again() {
    let page = Page::open_at(1000, 900, COURSE);
    let v = page.js(
        r#"(async () => {
          const el = document.getElementById('first');
          const handle = await el.ready;
          await el.set({ lr: 0.09 });
          const place = el.nextSibling;
          el.remove();
          const out = { children: el.childElementCount, classes: el.className };
          try { handle.state(); out.handle = 'returned'; } catch (e) { out.handle = e.message; }
          try { el.state(); out.element = 'returned'; } catch (e) { out.element = e.message; }
          // Back in: mounted again from its attributes.
          place.before(el);
          const again = await el.ready;
          out.fresh = again !== handle;
          out.lr = el.state().lr;
          // Moved within one task: still one instance, and it works.
          document.querySelector('main').appendChild(el);
          await el.ready;
          await el.set({ steps: 30 });
          out.instances = el.querySelectorAll('.gdviz-app').length;
          out.steps = el.state().trajectory.length;
          out.ids = new Set([...document.querySelectorAll('[id]')].map(e => e.id)).size === document.querySelectorAll('[id]').length;
          return out;
        })()"#,
    );
    assert_eq!(v["children"], json!(0), "{v}");
    assert!(!v["classes"].as_str().unwrap().contains("gdviz"), "{v}");
    assert!(v["handle"].as_str().unwrap().contains("destroyed"), "{v}");
    assert!(
        v["element"].as_str().unwrap().contains("not in the page"),
        "{v}"
    );
    assert_eq!(v["fresh"], json!(true), "{v}");
    assert_eq!(
        v["lr"],
        json!(0.105),
        "the attributes' state, not the last one: {v}"
    );
    assert_eq!(v["instances"], json!(1), "{v}");
    assert_eq!(v["steps"], json!(31), "{v}");
    assert_eq!(v["ids"], json!(true), "{v}");
    // The other element was never touched.
    assert_eq!(
        page.js("document.getElementById('second').state().optimizer"),
        json!("momentum")
    );
    assert_clean(&page);
}

/// Network mode from attributes alone: `mode`, `dataset` and the hidden layers' widths (as
/// `hidden-layers`: `hidden` is HTML's attribute that hides an element, and stays that) set the
/// network, which the second module trains; changing an attribute retrains.
#[test]
fn network_mode_from_attributes_trains_and_follows_a_change() {
    let page = Page::open_at(1000, 900, COURSE);
    page.js(
        r#"document.body.insertAdjacentHTML('beforeend',
          '<gd-viz id="net" mode="network" dataset="circles" hidden-layers="4" steps="60" optimizer="adam" lr="0.02"></gd-viz>' +
          '<gd-viz id="gone" hidden surface="booth"></gd-viz>')"#,
    );
    let trained = |what: &str, done: &dyn Fn(&Value) -> bool| -> Value {
        for _ in 0..600 {
            let s = page.js(
                "(async () => { const el = document.getElementById('net'); await el.ready; return el.state(); })()",
            );
            if done(&s) {
                return s;
            }
            frames(&page, 2);
        }
        panic!("timed out waiting for {what}");
    };
    let s = trained("the network to train", &|s| {
        s["network"]["trained"] == json!(60) && s["network"]["training"] == json!(false)
    });
    assert_eq!(s["mode"], json!("network"), "{s}");
    let n = &s["network"];
    assert_eq!(
        (&n["dataset"], &n["hidden"], &n["on"]),
        (&json!("circles"), &json!("4"), &json!(true)),
        "{n}"
    );
    // 2-4-1: 2·4 + 4 weights and biases, then 4 + 1.
    assert_eq!(n["parameters"], json!(17), "{n}");
    assert!(
        n["lastTrainLoss"].as_f64().is_some_and(f64::is_finite),
        "{n}"
    );
    let first_loss = n["lastTrainLoss"].clone();

    page.js("document.getElementById('net').setAttribute('hidden-layers', '6,3')");
    let s = trained("the new network to train", &|s| {
        s["network"]["hidden"] == json!("6,3")
            && s["network"]["trained"] == json!(60)
            && s["network"]["training"] == json!(false)
    });
    // 2-6-3-1: 18 + 21 + 4.
    assert_eq!(s["network"]["parameters"], json!(43), "{s}");
    assert_ne!(s["network"]["lastTrainLoss"], first_loss);
    // HTML's own `hidden` hides the element and is no option.
    assert_eq!(
        page.js("[document.getElementById('gone').checkVisibility(), document.getElementById('gone').notices.length]"),
        json!([false, 0])
    );
    assert_clean(&page);
}
