//! Exercises in headless Chromium, answered with real clicks and key presses: every lesson's
//! exercise answered right and wrong (the verdict and the `gdviz-answer` event are what the run
//! says), the prediction veiled until answered, a "which minimum" answered by a click on the
//! plot, a `within` question solved by changing γ, and the `question=` link form with bad
//! values. Screenshots go to `target/screenshots/`.
//!
//! The harness is `common/mod.rs`; needs `cargo xtask build` first and Chromium.

use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::Input;
use serde_json::{json, Value};

mod common;

use common::*;

/// Every lesson with an exercise: the label of the right answer and of a wrong one (the core's
/// `exercises_have_the_answers_their_lessons_teach` pins the same truths). `within` (ravine)
/// has a test of its own.
const EXERCISES: [(&str, &str, &str); 7] = [
    ("overshoot", "No, it does not", "Yes, it converges"),
    ("saddle", "Yes, it converges", "No, it does not"),
    (
        "local-minima",
        "(0.9601, 0) (local ○)",
        "(-1.036, 0) (global ★)",
    ),
    ("noise", "No, it does not", "Yes, it converges"),
    ("adam-vs-sgd", "2. adam, lr 0.05", "1. sgd, lr 0.004"),
    ("lbfgs", "1. lbfgs, lr 1", "2. adam, lr 0.1"),
    (
        "recommender",
        "(1.826, 1.826) (global ★)",
        "(-1.826, -1.826) (global ★)",
    ),
];

/// A real left click at page coordinates `(x, y)`.
fn click_at(page: &Page, (x, y): (f64, f64)) {
    for kind in ["mousePressed", "mouseReleased"] {
        let event: Input::DispatchMouseEvent = serde_json::from_value(json!({
            "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1
        }))
        .unwrap();
        page.tab.call_method(event).expect("mouse event");
    }
}

/// A real click at the centre of the element `selector` (scrolled into view first); it must
/// be shown.
fn click(page: &Page, selector: &str) {
    let r = page.js(&format!(
        "(() => {{ const e = document.querySelector({selector:?}); \
         if (!e || e.closest('[hidden]')) return null; \
         e.scrollIntoView({{ block: 'center' }}); const r = e.getBoundingClientRect(); \
         return [r.left + r.width / 2, r.top + r.height / 2]; }})()"
    ));
    assert_ne!(r, Value::Null, "{selector} is not shown");
    click_at(page, pair(&r, selector));
}

/// A real click on the exercise's answer button labelled `label`.
fn answer(page: &Page, label: &str) {
    let index = page.js(&format!(
        "[...document.querySelectorAll('#exercise-choices button')].findIndex(b => b.textContent === {label:?})"
    ));
    let i = index.as_i64().unwrap();
    assert!(
        i >= 0,
        "no answer labelled {label:?}: {}",
        page.js(
            "[...document.querySelectorAll('#exercise-choices button')].map(b => b.textContent)"
        )
    );
    click(
        page,
        &format!("#exercise-choices button:nth-child({})", i + 1),
    );
}

/// Records every `gdviz-answer` event's detail in `window.answers`.
fn listen(page: &Page) {
    page.js("(() => { window.answers = []; document.addEventListener('gdviz-answer', (e) => answers.push(e.detail)); return true; })()");
}

/// What the exercise shows: veiled or not, the status line, the step shown and the last, the
/// verdict (or null while hidden), and whether the loss chart is visible.
fn shown(page: &Page) -> Value {
    page.js(
        "(() => { const root = document.querySelector('.gdviz'); const s = gdviz.state(); \
         const v = document.getElementById('exercise-verdict'); \
         return { veiled: root.classList.contains('gdviz-veiled'), \
           status: document.getElementById('status').textContent, \
           current: s.current, last: Math.max(...s.runs.map((r) => r.trajectory.length - 1)), \
           lossVisible: getComputedStyle(document.getElementById('loss-box')).visibility === 'visible', \
           play: !document.getElementById('play').disabled, \
           prompt: document.getElementById('exercise-prompt').textContent, \
           boxShown: !document.getElementById('exercise-box').hidden, \
           verdict: v.hidden ? null : document.getElementById('exercise-result').textContent, \
           why: v.hidden ? null : document.getElementById('exercise-why').textContent }; })()",
    )
}

