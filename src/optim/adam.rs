//! Adam as in `torch.optim.Adam` (no AMSGrad, no weight decay):
//! m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − γ(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε).

use super::Optimizer;
use crate::linalg::Vec2;

/// `torch.optim.Adam`.
#[derive(Debug, Clone)]
pub struct Adam {
    lr: f64,
    beta1: f64,
    beta2: f64,
    eps: f64,
    step: u64,
    exp_avg: Vec2,
    exp_avg_sq: Vec2,
}

impl Adam {
    /// Adam with learning rate `lr`, moment decays β₁, β₂ and ε = `eps`.
    pub fn new(lr: f64, beta1: f64, beta2: f64, eps: f64) -> Self {
        Adam {
            lr,
            beta1,
            beta2,
            eps,
            step: 0,
            exp_avg: [0.0; 2],
            exp_avg_sq: [0.0; 2],
        }
    }
}

impl Optimizer for Adam {
    fn step(&mut self, theta: &mut Vec2, g: Vec2) {
        self.step += 1;
        // PyTorch's single-tensor path, operation for operation: the bias corrections are Python
        // floats (`beta ** step`, `bias_correction2 ** 0.5`), the first moment uses `lerp_`.
        let t = self.step as f64;
        let bias_correction1 = 1.0 - self.beta1.powf(t);
        let bias_correction2 = 1.0 - self.beta2.powf(t);
        let step_size = self.lr / bias_correction1;
        let bias_correction2_sqrt = bias_correction2.powf(0.5);
        for i in 0..2 {
            self.exp_avg[i] = lerp(self.exp_avg[i], g[i], 1.0 - self.beta1);
            self.exp_avg_sq[i] =
                self.exp_avg_sq[i] * self.beta2 + (1.0 - self.beta2) * (g[i] * g[i]);
            let denom = self.exp_avg_sq[i].sqrt() / bias_correction2_sqrt + self.eps;
            theta[i] += -step_size * (self.exp_avg[i] / denom);
        }
    }

    fn state(&self) -> Vec<(&'static str, Vec2)> {
        vec![("m", self.exp_avg), ("v", self.exp_avg_sq)]
    }
}

/// `torch.lerp(start, end, weight)` as ATen computes it on the CPU.
fn lerp(start: f64, end: f64, weight: f64) -> f64 {
    if weight.abs() < 0.5 {
        start + weight * (end - start)
    } else {
        end - (end - start) * (1.0 - weight)
    }
}
