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


def make_optimizer(name, params, lr):
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr)
    if name == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=MOMENTUM)
    if name == "nesterov":
        return torch.optim.SGD(params, lr=lr, momentum=MOMENTUM, nesterov=True)
    if name == "adagrad":
        return torch.optim.Adagrad(params, lr=lr)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr)
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


def run_case(surface, optimizer, lr):
    f, start = SURFACES[surface]
    theta = torch.tensor(list(start), requires_grad=True)
    opt = make_optimizer(optimizer, [theta], lr)
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


def main():
    cases = []
    for surface in SURFACES:
        for optimizer in OPTIMIZERS:
            lr = LR[surface][optimizer]
            rows = run_case(surface, optimizer, lr)
            for step, x, y, loss in rows:
                if not all(math.isfinite(v) for v in (x, y, loss)):
                    raise SystemExit(f"{surface}/{optimizer}: non-finite at step {step}")
                if abs(x) >= 1000 or abs(y) >= 1000:
                    raise SystemExit(f"{surface}/{optimizer}: |theta| >= 1000 at step {step}")
            fname = f"{surface}-{optimizer}.csv"
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
            case.update({
                "start": list(SURFACES[surface][1]),
                "steps": STEPS,
                "file": fname,
                "torch_version": torch.__version__,
            })
            cases.append(case)
    with open(os.path.join(OUT_DIR, "cases.json"), "w", newline="\n") as fh:
        fh.write("[\n")
        fh.write(",\n".join(" " + json.dumps(c) for c in cases))
        fh.write("\n]\n")
    print(f"wrote {len(cases)} cases to {OUT_DIR} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
