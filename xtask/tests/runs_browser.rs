//! One run model, driven as a student would in headless Chromium: in a race, the slider, the
//! optimizer and gradient panels, the readouts and the next-update panel belong to the selected
//! run; selecting another run (its legend entry, its race row, a key on the plot) moves them all;
//! adding copies the selected run and "Back to one" keeps it; every view draws every run; links
//! hold the runs and the selection exactly, older `race=` links included.
//!
//! The harness is `common/mod.rs`; needs `cargo xtask build` first and Chromium.

use headless_chrome::protocol::cdp::Input;
use serde_json::{json, Value};

mod common;

use common::*;

/// A real click at the centre of the element `selector` (scrolled into view first).
fn click(page: &Page, selector: &str) {
    let r = page.js(&format!(
        "(() => {{ const e = document.querySelector({selector:?}); \
         e.scrollIntoView({{ block: 'center' }}); const r = e.getBoundingClientRect(); \
         return [r.left + r.width / 2, r.top + r.height / 2]; }})()"
    ));
    let (x, y) = pair(&r, selector);
    for kind in ["mousePressed", "mouseReleased"] {
        let event: Input::DispatchMouseEvent = serde_json::from_value(json!({
            "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1
        }))
        .unwrap();
        page.tab.call_method(event).expect("mouse event");
    }
}

fn runs(state: &Value) -> &Vec<Value> {
    state["runs"].as_array().expect("state().runs")
}

fn text(page: &Page, id: &str) -> String {
    page.js(&format!("document.getElementById('{id}').textContent"))
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// What the panels show: the optimizer menu, the shown hyper-parameter rows, the rule, the
/// slider's γ and the tags naming the run they describe.
/// Types `text` into the box `selector` as a person would: a click, its old text selected,
/// the new text typed, Enter.
fn type_into(page: &Page, selector: &str, text: &str) {
    click(page, selector);
    page.js(&format!("document.querySelector({selector:?}).select()"));
    let event: Input::InsertText = serde_json::from_value(json!({ "text": text })).unwrap();
    page.tab.call_method(event).expect("insert text");
    press(page, "Enter", 1);
}

const PANELS: &str = r#"(() => {
  const shown = (e) => !e.hidden && getComputedStyle(e).display !== 'none'
    && e.closest('details:not([open])') === null;
  return {
    optimizer: document.getElementById('optimizer').value,
    hypers: [...document.querySelectorAll('.gdviz-hyper')].filter(shown).map(e => e.dataset.hyper),
    rule: document.getElementById('rule').textContent,
    lr: Number(document.getElementById('lr-value').value),
    tags: [...document.querySelectorAll('.gdviz-run-tag')].filter(e => e.closest('[hidden]') === null)
      .map(e => e.textContent.trim()),
    updateTitle: document.getElementById('update-title').textContent,
    updateRule: document.getElementById('update-rule').textContent,
    variant: document.getElementById('variant').value,
  };
})()"#;

#[test]
fn the_panels_edit_the_selected_run_and_no_other() {
    let page = Page::open_at(1280, 900, "?lesson=adam-vs-sgd");
    let before = page.state();
    assert_eq!(before["selected"], json!(0));
    let p = page.js(PANELS);
    assert_eq!(p["optimizer"], json!("sgd"), "{p}");
    assert_eq!(p["lr"], json!(0.004), "the slider is SGD's γ: {p}");
    assert!(p["tags"].as_array().unwrap().iter().all(|t| t == "run 1"));
    assert!(p["updateTitle"].as_str().unwrap().contains("of run 1"));

    // Choose another update rule with the keyboard in the Optimizer panel.
    page.js("document.getElementById('optimizer').focus()");
    press(&page, "ArrowDown", 1);
    let after = page.wait_state("the optimizer to change", |s| {
        s["optimizer"] != json!("sgd")
    });
    let (b, a) = (runs(&before), runs(&after));
    assert_eq!(a.len(), 2);
    assert_eq!(a[0]["optimizer"], json!("momentum"));
    assert_ne!(a[0]["trajectory"], b[0]["trajectory"], "run 1 reran");
    assert_eq!(a[1], b[1], "run 2 (Adam) is untouched");
    let p = page.js(PANELS);
    // Dampening is behind the closed "Advanced" disclosure.
    assert_eq!(p["hypers"], json!(["momentum", "weight_decay"]), "{p}");
    assert_eq!(
        p["rule"], p["updateRule"],
        "one rule, the selected run's: {p}"
    );
    assert!(p["rule"].as_str().unwrap().contains("μb"), "{p}");

    // Select run 2 by its legend entry: everything moves to it.
    click(&page, "#legend .gdviz-legend-item:nth-child(2)");
    let s = page.wait_state("run 2 to be selected", |s| s["selected"] == json!(1));
    assert_eq!(s["optimizer"], json!("adam"));
    assert_eq!(s["lr"], json!(0.05));
    let p = page.js(PANELS);
    assert_eq!(p["optimizer"], json!("adam"));
    assert_eq!(p["lr"], json!(0.05));
    assert_eq!(
        p["hypers"],
        json!(["beta1", "beta2", "eps", "weight_decay", "amsgrad"])
    );
    assert!(
        p["tags"].as_array().unwrap().iter().all(|t| t == "run 2"),
        "{p}"
    );
    assert!(
        p["updateTitle"].as_str().unwrap().contains("of run 2"),
        "{p}"
    );
    assert!(p["updateRule"].as_str().unwrap().contains("β₁"), "{p}");
    assert_eq!(
        page.js("document.querySelector('#legend .gdviz-legend-item:nth-child(2)').getAttribute('aria-pressed')"),
        json!("true")
    );
    let readout = page.js("window.gdviz.state().trajectory.at(-1)");
    assert_eq!(
        readout,
        s["runs"][1]["trajectory"]
            .as_array()
            .unwrap()
            .last()
            .cloned()
            .unwrap()
    );

    // The slider now moves Adam's γ only.
    let before = page.state();
    page.js("document.getElementById('lr').focus()");
    press(&page, "ArrowRight", 5);
    let after = page.wait_state("Adam's γ to move", |s| s["lr"] != json!(0.05));
    assert!(num(&after["runs"][1]["lr"], "lr") > 0.05);
    assert_eq!(runs(&after)[0], runs(&before)[0], "run 1 is untouched");

    // A key on the plot selects too; a race row's radio button as well.
    page.js("document.getElementById('overlay').focus()");
    press(&page, "1", 1);
    page.wait_state("run 1 by key", |s| s["selected"] == json!(0));
    click(&page, "#race-rows .gdviz-race-row:nth-child(2) label");
    page.wait_state("run 2 by its row", |s| s["selected"] == json!(1));
    assert_eq!(
        page.js("document.querySelector('#race-rows .gdviz-race-row:nth-child(2) input').checked"),
        json!(true)
    );
    page.assert_healthy();
}

