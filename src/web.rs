//! The browser API (wasm-bindgen). A [`Visualizer`] owns one instance's options, run and canvases;
//! several can live on one page. JavaScript handles events and the DOM; every number is computed
//! here.

use canvas::Canvas;
use js_sys::{Array, Object, Reflect};
use plotters::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::Clamped;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData, Path2d};

use crate::contour::{Field, Levels};
use crate::linalg::{self, Vec2};
use crate::optim::{HyperName, OptimizerKind};
use crate::options::{apply_all, Computed, Options, Value, KEYS};
use crate::render::{self, Frame, Style};
use crate::run::{Checkpoints, End, Status, Trajectory};
use crate::surface::{self, Surface};
use crate::teach;
use crate::variant::Variant;

mod canvas;
mod views;
use crate::Hyper;

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

use crate::render::look;
pub use crate::render::RUN_COLOURS;

fn diverged_at(t: &Trajectory) -> JsValue {
    match t.status {
        Status::Diverged { step } => JsValue::from(step as f64),
        _ => JsValue::NULL,
    }
}

/// What the cached background depends on.
#[derive(Debug, Clone, PartialEq)]
struct BackgroundKey {
    surface: String,
    params: Vec<(String, f64)>,
    /// A typed expression's text and view change without a change of surface name.
    formula: String,
    view: crate::View,
    size: (u32, u32),
    scale: f64,
    dark: bool,
}

/// One gdviz instance: its options, its run, and the three canvases it draws on.
#[wasm_bindgen]
pub struct Visualizer {
    bg: HtmlCanvasElement,
    overlay: HtmlCanvasElement,
    loss: HtmlCanvasElement,
    style: Style,
    opts: Options,
    surface: Box<dyn Surface>,
    /// The runs: one, or one per raced optimizer; the first is the one the readouts describe.
    runs: Vec<Trajectory>,
    /// The step shown (the scrubber, or the animation's position).
    current: usize,
    frame: Option<Frame>,
    background: Option<BackgroundKey>,
    /// The next update from step k, replayed from the start: `(k, detail)`. The arrows and the
    /// numbers panel both need it on every redraw; it is cleared whenever the runs change.
    next: std::cell::RefCell<Option<(usize, Option<teach::StepDetail>)>>,
    /// Where the first run stood at its end (the step every new run shows first) and every
    /// [`Checkpoints::EVERY`] steps: the next update from any step replays at most that many
    /// steps, so scrubbing and playback stay cheap on 100 000-step runs.
    checkpoints: std::cell::RefCell<Checkpoints>,
    /// The data view and the 3D view.
    views: views::Views,
}

fn err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsError> {
    canvas
        .get_context("2d")
        .map_err(|_| err("the canvas has no 2D context"))?
        .ok_or_else(|| err("the canvas has no 2D context"))?
        .dyn_into::<CanvasRenderingContext2d>()
        .map_err(|_| err("the canvas has no 2D context"))
}

fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value.into());
}

fn pair(p: Vec2) -> Array {
    Array::of2(&p[0].into(), &p[1].into())
}

/// A JavaScript value as an option [`Value`].
fn to_value(v: &JsValue) -> Value {
    if v.is_null() || v.is_undefined() {
        Value::Null
    } else if let Some(n) = v.as_f64() {
        Value::Num(n)
    } else if let Some(s) = v.as_string() {
        Value::Str(s)
    } else if Array::is_array(v) {
        let a = Array::from(v);
        if a.iter().all(|e| e.is_object() && !Array::is_array(&e)) {
            // A list of option sets: the race.
            return Value::Entries(a.iter().map(|e| entries(&e)).collect());
        }
        match (a.length(), a.get(0).as_f64(), a.get(1).as_f64()) {
            (2, Some(x), Some(y)) => Value::Pair(x, y),
            _ => Value::Str("(an array that is not two numbers)".into()),
        }
    } else {
        Value::Str("(an object)".into())
    }
}

/// The `(key, value)` pairs of a JavaScript options object.
fn entries(options: &JsValue) -> Vec<(String, Value)> {
    let keys = Object::keys(options.unchecked_ref::<Object>());
    keys.iter()
        .filter_map(|key| {
            let name = key.as_string()?;
            let value = Reflect::get(options, &key).unwrap_or(JsValue::UNDEFINED);
            Some((name, to_value(&value)))
        })
        .collect()
}

