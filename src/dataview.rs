//! The data view of a dataset loss: the examples and the model at one θ (the regression line, or
//! the logistic curve with its decision boundary), the current batch highlighted. Drawn through
//! plotters on any `DrawingBackend`, so the browser and an SVG export share it.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use crate::contour::{self, Field};
use crate::linalg::Vec2;
use crate::render::{short, Style};
use crate::surface::{DataKind, Dataset, Surface, View};

/// Points at which a model curve is sampled across the chart.
const CURVE_SAMPLES: usize = 160;
/// Grid (each way) on which a two-feature decision boundary is traced.
const BOUNDARY_GRID: usize = 48;

/// The ranges of the chart: the data with a margin, and the origin for regression, so a model
/// that starts at θ = 0 (the line y = 0) is on the chart.
pub fn chart_ranges(data: &Dataset) -> View {
    let span = |v: &[f64], zero: bool| {
        let (mut lo, mut hi) = v
            .iter()
            .filter(|x| x.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        if lo > hi {
            (lo, hi) = (0.0, 1.0);
        }
        // Within ±1e300, so the margin cannot overflow (what lies beyond is off the chart).
        (lo, hi) = (lo.clamp(-1e300, 1e300), hi.clamp(-1e300, 1e300));
        if zero {
            (lo, hi) = (lo.min(0.0), hi.max(0.0));
        }
        if hi - lo < 1e-12 {
            // One unit either side, or more where one unit is lost to rounding.
            let d = (1e-9 * lo.abs().max(hi.abs())).max(1.0);
            (lo, hi) = (lo - d, hi + d);
        }
        let pad = 0.06 * (hi - lo);
        (lo - pad, hi + pad)
    };
    match (&data.x2, data.kind) {
        (Some(x2), _) => View {
            x: span(&data.x, false),
            y: span(x2, false),
        },
        (None, DataKind::Classification) => View {
            x: span(&data.x, false),
            y: (-0.12, 1.12),
        },
        (None, DataKind::Regression) => View {
            x: span(&data.x, true),
            y: span(&data.y, true),
        },
    }
}

/// The model's output across `x` at `samples` evenly spaced points (points where the surface
/// has no prediction are left out).
pub fn model_curve(surface: &dyn Surface, theta: Vec2, x: (f64, f64), samples: usize) -> Vec<Vec2> {
    let n = samples.max(2);
    (0..n)
        .filter_map(|k| {
            let xi = x.0 + (x.1 - x.0) * k as f64 / (n - 1) as f64;
            let y = surface.predict(theta, &[xi])?;
            y.is_finite().then_some([xi, y])
        })
        .collect()
}

/// A polyline clipped to the rectangle `view`: the connected runs that lie inside it.
pub fn clip_polyline(points: &[Vec2], view: View) -> Vec<Vec<Vec2>> {
    let mut runs: Vec<Vec<Vec2>> = Vec::new();
    let mut run: Vec<Vec2> = Vec::new();
    for w in points.windows(2) {
        let Some((a, b)) = clip_segment(w[0], w[1], view) else {
            if run.len() > 1 {
                runs.push(std::mem::take(&mut run));
            }
            run.clear();
            continue;
        };
        if run.last() != Some(&a) {
            if run.len() > 1 {
                runs.push(std::mem::take(&mut run));
            }
            run.clear();
            run.push(a);
        }
        run.push(b);
    }
    if run.len() > 1 {
        runs.push(run);
    }
    runs
}

/// The segment a→b clipped to `view`.
fn clip_segment(a: Vec2, b: Vec2, view: View) -> Option<(Vec2, Vec2)> {
    crate::linalg::clip_segment(a, b, [view.x.0, view.y.0], [view.x.1, view.y.1])
}

/// What a legend entry shows before its text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Marker {
    /// Nothing (plain text).
    None,
    /// A short solid line in a colour (the model).
    Line(RGBColor),
    /// A short dashed line in a colour (the decision boundary).
    Dash(RGBColor),
    /// A dot in a colour.
    Dot(RGBColor),
}

/// The legend of the view: the step, what the curve is, the boundary and the batch.
pub fn legend(
    data: &Dataset,
    step: usize,
    batch: usize,
    boundary: Option<f64>,
) -> Vec<(Marker, String)> {
    legend_in(data, step, batch, boundary, Ink::SINGLE)
}

