//! Helpers shared by the surface test files.

use gdviz::surface::Surface;

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
