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
use crate::lessons::{self, Lesson};
use crate::linalg::{self, Vec2};
use crate::optim::{HyperKind, HyperName, HyperValue, OptimizerKind};
use crate::options::{apply_all, Computed, Options, RunSettings, Value, KEYS};
use crate::render::{self, Frame, Style};
use crate::run::{Checkpoints, End, RunConfig, Status, Trajectory};
use crate::surface::{self, Surface};
use crate::teach;
use crate::variant::Variant;

mod canvas;
mod exercise;
mod export;
mod network;
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

/// The step from which a converged run stayed below the tolerance, or `null`.
fn converged_at(t: &Trajectory) -> JsValue {
    t.converged_at
        .map_or(JsValue::NULL, |k| JsValue::from(k as f64))
}

/// What the cached background depends on.
#[derive(Debug, Clone, PartialEq)]
struct BackgroundKey {
    surface: crate::options::SurfaceKey,
    size: (u32, u32),
    scale: f64,
    dark: bool,
}

/// The loss chart of the runs with every run's line in pixels.
type LossLines = (render::LossChart, Vec<Vec<(f64, f64)>>);

/// What the layer below the learning-rate strip's rates shows: its axes and the threshold's
/// pixels (one polyline per stretch).
type RatesBelow = (render::loss::AxesKey, Vec<Vec<(i32, i32)>>);

/// How many label widths the overlay remembers (a handful are drawn at a time).
const LABEL_WIDTHS: usize = 32;

/// Every run's whole path in pixels, for the frame they were computed on.
type PathCache = (Option<Frame>, Vec<Option<std::rc::Rc<render::PathPixels>>>);

/// One gdviz instance: its options, its runs, and the canvases it draws on.
#[wasm_bindgen]
pub struct Visualizer {
    bg: HtmlCanvasElement,
    overlay: HtmlCanvasElement,
    loss: HtmlCanvasElement,
    /// The contexts of the canvases redrawn on every change (a canvas keeps its context).
    overlay_ctx: CanvasRenderingContext2d,
    loss_ctx: CanvasRenderingContext2d,
    style: Style,
    opts: Options,
    /// The lesson the state was loaded from (links hold their differences from it), if any.
    lesson: Option<&'static Lesson>,
    /// The question posed about the state shown, if any (see [`crate::exercise`]).
    question: Option<crate::exercise::Question>,
    /// The surface and every run; always present between calls (taken only while recomputing).
    computed: Option<Computed>,
    /// The step shown (the scrubber, or the animation's position).
    current: usize,
    frame: Option<Frame>,
    background: Option<BackgroundKey>,
    /// Whether the background on the canvas is the coarse one ([`Visualizer::render_quick`]).
    background_coarse: bool,
    /// The selected run's next update from step k: `(k, detail)`. The arrows and the numbers
    /// panel both need it on every redraw; it is cleared whenever the runs or the selection
    /// change.
    next: std::cell::RefCell<Option<(usize, Option<teach::StepDetail>)>>,
    /// Where the selected run stood at its end (the step every new run shows first) and every
    /// [`Checkpoints::EVERY`] steps: the next update from any step replays at most that many
    /// steps, so scrubbing and playback stay cheap on 100 000-step runs.
    checkpoints: std::cell::RefCell<Checkpoints>,
    /// The layer under the background a coarse heatmap is drawn on, scaled up by the page (see
    /// [`Visualizer::draw_heatmap`]), when the page has one.
    heat: Option<HtmlCanvasElement>,
    /// The font set on the overlay's context (sizing the canvas resets it to the default).
    overlay_font: std::cell::RefCell<Option<String>>,
    /// The arrows' labels measured in that font, with their widths (device pixels).
    label_widths: std::cell::RefCell<Vec<(String, f64)>>,
    /// The loss chart of the runs and its lines (computed once per runs and canvas).
    loss_chart: std::cell::RefCell<Option<LossLines>>,
    /// Every run's whole path in pixels on a frame (see [`Visualizer::path_pixels`]).
    paths: std::cell::RefCell<PathCache>,
    /// The canvas under the loss chart that holds its axes, and what they were drawn for.
    loss_axes_canvas: Option<HtmlCanvasElement>,
    /// The canvas between the axes and the chart's own, and where the runs' lines are drawn
    /// (see [`LinesAt`]).
    loss_lines_canvas: Option<HtmlCanvasElement>,
    loss_lines_at: std::cell::Cell<LinesAt>,
    /// The learning-rate strip's canvas, when the page has one.
    rates_canvas: Option<HtmlCanvasElement>,
    /// The canvas under the strip that holds what is below its rates (the axes and the
    /// threshold), and what that was drawn for.
    rates_below_canvas: Option<HtmlCanvasElement>,
    rates_below: std::cell::RefCell<Option<RatesBelow>>,
    /// A canvas outside the page that holds the strip's axes alone, and what they were drawn
    /// for: the layer below is this copied, then the threshold, so a threshold that moves with
    /// the path (wherever f is not quadratic) costs no text.
    rates_scratch: Option<HtmlCanvasElement>,
    rates_axes: std::cell::RefCell<Option<render::loss::AxesKey>>,
    /// Whether the strip shows the runs as they are (it does not depend on the step shown).
    rates_drawn: std::cell::Cell<bool>,
    loss_axes: Option<render::loss::AxesKey>,
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

/// The learning-rate strip's height, CSS pixels.
const RATES_HEIGHT: f64 = 110.0;

/// The most items a list option is read with (a run list holds at most 4; the page's
/// `snapshot` already refuses longer ones, this keeps the core bounded on its own).
const MAX_ITEMS: u32 = 16;

/// A JavaScript value as an option [`Value`]. Lists of option sets are read at the top level
/// only (`runs`), so the reading is bounded in depth as well as in length.
fn to_value(v: &JsValue, top: bool) -> Value {
    if v.is_null() || v.is_undefined() {
        Value::Null
    } else if let Some(n) = v.as_f64() {
        Value::Num(n)
    } else if let Some(s) = v.as_string() {
        Value::Str(s)
    } else if let Some(b) = v.as_bool() {
        // The flags (`amsgrad: true`) read true and false as their names.
        Value::Str(b.to_string())
    } else if Array::is_array(v) {
        let a = Array::from(v);
        if a.length() > MAX_ITEMS {
            return Value::Str(format!("(a list of {} items)", a.length()));
        }
        if a.iter().all(|e| e.is_object() && !Array::is_array(&e)) {
            if !top {
                return Value::Str("(a list inside a list)".into());
            }
            // A list of option sets: the runs.
            return Value::Entries(a.iter().map(|e| entries(&e, false)).collect());
        }
        match (a.length(), a.get(0).as_f64(), a.get(1).as_f64()) {
            (2, Some(x), Some(y)) => Value::Pair(x, y),
            _ => Value::Str("(an array that is not two numbers)".into()),
        }
    } else {
        Value::Str("(an object)".into())
    }
}

/// The `(key, value)` pairs of a JavaScript options object (the page's plain-data snapshot of
/// what a script gave): `top` for `set()`'s own object, not a run's.
fn entries(options: &JsValue, top: bool) -> Vec<(String, Value)> {
    let keys = Object::keys(options.unchecked_ref::<Object>());
    keys.iter()
        .filter_map(|key| {
            let name = key.as_string()?;
            let value = Reflect::get(options, &key).unwrap_or(JsValue::UNDEFINED);
            Some((name, to_value(&value, top)))
        })
        .collect()
}

/// A path as `[[x, y, loss], ...]`.
fn path_array(t: &Trajectory) -> Array {
    t.points
        .iter()
        .zip(&t.losses)
        .map(|(p, l)| JsValue::from(Array::of3(&p[0].into(), &p[1].into(), &(*l).into())))
        .collect()
}

/// A hyper-parameter's value as `set()` takes it: a number, `[a, b]`, a boolean or a name.
fn hyper_js(v: HyperValue) -> JsValue {
    match v {
        HyperValue::Num(x) => x.into(),
        HyperValue::Pair(a, b) => Array::of2(&a.into(), &b.into()).into(),
        HyperValue::Flag(f) => f.into(),
        HyperValue::Choice(c) => c.into(),
    }
}

/// One run's settings as the keys of `set()`: `optimizer` and every hyper-parameter,
/// `variant`, `batch` (as run: cut to the surface's terms), `seed`.
fn run_settings(o: &Object, r: &RunSettings, cfg: &RunConfig) {
    set(o, "optimizer", r.optimizer.name());
    for name in HyperName::ALL {
        set(o, name.name(), hyper_js(r.hyper.get(name)));
    }
    set(o, "schedule", r.schedule.spec());
    let or_null = |v: Option<f64>| v.map_or(JsValue::NULL, JsValue::from);
    set(o, "clip_norm", or_null(r.clip.norm));
    set(o, "clip_value", or_null(r.clip.value));
    set(o, "variant", r.variant.name());
    set(o, "batch", cfg.batch as f64);
    set(o, "seed", r.seed as f64);
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
        let computed = opts.compute_reusing(None).map_err(err)?;
        let mut v = Visualizer {
            overlay_ctx: context(&overlay)?,
            loss_ctx: context(&loss)?,
            bg,
            overlay,
            loss,
            style: Style {
                scale: 1.0,
                dark: false,
            },
            opts,
            lesson: None,
            question: None,
            computed: Some(computed),
            current: 0,
            frame: None,
            background: None,
            background_coarse: false,
            next: std::cell::RefCell::new(None),
            checkpoints: std::cell::RefCell::new(Checkpoints::new(0)),
            heat: None,
            overlay_font: std::cell::RefCell::new(None),
            label_widths: std::cell::RefCell::new(Vec::new()),
            paths: std::cell::RefCell::new((None, Vec::new())),
            loss_chart: std::cell::RefCell::new(None),
            loss_axes_canvas: None,
            loss_lines_canvas: None,
            loss_lines_at: std::cell::Cell::new(LinesAt::Top),
            rates_canvas: None,
            rates_below_canvas: None,
            rates_below: std::cell::RefCell::new(None),
            rates_scratch: None,
            rates_axes: std::cell::RefCell::new(None),
            rates_drawn: std::cell::Cell::new(false),
            loss_axes: None,
        };
        v.ran();
        Ok(v)
    }

