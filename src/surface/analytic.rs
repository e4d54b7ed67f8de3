//! Closed-form test functions of optimization, with hand-derived gradients and Hessians.

use super::{polish_minima, Entry, Minimum, ParamSpec, Surface, View};
#[cfg(feature = "export")]
use super::{NumpyCode, TorchCode};
use crate::linalg::{Mat2, Vec2};

/// Which closed-form function.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Formula {
    /// (1−x)² + 100(y−x²)²: a curved, flat-bottomed valley.
    Rosenbrock,
    /// (x²+y−11)² + (x+y²−7)²: four global minima.
    Himmelblau,
    /// (1.5−x+xy)² + (2.25−x+xy²)² + (2.625−x+xy³)²: flat plains and sharp ridges.
    Beale,
    /// (x+2y−7)² + (2x+y−5)²: a quadratic with Hessian eigenvalues 18 and 2.
    Booth,
    /// 0.26(x²+y²) − 0.48xy: a quadratic ravine along the diagonal.
    Matyas,
    /// x² − y²: a saddle point at the origin.
    Saddle,
    /// The six-hump camel: two global and four local minima.
    SixHumpCamel,
    /// x² + κy²: an axis-aligned quadratic with condition number κ.
    Ravine,
    /// 1 − exp(−(x²+y²)/4): a well in a plateau where gradients are tiny.
    Plateau,
    /// (x²−1)² + 0.3x + y²: a global minimum and a strictly worse local one.
    DoubleWell,
}

const KAPPA: ParamSpec = ParamSpec {
    name: "kappa",
    doc: "condition number: the ratio of the Hessian's eigenvalues",
    default: 10.0,
    min: 1.0,
    max: 1e6,
};

/// The catalog entry of a formula.
pub(super) const fn entry(formula: Formula) -> Entry {
    use Formula::*;
    let (name, title, params): (&str, &str, &[ParamSpec]) = match formula {
        Rosenbrock => ("rosenbrock", "Rosenbrock's banana valley", &[]),
        Himmelblau => ("himmelblau", "Himmelblau: four equal minima", &[]),
        Beale => ("beale", "Beale: plains and sharp ridges", &[]),
        Booth => ("booth", "Booth: a tilted quadratic bowl", &[]),
        Matyas => ("matyas", "Matyas: a diagonal quadratic ravine", &[]),
        Saddle => ("saddle", "Saddle point x² − y²", &[]),
        SixHumpCamel => (
            "six-hump-camel",
            "Six-hump camel: local and global minima",
            &[],
        ),
        Ravine => ("ravine", "Ill-conditioned quadratic x² + κy²", &[KAPPA]),
        Plateau => ("plateau", "A well in a plateau: vanishing gradients", &[]),
        DoubleWell => ("double-well", "Double well: a worse local minimum", &[]),
    };
    Entry {
        name,
        title,
        params,
        build: match formula {
            Rosenbrock => |_| Box::new(Analytic::new(Rosenbrock, 0.0)),
            Himmelblau => |_| Box::new(Analytic::new(Himmelblau, 0.0)),
            Beale => |_| Box::new(Analytic::new(Beale, 0.0)),
            Booth => |_| Box::new(Analytic::new(Booth, 0.0)),
            Matyas => |_| Box::new(Analytic::new(Matyas, 0.0)),
            Saddle => |_| Box::new(Analytic::new(Saddle, 0.0)),
            SixHumpCamel => |_| Box::new(Analytic::new(SixHumpCamel, 0.0)),
            Ravine => |a| Box::new(Analytic::new(Ravine, a[0])),
            Plateau => |_| Box::new(Analytic::new(Plateau, 0.0)),
            DoubleWell => |_| Box::new(Analytic::new(DoubleWell, 0.0)),
        },
    }
}

/// A closed-form surface; `kappa` is used by the ravine only.
#[derive(Debug, Clone)]
pub struct Analytic {
    formula: Formula,
    kappa: f64,
    name: &'static str,
    minima: Vec<Minimum>,
}

