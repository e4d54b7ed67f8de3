//! Races in Network mode, as a student uses them in headless Chromium: up to four optimizers
//! train the same network from the same initial weights; the chart draws every run in its
//! colour, the legend under the views names each run's numbers and selects it with a real
//! click; a change to one run trains that run again and leaves the others as they were; the
//! landscape and the sharpness follow the selected run; a run that diverges says so while the
//! others finish. The numbers are checked against the core trained natively here.
//!
//! The harness is `common/mod.rs`; needs `cargo xtask build` first and Chromium.

use gdviz::options::{strict, Options};
use gdviz::share::{changes, parse_query};
use serde_json::{json, Value};

mod common;

use common::*;

/// Network mode's state as the page reports it.
fn net(page: &Page) -> Value {
    page.js("window.gdviz.state().network")
}

/// Waits until every run of the race has stopped training; returns the network state.
fn trained(page: &Page) -> Value {
    wait(page, "window.gdviz.state().network", |n| {
        n["runs"]
            .as_array()
            .is_some_and(|r| !r.is_empty() && r.iter().all(|r| r["training"] == json!(false)))
    })
}

fn text(page: &Page, selector: &str) -> String {
    page.js(&format!("document.querySelector({selector:?}).textContent"))
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The options a query describes, as the page reads them.
fn options(query: &str) -> Options {
    strict(&changes(&parse_query(query))).unwrap()
}

/// Run `i` of `query`'s race trained natively: its training loss per step.
fn native_losses(query: &str, i: usize) -> Vec<f64> {
    let opts = options(query);
    let (data, model, _) = opts.network_run().unwrap();
    let t = gdviz::network::train(&model, &data, &opts.train_config_of(i)).unwrap();
    t.rows.iter().map(|r| r.train_loss).collect()
}

/// Equal to the bit: the page's wasm and this native code compute the same run (`gdviz::math`:
/// one implementation of tanh, exp, … on both; fused multiply-adds are exactly rounded on both).
fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits()
}

/// How many pixels of the curves canvas are near each run's colour (the runs not selected are
/// drawn one pixel wide, so most of their pixels are blended with the background).
fn curve_pixels(page: &Page) -> Value {
    page.js(
        "(() => { const c = document.getElementById('net-curves'); \
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
        return window.gdviz.state().runs.map(r => { \
          const [R, G, B] = [1, 3, 5].map(i => parseInt(r.colour.slice(i, i + 2), 16)); let n = 0; \
          for (let i = 0; i < d.length; i += 4) \
            if (d[i + 3] > 200 && Math.abs(d[i] - R) + Math.abs(d[i + 1] - G) + Math.abs(d[i + 2] - B) < 60) n++; \
          return n; }); })()",
    )
}

/// Asserts that each run has more than `least` pixels of its colour on the chart.
fn assert_every_run_charted(page: &Page, least: u64) {
    let counts = curve_pixels(page);
    for (i, c) in counts.as_array().unwrap().iter().enumerate() {
        assert!(
            c.as_u64().unwrap() > least,
            "run {i} is not on the chart: {counts}"
        );
    }
}

const RACE: &str = "mode=network&steps=150&runs=optimizer:sgd,lr:0.5;optimizer:adam,lr:0.02";

