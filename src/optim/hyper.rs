//! The hyper-parameters of every optimizer: their names (the CLI's, the URL's and JavaScript's,
//! torch's argument names), symbols, ranges and values.

use super::OptimizerKind;
use crate::error::Error;
use crate::format::format_number;

/// A hyper-parameter an optimizer takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HyperName {
    /// Learning rate γ.
    Lr,
    /// Momentum μ (SGD's, and RMSprop's own).
    Momentum,
    /// SGD's dampening τ of the momentum buffer.
    Dampening,
    /// β₁, the first moment's decay.
    Beta1,
    /// β₂, the second moment's (Adamax: the infinity norm's) decay.
    Beta2,
    /// ε added to the denominator.
    Eps,
    /// RMSprop's decay α.
    Decay,
    /// Adadelta's decay ρ.
    Rho,
    /// Weight decay λ: coupled (added to the gradient), decoupled for AdamW and where
    /// `decoupled_weight_decay` is set.
    WeightDecay,
    /// Adagrad's learning-rate decay η.
    LrDecay,
    /// Adagrad's initial accumulator value s₀.
    InitialAccumulator,
    /// NAdam's momentum decay ψ.
    MomentumDecay,
    /// Rprop's step-size factors (η₋, η₊).
    Etas,
    /// Rprop's step-size bounds (Γmin, Γmax).
    StepSizes,
    /// Adam's and AdamW's AMSGrad variant.
    Amsgrad,
    /// RMSprop's centred variant.
    Centered,
    /// NAdam's and RAdam's decoupled weight decay (AdamW's way).
    Decoupled,
    /// L-BFGS's history size m: how many (s, y) pairs it keeps.
    HistorySize,
    /// L-BFGS's line search: `none` (a fixed step) or `strong_wolfe`.
    LineSearch,
}

/// What kind of value a hyper-parameter holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HyperKind {
    /// A number.
    Number,
    /// Two numbers.
    Pair,
    /// On or off.
    Flag,
    /// One of a few names ([`HyperName::choices`]).
    Choice,
}

/// The value of one hyper-parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HyperValue {
    /// A number.
    Num(f64),
    /// Two numbers.
    Pair(f64, f64),
    /// On or off.
    Flag(bool),
    /// One of the names its hyper-parameter allows.
    Choice(&'static str),
}

impl HyperValue {
    /// The value as link text: `0.01`, `0.5,1.2`, `true`.
    pub fn text(self) -> String {
        match self {
            HyperValue::Num(v) => format_number(v),
            HyperValue::Pair(a, b) => format!("{},{}", format_number(a), format_number(b)),
            HyperValue::Flag(f) => f.to_string(),
            HyperValue::Choice(c) => c.to_string(),
        }
    }
}

impl HyperName {
    /// Every hyper-parameter, in the order the app applies and shows them.
    pub const ALL: [HyperName; 19] = [
        HyperName::Lr,
        HyperName::Momentum,
        HyperName::Dampening,
        HyperName::Beta1,
        HyperName::Beta2,
        HyperName::Decay,
        HyperName::Rho,
        HyperName::Eps,
        HyperName::WeightDecay,
        HyperName::LrDecay,
        HyperName::InitialAccumulator,
        HyperName::MomentumDecay,
        HyperName::Etas,
        HyperName::StepSizes,
        HyperName::Amsgrad,
        HyperName::Centered,
        HyperName::Decoupled,
        HyperName::HistorySize,
        HyperName::LineSearch,
    ];