#[test]
fn adding_copies_the_selected_run_and_back_to_one_keeps_it() {
    let page = Page::open_at(
        1280,
        900,
        "?surface=booth&optimizer=adam&lr=0.07&beta1=0.8&variant=minibatch&batch=7&seed=3",
    );
    click(&page, "#race-add");
    let s = page.wait_state("a second run", |s| runs(s).len() == 2);
    assert_eq!(s["selected"], json!(1), "the copy is selected");
    let strip = |r: &Value| {
        let mut r = r.clone();
        for k in ["colour", "trajectory", "loss"] {
            r.as_object_mut().unwrap().remove(k);
        }
        r
    };
    assert_eq!(strip(&runs(&s)[1]), strip(&runs(&s)[0]), "a complete copy");
    assert_ne!(
        runs(&s)[1]["colour"],
        runs(&s)[0]["colour"],
        "in the next colour"
    );
    // Change the copy's γ, then go back to one: the selected run stays as it is.
    page.js("window.gdviz.set({lr: 0.02})");
    click(&page, "#race-clear");
    let s = page.wait_state("one run", |s| runs(s).len() == 1);
    assert_eq!(
        s["lr"],
        json!(0.02),
        "Back to one keeps the selected run's γ"
    );
    assert_eq!(s["optimizer"], json!("adam"));
    assert_eq!(s["beta1"], json!(0.8));
    assert_eq!(
        (s["variant"].clone(), s["batch"].clone()),
        (json!("minibatch"), json!(7))
    );
    // Removing a run by its ✕.
    click(&page, "#race-add");
    click(&page, "#race-add");
    page.wait_state("three runs", |s| runs(s).len() == 3);
    click(&page, "#race-rows .gdviz-race-row:nth-child(1) button");
    let s = page.wait_state("two runs", |s| runs(s).len() == 2);
    assert_eq!(
        s["selected"],
        json!(1),
        "the same (last) run stays selected"
    );
    assert_eq!(
        page.js("document.getElementById('race-add').disabled"),
        json!(false)
    );
    page.assert_healthy();
}

#[test]
fn links_hold_every_run_and_the_selection() {
    let page = Page::open(1200, 900);
    let n = page.js(
        "window.gdviz.set({surface: 'himmelblau', steps: 200, runs: [\
         {optimizer: 'sgd', lr: 0.01, variant: 'stochastic', seed: 4}, \
         {optimizer: 'nesterov', lr: 0.005, momentum: 0.7}, \
         {optimizer: 'rmsprop', lr: 0.02, decay: 0.9, eps: 1e-6, variant: 'minibatch', batch: 5}], \
         selected: 2})",
    );
    assert_eq!(n, json!([]));
    let link = page.js("window.gdviz.link()");
    let query = format!("?{}", link.as_str().unwrap().split_once('?').unwrap().1);
    assert!(
        query.contains("runs=") && query.contains("selected=2"),
        "{query}"
    );
    assert!(
        !query.contains("=&") && !query.ends_with('='),
        "no empty values: {query}"
    );
    let other = Page::open_at(1200, 900, &query);
    let (a, b) = (page.state(), other.state());
    for k in [
        "runs",
        "selected",
        "lr",
        "optimizer",
        "trajectory",
        "surface",
        "steps",
    ] {
        assert_eq!(a[k], b[k], "{k} after {query}");
    }
    // An older link: race entries over the shared settings.
    let old = Page::open_at(
        1200,
        900,
        "?surface=booth&lr=0.02&noise=&start=&race=optimizer:sgd,lr:0.01;optimizer:adam",
    );
    let s = old.state();
    assert_eq!(runs(&s).len(), 2);
    assert_eq!(s["runs"][0]["lr"], json!(0.01));
    assert_eq!(s["runs"][1]["optimizer"], json!("adam"));
    assert_eq!(s["runs"][1]["lr"], json!(0.02));
    old.assert_healthy();
    // A lesson loaded from the menu and from the URL is the same state.
    let from_url = Page::open_at(1200, 900, "?lesson=noise");
    let menu = Page::open(1200, 900);
    menu.js("window.gdviz.set({lr: 0.3, seed: 9})");
    menu.js(
        "(() => { const s = document.getElementById('lesson'); s.value = 'noise'; \
         s.dispatchEvent(new Event('change', {bubbles: true})); })()",
    );
    let (u, m) = (from_url.state(), menu.state());
    for k in ["runs", "selected", "lr", "seed", "trajectory"] {
        assert_eq!(u[k], m[k], "{k}");
    }
    // Its three rows name three different runs.
    let rows = menu.js("[...document.querySelectorAll('.gdviz-race-row .gdviz-race-name')].map(e => e.textContent)");
    let rows: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(rows.len(), 3);
    assert!(
        rows[1].contains("minibatch of 10") && rows[2].contains("stochastic"),
        "{rows:?}"
    );
    page.assert_healthy();
}