#[test]
fn a_race_trains_every_run_from_the_same_weights_and_the_legend_selects_one() {
    let page = Page::open_at(1280, 900, &format!("?{RACE}"));
    let n = trained(&page);
    let runs = n["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    for (i, run) in runs.iter().enumerate() {
        let native = native_losses(RACE, i);
        assert_eq!(run["trained"], json!(150), "{run}");
        let shown = run["trainLoss"].as_f64().unwrap();
        assert!(
            same(shown, native[150]),
            "run {i}: {shown} vs {}",
            native[150]
        );
    }
    // The same initial weights: both start at the same loss, and differ at the end.
    assert_eq!(native_losses(RACE, 0)[0], native_losses(RACE, 1)[0]);
    assert_ne!(runs[0]["trainLoss"], runs[1]["trainLoss"]);
    assert!(
        n["progress"]
            .as_str()
            .unwrap()
            .starts_with("trained 2 runs of 150 steps from the same weights"),
        "{n}"
    );
    // Every run is drawn in its colour on the chart.
    assert_every_run_charted(&page, 40);
    // The legend under the views names each run with its numbers.
    assert_eq!(
        page.js("document.getElementById('net-legend').hidden"),
        json!(false)
    );
    let items = page.js(
        "[...document.querySelectorAll('#net-legend .gdviz-legend-item')].map(b => [b.textContent, b.getAttribute('aria-pressed')])",
    );
    let short = gdviz::format::short;
    let first = items[0][0].as_str().unwrap();
    assert!(first.starts_with("1. sgd, lr 0.5: train loss "), "{items}");
    assert!(
        first.contains(&short(runs[0]["trainLoss"].as_f64().unwrap())),
        "{items}"
    );
    assert!(first.contains("test accuracy"), "{items}");
    assert_eq!(items[0][1], json!("true"));
    assert_eq!(items[1][1], json!("false"));
    // The surfaces' legend stays out of Network mode.
    assert_eq!(
        page.js("getComputedStyle(document.getElementById('legend')).display"),
        json!("none")
    );
    // A real click on run 2 selects it: the readouts and views follow it, nothing retrains.
    let spent = runs[0]["trained"].clone();
    click(&page, "#net-legend .gdviz-legend-item:nth-child(2)");
    let n = wait(&page, "window.gdviz.state().network", |n| {
        n["selected"] == json!(1)
    });
    assert_eq!(n["runs"][0]["trained"], spent);
    assert_eq!(n["training"], json!(false));
    assert_eq!(
        text(&page, "#net-train-loss"),
        short(n["runs"][1]["trainLoss"].as_f64().unwrap())
    );
    assert_eq!(page.state()["selected"], json!(1));
    assert!(
        page.js("location.search")
            .as_str()
            .unwrap()
            .contains("selected=1"),
        "the link keeps the selection"
    );
    page.assert_healthy();
}

#[test]
fn changing_one_run_trains_it_again_and_leaves_the_others() {
    let page = Page::open_at(1280, 900, &format!("?{RACE}&selected=1"));
    let before = trained(&page);
    // Run 2's learning rate: run 1 keeps its 150 steps and numbers; run 2 starts again.
    page.js("window.gdviz.set({ lr: 0.005 })");
    let n = net(&page);
    assert_eq!(n["runs"][0]["trained"], json!(150), "{n}");
    assert_eq!(n["runs"][0]["trainLoss"], before["runs"][0]["trainLoss"]);
    assert!(n["runs"][1]["trained"].as_u64().unwrap() < 150, "{n}");
    let after = trained(&page);
    assert_eq!(
        after["runs"][0]["trainLoss"],
        before["runs"][0]["trainLoss"]
    );
    let query = format!("{RACE}&selected=1").replace("lr:0.02", "lr:0.005");
    let native = native_losses(&query, 1);
    let shown = after["runs"][1]["trainLoss"].as_f64().unwrap();
    assert!(same(shown, native[150]), "{shown} vs {}", native[150]);
    // Adding a run copies the selected one and trains only the copy.
    click(&page, "#race-add");
    let n = net(&page);
    assert_eq!(n["runs"].as_array().unwrap().len(), 3, "{n}");
    assert_eq!(n["runs"][0]["trained"], json!(150));
    assert_eq!(n["runs"][1]["trained"], json!(150));
    let n = trained(&page);
    assert_eq!(n["runs"][2]["trainLoss"], n["runs"][1]["trainLoss"]);
    // Back to one keeps the selected run as it was.
    click(&page, "#race-clear");
    let n = net(&page);
    assert_eq!(n["runs"].as_array().unwrap().len(), 1);
    assert_eq!(n["trained"], json!(150));
    assert_eq!(n["lastTrainLoss"], after["runs"][1]["trainLoss"]);
    assert_eq!(
        page.js("document.getElementById('net-legend').hidden"),
        json!(true)
    );
    page.assert_healthy();
}

