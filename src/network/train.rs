//! Training a network as torch's loop does: each step the batch's mean loss and its gradient,
//! clipping over the parameter tensors (`clip_grad_norm_` takes the norm of the tensors'
//! norms), `optimizer.step()` at the scheduler's rate, then `scheduler.step()`. The same
//! optimizers, schedules and batch sampler as the 2D runs, on every parameter at once.

use super::data::{Examples, Split};
use super::mlp::{Mlp, Scratch, Tensor};
use crate::error::Error;
use crate::optim::{Clip, Hyper, Objective, Optimizer, OptimizerKind};
use crate::schedule::{Schedule, Scheduler};
use crate::variant::{Sampler, Variant};

/// Everything that determines a training run besides the network and its data.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    pub optimizer: OptimizerKind,
    pub hyper: Hyper,
    pub variant: Variant,
    /// Examples per step for mini-batch.
    pub batch: usize,
    /// Seed of the example sampler.
    pub seed: u64,
    /// Seed of the initial weights.
    pub init_seed: u64,
    pub steps: usize,
    pub schedule: Schedule,
    pub clip: Clip,
    /// Every this many steps (and at the start), the sharpness λmax of the full training loss
    /// ([`super::curvature::sharpness`]); `None` for never.
    pub sharpness_every: Option<usize>,
    /// Every this many steps (and at the start and the end), keep θ in [`Training::path`];
    /// `None` for never.
    pub keep_every: Option<usize>,
}

/// Power iterations per sharpness: enough for λmax to 1% on the networks gdviz trains.
pub const SHARPNESS_ITERATIONS: usize = 100;

/// A run has diverged once its training loss exceeds this many times its initial loss (or 1).
pub const BLOWN_UP: f64 = 1e6;

/// The most steps of one training run.
pub const MAX_TRAIN_STEPS: usize = 100_000;

/// One row of the record: after `step` steps (0: the initial weights).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub step: usize,
    pub train_loss: f64,
    pub test_loss: Option<f64>,
    /// Accuracies of a classifier.
    pub train_acc: Option<f64>,
    pub test_acc: Option<f64>,
    /// The learning rate of the step that led here (`None` on row 0).
    pub lr: Option<f64>,
    /// λmax of the training loss's Hessian, where the run measures it.
    pub sharpness: Option<f64>,
}

/// A finished training run.
#[derive(Debug, Clone, PartialEq)]
pub struct Training {
    pub rows: Vec<Row>,
    pub initial: Vec<f64>,
    /// The parameters after the last recorded step.
    pub last: Vec<f64>,
    /// The training examples each step of a stochastic or mini-batch run used (sorted); empty for
    /// a full-batch run, whose every step uses them all.
    pub batches: Vec<Vec<usize>>,
    /// θ at the steps [`TrainConfig::keep_every`] asked for: (step, θ).
    pub path: Vec<(usize, Vec<f64>)>,
    /// Whether the run stopped early: a gradient, a parameter or the loss stopped being finite
    /// (that step is not recorded), or the loss grew past [`BLOWN_UP`] times its start (it is).
    pub diverged: bool,
}

/// The full training loss, as the optimizers that evaluate f (L-BFGS, the line search) see it:
/// every example, the gradient clipped as the run's are.
struct Whole<'a> {
    model: &'a Mlp,
    data: &'a Examples,
    all: &'a [usize],
    tensors: &'a [Tensor],
    clip: Clip,
}

impl Objective for Whole<'_> {
    fn value(&self, theta: &[f64]) -> f64 {
        self.model.loss(theta, self.data, self.all)
    }

    fn gradient(&self, theta: &[f64], g: &mut [f64]) {
        self.model.loss_and_gradient(theta, self.data, self.all, g);
        clip(&self.clip, self.tensors, g);
    }

    fn hessian(&self, _theta: &[f64], h: &mut [f64]) {
        // Newton's method is refused for networks before a step is taken.
        h.fill(f64::NAN);
    }
}

/// `clip_grad_norm_` then `clip_grad_value_` over the parameter tensors, in place.
pub fn clip(clip: &Clip, tensors: &[Tensor], g: &mut [f64]) {
    if let Some(max) = clip.norm {
        // torch: the norm of each tensor's gradient, then the norm of those norms.
        let total = tensors
            .iter()
            .map(|t| {
                let n = g[t.offset..t.offset + t.len()]
                    .iter()
                    .fold(0.0, |s, v| v.mul_add(*v, s))
                    .sqrt();
                n * n
            })
            .sum::<f64>()
            .sqrt();
        let coef = max / (total + 1e-6);
        // torch.clamp(coef, max=1.0): NaN stays NaN.
        let coef = if coef > 1.0 { 1.0 } else { coef };
        for v in g.iter_mut() {
            *v *= coef;
        }
    }
    if let Some(c) = clip.value {
        for v in g.iter_mut() {
            *v = if *v < -c {
                -c
            } else if *v > c {
                c
            } else {
                *v
            };
        }
    }
}

