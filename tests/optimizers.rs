//! The first three steps of every optimizer on f = x² + 10y² from (1, 1), against values worked
//! out by hand from the update rules (∇f = (2x, 20y)).

use gdviz::{run, surface, Hyper, OptimizerKind, RunConfig};

fn steps(kind: OptimizerKind, hyper: Hyper) -> Vec<[f64; 2]> {
    let s = surface::by_name("ravine").unwrap(); // x² + 10y²
    let cfg = RunConfig {
        hyper,
        steps: 3,
        start: [1.0, 1.0],
        ..RunConfig::new(s.as_ref(), kind)
    };
    run(s.as_ref(), &cfg).unwrap().points[1..].to_vec()
}

fn assert_steps(got: &[[f64; 2]], want: [[f64; 2]; 3]) {
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        for i in 0..2 {
            assert!(
                (g[i] - w[i]).abs() <= 1e-12,
                "step {}: got {g:?}, by hand {w:?}",
                k + 1
            );
        }
    }
    assert_eq!(got.len(), 3);
}

#[test]
fn sgd() {
    // θ ← θ − 0.01·(2x, 20y): x shrinks by 0.98 per step, y by 0.8.
    let h = Hyper {
        lr: 0.01,
        ..Hyper::defaults(OptimizerKind::Sgd)
    };
    assert_steps(
        &steps(OptimizerKind::Sgd, h),
        [[0.98, 0.8], [0.9604, 0.64], [0.941192, 0.512]],
    );
}

#[test]
fn momentum() {
    // b₁ = g₀ = (2, 20) → θ₁ = (0.98, 0.8); g₁ = (1.96, 16), b₂ = (3.76, 34) → θ₂ = (0.9424, 0.46);
    // g₂ = (1.8848, 9.2), b₃ = (5.2688, 39.8) → θ₃ = (0.889712, 0.062).
    let h = Hyper {
        lr: 0.01,
        momentum: 0.9,
        ..Hyper::defaults(OptimizerKind::Momentum)
    };
    assert_steps(
        &steps(OptimizerKind::Momentum, h),
        [[0.98, 0.8], [0.9424, 0.46], [0.889712, 0.062]],
    );
}

#[test]
fn nesterov() {
    // b₁ = (2, 20), d = g + μb = (3.8, 38) → θ₁ = (0.962, 0.62); g₁ = (1.924, 12.4),
    // b₂ = (3.724, 30.4), d = (5.2756, 39.76) → θ₂ = (0.909244, 0.2224); g₂ = (1.818488, 4.448),
    // b₃ = (5.170088, 31.808), d = (6.4715672, 33.0752) → θ₃ = (0.844528328, −0.108352).
    let h = Hyper {
        lr: 0.01,
        momentum: 0.9,
        ..Hyper::defaults(OptimizerKind::Nesterov)
    };
    assert_steps(
        &steps(OptimizerKind::Nesterov, h),
        [[0.962, 0.62], [0.909244, 0.2224], [0.844528328, -0.108352]],
    );
}

#[test]
fn adagrad() {
    // Per coordinate, with c = 1 for x and 10 for y (g = 2c·θ): s₁ = (2c)², so step 1 moves by
    // γ·2c/(2c + ε) ≈ γ; the y path equals the x path up to ε because Adagrad ignores scale.
    let (lr, eps) = (0.1, 1e-10);
    let h = Hyper {
        lr,
        eps,
        ..Hyper::defaults(OptimizerKind::Adagrad)
    };
    let coord = |c: f64| {
        let t1 = 1.0 - lr * (2.0 * c) / (2.0 * c + eps);
        let s2 = 4.0 * c * c + (2.0 * c * t1).powi(2);
        let t2 = t1 - lr * (2.0 * c * t1) / (s2.sqrt() + eps);
        let s3 = s2 + (2.0 * c * t2).powi(2);
        let t3 = t2 - lr * (2.0 * c * t2) / (s3.sqrt() + eps);
        [t1, t2, t3]
    };
    let (x, y) = (coord(1.0), coord(10.0));
    // The same numbers without ε, to 9 digits: 0.9, 0.9 − 0.18/√7.24, ...
    assert!((x[1] - (0.9 - 0.18 / 7.24f64.sqrt())).abs() < 1e-9);
    assert_steps(
        &steps(OptimizerKind::Adagrad, h),
        [[x[0], y[0]], [x[1], y[1]], [x[2], y[2]]],
    );
}