    /// Applies any subset of the options (`surface` or a typed `expr` with its
    /// `xrange`/`yrange`, a surface's own parameters such as `kappa`, `noise`, `start`,
    /// `steps`; `runs` (a list of 1 to 4 runs, each `{optimizer, lr, momentum, beta1, beta2,
    /// decay, eps, variant, batch, seed}` over the defaults) and `selected` (which run, from 0);
    /// and those per-run keys on their own, which set the selected run's), re-runs what
    /// changed, and shows the whole new paths. Returns the notices for values that were
    /// rejected and ignored.
    pub fn set(&mut self, options: &JsValue) -> Result<Array, JsError> {
        if !options.is_object() {
            return Err(err("set() takes an object of options, e.g. {lr: 0.01}"));
        }
        let changes = entries(options, true);
        self.apply(&changes)
    }

    /// Loads lesson `id` (its state over the defaults; links are then written as differences
    /// from it), or, for `""`, keeps the state and leaves the lesson. Returns the notices (an
    /// unknown id is one, and changes nothing).
    #[wasm_bindgen(js_name = loadLesson)]
    pub fn load_lesson(&mut self, id: &str) -> Result<Array, JsError> {
        if id.is_empty() {
            self.lesson = None;
            return Ok(Array::new());
        }
        let Some(lesson) = lessons::lesson(id) else {
            let notice = format!(
                "lesson: unknown lesson '{}'; ignored",
                id.chars().take(40).collect::<String>()
            );
            return Ok(std::iter::once(JsValue::from_str(&notice)).collect());
        };
        let state = lesson.state().map_err(err)?;
        self.lesson = Some(lesson);
        self.replace(state)
    }

    /// The id of the lesson the state was loaded from, or `""`.
    #[wasm_bindgen(getter)]
    pub fn lesson(&self) -> String {
        self.lesson.map_or(String::new(), |l| l.id.to_string())
    }

    /// Which of the lesson's choices the state shows (its index), or -1 for none.
    #[wasm_bindgen(getter, js_name = lessonChoice)]
    pub fn lesson_choice(&self) -> i32 {
        self.lesson
            .and_then(|l| l.chosen(&self.opts))
            .map_or(-1, |i| i as i32)
    }

    /// Lays the lesson's choice `index` over the state (the lesson stays); a notice if there is
    /// no such choice.
    #[wasm_bindgen(js_name = chooseLesson)]
    pub fn choose_lesson(&mut self, index: usize) -> Result<Array, JsError> {
        let Some(next) = self.lesson.and_then(|l| l.choose(&self.opts, index)) else {
            return Ok(std::iter::once(JsValue::from_str("lesson: no such choice")).collect());
        };
        self.replace(next.map_err(err)?)
    }

    /// Adds a copy of the selected run, in the next colour, and selects it (at most 4 runs).
    #[wasm_bindgen(js_name = addRun)]
    pub fn add_run(&mut self) -> Result<Array, JsError> {
        self.edit(Options::add_run)
    }

    /// The spec of a `kind` schedule that shows its shape over the current run (`cosine` over
    /// all the steps, `onecycle` peaking at the selected run's γ, ...), for the schedule menu;
    /// `null` for an unknown kind.
    #[wasm_bindgen(js_name = scheduleExample)]
    pub fn schedule_example(&self, kind: &str) -> JsValue {
        let lr = self.opts.run().hyper.lr;
        crate::schedule::Schedule::example(kind, self.opts.steps as u64, lr)
            .map_or(JsValue::NULL, |s| JsValue::from_str(&s.spec()))
    }

    /// Removes run `index` (not the last one).
    #[wasm_bindgen(js_name = removeRun)]
    pub fn remove_run(&mut self, index: usize) -> Result<Array, JsError> {
        self.edit(|o| o.remove_run(index))
    }

    /// Keeps only the selected run, as it is.
    #[wasm_bindgen(js_name = keepSelected)]
    pub fn keep_selected(&mut self) -> Result<Array, JsError> {
        self.edit(|o| {
            o.keep_selected();
            Ok(())
        })
    }

    /// Draws coarse heatmaps on `canvas`, a layer under the background that the page shows
    /// where this places it (CSS `left`, `top`, `width`, `height` in the plot box, and its
    /// `hidden` attribute) and scales up: see [`Visualizer::draw_heatmap`].
    #[wasm_bindgen(js_name = attachHeat)]
    pub fn attach_heat(&mut self, canvas: HtmlCanvasElement) {
        canvas.set_hidden(true);
        self.heat = Some(canvas);
        self.background = None;
    }

    /// Draws the loss chart's axes on `axes` (under the chart's own canvas, the same size) from
    /// now on, so that a change that keeps them redraws only the lines, and the lines on `lines`
    /// (between the two) once the step shown changes, so that scrubbing redraws only the marks.
    #[wasm_bindgen(js_name = attachLossAxes)]
    pub fn attach_loss_axes(&mut self, axes: HtmlCanvasElement, lines: HtmlCanvasElement) {
        self.loss_axes_canvas = Some(axes);
        self.loss_axes = None;
        self.loss_lines_canvas = Some(lines);
        self.loss_lines_at.set(LinesAt::Top);
    }

    /// Draws the learning-rate strip on `canvas` (the loss chart's width, `RATES_HEIGHT` CSS
    /// pixels tall) whenever a run follows a schedule.
    #[wasm_bindgen(js_name = attachRates)]
    pub fn attach_rates(&mut self, canvas: HtmlCanvasElement) {
        self.rates_canvas = Some(canvas);
        self.rates_drawn.set(false);
    }