#[test]
fn every_view_draws_every_run() {
    let page = Page::open_at(1280, 900, "?lesson=momentum");
    // The 3D view: each run's colour is on its canvas.
    click(&page, "#view3d-toggle");
    // Drawn by the second module, loaded the first time the view shows.
    page.wait_state("the 3D view", |s| {
        s["view3d"]["on"] == json!(true) && s["view3d"]["drawMs"].is_number()
    });
    let counts = page.js(
        "(() => { const c = document.getElementById('view3d'); \
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
        return window.gdviz.state().runs.map(r => { \
          const [R, G, B] = [1, 3, 5].map(i => parseInt(r.colour.slice(i, i + 2), 16)); let n = 0; \
          for (let i = 0; i < d.length; i += 4) \
            if (d[i + 3] > 250 && Math.abs(d[i] - R) + Math.abs(d[i + 1] - G) + Math.abs(d[i + 2] - B) < 30) n++; \
          return n; }); })()",
    );
    for (i, n) in counts.as_array().unwrap().iter().enumerate() {
        assert!(
            n.as_u64().unwrap() > 40,
            "run {i} is not in the 3D view: {counts}"
        );
    }
    click(&page, "#view3d-toggle");

    // The PNG: a title and a legend entry per run, in its colour, above the plot (the title and
    // the first line of the legend take the top 50 pixels at one pixel per CSS pixel).
    let header = page.js(
        "(async () => { const url = await window.gdviz.png(); const img = new Image(); \
         img.src = url; await img.decode(); const c = document.createElement('canvas'); \
         c.width = img.width; c.height = img.height; const x = c.getContext('2d'); x.drawImage(img, 0, 0); \
         const plot = document.getElementById('bg'); const top = 50; \
         const d = x.getImageData(0, 0, img.width, top).data; \
         const runs = window.gdviz.state().runs.map(r => { \
           const [R, G, B] = [1, 3, 5].map(i => parseInt(r.colour.slice(i, i + 2), 16)); let n = 0; \
           for (let i = 0; i < d.length; i += 4) \
             if (Math.abs(d[i] - R) + Math.abs(d[i + 1] - G) + Math.abs(d[i + 2] - B) < 12) n++; \
           return n; }); \
         let ink = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 100 && d[i + 1] < 100) ink++; \
         return { width: img.width, height: img.height, plot: [plot.width, plot.height], runs, ink }; })()",
    );
    assert_eq!(header["width"], header["plot"][0], "{header}");
    assert!(
        num(&header["height"], "h") > num(&header["plot"][1], "plot h") + 40.0,
        "{header}"
    );
    for (i, n) in header["runs"].as_array().unwrap().iter().enumerate() {
        assert!(
            n.as_u64().unwrap() > 30,
            "no legend dot for run {i}: {header}"
        );
    }
    assert!(
        header["ink"].as_u64().unwrap() > 300,
        "no title text: {header}"
    );

    // The data view draws each run's model in its colour.
    let page = Page::open_at(
        1280,
        900,
        "?surface=linear-regression-std&steps=30&runs=lr:0.05;optimizer:adam,lr:0.05",
    );
    // The data view is drawn by the second module, which loads after the first frame: wait
    // for it rather than read the canvas once.
    let counts = wait(
        &page,
        "(() => { const c = document.getElementById('data'); \
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
        return window.gdviz.state().runs.map(r => { \
          const [R, G, B] = [1, 3, 5].map(i => parseInt(r.colour.slice(i, i + 2), 16)); let n = 0; \
          for (let i = 0; i < d.length; i += 4) \
            if (d[i + 3] > 100 && Math.abs(d[i] - R) + Math.abs(d[i + 1] - G) + Math.abs(d[i + 2] - B) < 60) n++; \
          return n; }); })()",
        |v| {
            v.as_array()
                .is_some_and(|a| a.iter().all(|n| n.as_u64().unwrap_or(0) > 40))
        },
    );
    for (i, n) in counts.as_array().unwrap().iter().enumerate() {
        assert!(
            n.as_u64().unwrap() > 40,
            "run {i}'s model is not in the data view: {counts}"
        );
    }
    assert!(text(&page, "readout-step").starts_with("30"));
    page.assert_healthy();
}

#[test]
fn the_feature_scaling_lesson_switches_its_feature_in_one_click() {
    let page = Page::open_at(1280, 900, "?lesson=ravine");
    let s = page.state();
    assert_eq!(
        (s["surface"].clone(), s["lr"].clone()),
        (json!("linear-regression"), json!(0.0234))
    );
    let text = text(&page, "lesson-text");
    assert!(
        text.contains("Computed from the runs") && text.contains("times fewer"),
        "{text}"
    );
    let pressed = |page: &Page| {
        page.js("[...document.querySelectorAll('#lesson-choices button')].map(b => b.getAttribute('aria-pressed'))")
    };
    assert_eq!(pressed(&page), json!(["true", "false"]));
    click(&page, "#lesson-choices button:nth-child(2)");
    let s = page.wait_state("the standardised feature", |s| {
        s["surface"] == json!("linear-regression-std")
    });
    assert_eq!(s["lr"], json!(0.9));
    assert_eq!(s["lesson"], json!("ravine"), "the lesson stays");
    assert_eq!(pressed(&page), json!(["false", "true"]));
    let link = page.js("window.gdviz.link()");
    let link = link.as_str().unwrap();
    assert!(
        link.contains("lesson=ravine") && link.contains("surface=linear-regression-std"),
        "{link}"
    );
    // The status the text computes: the standardised run converges within the lesson's steps.
    assert_eq!(s["status"], json!("converged"));
    click(&page, "#lesson-choices button:nth-child(1)");
    page.wait_state("the raw feature again", |s| {
        s["surface"] == json!("linear-regression")
    });
    assert_eq!(page.state()["status"], json!("converged"));
    page.assert_healthy();
}