#[test]
fn rmsprop() {
    // v₁ = 0.01·g², √v₁ = 0.1|g| → step 1 moves by γ/0.1 = 0.1; then v₂ = 0.99·v₁ + 0.01·g₁².
    let (lr, a, eps) = (0.01, 0.99, 1e-8);
    let h = Hyper {
        lr,
        decay: a,
        eps,
        ..Hyper::defaults(OptimizerKind::Rmsprop)
    };
    let coord = |c: f64| {
        let mut t = 1.0;
        let mut v = 0.0;
        let mut out = [0.0; 3];
        for o in &mut out {
            let g = 2.0 * c * t;
            v = a * v + (1.0 - a) * g * g;
            t -= lr * g / (v.sqrt() + eps);
            *o = t;
        }
        out
    };
    let (x, y) = (coord(1.0), coord(10.0));
    assert!((x[0] - 0.9).abs() < 1e-6);
    // By hand: v₂ = 0.99·0.04 + 0.01·3.24 = 0.072, θ₂ = 0.9 − 0.018/√0.072 ≈ 0.832918.
    assert!((x[1] - (0.9 - 0.018 / 0.072f64.sqrt())).abs() < 1e-6);
    assert_steps(
        &steps(OptimizerKind::Rmsprop, h),
        [[x[0], y[0]], [x[1], y[1]], [x[2], y[2]]],
    );
}

#[test]
fn adam() {
    // Step 1: m̂ = g, v̂ = g², so θ moves by γ·g/(|g| + ε) ≈ γ = 0.1 on both coordinates.
    let (lr, b1, b2, eps) = (0.1, 0.9, 0.999, 1e-8);
    let h = Hyper {
        lr,
        beta1: b1,
        beta2: b2,
        eps,
        ..Hyper::defaults(OptimizerKind::Adam)
    };
    let coord = |c: f64| {
        let (mut t, mut m, mut v) = (1.0, 0.0, 0.0);
        let mut out = [0.0; 3];
        for (k, o) in out.iter_mut().enumerate() {
            let g = 2.0 * c * t;
            m = b1 * m + (1.0 - b1) * g;
            v = b2 * v + (1.0 - b2) * g * g;
            let step = (k + 1) as i32;
            let m_hat = m / (1.0 - b1.powi(step));
            let v_hat = v / (1.0 - b2.powi(step));
            t -= lr * m_hat / (v_hat.sqrt() + eps);
            *o = t;
        }
        out
    };
    let (x, y) = (coord(1.0), coord(10.0));
    assert!((x[0] - 0.9).abs() < 1e-8 && (y[0] - 0.9).abs() < 1e-8);
    assert_steps(
        &steps(OptimizerKind::Adam, h),
        [[x[0], y[0]], [x[1], y[1]], [x[2], y[2]]],
    );
}

/// The state `kind` reports after stepping from (1, 1) with the gradients `gs` (the gradients are
/// handed in, so the state follows from the update rule alone).
fn state_after(
    kind: OptimizerKind,
    hyper: Hyper,
    gs: &[[f64; 2]],
) -> Vec<(&'static str, [f64; 2])> {
    let mut opt = kind.build(&hyper, 2).unwrap();
    let mut theta = [1.0, 1.0];
    for g in gs {
        opt.step(&mut theta, g, &gdviz::optim::GradientOnly);
    }
    opt.state()
        .into_iter()
        .map(|(name, v)| (name, [v[0], v[1]]))
        .collect()
}

/// `state` names the quantities `want` names, in that order, each equal to its value by hand
/// within 1e-12 (the numbers are sums of a few products of short decimals).
fn assert_state(state: &[(&str, [f64; 2])], want: &[(&str, [f64; 2])]) {
    let names: Vec<&str> = state.iter().map(|s| s.0).collect();
    let want_names: Vec<&str> = want.iter().map(|w| w.0).collect();
    assert_eq!(names, want_names);
    for ((name, got), (_, w)) in state.iter().zip(want) {
        for i in 0..2 {
            assert!(
                (got[i] - w[i]).abs() <= 1e-12 * (1.0 + w[i].abs()),
                "{name}: got {got:?}, by hand {w:?}"
            );
        }
    }
}

