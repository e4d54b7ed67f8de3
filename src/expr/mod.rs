//! Typed cost functions f(x, y): parsed by hand, evaluated with exact gradients and Hessians by
//! forward-mode automatic differentiation, and wrapped as a [`Surface`](crate::Surface).
//!
//! Grammar (loosest first; `^` is right-associative and binds tighter than a sign on its left,
//! so `-x^2` is −(x²) and `2^-x` is 2^(−x)):
//! ```text
//! sum     := product (('+' | '-') product)*
//! product := unary (('*' | '/') unary)*
//! unary   := ('-' | '+') unary | power
//! power   := atom ('^' unary)?
//! atom    := number | 'x' | 'y' | 'pi' | 'e' | function '(' sum (',' sum)? ')' | '(' sum ')'
//! ```
//! Numbers are decimal with an optional exponent (`3`, `.5`, `1e-3`). The functions are `sin cos
//! tan exp log sqrt abs tanh sigmoid` of one argument (`log` is the natural logarithm) and `min
//! max pow` of two. `**` is read as `^`, and `π`, `−`, `·` and `×` as `pi`, `-`, `*` and `*`.
//! Texts are at most [`MAX_LEN`] characters and [`MAX_DEPTH`] levels deep; errors give a
//! position in characters from 0 (`unknown function 'sinn' at 0..4; did you mean 'sin'?`).
//!
//! Where f is not differentiable the derivatives are a documented choice: |a| has slope 0 at
//! a = 0, and `min`/`max` at a tie take the average of both arguments' derivatives. Outside a
//! function's domain (log or sqrt of a negative number, division by zero, a^b with a ≤ 0 and an
//! exponent that depends on x or y) values and derivatives are NaN or infinite: a run stops as
//! diverged there, and a contour plot leaves those samples out. Nothing panics.

mod ast;
mod dual;
mod parse;
#[cfg(feature = "export")]
pub mod python;
mod surface;
#[cfg(feature = "export")]
mod symbolic;
mod tape;

pub use crate::format::format_number;
pub use ast::{BinOp, Expr, Func};
pub use dual::{Dual2, Scalar};
pub use parse::{parse, ParseError, MAX_DEPTH, MAX_LEN};
pub use surface::{check_range, ExprSurface, DEFAULT_VIEW, VIEW_LIMIT, VIEW_MIN_SPAN};
#[cfg(feature = "export")]
pub use symbolic::numpy_code;
pub use tape::Tape;

/// The surface name of a typed expression (in the CLI, the URL and `state().surface`).
pub const NAME: &str = "expr";
