//! The option schema (`gdviz schema`, `options::schema`) against the core's own validation, and
//! the Python package's checks (`python/gdviz/_schema.py`) against both: for every option, a
//! set of probe values is given to `Options::apply` (converted as the widget's front end and
//! the page hand it over) and to the Python package, and
//! - whatever Python accepts for a complete option, the core accepts as Python sends it;
//! - whatever the core accepts, given as the Python value of its kind, Python accepts
//!   (Python may be stricter only about types: `"0.5"` for a number, `1` for a flag).
//!
//! Then the package's own tests (python/tests/test_*.py: messages, NaN, huge lists, NumPy
//! values, the state's decoding). Both need a Python 3.9+ (`GDVIZ_PYTHON`, else `python3`;
//! standard library only, NumPy used when present) and are skipped, saying so, without one.

use std::path::{Path, PathBuf};
use std::process::Command;

use gdviz::options::{self, Options, Value};
use serde_json::{json, Value as Json};

fn schema_text() -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_gdviz"))
        .arg("schema")
        .output()
        .expect("run gdviz schema");
    assert!(out.status.success(), "gdviz schema failed");
    String::from_utf8(out.stdout).unwrap()
}

fn schema() -> Json {
    serde_json::from_str(&schema_text()).expect("gdviz schema prints JSON")
}

/// A JSON value as the page's core reads it: what `web.rs`'s `to_value` makes of the same
/// JavaScript value (top-level lists of objects are runs; two numbers a pair; a boolean its
/// name; anything else unreadable as text).
fn to_value(v: &Json, top: bool) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::Number(n) => Value::Num(n.as_f64().unwrap()),
        Json::String(s) => Value::Str(s.clone()),
        Json::Bool(b) => Value::Str(b.to_string()),
        Json::Array(items) => {
            if items.len() > 16 {
                return Value::Str(format!("(a list of {} items)", items.len()));
            }
            if items.iter().all(Json::is_object) {
                if !top {
                    return Value::Str("(a list inside a list)".into());
                }
                return Value::Entries(
                    items
                        .iter()
                        .map(|e| {
                            e.as_object()
                                .unwrap()
                                .iter()
                                .map(|(k, v)| (k.clone(), to_value(v, false)))
                                .collect()
                        })
                        .collect(),
                );
            }
            match (
                items.len(),
                items.first().and_then(Json::as_f64),
                items.get(1).and_then(Json::as_f64),
            ) {
                (2, Some(x), Some(y)) => Value::Pair(x, y),
                _ => Value::Str("(an array that is not two numbers)".into()),
            }
        }
        Json::Object(_) => Value::Str("(an object)".into()),
    }
}

