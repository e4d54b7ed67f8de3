//! A run: an optimizer stepped from a start point over a surface's finite sum, recorded.

use crate::error::Error;
use crate::linalg::{self, Vec2};
use crate::optim::{Clip, Hyper, Objective, Optimizer, OptimizerKind};
use crate::schedule::{Schedule, Scheduler};
use crate::surface::{Surface, View};
use crate::variant::{FiniteSum, Sampler, Variant};

/// The most steps one run may take (defined with the sampler, which replays no further).
pub use crate::variant::MAX_STEPS;

/// Everything that determines a run besides the surface.
#[derive(Debug, Clone, PartialEq)]
pub struct RunConfig {
    /// Which optimizer.
    pub optimizer: OptimizerKind,
    /// Its hyper-parameters.
    pub hyper: Hyper,
    /// Batch, stochastic or mini-batch.
    pub variant: Variant,
    /// Terms per step for mini-batch.
    pub batch: usize,
    /// Seed of the term sampler.
    pub seed: u64,
    /// Scale of an analytic surface's per-term tilts; `None` for the surface's default.
    pub noise: Option<f64>,
    /// Number of steps.
    pub steps: usize,
    /// Start point.
    pub start: Vec2,
    /// The run has converged when the final full gradient is shorter than this.
    pub tolerance: f64,
    /// The learning-rate schedule; `hyper.lr` is its base rate.
    pub schedule: Schedule,
    /// Gradient clipping before each step.
    pub clip: Clip,
}

impl RunConfig {
    /// The optimizer the run steps with: `optimizer`, except plain SGD under a schedule that
    /// cycles the momentum (OneCycleLR), which torch's `SGD` then steps as momentum SGD (its
    /// defaults have `momentum`, which the schedule sets from max_momentum down and back).
    pub fn stepped_as(&self) -> OptimizerKind {
        if self.optimizer == OptimizerKind::Sgd && self.schedule.cycles_momentum() {
            OptimizerKind::Momentum
        } else {
            self.optimizer
        }
    }

    /// The hyper-parameters the run steps with (see [`RunConfig::stepped_as`]): plain SGD turned
    /// momentum SGD has torch's `dampening` 0, whatever `hyper` kept from another optimizer.
    pub fn stepped_hyper(&self) -> Hyper {
        if self.stepped_as() != self.optimizer {
            Hyper {
                momentum: 0.0,
                dampening: 0.0,
                ..self.hyper
            }
        } else {
            self.hyper
        }
    }

    /// The defaults for `optimizer` on `surface`: PyTorch's hyper-parameters, full batch, the
    /// surface's start, 200 steps.
    pub fn new(surface: &dyn Surface, optimizer: OptimizerKind) -> Self {
        RunConfig {
            optimizer,
            hyper: Hyper::defaults(optimizer),
            variant: Variant::Batch,
            batch: 10,
            seed: 0,
            noise: None,
            steps: 200,
            start: surface.start(),
            tolerance: 1e-6,
            schedule: Schedule::Constant,
            clip: Clip::default(),
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The final full gradient is shorter than the tolerance.
    Converged,
    /// Step `step` produced a non-finite value or left the view far behind; the run stopped there.
    Diverged {
        /// The step that diverged (1-based).
        step: usize,
    },
    /// All steps were taken without converging.
    MaxSteps,
}

impl Status {
    /// `converged`, `diverged` or `max-steps`, as in the CLI's JSON.
    pub fn name(self) -> &'static str {
        match self {
            Status::Converged => "converged",
            Status::Diverged { .. } => "diverged",
            Status::MaxSteps => "max-steps",
        }
    }
}

/// The recorded path of a run. Only finite numbers are ever stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// θ after each step; `points[0]` is the start.
    pub points: Vec<Vec2>,
    /// f(θ) at each point.
    pub losses: Vec<f64>,
    /// `grads[k]` is the (batch) gradient of the step from `points[k]` to `points[k + 1]`,
    /// before any clipping.
    pub grads: Vec<Vec2>,
    /// `lrs[k]` is the learning rate of that step (the schedule's).
    pub lrs: Vec<f64>,
    /// How the run ended.
    pub status: Status,
    /// When a converged run converged: the first step k from which the convergence test
    /// ‖∇f(θⱼ)‖ < tolerance holds at every recorded point j ≥ k (the first step it held, unless
    /// the path rose above the tolerance again later). `Some` exactly when `status` is
    /// [`Status::Converged`].
    pub converged_at: Option<usize>,
}

