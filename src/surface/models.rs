//! Machine-learning models as surfaces over two parameters: ridge and lasso regression, a linear
//! support vector machine, a one-neuron network and a one-rating recommender. Each is a finite sum
//! with one term per example of a small seeded dataset, so batch, stochastic and mini-batch apply.
//!
//! Non-smooth terms use subgradients: sign(0) = 0 for lasso's |θⱼ|, and the hinge's derivative is
//! 0 at its kink. Their Hessians hold the smooth part only, which is exact away from the kinks.

use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};
use rand_pcg::Pcg64Mcg;

#[cfg(feature = "export")]
mod python;

use super::{polish_minima, DataKind, Dataset, Entry, Minimum, ParamSpec, Surface, View};
#[cfg(feature = "export")]
use super::{NumpyCode, TorchCode};
use crate::linalg::{self, Mat2, Vec2};

/// The seed of these models' datasets: fixed, so a surface name always means the same data. Each
/// model draws from its own generator, seeded with `MODEL_SEED` plus a small offset.
const MODEL_SEED: u64 = 20_261_209;

/// Which model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Which {
    Ridge,
    Lasso,
    Svm,
    TinyNet,
    Recommender,
}

const RIDGE_LAMBDA: ParamSpec = ParamSpec {
    name: "lambda",
    doc: "weight λ of the penalty λ‖θ‖²",
    default: 0.5,
    min: 0.0,
    max: 100.0,
};

const LASSO_LAMBDA: ParamSpec = ParamSpec {
    name: "lambda",
    doc: "weight λ of the penalty λ(|θ₀| + |θ₁|)",
    default: 4.0,
    min: 0.0,
    max: 100.0,
};

const SVM_LAMBDA: ParamSpec = ParamSpec {
    name: "lambda",
    doc: "weight λ of the penalty λ‖w‖² (above 0, so the minimum is a single point)",
    default: 0.03,
    min: 0.001,
    max: 10.0,
};

const RECOMMENDER_LAMBDA: ParamSpec = ParamSpec {
    name: "lambda",
    doc: "weight λ of the penalty λ(u² + v²)",
    default: 0.5,
    min: 0.0,
    max: 10.0,
};

/// The catalog entry of a model.
pub(super) const fn entry(which: Which) -> Entry {
    match which {
        Which::Ridge => Entry {
            name: "ridge",
            title: "Ridge regression: L2 pulls the minimum to the origin",
            params: &[RIDGE_LAMBDA],
            build: |a| Box::new(Penalised::new(Penalty::L2, a[0])),
        },
        Which::Lasso => Entry {
            name: "lasso",
            title: "Lasso: L1 sets a coefficient to exactly 0",
            params: &[LASSO_LAMBDA],
            build: |a| Box::new(Penalised::new(Penalty::L1, a[0])),
        },
        Which::Svm => Entry {
            name: "svm",
            title: "Linear SVM: the hinge loss, convex with kinks",
            params: &[SVM_LAMBDA],
            build: |a| Box::new(Svm::new(a[0])),
        },
        Which::TinyNet => Entry {
            name: "tiny-nn",
            title: "A one-neuron network: mirrored minima, a saddle",
            params: &[],
            build: |_| Box::new(TinyNet::new()),
        },
        Which::Recommender => Entry {
            name: "recommender",
            title: "Recommender: one rating as a product of two factors",
            params: &[RECOMMENDER_LAMBDA],
            build: |a| Box::new(Recommender::new(a[0])),
        },
    }
}

/// sign(v) with sign(0) = 0: the subgradient of |v| that plain (sub)gradient descent uses.
fn sign0(v: f64) -> f64 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// The penalty a regularised regression adds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Penalty {
    /// λ‖θ‖²: ridge.
    L2,
    /// λ(|θ₀| + |θ₁|): lasso.
    L1,
}

/// Linear regression on the standardised feature of `linear-regression-std`, plus a penalty:
/// f = (1/n) Σ (θ·φᵢ − yᵢ)² + λP(θ) with φᵢ = (1, (xᵢ − x̄)/σₓ), P = ‖θ‖² or ‖θ‖₁. Each term is
/// fᵢ = (θ·φᵢ − yᵢ)² + λP(θ), so their mean is f. Both coefficients are penalised.
#[derive(Debug, Clone)]
struct Penalised {
    penalty: Penalty,
    lambda: f64,
    data: Dataset,
    /// The mean and standard deviation of the raw feature.
    mean: f64,
    std: f64,
    /// φᵢ for each example.
    phi: Vec<Vec2>,
    /// A = (1/n) Σ φᵢφᵢᵀ: the squared error is θᵀAθ − 2b·θ + c.
    a: Mat2,
    /// b = (1/n) Σ yᵢφᵢ.
    b: Vec2,
    /// c = (1/n) Σ yᵢ².
    c: f64,
    minima: Vec<Minimum>,
    note: String,
}

