//! Network mode as a student uses it, in headless Chromium: a real click on "Network" shows the
//! network's views and a progress text that ends; the address carries the mode and its settings
//! and reloading it restores them; a real drag of the learning-rate slider trains again (the
//! loss and the boundary's pixels change); hostile values for the new keys are notices; the
//! numbers shown are the core's, trained natively here with the same settings.
//!
//! The harness is `common/mod.rs`; needs `cargo xtask build` first and Chromium.

use serde_json::{json, Value};

mod common;

use common::*;

/// Network mode's state as the page reports it.
fn net(page: &Page) -> Value {
    page.js("window.gdviz.state().network")
}

/// Waits (up to 60 s) until the run in force has finished training (or cannot start); returns
/// its state. The state always describes the options in force: a change starts its run at once.
fn trained(page: &Page) -> Value {
    let start = std::time::Instant::now();
    loop {
        let n = net(page);
        if (n["training"] == json!(false) && n["trained"].is_number()) || n["error"].is_string() {
            return n;
        }
        assert!(start.elapsed().as_secs() < 60, "training did not end: {n}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A digest of the boundary canvas's pixels.
fn boundary_pixels(page: &Page) -> Value {
    page.js(
        "(() => { const c = document.querySelector('#net-boundary'); \
         const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
         let h = 0; for (let i = 0; i < d.length; i += 7) h = (h * 31 + d[i]) | 0; \
         return [c.width, c.height, h]; })()",
    )
}

fn text(page: &Page, selector: &str) -> String {
    page.js(&format!("document.querySelector({selector:?}).textContent"))
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_click_shows_the_network_trains_it_and_the_link_restores_it() {
    let page = Page::open(1280, 900);
    assert_eq!(
        page.js("document.querySelector('#net-box').hidden"),
        json!(true)
    );
    click(&page, "#mode-network");
    // Visible progress while the second module loads or it trains (the first frames), and a
    // text that ends.
    let first = text(&page, "#net-progress");
    assert!(
        first == "loading Network mode…"
            || first.starts_with("training…")
            || first.starts_with("trained"),
        "{first}"
    );
    let n = trained(&page);
    assert_eq!(n["trained"], json!(1000), "{n}");
    let progress = text(&page, "#net-progress");
    assert!(
        progress.starts_with("trained 1000 steps (") && progress.ends_with(" s of computing)"),
        "{progress}"
    );
    // The views are shown, the surfaces' are not.
    let shown = |sel: &str| page.js(&format!("!!document.querySelector({sel:?}).offsetParent"));
    assert_eq!(shown("#net-boundary"), json!(true));
    assert_eq!(shown("#net-curves"), json!(true));
    assert_eq!(shown("#net-diagram"), json!(true));
    assert_eq!(shown("#overlay"), json!(false));
    assert_eq!(shown("#surface"), json!(false));
    assert_eq!(shown("#dataset"), json!(true));
    // Each canvas says what it shows, from the run.
    let alt = text(&page, "#net-boundary-text");
    assert!(alt.starts_with("Step 1000 of 1000 trained"), "{alt}");
    assert!(
        alt.contains(&format!(
            "train loss {}",
            n["trainLossText"].as_str().unwrap()
        )),
        "{alt}"
    );
    // Settings into the address bar, then a reload restores them.
    page.js("window.gdviz.set({dataset: 'circles', hidden: '4,3', activation: 'relu', data_seed: 3, init_seed: 5, optimizer: 'adam', lr: 0.02, steps: 300})");
    let n = trained(&page);
    assert_eq!(n["trained"], json!(300));
    std::thread::sleep(std::time::Duration::from_millis(400));
    let href = page.js("location.search").as_str().unwrap().to_string();
    for part in [
        "mode=network",
        "dataset=circles",
        "hidden=4,3",
        "activation=relu",
        "data_seed=3",
        "init_seed=5",
    ] {
        assert!(href.contains(part), "{part} not in {href}");
    }
    let before = n["lastTrainLoss"].clone();
    page.reload();
    let n = trained(&page);
    assert_eq!(
        (
            n["on"].clone(),
            n["dataset"].clone(),
            n["hidden"].clone(),
            n["activation"].clone()
        ),
        (json!(true), json!("circles"), json!("4,3"), json!("relu"))
    );
    assert_eq!(
        (n["dataSeed"].clone(), n["initSeed"].clone()),
        (json!(3), json!(5))
    );
    assert_eq!(n["lastTrainLoss"], before, "the same run after reloading");
    assert_eq!(
        page.js("document.querySelector('#dataset').value"),
        json!("circles")
    );
    // Back to the surfaces with a click.
    click(&page, "#mode-surfaces");
    assert_eq!(shown("#overlay"), json!(true));
    assert_eq!(shown("#net-boundary"), json!(false));
    page.assert_healthy();
}

#[test]
fn a_real_drag_of_the_learning_rate_trains_again() {
    let page = Page::open_at(1280, 900, "?mode=network&steps=200");
    let n0 = trained(&page);
    let pixels0 = boundary_pixels(&page);
    // Drag the slider's thumb to the right by a real mouse drag.
    let (x, y) = centre(&page, "#lr");
    let r = page.js("(() => { const r = document.querySelector('#lr').getBoundingClientRect(); return [r.left, r.width]; })()");
    let (left, width) = pair(&r, "lr rect");
    // The thumb of -3 on [-5, 1] sits a third of the way along.
    let thumb = (left + width / 3.0, y);
    mouse(&page, "mousePressed", thumb, 1);
    for k in 1..=10 {
        mouse(
            &page,
            "mouseMoved",
            (thumb.0 + width * 0.03 * k as f64, y),
            1,
        );
    }
    mouse(&page, "mouseReleased", (thumb.0 + width * 0.3, y), 0);
    let _ = x;
    let n1 = trained(&page);
    let lr = page.state()["lr"].as_f64().unwrap();
    assert!(lr > 0.01, "the drag raised γ: {lr}");
    assert_ne!(n1["lastTrainLoss"], n0["lastTrainLoss"], "a new run");
    assert_ne!(
        boundary_pixels(&page),
        pixels0,
        "the boundary was drawn again"
    );
    page.assert_healthy();
}

#[test]
fn hostile_values_for_the_network_keys_are_notices() {
    for (query, key) in [
        ("?mode=network&steps=100&hidden=0", "hidden"),
        ("?mode=network&steps=100&hidden=1000", "hidden"),
        (
            "?mode=network&steps=100&dataset=%3Cscript%3Ealert(1)%3C/script%3E",
            "dataset",
        ),
        ("?mode=network&steps=100&activation=x", "activation"),
        ("?mode=nonsense", "mode"),
        ("?mode=network&steps=100&data_seed=-4", "data_seed"),
    ] {
        let page = Page::open_at(1280, 900, query);
        let notices = text(&page, ".gdviz-notices");
        assert!(notices.contains(&format!("{key}:")), "{query}: {notices:?}");
        assert_eq!(
            page.js("document.body.innerHTML.includes('<script>alert')"),
            json!(false)
        );
        if query.starts_with("?mode=network") {
            let n = trained(&page);
            assert_eq!(n["hidden"], json!("8,8"), "{query}");
            assert_eq!(n["trained"], json!(100), "{query}");
        }
        page.assert_healthy();
    }
}

#[test]
fn the_numbers_shown_are_the_cores() {
    use gdviz::network::train::{train, TrainConfig};
    use gdviz::network::{generate, Activation, DataName, DataSpec, Mlp};
    let page = Page::open_at(
        1280,
        900,
        "?mode=network&dataset=xor&hidden=6&optimizer=adam&lr=0.01&steps=400&variant=minibatch&batch=20&seed=2&init_seed=4&data_seed=1",
    );
    let n = trained(&page);
    let data = generate(&DataSpec {
        name: DataName::Xor,
        train: 200,
        test: 200,
        noise: None,
        seed: 1,
    })
    .unwrap();
    let model = Mlp::new(&[6], Activation::Tanh, data.task).unwrap();
    let hyper = gdviz::Hyper {
        lr: 0.01,
        ..gdviz::Hyper::defaults(gdviz::OptimizerKind::Adam)
    };
    let cfg = TrainConfig {
        optimizer: gdviz::OptimizerKind::Adam,
        hyper,
        variant: gdviz::variant::Variant::MiniBatch,
        batch: 20,
        seed: 2,
        init_seed: 4,
        steps: 400,
        schedule: gdviz::schedule::Schedule::Constant,
        clip: Default::default(),
        sharpness_every: None,
        keep_every: None,
    };
    let t = train(&model, &data, &cfg).unwrap();
    let last = t.rows.last().unwrap();
    // The same bits: the page's wasm and native code compute the same run (`gdviz::math`).
    let shown = n["lastTrainLoss"].as_f64().unwrap();
    assert_eq!(
        shown.to_bits(),
        last.train_loss.to_bits(),
        "{shown} vs {}",
        last.train_loss
    );
    let short = gdviz::format::short;
    assert_eq!(text(&page, "#net-train-loss"), short(last.train_loss));
    assert_eq!(
        text(&page, "#net-test-loss"),
        short(last.test_loss.unwrap())
    );
    let acc = gdviz::format::fixed(last.test_acc.unwrap() * 100.0, 1);
    assert_eq!(text(&page, "#net-test-acc"), format!("{acc}%"));
    // Scrubbing back shows an earlier step's numbers (every θ is kept for a run this small).
    assert_eq!(n["keep"], json!(1));
    page.js("(() => { const s = document.querySelector('#scrub'); s.value = '100'; s.dispatchEvent(new Event('input')); })()");
    let row = t.rows[100];
    assert_eq!(text(&page, "#net-step"), "100 of 400");
    assert_eq!(text(&page, "#net-train-loss"), short(row.train_loss));
    // The next-update panel at step 100: per tensor, ‖θ₁₀₀‖, the gradient of step 101's batch at
    // θ₁₀₀, and how far step 101 moved it, as the core computes them.
    let kept = train(
        &model,
        &data,
        &TrainConfig {
            keep_every: Some(1),
            ..cfg
        },
    )
    .unwrap();
    let (before, after) = (&kept.path[100].1, &kept.path[101].1);
    let mut g = vec![0.0; model.len()];
    model.loss_and_gradient(before, &data.train, &kept.batches[100], &mut g);
    let moved: Vec<f64> = after.iter().zip(before).map(|(a, b)| a - b).collect();
    assert_eq!(
        text(&page, "#net-update-title"),
        "The next update: step 101, from the step shown"
    );
    let table = text(&page, "#net-update-lines");
    let rows: Vec<String> = table
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(rows[0], "tensor shape ‖θ‖ ‖g‖ ‖Δθ‖ ‖Δθ‖/‖θ‖");
    let tensors = model.tensors();
    assert_eq!(rows.len(), tensors.len() + 2, "{table}");
    for (t, row) in tensors.iter().zip(&rows[1..]) {
        let shape: Vec<String> = t.shape.iter().map(|d| d.to_string()).collect();
        let (th, step) = (t.norm(before), t.norm(&moved));
        let expected = format!(
            "{} {} {} {} {} {}",
            t.name,
            shape.join("×"),
            short(th),
            short(t.norm(&g)),
            short(step),
            short(step / th)
        );
        assert_eq!(row, &expected);
    }
    assert!(rows.last().unwrap().starts_with("all 25 "), "{table}");
    let note = text(&page, "#net-update-note");
    assert!(
        note.contains("the step's batch of 20 examples at step 100's weights; γ = 0.01"),
        "{note}"
    );
    // The last step has no next update, and says so.
    page.js("(() => { const s = document.querySelector('#scrub'); s.value = '400'; s.dispatchEvent(new Event('input')); })()");
    assert_eq!(text(&page, "#net-update-title"), "The next update");
    assert!(text(&page, "#net-update-lines").contains("no update follows it"));
    page.assert_healthy();
}

#[test]
fn network_mode_runs_under_a_strict_csp_and_in_two_mounted_instances() {
    let page = Page::open_with(
        1280,
        900,
        "?mode=network&steps=150",
        &[("Content-Security-Policy", xtask::STRICT_CSP)],
    );
    page.js(
        "(() => { window.cspViolations = []; document.addEventListener('securitypolicyviolation', \
         (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`)); return true; })()",
    );
    trained(&page);
    page.js("window.gdviz.set({dataset: 'sine', hidden: '5'})");
    let n = trained(&page);
    assert_eq!(n["task"], json!("regression"));
    // A regression has no accuracy: its row is hidden, its loss shown.
    assert_eq!(
        page.js("document.querySelector('#net-acc-row').hidden"),
        json!(true)
    );
    // A run the page will not train says why, and trains again once the setting is fixed.
    page.js("window.gdviz.set({steps: 20000})");
    let n = trained(&page);
    let progress = text(&page, "#net-progress");
    assert!(
        progress.starts_with("cannot train: steps: Network mode trains at most 10000 steps"),
        "{progress}"
    );
    assert!(n["error"].is_string(), "{n}");
    page.js("window.gdviz.set({steps: 50})");
    let n = trained(&page);
    assert_eq!(n["trained"], json!(50), "{n}");
    assert_eq!(page.js("window.cspViolations"), json!([]));
    page.assert_healthy();

    // Two instances on one page, each with its own run and views.
    let two = page.js(
        r#"import('./www/gdviz.js').then(async (m) => {
          const a = document.body.appendChild(document.createElement('div'));
          const b = document.body.appendChild(document.createElement('div'));
          const va = await m.mount(a, { mode: 'network', steps: 120, dataset: 'xor' });
          const vb = await m.mount(b, { mode: 'network', steps: 80, dataset: 'moons' });
          const done = (v) => new Promise(r => { const f = () => { const n = v.state().network; return n.training !== false ? setTimeout(f, 50) : r(); }; f(); });
          await done(va); await done(vb);
          const sa = va.state().network, sb = vb.state().network;
          const shown = (el) => el.querySelector('.gdviz-net-progress').textContent;
          const out = [sa.dataset, sa.trained, sb.dataset, sb.trained, shown(a), shown(b)];
          va.destroy(); vb.destroy();
          return out;
        })"#,
    );
    assert_eq!(
        two,
        json!(["xor", 120, "moons", 80, two[4].clone(), two[5].clone()])
    );
    assert!(
        two[4].as_str().unwrap().starts_with("trained 120 steps"),
        "{two}"
    );
    assert!(
        two[5].as_str().unwrap().starts_with("trained 80 steps"),
        "{two}"
    );
    page.assert_healthy();
}
