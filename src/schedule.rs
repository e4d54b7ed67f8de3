//! Learning-rate schedules as `torch.optim.lr_scheduler` computes them: a spec
//! (`cosine:t_max=100,eta_min=0.001`) and the scheduler that follows every optimizer step with
//! torch's recursive ("chainable") formulas, so the numbers agree with torch's, not just with the
//! closed forms in its documentation.

use crate::error::Error;
use crate::format::clip;
use crate::format::format_number;

/// A schedule: which `lr_scheduler` class, with its arguments.
#[derive(Debug, Clone, PartialEq)]
pub enum Schedule {
    /// The learning rate never changes (no scheduler).
    Constant,
    /// `StepLR(step_size, gamma)`: γ times `gamma` every `step_size` steps.
    Step {
        /// Steps between decays.
        step_size: u64,
        /// The factor.
        gamma: f64,
    },
    /// `MultiStepLR(milestones, gamma)`: γ times `gamma` at each milestone.
    MultiStep {
        /// The steps after which γ decays (repeats decay more than once).
        milestones: Vec<u64>,
        /// The factor.
        gamma: f64,
    },
    /// `ExponentialLR(gamma)`: γ times `gamma` after every step.
    Exponential {
        /// The factor.
        gamma: f64,
    },
    /// `CosineAnnealingLR(T_max, eta_min)`: half a cosine from γ down to `eta_min` over `t_max`
    /// steps (and back up, and down again, as torch's recursion does past `t_max`).
    Cosine {
        /// Steps from γ to `eta_min`.
        t_max: u64,
        /// The lowest learning rate.
        eta_min: f64,
    },
    /// `CosineAnnealingWarmRestarts(T_0, T_mult, eta_min)`: cosine decays restarting at γ, the
    /// i-th lasting `t_0`·`t_mult`ⁱ steps.
    CosineRestarts {
        /// Steps of the first decay.
        t_0: u64,
        /// Each decay is this many times longer than the last.
        t_mult: u64,
        /// The lowest learning rate.
        eta_min: f64,
    },
    /// `LinearLR(start_factor, end_factor, total_iters)`: γ·`start_factor` rising (or falling)
    /// linearly to γ·`end_factor` over `total_iters` steps: the usual warm-up.
    Linear {
        /// The first step's factor.
        start_factor: f64,
        /// The factor from `total_iters` on.
        end_factor: f64,
        /// Steps of the ramp.
        total_iters: u64,
    },
}

/// Every kind, as the spec names it, with its keys (required ones first, then torch's
/// defaults).
const KINDS: [(&str, &[&str]); 7] = [
    ("constant", &[]),
    ("step", &["step_size", "gamma"]),
    ("multistep", &["milestones", "gamma"]),
    ("exponential", &["gamma"]),
    ("cosine", &["t_max", "eta_min"]),
    ("cosine-restarts", &["t_0", "t_mult", "eta_min"]),
    ("linear", &["start_factor", "end_factor", "total_iters"]),
];

/// Every kind with a title for menus, in menu order.
pub const TITLES: [(&str, &str); 7] = [
    ("constant", "Constant γ"),
    ("step", "Step decay"),
    ("multistep", "Decay at milestones"),
    ("exponential", "Exponential decay"),
    ("cosine", "Cosine annealing"),
    ("cosine-restarts", "Cosine with warm restarts"),
    ("linear", "Linear warm-up"),
];

/// The largest step count a key may hold (runs are far shorter).
const MAX_COUNT: u64 = 1 << 40;