/// Trains `model` on `data` as `cfg` says and records every step.
pub fn train(model: &Mlp, data: &Split, cfg: &TrainConfig) -> Result<Training, Error> {
    let mut t = Trainer::new(model.clone(), data.clone(), cfg.clone())?;
    t.advance(cfg.steps);
    Ok(t.into_training())
}

/// A training run in progress, advanced a few steps at a time (a page trains in frame-sized
/// chunks): it owns its network, data and state, and ends at `cfg.steps` or where it diverges.
pub struct Trainer {
    model: Mlp,
    data: Split,
    cfg: TrainConfig,
    optimizer: Box<dyn Optimizer>,
    sampler: Sampler,
    scheduler: Scheduler,
    all: Vec<usize>,
    all_test: Vec<usize>,
    tensors: Vec<Tensor>,
    theta: Vec<f64>,
    g: Vec<f64>,
    batch: Vec<usize>,
    /// The forward pass over the training set at θ (the last row's), kept for the next step:
    /// a full batch's gradient starts from the same pass.
    scratch: Scratch,
    /// Whether `scratch` holds that pass at θ.
    forward_at_theta: bool,
    test_scratch: Scratch,
    record: Training,
    /// Whether the run has stopped for good (its last step, or divergence).
    over: bool,
}

impl Trainer {
    /// The run before its first step (row 0 recorded), or why it cannot be taken.
    pub fn new(model: Mlp, data: Split, cfg: TrainConfig) -> Result<Trainer, Error> {
        if cfg.steps > MAX_TRAIN_STEPS {
            return Err(Error::new(
                "steps",
                format!("at most {MAX_TRAIN_STEPS} steps (got {})", cfg.steps),
            ));
        }
        if cfg.optimizer == OptimizerKind::Newton {
            return Err(Error::new(
                "optimizer",
                format!(
                    "Newton's method solves with the full Hessian, {0} × {0} for this network; choose lbfgs, which builds its curvature from gradients",
                    model.len()
                ),
            ));
        }
        if cfg.optimizer.evaluates_f() && cfg.variant != Variant::Batch {
            return Err(Error::new(
                "variant",
                format!(
                    "{} evaluates the loss itself, so it steps on every example: choose variant batch",
                    cfg.optimizer.title()
                ),
            ));
        }
        cfg.schedule.check_run(cfg.optimizer, cfg.steps)?;
        cfg.clip.check()?;
        // Plain SGD under a schedule that cycles the momentum is torch's momentum SGD.
        let (kind, hyper) = if cfg.optimizer == OptimizerKind::Sgd && cfg.schedule.cycles_momentum()
        {
            (
                OptimizerKind::Momentum,
                Hyper {
                    momentum: 0.0,
                    dampening: 0.0,
                    ..cfg.hyper
                },
            )
        } else {
            (cfg.optimizer, cfg.hyper)
        };
        let optimizer = kind.build(&hyper, model.len())?;
        let sampler = Sampler::new(cfg.variant, data.train.len(), cfg.batch, cfg.seed)?;
        let initial = model.init(cfg.init_seed);
        let mut t = Trainer {
            optimizer,
            sampler,
            scheduler: Scheduler::new(&cfg.schedule, cfg.hyper.lr),
            all: (0..data.train.len()).collect(),
            all_test: (0..data.test.len()).collect(),
            tensors: model.tensors(),
            theta: initial.clone(),
            g: vec![0.0; model.len()],
            batch: Vec::new(),
            scratch: Scratch::default(),
            forward_at_theta: false,
            test_scratch: Scratch::default(),
            record: Training {
                rows: Vec::new(),
                initial,
                last: Vec::new(),
                batches: Vec::new(),
                path: Vec::new(),
                diverged: false,
            },
            over: false,
            model,
            data,
            cfg,
        };
        let row = t.row(&t.theta.clone(), 0, None);
        t.forward_at_theta = true;
        if !row.train_loss.is_finite() {
            return Err(Error::new(
                "data",
                "the loss at the initial weights overflows: rescale the features or the targets (to about −10…10)",
            ));
        }
        t.record.rows.push(row);
        if t.keep(0) {
            t.record.path.push((0, t.theta.clone()));
        }
        t.record.last = t.theta.clone();
        t.over = t.cfg.steps == 0;
        Ok(t)
    }

