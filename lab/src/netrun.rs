//! Network mode's run: the network the options describe, trained by the selected run's
//! optimizer, learning rate, variant, batch, schedule, clipping and step count, advanced a step
//! at a time (the page trains in frame-sized chunks), with θ kept every [`NetRun::keep`] steps
//! for scrubbing: the kept copies hold at most [`KEEP_BUDGET`] numbers (3.2 MB), and a step
//! shown snaps down to a kept step.

use gdviz::error::Error;
use gdviz::network::train::Trainer;
use gdviz::network::{generate, DataSpec, TrainConfig};
use gdviz::options::{NetSettings, Options, TEST_EXAMPLES, TRAIN_EXAMPLES};

/// The most parameter values the kept θs hold together.
pub const KEEP_BUDGET: usize = 400_000;

/// The most steps the page trains a network for: the core's record keeps every step's batch
/// (up to 200 indices) and row, about 1 KB a step, so this bounds a run to about 10 MB of wasm
/// memory; `gdviz train` takes longer runs.
pub const MAX_PAGE_STEPS: usize = 10_000;

/// What a run is made from: two equal keys train the same run.
#[derive(Clone, PartialEq)]
pub struct RunKey {
    pub net: NetSettings,
    pub cfg: TrainConfig,
}

impl RunKey {
    /// The run `opts` describe (Network mode's settings with the selected run's): the
    /// configuration is the core's [`Options::train_config`], what a lesson's test trains.
    pub fn of(opts: &Options) -> RunKey {
        RunKey::of_run(opts, opts.selected())
    }

    /// Run `i` of the race `opts` describe (`i` < the number of runs): the same network, data
    /// and initial weights as every other run, with its own optimizer and settings. How the
    /// curves are drawn (`curves=`) is not part of it: the run stays as it is.
    pub fn of_run(opts: &Options, i: usize) -> RunKey {
        RunKey {
            net: NetSettings {
                on: true,
                per_epoch: false,
                ..opts.network.clone()
            },
            cfg: opts.train_config_of(i),
        }
    }
}

/// One training run in progress or done.
pub struct NetRun {
    pub key: RunKey,
    /// Which run this is, set by its owner (0 until then): two runs of a race can share a
    /// key, and what was measured on one must not be shown for the other.
    pub id: u64,
    pub trainer: Trainer,
    /// θ is kept after every `keep`-th step.
    pub keep: usize,
    /// (step, θ) at step 0 and every `keep` steps.
    pub kept: Vec<(usize, Vec<f64>)>,
    /// Milliseconds spent training so far.
    pub spent: f64,
    /// Per step taken, per tensor: ‖θ‖ before the step, ‖g‖ (the gradient it was given) and
    /// ‖Δθ‖ (how far it moved), flat (step 1's tensors first): the next-update panel at every
    /// step, kept or not, in 24 bytes a tensor a step.
    pub norms: Vec<f64>,
    /// θ before the step being taken (a buffer kept between steps).
    before: Vec<f64>,
}

/// One tensor's numbers for one step: ‖θ‖ before it, ‖g‖ and ‖Δθ‖.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TensorStep {
    pub theta: f64,
    pub g: f64,
    pub step: f64,
}

impl NetRun {
    /// A new run at step 0, or why these settings cannot train (too many steps for the page,
    /// a batch larger than the training set, ...).
    pub fn start(key: RunKey) -> Result<NetRun, Error> {
        if key.cfg.steps > MAX_PAGE_STEPS {
            return Err(Error::new(
                "steps",
                format!(
                    "Network mode trains at most {MAX_PAGE_STEPS} steps in the page (got {}); choose fewer steps, or use gdviz train for longer runs",
                    key.cfg.steps
                ),
            ));
        }
        let data = generate(&DataSpec {
            name: key.net.dataset,
            train: TRAIN_EXAMPLES,
            test: TEST_EXAMPLES,
            noise: None,
            seed: key.net.data_seed,
        })?;
        let model = key.net.model();
        let trainer = Trainer::new(model.clone(), data, key.cfg.clone())?;
        let keep = (key.cfg.steps * model.len()).div_ceil(KEEP_BUDGET).max(1);
        Ok(NetRun {
            kept: vec![(0, trainer.theta().to_vec())],
            key,
            id: 0,
            trainer,
            keep,
            spent: 0.0,
            norms: Vec::new(),
            before: Vec::new(),
        })
    }

    /// The steps of one epoch, a pass over every training example: 1 for full batches, ⌈n/b⌉
    /// for batches of b.
    pub fn steps_per_epoch(&self) -> usize {
        let cfg = &self.key.cfg;
        gdviz::variant::steps_per_epoch(cfg.variant, self.trainer.data().train.len(), cfg.batch)
    }

