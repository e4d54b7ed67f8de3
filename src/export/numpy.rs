//! A run as a standalone NumPy script, for teaching: f and its gradient written out (no
//! autograd), each update rule in plain NumPy one state update a line, in torch's order of
//! operations, the schedule's recursion and the clipping in a few lines each. It prints the same
//! CSV as `gdviz trace`; the last digits may differ, since gdviz (like torch's CPU kernels) fuses
//! some multiply-adds and NumPy rounds each operation.

use super::batches;
use crate::error::Error;
use crate::format::python_repr;
use crate::optim::{HyperName, OptimizerKind, ARMIJO_C, MAX_HALVINGS};
use crate::run::RunConfig;
use crate::schedule::{Anneal, Schedule, ThresholdMode};
use crate::surface::Surface;
use crate::variant::Variant;

/// A script being written: lines of Python.
#[derive(Default)]
struct Py(String);

impl Py {
    /// Appends `text` and a newline.
    fn line(&mut self, text: impl AsRef<str>) {
        self.0.push_str(text.as_ref());
        self.0.push('\n');
    }

    /// Appends each line (of each string) indented by `indent` spaces.
    fn lines(&mut self, indent: usize, lines: &[String]) {
        // An empty string is a blank line (`str::lines` would yield none).
        for l in lines.iter().flat_map(|l| l.split('\n')) {
            if l.is_empty() {
                self.line("");
            } else {
                self.line(format!("{}{l}", " ".repeat(indent)));
            }
        }
    }

    /// Two blank lines, between top-level definitions.
    fn gap(&mut self) {
        self.0.push_str("\n\n");
    }
}

fn n(v: f64) -> String {
    python_repr(v)
}

