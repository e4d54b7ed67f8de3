//! gdviz project automation in Rust (the cargo-xtask pattern): build the web app, serve it, and run
//! every check, so a fresh clone needs nothing but cargo (plus Chromium for the browser tests).
//!
//! The binary (`cargo xtask build|serve|test`) is a thin wrapper over this library; the browser
//! tests in `xtask/tests/` use [`serve`] to put the repository on a local port.

use std::fs;
use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub mod dist;
pub mod wheel;
pub use dist::dist;
pub use wheel::wheel;

/// The wasm target the web app is built for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The npm package that provides a `wasm-opt` new enough for rustc's wasm output (Debian's
/// binaryen 108 is too old: its `-Oz` output fails in the browser).
pub const BINARYEN_NPM: &str = "binaryen@132.0.0";

/// `wasm-opt` arguments. The features are those rustc 1.95's default wasm32 CPU emits (the module's
/// `target_features` section lists them, and wasm-opt 132 reads it); naming them keeps wasm-opt
/// validating even for a module whose section was stripped. `-Oz` twice: the second pass finds
/// what the first one's inlining exposed (0.4 KB gzipped on this module).
pub const WASM_OPT_FLAGS: &[&str] = &[
    "-Oz",
    "-Oz",
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// The workspace root (the parent of this crate's folder).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// The workspace's target folder: `$CARGO_TARGET_DIR` if set (relative to the root), else `target/`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => repo_root().join(dir),
        _ => repo_root().join("target"),
    }
}

/// Where the generated bindings go: `www/pkg/` (ignored by git).
pub fn pkg_dir() -> PathBuf {
    repo_root().join("www").join("pkg")
}

/// The optimized, bindgen-processed module the page loads.
pub fn pkg_wasm() -> PathBuf {
    pkg_dir().join("gdviz_bg.wasm")
}

/// The page's second module (`lab/`: Network mode and the code export), loaded the first time
/// either is opened.
pub fn pkg_lab_wasm() -> PathBuf {
    pkg_dir().join("gdviz_lab_bg.wasm")
}

/// The budget of the first module gzipped (bytes), after wasm-opt: what the page fetches before
/// it can draw anything (issue 16's target). [`build`] warns above it.
pub const FIRST_MODULE_BUDGET: usize = 200_000;

/// The most the first module may weigh gzipped (bytes), after wasm-opt: [`build`] fails above
/// it, so the module cannot silently grow back. A ratchet: lower it as the module shrinks, down
/// to [`FIRST_MODULE_BUDGET`] (BENCHMARKS.md, "Module sizes"). Raised once, from 226 000, for
/// the loss chart's line layer (BENCHMARKS.md round 14): the module was 225.8 KB with it, too
/// close for another toolchain's build.
pub const FIRST_MODULE_CEILING: usize = 227_000;

/// Runs `cargo ARGS` from the workspace root; an error names the command that failed.
pub fn cargo(args: &[&str]) -> Result<(), String> {
    eprintln!("xtask: cargo {}", args.join(" "));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(args)
        .current_dir(repo_root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}

/// Installs the wasm target's standard library through rustup unless it is already there.
pub fn ensure_wasm_target() -> Result<(), String> {
    let libdir = Command::new("rustc")
        .args(["--print", "target-libdir", "--target", WASM_TARGET])
        .current_dir(repo_root())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let installed = libdir
        .and_then(|dir| fs::read_dir(dir).ok())
        .is_some_and(|mut entries| entries.next().is_some());
    if installed {
        return Ok(());
    }
    eprintln!("xtask: rustup target add {WASM_TARGET}");
    let status = Command::new("rustup")
        .args(["target", "add", WASM_TARGET])
        .current_dir(repo_root())
        .status()
        .map_err(|e| format!("the {WASM_TARGET} target is missing and rustup cannot run: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`rustup target add {WASM_TARGET}` failed ({status})"
        ))
    }
}

