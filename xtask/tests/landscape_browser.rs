//! Network mode's loss landscape as a student uses it, in headless Chromium: a real click opens
//! it, a coarse picture comes first and the fine one replaces it, the plane meets the run where
//! it ends (the plane's loss at θ_T is the training loss the readouts show), the PCA plane's
//! explained variance is the core's, a new learning rate drops the stale computation and draws
//! the new run's landscape, and the plane chooser works by real clicks on a phone-sized screen.
//!
//! The harness is `common/mod.rs`; needs `cargo xtask build` first and Chromium.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod common;

use common::*;

/// A real drag of the learning-rate slider's thumb from its place by `fraction` of its width.
fn drag_lr(page: &Page, fraction: f64) {
    let (_, y) = centre(page, "#lr");
    let r = page.js(
        "(() => { const e = document.querySelector('#lr'); const r = e.getBoundingClientRect(); \
         return [r.left + r.width * (e.value - e.min) / (e.max - e.min), r.width]; })()",
    );
    let (x, width) = pair(&r, "lr thumb");
    mouse(page, "mousePressed", (x, y), 1);
    for k in 1..=6 {
        mouse(
            page,
            "mouseMoved",
            (x + width * fraction * k as f64 / 6.0, y),
            1,
        );
    }
    mouse(page, "mouseReleased", (x + width * fraction, y), 0);
}

/// Network mode's state as the page reports it.
fn net(page: &Page) -> Value {
    page.js("window.gdviz.state().network")
}

