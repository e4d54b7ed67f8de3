//! The surfaces' data view and 3D view, drawn by this module so that the page's first one need
//! not link them (issue 16: the first module within 200 KB gzipped): the examples and every
//! run's model at the step shown (`dataview`), and the mesh with every run's path seen from a
//! camera that turns (`plot3d`).
//!
//! A [`Scene`] is the state as the page hands it over: the options from its link query (parsed
//! with the core's validation, as Network mode's are) and every run's path as the first module
//! computed it (`Visualizer.paths()`: `x, y, f` per point), so nothing is run twice. What else
//! the pictures need (the surface and its data, the batch of a step, the colours) follows from
//! the options by the same core functions the first module uses.
//!
//! `SurfaceViews` (wasm only) holds one instance's two canvases and its scene.

use gdviz::dataview;
use gdviz::options::Options;
use gdviz::plot3d::{self, Camera, Mesh};
use gdviz::render::{run_rgb, Style};
use gdviz::run::{Status, Trajectory};
use gdviz::surface::{Surface, View};
use gdviz::variant;
use gdviz::Vec2;
use plotters::coord::Shift;
use plotters::prelude::*;

/// What a 3D mesh was sampled from: the surface (name and formula), its parameters and the view.
#[derive(PartialEq)]
struct MeshKey {
    surface: String,
    params: Vec<(String, f64)>,
    view: View,
}

/// The state the views draw: the options, their surface, every run's path, the camera and the
/// mesh last sampled.
pub struct Scene {
    opts: Options,
    surface: Box<dyn Surface>,
    /// Every run's points and values (the only parts of a trajectory the views read).
    paths: Vec<Trajectory>,
    /// The 3D view's camera, turned by drags and arrow keys.
    pub camera: Camera,
    mesh: Option<(MeshKey, Mesh)>,
}

/// A run as `x, y, f` per point, as a trajectory holding its points and values (a trailing
/// partial point is ignored).
pub fn path_from(run: &[f64]) -> Trajectory {
    let (points, losses) = run.chunks_exact(3).map(|p| ([p[0], p[1]], p[2])).unzip();
    Trajectory {
        points,
        losses,
        grads: Vec::new(),
        lrs: Vec::new(),
        status: Status::MaxSteps,
        converged_at: None,
    }
}

impl Scene {
    /// The scene of the state `query` describes (a link query against the defaults) with the
    /// runs' `paths` ([`path_from`]); the camera is kept by the caller.
    pub fn new(query: &str, paths: Vec<Trajectory>) -> Result<Scene, String> {
        let opts = crate::code::options(query)?;
        let surface = opts.build_surface().map_err(|e| e.to_string())?;
        Ok(Scene {
            opts,
            surface,
            paths,
            camera: Camera::default(),
            mesh: None,
        })
    }

    /// Takes a new state and paths, keeping the camera and, when the surface, its parameters
    /// and its view are unchanged, the mesh.
    pub fn update(&mut self, next: Scene) {
        let (camera, mesh) = (self.camera, self.mesh.take());
        *self = next;
        self.camera = camera;
        self.mesh = mesh;
    }

    /// The selected run's path (the one the step shown and the batch are read from).
    fn selected(&self) -> Option<(usize, &Trajectory)> {
        let i = self.opts.selected().min(self.paths.len().checked_sub(1)?);
        Some((i, &self.paths[i]))
    }

    /// The step shown of the selected run when the page shows step `current`.
    pub fn step(&self, current: usize) -> usize {
        self.selected()
            .map_or(0, |(_, t)| current.min(t.points.len().saturating_sub(1)))
    }

    /// The term indices of the batch of the step that led to the point shown (the selected
    /// run's), as the first module's `state().batchIndices` gives them.
    pub fn batch(&self, current: usize) -> Vec<usize> {
        let cfg = self
            .opts
            .run_config(self.surface.as_ref(), self.opts.selected());
        let n = self.surface.terms().unwrap_or(variant::ANALYTIC_TERMS);
        variant::batch_at(cfg.variant, n, cfg.batch, cfg.seed, self.step(current))
            .unwrap_or_default()
    }

