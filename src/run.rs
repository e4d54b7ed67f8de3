//! A run: an optimizer stepped from a start point over a surface's finite sum, recorded.

use crate::error::Error;
use crate::linalg::{self, Vec2};
use crate::optim::{Hyper, OptimizerKind};
use crate::surface::Surface;
use crate::variant::{FiniteSum, Sampler, Variant};

/// The most steps one run may take.
pub const MAX_STEPS: usize = 1_000_000;

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
}

impl RunConfig {
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
    /// `grads[k]` is the (batch) gradient the optimizer used to go from `points[k]` to
    /// `points[k + 1]`.
    pub grads: Vec<Vec2>,
    /// How the run ended.
    pub status: Status,
}

impl Trajectory {
    /// The number of steps recorded.
    pub fn steps(&self) -> usize {
        self.points.len() - 1
    }

    /// The last point.
    pub fn last(&self) -> Vec2 {
        self.points[self.points.len() - 1]
    }
}

/// Runs `cfg` on `surface`.
pub fn run(surface: &dyn Surface, cfg: &RunConfig) -> Result<Trajectory, Error> {
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
    let mut optimizer = cfg.optimizer.build(&cfg.hyper)?;
    let sum = FiniteSum::new(
        surface,
        cfg.noise.unwrap_or_else(|| surface.default_noise()),
    )?;
    let mut sampler = Sampler::new(cfg.variant, sum.len(), cfg.batch, cfg.seed)?;
    let view = surface.view();

    let mut t = Trajectory {
        points: Vec::with_capacity(cfg.steps + 1),
        losses: Vec::with_capacity(cfg.steps + 1),
        grads: Vec::with_capacity(cfg.steps),
        status: Status::MaxSteps,
    };
    t.points.push(cfg.start);
    t.losses.push(f0);
    let mut theta = cfg.start;
    let mut batch = Vec::with_capacity(sum.len());
    for step in 1..=cfg.steps {
        sampler.next_batch(&mut batch);
        let g = sum.gradient(theta, &mut batch);
        optimizer.step(&mut theta, g);
        let loss = surface.value(theta);
        if !(linalg::is_finite(g) && linalg::is_finite(theta) && loss.is_finite()) {
            t.status = Status::Diverged { step };
            return Ok(t);
        }
        t.points.push(theta);
        t.losses.push(loss);
        t.grads.push(g);
        if view.is_far_outside(theta) {
            t.status = Status::Diverged { step };
            return Ok(t);
        }
    }
    if linalg::norm(surface.gradient(theta)) < cfg.tolerance {
        t.status = Status::Converged;
    }
    Ok(t)
}
