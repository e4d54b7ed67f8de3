//! Robustness in the real browser: a seeded monkey (hundreds of random user actions, real key
//! and mouse events where a person would use them) that must never make the page report an
//! error, leave `state()` invalid or hang; and recovery after a wasm trap.
//!
//! `GDVIZ_MONKEY_SEED=123 cargo test -p xtask --test monkey_browser` replays another sequence;
//! a failure prints the seed, the action index and the last actions.

use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::{Emulation, Input};
use serde_json::{json, Value};

mod common;

use common::*;

/// The fixed seed of `cargo xtask test`.
const SEED: u64 = 0x6d6f_6e6b_6579;
const ACTIONS: usize = 500;

/// splitmix64: tiny, seedable, good enough to pick actions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Values a person (or a pasted text) can put in a number box; as JS source.
const EXTREMES: &[&str] = &[
    "'1e-5'",
    "'10'",
    "'0'",
    "'-1'",
    "'NaN'",
    "'1e308'",
    "'-1e308'",
    "'Infinity'",
    "''",
    "'abc'",
    "'0.5'",
    "'1'",
    "'0.999999'",
    "'1e-300'",
    "'2'",
    "'100000'",
    "'3.5'",
    "' 7 '",
];
const LR_VALUES: &[&str] = &[
    "1e-5", "10", "0", "-1", "NaN", "1e308", "'1e-5'", "'10'", "'0'", "'-1'", "'NaN'", "'1e308'",
    "0.01", "0.1", "Infinity", "'x'", "null",
];
const KEYS: &[(&str, &str, u32)] = &[
    ("Home", "Home", 36),
    ("End", "End", 35),
    ("ArrowLeft", "ArrowLeft", 37),
    ("ArrowRight", "ArrowRight", 39),
    ("PageUp", "PageUp", 33),
    ("PageDown", "PageDown", 34),
    ("ArrowUp", "ArrowUp", 38),
    ("ArrowDown", "ArrowDown", 40),
];
/// The alphabet of typed expressions: enough to make valid, invalid and wild ones.
const EXPR_TOKENS: &[&str] = &[
    "x", "y", "x", "y", "+", "-", "*", "/", "^", "(", ")", "2", "10", "0.5", "sin(", "cos(",
    "exp(", "log(", "sqrt(", "abs(", "1e308", "pi", " ", ",", "e", "9^9^9", "0/0", "tanh(",
];
const NUMBER_INPUTS: &[&str] = &[
    "lr-value",
    "momentum-value",
    "beta1-value",
    "beta2-value",
    "decay-value",
    "eps",
    "batch",
    "seed",
    "noise",
    "steps",
    "xmin",
    "xmax",
    "ymin",
    "ymax",
];
const BUTTONS: &[&str] = &[
    "play",
    "pause",
    "step",
    "reset",
    "play",
    "step",
    "race-add",
    "race-clear",
    "view3d-toggle",
    "expr-apply",
    "controls-toggle",
];

/// Validates the state in the page (the trajectory can be long: only a verdict comes back).
const CHECK: &str = r#"(() => {
  const bad = [];
  let s;
  try { s = JSON.parse(JSON.stringify(window.gdviz.state())); }
  catch (e) { return { bad: ['state() threw: ' + e] }; }
  const fin = Number.isFinite;
  if (!Array.isArray(s.trajectory) || s.trajectory.length === 0) bad.push('no trajectory');
  else if (!s.trajectory.every(r => Array.isArray(r) && r.length === 3 && r.every(fin)))
    bad.push('non-finite trajectory row');
  if (!['converged', 'diverged', 'max-steps'].includes(s.status)) bad.push('status ' + s.status);
  if (!fin(s.current) || s.current < 0 || s.current > s.steps) bad.push(`current ${s.current} of ${s.steps}`);
  // γ = 0 is allowed (the path stands still): `set()` takes a finite number ≥ 0.
  if (!fin(s.lr) || !(s.lr >= 0)) bad.push('lr ' + s.lr);
  if (!fin(s.steps) || s.steps < 1) bad.push('steps ' + s.steps);
  if (!Array.isArray(s.runs) || s.runs.length < 1 || s.runs.length > 4) bad.push('runs ' + s.runs);
  else if (!(s.selected >= 0 && s.selected < s.runs.length)) bad.push('selected ' + s.selected);
  else if (s.runs[s.selected].lr !== s.lr) bad.push('the slider is not the selected run\'s');
  for (const r of s.runs || []) {
    if (!r.trajectory.every(p => p.every(fin))) bad.push('non-finite run');
    if (!(r.lr >= 0) || !fin(r.lr)) bad.push('run lr ' + r.lr);
  }
  if (s.plot && ![s.plot.left, s.plot.top, s.plot.width, s.plot.height].every(fin)) bad.push('plot rect');
  const e = document.getElementById('error');
  if (e && !e.hidden) bad.push('#error shown: ' + e.textContent);
  return { bad, brief: `${s.surface}/${s.optimizer}/${s.variant} lr=${s.lr} steps=${s.steps} ` +
    `current=${s.current} ${s.status} runs=${s.runs.length} selected=${s.selected}` };
})()"#;