    /// Draws the data view at step `current`: the examples and the selected run's model (its
    /// batch highlighted), the other runs' models faintly beneath. Nothing for a surface
    /// without data.
    pub fn draw_data<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        current: usize,
        style: &Style,
    ) -> Result<(), String> {
        let Some((selected, traj)) = self.selected() else {
            return Ok(());
        };
        if self.surface.data().is_none() || traj.points.is_empty() {
            return Ok(());
        }
        let step = self.step(current);
        let theta = traj.points[step];
        let others: Vec<(Vec2, RGBColor)> = self
            .paths
            .iter()
            .enumerate()
            .filter(|(i, t)| *i != selected && !t.points.is_empty())
            .map(|(i, t)| (t.points[current.min(t.points.len() - 1)], run_rgb(i)))
            .collect();
        let runs = self.paths.len();
        let ink = if runs == 1 {
            dataview::Ink::SINGLE
        } else {
            let own = run_rgb(selected);
            dataview::Ink {
                model: own,
                batch: own,
                runs,
                selected,
            }
        };
        let batch = self.batch(current);
        dataview::draw_runs(
            root,
            self.surface.as_ref(),
            theta,
            &others,
            step,
            &batch,
            ink,
            style,
        )
    }

    /// Draws the 3D view at step `current` from the camera, sampling the mesh again only when
    /// the surface, its parameters or the view changed.
    pub fn draw_3d<DB: DrawingBackend>(
        &mut self,
        root: &DrawingArea<DB, Shift>,
        current: usize,
        style: &Style,
    ) -> Result<(), String> {
        let view = self.surface.view();
        let key = MeshKey {
            surface: format!("{}|{}", self.surface.name(), self.surface.formula()),
            params: self.opts.params.clone(),
            view,
        };
        if self.mesh.as_ref().is_none_or(|(k, _)| *k != key) {
            let mesh = Mesh::new(self.surface.as_ref(), view, plot3d::MESH);
            self.mesh = Some((key, mesh));
        }
        let Some((_, mesh)) = &self.mesh else {
            return Ok(());
        };
        // Every run in its colour; the selected one on top.
        let runs: Vec<plot3d::Run3d> = self
            .paths
            .iter()
            .enumerate()
            .map(|(i, t)| (t, run_rgb(i)))
            .collect();
        plot3d::draw_3d(
            root,
            mesh,
            &runs,
            self.opts.selected(),
            current,
            self.camera,
            self.surface.axis_names(),
            style,
        )
    }
}

#[cfg(target_arch = "wasm32")]
pub use web::SurfaceViews;

/// The bindings: `SurfaceViews`, one per page instance.
#[cfg(target_arch = "wasm32")]
mod web {
    use js_sys::{Array, Float64Array, Object};
    use plotters::prelude::IntoDrawingArea;
    use wasm_bindgen::prelude::*;
    use web_sys::HtmlCanvasElement;

    use super::{path_from, Scene};
    use crate::web::{canvas, context, err, now_ms, set};
    use gdviz::render::Style;

    /// The data view and the 3D view of one page instance: their canvases, the state last
    /// handed over (`setState`), the step shown and whether the 3D view is on.
    #[wasm_bindgen]
    pub struct SurfaceViews {
        data: HtmlCanvasElement,
        view3d: HtmlCanvasElement,
        scene: Option<Scene>,
        style: Style,
        current: usize,
        on3d: bool,
        /// How long the last 3D redraw took, milliseconds.
        draw_ms: Option<f64>,
    }

    fn clear(c: &HtmlCanvasElement) -> Result<(), JsError> {
        context(c)?.clear_rect(0.0, 0.0, c.width() as f64, c.height() as f64);
        Ok(())
    }

    impl SurfaceViews {
        fn draw_data(&self) -> Result<(), JsError> {
            clear(&self.data)?;
            let Some(scene) = &self.scene else {
                return Ok(());
            };
            let root = canvas(&self.data)?.into_drawing_area();
            scene
                .draw_data(&root, self.current, &self.style)
                .map_err(err)?;
            root.present().map_err(err)
        }

        fn draw_3d(&mut self) -> Result<(), JsError> {
            let Some(scene) = self.scene.as_mut() else {
                return Ok(());
            };
            let started = now_ms();
            clear(&self.view3d)?;
            let root = canvas(&self.view3d)?.into_drawing_area();
            scene
                .draw_3d(&root, self.current, &self.style)
                .map_err(err)?;
            root.present().map_err(err)?;
            self.draw_ms = Some(now_ms() - started);
            Ok(())
        }
    }