/// Polls Network mode's state (every 20 ms, up to 180 s: the four tests' pages compute their
/// landscapes at once on two cores) until `done`; returns it and every landscape grid size seen
/// on the way.
fn until(page: &Page, what: &str, done: impl Fn(&Value) -> bool) -> (Value, Vec<u64>) {
    let start = Instant::now();
    let mut sizes = Vec::new();
    loop {
        let n = net(page);
        if let Some(g) = n["landscape"]["grid"].as_u64() {
            if sizes.last() != Some(&g) {
                sizes.push(g);
            }
        }
        if done(&n) {
            return (n, sizes);
        }
        assert!(
            start.elapsed() < Duration::from_secs(180),
            "timed out waiting for {what}: {n}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The run trained and its landscape's fine grid drawn.
fn finished(n: &Value) -> bool {
    n["training"] == json!(false)
        && n["landscape"]["grid"] == json!(96)
        && n["landscape"]["computing"] == json!(false)
}

/// A digest of the landscape canvas's pixels.
fn landscape_pixels(page: &Page) -> Value {
    page.js(
        "(() => { const c = document.querySelector('#net-landscape'); \
         const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
         let h = 0, inked = 0; for (let i = 0; i < d.length; i += 4) { \
         if (d[i + 3]) inked++; if (i % 28 === 0) h = (h * 31 + d[i]) | 0; } \
         return [c.width, c.height, inked, h]; })()",
    )
}

fn text(page: &Page, selector: &str) -> String {
    page.js(&format!("document.querySelector({selector:?}).textContent"))
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn f(v: &Value, what: &str) -> f64 {
    num(v, what)
}

/// The default network trained by Adam at 0.02 for 300 steps, natively: the PCA plane of its
/// path as the page thins it (every second step, θ_T last; `gdviz landscape` thins it the same):
/// its explained variance, and its curvature at θ_T (the eigenvalues of its 2×2 Hessian,
/// largest first).
fn native_plane() -> ([f64; 2], [f64; 2]) {
    use gdviz::network::landscape::{pca_plane, plane_hessian};
    use gdviz::network::train::{train, TrainConfig};
    use gdviz::share::{changes, parse_query};
    let query = "mode=network&optimizer=adam&lr=0.02&steps=300";
    let opts = gdviz::options::strict(&changes(&parse_query(query))).unwrap();
    let (data, model, cfg) = opts.network_run().unwrap();
    let cfg = TrainConfig {
        keep_every: Some(2),
        ..cfg
    };
    let t = train(&model, &data, &cfg).unwrap();
    let path: Vec<Vec<f64>> = t.path.iter().map(|(_, theta)| theta.clone()).collect();
    assert_eq!(path.len(), 151);
    let plane = pca_plane(&path).unwrap();
    let (lo, hi) = gdviz::linalg::sym_eigenvalues(plane_hessian(&model, &data.train, &plane));
    (plane.explained.unwrap(), [hi, lo])
}

#[test]
fn opening_the_landscape_draws_the_plane_through_the_runs_end() {
    let page = Page::open_at(1280, 900, "?mode=network&optimizer=adam&lr=0.02&steps=300");
    assert_eq!(
        page.js("document.querySelector('#net-land').open"),
        json!(false)
    );
    until(&page, "training", |n| n["training"] == json!(false));
    // Closed, nothing is computed.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(net(&page)["landscape"]["grid"], json!(0));
    click(&page, "#net-land > summary");
    let (n, sizes) = until(&page, "the fine grid", finished);
    // The coarse picture first, then the fine one.
    assert_eq!(sizes, [0, 32, 96], "{n}");
    let land = &n["landscape"];
    assert_eq!(land["plane"], json!("pca"));
    // The plane's loss where the path ends (its origin) is the run's training loss at θ_T.
    assert_eq!(land["centreLoss"], n["lastTrainLoss"], "{land}");
    assert!(f(&land["minLoss"], "minLoss") > 0.0);
    // PCA's explained variance is the core's, to the bit (`gdviz::math`).
    let shown = [
        f(&land["explained"][0], "e1"),
        f(&land["explained"][1], "e2"),
    ];
    let (core, curvature) = native_plane();
    for (a, b) in shown.iter().zip(core) {
        assert_eq!(a.to_bits(), b.to_bits(), "{shown:?} vs {core:?}");
    }
    // So is the plane's own curvature at θ_T.
    for (k, b) in curvature.iter().enumerate() {
        let a = f(&land["planeCurvature"][k], "planeCurvature");
        assert_eq!(a.to_bits(), b.to_bits(), "{land} vs {curvature:?}");
    }
    // The straight line from θ₀ to θ_T: its ends are the run's own losses at steps 0 and 300,
    // and the loss falls all the way along it (checked here from the numbers drawn).
    let line = text(&page, "#net-line-caption");
    let first = page.js("window.gdviz.state().network.trainLoss");
    page.js("(() => { const s = document.querySelector('#scrub'); s.value = '0'; s.dispatchEvent(new Event('input')); })()");
    let start = f(&net(&page)["trainLoss"], "loss at step 0");
    page.js("(() => { const s = document.querySelector('#scrub'); s.value = '300'; s.dispatchEvent(new Event('input')); })()");
    let short = gdviz::format::short;
    let end = f(&first, "loss at step 300");
    assert!(
        line.contains(&format!(
            "goes from {} to {}, falling all the way",
            short(start),
            short(end)
        )),
        "{line}"
    );
    let inked = page.js("(() => { const c = document.querySelector('#net-line'); \
         const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
         let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; })()");
    assert!(f(&inked, "line pixels") > 1000.0, "{inked}");
    // Said in the caption and on the axes' text alternative.
    let caption = text(&page, "#net-land-caption");
    let pct = |v: f64| format!("{}%", gdviz::format::fixed(v * 100.0, 1));
    assert!(
        caption.contains(&format!("{} and {}", pct(core[0]), pct(core[1]))),
        "{caption}"
    );
    assert!(caption.contains("not the path"), "{caption}");
    // The plane's curvature, told apart from the network's sharpness.
    let hi = curvature[0];
    assert!(
        caption.contains(&format!("are {} and {}", short(hi), short(curvature[1])))
            && caption.contains(&format!(
                "overshoot above γ = 2/{} = {}",
                short(hi),
                short(2.0 / hi)
            ))
            && caption.contains("λmax (Sharpness, below) is at least"),
        "{caption}"
    );
    let alt = text(&page, "#net-landscape-text");
    assert!(alt.starts_with("Loss landscape (96×96 grid)"), "{alt}");
    // Drawn: the canvas is inked and shown at the box's size.
    let px = landscape_pixels(&page);
    assert!(
        f(&px[2], "inked") > 0.5 * f(&px[0], "w") * f(&px[1], "h"),
        "{px}"
    );
    // Scrubbing moves the point shown on the plane; the picture's numbers stay.
    page.js("(() => { const s = document.querySelector('#scrub'); s.value = '100'; s.dispatchEvent(new Event('input')); })()");
    assert_ne!(landscape_pixels(&page), px, "the point shown moved");
    let scrubbed = net(&page);
    assert_eq!(scrubbed["step"], json!(100));
    assert_eq!(scrubbed["landscape"]["minLoss"], land["minLoss"]);
    assert!(text(&page, "#net-land-caption").contains("● step 100"));
    // Frame-sized chunks: no frame computes even the coarse grid whole (about 35 frames here,
    // a few ms each; the milliseconds themselves are the machine's, reported, not asserted).
    let points = f(&land["longestChunkPoints"], "points");
    assert!((8.0..1024.0).contains(&points), "{land}");
    page.assert_healthy();
}

#[test]
fn a_new_learning_rate_drops_the_stale_landscape_and_draws_the_new_runs() {
    let page = Page::open_at(1280, 900, "?mode=network&optimizer=adam&lr=0.02&steps=300");
    // The second module sizes its views when it arrives, which moves the box: click once
    // it is there.
    until(&page, "the view", |n| n["trained"].is_number());
    click(&page, "#net-land > summary");
    let (first, _) = until(&page, "the fine grid", finished);
    let pixels = landscape_pixels(&page);
    // A change while the next coarse picture computes: the stale computation is dropped at
    // once, and what comes is the new run's.
    page.js("window.gdviz.set({lr: 0.01})");
    // The plane's curvature comes before the fine grid and lengthens the caption above the
    // slider: the drag starts once it is in, so the page does not move under the mouse.
    let (n, _) = until(&page, "the coarse grid", |n| {
        n["landscape"]["grid"] == json!(32)
            && n["trainLoss"].is_number()
            && n["landscape"]["planeCurvature"].is_array()
    });
    assert_ne!(n["lastTrainLoss"], first["lastTrainLoss"]);
    // A real drag of the learning rate while the fine grid computes.
    drag_lr(&page, 0.1);
    let dropped = net(&page);
    assert_eq!(dropped["landscape"]["grid"], json!(0), "{dropped}");
    let lr = page.state()["lr"].as_f64().unwrap();
    assert!(lr > 0.011, "the drag raised γ: {lr}");
    let (n, sizes) = until(&page, "the new fine grid", finished);
    assert_eq!(sizes.last(), Some(&96));
    let land = &n["landscape"];
    assert_eq!(land["centreLoss"], n["lastTrainLoss"], "{land}");
    for key in ["centreLoss", "minLoss", "explained"] {
        assert_ne!(land[key], first["landscape"][key], "{key}");
    }
    assert_ne!(landscape_pixels(&page), pixels, "drawn again");
    page.assert_healthy();
}

/// The learning-rate slider sits below the landscape's captions, which shrink to "Computing…"
/// and grow back as a new rate's landscape is computed. While a person drags the slider and the
/// views recompute, the captions keep their height, so the slider stays under the pointer:
/// its position, read every animation frame from the press to the last picture, never moves
/// while the work goes on. Once all is computed the captions take their own height again (the
/// new run's numbers may wrap a line differently: the page may move then, at rest).
#[test]
fn the_slider_stays_under_the_pointer_while_the_landscape_recomputes() {
    for width in [1280, 380] {
        slider_stays_put(width);
    }
}

fn slider_stays_put(width: u32) {
    let page = Page::open_at(width, 900, "?mode=network&optimizer=adam&lr=0.02&steps=300");
    until(&page, "the run", |n| n["training"] == json!(false));
    click(&page, "#net-land > summary");
    until(&page, "the fine grid", finished);
    // Every frame, the slider's top in the document.
    page.js(
        "(() => { window.__tops = []; const e = document.querySelector('#lr'); \
         const held = document.querySelector('#net-land-caption').style; \
         const f = () => { if (held.minHeight || !window.__tops.length) \
         window.__tops.push(e.getBoundingClientRect().top + scrollY); \
         window.__topFrame = requestAnimationFrame(f); }; f(); })()",
    );
    drag_lr(&page, 0.1);
    press(&page, "ArrowRight", 3);
    until(&page, "the new fine grid", finished);
    let tops =
        page.js("(() => { cancelAnimationFrame(window.__topFrame); return window.__tops; })()");
    let tops: Vec<f64> = tops
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(tops.len() > 20, "{} frames", tops.len());
    let (lo, hi) = tops
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &t| {
            (a.min(t), b.max(t))
        });
    let changes: Vec<(usize, f64)> = tops
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0] != w[1])
        .map(|(i, w)| (i + 1, w[1] - w[0]))
        .collect();
    assert!(
        hi - lo < 0.5,
        "{width} px wide: the slider moved {} px over {} frames: {changes:?}",
        hi - lo,
        tops.len()
    );
    // Done (the last picture is drawn the frame after the last computation): the captions
    // hold nothing.
    wait(
        &page,
        "['net-land-caption', 'net-line-caption', 'net-sharp-caption', 'net-update-rule', 'net-update-lines', 'net-update-note'].every(id => document.getElementById(id).style.minHeight === '')",
        |v| v == &json!(true),
    );
    page.assert_healthy();
}