#[wasm_bindgen]
impl Visualizer {
    /// A visualizer drawing on `bg` (heatmap, contours, axes), `overlay` (trajectory, on top of
    /// `bg`, same size) and `loss` (the loss chart), with the default options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        bg: HtmlCanvasElement,
        overlay: HtmlCanvasElement,
        loss: HtmlCanvasElement,
    ) -> Result<Visualizer, JsError> {
        let opts = Options::default();
        let Computed { surface, runs, end } = opts.compute_to_end().map_err(err)?;
        let current = runs.iter().map(Trajectory::steps).max().unwrap_or(0);
        Ok(Visualizer {
            bg,
            overlay,
            loss,
            style: Style {
                scale: 1.0,
                dark: false,
            },
            opts,
            surface,
            runs,
            current,
            frame: None,
            background: None,
            next: std::cell::RefCell::new(None),
            checkpoints: std::cell::RefCell::new(first_checkpoints(end)),
            views: views::Views::default(),
        })
    }

    /// Applies any subset of the options (`surface`, `optimizer`, `lr`, `momentum`, `beta1`,
    /// `beta2`, `decay`, `eps`, `variant`, `batch`, `seed`, `noise`, `start`, `steps`, a typed
    /// `expr` with its `xrange`/`yrange`, and a surface's own parameters such as `kappa`),
    /// re-runs, and shows the whole new path. Returns
    /// the notices for values that were rejected and ignored.
    pub fn set(&mut self, options: &JsValue) -> Result<Array, JsError> {
        if !options.is_object() {
            return Err(err("set() takes an object of options, e.g. {lr: 0.01}"));
        }
        let changes = entries(options);
        // The old runs go before the new ones are computed: two generations of a race of four
        // 100 000-step runs at once would take the memory past its 32 MB budget.
        self.runs = Vec::new();
        self.checkpoints.replace(Checkpoints::new(0));
        let applied = match apply_all(&mut self.opts, &changes) {
            Ok(applied) => applied,
            Err(e) => {
                // Even the previous settings failed to run (they ran before, so this should not
                // happen): start over from the defaults rather than keep a page with no run.
                self.opts = Options::default();
                let computed = self.opts.compute_to_end().map_err(err)?;
                self.surface = computed.surface;
                self.runs = computed.runs;
                self.checkpoints.replace(first_checkpoints(computed.end));
                self.next.replace(None);
                self.current = self.step_count();
                return Err(err(e));
            }
        };
        self.surface = applied.surface;
        self.runs = applied.trajectories;
        self.checkpoints.replace(first_checkpoints(applied.end));
        self.next.replace(None);
        self.current = self.step_count();
        Ok(applied
            .notices
            .iter()
            .map(|n| JsValue::from_str(n))
            .collect())
    }

    /// Sizes the canvases: the plot canvases to `width` × `height` CSS pixels and the loss chart to
    /// `loss_width` × `loss_height`, at `dpr` device pixels per CSS pixel; `dark` picks light ink.
    pub fn resize(
        &mut self,
        width: f64,
        height: f64,
        loss_width: f64,
        loss_height: f64,
        dpr: f64,
        dark: bool,
    ) {
        let dpr = if dpr.is_finite() && dpr > 0.0 {
            dpr.min(4.0)
        } else {
            1.0
        };
        let px = |css: f64| (css.max(1.0) * dpr).round() as u32;
        for c in [&self.bg, &self.overlay] {
            c.set_width(px(width));
            c.set_height(px(height));
        }
        self.loss.set_width(px(loss_width));
        self.loss.set_height(px(loss_height));
        self.style = Style { scale: dpr, dark };
        self.background = None;
    }

    /// Draws everything that is out of date: the background only when the surface, size or theme
    /// changed; the trajectory and the loss chart always.
    pub fn render(&mut self) -> Result<(), JsError> {
        let key = BackgroundKey {
            surface: self.opts.surface.clone(),
            params: self.opts.params.clone(),
            formula: self.surface.formula().to_string(),
            view: self.surface.view(),
            size: (self.bg.width(), self.bg.height()),
            scale: self.style.scale,
            dark: self.style.dark,
        };
        if self.background.as_ref() != Some(&key) {
            self.draw_background()?;
            self.background = Some(key);
        }
        self.draw_overlay()
    }

    /// Shows step `k` (clamped to the run): the path up to it, its readout and the loss chart's
    /// marker.
    #[wasm_bindgen(js_name = showStep)]
    pub fn show_step(&mut self, k: usize) -> Result<(), JsError> {
        self.current = k.min(self.step_count());
        self.draw_overlay()
    }

    /// The number of steps of the current run (fewer than asked when it diverged).
    #[wasm_bindgen(getter, js_name = stepCount)]
    pub fn step_count(&self) -> usize {
        self.runs.iter().map(Trajectory::steps).max().unwrap_or(0)
    }

    /// The step shown.
    #[wasm_bindgen(getter)]
    pub fn current(&self) -> usize {
        self.current
    }

    /// The readout at the step shown: `{step, x, y, loss, gradNorm, status, divergedAt}`.
    pub fn readout(&self) -> Object {
        let k = self.current.min(self.traj().steps());
        let p = self.traj().points[k];
        let o = Object::new();
        set(&o, "step", k as f64);
        set(&o, "x", p[0]);
        set(&o, "y", p[1]);
        set(&o, "loss", self.traj().losses[k]);
        set(&o, "gradNorm", linalg::norm(self.surface.gradient(p)));
        set(&o, "status", self.traj().status.name());
        match self.traj().status {
            Status::Diverged { step } => set(&o, "divergedAt", step as f64),
            _ => set(&o, "divergedAt", JsValue::NULL),
        }
        o
    }

    /// The options, the run (`trajectory` as `[[x, y, loss], ...]`, `status`, `divergedAt`), the
    /// `view` and the plot rectangle `plotCss` (`{left, top, width, height}` in CSS pixels
    /// relative to the plot canvas).
    pub fn state(&self) -> Object {
        let o = self.settings();
        let traj: Array = self
            .traj()
            .points
            .iter()
            .zip(&self.traj().losses)
            .map(|(p, l)| JsValue::from(Array::of3(&p[0].into(), &p[1].into(), &(*l).into())))
            .collect();
        set(&o, "trajectory", traj);
        self.views_state(&o);
        let runs: Array = self
            .opts
            .runs()
            .iter()
            .zip(&self.runs)
            .enumerate()
            .map(|(i, (opts, t))| {
                let r = Object::new();
                set(&r, "optimizer", opts.optimizer.name());
                set(&r, "lr", opts.hyper.lr);
                set(&r, "variant", opts.variant.name());
                set(&r, "colour", RUN_COLOURS[i % RUN_COLOURS.len()]);
                let traj: Array = t
                    .points
                    .iter()
                    .zip(&t.losses)
                    .map(|(p, l)| {
                        JsValue::from(Array::of3(&p[0].into(), &p[1].into(), &(*l).into()))
                    })
                    .collect();
                set(&r, "trajectory", traj);
                set(&r, "status", t.status.name());
                set(&r, "divergedAt", diverged_at(t));
                JsValue::from(r)
            })
            .collect();
        set(&o, "runs", runs);
        o
    }

    /// [`Visualizer::state`] without the trajectory: cheap enough to sync the controls with on
    /// every change, however long the run.
    pub fn settings(&self) -> Object {
        let o = Object::new();
        let h = &self.opts.hyper;
        set(&o, "surface", self.opts.surface.as_str());
        if let Some(text) = &self.opts.expr {
            set(&o, "expr", text.as_str());
        }
        for (key, range) in [("xrange", self.opts.xrange), ("yrange", self.opts.yrange)] {
            if let Some((lo, hi)) = range {
                set(&o, key, pair([lo, hi]));
            }
        }
        for (name, v) in &self.opts.params {
            set(&o, name, *v);
        }
        set(&o, "optimizer", self.opts.optimizer.name());
        for name in HyperName::ALL {
            set(&o, name.name(), h.get(name));
        }
        let cfg = self.opts.run_config(self.surface.as_ref());
        set(&o, "variant", self.opts.variant.name());
        set(&o, "batch", cfg.batch as f64);
        set(&o, "seed", self.opts.seed as f64);
        set(
            &o,
            "noise",
            cfg.noise.unwrap_or_else(|| self.surface.default_noise()),
        );
        set(&o, "start", pair(cfg.start));
        set(&o, "steps", self.opts.steps as f64);
        set(&o, "status", self.traj().status.name());
        set(
            &o,
            "divergedAt",
            match self.traj().status {
                Status::Diverged { step } => JsValue::from(step as f64),
                _ => JsValue::NULL,
            },
        );
        set(&o, "current", self.current as f64);
        let race: Array = self
            .opts
            .runs()
            .iter()
            .enumerate()
            .filter(|_| !self.opts.race.is_empty())
            .map(|(i, r)| {
                let e = Object::new();
                set(&e, "optimizer", r.optimizer.name());
                set(&e, "title", r.optimizer.title());
                set(&e, "lr", r.hyper.lr);
                set(&e, "variant", r.variant.name());
                set(&e, "colour", RUN_COLOURS[i % RUN_COLOURS.len()]);
                let t = &self.runs[i];
                let k = self.current.min(t.steps());
                set(&e, "loss", t.losses[k]);
                set(&e, "status", t.status.name());
                set(&e, "divergedAt", diverged_at(t));
                JsValue::from(e)
            })
            .collect();
        set(&o, "race", race);
        // The threshold of the first run (the slider's run, in a race too).
        let first = self.opts.runs().swap_remove(0);
        let (kind, momentum) = (first.optimizer, first.hyper.momentum);
        match teach::critical(self.surface.as_ref(), cfg.start, kind, momentum) {
            Some(c) => {
                set(&o, "criticalLr", c.lr);
                set(&o, "criticalExact", c.exact);
                let mark = c.optimizer_lr.unwrap_or(c.lr);
                set(&o, "criticalMark", (slider_from_lr(mark) + 5.0) / 6.0);
                set(
                    &o,
                    "criticalCaption",
                    teach::threshold_caption(&c, kind, momentum),
                );
            }
            None => {
                set(&o, "criticalLr", JsValue::NULL);
                set(&o, "criticalMark", JsValue::NULL);
                set(&o, "criticalCaption", "f curves downward at the start in every direction: no learning rate is safe there.");
            }
        }
        let v = self.surface.view();
        let view = Object::new();
        set(&view, "x", pair([v.x.0, v.x.1]));
        set(&view, "y", pair([v.y.0, v.y.1]));
        set(&o, "view", view);
        if let Some(f) = self.frame {
            let s = self.style.scale;
            let plot = Object::new();
            set(&plot, "left", f.left / s);
            set(&plot, "top", f.top / s);
            set(&plot, "width", f.width / s);
            set(&plot, "height", f.height / s);
            set(&o, "plotCss", plot);
        }
        o
    }

    /// The parameter point under CSS pixel `(x, y)` of the plot canvas, or `null` off the plot.
    #[wasm_bindgen(js_name = paramAt)]
    pub fn param_at(&self, x: f64, y: f64) -> Option<Array> {
        let f = self.frame?;
        let (px, py) = (x * self.style.scale, y * self.style.scale);
        f.contains_px(px, py).then(|| pair(f.to_param(px, py)))
    }

    /// The next update of the first run from the point shown (step k + 1), written out with its
    /// numbers: `{step, lines: [...], rule}`, or `null` if the run cannot step from there.
    pub fn explain(&self) -> JsValue {
        let Some(d) = self.next_step() else {
            return JsValue::NULL;
        };
        let o = Object::new();
        set(&o, "step", d.step as f64);
        let lines: Array = d.lines.iter().map(|l| JsValue::from_str(l)).collect();
        set(&o, "lines", lines);
        set(&o, "rule", self.opts.optimizer.rule());
        set(&o, "batch", d.batch.len() as f64);
        o.into()
    }

    /// The options as a URL query (`key=value&...`, encoded, no `?`): those that differ from
    /// their defaults, or all of them when `full` (see `share`).
    pub fn query(&self, full: bool) -> String {
        crate::share::query_string(&crate::share::query_pairs(&self.opts, full))
    }

    /// Every run as CSV (`run,optimizer,step,x,y,loss`, shortest round-trip numbers).
    pub fn csv(&self) -> String {
        crate::share::csv(&self.opts, &self.runs)
    }

    /// The plot in words, for screen readers (the plot canvas's text alternative): the surface,
    /// each run's optimizer, γ and gradient variant, the start, the point shown with its loss,
    /// and how the run ended.
    pub fn summary(&self) -> String {
        let n = |v: f64| render::short(v);
        let surface = surface::find(&self.opts.surface)
            .map(|e| e.title)
            .unwrap_or("your f(x, y)");
        let mut text = format!("Contour plot of {surface}, f = {}.", self.surface.formula());
        let start = self.traj().points[0];
        let k = self.current.min(self.traj().steps());
        let p = self.traj().points[k];
        let status = |t: &Trajectory| match t.status {
            Status::Converged => format!("converged after {} steps", t.steps()),
            Status::Diverged { step } => format!("diverged at step {step}"),
            Status::MaxSteps => format!("not converged after {} steps", t.steps()),
        };
        let runs = self.opts.runs();
        if runs.len() == 1 {
            text.push_str(&format!(
                " {}, learning rate γ = {}, {} gradient, from ({}, {}). Step {k} of {}: θ = ({}, {}), f = {}. Status: {}.",
                self.opts.optimizer.title(),
                n(self.opts.hyper.lr),
                self.opts.variant.name(),
                n(start[0]),
                n(start[1]),
                self.step_count(),
                n(p[0]),
                n(p[1]),
                n(self.traj().losses[k]),
                status(self.traj()),
            ));
        } else {
            text.push_str(&format!(
                " A race of {} runs from ({}, {}).",
                runs.len(),
                n(start[0]),
                n(start[1])
            ));
            for (i, (o, t)) in runs.iter().zip(&self.runs).enumerate() {
                let last = t.steps();
                text.push_str(&format!(
                    " Run {}: {}, γ = {}, {} gradient, {}; last point ({}, {}), f = {}.",
                    i + 1,
                    o.optimizer.title(),
                    n(o.hyper.lr),
                    o.variant.name(),
                    status(t),
                    n(t.points[last][0]),
                    n(t.points[last][1]),
                    n(t.losses[last]),
                ));
            }
        }
        text
    }

    /// The start moved by `(dx, dy)` hundredths of the view's width and height (y up), kept
    /// inside the view: `[x, y]`, for `set({start})` (the arrow keys on the plot).
    #[wasm_bindgen(js_name = nudgeStart)]
    pub fn nudge_start(&self, dx: f64, dy: f64) -> Array {
        let v = self.surface.view();
        let start = self.traj().points[0];
        let step = |lo: f64, hi: f64, at: f64, d: f64| {
            let d = if d.is_finite() { d } else { 0.0 };
            (at + d * (hi - lo) / 100.0).clamp(lo, hi)
        };
        pair([
            step(v.x.0, v.x.1, start[0], dx),
            step(v.y.0, v.y.1, start[1], dy),
        ])
    }

    /// A one-line description of the surface: its formula and what is special about it.
    pub fn describe(&self) -> String {
        let s = &self.surface;
        if s.note().is_empty() {
            format!("f = {}", s.formula())
        } else {
            format!("f = {} — {}", s.formula(), s.note())
        }
    }
}

