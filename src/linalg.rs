//! The little linear algebra a 2D optimizer needs: points, symmetric 2×2 matrices, eigenvalues.

/// A point or vector in parameter space, `[x, y]`.
pub type Vec2 = [f64; 2];
/// A 2×2 matrix, row-major: `[[a, b], [c, d]]`.
pub type Mat2 = [[f64; 2]; 2];

/// Euclidean norm.
pub fn norm(v: Vec2) -> f64 {
    v[0].hypot(v[1])
}

/// Whether both coordinates are finite.
pub fn is_finite(v: Vec2) -> bool {
    v[0].is_finite() && v[1].is_finite()
}

/// Eigenvalues of a symmetric 2×2 matrix, smallest first (closed form, no iteration).
pub fn sym_eigenvalues(m: Mat2) -> (f64, f64) {
    let mean = 0.5 * (m[0][0] + m[1][1]);
    let half_diff = 0.5 * (m[0][0] - m[1][1]);
    let off = 0.5 * (m[0][1] + m[1][0]);
    let r = half_diff.hypot(off);
    // The eigenvalue of larger magnitude from mean ± r is accurate; the other is taken from the
    // determinant, which avoids the cancellation of mean ∓ r.
    let big = if mean >= 0.0 { mean + r } else { mean - r };
    let det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    let small = if big != 0.0 { det / big } else { 0.0 };
    if big >= small {
        (small, big)
    } else {
        (big, small)
    }
}

/// Solves `m · x = b`; `None` when `m` is (numerically) singular.
pub fn solve(m: Mat2, b: Vec2) -> Option<Vec2> {
    let det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    let scale = m[0][0]
        .abs()
        .max(m[1][1].abs())
        .max(m[0][1].abs())
        .max(m[1][0].abs());
    if !det.is_finite() || det.abs() <= 1e-14 * scale * scale {
        return None;
    }
    Some([
        (b[0] * m[1][1] - m[0][1] * b[1]) / det,
        (m[0][0] * b[1] - m[1][0] * b[0]) / det,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigenvalues_of_booth_hessian() {
        assert_eq!(sym_eigenvalues([[10.0, 8.0], [8.0, 10.0]]), (2.0, 18.0));
    }

    #[test]
    fn solve_rejects_singular() {
        assert_eq!(solve([[1.0, 1.0], [1.0, 1.0]], [1.0, 2.0]), None);
        assert_eq!(
            solve([[2.0, 0.0], [0.0, 4.0]], [2.0, 2.0]),
            Some([1.0, 0.5])
        );
    }
}
