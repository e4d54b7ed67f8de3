//! Second-order forward-mode automatic differentiation: a number that carries its value, its
//! gradient and its Hessian in (x, y) through every operation of an expression.

use super::ast::Func;

/// A value with its exact first and second partial derivatives in (x, y) (a "hyper-dual" number
/// truncated at order two).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dual2 {
    /// f.
    pub v: f64,
    /// (∂f/∂x, ∂f/∂y).
    pub g: [f64; 2],
    /// The unique Hessian entries (∂²f/∂x², ∂²f/∂x∂y, ∂²f/∂y²).
    pub h: [f64; 3],
}

/// d · u, but 0 when either is 0 (whatever the other is, NaN and ∞ included): a product of the
/// chain rule, where a zero derivative on one side means no change passes through.
fn times(d: f64, u: f64) -> f64 {
    if d == 0.0 || u == 0.0 {
        0.0
    } else {
        d * u
    }
}

/// The symmetric outer product a bᵀ + b aᵀ as (xx, xy, yy), halved: (a bᵀ + b aᵀ) / 2.
fn sym_outer(a: [f64; 2], b: [f64; 2]) -> [f64; 3] {
    [
        times(a[0], b[0]),
        0.5 * (times(a[0], b[1]) + times(a[1], b[0])),
        times(a[1], b[1]),
    ]
}

impl Dual2 {
    /// A constant: no derivatives.
    pub fn constant(v: f64) -> Self {
        Dual2 {
            v,
            g: [0.0; 2],
            h: [0.0; 3],
        }
    }

    /// The variable x at `x`.
    pub fn x(x: f64) -> Self {
        Dual2 {
            v: x,
            g: [1.0, 0.0],
            h: [0.0; 3],
        }
    }

    /// The variable y at `y`.
    pub fn y(y: f64) -> Self {
        Dual2 {
            v: y,
            g: [0.0, 1.0],
            h: [0.0; 3],
        }
    }

    /// φ(self) for a function φ with φ = `f`, φ' = `d1` and φ'' = `d2` at `self.v`:
    /// ∇φ = φ' ∇u, ∇²φ = φ' ∇²u + φ'' ∇u ∇uᵀ. Where u does not vary (a zero derivative), φ(u)
    /// does not either, even if φ' is infinite there: √u at u ≡ 0 has slope 0, not NaN.
    fn chain(self, f: f64, d1: f64, d2: f64) -> Self {
        let gg = sym_outer(self.g, self.g);
        Dual2 {
            v: f,
            g: [times(d1, self.g[0]), times(d1, self.g[1])],
            h: [
                times(d1, self.h[0]) + times(d2, gg[0]),
                times(d1, self.h[1]) + times(d2, gg[1]),
                times(d1, self.h[2]) + times(d2, gg[2]),
            ],
        }
    }

    /// φ(a, b) for a function of two arguments, from its value, its partials (`fa`, `fb`) and
    /// second partials (`faa`, `fab`, `fbb`) at (a, b).
    #[allow(clippy::too_many_arguments)]
    fn chain2(a: Self, b: Self, f: f64, fa: f64, fb: f64, faa: f64, fab: f64, fbb: f64) -> Self {
        let (aa, bb, ab) = (
            sym_outer(a.g, a.g),
            sym_outer(b.g, b.g),
            sym_outer(a.g, b.g),
        );
        let h = |i: usize| {
            times(fa, a.h[i])
                + times(fb, b.h[i])
                + times(faa, aa[i])
                + times(2.0 * fab, ab[i])
                + times(fbb, bb[i])
        };
        Dual2 {
            v: f,
            g: [
                times(fa, a.g[0]) + times(fb, b.g[0]),
                times(fa, a.g[1]) + times(fb, b.g[1]),
            ],
            h: [h(0), h(1), h(2)],
        }
    }

    /// The gradient as a vector.
    pub fn gradient(&self) -> [f64; 2] {
        self.g
    }

    /// The Hessian as a symmetric 2×2 matrix.
    pub fn hessian(&self) -> [[f64; 2]; 2] {
        [[self.h[0], self.h[1]], [self.h[1], self.h[2]]]
    }
}

/// The arithmetic an expression is evaluated in: plain `f64` for values, [`Dual2`] for exact
/// derivatives. Both compute the value the same way, so they agree on it bit for bit.
pub trait Scalar: Copy {
    /// A constant.
    fn constant(c: f64) -> Self;
    /// self + o.
    fn add(self, o: Self) -> Self;
    /// self − o.
    fn sub(self, o: Self) -> Self;
    /// self · o.
    fn mul(self, o: Self) -> Self;
    /// self / o.
    fn div(self, o: Self) -> Self;
    /// −self.
    fn neg(self) -> Self;
    /// self^c for a constant exponent.
    fn powc(self, c: f64) -> Self;
    /// self^o for an exponent that varies.
    fn pow(self, o: Self) -> Self;
    /// A function of one argument.
    fn call(self, f: Func) -> Self;
    /// The smaller of the two; at a tie, the average of both branches' derivatives.
    fn min(self, o: Self) -> Self;
    /// The larger of the two; at a tie, the average of both branches' derivatives.
    fn max(self, o: Self) -> Self;
}

