//! Robustness: no panics anywhere in the public API, whatever the numbers and strings.
//!
//! Every property mixes ordinary values with the nasty ones (NaN, ±∞, ±0, subnormals, ±1e308,
//! `f64::MAX`, zero/huge step counts and batch sizes, `u64::MAX` seeds, empty, long, unicode and
//! control-character strings) and checks real invariants: a call returns a value or an error with
//! a message, and a run ends with only finite numbers stored and a status that says how it ended.
//!
//! The properties run a fixed number of cases from a fixed seed, so every run of the suite tries
//! the same inputs; `PROPTEST_CASES` (cases per property) and `PROPTEST_RNG_SEED` explore more,
//! e.g. `PROPTEST_CASES=5000 cargo test --test robust`.

use gdviz::contour::{segments, Field, Levels, Scale};
use gdviz::dataview::{self, chart_ranges, clip_polyline, model_curve};
use gdviz::expr::ExprSurface;
use gdviz::linalg::{self, clip_segment, solve, sym_eigenvalues};
use gdviz::optim::Clip;
use gdviz::options::{self, apply_all, Options, Value};
use gdviz::plot3d::{self, Camera, Heights, Mesh};
use gdviz::render::{self, Frame, Style};
use gdviz::run::MAX_STEPS;
use gdviz::schedule::{Schedule, ThresholdMode};
use gdviz::surface::{self, DataKind, Dataset, Surface, View};
use gdviz::variant::{batch_at, FiniteSum, Sampler, ANALYTIC_TERMS};
use gdviz::{
    run, share, teach, Hyper, OptimizerKind, RunConfig, Status, Trajectory, Variant, Vec2,
};
use plotters::prelude::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

// ---------------------------------------------------------------------------------------------
// Configuration.

/// Cases per property: `PROPTEST_CASES` if set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `default` cases from a fixed seed (unless `PROPTEST_RNG_SEED` says otherwise), no files.
fn config(default: u32) -> Config {
    let d = Config::default();
    Config {
        cases: cases(default),
        failure_persistence: None,
        rng_seed: match d.rng_seed {
            RngSeed::Random => RngSeed::Fixed(0x0067_6476_697a),
            seed => seed,
        },
        ..d
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies.

/// The floats that break naive code.
const NASTY: [f64; 24] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    0.0,
    -0.0,
    f64::MIN_POSITIVE / 2.0,
    5e-324,
    -5e-324,
    f64::MIN_POSITIVE,
    1e-300,
    -1e-300,
    1e308,
    -1e308,
    f64::MAX,
    f64::MIN,
    1e300,
    -1e300,
    f64::EPSILON,
    1.0 - f64::EPSILON / 2.0,
    1.0,
    -1.0,
    0.5,
    2.0,
    1e6,
];

fn nasty() -> impl Strategy<Value = f64> {
    proptest::sample::select(NASTY.to_vec())
}

/// Any float: ordinary ones, the nasty ones, and every bit pattern.
fn float() -> BoxedStrategy<f64> {
    prop_oneof![
        3 => -10.0..10.0f64,
        3 => nasty(),
        1 => -1e6..1e6f64,
        1 => any::<f64>(),
    ]
    .boxed()
}

/// A finite float, ordinary or extreme.
fn finite() -> BoxedStrategy<f64> {
    float().prop_filter("finite", |v| v.is_finite()).boxed()
}

fn point() -> impl Strategy<Value = Vec2> {
    (float(), float()).prop_map(|(x, y)| [x, y])
}

/// A value in [0, 1) or near it (the range of momentum, β₁, β₂ and decay), or anything.
fn unit() -> BoxedStrategy<f64> {
    prop_oneof![
        3 => 0.0..1.0f64,
        1 => proptest::sample::select(vec![0.0, 0.9, 0.999, 1.0 - f64::EPSILON / 2.0, 5e-324, 1.0]),
        1 => float(),
    ]
    .boxed()
}

/// A positive scale from 1e-12 to 1e3 (learning rates, ε), or anything.
fn positive() -> BoxedStrategy<f64> {
    prop_oneof![
        3 => (-12.0..3.0f64).prop_map(|e| 10f64.powf(e)),
        1 => float(),
    ]
    .boxed()
}

fn optimizer() -> impl Strategy<Value = OptimizerKind> {
    proptest::sample::select(OptimizerKind::ALL.to_vec())
}

fn variant() -> impl Strategy<Value = Variant> {
    proptest::sample::select(Variant::ALL.to_vec())
}

/// Every hyper-parameter, in range or not, and every flag on or off: zero weight decay and
/// dampening half the time, so the plain rules are exercised too.
fn hyper() -> impl Strategy<Value = Hyper> {
    let sometimes = |s: BoxedStrategy<f64>| prop_oneof![1 => Just(0.0), 1 => s].boxed();
    let base = (positive(), unit(), unit(), unit(), positive(), unit());
    let more = (
        sometimes(unit()),
        unit(),
        sometimes(positive()),
        sometimes(positive()),
        sometimes(positive()),
        positive(),
        (unit(), (1.0..3.0f64).boxed().prop_union(float()).boxed()),
        (positive(), positive()),
        proptest::array::uniform3(proptest::bool::ANY),
        prop_oneof![3 => (1u32..200).prop_map(f64::from), 1 => float()],
        proptest::sample::select(vec!["none", "strong_wolfe"]),
    );
    (base, more).prop_map(
        |(
            (lr, momentum, beta1, beta2, eps, decay),
            (
                dampening,
                rho,
                weight_decay,
                lr_decay,
                initial_accumulator,
                momentum_decay,
                (eta_minus, eta_plus),
                (step_min, step_max),
                [amsgrad, centered, decoupled],
                history_size,
                line_search,
            ),
        )| Hyper {
            lr,
            momentum,
            dampening,
            beta1,
            beta2,
            eps,
            decay,
            rho,
            weight_decay,
            lr_decay,
            initial_accumulator,
            momentum_decay,
            etas: [eta_minus, eta_plus],
            step_sizes: [step_min.min(step_max), step_max.max(step_min)],
            amsgrad,
            centered,
            decoupled,
            history_size,
            line_search,
        },
    )
}

/// Text that breaks naive string handling.
fn nasty_text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => proptest::sample::select(vec![
            String::new(),
            " ".into(),
            "<img src=x onerror=alert(1)>".into(),
            "%".into(),
            "%zz".into(),
            "%00%ff%FE".into(),
            "\u{0}\u{7}\n\r\t".into(),
            "é✓🙂 \u{202e}".into(),
            "9".repeat(5000),
            "x".repeat(100_000),
            "NaN".into(),
            "inf".into(),
            "-infinity".into(),
            "1e308".into(),
            "-1e308,1e308".into(),
            "1e999".into(),
            "5e-324".into(),
            "-0".into(),
            ";;;,,,:::".into(),
            "a=b&c=d".into(),
        ]),
        2 => any::<String>(),
        1 => proptest::collection::vec(any::<char>(), 0..300)
            .prop_map(|c| c.into_iter().collect::<String>()),
    ]
    .boxed()
}

/// Typed formulas with hard spots: overflow, poles, unbounded below, undefined halves,
/// subnormal values, wild oscillation.
const FORMULAS: [&str; 10] = [
    "x^2 + 10*y^2",
    "x*1e308 + y",
    "exp(100*x*y)",
    "1/x + y^2",
    "-x - y",
    "sqrt(x) + log(y)",
    "1e-320*x^4 + 1e-320*y^2",
    "1e308*(x^2 + y^2)",
    "abs(x) + abs(y)",
    "sin(1e6*x) + y^2",
];

