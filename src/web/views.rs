//! What the data view and the 3D view need from a [`Visualizer`]. They are drawn by the page's
//! second module (`lab/`, `SurfaceViews`), which parses the state from `stateQuery()` as any
//! link is parsed; this side hands over only what it holds already: every run's path
//! ([`Visualizer::paths`], not recomputed there), and in `state()` the batch and the decision
//! boundary at the step shown.

use js_sys::{Array, Float64Array, Object};
use wasm_bindgen::prelude::*;

use super::{set, Visualizer};
use crate::variant;

#[wasm_bindgen]
impl Visualizer {
    /// Every run's path in colour order, each as a `Float64Array` of `x, y, f(x, y)` per point
    /// (the second module's views draw them as they are).
    pub fn paths(&self) -> Array {
        self.trajectories()
            .map(|t| JsValue::from(Float64Array::from(t.xyf().as_slice())))
            .collect()
    }
}

impl Visualizer {
    /// The term indices of the batch of the step that led to the point shown (the selected
    /// run's).
    fn batch_indices(&self) -> Vec<usize> {
        let cfg = self.config(self.opts.selected());
        let n = self.surface().terms().unwrap_or(variant::ANALYTIC_TERMS);
        let step = self.current.min(self.traj().steps());
        variant::batch_at(cfg.variant, n, cfg.batch, cfg.seed, step).unwrap_or_default()
    }

    /// Adds the views' part of `state()`: `batchIndices` (the current batch's examples) and
    /// `decisionBoundary` (x where p = ½, or null). The page adds `view3d`, the 3D view's own.
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
    }
}