/// The rest of torch.optim from the Optimizer panel, as a student reaches it: AdamW from the
/// menu by keyboard shows its decoupled weight decay (torch's default 0.01) in the rule and the
/// panel; ticking AMSGrad and typing another λ re-run it with the rule changed to match; Rprop's
/// two step factors sit behind "Advanced", and typing a pair there takes effect; a factor torch
/// refuses is a notice and the previous value stays.
#[test]
fn the_optimizer_panel_sets_every_option_of_torch_optim() {
    let page = Page::open_at(1280, 900, "?surface=booth&lr=0.05");
    page.js("document.getElementById('optimizer').focus()");
    press(&page, "ArrowDown", 6);
    let s = page.wait_state("AdamW", |s| s["optimizer"] == json!("adamw"));
    assert_eq!(s["weight_decay"], json!(0.01), "torch's default");
    assert_eq!(s["lr"], json!(0.05), "the learning rate carries over");
    let p = page.js(PANELS);
    assert_eq!(
        p["hypers"],
        json!(["beta1", "beta2", "eps", "weight_decay", "amsgrad"]),
        "{p}"
    );
    assert!(
        p["rule"].as_str().unwrap().starts_with("θ ← θ(1 − γλ)"),
        "{p}"
    );
    let before = s["trajectory"].clone();

    click(&page, "#amsgrad");
    let s = page.wait_state("AMSGrad on", |s| s["amsgrad"] == json!(true));
    assert!(
        s["rule"].as_str().unwrap().contains("v̄ ← max(v̄, v)"),
        "{}",
        s["rule"]
    );
    assert_ne!(s["trajectory"], before, "the run reran");

    type_into(&page, "#weight_decay", "0.5");
    let s = page.wait_state("λ = 0.5", |s| s["weight_decay"] == json!(0.5));
    let lines = page.js("document.getElementById('update-lines').textContent");
    assert!(
        lines
            .as_str()
            .unwrap_or_default()
            .contains("decoupled weight decay, λ = 0.5"),
        "{lines}"
    );
    assert_eq!(s["optimizer"], json!("adamw"));

    // Rprop: the last of the adaptive group.
    page.js("document.getElementById('optimizer').focus()");
    press(&page, "ArrowDown", 5);
    page.wait_state("Rprop", |s| s["optimizer"] == json!("rprop"));
    let p = page.js(PANELS);
    assert_eq!(p["hypers"], json!([]), "Rprop's options are advanced: {p}");
    click(&page, "#hyper-advanced summary");
    let p = page.js(PANELS);
    assert_eq!(p["hypers"], json!(["etas", "step_sizes"]), "{p}");
    type_into(&page, "#etas-1", "1.5");
    let s = page.wait_state("η₊ = 1.5", |s| s["etas"] == json!([0.5, 1.5]));
    type_into(&page, "#etas-0", "1.2");
    let after = page.wait_state("the notice", |s| s["etas"] == json!([0.5, 1.5]));
    let notice = page.js("document.getElementById('notices').textContent");
    assert!(
        notice
            .as_str()
            .unwrap_or_default()
            .contains("etas: must be two numbers η₋,η₊ with 0 < η₋ < 1 < η₊"),
        "{notice}"
    );
    assert_eq!(after["trajectory"], s["trajectory"]);
    assert_eq!(
        page.js("document.getElementById('etas-0').value"),
        json!("0.5"),
        "the box shows the value in force"
    );
    page.assert_healthy();
}

/// A schedule and clipping from their panel, as a student sets them: choosing "Cosine annealing"
/// fills in a cosine over the whole run, which the state, the link's run and the next-update
/// panel then carry (the step's own γ); a typed spec with a wrong key is a notice naming the
/// keys and leaves the schedule; a clip norm typed in clips the next update, and emptying the
/// box turns clipping off.
#[test]
fn the_schedule_panel_sets_a_schedule_and_clipping() {
    let page = Page::open_at(1280, 900, "?surface=booth&lr=0.05&steps=100");
    page.js("document.getElementById('schedule-kind').focus()");
    press(&page, "ArrowDown", 4);
    let s = page.wait_state("cosine", |s| s["schedule"] != json!("constant"));
    assert_eq!(s["schedule"], json!("cosine:t_max=100,eta_min=0"));
    assert_eq!(
        page.js("document.getElementById('schedule').value"),
        json!("cosine:t_max=100,eta_min=0")
    );
    // The update panel at the last step uses γ at step 101 of a cosine over 100 steps.
    let lines = page.js("document.getElementById('update-lines').textContent");
    assert!(
        lines
            .as_str()
            .unwrap_or_default()
            .contains("(cosine schedule from γ₀ = 0.05)"),
        "{lines}"
    );
    type_into(&page, "#schedule", "cosine:tmax=10");
    page.wait_state("the notice", |_| {
        page.js("document.getElementById('notices').textContent")
            .as_str()
            .is_some_and(|t| t.contains("cosine takes t_max, eta_min; not 'tmax'"))
    });
    assert_eq!(
        page.state()["schedule"],
        json!("cosine:t_max=100,eta_min=0")
    );
    type_into(&page, "#clip_norm", "1");
    page.wait_state("clip norm 1", |s| s["clip_norm"] == json!(1));
    let lines = page.js("document.getElementById('update-lines').textContent");
    assert!(
        lines
            .as_str()
            .unwrap_or_default()
            .contains("clipped to norm 1"),
        "{lines}"
    );
    type_into(&page, "#clip_norm", "");
    page.wait_state("no clipping", |s| s["clip_norm"].is_null());
    page.assert_healthy();
}

