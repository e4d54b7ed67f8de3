//! Network mode's sharpness chart as a student uses it, in headless Chromium: a real click opens
//! it, λmax is measured over the trained run (at step 0 the core's own number) against the
//! line 2/γ, the caption reads the measured numbers, the chart follows the step shown, Adam
//! gets no line and says why, and the edge-of-stability lesson shows in the page what its text
//! says.
//!
//! The harness is `common/mod.rs`; needs `cargo xtask build` first and Chromium.

use std::time::{Duration, Instant};

use gdviz::format::short;
use serde_json::{json, Value};

mod common;

use common::*;

/// Network mode's sharpness state as the page reports it.
fn sharp(page: &Page) -> Value {
    page.js("window.gdviz.state().network.sharpness ?? null")
}

/// Polls until the run has trained and every step is measured (up to `secs` seconds).
fn measured(page: &Page, secs: u64) -> Value {
    let start = Instant::now();
    loop {
        let s = sharp(page);
        if s["of"].as_u64().is_some_and(|of| of > 0)
            && s["measured"] == s["of"]
            && s["computing"] == json!(false)
        {
            return s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "timed out measuring the sharpness: {s}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect()
}

fn caption(page: &Page) -> String {
    page.js("document.querySelector('#net-sharp-caption').textContent")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Pixels of λmax's blue on the chart, and a digest of all of them.
fn chart_pixels(page: &Page) -> (u64, i64) {
    let v = page.js(
        "(() => { const c = document.querySelector('#net-sharpness'); \
         const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
         let h = 0, blue = 0; for (let i = 0; i < d.length; i += 4) { \
         if (d[i] === 31 && d[i + 1] === 95 && d[i + 2] === 209) blue++; \
         if (i % 20 === 0) h = (h * 31 + d[i] + d[i + 3]) | 0; } return [blue, h]; })()",
    );
    (v[0].as_u64().unwrap(), v[1].as_i64().unwrap())
}

/// λmax at the initial weights of the run `query` describes, by the core's long iteration.
fn native_sharpness_at_start(query: &str) -> f64 {
    use gdviz::share::{changes, parse_query};
    let opts = gdviz::options::strict(&changes(&parse_query(query))).unwrap();
    let (data, model, cfg) = opts.network_run().unwrap();
    let theta = model.init(cfg.init_seed);
    gdviz::network::sharpness(&model, &theta, &data.train, 400, 3)
}

#[test]
fn opening_sharpness_measures_the_run_against_two_over_the_rate() {
    let query = "mode=network&dataset=sine&hidden=4&optimizer=sgd&lr=0.3&steps=300";
    let page = Page::open_at(1280, 900, &format!("?{query}"));
    // Closed, nothing is measured.
    assert_eq!(
        page.js("document.querySelector('#net-sharp').open"),
        json!(false)
    );
    // The second module sizes its views when it arrives, which moves the box: click once it
    // is there.
    wait(&page, "window.gdviz.state().network.trained", |t| {
        t.is_number()
    });
    click(&page, "#net-sharp > summary");
    let s = measured(&page, 90);
    assert_eq!(s["open"], json!(true));
    let (steps, lambda, limit) = (
        floats(&s["steps"]),
        floats(&s["lambda"]),
        floats(&s["limit"]),
    );
    assert_eq!((steps[0], *steps.last().unwrap()), (0.0, 300.0));
    assert!(steps.len() > 40 && lambda.len() == steps.len(), "{s}");
    // The line is 2/γ at every step (a constant rate).
    for l in &limit {
        assert!((l - 2.0 / 0.3).abs() < 1e-12, "{l}");
    }
    // At step 0 (the initial weights, the same in wasm and natively) λmax is the core's.
    let native = native_sharpness_at_start(query);
    assert!(
        (lambda[0] - native).abs() <= 1e-3 * native,
        "{} vs {native}",
        lambda[0]
    );
    // The caption reads those numbers.
    let words = caption(&page);
    let last = *lambda.last().unwrap();
    for part in [
        format!("at {} steps", steps.len()),
        format!(
            "from {} at step 0 to {} at step 300",
            short(lambda[0]),
            short(last)
        ),
        format!("passes 2/γ, {} at the last rate", short(2.0 / 0.3)),
    ] {
        assert!(words.contains(&part), "{part:?} in {words}");
    }
    let (blue, digest) = chart_pixels(&page);
    assert!(blue > 200, "λmax drawn: {blue} blue pixels");
    // Scrubbing back moves the chart's line at the step shown; the measurements stay.
    page.js("(() => { const s = document.querySelector('#scrub'); s.value = '100'; s.dispatchEvent(new Event('input')); })()");
    let moved = wait(&page, "window.gdviz.state().network.step", |v| {
        v != &json!(300)
    });
    assert!(moved.as_u64().unwrap() <= 100, "{moved}");
    assert_ne!(
        chart_pixels(&page).1,
        digest,
        "the chart follows the step shown"
    );
    assert_eq!(sharp(&page)["lambda"], s["lambda"]);
    // Adam: a new run, measured again, with no line and the reason in words.
    page.js("window.gdviz.set({optimizer: 'adam', lr: 0.01})");
    let s = measured(&page, 90);
    assert!(floats(&s["limit"]).iter().all(|l| l.is_nan()), "{s}");
    assert!(
        caption(&page).contains("Adam scales each coordinate's step"),
        "{}",
        caption(&page)
    );
    assert_ne!(s["lambda"][0].as_f64(), None);
    page.assert_healthy();
}

/// The lesson's text, checked in the page that shows it: λmax starts at 6.8, reaches 2/γ = 10
/// by step 400, swings up to about 14, and from step 2000 on stays within 10% of 10, while the
/// training loss falls from 0.24 to 0.016.
#[test]
fn the_edge_of_stability_lesson_shows_what_it_says() {
    let page = Page::open_at(1280, 900, "?lesson=edge-of-stability");
    let text = lesson_text(&page);
    for claim in [
        "starts at 6.8",
        "by step 400",
        "up to 14",
        "from step 2000 on",
        "from 0.24 to 0.016",
    ] {
        assert!(text.contains(claim), "{claim:?} in {text}");
    }
    // The lesson opens the chart its text is about.
    assert_eq!(
        page.js("document.querySelector('#net-sharp').open"),
        json!(true)
    );
    let s = measured(&page, 240);
    let (steps, lambda) = (floats(&s["steps"]), floats(&s["lambda"]));
    assert_eq!(short(lambda[0]), "6.846");
    let first = steps
        .iter()
        .zip(&lambda)
        .find(|(_, l)| **l >= 9.0)
        .map(|(k, _)| *k)
        .unwrap();
    assert!(first <= 400.0, "reached the line at step {first}");
    let top = lambda.iter().copied().fold(0.0, f64::max);
    assert!((13.5..14.5).contains(&top), "highest {top}");
    for (k, l) in steps.iter().zip(&lambda).filter(|(k, _)| **k >= 2000.0) {
        assert!((l - 10.0).abs() <= 1.0, "step {k}: {l}");
    }
    let n = page.js("window.gdviz.state().network");
    let last = num(&n["lastTrainLoss"], "loss");
    assert!((last - 0.016).abs() < 0.0005, "final loss {last}");
    let words = caption(&page);
    assert!(
        words.contains("the training loss went from 0.2383"),
        "{words}"
    );
    assert!(words.contains("edge of stability"), "{words}");
    page.assert_healthy();
}