impl Schedule {
    /// The kind's name in a spec.
    pub fn kind(&self) -> &'static str {
        match self {
            Schedule::Constant => "constant",
            Schedule::Step { .. } => "step",
            Schedule::MultiStep { .. } => "multistep",
            Schedule::Exponential { .. } => "exponential",
            Schedule::Cosine { .. } => "cosine",
            Schedule::CosineRestarts { .. } => "cosine-restarts",
            Schedule::Linear { .. } => "linear",
        }
    }

    /// The spec of a schedule: `KIND` or `KIND:key=value,key=value` (keys named as torch's
    /// arguments in lowercase, lists joined by `/`). Keys torch requires are required; an
    /// unknown kind, key or value is an error naming what is allowed.
    pub fn parse(spec: &str) -> Result<Schedule, Error> {
        let err = |m: String| Error::new("schedule", m);
        let (kind, rest) = match spec.trim().split_once(':') {
            Some((k, r)) => (k.trim(), r),
            None => (spec.trim(), ""),
        };
        let Some(&(kind, keys)) = KINDS.iter().find(|(k, _)| *k == kind) else {
            let names: Vec<&str> = KINDS.iter().map(|k| k.0).collect();
            return Err(err(format!(
                "unknown schedule '{}'; choose one of {}",
                clip(kind),
                names.join(", ")
            )));
        };
        let mut given: Vec<(&str, &str)> = Vec::new();
        for pair in rest.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((k, v)) = pair.split_once('=') else {
                return Err(err(format!(
                    "expected key=value in '{}', e.g. cosine:t_max=100",
                    clip(pair)
                )));
            };
            let k = k.trim();
            if !keys.contains(&k) {
                let takes = if keys.is_empty() {
                    "no keys".to_string()
                } else {
                    keys.join(", ")
                };
                return Err(err(format!("{kind} takes {takes}; not '{}'", clip(k))));
            }
            if given.iter().any(|(g, _)| *g == k) {
                return Err(err(format!("{kind}: {k} is given twice")));
            }
            given.push((k, v.trim()));
        }
        let raw = |k: &str| given.iter().find(|(g, _)| *g == k).map(|(_, v)| *v);
        let required = |k: &str| raw(k).ok_or_else(|| err(format!("{kind} needs {k}")));
        let number = |k: &str, default: f64| -> Result<f64, Error> {
            match raw(k) {
                None => Ok(default),
                Some(v) => v
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| {
                        err(format!(
                            "{kind}: {k} must be a finite number (got '{}')",
                            clip(v)
                        ))
                    }),
            }
        };
        let count = |k: &str, v: &str, lo: u64| -> Result<u64, Error> {
            v.parse::<u64>()
                .ok()
                .filter(|n| (lo..=MAX_COUNT).contains(n))
                .ok_or_else(|| {
                    err(format!(
                        "{kind}: {k} must be a whole number from {lo} (got '{}')",
                        clip(v)
                    ))
                })
        };
        let in_range = |k: &str, v: f64, ok: bool, range: &str| -> Result<f64, Error> {
            if ok {
                Ok(v)
            } else {
                Err(err(format!(
                    "{kind}: {k} must be {range} (got {})",
                    format_number(v)
                )))
            }
        };
        let gamma = |default: Option<f64>| -> Result<f64, Error> {
            let g = match default {
                Some(d) => number("gamma", d)?,
                None => {
                    required("gamma")?;
                    number("gamma", 0.0)?
                }
            };
            in_range("gamma", g, g >= 0.0, "≥ 0")
        };
        let eta_min = || -> Result<f64, Error> {
            let e = number("eta_min", 0.0)?;
            in_range("eta_min", e, e >= 0.0, "≥ 0")
        };
        Ok(match kind {
            "constant" => Schedule::Constant,
            "step" => Schedule::Step {
                step_size: count("step_size", required("step_size")?, 1)?,
                gamma: gamma(Some(0.1))?,
            },
            "multistep" => {
                let text = required("milestones")?;
                let milestones = text
                    .split('/')
                    .map(|m| count("milestones", m.trim(), 1))
                    .collect::<Result<Vec<u64>, Error>>()?;
                if milestones.windows(2).any(|w| w[0] > w[1]) {
                    return Err(err(format!(
                        "multistep: milestones must be in increasing order (got {text})"
                    )));
                }
                Schedule::MultiStep {
                    milestones,
                    gamma: gamma(Some(0.1))?,
                }
            }
            "exponential" => Schedule::Exponential {
                gamma: gamma(None)?,
            },
            "cosine" => Schedule::Cosine {
                t_max: count("t_max", required("t_max")?, 1)?,
                eta_min: eta_min()?,
            },
            "cosine-restarts" => Schedule::CosineRestarts {
                t_0: count("t_0", required("t_0")?, 1)?,
                t_mult: match raw("t_mult") {
                    Some(v) => count("t_mult", v, 1)?,
                    None => 1,
                },
                eta_min: eta_min()?,
            },
            _ => {
                let s = number("start_factor", 1.0 / 3.0)?;
                let e = number("end_factor", 1.0)?;
                Schedule::Linear {
                    start_factor: in_range("start_factor", s, s > 0.0 && s <= 1.0, "in (0, 1]")?,
                    end_factor: in_range("end_factor", e, (0.0..=1.0).contains(&e), "in [0, 1]")?,
                    total_iters: match raw("total_iters") {
                        Some(v) => count("total_iters", v, 1)?,
                        None => 5,
                    },
                }
            }
        })
    }

    /// A schedule of `kind` that shows its shape over a run of `steps` steps: StepLR halving
    /// every quarter, milestones at the half and three quarters, a decay to about a tenth,
    /// cosine over the run, restarts every quarter, a warm-up over the first tenth from a tenth.
    pub fn example(kind: &str, steps: u64) -> Option<Schedule> {
        let part = |d: u64| (steps / d).max(1);
        Some(match kind {
            "constant" => Schedule::Constant,
            "step" => Schedule::Step {
                step_size: part(4),
                gamma: 0.5,
            },
            "multistep" => Schedule::MultiStep {
                milestones: vec![part(2), (3 * steps / 4).max(part(2))],
                gamma: 0.1,
            },
            "exponential" => Schedule::Exponential {
                gamma: 0.1f64.powf(1.0 / steps.max(1) as f64),
            },
            "cosine" => Schedule::Cosine {
                t_max: steps.max(1),
                eta_min: 0.0,
            },
            "cosine-restarts" => Schedule::CosineRestarts {
                t_0: part(4),
                t_mult: 1,
                eta_min: 0.0,
            },
            "linear" => Schedule::Linear {
                start_factor: 0.1,
                end_factor: 1.0,
                total_iters: part(10),
            },
            _ => return None,
        })
    }

    /// The spec that parses back to this schedule, every key written out.
    pub fn spec(&self) -> String {
        let n = |v: f64| format_number(v);
        match self {
            Schedule::Constant => "constant".into(),
            Schedule::Step { step_size, gamma } => {
                format!("step:step_size={step_size},gamma={}", n(*gamma))
            }
            Schedule::MultiStep { milestones, gamma } => {
                let m: Vec<String> = milestones.iter().map(u64::to_string).collect();
                format!("multistep:milestones={},gamma={}", m.join("/"), n(*gamma))
            }
            Schedule::Exponential { gamma } => format!("exponential:gamma={}", n(*gamma)),
            Schedule::Cosine { t_max, eta_min } => {
                format!("cosine:t_max={t_max},eta_min={}", n(*eta_min))
            }
            Schedule::CosineRestarts {
                t_0,
                t_mult,
                eta_min,
            } => format!(
                "cosine-restarts:t_0={t_0},t_mult={t_mult},eta_min={}",
                n(*eta_min)
            ),
            Schedule::Linear {
                start_factor,
                end_factor,
                total_iters,
            } => format!(
                "linear:start_factor={},end_factor={},total_iters={total_iters}",
                n(*start_factor),
                n(*end_factor)
            ),
        }
    }
}

