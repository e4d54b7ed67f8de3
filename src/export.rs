//! A run as a standalone Python script that takes the same steps and prints the same CSV as
//! `gdviz trace` (`step,x,y,loss,lr`, floats as Python's `repr` writes them). In PyTorch
//! ([`torch_script`]): the surface as a torch function, a float64 parameter, the torch.optim
//! optimizer with every option spelled out, its scheduler, clipping, the exact batches of a
//! stochastic run, and the loop. In NumPy ([`numpy_script`]): the same run with the gradient and
//! every update written out.

mod numpy;

pub use numpy::numpy_script;

use crate::error::Error;
use crate::format::python_repr;
use crate::optim::{Hyper, OptimizerKind, MAX_EVAL};
use crate::run::RunConfig;
use crate::schedule::Schedule;
use crate::surface::Surface;
use crate::variant::{FiniteSum, Sampler, Variant};

/// The surface's `code` for a script of `cfg`'s run, or why there is none: a run that
/// `gdviz trace` refuses (the same checks) is never written out.
fn exportable<T>(surface: &dyn Surface, cfg: &RunConfig, code: Option<T>) -> Result<T, Error> {
    let code = code.ok_or_else(|| {
        Error::new(
            "surface",
            format!("{} has no Python code to export", surface.name()),
        )
    })?;
    crate::run::check_start(surface, cfg)?;
    crate::run::Stepper::new(surface, cfg)?;
    Ok(code)
}

/// The script's first line: the method, f, the steps and the start; and for a dataset loss, a
/// second naming θ's coordinates, which the CSV calls x and y.
fn title(surface: &dyn Surface, cfg: &RunConfig, params: &str, examples: Option<usize>) -> String {
    let (x0, y0) = (python_repr(cfg.start[0]), python_repr(cfg.start[1]));
    match examples {
        None => format!(
            "# gdviz: {} on f(x, y) = {}, {} steps from ({x0}, {y0}).",
            cfg.optimizer.title(),
            surface.formula(),
            cfg.steps
        ),
        Some(n) => format!(
            "# gdviz: {} on {}, f(θ) = {}, {} steps from θ = ({x0}, {y0}).\n# θ = ({params}): the CSV's x and y. f is the mean loss of the {n} examples below.",
            cfg.optimizer.title(),
            surface.name(),
            surface.formula(),
            cfg.steps
        ),
    }
}

/// `def f(theta)` (of a batch of examples, for a dataset loss) in `lang`'s spelling of θ's
/// coordinates, after the definitions it uses.
fn define_f(
    helpers: &str,
    params: &str,
    unpack: &str,
    value: &[String],
    examples: Option<usize>,
) -> String {
    let mut s = String::new();
    if !helpers.is_empty() {
        s.push_str(helpers);
        s.push_str("\n\n");
    }
    match examples {
        None => s.push_str("def f(theta):\n"),
        Some(_) => {
            s.push_str("def f(theta, batch=ALL):\n");
            s.push_str("    \"\"\"The mean loss of the examples `batch` (all of them unless given).\"\"\"\n");
        }
    }
    s.push_str(&format!("    {params} = {unpack}\n"));
    for l in value {
        s.push_str(&format!("    {l}\n"));
    }
    s
}