    /// The option name in the URL and JavaScript (torch's argument name; `--weight-decay` in
    /// the CLI, see [`HyperName::flag`]).
    pub fn name(self) -> &'static str {
        match self {
            HyperName::Lr => "lr",
            HyperName::Momentum => "momentum",
            HyperName::Dampening => "dampening",
            HyperName::Beta1 => "beta1",
            HyperName::Beta2 => "beta2",
            HyperName::Eps => "eps",
            HyperName::Decay => "decay",
            HyperName::Rho => "rho",
            HyperName::WeightDecay => "weight_decay",
            HyperName::LrDecay => "lr_decay",
            HyperName::InitialAccumulator => "initial_accumulator",
            HyperName::MomentumDecay => "momentum_decay",
            HyperName::Etas => "etas",
            HyperName::StepSizes => "step_sizes",
            HyperName::Amsgrad => "amsgrad",
            HyperName::Centered => "centered",
            HyperName::Decoupled => "decoupled_weight_decay",
            HyperName::HistorySize => "history_size",
            HyperName::LineSearch => "line_search",
        }
    }

    /// The command line's option: `--weight-decay`.
    pub fn flag(self) -> String {
        format!("--{}", self.name().replace('_', "-"))
    }

    /// The kind of value it holds.
    pub fn kind(self) -> HyperKind {
        match self {
            HyperName::Etas | HyperName::StepSizes => HyperKind::Pair,
            HyperName::Amsgrad | HyperName::Centered | HyperName::Decoupled => HyperKind::Flag,
            HyperName::LineSearch => HyperKind::Choice,
            _ => HyperKind::Number,
        }
    }

    /// The names a choice allows, the default first; empty for the other kinds.
    pub fn choices(self) -> &'static [&'static str] {
        match self {
            HyperName::LineSearch => &["none", "strong_wolfe"],
            _ => &[],
        }
    }

    /// The allowed name equal to `text`, or an error listing the allowed ones.
    pub fn choice(self, text: &str) -> Result<HyperValue, Error> {
        self.choices()
            .iter()
            .find(|c| **c == text)
            .map(|c| HyperValue::Choice(c))
            .ok_or_else(|| {
                Error::new(
                    self.name(),
                    format!(
                        "must be one of {} (got '{}')",
                        self.choices().join(", "),
                        crate::format::clip(text)
                    ),
                )
            })
    }

    /// Its symbol in the update rule (a pair's two symbols joined by `/`); empty for a flag,
    /// which changes the rule rather than appearing in it.
    pub fn symbol(self) -> &'static str {
        match self {
            HyperName::Lr => "γ",
            HyperName::Momentum => "μ",
            HyperName::Dampening => "τ",
            HyperName::Beta1 => "β₁",
            HyperName::Beta2 => "β₂",
            HyperName::Eps => "ε",
            HyperName::Decay => "α",
            HyperName::Rho => "ρ",
            HyperName::WeightDecay => "λ",
            HyperName::LrDecay => "η",
            HyperName::InitialAccumulator => "s₀",
            HyperName::MomentumDecay => "ψ",
            HyperName::Etas => "η₋/η₊",
            HyperName::StepSizes => "Γmin/Γmax",
            HyperName::HistorySize => "m",
            HyperName::Amsgrad
            | HyperName::Centered
            | HyperName::Decoupled
            | HyperName::LineSearch => "",
        }
    }

    /// A label for its control: what it is, then its symbol.
    pub fn label(self) -> &'static str {
        match self {
            HyperName::Lr => "Learning rate γ",
            HyperName::Momentum => "Momentum μ",
            HyperName::Dampening => "Dampening τ",
            HyperName::Beta1 => "β₁ (first moment decay)",
            HyperName::Beta2 => "β₂ (second moment decay)",
            HyperName::Eps => "ε",
            HyperName::Decay => "Decay α",
            HyperName::Rho => "Decay ρ",
            HyperName::WeightDecay => "Weight decay λ",
            HyperName::LrDecay => "Learning-rate decay η",
            HyperName::InitialAccumulator => "Initial accumulator s₀",
            HyperName::MomentumDecay => "Momentum decay ψ",
            HyperName::Etas => "Step factors η₋, η₊",
            HyperName::StepSizes => "Step bounds Γmin, Γmax",
            HyperName::Amsgrad => "AMSGrad (keep v's maximum)",
            HyperName::Centered => "Centred (divide by the gradient's variance)",
            HyperName::Decoupled => "Decoupled weight decay (as AdamW)",
            HyperName::HistorySize => "History size m",
            HyperName::LineSearch => "Line search",
        }
    }

    /// Whether its control sits behind the "advanced" disclosure: rarely changed in a course.
    pub fn advanced(self) -> bool {
        matches!(
            self,
            HyperName::Dampening
                | HyperName::LrDecay
                | HyperName::InitialAccumulator
                | HyperName::MomentumDecay
                | HyperName::Etas
                | HyperName::StepSizes
                | HyperName::HistorySize
        )
    }

    /// The values [`HyperName::check`] accepts, as data (what `gdviz schema` tells other front
    /// ends): torch's range where torch checks one, and finite.
    pub fn range(self) -> HyperRange {
        const AT_LEAST_0: Bounds = Bounds::new(0.0, f64::INFINITY, false, true);
        match self.kind() {
            HyperKind::Number => {
                let (bounds, whole) = match self {
                    HyperName::Lr
                    | HyperName::WeightDecay
                    | HyperName::LrDecay
                    | HyperName::InitialAccumulator
                    | HyperName::MomentumDecay => (AT_LEAST_0, false),
                    HyperName::Eps => (Bounds::new(0.0, f64::INFINITY, true, true), false),
                    HyperName::Dampening | HyperName::Rho => {
                        (Bounds::new(0.0, 1.0, false, false), false)
                    }
                    HyperName::HistorySize => (Bounds::new(1.0, 1000.0, false, false), true),
                    _ => (Bounds::new(0.0, 1.0, false, true), false),
                };
                HyperRange::Number { bounds, whole }
            }
            HyperKind::Pair => match self {
                HyperName::Etas => HyperRange::Pair {
                    first: Bounds::new(0.0, 1.0, true, true),
                    second: Bounds::new(1.0, f64::INFINITY, true, true),
                    ordered: false,
                },
                _ => HyperRange::Pair {
                    first: AT_LEAST_0,
                    second: AT_LEAST_0,
                    ordered: true,
                },
            },
            HyperKind::Flag => HyperRange::Flag,
            HyperKind::Choice => HyperRange::Choice(self.choices()),
        }
    }

    /// The range in words, for messages.
    fn range_text(self) -> &'static str {
        match self {
            HyperName::Lr
            | HyperName::WeightDecay
            | HyperName::LrDecay
            | HyperName::InitialAccumulator
            | HyperName::MomentumDecay => "a finite number ≥ 0",
            HyperName::Eps => "a finite number > 0",
            HyperName::Dampening | HyperName::Rho => "in [0, 1]",
            HyperName::HistorySize => "a whole number from 1 to 1000",
            HyperName::Etas => "two numbers η₋,η₊ with 0 < η₋ < 1 < η₊",
            HyperName::StepSizes => "two finite numbers min,max with 0 ≤ min ≤ max",
            _ => "in [0, 1)",
        }
    }

    /// Checks one value against this hyper-parameter's [`HyperName::range`]; the error says
    /// the range.
    pub fn check(self, value: HyperValue) -> Result<(), Error> {
        let (ok, range) = match (self.range(), value) {
            (HyperRange::Number { bounds, whole }, HyperValue::Num(v)) => (
                bounds.contains(v) && (!whole || v.fract() == 0.0),
                self.range_text(),
            ),
            (
                HyperRange::Pair {
                    first,
                    second,
                    ordered,
                },
                HyperValue::Pair(a, b),
            ) => (
                first.contains(a) && second.contains(b) && (!ordered || a <= b),
                self.range_text(),
            ),
            (HyperRange::Flag, HyperValue::Flag(_)) => (true, ""),
            (HyperRange::Choice(choices), HyperValue::Choice(c)) => (choices.contains(&c), ""),
            (HyperRange::Number { .. }, _) => (false, "a number"),
            (HyperRange::Pair { .. }, _) => (false, "two numbers"),
            (HyperRange::Flag, _) => (false, "true or false"),
            (HyperRange::Choice(_), _) => (false, "a name"),
        };
        if !ok && self.kind() == HyperKind::Choice {
            return self.choice(&value.text()).map(|_| ());
        }
        if ok {
            Ok(())
        } else {
            Err(Error::new(
                self.name(),
                format!("must be {range} (got {})", value.text()),
            ))
        }
    }
}