impl Trajectory {
    /// The path flat, `x, y, f(x, y)` per point: how the page hands it to the second module.
    pub fn xyf(&self) -> Vec<f64> {
        self.points
            .iter()
            .zip(&self.losses)
            .flat_map(|(p, f)| [p[0], p[1], *f])
            .collect()
    }

    /// The number of steps recorded.
    pub fn steps(&self) -> usize {
        self.points.len() - 1
    }

    /// The last point.
    pub fn last(&self) -> Vec2 {
        self.points[self.points.len() - 1]
    }
}

/// A run in progress: the optimizer, the term sampler and θ after some steps, over the
/// surface's finite sum. [`run`] records one; the step explanation replays or resumes one.
pub struct Stepper<'a> {
    surface: &'a dyn Surface,
    clip: Clip,
    /// Whether the rate follows a schedule (else the scheduler is never consulted).
    scheduled: bool,
    /// Whether the optimizer picks each step's size itself (the line search).
    picks_lr: bool,
    /// Whether the scheduler is stepped with the loss (ReduceLROnPlateau).
    reads_loss: bool,
    /// The surface's view, for the far-outside rule checked after every step.
    view: View,
    sum: FiniteSum<'a>,
    end: End,
    batch: Vec<usize>,
}

/// The full objective f as the optimizers that evaluate it see it: every term, and gradients
/// clipped as the run's are (a closure that clips before it returns).
struct Whole<'a> {
    surface: &'a dyn Surface,
    clip: Clip,
}

impl Objective for Whole<'_> {
    fn value(&self, theta: &[f64]) -> f64 {
        self.surface.value([theta[0], theta[1]])
    }

    fn gradient(&self, theta: &[f64], g: &mut [f64]) {
        let full = self.surface.gradient([theta[0], theta[1]]);
        g.copy_from_slice(&self.clip.apply(full));
    }

    fn hessian(&self, theta: &[f64], h: &mut [f64]) {
        let m = self.surface.hessian([theta[0], theta[1]]);
        h.copy_from_slice(&[m[0][0], m[0][1], m[1][0], m[1][1]]);
    }
}

/// Where a run stands, apart from its surface: enough to take the next step exactly as the run
/// would have, without replaying it from the start.
/// It knows the configuration it belongs to, so it cannot be resumed as another run's state.
#[derive(Clone)]
pub struct End {
    steps: usize,
    theta: Vec2,
    optimizer: Box<dyn Optimizer>,
    scheduler: Scheduler,
    /// The learning rate of the last step (the base rate before the first).
    last_lr: f64,
    /// The momentum μ or β₁ of the last step, when the schedule cycles it.
    last_momentum: Option<f64>,
    sampler: Sampler,
    /// The run's configuration, without what does not change its steps (their number and the
    /// convergence tolerance).
    run: RunConfig,
}

impl End {
    /// Steps taken.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// θ after them.
    pub fn theta(&self) -> Vec2 {
        self.theta
    }
}

/// `cfg` without what does not change a run's steps: two runs with the same key take the same
/// steps (as far as both go) on the same surface.
fn step_key(cfg: &RunConfig) -> RunConfig {
    RunConfig {
        steps: 0,
        tolerance: 0.0,
        ..cfg.clone()
    }
}

impl<'a> Stepper<'a> {
    /// `cfg`'s run on `surface`, before its first step.
    pub fn new(surface: &'a dyn Surface, cfg: &RunConfig) -> Result<Self, Error> {
        let optimizer = cfg.stepped_as().build(&cfg.stepped_hyper(), 2)?;
        cfg.schedule.check_run(cfg.optimizer, cfg.steps)?;
        if cfg.optimizer.evaluates_f() && cfg.variant != Variant::Batch {
            return Err(Error::new(
                "variant",
                format!(
                    "{} evaluates f itself (its Hessian, closure or trial steps), so it steps on the full objective: choose variant batch",
                    cfg.optimizer.title()
                ),
            ));
        }
        cfg.clip.check()?;
        let sum = FiniteSum::new(
            surface,
            cfg.noise.unwrap_or_else(|| surface.default_noise()),
        )?;
        let sampler = Sampler::new(cfg.variant, sum.len(), cfg.batch, cfg.seed)?;
        let batch = Vec::with_capacity(sum.len());
        let end = End {
            steps: 0,
            theta: cfg.start,
            optimizer,
            scheduler: Scheduler::new(&cfg.schedule, cfg.hyper.lr),
            last_lr: cfg.hyper.lr,
            last_momentum: None,
            sampler,
            run: step_key(cfg),
        };
        Ok(Stepper {
            surface,
            clip: cfg.clip,
            scheduled: cfg.schedule != Schedule::Constant,
            picks_lr: cfg.optimizer == OptimizerKind::Linesearch,
            reads_loss: cfg.schedule.reads_loss(),
            view: surface.view(),
            sum,
            end,
            batch,
        })
    }

