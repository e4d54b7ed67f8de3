//! Cost surfaces: exact value, gradient and Hessian, plus what a plot needs (view, start, minima).
//!
//! Every surface is a finite sum f(θ) = (1/n) Σᵢ fᵢ(θ): dataset losses have one term per example
//! ([`Surface::terms`]); analytic surfaces have none of their own and get tilted copies from
//! [`crate::variant`].

mod analytic;
mod dataset;
mod models;

use crate::error::Error;
use crate::linalg::{self, Mat2, Vec2};

pub use analytic::Analytic;
pub(crate) use dataset::sigmoid;
pub use dataset::{DataKind, Dataset, DatasetLoss};

/// The rectangle of parameter space a surface is shown in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    /// `(min, max)` of the first parameter.
    pub x: (f64, f64),
    /// `(min, max)` of the second parameter.
    pub y: (f64, f64),
}

impl View {
    /// How many view widths a point may stray before a run counts as diverged.
    pub const FAR: f64 = 100.0;

    /// Whether `p` lies more than [`View::FAR`] widths (or heights) outside the view.
    pub fn is_far_outside(&self, p: Vec2) -> bool {
        let (w, h) = (self.x.1 - self.x.0, self.y.1 - self.y.0);
        p[0] < self.x.0 - Self::FAR * w
            || p[0] > self.x.1 + Self::FAR * w
            || p[1] < self.y.0 - Self::FAR * h
            || p[1] > self.y.1 + Self::FAR * h
    }

    /// Whether `p` lies inside the view (borders included).
    pub fn contains(&self, p: Vec2) -> bool {
        p[0] >= self.x.0 && p[0] <= self.x.1 && p[1] >= self.y.0 && p[1] <= self.y.1
    }
}

/// A known local or global minimum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Minimum {
    /// Where it is.
    pub at: Vec2,
    /// f there.
    pub value: f64,
    /// Whether no other point has a lower value.
    pub global: bool,
}

/// A cost surface over two parameters.
pub trait Surface {
    /// The catalog name (part of the CLI and URL contract), e.g. `rosenbrock`.
    fn name(&self) -> &str;
    /// The formula or a one-line description, for listings and labels.
    fn formula(&self) -> &str;
    /// The names of the two parameters, e.g. `("x", "y")` or `("intercept", "slope")`.
    fn axis_names(&self) -> (&str, &str) {
        ("x", "y")
    }
    /// f(θ).
    fn value(&self, p: Vec2) -> f64;
    /// The exact gradient ∇f(θ).
    fn gradient(&self, p: Vec2) -> Vec2;
    /// The exact Hessian ∇²f(θ).
    fn hessian(&self, p: Vec2) -> Mat2;
    /// The default view.
    fn view(&self) -> View;
    /// The default start point.
    fn start(&self) -> Vec2;
    /// The known minima (empty when f is unbounded below).
    fn minima(&self) -> &[Minimum];
    /// Something true about the minima that a list of points cannot say (a valley, a saddle).
    fn note(&self) -> &str {
        ""
    }
    /// Whether the two parameters are the same kind of quantity, so the plot shows one unit of
    /// each as the same length (the view padded, never stretched): then −∇f looks perpendicular
    /// to the contours, as it is. Surfaces whose parameters differ in kind (an intercept and a
    /// slope per unit of a raw feature) return false, and say so in their [`Surface::note`].
    fn equal_scale(&self) -> bool {
        true
    }
    /// The number of terms of the finite sum, when the surface has terms of its own (one per
    /// example of a dataset); `None` for analytic surfaces.
    fn terms(&self) -> Option<usize> {
        None
    }
    /// ∇fᵢ(θ) for term `i < terms()`; analytic surfaces return ∇f.
    fn term_gradient(&self, _i: usize, p: Vec2) -> Vec2 {
        self.gradient(p)
    }
    /// The data behind a dataset loss, for plotting.
    fn data(&self) -> Option<&Dataset> {
        None
    }
    /// The model's output under θ for one example's raw features `x` (one value, or two for
    /// two-feature data): the regression prediction or the probability of class 1.
    fn predict(&self, _theta: Vec2, _x: &[f64]) -> Option<f64> {
        None
    }
    /// For a one-feature classifier, the raw x where the probability of class 1 is one half;
    /// `None` when there is no such point or no such model.
    fn decision_boundary(&self, _theta: Vec2) -> Option<f64> {
        None
    }
    /// f as PyTorch code written with the same operations as [`Surface::value`], for exported
    /// scripts; `None` for a surface that has none (every surface of the catalog has it).
    #[cfg(feature = "export")]
    fn torch_code(&self) -> Option<TorchCode> {
        None
    }
    /// f, its gradient and its Hessian as NumPy code written with the same operations as
    /// [`Surface::value`], [`Surface::gradient`] and [`Surface::hessian`], for exported scripts
    /// that take no autograd; `None` for a surface that has none.
    #[cfg(feature = "export")]
    fn numpy_code(&self) -> Option<NumpyCode> {
        None
    }
    /// Whether f is quadratic (constant Hessian), so curvature-based thresholds are exact.
    fn is_quadratic(&self) -> bool {
        false
    }
    /// The default scale of the per-term tilts of an analytic surface (see [`crate::variant`]):
    /// about a tenth of a typical gradient in the view.
    fn default_noise(&self) -> f64 {
        1.0
    }
}