/// An interval of finite numbers, each end closed or open; `f64::INFINITY` as `max` (open)
/// means no upper bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// The lower end.
    pub min: f64,
    /// The upper end.
    pub max: f64,
    /// Whether `min` itself is left out.
    pub min_open: bool,
    /// Whether `max` itself is left out.
    pub max_open: bool,
}

impl Bounds {
    /// `[min, max]`, `(min, max]`, ... as the flags say.
    pub const fn new(min: f64, max: f64, min_open: bool, max_open: bool) -> Bounds {
        Bounds {
            min,
            max,
            min_open,
            max_open,
        }
    }

    /// Whether `v` is finite and inside.
    pub fn contains(self, v: f64) -> bool {
        let above = if self.min_open {
            v > self.min
        } else {
            v >= self.min
        };
        let below = if self.max_open {
            v < self.max
        } else {
            v <= self.max
        };
        v.is_finite() && above && below
    }
}

/// The values a hyper-parameter takes, as data ([`HyperName::range`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HyperRange {
    /// A number within `bounds` (a whole one if `whole`).
    Number {
        /// Where it may lie.
        bounds: Bounds,
        /// Whether it must be a whole number.
        whole: bool,
    },
    /// Two numbers, each within its bounds (and the first ≤ the second if `ordered`).
    Pair {
        /// The first number's bounds.
        first: Bounds,
        /// The second number's bounds.
        second: Bounds,
        /// Whether the first may not exceed the second.
        ordered: bool,
    },
    /// On or off.
    Flag,
    /// One of these names.
    Choice(&'static [&'static str]),
}