/// The script for `cfg`'s run on `surface`, or why it cannot be written.
pub fn torch_script(surface: &dyn Surface, cfg: &RunConfig) -> Result<String, Error> {
    let code = exportable(surface, cfg, surface.torch_code())?;
    let kind = cfg.optimizer;
    let h = &cfg.hyper;
    let mut s = String::new();
    let line = |s: &mut String, text: &str| {
        s.push_str(text);
        s.push('\n');
    };
    line(&mut s, &title(surface, cfg, code.params, code.examples));
    line(
        &mut s,
        "# Prints step,x,y,loss,lr as `gdviz trace` does: lr is the learning rate of the step that",
    );
    line(&mut s, "# led to the row. gdviz writes the gradient by hand and torch takes it by autograd, so the");
    line(
        &mut s,
        "# last digits may differ (within about 1e-12 relative unless the run is chaotic).",
    );
    line(&mut s, "import math");
    line(&mut s, "");
    line(&mut s, "import torch");
    if code.examples.is_some() {
        line(&mut s, "import torch.nn.functional as F");
    }
    line(&mut s, "");
    line(&mut s, "torch.set_default_dtype(torch.float64)");
    line(&mut s, "");
    s.push_str(&define_f(
        &code.helpers,
        code.params,
        "theta[0], theta[1]",
        &code.value,
        code.examples,
    ));
    line(&mut s, "");
    line(&mut s, "");
    line(
        &mut s,
        &format!(
            "theta = torch.tensor([{}, {}], requires_grad=True)",
            python_repr(cfg.start[0]),
            python_repr(cfg.start[1])
        ),
    );
    match optimizer(kind, h) {
        Some(ctor) => line(&mut s, &format!("opt = {ctor}")),
        None => line(
            &mut s,
            &format!(
                "# {} is not in torch.optim: it is written out below. This SGD only holds the\n# learning rate for the scheduler; its step is never taken.\nopt = torch.optim.SGD([theta], lr={})",
                kind.title(),
                python_repr(h.lr)
            ),
        ),
    }
    if let Some(ctor) = scheduler(&cfg.schedule) {
        line(&mut s, &format!("sched = {ctor}"));
    }
    let view = surface.view();
    let (w, hgt) = (view.x.1 - view.x.0, view.y.1 - view.y.0);
    let far = crate::surface::View::FAR;
    line(&mut s, &format!("# A step that lands more than {} view widths outside x ∈ [{}, {}], y ∈ [{}, {}] ends the run,", python_repr(far), python_repr(view.x.0), python_repr(view.x.1), python_repr(view.y.0), python_repr(view.y.1)));
    line(
        &mut s,
        "# as in gdviz (it is printed, then the loop stops); a non-finite one ends it unprinted.",
    );
    line(
        &mut s,
        &format!(
            "X_OK = ({}, {})",
            python_repr(view.x.0 - far * w),
            python_repr(view.x.1 + far * w)
        ),
    );
    line(
        &mut s,
        &format!(
            "Y_OK = ({}, {})",
            python_repr(view.y.0 - far * hgt),
            python_repr(view.y.1 + far * hgt)
        ),
    );
    batches(&mut s, surface, cfg)?;
    line(&mut s, "");
    line(&mut s, "");
    line(&mut s, "def gradient(step):");
    line(
        &mut s,
        "    \"\"\"f at theta, with theta.grad set to the step's gradient (clipped).\"\"\"",
    );
    line(&mut s, "    opt.zero_grad()");
    if code.examples.is_some() && cfg.variant != Variant::Batch {
        line(
            &mut s,
            "    # The batch's gradient: that of the mean loss of its examples.",
        );
        line(&mut s, "    loss = f(theta, sorted(batch_of(step)))");
        line(&mut s, "    loss.backward()");
    } else {
        line(&mut s, "    loss = f(theta)");
        line(&mut s, "    loss.backward()");
    }
    if code.examples.is_none() && cfg.variant != Variant::Batch {
        line(&mut s, "    # The batch's gradient: ∇f plus the mean tilt of the batch's terms (gdviz's finite sum).");
        line(&mut s, "    batch = sorted(batch_of(step))");
        line(
            &mut s,
            "    if len(batch) < len(TILTS):  # all the terms: exactly ∇f",
        );
        line(&mut s, "        tilt = [sum(TILTS[i][0] for i in batch) / len(batch), sum(TILTS[i][1] for i in batch) / len(batch)]");
        line(&mut s, "        with torch.no_grad():");
        line(&mut s, "            theta.grad += torch.tensor(tilt)");
    }
    line(
        &mut s,
        "    # A step whose gradient is not finite ends the run (before any clipping).",
    );
    line(
        &mut s,
        "    gradient.finite = bool(torch.isfinite(theta.grad).all())",
    );
    if let Some(c) = cfg.clip.norm {
        line(
            &mut s,
            &format!(
                "    torch.nn.utils.clip_grad_norm_([theta], {})",
                python_repr(c)
            ),
        );
    }
    if let Some(c) = cfg.clip.value {
        line(
            &mut s,
            &format!(
                "    torch.nn.utils.clip_grad_value_([theta], {})",
                python_repr(c)
            ),
        );
    }
    line(&mut s, "    return loss");
    line(&mut s, "");
    line(&mut s, "");
    line(&mut s, "def point():");
    line(&mut s, "    \"\"\"θ and f(θ) as Python floats.\"\"\"");
    line(&mut s, "    with torch.no_grad():");
    line(
        &mut s,
        "        return theta[0].item(), theta[1].item(), f(theta).item()",
    );
    line(&mut s, "");
    line(&mut s, "");
    line(&mut s, "def row(step, lr, x, y, loss):");
    line(
        &mut s,
        "    print(f\"{step},{x!r},{y!r},{loss!r},{'' if lr is None else repr(lr)}\")",
    );
    line(&mut s, "");
    line(&mut s, "");
    line(&mut s, "print(\"step,x,y,loss,lr\")");
    line(&mut s, "row(0, None, *point())");
    line(&mut s, &format!("for step in range(1, {} + 1):", cfg.steps));
    line(&mut s, "    gradient(step)");
    line(&mut s, "    if not gradient.finite:");
    line(&mut s, "        break");
    line(&mut s, "    lr = opt.param_groups[0][\"lr\"]");
    update(&mut s, kind);
    if let Schedule::Plateau { .. } = cfg.schedule {
        line(
            &mut s,
            "    sched.step(point()[2])  # ReduceLROnPlateau reads the loss at the new point",
        );
    } else if cfg.schedule != Schedule::Constant {
        line(&mut s, "    sched.step()");
    }
    line(&mut s, "    x, y, loss = point()");
    line(&mut s, "    if not all(map(math.isfinite, (x, y, loss))):");
    line(&mut s, "        break");
    line(&mut s, "    row(step, lr, x, y, loss)");
    line(
        &mut s,
        "    if not (X_OK[0] <= x <= X_OK[1] and Y_OK[0] <= y <= Y_OK[1]):",
    );
    line(&mut s, "        break");
    Ok(s)
}