/// f as Python for PyTorch, with `torch`, `math` and (as `F`) `torch.nn.functional` imported and
/// float64 the default dtype.
#[derive(Debug, Clone, PartialEq)]
pub struct TorchCode {
    /// Definitions f uses, defined before it (a dataset loss's examples as tensors); often empty.
    pub helpers: String,
    /// What the code calls θ's two coordinates: `x, y`, or a model's own names
    /// (`intercept, slope`), bound to 0-dimensional tensors.
    pub params: &'static str,
    /// The lines of f's body, the last `return` f. For a dataset loss ([`TorchCode::examples`]),
    /// the mean loss of the examples `batch`, a list of their indices.
    pub value: Vec<String>,
    /// For a dataset loss, its number of examples: then f takes `batch`. `None` for a function
    /// of θ alone.
    pub examples: Option<usize>,
}

/// f, ∇f and the Hessian as Python for NumPy, with `np` (NumPy) and `math` imported.
#[derive(Debug, Clone, PartialEq)]
pub struct NumpyCode {
    /// Definitions the other parts use, defined before them (e.g. `sigmoid`, a dataset loss's
    /// examples); often empty.
    pub helpers: String,
    /// What the code calls θ's two coordinates (`x, y`, or a model's own names), bound to
    /// float64 scalars.
    pub params: &'static str,
    /// The lines of f's body, the last `return` f. For a dataset loss, the mean loss of the
    /// examples `batch` (a list of their indices), as for the gradient.
    pub value: Vec<String>,
    /// The lines of ∇f's body, the last `return np.array([∂f/∂θ₀, ∂f/∂θ₁])`.
    pub gradient: Vec<String>,
    /// The lines of the Hessian's body (over every example of a dataset loss), the last
    /// `return np.array([[f₀₀, f₀₁], [f₁₀, f₁₁]])`.
    pub hessian: Vec<String>,
    /// For a dataset loss, its number of examples: then f and ∇f take `batch`.
    pub examples: Option<usize>,
}

/// gdviz's sigmoid in NumPy, for a script whose f uses it: the same two branches, so it never
/// overflows; elementwise on arrays.
pub const NUMPY_SIGMOID: &str = "def sigmoid(a):
    \"\"\"The logistic function 1 / (1 + e^-a), as gdviz computes it (never overflowing).\"\"\"
    return np.where(a >= 0, 1 / (1 + np.exp(-a)), np.exp(a) / (1 + np.exp(a)))
";

/// `values` as a Python list of floats written as Python's `repr` writes them, wrapped to
/// lines of about 90 characters.
pub fn python_list(values: &[f64]) -> String {
    let mut s = String::from("[\n");
    let mut row = String::new();
    for &v in values {
        let item = crate::format::python_repr(v);
        if !row.is_empty() && row.len() + item.len() > 86 {
            s.push_str(&format!("    {}\n", row.trim_end()));
            row.clear();
        }
        row.push_str(&item);
        row.push_str(", ");
    }
    if !row.is_empty() {
        s.push_str(&format!("    {}\n", row.trim_end()));
    }
    s.push(']');
    s
}

/// The line that names every example of a dataset loss: `f(theta)` means `f(theta, ALL)`.
pub fn python_all(n: usize) -> String {
    format!("ALL = list(range({n}))  # every example: the full batch\n")
}

/// A numeric parameter of a surface family (the condition number of the ravine, ...).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    /// Its name in the CLI (`--param kappa=50`), the URL and JavaScript.
    pub name: &'static str,
    /// What it does.
    pub doc: &'static str,
    /// The value used when none is given.
    pub default: f64,
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value.
    pub max: f64,
}

/// One entry of the catalog: a name, a short description and how to build it.
pub struct Entry {
    /// The catalog name.
    pub name: &'static str,
    /// A one-line description for menus and `gdviz list`.
    pub title: &'static str,
    /// Its numeric parameters, if any.
    pub params: &'static [ParamSpec],
    build: fn(&[f64]) -> Box<dyn Surface>,
}

