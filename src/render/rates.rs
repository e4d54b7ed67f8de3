//! The learning-rate strip under the loss chart: each run's rate per step on a log axis, and the
//! selected run's local stability threshold along its path (2/λmax of the Hessian where the step
//! starts, or the momentum methods' own), so a warm-up or a decay is seen crossing in and out of
//! the stable zone.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{LossChart, Style};

/// How far beyond the rates' own range a threshold is still drawn: farther off, its line would
/// squash the rates into a sliver, so it is left out there (the caption says the strip shows
/// thresholds near the rates only).
const SPAN: f64 = 100.0;

/// The strip of `series` (each run's rates, step by step) and `threshold` (the selected run's
/// threshold at each step's start, `None` where there is none) on `root`. Returns whether there
/// was anything to draw.
pub fn draw_rates<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &[(&[f64], RGBColor)],
    threshold: &[Option<f64>],
    style: &Style,
) -> Result<bool, String> {
    let rates: Vec<&[f64]> = series.iter().map(|s| s.0).collect();
    let (lo, hi) = rates
        .iter()
        .flat_map(|r| r.iter())
        .filter(|v| v.is_finite() && **v > 0.0)
        .fold((f64::INFINITY, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
    if lo > hi {
        return Ok(false);
    }
    let near: Vec<Option<f64>> = threshold
        .iter()
        .map(|t| t.filter(|v| v.is_finite() && *v >= lo / SPAN && *v <= hi * SPAN))
        .collect();
    let shown: Vec<f64> = near.iter().flatten().copied().collect();
    let mut all = rates.clone();
    if !shown.is_empty() {
        all.push(&shown);
    }
    let Some(chart) = LossChart::new(&all, Some(0.0), root.dim_in_pixel(), style) else {
        return Ok(false);
    };
    // A rate of 0 (a decay to nothing) has no place on a log axis: the axis is linear then.
    let name = if chart.is_log() { "γ (log)" } else { "γ" };
    let chart = chart.named(name);
    chart.draw_axes(root, style)?;
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |p: (f64, f64)| (p.0.round() as i32, p.1.round() as i32);
    // The threshold first, grey and wide, under the rates: each stretch where it is defined and
    // near.
    let grey = style.ink().mix(0.3);
    let mut stretch: Vec<(i32, i32)> = Vec::new();
    for (k, t) in near
        .iter()
        .enumerate()
        .chain(std::iter::once((near.len(), &None)))
    {
        match t {
            Some(v) => stretch.push(px(chart.to_px(k, *v))),
            None => {
                if stretch.len() > 1 {
                    root.draw(&PathElement::new(
                        std::mem::take(&mut stretch),
                        grey.stroke_width(style.px(3.0)),
                    ))
                    .map_err(e)?;
                }
                stretch.clear();
            }
        }
    }
    for (rates, colour) in series {
        root.draw(&PathElement::new(
            chart.line(rates).into_iter().map(px).collect::<Vec<_>>(),
            colour.stroke_width(style.px(1.5)),
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
}
