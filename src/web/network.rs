//! Network mode of a [`Visualizer`]: a network trained on a dataset by the selected run's
//! optimizer, learning rate, variant, batch, schedule, clipping and step count, in frame-sized
//! chunks (the page calls [`Visualizer::train_for`] once per animation frame with a budget of
//! milliseconds, so input is never blocked for more than a frame), with its three views drawn at
//! the step shown. A changed setting makes a new run on the next call: the old one is dropped
//! where it stood.
//!
//! Scrubbing: θ is kept every [`NetRun::keep`] steps, chosen so the kept copies hold at most
//! [`KEEP_BUDGET`] numbers (3.2 MB); the step shown snaps down to a kept step, and says so.

use js_sys::Object;
use plotters::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::canvas::Canvas;
use super::views::now_ms;
use super::{context, err, set, Visualizer};
use crate::format::short;
use crate::netview::{self, Curves};
use crate::network::train::Trainer;
use crate::network::{generate, DataSpec, Task, TrainConfig};
use crate::options::{hidden_text, NetSettings, TEST_EXAMPLES, TRAIN_EXAMPLES};
use crate::variant;

/// The most parameter values the kept θs hold together.
pub const KEEP_BUDGET: usize = 400_000;

/// The most steps the page trains a network for: the core's record keeps every step's batch
/// (up to 200 indices) and row, about 1 KB a step, so this bounds a run to about 10 MB of wasm
/// memory; `gdviz train` takes longer runs.
pub const MAX_PAGE_STEPS: usize = 10_000;

/// What a run is made from: two equal keys train the same run.
#[derive(Clone, PartialEq)]
struct RunKey {
    net: NetSettings,
    cfg: TrainConfig,
}

/// One training run in progress or done.
struct NetRun {
    key: RunKey,
    trainer: Trainer,
    /// θ is kept after every `keep`-th step.
    keep: usize,
    /// (step, θ) at step 0 and every `keep` steps.
    kept: Vec<(usize, Vec<f64>)>,
    /// Milliseconds spent training so far.
    spent: f64,
}

/// Network mode's state, one per visualizer.
#[derive(Default)]
pub(super) struct NetView {
    /// The boundary, the curves and the diagram.
    canvases: Option<[HtmlCanvasElement; 3]>,
    run: Option<NetRun>,
    /// Why the settings in force cannot train (e.g. a batch larger than the training set).
    error: Option<String>,
    /// The step shown; `None` follows the last step trained.
    current: Option<usize>,
    /// The settings that last failed to start (not retried until they change).
    failed: Option<RunKey>,
    /// When the views were last drawn (`performance.now()`, ms).
    drawn_at: std::cell::Cell<f64>,
}

/// While a run trains, its views are redrawn about this often (ms): a redraw costs about a
/// frame's budget itself, so a frame either trains or draws, never both.
pub const REDRAW_EVERY: f64 = 120.0;

impl NetRun {
    /// Steps trained.
    fn trained(&self) -> usize {
        self.trainer.rows().len() - 1
    }

    /// The step shown for a requested `k`: the last step trained, or the kept step at or
    /// before `k`, with its θ.
    fn at(&self, k: usize) -> (usize, &[f64]) {
        let trained = self.trained();
        if k >= trained {
            return (trained, self.trainer.theta());
        }
        let i = (k / self.keep).min(self.kept.len() - 1);
        let (s, theta) = &self.kept[i];
        (*s, theta)
    }
}

impl Visualizer {
    /// The run the settings in force describe, started if it is not the one held.
    fn net_key(&self) -> RunKey {
        let run = self.opts.run();
        RunKey {
            net: NetSettings {
                on: true,
                ..self.opts.network.clone()
            },
            cfg: TrainConfig {
                optimizer: run.optimizer,
                hyper: run.hyper,
                variant: run.variant,
                batch: run.batch,
                seed: run.seed,
                init_seed: self.opts.network.init_seed,
                steps: self.opts.steps,
                schedule: run.schedule.clone(),
                clip: run.clip,
                sharpness_every: None,
                keep_every: None,
            },
        }
    }