/// The script for `cfg`'s run on `surface`, or why there is none.
pub fn numpy_script(surface: &dyn Surface, cfg: &RunConfig) -> Result<String, Error> {
    let code = super::exportable(surface, cfg, surface.numpy_code())?;
    if cfg.optimizer == OptimizerKind::Lbfgs {
        return Err(Error::new(
            "optimizer",
            "L-BFGS has no NumPy export (its two-loop recursion and line search are torch's own); choose PyTorch (--lang torch)",
        ));
    }
    // What torch steps: plain SGD becomes momentum SGD when OneCycleLR cycles the momentum.
    let kind = cfg.stepped_as();
    let h = cfg.stepped_hyper();
    let mut s = Py::default();
    s.line(super::title(surface, cfg, code.params, code.examples));
    s.line("# In plain NumPy.");
    for l in [
        "# No autograd: f's gradient is written out, and the update is torch.optim's, operation for",
        "# operation. Prints step,x,y,loss,lr as `gdviz trace` does (lr: the learning rate of the step",
        "# that led to the row). gdviz fuses some multiply-adds as torch's CPU kernels do and NumPy",
        "# rounds each operation, so the last digits may differ (within about 1e-12 relative unless",
        "# the run is chaotic).",
        "import math",
        "",
        "import numpy as np",
        "",
        "np.seterr(all=\"ignore\")  # NaN and ±inf are values here, as in gdviz: a run ends at one",
    ] {
        s.line(l);
    }
    s.gap();
    s.0.push_str(&super::define_f(
        &code.helpers,
        code.params,
        "theta",
        &code.value,
        code.examples,
    ));
    s.gap();
    if code.examples.is_some() {
        s.line("def grad_f(theta, batch=ALL):");
        s.line("    \"\"\"∇f of the examples `batch` = (∂f/∂θ₀, ∂f/∂θ₁), derived by hand.\"\"\"");
    } else {
        s.line("def grad_f(theta):");
        s.line("    \"\"\"∇f = (∂f/∂x, ∂f/∂y), derived by hand.\"\"\"");
    }
    s.line(format!("    {} = theta", code.params));
    s.lines(4, &code.gradient);
    if kind == OptimizerKind::Newton {
        s.gap();
        s.line("def hessian_f(theta):");
        s.line(if code.examples.is_some() {
            "    \"\"\"The Hessian of f over every example: [[∂²f/∂θ₀², ∂²f/∂θ₀∂θ₁], [∂²f/∂θ₁∂θ₀, ∂²f/∂θ₁²]].\"\"\""
        } else {
            "    \"\"\"The Hessian of f: [[∂²f/∂x², ∂²f/∂x∂y], [∂²f/∂y∂x, ∂²f/∂y²]].\"\"\""
        });
        s.line(format!("    {} = theta", code.params));
        s.lines(4, &code.hessian);
    }
    s.gap();
    let rule = Rule::of(kind, &h, cfg);
    s.line(format!("# {}'s hyper-parameters.", kind.title()));
    s.lines(0, &rule.hypers);
    let schedule = Sched::of(&cfg.schedule, momentum_name(kind));
    if !schedule.setup.is_empty() {
        s.line("");
        s.lines(0, &schedule.setup);
    }
    if !rule.state.is_empty() {
        s.line("");
        s.line("# The optimizer's state.");
        s.lines(0, &rule.state);
    }
    let view = surface.view();
    let (w, hgt) = (view.x.1 - view.x.0, view.y.1 - view.y.0);
    let far = crate::surface::View::FAR;
    s.line("");
    s.line(format!(
        "# A step that lands more than {} view widths outside x ∈ [{}, {}], y ∈ [{}, {}] ends the run",
        n(far),
        n(view.x.0),
        n(view.x.1),
        n(view.y.0),
        n(view.y.1)
    ));
    s.line("# (it is printed, then the loop stops); a non-finite one ends it unprinted.");
    s.line(format!(
        "X_OK = ({}, {})",
        n(view.x.0 - far * w),
        n(view.x.1 + far * w)
    ));
    s.line(format!(
        "Y_OK = ({}, {})",
        n(view.y.0 - far * hgt),
        n(view.y.1 + far * hgt)
    ));
    let mut b = String::new();
    batches(&mut b, surface, cfg)?;
    s.0.push_str(&b);
    s.gap();
    gradient(&mut s, surface, cfg)?;
    s.gap();
    s.line("def row(step, theta, loss, lr):");
    s.line(
        "    \"\"\"One line of the CSV, floats as Python's repr writes them (as gdviz does).\"\"\"",
    );
    s.line("    x, y = float(theta[0]), float(theta[1])");
    s.line("    print(f\"{step},{x!r},{y!r},{float(loss)!r},{'' if lr is None else repr(float(lr))}\")");
    s.gap();
    s.line(format!(
        "theta = np.array([{}, {}])",
        n(cfg.start[0]),
        n(cfg.start[1])
    ));
    s.line("print(\"step,x,y,loss,lr\")");
    s.line("row(0, theta, f(theta), None)");
    s.line(format!("for step in range(1, {} + 1):", cfg.steps));
    s.line("    g = gradient(theta, step)");
    s.line("    if not np.isfinite(g).all():");
    s.line("        break");
    if let Some(c) = cfg.clip.norm {
        s.line(format!(
            "    # clip_grad_norm_(max_norm={}): g scaled by min(1, max_norm / (‖g‖ + 1e-6))",
            n(c)
        ));
        s.line("    norm = np.sqrt(np.sum(g * g))  # ‖g‖");
        s.line(format!("    g = g * min({} / (norm + 1e-6), 1.0)", n(c)));
    }
    if let Some(c) = cfg.clip.value {
        s.line(format!(
            "    g = np.clip(g, -{0}, {0})  # clip_grad_value_: each coordinate into [-{0}, {0}]",
            n(c)
        ));
    }
    // The rule as it reads with the momentum a schedule cycles (RMSprop's, when above 0).
    let mut shown = h;
    if cfg.schedule.cycles_momentum() && kind == OptimizerKind::Rmsprop {
        shown.momentum = momentum_range(cfg, h.momentum).1;
    }
    s.line(format!("    # {}: {}", kind.title(), kind.rule(&shown)));
    s.lines(4, &rule.update);
    s.line("    loss = f(theta)");
    s.line("    if not (np.isfinite(theta).all() and np.isfinite(loss)):");
    s.line("        break");
    s.line(format!(
        "    row(step, theta, loss, {})",
        if kind == OptimizerKind::Linesearch {
            "taken"
        } else {
            "lr"
        }
    ));
    s.line("    if not (X_OK[0] <= theta[0] <= X_OK[1] and Y_OK[0] <= theta[1] <= Y_OK[1]):");
    s.line("        break");
    if !schedule.step.is_empty() {
        s.lines(4, &schedule.step);
    }
    Ok(s.0)
}