/// The update of one step, indented for the loop's body; `lr` holds the scheduler's rate.
fn update(s: &mut String, kind: OptimizerKind) {
    let code = match kind {
        OptimizerKind::Lbfgs => {
            "    opt.step(lambda: gradient(step))  # L-BFGS evaluates f itself".to_string()
        }
        OptimizerKind::Newton => [
            "    # Newton's method: θ ← θ − γ H⁻¹g (no step where H is singular: the run ends).",
            "    H = torch.autograd.functional.hessian(f, theta.detach())",
            "    try:",
            "        p = torch.linalg.solve(H, theta.grad)",
            "    except RuntimeError:",
            "        break",
            "    with torch.no_grad():",
            "        theta -= lr * p",
        ]
        .join("\n"),
        OptimizerKind::Linesearch => [
            "    # Armijo backtracking: halve γ until f(θ − γg) ≤ f(θ) − c·γ‖g‖².".to_string(),
            "    g0, g1 = theta.grad[0].item(), theta.grad[1].item()".to_string(),
            "    x, y = theta[0].item(), theta[1].item()".to_string(),
            "    with torch.no_grad():".to_string(),
            "        f0 = f(theta).item()".to_string(),
            "    gg = g0 * g0 + g1 * g1".to_string(),
            "    gamma, taken = lr, 0.0".to_string(),
            format!(
                "    for halvings in range({} + 1):",
                crate::optim::MAX_HALVINGS
            ),
            "        trial = torch.tensor([x - gamma * g0, y - gamma * g1])".to_string(),
            format!(
                "        if f(trial).item() <= f0 - {} * gamma * gg:",
                python_repr(crate::optim::ARMIJO_C)
            ),
            "            taken = gamma".to_string(),
            "            with torch.no_grad():".to_string(),
            "                theta.copy_(trial)".to_string(),
            "            break".to_string(),
            "        gamma /= 2".to_string(),
            "    lr = taken  # the row's lr is the step size accepted (0: none was, θ stays)"
                .to_string(),
        ]
        .join("\n"),
        _ => "    opt.step()".to_string(),
    };
    s.push_str(&code);
    s.push('\n');
}

