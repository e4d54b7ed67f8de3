//! Adagrad as in `torch.optim.Adagrad` (no learning-rate decay, accumulator starting at 0):
//! s ← s + g²; θ ← θ − γg / (√s + ε).

use super::Optimizer;
use crate::linalg::Vec2;

/// `torch.optim.Adagrad`.
#[derive(Debug, Clone)]
pub struct Adagrad {
    lr: f64,
    eps: f64,
    sum: Vec2,
}

impl Adagrad {
    /// Adagrad with learning rate `lr` and ε = `eps`.
    pub fn new(lr: f64, eps: f64) -> Self {
        Adagrad {
            lr,
            eps,
            sum: [0.0; 2],
        }
    }
}

impl Optimizer for Adagrad {
    fn step(&mut self, theta: &mut Vec2, g: Vec2) {
        for i in 0..2 {
            // state_sum.addcmul_(grad, grad, value=1); std = state_sum.sqrt().add_(eps);
            // param.addcdiv_(grad, std, value=-clr) with clr = lr (lr_decay = 0).
            self.sum[i] += g[i] * g[i];
            let std = self.sum[i].sqrt() + self.eps;
            theta[i] += -self.lr * (g[i] / std);
        }
    }

    fn state(&self) -> Vec<(&'static str, Vec2)> {
        vec![("s", self.sum)]
    }
}
