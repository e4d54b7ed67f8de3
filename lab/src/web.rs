//! The module's bindings: `NetworkView` (Network mode of one page instance: its three canvases
//! and the run its options describe) and `code()` (the selected run as a script).
//!
//! Nothing here owns the page's state: each call is handed the state as a link query
//! (`Visualizer.stateQuery()`), parsed by the core as any link is.

use gdviz::contour::Levels;
use gdviz::format::short;
use gdviz::landview::{self, Honesty};
use gdviz::measured::{Font, Measured, Typesetter};
use gdviz::netview::{self, Curves, Series};
use gdviz::network::{PlaneKind, Task};
use gdviz::options::{hidden_text, Options};
use gdviz::render::Style;
use gdviz::sharpview;
use gdviz::variant::{self, Variant};
use js_sys::{Function, Object, Reflect};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, Path2d};

use crate::landrun::{self, LandRun, Phase};
use crate::netrun::{NetRun, RunKey};
use crate::sharprun::SharpRun;

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

/// The text of Network mode's lesson `id` (the first module lists these lessons without it,
/// see `gdviz::netlessons`), or `undefined` for any other id.
#[wasm_bindgen(js_name = lessonText)]
pub fn lesson_text(id: &str) -> Option<String> {
    gdviz::netlessons::text(id).map(str::to_string)
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

/// Puts the pixels `rgba(width, height)` makes (RGBA rows from the top) into `frame`'s plot
/// rectangle on `c` (nothing for an empty rectangle).
fn put_pixels(
    c: &HtmlCanvasElement,
    frame: &gdviz::render::Frame,
    rgba: impl FnOnce(usize, usize) -> Vec<u8>,
) -> Result<(), JsError> {
    let (w, h) = (frame.width as u32, frame.height as u32);
    if w == 0 || h == 0 {
        return Ok(());
    }
    let pixels = rgba(w as usize, h as usize);
    let image =
        web_sys::ImageData::new_with_u8_clamped_array_and_sh(wasm_bindgen::Clamped(&pixels), w, h)
            .map_err(|_| err("cannot make an image of the pixels"))?;
    context(c)?
        .put_image_data(&image, frame.left, frame.top)
        .map_err(|_| err("cannot draw the pixels"))
}

/// `v` as a percentage, to a tenth.
fn percent(v: f64) -> String {
    format!("{}%", gdviz::format::fixed(v * 100.0, 1))
}

/// The landscape's work per animation frame: losses are computed this many at a time between
/// looks at the clock (about 40 µs each for the default network).
const LAND_POINTS: usize = 8;

/// The sharpness's work between looks at the clock: this many examples' share of a
/// Hessian-vector product (about 0.5 ms on the default network in wasm, 4 ms on the largest).
const SHARP_EXAMPLES: usize = 16;

/// Network mode of one instance: the boundary, curves and diagram canvases (and the
/// landscape's two), the options last handed over, and the runs they describe (a race of up to
/// four from the same weights; a changed run starts again at once, the others keep what they
/// trained). The curves show every run; the other views show the selected one.
#[wasm_bindgen]
pub struct NetworkView {
    /// The canvases, in the order of the constants below ([`BOUNDARY`] …), which `resize` is
    /// handed their sizes in.
    canvases: [HtmlCanvasElement; 7],
    opts: Options,
    style: Style,
    /// The race, in the runs' order (empty when a run cannot train).
    runs: Vec<NetRun>,
    /// Runs set aside while another cannot start (a setting it refuses), reused by key once
    /// the race can train again, so an unchanged run keeps its steps.
    spare: Vec<NetRun>,
    /// The run the boundary, diagram, update panel, landscape and sharpness show.
    selected: usize,
    /// Why the settings in force cannot train (e.g. a batch larger than the training set).
    error: Option<String>,
    /// The step shown; `None` follows the last step trained.
    current: Option<usize>,
    /// The settings that last failed to start (not retried until they change).
    failed: Option<Vec<RunKey>>,
    /// The run the landscape and the sharpness were measured on, by [`NetRun::id`] (two runs
    /// of a race can have the same settings, so settings do not tell them apart): they are
    /// dropped when the selected run is another.
    measured: Option<u64>,
    /// The run the ends plane goes through (the one chosen, else the next after the selected), by id: a landscape
    /// over the ends plane is dropped when it changes.
    partner: Option<u64>,
    /// The id the next run started gets.
    next_id: u64,
    /// When the views were last drawn (`performance.now()`, ms).
    drawn_at: f64,
    /// The landscape: whether it is shown, over which plane, and its computation for the run
    /// held (dropped with the run), or why it has none.
    land: Landscape,
    /// The sharpness chart: whether it is shown, and its measurements of the run held.
    sharp: SharpView,
}

/// Each canvas's place in [`NetworkView::canvases`]: the decision boundary, the curves, the
/// network diagram, the landscape, its honesty chart, the sharpness chart, and the loss along
/// a straight line (θ₀ to θ_T, or between two runs' ends).
const BOUNDARY: usize = 0;
const CURVES: usize = 1;
const DIAGRAM: usize = 2;
const LANDSCAPE: usize = 3;
const HONESTY: usize = 4;
const SHARPNESS: usize = 5;
const LINE: usize = 6;

/// The sharpness of the selected run, as far as measured.
struct SharpView {
    open: bool,
    run: Option<SharpRun>,
    /// Newer measurements than the chart drawn.
    dirty: bool,
    /// The longest frame's measuring (ms).
    longest_chunk: f64,
}

impl SharpView {
    /// Whether frames are still needed for it.
    fn pending(&self) -> bool {
        self.open && (self.dirty || self.run.as_ref().is_none_or(|r| !r.done()))
    }
}

/// The landscape of the selected run, as far as computed.
struct Landscape {
    open: bool,
    kind: PlaneKind,
    /// The run (0-based) the ends plane goes through, as chosen (`ends:N`); the next run's end
    /// when none, or when it names the selected run or one the race does not have.
    with: Option<usize>,
    run: Option<LandRun>,
    error: Option<String>,
    /// A picture newer than the one drawn is ready (drawn on the next frame, which then
    /// computes nothing).
    dirty: bool,
    /// The longest frame's computing and drawing (ms), for the state.
    longest_chunk: f64,
    longest_draw: f64,
    /// The last picture's drawing (ms): the landscape, then the honesty chart.
    last_draw: [f64; 2],
    /// The plane's own computing (PCA, the projections), ms.
    plane_ms: f64,
    /// The most losses one frame computed (a bound: whole calls of [`LAND_POINTS`]).
    longest_points: usize,
    /// The phase whose chunk took longest (`Plane` for the plane's own).
    longest_phase: String,
    /// The chunks of work so far, and how many of them took over 16 ms.
    chunks: [usize; 2],
}

impl Landscape {
    /// Forgets the computation (a new run, or another plane).
    fn reset(&mut self) {
        self.run = None;
        self.error = None;
        self.dirty = false;
        self.longest_chunk = 0.0;
        self.longest_draw = 0.0;
        self.last_draw = [0.0; 2];
        self.plane_ms = 0.0;
        self.longest_points = 0;
        self.longest_phase.clear();
        self.chunks = [0, 0];
    }

    /// Whether frames are still needed for it.
    fn pending(&self) -> bool {
        self.open
            && self.error.is_none()
            && (self.dirty || self.run.as_ref().is_none_or(|l| l.phase() != Phase::Done))
    }
}

impl NetworkView {
    /// Makes the held runs the ones the options describe: a run whose settings are unchanged
    /// keeps what it trained (wherever it now stands in the race), another starts at step 0.
    /// Returns whether anything shown changed (the runs or the selection).
    fn sync_run(&mut self) -> bool {
        let keys: Vec<RunKey> = (0..self.opts.runs().len())
            .map(|i| RunKey::of_run(&self.opts, i))
            .collect();
        let selected = self.opts.selected();
        let same =
            self.runs.len() == keys.len() && self.runs.iter().zip(&keys).all(|(r, k)| r.key == *k);
        let failed_again = self.runs.is_empty() && self.failed.as_ref() == Some(&keys);
        let changed = !same && !failed_again;
        if changed {
            self.rebuild(&keys);
        }
        let moved = self.selected != selected;
        self.selected = selected;
        // The landscape and the sharpness belong to the selected run.
        let id = self.runs.get(self.selected).map(|r| r.id);
        if id != self.measured {
            self.measured = id;
            self.land.reset();
            self.sharp.run = None;
            self.sharp.dirty = false;
            self.sharp.longest_chunk = 0.0;
        }
        let partner = self.partner().map(|(_, r)| r.id);
        if partner != self.partner {
            self.partner = partner;
            if self.land.kind == PlaneKind::Ends {
                self.land.reset();
            }
        }
        changed || moved
    }

    /// Makes the race the runs of `keys`: each reuses a held (or set-aside) run of the same
    /// key, else starts at step 0; if one cannot start, nothing trains, the error names it,
    /// and every run that did start is set aside for the next try.
    fn rebuild(&mut self, keys: &[RunKey]) {
        // The runs held, and those set aside when a run could not start, to reuse by key.
        let mut old: Vec<Option<NetRun>> = std::mem::take(&mut self.runs)
            .into_iter()
            .chain(std::mem::take(&mut self.spare))
            .map(Some)
            .collect();
        let mut runs = Vec::with_capacity(keys.len());
        let mut error = None;
        for (i, key) in keys.iter().enumerate() {
            let kept = old
                .iter_mut()
                .find(|r| r.as_ref().is_some_and(|r| r.key == *key))
                .and_then(Option::take);
            let started = kept.map_or_else(
                || {
                    NetRun::start(key.clone()).map(|mut run| {
                        self.next_id += 1;
                        run.id = self.next_id;
                        run
                    })
                },
                Ok,
            );
            match started {
                Ok(run) => runs.push(run),
                Err(e) => {
                    error = Some(if keys.len() > 1 {
                        format!("run {}: {e}", i + 1)
                    } else {
                        e.to_string()
                    });
                    break;
                }
            }
        }
        self.current = None;
        match error {
            Some(e) => {
                // Nothing trains, but every run that did start is kept for the next try.
                self.spare = runs.into_iter().chain(old.into_iter().flatten()).collect();
                self.error = Some(e);
                self.failed = Some(keys.to_vec());
            }
            None => {
                self.runs = runs;
                self.error = None;
                self.failed = None;
            }
        }
    }

    /// The run the ends plane goes through ([`landrun::partner`]).
    fn partner(&self) -> landrun::Partner<'_> {
        landrun::partner(&self.runs, self.selected, self.land.with)
    }

    /// The selected run.
    fn run(&self) -> Option<&NetRun> {
        self.runs.get(self.selected)
    }

    /// Whether any run of the race is still training.
    fn training(&self) -> bool {
        self.runs.iter().any(|r| !r.trainer.is_over())
    }

    /// The step shown and its θ.
    fn shown(&self) -> Option<(usize, &[f64])> {
        let run = self.run()?;
        Some(run.at(self.current.unwrap_or(usize::MAX)))
    }

    /// Draws the three views at the step shown.
    fn draw_views(&mut self) -> Result<(), JsError> {
        self.drawn_at = now_ms();
        let c = &self.canvases;
        let (boundary, curves, diagram) = (&c[BOUNDARY], &c[CURVES], &c[DIAGRAM]);
        for c in [boundary, curves, diagram] {
            context(c)?.clear_rect(0.0, 0.0, c.width() as f64, c.height() as f64);
        }
        let (Some(run), Some((step, theta))) = (self.run(), self.shown()) else {
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
        put_pixels(boundary, &frame, |w, h| {
            netview::boundary_rgba(&field, data.task, range, w, h, style.dark)
        })?;
        let cfg = &run.key.cfg;
        let batch = variant::batch_at(cfg.variant, data.train.len(), cfg.batch, cfg.seed, step)
            .unwrap_or_default();
        let root = canvas(boundary)?.into_drawing_area();
        netview::draw_examples(&root, &frame, &field, data, &batch, range, style).map_err(err)?;
        root.present().map_err(err)?;
        // The curves: every run's, per step or at the end of each epoch.
        let per_epoch = self.opts.network.per_epoch;
        let every = |r: &NetRun| if per_epoch { r.steps_per_epoch() } else { 1 };
        let series: Vec<Series> = self
            .runs
            .iter()
            .map(|r| match every(r) {
                1 => Series::of(r.trainer.rows()),
                k => Series::per_epoch(r.trainer.rows(), k),
            })
            .collect();
        let span = self
            .runs
            .iter()
            .map(|r| r.key.cfg.steps / every(r))
            .max()
            .unwrap_or(0);
        let root = canvas(curves)?.into_drawing_area();
        netview::draw_curves(
            &root,
            &Curves {
                runs: &series,
                selected: self.selected,
                steps: span,
                x_name: self.opts.network.curves(),
            },
            step / every(run),
            style,
        )
        .map_err(err)?;
        root.present().map_err(err)?;
        // The network.
        let root = canvas(diagram)?.into_drawing_area();
        netview::draw_network(&root, model, theta, style).map_err(err)?;
        root.present().map_err(err)?;
        self.draw_sharpness()?;
        self.draw_landscape()
    }

    /// Draws the sharpness chart at the step shown (nothing before the first measurement).
    fn draw_sharpness(&mut self) -> Result<(), JsError> {
        self.sharp.dirty = false;
        let c = &self.canvases[SHARPNESS];
        context(c)?.clear_rect(0.0, 0.0, c.width() as f64, c.height() as f64);
        let (Some(run), Some(sharp), Some((step, _))) = (self.run(), &self.sharp.run, self.shown())
        else {
            return Ok(());
        };
        if !self.sharp.open || sharp.lambda.is_empty() {
            return Ok(());
        }
        let root = canvas(c)?.into_drawing_area();
        sharpview::draw_sharpness(
            &root,
            &sharp.sharpness(run.trained()),
            (run.key.cfg.optimizer, &run.key.cfg.hyper),
            step,
            &self.style,
        )
        .map_err(err)?;
        root.present().map_err(err)
    }

    /// One frame of measuring the sharpness for about `budget_ms` (at least [`SHARP_EXAMPLES`]
    /// examples' share of a product).
    fn compute_sharpness(&mut self, budget_ms: f64) {
        let started = now_ms();
        let Some(run) = self.runs.get(self.selected) else {
            return;
        };
        let sharp = self.sharp.run.get_or_insert_with(|| SharpRun::start(run));
        let before = sharp.lambda.len();
        while !sharp.step(run, SHARP_EXAMPLES) && now_ms() - started < budget_ms {}
        let spent = now_ms() - started;
        sharp.spent += spent;
        self.sharp.longest_chunk = self.sharp.longest_chunk.max(spent);
        if sharp.lambda.len() != before {
            self.sharp.dirty = true;
        }
    }

    /// Draws the landscape and its honesty chart at the step shown (nothing until the coarse
    /// grid is there; the caption says what is coming).
    fn draw_landscape(&mut self) -> Result<(), JsError> {
        let began = now_ms();
        self.land.dirty = false;
        let c = &self.canvases;
        let (picture, honesty, line) = (&c[LANDSCAPE], &c[HONESTY], &c[LINE]);
        for c in [picture, honesty, line] {
            context(c)?.clear_rect(0.0, 0.0, c.width() as f64, c.height() as f64);
        }
        if !self.land.open {
            return Ok(());
        }
        let (Some(land), Some((step, theta))) = (&self.land.run, self.shown()) else {
            return Ok(());
        };
        let Some(grid) = land.grid() else {
            return Ok(());
        };
        let style = &self.style;
        let field = landview::field(grid);
        let levels = Levels::choose(&field, gdviz::render::LEVELS);
        let other = land.other.map(|o| format!("run {}", o.0 + 1));
        let names = landview::axis_names(land.plane.explained, other.as_deref());
        let root = canvas(picture)?.into_drawing_area();
        let (at, size) = landview::square_area(root.dim_in_pixel(), style);
        let frame = gdviz::render::draw_axes(
            &root.clone().shrink(at, size),
            field.view,
            (&names[0], &names[1]),
            &levels.scale,
            field.has_undefined(),
            style,
        )
        .map_err(err)?;
        root.present().map_err(err)?;
        put_pixels(picture, &frame, |w, h| {
            gdviz::render::heatmap_rgba(&field, &levels.scale, w, h, style.scale)
        })?;
        // The contours, a path per level (as the surfaces' are drawn).
        let d: String = gdviz::render::contour_paths(&field, &levels, &frame).concat();
        let contours = Path2d::new_with_path_string(&d).map_err(|_| err("bad contour path"))?;
        let ctx = context(picture)?;
        ctx.set_stroke_style_str(gdviz::render::look::CONTOUR);
        ctx.set_line_width(style.scale);
        ctx.stroke_with_path(&contours);
        let path: Vec<[f64; 2]> = land.projected.iter().map(|p| [p.0, p.1]).collect();
        let (cx, cy, _) = land.plane.project(theta);
        let root = canvas(picture)?.into_drawing_area();
        // In a race the path is the selected run's colour, the other end (◆) its run's.
        let colour = if self.runs.len() > 1 {
            gdviz::render::run_rgb(self.selected)
        } else {
            landview::PATH
        };
        landview::draw_overlay(&root, &frame, &field, &path, colour, Some([cx, cy]), style)
            .map_err(err)?;
        if let Some((i, (x, y))) = land.other {
            landview::draw_end(&root, &frame, [x, y], gdviz::render::run_rgb(i), style)
                .map_err(err)?;
        }
        root.present().map_err(err)?;
        let drawn = now_ms();
        let distance: Vec<f64> = land.projected.iter().map(|p| p.2).collect();
        let root = canvas(honesty)?.into_drawing_area();
        landview::draw_honesty(
            &root,
            &Honesty {
                steps: &land.steps,
                path_loss: &land.path_loss,
                plane_loss: &land.plane_loss,
                distance: &distance,
            },
            step,
            style,
        )
        .map_err(err)?;
        root.present().map_err(err)?;
        if !land.line.is_empty() {
            let root = canvas(line)?.into_drawing_area();
            landview::draw_line(
                &root,
                &land.alphas[..land.line.len()],
                &land.line,
                land.line_ends(),
                style,
            )
            .map_err(err)?;
            root.present().map_err(err)?;
        }
        let done = now_ms();
        self.land.last_draw = [drawn - began, done - drawn];
        self.land.longest_draw = self.land.longest_draw.max(done - began);
        Ok(())
    }

    /// One frame of the landscape's work for about `budget_ms`: its plane first, then its
    /// losses a few at a time; a new picture is drawn on the next frame.
    fn compute_landscape(&mut self, budget_ms: f64) {
        let started = now_ms();
        let Some(run) = self.runs.get(self.selected) else {
            return;
        };
        let partner = landrun::partner(&self.runs, self.selected, self.land.with);
        let land = &mut self.land;
        let Some(work) = land.run.as_mut() else {
            match LandRun::start(run, land.kind, partner) {
                Ok(l) => land.run = Some(l),
                Err(e) => {
                    land.error = Some(e.message);
                    land.dirty = true;
                }
            }
            let spent = now_ms() - started;
            if let Some(l) = land.run.as_mut() {
                l.spent[0] += spent;
            }
            land.plane_ms = spent;
            if spent > land.longest_chunk {
                land.longest_phase = "Plane".into();
            }
            land.chunks[0] += 1;
            land.chunks[1] += usize::from(spent > 16.0);
            land.longest_chunk = land.longest_chunk.max(spent);
            return;
        };
        let before = work.phase();
        let mut phase = before;
        let mut points = 0;
        while phase != Phase::Done {
            phase = work.step(run, LAND_POINTS);
            points += LAND_POINTS;
            if phase != before || now_ms() - started >= budget_ms {
                break;
            }
        }
        let spent = now_ms() - started;
        work.spent[usize::from(before != Phase::Coarse)] += spent;
        if spent > land.longest_chunk {
            land.longest_phase = format!("{before:?}");
        }
        land.chunks[0] += 1;
        land.chunks[1] += usize::from(spent > 16.0);
        land.longest_chunk = land.longest_chunk.max(spent);
        land.longest_points = land.longest_points.max(points);
        // A new grid, or the path's losses complete: a new picture.
        if phase != before {
            land.dirty = true;
        }
    }
}

/// The sentence on the plane's own curvature at θ_T (`[largest, smallest]` eigenvalue of its
/// 2×2 Hessian), told apart from the network's sharpness: the rate at which gradient descent
/// confined to the slice would overshoot, and the bound it gives λmax.
fn plane_curvature([hi, lo]: [f64; 2]) -> String {
    let what = format!(
        " Within this plane, at the last step, the loss's curvatures (the eigenvalues of the plane's 2×2 Hessian, per unit of distance in the weights) are {} and {}",
        short(hi),
        short(lo)
    );
    if hi <= 0.0 {
        return format!("{what}: the loss bends down every way in this slice.");
    }
    let down = if lo < 0.0 {
        " (negative: the loss bends down that way)"
    } else {
        ""
    };
    format!(
        "{what}{down}: gradient descent confined to this slice would overshoot above γ = 2/{} = {}. The network's own λmax (Sharpness, below) is at least {}, and larger where its steepest direction lies off the plane.",
        short(hi),
        short(2.0 / hi),
        short(hi)
    )
}

impl NetworkView {
    /// A race's progress: how far the slowest run still training has come, or, once every run
    /// has ended, the steps and the computing time, and which runs diverged.
    fn race_progress(&self, steps: usize) -> String {
        let n = self.runs.len();
        if let Some(slowest) = self
            .runs
            .iter()
            .filter(|r| !r.trainer.is_over())
            .map(NetRun::trained)
            .min()
        {
            return format!("training {n} runs… {slowest}/{steps}");
        }
        let spent: f64 = self.runs.iter().map(|r| r.spent).sum();
        let diverged: Vec<String> = self
            .runs
            .iter()
            .enumerate()
            .filter(|(_, r)| r.trained() < steps)
            .map(|(i, r)| format!("run {} diverged after step {}", i + 1, r.trained()))
            .collect();
        let computing = gdviz::format::fixed(spent / 1000.0, 2);
        if diverged.is_empty() {
            format!("trained {n} runs of {steps} steps from the same weights ({computing} s of computing)")
        } else {
            let rest = match n - diverged.len() {
                0 => String::new(),
                1 => format!("; the other took all {steps} steps"),
                _ => format!("; the others took all {steps} steps"),
            };
            format!(
                "{n} runs from the same weights ended ({computing} s of computing): {}, the loss blew up (try a smaller learning rate){rest}",
                diverged.join(", ")
            )
        }
    }

    /// Each run at the step shown (its kept step at or before it, or its last if it stopped
    /// before), for the legend:
    /// `[{trained, training, diverged, step, trainLoss, testLoss, trainAcc, testAcc, status}]`.
    fn runs_state(&self) -> js_sys::Array {
        let num = |v: Option<f64>| v.map_or(JsValue::NULL, JsValue::from);
        self.runs
            .iter()
            .map(|run| {
                let o = Object::new();
                let trained = run.trained();
                let (step, _) = run.at(self.current.unwrap_or(usize::MAX));
                let row = run.trainer.rows()[step];
                let diverged = run.trainer.is_over() && trained < run.key.cfg.steps;
                set(&o, "trained", trained as f64);
                set(&o, "training", !run.trainer.is_over());
                set(&o, "diverged", diverged);
                set(&o, "step", step as f64);
                set(&o, "trainLoss", row.train_loss);
                set(&o, "testLoss", num(row.test_loss));
                set(&o, "trainAcc", num(row.train_acc));
                set(&o, "testAcc", num(row.test_acc));
                let status = if diverged {
                    format!("diverged after step {trained}")
                } else {
                    measured(&row, true)
                };
                set(&o, "status", status);
                JsValue::from(o)
            })
            .collect()
    }

    /// The landscape's numbers and words: `{open, plane, partner (the run, counted from 1,
    /// whose end the ends plane goes through, or would; null for a single run), explained ([PC1, PC2] shares or null),
    /// grid (points a side of the picture shown, 0 before the first), computing, error,
    /// minLoss, centreLoss (the plane's loss at θ_T, once computed), planeCurvature (the
    /// eigenvalues of the plane's 2×2 Hessian at θ_T, largest first, once computed), pathPoints,
    /// maxDistance, coarseMs, fineMs (computing time of each grid, the fine one with the
    /// path's losses), planeMs (the plane's own: PCA and the projections), lastDrawMs
    /// ([landscape, honesty chart] of the last picture), longestChunkMs, longestChunkPoints (the most losses a frame computed),
    /// longestDrawMs, caption, landscapeText, honestyText, lineCaption (the loss along the line
    /// from θ₀ to θ_T, or on the ends plane between the two ends, once the plane is there)}`.
    fn landscape_state(&self, step: usize, steps: usize) -> Object {
        let o = Object::new();
        let land = &self.land;
        let num = |v: Option<f64>| v.map_or(JsValue::NULL, JsValue::from);
        set(&o, "open", land.open);
        set(&o, "plane", land.kind.name());
        set(
            &o,
            "partner",
            self.partner()
                .map_or(JsValue::NULL, |(i, _)| JsValue::from((i + 1) as f64)),
        );
        set(
            &o,
            "error",
            land.error.as_deref().map_or(JsValue::NULL, JsValue::from),
        );
        set(&o, "computing", land.pending() && !land.dirty);
        set(&o, "longestChunkMs", land.longest_chunk);
        set(&o, "longestDrawMs", land.longest_draw);
        set(&o, "planeMs", land.plane_ms);
        let [a, b] = land.last_draw;
        set(&o, "lastDrawMs", js_sys::Array::of2(&a.into(), &b.into()));
        set(&o, "longestChunkPoints", land.longest_points as f64);
        set(&o, "longestChunkPhase", land.longest_phase.as_str());
        set(&o, "chunks", land.chunks[0] as f64);
        set(&o, "chunksOver16Ms", land.chunks[1] as f64);
        let training = self.training();
        let Some(l) = &land.run else {
            set(&o, "grid", 0.0);
            let caption = match &land.error {
                Some(e) => format!("No landscape: {e}."),
                None if training => waiting("The landscape is computed", &self.runs, steps),
                None => "Computing the plane…".to_string(),
            };
            set(&o, "caption", caption.clone());
            set(&o, "landscapeText", caption.clone());
            set(&o, "honestyText", caption);
            return o;
        };
        set(
            &o,
            "lineCaption",
            landview::line_caption(&l.alphas[..l.line.len()], &l.line, l.line_ends()),
        );
        let grid = l.grid();
        let field = grid.map(landview::field);
        let lowest = field.as_ref().and_then(landview::lowest);
        set(&o, "grid", grid.map_or(0, |g| g.xs.len()) as f64);
        set(
            &o,
            "explained",
            match l.plane.explained {
                Some([a, b]) => js_sys::Array::of2(&a.into(), &b.into()).into(),
                None => JsValue::NULL,
            },
        );
        set(&o, "minLoss", num(lowest.map(|m| m.1)));
        set(
            &o,
            "planeCurvature",
            l.curvature.map_or(JsValue::NULL, |[a, b]| {
                js_sys::Array::of2(&a.into(), &b.into()).into()
            }),
        );
        set(&o, "centreLoss", num(l.centre_loss()));
        set(&o, "pathPoints", l.steps.len() as f64);
        let far = l.projected.iter().map(|p| p.2).fold(0.0, f64::max);
        set(&o, "maxDistance", far);
        set(&o, "coarseMs", l.spent[0]);
        set(&o, "fineMs", l.spent[1]);
        let plane = match (l.plane.explained, l.other) {
            (_, Some((i, _))) => format!(
                "the plane through the first weights θ₀ (□), this run's last weights and run {}'s last weights (◆, training loss {})",
                i + 1,
                self.runs
                    .get(i)
                    .map_or("–".into(), |r| short(r.trainer.rows()[r.trained()].train_loss))
            ),
            (Some([a, b]), None) => format!(
                "the plane of the path's two principal directions (PCA: they hold {} and {} of its variance, how far it moves)",
                percent(a),
                percent(b)
            ),
            (None, None) => {
                // Both directions are as long as the weights (biases zeroed): filter-normalised.
                let norm = l.plane.d1.iter().map(|v| v * v).sum::<f64>().sqrt();
                format!(
                    "a plane of two random directions, filter-normalised (each neuron's weights as long as its weights at the end, so each direction is as long as all the weights, {}, in the units of the distance below; ±1 is that length each way)",
                    short(norm)
                )
            }
        };
        let (Some(g), Some((at, min))) = (grid, lowest) else {
            let c = format!("Computing the training loss over {plane}…");
            set(&o, "caption", c.clone());
            set(&o, "landscapeText", c.clone());
            set(&o, "honestyText", c);
            return o;
        };
        let n = g.xs.len();
        let refining = if n < landrun::FINE {
            format!(" (a {n}×{n} grid; refining to {0}×{0}…)", landrun::FINE)
        } else {
            format!(" ({n}×{n} grid)")
        };
        // The visible caption says which grid is drawn in as many words as the finished one,
        // so it keeps its lines while the finer grid computes (the slider below it stays put).
        let grid_words = format!(" ({n}×{n} grid)");
        let curvature = l.curvature.map_or(String::new(), plane_curvature);
        let caption = format!(
            "The training loss over {plane}, through the weights at the last step (0, 0){grid_words}: □ where the run started, its path projected onto the plane, ● step {step}, ★ the lowest loss on the grid, {}. The plane is a slice, not the path: where the blue line (the loss at the path's shadow on the plane) leaves the orange one (the loss the network had), that step was off the plane — up to {} away (below, the length of θ minus its shadow) — and the picture's loss there is not the network's.{curvature}",
            short(min),
            short(far)
        );
        set(&o, "caption", caption);
        set(
            &o,
            "landscapeText",
            format!(
                "Loss landscape{refining}: the training loss over {plane}, from {} to {}; the lowest, {}, at ({}, {}); the path ends at (0, 0) with loss {}.{curvature}",
                short(g.loss.iter().copied().filter(|v| v.is_finite()).fold(f64::INFINITY, f64::min)),
                short(g.loss.iter().copied().filter(|v| v.is_finite()).fold(f64::NEG_INFINITY, f64::max)),
                short(min),
                short(at[0]),
                short(at[1]),
                l.path_loss.last().map_or("–".into(), |&v| short(v)),
            ),
        );
        set(
            &o,
            "honestyText",
            format!(
                "Along the path's {} points: the network's own training loss and the loss at each point's projection onto the plane, and each point's distance from the plane, at most {}.",
                l.steps.len(),
                short(far)
            ),
        );
        o
    }
}

impl NetworkView {
    /// The sharpness's numbers and words: `{open, computing, measured (steps measured so far),
    /// of (steps to measure; 0 before the measuring starts), steps, lambda, limit (null where no
    /// line applies), products, spentMs, longestChunkMs, caption}`.
    fn sharpness_state(&self, run: &NetRun, trained: usize, steps: usize) -> Object {
        let o = Object::new();
        let sharp = &self.sharp;
        set(&o, "open", sharp.open);
        set(&o, "computing", sharp.pending() && !sharp.dirty);
        set(&o, "longestChunkMs", sharp.longest_chunk);
        let floats = |v: &mut dyn Iterator<Item = JsValue>| -> js_sys::Array { v.collect() };
        let Some(s) = &sharp.run else {
            set(&o, "measured", 0.0);
            set(&o, "of", 0.0);
            let caption = if !self.training() {
                "Measuring λmax, the largest curvature of the training loss, at steps over the run…"
                    .to_string()
            } else {
                waiting("λmax is measured", &self.runs, steps)
            };
            set(&o, "caption", caption);
            return o;
        };
        set(&o, "measured", s.lambda.len() as f64);
        set(&o, "of", s.steps.len() as f64);
        set(
            &o,
            "steps",
            floats(&mut s.steps.iter().map(|&k| JsValue::from(k as f64))),
        );
        set(
            &o,
            "lambda",
            floats(&mut s.lambda.iter().map(|&v| JsValue::from(v))),
        );
        set(
            &o,
            "limit",
            floats(
                &mut s
                    .limit
                    .iter()
                    .map(|v| v.map_or(JsValue::NULL, JsValue::from)),
            ),
        );
        set(&o, "products", s.products as f64);
        set(&o, "spentMs", s.spent);
        let rows = run.trainer.rows();
        let measured = s.lambda.len().max(1) - 1;
        let loss_at = |i: usize| {
            s.steps
                .get(i)
                .and_then(|&k| rows.get(k))
                .map(|r| r.train_loss)
        };
        // The measurements are the selected run's (dropped with it), so every step is a row.
        let (Some(first), Some(last)) = (loss_at(0), loss_at(measured)) else {
            return o;
        };
        let losses = (first, last);
        let cfg = &run.key.cfg;
        let about = sharpview::Run {
            kind: cfg.optimizer,
            hyper: &cfg.hyper,
            variant: cfg.variant,
            clipped: cfg.clip.norm.is_some() || cfg.clip.value.is_some(),
            cycles_momentum: cfg.schedule.cycles_momentum(),
            diverged: run.trainer.is_over() && trained < steps,
            losses,
        };
        set(
            &o,
            "caption",
            sharpview::caption(&s.sharpness(trained), &about),
        );
        o
    }
}

/// What waits for the race to train: `what` once the run has trained, or once every run of a
/// race has (the slowest's step), since a frame trains before it measures anything.
fn waiting(what: &str, runs: &[NetRun], steps: usize) -> String {
    let slowest = runs.iter().map(NetRun::trained).min().unwrap_or(0);
    if runs.len() > 1 {
        format!("{what} once every run has trained (the slowest at step {slowest} of {steps}).")
    } else {
        format!("{what} once the run has trained (step {slowest} of {steps}).")
    }
}

/// What a row measured, in words: the training loss, and the test accuracy (with the training
/// accuracy unless `brief`, as a legend gives it) for a classifier or the test loss for a
/// regression, where measured.
fn measured(row: &gdviz::network::Row, brief: bool) -> String {
    let train = short(row.train_loss);
    match (row.test_loss, row.test_acc) {
        (_, Some(acc)) if brief => format!("train loss {train}, test accuracy {}", percent(acc)),
        (_, Some(acc)) => format!(
            "train loss {train}, train accuracy {}, test accuracy {}",
            percent(row.train_acc.unwrap_or(f64::NAN)),
            percent(acc)
        ),
        (Some(test), None) => format!("train loss {train}, test loss {}", short(test)),
        _ => format!("train loss {train}"),
    }
}

/// The next-update panel at the step shown, `{step (the step taken from it), rule, lines (the
/// table), note}`, or
/// null at the last step trained (no update follows it): per tensor, ‖θ‖ before the step, ‖g‖
/// (the gradient the optimizer was given), ‖Δθ‖ (how far the step moved it) and ‖Δθ‖/‖θ‖ (the
/// relative update), then the whole network's, and what g and γ were.
fn update_state(run: &NetRun, step: usize) -> JsValue {
    let Some(u) = run.update(step) else {
        return JsValue::NULL;
    };
    let cfg = &run.key.cfg;
    let tensors = run.trainer.tensors();
    let whole = |f: fn(&crate::netrun::TensorStep) -> f64| {
        u.iter().map(|t| f(t) * f(t)).sum::<f64>().sqrt()
    };
    let ratio = |step: f64, theta: f64| {
        if theta > 0.0 {
            short(step / theta)
        } else {
            "–".into()
        }
    };
    let mut table: Vec<[String; 6]> = vec![[
        "tensor".into(),
        "shape".into(),
        "‖θ‖".into(),
        "‖g‖".into(),
        "‖Δθ‖".into(),
        "‖Δθ‖/‖θ‖".into(),
    ]];
    for (t, n) in tensors.iter().zip(&u) {
        let shape: Vec<String> = t.shape.iter().map(|d| d.to_string()).collect();
        table.push([
            t.name.clone(),
            shape.join("×"),
            short(n.theta),
            short(n.g),
            short(n.step),
            ratio(n.step, n.theta),
        ]);
    }
    let (theta, g, moved) = (whole(|t| t.theta), whole(|t| t.g), whole(|t| t.step));
    table.push([
        "all".into(),
        run.trainer.model().len().to_string(),
        short(theta),
        short(g),
        short(moved),
        ratio(moved, theta),
    ]);
    let widths: Vec<usize> = (0..6)
        .map(|c| {
            table
                .iter()
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let lines: Vec<String> = table
        .iter()
        .map(|r| {
            let cells: Vec<String> = r
                .iter()
                .zip(&widths)
                .map(|(cell, w)| format!("{cell}{}", " ".repeat(w - cell.chars().count())))
                .collect();
            cells.join("  ").trim_end().to_string()
        })
        .collect();
    let examples = match cfg.variant {
        Variant::Batch => format!("all {} training examples", run.trainer.data().train.len()),
        Variant::MiniBatch => {
            // The epoch's last batch may be short: the batch the step used.
            let n = run.trainer.data().train.len();
            let used = variant::batch_at(cfg.variant, n, cfg.batch, cfg.seed, step + 1)
                .map_or(cfg.batch, |b| b.len());
            format!("the step's batch of {used} examples")
        }
        Variant::Stochastic => "the step's one example".into(),
    };
    let clipped = match (cfg.clip.norm, cfg.clip.value) {
        (None, None) => String::new(),
        _ => ", after clipping".into(),
    };
    let mut note = format!(
        "g is the gradient of the mean loss over {examples} at step {step}'s weights{clipped}"
    );
    if let Some(lr) = run.trainer.rows().get(step + 1).and_then(|r| r.lr) {
        note += &format!("; γ = {} for this step", short(lr));
    }
    note += ". ‖Δθ‖/‖θ‖ is the step's size relative to the weights it moves.";
    let o = Object::new();
    set(&o, "note", note);
    set(&o, "step", (step + 1) as f64);
    set(&o, "rule", cfg.optimizer.rule(&cfg.hyper));
    let list: js_sys::Array = lines.into_iter().map(JsValue::from).collect();
    set(&o, "lines", list);
    o.into()
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
        landscape: HtmlCanvasElement,
        honesty: HtmlCanvasElement,
        sharpness: HtmlCanvasElement,
        line: HtmlCanvasElement,
    ) -> NetworkView {
        NetworkView {
            canvases: [
                boundary, curves, diagram, landscape, honesty, sharpness, line,
            ],
            opts: Options::default(),
            style: Style {
                scale: 1.0,
                dark: false,
            },
            runs: Vec::new(),
            spare: Vec::new(),
            selected: 0,
            error: None,
            current: None,
            failed: None,
            measured: None,
            partner: None,
            next_id: 0,
            drawn_at: f64::NEG_INFINITY,
            land: Landscape {
                open: false,
                kind: PlaneKind::Pca,
                with: None,
                run: None,
                error: None,
                dirty: false,
                longest_chunk: 0.0,
                longest_draw: 0.0,
                last_draw: [0.0; 2],
                plane_ms: 0.0,
                longest_points: 0,
                longest_phase: String::new(),
                chunks: [0, 0],
            },
            sharp: SharpView {
                open: false,
                run: None,
                dirty: false,
                longest_chunk: 0.0,
            },
        }
    }

    /// Shows or hides the sharpness chart (the selected run's, measured once shown and every
    /// run has trained; kept while hidden).
    #[wasm_bindgen(js_name = setSharpness)]
    pub fn set_sharpness(&mut self, open: bool) -> Result<(), JsError> {
        self.sharp.open = open;
        self.draw_sharpness()
    }

    /// Shows or hides the landscape (the selected run's, computed once shown and every run has
    /// trained; kept while hidden).
    #[wasm_bindgen(js_name = setLandscape)]
    pub fn set_landscape(&mut self, open: bool) -> Result<(), JsError> {
        self.land.open = open;
        self.draw_landscape()
    }

    /// Chooses the landscape's plane (`pca`, `random`, `ends` through the next run's end, or
    /// `ends:N` through run N's), dropping the picture of another; the refusal of one the page
    /// cannot draw says why.
    #[wasm_bindgen(js_name = setPlane)]
    pub fn set_plane(&mut self, name: &str) -> Result<(), JsError> {
        let (kind, with) = landrun::plane_choice(name).map_err(|e| JsError::new(&e.message))?;
        self.land.with = with;
        let partner = self.partner().map(|(_, r)| r.id);
        let moved = kind == PlaneKind::Ends && partner != self.partner;
        self.partner = partner;
        if kind != self.land.kind || moved {
            self.land.kind = kind;
            self.land.reset();
        }
        self.draw_landscape()
    }

    /// Takes the page's state (`Visualizer.stateQuery()`) and starts each run of the race it
    /// describes that is not held already (the others keep their steps). An unreadable state is
    /// an error (the page's state always reads).
    #[wasm_bindgen(js_name = setState)]
    pub fn set_state(&mut self, query: &str) -> Result<(), JsError> {
        let per_epoch = self.opts.network.per_epoch;
        self.opts = crate::code::options(query).map_err(|e| JsError::new(&e))?;
        // The curves per step or per epoch: redrawn, nothing retrained.
        let redrawn = self.opts.network.per_epoch != per_epoch;
        if self.sync_run() || redrawn {
            // Shown at once when nothing trains (another run selected); else on the next
            // frame's chunk.
            if self.training() {
                self.drawn_at = f64::NEG_INFINITY;
            } else {
                self.draw_views()?;
            }
        }
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
    /// instead (and when the run ends). Once trained, with the landscape shown, computes it
    /// for the same budget, or draws a new picture of it. Returns whether work remains.
    #[wasm_bindgen(js_name = trainFor)]
    pub fn train_for(&mut self, budget_ms: f64) -> Result<bool, JsError> {
        let started = now_ms();
        let training = self.training();
        if !training && !self.runs.is_empty() {
            if self.land.dirty {
                self.draw_landscape()?;
            } else if self.land.pending() {
                self.compute_landscape(budget_ms);
            } else if self.sharp.dirty {
                self.draw_sharpness()?;
            } else if self.sharp.pending() {
                self.compute_sharpness(budget_ms);
            }
            return Ok(self.land.pending() || self.sharp.pending());
        }
        if started - self.drawn_at >= REDRAW_EVERY {
            self.draw_views()?;
            return Ok(training);
        }
        // A step at a time to the run that has taken the fewest (the first of those), so a
        // race's curves grow together.
        while let Some(run) = self
            .runs
            .iter_mut()
            .filter(|r| !r.trainer.is_over())
            .min_by_key(|r| r.trained())
        {
            let began = now_ms();
            run.step();
            let now = now_ms();
            run.spent += now - began;
            if now - started >= budget_ms {
                break;
            }
        }
        let more = self.training();
        if !more {
            self.draw_views()?;
        }
        Ok(more || self.land.pending() || self.sharp.pending())
    }

    /// Shows step `k` (snapped to a kept step; past the last step trained, follows it).
    #[wasm_bindgen(js_name = showStep)]
    pub fn show_step(&mut self, k: usize) -> Result<(), JsError> {
        self.current = (k < self.step_count()).then_some(k);
        self.draw_views()
    }

    /// Steps trained so far (by the run that has trained the most).
    #[wasm_bindgen(getter, js_name = stepCount)]
    pub fn step_count(&self) -> usize {
        self.runs.iter().map(NetRun::trained).max().unwrap_or(0)
    }

    /// The step shown.
    #[wasm_bindgen(getter)]
    pub fn current(&self) -> usize {
        self.shown().map_or(0, |(s, _)| s)
    }

    /// The selected run's state: `{error, task, parameters, trained, training, diverged, step,
    /// keep, spentMs, trainLoss, testLoss, trainAcc, testAcc (at the step shown, null where not
    /// measured), lastTrainLoss, progress (the race's), selected, runs (each run's, for the
    /// legend), boundaryText, curvesText, diagramText, landscape, sharpness, update}` (the
    /// settings themselves are the page module's `networkState()`).
    pub fn state(&self) -> Object {
        let o = Object::new();
        let n = &self.opts.network;
        set(
            &o,
            "error",
            self.error.as_deref().map_or(JsValue::NULL, JsValue::from),
        );
        let Some(run) = self.run() else {
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
        let race = self.runs.len() > 1;
        let progress = if race {
            self.race_progress(steps)
        } else if !run.trainer.is_over() {
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
        set(&o, "selected", self.selected as f64);
        set(&o, "runs", self.runs_state());
        let measured = measured(&row, false);
        let arch = format!("2-{}-1", hidden_text(&n.hidden).replace(',', "-"));
        // In a race, which run the views show.
        let whose = if race {
            format!("Run {}, s", self.selected + 1)
        } else {
            "S".to_string()
        };
        let of = format!("{whose}tep {step} of {trained} trained");
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
        let per = if n.per_epoch {
            match run.steps_per_epoch() {
                _ if race => " per epoch (at the end of each pass over the training examples, so the runs line up by the examples their gradients have seen)".to_string(),
                1 => " per epoch (an epoch is one step of the full batch)".to_string(),
                k => format!(" per epoch (at the end of each pass over the training examples, every {k} steps)"),
            }
        } else {
            " per step".to_string()
        };
        let curves = if race {
            format!(
                "Training (solid) and test (dashed) loss{per} of each of the {} runs in its colour, and for a classifier the accuracies, over {trained} steps trained; the selected run, run {}, at step {step}: {measured}.",
                self.runs.len(),
                self.selected + 1
            )
        } else {
            format!("Training (blue) and test (orange) loss{per}, and for a classifier the accuracies, over {trained} steps trained; at step {step}: {measured}.")
        };
        set(&o, "curvesText", curves);
        set(&o, "landscape", self.landscape_state(step, steps));
        set(&o, "sharpness", self.sharpness_state(run, trained, steps));
        set(&o, "update", update_state(run, step));
        set(
            &o,
            "diagramText",
            format!("{}he {arch} network at step {step}: every weight a line, orange positive and blue negative, wider for larger; {} parameters in all with the biases, which are not drawn.", if race { format!("Run {}: t", self.selected + 1) } else { "T".to_string() }, model.len()),
        );
        o
    }
}
