//! A typed f(x, y) differentiated symbolically and written as NumPy code, for the NumPy export:
//! f, ∇f and the Hessian as expressions in the float64 scalars `x` and `y`, with gdviz's
//! conventions where f is not differentiable (|a|' = sign(a) with 0 at 0, `min`/`max` split ½
//! and ½ at a tie) and the same operations as the tape and its dual numbers (a product's
//! derivative a·b' + a'·b, a quotient's (a' − (a/b)·b')/b, a power's c·a^(c−1)·a'), so the
//! numbers agree with gdviz's to rounding. Sums with 0 and products with 0 or 1 are dropped as
//! they are built (exactly, and as the dual numbers drop them: a zero derivative passes nothing),
//! so the derivatives stay short enough to read.

use super::ast::{BinOp, Expr, Func};
use crate::format::python_repr;
use crate::surface::NumpyCode;

/// A Python expression over NumPy float64 scalars.
#[derive(Debug, Clone, PartialEq)]
enum Sym {
    /// A number, never negative (a negative one is `Neg`).
    Num(f64),
    /// `math.pi` or `math.e`, with its value.
    Named(&'static str, f64),
    X,
    Y,
    Neg(Box<Sym>),
    Bin(Op, Box<Sym>, Box<Sym>),
    Call(Fun, Box<Sym>),
    /// `np.minimum(a, b)` (`true`) or `np.maximum(a, b)`.
    Pick(bool, Box<Sym>, Box<Sym>),
    /// `np.where(a < b, lt, np.where(a > b, gt, 0.5 * lt + 0.5 * gt))`: a derivative of
    /// `min`/`max`, the average of both sides' at a tie.
    Tie([Box<Sym>; 4]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

/// A function of one argument: gdviz's, and `np.sign` (|a|'s derivative).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fun {
    Of(Func),
    Sign,
}

/// Which variable a derivative is taken in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Var {
    X,
    Y,
}

fn num(v: f64) -> Sym {
    if v < 0.0 {
        Sym::Neg(Box::new(Sym::Num(-v)))
    } else {
        Sym::Num(v.abs()) // −0 as 0
    }
}

/// The number `s` is, when it is one (a literal, possibly negated).
fn value_of(s: &Sym) -> Option<f64> {
    match s {
        Sym::Num(v) => Some(*v),
        Sym::Neg(a) => value_of(a).map(|v| -v),
        _ => None,
    }
}

fn is(s: &Sym, v: f64) -> bool {
    value_of(s) == Some(v)
}

fn neg(a: Sym) -> Sym {
    match a {
        Sym::Neg(b) => *b,
        Sym::Num(v) => num(-v),
        a => Sym::Neg(Box::new(a)),
    }
}

fn bin(op: Op, a: Sym, b: Sym) -> Sym {
    Sym::Bin(op, Box::new(a), Box::new(b))
}

fn add(a: Sym, b: Sym) -> Sym {
    match (value_of(&a), value_of(&b)) {
        (Some(0.0), _) => b,
        (_, Some(0.0)) => a,
        (Some(p), Some(q)) => num(p + q),
        _ => match b {
            Sym::Neg(c) => bin(Op::Sub, a, *c),
            b => bin(Op::Add, a, b),
        },
    }
}

fn sub(a: Sym, b: Sym) -> Sym {
    match (value_of(&a), value_of(&b)) {
        (_, Some(0.0)) => a,
        (Some(0.0), _) => neg(b),
        (Some(p), Some(q)) => num(p - q),
        _ => match b {
            Sym::Neg(c) => bin(Op::Add, a, *c),
            b => bin(Op::Sub, a, b),
        },
    }
}

/// a·b, 0 when either is 0 whatever the other (as the dual numbers' chain rule: a zero
/// derivative passes nothing on, even through an infinite one).
fn mul(a: Sym, b: Sym) -> Sym {
    match (value_of(&a), value_of(&b)) {
        (Some(0.0), _) | (_, Some(0.0)) => num(0.0),
        (Some(1.0), _) => b,
        (_, Some(1.0)) => a,
        (Some(p), Some(q)) => num(p * q),
        _ => match (a, b) {
            // (−a)·b = −(a·b), exactly.
            (Sym::Neg(a), b) => neg(mul(*a, b)),
            (a, Sym::Neg(b)) => neg(mul(a, *b)),
            (a, b) => bin(Op::Mul, a, b),
        },
    }
}

/// a/b, 0 when a is 0 (a quotient's derivative where neither part varies: no change passes).
fn div(a: Sym, b: Sym) -> Sym {
    match (value_of(&a), value_of(&b)) {
        (Some(0.0), _) => num(0.0),
        (_, Some(1.0)) => a,
        (Some(p), Some(q)) if q != 0.0 => num(p / q),
        _ => match a {
            Sym::Neg(a) => neg(div(*a, b)),
            a => bin(Op::Div, a, b),
        },
    }
}

fn pow(a: Sym, b: Sym) -> Sym {
    if is(&b, 1.0) {
        a
    } else {
        bin(Op::Pow, a, b)
    }
}

fn call(f: Func, a: Sym) -> Sym {
    Sym::Call(Fun::Of(f), Box::new(a))
}

impl Sym {
    /// The expression as typed, operation for operation (nothing simplified away).
    fn of(e: &Expr) -> Sym {
        match e {
            Expr::Num(v) => Sym::Num(*v),
            Expr::X => Sym::X,
            Expr::Y => Sym::Y,
            Expr::Pi => Sym::Named("math.pi", std::f64::consts::PI),
            Expr::E => Sym::Named("math.e", std::f64::consts::E),
            Expr::Neg(a) => Sym::Neg(Box::new(Sym::of(a))),
            Expr::Call(f, a) => call(*f, Sym::of(a)),
            Expr::Bin(op, a, b) => {
                let (a, b) = (Sym::of(a), Sym::of(b));
                match op {
                    BinOp::Add => bin(Op::Add, a, b),
                    BinOp::Sub => bin(Op::Sub, a, b),
                    BinOp::Mul => bin(Op::Mul, a, b),
                    BinOp::Div => bin(Op::Div, a, b),
                    BinOp::Pow | BinOp::PowFn => bin(Op::Pow, a, b),
                    BinOp::Min => Sym::Pick(true, Box::new(a), Box::new(b)),
                    BinOp::Max => Sym::Pick(false, Box::new(a), Box::new(b)),
                }
            }
        }
    }

