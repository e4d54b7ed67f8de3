//! What gdviz explains about a run: where overshoot begins (the critical learning rate) and one
//! update written out with its numbers. The lessons that use them are in `lessons`.

use crate::format::short;
use crate::linalg::{self, Vec2};
use crate::optim::{Hyper, HyperName, OptimizerKind};
use crate::run::{Checkpoints, RunConfig, Stepper, MAX_STEPS};
use crate::schedule::{Anneal, Schedule, Scheduler, ThresholdMode};
use crate::surface::Surface;

/// The stability threshold of the learning rate from the curvature at one point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Critical {
    /// The largest Hessian eigenvalue λmax there.
    pub lambda_max: f64,
    /// 2/λmax: above it plain gradient descent overshoots along the steepest direction.
    pub lr: f64,
    /// The threshold for the run's optimizer: 2(1+μ)/λmax for heavy-ball momentum,
    /// 2(1+μ)/((1+2μ)λmax) for Nesterov, 2/λmax for SGD; `None` for the adaptive optimizers,
    /// whose per-coordinate scaling has no fixed threshold.
    pub optimizer_lr: Option<f64>,
    /// Whether the threshold is exact (f quadratic) rather than a local estimate.
    pub exact: bool,
}

/// The critical learning rate at `at`, or `None` where f does not curve upward in any direction
/// (see [`Curvature`] for the cases), or so slightly that the threshold is beyond the largest
/// double. `momentum` is μ for the momentum optimizers, with no weight decay or dampening
/// ([`critical_for`] takes them all).
pub fn critical(
    surface: &dyn Surface,
    at: Vec2,
    kind: OptimizerKind,
    momentum: f64,
) -> Option<Critical> {
    critical_for(surface, at, kind, &with_momentum(kind, momentum))
}

/// [`critical`] for `kind` with the hyper-parameters `h` (μ, weight decay λ, dampening τ).
pub fn critical_for(
    surface: &dyn Surface,
    at: Vec2,
    kind: OptimizerKind,
    h: &Hyper,
) -> Option<Critical> {
    let (_, lambda_max) = linalg::sym_eigenvalues(surface.hessian(at));
    critical_of(lambda_max, surface.is_quadratic(), kind, h)
}

/// `kind`'s defaults with momentum μ.
fn with_momentum(kind: OptimizerKind, momentum: f64) -> Hyper {
    Hyper {
        momentum,
        ..Hyper::defaults(kind)
    }
}

/// The learning-rate threshold of `kind` under `h` at each of `points`: where a step starting
/// there overshoots along the steepest direction (2/λmax for gradient descent, the momentum
/// methods' own), `None` where none applies (no upward curvature, an adaptive optimizer). For
/// the learning-rate strip, which draws it along the path against the rates a schedule takes.
pub fn thresholds_along(
    surface: &dyn Surface,
    points: &[Vec2],
    kind: OptimizerKind,
    h: &Hyper,
) -> Vec<Option<f64>> {
    points
        .iter()
        .map(|&p| critical_for(surface, p, kind, h).and_then(|c| c.optimizer_lr))
        .collect()
}

/// The sharpness at which a step of rate `lr` by `kind` under `h` starts to overshoot along the
/// steepest direction: λmax = 2/γ for gradient descent, (2 + 2μ)/γ for heavy-ball momentum,
/// the others as [`critical_for`] (less the coupled weight decay, which adds to the curvature);
/// `None` for the adaptive optimizers, whose preconditioned steps have no such line, for a rate
/// that is not positive, and where the weight decay alone already exceeds the threshold (no
/// sharpness is stable). What a network's sharpness is drawn against (the "edge of stability").
pub fn sharpness_limit(kind: OptimizerKind, h: &Hyper, lr: f64) -> Option<f64> {
    if !(lr > 0.0 && lr.is_finite()) {
        return None;
    }
    // The threshold at curvature 1 without weight decay is k; with it, k/(λ + wd) = γ.
    let plain = Hyper {
        weight_decay: 0.0,
        ..*h
    };
    let k = critical_of(1.0, false, kind, &plain)?.optimizer_lr?;
    let wd = if kind.hypers().contains(&HyperName::WeightDecay) {
        h.weight_decay
    } else {
        0.0
    };
    Some(k / lr - wd).filter(|limit| *limit > 0.0)
}

/// [`critical`] from the largest eigenvalue, and whether f is quadratic.
fn critical_of(lambda_max: f64, exact: bool, kind: OptimizerKind, h: &Hyper) -> Option<Critical> {
    if !(lambda_max.is_finite() && lambda_max > 0.0) {
        return None;
    }
    let lr = 2.0 / lambda_max;
    // A curvature so slight (subnormal) that 2/λ overflows: no learning rate a double can hold
    // overshoots, so there is no threshold to mark.
    if !lr.is_finite() {
        return None;
    }
    // Coupled weight decay steps on f + λ‖θ‖²/2, whose curvature is λmax + λ.
    let wd = if kind.hypers().contains(&HyperName::WeightDecay) {
        h.weight_decay
    } else {
        0.0
    };
    let curvature = lambda_max + wd;
    let momentum = h.momentum;
    let optimizer_lr = match kind {
        OptimizerKind::Sgd => Some(2.0 / curvature),
        // Heavy ball on a quadratic: stable for 0 < γλ < 2(1 + μ). Dampening τ scales every
        // gradient after the first by 1 − τ: the same iteration with γ(1 − τ) for γ.
        OptimizerKind::Momentum => {
            (h.dampening < 1.0).then(|| 2.0 * (1.0 + momentum) / ((1.0 - h.dampening) * curvature))
        }
        // PyTorch's Nesterov form on a quadratic: the iteration matrix's characteristic
        // polynomial z² − (1 − γλ(1+μ) + μ)z + μ(1 − γλ) has its roots inside the unit circle
        // exactly when γλ < 2(1 + μ)/(1 + 2μ).
        OptimizerKind::Nesterov => {
            Some(2.0 * (1.0 + momentum) / ((1.0 + 2.0 * momentum) * curvature))
        }
        _ => None,
    };
    // The same for the momentum thresholds, which are up to twice 2/λ (more with dampening).
    if optimizer_lr.is_some_and(|v| !v.is_finite()) {
        return None;
    }
    Some(Critical {
        lambda_max,
        lr,
        optimizer_lr,
        exact,
    })
}

/// How f curves at a point, from its Hessian's eigenvalues λmin ≤ λmax: whether the curvature
/// sets a learning-rate threshold there and, where it does not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curvature {
    /// λmax > 0: f curves upward along some direction, and steps longer than 2/λmax overshoot
    /// along it. `saddle` when λmin < 0 too: f curves downward along another direction.
    Upward {
        /// Whether λmin < 0.
        saddle: bool,
    },
    /// λmax = λmin = 0: no curvature at all (f flat, linear or kinked there), so the curvature
    /// says nothing about step sizes.
    Zero,
    /// λmax = 0 > λmin: f curves downward along one direction and not at all along the other.
    DownwardAndFlat,
    /// λmax < 0: f curves downward in every direction.
    Downward,
    /// 0 < λmax, but so small that the threshold is beyond the largest double.
    TooSlight,
    /// The Hessian is not finite (f is not twice differentiable there, or not defined nearby).
    NotFinite,
}

impl Curvature {
    /// The case of the eigenvalues `lambda_min ≤ lambda_max` (either zero may be −0).
    pub fn of(lambda_min: f64, lambda_max: f64) -> Curvature {
        if !(lambda_min.is_finite() && lambda_max.is_finite()) {
            Curvature::NotFinite
        } else if lambda_max > 0.0 {
            if (2.0 / lambda_max).is_finite() {
                Curvature::Upward {
                    saddle: lambda_min < 0.0,
                }
            } else {
                Curvature::TooSlight
            }
        } else if lambda_max < 0.0 {
            Curvature::Downward
        } else if lambda_min < 0.0 {
            Curvature::DownwardAndFlat
        } else {
            Curvature::Zero
        }
    }
}

/// What the learning-rate slider says about the curvature at the start: the critical rate, the
/// rate to mark and a caption for the student.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// The case.
    pub curvature: Curvature,
    /// The critical learning rate, where f curves upward (any optimizer: 2/λmax is what plain
    /// gradient descent would meet).
    pub critical: Option<Critical>,
    /// The learning rate to mark on the slider: only where a fixed threshold applies to the
    /// optimizer (SGD, momentum, Nesterov), not for the adaptive ones.
    pub mark: Option<f64>,
    /// What it means, in a sentence or three; never more than a local estimate can say.
    pub caption: String,
}

/// The threshold the curvature of `surface` at `at` sets for `kind` (with momentum `momentum`),
/// with its caption, in every case of [`Curvature`].
pub fn threshold(surface: &dyn Surface, at: Vec2, kind: OptimizerKind, momentum: f64) -> Threshold {
    threshold_for(surface, at, kind, &with_momentum(kind, momentum))
}

/// [`threshold`] for `kind` with the hyper-parameters `h` (μ, weight decay λ, dampening τ).
pub fn threshold_for(surface: &dyn Surface, at: Vec2, kind: OptimizerKind, h: &Hyper) -> Threshold {
    let (lambda_min, lambda_max) = linalg::sym_eigenvalues(surface.hessian(at));
    let critical = critical_of(lambda_max, surface.is_quadratic(), kind, h);
    let curvature = match Curvature::of(lambda_min, lambda_max) {
        // 2/λmax fits in a double but the momentum threshold, up to twice as large, does not.
        Curvature::Upward { .. } if critical.is_none() => Curvature::TooSlight,
        c => c,
    };
    const NO_THRESHOLD: &str = "so the local curvature sets no threshold there";
    let caption = match (curvature, critical) {
        (Curvature::Upward { saddle }, Some(c)) => {
            let mut text = threshold_caption_for(&c, kind, h);
            if saddle && kind == OptimizerKind::Newton {
                text.push_str(" f is also a saddle there: it curves downward along another direction, and Newton's step, which seeks where ∇f = 0, heads toward the saddle point along it rather than away.");
            } else if saddle {
                text.push_str(" f is also a saddle there: it curves downward along another direction, and along that one steps of any size carry the path away.");
            }
            text
        }
        (Curvature::Zero, _) => "f has no curvature at the start (its Hessian is zero: f is flat, linear or kinked there), so the curvature sets no critical learning rate: whether a step is too large depends on what the path meets further on.".to_string(),
        (Curvature::DownwardAndFlat, _) => format!("f curves downward at the start along one direction and not at all along the other, {NO_THRESHOLD}: along the downward direction the slope steepens as the path descends, until it reaches a region that curves upward, if f has one."),
        (Curvature::Downward, _) => format!("f curves downward in every direction at the start, {NO_THRESHOLD}: the slope steepens as the path descends, until it reaches a region that curves upward, if f has one."),
        (Curvature::NotFinite, _) => "f's curvature at the start is not a finite number (f is not twice differentiable there, or not defined nearby), so no critical learning rate can be computed there.".to_string(),
        (Curvature::TooSlight | Curvature::Upward { .. }, _) => format!("f curves upward at the start, but so slightly (λmax = {}) that its critical learning rate is beyond the largest double: no learning rate that can be set overshoots there.", short(lambda_max)),
    };
    Threshold {
        curvature,
        critical,
        mark: critical.and_then(|c| c.optimizer_lr),
        caption,
    }
}

