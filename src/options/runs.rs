//! One run's own settings: the optimizer with every hyper-parameter, and how the run samples
//! the finite sum. The runs of a race differ only in these; the surface, its parameters, the
//! start and the step count are shared.

use super::value::{clip, pair_text, Value};
use crate::error::Error;
use crate::expr::format_number;
use crate::format::short;
use crate::optim::Clip;
use crate::optim::{HyperKind, HyperName, HyperValue, OptimizerKind};
use crate::schedule::Schedule;
use crate::variant::Variant;
use crate::Hyper;

/// The options a run has of its own, in the order they are applied (the optimizer before its
/// hyper-parameters, since choosing it resets ε).
/// The hyper-parameters are in [`HyperName::ALL`]'s order (a test checks).
pub const RUN_KEYS: [&str; 26] = [
    "optimizer",
    "lr",
    "momentum",
    "dampening",
    "beta1",
    "beta2",
    "decay",
    "rho",
    "eps",
    "weight_decay",
    "lr_decay",
    "initial_accumulator",
    "momentum_decay",
    "etas",
    "step_sizes",
    "amsgrad",
    "centered",
    "decoupled_weight_decay",
    "history_size",
    "line_search",
    "schedule",
    "clip_norm",
    "clip_value",
    "variant",
    "batch",
    "seed",
];

/// `value` read as the kind of value `name` holds: a number, two numbers (`[a, b]` or the text
/// `a,b`), a flag (`true`/`false`, `1`/`0`), or one of a choice's names.
fn hyper_value(name: HyperName, value: &Value) -> Result<HyperValue, Error> {
    let key = name.name();
    Ok(match name.kind() {
        HyperKind::Number => HyperValue::Num(value.number(key)?),
        HyperKind::Pair => {
            let (a, b) = match value {
                Value::Pair(a, b) => (*a, *b),
                Value::Str(t) => pair_text(key, t)?,
                _ => return Err(Error::new(key, "expected two numbers, e.g. 0.5,1.2")),
            };
            HyperValue::Pair(a, b)
        }
        HyperKind::Flag => HyperValue::Flag(match value {
            Value::Num(v) if *v == 1.0 => true,
            Value::Num(v) if *v == 0.0 => false,
            Value::Str(t) if matches!(t.trim(), "true" | "1") => true,
            Value::Str(t) if matches!(t.trim(), "false" | "0") => false,
            _ => return Err(Error::new(key, "expected true or false")),
        }),
        HyperKind::Choice => name.choice(value.text(key)?.trim())?,
    })
}

/// The largest learning rate the app takes: the slider's right end. Larger ones are refused
/// with a notice rather than drawn as an instantly gone path.
pub const MAX_LR: f64 = 10.0;

/// The largest sampler seed: every whole number below 2⁵³ is exact in a JavaScript number.
pub const MAX_SEED: u64 = (1u64 << 53) - 1;

/// The largest mini-batch any surface has terms for.
pub const MAX_BATCH: u64 = 100_000;

/// Everything that makes one run differ from another on the same surface and start.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSettings {
    /// The optimizer.
    pub optimizer: OptimizerKind,
    /// Its hyper-parameters (all of them, used or not, so switching back keeps them).
    pub hyper: Hyper,
    /// Batch, stochastic or mini-batch.
    pub variant: Variant,
    /// Mini-batch size (cut to the surface's number of terms when run).
    pub batch: usize,
    /// Sampler seed.
    pub seed: u64,
    /// The learning-rate schedule (`hyper.lr` is its base rate).
    pub schedule: Schedule,
    /// Gradient clipping.
    pub clip: Clip,
}

impl Default for RunSettings {
    /// Plain gradient descent with PyTorch's defaults, on the full batch.
    fn default() -> Self {
        RunSettings {
            optimizer: OptimizerKind::Sgd,
            hyper: Hyper::defaults(OptimizerKind::Sgd),
            variant: Variant::Batch,
            batch: 10,
            seed: 0,
            schedule: Schedule::Constant,
            clip: Clip::default(),
        }
    }
}