impl Visualizer {
    /// The first run: the one the readouts, arrows and step explanation describe.
    fn traj(&self) -> &Trajectory {
        &self.runs[0]
    }

    /// The first run's update from the point shown, replayed from the nearest checkpoint.
    fn next_step(&self) -> Option<teach::StepDetail> {
        if let Some((k, detail)) = self.next.borrow().as_ref() {
            if *k == self.current {
                return detail.clone();
            }
        }
        let detail = self.replay_next_step();
        self.next.replace(Some((self.current, detail.clone())));
        detail
    }

    fn replay_next_step(&self) -> Option<teach::StepDetail> {
        let opts = self.opts.runs().into_iter().next()?;
        let k = self.current.min(self.traj().steps());
        if k < self.current
            || matches!(self.traj().status, Status::Diverged { .. }) && k == self.traj().steps()
        {
            return None;
        }
        let cfg = opts.run_config(self.surface.as_ref());
        let s = self
            .checkpoints
            .borrow_mut()
            .stepper_at(self.surface.as_ref(), &cfg, k)?;
        teach::explain_next(&cfg, s)
    }

    fn draw_background(&mut self) -> Result<(), JsError> {
        // The frame first (a function of the canvas's size), then the field over its view.
        let size = (self.bg.width(), self.bg.height());
        let (frame, field, levels) = render::background(self.surface.as_ref(), size, &self.style);
        // Plotters' transparent fill paints nothing: clear explicitly, or old labels remain.
        let ctx = context(&self.bg)?;
        ctx.clear_rect(0.0, 0.0, self.bg.width() as f64, self.bg.height() as f64);
        let backend = Canvas::with_canvas_object(self.bg.clone())
            .ok_or_else(|| err("cannot draw on the background canvas"))?;
        let root = backend.into_drawing_area();
        let frame = render::draw_axes(
            &root,
            frame.view,
            self.surface.axis_names(),
            &levels.scale,
            field.has_undefined(),
            &self.style,
        )
        .map_err(err)?;
        root.present().map_err(err)?;
        self.frame = Some(frame);

        let (w, h) = (frame.width as u32, frame.height as u32);
        if w > 0 && h > 0 {
            let rgba = render::heatmap_rgba(
                &field,
                &levels.scale,
                w as usize,
                h as usize,
                self.style.scale,
            );
            let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), w, h)
                .map_err(|_| err("cannot make the heatmap image"))?;
            ctx.put_image_data(&image, frame.left, frame.top)
                .map_err(|_| err("cannot draw the heatmap"))?;
        }
        // All contour levels as one path: one parse and one stroke.
        let d: String = render::contour_paths(&field, &levels, &frame).concat();
        let path = Path2d::new_with_path_string(&d).map_err(|_| err("bad contour path"))?;
        ctx.save();
        ctx.begin_path();
        ctx.rect(frame.left, frame.top, frame.width, frame.height);
        ctx.clip();
        ctx.set_stroke_style_str(look::CONTOUR);
        ctx.set_line_width(self.style.scale);
        ctx.stroke_with_path(&path);
        ctx.restore();
        Ok(())
    }

    /// The minima (★ global, ○ local) and the start (□), each on a white halo: drawn above the
    /// paths, so a run that ends on a minimum leaves it visible (and its point shown, under the
    /// mark, is a ring around it).
    fn draw_marks(&self, ctx: &CanvasRenderingContext2d, frame: &Frame, marks: &[(f64, f64)]) {
        let s = self.style.scale;
        let outline = |width: f64| {
            // The halo, then the mark's own outline over its fill.
            ctx.set_stroke_style_str(look::MARK_HALO);
            ctx.set_line_width((width + look::MARK_HALO_WIDTH) * s);
            ctx.stroke();
        };
        for m in self.surface.minima() {
            let (x, y) = frame.to_px(m.at);
            ctx.begin_path();
            if m.global {
                star(ctx, x, y, look::STAR.0 * s, look::STAR.1 * s);
            } else {
                let _ = ctx.arc(x, y, look::LOCAL_RADIUS * s, 0.0, std::f64::consts::TAU);
            }
            outline(look::MINIMUM_WIDTH);
            ctx.set_fill_style_str(if m.global {
                "#ffffff"
            } else {
                look::LOCAL_FILL
            });
            ctx.fill();
            ctx.set_stroke_style_str(look::MARKER_INK);
            ctx.set_line_width(look::MINIMUM_WIDTH * s);
            ctx.stroke();
        }
        let (sx, sy) = frame.to_px(self.traj().points[0]);
        ctx.begin_path();
        let half = look::START_HALF * s;
        ctx.rect(sx - half, sy - half, 2.0 * half, 2.0 * half);
        outline(look::START_WIDTH);
        ctx.set_fill_style_str("#ffffff");
        ctx.fill();
        ctx.set_stroke_style_str(look::MARKER_INK);
        ctx.set_line_width(look::START_WIDTH * s);
        ctx.stroke();
        // A run's point shown under a mark: a ring in its colour around the mark.
        for (i, t) in self.runs.iter().enumerate().rev() {
            let (x, y) = frame.to_px(t.points[self.current.min(t.steps())]);
            if render::under_a_mark((x, y), marks, s) {
                ctx.begin_path();
                let _ = ctx.arc(x, y, render::RING_AROUND * s, 0.0, std::f64::consts::TAU);
                for (colour, width) in
                    [(look::HALO, 2.0), (RUN_COLOURS[i % RUN_COLOURS.len()], 1.0)]
                {
                    ctx.set_stroke_style_str(colour);
                    ctx.set_line_width(width * render::RING_AROUND_WIDTH * s);
                    ctx.stroke();
                }
            }
        }
    }

    fn draw_overlay(&mut self) -> Result<(), JsError> {
        let ctx = context(&self.overlay)?;
        let (w, h) = (self.overlay.width() as f64, self.overlay.height() as f64);
        ctx.clear_rect(0.0, 0.0, w, h);
        let Some(frame) = self.frame else {
            return Ok(());
        };
        ctx.save();
        ctx.begin_path();
        ctx.rect(frame.left, frame.top, frame.width, frame.height);
        ctx.clip();
        ctx.set_line_join("round");
        ctx.set_line_cap("round");
        // Later runs first, so the first run (the one the readouts describe) is on top.
        let mut first = render::PathPixels::default();
        for (i, t) in self.runs.iter().enumerate().rev() {
            first = self.draw_path(&ctx, &frame, t, RUN_COLOURS[i % RUN_COLOURS.len()]);
        }
        // Where the minima and the start are: the arrows' labels keep off them.
        let mut marks: Vec<(f64, f64)> = Vec::new();
        for m in self.surface.minima() {
            marks.push(frame.to_px(m.at));
        }
        marks.push(frame.to_px(self.traj().points[0]));
        if self.runs.len() == 1 {
            self.draw_arrows(&ctx, &frame, &first.runs, &marks);
        }
        self.draw_marks(&ctx, &frame, &marks);
        ctx.restore();
        let t = self.traj();
        if let (Status::Diverged { step }, true) = (t.status, self.current >= t.steps()) {
            self.draw_divergence_label(&ctx, &frame, step);
        }
        self.draw_views()?;
        self.draw_loss()
    }

    /// One run's path up to the step shown: a white halo under a coloured line, a dot per step
    /// (merged where steps pile up) and the current point as a large dot. Returns the path in
    /// pixels.
    fn draw_path(
        &self,
        ctx: &CanvasRenderingContext2d,
        frame: &Frame,
        t: &Trajectory,
        colour: &str,
    ) -> render::PathPixels {
        let s = self.style.scale;
        let k = self.current.min(t.steps());
        let px = render::trajectory_pixels(&t.points, k, frame, look::DOT_SPACING * s);
        ctx.begin_path();
        for run in &px.runs {
            ctx.move_to(run[0].0, run[0].1);
            for p in &run[1..] {
                ctx.line_to(p.0, p.1);
            }
        }
        ctx.set_stroke_style_str(look::HALO);
        ctx.set_line_width(look::HALO_WIDTH * s);
        ctx.stroke();
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(look::LINE_WIDTH * s);
        ctx.stroke();
        ctx.begin_path();
        for &i in &px.dots {
            let (x, y) = frame.to_px(t.points[i]);
            ctx.move_to(x + look::DOT_RADIUS * s, y);
            let _ = ctx.arc(x, y, look::DOT_RADIUS * s, 0.0, std::f64::consts::TAU);
        }
        ctx.set_fill_style_str(colour);
        ctx.fill();
        let (cx, cy) = frame.to_px(t.points[k]);
        ctx.begin_path();
        let _ = ctx.arc(cx, cy, look::CURRENT_RADIUS * s, 0.0, std::f64::consts::TAU);
        ctx.set_fill_style_str(colour);
        ctx.fill();
        ctx.set_stroke_style_str("#ffffff");
        ctx.set_line_width(look::RING_WIDTH * s);
        ctx.stroke();
        px
    }

    /// Arrows at the point shown, for its next update, to scale (see [`render::arrows`]): the
    /// step taken, −γ∇f, and what the step is made of; a word for those under a pixel.
    fn draw_arrows(
        &self,
        ctx: &CanvasRenderingContext2d,
        frame: &Frame,
        path: &[Vec<(f64, f64)>],
        marks: &[(f64, f64)],
    ) {
        let Some(d) = self.next_step() else {
            return;
        };
        let first = self.opts.runs().swap_remove(0);
        let update = render::arrows::Update {
            at: d.before,
            after: d.after,
            full_gradient: self.surface.gradient(d.before),
            batch_gradient: d.gradient,
            lr: first.hyper.lr,
            kind: first.optimizer,
            momentum: first.hyper.momentum,
        };
        let s = self.style.scale;
        ctx.set_font(&format!(
            "600 {:.0}px sans-serif",
            render::arrows::LABEL_FONT * s
        ));
        let measure = |t: &str| ctx.measure_text(t).map(|m| m.width()).unwrap_or(f64::NAN);
        let set = render::arrows::arrows(frame, &update, path, marks, measure, s);
        for a in &set.arrows {
            arrow(ctx, a);
        }
        for a in &set.arrows {
            label(ctx, &a.label, a.label_rect, a.colour, s);
        }
        if let Some(note) = &set.note {
            label(ctx, &note.text, note.rect, render::arrows::DESCENT, s);
        }
    }

    /// A label where a diverging path leaves the plot.
    fn draw_divergence_label(&self, ctx: &CanvasRenderingContext2d, frame: &Frame, step: usize) {
        let s = self.style.scale;
        ctx.set_font(&format!(
            "bold {}px sans-serif",
            (look::DIVERGED_FONT * s).round()
        ));
        let measure = |t: &str| ctx.measure_text(t).map(|m| m.width()).unwrap_or(120.0 * s);
        let label = render::divergence_label(frame, self.traj().last(), step, measure, s);
        ctx.set_fill_style_str(look::DIVERGED_FILL);
        let (x, y, w, h) = label.rect;
        ctx.fill_rect(x, y, w, h);
        ctx.set_fill_style_str("#ffffff");
        ctx.set_text_baseline("middle");
        let _ = ctx.fill_text(&label.text, label.x, label.y);
    }

    fn draw_loss(&self) -> Result<(), JsError> {
        let backend = Canvas::with_canvas_object(self.loss.clone())
            .ok_or_else(|| err("cannot draw on the loss canvas"))?;
        let root = backend.into_drawing_area();
        let ctx = context(&self.loss)?;
        ctx.clear_rect(
            0.0,
            0.0,
            self.loss.width() as f64,
            self.loss.height() as f64,
        );
        let f_star = self
            .surface
            .minima()
            .iter()
            .filter(|m| m.global)
            .map(|m| m.value)
            .fold(None, |a: Option<f64>, v| Some(a.map_or(v, |a| a.min(v))));
        let series: Vec<(&[f64], RGBColor)> = self
            .runs
            .iter()
            .enumerate()
            .map(|(i, t)| (t.losses.as_slice(), hex(RUN_COLOURS[i % RUN_COLOURS.len()])))
            .collect();
        render::draw_loss(&root, &series, self.current, f_star, &self.style).map_err(err)?;
        root.present().map_err(err)
    }
}