    /// Whether θ after `step` is kept in the path.
    fn keep(&self, step: usize) -> bool {
        self.cfg.keep_every.is_some_and(|k| k > 0 && step % k == 0)
    }

    /// The record of θ after `step` steps.
    fn row(&mut self, theta: &[f64], step: usize, lr: Option<f64>) -> Row {
        let (m, d) = (&self.model, &self.data);
        let (train_loss, train_acc) = m.evaluate(theta, &d.train, &self.all, &mut self.scratch);
        let (test_loss, test_acc) =
            m.evaluate(theta, &d.test, &self.all_test, &mut self.test_scratch);
        let measure = self
            .cfg
            .sharpness_every
            .is_some_and(|k| k > 0 && step % k == 0);
        Row {
            step,
            train_loss,
            test_loss: (!d.test.is_empty()).then_some(test_loss),
            train_acc,
            test_acc,
            lr,
            sharpness: measure
                .then(|| super::curvature::sharpness(m, theta, &d.train, SHARPNESS_ITERATIONS, 0)),
        }
    }

    /// Takes up to `steps` more steps; returns how many it took (fewer once the run is over).
    pub fn advance(&mut self, steps: usize) -> usize {
        let mut taken = 0;
        while taken < steps && !self.over {
            self.step();
            taken += 1;
        }
        taken
    }

    /// One step, as torch's loop takes it.
    fn step(&mut self) {
        let step = self.record.rows.len();
        self.sampler.next_batch(&mut self.batch);
        self.batch.sort_unstable();
        // The last row evaluated the training set at θ: a full batch's forward pass is done.
        let gradient = if self.forward_at_theta && self.batch == self.all {
            Mlp::loss_and_gradient_after_forward
        } else {
            Mlp::loss_and_gradient_with
        };
        gradient(
            &self.model,
            &self.theta,
            &self.data.train,
            &self.batch,
            &mut self.g,
            &mut self.scratch,
        );
        // From here `scratch` holds the batch's pass, and then the next row's at the new θ.
        self.forward_at_theta = false;
        if !self.g.iter().all(|v| v.is_finite()) {
            self.diverge();
            return;
        }
        clip(&self.cfg.clip, &self.tensors, &mut self.g);
        let whole = Whole {
            model: &self.model,
            data: &self.data.train,
            all: &self.all,
            tensors: &self.tensors,
            clip: self.cfg.clip,
        };
        let mut next = self.theta.clone();
        let lr = if self.cfg.schedule != Schedule::Constant {
            let lr = self.scheduler.lr();
            self.optimizer.set_lr(lr);
            if let Some(m) = self.scheduler.momentum() {
                self.optimizer.set_momentum(m);
            }
            self.optimizer.step(&mut next, &self.g, &whole);
            let loss = if self.cfg.schedule.reads_loss() {
                self.model.full_loss(&next, &self.data.train)
            } else {
                f64::NAN
            };
            self.scheduler.step(loss);
            self.optimizer.taken_lr().unwrap_or(lr)
        } else {
            self.optimizer.step(&mut next, &self.g, &whole);
            self.optimizer.taken_lr().unwrap_or(self.cfg.hyper.lr)
        };
        let row = self.row(&next, step, Some(lr));
        if !(next.iter().all(|v| v.is_finite()) && row.train_loss.is_finite()) {
            self.diverge();
            return;
        }
        self.theta = next;
        // The row just evaluated the training set at the new θ.
        self.forward_at_theta = true;
        self.record.rows.push(row);
        // A full batch is every example each step: nothing to keep.
        if self.cfg.variant != Variant::Batch {
            self.record.batches.push(self.batch.clone());
        }
        if self.keep(step) {
            self.record.path.push((step, self.theta.clone()));
        }
        // The loss has blown up (recorded, as the 2D runs record the step that leaves the
        // view far behind): nothing after it would teach more than this.
        if row.train_loss > BLOWN_UP * self.record.rows[0].train_loss.max(1.0) {
            self.diverge();
        } else if step == self.cfg.steps {
            self.finish();
        }
    }

    fn diverge(&mut self) {
        self.record.diverged = true;
        self.finish();
    }

    /// Ends the run: the last θ, kept in the path too when the path is kept.
    fn finish(&mut self) {
        self.over = true;
        let steps = self.record.rows.len() - 1;
        if self.cfg.keep_every.is_some_and(|k| k > 0)
            && self.record.path.last().is_some_and(|(s, _)| *s != steps)
        {
            self.record.path.push((steps, self.theta.clone()));
        }
    }

