//! Learning-rate schedules as `torch.optim.lr_scheduler` computes them: a spec
//! (`cosine:t_max=100,eta_min=0.001`) and the scheduler that follows every optimizer step with
//! torch's recursive ("chainable") formulas, so the numbers agree with torch's, not just with the
//! closed forms in its documentation.

use crate::error::Error;
use crate::format::clip;
use crate::format::format_number;
use crate::optim::OptimizerKind;

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
    /// `OneCycleLR(max_lr, total_steps, pct_start, anneal_strategy, div_factor,
    /// final_div_factor, three_phase, cycle_momentum, base_momentum, max_momentum)`: from
    /// `max_lr/div_factor` up to `max_lr` over the first `pct_start` of `total_steps`, then down to
    /// `max_lr/div_factor/final_div_factor` (three phases: back to the start first), with the
    /// momentum (μ or β₁) cycled the other way. The optimizer's own γ is not used.
    OneCycle {
        /// The peak rate.
        max_lr: f64,
        /// Steps of the cycle; a run may not take more (torch raises).
        total_steps: u64,
        /// The share of the steps spent rising.
        pct_start: f64,
        /// Cosine or linear within each phase.
        anneal_strategy: Anneal,
        /// The first rate is `max_lr/div_factor`.
        div_factor: f64,
        /// The last rate is the first over `final_div_factor`.
        final_div_factor: f64,
        /// Rise, fall back to the first rate, then anneal to the last (else rise, then fall).
        three_phase: bool,
        /// Whether the optimizer's momentum μ (SGD, RMSprop) or β₁ (the Adam family) is cycled.
        cycle_momentum: bool,
        /// The momentum at the peak rate.
        base_momentum: f64,
        /// The momentum at the lowest rates.
        max_momentum: f64,
    },
    /// `ReduceLROnPlateau(mode='min', factor, patience, threshold, threshold_mode, cooldown,
    /// min_lr, eps)`, stepped with the full loss f(θ) after each step: γ times `factor` once f
    /// has not improved on its best for more than `patience` steps.
    Plateau {
        /// The factor, in [0, 1).
        factor: f64,
        /// Steps without improvement tolerated.
        patience: u64,
        /// How much lower than the best a loss must be to count as better.
        threshold: f64,
        /// Relative (below best·(1 − threshold)) or absolute (below best − threshold).
        threshold_mode: ThresholdMode,
        /// Steps after a reduction during which bad steps are not counted.
        cooldown: u64,
        /// The lowest rate a reduction goes to.
        min_lr: f64,
        /// A reduction smaller than this is not made.
        eps: f64,
    },
}

/// How `OneCycleLR` anneals within a phase (`anneal_strategy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anneal {
    /// `cos`: end + (start − end)(1 + cos πp)/2.
    Cos,
    /// `linear`: start + (end − start)p.
    Linear,
}

impl Anneal {
    /// torch's name.
    pub fn name(self) -> &'static str {
        match self {
            Anneal::Cos => "cos",
            Anneal::Linear => "linear",
        }
    }

    /// From `start` to `end` as `pct` goes from 0 to 1, as torch's `_annealing_cos` and
    /// `_annealing_linear` compute it.
    pub fn at(self, start: f64, end: f64, pct: f64) -> f64 {
        match self {
            Anneal::Cos => {
                let cos_out = crate::math::cos(std::f64::consts::PI * pct) + 1.0;
                end + (start - end) / 2.0 * cos_out
            }
            Anneal::Linear => (end - start) * pct + start,
        }
    }
}

/// How `ReduceLROnPlateau` decides that a loss is better than the best (`threshold_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThresholdMode {
    /// `rel`: below best·(1 − threshold).
    Rel,
    /// `abs`: below best − threshold.
    Abs,
}

impl ThresholdMode {
    /// torch's name.
    pub fn name(self) -> &'static str {
        match self {
            ThresholdMode::Rel => "rel",
            ThresholdMode::Abs => "abs",
        }
    }
}