/// The colours of the models and the batch: one run draws its model in blue and its batch in
/// the path's orange; in a race every run's model has its run's colour, and the selected run's
/// batch is highlighted in its colour too.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ink {
    /// The selected run's model (line, boundary, legend).
    pub model: RGBColor,
    /// The highlighted batch's examples.
    pub batch: RGBColor,
    /// How many runs there are (1: the legend says "model"; more: "run k's model").
    pub runs: usize,
    /// Which run is selected, from 0.
    pub selected: usize,
}

impl Ink {
    /// One run: a blue model and the orange batch.
    pub const SINGLE: Ink = Ink {
        model: MODEL,
        batch: BATCH,
        runs: 1,
        selected: 0,
    };
}

/// [`legend`] in the colours of `ink`.
pub fn legend_in(
    data: &Dataset,
    step: usize,
    batch: usize,
    boundary: Option<f64>,
    ink: Ink,
) -> Vec<(Marker, String)> {
    let n = data.x.len();
    let whose = if ink.runs > 1 {
        format!(" (run {}; other runs faint)", ink.selected + 1)
    } else {
        String::new()
    };
    let mut items = vec![(Marker::None, format!("step {step}"))];
    match (&data.x2, data.kind) {
        (Some(_), _) => {
            items.push((Marker::Line(ink.model), format!("boundary p = ½{whose}")));
            items.push((Marker::Dot(CLASS[0]), "class 0".into()));
            items.push((Marker::Dot(CLASS[1]), "class 1".into()));
        }
        (None, DataKind::Classification) => {
            items.push((Marker::Line(ink.model), format!("P(class 1){whose}")));
            let (lo, hi) = chart_ranges(data).x;
            items.push(match boundary {
                Some(x) if (lo..=hi).contains(&x) => (
                    Marker::Dash(ink.model),
                    format!("p = ½ at x = {}", short(x)),
                ),
                Some(x) => (
                    Marker::Dash(ink.model),
                    format!("p = ½ at x = {} (off the chart)", short(x)),
                ),
                None => (Marker::Dash(ink.model), "p = ½ nowhere".into()),
            });
        }
        (None, DataKind::Regression) => {
            items.push((Marker::Line(ink.model), format!("model{whose}")))
        }
    }
    items.push(if step == 0 {
        (Marker::Dot(POINT), "no step yet, no batch".into())
    } else if batch >= n {
        (Marker::Dot(ink.batch), format!("batch: all {n}"))
    } else {
        (Marker::Dot(ink.batch), format!("batch: {batch} of {n}"))
    });
    items
}

/// Draws legend entries left to right, wrapping onto more lines when `area` is narrow; returns
/// the height used, pixels.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[(Marker, String)],
    style: &Style,
    measure_only: bool,
) -> Result<u32, String> {
    let f = style.font(12.0);
    let (w, _) = area.dim_in_pixel();
    let line_h = style.px(18.0) as i32;
    let (pad, mark_w, gap) = (
        style.px(8.0) as i32,
        style.px(18.0) as i32,
        style.px(14.0) as i32,
    );
    let (mut x, mut y) = (pad, style.px(3.0) as i32);
    for (marker, text) in items {
        let tw = area
            .estimate_text_size(text, &f)
            .map_err(|e| e.to_string())?
            .0 as i32;
        let mw = if *marker == Marker::None {
            0
        } else {
            mark_w + style.px(4.0) as i32
        };
        if x > pad && x + mw + tw > w as i32 - pad {
            (x, y) = (pad, y + line_h);
        }
        if !measure_only {
            let mid = y + line_h / 2 - style.px(2.0) as i32;
            let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
            match marker {
                Marker::None => {}
                Marker::Line(c) => area
                    .draw(&PathElement::new(
                        vec![(x, mid), (x + mark_w, mid)],
                        c.stroke_width(style.px(2.5)),
                    ))
                    .map_err(err)?,
                Marker::Dash(c) => area
                    .draw(&DashedPathElement::new(
                        vec![(x, mid), (x + mark_w, mid)],
                        style.px(5.0),
                        style.px(3.0),
                        c.stroke_width(style.px(1.5)),
                    ))
                    .map_err(err)?,
                Marker::Dot(c) => area
                    .draw(&Circle::new(
                        (x + mark_w / 2, mid),
                        style.px(4.5),
                        c.filled(),
                    ))
                    .map_err(err)?,
            }
            area.draw(&Text::new(
                text.clone(),
                (x + mw, y + style.px(1.0) as i32),
                f.clone(),
            ))
            .map_err(err)?;
        }
        x += mw + tw + gap;
    }
    Ok((y + line_h + style.px(4.0) as i32) as u32)
}