/// The gradients the state tests step with: g₁ = (2, 20), g₂ = (1, −10).
const GS: [[f64; 2]; 2] = [[2.0, 20.0], [1.0, -10.0]];

/// Plain gradient descent keeps no state: the next-update panel shows none.
#[test]
fn sgd_state_is_empty() {
    let h = Hyper::defaults(OptimizerKind::Sgd);
    assert!(state_after(OptimizerKind::Sgd, h, &GS).is_empty());
}

/// Momentum's buffer b, as the next-update panel shows it: 0 before the first step, b₁ = g₁,
/// then b₂ = μb₁ + g₂ = (0.9·2 + 1, 0.9·20 − 10) = (2.8, 8). Nesterov keeps the same buffer.
#[test]
fn momentum_state_is_the_buffer() {
    for kind in [OptimizerKind::Momentum, OptimizerKind::Nesterov] {
        let h = Hyper {
            momentum: 0.9,
            ..Hyper::defaults(kind)
        };
        assert_state(&state_after(kind, h, &[]), &[("b", [0.0, 0.0])]);
        assert_state(&state_after(kind, h, &GS[..1]), &[("b", [2.0, 20.0])]);
        assert_state(&state_after(kind, h, &GS), &[("b", [2.8, 8.0])]);
    }
}

/// Adagrad's running sum of squares s: (4, 400) after g₁, (5, 500) after g₂.
#[test]
fn adagrad_state_is_the_sum_of_squares() {
    let h = Hyper::defaults(OptimizerKind::Adagrad);
    assert_state(
        &state_after(OptimizerKind::Adagrad, h, &[]),
        &[("s", [0.0, 0.0])],
    );
    assert_state(
        &state_after(OptimizerKind::Adagrad, h, &GS[..1]),
        &[("s", [4.0, 400.0])],
    );
    assert_state(
        &state_after(OptimizerKind::Adagrad, h, &GS),
        &[("s", [5.0, 500.0])],
    );
}

/// RMSprop's average of squares v with α = 0.99: v₁ = 0.01·g₁² = (0.04, 4), then
/// v₂ = 0.99·v₁ + 0.01·g₂² = (0.0396 + 0.01, 3.96 + 1) = (0.0496, 4.96).
#[test]
fn rmsprop_state_is_the_average_of_squares() {
    let h = Hyper {
        decay: 0.99,
        ..Hyper::defaults(OptimizerKind::Rmsprop)
    };
    assert_state(
        &state_after(OptimizerKind::Rmsprop, h, &[]),
        &[("v", [0.0, 0.0])],
    );
    assert_state(
        &state_after(OptimizerKind::Rmsprop, h, &GS[..1]),
        &[("v", [0.04, 4.0])],
    );
    assert_state(
        &state_after(OptimizerKind::Rmsprop, h, &GS),
        &[("v", [0.0496, 4.96])],
    );
}

/// Adam's moments m and v (before bias correction), β = (0.9, 0.999): m₁ = 0.1·g₁ = (0.2, 2),
/// v₁ = 0.001·g₁² = (0.004, 0.4); m₂ = 0.9·m₁ + 0.1·g₂ = (0.28, 0.8),
/// v₂ = 0.999·v₁ + 0.001·g₂² = (0.004996, 0.4996).
#[test]
fn adam_state_is_the_two_moments() {
    let h = Hyper {
        beta1: 0.9,
        beta2: 0.999,
        ..Hyper::defaults(OptimizerKind::Adam)
    };
    assert_state(
        &state_after(OptimizerKind::Adam, h, &GS[..1]),
        &[("m", [0.2, 2.0]), ("v", [0.004, 0.4])],
    );
    assert_state(
        &state_after(OptimizerKind::Adam, h, &GS),
        &[("m", [0.28, 0.8]), ("v", [0.004996, 0.4996])],
    );
}

/// With β₁ = 0.3 (the app accepts any β₁ in [0, 1)) the first moment is computed by lerp's other
/// formula and must still be m ← β₁m + (1−β₁)g: m₁ = 0.7·g₁ = (1.4, 14),
/// m₂ = 0.3·m₁ + 0.7·g₂ = (1.12, −2.8); β₂ = 0.5: v₁ = (2, 200), v₂ = (1.5, 150).
#[test]
fn adam_state_with_a_small_beta1() {
    let h = Hyper {
        beta1: 0.3,
        beta2: 0.5,
        ..Hyper::defaults(OptimizerKind::Adam)
    };
    assert_state(
        &state_after(OptimizerKind::Adam, h, &GS),
        &[("m", [1.12, -2.8]), ("v", [1.5, 150.0])],
    );
}