/// One phase of `OneCycleLR`: it lasts to `end_step` (torch's float) and anneals from the
/// start rate and momentum to the end ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Phase {
    /// The last step of the phase (torch's `end_step`, a float: `pct_start·total_steps − 1`).
    pub end_step: f64,
    /// The rate at its start, and torch's name for it.
    pub start_lr: (f64, &'static str),
    /// The rate at its end, and torch's name for it.
    pub end_lr: (f64, &'static str),
    /// The momentum at its start.
    pub start_momentum: f64,
    /// The momentum at its end.
    pub end_momentum: f64,
}

/// Where `OneCycleLR` stands at one step: which phase, how far into it, and what it gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CyclePoint {
    /// The phase (0-based) and the number of phases.
    pub phase: (usize, usize),
    /// The phase's start (the previous phase's `end_step`, 0 for the first) and itself.
    pub start_step: f64,
    /// The phase.
    pub at: Phase,
    /// (step − start_step)/(end_step − start_step).
    pub pct: f64,
    /// The rate.
    pub lr: f64,
    /// The momentum (used only with `cycle_momentum`).
    pub momentum: f64,
}

/// Every kind, as the spec names it, with its keys (required ones first, then torch's
/// defaults).
const KINDS: [(&str, &[&str]); 9] = [
    ("constant", &[]),
    ("step", &["step_size", "gamma"]),
    ("multistep", &["milestones", "gamma"]),
    ("exponential", &["gamma"]),
    ("cosine", &["t_max", "eta_min"]),
    ("cosine-restarts", &["t_0", "t_mult", "eta_min"]),
    ("linear", &["start_factor", "end_factor", "total_iters"]),
    (
        "onecycle",
        &[
            "max_lr",
            "total_steps",
            "pct_start",
            "anneal_strategy",
            "div_factor",
            "final_div_factor",
            "three_phase",
            "cycle_momentum",
            "base_momentum",
            "max_momentum",
        ],
    ),
    (
        "plateau",
        &[
            "factor",
            "patience",
            "threshold",
            "threshold_mode",
            "cooldown",
            "min_lr",
            "eps",
        ],
    ),
];