/// All hyper-parameters; each optimizer reads the ones it takes ([`OptimizerKind::hypers`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hyper {
    /// Learning rate γ ≥ 0.
    pub lr: f64,
    /// Momentum μ ∈ [0, 1).
    pub momentum: f64,
    /// SGD's dampening τ ∈ [0, 1].
    pub dampening: f64,
    /// β₁ ∈ [0, 1).
    pub beta1: f64,
    /// β₂ ∈ [0, 1).
    pub beta2: f64,
    /// ε > 0.
    pub eps: f64,
    /// RMSprop's smoothing constant α ∈ [0, 1).
    pub decay: f64,
    /// Adadelta's ρ ∈ [0, 1].
    pub rho: f64,
    /// Weight decay λ ≥ 0.
    pub weight_decay: f64,
    /// Adagrad's learning-rate decay η ≥ 0.
    pub lr_decay: f64,
    /// Adagrad's initial accumulator s₀ ≥ 0.
    pub initial_accumulator: f64,
    /// NAdam's momentum decay ψ ≥ 0.
    pub momentum_decay: f64,
    /// Rprop's (η₋, η₊), 0 < η₋ < 1 < η₊.
    pub etas: [f64; 2],
    /// Rprop's (Γmin, Γmax), 0 ≤ Γmin ≤ Γmax.
    pub step_sizes: [f64; 2],
    /// AMSGrad.
    pub amsgrad: bool,
    /// Centred RMSprop.
    pub centered: bool,
    /// Decoupled weight decay for NAdam and RAdam.
    pub decoupled: bool,
    /// L-BFGS's history size m, a whole number in [1, 1000].
    pub history_size: f64,
    /// L-BFGS's line search: `none` or `strong_wolfe`.
    pub line_search: &'static str,
}

impl Hyper {
    /// PyTorch's defaults for `kind` (its `lr`, `eps`, `alpha`, `betas`, ...), with one exception:
    /// PyTorch's `SGD` defaults to momentum 0, which would make momentum and Nesterov plain
    /// gradient descent, so their μ defaults to the customary 0.9 (RMSprop's own μ is torch's 0).
    pub fn defaults(kind: OptimizerKind) -> Hyper {
        use OptimizerKind as K;
        let lr = match kind {
            K::Adagrad | K::Rmsprop | K::Rprop => 1e-2,
            K::Nadam | K::Adamax => 2e-3,
            K::Adadelta | K::Lbfgs | K::Newton | K::Linesearch => 1.0,
            _ => 1e-3,
        };
        let eps = match kind {
            K::Adagrad => 1e-10,
            K::Adadelta => 1e-6,
            _ => 1e-8,
        };
        Hyper {
            lr,
            momentum: if kind == K::Rmsprop { 0.0 } else { 0.9 },
            dampening: 0.0,
            beta1: 0.9,
            beta2: 0.999,
            eps,
            decay: 0.99,
            rho: 0.9,
            weight_decay: if kind == K::Adamw { 1e-2 } else { 0.0 },
            lr_decay: 0.0,
            initial_accumulator: 0.0,
            momentum_decay: 4e-3,
            etas: [0.5, 1.2],
            step_sizes: [1e-6, 50.0],
            amsgrad: false,
            centered: false,
            decoupled: false,
            history_size: 100.0,
            line_search: "none",
        }
    }

