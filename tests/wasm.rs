//! The exported wasm API, run inside headless Chromium by wasm-bindgen-test (`cargo xtask test`
//! runs it; see README).
#![cfg(target_arch = "wasm32")]

use gdviz::web::{catalog, format_number, lr_from_slider, slider_from_lr, Visualizer};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::HtmlCanvasElement;

wasm_bindgen_test_configure!(run_in_browser);

fn get(o: &JsValue, key: &str) -> JsValue {
    Reflect::get(o, &key.into()).unwrap()
}

fn canvas() -> HtmlCanvasElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    doc.create_element("canvas").unwrap().dyn_into().unwrap()
}

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn visualizer() -> (Visualizer, HtmlCanvasElement) {
    let bg = canvas();
    let mut v = Visualizer::new(bg.clone(), canvas(), canvas()).unwrap();
    v.resize(640.0, 480.0, 400.0, 160.0, 1.0, false);
    v.render().unwrap();
    (v, bg)
}

#[wasm_bindgen_test]
fn catalog_lists_every_surface_and_optimizer() {
    let c: JsValue = catalog().into();
    let surfaces = Array::from(&get(&c, "surfaces"));
    assert_eq!(surfaces.length() as usize, gdviz::surface::catalog().len());
    let optimizers = Array::from(&get(&c, "optimizers"));
    let names: Vec<String> = optimizers
        .iter()
        .map(|o| get(&o, "name").as_string().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "sgd",
            "momentum",
            "nesterov",
            "adagrad",
            "rmsprop",
            "adam",
            "adamw",
            "nadam",
            "radam",
            "adamax",
            "adadelta",
            "rprop",
            "lbfgs",
            "newton",
            "linesearch"
        ]
    );
    // L-BFGS: the second-order group, the full batch only, and its line search a choice of two.
    let lbfgs = optimizers.get(12);
    assert_eq!(
        get(&lbfgs, "group").as_string().unwrap(),
        "Second-order and line search"
    );
    assert_eq!(get(&lbfgs, "fullBatch").as_bool(), Some(true));
    let search = Array::from(&get(&lbfgs, "hypers")).get(1);
    assert_eq!(get(&search, "kind").as_string().unwrap(), "choice");
    let choices: Vec<String> = Array::from(&get(&search, "choices"))
        .iter()
        .map(|c| c.as_string().unwrap())
        .collect();
    assert_eq!(choices, ["none", "strong_wolfe"]);
    assert_eq!(get(&optimizers.get(5), "fullBatch").as_bool(), Some(false));
    // Adam takes γ, β₁, β₂, ε, weight decay and AMSGrad; its group is the adaptive one.
    let adam = optimizers.get(5);
    let hypers: Vec<String> = Array::from(&get(&adam, "hypers"))
        .iter()
        .map(|h| get(&h, "name").as_string().unwrap())
        .collect();
    assert_eq!(
        hypers,
        ["lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad"]
    );
    assert_eq!(get(&adam, "group").as_string().unwrap(), "Adaptive");
    // Every lr_scheduler kind the Schedule panel offers.
    let schedules: Vec<String> = Array::from(&get(&c, "schedules"))
        .iter()
        .map(|s| get(&s, "name").as_string().unwrap())
        .collect();
    assert_eq!(
        schedules,
        [
            "constant",
            "step",
            "multistep",
            "exponential",
            "cosine",
            "cosine-restarts",
            "linear",
            "onecycle",
            "plateau"
        ]
    );
}

#[wasm_bindgen_test]
fn log_slider_maps_to_round_learning_rates() {
    assert_eq!(lr_from_slider(-2.0), 0.01);
    assert_eq!(lr_from_slider(1.0), 10.0);
    assert_eq!(lr_from_slider(0.0123f64.log10()), 0.0123);
    assert!((slider_from_lr(0.001) - -3.0).abs() < 1e-12);
    assert_eq!(format_number(0.000123456), "1.23e-4");
}

#[wasm_bindgen_test]
fn set_runs_and_reports_divergence_in_state() {
    let (mut v, _) = visualizer();
    let notices = v
        .set(&options(&[
            ("surface", "booth".into()),
            ("optimizer", "sgd".into()),
            ("lr", 0.12.into()),
            ("steps", 500.into()),
        ]))
        .unwrap();
    assert_eq!(notices.length(), 0);
    v.render().unwrap();
    let s: JsValue = v.state().into();
    assert_eq!(get(&s, "status").as_string().unwrap(), "diverged");
    let k = get(&s, "divergedAt").as_f64().unwrap() as u32;
    let traj = Array::from(&get(&s, "trajectory"));
    assert_eq!(traj.length(), k + 1);
    assert_eq!(v.step_count(), k as usize);
}