    /// Whether the run is over: all its steps taken, or diverged.
    pub fn is_over(&self) -> bool {
        self.over
    }

    /// θ after the steps taken.
    pub fn theta(&self) -> &[f64] {
        &self.theta
    }

    /// The record so far (its `last` is θ now).
    pub fn training(&self) -> Training {
        Training {
            last: self.theta.clone(),
            ..self.record.clone()
        }
    }

    /// The gradient the last step's optimizer was given: the batch's mean gradient at the
    /// weights before it, after clipping (zeros before the first step).
    pub fn gradient(&self) -> &[f64] {
        &self.g
    }

    /// The parameter tensors, in `state_dict` order.
    pub fn tensors(&self) -> &[Tensor] {
        &self.tensors
    }

    /// The rows so far.
    pub fn rows(&self) -> &[Row] {
        &self.record.rows
    }

    pub fn model(&self) -> &Mlp {
        &self.model
    }

    pub fn data(&self) -> &Split {
        &self.data
    }

    /// The finished record.
    pub fn into_training(self) -> Training {
        Training {
            last: self.theta,
            ..self.record
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::data::{generate, DataName, DataSpec, Task};
    use crate::network::mlp::Activation;

    fn moons() -> Split {
        generate(&DataSpec {
            name: DataName::Moons,
            train: 100,
            test: 100,
            noise: None,
            seed: 0,
        })
        .unwrap()
    }

    fn cfg(kind: OptimizerKind, lr: f64, steps: usize) -> TrainConfig {
        TrainConfig {
            optimizer: kind,
            hyper: Hyper {
                lr,
                ..Hyper::defaults(kind)
            },
            variant: Variant::Batch,
            batch: 10,
            seed: 0,
            init_seed: 0,
            steps,
            schedule: Schedule::Constant,
            clip: Clip::default(),
            sharpness_every: None,
            keep_every: None,
        }
    }

    #[test]
    fn adam_learns_the_moons() {
        let m = Mlp::new(&[8, 8], Activation::Tanh, Task::Classification).unwrap();
        let t = train(&m, &moons(), &cfg(OptimizerKind::Adam, 0.05, 300)).unwrap();
        let (first, last) = (t.rows[0], *t.rows.last().unwrap());
        assert!(!t.diverged);
        assert_eq!(t.rows.len(), 301);
        assert!(
            last.train_loss < 0.1 * first.train_loss,
            "{first:?} {last:?}"
        );
        assert!(last.test_acc.unwrap() > 0.95, "{last:?}");
    }

    /// A huge rate diverges: the run stops at the first non-finite number, every recorded one
    /// finite.
    #[test]
    fn a_huge_rate_stops_as_diverged_with_finite_rows() {
        let m = Mlp::new(&[8], Activation::Relu, Task::Classification).unwrap();
        let t = train(&m, &moons(), &cfg(OptimizerKind::Sgd, 1e300, 50)).unwrap();
        assert!(t.diverged);
        // The first step's numbers overflow (not recorded) or blow the loss up (the last row).
        assert!(t.rows.len() <= 2, "{}", t.rows.len());
        assert!(t.rows.iter().all(|r| r.train_loss.is_finite()));
    }

    /// clip_grad_norm_ over tensors (3, 4) and (12): total norm 13, scaled to norm 1.
    #[test]
    fn clipping_takes_the_norm_of_the_tensors_norms() {
        let tensors = [
            Tensor {
                name: "a".into(),
                shape: vec![2],
                offset: 0,
            },
            Tensor {
                name: "b".into(),
                shape: vec![1],
                offset: 2,
            },
        ];
        let mut g = [3.0, 4.0, 12.0];
        clip(
            &Clip {
                norm: Some(1.0),
                value: Some(0.5),
            },
            &tensors,
            &mut g,
        );
        let f = 1.0 / (13.0 + 1e-6);
        assert_eq!(g, [3.0 * f, 4.0 * f, 0.5]);
    }

    /// The record measures λmax at step 0 and every `sharpness_every` steps, as the core's
    /// power iteration does at those steps' θ, and nowhere else. (The edge of stability itself,
    /// λmax driven up to 2/γ, is the lesson's claim: `lessons::tests`.)
    #[test]
    fn the_record_measures_the_sharpness_where_asked() {
        let m = Mlp::new(&[3], Activation::Tanh, Task::Classification).unwrap();
        let data = moons();
        let t = train(
            &m,
            &data,
            &TrainConfig {
                sharpness_every: Some(4),
                keep_every: Some(4),
                ..cfg(OptimizerKind::Sgd, 0.5, 10)
            },
        )
        .unwrap();
        let measured: Vec<usize> = t
            .rows
            .iter()
            .filter(|r| r.sharpness.is_some())
            .map(|r| r.step)
            .collect();
        assert_eq!(measured, [0, 4, 8]);
        for (step, theta) in &t.path {
            if let Some(v) = t.rows[*step].sharpness {
                let core = super::super::curvature::sharpness(
                    &m,
                    theta,
                    &data.train,
                    SHARPNESS_ITERATIONS,
                    0,
                );
                assert_eq!(v, core, "step {step}");
            }
        }
    }

    /// The gradient a step was given is the batch's at the weights before it, clipped: plain
    /// SGD moves each tensor by exactly γ times its norm.
    #[test]
    fn the_gradient_is_the_one_the_step_used() {
        let m = Mlp::new(&[4], Activation::Tanh, Task::Classification).unwrap();
        let c = TrainConfig {
            variant: Variant::MiniBatch,
            batch: 8,
            clip: Clip {
                norm: Some(0.05),
                ..Clip::default()
            },
            ..cfg(OptimizerKind::Sgd, 0.5, 3)
        };
        let mut t = Trainer::new(m.clone(), moons(), c).unwrap();
        assert!(t.gradient().iter().all(|&v| v == 0.0));
        let before = t.theta().to_vec();
        t.advance(1);
        let batch = t.training().batches[0].clone();
        let mut g = vec![0.0; m.len()];
        m.loss_and_gradient(&before, &moons().train, &batch, &mut g);
        let norm = g.iter().map(|v| v * v).sum::<f64>().sqrt();
        assert!(norm > 0.05, "the clip bites: {norm}");
        let scaled: Vec<f64> = g.iter().map(|v| v * 0.05 / (norm + 1e-6)).collect();
        for (a, b) in t.gradient().iter().zip(&scaled) {
            assert!((a - b).abs() <= 1e-15, "{a} vs {b}");
        }
        let step: Vec<f64> = t.theta().iter().zip(&before).map(|(a, b)| a - b).collect();
        for tensor in t.tensors() {
            let (moved, grad) = (tensor.norm(&step), tensor.norm(t.gradient()));
            assert!(
                (moved - 0.5 * grad).abs() <= 1e-12 * grad,
                "{}",
                tensor.name
            );
        }
        let whole: f64 = t
            .tensors()
            .iter()
            .map(|x| x.norm(t.gradient()).powi(2))
            .sum();
        assert!((whole.sqrt() - 0.05 * norm / (norm + 1e-6)).abs() < 1e-12);
    }

    /// Advancing in chunks takes exactly the steps of one call: the page's frame-sized pieces
    /// train the same network as the command line.
    #[test]
    fn a_run_advanced_in_chunks_is_the_same_run() {
        let m = Mlp::new(&[6], Activation::Tanh, Task::Classification).unwrap();
        let c = TrainConfig {
            variant: Variant::MiniBatch,
            batch: 16,
            keep_every: Some(7),
            ..cfg(OptimizerKind::Adam, 0.03, 50)
        };
        let whole = train(&m, &moons(), &c).unwrap();
        let mut t = Trainer::new(m, moons(), c).unwrap();
        let mut taken = 0;
        for chunk in [1, 3, 10, 20, 30] {
            taken += t.advance(chunk);
        }
        assert_eq!(taken, 50);
        assert!(t.is_over());
        assert_eq!(t.advance(5), 0);
        assert_eq!(t.into_training(), whole);
        assert_eq!(whole.path.last().unwrap().0, 50);
        assert_eq!(
            whole.path.iter().map(|p| p.0).collect::<Vec<_>>(),
            [0, 7, 14, 21, 28, 35, 42, 49, 50]
        );
    }

    #[test]
    fn newton_and_a_stochastic_line_search_are_refused() {
        let m = Mlp::new(&[4], Activation::Tanh, Task::Classification).unwrap();
        let e = train(&m, &moons(), &cfg(OptimizerKind::Newton, 1.0, 5)).unwrap_err();
        assert!(e.message.contains("lbfgs"), "{}", e.message);
        let c = TrainConfig {
            variant: Variant::Stochastic,
            ..cfg(OptimizerKind::Lbfgs, 1.0, 5)
        };
        assert_eq!(train(&m, &moons(), &c).unwrap_err().option, "variant");
    }
}
