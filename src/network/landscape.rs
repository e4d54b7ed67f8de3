//! A network's loss landscape as a surface over a plane through parameter space, the way Li et
//! al. (2018, "Visualizing the Loss Landscape of Neural Nets") and Goodfellow et al. (2015)
//! draw it: the plane of the trajectory's two principal directions, two random filter-normalised
//! directions, or the plane through three points; the loss on a grid over it; the path projected
//! onto it with each point's distance from the plane (the plane is not the path); and the loss
//! along the straight line between two parameter vectors.

use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use rand_pcg::Pcg64Mcg;

use super::data::Examples;
use super::mlp::Mlp;
use crate::error::Error;

/// How the plane was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaneKind {
    /// The top two principal directions of θ₀ … θ_T − θ_T (Li et al. §7), through θ_T.
    Pca,
    /// Two random directions, filter-normalised, through θ_T.
    Random,
    /// Through θ₀, θ_T and a third point (another run's end), with θ_T at the origin.
    Ends,
}

impl PlaneKind {
    pub fn name(self) -> &'static str {
        match self {
            PlaneKind::Pca => "pca",
            PlaneKind::Random => "random",
            PlaneKind::Ends => "ends",
        }
    }
}

/// A plane through parameter space: origin + x·d₁ + y·d₂.
#[derive(Debug, Clone, PartialEq)]
pub struct Plane {
    pub kind: PlaneKind,
    pub origin: Vec<f64>,
    pub d1: Vec<f64>,
    pub d2: Vec<f64>,
    /// For a PCA plane, the fraction of the path's variance along each direction.
    pub explained: Option<[f64; 2]>,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// `a − b`.
fn minus(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

/// `v` with its component along the unit vector `u` removed, in place.
fn deflate(v: &mut [f64], u: &[f64]) {
    let c = dot(v, u);
    v.iter_mut().zip(u).for_each(|(x, y)| *x -= c * y);
}

impl Plane {
    /// The parameters at (x, y).
    pub fn point(&self, x: f64, y: f64) -> Vec<f64> {
        self.origin
            .iter()
            .zip(self.d1.iter().zip(&self.d2))
            .map(|(o, (a, b))| o + x * a + y * b)
            .collect()
    }

    /// θ's coordinates in the plane (least squares, for directions that need not be
    /// orthogonal) and its distance from the plane.
    pub fn project(&self, theta: &[f64]) -> (f64, f64, f64) {
        let r = minus(theta, &self.origin);
        let (a11, a12, a22) = (
            dot(&self.d1, &self.d1),
            dot(&self.d1, &self.d2),
            dot(&self.d2, &self.d2),
        );
        let (b1, b2) = (dot(&self.d1, &r), dot(&self.d2, &r));
        let det = a11 * a22 - a12 * a12;
        let (x, y) = ((b1 * a22 - b2 * a12) / det, (a11 * b2 - a12 * b1) / det);
        let off: Vec<f64> = r
            .iter()
            .zip(self.d1.iter().zip(&self.d2))
            .map(|(v, (p, q))| v - x * p - y * q)
            .collect();
        (x, y, norm(&off))
    }
}

/// The plane of the path's two principal directions, through its last point: PCA (centred, as
/// scikit-learn's, which Li et al. use) of θₜ − θ_T over the path, by subspace iteration.
pub fn pca_plane(path: &[Vec<f64>]) -> Result<Plane, Error> {
    let short = || {
        Error::new(
            "plane",
            "the path has no two principal directions (it stays on a line or does not move): train longer, or choose the random plane",
        )
    };
    let last = path.last().ok_or_else(short)?;
    let n = last.len();
    let rows: Vec<Vec<f64>> = path.iter().map(|t| minus(t, last)).collect();
    let mean: Vec<f64> = (0..n)
        .map(|p| rows.iter().map(|r| r[p]).sum::<f64>() / rows.len() as f64)
        .collect();
    let centred: Vec<Vec<f64>> = rows.iter().map(|r| minus(r, &mean)).collect();
    let total: f64 = centred.iter().map(|c| dot(c, c)).sum();
    if !(total > 0.0 && total.is_finite()) || path.len() < 3 {
        return Err(short());
    }
    // C·v = Σ c (c·v): the covariance times v without forming the n × n matrix.
    let times_c = |v: &[f64]| {
        let mut out = vec![0.0; n];
        for c in &centred {
            let k = dot(c, v);
            out.iter_mut().zip(c).for_each(|(o, x)| *o += k * x);
        }
        out
    };
    // The power iteration's start: uniform draws, which take no transcendental function (the
    // normal distribution's sampler calls std's exp and ln, whose last bits differ between the
    // page's wasm and native code), so the page and the CLI find the plane to the same bits.
    let mut rng = Pcg64Mcg::seed_from_u64(0);
    let mut draw = || -> Vec<f64> { (0..n).map(|_| rng.random::<f64>() - 0.5).collect() };
    let (mut v1, mut v2) = (draw(), draw());
    // Unit vectors, the second orthogonal to the first, as every iterate is: the convergence
    // test below compares an iterate with the last.
    let n1 = norm(&v1);
    v1.iter_mut().for_each(|x| *x /= n1);
    deflate(&mut v2, &v1);
    let n2 = norm(&v2);
    v2.iter_mut().for_each(|x| *x /= n2);
    let mut lambdas = [0.0; 2];
    for _ in 0..1000 {
        let (mut w1, mut w2) = (times_c(&v1), times_c(&v2));
        let n1 = norm(&w1);
        if n1 == 0.0 {
            return Err(short());
        }
        w1.iter_mut().for_each(|x| *x /= n1);
        deflate(&mut w2, &w1);
        let n2 = norm(&w2);
        if n2.is_nan() || n2 <= 1e-12 * n1 {
            return Err(short());
        }
        w2.iter_mut().for_each(|x| *x /= n2);
        // How far each direction moved: the length of the difference, which (unlike
        // 1 − |w·v|) still sees a turn below 1e-8 radians.
        let moved = |w: &[f64], v: &[f64]| norm(&minus(w, v));
        let change = moved(&w1, &v1).max(moved(&w2, &v2));
        v1 = w1;
        v2 = w2;
        lambdas = [dot(&v1, &times_c(&v1)), dot(&v2, &times_c(&v2))];
        if change < 1e-13 {
            break;
        }
    }
    if lambdas[1] <= 1e-12 * total {
        return Err(short());
    }
    // Signs: θ₀ on the positive side of each axis, so the path runs in from the upper right.
    for v in [&mut v1, &mut v2] {
        if dot(v, &rows[0]) < 0.0 {
            v.iter_mut().for_each(|x| *x = -*x);
        }
    }
    Ok(Plane {
        kind: PlaneKind::Pca,
        origin: last.clone(),
        d1: v1,
        d2: v2,
        explained: Some([lambdas[0] / total, lambdas[1] / total]),
    })
}

/// Two Gaussian directions drawn with `seed`, filter-normalised as Li et al. do: each neuron's
/// incoming weights rescaled to the norm of that neuron's weights in `origin`, biases zeroed.
pub fn random_plane(model: &Mlp, origin: &[f64], seed: u64) -> Plane {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut direction = || {
        let mut d: Vec<f64> = (0..model.len())
            .map(|_| StandardNormal.sample(&mut rng))
            .collect();
        for t in model.tensors() {
            let range = t.offset..t.offset + t.len();
            if let [_, fan_in] = t.shape[..] {
                for (row, weights) in d[range.clone()]
                    .chunks_mut(fan_in)
                    .zip(origin[range].chunks(fan_in))
                {
                    let scale = norm(weights) / norm(row);
                    row.iter_mut().for_each(|x| *x *= scale);
                }
            } else {
                d[range].fill(0.0);
            }
        }
        d
    };
    let (d1, d2) = (direction(), direction());
    Plane {
        kind: PlaneKind::Random,
        origin: origin.to_vec(),
        d1,
        d2,
        explained: None,
    }
}

/// The plane through `a` (θ₀), `origin` (θ_T) and `b` (another end), orthonormal axes with `a`
/// on the first.
pub fn ends_plane(a: &[f64], origin: &[f64], b: &[f64]) -> Result<Plane, Error> {
    let mut d1 = minus(a, origin);
    let mut d2 = minus(b, origin);
    let (n1, raw2) = (norm(&d1), norm(&d2));
    if !(n1 > 0.0 && raw2 > 0.0) {
        return Err(Error::new(
            "plane",
            "two of the three points coincide: no plane through them",
        ));
    }
    d1.iter_mut().for_each(|x| *x /= n1);
    deflate(&mut d2, &d1);
    let n2 = norm(&d2);
    if n2.is_nan() || n2 <= 1e-9 * raw2 {
        return Err(Error::new(
            "plane",
            "the three points lie on one line: no plane through them",
        ));
    }
    d2.iter_mut().for_each(|x| *x /= n2);
    Ok(Plane {
        kind: PlaneKind::Ends,
        origin: origin.to_vec(),
        d1,
        d2,
        explained: None,
    })
}

/// The Hessian of the training loss at the plane's origin restricted to the plane: uᵢᵀHuⱼ for an
/// orthonormal basis u₁, u₂ of the plane (exact Hessian-vector products): the loss's curvature
/// within the plane per unit of distance in parameter space. Its eigenvalues never exceed the
/// network's sharpness λmax in magnitude (Courant–Fischer): the plane can hide the steepest
/// direction. A picture drawn in the plane's own coordinates (the random plane's are
/// filter-normalised, |dᵢ| the norm of the weights) shows it scaled by |dᵢ|².
pub fn plane_hessian(model: &Mlp, data: &Examples, plane: &Plane) -> [[f64; 2]; 2] {
    let all: Vec<usize> = (0..data.len()).collect();
    let n1 = norm(&plane.d1);
    let u1: Vec<f64> = plane.d1.iter().map(|x| x / n1).collect();
    let mut u2 = plane.d2.clone();
    deflate(&mut u2, &u1);
    let n2 = norm(&u2);
    u2.iter_mut().for_each(|x| *x /= n2);
    let h1 = super::curvature::hessian_vector(model, &plane.origin, &u1, data, &all);
    let h2 = super::curvature::hessian_vector(model, &plane.origin, &u2, data, &all);
    let off = dot(&u1, &h2);
    [[dot(&u1, &h1), off], [off, dot(&u2, &h2)]]
}

/// The loss over an n × n grid of the plane.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
    /// Row by row: `loss[j * xs.len() + i]` is at (xs[i], ys[j]).
    pub loss: Vec<f64>,
}

/// The fewest and most points along a side of a grid.
pub const MIN_GRID: usize = 2;
pub const MAX_GRID: usize = 256;

/// The mean training loss at every point of an n × n grid spanning `x` and `y` in the plane.
pub fn grid(
    model: &Mlp,
    data: &Examples,
    plane: &Plane,
    x: (f64, f64),
    y: (f64, f64),
    n: usize,
) -> Result<Grid, Error> {
    let mut job = GridJob::new(data, x, y, n)?;
    job.step(model, data, plane, usize::MAX);
    Ok(job.into_grid())
}

/// A [`grid`] computed a few points at a time (the page computes it in frame-sized chunks),
/// row by row from the bottom; the same numbers as one call.
#[derive(Debug, Clone)]
pub struct GridJob {
    grid: Grid,
    all: Vec<usize>,
    scratch: super::mlp::Scratch,
}

impl GridJob {
    /// An n × n grid spanning `x` and `y`, nothing computed yet; or why n is no grid size.
    pub fn new(data: &Examples, x: (f64, f64), y: (f64, f64), n: usize) -> Result<GridJob, Error> {
        if !(MIN_GRID..=MAX_GRID).contains(&n) {
            return Err(Error::new(
                "grid",
                format!("a grid has {MIN_GRID} to {MAX_GRID} points a side (got {n})"),
            ));
        }
        let axis = |(lo, hi): (f64, f64)| -> Vec<f64> {
            (0..n)
                .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
                .collect()
        };
        Ok(GridJob {
            grid: Grid {
                xs: axis(x),
                ys: axis(y),
                loss: Vec::with_capacity(n * n),
            },
            all: (0..data.len()).collect(),
            scratch: super::mlp::Scratch::default(),
        })
    }