    #[wasm_bindgen]
    impl SurfaceViews {
        /// The data view drawn on `data` and the 3D view on `view3d` (while it is on), once
        /// [`SurfaceViews::set_state`] hands over a state.
        #[wasm_bindgen(constructor)]
        pub fn new(data: HtmlCanvasElement, view3d: HtmlCanvasElement) -> SurfaceViews {
            SurfaceViews {
                data,
                view3d,
                scene: None,
                style: Style {
                    scale: 1.0,
                    dark: false,
                },
                current: 0,
                on3d: false,
                draw_ms: None,
            }
        }

        /// Takes the page's state (`Visualizer.stateQuery()`) and every run's path
        /// (`Visualizer.paths()`: a `Float64Array` of `x, y, f` per point for each run). The
        /// camera is kept. An unreadable state is an error (the page's state always reads).
        #[wasm_bindgen(js_name = setState)]
        pub fn set_state(&mut self, query: &str, paths: Array) -> Result<(), JsError> {
            // The old paths go first and the new ones come over a run at a time, so that four
            // 100 000-step runs are never held twice (the linear memory never shrinks).
            if let Some(scene) = self.scene.as_mut() {
                scene.paths = Vec::new();
            }
            let paths = paths
                .iter()
                .map(|p| path_from(&Float64Array::from(p).to_vec()))
                .collect();
            let next = Scene::new(query, paths).map_err(|e| JsError::new(&e))?;
            match self.scene.as_mut() {
                Some(scene) => scene.update(next),
                None => self.scene = Some(next),
            }
            Ok(())
        }

        /// Sizes the data canvas to `sizes[0]` × `sizes[1]` and the 3D canvas to `sizes[2]` ×
        /// `sizes[3]` CSS pixels (`scale` device pixels per CSS pixel, `dark` the theme).
        pub fn resize(&mut self, sizes: &[f64], scale: f64, dark: bool) {
            let scale = if scale.is_finite() {
                scale.clamp(0.25, 8.0)
            } else {
                1.0
            };
            self.style = Style { scale, dark };
            let px =
                |i: usize| (sizes.get(i).copied().unwrap_or(1.0).max(1.0) * scale).round() as u32;
            self.data.set_width(px(0));
            self.data.set_height(px(1));
            self.view3d.set_width(px(2));
            self.view3d.set_height(px(3));
        }

        /// Shows step `k` of the runs (each run's own last step past its end): redraws the
        /// data view, and the 3D view when it is on.
        #[wasm_bindgen(js_name = showStep)]
        pub fn show_step(&mut self, k: usize) -> Result<(), JsError> {
            self.current = k;
            self.draw_data()?;
            if self.on3d {
                self.draw_3d()?;
            }
            Ok(())
        }

        /// Switches the 3D view on or off; the next [`SurfaceViews::show_step`] draws it (the
        /// page hands the state over first, so a stale one is never drawn).
        #[wasm_bindgen(js_name = setView3d)]
        pub fn set_view3d(&mut self, on: bool) {
            self.on3d = on;
        }

        /// Turns the 3D view by a drag of `(dx, dy)` CSS pixels and redraws it.
        pub fn rotate3d(&mut self, dx: f64, dy: f64) -> Result<(), JsError> {
            if let Some(scene) = self.scene.as_mut() {
                scene.camera.rotate(dx, dy);
            }
            self.draw_3d()
        }

        /// Turns the 3D view for an arrow key and redraws it; returns whether `key` was an
        /// arrow key (so the page can keep it from scrolling).
        #[wasm_bindgen(js_name = rotate3dKey)]
        pub fn rotate3d_key(&mut self, key: &str) -> Result<bool, JsError> {
            let Some(scene) = self.scene.as_mut() else {
                return Ok(false);
            };
            if !scene.camera.key(key) {
                return Ok(false);
            }
            self.draw_3d()?;
            Ok(true)
        }

