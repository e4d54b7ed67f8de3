//! RMSprop as in `torch.optim.RMSprop`: v ← αv + (1−α)g²; θ ← θ − γg / (√v + ε); centred, it
//! divides by √(v − ḡ²) + ε with ḡ ← αḡ + (1−α)g; with momentum μ > 0, b ← μb + g/(…) and
//! θ ← θ − γb.

use super::{add, addcdiv, addcmul, decayed, lerp, Hyper, Update};

/// `torch.optim.RMSprop`.
#[derive(Debug, Clone)]
pub struct RmsProp {
    lr: f64,
    alpha: f64,
    eps: f64,
    momentum: f64,
    centered: bool,
    weight_decay: f64,
    square_avg: Vec<f64>,
    grad_avg: Vec<f64>,
    buf: Vec<f64>,
}

impl RmsProp {
    /// RMSprop with `h`'s γ, α, ε, μ, λ and centring, for `n` parameters.
    pub fn new(h: &Hyper, n: usize) -> Self {
        RmsProp {
            lr: h.lr,
            alpha: h.decay,
            eps: h.eps,
            momentum: h.momentum,
            centered: h.centered,
            weight_decay: h.weight_decay,
            square_avg: vec![0.0; n],
            grad_avg: vec![0.0; if h.centered { n } else { 0 }],
            buf: vec![0.0; if h.momentum > 0.0 { n } else { 0 }],
        }
    }
}

impl Update for RmsProp {
    #[inline(always)]
    fn update(&mut self, theta: &mut [f64], g: &[f64]) {
        for i in 0..theta.len() {
            let g = decayed(g[i], theta[i], self.weight_decay);
            // square_avg.mul_(α).addcmul_(grad, grad, value=1−α)
            let v = addcmul(self.square_avg[i] * self.alpha, g, g, 1.0 - self.alpha);
            self.square_avg[i] = v;
            let avg = if self.centered {
                // grad_avg.lerp_(grad, 1−α); avg = square_avg.addcmul(grad_avg, grad_avg,
                // value=-1).sqrt_()
                let m = lerp(self.grad_avg[i], g, 1.0 - self.alpha);
                self.grad_avg[i] = m;
                addcmul(v, m, m, -1.0).sqrt()
            } else {
                v.sqrt()
            } + self.eps;
            if self.momentum > 0.0 {
                // buf.mul_(μ).addcdiv_(grad, avg); param.add_(buf, alpha=-lr)
                let b = addcdiv(self.buf[i] * self.momentum, g, avg, 1.0);
                self.buf[i] = b;
                theta[i] = add(theta[i], b, -self.lr);
            } else {
                // param.addcdiv_(grad, avg, value=-lr)
                theta[i] = addcdiv(theta[i], g, avg, -self.lr);
            }
        }
    }

    fn set_lr(&mut self, lr: f64) {
        self.lr = lr;
    }

    fn set_momentum(&mut self, momentum: f64) {
        self.momentum = momentum;
        // torch creates the buffer (zeros) on its first step if μ > 0 then (and fails if μ turns
        // positive later); zeros here too, whenever μ turns positive.
        if momentum > 0.0 && self.buf.is_empty() {
            self.buf = vec![0.0; self.square_avg.len()];
        }
    }

    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        let mut s = vec![("v", self.square_avg.clone())];
        if self.centered {
            s.push(("ḡ", self.grad_avg.clone()));
        }
        if self.momentum > 0.0 {
            s.push(("b", self.buf.clone()));
        }
        s
    }
}
