//! Hostile input at the JavaScript boundary never kills an instance: objects whose reading throws
//! (proxies, getters, revoked proxies), cycles, deep nesting, huge or sparse arrays and thousands
//! of keys given to `set()` or `mount()` are notices, the instance keeps working, and the other
//! instances on the page are untouched. Each case failed on 013676e (the instance died for good
//! with "recursive use of an object", or the wasm trapped and stopped every instance, or it
//! blocked for seconds and grew the memory for good).
//!
//! The harness is `common/mod.rs`; needs `cargo xtask build` first and Chromium.

mod common;

use common::*;
use serde_json::{json, Value};

/// Page-side: hands `make()`'s value to `set()` of the page's instance, then checks the instance
/// still works (a normal `set()`, `state()`, no error box) and the memory did not grow by more
/// than a few pages. Returns `{notices, ok, state, grew}`.
fn hostile_set(page: &Page, make: &str) -> Value {
    page.js(&format!(
        r#"(async () => {{
          const m = await import('/www/pkg/gdviz.js');
          const before = m.memoryBytes();
          const value = ({make})();
          let notices;
          try {{ notices = await window.gdviz.set(value); }} catch (e) {{ notices = 'threw: ' + e; }}
          const after = await window.gdviz.set({{ lr: 0.0123 }});
          const s = window.gdviz.state();
          const error = document.getElementById('error');
          return {{
            notices,
            ok: Array.isArray(after) && after.length === 0 && s.lr === 0.0123 && error.hidden,
            grew: m.memoryBytes() - before,
          }};
        }})()"#
    ))
}

#[test]
fn unreadable_options_are_notices_and_the_instance_goes_on() {
    let page = Page::open(1000, 800);
    let cases = [
        ("a proxy whose keys throw", "() => new Proxy({}, { ownKeys() { throw new Error('no keys'); } })"),
        (
            "a proxy whose descriptors throw",
            "() => new Proxy({ lr: 1 }, { getOwnPropertyDescriptor() { throw new Error('no'); } })",
        ),
        ("a revoked proxy", "() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; }"),
        (
            "a start whose first item throws",
            "() => ({ start: Object.defineProperty([1, 2], 0, { get() { throw 1; } }) })",
        ),
        (
            "a run list whose index getter throws",
            "() => ({ runs: new Proxy([{}, {}], { get(t, k) { if (k === '0') throw new Error('x'); return t[k]; } }) })",
        ),
        ("a sparse list of 2³²−1 items", "() => ({ race: new Array(2 ** 32 - 1) })"),
        ("ten million runs", "() => ({ race: new Array(1e7).fill({}) })"),
        ("a cycle", "() => { const e = {}; e.race = [e]; return { race: [e] }; }"),
        (
            "3000 levels of nesting",
            "() => { let o = {}; for (let i = 0; i < 3000; i++) o = { runs: [o] }; return o; }",
        ),
        (
            "100 000 unknown keys",
            "() => { const o = {}; for (let i = 0; i < 1e5; i++) o['k' + i] = i; return o; }",
        ),
        ("a getter that throws", "() => ({ get lr() { throw new Error('boom'); }, steps: 50 })"),
        ("a symbol and a function", "() => ({ lr: Symbol('x'), optimizer: () => 'adam' })"),
        ("text of a million characters", "() => ({ expr: 'x'.repeat(1e6) })"),
        ("not an object", "() => 42"),
    ];
    for (what, make) in cases {
        let v = hostile_set(&page, make);
        let notices = v["notices"]
            .as_array()
            .unwrap_or_else(|| panic!("{what}: {v}"));
        assert!(!notices.is_empty(), "{what}: no notice: {v}");
        assert!(
            notices.len() <= 3,
            "{what}: one notice, not thousands: {}",
            notices.len()
        );
        for n in notices {
            assert!(n.as_str().unwrap().chars().count() < 200, "{what}: {n}");
        }
        assert_eq!(
            v["ok"],
            json!(true),
            "{what}: the instance stopped working: {v}"
        );
        assert!(
            v["grew"].as_f64().unwrap() < 1e6,
            "{what}: the memory grew by {} bytes for good",
            v["grew"]
        );
    }
    // What could be read of a partly readable object still applies.
    let v = hostile_set(
        &page,
        "() => ({ get lr() { throw new Error('boom'); }, steps: 50 })",
    );
    assert!(v["notices"][0].as_str().unwrap().contains("lr"), "{v}");
    page.js("window.gdviz.set({ get lr() { throw new Error('boom'); }, steps: 77 })");
    assert_eq!(page.state()["steps"], json!(77));
    page.assert_healthy();
}

