//! A typed expression as a [`Surface`]: exact derivatives by [`Dual2`](super::Dual2), a view the
//! user sets, a start point chosen where f is finite, and the local minima found honestly.

use crate::error::Error;
use crate::linalg::{self, Mat2, Vec2};
use crate::surface::{self, Minimum, Surface, View};
#[cfg(feature = "export")]
use crate::surface::{NumpyCode, TorchCode};

use super::ast::Expr;
use super::parse::parse;
use super::tape::Tape;
use crate::format::format_number;

/// The view of a typed expression unless one is given: [−3, 3]².
pub const DEFAULT_VIEW: View = View {
    x: (-3.0, 3.0),
    y: (-3.0, 3.0),
};

/// The largest coordinate a view may reach.
pub const VIEW_LIMIT: f64 = 1e6;
/// The narrowest a view may be.
pub const VIEW_MIN_SPAN: f64 = 1e-6;

/// Samples each way of the grid the minima are searched from.
const GRID: usize = 48;
/// At most this many minima are reported.
const MAX_MINIMA: usize = 8;

/// Checks one side of a view: finite, `min < max`, within ±[`VIEW_LIMIT`], at least
/// [`VIEW_MIN_SPAN`] wide. `option` names it in the error.
pub fn check_range(option: &str, (lo, hi): (f64, f64)) -> Result<(f64, f64), Error> {
    if !(lo.is_finite() && hi.is_finite()) {
        return Err(Error::new(option, "expected two finite numbers [min, max]"));
    }
    // In shortest form: `{}` would write 1e300 or 1e-300 out in full, hundreds of digits.
    let got = format!("[{}, {}]", format_number(lo), format_number(hi));
    if lo.abs() > VIEW_LIMIT || hi.abs() > VIEW_LIMIT {
        return Err(Error::new(
            option,
            format!("must lie within ±{VIEW_LIMIT:e} (got {got})"),
        ));
    }
    if hi - lo < VIEW_MIN_SPAN {
        return Err(Error::new(
            option,
            format!("min must be below max by at least {VIEW_MIN_SPAN:e} (got {got})"),
        ));
    }
    Ok((lo, hi))
}

/// f(x, y) given as text.
#[derive(Debug, Clone)]
pub struct ExprSurface {
    expr: Expr,
    tape: Tape,
    formula: String,
    view: View,
    start: Vec2,
    minima: Vec<Minimum>,
    noise: f64,
}

impl ExprSurface {
    /// Parses `text` and builds its surface in `view`. A parse error names the option `expr`
    /// and carries the position; so does an f that is not finite anywhere in the view.
    pub fn parse(text: &str, view: View) -> Result<Self, Error> {
        let expr = parse(text).map_err(|e| Error::new("expr", e.to_string()))?;
        let s = Self::new(expr, view);
        if !(s.value(s.start).is_finite()) {
            return Err(Error::new(
                "expr",
                format!(
                    "f = {} is not finite anywhere in the view x ∈ [{}, {}], y ∈ [{}, {}]",
                    s.formula, view.x.0, view.x.1, view.y.0, view.y.1
                ),
            ));
        }
        Ok(s)
    }

    /// The surface of a parsed expression in `view` (assumed checked, see [`check_range`]).
    pub fn new(expr: Expr, view: View) -> Self {
        let tape = Tape::new(&expr);
        let formula = expr.to_string();
        let mut s = ExprSurface {
            expr,
            tape,
            formula,
            view,
            start: [0.0; 2],
            minima: Vec::new(),
            noise: 1.0,
        };
        let grid = s.grid();
        s.start = s.choose_start(&grid);
        s.minima = s.find_minima(&grid);
        s.noise = s.typical_noise();
        s
    }

    /// The parsed expression.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// f with its exact gradient and Hessian at `p`.
    pub fn dual(&self, p: Vec2) -> super::Dual2 {
        self.tape.dual(p[0], p[1])
    }

    /// The point of the view at fractions (`fx`, `fy`) of its width and height.
    fn at(&self, fx: f64, fy: f64) -> Vec2 {
        let v = self.view;
        [v.x.0 + fx * (v.x.1 - v.x.0), v.y.0 + fy * (v.y.1 - v.y.0)]
    }

    /// f on a [`GRID`]² grid over the view, row by row (y outer).
    fn grid(&self) -> Vec<(Vec2, f64)> {
        let t = |i: usize| i as f64 / (GRID - 1) as f64;
        (0..GRID)
            .flat_map(|j| (0..GRID).map(move |i| (t(i), t(j))))
            .map(|(fx, fy)| {
                let p = self.at(fx, fy);
                (p, self.value(p))
            })
            .collect()
    }

    /// Where f and ∇f are finite and ∇f ≠ 0, trying (¾, ¾) of the view first, then the other
    /// quarter points, then the grid; the centre if nowhere.
    fn choose_start(&self, grid: &[(Vec2, f64)]) -> Vec2 {
        let good = |p: Vec2| {
            let d = self.dual(p);
            d.v.is_finite() && linalg::is_finite(d.g) && linalg::norm(d.g) > 0.0
        };
        let quarters = [(0.75, 0.75), (0.25, 0.75), (0.25, 0.25), (0.75, 0.25)];
        quarters
            .iter()
            .map(|&(fx, fy)| self.at(fx, fy))
            .chain(grid.iter().filter(|g| g.1.is_finite()).map(|g| g.0))
            .find(|&p| good(p))
            .or_else(|| grid.iter().find(|g| g.1.is_finite()).map(|g| g.0))
            .unwrap_or_else(|| self.at(0.5, 0.5))
    }