#[test]
fn the_plane_chooser_works_by_real_clicks_on_a_phone() {
    let page = Page::open_at(360, 800, "?mode=network&optimizer=adam&lr=0.02&steps=200");
    // The second module sizes its views when it arrives, which moves the box: click once
    // it is there.
    until(&page, "the view", |n| n["trained"].is_number());
    click(&page, "#net-land > summary");
    let (pca, _) = until(&page, "the PCA plane", finished);
    assert!(pca["landscape"]["explained"].is_array());
    click(&page, "#net-plane-random");
    assert_eq!(
        page.js("document.querySelector('#net-plane-random').getAttribute('aria-pressed')"),
        json!("true")
    );
    let (random, _) = until(&page, "the random plane", |n| {
        n["landscape"]["plane"] == json!("random") && finished(n)
    });
    let land = &random["landscape"];
    assert_eq!(land["explained"], json!(null));
    assert_eq!(land["centreLoss"], random["lastTrainLoss"]);
    assert_ne!(land["minLoss"], pca["landscape"]["minLoss"]);
    assert!(text(&page, "#net-land-caption").contains("random directions"));
    // The ends plane needs a second run: the button is disabled and says why.
    assert_eq!(
        page.js("document.querySelector('#net-plane-ends').disabled"),
        json!(true)
    );
    assert!(text(&page, "#net-plane-ends-why").contains("add an optimizer under Race"));
    click(&page, "#net-plane-ends");
    assert_eq!(net(&page)["landscape"]["plane"], json!("random"));
    click(&page, "#net-plane-pca");
    let (back, _) = until(&page, "the PCA plane again", |n| {
        n["landscape"]["plane"] == json!("pca") && finished(n)
    });
    assert_eq!(
        back["landscape"]["explained"], pca["landscape"]["explained"],
        "the same plane"
    );
    // The views fit the phone's width.
    let w = page.js("document.querySelector('#net-landscape-box').getBoundingClientRect().right");
    assert!(f(&w, "right") <= 360.0, "{w}");
    page.assert_healthy();
}

