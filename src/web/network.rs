//! Network mode's settings, and the hand-over to the page's second wasm module.
//!
//! Training a network and drawing it (and the code export) live in `lab/`, a module the page
//! loads the first time Network mode or the Code box is opened, so the first module stays small.
//! This module keeps what the page needs before then: whether Network mode is on, its settings
//! for the controls, and the state as a link query against the defaults
//! ([`Visualizer::state_query`]), which the second module parses with the core's validation.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::{set, Visualizer};
use crate::options::{hidden_text, Options, TEST_EXAMPLES, TRAIN_EXAMPLES};

#[wasm_bindgen]
impl Visualizer {
    /// Whether the page is in Network mode.
    #[wasm_bindgen(getter, js_name = networkOn)]
    pub fn network_on(&self) -> bool {
        self.opts.network.on
    }

    /// Network mode's settings: `{on, dataset, hidden, activation, dataSeed, initSeed, curves, steps,
    /// describe}` (the run's state is the second module's `NetworkView.state()`).
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
        set(&o, "curves", n.curves());
        set(&o, "steps", self.opts.steps as f64);
        let arch = format!("2-{}-1", hidden_text(&n.hidden).replace(',', "-"));
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
        o
    }

    /// The whole state as a link query against the defaults (not the lesson, unlike
    /// [`Visualizer::query`]): what the second module is handed, so applying it to the
    /// defaults gives these options exactly.
    #[wasm_bindgen(js_name = stateQuery)]
    pub fn state_query(&self) -> String {
        crate::share::query_string(&crate::share::query_pairs(&self.opts, &Options::default()))
    }
}
