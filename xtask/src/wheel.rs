//! `cargo xtask wheel`: the Python package of the notebook widget (`python/`) as a wheel in
//! `target/wheels/`, with everything it needs inside — the widget's front end bundled by esbuild
//! with the wasm inlined, gdviz's stylesheet, and the core's option schema — so a notebook
//! (Colab included) fetches nothing when the widget runs.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::dist::find_esbuild;
use crate::{build, kb, read, rel, repo_root, target_dir};

/// hatchling, the wheel's build backend (pyproject.toml), installed once into the build venv.
pub const HATCHLING_PIP: &str = "hatchling==1.33.0";

/// The Python package's folder.
pub fn python_dir() -> PathBuf {
    repo_root().join("python")
}

/// Where the wheel goes.
pub fn wheels_dir() -> PathBuf {
    target_dir().join("wheels")
}

/// Builds the web app, puts the widget's generated files into `python/gdviz/`, and builds the
/// wheel; returns its path.
pub fn wheel() -> Result<PathBuf, String> {
    build()?;
    package_files()?;
    let python = build_python()?;
    let out = wheels_dir();
    if out.exists() {
        for entry in
            fs::read_dir(&out).map_err(|e| format!("cannot list {}: {e}", out.display()))?
        {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.extension().is_some_and(|x| x == "whl") {
                fs::remove_file(&path)
                    .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            }
        }
    }
    run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "--no-build-isolation",
                "--quiet",
            ])
            .arg("--wheel-dir")
            .arg(&out)
            .arg(python_dir()),
        "pip wheel",
    )?;
    let wheel = fs::read_dir(&out)
        .map_err(|e| format!("cannot list {}: {e}", out.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or("pip wheel wrote no wheel")?;
    eprintln!(
        "xtask: wheel {} ({}); install it with `pip install {}`",
        rel(&wheel),
        kb(read(&wheel)?.len()),
        rel(&wheel)
    );
    Ok(wheel)
}

/// The generated files of the package: `gdviz/static/widget.js` (python/js/widget.js bundled
/// with gdviz's modules and the wasm inlined), `gdviz/static/style.css` and `gdviz/schema.json`
/// (`gdviz schema`). Needs `www/pkg/` ([`build`]).
pub fn package_files() -> Result<(), String> {
    let root = repo_root();
    let package = python_dir().join("gdviz");
    let statics = package.join("static");
    fs::create_dir_all(&statics)
        .map_err(|e| format!("cannot create {}: {e}", statics.display()))?;
    let esbuild = find_esbuild()?;
    run(
        Command::new(&esbuild)
            .arg(python_dir().join("js").join("widget.js"))
            .args([
                "--bundle",
                "--format=esm",
                "--minify",
                "--target=es2020",
                "--loader:.wasm=binary",
                "--log-level=error",
            ])
            .arg(format!("--outfile={}", statics.join("widget.js").display())),
        "esbuild",
    )?;
    copy(
        &root.join("www").join("style.css"),
        &statics.join("style.css"),
    )?;
    let schema = schema_json()?;
    fs::write(package.join("schema.json"), schema).map_err(|e| {
        format!(
            "cannot write {}: {e}",
            package.join("schema.json").display()
        )
    })
}

/// `gdviz schema`'s output, from the workspace's CLI (a debug build: it only prints data).
pub fn schema_json() -> Result<String, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["run", "--quiet", "--bin", "gdviz", "--", "schema"])
        .current_dir(repo_root())
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`gdviz schema` failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout).map_err(|_| "`gdviz schema` wrote non-UTF-8".into())
}

/// A Python with hatchling: `target/wheel-venv`, made with `python3 -m venv` (or `$PYTHON`) and
/// given hatchling from PyPI on first use; offline after that.
pub fn build_python() -> Result<PathBuf, String> {
    let venv = target_dir().join("wheel-venv");
    let python = venv.join("bin").join("python");
    let has = |p: &Path| {
        Command::new(p)
            .args(["-c", "import hatchling"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if python.is_file() && has(&python) {
        return Ok(python);
    }
    let base = std::env::var_os("PYTHON").unwrap_or_else(|| "python3".into());
    run(
        Command::new(&base).args(["-m", "venv"]).arg(&venv),
        "python3 -m venv (Debian: apt-get install python3-venv)",
    )?;
    run(
        Command::new(&python).args(["-m", "pip", "install", "--quiet", HATCHLING_PIP]),
        "pip install hatchling",
    )?;
    Ok(python)
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

/// Runs `command`; an error names `what` and its output.
fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}): {}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout).trim(),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// `cargo xtask notebook-test`: [`wheel`], then the notebook test
/// (`xtask/tests/notebook_browser.rs`, ignored by `cargo test`: it installs JupyterLab from
/// PyPI into `target/notebook-venv` on first use and takes minutes).
pub fn notebook_test() -> Result<(), String> {
    wheel()?;
    crate::cargo(&[
        "test",
        "-p",
        "xtask",
        "--test",
        "notebook_browser",
        "--",
        "--ignored",
        "--nocapture",
    ])
}