/// `value` as the widget's front end hands option `name` to `set()` (python/js/widget.js's
/// `toPage`: layer widths as the text `8,8`).
fn to_page(name: &str, value: &Json) -> Json {
    match (name, value) {
        ("hidden", Json::Array(items)) => Json::String(
            items
                .iter()
                .map(|w| match w {
                    Json::Number(n) => n.to_string(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(","),
        ),
        _ => value.clone(),
    }
}

/// The state a probe of `spec` is applied to, and the surface Python is told.
fn base(spec: &Json) -> (Options, String) {
    match spec["scope"].as_str().unwrap() {
        "surface" => {
            let owner = spec["surface"].as_str().unwrap();
            let o = options::strict(&[("surface".into(), Value::Str(owner.into()))]).unwrap();
            (o, owner.into())
        }
        _ if matches!(spec["name"].as_str(), Some("xrange" | "yrange")) => {
            let o = options::strict(&[("expr".into(), Value::Str("x^2 + y^2".into()))]).unwrap();
            (o, "expr".into())
        }
        _ => (Options::default(), Options::default().surface),
    }
}

/// The core's verdict on option `name` = `value` over `base`.
fn core_accepts(base: &Options, name: &str, value: &Json) -> Result<(), String> {
    let mut o = base.clone();
    o.apply(name, &to_value(&to_page(name, value), true))
        .map_err(|e| e.to_string())
}

/// Values near a bound's ends, inside and out.
fn around(b: &Json) -> Vec<Json> {
    let mut out = vec![
        json!(0),
        json!(0.5),
        json!(1),
        json!(-1),
        json!(1e300),
        json!(-1e300),
    ];
    for end in [&b["min"], &b["max"]] {
        if let Some(v) = end.as_f64() {
            let d = (v.abs() * 1e-9).max(1e-12);
            out.extend([json!(v), json!(v - d), json!(v + d)]);
        }
    }
    out
}

/// Probe values for `spec`, each with whether it is the Python value of the option's kind.
fn probes(spec: &Json) -> Vec<(Json, bool)> {
    let mut out: Vec<(Json, bool)> = Vec::new();
    let mut natural = |v: Json| out.push((v, true));
    match spec["kind"].as_str().unwrap() {
        "number" => around(&spec["bounds"]).into_iter().for_each(&mut natural),
        "whole" => {
            let (lo, hi) = (spec["min"].as_u64().unwrap(), spec["max"].as_u64().unwrap());
            for v in [
                lo as f64,
                hi as f64,
                lo as f64 - 1.0,
                hi as f64 + 1.0,
                lo as f64 + 0.5,
                3.0,
            ] {
                natural(json!(v));
            }
        }
        "pair" => {
            let mut ends = around(&spec["first"]);
            ends.extend(around(&spec["second"]));
            for a in ends.iter().step_by(2) {
                for b in ends.iter().skip(1).step_by(3) {
                    natural(json!([a, b]));
                }
            }
        }
        "flag" => {
            natural(json!(true));
            natural(json!(false));
        }
        "choice" => {
            for c in spec["choices"].as_array().unwrap() {
                natural(c.clone());
            }
            natural(json!("nope"));
            natural(json!(spec["choices"][0].as_str().unwrap().to_uppercase()));
        }
        "text" => {
            natural(json!("x^2 + 10*y^2"));
            natural(json!("step:step_size=10,gamma=0.5"));
            if let Some(n) = spec["max_len"].as_u64() {
                natural(json!("x".repeat(n as usize + 1)));
            }
        }
        "widths" => {
            for v in [
                json!([8, 8]),
                json!([2]),
                json!([32, 32, 32]),
                json!([1]),
                json!([33]),
                json!([8, 8, 8, 8]),
                json!(8),
                json!([]),
                json!([8.5]),
            ] {
                natural(v);
            }
        }
        "runs" => {
            for v in [
                json!([{}]),
                json!([{"optimizer": "adam", "lr": 0.05}, {"lr": 0.01}]),
                json!([{}, {}, {}, {}, {}]),
                json!([{"steps": 3}]),
                json!([{"bogus": 1}]),
                json!([{"lr": 11}]),
                json!([{"momentum": 1}]),
                json!([{"etas": [0.5, 1.2]}]),
                json!([{"amsgrad": true, "optimizer": "adam"}]),
            ] {
                natural(v);
            }
        }
        other => panic!("a probe for the kind {other}"),
    }
    if spec["nullable"] == json!(true) {
        out.push((Json::Null, true));
    } else {
        out.push((Json::Null, false));
    }
    // Values of the wrong kind (some the core reads as text: Python refuses them).
    for v in [
        json!("0.5"),
        json!("abc"),
        json!(true),
        json!([1, 2, 3]),
        json!({"a": 1}),
        json!(5),
    ] {
        out.push((v, false));
    }
    out
}

/// A Python 3 to run the package's checks with, or `None` (the test says it skipped).
fn python() -> Option<PathBuf> {
    let candidates = std::env::var_os("GDVIZ_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([PathBuf::from("python3")]);
    candidates.into_iter().find(|p| {
        Command::new(p)
            .args(["-c", "import sys; assert sys.version_info >= (3, 9)"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// A scratch folder of this test's own under target/.
fn scratch(name: &str) -> PathBuf {
    let dir = repo().join("target").join("schema-test").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the package's Python with `GDVIZ_SCHEMA` at the core's schema.
fn python_command(python: &Path, dir: &Path) -> Command {
    let schema = dir.join("schema.json");
    std::fs::write(&schema, schema_text()).unwrap();
    let mut c = Command::new(python);
    c.env("PYTHONPATH", repo().join("python"))
        .env("GDVIZ_SCHEMA", &schema)
        .env("PYTHONDONTWRITEBYTECODE", "1");
    c
}

#[test]
fn every_option_of_the_core_has_a_spec_of_the_kind_it_reads() {
    let doc = schema();
    assert_eq!(doc["layout"], json!(1));
    let names: Vec<&str> = doc["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    for key in options::KEYS.iter().chain(options::RUN_KEYS.iter()) {
        assert!(names.contains(key), "{key} has no spec");
    }
    // Each spec's own examples are what the core says about them, from the default state.
    for spec in doc["options"].as_array().unwrap() {
        let (base, _) = base(spec);
        let name = spec["name"].as_str().unwrap();
        let accepted = probes(spec)
            .iter()
            .filter(|(v, natural)| *natural && core_accepts(&base, name, v).is_ok())
            .count();
        assert!(accepted > 0, "{name}: the core accepts none of its probes");
    }
}

#[test]
fn the_python_checks_agree_with_the_core() {
    let Some(python) = python() else {
        eprintln!("skipped: no Python 3.9+ (set GDVIZ_PYTHON to one to run this test)");
        return;
    };
    let doc = schema();
    let specs = doc["options"].as_array().unwrap();
    let mut cases = Vec::new();
    for spec in specs {
        let (base, surface) = base(spec);
        for (value, natural) in probes(spec) {
            cases.push((spec, base.clone(), surface.clone(), value, natural));
        }
    }
    // A surface's parameter on another surface is refused by both.
    let kappa = specs.iter().find(|s| s["name"] == "kappa").unwrap();
    cases.push((
        kappa,
        Options::default(),
        "rosenbrock".into(),
        json!(50),
        true,
    ));

    let dir = scratch("agree");
    let list: Vec<Json> = cases
        .iter()
        .map(|(spec, _, surface, value, _)| json!({"name": spec["name"], "value": value, "surface": surface}))
        .collect();
    std::fs::write(
        dir.join("probes.json"),
        serde_json::to_string(&list).unwrap(),
    )
    .unwrap();
    let out = python_command(&python, &dir)
        .arg(repo().join("python/tests/check_probes.py"))
        .arg(dir.join("probes.json"))
        .output()
        .expect("run check_probes.py");
    assert!(
        out.status.success(),
        "check_probes.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdicts: Vec<Json> = serde_json::from_slice(&out.stdout).expect("JSON verdicts");
    assert_eq!(verdicts.len(), cases.len());

    let mut problems = Vec::new();
    for ((spec, base, surface, value, natural), py) in cases.iter().zip(&verdicts) {
        let name = spec["name"].as_str().unwrap();
        let complete = spec["page_checks"].is_null();
        let core = core_accepts(base, name, value);
        if py["ok"] == json!(true) {
            if let (true, Err(e)) = (complete, core_accepts(base, name, &py["value"])) {
                problems.push(format!(
                    "{name} = {value} (surface {surface}): Python accepts it as {}, the core refuses: {e}",
                    py["value"]
                ));
            }
        } else if *natural && core.is_ok() {
            problems.push(format!(
                "{name} = {value} (surface {surface}): the core accepts it, Python refuses: {}",
                py["message"]
            ));
        } else {
            let message = py["message"].as_str().unwrap_or_default();
            if !message.contains(name) {
                problems.push(format!(
                    "{name} = {value}: Python's message does not name it: {message}"
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} disagreements:\n{}",
        problems.len(),
        problems.join("\n")
    );
    eprintln!("{} probes of {} options agree", cases.len(), specs.len());
}

#[test]
fn the_python_package_tests_pass() {
    let Some(python) = python() else {
        eprintln!("skipped: no Python 3.9+ (set GDVIZ_PYTHON to one to run this test)");
        return;
    };
    let dir = scratch("unittest");
    let out = python_command(&python, &dir)
        .args(["-m", "unittest", "discover", "-s"])
        .arg(repo().join("python/tests"))
        .args(["-p", "test_*.py", "-v"])
        .output()
        .expect("run python -m unittest");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the Python tests failed:\n{text}");
    assert!(text.contains("\nOK"), "no Python test ran:\n{text}");
}