#[test]
fn the_landscape_and_the_sharpness_follow_the_selected_run() {
    let page = Page::open_at(1280, 900, &format!("?{RACE}"));
    trained(&page);
    click(&page, "#net-land > summary");
    let centre = |page: &Page| {
        wait(
            page,
            "window.gdviz.state().network.landscape.centreLoss",
            |v| v.is_number(),
        )
        .as_f64()
        .unwrap()
    };
    // The plane's loss at its centre is the selected run's own loss at its end, bit for bit.
    let n = net(&page);
    assert_eq!(centre(&page), n["runs"][0]["trainLoss"].as_f64().unwrap());
    click(&page, "#net-legend .gdviz-legend-item:nth-child(2)");
    let c = wait(&page, "window.gdviz.state().network", |n| {
        n["selected"] == json!(1) && n["landscape"]["centreLoss"].is_number()
    });
    assert_eq!(
        c["landscape"]["centreLoss"], c["runs"][1]["trainLoss"],
        "the landscape is run 2's"
    );
    // The sharpness chart measures the selected run: back on run 1 (SGD at γ = 0.5), its line
    // is at 2/γ = 4 (Adam, run 2, has no fixed limit).
    click(&page, "#net-legend .gdviz-legend-item:nth-child(1)");
    // Run 1's landscape is computed again above the Sharpness box, and its captions change
    // length as it goes: click once the page below it has stopped moving.
    wait(&page, "window.gdviz.state().network", |n| {
        n["selected"] == json!(0)
            && n["landscape"]["grid"] == json!(96)
            && n["landscape"]["computing"] == json!(false)
    });
    click(&page, "#net-sharp > summary");
    let s = wait(&page, "window.gdviz.state().network.sharpness", |s| {
        s["measured"].as_u64().is_some_and(|m| m > 0)
    });
    assert_eq!(s["limit"][0].as_f64(), Some(4.0), "{s}");
    page.assert_healthy();
}

#[test]
fn a_run_that_diverges_says_so_and_the_others_finish() {
    let query = "mode=network&dataset=sine&steps=200&runs=optimizer:sgd,lr:0.1;optimizer:sgd,lr:10";
    let page = Page::open_at(360, 900, &format!("?{query}"));
    let n = trained(&page);
    assert_eq!(n["runs"][0]["trained"], json!(200));
    assert_eq!(n["runs"][1]["diverged"], json!(true), "{n}");
    let k = n["runs"][1]["trained"].as_u64().unwrap();
    assert!(k < 200);
    let progress = n["progress"].as_str().unwrap();
    assert!(
        progress.contains(&format!("run 2 diverged after step {k}")),
        "{progress}"
    );
    let items = page.js(
        "[...document.querySelectorAll('#net-legend .gdviz-legend-item')].map(b => b.textContent)",
    );
    assert_eq!(
        items[1],
        json!(format!("2. sgd, lr 10: diverged after step {k}"))
    );
    assert!(
        items[0].as_str().unwrap().contains("test loss"),
        "a regression's legend gives the test loss: {items}"
    );
    // Every number drawn stays finite: the chart shows both runs.
    assert_every_run_charted(&page, 20);
    page.assert_healthy();
}

/// The bound: a race of four runs of 10 000 steps, every run's θ kept for scrubbing
/// (every k-th) and every step's numbers, in under 64 MB of the second module's memory.
#[test]
fn a_race_of_four_long_runs_fits_in_64_mb() {
    let page = Page::open_at(
        1280,
        900,
        "?mode=network&steps=10000&runs=optimizer:sgd,lr:0.1;optimizer:sgd,lr:0.1,momentum:0.9;optimizer:adam,lr:0.01;optimizer:rmsprop,lr:0.001",
    );
    let start = std::time::Instant::now();
    let n = loop {
        let n = net(&page);
        if n["runs"]
            .as_array()
            .is_some_and(|r| r.len() == 4 && r.iter().all(|r| r["training"] == json!(false)))
        {
            break n;
        }
        // Four runs of 10 000 steps take about 20 s on a quiet machine of this kind.
        assert!(start.elapsed().as_secs() < 600, "training did not end: {n}");
        std::thread::sleep(std::time::Duration::from_millis(500));
    };
    for run in n["runs"].as_array().unwrap() {
        assert_eq!(run["trained"], json!(10000), "{run}");
    }
    let bytes = page
        .js("import('/www/pkg/gdviz_lab.js').then(m => m.default()).then(w => w.memory.buffer.byteLength)")
        .as_f64()
        .unwrap();
    eprintln!(
        "the second module's memory after a race of four 10 000-step runs: {:.1} MB",
        bytes / 1e6
    );
    assert!(bytes < 64e6, "{bytes} bytes");
    // Scrubbing to an early step shows every run's kept step there.
    page.js("(() => { const s = document.querySelector('#scrub'); s.value = '2500'; s.dispatchEvent(new Event('input')); })()");
    let n = net(&page);
    let keep = n["keep"].as_u64().unwrap();
    for run in n["runs"].as_array().unwrap() {
        let step = run["step"].as_u64().unwrap();
        assert!(
            step <= 2500 && 2500 - step < keep && step % keep == 0,
            "{run}"
        );
    }
    page.assert_healthy();
}