/// Python's `True` or `False`.
fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// The torch.optim constructor with every option spelled out; `None` for the methods torch
/// does not have (Newton's, the line search).
fn optimizer(kind: OptimizerKind, h: &Hyper) -> Option<String> {
    let n = |v: f64| python_repr(v);
    let betas = format!("betas=({}, {})", n(h.beta1), n(h.beta2));
    let (class, args) = match kind {
        OptimizerKind::Sgd => ("SGD", format!("weight_decay={}", n(h.weight_decay))),
        OptimizerKind::Momentum => (
            "SGD",
            format!(
                "momentum={}, dampening={}, weight_decay={}",
                n(h.momentum),
                n(h.dampening),
                n(h.weight_decay)
            ),
        ),
        OptimizerKind::Nesterov => (
            "SGD",
            format!(
                "momentum={}, weight_decay={}, nesterov=True",
                n(h.momentum),
                n(h.weight_decay)
            ),
        ),
        OptimizerKind::Adagrad => (
            "Adagrad",
            format!(
                "lr_decay={}, weight_decay={}, initial_accumulator_value={}, eps={}",
                n(h.lr_decay),
                n(h.weight_decay),
                n(h.initial_accumulator),
                n(h.eps)
            ),
        ),
        OptimizerKind::Rmsprop => (
            "RMSprop",
            format!(
                "alpha={}, eps={}, weight_decay={}, momentum={}, centered={}",
                n(h.decay),
                n(h.eps),
                n(h.weight_decay),
                n(h.momentum),
                py_bool(h.centered)
            ),
        ),
        OptimizerKind::Adam | OptimizerKind::Adamw => (
            if kind == OptimizerKind::Adam {
                "Adam"
            } else {
                "AdamW"
            },
            format!(
                "{betas}, eps={}, weight_decay={}, amsgrad={}",
                n(h.eps),
                n(h.weight_decay),
                py_bool(h.amsgrad)
            ),
        ),
        OptimizerKind::Nadam => (
            "NAdam",
            format!(
                "{betas}, eps={}, weight_decay={}, momentum_decay={}, decoupled_weight_decay={}",
                n(h.eps),
                n(h.weight_decay),
                n(h.momentum_decay),
                py_bool(h.decoupled)
            ),
        ),
        OptimizerKind::Radam => (
            "RAdam",
            format!(
                "{betas}, eps={}, weight_decay={}, decoupled_weight_decay={}",
                n(h.eps),
                n(h.weight_decay),
                py_bool(h.decoupled)
            ),
        ),
        OptimizerKind::Adamax => (
            "Adamax",
            format!(
                "{betas}, eps={}, weight_decay={}",
                n(h.eps),
                n(h.weight_decay)
            ),
        ),
        OptimizerKind::Adadelta => (
            "Adadelta",
            format!(
                "rho={}, eps={}, weight_decay={}",
                n(h.rho),
                n(h.eps),
                n(h.weight_decay)
            ),
        ),
        OptimizerKind::Rprop => (
            "Rprop",
            format!(
                "etas=({}, {}), step_sizes=({}, {})",
                n(h.etas[0]),
                n(h.etas[1]),
                n(h.step_sizes[0]),
                n(h.step_sizes[1])
            ),
        ),
        OptimizerKind::Lbfgs => (
            "LBFGS",
            format!(
                "max_iter=1, max_eval={MAX_EVAL}, history_size={}, line_search_fn={}",
                h.history_size,
                if h.line_search == "none" {
                    "None".to_string()
                } else {
                    format!("\"{}\"", h.line_search)
                }
            ),
        ),
        OptimizerKind::Newton | OptimizerKind::Linesearch => return None,
    };
    Some(format!(
        "torch.optim.{class}([theta], lr={}, {args})",
        n(h.lr)
    ))
}