    /// Whether it depends on neither x nor y.
    fn is_constant(&self) -> bool {
        match self {
            Sym::X | Sym::Y => false,
            Sym::Num(_) | Sym::Named(..) => true,
            Sym::Neg(a) | Sym::Call(_, a) => a.is_constant(),
            Sym::Bin(_, a, b) | Sym::Pick(_, a, b) => a.is_constant() && b.is_constant(),
            Sym::Tie(parts) => parts.iter().all(|p| p.is_constant()),
        }
    }

    /// Whether it calls gdviz's sigmoid (which the script then defines).
    fn uses_sigmoid(&self) -> bool {
        match self {
            Sym::Call(Fun::Of(Func::Sigmoid), _) => true,
            Sym::Num(_) | Sym::Named(..) | Sym::X | Sym::Y => false,
            Sym::Neg(a) | Sym::Call(_, a) => a.uses_sigmoid(),
            Sym::Bin(_, a, b) | Sym::Pick(_, a, b) => a.uses_sigmoid() || b.uses_sigmoid(),
            Sym::Tie(parts) => parts.iter().any(|p| p.uses_sigmoid()),
        }
    }

    /// ∂/∂v, with gdviz's conventions.
    fn diff(&self, v: Var) -> Sym {
        match self {
            Sym::Num(_) | Sym::Named(..) => num(0.0),
            Sym::X => num(if v == Var::X { 1.0 } else { 0.0 }),
            Sym::Y => num(if v == Var::Y { 1.0 } else { 0.0 }),
            Sym::Neg(a) => neg(a.diff(v)),
            Sym::Bin(op, a, b) => {
                let (a, b) = (&**a, &**b);
                let (da, db) = (a.diff(v), b.diff(v));
                match op {
                    Op::Add => add(da, db),
                    Op::Sub => sub(da, db),
                    // (ab)' = a'b + ab'
                    Op::Mul => add(mul(da, b.clone()), mul(a.clone(), db)),
                    // (a/b)' = (a' − (a/b)·b')/b
                    Op::Div => div(sub(da, mul(div(a.clone(), b.clone()), db)), b.clone()),
                    Op::Pow if b.is_constant() => {
                        // (a^c)' = c·a^(c−1)·a'
                        let c_minus_1 = match value_of(b) {
                            Some(c) => num(c - 1.0),
                            None => sub(b.clone(), num(1.0)),
                        };
                        mul(mul(b.clone(), pow(a.clone(), c_minus_1)), da)
                    }
                    // (a^b)' = b·a^(b−1)·a' + a^b·ln a·b'
                    Op::Pow => add(
                        mul(mul(b.clone(), pow(a.clone(), sub(b.clone(), num(1.0)))), da),
                        mul(
                            mul(pow(a.clone(), b.clone()), call(Func::Log, a.clone())),
                            db,
                        ),
                    ),
                }
            }
            Sym::Call(f, a) => {
                let a = &**a;
                let outer = match f {
                    Fun::Sign => return num(0.0),
                    Fun::Of(f) => match f {
                        Func::Sin => call(Func::Cos, a.clone()),
                        Func::Cos => neg(call(Func::Sin, a.clone())),
                        Func::Tan => add(num(1.0), pow(call(Func::Tan, a.clone()), num(2.0))),
                        Func::Exp => call(Func::Exp, a.clone()),
                        Func::Log => div(num(1.0), a.clone()),
                        Func::Sqrt => div(num(0.5), call(Func::Sqrt, a.clone())),
                        Func::Abs => Sym::Call(Fun::Sign, Box::new(a.clone())),
                        Func::Tanh => sub(num(1.0), pow(call(Func::Tanh, a.clone()), num(2.0))),
                        Func::Sigmoid => mul(
                            call(Func::Sigmoid, a.clone()),
                            sub(num(1.0), call(Func::Sigmoid, a.clone())),
                        ),
                    },
                };
                mul(outer, a.diff(v))
            }
            Sym::Pick(min, a, b) => {
                let (da, db) = (a.diff(v), b.diff(v));
                let (lt, gt) = if *min { (da, db) } else { (db, da) };
                tie((**a).clone(), (**b).clone(), lt, gt)
            }
            Sym::Tie([a, b, lt, gt]) => tie((**a).clone(), (**b).clone(), lt.diff(v), gt.diff(v)),
        }
    }

