//! Losses of linear models on small datasets: one term per example, so batch, stochastic and
//! mini-batch gradient descent are the real thing.

use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};
use rand_pcg::Pcg64Mcg;

#[cfg(feature = "export")]
mod python;

use super::{polish_minima, Entry, Minimum, Surface, View};
#[cfg(feature = "export")]
use super::{NumpyCode, TorchCode};
use crate::linalg::{Mat2, Vec2};

/// What the targets are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    /// Real-valued targets, fitted with squared error.
    Regression,
    /// Labels 0 or 1, fitted with logistic loss.
    Classification,
}

/// The data behind a dataset loss, in the units a person would plot it in.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Regression or classification.
    pub kind: DataKind,
    /// The raw feature of each example.
    pub x: Vec<f64>,
    /// The target (or label 0/1) of each example.
    pub y: Vec<f64>,
    /// Names for the plot's axes.
    pub x_label: &'static str,
    /// Name of the target.
    pub y_label: &'static str,
    /// A second feature of each example, for a classifier over two features: the points are then
    /// plotted in the (x, x2) plane, coloured by label. `None` for one-feature data.
    pub x2: Option<Vec<f64>>,
    /// Name of the second feature (empty when there is none).
    pub x2_label: &'static str,
}

/// How a raw feature x becomes the model's two inputs φ(x), so that the prediction is θ·φ(x).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Features {
    /// φ = (1, x): θ = (intercept, slope).
    Affine,
    /// φ = (1, (x − mean)/std): the standardised twin.
    Standardised { mean: f64, std: f64 },
    /// φ = (x, x): two identical features.
    Duplicated,
}

impl Features {
    fn map(self, x: f64) -> Vec2 {
        match self {
            Features::Affine => [1.0, x],
            Features::Standardised { mean, std } => [1.0, (x - mean) / std],
            Features::Duplicated => [x, x],
        }
    }
}

/// Which dataset loss.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Which {
    Collinear,
    LinearRegression,
    LinearRegressionStd,
    LogisticRegression,
}

pub(super) const fn entry(which: Which) -> Entry {
    match which {
        Which::Collinear => Entry {
            name: "collinear",
            title: "Collinear features: a valley of minima",
            params: &[],
            build: |_| Box::new(DatasetLoss::new(Which::Collinear)),
        },
        Which::LinearRegression => Entry {
            name: "linear-regression",
            title: "Linear regression, raw feature (a ravine)",
            params: &[],
            build: |_| Box::new(DatasetLoss::new(Which::LinearRegression)),
        },
        Which::LinearRegressionStd => Entry {
            name: "linear-regression-std",
            title: "Linear regression, standardised feature",
            params: &[],
            build: |_| Box::new(DatasetLoss::new(Which::LinearRegressionStd)),
        },
        Which::LogisticRegression => Entry {
            name: "logistic-regression",
            title: "Logistic regression, one feature",
            params: &[],
            build: |_| Box::new(DatasetLoss::new(Which::LogisticRegression)),
        },
    }
}

/// The seed of the generated datasets: fixed, so a surface name always means the same data.
const DATA_SEED: u64 = 20_261_124;

/// The mean loss of a linear model θ·φ(x) over a dataset.
#[derive(Debug, Clone)]
pub struct DatasetLoss {
    which: Which,
    data: Dataset,
    features: Features,
    /// φ(xᵢ) for each example, precomputed.
    phi: Vec<Vec2>,
    minima: Vec<Minimum>,
}

