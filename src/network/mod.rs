//! Neural networks trained with the same exact optimizers as the 2D surfaces: a multilayer
//! perceptron over two inputs (`mlp`), seeded datasets (`data`), and torch's training loop
//! (`train`), the loss's curvature (`curvature`) and its landscape over a plane (`landscape`).
//! Pure and deterministic like the rest of the core: seeded randomness only.

pub mod curvature;
pub mod data;
pub mod landscape;
pub mod mlp;
pub mod train;

pub use curvature::{hessian_vector, sharpness, Power};
pub use data::{generate, parse_csv, DataName, DataSpec, Examples, Split, Task};
pub use landscape::{Grid, Plane, PlaneKind};
pub use mlp::{Activation, Mlp, Tensor};
pub use train::{train, Row, TrainConfig, Training};