    /// Draws what is below the learning-rate strip's rates (the axes and the threshold) on
    /// `canvas` (under the strip's own canvas, the same size) from now on, and keeps the axes
    /// alone on `scratch` (a canvas outside the page), so that a change that keeps the axes
    /// and the threshold redraws only the rates, and one that moves the threshold only it.
    #[wasm_bindgen(js_name = attachRatesBelow)]
    pub fn attach_rates_below(&mut self, canvas: HtmlCanvasElement, scratch: HtmlCanvasElement) {
        self.rates_below_canvas = Some(canvas);
        self.rates_below.replace(None);
        self.rates_scratch = Some(scratch);
        self.rates_axes.replace(None);
        self.rates_drawn.set(false);
    }

    /// Whether some run's step size changes from step to step: it follows a learning-rate
    /// schedule, or a line search picks it (the page shows the strip then).
    #[wasm_bindgen(getter, js_name = hasSchedule)]
    pub fn has_schedule(&self) -> bool {
        self.opts.runs().iter().any(|r| {
            r.schedule != crate::schedule::Schedule::Constant
                || r.optimizer == crate::OptimizerKind::Linesearch
        })
    }

    /// What the learning-rate strip's grey line is for the selected run, or why it has none.
    #[wasm_bindgen(getter, js_name = ratesCaption)]
    pub fn rates_caption(&self) -> String {
        use crate::OptimizerKind as K;
        let kind = self.opts.run().optimizer;
        let lead = "γ per step (log), each run in its colour.";
        match kind {
            K::Sgd => format!("{lead} Grey: 2/λmax where each step of the selected run starts; above it the step overshoots along the steepest direction there."),
            K::Momentum | K::Nesterov => format!("{lead} Grey: {}'s stability threshold where each step of the selected run starts (2/λmax scaled by its μ); above it the step overshoots along the steepest direction.", kind.title()),
            K::Linesearch => format!("{lead} The line search's γ is the step size it accepted. No grey line: it halves γ until the step decreases f enough, so no threshold limits it."),
            K::Newton => format!("{lead} No grey line: Newton's method divides by the curvature itself, so its γ is a fraction of the Newton step (1 is the whole), not a step size against 2/λmax."),
            K::Lbfgs => format!("{lead} No grey line: L-BFGS scales its step by its own curvature estimate, so no threshold applies to γ."),
            _ => format!("{lead} No grey line: {} scales each coordinate's step by its gradient history, so a threshold would apply to its effective per-coordinate step, not to γ.", kind.title()),
        }
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
        for c in [&self.loss_axes_canvas, &self.loss_lines_canvas]
            .into_iter()
            .flatten()
        {
            c.set_width(px(loss_width));
            c.set_height(px(loss_height));
        }
        for c in [&self.rates_canvas, &self.rates_below_canvas]
            .into_iter()
            .flatten()
        {
            c.set_width(px(loss_width));
            c.set_height(px(RATES_HEIGHT));
        }
        // Sizing a canvas clears it and resets its context's state.
        self.overlay_font.replace(None);
        self.rates_below.replace(None);
        self.rates_drawn.set(false);
        self.loss_axes = None;
        // Sizing cleared the layer.
        self.loss_lines_at.set(LinesAt::Top);
        self.style = Style { scale: dpr, dark };
        self.background = None;
    }

    /// Draws everything that is out of date: the background only when the surface, size or theme
    /// changed (at full resolution); the trajectories and the loss chart always.
    pub fn render(&mut self) -> Result<(), JsError> {
        if self.background_out_of_date() || self.background_coarse {
            self.draw_background(false)?;
        }
        self.draw_overlay()
    }

    /// [`Visualizer::render`] for a change the page shows at once: a background that is out of
    /// date is drawn from a coarse field first (about a ninth of the work; its heatmap a coarse
    /// image on the heat layer, see [`Visualizer::draw_heatmap`]), so that a surface
    /// parameter dragged frame after frame never waits for the full field. Returns whether the
    /// background is coarse: the page then calls [`Visualizer::refine`] a frame later, once the
    /// changes stop.
    #[wasm_bindgen(js_name = renderQuick)]
    pub fn render_quick(&mut self) -> Result<bool, JsError> {
        if self.background_out_of_date() {
            self.draw_background(true)?;
        }
        self.draw_overlay()?;
        Ok(self.background_coarse)
    }

    /// Redraws a coarse background at full resolution (the overlay is unchanged: the plot's
    /// frame depends on the canvas only); returns whether it did.
    pub fn refine(&mut self) -> Result<bool, JsError> {
        if !self.background_coarse || self.background_out_of_date() {
            return Ok(false);
        }
        self.draw_background(false)?;
        Ok(true)
    }

    /// Shows step `k` (clamped to the runs): the paths up to it, the readout and the loss
    /// chart's marker.
    #[wasm_bindgen(js_name = showStep)]
    pub fn show_step(&mut self, k: usize) -> Result<(), JsError> {
        self.current = k.min(self.step_count());
        self.draw_overlay()
    }

    /// The number of steps of the longest run (fewer than asked when every run diverged).
    #[wasm_bindgen(getter, js_name = stepCount)]
    pub fn step_count(&self) -> usize {
        self.trajectories()
            .map(Trajectory::steps)
            .max()
            .unwrap_or(0)
    }

    /// The step shown.
    #[wasm_bindgen(getter)]
    pub fn current(&self) -> usize {
        self.current
    }

    /// The selected run's readout at the step shown: `{run, colour, step, x, y, loss,
    /// gradNorm, status, divergedAt, convergedAt}` (`run` counts from 0; `convergedAt` is the
    /// step from which ‖∇f‖ stayed below the tolerance).
    pub fn readout(&self) -> Object {
        let t = self.traj();
        let k = self.current.min(t.steps());
        let p = t.points[k];
        let o = Object::new();
        set(&o, "run", self.opts.selected() as f64);
        set(&o, "colour", render::run_colour(self.opts.selected()));
        set(&o, "step", k as f64);
        set(&o, "x", p[0]);
        set(&o, "y", p[1]);
        set(&o, "loss", t.losses[k]);
        set(&o, "gradNorm", linalg::norm(self.surface().gradient(p)));
        set(&o, "status", t.status.name());
        set(&o, "divergedAt", diverged_at(t));
        if let Some(why) = crate::caption::divergence(self.surface(), self.opts.run().optimizer, t)
        {
            set(&o, "divergedWhy", why);
        }
        set(&o, "convergedAt", converged_at(t));
        o
    }

    /// The options, every run (with its settings, `trajectory` as `[[x, y, loss], ...]`,
    /// `status`, `divergedAt`, `colour`), the selected run's `trajectory` at the top level, the
    /// `view` and the plot rectangle `plotCss` (`{left, top, width, height}` in CSS pixels
    /// relative to the plot canvas).
    pub fn state(&self) -> Object {
        let o = self.settings();
        set(&o, "trajectory", path_array(self.traj()));
        self.views_state(&o);
        let runs = Array::from(&Reflect::get(&o, &"runs".into()).unwrap_or(JsValue::NULL));
        for (r, t) in runs.iter().zip(self.trajectories()) {
            set(r.unchecked_ref(), "trajectory", path_array(t));
        }
        o
    }

