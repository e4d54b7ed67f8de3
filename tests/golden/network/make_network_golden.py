"""Records torch's training of gdviz's networks: tests/golden/network/<case>.json.

For each case, `gdviz train --format json` gives the data, the initial weights (torch's
state_dict layout) and each step's batch; torch.nn.Sequential and torch.optim then train from
exactly those in float64, and the record keeps torch's losses, accuracies and rates at steps
0-3 and every 10th, and its final weights. tests/network.rs checks gdviz against them.

Run from the repository root, in a venv with torch: python3 tests/golden/network/make_network_golden.py
"""
import json
import subprocess
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

CASES = {
    "moons-sgd": "--dataset moons --hidden 8,8 --activation tanh --optimizer sgd --lr 0.5 --steps 200",
    "moons-adam": "--dataset moons --hidden 8,8 --activation tanh --optimizer adam --lr 0.02 --steps 200",
    "circles-momentum-relu": "--dataset circles --hidden 16 --activation relu --optimizer momentum --lr 0.1 --steps 200 --init-seed 3",
    "xor-rmsprop-sigmoid": "--dataset xor --hidden 8,8,8 --activation sigmoid --optimizer rmsprop --lr 0.01 --steps 150 --data-seed 2",
    "spiral-adamw-cosine-clip": "--dataset spiral --hidden 16,16 --activation tanh --optimizer adamw --lr 0.01 --steps 200 --schedule cosine:t_max=200 --clip-norm 1",
    "sine-adam": "--dataset sine --hidden 16 --activation tanh --optimizer adam --lr 0.01 --steps 200",
    "blobs-lbfgs": "--dataset blobs --hidden 4 --activation relu --optimizer lbfgs --lr 1 --line-search strong_wolfe --steps 30",
    "moons-nesterov-minibatch": "--dataset moons --hidden 8 --activation tanh --optimizer nesterov --lr 0.1 --variant minibatch --batch-size 20 --seed 1 --steps 200",
    "circles-rprop-stepLR": "--dataset circles --hidden 8,8 --activation tanh --optimizer rprop --lr 0.01 --steps 100 --schedule step:step_size=25,gamma=0.5 --clip-value 0.5",
    "sine-sgd-stochastic": "--dataset sine --hidden 8 --activation relu --optimizer sgd --lr 0.05 --variant stochastic --train 50 --test 50 --steps 200",
}

ACT = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}


def flag(args, name, default=None):
    a = args.split()
    return a[a.index(name) + 1] if name in a else default


def optimizer(params, args):
    kind, lr = flag(args, "--optimizer"), float(flag(args, "--lr"))
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr)
    if kind == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=0.9)
    if kind == "nesterov":
        return torch.optim.SGD(params, lr=lr, momentum=0.9, nesterov=True)
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr)
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=lr)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr)
    if kind == "rprop":
        return torch.optim.Rprop(params, lr=lr)
    if kind == "lbfgs":
        return torch.optim.LBFGS(params, lr=lr, max_iter=1, max_eval=25, line_search_fn=flag(args, "--line-search"))
    raise ValueError(kind)


def scheduler(opt, args):
    spec = flag(args, "--schedule")
    if spec is None:
        return None
    kind, _, rest = spec.partition(":")
    kw = dict(p.split("=") for p in rest.split(",")) if rest else {}
    if kind == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=int(kw["t_max"]))
    if kind == "step":
        return torch.optim.lr_scheduler.StepLR(opt, step_size=int(kw["step_size"]), gamma=float(kw["gamma"]))
    raise ValueError(kind)


def record(name, args):
    out = subprocess.run(["cargo", "run", "-q", "--", "train", "--format", "json", *args.split()],
                         check=True, capture_output=True, text=True).stdout
    g = json.loads(out)
    sizes = [2, *g["hidden"], 1]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(ACT[g["activation"]]())
    model = torch.nn.Sequential(*layers)
    model.load_state_dict({k: torch.tensor(v) for k, v in g["initial"].items()})
    xtr, ytr = torch.tensor(g["data"]["train"]["x"]), torch.tensor(g["data"]["train"]["y"])
    xte, yte = torch.tensor(g["data"]["test"]["x"]), torch.tensor(g["data"]["test"]["y"])
    classify = g["task"] == "classification"

    def loss_of(x, y):
        out = model(x).squeeze(1)
        return F.binary_cross_entropy_with_logits(out, y) if classify else F.mse_loss(out, y)

    def row(step, lr):
        with torch.no_grad():
            r = {"step": step, "train_loss": loss_of(xtr, ytr).item(), "test_loss": loss_of(xte, yte).item(), "lr": lr}
            if classify:
                r["train_acc"] = ((model(xtr).squeeze(1) >= 0).double() == ytr).double().mean().item()
                r["test_acc"] = ((model(xte).squeeze(1) >= 0).double() == yte).double().mean().item()
        return r

    opt = optimizer(model.parameters(), args)
    sched = scheduler(opt, args)
    clip_norm, clip_value = flag(args, "--clip-norm"), flag(args, "--clip-value")
    steps = int(flag(args, "--steps"))
    n = len(ytr)
    rows = [row(0, None)]
    for step in range(1, steps + 1):
        batch = list(range(n)) if g["batches"] is None else g["batches"][step - 1]

        def closure():
            opt.zero_grad()
            loss = loss_of(xtr[batch], ytr[batch])
            loss.backward()
            if clip_norm:
                torch.nn.utils.clip_grad_norm_(model.parameters(), float(clip_norm))
            if clip_value:
                torch.nn.utils.clip_grad_value_(model.parameters(), float(clip_value))
            return loss

        lr = opt.param_groups[0]["lr"]
        if isinstance(opt, torch.optim.LBFGS):
            opt.step(closure)
        else:
            closure()
            opt.step()
        if sched:
            sched.step()
        if step <= 3 or step % 10 == 0 or step == steps:
            rows.append(row(step, lr))
    final = {k: v.tolist() for k, v in model.state_dict().items()}
    # The sharpness at the end: the eigenvalue of the full training loss's Hessian with the
    # largest magnitude, from the explicit Hessian (one backward pass per parameter).
    params = list(model.parameters())
    grads = torch.autograd.grad(loss_of(xtr, ytr), params, create_graph=True)
    flat = torch.cat([g.reshape(-1) for g in grads])
    rows_h = [torch.cat([h.reshape(-1) for h in torch.autograd.grad(flat[i], params, retain_graph=True)]) for i in range(len(flat))]
    eig = torch.linalg.eigvalsh(torch.stack(rows_h))
    sharpness = max(eig.tolist(), key=abs)
    with open(f"tests/golden/network/{name}.json", "w") as f:
        json.dump({"args": args, "torch": torch.__version__, "rows": rows, "final": final, "sharpness": sharpness}, f, indent=1)
    print(name, rows[-1])


for name, args in CASES.items():
    if len(sys.argv) < 2 or name in sys.argv[1:]:
        record(name, args)