/// `kind` at γ = `lr` for `steps` full-batch steps from the surface's start.
fn second_order(
    s: &dyn gdviz::surface::Surface,
    kind: OptimizerKind,
    lr: f64,
    steps: usize,
) -> gdviz::Trajectory {
    let cfg = RunConfig {
        hyper: Hyper {
            lr,
            ..Hyper::defaults(kind)
        },
        steps,
        ..RunConfig::new(s, kind)
    };
    run(s, &cfg).unwrap()
}

/// Newton's method seeks where ∇f = 0: on a quadratic bowl it lands on the minimum in one step
/// at γ = 1 (halfway at γ = ½), and on the saddle x² − y² it lands on the saddle point just as
/// surely, where gradient descent would slide away along −y.
#[test]
fn newton_finds_the_bowl_and_walks_into_the_saddle() {
    let booth = surface::by_name("booth").unwrap();
    let t = second_order(booth.as_ref(), OptimizerKind::Newton, 1.0, 5);
    assert!(
        (t.points[1][0] - 1.0).abs() < 1e-12 && (t.points[1][1] - 3.0).abs() < 1e-12,
        "{:?}",
        t.points[1]
    );
    assert_eq!(t.status, gdviz::Status::Converged);
    let half = second_order(booth.as_ref(), OptimizerKind::Newton, 0.5, 1);
    let s0 = booth.start();
    for i in 0..2 {
        let want = [1.0, 3.0][i] + 0.5 * (s0[i] - [1.0, 3.0][i]);
        assert!(
            (half.points[1][i] - want).abs() < 1e-12,
            "{:?}",
            half.points[1]
        );
    }
    let saddle = surface::by_name("saddle").unwrap();
    let t = second_order(saddle.as_ref(), OptimizerKind::Newton, 1.0, 3);
    assert_eq!(t.points[1], [0.0, 0.0], "from {:?}", t.points[0]);
    assert!(saddle.start()[1] != 0.0);
    let gd = second_order(saddle.as_ref(), OptimizerKind::Sgd, 0.1, 3);
    assert!(gd.points[3][1].abs() > gd.points[0][1].abs());
}

/// Newton's step is scaled by the schedule's γ of each step: on x² + y² from (1, 1), the Newton
/// step is −θ, so γ = 0.5 then 0.25 (ExponentialLR, γ × 0.5) leaves 0.5 then 0.375.
#[test]
fn newton_steps_at_the_schedules_rate() {
    use gdviz::expr::{ExprSurface, DEFAULT_VIEW};
    let s = ExprSurface::parse("x^2 + y^2", DEFAULT_VIEW).unwrap();
    let cfg = RunConfig {
        hyper: Hyper {
            lr: 0.5,
            ..Hyper::defaults(OptimizerKind::Newton)
        },
        start: [1.0, 1.0],
        steps: 2,
        schedule: gdviz::schedule::Schedule::parse("exponential:gamma=0.5").unwrap(),
        ..RunConfig::new(&s, OptimizerKind::Newton)
    };
    let t = run(&s, &cfg).unwrap();
    assert_eq!(t.points[1..], [[0.5, 0.5], [0.375, 0.375]]);
    assert_eq!(t.lrs, [0.5, 0.25]);
}

/// Where the Hessian is singular there is no Newton step: the run stops at once, and the
/// status says why rather than blaming the learning rate.
#[test]
fn newton_stops_where_the_hessian_is_singular() {
    use gdviz::expr::{ExprSurface, DEFAULT_VIEW};
    let s = ExprSurface::parse("x^2 + y", DEFAULT_VIEW).unwrap();
    let t = second_order(&s, OptimizerKind::Newton, 1.0, 10);
    assert_eq!(t.status, gdviz::Status::Diverged { step: 1 });
    let why = gdviz::caption::divergence(&s, OptimizerKind::Newton, &t).unwrap();
    assert!(why.contains("singular") && why.contains("θ0"), "{why}");
    let gd = second_order(&s, OptimizerKind::Sgd, 10.0, 100);
    let why = gdviz::caption::divergence(&s, OptimizerKind::Sgd, &gd).unwrap();
    assert!(why.contains("left the view"), "{why}");
}

