//! `cargo xtask dist`: the static build. A folder that works from any sub-path and offline
//! (relative paths only), plus `gdviz.html`, the whole app in one file (wasm inlined) for
//! `file://` and for uploading to a course platform.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{build, kb, npm_install, pkg_dir, read, rel, repo_root, target_dir};

/// The bundler of the single-file build (a single native binary from npm).
pub const ESBUILD_NPM: &str = "esbuild@0.28.2";

/// Marks a folder as written by [`dist`], so a later run may empty it (and nothing else).
const MARKER: &str = ".gdviz-dist";

/// The page files copied as they are, relative to the repository root.
const PAGES: &[&str] = &["index.html", "example.html"];

/// Files of `www/` that are build inputs, not part of the site.
const NOT_SHIPPED: &[&str] = &["single.js"];

/// The generated files of `www/pkg/` the site loads (not the TypeScript declarations): the
/// first module and the second (`lab/`), which the page loads when Network mode or Code opens.
const PKG: &[&str] = &[
    "gdviz.js",
    "gdviz_bg.wasm",
    "gdviz_lab.js",
    "gdviz_lab_bg.wasm",
];

/// Builds the web app and writes the static site into `out`: the pages, `www/` and the single
/// file `gdviz.html`. Refuses to overwrite a non-empty folder it did not write.
pub fn dist(out: &Path) -> Result<(), String> {
    build()?;
    site(out)
}

/// [`dist`] from the current `www/pkg/` (already built).
pub fn site(out: &Path) -> Result<(), String> {
    prepare(out)?;
    let root = repo_root();
    let www = out.join("www");
    fs::create_dir_all(www.join("pkg"))
        .map_err(|e| format!("cannot create {}: {e}", www.display()))?;
    for page in PAGES {
        copy(&root.join(page), &out.join(page))?;
    }
    let entries = fs::read_dir(root.join("www")).map_err(|e| format!("cannot list www/: {e}"))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("cannot list www/: {e}"))?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_file() && !NOT_SHIPPED.contains(&name) {
            copy(&path, &www.join(name))?;
        }
    }
    for name in PKG {
        copy(&pkg_dir().join(name), &www.join("pkg").join(name))?;
    }
    let single = out.join("gdviz.html");
    single_file(&single)?;
    fs::write(
        out.join(MARKER),
        "written by `cargo xtask dist`; emptied by its next run\n",
    )
    .map_err(|e| format!("cannot write {}: {e}", out.join(MARKER).display()))?;
    eprintln!(
        "xtask: static site in {} (open index.html through any web server; example.html mounts two instances)",
        shown(out)
    );
    eprintln!(
        "xtask: single file {} ({}; works from file://)",
        shown(&single),
        kb(read(&single)?.len())
    );
    Ok(())
}

/// Empties `out` if an earlier [`dist`] wrote it; creates it if missing.
fn prepare(out: &Path) -> Result<(), String> {
    if out.exists() {
        let empty = fs::read_dir(out)
            .map_err(|e| format!("cannot read {}: {e}", out.display()))?
            .next()
            .is_none();
        if !empty && !out.join(MARKER).is_file() {
            return Err(format!(
                "{} exists and was not written by `cargo xtask dist`; choose another folder",
                out.display()
            ));
        }
        fs::remove_dir_all(out).map_err(|e| format!("cannot empty {}: {e}", out.display()))?;
    }
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

/// `path` for messages: relative to the repository when inside it.
fn shown(path: &Path) -> String {
    if path.starts_with(repo_root()) {
        rel(path)
    } else {
        path.display().to_string()
    }
}

/// npm's esbuild under `target/tools/`, installed there on first use.
pub fn find_esbuild() -> Result<PathBuf, String> {
    let tools = target_dir().join("tools");
    let bin = tools.join("node_modules").join(".bin").join("esbuild");
    if !bin.is_file() {
        npm_install(&tools, ESBUILD_NPM)
            .map_err(|e| format!("{e}; the single-file build needs npm's esbuild"))?;
    }
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(format!("{} missing after npm install", bin.display()))
    }
}

/// Writes the single-file app to `out`: `www/single.js` and everything it imports bundled by
/// esbuild (both wasm modules inlined as bytes; the second one's glue, imported dynamically by
/// `www/lab.js`, bundled too) into one classic script, and the stylesheet inlined.
pub fn single_file(out: &Path) -> Result<(), String> {
    let root = repo_root();
    let esbuild = find_esbuild()?;
    let bundle = target_dir().join("tmp").join("gdviz-single.js");
    let output = Command::new(&esbuild)
        .arg(root.join("www").join("single.js"))
        .args([
            "--bundle",
            "--format=iife",
            "--minify",
            "--target=es2020",
            "--loader:.wasm=binary",
            "--log-level=error",
        ])
        .arg(format!("--outfile={}", bundle.display()))
        .output()
        .map_err(|e| format!("cannot run {}: {e}", esbuild.display()))?;
    if !output.status.success() {
        return Err(format!(
            "esbuild failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let script = String::from_utf8(read(&bundle)?).map_err(|_| "esbuild wrote non-UTF-8")?;
    let style = String::from_utf8(read(&root.join("www").join("style.css"))?)
        .map_err(|_| "www/style.css is not UTF-8")?;
    let html = single_page(&script, &style)?;
    fs::write(out, html).map_err(|e| format!("cannot write {}: {e}", out.display()))
}

/// The single file's HTML around the bundled `script` and the `style` sheet.
pub fn single_page(script: &str, style: &str) -> Result<String, String> {
    if style.to_ascii_lowercase().contains("</style") {
        return Err("www/style.css contains `</style`, which would end the inlined sheet".into());
    }
    let script = escape_script_end(script);
    Ok(format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gdviz — gradient descent, step by step</title>
<meta name="description" content="Watch gradient descent, momentum, Adagrad, RMSprop and Adam step across 2D cost surfaces, exactly as PyTorch's torch.optim does. The whole app in one file.">
<style>
{style}</style>
</head>
<body class="gdviz-page">
<main id="gdviz" class="gdviz"></main>
<noscript><p class="gdviz-boot-error">gdviz needs JavaScript and WebAssembly: turn JavaScript on to see gradient descent step by step.</p></noscript>
<script>
{script}</script>
</body>
</html>
"#
    ))
}

/// `script` with every `</script` (any case) written `<\/script`: the same text to JS (in strings,
/// templates and regexes, the only places it can occur), but the HTML parser no longer ends the
/// inlined script there.
pub fn escape_script_end(script: &str) -> String {
    let lower = script.to_ascii_lowercase();
    let mut out = String::with_capacity(script.len());
    let mut last = 0;
    for (at, _) in lower.match_indices("</script") {
        out.push_str(&script[last..at + 1]);
        out.push('\\');
        last = at + 1;
    }
    out.push_str(&script[last..]);
    out
}
