//! The parsed expression tree and its normalised text (minimal parentheses, canonical spacing).

use std::fmt;

use crate::format::format_number;

/// A function of one argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    /// sin.
    Sin,
    /// cos.
    Cos,
    /// tan.
    Tan,
    /// e^a.
    Exp,
    /// The natural logarithm.
    Log,
    /// The square root.
    Sqrt,
    /// |a|; its derivative at 0 is taken as 0.
    Abs,
    /// tanh.
    Tanh,
    /// The logistic function 1 / (1 + e^−a).
    Sigmoid,
}

impl Func {
    /// Every function of one argument.
    pub const ALL: [Func; 9] = [
        Func::Sin,
        Func::Cos,
        Func::Tan,
        Func::Exp,
        Func::Log,
        Func::Sqrt,
        Func::Abs,
        Func::Tanh,
        Func::Sigmoid,
    ];

    /// Its name in expressions.
    pub fn name(self) -> &'static str {
        match self {
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Tan => "tan",
            Func::Exp => "exp",
            Func::Log => "log",
            Func::Sqrt => "sqrt",
            Func::Abs => "abs",
            Func::Tanh => "tanh",
            Func::Sigmoid => "sigmoid",
        }
    }
}

/// An operation of two operands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// a + b.
    Add,
    /// a − b.
    Sub,
    /// a · b.
    Mul,
    /// a / b.
    Div,
    /// a ^ b, written `a^b`.
    Pow,
    /// `pow(a, b)`: the same as `a^b`, kept apart so the text prints back as typed.
    PowFn,
    /// `min(a, b)`; at a tie its derivatives are the average of both arguments'.
    Min,
    /// `max(a, b)`; at a tie its derivatives are the average of both arguments'.
    Max,
}

impl BinOp {
    /// The functions written `name(a, b)`.
    pub const CALLS: [BinOp; 3] = [BinOp::Min, BinOp::Max, BinOp::PowFn];

    /// The function name of `min`, `max` and `pow`; `None` for the infix operators.
    pub fn call_name(self) -> Option<&'static str> {
        match self {
            BinOp::Min => Some("min"),
            BinOp::Max => Some("max"),
            BinOp::PowFn => Some("pow"),
            _ => None,
        }
    }
}

/// A parsed expression f(x, y).
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A number literal (never negative: a minus sign is [`Expr::Neg`]).
    Num(f64),
    /// The variable x.
    X,
    /// The variable y.
    Y,
    /// π.
    Pi,
    /// Euler's number e.
    E,
    /// −a.
    Neg(Box<Expr>),
    /// A function of one argument.
    Call(Func, Box<Expr>),
    /// An operator or a function of two arguments.
    Bin(BinOp, Box<Expr>, Box<Expr>),
}

/// Binding strength, loosest first: what an operand must reach to be printed without parentheses.
const SUM: u8 = 1;
const PRODUCT: u8 = 2;
const SIGN: u8 = 3;
const POWER: u8 = 4;
const ATOM: u8 = 5;

impl Expr {
    /// How tightly the printed form of this node binds.
    fn level(&self) -> u8 {
        match self {
            Expr::Bin(BinOp::Add | BinOp::Sub, ..) => SUM,
            Expr::Bin(BinOp::Mul | BinOp::Div, ..) => PRODUCT,
            Expr::Neg(_) => SIGN,
            Expr::Bin(BinOp::Pow, ..) => POWER,
            _ => ATOM,
        }
    }

    /// Whether the expression depends on neither x nor y.
    pub fn is_constant(&self) -> bool {
        match self {
            Expr::X | Expr::Y => false,
            Expr::Num(_) | Expr::Pi | Expr::E => true,
            Expr::Neg(a) | Expr::Call(_, a) => a.is_constant(),
            Expr::Bin(_, a, b) => a.is_constant() && b.is_constant(),
        }
    }

    /// The degree of the expression as a polynomial in x and y (a constant has degree 0), or
    /// `None` when it is not visibly one (a function of x or y, a division by x, ...).
    pub fn degree(&self) -> Option<u32> {
        if self.is_constant() {
            return Some(0);
        }
        match self {
            Expr::X | Expr::Y => Some(1),
            Expr::Neg(a) => a.degree(),
            Expr::Bin(BinOp::Add | BinOp::Sub, a, b) => Some(a.degree()?.max(b.degree()?)),
            Expr::Bin(BinOp::Mul, a, b) => a.degree()?.checked_add(b.degree()?),
            Expr::Bin(BinOp::Div, a, b) if b.is_constant() => a.degree(),
            Expr::Bin(BinOp::Pow | BinOp::PowFn, a, b) => match **b {
                Expr::Num(n) if n.fract() == 0.0 && (0.0..=64.0).contains(&n) => {
                    a.degree()?.checked_mul(n as u32)
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// The number of nodes.
    pub fn size(&self) -> usize {
        match self {
            Expr::Num(_) | Expr::X | Expr::Y | Expr::Pi | Expr::E => 1,
            Expr::Neg(a) | Expr::Call(_, a) => 1 + a.size(),
            Expr::Bin(_, a, b) => 1 + a.size() + b.size(),
        }
    }
}

/// Writes `e`, in parentheses when it binds looser than `min`.
fn operand(f: &mut fmt::Formatter<'_>, e: &Expr, min: u8) -> fmt::Result {
    if e.level() >= min {
        write!(f, "{e}")
    } else {
        write!(f, "({e})")
    }
}

impl fmt::Display for Expr {
    /// The normalised text: parses back to an equal tree. Sums and differences are spaced
    /// (`x^2 + 10*y^2`), products, quotients and powers are not; parentheses only where needed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Num(v) => write!(f, "{}", format_number(*v)),
            Expr::X => write!(f, "x"),
            Expr::Y => write!(f, "y"),
            Expr::Pi => write!(f, "pi"),
            Expr::E => write!(f, "e"),
            Expr::Neg(a) => {
                write!(f, "-")?;
                operand(f, a, POWER)
            }
            Expr::Call(func, a) => write!(f, "{}({a})", func.name()),
            Expr::Bin(op, a, b) => {
                if let Some(name) = op.call_name() {
                    return write!(f, "{name}({a}, {b})");
                }
                let (sym, left, right) = match op {
                    BinOp::Add => (" + ", SUM, PRODUCT),
                    BinOp::Sub => (" - ", SUM, PRODUCT),
                    BinOp::Mul => ("*", PRODUCT, SIGN),
                    BinOp::Div => ("/", PRODUCT, SIGN),
                    _ => ("^", ATOM, SIGN),
                };
                operand(f, a, left)?;
                write!(f, "{sym}")?;
                operand(f, b, right)
            }
        }
    }
}