/// The learning-rate strip is there exactly when a run follows a schedule, and draws: hidden at
/// a constant γ; with a cosine decay it appears under the loss chart as wide as it, with the
/// run's colour (#d9480f, run 1) and the grey threshold in its pixels; back to constant, gone.
#[test]
fn the_rate_strip_shows_a_schedule_against_the_threshold() {
    let page = Page::open_at(1280, 900, "?surface=booth&lr=0.13&steps=60");
    let hidden = |page: &Page| page.js("document.getElementById('rates-box').hidden");
    assert_eq!(hidden(&page), json!(true));
    page.js("document.getElementById('schedule-kind').focus()");
    press(&page, "ArrowDown", 4);
    page.wait_state("cosine", |s| {
        s["schedule"] == json!("cosine:t_max=60,eta_min=0")
    });
    assert_eq!(hidden(&page), json!(false));
    let seen = page.js(
        r#"(() => {
          const c = document.getElementById('rates');
          const loss = document.getElementById('loss');
          // The strip as seen: the layer below (axes, threshold), the rates above.
          const seen = document.createElement('canvas');
          [seen.width, seen.height] = [c.width, c.height];
          const ctx = seen.getContext('2d');
          ctx.drawImage(document.getElementById('rates-below'), 0, 0);
          ctx.drawImage(c, 0, 0);
          const d = ctx.getImageData(0, 0, c.width, c.height).data;
          let run = 0, grey = 0;
          for (let i = 0; i < d.length; i += 4) {
            const [r, g, b, a] = [d[i], d[i + 1], d[i + 2], d[i + 3]];
            if (a > 200 && Math.abs(r - 0xd9) < 12 && Math.abs(g - 0x48) < 12 && Math.abs(b - 0x0f) < 12) run++;
            if (a > 40 && a < 140 && Math.abs(r - g) < 8 && Math.abs(g - b) < 12) grey++;
          }
          return { run, grey, width: c.getBoundingClientRect().width,
                   lossWidth: loss.getBoundingClientRect().width };
        })()"#,
    );
    assert!(seen["run"].as_u64().unwrap() > 100, "{seen}");
    assert!(seen["grey"].as_u64().unwrap() > 100, "{seen}");
    assert_eq!(seen["width"], seen["lossWidth"], "{seen}");
    let caption = || page.js("document.getElementById('rates-caption').textContent");
    assert!(
        caption()
            .as_str()
            .unwrap()
            .contains("Grey: 2/λmax where each step"),
        "{}",
        caption()
    );
    // An adaptive optimizer has no line, and the caption says why.
    page.js("window.gdviz.set({optimizer: 'adam'})");
    page.wait_state("Adam", |s| s["optimizer"] == json!("adam"));
    assert!(
        caption()
            .as_str()
            .unwrap()
            .contains("No grey line: Adam scales each coordinate's step"),
        "{}",
        caption()
    );
    page.js("window.gdviz.set({optimizer: 'sgd'})");
    page.wait_state("SGD", |s| s["optimizer"] == json!("sgd"));
    page.js("document.getElementById('schedule-kind').focus()");
    press(&page, "ArrowUp", 4);
    page.wait_state("constant", |s| s["schedule"] == json!("constant"));
    assert_eq!(hidden(&page), json!(true));
    page.assert_healthy();
}

/// Each layer of the learning-rate strip (`#rates-below`: axes, grid, labels and the threshold;
/// `#rates`: the rates) as `[width, height, hash of every pixel, pixels with ink]`.
const STRIP_LAYERS: &str = r#"(() => ['rates-below', 'rates'].map((id) => {
  const c = document.getElementById(id);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 2166136261, inked = 0;
  for (let i = 0; i < d.length; i += 4) {
    for (let j = 0; j < 4; j++) h = Math.imul(h ^ d[i + j], 16777619);
    if (d[i + 3] > 0) inked++;
  }
  return [c.width, c.height, h >>> 0, inked];
}))()"#;

/// Emulates `prefers-color-scheme: dark` (or light) on `page`.
fn dark_mode(page: &Page, dark: bool) {
    let media: headless_chrome::protocol::cdp::Emulation::SetEmulatedMedia =
        serde_json::from_value(json!({ "media": "", "features": [
            { "name": "prefers-color-scheme", "value": if dark { "dark" } else { "light" } }
        ] }))
        .unwrap();
    page.tab
        .call_method(media)
        .expect("emulate the colour scheme");
}

/// Asserts that `page`'s strip, drawn through its caches after whatever came before, has
/// exactly the pixels of the same state loaded from scratch (its link, in a new page of the same
/// size and colour scheme): neither layer is stale.
fn assert_strip_as_drawn_afresh(page: &Page, size: (u32, u32), dark: bool, after: &str) {
    let seen = page.js(STRIP_LAYERS);
    let link = page.js("window.gdviz.link()");
    let query = link.as_str().unwrap().split_once('?').map_or("", |q| q.1);
    let fresh = Page::open_at(size.0, size.1, &format!("?{query}"));
    if dark {
        dark_mode(&fresh, true);
        fresh.reload();
    }
    let expected = fresh.js(STRIP_LAYERS);
    for layer in expected.as_array().unwrap() {
        assert!(
            layer[3].as_u64().unwrap() > 100,
            "{after}: a blank layer, {expected}"
        );
    }
    assert_eq!(
        seen, expected,
        "{after}: the strip differs from a fresh page's (?{query})"
    );
    fresh.assert_healthy();
}