/// The release web build: compile the page's module (the `gdviz` library with its `web`
/// glue, without the code export) and the second module (`lab/`, the core without that glue: two cargo runs, so their
/// features stay apart), generate `--target web` bindings for both into `www/pkg/`
/// (`gdviz.js`, `gdviz_bg.wasm`, `gdviz_lab.js`, `gdviz_lab_bg.wasm`), then shrink each with
/// wasm-opt when it can be had (never fails the build for it). Prints each module's size, raw
/// and gzipped; fails when the first one is over [`FIRST_MODULE_CEILING`], warns when it is over
/// [`FIRST_MODULE_BUDGET`].
pub fn build() -> Result<(), String> {
    ensure_wasm_target()?;
    cargo(&[
        "build",
        "--lib",
        "--release",
        "--target",
        WASM_TARGET,
        "--no-default-features",
        "--features",
        "web",
    ])?;
    cargo(&[
        "build",
        "-p",
        "gdviz-lab",
        "--lib",
        "--release",
        "--target",
        WASM_TARGET,
    ])?;
    let release = target_dir().join(WASM_TARGET).join("release");
    let out = pkg_dir();
    let first = module(&release.join("gdviz.wasm"), &out, true)?;
    module(&release.join("gdviz_lab.wasm"), &out, false)?;
    match first {
        Some(gzipped) if gzipped > FIRST_MODULE_CEILING => Err(format!(
            "{} is {} gzipped, over the first module's ceiling of {}: move what the page does not need at once into lab/ (twiggy top/dominators on target/{WASM_TARGET}/release/gdviz.wasm shows what weighs)",
            rel(&pkg_wasm()),
            kb(gzipped),
            kb(FIRST_MODULE_CEILING)
        )),
        Some(gzipped) => {
            if gzipped > FIRST_MODULE_BUDGET {
                eprintln!(
                    "xtask: warning: {} is {} gzipped, over the first module's budget of {} (BENCHMARKS.md)",
                    rel(&pkg_wasm()),
                    kb(gzipped),
                    kb(FIRST_MODULE_BUDGET)
                );
            }
            Ok(())
        }
        None => {
            eprintln!(
                "xtask: {} not optimized, so its budget of {} gzipped is not checked",
                rel(&pkg_wasm()),
                kb(FIRST_MODULE_BUDGET)
            );
            Ok(())
        }
    }
}

/// Bindings for the compiled module `input` into `out` (emptied first when `first`), then
/// wasm-opt; prints the sizes. The gzipped size when wasm-opt ran, `None` when it was skipped.
fn module(input: &Path, out: &Path, first: bool) -> Result<Option<usize>, String> {
    let t = Instant::now();
    bindgen_into(input, out, first)?;
    let stem = input
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| format!("{} has no file name", input.display()))?;
    let wasm = out.join(format!("{stem}_bg.wasm"));
    let before = read(&wasm)?;
    eprintln!(
        "xtask: bindings: {} + {} ({:.1} s)",
        rel(&out.join(format!("{stem}.js"))),
        rel(&wasm),
        t.elapsed().as_secs_f64()
    );
    let optimized = match wasm_opt(&wasm) {
        Ok(true) => {
            let after = read(&wasm)?;
            eprintln!(
                "xtask: wasm-opt -Oz: {} -> {} ({} -> {} gzipped)",
                kb(before.len()),
                kb(after.len()),
                kb(gzip_size(&before)),
                kb(gzip_size(&after)),
            );
            true
        }
        Ok(false) => false,
        Err(e) => {
            eprintln!("xtask: wasm-opt skipped: {e}");
            false
        }
    };
    let bytes = read(&wasm)?;
    let gzipped = gzip_size(&bytes);
    eprintln!(
        "xtask: {}: {} ({} gzipped)",
        rel(&wasm),
        kb(bytes.len()),
        kb(gzipped)
    );
    Ok(optimized.then_some(gzipped))
}

/// Generates JS bindings for `input` into `out_dir` (emptied first), exactly as
/// `wasm-bindgen --target web --out-dir OUT_DIR INPUT` would.
pub fn bindgen(input: &Path, out_dir: &Path) -> Result<(), String> {
    bindgen_into(input, out_dir, true)
}