/// Page-side helpers for the actions: `M.centre(el)` scrolls an element into view and returns its
/// centre (null if it is not shown), `M.set(el, value, event)` sets a control like a script would.
const HELPERS: &str = r#"window.M ??= {
  centre(e) {
    if (!e || e.disabled || e.getClientRects().length === 0) return null;
    e.scrollIntoView({ block: 'center', inline: 'center' });
    const r = e.getBoundingClientRect();
    return r.width && r.height ? [r.left + r.width / 2, r.top + r.height / 2] : null;
  },
  focus(e) {
    if (!e || e.getClientRects().length === 0) return false;
    e.scrollIntoView({ block: 'center' });
    e.focus();
    return document.activeElement === e;
  },
  set(e, value, event) {
    if (!e) return false;
    e.value = value;
    e.dispatchEvent(new Event(event, { bubbles: true }));
    return true;
  },
  rect(e) {
    e.scrollIntoView({ block: 'center' });
    const r = e.getBoundingClientRect();
    return [r.left, r.top, r.width, r.height, innerWidth, innerHeight];
  },
}"#;

/// Real input through the DevTools protocol (each call costs a round trip: keep them few).
enum Real {
    Key(&'static str, &'static str, u32),
    Mouse(&'static str, (f64, f64), u32),
    Text(String),
    Resize(u32, u32),
}

fn send(page: &Page, input: &Real) {
    match input {
        Real::Key(key, code, vk) => {
            let event: Input::DispatchKeyEvent = serde_json::from_value(json!({
                "type": "rawKeyDown", "key": key, "code": code, "windowsVirtualKeyCode": vk,
                "nativeVirtualKeyCode": vk,
            }))
            .unwrap();
            page.tab.call_method(event).expect("key event");
        }
        Real::Mouse(kind, (x, y), buttons) => {
            let event: Input::DispatchMouseEvent = serde_json::from_value(json!({
                "type": kind, "x": x, "y": y, "button": "left", "buttons": buttons, "clickCount": 1
            }))
            .unwrap();
            page.tab.call_method(event).expect("mouse event");
        }
        Real::Text(text) => {
            let event: Input::InsertText = serde_json::from_value(json!({ "text": text })).unwrap();
            page.tab.call_method(event).expect("type text");
        }
        Real::Resize(width, height) => {
            let metrics: Emulation::SetDeviceMetricsOverride = serde_json::from_value(json!({
                "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false
            }))
            .unwrap();
            page.tab.call_method(metrics).expect("resize the viewport");
        }
    }
}

/// An action: page JavaScript (run in the same round trip as the check of the previous action),
/// then real input computed from what it returned.
/// Turns what the action's script returned into real input.
type Then = Box<dyn FnOnce(&Value, &mut Rng) -> Vec<Real>>;

struct Action {
    what: String,
    js: String,
    then: Then,
}

fn js_only(what: String, js: String) -> Action {
    Action {
        what,
        js,
        then: Box::new(|_, _| Vec::new()),
    }
}

fn point(v: &Value) -> Option<(f64, f64)> {
    Some((v.get(0)?.as_f64()?, v.get(1)?.as_f64()?))
}

fn click(at: (f64, f64)) -> Vec<Real> {
    vec![
        Real::Mouse("mousePressed", at, 1),
        Real::Mouse("mouseReleased", at, 0),
    ]
}

/// Picks one random action.
fn plan(rng: &mut Rng) -> Action {
    let by_id = |id: &str| format!("document.getElementById('{id}')");
    match rng.below(20) {
        0 | 1 => {
            let (k, c, vk) = *rng.pick(KEYS);
            let times = 1 + rng.below(2);
            Action {
                what: format!("lr slider: {k} x{times}"),
                js: format!("M.focus({})", by_id("lr")),
                then: Box::new(move |focused, _| {
                    if *focused != json!(true) {
                        return Vec::new();
                    }
                    (0..times).map(|_| Real::Key(k, c, vk)).collect()
                }),
            }
        }
        2 => {
            let v = rng.pick(LR_VALUES);
            js_only(
                format!("set({{lr: {v}}})"),
                format!("window.gdviz.set({{ lr: {v} }})"),
            )
        }
        3 | 4 => {
            let id = *rng.pick(&["surface", "optimizer", "variant", "lesson", "surface"]);
            if rng.below(2) == 0 {
                let times = 1;
                Action {
                    what: format!("{id}: ArrowDown x{times}"),
                    js: format!("M.focus({})", by_id(id)),
                    then: Box::new(move |focused, _| {
                        if *focused != json!(true) {
                            return Vec::new();
                        }
                        (0..times)
                            .map(|_| Real::Key("ArrowDown", "ArrowDown", 40))
                            .collect()
                    }),
                }
            } else {
                let f = rng.unit();
                js_only(
                    format!("{id}: option at {f:.2}"),
                    format!(
                        "(() => {{ const e = {}; e.selectedIndex = Math.floor({f} * e.options.length); \
                         e.dispatchEvent(new Event('change', {{ bubbles: true }})); }})()",
                        by_id(id)
                    ),
                )
            }
        }
        5 | 6 => {
            let id = *rng.pick(NUMBER_INPUTS);
            let v = if id == "steps" && rng.below(2) == 0 {
                let n = (10f64.powf(rng.unit() * 5.0)).round().max(1.0);
                format!("'{n}'")
            } else {
                rng.pick(EXTREMES).to_string()
            };
            js_only(
                format!("#{id} = {v}"),
                format!("M.set({}, {v}, 'change')", by_id(id)),
            )
        }
        7 => {
            // A hyper-parameter slider or a surface parameter.
            let sel = *rng.pick(&[
                "#momentum",
                "#beta1",
                "#beta2",
                "#decay",
                "#surface-params input",
            ]);
            let v = rng.pick(EXTREMES);
            let event = if sel.starts_with('#') && !sel.contains(' ') {
                "input"
            } else {
                "change"
            };
            js_only(
                format!("{sel} = {v} ({event})"),
                format!("M.set(document.querySelector({sel:?}), {v}, '{event}')"),
            )
        }
        8 | 9 => {
            // Click or drag on the plot, maybe outside its frame.
            let drag = rng.below(2) == 0;
            Action {
                what: if drag {
                    "drag on the plot".into()
                } else {
                    "click on the plot".into()
                },
                js: format!("M.rect({})", by_id("overlay")),
                then: Box::new(move |r, rng| {
                    let n: Vec<f64> = (0..6).map(|i| r[i].as_f64().unwrap_or(0.0)).collect();
                    let mut at = || {
                        let x = n[0] + n[2] * (rng.unit() * 1.6 - 0.3);
                        let y = n[1] + n[3] * (rng.unit() * 1.6 - 0.3);
                        (x.clamp(0.0, n[4] - 1.0), y.clamp(0.0, n[5] - 1.0))
                    };
                    let from = at();
                    if !drag {
                        return click(from);
                    }
                    let to = at();
                    let mid = ((from.0 + to.0) / 2.0, (from.1 + to.1) / 2.0);
                    vec![
                        Real::Mouse("mousePressed", from, 1),
                        Real::Mouse("mouseMoved", mid, 1),
                        Real::Mouse("mouseMoved", to, 1),
                        Real::Mouse("mouseReleased", to, 0),
                    ]
                }),
            }
        }
        10 | 11 => {
            let id = *rng.pick(BUTTONS);
            Action {
                what: format!("click #{id}"),
                js: format!("M.centre({})", by_id(id)),
                then: Box::new(|at, _| point(at).map(click).unwrap_or_default()),
            }
        }
        12 => {
            let f = rng.unit();
            js_only(
                format!("scrub to {f:.2}"),
                format!(
                    "(() => {{ const e = {}; M.set(e, String(Math.round({f} * Number(e.max))), 'input'); }})()",
                    by_id("scrub")
                ),
            )
        }
        13 => {
            // Runs: remove one (a real click on ✕), or select one (a real click on its row or
            // its legend entry).
            let f = rng.unit();
            let pick = rng.below(3);
            if pick == 0 {
                Action {
                    what: format!("remove race row at {f:.2}"),
                    js: format!(
                        "(() => {{ const b = [...document.querySelectorAll('.gdviz-race-row button')]; \
                         return M.centre(b[Math.floor({f} * b.length)]); }})()"
                    ),
                    then: Box::new(|at, _| point(at).map(click).unwrap_or_default()),
                }
            } else {
                let sel = if pick == 1 {
                    ".gdviz-race-row label"
                } else {
                    ".gdviz-legend-item"
                };
                Action {
                    what: format!("select the run of {sel} at {f:.2}"),
                    js: format!(
                        "(() => {{ const b = [...document.querySelectorAll('{sel}')]; \
                         return M.centre(b[Math.floor({f} * b.length)]); }})()"
                    ),
                    then: Box::new(|at, _| point(at).map(click).unwrap_or_default()),
                }
            }
        }
        14 => {
            let w = 320 + rng.below(1281) as u32;
            let h = 400 + rng.below(701) as u32;
            Action {
                what: format!("resize {w}x{h}"),
                js: "0".into(),
                then: Box::new(move |_, _| vec![Real::Resize(w, h)]),
            }
        }
        15 | 16 => {
            let n = 1 + rng.below(8);
            let text: String = (0..n).map(|_| *rng.pick(EXPR_TOKENS)).collect();
            let quoted = serde_json::to_string(&text).unwrap();
            Action {
                what: format!("type expr {quoted} + Enter"),
                // Not shown: pick the typed-function entry first (its box shows on change).
                js: format!(
                    "(() => {{ const s = {}; if (s.value !== 'expr') M.set(s, 'expr', 'change'); \
                     const e = {}; const ok = M.focus(e); if (ok) e.select(); return ok; }})()",
                    by_id("surface"),
                    by_id("expr")
                ),
                then: Box::new(move |focused, _| {
                    if *focused != json!(true) {
                        return Vec::new();
                    }
                    vec![Real::Text(text), Real::Key("Enter", "Enter", 13)]
                }),
            }
        }
        17 => {
            let f = rng.unit();
            let none = rng.below(5) == 0;
            js_only(
                format!("lesson at {f:.2}{}", if none { " (none)" } else { "" }),
                format!(
                    "(() => {{ const ids = window.gdviz.lessons().map(l => l.id); \
                     return window.gdviz.lesson({}); }})()",
                    if none {
                        "''".to_string()
                    } else {
                        format!("ids[Math.floor({f} * ids.length)]")
                    }
                ),
            )
        }
        18 => {
            // The 3D view: a drag and a key on its canvas, if shown.
            let (dx, dy) = (rng.unit() * 200.0 - 100.0, rng.unit() * 200.0 - 100.0);
            let k = *rng.pick(KEYS);
            Action {
                what: format!("3D drag ({dx:.0}, {dy:.0}) + {}", k.0),
                js: format!("M.centre({})", by_id("view3d")),
                then: Box::new(move |at, _| {
                    let Some(at) = point(at) else {
                        return Vec::new();
                    };
                    let to = ((at.0 + dx).max(0.0), (at.1 + dy).max(0.0));
                    vec![
                        Real::Mouse("mousePressed", at, 1),
                        Real::Mouse("mouseMoved", to, 1),
                        Real::Mouse("mouseReleased", to, 0),
                        Real::Key(k.0, k.1, k.2),
                    ]
                }),
            }
        }
        _ => {
            let v = rng.unit() * 3.0;
            js_only(
                format!("speed slider {v:.2}"),
                format!("M.set({}, '{v}', 'input')", by_id("speed")),
            )
        }
    }
}

#[test]
fn a_seeded_monkey_never_breaks_the_page() {
    let seed = std::env::var("GDVIZ_MONKEY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED);
    let actions = std::env::var("GDVIZ_MONKEY_ACTIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(ACTIONS);
    let verbose = std::env::var_os("GDVIZ_MONKEY_VERBOSE").is_some();
    let mut rng = Rng(seed);
    let page = Page::open(1280, 800);
    page.assert_healthy();
    let start = Instant::now();
    let mut log: Vec<String> = Vec::new();
    page.js(HELPERS);
    // Each round trip checks the previous action's outcome and runs this action's script.
    for i in 0..=actions {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let t = Instant::now();
            let action = (i < actions).then(|| plan(&mut rng));
            let js = action.as_ref().map_or("0", |a| a.js.as_str());
            let both = page.js(&format!(
                "(async () => {{ const check = {CHECK}; if (check.bad.length) return {{ check }}; \
                 return {{ check, out: await ({js}) }}; }})()"
            ));
            let check = &both["check"];
            let bad = check["bad"].as_array().cloned().unwrap_or_default();
            assert!(
                bad.is_empty(),
                "invalid state: {bad:?} ({})",
                check["brief"]
            );
            let problems =
                std::mem::take(&mut *page.problems.lock().unwrap_or_else(|e| e.into_inner()));
            assert!(problems.is_empty(), "the page reported: {problems:#?}");
            if let Some(action) = action {
                log.push(action.what);
                for input in (action.then)(&both["out"], &mut rng) {
                    send(&page, &input);
                }
                if verbose {
                    eprintln!("{i}: {} ({:?}) {}", log[i], t.elapsed(), check["brief"]);
                }
            }
            if i % 50 == 49 {
                let t = Instant::now();
                page.js("window.gdviz.set({})");
                assert!(
                    t.elapsed() < Duration::from_secs(5),
                    "a set() round trip took {:?}: the page hangs",
                    t.elapsed()
                );
            }
        }));
        if let Err(panic) = outcome {
            // The check at round `i` is about action `i - 1`.
            eprintln!(
                "monkey failed: seed {seed} (GDVIZ_MONKEY_SEED={seed}), after action {}; the last actions:",
                i.saturating_sub(1)
            );
            let from = log.len().saturating_sub(20);
            for (k, what) in log.iter().enumerate().skip(from) {
                eprintln!("  {k}: {what}");
            }
            resume_unwind(panic);
        }
    }
    // Still responsive and healthy at the end.
    page.js("window.gdviz.set({ lr: 0.01, steps: 100, race: [] })");
    page.assert_healthy();
    eprintln!(
        "monkey: seed {seed}, {actions} actions in {:.1?}",
        start.elapsed()
    );
}

