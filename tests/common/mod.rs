//! Helpers shared by the test files (each uses some of them).

#![allow(dead_code)]

use std::process::{Command, Output};

use gdviz::surface::Surface;

/// Runs the `gdviz` binary with `args`.
pub fn gdviz(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gdviz"))
        .args(args)
        .output()
        .unwrap()
}

/// Each of `cases`, `(args, name)`, exits with code 2 and a message on stderr naming `name`,
/// without a panic and without output.
pub fn assert_rejected(cases: &[(&[&str], &str)]) {
    for (args, name) in cases {
        let o = gdviz(args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(name),
            "{args:?}: message does not name {name}: {err}"
        );
        assert!(o.stdout.is_empty(), "{args:?}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

/// Central-difference gradient of f and Hessian (central differences of the exact gradient).
pub fn finite_differences(s: &dyn Surface, p: [f64; 2]) -> ([f64; 2], [[f64; 2]; 2]) {
    let mut g = [0.0; 2];
    let mut h = [[0.0; 2]; 2];
    for i in 0..2 {
        let step = 1e-5 * p[i].abs().max(1.0);
        let (mut lo, mut hi) = (p, p);
        lo[i] -= step;
        hi[i] += step;
        g[i] = (s.value(hi) - s.value(lo)) / (2.0 * step);
        let (gl, gh) = (s.gradient(lo), s.gradient(hi));
        for j in 0..2 {
            h[j][i] = (gh[j] - gl[j]) / (2.0 * step);
        }
    }
    (g, h)
}
