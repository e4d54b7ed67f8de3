//! The `gdviz` command line as a user calls it.

use std::process::Output;

mod common;
use common::{assert_rejected, gdviz};

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn trace_prints_csv_with_the_start_as_row_zero() {
    let o = gdviz(&[
        "trace",
        "--surface",
        "booth",
        "--optimizer",
        "sgd",
        "--lr",
        "0.01",
        "--steps",
        "3",
        "--start",
        "-6,-6",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    // The last column is the learning rate of the step that led to the row: none for the start.
    assert_eq!(lines[0], "step,x,y,loss,lr");
    assert_eq!(lines[1], "0,-6.0,-6.0,1154.0,");
    assert_eq!(lines.len(), 5);
    assert!(lines[2..].iter().all(|l| l.ends_with(",0.01")), "{lines:?}");
    // Step 1 by hand: at (−6, −6), x+2y−7 = −25 and 2x+y−5 = −23, so ∇booth = (2·−25 + 4·−23,
    // 4·−25 + 2·−23) = (−142, −146) and θ₁ = (−6 + 1.42, −6 + 1.46).
    let row: Vec<f64> = lines[2].split(',').map(|v| v.parse().unwrap()).collect();
    assert_eq!(row.len(), 5);
    assert_eq!(row[0], 1.0);
    assert!(
        (row[1] - -4.58).abs() < 1e-12 && (row[2] - -4.54).abs() < 1e-12,
        "{row:?}"
    );
}

/// OneCycleLR's rates are its own, whatever `--lr` says: from max_lr/div_factor (torch's cosine
/// at p = 0, one rounding off 0.004) up to max_lr at step 2 (pct_start·total_steps − 1 = 2.0
/// exactly, 0.3·10 rounding to 3) and down to max_lr/div_factor/final_div_factor for step 10
/// (p = 1 at `last_epoch` 9, where the cosine gives the end exactly).
#[test]
fn trace_follows_one_cycle_not_lr() {
    let rates = |lr: &str| {
        let o = gdviz(&[
            "trace",
            "--surface",
            "booth",
            "--optimizer",
            "adam",
            "--lr",
            lr,
            "--steps",
            "10",
            "--schedule",
            "onecycle:max_lr=0.1,total_steps=10",
            "--format",
            "json",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        v["lr"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect::<Vec<_>>()
    };
    let r = rates("0.001");
    assert_eq!(r, rates("5"));
    assert_eq!(r[0], 0.1 + (0.1 / 25.0 - 0.1) / 2.0 * 2.0);
    assert_eq!(r[2], 0.1);
    assert!(r[3] < 0.1, "{r:?}");
    assert_eq!(r[9], 0.1 / 25.0 / 1e4);
}

/// A schedule's rates are the CSV's last column: StepLR halving every 2 steps from 0.1.
#[test]
fn trace_writes_each_steps_scheduled_rate() {
    let o = gdviz(&[
        "trace",
        "--surface",
        "booth",
        "--lr",
        "0.1",
        "--steps",
        "5",
        "--schedule",
        "step:step_size=2,gamma=0.5",
        "--clip-norm",
        "1",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    let rates: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap())
        .collect();
    assert_eq!(rates, ["", "0.1", "0.1", "0.05", "0.05", "0.025"]);
    let json = stdout(&gdviz(&[
        "trace",
        "--surface",
        "booth",
        "--lr",
        "0.05",
        "--steps",
        "2",
        "--schedule",
        "exponential:gamma=0.5",
        "--format",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["schedule"], "exponential:gamma=0.5");
    assert_eq!(v["lr"], serde_json::json!([0.05, 0.025]));
}

#[test]
fn negative_start_and_every_option_are_accepted() {
    let o = gdviz(&[
        "trace",
        "--surface",
        "rosenbrock",
        "--optimizer",
        "adam",
        "--lr",
        "0.05",
        "--steps",
        "10",
        "--start",
        "-1.2,1",
        "--beta1",
        "0.8",
        "--beta2",
        "0.99",
        "--eps",
        "1e-6",
        "--variant",
        "minibatch",
        "--batch-size",
        "5",
        "--seed",
        "3",
        "--noise",
        "2",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(stdout(&o).lines().count(), 12);
    let o = gdviz(&[
        "trace",
        "--surface",
        "ravine",
        "--param",
        "kappa=100",
        "--steps",
        "2",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn json_reports_status_and_trajectory() {
    let o = gdviz(&[
        "trace",
        "--surface",
        "booth",
        "--lr",
        "0.12",
        "--steps",
        "500",
        "--format",
        "json",
    ]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["status"], "diverged");
    assert_eq!(v["converged_at"], serde_json::Value::Null);
    let k = v["diverged_at"].as_u64().unwrap() as usize;
    let traj = v["trajectory"].as_array().unwrap();
    assert_eq!(traj.len(), k + 1);
    assert!(traj
        .iter()
        .flat_map(|p| p.as_array().unwrap())
        .all(|x| x.as_f64().unwrap().is_finite()));

    let o = gdviz(&[
        "trace",
        "--surface",
        "booth",
        "--lr",
        "0.1",
        "--steps",
        "500",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["status"], "converged");
    assert_eq!(v["trajectory"].as_array().unwrap().len(), 501);
    // ‖∇f(θₖ)‖ = 0.8ᵏ·√41480 at γ = 0.1: below 1e-6 from step 86 on (tests/runs.rs).
    assert_eq!(v["converged_at"], 86);
    assert_eq!(v["diverged_at"], serde_json::Value::Null);
    let o = gdviz(&[
        "trace",
        "--surface",
        "rosenbrock",
        "--steps",
        "5",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["status"], "max-steps");
    assert_eq!(v["converged_at"], serde_json::Value::Null);
}

#[test]
fn bad_arguments_exit_2_naming_the_argument() {
    let cases: &[(&[&str], &str)] = &[
        (&["trace", "--surface", "nope"], "--surface"),
        (&["trace", "--optimizer", "adamx"], "--optimizer"),
        (&["trace", "--lr", "-1"], "--lr"),
        (&["trace", "--lr", "abc"], "--lr"),
        (&["trace", "--lr", "NaN"], "--lr"),
        (&["trace", "--steps", "-5"], "--steps"),
        (&["trace", "--start", "1"], "--start"),
        (&["trace", "--start", "1,x"], "--start"),
        (
            &["trace", "--optimizer", "momentum", "--momentum", "1.5"],
            "--momentum",
        ),
        (&["trace", "--optimizer", "adam", "--beta1", "1"], "--beta1"),
        (
            &["trace", "--optimizer", "adam", "--beta2", "-0.1"],
            "--beta2",
        ),
        (&["trace", "--optimizer", "adam", "--eps", "0"], "--eps"),
        (
            &["trace", "--optimizer", "rmsprop", "--decay", "2"],
            "--decay",
        ),
        (
            &["trace", "--optimizer", "sgd", "--beta1", "0.5"],
            "--beta1",
        ),
        (&["trace", "--variant", "full"], "--variant"),
        (
            &["trace", "--variant", "minibatch", "--batch-size", "0"],
            "--batch-size",
        ),
        (
            &["trace", "--variant", "minibatch", "--batch-size", "51"],
            "--batch-size",
        ),
        (&["trace", "--format", "xml"], "--format"),
        (&["trace", "--noise", "-1"], "--noise"),
        (
            &["trace", "--surface", "ravine", "--param", "kappa=0"],
            "kappa",
        ),
        (
            &["trace", "--surface", "ravine", "--param", "kappa"],
            "--param",
        ),
        (&["trace", "--bogus"], "--bogus"),
        // The options of torch.optim beyond the basic six: each refused where its optimizer
        // does not take it, or out of torch's range, naming the flag.
        (
            &["trace", "--optimizer", "nesterov", "--dampening", "0.5"],
            "--dampening",
        ),
        (&["trace", "--optimizer", "sgd", "--amsgrad"], "--amsgrad"),
        (
            &["trace", "--optimizer", "adam", "--centered"],
            "--centered",
        ),
        (
            &["trace", "--optimizer", "adam", "--decoupled-weight-decay"],
            "--decoupled-weight-decay",
        ),
        (
            &["trace", "--optimizer", "adamw", "--weight-decay", "-0.1"],
            "--weight-decay",
        ),
        (
            &["trace", "--optimizer", "rprop", "--etas", "0.5,0.9"],
            "--etas",
        ),
        (
            &["trace", "--optimizer", "rprop", "--step-sizes", "2,1"],
            "--step-sizes",
        ),
        (
            &["trace", "--optimizer", "adadelta", "--rho", "1.5"],
            "--rho",
        ),
        (
            &["trace", "--optimizer", "adagrad", "--lr-decay", "nan"],
            "--lr-decay",
        ),
    ];
    assert_rejected(cases);
    // What torch's OneCycleLR refuses is one line naming the schedule and the way out.
    let one_line = |args: &[&str], says: &str| {
        let o = gdviz(args);
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains("--schedule") && err.contains(says), "{err}");
        assert!(o.stdout.is_empty());
    };
    one_line(
        &[
            "trace",
            "--optimizer",
            "adagrad",
            "--schedule",
            "onecycle:max_lr=0.1,total_steps=200",
        ],
        "adagrad has no momentum or β₁; set cycle_momentum=false",
    );
    one_line(
        &[
            "trace",
            "--steps",
            "300",
            "--schedule",
            "onecycle:max_lr=0.1,total_steps=200",
        ],
        "the run takes 300 steps but total_steps is 200",
    );
    one_line(
        &["trace", "--schedule", "plateau:threshold_mode=max"],
        "plateau: threshold_mode must be rel or abs (got 'max')",
    );
    // Unknown names list the valid ones.
    let err =
        String::from_utf8_lossy(&gdviz(&["trace", "--optimizer", "adamx"]).stderr).to_string();
    assert!(err.contains("adam") && err.contains("rmsprop"), "{err}");
}

#[test]
fn list_shows_every_surface_and_optimizer_with_defaults() {
    let o = gdviz(&["list"]);
    assert!(o.status.success());
    let out = stdout(&o);
    for entry in gdviz::surface::catalog() {
        assert!(out.contains(entry.name), "{}", entry.name);
    }
    for name in [
        "sgd",
        "momentum",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adam",
        "--beta2 0.999",
        "--eps 1e-10",
    ] {
        assert!(out.contains(name), "{name}");
    }
    assert!(out.contains("view x ∈ [-2, 2], y ∈ [-1, 3]; start (-1.2, 1)"));
    assert!(out.contains("minima (1.0000, 3.0000)"));
}

/// clap's own errors are one line too, naming the argument and what it takes, with exit code 2
/// (they were three lines with a usage and a help hint, and most said nothing of what is allowed).
#[test]
fn every_argument_error_is_one_line_naming_the_argument_and_what_it_takes() {
    let cases: &[(&[&str], &[&str])] = &[
        (&["trace", "--steps", "-5"], &["--steps", "whole number"]),
        (&["trace", "--steps", "abc"], &["--steps", "whole number"]),
        (&["trace", "--seed", "1.5"], &["--seed", "whole number"]),
        (&["trace", "--lr"], &["--lr", "a number"]),
        (&["trace", "--format", "xml"], &["--format", "csv", "json"]),
        (
            &["trace", "--bogus"],
            &["--bogus", "--surface", "--optimizer"],
        ),
        (&["trace", "--start", "1"], &["--start", "X,Y"]),
        (&["trace", "--param", "kappa"], &["--param", "NAME=VALUE"]),
        (&["trace", "--xrange", "0,1"], &["--xrange", "--expr"]),
        (
            &["trace", "--expr", "x^2", "--surface", "booth"],
            &["--expr", "--surface"],
        ),
        (&["render"], &["--out"]),
        (&["render", "--out", "x.txt"], &["--out", ".svg", ".png"]),
        (
            &["render", "--out", "x.svg", "--width", "10"],
            &["--width", "320", "4096"],
        ),
        (&["frobnicate"], &["frobnicate", "trace", "render", "list"]),
        (&[], &["trace", "render", "list"]),
    ];
    for (args, names) in cases {
        let o = gdviz(args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: not one line: {err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        for name in *names {
            assert!(err.contains(name), "{args:?}: does not name {name}: {err}");
        }
        assert!(o.stdout.is_empty());
    }
    // Help still works, on standard output, with success.
    let o = gdviz(&["trace", "--help"]);
    assert!(o.status.success() && stdout(&o).contains("--surface"));
}

/// A write error is exit 1 with a message; only a closed pipe is a quiet success.
#[test]
fn output_that_cannot_be_written_is_an_error_but_a_closed_pipe_is_not() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let o = Command::new(env!("CARGO_BIN_EXE_gdviz"))
        .args(["trace", "--steps", "100000"])
        .stdout(full)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot write"), "{err}");
    // `| head -1`: the reader goes away after one line.
    let mut child = Command::new(env!("CARGO_BIN_EXE_gdviz"))
        .args(["trace", "--steps", "100000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first, "step,x,y,loss,lr\n");
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stderr.is_empty());
}

/// A huge title is refused at once with its limit; characters XML forbids never reach an SVG.
#[test]
fn titles_are_one_line_of_what_xml_allows_and_have_a_limit() {
    let dir = std::env::temp_dir().join(format!("gdviz-title-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("t.svg");
    let svg_s = svg.to_str().unwrap();
    let long = "a".repeat(10_000);
    let o = gdviz(&["render", "--steps", "5", "--out", svg_s, "--title", &long]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("--title") && err.contains("300"), "{err}");
    assert!(!svg.exists());
    let o = gdviz(&[
        "render",
        "--steps",
        "5",
        "--out",
        svg_s,
        "--title",
        "a\u{1}b\u{FFFE}c\nd",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&svg).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("the SVG is XML");
    assert!(doc.descendants().any(|n| n.text() == Some("abc d")));
    // The longest title that fits is cut with an ellipsis, found in a few measurements.
    let title = "the quick brown fox ".repeat(15);
    let o = gdviz(&[
        "render",
        "--steps",
        "5",
        "--out",
        svg_s,
        "--title",
        title.trim(),
    ]);
    assert!(o.status.success());
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("fox the quick") && text.contains('…'));
    std::fs::remove_dir_all(&dir).unwrap();
}