    /// Points along each side.
    pub fn size(&self) -> usize {
        self.grid.xs.len()
    }

    /// Whether every point is computed.
    pub fn is_done(&self) -> bool {
        self.grid.loss.len() == self.grid.xs.len() * self.grid.ys.len()
    }

    /// Computes up to `points` more points of the loss over `plane`; returns whether the grid
    /// is done.
    pub fn step(&mut self, model: &Mlp, data: &Examples, plane: &Plane, points: usize) -> bool {
        let g = &mut self.grid;
        let (nx, total) = (g.xs.len(), g.xs.len() * g.ys.len());
        let end = total.min(g.loss.len().saturating_add(points));
        while g.loss.len() < end {
            let k = g.loss.len();
            let theta = plane.point(g.xs[k % nx], g.ys[k / nx]);
            g.loss
                .push(model.evaluate(&theta, data, &self.all, &mut self.scratch).0);
        }
        self.is_done()
    }

    /// The grid (complete once [`GridJob::is_done`]).
    pub fn into_grid(self) -> Grid {
        self.grid
    }

    /// The grid as far as it is computed.
    pub fn grid(&self) -> &Grid {
        &self.grid
    }
}

/// The rectangle of the plane a picture of it spans: for the random plane ±1 along each
/// direction (one filter-normalised step each way, as Li et al. draw it); else a square around
/// the projected `points` (the path, and any other end shown) and the origin, widened by a
/// quarter on each side: the PCA and ends planes' directions are orthonormal, so equal spans
/// show distances in parameter space at one scale (a path that moves in one direction looks it).
pub fn extent(kind: PlaneKind, points: &[(f64, f64)]) -> ((f64, f64), (f64, f64)) {
    if kind == PlaneKind::Random {
        return ((-1.0, 1.0), (-1.0, 1.0));
    }
    let span = |f: fn(&(f64, f64)) -> f64| {
        points
            .iter()
            .map(f)
            .fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)))
    };
    let (x, y) = (span(|p| p.0), span(|p| p.1));
    let half = (x.1 - x.0).max(y.1 - y.0) * 0.75;
    let half = half.max(
        1e-3 * (1.0
            + [x.0, x.1, y.0, y.1]
                .iter()
                .fold(0.0f64, |m, v| m.max(v.abs()))),
    );
    let around = |(lo, hi): (f64, f64)| {
        let c = lo / 2.0 + hi / 2.0;
        (c - half, c + half)
    };
    (around(x), around(y))
}

