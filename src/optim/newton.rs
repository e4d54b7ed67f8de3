//! Newton's method, θ ← θ − γH⁻¹∇f, from the surface's exact Hessian: not in torch.optim, but
//! the method every optimisation course sets beside gradient descent.

use super::{Objective, Optimizer};

/// Newton's method with step size γ (1 is the pure Newton step).
#[derive(Debug, Clone)]
pub struct Newton {
    lr: f64,
    /// The Hessian at the last step's θ, row-major.
    h: Vec<f64>,
    /// The Newton direction H⁻¹g of the last step (NaN where H is singular).
    p: Vec<f64>,
}

impl Newton {
    /// Newton's method for `n` parameters.
    pub fn new(lr: f64, n: usize) -> Self {
        Newton {
            lr,
            h: vec![0.0; n * n],
            p: vec![0.0; n],
        }
    }
}

impl Optimizer for Newton {
    fn step(&mut self, theta: &mut [f64], g: &[f64], f: &dyn Objective) {
        f.hessian(theta, &mut self.h);
        self.p = solve(&self.h, g);
        for (t, p) in theta.iter_mut().zip(&self.p) {
            *t -= self.lr * p;
        }
    }

    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        vec![("H", self.h.clone()), ("H⁻¹g", self.p.clone())]
    }

    fn set_lr(&mut self, lr: f64) {
        self.lr = lr;
    }

    /// It has no momentum ([`super::OptimizerKind::momentum_hyper`] is `None`).
    fn set_momentum(&mut self, _: f64) {}
}

/// x with Hx = g, by Gaussian elimination with partial pivoting (n × n, row-major). Where H is
/// singular (a zero pivot) or not finite, every xᵢ is NaN: there is no Newton step.
pub fn solve(h: &[f64], g: &[f64]) -> Vec<f64> {
    let n = g.len();
    let mut a = h.to_vec();
    let mut b = g.to_vec();
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs()))
            .unwrap_or(col);
        let p = a[pivot * n + col];
        if p == 0.0 || !p.is_finite() {
            return vec![f64::NAN; n];
        }
        if pivot != col {
            for k in 0..n {
                a.swap(col * n + k, pivot * n + k);
            }
            b.swap(col, pivot);
        }
        for row in col + 1..n {
            let m = a[row * n + col] / p;
            for k in col..n {
                a[row * n + k] -= m * a[col * n + k];
            }
            b[row] -= m * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row * n + k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row * n + row];
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_by_hand_systems_and_refuses_singular_ones() {
        // [[2, 1], [1, 3]] x = [3, 5] → x = (4/5, 7/5).
        let x = solve(&[2.0, 1.0, 1.0, 3.0], &[3.0, 5.0]);
        assert!(
            (x[0] - 0.8).abs() < 1e-15 && (x[1] - 1.4).abs() < 1e-15,
            "{x:?}"
        );
        // A zero in the corner needs the row swap.
        let x = solve(&[0.0, 1.0, 1.0, 0.0], &[2.0, 3.0]);
        assert_eq!(x, vec![3.0, 2.0]);
        // Indefinite is solvable: the saddle's Newton step.
        let x = solve(&[2.0, 0.0, 0.0, -2.0], &[2.0, 2.0]);
        assert_eq!(x, vec![1.0, -1.0]);
        assert!(solve(&[1.0, 2.0, 2.0, 4.0], &[1.0, 1.0])
            .iter()
            .all(|x| x.is_nan()));
        assert!(solve(&[f64::NAN, 0.0, 0.0, 1.0], &[1.0, 1.0])
            .iter()
            .all(|x| x.is_nan()));
        // Partial pivoting: eliminating with the tiny 1e-20 as pivot would give x₀ = 0; the
        // larger pivot gives x ≈ (1, 1).
        let x = solve(&[1e-20, 1.0, 1.0, 1.0], &[1.0, 2.0]);
        assert!(
            (x[0] - 1.0).abs() < 1e-15 && (x[1] - 1.0).abs() < 1e-15,
            "{x:?}"
        );
        let x = solve(
            &[1.0, 1.0, 0.0, 1e-20, 1.0, 1.0, 0.0, 1.0, 3.0],
            &[2.0, 2.0, 4.0],
        );
        for (x, want) in x.iter().zip([1.0, 1.0, 1.0]) {
            assert!((x - want).abs() < 1e-14, "{x}");
        }
        // Three unknowns.
        let x = solve(
            &[4.0, -2.0, 1.0, -2.0, 4.0, -2.0, 1.0, -2.0, 4.0],
            &[11.0, -16.0, 17.0],
        );
        for (x, want) in x.iter().zip([1.0, -2.0, 3.0]) {
            assert!((x - want).abs() < 1e-14, "{x}");
        }
    }
}
