//! The loss chart: f per step of every run (f − f*, on a log axis, where the minimum value f* is
//! known and every gap is positive), each up to the step shown and marked there.
//!
//! Its axes depend only on the runs' range, snapped outward to whole decades or whole ticks, so
//! while a slider moves the axes mostly stay as they are: the app draws them once
//! ([`LossChart::draw_axes`]) and redraws only the lines ([`LossChart::line`]), which are plain
//! pixel polylines.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ticks::{self, Axis, Ticks};
use super::{short, Style};

/// What the axes depend on: two charts with the same key draw the same axes.
#[derive(Debug, Clone, PartialEq)]
pub struct AxesKey {
    last: usize,
    log: bool,
    lo: f64,
    hi: f64,
    size: (u32, u32),
    scale: f64,
    dark: bool,
    /// The x axis's name: `step`, or `epoch` for a series sampled at epochs' ends.
    x_name: &'static str,
}

/// The chart of some runs' losses on an area of a given size: its axes and the mapping of a
/// step and a loss to pixels.
#[derive(Debug, Clone)]
pub struct LossChart {
    /// What the axes depend on.
    pub key: AxesKey,
    /// f* when the y axis is the gap f − f* on a log scale.
    gap: Option<f64>,
    x_ticks: Ticks,
    y_ticks: Ticks,
    name: String,
    /// Every `stride`-th step is drawn (about two points per pixel column).
    stride: usize,
    /// The plot rectangle, device pixels: left, top, width, height.
    pub rect: (f64, f64, f64, f64),
    /// Precomputed: `ln lo` and `ln hi` of a log axis.
    ln: (f64, f64),
}

/// Margins and label areas, CSS pixels.
const MARGIN: f64 = 8.0;
const MARGIN_RIGHT: f64 = 16.0;
const X_LABELS: f64 = 32.0;
const Y_LABELS: f64 = 58.0;

