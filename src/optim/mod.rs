//! The optimizers, stepping exactly as PyTorch's `torch.optim` does in float64.
//!
//! Each optimizer owns its state (moment buffers, step count) and applies one update from a
//! gradient. Hyper-parameters are validated when an optimizer is built, never asserted.

mod adagrad;
mod adam;
mod momentum;
mod rmsprop;
mod sgd;

use crate::error::Error;
use crate::linalg::Vec2;

pub use adagrad::Adagrad;
pub use adam::Adam;
pub use momentum::Momentum;
pub use rmsprop::RmsProp;
pub use sgd::Sgd;

/// One optimizer with its state.
pub trait Optimizer: BoxedClone {
    /// Applies one update to `theta` from the gradient `g` (the t-th call is step t).
    fn step(&mut self, theta: &mut Vec2, g: Vec2);
    /// The internal state after the last step, named as in the update rule (`b`, `s`, `m`, `v`).
    fn state(&self) -> Vec<(&'static str, Vec2)>;
}

/// A copy of a boxed optimizer, state and all: a run kept at its end can take its next step
/// without being replayed from the start.
pub trait BoxedClone {
    /// The copy.
    fn boxed_clone(&self) -> Box<dyn Optimizer>;
}

impl<T: Optimizer + Clone + 'static> BoxedClone for T {
    fn boxed_clone(&self) -> Box<dyn Optimizer> {
        Box::new(self.clone())
    }
}

impl Clone for Box<dyn Optimizer> {
    fn clone(&self) -> Self {
        // Through the box to the optimizer: never this impl again.
        (**self).boxed_clone()
    }
}

/// Which optimizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OptimizerKind {
    /// Plain gradient descent.
    Sgd,
    /// Heavy-ball momentum (PyTorch `SGD(momentum=μ)`).
    Momentum,
    /// Nesterov momentum (PyTorch `SGD(momentum=μ, nesterov=True)`).
    Nesterov,
    /// Adagrad.
    Adagrad,
    /// RMSprop.
    Rmsprop,
    /// Adam.
    Adam,
}

/// A hyper-parameter an optimizer takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HyperName {
    /// Learning rate γ.
    Lr,
    /// Momentum μ.
    Momentum,
    /// Adam's β₁.
    Beta1,
    /// Adam's β₂.
    Beta2,
    /// ε added to the denominator.
    Eps,
    /// RMSprop's decay α.
    Decay,
}

impl HyperName {
    /// The option name in the CLI (`--beta1`), the URL and JavaScript.
    pub fn name(self) -> &'static str {
        match self {
            HyperName::Lr => "lr",
            HyperName::Momentum => "momentum",
            HyperName::Beta1 => "beta1",
            HyperName::Beta2 => "beta2",
            HyperName::Eps => "eps",
            HyperName::Decay => "decay",
        }
    }

    /// Checks one value against this hyper-parameter's range; the error says the range.
    pub fn check(self, v: f64) -> Result<(), Error> {
        let (ok, range) = match self {
            HyperName::Lr => (v.is_finite() && v >= 0.0, "a finite number ≥ 0"),
            HyperName::Eps => (v.is_finite() && v > 0.0, "a finite number > 0"),
            HyperName::Momentum | HyperName::Beta1 | HyperName::Beta2 | HyperName::Decay => {
                ((0.0..1.0).contains(&v), "in [0, 1)")
            }
        };
        if ok {
            Ok(())
        } else {
            Err(Error::new(
                self.name(),
                format!("must be {range} (got {})", crate::format::format_number(v)),
            ))
        }
    }

    /// Every hyper-parameter.
    pub const ALL: [HyperName; 6] = [
        HyperName::Lr,
        HyperName::Momentum,
        HyperName::Beta1,
        HyperName::Beta2,
        HyperName::Eps,
        HyperName::Decay,
    ];

    /// Sets this hyper-parameter in `h`.
    pub fn set(self, h: &mut Hyper, v: f64) {
        match self {
            HyperName::Lr => h.lr = v,
            HyperName::Momentum => h.momentum = v,
            HyperName::Beta1 => h.beta1 = v,
            HyperName::Beta2 => h.beta2 = v,
            HyperName::Eps => h.eps = v,
            HyperName::Decay => h.decay = v,
        }
    }

    /// Its symbol in the update rule.
    pub fn symbol(self) -> &'static str {
        match self {
            HyperName::Lr => "γ",
            HyperName::Momentum => "μ",
            HyperName::Beta1 => "β₁",
            HyperName::Beta2 => "β₂",
            HyperName::Eps => "ε",
            HyperName::Decay => "α",
        }
    }
}