/// Waits (up to 10 s) until the verdict shows; returns what the exercise shows then.
fn wait_verdict(page: &Page) -> Value {
    let start = Instant::now();
    loop {
        let s = shown(page);
        if s["verdict"] != Value::Null {
            return s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no verdict within 10 s: {s}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Asserts the instance hides the run's end: the start shown, no status, no loss chart, no
/// player.
fn assert_veiled(s: &Value) {
    assert_eq!(s["veiled"], json!(true), "{s}");
    assert_eq!(s["current"], json!(0), "{s}");
    assert_eq!(
        s["status"],
        json!("hidden until you answer the exercise"),
        "{s}"
    );
    assert_eq!(s["lossVisible"], json!(false), "{s}");
    assert_eq!(s["play"], json!(false), "{s}");
    assert_eq!(s["verdict"], Value::Null, "{s}");
}

fn save(page: &Page, name: &str) {
    let dir = xtask::repo_root().join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), page.screenshot()).unwrap();
}

#[test]
fn every_lesson_exercise_is_judged_by_its_run() {
    let page = Page::open(1280, 900);
    let origin = page.js("location.origin").as_str().unwrap().to_string();
    for (id, right, wrong) in EXERCISES {
        page.go(&format!("{origin}/?lesson={id}"));
        listen(&page);
        click(&page, "#lesson-exercise");
        let asked = shown(&page);
        assert_veiled(&asked);
        assert_eq!(asked["boxShown"], json!(true), "{id}: {asked}");
        assert!(
            page.js("gdviz.link()")
                .as_str()
                .unwrap()
                .contains("question="),
            "{id}: the link carries the question"
        );
        if id == "overshoot" {
            save(&page, "exercise-asked.png");
        }

        // Wrong first: the run plays, the verdict says what the run did.
        answer(&page, wrong);
        let playing = shown(&page);
        assert_eq!(playing["veiled"], json!(false), "{id}: {playing}");
        assert_eq!(
            playing["verdict"],
            Value::Null,
            "{id}: the verdict waits for the run"
        );
        click(&page, "#exercise-skip");
        let judged = wait_verdict(&page);
        let verdict = judged["verdict"].as_str().unwrap();
        assert!(
            verdict.starts_with(&format!(
                "✗ Not quite: you answered {wrong}; the run says {right}"
            )),
            "{id}: {verdict}"
        );
        assert_eq!(
            judged["current"], judged["last"],
            "{id}: the whole run is shown"
        );
        assert_eq!(judged["lossVisible"], json!(true), "{id}");

        // Again, right this time; the first one plays to its end by itself.
        click(&page, "#exercise-again");
        assert_veiled(&shown(&page));
        answer(&page, right);
        if id != "overshoot" {
            click(&page, "#exercise-skip");
        }
        let judged = wait_verdict(&page);
        assert_eq!(
            judged["verdict"],
            json!(format!("✓ Right: {right}.")),
            "{id}: {judged}"
        );
        if id == "overshoot" {
            save(&page, "exercise-answered.png");
        }
        let events = page.js("answers");
        assert_eq!(events.as_array().unwrap().len(), 2, "{id}: {events}");
        assert_eq!(events[0]["right"], json!(false), "{id}");
        assert_eq!(events[0]["given"], json!(wrong), "{id}");
        assert_eq!(events[1]["right"], json!(true), "{id}");
        assert_eq!(events[1]["truth"], json!(right), "{id}");
        assert_eq!(events[1]["why"], judged["why"], "{id}");
        assert!(
            events[1]["link"]
                .as_str()
                .unwrap()
                .contains(&format!("lesson={id}")),
            "{id}: {}",
            events[1]["link"]
        );
        page.assert_healthy();
    }
}

#[test]
fn which_minimum_is_answered_by_a_click_on_the_plot() {
    let page = Page::open_at(1280, 900, "?lesson=local-minima");
    listen(&page);
    click(&page, "#lesson-exercise");
    assert_veiled(&shown(&page));
    // Where the local minimum (0.9601, 0) is drawn, a little off it: the nearest minimum counts.
    // Where θ is on the screen now (the plot scrolled into view first).
    let px = |x: f64, y: f64| {
        page.js("document.getElementById('overlay').scrollIntoView({ block: 'center' })");
        let s = page.state();
        let ((x0, x1), (y0, y1)) = drawn_view(&s);
        let plot = &s["plot"];
        (
            num(&plot["left"], "left") + (x - x0) / (x1 - x0) * num(&plot["width"], "width"),
            num(&plot["top"], "top") + (y1 - y) / (y1 - y0) * num(&plot["height"], "height"),
        )
    };
    // No drag of the start point while the click answers.
    let start = page.state()["start"].clone();
    click_at(&page, px(1.05, 0.12));
    click(&page, "#exercise-skip");
    let judged = wait_verdict(&page);
    assert_eq!(
        judged["verdict"],
        json!("✓ Right: (0.9601, 0) (local ○)."),
        "{judged}"
    );
    assert_eq!(page.state()["start"], start);
    // Answered, a click moves the start again.
    click_at(&page, px(1.5, 1.0));
    let moved = page.wait_state("the start to move", |s| s["start"] != start);
    assert_ne!(moved["start"], start);
    // A new state is a new question: veiled again.
    assert_veiled(&shown(&page));
    page.assert_healthy();
}

#[test]
fn within_is_solved_by_changing_the_learning_rate() {
    let page = Page::open_at(1280, 900, "?lesson=ravine");
    listen(&page);
    click(&page, "#lesson-exercise");
    let s = shown(&page);
    // Not a prediction: the run is in sight and the player works.
    assert_eq!(s["veiled"], json!(false), "{s}");
    assert_eq!(s["play"], json!(true), "{s}");
    assert!(
        s["prompt"].as_str().unwrap().contains("in under 20 steps"),
        "{s}"
    );
    click(&page, "#exercise-choices button");
    let judged = wait_verdict(&page);
    assert_eq!(judged["verdict"], json!("✗ Not yet."), "{judged}");
    assert!(
        judged["why"]
            .as_str()
            .unwrap()
            .contains("converges at step 154"),
        "{judged}"
    );
    // Type γ = 0.45 into the box, as a student does.
    page.js("(() => { const b = document.getElementById('lr-value'); b.focus(); b.select(); return true; })()");
    page.tab.type_str("0.45").expect("type");
    page.tab.press_key("Enter").expect("press Enter");
    page.wait_state("γ = 0.45", |s| s["runs"][0]["lr"] == json!(0.45));
    assert_eq!(
        shown(&page)["verdict"],
        Value::Null,
        "a new state clears the verdict"
    );
    click(&page, "#exercise-choices button");
    let judged = wait_verdict(&page);
    assert_eq!(judged["verdict"], json!("✓ Done."), "{judged}");
    let events = page.js("answers");
    assert_eq!(
        events
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["right"].clone())
            .collect::<Vec<_>>(),
        vec![json!(false), json!(true)]
    );
    save(&page, "exercise-within.png");
    page.assert_healthy();
}