        /// The 3D view's state: `{on, yaw, pitch, drawMs}` (`drawMs`: the last redraw, null
        /// before the first).
        #[wasm_bindgen(js_name = view3dState)]
        pub fn view3d_state(&self) -> Object {
            let v = Object::new();
            let camera = self.scene.as_ref().map(|s| s.camera).unwrap_or_default();
            set(&v, "on", self.on3d);
            set(&v, "yaw", camera.yaw);
            set(&v, "pitch", camera.pitch);
            set(
                &v,
                "drawMs",
                self.draw_ms.map_or(JsValue::NULL, JsValue::from),
            );
            v
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gdviz::share::{query_pairs, query_string};

    /// A scene of `options` (a link query) with the runs the core computes for them, handed
    /// over as the page hands them: `x, y, f` per point.
    fn handed_over(query: &str) -> (Scene, Options, Box<dyn Surface>, Vec<Trajectory>) {
        let opts = crate::code::options(query).unwrap();
        let (surface, runs) = opts.compute().unwrap();
        let paths = runs.iter().map(|t| path_from(&t.xyf())).collect();
        let query = query_string(&query_pairs(&opts, &Options::default()));
        (Scene::new(&query, paths).unwrap(), opts, surface, runs)
    }

    const STYLE: Style = Style {
        scale: 1.0,
        dark: false,
    };

    fn svg(draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>)) -> String {
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, (480, 360)).into_drawing_area();
            draw(&root);
            root.present().unwrap();
        }
        out
    }

    /// The data view drawn from the handed-over state is the picture the core draws from the
    /// runs it computes itself, with the same batch as the core's replay of the sampler.
    #[test]
    fn the_data_view_is_the_cores_picture() {
        let query = "surface=linear-regression&runs=optimizer:sgd,lr:0.02,variant:minibatch,batch:10,seed:7;optimizer:adam,lr:0.1&selected=0&steps=120";
        let (scene, opts, surface, runs) = handed_over(query);
        for current in [0, 3, 40, 119, 500] {
            let step = current.min(runs[0].steps());
            let cfg = opts.run_config(surface.as_ref(), 0);
            let batch = variant::batch_at(cfg.variant, 50, cfg.batch, cfg.seed, step).unwrap();
            assert_eq!(scene.batch(current), batch, "step {current}");
            let core = svg(|root| {
                let others = [(runs[1].points[current.min(runs[1].steps())], run_rgb(1))];
                let own = run_rgb(0);
                let ink = dataview::Ink {
                    model: own,
                    batch: own,
                    runs: 2,
                    selected: 0,
                };
                let theta = runs[0].points[step];
                dataview::draw_runs(
                    root,
                    surface.as_ref(),
                    theta,
                    &others,
                    step,
                    &batch,
                    ink,
                    &STYLE,
                )
                .unwrap();
            });
            let ours = svg(|root| scene.draw_data(root, current, &STYLE).unwrap());
            assert!(
                core.matches("<circle").count() >= 50,
                "no examples drawn: {core}"
            );
            assert_eq!(ours, core, "step {current}");
        }
    }

    /// The 3D view drawn from the handed-over state is the core's picture of its own runs, and
    /// a new state keeps the camera.
    #[test]
    fn the_3d_view_is_the_cores_picture() {
        let (mut scene, opts, surface, runs) =
            handed_over("surface=rosenbrock&optimizer=momentum&lr=0.001&momentum=0.9&steps=400");
        scene.camera.key("ArrowLeft");
        let camera = scene.camera;
        for current in [0, 100, 400] {
            let core = svg(|root| {
                let mesh = Mesh::new(surface.as_ref(), surface.view(), plot3d::MESH);
                let run = [(&runs[0], run_rgb(0))];
                plot3d::draw_3d(
                    root,
                    &mesh,
                    &run,
                    opts.selected(),
                    current,
                    camera,
                    surface.axis_names(),
                    &STYLE,
                )
                .unwrap();
            });
            let ours = svg(|root| scene.draw_3d(root, current, &STYLE).unwrap());
            assert!(
                core.matches("<polygon").count() > 1000,
                "no mesh drawn: {core}"
            );
            assert_eq!(ours, core, "step {current}");
        }
        let (next, ..) = handed_over("surface=booth&lr=0.05");
        scene.update(next);
        assert_eq!(scene.camera, camera);
    }
}
