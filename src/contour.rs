//! Contour plots from a surface: a sampled grid ([`Field`]), well-spread levels ([`Levels`]) and
//! marching squares.

use crate::linalg::Vec2;
use crate::surface::{Surface, View};

/// f sampled on a regular grid over a view; `values[j * nx + i]` is f at column i (x grows) and
/// row j (y grows).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Points per row.
    pub nx: usize,
    /// Points per column.
    pub ny: usize,
    /// The sampled rectangle.
    pub view: View,
    /// The samples. A non-finite sample (NaN or ±∞: `log(x)` for x < 0, an overflow) is where f
    /// is undefined: it takes no part in `min`, `max`, the levels or the colour range, and is
    /// drawn as undefined, never as "high".
    pub values: Vec<f64>,
    /// The smallest finite sample (0 when there is none).
    pub min: f64,
    /// The largest finite sample (0 when there is none).
    pub max: f64,
}

impl Field {
    /// Samples `surface` on an `nx` × `ny` grid (both at least 2) spanning `view`.
    pub fn sample(surface: &dyn Surface, view: View, nx: usize, ny: usize) -> Field {
        let (nx, ny) = (nx.max(2), ny.max(2));
        let mut values = Vec::with_capacity(nx * ny);
        for j in 0..ny {
            let y = lerp(view.y, j as f64 / (ny - 1) as f64);
            for i in 0..nx {
                values.push(surface.value([lerp(view.x, i as f64 / (nx - 1) as f64), y]));
            }
        }
        let finite = values.iter().copied().filter(|v| v.is_finite());
        let (min, max) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        let (min, max) = if min <= max { (min, max) } else { (0.0, 0.0) };
        Field {
            nx,
            ny,
            view,
            values,
            min,
            max,
        }
    }

    /// Whether f is undefined (NaN or infinite) at some grid point.
    pub fn has_undefined(&self) -> bool {
        self.values.iter().any(|v| !v.is_finite())
    }

    /// The parameter-space position of grid point (i, j).
    pub fn point(&self, i: usize, j: usize) -> Vec2 {
        [
            lerp(self.view.x, i as f64 / (self.nx - 1) as f64),
            lerp(self.view.y, j as f64 / (self.ny - 1) as f64),
        ]
    }
}

/// `a + (b − a)t`, or `a(1 − t) + bt` where b − a overflows (a span wider than `f64::MAX`).
pub(crate) fn lerp((a, b): (f64, f64), t: f64) -> f64 {
    let d = b - a;
    if d.is_finite() {
        a + d * t
    } else {
        a * (1.0 - t) + b * t
    }
}

/// Where `v` lies from `a` (0) to `b` (1), the inverse of [`lerp`]; in halves where b − a
/// overflows.
pub(crate) fn unlerp((a, b): (f64, f64), v: f64) -> f64 {
    let d = b - a;
    if d.is_finite() {
        (v - a) / d
    } else {
        (v / 2.0 - a / 2.0) / (b / 2.0 - a / 2.0)
    }
}

/// How values are spread over the colour scale and between contour levels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    /// Evenly in f, from `min` to `max`.
    Linear {
        /// Bottom of the scale.
        min: f64,
        /// Top of the scale.
        max: f64,
    },
    /// Evenly in log(f − min), from `min + floor` to `max`: for surfaces whose values span
    /// decades, like Rosenbrock's.
    Log {
        /// The field's minimum.
        min: f64,
        /// The smallest f − min the scale resolves.
        floor: f64,
        /// Top of the scale.
        max: f64,
    },
}

impl Scale {
    /// Where `v` falls on the scale, from 0 (bottom) to 1 (top), clamped.
    pub fn position(&self, v: f64) -> f64 {
        let t = match *self {
            Scale::Linear { min, max } => unlerp((min, max), v),
            Scale::Log { min, floor, max } => {
                ((v - min).max(floor) / floor).ln() / ((max - min) / floor).ln()
            }
        };
        if t.is_nan() {
            0.0
        } else {
            t.clamp(0.0, 1.0)
        }
    }

    /// The value at position `t` ∈ [0, 1]: the inverse of [`Scale::position`].
    pub fn value_at(&self, t: f64) -> f64 {
        match *self {
            Scale::Linear { min, max } => lerp((min, max), t),
            Scale::Log { min, floor, max } => min + floor * ((max - min) / floor).powf(t),
        }
    }

