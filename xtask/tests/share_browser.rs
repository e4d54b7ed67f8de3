//! Sharing in headless Chromium: the URL holds the state and a link restores it exactly,
//! hostile URL values are notices and never markup, the app runs under a strict
//! Content-Security-Policy, `controls=` and `embed=1` trim the page (embed down to 320 px
//! wide), and the CSV and PNG exports match what is shown. Screenshots go to
//! `target/screenshots/`.
//!
//! The harness is the one of `common/mod.rs`; needs `cargo xtask build` first.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod common;

use common::*;

/// No console error, exception, failed load or visible `#error` so far (without waiting for a
/// frame, which a background tab never draws).
fn healthy(page: &Page) {
    std::thread::sleep(Duration::from_millis(100));
    let problems = std::mem::take(&mut *page.problems.lock().unwrap());
    assert!(problems.is_empty(), "the page reported: {problems:#?}");
    if let Some(text) = page.visible_error() {
        panic!("#error is visible: {text:?}");
    }
}

fn save(page: &Page, name: &str) {
    let dir = xtask::target_dir().join("screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    std::fs::write(dir.join(name), page.screenshot()).expect("write a screenshot");
}

/// The query of the address bar once it holds `link()` (it is updated at most every 250 ms).
fn settled_query(page: &Page) -> String {
    let start = Instant::now();
    loop {
        let v = page.js("[location.href, window.gdviz.link()]");
        if v[0] == v[1] {
            let href = v[0].as_str().unwrap().to_string();
            return href
                .split_once('?')
                .map(|(_, q)| format!("?{q}"))
                .unwrap_or_default();
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the address bar did not follow the state: {v}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Everything a run is: options and every run's path.
fn essence(state: &Value) -> Value {
    let mut s = state.clone();
    for key in ["plot", "current"] {
        s.as_object_mut().unwrap().remove(key);
    }
    s
}

fn notices(page: &Page) -> Vec<String> {
    let v = page.js("[...document.querySelectorAll('#notices p')].map(p => p.textContent)");
    v.as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_link_restores_the_identical_state() {
    let page = Page::open(1200, 900);
    assert_eq!(
        settled_query(&page),
        "",
        "the default state has an empty query"
    );
    let cases = [
        json!({"surface": "himmelblau", "optimizer": "adam", "lr": 0.03, "variant": "stochastic",
               "seed": 7, "noise": 2.5, "start": [1.5, -2.25], "steps": 400}),
        json!({"surface": "linear-regression", "variant": "minibatch", "batch": 7, "seed": 11,
               "race": [{"optimizer": "sgd", "lr": 0.01}, {"optimizer": "momentum", "lr": 0.004, "variant": "batch"}]}),
        json!({"expr": "sin(3*x) + (y - 1)^2", "xrange": [-4, 4], "optimizer": "rmsprop", "lr": 0.02}),
        json!({"surface": "ravine", "kappa": 50, "optimizer": "nesterov", "momentum": 0.7, "lr": 0.01}),
    ];
    for case in cases {
        page.js("window.gdviz.set({surface: 'rosenbrock', race: [], start: null})");
        let n = page.js(&format!("window.gdviz.set({case})"));
        assert_eq!(n, json!([]), "{case}");
        let query = settled_query(&page);
        assert!(!query.is_empty() && query.len() < 400, "{query}");
        let want = essence(&page.state());
        let other = Page::open_at(1200, 900, &query);
        let got = essence(&other.state());
        assert_eq!(got, want, "{query} restores another state");
        assert_eq!(
            settled_query(&other),
            query,
            "the restored page keeps its link"
        );
        assert!(notices(&other).is_empty(), "{:?}", notices(&other));
        healthy(&other);
    }
    // A lesson, then a change: the link holds the lesson and the state over it.
    page.js("window.gdviz.lesson('overshoot')");
    page.js("window.gdviz.set({lr: 0.05, seed: 3})");
    let query = settled_query(&page);
    assert!(query.starts_with("?lesson=overshoot&"), "{query}");
    let want = essence(&page.state());
    let other = Page::open_at(1200, 900, &query);
    assert_eq!(essence(&other.state()), want, "{query}");
    assert_eq!(
        other.js("document.getElementById('lesson').value"),
        json!("overshoot")
    );
    // The old form of lesson links still loads the lesson.
    let lesson = Page::open_at(1200, 900, "?lesson=saddle");
    assert_eq!(lesson.state()["surface"], json!("saddle"));
    healthy(&page);
    healthy(&lesson);
    healthy(&other);
}

#[test]
fn copy_link_gives_the_link() {
    let page = Page::open(1200, 900);
    page.js("window.gdviz.set({surface: 'booth', lr: 0.1})");
    page.js("document.getElementById('copy-link').click()");
    let start = Instant::now();
    loop {
        let v = page.js("[document.getElementById('share-box').hidden, document.getElementById('share-url').value, window.gdviz.link()]");
        if v[0] == json!(false) {
            assert_eq!(v[1], v[2]);
            assert!(
                v[1].as_str().unwrap().ends_with("?surface=booth&lr=0.1"),
                "{v}"
            );
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "no link shown: {v}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    healthy(&page);
}

#[test]
fn hostile_url_values_are_notices_and_never_markup() {
    let long = "7".repeat(5000);
    let payload = "%3Cimg%20src%3Dx%20onerror%3D%22window.pwned%3D1%22%3E";
    let query = format!(
        "?optimizer={payload}&lr=NaN&momentum=1e308&steps=-1&seed={long}&start=NaN,1\
         &batch=1e308&{payload}=1&race={payload}&lesson={payload}&controls={payload}\
         &surface={long}&expr={payload}"
    );
    let page = Page::open_at(1200, 900, &query);
    std::thread::sleep(Duration::from_millis(300));
    let s = page.state();
    assert_eq!(s["surface"], json!("rosenbrock"));
    assert_eq!(s["optimizer"], json!("sgd"));
    assert_eq!(s["lr"], json!(0.001));
    assert_eq!(s["steps"], json!(1000));
    assert_eq!(s["seed"], json!(0));
    let n = notices(&page);
    assert!(n.len() >= 12, "one notice per bad value: {n:#?}");
    assert!(n.iter().all(|m| m.chars().count() < 300), "{n:#?}");
    assert!(
        n.iter().any(|m| m.contains("<img")),
        "shown as text: {n:#?}"
    );
    let v = page.js(
        "({pwned: typeof window.pwned, imgs: document.querySelectorAll('img').length, \
          markup: document.querySelectorAll('#notices *:not(p), #expr-error *').length})",
    );
    assert_eq!(
        v,
        json!({"pwned": "undefined", "imgs": 0, "markup": 0}),
        "no markup from the URL"
    );
    healthy(&page);
}

/// Collects `securitypolicyviolation` events from now on.
const LISTEN: &str = "(() => { window.cspViolations = []; \
    document.addEventListener('securitypolicyviolation', (e) => \
      window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`)); return true; })()";

#[test]
fn the_app_runs_under_a_strict_csp() {
    let page = Page::open_with(
        1200,
        900,
        "?surface=booth&lr=0.1",
        &[("Content-Security-Policy", xtask::STRICT_CSP)],
    );
    page.js(LISTEN);
    assert_eq!(page.state()["surface"], json!("booth"));
    // Everything that builds or styles elements: race rows, legend, lessons, expression errors,
    // the 3D view, the critical mark, playback, the link and the exports.
    page.js(
        "window.gdviz.set({race: [{optimizer: 'sgd', lr: 0.01}, {optimizer: 'adam', lr: 0.1}]})",
    );
    page.js("window.gdviz.lesson('ravine')");
    page.js("window.gdviz.set({expr: 'sinn(x)'})");
    page.js("document.getElementById('view3d-toggle').click()");
    page.js("document.getElementById('view3d-toggle').click()");
    page.js("document.getElementById('play').click()");
    page.js("new Promise(r => setTimeout(r, 200))");
    page.js("document.getElementById('pause').click()");
    page.js("document.getElementById('copy-link').click()");
    page.js("document.getElementById('download-csv').click()");
    page.js("document.getElementById('download-png').click()");
    page.js("window.gdviz.png()");
    page.js("new Promise(r => setTimeout(r, 300))");
    assert_eq!(page.js("window.cspViolations"), json!([]));
    healthy(&page);
    // The detector works: an inline style is refused and seen.
    page.js("(() => { const s = document.createElement('style'); s.textContent = 'body{}'; document.head.appendChild(s); return true; })()");
    page.js("new Promise(r => setTimeout(r, 100))");
    let seen = page.js("window.cspViolations");
    assert!(
        seen.as_array().is_some_and(|v| v
            .iter()
            .any(|x| x.as_str().unwrap().starts_with("style-src"))),
        "{seen}"
    );
    page.problems.lock().unwrap().clear();
}

#[test]
fn csv_and_png_exports_match_the_state() {
    let page = Page::open(1200, 900);
    page.js("window.gdviz.set({surface: 'booth', steps: 50, race: [{optimizer: 'sgd', lr: 0.01}, {optimizer: 'adam', lr: 0.3}]})");
    // Compared in the page: every number exactly (=== on the doubles), every row in order.
    let v = page.js(r#"(() => {
      const lines = window.gdviz.csv().trimEnd().split('\n');
      const want = ['run,optimizer,step,x,y,loss'];
      window.gdviz.state().runs.forEach((run, i) => run.trajectory.forEach((p, k) =>
        want.push([i + 1, run.optimizer, k, ...p])));
      const bad = [];
      if (lines.length !== want.length) bad.push(`rows ${lines.length} != ${want.length}`);
      for (let j = 1; j < Math.min(lines.length, want.length); j++) {
        const f = lines[j].split(',');
        const w = want[j];
        const same = f[0] === String(w[0]) && f[1] === w[1] && f[2] === String(w[2])
          && Number(f[3]) === w[3] && Number(f[4]) === w[4] && Number(f[5]) === w[5];
        if (!same) bad.push(`${lines[j]} != ${w.join(',')}`);
      }
      return { header: lines[0], rows: lines.length - 1, bad: bad.slice(0, 5) };
    })()"#);
    assert_eq!(
        v,
        json!({"header": "run,optimizer,step,x,y,loss", "rows": 2 * 51, "bad": []})
    );
    let png = page.js("window.gdviz.png()");
    let png = png.as_str().unwrap();
    assert!(png.starts_with("data:image/png;base64,"));
    let size =
        page.js("[document.getElementById('bg').width, document.getElementById('bg').height]");
    assert!(num(&size[0], "width") > 300.0, "{size}");
    assert!(png.len() > 10_000, "{} bytes", png.len());
    healthy(&page);
}

#[test]
fn controls_shows_only_the_groups_asked_for() {
    let page = Page::open_at(1200, 900, "?controls=lr,optimizer&surface=booth");
    let v = page.js(
        "[...document.querySelectorAll('[data-group]')].map(e => [e.dataset.group, getComputedStyle(e).display !== 'none'])",
    );
    for g in v.as_array().unwrap() {
        let (name, shown) = (g[0].as_str().unwrap(), g[1].as_bool().unwrap());
        assert_eq!(shown, name == "lr" || name == "optimizer", "{name}");
    }
    assert_eq!(page.state()["surface"], json!("booth"));
    // Still usable, and the link keeps the restriction.
    page.js("window.gdviz.set({lr: 0.05})");
    assert_eq!(
        settled_query(&page),
        "?controls=lr,optimizer&surface=booth&lr=0.05"
    );
    healthy(&page);
}

#[test]
fn embed_fits_320_pixels() {
    // Not shown: display none, or visually hidden (the heading stays for screen readers).
    let page = Page::open_at(
        320,
        600,
        "?embed=1&surface=himmelblau&optimizer=adam&lr=0.1",
    );
    let v = page.js(
        "(() => { const r = document.getElementById('plot-box').getBoundingClientRect(); \
          const hidden = (s) => { const e = document.querySelector(s); \
            return getComputedStyle(e).display === 'none' || e.getBoundingClientRect().width <= 1; }; \
          return { scroll: document.documentElement.scrollWidth, width: window.innerWidth, \
            plot: [r.left, r.right, r.width, r.height], header: hidden('.gdviz-top'), \
            foot: hidden('.gdviz-foot'), lessons: hidden('.gdviz-lessons'), controls: hidden('#controls') }; })()",
    );
    assert!(
        num(&v["scroll"], "scrollWidth") <= num(&v["width"], "width"),
        "{v}"
    );
    let plot = &v["plot"];
    assert!(
        num(&plot[0], "left") >= 0.0 && num(&plot[1], "right") <= 320.0,
        "{v}"
    );
    assert!(
        num(&plot[2], "width") > 250.0 && num(&plot[3], "height") > 150.0,
        "{v}"
    );
    assert_eq!(
        (&v["header"], &v["foot"], &v["lessons"], &v["controls"]),
        (&json!(true), &json!(true), &json!(true), &json!(true)),
        "{v}"
    );
    assert_eq!(page.state()["optimizer"], json!("adam"));
    save(&page, "embed-320.png");
    page.js("document.getElementById('controls-toggle').click()");
    let v = page.js("[document.documentElement.scrollWidth, getComputedStyle(document.getElementById('controls')).display]");
    assert!(num(&v[0], "scrollWidth") <= 320.0, "{v}");
    assert_eq!(v[1], json!("flex"));
    healthy(&page);
    let wide = Page::open_at(1200, 900, "?surface=booth&lr=0.1");
    save(&wide, "share-page.png");
    healthy(&wide);
}