/// The ends plane of a race, chosen by a real click: through θ₀, the selected run's end (the
/// centre, its own loss there) and the next run's end (◆ in that run's colour); selecting the
/// other run makes the plane through the first run's end instead.
#[test]
fn the_ends_plane_goes_through_both_runs_ends() {
    let page = Page::open_at(1280, 900, &format!("?{RACE}"));
    trained(&page);
    assert_eq!(
        page.js("document.querySelector('#net-plane-ends').disabled"),
        json!(false)
    );
    click(&page, "#net-land > summary");
    click(&page, "#net-plane-ends");
    let n = wait(&page, "window.gdviz.state().network", |n| {
        n["landscape"]["plane"] == json!("ends") && n["landscape"]["centreLoss"].is_number()
    });
    assert_eq!(n["landscape"]["centreLoss"], n["runs"][0]["trainLoss"]);
    let caption = text(&page, "#net-land-caption");
    assert!(caption.contains("run 2's last weights (◆"), "{caption}");
    // The ◆ in run 2's blue and the path in run 1's orange are on the picture.
    let colours = page.js(
        "(() => { const c = document.getElementById('net-landscape'); \
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
        return ['#d9480f', '#1c5bbf'].map(h => { \
          const [R, G, B] = [1, 3, 5].map(i => parseInt(h.slice(i, i + 2), 16)); let n = 0; \
          for (let i = 0; i < d.length; i += 4) \
            if (Math.abs(d[i] - R) + Math.abs(d[i + 1] - G) + Math.abs(d[i + 2] - B) < 30) n++; \
          return n; }); })()",
    );
    for (i, c) in colours.as_array().unwrap().iter().enumerate() {
        assert!(
            c.as_u64().unwrap() > 30,
            "run {}'s colour is missing: {colours}",
            i + 1
        );
    }
    click(&page, "#net-legend .gdviz-legend-item:nth-child(2)");
    let n = wait(&page, "window.gdviz.state().network", |n| {
        n["selected"] == json!(1) && n["landscape"]["centreLoss"].is_number()
    });
    assert_eq!(n["landscape"]["centreLoss"], n["runs"][1]["trainLoss"]);
    let caption = text(&page, "#net-land-caption");
    assert!(caption.contains("run 1's last weights (◆"), "{caption}");
    page.assert_healthy();
}

/// The lesson "Two optimizers, two basins" loads the race, opens the landscape on the ends
/// plane, and its line shows the barrier the lesson's text names, from the page's own run.
#[test]
fn the_two_basins_lesson_shows_its_barrier() {
    let page = Page::open_at(1280, 900, "?lesson=two-basins");
    // The whole line: its caption names the far end, α = 1.5.
    let n = wait(&page, "window.gdviz.state().network", |n| {
        n["landscape"]["lineCaption"]
            .as_str()
            .is_some_and(|c| c.contains("at α = 1.5"))
    });
    assert_eq!(n["runs"].as_array().unwrap().len(), 2);
    assert_eq!(n["landscape"]["plane"], json!("ends"));
    assert_eq!(
        page.js("document.getElementById('net-land').open"),
        json!(true)
    );
    let line = n["landscape"]["lineCaption"].as_str().unwrap();
    for part in [
        "from this run's last weights (α = 0, ●) to run 2's (α = 1, ◆), the training loss goes from 0.01854 to 9.75e-4",
        "to 0.2994 at α = 0.4: a barrier 0.28",
        "ended in different basins",
    ] {
        assert!(line.contains(part), "{part:?} in {line}");
    }
    // The caption under the chart says the same once the page has written it.
    wait(
        &page,
        "document.getElementById('net-line-caption').textContent",
        |c| c.as_str() == Some(line),
    );
    page.assert_healthy();
}

