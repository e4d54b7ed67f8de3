//! The `gdviz` command line: `trace` prints a run step by step, `list` shows what there is.
//! Native only: in the browser the library is the product.

#[cfg(not(target_arch = "wasm32"))]
mod cli;
#[cfg(not(target_arch = "wasm32"))]
mod output;
#[cfg(not(target_arch = "wasm32"))]
mod usage;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

/// The wasm32 build of the crate is its library; this empty binary only lets
/// `cargo test --target wasm32-unknown-unknown` build.
#[cfg(target_arch = "wasm32")]
fn main() {}