impl Analytic {
    /// Builds the surface and locates its minima exactly.
    pub fn new(formula: Formula, kappa: f64) -> Self {
        use Formula::*;
        let name = entry(formula).name;
        let mut s = Analytic {
            formula,
            kappa,
            name,
            minima: Vec::new(),
        };
        let approx: &[Vec2] = match formula {
            Rosenbrock => &[[1.0, 1.0]],
            Himmelblau => &[
                [3.0, 2.0],
                [-2.805118, 3.131312],
                [-3.779310, -3.283186],
                [3.584428, -1.848126],
            ],
            Beale => &[[3.0, 0.5]],
            Booth => &[[1.0, 3.0]],
            Matyas | Ravine | Plateau => &[[0.0, 0.0]],
            Saddle => &[],
            SixHumpCamel => &[
                [0.0898, -0.7126],
                [-0.0898, 0.7126],
                [1.7036, -0.7961],
                [-1.7036, 0.7961],
                [1.6071, 0.5687],
                [-1.6071, -0.5687],
            ],
            DoubleWell => &[[-1.04, 0.0], [0.96, 0.0]],
        };
        s.minima = polish_minima(&s, approx);
        s
    }
}

impl Surface for Analytic {
    fn name(&self) -> &str {
        self.name
    }

    fn formula(&self) -> &str {
        use Formula::*;
        match self.formula {
            Rosenbrock => "(1−x)² + 100(y−x²)²",
            Himmelblau => "(x²+y−11)² + (x+y²−7)²",
            Beale => "(1.5−x+xy)² + (2.25−x+xy²)² + (2.625−x+xy³)²",
            Booth => "(x+2y−7)² + (2x+y−5)²",
            Matyas => "0.26(x²+y²) − 0.48xy",
            Saddle => "x² − y²",
            SixHumpCamel => "(4−2.1x²+x⁴/3)x² + xy + (−4+4y²)y²",
            Ravine => "x² + κy²",
            Plateau => "1 − exp(−(x²+y²)/4)",
            DoubleWell => "(x²−1)² + 0.3x + y²",
        }
    }

    fn value(&self, [x, y]: Vec2) -> f64 {
        use Formula::*;
        match self.formula {
            Rosenbrock => (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2),
            Himmelblau => (x * x + y - 11.0).powi(2) + (x + y * y - 7.0).powi(2),
            Beale => {
                (1.5 - x + x * y).powi(2)
                    + (2.25 - x + x * y * y).powi(2)
                    + (2.625 - x + x * y * y * y).powi(2)
            }
            Booth => (x + 2.0 * y - 7.0).powi(2) + (2.0 * x + y - 5.0).powi(2),
            Matyas => 0.26 * (x * x + y * y) - 0.48 * x * y,
            Saddle => x * x - y * y,
            SixHumpCamel => {
                (4.0 - 2.1 * x * x + x.powi(4) / 3.0) * x * x + x * y + (-4.0 + 4.0 * y * y) * y * y
            }
            Ravine => x * x + self.kappa * y * y,
            Plateau => -(-(x * x + y * y) / 4.0).exp_m1(),
            DoubleWell => (x * x - 1.0).powi(2) + 0.3 * x + y * y,
        }
    }

    #[cfg(feature = "export")]
    fn torch_code(&self) -> Option<TorchCode> {
        use Formula::*;
        let value: String = match self.formula {
            Rosenbrock => "(1 - x) ** 2 + 100 * (y - x * x) ** 2".into(),
            Himmelblau => "(x * x + y - 11) ** 2 + (x + y * y - 7) ** 2".into(),
            Beale => "(1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y * y * y) ** 2".into(),
            Booth => "(x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2".into(),
            Matyas => "0.26 * (x * x + y * y) - 0.48 * x * y".into(),
            Saddle => "x * x - y * y".into(),
            SixHumpCamel => "(4 - 2.1 * x * x + x ** 4 / 3) * x * x + x * y + (-4 + 4 * y * y) * y * y".into(),
            Ravine => format!("x * x + {} * y * y", crate::format::python_repr(self.kappa)),
            Plateau => "-torch.expm1(-(x * x + y * y) / 4)".into(),
            DoubleWell => "(x * x - 1) ** 2 + 0.3 * x + y * y".into(),
        };
        Some(TorchCode {
            helpers: String::new(),
            params: "x, y",
            value: vec![format!("return {value}")],
            examples: None,
        })
    }