impl Penalised {
    fn new(penalty: Penalty, lambda: f64) -> Self {
        // The same 50 points as linear-regression and linear-regression-std.
        let data = super::by_name("linear-regression")
            .ok()
            .and_then(|s| s.data().cloned())
            .expect("the catalog holds linear-regression, a dataset loss");
        let n = data.x.len() as f64;
        let mean = data.x.iter().sum::<f64>() / n;
        let std = (data.x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
        let phi: Vec<Vec2> = data.x.iter().map(|&x| [1.0, (x - mean) / std]).collect();
        let (mut a, mut b, mut c) = ([[0.0; 2]; 2], [0.0; 2], 0.0);
        for (f, &y) in phi.iter().zip(&data.y) {
            for r in 0..2 {
                for k in 0..2 {
                    a[r][k] += f[r] * f[k] / n;
                }
                b[r] += y * f[r] / n;
            }
            c += y * y / n;
        }
        let mut s = Penalised {
            penalty,
            lambda,
            data,
            mean,
            std,
            phi,
            a,
            b,
            c,
            minima: Vec::new(),
            note: String::new(),
        };
        let at = match penalty {
            // ∇f = 2(Aθ − b) + 2λθ = 0: θ = (A + λI)⁻¹b, i.e. (XᵀX + nλI)⁻¹Xᵀy.
            Penalty::L2 => linalg::solve(
                [[a[0][0] + lambda, a[0][1]], [a[1][0], a[1][1] + lambda]],
                b,
            )
            .expect("A + λI is positive definite"),
            Penalty::L1 => lasso_minimiser(a, b, lambda),
        };
        s.minima = vec![Minimum {
            at,
            value: s.value(at),
            global: true,
        }];
        s.note = match penalty {
            Penalty::L2 => {
                "Ridge adds λ‖θ‖² to the squared error. The feature is standardised, so \
                            the minimum is the least-squares fit divided by 1 + λ: it slides \
                            along a straight line to the origin as λ grows, and the fitted line \
                            flattens toward y = 0."
                    .to_string()
            }
            // With A = I (standardised), the least-squares slope is b₁ and the slope is zeroed
            // once λ/2 ≥ |b₁|.
            Penalty::L1 => format!(
                "Lasso adds λ(|θ₀| + |θ₁|): for λ above {} (twice the least-squares slope) the \
                 best slope is exactly 0 and the minimum sits on an axis. Plain gradient descent \
                 uses the subgradient (sign(0) = 0): it reaches the axis but cannot stay on it, \
                 and chatters across it in steps of about lr·λ.",
                crate::format::short(2.0 * b[1].abs())
            ),
        };
        s
    }

    fn penalty_value(&self, p: Vec2) -> f64 {
        match self.penalty {
            Penalty::L2 => self.lambda * (p[0] * p[0] + p[1] * p[1]),
            Penalty::L1 => self.lambda * (p[0].abs() + p[1].abs()),
        }
    }

    /// The penalty's (sub)gradient: 2λθ, or λ·sign(θ) with sign(0) = 0.
    fn penalty_gradient(&self, p: Vec2) -> Vec2 {
        match self.penalty {
            Penalty::L2 => [2.0 * self.lambda * p[0], 2.0 * self.lambda * p[1]],
            Penalty::L1 => [self.lambda * sign0(p[0]), self.lambda * sign0(p[1])],
        }
    }
}

/// The exact minimiser of θᵀAθ − 2b·θ + λ(|θ₀| + |θ₁|) for a positive definite A: the lowest of
/// seven candidates — the stationary point of each open quadrant's quadratic, the minimiser along
/// each axis (a 1-D soft threshold) and the origin. The true minimiser lies in an open quadrant
/// (then it is that quadrant's stationary point) or on an axis (then it minimises f along the
/// axis), and every candidate is a point of the plane, so the lowest one is the minimum. Unlike
/// coordinate-wise soft-thresholding, this is exact for correlated features too.
fn lasso_minimiser(a: Mat2, b: Vec2, lambda: f64) -> Vec2 {
    let half = 0.5 * lambda;
    let f = |p: Vec2| {
        a[0][0] * p[0] * p[0] + 2.0 * a[0][1] * p[0] * p[1] + a[1][1] * p[1] * p[1]
            - 2.0 * (b[0] * p[0] + b[1] * p[1])
            + lambda * (p[0].abs() + p[1].abs())
    };
    let soft = |v: f64| sign0(v) * (v.abs() - half).max(0.0);
    let mut candidates = vec![
        [soft(b[0]) / a[0][0], 0.0],
        [0.0, soft(b[1]) / a[1][1]],
        [0.0, 0.0],
    ];
    for s in [[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, -1.0]] {
        // In the open quadrant of signs s: 2(Aθ − b) + λs = 0.
        if let Some(p) = linalg::solve(a, [b[0] - half * s[0], b[1] - half * s[1]]) {
            candidates.push(p);
        }
    }
    candidates
        .into_iter()
        .map(|p| (f(p), p))
        .min_by(|x, y| x.0.total_cmp(&y.0))
        .map_or([0.0, 0.0], |best| best.1)
}

impl Surface for Penalised {
    fn name(&self) -> &str {
        match self.penalty {
            Penalty::L2 => "ridge",
            Penalty::L1 => "lasso",
        }
    }