/// |c| up to this many is raised with repeated multiplication (`powi`), exact for small integers.
const POWI_MAX: f64 = 64.0;

/// The value of a^c, the same in every [`Scalar`].
fn powc_value(a: f64, c: f64) -> f64 {
    if c.fract() == 0.0 && c.abs() <= POWI_MAX {
        a.powi(c as i32)
    } else {
        a.powf(c)
    }
}

/// The logistic function 1 / (1 + e^−a), computed without overflow.
fn sigmoid(a: f64) -> f64 {
    if a >= 0.0 {
        1.0 / (1.0 + (-a).exp())
    } else {
        let e = a.exp();
        e / (1.0 + e)
    }
}

/// The derivative of |a| used everywhere: sign(a), and 0 at the kink a = 0 (the subgradient of
/// smallest magnitude).
pub(super) fn sign(a: f64) -> f64 {
    if a > 0.0 {
        1.0
    } else if a < 0.0 {
        -1.0
    } else {
        a * 0.0 // 0, or NaN for NaN
    }
}

/// The value of a function of one argument, the same in every [`Scalar`].
pub(super) fn call_value(f: Func, a: f64) -> f64 {
    match f {
        Func::Sin => a.sin(),
        Func::Cos => a.cos(),
        Func::Tan => a.tan(),
        Func::Exp => a.exp(),
        Func::Log => a.ln(),
        Func::Sqrt => a.sqrt(),
        Func::Abs => a.abs(),
        Func::Tanh => a.tanh(),
        Func::Sigmoid => sigmoid(a),
    }
}

/// Which of `a` and `b` `min` (or, with `larger`, `max`) picks: `Some(true)` for a,
/// `Some(false)` for b, `None` at a tie; NaN if either is NaN.
fn pick(a: f64, b: f64, larger: bool) -> Result<Option<bool>, f64> {
    if a.is_nan() || b.is_nan() {
        return Err(f64::NAN);
    }
    Ok(if a == b {
        None
    } else {
        Some((a < b) != larger)
    })
}

impl Scalar for f64 {
    fn constant(c: f64) -> Self {
        c
    }
    fn add(self, o: Self) -> Self {
        self + o
    }
    fn sub(self, o: Self) -> Self {
        self - o
    }
    fn mul(self, o: Self) -> Self {
        self * o
    }
    fn div(self, o: Self) -> Self {
        self / o
    }
    fn neg(self) -> Self {
        -self
    }
    fn powc(self, c: f64) -> Self {
        powc_value(self, c)
    }
    fn pow(self, o: Self) -> Self {
        self.powf(o)
    }
    fn call(self, f: Func) -> Self {
        call_value(f, self)
    }
    fn min(self, o: Self) -> Self {
        match pick(self, o, false) {
            Ok(Some(false)) => o,
            Ok(_) => self,
            Err(nan) => nan,
        }
    }
    fn max(self, o: Self) -> Self {
        match pick(self, o, true) {
            Ok(Some(false)) => o,
            Ok(_) => self,
            Err(nan) => nan,
        }
    }
}

impl Dual2 {
    /// The branch of `min`/`max` at a tie: the value of either, the average of the derivatives.
    fn tie(a: Self, b: Self) -> Self {
        let avg = |p: f64, q: f64| 0.5 * p + 0.5 * q;
        Dual2 {
            v: a.v,
            g: [avg(a.g[0], b.g[0]), avg(a.g[1], b.g[1])],
            h: [
                avg(a.h[0], b.h[0]),
                avg(a.h[1], b.h[1]),
                avg(a.h[2], b.h[2]),
            ],
        }
    }

    fn select(a: Self, b: Self, larger: bool) -> Self {
        match pick(a.v, b.v, larger) {
            Ok(Some(true)) => a,
            Ok(Some(false)) => b,
            Ok(None) => Self::tie(a, b),
            Err(nan) => Dual2 {
                v: nan,
                g: [nan; 2],
                h: [nan; 3],
            },
        }
    }
}