impl LossChart {
    /// The chart of `series` (each run's losses) on a `size` area (device pixels) at `style`;
    /// `None` when there is nothing to draw (no run, or every loss NaN).
    pub fn new(
        series: &[&[f64]],
        f_star: Option<f64>,
        size: (u32, u32),
        style: &Style,
    ) -> Option<LossChart> {
        let n = series.iter().map(|s| s.len()).max().unwrap_or(0);
        if n == 0 || series.iter().any(|s| s.is_empty()) {
            return None;
        }
        let gap = f_star.filter(|fs| series.iter().flat_map(|s| s.iter()).all(|l| l - fs > 0.0));
        let to_y = |l: f64| y_value(gap, l);
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for s in series {
            for &l in s.iter() {
                let v = to_y(l);
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        if lo > hi {
            return None;
        }
        let (lo, hi, y_ticks, name) = if gap.is_some() {
            // Headroom, then whole decades, so the first and last points are not on the frame
            // and a small change of the losses keeps the same axis.
            let (lo, hi) = if hi > lo {
                (lo / 1.5, hi * 1.5)
            } else {
                (lo / 10.0, hi * 10.0)
            };
            let snap = |v: f64, up: bool| {
                let e = v.log10();
                let e = if up { e.ceil() } else { e.floor() };
                let s = 10f64.powf(e);
                if s.is_finite() && s > 0.0 {
                    s
                } else {
                    v
                }
            };
            let (lo, hi) = (snap(lo, false), snap(hi, true));
            // At most 300 decades: where hi/lo overflows, the tick search never ends.
            let lo = lo.max(hi * 1e-300);
            let t = ticks::log(lo, hi);
            (lo, hi, t, "f − f* (log)".to_string())
        } else {
            let pad = ((hi - lo) * 0.05).max(1e-12);
            let (lo, hi) = (lo - pad, hi + pad);
            // Outward to whole ticks of the padded range.
            let t = ticks::linear(lo, hi);
            let d = match t.values.as_slice() {
                [a, b, ..] => b - a,
                _ => 0.0,
            };
            let (lo, hi) = if d > 0.0 && d.is_finite() {
                let (l, h) = ((lo / d).floor() * d, (hi / d).ceil() * d);
                if l.is_finite() && h.is_finite() && l < h {
                    (l, h)
                } else {
                    (lo, hi)
                }
            } else {
                (lo, hi)
            };
            let t = ticks::linear(lo, hi);
            let name = match t.offset {
                Some(o) => format!("f − {}", short(o)),
                None => "f".into(),
            };
            (lo, hi, t, name)
        };
        let (w, h) = size;
        let stride = (n / (2 * w.max(1) as usize)).max(1);
        let s = |css: f64| style.px(css) as f64;
        let left = s(MARGIN) + s(Y_LABELS);
        let top = s(MARGIN);
        let rect = (
            left,
            top,
            (w as f64 - s(MARGIN_RIGHT) - left).max(0.0),
            (h as f64 - s(MARGIN) - s(X_LABELS) - top).max(0.0),
        );
        Some(LossChart {
            key: AxesKey {
                last: n - 1,
                log: gap.is_some(),
                lo,
                hi,
                size,
                scale: style.scale,
                dark: style.dark,
                x_name: "step",
            },
            gap,
            x_ticks: ticks::steps(n - 1),
            y_ticks,
            name,
            stride,
            rect,
            ln: (lo.ln(), hi.ln()),
        })
    }

    /// Whether the y axis is logarithmic (every value above f*).
    pub fn is_log(&self) -> bool {
        self.key.log
    }

    /// The chart with its x axis called `name` (`step` unless said).
    pub fn x_named(mut self, name: &'static str) -> LossChart {
        self.key.x_name = name;
        self
    }

    /// The chart with its y axis named `name` (the learning-rate strip's axis, say); where the
    /// tick labels are counted from an offset, the name says so (`name − offset`).
    pub fn named(mut self, name: &str) -> LossChart {
        self.name = match self.y_ticks.offset.filter(|_| !self.key.log) {
            Some(o) => format!("{name} − {}", short(o)),
            None => name.to_string(),
        };
        self
    }

    /// The chart with a linear y axis over exactly `lo..hi` (a fraction's 0 to 1, say) instead
    /// of the range its values suggest; a log axis is left as it is.
    pub fn spanning(mut self, lo: f64, hi: f64) -> LossChart {
        if self.key.log || lo.partial_cmp(&hi) != Some(std::cmp::Ordering::Less) {
            return self;
        }
        self.key.lo = lo;
        self.key.hi = hi;
        let mut t = ticks::linear(lo, hi);
        // No more labels than fit the plot's height (a short chart): every k-th tick.
        let gap = 16.0 * self.key.scale;
        let room = ((self.rect.3 / gap).floor() as usize + 1).max(2);
        let k = t.values.len().div_ceil(room).max(1);
        if k > 1 {
            t.values = t.values.into_iter().step_by(k).collect();
            t.labels = t.labels.into_iter().step_by(k).collect();
        }
        self.y_ticks = t;
        self
    }

    /// Whether this chart was made for a `size` area at `style` (else make another).
    pub fn fits(&self, size: (u32, u32), style: &Style) -> bool {
        self.key.size == size && self.key.scale == style.scale && self.key.dark == style.dark
    }

    /// The x axis: steps from 0 to the longest run's last.
    fn x_axis(&self) -> Axis {
        Axis::linear_at(0.0, self.key.last.max(1) as f64, &self.x_ticks)
    }

    /// The y axis: f − f* (log) or f.
    fn y_axis(&self) -> Axis {
        if self.key.log {
            Axis::log_at(self.key.lo, self.key.hi, &self.y_ticks)
        } else {
            Axis::linear_at(self.key.lo, self.key.hi, &self.y_ticks)
        }
    }

    /// Draws the axes: frame, grid at the ticks, tick labels and the axes' names.
    pub fn draw_axes<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &Style,
    ) -> Result<(), String> {
        let mut chart = ChartBuilder::on(root)
            .margin(style.px(MARGIN))
            .margin_right(style.px(MARGIN_RIGHT))
            .x_label_area_size(style.px(X_LABELS))
            .y_label_area_size(style.px(Y_LABELS))
            .build_cartesian_2d(self.x_axis(), self.y_axis())
            .map_err(|e| e.to_string())?;
        let (x_ticks, y_ticks) = (&self.x_ticks, &self.y_ticks);
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(style.ink().mix(0.12))
            .x_desc(self.key.x_name)
            .y_desc(self.name.as_str())
            .label_style(style.font(11.0))
            .axis_desc_style(style.font(12.0))
            .axis_style(style.ink())
            .x_label_formatter(&|v| x_ticks.label(*v))
            .y_label_formatter(&|v| y_ticks.label(*v))
            .draw()
            .map_err(|e| e.to_string())
    }

    /// The pixel of step `k` at loss `l`.
    pub fn to_px(&self, k: usize, l: f64) -> (f64, f64) {
        let (left, top, width, height) = self.rect;
        let x = left + k as f64 / self.key.last.max(1) as f64 * width;
        let v = y_value(self.gap, l);
        let t = if self.key.log {
            (v.ln() - self.ln.0) / (self.ln.1 - self.ln.0)
        } else {
            (v - self.key.lo) / (self.key.hi - self.key.lo)
        };
        (x, top + (1.0 - t) * height)
    }

    /// A run's whole line in pixels (every `stride`-th step and the last: about two points per
    /// pixel column, so a 100 000-step run draws like a 1000-step one). It does not depend on
    /// the step shown, so an app computes it once per run.
    pub fn line(&self, losses: &[f64]) -> Vec<(f64, f64)> {
        let last = losses.len().saturating_sub(1);
        let mut points = Vec::with_capacity(losses.len() / self.stride + 2);
        for k in (0..losses.len()).step_by(self.stride) {
            points.push(self.to_px(k, losses[k]));
        }
        if last % self.stride != 0 {
            points.push(self.to_px(last, losses[last]));
        }
        points
    }

    /// The mark of the step shown (`current`, clamped to the run) on a run's line.
    pub fn marker(&self, losses: &[f64], current: usize) -> Option<(f64, f64)> {
        let now = current.min(losses.len().checked_sub(1)?);
        let p = self.to_px(now, losses[now]);
        (p.0.is_finite() && p.1.is_finite()).then_some(p)
    }
}

/// The y value a loss is plotted at: the gap to f* (kept within 1e-300..1e300 so the log axis
/// stays finite), or f itself within ±1e300.
fn y_value(gap: Option<f64>, l: f64) -> f64 {
    match gap {
        Some(fs) => (l - fs).clamp(1e-300, 1e300),
        None => l.clamp(-1e300, 1e300),
    }
}

/// Draws the loss per step of one or more runs, each up to step `current` (marked), over the
/// whole runs' range (see [`LossChart`]): axes and lines through plotters, for figures and tests.
pub fn draw_loss<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &[(&[f64], RGBColor)],
    current: usize,
    f_star: Option<f64>,
    style: &Style,
) -> Result<(), String> {
    let losses: Vec<&[f64]> = series.iter().map(|s| s.0).collect();
    let Some(chart) = LossChart::new(&losses, f_star, root.dim_in_pixel(), style) else {
        return Ok(());
    };
    chart.draw_axes(root, style)?;
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |p: (f64, f64)| (p.0.round() as i32, p.1.round() as i32);
    for (losses, colour) in series {
        root.draw(&PathElement::new(
            chart.line(losses).into_iter().map(px).collect::<Vec<_>>(),
            colour.stroke_width(style.px(1.5)),
        ))
        .map_err(e)?;
        if let Some(m) = chart.marker(losses, current) {
            root.draw(&Circle::new(px(m), style.px(3.5), colour.filled()))
                .map_err(e)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLE: Style = Style {
        scale: 1.0,
        dark: false,
    };

    fn decay(rate: f64, n: usize) -> Vec<f64> {
        (0..n).map(|k| 10.0 * rate.powi(k as i32)).collect()
    }

    /// While a slider moves the runs a little, the axes stay (the app then redraws only the
    /// lines); a change in the runs' range beyond a decade or a tick moves them.
    #[test]
    fn the_axes_stay_while_the_losses_move_a_little() {
        let key = |rate: f64| {
            let a = decay(rate, 200);
            LossChart::new(&[&a], Some(0.0), (400, 180), &STYLE)
                .unwrap()
                .key
        };
        assert_eq!(key(0.95), key(0.951));
        assert_ne!(key(0.95), key(0.5));
        // Linear (no f*): whole ticks outward.
        let lin = |shift: f64| {
            let a: Vec<f64> = (0..50).map(|k| shift - k as f64 * 0.1).collect();
            LossChart::new(&[&a], None, (400, 180), &STYLE).unwrap().key
        };
        assert_eq!(lin(3.0), lin(3.01));
        let c = LossChart::new(&[&[5.0, 4.0, 3.0]], None, (400, 180), &STYLE).unwrap();
        assert!(
            c.key.lo <= 3.0 - 0.1 && c.key.hi >= 5.0 + 0.1,
            "{:?}",
            c.key
        );
    }

    /// An accuracy's chart: its axis ends at 1 however its values fall (the range the values
    /// alone suggest, padded to whole ticks, reached 1.2), and its name keeps any offset its
    /// labels are counted from.
    #[test]
    fn a_spanned_axis_is_exactly_its_range_and_names_its_offset() {
        let acc = [0.5, 0.8, 0.995, 1.0];
        let c = LossChart::new(&[&acc], None, (400, 180), &STYLE).unwrap();
        assert!(c.key.hi > 1.0, "the values alone pad past 1: {:?}", c.key);
        let c = c.spanning(0.5, 1.0).named("accuracy");
        assert_eq!((c.key.lo, c.key.hi), (0.5, 1.0));
        assert_eq!(c.y_ticks.values.first(), Some(&0.5));
        assert_eq!(c.y_ticks.values.last(), Some(&1.0));
        assert_eq!(c.name, "accuracy");
        let (_, top, _, height) = c.rect;
        assert_eq!(c.to_px(3, 1.0).1, top);
        assert_eq!(c.to_px(0, 0.5).1, top + height);
        // A short chart keeps only the labels that fit its height.
        let short_chart = LossChart::new(&[&acc], None, (400, 90), &STYLE)
            .unwrap()
            .spanning(0.5, 1.0);
        let n = short_chart.y_ticks.values.len();
        assert!(
            n >= 2 && (n as f64 - 1.0) * 16.0 <= short_chart.rect.3,
            "{n} labels in {}",
            short_chart.rect.3
        );
        assert_eq!(
            short_chart.y_ticks.values.len(),
            short_chart.y_ticks.labels.len()
        );
        // A reversed or log range changes nothing.
        let same = LossChart::new(&[&acc], None, (400, 180), &STYLE).unwrap();
        assert_eq!(same.clone().spanning(1.0, 0.5).key, same.key);
        let log = LossChart::new(&[&[1.0, 0.1]], Some(0.0), (400, 180), &STYLE).unwrap();
        assert_eq!(log.clone().spanning(0.0, 1.0).key, log.key);
        // Values that differ far behind the decimal point: the name says what they count from.
        let near = [1e6 + 0.001, 1e6 + 0.002, 1e6 + 0.004];
        let c = LossChart::new(&[&near], None, (400, 180), &STYLE).unwrap();
        let offset = c.y_ticks.offset.expect("an offset");
        assert_eq!(c.named("loss").name, format!("loss − {}", short(offset)));
    }

    #[test]
    fn lines_run_inside_the_plot_from_its_left_edge_to_its_right() {
        let a = decay(0.999, 10_000);
        let b = decay(0.99, 400);
        let c = LossChart::new(&[&a, &b], Some(0.0), (400, 180), &STYLE).unwrap();
        let (left, top, width, height) = c.rect;
        let pa = c.line(&a);
        let marker = c.marker(&a, 9_999).unwrap();
        assert_eq!(pa[0].0, left);
        assert!((pa[pa.len() - 1].0 - (left + width)).abs() < 1e-9);
        assert_eq!(marker, pa[pa.len() - 1]);
        // Decimated to about two points per pixel column, the last one kept.
        assert!(pa.len() < 900, "{}", pa.len());
        for &(x, y) in pa.iter().chain(&c.line(&b)) {
            assert!(x >= left && x <= left + width + 1e-9);
            assert!(y >= top && y <= top + height, "{y}");
        }
        // The shorter run ends where its last step is, and its marker is clamped to it.
        let pb = c.line(&b);
        let mb = c.marker(&b, 10_000).unwrap();
        assert_eq!(mb, pb[pb.len() - 1]);
        assert!((mb.0 - c.to_px(399, b[399]).0).abs() < 1e-9);
        // A log axis: a tenfold loss is the same height higher everywhere.
        let d1 = c.to_px(0, 1.0).1 - c.to_px(0, 10.0).1;
        let d2 = c.to_px(0, 0.01).1 - c.to_px(0, 0.1).1;
        assert!((d1 - d2).abs() < 1e-9 && d1 > 0.0);
        assert!(LossChart::new(&[], None, (400, 180), &STYLE).is_none());
        assert!(LossChart::new(&[&[f64::NAN]], None, (400, 180), &STYLE).is_none());
    }
}