    /// Picks the run up where `end` left it; `cfg` must be the configuration it ran with (and
    /// `surface` its surface, which the caller vouches for).
    pub fn resume(surface: &'a dyn Surface, cfg: &RunConfig, end: End) -> Result<Self, Error> {
        if end.run != step_key(cfg) {
            return Err(Error::new(
                "resume",
                "that state belongs to a run with other settings",
            ));
        }
        let mut s = Stepper::new(surface, cfg)?;
        s.end = end;
        Ok(s)
    }

    /// Takes the next step and returns the (batch) gradient it used. θ may be left non-finite:
    /// the caller decides what divergence means to it.
    pub fn step(&mut self) -> Vec2 {
        let e = &mut self.end;
        // Full batch: every step takes all the terms, and the sampler keeps no state for it, so
        // the indices are written once rather than once per step.
        if !(e.sampler.is_full() && self.batch.len() == self.sum.len()) {
            e.sampler.next_batch(&mut self.batch);
        }
        let g = self.sum.gradient(e.theta, &mut self.batch);
        let clipped = if self.clip == Clip::default() {
            g
        } else {
            self.clip.apply(g)
        };
        let f = Whole {
            surface: self.surface,
            clip: self.clip,
        };
        if self.scheduled {
            // optimizer.step() at the scheduler's rate, then scheduler.step(), as torch's loop.
            let lr = e.scheduler.lr();
            e.optimizer.set_lr(lr);
            let momentum = e.scheduler.momentum();
            if let Some(m) = momentum {
                e.optimizer.set_momentum(m);
            }
            e.optimizer.step(&mut e.theta, &clipped, &f);
            // ReduceLROnPlateau is stepped with the full loss at the new point.
            let loss = if self.reads_loss {
                self.surface.value(e.theta)
            } else {
                f64::NAN
            };
            e.scheduler.step(loss);
            e.last_lr = e.optimizer.taken_lr().unwrap_or(lr);
            e.last_momentum = momentum;
        } else {
            // A constant rate: the optimizer's own, every step (the 2D hot path).
            e.optimizer.step(&mut e.theta, &clipped, &f);
            if self.picks_lr {
                e.last_lr = e.optimizer.taken_lr().unwrap_or(e.last_lr);
            }
        }
        e.steps += 1;
        g
    }

    /// The learning rate of the last step (the base rate before the first).
    pub fn last_lr(&self) -> f64 {
        self.end.last_lr
    }

    /// The momentum μ or β₁ of the last step when the schedule cycles it (OneCycleLR), else
    /// `None` (the optimizer's own).
    pub fn last_momentum(&self) -> Option<f64> {
        self.end.last_momentum
    }

    /// The scheduler, ready for the next step.
    pub fn scheduler(&self) -> &Scheduler {
        &self.end.scheduler
    }

    /// The clipping of the run's gradients.
    pub fn clip(&self) -> Clip {
        self.clip
    }

    /// f(θ) after the last step if [`run`] records that step (its gradient, θ and loss are
    /// finite), else `None`: the run diverged there. Past the step that left the view far behind
    /// (recorded, as the one that diverged), no step is recorded either.
    pub fn recorded_loss(&self, g: Vec2) -> Option<f64> {
        let theta = self.end.theta;
        if !(linalg::is_finite(g) && linalg::is_finite(theta)) {
            return None;
        }
        Some(self.surface.value(theta)).filter(|loss| loss.is_finite())
    }

    /// Whether the run stops after the last step: θ left the view far behind.
    pub fn gone(&self) -> bool {
        self.view.is_far_outside(self.end.theta)
    }

