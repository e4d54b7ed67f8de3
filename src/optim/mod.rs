//! The optimizers, stepping exactly as PyTorch's `torch.optim` does in float64.
//!
//! Each optimizer owns its state (moment buffers, step count), sized for the number of
//! parameters when it is built, and applies one update from a gradient. Hyper-parameters are
//! validated when an optimizer is built, never asserted.

mod adadelta;
mod adagrad;
mod adam;
mod adamax;
mod clip;
mod hyper;
mod kind;
mod lbfgs;
mod linesearch;
mod momentum;
mod nadam;
mod newton;
mod power;
mod radam;
mod rmsprop;
mod rprop;
mod sgd;

pub use adadelta::Adadelta;
pub use adagrad::Adagrad;
pub use adam::Adam;
pub use adamax::Adamax;
pub use clip::Clip;
pub use hyper::{Bounds, Hyper, HyperKind, HyperName, HyperRange, HyperValue};
pub use kind::OptimizerKind;
pub use lbfgs::{Lbfgs, Outcome as LbfgsOutcome, MAX_EVAL, TOLERANCE_CHANGE, TOLERANCE_GRAD};
pub use linesearch::{LineSearch, ARMIJO_C, MAX_HALVINGS};
pub use momentum::Momentum;
pub use nadam::Nadam;
pub use newton::{solve, Newton};
pub use power::{power, Powers};
pub use radam::{rectified as radam_rectified, Radam};
pub use rmsprop::RmsProp;
pub use rprop::Rprop;
pub use sgd::Sgd;

/// The function being minimised, for the methods that evaluate more than the step's gradient:
/// L-BFGS's closure, the Armijo line search's trials and Newton's Hessian. Its gradient is the
/// one the optimizer is given (after any clipping).
pub trait Objective {
    /// f(θ).
    fn value(&self, theta: &[f64]) -> f64;
    /// ∇f(θ), written into `g`.
    fn gradient(&self, theta: &[f64], g: &mut [f64]);
    /// The Hessian of f at θ, row-major into `h` (n × n values).
    fn hessian(&self, theta: &[f64], h: &mut [f64]);
}

/// An objective that knows nothing beyond the step's gradient, for stepping the gradient methods
/// by hand (tests, benchmarks): its value and Hessian are NaN, so a method that evaluates f
/// fed this one leaves θ non-finite rather than stepping on made-up numbers.
pub struct GradientOnly;

impl Objective for GradientOnly {
    fn value(&self, _: &[f64]) -> f64 {
        f64::NAN
    }

    fn gradient(&self, _: &[f64], g: &mut [f64]) {
        g.fill(f64::NAN);
    }

    fn hessian(&self, _: &[f64], h: &mut [f64]) {
        h.fill(f64::NAN);
    }
}

