//! Adam and AdamW as in `torch.optim.Adam` and `torch.optim.AdamW`:
//! m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − γ(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε), with
//! AMSGrad's running maximum of v, and weight decay coupled (Adam) or decoupled (AdamW).

use super::{addcdiv, addcmul, lerp, weight_decayed, Hyper, Powers, Update};

/// `torch.optim.Adam` or `torch.optim.AdamW`.
#[derive(Debug, Clone)]
pub struct Adam {
    lr: f64,
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    decoupled: bool,
    amsgrad: bool,
    step: u64,
    exp_avg: Vec<f64>,
    exp_avg_sq: Vec<f64>,
    /// AMSGrad's running maximum of v (empty without AMSGrad).
    max_exp_avg_sq: Vec<f64>,
    /// The last step's 1 − β₁ᵗ and √(1 − β₂ᵗ). Once one rounds to exactly 1 it stays 1 (βᵗ only
    /// shrinks), so its power is skipped from then on: after ~360 steps for β₁ = 0.9, ~37 000
    /// for β₂ = 0.999. The numbers are the same; long runs are faster.
    bias_correction1: f64,
    bias_correction2_sqrt: f64,
    /// β₁ᵗ and β₂ᵗ, correctly rounded, a multiplication a step ([`Powers`]).
    beta1_powers: Powers,
    beta2_powers: Powers,
}

impl Adam {
    /// Adam with `h`'s γ, β₁, β₂, ε, λ and AMSGrad for `n` parameters; `decoupled` makes it
    /// AdamW.
    pub fn new(h: &Hyper, decoupled: bool, n: usize) -> Self {
        Adam {
            lr: h.lr,
            beta1: h.beta1,
            beta2: h.beta2,
            eps: h.eps,
            weight_decay: h.weight_decay,
            decoupled,
            amsgrad: h.amsgrad,
            step: 0,
            exp_avg: vec![0.0; n],
            exp_avg_sq: vec![0.0; n],
            max_exp_avg_sq: vec![0.0; if h.amsgrad { n } else { 0 }],
            bias_correction1: 0.0,
            bias_correction2_sqrt: 0.0,
            beta1_powers: Powers::new(h.beta1),
            beta2_powers: Powers::new(h.beta2),
        }
    }
}

impl Update for Adam {
    #[inline(always)]
    fn update(&mut self, theta: &mut [f64], g: &[f64]) {
        self.step += 1;
        // PyTorch's single-tensor path, operation for operation: the bias corrections are Python
        // floats (`beta ** step`, correctly rounded as glibc's `pow` nearly always is;
        // `bias_correction2 ** 0.5`, a square root: the `libm` crate's `pow` takes one for an
        // exponent of ½, so the bits are what they were; glibc's `pow` agrees wherever it
        // rounds correctly), the first moment uses `lerp_`.
        let t = self.step;
        if self.bias_correction1 != 1.0 {
            self.bias_correction1 = 1.0 - self.beta1_powers.at(self.beta1, t);
        }
        if self.bias_correction2_sqrt != 1.0 {
            let bias_correction2 = 1.0 - self.beta2_powers.at(self.beta2, t);
            self.bias_correction2_sqrt = bias_correction2.sqrt();
        }
        let (bias_correction1, bias_correction2_sqrt) =
            (self.bias_correction1, self.bias_correction2_sqrt);
        let step_size = self.lr / bias_correction1;
        let (wd, decoupled) = (self.weight_decay, self.decoupled);
        for i in 0..theta.len() {
            let g = weight_decayed(&mut theta[i], g[i], self.lr, wd, decoupled);
            self.exp_avg[i] = lerp(self.exp_avg[i], g, 1.0 - self.beta1);
            self.exp_avg_sq[i] = addcmul(self.exp_avg_sq[i] * self.beta2, g, g, 1.0 - self.beta2);
            let v = if self.amsgrad {
                self.max_exp_avg_sq[i] = max(self.max_exp_avg_sq[i], self.exp_avg_sq[i]);
                self.max_exp_avg_sq[i]
            } else {
                self.exp_avg_sq[i]
            };
            let denom = v.sqrt() / bias_correction2_sqrt + self.eps;
            // param.addcdiv_(exp_avg, denom, value=-step_size)
            theta[i] = addcdiv(theta[i], self.exp_avg[i], denom, -step_size);
        }
    }

    fn set_lr(&mut self, lr: f64) {
        self.lr = lr;
    }

