//! The data view and the 3D view of a [`Visualizer`]: their canvases, the camera and the cached
//! mesh. Both follow the step shown, so they move with the scrubber and the animation.

use super::canvas::Canvas;
use js_sys::{Array, Function, Object, Reflect};
use plotters::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{context, err, set, Visualizer};
use crate::dataview;
use crate::plot3d::{self, Camera, Mesh};
use crate::render;
use crate::variant;

/// The extra views' state, one per visualizer.
#[derive(Default)]
pub(super) struct Views {
    data: Option<HtmlCanvasElement>,
    view3d: Option<HtmlCanvasElement>,
    on3d: bool,
    camera: Camera,
    /// The mesh and what it was sampled from.
    mesh: Option<(MeshKey, Mesh)>,
    /// How long the last 3D redraw took, milliseconds.
    draw_ms: Option<f64>,
}

/// What a 3D mesh was sampled from: the surface (name and formula), its parameters and the view.
/// Compared as values (a string of their `Debug` forms cost the wasm module the formatting code).
#[derive(PartialEq)]
struct MeshKey {
    surface: String,
    params: Vec<(String, f64)>,
    view: crate::surface::View,
}

/// Milliseconds from the page's high-resolution clock (`performance.now()`), or the wall clock.
pub(super) fn now_ms() -> f64 {
    let global = js_sys::global();
    Reflect::get(&global, &"performance".into())
        .ok()
        .and_then(|perf| {
            let now = Reflect::get(&perf, &"now".into()).ok()?;
            now.dyn_into::<Function>().ok()?.call0(&perf).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}

fn clear(canvas: &HtmlCanvasElement) -> Result<(), JsError> {
    context(canvas)?.clear_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
    Ok(())
}

#[wasm_bindgen]
impl Visualizer {
    /// Draws the data view (the examples and the model at the step shown) on `canvas` from now
    /// on; surfaces without data leave it blank.
    #[wasm_bindgen(js_name = attachDataCanvas)]
    pub fn attach_data_canvas(&mut self, canvas: HtmlCanvasElement) {
        self.views.data = Some(canvas);
    }

    /// Draws the 3D view on `canvas` while it is switched on ([`Visualizer::set_view3d`]).
    #[wasm_bindgen(js_name = attachView3d)]
    pub fn attach_view3d(&mut self, canvas: HtmlCanvasElement) {
        self.views.view3d = Some(canvas);
    }

    /// Sizes the data canvas to `data_width` × `data_height` and the 3D canvas to `width` ×
    /// `height` CSS pixels, at the device pixel ratio given to the last `resize`.
    #[wasm_bindgen(js_name = resizeViews)]
    pub fn resize_views(&mut self, data_width: f64, data_height: f64, width: f64, height: f64) {
        let dpr = self.style.scale;
        let px = |css: f64| (css.max(1.0) * dpr).round() as u32;
        if let Some(c) = &self.views.data {
            c.set_width(px(data_width));
            c.set_height(px(data_height));
        }
        if let Some(c) = &self.views.view3d {
            c.set_width(px(width));
            c.set_height(px(height));
        }
    }

    /// Switches the 3D view on or off, drawing it when on.
    #[wasm_bindgen(js_name = setView3d)]
    pub fn set_view3d(&mut self, on: bool) -> Result<(), JsError> {
        self.views.on3d = on;
        if on {
            self.draw_view3d()
        } else {
            Ok(())
        }
    }

    /// Whether the 3D view is on.
    #[wasm_bindgen(getter, js_name = view3dOn)]
    pub fn view3d_on(&self) -> bool {
        self.views.on3d
    }

    /// Turns the 3D view by a drag of `(dx, dy)` CSS pixels and redraws it.
    pub fn rotate3d(&mut self, dx: f64, dy: f64) -> Result<(), JsError> {
        self.views.camera.rotate(dx, dy);
        self.draw_view3d()
    }

    /// Turns the 3D view for an arrow key and redraws it; returns whether `key` was an arrow
    /// key (so the page can keep it from scrolling).
    #[wasm_bindgen(js_name = rotate3dKey)]
    pub fn rotate3d_key(&mut self, key: &str) -> Result<bool, JsError> {
        if !self.views.camera.key(key) {
            return Ok(false);
        }
        self.draw_view3d()?;
        Ok(true)
    }
}

impl Visualizer {
    /// The 3D view's canvas, if attached.
    pub(super) fn views_3d_canvas(&self) -> Option<HtmlCanvasElement> {
        self.views.view3d.clone()
    }

    /// Whether the 3D view is shown.
    pub(super) fn views_on3d(&self) -> bool {
        self.views.on3d
    }

    /// The term indices of the batch of the step that led to the point shown (the selected
    /// run's).
    fn batch_indices(&self) -> Vec<usize> {
        let cfg = self.config(self.opts.selected());
        let n = self.surface().terms().unwrap_or(variant::ANALYTIC_TERMS);
        let step = self.current.min(self.traj().steps());
        variant::batch_at(cfg.variant, n, cfg.batch, cfg.seed, step).unwrap_or_default()
    }

    /// Adds the views' part of `state()`: `batchIndices` (the current batch's examples),
    /// `decisionBoundary` (x where p = ½, or null) and `view3d` (`{on, yaw, pitch, drawMs}`).
    pub(super) fn views_state(&self, o: &Object) {
        let batch: Array = self
            .batch_indices()
            .into_iter()
            .map(|i| JsValue::from(i as f64))
            .collect();
        set(o, "batchIndices", batch);
        let theta = self.traj().points[self.current.min(self.traj().steps())];
        set(
            o,
            "decisionBoundary",
            self.surface()
                .decision_boundary(theta)
                .map_or(JsValue::NULL, JsValue::from),
        );
        let v = Object::new();
        set(&v, "on", self.views.on3d);
        set(&v, "yaw", self.views.camera.yaw);
        set(&v, "pitch", self.views.camera.pitch);
        set(
            &v,
            "drawMs",
            self.views.draw_ms.map_or(JsValue::NULL, JsValue::from),
        );
        set(o, "view3d", v);
    }

    /// Redraws the views that are attached and in use (called with every overlay redraw).
    pub(super) fn draw_views(&mut self) -> Result<(), JsError> {
        self.draw_data_view()?;
        if self.views.on3d {
            self.draw_view3d()?;
        }
        Ok(())
    }

    fn draw_data_view(&self) -> Result<(), JsError> {
        let Some(canvas) = &self.views.data else {
            return Ok(());
        };
        clear(canvas)?;
        if self.surface().data().is_none() {
            return Ok(());
        }
        let step = self.current.min(self.traj().steps());
        let theta = self.traj().points[step];
        let batch = self.batch_indices();
        // Each run's model at the step shown (or its last point), in its colour.
        let selected = self.opts.selected();
        let runs = self.opts.runs().len();
        let others: Vec<(crate::Vec2, RGBColor)> = self
            .trajectories()
            .enumerate()
            .filter(|(i, _)| *i != selected)
            .map(|(i, t)| {
                (
                    t.points[self.current.min(t.steps())],
                    super::hex(render::run_colour(i)),
                )
            })
            .collect();
        let ink = if runs == 1 {
            dataview::Ink::SINGLE
        } else {
            let own = super::hex(render::run_colour(selected));
            dataview::Ink {
                model: own,
                batch: own,
                runs,
                selected,
            }
        };
        let backend = Canvas::with_canvas_object(canvas.clone())
            .ok_or_else(|| err("cannot draw on the data canvas"))?;
        let root = backend.into_drawing_area();
        dataview::draw_runs(
            &root,
            self.surface(),
            theta,
            &others,
            step,
            &batch,
            ink,
            &self.style,
        )
        .map_err(err)?;
        root.present().map_err(err)
    }

    fn draw_view3d(&mut self) -> Result<(), JsError> {
        let Some(canvas) = self.views.view3d.clone() else {
            return Ok(());
        };
        let started = now_ms();
        let view = self.surface().view();
        let key = MeshKey {
            surface: format!("{}|{}", self.surface().name(), self.surface().formula()),
            params: self.opts.params.clone(),
            view,
        };
        if self.views.mesh.as_ref().is_none_or(|(k, _)| *k != key) {
            let mesh = Mesh::new(self.surface(), view, plot3d::MESH);
            self.views.mesh = Some((key, mesh));
        }
        let Some((_, mesh)) = &self.views.mesh else {
            return Ok(());
        };
        clear(&canvas)?;
        let backend = Canvas::with_canvas_object(canvas)
            .ok_or_else(|| err("cannot draw on the 3D canvas"))?;
        let root = backend.into_drawing_area();
        // Every run in its colour; the selected one on top.
        let runs: Vec<plot3d::Run3d> = self
            .trajectories()
            .enumerate()
            .map(|(i, t)| (t, super::hex(crate::render::run_colour(i))))
            .collect();
        plot3d::draw_3d(
            &root,
            mesh,
            &runs,
            self.opts.selected(),
            self.current,
            self.views.camera,
            self.surface().axis_names(),
            &self.style,
        )
        .map_err(err)?;
        root.present().map_err(err)?;
        self.views.draw_ms = Some(now_ms() - started);
        Ok(())
    }
}
