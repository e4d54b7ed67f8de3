//! Text → [`Expr`]: a tokenizer and a recursive-descent parser with bounded depth, whose errors
//! name the problem and where it is (character offsets from 0).

use std::fmt;

use super::ast::{BinOp, Expr, Func};

/// The longest expression accepted, in characters.
pub const MAX_LEN: usize = 500;
/// The deepest nesting accepted: parentheses, function calls, powers and signs, counted together.
pub const MAX_DEPTH: usize = 64;

/// Why a text is not an expression, and where: `span` is a half-open range of character offsets
/// counted from 0 (as a text box's selection counts them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong, without the position.
    pub what: String,
    /// Where: `(start, end)`, `start == end` for a place between characters.
    pub span: (usize, usize),
    /// A suggestion, if there is one.
    pub hint: Option<String>,
}

impl ParseError {
    fn new(what: impl Into<String>, span: (usize, usize)) -> Self {
        ParseError {
            what: what.into(),
            span,
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for ParseError {
    /// `what at 3`, `what at 3..7`, then `; hint`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b) = self.span;
        if b > a + 1 {
            write!(f, "{} at {a}..{b}", self.what)?;
        } else {
            write!(f, "{} at {a}", self.what)?;
        }
        if let Some(h) = &self.hint {
            write!(f, "; {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    Num(f64),
    Name(&'a str),
    /// One of `+ - * / ^ ( ) ,` (`**` is read as `^`).
    Sym(char),
    End,
}

#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    tok: Tok<'a>,
    /// Character offsets.
    span: (usize, usize),
    /// The text as typed.
    text: &'a str,
}

/// Splits `text` into tokens, each with its span in characters.
fn tokenize(text: &str) -> Result<Vec<Token<'_>>, ParseError> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte = |i: usize| chars.get(i).map_or(text.len(), |c| c.0);
    let at = |i: usize| chars.get(i).map(|c| c.1);
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let tok =
            if c.is_ascii_digit() || (c == '.' && at(i + 1).is_some_and(|d| d.is_ascii_digit())) {
                while at(i).is_some_and(|d| d.is_ascii_digit()) {
                    i += 1;
                }
                if at(i) == Some('.') {
                    i += 1;
                    while at(i).is_some_and(|d| d.is_ascii_digit()) {
                        i += 1;
                    }
                }
                // An exponent only when digits follow: `2e` is 2 then e, `2e-x` is 2 then e − x.
                if matches!(at(i), Some('e' | 'E')) {
                    let digits_at = if matches!(at(i + 1), Some('+' | '-')) {
                        i + 2
                    } else {
                        i + 1
                    };
                    if at(digits_at).is_some_and(|d| d.is_ascii_digit()) {
                        i = digits_at;
                        while at(i).is_some_and(|d| d.is_ascii_digit()) {
                            i += 1;
                        }
                    }
                }
                let s = &text[byte(start)..byte(i)];
                match s.parse::<f64>() {
                    Ok(v) if v.is_finite() => Tok::Num(v),
                    _ => {
                        return Err(ParseError::new(
                            format!("number '{s}' is too large"),
                            (start, i),
                        ))
                    }
                }
            } else if c.is_ascii_alphabetic() || c == '_' {
                while at(i).is_some_and(|d| d.is_ascii_alphanumeric() || d == '_') {
                    i += 1;
                }
                Tok::Name(&text[byte(start)..byte(i)])
            } else if c == 'π' {
                i += 1;
                Tok::Name("pi")
            } else if c == '*' && at(i + 1) == Some('*') {
                i += 2;
                Tok::Sym('^')
            } else if matches!(c, '+' | '-' | '*' | '/' | '^' | '(' | ')' | ',') {
                i += 1;
                Tok::Sym(c)
            } else if c == '−' {
                // The minus sign of typeset formulas, as pasted from a page.
                i += 1;
                Tok::Sym('-')
            } else if c == '·' || c == '×' {
                i += 1;
                Tok::Sym('*')
            } else {
                let hint = match c {
                    '[' | '{' => "use ( ) for grouping",
                    '²' => "write x^2",
                    _ => "use numbers, x, y, pi, e, + - * / ^, parentheses and functions",
                };
                return Err(
                    ParseError::new(format!("unexpected character '{c}'"), (i, i + 1)).hint(hint),
                );
            };
        out.push(Token {
            tok,
            span: (start, i),
            text: &text[byte(start)..byte(i)],
        });
    }
    out.push(Token {
        tok: Tok::End,
        span: (i, i),
        text: "",
    });
    Ok(out)
}

/// The edit distance of two short names, to suggest the one meant.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Every function name, one-argument ones first.
fn function_names() -> Vec<&'static str> {
    Func::ALL
        .iter()
        .map(|f| f.name())
        .chain(BinOp::CALLS.iter().filter_map(|b| b.call_name()))
        .collect()
}

/// The closest of `names` to `name`, if it is close.
fn suggest(name: &str, names: &[&'static str]) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    names
        .iter()
        .map(|&n| (distance(&lower, n), n))
        .filter(|&(d, n)| d < n.len() && (d <= 1 || (d == 2 && lower.len() >= 4)))
        .min_by_key(|&(d, _)| d)
        .map(|(_, n)| n)
}

struct Parser<'a> {
    toks: Vec<Token<'a>>,
    pos: usize,
    depth: usize,
}

/// Parses `text` as an expression in x and y (see the module documentation for the grammar).
pub fn parse(text: &str) -> Result<Expr, ParseError> {
    let len = text.chars().count();
    if len > MAX_LEN {
        return Err(ParseError::new(
            format!("the expression is too long ({len} characters, at most {MAX_LEN})"),
            (MAX_LEN, len),
        ));
    }
    let toks = tokenize(text)?;
    if toks.len() == 1 {
        return Err(ParseError::new("the expression is empty", (0, len))
            .hint("type a formula in x and y, e.g. x^2 + 10*y^2"));
    }
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let e = p.sum()?;
    let t = p.peek();
    match t.tok {
        Tok::End => Ok(e),
        Tok::Sym(')') => {
            Err(ParseError::new("unexpected ')'", t.span).hint("there is no '(' for it to close"))
        }
        _ => Err(p.unexpected(t)),
    }
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Token<'a> {
        self.toks[self.pos.min(self.toks.len() - 1)]
    }

    fn next(&mut self) -> Token<'a> {
        let t = self.peek();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek().tok == Tok::Sym(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// The error for a token where none of its kind can stand.
    fn unexpected(&self, t: Token<'a>) -> ParseError {
        if t.tok == Tok::End {
            return ParseError::new("the expression ends too early", t.span)
                .hint("expected a number, x, y, a function or '('");
        }
        let e = ParseError::new(format!("unexpected '{}'", t.text), t.span);
        // A value right after a value: the user most likely meant a product.
        let after_value = self.pos > 0
            && matches!(
                self.toks[self.pos - 1].tok,
                Tok::Num(_) | Tok::Name(_) | Tok::Sym(')')
            );
        if after_value && matches!(t.tok, Tok::Num(_) | Tok::Name(_) | Tok::Sym('(')) {
            e.hint("write * for a product, e.g. 2*x")
        } else {
            e
        }
    }

    /// sum := product (('+' | '-') product)*
    fn sum(&mut self) -> Result<Expr, ParseError> {
        let mut e = self.product()?;
        loop {
            let op = if self.eat('+') {
                BinOp::Add
            } else if self.eat('-') {
                BinOp::Sub
            } else {
                return Ok(e);
            };
            e = Expr::Bin(op, Box::new(e), Box::new(self.product()?));
        }
    }

    /// product := unary (('*' | '/') unary)*
    fn product(&mut self) -> Result<Expr, ParseError> {
        let mut e = self.unary()?;
        loop {
            let op = if self.eat('*') {
                BinOp::Mul
            } else if self.eat('/') {
                BinOp::Div
            } else {
                return Ok(e);
            };
            e = Expr::Bin(op, Box::new(e), Box::new(self.unary()?));
        }
    }

    /// unary := ('-' | '+') unary | power. Every recursion passes here, so the depth is
    /// counted here.
    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.depth >= MAX_DEPTH {
            return Err(ParseError::new(
                format!("nested too deeply (more than {MAX_DEPTH} levels)"),
                self.peek().span,
            )
            .hint("parentheses, functions, powers and signs count as levels"));
        }
        self.depth += 1;
        let e = if self.eat('-') {
            self.unary().map(|a| Expr::Neg(Box::new(a)))
        } else if self.eat('+') {
            self.unary()
        } else {
            self.power()
        };
        self.depth -= 1;
        e
    }

    /// power := atom ('^' unary)?: right-associative, and tighter than a sign on its left
    /// (`-x^2` is −(x²)) while its exponent may carry one (`2^-x`).
    fn power(&mut self) -> Result<Expr, ParseError> {
        let base = self.atom()?;
        if self.eat('^') {
            let exp = self.unary()?;
            return Ok(Expr::Bin(BinOp::Pow, Box::new(base), Box::new(exp)));
        }
        Ok(base)
    }

    /// atom := number | x | y | pi | e | name '(' args ')' | '(' sum ')'
    fn atom(&mut self) -> Result<Expr, ParseError> {
        let t = self.next();
        match t.tok {
            Tok::Num(v) => Ok(Expr::Num(v)),
            Tok::Sym('(') => {
                let e = self.sum()?;
                self.close(t)?;
                Ok(e)
            }
            Tok::Name(name) => self.name(name, t),
            _ => {
                self.pos -= usize::from(t.tok != Tok::End);
                Err(self.unexpected(t))
            }
        }
    }

    /// Expects the ')' closing the '(' token `open`.
    fn close(&mut self, open: Token<'a>) -> Result<(), ParseError> {
        if self.eat(')') {
            return Ok(());
        }
        let t = self.peek();
        let e = ParseError::new("missing ')'", (t.span.0, t.span.0))
            .hint(format!("to close the '(' at {}", open.span.0));
        if t.tok == Tok::End {
            Err(e)
        } else {
            Err(ParseError::new(format!("unexpected '{}'", t.text), t.span)
                .hint(format!("expected ')' to close the '(' at {}", open.span.0)))
        }
    }

    fn name(&mut self, name: &'a str, t: Token<'a>) -> Result<Expr, ParseError> {
        let called = self.peek().tok == Tok::Sym('(');
        let func = Func::ALL.iter().copied().find(|f| f.name() == name);
        let bin = BinOp::CALLS
            .iter()
            .copied()
            .find(|b| b.call_name() == Some(name));
        if !called {
            return match name {
                "x" => Ok(Expr::X),
                "y" => Ok(Expr::Y),
                "pi" => Ok(Expr::Pi),
                "e" => Ok(Expr::E),
                _ if func.is_some() || bin.is_some() => {
                    Err(ParseError::new(format!("'{name}' is a function"), t.span)
                        .hint(format!("write {name}(...)")))
                }
                _ => {
                    let e = ParseError::new(format!("unknown name '{name}'"), t.span);
                    Err(match suggest(name, &["x", "y", "pi", "e"]) {
                        Some(s) => e.hint(format!("did you mean '{s}'?")),
                        _ => e.hint("the variables are x and y, the constants pi and e"),
                    })
                }
            };
        }
        let arity = if func.is_some() {
            1
        } else if bin.is_some() {
            2
        } else {
            let e = ParseError::new(format!("unknown function '{name}'"), t.span);
            let names = function_names();
            if name == "ln" {
                return Err(e.hint("write log(...): log is the natural logarithm"));
            }
            if matches!(name, "x" | "y" | "pi" | "e") {
                return Err(e.hint("write * for a product, e.g. x*(y + 1)"));
            }
            return Err(match suggest(name, &names) {
                Some(s) => e.hint(format!("did you mean '{s}'?")),
                None => e.hint(format!("the functions are {}", names.join(", "))),
            });
        };
        let open = self.next();
        let mut args = Vec::new();
        if self.peek().tok != Tok::Sym(')') {
            loop {
                args.push(self.sum()?);
                if !self.eat(',') {
                    break;
                }
            }
        }
        self.close(open)?;
        if args.len() != arity {
            let end = self
                .toks
                .get(self.pos.wrapping_sub(1))
                .map_or(t.span.1, |c| c.span.1);
            return Err(ParseError::new(
                format!(
                    "{name} takes {arity} argument{}, not {}",
                    if arity == 1 { "" } else { "s" },
                    args.len()
                ),
                (t.span.0, end),
            ));
        }
        let mut args = args.into_iter();
        let (Some(a), b) = (args.next(), args.next()) else {
            // Unreachable: the arity was checked above.
            return Err(ParseError::new("missing argument", t.span));
        };
        Ok(match (func, bin, b) {
            (Some(f), _, _) => Expr::Call(f, Box::new(a)),
            (_, Some(op), Some(b)) => Expr::Bin(op, Box::new(a), Box::new(b)),
            _ => return Err(ParseError::new("missing argument", t.span)),
        })
    }
}
