//! `gdviz export --lang torch`: the script spells out what the run does, refuses what it cannot
//! write, and — where a Python with torch is at hand — prints the same trajectory as
//! `gdviz trace` (≤ 1e-11 relative on runs that are not chaotic: Python's `**` is the C
//! library's pow, gdviz's is libm's, the page's (`gdviz::math`), an ulp apart in Adam's bias
//! corrections, which a noisy run grows to 1.6e-12).

use std::path::{Path, PathBuf};
use std::process::Command;

fn gdviz(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gdviz"))
        .args(args)
        .output()
        .expect("run gdviz")
}

/// The script `gdviz export --lang torch` writes for `args`.
fn export(args: &[&str]) -> String {
    export_in("torch", args)
}

/// The script `gdviz export --lang LANG` writes for `args`.
fn export_in(lang: &str, args: &[&str]) -> String {
    let out = gdviz(&[&["export", "--lang", lang], args].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_script_spells_out_the_optimizer_the_schedule_and_the_clipping() {
    let s = export(&[
        "--surface",
        "booth",
        "--optimizer",
        "adamw",
        "--lr",
        "0.1",
        "--amsgrad",
        "--steps",
        "50",
        "--schedule",
        "cosine:t_max=50,eta_min=0.001",
        "--clip-norm",
        "5",
    ]);
    assert_contains(
        &s,
        &[
            "return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2",
            "theta = torch.tensor([-6.0, -6.0], requires_grad=True)",
            "opt = torch.optim.AdamW([theta], lr=0.1, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.01, amsgrad=True)",
            "sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=50, eta_min=0.001)",
            "torch.nn.utils.clip_grad_norm_([theta], 5.0)",
            "for step in range(1, 50 + 1):",
            "    sched.step()",
        ],
    );
    // L-BFGS takes its closure; a stochastic run carries its terms and batches.
    let s = export(&[
        "--surface",
        "rosenbrock",
        "--optimizer",
        "lbfgs",
        "--line-search",
        "strong_wolfe",
    ]);
    assert!(s.contains("torch.optim.LBFGS([theta], lr=1.0, max_iter=1, max_eval=25, history_size=100, line_search_fn=\"strong_wolfe\")"), "{s}");
    assert!(s.contains("opt.step(lambda: gradient(step))"), "{s}");
    let s = export(&[
        "--surface",
        "himmelblau",
        "--variant",
        "minibatch",
        "--batch-size",
        "7",
        "--steps",
        "20",
    ]);
    assert!(
        s.contains("TILTS = [") && s.contains("ORDER = [") && s.contains("def batch_of(step):"),
        "{s}"
    );
    // A typed f is translated.
    let s = export(&["--expr", "log(1 + x^2) + min(y, 1)"]);
    assert!(
        s.contains("return (torch.log((1.0 + (x ** 2.0))) + torch.minimum(y, torch.tensor(1.0)))"),
        "{s}"
    );
}

/// Checks that `s` has every one of `wants`.
fn assert_contains(s: &str, wants: &[&str]) {
    for want in wants {
        assert!(s.contains(want), "missing {want:?} in\n{s}");
    }
}

fn export_numpy(args: &[&str]) -> String {
    export_in("numpy", args)
}

#[test]
fn the_numpy_script_writes_the_gradient_and_the_update_out() {
    let s = export_numpy(&[
        "--surface",
        "booth",
        "--optimizer",
        "adam",
        "--lr",
        "0.1",
        "--weight-decay",
        "0.01",
        "--steps",
        "50",
        "--schedule",
        "cosine:t_max=50,eta_min=0.001",
        "--clip-norm",
        "5",
    ]);
    assert_contains(
        &s,
        &[
            "import numpy as np",
            "    return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2",
            "    a, b = x + 2 * y - 7, 2 * x + y - 5\n    return np.array([2 * a + 4 * b, 4 * a + 2 * b])",
            "lr = 0.1  # γ, the learning rate",
            "beta1, beta2 = 0.9, 0.999",
            "    g = g * min(5.0 / (norm + 1e-6), 1.0)",
            "    g = g + weight_decay * theta  # g ← g + λθ",
            "    m = m + (1 - beta1) * (g - m)  # m ← β₁m + (1−β₁)g (torch.lerp)",
            "    v = v * beta2 + (1 - beta2) * g * g  # v ← β₂v + (1−β₂)g²",
            "    theta = theta - lr / bias_correction1 * m / denom",
            "    if (step - 1 - T_max) % (2 * T_max) == 0:  # CosineAnnealingLR",
            "theta = np.array([-6.0, -6.0])",
            "for step in range(1, 50 + 1):",
        ],
    );
    assert!(!s.contains("import torch"), "{s}");
    // A typed f's derivatives are derived; Newton's method solves with its Hessian.
    let s = export_numpy(&["--expr", "x^2 + 3*y^2 + sin(x*y)", "--optimizer", "newton"]);
    assert_contains(
        &s,
        &[
            "    return x ** 2 + 3 * y ** 2 + np.sin(x * y)",
            "    return np.array([2 * x + np.cos(x * y) * y, 3 * (2 * y) + np.cos(x * y) * x])",
            "def hessian_f(theta):",
            "        p = np.linalg.solve(hessian_f(theta), g)  # H⁻¹g",
        ],
    );
    // OneCycleLR's phases as functions, two blank lines apart as PEP 8 sets them.
    let s = export_numpy(&[
        "--surface",
        "booth",
        "--optimizer",
        "adam",
        "--schedule",
        "onecycle:max_lr=0.1,total_steps=200",
    ]);
    assert_contains(
        &s,
        &[
            "]\n\n\ndef anneal(start, end, pct):",
            "\n\n\ndef one_cycle(step):",
            "\n\n\nlr, beta1 = one_cycle(0)\n",
            "    lr, beta1 = one_cycle(step)  # OneCycleLR",
        ],
    );
    // A stochastic run carries the terms' tilts and each epoch's order.
    let s = export_numpy(&[
        "--surface",
        "himmelblau",
        "--variant",
        "stochastic",
        "--steps",
        "20",
    ]);
    assert!(
        s.contains("TILTS = [")
            && s.contains("ORDER = [")
            && s.contains("    return grad_f(theta) + np.array(tilt)"),
        "{s}"
    );
}

#[test]
fn what_cannot_be_exported_is_refused_with_the_reason() {
    // An invalid run is refused as `trace` refuses it, not written out.
    let out = gdviz(&[
        "export",
        "--surface",
        "booth",
        "--optimizer",
        "newton",
        "--variant",
        "stochastic",
    ]);
    assert_eq!(out.status.code(), Some(2));
    // So is a start where f is not finite, and more steps than a run may take, in either language.
    for lang in ["torch", "numpy"] {
        for args in [
            &["--expr", "log(x)", "--start", "-1,0"][..],
            &["--steps", "2000000"],
        ] {
            let out = gdviz(&[&["export", "--lang", lang], args].concat());
            assert_eq!(out.status.code(), Some(2), "{lang} {args:?}");
        }
    }
    // NumPy: L-BFGS is torch's alone.
    let out = gdviz(&["export", "--lang", "numpy", "--optimizer", "lbfgs"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("choose PyTorch (--lang torch)"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// The floats of the Python list `name = ctor([...])` in `script`.
fn literal(script: &str, name: &str) -> Vec<f64> {
    let start = script
        .find(&format!("{name} = "))
        .unwrap_or_else(|| panic!("no {name} in\n{script}"));
    let open = start + script[start..].find('[').unwrap();
    let close = open + script[open..].find(']').unwrap();
    script[open + 1..close]
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| t.parse().unwrap())
        .collect()
}

#[test]
fn dataset_scripts_carry_every_example_exactly() {
    let mut datasets = 0;
    for entry in gdviz::surface::catalog() {
        let surface = gdviz::surface::by_name(entry.name).unwrap();
        let Some(data) = surface.data() else { continue };
        datasets += 1;
        for lang in ["torch", "numpy"] {
            let script = export_in(lang, &["--surface", entry.name]);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            let (x, y) = match entry.name {
                "recommender" => (None, literal(&script, "RATINGS")),
                "svm" => (
                    Some(literal(&script, "DATA_X1")),
                    literal(&script, "DATA_Y"),
                ),
                _ => (Some(literal(&script, "DATA_X")), literal(&script, "DATA_Y")),
            };
            assert_eq!(bits(&y), bits(&data.y), "{lang} {}", entry.name);
            if let Some(x) = x {
                assert_eq!(bits(&x), bits(&data.x), "{lang} {}", entry.name);
            }
            if let Some(x2) = &data.x2 {
                assert_eq!(bits(&literal(&script, "DATA_X2")), bits(x2), "{lang}");
            }
            assert_contains(
                &script,
                &[
                    &format!("ALL = list(range({}))", data.y.len()),
                    "def f(theta, batch=ALL):",
                ],
            );
        }
    }
    assert_eq!(datasets, 9);
    // A stochastic run's step takes the gradient of its batch's mean loss, in both languages.
    let args = [
        "--surface",
        "ridge",
        "--variant",
        "minibatch",
        "--batch-size",
        "5",
    ];
    assert_contains(
        &export_in("torch", &args),
        &[
            "loss = f(theta, sorted(batch_of(step)))",
            "F.mse_loss(",
            "# 5 of the 50 examples per step.",
        ],
    );
    assert_contains(
        &export_in("numpy", &args),
        &[
            "return grad_f(theta, sorted(batch_of(step)))",
            "def grad_f(theta, batch=ALL):",
            "intercept, slope = theta",
        ],
    );
}

/// A Python that has `module`: `GDVIZ_PYTHON`, else `python3` if it imports it.
fn python_with(module: &str) -> Option<PathBuf> {
    let candidates = std::env::var_os("GDVIZ_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([PathBuf::from("python3")]);
    candidates.into_iter().find(|p| {
        Command::new(p)
            .args(["-c", &format!("import {module}")])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// The largest relative difference between two `step,x,y,loss,lr` outputs (same rows).
fn worst_difference(a: &str, b: &str) -> f64 {
    let (ra, rb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    assert_eq!(ra.len(), rb.len(), "different rows:\n{a}\n---\n{b}");
    assert_eq!(ra[0], rb[0]);
    let mut worst = 0.0f64;
    for (la, lb) in ra.iter().zip(&rb).skip(1) {
        // The same step on each row: a script that numbers its rows otherwise is wrong.
        assert_eq!(la.split(',').next(), lb.split(',').next(), "{la} / {lb}");
        for (u, v) in la.split(',').zip(lb.split(',')).skip(1) {
            if u.is_empty() && v.is_empty() {
                continue;
            }
            let (u, v): (f64, f64) = (u.parse().unwrap(), v.parse().unwrap());
            worst = worst.max((u - v).abs() / v.abs().max(1e-6));
        }
    }
    worst
}

/// Runs on analytic surfaces and typed functions: every optimizer, schedule kind, clipping, variant.
const CASES: &[&[&str]] = &[
    &[
        "--surface",
        "booth",
        "--optimizer",
        "sgd",
        "--lr",
        "0.05",
        "--steps",
        "100",
    ],
    &[
        "--surface",
        "himmelblau",
        "--optimizer",
        "momentum",
        "--lr",
        "0.001",
        "--dampening",
        "0.5",
    ],
    &[
        "--surface",
        "rosenbrock",
        "--optimizer",
        "adam",
        "--lr",
        "0.01",
        "--weight-decay",
        "0.01",
    ],
    &[
        "--surface",
        "beale",
        "--optimizer",
        "nadam",
        "--lr",
        "0.01",
        "--decoupled-weight-decay",
        "--weight-decay",
        "0.1",
    ],
    &[
        "--surface",
        "six-hump-camel",
        "--optimizer",
        "radam",
        "--lr",
        "0.05",
    ],
    &[
        "--surface",
        "plateau",
        "--optimizer",
        "rmsprop",
        "--lr",
        "0.01",
        "--centered",
        "--momentum",
        "0.5",
    ],
    &[
        "--surface",
        "double-well",
        "--optimizer",
        "adagrad",
        "--lr",
        "0.1",
        "--lr-decay",
        "0.01",
    ],
    &[
        "--surface",
        "ravine",
        "--param",
        "kappa=50",
        "--optimizer",
        "adamax",
        "--lr",
        "0.05",
    ],
    &[
        "--surface",
        "matyas",
        "--optimizer",
        "adadelta",
        "--lr",
        "1",
        "--rho",
        "0.5",
    ],
    &[
        "--surface",
        "saddle",
        "--optimizer",
        "rprop",
        "--lr",
        "0.01",
        "--steps",
        "50",
    ],
    &[
        "--surface",
        "booth",
        "--optimizer",
        "lbfgs",
        "--lr",
        "0.5",
        "--history-size",
        "3",
    ],
    &[
        "--surface",
        "booth",
        "--optimizer",
        "lbfgs",
        "--line-search",
        "strong_wolfe",
    ],
    &[
        "--surface",
        "saddle",
        "--optimizer",
        "newton",
        "--lr",
        "0.5",
        "--steps",
        "20",
    ],
    &[
        "--surface",
        "booth",
        "--optimizer",
        "linesearch",
        "--lr",
        "10",
        "--clip-value",
        "20",
        "--steps",
        "30",
    ],
    &[
        "--surface",
        "booth",
        "--optimizer",
        "sgd",
        "--lr",
        "0.2",
        "--steps",
        "100",
    ],
    &[
        "--surface",
        "booth",
        "--optimizer",
        "sgd",
        "--lr",
        "0.05",
        "--variant",
        "stochastic",
        "--steps",
        "300",
        "--seed",
        "3",
    ],
    &[
        "--surface",
        "himmelblau",
        "--optimizer",
        "adam",
        "--lr",
        "0.05",
        "--variant",
        "minibatch",
        "--batch-size",
        "7",
        "--noise",
        "2",
    ],
    // A mini-batch of all 50 terms is the full gradient, exactly.
    &[
        "--surface",
        "booth",
        "--optimizer",
        "adam",
        "--lr",
        "0.1",
        "--variant",
        "minibatch",
        "--batch-size",
        "50",
    ],
    &[
        "--expr",
        "x^2 + 10*y^2 + sin(x*y) + abs(x-1) + min(x, y)",
        "--optimizer",
        "rmsprop",
        "--lr",
        "0.01",
    ],
    &[
        "--expr",
        "log(1 + x^2) + sigmoid(y)^3 + max(x, 0.5) + tanh(x) + exp(-y)",
        "--optimizer",
        "nadam",
        "--lr",
        "0.05",
    ],
    &[
        "--surface",
        "himmelblau",
        "--optimizer",
        "sgd",
        "--lr",
        "0.01",
        "--steps",
        "100",
        "--schedule",
        "multistep:milestones=10/20,gamma=0.3",
    ],
    &[
        "--surface",
        "six-hump-camel",
        "--optimizer",
        "momentum",
        "--steps",
        "100",
        "--schedule",
        "onecycle:max_lr=0.01,total_steps=100",
    ],
    &[
        "--surface",
        "himmelblau",
        "--optimizer",
        "adam",
        "--lr",
        "0.1",
        "--steps",
        "100",
        "--schedule",
        "plateau:patience=3,factor=0.5",
        "--clip-norm",
        "10",
    ],
    &[
        "--surface",
        "booth",
        "--optimizer",
        "adam",
        "--lr",
        "0.5",
        "--schedule",
        "cosine-restarts:t_0=10,t_mult=2",
    ],
    &[
        "--surface",
        "booth",
        "--optimizer",
        "sgd",
        "--lr",
        "0.01",
        "--schedule",
        "linear:start_factor=0.1,total_iters=20",
    ],
];

/// Runs on the dataset losses, whose scripts carry their examples: every surface, every
/// optimizer (on logistic regression), each variant, a schedule and clipping.
const DATASET_CASES: &[&[&str]] = &[
    &[
        "--surface",
        "collinear",
        "--optimizer",
        "sgd",
        "--steps",
        "50",
    ],
    &[
        "--surface",
        "linear-regression",
        "--optimizer",
        "momentum",
        "--variant",
        "minibatch",
        "--batch-size",
        "5",
        "--steps",
        "60",
    ],
    &[
        "--surface",
        "linear-regression-std",
        "--optimizer",
        "newton",
        "--steps",
        "5",
    ],
    &[
        "--surface",
        "logistic-regression",
        "--optimizer",
        "adam",
        "--lr",
        "0.3",
        "--variant",
        "stochastic",
        "--schedule",
        "cosine:t_max=80",
        "--clip-norm",
        "1",
        "--steps",
        "80",
    ],
    &[
        "--surface",
        "ridge",
        "--optimizer",
        "nesterov",
        "--variant",
        "stochastic",
        "--schedule",
        "step:step_size=10,gamma=0.5",
        "--steps",
        "40",
    ],
    &[
        "--surface",
        "lasso",
        "--optimizer",
        "rmsprop",
        "--variant",
        "minibatch",
        "--batch-size",
        "10",
        "--steps",
        "60",
        "--clip-value",
        "0.5",
    ],
    &[
        "--surface",
        "svm",
        "--optimizer",
        "linesearch",
        "--steps",
        "30",
    ],
    &[
        "--surface",
        "svm",
        "--optimizer",
        "sgd",
        "--variant",
        "stochastic",
        "--steps",
        "200",
        "--lr",
        "0.5",
    ],
    &[
        "--surface",
        "tiny-nn",
        "--optimizer",
        "newton",
        "--steps",
        "10",
    ],
    &[
        "--surface",
        "recommender",
        "--optimizer",
        "adamw",
        "--variant",
        "minibatch",
        "--batch-size",
        "4",
        "--seed",
        "3",
        "--steps",
        "60",
        "--param",
        "lambda=0.2",
    ],
    &[
        "--surface",
        "recommender",
        "--optimizer",
        "lbfgs",
        "--line-search",
        "strong_wolfe",
        "--steps",
        "15",
    ],
    &[
        "--surface",
        "logistic-regression",
        "--optimizer",
        "sgd",
        "--steps",
        "50",
    ],
    &[
        "--surface",
        "logistic-regression",
        "--optimizer",
        "momentum",
        "--steps",
        "50",
    ],
    &[
        "--surface",
        "logistic-regression",
        "--optimizer",
        "nesterov",
        "--steps",
        "50",
    ],
    &[
        "--surface",
        "logistic-regression",
        "--optimizer",
        "adagrad",
        "--steps",
        "50",
    ],
    &[
        "--surface",
        "logistic-regression",
        "--optimizer",
        "rmsprop",
        "--steps",
        "50",
    ],
    &[
        "--surface",
        "logistic-regression",
        "--optimizer",
        "adam",
        "--steps",
        "50",
    ],
    &[
        "--surface",
        "logistic-regression",
        "--optimizer",
        "adamw",
        "--steps",
        "50",
    ],
    &[
        "--surface",
        "logistic-regression",
        "--optimizer",
        "nadam",
        "--steps",
        "50",
    ],
    &[
        "--surface",
        "logistic-regression",
        "--optimizer",
        "radam",
        "--steps",
        "50",
    ],
    &[
        "--surface",
        "logistic-regression",
        "--optimizer",
        "adamax",
        "--steps",
        "50",
    ],
    &[
        "--surface",
        "logistic-regression",
        "--optimizer",
        "adadelta",
        "--steps",
        "50",
    ],
    &[
        "--surface",
        "logistic-regression",
        "--optimizer",
        "rprop",
        "--steps",
        "50",
    ],
    &[
        "--surface",
        "logistic-regression",
        "--optimizer",
        "lbfgs",
        "--steps",
        "50",
    ],
    &[
        "--surface",
        "logistic-regression",
        "--optimizer",
        "newton",
        "--steps",
        "50",
        "--start",
        "0,0",
    ],
    &[
        "--surface",
        "logistic-regression",
        "--optimizer",
        "linesearch",
        "--steps",
        "50",
    ],
];

#[test]
fn torch_prints_the_same_path_as_gdviz() {
    let Some(python) = python_with("torch") else {
        eprintln!("skipped: no Python with torch (set GDVIZ_PYTHON to one to run this test)");
        return;
    };
    let cases: Vec<&[&str]> = CASES.iter().chain(DATASET_CASES).copied().collect();
    compare(&python, "torch", &cases);
}

/// Runs `script` of each case in `lang` with `python`, and checks it prints what `gdviz trace`
/// prints to 1e-11 relative (see the module's note on pow).
fn compare(python: &Path, lang: &str, cases: &[&[&str]]) {
    let dir = std::env::temp_dir().join(format!("gdviz-export-{lang}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut worst = (0.0f64, 0);
    for (i, args) in cases.iter().enumerate() {
        let script = dir.join(format!("run{i}.py"));
        let out = gdviz(&[&["export", "--lang", lang], *args].concat());
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::write(&script, out.stdout).unwrap();
        let out = Command::new(python).arg(&script).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let trace = gdviz(&[&["trace"], *args].concat());
        let e = worst_difference(
            &String::from_utf8(out.stdout).unwrap(),
            &String::from_utf8(trace.stdout).unwrap(),
        );
        assert!(e <= 1e-11, "{args:?}: {e:e}");
        if e >= worst.0 {
            worst = (e, i);
        }
    }
    eprintln!(
        "{lang}: {} cases; the largest relative difference from gdviz trace: {:e} ({:?})",
        cases.len(),
        worst.0,
        cases[worst.1]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs for the NumPy export beyond [`CASES`]: Newton's method on every analytic surface and a
/// typed f (their Hessians written out), the options each optimizer has, and the schedules and
/// clipping in their other forms.
const NUMPY_CASES: &[&[&str]] = &[
    &[
        "--surface",
        "rosenbrock",
        "--optimizer",
        "newton",
        "--steps",
        "20",
    ],
    &[
        "--surface",
        "himmelblau",
        "--optimizer",
        "newton",
        "--lr",
        "0.5",
        "--steps",
        "30",
    ],
    &[
        "--surface",
        "beale",
        "--optimizer",
        "newton",
        "--start",
        "2.5,0.3",
        "--steps",
        "20",
    ],
    &[
        "--surface",
        "six-hump-camel",
        "--optimizer",
        "newton",
        "--steps",
        "20",
    ],
    &[
        "--surface",
        "plateau",
        "--optimizer",
        "newton",
        "--start",
        "1,0.5",
        "--steps",
        "20",
    ],
    &[
        "--surface",
        "double-well",
        "--optimizer",
        "newton",
        "--steps",
        "20",
    ],
    &[
        "--surface",
        "matyas",
        "--optimizer",
        "newton",
        "--lr",
        "0.5",
        "--steps",
        "20",
    ],
    &[
        "--surface",
        "ravine",
        "--param",
        "kappa=100",
        "--optimizer",
        "newton",
        "--lr",
        "0.5",
        "--steps",
        "20",
    ],
    &[
        "--expr",
        "x^4/4 + (y - x)^2 + cos(x)",
        "--optimizer",
        "newton",
        "--start",
        "1.5,-1",
        "--steps",
        "20",
    ],
    &[
        "--expr",
        "log(1 + exp(x - y)) + 0.1*(x^2 + y^2)",
        "--optimizer",
        "newton",
        "--steps",
        "20",
    ],
    &[
        "--expr",
        "sqrt(1 + x^2 + 2*y^2) + pow(x + 2, 1.5)",
        "--optimizer",
        "adam",
        "--lr",
        "0.05",
    ],
    &[
        "--expr",
        "x/(2 + sin(y)) + tan(y/3)^2 + x^2",
        "--optimizer",
        "linesearch",
        "--steps",
        "40",
    ],
    &[
        "--surface",
        "double-well",
        "--optimizer",
        "nesterov",
        "--lr",
        "0.01",
        "--weight-decay",
        "0.01",
    ],
    &[
        "--surface",
        "booth",
        "--optimizer",
        "adam",
        "--lr",
        "0.1",
        "--amsgrad",
    ],
    &[
        "--surface",
        "rosenbrock",
        "--optimizer",
        "adamw",
        "--lr",
        "0.02",
        "--amsgrad",
        "--steps",
        "300",
    ],
    &[
        "--surface",
        "matyas",
        "--optimizer",
        "adagrad",
        "--lr",
        "0.5",
        "--initial-accumulator",
        "0.1",
        "--weight-decay",
        "0.01",
    ],
    &[
        "--surface",
        "beale",
        "--optimizer",
        "rmsprop",
        "--lr",
        "0.005",
    ],
    &[
        "--surface",
        "six-hump-camel",
        "--optimizer",
        "rmsprop",
        "--lr",
        "0.005",
        "--centered",
        "--decay",
        "0.3",
    ],
    &[
        "--surface",
        "himmelblau",
        "--optimizer",
        "radam",
        "--lr",
        "0.05",
        "--decoupled-weight-decay",
        "--weight-decay",
        "0.1",
        "--steps",
        "300",
    ],
    &[
        "--surface",
        "himmelblau",
        "--optimizer",
        "adam",
        "--lr",
        "0.05",
        "--beta1",
        "0.3",
    ],
    &[
        "--surface",
        "six-hump-camel",
        "--optimizer",
        "adamax",
        "--lr",
        "0.02",
        "--weight-decay",
        "0.05",
    ],
    &[
        "--surface",
        "matyas",
        "--optimizer",
        "adadelta",
        "--lr",
        "1",
        "--weight-decay",
        "0.1",
    ],
    &[
        "--surface",
        "himmelblau",
        "--optimizer",
        "rprop",
        "--lr",
        "0.1",
        "--etas",
        "0.3,1.5",
        "--step-sizes",
        "0.001,1",
    ],
    &[
        "--surface",
        "himmelblau",
        "--optimizer",
        "nadam",
        "--lr",
        "0.05",
        "--momentum-decay",
        "0.01",
        "--weight-decay",
        "0.01",
    ],
    &[
        "--surface",
        "booth",
        "--optimizer",
        "sgd",
        "--lr",
        "0.05",
        "--steps",
        "60",
        "--schedule",
        "step:step_size=10,gamma=0.5",
        "--clip-value",
        "3",
    ],
    &[
        "--surface",
        "booth",
        "--optimizer",
        "momentum",
        "--lr",
        "0.01",
        "--schedule",
        "exponential:gamma=0.99",
    ],
    &[
        "--surface",
        "himmelblau",
        "--optimizer",
        "adam",
        "--steps",
        "100",
        "--schedule",
        "onecycle:max_lr=0.1,total_steps=120",
    ],
    &[
        "--surface",
        "himmelblau",
        "--optimizer",
        "sgd",
        "--steps",
        "100",
        "--schedule",
        "onecycle:max_lr=0.01,total_steps=100,three_phase=true,anneal_strategy=linear",
    ],
    &[
        "--surface",
        "himmelblau",
        "--optimizer",
        "rmsprop",
        "--steps",
        "100",
        "--schedule",
        "onecycle:max_lr=0.01,total_steps=100,base_momentum=0,max_momentum=0.5",
    ],
    &[
        "--surface",
        "himmelblau",
        "--optimizer",
        "adagrad",
        "--lr",
        "0.5",
        "--schedule",
        "onecycle:max_lr=0.5,total_steps=200,cycle_momentum=false",
    ],
    &[
        "--surface",
        "booth",
        "--optimizer",
        "rprop",
        "--schedule",
        "linear:start_factor=0.5,total_iters=10",
    ],
    &[
        "--surface",
        "himmelblau",
        "--optimizer",
        "sgd",
        "--lr",
        "0.01",
        "--schedule",
        "plateau:patience=2,threshold_mode=abs,threshold=0.5,cooldown=3,min_lr=0.001",
    ],
    &[
        "--surface",
        "booth",
        "--optimizer",
        "linesearch",
        "--lr",
        "1",
        "--schedule",
        "cosine:t_max=20",
        "--steps",
        "50",
    ],
    &[
        "--surface",
        "rosenbrock",
        "--optimizer",
        "adam",
        "--lr",
        "0.01",
        "--variant",
        "stochastic",
        "--noise",
        "5",
        "--clip-norm",
        "20",
        "--clip-value",
        "10",
    ],
    &[
        "--surface",
        "booth",
        "--optimizer",
        "sgd",
        "--lr",
        "0.05",
        "--variant",
        "minibatch",
        "--batch-size",
        "50",
    ],
    &[
        "--expr",
        "x^2 + 3*y^2 + abs(x*y)",
        "--optimizer",
        "momentum",
        "--lr",
        "0.02",
        "--variant",
        "minibatch",
        "--batch-size",
        "10",
        "--seed",
        "7",
    ],
];

#[test]
fn numpy_prints_the_same_path_as_gdviz() {
    let Some(python) = python_with("numpy") else {
        eprintln!("skipped: no Python with NumPy (set GDVIZ_PYTHON to one to run this test)");
        return;
    };
    let cases: Vec<&[&str]> = CASES
        .iter()
        .chain(NUMPY_CASES)
        .chain(DATASET_CASES)
        .filter(|args| !args.contains(&"lbfgs"))
        .copied()
        .collect();
    compare(&python, "numpy", &cases);
}