    /// The number of steps taken.
    pub fn steps(&self) -> usize {
        self.end.steps
    }

    /// θ now.
    pub fn theta(&self) -> Vec2 {
        self.end.theta
    }

    /// The optimizer's state now, named as in its update rule: one value per coordinate, or
    /// one for the whole step (NAdam's μₜ, RAdam's ρₜ).
    pub fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        self.end.optimizer.state()
    }

    /// The term indices the last step's gradient averaged (sorted).
    pub fn batch(&self) -> &[usize] {
        &self.batch
    }

    /// The number of terms n of the run's finite sum.
    pub fn terms(&self) -> usize {
        self.sum.len()
    }

    /// The full gradient ∇f(θ) now (all n terms), which a smaller batch only estimates.
    pub fn full_gradient(&self) -> Vec2 {
        self.surface.gradient(self.end.theta)
    }

    /// Where the run stands, without the surface.
    pub fn into_end(self) -> End {
        self.end
    }
}

/// Where one run stood at some of its steps (kept every `every` steps as it is replayed, plus
/// any end handed over), so that reaching step k replays from the nearest one at or before k
/// instead of from the start: scrubbing and playback cost at most `every` steps each. For one
/// configuration on one surface: start a new one when either changes.
pub struct Checkpoints {
    every: usize,
    /// Sorted by `steps`, no two at the same step.
    ends: Vec<End>,
}

impl Checkpoints {
    /// The spacing the app uses: 100 000 steps keep 49 checkpoints of a few hundred bytes.
    pub const EVERY: usize = 2048;

    /// None yet, keeping one every `every` steps while replaying (0: keep none).
    pub fn new(every: usize) -> Self {
        Checkpoints {
            every,
            ends: Vec::new(),
        }
    }

    /// Keeps `end` (a run's end, say). An end of other settings than those kept replaces them.
    pub fn keep(&mut self, end: End) {
        if self.ends.first().is_some_and(|e| e.run != end.run) {
            self.ends.clear();
        }
        match self.ends.binary_search_by_key(&end.steps, |e| e.steps) {
            Ok(_) => {}
            Err(i) => self.ends.insert(i, end),
        }
    }

    /// How many are kept.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// `cfg`'s run on `surface` after `k` steps, ready to take step k + 1; `None` if the run does
    /// not get there (a step that [`run`] would not record, or one that left the view far behind,
    /// at or before step k), if `k` is beyond [`MAX_STEPS`] or if the configuration is invalid.
    /// Checkpoints of other settings are dropped first; those of another surface are the
    /// caller's to drop.
    pub fn stepper_at<'a>(
        &mut self,
        surface: &'a dyn Surface,
        cfg: &RunConfig,
        k: usize,
    ) -> Option<Stepper<'a>> {
        if k > MAX_STEPS {
            return None;
        }
        if self.ends.first().is_some_and(|e| e.run != step_key(cfg)) {
            self.ends.clear();
        }
        let mut s = match self.ends.partition_point(|e| e.steps <= k) {
            0 => Stepper::new(surface, cfg).ok()?,
            i => Stepper::resume(surface, cfg, self.ends[i - 1].clone()).ok()?,
        };
        while s.steps() < k {
            let g = s.step();
            if s.recorded_loss(g).is_none() || s.gone() {
                return None;
            }
            if self.every > 0 && s.steps() % self.every == 0 {
                self.keep(s.end.clone());
            }
        }
        Some(s)
    }
}

/// Runs `cfg` on `surface`.
pub fn run(surface: &dyn Surface, cfg: &RunConfig) -> Result<Trajectory, Error> {
    run_to_end(surface, cfg).map(|(t, _)| t)
}

/// What a run checks before its first step beyond [`Stepper::new`]'s checks: at most
/// [`MAX_STEPS`] steps, and a finite start where f is finite; f there.
pub fn check_start(surface: &dyn Surface, cfg: &RunConfig) -> Result<f64, Error> {
    if cfg.steps > MAX_STEPS {
        return Err(Error::new(
            "steps",
            format!("at most {MAX_STEPS} steps (got {})", cfg.steps),
        ));
    }
    if !linalg::is_finite(cfg.start) {
        return Err(Error::new(
            "start",
            "both coordinates must be finite numbers",
        ));
    }
    let f0 = surface.value(cfg.start);
    if !f0.is_finite() {
        return Err(Error::new("start", "f is not finite at the start point"));
    }
    Ok(f0)
}

