//! RMSprop as in `torch.optim.RMSprop` (not centred, no momentum):
//! v ← αv + (1−α)g²; θ ← θ − γg / (√v + ε).

use super::Optimizer;
use crate::linalg::Vec2;

/// `torch.optim.RMSprop`.
#[derive(Debug, Clone)]
pub struct RmsProp {
    lr: f64,
    alpha: f64,
    eps: f64,
    square_avg: Vec2,
}

impl RmsProp {
    /// RMSprop with learning rate `lr`, decay α = `alpha` and ε = `eps`.
    pub fn new(lr: f64, alpha: f64, eps: f64) -> Self {
        RmsProp {
            lr,
            alpha,
            eps,
            square_avg: [0.0; 2],
        }
    }
}

impl Optimizer for RmsProp {
    fn step(&mut self, theta: &mut Vec2, g: Vec2) {
        for i in 0..2 {
            // square_avg.mul_(α).addcmul_(grad, grad, value=1−α); avg = square_avg.sqrt().add_(ε);
            // param.addcdiv_(grad, avg, value=-lr).
            self.square_avg[i] =
                self.square_avg[i] * self.alpha + (1.0 - self.alpha) * (g[i] * g[i]);
            let avg = self.square_avg[i].sqrt() + self.eps;
            theta[i] += -self.lr * (g[i] / avg);
        }
    }

    fn state(&self) -> Vec<(&'static str, Vec2)> {
        vec![("v", self.square_avg)]
    }
}