    /// How tightly its Python text binds (Python's precedence: sums, products, signs, powers).
    fn level(&self) -> u8 {
        match self {
            Sym::Bin(Op::Add | Op::Sub, ..) => SUM,
            Sym::Bin(Op::Mul | Op::Div, ..) => PRODUCT,
            Sym::Neg(_) => SIGN,
            Sym::Bin(Op::Pow, ..) => POWER,
            _ => ATOM,
        }
    }

    /// The Python text. A whole number is written as an integer (`x ** 2`, `10 * y`) unless it
    /// stands in a part made of constants only, which Python would then compute in integers.
    fn python(&self, constant_part: bool) -> String {
        let inner = constant_part || (self.is_constant() && !matches!(self, Sym::Num(_)));
        let operand = |e: &Sym, min: u8| {
            let text = e.python(inner);
            if e.level() >= min {
                text
            } else {
                format!("({text})")
            }
        };
        match self {
            Sym::Num(v) => {
                if !constant_part && v.fract() == 0.0 && v.abs() < 1e15 {
                    // An integer literal, exact below 2⁵³ (and without Rust's exact float
                    // formatting in the wasm module).
                    format!("{}", *v as i64)
                } else {
                    python_repr(*v)
                }
            }
            Sym::Named(name, _) => (*name).into(),
            Sym::X => "x".into(),
            Sym::Y => "y".into(),
            Sym::Neg(a) => format!("-{}", operand(a, POWER)),
            Sym::Call(f, a) => format!("{}({})", f.python(), a.python(inner)),
            Sym::Pick(min, a, b) => format!(
                "np.{}({}, {})",
                if *min { "minimum" } else { "maximum" },
                a.python(inner),
                b.python(inner)
            ),
            Sym::Tie([a, b, lt, gt]) => {
                let both = add(mul(num(0.5), (**lt).clone()), mul(num(0.5), (**gt).clone()));
                let (a, b) = (a.python(inner), b.python(inner));
                format!(
                    "np.where({a} < {b}, {}, np.where({a} > {b}, {}, {}))",
                    lt.python(inner),
                    gt.python(inner),
                    both.python(inner)
                )
            }
            Sym::Bin(op, a, b) => {
                let (sym, left, right) = match op {
                    Op::Add => ("+", SUM, PRODUCT),
                    Op::Sub => ("-", SUM, PRODUCT),
                    Op::Mul => ("*", PRODUCT, SIGN),
                    Op::Div => ("/", PRODUCT, SIGN),
                    // Python's ** takes a signed power on its right, an atom on its left.
                    Op::Pow => ("**", ATOM, SIGN),
                };
                format!("{} {sym} {}", operand(a, left), operand(b, right))
            }
        }
    }
}

/// The derivative of `min(a, b)` (`lt` where a < b, `gt` where a > b), 0 when both sides' are.
fn tie(a: Sym, b: Sym, lt: Sym, gt: Sym) -> Sym {
    if is(&lt, 0.0) && is(&gt, 0.0) {
        num(0.0)
    } else {
        Sym::Tie([Box::new(a), Box::new(b), Box::new(lt), Box::new(gt)])
    }
}

const SUM: u8 = 1;
const PRODUCT: u8 = 2;
const SIGN: u8 = 3;
const POWER: u8 = 4;
const ATOM: u8 = 5;

impl Fun {
    fn python(self) -> &'static str {
        match self {
            Fun::Sign => "np.sign",
            Fun::Of(f) => match f {
                Func::Sin => "np.sin",
                Func::Cos => "np.cos",
                Func::Tan => "np.tan",
                Func::Exp => "np.exp",
                Func::Log => "np.log",
                Func::Sqrt => "np.sqrt",
                Func::Abs => "np.abs",
                Func::Tanh => "np.tanh",
                Func::Sigmoid => "sigmoid",
            },
        }
    }
}

