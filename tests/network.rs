//! Networks trained by gdviz against the same training in torch (tests/golden/network, recorded
//! by its make_network_golden.py from gdviz's own data, initial weights and batches): losses,
//! accuracies, rates and the final weights agree to 1e-9 relative, and the sharpness λmax at the
//! end to 1e-3 (power iteration against torch's explicit Hessian); and `gdviz train` at the
//! command line, with its one-line errors.

use std::process::Command;

use serde_json::Value;

fn gdviz(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gdviz"))
        .args(args)
        .output()
        .unwrap()
}

/// |a − b| within `rel` of |b|, or within `floor` (values that fall toward 0).
fn close(a: f64, b: f64, rel: f64, floor: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(floor)
}

/// Every weight of `ours` against `theirs` (state_dicts: nested lists by tensor name).
fn weights(v: &Value, out: &mut Vec<f64>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| weights(i, out)),
        Value::Number(n) => out.push(n.as_f64().unwrap()),
        other => panic!("not a weight: {other}"),
    }
}

#[test]
fn training_follows_torch() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/network");
    let mut cases = 0;
    let mut worst = (0.0f64, String::new());
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        cases += 1;
        let golden: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let args: Vec<&str> = golden["args"].as_str().unwrap().split(' ').collect();
        let steps = args[args.iter().position(|&a| a == "--steps").unwrap() + 1];
        let out = gdviz(
            &[
                &["train", "--format", "json", "--sharpness", steps],
                args.as_slice(),
            ]
            .concat(),
        );
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let ours: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(ours["diverged"], false, "{name}");
        let n_train = ours["data"]["train"]["y"].as_array().unwrap().len() as f64;
        let n_test = ours["data"]["test"]["y"].as_array().unwrap().len() as f64;
        let rows = ours["rows"].as_array().unwrap();
        for want in golden["rows"].as_array().unwrap() {
            let step = want["step"].as_u64().unwrap() as usize;
            let got = &rows[step];
            for key in ["train_loss", "test_loss"] {
                let (a, b) = (got[key].as_f64().unwrap(), want[key].as_f64().unwrap());
                assert!(
                    close(a, b, 1e-9, 1e-6),
                    "{name} step {step} {key}: {a} vs torch {b}"
                );
                let e = (a - b).abs() / b.abs().max(1e-6);
                if e > worst.0 {
                    worst = (e, format!("{name} step {step} {key}"));
                }
            }
            // To an ulp or two: a cosine schedule's cos is libm's here (the page's, `math`)
            // and the C library's in torch.
            match (got["lr"].as_f64(), want["lr"].as_f64()) {
                (Some(a), Some(b)) => assert!(
                    close(a, b, 1e-14, 0.0),
                    "{name} step {step}: lr {a} vs torch {b}"
                ),
                (a, b) => assert_eq!(a, b, "{name} step {step}"),
            }
            // An example whose logit sits within rounding of 0 may be counted either way.
            for (key, n) in [("train_acc", n_train), ("test_acc", n_test)] {
                match (got[key].as_f64(), want[key].as_f64()) {
                    (Some(a), Some(b)) => {
                        assert!(
                            (a - b).abs() <= 1.0 / n + 1e-12,
                            "{name} step {step} {key}: {a} vs {b}"
                        )
                    }
                    (None, None) => {}
                    other => panic!("{name} step {step} {key}: {other:?}"),
                }
            }
        }
        // The sharpness at the end, against the eigenvalues of torch's explicit Hessian.
        let (ours_s, torch_s) = (
            rows.last().unwrap()["sharpness"].as_f64().unwrap(),
            golden["sharpness"].as_f64().unwrap(),
        );
        assert!(
            close(ours_s, torch_s, 1e-3, 1e-3),
            "{name}: sharpness {ours_s} vs torch {torch_s}"
        );
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for (tensor, value) in golden["final"].as_object().unwrap() {
            weights(&ours["final"][tensor], &mut a);
            weights(value, &mut b);
        }
        assert_eq!(a.len(), b.len(), "{name}");
        assert_eq!(
            a.len() as u64,
            ours["parameters"].as_u64().unwrap(),
            "{name}"
        );
        for (i, (x, y)) in a.iter().zip(&b).enumerate() {
            assert!(
                close(*x, *y, 1e-9, 1e-6),
                "{name} weight {i}: {x} vs torch {y}"
            );
            let e = (x - y).abs() / y.abs().max(1e-6);
            if e > worst.0 {
                worst = (e, format!("{name} weight {i}"));
            }
        }
    }
    assert!(cases >= 10, "{cases} golden cases");
    eprintln!(
        "{cases} networks; the largest relative difference from torch: {:e} ({})",
        worst.0, worst.1
    );
}

