//! NAdam as in `torch.optim.NAdam`: Adam with Nesterov momentum, whose momentum coefficient
//! μₜ = β₁(1 − ½·0.96^(tψ)) warms up over the first steps.

use super::{addcdiv, addcmul, lerp, weight_decayed, Hyper, Powers, Update};

/// `torch.optim.NAdam`.
#[derive(Debug, Clone)]
pub struct Nadam {
    lr: f64,
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    momentum_decay: f64,
    decoupled: bool,
    step: u64,
    /// μ₁μ₂⋯μₜ.
    mu_product: f64,
    /// The last step's μₜ (0 before the first step), for the next-update panel.
    mu: f64,
    exp_avg: Vec<f64>,
    exp_avg_sq: Vec<f64>,
    /// β₂ᵗ, correctly rounded ([`Powers`]).
    beta2_powers: Powers,
}

impl Nadam {
    /// NAdam with `h`'s γ, β₁, β₂, ε, λ, ψ and decoupling for `n` parameters.
    pub fn new(h: &Hyper, n: usize) -> Self {
        Nadam {
            lr: h.lr,
            beta1: h.beta1,
            beta2: h.beta2,
            eps: h.eps,
            weight_decay: h.weight_decay,
            momentum_decay: h.momentum_decay,
            decoupled: h.decoupled,
            step: 0,
            mu_product: 1.0,
            mu: 0.0,
            exp_avg: vec![0.0; n],
            exp_avg_sq: vec![0.0; n],
            beta2_powers: Powers::new(h.beta2),
        }
    }

    /// μₜ = β₁(1 − ½·0.96^(tψ)), as torch computes it in Python floats.
    fn mu_at(&self, t: f64) -> f64 {
        self.beta1 * (1.0 - 0.5 * crate::math::pow(0.96, t * self.momentum_decay))
    }
}

impl Update for Nadam {
    #[inline(always)]
    fn update(&mut self, theta: &mut [f64], g: &[f64]) {
        self.step += 1;
        let t = self.step as f64;
        let bias_correction2 = 1.0 - self.beta2_powers.at(self.beta2, self.step);
        let mu = self.mu_at(t);
        let mu_next = self.mu_at(t + 1.0);
        self.mu = mu;
        self.mu_product *= mu;
        let mu_product_next = self.mu_product * mu_next;
        let value_g = -self.lr * (1.0 - mu) / (1.0 - self.mu_product);
        let value_m = (-self.lr * mu_next) / (1.0 - mu_product_next);
        let wd = self.weight_decay;
        for i in 0..theta.len() {
            let g = weight_decayed(&mut theta[i], g[i], self.lr, wd, self.decoupled);
            self.exp_avg[i] = lerp(self.exp_avg[i], g, 1.0 - self.beta1);
            self.exp_avg_sq[i] = addcmul(self.exp_avg_sq[i] * self.beta2, g, g, 1.0 - self.beta2);
            // denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
            let denom = (self.exp_avg_sq[i] / bias_correction2).sqrt() + self.eps;
            // Two addcdiv_: the gradient's share, then the momentum's.
            theta[i] = addcdiv(theta[i], g, denom, value_g);
            theta[i] = addcdiv(theta[i], self.exp_avg[i], denom, value_m);
        }
    }

    fn set_lr(&mut self, lr: f64) {
        self.lr = lr;
    }

    fn set_momentum(&mut self, beta1: f64) {
        self.beta1 = beta1;
    }

    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        vec![
            ("m", self.exp_avg.clone()),
            ("v", self.exp_avg_sq.clone()),
            ("μₜ", vec![self.mu]),
            ("μ₁⋯μₜ", vec![self.mu_product]),
        ]
    }
}