/// [`bindgen`], emptying `out_dir` first only when `empty` (the second module's bindings go
/// beside the first's).
pub fn bindgen_into(input: &Path, out_dir: &Path, empty: bool) -> Result<(), String> {
    if !input.is_file() {
        return Err(format!("{} is missing", input.display()));
    }
    if empty && out_dir.exists() {
        fs::remove_dir_all(out_dir)
            .map_err(|e| format!("cannot empty {}: {e}", out_dir.display()))?;
    }
    fs::create_dir_all(out_dir).map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(input)
        .web(true)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?
        .typescript(true)
        .omit_default_module_path(false)
        .generate(out_dir)
        .map_err(|e| format!("wasm-bindgen on {}: {e:#}", input.display()))
}

/// The `wasm-opt` of npm's `binaryen` package under `target/tools/`, installed there with npm on
/// first use; the reason when it cannot be had.
pub fn find_wasm_opt() -> Result<PathBuf, String> {
    let tools = target_dir().join("tools");
    let bin = tools.join("node_modules").join(".bin").join("wasm-opt");
    if bin.is_file() {
        return Ok(bin);
    }
    let npm_found = Command::new("npm")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !npm_found {
        return Err("npm not found (install Node.js and npm to shrink the wasm)".into());
    }
    npm_install(&tools, BINARYEN_NPM)?;
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(format!("{} missing after npm install", bin.display()))
    }
}

/// Optimizes `wasm` in place for size. `Ok(false)` with a one-line notice when no suitable
/// wasm-opt can be had; `Err` when wasm-opt ran and failed (the module is left as it was).
pub fn wasm_opt(wasm: &Path) -> Result<bool, String> {
    let bin = match find_wasm_opt() {
        Ok(bin) => bin,
        Err(why) => {
            eprintln!("xtask: wasm-opt skipped: {why}");
            return Ok(false);
        }
    };
    let tmp = wasm.with_extension("opt.wasm");
    let output = Command::new(&bin)
        .args(WASM_OPT_FLAGS)
        .arg(wasm)
        .arg("-o")
        .arg(&tmp)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    if !output.status.success() {
        let _ = fs::remove_file(&tmp);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or("").trim();
        return Err(format!("wasm-opt failed ({}): {first}", output.status));
    }
    fs::rename(&tmp, wasm).map_err(|e| format!("cannot replace {}: {e}", wasm.display()))?;
    Ok(true)
}

/// Size of `bytes` gzipped at the best level (what a server compressing on the fly would send).
pub fn gzip_size(bytes: &[u8]) -> usize {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("writing to memory");
    enc.finish().expect("writing to memory").len()
}

