//! gdviz: gradient descent on 2D cost surfaces, exactly as PyTorch's `torch.optim` steps it.
//!
//! The core is pure and deterministic (no DOM, seeded randomness only) so the same code drives the
//! native CLI, the native tests and the WebAssembly front end. ARCHITECTURE.md at the repository's
//! root is the map; from the bottom layer up:
//! - base: [`error`], [`linalg`], [`format`](mod@format);
//! - compute: [`surface`] (exact derivatives, finite sums), [`expr`] (typed f(x, y)), [`optim`],
//!   [`variant`] (batch, stochastic, mini-batch), [`run`](mod@run), [`contour`];
//! - explain: [`teach`] (the critical rate, one update written out);
//! - state: [`options`] (1–4 runs on one surface, one selected), [`share`] (links, CSV),
//!   [`lessons`], [`caption`];
//! - draw: [`measured`], [`render`], [`dataview`], [`plot3d`];
//! - front ends: `figure` (native SVG/PNG) and `web` (wasm-bindgen).

pub mod caption;
pub mod contour;
pub mod dataview;
pub mod error;
pub mod exercise;
#[cfg(feature = "export")]
pub mod export;
pub mod expr;
#[cfg(not(target_arch = "wasm32"))]
pub mod figure;
pub mod format;
pub mod landview;
pub mod lessons;
pub mod linalg;
pub mod math;
pub mod measured;
pub mod netlessons;
pub mod netview;
pub mod network;
pub mod optim;
pub mod options;
pub mod plot3d;
pub mod render;
pub mod run;
pub mod schedule;
pub mod share;
pub mod sharpview;
pub mod surface;
pub mod teach;
pub mod variant;
#[cfg(all(target_arch = "wasm32", feature = "web"))]
pub mod web;

pub use error::Error;
pub use linalg::{Mat2, Vec2};
pub use optim::{Hyper, OptimizerKind};
pub use run::{run, RunConfig, Status, Trajectory};
pub use surface::{Surface, View};
pub use variant::Variant;