/// `def gradient(theta, step)`: ∇f, plus the mean tilt of the step's terms for a stochastic or
/// mini-batch run (the terms and batches [`batches`] wrote).
fn gradient(s: &mut Py, surface: &dyn Surface, cfg: &RunConfig) -> Result<(), Error> {
    s.line("def gradient(theta, step):");
    if cfg.variant == Variant::Batch {
        s.line("    \"\"\"The gradient step `step` takes: the full ∇f.\"\"\"");
        s.line("    return grad_f(theta)");
        return Ok(());
    }
    let sum = crate::variant::FiniteSum::new(
        surface,
        cfg.noise.unwrap_or_else(|| surface.default_noise()),
    )?;
    let sampler = crate::variant::Sampler::new(cfg.variant, sum.len(), cfg.batch, cfg.seed)?;
    if sum.tilts().is_empty() {
        s.line("    \"\"\"The gradient step `step` takes: that of the mean loss of its batch of examples.\"\"\"");
        s.line("    return grad_f(theta, sorted(batch_of(step)))");
        return Ok(());
    }
    s.line("    \"\"\"The gradient step `step` takes: ∇f plus the mean tilt of its batch of terms.\"\"\"");
    if sampler.batch_size() >= sum.len() {
        // A batch of every term is the full gradient exactly (the tilts sum to 0).
        s.line("    return grad_f(theta)  # every term: the tilts cancel");
        return Ok(());
    }
    s.line("    batch = sorted(batch_of(step))");
    s.line("    tilt = [sum(TILTS[i][0] for i in batch) / len(batch), sum(TILTS[i][1] for i in batch) / len(batch)]");
    s.line("    return grad_f(theta) + np.array(tilt)");
    Ok(())
}

/// The name of the momentum OneCycleLR cycles for `kind`: `momentum` (μ) or `beta1`.
fn momentum_name(kind: OptimizerKind) -> &'static str {
    match kind.momentum_hyper() {
        Some(HyperName::Beta1) => "beta1",
        _ => "momentum",
    }
}

/// The smallest and largest value the momentum μ or β₁ takes in `cfg`'s run: `own`, or the range
/// OneCycleLR cycles it over.
fn momentum_range(cfg: &RunConfig, own: f64) -> (f64, f64) {
    match cfg.schedule {
        Schedule::OneCycle {
            cycle_momentum: true,
            base_momentum,
            max_momentum,
            ..
        } => (
            base_momentum.min(max_momentum),
            base_momentum.max(max_momentum),
        ),
        _ => (own, own),
    }
}

/// `var ← lerp(var, target, 1 − decay)` as torch.lerp computes it: var + w(target − var) for a
/// weight w below ½, target − (target − var)(1 − w) from ½ on; `decay` ranges over `range`.
fn lerp(var: &str, target: &str, decay: &str, range: (f64, f64), rule: &str) -> String {
    let small = |d: f64| (1.0 - d).abs() < 0.5;
    let below = format!("{var} + (1 - {decay}) * ({target} - {var})");
    let above = format!("{target} - ({target} - {var}) * {decay}");
    match (small(range.0), small(range.1)) {
        (true, true) => format!("{var} = {below}  # {rule} (torch.lerp)"),
        (false, false) => format!("{var} = {above}  # {rule} (torch.lerp, weight ≥ ½)"),
        _ => format!("{var} = {below} if 1 - {decay} < 0.5 else {above}  # {rule} (torch.lerp)"),
    }
}

/// An optimizer written out: its hyper-parameters, its state and one step's update.
struct Rule {
    hypers: Vec<String>,
    state: Vec<String>,
    update: Vec<String>,
}