    fn formula(&self) -> &str {
        match self.penalty {
            Penalty::L2 => "(1/50) Σ (θ₀ + θ₁zᵢ − yᵢ)² + λ(θ₀² + θ₁²), zᵢ = (xᵢ − x̄)/σₓ",
            Penalty::L1 => "(1/50) Σ (θ₀ + θ₁zᵢ − yᵢ)² + λ(|θ₀| + |θ₁|), zᵢ = (xᵢ − x̄)/σₓ",
        }
    }

    fn axis_names(&self) -> (&str, &str) {
        ("intercept", "slope")
    }

    fn value(&self, p: Vec2) -> f64 {
        // The mean of the terms, through the data's moments: O(1) per point of a contour grid.
        let (a, b) = (self.a, self.b);
        let sq = a[0][0] * p[0] * p[0] + 2.0 * a[0][1] * p[0] * p[1] + a[1][1] * p[1] * p[1]
            - 2.0 * (b[0] * p[0] + b[1] * p[1])
            + self.c;
        sq + self.penalty_value(p)
    }

    fn gradient(&self, p: Vec2) -> Vec2 {
        let (a, b) = (self.a, self.b);
        let pen = self.penalty_gradient(p);
        [
            2.0 * (a[0][0] * p[0] + a[0][1] * p[1] - b[0]) + pen[0],
            2.0 * (a[1][0] * p[0] + a[1][1] * p[1] - b[1]) + pen[1],
        ]
    }

    /// 2A + 2λI for ridge; 2A for lasso (the Hessian of |θⱼ| is 0 away from the axes).
    fn hessian(&self, _p: Vec2) -> Mat2 {
        let d = match self.penalty {
            Penalty::L2 => 2.0 * self.lambda,
            Penalty::L1 => 0.0,
        };
        let a = self.a;
        [
            [2.0 * a[0][0] + d, 2.0 * a[0][1]],
            [2.0 * a[1][0], 2.0 * a[1][1] + d],
        ]
    }

    fn view(&self) -> View {
        View {
            x: (-1.0, 7.0),
            y: (-2.5, 4.5),
        }
    }

    fn start(&self) -> Vec2 {
        match self.penalty {
            Penalty::L2 => [0.0, -2.0],
            Penalty::L1 => [5.5, 3.5],
        }
    }

    fn minima(&self) -> &[Minimum] {
        &self.minima
    }

    fn note(&self) -> &str {
        &self.note
    }

    fn terms(&self) -> Option<usize> {
        Some(self.phi.len())
    }

    fn term_gradient(&self, i: usize, p: Vec2) -> Vec2 {
        let phi = self.phi[i];
        let r = p[0] * phi[0] + p[1] * phi[1] - self.data.y[i];
        let pen = self.penalty_gradient(p);
        [2.0 * r * phi[0] + pen[0], 2.0 * r * phi[1] + pen[1]]
    }

    fn data(&self) -> Option<&Dataset> {
        Some(&self.data)
    }

    #[cfg(feature = "export")]
    fn torch_code(&self) -> Option<TorchCode> {
        Some(python::penalised_torch(self))
    }

    #[cfg(feature = "export")]
    fn numpy_code(&self) -> Option<NumpyCode> {
        Some(python::penalised_numpy(self))
    }

    fn predict(&self, theta: Vec2, x: &[f64]) -> Option<f64> {
        match x {
            [x] => Some(theta[0] + theta[1] * (x - self.mean) / self.std),
            _ => None,
        }
    }

