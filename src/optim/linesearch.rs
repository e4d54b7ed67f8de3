//! Gradient descent with Armijo backtracking: from γ, halve the step until it decreases f
//! enough. Not in torch.optim; the step-size rule optimisation courses teach first.

use super::{Objective, Optimizer};

/// Armijo's constant c: a step must decrease f by at least c·γ‖g‖².
pub const ARMIJO_C: f64 = 1e-4;
/// The most halvings one step tries before it gives up and stays put.
pub const MAX_HALVINGS: usize = 50;

/// Backtracking line search along −g.
#[derive(Debug, Clone)]
pub struct LineSearch {
    lr: f64,
    /// The step size the last step accepted (0 when none passed).
    taken: f64,
    halvings: usize,
}

impl LineSearch {
    /// Backtracking from γ = `lr`.
    pub fn new(lr: f64) -> Self {
        LineSearch {
            lr,
            taken: lr,
            halvings: 0,
        }
    }
}

impl Optimizer for LineSearch {
    fn step(&mut self, theta: &mut [f64], g: &[f64], f: &dyn Objective) {
        let f0 = f.value(theta);
        let gg: f64 = g.iter().map(|g| g * g).sum();
        let mut gamma = self.lr;
        let mut trial = theta.to_vec();
        for halvings in 0..=MAX_HALVINGS {
            for ((p, t), g) in trial.iter_mut().zip(theta.iter()).zip(g) {
                *p = t - gamma * g;
            }
            if f.value(&trial) <= f0 - ARMIJO_C * gamma * gg {
                theta.copy_from_slice(&trial);
                (self.taken, self.halvings) = (gamma, halvings);
                return;
            }
            gamma /= 2.0;
        }
        (self.taken, self.halvings) = (0.0, MAX_HALVINGS);
    }

    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        vec![
            ("γ₀", vec![self.lr]),
            ("γ accepted", vec![self.taken]),
            ("halvings", vec![self.halvings as f64]),
        ]
    }

    fn set_lr(&mut self, lr: f64) {
        self.lr = lr;
    }

    /// It has no momentum ([`super::OptimizerKind::momentum_hyper`] is `None`).
    fn set_momentum(&mut self, _: f64) {}

    fn taken_lr(&self) -> Option<f64> {
        Some(self.taken)
    }
}