    fn set_momentum(&mut self, beta1: f64) {
        if beta1 != self.beta1 {
            self.beta1 = beta1;
            // 1 − β₁ᵗ is 1 no longer once β₁ changes: compute it afresh.
            self.bias_correction1 = 0.0;
        }
    }

    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        let mut s = vec![("m", self.exp_avg.clone()), ("v", self.exp_avg_sq.clone())];
        if self.amsgrad {
            s.push(("v̄", self.max_exp_avg_sq.clone()));
        }
        s
    }
}

/// `torch.maximum` of two doubles: NaN if either is (unlike `f64::max`).
pub(super) fn max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a >= b {
        a
    } else {
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{power, Optimizer};

    /// Adam with every bias correction computed afresh, as PyTorch does.
    fn reference(a: &mut Adam, theta: &mut [f64; 2], g: [f64; 2]) {
        a.step += 1;
        let t = a.step;
        let step_size = a.lr / (1.0 - power(a.beta1, t));
        let bias_correction2_sqrt = crate::math::pow(1.0 - power(a.beta2, t), 0.5);
        for i in 0..2 {
            a.exp_avg[i] = lerp(a.exp_avg[i], g[i], 1.0 - a.beta1);
            a.exp_avg_sq[i] = addcmul(a.exp_avg_sq[i] * a.beta2, g[i], g[i], 1.0 - a.beta2);
            let denom = a.exp_avg_sq[i].sqrt() / bias_correction2_sqrt + a.eps;
            theta[i] = addcdiv(theta[i], a.exp_avg[i], denom, -step_size);
        }
    }

    /// `lerp` rounds as ATen's CPU kernel does: below a weight of 0.5 it computes
    /// start + w(end − start), from 0.5 on end − (end − start)(1 − w). The two formulas differ in
    /// the last bit for these values; Adam's first moment takes the second one when β₁ ≤ 0.5.
    /// The expected values are `torch.lerp` in float64 (torch 2.15).
    #[test]
    fn lerp_rounds_as_torch_does() {
        assert_eq!(lerp(-0.78, 0.624, 0.3), -0.35880000000000006);
        assert_eq!(lerp(2.019, -0.142, 0.5), 0.9385);
        assert_eq!(lerp(0.834, -2.096, 0.7), -1.2169999999999999);
    }

    /// A β₁ set by a schedule (OneCycleLR) after 1 − β₁ᵗ saturated is used from then on: the
    /// saturated correction is not kept for another β₁.
    #[test]
    fn a_new_beta1_recomputes_the_saturated_correction() {
        let h = Hyper::defaults(crate::OptimizerKind::Adam);
        let mut fast = Adam::new(&h, false, 2);
        let mut slow = fast.clone();
        let (mut a, mut b) = ([1.0, -2.0], [1.0, -2.0]);
        for k in 0..2000 {
            // β₁ = 0.9 until long after 0.9ᵗ vanished, then 0.999 (whose power has not).
            let beta1 = if k < 1000 { 0.9 } else { 0.999 };
            Optimizer::set_momentum(&mut fast, beta1);
            slow.beta1 = beta1;
            let g = [(k as f64 * 0.37).sin(), (k as f64 * 0.11).cos()];
            fast.step(&mut a, &g, &crate::optim::GradientOnly);
            reference(&mut slow, &mut b, g);
            assert_eq!(a.map(f64::to_bits), b.map(f64::to_bits), "step {k}");
        }
        assert!(fast.bias_correction1 < 1.0);
    }

    #[test]
    fn skipping_saturated_bias_corrections_changes_no_bit() {
        // Past both saturation points (β₂ = 0.999 saturates near step 37 000), on a gradient
        // that never settles, for the default and for slower and faster decays.
        for (beta1, beta2) in [(0.9, 0.999), (0.5, 0.9), (0.99, 0.9999), (0.0, 0.0)] {
            let h = Hyper {
                beta1,
                beta2,
                ..Hyper::defaults(crate::OptimizerKind::Adam)
            };
            let mut fast = Adam::new(&h, false, 2);
            let mut slow = fast.clone();
            let (mut a, mut b) = ([1.0, -2.0], [1.0, -2.0]);
            for k in 0..60_000 {
                let g = [
                    (k as f64 * 0.37).sin() + a[0],
                    (k as f64 * 0.11).cos() * a[1],
                ];
                fast.step(&mut a, &g, &crate::optim::GradientOnly);
                reference(&mut slow, &mut b, g);
                assert_eq!(
                    a.map(f64::to_bits),
                    b.map(f64::to_bits),
                    "step {k}, β = {beta1}, {beta2}"
                );
            }
            assert_eq!(fast.bias_correction1, 1.0);
            // β₂ = 0.9999 saturates only near step 370 000; the others did here.
            if beta2 < 0.9999 {
                assert_eq!(fast.bias_correction2_sqrt, 1.0, "β₂ = {beta2}");
            }
        }
    }
}
