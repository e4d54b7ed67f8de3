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


def make_optimizer(name, params, lr, hyper=None):
    """The optimizer with PyTorch's defaults, except for the hyper-parameters in `hyper`
    (momentum, beta1, beta2, eps, alpha) and SGD's momentum, which is MOMENTUM unless given."""
    h = hyper or {}
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr)
    if name == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=h.get("momentum", MOMENTUM))
    if name == "nesterov":
        return torch.optim.SGD(params, lr=lr, momentum=h.get("momentum", MOMENTUM), nesterov=True)
    if name == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, **({"eps": h["eps"]} if "eps" in h else {}))
    if name == "rmsprop":
        kw = {k: h[k] for k in ("alpha", "eps") if k in h}
        return torch.optim.RMSprop(params, lr=lr, **kw)
    if name == "adam":
        kw = {"betas": (h.get("beta1", 0.9), h.get("beta2", 0.999))}
        if "eps" in h:
            kw["eps"] = h["eps"]
        return torch.optim.Adam(params, lr=lr, **kw)
    raise ValueError(name)


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
    ("rosenbrock", "adam", 0.05, {"beta1": 0.3, "beta2": 0.9}, "b1-0.3"),
    ("himmelblau", "adam", 0.1, {"beta1": 0.5, "beta2": 0.99, "eps": 1e-3}, "b1-0.5"),
    ("beale", "adam", 0.05, {"beta1": 0.0, "beta2": 0.5}, "b1-0"),
    ("booth", "rmsprop", 0.1, {"alpha": 0.5, "eps": 1e-2}, "a-0.5"),
    ("matyas", "adagrad", 0.5, {"eps": 0.1}, "eps-0.1"),
    ("six-hump-camel", "momentum", 1e-3, {"momentum": 0.5}, "mu-0.5"),
    ("saddle", "nesterov", 1e-3, {"momentum": 0.3}, "mu-0.3"),
]


def run_case(surface, optimizer, lr, hyper=None):
    f, start = SURFACES[surface]
    theta = torch.tensor(list(start), requires_grad=True)
    opt = make_optimizer(optimizer, [theta], lr, hyper)
    rows = []

    def record(step):
        with torch.no_grad():
            loss = f(theta)
        rows.append((step, theta[0].item(), theta[1].item(), loss.item()))

    record(0)
    for step in range(1, STEPS + 1):
        opt.zero_grad()
        loss = f(theta)
        loss.backward()
        opt.step()
        record(step)
    return rows


def record_case(surface, optimizer, lr, hyper=None, tag=None):
    """Runs one case, writes its CSV and returns its entry for cases.json."""
    rows = run_case(surface, optimizer, lr, hyper)
    for step, x, y, loss in rows:
        if not all(math.isfinite(v) for v in (x, y, loss)):
            raise SystemExit(f"{surface}/{optimizer}: non-finite at step {step}")
        if abs(x) >= 1000 or abs(y) >= 1000:
            raise SystemExit(f"{surface}/{optimizer}: |theta| >= 1000 at step {step}")
    fname = f"{surface}-{optimizer}-{tag}.csv" if tag else f"{surface}-{optimizer}.csv"
    with open(os.path.join(OUT_DIR, fname), "w", newline="\n") as fh:
        fh.write("step,x,y,loss\n")
        for step, x, y, loss in rows:
            if step in RECORD:
                fh.write(f"{step},{x!r},{y!r},{loss!r}\n")
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


def main():
    cases = []
    for surface in SURFACES:
        for optimizer in OPTIMIZERS:
            cases.append(record_case(surface, optimizer, LR[surface][optimizer]))
    for surface, optimizer, lr, hyper, tag in EXTRA:
        cases.append(record_case(surface, optimizer, lr, hyper, tag))
    with open(os.path.join(OUT_DIR, "cases.json"), "w", newline="\n") as fh:
        fh.write("[\n")
        fh.write(",\n".join(" " + json.dumps(c) for c in cases))
        fh.write("\n]\n")
    print(f"wrote {len(cases)} cases to {OUT_DIR} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