/// The strip's axes are a cache (redrawn only when they change): after a slider step that keeps
/// them, a typed γ that moves them and one that moves them back, a scrub, another run selected
/// (another threshold), a resize, dark mode and another surface (where the threshold moves with
/// the path), both layers' pixels are a fresh page's.
#[test]
fn the_rate_strip_after_any_change_is_what_a_fresh_page_draws() {
    let (w, h) = (1280, 900);
    let page = Page::open_at(w, h, "?surface=booth&steps=200");
    let n = page.js("window.gdviz.set({runs: [\
         {optimizer: 'sgd', lr: 0.02, schedule: 'cosine:t_max=200,eta_min=0.002'}, \
         {optimizer: 'momentum', lr: 0.01, momentum: 0.5}], selected: 0})");
    assert_eq!(n, json!([]));
    assert_strip_as_drawn_afresh(&page, (w, h), false, "a race with a schedule");

    page.js("document.getElementById('lr').focus()");
    press(&page, "ArrowRight", 1);
    page.wait_state("γ to move", |s| s["lr"] != json!(0.02));
    assert_strip_as_drawn_afresh(&page, (w, h), false, "a slider step");
    // Below the schedule's floor: the rates' range, so the axes, move down a decade, and back.
    let axes = page.js(STRIP_LAYERS)[0].clone();
    type_into(&page, "#lr-value", "0.001");
    page.wait_state("γ = 0.001", |s| s["lr"] == json!(0.001));
    assert_ne!(page.js(STRIP_LAYERS)[0], axes, "new axes");
    assert_strip_as_drawn_afresh(&page, (w, h), false, "γ typed a decade lower");
    type_into(&page, "#lr-value", "0.02");
    page.wait_state("γ = 0.02", |s| s["lr"] == json!(0.02));
    assert_eq!(page.js(STRIP_LAYERS)[0], axes, "the first axes again");
    assert_strip_as_drawn_afresh(&page, (w, h), false, "γ typed back");

    page.js("document.getElementById('scrub').focus()");
    press(&page, "ArrowLeft", 30);
    page.wait_state("a scrub", |s| num(&s["current"], "current") < 200.0);
    assert_strip_as_drawn_afresh(&page, (w, h), false, "a scrub");

    click(&page, "#legend .gdviz-legend-item:nth-child(2)");
    page.wait_state("run 2 to be selected", |s| s["selected"] == json!(1));
    assert_strip_as_drawn_afresh(&page, (w, h), false, "another run selected");
    page.js("document.getElementById('lr').focus()");
    press(&page, "ArrowLeft", 2);
    page.wait_state("run 2's γ to move", |s| s["lr"] != json!(0.01));
    assert_strip_as_drawn_afresh(&page, (w, h), false, "run 2's slider");

    let width = |page: &Page| page.js("document.getElementById('rates').width");
    let before = width(&page);
    let (w, h) = (1000, 900);
    let metrics: headless_chrome::protocol::cdp::Emulation::SetDeviceMetricsOverride =
        serde_json::from_value(json!({
            "width": w, "height": h, "deviceScaleFactor": 1, "mobile": false
        }))
        .unwrap();
    page.tab.call_method(metrics).expect("resize the viewport");
    page.wait_state("the strip resized", |_| width(&page) != before);
    page.js("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");
    assert_strip_as_drawn_afresh(&page, (w, h), false, "a resize");

    let light = page.js(STRIP_LAYERS);
    dark_mode(&page, true);
    page.wait_state("the strip in dark ink", |_| page.js(STRIP_LAYERS) != light);
    assert_strip_as_drawn_afresh(&page, (w, h), true, "dark mode");
    dark_mode(&page, false);
    page.wait_state("the strip in light ink", |_| page.js(STRIP_LAYERS) == light);

    page.js("window.gdviz.set({surface: 'himmelblau'})");
    page.wait_state("Himmelblau", |s| s["surface"] == json!("himmelblau"));
    page.js("document.getElementById('lr').focus()");
    press(&page, "ArrowRight", 1);
    let lr = page.state()["lr"].clone();
    press(&page, "ArrowRight", 1);
    page.wait_state("γ to move", |s| s["lr"] != lr);
    assert_strip_as_drawn_afresh(&page, (w, h), false, "a slider step on Himmelblau");
    page.assert_healthy();
}

/// The loss chart as seen: its three layers (axes, lines, marks) drawn into one picture, then
/// `{url, inked, layers}`: the picture as a PNG data URL, its inked pixels and each layer's.
const LOSS_SEEN: &str = r#"(() => {
  const top = document.getElementById('loss');
  const seen = document.createElement('canvas');
  [seen.width, seen.height] = [top.width, top.height];
  const ctx = seen.getContext('2d');
  const inked = (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  };
  const layers = ['loss-axes', 'loss-lines', 'loss'].map((id) => {
    const c = document.getElementById(id);
    ctx.drawImage(c, 0, 0);
    return inked(c);
  });
  return { url: seen.toDataURL(), inked: inked(seen), layers };
})()"#;

/// How many pixels of this page's loss chart as seen differ from the picture at `url` (a
/// [`LOSS_SEEN`] data URL) by more than `tolerance` in some channel; -1 for another size.
fn loss_differs(page: &Page, url: &str, tolerance: u32) -> i64 {
    let seen = page.js(LOSS_SEEN);
    let n = page.js(&format!(
        r#"(async () => {{
  const load = async (src) => {{ const i = new Image(); i.src = src; await i.decode(); return i; }};
  const [a, b] = [await load({url:?}), await load({mine:?})];
  if (a.width !== b.width || a.height !== b.height) return -1;
  const data = (img) => {{
    const c = document.createElement('canvas');
    [c.width, c.height] = [img.width, img.height];
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    return ctx.getImageData(0, 0, c.width, c.height).data;
  }};
  const [p, q] = [data(a), data(b)];
  let n = 0;
  for (let i = 0; i < p.length; i += 4) {{
    for (let j = 0; j < 4; j++) if (Math.abs(p[i + j] - q[i + j]) > {tolerance}) {{ n++; break; }}
  }}
  return n;
}})()"#,
        mine = seen["url"].as_str().unwrap()
    ));
    n.as_i64().unwrap()
}

