//! Neural networks trained with the same exact optimizers as the 2D surfaces: a multilayer
//! perceptron over two inputs (`mlp`), seeded datasets (`data`), and torch's training loop
//! (`train`). Pure and deterministic like the rest of the core: seeded randomness only.

pub mod data;
pub mod mlp;
pub mod train;

pub use data::{generate, DataName, DataSpec, Examples, Split, Task};
pub use mlp::{Activation, Mlp, Tensor};
pub use train::{train, Row, TrainConfig, Training};