/// Every kind with a title for menus, in menu order.
pub const TITLES: [(&str, &str); 9] = [
    ("constant", "Constant γ"),
    ("step", "Step decay"),
    ("multistep", "Decay at milestones"),
    ("exponential", "Exponential decay"),
    ("cosine", "Cosine annealing"),
    ("cosine-restarts", "Cosine with warm restarts"),
    ("linear", "Linear warm-up"),
    ("onecycle", "One cycle (up, then down)"),
    ("plateau", "Reduce on plateau"),
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
            Schedule::OneCycle { .. } => "onecycle",
            Schedule::Plateau { .. } => "plateau",
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
        // A word from `choices` (the first is torch's default).
        let choice = |k: &str, choices: &[&'static str]| -> Result<&'static str, Error> {
            match raw(k) {
                None => Ok(choices[0]),
                Some(v) => choices.iter().find(|c| **c == v).copied().ok_or_else(|| {
                    err(format!(
                        "{kind}: {k} must be {} (got '{}')",
                        choices.join(" or "),
                        clip(v)
                    ))
                }),
            }
        };
        let flag = |k: &str, default: bool| -> Result<bool, Error> {
            match raw(k) {
                None => Ok(default),
                Some("true") => Ok(true),
                Some("false") => Ok(false),
                Some(v) => Err(err(format!(
                    "{kind}: {k} must be true or false (got '{}')",
                    clip(v)
                ))),
            }
        };
        let optional_count = |k: &str, default: u64, lo: u64| -> Result<u64, Error> {
            raw(k).map_or(Ok(default), |v| count(k, v, lo))
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
            "onecycle" => {
                required("max_lr")?;
                let max_lr = number("max_lr", 0.0)?;
                let total_steps = count("total_steps", required("total_steps")?, 1)?;
                let pct_start = number("pct_start", 0.3)?;
                let div_factor = number("div_factor", 25.0)?;
                let final_div_factor = number("final_div_factor", 1e4)?;
                let base_momentum = number("base_momentum", 0.85)?;
                let max_momentum = number("max_momentum", 0.95)?;
                let momentum_range = "in [0, 1) (a momentum μ or β₁)";
                let schedule = Schedule::OneCycle {
                    max_lr: in_range("max_lr", max_lr, max_lr >= 0.0, "≥ 0")?,
                    total_steps,
                    pct_start: in_range(
                        "pct_start",
                        pct_start,
                        (0.0..=1.0).contains(&pct_start),
                        "in [0, 1]",
                    )?,
                    anneal_strategy: match choice("anneal_strategy", &["cos", "linear"])? {
                        "cos" => Anneal::Cos,
                        _ => Anneal::Linear,
                    },
                    div_factor: in_range("div_factor", div_factor, div_factor > 0.0, "> 0")?,
                    final_div_factor: in_range(
                        "final_div_factor",
                        final_div_factor,
                        final_div_factor > 0.0,
                        "> 0",
                    )?,
                    three_phase: flag("three_phase", false)?,
                    cycle_momentum: flag("cycle_momentum", true)?,
                    base_momentum: in_range(
                        "base_momentum",
                        base_momentum,
                        (0.0..1.0).contains(&base_momentum),
                        momentum_range,
                    )?,
                    max_momentum: in_range(
                        "max_momentum",
                        max_momentum,
                        (0.0..1.0).contains(&max_momentum),
                        momentum_range,
                    )?,
                };
                // torch divides by each phase's length: one of none is a ZeroDivisionError.
                let (phases, n) = schedule.phases().expect("a one-cycle schedule has phases");
                let mut start = 0.0;
                for p in &phases[..n] {
                    if p.end_step == start {
                        return Err(err(format!(
                            "onecycle: pct_start = {} of total_steps = {total_steps} makes a \
                             phase of no steps, which torch divides by; choose another pct_start",
                            format_number(pct_start)
                        )));
                    }
                    start = p.end_step;
                }
                schedule
            }
            "plateau" => {
                let factor = number("factor", 0.1)?;
                let threshold = number("threshold", 1e-4)?;
                let min_lr = number("min_lr", 0.0)?;
                let eps = number("eps", 1e-8)?;
                Schedule::Plateau {
                    factor: in_range("factor", factor, (0.0..1.0).contains(&factor), "in [0, 1)")?,
                    patience: optional_count("patience", 10, 0)?,
                    threshold: in_range("threshold", threshold, threshold >= 0.0, "≥ 0")?,
                    threshold_mode: match choice("threshold_mode", &["rel", "abs"])? {
                        "rel" => ThresholdMode::Rel,
                        _ => ThresholdMode::Abs,
                    },
                    cooldown: optional_count("cooldown", 0, 0)?,
                    min_lr: in_range("min_lr", min_lr, min_lr >= 0.0, "≥ 0")?,
                    eps: in_range("eps", eps, eps >= 0.0, "≥ 0")?,
                }
            }
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

    /// A schedule of `kind` that shows its shape over a run of `steps` steps whose rate is `lr`:
    /// StepLR halving every quarter, milestones at the half and three quarters, a decay to about
    /// a tenth, cosine over the run, restarts every quarter, a warm-up over the first tenth from
    /// a tenth, one cycle over the run peaking at `lr`, halving after 10 steps without progress.
    pub fn example(kind: &str, steps: u64, lr: f64) -> Option<Schedule> {
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
                gamma: crate::math::pow(0.1, 1.0 / steps.max(1) as f64),
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
            "onecycle" => Schedule::OneCycle {
                max_lr: lr,
                total_steps: steps.max(1),
                pct_start: 0.3,
                anneal_strategy: Anneal::Cos,
                div_factor: 25.0,
                final_div_factor: 1e4,
                three_phase: false,
                cycle_momentum: true,
                base_momentum: 0.85,
                max_momentum: 0.95,
            },
            "plateau" => Schedule::Plateau {
                factor: 0.5,
                patience: 10,
                threshold: 1e-4,
                threshold_mode: ThresholdMode::Rel,
                cooldown: 0,
                min_lr: 0.0,
                eps: 1e-8,
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
            Schedule::OneCycle {
                max_lr,
                total_steps,
                pct_start,
                anneal_strategy,
                div_factor,
                final_div_factor,
                three_phase,
                cycle_momentum,
                base_momentum,
                max_momentum,
            } => format!(
                "onecycle:max_lr={},total_steps={total_steps},pct_start={},anneal_strategy={},\
                 div_factor={},final_div_factor={},three_phase={three_phase},\
                 cycle_momentum={cycle_momentum},base_momentum={},max_momentum={}",
                n(*max_lr),
                n(*pct_start),
                anneal_strategy.name(),
                n(*div_factor),
                n(*final_div_factor),
                n(*base_momentum),
                n(*max_momentum)
            ),
            Schedule::Plateau {
                factor,
                patience,
                threshold,
                threshold_mode,
                cooldown,
                min_lr,
                eps,
            } => format!(
                "plateau:factor={},patience={patience},threshold={},threshold_mode={},\
                 cooldown={cooldown},min_lr={},eps={}",
                n(*factor),
                n(*threshold),
                threshold_mode.name(),
                n(*min_lr),
                n(*eps)
            ),
        }
    }

    /// Whether the schedule sets the optimizer's momentum μ or β₁ too (`OneCycleLR` with
    /// `cycle_momentum`).
    pub fn cycles_momentum(&self) -> bool {
        matches!(
            self,
            Schedule::OneCycle {
                cycle_momentum: true,
                ..
            }
        )
    }

    /// Whether its scheduler is stepped with the loss (`ReduceLROnPlateau`).
    pub fn reads_loss(&self) -> bool {
        matches!(self, Schedule::Plateau { .. })
    }

    /// Whether a run of `optimizer` over `steps` steps may follow this schedule: `OneCycleLR`
    /// cycling the momentum needs an optimizer with a momentum μ or a β₁ (torch raises
    /// ValueError otherwise), and no run may step past its `total_steps` (torch raises on the
    /// scheduler step after step `total_steps`).
    pub fn check_run(&self, optimizer: OptimizerKind, steps: usize) -> Result<(), Error> {
        if let Schedule::OneCycle { total_steps, .. } = self {
            if self.cycles_momentum() && optimizer.momentum_hyper().is_none() {
                return Err(Error::new(
                    "schedule",
                    format!(
                        "onecycle cycles the momentum (cycle_momentum=true) but {} has no \
                         momentum or β₁; set cycle_momentum=false",
                        optimizer.name()
                    ),
                ));
            }
            if steps as u64 > *total_steps {
                return Err(Error::new(
                    "schedule",
                    format!(
                        "onecycle: the run takes {steps} steps but total_steps is \
                         {total_steps}; torch refuses to step past it, so make total_steps at \
                         least {steps}"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// `OneCycleLR`'s phases (and how many: 2, or 3 with `three_phase`) as torch lays them out;
    /// `None` for the other schedules.
    pub fn phases(&self) -> Option<([Phase; 3], usize)> {
        let Schedule::OneCycle {
            max_lr,
            total_steps,
            pct_start,
            div_factor,
            final_div_factor,
            three_phase,
            base_momentum,
            max_momentum,
            ..
        } = *self
        else {
            return None;
        };
        let initial = (max_lr / div_factor, "initial_lr");
        let min = (initial.0 / final_div_factor, "min_lr");
        let max = (max_lr, "max_lr");
        let total = total_steps as f64;
        let (base_m, max_m) = (base_momentum, max_momentum);
        let phase = |end_step, start_lr, end_lr, start_momentum, end_momentum| Phase {
            end_step,
            start_lr,
            end_lr,
            start_momentum,
            end_momentum,
        };
        let up = phase(pct_start * total - 1.0, initial, max, max_m, base_m);
        Some(if three_phase {
            (
                [
                    up,
                    phase(2.0 * pct_start * total - 2.0, max, initial, base_m, max_m),
                    phase(total - 1.0, initial, min, max_m, max_m),
                ],
                3,
            )
        } else {
            ([up, phase(total - 1.0, max, min, base_m, max_m), up], 2)
        })
    }

    /// `OneCycleLR.get_lr()` at `last_epoch` = `step`: the phase it falls in and the rate and
    /// momentum there; `None` for the other schedules. Past `total_steps` (which torch refuses)
    /// the last phase is extrapolated.
    pub fn cycle_point(&self, step: u64) -> Option<CyclePoint> {
        let Schedule::OneCycle {
            anneal_strategy, ..
        } = *self
        else {
            return None;
        };
        let (phases, n) = self.phases()?;
        let step_num = step as f64;
        let mut start_step = 0.0;
        for (i, p) in phases[..n].iter().enumerate() {
            if step_num <= p.end_step || i == n - 1 {
                let pct = (step_num - start_step) / (p.end_step - start_step);
                return Some(CyclePoint {
                    phase: (i, n),
                    start_step,
                    at: *p,
                    pct,
                    lr: anneal_strategy.at(p.start_lr.0, p.end_lr.0, pct),
                    momentum: anneal_strategy.at(p.start_momentum, p.end_momentum, pct),
                });
            }
            start_step = p.end_step;
        }
        None
    }
}

/// A schedule in progress: the learning rate (and, cycling it, the momentum) for the next step,
/// and what torch's scheduler keeps to compute the one after (`last_epoch`; `T_i`, `T_cur` for
/// warm restarts; `best`, `num_bad_epochs`, `cooldown_counter` on a plateau).
#[derive(Debug, Clone, PartialEq)]
pub struct Scheduler {
    schedule: Schedule,
    base_lr: f64,
    lr: f64,
    momentum: Option<f64>,
    last_epoch: u64,
    t_i: u64,
    t_cur: u64,
    best: f64,
    num_bad_epochs: u64,
    cooldown_counter: u64,
}

/// Where `ReduceLROnPlateau` stands: the best loss so far, the steps since it without one
/// better, and the steps of cooldown left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlateauState {
    /// The best loss (∞ before the first step).
    pub best: f64,
    /// torch's `num_bad_epochs`.
    pub num_bad_epochs: u64,
    /// torch's `cooldown_counter`.
    pub cooldown_counter: u64,
}

impl Scheduler {
    /// The scheduler of `schedule` over an optimizer built with learning rate `base_lr`, after
    /// torch's initial step (which already sets the first step's rate: `LinearLR` starts at
    /// γ·start_factor, `OneCycleLR` at max_lr/div_factor whatever `base_lr` is).
    pub fn new(schedule: &Schedule, base_lr: f64) -> Scheduler {
        let (t_i, t_cur) = match schedule {
            Schedule::CosineRestarts { t_0, .. } => (*t_0, 0),
            _ => (0, 0),
        };
        let mut s = Scheduler {
            schedule: schedule.clone(),
            base_lr,
            lr: base_lr,
            momentum: None,
            last_epoch: 0,
            t_i,
            t_cur,
            best: f64::INFINITY,
            num_bad_epochs: 0,
            cooldown_counter: 0,
        };
        // ReduceLROnPlateau takes no initial step: the first rate is the optimizer's.
        if !schedule.reads_loss() {
            s.lr = s.next_lr(true);
        }
        s
    }

    /// The learning rate of the next step.
    pub fn lr(&self) -> f64 {
        self.lr
    }

    /// The momentum μ or β₁ of the next step, when the schedule cycles it (else the
    /// optimizer's own is used).
    pub fn momentum(&self) -> Option<f64> {
        self.momentum
    }

    /// torch's `last_epoch`: the scheduler steps taken.
    pub fn last_epoch(&self) -> u64 {
        self.last_epoch
    }

    /// The schedule it follows.
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// `ReduceLROnPlateau`'s counters; `None` for the other schedules.
    pub fn plateau(&self) -> Option<PlateauState> {
        self.schedule.reads_loss().then_some(PlateauState {
            best: self.best,
            num_bad_epochs: self.num_bad_epochs,
            cooldown_counter: self.cooldown_counter,
        })
    }

    /// Follows one optimizer step: `scheduler.step()`, or `scheduler.step(loss)` for
    /// `ReduceLROnPlateau`, where `loss` is f(θ) after the step (the other schedules ignore it).
    pub fn step(&mut self, loss: f64) {
        self.last_epoch += 1;
        match self.schedule {
            Schedule::CosineRestarts { t_mult, .. } => {
                self.t_cur += 1;
                if self.t_cur >= self.t_i {
                    self.t_cur %= self.t_i;
                    self.t_i *= t_mult;
                }
            }
            Schedule::Plateau {
                factor,
                patience,
                threshold,
                threshold_mode,
                cooldown,
                min_lr,
                eps,
            } => {
                // ReduceLROnPlateau.step(metrics) with mode='min', line for line.
                let better = match threshold_mode {
                    ThresholdMode::Rel => loss < self.best * (1.0 - threshold),
                    ThresholdMode::Abs => loss < self.best - threshold,
                };
                if better {
                    self.best = loss;
                    self.num_bad_epochs = 0;
                } else {
                    self.num_bad_epochs += 1;
                }
                if self.cooldown_counter > 0 {
                    self.cooldown_counter -= 1;
                    self.num_bad_epochs = 0;
                }
                if self.num_bad_epochs > patience {
                    // new_lr = max(old_lr * factor, min_lr), Python's max (the first unless
                    // the second is larger); applied only if it lowers the rate by more than eps.
                    let old = self.lr;
                    let scaled = old * factor;
                    let new = if min_lr > scaled { min_lr } else { scaled };
                    if old - new > eps {
                        self.lr = new;
                    }
                    self.cooldown_counter = cooldown;
                    self.num_bad_epochs = 0;
                }
                return;
            }
            _ => {}
        }
        self.lr = self.next_lr(false);
    }

    /// torch's `get_lr()` at `last_epoch`, from the current rate (`initial` in the constructor).
    fn next_lr(&mut self, initial: bool) -> f64 {
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
                    lr + (self.base_lr - eta_min) * (1.0 - crate::math::cos(pi / t_max)) / 2.0
                } else {
                    (1.0 + crate::math::cos(pi * e / t_max))
                        / (1.0 + crate::math::cos(pi * (e - 1.0) / t_max))
                        * (lr - eta_min)
                        + eta_min
                }
            }
            Schedule::CosineRestarts { eta_min, .. } => {
                let pi = std::f64::consts::PI;
                eta_min
                    + (self.base_lr - eta_min)
                        * (1.0 + crate::math::cos(pi * self.t_cur as f64 / self.t_i as f64))
                        / 2.0
            }
            Schedule::OneCycle { cycle_momentum, .. } => {
                let p = self
                    .schedule
                    .cycle_point(epoch)
                    .expect("a one-cycle schedule has a point at every step");
                if *cycle_momentum {
                    self.momentum = Some(p.momentum);
                }
                p.lr
            }
            // Stepped with the loss, in `step`.
            Schedule::Plateau { .. } => lr,
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
            (
                "onecycle:max_lr=0.1,total_steps=300",
                Schedule::OneCycle {
                    max_lr: 0.1,
                    total_steps: 300,
                    pct_start: 0.3,
                    anneal_strategy: Anneal::Cos,
                    div_factor: 25.0,
                    final_div_factor: 1e4,
                    three_phase: false,
                    cycle_momentum: true,
                    base_momentum: 0.85,
                    max_momentum: 0.95,
                },
            ),
            (
                "onecycle:total_steps=10,max_lr=1,anneal_strategy=linear,three_phase=true,\
                 cycle_momentum=false,pct_start=0.4,div_factor=5,final_div_factor=2,\
                 base_momentum=0,max_momentum=0.5",
                Schedule::OneCycle {
                    max_lr: 1.0,
                    total_steps: 10,
                    pct_start: 0.4,
                    anneal_strategy: Anneal::Linear,
                    div_factor: 5.0,
                    final_div_factor: 2.0,
                    three_phase: true,
                    cycle_momentum: false,
                    base_momentum: 0.0,
                    max_momentum: 0.5,
                },
            ),
            (
                "plateau",
                Schedule::Plateau {
                    factor: 0.1,
                    patience: 10,
                    threshold: 1e-4,
                    threshold_mode: ThresholdMode::Rel,
                    cooldown: 0,
                    min_lr: 0.0,
                    eps: 1e-8,
                },
            ),
            (
                "plateau:factor=0.5,patience=0,threshold=0.01,threshold_mode=abs,cooldown=3,\
                 min_lr=1e-4,eps=0",
                Schedule::Plateau {
                    factor: 0.5,
                    patience: 0,
                    threshold: 0.01,
                    threshold_mode: ThresholdMode::Abs,
                    cooldown: 3,
                    min_lr: 1e-4,
                    eps: 0.0,
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
            ("cosin", "unknown schedule 'cosin'; choose one of constant, step, multistep, exponential, cosine, cosine-restarts, linear, onecycle, plateau"),
            ("onecycle:total_steps=10", "onecycle needs max_lr"),
            ("onecycle:max_lr=0.1", "onecycle needs total_steps"),
            ("onecycle:max_lr=0.1,total_steps=0", "onecycle: total_steps must be a whole number from 1 (got '0')"),
            ("onecycle:max_lr=-1,total_steps=10", "onecycle: max_lr must be ≥ 0 (got -1)"),
            ("onecycle:max_lr=1,total_steps=10,epochs=3", "onecycle takes max_lr, total_steps, pct_start, anneal_strategy, div_factor, final_div_factor, three_phase, cycle_momentum, base_momentum, max_momentum; not 'epochs'"),
            ("onecycle:max_lr=1,total_steps=10,anneal_strategy=cosine", "onecycle: anneal_strategy must be cos or linear (got 'cosine')"),
            ("onecycle:max_lr=1,total_steps=10,three_phase=yes", "onecycle: three_phase must be true or false (got 'yes')"),
            ("onecycle:max_lr=1,total_steps=10,cycle_momentum=1", "onecycle: cycle_momentum must be true or false (got '1')"),
            ("onecycle:max_lr=1,total_steps=10,pct_start=1.5", "onecycle: pct_start must be in [0, 1] (got 1.5)"),
            ("onecycle:max_lr=1,total_steps=10,div_factor=0", "onecycle: div_factor must be > 0 (got 0)"),
            ("onecycle:max_lr=1,total_steps=10,final_div_factor=-2", "onecycle: final_div_factor must be > 0 (got -2)"),
            ("onecycle:max_lr=1,total_steps=10,max_momentum=1", "onecycle: max_momentum must be in [0, 1) (a momentum μ or β₁) (got 1)"),
            ("onecycle:max_lr=1,total_steps=10,base_momentum=-0.1", "onecycle: base_momentum must be in [0, 1) (a momentum μ or β₁) (got -0.1)"),
            ("onecycle:max_lr=1,total_steps=10,pct_start=0.1", "onecycle: pct_start = 0.1 of total_steps = 10 makes a phase of no steps, which torch divides by; choose another pct_start"),
            ("onecycle:max_lr=1,total_steps=10,pct_start=1", "onecycle: pct_start = 1 of total_steps = 10 makes a phase of no steps, which torch divides by; choose another pct_start"),
            ("plateau:factor=1", "plateau: factor must be in [0, 1) (got 1)"),
            ("plateau:patience=-1", "plateau: patience must be a whole number from 0 (got '-1')"),
            ("plateau:cooldown=1.5", "plateau: cooldown must be a whole number from 0 (got '1.5')"),
            ("plateau:threshold_mode=relative", "plateau: threshold_mode must be rel or abs (got 'relative')"),
            ("plateau:threshold=-1e-4", "plateau: threshold must be ≥ 0 (got -0.0001)"),
            ("plateau:min_lr=inf", "plateau: min_lr must be a finite number (got 'inf')"),
            ("plateau:mode=max", "plateau takes factor, patience, threshold, threshold_mode, cooldown, min_lr, eps; not 'mode'"),
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

    /// The rates and momenta OneCycleLR gives over 4 steps from 0.5 up to 2 and down to 0.25
    /// (max_lr 2, div_factor 4, final_div_factor 2), phases ending at steps 1 and 3: cosine and
    /// linear agree at p = 0, ½ and 1. Three phases go back to 0.5 at step 2, then linearly
    /// towards 0.25 at step 7 with μ held at its maximum.
    #[test]
    fn one_cycle_by_hand() {
        let cycle = |spec: &str, steps: usize| {
            let mut s = Scheduler::new(&Schedule::parse(spec).unwrap(), 123.0);
            (0..steps)
                .map(|_| {
                    let r = (s.lr(), s.momentum());
                    s.step(f64::NAN);
                    r
                })
                .collect::<Vec<_>>()
        };
        let keys = "max_lr=2,total_steps=4,pct_start=0.5,div_factor=4,final_div_factor=2,\
                    base_momentum=0.5,max_momentum=0.75";
        let want = [
            (0.5, Some(0.75)),
            (2.0, Some(0.5)),
            (1.125, Some(0.625)),
            (0.25, Some(0.75)),
        ];
        assert_eq!(cycle(&format!("onecycle:{keys}"), 4), want);
        assert_eq!(
            cycle(&format!("onecycle:{keys},anneal_strategy=linear"), 4),
            want
        );
        let none = cycle(&format!("onecycle:{keys},cycle_momentum=false"), 4);
        assert_eq!(none.iter().map(|r| r.1).collect::<Vec<_>>(), [None; 4]);
        let three = cycle(
            "onecycle:max_lr=2,total_steps=8,pct_start=0.25,div_factor=4,final_div_factor=2,\
             base_momentum=0.5,max_momentum=0.75,three_phase=true,anneal_strategy=linear",
            8,
        );
        assert_eq!(
            three[..3],
            [(0.5, Some(0.75)), (2.0, Some(0.5)), (0.5, Some(0.75))]
        );
        for (k, (lr, m)) in three.iter().enumerate().skip(3) {
            let p = (k as f64 - 2.0) / 5.0;
            assert!((lr - (0.5 - 0.25 * p)).abs() < 1e-15, "step {k}: {lr}");
            assert_eq!(*m, Some(0.75));
        }
    }

    /// ReduceLROnPlateau by hand, halving after more than one bad step, with a cooldown of one:
    /// f = 10 is the first best; 9.5 is not below 10·0.9, twice, so γ halves; 5 is a new best
    /// (the cooldown step); two more 5s halve γ again, the next is cooled down.
    #[test]
    fn plateau_by_hand() {
        let plateau = |spec: &str, base: f64, losses: &[f64]| {
            let mut s = Scheduler::new(&Schedule::parse(spec).unwrap(), base);
            assert_eq!(s.lr(), base);
            losses
                .iter()
                .map(|&f| {
                    s.step(f);
                    s.lr()
                })
                .collect::<Vec<_>>()
        };
        let spec = "plateau:factor=0.5,patience=1,threshold=0.1,cooldown=1";
        let losses = [10.0, 9.5, 9.5, 5.0, 5.0, 5.0, 5.0];
        assert_eq!(
            plateau(spec, 1.0, &losses),
            [1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25]
        );
        let mut s = Scheduler::new(&Schedule::parse(spec).unwrap(), 1.0);
        for f in &losses[..5] {
            s.step(*f);
        }
        assert_eq!(
            s.plateau(),
            Some(PlateauState {
                best: 5.0,
                num_bad_epochs: 1,
                cooldown_counter: 0
            })
        );
        // Absolute: 9.5 is not below 10 − 1; 8.5 is.
        let abs = "plateau:factor=0.5,patience=1,threshold=1,threshold_mode=abs";
        assert_eq!(
            plateau(abs, 1.0, &[10.0, 9.5, 8.5, 9.0, 9.0]),
            [1.0, 1.0, 1.0, 1.0, 0.5]
        );
        // Never below min_lr, and never by less than eps: 1e-8 × 0.1 lowers γ by only 9e-9.
        let floor = "plateau:factor=0.5,patience=0,min_lr=0.3";
        assert_eq!(
            plateau(floor, 1.0, &[1.0, 1.0, 1.0, 1.0]),
            [1.0, 0.5, 0.3, 0.3]
        );
        assert_eq!(
            plateau("plateau:patience=0", 1e-8, &[1.0, 1.0]),
            [1e-8, 1e-8]
        );
        // A loss that is not a number is never better.
        assert_eq!(
            plateau("plateau:patience=1", 1.0, &[f64::NAN, f64::NAN, f64::NAN]),
            [1.0, 0.1, 0.1]
        );
    }

    /// OneCycleLR refuses an optimizer with no momentum to cycle, naming the way out, and a run
    /// longer than its cycle; plain SGD has torch's `momentum` (0), so it may.
    #[test]
    fn one_cycle_checks_the_run() {
        let s = Schedule::parse("onecycle:max_lr=0.1,total_steps=100").unwrap();
        assert_eq!(s.check_run(OptimizerKind::Sgd, 100), Ok(()));
        assert_eq!(s.check_run(OptimizerKind::Adam, 1), Ok(()));
        let e = s.check_run(OptimizerKind::Adagrad, 100).unwrap_err();
        assert_eq!(
            e.to_string(),
            "schedule: onecycle cycles the momentum (cycle_momentum=true) but adagrad has no \
             momentum or β₁; set cycle_momentum=false"
        );
        let e = s.check_run(OptimizerKind::Momentum, 101).unwrap_err();
        assert_eq!(
            e.to_string(),
            "schedule: onecycle: the run takes 101 steps but total_steps is 100; torch refuses \
             to step past it, so make total_steps at least 101"
        );
        let fixed = Schedule::parse("onecycle:max_lr=0.1,total_steps=100,cycle_momentum=false");
        assert_eq!(fixed.unwrap().check_run(OptimizerKind::Rprop, 100), Ok(()));
        for k in ["plateau", "cosine:t_max=3"] {
            assert_eq!(
                Schedule::parse(k)
                    .unwrap()
                    .check_run(OptimizerKind::Adagrad, 9),
                Ok(())
            );
        }
    }

    /// Every kind in the menu has an example that parses back from its spec, and the examples
    /// of onecycle and plateau fit the run they are made for.
    #[test]
    fn every_kind_has_an_example() {
        assert_eq!(TITLES.map(|t| t.0), KINDS.map(|k| k.0));
        for (kind, _) in TITLES {
            let e = Schedule::example(kind, 200, 0.05).unwrap();
            assert_eq!(e.kind(), kind);
            assert_eq!(Schedule::parse(&e.spec()), Ok(e.clone()), "{}", e.spec());
            assert_eq!(e.check_run(OptimizerKind::Momentum, 200), Ok(()));
        }
        assert_eq!(
            Schedule::example("onecycle", 200, 0.05).unwrap().spec(),
            "onecycle:max_lr=0.05,total_steps=200,pct_start=0.3,anneal_strategy=cos,\
             div_factor=25,final_div_factor=10000,three_phase=false,cycle_momentum=true,\
             base_momentum=0.85,max_momentum=0.95"
        );
        assert_eq!(Schedule::example("sgdr", 200, 0.05), None);
    }

    fn rates(spec: &str, base: f64, steps: usize) -> Vec<f64> {
        let mut s = Scheduler::new(&Schedule::parse(spec).unwrap(), base);
        (0..steps)
            .map(|_| {
                let lr = s.lr();
                s.step(f64::NAN);
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
