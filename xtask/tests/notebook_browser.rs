//! The notebook widget (`python/`, built by `cargo xtask wheel`) in a real JupyterLab: the
//! wheel and JupyterLab installed from PyPI into a venv, a server on localhost with a token, a
//! notebook that creates the widget opened and run in headless Chromium, and the kernel driven as
//! a second client of the notebook's own kernel (python/tests/run_in_kernel.py), so what
//! Python sets reaches the page exactly as it would from a cell. Checks: the canvas draws; a
//! Python-side `w.lr = …` changes the drawing and the state; a real slider drag in the page
//! changes `w.lr` in the kernel; bad Python values raise with the core's message and the widget
//! keeps working.
//!
//! Ignored by `cargo test` (it installs JupyterLab on first use and takes a minute or more):
//! `cargo xtask notebook-test` builds the wheel and runs it.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Page;
use headless_chrome::protocol::cdp::Input;
use serde_json::{json, Value};

/// What the venv gets from PyPI besides the wheel (and its own dependency, anywidget).
const JUPYTER_PIP: &[&str] = &["jupyterlab", "ipykernel", "numpy"];

fn elapsed(start: Instant) -> String {
    format!("{:.1} s", start.elapsed().as_secs_f64())
}

/// Runs `command`, failing the test with its output if it fails.
fn run(command: &mut Command, what: &str) -> String {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The wheel `cargo xtask wheel` wrote.
fn the_wheel() -> PathBuf {
    let dir = xtask::wheel::wheels_dir();
    std::fs::read_dir(&dir)
        .ok()
        .and_then(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .find(|p| p.extension().is_some_and(|x| x == "whl"))
        })
        .unwrap_or_else(|| {
            panic!(
                "no wheel in {}: run `cargo xtask wheel` first (`cargo xtask notebook-test` does)",
                dir.display()
            )
        })
}

/// `target/notebook-venv` with JupyterLab (installed from PyPI on first use) and the wheel
/// (installed again every time).
fn venv(wheel: &Path) -> PathBuf {
    let venv = xtask::target_dir().join("notebook-venv");
    let python = venv.join("bin").join("python");
    let ready = python.is_file()
        && Command::new(&python)
            .args(["-c", "import jupyterlab, ipykernel, numpy, anywidget"])
            .output()
            .is_ok_and(|o| o.status.success());
    if !ready {
        run(
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
            "python3 -m venv",
        );
        run(
            Command::new(&python)
                .args(["-m", "pip", "install", "--quiet"])
                .args(JUPYTER_PIP)
                .arg(wheel),
            "pip install jupyterlab and the wheel",
        );
    }
    run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--force-reinstall",
                "--no-deps",
            ])
            .arg(wheel),
        "pip install the wheel",
    );
    // No "get Jupyter news?" prompt over the notebook (it would cover the widget in screenshots).
    let settings = venv.join("share/jupyter/lab/settings");
    std::fs::create_dir_all(&settings).unwrap();
    std::fs::write(
        settings.join("overrides.json"),
        r#"{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}"#,
    )
    .unwrap();
    venv
}

/// A JupyterLab server of the test's own, shut down (through its API, then killed) on drop.
struct Lab {
    child: Child,
    port: u16,
    token: String,
    runtime: PathBuf,
    venv: PathBuf,
}