/// One update written out: the rule with this step's numbers, line by line.
#[derive(Debug, Clone, PartialEq)]
pub struct StepDetail {
    /// The step number t (1-based): it moves θ from point t − 1 to point t.
    pub step: usize,
    /// θ before the update.
    pub before: Vec2,
    /// θ after the update.
    pub after: Vec2,
    /// The (batch) gradient, before any clipping.
    pub gradient: Vec2,
    /// The step's learning rate (the schedule's, or γ).
    pub lr: f64,
    /// The step's momentum μ or β₁ when the schedule cycles it (OneCycleLR), else `None`.
    pub momentum: Option<f64>,
    /// The full gradient ∇f at θ before the update: `gradient` itself when the batch was all
    /// the terms, what a smaller batch estimates otherwise.
    pub full_gradient: Vec2,
    /// The terms of the finite sum the gradient averaged.
    pub batch: Vec<usize>,
    /// The number of terms n of the finite sum.
    pub terms: usize,
    /// The optimizer's state before and after, by name (`b`, `s`, `v`, `m`).
    pub state_before: Vec<(&'static str, Vec<f64>)>,
    /// The state after.
    pub state_after: Vec<(&'static str, Vec<f64>)>,
    /// The rule filled in with the numbers, one line per equation.
    pub lines: Vec<String>,
}

fn v(p: Vec2) -> String {
    format!("({}, {})", short(p[0]), short(p[1]))
}

/// Replays the run of `cfg` on `surface` up to step `step` (≥ 1) and writes that update out.
/// `None` if the run is shorter than `step` or the configuration is invalid.
pub fn explain(surface: &dyn Surface, cfg: &RunConfig, step: usize) -> Option<StepDetail> {
    // More steps than a run may take is invalid (and would take hours to replay).
    if step == 0 || step > cfg.steps || cfg.steps > MAX_STEPS {
        return None;
    }
    // The run stops at a step it cannot record or that leaves the view far behind; none comes
    // after it.
    let s = Checkpoints::new(0).stepper_at(surface, cfg, step - 1)?;
    explain_next(cfg, s)
}

/// Writes out the next update of a run in progress (`cfg`'s run, stepped or resumed to where
/// it stands): the step after the one shown, at the cost of one step. `None` if the run would
/// not record it (a non-finite gradient, θ or loss).
pub fn explain_next(cfg: &RunConfig, mut s: Stepper) -> Option<StepDetail> {
    let before = s.theta();
    let full_gradient = s.full_gradient();
    let state_before = s.state();
    // The scheduler as the step finds it: what it decided the step's rate from.
    let scheduler = s.scheduler().clone();
    let g = s.step();
    let lr = s.last_lr();
    let theta = s.theta();
    s.recorded_loss(g)?;
    let mut batch = s.batch().to_vec();
    batch.sort_unstable();
    let mut d = StepDetail {
        step: s.steps(),
        before,
        after: theta,
        gradient: g,
        lr,
        momentum: s.last_momentum(),
        full_gradient,
        batch,
        terms: s.terms(),
        state_before,
        state_after: s.state(),
        lines: Vec::new(),
    };
    d.lines = rule_lines(cfg, &d, &scheduler);
    Some(d)
}

/// The state named `name` as a point (its first two values; 0 where there is none).
fn find(state: &[(&'static str, Vec<f64>)], name: &str) -> Vec2 {
    let s = state.iter().find(|(n, _)| *n == name).map(|s| &s.1[..]);
    match s {
        Some([a, b, ..]) => [*a, *b],
        _ => [0.0; 2],
    }
}

/// The one-number state named `name` (NAdam's μₜ, RAdam's ρₜ); 0 where there is none.
fn scalar(state: &[(&'static str, Vec<f64>)], name: &str) -> f64 {
    state
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|s| s.1.first().copied())
        .unwrap_or(0.0)
}

/// `f` on each coordinate.
fn each(p: Vec2, f: impl Fn(f64) -> f64) -> Vec2 {
    [f(p[0]), f(p[1])]
}

/// `f` on each coordinate of two points.
fn each2(p: Vec2, q: Vec2, f: impl Fn(f64, f64) -> f64) -> Vec2 {
    [f(p[0], q[0]), f(p[1], q[1])]
}

/// The schedule's rule for step `d.step` with its numbers, from the scheduler as the step found
/// it: none for a constant rate.
fn schedule_lines(
    cfg: &RunConfig,
    d: &StepDetail,
    scheduler: &Scheduler,
    kind: OptimizerKind,
) -> Vec<String> {
    let (t, lr) = (d.step, short(d.lr));
    let n = |x: f64| short(x);
    match &cfg.schedule {
        Schedule::Constant => Vec::new(),
        Schedule::OneCycle {
            anneal_strategy, ..
        } => {
            let Some(c) = cfg.schedule.cycle_point(scheduler.last_epoch()) else {
                return Vec::new();
            };
            let formula = |s: &str, e: &str| match anneal_strategy {
                Anneal::Cos => format!("{e} + ({s} − {e})(1 + cos πp)/2"),
                Anneal::Linear => format!("{s} + ({e} − {s})p"),
            };
            let (s, e) = (c.at.start_lr, c.at.end_lr);
            let mut lines = vec![format!(
                "γ = {} = {lr} at step {t}   (onecycle phase {} of {}, {}: from {} = {} to {} = {}, \
                 p = ({} − {})/({} − {}) = {}; --lr's γ₀ = {} is not used)",
                formula("s", "e"),
                c.phase.0 + 1,
                c.phase.1,
                anneal_strategy.name(),
                s.1,
                n(s.0),
                e.1,
                n(e.0),
                t - 1,
                n(c.start_step),
                n(c.at.end_step),
                n(c.start_step),
                n(c.pct),
                n(cfg.hyper.lr)
            )];
            if let Some(m) = d.momentum {
                let (symbol, of) = match kind.momentum_hyper() {
                    Some(HyperName::Beta1) => ("β₁", "betas[0]"),
                    _ => ("μ", "momentum"),
                };
                lines.push(format!(
                    "{symbol} = {} = {} at step {t}   (cycled against γ: {of} from {} to {}, same p)",
                    formula("s", "e"),
                    n(m),
                    n(c.at.start_momentum),
                    n(c.at.end_momentum)
                ));
            }
            lines
        }
        Schedule::Plateau {
            factor,
            patience,
            threshold,
            threshold_mode,
            min_lr,
            ..
        } => {
            let Some(p) = scheduler.plateau() else {
                return Vec::new();
            };
            let not_better = match threshold_mode {
                ThresholdMode::Rel => format!("f not below best·(1 − {})", n(*threshold)),
                ThresholdMode::Abs => format!("f not below best − {}", n(*threshold)),
            };
            let best = if p.best.is_finite() {
                format!("best f so far {}", n(p.best))
            } else {
                "no best f yet".to_string()
            };
            let cooldown = if p.cooldown_counter > 0 {
                format!(
                    ", cooling down: bad steps not counted for {} more",
                    p.cooldown_counter
                )
            } else {
                String::new()
            };
            vec![format!(
                "γ = {lr} at step {t}   (plateau from γ₀ = {}: {best}, {} bad steps since \
                 ({not_better}){cooldown}; at {} in a row γ ← max({}γ, {}))",
                n(cfg.hyper.lr),
                p.num_bad_epochs,
                patience.saturating_add(1),
                n(*factor),
                n(*min_lr)
            )]
        }
        other => vec![format!(
            "γ = {lr} at step {t}   ({} schedule from γ₀ = {})",
            other.kind(),
            n(cfg.hyper.lr)
        )],
    }
}

/// The update rule of `cfg.optimizer` with the numbers of the update `d` (all but its lines).
/// A gradient of fewer than all the terms is written ∇f_B, with the full ∇f beside it, so it is
/// not mistaken for the ∇f of the readouts.
fn rule_lines(cfg: &RunConfig, d: &StepDetail, scheduler: &Scheduler) -> Vec<String> {
    let (t, before, after, g) = (d.step, d.before, d.after, d.gradient);
    let (sb, sa) = (&d.state_before, &d.state_after);
    // The optimizer as it steps (plain SGD cycling a momentum steps as momentum SGD), with the
    // step's own learning rate and momentum (a schedule's).
    let kind = cfg.stepped_as();
    let mut h = Hyper {
        lr: d.lr,
        ..cfg.stepped_hyper()
    };
    match (d.momentum, kind.momentum_hyper()) {
        (Some(m), Some(HyperName::Beta1)) => h.beta1 = m,
        (Some(m), Some(_)) => h.momentum = m,
        _ => {}
    }
    let h = &h;
    let (lr, p) = (short(h.lr), t - 1);
    let mut lines = if d.batch.len() < d.terms {
        vec![
            format!(
                "g = ∇f_B(θ{p}) = {}  (batch of {} of {} terms)",
                v(g),
                d.batch.len(),
                d.terms
            ),
            format!("∇f(θ{p}) = {}", v(d.full_gradient)),
        ]
    } else {
        vec![format!("g = ∇f(θ{p}) = {}", v(g))]
    };
    lines.extend(schedule_lines(cfg, d, scheduler, kind));
    // Clipping, before the optimizer sees the gradient.
    let clipped = cfg.clip.apply(g);
    if let Some(f) = cfg.clip.factor(g) {
        lines.push(format!(
            "‖g‖ = {}; clipped to norm {}: g × min(1, C/(‖g‖ + 1e-6)) = g × {} = {}",
            short(crate::optim::Clip::norm_of(g)),
            short(cfg.clip.norm.unwrap_or_default()),
            short(f),
            v([g[0] * f, g[1] * f])
        ));
    }
    if let Some(c) = cfg.clip.value {
        lines.push(format!(
            "g clamped to [−{0}, {0}] per coordinate = {1}",
            short(c),
            v(clipped)
        ));
    }
    let g = clipped;
    // Weight decay first, as torch applies it: added to the gradient, or shrinking θ (AdamW).
    let wd = if kind.hypers().contains(&HyperName::WeightDecay) {
        h.weight_decay
    } else {
        0.0
    };
    let g = if wd == 0.0 {
        g
    } else if kind.decoupled(h) {
        lines.push(format!(
            "θ(1 − γλ) = {} × {} = {}   (decoupled weight decay, λ = {})",
            v(before),
            short(1.0 - h.lr * wd),
            v(each(before, |x| x * (1.0 - h.lr * wd))),
            short(wd)
        ));
        g
    } else {
        let ge = each2(g, before, |g, x| g + wd * x);
        lines.push(format!(
            "g ← g + λθ = {} + {} × {} = {}   (weight decay)",
            v(g),
            short(wd),
            v(before),
            v(ge)
        ));
        ge
    };
    let sq = each(g, |x| x * x);
    let adam_moments = |lines: &mut Vec<String>| {
        lines.push(format!("m = β₁m + (1−β₁)g = {}", v(find(sa, "m"))));
        lines.push(format!("v = β₂v + (1−β₂)g² = {}", v(find(sa, "v"))));
    };
    let c1 = 1.0 - crate::optim::power(h.beta1, t as u64);
    let c2 = 1.0 - crate::optim::power(h.beta2, t as u64);
    let what = match kind {
        OptimizerKind::Sgd => format!("−γg = −{lr} × {}", v(g)),
        OptimizerKind::Momentum | OptimizerKind::Nesterov => {
            let (b0, b1) = (find(sb, "b"), find(sa, "b"));
            if t == 1 {
                lines.push(format!("b = g = {}   (first step)", v(b1)));
            } else if kind == OptimizerKind::Momentum && h.dampening != 0.0 {
                lines.push(format!(
                    "b = μb + (1−τ)g = {} × {} + {} × {} = {}",
                    short(h.momentum),
                    v(b0),
                    short(1.0 - h.dampening),
                    v(g),
                    v(b1)
                ));
            } else {
                lines.push(format!(
                    "b = μb + g = {} × {} + {} = {}",
                    short(h.momentum),
                    v(b0),
                    v(g),
                    v(b1)
                ));
            }
            if kind == OptimizerKind::Nesterov {
                let d = each2(g, b1, |g, b| g + h.momentum * b);
                lines.push(format!("d = g + μb = {}", v(d)));
                format!("−γd = −{lr} × d")
            } else {
                format!("−γb = −{lr} × {}", v(b1))
            }
        }
        OptimizerKind::Adagrad => {
            lines.push(format!(
                "s = s + g² = {} + {} = {}",
                v(find(sb, "s")),
                v(sq),
                v(find(sa, "s"))
            ));
            let clr = h.lr / (1.0 + (t as f64 - 1.0) * h.lr_decay);
            if h.lr_decay != 0.0 {
                lines.push(format!("γₜ = γ/(1 + (t−1)η) = {}", short(clr)));
            }
            let s = find(sa, "s");
            lines.push(format!(
                "γ/(√s + ε) = {} per coordinate",
                v(each(s, |s| clr / (s.sqrt() + h.eps)))
            ));
            "−γg/(√s + ε)".to_string()
        }
        OptimizerKind::Rmsprop => {
            lines.push(format!(
                "v = αv + (1−α)g² = {} × {} + {} × {} = {}",
                short(h.decay),
                v(find(sb, "v")),
                short(1.0 - h.decay),
                v(sq),
                v(find(sa, "v"))
            ));
            let vv = find(sa, "v");
            let avg = if h.centered {
                let m = find(sa, "ḡ");
                lines.push(format!("ḡ = αḡ + (1−α)g = {}", v(m)));
                let avg = each2(vv, m, |v, m| (v - m * m).sqrt() + h.eps);
                lines.push(format!("√(v − ḡ²) + ε = {}", v(avg)));
                avg
            } else {
                each(vv, |v| v.sqrt() + h.eps)
            };
            if h.momentum > 0.0 {
                lines.push(format!(
                    "b = μb + g/(√v + ε) = {}   (μ = {})",
                    v(find(sa, "b")),
                    short(h.momentum)
                ));
                format!("−γb = −{lr} × {}", v(find(sa, "b")))
            } else {
                lines.push(format!(
                    "γ/(√v + ε) = {} per coordinate",
                    v(each(avg, |a| h.lr / a))
                ));
                "−γg/(√v + ε)".to_string()
            }
        }
        OptimizerKind::Adam | OptimizerKind::Adamw => {
            adam_moments(&mut lines);
            let (m, mut vv) = (find(sa, "m"), find(sa, "v"));
            if h.amsgrad {
                vv = find(sa, "v̄");
                lines.push(format!("v̄ = max(v̄, v) = {}   (AMSGrad)", v(vv)));
            }
            let vname = if h.amsgrad { "v̄" } else { "v" };
            lines.push(format!(
                "m̂ = m/(1−β₁^{t}) = m/{} = {}",
                short(c1),
                v(each(m, |m| m / c1))
            ));
            lines.push(format!(
                "v̂ = {vname}/(1−β₂^{t}) = {vname}/{} = {}",
                short(c2),
                v(each(vv, |x| x / c2))
            ));
            format!("−γm̂/(√v̂ + ε) with γ = {lr}")
        }
        OptimizerKind::Nadam => {
            let (mu, prod) = (scalar(sa, "μₜ"), scalar(sa, "μ₁⋯μₜ"));
            lines.push(format!(
                "μₜ = β₁(1 − ½·0.96^(tψ)) = {}; μ₁⋯μₜ = {}",
                short(mu),
                short(prod)
            ));
            adam_moments(&mut lines);
            lines.push(format!(
                "v̂ = v/(1−β₂^{t}) = {}",
                v(each(find(sa, "v"), |x| x / c2))
            ));
            format!("−γ[(1−μₜ)g/(1−μ₁⋯μₜ) + μₜ₊₁m/(1−μ₁⋯μₜ₊₁)]/(√v̂ + ε) with γ = {lr}")
        }
        OptimizerKind::Radam => {
            adam_moments(&mut lines);
            let rho = scalar(sa, "ρₜ");
            let m_hat = each(find(sa, "m"), |m| m / c1);
            lines.push(format!("m̂ = m/(1−β₁^{t}) = {}", v(m_hat)));
            if crate::optim::radam_rectified(rho) {
                lines.push(format!(
                    "ρₜ = {} > 5: the step is rectified (adaptive, scaled by rₜ)",
                    short(rho)
                ));
                format!("−γ·rₜ·m̂·√(1−β₂ᵗ)/(√v + ε) with γ = {lr}")
            } else {
                lines.push(format!(
                    "ρₜ = {} ≤ 5: not rectified yet (v's estimate is too uncertain), a momentum step",
                    short(rho)
                ));
                format!("−γm̂ = −{lr} × {}", v(m_hat))
            }
        }
        OptimizerKind::Adamax => {
            lines.push(format!("m = β₁m + (1−β₁)g = {}", v(find(sa, "m"))));
            lines.push(format!(
                "u = max(β₂u, |g| + ε) = max({} × {}, {}) = {}",
                short(h.beta2),
                v(find(sb, "u")),
                v(each(g, |g| g.abs() + h.eps)),
                v(find(sa, "u"))
            ));
            format!("−γm/((1−β₁^{t})u) with γ = {lr}, 1−β₁^{t} = {}", short(c1))
        }
        OptimizerKind::Adadelta => {
            lines.push(format!("v = ρv + (1−ρ)g² = {}", v(find(sa, "v"))));
            let delta = each2(find(sb, "u"), find(sa, "v"), |u, vv| {
                ((u + h.eps) / (vv + h.eps)).sqrt()
            });
            let delta = each2(delta, g, |r, g| r * g);
            lines.push(format!("Δ = g·√(u + ε)/√(v + ε) = {}", v(delta)));
            lines.push(format!(
                "u = ρu + (1−ρ)Δ² = {} × {} + {} × {} = {}",
                short(h.rho),
                v(find(sb, "u")),
                short(1.0 - h.rho),
                v(each(delta, |x| x * x)),
                v(find(sa, "u"))
            ));
            format!("−γΔ = −{lr} × {}", v(delta))
        }
        OptimizerKind::Rprop => {
            let prev = find(sb, "g₋");
            let flips = each2(g, prev, |g, q| g * q);
            let word = |x: f64| {
                if x > 0.0 {
                    "kept (×η₊)"
                } else if x < 0.0 {
                    "flipped (×η₋, no step)"
                } else {
                    "g₋ = 0, first step or flipped before (×1)"
                }
            };
            lines.push(format!(
                "sign of g against the last g: x {}, y {}",
                word(flips[0]),
                word(flips[1])
            ));
            lines.push(format!(
                "Γ = clamp(ηΓ, {}, {}) = {}",
                short(h.step_sizes[0]),
                short(h.step_sizes[1]),
                v(find(sa, "Γ"))
            ));
            "−Γ·sign(g)".to_string()
        }
        OptimizerKind::Lbfgs => lbfgs_lines(&mut lines, h, t, sa),
        OptimizerKind::Newton => newton_lines(&mut lines, h, g, sa),
        OptimizerKind::Linesearch => {
            let (g0, k) = (scalar(sa, "γ₀"), scalar(sa, "halvings") as usize);
            if scalar(sa, "γ accepted") == 0.0 && k == crate::optim::MAX_HALVINGS {
                lines.push(format!(
                    "Armijo: no γ = {}/2ᵏ with k ≤ {k} gives f(θ − γg) ≤ f(θ) − 10⁻⁴·γ‖g‖²: θ stays",
                    short(g0)
                ));
                "0 (no step size passed)".to_string()
            } else {
                lines.push(format!(
                    "Armijo: halved {k} time{} from γ = {}: γ = {lr} is the first with f(θ − γg) ≤ f(θ) − 10⁻⁴·γ‖g‖²",
                    if k == 1 { "" } else { "s" },
                    short(g0)
                ));
                format!("−γg = −{lr} × {}", v(g))
            }
        }
    };
    let step = [after[0] - before[0], after[1] - before[1]];
    lines.push(format!("step = {what} = {}", v(step)));
    lines.push(format!(
        "θ{t} = θ{p} + step = {} + {} = {}",
        v(before),
        v(step),
        v(after)
    ));
    lines
}

/// L-BFGS's step written out: why it stayed, or its direction, history and step length.
fn lbfgs_lines(
    lines: &mut Vec<String>,
    h: &Hyper,
    t: usize,
    sa: &[(&'static str, Vec<f64>)],
) -> String {
    let d = find(sa, "d");
    match scalar(sa, "outcome") as u8 {
        1 => {
            lines.push(format!(
                "every |gᵢ| ≤ {} (torch's tolerance_grad): L-BFGS returns without moving",
                short(crate::optim::TOLERANCE_GRAD)
            ));
            return "0 (θ stays)".to_string();
        }
        2 => {
            lines.push(format!(
                "d = {}, g·d > −{}: not a descent direction, so torch ends the iteration without moving",
                v(d),
                short(crate::optim::TOLERANCE_CHANGE)
            ));
            return "0 (θ stays)".to_string();
        }
        _ => {}
    }
    let pairs = scalar(sa, "pairs");
    if t == 1 || pairs == 0.0 {
        lines.push(format!("d = −g = {}   (no curvature pairs yet)", v(d)));
    } else {
        lines.push(format!(
            "{} pair{} (s, y) kept of m = {}; H₀ = yᵀs/yᵀy = {}",
            pairs,
            if pairs == 1.0 { "" } else { "s" },
            short(h.history_size),
            short(scalar(sa, "H₀"))
        ));
        lines.push(format!("d = −H̃g (two-loop recursion) = {}", v(d)));
    }
    let step = scalar(sa, "t");
    if h.line_search == "strong_wolfe" {
        let evals = scalar(sa, "evals");
        lines.push(format!(
            "strong-Wolfe line search: {evals} evaluation{} of f and ∇f, t = {}",
            if evals == 1.0 { "" } else { "s" },
            short(step)
        ));
    } else if t == 1 || pairs == 0.0 {
        lines.push(format!(
            "t = γ·min(1, 1/‖g‖₁) = {}   (torch's first step)",
            short(step)
        ));
    }
    format!("t·d = {} × {}", short(step), v(d))
}

/// Newton's step written out: the Hessian, its curvature, and H⁻¹g.
fn newton_lines(
    lines: &mut Vec<String>,
    h: &Hyper,
    g: Vec2,
    sa: &[(&'static str, Vec<f64>)],
) -> String {
    let m = sa
        .iter()
        .find(|(n, _)| *n == "H")
        .map(|s| s.1.clone())
        .unwrap_or_default();
    let p = find(sa, "H⁻¹g");
    if let [a, b, c, d] = m[..] {
        lines.push(format!(
            "H(θ) = [[{}, {}], [{}, {}]]",
            short(a),
            short(b),
            short(c),
            short(d)
        ));
        let (lo, hi) = linalg::sym_eigenvalues([[a, b], [c, d]]);
        if lo < 0.0 && hi > 0.0 {
            lines.push(format!(
                "H's eigenvalues {} < 0 < {}: a saddle's curvature; along the downward direction the Newton step climbs toward the saddle instead of away",
                short(lo),
                short(hi)
            ));
        } else if hi < 0.0 {
            lines.push(format!(
                "H's eigenvalues {}, {} < 0: f curves downward; the Newton step heads for the maximum of its quadratic model",
                short(lo),
                short(hi)
            ));
        }
    }
    lines.push(format!("H⁻¹g = {}   (solves H·p = g = {})", v(p), v(g)));
    format!("−γH⁻¹g = −{} × {}", short(h.lr), v(p))
}

/// The caption of the learning-rate threshold for `kind` with momentum `momentum` (no weight
/// decay or dampening; [`threshold_caption_for`] takes them all).
pub fn threshold_caption(c: &Critical, kind: OptimizerKind, momentum: f64) -> String {
    threshold_caption_for(c, kind, &with_momentum(kind, momentum))
}

/// The caption of the learning-rate threshold `c` for `kind` with the hyper-parameters `h`.
pub fn threshold_caption_for(c: &Critical, kind: OptimizerKind, h: &Hyper) -> String {
    let local = if c.exact {
        ""
    } else {
        " (local: the curvature changes along the path)"
    };
    let base = format!(
        "Critical γ = 2/λmax = {} at the start{local}: above it plain gradient descent overshoots along the steepest direction.",
        short(c.lr)
    );
    let momentum = h.momentum;
    // Coupled weight decay adds λ to every curvature the optimizer meets.
    let (wd, curv) = if h.weight_decay != 0.0 && kind.hypers().contains(&HyperName::WeightDecay) {
        (
            format!(" and weight decay λ = {}", short(h.weight_decay)),
            "(λmax + λ)",
        )
    } else {
        (String::new(), "λmax")
    };
    match (kind, c.optimizer_lr) {
        (OptimizerKind::Momentum, Some(m)) if h.dampening != 0.0 => format!(
            "{base} With {} = {}, dampening τ = {}{wd}, heavy-ball momentum is stable up to 2(1+μ)/((1−τ){curv}) = {}.",
            HyperName::Momentum.symbol(),
            short(momentum),
            short(h.dampening),
            short(m)
        ),
        (OptimizerKind::Momentum, Some(m)) => format!(
            "{base} With {} = {}{wd}, heavy-ball momentum is stable up to 2(1+μ)/{curv} = {}.",
            HyperName::Momentum.symbol(),
            short(momentum),
            short(m)
        ),
        (OptimizerKind::Momentum, None) => format!(
            "{base} With dampening τ = 1 the momentum buffer keeps only the first gradient, so no threshold applies."
        ),
        (OptimizerKind::Nesterov, Some(m)) => format!(
            "{base} With μ = {}{wd}, Nesterov momentum is stable up to 2(1+μ)/((1+2μ){curv}) = {}.",
            short(momentum),
            short(m)
        ),
        (OptimizerKind::Sgd, Some(m)) if !wd.is_empty() => format!(
            "{base} With{wd}, gradient descent meets the curvature λmax + λ and is stable up to 2/(λmax + λ) = {}.",
            short(m)
        ),
        (OptimizerKind::Sgd, _) => base,
        (OptimizerKind::Rprop, _) => format!("{base} Rprop steps by its own step sizes and uses only the gradient's sign, so no fixed threshold applies."),
        (OptimizerKind::Newton, _) => format!("{base} Newton's method divides the gradient by the curvature itself: on a quadratic it reaches the stationary point in one step at γ = 1 and converges for 0 < γ < 2, whatever λmax is."),
        (OptimizerKind::Linesearch, _) => format!("{base} The line search halves γ until the step decreases f enough, so a γ above the threshold is cut down rather than overshooting."),
        (OptimizerKind::Lbfgs, _) => format!("{base} L-BFGS scales its step by its own estimate of the inverse curvature, so no fixed threshold applies."),
        _ => format!("{base} {} scales each coordinate's step by its gradient history, so no fixed threshold applies.", kind.title()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{run, surface, Hyper};

    #[test]
    fn booth_critical_lr_is_two_eighteenths_and_exact() {
        let s = surface::by_name("booth").unwrap();
        let c = critical(s.as_ref(), s.start(), OptimizerKind::Sgd, 0.0).unwrap();
        assert!((c.lr - 2.0 / 18.0).abs() < 1e-15 && c.exact);
        let m = critical(s.as_ref(), s.start(), OptimizerKind::Momentum, 0.9).unwrap();
        assert!((m.optimizer_lr.unwrap() - 2.0 * 1.9 / 18.0).abs() < 1e-15);
        assert!(critical(s.as_ref(), s.start(), OptimizerKind::Adam, 0.9)
            .unwrap()
            .optimizer_lr
            .is_none());
        let r = surface::by_name("rosenbrock").unwrap();
        assert!(
            !critical(r.as_ref(), r.start(), OptimizerKind::Sgd, 0.0)
                .unwrap()
                .exact
        );
    }

    #[test]
    fn curvature_cases_from_eigenvalues() {
        use Curvature::*;
        assert_eq!(Curvature::of(2.0, 18.0), Upward { saddle: false });
        assert_eq!(Curvature::of(0.0, 18.0), Upward { saddle: false });
        assert_eq!(Curvature::of(-2.0, 2.0), Upward { saddle: true });
        assert_eq!(Curvature::of(0.0, 0.0), Zero);
        assert_eq!(Curvature::of(-0.0, -0.0), Zero);
        // diag(−4, 0), as log(x) at x = 0.5 gives: the zero comes out as −0.
        assert_eq!(
            linalg::sym_eigenvalues([[-4.0, 0.0], [0.0, 0.0]]),
            (-4.0, -0.0)
        );
        assert_eq!(Curvature::of(-4.0, -0.0), DownwardAndFlat);
        assert_eq!(Curvature::of(-42.0, -26.0), Downward);
        assert_eq!(Curvature::of(1e-310, 2e-310), TooSlight);
        assert_eq!(Curvature::of(f64::NAN, f64::NAN), NotFinite);
        assert_eq!(Curvature::of(f64::NEG_INFINITY, 1.0), NotFinite);
    }

    /// The caption and the mark in each case of [`Curvature`], as the slider shows them.
    #[test]
    fn threshold_captions_tell_the_cases_apart() {
        use crate::expr::{ExprSurface, DEFAULT_VIEW};
        use Curvature::*;
        let typed = |text: &str, at: Option<Vec2>, kind: OptimizerKind| {
            let s = ExprSurface::parse(text, DEFAULT_VIEW).unwrap();
            threshold(&s, at.unwrap_or_else(|| s.start()), kind, 0.9)
        };
        let sgd = OptimizerKind::Sgd;
        let no_curvature = "f has no curvature at the start (its Hessian is zero: f is flat, linear or kinked there), so the curvature sets no critical learning rate: whether a step is too large depends on what the path meets further on.";
        let mut captions = Vec::new();
        // Flat, linear, kinked: the Hessian is 0 (|a| has second derivative 0 off its kink).
        for text in ["0", "x", "abs(x) + abs(y)"] {
            let t = typed(text, None, sgd);
            assert_eq!(
                (t.curvature, t.critical, t.mark),
                (Zero, None, None),
                "{text}"
            );
            assert_eq!(t.caption, no_curvature);
            captions.push(t.caption);
        }
        // log(x) at x = 0.5: f_xx = −1/x² = −4, and nothing along y.
        let t = typed("log(x)", Some([0.5, 0.0]), sgd);
        assert_eq!((t.curvature, t.mark), (DownwardAndFlat, None));
        assert_eq!(t.caption, "f curves downward at the start along one direction and not at all along the other, so the local curvature sets no threshold there: along the downward direction the slope steepens as the path descends, until it reaches a region that curves upward, if f has one.");
        captions.push(t.caption);
        // log(x) + y² there: eigenvalues −4 and 2, a saddle with the threshold 2/2 = 1 (local:
        // log is not quadratic).
        let t = typed("log(x) + y^2", Some([0.5, 0.0]), sgd);
        assert_eq!((t.curvature, t.mark), (Upward { saddle: true }, Some(1.0)));
        assert_eq!(t.caption, "Critical γ = 2/λmax = 1 at the start (local: the curvature changes along the path): above it plain gradient descent overshoots along the steepest direction. f is also a saddle there: it curves downward along another direction, and along that one steps of any size carry the path away.");
        captions.push(t.caption);
        // x² − y²: the same, exact.
        let t = typed("x^2 - y^2", None, sgd);
        assert_eq!((t.curvature, t.mark), (Upward { saddle: true }, Some(1.0)));
        assert!(t.critical.unwrap().exact);
        assert!(t
            .caption
            .starts_with("Critical γ = 2/λmax = 1 at the start: above it"));
        assert!(t.caption.ends_with("f is also a saddle there: it curves downward along another direction, and along that one steps of any size carry the path away."));
        captions.push(t.caption);
        // −(x² + y²): downward everywhere, and nothing upward further on either.
        let t = typed("-(x^2 + y^2)", None, sgd);
        assert_eq!((t.curvature, t.critical, t.mark), (Downward, None, None));
        assert_eq!(t.caption, "f curves downward in every direction at the start, so the local curvature sets no threshold there: the slope steepens as the path descends, until it reaches a region that curves upward, if f has one.");
        let downward = t.caption.clone();
        captions.push(t.caption);
        // Booth: eigenvalues 2 and 18, exact; the mark is the optimizer's own threshold.
        let booth = surface::by_name("booth").unwrap();
        let t = threshold(booth.as_ref(), booth.start(), sgd, 0.0);
        assert_eq!(
            (t.curvature, t.mark),
            (Upward { saddle: false }, Some(2.0 / 18.0))
        );
        assert_eq!(t.caption, "Critical γ = 2/λmax = 0.1111 at the start: above it plain gradient descent overshoots along the steepest direction.");
        captions.push(t.caption);
        let t = threshold(booth.as_ref(), booth.start(), OptimizerKind::Momentum, 0.9);
        assert_eq!(t.mark, Some(2.0 * 1.9 / 18.0));
        assert!(t
            .caption
            .ends_with("heavy-ball momentum is stable up to 2(1+μ)/λmax = 0.2111."));
        captions.push(t.caption);
        // Adam on Booth: 2/λmax is still reported, but no mark: no fixed threshold applies.
        let t = threshold(booth.as_ref(), booth.start(), OptimizerKind::Adam, 0.9);
        assert_eq!((t.curvature, t.mark), (Upward { saddle: false }, None));
        assert_eq!(t.critical.unwrap().lr, 2.0 / 18.0);
        assert!(t.caption.ends_with("Adam scales each coordinate's step by its gradient history, so no fixed threshold applies."), "{}", t.caption);
        captions.push(t.caption);
        // Himmelblau at its start (0, 0): f_xx = 4(y − 11) + 2 = −42, f_yy = 4(x − 7) + 2 = −26,
        // f_xy = 0: downward in every direction; yet the path reaches a bowl and converges.
        let h = surface::by_name("himmelblau").unwrap();
        assert_eq!(h.hessian(h.start()), [[-42.0, 0.0], [0.0, -26.0]]);
        let t = threshold(h.as_ref(), h.start(), sgd, 0.0);
        assert_eq!((t.curvature, &t.caption), (Downward, &downward));
        let cfg = RunConfig {
            hyper: Hyper {
                lr: 0.01,
                ..Hyper::defaults(sgd)
            },
            ..RunConfig::new(h.as_ref(), sgd)
        };
        assert_eq!(
            run(h.as_ref(), &cfg).unwrap().status,
            run::Status::Converged
        );
        // sqrt(x) at x = 0: f_xx = −x^(−3/2)/4 is infinite.
        let t = typed("sqrt(x) + y^2", Some([0.0, 1.0]), sgd);
        assert_eq!((t.curvature, t.critical, t.mark), (NotFinite, None, None));
        assert_eq!(t.caption, "f's curvature at the start is not a finite number (f is not twice differentiable there, or not defined nearby), so no critical learning rate can be computed there.");
        captions.push(t.caption);
        // Upward, but 2/λmax overflows; or only the momentum threshold 2(1 + μ)/λmax does.
        let t = typed("1e-310*(x^2 + y^2)", None, sgd);
        assert_eq!((t.curvature, t.critical, t.mark), (TooSlight, None, None));
        assert_eq!(t.caption, "f curves upward at the start, but so slightly (λmax = 2e-310) that its critical learning rate is beyond the largest double: no learning rate that can be set overshoots there.");
        captions.push(t.caption);
        let t = typed("1e-308*(x^2 + y^2)", None, OptimizerKind::Momentum);
        assert_eq!((t.curvature, t.mark), (TooSlight, None));
        let t = typed("1e-308*(x^2 + y^2)", None, sgd);
        assert_eq!(
            (t.curvature, t.mark),
            (Upward { saddle: false }, Some(1e308))
        );
        // No caption claims more than a local estimate can.
        for c in &captions {
            assert!(!c.contains("no learning rate is safe"), "{c}");
        }
    }

    /// The thresholds are where runs on a quadratic switch from converging to diverging.
    #[test]
    fn thresholds_separate_convergence_from_divergence() {
        let s = surface::by_name("booth").unwrap();
        for kind in [
            OptimizerKind::Sgd,
            OptimizerKind::Momentum,
            OptimizerKind::Nesterov,
        ] {
            let c = critical(s.as_ref(), s.start(), kind, 0.9)
                .unwrap()
                .optimizer_lr
                .unwrap();
            for (factor, converges) in [(0.97, true), (1.03, false)] {
                let cfg = RunConfig {
                    hyper: Hyper {
                        lr: c * factor,
                        momentum: 0.9,
                        ..Hyper::defaults(kind)
                    },
                    steps: 3000,
                    ..RunConfig::new(s.as_ref(), kind)
                };
                let t = run(s.as_ref(), &cfg).unwrap();
                assert_eq!(
                    t.status == run::Status::Converged,
                    converges,
                    "{kind:?} at {factor}×: {:?}",
                    t.status
                );
            }
        }
    }

    #[test]
    fn explained_step_matches_the_run() {
        let s = surface::by_name("rosenbrock").unwrap();
        for kind in OptimizerKind::ALL {
            let cfg = RunConfig {
                steps: 20,
                hyper: Hyper {
                    lr: 1e-3,
                    ..Hyper::defaults(kind)
                },
                ..RunConfig::new(s.as_ref(), kind)
            };
            let t = run(s.as_ref(), &cfg).unwrap();
            for k in [1, 2, 20] {
                let d = explain(s.as_ref(), &cfg, k).unwrap();
                assert_eq!(d.before, t.points[k - 1]);
                assert_eq!(d.after, t.points[k]);
                assert_eq!(d.gradient, t.grads[k - 1]);
                assert!(d
                    .lines
                    .last()
                    .unwrap()
                    .starts_with(&format!("θ{k} = θ{}", k - 1)));
            }
            assert!(explain(s.as_ref(), &cfg, 21).is_none());
            assert!(explain(s.as_ref(), &cfg, 0).is_none());
        }
    }

    #[test]
    fn the_next_update_from_a_runs_end_is_the_replayed_one() {
        // Every optimizer and variant, on a dataset (per-example terms) and an analytic surface
        // (tilted terms), with an epoch boundary inside the run (37 steps, batch 10 of 100).
        for name in ["rosenbrock", "logistic-regression"] {
            let s = surface::by_name(name).unwrap();
            for kind in OptimizerKind::ALL {
                for variant in crate::Variant::ALL {
                    if kind.evaluates_f() && variant != crate::Variant::Batch {
                        continue;
                    }
                    let cfg = RunConfig {
                        steps: 37,
                        variant,
                        hyper: Hyper {
                            lr: 1e-3,
                            ..Hyper::defaults(kind)
                        },
                        ..RunConfig::new(s.as_ref(), kind)
                    };
                    let (t, end) = crate::run::run_to_end(s.as_ref(), &cfg).unwrap();
                    let end = end.unwrap();
                    assert_eq!((end.steps(), end.theta()), (37, t.last()));
                    let resumed = Stepper::resume(s.as_ref(), &cfg, end.clone()).unwrap();
                    let next = explain_next(&cfg, resumed).unwrap();
                    let longer = RunConfig {
                        steps: 38,
                        ..cfg.clone()
                    };
                    let replayed = explain(s.as_ref(), &longer, 38).unwrap();
                    assert_eq!(next, replayed, "{name}, {kind:?}, {variant:?}");
                    assert_eq!(next.after, run(s.as_ref(), &longer).unwrap().last());
                    // Resuming leaves the kept end as it was.
                    assert_eq!(end.steps(), 37);
                    // It is this run's end, not another's.
                    let other = RunConfig {
                        seed: 1,
                        ..cfg.clone()
                    };
                    assert!(Stepper::resume(s.as_ref(), &other, end.clone()).is_err());
                    let more = RunConfig {
                        steps: 1000,
                        tolerance: 0.5,
                        ..cfg.clone()
                    };
                    assert!(Stepper::resume(s.as_ref(), &more, end).is_ok());
                }
            }
        }
    }

    #[test]
    fn checkpoints_reach_any_step_as_the_replay_does() {
        let s = surface::by_name("logistic-regression").unwrap();
        let kind = OptimizerKind::Adam;
        let cfg = RunConfig {
            steps: 300,
            variant: crate::Variant::MiniBatch,
            hyper: Hyper {
                lr: 1e-2,
                ..Hyper::defaults(kind)
            },
            ..RunConfig::new(s.as_ref(), kind)
        };
        let (_, end) = crate::run::run_to_end(s.as_ref(), &cfg).unwrap();
        let mut c = Checkpoints::new(16);
        c.keep(end.unwrap());
        let longer = RunConfig {
            steps: 301,
            ..cfg.clone()
        };
        // Back and forth, onto checkpoints, beside them, from the run's end.
        for k in [299, 300, 5, 250, 17, 16, 0, 299, 120, 121, 300] {
            let stepper = c.stepper_at(s.as_ref(), &cfg, k).unwrap();
            assert_eq!(stepper.steps(), k);
            let via = explain_next(&cfg, stepper);
            assert_eq!(via, explain(s.as_ref(), &longer, k + 1), "step {k}");
        }
        // The first replay kept steps 16, 32, ..., 288; later ones found them. With the end: 19.
        assert_eq!(c.len(), 300 / 16 + 1);
        assert!(c.stepper_at(s.as_ref(), &cfg, MAX_STEPS + 1).is_none());
        // Other settings: the kept states are dropped, not resumed.
        let other = RunConfig {
            hyper: Hyper {
                lr: 2e-2,
                ..cfg.hyper
            },
            ..cfg.clone()
        };
        let via = explain_next(&other, c.stepper_at(s.as_ref(), &other, 200).unwrap());
        let longer = RunConfig {
            steps: 201,
            ..other.clone()
        };
        assert!(via.is_some());
        assert_eq!(via, explain(s.as_ref(), &longer, 201));
        assert_eq!(c.len(), 200 / 16);
    }

    #[test]
    fn no_update_is_explained_past_a_step_the_run_could_not_record() {
        // log(x) from x = 0.5 with γ = 0.5: step 1 lands on x = −0.5, where f is NaN, so the run
        // stops there; the gradient 1/x stays finite and would carry a replay back to x = 0.5.
        let s = crate::expr::ExprSurface::parse("log(x) + y^2", crate::expr::DEFAULT_VIEW).unwrap();
        let cfg = RunConfig {
            start: [0.5, 0.0],
            steps: 5,
            hyper: Hyper {
                lr: 0.5,
                ..Hyper::defaults(OptimizerKind::Sgd)
            },
            ..RunConfig::new(&s, OptimizerKind::Sgd)
        };
        let t = run(&s, &cfg).unwrap();
        assert_eq!(
            (t.status, t.steps()),
            (crate::Status::Diverged { step: 1 }, 0)
        );
        for step in 1..=5 {
            assert_eq!(explain(&s, &cfg, step), None, "step {step}");
        }
    }

    #[test]
    fn a_diverged_run_keeps_no_end() {
        let s = surface::by_name("booth").unwrap();
        let cfg = RunConfig {
            hyper: Hyper {
                lr: 1.0,
                ..Hyper::defaults(OptimizerKind::Sgd)
            },
            ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
        };
        let (t, end) = crate::run::run_to_end(s.as_ref(), &cfg).unwrap();
        let crate::Status::Diverged { step } = t.status else {
            panic!("γ = 1 on Booth (λmax = 18) should diverge: {:?}", t.status);
        };
        assert!(end.is_none());
        // It left the view far behind at a finite point, which the run recorded; the update to
        // it is explained, and none after it (the run has no step there).
        assert_eq!(t.steps(), step);
        let d = explain(s.as_ref(), &cfg, step).unwrap();
        assert_eq!(d.after, t.last());
        assert_eq!(explain(s.as_ref(), &cfg, step + 1), None);
        let mut c = Checkpoints::new(1);
        assert!(c.stepper_at(s.as_ref(), &cfg, step - 1).is_some());
        assert!(c.stepper_at(s.as_ref(), &cfg, step).is_none());
        assert_eq!(
            c.len(),
            step - 1,
            "one per step up to the last before divergence"
        );
    }

    #[test]
    fn sgd_step_written_out_by_hand() {
        // Booth at (−6, −6): ∇f = (−142, −146), so with γ = 0.01 the step is (1.42, 1.46).
        let s = surface::by_name("booth").unwrap();
        let cfg = RunConfig {
            hyper: Hyper {
                lr: 0.01,
                ..Hyper::defaults(OptimizerKind::Sgd)
            },
            ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
        };
        let d = explain(s.as_ref(), &cfg, 1).unwrap();
        assert_eq!(d.lines[0], "g = ∇f(θ0) = (-142, -146)");
        assert_eq!(
            d.lines[1],
            "step = −γg = −0.01 × (-142, -146) = (1.42, 1.46)"
        );
        assert_eq!(
            d.lines[2],
            "θ1 = θ0 + step = (-6, -6) + (1.42, 1.46) = (-4.58, -4.54)"
        );
    }

    #[test]
    fn a_batch_gradient_is_written_apart_from_the_full_one() {
        // Collinear from (0, 0): term i is (θ₁xᵢ + θ₂xᵢ − xᵢ)² with x = (1, 2, 3), so its
        // gradient there is −2xᵢ²(1, 1): (−2, −2), (−8, −8), (−18, −18); ∇f is their mean,
        // −28/3 (1, 1).
        let s = surface::by_name("collinear").unwrap();
        let term = |i: usize| -2.0 * ((i + 1) * (i + 1)) as f64;
        let config = |variant, batch| RunConfig {
            hyper: Hyper {
                lr: 0.01,
                ..Hyper::defaults(OptimizerKind::Sgd)
            },
            variant,
            batch,
            start: [0.0, 0.0],
            ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
        };
        let full = "∇f(θ0) = (-9.333, -9.333)";
        // One term: g is that term's gradient.
        let d = explain(s.as_ref(), &config(crate::Variant::Stochastic, 1), 1).unwrap();
        let g = term(d.batch[0]);
        assert_eq!(d.gradient, [g, g]);
        assert_eq!(d.full_gradient, [-28.0 / 3.0; 2]);
        assert_eq!(
            d.lines[0],
            format!("g = ∇f_B(θ0) = ({g}, {g})  (batch of 1 of 3 terms)")
        );
        assert_eq!(d.lines[1], full);
        assert_eq!(
            d.lines[2],
            format!(
                "step = −γg = −0.01 × ({g}, {g}) = ({0}, {0})",
                short(-0.01 * g)
            )
        );
        assert_eq!(d.lines.len(), 4);
        // Two terms: g is their mean.
        let d = explain(s.as_ref(), &config(crate::Variant::MiniBatch, 2), 1).unwrap();
        assert_eq!(d.batch.len(), 2);
        let g = (term(d.batch[0]) + term(d.batch[1])) / 2.0;
        assert_eq!(
            d.lines[0],
            format!("g = ∇f_B(θ0) = ({g}, {g})  (batch of 2 of 3 terms)")
        );
        assert_eq!(d.lines[1], full);
        // All three terms are the full gradient: written as before, one line.
        let d = explain(s.as_ref(), &config(crate::Variant::MiniBatch, 3), 1).unwrap();
        assert_eq!(d.lines[0], "g = ∇f(θ0) = (-9.333, -9.333)");
        assert!(d.lines[1].starts_with("step = "));
        assert_eq!(d.gradient, d.full_gradient);
        // Booth's tilted terms: one of 50, beside Booth's ∇f(−6, −6) = (−142, −146).
        let booth = surface::by_name("booth").unwrap();
        let cfg = RunConfig {
            variant: crate::Variant::Stochastic,
            ..RunConfig::new(booth.as_ref(), OptimizerKind::Adam)
        };
        let d = explain(booth.as_ref(), &cfg, 1).unwrap();
        assert!(d.lines[0].starts_with("g = ∇f_B(θ0) = ("), "{}", d.lines[0]);
        assert!(d.lines[0].ends_with(")  (batch of 1 of 50 terms)"));
        assert_eq!(d.lines[1], "∇f(θ0) = (-142, -146)");
        assert!(d.lines[2].starts_with("m = β₁m + (1−β₁)g = "));
    }

    /// Update `step` of `kind` at γ = `lr` (PyTorch's other defaults, μ = 0.9) on the ravine
    /// x² + 10y² from (1, 1), written out: ∇f = (2x, 20y), so g₁ = (2, 20).
    fn ravine_lines(kind: OptimizerKind, lr: f64, step: usize) -> Vec<String> {
        let s = surface::by_name("ravine").unwrap();
        let cfg = RunConfig {
            // μ = 0.9 for SGD's momentum; RMSprop keeps its own default 0.
            hyper: Hyper {
                lr,
                ..Hyper::defaults(kind)
            },
            start: [1.0, 1.0],
            ..RunConfig::new(s.as_ref(), kind)
        };
        explain(s.as_ref(), &cfg, step).unwrap().lines
    }

    /// The caption under the slider names each momentum method's own threshold: on Booth
    /// (λmax = 18) with μ = 0.9, heavy ball 2·1.9/18 and Nesterov 2·1.9/(2.8·18).
    #[test]
    fn threshold_captions_name_the_momentum_thresholds() {
        let s = surface::by_name("booth").unwrap();
        for (kind, want) in [
            (
                OptimizerKind::Momentum,
                format!(
                    "heavy-ball momentum is stable up to 2(1+μ)/λmax = {}.",
                    short(3.8 / 18.0)
                ),
            ),
            (
                OptimizerKind::Nesterov,
                format!(
                    "Nesterov momentum is stable up to 2(1+μ)/((1+2μ)λmax) = {}.",
                    short(3.8 / (2.8 * 18.0))
                ),
            ),
        ] {
            let c = critical(s.as_ref(), s.start(), kind, 0.9).unwrap();
            let text = threshold_caption(&c, kind, 0.9);
            assert!(
                text.starts_with("Critical γ = 2/λmax = 0.1111 at the start:"),
                "{text}"
            );
            assert!(text.ends_with(&want), "{text}");
        }
    }

    /// A run of exactly `MAX_STEPS` steps can be explained (its first update costs one step to
    /// replay); one step more is refused, as `run` refuses it.
    #[test]
    fn a_run_of_max_steps_is_explained_and_no_longer() {
        let s = surface::by_name("booth").unwrap();
        let cfg = |steps| RunConfig {
            steps,
            ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
        };
        let d = explain(s.as_ref(), &cfg(MAX_STEPS), 1).unwrap();
        assert_eq!(d.step, 1);
        assert!(explain(s.as_ref(), &cfg(MAX_STEPS + 1), 1).is_none());
    }

    /// The next-update panel shows each optimizer's state before and after the update with the
    /// numbers a student can check by hand (values as in tests/optimizers.rs).
    #[test]
    fn momentum_steps_written_out_by_hand() {
        // Step 1: b = g = (2, 20), θ₁ = (0.98, 0.8); step 2: g = (1.96, 16),
        // b = 0.9·(2, 20) + (1.96, 16) = (3.76, 34), θ₂ = θ₁ − 0.01·b = (0.9424, 0.46).
        assert_eq!(
            ravine_lines(OptimizerKind::Momentum, 0.01, 1),
            [
                "g = ∇f(θ0) = (2, 20)",
                "b = g = (2, 20)   (first step)",
                "step = −γb = −0.01 × (2, 20) = (-0.02, -0.2)",
                "θ1 = θ0 + step = (1, 1) + (-0.02, -0.2) = (0.98, 0.8)",
            ]
        );
        assert_eq!(
            ravine_lines(OptimizerKind::Momentum, 0.01, 2),
            [
                "g = ∇f(θ1) = (1.96, 16)",
                "b = μb + g = 0.9 × (2, 20) + (1.96, 16) = (3.76, 34)",
                "step = −γb = −0.01 × (3.76, 34) = (-0.0376, -0.34)",
                "θ2 = θ1 + step = (0.98, 0.8) + (-0.0376, -0.34) = (0.9424, 0.46)",
            ]
        );
        // Nesterov looks ahead: d = g + μb = (2, 20) + 0.9·(2, 20) = (3.8, 38).
        assert_eq!(
            ravine_lines(OptimizerKind::Nesterov, 0.01, 1),
            [
                "g = ∇f(θ0) = (2, 20)",
                "b = g = (2, 20)   (first step)",
                "d = g + μb = (3.8, 38)",
                "step = −γd = −0.01 × d = (-0.038, -0.38)",
                "θ1 = θ0 + step = (1, 1) + (-0.038, -0.38) = (0.962, 0.62)",
            ]
        );
    }

    /// Adagrad's and RMSprop's running squares and per-coordinate rates at step 2. Step 1 moves
    /// both coordinates by 0.1 (to within ε), so g₂ = (1.8, 18), g₂² = (3.24, 324).
    #[test]
    fn adaptive_steps_written_out_by_hand() {
        // Adagrad, γ = 0.1: s = (4, 400) + (3.24, 324) = (7.24, 724); γ/√s = 0.1/2.6907 and
        // 0.1/26.907.
        let lines = ravine_lines(OptimizerKind::Adagrad, 0.1, 2);
        assert_eq!(
            lines[1],
            "s = s + g² = (4, 400) + (3.24, 324) = (7.24, 724)"
        );
        assert_eq!(lines[2], "γ/(√s + ε) = (0.03716, 0.003716) per coordinate");
        assert_eq!(lines[3], "step = −γg/(√s + ε) = (-0.0669, -0.0669)");
        // RMSprop, γ = 0.01, α = 0.99: v₁ = 0.01·g₁² = (0.04, 4), step 1 moves by γ/0.1 = 0.1;
        // v₂ = 0.99·(0.04, 4) + 0.01·(3.24, 324) = (0.072, 7.2); γ/√v = 0.01/0.26833.
        let lines = ravine_lines(OptimizerKind::Rmsprop, 0.01, 2);
        assert_eq!(
            lines[1],
            "v = αv + (1−α)g² = 0.99 × (0.04, 4) + 0.01 × (3.24, 324) = (0.072, 7.2)"
        );
        assert_eq!(lines[2], "γ/(√v + ε) = (0.03727, 0.003727) per coordinate");
        assert_eq!(lines[3], "step = −γg/(√v + ε) = (-0.06708, -0.06708)");
    }

    /// Adam's moments and their bias corrections at step 2 (γ = 0.1, β = (0.9, 0.999)):
    /// m = 0.9·(0.2, 2) + 0.1·(1.8, 18) = (0.36, 3.6), v = 0.999·(0.004, 0.4) + 0.001·(3.24, 324)
    /// = (0.007236, 0.7236); m̂ = m/0.19, v̂ = v/0.001999.
    #[test]
    fn adam_step_written_out_by_hand() {
        let lines = ravine_lines(OptimizerKind::Adam, 0.1, 2);
        assert_eq!(
            &lines[1..5],
            [
                "m = β₁m + (1−β₁)g = (0.36, 3.6)",
                "v = β₂v + (1−β₂)g² = (0.007236, 0.7236)",
                "m̂ = m/(1−β₁^2) = m/0.19 = (1.895, 18.95)",
                "v̂ = v/(1−β₂^2) = v/0.001999 = (3.62, 362)",
            ]
        );
        assert!(lines[5].starts_with("step = −γm̂/(√v̂ + ε) with γ = 0.1 = "));
    }

    /// The ravine's update `step` for `kind` at γ = `lr` with the hyper-parameters changed by
    /// `tweak`.
    fn ravine_lines_with(
        kind: OptimizerKind,
        lr: f64,
        step: usize,
        tweak: impl Fn(&mut Hyper),
    ) -> Vec<String> {
        let s = surface::by_name("ravine").unwrap();
        let mut hyper = Hyper {
            lr,
            ..Hyper::defaults(kind)
        };
        tweak(&mut hyper);
        let cfg = RunConfig {
            hyper,
            start: [1.0, 1.0],
            ..RunConfig::new(s.as_ref(), kind)
        };
        explain(s.as_ref(), &cfg, step).unwrap().lines
    }

    /// The second-order methods on x² + 10y² from (1, 1), g = (2, 20), H = diag(2, 20):
    /// Newton's H⁻¹g = (1, 1) lands on the minimum; L-BFGS's first step is −g scaled by
    /// γ·min(1, 1/‖g‖₁) = 0.1/22; the line search halves γ = 1 four times (f(θ₀) = 11; f at
    /// θ − γg is 3611, 810, 160.25, 23.0625, then 1.390625 ≤ 11 − 10⁻⁴·0.0625·404).
    #[test]
    fn second_order_steps_written_out_by_hand() {
        assert_eq!(
            ravine_lines_with(OptimizerKind::Newton, 1.0, 1, |_| {}),
            [
                "g = ∇f(θ0) = (2, 20)",
                "H(θ) = [[2, 0], [0, 20]]",
                "H⁻¹g = (1, 1)   (solves H·p = g = (2, 20))",
                "step = −γH⁻¹g = −1 × (1, 1) = (-1, -1)",
                "θ1 = θ0 + step = (1, 1) + (-1, -1) = (0, 0)",
            ]
        );
        let lines = ravine_lines_with(OptimizerKind::Lbfgs, 0.1, 1, |_| {});
        assert_eq!(lines[1], "d = −g = (-2, -20)   (no curvature pairs yet)");
        assert_eq!(
            lines[2],
            "t = γ·min(1, 1/‖g‖₁) = 0.004545   (torch's first step)"
        );
        let lines = ravine_lines_with(OptimizerKind::Lbfgs, 0.1, 2, |h| {
            h.line_search = "strong_wolfe"
        });
        assert!(
            lines[1].starts_with("1 pair (s, y) kept of m = 100; H₀ = yᵀs/yᵀy = "),
            "{lines:?}"
        );
        assert!(
            lines[2].starts_with("d = −H̃g (two-loop recursion) = "),
            "{lines:?}"
        );
        assert!(
            lines[3].starts_with("strong-Wolfe line search: "),
            "{lines:?}"
        );
        let lines = ravine_lines_with(OptimizerKind::Linesearch, 1.0, 1, |_| {});
        assert_eq!(
            lines[1],
            "Armijo: halved 4 times from γ = 1: γ = 0.0625 is the first with f(θ − γg) ≤ f(θ) − 10⁻⁴·γ‖g‖²"
        );
        assert_eq!(lines[2], "step = −γg = −0.0625 × (2, 20) = (-0.125, -1.25)");
        // Newton at the saddle x² − y² says where its step heads.
        let s = surface::by_name("saddle").unwrap();
        let cfg = RunConfig {
            hyper: Hyper {
                lr: 1.0,
                ..Hyper::defaults(OptimizerKind::Newton)
            },
            ..RunConfig::new(s.as_ref(), OptimizerKind::Newton)
        };
        let lines = explain(s.as_ref(), &cfg, 1).unwrap().lines;
        assert!(
            lines[2].starts_with("H's eigenvalues -2 < 0 < 2: a saddle's curvature"),
            "{lines:?}"
        );
    }

    /// Weight decay is written out first, as torch applies it: coupled, g + λθ with θ₀ = (1, 1)
    /// and g = (2, 20), λ = 0.5: (2.5, 20.5); decoupled (AdamW), θ(1 − γλ) = 0.95·θ at γ = 0.1.
    /// Dampening τ = 0.5 halves the gradient's share of b from the second step:
    /// b₂ = 0.9·(2, 20) + 0.5·g₂.
    #[test]
    fn weight_decay_and_dampening_written_out_by_hand() {
        let lines = ravine_lines_with(OptimizerKind::Sgd, 0.01, 1, |h| h.weight_decay = 0.5);
        assert_eq!(
            lines[1],
            "g ← g + λθ = (2, 20) + 0.5 × (1, 1) = (2.5, 20.5)   (weight decay)"
        );
        assert_eq!(
            lines[2],
            "step = −γg = −0.01 × (2.5, 20.5) = (-0.025, -0.205)"
        );
        let lines = ravine_lines_with(OptimizerKind::Adamw, 0.1, 1, |h| h.weight_decay = 0.5);
        assert_eq!(
            lines[1],
            "θ(1 − γλ) = (1, 1) × 0.95 = (0.95, 0.95)   (decoupled weight decay, λ = 0.5)"
        );
        // Step 1 of SGD with μ = 0.9 moves θ by −0.01·(2, 20) to (0.98, 0.8): g₂ = (1.96, 16).
        let lines = ravine_lines_with(OptimizerKind::Momentum, 0.01, 2, |h| h.dampening = 0.5);
        assert_eq!(
            lines[1],
            "b = μb + (1−τ)g = 0.9 × (2, 20) + 0.5 × (1.96, 16) = (2.78, 26)"
        );
    }

    /// RAdam's panel says whether the step was rectified: with β₂ = 0.999, ρₜ = ρ∞ − 2tβ₂ᵗ/(1−β₂ᵗ)
    /// (ρ∞ = 1999) is 4.99 at t = 5 and 5.99 at t = 6, so step 5 is a momentum step with the
    /// bias-corrected m and step 6 the first adaptive one.
    #[test]
    fn radam_says_when_its_step_is_rectified() {
        let rho = |t: f64| 1999.0 - 2.0 * t * 0.999f64.powf(t) / (1.0 - 0.999f64.powf(t));
        assert!(rho(5.0) < 5.0 && rho(6.0) > 5.0);
        let five = ravine_lines_with(OptimizerKind::Radam, 0.01, 5, |_| {});
        let six = ravine_lines_with(OptimizerKind::Radam, 0.01, 6, |_| {});
        assert!(
            five.iter()
                .any(|l| l.starts_with(&format!("ρₜ = {} ≤ 5: not rectified yet", short(rho(5.0))))),
            "{five:?}"
        );
        assert!(five.iter().any(|l| l.starts_with("step = −γm̂ = −0.01 × ")));
        assert!(
            six.iter().any(|l| l.starts_with(&format!(
                "ρₜ = {} > 5: the step is rectified",
                short(rho(6.0))
            ))),
            "{six:?}"
        );
        assert!(six.iter().any(|l| l.starts_with("step = −γ·rₜ·m̂")));
    }

    /// NAdam's μₜ = β₁(1 − ½·0.96^(tψ)) at t = 1 with ψ = 0.004: 0.9·(1 − ½·0.96^0.004).
    /// Rprop's first step has no sign history, and its second keeps both signs on the ravine.
    #[test]
    fn nadam_and_rprop_written_out() {
        let mu = 0.9 * (1.0 - 0.5 * 0.96f64.powf(0.004));
        let lines = ravine_lines_with(OptimizerKind::Nadam, 0.01, 1, |_| {});
        assert_eq!(
            lines[1],
            format!(
                "μₜ = β₁(1 − ½·0.96^(tψ)) = {}; μ₁⋯μₜ = {}",
                short(mu),
                short(mu)
            )
        );
        let lines = ravine_lines_with(OptimizerKind::Rprop, 0.01, 1, |_| {});
        assert_eq!(
            lines[1],
            "sign of g against the last g: x g₋ = 0, first step or flipped before (×1), y g₋ = 0, first step or flipped before (×1)"
        );
        assert_eq!(lines[2], "Γ = clamp(ηΓ, 1e-6, 50) = (0.01, 0.01)");
        assert_eq!(lines[3], "step = −Γ·sign(g) = (-0.01, -0.01)");
        let lines = ravine_lines_with(OptimizerKind::Rprop, 0.01, 2, |_| {});
        assert_eq!(
            lines[1],
            "sign of g against the last g: x kept (×η₊), y kept (×η₊)"
        );
        assert_eq!(lines[2], "Γ = clamp(ηΓ, 1e-6, 50) = (0.012, 0.012)");
    }

    /// The sharpness limit is the critical rate turned around: at λmax equal to the limit of a
    /// rate, that rate is the optimizer's threshold (weight decay and momentum included).
    #[test]
    fn sharpness_limits_invert_the_critical_rates() {
        let h = |kind: OptimizerKind, momentum: f64, weight_decay: f64| Hyper {
            momentum,
            weight_decay,
            ..Hyper::defaults(kind)
        };
        assert_eq!(
            sharpness_limit(OptimizerKind::Sgd, &h(OptimizerKind::Sgd, 0.0, 0.0), 0.2),
            Some(10.0)
        );
        let m = sharpness_limit(
            OptimizerKind::Momentum,
            &h(OptimizerKind::Momentum, 0.5, 0.0),
            0.1,
        )
        .unwrap();
        assert!((m - 30.0).abs() < 1e-12, "{m}");
        // At λmax = the limit, the rate is the optimizer's critical rate, weight decay and all.
        for kind in [
            OptimizerKind::Sgd,
            OptimizerKind::Momentum,
            OptimizerKind::Nesterov,
        ] {
            let hp = h(kind, 0.9, 0.05);
            let limit = sharpness_limit(kind, &hp, 0.01).unwrap();
            let c = critical_of(limit, false, kind, &hp)
                .unwrap()
                .optimizer_lr
                .unwrap();
            assert!((c - 0.01).abs() < 1e-15, "{kind:?}: {c}");
        }
        assert_eq!(
            sharpness_limit(
                OptimizerKind::Adam,
                &Hyper::defaults(OptimizerKind::Adam),
                0.01
            ),
            None
        );
        assert_eq!(
            sharpness_limit(OptimizerKind::Sgd, &h(OptimizerKind::Sgd, 0.0, 0.0), 0.0),
            None
        );
        // 2/γ = 2 is below the weight decay's 3: no sharpness is stable.
        let decayed = h(OptimizerKind::Sgd, 0.0, 3.0);
        assert_eq!(sharpness_limit(OptimizerKind::Sgd, &decayed, 1.0), None);
    }

    /// Coupled weight decay adds λ to every curvature: on Booth (λmax = 18) with λ = 2, SGD's
    /// mark is 2/20; dampening τ = 0.5 doubles heavy ball's, 2·1.9/(0.5·18); the caption says so.
    #[test]
    fn thresholds_count_weight_decay_and_dampening() {
        let s = surface::by_name("booth").unwrap();
        let sgd = Hyper {
            weight_decay: 2.0,
            ..Hyper::defaults(OptimizerKind::Sgd)
        };
        let t = threshold_for(s.as_ref(), s.start(), OptimizerKind::Sgd, &sgd);
        assert_eq!(t.mark, Some(2.0 / 20.0));
        assert_eq!(
            t.critical.unwrap().lr,
            2.0 / 18.0,
            "plain gradient descent's, as before"
        );
        assert!(t.caption.contains("weight decay λ = 2, gradient descent meets the curvature λmax + λ and is stable up to 2/(λmax + λ) = 0.1."), "{}", t.caption);
        let damped = Hyper {
            dampening: 0.5,
            ..Hyper::defaults(OptimizerKind::Momentum)
        };
        let t = threshold_for(s.as_ref(), s.start(), OptimizerKind::Momentum, &damped);
        assert_eq!(t.mark, Some(2.0 * 1.9 / (0.5 * 18.0)));
        assert!(t.caption.contains("dampening τ = 0.5"), "{}", t.caption);
        let stuck = Hyper {
            dampening: 1.0,
            ..damped
        };
        let t = threshold_for(s.as_ref(), s.start(), OptimizerKind::Momentum, &stuck);
        assert_eq!(t.mark, None);
        assert!(t.caption.contains("τ = 1"), "{}", t.caption);
        // AdamW's decay is decoupled: no threshold, as for Adam.
        let adamw = Hyper::defaults(OptimizerKind::Adamw);
        assert_eq!(
            threshold_for(s.as_ref(), s.start(), OptimizerKind::Adamw, &adamw).mark,
            None
        );
    }

    /// A schedule's rate and clipping are written out with the step: a linear warm-up from half
    /// of γ₀ = 0.01 takes γ = 0.005 at step 1, and the step uses it; the ravine's g₁ = (2, 20)
    /// has norm √404 ≈ 20.1, so clipping to norm 1 scales it by 1/(√404 + 1e-6).
    #[test]
    fn schedules_and_clipping_written_out_by_hand() {
        let s = surface::by_name("ravine").unwrap();
        let cfg = RunConfig {
            hyper: Hyper {
                lr: 0.01,
                ..Hyper::defaults(OptimizerKind::Sgd)
            },
            start: [1.0, 1.0],
            schedule: Schedule::parse("linear:start_factor=0.5,total_iters=4").unwrap(),
            clip: crate::optim::Clip {
                norm: Some(1.0),
                value: Some(0.5),
            },
            ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
        };
        let d = explain(s.as_ref(), &cfg, 1).unwrap();
        assert_eq!(d.lr, 0.005);
        let f = 1.0 / (404f64.sqrt() + 1e-6);
        assert_eq!(
            d.lines[1..4],
            [
                "γ = 0.005 at step 1   (linear schedule from γ₀ = 0.01)".to_string(),
                format!(
                    "‖g‖ = {}; clipped to norm 1: g × min(1, C/(‖g‖ + 1e-6)) = g × {} = {}",
                    short(404f64.sqrt()),
                    short(f),
                    v([2.0 * f, 20.0 * f])
                ),
                format!(
                    "g clamped to [−0.5, 0.5] per coordinate = {}",
                    v([2.0 * f, 0.5])
                ),
            ]
        );
        let step = [-0.005 * 2.0 * f, -0.005 * 0.5];
        assert_eq!(d.after, [1.0 + step[0], 1.0 + step[1]]);
        // Step 2's rate is γ₀(0.5 + 0.5/4): LinearLR's recursion, 0.005·(1 + 0.5/(4·0.5)).
        let d = explain(s.as_ref(), &cfg, 2).unwrap();
        assert_eq!(d.lr, 0.005 * (1.0 + 0.5 / (4.0 * 0.5)));
    }

    /// OneCycleLR's rule with the step's numbers: plain SGD at step 1 starts at max_lr/25 with
    /// μ = max_momentum, and steps as momentum SGD (b = g on the first step); the γ₀ of `--lr`
    /// is said to be unused. Adam's β₁ is cycled: at step 5 of a 10-step linear cycle (phase 2
    /// from step 2 to 9), p = 2/7 and β₁ = 0.85 + 0.1p.
    #[test]
    fn one_cycle_written_out_by_hand() {
        let s = surface::by_name("booth").unwrap();
        let cfg = |kind, spec: &str| RunConfig {
            steps: 10,
            schedule: Schedule::parse(spec).unwrap(),
            hyper: Hyper {
                lr: 1.0,
                ..Hyper::defaults(kind)
            },
            ..RunConfig::new(s.as_ref(), kind)
        };
        let sgd = cfg(OptimizerKind::Sgd, "onecycle:max_lr=0.02,total_steps=10");
        let d = explain(s.as_ref(), &sgd, 1).unwrap();
        // torch's cosine anneal at p = 0: e + (s − e)/2·2, not s exactly.
        let lr = 0.02 + (0.02 / 25.0 - 0.02) / 2.0 * 2.0;
        assert_eq!((d.lr, d.momentum), (lr, Some(0.95)));
        assert_eq!(
            d.lines[1..4],
            [
                "γ = e + (s − e)(1 + cos πp)/2 = 8e-4 at step 1   (onecycle phase 1 of 2, cos: \
                 from initial_lr = 8e-4 to max_lr = 0.02, p = (0 − 0)/(2 − 0) = 0; --lr's γ₀ = \
                 1 is not used)",
                "μ = e + (s − e)(1 + cos πp)/2 = 0.95 at step 1   (cycled against γ: momentum \
                 from 0.95 to 0.85, same p)",
                "b = g = (-142, -146)   (first step)"
            ]
        );
        let adam = cfg(
            OptimizerKind::Adam,
            "onecycle:max_lr=0.02,total_steps=10,anneal_strategy=linear",
        );
        let d = explain(s.as_ref(), &adam, 5).unwrap();
        let p = 2.0 / 7.0;
        assert_eq!(d.momentum, Some((0.95 - 0.85) * p + 0.85));
        assert_eq!(d.lr, (0.02 / 25.0 / 1e4 - 0.02) * p + 0.02);
        assert_eq!(
            d.lines[2],
            "β₁ = s + (e − s)p = 0.8786 at step 5   (cycled against γ: betas[0] from 0.85 to \
             0.95, same p)"
        );
        // The bias correction uses the step's β₁, as torch's does.
        let c1 = 1.0 - d.momentum.unwrap().powi(5);
        assert!(
            d.lines[5].contains(&format!("m/{}", short(c1))),
            "{}",
            d.lines[5]
        );
    }

    /// ReduceLROnPlateau's rule with its counters: before the first step there is no best f.
    /// On Booth with Adam at γ₀ = 1 and a threshold of 50%, f = 884 after step 1 is the best;
    /// 651 and 456 are not below 442, so γ halves for step 4 and two steps of cooldown follow;
    /// 372.9 is the next best.
    #[test]
    fn plateau_written_out_by_hand() {
        let s = surface::by_name("booth").unwrap();
        let cfg = RunConfig {
            steps: 10,
            schedule: Schedule::parse("plateau:patience=1,cooldown=2,factor=0.5,threshold=0.5")
                .unwrap(),
            hyper: Hyper {
                lr: 1.0,
                ..Hyper::defaults(OptimizerKind::Adam)
            },
            ..RunConfig::new(s.as_ref(), OptimizerKind::Adam)
        };
        let line = |step| explain(s.as_ref(), &cfg, step).unwrap().lines[1].clone();
        assert_eq!(
            line(1),
            "γ = 1 at step 1   (plateau from γ₀ = 1: no best f yet, 0 bad steps since (f not \
             below best·(1 − 0.5)); at 2 in a row γ ← max(0.5γ, 0))"
        );
        let t = crate::run::run(s.as_ref(), &cfg).unwrap();
        assert_eq!(t.lrs[..5], [1.0, 1.0, 1.0, 0.5, 0.5]);
        assert_eq!(
            line(3),
            "γ = 1 at step 3   (plateau from γ₀ = 1: best f so far 884, 1 bad steps since (f \
             not below best·(1 − 0.5)); at 2 in a row γ ← max(0.5γ, 0))"
        );
        assert_eq!(
            line(5),
            "γ = 0.5 at step 5   (plateau from γ₀ = 1: best f so far 372.9, 0 bad steps since \
             (f not below best·(1 − 0.5)), cooling down: bad steps not counted for 1 more; at 2 \
             in a row γ ← max(0.5γ, 0))"
        );
    }

    /// Along a path the threshold is the one at each point: constant 2/18 on Booth (a
    /// quadratic), heavy ball's 2(1+μ)/λmax there with μ = 0.9, none for Adam; on Rosenbrock it
    /// changes with the curvature.
    #[test]
    fn thresholds_along_a_path() {
        let booth = surface::by_name("booth").unwrap();
        let points = [[-6.0, -6.0], [0.0, 0.0], [1.0, 3.0]];
        let sgd = Hyper::defaults(OptimizerKind::Sgd);
        assert_eq!(
            thresholds_along(booth.as_ref(), &points, OptimizerKind::Sgd, &sgd),
            [Some(2.0 / 18.0); 3]
        );
        let mom = Hyper::defaults(OptimizerKind::Momentum);
        assert_eq!(
            thresholds_along(booth.as_ref(), &points, OptimizerKind::Momentum, &mom),
            [Some(2.0 * 1.9 / 18.0); 3]
        );
        let adam = Hyper::defaults(OptimizerKind::Adam);
        assert_eq!(
            thresholds_along(booth.as_ref(), &points, OptimizerKind::Adam, &adam),
            [None; 3]
        );
        let r = surface::by_name("rosenbrock").unwrap();
        let t = thresholds_along(
            r.as_ref(),
            &[[-1.2, 1.0], [1.0, 1.0]],
            OptimizerKind::Sgd,
            &sgd,
        );
        let (_, l0) = linalg::sym_eigenvalues(r.hessian([-1.2, 1.0]));
        let (_, l1) = linalg::sym_eigenvalues(r.hessian([1.0, 1.0]));
        assert_eq!(t, [Some(2.0 / l0), Some(2.0 / l1)]);
        assert_ne!(t[0], t[1]);
    }
}