/// Small vertical offsets for 0/1 labels, so examples with nearby x do not hide each other.
fn jitter(i: usize) -> f64 {
    ((i * 37) % 9) as f64 * 0.011 - 0.044
}

/// The model's colour.
const MODEL: RGBColor = RGBColor(31, 95, 209);
/// The highlight of the examples in the current batch (the trajectory's orange).
const BATCH: RGBColor = RGBColor(217, 72, 15);
/// The examples outside the batch.
const POINT: RGBColor = RGBColor(70, 90, 120);
/// The two classes of two-feature data.
const CLASS: [RGBColor; 2] = [RGBColor(30, 130, 120), RGBColor(122, 40, 160)];

/// Draws the data of `surface` and its model at `theta` (the point reached at `step`), with the
/// examples of `batch` (term indices) highlighted. Nothing is drawn for a surface without data
/// or on an area too small for a chart.
pub fn draw_data<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    surface: &dyn Surface,
    theta: Vec2,
    step: usize,
    batch: &[usize],
    style: &Style,
) -> Result<(), String> {
    draw_runs(root, surface, theta, &[], step, batch, Ink::SINGLE, style)
}

/// [`draw_data`] for a race: the selected run's model at `theta` in `ink`'s colours (with its
/// boundary and batch), and the other runs' models at `others` (θ and colour) faintly beneath.
#[allow(clippy::too_many_arguments)]
pub fn draw_runs<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    surface: &dyn Surface,
    theta: Vec2,
    others: &[(Vec2, RGBColor)],
    step: usize,
    batch: &[usize],
    ink: Ink,
    style: &Style,
) -> Result<(), String> {
    let Some(data) = surface.data() else {
        return Ok(());
    };
    // Every example has a feature and a target (a malformed dataset draws its common part).
    let n = data.x.len().min(data.y.len());
    let (w, h) = root.dim_in_pixel();
    if w < style.px(160.0) || h < style.px(120.0) || n == 0 {
        return Ok(());
    }
    let boundary = surface.decision_boundary(theta);
    let items = legend_in(data, step, batch.len(), boundary, ink);
    let (top, body) = root.split_vertically(draw_legend(root, &items, style, true)?);
    draw_legend(&top, &items, style, false)?;

    let view = chart_ranges(data);
    let mut chart = ChartBuilder::on(&body)
        .margin(style.px(6.0))
        .margin_right(style.px(14.0))
        .x_label_area_size(style.px(36.0))
        .y_label_area_size(style.px(48.0))
        // gdviz's one axis type, so the wasm module holds one copy of plotters' 2D charts.
        .build_cartesian_2d(
            crate::render::ticks::Axis::linear(view.x.0, view.x.1),
            crate::render::ticks::Axis::linear(view.y.0, view.y.1),
        )
        .map_err(|e| e.to_string())?;
    let y_desc = match (&data.x2, data.kind) {
        (Some(_), _) => data.x2_label,
        (None, DataKind::Classification) => "P(class 1)",
        (None, DataKind::Regression) => data.y_label,
    };
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(style.ink().mix(0.1))
        .x_labels(6)
        .y_labels(5)
        .x_desc(data.x_label)
        .y_desc(y_desc)
        .label_style(style.font(11.0))
        .axis_desc_style(style.font(12.0))
        .axis_style(style.ink())
        .x_label_formatter(&|v| short(*v))
        .y_label_formatter(&|v| short(*v))
        .draw()
        .map_err(|e| e.to_string())?;

    let mut in_batch = vec![false; n];
    for &i in batch {
        if let Some(b) = in_batch.get_mut(i) {
            *b = true;
        }
    }
    let point = |i: usize| -> Vec2 {
        match (&data.x2, data.kind) {
            (Some(x2), _) => [data.x[i], x2.get(i).copied().unwrap_or(f64::NAN)],
            (None, DataKind::Classification) => [data.x[i], data.y[i] + jitter(i)],
            (None, DataKind::Regression) => [data.x[i], data.y[i]],
        }
    };
    let line = |pts: Vec<Vec2>, colour: RGBAColor, width: f64| {
        PathElement::new(
            pts.into_iter().map(|p| (p[0], p[1])).collect::<Vec<_>>(),
            colour.stroke_width(style.px(width)),
        )
    };
    let draw_err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();

    // Guides under the data: p = ½ and the decision boundary, or residuals of the batch.
    match (&data.x2, data.kind) {
        (None, DataKind::Classification) => {
            let guide = style.ink().mix(0.35);
            chart
                .draw_series(std::iter::once(DashedPathElement::new(
                    [(view.x.0, 0.5), (view.x.1, 0.5)],
                    style.px(4.0),
                    style.px(4.0),
                    guide.stroke_width(style.px(1.0)),
                )))
                .map_err(draw_err)?;
            if let Some(xb) = boundary.filter(|x| *x >= view.x.0 && *x <= view.x.1) {
                chart
                    .draw_series(std::iter::once(DashedPathElement::new(
                        [(xb, view.y.0), (xb, view.y.1)],
                        style.px(6.0),
                        style.px(4.0),
                        ink.model.mix(0.9).stroke_width(style.px(1.5)),
                    )))
                    .map_err(draw_err)?;
            }
        }
        (None, DataKind::Regression) if step > 0 => {
            let residuals: Vec<_> = batch
                .iter()
                .filter(|&&i| i < n)
                .filter_map(|&i| {
                    let p = point(i);
                    let fit = surface.predict(theta, &[p[0]])?;
                    clip_segment(p, [p[0], fit], view)
                })
                .map(|(a, b)| line(vec![a, b], ink.batch.mix(0.55), 1.0))
                .collect();
            chart.draw_series(residuals).map_err(draw_err)?;
        }
        _ => {}
    }

    // The models: the other runs' faint and thin, the selected run's on top.
    let curves = |theta: Vec2| match &data.x2 {
        None => clip_polyline(&model_curve(surface, theta, view.x, CURVE_SAMPLES), view),
        Some(_) => boundary_2d(surface, theta, view),
    };
    let model_width = if data.x2.is_some() { 2.0 } else { 2.5 };
    for &(other, colour) in others {
        chart
            .draw_series(
                curves(other)
                    .into_iter()
                    .map(|r| line(r, colour.mix(0.6), model_width * 0.7)),
            )
            .map_err(draw_err)?;
    }
    chart
        .draw_series(
            curves(theta)
                .into_iter()
                .map(|r| line(r, ink.model.mix(1.0), model_width)),
        )
        .map_err(draw_err)?;

    // The examples: the batch last, so it is on top.
    let radius = style.px(3.5);
    let big = style.px(5.0);
    let class_colour = |i: usize| -> RGBColor {
        match (&data.x2, data.y[i] > 0.5) {
            (Some(_), true) => CLASS[1],
            (Some(_), false) => CLASS[0],
            (None, _) => POINT,
        }
    };
    let order = (0..n)
        .filter(|&i| !in_batch[i])
        .chain((0..n).filter(|&i| in_batch[i]));
    let dots: Vec<_> = order
        .filter_map(|i| {
            let p = point(i);
            view.contains(p).then_some((i, p))
        })
        .map(|(i, p)| {
            if in_batch[i] {
                Circle::new((p[0], p[1]), big, ink.batch.filled())
            } else {
                Circle::new((p[0], p[1]), radius, class_colour(i).mix(0.55).filled())
            }
        })
        .collect();
    chart.draw_series(dots).map_err(draw_err)?;
    let rings: Vec<_> = (0..n)
        .filter(|&i| in_batch[i])
        .map(|i| (i, point(i)))
        .filter(|(_, p)| view.contains(*p))
        .map(|(i, p)| {
            let ring = if data.x2.is_some() {
                class_colour(i).stroke_width(style.px(2.0))
            } else {
                RGBColor(255, 255, 255).stroke_width(style.px(1.0))
            };
            Circle::new((p[0], p[1]), big, ring)
        })
        .collect();
    chart.draw_series(rings).map_err(draw_err)?;
    Ok(())
}