    #[cfg(feature = "export")]
    fn numpy_code(&self) -> Option<NumpyCode> {
        use Formula::*;
        let kappa = crate::format::python_repr(self.kappa);
        // (value, gradient lines, Hessian lines), each as `value`, `gradient` and `hessian`
        // compute it, operation for operation.
        let (value, gradient, hessian): (String, &[&str], Vec<String>) = match self.formula {
            Rosenbrock => (
                "(1 - x) ** 2 + 100 * (y - x * x) ** 2".into(),
                &["return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])"],
                vec!["return np.array([[2 - 400 * y + 1200 * x * x, -400 * x], [-400 * x, 200]])".into()],
            ),
            Himmelblau => (
                "(x * x + y - 11) ** 2 + (x + y * y - 7) ** 2".into(),
                &[
                    "a, b = x * x + y - 11, x + y * y - 7",
                    "return np.array([4 * x * a + 2 * b, 2 * a + 4 * y * b])",
                ],
                vec![
                    "xx = 4 * (x * x + y - 11) + 8 * x * x + 2".into(),
                    "xy = 4 * x + 4 * y".into(),
                    "yy = 2 + 4 * (x + y * y - 7) + 8 * y * y".into(),
                    "return np.array([[xx, xy], [xy, yy]])".into(),
                ],
            ),
            Beale => (
                "(1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y * y * y) ** 2".into(),
                &[
                    "t1, t2, t3 = 1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y * y * y",
                    "return np.array([",
                    "    2 * t1 * (y - 1) + 2 * t2 * (y * y - 1) + 2 * t3 * (y * y * y - 1),",
                    "    2 * t1 * x + 2 * t2 * (2 * x * y) + 2 * t3 * (3 * x * y * y),",
                    "])",
                ],
                vec![
                    "t1, t2, t3 = 1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y * y * y".into(),
                    "a1, a2, a3 = y - 1, y * y - 1, y * y * y - 1  # ∂tₖ/∂x".into(),
                    "b1, b2, b3 = x, 2 * x * y, 3 * x * y * y  # ∂tₖ/∂y".into(),
                    "xx = 2 * a1 * a1 + 2 * a2 * a2 + 2 * a3 * a3".into(),
                    "xy = 2 * (a1 * b1 + t1 * 1) + 2 * (a2 * b2 + t2 * (2 * y)) + 2 * (a3 * b3 + t3 * (3 * y * y))".into(),
                    "yy = 2 * (b1 * b1 + t1 * 0) + 2 * (b2 * b2 + t2 * (2 * x)) + 2 * (b3 * b3 + t3 * (6 * x * y))".into(),
                    "return np.array([[xx, xy], [xy, yy]])".into(),
                ],
            ),
            Booth => (
                "(x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2".into(),
                &[
                    "a, b = x + 2 * y - 7, 2 * x + y - 5",
                    "return np.array([2 * a + 4 * b, 4 * a + 2 * b])",
                ],
                vec!["return np.array([[10.0, 8.0], [8.0, 10.0]])".into()],
            ),
            Matyas => (
                "0.26 * (x * x + y * y) - 0.48 * x * y".into(),
                &["return np.array([0.52 * x - 0.48 * y, 0.52 * y - 0.48 * x])"],
                vec!["return np.array([[0.52, -0.48], [-0.48, 0.52]])".into()],
            ),
            Saddle => (
                "x * x - y * y".into(),
                &["return np.array([2 * x, -2 * y])"],
                vec!["return np.array([[2.0, 0.0], [0.0, -2.0]])".into()],
            ),
            SixHumpCamel => (
                "(4 - 2.1 * x * x + x ** 4 / 3) * x * x + x * y + (-4 + 4 * y * y) * y * y".into(),
                &["return np.array([8 * x - 8.4 * x ** 3 + 2 * x ** 5 + y, x - 8 * y + 16 * y ** 3])"],
                vec!["return np.array([[8 - 25.2 * x * x + 10 * x ** 4, 1.0], [1.0, -8 + 48 * y * y]])".into()],
            ),
            Ravine => (
                format!("x * x + {kappa} * y * y"),
                &[],
                vec![format!("return np.array([[2.0, 0.0], [0.0, 2 * {kappa}]])")],
            ),
            Plateau => (
                "-np.expm1(-(x * x + y * y) / 4)".into(),
                &[
                    "e = np.exp(-(x * x + y * y) / 4)",
                    "return np.array([0.5 * x * e, 0.5 * y * e])",
                ],
                vec![
                    "e = np.exp(-(x * x + y * y) / 4)".into(),
                    "xx, xy, yy = e * (0.5 - 0.25 * x * x), -0.25 * x * y * e, e * (0.5 - 0.25 * y * y)".into(),
                    "return np.array([[xx, xy], [xy, yy]])".into(),
                ],
            ),
            DoubleWell => (
                "(x * x - 1) ** 2 + 0.3 * x + y * y".into(),
                &["return np.array([4 * x * (x * x - 1) + 0.3, 2 * y])"],
                vec!["return np.array([[12 * x * x - 4, 0.0], [0.0, 2.0]])".into()],
            ),
        };
        let mut gradient: Vec<String> = gradient.iter().map(|l| l.to_string()).collect();
        if self.formula == Ravine {
            gradient.push(format!("return np.array([2 * x, 2 * {kappa} * y])"));
        }
        Some(NumpyCode {
            helpers: String::new(),
            params: "x, y",
            value: vec![format!("return {value}")],
            gradient,
            hessian,
            examples: None,
        })
    }