impl Rule {
    fn of(kind: OptimizerKind, h: &crate::optim::Hyper, cfg: &RunConfig) -> Rule {
        use OptimizerKind as K;
        let mut hypers = vec![format!("lr = {}  # γ, the learning rate", n(h.lr))];
        let mut state: Vec<String> = Vec::new();
        let mut update: Vec<String> = Vec::new();
        let takes = |name| kind.hypers().contains(&name);
        let wd = takes(HyperName::WeightDecay) && h.weight_decay != 0.0;
        if wd {
            hypers.push(format!("weight_decay = {}  # λ", n(h.weight_decay)));
            update.push(if kind.decoupled(h) {
                "theta = theta * (1 - lr * weight_decay)  # θ ← θ(1 − γλ): decoupled weight decay"
                    .into()
            } else {
                "g = g + weight_decay * theta  # g ← g + λθ".into()
            });
        }
        let cycled = cfg.schedule.cycles_momentum();
        let mu_range = momentum_range(cfg, h.momentum);
        let beta1_range = momentum_range(cfg, h.beta1);
        let comment = |name: &str, text: &str| {
            if cycled && name == momentum_name(kind) {
                format!("{text} (set each step by OneCycleLR below)")
            } else {
                text.to_string()
            }
        };
        let moments = |hypers: &mut Vec<String>, state: &mut Vec<String>| {
            hypers.push(format!(
                "beta1, beta2 = {}, {}  # {}",
                n(h.beta1),
                n(h.beta2),
                comment("beta1", "β₁, β₂: how slowly the moments forget")
            ));
            hypers.push(format!("eps = {}  # ε", n(h.eps)));
            state.push("m = np.zeros(2)  # the first moment: a running mean of g".into());
            state.push("v = np.zeros(2)  # the second moment: a running mean of g²".into());
        };
        let adam_moments = |update: &mut Vec<String>| {
            update.push(lerp("m", "g", "beta1", beta1_range, "m ← β₁m + (1−β₁)g"));
            update.push("v = v * beta2 + (1 - beta2) * g * g  # v ← β₂v + (1−β₂)g²".into());
        };
        match kind {
            K::Sgd => update.push("theta = theta - lr * g  # θ ← θ − γg".into()),
            K::Momentum | K::Nesterov => {
                hypers.push(format!(
                    "momentum = {}  # {}",
                    n(h.momentum),
                    comment("momentum", "μ")
                ));
                let tau = kind == K::Momentum && h.dampening != 0.0;
                if tau {
                    hypers.push(format!("dampening = {}  # τ", n(h.dampening)));
                }
                state.push("b = np.zeros(2)  # the momentum buffer".into());
                update.push(if tau {
                    "b = g if step == 1 else momentum * b + (1 - dampening) * g  # b ← μb + (1−τ)g, b₁ = g".into()
                } else {
                    "b = g if step == 1 else momentum * b + g  # b ← μb + g, b₁ = g".into()
                });
                update.push(if kind == K::Nesterov {
                    "theta = theta - lr * (g + momentum * b)  # θ ← θ − γ(g + μb)".into()
                } else {
                    "theta = theta - lr * b  # θ ← θ − γb".into()
                });
            }
            K::Adagrad => {
                hypers.push(format!("eps = {}  # ε", n(h.eps)));
                let decay = h.lr_decay != 0.0;
                if decay {
                    hypers.push(format!("lr_decay = {}  # η", n(h.lr_decay)));
                }
                state.push(format!(
                    "s = np.full(2, {})  # the sum of squared gradients, from s₀",
                    n(h.initial_accumulator)
                ));
                update.push("s = s + g * g  # s ← s + g²".into());
                if decay {
                    update.push(
                        "clr = lr / (1 + (step - 1) * lr_decay)  # γₜ = γ/(1 + (t−1)η)".into(),
                    );
                    update.push(
                        "theta = theta - clr * g / (np.sqrt(s) + eps)  # θ ← θ − γₜg / (√s + ε)"
                            .into(),
                    );
                } else {
                    update.push(
                        "theta = theta - lr * g / (np.sqrt(s) + eps)  # θ ← θ − γg / (√s + ε)"
                            .into(),
                    );
                }
            }
            K::Rmsprop => {
                hypers.push(format!("alpha = {}  # α", n(h.decay)));
                hypers.push(format!("eps = {}  # ε", n(h.eps)));
                state.push("v = np.zeros(2)  # a running mean of g²".into());
                update.push("v = v * alpha + (1 - alpha) * g * g  # v ← αv + (1−α)g²".into());
                if h.centered {
                    state.push("g_avg = np.zeros(2)  # ḡ, a running mean of g".into());
                    update.push(lerp(
                        "g_avg",
                        "g",
                        "alpha",
                        (h.decay, h.decay),
                        "ḡ ← αḡ + (1−α)g",
                    ));
                    update.push("avg = np.sqrt(v - g_avg * g_avg) + eps  # √(v − ḡ²) + ε".into());
                } else {
                    update.push("avg = np.sqrt(v) + eps  # √v + ε".into());
                }
                let with_b = "b = momentum * b + g / avg  # b ← μb + g / avg";
                let plain = "theta = theta - lr * g / avg  # θ ← θ − γg / avg";
                if mu_range.1 > 0.0 {
                    hypers.push(format!(
                        "momentum = {}  # {}",
                        n(h.momentum),
                        comment("momentum", "μ")
                    ));
                    state.push("b = np.zeros(2)  # the momentum buffer".into());
                }
                if mu_range.0 > 0.0 {
                    update.push(with_b.into());
                    update.push("theta = theta - lr * b  # θ ← θ − γb".into());
                } else if mu_range.1 > 0.0 {
                    // OneCycleLR cycles μ through 0: torch steps with the buffer only above it.
                    update.push("if momentum > 0:".into());
                    update.push(format!("    {with_b}"));
                    update.push("    theta = theta - lr * b  # θ ← θ − γb".into());
                    update.push("else:".into());
                    update.push(format!("    {plain}"));
                } else {
                    update.push(plain.into());
                }
            }
            K::Adam | K::Adamw => {
                moments(&mut hypers, &mut state);
                if h.amsgrad {
                    state.push("v_max = np.zeros(2)  # AMSGrad: the largest v so far".into());
                }
                adam_moments(&mut update);
                update.push("bias_correction1 = 1 - beta1 ** step  # 1 − β₁ᵗ".into());
                update.push("bias_correction2 = 1 - beta2 ** step  # 1 − β₂ᵗ".into());
                let v = if h.amsgrad {
                    update.push("v_max = np.maximum(v_max, v)  # v̄ ← max(v̄, v)".into());
                    "v_max"
                } else {
                    "v"
                };
                update.push(format!(
                    "denom = np.sqrt({v}) / bias_correction2 ** 0.5 + eps  # √({v}/(1−β₂ᵗ)) + ε"
                ));
                update.push(
                    "theta = theta - lr / bias_correction1 * m / denom  # θ ← θ − γ(m/(1−β₁ᵗ)) / denom"
                        .into(),
                );
            }
            K::Nadam => {
                moments(&mut hypers, &mut state);
                hypers.push(format!("momentum_decay = {}  # ψ", n(h.momentum_decay)));
                state.push("mu_product = 1.0  # μ₁μ₂⋯μₜ".into());
                update.push("bias_correction2 = 1 - beta2 ** step  # 1 − β₂ᵗ".into());
                update.push("mu = beta1 * (1 - 0.5 * 0.96 ** (step * momentum_decay))  # μₜ = β₁(1 − ½·0.96^(tψ))".into());
                update.push(
                    "mu_next = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))  # μₜ₊₁"
                        .into(),
                );
                update.push("mu_product = mu_product * mu".into());
                adam_moments(&mut update);
                update
                    .push("denom = np.sqrt(v / bias_correction2) + eps  # √(v/(1−β₂ᵗ)) + ε".into());
                update.push("theta = theta - lr * (1 - mu) / (1 - mu_product) * g / denom  # the gradient's share".into());
                update.push("theta = theta - lr * mu_next / (1 - mu_product * mu_next) * m / denom  # the momentum's".into());
            }
            K::Radam => {
                moments(&mut hypers, &mut state);
                adam_moments(&mut update);
                update.push("bias_correction1 = 1 - beta1 ** step  # 1 − β₁ᵗ".into());
                update.push("bias_correction2 = 1 - beta2 ** step  # 1 − β₂ᵗ".into());
                update.push("m_hat = m / bias_correction1  # m/(1−β₁ᵗ)".into());
                update.push("rho_inf = 2 / (1 - beta2) - 1  # ρ∞".into());
                update.push("rho_t = rho_inf - 2 * step * beta2 ** step / bias_correction2  # ρₜ: how tractable v's variance is".into());
                update.push("if rho_t > 5:  # rectified: the adaptive step, scaled by rₜ".into());
                update.push("    rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5".into());
                update
                    .push("    adaptive = 1 / (np.sqrt(v) + eps) * bias_correction2 ** 0.5".into());
                update.push("    theta = theta - m_hat * lr * adaptive * rect".into());
                update.push("else:  # too early: momentum SGD with the corrected m".into());
                update.push("    theta = theta - m_hat * lr".into());
            }
            K::Adamax => {
                hypers.push(format!(
                    "beta1, beta2 = {}, {}  # {}",
                    n(h.beta1),
                    n(h.beta2),
                    comment("beta1", "β₁, β₂")
                ));
                hypers.push(format!("eps = {}  # ε", n(h.eps)));
                state.push("m = np.zeros(2)  # the first moment".into());
                state.push("u = np.zeros(2)  # an exponentially weighted max of |g|".into());
                update.push(lerp("m", "g", "beta1", beta1_range, "m ← β₁m + (1−β₁)g"));
                update.push(
                    "u = np.maximum(u * beta2, np.abs(g) + eps)  # u ← max(β₂u, |g| + ε)".into(),
                );
                update.push("clr = lr / (1 - beta1 ** step)  # γ/(1−β₁ᵗ)".into());
                update.push("theta = theta - clr * m / u  # θ ← θ − γm / ((1−β₁ᵗ)u)".into());
            }
            K::Adadelta => {
                hypers.push(format!("rho = {}  # ρ", n(h.rho)));
                hypers.push(format!("eps = {}  # ε", n(h.eps)));
                state.push("v = np.zeros(2)  # a running mean of g²".into());
                state.push("u = np.zeros(2)  # a running mean of Δ²".into());
                update.push("v = v * rho + (1 - rho) * g * g  # v ← ρv + (1−ρ)g²".into());
                update.push(
                    "delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g  # Δ = g·√(u + ε)/√(v + ε)"
                        .into(),
                );
                update.push("u = u * rho + (1 - rho) * delta * delta  # u ← ρu + (1−ρ)Δ²".into());
                update.push("theta = theta - lr * delta  # θ ← θ − γΔ".into());
            }
            K::Rprop => {
                hypers.push(format!(
                    "eta_minus, eta_plus = {}, {}  # η₋, η₊",
                    n(h.etas[0]),
                    n(h.etas[1])
                ));
                hypers.push(format!(
                    "step_min, step_max = {}, {}  # Γmin, Γmax",
                    n(h.step_sizes[0]),
                    n(h.step_sizes[1])
                ));
                state
                    .push("step_size = np.full(2, lr)  # Γ: each coordinate's step, from γ".into());
                state.push("prev = np.zeros(2)  # the last step's gradient".into());
                update.push(
                    "sign = np.sign(g * prev)  # 1: g kept its sign, -1: it flipped, 0: either is 0"
                        .into(),
                );
                update.push(
                    "factor = np.where(sign > 0, eta_plus, np.where(sign < 0, eta_minus, 1.0))"
                        .into(),
                );
                update.push(
                    "step_size = np.clip(step_size * factor, step_min, step_max)  # Γ ← clamp(ηΓ)"
                        .into(),
                );
                update.push("g = np.where(sign < 0, 0.0, g)  # no step where it flipped".into());
                update.push("theta = theta - np.sign(g) * step_size  # θ ← θ − Γ·sign(g)".into());
                update.push("prev = g".into());
            }
            K::Newton => {
                update.push("try:".into());
                update.push("    p = np.linalg.solve(hessian_f(theta), g)  # H⁻¹g".into());
                update.push("except np.linalg.LinAlgError:".into());
                update.push("    break  # H is singular: there is no Newton step".into());
                update.push("theta = theta - lr * p".into());
            }
            K::Linesearch => {
                update.push("f0, gg = f(theta), np.sum(g * g)  # f(θ), ‖g‖²".into());
                update.push(
                    "taken, trial_lr = 0.0, lr  # the step size accepted (0: none, θ stays)".into(),
                );
                update.push(format!("for halvings in range({MAX_HALVINGS} + 1):"));
                update.push("    trial = theta - trial_lr * g".into());
                update.push(format!(
                    "    if f(trial) <= f0 - {} * trial_lr * gg:  # Armijo: enough decrease",
                    n(ARMIJO_C)
                ));
                update.push("        theta, taken = trial, trial_lr".into());
                update.push("        break".into());
                update.push("    trial_lr = trial_lr / 2".into());
            }
            K::Lbfgs => unreachable!("refused above"),
        }
        Rule {
            hypers,
            state,
            update,
        }
    }
}