#[test]
fn the_record_has_a_row_per_step_and_says_what_is_missing() {
    let out = gdviz(&["train", "--dataset", "sine", "--steps", "3", "--test", "0"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "step,train_loss,test_loss,train_acc,test_acc,lr");
    assert_eq!(lines.len(), 5);
    // A regression has no accuracy, an empty test set no test loss, row 0 no rate.
    assert!(
        lines[1].starts_with("0,") && lines[1].ends_with(",,,,"),
        "{}",
        lines[1]
    );
    assert!(lines[3].ends_with(",,,,0.001"), "{}", lines[3]);
}

/// A CSV of one's own: its lines are the examples, the last --test of them the test set, and a
/// malformed line is named.
#[test]
fn a_csv_file_trains_like_a_dataset() {
    let dir = std::env::temp_dir().join(format!("gdviz-train-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("xor.csv");
    std::fs::write(
        &good,
        "x1,x2,label\n-1,-1,1\n1,1,1\n-1,1,0\n1,-1,0\n0.9,0.8,1\n-0.8,0.9,0\n",
    )
    .unwrap();
    let path = good.to_str().unwrap();
    let out = gdviz(&[
        "train", "--data", path, "--test", "2", "--steps", "2", "--format", "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["task"], "classification");
    assert_eq!(
        json["data"]["train"]["y"],
        serde_json::json!([1.0, 1.0, 0.0, 0.0])
    );
    assert_eq!(
        json["data"]["test"]["x"],
        serde_json::json!([[0.9, 0.8], [-0.8, 0.9]])
    );
    // Targets so large that the first loss overflows: said, not trained on.
    let huge = dir.join("huge.csv");
    std::fs::write(&huge, "0,0,1e200\n1,1,-1e200\n0,1,3\n").unwrap();
    let out = gdviz(&[
        "train",
        "--data",
        huge.to_str().unwrap(),
        "--activation",
        "relu",
        "--init-seed",
        "3",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.code() == Some(2) && err.contains("rescale the features or the targets"),
        "{err}"
    );
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "0,0,0\n1,1,1\n2,two,1\n").unwrap();
    for (args, says) in [
        (
            vec!["--data", bad.to_str().unwrap()],
            "invalid --data: line 3: expected three numbers",
        ),
        (
            vec!["--data", "/nonexistent/x.csv"],
            "invalid --data: cannot read /nonexistent/x.csv",
        ),
        (
            vec!["--data", path, "--dataset", "moons"],
            "--data cannot be given with --dataset",
        ),
    ] {
        let out = gdviz(&[&["train"], args.as_slice()].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(says) && err.lines().count() == 1,
            "{args:?}: {err}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_arguments_exit_2_naming_them() {
    for (args, flag) in [
        (&["--hidden", "0"][..], "--hidden"),
        (&["--hidden", "8,8,8,8"], "--hidden"),
        (&["--hidden", "1000"], "--hidden"),
        (&["--hidden", "8,"], "--hidden"),
        (&["--dataset", "mnist"], "--dataset"),
        (&["--activation", "gelu"], "--activation"),
        (&["--train", "1"], "--train"),
        (&["--data-noise", "nan"], "--data-noise"),
        (&["--optimizer", "newton"], "--optimizer"),
        (
            &["--optimizer", "lbfgs", "--variant", "stochastic"],
            "--variant",
        ),
        (
            &["--variant", "minibatch", "--batch-size", "500"],
            "--batch-size",
        ),
        (&["--steps", "1000000"], "--steps"),
        (&["--sharpness", "0"], "--sharpness"),
    ] {
        let out = gdviz(&[&["train"], args].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with(&format!("error: invalid {flag}")),
            "{args:?}: {err}"
        );
    }
    // A huge rate diverges: the run stops after the step that blew the loss up, every printed
    // number finite, and the JSON says so.
    let args = [
        "train",
        "--optimizer",
        "sgd",
        "--lr",
        "1e300",
        "--steps",
        "20",
    ];
    let out = gdviz(&args);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(!text.contains("nan") && !text.contains("inf"), "{text}");
    let out = gdviz(&[&args[..], &["--format", "json"]].concat());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["diverged"], true);
}

/// `gdviz landscape`: the plane meets the run where it should — the end at the origin of the
/// plane (the grid's centre is its training loss), the line from θ₀ to θ_T through both ends'
/// losses, every path point's distance from the plane reported (0 at the end) — and PCA's
/// explained variances are fractions of one.
#[test]
fn the_landscape_meets_the_run_where_it_should() {
    let run = ["--optimizer", "adam", "--lr", "0.02", "--steps", "100"];
    let out = gdviz(&[&["train"][..], &run].concat());
    let record = String::from_utf8(out.stdout).unwrap();
    let loss_at = |line: &str| -> f64 { line.split(',').nth(1).unwrap().parse().unwrap() };
    let (first, last) = (
        loss_at(record.lines().nth(1).unwrap()),
        loss_at(record.lines().last().unwrap()),
    );

    let out = gdviz(&[&["landscape", "--plane", "random", "--grid", "5"][..], &run].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let grid = String::from_utf8(out.stdout).unwrap();
    let centre = grid.lines().find(|l| l.starts_with("0.0,0.0,")).unwrap();
    assert_eq!(loss_at(&format!("x,{}", &centre[8..])), last, "{centre}");
    assert_eq!(grid.lines().count(), 1 + 25);

    // The README's example: most of Adam's training on the default moons network moves in two
    // directions, 93% and 4.1% of the path's variance.
    let readme = [
        "--optimizer",
        "adam",
        "--lr",
        "0.02",
        "--steps",
        "300",
        "--format",
        "json",
        "--grid",
        "2",
    ];
    let out = gdviz(&[&["landscape"][..], &readme].concat());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let e: Vec<f64> = serde_json::from_value(json["explained_variance"].clone()).unwrap();
    assert_eq!(
        [
            format!("{:.0}%", e[0] * 100.0),
            format!("{:.1}%", e[1] * 100.0)
        ],
        ["93%", "4.1%"]
    );

    let out = gdviz(&[&["landscape", "--format", "json", "--grid", "8"][..], &run].concat());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let explained: Vec<f64> = serde_json::from_value(json["explained_variance"].clone()).unwrap();
    assert!(
        explained[0] >= explained[1]
            && explained[1] > 0.0
            && explained[0] + explained[1] <= 1.0 + 1e-12,
        "{explained:?}"
    );
    let path = json["path"].as_array().unwrap();
    let end = path.last().unwrap();
    assert_eq!(end["step"], 100);
    assert!(end["distance_from_plane"].as_f64().unwrap() < 1e-9);
    assert_eq!(end["loss"].as_f64().unwrap(), last);
    assert_eq!(path[0]["loss"].as_f64().unwrap(), first);
    let line = json["line"]["loss"].as_array().unwrap();
    let alpha = json["line"]["alpha"].as_array().unwrap();
    let at = |a: f64| {
        line[alpha
            .iter()
            .position(|v| (v.as_f64().unwrap() - a).abs() < 1e-12)
            .unwrap()]
        .as_f64()
        .unwrap()
    };
    assert!((at(0.0) - first).abs() < 1e-12 && (at(1.0) - last).abs() < 1e-12);
    assert_eq!(json["loss"].as_array().unwrap().len(), 8);
    // The plane's curvature at θ_T beside the network's: never more, and 2/λ for each.
    let c = &json["curvature"];
    let (plane_max, full) = (
        c["plane_eigenvalues"][1].as_f64().unwrap(),
        c["sharpness"].as_f64().unwrap(),
    );
    assert!(0.0 < plane_max && plane_max <= full * (1.0 + 1e-6), "{c}");
    assert!((c["critical_lr"].as_f64().unwrap() - 2.0 / full).abs() < 1e-12);

    for (args, says) in [
        (&["--grid", "10000"][..], "invalid --grid"),
        (
            &["--optimizer", "sgd", "--lr", "1e6", "--steps", "50"],
            "invalid --optimizer: the run diverged",
        ),
        (&["--other-lr", "0.1"], "--other-optimizer"),
        (
            &["--plane", "ends"],
            "invalid --plane: the ends plane needs a third run",
        ),
        (&["--plane", "flat"], "invalid --plane: unknown plane"),
        (&["--steps", "1"], "no two principal directions"),
        (
            &["--plane", "ends", "--other-optimizer", "newton"],
            "invalid --other-optimizer: Newton",
        ),
        (
            &[
                "--plane",
                "ends",
                "--other-optimizer",
                "sgd",
                "--other-lr",
                "-1",
            ],
            "invalid --other-lr",
        ),
    ] {
        let out = gdviz(&[&["landscape"], args].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(says) && err.lines().count() == 1,
            "{args:?}: {err}"
        );
    }
}

/// `path` is a PNG of `size` pixels with a drawing in it (more than a blank image's bytes).
fn assert_drawn_png(path: &std::path::Path, size: (u32, u32)) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[1..4], b"PNG");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    assert_eq!((be(&bytes[16..20]), be(&bytes[20..24])), size);
    assert!(
        bytes.len() > 20_000,
        "a drawn figure, not a blank one: {} bytes",
        bytes.len()
    );
}

/// A small network's short run (2-4-1 tanh, Adam at 0.05, 60 steps, 40 training and 30 test
/// examples): what the figure tests draw.
const SMALL_RUN: [&str; 12] = [
    "--hidden",
    "4",
    "--optimizer",
    "adam",
    "--lr",
    "0.05",
    "--steps",
    "60",
    "--train",
    "40",
    "--test",
    "30",
];

/// `gdviz landscape --render`: the landscape as a figure of the size asked for. The plane's
/// plot is square (its axes share one scale), its heatmap is one image under the contours, the
/// point shown is drawn where the run ends (the PCA plane's origin, at the pixel the grid's
/// extent puts it), the ends plane marks the third run's end with a ◆, and the default title
/// names the network, the data, the plane and the optimizer.
#[test]
fn the_landscape_renders_to_svg_and_png() {
    let dir = std::env::temp_dir().join(format!("gdviz-land-render-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = [&SMALL_RUN[..], &["--grid", "12"]].concat();
    let ok = |out: &std::process::Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let svg = dir.join("land.svg");
    let out = gdviz(
        &[
            &["landscape"][..],
            &run,
            &["--render", svg.to_str().unwrap()],
        ]
        .concat(),
    );
    ok(&out);
    assert!(out.stdout.is_empty(), "a figure replaces the grid");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.trim_end().ends_with("</svg>"));
    assert!(
        text.contains("the training loss of a 2-4-1 tanh network on moons over the PCA plane of its path — adam, lr 0.05, 60 steps"),
        "{}",
        &text[..text.len().min(2000)]
    );
    assert!(text.contains("PC1 (") && text.contains("PC2 ("));
    assert_eq!(text.matches("<image").count(), 1, "the heatmap's pixels");
    let attr = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!(" {name}=\"")).expect(name) + name.len() + 3;
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    let clip = text
        .split("<clipPath id=\"plot\">")
        .nth(1)
        .and_then(|t| t.split("/>").next())
        .expect("the plot's clip");
    let (left, top, width, height) = (
        attr(clip, "x"),
        attr(clip, "y"),
        attr(clip, "width"),
        attr(clip, "height"),
    );
    assert_eq!(width, height, "a square plot: {clip}");
    let contours = text.split("class=\"contours\"").nth(1).unwrap();
    let contours = contours.split("</g>").next().unwrap();
    assert!(
        contours.contains("<path d=\"M"),
        "contours drawn: {contours}"
    );
    // The point shown, θ_T, is the PCA plane's origin.
    let json = gdviz(&[&["landscape", "--format", "json"][..], &run].concat());
    ok(&json);
    let grid: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let span = |k: &str| {
        let v = grid[k].as_array().unwrap();
        (v[0].as_f64().unwrap(), v[v.len() - 1].as_f64().unwrap())
    };
    let ((x0, x1), (y0, y1)) = (span("x"), span("y"));
    let (px, py) = (
        left + width * (0.0 - x0) / (x1 - x0),
        top + height * (y1 - 0.0) / (y1 - y0),
    );
    let dot = text[text.find("<image").unwrap()..]
        .split("<circle")
        .skip(1)
        .find(|c| c.contains("fill=\"#D9480F\""))
        .expect("the point shown");
    assert!(
        (attr(dot, "cx") - px).abs() <= 1.0 && (attr(dot, "cy") - py).abs() <= 1.0,
        "{dot} not at ({px}, {py})"
    );

    let png = dir.join("ends.png");
    let ends = [
        "--plane",
        "ends",
        "--other-optimizer",
        "sgd",
        "--other-lr",
        "0.5",
    ];
    let out = gdviz(
        &[
            &["landscape"][..],
            &run,
            &ends,
            &[
                "--render",
                png.to_str().unwrap(),
                "--width",
                "700",
                "--height",
                "400",
            ],
        ]
        .concat(),
    );
    ok(&out);
    assert_drawn_png(&png, (700, 400));
    let svg = dir.join("ends.svg");
    let out = gdviz(
        &[
            &["landscape"][..],
            &run,
            &ends,
            &["--render", svg.to_str().unwrap()],
        ]
        .concat(),
    );
    ok(&out);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("towards θ₀") && text.contains("towards sgd&apos;s end, ⊥"));
    assert!(text.contains("through θ₀, θ_T and sgd&apos;s end"));
    let diamonds = text
        .split("<polygon")
        .filter(|p| {
            p.contains(&format!(
                "fill=\"{}\"",
                gdviz::render::run_colour(1).to_uppercase()
            ))
        })
        .count();
    assert_eq!(diamonds, 1, "run 2's end");

    for (args, flag) in [
        (vec!["--width", "700"], "missing --render"),
        (vec!["--render", "x.svg", "--format", "json"], "--render"),
        (vec!["--render", "x.svg", "--height", "9000"], "--height"),
        (
            vec!["--render", "x.svg", "--width", "600"],
            "--width: a landscape figure is from 640",
        ),
    ] {
        let out = gdviz(&[&["landscape"][..], &run, &args[..]].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(flag), "{args:?}: {err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// `gdviz train --render`: the run's views as a figure of the size asked for. The PNG is that
/// size and not blank; the SVG has the boundary's pixels under a filled or hollow mark per
/// example and the default title names the network, the data, the optimizer and the run's end.
#[test]
fn the_views_render_to_svg_and_png() {
    let dir = std::env::temp_dir().join(format!("gdviz-net-render-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = [&["train", "--dataset", "moons"][..], &SMALL_RUN].concat();
    let png = dir.join("moons.png");
    let out = gdviz(
        &[
            &base[..],
            &[
                "--render",
                png.to_str().unwrap(),
                "--width",
                "700",
                "--height",
                "400",
            ],
        ]
        .concat(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "a figure replaces the rows");
    assert_drawn_png(&png, (700, 400));

    let svg = dir.join("moons.svg");
    let out = gdviz(&[&base[..], &["--render", svg.to_str().unwrap()]].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.trim_end().ends_with("</svg>"));
    assert_eq!(text.matches("<image").count(), 1, "the boundary's pixels");
    let image_at = text.find("<image").unwrap();
    // 70 examples, each a circle after the image (train filled and outlined: two each).
    let circles = text[image_at..].matches("<circle").count();
    assert!(circles >= 40 * 2 + 30, "{circles} circles after the image");
    assert!(
        text.contains("a 2-4-1 tanh network on moons — adam, lr 0.05, 60 steps: train loss "),
        "{}",
        &text[..text.len().min(2000)]
    );
    assert!(text.contains("test accuracy "));

    // A title of one's own; bad figure arguments exit 2 naming them, and write nothing.
    let titled = dir.join("titled.svg");
    let out = gdviz(
        &[
            &base[..],
            &[
                "--render",
                titled.to_str().unwrap(),
                "--title",
                "Moons & more",
            ],
        ]
        .concat(),
    );
    assert!(out.status.success());
    assert!(std::fs::read_to_string(&titled)
        .unwrap()
        .contains("Moons &amp; more"));
    // The curves per step by default, per epoch when asked: batches of 8 of 40 examples make
    // 5 steps an epoch, so 60 steps are 12 epochs.
    let axis = |name: &str| format!("\n{name}\n</text>");
    let text = std::fs::read_to_string(&titled).unwrap();
    assert!(text.contains(&axis("step")) && !text.contains(&axis("epoch")));
    let epochs = dir.join("epochs.svg");
    let out = gdviz(
        &[
            &base[..],
            &[
                "--variant",
                "minibatch",
                "--batch-size",
                "8",
                "--render",
                epochs.to_str().unwrap(),
                "--curves",
                "epoch",
            ],
        ]
        .concat(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&epochs).unwrap();
    assert_eq!(
        text.matches(&axis("epoch")).count(),
        2,
        "both charts count epochs"
    );
    assert!(!text.contains(&axis("step")));
    // The x axes end at epoch 12, not at step 60 (whose ticks are 0, 20, 40, 60).
    assert!(
        ["40", "60"].iter().all(|t| !text.contains(&axis(t))),
        "12 epochs"
    );
    let steps = std::fs::read_to_string(&titled).unwrap();
    assert!(["40", "60"].iter().all(|t| steps.contains(&axis(t))));
    // The full batch's epoch is its step, and the axes say epoch as asked.
    let out = gdviz(
        &[
            &base[..],
            &["--render", epochs.to_str().unwrap(), "--curves", "epoch"],
        ]
        .concat(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&epochs).unwrap();
    assert_eq!(text.matches(&axis("epoch")).count(), 2);
    // A run shorter than an epoch has no epoch to draw: exit 2, naming --curves and the way out.
    let out = gdviz(&[
        "train",
        "--variant",
        "stochastic",
        "--steps",
        "30",
        "--render",
        epochs.to_str().unwrap(),
        "--curves",
        "epoch",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: invalid --curves: an epoch") && err.contains("--steps 200 or more"),
        "{err}"
    );
    for (args, flag) in [
        (vec!["--render", "out.txt"], "--render"),
        (vec!["--width", "700"], "missing --render"),
        (vec!["--render", "x.svg", "--width", "10"], "--width"),
        (vec!["--render", "x.svg", "--format", "json"], "--render"),
        (vec!["--curves", "epoch"], "missing --render"),
        (vec!["--render", "x.svg", "--curves", "epochs"], "--curves"),
    ] {
        let out = gdviz(&[&base[..], &args[..]].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(flag), "{args:?}: {err}");
    }
    let missing = dir.join("no-such-folder").join("x.png");
    let out = gdviz(&[&base[..], &["--render", missing.to_str().unwrap()]].concat());
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invalid --render: cannot write") && err.contains("does not exist"),
        "{err}"
    );
    assert!(!missing.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
