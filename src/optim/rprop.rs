//! Rprop as in `torch.optim.Rprop`: each coordinate moves by its own step size Γ against the
//! sign of its gradient; Γ grows by η₊ while the sign holds and shrinks by η₋ when it flips
//! (and that step is skipped), within [Γmin, Γmax]. The gradient's size is never used.

use super::{addcmul, Hyper, Update};

/// `torch.optim.Rprop`.
#[derive(Debug, Clone)]
pub struct Rprop {
    etas: [f64; 2],
    bounds: [f64; 2],
    /// The gradient of the last step (0 where it flipped sign), `prev` in torch.
    prev: Vec<f64>,
    /// Each coordinate's step size Γ, set to γ at the first step (torch creates its state
    /// then, so a schedule's later rates change nothing).
    step_size: Vec<f64>,
    lr: f64,
    started: bool,
}

impl Rprop {
    /// Rprop with `h`'s γ (the first step sizes), η₋, η₊, Γmin and Γmax for `n` parameters.
    pub fn new(h: &Hyper, n: usize) -> Self {
        Rprop {
            etas: h.etas,
            bounds: h.step_sizes,
            prev: vec![0.0; n],
            step_size: vec![h.lr; n],
            lr: h.lr,
            started: false,
        }
    }
}

/// `torch.sign` of a double: −1, 0 or 1, NaN for NaN.
fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else if x == 0.0 {
        0.0
    } else {
        f64::NAN
    }
}

impl Update for Rprop {
    #[inline(always)]
    fn update(&mut self, theta: &mut [f64], g: &[f64]) {
        let [eta_minus, eta_plus] = self.etas;
        let [lo, hi] = self.bounds;
        if !self.started {
            self.started = true;
            self.step_size.fill(self.lr);
        }
        for i in 0..theta.len() {
            // sign = grad.mul(prev).sign(), then its 1s → η₊, −1s → η₋, 0s → 1.
            let s = sign(g[i] * self.prev[i]);
            let factor = if s > 0.0 {
                eta_plus
            } else if s < 0.0 {
                eta_minus
            } else if s == 0.0 {
                1.0
            } else {
                s // NaN stays NaN, as in torch
            };
            // step_size.mul_(sign).clamp_(min, max)
            let s = self.step_size[i] * factor;
            self.step_size[i] = if s.is_nan() { s } else { s.max(lo).min(hi) };
            // grad[sign == η₋] = 0: no step where the sign flipped.
            let g = if factor == eta_minus { 0.0 } else { g[i] };
            // param.addcmul_(grad.sign(), step_size, value=-1)
            theta[i] = addcmul(theta[i], sign(g), self.step_size[i], -1.0);
            self.prev[i] = g;
        }
    }

    fn set_lr(&mut self, lr: f64) {
        self.lr = lr;
    }

    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        vec![("Γ", self.step_size.clone()), ("g₋", self.prev.clone())]
    }
}