    fn is_quadratic(&self) -> bool {
        self.penalty == Penalty::L2
    }
}

/// The number of examples of the SVM's dataset.
const SVM_N: usize = 20;

/// A soft-margin linear SVM without bias (the separating line passes through the origin):
/// f(w) = (1/n) Σ max(0, 1 − sᵢ w·xᵢ) + λ‖w‖², sᵢ = ±1, with terms
/// fᵢ = max(0, 1 − sᵢ w·xᵢ) + λ‖w‖². Where sᵢ w·xᵢ = 1 the hinge's derivative is taken as 0.
#[derive(Debug, Clone)]
struct Svm {
    lambda: f64,
    data: Dataset,
    /// aᵢ = sᵢxᵢ: the hinge of example i is max(0, 1 − aᵢ·w).
    a: Vec<Vec2>,
    minima: Vec<Minimum>,
}

impl Svm {
    fn new(lambda: f64) -> Self {
        // Two overlapping clouds on either side of a line through the origin.
        let mut rng = Pcg64Mcg::seed_from_u64(MODEL_SEED + 1);
        let spread = Normal::new(0.0, 0.9).expect("constant σ > 0");
        let (mut x1, mut x2, mut y) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..SVM_N {
            let label = (i % 2) as f64;
            let centre = if label == 1.0 {
                [1.2, 0.8]
            } else {
                [-0.8, -1.2]
            };
            x1.push(centre[0] + spread.sample(&mut rng));
            x2.push(centre[1] + spread.sample(&mut rng));
            y.push(label);
        }
        let a = (0..SVM_N)
            .map(|i| {
                let s = 2.0 * y[i] - 1.0;
                [s * x1[i], s * x2[i]]
            })
            .collect();
        let data = Dataset {
            kind: DataKind::Classification,
            x: x1,
            y,
            x_label: "x₁",
            y_label: "class",
            x2: Some(x2),
            x2_label: "x₂",
        };
        let mut s = Svm {
            lambda,
            data,
            a,
            minima: Vec::new(),
        };
        let at = s.minimiser();
        s.minima = vec![Minimum {
            at,
            value: s.value(at),
            global: true,
        }];
        s
    }

    /// The minimiser, from the dual: maximise (1/n) Σ αᵢ − ‖Σ αᵢaᵢ‖²/(4λn²) over αᵢ ∈ [0, 1] by
    /// exact coordinate ascent (w = Σ αᵢaᵢ/(2λn)), then make it exact with [`Svm::exact`].
    fn minimiser(&self) -> Vec2 {
        let n = self.a.len() as f64;
        let k = 1.0 / (2.0 * self.lambda * n);
        let mut alpha = vec![0.0; self.a.len()];
        let mut w = [0.0; 2];
        for _sweep in 0..5000 {
            let mut change = 0.0f64;
            for (ai, al) in self.a.iter().zip(alpha.iter_mut()) {
                let q = ai[0] * ai[0] + ai[1] * ai[1];
                if q == 0.0 {
                    continue;
                }
                let m = ai[0] * w[0] + ai[1] * w[1];
                let next = (*al + (1.0 - m) / (k * q)).clamp(0.0, 1.0);
                let d = next - *al;
                if d != 0.0 {
                    *al = next;
                    w[0] += k * d * ai[0];
                    w[1] += k * d * ai[1];
                    change = change.max(d.abs());
                }
            }
            if change < 1e-15 {
                break;
            }
        }
        self.exact(w).unwrap_or(w)
    }

    /// The exact minimiser near an approximate one `w`: the points inside the margin (aᵢ·w < 1)
    /// and the one or two on it (aᵢ·w = 1) are read off `w`; on that pattern f is a quadratic
    /// restricted to the margin lines, solved in closed form. `None` unless the solution keeps
    /// the pattern and its multipliers lie in [0, 1] (the optimality conditions), or more than
    /// two points sit on the margin.
    fn exact(&self, w: Vec2) -> Option<Vec2> {
        const TOL: f64 = 1e-7;
        let n = self.a.len() as f64;
        let dot = |u: Vec2, v: Vec2| u[0] * v[0] + u[1] * v[1];
        let mut g = [0.0; 2];
        let mut on = Vec::new();
        let mut inside = Vec::new();
        for (i, &ai) in self.a.iter().enumerate() {
            let m = dot(ai, w);
            if m < 1.0 - TOL {
                g[0] += ai[0] / n;
                g[1] += ai[1] / n;
                inside.push(i);
            } else if m <= 1.0 + TOL {
                on.push(ai);
            }
        }
        // Stationarity: 2λw = g + (1/n) Σ_on βⱼaⱼ with βⱼ ∈ [0, 1].
        let base = [g[0] / (2.0 * self.lambda), g[1] / (2.0 * self.lambda)];
        let (exact, beta): (Vec2, Vec<f64>) = match on.as_slice() {
            [] => (base, Vec::new()),
            [aj] => {
                let q = dot(*aj, *aj);
                let mu = (1.0 - dot(*aj, base)) / q;
                (
                    [base[0] + mu * aj[0], base[1] + mu * aj[1]],
                    vec![2.0 * self.lambda * mu * n],
                )
            }
            [aj, ak] => {
                let p = linalg::solve([*aj, *ak], [1.0, 1.0])?;
                let r = [
                    (2.0 * self.lambda * p[0] - g[0]) * n,
                    (2.0 * self.lambda * p[1] - g[1]) * n,
                ];
                let b = linalg::solve([[aj[0], ak[0]], [aj[1], ak[1]]], r)?;
                (p, b.to_vec())
            }
            _ => return None,
        };
        let multipliers_ok = beta.iter().all(|b| (-1e-9..=1.0 + 1e-9).contains(b));
        let pattern_kept = self.a.iter().enumerate().all(|(i, &ai)| {
            let m = dot(ai, exact);
            let was_inside = inside.contains(&i);
            let on_margin = (m - 1.0).abs() <= TOL;
            on_margin || (m < 1.0) == was_inside
        });
        (multipliers_ok && pattern_kept).then_some(exact)
    }
}

impl Surface for Svm {
    fn name(&self) -> &str {
        "svm"
    }

