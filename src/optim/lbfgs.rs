//! L-BFGS as `torch.optim.LBFGS(params, lr, max_iter=1, max_eval=25, history_size,
//! line_search_fn)` called once per step with a closure: one iteration per step, with torch's
//! tolerances, its two-loop recursion and its strong-Wolfe line search, operation for operation.

use std::collections::VecDeque;

use super::{add, Objective, Optimizer};

/// torch's `tolerance_grad`: a step starting where every |gᵢ| is at most this does not move.
pub const TOLERANCE_GRAD: f64 = 1e-7;
/// torch's `tolerance_change`: a direction whose slope g·d is above −this does not move.
pub const TOLERANCE_CHANGE: f64 = 1e-9;
/// Evaluations one step may make: torch's default for its default 20 iterations, since with
/// `max_iter=1` its default (1) would leave the line search none to make.
pub const MAX_EVAL: usize = 25;

/// What the last step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It moved along its direction.
    Moved,
    /// Every |gᵢ| ≤ `tolerance_grad`: torch returns before iterating, θ stays.
    Optimal,
    /// The direction's slope g·d > −`tolerance_change`: not a descent direction, θ stays.
    NoDescent,
}

/// `torch.optim.LBFGS` with `max_iter=1`, `max_eval=25`.
#[derive(Debug, Clone)]
pub struct Lbfgs {
    lr: f64,
    history_size: usize,
    strong_wolfe: bool,
    n_iter: u64,
    /// The last direction d and its step length t (torch's `state["d"]`, `state["t"]`).
    d: Vec<f64>,
    t: f64,
    old_dirs: VecDeque<Vec<f64>>,
    old_stps: VecDeque<Vec<f64>>,
    ro: VecDeque<f64>,
    h_diag: f64,
    prev_flat_grad: Vec<f64>,
    /// Evaluations of f the last step's line search made.
    evals: usize,
    outcome: Outcome,
}

impl Lbfgs {
    /// L-BFGS for `n` parameters with learning rate `lr`, keeping `history_size` pairs, with
    /// the strong-Wolfe line search or a fixed step.
    pub fn new(lr: f64, history_size: usize, strong_wolfe: bool, n: usize) -> Self {
        Lbfgs {
            lr,
            history_size,
            strong_wolfe,
            n_iter: 0,
            d: vec![0.0; n],
            t: 0.0,
            old_dirs: VecDeque::new(),
            old_stps: VecDeque::new(),
            ro: VecDeque::new(),
            h_diag: 1.0,
            prev_flat_grad: vec![0.0; n],
            evals: 0,
            outcome: Outcome::Moved,
        }
    }

    /// What the last step did.
    pub fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// The direction d from the gradient g: −g at the first iteration, else the two-loop
    /// recursion over the kept pairs after adding the newest (s, y) if yᵀs > 1e-10.
    fn direction(&mut self, g: &[f64]) {
        if self.n_iter == 1 {
            self.d = g.iter().map(|g| -g).collect();
            self.old_dirs.clear();
            self.old_stps.clear();
            self.ro.clear();
            self.h_diag = 1.0;
            return;
        }
        let y: Vec<f64> = g
            .iter()
            .zip(&self.prev_flat_grad)
            .map(|(a, b)| a - b)
            .collect();
        let s: Vec<f64> = self.d.iter().map(|d| d * self.t).collect();
        let ys = dot(&y, &s);
        if ys > 1e-10 {
            if self.old_dirs.len() == self.history_size {
                self.old_dirs.pop_front();
                self.old_stps.pop_front();
                self.ro.pop_front();
            }
            self.h_diag = ys / dot(&y, &y);
            self.old_dirs.push_back(y);
            self.old_stps.push_back(s);
            self.ro.push_back(1.0 / ys);
        }
        let num_old = self.old_dirs.len();
        let mut al = vec![0.0; num_old];
        let mut q: Vec<f64> = g.iter().map(|g| -g).collect();
        for i in (0..num_old).rev() {
            al[i] = dot(&self.old_stps[i], &q) * self.ro[i];
            for (q, y) in q.iter_mut().zip(&self.old_dirs[i]) {
                *q = add(*q, *y, -al[i]);
            }
        }
        let mut r: Vec<f64> = q.iter().map(|q| q * self.h_diag).collect();
        for (i, al) in al.iter().enumerate() {
            let be_i = dot(&self.old_dirs[i], &r) * self.ro[i];
            for (r, s) in r.iter_mut().zip(&self.old_stps[i]) {
                *r = add(*r, *s, al - be_i);
            }
        }
        self.d = r;
    }
}