    /// [`Visualizer::state`] without the trajectories: cheap enough to sync the controls with
    /// on every change, however long the runs. The top-level run keys (`optimizer`, `lr`, ...,
    /// `status`) are the selected run's; `runs` lists every run's settings, name, colour,
    /// status and loss at the step shown; `selected` is the selected run's index.
    pub fn settings(&self) -> Object {
        let o = Object::new();
        let surface = self.surface();
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
        let selected = self.opts.selected();
        let cfg = self.config(selected);
        run_settings(&o, self.opts.run(), &cfg);
        // The selected run's update rule, with the parts its options turn on (plain SGD under a
        // schedule cycling the momentum steps as momentum SGD, as torch's SGD then does).
        set(&o, "rule", cfg.stepped_as().rule(&cfg.stepped_hyper()));
        set(
            &o,
            "noise",
            cfg.noise.unwrap_or_else(|| surface.default_noise()),
        );
        set(&o, "start", pair(cfg.start));
        set(&o, "steps", self.opts.steps as f64);
        let t = self.traj();
        set(&o, "status", t.status.name());
        set(&o, "divergedAt", diverged_at(t));
        set(&o, "convergedAt", converged_at(t));
        set(&o, "current", self.current() as f64);
        set(
            &o,
            "mode",
            if self.opts.network.on {
                "network"
            } else {
                "surfaces"
            },
        );
        set(&o, "selected", selected as f64);
        set(&o, "lesson", self.lesson());
        // The most a batch can take in the mode shown (Network mode: the training examples).
        let terms = if self.opts.network.on {
            crate::options::TRAIN_EXAMPLES
        } else {
            surface.terms().unwrap_or(crate::variant::ANALYTIC_TERMS)
        };
        set(&o, "terms", terms as f64);
        let runs: Array = self
            .opts
            .runs()
            .iter()
            .zip(self.trajectories())
            .enumerate()
            .map(|(i, (r, t))| {
                let e = Object::new();
                run_settings(&e, r, &self.config(i));
                set(&e, "title", r.optimizer.title());
                set(&e, "name", r.name(terms));
                set(&e, "colour", render::run_colour(i));
                let k = self.current.min(t.steps());
                set(&e, "loss", t.losses[k]);
                set(&e, "status", t.status.name());
                set(&e, "divergedAt", diverged_at(t));
                set(&e, "convergedAt", converged_at(t));
                JsValue::from(e)
            })
            .collect();
        set(&o, "runs", runs);
        // The threshold of the selected run's optimizer: the slider belongs to it.
        let (kind, hyper) = (self.opts.run().optimizer, &self.opts.run().hyper);
        let t = teach::threshold_for(surface, cfg.start, kind, hyper);
        // null, not undefined, where there is none (the page tests `=== null`).
        let or_null = |v: Option<f64>| v.map_or(JsValue::NULL, JsValue::from);
        set(&o, "criticalLr", or_null(t.critical.map(|c| c.lr)));
        let exact = t.critical.map(|c| c.exact);
        set(
            &o,
            "criticalExact",
            exact.map_or(JsValue::NULL, JsValue::from),
        );
        // No mark where no fixed threshold applies (adaptive optimizers, no upward curvature).
        let mark = t.mark.map(|m| (slider_from_lr(m) + 5.0) / 6.0);
        set(&o, "criticalMark", or_null(mark));
        set(&o, "criticalCaption", t.caption);
        // The key of the marks this plot shows, as `[{symbol, meaning}]`.
        let key: Array = render::key(surface.minima())
            .into_iter()
            .map(|k| {
                let e = Object::new();
                set(&e, "symbol", k.symbol);
                set(&e, "meaning", k.meaning);
                JsValue::from(e)
            })
            .collect();
        set(&o, "key", key);
        let v = surface.view();
        let view = Object::new();
        set(&view, "x", pair([v.x.0, v.x.1]));
        set(&view, "y", pair([v.y.0, v.y.1]));
        set(&o, "view", view);
        if let Some(f) = self.frame {
            // The view as drawn: the surface's, padded to equal scales on the plot's shape.
            let drawn = Object::new();
            set(&drawn, "x", pair([f.view.x.0, f.view.x.1]));
            set(&drawn, "y", pair([f.view.y.0, f.view.y.1]));
            set(&o, "plotView", drawn);
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

    /// The selected run's next update from the point shown (step k + 1), written out with its
    /// numbers: `{run, colour, step, lines: [...], rule, batch}`, or `null` if the run cannot
    /// step from there.
    pub fn explain(&self) -> JsValue {
        let Some(d) = self.next_step() else {
            return JsValue::NULL;
        };
        let o = Object::new();
        set(&o, "run", self.opts.selected() as f64);
        set(&o, "colour", render::run_colour(self.opts.selected()));
        set(&o, "step", d.step as f64);
        let lines: Array = d.lines.iter().map(|l| JsValue::from_str(l)).collect();
        set(&o, "lines", lines);
        set(
            &o,
            "rule",
            self.opts.run().optimizer.rule(&self.opts.run().hyper),
        );
        set(&o, "batch", d.batch.len() as f64);
        o.into()
    }

    /// The state as a URL query (`key=value&...`, encoded, no `?`): the options that differ
    /// from the lesson's state, or from the defaults without a lesson (see `share`).
    pub fn query(&self) -> String {
        let base = self.lesson.and_then(|l| l.state().ok()).unwrap_or_default();
        crate::share::query_string(&crate::share::query_pairs(&self.opts, &base))
    }

    /// How many parts [`Visualizer::csv_part`] hands the CSV over in.
    #[wasm_bindgen(js_name = csvPartCount)]
    pub fn csv_part_count(&self) -> usize {
        let runs: Vec<&Trajectory> = self.trajectories().collect();
        crate::share::csv_part_count(&runs)
    }

    /// Part `part` of every run as CSV (`run,optimizer,step,x,y,loss`, shortest round-trip
    /// numbers): the header, then at most 20 000 rows a part, so a long race's export never
    /// holds its whole text in the module's memory.
    #[wasm_bindgen(js_name = csvPart)]
    pub fn csv_part(&self, part: usize) -> String {
        let runs: Vec<&Trajectory> = self.trajectories().collect();
        crate::share::csv_part(&self.opts, &runs, part)
    }

    /// The plot in words, for screen readers (the plot canvas's text alternative): the surface,
    /// each run's optimizer, γ and gradient variant, the start, the point shown with its loss,
    /// and how each run ended; in a race, which run is selected.
    pub fn summary(&self) -> String {
        let n = |v: f64| render::short(v);
        let name = surface::find(&self.opts.surface)
            .map(|e| e.title)
            .unwrap_or("your f(x, y)");
        let mut text = format!("Contour plot of {name}, f = {}.", self.surface().formula());
        let t = self.traj();
        let start = t.points[0];
        let status = |t: &Trajectory| match t.status {
            Status::Converged => match t.converged_at {
                Some(k) => format!("converged at step {k}"),
                None => "converged".to_string(),
            },
            Status::Diverged { step } => format!("diverged at step {step}"),
            Status::MaxSteps => format!("not converged after {} steps", t.steps()),
        };
        let runs = self.opts.runs();
        if runs.len() == 1 {
            let k = self.current.min(t.steps());
            let p = t.points[k];
            let r = self.opts.run();
            text.push_str(&format!(
                " {}, learning rate γ = {}, {} gradient, from ({}, {}). Step {k} of {}: θ = ({}, {}), f = {}. Status: {}.",
                r.optimizer.title(),
                n(r.hyper.lr),
                r.variant.name(),
                n(start[0]),
                n(start[1]),
                self.step_count(),
                n(p[0]),
                n(p[1]),
                n(t.losses[k]),
                status(t),
            ));
        } else {
            text.push_str(&format!(
                " A race of {} runs from ({}, {}); run {} is selected.",
                runs.len(),
                n(start[0]),
                n(start[1]),
                self.opts.selected() + 1
            ));
            for (i, (o, t)) in runs.iter().zip(self.trajectories()).enumerate() {
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

    /// The start moved by `(dx, dy)` hundredths of the drawn view's width and height (y up),
    /// kept inside it: `[x, y]`, for `set({start})` (the arrow keys on the plot).
    #[wasm_bindgen(js_name = nudgeStart)]
    pub fn nudge_start(&self, dx: f64, dy: f64) -> Array {
        let v = self.frame.map_or_else(|| self.surface().view(), |f| f.view);
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
        let s = self.surface();
        if s.note().is_empty() {
            format!("f = {}", s.formula())
        } else {
            format!("f = {} — {}", s.formula(), s.note())
        }
    }
}

impl Visualizer {
    /// The surface and every run.
    fn computed(&self) -> &Computed {
        self.computed
            .as_ref()
            .expect("the runs are computed whenever the visualizer is handed out")
    }

    /// The surface.
    fn surface(&self) -> &dyn Surface {
        self.computed().surface.as_ref()
    }

    /// Every run's path, in colour order.
    fn trajectories(&self) -> impl Iterator<Item = &Trajectory> {
        self.computed().trajectories()
    }

    /// The selected run's path: the one the readouts, arrows and step explanation describe.
    fn traj(&self) -> &Trajectory {
        let runs = &self.computed().runs;
        &runs[self.opts.selected().min(runs.len() - 1)].trajectory
    }

    /// Run `index`'s configuration.
    fn config(&self, index: usize) -> RunConfig {
        self.opts.run_config(self.surface(), index)
    }

    /// Applies option changes and recomputes what they change; the notices.
    fn apply(&mut self, changes: &[(String, Value)]) -> Result<Array, JsError> {
        let previous = self.computed.take();
        let notices = match apply_all(&mut self.opts, changes, previous) {
            Ok(applied) => {
                self.computed = Some(applied.computed);
                applied.notices
            }
            Err(e) => {
                // Even the previous settings failed to run (they ran before, so this should not
                // happen): start over from the defaults rather than keep a page with no run.
                self.opts = Options::default();
                self.computed = Some(self.opts.compute_reusing(None).map_err(err)?);
                self.ran();
                return Err(err(e));
            }
        };
        self.ran();
        Ok(notices.iter().map(|n| JsValue::from_str(n)).collect())
    }

    /// Replaces the options with `state` (a lesson's) and recomputes.
    fn replace(&mut self, state: Options) -> Result<Array, JsError> {
        let before = std::mem::replace(&mut self.opts, state);
        let previous = self.computed.take();
        match self.opts.compute_reusing(previous) {
            Ok(c) => self.computed = Some(c),
            Err(e) => {
                self.opts = before;
                self.computed = Some(self.opts.compute_reusing(None).map_err(err)?);
                self.ran();
                return Err(err(e));
            }
        }
        self.ran();
        Ok(Array::new())
    }

    /// Changes the options with `f` (adding or removing a run), then recomputes; a refusal is
    /// the notice.
    fn edit(
        &mut self,
        f: impl FnOnce(&mut Options) -> Result<(), crate::Error>,
    ) -> Result<Array, JsError> {
        let mut next = self.opts.clone();
        if let Err(e) = f(&mut next) {
            return Ok(std::iter::once(JsValue::from_str(&e.to_string())).collect());
        }
        self.replace(next)
    }

    /// After the runs or the selection changed: the last step shown, the selected run's end
    /// kept for its next update, the cached update dropped.
    fn ran(&mut self) {
        let selected = self.opts.selected();
        let end = self
            .computed()
            .runs
            .get(selected)
            .and_then(|r| r.end.clone());
        self.checkpoints.replace(first_checkpoints(end));
        self.next.replace(None);
        self.paths.replace((None, Vec::new()));
        self.loss_chart.replace(None);
        self.rates_drawn.set(false);
        // The surfaces' step count (Network mode's run and step are the second module's).
        self.current = self
            .trajectories()
            .map(Trajectory::steps)
            .max()
            .unwrap_or(0);
    }

    /// The selected run's update from the point shown, replayed from the nearest checkpoint.
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
        let t = self.traj();
        let k = self.current.min(t.steps());
        if k < self.current || matches!(t.status, Status::Diverged { .. }) && k == t.steps() {
            return None;
        }
        let cfg = self.config(self.opts.selected());
        let s = self
            .checkpoints
            .borrow_mut()
            .stepper_at(self.surface(), &cfg, k)?;
        teach::explain_next(&cfg, s)
    }

    /// The background's key now: what it must have been drawn for.
    fn background_key(&self) -> BackgroundKey {
        BackgroundKey {
            surface: self.opts.surface_key(),
            size: (self.bg.width(), self.bg.height()),
            scale: self.style.scale,
            dark: self.style.dark,
        }
    }

    /// Whether the background was drawn for other settings than these (or not at all).
    fn background_out_of_date(&self) -> bool {
        self.background.as_ref() != Some(&self.background_key())
    }

    /// Draws the background (field, heatmap, contours, axes, colour bar) from a coarse field or
    /// the full one, and records what it was drawn for.
    fn draw_background(&mut self, coarse: bool) -> Result<(), JsError> {
        // The frame first (a function of the canvas's size), then the field over its view.
        let size = (self.bg.width(), self.bg.height());
        let grid = if coarse {
            render::COARSE_GRID
        } else {
            render::full_grid(self.surface())
        };
        let (frame, field, levels) = render::background_at(self.surface(), size, &self.style, grid);
        self.background = Some(self.background_key());
        self.background_coarse = coarse;
        // Plotters' transparent fill paints nothing: clear explicitly, or old labels remain.
        let ctx = context(&self.bg)?;
        ctx.clear_rect(0.0, 0.0, self.bg.width() as f64, self.bg.height() as f64);
        let backend = Canvas::with_canvas_object(self.bg.clone())
            .ok_or_else(|| err("cannot draw on the background canvas"))?;
        let root = backend.into_drawing_area();
        let frame = render::draw_axes(
            &root,
            frame.view,
            self.surface().axis_names(),
            &levels.scale,
            field.has_undefined(),
            &self.style,
        )
        .map_err(err)?;
        root.present().map_err(err)?;
        self.frame = Some(frame);

        let (w, h) = (frame.width as usize, frame.height as usize);
        if w > 0 && h > 0 {
            self.draw_heatmap(&ctx, &frame, &field, &levels, coarse, (w, h))?;
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

    /// The heatmap of `field` on the plot (`w` × `h` pixels): on the background a pixel per
    /// pixel; for a coarse background, when the page handed a heat layer
    /// ([`Visualizer::attach_heat`]), an image with one pixel per k × k of the plot's
    /// ([`render::coarse_heatmap_size`]) on that layer, which the page's CSS places over the
    /// plot and the compositor scales up, smoothed: a surface parameter's drag then costs a
    /// sixteenth of the per-pixel work and no scaling on the main thread. The background's plot
    /// area is left clear above it; the full heatmap hides the layer again.
    fn draw_heatmap(
        &self,
        ctx: &CanvasRenderingContext2d,
        frame: &Frame,
        field: &Field,
        levels: &Levels,
        coarse: bool,
        (w, h): (usize, usize),
    ) -> Result<(), JsError> {
        let image = |rgba: &[u8], w: usize, h: usize| {
            ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), w as u32, h as u32)
                .map_err(|_| err("cannot make the heatmap image"))
        };
        let heat = match &self.heat {
            Some(heat) if coarse => heat,
            _ => {
                if let Some(heat) = self.heat.as_ref().filter(|h| !h.hidden()) {
                    heat.set_hidden(true);
                }
                let rgba = render::heatmap_rgba(field, &levels.scale, w, h, self.style.scale);
                return ctx
                    .put_image_data(&image(&rgba, w, h)?, frame.left, frame.top)
                    .map_err(|_| err("cannot draw the heatmap"));
            }
        };
        let (k, iw, ih) = render::coarse_heatmap_size(w, h);
        let rgba = render::heatmap_rgba(field, &levels.scale, iw, ih, self.style.scale / k as f64);
        if (heat.width(), heat.height()) != (iw as u32, ih as u32) {
            heat.set_width(iw as u32);
            heat.set_height(ih as u32);
        }
        context(heat)?
            .put_image_data(&image(&rgba, iw, ih)?, 0.0, 0.0)
            .map_err(|_| err("cannot draw the heatmap"))?;
        // Where the plot is, in CSS pixels of the plot box.
        let css = |px: f64| format!("{}px", px / self.style.scale);
        let style = heat.style();
        for (key, px) in [
            ("left", frame.left),
            ("top", frame.top),
            ("width", w as f64),
            ("height", h as f64),
        ] {
            style
                .set_property(key, &css(px))
                .map_err(|_| err("cannot place the heatmap"))?;
        }
        // Only when it changes: setting an attribute, even to its value, costs style work.
        if heat.hidden() {
            heat.set_hidden(false);
        }
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
        for m in self.surface().minima() {
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
        for (i, t) in self.trajectories().enumerate() {
            let (x, y) = frame.to_px(t.points[self.current.min(t.steps())]);
            if render::under_a_mark((x, y), marks, s) {
                ctx.begin_path();
                let _ = ctx.arc(x, y, render::RING_AROUND * s, 0.0, std::f64::consts::TAU);
                for (colour, width) in [(look::HALO, 2.0), (render::run_colour(i), 1.0)] {
                    ctx.set_stroke_style_str(colour);
                    ctx.set_line_width(width * render::RING_AROUND_WIDTH * s);
                    ctx.stroke();
                }
            }
        }
    }

    fn draw_overlay(&mut self) -> Result<(), JsError> {
        let ctx = self.overlay_ctx.clone();
        let (w, h) = (self.overlay.width() as f64, self.overlay.height() as f64);
        ctx.clear_rect(0.0, 0.0, w, h);
        let Some(frame) = self.frame else {
            return Ok(());
        };
        // The arrows' font, set outside the save and restore below so that it stays in force
        // from one redraw to the next (setting a canvas's font costs a parse each time).
        self.overlay_font(&ctx, self.arrow_font());
        ctx.save();
        ctx.begin_path();
        ctx.rect(frame.left, frame.top, frame.width, frame.height);
        ctx.clip();
        ctx.set_line_join("round");
        ctx.set_line_cap("round");
        // The selected run (the one the readouts describe) last, on top of the others.
        let selected = self.opts.selected().min(self.computed().runs.len() - 1);
        for i in 0..self.computed().runs.len() {
            if i != selected {
                self.draw_path(&ctx, &frame, i)?;
            }
        }
        let path = self.draw_path(&ctx, &frame, selected)?;
        // Where the minima and the start are: the arrows' labels keep off them.
        let mut marks: Vec<(f64, f64)> = Vec::new();
        for m in self.surface().minima() {
            marks.push(frame.to_px(m.at));
        }
        marks.push(frame.to_px(self.traj().points[0]));
        self.draw_arrows(&ctx, &frame, &path.runs, &marks);
        self.draw_marks(&ctx, &frame, &marks);
        ctx.restore();
        let t = self.traj();
        if let (Status::Diverged { step }, true) = (t.status, self.current >= t.steps()) {
            self.draw_divergence_label(&ctx, &frame, step);
        }
        self.draw_loss()?;
        self.draw_rates()
    }

    /// The learning-rate strip, when some run follows a schedule and the runs changed since it
    /// was drawn: every run's rate per step in its colour, the selected one last, over the
    /// selected run's stability threshold along its path (grey). What is below the rates is
    /// redrawn only when the axes or the threshold's pixels change (a slider drag mostly keeps
    /// the axes, and on a quadratic f the threshold too: see `render::rates`); the rates, plain
    /// polylines without text, every time.
    fn draw_rates(&self) -> Result<(), JsError> {
        let Some(canvas) = &self.rates_canvas else {
            return Ok(());
        };
        if self.rates_drawn.get() || !self.has_schedule() {
            return Ok(());
        }
        self.rates_drawn.set(true);
        let selected = self.opts.selected();
        let trajectories: Vec<&Trajectory> = self.trajectories().collect();
        let order: Vec<usize> = (0..trajectories.len())
            .filter(|&i| i != selected)
            .chain(std::iter::once(selected))
            .filter(|&i| i < trajectories.len())
            .collect();
        // Point by point, as the loss chart: at point k the rate of the step that leaves it (at
        // the last point, the rate that led there), against the threshold there.
        let by_point = |t: &Trajectory| {
            let mut r = t.lrs.clone();
            r.extend(t.lrs.last().copied());
            r
        };
        let rates: Vec<Vec<f64>> = order.iter().map(|&i| by_point(trajectories[i])).collect();
        let slices: Vec<&[f64]> = rates.iter().map(Vec::as_slice).collect();
        let t = self.traj();
        let run = self.opts.run();
        let threshold =
            teach::thresholds_along(self.surface(), &t.points, run.optimizer, &run.hyper);
        let size = (canvas.width(), canvas.height());
        let chart = render::RatesChart::new(&slices, &threshold, size, &self.style);
        let ctx = context(canvas)?;
        ctx.clear_rect(0.0, 0.0, size.0 as f64, size.1 as f64);
        let Some(chart) = chart else {
            if let Some(below) = &self.rates_below_canvas {
                context(below)?.clear_rect(0.0, 0.0, below.width() as f64, below.height() as f64);
            }
            self.rates_below.replace(None);
            return Ok(());
        };
        match &self.rates_below_canvas {
            Some(below) => self.draw_rates_below(below, &chart)?,
            // Without a canvas of its own, what is below is drawn every time, on the strip's.
            None => {
                draw_rates_axes(canvas, &chart, &self.style)?;
                draw_threshold(&ctx, &chart, &self.style);
            }
        }
        let width = render::RatesChart::line_width(&self.style) as f64;
        for (&i, r) in order.iter().zip(&rates) {
            stroke(&ctx, float(&chart.line(r)), render::run_colour(i), width);
        }
        Ok(())
    }

    /// The layer below the strip's rates, unless it already shows `chart`'s axes and threshold:
    /// the axes (drawn on the scratch canvas only when they change) copied, then the threshold.
    fn draw_rates_below(
        &self,
        below: &HtmlCanvasElement,
        chart: &render::RatesChart,
    ) -> Result<(), JsError> {
        let key: RatesBelow = (chart.key().clone(), chart.threshold().to_vec());
        if self.rates_below.borrow().as_ref() == Some(&key) {
            return Ok(());
        }
        let Some(scratch) = &self.rates_scratch else {
            return Err(err("the learning-rate strip has no scratch canvas"));
        };
        if self.rates_axes.borrow().as_ref() != Some(chart.key()) {
            // Sizing clears it, even to the same size.
            scratch.set_width(below.width());
            scratch.set_height(below.height());
            draw_rates_axes(scratch, chart, &self.style)?;
            self.rates_axes.replace(Some(chart.key().clone()));
        }
        let ctx = context(below)?;
        ctx.clear_rect(0.0, 0.0, below.width() as f64, below.height() as f64);
        ctx.draw_image_with_html_canvas_element(scratch, 0.0, 0.0)
            .map_err(|_| err("cannot copy the learning-rate strip's axes"))?;
        draw_threshold(&ctx, chart, &self.style);
        self.rates_below.replace(Some(key));
        Ok(())
    }

    /// One run's path up to the step shown: a white halo under a coloured line, a dot per step
    /// (merged where steps pile up) and the current point as a large dot. Returns the path in
    /// pixels.
    /// Run `i`'s whole path in pixels on `frame`, computed once per runs and frame (scrubbing
    /// and playback cut it at the step shown instead of going over the points again).
    fn path_pixels(&self, frame: &Frame, i: usize) -> std::rc::Rc<render::PathPixels> {
        let mut cache = self.paths.borrow_mut();
        if cache.0 != Some(*frame) {
            *cache = (Some(*frame), Vec::new());
        }
        if let Some(Some(p)) = cache.1.get(i) {
            return p.clone();
        }
        let t = &self.computed().runs[i].trajectory;
        let spacing = look::DOT_SPACING * self.style.scale;
        let px = std::rc::Rc::new(render::trajectory_pixels(
            &t.points,
            usize::MAX,
            frame,
            spacing,
        ));
        if cache.1.len() <= i {
            cache.1.resize(i + 1, None);
        }
        cache.1[i] = Some(px.clone());
        px
    }

    /// Run `i`'s path up to the step shown: a white halo under a coloured line, a dot per step
    /// (merged where steps pile up) and the point shown as a large dot; each as one canvas path.
    fn draw_path(
        &self,
        ctx: &CanvasRenderingContext2d,
        frame: &Frame,
        i: usize,
    ) -> Result<render::PathPixels, JsError> {
        let s = self.style.scale;
        let t = &self.computed().runs[i].trajectory;
        let colour = render::run_colour(i);
        let k = self.current.min(t.steps());
        let px = self.path_pixels(frame, i).upto(k);
        let bad = |_| err("cannot make the path");
        let line = Path2d::new_with_path_string(&px.line_path()).map_err(bad)?;
        ctx.set_stroke_style_str(look::HALO);
        ctx.set_line_width(look::HALO_WIDTH * s);
        ctx.stroke_with_path(&line);
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(look::LINE_WIDTH * s);
        ctx.stroke_with_path(&line);
        let dots = px.dots_path(|j| frame.to_px(t.points[j]), look::DOT_RADIUS * s);
        ctx.set_fill_style_str(colour);
        ctx.fill_with_path_2d(&Path2d::new_with_path_string(&dots).map_err(bad)?);
        let (cx, cy) = frame.to_px(t.points[k]);
        ctx.begin_path();
        let _ = ctx.arc(cx, cy, look::CURRENT_RADIUS * s, 0.0, std::f64::consts::TAU);
        ctx.set_fill_style_str(colour);
        ctx.fill();
        ctx.set_stroke_style_str("#ffffff");
        ctx.set_line_width(look::RING_WIDTH * s);
        ctx.stroke();
        Ok(px)
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
        let first = self.opts.run();
        let update = render::arrows::Update {
            at: d.before,
            after: d.after,
            full_gradient: self.surface().gradient(d.before),
            batch_gradient: d.gradient,
            lr: first.hyper.lr,
            kind: first.optimizer,
            momentum: first.hyper.momentum,
        };
        let s = self.style.scale;
        // The font is the arrows' already (`draw_overlay`).
        let measure = |t: &str| self.label_width(ctx, t);
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

    /// Sets the overlay's font to `font` unless it is in force already: the browser parses a
    /// font string each time one is set, even the same one, and the overlay is redrawn on
    /// every change of a drag.
    fn overlay_font(&self, ctx: &CanvasRenderingContext2d, font: String) {
        let mut current = self.overlay_font.borrow_mut();
        if current.as_deref() != Some(font.as_str()) {
            ctx.set_font(&font);
            *current = Some(font);
            self.label_widths.borrow_mut().clear();
        }
    }

    /// The width of label `text` in the overlay's font: measured once, then remembered until
    /// the font changes (a drag redraws the same few labels on every change, and each measure
    /// shapes the text again). At most [`LABEL_WIDTHS`] are kept.
    fn label_width(&self, ctx: &CanvasRenderingContext2d, text: &str) -> f64 {
        let mut known = self.label_widths.borrow_mut();
        if let Some((_, w)) = known.iter().find(|(t, _)| t == text) {
            return *w;
        }
        let w = ctx
            .measure_text(text)
            .map(|m| m.width())
            .unwrap_or(f64::NAN);
        if known.len() >= LABEL_WIDTHS {
            known.clear();
        }
        known.push((text.to_string(), w));
        w
    }

    /// The font of the arrows' labels at the canvas's scale.
    fn arrow_font(&self) -> String {
        format!(
            "600 {}px sans-serif",
            (render::arrows::LABEL_FONT * self.style.scale).round()
        )
    }

    /// A label where a diverging path leaves the plot.
    fn draw_divergence_label(&self, ctx: &CanvasRenderingContext2d, frame: &Frame, step: usize) {
        let s = self.style.scale;
        self.overlay_font(
            ctx,
            format!("bold {}px sans-serif", (look::DIVERGED_FONT * s).round()),
        );
        let measure = |t: &str| ctx.measure_text(t).map(|m| m.width()).unwrap_or(120.0 * s);
        let label = render::divergence_label(frame, self.traj().last(), step, measure, s);
        ctx.set_fill_style_str(look::DIVERGED_FILL);
        let (x, y, w, h) = label.rect;
        ctx.fill_rect(x, y, w, h);
        ctx.set_fill_style_str("#ffffff");
        ctx.set_text_baseline("middle");
        let _ = ctx.fill_text(&label.text, label.x, label.y);
    }

    /// The loss chart: its axes on the axes canvas only when they change (a slider drag mostly
    /// keeps them: see `render::loss`), then every run's line on the chart canvas above them,
    /// the selected run last, each as one path.
    fn draw_loss(&mut self) -> Result<(), JsError> {
        let ctx = self.loss_ctx.clone();
        let (w, h) = (self.loss.width(), self.loss.height());
        ctx.clear_rect(0.0, 0.0, w as f64, h as f64);
        let f_star = self
            .surface()
            .minima()
            .iter()
            .filter(|m| m.global)
            .map(|m| m.value)
            .fold(None, |a: Option<f64>, v| Some(a.map_or(v, |a| a.min(v))));
        let series: Vec<&[f64]> = self.trajectories().map(|t| t.losses.as_slice()).collect();
        // The chart and its lines depend on the runs and the canvas, not on the step shown:
        // computed once per runs (a 100 000-step race's losses are not gone over per frame).
        let fresh = {
            let cached = self.loss_chart.borrow();
            !matches!(&*cached, Some((c, _)) if c.fits((w, h), &self.style))
        };
        if fresh {
            let chart = render::LossChart::new(&series, f_star, (w, h), &self.style);
            let lines = chart
                .as_ref()
                .map(|c| series.iter().map(|l| c.line(l)).collect())
                .unwrap_or_default();
            self.loss_chart.replace(chart.map(|c| (c, lines)));
            if self.loss_lines_at.get() == LinesAt::Layer {
                self.loss_lines_at.set(LinesAt::Stale);
            }
        }
        let cached = self.loss_chart.borrow();
        let chart = cached.as_ref().map(|(c, _)| c);
        let key = chart.map(|c| c.key.clone());
        if key != self.loss_axes {
            let axes = self.loss_axes_canvas.as_ref().unwrap_or(&self.loss);
            let actx = context(axes)?;
            actx.clear_rect(0.0, 0.0, axes.width() as f64, axes.height() as f64);
            if let Some(c) = chart {
                let backend = Canvas::with_canvas_object(axes.clone())
                    .ok_or_else(|| err("cannot draw on the loss chart's canvas"))?;
                let root = backend.into_drawing_area();
                c.draw_axes(&root, &self.style).map_err(err)?;
                root.present().map_err(err)?;
            }
        }
        // Without a canvas of their own the axes are redrawn every time.
        let drawn = if self.loss_axes_canvas.is_some() {
            key
        } else {
            None
        };
        let Some((chart, lines)) = cached.as_ref() else {
            drop(cached);
            self.loss_axes = drawn;
            if let (Some(canvas), LinesAt::Layer | LinesAt::Stale) =
                (&self.loss_lines_canvas, self.loss_lines_at.get())
            {
                clear(canvas)?;
            }
            self.loss_lines_at.set(LinesAt::Top);
            return Ok(());
        };
        let s = self.style.scale;
        let selected = self.opts.selected();
        let order: Vec<usize> = (0..series.len())
            .filter(|&i| i != selected)
            .chain(std::iter::once(selected))
            .collect();
        // New lines (a slider change) go on the chart's canvas with the marks, one canvas to
        // draw; the first redraw that keeps them (a scrub) moves them to the layer below, and
        // from then on only the marks are redrawn.
        let at = match (&self.loss_lines_canvas, fresh, self.loss_lines_at.get()) {
            (_, _, LinesAt::Layer) => LinesAt::Layer,
            (Some(layer), false, LinesAt::Top) => {
                draw_loss_lines(&context(layer)?, chart.rect, &order, lines, s);
                LinesAt::Layer
            }
            (layer, _, at) => {
                if let (Some(layer), LinesAt::Stale) = (layer, at) {
                    clear(layer)?;
                }
                draw_loss_lines(&ctx, chart.rect, &order, lines, s);
                LinesAt::Top
            }
        };
        self.loss_lines_at.set(at);
        clip_to(&ctx, chart.rect);
        for &i in &order {
            let Some(losses) = series.get(i) else {
                continue;
            };
            if let Some(marker) = chart.marker(losses, self.current) {
                ctx.begin_path();
                let _ = ctx.arc(marker.0, marker.1, 3.5 * s, 0.0, std::f64::consts::TAU);
                ctx.set_fill_style_str(render::run_colour(i));
                ctx.fill();
            }
        }
        ctx.restore();
        drop(cached);
        self.loss_axes = drawn;
        Ok(())
    }
}

/// Clips `ctx` to the loss chart's plot `rect` (left, top, width, height), after a `save`.
fn clip_to(ctx: &CanvasRenderingContext2d, (left, top, width, height): (f64, f64, f64, f64)) {
    ctx.save();
    ctx.begin_path();
    ctx.rect(left, top, width + 1.0, height + 1.0);
    ctx.clip();
    ctx.set_line_join("round");
}

/// The loss chart's `lines` in `order` (the selected run's last), `1.5 × scale` wide.
fn draw_loss_lines(
    ctx: &CanvasRenderingContext2d,
    rect: (f64, f64, f64, f64),
    order: &[usize],
    lines: &[Vec<(f64, f64)>],
    scale: f64,
) {
    clip_to(ctx, rect);
    for &i in order {
        if let Some(points) = lines.get(i) {
            stroke(
                ctx,
                points.iter().copied(),
                render::run_colour(i),
                1.5 * scale,
            );
        }
    }
    ctx.restore();
}

/// Clears the whole of `canvas`.
fn clear(canvas: &HtmlCanvasElement) -> Result<(), JsError> {
    context(canvas)?.clear_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
    Ok(())
}

/// Where the loss chart's lines are: on the chart's own canvas under the marks, or alone on the
/// layer below it (which then shows the lines of the runs as they are), or on the layer still
/// but of runs since changed (to be cleared).
#[derive(Clone, Copy, PartialEq, Eq)]
enum LinesAt {
    Top,
    Layer,
    Stale,
}

/// Checkpoints for a new first run, starting with its end (`None` if it diverged).
fn first_checkpoints(end: Option<End>) -> Checkpoints {
    let mut c = Checkpoints::new(Checkpoints::EVERY);
    if let Some(end) = end {
        c.keep(end);
    }
    c
}

/// The learning-rate strip's axes (frame, grid, tick labels, names) on `canvas`, through plotters.
fn draw_rates_axes(
    canvas: &HtmlCanvasElement,
    chart: &render::RatesChart,
    style: &Style,
) -> Result<(), JsError> {
    let backend = Canvas::with_canvas_object(canvas.clone())
        .ok_or_else(|| err("cannot draw on the learning-rate strip"))?;
    let root = backend.into_drawing_area();
    chart.draw_axes(&root, style).map_err(err)?;
    root.present().map_err(err)
}

/// The selected run's threshold on the strip, grey and wide: each stretch where it is drawn.
fn draw_threshold(ctx: &CanvasRenderingContext2d, chart: &render::RatesChart, style: &Style) {
    // The colour as plotters writes it, so the strip is what it drew in one canvas before.
    let grey = render::RatesChart::threshold_colour(style);
    let grey = format!("rgba({},{},{},{})", grey.0, grey.1, grey.2, grey.3);
    let width = render::RatesChart::threshold_width(style) as f64;
    for stretch in chart.threshold() {
        stroke(ctx, float(stretch), &grey, width);
    }
}

/// A polyline in whole pixels as canvas coordinates.
fn float(line: &[(i32, i32)]) -> impl Iterator<Item = (f64, f64)> + '_ {
    line.iter().map(|&(x, y)| (x as f64, y as f64))
}

/// Strokes the polyline through `points` in `colour` (`#rrggbb`), `width` device pixels wide,
/// as one path (the loss chart's lines and the rate strip's).
fn stroke(
    ctx: &CanvasRenderingContext2d,
    mut points: impl Iterator<Item = (f64, f64)>,
    colour: &str,
    width: f64,
) {
    ctx.begin_path();
    if let Some((x, y)) = points.next() {
        ctx.move_to(x, y);
    }
    for (x, y) in points {
        ctx.line_to(x, y);
    }
    ctx.set_stroke_style_str(colour);
    ctx.set_line_width(width);
    ctx.stroke();
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

/// A label of the arrows in its box (left, top, width, height), in `colour` over a white halo,
/// in the font the arrows' labels were measured in (set by the caller: setting a canvas's font
/// parses it, and was a fifth of a slider change's script).
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
            let d = Hyper::defaults(k);
            set(&o, "rule", k.rule(&d));
            set(&o, "group", k.group());
            set(&o, "fullBatch", k.evaluates_f());
            let hypers: Array = k
                .hypers()
                .iter()
                .map(|&h| {
                    let q = Object::new();
                    set(&q, "name", h.name());
                    set(&q, "symbol", h.symbol());
                    set(&q, "default", hyper_js(d.get(h)));
                    set(&q, "label", h.label());
                    set(&q, "advanced", h.advanced());
                    set(
                        &q,
                        "kind",
                        match h.kind() {
                            HyperKind::Number => "number",
                            HyperKind::Pair => "pair",
                            HyperKind::Flag => "flag",
                            HyperKind::Choice => "choice",
                        },
                    );
                    if h.kind() == HyperKind::Choice {
                        let names: Array =
                            h.choices().iter().map(|c| JsValue::from_str(c)).collect();
                        set(&q, "choices", names);
                    }
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
    let schedules: Array = crate::schedule::TITLES
        .iter()
        .map(|(name, title)| {
            let q = Object::new();
            set(&q, "name", *name);
            set(&q, "title", *title);
            JsValue::from(q)
        })
        .collect();
    set(&o, "schedules", schedules);
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

/// The lessons: `[{id, title, text, options, choices, exercise, opens}]`, `options` being what
/// `set()` takes (the state a lesson loads over the defaults), `opens` the Network mode view it
/// opens (`landscape`, `ends`, `sharpness` or empty). `text` is empty for Network mode's
/// lessons: the second module's `lessonText(id)` has theirs.
#[wasm_bindgen]
pub fn lessons() -> Array {
    crate::lessons::lessons()
        .iter()
        .map(|l| {
            let o = Object::new();
            set(&o, "id", l.id);
            set(&o, "title", l.title);
            set(&o, "text", l.full_text());
            set(&o, "options", query_object(l.options));
            let choices: Array = l
                .choices
                .iter()
                .map(|c| {
                    let e = Object::new();
                    set(&e, "label", c.label);
                    set(&e, "options", query_object(c.options));
                    JsValue::from(e)
                })
                .collect();
            set(&o, "choices", choices);
            set(&o, "exercise", l.exercise.is_some());
            set(&o, "opens", l.opens);
            JsValue::from(o)
        })
        .collect()
}

/// A link's query as a `set()` options object: numbers as numbers, `x,y` pairs as arrays, run
/// lists as arrays of objects, the rest as text.
fn query_object(query: &str) -> Object {
    fn scalar(key: &str, v: &str) -> JsValue {
        match v.parse::<f64>() {
            Ok(n) if key != "expr" => JsValue::from(n),
            _ => JsValue::from_str(v),
        }
    }
    let o = Object::new();
    for (k, v) in crate::share::parse_query(query) {
        let value = match k.as_str() {
            "runs" | "race" => match crate::options::parse_entries(&k, &v) {
                Ok(entries) => entries
                    .iter()
                    .map(|e| {
                        let r = Object::new();
                        for (ek, ev) in e {
                            if let Value::Str(t) = ev {
                                set(&r, ek, scalar(ek, t));
                            }
                        }
                        JsValue::from(r)
                    })
                    .collect::<Array>()
                    .into(),
                Err(_) => JsValue::from_str(&v),
            },
            "start" | "xrange" | "yrange" => match v.split_once(',') {
                Some((a, b)) => match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
                    (Ok(a), Ok(b)) => pair([a, b]).into(),
                    _ => JsValue::from_str(&v),
                },
                None => JsValue::from_str(&v),
            },
            _ => scalar(&k, &v),
        };
        set(&o, &k, value);
    }
    o
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

    /// Marching squares at every level of `levels` (as the page draws them:
    /// `contour::all_segments`); the number of segments found.
    pub fn segments(&self, levels: &[f64]) -> usize {
        crate::contour::all_segments(&self.0, levels)
            .iter()
            .map(Vec::len)
            .sum()
    }
}
