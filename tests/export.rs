//! `gdviz export --lang torch`: the script spells out what the run does, refuses what it cannot
//! write, and — where a Python with torch is at hand — prints the same trajectory as
//! `gdviz trace` (≤ 1e-12 relative on runs that are not chaotic).

use std::path::PathBuf;
use std::process::Command;

fn gdviz(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gdviz"))
        .args(args)
        .output()
        .expect("run gdviz")
}

fn export(args: &[&str]) -> String {
    let out = gdviz(&[&["export", "--lang", "torch"], args].concat());
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
    for want in [
        "return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2",
        "theta = torch.tensor([-6.0, -6.0], requires_grad=True)",
        "opt = torch.optim.AdamW([theta], lr=0.1, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.01, amsgrad=True)",
        "sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=50, eta_min=0.001)",
        "torch.nn.utils.clip_grad_norm_([theta], 5.0)",
        "for step in range(1, 50 + 1):",
        "    sched.step()",
    ] {
        assert!(s.contains(want), "missing {want:?} in\n{s}");
    }
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

#[test]
fn what_cannot_be_exported_is_refused_with_the_reason() {
    let out = gdviz(&["export", "--surface", "linear-regression"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("dataset loss, which cannot be exported yet"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
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
    let out = gdviz(&["export", "--lang", "numpy"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A Python that has torch: `GDVIZ_PYTHON`, else `python3` if it imports torch.
fn python_with_torch() -> Option<PathBuf> {
    let candidates = std::env::var_os("GDVIZ_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([PathBuf::from("python3")]);
    candidates.into_iter().find(|p| {
        Command::new(p)
            .args(["-c", "import torch"])
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

#[test]
fn torch_prints_the_same_path_as_gdviz() {
    let Some(python) = python_with_torch() else {
        eprintln!("skipped: no Python with torch (set GDVIZ_PYTHON to one to run this test)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("gdviz-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases: &[&[&str]] = &[
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
            "himmelblau",
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
    let mut worst = 0.0f64;
    for (i, args) in cases.iter().enumerate() {
        let script = dir.join(format!("run{i}.py"));
        std::fs::write(&script, export(args)).unwrap();
        let out = Command::new(&python).arg(&script).output().unwrap();
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
        assert!(e <= 1e-12, "{args:?}: {e:e}");
        worst = worst.max(e);
    }
    eprintln!(
        "{} cases; the largest relative difference from gdviz trace: {worst:e}",
        cases.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