impl DatasetLoss {
    fn new(which: Which) -> Self {
        let mut rng = Pcg64Mcg::seed_from_u64(DATA_SEED);
        let (data, features) = match which {
            Which::Collinear => (
                Dataset {
                    kind: DataKind::Regression,
                    x: vec![1.0, 2.0, 3.0],
                    y: vec![1.0, 2.0, 3.0],
                    x_label: "x (both features)",
                    y_label: "y",
                    x2: None,
                    x2_label: "",
                },
                Features::Duplicated,
            ),
            Which::LinearRegression | Which::LinearRegressionStd => {
                // y = 1 + 0.5x + noise, x uniform on [0, 10]: the raw feature's mean of 5 and
                // spread make the Hessian's eigenvalues ≈ 0.53 and 77, a ravine.
                let noise = Normal::new(0.0, 0.5).expect("constant σ > 0");
                let x: Vec<f64> = (0..50).map(|_| 10.0 * rng.random::<f64>()).collect();
                let y = x
                    .iter()
                    .map(|&xi| 1.0 + 0.5 * xi + noise.sample(&mut rng))
                    .collect();
                let features = if which == Which::LinearRegression {
                    Features::Affine
                } else {
                    let mean = x.iter().sum::<f64>() / x.len() as f64;
                    let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / x.len() as f64;
                    Features::Standardised {
                        mean,
                        std: var.sqrt(),
                    }
                };
                let data = Dataset {
                    kind: DataKind::Regression,
                    x,
                    y,
                    x_label: "x",
                    y_label: "y",
                    x2: None,
                    x2_label: "",
                };
                (data, features)
            }
            Which::LogisticRegression => {
                // Labels drawn from P(y = 1 | x) = σ(1 + 1.5x): the classes overlap, so the
                // minimum is finite.
                let x: Vec<f64> = (0..50).map(|_| 8.0 * rng.random::<f64>() - 4.0).collect();
                let y = x
                    .iter()
                    .map(|&xi| f64::from(rng.random::<f64>() < sigmoid(1.0 + 1.5 * xi)))
                    .collect();
                let data = Dataset {
                    kind: DataKind::Classification,
                    x,
                    y,
                    x_label: "x",
                    y_label: "class",
                    x2: None,
                    x2_label: "",
                };
                (data, Features::Affine)
            }
        };
        let phi = data.x.iter().map(|&x| features.map(x)).collect();
        let mut s = DatasetLoss {
            which,
            data,
            features,
            phi,
            minima: Vec::new(),
        };
        s.minima = match which {
            // A valley: every θ with θ₁ + θ₂ = 1 is a minimum. Mark the one nearest the origin,
            // where gradient descent from (0, 0) ends.
            Which::Collinear => vec![Minimum {
                at: [0.5, 0.5],
                value: 0.0,
                global: true,
            }],
            _ => polish_minima(&s, &[[0.0, 0.0]]),
        };
        s
    }

    /// The model's output for a raw feature value under parameters θ: the regression line, or
    /// the probability of class 1.
    pub fn predict(&self, theta: Vec2, x: f64) -> f64 {
        let phi = self.features.map(x);
        let z = theta[0] * phi[0] + theta[1] * phi[1];
        match self.data.kind {
            DataKind::Regression => z,
            DataKind::Classification => sigmoid(z),
        }
    }

    /// (fᵢ, dfᵢ/dz, d²fᵢ/dz²) at z = θ·φᵢ.
    fn term(&self, i: usize, p: Vec2) -> (f64, f64, f64) {
        let phi = self.phi[i];
        let z = p[0] * phi[0] + p[1] * phi[1];
        let y = self.data.y[i];
        match self.data.kind {
            DataKind::Regression => {
                let r = z - y;
                (r * r, 2.0 * r, 2.0)
            }
            DataKind::Classification => {
                // −[y log σ(z) + (1−y) log(1−σ(z))] = softplus(z) − y·z, computed stably.
                let softplus = z.max(0.0) + (-z.abs()).exp().ln_1p();
                let s = sigmoid(z);
                (softplus - y * z, s - y, s * (1.0 - s))
            }
        }
    }
}

/// The logistic function, stable for large |z|.
pub(crate) fn sigmoid(z: f64) -> f64 {
    // The same bits on every target (`math`).
    if z >= 0.0 {
        1.0 / (1.0 + crate::math::exp(-z))
    } else {
        let e = crate::math::exp(z);
        e / (1.0 + e)
    }
}

impl Surface for DatasetLoss {
    fn name(&self) -> &str {
        match self.which {
            Which::Collinear => "collinear",
            Which::LinearRegression => "linear-regression",
            Which::LinearRegressionStd => "linear-regression-std",
            Which::LogisticRegression => "logistic-regression",
        }
    }

    fn formula(&self) -> &str {
        match self.which {
            Which::Collinear => "(1/3) Σ (θ₁xᵢ + θ₂xᵢ − yᵢ)², x = y = (1, 2, 3)",
            Which::LinearRegression => "(1/50) Σ (θ₀ + θ₁xᵢ − yᵢ)²",
            Which::LinearRegressionStd => "(1/50) Σ (θ₀ + θ₁(xᵢ − x̄)/σₓ − yᵢ)²",
            Which::LogisticRegression => "(1/50) Σ −log σ(±(θ₀ + θ₁xᵢ))",
        }
    }

    fn axis_names(&self) -> (&str, &str) {
        match self.which {
            Which::Collinear => ("θ₁", "θ₂"),
            Which::LinearRegression | Which::LinearRegressionStd => ("intercept", "slope"),
            Which::LogisticRegression => ("bias", "weight"),
        }
    }

    fn value(&self, p: Vec2) -> f64 {
        // The value alone (no derivatives): this is what a contour grid samples thousands of
        // times per redraw.
        let mut sum = 0.0;
        for (phi, &y) in self.phi.iter().zip(&self.data.y) {
            let z = p[0] * phi[0] + p[1] * phi[1];
            sum += match self.data.kind {
                DataKind::Regression => (z - y) * (z - y),
                DataKind::Classification => z.max(0.0) + (-z.abs()).exp().ln_1p() - y * z,
            };
        }
        sum / self.phi.len() as f64
    }