/// Asserts that `page`'s loss chart, drawn through its layers after whatever came before, is
/// the picture of the same state loaded from scratch (its link) and scrubbed `back` steps from
/// the end by the same keys: no layer holds stale lines. Compositing layers rounds the edges of
/// the marks a little differently from drawing them on the lines: a few levels of 255.
fn assert_loss_as_drawn_afresh(page: &Page, back: usize, after: &str) {
    let seen = page.js(LOSS_SEEN);
    let link = page.js("window.gdviz.link()");
    let query = link.as_str().unwrap().split_once('?').map_or("", |q| q.1);
    let fresh = Page::open_at(1280, 900, &format!("?{query}"));
    if back > 0 {
        let last = num(&fresh.state()["current"], "current");
        fresh.js("document.getElementById('scrub').focus()");
        press(&fresh, "ArrowLeft", back);
        fresh.wait_state("the same scrub", |s| {
            num(&s["current"], "current") == last - back as f64
        });
    }
    let expected = fresh.js(LOSS_SEEN);
    assert!(
        expected["inked"].as_u64().unwrap() > 1000,
        "{after}: {}",
        expected["layers"]
    );
    let differ = loss_differs(&fresh, seen["url"].as_str().unwrap(), LOSS_TOLERANCE);
    eprintln!(
        "{after}: {differ} differ; strict {}",
        loss_differs(&fresh, seen["url"].as_str().unwrap(), 0)
    );
    assert_eq!(
        differ, 0,
        "{after}: the loss chart differs from a fresh page's (?{query}): layers {} vs {}",
        seen["layers"], expected["layers"]
    );
    fresh.assert_healthy();
}

/// See [`assert_loss_as_drawn_afresh`].
const LOSS_TOLERANCE: u32 = 8;

/// Scrubbing redraws only the loss chart's marks: the runs' lines move to a layer of their own
/// the first time the step changes, and a slider change that draws new lines clears that layer.
/// After each change the chart is the picture a fresh page draws of the same state.
#[test]
fn scrubbing_redraws_the_loss_charts_marks_over_lines_that_stay() {
    let page = Page::open_at(1280, 900, "?surface=booth&steps=200");
    let n = page.js("window.gdviz.set({runs: [\
         {optimizer: 'sgd', lr: 0.02}, {optimizer: 'momentum', lr: 0.01, momentum: 0.5}], \
         selected: 0})");
    assert_eq!(n, json!([]));
    assert_loss_as_drawn_afresh(&page, 0, "a race of two");
    let layers = |page: &Page| page.js(LOSS_SEEN)["layers"].clone();
    let scrub = |page: &Page, back: usize| {
        let last = num(&page.state()["current"], "current");
        page.js("document.getElementById('scrub').focus()");
        press(page, "ArrowLeft", back);
        page.wait_state("a scrub", |s| {
            num(&s["current"], "current") == last - back as f64
        });
    };
    scrub(&page, 30);
    let [_, lines, marks] = [0, 1, 2].map(|i| layers(&page)[i].as_u64().unwrap());
    assert!(lines > 400, "the lines on their layer: {}", layers(&page));
    // Two marks of 3.5 px radius.
    assert!(
        marks > 0 && marks < 150,
        "only the marks on top: {}",
        layers(&page)
    );
    assert_loss_as_drawn_afresh(&page, 30, "a scrub");
    scrub(&page, 10);
    assert_loss_as_drawn_afresh(&page, 40, "a second scrub");

    // A slider change: new lines, drawn with the marks; the layer of the old ones cleared.
    page.js("document.getElementById('lr').focus()");
    press(&page, "ArrowRight", 3);
    page.wait_state("γ to move", |s| s["lr"] != json!(0.02));
    assert_eq!(layers(&page)[1], json!(0), "the old lines cleared");
    assert_loss_as_drawn_afresh(&page, 0, "a slider change after a scrub");
    scrub(&page, 10);
    assert_loss_as_drawn_afresh(&page, 10, "a scrub after the slider change");
    page.assert_healthy();
}

/// The second-order group, as a student reaches it: Newton's method from the menu on a
/// stochastic run sets the full batch (the variant menu greyed, a note saying why), and its
/// first update lands on Booth's minimum, written out with H and H⁻¹g; L-BFGS's line-search
/// menu switches to strong Wolfe, and the panel counts the search's evaluations. A singular
/// Hessian's status says so, not "learning rate too large".
#[test]
fn the_second_order_methods_take_the_full_batch_and_explain_their_steps() {
    let page = Page::open_at(1280, 900, "?surface=booth&lr=1&steps=20&variant=stochastic");
    page.js("document.getElementById('optimizer').focus()");
    // sgd … rprop, lbfgs, newton: Newton is the 14th entry.
    press(&page, "ArrowDown", 13);
    let s = page.wait_state("Newton", |s| s["optimizer"] == json!("newton"));
    assert_eq!(
        s["variant"],
        json!("batch"),
        "choosing Newton sets the full batch"
    );
    assert_eq!(num(&s["lr"], "lr"), 1.0);
    let shown = page.js(
        "[document.getElementById('variant').disabled, document.getElementById('variant-note').hidden]",
    );
    assert_eq!(
        shown,
        json!([true, false]),
        "the variant menu is greyed, with its note"
    );
    let t = &s["trajectory"];
    assert!(
        (num(&t[1][0], "x1") - 1.0).abs() < 1e-9 && (num(&t[1][1], "y1") - 3.0).abs() < 1e-9,
        "{t}"
    );
    click(&page, "#reset");
    let lines = page.js("document.getElementById('update-lines').textContent");
    let lines = lines.as_str().unwrap_or_default();
    assert!(
        lines.contains("H(θ) = [[10, 8], [8, 10]]") && lines.contains("H⁻¹g = "),
        "{lines}"
    );

    // L-BFGS, one entry up, with its line search from the menu.
    page.js("document.getElementById('optimizer').focus()");
    press(&page, "ArrowUp", 1);
    page.wait_state("L-BFGS", |s| s["optimizer"] == json!("lbfgs"));
    let p = page.js(PANELS);
    assert_eq!(p["hypers"], json!(["line_search"]), "{p}");
    page.js("document.getElementById('line_search').focus()");
    press(&page, "ArrowDown", 1);
    let s = page.wait_state("strong Wolfe", |s| {
        s["line_search"] == json!("strong_wolfe")
    });
    assert!(
        s["rule"].as_str().unwrap().contains("strong-Wolfe"),
        "{}",
        s["rule"]
    );
    click(&page, "#reset");
    let lines = page.js("document.getElementById('update-lines').textContent");
    assert!(
        lines
            .as_str()
            .unwrap_or_default()
            .contains("strong-Wolfe line search: "),
        "{lines}"
    );

    // Newton where the Hessian is singular: f = x² + y has none in y.
    page.js("window.gdviz.set({optimizer: 'newton', expr: 'x^2 + y'})");
    page.wait_state("diverged", |s| s["status"] == json!("diverged"));
    let status = page.js("document.getElementById('status').textContent");
    assert!(
        status.as_str().unwrap_or_default().contains("singular"),
        "{status}"
    );
    page.assert_healthy();
}