    fn gradient(&self, [x, y]: Vec2) -> Vec2 {
        use Formula::*;
        match self.formula {
            Rosenbrock => [
                -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
                200.0 * (y - x * x),
            ],
            Himmelblau => {
                let (a, b) = (x * x + y - 11.0, x + y * y - 7.0);
                [4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b]
            }
            Beale => {
                let t = beale_terms(x, y);
                let mut g = [0.0; 2];
                for (tk, dx, dy) in t {
                    g[0] += 2.0 * tk * dx;
                    g[1] += 2.0 * tk * dy;
                }
                g
            }
            Booth => {
                let (a, b) = (x + 2.0 * y - 7.0, 2.0 * x + y - 5.0);
                [2.0 * a + 4.0 * b, 4.0 * a + 2.0 * b]
            }
            Matyas => [0.52 * x - 0.48 * y, 0.52 * y - 0.48 * x],
            Saddle => [2.0 * x, -2.0 * y],
            SixHumpCamel => [
                8.0 * x - 8.4 * x.powf(3.0) + 2.0 * x.powf(5.0) + y,
                x - 8.0 * y + 16.0 * y.powf(3.0),
            ],
            Ravine => [2.0 * x, 2.0 * self.kappa * y],
            Plateau => {
                let e = (-(x * x + y * y) / 4.0).exp();
                [0.5 * x * e, 0.5 * y * e]
            }
            DoubleWell => [4.0 * x * (x * x - 1.0) + 0.3, 2.0 * y],
        }
    }

