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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface;

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