    /// Makes the held run the one the settings describe (dropping an older one); called after
    /// every change of the options in Network mode, so the state always describes them.
    pub(super) fn net_sync(&mut self) {
        let key = self.net_key();
        if self.net.run.as_ref().is_some_and(|r| r.key == key) {
            return;
        }
        if self.net.run.is_none() && self.net.failed.as_ref() == Some(&key) {
            return;
        }
        self.net.run = None;
        self.net.current = None;
        self.net.error = None;
        let data = generate(&DataSpec {
            name: key.net.dataset,
            train: TRAIN_EXAMPLES,
            test: TEST_EXAMPLES,
            noise: None,
            seed: key.net.data_seed,
        });
        let model = key.net.model();
        let started = if key.cfg.steps > MAX_PAGE_STEPS {
            Err(crate::error::Error::new(
                "steps",
                format!(
                    "Network mode trains at most {MAX_PAGE_STEPS} steps in the page (got {}); choose fewer steps, or use gdviz train for longer runs",
                    key.cfg.steps
                ),
            ))
        } else {
            data.and_then(|d| Trainer::new(model.clone(), d, key.cfg.clone()))
        };
        match started {
            Ok(trainer) => {
                let keep = (key.cfg.steps * model.len()).div_ceil(KEEP_BUDGET).max(1);
                self.net.run = Some(NetRun {
                    kept: vec![(0, trainer.theta().to_vec())],
                    key,
                    trainer,
                    keep,
                    spent: 0.0,
                });
                self.net.failed = None;
            }
            Err(e) => {
                self.net.error = Some(format!("{e}"));
                self.net.failed = Some(key);
            }
        }
    }

    /// Drops the run (switching back to Network mode trains it again, to the same numbers).
    pub(super) fn net_drop(&mut self) {
        self.net.run = None;
        self.net.failed = None;
        self.net.error = None;
        self.net.current = None;
    }

    /// The step shown in Network mode and its θ.
    fn net_shown(&self) -> Option<(usize, &[f64])> {
        let run = self.net.run.as_ref()?;
        Some(run.at(self.net.current.unwrap_or(usize::MAX)))
    }

    /// Steps trained so far in Network mode.
    pub(super) fn net_step_count(&self) -> usize {
        self.net.run.as_ref().map_or(0, NetRun::trained)
    }

    /// Shows step `k` in Network mode (snapped to a kept step).
    pub(super) fn net_show(&mut self, k: usize) -> Result<(), JsError> {
        let trained = self.net_step_count();
        self.net.current = (k < trained).then_some(k);
        self.draw_network()
    }

    /// The step Network mode shows.
    pub(super) fn net_current(&self) -> usize {
        self.net_shown().map_or(0, |(s, _)| s)
    }

    /// Draws the three views at the step shown.
    pub(super) fn draw_network(&self) -> Result<(), JsError> {
        let Some([boundary, curves, diagram]) = &self.net.canvases else {
            return Ok(());
        };
        self.net.drawn_at.set(now_ms());
        for c in [boundary, curves, diagram] {
            context(c)?.clear_rect(0.0, 0.0, c.width() as f64, c.height() as f64);
        }
        let Some(run) = &self.net.run else {
            return Ok(());
        };
        let Some((step, theta)) = self.net_shown() else {
            return Ok(());
        };
        let (model, data) = (run.trainer.model(), run.trainer.data());
        let style = &self.style;
        // The decision boundary: axes, the output's pixels, then the examples.
        let backend = Canvas::with_canvas_object(boundary.clone())
            .ok_or_else(|| err("cannot draw on the boundary canvas"))?;
        let root = backend.into_drawing_area();
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
        let backend = Canvas::with_canvas_object(boundary.clone())
            .ok_or_else(|| err("cannot draw on the boundary canvas"))?;
        let root = backend.into_drawing_area();
        netview::draw_examples(&root, &frame, &field, data, &batch, range, style).map_err(err)?;
        root.present().map_err(err)?;
        // The curves.
        let rows = run.trainer.rows();
        let col = |f: &dyn Fn(&crate::network::Row) -> Option<f64>| -> Vec<f64> {
            rows.iter().map_while(f).collect()
        };
        let train_loss = col(&|r| Some(r.train_loss));
        let test_loss = col(&|r| r.test_loss);
        let train_acc = col(&|r| r.train_acc);
        let test_acc = col(&|r| r.test_acc);
        let backend = Canvas::with_canvas_object(curves.clone())
            .ok_or_else(|| err("cannot draw on the curves canvas"))?;
        let root = backend.into_drawing_area();
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
        let backend = Canvas::with_canvas_object(diagram.clone())
            .ok_or_else(|| err("cannot draw on the network canvas"))?;
        let root = backend.into_drawing_area();
        netview::draw_network(&root, model, theta, style).map_err(err)?;
        root.present().map_err(err)
    }
}

/// `v` as a percentage, to a tenth.
fn percent(v: f64) -> String {
    format!("{}%", crate::format::fixed(v * 100.0, 1))
}