/// The sharpness measured over the selected run once it is done: (selected, steps, λmax).
fn sharpness_done(page: &Page) -> (u64, Vec<f64>, Vec<f64>) {
    let n = wait(page, "window.gdviz.state().network", |n| {
        let s = &n["sharpness"];
        s["of"].as_u64().is_some_and(|of| of > 0)
            && s["measured"] == s["of"]
            && s["computing"] == json!(false)
    });
    let floats = |v: &Value| -> Vec<f64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    };
    (
        n["selected"].as_u64().unwrap(),
        floats(&n["sharpness"]["steps"]),
        floats(&n["sharpness"]["lambda"]),
    )
}

/// The lesson "Mini-batches: noisy steps, more progress for the work" races full-batch
/// gradient descent against batches of 8 and opens the sharpness on the mini-batch run: the
/// page's own runs end where its text says, and λmax at run 2's end is about half of run 1's
/// 0.82, which a real click on run 1 in the legend shows. The γ = 0.3 button turns it round.
#[test]
fn the_batch_size_lesson_shows_what_it_says() {
    let page = Page::open_at(1280, 900, "?lesson=batch-size");
    let said = lesson_text(&page);
    assert!(said.contains("rises at 433 of them"), "{said}");
    let n = trained(&page);
    let runs = n["runs"].as_array().unwrap();
    let fixed = gdviz::format::fixed;
    assert_eq!(
        (
            fixed(runs[1]["trainLoss"].as_f64().unwrap(), 4),
            runs[1]["trainAcc"].as_f64()
        ),
        ("0.0050".to_string(), Some(1.0)),
        "{n}"
    );
    assert_eq!(
        page.js("document.getElementById('net-sharp').open"),
        json!(true)
    );
    let (selected, steps, mini) = sharpness_done(&page);
    assert_eq!((selected, steps.last().copied()), (1, Some(1000.0)));
    click(&page, "#net-legend .gdviz-legend-item:nth-child(1)");
    wait(&page, "window.gdviz.state().network.selected", |s| {
        s == &json!(0)
    });
    let (selected, steps, full) = sharpness_done(&page);
    assert_eq!((selected, steps.last().copied()), (0, Some(1000.0)));
    let (full, mini) = (*full.last().unwrap(), *mini.last().unwrap());
    assert_eq!(fixed(full, 2), "0.82");
    assert!((0.45..0.55).contains(&(mini / full)), "{mini} / {full}");
    // The other choice: at γ = 0.3 run 2 ends the sharper (1.65 against 1.36).
    click(&page, "#lesson-choices button:nth-child(2)");
    wait(&page, "window.gdviz.state().runs.map(r => r.lr)", |lr| {
        lr == &json!([0.3, 0.3])
    });
    trained(&page);
    let (selected, _, mini) = sharpness_done(&page);
    assert_eq!(selected, 1);
    assert_eq!(fixed(*mini.last().unwrap(), 2), "1.65");
    click(&page, "#net-legend .gdviz-legend-item:nth-child(1)");
    wait(&page, "window.gdviz.state().network.selected", |s| {
        s == &json!(0)
    });
    let (selected, _, full) = sharpness_done(&page);
    assert_eq!(selected, 0);
    assert_eq!(fixed(*full.last().unwrap(), 2), "1.36");
    page.assert_healthy();
}