    /// The value of one hyper-parameter.
    pub fn get(&self, name: HyperName) -> HyperValue {
        use HyperValue::{Choice, Flag, Num, Pair};
        match name {
            HyperName::Lr => Num(self.lr),
            HyperName::Momentum => Num(self.momentum),
            HyperName::Dampening => Num(self.dampening),
            HyperName::Beta1 => Num(self.beta1),
            HyperName::Beta2 => Num(self.beta2),
            HyperName::Eps => Num(self.eps),
            HyperName::Decay => Num(self.decay),
            HyperName::Rho => Num(self.rho),
            HyperName::WeightDecay => Num(self.weight_decay),
            HyperName::LrDecay => Num(self.lr_decay),
            HyperName::InitialAccumulator => Num(self.initial_accumulator),
            HyperName::MomentumDecay => Num(self.momentum_decay),
            HyperName::Etas => Pair(self.etas[0], self.etas[1]),
            HyperName::StepSizes => Pair(self.step_sizes[0], self.step_sizes[1]),
            HyperName::Amsgrad => Flag(self.amsgrad),
            HyperName::Centered => Flag(self.centered),
            HyperName::Decoupled => Flag(self.decoupled),
            HyperName::HistorySize => Num(self.history_size),
            HyperName::LineSearch => Choice(self.line_search),
        }
    }

    /// Sets one hyper-parameter; a value of the wrong kind is an error (checked, not asserted).
    pub fn set(&mut self, name: HyperName, value: HyperValue) -> Result<(), Error> {
        name.check(value)?;
        match (name, value) {
            (HyperName::Etas, HyperValue::Pair(a, b)) => self.etas = [a, b],
            (HyperName::StepSizes, HyperValue::Pair(a, b)) => self.step_sizes = [a, b],
            (HyperName::Amsgrad, HyperValue::Flag(f)) => self.amsgrad = f,
            (HyperName::Centered, HyperValue::Flag(f)) => self.centered = f,
            (HyperName::Decoupled, HyperValue::Flag(f)) => self.decoupled = f,
            (HyperName::LineSearch, HyperValue::Choice(c)) => self.line_search = c,
            (_, HyperValue::Num(v)) => *self.number_mut(name) = v,
            // `check` refuses a value of the wrong kind.
            _ => unreachable!("checked above"),
        }
        Ok(())
    }

    fn number_mut(&mut self, name: HyperName) -> &mut f64 {
        match name {
            HyperName::Lr => &mut self.lr,
            HyperName::Momentum => &mut self.momentum,
            HyperName::Dampening => &mut self.dampening,
            HyperName::Beta1 => &mut self.beta1,
            HyperName::Beta2 => &mut self.beta2,
            HyperName::Eps => &mut self.eps,
            HyperName::Decay => &mut self.decay,
            HyperName::Rho => &mut self.rho,
            HyperName::WeightDecay => &mut self.weight_decay,
            HyperName::LrDecay => &mut self.lr_decay,
            HyperName::InitialAccumulator => &mut self.initial_accumulator,
            HyperName::MomentumDecay => &mut self.momentum_decay,
            HyperName::HistorySize => &mut self.history_size,
            _ => unreachable!("only numbers are set through here"),
        }
    }

    /// Checks the hyper-parameters `kind` uses; the error names the first bad one and its range.
    pub fn validate(&self, kind: OptimizerKind) -> Result<(), Error> {
        kind.hypers()
            .iter()
            .try_for_each(|&name| name.check(self.get(name)))
    }

    /// These settings carried from optimizer `from` to `to`: what the student set carries over
    /// (so optimizers compare at the same learning rate), except the hyper-parameters whose
    /// default differs between the two (ε, μ, weight decay), which take `to`'s default.
    pub fn switched(&self, from: OptimizerKind, to: OptimizerKind) -> Hyper {
        let (a, b) = (Hyper::defaults(from), Hyper::defaults(to));
        let mut out = *self;
        for name in HyperName::ALL {
            if name != HyperName::Lr && a.get(name) != b.get(name) {
                out.set(name, b.get(name)).expect("defaults are valid");
            }
        }
        out
    }
}
