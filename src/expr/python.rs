//! A typed f(x, y) as PyTorch code, for the exported scripts: the same operations on `x` and `y`
//! (0-dimensional float64 tensors), with torch's functions for gdviz's (`log` → `torch.log`,
//! `min` → `torch.minimum`, whose gradient at a tie is split as gdviz splits it).

use super::{BinOp, Expr, Func};
use crate::format::python_repr;

/// `e` as a torch expression in `x` and `y`, parenthesised wherever Python's precedence could
/// differ from the tree's.
pub fn torch(e: &Expr) -> String {
    match e {
        Expr::Num(v) => python_repr(*v),
        Expr::X => "x".into(),
        Expr::Y => "y".into(),
        Expr::Pi => "math.pi".into(),
        Expr::E => "math.e".into(),
        Expr::Neg(a) => format!("(-{})", torch(a)),
        Expr::Call(f, a) => format!("{}({})", function(*f), tensor(a)),
        Expr::Bin(op @ (BinOp::Min | BinOp::Max), a, b) => {
            let name = if *op == BinOp::Min {
                "minimum"
            } else {
                "maximum"
            };
            format!("torch.{name}({}, {})", tensor(a), tensor(b))
        }
        Expr::Bin(op, a, b) => {
            let (a, b) = (torch(a), torch(b));
            let op = match op {
                BinOp::Add => "+",
                BinOp::Sub => "-",
                BinOp::Mul => "*",
                BinOp::Div => "/",
                _ => "**",
            };
            format!("({a} {op} {b})")
        }
    }
}

/// `e` as a tensor: torch's functions take tensors, not Python numbers, so a constant argument
/// (`sin(1)`, `min(x, 1)`) is made one.
fn tensor(e: &Expr) -> String {
    if e.is_constant() {
        format!("torch.tensor({})", torch(e))
    } else {
        torch(e)
    }
}

/// torch's name for a function of one argument.
fn function(f: Func) -> &'static str {
    match f {
        Func::Sin => "torch.sin",
        Func::Cos => "torch.cos",
        Func::Tan => "torch.tan",
        Func::Exp => "torch.exp",
        Func::Log => "torch.log",
        Func::Sqrt => "torch.sqrt",
        Func::Abs => "torch.abs",
        Func::Tanh => "torch.tanh",
        Func::Sigmoid => "torch.sigmoid",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;

    #[test]
    fn expressions_read_as_torch_code() {
        let code = |t: &str| torch(&parse(t).unwrap());
        assert_eq!(code("x^2 + 10*y^2"), "((x ** 2.0) + (10.0 * (y ** 2.0)))");
        assert_eq!(code("-x^2"), "(-(x ** 2.0))");
        assert_eq!(
            code("log(x) - sigmoid(y)"),
            "(torch.log(x) - torch.sigmoid(y))"
        );
        assert_eq!(
            code("min(x, 1) + max(y, x) + pow(x, y)"),
            "((torch.minimum(x, torch.tensor(1.0)) + torch.maximum(y, x)) + (x ** y))"
        );
        assert_eq!(code("2*pi*e"), "((2.0 * math.pi) * math.e)");
        assert_eq!(code("abs(x)/1e-5"), "(torch.abs(x) / 1e-05)");
        assert_eq!(code("exp(1) * x"), "(torch.exp(torch.tensor(1.0)) * x)");
    }
}