/// `rows` as a NumPy array of floats: `[a, b]`, or `[[a, b], [c, d]]`.
fn array(rows: &[&[&Sym]]) -> String {
    let text = |row: &[&Sym]| {
        let parts: Vec<String> = row.iter().map(|p| p.python(false)).collect();
        format!("[{}]", parts.join(", "))
    };
    let entries: Vec<String> = match rows {
        [row] => row.iter().map(|p| p.python(false)).collect(),
        _ => rows.iter().map(|r| text(r)).collect(),
    };
    // One entry a line when they are long (the body is indented by 4 in the script).
    let body = if entries.iter().map(|e| e.len() + 2).sum::<usize>() > 72 {
        let lines: String = entries.iter().map(|e| format!("    {e},\n")).collect();
        format!("[\n{lines}]")
    } else {
        format!("[{}]", entries.join(", "))
    };
    // Constant entries alone would make an array of integers.
    let dtype = if rows.iter().flat_map(|r| r.iter()).all(|p| p.is_constant()) {
        ", dtype=float"
    } else {
        ""
    };
    format!("np.array({body}{dtype})")
}

/// `e` as NumPy code: f as typed, its gradient and its Hessian derived symbolically.
pub fn numpy_code(e: &Expr) -> NumpyCode {
    let f = Sym::of(e);
    let (gx, gy) = (f.diff(Var::X), f.diff(Var::Y));
    let (hxx, hxy, hyy) = (gx.diff(Var::X), gx.diff(Var::Y), gy.diff(Var::Y));
    let hessian = format!("return {}", array(&[&[&hxx, &hxy], &[&hxy, &hyy]]));
    NumpyCode {
        helpers: if f.uses_sigmoid() {
            crate::surface::NUMPY_SIGMOID.into()
        } else {
            String::new()
        },
        params: "x, y",
        value: vec![format!("return {}", f.python(false))],
        gradient: vec![format!("return {}", array(&[&[&gx, &gy]]))],
        hessian: vec![hessian],
        examples: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{parse, Tape};

    /// The expression evaluated as NumPy evaluates its text, in f64.
    fn eval(s: &Sym, x: f64, y: f64) -> f64 {
        let e = |s: &Sym| eval(s, x, y);
        match s {
            Sym::Num(v) | Sym::Named(_, v) => *v,
            Sym::X => x,
            Sym::Y => y,
            Sym::Neg(a) => -e(a),
            Sym::Bin(op, a, b) => {
                let (a, b) = (e(a), e(b));
                match op {
                    Op::Add => a + b,
                    Op::Sub => a - b,
                    Op::Mul => a * b,
                    Op::Div => a / b,
                    Op::Pow => a.powf(b),
                }
            }
            Sym::Call(f, a) => {
                let a = e(a);
                match f {
                    // np.sign and the script's sigmoid compute what gdviz's do.
                    Fun::Sign => crate::expr::dual::sign(a),
                    Fun::Of(f) => crate::expr::dual::call_value(*f, a),
                }
            }
            Sym::Pick(min, a, b) => {
                let (a, b) = (e(a), e(b));
                if a.is_nan() || b.is_nan() {
                    f64::NAN
                } else if (a < b) == *min {
                    a
                } else {
                    b
                }
            }
            Sym::Tie([a, b, lt, gt]) => {
                let (a, b) = (e(a), e(b));
                if a < b {
                    e(lt)
                } else if a > b {
                    e(gt)
                } else {
                    0.5 * e(lt) + 0.5 * e(gt)
                }
            }
        }
    }

    /// How far `got` is from `want`, relative to `want` (to 1 below 1).
    fn error(got: f64, want: f64) -> f64 {
        if got == want {
            0.0
        } else {
            (got - want).abs() / want.abs().max(1.0)
        }
    }

    const FUNCTIONS: [&str; 14] = [
        "x^2 + 10*y^2 + sin(x*y) + abs(x-1) + min(x, y)",
        "log(1 + x^2) + sigmoid(y)^3 + max(x, 0.5) + tanh(x) + exp(-y)",
        "(1 - x)^2 + 100*(y - x^2)^2",
        "x/(1 + y^2) - y/(2 + cos(x))",
        "sqrt(x^2 + y^2 + 1) * tan(x/4)",
        "pow(x^2 + 1, y/3) + 2^x",
        "x^(1/3) + y^-2 + pi*x*e",
        "-x^2 - -y + -(x*y)^3",
        "sigmoid(x - y) * sigmoid(-x*y) + abs(y)^1.5",
        "min(x^2, y^2) * max(sin(x), cos(y))",
        "exp(sin(x)*cos(y)) / (3 + x*y)^2",
        "x^4 - 3*x^2*y + y^4/4 + 0*x + 1*y",
        "log(exp(x) + exp(y)) - 0.5*x",
        "7",
    ];

    /// ∇f and ∇²f as the script computes them agree with the tape's dual numbers to 1e-12
    /// (relative above 1) at many points of the plane.
    #[test]
    fn derivatives_agree_with_the_dual_numbers() {
        let mut worst = 0.0f64;
        for text in FUNCTIONS {
            let e = parse(text).unwrap();
            let tape = Tape::new(&e);
            let f = Sym::of(&e);
            let g = [f.diff(Var::X), f.diff(Var::Y)];
            let h = [g[0].diff(Var::X), g[0].diff(Var::Y), g[1].diff(Var::Y)];
            for i in 0..400 {
                // A spiral out to |θ| = 5, through every quadrant, off the axes (where abs(y)^1.5
                // has an infinite factor times a zero one in its Hessian: NaN in NumPy, 0 in
                // gdviz's dual numbers, which drop a product with a zero derivative).
                let t = i as f64 * 0.37 + 0.1;
                let r = 0.05 + 5.0 * i as f64 / 400.0;
                let (x, y) = (r * t.cos(), r * t.sin());
                let d = tape.dual(x, y);
                if !(d.v.is_finite() && d.g.iter().chain(&d.h).all(|v| v.is_finite())) {
                    continue;
                }
                // Equal but for a whole power, raised by powi in gdviz and by pow in NumPy.
                let err = error(eval(&f, x, y), d.v);
                assert!(err <= 1e-14, "{text} at ({x}, {y}): {err:e}");
                for (k, want) in d.g.iter().enumerate() {
                    let got = eval(&g[k], x, y);
                    let err = error(got, *want);
                    assert!(
                        err <= 1e-12,
                        "∇{k} of {text} at ({x}, {y}): {got} vs {want}"
                    );
                    worst = worst.max(err);
                }
                for (k, want) in d.h.iter().enumerate() {
                    let got = eval(&h[k], x, y);
                    let err = error(got, *want);
                    assert!(
                        err <= 1e-12,
                        "H{k} of {text} at ({x}, {y}): {got} vs {want}"
                    );
                    worst = worst.max(err);
                }
            }
        }
        eprintln!("largest difference from the dual numbers: {worst:e}");
    }

    /// At the kinks: |a|' = 0 at a = 0 and min/max split ½, ½ at a tie, as the dual numbers.
    #[test]
    fn kinks_follow_gdviz() {
        let e = parse("abs(x - 1) + min(x, y) + max(2*x, y)").unwrap();
        let (tape, f) = (Tape::new(&e), Sym::of(&e));
        let g = [f.diff(Var::X), f.diff(Var::Y)];
        for (x, y) in [(1.0, 1.0), (1.0, 2.0), (0.5, 1.0)] {
            let d = tape.dual(x, y);
            assert_eq!([eval(&g[0], x, y), eval(&g[1], x, y)], d.g, "at ({x}, {y})");
        }
    }

    #[test]
    fn derivatives_read_as_a_person_writes_them() {
        let code = |t: &str| numpy_code(&parse(t).unwrap());
        let c = code("x^2 + 10*y^2 + sin(x*y) + abs(x-1) + min(x, y)");
        assert_eq!(
            c.value,
            ["return x ** 2 + 10 * y ** 2 + np.sin(x * y) + np.abs(x - 1) + np.minimum(x, y)"]
        );
        assert_eq!(
            c.gradient.join("\n"),
            "return np.array([
    2 * x + np.cos(x * y) * y + np.sign(x - 1) + np.where(x < y, 1, np.where(x > y, 0, 0.5)),
    10 * (2 * y) + np.cos(x * y) * x + np.where(x < y, 0, np.where(x > y, 1, 0.5)),
])"
        );
        assert!(c.helpers.is_empty());
        let c = code("(1 - x)^2 + 100*(y - x^2)^2");
        assert_eq!(
            c.gradient.join("\n"),
            "return np.array([
    -(2 * (1 - x)) - 100 * (2 * (y - x ** 2) * (2 * x)),
    100 * (2 * (y - x ** 2)),
])"
        );
        assert_eq!(
            c.hessian.join("\n"),
            "return np.array([
    [2 - 100 * (-(2 * (2 * x) * (2 * x)) + 2 * (y - x ** 2) * 2), -(100 * (2 * (2 * x)))],
    [-(100 * (2 * (2 * x))), 200],
])"
        );
        let c = code("log(x)/y - sigmoid(x) + pi^2 + x^(1/2)");
        assert_eq!(
            c.value,
            ["return np.log(x) / y - sigmoid(x) + math.pi ** 2.0 + x ** (1.0 / 2.0)"]
        );
        assert!(c.helpers.contains("def sigmoid(a):"), "{}", c.helpers);
        assert_eq!(
            c.gradient.join("\n"),
            "return np.array([
    1 / x / y - sigmoid(x) * (1 - sigmoid(x)) + 1.0 / 2.0 * x ** (1.0 / 2.0 - 1.0),
    -(np.log(x) / y / y),
])"
        );
        assert_eq!(
            code("x + y").gradient,
            ["return np.array([1, 1], dtype=float)"]
        );
    }
}