/// Checkpoints for a new first run, starting with its end (`None` if it diverged).
fn first_checkpoints(end: Option<End>) -> Checkpoints {
    let mut c = Checkpoints::new(Checkpoints::EVERY);
    if let Some(end) = end {
        c.keep(end);
    }
    c
}

/// `#rrggbb` as a plotters colour.
fn hex(c: &str) -> RGBColor {
    let byte = |i: usize| u8::from_str_radix(c.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    RGBColor(byte(1), byte(3), byte(5))
}

/// An arrow as [`render::arrows`] lays it out: a line over a white halo, and a head unless it
/// was cut at the plot's edge.
fn arrow(ctx: &CanvasRenderingContext2d, a: &render::arrows::Arrow) {
    let ((ax, ay), (bx, by)) = (a.from, a.to);
    let (dx, dy) = (bx - ax, by - ay);
    let len = dx.hypot(dy);
    if !(len.is_finite() && len > 0.0) {
        return;
    }
    let (ux, uy) = (dx / len, dy / len);
    let head = if a.head {
        (4.0 * a.width).min(len * 0.5)
    } else {
        0.0
    };
    let dash = js_sys::Array::new();
    if a.dashed {
        dash.push(&JsValue::from(3.0 * a.width));
        dash.push(&JsValue::from(2.0 * a.width));
    }
    let _ = ctx.set_line_dash(&dash);
    for (stroke, w) in [
        ("rgba(255, 255, 255, 0.8)", a.width + 2.0),
        (a.colour, a.width),
    ] {
        ctx.begin_path();
        ctx.move_to(ax, ay);
        ctx.line_to(bx - ux * head * 0.6, by - uy * head * 0.6);
        ctx.set_stroke_style_str(stroke);
        ctx.set_line_width(w);
        ctx.stroke();
    }
    let _ = ctx.set_line_dash(&js_sys::Array::new());
    if a.head {
        ctx.begin_path();
        ctx.move_to(bx, by);
        ctx.line_to(
            bx - ux * head - uy * head * 0.5,
            by - uy * head + ux * head * 0.5,
        );
        ctx.line_to(
            bx - ux * head + uy * head * 0.5,
            by - uy * head - ux * head * 0.5,
        );
        ctx.close_path();
        ctx.set_fill_style_str(a.colour);
        ctx.fill();
    }
}

/// A label of the arrows in its box (left, top, width, height), in `colour` over a white halo.
fn label(
    ctx: &CanvasRenderingContext2d,
    text: &str,
    rect: (f64, f64, f64, f64),
    colour: &str,
    s: f64,
) {
    let (x, y) = (
        rect.0 + render::arrows::LABEL_PAD * s,
        rect.1 + rect.3 / 2.0,
    );
    ctx.set_font(&format!(
        "600 {:.0}px sans-serif",
        render::arrows::LABEL_FONT * s
    ));
    ctx.set_text_baseline("middle");
    ctx.set_line_width(3.0 * s);
    ctx.set_line_join("round");
    ctx.set_stroke_style_str("rgba(255, 255, 255, 0.9)");
    let _ = ctx.stroke_text(text, x, y);
    ctx.set_fill_style_str(colour);
    let _ = ctx.fill_text(text, x, y);
}

/// A five-pointed star path centred at (x, y).
fn star(ctx: &CanvasRenderingContext2d, x: f64, y: f64, outer: f64, inner: f64) {
    for (k, (px, py)) in render::star(x, y, outer, inner).into_iter().enumerate() {
        if k == 0 {
            ctx.move_to(px, py);
        } else {
            ctx.line_to(px, py);
        }
    }
    ctx.close_path();
}

/// What there is to choose from: `{surfaces: [{name, title, params: [{name, doc, default, min,
/// max}]}], optimizers: [{name, rule, hypers: [{name, symbol, default}]}], variants: [name]}`.
#[wasm_bindgen]
pub fn catalog() -> Object {
    let surfaces: Array = surface::catalog()
        .iter()
        .map(|e| {
            let o = Object::new();
            set(&o, "name", e.name);
            set(&o, "title", e.title);
            let params: Array = e
                .params
                .iter()
                .map(|p| {
                    let q = Object::new();
                    set(&q, "name", p.name);
                    set(&q, "doc", p.doc);
                    set(&q, "default", p.default);
                    set(&q, "min", p.min);
                    set(&q, "max", p.max);
                    JsValue::from(q)
                })
                .collect();
            set(&o, "params", params);
            set(
                &o,
                "dataset",
                e.build(&[]).map(|s| s.terms().is_some()).unwrap_or(false),
            );
            JsValue::from(o)
        })
        .collect();
    let optimizers: Array = OptimizerKind::ALL
        .iter()
        .map(|&k| {
            let o = Object::new();
            set(&o, "name", k.name());
            set(&o, "title", k.title());
            set(&o, "rule", k.rule());
            let d = Hyper::defaults(k);
            let hypers: Array = k
                .hypers()
                .iter()
                .map(|&h| {
                    let q = Object::new();
                    set(&q, "name", h.name());
                    set(&q, "symbol", h.symbol());
                    set(&q, "default", d.get(h));
                    JsValue::from(q)
                })
                .collect();
            set(&o, "hypers", hypers);
            JsValue::from(o)
        })
        .collect();
    let variants: Array = Variant::ALL
        .iter()
        .map(|v| JsValue::from_str(v.name()))
        .collect();
    let keys: Array = KEYS.iter().map(|k| JsValue::from_str(k)).collect();
    let o = Object::new();
    set(&o, "surfaces", surfaces);
    set(&o, "optimizers", optimizers);
    set(&o, "variants", variants);
    set(&o, "keys", keys);
    o
}

/// Formats a number for a readout in at most four significant digits.
#[wasm_bindgen(js_name = formatNumber)]
pub fn format_number(v: f64) -> String {
    render::short(v)
}

/// The learning rate at a position of the log-scale slider (log₁₀ γ).
#[wasm_bindgen(js_name = lrFromSlider)]
pub fn lr_from_slider(position: f64) -> f64 {
    crate::options::lr_from_slider(position)
}

/// The log-scale slider position (log₁₀ γ) of a learning rate.
#[wasm_bindgen(js_name = sliderFromLr)]
pub fn slider_from_lr(lr: f64) -> f64 {
    crate::options::slider_from_lr(lr)
}

/// The lessons: `[{id, title, text, options}]`, `options` being what `set()` takes.
#[wasm_bindgen]
pub fn lessons() -> Array {
    teach::lessons()
        .iter()
        .map(|l| {
            let o = Object::new();
            set(&o, "id", l.id);
            set(&o, "title", l.title);
            set(&o, "text", l.text);
            set(
                &o,
                "options",
                js_sys::JSON::parse(l.options).unwrap_or(JsValue::NULL),
            );
            JsValue::from(o)
        })
        .collect()
}

/// Benchmark support (`cargo xtask bench`): a surface's field on an `n` × `n` grid over its view,
/// so the page can time gdviz's contour extraction against another library on the same grid.
/// The wasm instance's linear memory in bytes. It only ever grows, so its value after a session
/// is the session's peak: the benchmark and the memory tests read it.
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65536) as f64
}

#[wasm_bindgen(js_name = BenchField)]
pub struct BenchField(Field);

#[wasm_bindgen(js_class = BenchField)]
impl BenchField {
    /// Samples the catalog surface `name` on an `n` × `n` grid.
    #[wasm_bindgen(constructor)]
    pub fn new(name: &str, n: usize) -> Result<BenchField, JsError> {
        let s = surface::by_name(name).map_err(err)?;
        Ok(BenchField(Field::sample(s.as_ref(), s.view(), n, n)))
    }

    /// The samples, row by row (`values[j * n + i]`, y growing with j).
    pub fn values(&self) -> Vec<f64> {
        self.0.values.clone()
    }

    /// `count` contour levels, chosen as the app chooses them.
    pub fn levels(&self, count: usize) -> Vec<f64> {
        Levels::choose(&self.0, count).values
    }

    /// Marching squares at every level of `levels`; the number of segments found.
    pub fn segments(&self, levels: &[f64]) -> usize {
        levels
            .iter()
            .map(|&l| crate::contour::segments(&self.0, l).len())
            .sum()
    }
}