/// The decision boundary p = ½ of a two-feature classifier over `view`, traced on a grid of its
/// predictions; empty when the surface predicts nothing for two features.
fn boundary_2d(surface: &dyn Surface, theta: Vec2, view: View) -> Vec<Vec<Vec2>> {
    let n = BOUNDARY_GRID;
    let mut values = Vec::with_capacity(n * n);
    for j in 0..n {
        let y = view.y.0 + (view.y.1 - view.y.0) * j as f64 / (n - 1) as f64;
        for i in 0..n {
            let x = view.x.0 + (view.x.1 - view.x.0) * i as f64 / (n - 1) as f64;
            match surface.predict(theta, &[x, y]) {
                Some(p) if p.is_finite() => values.push(p),
                _ => return Vec::new(),
            }
        }
    }
    let (min, max) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let field = Field {
        nx: n,
        ny: n,
        view,
        values,
        min,
        max,
    };
    contour::segments(&field, 0.5)
        .into_iter()
        .map(|[a, b]| vec![a, b])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface::by_name;

    #[test]
    fn clipped_line_stays_inside_and_keeps_its_slope() {
        let view = View {
            x: (0.0, 10.0),
            y: (0.0, 5.0),
        };
        let pts = [[-5.0, -5.0], [20.0, 20.0]];
        let runs = clip_polyline(&pts, view);
        assert_eq!(runs, vec![vec![[0.0, 0.0], [5.0, 5.0]]]);
        // Entirely outside: nothing.
        assert!(clip_polyline(&[[0.0, 6.0], [10.0, 7.0]], view).is_empty());
        // A curve that leaves and comes back is two runs.
        let pts = [[0.0, 1.0], [2.0, 8.0], [4.0, 1.0], [6.0, 1.0]];
        assert_eq!(clip_polyline(&pts, view).len(), 2);
    }

    #[test]
    fn regression_ranges_hold_the_data_and_the_origin() {
        let s = by_name("linear-regression").unwrap();
        let data = s.data().unwrap();
        let v = chart_ranges(data);
        assert!(v.x.0 < 0.0 && v.y.0 < 0.0);
        for (x, y) in data.x.iter().zip(&data.y) {
            assert!(v.contains([*x, *y]));
        }
        let s = by_name("logistic-regression").unwrap();
        assert_eq!(chart_ranges(s.data().unwrap()).y, (-0.12, 1.12));
    }

    #[test]
    fn model_curve_is_the_regression_line() {
        let s = by_name("linear-regression").unwrap();
        let c = model_curve(s.as_ref(), [1.0, 0.5], (0.0, 10.0), 11);
        assert_eq!(c.len(), 11);
        for p in c {
            assert!((p[1] - (1.0 + 0.5 * p[0])).abs() < 1e-12);
        }
        let rosen = by_name("rosenbrock").unwrap();
        assert!(model_curve(rosen.as_ref(), [1.0, 1.0], (0.0, 1.0), 5).is_empty());
    }

    #[test]
    fn legend_counts_the_batch() {
        let text = |items: Vec<(Marker, String)>| {
            items
                .into_iter()
                .map(|(_, t)| t)
                .collect::<Vec<_>>()
                .join(" | ")
        };
        let s = by_name("linear-regression").unwrap();
        let d = s.data().unwrap();
        assert_eq!(
            text(legend(d, 3, 10, None)),
            "step 3 | model | batch: 10 of 50"
        );
        assert!(text(legend(d, 3, 50, None)).contains("all 50"));
        assert!(text(legend(d, 0, 0, None)).contains("no batch"));
        let s = by_name("logistic-regression").unwrap();
        let d = s.data().unwrap();
        assert!(text(legend(d, 1, 1, Some(0.25))).contains("p = ½ at x = 0.25 |"));
        assert!(text(legend(d, 1, 1, Some(-40.0))).contains("off the chart"));
        assert!(text(legend(d, 1, 1, None)).contains("nowhere"));
    }
}