    fn formula(&self) -> &str {
        "(1/20) Σ max(0, 1 − sᵢ w·xᵢ) + λ(w₁² + w₂²), sᵢ = ±1"
    }

    fn axis_names(&self) -> (&str, &str) {
        ("w₁", "w₂")
    }

    fn value(&self, p: Vec2) -> f64 {
        let hinge: f64 = self
            .a
            .iter()
            .map(|a| (1.0 - a[0] * p[0] - a[1] * p[1]).max(0.0))
            .sum();
        hinge / self.a.len() as f64 + self.lambda * (p[0] * p[0] + p[1] * p[1])
    }

    fn gradient(&self, p: Vec2) -> Vec2 {
        let n = self.a.len() as f64;
        let mut g = [2.0 * self.lambda * p[0], 2.0 * self.lambda * p[1]];
        for a in &self.a {
            if a[0] * p[0] + a[1] * p[1] < 1.0 {
                g[0] -= a[0] / n;
                g[1] -= a[1] / n;
            }
        }
        g
    }

    /// 2λI: the hinge is piecewise linear, so its Hessian is 0 away from the kinks.
    fn hessian(&self, _p: Vec2) -> Mat2 {
        [[2.0 * self.lambda, 0.0], [0.0, 2.0 * self.lambda]]
    }

    fn view(&self) -> View {
        View {
            x: (-1.5, 2.5),
            y: (-1.5, 2.5),
        }
    }

    fn start(&self) -> Vec2 {
        [-1.0, 2.0]
    }

    fn minima(&self) -> &[Minimum] {
        &self.minima
    }

    fn note(&self) -> &str {
        "The hinge loss max(0, 1 − s w·x) is zero for points beyond the margin and bends where a \
         point sits on it: the surface is stitched from quadratic patches along straight kink \
         lines, convex but not smooth. The minimum usually sits on a support vector's kink, so \
         the gradient never vanishes and plain gradient descent jitters around it."
    }

    fn terms(&self) -> Option<usize> {
        Some(self.a.len())
    }

    fn term_gradient(&self, i: usize, p: Vec2) -> Vec2 {
        let a = self.a[i];
        let active = if a[0] * p[0] + a[1] * p[1] < 1.0 {
            1.0
        } else {
            0.0
        };
        [
            2.0 * self.lambda * p[0] - active * a[0],
            2.0 * self.lambda * p[1] - active * a[1],
        ]
    }

    fn data(&self) -> Option<&Dataset> {
        Some(&self.data)
    }

    #[cfg(feature = "export")]
    fn torch_code(&self) -> Option<TorchCode> {
        Some(python::svm_torch(self))
    }

    #[cfg(feature = "export")]
    fn numpy_code(&self) -> Option<NumpyCode> {
        Some(python::svm_numpy(self))
    }