    fn hessian(&self, [x, y]: Vec2) -> Mat2 {
        use Formula::*;
        let (xx, xy, yy) = match self.formula {
            Rosenbrock => (2.0 - 400.0 * y + 1200.0 * x * x, -400.0 * x, 200.0),
            Himmelblau => (
                4.0 * (x * x + y - 11.0) + 8.0 * x * x + 2.0,
                4.0 * x + 4.0 * y,
                2.0 + 4.0 * (x + y * y - 7.0) + 8.0 * y * y,
            ),
            Beale => {
                // Second derivatives of the three terms: ∂²/∂x² = 0, ∂²/∂x∂y = k·y^(k−1),
                // ∂²/∂y² = k(k−1)·x·y^(k−2).
                let t = beale_terms(x, y);
                let dxy = [1.0, 2.0 * y, 3.0 * y * y];
                let dyy = [0.0, 2.0 * x, 6.0 * x * y];
                let mut h = (0.0, 0.0, 0.0);
                for (k, (tk, dx, dy)) in t.into_iter().enumerate() {
                    h.0 += 2.0 * dx * dx;
                    h.1 += 2.0 * (dx * dy + tk * dxy[k]);
                    h.2 += 2.0 * (dy * dy + tk * dyy[k]);
                }
                h
            }
            Booth => (10.0, 8.0, 10.0),
            Matyas => (0.52, -0.48, 0.52),
            Saddle => (2.0, 0.0, -2.0),
            SixHumpCamel => (
                8.0 - 25.2 * x * x + 10.0 * x.powi(4),
                1.0,
                -8.0 + 48.0 * y * y,
            ),
            Ravine => (2.0, 0.0, 2.0 * self.kappa),
            Plateau => {
                let e = (-(x * x + y * y) / 4.0).exp();
                (
                    e * (0.5 - 0.25 * x * x),
                    -0.25 * x * y * e,
                    e * (0.5 - 0.25 * y * y),
                )
            }
            DoubleWell => (12.0 * x * x - 4.0, 0.0, 2.0),
        };
        [[xx, xy], [xy, yy]]
    }

    fn view(&self) -> View {
        use Formula::*;
        let (x, y) = match self.formula {
            Rosenbrock => ((-2.0, 2.0), (-1.0, 3.0)),
            Himmelblau => ((-5.0, 5.0), (-5.0, 5.0)),
            Beale => ((-4.5, 4.5), (-4.5, 4.5)),
            Booth => ((-10.0, 10.0), (-10.0, 10.0)),
            Matyas => ((-10.0, 10.0), (-10.0, 10.0)),
            Saddle => ((-2.0, 2.0), (-2.0, 2.0)),
            SixHumpCamel => ((-2.5, 2.5), (-1.5, 1.5)),
            Ravine => ((-10.0, 10.0), (-10.0, 10.0)),
            Plateau => ((-6.0, 6.0), (-6.0, 6.0)),
            DoubleWell => ((-2.0, 2.0), (-1.5, 1.5)),
        };
        View { x, y }
    }

    fn start(&self) -> Vec2 {
        use Formula::*;
        match self.formula {
            Rosenbrock => [-1.2, 1.0],
            Himmelblau => [0.0, 0.0],
            Beale => [1.0, 1.0],
            Booth => [-6.0, -6.0],
            Matyas => [8.0, -6.0],
            Saddle => [-1.5, 0.01],
            SixHumpCamel => [-1.5, 1.0],
            Ravine => [-8.0, 4.0],
            Plateau => [4.5, 3.5],
            DoubleWell => [1.8, 1.0],
        }
    }

    fn minima(&self) -> &[Minimum] {
        &self.minima
    }

    fn note(&self) -> &str {
        use Formula::*;
        match self.formula {
            Saddle => "no minimum: f is unbounded below along y; the origin is a saddle point",
            Plateau => "far from the origin the gradient is almost zero",
            DoubleWell => "the right-hand minimum is local: its value is higher than the left one",
            SixHumpCamel => "two global minima and four local ones",
            _ => "",
        }
    }

    fn is_quadratic(&self) -> bool {
        use Formula::*;
        matches!(self.formula, Booth | Matyas | Saddle | Ravine)
    }

    fn default_noise(&self) -> f64 {
        use Formula::*;
        match self.formula {
            Rosenbrock => 20.0,
            Himmelblau => 10.0,
            Beale => 5.0,
            Booth => 5.0,
            Matyas => 0.5,
            Saddle => 0.5,
            SixHumpCamel => 1.0,
            Ravine => 2.0,
            Plateau => 0.005,
            DoubleWell => 0.5,
        }
    }
}

/// Beale's three terms with their first partial derivatives: `(tₖ, ∂tₖ/∂x, ∂tₖ/∂y)`.
fn beale_terms(x: f64, y: f64) -> [(f64, f64, f64); 3] {
    [
        (1.5 - x + x * y, y - 1.0, x),
        (2.25 - x + x * y * y, y * y - 1.0, 2.0 * x * y),
        (2.625 - x + x * y * y * y, y * y * y - 1.0, 3.0 * x * y * y),
    ]
}