#[test]
fn a_link_poses_a_question_and_bad_ones_are_notices() {
    let page = Page::open_at(
        1280,
        900,
        "?question=converges&surface=booth&lr=0.12&steps=100",
    );
    let s = shown(&page);
    assert_veiled(&s);
    assert_eq!(
        s["prompt"],
        json!("Will sgd, lr 0.12 converge (‖∇f‖ below 1e-6) on booth within its 100 steps?")
    );
    assert!(page
        .js("gdviz.link()")
        .as_str()
        .unwrap()
        .contains("question=converges"));
    answer(&page, "No, it does not");
    click(&page, "#exercise-skip");
    let judged = wait_verdict(&page);
    assert_eq!(judged["verdict"], json!("✓ Right: No, it does not."));
    assert!(
        judged["why"]
            .as_str()
            .unwrap()
            .starts_with("It diverges at step 38"),
        "{judged}"
    );

    // A malformed question is a notice; the page works without one.
    let origin = page.js("location.origin").as_str().unwrap().to_string();
    page.go(&format!(
        "{origin}/?question=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&lr=0.05"
    ));
    let notices = page.js("document.getElementById('notices').textContent");
    assert!(
        notices
            .as_str()
            .unwrap()
            .contains("question: expected converges, minimum, within:N"),
        "{notices}"
    );
    let s = shown(&page);
    assert_eq!(s["boxShown"], json!(false), "{s}");
    assert_eq!(s["veiled"], json!(false), "{s}");
    assert_eq!(page.state()["runs"][0]["lr"], json!(0.05));
    assert!(!page
        .js("gdviz.link()")
        .as_str()
        .unwrap()
        .contains("question"));
    page.assert_healthy();

    // A question the state cannot answer says why, and offers no answers.
    page.go(&format!("{origin}/?question=first:1e-6&surface=booth"));
    let s = shown(&page);
    assert_eq!(
        s["prompt"],
        json!("This question cannot be asked here: first:1e-6: needs a race of two or more runs.")
    );
    assert_eq!(s["veiled"], json!(false), "{s}");
    assert_eq!(
        page.js("document.getElementById('exercise-choices').childElementCount"),
        json!(0)
    );
    // Adding a run makes it a race: now it can be asked.
    click(&page, "#race-add");
    let s = shown(&page);
    assert_veiled(&s);
    assert_eq!(
        s["prompt"],
        json!("Which run of the race first brings f below 1e-6?")
    );
    page.assert_healthy();
}
