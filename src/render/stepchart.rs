//! A small chart of numbers per step (or along a line) under the app's style (the landscape's
//! honesty chart, the loss along the line from θ₀ to θ_T, the sharpness chart): axes with short
//! labels, a faint line at the step shown, and a key of coloured names at the top right.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{short_within, Style};

/// A chart's drawing context: steps across, values up.
pub type StepChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The axes on `area`: x over `x` named `x_name` (room for the name only when there is one), y
/// over `y` named `y_name` with `y_labels` labels; drawn, with a line at `current` if any.
pub fn axes<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x: (f64, f64),
    y: (f64, f64),
    (x_name, y_name): (&str, &str),
    y_labels: usize,
    current: Option<f64>,
    style: &Style,
) -> Result<StepChart<'a, DB>, String> {
    let mut chart = ChartBuilder::on(area)
        .margin(style.px(6.0))
        .margin_right(style.px(12.0))
        .x_label_area_size(style.px(if x_name.is_empty() { 24.0 } else { 38.0 }))
        .y_label_area_size(style.px(44.0))
        .build_cartesian_2d(x.0..x.1, y.0..y.1)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(5)
        .y_labels(y_labels)
        .y_desc(y_name)
        .x_desc(x_name)
        .label_style(style.font(11.0))
        .axis_desc_style(style.font(11.0))
        .axis_style(style.ink())
        .x_label_formatter(&|v| short_within(*v, 6))
        .y_label_formatter(&|v| short_within(*v, 5))
        .draw()
        .map_err(|e| e.to_string())?;
    if let Some(at) = current {
        chart
            .plotting_area()
            .draw(&PathElement::new(
                vec![(at, y.0), (at, y.1)],
                style.ink().mix(0.35).stroke_width(style.px(1.0)),
            ))
            .map_err(|e| e.to_string())?;
    }
    Ok(chart)
}

/// The key: each name in its colour, right to left from the top right of `chart`'s plot, on
/// `area` (the chart's own area).
pub fn key<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &StepChart<DB>,
    names: &[(&str, RGBAColor)],
    style: &Style,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let base = area.get_base_pixel();
    let font = style.font(11.0);
    let mut x = xr.end - base.0 - style.px(4.0) as i32;
    let ky = yr.start - base.1 + style.px(2.0) as i32;
    for (label, colour) in names.iter().rev() {
        let (tw, _) = area.estimate_text_size(label, &font).map_err(e)?;
        x -= tw as i32;
        area.draw(&Text::new(*label, (x, ky), font.color(colour)))
            .map_err(e)?;
        x -= style.px(10.0) as i32;
    }
    Ok(())
}