    /// Steps trained.
    pub fn trained(&self) -> usize {
        self.trainer.rows().len() - 1
    }

    /// Trains one step (none once the run is over), keeping θ when the step is a kept one.
    pub fn step(&mut self) {
        if self.trainer.is_over() {
            return;
        }
        self.before.clear();
        self.before.extend_from_slice(self.trainer.theta());
        self.trainer.advance(1);
        let step = self.trained();
        // A step that diverged is not recorded, nor are its numbers.
        if step * self.trainer.tensors().len() * 3 > self.norms.len() {
            let after = self.trainer.theta();
            for t in self.trainer.tensors() {
                let g = t.norm(self.trainer.gradient());
                let moved = t.distance(after, &self.before);
                self.norms.extend([t.norm(&self.before), g, moved]);
            }
        }
        if step % self.keep == 0 && self.kept.last().is_some_and(|(s, _)| *s != step) {
            self.kept.push((step, self.trainer.theta().to_vec()));
        }
    }

    /// Each tensor's numbers for the step from `k` to `k + 1`, in `state_dict` order; `None`
    /// past the last step taken.
    pub fn update(&self, k: usize) -> Option<Vec<TensorStep>> {
        let n = self.trainer.tensors().len() * 3;
        let at = self.norms.get(k * n..(k + 1) * n)?;
        Some(
            at.chunks(3)
                .map(|c| TensorStep {
                    theta: c[0],
                    g: c[1],
                    step: c[2],
                })
                .collect(),
        )
    }

    /// The step shown for a requested `k`: the last step trained, or the kept step at or
    /// before `k`, with its θ.
    pub fn at(&self, k: usize) -> (usize, &[f64]) {
        let trained = self.trained();
        if k >= trained {
            return (trained, self.trainer.theta());
        }
        let i = (k / self.keep).min(self.kept.len() - 1);
        let (s, theta) = &self.kept[i];
        (*s, theta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::options;

    /// Stepping one at a time is the core's training, and a scrubbed step snaps to a kept θ.
    #[test]
    fn steps_and_snaps() {
        let opts = options("mode=network&steps=50&optimizer=adam&lr=0.01").unwrap();
        let mut run = NetRun::start(RunKey::of(&opts)).unwrap();
        while !run.trainer.is_over() {
            run.step();
        }
        assert_eq!(run.trained(), 50);
        assert_eq!(run.at(usize::MAX).0, 50);
        let (s, theta) = run.at(7);
        assert!(s <= 7 && s % run.keep == 0);
        assert_eq!(theta.len(), run.trainer.theta().len());
    }

    /// The panel's numbers are each step's: ‖θ‖ of the weights before it, the gradient the
    /// step was given, and how far it moved, tensor by tensor; none past the last step.
    #[test]
    fn every_step_keeps_its_update_norms() {
        let opts = options("mode=network&steps=12&optimizer=sgd&lr=0.3&hidden=3,2").unwrap();
        let mut run = NetRun::start(RunKey::of(&opts)).unwrap();
        let mut thetas = vec![run.trainer.theta().to_vec()];
        let mut grads = Vec::new();
        while !run.trainer.is_over() {
            run.step();
            thetas.push(run.trainer.theta().to_vec());
            grads.push(run.trainer.gradient().to_vec());
        }
        let tensors = run.trainer.tensors().to_vec();
        assert_eq!(tensors.len(), 6);
        for k in 0..12 {
            let u = run.update(k).unwrap();
            for (t, n) in tensors.iter().zip(&u) {
                let len = t.len();
                let norm = |v: &[f64]| {
                    v[t.offset..t.offset + len]
                        .iter()
                        .map(|x| x * x)
                        .sum::<f64>()
                        .sqrt()
                };
                let moved: Vec<f64> = thetas[k + 1]
                    .iter()
                    .zip(&thetas[k])
                    .map(|(a, b)| a - b)
                    .collect();
                assert_eq!(n.theta, norm(&thetas[k]), "{} at {k}", t.name);
                assert_eq!(n.g, norm(&grads[k]), "{} at {k}", t.name);
                assert_eq!(n.step, norm(&moved), "{} at {k}", t.name);
                // Plain SGD: the step is γ times the gradient.
                assert!(
                    (n.step - 0.3 * n.g).abs() <= 1e-12 * n.g.max(1e-300),
                    "{} at {k}",
                    t.name
                );
            }
        }
        assert_eq!(run.update(12), None);
    }

    #[test]
    fn too_many_steps_is_refused_with_a_way_out() {
        let opts = options("mode=network&steps=20000").unwrap();
        let e = NetRun::start(RunKey::of(&opts)).err().unwrap().to_string();
        assert!(e.contains("gdviz train"), "{e}");
    }
}