impl RunSettings {
    /// Applies one of [`RUN_KEYS`]; `terms` is the number of terms of the surface the run is
    /// on (the largest batch it can take).
    pub fn apply(&mut self, key: &str, value: &Value, terms: usize) -> Result<(), Error> {
        match key {
            "optimizer" => {
                // Clipped first: no name is that long, and the error quotes what it was given.
                let kind = OptimizerKind::parse(&clip(value.text(key)?))?;
                if kind != self.optimizer {
                    // What the student set carries over, so optimizers compare at the same
                    // learning rate; ε, μ and λ, whose defaults differ, take the new ones.
                    self.hyper = self.hyper.switched(self.optimizer, kind);
                    self.optimizer = kind;
                }
                // A method that evaluates f steps on all of it.
                if kind.evaluates_f() {
                    self.variant = Variant::Batch;
                }
            }
            "variant" => {
                let variant = Variant::parse(&clip(value.text(key)?))?;
                if self.optimizer.evaluates_f() && variant != Variant::Batch {
                    return Err(Error::new(
                        key,
                        format!(
                            "{} evaluates f itself, so it steps on the full batch only",
                            self.optimizer.title()
                        ),
                    ));
                }
                self.variant = variant;
            }
            "batch" => {
                let most = (terms as u64).clamp(1, MAX_BATCH);
                let b = value.count(key, 1, most).map_err(|e| {
                    Error::new(
                        key,
                        format!("{} (this surface has {terms} terms)", e.message),
                    )
                })?;
                self.batch = b as usize;
            }
            "seed" => self.seed = value.count(key, 0, MAX_SEED)?,
            "schedule" => {
                self.schedule = if value.is_default() {
                    Schedule::Constant
                } else {
                    Schedule::parse(value.text(key)?)?
                }
            }
            "clip_norm" | "clip_value" => {
                let bound = if value.is_default() {
                    None
                } else {
                    Some(value.number(key)?)
                };
                let mut clip = self.clip;
                if key == "clip_norm" {
                    clip.norm = bound;
                } else {
                    clip.value = bound;
                }
                clip.check()?;
                self.clip = clip;
            }
            "lr" => {
                let v = value.number(key)?;
                HyperName::Lr.check(HyperValue::Num(v))?;
                if v > MAX_LR {
                    return Err(Error::new(
                        key,
                        format!(
                            "at most {} here, the slider's end (got {})",
                            format_number(MAX_LR),
                            format_number(v)
                        ),
                    ));
                }
                self.hyper.lr = v;
            }
            _ => {
                let Some(h) = HyperName::ALL.into_iter().find(|h| h.name() == key) else {
                    return Err(Error::new(&clip(key), "unknown option; ignored"));
                };
                self.hyper.set(h, hyper_value(h, value)?)?;
            }
        }
        Ok(())
    }

    /// A run laid over the defaults: `entry`'s keys applied in [`RUN_KEYS`] order; the first bad
    /// one is an error naming entry `index` (from 0) of the list `list` (`runs` or `race`).
    pub fn from_entry(
        base: &RunSettings,
        entry: &[(String, Value)],
        terms: usize,
        list: &str,
        index: usize,
    ) -> Result<RunSettings, Error> {
        let mut run = base.clone();
        for (k, v) in super::by_rank(entry, &RUN_KEYS) {
            if !RUN_KEYS.contains(&k.as_str()) {
                return Err(Error::new(
                    list,
                    format!(
                        "entry {}: '{}' is shared by every run, not set per run; a run takes optimizer, its hyper-parameters (lr, momentum, beta1, …), variant, batch and seed",
                        index + 1,
                        clip(k),
                    ),
                ));
            }
            run.apply(k, v, terms)
                .map_err(|e| Error::new(list, format!("entry {}: {e}", index + 1)))?;
        }
        Ok(run)
    }

    /// The keys and values (as link text) where this run differs from `base`: what applying
    /// them to `base` in [`RUN_KEYS`] order needs to give this run.
    pub fn differences(&self, base: &RunSettings) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.optimizer != base.optimizer {
            out.push(("optimizer", self.optimizer.name().to_string()));
        }
        // Choosing another optimizer resets the hyper-parameters whose defaults differ.
        let reference = base.hyper.switched(base.optimizer, self.optimizer);
        for h in HyperName::ALL {
            if self.hyper.get(h) != reference.get(h) {
                out.push((h.name(), self.hyper.get(h).text()));
            }
        }
        if self.schedule != base.schedule {
            out.push(("schedule", self.schedule.spec()));
        }
        for (key, mine, theirs) in [
            ("clip_norm", self.clip.norm, base.clip.norm),
            ("clip_value", self.clip.value, base.clip.value),
        ] {
            if mine != theirs {
                out.push((key, mine.map(format_number).unwrap_or_default()));
            }
        }
        if self.variant != base.variant {
            out.push(("variant", self.variant.name().to_string()));
        }
        if self.batch != base.batch {
            out.push(("batch", self.batch.to_string()));
        }
        if self.seed != base.seed {
            out.push(("seed", self.seed.to_string()));
        }
        out
    }

    /// A short name for legends and titles, on a surface of `terms` terms: `adam, lr 0.05,
    /// minibatch of 10`.
    pub fn name(&self, terms: usize) -> String {
        let mut name = format!("{}, lr {}", self.optimizer.name(), short(self.hyper.lr));
        if self.schedule != Schedule::Constant {
            name.push_str(&format!(" ({})", self.schedule.kind()));
        }
        match self.variant {
            Variant::Batch => {}
            Variant::MiniBatch => {
                name.push_str(&format!(", minibatch of {}", self.batch.min(terms)))
            }
            v => name.push_str(&format!(", {}", v.name())),
        }
        name
    }
}