/// The landscape lesson opens the landscape, and the page shows what its text says: the PCA
/// shares it names and a line from θ₀ to θ_T without a barrier.
#[test]
fn the_landscape_lesson_shows_what_it_says() {
    let page = Page::open_at(1280, 900, "?lesson=landscape");
    let said = lesson_text(&page);
    for claim in ["93.1% and 4.1%", "falls all the way", "from 0.67 to 0.001"] {
        assert!(said.contains(claim), "{claim:?} in {said}");
    }
    assert_eq!(
        page.js("document.querySelector('#net-land').open"),
        json!(true)
    );
    // The line is computed right after the coarse grid; the fine grid is not needed here.
    let (n, _) = until(&page, "the line", |n| {
        n["landscape"]["lineCaption"]
            .as_str()
            .is_some_and(|c| !c.starts_with("Computing"))
    });
    let caption = text(&page, "#net-land-caption");
    assert!(caption.contains("they hold 93.1% and 4.1%"), "{caption}");
    let line = text(&page, "#net-line-caption");
    assert!(line.contains("falling all the way"), "{line}");
    let short = gdviz::format::short;
    assert!(
        line.contains(&format!("to {},", short(f(&n["lastTrainLoss"], "loss")))),
        "{line}"
    );
    page.assert_healthy();
}

/// The query of a link (from its `?`).
fn query_of(link: &Value) -> String {
    let link = link.as_str().unwrap();
    link[link.find('?').expect("a query")..].to_string()
}

