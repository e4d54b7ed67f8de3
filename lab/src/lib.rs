//! gdviz's second WebAssembly module: what the page needs only when a person asks for it.
//!
//! The page's first module (the `gdviz` crate's `web`) draws the surfaces and must stay within
//! 200 KB gzipped; Network mode (training a network, its boundary, curves and diagram), the
//! surfaces' data and 3D views, and the code export (a run as a torch or NumPy script) are
//! loaded as this module the first time one of them shows (`www/lab.js`), once for every
//! instance on the page.
//!
//! The boundary between the two is the state as a link query against the defaults
//! (`Visualizer.stateQuery()` on the page's side): "a link is the state", so this side parses it
//! with the core's own validation and sees exactly the options the page holds.
//! - [`code`]: the selected run's script (pure; tested natively);
//! - [`netrun`]: the network run the options describe, trained in chunks, θ kept for scrubbing
//!   (pure; tested natively);
//! - [`landrun`]: the trained run's loss landscape over a plane, computed a few losses at a
//!   time (pure; tested natively);
//! - [`sharprun`]: the trained run's sharpness λmax at steps over it, a Hessian-vector product
//!   at a time (pure; tested natively);
//! - [`views`]: the surfaces' data view and 3D view, drawn from the state and the runs' paths
//!   the first module hands over (`SurfaceViews`, wasm only);
//! - `web` (wasm only): the bindings, `NetworkView` (one per instance: its canvases and run),
//!   `code()` and `lessonText()` (Network mode's lesson texts, `gdviz::netlessons`, which only
//!   this module carries).

pub mod code;
pub mod landrun;
pub mod netrun;
pub mod sharprun;
pub mod views;
#[cfg(target_arch = "wasm32")]
mod web;