/// The lr_scheduler constructor for `schedule`; `None` for a constant rate.
fn scheduler(schedule: &Schedule) -> Option<String> {
    let n = |v: f64| python_repr(v);
    let (class, args) = match schedule {
        Schedule::Constant => return None,
        Schedule::Step { step_size, gamma } => {
            ("StepLR", format!("step_size={step_size}, gamma={}", n(*gamma)))
        }
        Schedule::MultiStep { milestones, gamma } => (
            "MultiStepLR",
            format!(
                "milestones={milestones:?}, gamma={}",
                n(*gamma)
            ),
        ),
        Schedule::Exponential { gamma } => ("ExponentialLR", format!("gamma={}", n(*gamma))),
        Schedule::Cosine { t_max, eta_min } => (
            "CosineAnnealingLR",
            format!("T_max={t_max}, eta_min={}", n(*eta_min)),
        ),
        Schedule::CosineRestarts {
            t_0,
            t_mult,
            eta_min,
        } => (
            "CosineAnnealingWarmRestarts",
            format!("T_0={t_0}, T_mult={t_mult}, eta_min={}", n(*eta_min)),
        ),
        Schedule::Linear {
            start_factor,
            end_factor,
            total_iters,
        } => (
            "LinearLR",
            format!(
                "start_factor={}, end_factor={}, total_iters={total_iters}",
                n(*start_factor),
                n(*end_factor)
            ),
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
        } => (
            "OneCycleLR",
            format!(
                "max_lr={}, total_steps={total_steps}, pct_start={}, anneal_strategy=\"{}\", div_factor={}, final_div_factor={}, three_phase={}, cycle_momentum={}, base_momentum={}, max_momentum={}",
                n(*max_lr),
                n(*pct_start),
                anneal_strategy.name(),
                n(*div_factor),
                n(*final_div_factor),
                py_bool(*three_phase),
                py_bool(*cycle_momentum),
                n(*base_momentum),
                n(*max_momentum)
            ),
        ),
        Schedule::Plateau {
            factor,
            patience,
            threshold,
            threshold_mode,
            cooldown,
            min_lr,
            eps,
        } => (
            "ReduceLROnPlateau",
            format!(
                "mode=\"min\", factor={}, patience={patience}, threshold={}, threshold_mode=\"{}\", cooldown={cooldown}, min_lr={}, eps={}",
                n(*factor),
                n(*threshold),
                threshold_mode.name(),
                n(*min_lr),
                n(*eps)
            ),
        ),
    };
    Some(format!("torch.optim.lr_scheduler.{class}(opt, {args})"))
}

/// For a stochastic or mini-batch run: the tilts of the finite sum's terms and each epoch's
/// order of terms, as gdviz's seeded sampler draws them, with `batch_of(step)`.
fn batches(s: &mut String, surface: &dyn Surface, cfg: &RunConfig) -> Result<(), Error> {
    if cfg.variant == Variant::Batch {
        return Ok(());
    }
    let sum = FiniteSum::new(
        surface,
        cfg.noise.unwrap_or_else(|| surface.default_noise()),
    )?;
    let n = sum.len();
    let mut sampler = Sampler::new(cfg.variant, n, cfg.batch, cfg.seed)?;
    let b = sampler.batch_size();
    let per_epoch = sampler.steps_per_epoch();
    let epochs = cfg.steps.div_ceil(per_epoch);
    if sum.tilts().is_empty() {
        s.push_str(&format!("# {b} of the {n} examples per step.\n"));
    } else {
        s.push_str(&format!(
            "# {b} of {n} terms per step: term i has gradient ∇f + TILTS[i] (the tilts average to 0).\n"
        ));
        s.push_str("TILTS = [\n");
        for t in sum.tilts() {
            s.push_str(&format!(
                "    ({}, {}),\n",
                python_repr(t[0]),
                python_repr(t[1])
            ));
        }
        s.push_str("]\n");
    }
    s.push_str(
        "# Each epoch's order of the terms, as gdviz's seeded sampler shuffles them.\nORDER = [\n",
    );
    let mut out = Vec::with_capacity(b);
    for _ in 0..epochs {
        let mut order = Vec::with_capacity(n);
        for _ in 0..per_epoch {
            sampler.next_batch(&mut out);
            order.extend_from_slice(&out);
        }
        let text: Vec<String> = order.iter().map(|i| i.to_string()).collect();
        s.push_str(&format!("    [{}],\n", text.join(", ")));
    }
    s.push_str("]\n\n\n");
    s.push_str(&format!(
        "def batch_of(step):\n    \"\"\"The terms of step `step` (from 1): consecutive slices of {b} of the epoch's order.\"\"\"\n    epoch, k = divmod(step - 1, {per_epoch})\n    return ORDER[epoch][k * {b}:(k + 1) * {b}]\n"
    ));
    Ok(())
}
