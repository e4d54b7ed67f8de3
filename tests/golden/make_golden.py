#!/usr/bin/env python3
"""Generate golden optimizer trajectories with real PyTorch (float64).

Run from the repository root, in a Python environment that has torch:

    python3 tests/golden/make_golden.py

Writes cases.json and one <surface>-<optimizer>.csv per case next to this
script. The Rust test suite only reads these files; CI never runs PyTorch.
"""
import json
import math
import os
import sys

import torch

torch.set_default_dtype(torch.float64)

OUT_DIR = os.path.dirname(os.path.abspath(__file__))
STEPS = 300
RECORD = [0, 1, 2, 3] + list(range(10, STEPS + 1, 10))


# ---------------------------------------------------------------- surfaces
def rosenbrock(t):
    x, y = t[0], t[1]
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def himmelblau(t):
    x, y = t[0], t[1]
    return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2


def beale(t):
    x, y = t[0], t[1]
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2


def booth(t):
    x, y = t[0], t[1]
    return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2


def matyas(t):
    x, y = t[0], t[1]
    return 0.26 * (x ** 2 + y ** 2) - 0.48 * x * y


def saddle(t):
    x, y = t[0], t[1]
    return x ** 2 - y ** 2


def six_hump_camel(t):
    x, y = t[0], t[1]
    return (4 - 2.1 * x ** 2 + x ** 4 / 3) * x ** 2 + x * y + (-4 + 4 * y ** 2) * y ** 2


