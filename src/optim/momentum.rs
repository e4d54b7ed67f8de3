//! Heavy-ball and Nesterov momentum as in `torch.optim.SGD` (dampening 0):
//! b ← μb + g (b₁ = g); θ ← θ − γb, or θ ← θ − γ(g + μb) for Nesterov.

use super::Optimizer;
use crate::linalg::Vec2;

/// `torch.optim.SGD(momentum=μ, nesterov=…)`.
#[derive(Debug, Clone)]
pub struct Momentum {
    lr: f64,
    mu: f64,
    nesterov: bool,
    /// The momentum buffer b; `None` before the first step.
    buf: Option<Vec2>,
}

impl Momentum {
    /// Momentum μ with learning rate `lr`; `nesterov` picks the look-ahead form.
    pub fn new(lr: f64, mu: f64, nesterov: bool) -> Self {
        Momentum {
            lr,
            mu,
            nesterov,
            buf: None,
        }
    }
}

impl Optimizer for Momentum {
    fn step(&mut self, theta: &mut Vec2, g: Vec2) {
        // buf = clone(grad) on the first step, then buf.mul_(μ).add_(grad).
        let b = match self.buf {
            None => g,
            Some(b) => [b[0] * self.mu + g[0], b[1] * self.mu + g[1]],
        };
        self.buf = Some(b);
        for i in 0..2 {
            // Nesterov: grad = grad.add(buf, alpha=μ); then param.add_(grad, alpha=-lr).
            let d = if self.nesterov {
                g[i] + self.mu * b[i]
            } else {
                b[i]
            };
            theta[i] += -self.lr * d;
        }
    }

    fn state(&self) -> Vec<(&'static str, Vec2)> {
        vec![("b", self.buf.unwrap_or([0.0; 2]))]
    }
}
