//! Adamax as in `torch.optim.Adamax`: Adam with the second moment replaced by an exponentially
//! weighted infinity norm u ← max(β₂u, |g| + ε); θ ← θ − γm / ((1−β₁ᵗ)u).

use super::adam::max;
use super::{addcdiv, decayed, lerp, Hyper, Powers, Update};

/// `torch.optim.Adamax`.
#[derive(Debug, Clone)]
pub struct Adamax {
    lr: f64,
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    step: u64,
    exp_avg: Vec<f64>,
    exp_inf: Vec<f64>,
    /// β₁ᵗ, correctly rounded ([`Powers`]).
    beta1_powers: Powers,
}

impl Adamax {
    /// Adamax with `h`'s γ, β₁, β₂, ε and λ for `n` parameters.
    pub fn new(h: &Hyper, n: usize) -> Self {
        Adamax {
            lr: h.lr,
            beta1: h.beta1,
            beta2: h.beta2,
            eps: h.eps,
            weight_decay: h.weight_decay,
            step: 0,
            exp_avg: vec![0.0; n],
            exp_inf: vec![0.0; n],
            beta1_powers: Powers::new(h.beta1),
        }
    }
}

impl Update for Adamax {
    #[inline(always)]
    fn update(&mut self, theta: &mut [f64], g: &[f64]) {
        self.step += 1;
        let clr = self.lr / (1.0 - self.beta1_powers.at(self.beta1, self.step));
        for i in 0..theta.len() {
            let g = decayed(g[i], theta[i], self.weight_decay);
            self.exp_avg[i] = lerp(self.exp_avg[i], g, 1.0 - self.beta1);
            // torch.maximum(exp_inf.mul_(β₂), grad.abs().add_(eps), out=exp_inf)
            self.exp_inf[i] = max(self.exp_inf[i] * self.beta2, g.abs() + self.eps);
            // param.addcdiv_(exp_avg, exp_inf, value=-clr)
            theta[i] = addcdiv(theta[i], self.exp_avg[i], self.exp_inf[i], -clr);
        }
    }

    fn set_lr(&mut self, lr: f64) {
        self.lr = lr;
    }

    fn set_momentum(&mut self, beta1: f64) {
        self.beta1 = beta1;
    }

    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        vec![("m", self.exp_avg.clone()), ("u", self.exp_inf.clone())]
    }
}