/// The α at which `gdviz landscape` and the page evaluate the line from θ₀ to θ_T: −0.5 to 1.5
/// in steps of 0.05 (θ₀ at α = 0, θ_T at α = 1), as Goodfellow et al. (2015) drew it.
pub fn line_alphas() -> Vec<f64> {
    (0..=40).map(|i| (i as f64 - 10.0) / 20.0).collect()
}

/// How the loss runs along the line between its ends (α in [0, 1]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LineShape {
    /// The loss is not finite somewhere there.
    NotFinite,
    /// The same everywhere (θ₀ = θ_T, say).
    Level,
    /// It never rises from θ₀ to θ_T.
    Falls,
    /// It never falls.
    Rises,
    /// It rises above both ends: the highest point between them, (α, loss), and how far it is
    /// above the higher end.
    Barrier { top: (f64, f64), height: f64 },
    /// It rises and falls but never above the higher end: its largest rise, from (α, loss) to
    /// (α, loss).
    Bumpy { from: (f64, f64), to: (f64, f64) },
}

/// The shape of `loss` (at `alphas`) between the line's ends. Changes smaller than a billionth
/// of the larger end's loss count as level.
pub fn line_shape(alphas: &[f64], loss: &[f64]) -> LineShape {
    let inside: Vec<(f64, f64)> = alphas
        .iter()
        .zip(loss)
        .filter(|(a, _)| (0.0..=1.0).contains(*a))
        .map(|(a, l)| (*a, *l))
        .collect();
    if inside.is_empty() || inside.iter().any(|p| !p.1.is_finite()) {
        return LineShape::NotFinite;
    }
    let (first, last) = (inside[0], inside[inside.len() - 1]);
    let tolerance = 1e-9 * first.1.abs().max(last.1.abs());
    let rises = inside.windows(2).any(|w| w[1].1 - w[0].1 > tolerance);
    let falls = inside.windows(2).any(|w| w[1].1 - w[0].1 < -tolerance);
    match (rises, falls) {
        (false, false) => return LineShape::Level,
        (false, true) => return LineShape::Falls,
        (true, false) => return LineShape::Rises,
        (true, true) => {}
    }
    let ends = first.1.max(last.1);
    let top = inside
        .iter()
        .copied()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("not empty");
    if top.1 - ends > tolerance {
        return LineShape::Barrier {
            top,
            height: top.1 - ends,
        };
    }
    // The largest rise: from the lowest point so far to a later, higher one.
    let mut lowest = first;
    let mut best = (first, first);
    for &p in &inside {
        if p.1 < lowest.1 {
            lowest = p;
        }
        if p.1 - lowest.1 > best.1 .1 - best.0 .1 {
            best = (lowest, p);
        }
    }
    LineShape::Bumpy {
        from: best.0,
        to: best.1,
    }
}

