//! Whole runs: the overshoot threshold, the collinear valley, the three variants, divergence, and
//! PyTorch's own trajectories.

use gdviz::optim::{Clip, HyperKind, HyperName, HyperValue};
use gdviz::schedule::Schedule;
use gdviz::{run, surface, Hyper, OptimizerKind, RunConfig, Status, Trajectory, Variant};

fn sgd_run(name: &str, lr: f64, steps: usize, start: [f64; 2]) -> Trajectory {
    let s = surface::by_name(name).unwrap();
    let cfg = RunConfig {
        hyper: Hyper {
            lr,
            ..Hyper::defaults(OptimizerKind::Sgd)
        },
        steps,
        start,
        ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
    };
    run(s.as_ref(), &cfg).unwrap()
}

#[test]
fn booth_overshoot_threshold_is_two_over_lambda_max() {
    // Booth's Hessian has eigenvalues 18 and 2: gradient descent is stable below 2/18 ≈ 0.111.
    let below = sgd_run("booth", 0.105, 1000, [-6.0, -6.0]);
    assert_eq!(below.status, Status::Converged);
    let end = below.last();
    assert!(
        (end[0] - 1.0).abs() < 1e-9 && (end[1] - 3.0).abs() < 1e-9,
        "{end:?}"
    );

    let above = sgd_run("booth", 0.115, 1000, [-6.0, -6.0]);
    let Status::Diverged { step } = above.status else {
        panic!("lr 0.115 should diverge, got {:?}", above.status);
    };
    assert!(step < 1000);
    assert_eq!(
        above.steps(),
        step,
        "the run stops at the step that diverged"
    );
    // Overshoot: the loss grows step over step once the stiff direction dominates.
    let l = &above.losses;
    assert!(l[l.len() - 1] > 1e3 * l[0]);
}

#[test]
fn collinear_valley_ends_at_the_minimum_norm_point() {
    let t = sgd_run("collinear", 0.01, 1000, [0.0, 0.0]);
    let end = t.last();
    assert!(
        (end[0] - 0.5).abs() < 1e-9 && (end[1] - 0.5).abs() < 1e-9,
        "{end:?}"
    );
    assert_eq!(t.steps(), 1000);
    assert_eq!(t.status, Status::Converged);
}

#[test]
fn huge_learning_rate_diverges_cleanly_with_only_finite_numbers() {
    for kind in OptimizerKind::ALL {
        for name in [
            "rosenbrock",
            "booth",
            "beale",
            "saddle",
            "logistic-regression",
            "plateau",
        ] {
            let s = surface::by_name(name).unwrap();
            let cfg = RunConfig {
                hyper: Hyper {
                    lr: 1e6,
                    ..Hyper::defaults(kind)
                },
                steps: 500,
                ..RunConfig::new(s.as_ref(), kind)
            };
            let t = run(s.as_ref(), &cfg).unwrap();
            assert!(
                t.points.iter().flatten().all(|v| v.is_finite()),
                "{name} {kind:?}"
            );
            assert!(t.losses.iter().all(|v| v.is_finite()));
            assert!(t.grads.iter().flatten().all(|v| v.is_finite()));
            assert_eq!(t.grads.len(), t.points.len() - 1);
            if let Status::Diverged { step } = t.status {
                assert!((1..=500).contains(&step) && t.steps() <= step);
            }
        }
    }
    // Rosenbrock at lr 1 overflows within a few steps.
    let t = sgd_run("rosenbrock", 1.0, 100, [-1.2, 1.0]);
    assert!(
        matches!(t.status, Status::Diverged { step } if step < 10),
        "{:?}",
        t.status
    );
}

/// ‖∇f‖ < 1e-6 (the default tolerance) at each recorded point, by brute force on the full
/// gradient.
fn below_tolerance(name: &str, t: &Trajectory) -> Vec<bool> {
    let s = surface::by_name(name).unwrap();
    t.points
        .iter()
        .map(|&p| gdviz::linalg::norm(s.gradient(p)) < 1e-6)
        .collect()
}