/// Makes the page's wasm `Visualizer` trap on every call, as after a Rust panic (which the
/// release module turns into `unreachable`). Nothing is shipped for this: the test imports the
/// same bindings module the app uses (one module per URL) and replaces the methods on the
/// class's prototype, the boundary where a real trap surfaces as `WebAssembly.RuntimeError`.
const TRAP: &str = r#"(async () => {
  const { Visualizer } = await import(new URL('www/pkg/gdviz.js', location.href).href);
  const proto = Visualizer.prototype;
  const trap = function () { throw new WebAssembly.RuntimeError('unreachable'); };
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === 'constructor') continue;
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (d.get) Object.defineProperty(proto, name, { ...d, get: trap, set: d.set && trap });
    else if (typeof d.value === 'function') proto[name] = trap;
  }
  return true;
})()"#;

/// The state without what a reload does not keep: the on-screen position of the plot and the
/// step shown (the animation's position is not part of a link).
fn kept(mut state: Value) -> Value {
    let o = state.as_object_mut().expect("state is an object");
    o.remove("plot");
    o.remove("current");
    state
}

#[test]
fn a_wasm_trap_offers_a_reload_that_restores_the_state() {
    let page = Page::open(1100, 800);
    let lesson = page.js("window.gdviz.lessons()[1].id");
    page.js(&format!("window.gdviz.lesson({lesson})"));
    let notices = page.js(
        "window.gdviz.set({ surface: 'rosenbrock', lr: 0.00042, steps: 5000, \
         runs: [{ optimizer: 'adam', lr: 0.03 }, { optimizer: 'momentum', lr: 0.0007 }], selected: 1 })",
    );
    assert_eq!(
        notices,
        json!([]),
        "the distinctive state was refused in part"
    );
    page.assert_healthy();
    let before = kept(page.state());

    // Trap in the animation loop: start playing (a real click), then the wasm dies mid-run.
    let play = page.js("(() => { const b = document.getElementById('play'); b.scrollIntoView({ block: 'center' }); return b.getBoundingClientRect(); })()");
    let at = (
        num(&play["x"], "play x") + num(&play["width"], "w") / 2.0,
        num(&play["y"], "play y") + num(&play["height"], "h") / 2.0,
    );
    for input in click(at) {
        send(&page, &input);
    }
    page.js(TRAP);
    let start = Instant::now();
    let shown = loop {
        let v = page.js(
            r#"(() => { const e = document.getElementById('error'); const b = document.getElementById('reload');
              return e.hidden ? null : { text: e.textContent, role: e.getAttribute('role'),
                button: b && b.tagName, focused: document.activeElement === b,
                search: location.search, status: document.getElementById('status').textContent }; })()"#,
        );
        if !v.is_null() {
            break v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "no error shown after the trap"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let text = shown["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("gdviz stopped") && text.contains("Reload"),
        "{shown}"
    );
    assert_eq!(shown["role"], json!("alert"), "the error is announced");
    assert_eq!(shown["button"], json!("BUTTON"), "Reload is a real button");
    assert_eq!(
        shown["focused"],
        json!(true),
        "Reload has the keyboard focus"
    );
    let search = shown["search"].as_str().unwrap_or_default();
    assert!(
        search.contains("lesson=") && search.contains("runs="),
        "the address holds the state at once: {search}"
    );
    // Only the trap itself was reported (console.error by gdviz), no uncaught exception.
    let problems = std::mem::take(&mut *page.problems.lock().unwrap());
    assert!(
        problems
            .iter()
            .all(|p| p.starts_with("console.error") && p.contains("unreachable")),
        "{problems:#?}"
    );

    // Reload with a real click; the new document is ready with the same state.
    page.js("window.beforeReload = true");
    let r = page.js("document.getElementById('reload').getBoundingClientRect()");
    let at = (
        num(&r["x"], "x") + num(&r["width"], "w") / 2.0,
        num(&r["y"], "y") + num(&r["height"], "h") / 2.0,
    );
    for input in click(at) {
        send(&page, &input);
    }
    let start = Instant::now();
    loop {
        let done = page.tab.evaluate(
            "window.beforeReload === undefined && document.body && document.body.dataset.ready === '1'",
            false,
        );
        if matches!(done, Ok(ref r) if r.value == Some(json!(true))) {
            break;
        }
        assert!(
            start.elapsed() < READY_TIMEOUT,
            "the page did not reload and get ready"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    page.assert_healthy();
    assert_eq!(kept(page.state()), before, "Reload restored another state");
    assert_eq!(
        page.js("document.getElementById('lesson').value"),
        lesson,
        "the lesson is kept"
    );
}

/// Network mode's own checks: the second module's state agrees with the settings (as many runs,
/// the same selection), every number it shows is finite or its run says it diverged, and the
/// progress says something. `null` while the module loads or a run cannot start (its error).
const NET_CHECK: &str = r#"(() => {
  const s = window.gdviz.state();
  const n = s.network;
  const bad = [];
  if (!n || typeof n.progress !== 'string' || !n.progress) bad.push('no progress');
  if (n && Array.isArray(n.runs) && !n.error) {
    if (n.runs.length !== s.runs.length) bad.push(`${n.runs.length} runs trained for ${s.runs.length}`);
    if (n.selected !== s.selected) bad.push(`selected ${n.selected} vs ${s.selected}`);
    n.runs.forEach((r, i) => {
      if (!r.diverged && !Number.isFinite(r.trainLoss)) bad.push(`run ${i} loss ${r.trainLoss}`);
      if (!(r.step <= r.trained)) bad.push(`run ${i} step ${r.step} of ${r.trained}`);
      if (typeof r.status !== 'string' || !r.status) bad.push(`run ${i} status`);
    });
    const l = n.landscape;
    if (l && l.error === null && l.centreLoss !== undefined && l.centreLoss !== null && !Number.isFinite(l.centreLoss))
      bad.push('landscape centre ' + l.centreLoss);
  }
  return bad;
})()"#;