    /// An SVM has no probabilities: this is ½ + ½·clamp(w·x, −1, 1), which is ½ on the
    /// separating line w·x = 0 and 0 or 1 from the margins w·x = ∓1 outward.
    fn predict(&self, theta: Vec2, x: &[f64]) -> Option<f64> {
        match x {
            [x1, x2] => {
                let score = theta[0] * x1 + theta[1] * x2;
                Some(0.5 + 0.5 * score.clamp(-1.0, 1.0))
            }
            _ => None,
        }
    }
}

/// The number of examples of the network's dataset.
const NET_N: usize = 20;

/// A one-neuron network ŷ = w₂·tanh(w₁x) fitted by squared error:
/// f = (1/n) Σ (w₂ tanh(w₁xᵢ) − yᵢ)², one term per example.
#[derive(Debug, Clone)]
struct TinyNet {
    data: Dataset,
    minima: Vec<Minimum>,
}

impl TinyNet {
    fn new() -> Self {
        // y = 1.5·tanh(2x) + noise, x uniform on [−2, 2].
        let mut rng = Pcg64Mcg::seed_from_u64(MODEL_SEED + 2);
        let noise = Normal::new(0.0, 0.15).expect("constant σ > 0");
        let x: Vec<f64> = (0..NET_N)
            .map(|_| 4.0 * rng.random::<f64>() - 2.0)
            .collect();
        let y = x
            .iter()
            .map(|&xi| 1.5 * (2.0 * xi).tanh() + noise.sample(&mut rng))
            .collect();
        let mut s = TinyNet {
            data: Dataset {
                kind: DataKind::Regression,
                x,
                y,
                x_label: "x",
                y_label: "y",
                x2: None,
                x2_label: "",
            },
            minima: Vec::new(),
        };
        // The fit near the generating weights, and its mirror image.
        s.minima = polish_minima(&s, &[[2.0, 1.5], [-2.0, -1.5]]);
        s
    }

    /// (tᵢ, rᵢ) = (tanh(w₁xᵢ), w₂tᵢ − yᵢ) for example i.
    fn unit(&self, i: usize, p: Vec2) -> (f64, f64) {
        let t = (p[0] * self.data.x[i]).tanh();
        (t, p[1] * t - self.data.y[i])
    }
}

impl Surface for TinyNet {
    fn name(&self) -> &str {
        "tiny-nn"
    }

    fn formula(&self) -> &str {
        "(1/20) Σ (w₂·tanh(w₁xᵢ) − yᵢ)²"
    }

    fn axis_names(&self) -> (&str, &str) {
        ("w₁", "w₂")
    }

    fn value(&self, p: Vec2) -> f64 {
        let n = self.data.x.len();
        (0..n).map(|i| self.unit(i, p).1.powi(2)).sum::<f64>() / n as f64
    }

    fn gradient(&self, p: Vec2) -> Vec2 {
        let n = self.data.x.len();
        let mut g = [0.0; 2];
        for i in 0..n {
            let gi = self.term_gradient(i, p);
            g[0] += gi[0];
            g[1] += gi[1];
        }
        [g[0] / n as f64, g[1] / n as f64]
    }

    fn hessian(&self, p: Vec2) -> Mat2 {
        let n = self.data.x.len();
        let mut h = [[0.0; 2]; 2];
        for (i, &x) in self.data.x.iter().enumerate() {
            let (t, r) = self.unit(i, p);
            let s = 1.0 - t * t; // d tanh(z)/dz
            let dz = p[1] * s * x; // dŷ/dw₁
                                   // d²ŷ/dw₁² = −2w₂x²ts, d²ŷ/dw₁dw₂ = sx, d²ŷ/dw₂² = 0.
            h[0][0] += 2.0 * (dz * dz - 2.0 * r * p[1] * x * x * t * s);
            h[0][1] += 2.0 * (t * dz + r * s * x);
            h[1][1] += 2.0 * t * t;
        }
        h[1][0] = h[0][1];
        h.map(|row| row.map(|v| v / n as f64))
    }

    fn view(&self) -> View {
        View {
            x: (-4.0, 4.0),
            y: (-3.0, 3.0),
        }
    }

    fn start(&self) -> Vec2 {
        [3.5, -2.5]
    }

    fn minima(&self) -> &[Minimum] {
        &self.minima
    }

    fn note(&self) -> &str {
        "Flipping the signs of both weights gives the same network, so the minima come in a \
         mirrored pair and the origin between them is a saddle where the gradient vanishes. Far \
         out along w₁ the tanh saturates and the loss goes flat: gradients vanish there too. \
         w₁ scales the input and w₂ the output, different quantities: axes not to the same \
         scale, so −∇f need not look perpendicular to the contours."
    }

    /// w₁ multiplies x inside the tanh, w₂ the output: different kinds of weight.
    fn equal_scale(&self) -> bool {
        false
    }

    fn terms(&self) -> Option<usize> {
        Some(self.data.x.len())
    }

    fn term_gradient(&self, i: usize, p: Vec2) -> Vec2 {
        let x = self.data.x[i];
        let (t, r) = self.unit(i, p);
        [2.0 * r * p[1] * (1.0 - t * t) * x, 2.0 * r * t]
    }

