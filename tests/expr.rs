//! Typed expressions: parsing, printing, exact derivatives, limits, options and the CLI.
//!
//! The property tests run a fixed number of cases (`PROPTEST_CASES` raises it, e.g.
//! `PROPTEST_CASES=100000 cargo test --test expr fuzz` for a longer fuzzing run).

use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};

use gdviz::expr::{self, parse, BinOp, Expr, ExprSurface, Func, DEFAULT_VIEW, MAX_DEPTH, MAX_LEN};
use gdviz::options::{apply_all, Options, Value};
use gdviz::{Surface, View};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

mod common;
use common::gdviz;

/// Cases per property: `PROPTEST_CASES` if set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A runner with a fixed seed, so every run of the suite tries the same inputs (more of them
/// with `PROPTEST_CASES`).
fn runner(default: u32) -> TestRunner {
    let config = Config {
        cases: cases(default),
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

fn surface(text: &str) -> ExprSurface {
    ExprSurface::parse(text, DEFAULT_VIEW).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn value(text: &str, x: f64, y: f64) -> f64 {
    surface(text).value([x, y])
}

fn error(text: &str) -> String {
    match parse(text) {
        Ok(e) => panic!("{text:?} parsed as {e:?}"),
        Err(e) => e.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Random expressions.

fn leaf() -> impl Strategy<Value = Expr> {
    prop_oneof![
        3 => Just(Expr::X),
        3 => Just(Expr::Y),
        1 => Just(Expr::Pi),
        1 => Just(Expr::E),
        2 => prop_oneof![
            Just(0.5),
            Just(1.0),
            Just(2.0),
            Just(3.0),
            Just(10.0),
            Just(0.1),
            Just(1e-3),
            0.0..5.0f64
        ]
        .prop_map(Expr::Num),
    ]
}

fn func() -> impl Strategy<Value = Func> {
    proptest::sample::select(Func::ALL.to_vec())
}

fn binop() -> impl Strategy<Value = BinOp> {
    proptest::sample::select(vec![
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::Div,
        BinOp::Pow,
        BinOp::PowFn,
        BinOp::Min,
        BinOp::Max,
    ])
}

/// Expressions of up to about 30 nodes over every operation.
fn expression() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(5, 30, 2, |inner| {
        prop_oneof![
            1 => inner.clone().prop_map(|a| Expr::Neg(Box::new(a))),
            2 => (func(), inner.clone()).prop_map(|(f, a)| Expr::Call(f, Box::new(a))),
            4 => (binop(), inner.clone(), inner)
                .prop_map(|(op, a, b)| Expr::Bin(op, Box::new(a), Box::new(b))),
        ]
    })
}

fn point() -> impl Strategy<Value = [f64; 2]> {
    [-2.5..2.5f64, -2.5..2.5f64]
}

// ---------------------------------------------------------------------------------------------
// Derivatives against central differences.

/// Central difference of `f` along axis `i` at `p` with step `h`.
fn central(f: &dyn Fn([f64; 2]) -> f64, p: [f64; 2], i: usize, h: f64) -> f64 {
    let (mut a, mut b) = (p, p);
    a[i] += h;
    b[i] -= h;
    (f(a) - f(b)) / (2.0 * h)
}

/// The central difference along `i` if `f` is smooth enough there for it to be trusted: the
/// estimates with steps h and 2h agree and every sample is finite. `None` near kinks, poles and
/// domain edges.
fn trusted_difference(f: &dyn Fn([f64; 2]) -> f64, p: [f64; 2], i: usize) -> Option<f64> {
    let h = 1e-4 * (1.0 + p[i].abs());
    let d1 = central(f, p, i, h);
    let d2 = central(f, p, i, 2.0 * h);
    let scale = 1.0 + d1.abs() + f(p).abs();
    (d1.is_finite() && d2.is_finite() && (d1 - d2).abs() <= 1e-6 * scale).then_some(d1)
}

fn close(exact: f64, approx: f64, scale: f64) -> bool {
    (exact - approx).abs() <= 1e-5 * (1.0 + exact.abs().max(scale))
}

#[test]
fn gradient_and_hessian_match_central_differences_on_random_expressions() {
    let checked = AtomicUsize::new(0);
    let total = AtomicUsize::new(0);
    runner(1500)
        .run(&(expression(), point()), |(e, p)| {
            total.fetch_add(1, Ordering::Relaxed);
            let s = ExprSurface::new(e.clone(), DEFAULT_VIEW);
            let v = s.value(p);
            if !v.is_finite() || v.abs() > 1e6 {
                return Ok(());
            }
            let f = |q: [f64; 2]| s.value(q);
            let g = s.gradient(p);
            let hess = s.hessian(p);
            let mut all = true;
            for i in 0..2 {
                // The gradient against differences of f.
                match trusted_difference(&f, p, i) {
                    Some(d) => prop_assert!(
                        close(g[i], d, v.abs()),
                        "{e} at {p:?}: ∂f/∂{} = {} by AD, {d} by differences",
                        ["x", "y"][i],
                        g[i]
                    ),
                    None => all = false,
                }
                // Each Hessian column against differences of the exact gradient.
                for j in 0..2 {
                    let gj = |q: [f64; 2]| s.gradient(q)[j];
                    match trusted_difference(&gj, p, i) {
                        Some(d) => prop_assert!(
                            close(hess[j][i], d, g[j].abs()),
                            "{e} at {p:?}: H[{j}][{i}] = {} by AD, {d} by differences",
                            hess[j][i]
                        ),
                        None => all = false,
                    }
                }
            }
            prop_assert_eq!(hess[0][1], hess[1][0], "the Hessian is symmetric");
            // The value carried by the dual numbers is the plain value, bit for bit.
            prop_assert_eq!(s.dual(p).v.to_bits(), v.to_bits());
            if all {
                checked.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        })
        .unwrap();
    let (checked, total) = (checked.into_inner(), total.into_inner());
    eprintln!("{checked} of {total} cases compared in full");
    // Most random expressions are smooth and finite at most points: the test really compares.
    assert!(
        checked * 3 >= total,
        "only {checked} of {total} cases were compared in full"
    );
}

#[test]
fn derivatives_of_every_function_are_exact_at_sample_points() {
    // f, ∂f/∂x, ∂²f/∂x² worked out by hand, at x = 0.7 (y unused).
    let x: f64 = 0.7;
    let s = 1.0 / (1.0 + (-x).exp());
    let cases: [(&str, f64, f64, f64); 12] = [
        ("sin(x)", x.sin(), x.cos(), -x.sin()),
        ("cos(x)", x.cos(), -x.sin(), -x.cos()),
        (
            "tan(x)",
            x.tan(),
            1.0 + x.tan().powi(2),
            2.0 * x.tan() * (1.0 + x.tan().powi(2)),
        ),
        ("exp(x)", x.exp(), x.exp(), x.exp()),
        ("log(x)", x.ln(), 1.0 / x, -1.0 / (x * x)),
        ("sqrt(x)", x.sqrt(), 0.5 / x.sqrt(), -0.25 / (x * x.sqrt())),
        ("abs(x)", x, 1.0, 0.0),
        (
            "tanh(x)",
            x.tanh(),
            1.0 - x.tanh().powi(2),
            -2.0 * x.tanh() * (1.0 - x.tanh().powi(2)),
        ),
        (
            "sigmoid(x)",
            s,
            s * (1.0 - s),
            s * (1.0 - s) * (1.0 - 2.0 * s),
        ),
        ("x^3", x.powi(3), 3.0 * x * x, 6.0 * x),
        (
            "2^x",
            2f64.powf(x),
            2f64.powf(x) * 2f64.ln(),
            2f64.powf(x) * 2f64.ln().powi(2),
        ),
        ("1/x", 1.0 / x, -1.0 / (x * x), 2.0 / (x * x * x)),
    ];
    for (text, f, d1, d2) in cases {
        let d = surface(text).dual([x, 0.3]);
        let ok = |a: f64, b: f64| (a - b).abs() <= 1e-14 * (1.0 + b.abs());
        assert!(
            ok(d.v, f) && ok(d.g[0], d1) && ok(d.h[0], d2),
            "{text}: got {d:?}, want {f}, {d1}, {d2}"
        );
        assert_eq!((d.g[1], d.h[1], d.h[2]), (0.0, 0.0, 0.0), "{text}");
    }
    // Mixed partials: f = x^y, ∂²f/∂x∂y = x^(y−1)(1 + y ln x).
    let (x, y): (f64, f64) = (1.7, 2.3);
    let d = surface("x^y").dual([x, y]);
    let want = x.powf(y - 1.0) * (1.0 + y * x.ln());
    assert!((d.h[1] - want).abs() < 1e-13 * want.abs(), "{d:?}");
}

#[test]
fn kinks_and_ties_use_the_documented_subgradients() {
    // |x| has slope 0 at 0.
    let d = surface("abs(x) + abs(y - 1)").dual([0.0, 1.0]);
    assert_eq!((d.v, d.g), (0.0, [0.0, 0.0]));
    // min and max at a tie average the two branches.
    let d = surface("min(x, y)").dual([0.5, 0.5]);
    assert_eq!(d.g, [0.5, 0.5]);
    let d = surface("max(x^2, 2*y)").dual([2.0, 2.0]);
    assert_eq!((d.v, d.g, d.h), (4.0, [2.0, 1.0], [1.0, 0.0, 0.0]));
    // Away from the tie, the branch that wins.
    assert_eq!(surface("min(x, y)").dual([0.2, 0.5]).g, [1.0, 0.0]);
    assert_eq!(surface("max(x, y)").dual([0.2, 0.5]).g, [0.0, 1.0]);
    // x^1 and x^0 have finite derivatives at 0; x^2 is exact at negative x.
    assert_eq!(surface("x^1 + y^0").dual([0.0, 0.0]).g, [1.0, 0.0]);
    assert_eq!(surface("x^2").dual([-3.0, 0.0]).g, [-6.0, 0.0]);
    assert_eq!(surface("x^2").dual([-3.0, 0.0]).h, [2.0, 0.0, 0.0]);
}

#[test]
fn domain_errors_are_nan_or_infinite_never_a_panic() {
    let s = surface("log(x) + sqrt(y) + 1/(x - 1) + x^y");
    for p in [[-1.0, -1.0], [0.0, 0.0], [1.0, 4.0], [-2.0, 0.5]] {
        let (v, g, h) = (s.value(p), s.gradient(p), s.hessian(p));
        assert!(
            !(v.is_finite() && g.iter().chain(h.iter().flatten()).all(|c| c.is_finite())),
            "{p:?}: {v} {g:?} {h:?}"
        );
    }
    // NaN propagates through min and max (f64::min would drop it).
    assert!(value("min(log(x), 1)", -1.0, 0.0).is_nan());
    assert!(value("max(0, sqrt(x))", -1.0, 0.0).is_nan());
    assert_eq!(value("1/x", 0.0, 0.0), f64::INFINITY);
}

// ---------------------------------------------------------------------------------------------
// Grammar.

#[test]
fn precedence_and_associativity_are_those_of_mathematics() {
    let cases: [(&str, f64); 16] = [
        ("-x^2", -9.0),
        ("-2^2", -4.0),
        ("(-x)^2", 9.0),
        ("2^3^2", 512.0),
        ("2^-1", 0.5),
        ("2^-x", 0.125),
        ("x - y - 1", 3.0 - 2.0 - 1.0),
        ("24/x/y", 4.0),
        ("1 + 2*x^2", 19.0),
        ("-x*y", -6.0),
        ("x*-y", -6.0),
        ("--x", 3.0),
        ("+x", 3.0),
        ("x**2", 9.0),
        ("1e-3 + .5 + 2.", 2.501),
        ("min(x, y) + max(x, y) + pow(y, 3)", 2.0 + 3.0 + 8.0),
    ];
    for (text, want) in cases {
        let got = value(text, 3.0, 2.0);
        assert!((got - want).abs() < 1e-12, "{text} = {got}, want {want}");
    }
    assert_eq!(value("pi", 0.0, 0.0), std::f64::consts::PI);
    assert_eq!(value("e", 0.0, 0.0), std::f64::consts::E);
    assert_eq!(value("sigmoid(0)", 0.0, 0.0), 0.5);
    assert_eq!(value("  x\t+\ny ", 1.0, 2.0), 3.0);
}

#[test]
fn the_normalised_text_is_canonical() {
    let cases = [
        ("x^2+10*y^2", "x^2 + 10*y^2"),
        ("((x))", "x"),
        ("-(x^2)", "-x^2"),
        ("(-x)^2", "(-x)^2"),
        ("(2^3)^2", "(2^3)^2"),
        ("2^(3^2)", "2^3^2"),
        ("x-(y-1)", "x - (y - 1)"),
        ("(x-y)-1", "x - y - 1"),
        ("x/(y*2)", "x/(y*2)"),
        ("-(-x)", "-(-x)"),
        ("x**2 + π", "x^2 + pi"),
        ("1e-3*x + 1E2 + 0.50", "0.001*x + 100 + 0.5"),
        ("1e-7 + 1e20", "1e-7 + 1e20"),
        ("min(x,y)", "min(x, y)"),
        ("sin( x )*cos(y)", "sin(x)*cos(y)"),
    ];
    for (text, want) in cases {
        let e = parse(text).unwrap_or_else(|err| panic!("{text}: {err}"));
        assert_eq!(e.to_string(), want, "{text}");
        assert_eq!(surface(text).formula(), want);
    }
}

#[test]
fn printed_expressions_parse_back_to_the_same_tree() {
    runner(2000)
        .run(&expression(), |e| {
            let text = e.to_string();
            let back = parse(&text).map_err(|err| {
                TestCaseError::fail(format!("{e:?} printed as {text:?}, which fails: {err}"))
            })?;
            prop_assert_eq!(&back, &e, "printed as {:?}", text);
            prop_assert_eq!(back.to_string(), text);
            Ok(())
        })
        .unwrap();
}

#[test]
fn errors_say_what_and_where() {
    let cases = [
        (
            "sinn(x)",
            "unknown function 'sinn' at 0..4; did you mean 'sin'?",
        ),
        (
            "x^2 + 10*y^2)",
            "unexpected ')' at 12; there is no '(' for it to close",
        ),
        ("sin(x + (y*2", "missing ')' at 12; to close the '(' at 8"),
        ("2x", "unexpected 'x' at 1; write * for a product, e.g. 2*x"),
        ("x + * y", "unexpected '*' at 4"),
        ("x +", "the expression ends too early at 3"),
        ("min(x)", "min takes 2 arguments, not 1 at 0..6"),
        ("sin(x, y)", "sin takes 1 argument, not 2 at 0..9"),
        ("z + 1", "unknown name 'z' at 0; the variables are x and y"),
        ("x # y", "unexpected character '#' at 2"),
        ("1e999*x", "number '1e999' is too large at 0..5"),
        ("sin + 1", "'sin' is a function at 0..3; write sin(...)"),
        ("ln(x)", "unknown function 'ln' at 0..2; write log(...)"),
        ("", "the expression is empty at 0"),
        ("   ", "the expression is empty at 0..3"),
        ("(x))", "unexpected ')' at 3"),
        ("sin(x y)", "unexpected 'y' at 6"),
    ];
    for (text, want) in cases {
        let got = error(text);
        assert!(
            got.starts_with(want),
            "{text:?}: got {got:?}, want {want:?}…"
        );
    }
    // The span is in characters, not bytes.
    assert!(error("π·sinn(x)").starts_with("unknown function 'sinn' at 2..6"));
    let e = parse("x + sinn(y)").unwrap_err();
    assert_eq!(e.span, (4, 8));
}

#[test]
fn length_and_depth_are_limited_with_a_message() {
    let long = format!("x{}", " + x".repeat(MAX_LEN));
    let got = error(&long);
    assert!(got.starts_with("the expression is too long"), "{got}");
    let ok = format!("x{}", "+x".repeat((MAX_LEN - 1) / 2));
    assert!(ok.chars().count() <= MAX_LEN);
    assert!(parse(&ok).is_ok());

    let nested = |n: usize| format!("{}x{}", "(".repeat(n), ")".repeat(n));
    assert!(parse(&nested(MAX_DEPTH - 1)).is_ok());
    let got = error(&nested(MAX_DEPTH));
    assert!(got.starts_with("nested too deeply"), "{got}");
    for deep in [
        "-".repeat(400) + "x",
        "x^".repeat(200) + "x",
        "sin(".repeat(80) + "x" + &")".repeat(80),
        "(".repeat(MAX_LEN),
    ] {
        let got = error(&deep);
        assert!(got.contains("nested too deeply"), "{got}");
    }
}

/// Strings close to the grammar: its tokens and a few stray characters, glued at random.
fn near_grammar() -> impl Strategy<Value = String> {
    let tokens = vec![
        "x", "y", "pi", "e", "1", "0", "2.5", "1e-3", "1e", ".", "e+", "+", "-", "*", "/", "^",
        "**", "(", ")", ",", " ", "sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh",
        "sigmoid", "min", "max", "pow", "sinn", "π", "−", "#", "é", "\u{0}", "1e308", "9e999",
    ];
    proptest::collection::vec(proptest::sample::select(tokens), 0..40).prop_map(|t| t.concat())
}

#[test]
fn fuzz_arbitrary_text_never_panics() {
    let text = prop_oneof![
        2 => near_grammar(),
        1 => any::<String>(),
        1 => "[-+*/^(),.0-9a-z ]{0,80}",
        1 => proptest::collection::vec(any::<char>(), 0..600)
            .prop_map(|c| c.into_iter().collect::<String>()),
    ];
    runner(2000)
        .run(&text, |text| {
            match parse(&text) {
                Ok(e) => {
                    // What parses prints back to itself and evaluates without panicking.
                    let printed = e.to_string();
                    let back = parse(&printed);
                    prop_assert_eq!(back.as_ref(), Ok(&e));
                    let s = ExprSurface::new(e, DEFAULT_VIEW);
                    for p in [[0.0, 0.0], [1.0, -1.0], [-3.0, 3.0], [f64::NAN, 1.0]] {
                        let _ = (s.value(p), s.gradient(p), s.hessian(p));
                    }
                    let _ = (s.start(), s.minima(), s.default_noise());
                }
                Err(err) => {
                    let n = text.chars().count();
                    prop_assert!(err.span.0 <= err.span.1 && err.span.1 <= n, "{err:?}");
                    prop_assert!(err.to_string().contains(" at "), "{err}");
                }
            }
            // Through the options too: a rejection, never a panic, and nothing changes.
            let mut o = Options::default();
            let before = o.clone();
            let a = apply_all(&mut o, &[("expr".into(), Value::Str(text.clone()))], None).unwrap();
            if !a.notices.is_empty() {
                prop_assert_eq!(&o, &before);
            }
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------------------------------------
// The surface.

#[test]
fn an_expression_is_a_surface_with_view_start_and_honest_minima() {
    let s = surface("x^2 + 10*y^2");
    assert_eq!(s.name(), "expr");
    assert_eq!(s.view(), DEFAULT_VIEW);
    assert_eq!(s.start(), [1.5, 1.5]);
    assert!(s.is_quadratic());
    assert_eq!(s.minima().len(), 1);
    let m = s.minima()[0];
    assert!(
        m.at[0].abs() < 1e-12 && m.at[1].abs() < 1e-12 && !m.global,
        "{m:?}"
    );
    assert_eq!(s.hessian([0.3, -2.0]), [[2.0, 0.0], [0.0, 20.0]]);

    // Himmelblau typed by hand: its four minima, all found and Newton-exact.
    let view = View {
        x: (-5.0, 5.0),
        y: (-5.0, 5.0),
    };
    let h = ExprSurface::parse("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", view).unwrap();
    assert!(!h.is_quadratic());
    assert_eq!(h.minima().len(), 4, "{:?}", h.minima());
    for m in h.minima() {
        assert!(m.value.abs() < 1e-20, "{m:?}");
    }
    assert!(h
        .minima()
        .iter()
        .any(|m| (m.at[0] - 3.0).abs() < 1e-12 && (m.at[1] - 2.0).abs() < 1e-12));

    // A saddle has none, nor has a degenerate critical point (x³ at 0, where Newton ends with a
    // Hessian positive to rounding).
    assert!(surface("x^2 - y^2").minima().is_empty());
    assert!(surface("x^3 + y^2").minima().is_empty());
    assert!(surface("sin(3*x) + y^2").minima().len() >= 2);

    // The start avoids points where f is not finite.
    let s = surface("log(-x) + y^2");
    assert!(s.value(s.start()).is_finite(), "{:?}", s.start());
    assert!(s.start()[0] < 0.0);
    // f infinite everywhere: rejected with a message.
    let e = ExprSurface::parse("1/0 + x", DEFAULT_VIEW).unwrap_err();
    assert_eq!(e.option, "expr");
    assert!(e.message.contains("not finite anywhere"), "{}", e.message);
}

#[test]
fn optimizers_run_on_an_expression_like_on_the_built_in_ravine() {
    let typed = surface("x^2 + 10*y^2");
    let ravine = gdviz::surface::by_name("ravine").unwrap();
    for p in [[-8.0, 4.0], [0.3, -0.7], [2.5, 1.0]] {
        assert_eq!(typed.gradient(p), ravine.gradient(p));
        assert_eq!(typed.hessian(p), ravine.hessian(p));
        let (a, b) = (typed.value(p), ravine.value(p));
        assert!((a - b).abs() <= 1e-15 * b.abs(), "{a} vs {b}");
    }
}

// ---------------------------------------------------------------------------------------------
// Options (the page, the URL and the JavaScript API).

fn str(v: &str) -> Value {
    Value::Str(v.into())
}

#[test]
fn the_expr_option_switches_to_the_typed_surface() {
    let mut o = Options::default();
    let a = apply_all(
        &mut o,
        &[
            ("expr".into(), str("x^2+10*y^2")),
            ("lr".into(), Value::Num(0.05)),
        ],
        None,
    )
    .unwrap();
    assert!(a.notices.is_empty(), "{:?}", a.notices);
    assert_eq!(o.surface, "expr");
    assert_eq!(o.expr.as_deref(), Some("x^2 + 10*y^2"));
    assert_eq!(a.computed.surface.formula(), "x^2 + 10*y^2");
    assert_eq!(a.computed.surface.view(), DEFAULT_VIEW);

    // A bad expression: a notice with the position, and nothing changes.
    let before = o.clone();
    let a = apply_all(&mut o, &[("expr".into(), str("x^2 + sinn(y)"))], None).unwrap();
    assert_eq!(
        a.notices,
        vec!["expr: unknown function 'sinn' at 6..10; did you mean 'sin'?".to_string()]
    );
    assert_eq!(o, before);
    assert_eq!(a.computed.surface.formula(), "x^2 + 10*y^2");
    let a = apply_all(&mut o, &[("expr".into(), Value::Num(3.0))], None).unwrap();
    assert_eq!(a.notices.len(), 1);
    assert_eq!(o, before);

    // `surface: "expr"` (what state() reports) changes nothing; a catalog name leaves.
    let a = apply_all(&mut o, &[("surface".into(), str("expr"))], None).unwrap();
    assert!(a.notices.is_empty());
    assert_eq!(o, before);
    apply_all(&mut o, &[("surface".into(), str("booth"))], None).unwrap();
    assert_eq!((o.surface.as_str(), o.expr.as_deref()), ("booth", None));

    // Both at once: the expression wins.
    apply_all(
        &mut o,
        &[
            ("surface".into(), str("beale")),
            ("expr".into(), str("x*y")),
        ],
        None,
    )
    .unwrap();
    assert_eq!(
        (o.surface.as_str(), o.expr.as_deref()),
        ("expr", Some("x*y"))
    );
}

#[test]
fn the_view_of_an_expression_is_settable_and_validated() {
    let mut o = Options::default();
    let a = apply_all(&mut o, &[("xrange".into(), Value::Pair(0.0, 1.0))], None).unwrap();
    assert_eq!(a.notices.len(), 1, "only for expressions");
    let a = apply_all(
        &mut o,
        &[
            ("expr".into(), str("sin(x) + y^2")),
            ("xrange".into(), Value::Pair(-10.0, 10.0)),
            ("yrange".into(), str("-1, 2")),
        ],
        None,
    )
    .unwrap();
    assert!(a.notices.is_empty(), "{:?}", a.notices);
    assert_eq!(
        a.computed.surface.view(),
        View {
            x: (-10.0, 10.0),
            y: (-1.0, 2.0)
        }
    );
    let before = o.clone();
    for bad in [
        Value::Pair(2.0, 1.0),
        Value::Pair(0.0, f64::INFINITY),
        Value::Pair(0.0, 1e-9),
        Value::Pair(-1e7, 0.0),
        str("1;2"),
        Value::Num(4.0),
    ] {
        let a = apply_all(&mut o, &[("xrange".into(), bad.clone())], None).unwrap();
        assert_eq!(a.notices.len(), 1, "{bad:?}");
        assert!(a.notices[0].starts_with("xrange: "), "{:?}", a.notices);
        assert_eq!(o, before);
    }
    // A view where f is nowhere finite is refused.
    apply_all(&mut o, &[("expr".into(), str("log(x)"))], None).unwrap();
    let before = o.clone();
    let a = apply_all(&mut o, &[("xrange".into(), Value::Pair(-5.0, -1.0))], None).unwrap();
    assert!(
        a.notices[0].contains("not finite anywhere"),
        "{:?}",
        a.notices
    );
    assert_eq!(o, before);
    // null: back to the default; a catalog surface forgets the view.
    apply_all(&mut o, &[("xrange".into(), Value::Null)], None).unwrap();
    assert_eq!(o.xrange, None);
    assert_eq!(o.yrange, Some((-1.0, 2.0)));
    apply_all(&mut o, &[("surface".into(), str("booth"))], None).unwrap();
    assert_eq!((o.xrange, o.yrange), (None, None));
    // A typed surface's own start point, or a start inside the new view, is kept.
    apply_all(
        &mut o,
        &[
            ("expr".into(), str("x^2 + y^2")),
            ("start".into(), Value::Pair(2.0, 2.0)),
        ],
        None,
    )
    .unwrap();
    apply_all(&mut o, &[("xrange".into(), Value::Pair(-4.0, 4.0))], None).unwrap();
    assert_eq!(o.start, Some([2.0, 2.0]));
    apply_all(&mut o, &[("xrange".into(), Value::Pair(-1.0, 1.0))], None).unwrap();
    assert_eq!(o.start, None);
}

// ---------------------------------------------------------------------------------------------
// The command line.

fn rows(o: &Output) -> Vec<Vec<f64>> {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout.clone()).unwrap();
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("step,x,y,loss,lr"));
    // step, x, y, loss (the lr column, empty on row 0, is the CLI tests' to check).
    lines
        .map(|l| l.split(',').take(4).map(|v| v.parse().unwrap()).collect())
        .collect()
}

#[test]
fn cli_trace_of_a_typed_quadratic_equals_the_built_in_ravine() {
    let common = ["--start", "-8,4", "--lr", "0.05", "--steps", "50"];
    let typed = rows(&gdviz(
        &[&["trace", "--expr", "x^2 + 10*y^2"][..], &common[..]].concat(),
    ));
    let ravine = rows(&gdviz(
        &[&["trace", "--surface", "ravine"][..], &common[..]].concat(),
    ));
    assert_eq!(typed.len(), 51);
    assert_eq!(typed.len(), ravine.len());
    for (a, b) in typed.iter().zip(&ravine) {
        for (u, v) in a.iter().zip(b) {
            assert!(
                (u - v).abs() <= 1e-12 * v.abs().max(f64::MIN_POSITIVE),
                "{a:?} vs {b:?}"
            );
        }
    }
    // Another optimizer and a view of its own.
    let o = gdviz(&[
        "trace",
        "--expr",
        "-x^2 + (y - 1)^2 + 0.1*x^4",
        "--optimizer",
        "adam",
        "--lr",
        "0.1",
        "--xrange",
        "-4,4",
        "--yrange=-2,2",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["surface"], "expr");
    assert_eq!(json["start"], serde_json::json!([2.0, 1.0]));
}

#[test]
fn cli_bad_expressions_exit_2_with_the_position() {
    for (args, want) in [
        (
            vec!["--expr", "x^2 + sinn(y)"],
            "error: invalid --expr: unknown function 'sinn' at 6..10",
        ),
        (
            vec!["--expr", "(x + y"],
            "error: invalid --expr: missing ')' at 6",
        ),
        (
            vec!["--expr", "x y"],
            "error: invalid --expr: unexpected 'y' at 2",
        ),
        (
            vec!["--expr", "x", "--xrange", "1,1"],
            "error: invalid --xrange: min must be below max",
        ),
        (
            vec!["--expr", "x", "--surface", "booth"],
            "--expr cannot be given with --surface",
        ),
        (vec!["--xrange", "0,1"], "--expr"),
    ] {
        let o = gdviz(&[&["trace"][..], &args[..]].concat());
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn the_expression_module_name_is_the_surface_name() {
    assert_eq!(expr::NAME, "expr");
}

// ---------------------------------------------------------------------------------------------
// Pinned by cargo-mutants (MUTANTS.md): the polynomial degree behind the exact-threshold caption,
// the node count, and the numerics of powers, the logistic function and constant exponents.

/// The degree read off an expression: a negation keeps it, a division only by a constant keeps
/// it, a power only by a whole number from 0 to 64 multiplies it; anything else is no polynomial.
#[test]
fn degrees_by_hand() {
    let degree = |t: &str| parse(t).unwrap().degree();
    assert_eq!(degree("-(x^2)"), Some(2));
    assert_eq!(degree("x^2/2 + y"), Some(2));
    assert_eq!(degree("x/y"), None);
    assert_eq!(degree("x^2.5"), None);
    assert_eq!(degree("x^65"), None);
    assert_eq!(degree("x^64"), Some(64));
    assert_eq!(degree("(x*y)^3"), Some(6));
    assert_eq!(degree("sin(x)"), None);
    assert_eq!(degree("7 + pi"), Some(0));
    // The caption's "exact" follows: a quadratic's threshold holds everywhere.
    assert!(surface("-(x^2) - x*y/4").is_quadratic());
    assert!(!surface("x^2/y").is_quadratic());
}

/// Nodes counted by hand: x + 2·y is +(x, ·(2, y)), five; −sin(x) is three.
#[test]
fn sizes_by_hand() {
    assert_eq!(parse("x + 2*y").unwrap().size(), 5);
    assert_eq!(parse("-sin(x)").unwrap().size(), 3);
    assert_eq!(parse("x").unwrap().size(), 1);
}

/// Small whole powers are repeated multiplication (1.3³ = 1.3·1.3·1.3 = 2.1970000000000005,
/// where `powf` gives 2.197); σ is 1/(1 + e^−a) without overflow on either side; a constant
/// exponent that is an expression, (x)^(1+1), takes the power rule, which holds for negative x.
#[test]
fn powers_and_the_logistic_function_by_hand() {
    assert_eq!(value("x^3", 1.3, 0.0), 1.3 * 1.3 * 1.3);
    assert_eq!(value("x^3", 1.3, 0.0), 2.1970000000000005);
    assert_eq!(value("sigmoid(x)", 800.0, 0.0), 1.0);
    assert_eq!(
        value("sigmoid(x)", -800.0, 0.0),
        0.0f64.max(value("sigmoid(x)", -800.0, 0.0))
    );
    assert!(value("sigmoid(x)", -800.0, 0.0) < 1e-300);
    assert_eq!(
        value("sigmoid(x)", -1.0, 0.0),
        (-1f64).exp() / (1.0 + (-1f64).exp())
    );
    assert_eq!(value("sigmoid(x)", 1.0, 0.0), 1.0 / (1.0 + (-1f64).exp()));
    let s = surface("x^(1+1)");
    assert_eq!(s.gradient([-2.0, 0.0]), [-4.0, 0.0]);
    assert_eq!(s.hessian([-2.0, 0.0]), [[2.0, 0.0], [0.0, 0.0]]);
}

// ---------------------------------------------------------------------------------------------
// Pinned by cargo-mutants: the typed f's default noise, its minima where the grid alone would
// mislead, the view's exact limits, two parse hints and the torch export.

/// The default noise is a tenth of the median gradient norm over a 9×9 grid, to one significant
/// digit, worked out by hand: on x² + y² + 3y the 81 norms of (2x, 2y + 3) have median 6 (the
/// 40th is 5.41), so 0.6; on x² + 10y² the median is 30.34, so 3; a constant f has no slope: 1.
#[test]
fn default_noise_is_a_tenth_of_the_median_gradient_norm_to_one_digit() {
    let noise = |t: &str| surface(t).default_noise();
    assert!((noise("x^2 + y^2 + 3*y") - 0.6).abs() < 1e-15);
    assert_eq!(noise("x^2 + 10*y^2"), 3.0);
    assert_eq!(noise("1 + 0*x"), 1.0);
    // On an asymmetric view, x ∈ [0, 4] and y ∈ [−1, 2]: the median norm is 17.95, so 2.
    let view = View {
        x: (0.0, 4.0),
        y: (-1.0, 2.0),
    };
    let s = ExprSurface::parse("x^2 + 10*y^2", view).unwrap();
    assert_eq!(s.default_noise(), 2.0);
}

/// Minima that share a coordinate are distinct minima: (x² − 1)² + y² has two, at (±1, 0), and
/// x² + (y² − 1)² two, at (0, ±1).
#[test]
fn minima_sharing_a_coordinate_are_all_reported() {
    for (text, want) in [
        ("(x^2 - 1)^2 + y^2", [[-1.0, 0.0], [1.0, 0.0]]),
        ("x^2 + (y^2 - 1)^2", [[0.0, -1.0], [0.0, 1.0]]),
    ] {
        let s = surface(text);
        let mut at: Vec<[f64; 2]> = s.minima().iter().map(|m| m.at).collect();
        at.sort_by(|a, b| a.partial_cmp(b).unwrap());
        assert_eq!(at.len(), 2, "{text}: {at:?}");
        for (a, w) in at.iter().zip(want) {
            assert!(
                (a[0] - w[0]).abs() < 1e-12 && (a[1] - w[1]).abs() < 1e-12,
                "{text}: {at:?}"
            );
        }
    }
}

/// Every dip of a tilted washboard, −cos(2πx) + x/10 + y², is a local minimum, at
/// x = k − asin(1/(20π))/(2π) for k = −2…2 (the dips at ±3 lie outside the view or on its
/// edge): a lower dip one unit away does not hide them.
#[test]
fn every_dip_of_a_tilted_washboard_is_a_minimum() {
    let s = surface("-cos(2*pi*x) + x/10 + y^2");
    let shift = (1.0 / (20.0 * std::f64::consts::PI)).asin() / std::f64::consts::TAU;
    let mut at: Vec<[f64; 2]> = s.minima().iter().map(|m| m.at).collect();
    at.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(at.len(), 5, "{at:?}");
    for (a, k) in at.iter().zip(-2..=2) {
        assert!(
            (a[0] - (k as f64 - shift)).abs() < 1e-12 && a[1].abs() < 1e-12,
            "{at:?}"
        );
    }
}

/// The grid's candidates are points lower than all eight neighbours: on a surface with two deep
/// dips and a shallow one, each stretched along the other axis by a small quadratic, all three
/// are found (points lower than only some neighbours would crowd the shallow dip out).
#[test]
fn minima_of_three_dips_are_all_found_along_either_axis() {
    for (text, axis) in [
        ("(x^2 - 4)^2*x^2/4 + 0.3*cos(pi*x/2) + 0.01*y^2", 0),
        ("(y^2 - 4)^2*y^2/4 + 0.3*cos(pi*y/2) + 0.01*x^2", 1),
    ] {
        let s = surface(text);
        let mut along: Vec<f64> = s.minima().iter().map(|m| m.at[axis]).collect();
        along.sort_by(f64::total_cmp);
        assert_eq!(along.len(), 3, "{text}: {:?}", s.minima());
        for (a, w) in along.iter().zip([-2.0, 0.0, 2.0]) {
            assert!((a - w).abs() < 1e-9, "{text}: {along:?}");
        }
    }
}

/// A minimum found on an asymmetric view is reported once: x ∈ [−5, 1] puts the minimum of
/// (x + 2)² + y² off centre, and the view's width (6, not −4) sets what counts as the same point.
#[test]
fn a_minimum_on_an_asymmetric_view_is_reported_once() {
    let view = View {
        x: (-5.0, 1.0),
        y: (-3.0, 3.0),
    };
    let s = ExprSurface::parse("(x + 2)^2 + y^2", view).unwrap();
    assert_eq!(s.minima().len(), 1, "{:?}", s.minima());
    let m = s.minima()[0];
    assert!(
        (m.at[0] + 2.0).abs() < 1e-12 && m.at[1].abs() < 1e-12,
        "{m:?}"
    );
}

/// A point with a lower point a thousandth of the view away (here a narrow well at distance
/// 0.0055 straight up, the view 6 wide) is not claimed as a minimum: at the view's resolution it
/// is not one, whichever direction the lower point lies in.
#[test]
fn a_point_with_a_lower_point_nearby_is_not_a_minimum() {
    for text in [
        "x^2 + y^2 - exp(-(x^2 + (y - 0.0055)^2)*1e6)",
        "x^2 + y^2 - exp(-((x + 0.0055)^2 + y^2)*1e6)",
    ] {
        let s = surface(text);
        assert!(s.minima().is_empty(), "{text}: {:?}", s.minima());
    }
    // Without the well, the bowl's minimum is found.
    assert_eq!(surface("x^2 + y^2").minima().len(), 1);
}

/// The start is where ∇f ≠ 0: with the minimum at (¾, ¾) of the view, (1.5, 1.5), the start is
/// the next quarter point, (−1.5, 1.5).
#[test]
fn the_start_is_not_a_stationary_point() {
    let s = surface("(x - 1.5)^2 + (y - 1.5)^2");
    assert_eq!(s.start(), [-1.5, 1.5]);
}

/// A view may reach exactly ±10⁶ and be exactly 10⁻⁶ wide; a hair beyond either is refused.
#[test]
fn view_limits_are_inclusive() {
    assert_eq!(expr::check_range("xrange", (-1e6, 1e6)), Ok((-1e6, 1e6)));
    assert!(expr::check_range("xrange", (-1e6 * (1.0 + f64::EPSILON), 0.0)).is_err());
    assert!(expr::check_range("xrange", (0.0, 1e6 * (1.0 + f64::EPSILON))).is_err());
    assert_eq!(expr::check_range("yrange", (0.0, 1e-6)), Ok((0.0, 1e-6)));
    assert!(expr::check_range("yrange", (0.0, 0.99e-6)).is_err());
}

/// Hints: the superscript ² is answered with x^2, a near-miss of a constant with its name, a
/// name two edits from a function with that function if it has at least four letters (`sigmd`),
/// not if it is shorter (`sx`), nor a name three edits away (`sinnnn`), which get the list of
/// functions instead.
#[test]
fn hints_for_a_superscript_and_a_misspelt_constant() {
    assert!(
        error("x²").starts_with("unexpected character '²' at 1; write x^2"),
        "{}",
        error("x²")
    );
    assert!(
        error("pie + x").starts_with("unknown name 'pie' at 0..3; did you mean 'pi'?"),
        "{}",
        error("pie + x")
    );
    assert!(
        error("sigmd(x)").starts_with("unknown function 'sigmd' at 0..5; did you mean 'sigmoid'?"),
        "{}",
        error("sigmd(x)")
    );
    assert!(
        error("sx(x)").starts_with("unknown function 'sx' at 0..2; the functions are sin, "),
        "{}",
        error("sx(x)")
    );
    assert!(
        error("sinnnn(x)").starts_with("unknown function 'sinnnn' at 0..6; the functions are "),
        "{}",
        error("sinnnn(x)")
    );
}

/// A typed f exports to PyTorch as one `return` of the expression in x and y, fully bracketed.
#[test]
fn a_typed_f_exports_to_torch() {
    let t = surface("x*y + sin(x)").torch_code().unwrap();
    assert_eq!(t.params, "x, y");
    assert_eq!(t.value, vec!["return ((x * y) + torch.sin(x))".to_string()]);
    assert!(t.helpers.is_empty() && t.examples.is_none());
}

/// The grid spans the whole view, edge to edge: a minimum a hair inside the far corner, at
/// (2.88, 2.88) of [−3, 3]², is found.
#[test]
fn a_minimum_near_the_far_corner_is_found() {
    let s = surface("(x - 2.88)^2 + (y - 2.88)^2");
    assert_eq!(s.minima().len(), 1, "{:?}", s.minima());
    let m = s.minima()[0];
    assert!(
        (m.at[0] - 2.88).abs() < 1e-12 && (m.at[1] - 2.88).abs() < 1e-12,
        "{m:?}"
    );
}

/// The NumPy export keeps an array on one line while its entries and their separators fit in 72
/// characters, and puts one entry a line past that: ∇(2.5·x·sin(x + y)) just fits (68 characters
/// of entries, 4 of separators), ∇(0.25·eˣ·tanh y) is one character over.
#[test]
fn numpy_arrays_wrap_past_72_characters() {
    let gradient = |t: &str| {
        expr::numpy_code(&parse(t).unwrap())
            .gradient
            .last()
            .unwrap()
            .clone()
    };
    assert_eq!(
        gradient("2.5*x*sin(x+y)"),
        "return np.array([2.5 * np.sin(x + y) + 2.5 * x * np.cos(x + y), 2.5 * x * np.cos(x + y)])"
    );
    assert_eq!(
        gradient("0.25*exp(x)*tanh(y)"),
        "return np.array([\n    0.25 * np.exp(x) * np.tanh(y),\n    0.25 * np.exp(x) * (1 - np.tanh(y) ** 2),\n])"
    );
}

// Pinned by cargo-mutants (second batch): a power's curved exponent, the NumPy export's folded
// numbers and bracketed signs, the typed f's NumPy code and note, a valley of minima, and the
// hint after a stray comma.

/// A power whose exponent is flat at a point but curved there keeps that curvature: x^(y²) at
/// (2, 0) has ∇f = 0 and ∂²f/∂y² = 2 ln 2 (the constant-exponent shortcut would give 0).
#[test]
fn a_flat_but_curved_exponent_keeps_its_curvature() {
    let s = surface("x^(y^2)");
    assert_eq!(s.value([2.0, 0.0]), 1.0);
    assert_eq!(s.gradient([2.0, 0.0]), [0.0, 0.0]);
    let h = s.hessian([2.0, 0.0]);
    assert_eq!([h[0][0], h[0][1], h[1][0]], [0.0; 3], "{h:?}");
    assert!((h[1][1] - 1.3862943611198906).abs() < 1e-15, "{h:?}");
}

/// The NumPy export folds the numbers a derivative leaves, as a person would write them:
/// ∂(3x + 2x)/∂x is 5, ∂(3x − 2x)/∂x is 1, ∂(x/4)/∂x is 0.25, ∂(−x + 3x)/∂x is 2 (a negated
/// number is a number too), and x⁻²'s derivative lowers the power to −3.0 (not −2.0 − 1).
#[test]
fn numpy_derivatives_fold_their_numbers() {
    let gradient = |t: &str| expr::numpy_code(&parse(t).unwrap()).gradient.join("\n");
    assert_eq!(
        gradient("3*x + 2*x"),
        "return np.array([5, 0], dtype=float)"
    );
    assert_eq!(
        gradient("3*x - 2*x"),
        "return np.array([1, 0], dtype=float)"
    );
    assert_eq!(gradient("x/4"), "return np.array([0.25, 0], dtype=float)");
    assert_eq!(gradient("-x + 3*x"), "return np.array([2, 0], dtype=float)");
    assert_eq!(gradient("x^-2"), "return np.array([-(2 * x ** -3.0), 0])");
}

/// The NumPy code brackets a negated base, since Python's ** binds tighter than a sign: (−x)²
/// is `(-x) ** 2`, which is x², while −x² stays `-x ** 2`, which is −(x²).
#[test]
fn numpy_code_brackets_a_negated_base() {
    let value = |t: &str| expr::numpy_code(&parse(t).unwrap()).value.join("\n");
    assert_eq!(value("(-x)^2"), "return (-x) ** 2");
    assert_eq!(value("-x^2"), "return -x ** 2");
}

/// A typed f exports to NumPy through the Surface trait, as every catalog surface does: x·y
/// returns `x * y`, its gradient `[y, x]`.
#[test]
fn a_typed_f_exports_to_numpy() {
    let n = surface("x*y").numpy_code().unwrap();
    assert_eq!(n.params, "x, y");
    assert_eq!(n.value, vec!["return x * y".to_string()]);
    assert_eq!(n.gradient, vec!["return np.array([y, x])".to_string()]);
}

/// The note shown under a typed f says its derivatives are exact, by automatic differentiation
/// (not finite differences).
#[test]
fn the_note_of_a_typed_f_says_its_derivatives_are_exact() {
    assert_eq!(
        surface("x^2 + y^2").note(),
        "your f(x, y), with exact derivatives by automatic differentiation"
    );
}

/// A valley of minima is not a list of minima: every point of x = −y minimises (x + y)², where
/// the Hessian is singular (eigenvalues 0 and 4), and none is claimed, though grid points lie
/// exactly on the valley floor.
#[test]
fn a_valley_of_minima_claims_none() {
    let s = surface("(x + y)^2");
    assert!(s.minima().is_empty(), "{:?}", s.minima());
}

/// A comma outside a function call is unexpected, without the product hint: only a value right
/// after a value suggests a missing `*`.
#[test]
fn a_stray_comma_gets_no_product_hint() {
    assert_eq!(error("x, y"), "unexpected ',' at 1");
}

/// A flat floor does not use up the search for minima: beside a bowl floored at 0.1 (eighteen
/// grid points of equal lowest value, none a strict minimum), the dip at (1.5, 0) is still
/// found, as up to four candidates per reported minimum are tried.
#[test]
fn a_flat_floor_does_not_hide_a_dip_beside_it() {
    let s = surface("min(max((x + 1.5)^2 + y^2, 0.1), (x - 1.5)^2 + y^2 + 0.5)");
    assert_eq!(s.minima().len(), 1, "{:?}", s.minima());
    let m = s.minima()[0];
    assert_eq!((m.at, m.value), ([1.5, 0.0], 0.5), "{m:?}");
}

/// Each side of a view must be two finite numbers, and NaN or ±∞ on either end is refused as
/// such (NaN would slip past every later comparison, ∞ would get the wrong message).
#[test]
fn a_view_side_must_be_two_finite_numbers() {
    for range in [
        (f64::NAN, 1.0),
        (0.0, f64::NAN),
        (f64::NEG_INFINITY, 1.0),
        (0.0, f64::INFINITY),
    ] {
        let e = expr::check_range("xrange", range).unwrap_err();
        assert_eq!(
            e.to_string(),
            "xrange: expected two finite numbers [min, max]",
            "{range:?}"
        );
    }
}

/// A minimum's gradient is judged against f's size: on 10⁸ + 100·sin y + x², rounding leaves
/// ∂f/∂y ≈ 6·10⁻¹⁵ at (0, −π/2) (100·cos of the nearest double to −π/2), far below 10⁻⁸ of f,
/// and the minimum, f = 99999900, is found.
#[test]
fn a_minimum_is_stationary_relative_to_the_size_of_f() {
    let s = surface("1e8 + 100*sin(y) + x^2");
    assert_eq!(s.minima().len(), 1, "{:?}", s.minima());
    let m = s.minima()[0];
    assert_eq!(m.at, [0.0, -std::f64::consts::FRAC_PI_2], "{m:?}");
    assert_eq!(m.value, 99999900.0);
}

/// An unexpected character's span is that one character, [i, i + 1) in characters, for the
/// page to mark: `#` in "x # y" is (2, 3), `²` in "x²" is (1, 2).
#[test]
fn an_unexpected_character_spans_one_character() {
    assert_eq!(parse("x # y").unwrap_err().span, (2, 3));
    assert_eq!(parse("x²").unwrap_err().span, (1, 2));
}