impl OptimizerKind {
    /// Every optimizer, in menu order.
    pub const ALL: [OptimizerKind; 6] = [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Nesterov,
        OptimizerKind::Adagrad,
        OptimizerKind::Rmsprop,
        OptimizerKind::Adam,
    ];

    /// The name in the CLI, the URL and JavaScript.
    pub fn name(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::Momentum => "momentum",
            OptimizerKind::Nesterov => "nesterov",
            OptimizerKind::Adagrad => "adagrad",
            OptimizerKind::Rmsprop => "rmsprop",
            OptimizerKind::Adam => "adam",
        }
    }

    /// A human name for menus.
    pub fn title(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "Gradient descent (SGD)",
            OptimizerKind::Momentum => "Momentum (heavy ball)",
            OptimizerKind::Nesterov => "Nesterov momentum",
            OptimizerKind::Adagrad => "Adagrad",
            OptimizerKind::Rmsprop => "RMSprop",
            OptimizerKind::Adam => "Adam",
        }
    }

    /// The optimizer called `name`, or an error listing the names there are.
    pub fn parse(name: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|k| k.name()).collect();
                Error::new(
                    "optimizer",
                    format!(
                        "unknown optimizer '{name}'; choose one of {}",
                        names.join(", ")
                    ),
                )
            })
    }

    /// The hyper-parameters this optimizer takes, learning rate first.
    pub fn hypers(self) -> &'static [HyperName] {
        use HyperName::*;
        match self {
            OptimizerKind::Sgd => &[Lr],
            OptimizerKind::Momentum | OptimizerKind::Nesterov => &[Lr, Momentum],
            OptimizerKind::Adagrad => &[Lr, Eps],
            OptimizerKind::Rmsprop => &[Lr, Decay, Eps],
            OptimizerKind::Adam => &[Lr, Beta1, Beta2, Eps],
        }
    }

    /// The update rule, in the notation of shared/DESIGN.md.
    pub fn rule(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "θ ← θ − γg",
            OptimizerKind::Momentum => "b ← μb + g;  θ ← θ − γb",
            OptimizerKind::Nesterov => "b ← μb + g;  θ ← θ − γ(g + μb)",
            OptimizerKind::Adagrad => "s ← s + g²;  θ ← θ − γg / (√s + ε)",
            OptimizerKind::Rmsprop => "v ← αv + (1−α)g²;  θ ← θ − γg / (√v + ε)",
            OptimizerKind::Adam => {
                "m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − γ(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε)"
            }
        }
    }

    /// Builds the optimizer after checking the hyper-parameters it uses.
    pub fn build(self, h: &Hyper) -> Result<Box<dyn Optimizer>, Error> {
        h.validate(self)?;
        Ok(match self {
            OptimizerKind::Sgd => Box::new(Sgd::new(h.lr)),
            OptimizerKind::Momentum => Box::new(Momentum::new(h.lr, h.momentum, false)),
            OptimizerKind::Nesterov => Box::new(Momentum::new(h.lr, h.momentum, true)),
            OptimizerKind::Adagrad => Box::new(Adagrad::new(h.lr, h.eps)),
            OptimizerKind::Rmsprop => Box::new(RmsProp::new(h.lr, h.decay, h.eps)),
            OptimizerKind::Adam => Box::new(Adam::new(h.lr, h.beta1, h.beta2, h.eps)),
        })
    }
}

