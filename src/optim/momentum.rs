//! Heavy-ball and Nesterov momentum as in `torch.optim.SGD(momentum=μ, dampening=τ, nesterov=…)`:
//! b ← μb + (1−τ)g (b₁ = g); θ ← θ − γb, or θ ← θ − γ(g + μb) for Nesterov (τ = 0).

use super::{add, decayed, Hyper, Update};

/// `torch.optim.SGD(momentum=μ, dampening=τ, weight_decay=λ, nesterov=…)`.
#[derive(Debug, Clone)]
pub struct Momentum {
    lr: f64,
    mu: f64,
    dampening: f64,
    weight_decay: f64,
    nesterov: bool,
    /// Whether the momentum buffer holds anything yet (torch creates it on the first step).
    started: bool,
    /// The momentum buffer b.
    buf: Vec<f64>,
}

impl Momentum {
    /// Momentum with `h`'s γ, μ, τ and λ for `n` parameters; `nesterov` picks the look-ahead form.
    pub fn new(h: &Hyper, nesterov: bool, n: usize) -> Self {
        Momentum {
            lr: h.lr,
            mu: h.momentum,
            dampening: h.dampening,
            weight_decay: h.weight_decay,
            nesterov,
            started: false,
            buf: vec![0.0; n],
        }
    }
}

impl Update for Momentum {
    #[inline(always)]
    fn update(&mut self, theta: &mut [f64], g: &[f64]) {
        let first = !self.started;
        self.started = true;
        for ((p, &g), b) in theta.iter_mut().zip(g).zip(&mut self.buf) {
            let g = decayed(g, *p, self.weight_decay);
            // buf = clone(grad) on the first step, then buf.mul_(μ).add_(grad, alpha=1−τ).
            *b = if first {
                g
            } else {
                add(*b * self.mu, g, 1.0 - self.dampening)
            };
            // Nesterov: grad = grad.add(buf, alpha=μ); then param.add_(grad, alpha=-lr).
            let d = if self.nesterov {
                add(g, *b, self.mu)
            } else {
                *b
            };
            *p = add(*p, d, -self.lr);
        }
    }

    fn set_lr(&mut self, lr: f64) {
        self.lr = lr;
    }

    fn set_momentum(&mut self, momentum: f64) {
        self.mu = momentum;
    }

    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        vec![("b", self.buf.clone())]
    }
}