/// The link keeps Network mode's open views and the landscape's plane: after real clicks on
/// Loss landscape, the random plane and Sharpness, the link says so, and a fresh page from it
/// opens both on the random plane. A lesson's own view and plane are not written again;
/// closing its view is (`open=`).
#[test]
fn the_link_keeps_the_open_views_and_the_plane() {
    let page = Page::open_at(1280, 900, "?mode=network&steps=100");
    until(&page, "the run", |n| n["training"] == json!(false));
    click(&page, "#net-land > summary");
    click(&page, "#net-plane-random");
    // The landscape's captions grow while it computes, which moves Sharpness below it.
    until(&page, "the random plane", |n| {
        n["landscape"]["plane"] == json!("random") && finished(n)
    });
    click(&page, "#net-sharp > summary");
    let link = wait(&page, "window.gdviz.link()", |l| {
        l.as_str()
            .is_some_and(|l| l.contains("open=landscape,sharpness") && l.contains("plane=random"))
    });
    let again = Page::open_at(1280, 900, &query_of(&link));
    let (n, _) = until(&again, "the random plane", |n| {
        n["landscape"]["plane"] == json!("random") && n["sharpness"]["open"] == json!(true)
    });
    assert_eq!(n["landscape"]["open"], json!(true));
    assert_eq!(
        again.js("[document.getElementById('net-land').open, document.getElementById('net-sharp').open, document.getElementById('net-plane-random').getAttribute('aria-pressed')]"),
        json!([true, true, "true"])
    );
    assert_eq!(again.js("window.gdviz.notices"), json!([]));
    again.assert_healthy();

    // A lesson opens its own view on its own plane: nothing more to write.
    let lesson = Page::open_at(1280, 900, "?lesson=two-basins");
    until(&lesson, "the ends plane", |n| {
        n["landscape"]["plane"] == json!("ends") && n["training"] == json!(false)
    });
    let link = lesson.js("window.gdviz.link()");
    assert_eq!(query_of(&link), "?lesson=two-basins", "{link}");
    click(&lesson, "#net-land > summary");
    let link = wait(&lesson, "window.gdviz.link()", |l| {
        l.as_str().is_some_and(|l| l.contains("open="))
    });
    assert_eq!(query_of(&link), "?lesson=two-basins&open=", "{link}");
    let closed = Page::open_at(1280, 900, &query_of(&link));
    until(&closed, "the race", |n| n["training"] == json!(false));
    assert_eq!(
        closed.js("document.getElementById('net-land').open"),
        json!(false)
    );
    lesson.assert_healthy();
}

/// Bad `open=` and `plane=` values are notices naming what is allowed, and change nothing; the
/// ends plane of a single run is refused with the way out.
#[test]
fn bad_views_and_planes_in_a_link_are_notices() {
    for (query, says) in [
        (
            "open=bogus",
            "open: expected views among landscape and sharpness",
        ),
        (
            "open=__proto__",
            "open: expected views among landscape and sharpness",
        ),
        (
            "plane=sideways",
            "plane: expected pca, random, ends or ends:N (N another run of the race), got 'sideways'",
        ),
        ("plane=ends", "plane: ends goes through a second run's end"),
    ] {
        let page = Page::open_at(1000, 800, &format!("?mode=network&steps=50&{query}"));
        let notices = page.js("window.gdviz.notices");
        assert!(
            notices.as_array().is_some_and(|n| n.len() == 1
                && n[0].as_str().is_some_and(|t| t.starts_with(says))),
            "{query}: {notices}"
        );
        let (n, _) = until(&page, "the run", |n| n["training"] == json!(false));
        assert_eq!(n["landscape"]["plane"], json!("pca"), "{query}");
        assert_eq!(
            page.js("[document.getElementById('net-land').open, document.getElementById('net-sharp').open]"),
            json!([false, false]),
            "{query}"
        );
        page.assert_healthy();
    }
    // On the surfaces they are Network mode's, and said to be.
    let page = Page::open_at(1000, 800, "?open=landscape&plane=random");
    assert_eq!(
        page.js("window.gdviz.notices"),
        json!(["open, plane: Network mode's views, and this state shows the surfaces (add mode=network); ignored"])
    );
    page.assert_healthy();
}