pub(crate) fn read(path: &Path) -> Result<Vec<u8>, String> {
    fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

pub(crate) fn kb(n: usize) -> String {
    format!("{:.1} KB", n as f64 / 1000.0)
}

/// `path` relative to the repository root, for messages.
pub(crate) fn rel(path: &Path) -> String {
    let root = repo_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// `npm install PACKAGE` into `tools` (quiet, no audit); an error says which package failed.
pub(crate) fn npm_install(tools: &Path, package: &str) -> Result<(), String> {
    eprintln!("xtask: npm install --prefix {} {package}", rel(tools));
    fs::create_dir_all(tools).map_err(|e| format!("cannot create {}: {e}", tools.display()))?;
    let status = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
        .arg("--prefix")
        .arg(tools)
        .arg(package)
        .current_dir(tools)
        .status()
        .map_err(|e| format!("cannot run npm (needed for {package}): {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`npm install {package}` failed ({status})"))
    }
}

/// Every check, cheapest first: format, lint (native and wasm), the release web build (the
/// browser tests load it), every test of the workspace, then the wasm tests in the browser.
pub fn test() -> Result<(), String> {
    cargo(&["fmt", "--all", "--", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;
    ensure_wasm_target()?;
    cargo(&[
        "clippy",
        "--lib",
        "--target",
        WASM_TARGET,
        "--",
        "-D",
        "warnings",
    ])?;
    cargo(&[
        "clippy",
        "-p",
        "gdviz-lab",
        "--lib",
        "--target",
        WASM_TARGET,
        "--",
        "-D",
        "warnings",
    ])?;
    build()?;
    let native = cargo(&["test", "--workspace", "--no-fail-fast"]);
    let wasm = wasm_tests();
    native.and(wasm)
}

/// The npm package of the accessibility audit (`xtask/tests/a11y_browser.rs` runs it in the page).
pub const AXE_CORE_NPM: &str = "axe-core@4.14.1";

/// `axe.min.js` of npm's `axe-core` under `target/tools/`, installed there with npm on first use
/// (and again when the pinned version changes); the reason when it cannot be had.
pub fn find_axe() -> Result<PathBuf, String> {
    npm_file(AXE_CORE_NPM, "axe.min.js")
}

/// The npm package of a host page's stylesheet the embedding tests mount gdviz under
/// (`xtask/tests/host_css_browser.rs`): Bootstrap, as in Moodle and many course sites.
pub const BOOTSTRAP_NPM: &str = "bootstrap@5.3.8";

/// Bootstrap's compiled stylesheet under `target/tools/`, installed like [`find_axe`]'s script.
pub fn find_bootstrap_css() -> Result<PathBuf, String> {
    npm_file(BOOTSTRAP_NPM, "dist/css/bootstrap.min.css")
}

/// `file` of npm package `spec` (`name@version`) under `target/tools/node_modules/`, installed
/// there with npm on first use and again when the pinned version changes.
fn npm_file(spec: &str, file: &str) -> Result<PathBuf, String> {
    let package = npm_package(&target_dir().join("tools"), spec)?;
    let path = package.join(file);
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!("{} missing after npm install", path.display()))
    }
}

/// The folder of npm package `spec` (`name@version`) under `prefix/node_modules/`, installed
/// there with npm on first use and again when the pinned version changes.
fn npm_package(prefix: &Path, spec: &str) -> Result<PathBuf, String> {
    let (name, version) = spec.rsplit_once('@').unwrap_or((spec, ""));
    let package = prefix.join("node_modules").join(name);
    let installed = fs::read_to_string(package.join("package.json"))
        .is_ok_and(|json| json.contains(&format!("\"version\": \"{version}\"")));
    if !installed {
        npm_install(prefix, spec)?;
    }
    Ok(package)
}

/// The npm package the browser benchmark compares gdviz's contour extraction with (its
/// dependency `d3-array` comes along).
pub const D3_CONTOUR_NPM: &str = "d3-contour@4.0.3";

/// What the browser benchmark's peers run on, from npm at pinned versions (BENCHMARKS.md, "The
/// peers"): d3 4 (4.7.3, the version Distill's momentum post was built with), numeric and
/// contour_plot for the re-created Distill figure, and fmin, whose published gradient-descent
/// demo (`build/fmin_vis.js`) runs unchanged.
pub const PEERS_NPM: &[&str] = &[
    "d3@4.7.3",
    "numeric@1.2.6",
    "contour_plot@0.0.1",
    "fmin@0.0.4",
];

/// Where [`PEERS_NPM`] is installed: `target/tools/peers/`, a prefix of its own (d3 4 and the
/// d3-contour 4 of the contour comparison want different `d3-array`s). The benchmark's pages in
/// `xtask/bench/` load them from there.
pub fn peers_dir() -> PathBuf {
    target_dir().join("tools").join("peers")
}

/// Installs [`PEERS_NPM`] under [`peers_dir`] (each once, and again when its pin changes).
pub fn ensure_peers() -> Result<(), String> {
    let prefix = peers_dir();
    for spec in PEERS_NPM {
        npm_package(&prefix, spec)?;
    }
    Ok(())
}

/// The browser benchmark: the release web build, `d3-contour` and the peers' packages from npm
/// into `target/tools/` (once), then the ignored test `xtask/tests/bench_browser.rs`, which
/// prints the tables against the targets.
pub fn bench() -> Result<(), String> {
    build()?;
    let tools = target_dir().join("tools");
    if !tools.join("node_modules/d3-contour/package.json").is_file() {
        npm_install(&tools, D3_CONTOUR_NPM)?;
    }
    ensure_peers()?;
    // `--workspace`, as `test` builds it: the same features, so no rebuild between the two.
    cargo(&[
        "test",
        "--workspace",
        "--test",
        "bench_browser",
        "--",
        "--ignored",
        "--nocapture",
    ])
}

/// The version of `wasm-bindgen` that Cargo.lock pins: its CLI tools must match it exactly.
pub fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock = fs::read_to_string(repo_root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = ")) {
                return Ok(v.trim_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

/// `wasm-bindgen-test-runner` of the locked version, built from crates.io into `target/tools/`
/// the first time (about two minutes; `--locked` is not used because one of the CLI's locked
/// dependency versions is missing from the registry).
pub fn ensure_test_runner() -> Result<PathBuf, String> {
    let version = locked_wasm_bindgen_version()?;
    let root = target_dir().join("tools");
    let bin = root.join("bin");
    let current = Command::new(bin.join("wasm-bindgen"))
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    if current.as_deref() != Some(&format!("wasm-bindgen {version}"))
        || !bin.join("wasm-bindgen-test-runner").exists()
    {
        let root_arg = root.display().to_string();
        cargo(&[
            "install",
            "wasm-bindgen-cli",
            "--version",
            &format!("={version}"),
            "--root",
            &root_arg,
        ])?;
    }
    Ok(bin.join("wasm-bindgen-test-runner"))
}

/// The wasm-side tests of the exported API (`tests/wasm.rs`), run by wasm-bindgen-test in
/// headless Chromium through chromedriver.
pub fn wasm_tests() -> Result<(), String> {
    let runner = ensure_test_runner()?;
    let driver = std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"));
    if !driver.exists() {
        return Err(format!(
            "{} is missing: install Debian's chromium-driver (or set CHROMEDRIVER) for the wasm tests",
            driver.display()
        ));
    }
    eprintln!("xtask: cargo test --target {WASM_TARGET} --test wasm (in headless Chromium)");
    let cargo_bin = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo_bin)
        .args(["test", "--target", WASM_TARGET, "--test", "wasm"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", &runner)
        .env("CHROMEDRIVER", &driver)
        .current_dir(repo_root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the wasm tests failed ({status})"))
    }
}

// ---------------------------------------------------------------------------------------------
// Static file server

/// How long a kept-alive connection may sit idle before the server closes it.
const IDLE: Duration = Duration::from_secs(10);

/// A static file server: one thread accepting, one thread per connection (a kept-alive
/// connection never holds up another). Stops accepting, and frees its port, on drop.
pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl Server {
    /// The port actually bound (useful after asking for port 0).
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `http://127.0.0.1:PORT/`
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Blocks until the server stops (in practice: until the process is interrupted).
    pub fn wait(mut self) {
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread with a connection of our own; it sees `stop` and returns,
        // dropping the listener, so "dropped" means the port refuses connections.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

/// Serves the files under `root` on 127.0.0.1:`port` (0: any free port) from background threads,
/// quietly. See [`serve_with`].
pub fn serve(root: &Path, port: u16) -> Result<Server, String> {
    serve_with(root, port, false)
}

/// Serves the files under `root` on 127.0.0.1:`port` (0: any free port): GET and HEAD only, `/`
/// and folders serve their `index.html`, a proper Content-Type for the web's file types,
/// `Cache-Control: no-cache`, 404 for missing files and 403 for any attempt to leave `root`.
/// With `log`, prints one line per request on stderr.
pub fn serve_with(root: &Path, port: u16, log: bool) -> Result<Server, String> {
    serve_with_headers(root, port, log, &[])
}

/// The strict Content-Security-Policy the app works under: no inline scripts or styles, no eval,
/// only WebAssembly compilation.
pub const STRICT_CSP: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

/// [`serve_with`], adding `headers` (name, value) to every response, e.g.
/// `("Content-Security-Policy", STRICT_CSP)`.
pub fn serve_with_headers(
    root: &Path,
    port: u16,
    log: bool,
    headers: &[(&str, &str)],
) -> Result<Server, String> {
    let extra: Arc<Vec<(String, String)>> = Arc::new(
        headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
    );
    let root = Arc::new(
        root.canonicalize()
            .map_err(|e| format!("cannot serve {}: {e}", root.display()))?,
    );
    let listener = listen(port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = Arc::clone(&stop);
    let acceptor = std::thread::Builder::new()
        .name("xtask-serve".into())
        .spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                // A failed accept (the peer gave up first) costs only that connection.
                let Ok(stream) = stream else { continue };
                let (root, extra) = (Arc::clone(&root), Arc::clone(&extra));
                let _ = std::thread::Builder::new()
                    .name("xtask-serve-conn".into())
                    .spawn(move || connection(stream, &root, log, &extra));
            }
        })
        .map_err(|e| format!("cannot start the server thread: {e}"))?;
    Ok(Server {
        addr,
        stop,
        acceptor: Some(acceptor),
    })
}

/// Serves the requests of one connection until the client closes it, asks to, or sits idle for
/// [`IDLE`].
fn connection(stream: TcpStream, root: &Path, log: bool, extra: &[(String, String)]) {
    use std::io::BufRead;
    let _ = stream.set_read_timeout(Some(IDLE));
    let Ok(reading) = stream.try_clone() else {
        return;
    };
    let mut reader = io::BufReader::new(reading);
    let mut out = stream;
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [method, target, version] = parts[..] else {
            let _ = write_response(
                &mut out,
                400,
                "Bad Request",
                &[],
                b"400 Bad Request\n",
                false,
                true,
            );
            return;
        };
        let (method, target, version) =
            (method.to_string(), target.to_string(), version.to_string());
        // The headers: only Connection and Content-Length matter here.
        let mut close = version == "HTTP/1.0";
        let mut body_len = 0usize;
        loop {
            let mut h = String::new();
            match reader.read_line(&mut h) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((name, value)) = h.split_once(':') {
                let value = value.trim().to_ascii_lowercase();
                if name.eq_ignore_ascii_case("connection") {
                    close = value.contains("close")
                        || (version == "HTTP/1.0" && !value.contains("keep-alive"));
                } else if name.eq_ignore_ascii_case("content-length") {
                    body_len = value.parse().unwrap_or(0);
                }
            }
        }
        if body_len > 0 {
            let mut sink = vec![0u8; body_len.min(1 << 20)];
            if io::Read::read_exact(&mut reader, &mut sink).is_err() {
                return;
            }
        }
        let head = method == "HEAD";
        let result = respond(root, &method, &target, extra, &mut out, head, close);
        if log {
            let mut err = io::stderr().lock();
            let _ = match &result {
                Ok(code) => writeln!(err, "{method} {target} {code}"),
                Err(e) => writeln!(err, "{method} {target} (send failed: {e})"),
            };
        }
        if close || result.is_err() {
            return;
        }
    }
}

/// Writes one response: the status line, `headers`, Content-Length and Connection, then `body`
/// (not for HEAD).
fn write_response(
    out: &mut TcpStream,
    code: u16,
    reason: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    head: bool,
    close: bool,
) -> io::Result<()> {
    let mut text = format!("HTTP/1.1 {code} {reason}\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str(&format!(
        "Content-Length: {}\r\nConnection: {}\r\n\r\n",
        body.len(),
        if close { "close" } else { "keep-alive" }
    ));
    // One write for the head and the body, so nothing waits on a delayed ACK.
    let mut bytes = text.into_bytes();
    if !head {
        bytes.extend_from_slice(body);
    }
    out.write_all(&bytes)?;
    out.flush()
}

/// A listening socket on 127.0.0.1:`port` with Nagle's algorithm off, which the accepted
/// connections inherit. A response's head and body written separately, with Nagle on, made
/// every response after the first on a kept-alive connection wait for the browser's delayed ACK
/// (40 ms): the page's chain of module imports cost 45 ms per level.
fn listen(port: u16) -> Result<std::net::TcpListener, String> {
    use socket2::{Domain, Socket, Type};
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let fail = |e: io::Error| format!("cannot listen on {addr}: {e}");
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).map_err(fail)?;
    // As std's `TcpListener::bind` does on Unix: a restarted server can take its port back at once.
    #[cfg(unix)]
    socket.set_reuse_address(true).map_err(fail)?;
    socket.set_tcp_nodelay(true).map_err(fail)?;
    socket.bind(&addr.into()).map_err(fail)?;
    socket.listen(128).map_err(fail)?;
    Ok(socket.into())
}

/// What a request path maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A regular file to send.
    File(PathBuf),
    /// A folder asked for without its trailing slash: redirect here so relative links work.
    Redirect(String),
    /// 400: not a path (bad percent-encoding, NUL, not UTF-8).
    BadRequest,
    /// 403: the path tries to leave the root.
    Forbidden,
    /// 404
    NotFound,
}