/// The Code view, as a student opens it: the button shows the selected run as the PyTorch script
/// `gdviz export` prints for the same settings, it follows a change of the learning rate while
/// open, Copy copies it (or selects it where the clipboard is refused), a dataset loss's script
/// carries its examples, and a run with no NumPy script says which language has one.
/// The Code box's text once the code export (the page's second wasm module) has loaded: the
/// first opening shows a placeholder until then.
fn code_text(page: &Page) -> Value {
    page.js(
        "new Promise((r) => { const f = () => { const t = document.getElementById('code-text').textContent; \
         if (t.startsWith('# Loading')) setTimeout(f, 25); else r(t); }; f(); })",
    )
}

#[test]
fn the_code_view_shows_the_clis_export_of_the_selected_run() {
    use gdviz::{surface, Hyper, OptimizerKind, RunConfig};
    let page = Page::open_at(
        1280,
        900,
        "?surface=booth&optimizer=adam&lr=0.1&steps=50&schedule=cosine:t_max=50&clip_norm=5",
    );
    click(&page, "#show-code");
    let text = code_text(&page);
    let s = surface::by_name("booth").unwrap();
    let cli = |lr: f64| {
        let cfg = RunConfig {
            hyper: Hyper {
                lr,
                ..Hyper::defaults(OptimizerKind::Adam)
            },
            steps: 50,
            schedule: gdviz::schedule::Schedule::parse("cosine:t_max=50").unwrap(),
            clip: gdviz::optim::Clip {
                norm: Some(5.0),
                value: None,
            },
            ..RunConfig::new(s.as_ref(), OptimizerKind::Adam)
        };
        gdviz::export::torch_script(s.as_ref(), &cfg).unwrap()
    };
    assert_eq!(text.as_str().unwrap(), cli(0.1));
    assert_eq!(
        page.js("document.getElementById('show-code').getAttribute('aria-expanded')"),
        json!("true")
    );

    type_into(&page, "#lr-value", "0.05");
    page.wait_state("γ = 0.05", |s| s["lr"] == json!(0.05));
    let text = code_text(&page);
    assert_eq!(
        text.as_str().unwrap(),
        cli(0.05),
        "the open script follows the change"
    );

    click(&page, "#copy-code");
    std::thread::sleep(std::time::Duration::from_millis(200));
    let copied = page
        .js("[document.getElementById('copy-code').textContent, String(window.getSelection())]");
    match copied[0].as_str().unwrap() {
        "Copied" => {}
        "Press Ctrl+C" => assert_eq!(copied[1].as_str().unwrap(), cli(0.05)),
        other => panic!("the Copy button says {other:?}"),
    }

    // The NumPy script from the menu, the CLI's `--lang numpy` for the same run.
    page.js("document.getElementById('code-lang').focus()");
    press(&page, "ArrowDown", 1);
    let numpy = {
        let cfg = RunConfig {
            hyper: Hyper {
                lr: 0.05,
                ..Hyper::defaults(OptimizerKind::Adam)
            },
            steps: 50,
            schedule: gdviz::schedule::Schedule::parse("cosine:t_max=50").unwrap(),
            clip: gdviz::optim::Clip {
                norm: Some(5.0),
                value: None,
            },
            ..RunConfig::new(s.as_ref(), OptimizerKind::Adam)
        };
        gdviz::export::numpy_script(s.as_ref(), &cfg).unwrap()
    };
    let text = code_text(&page);
    assert_eq!(text.as_str().unwrap(), numpy);

    // A dataset loss's script carries its examples; L-BFGS in NumPy says which language has it.
    page.js("window.gdviz.set({surface: 'linear-regression'})");
    page.wait_state("a dataset", |s| s["surface"] == json!("linear-regression"));
    let text = code_text(&page);
    let text = text.as_str().unwrap();
    assert!(
        text.starts_with("# gdviz: Adam on linear-regression")
            && text.contains("DATA_X = np.array(["),
        "{text}"
    );
    page.js("window.gdviz.set({optimizer: 'lbfgs'})");
    page.wait_state("L-BFGS", |s| s["optimizer"] == json!("lbfgs"));
    let text = code_text(&page);
    let text = text.as_str().unwrap();
    assert!(
        text.starts_with("# No script for this run: ") && text.contains("choose PyTorch"),
        "{text}"
    );
    click(&page, "#close-code");
    assert_eq!(
        page.js("document.getElementById('code-box').hidden"),
        json!(true)
    );
    page.assert_healthy();
}
