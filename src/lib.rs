//! gdviz: gradient descent on 2D cost surfaces, exactly as PyTorch's `torch.optim` steps it.
//!
//! The core is pure and deterministic (no DOM, seeded randomness only) so the same code drives the
//! native CLI, the native tests and the WebAssembly front end:
//! - [`surface`]: cost surfaces with exact gradients and Hessians, as finite sums;
//! - [`optim`]: the optimizers and their validated hyper-parameters;
//! - [`variant`]: batch, stochastic and mini-batch sampling of a finite sum's terms;
//! - [`run`]: a whole run from a start point, its trajectory and its status;
//! - [`expr`]: typed functions f(x, y) with exact derivatives by automatic differentiation;
//! - `figure` (native only): a run's plot as an SVG or PNG file, as `gdviz render` writes it.

pub mod caption;
pub mod contour;
pub mod dataview;
pub mod error;
pub mod expr;
#[cfg(not(target_arch = "wasm32"))]
pub mod figure;
pub mod format;
pub mod lessons;
pub mod linalg;
pub mod measured;
pub mod optim;
pub mod options;
pub mod plot3d;
pub mod render;
pub mod run;
pub mod share;
pub mod surface;
pub mod teach;
pub mod variant;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use error::Error;
pub use linalg::{Mat2, Vec2};
pub use optim::{Hyper, OptimizerKind};
pub use run::{run, RunConfig, Status, Trajectory};
pub use surface::{Surface, View};
pub use variant::Variant;