/// A schedule in progress: the learning rate for the next step, and what torch's scheduler
/// keeps to compute the one after (`last_epoch`, and `T_i`, `T_cur` for warm restarts).
#[derive(Debug, Clone, PartialEq)]
pub struct Scheduler {
    schedule: Schedule,
    base_lr: f64,
    lr: f64,
    last_epoch: u64,
    t_i: u64,
    t_cur: u64,
}

impl Scheduler {
    /// The scheduler of `schedule` over an optimizer built with learning rate `base_lr`, after
    /// torch's initial step (which already sets the first step's rate: `LinearLR` starts at
    /// γ·start_factor).
    pub fn new(schedule: &Schedule, base_lr: f64) -> Scheduler {
        let (t_i, t_cur) = match schedule {
            Schedule::CosineRestarts { t_0, .. } => (*t_0, 0),
            _ => (0, 0),
        };
        let mut s = Scheduler {
            schedule: schedule.clone(),
            base_lr,
            lr: base_lr,
            last_epoch: 0,
            t_i,
            t_cur,
        };
        s.lr = s.next_lr(true);
        s
    }

    /// The learning rate of the next step.
    pub fn lr(&self) -> f64 {
        self.lr
    }

    /// Follows one optimizer step: `scheduler.step()`.
    pub fn step(&mut self) {
        self.last_epoch += 1;
        if let Schedule::CosineRestarts { t_mult, .. } = self.schedule {
            self.t_cur += 1;
            if self.t_cur >= self.t_i {
                self.t_cur %= self.t_i;
                self.t_i *= t_mult;
            }
        }
        self.lr = self.next_lr(false);
    }

