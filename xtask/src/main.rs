//! `cargo xtask build|serve|test`: see the crate's library for what each step does.

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  build   release wasm build + JS bindings (and wasm-opt when available) into www/pkg/
  serve   build, then serve the repository on http://127.0.0.1:$PORT/ (default 8000)
  test    format check, clippy, build, then every test of the workspace (browser tests included)
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
        ["serve"] => serve(),
        ["test"] => xtask::test(),
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

/// `build`, then serve the repository root until interrupted (Ctrl-C).
fn serve() -> Result<(), String> {
    let port = match std::env::var("PORT") {
        Ok(p) if !p.trim().is_empty() => p
            .trim()
            .parse::<u16>()
            .map_err(|_| format!("PORT={p:?} is not a port number (0-65535)"))?,
        _ => 8000,
    };
    xtask::build()?;
    let server = xtask::serve_with(&xtask::repo_root(), port, true)?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "gdviz: serving on {}", server.url());
    let _ = out.flush();
    drop(out);
    server.wait();
    Ok(())
}