/// The first step from which every point passes the convergence test.
fn stays_below_from(below: &[bool]) -> Option<usize> {
    (0..below.len()).find(|&k| below[k..].iter().all(|&b| b))
}

#[test]
fn converged_at_is_the_step_booth_passes_the_test_from() {
    // SGD with γ = 0.1 on Booth (H = [[10, 8], [8, 10]], eigenvalues 2 and 18): I − γH has
    // eigenvalues 0.8 and −0.8, so ‖∇f(θₖ)‖ = 0.8ᵏ‖∇f(θ₀)‖ = 0.8ᵏ·√41480 exactly, first below
    // 1e-6 at k = 86 (0.8⁸⁵·203.7 ≈ 1.2e-6, 0.8⁸⁶·203.7 ≈ 9.4e-7), and below from then on.
    let t = sgd_run("booth", 0.1, 500, [-6.0, -6.0]);
    let below = below_tolerance("booth", &t);
    assert_eq!(below.iter().position(|&b| b), Some(86));
    assert_eq!(stays_below_from(&below), Some(86));
    assert_eq!((t.status, t.converged_at), (Status::Converged, Some(86)));
    // The same run cut at step 86 converged at its last point; at 85 it has not converged.
    assert_eq!(
        sgd_run("booth", 0.1, 86, [-6.0, -6.0]).converged_at,
        Some(86)
    );
    let short = sgd_run("booth", 0.1, 85, [-6.0, -6.0]);
    assert_eq!((short.status, short.converged_at), (Status::MaxSteps, None));
}

#[test]
fn converged_at_waits_until_the_path_stays_converged() {
    // Heavy-ball momentum spirals into Booth's minimum: ‖∇f‖ first dips below 1e-6 at step
    // 329, rises above it again, and stays below only from step 363. "Converged at step 329"
    // would be false of the steps after it.
    let s = surface::by_name("booth").unwrap();
    let kind = OptimizerKind::Momentum;
    let cfg = RunConfig {
        hyper: Hyper {
            lr: 0.05,
            momentum: 0.9,
            ..Hyper::defaults(kind)
        },
        steps: 1000,
        ..RunConfig::new(s.as_ref(), kind)
    };
    let t = run(s.as_ref(), &cfg).unwrap();
    let below = below_tolerance("booth", &t);
    assert_eq!(below.iter().position(|&b| b), Some(329));
    assert!(!below[330..363].iter().all(|&b| b));
    assert_eq!(stays_below_from(&below), Some(363));
    assert_eq!((t.status, t.converged_at), (Status::Converged, Some(363)));
}

#[test]
fn converged_at_of_noisy_runs_uses_the_full_gradient() {
    // The collinear data fit exactly on the valley θ₁ + θ₂ = 1, so every example's gradient
    // vanishes there and one-example steps converge too, along a noisy path.
    for (variant, lr, first, from) in [
        (Variant::Stochastic, 0.05, 24, 24),
        (Variant::Stochastic, 0.1, 701, 782),
        (Variant::MiniBatch, 0.01, 78, 78),
    ] {
        let s = surface::by_name("collinear").unwrap();
        let cfg = RunConfig {
            hyper: Hyper {
                lr,
                ..Hyper::defaults(OptimizerKind::Sgd)
            },
            variant,
            batch: 2,
            steps: 2000,
            ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
        };
        let t = run(s.as_ref(), &cfg).unwrap();
        let below = below_tolerance("collinear", &t);
        assert_eq!(
            below.iter().position(|&b| b),
            Some(first),
            "{variant:?} {lr}"
        );
        assert_eq!(stays_below_from(&below), Some(from), "{variant:?} {lr}");
        assert_eq!((t.status, t.converged_at), (Status::Converged, Some(from)));
    }
}

