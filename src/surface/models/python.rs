//! The models' losses as Python for exported scripts: the examples as literals, λ as a
//! constant, and f as the mean loss of a batch of examples (each term carries the whole
//! penalty, so a batch's mean is its data term's mean plus the penalty).

use super::{Penalised, Penalty, Recommender, Svm, TinyNet};
use crate::format::python_repr;
use crate::surface::{python_all, python_list, NumpyCode, TorchCode};

/// `NAME = ctor([...])` for each array, after a comment line.
fn arrays(comment: &str, ctor: &str, named: &[(&str, &[f64])]) -> String {
    let mut out = format!("# {comment}\n");
    for (name, values) in named {
        out.push_str(&format!("{name} = {ctor}({})\n", python_list(values)));
    }
    out.push_str(&python_all(named[0].1.len()));
    out
}

fn lambda(v: f64) -> String {
    format!("LAMBDA = {}  # the penalty's weight λ\n", python_repr(v))
}

/// Ridge's or lasso's data: the 50 examples and the standardised feature.
fn penalised_data(s: &Penalised, ctor: &str, std: &str) -> String {
    let mut out = arrays(
        "The 50 examples of linear-regression, drawn once by gdviz from its seeded generator.",
        ctor,
        &[("DATA_X", &s.data.x), ("DATA_Y", &s.data.y)],
    );
    out.push_str(
        "# The model reads the standardised feature (x − mean) / std, std over all n (not n − 1).\n",
    );
    out.push_str(&format!(
        "DATA_Z = (DATA_X - DATA_X.mean()) / DATA_X.{std}\n"
    ));
    out.push_str(&lambda(s.lambda));
    out
}

pub(super) fn penalised_torch(s: &Penalised) -> TorchCode {
    let penalty = match s.penalty {
        Penalty::L2 => "LAMBDA * (intercept ** 2 + slope ** 2)",
        Penalty::L1 => "LAMBDA * (intercept.abs() + slope.abs())",
    };
    TorchCode {
        helpers: penalised_data(s, "torch.tensor", "std(correction=0)"),
        params: "intercept, slope",
        value: vec![format!(
            "return F.mse_loss(intercept + slope * DATA_Z[batch], DATA_Y[batch]) + {penalty}"
        )],
        examples: Some(s.data.x.len()),
    }
}

pub(super) fn penalised_numpy(s: &Penalised) -> NumpyCode {
    let take = "z, t = DATA_Z[batch], DATA_Y[batch]".to_string();
    let residuals = "r = intercept + slope * z - t  # the residuals".to_string();
    let (penalty, gradient, diagonal) = match s.penalty {
        Penalty::L2 => (
            "LAMBDA * (intercept ** 2 + slope ** 2)",
            "return np.array([np.mean(2 * r) + 2 * LAMBDA * intercept, np.mean(2 * r * z) + 2 * LAMBDA * slope])",
            " + 2 * LAMBDA",
        ),
        Penalty::L1 => (
            "LAMBDA * (abs(intercept) + abs(slope))",
            "return np.array([np.mean(2 * r) + LAMBDA * np.sign(intercept), np.mean(2 * r * z) + LAMBDA * np.sign(slope)])  # sign(0) = 0",
            "",
        ),
    };
    NumpyCode {
        helpers: penalised_data(s, "np.array", "std()"),
        params: "intercept, slope",
        value: vec![
            take.clone(),
            residuals.clone(),
            format!("return np.mean(r ** 2) + {penalty}"),
        ],
        gradient: vec![take, residuals, gradient.to_string()],
        hessian: vec![
            "z = DATA_Z".into(),
            format!(
                "return np.array([[2.0{diagonal}, np.mean(2 * z)], [np.mean(2 * z), np.mean(2 * z * z){diagonal}]])"
            ),
        ],
        examples: Some(s.data.x.len()),
    }
}

fn svm_data(s: &Svm, ctor: &str) -> String {
    let x2 = s.data.x2.as_deref().unwrap_or_default();
    let mut out = arrays(
        "The 20 examples, drawn once by gdviz from its seeded generator: two features and a class (0 or 1).",
        ctor,
        &[("DATA_X1", &s.data.x), ("DATA_X2", x2), ("DATA_Y", &s.data.y)],
    );
    out.push_str("SIGN = 2 * DATA_Y - 1  # the class as ±1\n");
    out.push_str(&lambda(s.lambda));
    out
}

/// The margins s·(w·x) of the batch's examples.
const MARGIN: &str =
    "margin = SIGN[batch] * (w1 * DATA_X1[batch] + w2 * DATA_X2[batch])  # s·(w·x)";

pub(super) fn svm_torch(s: &Svm) -> TorchCode {
    TorchCode {
        helpers: svm_data(s, "torch.tensor"),
        params: "w1, w2",
        value: vec![
            MARGIN.into(),
            "# The hinge max(0, 1 − margin); relu's slope at its kink is 0, as gdviz takes it."
                .into(),
            "return torch.relu(1 - margin).mean() + LAMBDA * (w1 ** 2 + w2 ** 2)".into(),
        ],
        examples: Some(s.a.len()),
    }
}