/// Runs `cfg` on `surface`, keeping where the run stands at its end (`None` when it diverged),
/// from which its next step costs one step instead of a replay.
pub fn run_to_end(
    surface: &dyn Surface,
    cfg: &RunConfig,
) -> Result<(Trajectory, Option<End>), Error> {
    let f0 = check_start(surface, cfg)?;
    let mut stepper = Stepper::new(surface, cfg)?;

    let mut t = Trajectory {
        points: Vec::with_capacity(cfg.steps + 1),
        losses: Vec::with_capacity(cfg.steps + 1),
        grads: Vec::with_capacity(cfg.steps),
        lrs: Vec::with_capacity(cfg.steps),
        status: Status::MaxSteps,
        converged_at: None,
    };
    t.points.push(cfg.start);
    t.losses.push(f0);
    for step in 1..=cfg.steps {
        let g = stepper.step();
        let Some(loss) = stepper.recorded_loss(g) else {
            t.status = Status::Diverged { step };
            return Ok((t, None));
        };
        t.points.push(stepper.theta());
        t.losses.push(loss);
        t.grads.push(g);
        t.lrs.push(stepper.last_lr());
        if stepper.gone() {
            t.status = Status::Diverged { step };
            return Ok((t, None));
        }
    }
    if linalg::norm(surface.gradient(stepper.theta())) < cfg.tolerance {
        t.status = Status::Converged;
        t.converged_at = Some(converged_since(
            surface,
            &t,
            cfg.tolerance,
            cfg.variant == Variant::Batch,
        ));
    }
    Ok((t, Some(stepper.into_end())))
}