/// A seeded monkey in Network mode: races grown and cut, runs selected from the legend and
/// removed, rates from tiny to diverging, optimizers (Newton, which a network refuses,
/// included), batches past the training set, networks resized, the landscape's planes and the
/// sharpness opened while runs train, scrubbing and playback; real clicks on what a person
/// clicks. After every action the page reports no error and Network mode's state agrees with
/// the settings.
#[test]
fn a_seeded_monkey_never_breaks_network_mode() {
    let seed = std::env::var("GDVIZ_MONKEY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED);
    let mut rng = Rng(seed);
    let page = Page::open_at(1000, 900, "?mode=network&steps=80&hidden=4");
    wait(&page, "window.gdviz.state().network.trained", |v| {
        v.is_number()
    });
    let buttons = [
        "#race-add",
        "#race-add",
        "#race-clear",
        "#net-land > summary",
        "#net-sharp > summary",
        "#net-plane-pca",
        "#net-plane-random",
        "#net-plane-ends",
        "#play",
        "#pause",
        "#step",
        "#reset",
    ];
    let mut log: Vec<String> = Vec::new();
    for i in 0..120 {
        let what = match rng.below(8) {
            0 | 1 => {
                let b = *rng.pick(&buttons);
                // A disabled button (ends with one run) is clicked anyway: nothing happens.
                common::poke(&page, b);
                format!("click {b}")
            }
            2 => {
                let k = rng.below(4) + 1;
                let sel = format!("#net-legend .gdviz-legend-item:nth-child({k})");
                if page.js(&format!("!!document.querySelector({sel:?}) && !document.getElementById('net-legend').hidden")) == json!(true) {
                    common::poke(&page, &sel);
                }
                format!("legend {k}")
            }
            3 => {
                let k = rng.below(4) + 1;
                let sel = format!("#race-rows .gdviz-race-row:nth-child({k}) button");
                if page.js(&format!("!!document.querySelector({sel:?})")) == json!(true) {
                    common::poke(&page, &sel);
                }
                format!("remove run {k}")
            }
            4 => {
                let lr = 10f64.powf(-4.0 + 6.0 * rng.unit());
                page.js(&format!("window.gdviz.set({{ lr: {lr} }})"));
                format!("lr {lr}")
            }
            5 => {
                let o = *rng.pick(&[
                    "sgd", "momentum", "adam", "rmsprop", "adagrad", "lbfgs", "newton",
                ]);
                page.js(&format!("window.gdviz.set({{ optimizer: '{o}' }})"));
                format!("optimizer {o}")
            }
            6 => {
                let (v, b) = (
                    *rng.pick(&["batch", "minibatch", "stochastic"]),
                    rng.below(260),
                );
                page.js(&format!(
                    "window.gdviz.set({{ variant: '{v}', batch: {b} }})"
                ));
                format!("variant {v} batch {b}")
            }
            _ => {
                let h = *rng.pick(&["2", "4", "8,8", "3,2,2"]);
                let k = rng.below(81);
                page.js(&format!(
                    "(() => {{ window.gdviz.set({{ hidden: '{h}' }}); const s = document.querySelector('#scrub'); \
                     s.value = '{k}'; s.dispatchEvent(new Event('input')); }})()"
                ));
                format!("hidden {h}, scrub {k}")
            }
        };
        log.push(what);
        // A few frames of training and computing between actions, as a person's pace gives.
        std::thread::sleep(Duration::from_millis(30));
        let bad = page.js(NET_CHECK);
        let problems =
            std::mem::take(&mut *page.problems.lock().unwrap_or_else(|e| e.into_inner()));
        if bad.as_array().is_some_and(|b| !b.is_empty()) || !problems.is_empty() {
            let from = log.len().saturating_sub(15);
            panic!(
                "after action {i} (seed {seed}): {bad} {problems:#?}; the last actions: {:#?}",
                &log[from..]
            );
        }
    }
    // Still trains to the end and stays healthy.
    page.js("window.gdviz.set({ runs: 'optimizer:adam,lr:0.02', hidden: '4', steps: 80 })");
    wait(&page, "window.gdviz.state().network", |n| {
        n["training"] == json!(false) && n["trained"] == json!(80)
    });
    page.assert_healthy();
}