    /// torch's `get_lr()` at `last_epoch`, from the current rate (`initial` in the constructor).
    fn next_lr(&self, initial: bool) -> f64 {
        let (lr, epoch) = (self.lr, self.last_epoch);
        match &self.schedule {
            Schedule::Constant => lr,
            Schedule::Step { step_size, gamma } => {
                if epoch == 0 || epoch % step_size != 0 {
                    lr
                } else {
                    lr * gamma
                }
            }
            Schedule::MultiStep { milestones, gamma } => {
                let hits = milestones.iter().filter(|&&m| m == epoch).count();
                if hits == 0 {
                    lr
                } else {
                    lr * gamma.powi(hits as i32)
                }
            }
            Schedule::Exponential { gamma } => {
                if initial {
                    lr
                } else {
                    lr * gamma
                }
            }
            Schedule::Cosine { t_max, eta_min } => {
                // Python's (last_epoch − 1 − T_max) % (2·T_max), never negative.
                let restart = (epoch as i128 - 1 - *t_max as i128).rem_euclid(2 * *t_max as i128);
                let (t_max, e) = (*t_max as f64, epoch as f64);
                let pi = std::f64::consts::PI;
                if initial {
                    lr
                } else if restart == 0 {
                    lr + (self.base_lr - eta_min) * (1.0 - (pi / t_max).cos()) / 2.0
                } else {
                    (1.0 + (pi * e / t_max).cos()) / (1.0 + (pi * (e - 1.0) / t_max).cos())
                        * (lr - eta_min)
                        + eta_min
                }
            }
            Schedule::CosineRestarts { eta_min, .. } => {
                let pi = std::f64::consts::PI;
                eta_min
                    + (self.base_lr - eta_min)
                        * (1.0 + (pi * self.t_cur as f64 / self.t_i as f64).cos())
                        / 2.0
            }
            Schedule::Linear {
                start_factor,
                end_factor,
                total_iters,
            } => {
                if epoch == 0 {
                    lr * start_factor
                } else if initial || epoch > *total_iters {
                    lr
                } else {
                    lr * (1.0
                        + (end_factor - start_factor)
                            / (*total_iters as f64 * start_factor
                                + (epoch - 1) as f64 * (end_factor - start_factor)))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every spec parses to what it says, writes back to a spec that parses to the same, and
    /// torch's defaults fill the keys left out.
    #[test]
    fn specs_parse_with_torchs_defaults_and_round_trip() {
        let cases = [
            ("constant", Schedule::Constant),
            (
                "step:step_size=30",
                Schedule::Step {
                    step_size: 30,
                    gamma: 0.1,
                },
            ),
            (
                " multistep : milestones=30/80/80 , gamma=0.5",
                Schedule::MultiStep {
                    milestones: vec![30, 80, 80],
                    gamma: 0.5,
                },
            ),
            (
                "exponential:gamma=0.99",
                Schedule::Exponential { gamma: 0.99 },
            ),
            (
                "cosine:t_max=100",
                Schedule::Cosine {
                    t_max: 100,
                    eta_min: 0.0,
                },
            ),
            (
                "cosine-restarts:t_0=10,t_mult=2,eta_min=1e-4",
                Schedule::CosineRestarts {
                    t_0: 10,
                    t_mult: 2,
                    eta_min: 1e-4,
                },
            ),
            (
                "linear",
                Schedule::Linear {
                    start_factor: 1.0 / 3.0,
                    end_factor: 1.0,
                    total_iters: 5,
                },
            ),
        ];
        for (spec, want) in cases {
            let got = Schedule::parse(spec).unwrap_or_else(|e| panic!("{spec}: {e}"));
            assert_eq!(got, want, "{spec}");
            assert_eq!(
                Schedule::parse(&got.spec()),
                Ok(got.clone()),
                "{}",
                got.spec()
            );
            assert_eq!(got.kind(), spec.trim().split(':').next().unwrap().trim());
        }
    }

    /// A bad spec is one error naming the schedule and what is allowed.
    #[test]
    fn bad_specs_say_what_is_allowed() {
        let message = |spec: &str| Schedule::parse(spec).unwrap_err().to_string();
        let cases = [
            ("cosin", "unknown schedule 'cosin'; choose one of constant, step, multistep, exponential, cosine, cosine-restarts, linear"),
            ("step", "step needs step_size"),
            ("exponential", "exponential needs gamma"),
            ("cosine:tmax=10", "cosine takes t_max, eta_min; not 'tmax'"),
            ("constant:gamma=1", "constant takes no keys; not 'gamma'"),
            ("step:step_size=0", "step: step_size must be a whole number from 1 (got '0')"),
            ("step:step_size=2.5", "step: step_size must be a whole number from 1 (got '2.5')"),
            ("exponential:gamma=nan", "exponential: gamma must be a finite number (got 'nan')"),
            ("exponential:gamma=-1", "exponential: gamma must be ≥ 0 (got -1)"),
            ("cosine:t_max=10,eta_min=-1", "cosine: eta_min must be ≥ 0 (got -1)"),
            ("linear:start_factor=0", "linear: start_factor must be in (0, 1] (got 0)"),
            ("linear:end_factor=1.5", "linear: end_factor must be in [0, 1] (got 1.5)"),
            ("multistep:milestones=80/30", "multistep: milestones must be in increasing order (got 80/30)"),
            ("cosine:t_max=5,t_max=6", "cosine: t_max is given twice"),
            ("cosine:t_max", "expected key=value in 't_max', e.g. cosine:t_max=100"),
        ];
        for (spec, want) in cases {
            assert_eq!(message(spec), format!("schedule: {want}"), "{spec}");
        }
    }

    fn rates(spec: &str, base: f64, steps: usize) -> Vec<f64> {
        let mut s = Scheduler::new(&Schedule::parse(spec).unwrap(), base);
        (0..steps)
            .map(|_| {
                let lr = s.lr();
                s.step();
                lr
            })
            .collect()
    }

    /// The rates by hand: StepLR halves after steps 2 and 4; MultiStepLR decays twice at a
    /// repeated milestone; LinearLR ramps 1/2 → 1 over 2 steps; warm restarts of 2 then 4 steps.
    #[test]
    fn rates_by_hand() {
        assert_eq!(
            rates("step:step_size=2,gamma=0.5", 1.0, 6),
            [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
        );
        assert_eq!(
            rates("multistep:milestones=1/3/3,gamma=0.5", 1.0, 5),
            [1.0, 0.5, 0.5, 0.125, 0.125]
        );
        assert_eq!(
            rates("linear:start_factor=0.5,end_factor=1,total_iters=2", 2.0, 4),
            [1.0, 1.5, 2.0, 2.0]
        );
        assert_eq!(rates("exponential:gamma=0.5", 8.0, 4), [8.0, 4.0, 2.0, 1.0]);
        let r = rates("cosine-restarts:t_0=2,t_mult=2", 1.0, 7);
        let half = 0.5 * (1.0 + (std::f64::consts::PI / 2.0).cos());
        let quarter = |k: f64| 0.5 * (1.0 + (std::f64::consts::PI * k / 4.0).cos());
        assert_eq!(
            r,
            [
                1.0,
                half,
                1.0,
                quarter(1.0),
                quarter(2.0),
                quarter(3.0),
                1.0
            ]
        );
        // Cosine annealing reaches eta_min at t_max and climbs back, as torch's recursion does.
        let r = rates("cosine:t_max=4,eta_min=0", 1.0, 9);
        assert!((r[2] - 0.5).abs() < 1e-15 && r[4].abs() < 1e-15, "{r:?}");
        assert!((r[8] - 1.0).abs() < 1e-12, "{r:?}");
    }
}