/// All hyper-parameters; each optimizer reads the ones it takes ([`OptimizerKind::hypers`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hyper {
    /// Learning rate γ ≥ 0.
    pub lr: f64,
    /// Momentum μ ∈ [0, 1).
    pub momentum: f64,
    /// Adam's β₁ ∈ [0, 1).
    pub beta1: f64,
    /// Adam's β₂ ∈ [0, 1).
    pub beta2: f64,
    /// ε > 0.
    pub eps: f64,
    /// RMSprop's smoothing constant α ∈ [0, 1).
    pub decay: f64,
}

impl Hyper {
    /// PyTorch's defaults for `kind` (its `lr`, `eps`, `alpha`, `betas`), with one exception:
    /// PyTorch's `SGD` defaults to momentum 0, which would make momentum and Nesterov plain
    /// gradient descent, so their μ defaults to the customary 0.9.
    pub fn defaults(kind: OptimizerKind) -> Hyper {
        let (lr, eps) = match kind {
            OptimizerKind::Sgd | OptimizerKind::Momentum | OptimizerKind::Nesterov => (1e-3, 1e-8),
            OptimizerKind::Adagrad => (1e-2, 1e-10),
            OptimizerKind::Rmsprop => (1e-2, 1e-8),
            OptimizerKind::Adam => (1e-3, 1e-8),
        };
        Hyper {
            lr,
            momentum: 0.9,
            beta1: 0.9,
            beta2: 0.999,
            eps,
            decay: 0.99,
        }
    }

    /// The value of one hyper-parameter.
    pub fn get(&self, name: HyperName) -> f64 {
        match name {
            HyperName::Lr => self.lr,
            HyperName::Momentum => self.momentum,
            HyperName::Beta1 => self.beta1,
            HyperName::Beta2 => self.beta2,
            HyperName::Eps => self.eps,
            HyperName::Decay => self.decay,
        }
    }