/// One optimizer with its state.
pub trait Optimizer: BoxedClone {
    /// Applies one update to the parameters `theta` from their gradient `g` (the t-th call is
    /// step t). Both have the length the optimizer was built for. The gradient methods use `g`
    /// alone; L-BFGS, Newton and the line search also evaluate `f`, whose gradient at `theta`
    /// is `g`.
    fn step(&mut self, theta: &mut [f64], g: &[f64], f: &dyn Objective);
    /// The internal state after the last step, named as in the update rule (`b`, `s`, `m`, `v`),
    /// one value per parameter.
    fn state(&self) -> Vec<(&'static str, Vec<f64>)>;
    /// Sets the learning rate of the steps to come (`param_group["lr"]`, as a scheduler does).
    fn set_lr(&mut self, lr: f64);
    /// The step size the last step took when the method chose it itself (the line search's
    /// accepted γ); `None` when it was the learning rate.
    fn taken_lr(&self) -> Option<f64> {
        None
    }
    /// Sets the momentum of the steps to come, as OneCycleLR does: `param_group["momentum"]`
    /// (SGD's μ, RMSprop's μ) or `param_group["betas"][0]` (β₁ of the Adam family). An
    /// optimizer with neither ignores it ([`OptimizerKind::momentum_hyper`] is `None`).
    fn set_momentum(&mut self, momentum: f64);
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

/// What each optimizer implements: the arithmetic of one step (which [`Optimizer::step`] runs
/// through [`fused`]), its rate and its state. Every `Update` is an [`Optimizer`].
trait Update {
    /// One update of `theta` from `g`.
    fn update(&mut self, theta: &mut [f64], g: &[f64]);
    /// See [`Optimizer::set_lr`].
    fn set_lr(&mut self, lr: f64);
    /// See [`Optimizer::set_momentum`]: nothing for an optimizer without μ or β₁.
    fn set_momentum(&mut self, _momentum: f64) {}
    /// See [`Optimizer::state`].
    fn state(&self) -> Vec<(&'static str, Vec<f64>)>;
}

impl<T: Update + Clone + 'static> Optimizer for T {
    fn step(&mut self, theta: &mut [f64], g: &[f64], _: &dyn Objective) {
        fused(self, theta, g);
    }

    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        Update::state(self)
    }

    fn set_lr(&mut self, lr: f64) {
        Update::set_lr(self, lr);
    }

    fn set_momentum(&mut self, momentum: f64) {
        Update::set_momentum(self, momentum);
    }
}

/// `o.update(θ, g)`, its fused multiply-adds compiled to the CPU's FMA instructions where it has
/// them (an x86-64 build whose baseline lacks FMA checks once, at run time), else to
/// `f64::mul_add`'s software path. Both are exactly rounded, so the numbers are the same; only
/// the speed differs (the call the software path makes cost 17–44% of a 1000-step run).
#[inline(always)]
fn fused<T: Update>(o: &mut T, theta: &mut [f64], g: &[f64]) {
    #[cfg(all(target_arch = "x86_64", not(target_feature = "fma")))]
    if std::arch::is_x86_feature_detected!("fma") {
        #[target_feature(enable = "fma")]
        fn with_fma<T: Update>(o: &mut T, theta: &mut [f64], g: &[f64]) {
            o.update(theta, g)
        }
        // SAFETY: the CPU has the FMA instructions `with_fma` may use.
        unsafe { with_fma(o, theta, g) };
        return;
    }
    o.update(theta, g)
}

// ATen's CPU kernels, as torch runs them on a two-element float64 tensor (the scalar path of
// its AVX2/AVX-512 builds, whose compilers fuse a multiply and an add into one rounding): the
// formulas below agree with torch 2.15 bit for bit on every one of thousands of random inputs
// (tests/golden/README.md). Written once here so every optimizer rounds as torch does.

/// `a.add(b, alpha=α)`: a + αb, fused.
#[inline(always)]
fn add(a: f64, b: f64, alpha: f64) -> f64 {
    alpha.mul_add(b, a)
}

/// `s.addcmul(t1, t2, value=c)`: s + (c·t1)·t2, the last product fused with the sum.
#[inline(always)]
fn addcmul(s: f64, t1: f64, t2: f64, value: f64) -> f64 {
    (value * t1).mul_add(t2, s)
}

/// `s.addcdiv(t1, t2, value=c)`: s + (c·t1)/t2 (a division is never fused).
#[inline(always)]
fn addcdiv(s: f64, t1: f64, t2: f64, value: f64) -> f64 {
    s + value * t1 / t2
}

/// `grad.add(param, alpha=λ)`, torch's coupled weight decay, for one coordinate: the gradient
/// unchanged when λ = 0 (torch skips the addition).
#[inline(always)]
fn decayed(g: f64, theta: f64, weight_decay: f64) -> f64 {
    if weight_decay != 0.0 {
        add(g, theta, weight_decay)
    } else {
        g
    }
}

/// The gradient a step of the Adam family uses under weight decay λ: decoupled, θ first shrinks
/// by γλ (torch's `param.mul_(1 − lr·λ)`, skipped when λ = 0) and g is unchanged; coupled,
/// g + λθ.
#[inline(always)]
fn weight_decayed(theta: &mut f64, g: f64, lr: f64, weight_decay: f64, decoupled: bool) -> f64 {
    if !decoupled {
        decayed(g, *theta, weight_decay)
    } else {
        if weight_decay != 0.0 {
            *theta *= 1.0 - lr * weight_decay;
        }
        g
    }
}

/// `torch.lerp(start, end, weight)`: start + w(end − start) below a weight of 0.5,
/// end − (end − start)(1 − w) from 0.5 on, each fused.
#[inline(always)]
fn lerp(start: f64, end: f64, weight: f64) -> f64 {
    if weight.abs() < 0.5 {
        weight.mul_add(end - start, start)
    } else {
        (-(end - start)).mul_add(1.0 - weight, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use HyperValue::{Flag, Num, Pair};

    #[test]
    fn every_name_parses_back() {
        for k in OptimizerKind::ALL {
            assert_eq!(OptimizerKind::parse(k.name()), Ok(k));
        }
        let e = OptimizerKind::parse("adamx").unwrap_err();
        assert_eq!(e.option, "optimizer");
        assert!(e.message.contains("adam, adamw, "), "{e}");
    }

    #[test]
    fn bad_hyper_parameters_are_errors_naming_them() {
        type Spoil = fn(&mut Hyper);
        let cases: [(OptimizerKind, Spoil, &str); 16] = [
            (OptimizerKind::Sgd, |h| h.lr = -0.1, "lr"),
            (OptimizerKind::Sgd, |h| h.lr = f64::NAN, "lr"),
            (OptimizerKind::Adam, |h| h.lr = f64::INFINITY, "lr"),
            (OptimizerKind::Momentum, |h| h.momentum = 1.0, "momentum"),
            (OptimizerKind::Nesterov, |h| h.momentum = -0.5, "momentum"),
            (OptimizerKind::Adam, |h| h.beta1 = 1.0, "beta1"),
            (OptimizerKind::Adam, |h| h.beta2 = -1e-9, "beta2"),
            (OptimizerKind::Adagrad, |h| h.eps = 0.0, "eps"),
            (OptimizerKind::Rmsprop, |h| h.decay = f64::NAN, "decay"),
            (
                OptimizerKind::Sgd,
                |h| h.weight_decay = -1e-3,
                "weight_decay",
            ),
            (OptimizerKind::Momentum, |h| h.dampening = 1.5, "dampening"),
            (OptimizerKind::Adagrad, |h| h.lr_decay = -1.0, "lr_decay"),
            (
                OptimizerKind::Adagrad,
                |h| h.initial_accumulator = -1.0,
                "initial_accumulator",
            ),
            (
                OptimizerKind::Nadam,
                |h| h.momentum_decay = -1.0,
                "momentum_decay",
            ),
            (OptimizerKind::Rprop, |h| h.etas = [0.5, 1.0], "etas"),
            (
                OptimizerKind::Rprop,
                |h| h.step_sizes = [1.0, 0.5],
                "step_sizes",
            ),
        ];
        for (kind, spoil, name) in cases {
            let mut h = Hyper::defaults(kind);
            spoil(&mut h);
            let err = kind
                .build(&h, 2)
                .err()
                .expect("invalid hyper-parameter accepted");
            assert_eq!(err.option, name, "{err}");
        }
    }

    /// The edges of every range `HyperName::check` enforces, where an off-by-one comparison would
    /// let a value through or turn one away: γ, λ, η, s₀, ψ ≥ 0 (zero allowed, so a run can stand
    /// still), ε > 0 (zero refused: Adagrad's and RMSprop's first step divides by √s + ε), μ, β₁,
    /// β₂ and α in [0, 1) (one refused: the moments would never decay), τ and ρ in [0, 1] (as
    /// torch); NaN and ±∞ are refused everywhere.
    #[test]
    fn check_accepts_exactly_its_range() {
        let below_one = 1.0 - f64::EPSILON / 2.0; // the largest f64 below 1
        let tiny = f64::from_bits(1); // the smallest positive f64 (subnormal)
        let always_bad = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY];
        let at_least_zero: (&[f64], &[f64]) = (
            &[0.0, -0.0, tiny, 1.0, 1e300, f64::MAX],
            &[-tiny, -1.0, -f64::MAX],
        );
        let cases: [(HyperName, &[f64], &[f64]); 12] = [
            (HyperName::Lr, at_least_zero.0, at_least_zero.1),
            (HyperName::WeightDecay, at_least_zero.0, at_least_zero.1),
            (HyperName::LrDecay, at_least_zero.0, at_least_zero.1),
            (
                HyperName::InitialAccumulator,
                at_least_zero.0,
                at_least_zero.1,
            ),
            (HyperName::MomentumDecay, at_least_zero.0, at_least_zero.1),
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
            (
                HyperName::Dampening,
                &[0.0, 0.5, 1.0],
                &[1.0 + f64::EPSILON, -tiny],
            ),
            (
                HyperName::Rho,
                &[0.0, 0.9, 1.0],
                &[1.0 + f64::EPSILON, -tiny],
            ),
        ];
        for (name, good, bad) in cases {
            for &v in good {
                assert_eq!(
                    name.check(Num(v)),
                    Ok(()),
                    "{} = {v:e} refused",
                    name.name()
                );
            }
            for &v in bad.iter().chain(&always_bad) {
                let e = name
                    .check(Num(v))
                    .expect_err(&format!("{} = {v:e} accepted", name.name()));
                assert_eq!(e.option, name.name());
            }
            assert!(name.check(Flag(true)).is_err() && name.check(Pair(0.5, 2.0)).is_err());
        }
        // Rprop's η₋ ∈ (0, 1) and η₊ > 1; its step bounds 0 ≤ Γmin ≤ Γmax, finite.
        let etas = |a, b| HyperName::Etas.check(Pair(a, b)).is_ok();
        assert!(etas(0.5, 1.2) && etas(tiny, 1.0 + f64::EPSILON) && etas(below_one, 1e300));
        assert!(!etas(0.0, 1.2) && !etas(1.0, 1.2) && !etas(0.5, 1.0) && !etas(0.5, f64::INFINITY));
        assert!(!etas(f64::NAN, 1.2) && !etas(0.5, f64::NAN));
        let bounds = |a, b| HyperName::StepSizes.check(Pair(a, b)).is_ok();
        assert!(bounds(0.0, 0.0) && bounds(1e-6, 50.0) && bounds(2.0, 2.0));
        assert!(!bounds(-tiny, 1.0) && !bounds(1.0, 0.5) && !bounds(0.0, f64::INFINITY));
        assert!(!bounds(f64::NAN, 1.0) && !bounds(0.0, f64::NAN));
        assert!(HyperName::Etas.check(Num(0.5)).is_err());
        for flag in [
            HyperName::Amsgrad,
            HyperName::Centered,
            HyperName::Decoupled,
        ] {
            assert!(flag.check(Flag(true)).is_ok() && flag.check(Flag(false)).is_ok());
            assert_eq!(flag.check(Num(1.0)).unwrap_err().option, flag.name());
        }
    }

    /// The error says which range the value missed and what the value was, so the user can fix it.
    #[test]
    fn check_errors_say_the_range_and_the_value() {
        let message = |name: HyperName, v: HyperValue| name.check(v).unwrap_err().message;
        assert_eq!(
            message(HyperName::Lr, Num(-1.0)),
            "must be a finite number ≥ 0 (got -1)"
        );
        assert_eq!(
            message(HyperName::Eps, Num(0.0)),
            "must be a finite number > 0 (got 0)"
        );
        assert_eq!(
            message(HyperName::Beta1, Num(1.0)),
            "must be in [0, 1) (got 1)"
        );
        assert_eq!(
            message(HyperName::Etas, Pair(0.5, 0.9)),
            "must be two numbers η₋,η₊ with 0 < η₋ < 1 < η₊ (got 0.5,0.9)"
        );
        assert_eq!(
            message(HyperName::Amsgrad, Num(2.0)),
            "must be true or false (got 2)"
        );
    }

    /// A hyper-parameter set is read back as it was set, and a bad value leaves it unchanged.
    #[test]
    fn set_and_get_agree() {
        let mut h = Hyper::defaults(OptimizerKind::Rprop);
        let values = [
            (HyperName::Lr, Num(0.25)),
            (HyperName::Momentum, Num(0.5)),
            (HyperName::Dampening, Num(0.25)),
            (HyperName::Beta1, Num(0.75)),
            (HyperName::Beta2, Num(0.875)),
            (HyperName::Eps, Num(1e-3)),
            (HyperName::Decay, Num(0.625)),
            (HyperName::Rho, Num(0.375)),
            (HyperName::WeightDecay, Num(0.125)),
            (HyperName::LrDecay, Num(0.0625)),
            (HyperName::InitialAccumulator, Num(0.5)),
            (HyperName::MomentumDecay, Num(0.01)),
            (HyperName::Etas, Pair(0.25, 1.5)),
            (HyperName::StepSizes, Pair(1e-3, 2.0)),
            (HyperName::Amsgrad, Flag(true)),
            (HyperName::Centered, Flag(true)),
            (HyperName::Decoupled, Flag(true)),
            (HyperName::HistorySize, Num(7.0)),
            (HyperName::LineSearch, HyperValue::Choice("strong_wolfe")),
        ];
        assert_eq!(values.len(), HyperName::ALL.len());
        for (name, v) in values {
            assert_ne!(h.get(name), v, "{}", name.name());
            h.set(name, v).unwrap();
            assert_eq!(h.get(name), v, "{}", name.name());
            let before = h;
            assert!(h.set(name, Num(f64::NAN)).is_err());
            assert_eq!(h, before);
        }
        for (name, v) in values {
            assert_eq!(h.get(name), v, "{} was changed by another", name.name());
        }
    }

    /// Every hyper-parameter has its own name, CLI flag and symbol; each optimizer's rule names
    /// every hyper-parameter it takes by the symbol its control carries (a flag changes the
    /// rule instead), and no two optimizers have the same rule.
    #[test]
    fn rules_name_the_hyper_parameters_by_their_symbols() {
        let names: Vec<&str> = HyperName::ALL.iter().map(|h| h.name()).collect();
        let symbols: Vec<&str> = HyperName::ALL
            .iter()
            .map(|h| h.symbol())
            .filter(|s| !s.is_empty())
            .collect();
        for (i, s) in symbols.iter().enumerate() {
            assert!(!symbols[..i].contains(s), "{symbols:?}");
        }
        for (i, s) in names.iter().enumerate() {
            assert!(!names[..i].contains(s), "{names:?}");
        }
        assert_eq!(HyperName::WeightDecay.flag(), "--weight-decay");
        // Everything switched on, so every part of every rule shows.
        let on = Hyper {
            dampening: 0.5,
            weight_decay: 0.1,
            lr_decay: 0.1,
            initial_accumulator: 0.1,
            momentum: 0.5,
            amsgrad: true,
            centered: true,
            decoupled: true,
            ..Hyper::defaults(OptimizerKind::Sgd)
        };
        for k in OptimizerKind::ALL {
            let rule = k.rule(&on);
            for h in k.hypers() {
                assert_eq!(
                    matches!(h.kind(), HyperKind::Flag | HyperKind::Choice),
                    h.symbol().is_empty(),
                    "{}",
                    h.name()
                );
                assert!(rule.contains(h.symbol()), "{k:?}: {rule}");
            }
            // A flag changes the rule: off, the rule is another.
            for &h in k.hypers().iter().filter(|h| h.kind() == HyperKind::Flag) {
                let mut off = on;
                off.set(h, Flag(false)).unwrap();
                assert_ne!(k.rule(&off), rule, "{k:?}: {}", h.name());
            }
        }
        let rules: Vec<String> = OptimizerKind::ALL.iter().map(|k| k.rule(&on)).collect();
        for (i, r) in rules.iter().enumerate() {
            assert!(!rules[..i].contains(r), "{rules:?}");
        }
        // Off by default: the plain rules a course writes first.
        let sgd = OptimizerKind::Sgd;
        assert_eq!(sgd.rule(&Hyper::defaults(sgd)), "θ ← θ − γg");
        assert_eq!(
            OptimizerKind::Momentum.rule(&Hyper::defaults(OptimizerKind::Momentum)),
            "b ← μb + g;  θ ← θ − γb"
        );
        assert!(OptimizerKind::Adamw
            .rule(&Hyper::defaults(OptimizerKind::Adamw))
            .starts_with("θ ← θ(1 − γλ);  "));
    }

    #[test]
    fn unused_hyper_parameters_are_not_checked() {
        let h = Hyper {
            beta1: 7.0,
            ..Hyper::defaults(OptimizerKind::Sgd)
        };
        assert!(OptimizerKind::Sgd.build(&h, 2).is_ok());
    }

    /// torch's defaults: γ per class (SGD 1e-3, Adagrad and RMSprop 1e-2, NAdam and Adamax 2e-3,
    /// Adadelta 1, Rprop 1e-2), ε (Adagrad 1e-10, Adadelta 1e-6), AdamW's λ = 0.01, RMSprop's
    /// μ = 0; and switching optimizer keeps what the student set except where defaults differ.
    #[test]
    fn defaults_are_torchs_and_switching_resets_only_what_differs() {
        use OptimizerKind as K;
        let lr = |k| Hyper::defaults(k).lr;
        assert_eq!(
            K::ALL.map(lr),
            [
                1e-3, 1e-3, 1e-3, 1e-2, 1e-2, 1e-3, 1e-3, 2e-3, 1e-3, 2e-3, 1.0, 1e-2, 1.0, 1.0,
                1.0
            ]
        );
        assert_eq!(Hyper::defaults(K::Adadelta).eps, 1e-6);
        assert_eq!(Hyper::defaults(K::Adamw).weight_decay, 0.01);
        assert_eq!(Hyper::defaults(K::Adam).weight_decay, 0.0);
        assert_eq!(Hyper::defaults(K::Rmsprop).momentum, 0.0);
        let mut h = Hyper::defaults(K::Momentum);
        h.lr = 0.05;
        h.momentum = 0.5;
        h.beta1 = 0.8;
        let r = h.switched(K::Momentum, K::Nesterov);
        assert_eq!((r.lr, r.momentum, r.beta1), (0.05, 0.5, 0.8));
        let r = h.switched(K::Momentum, K::Rmsprop);
        assert_eq!((r.lr, r.momentum, r.eps), (0.05, 0.0, 1e-8));
        let r = h.switched(K::Momentum, K::Adamw);
        assert_eq!((r.lr, r.weight_decay, r.beta1), (0.05, 0.01, 0.8));
        let r = r.switched(K::Adamw, K::Adagrad);
        assert_eq!((r.weight_decay, r.eps), (0.0, 1e-10));
    }
}