#[wasm_bindgen]
impl Visualizer {
    /// Draws Network mode's views on `boundary` (the decision boundary), `curves` (loss and
    /// accuracy per step) and `diagram` (the network and its weights).
    #[wasm_bindgen(js_name = attachNetwork)]
    pub fn attach_network(
        &mut self,
        boundary: HtmlCanvasElement,
        curves: HtmlCanvasElement,
        diagram: HtmlCanvasElement,
    ) {
        self.net.canvases = Some([boundary, curves, diagram]);
    }

    /// Sizes Network mode's canvases (CSS pixels, at the ratio of the last `resize`) and
    /// redraws them.
    #[wasm_bindgen(js_name = resizeNetwork)]
    pub fn resize_network(&mut self, sizes: &[f64]) -> Result<(), JsError> {
        let dpr = self.style.scale;
        let px = |css: f64| (css.clamp(1.0, 4000.0) * dpr).round() as u32;
        if let Some(cs) = &self.net.canvases {
            for (i, c) in cs.iter().enumerate() {
                let (w, h) = (sizes.get(2 * i), sizes.get(2 * i + 1));
                c.set_width(px(w.copied().unwrap_or(300.0)));
                c.set_height(px(h.copied().unwrap_or(150.0)));
            }
        }
        self.draw_network()
    }

    /// Whether the page is in Network mode.
    #[wasm_bindgen(getter, js_name = networkOn)]
    pub fn network_on(&self) -> bool {
        self.opts.network.on
    }

    /// One animation frame's work in Network mode: trains the run the settings describe (a new
    /// one if they changed) for about `budget_ms` milliseconds, at least one step, or, when the
    /// views were last drawn [`REDRAW_EVERY`] ms ago or more, redraws them instead (and when
    /// the run ends). Returns whether steps remain.
    #[wasm_bindgen(js_name = trainFor)]
    pub fn train_for(&mut self, budget_ms: f64) -> Result<bool, JsError> {
        self.net_sync();
        let started = now_ms();
        if started - self.net.drawn_at.get() >= REDRAW_EVERY {
            self.draw_network()?;
            return Ok(self.net.run.as_ref().is_some_and(|r| !r.trainer.is_over()));
        }
        let Some(run) = self.net.run.as_mut() else {
            return Ok(false);
        };
        while !run.trainer.is_over() {
            run.trainer.advance(1);
            let step = run.trained();
            if step % run.keep == 0 && run.kept.last().is_some_and(|(s, _)| *s != step) {
                run.kept.push((step, run.trainer.theta().to_vec()));
            }
            if now_ms() - started >= budget_ms {
                break;
            }
        }
        run.spent += now_ms() - started;
        let more = !run.trainer.is_over();
        if !more {
            self.draw_network()?;
        }
        Ok(more)
    }

    /// Network mode's state: `{dataset, hidden, activation, dataSeed, initSeed, task,
    /// parameters, steps, trained, training, diverged, step, keep, spentMs, error, trainLoss,
    /// testLoss, trainAcc, testAcc (at the step shown, null where not measured), lastTrainLoss,
    /// progress, boundaryText, curvesText, diagramText}`.
    #[wasm_bindgen(js_name = networkState)]
    pub fn network_state(&self) -> Object {
        let o = Object::new();
        let n = &self.opts.network;
        set(&o, "on", n.on);
        set(&o, "dataset", n.dataset.name());
        set(&o, "hidden", hidden_text(&n.hidden));
        set(&o, "activation", n.activation.name());
        set(&o, "dataSeed", n.data_seed as f64);
        set(&o, "initSeed", n.init_seed as f64);
        set(&o, "steps", self.opts.steps as f64);
        let widths: Vec<String> = n.hidden.iter().map(|w| w.to_string()).collect();
        let arch = format!("2-{}-1", widths.join("-"));
        set(
            &o,
            "describe",
            format!(
                "a {arch} {} network on {} ({} training and {} test examples)",
                n.activation.name(),
                n.dataset.name(),
                TRAIN_EXAMPLES,
                TEST_EXAMPLES
            ),
        );
        set(
            &o,
            "error",
            self.net
                .error
                .as_deref()
                .map_or(JsValue::NULL, JsValue::from),
        );
        let Some(run) = &self.net.run else {
            let why = self.net.error.clone().unwrap_or_default();
            set(&o, "progress", format!("cannot train: {why}"));
            return o;
        };
        let rows = run.trainer.rows();
        let trained = run.trained();
        let (step, _) = run.at(self.net.current.unwrap_or(usize::MAX));
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
                crate::format::fixed(run.spent / 1000.0, 2)
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
        let of = format!("Step {step} of {trained} trained");
        let ringed = if run.key.cfg.variant == crate::variant::Variant::Batch || step == 0 {
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