    /// Whether the scale is logarithmic.
    pub fn is_log(&self) -> bool {
        matches!(self, Scale::Log { .. })
    }
}

/// Contour levels with the scale they were chosen on.
#[derive(Debug, Clone, PartialEq)]
pub struct Levels {
    /// The scale shared by the colour map and the levels.
    pub scale: Scale,
    /// The contour values, increasing.
    pub values: Vec<f64>,
}

impl Levels {
    /// Chooses `count` levels for `field`: logarithmically spaced above the minimum when most of
    /// the field lies in the bottom few percent of its range (f spans decades), evenly otherwise.
    pub fn choose(field: &Field, count: usize) -> Levels {
        let (min, max) = (field.min, field.max);
        let range = max - min;
        if range.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
            return Levels {
                scale: Scale::Linear {
                    min,
                    max: min + 1.0,
                },
                values: Vec::new(),
            };
        }
        // Two order statistics of the defined values, found by selection (linear time) rather
        // than a full sort: the values are exactly those of the sorted field at the same indices.
        let mut values: Vec<f64> = field
            .values
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        if values.is_empty() {
            values.push(min);
        }
        let index = |q: f64| ((values.len() - 1) as f64 * q) as usize;
        let (low, high) = (index(0.005), index(0.25));
        let (below, &mut quartile, _) = values.select_nth_unstable_by(high, f64::total_cmp);
        let tail = if low < high {
            *below.select_nth_unstable_by(low, f64::total_cmp).1
        } else {
            quartile
        };
        let floor = (tail - min).max(range * 1e-7);
        // Logarithmic only over a finite range and above a floor that did not underflow: f's
        // from −1e308 to 1e308, or within 1e-316 of each other, are spread evenly.
        let scale = if range.is_finite() && floor > 0.0 && quartile - min < 0.05 * range {
            Scale::Log { min, floor, max }
        } else {
            Scale::Linear { min, max }
        };
        let values = (1..=count)
            .map(|k| scale.value_at(k as f64 / (count + 1) as f64))
            .collect();
        Levels { scale, values }
    }
}

/// The contour line f = `level` as line segments in parameter space (marching squares with the
/// cell centre deciding the two saddle cases). Cells with an undefined corner are skipped: a
/// contour never runs into a region where f has no value.
pub fn segments(field: &Field, level: f64) -> Vec<[Vec2; 2]> {
    all_segments(field, &[level]).pop().unwrap_or_default()
}

/// The band of an undefined sample: no cell with such a corner is visited.
const UNDEFINED: usize = usize::MAX;