#[test]
fn runs_that_do_not_converge_have_no_converged_at() {
    let short = sgd_run("rosenbrock", 1e-3, 5, [-1.2, 1.0]);
    assert_eq!((short.status, short.converged_at), (Status::MaxSteps, None));
    let diverged = sgd_run("booth", 0.12, 500, [-6.0, -6.0]);
    assert!(matches!(diverged.status, Status::Diverged { .. }));
    assert_eq!(diverged.converged_at, None);
    // Booth's tilted terms (at the default noise) keep a one-term-per-step path moving about the
    // minimum: it never converges.
    let s = surface::by_name("booth").unwrap();
    let cfg = RunConfig {
        variant: Variant::Stochastic,
        hyper: Hyper {
            lr: 0.05,
            ..Hyper::defaults(OptimizerKind::Sgd)
        },
        steps: 2000,
        ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
    };
    let noisy = run(s.as_ref(), &cfg).unwrap();
    assert_eq!((noisy.status, noisy.converged_at), (Status::MaxSteps, None));
}

#[test]
fn converged_at_is_set_exactly_when_the_status_is_converged() {
    for name in ["booth", "himmelblau", "linear-regression-std", "collinear"] {
        let s = surface::by_name(name).unwrap();
        for kind in OptimizerKind::ALL {
            for variant in Variant::ALL {
                if kind.evaluates_f() && variant != Variant::Batch {
                    continue;
                }
                let cfg = RunConfig {
                    hyper: Hyper {
                        lr: 0.02,
                        ..Hyper::defaults(kind)
                    },
                    variant,
                    noise: Some(0.0),
                    batch: 2,
                    steps: 1500,
                    ..RunConfig::new(s.as_ref(), kind)
                };
                let t = run(s.as_ref(), &cfg).unwrap();
                let from = stays_below_from(&below_tolerance(name, &t));
                let expected = (t.status == Status::Converged).then_some(from).flatten();
                assert_eq!(t.converged_at, expected, "{name} {kind:?} {variant:?}");
            }
        }
    }
}

fn variant_run(name: &str, variant: Variant, batch: usize, seed: u64) -> Trajectory {
    let s = surface::by_name(name).unwrap();
    let kind = OptimizerKind::Momentum;
    let cfg = RunConfig {
        hyper: Hyper {
            lr: 0.002,
            ..Hyper::defaults(kind)
        },
        variant,
        batch,
        seed,
        steps: 300,
        ..RunConfig::new(s.as_ref(), kind)
    };
    run(s.as_ref(), &cfg).unwrap()
}

#[test]
fn minibatch_of_all_terms_is_batch_bit_for_bit() {
    for (name, n) in [
        ("linear-regression", 50),
        ("rosenbrock", 50),
        ("collinear", 3),
    ] {
        let batch = variant_run(name, Variant::Batch, 1, 0);
        let full = variant_run(name, Variant::MiniBatch, n, 99);
        assert_eq!(batch, full, "{name}");
        let small = variant_run(name, Variant::MiniBatch, n - 1, 99);
        assert_ne!(
            batch.points, small.points,
            "{name}: a smaller batch must differ"
        );
    }
}

#[test]
fn same_seed_same_path_other_seed_other_path() {
    for name in ["linear-regression", "himmelblau"] {
        for (variant, b) in [(Variant::Stochastic, 1), (Variant::MiniBatch, 8)] {
            let a = variant_run(name, variant, b, 7);
            assert_eq!(a, variant_run(name, variant, b, 7));
            assert_ne!(a.points, variant_run(name, variant, b, 8).points);
        }
    }
}

#[test]
fn analytic_noise_tilts_the_gradient_and_zero_noise_removes_it() {
    let s = surface::by_name("booth").unwrap();
    let base = RunConfig {
        variant: Variant::Stochastic,
        steps: 50,
        ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
    };
    let quiet = run(
        s.as_ref(),
        &RunConfig {
            noise: Some(0.0),
            ..base.clone()
        },
    )
    .unwrap();
    let batch = run(
        s.as_ref(),
        &RunConfig {
            variant: Variant::Batch,
            ..base.clone()
        },
    )
    .unwrap();
    assert_eq!(quiet, batch);
    let noisy = run(s.as_ref(), &base).unwrap();
    assert_ne!(noisy.points, batch.points);
    let bad = run(
        s.as_ref(),
        &RunConfig {
            noise: Some(f64::NAN),
            ..base
        },
    )
    .unwrap_err();
    assert_eq!(bad.option, "noise");
}