/// Pixels of run `i`'s colour in the right half of the curves canvas (the canvas is
/// transparent under the lines, so a thin line's pixels keep its colour at a lower alpha).
fn right_half_pixels(page: &Page, i: usize) -> u64 {
    page.js(&format!(
        "(() => {{ const c = document.getElementById('net-curves'); const x = c.width >> 1; \
         const d = c.getContext('2d').getImageData(x, 0, c.width - x, c.height).data; \
         const colour = window.gdviz.state().runs[{i}].colour; \
         const [R, G, B] = [1, 3, 5].map(k => parseInt(colour.slice(k, k + 2), 16)); let n = 0; \
         for (let k = 0; k < d.length; k += 4) \
           if (d[k + 3] > 50 && Math.abs(d[k] - R) + Math.abs(d[k + 1] - G) + Math.abs(d[k + 2] - B) < 60) n++; \
         return n; }})()"
    ))
    .as_u64()
    .unwrap()
}

/// Loss curves per epoch, chosen with the keyboard in the menu: the batch-size race is redrawn
/// with each run at the end of each pass over the training examples, so run 2's 1000 steps
/// (40 epochs) end in the chart's first twenty-fifth while run 1's 1000 epochs span it; nothing
/// retrains, the chart's text says so, and the link keeps it.
#[test]
fn curves_per_epoch_line_the_runs_up_by_the_examples_seen() {
    let page = Page::open_at(1280, 900, "?lesson=batch-size");
    let n = trained(&page);
    assert!(right_half_pixels(&page, 1) > 100, "run 2 spans the steps");
    page.js("document.getElementById('curves').focus()");
    press(&page, "ArrowDown", 1);
    let n2 = wait(&page, "window.gdviz.state().network", |n| {
        n["curvesText"]
            .as_str()
            .is_some_and(|t| t.contains("per epoch"))
    });
    assert_eq!(
        page.js("document.getElementById('curves').value"),
        json!("epoch")
    );
    // Nothing retrained: the same steps, the same computing time.
    assert_eq!(
        (
            &n2["runs"][0]["trained"],
            &n2["runs"][1]["trained"],
            &n2["spentMs"]
        ),
        (&json!(1000), &json!(1000), &n["spentMs"])
    );
    assert!(
        n2["curvesText"]
            .as_str()
            .unwrap()
            .starts_with("Training (solid) and test (dashed) loss per epoch (at the end of each pass over the training examples"),
        "{n2}"
    );
    assert_eq!(
        right_half_pixels(&page, 1),
        0,
        "run 2's 40 epochs end early"
    );
    let run1 = right_half_pixels(&page, 0);
    assert!(run1 > 100, "run 1's 1000 epochs span the chart: {run1}");
    let link = page.js("window.gdviz.link()");
    let link = link.as_str().unwrap();
    assert!(link.contains("curves=epoch"), "{link}");
    page.assert_healthy();
    // The link opens per epoch in a fresh page.
    let again = Page::open_at(1280, 900, &link[link.find('?').unwrap()..]);
    let n = trained(&again);
    assert!(
        n["curvesText"].as_str().unwrap().contains("loss per epoch"),
        "{n}"
    );
    assert_eq!(
        again.js("document.getElementById('curves').value"),
        json!("epoch")
    );
    again.assert_healthy();
}

/// The lesson "A schedule settles a network's noisy training", checked in the page's own runs
/// by scrubbing through steps 900 to 1000: constant γ's training accuracy swings between 87.5%
/// and 96%, cosine annealing's stays at 100% with its loss at 0.0067.
#[test]
fn the_schedule_lesson_shows_what_it_says() {
    let page = Page::open_at(1280, 900, "?lesson=schedule-settles");
    let said = lesson_text(&page);
    assert!(said.contains("swings between 87.5% and 96%"), "{said}");
    trained(&page);
    let ranges = page.js(
        "(() => { const s = document.getElementById('scrub'); const r = [[1, 0, 1e9, 0], [1, 0, 1e9, 0]]; \
         for (let k = 900; k <= 1000; k++) { s.value = String(k); s.dispatchEvent(new Event('input')); \
           window.gdviz.state().network.runs.forEach((run, i) => { \
             r[i][0] = Math.min(r[i][0], run.trainAcc); r[i][1] = Math.max(r[i][1], run.trainAcc); \
             r[i][2] = Math.min(r[i][2], run.trainLoss); r[i][3] = Math.max(r[i][3], run.trainLoss); }); } \
         return r; })()",
    );
    let fixed = gdviz::format::fixed;
    let f = |i: usize, k: usize| ranges[i][k].as_f64().unwrap();
    assert_eq!((f(0, 0), f(0, 1)), (0.875, 0.96), "{ranges}");
    assert_eq!(
        (fixed(f(0, 2), 2), fixed(f(0, 3), 2)),
        ("0.13".into(), "0.42".into())
    );
    assert_eq!((f(1, 0), f(1, 1)), (1.0, 1.0), "{ranges}");
    assert_eq!(
        (fixed(f(1, 2), 4), fixed(f(1, 3), 4)),
        ("0.0067".into(), "0.0067".into())
    );
    page.assert_healthy();
}