    fn data(&self) -> Option<&Dataset> {
        Some(&self.data)
    }

    #[cfg(feature = "export")]
    fn torch_code(&self) -> Option<TorchCode> {
        Some(python::net_torch(self))
    }

    #[cfg(feature = "export")]
    fn numpy_code(&self) -> Option<NumpyCode> {
        Some(python::net_numpy(self))
    }

    fn predict(&self, theta: Vec2, x: &[f64]) -> Option<f64> {
        match x {
            [x] => Some(theta[1] * (theta[0] * x).tanh()),
            _ => None,
        }
    }
}

/// The number of observations of the recommender's rating.
const RATINGS_N: usize = 12;

/// One rating learnt as the product of a user factor u and an item factor v, with L2:
/// f = (1/n) Σ [(uv − rᵢ)² + λ(u² + v²)] over n noisy observations rᵢ of the same rating.
/// With r̄ the mean rating, ∇f = 0 at the origin and, for 0 < λ < r̄, at the two minima
/// u = v = ±√(r̄ − λ), on the hyperbola uv = r̄ − λ.
#[derive(Debug, Clone)]
struct Recommender {
    lambda: f64,
    data: Dataset,
    /// The mean rating r̄.
    mean: f64,
    /// The mean squared rating.
    mean_sq: f64,
    minima: Vec<Minimum>,
    note: String,
}

impl Recommender {
    fn new(lambda: f64) -> Self {
        // Whole-star ratings of one item by one user, around 4, clipped to 1..=5.
        let mut rng = Pcg64Mcg::seed_from_u64(MODEL_SEED + 3);
        let noise = Normal::new(0.0, 0.7).expect("constant σ > 0");
        let r: Vec<f64> = (0..RATINGS_N)
            .map(|_| {
                let e: f64 = noise.sample(&mut rng);
                (4.0 + e).round().clamp(1.0, 5.0)
            })
            .collect();
        let n = r.len() as f64;
        let mean = r.iter().sum::<f64>() / n;
        let mean_sq = r.iter().map(|v| v * v).sum::<f64>() / n;
        let data = Dataset {
            kind: DataKind::Regression,
            x: (1..=RATINGS_N).map(|i| i as f64).collect(),
            y: r,
            x_label: "observation",
            y_label: "rating",
            x2: None,
            x2_label: "",
        };
        let mut s = Recommender {
            lambda,
            data,
            mean,
            mean_sq,
            minima: Vec::new(),
            note: String::new(),
        };
        let hyperbola = "The origin is a saddle: started near the line u = −v, gradient descent \
                         stalls there before escaping toward a minimum.";
        if lambda == 0.0 {
            // A valley: every point of the hyperbola uv = r̄ is a minimum; none is marked.
            s.note = format!(
                "Without L2 every point of the hyperbola uv = {} fits equally well: a valley of \
                 minima, so where gradient descent stops depends on where it starts. {hyperbola}",
                crate::format::short(mean)
            );
        } else if lambda < mean {
            let q = (mean - lambda).sqrt();
            s.minima = polish_minima(&s, &[[q, q], [-q, -q]]);
            s.note = format!(
                "The rating is learnt as a product uv: L2 picks, from the valley uv = r̄ − λ, the \
                 two balanced points u = v = ±{}. {hyperbola}",
                crate::format::short(q)
            );
        } else {
            s.minima = polish_minima(&s, &[[0.0, 0.0]]);
            s.note = "λ is at least the mean rating: the penalty wins and the only minimum is \
                      u = v = 0, which predicts a rating of 0."
                .to_string();
        }
        s
    }
}

impl Surface for Recommender {
    fn name(&self) -> &str {
        "recommender"
    }

    fn formula(&self) -> &str {
        "(1/12) Σ [(uv − rᵢ)² + λ(u² + v²)]"
    }

    fn axis_names(&self) -> (&str, &str) {
        ("u (user)", "v (item)")
    }

    fn value(&self, p: Vec2) -> f64 {
        // The mean of the terms: (uv)² − 2uv·r̄ + mean(r²) + λ(u² + v²).
        let uv = p[0] * p[1];
        uv * uv - 2.0 * uv * self.mean + self.mean_sq + self.lambda * (p[0] * p[0] + p[1] * p[1])
    }

    fn gradient(&self, p: Vec2) -> Vec2 {
        let e = p[0] * p[1] - self.mean;
        [
            2.0 * e * p[1] + 2.0 * self.lambda * p[0],
            2.0 * e * p[0] + 2.0 * self.lambda * p[1],
        ]
    }

