//! The little linear algebra a 2D optimizer needs: points, symmetric 2×2 matrices, eigenvalues.

/// A point or vector in parameter space, `[x, y]`.
pub type Vec2 = [f64; 2];
/// A 2×2 matrix, row-major: `[[a, b], [c, d]]`.
pub type Mat2 = [[f64; 2]; 2];

/// Euclidean norm.
pub fn norm(v: Vec2) -> f64 {
    crate::math::hypot(v[0], v[1])
}

/// Whether both coordinates are finite.
pub fn is_finite(v: Vec2) -> bool {
    v[0].is_finite() && v[1].is_finite()
}

/// Eigenvalues of a symmetric 2×2 matrix, smallest first (closed form, no iteration).
pub fn sym_eigenvalues(m: Mat2) -> (f64, f64) {
    // Products of entries beyond 1e±150 would overflow or underflow: scale by a power of two,
    // which is exact, and back.
    let top = m.iter().flatten().fold(0.0f64, |a, v| a.max(v.abs()));
    if top.is_finite() && (top > 1e150 || (top > 0.0 && top < 1e-150)) {
        let s = 2f64.powi((top.log2().floor() as i32).clamp(-1000, 1000));
        let (lo, hi) = sym_eigenvalues(m.map(|row| row.map(|v| v / s)));
        return (lo * s, hi * s);
    }
    let mean = 0.5 * (m[0][0] + m[1][1]);
    let half_diff = 0.5 * (m[0][0] - m[1][1]);
    let off = 0.5 * (m[0][1] + m[1][0]);
    let r = crate::math::hypot(half_diff, off);
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

/// Liang–Barsky clipping of the segment a→b to the rectangle from `lo` to `hi`; the ends that
/// lie inside are returned unchanged (bit for bit), so unclipped segments stay connected. `None`
/// when the segment misses the rectangle or an end is not finite.
pub fn clip_segment(a: Vec2, b: Vec2, lo: Vec2, hi: Vec2) -> Option<(Vec2, Vec2)> {
    // A non-finite end (NaN, or a pixel position that overflowed) gives no segment.
    if !(is_finite(a) && is_finite(b)) {
        return None;
    }
    // Everything in halves where b − a overflows (ends some 1e308 apart); t does not change.
    let s = if (b[0] - a[0]).is_finite() && (b[1] - a[1]).is_finite() {
        1.0
    } else {
        0.5
    };
    let (dx, dy) = (b[0] * s - a[0] * s, b[1] * s - a[1] * s);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a[0] * s - lo[0] * s),
        (dx, hi[0] * s - a[0] * s),
        (-dy, a[1] * s - lo[1] * s),
        (dy, hi[1] * s - a[1] * s),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            b
        } else {
            [(a[0] * s + t * dx) / s, (a[1] * s + t * dy) / s]
        }
    };
    // With one end 2^53 times farther than the rectangle, t rounds to exactly 0 or 1 and would
    // return the other end, outside: such ends go onto the rectangle.
    let onto = |p: Vec2| {
        let c = |v: f64, l: f64, h: f64| {
            if v < l {
                l
            } else if v > h {
                h
            } else {
                v
            }
        };
        [c(p[0], lo[0], hi[0]), c(p[1], lo[1], hi[1])]
    };
    Some((onto(at(t0)), onto(at(t1))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigenvalues_of_booth_hessian() {
        assert_eq!(sym_eigenvalues([[10.0, 8.0], [8.0, 10.0]]), (2.0, 18.0));
    }

    #[test]
    fn clipping_keeps_inside_ends_and_cuts_outside_ones() {
        let (lo, hi) = ([0.0, 0.0], [10.0, 10.0]);
        assert_eq!(
            clip_segment([1.0, 1.0], [2.0, 3.0], lo, hi),
            Some(([1.0, 1.0], [2.0, 3.0]))
        );
        assert_eq!(
            clip_segment([5.0, 5.0], [25.0, 5.0], lo, hi),
            Some(([5.0, 5.0], [10.0, 5.0]))
        );
        assert_eq!(clip_segment([-1.0, 20.0], [20.0, 20.0], lo, hi), None);
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