impl Optimizer for Lbfgs {
    fn step(&mut self, theta: &mut [f64], g: &[f64], f: &dyn Objective) {
        self.evals = 0;
        // The closure's first evaluation: f and its gradient at θ.
        if abs_max(g) <= TOLERANCE_GRAD {
            self.outcome = Outcome::Optimal;
            return;
        }
        self.n_iter += 1;
        self.direction(g);
        self.prev_flat_grad.copy_from_slice(g);
        self.t = if self.n_iter == 1 {
            let sum: f64 = g.iter().map(|g| g.abs()).sum();
            py_min(1.0, 1.0 / sum) * self.lr
        } else {
            self.lr
        };
        let gtd = dot(g, &self.d);
        if gtd > -TOLERANCE_CHANGE {
            self.outcome = Outcome::NoDescent;
            return;
        }
        if self.strong_wolfe {
            let loss = f.value(theta);
            let (t, evals) = strong_wolfe(f, theta, self.t, &self.d, loss, gtd, MAX_EVAL - 1);
            self.t = t;
            self.evals = evals;
        }
        for (p, d) in theta.iter_mut().zip(&self.d) {
            *p = add(*p, *d, self.t);
        }
        self.outcome = Outcome::Moved;
    }

    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        let outcome = match self.outcome {
            Outcome::Moved => 0.0,
            Outcome::Optimal => 1.0,
            Outcome::NoDescent => 2.0,
        };
        vec![
            ("d", self.d.clone()),
            ("t", vec![self.t]),
            ("evals", vec![self.evals as f64]),
            ("pairs", vec![self.old_dirs.len() as f64]),
            ("H₀", vec![self.h_diag]),
            ("outcome", vec![outcome]),
        ]
    }

    fn set_lr(&mut self, lr: f64) {
        self.lr = lr;
    }

    /// It has no momentum ([`super::OptimizerKind::momentum_hyper`] is `None`).
    fn set_momentum(&mut self, _: f64) {}
}

/// `a.dot(b)`: torch's CPU dot of float64 vectors rounds each product, then sums in order.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}

/// `v.abs().max()`: the largest |vᵢ|, NaN if any is.
fn abs_max(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m: f64, x| {
        if x.is_nan() || x.abs() > m {
            x.abs()
        } else {
            m
        }
    })
}

/// Python's `max(a, b)`: `a` unless `b > a` (so a NaN `a` stays).
fn py_max(a: f64, b: f64) -> f64 {
    if b > a {
        b
    } else {
        a
    }
}

/// Python's `min(a, b)`: `a` unless `b < a`.
fn py_min(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}

/// torch's `_cubic_interpolate`: the minimiser of the cubic through two points with their
/// values and slopes, clamped to `bounds` (the two points' interval by default).
fn cubic_interpolate(
    (x1, f1, g1): (f64, f64, f64),
    (x2, f2, g2): (f64, f64, f64),
    bounds: Option<(f64, f64)>,
) -> f64 {
    let (lo, hi) = bounds.unwrap_or(if x1 <= x2 { (x1, x2) } else { (x2, x1) });
    let d1 = g1 + g2 - 3.0 * (f1 - f2) / (x1 - x2);
    let d2_square = d1 * d1 - g1 * g2;
    if d2_square >= 0.0 {
        let d2 = d2_square.sqrt();
        let min_pos = if x1 <= x2 {
            x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2.0 * d2))
        } else {
            x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2.0 * d2))
        };
        py_min(py_max(min_pos, lo), hi)
    } else {
        (lo + hi) / 2.0
    }
}

/// One trial point of the line search: its step t, f and slope ∇f·d (torch also keeps ∇f,
/// which only its later iterations read: with one iteration per step none does).
#[derive(Clone, Copy)]
struct Trial {
    t: f64,
    f: f64,
    gtd: f64,
}

/// f and ∇f at x + t·d (torch's `_directional_evaluate`).
fn evaluate(obj: &dyn Objective, x: &[f64], t: f64, d: &[f64]) -> Trial {
    let p: Vec<f64> = x.iter().zip(d).map(|(x, d)| add(*x, *d, t)).collect();
    let mut g = vec![0.0; x.len()];
    obj.gradient(&p, &mut g);
    Trial {
        t,
        f: obj.value(&p),
        gtd: dot(&g, d),
    }
}

