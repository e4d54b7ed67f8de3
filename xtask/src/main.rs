//! `cargo xtask build|serve|test`: see the crate's library for what each step does.

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  build   release wasm build + JS bindings (and wasm-opt when available) into www/pkg/
  serve   build, then serve the repository on http://127.0.0.1:$PORT/ (default 8000);
          --csp sends the strict Content-Security-Policy a course platform may set
  dist    build the static site into dist/ (or DIR): relative paths, works from any
          sub-path and offline, plus dist/gdviz.html, the whole app in one file
  test    format check, clippy, build, then every test of the workspace (browser tests included)
  wheel   the Python notebook widget (python/) as a wheel in target/wheels/, wasm and JS inside
  notebook-test
          wheel, then the notebook test: JupyterLab from PyPI in a venv, the widget driven from
          the kernel and the page in headless Chromium (xtask/tests/notebook_browser.rs)
  bench   build, then time the app in headless Chromium against its budgets (BENCHMARKS.md)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["build"] => xtask::build(),
        ["serve"] => serve(false),
        ["serve", "--csp"] => serve(true),
        ["dist"] => xtask::dist(&xtask::repo_root().join("dist")),
        ["dist", dir] if !dir.starts_with('-') => xtask::dist(
            &std::env::current_dir()
                .map(|cwd| cwd.join(dir))
                .unwrap_or_else(|_| dir.into()),
        ),
        ["test"] => xtask::test(),
        ["wheel"] => xtask::wheel().map(|_| ()),
        ["notebook-test"] => xtask::wheel::notebook_test(),
        ["bench"] => xtask::bench(),
        ["help" | "-h" | "--help"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `build`, then serve the repository root until interrupted (Ctrl-C); with `csp`, every
/// response carries [`xtask::STRICT_CSP`].
fn serve(csp: bool) -> Result<(), String> {
    let port = match std::env::var("PORT") {
        Ok(p) if !p.trim().is_empty() => p
            .trim()
            .parse::<u16>()
            .map_err(|_| format!("PORT={p:?} is not a port number (0-65535)"))?,
        _ => 8000,
    };
    xtask::build()?;
    let headers: &[(&str, &str)] = if csp {
        &[("Content-Security-Policy", xtask::STRICT_CSP)]
    } else {
        &[]
    };
    let server = xtask::serve_with_headers(&xtask::repo_root(), port, true, headers)?;
    let mut out = std::io::stdout().lock();
    let policy = if csp { " with the strict CSP" } else { "" };
    let _ = writeln!(out, "gdviz: serving on {}{policy}", server.url());
    let _ = out.flush();
    drop(out);
    server.wait();
    Ok(())
}
