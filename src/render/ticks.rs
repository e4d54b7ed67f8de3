//! Tick marks for the loss chart that read at every range: whole steps on the step axis, never
//! repeated; whole decades (every k-th) on a log axis; distinct short labels on a linear one,
//! with an offset named on the axis where the values differ only far behind the decimal point.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;

use super::short;

/// A plotters axis over f64, linear or logarithmic, with its ticks where [`Ticks`] put them or
/// where plotters would. One type for every 2D chart gdviz draws (the contour plot's axes, the
/// loss chart's, linear or log), so the wasm module holds one copy of plotters' 2D chart code,
/// not one per pair of axis types.
#[derive(Debug, Clone)]
pub struct Axis {
    lo: f64,
    hi: f64,
    log: bool,
    keys: Option<Vec<f64>>,
}

impl Axis {
    /// A linear axis over `lo..hi` with plotters' own ticks.
    pub fn linear(lo: f64, hi: f64) -> Self {
        Axis {
            lo,
            hi,
            log: false,
            keys: None,
        }
    }

    /// A linear axis over `lo..hi` with ticks at `ticks`' values.
    pub fn linear_at(lo: f64, hi: f64, ticks: &Ticks) -> Self {
        Axis {
            keys: Some(ticks.values.clone()),
            ..Axis::linear(lo, hi)
        }
    }

    /// A logarithmic axis over `lo..hi` (both positive) with ticks at `ticks`' values.
    pub fn log_at(lo: f64, hi: f64, ticks: &Ticks) -> Self {
        Axis {
            lo,
            hi,
            log: true,
            keys: Some(ticks.values.clone()),
        }
    }

