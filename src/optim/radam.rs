//! RAdam as in `torch.optim.RAdam`: Adam whose adaptive step is used only once the variance of
//! its estimate is tractable (ρₜ > 5), scaled by the rectification rₜ; before that, the step is
//! momentum SGD with the bias-corrected m.

use super::{add, addcmul, lerp, weight_decayed, Hyper, Powers, Update};

/// `torch.optim.RAdam`.
#[derive(Debug, Clone)]
pub struct Radam {
    lr: f64,
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    decoupled: bool,
    step: u64,
    /// The last step's ρₜ (0 before the first step).
    rho_t: f64,
    exp_avg: Vec<f64>,
    exp_avg_sq: Vec<f64>,
    /// β₁ᵗ and β₂ᵗ, correctly rounded ([`Powers`]).
    beta1_powers: Powers,
    beta2_powers: Powers,
}

impl Radam {
    /// RAdam with `h`'s γ, β₁, β₂, ε, λ and decoupling for `n` parameters.
    pub fn new(h: &Hyper, n: usize) -> Self {
        Radam {
            lr: h.lr,
            beta1: h.beta1,
            beta2: h.beta2,
            eps: h.eps,
            weight_decay: h.weight_decay,
            decoupled: h.decoupled,
            step: 0,
            rho_t: 0.0,
            exp_avg: vec![0.0; n],
            exp_avg_sq: vec![0.0; n],
            beta1_powers: Powers::new(h.beta1),
            beta2_powers: Powers::new(h.beta2),
        }
    }
}

/// Whether RAdam's step with this ρₜ is rectified (adaptive) rather than plain momentum.
pub fn rectified(rho_t: f64) -> bool {
    rho_t > 5.0
}

impl Update for Radam {
    #[inline(always)]
    fn update(&mut self, theta: &mut [f64], g: &[f64]) {
        self.step += 1;
        let t = self.step as f64;
        let (b1, b2) = (self.beta1, self.beta2);
        // Python floats, as torch computes them: `beta ** step` correctly rounded (see
        // [`Powers`]), `x ** 0.5` a square root (the `libm` crate's `pow` takes one for ½; glibc's
        // agrees wherever it rounds correctly).
        let (b1t, b2t) = (
            self.beta1_powers.at(b1, self.step),
            self.beta2_powers.at(b2, self.step),
        );
        let bias_correction1 = 1.0 - b1t;
        let bias_correction2 = 1.0 - b2t;
        let rho_inf = 2.0 / (1.0 - b2) - 1.0;
        let rho_t = rho_inf - 2.0 * t * b2t / bias_correction2;
        self.rho_t = rho_t;
        let rect = rectified(rho_t).then(|| {
            ((rho_t - 4.0) * (rho_t - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
                .sqrt()
        });
        let bc2_sqrt = bias_correction2.sqrt();
        let wd = self.weight_decay;
        for i in 0..theta.len() {
            let g = weight_decayed(&mut theta[i], g[i], self.lr, wd, self.decoupled);
            self.exp_avg[i] = lerp(self.exp_avg[i], g, 1.0 - b1);
            self.exp_avg_sq[i] = addcmul(self.exp_avg_sq[i] * b2, g, g, 1.0 - b2);
            let corrected = self.exp_avg[i] / bias_correction1;
            let update = match rect {
                // bias_corrected_exp_avg * lr * adaptive_lr * rect, where adaptive_lr =
                // bc2 ** 0.5 / (√v + ε) is Tensor.__rtruediv__: reciprocal, then times.
                Some(r) => {
                    let adaptive = (1.0 / (self.exp_avg_sq[i].sqrt() + self.eps)) * bc2_sqrt;
                    corrected * self.lr * adaptive * r
                }
                None => corrected * self.lr,
            };
            // param.add_(update, alpha=-1.0)
            theta[i] = add(theta[i], update, -1.0);
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
            ("ρₜ", vec![self.rho_t]),
        ]
    }
}