/// Armijo backtracking halves γ until f drops by at least 10⁻⁴·γ‖g‖², and the step's lr is the
/// γ accepted: on x² + y² from (1, 1) (g = (2, 2), ‖g‖² = 8), γ = 1 gives f = 2 (not below
/// 2 − 8e-4), γ = ½ lands on the minimum.
#[test]
fn line_search_halves_until_armijo_holds() {
    use gdviz::expr::{ExprSurface, DEFAULT_VIEW};
    let s = ExprSurface::parse("x^2 + y^2", DEFAULT_VIEW).unwrap();
    let cfg = RunConfig {
        start: [1.0, 1.0],
        steps: 3,
        ..RunConfig::new(&s, OptimizerKind::Linesearch)
    };
    let t = run(&s, &cfg).unwrap();
    assert_eq!(t.points[1], [0.0, 0.0]);
    assert_eq!(t.lrs[0], 0.5);
    // γ = 0.4 passes at once: f(0.2, 0.2) = 0.08 ≤ 2 − 0.4 × 8e-4.
    let cfg = RunConfig {
        hyper: Hyper {
            lr: 0.4,
            ..Hyper::defaults(OptimizerKind::Linesearch)
        },
        ..cfg
    };
    let t = run(&s, &cfg).unwrap();
    assert_eq!(t.lrs[0], 0.4);
    assert!((t.points[1][0] - 0.2).abs() < 1e-15);
    // A γ of 10⁶ is cut down, never diverges: 10⁶/2²⁰ ≈ 0.954 is the first below 1, where
    // f(θ − γg) = 2(1 − 2γ)² < 2 passes.
    let cfg = RunConfig {
        hyper: Hyper {
            lr: 1e6,
            ..Hyper::defaults(OptimizerKind::Linesearch)
        },
        steps: 50,
        ..cfg
    };
    let t = run(&s, &cfg).unwrap();
    assert_eq!(t.lrs[0], 1e6 / 2f64.powi(20));
    // Every step decreases f: the Armijo condition guarantees it.
    assert_eq!(t.steps(), 50);
    assert!(t.losses.windows(2).all(|w| w[1] < w[0]), "{:?}", t.losses);

    // The sufficient decrease itself: on x² + y² the step −γg = −2γθ scales f by (1 − 2γ)², and
    // f(θ − γg) ≤ f − 10⁻⁴·γ‖g‖² = f(1 − 4·10⁻⁴γ) holds exactly for γ ≤ 1 − 10⁻⁴. From (3, 3)
    // γ = 1 − ½·10⁻⁴ just fails and is halved.
    let at = |lr: f64, start: [f64; 2], schedule: &str| {
        let cfg = RunConfig {
            hyper: Hyper {
                lr,
                ..Hyper::defaults(OptimizerKind::Linesearch)
            },
            start,
            steps: 3,
            schedule: gdviz::schedule::Schedule::parse(schedule).unwrap(),
            ..RunConfig::new(&s, OptimizerKind::Linesearch)
        };
        run(&s, &cfg).unwrap().lrs
    };
    assert_eq!(
        at(1.0 - 0.5e-4, [3.0, 3.0], "constant")[0],
        (1.0 - 0.5e-4) / 2.0
    );
    assert_eq!(at(1.0 - 2e-4, [3.0, 3.0], "constant")[0], 1.0 - 2e-4);
    // Under a schedule each step starts from the schedule's γ.
    assert_eq!(
        at(0.4, [1.0, 1.0], "exponential:gamma=0.5"),
        [0.4, 0.2, 0.1]
    );
}

/// L-BFGS, Newton and the line search evaluate f themselves, so they take the full batch: a
/// stochastic run is an error naming the variant, and choosing one of them resets it.
#[test]
fn methods_that_evaluate_f_take_the_full_batch() {
    let s = surface::by_name("booth").unwrap();
    for kind in [
        OptimizerKind::Lbfgs,
        OptimizerKind::Newton,
        OptimizerKind::Linesearch,
    ] {
        let cfg = RunConfig {
            variant: gdviz::Variant::Stochastic,
            ..RunConfig::new(s.as_ref(), kind)
        };
        let e = run(s.as_ref(), &cfg).unwrap_err();
        assert_eq!(e.option, "variant");
        assert!(e.message.contains("choose variant batch"), "{}", e.message);
    }
}