    /// Checks the hyper-parameters `kind` uses; the error names the first bad one and its range.
    pub fn validate(&self, kind: OptimizerKind) -> Result<(), Error> {
        kind.hypers()
            .iter()
            .try_for_each(|&name| name.check(self.get(name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back() {
        for k in OptimizerKind::ALL {
            assert_eq!(OptimizerKind::parse(k.name()), Ok(k));
        }
        let e = OptimizerKind::parse("adamw").unwrap_err();
        assert_eq!(e.option, "optimizer");
        assert!(e.message.contains("adam, ") || e.message.ends_with("adam"));
    }

    #[test]
    fn bad_hyper_parameters_are_errors_naming_them() {
        type Spoil = fn(&mut Hyper);
        let cases: [(OptimizerKind, Spoil, &str); 9] = [
            (OptimizerKind::Sgd, |h| h.lr = -0.1, "lr"),
            (OptimizerKind::Sgd, |h| h.lr = f64::NAN, "lr"),
            (OptimizerKind::Adam, |h| h.lr = f64::INFINITY, "lr"),
            (OptimizerKind::Momentum, |h| h.momentum = 1.0, "momentum"),
            (OptimizerKind::Nesterov, |h| h.momentum = -0.5, "momentum"),
            (OptimizerKind::Adam, |h| h.beta1 = 1.0, "beta1"),
            (OptimizerKind::Adam, |h| h.beta2 = -1e-9, "beta2"),
            (OptimizerKind::Adagrad, |h| h.eps = 0.0, "eps"),
            (OptimizerKind::Rmsprop, |h| h.decay = f64::NAN, "decay"),
        ];
        for (kind, spoil, name) in cases {
            let mut h = Hyper::defaults(kind);
            spoil(&mut h);
            let err = kind
                .build(&h)
                .err()
                .expect("invalid hyper-parameter accepted");
            assert_eq!(err.option, name, "{err}");
        }
    }

    /// The edges of every range `HyperName::check` enforces, where an off-by-one comparison would
    /// let a value through or turn one away: γ ≥ 0 (zero allowed, so a run can stand still), ε > 0
    /// (zero refused: Adagrad's and RMSprop's first step divides by √s + ε), μ, β₁, β₂ and α in
    /// [0, 1) (one refused: the moments would never decay); NaN and ±∞ are refused everywhere.
    #[test]
    fn check_accepts_exactly_its_range() {
        let below_one = 1.0 - f64::EPSILON / 2.0; // the largest f64 below 1
        let tiny = f64::from_bits(1); // the smallest positive f64 (subnormal)
        let always_bad = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY];
        let cases: [(HyperName, &[f64], &[f64]); 6] = [
            (
                HyperName::Lr,
                &[0.0, -0.0, tiny, 1.0, 1e300, f64::MAX],
                &[-tiny, -1.0, -f64::MAX],
            ),
            (
                HyperName::Eps,
                &[tiny, 1e-8, 1.0, f64::MAX],
                &[0.0, -0.0, -tiny, -1e-8],
            ),
            (
                HyperName::Momentum,
                &[0.0, -0.0, tiny, 0.5, below_one],
                &[1.0, 1.5, -tiny, -0.5],
            ),
            (HyperName::Beta1, &[0.0, 0.5, below_one], &[1.0, -tiny]),
            (HyperName::Beta2, &[0.0, 0.999, below_one], &[1.0, -tiny]),
            (HyperName::Decay, &[0.0, 0.99, below_one], &[1.0, -tiny]),
        ];
        for (name, good, bad) in cases {
            for &v in good {
                assert_eq!(name.check(v), Ok(()), "{} = {v:e} refused", name.name());
            }
            for &v in bad.iter().chain(&always_bad) {
                let e = name
                    .check(v)
                    .expect_err(&format!("{} = {v:e} accepted", name.name()));
                assert_eq!(e.option, name.name());
            }
        }
    }

    /// The error says which range the value missed and what the value was, so the user can fix it.
    #[test]
    fn check_errors_say_the_range_and_the_value() {
        let message = |name: HyperName, v: f64| name.check(v).unwrap_err().message;
        assert_eq!(
            message(HyperName::Lr, -1.0),
            "must be a finite number ≥ 0 (got -1)"
        );
        assert_eq!(
            message(HyperName::Eps, 0.0),
            "must be a finite number > 0 (got 0)"
        );
        assert_eq!(message(HyperName::Beta1, 1.0), "must be in [0, 1) (got 1)");
    }

    /// The update rule shown beside the sliders names every hyper-parameter the optimizer takes
    /// by the symbol its slider carries (γ, μ, β₁, β₂, ε, α), and each optimizer has its own rule.
    #[test]
    fn rules_name_the_hyper_parameters_by_their_symbols() {
        let symbols: Vec<&str> = HyperName::ALL.iter().map(|h| h.symbol()).collect();
        for (i, s) in symbols.iter().enumerate() {
            assert!(!s.is_empty() && !symbols[..i].contains(s), "{symbols:?}");
        }
        for k in OptimizerKind::ALL {
            for h in k.hypers() {
                assert!(k.rule().contains(h.symbol()), "{k:?}: {}", k.rule());
            }
        }
        let rules: Vec<&str> = OptimizerKind::ALL.iter().map(|k| k.rule()).collect();
        for (i, r) in rules.iter().enumerate() {
            assert!(!rules[..i].contains(r), "{rules:?}");
        }
    }

    #[test]
    fn unused_hyper_parameters_are_not_checked() {
        let h = Hyper {
            beta1: 7.0,
            ..Hyper::defaults(OptimizerKind::Sgd)
        };
        assert!(OptimizerKind::Sgd.build(&h).is_ok());
    }
}
