//! An expression compiled to a flat list of stack operations, with its constant parts folded:
//! evaluated without recursion, in `f64` for values or in [`Dual2`] for exact derivatives.

use super::ast::{BinOp, Expr, Func};
use super::dual::{Dual2, Scalar};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Const(f64),
    X,
    Y,
    Neg,
    Add,
    Sub,
    Mul,
    Div,
    /// Raise to a constant power.
    PowC(f64),
    Pow,
    Min,
    Max,
    Call(Func),
}

/// A compiled expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Tape {
    ops: Vec<Op>,
    /// The most values on the stack at once.
    stack: usize,
}

impl Tape {
    /// Compiles `e`; subexpressions without x and y are evaluated once, here.
    pub fn new(e: &Expr) -> Self {
        let mut ops = Vec::with_capacity(e.size());
        emit(e, &mut ops);
        let mut depth = 0usize;
        let mut stack = 0;
        for op in &ops {
            match op {
                Op::Const(_) | Op::X | Op::Y => depth += 1,
                Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Pow | Op::Min | Op::Max => {
                    depth = depth.saturating_sub(1)
                }
                Op::Neg | Op::PowC(_) | Op::Call(_) => {}
            }
            stack = stack.max(depth);
        }
        Tape { ops, stack }
    }

    /// f at (x, y) in the arithmetic `T`, the variables given as `vx` and `vy`. The stack lives
    /// on the call stack when it is short (no allocation per point); a malformed tape
    /// (impossible by construction) gives NaN, never a panic.
    pub fn eval<T: Scalar>(&self, vx: T, vy: T) -> T {
        const INLINE: usize = 16;
        if self.stack <= INLINE {
            self.run(&mut [T::constant(0.0); INLINE], vx, vy)
        } else {
            self.run(&mut vec![T::constant(0.0); self.stack], vx, vy)
        }
    }

    fn run<T: Scalar>(&self, s: &mut [T], vx: T, vy: T) -> T {
        let nan = T::constant(f64::NAN);
        let mut n = 0;
        let pop = |s: &[T], n: &mut usize| {
            *n = n.saturating_sub(1);
            s.get(*n).copied().unwrap_or(nan)
        };
        for &op in &self.ops {
            let v = match op {
                Op::Const(c) => T::constant(c),
                Op::X => vx,
                Op::Y => vy,
                Op::Neg => pop(s, &mut n).neg(),
                Op::PowC(c) => pop(s, &mut n).powc(c),
                Op::Call(f) => pop(s, &mut n).call(f),
                _ => {
                    let b = pop(s, &mut n);
                    let a = pop(s, &mut n);
                    match op {
                        Op::Add => a.add(b),
                        Op::Sub => a.sub(b),
                        Op::Mul => a.mul(b),
                        Op::Div => a.div(b),
                        Op::Pow => a.pow(b),
                        Op::Min => a.min(b),
                        Op::Max => a.max(b),
                        _ => nan,
                    }
                }
            };
            match s.get_mut(n) {
                Some(slot) => *slot = v,
                None => return nan,
            }
            n += 1;
        }
        match (n, s.first()) {
            (1, Some(&v)) => v,
            _ => nan,
        }
    }

    /// f(x, y).
    pub fn value(&self, x: f64, y: f64) -> f64 {
        self.eval(x, y)
    }

    /// f(x, y) with its exact gradient and Hessian.
    pub fn dual(&self, x: f64, y: f64) -> Dual2 {
        self.eval(Dual2::x(x), Dual2::y(y))
    }
}

/// Appends the operations of `e` (postfix order), folding constant subexpressions.
fn emit(e: &Expr, ops: &mut Vec<Op>) {
    if e.is_constant() && !matches!(e, Expr::Num(_)) {
        let mut sub = Vec::new();
        emit_ops(e, &mut sub);
        let t = Tape {
            stack: sub.len(),
            ops: sub,
        };
        ops.push(Op::Const(t.value(0.0, 0.0)));
        return;
    }
    emit_ops(e, ops);
}

fn emit_ops(e: &Expr, ops: &mut Vec<Op>) {
    match e {
        Expr::Num(v) => ops.push(Op::Const(*v)),
        Expr::Pi => ops.push(Op::Const(std::f64::consts::PI)),
        Expr::E => ops.push(Op::Const(std::f64::consts::E)),
        Expr::X => ops.push(Op::X),
        Expr::Y => ops.push(Op::Y),
        Expr::Neg(a) => {
            emit(a, ops);
            ops.push(Op::Neg);
        }
        Expr::Call(f, a) => {
            emit(a, ops);
            ops.push(Op::Call(*f));
        }
        Expr::Bin(op, a, b) => {
            emit(a, ops);
            if matches!(op, BinOp::Pow | BinOp::PowFn) && b.is_constant() {
                let mut c = Vec::new();
                emit(b, &mut c);
                if let [Op::Const(c)] = c[..] {
                    ops.push(Op::PowC(c));
                    return;
                }
            }
            emit(b, ops);
            ops.push(match op {
                BinOp::Add => Op::Add,
                BinOp::Sub => Op::Sub,
                BinOp::Mul => Op::Mul,
                BinOp::Div => Op::Div,
                BinOp::Pow | BinOp::PowFn => Op::Pow,
                BinOp::Min => Op::Min,
                BinOp::Max => Op::Max,
            });
        }
    }
}