/// The lesson "A network's plateau", checked in the page's own runs by scrubbing: run 1's loss
/// first falls below 0.5 at step 425 and run 2's at step 455; at step 40 (the work of run 2's
/// 1000 steps) run 1 is still at 0.692 and 51.5%; both end at 0.031 and 99%.
#[test]
fn the_plateau_lesson_shows_what_it_says() {
    let page = Page::open_at(1280, 900, "?lesson=net-plateau");
    let said = lesson_text(&page);
    assert!(
        said.contains("run 1's loss falls below 0.5 first, at step 425, run 2's at step 455"),
        "{said}"
    );
    let n = trained(&page);
    let fixed = gdviz::format::fixed;
    for run in n["runs"].as_array().unwrap() {
        assert_eq!(
            (
                fixed(run["trainLoss"].as_f64().unwrap(), 3),
                run["trainAcc"].as_f64()
            ),
            ("0.031".to_string(), Some(0.99)),
            "{n}"
        );
    }
    let seen = page.js(
        "(() => { const s = document.getElementById('scrub'); const off = [null, null]; \
         const at = (k) => { s.value = String(k); s.dispatchEvent(new Event('input')); \
           return window.gdviz.state().network.runs; }; \
         for (let k = 400; k <= 470; k++) at(k).forEach((run, i) => { \
           if (off[i] === null && run.trainLoss < 0.5) off[i] = k; }); \
         const r = at(40)[0]; return [off, r.trainLoss, r.trainAcc]; })()",
    );
    assert_eq!(seen[0], json!([425, 455]), "{seen}");
    assert_eq!(fixed(seen[1].as_f64().unwrap(), 3), "0.692");
    assert_eq!(seen[2].as_f64(), Some(0.515));
    page.assert_healthy();
}

/// The ends plane is redrawn when the other run changes: the ◆ is the new run's end.
#[test]
fn the_ends_plane_follows_a_changed_partner() {
    let page = Page::open_at(1280, 900, &format!("?{RACE}"));
    trained(&page);
    click(&page, "#net-land > summary");
    click(&page, "#net-plane-ends");
    wait(
        &page,
        "window.gdviz.state().network.landscape.centreLoss",
        |v| v.is_number(),
    );
    page.js("window.gdviz.set({ runs: 'optimizer:sgd,lr:0.5;optimizer:adam,lr:0.005' })");
    let n = wait(&page, "window.gdviz.state().network", |n| {
        n["runs"][1]["training"] == json!(false) && n["landscape"]["centreLoss"].is_number()
    });
    assert_eq!(n["selected"], json!(0));
    assert_eq!(n["runs"][0]["trained"], json!(150));
    let loss = gdviz::format::short(n["runs"][1]["trainLoss"].as_f64().unwrap());
    let caption = n["landscape"]["caption"].as_str().unwrap();
    assert!(
        caption.contains(&format!("run 2's last weights (◆, training loss {loss})")),
        "{caption}"
    );
    page.assert_healthy();
}

