//! Which optimizer: names, menu groups, the hyper-parameters each takes, its update rule, and
//! building it.

use super::{
    Adadelta, Adagrad, Adam, Adamax, Hyper, HyperName, Lbfgs, LineSearch, Momentum, Nadam, Newton,
    Optimizer, Radam, RmsProp, Rprop, Sgd,
};
use crate::error::Error;

/// Which optimizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OptimizerKind {
    /// Plain gradient descent (PyTorch `SGD`).
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
    /// AdamW: Adam with decoupled weight decay.
    Adamw,
    /// NAdam: Adam with Nesterov momentum.
    Nadam,
    /// RAdam: Adam with the variance of its adaptive step rectified.
    Radam,
    /// Adamax: Adam with the infinity norm.
    Adamax,
    /// Adadelta.
    Adadelta,
    /// Rprop: resilient backpropagation, signs only.
    Rprop,
    /// L-BFGS: a quasi-Newton method, one iteration per step.
    Lbfgs,
    /// Newton's method from the exact Hessian (not in torch.optim).
    Newton,
    /// Gradient descent with Armijo backtracking (not in torch.optim).
    Linesearch,
}

impl OptimizerKind {
    /// Every optimizer, in menu order.
    pub const ALL: [OptimizerKind; 15] = [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Nesterov,
        OptimizerKind::Adagrad,
        OptimizerKind::Rmsprop,
        OptimizerKind::Adam,
        OptimizerKind::Adamw,
        OptimizerKind::Nadam,
        OptimizerKind::Radam,
        OptimizerKind::Adamax,
        OptimizerKind::Adadelta,
        OptimizerKind::Rprop,
        OptimizerKind::Lbfgs,
        OptimizerKind::Newton,
        OptimizerKind::Linesearch,
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
            OptimizerKind::Adamw => "adamw",
            OptimizerKind::Nadam => "nadam",
            OptimizerKind::Radam => "radam",
            OptimizerKind::Adamax => "adamax",
            OptimizerKind::Adadelta => "adadelta",
            OptimizerKind::Rprop => "rprop",
            OptimizerKind::Lbfgs => "lbfgs",
            OptimizerKind::Newton => "newton",
            OptimizerKind::Linesearch => "linesearch",
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
            OptimizerKind::Adamw => "AdamW",
            OptimizerKind::Nadam => "NAdam",
            OptimizerKind::Radam => "RAdam",
            OptimizerKind::Adamax => "Adamax",
            OptimizerKind::Adadelta => "Adadelta",
            OptimizerKind::Rprop => "Rprop",
            OptimizerKind::Lbfgs => "L-BFGS",
            OptimizerKind::Newton => "Newton's method",
            OptimizerKind::Linesearch => "Line search (Armijo)",
        }
    }

    /// The menu group it is listed under.
    pub fn group(self) -> &'static str {
        match self {
            OptimizerKind::Sgd | OptimizerKind::Momentum | OptimizerKind::Nesterov => {
                "Gradient descent and momentum"
            }
            OptimizerKind::Lbfgs | OptimizerKind::Newton | OptimizerKind::Linesearch => {
                "Second-order and line search"
            }
            _ => "Adaptive",
        }
    }

    /// Whether it evaluates f itself (L-BFGS's closure, Newton's Hessian, the line search's
    /// trials): it then steps on the full objective, so it takes the full batch only.
    pub fn evaluates_f(self) -> bool {
        matches!(
            self,
            OptimizerKind::Lbfgs | OptimizerKind::Newton | OptimizerKind::Linesearch
        )
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

    /// The hyper-parameters this optimizer takes, learning rate first, as torch's class does
    /// (Nesterov momentum takes no dampening: torch refuses the two together).
    pub fn hypers(self) -> &'static [HyperName] {
        use HyperName::*;
        match self {
            OptimizerKind::Sgd => &[Lr, WeightDecay],
            OptimizerKind::Momentum => &[Lr, Momentum, Dampening, WeightDecay],
            OptimizerKind::Nesterov => &[Lr, Momentum, WeightDecay],
            OptimizerKind::Adagrad => &[Lr, Eps, WeightDecay, LrDecay, InitialAccumulator],
            OptimizerKind::Rmsprop => &[Lr, Decay, Eps, Momentum, Centered, WeightDecay],
            OptimizerKind::Adam | OptimizerKind::Adamw => {
                &[Lr, Beta1, Beta2, Eps, WeightDecay, Amsgrad]
            }
            OptimizerKind::Nadam => &[Lr, Beta1, Beta2, Eps, WeightDecay, Decoupled, MomentumDecay],
            OptimizerKind::Radam => &[Lr, Beta1, Beta2, Eps, WeightDecay, Decoupled],
            OptimizerKind::Adamax => &[Lr, Beta1, Beta2, Eps, WeightDecay],
            OptimizerKind::Adadelta => &[Lr, Rho, Eps, WeightDecay],
            OptimizerKind::Rprop => &[Lr, Etas, StepSizes],
            OptimizerKind::Lbfgs => &[Lr, LineSearch, HistorySize],
            OptimizerKind::Newton | OptimizerKind::Linesearch => &[Lr],
        }
    }

    /// The hyper-parameter a schedule cycling the momentum sets (torch's OneCycleLR): `momentum`
    /// for the optimizers whose defaults have one (SGD, even at μ = 0, and RMSprop), β₁ for those
    /// with `betas`; `None` for Adagrad, Adadelta, Rprop and L-BFGS, which have neither (nor do
    /// Newton's method and the line search).
    pub fn momentum_hyper(self) -> Option<HyperName> {
        match self {
            OptimizerKind::Sgd
            | OptimizerKind::Momentum
            | OptimizerKind::Nesterov
            | OptimizerKind::Rmsprop => Some(HyperName::Momentum),
            OptimizerKind::Adam
            | OptimizerKind::Adamw
            | OptimizerKind::Nadam
            | OptimizerKind::Radam
            | OptimizerKind::Adamax => Some(HyperName::Beta1),
            OptimizerKind::Adagrad
            | OptimizerKind::Adadelta
            | OptimizerKind::Rprop
            | OptimizerKind::Lbfgs
            | OptimizerKind::Newton
            | OptimizerKind::Linesearch => None,
        }
    }

    /// Whether its weight decay is decoupled (θ shrinks by γλ before the step) rather than
    /// added to the gradient, under `h`.
    pub fn decoupled(self, h: &Hyper) -> bool {
        match self {
            OptimizerKind::Adamw => true,
            OptimizerKind::Nadam | OptimizerKind::Radam => h.decoupled,
            _ => false,
        }
    }

    /// The update rule under `h`, in the notation of the next-update panel: the parts an option
    /// turns on (weight decay, dampening, AMSGrad, ...) appear only when it is on.
    pub fn rule(self, h: &Hyper) -> String {
        let wd = h.weight_decay != 0.0 && self.hypers().contains(&HyperName::WeightDecay);
        let mut parts: Vec<String> = Vec::new();
        if wd {
            parts.push(if self.decoupled(h) {
                "θ ← θ(1 − γλ)".into()
            } else {
                "g ← g + λθ".into()
            });
        }
        let adam_moments = "m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²";
        match self {
            OptimizerKind::Sgd => parts.push("θ ← θ − γg".into()),
            OptimizerKind::Momentum => {
                parts.push(if h.dampening != 0.0 {
                    "b ← μb + (1−τ)g (b₁ = g)".into()
                } else {
                    "b ← μb + g".into()
                });
                parts.push("θ ← θ − γb".into());
            }
            OptimizerKind::Nesterov => {
                parts.push("b ← μb + g".into());
                parts.push("θ ← θ − γ(g + μb)".into());
            }
            OptimizerKind::Adagrad => {
                let s = if h.initial_accumulator != 0.0 {
                    "s ← s + g² (s starts at s₀)"
                } else {
                    "s ← s + g²"
                };
                parts.push(s.into());
                if h.lr_decay != 0.0 {
                    parts.push("γₜ = γ/(1 + (t−1)η)".into());
                    parts.push("θ ← θ − γₜg / (√s + ε)".into());
                } else {
                    parts.push("θ ← θ − γg / (√s + ε)".into());
                }
            }
            OptimizerKind::Rmsprop => {
                parts.push("v ← αv + (1−α)g²".into());
                let root = if h.centered {
                    parts.push("ḡ ← αḡ + (1−α)g".into());
                    "√(v − ḡ²) + ε"
                } else {
                    "√v + ε"
                };
                if h.momentum != 0.0 {
                    parts.push(format!("b ← μb + g / ({root})"));
                    parts.push("θ ← θ − γb".into());
                } else {
                    parts.push(format!("θ ← θ − γg / ({root})"));
                }
            }
            OptimizerKind::Adam | OptimizerKind::Adamw => {
                parts.push(adam_moments.into());
                if h.amsgrad {
                    parts.push("v̄ ← max(v̄, v)".into());
                    parts.push("θ ← θ − γ(m/(1−β₁ᵗ)) / (√(v̄/(1−β₂ᵗ)) + ε)".into());
                } else {
                    parts.push("θ ← θ − γ(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε)".into());
                }
            }
            OptimizerKind::Nadam => {
                parts.push("μₜ = β₁(1 − ½·0.96^(tψ))".into());
                parts.push(adam_moments.into());
                parts.push(
                    "θ ← θ − γ[(1−μₜ)g/(1−μ₁⋯μₜ) + μₜ₊₁m/(1−μ₁⋯μₜ₊₁)] / (√(v/(1−β₂ᵗ)) + ε)".into(),
                );
            }
            OptimizerKind::Radam => {
                parts.push(adam_moments.into());
                parts.push("ρₜ = ρ∞ − 2tβ₂ᵗ/(1−β₂ᵗ), ρ∞ = 2/(1−β₂) − 1".into());
                parts.push(
                    "θ ← θ − γ·rₜ·(m/(1−β₁ᵗ))·√(1−β₂ᵗ)/(√v + ε) if ρₜ > 5, else θ ← θ − γm/(1−β₁ᵗ)"
                        .into(),
                );
            }
            OptimizerKind::Adamax => {
                parts.push("m ← β₁m + (1−β₁)g;  u ← max(β₂u, |g| + ε)".into());
                parts.push("θ ← θ − γm / ((1−β₁ᵗ)u)".into());
            }
            OptimizerKind::Adadelta => {
                parts.push("v ← ρv + (1−ρ)g²;  Δ = g·√(u + ε)/√(v + ε)".into());
                parts.push("u ← ρu + (1−ρ)Δ²;  θ ← θ − γΔ".into());
            }
            OptimizerKind::Rprop => {
                parts.push("η = η₋/η₊ where g has flipped/kept its sign, else 1".into());
                parts.push("Γ ← clamp(ηΓ, Γmin/Γmax), Γ starts at γ".into());
                parts.push("θ ← θ − Γ·sign(g), g taken as 0 where it flipped".into());
            }
            OptimizerKind::Lbfgs => {
                parts.push(
                    "d = −H̃g, H̃ from the last m pairs (s, y) by the two-loop recursion".into(),
                );
                parts.push(if h.line_search == "strong_wolfe" {
                    "t from γ by the strong-Wolfe line search;  θ ← θ + t·d".into()
                } else {
                    "θ ← θ + γd (the first step: γ·min(1, 1/‖g‖₁)·d)".into()
                });
            }
            OptimizerKind::Newton => parts.push("θ ← θ − γH⁻¹g".into()),
            OptimizerKind::Linesearch => {
                parts.push("halve γ until f(θ − γg) ≤ f(θ) − 10⁻⁴·γ‖g‖²;  θ ← θ − γg".into())
            }
        }
        parts.join(";  ")
    }

    /// Builds the optimizer for `n` parameters after checking the hyper-parameters it uses.
    pub fn build(self, h: &Hyper, n: usize) -> Result<Box<dyn Optimizer>, Error> {
        h.validate(self)?;
        let wd = h.weight_decay;
        Ok(match self {
            OptimizerKind::Sgd => Box::new(Sgd::new(h.lr, wd)),
            OptimizerKind::Momentum => Box::new(Momentum::new(h, false, n)),
            OptimizerKind::Nesterov => Box::new(Momentum::new(
                &Hyper {
                    dampening: 0.0,
                    ..*h
                },
                true,
                n,
            )),
            OptimizerKind::Adagrad => Box::new(Adagrad::new(h, n)),
            OptimizerKind::Rmsprop => Box::new(RmsProp::new(h, n)),
            OptimizerKind::Adam | OptimizerKind::Adamw => {
                Box::new(Adam::new(h, self.decoupled(h), n))
            }
            OptimizerKind::Nadam => Box::new(Nadam::new(h, n)),
            OptimizerKind::Radam => Box::new(Radam::new(h, n)),
            OptimizerKind::Adamax => Box::new(Adamax::new(h, n)),
            OptimizerKind::Adadelta => Box::new(Adadelta::new(h, n)),
            OptimizerKind::Rprop => Box::new(Rprop::new(h, n)),
            OptimizerKind::Lbfgs => Box::new(Lbfgs::new(
                h.lr,
                h.history_size as usize,
                h.line_search == "strong_wolfe",
                n,
            )),
            OptimizerKind::Newton => Box::new(Newton::new(h.lr, n)),
            OptimizerKind::Linesearch => Box::new(LineSearch::new(h.lr)),
        })
    }
}