/// In a race of three, the ends plane goes through the end of the run chosen beside the plane
/// buttons: a real key press chooses run 3 instead of the next run, the caption follows, the
/// link keeps `plane=ends:3` and a fresh page from it chooses run 3 again; removing run 2
/// keeps the plane on the same run (now run 2). Selecting run 3 itself sends the plane through
/// the next run's end (run 1's), and a link naming a run the race does not have is a notice.
#[test]
fn the_ends_plane_goes_through_the_run_chosen() {
    let race = "?mode=network&steps=60&runs=optimizer:sgd,lr:0.5;optimizer:adam,lr:0.02;optimizer:rmsprop,lr:0.01";
    let page = Page::open_at(1280, 900, race);
    until(&page, "the race", |n| n["training"] == json!(false));
    click(&page, "#net-land > summary");
    click(&page, "#net-plane-ends");
    let partner = |n: &Value, run: u64| {
        n["landscape"]["plane"] == json!("ends")
            && n["landscape"]["partner"] == json!(run)
            && finished(n)
    };
    until(&page, "the ends plane through run 2", |n| partner(n, 2));
    assert_eq!(
        page.js("[document.getElementById('net-plane-with-box').hidden, [...document.querySelectorAll('#net-plane-with option')].map((o) => o.value), document.getElementById('net-plane-with').value]"),
        json!([false, ["2", "3"], "2"])
    );
    let caption = text(&page, "#net-land-caption");
    assert!(caption.contains("and run 2's last weights"), "{caption}");
    page.js("document.getElementById('net-plane-with').focus()");
    press(&page, "ArrowDown", 1);
    let (n, _) = until(&page, "the ends plane through run 3", |n| partner(n, 3));
    let caption = text(&page, "#net-land-caption");
    assert!(caption.contains("and run 3's last weights"), "{caption}");
    assert!(
        text(&page, "#net-line-caption").contains("run 3"),
        "{}",
        text(&page, "#net-line-caption")
    );
    // Pressing ends again keeps the run chosen.
    click(&page, "#net-plane-ends");
    assert_eq!(net(&page)["landscape"]["partner"], json!(3));
    let link = wait(&page, "window.gdviz.link()", |l| {
        l.as_str().is_some_and(|l| l.contains("plane=ends:3"))
    });
    let again = Page::open_at(1280, 900, &query_of(&link));
    let (m, _) = until(&again, "run 3's end again", |n| partner(n, 3));
    assert_eq!(m["landscape"]["minLoss"], n["landscape"]["minLoss"]);
    assert_eq!(again.js("window.gdviz.notices"), json!([]));
    // Run 2 removed: the chosen run, now run 2, keeps the plane (the same two ends, the same
    // picture).
    click(&again, "#race-rows > :nth-child(2) button");
    let (r, _) = until(&again, "the same ends after a removal", |n| partner(n, 2));
    assert_eq!(r["landscape"]["minLoss"], n["landscape"]["minLoss"]);
    again.assert_healthy();

    // Run 3 selected: the plane goes through the next run's end, run 1's.
    click(&page, "#net-legend > :nth-child(3)");
    until(&page, "the ends plane of run 3 through run 1", |n| {
        partner(n, 1)
    });
    assert_eq!(
        page.js("[...document.querySelectorAll('#net-plane-with option')].map((o) => o.value)"),
        json!(["1", "2"])
    );
    let link = wait(&page, "window.gdviz.link()", |l| {
        l.as_str().is_some_and(|l| l.contains("selected=2"))
    });
    assert!(
        link.as_str().unwrap().contains("plane=ends&")
            || link.as_str().unwrap().ends_with("plane=ends"),
        "{link}"
    );
    page.assert_healthy();

    let stray = Page::open_at(1000, 800, &format!("{race}&plane=ends:7"));
    assert_eq!(
        stray.js("window.gdviz.notices"),
        json!(["plane: ends:7 names run 7, and this race has 3 runs; the plane is ends, through the next run's end"])
    );
    let (n, _) = until(&stray, "the race", |n| n["training"] == json!(false));
    assert_eq!(n["landscape"]["plane"], json!("ends"));
    assert_eq!(n["landscape"]["partner"], json!(2));
    stray.assert_healthy();
}