/// Maps a request target (`/a/b.js?x#y`, percent-encoded) to a file under `root` (canonical).
pub fn resolve(root: &Path, target: &str) -> Resolved {
    let path = target.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Resolved::BadRequest;
    }
    let mut file = root.to_path_buf();
    for raw in path.split('/') {
        let Some(segment) = percent_decode(raw) else {
            return Resolved::BadRequest;
        };
        if segment.contains('\0') {
            return Resolved::BadRequest;
        }
        if segment.contains(['/', '\\']) || segment == ".." {
            return Resolved::Forbidden;
        }
        if segment.is_empty() || segment == "." {
            continue;
        }
        // Anything that is not a plain name (a drive prefix, a root) is refused as well.
        let mut parts = Path::new(&segment).components();
        match (parts.next(), parts.next()) {
            (Some(Component::Normal(_)), None) => file.push(&segment),
            _ => return Resolved::Forbidden,
        }
    }
    if file.is_dir() {
        if !path.ends_with('/') {
            return Resolved::Redirect(format!("{path}/"));
        }
        file.push("index.html");
    }
    // Symbolic links may point anywhere: the real file must still be under the root.
    match file.canonicalize() {
        Ok(real) if !real.starts_with(root) => Resolved::Forbidden,
        Ok(real) if real.is_file() => Resolved::File(real),
        _ => Resolved::NotFound,
    }
}