    fn hessian(&self, p: Vec2) -> Mat2 {
        let (u, v) = (p[0], p[1]);
        let off = 4.0 * u * v - 2.0 * self.mean;
        [
            [2.0 * v * v + 2.0 * self.lambda, off],
            [off, 2.0 * u * u + 2.0 * self.lambda],
        ]
    }

    fn view(&self) -> View {
        View {
            x: (-3.0, 3.0),
            y: (-3.0, 3.0),
        }
    }

    fn start(&self) -> Vec2 {
        [2.5, -2.45]
    }

    fn minima(&self) -> &[Minimum] {
        &self.minima
    }

    fn note(&self) -> &str {
        &self.note
    }

    fn terms(&self) -> Option<usize> {
        Some(self.data.y.len())
    }

    fn term_gradient(&self, i: usize, p: Vec2) -> Vec2 {
        let e = p[0] * p[1] - self.data.y[i];
        [
            2.0 * e * p[1] + 2.0 * self.lambda * p[0],
            2.0 * e * p[0] + 2.0 * self.lambda * p[1],
        ]
    }

    fn data(&self) -> Option<&Dataset> {
        Some(&self.data)
    }

    #[cfg(feature = "export")]
    fn torch_code(&self) -> Option<TorchCode> {
        Some(python::recommender_torch(self))
    }

    #[cfg(feature = "export")]
    fn numpy_code(&self) -> Option<NumpyCode> {
        Some(python::recommender_numpy(self))
    }

    /// The predicted rating uv, the same for every observation.
    fn predict(&self, theta: Vec2, x: &[f64]) -> Option<f64> {
        match x {
            [_] => Some(theta[0] * theta[1]),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lowest value of `f` on a fine grid around `p`, zooming in three times.
    fn brute_force(f: &dyn Fn(Vec2) -> f64, mut p: Vec2, mut radius: f64) -> Vec2 {
        for _ in 0..4 {
            let mut best = (f(p), p);
            for i in -100..=100 {
                for j in -100..=100 {
                    let q = [
                        p[0] + radius * i as f64 / 100.0,
                        p[1] + radius * j as f64 / 100.0,
                    ];
                    let v = f(q);
                    if v < best.0 {
                        best = (v, q);
                    }
                }
            }
            p = best.1;
            radius /= 20.0;
        }
        p
    }

    #[test]
    fn svm_minimum_is_a_fixed_point_of_the_exact_step() {
        // The dual's answer is polished onto the margin lines; polishing again changes nothing.
        for lambda in [0.001, 0.01, 0.03, 0.2, 1.0, 10.0] {
            let s = Svm::new(lambda);
            let w = s.minima[0].at;
            assert_eq!(s.exact(w), Some(w), "λ = {lambda}");
        }
    }

    #[test]
    fn lasso_minimiser_is_exact_for_correlated_features() {
        // Strongly correlated features (off-diagonal ±0.8) and targets of every sign: soft
        // thresholding coordinate by coordinate would be wrong here.
        let mut rng = Pcg64Mcg::seed_from_u64(7);
        let mut quadrants = [0; 4];
        for _ in 0..200 {
            let rho = if rng.random::<bool>() { 0.8 } else { -0.8 };
            let a = [[1.0, rho], [rho, 1.5]];
            let b = [
                6.0 * rng.random::<f64>() - 3.0,
                6.0 * rng.random::<f64>() - 3.0,
            ];
            let lambda = 3.0 * rng.random::<f64>();
            let f = |p: Vec2| {
                a[0][0] * p[0] * p[0] + 2.0 * a[0][1] * p[0] * p[1] + a[1][1] * p[1] * p[1]
                    - 2.0 * (b[0] * p[0] + b[1] * p[1])
                    + lambda * (p[0].abs() + p[1].abs())
            };
            let exact = lasso_minimiser(a, b, lambda);
            let brute = brute_force(&f, [0.0, 0.0], 10.0);
            assert!(
                f(exact) <= f(brute) + 1e-12,
                "A = {a:?}, b = {b:?}, λ = {lambda}: {exact:?} vs grid {brute:?}"
            );
            assert!(
                (exact[0] - brute[0]).abs() < 1e-4 && (exact[1] - brute[1]).abs() < 1e-4,
                "A = {a:?}, b = {b:?}, λ = {lambda}: {exact:?} vs grid {brute:?}"
            );
            if exact[0] != 0.0 && exact[1] != 0.0 {
                quadrants[usize::from(exact[0] < 0.0) * 2 + usize::from(exact[1] < 0.0)] += 1;
            }
        }
        assert!(quadrants.iter().all(|&q| q > 0), "{quadrants:?}");
    }
}