#[wasm_bindgen_test]
fn bad_values_are_notices_and_the_rest_applies() {
    let (mut v, _) = visualizer();
    let notices = v
        .set(&options(&[
            ("lr", (-1.0).into()),
            ("steps", 50.into()),
            ("nonsense", 1.into()),
        ]))
        .unwrap();
    assert_eq!(notices.length(), 2);
    let s: JsValue = v.state().into();
    assert_eq!(get(&s, "lr").as_f64().unwrap(), 0.001);
    assert_eq!(get(&s, "steps").as_f64().unwrap(), 50.0);
    assert!(v.set(&JsValue::from_str("lr=1")).is_err());
}

#[wasm_bindgen_test]
fn background_is_drawn_and_pixels_map_to_parameters() {
    let (v, bg) = visualizer();
    let ctx: web_sys::CanvasRenderingContext2d =
        bg.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let data = ctx.get_image_data(0.0, 0.0, 640.0, 480.0).unwrap().data();
    let distinct: std::collections::HashSet<&[u8]> = data.chunks(4).collect();
    assert!(distinct.len() > 50, "only {} colours", distinct.len());
    let s: JsValue = v.state().into();
    let plot = get(&s, "plotCss");
    let (l, t) = (
        get(&plot, "left").as_f64().unwrap(),
        get(&plot, "top").as_f64().unwrap(),
    );
    let (w, h) = (
        get(&plot, "width").as_f64().unwrap(),
        get(&plot, "height").as_f64().unwrap(),
    );
    // Rosenbrock's view is x ∈ [−2, 2], y ∈ [−1, 3]: the plot's centre is (0, 1).
    let p = v.param_at(l + w / 2.0, t + h / 2.0).unwrap();
    assert!((p.get(0).as_f64().unwrap()).abs() < 1e-9);
    assert!((p.get(1).as_f64().unwrap() - 1.0).abs() < 1e-9);
    assert!(v.param_at(1.0, 1.0).is_none());
}

#[wasm_bindgen_test]
fn readout_says_when_a_run_converged_and_the_mark_shows_only_fixed_thresholds() {
    let (mut v, _) = visualizer();
    let booth = options(&[
        ("surface", "booth".into()),
        ("optimizer", "sgd".into()),
        ("lr", 0.1.into()),
        ("steps", 500.into()),
    ]);
    v.set(&booth).unwrap();
    // ‖∇f(θₖ)‖ = 0.8ᵏ·√41480 at γ = 0.1: below 1e-6 from step 86 on (tests/runs.rs).
    let r: JsValue = v.readout().into();
    assert_eq!(get(&r, "status").as_string().unwrap(), "converged");
    assert_eq!(get(&r, "convergedAt").as_f64(), Some(86.0));
    let s: JsValue = v.settings().into();
    assert_eq!(get(&s, "criticalLr").as_f64(), Some(2.0 / 18.0));
    assert!(get(&s, "criticalMark").as_f64().is_some());
    // Adam: 2/λmax is still reported, but no fixed threshold applies, so no mark.
    v.set(&options(&[("optimizer", "adam".into())])).unwrap();
    let s: JsValue = v.settings().into();
    assert_eq!(get(&s, "criticalLr").as_f64(), Some(2.0 / 18.0));
    assert!(get(&s, "criticalMark").is_null());
    // A diverged run has no convergedAt.
    v.set(&options(&[("optimizer", "sgd".into()), ("lr", 1.into())]))
        .unwrap();
    let r: JsValue = v.readout().into();
    assert!(get(&r, "convergedAt").is_null(), "null, not undefined");
    // f = x has no curvature: no critical rate, no mark, and a caption that says why.
    v.set(&options(&[("expr", "x".into())])).unwrap();
    let s: JsValue = v.settings().into();
    assert!(get(&s, "criticalLr").is_null() && get(&s, "criticalMark").is_null());
    let caption = get(&s, "criticalCaption").as_string().unwrap();
    assert!(
        caption.starts_with("f has no curvature at the start"),
        "{caption}"
    );
}