impl Entry {
    /// Builds the surface; `values` gives `(name, value)` pairs for some of its parameters, the
    /// rest take their defaults. Unknown names and out-of-range values are errors.
    pub fn build(&self, values: &[(String, f64)]) -> Result<Box<dyn Surface>, Error> {
        let mut args: Vec<f64> = self.params.iter().map(|p| p.default).collect();
        for (name, value) in values {
            let Some(i) = self.params.iter().position(|p| p.name == name) else {
                let known: Vec<&str> = self.params.iter().map(|p| p.name).collect();
                return Err(Error::new(
                    name,
                    if known.is_empty() {
                        format!("surface '{}' takes no parameters", self.name)
                    } else {
                        format!("surface '{}' takes only {}", self.name, known.join(", "))
                    },
                ));
            };
            let spec = &self.params[i];
            if !(value.is_finite() && *value >= spec.min && *value <= spec.max) {
                return Err(Error::new(
                    name,
                    format!(
                        "must be between {} and {} (got {})",
                        spec.min,
                        spec.max,
                        crate::format::format_number(*value)
                    ),
                ));
            }
            args[i] = *value;
        }
        Ok((self.build)(&args))
    }
}

/// Every named surface, in menu order.
pub fn catalog() -> &'static [Entry] {
    &CATALOG
}

/// Builds the named surface with default parameters.
pub fn by_name(name: &str) -> Result<Box<dyn Surface>, Error> {
    find(name)?.build(&[])
}

/// The catalog entry called `name`, or an error listing the names there are.
pub fn find(name: &str) -> Result<&'static Entry, Error> {
    CATALOG.iter().find(|e| e.name == name).ok_or_else(|| {
        let names: Vec<&str> = CATALOG.iter().map(|e| e.name).collect();
        Error::new(
            "surface",
            format!(
                "unknown surface '{name}'; choose one of {}",
                names.join(", ")
            ),
        )
    })
}

static CATALOG: [Entry; 19] = [
    analytic::entry(analytic::Formula::Rosenbrock),
    analytic::entry(analytic::Formula::Himmelblau),
    analytic::entry(analytic::Formula::Beale),
    analytic::entry(analytic::Formula::Booth),
    analytic::entry(analytic::Formula::Matyas),
    analytic::entry(analytic::Formula::Saddle),
    analytic::entry(analytic::Formula::SixHumpCamel),
    analytic::entry(analytic::Formula::Ravine),
    analytic::entry(analytic::Formula::Plateau),
    analytic::entry(analytic::Formula::DoubleWell),
    dataset::entry(dataset::Which::Collinear),
    dataset::entry(dataset::Which::LinearRegression),
    dataset::entry(dataset::Which::LinearRegressionStd),
    dataset::entry(dataset::Which::LogisticRegression),
    models::entry(models::Which::Ridge),
    models::entry(models::Which::Lasso),
    models::entry(models::Which::Svm),
    models::entry(models::Which::TinyNet),
    models::entry(models::Which::Recommender),
];

/// Polishes an approximate critical point with Newton's method on the exact gradient, so the
/// minima a plot marks are exact to rounding rather than copied to four digits.
pub(crate) fn newton(s: &dyn Surface, mut p: Vec2) -> Vec2 {
    for _ in 0..50 {
        let g = s.gradient(p);
        let Some(d) = linalg::solve(s.hessian(p), g) else {
            break;
        };
        let next = [p[0] - d[0], p[1] - d[1]];
        if !linalg::is_finite(next) {
            break;
        }
        let done = (next[0] - p[0]).abs() <= 1e-15 * (1.0 + p[0].abs())
            && (next[1] - p[1]).abs() <= 1e-15 * (1.0 + p[1].abs());
        p = next;
        if done {
            break;
        }
    }
    p
}

/// Minima from approximate locations: Newton-polished, valued, and marked global when their value
/// is within rounding of the lowest.
pub(crate) fn polish_minima(s: &dyn Surface, approx: &[Vec2]) -> Vec<Minimum> {
    let pts: Vec<(Vec2, f64)> = approx
        .iter()
        .map(|&a| {
            let p = newton(s, a);
            (p, s.value(p))
        })
        .collect();
    let best = pts.iter().map(|m| m.1).fold(f64::INFINITY, f64::min);
    pts.into_iter()
        .map(|(at, value)| Minimum {
            at,
            value,
            global: value <= best + 1e-9 * (1.0 + best.abs()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{ExprSurface, DEFAULT_VIEW};

    /// Newton's polish does not stop when a step merely takes y to −y: on
    /// x² + (y − 2)⁴ + 54(y − 2)², the step from (0, −1) lands exactly on (0, 1) (∂f/∂y = −432,
    /// ∂²f/∂y² = 216), and the polish goes on to the minimum at (0, 2).
    #[test]
    fn newton_does_not_stop_where_y_merely_changes_sign() {
        let s = ExprSurface::parse("x^2 + (y - 2)^4 + 54*(y - 2)^2", DEFAULT_VIEW).unwrap();
        let p = newton(&s, [0.0, -1.0]);
        assert!(p[0] == 0.0 && (p[1] - 2.0).abs() < 1e-15, "{p:?}");
    }
}