/// The first step from which every recorded point of `t` (whose last point passed the test)
/// has ‖∇f‖ < `tolerance`, found backwards from the end, after the run: the steps cost nothing
/// extra. A full-batch run recorded ∇f(θₖ) itself as `grads[k]` (a batch of all the terms is
/// ∇f bit for bit, see [`FiniteSum::gradient`]), so only other variants evaluate ∇f here.
fn converged_since(surface: &dyn Surface, t: &Trajectory, tolerance: f64, full: bool) -> usize {
    let full_gradient = |k: usize| {
        if full {
            t.grads[k]
        } else {
            surface.gradient(t.points[k])
        }
    };
    // ‖g‖ < tolerance as `linalg::norm` decides it, mostly without its square root: ‖g‖ never
    // exceeds |g₀| + |g₁|, and the margin covers both roundings.
    let sure = 0.999 * tolerance;
    let below = |g: Vec2| g[0].abs() + g[1].abs() < sure || linalg::norm(g) < tolerance;
    let mut k = t.steps();
    while k > 0 && below(full_gradient(k - 1)) {
        k -= 1;
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A full-batch trajectory whose recorded gradients are `grads` (its points do not matter).
    fn with_grads(grads: &[Vec2]) -> Trajectory {
        Trajectory {
            points: vec![[0.0; 2]; grads.len() + 1],
            losses: vec![0.0; grads.len() + 1],
            grads: grads.to_vec(),
            lrs: vec![0.1; grads.len()],
            status: Status::Converged,
            converged_at: None,
        }
    }

    #[test]
    fn converged_since_decides_as_the_norm_does() {
        let s = crate::surface::by_name("booth").unwrap();
        // (7e-7, 7e-7): |g₀| + |g₁| = 1.4e-6 is above 1e-6, the norm 9.9e-7 below it.
        let near = [7e-7, 7e-7];
        let t = with_grads(&[[1.0, 0.0], near, [1e-9, 0.0]]);
        assert_eq!(converged_since(s.as_ref(), &t, 1e-6, true), 1);
        // (8e-7, 8e-7): the norm 1.13e-6 is not below 1e-6.
        let t = with_grads(&[near, [8e-7, 8e-7], [0.0, 0.0]]);
        assert_eq!(converged_since(s.as_ref(), &t, 1e-6, true), 2);
        // A path that never rose again converged at its start.
        let t = with_grads(&[[0.0, 0.0]; 3]);
        assert_eq!(converged_since(s.as_ref(), &t, 1e-6, true), 0);
    }

    /// A step whose gradient is finite but overflows θ is not recorded, even where f is still
    /// finite at the infinite θ: tanh(1e308·x) has slope 1e308 at 0, γ = 10 sends x to −∞, and
    /// tanh(−∞) = −1. The run stops at step 1 with only its finite start stored.
    #[test]
    fn a_step_to_an_infinite_theta_is_not_recorded() {
        let s =
            crate::expr::ExprSurface::parse("tanh(1e308*x)", crate::expr::DEFAULT_VIEW).unwrap();
        let cfg = RunConfig {
            start: [0.0, 0.0],
            steps: 3,
            hyper: Hyper {
                lr: 10.0,
                ..Hyper::defaults(OptimizerKind::Sgd)
            },
            ..RunConfig::new(&s, OptimizerKind::Sgd)
        };
        let mut stepper = Stepper::new(&s, &cfg).unwrap();
        let g = stepper.step();
        assert_eq!(g, [1e308, 0.0]);
        assert_eq!(stepper.theta(), [f64::NEG_INFINITY, 0.0]);
        assert_eq!(s.value(stepper.theta()), -1.0);
        assert_eq!(stepper.recorded_loss(g), None);
        let t = run(&s, &cfg).unwrap();
        assert_eq!(t.status, Status::Diverged { step: 1 });
        assert_eq!(t.points, vec![[0.0, 0.0]]);
    }

    /// What `Checkpoints` holds as runs are kept and replayed: none at first, one per kept end.
    #[test]
    fn checkpoints_count_what_they_keep() {
        let s = crate::surface::by_name("booth").unwrap();
        let cfg = RunConfig {
            steps: 5,
            ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
        };
        let mut c = Checkpoints::new(2);
        assert_eq!((c.is_empty(), c.len()), (true, 0));
        let (_, end) = run_to_end(s.as_ref(), &cfg).unwrap();
        c.keep(end.unwrap());
        assert_eq!((c.is_empty(), c.len()), (false, 1));
        // Replaying to step 4 keeps steps 2 and 4 beside the end at 5.
        assert_eq!(c.stepper_at(s.as_ref(), &cfg, 4).unwrap().steps(), 4);
        assert_eq!(c.len(), 3);
    }

    /// A run may take exactly `MAX_STEPS` steps, so the app can show and explain its last step;
    /// one step more is refused.
    #[test]
    fn checkpoints_reach_max_steps_and_no_further() {
        let s = crate::surface::by_name("booth").unwrap();
        let cfg = RunConfig {
            steps: MAX_STEPS,
            ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
        };
        let mut c = Checkpoints::new(0);
        assert!(c.stepper_at(s.as_ref(), &cfg, MAX_STEPS + 1).is_none());
        let at = c.stepper_at(s.as_ref(), &cfg, MAX_STEPS).unwrap();
        assert_eq!(at.steps(), MAX_STEPS);
    }

    /// `run` takes up to `MAX_STEPS` steps and refuses more, naming the option. (γ = 1 on Booth
    /// diverges within a few steps, so allowing a million costs nothing here.)
    #[test]
    fn a_run_may_ask_for_exactly_max_steps() {
        let s = crate::surface::by_name("booth").unwrap();
        let cfg = |steps| RunConfig {
            steps,
            hyper: Hyper {
                lr: 1.0,
                ..Hyper::defaults(OptimizerKind::Sgd)
            },
            ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
        };
        let t = run(s.as_ref(), &cfg(MAX_STEPS)).unwrap();
        assert!(matches!(t.status, Status::Diverged { .. }));
        let e = run(s.as_ref(), &cfg(MAX_STEPS + 1)).unwrap_err();
        assert_eq!(e.option, "steps");
    }

    /// Under OneCycleLR cycling the momentum, plain SGD steps as torch's SGD then does: as
    /// momentum SGD (dampening 0) with the schedule's μ, so exactly as the `momentum` optimizer
    /// under the same schedule (whose own μ the schedule overrides too).
    #[test]
    fn one_cycle_turns_plain_sgds_momentum_on() {
        let s = crate::surface::by_name("booth").unwrap();
        let cfg = |kind, spec: &str| RunConfig {
            steps: 50,
            schedule: Schedule::parse(spec).unwrap(),
            hyper: Hyper {
                dampening: 0.5,
                ..Hyper::defaults(kind)
            },
            ..RunConfig::new(s.as_ref(), kind)
        };
        let spec = "onecycle:max_lr=0.02,total_steps=50";
        let sgd = cfg(OptimizerKind::Sgd, spec);
        assert_eq!(sgd.stepped_as(), OptimizerKind::Momentum);
        let momentum = RunConfig {
            hyper: Hyper::defaults(OptimizerKind::Momentum),
            ..cfg(OptimizerKind::Momentum, spec)
        };
        assert_eq!(
            run(s.as_ref(), &sgd).unwrap(),
            run(s.as_ref(), &momentum).unwrap()
        );
        // Without cycling, plain SGD stays plain: γ from the cycle, no momentum.
        let plain = cfg(OptimizerKind::Sgd, &format!("{spec},cycle_momentum=false"));
        assert_eq!(plain.stepped_as(), OptimizerKind::Sgd);
        let t = run(s.as_ref(), &plain).unwrap();
        let g = s.gradient(t.points[1]);
        let want = [
            t.points[1][0] - t.lrs[1] * g[0],
            t.points[1][1] - t.lrs[1] * g[1],
        ];
        assert!(
            (t.points[2][0] - want[0]).abs() < 1e-12 && (t.points[2][1] - want[1]).abs() < 1e-12
        );
    }

    /// A run OneCycleLR cannot follow is an error naming the schedule, never a panic: past its
    /// total_steps, or on an optimizer with no momentum while cycling it.
    #[test]
    fn one_cycle_refuses_runs_torch_refuses() {
        let s = crate::surface::by_name("booth").unwrap();
        let cfg = |kind, steps| RunConfig {
            steps,
            schedule: Schedule::parse("onecycle:max_lr=0.1,total_steps=20").unwrap(),
            ..RunConfig::new(s.as_ref(), kind)
        };
        assert_eq!(
            run(s.as_ref(), &cfg(OptimizerKind::Adam, 20))
                .unwrap()
                .steps(),
            20
        );
        for (kind, steps, says) in [
            (
                OptimizerKind::Adam,
                21,
                "the run takes 21 steps but total_steps is 20",
            ),
            (OptimizerKind::Adadelta, 5, "set cycle_momentum=false"),
        ] {
            let e = run(s.as_ref(), &cfg(kind, steps)).unwrap_err();
            assert_eq!(e.option, "schedule");
            assert!(e.message.contains(says), "{e}");
        }
        // The step after the last (the next-update panel's) is torch's last rate, no panic.
        let mut c = Checkpoints::new(0);
        let at = c
            .stepper_at(s.as_ref(), &cfg(OptimizerKind::Adam, 20), 20)
            .unwrap();
        assert_eq!(at.steps(), 20);
    }

    /// The status names `state()` and the CLI's JSON report, which pages and scripts match on.
    #[test]
    fn status_names_are_the_documented_ones() {
        assert_eq!(Status::Converged.name(), "converged");
        assert_eq!(Status::Diverged { step: 3 }.name(), "diverged");
        assert_eq!(Status::MaxSteps.name(), "max-steps");
    }

    /// Converged means ‖∇f‖ strictly below the tolerance, in the status and in `converged_at`
    /// alike: f = x has ‖∇f‖ = 1 everywhere, so a tolerance of exactly 1 is not met.
    #[test]
    fn a_gradient_as_long_as_the_tolerance_has_not_converged() {
        let s = crate::expr::ExprSurface::parse("x", crate::expr::DEFAULT_VIEW).unwrap();
        let cfg = |tolerance| RunConfig {
            steps: 2,
            tolerance,
            ..RunConfig::new(&s, OptimizerKind::Sgd)
        };
        assert_eq!(run(&s, &cfg(1.0)).unwrap().status, Status::MaxSteps);
        let t = run(&s, &cfg(1.0 + f64::EPSILON)).unwrap();
        assert_eq!((t.status, t.converged_at), (Status::Converged, Some(0)));
        // ‖(1e-6, 0)‖ is exactly 1e-6: not below a tolerance of 1e-6, so not converged there.
        let booth = crate::surface::by_name("booth").unwrap();
        let t = with_grads(&[[1e-6, 0.0], [0.0, 0.0]]);
        assert_eq!(crate::linalg::norm([1e-6, 0.0]), 1e-6);
        assert_eq!(converged_since(booth.as_ref(), &t, 1e-6, true), 1);
    }
}