/// The mean training loss along (1 − α)·a + α·b at each α.
pub fn interpolate(model: &Mlp, data: &Examples, a: &[f64], b: &[f64], alphas: &[f64]) -> Vec<f64> {
    let all: Vec<usize> = (0..data.len()).collect();
    let mut scratch = super::mlp::Scratch::default();
    alphas
        .iter()
        .map(|&t| {
            let p: Vec<f64> = a
                .iter()
                .zip(b)
                .map(|(x, y)| (1.0 - t) * x + t * y)
                .collect();
            model.evaluate(&p, data, &all, &mut scratch).0
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line's α are the documented ones, and its shape between the ends is worked out by
    /// hand: a fall, a rise, level, a barrier above both ends, a bump below the higher end;
    /// what happens outside [0, 1] does not count.
    #[test]
    fn line_shapes_are_read_between_the_ends() {
        let a = line_alphas();
        assert_eq!(
            (a.len(), a[0], a[10], a[30], a[40]),
            (41, -0.5, 0.0, 1.0, 1.5)
        );
        let alphas = [-0.5, 0.0, 0.25, 0.5, 0.75, 1.0, 1.5];
        let shape = |loss: [f64; 7]| line_shape(&alphas, &loss);
        assert_eq!(shape([9.0, 4.0, 3.0, 2.0, 1.5, 1.0, 7.0]), LineShape::Falls);
        assert_eq!(shape([0.0, 1.0, 2.0, 3.0, 3.0, 4.0, 0.0]), LineShape::Rises);
        assert_eq!(
            shape([0.0, 1.0, 1.0, 1.0 + 1e-12, 1.0, 1.0, 0.0]),
            LineShape::Level
        );
        assert_eq!(
            shape([0.0, 4.0, 3.0, 4.5, 2.0, 1.0, 0.0]),
            LineShape::Barrier {
                top: (0.5, 4.5),
                height: 0.5
            }
        );
        // Two bumps under the start: 3 → 3.5 (0.5) and 2 → 3.2 (1.2), the second the largest.
        assert_eq!(
            shape([0.0, 4.0, 3.0, 3.5, 2.0, 3.2, 0.0]),
            LineShape::Bumpy {
                from: (0.75, 2.0),
                to: (1.0, 3.2)
            }
        );
        assert_eq!(
            shape([0.0, 1.0, f64::NAN, 1.0, 1.0, 0.5, 0.0]),
            LineShape::NotFinite
        );
    }
    use crate::network::data::{generate, DataName, DataSpec, Task};
    use crate::network::mlp::Activation;

    fn moons() -> Examples {
        generate(&DataSpec {
            name: DataName::Moons,
            train: 60,
            test: 0,
            noise: None,
            seed: 1,
        })
        .unwrap()
        .train
    }

    /// A path that lies in a plane through its end: PCA explains all of it, and each point is
    /// reproduced from its coordinates.
    #[test]
    fn the_pca_plane_of_a_planar_path_explains_it_all() {
        let n = 12;
        let end: Vec<f64> = (0..n).map(|i| i as f64 * 0.1).collect();
        let u: Vec<f64> = (0..n).map(|i| ((i * 7) % 5) as f64 - 2.0).collect();
        let w: Vec<f64> = (0..n)
            .map(|i| if i % 3 == 0 { 1.0 } else { -0.5 })
            .collect();
        let path: Vec<Vec<f64>> = (0..40)
            .map(|t| {
                let (a, b) = ((40 - t) as f64 * 0.3, ((t as f64) * 0.4).sin() * 2.0);
                end.iter()
                    .zip(u.iter().zip(&w))
                    .map(|(e, (p, q))| e + a * p + b * q)
                    .collect()
            })
            .chain(std::iter::once(end.clone()))
            .collect();
        let plane = pca_plane(&path).unwrap();
        let [e1, e2] = plane.explained.unwrap();
        assert!((e1 + e2 - 1.0).abs() < 1e-12 && e1 >= e2, "{e1} {e2}");
        for theta in &path {
            let (x, y, off) = plane.project(theta);
            assert!(off < 1e-9, "{off}");
            let back = plane.point(x, y);
            assert!(back.iter().zip(theta).all(|(a, b)| (a - b).abs() < 1e-9));
        }
        // θ₀ sits on the positive side of both axes.
        let (x0, y0, _) = plane.project(&path[0]);
        assert!(x0 >= 0.0 && y0 >= 0.0);
        // A path along one line has no second direction.
        let line: Vec<Vec<f64>> = (0..5)
            .map(|t| end.iter().zip(&u).map(|(e, p)| e + t as f64 * p).collect())
            .collect();
        assert!(pca_plane(&line)
            .unwrap_err()
            .message
            .contains("random plane"));
        assert!(pca_plane(&[end.clone(), end.clone(), end]).is_err());
    }

    #[test]
    fn filter_normalisation_gives_each_neuron_its_weights_norm() {
        let m = Mlp::new(&[6, 4], Activation::Tanh, Task::Classification).unwrap();
        let theta = m.init(3);
        let plane = random_plane(&m, &theta, 9);
        for d in [&plane.d1, &plane.d2] {
            for t in m.tensors() {
                let v = &d[t.offset..t.offset + t.len()];
                match t.shape[..] {
                    [_, fan_in] => {
                        for (row, weights) in v
                            .chunks(fan_in)
                            .zip(theta[t.offset..t.offset + t.len()].chunks(fan_in))
                        {
                            assert!((norm(row) - norm(weights)).abs() < 1e-12);
                        }
                    }
                    _ => assert!(v.iter().all(|&x| x == 0.0), "{} not zeroed", t.name),
                }
            }
        }
        assert_ne!(plane.d1, plane.d2);
    }

    /// The grid's centre is the loss at θ_T; interpolation at α = 0 and 1 gives the ends'.
    #[test]
    fn the_grid_and_the_line_agree_with_the_loss_where_they_meet_the_run() {
        let data = moons();
        let m = Mlp::new(&[5], Activation::Tanh, Task::Classification).unwrap();
        let (start, end) = (m.init(0), m.init(1));
        let plane = random_plane(&m, &end, 2);
        let g = grid(&m, &data, &plane, (-1.0, 1.0), (-1.0, 1.0), 5).unwrap();
        assert_eq!(g.loss[2 * 5 + 2], m.full_loss(&end, &data));
        let line = interpolate(&m, &data, &start, &end, &[0.0, 0.5, 1.0]);
        assert_eq!(line[0], m.full_loss(&start, &data));
        assert_eq!(line[2], m.full_loss(&end, &data));
        // In chunks of any size, the same numbers.
        let mut job = GridJob::new(&data, (-1.0, 1.0), (-1.0, 1.0), 5).unwrap();
        let mut calls = 0;
        while !job.step(&m, &data, &plane, 3) {
            calls += 1;
        }
        assert_eq!((calls, job.size()), (8, 5));
        assert_eq!(job.into_grid(), g);
        for n in [0, 1, 257, 10_000] {
            let e = grid(&m, &data, &plane, (-1.0, 1.0), (-1.0, 1.0), n).unwrap_err();
            assert_eq!(e.option, "grid");
        }
        // Three points on a line, or two the same, make no plane.
        let mid: Vec<f64> = start.iter().zip(&end).map(|(a, b)| (a + b) / 2.0).collect();
        assert!(ends_plane(&start, &end, &mid)
            .unwrap_err()
            .message
            .contains("one line"));
        assert!(ends_plane(&start, &end, &end).is_err());
        let other = m.init(5);
        let p = ends_plane(&start, &end, &other).unwrap();
        assert!(p.project(&other).2 < 1e-9 && p.project(&start).2 < 1e-9);
    }

    /// A picture of an orthonormal plane spans equal lengths on both axes, holding every point
    /// with room around it; the random plane spans one step of each direction either way.
    #[test]
    fn the_extent_holds_the_path_at_one_scale() {
        let points = [(3.0, 0.5), (1.0, -0.2), (0.0, 0.0)];
        let (x, y) = extent(PlaneKind::Pca, &points);
        assert!(((x.1 - x.0) - (y.1 - y.0)).abs() < 1e-12, "{x:?} {y:?}");
        assert_eq!(x, (-0.75, 3.75));
        for (a, b) in points {
            assert!(x.0 < a && a < x.1 && y.0 < b && b < y.1);
        }
        assert_eq!(
            extent(PlaneKind::Random, &points),
            ((-1.0, 1.0), (-1.0, 1.0))
        );
        // A path that does not move still gets a small square, never an empty one.
        let (x, y) = extent(PlaneKind::Ends, &[(0.0, 0.0)]);
        assert!(x.1 > x.0 && y.1 > y.0);
    }

    /// The plane's curvature never exceeds the network's: λmax of the restricted Hessian ≤ the
    /// sharpness, on every kind of plane (the PCA plane of a short run included).
    #[test]
    fn the_plane_shows_no_more_curvature_than_the_network_has() {
        let data = moons();
        let m = Mlp::new(&[5, 3], Activation::Tanh, Task::Classification).unwrap();
        let theta = m.init(1);
        let full = crate::network::curvature::sharpness(&m, &theta, &data, 300, 0);
        let path: Vec<Vec<f64>> = (0..6)
            .map(|k| {
                theta
                    .iter()
                    .zip(m.init(2).iter().zip(&m.init(3)))
                    .map(|(t, (a, b))| t + (k as f64 * 0.2).powi(2) * a + (k as f64 * 0.1) * b)
                    .collect()
            })
            .rev()
            .collect();
        let mut pca = pca_plane(&path).unwrap();
        pca.origin = theta.clone();
        for plane in [
            random_plane(&m, &theta, 4),
            ends_plane(&m.init(2), &theta, &m.init(3)).unwrap(),
            pca,
        ] {
            let h = plane_hessian(&m, &data, &plane);
            assert_eq!(h[0][1], h[1][0]);
            let (lo, hi) = crate::linalg::sym_eigenvalues(h);
            assert!(
                hi.abs().max(lo.abs()) <= full.abs() * (1.0 + 1e-9),
                "{lo} {hi} vs {full}"
            );
        }
    }
}