    fn gradient(&self, p: Vec2) -> Vec2 {
        let n = self.phi.len();
        let mut g = [0.0; 2];
        for i in 0..n {
            let gi = self.term_gradient(i, p);
            g[0] += gi[0];
            g[1] += gi[1];
        }
        [g[0] / n as f64, g[1] / n as f64]
    }

    fn hessian(&self, p: Vec2) -> Mat2 {
        let n = self.phi.len() as f64;
        let mut h = [[0.0; 2]; 2];
        for (i, phi) in self.phi.iter().enumerate() {
            let d2 = self.term(i, p).2;
            for (r, row) in h.iter_mut().enumerate() {
                for (c, v) in row.iter_mut().enumerate() {
                    *v += d2 * phi[r] * phi[c];
                }
            }
        }
        h.map(|row| row.map(|v| v / n))
    }

    fn view(&self) -> View {
        match self.which {
            Which::Collinear => View {
                x: (-0.5, 1.5),
                y: (-0.5, 1.5),
            },
            Which::LinearRegression => View {
                x: (-2.0, 4.0),
                y: (-0.5, 1.5),
            },
            Which::LinearRegressionStd => View {
                x: (-1.0, 7.0),
                y: (-2.5, 4.5),
            },
            Which::LogisticRegression => View {
                x: (-4.0, 6.0),
                y: (-2.0, 5.0),
            },
        }
    }

    fn start(&self) -> Vec2 {
        match self.which {
            Which::Collinear => [0.0, 0.0],
            Which::LinearRegression => [-1.5, 1.3],
            Which::LinearRegressionStd => [0.0, -2.0],
            Which::LogisticRegression => [-3.0, -1.5],
        }
    }

    fn minima(&self) -> &[Minimum] {
        &self.minima
    }

    fn note(&self) -> &str {
        match self.which {
            Which::Collinear => {
                "the two features are identical: every point of the line θ₁ + θ₂ = 1 is a \
                 minimum; (0.5, 0.5) is the one nearest the origin"
            }
            Which::LinearRegression => {
                "x is unscaled (0 to 10): the Hessian's eigenvalues differ by a factor of about \
                 140, so the contours are long thin ellipses. An intercept and a slope per unit \
                 of x are different quantities: axes not to the same scale, so −∇f need not look \
                 perpendicular to the contours"
            }
            Which::LinearRegressionStd => {
                "x standardised to mean 0, variance 1: the Hessian is 2I and the contours are \
                 circles"
            }
            Which::LogisticRegression => {
                "the classes overlap, so the minimum is finite. A bias and a weight per unit of \
                 x are different quantities: axes not to the same scale, so −∇f need not look \
                 perpendicular to the contours"
            }
        }
    }

    /// The raw feature's intercept (or bias) and slope (or weight) differ in kind; the
    /// standardised one's are both in the target's units, and the collinear weights are alike.
    fn equal_scale(&self) -> bool {
        !matches!(
            self.which,
            Which::LinearRegression | Which::LogisticRegression
        )
    }

    fn terms(&self) -> Option<usize> {
        Some(self.phi.len())
    }

    #[cfg(feature = "export")]
    fn torch_code(&self) -> Option<TorchCode> {
        Some(python::torch(self))
    }

    #[cfg(feature = "export")]
    fn numpy_code(&self) -> Option<NumpyCode> {
        Some(python::numpy(self))
    }

    fn is_quadratic(&self) -> bool {
        self.data.kind == DataKind::Regression
    }

    fn term_gradient(&self, i: usize, p: Vec2) -> Vec2 {
        let phi = self.phi[i];
        let d = self.term(i, p).1;
        [d * phi[0], d * phi[1]]
    }

    fn data(&self) -> Option<&Dataset> {
        Some(&self.data)
    }

    fn predict(&self, theta: Vec2, x: &[f64]) -> Option<f64> {
        match x {
            [x] if self.data.x2.is_none() => Some(DatasetLoss::predict(self, theta, *x)),
            _ => None,
        }
    }

    fn decision_boundary(&self, theta: Vec2) -> Option<f64> {
        if self.data.kind != DataKind::Classification || self.data.x2.is_some() {
            return None;
        }
        // p = ½ where the score θ·φ(x) is zero.
        let x = match self.features {
            Features::Affine => -theta[0] / theta[1],
            Features::Standardised { mean, std } => mean - std * theta[0] / theta[1],
            Features::Duplicated if theta[0] + theta[1] != 0.0 => 0.0,
            Features::Duplicated => return None,
        };
        x.is_finite().then_some(x)
    }
}