/// Removing a run in the middle keeps the others' steps; back to one on the ends plane
/// returns the landscape to the PCA plane (the ends plane needs a second run).
#[test]
fn removing_runs_keeps_the_others_and_back_to_one_leaves_the_ends_plane() {
    let page = Page::open_at(
        1280,
        900,
        "?mode=network&steps=150&runs=optimizer:sgd,lr:0.5;optimizer:adam,lr:0.02;optimizer:rmsprop,lr:0.01",
    );
    let before = trained(&page);
    click(&page, "#race-rows .gdviz-race-row:nth-child(2) button");
    let n = net(&page);
    assert_eq!(n["runs"].as_array().unwrap().len(), 2, "{n}");
    assert_eq!(n["runs"][1]["trained"], json!(150));
    assert_eq!(n["runs"][1]["trainLoss"], before["runs"][2]["trainLoss"]);
    assert_eq!(n["runs"][0]["trainLoss"], before["runs"][0]["trainLoss"]);
    click(&page, "#net-land > summary");
    click(&page, "#net-plane-ends");
    wait(&page, "window.gdviz.state().network.landscape", |l| {
        l["plane"] == json!("ends") && l["centreLoss"].is_number()
    });
    click(&page, "#race-clear");
    let l = wait(&page, "window.gdviz.state().network.landscape", |l| {
        l["plane"] == json!("pca") && l["centreLoss"].is_number()
    });
    assert!(l["explained"].is_array(), "{l}");
    assert_eq!(
        page.js("[document.querySelector('#net-plane-ends').disabled, document.querySelector('#net-plane-pca').getAttribute('aria-pressed')]"),
        json!([true, "true"])
    );
    page.assert_healthy();
}

/// A run whose settings Network mode refuses (Newton's n × n Hessian) names itself, nothing
/// trains, and putting it back brings the race back with the steps it had.
#[test]
fn a_run_that_cannot_start_names_itself_and_the_race_comes_back() {
    let page = Page::open_at(1280, 900, &format!("?{RACE}"));
    let before = trained(&page);
    page.js("window.gdviz.set({ runs: 'optimizer:sgd,lr:0.5;optimizer:newton' })");
    let n = net(&page);
    let error = n["error"].as_str().unwrap_or_default().to_string();
    assert!(error.starts_with("run 2: "), "{n}");
    assert!(
        n["progress"]
            .as_str()
            .unwrap()
            .starts_with("cannot train: run 2: "),
        "{n}"
    );
    page.js("window.gdviz.set({ runs: 'optimizer:sgd,lr:0.5;optimizer:adam,lr:0.02' })");
    let n = net(&page);
    assert_eq!(n["error"], json!(null));
    for i in 0..2 {
        assert_eq!(n["runs"][i]["trained"], json!(150), "{n}");
        assert_eq!(n["runs"][i]["trainLoss"], before["runs"][i]["trainLoss"]);
    }
    page.assert_healthy();
}

/// "Add an optimizer" copies the selected run: two runs with the same settings. What was
/// measured on the first (its sharpness) is not shown for the copy, which starts at step 0
/// (runs are told apart by identity, not settings; the monkey found this as a panic).
#[test]
fn a_copy_of_a_measured_run_is_measured_afresh() {
    let page = Page::open_at(1280, 900, "?mode=network&steps=60&optimizer=sgd&lr=0.5");
    trained(&page);
    click(&page, "#net-sharp > summary");
    let first = wait(&page, "window.gdviz.state().network.sharpness", |s| {
        s["of"].as_u64().is_some_and(|of| of > 3) && s["measured"] == s["of"]
    });
    click(&page, "#race-add");
    let n = wait(&page, "window.gdviz.state().network", |n| {
        n["runs"].as_array().is_some_and(|r| r.len() == 2)
    });
    assert_eq!(n["selected"], json!(1), "the copy is selected");
    // The copy starts from nothing measured: it may have trained and measured a step or two by
    // the time the page is read (a loaded machine lets frames pass), never the first's all.
    let measured = n["sharpness"]["measured"].as_u64().unwrap();
    assert!(measured < first["of"].as_u64().unwrap(), "{n}");
    assert!(
        n["sharpness"]["lambda"].as_array().map_or(0, Vec::len) as u64 <= measured,
        "{n}"
    );
    let again = wait(&page, "window.gdviz.state().network.sharpness", |s| {
        s["measured"] == first["of"]
    });
    // The copy trains to the same weights, so its sharpness, measured the same way, is the
    // same to the bit.
    assert_eq!(again["lambda"], first["lambda"]);
    page.assert_healthy();
}