/// The contour lines of every level in one pass: `out[k]` is exactly `segments(field,
/// levels[k])`, the same segments in the same order (cells row by row).
///
/// Why one pass: testing every cell against every level costs cells × levels, though most cells
/// cross no level at all. Here each grid point is placed among the levels once, by a binary
/// search (its *band*: how many levels lie below it), and a cell visits only the levels from its
/// lowest corner's band to its highest's, so the cost follows the segments drawn. This needs the
/// levels increasing (as [`Levels::choose`] makes them); any other list is done a level at a time.
pub fn all_segments(field: &Field, levels: &[f64]) -> Vec<Vec<[Vec2; 2]>> {
    // (Loops rather than iterator chains here keep the wasm module small.)
    let mut out = Vec::with_capacity(levels.len());
    if !levels.windows(2).all(|w| w[0] <= w[1]) {
        for &l in levels {
            out.push(segments(field, l));
        }
        return out;
    }
    let (nx, v) = (field.nx, &field.values);
    let dx = (field.view.x.1 - field.view.x.0) / (nx - 1) as f64;
    let dy = (field.view.y.1 - field.view.y.0) / (field.ny - 1) as f64;
    for _ in levels {
        // A level crossing the plot once from side to side passes about nx + ny cells.
        out.push(Vec::with_capacity(nx + field.ny));
    }
    // The bands of row j's samples. Level k lies below sample x (`levels[k] < x`, the test of
    // marching squares) exactly when k < band(x), so the levels outside a cell's bands have all
    // four corners on one side. Neighbours mostly share a band, so the previous sample's is
    // tried first (two comparisons), and the binary search runs only where a level is crossed.
    let bands = |row: &mut [usize], j: usize| {
        let mut b = UNDEFINED;
        for (slot, &x) in row.iter_mut().zip(&v[j * nx..]) {
            let kept = b != UNDEFINED
                && (b == 0 || levels[b - 1] < x)
                && (b == levels.len() || x <= levels[b]);
            if !x.is_finite() {
                b = UNDEFINED;
            } else if !kept {
                b = levels.partition_point(|&l| l < x);
            }
            *slot = b;
        }
    };
    // Two rows of bands at a time: no allocation per cell or row.
    let (mut below, mut above) = (vec![0; nx], vec![0; nx]);
    bands(&mut below, 0);
    for j in 0..field.ny - 1 {
        bands(&mut above, j + 1);
        for i in 0..nx - 1 {
            // Corners: bottom-left, bottom-right, top-right, top-left.
            let b = [below[i], below[i + 1], above[i + 1], above[i]];
            let lo = b[0].min(b[1]).min(b[2].min(b[3]));
            let hi = b[0].max(b[1]).max(b[2].max(b[3]));
            if lo == hi || hi == UNDEFINED {
                continue;
            }
            let c = [
                v[j * nx + i],
                v[j * nx + i + 1],
                v[(j + 1) * nx + i + 1],
                v[(j + 1) * nx + i],
            ];
            let cell = Cell {
                c,
                // Grid lines from their index, so neighbouring cells share crossing points
                // exactly.
                x: (
                    field.view.x.0 + i as f64 * dx,
                    field.view.x.0 + (i + 1) as f64 * dx,
                ),
                y: (
                    field.view.y.0 + j as f64 * dy,
                    field.view.y.0 + (j + 1) as f64 * dy,
                ),
                d: [dx, dy],
                centre: (c[0] + c[1] + c[2] + c[3]) / 4.0,
            };
            for k in lo..hi {
                let case = (b[0] > k) as u8
                    | ((b[1] > k) as u8) << 1
                    | ((b[2] > k) as u8) << 2
                    | ((b[3] > k) as u8) << 3;
                cell.push(case, levels[k], &mut out[k]);
            }
        }
        std::mem::swap(&mut below, &mut above);
    }
    out
}

/// One grid cell with four defined corners, as marching squares sees it.
struct Cell {
    /// f at the corners: bottom-left, bottom-right, top-right, top-left.
    c: [f64; 4],
    /// The cell's left and right grid lines.
    x: (f64, f64),
    /// Its bottom and top grid lines.
    y: (f64, f64),
    /// The grid spacing in x and y.
    d: [f64; 2],
    /// The mean of the corners, which decides the saddle cases.
    centre: f64,
}