/// A surface to build: a catalog entry with its parameters at one of their bounds, or a formula.
#[derive(Debug, Clone)]
enum Pick {
    /// Catalog index; parameters at their default, min, max or midpoint.
    Catalog(usize, usize),
    /// A typed formula over the default view.
    Formula(&'static str),
}

impl Pick {
    fn build(&self) -> Box<dyn Surface> {
        match *self {
            Pick::Catalog(k, which) => {
                let e = &surface::catalog()[k];
                let values: Vec<(String, f64)> = e
                    .params
                    .iter()
                    .map(|p| {
                        let v = [p.default, p.min, p.max, 0.5 * (p.min + p.max)][which];
                        (p.name.to_string(), v)
                    })
                    .collect();
                e.build(&values).expect("values within the spec")
            }
            Pick::Formula(f) => {
                Box::new(ExprSurface::parse(f, gdviz::expr::DEFAULT_VIEW).expect(f))
            }
        }
    }
}

/// Catalog surfaces (parameters at their bounds) and typed formulas.
fn any_surface() -> impl Strategy<Value = Pick> {
    prop_oneof![
        3 => (0..surface::catalog().len(), 0usize..4).prop_map(|(k, w)| Pick::Catalog(k, w)),
        1 => proptest::sample::select(FORMULAS.to_vec()).prop_map(Pick::Formula),
    ]
}

// ---------------------------------------------------------------------------------------------
// Invariants.

/// Whether every coordinate is finite.
fn all_finite(points: &[Vec2]) -> bool {
    points.iter().all(|&p| linalg::is_finite(p))
}

/// The claims of a trajectory returned by `run` for `cfg` on `s`.
fn check_trajectory(s: &dyn Surface, cfg: &RunConfig, t: &Trajectory) -> Result<(), TestCaseError> {
    prop_assert!(!t.points.is_empty());
    prop_assert_eq!(t.points.len(), t.losses.len());
    prop_assert_eq!(t.grads.len(), t.points.len() - 1);
    prop_assert!(all_finite(&t.points), "non-finite point stored: {:?}", t);
    prop_assert!(
        t.losses.iter().all(|l| l.is_finite()),
        "non-finite loss: {:?}",
        t
    );
    prop_assert!(all_finite(&t.grads), "non-finite gradient stored: {:?}", t);
    prop_assert_eq!(t.points[0], cfg.start);
    for (p, l) in t.points.iter().zip(&t.losses) {
        prop_assert_eq!(s.value(*p).to_bits(), l.to_bits(), "loss is f at the point");
    }
    match t.status {
        Status::Diverged { step } => {
            // Stopped at `step`: its point is stored only if it was finite (and far away).
            prop_assert!(step >= 1 && step <= cfg.steps, "{:?}", t.status);
            prop_assert!(
                step == t.steps() || step == t.steps() + 1,
                "diverged at {} with {} steps stored",
                step,
                t.steps()
            );
        }
        Status::Converged => {
            prop_assert_eq!(t.steps(), cfg.steps);
            prop_assert!(linalg::norm(s.gradient(t.last())) < cfg.tolerance);
        }
        Status::MaxSteps => {
            prop_assert_eq!(t.steps(), cfg.steps);
            let converged = linalg::norm(s.gradient(t.last())) < cfg.tolerance;
            prop_assert!(!converged);
        }
    }
    Ok(())
}

/// Whether `run` must accept `cfg` on `s` (every rejection is for a reason it can name).
fn valid(s: &dyn Surface, cfg: &RunConfig) -> bool {
    let n = s.terms().unwrap_or(ANALYTIC_TERMS);
    let noise = cfg.noise.unwrap_or_else(|| s.default_noise());
    cfg.steps <= MAX_STEPS
        && linalg::is_finite(cfg.start)
        && s.value(cfg.start).is_finite()
        && cfg.hyper.validate(cfg.optimizer).is_ok()
        && cfg.schedule.check_run(cfg.optimizer, cfg.steps).is_ok()
        && noise.is_finite()
        && noise >= 0.0
        && (cfg.variant != Variant::MiniBatch || (1..=n).contains(&cfg.batch))
        && (cfg.variant == Variant::Batch || !cfg.optimizer.evaluates_f())
        && [cfg.clip.norm, cfg.clip.value]
            .into_iter()
            .flatten()
            .all(|c| c.is_finite() && c > 0.0)
}

fn check_error(e: &gdviz::Error) -> Result<(), TestCaseError> {
    prop_assert!(!e.option.is_empty(), "{:?}", e);
    prop_assert!(!e.message.trim().is_empty(), "{:?}", e);
    prop_assert!(!e.to_string().is_empty());
    Ok(())
}

/// Notices are short plain messages naming the option they concern: at most 300 characters,
/// plus the typed formula they may quote (itself at most `MAX_LEN`).
fn check_notices(notices: &[String]) -> Result<(), TestCaseError> {
    for n in notices {
        prop_assert!(n.contains(": "), "{:?}", n);
        let limit = 300
            + if n.starts_with("expr: ") {
                gdviz::expr::MAX_LEN
            } else {
                0
            };
        prop_assert!(
            n.chars().count() <= limit,
            "notice of {} characters: {}",
            n.chars().count(),
            n
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Surfaces.

proptest! {
    #![proptest_config(config(1200))]

    /// Every catalog surface with any parameter value: a surface or an error naming it; then
    /// every method at any point answers without panicking, finitely inside the view.
    #[test]
    fn surfaces_answer_everywhere(
        k in 0..surface::catalog().len(),
        value in prop_oneof![2 => float(), 1 => 0.0..20.0f64, 1 => Just(-1.0)],
        bound in proptest::sample::select(vec![0usize, 1, 2, 3]),
        points in proptest::collection::vec(point(), 1..6),
        u in 0.0..=1.0f64,
        w in 0.0..=1.0f64,
        features in proptest::collection::vec(float(), 0..4),
        term in any::<usize>(),
    ) {
        let e = &surface::catalog()[k];
        let values: Vec<(String, f64)> = e.params.iter().map(|p| {
            let v = [value, p.min, p.max, p.min - (p.max - p.min) * 1e-9][bound];
            (p.name.to_string(), v)
        }).collect();
        let s = match e.build(&values) {
            Ok(s) => {
                for (p, (_, v)) in e.params.iter().zip(&values) {
                    prop_assert!(v.is_finite() && *v >= p.min && *v <= p.max);
                }
                s
            }
            Err(err) => {
                check_error(&err)?;
                prop_assert!(e.params.iter().any(|p| p.name == err.option), "{}", err);
                prop_assert!(values.iter().any(|(_, v)| !v.is_finite() || e.params.iter().any(|p| *v < p.min || *v > p.max)));
                return Ok(());
            }
        };
        // What a plot relies on.
        let v = s.view();
        prop_assert!(v.x.0.is_finite() && v.x.1.is_finite() && v.x.0 < v.x.1, "{:?}", v);
        prop_assert!(v.y.0.is_finite() && v.y.1.is_finite() && v.y.0 < v.y.1, "{:?}", v);
        prop_assert!(linalg::is_finite(s.start()) && s.value(s.start()).is_finite());
        for m in s.minima() {
            prop_assert!(linalg::is_finite(m.at) && m.value.is_finite(), "{:?}", m);
        }
        prop_assert!(s.default_noise().is_finite() && s.default_noise() >= 0.0);
        let n = s.terms();
        prop_assert!(n != Some(0));
        // Inside the view, everything is finite.
        let inside = [v.x.0 + (v.x.1 - v.x.0) * u, v.y.0 + (v.y.1 - v.y.0) * w];
        prop_assert!(s.value(inside).is_finite());
        prop_assert!(linalg::is_finite(s.gradient(inside)));
        let h = s.hessian(inside);
        prop_assert!(linalg::is_finite(h[0]) && linalg::is_finite(h[1]));
        if let Some(n) = n {
            prop_assert!(linalg::is_finite(s.term_gradient(term % n, inside)));
        }
        // Anywhere: an answer.
        for p in points.iter().copied().chain([inside]) {
            let _ = (s.value(p), s.gradient(p), s.hessian(p));
            let i = n.map_or(term, |n| term % n);
            let _ = s.term_gradient(i, p);
            if let Some(b) = s.decision_boundary(p) {
                prop_assert!(b.is_finite());
            }
            for len in 0..=features.len() {
                let _ = s.predict(p, &features[..len]);
            }
            if let Some(data) = s.data() {
                let x: Vec<f64> = data.x.iter().take(2).copied().collect();
                if let (Some(y), true) = (s.predict(inside, &x[..1]), data.x2.is_none()) {
                    prop_assert!(y.is_finite());
                }
            }
        }
        let _ = (s.name(), s.formula(), s.note(), s.axis_names(), s.is_quadratic());
    }

    /// A finite sum of any surface with any noise, and batches of any of its terms.
    #[test]
    fn finite_sums_with_any_noise(s in any_surface(), noise in float(), p in point(), batch in proptest::collection::vec(any::<usize>(), 0..8)) {
        let s = s.build();
        match FiniteSum::new(s.as_ref(), noise) {
            Ok(sum) => {
                prop_assert!(noise.is_finite() && noise >= 0.0);
                prop_assert!(!sum.is_empty());
                let mut b: Vec<usize> = batch.iter().map(|i| i % sum.len()).collect();
                let g = sum.gradient(p, &mut b);
                if linalg::is_finite(p) && s.view().contains(p) && linalg::is_finite(s.gradient(p)) && noise < 1e300 {
                    prop_assert!(linalg::is_finite(g) || b.is_empty(), "{:?}", g);
                }
            }
            Err(e) => {
                check_error(&e)?;
                prop_assert!(!(noise.is_finite() && noise >= 0.0));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Runs.

fn steps() -> impl Strategy<Value = usize> {
    prop_oneof![
        8 => 0usize..300,
        1 => 300usize..3000,
        1 => proptest::sample::select(vec![MAX_STEPS + 1, usize::MAX, usize::MAX / 2]),
    ]
}

fn batch_size() -> impl Strategy<Value = usize> {
    prop_oneof![
        3 => 0usize..=60,
        1 => proptest::sample::select(vec![0, 1, 50, 51, 400, usize::MAX]),
    ]
}

fn seed() -> impl Strategy<Value = u64> {
    prop_oneof![any::<u64>(), Just(u64::MAX), Just(0)]
}

/// Where a run starts: the surface's start, anywhere, or near the surface's start.
#[derive(Debug, Clone)]
enum StartPick {
    Default,
    At(Vec2),
    Near(Vec2),
}

/// Every kind of schedule, with its keys at torch's defaults, at extremes, or anything valid.
fn schedule() -> impl Strategy<Value = Schedule> {
    let specs = [
        "constant",
        "step:step_size=1,gamma=0",
        "step:step_size=7,gamma=2",
        "multistep:milestones=1/1/5,gamma=10",
        "exponential:gamma=1.1",
        "exponential:gamma=0",
        "cosine:t_max=1",
        "cosine:t_max=50,eta_min=5",
        "cosine-restarts:t_0=1,t_mult=3",
        "linear:start_factor=1e-300,end_factor=0,total_iters=1099511627776",
        "linear",
        "onecycle:max_lr=0.1,total_steps=1",
        "onecycle:max_lr=1,total_steps=1099511627776,anneal_strategy=linear,three_phase=true",
        "onecycle:max_lr=0,total_steps=50,pct_start=0,cycle_momentum=false",
        "onecycle:max_lr=10,total_steps=200,div_factor=1e-300,base_momentum=0,max_momentum=0",
        "plateau",
        "plateau:factor=0,patience=0,threshold=1e300,threshold_mode=abs,cooldown=3",
        "plateau:patience=0,threshold=2,min_lr=1e300,eps=0",
    ];
    prop_oneof![
        3 => proptest::sample::select(specs.to_vec()).prop_map(|s| Schedule::parse(s).unwrap()),
        1 => (1u64..1000, 0.0..2.0f64).prop_map(|(step_size, gamma)| Schedule::Step { step_size, gamma }),
        1 => (1u64..1000, 0.0..1.0f64).prop_map(|(t_max, eta_min)| Schedule::Cosine { t_max, eta_min }),
        1 => (0.0..2.0f64, 1u64..2000, 0.0..1.0f64, any::<bool>(), any::<bool>()).prop_filter_map(
            "a valid one-cycle spec",
            |(max_lr, total_steps, pct_start, three_phase, cycle_momentum)| {
                let spec = format!(
                    "onecycle:max_lr={max_lr},total_steps={total_steps},pct_start={pct_start},\
                     three_phase={three_phase},cycle_momentum={cycle_momentum}"
                );
                Schedule::parse(&spec).ok()
            }
        ),
        1 => (0.0..1.0f64, 0u64..20, 0.0..0.1f64, any::<bool>(), 0u64..20).prop_map(
            |(factor, patience, threshold, abs, cooldown)| Schedule::Plateau {
                factor,
                patience,
                threshold,
                threshold_mode: if abs { ThresholdMode::Abs } else { ThresholdMode::Rel },
                cooldown,
                min_lr: 0.0,
                eps: 1e-8,
            }
        ),
    ]
}

/// No clipping, or clipping by norm and by value at any bound, valid or not.
fn clip() -> impl Strategy<Value = Clip> {
    (
        proptest::option::of(positive()),
        proptest::option::of(positive()),
    )
        .prop_map(|(norm, value)| Clip { norm, value })
}

/// A surface and a run configuration with anything in every field.
fn surface_and_config() -> impl Strategy<Value = (Pick, RunConfig, StartPick)> {
    let start = prop_oneof![
        2 => Just(StartPick::Default),
        1 => point().prop_map(StartPick::At),
        1 => point().prop_map(StartPick::Near),
    ];
    (
        any_surface(),
        (optimizer(), hyper(), variant(), batch_size(), seed()),
        (
            proptest::option::of(float()),
            steps(),
            start,
            prop_oneof![Just(1e-6), float()],
        ),
        (schedule(), clip()),
    )
        .prop_map(
            |(
                pick,
                (optimizer, hyper, variant, batch, seed),
                (noise, steps, start, tolerance),
                (schedule, clip),
            )| {
                let cfg = RunConfig {
                    optimizer,
                    hyper,
                    variant,
                    batch,
                    seed,
                    noise,
                    steps,
                    start: [0.0; 2],
                    tolerance,
                    schedule,
                    clip,
                };
                (pick, cfg, start)
            },
        )
}

/// The surface and the configuration with its start resolved.
fn resolve((pick, cfg, start): (Pick, RunConfig, StartPick)) -> (Box<dyn Surface>, RunConfig) {
    let s = pick.build();
    let o = s.start();
    let start = match start {
        StartPick::Default => o,
        StartPick::At(p) => p,
        StartPick::Near(d) => [o[0] + d[0], o[1] + d[1]],
    };
    (s, RunConfig { start, ..cfg })
}

proptest! {
    #![proptest_config(config(1200))]

    /// Any optimizer × variant × hyper-parameters × start × steps: an error naming what is
    /// wrong, or a trajectory of finite numbers whose status says how it ended; and the update
    /// `explain` writes out is the run's.
    #[test]
    fn runs_store_only_finite_numbers(c in surface_and_config(), pick in any::<usize>()) {
        let (s, cfg) = resolve(c);
        let s = s.as_ref();
        match run(s, &cfg) {
            Ok(t) => {
                prop_assert!(valid(s, &cfg), "accepted an invalid configuration: {:?}", cfg);
                check_trajectory(s, &cfg, &t)?;
                if t.steps() > 0 {
                    let k = 1 + pick % t.steps();
                    let d = teach::explain(s, &cfg, k);
                    prop_assert!(d.is_some(), "no explanation of step {} of {:?}", k, t);
                    let d = d.unwrap();
                    prop_assert_eq!(d.step, k);
                    prop_assert_eq!(d.before, t.points[k - 1]);
                    prop_assert_eq!(d.after, t.points[k]);
                    prop_assert_eq!(d.gradient, t.grads[k - 1]);
                    prop_assert!(d.lines.len() >= 3 && d.lines.iter().all(|l| !l.is_empty()));
                }
            }
            Err(e) => {
                check_error(&e)?;
                prop_assert!(!valid(s, &cfg), "rejected a valid configuration: {} for {:?}", e, cfg);
            }
        }
    }

    /// `explain` at any step of any configuration: an answer, never a panic or a hang.
    #[test]
    fn explain_answers_for_any_step(c in surface_and_config(), step in prop_oneof![0usize..400, Just(MAX_STEPS + 1), Just(usize::MAX)]) {
        let (s, cfg) = resolve(c);
        let d = teach::explain(s.as_ref(), &cfg, step);
        if step == 0 || step > cfg.steps || cfg.steps > MAX_STEPS {
            prop_assert!(d.is_none());
        }
        if let Some(d) = d {
            prop_assert_eq!(d.step, step);
            prop_assert!(linalg::is_finite(d.before) && linalg::is_finite(d.after) && linalg::is_finite(d.gradient));
            prop_assert!(d.lines.iter().all(|l| !l.is_empty()));
        }
    }

    /// Samplers and batch replays with any sizes and seeds.
    #[test]
    fn samplers_with_any_sizes(v in variant(), n in 0usize..200, batch in batch_size(), seed in seed(), step in prop_oneof![0usize..300, Just(MAX_STEPS + 1), Just(usize::MAX)]) {
        match Sampler::new(v, n, batch, seed) {
            Ok(mut sm) => {
                prop_assert!(v != Variant::MiniBatch || (1..=n).contains(&batch));
                let mut out = Vec::new();
                for _ in 0..3 {
                    sm.next_batch(&mut out);
                    prop_assert!(out.iter().all(|&i| i < n));
                    prop_assert!(out.len() <= sm.batch_size().max(n.min(1)));
                }
            }
            Err(e) => {
                check_error(&e)?;
                prop_assert_eq!(v, Variant::MiniBatch);
            }
        }
        match batch_at(v, n, batch, seed, step) {
            Ok(b) => {
                prop_assert!(step <= MAX_STEPS);
                prop_assert!(b.iter().all(|&i| i < n));
                prop_assert!(b.windows(2).all(|w| w[0] < w[1]));
            }
            Err(e) => check_error(&e)?,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Options and shared links.

/// Option names: the real ones, surface parameters, and junk.
fn key() -> BoxedStrategy<String> {
    let mut keys: Vec<String> = options::KEYS.iter().map(|k| k.to_string()).collect();
    keys.extend(["kappa", "lambda", "bogus", "", "<b>", "%", "surface ", "LR"].map(String::from));
    prop_oneof![
        6 => proptest::sample::select(keys),
        1 => nasty_text(),
    ]
    .boxed()
}

/// Option values as text: names, numbers, pairs, race entries, formulas, and junk.
fn text_value() -> BoxedStrategy<String> {
    let mut words: Vec<String> = surface::catalog()
        .iter()
        .map(|e| e.name.to_string())
        .collect();
    words.extend(OptimizerKind::ALL.iter().map(|k| k.name().to_string()));
    words.extend(Variant::ALL.iter().map(|v| v.name().to_string()));
    words.extend(
        [
            "expr",
            "0",
            "1",
            "0.5",
            "0.9",
            "0.999",
            "1e-3",
            "0.05",
            "2",
            "10",
            "49",
            "50",
            "51",
            "250",
            "5000",
            "100001",
            "1e9",
            "1.5",
            "-1",
            " 3 ",
            "0x10",
            "9007199254740991",
            "9007199254740992",
            "18446744073709551615",
            "1,2",
            "NaN,1",
            "1e308,1e308",
            "-1e308,1e308",
            "-1e6,1e6",
            "-1e-300,1e-300",
            "0,0",
            "1,",
            ",",
            "-3,3",
            "2,-2",
            "optimizer:sgd;optimizer:adam",
            "optimizer:adam,lr:0.1",
            "lr:NaN",
            ":",
            "batch:0",
            "optimizer:sgd;optimizer:sgd;optimizer:sgd;optimizer:sgd;optimizer:sgd",
            "variant:minibatch,batch:51;seed:18446744073709551615",
            "surface:beale",
            "race:optimizer:sgd",
        ]
        .map(String::from),
    );
    words.extend(FORMULAS.iter().map(|f| f.to_string()));
    prop_oneof![
        6 => proptest::sample::select(words),
        2 => nasty_text(),
        1 => float().prop_map(|v| v.to_string()),
    ]
    .boxed()
}

/// A value as the page's JavaScript or the CLI might pass it.
fn value() -> BoxedStrategy<Value> {
    let entry = proptest::collection::vec((key(), text_value().prop_map(Value::Str)), 0..4);
    prop_oneof![
        6 => text_value().prop_map(Value::Str),
        2 => float().prop_map(Value::Num),
        1 => (float(), float()).prop_map(|(a, b)| Value::Pair(a, b)),
        1 => Just(Value::Null),
        1 => proptest::collection::vec(entry, 0..6).prop_map(Value::Entries),
    ]
    .boxed()
}

/// Checks what `apply_all` returned and that the options in force still compute and survive a
/// round trip through a link, from the defaults and from another state.
fn check_applied(o: &Options, a: &options::Applied) -> Result<(), TestCaseError> {
    check_notices(&a.notices)?;
    let runs = &a.computed.runs;
    prop_assert_eq!(runs.len(), o.runs().len());
    prop_assert!((1..=options::MAX_RUNS).contains(&o.runs().len()));
    prop_assert!(o.selected() < o.runs().len());
    let s = a.computed.surface.as_ref();
    for (i, r) in runs.iter().enumerate() {
        prop_assert_eq!(&r.config, &o.run_config(s, i));
        check_trajectory(s, &r.config, &r.trajectory)?;
    }
    // The link holds the same state.
    let mut other = Options::default();
    other.add_run().unwrap();
    for base in [Options::default(), other] {
        let q = share::query_string(&share::query_pairs(o, &base));
        let mut back = base;
        let b = apply_all(&mut back, &share::changes(&share::parse_query(&q)), None);
        prop_assert!(b.is_ok());
        let b = b.unwrap();
        prop_assert!(b.notices.is_empty(), "{}: {:?}", q, b.notices);
        prop_assert_eq!(&back, o, "{}", q);
        for (x, y) in runs.iter().zip(&b.computed.runs) {
            prop_assert_eq!(&x.trajectory.points, &y.trajectory.points, "{}", q);
        }
    }
    let csv = share::csv(o, a.computed.trajectories());
    let rows: usize = a.computed.trajectories().map(|t| t.points.len()).sum();
    prop_assert_eq!(csv.lines().count(), rows + 1);
    Ok(())
}

proptest! {
    #![proptest_config(config(400))]

    /// Any option changes from the page, the scripting hook or a link: notices for what is
    /// rejected, runs of finite numbers for what is in force.
    #[test]
    fn options_take_any_values(changes in proptest::collection::vec((key(), value()), 0..8)) {
        let mut o = Options::default();
        let a = apply_all(&mut o, &changes, None);
        prop_assert!(a.is_ok(), "{:?}", a.err());
        let a = a.unwrap();
        check_applied(&o, &a)?;
        // A second batch of changes on top of the first, taking over what still applies.
        let again = apply_all(&mut o, &changes[changes.len() / 2..], Some(a.computed));
        prop_assert!(again.is_ok());
        check_applied(&o, &again.unwrap())?;
    }

    /// Any query string, as a link might hold it.
    #[test]
    fn links_take_any_query(
        pairs in proptest::collection::vec((key(), text_value()), 0..8),
        junk in nasty_text(),
        glue in proptest::sample::select(vec!["&", "=", "&&", "?", "%", "+"]),
    ) {
        let q = format!("?{}{glue}{junk}", share::query_string(&pairs));
        let parsed = share::parse_query(&q);
        let mut o = Options::default();
        let a = apply_all(&mut o, &share::changes(&parsed), None);
        prop_assert!(a.is_ok());
        check_applied(&o, &a.unwrap())?;
    }

    /// Encoding then parsing a query gives back exactly the pairs.
    #[test]
    fn queries_round_trip(pairs in proptest::collection::vec((nasty_text(), nasty_text()), 0..5)) {
        let q = share::query_string(&pairs);
        prop_assert!(q.bytes().all(|b| b.is_ascii_graphic()));
        prop_assert_eq!(share::parse_query(&q), pairs);
    }

    /// Run lists of any text read back as the same runs, or are an error.
    #[test]
    fn runs_text_of_any_entries(text in prop_oneof![nasty_text(), text_value()]) {
        let mut o = Options::default();
        match o.apply("runs", &Value::Str(text)) {
            Ok(()) => {
                let again = share::runs_text(o.runs());
                let mut back = Options::default();
                prop_assert!(back.apply("runs", &Value::Str(again.clone())).is_ok(), "{:?}", again);
                prop_assert_eq!(back.runs(), o.runs());
            }
            Err(e) => check_error(&e)?,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Contours and drawing geometry.

/// A view with any sides: ordinary, tiny, huge, inverted, empty or not finite.
fn any_view() -> BoxedStrategy<View> {
    let side = prop_oneof![
        3 => (-10.0..10.0f64, 1e-3..20.0f64).prop_map(|(a, w)| (a, a + w)),
        1 => (-1.0..1.0f64).prop_map(|a| (a, a + 1e-300)),
        1 => Just((-1e308, 1e308)),
        1 => Just((-f64::MAX, f64::MAX)),
        1 => Just((1e6, -1e6)),
        1 => Just((0.0, 0.0)),
        2 => (float(), float()),
    ];
    (side.clone(), side)
        .prop_map(|(x, y)| View { x, y })
        .boxed()
}

/// Whether a view has positive sides within ±1e301 (beyond, grid lines may round past f64::MAX).
fn sane(v: View) -> bool {
    [v.x, v.y]
        .iter()
        .all(|&(a, b)| a < b && a.abs() <= 1e301 && b.abs() <= 1e301)
}

/// A field as `Field::sample` makes it, or with any values (NaN and ∞ included).
fn any_field() -> BoxedStrategy<Field> {
    let sampled = (any_surface(), any_view(), 0usize..40, 0usize..40)
        .prop_map(|(s, v, nx, ny)| Field::sample(s.build().as_ref(), v, nx, ny));
    let made = (2usize..12, 2usize..12, any_view())
        .prop_flat_map(|(nx, ny, view)| {
            (
                proptest::collection::vec(float(), nx * ny),
                Just((nx, ny, view)),
            )
        })
        .prop_map(|(values, (nx, ny, view))| {
            let finite = values.iter().copied().filter(|v| v.is_finite());
            let min = finite.clone().fold(f64::INFINITY, f64::min);
            let max = finite.fold(f64::NEG_INFINITY, f64::max);
            Field {
                nx,
                ny,
                view,
                values,
                min,
                max,
            }
        });
    let constant = (2usize..8, float(), any_view()).prop_map(|(n, c, view)| Field {
        nx: n,
        ny: n,
        view,
        values: vec![c; n * n],
        min: c,
        max: c,
    });
    prop_oneof![3 => sampled, 2 => made, 1 => constant].boxed()
}

fn frame() -> BoxedStrategy<Frame> {
    let size = prop_oneof![3 => 1.0..800.0f64, 1 => float()];
    (any_view(), float(), float(), size.clone(), size)
        .prop_map(|(view, left, top, width, height)| Frame {
            view,
            left,
            top,
            width,
            height,
        })
        .boxed()
}

/// Whether a frame is one a canvas could have: finite, positive size, sane view.
fn drawable(f: &Frame) -> bool {
    sane(f.view)
        && [f.left, f.top, f.width, f.height]
            .iter()
            .all(|v| v.is_finite() && v.abs() < 1e7)
        && f.width >= 1.0
        && f.height >= 1.0
}

proptest! {
    #![proptest_config(config(600))]

    /// Sampling keeps only finite values between min and max; levels and scale positions stay
    /// in range; marching squares gives finite segments inside the view.
    #[test]
    fn contours_of_any_field(field in any_field(), count in prop_oneof![0usize..30, Just(200)], level in float(), v in float()) {
        prop_assert!(field.nx >= 2 && field.ny >= 2 && field.values.len() == field.nx * field.ny);
        let finite_field = field.values.iter().all(|v| v.is_finite());
        if finite_field {
            prop_assert!(field.min <= field.max);
            prop_assert!(field.values.iter().all(|v| *v >= field.min && *v <= field.max));
        }
        let levels = Levels::choose(&field, count);
        let p = levels.scale.position(v);
        prop_assert!((0.0..=1.0).contains(&p), "position {} of {} on {:?}", p, v, levels.scale);
        if finite_field && field.min.is_finite() && field.max.is_finite() {
            prop_assert!(levels.values.len() == count || levels.values.is_empty());
            for l in &levels.values {
                prop_assert!(l.is_finite() && *l >= field.min && *l <= field.max,
                    "level {} outside [{}, {}] on {:?}", l, field.min, field.max, levels.scale);
            }
            prop_assert!(levels.values.windows(2).all(|w| w[0] <= w[1]), "{:?}", levels.values);
            // The top itself may round past f64::MAX when the field reaches it.
            for t in [0.0, 0.25, 0.75] {
                prop_assert!(levels.scale.value_at(t).is_finite(), "{:?} at {}", levels.scale, t);
            }
            prop_assert!(!levels.scale.value_at(1.0).is_nan());
        }
        for l in levels.values.iter().copied().chain([level]).take(4) {
            let segs = segments(&field, l);
            if finite_field && sane(field.view) && l.is_finite() {
                let (x, y) = (field.view.x, field.view.y);
                let tol = |a: f64, b: f64| 1e-9 * (b - a).max(a.abs()).max(b.abs());
                for [a, b] in &segs {
                    for q in [a, b] {
                        prop_assert!(linalg::is_finite(*q), "segment {:?} at level {}", (a, b), l);
                        prop_assert!(q[0] >= x.0 - tol(x.0, x.1) && q[0] <= x.1 + tol(x.0, x.1), "{:?} outside {:?}", q, field.view);
                        prop_assert!(q[1] >= y.0 - tol(y.0, y.1) && q[1] <= y.1 + tol(y.0, y.1), "{:?} outside {:?}", q, field.view);
                    }
                }
            }
        }
        let _ = field.point(field.nx - 1, field.ny - 1);
    }

    /// The heatmap of any field at any small size: one opaque RGBA pixel per pixel.
    #[test]
    fn heatmaps_of_any_size(field in any_field(), w in prop_oneof![0usize..40, Just(0)], h in prop_oneof![0usize..40, Just(0)], f in frame()) {
        let levels = Levels::choose(&field, 8);
        let rgba = render::heatmap_rgba(&field, &levels.scale, w, h, 1.0);
        prop_assert_eq!(rgba.len(), w * h * 4);
        prop_assert!(rgba.chunks(4).all(|px| px[3] == 255));
        let paths = render::contour_paths(&field, &levels, &f);
        prop_assert_eq!(paths.len(), levels.values.len());
        if drawable(&f) && sane(field.view) && field.values.iter().all(|v| v.is_finite()) && f.view == field.view {
            for d in &paths {
                prop_assert!(!d.contains("NaN") && !d.contains("inf"), "{}", d);
            }
        }
    }

    /// Frames of any size map points both ways without panicking; trajectories in pixels stay
    /// finite and within the plot grown by its size, dots on the plot.
    #[test]
    fn trajectory_pixels_of_any_path(
        f in frame(),
        points in proptest::collection::vec(prop_oneof![3 => point(), 1 => (-5.0..5.0f64, -5.0..5.0f64).prop_map(|(x, y)| [x, y])], 0..40),
        upto in prop_oneof![0usize..50, Just(usize::MAX)],
        spacing in prop_oneof![Just(4.0), float()],
        px in float(),
        py in float(),
    ) {
        let _ = (f.to_px([px, py]), f.to_param(px, py), f.contains_px(px, py));
        let out = render::trajectory_pixels(&points, upto, &f, spacing);
        let n = points.len().min(upto.saturating_add(1));
        prop_assert!(out.dots.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(out.dots.iter().all(|&k| k < n));
        if drawable(&f) {
            let (x0, y0) = (f.left - f.width, f.top - f.height);
            let (x1, y1) = (f.left + 2.0 * f.width, f.top + 2.0 * f.height);
            let slack = 1e-6 * (x1.abs() + y1.abs() + x0.abs() + y0.abs());
            for run in &out.runs {
                prop_assert!(!run.is_empty());
                for &(x, y) in run {
                    prop_assert!(x.is_finite() && y.is_finite(), "pixel ({}, {}) of {:?}", x, y, points);
                    prop_assert!(x >= x0 - slack && x <= x1 + slack && y >= y0 - slack && y <= y1 + slack,
                        "pixel ({}, {}) outside the grown plot", x, y);
                }
            }
            for &k in &out.dots {
                let (x, y) = f.to_px(points[k]);
                prop_assert!(f.contains_px(x, y));
            }
        }
    }

    /// Short numbers: never empty, and what they say reads back close to the number.
    #[test]
    fn short_numbers_of_anything(v in float()) {
        let s = render::short(v);
        prop_assert!(!s.is_empty());
        if v.is_finite() {
            let back: f64 = s.parse().map_err(|_| TestCaseError::fail(format!("short({v:e}) = {s:?}")))?;
            prop_assert!(back == 0.0 || back.signum() == v.signum() || v == 0.0, "{} -> {}", v, s);
            if v.abs() >= f64::MIN_POSITIVE && back.is_finite() {
                prop_assert!((back - v).abs() <= 5.1e-3 * v.abs(), "{:e} -> {}", v, s);
            }
        }
        let _ = render::colour(v);
    }
}

// ---------------------------------------------------------------------------------------------
// Linear algebra and teaching.

fn matrix() -> impl Strategy<Value = [[f64; 2]; 2]> {
    (float(), float(), float(), float()).prop_map(|(a, b, c, d)| [[a, b], [c, d]])
}

proptest! {
    #![proptest_config(config(2000))]

    /// Eigenvalues, solutions and clipping of anything; exact claims for ordinary inputs.
    #[test]
    fn linear_algebra_of_anything(m in matrix(), b in point(), lo in point(), hi in point(), p in point(), q in point()) {
        let sym = [[m[0][0], m[0][1]], [m[0][1], m[1][1]]];
        let (e0, e1) = sym_eigenvalues(sym);
        let moderate = |v: f64| v.is_finite() && v.abs() < 1e100;
        // Eigenvalues of any finite symmetric matrix (up to 1e307, so that they exist in f64):
        // ordered, summing to the trace, multiplying to the determinant.
        let scale = sym.iter().flatten().fold(0.0f64, |a, v| a.max(v.abs()));
        if sym.iter().flatten().all(|v| v.is_finite()) && scale <= 1e307 {
            prop_assert!(e0.is_finite() && e1.is_finite() && e0 <= e1, "{:?}: {:e} {:e}", sym, e0, e1);
            let (a, b, d) = (sym[0][0] / scale, sym[0][1] / scale, sym[1][1] / scale);
            if scale > 0.0 && scale.is_normal() && (scale * f64::EPSILON).is_normal() {
                let (u, v) = (e0 / scale, e1 / scale);
                prop_assert!((u + v - (a + d)).abs() <= 1e-12, "{:?}: {:e} {:e}", sym, e0, e1);
                prop_assert!((u * v - (a * d - b * b)).abs() <= 1e-12, "{:?}: {:e} {:e}", sym, e0, e1);
            }
        }
        if let Some(x) = solve(m, b) {
            prop_assert!(m.iter().flatten().all(|v| v.is_finite()));
            if m.iter().flatten().chain(&b).all(|&v| moderate(v)) && linalg::is_finite(x) {
                let r = [m[0][0] * x[0] + m[0][1] * x[1] - b[0], m[1][0] * x[0] + m[1][1] * x[1] - b[1]];
                let size = linalg::norm(b) + linalg::norm(x) * m.iter().flatten().fold(0.0f64, |a, v| a.max(v.abs()));
                prop_assert!(linalg::norm(r) <= 1e-6 * size + 1e-300, "{:?} x = {:?} gives residual {:?}", m, x, r);
            }
        }
        // Clipping: nothing for a non-finite end; ends inside the rectangle, inside ends as
        // they were; any part of the segment inside is kept.
        match clip_segment(p, q, lo, hi) {
            Some((a, c)) => {
                prop_assert!(linalg::is_finite(p) && linalg::is_finite(q));
                if linalg::is_finite(lo) && linalg::is_finite(hi) && lo[0] <= hi[0] && lo[1] <= hi[1] {
                    for e in [a, c] {
                        prop_assert!(e[0] >= lo[0] && e[0] <= hi[0] && e[1] >= lo[1] && e[1] <= hi[1],
                            "{:?} outside {:?}..{:?} clipping {:?}..{:?}", e, lo, hi, p, q);
                    }
                }
                let inside = |v: Vec2| v[0] >= lo[0] && v[0] <= hi[0] && v[1] >= lo[1] && v[1] <= hi[1];
                if inside(p) {
                    prop_assert_eq!(a, p);
                }
                if inside(q) {
                    prop_assert_eq!(c, q);
                }
            }
            None => {
                let inside = |v: Vec2| v[0] >= lo[0] && v[0] <= hi[0] && v[1] >= lo[1] && v[1] <= hi[1];
                prop_assert!(!(linalg::is_finite(p) && linalg::is_finite(q) && (inside(p) || inside(q))),
                    "{:?}..{:?} has an end inside {:?}..{:?}", p, q, lo, hi);
            }
        }
    }

    /// The critical learning rate anywhere on any surface, and its caption.
    #[test]
    fn critical_rates_anywhere(s in any_surface(), at in point(), kind in optimizer(), momentum in unit(), m in matrix()) {
        let s = s.build();
        if let Some(c) = teach::critical(s.as_ref(), at, kind, momentum) {
            prop_assert!(c.lambda_max.is_finite() && c.lambda_max > 0.0);
            prop_assert!(c.lr > 0.0 && c.lr.is_finite(), "{:?}", c);
            if (0.0..1.0).contains(&momentum) {
                if let Some(o) = c.optimizer_lr {
                    prop_assert!(o > 0.0 && o.is_finite(), "{:?}", c);
                }
            }
            let caption = teach::threshold_caption(&c, kind, momentum);
            prop_assert!(!caption.is_empty());
        }
        // A made-up critical value from any matrix's eigenvalues.
        let (_, lambda_max) = sym_eigenvalues(m);
        let c = teach::Critical { lambda_max, lr: 2.0 / lambda_max, optimizer_lr: Some(momentum), exact: momentum > 0.5 };
        prop_assert!(!teach::threshold_caption(&c, kind, momentum).is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// The data view, the 3D view and the drawn charts.

fn dataset() -> impl Strategy<Value = Dataset> {
    let values = |n: usize| proptest::collection::vec(float(), n);
    (0usize..12, any::<bool>(), any::<bool>())
        .prop_flat_map(move |(n, classify, two)| {
            (values(n), values(n), values(n), Just((classify, two)))
        })
        .prop_map(|(x, y, x2, (classify, two))| Dataset {
            kind: if classify {
                DataKind::Classification
            } else {
                DataKind::Regression
            },
            x,
            y,
            x_label: "x",
            y_label: "y",
            x2: two.then_some(x2),
            x2_label: "x2",
        })
}

fn style() -> impl Strategy<Value = Style> {
    (
        proptest::sample::select(vec![1.0, 2.0, 0.5, 3.0, 1.25, 0.0, -1.0, f64::NAN, 1e-9]),
        any::<bool>(),
    )
        .prop_map(|(scale, dark)| Style { scale, dark })
}

/// A run of `s` from anywhere, stopped wherever it stopped.
fn some_run(s: &dyn Surface, start: Vec2, lr: f64, steps: usize) -> Trajectory {
    let cfg = RunConfig {
        hyper: Hyper {
            lr,
            ..Hyper::defaults(OptimizerKind::Sgd)
        },
        steps,
        start,
        ..RunConfig::new(s, OptimizerKind::Sgd)
    };
    run(s, &cfg).unwrap_or_else(|_| {
        run(
            s,
            &RunConfig {
                steps,
                ..RunConfig::new(s, OptimizerKind::Sgd)
            },
        )
        .unwrap()
    })
}

fn svg_size() -> impl Strategy<Value = (u32, u32)> {
    prop_oneof![
        3 => (200u32..700, 150u32..500),
        1 => (0u32..200, 0u32..200),
        1 => proptest::sample::select(vec![(0, 0), (1, 1), (0, 400), (400, 0), (3000, 10)]),
    ]
}

proptest! {
    #![proptest_config(config(500))]

    /// Chart ranges, model curves, clipping and legends for any data and any θ.
    #[test]
    fn data_view_geometry_of_anything(data in dataset(), s in any_surface(), theta in point(), x in (float(), float()), samples in 0usize..300, pts in proptest::collection::vec(point(), 0..20), view in any_view(), step in any::<usize>(), batch in any::<usize>(), boundary in proptest::option::of(float())) {
        let s = s.build();
        let v = chart_ranges(&data);
        prop_assert!(sane(v), "chart ranges {:?} of {:?}", v, data);
        // Data within ±1e300 is on the chart (beyond, a margin would overflow).
        let chartable = |xs: &[f64]| xs.iter().all(|v| v.abs() <= 1e300);
        if chartable(&data.x) && chartable(&data.y) && data.x2.is_none() && data.kind == DataKind::Regression {
            for (a, b) in data.x.iter().zip(&data.y) {
                prop_assert!(v.contains([*a, *b]), "({:e}, {:e}) off {:?}", a, b, v);
            }
        }
        let curve = model_curve(s.as_ref(), theta, x, samples);
        prop_assert!(curve.iter().all(|p| p[1].is_finite()));
        let runs = clip_polyline(&pts, view);
        if sane(view) {
            for r in &runs {
                prop_assert!(r.len() >= 2);
                for p in r {
                    prop_assert!(linalg::is_finite(*p), "{:?} from {:?}", p, pts);
                }
            }
        }
        let items = dataview::legend(&data, step, batch, boundary);
        prop_assert!(items.iter().all(|(_, t)| !t.is_empty()));
    }

    /// The 3D mesh of any surface over any view, its heights and cells, the path on it, and the
    /// camera turned by anything.
    #[test]
    fn meshes_and_cameras(s in any_surface(), view in any_view(), n in 0usize..20, f in float(), upto in prop_oneof![0usize..300, Just(usize::MAX)], start in point(), lr in positive(), turns in proptest::collection::vec((float(), float()), 0..5), key in prop_oneof![Just("ArrowLeft".to_string()), Just("ArrowUp".to_string()), nasty_text()]) {
        let s = s.build();
        let mesh = Mesh::new(s.as_ref(), view, n);
        let h = mesh.height(f);
        prop_assert!((0.0..=1.0).contains(&h), "height {} on {:?}", h, mesh.heights);
        for t in [0.0, 0.5, 1.0] {
            let v = mesh.heights.value_at(t);
            if mesh.field.values.iter().all(|v| v.is_finite()) {
                // The top may round past f64::MAX when the field reaches it.
                prop_assert!(v.is_finite() || (t == 1.0 && !v.is_nan()), "{:?} at {}", mesh.heights, t);
            }
        }
        let quads = mesh.quads(|x, h, y| (x + h + y) as i32);
        // One quad per cell whose corners are all defined (f over a view to ±1e308 overflows).
        let (nx, v) = (mesh.field.nx, &mesh.field.values);
        let defined = (0..mesh.field.ny - 1)
            .flat_map(|j| (0..nx - 1).map(move |i| (i, j)))
            .filter(|&(i, j)| {
                [j * nx + i, j * nx + i + 1, (j + 1) * nx + i, (j + 1) * nx + i + 1]
                    .iter()
                    .all(|&k| v[k].is_finite())
            })
            .count();
        prop_assert_eq!(quads.len(), defined);
        prop_assert!(!mesh.axis_name().is_empty());
        let t = some_run(s.as_ref(), start, lr, 200);
        let runs = plot3d::path_runs(&mesh, &t, upto);
        for r in &runs {
            prop_assert!(r.iter().all(|p| (0.0..=1.0).contains(&p.1)));
        }
        let mut cam = Camera::default();
        for (dx, dy) in turns {
            cam.rotate(dx, dy);
            prop_assert!(cam.yaw.is_finite() && (0.0..std::f64::consts::TAU).contains(&cam.yaw), "{:?}", cam);
            prop_assert!((Camera::PITCH.0..=Camera::PITCH.1).contains(&cam.pitch), "{:?}", cam);
        }
        let _ = cam.key(&key);
        for heights in [Heights::Linear { min: f, max: f }, Heights::Log { min: f, c: 0.0, max: f64::MAX }] {
            prop_assert!((0.0..=1.0).contains(&heights.of(f)));
            let _ = heights.value_at(f);
        }
    }
}

proptest! {
    #![proptest_config(config(200))]

    /// The charts drawn on any canvas size, for any run and θ: drawn, or an error; never a panic.
    #[test]
    fn charts_draw_or_fail_cleanly(
        s in any_surface(),
        size in svg_size(),
        st in style(),
        theta in point(),
        start in point(),
        lr in positive(),
        upto in prop_oneof![0usize..300, Just(usize::MAX)],
        batch in proptest::collection::vec(any::<usize>(), 0..5),
        losses in proptest::collection::vec(finite(), 0..30),
        f_star in proptest::option::of(float()),
        yaw in float(),
        pitch in float(),
    ) {
        let s = s.build();
        let t = some_run(s.as_ref(), start, lr, 150);
        let field = Field::sample(s.as_ref(), s.view(), 24, 24);
        let levels = Levels::choose(&field, 8);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            let _ = render::draw_axes(&root, s.view(), s.axis_names(), &levels.scale, field.has_undefined(), &st);
            let _ = render::draw_loss(&root, &[(&t.losses, RED), (&losses, BLUE)], upto, f_star, &st);
            let _ = dataview::draw_data(&root, s.as_ref(), theta, upto, &batch, &st);
            let mesh = Mesh::new(s.as_ref(), s.view(), 12);
            let _ = plot3d::draw_3d(&root, &mesh, &[(&t, RED), (&t, BLUE)], 1, upto, Camera { yaw, pitch }, ("x", "y"), &st);
            let _ = root.present();
        }
    }
}

/// A catalog surface showing other data: what a surface of one's own may hand the data view.
struct WithData {
    inner: Box<dyn Surface>,
    data: Dataset,
}

impl Surface for WithData {
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn formula(&self) -> &str {
        self.inner.formula()
    }
    fn value(&self, p: Vec2) -> f64 {
        self.inner.value(p)
    }
    fn gradient(&self, p: Vec2) -> Vec2 {
        self.inner.gradient(p)
    }
    fn hessian(&self, p: Vec2) -> [[f64; 2]; 2] {
        self.inner.hessian(p)
    }
    fn view(&self) -> View {
        self.inner.view()
    }
    fn start(&self) -> Vec2 {
        self.inner.start()
    }
    fn minima(&self) -> &[surface::Minimum] {
        self.inner.minima()
    }
    fn data(&self) -> Option<&Dataset> {
        Some(&self.data)
    }
    fn predict(&self, theta: Vec2, x: &[f64]) -> Option<f64> {
        self.inner.predict(theta, x)
    }
    fn decision_boundary(&self, theta: Vec2) -> Option<f64> {
        self.inner.decision_boundary(theta)
    }
}

proptest! {
    #![proptest_config(config(200))]

    /// The charts over any view (a surface of one's own may have any) and any data.
    #[test]
    fn charts_of_any_view_and_data(
        view in any_view(),
        data in dataset(),
        model in proptest::sample::select(vec!["linear-regression", "logistic-regression", "svm", "tiny-nn"]),
        size in svg_size(),
        st in style(),
        theta in point(),
        batch in proptest::collection::vec(0usize..12, 0..5),
        scale in prop_oneof![
            (float(), float()).prop_map(|(min, max)| Scale::Linear { min, max }),
            (float(), float(), float()).prop_map(|(min, floor, max)| Scale::Log { min, floor, max }),
        ],
    ) {
        let s = WithData { inner: surface::by_name(model).unwrap(), data };
        let t = some_run(&s, s.start(), 0.01, 20);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            let axes = render::draw_axes(&root, view, ("x", "y"), &scale, true, &st);
            let ordinary = size.0 >= 200 && size.1 >= 150 && (0.5..=3.0).contains(&st.scale);
            match axes {
                Ok(frame) => prop_assert!(frame.width >= 0.0 && frame.height >= 0.0, "{:?}", frame),
                Err(e) => prop_assert!(!(ordinary && sane(view)), "{} over {:?}", e, view),
            }
            let _ = dataview::draw_data(&root, &s, theta, 3, &batch, &st);
            let mesh = Mesh::new(&s, view, 8);
            let _ = plot3d::draw_3d(&root, &mesh, &[(&t, RED)], 0, 5, Camera::default(), ("x", "y"), &st);
            let _ = root.present();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Typed expressions: only what tests/expr.rs does not already fuzz.

proptest! {
    #![proptest_config(config(100))]

    /// Any formula of the hard list in any view, even an unchecked one: a surface whose start is
    /// in the view and finite when the view is sane; through the options, huge ranges are
    /// notices.
    #[test]
    fn formulas_in_any_view(f in proptest::sample::select(FORMULAS.to_vec()), view in any_view(), xr in text_value(), yr in text_value()) {
        let e = gdviz::expr::parse(f).unwrap();
        let s = ExprSurface::new(e, view);
        let _ = (s.value(s.start()), s.minima(), s.default_noise());
        prop_assert!(s.default_noise().is_finite() && s.default_noise() > 0.0);
        for m in s.minima() {
            prop_assert!(linalg::is_finite(m.at) && m.value.is_finite());
        }
        let mut o = Options::default();
        let a = apply_all(&mut o, &[
            ("expr".into(), Value::Str(f.into())),
            ("xrange".into(), Value::Str(xr)),
            ("yrange".into(), Value::Str(yr)),
        ], None);
        prop_assert!(a.is_ok());
        let a = a.unwrap();
        check_applied(&o, &a)?;
        let v = a.computed.surface.view();
        prop_assert!(sane(v) && v.x.0.abs() <= 1e6 && v.x.1.abs() <= 1e6, "{:?}", v);
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions: the smallest inputs of each bug found, kept as plain tests.

/// `upto + 1` overflowed (a panic in debug builds) when asked for every step, `usize::MAX`.
#[test]
fn drawing_every_step_does_not_overflow() {
    use gdviz::plot3d::{path_runs, Mesh};
    use gdviz::render::{trajectory_pixels, Frame};
    use gdviz::{run, surface, OptimizerKind, RunConfig, View};

    let view = View {
        x: (0.0, 1.0),
        y: (0.0, 1.0),
    };
    let frame = Frame {
        view,
        left: 0.0,
        top: 0.0,
        width: 100.0,
        height: 100.0,
    };
    let px = trajectory_pixels(&[[0.25, 0.25], [0.5, 0.5]], usize::MAX, &frame, 4.0);
    assert_eq!(px.dots, vec![0, 1]);
    let s = surface::by_name("booth").unwrap();
    let cfg = RunConfig {
        steps: 3,
        ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
    };
    let t = run(s.as_ref(), &cfg).unwrap();
    let mesh = Mesh::new(s.as_ref(), s.view(), 8);
    let points: usize = path_runs(&mesh, &t, usize::MAX).iter().map(Vec::len).sum();
    assert_eq!(points, 4);
}

/// A plot of no pixels (a hidden canvas) panicked in `chunks_exact_mut(0)`.
#[test]
fn heatmap_of_no_pixels_is_empty() {
    use gdviz::contour::{Field, Levels};
    use gdviz::render::heatmap_rgba;

    let s = gdviz::surface::by_name("rosenbrock").unwrap();
    let field = Field::sample(s.as_ref(), s.view(), 8, 8);
    let scale = Levels::choose(&field, 4).scale;
    assert!(heatmap_rgba(&field, &scale, 0, 10, 1.0).is_empty());
    assert!(heatmap_rgba(&field, &scale, 10, 0, 1.0).is_empty());
    assert!(heatmap_rgba(&field, &scale, 0, 0, 1.0).is_empty());
    assert_eq!(heatmap_rgba(&field, &scale, 1, 1, 1.0).len(), 4);
}

/// Notices quoted a rejected optimizer or variant name in full (a 5000-character link value made
/// a 5000-character notice) and wrote view bounds out in all their digits (1e308 as 309 of them).
#[test]
fn notices_stay_short() {
    use gdviz::options::{apply_all, Options, Value};

    let long = Value::Str("x".repeat(5000));
    let text = |t: &str| Value::Str(t.to_string());
    let mut o = Options::default();
    let a = apply_all(
        &mut o,
        &[
            ("optimizer".into(), long.clone()),
            ("variant".into(), long),
            ("expr".into(), text("x^2 + y^2")),
            ("xrange".into(), text("1e308,1e308")),
            ("yrange".into(), text("-1e-300,1e-300")),
        ],
        None,
    )
    .unwrap();
    assert_eq!(a.notices.len(), 4, "{:?}", a.notices);
    // The quoted name is cut to 40 characters; the rest lists the 15 optimizers.
    for n in &a.notices {
        assert!(n.chars().count() < 240, "{n}");
    }
    assert!(a
        .notices
        .contains(&"xrange: must lie within ±1e6 (got [1e308, 1e308])".to_string()));
    assert!(a.notices.contains(
        &"yrange: min must be below max by at least 1e-6 (got [-1e-300, 1e-300])".to_string()
    ));
}

/// Losses from −1e308 to 1e308 (a typed f such as x·1e308) made an infinite axis, and gaps
/// f − f* from 1e-300 to 1e13 a log axis of more decades than f64 holds: plotters' tick search
/// never ended, freezing the page.
#[test]
fn loss_chart_of_extreme_losses_is_drawn() {
    use gdviz::render::{draw_loss, Style};
    use plotters::prelude::*;

    let style = Style {
        scale: 1.0,
        dark: false,
    };
    for (losses, f_star) in [
        (vec![-1e308, 1e308], None),
        (vec![f64::MAX, 0.0, 1.0], None),
        (vec![1e13, 1e6, 1e-308], Some(0.0)),
        (vec![f64::MAX, 1.0], Some(-f64::MAX)),
        (vec![f64::NAN; 3], None),
    ] {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
            draw_loss(&root, &[(&losses, RED)], 1, f_star, &style).unwrap();
        }
    }
}

/// Over a field from −1e308 to 1e308 (f = x·1e308) max − min overflowed: every level was ∞ or
/// NaN and the heatmap one colour; marching squares between ±1e308 crossed at NaN; and over
/// values within 1e-316 of each other the log floor underflowed to 0, making the levels NaN.
#[test]
fn contours_of_fields_beyond_f64_range() {
    use gdviz::contour::{segments, Field, Levels};
    use gdviz::expr::{ExprSurface, DEFAULT_VIEW};
    use gdviz::render::heatmap_rgba;
    use gdviz::Surface;

    for f in ["x*1e308 + y", "1e-320*x^4 + 1e-320*y^2"] {
        let s = ExprSurface::parse(f, DEFAULT_VIEW).unwrap();
        let field = Field::sample(&s, s.view(), 32, 32);
        let levels = Levels::choose(&field, 10);
        assert_eq!(levels.values.len(), 10, "{f}");
        for l in &levels.values {
            assert!(
                l.is_finite() && *l >= field.min && *l <= field.max,
                "{f}: {levels:?}"
            );
            for [a, b] in segments(&field, *l) {
                assert!(
                    a.iter().chain(&b).all(|v| v.is_finite()),
                    "{f}: {a:?} {b:?}"
                );
            }
        }
        let rgba = heatmap_rgba(&field, &levels.scale, 16, 16, 1.0);
        let colours: std::collections::HashSet<&[u8]> = rgba.chunks(4).collect();
        assert!(colours.len() > 4, "{f}: {} colours", colours.len());
    }
    let field = Field {
        nx: 2,
        ny: 2,
        view: DEFAULT_VIEW,
        values: vec![f64::MAX, -f64::MAX, 0.0, 0.0],
        min: -f64::MAX,
        max: f64::MAX,
    };
    let segs = segments(&field, 1.0);
    assert!(!segs.is_empty());
    for [a, b] in segs {
        assert!(a.iter().chain(&b).all(|v| v.is_finite()), "{a:?} {b:?}");
    }
}

/// Clipping returned a NaN end as it was; ends 1e308 apart overflowed b − a and came back
/// unclipped, 1e308 outside; an end 1e191 away rounded t to 1 and returned the other end
/// outside. The trajectory's pixels then held ∞ or points far off the canvas.
#[test]
fn clipping_far_and_broken_segments_stays_inside() {
    use gdviz::linalg::clip_segment;
    use gdviz::render::{trajectory_pixels, Frame};
    use gdviz::View;

    let (lo, hi) = ([0.0, 0.0], [10.0, 10.0]);
    let inside = |p: [f64; 2]| p[0] >= 0.0 && p[0] <= 10.0 && p[1] >= 0.0 && p[1] <= 10.0;
    assert_eq!(clip_segment([f64::NAN, 1.0], [5.0, 5.0], lo, hi), None);
    assert_eq!(clip_segment([5.0, 5.0], [f64::INFINITY, 5.0], lo, hi), None);
    for (a, b) in [
        ([-1e308, 5.0], [1e308, 5.0]),
        ([-f64::MAX, -f64::MAX], [f64::MAX, f64::MAX]),
        ([5.0, -7.2e191], [5.0, 17.0]),
    ] {
        let (p, q) = clip_segment(a, b, lo, hi).unwrap();
        assert!(
            inside(p) && inside(q),
            "{a:?}..{b:?} clipped to {p:?}..{q:?}"
        );
    }
    // Unchanged where nothing is far: inside ends bit for bit.
    assert_eq!(
        clip_segment([1.0, 1.0], [20.0, 1.0], lo, hi),
        Some(([1.0, 1.0], [10.0, 1.0]))
    );

    let frame = Frame {
        view: View {
            x: (0.0, 0.001),
            y: (0.0, 6.5),
        },
        left: 0.0,
        top: 0.0,
        width: 100.0,
        height: 100.0,
    };
    for points in [
        vec![[1e308, 0.0], [0.0005, 1.0]],
        vec![[0.0, 7.2e188], [0.0005, -1.8]],
    ] {
        let px = trajectory_pixels(&points, 1, &frame, 4.0);
        for run in &px.runs {
            for &(x, y) in run {
                assert!(
                    (-100.0..=200.0).contains(&x) && (-100.0..=200.0).contains(&y),
                    "{points:?}: pixel ({x}, {y})"
                );
            }
        }
    }
}

/// The data chart's margin overflowed for data near f64::MAX (an infinite range), and data at
/// 1e20 all alike got a range of zero width (one unit either side is lost to rounding).
#[test]
fn data_chart_ranges_are_finite_and_wide() {
    use gdviz::dataview::chart_ranges;
    use gdviz::surface::{DataKind, Dataset};

    for (x, y) in [
        (vec![0.0, 1.0], vec![f64::MAX, 0.0]),
        (vec![-1e308, 1e308], vec![1.0, 2.0]),
        (vec![1e20, 1e20], vec![3.0, 3.0]),
    ] {
        let data = Dataset {
            kind: DataKind::Regression,
            x,
            y,
            x_label: "x",
            y_label: "y",
            x2: None,
            x2_label: "",
        };
        let v = chart_ranges(&data);
        for (lo, hi) in [v.x, v.y] {
            assert!(
                lo.is_finite() && hi.is_finite() && lo < hi,
                "{data:?}: {v:?}"
            );
            assert!((hi - lo).is_finite(), "{data:?}: {v:?}");
        }
    }
}

/// Eigenvalues of Hessians with entries beyond 1e±150: the determinant overflowed (1e200 on the
/// diagonal gave λ = ∞, so no critical learning rate) or underflowed (±1e-200 off it gave 0
/// instead of −1e-200).
#[test]
fn eigenvalues_of_huge_and_tiny_matrices() {
    use gdviz::expr::{ExprSurface, DEFAULT_VIEW};
    use gdviz::linalg::sym_eigenvalues;
    use gdviz::{teach, OptimizerKind, Surface};

    assert_eq!(
        sym_eigenvalues([[1e200, 0.0], [0.0, 1e200]]),
        (1e200, 1e200)
    );
    assert_eq!(
        sym_eigenvalues([[0.0, 1e-200], [1e-200, 0.0]]),
        (-1e-200, 1e-200)
    );
    assert_eq!(
        sym_eigenvalues([[f64::MAX, 0.0], [0.0, -f64::MAX]]),
        (-f64::MAX, f64::MAX)
    );
    // Ordinary matrices as before.
    assert_eq!(sym_eigenvalues([[10.0, 8.0], [8.0, 10.0]]), (2.0, 18.0));

    let s = ExprSurface::parse("1e200*(x^2 + y^2)", DEFAULT_VIEW).unwrap();
    let c = teach::critical(&s, s.start(), OptimizerKind::Sgd, 0.0).unwrap();
    assert_eq!(c.lambda_max, 2e200);
    assert_eq!(c.lr, 1e-200);

    // A subnormal curvature: 2/λ overflowed to an infinite critical learning rate.
    let s = ExprSurface::parse("1e-310*(x^2 + y^2)", DEFAULT_VIEW).unwrap();
    for kind in OptimizerKind::ALL {
        assert_eq!(teach::critical(&s, s.start(), kind, 0.9), None, "{kind:?}");
    }
    // 2/λ fits in a double but the momentum threshold 2(1 + μ)/λ does not: no threshold either
    // (not an SGD-family optimizer's caption without its number).
    let s = ExprSurface::parse("1e-308*(x^2 + y^2)", DEFAULT_VIEW).unwrap();
    assert!(teach::critical(&s, s.start(), OptimizerKind::Sgd, 0.9).is_some());
    assert_eq!(
        teach::critical(&s, s.start(), OptimizerKind::Momentum, 0.9),
        None
    );
    // A small but normal one still has its (huge, finite) threshold.
    let s = ExprSurface::parse("1e-300*(x^2 + y^2)", DEFAULT_VIEW).unwrap();
    let c = teach::critical(&s, s.start(), OptimizerKind::Momentum, 0.9).unwrap();
    assert!((c.lr / 1e300 - 1.0).abs() < 1e-12, "{c:?}");
    assert!(c.optimizer_lr.unwrap().is_finite());
}

/// A race entry that changes nothing (`race: [{}, {lr: 0.1}]` from JavaScript) was accepted,
/// but its link (`race=;lr:0.1`) was rejected when opened: the race was lost.
#[test]
fn a_race_entry_of_no_changes_survives_a_link() {
    use gdviz::options::{apply_all, Options, Value};
    use gdviz::share::{changes, parse_query, query_pairs, query_string};

    let lr = vec![("lr".to_string(), Value::Num(0.1))];
    let mut o = Options::default();
    let a = apply_all(
        &mut o,
        &[(
            "race".into(),
            Value::Entries(vec![Vec::new(), lr.clone(), Vec::new()]),
        )],
        None,
    )
    .unwrap();
    assert!(a.notices.is_empty(), "{:?}", a.notices);
    let q = query_string(&query_pairs(&o, &Options::default()));
    assert_eq!(q, "runs=optimizer:sgd;lr:0.1;optimizer:sgd");
    let mut back = Options::default();
    let b = apply_all(&mut back, &changes(&parse_query(&q)), None).unwrap();
    assert!(b.notices.is_empty(), "{q}: {:?}", b.notices);
    let paths = |c: &gdviz::options::Computed| c.trajectories().cloned().collect::<Vec<_>>();
    assert_eq!(paths(&b.computed), paths(&a.computed));
}

/// Axes over a view that is not finite (a surface of one's own may give any): plotters'
/// tick search never ended on an infinite range and panicked on NaN.
#[test]
fn axes_over_a_broken_view_are_an_error() {
    use gdviz::contour::Scale;
    use gdviz::plot3d::{draw_3d, Camera, Mesh};
    use gdviz::render::{draw_axes, Style};
    use gdviz::{run, surface, OptimizerKind, RunConfig, View};
    use plotters::prelude::*;

    let style = Style {
        scale: 1.0,
        dark: false,
    };
    let scale = Scale::Linear { min: 0.0, max: 1.0 };
    let s = surface::by_name("booth").unwrap();
    let t = run(s.as_ref(), &RunConfig::new(s.as_ref(), OptimizerKind::Sgd)).unwrap();
    for view in [
        View {
            x: (-1e308, 1e308),
            y: (0.0, 1.0),
        },
        View {
            x: (0.0, 1.0),
            y: (f64::NAN, 1.0),
        },
        View {
            x: (f64::NEG_INFINITY, 0.0),
            y: (0.0, 1.0),
        },
    ] {
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
        assert!(draw_axes(&root, view, ("x", "y"), &scale, false, &style).is_err());
        let mesh = Mesh::new(s.as_ref(), view, 8);
        let drawn = draw_3d(
            &root,
            &mesh,
            &[(&t, RED)],
            0,
            5,
            Camera::default(),
            ("x", "y"),
            &style,
        );
        assert!(drawn.is_err(), "{view:?}");
    }
}

/// `explain` and `batch_at` replayed however many steps they were asked for: step `usize::MAX`
/// (of a run no one can compute) took practically forever.
#[test]
fn replays_beyond_the_step_limit_are_refused() {
    use gdviz::run::MAX_STEPS;
    use gdviz::variant::{batch_at, Variant};
    use gdviz::{surface, teach, OptimizerKind, RunConfig};

    let s = surface::by_name("booth").unwrap();
    let cfg = RunConfig {
        steps: usize::MAX,
        ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
    };
    assert!(teach::explain(s.as_ref(), &cfg, usize::MAX).is_none());
    assert!(teach::explain(s.as_ref(), &cfg, 3).is_none());
    let e = batch_at(Variant::Stochastic, 50, 1, 0, usize::MAX).unwrap_err();
    assert_eq!(e.option, "steps");
    assert!(batch_at(Variant::Stochastic, 50, 1, 0, MAX_STEPS + 1).is_err());
    assert_eq!(batch_at(Variant::Stochastic, 50, 1, 0, 7).unwrap().len(), 1);
}
