//! Plain gradient descent as in `torch.optim.SGD` without momentum: θ ← θ − γ(g + λθ).

use super::{add, decayed, Update};

/// `torch.optim.SGD` without momentum.
#[derive(Debug, Clone)]
pub struct Sgd {
    lr: f64,
    weight_decay: f64,
}

impl Sgd {
    /// Gradient descent with learning rate `lr` and coupled weight decay λ.
    pub fn new(lr: f64, weight_decay: f64) -> Self {
        Sgd { lr, weight_decay }
    }
}

impl Update for Sgd {
    #[inline(always)]
    fn update(&mut self, theta: &mut [f64], g: &[f64]) {
        for (p, &g) in theta.iter_mut().zip(g) {
            // grad = grad.add(param, alpha=λ); param.add_(grad, alpha=-lr)
            let g = decayed(g, *p, self.weight_decay);
            *p = add(*p, g, -self.lr);
        }
    }

    fn set_lr(&mut self, lr: f64) {
        self.lr = lr;
    }

    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        Vec::new()
    }
}