impl Scalar for Dual2 {
    fn constant(c: f64) -> Self {
        Dual2::constant(c)
    }
    fn add(self, o: Self) -> Self {
        Dual2 {
            v: self.v + o.v,
            g: [self.g[0] + o.g[0], self.g[1] + o.g[1]],
            h: [self.h[0] + o.h[0], self.h[1] + o.h[1], self.h[2] + o.h[2]],
        }
    }
    fn sub(self, o: Self) -> Self {
        Dual2 {
            v: self.v - o.v,
            g: [self.g[0] - o.g[0], self.g[1] - o.g[1]],
            h: [self.h[0] - o.h[0], self.h[1] - o.h[1], self.h[2] - o.h[2]],
        }
    }
    fn mul(self, o: Self) -> Self {
        // ∇(ab) = a∇b + b∇a; ∇²(ab) = a∇²b + b∇²a + ∇a∇bᵀ + ∇b∇aᵀ.
        let c = sym_outer(self.g, o.g);
        let (a, b) = (self.v, o.v);
        Dual2 {
            v: a * b,
            g: [
                times(a, o.g[0]) + times(b, self.g[0]),
                times(a, o.g[1]) + times(b, self.g[1]),
            ],
            h: [
                times(a, o.h[0]) + times(b, self.h[0]) + 2.0 * c[0],
                times(a, o.h[1]) + times(b, self.h[1]) + 2.0 * c[1],
                times(a, o.h[2]) + times(b, self.h[2]) + 2.0 * c[2],
            ],
        }
    }
    fn div(self, o: Self) -> Self {
        // q = a/b, so a = qb: ∇q = (∇a − q∇b)/b and ∇²q = (∇²a − q∇²b − ∇q∇bᵀ − ∇b∇qᵀ)/b.
        let q = self.v / o.v;
        let g = [
            (self.g[0] - times(q, o.g[0])) / o.v,
            (self.g[1] - times(q, o.g[1])) / o.v,
        ];
        let c = sym_outer(g, o.g);
        Dual2 {
            v: q,
            g,
            h: [
                (self.h[0] - times(q, o.h[0]) - 2.0 * c[0]) / o.v,
                (self.h[1] - times(q, o.h[1]) - 2.0 * c[1]) / o.v,
                (self.h[2] - times(q, o.h[2]) - 2.0 * c[2]) / o.v,
            ],
        }
    }
    fn neg(self) -> Self {
        Dual2 {
            v: -self.v,
            g: [-self.g[0], -self.g[1]],
            h: [-self.h[0], -self.h[1], -self.h[2]],
        }
    }
    fn powc(self, c: f64) -> Self {
        // (a^c)' = c a^(c−1), (a^c)'' = c(c−1) a^(c−2), with a zero coefficient or power giving
        // an exact zero: x^1 and x^0 have finite derivatives at x = 0, x^−∞ is flat.
        let a = self.v;
        let d1 = times(c, powc_value(a, c - 1.0));
        let d2 = times(c * (c - 1.0), powc_value(a, c - 2.0));
        self.chain(powc_value(a, c), d1, d2)
    }
    fn pow(self, o: Self) -> Self {
        let (a, b) = (self.v, o.v);
        let f = a.powf(b);
        if o.g == [0.0; 2] && o.h == [0.0; 3] {
            // The exponent does not vary here: the power rule, valid for negative a too.
            return Dual2 {
                v: f,
                ..self.powc(b)
            };
        }
        // a^b = e^(b ln a): defined for a > 0, and at a = 0 as the limit where there is one.
        let ln = a.ln();
        let am1 = a.powf(b - 1.0);
        let f_ln = times(f, ln);
        Dual2::chain2(
            self,
            o,
            f,
            times(b, am1),
            f_ln,
            times(b * (b - 1.0), a.powf(b - 2.0)),
            times(am1, 1.0 + times(b, ln)),
            times(f_ln, ln),
        )
    }
    fn call(self, f: Func) -> Self {
        let a = self.v;
        let v = call_value(f, a);
        let (d1, d2) = match f {
            Func::Sin => (a.cos(), -v),
            Func::Cos => (-a.sin(), -v),
            Func::Tan => {
                let s = 1.0 + v * v;
                (s, 2.0 * v * s)
            }
            Func::Exp => (v, v),
            Func::Log => (1.0 / a, -1.0 / (a * a)),
            Func::Sqrt => {
                let d1 = 0.5 / v;
                (d1, -0.5 * d1 / a)
            }
            Func::Abs => (sign(a), 0.0),
            Func::Tanh => {
                let s = 1.0 - v * v;
                (s, -2.0 * v * s)
            }
            Func::Sigmoid => {
                let s = v * (1.0 - v);
                (s, s * (1.0 - 2.0 * v))
            }
        };
        self.chain(v, d1, d2)
    }
    fn min(self, o: Self) -> Self {
        Dual2::select(self, o, false)
    }
    fn max(self, o: Self) -> Self {
        Dual2::select(self, o, true)
    }
}
