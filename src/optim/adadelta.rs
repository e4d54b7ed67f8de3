//! Adadelta as in `torch.optim.Adadelta`: v ← ρv + (1−ρ)g²; Δ = g·√(u + ε)/√(v + ε);
//! u ← ρu + (1−ρ)Δ²; θ ← θ − γΔ. The step carries its own units: γ is a plain factor (1).

use super::{add, addcmul, decayed, Hyper, Update};

/// `torch.optim.Adadelta`.
#[derive(Debug, Clone)]
pub struct Adadelta {
    lr: f64,
    rho: f64,
    eps: f64,
    weight_decay: f64,
    square_avg: Vec<f64>,
    acc_delta: Vec<f64>,
}

impl Adadelta {
    /// Adadelta with `h`'s γ, ρ, ε and λ for `n` parameters.
    pub fn new(h: &Hyper, n: usize) -> Self {
        Adadelta {
            lr: h.lr,
            rho: h.rho,
            eps: h.eps,
            weight_decay: h.weight_decay,
            square_avg: vec![0.0; n],
            acc_delta: vec![0.0; n],
        }
    }
}

impl Update for Adadelta {
    #[inline(always)]
    fn update(&mut self, theta: &mut [f64], g: &[f64]) {
        let rho = self.rho;
        for i in 0..theta.len() {
            let g = decayed(g[i], theta[i], self.weight_decay);
            self.square_avg[i] = addcmul(self.square_avg[i] * rho, g, g, 1.0 - rho);
            let std = (self.square_avg[i] + self.eps).sqrt();
            // delta = acc_delta.add(eps).sqrt_().div_(std).mul_(grad)
            let delta = (self.acc_delta[i] + self.eps).sqrt() / std * g;
            self.acc_delta[i] = addcmul(self.acc_delta[i] * rho, delta, delta, 1.0 - rho);
            theta[i] = add(theta[i], delta, -self.lr);
        }
    }

    fn set_lr(&mut self, lr: f64) {
        self.lr = lr;
    }

    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        vec![
            ("v", self.square_avg.clone()),
            ("u", self.acc_delta.clone()),
        ]
    }
}