    /// The same range as plotters' linear coordinate: in ln where logarithmic.
    fn linear_range(&self) -> RangedCoordf64 {
        if self.log {
            RangedCoordf64::from(self.lo.ln()..self.hi.ln())
        } else {
            RangedCoordf64::from(self.lo..self.hi)
        }
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let v = if self.log { value.ln() } else { *value };
        self.linear_range().map(&v, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        match &self.keys {
            // The ticks are the bold points; no light ones.
            Some(_) if hint.weight().allow_light_points() => Vec::new(),
            Some(keys) => keys.clone(),
            None => RangedCoordf64::from(self.lo..self.hi).key_points(hint),
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// Ticks of one axis: where they are and what they say.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticks {
    /// The values at the ticks, increasing.
    pub values: Vec<f64>,
    /// The label of each, as many as `values`, all different.
    pub labels: Vec<String>,
    /// Subtracted from every value before labelling (the axis's name says so); `None` mostly.
    pub offset: Option<f64>,
}

impl Ticks {
    /// The label of the tick at `v` (exactly one of `values`), or `short(v)`.
    pub fn label(&self, v: f64) -> String {
        self.values
            .iter()
            .position(|&t| t == v)
            .map_or_else(|| short(v), |i| self.labels[i].clone())
    }
}

/// The most labels an axis gets.
pub const MOST: usize = 6;
/// The most characters a label of a linear axis has before an offset is taken out.
const LONGEST: usize = 8;

/// 1, 2 or 5 times a power of ten: the smallest such step at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let e = raw.log10().floor();
    let base = 10f64.powf(e);
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * base)
        .find(|&s| s >= raw * (1.0 - 1e-12))
        .unwrap_or(10.0 * base)
}

/// Ticks on the step axis from 0 to `last`: whole steps 1, 2 or 5 × 10ᵏ apart, at most
/// [`MOST`], each labelled once.
pub fn steps(last: usize) -> Ticks {
    let last = last.max(1) as f64;
    let mut d = nice_step(last / (MOST - 1) as f64).max(1.0);
    while (last / d).floor() + 1.0 > MOST as f64 {
        d = nice_step(d * 1.5);
    }
    let (mut values, mut labels) = (Vec::new(), Vec::new());
    let mut v = 0.0;
    while v <= last {
        values.push(v);
        labels.push(crate::format::fixed(v, 0));
        v += d;
    }
    Ticks {
        values,
        labels,
        offset: None,
    }
}

/// Ticks of a log axis over `lo..hi` (both positive): every k-th whole decade, k as small as
/// keeps them to at most [`MOST`] (1e-40, 1e-30, … 1); over fewer than three decades, 1, 2 and
/// 5 (or 1 and 3) times the decades; over less than that, a linear axis's ticks.
pub fn log(lo: f64, hi: f64) -> Ticks {
    if !(lo > 0.0 && hi > lo && hi.is_finite()) {
        return linear(lo, hi);
    }
    let (a, b) = (lo.log10().ceil() as i32, hi.log10().floor() as i32);
    let decades = b - a + 1;
    let pick = |values: Vec<f64>| -> Option<Ticks> {
        if !(3..=MOST).contains(&values.len()) {
            return None;
        }
        let mut labels = Vec::new();
        for &v in &values {
            labels.push(short(v));
        }
        Some(Ticks {
            labels,
            values,
            offset: None,
        })
    };
    if decades >= 3 {
        for k in [1, 2, 3, 5, 10, 20, 25, 50, 100, 200] {
            let first = (a as f64 / k as f64).ceil() as i32;
            let last = (b as f64 / k as f64).floor() as i32;
            if last - first < MOST as i32 {
                let mut values = Vec::new();
                for e in first..=last {
                    values.push(10f64.powi(e * k));
                }
                if let Some(t) = pick(values) {
                    return t;
                }
            }
        }
    }
    for mantissas in [&[1.0, 2.0, 5.0][..], &[1.0, 3.0], &[1.0]] {
        let mut values = Vec::new();
        for e in a - 1..=b {
            for m in mantissas {
                let v = m * 10f64.powi(e);
                if v >= lo && v <= hi {
                    values.push(v);
                }
            }
        }
        if let Some(t) = pick(values) {
            return t;
        }
    }
    linear(lo, hi)
}

/// Ticks of a linear axis over `lo..hi`: 1, 2 or 5 × 10ᵏ apart, at most [`MOST`], labelled with
/// just enough decimals to tell them apart. Where those labels would run past eight characters
/// (a narrow range around 1e6), a round offset is taken out of every value and named.
pub fn linear(lo: f64, hi: f64) -> Ticks {
    if !(lo.is_finite() && hi.is_finite()) || hi < lo {
        return Ticks {
            values: Vec::new(),
            labels: Vec::new(),
            offset: None,
        };
    }
    if hi == lo {
        return Ticks {
            values: vec![lo],
            labels: vec![short(lo)],
            offset: None,
        };
    }
    let span = hi / 2.0 - lo / 2.0;
    let mut d = nice_step(2.0 * span / (MOST - 1) as f64);
    let count = |d: f64| (hi / d).floor() - (lo / d).ceil() + 1.0;
    while count(d) > MOST as f64 {
        d = nice_step(d * 1.5);
    }
    let first = (lo / d).ceil();
    let mut values = Vec::new();
    for k in 0..count(d).max(0.0) as usize {
        values.push((first + k as f64) * d);
    }
    let labels = |offset: f64| {
        let mut out = Vec::new();
        for &v in &values {
            out.push(fixed(v - offset, d));
        }
        out
    };
    let plain = labels(0.0);
    let fits = |ls: &[String]| ls.iter().all(|l| l.chars().count() <= LONGEST);
    if fits(&plain) || values.is_empty() {
        return Ticks {
            labels: distinct(plain, &values),
            values,
            offset: None,
        };
    }
    // An offset: the values rounded down to a power of ten well above the range's span.
    let unit = 10f64.powf((2.0 * span).log10().ceil() + 1.0);
    let offset = (values[0] / unit).floor() * unit;
    let shifted = labels(offset);
    if offset != 0.0 && offset.is_finite() && fits(&shifted) {
        return Ticks {
            labels: distinct(shifted, &values),
            values,
            offset: Some(offset),
        };
    }
    Ticks {
        labels: distinct(plain, &values),
        values,
        offset: None,
    }
}

/// `v` with as many decimals as a step of `d` needs, or in e-notation far from 1 (`2e-7`).
fn fixed(v: f64, d: f64) -> String {
    let a = v.abs();
    if v == 0.0 && (d.is_nan() || d < 1e-3) {
        return "0".into();
    }
    if a < 1e6 && d >= 1e-3 {
        // Every label with the decimals of the step: 0.0, 0.2, … 1.0.
        let decimals = (-d.log10().floor()).max(0.0) as usize;
        let s = crate::format::fixed(v, decimals);
        return match s.strip_prefix('-') {
            Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
            _ => s,
        };
    }
    // Enough significant digits for the step.
    let digits = (a.log10().floor() - d.log10().floor()).clamp(0.0, 15.0) as usize;
    crate::format::trimmed_sci(v, digits)
}

/// `labels` made all different: where two agree, every label gets the shortest round-trip form
/// of its value instead.
fn distinct(labels: Vec<String>, values: &[f64]) -> Vec<String> {
    let unique = labels
        .iter()
        .enumerate()
        .all(|(i, l)| !labels[..i].contains(l));
    if unique {
        labels
    } else {
        let mut out = Vec::new();
        for v in values {
            out.push(format!("{v}"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_different(t: &Ticks) -> bool {
        t.labels
            .iter()
            .enumerate()
            .all(|(i, l)| !t.labels[..i].contains(l))
    }

    #[test]
    fn step_ticks_are_whole_and_never_repeat() {
        assert_eq!(steps(1).labels, ["0", "1"]);
        assert_eq!(steps(2).labels, ["0", "1", "2"]);
        assert_eq!(steps(3).labels, ["0", "1", "2", "3"]);
        assert_eq!(steps(0).labels, ["0", "1"]);
        for n in [4, 5, 6, 7, 9, 10, 11, 37, 100, 999, 1000, 12_345, 100_000] {
            let t = steps(n);
            assert!((2..=MOST).contains(&t.values.len()), "{n}: {t:?}");
            assert!(t.values.iter().all(|v| v.fract() == 0.0 && *v <= n as f64));
            assert!(all_different(&t), "{n}: {t:?}");
        }
        assert_eq!(
            steps(1000).labels,
            ["0", "200", "400", "600", "800", "1000"]
        );
    }

    #[test]
    fn log_ticks_are_whole_decades() {
        let t = log(1e-40, 1e5);
        assert_eq!(t.labels, ["1e-40", "1e-30", "1e-20", "1e-10", "1"]);
        let t = log(3e-7, 2e2);
        assert_eq!(t.labels, ["1e-6", "1e-4", "0.01", "1", "100"]);
        for (lo, hi) in [
            (1e-300, 1e300),
            (0.5, 3.0),
            (0.11, 99.0),
            (1.1, 1.9),
            (7.0, 7.5),
        ] {
            let t = log(lo, hi);
            assert!((2..=MOST).contains(&t.values.len()), "{lo}..{hi}: {t:?}");
            assert!(t.values.iter().all(|&v| v >= lo && v <= hi), "{t:?}");
            assert!(all_different(&t), "{lo}..{hi}: {t:?}");
        }
        assert_eq!(log(0.5, 3.0).labels, ["0.5", "1", "2"]);
    }

    #[test]
    fn linear_ticks_stay_short_and_distinct() {
        assert_eq!(
            linear(0.0, 1.0).labels,
            ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
        );
        assert_eq!(linear(-250.0, 1000.0).labels, ["0", "500", "1000"]);
        // A millionth of a range around a million: an offset, named on the axis.
        let t = linear(1e6 + 1e-4, 1e6 + 9e-4);
        assert_eq!(t.offset, Some(1e6));
        assert!(t.labels.iter().all(|l| l.len() <= 8), "{t:?}");
        assert!(all_different(&t) && t.values.len() >= 3, "{t:?}");
        assert_eq!(linear(0.0, 4e-9).labels[..2], ["0", "1e-9"]);
        for (lo, hi) in [(-1e300, 1e300), (-3.0, -2.999), (0.0, 1e-9), (5.0, 5.0)] {
            let t = linear(lo, hi);
            assert!(t.labels.iter().all(|l| l.len() <= 8), "{t:?}");
            assert!(all_different(&t), "{lo}..{hi}: {t:?}");
            assert!(!t.values.is_empty(), "{lo}..{hi}");
        }
    }
}