/// torch's `_strong_wolfe` from x along d, starting at step t: returns the accepted step and
/// the number of evaluations made (at most `max_ls`). c₁ = 1e-4, c₂ = 0.9.
fn strong_wolfe(
    obj: &dyn Objective,
    x: &[f64],
    mut t: f64,
    d: &[f64],
    f: f64,
    gtd: f64,
    max_ls: usize,
) -> (f64, usize) {
    const C1: f64 = 1e-4;
    const C2: f64 = 0.9;
    let d_norm = abs_max(d);
    let mut new = evaluate(obj, x, t, d);
    let mut evals = 1;
    let start = Trial { t: 0.0, f, gtd };
    let mut prev = start;
    let mut done = false;
    let mut ls_iter = 0;
    // Bracket an interval holding a point that satisfies the Wolfe conditions.
    let mut bracket: Vec<Trial> = Vec::new();
    while ls_iter < max_ls {
        if new.f > f + C1 * t * gtd || (ls_iter > 1 && new.f >= prev.f) {
            bracket = vec![prev, new];
            break;
        }
        if new.gtd.abs() <= -C2 * gtd {
            bracket = vec![new];
            done = true;
            break;
        }
        if new.gtd >= 0.0 {
            bracket = vec![prev, new];
            break;
        }
        let min_step = t + 0.01 * (t - prev.t);
        let max_step = t * 10.0;
        let tmp = t;
        t = cubic_interpolate(
            (prev.t, prev.f, prev.gtd),
            (t, new.f, new.gtd),
            Some((min_step, max_step)),
        );
        prev = Trial { t: tmp, ..new };
        new = evaluate(obj, x, t, d);
        evals += 1;
        ls_iter += 1;
    }
    if ls_iter == max_ls {
        // torch keeps the slopes of the bracket it had, which the zoom below never reads
        // (it runs only while ls_iter < max_ls).
        bracket = vec![start, new];
    }
    // Zoom: shrink the bracket until a point satisfies the conditions.
    let mut insuf_progress = false;
    let last = bracket.len() - 1;
    let (mut low, mut high) = if bracket[0].f <= bracket[last].f {
        (0, 1)
    } else {
        (1, 0)
    };
    while !done && ls_iter < max_ls {
        if (bracket[1].t - bracket[0].t).abs() * d_norm < TOLERANCE_CHANGE {
            break;
        }
        let (b0, b1) = (&bracket[0], &bracket[1]);
        t = cubic_interpolate((b0.t, b0.f, b0.gtd), (b1.t, b1.f, b1.gtd), None);
        let (bmax, bmin) = (py_max(b0.t, b1.t), py_min(b0.t, b1.t));
        let eps = 0.1 * (bmax - bmin);
        if py_min(bmax - t, t - bmin) < eps {
            if insuf_progress || t >= bmax || t <= bmin {
                t = if (t - bmax).abs() < (t - bmin).abs() {
                    bmax - eps
                } else {
                    bmin + eps
                };
                insuf_progress = false;
            } else {
                insuf_progress = true;
            }
        } else {
            insuf_progress = false;
        }
        let new = evaluate(obj, x, t, d);
        evals += 1;
        ls_iter += 1;
        if new.f > f + C1 * t * gtd || new.f >= bracket[low].f {
            bracket[high] = new;
            (low, high) = if bracket[0].f <= bracket[1].f {
                (0, 1)
            } else {
                (1, 0)
            };
        } else {
            if new.gtd.abs() <= -C2 * gtd {
                done = true;
            } else if new.gtd * (bracket[high].t - bracket[low].t) >= 0.0 {
                bracket[high] = bracket[low];
            }
            bracket[low] = new;
        }
    }
    (bracket[low].t, evals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cubic_interpolation_finds_a_cubics_minimum() {
        // f(x) = x³ − 3x has its local minimum at x = 1: f(0) = 0, f'(0) = −3; f(2) = 2, f'(2) = 9.
        let x = cubic_interpolate((0.0, 0.0, -3.0), (2.0, 2.0, 9.0), None);
        assert!((x - 1.0).abs() < 1e-12, "{x}");
        // The same from the other end, and clamped to bounds.
        let x = cubic_interpolate((2.0, 2.0, 9.0), (0.0, 0.0, -3.0), None);
        assert!((x - 1.0).abs() < 1e-12, "{x}");
        assert_eq!(
            cubic_interpolate((0.0, 0.0, -3.0), (2.0, 2.0, 9.0), Some((1.5, 3.0))),
            1.5
        );
        // No real minimiser: the middle of the bounds.
        assert_eq!(
            cubic_interpolate((0.0, 0.0, 1.0), (1.0, 2.0 / 3.0, 1.0), Some((0.0, 4.0))),
            2.0
        );
    }

    #[test]
    fn python_min_and_max_keep_the_first_argument_on_nan() {
        assert!(py_max(f64::NAN, 1.0).is_nan() && py_max(1.0, f64::NAN) == 1.0);
        assert!(py_min(f64::NAN, 1.0).is_nan() && py_min(1.0, f64::NAN) == 1.0);
        assert_eq!((py_max(1.0, 2.0), py_min(1.0, 2.0)), (2.0, 1.0));
    }
}
