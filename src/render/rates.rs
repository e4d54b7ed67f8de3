//! The learning-rate strip under the loss chart: each run's rate per step on a log axis, and the
//! selected run's local stability threshold along its path (2/λmax of the Hessian where the step
//! starts, or the momentum methods' own), so a warm-up or a decay is seen crossing in and out of
//! the stable zone.
//!
//! The app draws it in two layers, as the loss chart: below, the axes, grid and labels, which
//! depend only on the chart's [`AxesKey`] (a slider drag mostly keeps it), and the threshold
//! ([`RatesChart::threshold`], in pixels), which stays where it is on a quadratic f and moves
//! with the selected run's path elsewhere; above, only the rates ([`RatesChart::line`]), plain
//! pixel polylines without text. The layer below is redrawn only when the key or the threshold's
//! pixels change.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::loss::AxesKey;
use super::{LossChart, Style};

/// How far beyond the rates' own range a threshold is still drawn: farther off, its line would
/// squash the rates into a sliver, so it is left out there (the caption says the strip shows
/// thresholds near the rates only).
const SPAN: f64 = 100.0;

/// The strip of some runs' rates and a threshold on an area of a given size: its axes, the
/// threshold in pixels, and the mapping of a step and a rate to pixels.
#[derive(Debug, Clone)]
pub struct RatesChart {
    chart: LossChart,
    /// The threshold in whole pixels: one polyline per stretch where it is defined and near.
    threshold: Vec<Vec<(i32, i32)>>,
}