/// A schedule written out: its constants and state (with torch's initial step), and what
/// follows each optimizer step (`scheduler.step()`), which sets `lr` (and the cycled momentum)
/// for the next.
struct Sched {
    setup: Vec<String>,
    step: Vec<String>,
}

impl Sched {
    fn of(schedule: &Schedule, momentum: &str) -> Sched {
        let mut setup: Vec<String> = Vec::new();
        let mut step: Vec<String> = Vec::new();
        match schedule {
            Schedule::Constant => {}
            Schedule::Step { step_size, gamma } => {
                setup.push(format!(
                    "# StepLR: γ times {} every {step_size} steps.",
                    n(*gamma)
                ));
                setup.push(format!("gamma, step_size = {}, {step_size}", n(*gamma)));
                step.push("if step % step_size == 0:  # StepLR".into());
                step.push("    lr = lr * gamma".into());
            }
            Schedule::MultiStep { milestones, gamma } => {
                setup.push("# MultiStepLR: γ times gamma at each milestone.".into());
                setup.push(format!("gamma, milestones = {}, {milestones:?}", n(*gamma)));
                step.push("if step in milestones:  # MultiStepLR".into());
                step.push("    lr = lr * gamma ** milestones.count(step)".into());
            }
            Schedule::Exponential { gamma } => {
                setup.push(format!(
                    "gamma = {}  # ExponentialLR: γ times gamma every step",
                    n(*gamma)
                ));
                step.push("lr = lr * gamma  # ExponentialLR".into());
            }
            Schedule::Cosine { t_max, eta_min } => {
                setup.push("# CosineAnnealingLR, in torch's recursive form: from γ down to eta_min over T_max steps".into());
                setup.push("# (and back up past T_max).".into());
                setup.push(format!(
                    "base_lr, T_max, eta_min = lr, {t_max}, {}",
                    n(*eta_min)
                ));
                step.push("if (step - 1 - T_max) % (2 * T_max) == 0:  # CosineAnnealingLR".into());
                step.push(
                    "    lr = lr + (base_lr - eta_min) * (1 - math.cos(math.pi / T_max)) / 2"
                        .into(),
                );
                step.push("else:".into());
                step.push("    lr = (1 + math.cos(math.pi * step / T_max)) / (1 + math.cos(math.pi * (step - 1) / T_max)) * (lr - eta_min) + eta_min".into());
            }
            Schedule::CosineRestarts {
                t_0,
                t_mult,
                eta_min,
            } => {
                setup.push("# CosineAnnealingWarmRestarts: cosine decays from γ to eta_min, the i-th T_0·T_multⁱ steps long.".into());
                setup.push(format!(
                    "base_lr, T_0, T_mult, eta_min = lr, {t_0}, {t_mult}, {}",
                    n(*eta_min)
                ));
                setup.push(
                    "T_i, T_cur = T_0, 0  # this decay's length, and the steps into it".into(),
                );
                let rate = "lr = eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * T_cur / T_i)) / 2";
                setup.push(rate.into());
                step.push("T_cur = T_cur + 1  # CosineAnnealingWarmRestarts".into());
                step.push("if T_cur >= T_i:  # a restart".into());
                step.push("    T_cur, T_i = T_cur - T_i, T_i * T_mult".into());
                step.push(rate.into());
            }
            Schedule::Linear {
                start_factor,
                end_factor,
                total_iters,
            } => {
                setup.push("# LinearLR: γ·start_factor changing linearly to γ·end_factor over total_iters steps.".into());
                setup.push(format!(
                    "start_factor, end_factor, total_iters = {}, {}, {total_iters}",
                    n(*start_factor),
                    n(*end_factor)
                ));
                setup.push("lr = lr * start_factor".into());
                step.push("if step <= total_iters:  # LinearLR, in torch's recursive form".into());
                step.push("    lr = lr * (1 + (end_factor - start_factor) / (total_iters * start_factor + (step - 1) * (end_factor - start_factor)))".into());
            }
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
            } => {
                setup.push("# OneCycleLR: the rate (and, cycled the other way, the momentum) annealed through".into());
                setup.push("# phases; the optimizer's own γ is not used.".into());
                setup.push(format!(
                    "max_lr, total_steps, pct_start = {}, {total_steps}, {}",
                    n(*max_lr),
                    n(*pct_start)
                ));
                setup.push(format!(
                    "div_factor, final_div_factor = {}, {}",
                    n(*div_factor),
                    n(*final_div_factor)
                ));
                setup.push(format!(
                    "base_momentum, max_momentum = {}, {}",
                    n(*base_momentum),
                    n(*max_momentum)
                ));
                setup.push("initial_lr = max_lr / div_factor".into());
                setup.push("min_lr = initial_lr / final_div_factor".into());
                setup.push(
                    "# Each phase: (its last step, the rate from → to, the momentum from → to)."
                        .into(),
                );
                setup.push("PHASES = [".into());
                setup.push("    (pct_start * total_steps - 1, initial_lr, max_lr, max_momentum, base_momentum),".into());
                if *three_phase {
                    setup.push("    (2 * pct_start * total_steps - 2, max_lr, initial_lr, base_momentum, max_momentum),".into());
                    setup.push(
                        "    (total_steps - 1, initial_lr, min_lr, max_momentum, max_momentum),"
                            .into(),
                    );
                } else {
                    setup.push(
                        "    (total_steps - 1, max_lr, min_lr, base_momentum, max_momentum),"
                            .into(),
                    );
                }
                setup.push("]".into());
                setup.push(String::new());
                setup.push(String::new());
                setup.push("def anneal(start, end, pct):".into());
                match anneal_strategy {
                    Anneal::Cos => {
                        setup.push("    \"\"\"From start (pct = 0) to end (pct = 1) along half a cosine.\"\"\"".into());
                        setup.push(
                            "    return end + (start - end) / 2 * (math.cos(math.pi * pct) + 1)"
                                .into(),
                        );
                    }
                    Anneal::Linear => {
                        setup.push(
                            "    \"\"\"From start (pct = 0) to end (pct = 1) along a line.\"\"\""
                                .into(),
                        );
                        setup.push("    return (end - start) * pct + start".into());
                    }
                }
                setup.push(String::new());
                setup.push(String::new());
                setup.push("def one_cycle(step):".into());
                setup.push(
                    "    \"\"\"The rate and momentum OneCycleLR sets after `step` steps.\"\"\""
                        .into(),
                );
                setup.push("    start_step = 0".into());
                setup.push("    for i, (end_step, lr0, lr1, m0, m1) in enumerate(PHASES):".into());
                setup.push("        if step <= end_step or i == len(PHASES) - 1:".into());
                setup
                    .push("            pct = (step - start_step) / (end_step - start_step)".into());
                setup.push("            return anneal(lr0, lr1, pct), anneal(m0, m1, pct)".into());
                setup.push("        start_step = end_step".into());
                setup.push(String::new());
                setup.push(String::new());
                let target = if *cycle_momentum {
                    format!("lr, {momentum}")
                } else {
                    "lr, _".into()
                };
                setup.push(format!("{target} = one_cycle(0)"));
                step.push(format!("{target} = one_cycle(step)  # OneCycleLR"));
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
                setup.push("# ReduceLROnPlateau(mode=\"min\"): γ times factor once f(θ) has not improved on its best".into());
                setup.push("# for more than `patience` steps.".into());
                setup.push(format!(
                    "factor, patience, threshold, cooldown = {}, {patience}, {}, {cooldown}",
                    n(*factor),
                    n(*threshold)
                ));
                setup.push(format!(
                    "min_lr, lr_eps = {}, {}  # the lowest rate; a smaller reduction is not made (torch's eps)",
                    n(*min_lr),
                    n(*eps)
                ));
                setup.push("best, num_bad_epochs, cooldown_counter = math.inf, 0, 0".into());
                step.push(match threshold_mode {
                    ThresholdMode::Rel => {
                        "if loss < best * (1 - threshold):  # ReduceLROnPlateau: better (relative)"
                            .into()
                    }
                    ThresholdMode::Abs => {
                        "if loss < best - threshold:  # ReduceLROnPlateau: better (absolute)".into()
                    }
                });
                step.push("    best, num_bad_epochs = loss, 0".into());
                step.push("else:".into());
                step.push("    num_bad_epochs = num_bad_epochs + 1".into());
                step.push("if cooldown_counter > 0:".into());
                step.push("    cooldown_counter, num_bad_epochs = cooldown_counter - 1, 0".into());
                step.push("if num_bad_epochs > patience:".into());
                step.push("    new_lr = max(lr * factor, min_lr)".into());
                step.push("    if lr - new_lr > lr_eps:".into());
                step.push("        lr = new_lr".into());
                step.push("    cooldown_counter, num_bad_epochs = cooldown, 0".into());
            }
        }
        Sched { setup, step }
    }
}