COLLINEAR_X = torch.tensor([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
COLLINEAR_Y = torch.tensor([1.0, 2.0, 3.0])


def collinear(t):
    return ((COLLINEAR_X @ t - COLLINEAR_Y) ** 2).mean()


SURFACES = {
    "rosenbrock": (rosenbrock, (-1.2, 1.0)),
    "himmelblau": (himmelblau, (0.0, 0.0)),
    "beale": (beale, (1.0, 1.0)),
    "booth": (booth, (-6.0, -6.0)),
    "matyas": (matyas, (8.0, -6.0)),
    "saddle": (saddle, (-1.5, 0.01)),
    "six-hump-camel": (six_hump_camel, (-1.5, 1.0)),
    "collinear": (collinear, (0.0, 0.0)),
}

# -------------------------------------------------------------- optimizers
OPTIMIZERS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
MOMENTUM = 0.9


# gdviz's names for torch's keyword arguments where they differ.
TORCH_NAME = {"decay": "alpha", "initial_accumulator": "initial_accumulator_value"}
CLASSES = {
    "sgd": torch.optim.SGD, "momentum": torch.optim.SGD, "nesterov": torch.optim.SGD,
    "adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW, "nadam": torch.optim.NAdam, "radam": torch.optim.RAdam,
    "adamax": torch.optim.Adamax, "adadelta": torch.optim.Adadelta, "rprop": torch.optim.Rprop,
    "lbfgs": torch.optim.LBFGS,
}


def make_optimizer(name, params, lr, hyper=None):
    """The optimizer with PyTorch's defaults, except for the hyper-parameters in `hyper`
    (torch's names, or gdviz's `decay`/`initial_accumulator`; beta1/beta2 for `betas`) and
    SGD's momentum, which is MOMENTUM unless given."""
    kw = {TORCH_NAME.get(k, k): v for k, v in (hyper or {}).items()}
    if "beta1" in kw or "beta2" in kw:
        kw["betas"] = (kw.pop("beta1", 0.9), kw.pop("beta2", 0.999))
    for pair in ("etas", "step_sizes"):
        if pair in kw:
            kw[pair] = tuple(kw[pair])
    if name in ("momentum", "nesterov"):
        kw.setdefault("momentum", MOMENTUM)
    if name == "nesterov":
        kw["nesterov"] = True
    if name == "lbfgs":
        # One gdviz step is one L-BFGS iteration, with the evaluations torch's default
        # max_iter=20 would allow (its default for max_iter=1 is 1: no line search at all).
        search = kw.pop("line_search", "none")
        kw["line_search_fn"] = None if search == "none" else search
        kw["history_size"] = int(kw.get("history_size", 100))
        kw.update(max_iter=1, max_eval=25)
    return CLASSES[name](params, lr=lr, **kw)


# Learning rate per (surface, optimizer): finite, visibly moving, |x|,|y| < 1000.
LR = {
    "rosenbrock":     {"sgd": 1e-3,  "momentum": 1e-4,  "nesterov": 1e-4,  "adagrad": 0.1, "rmsprop": 0.01, "adam": 0.05},
    "himmelblau":     {"sgd": 0.01,  "momentum": 1e-3,  "nesterov": 1e-3,  "adagrad": 0.5, "rmsprop": 0.05, "adam": 0.1},
    "beale":          {"sgd": 0.01,  "momentum": 1e-3,  "nesterov": 1e-3,  "adagrad": 0.1, "rmsprop": 0.01, "adam": 0.05},
    "booth":          {"sgd": 0.05,  "momentum": 0.01,  "nesterov": 0.01,  "adagrad": 0.5, "rmsprop": 0.1,  "adam": 0.1},
    "matyas":         {"sgd": 0.5,   "momentum": 0.1,   "nesterov": 0.1,   "adagrad": 0.5, "rmsprop": 0.1,  "adam": 0.1},
    "saddle":         {"sgd": 0.01,  "momentum": 1e-3,  "nesterov": 1e-3,  "adagrad": 0.1, "rmsprop": 0.01, "adam": 0.01},
    "six-hump-camel": {"sgd": 0.01,  "momentum": 1e-3,  "nesterov": 1e-3,  "adagrad": 0.1, "rmsprop": 0.01, "adam": 0.05},
    "collinear":      {"sgd": 0.05,  "momentum": 0.01,  "nesterov": 0.01,  "adagrad": 0.5, "rmsprop": 0.05, "adam": 0.1},
}

# Cases with other hyper-parameters than the defaults, for the branches the defaults never take:
# Adam's first moment uses `lerp_(grad, 1 − β₁)`, which ATen computes by its second formula
# (end − (end − start)(1 − w)) when the weight 1 − β₁ is ≥ 0.5, i.e. β₁ ≤ 0.5 (at β₁ = 0.5 exactly
# too); β₁ = 0 keeps no memory at all. The others move μ, α and ε off their defaults, where a
# wrong use of them shows at once. (surface, optimizer, lr, hyper-parameters, file-name tag)
EXTRA = [
    # Not Rosenbrock: with β₁ = 0.3 its run is chaotic at every lr tried (a 1-ulp change of the
    # start grows 1e8-fold by step 270), so it tested the chaos rather than the optimizer; and a
    # run that reaches a minimum divides rounding noise by itself. Booth at lr 0.01 is still
    # descending at step 300.
    ("booth", "adam", 0.01, {"beta1": 0.3, "beta2": 0.9}, "b1-0.3"),
    ("himmelblau", "adam", 0.1, {"beta1": 0.5, "beta2": 0.99, "eps": 1e-3}, "b1-0.5"),
    ("beale", "adam", 0.05, {"beta1": 0.0, "beta2": 0.5}, "b1-0"),
    ("booth", "rmsprop", 0.1, {"alpha": 0.5, "eps": 1e-2}, "a-0.5"),
    ("matyas", "adagrad", 0.5, {"eps": 0.1}, "eps-0.1"),
    ("six-hump-camel", "momentum", 1e-3, {"momentum": 0.5}, "mu-0.5"),
    ("saddle", "nesterov", 1e-3, {"momentum": 0.3}, "mu-0.3"),
]

# The rest of torch.optim (issue "All of torch.optim"): each optimizer at its defaults on two
# surfaces, and every option off its default at least once, with the options a course turns on.
MORE = [
    ("booth", "adamw", 0.1, {}, None),
    ("himmelblau", "adamw", 0.1, {"weight_decay": 0.1, "amsgrad": True}, "wd-0.1-amsgrad"),
    ("booth", "nadam", 0.1, {}, None),
    ("rosenbrock", "nadam", 0.01, {"momentum_decay": 0.01, "weight_decay": 0.01}, "psi-0.01-wd"),
    ("booth", "nadam", 0.05, {"weight_decay": 0.1, "decoupled_weight_decay": True}, "decoupled"),
    ("booth", "radam", 0.1, {}, None),
    ("matyas", "radam", 0.1, {"weight_decay": 0.1, "decoupled_weight_decay": True}, "decoupled"),
    ("booth", "adamax", 0.1, {}, None),
    ("six-hump-camel", "adamax", 0.05, {"beta1": 0.3, "weight_decay": 0.01}, "b1-0.3-wd"),
    ("booth", "adadelta", 1.0, {}, None),
    ("himmelblau", "adadelta", 0.5, {"rho": 0.5, "eps": 1e-3, "weight_decay": 0.01}, "rho-0.5"),
    ("booth", "rprop", 0.01, {}, None),
    ("rosenbrock", "rprop", 0.001, {"etas": [0.3, 1.5], "step_sizes": [1e-4, 0.05]}, "etas"),
    ("booth", "sgd", 0.05, {"weight_decay": 0.5}, "wd-0.5"),
    ("himmelblau", "momentum", 1e-3, {"dampening": 0.5, "weight_decay": 0.01}, "damp-0.5"),
    ("booth", "nesterov", 0.01, {"weight_decay": 0.1}, "wd-0.1"),
    ("beale", "adagrad", 0.1, {"lr_decay": 0.01, "initial_accumulator": 0.5, "weight_decay": 0.01}, "decay"),
    ("booth", "rmsprop", 0.01, {"momentum": 0.5, "centered": True}, "mu-centered"),
    ("himmelblau", "rmsprop", 0.01, {"centered": True, "weight_decay": 0.01}, "centered-wd"),
    ("booth", "adam", 0.1, {"amsgrad": True, "weight_decay": 0.1}, "amsgrad-wd"),
]

# Learning-rate schedules (torch.optim.lr_scheduler, stepped after every optimizer step) and
# gradient clipping (torch.nn.utils, before it): every kind and both clips.
SCHEDULED = [
    ("booth", "sgd", 0.05, {"schedule": "step:step_size=30,gamma=0.5"}, "steplr"),
    ("booth", "momentum", 0.01, {"schedule": "multistep:milestones=50/100/100,gamma=0.5"}, "multisteplr"),
    ("booth", "adam", 0.5, {"schedule": "exponential:gamma=0.99"}, "exponentiallr"),
    ("himmelblau", "sgd", 0.01, {"schedule": "cosine:t_max=100,eta_min=0.001"}, "cosinelr"),
    ("booth", "adamw", 0.1, {"schedule": "cosine-restarts:t_0=20,t_mult=2,eta_min=0.001"}, "restarts"),
    ("booth", "sgd", 0.05, {"schedule": "linear:start_factor=0.1,total_iters=20"}, "warmup"),
    ("rosenbrock", "rprop", 0.001, {"schedule": "linear:start_factor=0.5,total_iters=10"}, "warmup"),
    ("booth", "sgd", 0.1, {"clip_norm": 1.0}, "clipnorm"),
    ("rosenbrock", "momentum", 1e-3, {"clip_value": 5.0}, "clipvalue"),
    ("booth", "adam", 0.1, {"clip_norm": 2.0, "clip_value": 1.0, "schedule": "cosine:t_max=300"}, "clips-cosine"),
    # OneCycleLR: its lr overrides the optimizer's (the lr given here is not used), and with
    # cycle_momentum it sets `momentum` (SGD, RMSprop: turned on from 0) or β₁ (betas) every step.
    ("booth", "momentum", 0.01, {"schedule": "onecycle:max_lr=0.02,total_steps=300"}, "onecycle"),
    ("himmelblau", "adam", 0.001, {"schedule": "onecycle:max_lr=0.1,total_steps=300"}, "onecycle"),
    ("booth", "nesterov", 0.01, {"schedule": "onecycle:max_lr=0.02,total_steps=300,anneal_strategy=linear,three_phase=true"}, "onecycle-linear-3"),
    ("booth", "sgd", 0.05, {"schedule": "onecycle:max_lr=0.05,total_steps=300"}, "onecycle"),
    ("booth", "rmsprop", 0.01, {"schedule": "onecycle:max_lr=0.05,total_steps=300,pct_start=0.25,base_momentum=0.8,max_momentum=0.9"}, "onecycle"),
    ("booth", "nadam", 0.01, {"schedule": "onecycle:max_lr=0.2,total_steps=300,three_phase=true"}, "onecycle-3"),
    ("booth", "radam", 0.01, {"schedule": "onecycle:max_lr=0.2,total_steps=300,anneal_strategy=linear"}, "onecycle-linear"),
    ("six-hump-camel", "adamax", 0.01, {"schedule": "onecycle:max_lr=0.1,total_steps=300,div_factor=10,final_div_factor=100"}, "onecycle"),
    ("booth", "adamw", 0.01, {"schedule": "onecycle:max_lr=0.1,total_steps=400,cycle_momentum=false"}, "onecycle-fixed-beta1"),
    ("booth", "adagrad", 0.01, {"schedule": "onecycle:max_lr=0.5,total_steps=300,cycle_momentum=false"}, "onecycle"),
    # ReduceLROnPlateau, stepped with f at the new point: runs whose rate it lowers several times.
    ("himmelblau", "adam", 0.5, {"schedule": "plateau:factor=0.5,patience=5,threshold=0.001,cooldown=3"}, "plateau-rel"),
    ("booth", "adam", 1.0, {"schedule": "plateau:factor=0.5,patience=3,threshold=0.01,threshold_mode=abs,cooldown=5,min_lr=0.01"}, "plateau-abs"),
    ("himmelblau", "rmsprop", 0.05, {"schedule": "plateau:patience=5,threshold=0.01,threshold_mode=abs,cooldown=10,min_lr=1e-4"}, "plateau-abs"),
]


SCHEDULERS = {
    "step": (torch.optim.lr_scheduler.StepLR, {"step_size": int, "gamma": float}),
    "multistep": (torch.optim.lr_scheduler.MultiStepLR,
                  {"milestones": lambda v: [int(m) for m in v.split("/")], "gamma": float}),
    "exponential": (torch.optim.lr_scheduler.ExponentialLR, {"gamma": float}),
    "cosine": (torch.optim.lr_scheduler.CosineAnnealingLR, {"t_max": int, "eta_min": float}),
    "cosine-restarts": (torch.optim.lr_scheduler.CosineAnnealingWarmRestarts,
                        {"t_0": int, "t_mult": int, "eta_min": float}),
    "linear": (torch.optim.lr_scheduler.LinearLR,
               {"start_factor": float, "end_factor": float, "total_iters": int}),
    "onecycle": (torch.optim.lr_scheduler.OneCycleLR,
                 {"max_lr": float, "total_steps": int, "pct_start": float, "anneal_strategy": str,
                  "div_factor": float, "final_div_factor": float,
                  "three_phase": lambda v: {"true": True, "false": False}[v],
                  "cycle_momentum": lambda v: {"true": True, "false": False}[v],
                  "base_momentum": float, "max_momentum": float}),
    "plateau": (torch.optim.lr_scheduler.ReduceLROnPlateau,
                {"factor": float, "patience": int, "threshold": float, "threshold_mode": str,
                 "cooldown": int, "min_lr": float, "eps": float}),
}
# L-BFGS, stepped once per gdviz step with a closure (it evaluates f and ∇f itself).
CLOSURE = [
    ("booth", "lbfgs", 1.0, {}, None),
    ("himmelblau", "lbfgs", 0.1, {"history_size": 3}, "m-3"),
    ("himmelblau", "lbfgs", 1.0, {"line_search": "strong_wolfe"}, "wolfe"),
    ("six-hump-camel", "lbfgs", 0.5, {"line_search": "strong_wolfe", "history_size": 2}, "wolfe-m-2"),
    ("booth", "lbfgs", 0.5, {"schedule": "exponential:gamma=0.99"}, "exp"),
    ("himmelblau", "lbfgs", 0.1, {"clip_value": 20.0, "line_search": "strong_wolfe"}, "clip-wolfe"),
]

# gdviz's lowercase keys for torch's T_max, T_0, T_mult.
TORCH_KEY = {"t_max": "T_max", "t_0": "T_0", "t_mult": "T_mult"}


def make_scheduler(opt, spec):
    """torch's scheduler for a gdviz spec `KIND:key=value,...` (None for none)."""
    if not spec or spec == "constant":
        return None
    kind, _, rest = spec.partition(":")
    cls, keys = SCHEDULERS[kind]
    kw = {}
    for pair in filter(None, rest.split(",")):
        k, v = pair.split("=")
        kw[TORCH_KEY.get(k, k)] = keys[k](v)
    return cls(opt, **kw)


def run_case(surface, optimizer, lr, hyper=None, start=None, nudge=False):
    """The run's rows (step, x, y, loss, lr of the step that led there). `hyper` may also hold
    `schedule` (a gdviz spec), `clip_norm` and `clip_value`."""
    f, default_start = SURFACES[surface]
    theta = torch.tensor(list(start or default_start), requires_grad=True)
    hyper = dict(hyper or {})
    spec = hyper.pop("schedule", None)
    clip_norm = hyper.pop("clip_norm", None)
    clip_value = hyper.pop("clip_value", None)
    opt = make_optimizer(optimizer, [theta], lr, hyper)
    sched = make_scheduler(opt, spec)
    rows = []

    def record(step, step_lr):
        with torch.no_grad():
            loss = f(theta)
        rows.append((step, theta[0].item(), theta[1].item(), loss.item(), step_lr))

    record(0, None)
    for step in range(1, STEPS + 1):
        opt.zero_grad()
        loss = f(theta)
        loss.backward()
        if nudge:
            # The last bits of a gradient depend on how it is computed (autograd's order here,
            # gdviz's hand-written formula there): change them by a few ulps of the gradient and
            # of the surface's terms (which is what rounding leaves near a minimum).
            theta.grad.mul_(1 + 2.0 ** -50).add_(1e-15)
        if clip_norm is not None:
            torch.nn.utils.clip_grad_norm_([theta], clip_norm)
        if clip_value is not None:
            torch.nn.utils.clip_grad_value_([theta], clip_value)
        step_lr = opt.param_groups[0]["lr"]
        if optimizer == "lbfgs":
            def closure():
                opt.zero_grad()
                loss = f(theta)
                loss.backward()
                if nudge:
                    theta.grad.mul_(1 + 2.0 ** -50).add_(1e-15)
                if clip_norm is not None:
                    torch.nn.utils.clip_grad_norm_([theta], clip_norm)
                if clip_value is not None:
                    torch.nn.utils.clip_grad_value_([theta], clip_value)
                return loss
            opt.step(closure)
        else:
            opt.step()
        if isinstance(sched, torch.optim.lr_scheduler.ReduceLROnPlateau):
            # Stepped with the full loss at the new point, as gdviz does.
            with torch.no_grad():
                sched.step(f(theta).item())
        elif sched is not None:
            sched.step()
        record(step, step_lr)
    return rows


def record_case(surface, optimizer, lr, hyper=None, tag=None, guard=False):
    """Runs one case, writes its CSV and returns its entry for cases.json. With `guard`, a
    chaotic run is refused: started 1 ulp away, its recorded points must stay within 1e-11
    relative (1e-15 absolute near 0), so the Rust test's 1e-9 measures the optimizer, not the amplified rounding of the
    gradient (gdviz's hand-written gradients and torch's autograd differ in the last bit). The
    same holds with every gradient changed by a few ulps: an adaptive optimizer that reaches a
    minimum divides gradients of rounding size by their own size, and then steps on noise."""
    rows = run_case(surface, optimizer, lr, hyper)
    nudged = [math.nextafter(c, math.inf) for c in SURFACES[surface][1]]
    others = zip(run_case(surface, optimizer, lr, hyper, nudged),
                 run_case(surface, optimizer, lr, hyper, nudge=True))
    for (step, *a, _), ((_, *b, _), (_, *c, _)) in zip(rows, others):
        if guard and step in RECORD and any(
            abs(u - v) > 1e-11 * max(abs(v), 1e-4) for u, v in zip(a + a, b + c)
        ):
            raise SystemExit(f"{surface}/{optimizer}/{tag}: chaotic (a few ulps move step {step})")
    for (step, *a, _), (_, *b, _) in zip(rows, run_case(surface, optimizer, lr, hyper, nudged)):
        if guard and step in RECORD and any(abs(u - v) > 1e-11 * max(abs(v), 1e-6) for u, v in zip(a, b)):
            raise SystemExit(f"{surface}/{optimizer}/{tag}: chaotic (a 1-ulp start moves step {step})")
    for step, x, y, loss, _ in rows:
        if not all(math.isfinite(v) for v in (x, y, loss)):
            raise SystemExit(f"{surface}/{optimizer}: non-finite at step {step}")
        if abs(x) >= 1000 or abs(y) >= 1000:
            raise SystemExit(f"{surface}/{optimizer}: |theta| >= 1000 at step {step}")
    fname = f"{surface}-{optimizer}-{tag}.csv" if tag else f"{surface}-{optimizer}.csv"
    with open(os.path.join(OUT_DIR, fname), "w", newline="\n") as fh:
        # A scheduled run records each step's learning rate too (none for the start).
        scheduled = "schedule" in (hyper or {})
        fh.write("step,x,y,loss,lr\n" if scheduled else "step,x,y,loss\n")
        for step, x, y, loss, step_lr in rows:
            if step in RECORD:
                lr_text = ("," + ("" if step_lr is None else repr(step_lr))) if scheduled else ""
                fh.write(f"{step},{x!r},{y!r},{loss!r}{lr_text}\n")
    case = {
        "surface": surface,
        "optimizer": optimizer,
        "lr": lr,
    }
    if optimizer in ("momentum", "nesterov"):
        case["momentum"] = MOMENTUM
    case.update(hyper or {})
    case.update({
        "start": list(SURFACES[surface][1]),
        "steps": STEPS,
        "file": fname,
        "torch_version": torch.__version__,
    })
    return case


# Runs that diverge: every step recorded up to the last finite one, and where gdviz must stop:
# at the first step that is not finite (not recorded), or that lands more than 100 view widths
# outside the view (recorded), whichever comes first. (surface, optimizer, lr, hyper, tag, steps)
DIVERGENT = [
    ("booth", "sgd", 0.2, {}, "diverges", 40),
    ("himmelblau", "momentum", 0.05, {}, "diverges", 40),
    ("booth", "sgd", 0.05, {"schedule": "exponential:gamma=1.1"}, "diverges-exp", 60),
]
# gdviz's views of the surfaces above: (x min, x max, y min, y max).
VIEWS = {"booth": (-10, 10, -10, 10), "himmelblau": (-5, 5, -5, 5)}


def record_divergent(surface, optimizer, lr, hyper, tag, steps):
    global STEPS
    saved, STEPS = STEPS, steps
    try:
        rows = run_case(surface, optimizer, lr, hyper)
    finally:
        STEPS = saved
    x0, x1, y0, y1 = VIEWS[surface]
    w, h = x1 - x0, y1 - y0
    kept, stop = [], None
    for step, x, y, loss, step_lr in rows:
        if not all(math.isfinite(v) for v in (x, y, loss)):
            stop = step
            break
        kept.append((step, x, y, loss, step_lr))
        if x < x0 - 100 * w or x > x1 + 100 * w or y < y0 - 100 * h or y > y1 + 100 * h:
            stop = step
            break
    if stop is None:
        raise SystemExit(f"{surface}/{optimizer}/{tag}: does not diverge within {steps} steps")
    fname = f"{surface}-{optimizer}-{tag}.csv"
    scheduled = "schedule" in (hyper or {})
    with open(os.path.join(OUT_DIR, fname), "w", newline="\n") as fh:
        fh.write("step,x,y,loss,lr\n" if scheduled else "step,x,y,loss\n")
        for step, x, y, loss, step_lr in kept:
            lr_text = ("," + ("" if step_lr is None else repr(step_lr))) if scheduled else ""
            fh.write(f"{step},{x!r},{y!r},{loss!r}{lr_text}\n")
    case = {"surface": surface, "optimizer": optimizer, "lr": lr}
    if optimizer in ("momentum", "nesterov"):
        case["momentum"] = MOMENTUM
    case.update(hyper or {})
    case.update({
        "start": list(SURFACES[surface][1]),
        "steps": steps,
        "diverged_at": stop,
        "file": fname,
        "torch_version": torch.__version__,
    })
    return case


def main():
    """Records EXTRA and MORE; the 48 cases at the defaults are kept as recorded (another CPU
    may move their last digit) unless `--all` is given."""
    cases = []
    listed = os.path.join(OUT_DIR, "cases.json")
    if "--all" in sys.argv or not os.path.exists(listed):
        for surface in SURFACES:
            for optimizer in OPTIMIZERS:
                cases.append(record_case(surface, optimizer, LR[surface][optimizer]))
    else:
        defaults = {f"{s}-{o}.csv" for s in SURFACES for o in OPTIMIZERS}
        with open(listed) as fh:
            cases = [c for c in json.load(fh) if c["file"] in defaults]
    # The guard came with MORE; of EXTRA only the case that replaced a chaotic one is held to it
    # (its beale cases start where ∂f/∂x is exactly 0, where an adaptive step jumps from 0 to ±γ
    # at the slightest gradient: not chaos, and gdviz's gradient is exactly 0 there too).
    for surface, optimizer, lr, hyper, tag in EXTRA:
        cases.append(record_case(surface, optimizer, lr, hyper, tag, guard=tag == "b1-0.3"))
    for surface, optimizer, lr, hyper, tag in MORE + SCHEDULED + CLOSURE:
        cases.append(record_case(surface, optimizer, lr, hyper, tag, guard=True))
    for case in DIVERGENT:
        cases.append(record_divergent(*case))
    with open(os.path.join(OUT_DIR, "cases.json"), "w", newline="\n") as fh:
        fh.write("[\n")
        fh.write(",\n".join(" " + json.dumps(c) for c in cases))
        fh.write("\n]\n")
    print(f"wrote {len(cases)} cases to {OUT_DIR} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