impl RatesChart {
    /// The strip of `rates` (each run's rate at each point) and `threshold` (the selected run's
    /// threshold at each point, `None` where there is none) on a `size` area (device pixels) at
    /// `style`; `None` when no rate is positive (nothing to draw).
    pub fn new(
        rates: &[&[f64]],
        threshold: &[Option<f64>],
        size: (u32, u32),
        style: &Style,
    ) -> Option<RatesChart> {
        let (lo, hi) = rates
            .iter()
            .flat_map(|r| r.iter())
            .filter(|v| v.is_finite() && **v > 0.0)
            .fold((f64::INFINITY, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
        if lo > hi {
            return None;
        }
        let near: Vec<Option<f64>> = threshold
            .iter()
            .map(|t| t.filter(|v| v.is_finite() && *v >= lo / SPAN && *v <= hi * SPAN))
            .collect();
        let shown: Vec<f64> = near.iter().flatten().copied().collect();
        let mut all = rates.to_vec();
        if !shown.is_empty() {
            all.push(&shown);
        }
        let chart = LossChart::new(&all, Some(0.0), size, style)?;
        // A rate of 0 (a decay to nothing) has no place on a log axis: the axis is linear then.
        let name = if chart.is_log() { "γ (log)" } else { "γ" };
        let chart = chart.named(name);
        // Each stretch where the threshold is defined and near, of two points or more.
        let mut threshold = Vec::new();
        let mut stretch: Vec<(f64, f64)> = Vec::new();
        for (k, t) in near
            .iter()
            .enumerate()
            .chain(std::iter::once((near.len(), &None)))
        {
            match t {
                Some(v) => stretch.push(chart.to_px(k, *v)),
                None => {
                    if stretch.len() > 1 {
                        threshold.push(pixels(&stretch));
                    }
                    stretch.clear();
                }
            }
        }
        Some(RatesChart { chart, threshold })
    }

    /// What the axes depend on: two strips with the same key draw the same axes.
    pub fn key(&self) -> &AxesKey {
        &self.chart.key
    }

    /// Draws the axes: frame, grid at the ticks, tick labels and the axes' names.
    pub fn draw_axes<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &Style,
    ) -> Result<(), String> {
        self.chart.draw_axes(root, style)
    }

    /// The selected run's threshold in whole pixels, one polyline per stretch where it is
    /// defined and near the rates; drawn under the rates in [`RatesChart::threshold_colour`],
    /// [`RatesChart::threshold_width`] wide.
    pub fn threshold(&self) -> &[Vec<(i32, i32)>] {
        &self.threshold
    }

    /// The threshold's colour: the ink, faint.
    pub fn threshold_colour(style: &Style) -> RGBAColor {
        style.ink().mix(0.3)
    }

    /// The threshold's width, device pixels: wider than a rate's line, so a rate on it shows.
    pub fn threshold_width(style: &Style) -> u32 {
        style.px(3.0)
    }

    /// A run's rates as a polyline in whole device pixels: the loss chart's line (every
    /// `stride`-th point, about two per pixel column), rounded as plotters rounds it, without
    /// the repeats rounding makes (see [`pixels`]).
    pub fn line(&self, rates: &[f64]) -> Vec<(i32, i32)> {
        pixels(&self.chart.line(rates))
    }

    /// The width of a run's line, device pixels.
    pub fn line_width(style: &Style) -> u32 {
        style.px(1.5)
    }
}

/// `points` rounded to whole pixels, each run of equal pixels kept once. A stroke with butt
/// caps and miter joins (the canvas's and SVG's defaults, which plotters keeps) drops a
/// segment of length zero, so the picture is the same; a 1000-step run on a strip a few hundred
/// pixels wide loses about half its vertices.
fn pixels(points: &[(f64, f64)]) -> Vec<(i32, i32)> {
    let mut out: Vec<(i32, i32)> = Vec::with_capacity(points.len());
    for &(x, y) in points {
        let p = (x.round() as i32, y.round() as i32);
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    out
}

/// The strip of `series` (each run's rates, step by step) and `threshold` (the selected run's
/// threshold at each step's start, `None` where there is none) on `root`: the axes, the
/// threshold, the rates (for figures and tests; the app draws the axes on a canvas of their
/// own). Returns whether there was anything to draw.
pub fn draw_rates<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &[(&[f64], RGBColor)],
    threshold: &[Option<f64>],
    style: &Style,
) -> Result<bool, String> {
    let rates: Vec<&[f64]> = series.iter().map(|s| s.0).collect();
    let Some(chart) = RatesChart::new(&rates, threshold, root.dim_in_pixel(), style) else {
        return Ok(false);
    };
    chart.draw_axes(root, style)?;
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let grey = RatesChart::threshold_colour(style);
    for stretch in chart.threshold() {
        root.draw(&PathElement::new(
            stretch.clone(),
            grey.stroke_width(RatesChart::threshold_width(style)),
        ))
        .map_err(e)?;
    }
    for (rates, colour) in series {
        root.draw(&PathElement::new(
            chart.line(rates),
            colour.stroke_width(RatesChart::line_width(style)),
        ))
        .map_err(e)?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLE: Style = Style {
        scale: 1.0,
        dark: false,
    };

    fn svg(series: &[(&[f64], RGBColor)], threshold: &[Option<f64>]) -> (bool, String) {
        let mut out = String::new();
        let drawn = {
            let root = SVGBackend::with_string(&mut out, (400, 110)).into_drawing_area();
            let drawn = draw_rates(&root, series, threshold, &STYLE).unwrap();
            root.present().unwrap();
            drawn
        };
        (drawn, out)
    }

    /// A decaying rate on a log axis, in its run's colour, over the threshold in grey where it
    /// is defined and within a hundredfold of the rates; nothing at all without a positive rate.
    #[test]
    fn the_strip_draws_the_rates_over_the_threshold() {
        let rates: Vec<f64> = (0..50).map(|k| 0.1 * 0.9f64.powi(k)).collect();
        let red = RGBColor(217, 72, 15);
        let mut threshold = vec![Some(0.05); 50];
        threshold[10] = None;
        threshold[20] = Some(1e9);
        let (drawn, out) = svg(&[(&rates, red)], &threshold);
        assert!(drawn);
        assert!(out.contains("γ (log)"), "{out}");
        assert_eq!(
            out.matches(r##"stroke="#D9480F""##).count(),
            1,
            "the rates, once"
        );
        // The grey threshold, wider, in three stretches: broken where it is undefined (step 10)
        // and where it is far off the rates (step 20).
        assert_eq!(out.matches(r#"stroke-width="3""#).count(), 3, "{out}");
        // A rate that reaches 0 puts the strip on a linear axis, named so.
        let (drawn, out) = svg(&[(&[0.1, 0.05, 0.0], red)], &[None, None, None]);
        assert!(
            drawn && out.contains("\nγ\n") && !out.contains("γ (log)"),
            "{out}"
        );
        assert!(!svg(&[(&[0.0, 0.0], red)], &[None, None]).0);
    }

    /// What the app keeps below the rates stays while a slider moves the rates a little under a
    /// constant threshold (a quadratic f), and changes when the threshold's pixels or the
    /// rates' decades do.
    #[test]
    fn the_layer_below_stays_while_the_rates_move_a_little() {
        let below = |lr: f64, t: f64| {
            let rates: Vec<f64> = (0..1000).map(|k| lr * 0.999f64.powi(k)).collect();
            let c = RatesChart::new(&[&rates], &vec![Some(t); 1000], (534, 110), &STYLE).unwrap();
            (c.key().clone(), c.threshold().to_vec())
        };
        assert_eq!(below(0.01, 0.111), below(0.012, 0.111));
        // Keyed on the threshold's pixels: a move within a pixel keeps them, a larger one not.
        assert_eq!(below(0.01, 0.111), below(0.01, 0.1111));
        assert_ne!(below(0.01, 0.111), below(0.01, 0.15), "the threshold moved");
        assert_ne!(below(0.01, 0.111).0, below(0.0001, 0.111).0, "new axes");
        // A line in whole pixels without repeats: a 1000-step run on 470 columns.
        let rates: Vec<f64> = (0..1000).map(|k| 0.01 * 0.999f64.powi(k)).collect();
        let c = RatesChart::new(&[&rates], &[], (534, 110), &STYLE).unwrap();
        let line = c.line(&rates);
        assert!(line.windows(2).all(|w| w[0] != w[1]));
        assert!(line.len() < 600, "{}", line.len());
        assert_eq!(
            pixels(&[(0.4, 1.0), (0.2, 1.2), (1.0, 1.0)]),
            [(0, 1), (1, 1)]
        );
    }
}