    /// Local minima: from each grid point no higher than its eight neighbours (lowest first, at
    /// most [`MAX_MINIMA`]), Newton's method on the exact derivatives; a result is kept only if
    /// it lies in the view, its gradient vanishes to rounding, its Hessian is positive definite
    /// and no point on a small ring around it is lower. None is claimed global: a grid cannot
    /// prove it.
    fn find_minima(&self, grid: &[(Vec2, f64)]) -> Vec<Minimum> {
        let f = |i: usize, j: usize| grid[j * GRID + i].1;
        let mut candidates: Vec<(Vec2, f64)> = Vec::new();
        for j in 1..GRID - 1 {
            for i in 1..GRID - 1 {
                let v = f(i, j);
                let lowest = v.is_finite()
                    && (j - 1..=j + 1)
                        .flat_map(|b| (i - 1..=i + 1).map(move |a| (a, b)))
                        .all(|(a, b)| (a, b) == (i, j) || f(a, b) >= v);
                if lowest {
                    candidates.push(grid[j * GRID + i]);
                }
            }
        }
        let (w, h) = (self.view.x.1 - self.view.x.0, self.view.y.1 - self.view.y.0);
        let mut found: Vec<Minimum> = Vec::new();
        for _ in 0..4 * MAX_MINIMA {
            // The lowest candidate left (a selection, not a sort: a few picks from a short list).
            let Some(k) =
                (0..candidates.len()).min_by(|&a, &b| candidates[a].1.total_cmp(&candidates[b].1))
            else {
                break;
            };
            let (p0, _) = candidates.swap_remove(k);
            if found.len() == MAX_MINIMA {
                break;
            }
            let p = surface::newton(self, p0);
            let d = self.dual(p);
            let scale = 1.0 + d.v.abs();
            let (lo, _) = linalg::sym_eigenvalues(d.hessian());
            let ok = d.v.is_finite()
                && self.view.contains(p)
                && linalg::is_finite(d.g)
                && linalg::norm(d.g) <= 1e-8 * scale
                && lo > 0.0
                && lo.is_finite()
                && self.lowest_on_ring(p, d.v, 1e-3 * w.min(h));
            let new = found
                .iter()
                .all(|m| (m.at[0] - p[0]).abs() > 1e-6 * w || (m.at[1] - p[1]).abs() > 1e-6 * h);
            if ok && new {
                found.push(Minimum {
                    at: p,
                    value: d.v,
                    global: false,
                });
            }
        }
        found
    }

    /// Whether f(p) = `v` is no higher than f at 16 points around p at distance `r`: rules out
    /// the degenerate critical points (x³ at 0) where a Hessian positive to rounding misleads.
    fn lowest_on_ring(&self, p: Vec2, v: f64, r: f64) -> bool {
        (0..16).all(|k| {
            let a = k as f64 * std::f64::consts::TAU / 16.0;
            let q = [p[0] + r * a.cos(), p[1] + r * a.sin()];
            self.value(q) >= v
        })
    }

    /// A tenth of the median gradient norm over a coarse grid, to one significant digit; 1 if
    /// that is not a positive finite number.
    fn typical_noise(&self) -> f64 {
        let norms: Vec<f64> = (0..9)
            .flat_map(|j| (0..9).map(move |i| (i as f64 / 8.0, j as f64 / 8.0)))
            .map(|(fx, fy)| linalg::norm(self.gradient(self.at(fx, fy))))
            .filter(|n| n.is_finite())
            .collect();
        if norms.is_empty() {
            return 1.0;
        }
        let mid = norms.len() / 2;
        let median = (0..norms.len())
            .map(|i| norms[i])
            .find(|&v| {
                norms.iter().filter(|&&w| w < v).count() <= mid
                    && norms.iter().filter(|&&w| w <= v).count() > mid
            })
            .unwrap_or(1.0);
        let tenth = 0.1 * median;
        if !(tenth.is_finite() && tenth > 0.0) {
            return 1.0;
        }
        let unit = 10f64.powf(tenth.log10().floor());
        let rounded = (tenth / unit).round() * unit;
        if rounded.is_finite() && rounded > 0.0 {
            rounded
        } else {
            1.0
        }
    }
}

impl Surface for ExprSurface {
    fn name(&self) -> &str {
        super::NAME
    }
    fn formula(&self) -> &str {
        &self.formula
    }
    fn value(&self, p: Vec2) -> f64 {
        self.tape.value(p[0], p[1])
    }
    fn gradient(&self, p: Vec2) -> Vec2 {
        self.dual(p).gradient()
    }
    fn hessian(&self, p: Vec2) -> Mat2 {
        self.dual(p).hessian()
    }
    #[cfg(feature = "export")]
    fn torch_code(&self) -> Option<TorchCode> {
        Some(TorchCode {
            helpers: String::new(),
            params: "x, y",
            value: vec![format!("return {}", super::python::torch(&self.expr))],
            examples: None,
        })
    }
    #[cfg(feature = "export")]
    fn numpy_code(&self) -> Option<NumpyCode> {
        Some(super::symbolic::numpy_code(&self.expr))
    }
    fn view(&self) -> View {
        self.view
    }
    fn start(&self) -> Vec2 {
        self.start
    }
    fn minima(&self) -> &[Minimum] {
        &self.minima
    }
    fn note(&self) -> &str {
        "your f(x, y), with exact derivatives by automatic differentiation"
    }
    fn default_noise(&self) -> f64 {
        self.noise
    }
    fn is_quadratic(&self) -> bool {
        self.expr.degree().is_some_and(|d| d <= 2)
    }
}
