//! Adagrad as in `torch.optim.Adagrad`: s ← s + g² (s starting at s₀); γₜ = γ/(1 + (t−1)η);
//! θ ← θ − γₜg / (√s + ε), with g + λθ for g under weight decay.

use super::{addcdiv, addcmul, decayed, Hyper, Update};

/// `torch.optim.Adagrad`.
#[derive(Debug, Clone)]
pub struct Adagrad {
    lr: f64,
    eps: f64,
    lr_decay: f64,
    weight_decay: f64,
    step: u64,
    sum: Vec<f64>,
}

impl Adagrad {
    /// Adagrad with `h`'s γ, ε, η, λ and s₀, for `n` parameters.
    pub fn new(h: &Hyper, n: usize) -> Self {
        Adagrad {
            lr: h.lr,
            eps: h.eps,
            lr_decay: h.lr_decay,
            weight_decay: h.weight_decay,
            step: 0,
            sum: vec![h.initial_accumulator; n],
        }
    }
}

impl Update for Adagrad {
    #[inline(always)]
    fn update(&mut self, theta: &mut [f64], g: &[f64]) {
        self.step += 1;
        // clr = lr / (1 + (step − 1) * lr_decay), in Python floats.
        let clr = self.lr / (1.0 + (self.step as f64 - 1.0) * self.lr_decay);
        for ((p, &g), s) in theta.iter_mut().zip(g).zip(&mut self.sum) {
            let g = decayed(g, *p, self.weight_decay);
            // state_sum.addcmul_(grad, grad, value=1); std = state_sum.sqrt().add_(eps);
            // param.addcdiv_(grad, std, value=-clr).
            *s = addcmul(*s, g, g, 1.0);
            let std = s.sqrt() + self.eps;
            *p = addcdiv(*p, g, std, -clr);
        }
    }

    fn set_lr(&mut self, lr: f64) {
        self.lr = lr;
    }

    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        vec![("s", self.sum.clone())]
    }
}
