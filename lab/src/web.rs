//! The module's bindings: `NetworkView` (Network mode of one page instance: its three canvases
//! and the run its options describe) and `code()` (the selected run as a script).
//!
//! Nothing here owns the page's state: each call is handed the state as a link query
//! (`Visualizer.stateQuery()`), parsed by the core as any link is.

use gdviz::format::short;
use gdviz::measured::{Font, Measured, Typesetter};
use gdviz::netview::{self, Curves};
use gdviz::network::Task;
use gdviz::options::{hidden_text, Options};
use gdviz::render::Style;
use gdviz::variant::{self, Variant};
use js_sys::{Function, Object, Reflect};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::netrun::{NetRun, RunKey};

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// The selected run of the state `query` (a link query against the defaults) as a standalone
/// script in `lang` (`torch` or `numpy`) that prints the same path as `gdviz trace` does, or why
/// it cannot be written (a dataset loss, say).
#[wasm_bindgen]
pub fn code(query: &str, lang: &str) -> Result<String, JsError> {
    crate::code::script(query, lang).map_err(|e| JsError::new(&e))
}

pub(crate) fn err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

pub(crate) fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsError> {
    canvas
        .get_context("2d")
        .map_err(|_| err("the canvas has no 2D context"))?
        .ok_or_else(|| err("the canvas has no 2D context"))?
        .dyn_into::<CanvasRenderingContext2d>()
        .map_err(|_| err("the canvas has no 2D context"))
}

pub(crate) fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value.into());
}