/// Decodes `%XX` escapes; `None` for a malformed escape or a result that is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type for a file, by extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("csv") => "text/csv; charset=utf-8",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Answers one request on `out`; returns the status code sent.
fn respond(
    root: &Path,
    method: &str,
    target: &str,
    extra: &[(String, String)],
    out: &mut TcpStream,
    head: bool,
    close: bool,
) -> io::Result<u16> {
    let no_cache = ("Cache-Control", "no-cache");
    let plain = ("Content-Type", "text/plain; charset=utf-8");
    let mut text = |code: u16, msg: &str, more: &[(&str, &str)]| -> io::Result<u16> {
        let mut headers = vec![plain, no_cache];
        headers.extend_from_slice(more);
        write_response(
            out,
            code,
            msg,
            &headers,
            format!("{code} {msg}\n").as_bytes(),
            head,
            close,
        )?;
        Ok(code)
    };
    if method != "GET" && method != "HEAD" {
        return text(405, "Method Not Allowed", &[("Allow", "GET, HEAD")]);
    }
    match resolve(root, target) {
        Resolved::File(path) => match fs::read(&path) {
            Ok(body) => {
                let mut headers = vec![("Content-Type", content_type(&path)), no_cache];
                headers.extend(extra.iter().map(|(n, v)| (n.as_str(), v.as_str())));
                write_response(out, 200, "OK", &headers, &body, head, close)?;
                Ok(200)
            }
            Err(_) => text(404, "Not Found", &[]),
        },
        Resolved::Redirect(to) => text(301, "Moved Permanently", &[("Location", &to)]),
        Resolved::BadRequest => text(400, "Bad Request", &[]),
        Resolved::Forbidden => text(403, "Forbidden", &[]),
        Resolved::NotFound => text(404, "Not Found", &[]),
    }
}

#[cfg(test)]
mod tests {
    /// The browser tests compare the page's numbers with the core's to the bit, and every page
    /// value reaches them as JSON (headless_chrome, `serde_json`): each shortest decimal must
    /// read back as the double it came from. Without serde_json's `float_roundtrip` feature,
    /// "0.19055379705881026" (a network's loss) reads one ulp low, as do about one in ten of the
    /// uniform draws from [0, 1) below (21 040 of 200 000) and more of the other doubles.
    #[test]
    fn json_numbers_are_read_to_the_bit() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut values = vec![0.190_553_797_058_810_26];
        for _ in 0..200_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            values.push((state >> 11) as f64 / 9_007_199_254_740_992.0);
            let x = f64::from_bits(state >> 2);
            if x.is_finite() {
                values.push(x);
            }
        }
        for x in values {
            let text = serde_json::to_string(&x).unwrap();
            let read: f64 = serde_json::from_str(&text).unwrap();
            assert_eq!(read.to_bits(), x.to_bits(), "{text} read as {read:?}");
        }
    }
}
