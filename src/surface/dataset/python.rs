//! The linear models' losses as Python for exported scripts: the examples as literals, the
//! model written as a person reads it (`intercept + slope * x`), and f as the mean loss of a
//! batch of examples, so a stochastic run's script evaluates exactly the terms gdviz did.

use super::{DataKind, DatasetLoss, Features};
use crate::surface::{python_all, python_list, NumpyCode, TorchCode, NUMPY_SIGMOID};

/// How the script spells one model: its parameter names, the feature array it reads, and the
/// prediction and feature vector φ(x) over a feature expression `x`.
struct Model {
    /// θ's names.
    params: &'static str,
    p: [&'static str; 2],
    /// `DATA_X`, or `DATA_Z` for the standardised feature.
    feature: &'static str,
    duplicated: bool,
}

impl Model {
    fn of(s: &DatasetLoss) -> Model {
        let (params, p) = match (s.features, s.data.kind) {
            (Features::Duplicated, _) => ("t1, t2", ["t1", "t2"]),
            (_, DataKind::Classification) => ("bias, weight", ["bias", "weight"]),
            (_, DataKind::Regression) => ("intercept, slope", ["intercept", "slope"]),
        };
        Model {
            params,
            p,
            feature: match s.features {
                Features::Standardised { .. } => "DATA_Z",
                _ => "DATA_X",
            },
            duplicated: s.features == Features::Duplicated,
        }
    }

    /// θ·φ(x) for the feature expression `x`, in gdviz's order of operations.
    fn score(&self, x: &str) -> String {
        let [a, b] = self.p;
        if self.duplicated {
            format!("{a} * {x} + {b} * {x}")
        } else {
            format!("{a} + {b} * {x}")
        }
    }

    /// φ(x)'s two coordinates as factors to multiply by (`None` for the constant 1).
    fn phi<'a>(&self, x: &'a str) -> [Option<&'a str>; 2] {
        if self.duplicated {
            [Some(x), Some(x)]
        } else {
            [None, Some(x)]
        }
    }
}

/// The examples (and the standardised feature) as arrays built by `ctor` (`torch.tensor` or
/// `np.array`); `std` is how that library takes the population standard deviation.
fn data(s: &DatasetLoss, ctor: &str, std: &str) -> String {
    let n = s.data.x.len();
    let mut out = match s.features {
        Features::Duplicated => format!(
            "# The {n} examples: the feature x, given to the model twice (φ(x) = (x, x)), and the target y.\n"
        ),
        _ => format!(
            "# The {n} examples, drawn once by gdviz from its seeded generator: the feature x and the {}.\n",
            match s.data.kind {
                DataKind::Regression => "target y",
                DataKind::Classification => "class y (0 or 1)",
            }
        ),
    };
    out.push_str(&format!("DATA_X = {ctor}({})\n", python_list(&s.data.x)));
    out.push_str(&format!("DATA_Y = {ctor}({})\n", python_list(&s.data.y)));
    if let Features::Standardised { .. } = s.features {
        out.push_str(
            "# The model reads the standardised feature (x − mean) / std, std over all n (not n − 1).\n",
        );
        out.push_str(&format!(
            "DATA_Z = (DATA_X - DATA_X.mean()) / DATA_X.{std}\n"
        ));
    }
    out.push_str(&python_all(n));
    out
}

/// The loss as PyTorch code: torch's own loss functions over the batch's examples.
pub(super) fn torch(s: &DatasetLoss) -> TorchCode {
    let m = Model::of(s);
    let x = format!("{}[batch]", m.feature);
    let score = m.score(&x);
    let value = match s.data.kind {
        DataKind::Regression => format!("return F.mse_loss({score}, DATA_Y[batch])"),
        // softplus(z) − y·z = −[y log σ(z) + (1 − y) log(1 − σ(z))], computed stably.
        DataKind::Classification => {
            format!("return F.binary_cross_entropy_with_logits({score}, DATA_Y[batch])")
        }
    };
    TorchCode {
        helpers: data(s, "torch.tensor", "std(correction=0)"),
        params: m.params,
        value: vec![value],
        examples: Some(s.data.x.len()),
    }
}

/// The loss, its gradient and its Hessian as NumPy code, each the mean over the examples.
pub(super) fn numpy(s: &DatasetLoss) -> NumpyCode {
    let m = Model::of(s);
    let f = m.feature;
    let mut helpers = data(s, "np.array", "std()");
    let take = format!("x, t = {f}[batch], DATA_Y[batch]");
    let score = m.score("x");
    let [p0, p1] = m.phi("x");
    let (value, gradient, hessian) = match s.data.kind {
        DataKind::Regression => {
            // The mean of 2·a·b over the examples; a factor `None` is the constant 1.
            let mean2 = |a: Option<&str>, b: Option<&str>| match (a, b) {
                (None, None) => "2.0".to_string(),
                (Some(u), None) | (None, Some(u)) => format!("np.mean(2 * {u})"),
                (Some(u), Some(v)) => format!("np.mean(2 * {u} * {v})"),
            };
            let [h0, h1] = m.phi(f);
            let (xx, xy, yy) = (mean2(h0, h0), mean2(h0, h1), mean2(h1, h1));
            (
                vec![
                    take.clone(),
                    format!("return np.mean(({score} - t) ** 2)  # the mean squared error"),
                ],
                vec![
                    take,
                    format!("r = {score} - t  # the residuals"),
                    format!(
                        "return np.array([{}, {}])  # the mean of 2·r·φ(x)",
                        mean2(Some("r"), p0),
                        mean2(Some("r"), p1)
                    ),
                ],
                vec![format!(
                    "return np.array([[{xx}, {xy}], [{xy}, {yy}]])  # the mean of 2·φ(x)φ(x)ᵀ"
                )],
            )
        }
        DataKind::Classification => {
            // The mean of (p − t)·a over the examples; `None` is the constant 1.
            let error = |a: Option<&str>| match a {
                Some(u) => format!("np.mean((p - t) * {u})"),
                None => "np.mean(p - t)".to_string(),
            };
            helpers.push_str("\n\n");
            helpers.push_str(NUMPY_SIGMOID);
            (
                vec![
                    take.clone(),
                    format!("z = {score}  # the scores"),
                    "# −log σ(z) for class 1, −log(1 − σ(z)) for class 0: log(1 + e^z) − t·z"
                        .into(),
                    "return np.mean(np.logaddexp(0, z) - t * z)".into(),
                ],
                vec![
                    take,
                    format!("p = sigmoid({score})  # the probabilities of class 1"),
                    format!(
                        "return np.array([{}, {}])  # the mean of (p − t)·φ(x)",
                        error(p0),
                        error(p1)
                    ),
                ],
                vec![
                    format!("p = sigmoid({})", m.score(f)),
                    "v = p * (1 - p)  # σ′(z)".into(),
                    format!(
                        "return np.array([[np.mean(v), np.mean(v * {f})], [np.mean(v * {f}), np.mean(v * {f} * {f})]])"
                    ),
                ],
            )
        }
    };
    NumpyCode {
        helpers,
        params: m.params,
        value,
        gradient,
        hessian,
        examples: Some(s.data.x.len()),
    }
}