/// `performance.now()` (ms), or the clock where there is none.
pub(crate) fn now_ms() -> f64 {
    let global = js_sys::global();
    Reflect::get(&global, &"performance".into())
        .ok()
        .and_then(|perf| {
            let now = Reflect::get(&perf, &"now".into()).ok()?;
            now.dyn_into::<Function>().ok()?.call0(&perf).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}

/// plotters on a canvas, its text measured by the canvas's `measureText` (plotters' own
/// measurement adds inline styles a strict CSP refuses; see the core's `measured`).
type Canvas = Measured<CanvasBackend, CanvasText>;

/// Text measured by the canvas's 2D context.
pub(crate) struct CanvasText(CanvasRenderingContext2d);

impl Typesetter for CanvasText {
    fn measure(&self, text: &str, font: &Font) -> (u32, u32) {
        let ctx = &self.0;
        ctx.save();
        ctx.set_font(&format!("{} {}px {}", font.style, font.size, font.family));
        let width = ctx.measure_text(text).map(|m| m.width()).unwrap_or(0.0);
        ctx.restore();
        (width.ceil() as u32, (font.size * 1.2).ceil() as u32)
    }
}

/// `canvas` to draw on with plotters.
pub(crate) fn canvas(c: &HtmlCanvasElement) -> Result<Canvas, JsError> {
    let text = CanvasText(context(c)?);
    let inner = CanvasBackend::with_canvas_object(c.clone())
        .ok_or_else(|| err("the canvas has no 2D context"))?;
    Ok(Measured { inner, text })
}

/// While a run trains, its views are redrawn about this often (ms): a redraw costs about a
/// frame's budget itself, so a frame either trains or draws, never both.
pub const REDRAW_EVERY: f64 = 120.0;

/// `v` as a percentage, to a tenth.
fn percent(v: f64) -> String {
    format!("{}%", gdviz::format::fixed(v * 100.0, 1))
}

/// Network mode of one instance: the boundary, curves and diagram canvases, the options last
/// handed over, and the run they describe (a changed setting starts a new run at once; the old
/// one is dropped where it stood).
#[wasm_bindgen]
pub struct NetworkView {
    canvases: [HtmlCanvasElement; 3],
    opts: Options,
    style: Style,
    run: Option<NetRun>,
    /// Why the settings in force cannot train (e.g. a batch larger than the training set).
    error: Option<String>,
    /// The step shown; `None` follows the last step trained.
    current: Option<usize>,
    /// The settings that last failed to start (not retried until they change).
    failed: Option<RunKey>,
    /// When the views were last drawn (`performance.now()`, ms).
    drawn_at: f64,
}

impl NetworkView {
    /// Makes the held run the one the options describe (dropping an older one).
    fn sync_run(&mut self) {
        let key = RunKey::of(&self.opts);
        if self.run.as_ref().is_some_and(|r| r.key == key) {
            return;
        }
        if self.run.is_none() && self.failed.as_ref() == Some(&key) {
            return;
        }
        self.run = None;
        self.current = None;
        self.error = None;
        match NetRun::start(key.clone()) {
            Ok(run) => {
                self.run = Some(run);
                self.failed = None;
            }
            Err(e) => {
                self.error = Some(e.to_string());
                self.failed = Some(key);
            }
        }
    }

    /// The step shown and its θ.
    fn shown(&self) -> Option<(usize, &[f64])> {
        let run = self.run.as_ref()?;
        Some(run.at(self.current.unwrap_or(usize::MAX)))
    }

    /// Draws the three views at the step shown.
    fn draw_views(&mut self) -> Result<(), JsError> {
        self.drawn_at = now_ms();
        let [boundary, curves, diagram] = &self.canvases;
        for c in [boundary, curves, diagram] {
            context(c)?.clear_rect(0.0, 0.0, c.width() as f64, c.height() as f64);
        }
        let (Some(run), Some((step, theta))) = (&self.run, self.shown()) else {
            return Ok(());
        };
        let (model, data) = (run.trainer.model(), run.trainer.data());
        let style = &self.style;
        // The decision boundary: axes, the output's pixels, then the examples.
        let root = canvas(boundary)?.into_drawing_area();
        let view = netview::input_view(data);
        let frame = netview::draw_boundary_axes(&root, view, style).map_err(err)?;
        root.present().map_err(err)?;
        let field = netview::boundary_field(model, theta, frame.view);
        let range = netview::value_range(&field, data);
        let (w, h) = (frame.width as u32, frame.height as u32);
        if w > 0 && h > 0 {
            let rgba = netview::boundary_rgba(
                &field, data.task, range, w as usize, h as usize, style.dark,
            );
            let image = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
                wasm_bindgen::Clamped(&rgba),
                w,
                h,
            )
            .map_err(|_| err("cannot make the boundary's image"))?;
            context(boundary)?
                .put_image_data(&image, frame.left, frame.top)
                .map_err(|_| err("cannot draw the boundary's image"))?;
        }
        let cfg = &run.key.cfg;
        let batch = variant::batch_at(cfg.variant, data.train.len(), cfg.batch, cfg.seed, step)
            .unwrap_or_default();
        let root = canvas(boundary)?.into_drawing_area();
        netview::draw_examples(&root, &frame, &field, data, &batch, range, style).map_err(err)?;
        root.present().map_err(err)?;
        // The curves.
        let rows = run.trainer.rows();
        let col = |f: &dyn Fn(&gdviz::network::Row) -> Option<f64>| -> Vec<f64> {
            rows.iter().map_while(f).collect()
        };
        let train_loss = col(&|r| Some(r.train_loss));
        let test_loss = col(&|r| r.test_loss);
        let train_acc = col(&|r| r.train_acc);
        let test_acc = col(&|r| r.test_acc);
        let root = canvas(curves)?.into_drawing_area();
        netview::draw_curves(
            &root,
            &Curves {
                train_loss: &train_loss,
                test_loss: &test_loss,
                train_acc: &train_acc,
                test_acc: &test_acc,
                steps: cfg.steps,
            },
            step,
            style,
        )
        .map_err(err)?;
        root.present().map_err(err)?;
        // The network.
        let root = canvas(diagram)?.into_drawing_area();
        netview::draw_network(&root, model, theta, style).map_err(err)?;
        root.present().map_err(err)
    }
}

#[wasm_bindgen]
impl NetworkView {
    /// Network mode drawn on `boundary` (the decision boundary), `curves` (loss and accuracy
    /// per step) and `diagram` (the network and its weights), for the default options until
    /// [`NetworkView::set_state`] hands over the page's.
    #[wasm_bindgen(constructor)]
    pub fn new(
        boundary: HtmlCanvasElement,
        curves: HtmlCanvasElement,
        diagram: HtmlCanvasElement,
    ) -> NetworkView {
        NetworkView {
            canvases: [boundary, curves, diagram],
            opts: Options::default(),
            style: Style {
                scale: 1.0,
                dark: false,
            },
            run: None,
            error: None,
            current: None,
            failed: None,
            drawn_at: f64::NEG_INFINITY,
        }
    }

    /// Takes the page's state (`Visualizer.stateQuery()`) and starts the run it describes if
    /// it is not the one held. An unreadable state is an error (the page's state always reads).
    #[wasm_bindgen(js_name = setState)]
    pub fn set_state(&mut self, query: &str) -> Result<(), JsError> {
        self.opts = crate::code::options(query).map_err(|e| JsError::new(&e))?;
        self.sync_run();
        Ok(())
    }

    /// Sizes the canvases (CSS pixels; `scale` device pixels per CSS pixel, `dark` the theme)
    /// and redraws them.
    pub fn resize(&mut self, sizes: &[f64], scale: f64, dark: bool) -> Result<(), JsError> {
        let scale = if scale.is_finite() {
            scale.clamp(0.25, 8.0)
        } else {
            1.0
        };
        self.style = Style { scale, dark };
        let px = |css: f64| (css.clamp(1.0, 4000.0) * scale).round() as u32;
        for (i, c) in self.canvases.iter().enumerate() {
            let (w, h) = (sizes.get(2 * i), sizes.get(2 * i + 1));
            c.set_width(px(w.copied().unwrap_or(300.0)));
            c.set_height(px(h.copied().unwrap_or(150.0)));
        }
        self.draw_views()
    }

    /// Redraws the views at the step shown.
    pub fn draw(&mut self) -> Result<(), JsError> {
        self.draw_views()
    }

    /// One animation frame's work: trains for about `budget_ms` milliseconds, at least one
    /// step, or, when the views were last drawn [`REDRAW_EVERY`] ms ago or more, redraws them
    /// instead (and when the run ends). Returns whether steps remain.
    #[wasm_bindgen(js_name = trainFor)]
    pub fn train_for(&mut self, budget_ms: f64) -> Result<bool, JsError> {
        let started = now_ms();
        if started - self.drawn_at >= REDRAW_EVERY {
            self.draw_views()?;
            return Ok(self.run.as_ref().is_some_and(|r| !r.trainer.is_over()));
        }
        let Some(run) = self.run.as_mut() else {
            return Ok(false);
        };
        while !run.trainer.is_over() {
            run.step();
            if now_ms() - started >= budget_ms {
                break;
            }
        }
        run.spent += now_ms() - started;
        let more = !run.trainer.is_over();
        if !more {
            self.draw_views()?;
        }
        Ok(more)
    }

    /// Shows step `k` (snapped to a kept step; past the last step trained, follows it).
    #[wasm_bindgen(js_name = showStep)]
    pub fn show_step(&mut self, k: usize) -> Result<(), JsError> {
        self.current = (k < self.step_count()).then_some(k);
        self.draw_views()
    }

    /// Steps trained so far.
    #[wasm_bindgen(getter, js_name = stepCount)]
    pub fn step_count(&self) -> usize {
        self.run.as_ref().map_or(0, NetRun::trained)
    }

    /// The step shown.
    #[wasm_bindgen(getter)]
    pub fn current(&self) -> usize {
        self.shown().map_or(0, |(s, _)| s)
    }

    /// The run's state: `{error, task, parameters, trained, training, diverged, step, keep,
    /// spentMs, trainLoss, testLoss, trainAcc, testAcc (at the step shown, null where not
    /// measured), lastTrainLoss, progress, boundaryText, curvesText, diagramText}` (the
    /// settings themselves are the page module's `networkState()`).
    pub fn state(&self) -> Object {
        let o = Object::new();
        let n = &self.opts.network;
        set(
            &o,
            "error",
            self.error.as_deref().map_or(JsValue::NULL, JsValue::from),
        );
        let Some(run) = &self.run else {
            let why = self.error.clone().unwrap_or_default();
            set(&o, "progress", format!("cannot train: {why}"));
            return o;
        };
        let rows = run.trainer.rows();
        let trained = run.trained();
        let (step, _) = run.at(self.current.unwrap_or(usize::MAX));
        let row = rows[step];
        let model = run.trainer.model();
        let diverged = run.trainer.is_over() && trained < run.key.cfg.steps;
        let num = |v: Option<f64>| v.map_or(JsValue::NULL, JsValue::from);
        set(
            &o,
            "task",
            match model.task() {
                Task::Classification => "classification",
                Task::Regression => "regression",
            },
        );
        set(&o, "parameters", model.len() as f64);
        set(&o, "trained", trained as f64);
        set(&o, "training", !run.trainer.is_over());
        set(&o, "diverged", diverged);
        set(&o, "step", step as f64);
        set(&o, "keep", run.keep as f64);
        set(&o, "spentMs", run.spent);
        set(&o, "trainLoss", row.train_loss);
        set(&o, "testLoss", num(row.test_loss));
        set(&o, "trainAcc", num(row.train_acc));
        set(&o, "testAcc", num(row.test_acc));
        set(&o, "lastTrainLoss", rows[trained].train_loss);
        // The readouts as the page shows them.
        set(&o, "trainLossText", short(row.train_loss));
        set(&o, "testLossText", row.test_loss.map_or("–".into(), short));
        set(&o, "testAccText", row.test_acc.map_or("–".into(), percent));
        let steps = run.key.cfg.steps;
        let progress = if !run.trainer.is_over() {
            format!("training… {trained}/{steps}")
        } else if diverged {
            format!("diverged after step {trained} of {steps}: the loss blew up; try a smaller learning rate")
        } else {
            format!(
                "trained {steps} steps ({} s of computing)",
                gdviz::format::fixed(run.spent / 1000.0, 2)
            )
        };
        set(&o, "progress", progress);
        let measured = match (row.test_loss, row.test_acc) {
            (_, Some(acc)) => format!(
                "train loss {}, train accuracy {}, test accuracy {}",
                short(row.train_loss),
                percent(row.train_acc.unwrap_or(f64::NAN)),
                percent(acc)
            ),
            (Some(test), None) => format!(
                "train loss {}, test loss {}",
                short(row.train_loss),
                short(test)
            ),
            _ => format!("train loss {}", short(row.train_loss)),
        };
        let arch = format!("2-{}-1", hidden_text(&n.hidden).replace(',', "-"));
        let of = format!("Step {step} of {trained} trained");
        let ringed = if run.key.cfg.variant == Variant::Batch || step == 0 {
            ""
        } else {
            ", the batch of this step ringed in green"
        };
        let boundary = match model.task() {
            Task::Classification => format!(
                "{of}: the {arch} {} network's probability of class 1 over the input plane (blue class 0, orange class 1, the line where it is 0.5) with the {} training examples filled and the test examples hollow{ringed}; {measured}.",
                n.activation.name(),
                n.dataset.name()
            ),
            Task::Regression => format!(
                "{of}: the {arch} {} network's output over the input plane (blue low, orange high) with the {} training examples filled and the test examples hollow{ringed}; {measured}.",
                n.activation.name(),
                n.dataset.name()
            ),
        };
        set(&o, "boundaryText", boundary);
        set(
            &o,
            "curvesText",
            format!("Training (blue) and test (orange) loss per step, and for a classifier the accuracies, over {trained} steps trained; at step {step}: {measured}."),
        );
        set(
            &o,
            "diagramText",
            format!("The {arch} network at step {step}: every weight a line, orange positive and blue negative, wider for larger; {} parameters in all with the biases, which are not drawn.", model.len()),
        );
        o
    }
}