impl Cell {
    /// Appends to `out` the one or two segments of `level` in this cell, whose corners above the
    /// level are the bits of `case` (1 to 14).
    fn push(&self, case: u8, level: f64, out: &mut Vec<[Vec2; 2]>) {
        let (c, (x0, x1), (y0, y1), [dx, dy]) = (self.c, self.x, self.y, self.d);
        let at = |a: f64, b: f64| unlerp((a, b), level);
        // Crossing points on the four edges.
        let bottom = || [x0 + dx * at(c[0], c[1]), y0];
        let right = || [x1, y0 + dy * at(c[1], c[2])];
        let top = || [x0 + dx * at(c[3], c[2]), y1];
        let left = || [x0, y0 + dy * at(c[0], c[3])];
        let centre_above = self.centre > level;
        match case {
            1 | 14 => out.push([left(), bottom()]),
            2 | 13 => out.push([bottom(), right()]),
            3 | 12 => out.push([left(), right()]),
            4 | 11 => out.push([right(), top()]),
            6 | 9 => out.push([bottom(), top()]),
            7 | 8 => out.push([left(), top()]),
            5 => {
                // Bottom-left and top-right above the level.
                if centre_above {
                    out.push([bottom(), right()]);
                    out.push([left(), top()]);
                } else {
                    out.push([left(), bottom()]);
                    out.push([right(), top()]);
                }
            }
            10 => {
                // Bottom-right and top-left above the level.
                if centre_above {
                    out.push([left(), bottom()]);
                    out.push([right(), top()]);
                } else {
                    out.push([bottom(), right()]);
                    out.push([left(), top()]);
                }
            }
            _ => unreachable!("cases 0 and 15 have no crossing"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface::{self, catalog};

    /// `f` typed, sampled on an `nx` × `ny` grid over `x` × `y`.
    fn typed(f: &str, x: (f64, f64), y: (f64, f64), nx: usize, ny: usize) -> Field {
        let s = crate::expr::ExprSurface::parse(f, crate::expr::DEFAULT_VIEW).unwrap();
        Field::sample(&s, View { x, y }, nx, ny)
    }

    /// Grid point (i, j) lies at i/(nx − 1) of the view's width and j/(ny − 1) of its height
    /// (the 3D mesh is built on these points).
    #[test]
    fn grid_points_span_the_view() {
        let f = typed("x + y", (-1.0, 1.0), (0.0, 2.0), 3, 5);
        assert_eq!(f.point(0, 0), [-1.0, 0.0]);
        assert_eq!(f.point(2, 4), [1.0, 2.0]);
        assert_eq!(f.point(1, 2), [0.0, 1.0]);
        assert_eq!(f.point(2, 1), [1.0, 0.5]);
        // The samples are f at those points, row by row.
        assert_eq!(f.values[3 + 2], 1.5);
        assert!(!f.has_undefined());
        // log(x) has no value at x ≤ 0: the left column (−1) and the middle one (0, −∞).
        assert!(typed("log(x) + y", (-1.0, 1.0), (0.0, 2.0), 3, 5).has_undefined());
    }

    /// Where b − a overflows (a view from −1e308 to 1e308), lerp and unlerp still give the
    /// point at t and the t of a point, in halves.
    #[test]
    fn lerp_and_unlerp_across_spans_wider_than_the_largest_double() {
        assert_eq!(lerp((1.0, 3.0), 0.25), 1.5);
        assert_eq!(unlerp((1.0, 3.0), 1.5), 0.25);
        let wide = (-1e308, 1e308);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-15 * b.abs();
        assert!(close(lerp(wide, 0.25), -5e307), "{}", lerp(wide, 0.25));
        assert!(close(lerp(wide, 0.9), 8e307), "{}", lerp(wide, 0.9));
        assert!(close(unlerp(wide, 5e307), 0.75), "{}", unlerp(wide, 5e307));
        assert!(close(unlerp(wide, -6e307), 0.2), "{}", unlerp(wide, -6e307));
        assert_eq!(unlerp(wide, -1e308), 0.0);
    }

    /// The scale and levels chosen for fields worked out by hand: a flat field; an even one; one
    /// that spans decades (log, its floor the range's 1e-7); one whose 0.5% quantile lies above
    /// that (the floor is that quantile's height above the minimum); four values where the first
    /// quartile is the minimum.
    #[test]
    fn levels_are_chosen_as_worked_out_by_hand() {
        let flat = typed("3", (0.0, 1.0), (0.0, 1.0), 4, 4);
        assert_eq!(
            Levels::choose(&flat, 5),
            Levels {
                scale: Scale::Linear { min: 3.0, max: 4.0 },
                values: vec![]
            }
        );
        // f = x over 2..6: quartile 3 is not within 5% of the range above 2: even levels.
        let even = typed("x", (2.0, 6.0), (0.0, 1.0), 5, 2);
        assert_eq!(
            Levels::choose(&even, 3),
            Levels {
                scale: Scale::Linear { min: 2.0, max: 6.0 },
                values: vec![3.0, 4.0, 5.0]
            }
        );
        // f = x⁸ + 5 over 0..10, 11 × 2 samples: the quartile (sorted[5] = 2⁸ + 5) is within 5%
        // of the range 1e8 above 5, the 0.5% quantile is the minimum itself, so the floor is
        // 1e8 · 1e-7 = 10.
        let decades = typed("x^8 + 5", (0.0, 10.0), (0.0, 1.0), 11, 2);
        let l = Levels::choose(&decades, 3);
        assert_eq!(
            l.scale,
            Scale::Log {
                min: 5.0,
                floor: 10.0,
                max: 1e8 + 5.0
            }
        );
        // min + floor · (range/floor)^(k/4): 10 · 1e7^(1/4, 1/2, 3/4).
        for (v, want) in l.values.iter().zip([562.341325, 31622.7766, 1778279.41]) {
            assert!((v - 5.0 - want).abs() < 1e-6 * want, "{:?}", l.values);
        }
        // f = x³ + 5 over 0..10, 201 × 2 samples: the 0.5% quantile is sorted[2] = f(0.05),
        // 1.25e-4 above the minimum, above 1e-7 of the range 1000: that is the floor.
        let cubic = typed("x^3 + 5", (0.0, 10.0), (0.0, 1.0), 201, 2);
        let Scale::Log { min, floor, max } = Levels::choose(&cubic, 3).scale else {
            panic!("x³ + 5 should get a log scale");
        };
        assert_eq!((min, max), (5.0, 1005.0));
        assert_eq!(floor, cubic.values[1] - 5.0);
        assert!((floor - 1.25e-4).abs() < 1e-12, "{floor}");
        // x² + 11y on 4 × 2 points: 0 1 4 9 11 12 15 20; the quartile sorted[1] = 1 is exactly
        // 5% of the range 20 above the minimum: not below it, so even.
        let edge = typed("x^2 + 11*y", (0.0, 3.0), (0.0, 1.0), 4, 2);
        assert_eq!(
            Levels::choose(&edge, 1).scale,
            Scale::Linear {
                min: 0.0,
                max: 20.0
            }
        );
        // A range of 1e-320: its 1e-7 underflows to a floor of 0, which no log scale can use.
        let tiny = typed("1e-320*x", (0.0, 1.0), (0.0, 1.0), 2, 2);
        assert_eq!(
            Levels::choose(&tiny, 1).scale,
            Scale::Linear {
                min: 0.0,
                max: 1e-320
            }
        );
        // Four values 0, 1, 10, 11: the quartile is sorted[0] = 0 = the minimum: log.
        let four = typed("x + 10*y", (0.0, 1.0), (0.0, 1.0), 2, 2);
        assert_eq!(
            Levels::choose(&four, 1).scale,
            Scale::Log {
                min: 0.0,
                floor: 11.0 * 1e-7,
                max: 11.0
            }
        );
    }

    /// The marching squares `segments` was before [`all_segments`], level by level, kept
    /// verbatim as the reference the one-pass version must match.
    fn reference(field: &Field, level: f64) -> Vec<[Vec2; 2]> {
        let mut out = Vec::new();
        let (nx, v) = (field.nx, &field.values);
        let dx = (field.view.x.1 - field.view.x.0) / (nx - 1) as f64;
        let dy = (field.view.y.1 - field.view.y.0) / (field.ny - 1) as f64;
        for j in 0..field.ny - 1 {
            for i in 0..nx - 1 {
                // Corners: bottom-left, bottom-right, top-right, top-left.
                let c = [
                    v[j * nx + i],
                    v[j * nx + i + 1],
                    v[(j + 1) * nx + i + 1],
                    v[(j + 1) * nx + i],
                ];
                if c.iter().any(|v| !v.is_finite()) {
                    continue;
                }
                let case = (c[0] > level) as u8
                    | ((c[1] > level) as u8) << 1
                    | ((c[2] > level) as u8) << 2
                    | ((c[3] > level) as u8) << 3;
                if case == 0 || case == 15 {
                    continue;
                }
                // Grid lines from their index, so neighbouring cells share crossing points exactly.
                let (x0, x1) = (
                    field.view.x.0 + i as f64 * dx,
                    field.view.x.0 + (i + 1) as f64 * dx,
                );
                let (y0, y1) = (
                    field.view.y.0 + j as f64 * dy,
                    field.view.y.0 + (j + 1) as f64 * dy,
                );
                let at = |a: f64, b: f64| unlerp((a, b), level);
                // Crossing points on the four edges.
                let bottom = || [x0 + dx * at(c[0], c[1]), y0];
                let right = || [x1, y0 + dy * at(c[1], c[2])];
                let top = || [x0 + dx * at(c[3], c[2]), y1];
                let left = || [x0, y0 + dy * at(c[0], c[3])];
                let centre_above = (c[0] + c[1] + c[2] + c[3]) / 4.0 > level;
                match case {
                    1 | 14 => out.push([left(), bottom()]),
                    2 | 13 => out.push([bottom(), right()]),
                    3 | 12 => out.push([left(), right()]),
                    4 | 11 => out.push([right(), top()]),
                    6 | 9 => out.push([bottom(), top()]),
                    7 | 8 => out.push([left(), top()]),
                    5 => {
                        // Bottom-left and top-right above the level.
                        if centre_above {
                            out.push([bottom(), right()]);
                            out.push([left(), top()]);
                        } else {
                            out.push([left(), bottom()]);
                            out.push([right(), top()]);
                        }
                    }
                    10 => {
                        // Bottom-right and top-left above the level.
                        if centre_above {
                            out.push([left(), bottom()]);
                            out.push([right(), top()]);
                        } else {
                            out.push([bottom(), right()]);
                            out.push([left(), top()]);
                        }
                    }
                    _ => unreachable!("cases 0 and 15 have no crossing"),
                }
            }
        }
        out
    }

    /// Whether two segment lists are the same bits in the same order.
    fn same(a: &[[Vec2; 2]], b: &[[Vec2; 2]]) -> bool {
        let bits = |s: &[[Vec2; 2]]| -> Vec<u64> {
            s.iter().flatten().flatten().map(|v| v.to_bits()).collect()
        };
        a.len() == b.len() && bits(a) == bits(b)
    }

    /// `all_segments` and `segments` against the reference, level by level.
    fn check(field: &Field, levels: &[f64]) {
        let all = all_segments(field, levels);
        assert_eq!(all.len(), levels.len());
        for (k, &l) in levels.iter().enumerate() {
            let want = reference(field, l);
            assert!(
                same(&all[k], &want),
                "level {k} ({l}) of {levels:?} on {}×{} {:?}: {} segments, want {}",
                field.nx,
                field.ny,
                field.values,
                all[k].len(),
                want.len()
            );
            assert!(same(&segments(field, l), &want), "level {l} alone");
        }
    }

    fn field(nx: usize, ny: usize, values: Vec<f64>) -> Field {
        let view = View {
            x: (-1.5, 2.0),
            y: (0.25, 3.0),
        };
        Field {
            nx,
            ny,
            view,
            values,
            min: 0.0,
            max: 0.0,
        }
    }

    /// Level lists of every kind: none, increasing, with repeats, equal to samples (plateaus),
    /// infinite, and the ones taken a level at a time (decreasing, NaN, −0 after 0).
    const LEVEL_SETS: [&[f64]; 12] = [
        &[],
        &[1.0],
        &[0.0, 1.0, 2.0, 3.0],
        &[0.5, 1.5, 2.5],
        &[1.0, 1.0, 2.0],
        &[f64::NEG_INFINITY, 1.0, f64::INFINITY],
        &[-0.0, 0.0, 0.0],
        &[2.0, 1.0, 0.0],
        &[f64::NAN],
        &[1.0, f64::NAN, 2.0],
        &[0.0, -0.0, 1.5],
        &[-5.0, 10.0],
    ];

    #[test]
    fn all_segments_match_every_two_by_two_cell() {
        // Every 2×2 field with corners from these: each case, saddles both ways, corners on a
        // level, and undefined corners.
        let values = [
            f64::NAN,
            f64::NEG_INFINITY,
            0.0,
            1.0,
            2.0,
            3.0,
            f64::INFINITY,
        ];
        let n = values.len();
        for code in 0..n.pow(4) {
            let c = (0..4).map(|p| values[code / n.pow(p) % n]).collect();
            let f = field(2, 2, c);
            for levels in LEVEL_SETS {
                check(&f, levels);
            }
        }
    }

    #[test]
    fn all_segments_match_on_random_fields() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(4);
        for _ in 0..400 {
            let (nx, ny) = (rng.random_range(2..24), rng.random_range(2..24));
            // Smooth or noisy values, rounded to integers in some fields so that samples sit
            // exactly on levels, with undefined samples in some.
            let (round, holes) = (rng.random::<bool>(), rng.random_range(0.0..0.2));
            let phase: f64 = rng.random_range(0.0..6.0);
            let values = (0..nx * ny)
                .map(|p| {
                    let (i, j) = ((p % nx) as f64, (p / nx) as f64);
                    let v = 3.0 * (0.4 * i + phase).sin() * (0.3 * j).cos()
                        + rng.random_range(-1.0..1.0);
                    match () {
                        _ if rng.random::<f64>() < holes => f64::NAN,
                        _ if round => v.round(),
                        _ => v,
                    }
                })
                .collect();
            let f = field(nx, ny, values);
            let mut levels: Vec<f64> = (0..rng.random_range(0..12))
                .map(|_| (rng.random_range(-4.0..4.0f64) * 2.0).round() / 2.0)
                .collect();
            if rng.random::<f64>() < 0.8 {
                levels.sort_by(f64::total_cmp);
            }
            check(&f, &levels);
            for levels in LEVEL_SETS {
                check(&f, levels);
            }
        }
    }

    #[test]
    fn all_segments_match_on_the_catalog() {
        for entry in catalog() {
            let s = entry.build(&[]).unwrap();
            let f = Field::sample(s.as_ref(), s.view(), 61, 47);
            check(&f, &Levels::choose(&f, 20).values);
        }
        // Once at 1024², all levels only (`segments` alone is the same code with one level).
        let s = surface::by_name("rosenbrock").unwrap();
        let f = Field::sample(s.as_ref(), s.view(), 1024, 1024);
        let levels = Levels::choose(&f, 20).values;
        for (got, &l) in all_segments(&f, &levels).iter().zip(&levels) {
            assert!(same(got, &reference(&f, l)), "level {l}");
        }
    }

    #[test]
    fn circle_contours_lie_on_the_circle() {
        // f = x² + y² (the ravine with κ = 1): the level r² is the circle of radius r. (r² = 1.21
        // keeps the crossings off the grid's vertices.)
        let s = surface::find("ravine")
            .unwrap()
            .build(&[("kappa".into(), 1.0)])
            .unwrap();
        let view = View {
            x: (-2.0, 2.0),
            y: (-2.0, 2.0),
        };
        let field = Field::sample(s.as_ref(), view, 101, 101);
        let segs = segments(&field, 1.21);
        assert!(segs.len() > 100);
        for p in segs.iter().flatten() {
            let r = p[0].hypot(p[1]);
            assert!((r - 1.1).abs() < 2e-3, "{p:?} at radius {r}");
        }
        // The segments close up: every end point is shared by exactly two segments.
        let key = |p: &Vec2| ((p[0] * 1e9).round() as i64, (p[1] * 1e9).round() as i64);
        let mut ends = std::collections::HashMap::new();
        for p in segs.iter().flatten() {
            *ends.entry(key(p)).or_insert(0) += 1;
        }
        assert!(ends.values().all(|&n| n == 2));
    }

    #[test]
    fn level_outside_the_range_draws_nothing() {
        let s = surface::by_name("booth").unwrap();
        let field = Field::sample(s.as_ref(), s.view(), 50, 50);
        assert!(segments(&field, field.max + 1.0).is_empty());
        assert!(segments(&field, field.min - 1.0).is_empty());
    }

    #[test]
    fn rosenbrock_gets_log_levels_and_the_saddle_even_ones() {
        let rosen = surface::by_name("rosenbrock").unwrap();
        let field = Field::sample(rosen.as_ref(), rosen.view(), 128, 128);
        let levels = Levels::choose(&field, 15);
        assert!(levels.scale.is_log());
        assert_eq!(levels.values.len(), 15);
        // Geometric spacing above the minimum: constant ratios.
        let d: Vec<f64> = levels.values.iter().map(|v| v - field.min).collect();
        let r0 = d[1] / d[0];
        assert!(d.windows(2).all(|w| (w[1] / w[0] / r0 - 1.0).abs() < 1e-9));

        let saddle = surface::by_name("saddle").unwrap();
        let field = Field::sample(saddle.as_ref(), saddle.view(), 128, 128);
        let levels = Levels::choose(&field, 10);
        assert!(!levels.scale.is_log());
        assert!(levels.values.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn scale_position_inverts_value_at() {
        for scale in [
            Scale::Linear {
                min: -1.0,
                max: 3.0,
            },
            Scale::Log {
                min: -1.0,
                floor: 1e-3,
                max: 1e4,
            },
        ] {
            for t in [0.0, 0.25, 0.5, 1.0] {
                assert!((scale.position(scale.value_at(t)) - t).abs() < 1e-12);
            }
            assert_eq!(scale.position(f64::NAN), 0.0);
            assert_eq!(scale.position(1e300), 1.0);
        }
    }
}
