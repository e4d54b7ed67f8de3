//! Plain gradient descent: θ ← θ − γg.

use super::Optimizer;
use crate::linalg::Vec2;

/// `torch.optim.SGD` without momentum.
#[derive(Debug, Clone)]
pub struct Sgd {
    lr: f64,
}

impl Sgd {
    /// Gradient descent with learning rate `lr`.
    pub fn new(lr: f64) -> Self {
        Sgd { lr }
    }
}

impl Optimizer for Sgd {
    fn step(&mut self, theta: &mut Vec2, g: Vec2) {
        // param.add_(grad, alpha=-lr)
        for i in 0..2 {
            theta[i] += -self.lr * g[i];
        }
    }

    fn state(&self) -> Vec<(&'static str, Vec2)> {
        Vec::new()
    }
}