impl Lab {
    fn start(venv: &Path, root: &Path) -> Lab {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let token = format!("gdviz-test-{}", std::process::id());
        let runtime = root.join(".runtime");
        let log = std::fs::File::create(root.join(".jupyter.log")).expect("the server's log");
        let child = Command::new(venv.join("bin").join("jupyter"))
            .args(["lab", "--no-browser", "--ServerApp.ip=127.0.0.1"])
            .arg(format!("--ServerApp.port={port}"))
            .arg("--ServerApp.port_retries=0")
            .arg(format!("--IdentityProvider.token={token}"))
            .arg(format!("--ServerApp.root_dir={}", root.display()))
            .arg("--LabApp.news_url=")
            // CI runs as root; JupyterLab refuses that unless told.
            .arg("--allow-root")
            .env("JUPYTER_RUNTIME_DIR", &runtime)
            .env("JUPYTER_CONFIG_DIR", root.join(".config"))
            .env("JUPYTER_DATA_DIR", root.join(".data"))
            .env("JUPYTERLAB_WORKSPACES_DIR", root.join(".workspaces"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start jupyter lab");
        let lab = Lab {
            child,
            port,
            token,
            runtime,
            venv: venv.to_path_buf(),
        };
        let mut lab = lab;
        let start = Instant::now();
        while lab.http("GET", "/api/status").0 != 200 {
            let exited = lab.child.try_wait().ok().flatten();
            assert!(
                exited.is_none(),
                "JupyterLab exited ({exited:?}); its log:\n{}",
                std::fs::read_to_string(root.join(".jupyter.log")).unwrap_or_default()
            );
            assert!(
                start.elapsed() < Duration::from_secs(90),
                "JupyterLab did not answer /api/status within 90 s; its log:\n{}",
                std::fs::read_to_string(root.join(".jupyter.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(250));
        }
        lab
    }

    /// One request to the server with the token; `(status, body)`, status 0 if unreachable.
    fn http(&self, method: &str, path: &str) -> (u16, String) {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return (0, String::new());
        };
        let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAuthorization: token {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port, self.token
        );
        if s.write_all(request.as_bytes()).is_err() {
            return (0, String::new());
        }
        let mut text = String::new();
        let _ = s.read_to_string(&mut text);
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map_or("", |(_, b)| b)
            .to_string();
        (status, body)
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}?token={}", self.port, self.token)
    }

    /// The connection file of the one kernel the notebook started.
    fn kernel_file(&self) -> PathBuf {
        let start = Instant::now();
        loop {
            let found = std::fs::read_dir(&self.runtime).ok().and_then(|entries| {
                entries.filter_map(|e| e.ok().map(|e| e.path())).find(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("kernel-") && n.ends_with(".json"))
                })
            });
            if let Some(file) = found {
                return file;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "no kernel started within 60 s"
            );
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// Runs `code` in the notebook's kernel; `(stdout, error)`.
    fn exec(&self, code: &str) -> (String, Option<String>) {
        let helper = xtask::repo_root()
            .join("python")
            .join("tests")
            .join("run_in_kernel.py");
        let out = run(
            Command::new(self.venv.join("bin").join("python"))
                .arg(helper)
                .arg(self.kernel_file())
                .arg(code),
            "run_in_kernel.py",
        );
        let v: Value = serde_json::from_str(out.trim()).expect("JSON from run_in_kernel.py");
        (
            v["stdout"].as_str().unwrap_or_default().to_string(),
            v["error"].as_str().map(str::to_string),
        )
    }

    /// `code`'s printed JSON (its last line), failing on an error.
    fn json(&self, code: &str) -> Value {
        let (out, error) = self.exec(code);
        assert!(error.is_none(), "{code}\nraised {error:?}; printed {out}");
        serde_json::from_str(out.lines().last().unwrap_or("null"))
            .unwrap_or_else(|e| panic!("{code}\nprinted {out:?}, not JSON: {e}"))
    }

    /// Polls `code`'s JSON until `done` holds (up to `secs`); returns it.
    fn wait(&self, what: &str, secs: u64, code: &str, done: impl Fn(&Value) -> bool) -> Value {
        let start = Instant::now();
        loop {
            let (out, error) = self.exec(code);
            let v = if error.is_none() {
                serde_json::from_str(out.lines().last().unwrap_or("null")).unwrap_or(Value::Null)
            } else {
                Value::Null
            };
            if done(&v) {
                return v;
            }
            assert!(
                start.elapsed() < Duration::from_secs(secs),
                "timed out waiting for {what}: last {v} {error:?} {out}"
            );
            std::thread::sleep(Duration::from_millis(300));
        }
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = self.http("POST", "/api/shutdown");
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The test notebook: one cell making the widget.
const NOTEBOOK_CELL: &str =
    "import gdviz\nw = gdviz.Widget(surface=\"booth\", lr=0.05, steps=200)\nw";

fn notebook() -> Value {
    json!({
        "cells": [{
            "cell_type": "code", "execution_count": null, "id": "widget", "metadata": {},
            "outputs": [], "source": NOTEBOOK_CELL
        }],
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"}
        },
        "nbformat": 4, "nbformat_minor": 5
    })
}

fn mouse(page: &Page, kind: &str, (x, y): (f64, f64), buttons: u32) {
    let event: Input::DispatchMouseEvent = serde_json::from_value(json!({
        "type": kind, "x": x, "y": y, "button": "left", "buttons": buttons, "clickCount": 1
    }))
    .unwrap();
    page.tab.call_method(event).expect("mouse event");
}

/// The page's JavaScript value of `expr`, polled until `done` holds (up to `secs`).
fn wait_js(page: &Page, what: &str, secs: u64, expr: &str, done: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let v = page
            .tab
            .evaluate(
                &format!("(() => {{ try {{ return JSON.stringify({expr}); }} catch (e) {{ return 'null'; }} }})()"),
                false,
            )
            .ok()
            .and_then(|r| r.value)
            .and_then(|v| v.as_str().and_then(|s| serde_json::from_str(s).ok()))
            .unwrap_or(Value::Null);
        if done(&v) {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "timed out waiting for {what}: last {v}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A fingerprint of what the widget's trajectory canvas shows: its painted pixels and a sum
/// over them (changes when the path changes).
const OVERLAY: &str = "(() => {
  const c = document.querySelector('.jp-OutputArea .gdviz canvas[id$=\"overlay\"]');
  if (!c || !c.width) return null;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let painted = 0, sum = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i]) { painted++; sum = (sum + d[i - 3] * 3 + d[i - 2] * 5 + d[i - 1] * 7 + i) % 1000000007; }
  const bg = document.querySelector('.jp-OutputArea .gdviz canvas[id$=\"bg\"]');
  return { painted, sum, w: c.width, h: c.height, bg: bg ? bg.width : 0 };
})()";

/// The learning rate the widget's box shows.
const LR_BOX: &str = "(() => { const b = document.querySelector('.jp-OutputArea .gdviz input[id$=\"-lr-value\"]'); return b ? Number(b.value) : null; })()";

#[test]
#[ignore = "installs JupyterLab from PyPI and takes minutes: run `cargo xtask notebook-test`"]
fn the_widget_in_jupyterlab_is_driven_and_read_from_python() {
    let t0 = Instant::now();
    let wheel = the_wheel();
    let venv = venv(&wheel);
    eprintln!(
        "notebook: venv ready with {} ({})",
        wheel.display(),
        elapsed(t0)
    );

    let root = xtask::target_dir().join("notebook-test");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("widget.ipynb"),
        serde_json::to_string_pretty(&notebook()).unwrap(),
    )
    .unwrap();
    let lab = Lab::start(&venv, &root);
    eprintln!(
        "notebook: JupyterLab up on port {} ({})",
        lab.port,
        elapsed(t0)
    );

    let page = Page::open_url(1500, 1100, None, "data:text/html,<body data-ready=1>");
    page.tab
        .navigate_to(&lab.url("/lab/tree/widget.ipynb"))
        .expect("open the notebook");
    // The notebook shown, its kernel idle.
    wait_js(
        &page,
        "the notebook with an idle kernel",
        120,
        "!!document.querySelector('.jp-NotebookPanel .jp-Cell .cm-content') && !!document.querySelector('.jp-Notebook-ExecutionIndicator[data-status=\"idle\"]')",
        |v| v == &json!(true),
    );
    eprintln!("notebook: notebook open, kernel idle ({})", elapsed(t0));

    // Run the cell as a student would: click it, Shift+Enter.
    // (JupyterLab may render the cell again while it settles: try until a click lands.)
    let start = Instant::now();
    while let Err(e) = page
        .tab
        .find_element(".jp-NotebookPanel .jp-Cell .cm-content")
        .and_then(|cell| cell.click().map(|_| ()))
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "cannot click the cell: {e}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    page.tab
        .press_key_with_modifiers(
            "Enter",
            Some(&[headless_chrome::browser::tab::ModifierKey::Shift]),
        )
        .expect("Shift+Enter");

    // The canvas draws: the heatmap canvas is sized and the path is painted.
    let drawn = wait_js(&page, "the widget's plot", 120, OVERLAY, |v| {
        v["painted"].as_u64().unwrap_or(0) > 200 && v["bg"].as_u64().unwrap_or(0) > 0
    });
    eprintln!("notebook: widget drawn, overlay {drawn} ({})", elapsed(t0));
    // No "Copy link": it would name JupyterLab's page, not gdviz's.
    let link = page.js("[...document.querySelectorAll('.jp-OutputArea .gdviz button')].filter(b => b.offsetParent && /link/i.test(b.textContent)).length");
    assert_eq!(link, json!(0), "a Copy link button shows in the notebook");
    let shots = xtask::target_dir().join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    page.js("document.querySelector('.jp-OutputArea .gdviz').scrollIntoView({ block: 'start' })");
    std::fs::write(shots.join("notebook-widget-top.png"), page.screenshot()).unwrap();

    // Python reads the page's state.
    let read = "import json; s = w.state(); print(json.dumps({'lr': w.lr, 'status': s['status'], 'surface': w.surface, 'steps': len(w.trajectory), 'shape': list(w.trajectory.shape), 'runs': len(w.runs)}))";
    let before = lab.wait("the first state in the kernel", 60, read, |v| {
        v["lr"] == json!(0.05)
    });
    assert_eq!(before["surface"], json!("booth"), "{before}");
    assert_eq!(before["shape"], json!([201, 3]), "{before}");
    assert_eq!(before["runs"], json!(1), "{before}");
    assert_eq!(before["status"], json!("converged"), "{before}");
    eprintln!("notebook: kernel reads {before} ({})", elapsed(t0));

    // Python sets the learning rate: the drawing and the state change.
    let (_, error) = lab.exec("w.lr = 0.115");
    assert!(error.is_none(), "{error:?}");
    let after = wait_js(&page, "the path redrawn", 30, OVERLAY, |v| {
        v["sum"] != drawn["sum"] && !v.is_null()
    });
    wait_js(&page, "the box showing 0.115", 30, LR_BOX, |v| {
        v == &json!(0.115)
    });
    let state = lab.wait("the kernel's state at 0.115", 30, read, |v| {
        v["lr"] == json!(0.115) && v["status"] == json!("diverged")
    });
    eprintln!(
        "notebook: w.lr = 0.115 redrew {after} and the kernel reads {state} ({})",
        elapsed(t0)
    );

    // Hostile values: each a Python exception with the core's message; nothing reaches the page.
    let hostile = lab.json(
        r#"import json, gdviz
out = {}
for name, value in [("lr", float("nan")), ("lr", "fast"), ("lr", 11), ("runs", [{}] * 100000),
                    ("optimizer", "adma"), ("momentum", [1, 2]), ("steps", 2.5), ("kappa", 50)]:
    try:
        setattr(w, name, value)
        out[name] = "accepted"
    except gdviz.OptionError as e:
        out[name] = str(e)
for label, f in [("set", lambda: w.set(bogus=1)), ("typo", lambda: setattr(w, "lrr", 0.1)),
                 ("init", lambda: gdviz.Widget(lr=-1))]:
    try:
        f()
        out[label] = "accepted"
    except gdviz.OptionError as e:
        out[label] = str(e)
out["lr"] = [out["lr"], w.lr]
print(json.dumps(out))"#,
    );
    eprintln!("notebook: hostile values: {hostile:#}");
    for (key, want) in [
        ("runs", "at most 4 runs"),
        ("optimizer", "did you mean"),
        ("momentum", "expected a number"),
        ("steps", "whole number"),
        ("kappa", "a parameter of ravine"),
        ("set", "unknown option"),
        ("typo", "did you mean 'lr'"),
        ("init", "lr: must be"),
    ] {
        let got = hostile[key].as_str().unwrap_or_default();
        assert!(got.contains(want), "{key}: {got:?} lacks {want:?}");
    }
    // The last refusal (lr = 11) left w.lr as it was.
    assert_eq!(hostile["lr"][1], json!(0.115), "{hostile}");
    // A value only the page can refuse: a notice in w.notices, and the trait back to the page's.
    let (_, error) = lab.exec("w.expr = 'x^'");
    assert!(error.is_none(), "{error:?}");
    let notices = lab.wait(
        "the page's notice about expr",
        30,
        "import json; print(json.dumps({'notices': w.notices, 'expr': w.expr, 'surface': w.surface}))",
        |v| v["notices"].as_array().is_some_and(|n| !n.is_empty()) && v["expr"].is_null(),
    );
    eprintln!("notebook: page notice {notices} ({})", elapsed(t0));
    assert!(
        notices["notices"][0].as_str().unwrap().starts_with("expr:"),
        "{notices}"
    );
    // Still working: a good value applies.
    let (_, error) = lab.exec("w.lr = 0.05");
    assert!(error.is_none(), "{error:?}");
    wait_js(&page, "the box back at 0.05", 30, LR_BOX, |v| {
        v == &json!(0.05)
    });
    lab.wait("the kernel back at 0.05", 30, read, |v| {
        v["lr"] == json!(0.05) && v["status"] == json!("converged")
    });

    // A race from Python: two runs, each with its trajectory.
    let (_, error) =
        lab.exec("w.runs = [{'optimizer': 'sgd', 'lr': 0.05}, {'optimizer': 'adam', 'lr': 0.5}]");
    assert!(error.is_none(), "{error:?}");
    let race = lab.wait(
        "the race in the kernel",
        30,
        "import json; s = w.state(); print(json.dumps({'runs': [[r['optimizer'], r['lr'], len(r['trajectory'])] for r in s['runs']], 'paths': len(w.trajectories)}))",
        |v| v["runs"].as_array().is_some_and(|r| r.len() == 2),
    );
    assert_eq!(
        race["runs"],
        json!([["sgd", 0.05, 201], ["adam", 0.5, 201]]),
        "{race}"
    );
    wait_js(
        &page,
        "two rows in the race box",
        30,
        "document.querySelector('.jp-OutputArea .gdviz [id$=\"race-rows\"]').children.length",
        |v| v == &json!(2),
    );
    let (_, error) = lab.exec("w.runs = [{'optimizer': 'sgd', 'lr': 0.05}]");
    assert!(error.is_none(), "{error:?}");
    lab.wait("one run again", 30, read, |v| {
        v["runs"] == json!(1) && v["lr"] == json!(0.05)
    });
    eprintln!("notebook: race {race} ({})", elapsed(t0));

    // A real drag of the page's slider: w.lr follows in the kernel.
    let track = page.js(
        r#"(() => {
          const s = document.querySelector('.jp-OutputArea .gdviz input[type=range][id$="-lr"]');
          s.scrollIntoView({ block: 'center' });
          const r = s.getBoundingClientRect();
          const f = (Number(s.value) - Number(s.min)) / (Number(s.max) - Number(s.min));
          return { x: r.left + 8 + f * (r.width - 16), y: r.top + r.height / 2, right: r.right - 2 };
        })()"#,
    );
    let (x0, y, right) = (
        track["x"].as_f64().unwrap(),
        track["y"].as_f64().unwrap(),
        track["right"].as_f64().unwrap(),
    );
    let x1 = x0 + (right - x0) * 0.5;
    mouse(&page, "mousePressed", (x0, y), 1);
    for k in 1..=8 {
        mouse(&page, "mouseMoved", (x0 + (x1 - x0) * k as f64 / 8.0, y), 1);
    }
    mouse(&page, "mouseReleased", (x1, y), 0);
    let shown = wait_js(&page, "the box after the drag", 30, LR_BOX, |v| {
        v.as_f64().is_some_and(|x| x > 0.05)
    });
    let dragged = lab.wait("w.lr after the drag", 30, read, |v| v["lr"] == shown);
    eprintln!(
        "notebook: slider drag → page {shown}, kernel {dragged} ({})",
        elapsed(t0)
    );

    // JupyterLab's own styles for its outputs (dt and dd floated at 20% and 80%) change nothing
    // inside the widget: the readouts keep their grid.
    let floats = page.js(
        "[...document.querySelectorAll('.jp-OutputArea .gdviz :is(dl, dt, dd)')].map(e => getComputedStyle(e).float).filter(f => f !== 'none')",
    );
    assert_eq!(
        floats,
        json!([]),
        "JupyterLab's styles float the widget's readouts"
    );

    std::fs::write(shots.join("notebook-widget.png"), page.screenshot()).unwrap();

    // What the page logged: nothing from gdviz's widget.
    let problems = page.problems();
    eprintln!("notebook: the page logged {problems:#?}");
    let ours: Vec<&String> = problems
        .iter()
        .filter(|p| p.contains("gdviz") || p.contains("anywidget") || p.contains("wasm"))
        .collect();
    assert!(ours.is_empty(), "the widget logged errors: {ours:#?}");
    eprintln!("notebook: passed in {}", elapsed(t0));
}
