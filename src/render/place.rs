//! Boxes for labels: where a box beside a point goes, and whether it covers another box or a
//! line. The arrows' labels and the 3D view's axis labels are placed with these.

use crate::linalg;

/// A box in pixels: left, top, width, height.
pub type Rect = (f64, f64, f64, f64);

/// A line segment in pixels.
pub type Segment = ((f64, f64), (f64, f64));

/// Whether two boxes overlap (touching edges do not).
pub fn overlap(a: &Rect, b: &Rect) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

/// How many of `lines` cross or lie in box `r`.
pub fn crossings(r: &Rect, lines: &[Segment]) -> usize {
    let (lo, hi) = ([r.0, r.1], [r.0 + r.2, r.1 + r.3]);
    let mut n = 0;
    for (a, b) in lines {
        if linalg::clip_segment([a.0, a.1], [b.0, b.1], lo, hi).is_some() {
            n += 1;
        }
    }
    n
}

/// The segments of polylines.
pub fn segments(polylines: &[Vec<(f64, f64)>]) -> Vec<Segment> {
    let mut out = Vec::new();
    for line in polylines {
        for w in line.windows(2) {
            out.push((w[0], w[1]));
        }
    }
    out
}

/// A box of `size` beside `anchor` in the unit direction `dir`: its nearest side `gap` away,
/// moved `shift` pixels across that direction.
pub fn beside(anchor: (f64, f64), dir: (f64, f64), gap: f64, size: (f64, f64), shift: f64) -> Rect {
    let (dx, dy) = dir;
    // The box's centre is its half-extent along the direction farther than its nearest side.
    let reach = gap + size.0 / 2.0 * dx.abs() + size.1 / 2.0 * dy.abs();
    let (cx, cy) = (
        anchor.0 + dx * reach - dy * shift,
        anchor.1 + dy * reach + dx * shift,
    );
    (cx - size.0 / 2.0, cy - size.1 / 2.0, size.0, size.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_beside_a_point_keep_their_distance() {
        let r = beside((100.0, 100.0), (1.0, 0.0), 5.0, (40.0, 10.0), 0.0);
        assert_eq!(r, (105.0, 95.0, 40.0, 10.0));
        let r = beside((100.0, 100.0), (0.0, -1.0), 5.0, (40.0, 10.0), 0.0);
        assert_eq!(r, (80.0, 85.0, 40.0, 10.0));
        assert!(overlap(&(0.0, 0.0, 10.0, 10.0), &(5.0, 5.0, 10.0, 10.0)));
        assert!(!overlap(&(0.0, 0.0, 10.0, 10.0), &(10.0, 0.0, 10.0, 10.0)));
        let lines = segments(&[vec![(0.0, 5.0), (20.0, 5.0), (20.0, 50.0)]]);
        assert_eq!(crossings(&(5.0, 0.0, 4.0, 10.0), &lines), 1);
        assert_eq!(crossings(&(30.0, 0.0, 4.0, 10.0), &lines), 0);
    }
}