#[test]
fn bad_run_settings_are_errors_naming_the_option() {
    let s = surface::by_name("booth").unwrap();
    let base = RunConfig::new(s.as_ref(), OptimizerKind::Sgd);
    let cases = [
        (
            RunConfig {
                variant: Variant::MiniBatch,
                batch: 0,
                ..base.clone()
            },
            "batch",
        ),
        (
            RunConfig {
                variant: Variant::MiniBatch,
                batch: 51,
                ..base.clone()
            },
            "batch",
        ),
        (
            RunConfig {
                start: [f64::NAN, 0.0],
                ..base.clone()
            },
            "start",
        ),
        (
            RunConfig {
                start: [1e300, 1e300],
                ..base.clone()
            },
            "start",
        ),
        (
            RunConfig {
                steps: 10_000_000,
                ..base.clone()
            },
            "steps",
        ),
        (
            RunConfig {
                hyper: Hyper {
                    lr: -1.0,
                    ..base.hyper
                },
                ..base.clone()
            },
            "lr",
        ),
    ];
    for (cfg, option) in cases {
        assert_eq!(run(s.as_ref(), &cfg).unwrap_err().option, option);
    }
}

/// The golden trajectories in tests/golden were computed by PyTorch's `torch.optim` in float64
/// (see tests/golden/README.md); every optimizer on every standard surface must match them.
#[test]
fn trajectories_match_pytorch() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");
    let cases: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/cases.json")).unwrap())
            .unwrap();
    let cases = cases.as_array().unwrap();
    // 8 surfaces × 6 optimizers at their defaults, 7 cases off the defaults (β₁ ≤ 0.5, α, ε, μ),
    // and 21 for the rest of torch.optim: AdamW, NAdam, RAdam, Adamax, Adadelta and Rprop, and
    // every option (weight decay, dampening, AMSGrad, centring, RMSprop's μ, Adagrad's η and s₀,
    // NAdam's ψ, decoupling, Rprop's η± and bounds).
    // And 10 with learning-rate schedules (every kind) and gradient clipping (norm, value); 10
    // with OneCycleLR (its momentum or β₁ cycled on every optimizer that has one, plain SGD's
    // turned on, both anneals, three phases, and without cycling) and 3 with ReduceLROnPlateau
    // (relative and absolute thresholds, cooldown, min_lr); and 6 of L-BFGS (fixed step and
    // strong Wolfe, history sizes, a schedule, clipping); and 3 that diverge (one under a
    // growing schedule).
    assert_eq!(cases.len(), 107);
    let mut diverging = 0;
    let mut schedules = std::collections::HashSet::new();
    let mut seen = std::collections::HashSet::new();
    let mut worst = 0.0f64;
    for case in cases {
        let name = case["surface"].as_str().unwrap();
        let kind = OptimizerKind::parse(case["optimizer"].as_str().unwrap()).unwrap();
        let s = surface::by_name(name).unwrap();
        let mut hyper = Hyper::defaults(kind);
        hyper.lr = case["lr"].as_f64().unwrap();
        // gdviz's names (torch's `alpha` for RMSprop's α); a case without one used PyTorch's
        // default (μ: 0.9 for momentum).
        for h in HyperName::ALL {
            let key = if h == HyperName::Decay {
                "alpha"
            } else {
                h.name()
            };
            let v = &case[key];
            let value = match h.kind() {
                _ if v.is_null() => continue,
                HyperKind::Number => HyperValue::Num(v.as_f64().unwrap()),
                HyperKind::Flag => HyperValue::Flag(v.as_bool().unwrap()),
                HyperKind::Pair => HyperValue::Pair(v[0].as_f64().unwrap(), v[1].as_f64().unwrap()),
                HyperKind::Choice => h.choice(v.as_str().unwrap()).unwrap(),
            };
            hyper.set(h, value).unwrap();
            if h != HyperName::Lr && value != Hyper::defaults(kind).get(h) {
                seen.insert(h);
            }
        }
        let start = case["start"].as_array().unwrap();
        let schedule = case["schedule"]
            .as_str()
            .map_or(Schedule::Constant, |s| Schedule::parse(s).unwrap());
        schedules.insert(schedule.kind());
        let cfg = RunConfig {
            hyper,
            schedule,
            clip: Clip {
                norm: case["clip_norm"].as_f64(),
                value: case["clip_value"].as_f64(),
            },
            steps: case["steps"].as_u64().unwrap() as usize,
            start: [start[0].as_f64().unwrap(), start[1].as_f64().unwrap()],
            ..RunConfig::new(s.as_ref(), kind)
        };
        let t = run(s.as_ref(), &cfg).unwrap();
        // A divergent case stops where torch's run first leaves the view far behind (that step
        // recorded) or turns non-finite (not recorded); the others take every step.
        let diverged_at = case["diverged_at"].as_u64().map(|k| k as usize);
        match diverged_at {
            Some(step) => {
                assert_eq!(t.status, Status::Diverged { step }, "{name} {kind:?}");
                diverging += 1;
            }
            None => assert_eq!(
                t.steps(),
                cfg.steps,
                "{name} {kind:?} stopped early: {:?}",
                t.status
            ),
        }
        let csv =
            std::fs::read_to_string(format!("{dir}/{}", case["file"].as_str().unwrap())).unwrap();
        let mut rows = 0;
        for line in csv.lines().skip(1) {
            // A scheduled run's fifth column is the rate of the step that led to the row.
            let cols: Vec<&str> = line.split(',').collect();
            let v: Vec<f64> = cols[..4].iter().map(|x| x.parse().unwrap()).collect();
            let k = v[0] as usize;
            if let Some(lr) = cols.get(4).filter(|c| !c.is_empty()) {
                let want: f64 = lr.parse().unwrap();
                let got = t.lrs[k - 1];
                assert!(
                    (got - want).abs() <= 1e-12 * want.abs(),
                    "{name} {kind:?} step {k}: lr {got:e}, PyTorch {want:e}"
                );
            }
            let ours = [t.points[k][0], t.points[k][1], t.losses[k]];
            for i in 0..3 {
                let (a, b) = (ours[i], v[i + 1]);
                // 1e-9 relative, with an absolute floor for values that fall to ~0.
                let err = (a - b).abs() / b.abs().max(1e-6);
                worst = worst.max(err);
                assert!(
                    err <= 1e-9,
                    "{name} {kind:?} step {k}: ours {ours:?}, PyTorch {:?}",
                    &v[1..]
                );
            }
            rows += 1;
        }
        if diverged_at.is_some() {
            assert_eq!(
                rows,
                t.points.len(),
                "{name} {kind:?}: every recorded step compared"
            );
        } else {
            assert_eq!(rows, 34);
        }
    }
    assert_eq!(diverging, 3, "the divergent runs");
    eprintln!("largest relative difference from PyTorch: {worst:e}");
    // Every optimizer of torch.optim was recorded (Newton's method and the Armijo line search
    // are not in it), and every hyper-parameter moved off its default at least once.
    let not_torch = [OptimizerKind::Newton, OptimizerKind::Linesearch];
    for kind in OptimizerKind::ALL
        .into_iter()
        .filter(|k| !not_torch.contains(k))
    {
        assert!(
            cases.iter().any(|c| c["optimizer"] == kind.name()),
            "no golden case for {}",
            kind.name()
        );
    }
    assert_eq!(schedules.len(), 9, "every kind of schedule: {schedules:?}");
    for h in HyperName::ALL.into_iter().filter(|&h| h != HyperName::Lr) {
        assert!(seen.contains(&h), "no golden case moves {}", h.name());
    }
}
