//! Lower layers never reach up: each module of the crate uses only modules before it in
//! [`ORDER`] (ARCHITECTURE.md draws the same layers). Read from the sources, outside comments and
//! test modules, so a new `use crate::…` that points upward fails here with the line to fix.

use std::path::Path;

/// The modules from the bottom up.
const ORDER: [&str; 29] = [
    "error",
    "math",
    "linalg",
    "format",
    "surface",
    "expr",
    "optim",
    "schedule",
    "variant",
    "run",
    "network",
    "export",
    "contour",
    "teach",
    "options",
    "share",
    "caption",
    "exercise",
    "lessons",
    "netlessons",
    "measured",
    "render",
    "dataview",
    "netview",
    "landview",
    "sharpview",
    "plot3d",
    "figure",
    "web",
];

/// The crate's source files under `dir`.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_uses_one_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut upward = Vec::new();
    let mut seen = 0;
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let top = rel
            .iter()
            .next()
            .unwrap()
            .to_string_lossy()
            .replace(".rs", "");
        let Some(rank) = ORDER.iter().position(|&m| m == top) else {
            // lib.rs and the binary are above everything.
            assert!(
                top == "lib" || top == "bin",
                "{} is not in ORDER: place it in its layer",
                rel.display()
            );
            continue;
        };
        seen += 1;
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        for (n, line) in code.lines().enumerate() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            for (at, _) in line.match_indices("crate::") {
                let name: String = line[at + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                match ORDER.iter().position(|&m| m == name) {
                    Some(r) if r > rank => upward.push(format!(
                        "{}:{}: {top} uses {name}, a layer above it",
                        rel.display(),
                        n + 1
                    )),
                    _ => {}
                }
            }
        }
    }
    assert!(seen > 30, "only {seen} files read");
    assert!(upward.is_empty(), "{upward:#?}");
}