pub(super) fn svm_numpy(s: &Svm) -> NumpyCode {
    NumpyCode {
        helpers: svm_data(s, "np.array"),
        params: "w1, w2",
        value: vec![
            MARGIN.into(),
            "return np.mean(np.maximum(0, 1 - margin)) + LAMBDA * (w1 * w1 + w2 * w2)".into(),
        ],
        gradient: vec![
            "x1, x2, s = DATA_X1[batch], DATA_X2[batch], SIGN[batch]".into(),
            "inside = s * (w1 * x1 + w2 * x2) < 1  # within the margin, the hinge's slope is −s·x (0 on it)".into(),
            "return np.array([2 * LAMBDA * w1 - np.mean(inside * s * x1), 2 * LAMBDA * w2 - np.mean(inside * s * x2)])".into(),
        ],
        hessian: vec![
            "# The hinge is piecewise linear: only the penalty curves.".into(),
            "return np.array([[2 * LAMBDA, 0.0], [0.0, 2 * LAMBDA]])".into(),
        ],
        examples: Some(s.a.len()),
    }
}

fn net_data(s: &TinyNet, ctor: &str) -> String {
    arrays(
        "The 20 examples, drawn once by gdviz from its seeded generator: input x and target y.",
        ctor,
        &[("DATA_X", &s.data.x), ("DATA_Y", &s.data.y)],
    )
}

pub(super) fn net_torch(s: &TinyNet) -> TorchCode {
    TorchCode {
        helpers: net_data(s, "torch.tensor"),
        params: "w1, w2",
        value: vec!["return F.mse_loss(w2 * torch.tanh(w1 * DATA_X[batch]), DATA_Y[batch])".into()],
        examples: Some(s.data.x.len()),
    }
}

pub(super) fn net_numpy(s: &TinyNet) -> NumpyCode {
    let take = "x, t = DATA_X[batch], DATA_Y[batch]".to_string();
    NumpyCode {
        helpers: net_data(s, "np.array"),
        params: "w1, w2",
        value: vec![
            take.clone(),
            "return np.mean((w2 * np.tanh(w1 * x) - t) ** 2)".into(),
        ],
        gradient: vec![
            take,
            "h = np.tanh(w1 * x)  # the hidden unit".into(),
            "r = w2 * h - t  # the residuals".into(),
            "return np.array([np.mean(2 * r * w2 * (1 - h * h) * x), np.mean(2 * r * h)])".into(),
        ],
        hessian: vec![
            "x, t = DATA_X, DATA_Y".into(),
            "h = np.tanh(w1 * x)".into(),
            "r = w2 * h - t".into(),
            "s = 1 - h * h  # tanh′(w1·x)".into(),
            "dz = w2 * s * x  # ∂ŷ/∂w1".into(),
            "hxx = np.mean(2 * (dz * dz - 2 * r * w2 * x * x * h * s))".into(),
            "hxy = np.mean(2 * (h * dz + r * s * x))".into(),
            "hyy = np.mean(2 * h * h)".into(),
            "return np.array([[hxx, hxy], [hxy, hyy]])".into(),
        ],
        examples: Some(s.data.x.len()),
    }
}

fn ratings(s: &Recommender, ctor: &str) -> String {
    let mut out = arrays(
        "The 12 observed ratings of one item by one user, drawn once by gdviz from its seeded generator.",
        ctor,
        &[("RATINGS", &s.data.y)],
    );
    out.push_str(&lambda(s.lambda));
    out
}

pub(super) fn recommender_torch(s: &Recommender) -> TorchCode {
    TorchCode {
        helpers: ratings(s, "torch.tensor"),
        params: "u, v",
        value: vec![
            "return ((u * v - RATINGS[batch]) ** 2).mean() + LAMBDA * (u ** 2 + v ** 2)".into(),
        ],
        examples: Some(s.data.y.len()),
    }
}

pub(super) fn recommender_numpy(s: &Recommender) -> NumpyCode {
    NumpyCode {
        helpers: ratings(s, "np.array"),
        params: "u, v",
        value: vec![
            "return np.mean((u * v - RATINGS[batch]) ** 2) + LAMBDA * (u * u + v * v)".into(),
        ],
        gradient: vec![
            "e = u * v - RATINGS[batch]  # the errors of the predicted rating u·v".into(),
            "return np.array([np.mean(2 * e * v) + 2 * LAMBDA * u, np.mean(2 * e * u) + 2 * LAMBDA * v])".into(),
        ],
        hessian: vec![
            "off = np.mean(4 * u * v - 2 * RATINGS)".into(),
            "return np.array([[2 * v * v + 2 * LAMBDA, off], [off, 2 * u * u + 2 * LAMBDA]])"
                .into(),
        ],
        examples: Some(s.data.y.len()),
    }
}