#[test]
fn hostile_mount_options_are_notices_and_leave_no_orphan() {
    let page = Page::open_at(1000, 900, "example.html");
    let v = page.js(
        r#"(async () => {
          const { mount } = await import('/www/gdviz.js');
          const host = () => { const d = document.createElement('div'); document.body.appendChild(d); return d; };
          const out = {};
          const notices = async (options) => {
            try { return (await mount(host(), options)).notices; } catch (e) { return 'threw: ' + e.message; }
          };
          out.heading = await notices({ heading: Symbol('h') });
          out.controls = await notices({ controls: [Symbol('c')] });
          out.lesson = await notices({ lesson: Object.create(null) });
          out.proxy = await notices(new Proxy({}, { ownKeys() { throw new Error('no'); } }));
          const before = document.querySelectorAll('.gdviz').length;
          out.getter = await notices({ surface: 'booth', get lr() { throw new Error('boom'); } });
          out.added = document.querySelectorAll('.gdviz').length - before;
          // Options are the object's own: a prototype's `url` does not take the address bar.
          const h = await mount(host(), Object.create({ url: true, surface: 'beale' }));
          out.inherited = [h.state().surface, location.search];
          // Elements that cannot hold an instance: a clear error.
          for (const tag of ['template', 'iframe']) {
            try { await mount(document.createElement(tag)); out[tag] = 'mounted'; }
            catch (e) { out[tag] = e.message; }
          }
          // Mounting twice on one element replaces the first instance.
          const el = host();
          const first = await mount(el, { surface: 'booth' });
          const second = await mount(el, { surface: 'matyas' });
          try { first.state(); out.first = 'alive'; } catch (e) { out.first = e.message; }
          out.second = second.state().surface;
          out.roots = el.querySelectorAll('.gdviz-overlay').length;
          // The page's own instances still work.
          await window.demos[0].set({ lr: 0.02 });
          out.demo = window.demos[0].state().lr;
          return out;
        })()"#,
    );
    for k in ["heading", "controls", "lesson", "proxy", "getter"] {
        let n = v[k]
            .as_array()
            .unwrap_or_else(|| panic!("{k}: mount rejected: {v}"));
        assert!(!n.is_empty(), "{k}: no notice: {v}");
    }
    assert_eq!(
        v["added"],
        json!(1),
        "one instance per mount, none orphaned: {v}"
    );
    assert_eq!(v["inherited"], json!(["rosenbrock", ""]), "{v}");
    for tag in ["template", "iframe"] {
        assert!(
            v[tag].as_str().unwrap().contains(&format!("<{tag}>")),
            "{v}"
        );
    }
    assert!(v["first"].as_str().unwrap().contains("destroyed"), "{v}");
    assert_eq!(v["second"], json!("matyas"));
    assert_eq!(v["roots"], json!(1));
    assert_eq!(v["demo"], json!(0.02));
    page.js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
    assert_eq!(page.problems(), Vec::<String>::new());
    let shown = page.js(
        "[...document.querySelectorAll('.gdviz .gdviz-error')].filter(e => !e.hidden).map(e => e.textContent)",
    );
    assert_eq!(shown, json!([]), "an instance shows an error");
}

#[test]
fn an_unknown_control_group_hides_nothing_and_leaves_the_link() {
    let page = Page::open_at(1000, 800, "?controls=x&surface=booth");
    let hidden = page.js("document.querySelectorAll('.gdviz-group-off').length");
    assert_eq!(hidden, json!(0), "every control stays");
    let notices = page.js("document.getElementById('notices').textContent");
    assert!(
        notices.as_str().unwrap().contains("unknown group 'x'"),
        "{notices}"
    );
    let link = page.js("window.gdviz.link()");
    assert!(!link.as_str().unwrap().contains("controls"), "{link}");
    // Known groups beside unknown ones are kept.
    let page = Page::open_at(1000, 800, "?controls=lr,x");
    let link = page.js("window.gdviz.link()");
    assert!(
        link.as_str().unwrap().contains("controls=lr&")
            || link.as_str().unwrap().ends_with("controls=lr"),
        "{link}"
    );
    page.assert_healthy();
}
