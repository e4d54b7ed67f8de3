//! Network mode's pictures, without the DOM: the decision boundary (the network's output over
//! the input plane as RGBA pixels, the 0.5 contour, training and test examples, the batch), the
//! loss and accuracy chart per step, and the network drawn with its weights (TensorFlow
//! Playground's convention: colour by sign, width by size). Every number comes from
//! [`crate::network`]; this module only places it.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use crate::contour::{all_segments, Field};
use crate::network::{Examples, Mlp, Row, Split, Task};
use crate::render::{equal_scale, run_rgb, Frame, LossChart, Style};
use crate::surface::View;

/// Grid points each way the boundary field is sampled at (pixels between are interpolated).
pub const BOUNDARY_GRID: usize = 64;

/// The two classes' colours (and the ends of the probability scale): blue for 0, orange for 1,
/// as TensorFlow Playground draws them.
const CLASS: [[u8; 3]; 2] = [[33, 102, 172], [214, 96, 20]];
/// Negative and positive weights in the diagram.
const NEGATIVE: RGBColor = RGBColor(33, 102, 172);
const POSITIVE: RGBColor = RGBColor(214, 96, 20);
/// The batch's ring.
const BATCH: RGBColor = RGBColor(20, 160, 60);

/// The input plane shown: every example (training and test) with a tenth of the span around.
pub fn input_view(data: &Split) -> View {
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for p in data.train.x.iter().chain(&data.test.x) {
        for c in 0..2 {
            lo[c] = lo[c].min(p[c]);
            hi[c] = hi[c].max(p[c]);
        }
    }
    let range = |c: usize| {
        if lo[c] < hi[c] {
            let pad = (hi[c] - lo[c]) * 0.1;
            (lo[c] - pad, hi[c] + pad)
        } else if lo[c].is_finite() {
            (lo[c] - 1.0, lo[c] + 1.0)
        } else {
            (-1.0, 1.0)
        }
    };
    View {
        x: range(0),
        y: range(1),
    }
}

/// The network's output over `view`: the probability of class 1 for a classifier, the value
/// for a regression, at [`BOUNDARY_GRID`]² points.
pub fn boundary_field(model: &Mlp, theta: &[f64], view: View) -> Field {
    let n = BOUNDARY_GRID;
    let mut values = Vec::with_capacity(n * n);
    for j in 0..n {
        let y = view.y.0 + (view.y.1 - view.y.0) * j as f64 / (n - 1) as f64;
        for i in 0..n {
            let x = view.x.0 + (view.x.1 - view.x.0) * i as f64 / (n - 1) as f64;
            values.push(model.predict(theta, [x, y]));
        }
    }
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let (min, max) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let (min, max) = if min <= max { (min, max) } else { (0.0, 0.0) };
    Field {
        nx: n,
        ny: n,
        view,
        values,
        min,
        max,
    }
}

/// The colour scale of the boundary: where a value sits between the two class colours (0 for
/// class 0's, 1 for class 1's). A probability is its own position; a regression's value is
/// placed on `range`, the range of the targets and outputs shown.
fn position(task: Task, v: f64, range: (f64, f64)) -> f64 {
    let t = match task {
        Task::Classification => v,
        Task::Regression if range.1 > range.0 => (v - range.0) / (range.1 - range.0),
        Task::Regression => 0.5,
    };
    if t.is_nan() {
        0.5
    } else {
        t.clamp(0.0, 1.0)
    }
}

/// Scale position → colour: class 0's blue through white (undecided, ½) to class 1's orange,
/// pale enough that the examples stay visible; darker in dark mode.
fn tint(t: f64, dark: bool) -> [u8; 3] {
    let (end, s) = if t < 0.5 {
        (CLASS[0], (0.5 - t) * 2.0)
    } else {
        (CLASS[1], (t - 0.5) * 2.0)
    };
    let (base, strength) = if dark { (40.0, 0.55) } else { (255.0, 0.6) };
    let mut rgb = [0u8; 3];
    for c in 0..3 {
        let v = base + (end[c] as f64 - base) * s * strength;
        rgb[c] = v.round().clamp(0.0, 255.0) as u8;
    }
    rgb
}

/// The range a regression's colours span: the targets' and the field's.
pub fn value_range(field: &Field, data: &Split) -> (f64, f64) {
    let ys = data.train.y.iter().chain(&data.test.y).copied();
    ys.fold((field.min, field.max), |(a, b), y| (a.min(y), b.max(y)))
}

/// The boundary's pixels for a `width` × `height` plot, RGBA row by row from the top, each
/// interpolated bilinearly between the field's grid points.
pub fn boundary_rgba(
    field: &Field,
    task: Task,
    range: (f64, f64),
    width: usize,
    height: usize,
    dark: bool,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(width * height * 4);
    let (nx, ny) = (field.nx, field.ny);
    // The colours of 256 scale positions, looked up per pixel.
    let lut: Vec<[u8; 3]> = (0..256).map(|k| tint(k as f64 / 255.0, dark)).collect();
    for py in 0..height {
        // Row 0 of the pixels is the top: the grid's last row.
        let gy = (1.0 - (py as f64 + 0.5) / height.max(1) as f64) * (ny - 1) as f64;
        let j = (gy.floor() as usize).min(ny - 2);
        let fy = gy - j as f64;
        for px in 0..width {
            let gx = (px as f64 + 0.5) / width.max(1) as f64 * (nx - 1) as f64;
            let i = (gx.floor() as usize).min(nx - 2);
            let fx = gx - i as f64;
            let v = |i: usize, j: usize| field.values[j * nx + i];
            let top = v(i, j + 1) * (1.0 - fx) + v(i + 1, j + 1) * fx;
            let bottom = v(i, j) * (1.0 - fx) + v(i + 1, j) * fx;
            let value = bottom * (1.0 - fy) + top * fy;
            let t = position(task, value, range);
            let [r, g, b] = lut[(t * 255.0).round() as usize];
            out.extend_from_slice(&[r, g, b, 255]);
        }
    }
    out
}

/// Margins of the boundary plot, CSS pixels.
const MARGIN: f64 = 8.0;
const X_LABELS: f64 = 28.0;
const Y_LABELS: f64 = 36.0;

/// Draws the boundary plot's axes (x₁ and x₂ at equal scales) and returns where its plot
/// rectangle is, for the pixels of [`boundary_rgba`] and [`draw_examples`].
pub fn draw_boundary_axes<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: View,
    style: &Style,
) -> Result<Frame, String> {
    let (w, h) = root.dim_in_pixel();
    let s = |css: f64| style.px(css) as f64;
    let width = (w as f64 - s(MARGIN) * 2.0 - s(Y_LABELS)).max(1.0);
    let height = (h as f64 - s(MARGIN) * 2.0 - s(X_LABELS)).max(1.0);
    let view = equal_scale(view, width, height);
    let mut chart = ChartBuilder::on(root)
        .margin(style.px(MARGIN))
        .x_label_area_size(style.px(X_LABELS))
        .y_label_area_size(style.px(Y_LABELS))
        .build_cartesian_2d(view.x.0..view.x.1, view.y.0..view.y.1)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("x₁")
        .y_desc("x₂")
        .x_labels(5)
        .y_labels(5)
        .label_style(style.font(11.0))
        .axis_desc_style(style.font(12.0))
        .axis_style(style.ink())
        .x_label_formatter(&|v| crate::render::short_within(*v, 5))
        .y_label_formatter(&|v| crate::render::short_within(*v, 5))
        .draw()
        .map_err(|e| e.to_string())?;
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    Ok(Frame {
        view,
        left: xs.start as f64,
        top: ys.start as f64,
        width: (xs.end - xs.start) as f64,
        height: (ys.end - ys.start) as f64,
    })
}

/// The colour of an example: its class's, or its target's place on `range`.
fn example_colour(task: Task, y: f64, range: (f64, f64)) -> RGBColor {
    let t = position(task, y, range);
    let mix = |c: usize| (CLASS[0][c] as f64 + (CLASS[1][c] as f64 - CLASS[0][c] as f64) * t) as u8;
    RGBColor(mix(0), mix(1), mix(2))
}

/// Draws the ½ contour of a classifier's `field` (where the predicted class changes), the test
/// examples hollow, the training examples filled, and the training examples of `batch` ringed.
pub fn draw_examples<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
    field: &Field,
    data: &Split,
    batch: &[usize],
    range: (f64, f64),
    style: &Style,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |p: [f64; 2]| {
        let (x, y) = frame.to_px(p);
        (x.round() as i32, y.round() as i32)
    };
    if data.task == Task::Classification {
        let ink = style.ink();
        for seg in all_segments(field, &[0.5]).concat() {
            root.draw(&PathElement::new(
                vec![px(seg[0]), px(seg[1])],
                ink.stroke_width(style.px(2.0)),
            ))
            .map_err(e)?;
        }
    }
    let r = style.px(3.5);
    let outline = if style.dark {
        RGBColor(20, 20, 24)
    } else {
        RGBColor(255, 255, 255)
    };
    let dot = |ex: &Examples, i: usize| (px(ex.x[i]), example_colour(data.task, ex.y[i], range));
    for i in 0..data.test.len() {
        let (p, c) = dot(&data.test, i);
        root.draw(&Circle::new(p, r, c.stroke_width(style.px(1.5))))
            .map_err(e)?;
    }
    for i in 0..data.train.len() {
        let (p, c) = dot(&data.train, i);
        root.draw(&Circle::new(p, r, c.filled())).map_err(e)?;
        root.draw(&Circle::new(p, r, outline.stroke_width(style.px(0.75))))
            .map_err(e)?;
    }
    // A full batch (every training example) is not ringed: the rings mark a sample.
    let whole = batch.len() >= data.train.len();
    for &i in batch.iter().filter(|&&i| i < data.train.len() && !whole) {
        let (p, _) = dot(&data.train, i);
        root.draw(&Circle::new(
            p,
            r + style.px(2.5),
            BATCH.stroke_width(style.px(2.0)),
        ))
        .map_err(e)?;
    }
    Ok(())
}

/// One run's training and test loss per step and, for a classifier, its accuracies: the
/// rows' values up to the first step that did not measure them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    pub train_loss: Vec<f64>,
    pub test_loss: Vec<f64>,
    pub train_acc: Vec<f64>,
    pub test_acc: Vec<f64>,
}

impl Series {
    /// The series of a run's rows.
    pub fn of(rows: &[Row]) -> Series {
        let col =
            |f: &dyn Fn(&Row) -> Option<f64>| -> Vec<f64> { rows.iter().map_while(f).collect() };
        Series {
            train_loss: col(&|r| Some(r.train_loss)),
            test_loss: col(&|r| r.test_loss),
            train_acc: col(&|r| r.train_acc),
            test_acc: col(&|r| r.test_acc),
        }
    }

    /// The series of a run's rows at the end of each epoch of `per_epoch` steps (row 0, then
    /// every `per_epoch`-th): index k is epoch k, so runs of different batch sizes line up by
    /// the examples their gradients have seen.
    pub fn per_epoch(rows: &[Row], per_epoch: usize) -> Series {
        let ends: Vec<Row> = rows.iter().step_by(per_epoch.max(1)).copied().collect();
        Series::of(&ends)
    }
}

/// The chart of the training and test loss per step (log axis) and, for a classifier, the
/// accuracies below it, marked at step `current`: one run in blue (training) and orange
/// (test); a race's runs each in its colour ([`run_rgb`]), training solid and test dashed,
/// the selected run drawn last, wider and marked.
pub struct Curves<'a> {
    pub runs: &'a [Series],
    pub selected: usize,
    /// The points the longest series will have, less one: the steps the runs will take, or
    /// their epochs (the x axis spans them all while they train).
    pub steps: usize,
    /// What a series' index counts: `step`, or `epoch` ([`Series::per_epoch`]).
    pub x_name: &'static str,
}

/// Training in the dark blue of class 0, test in orange.
const TRAIN: RGBColor = RGBColor(31, 95, 209);
const TEST: RGBColor = RGBColor(214, 96, 20);

/// One line of the chart: its values, colour, whether dashed, and whether it is the selected
/// run's (wider, marked at the step shown).
struct Line<'a> {
    values: &'a [f64],
    colour: RGBColor,
    dashed: bool,
    selected: bool,
}

/// Draws [`Curves`] on `root`, the selected run marked at its point `current` (a step, or an
/// epoch).
pub fn draw_curves<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    curves: &Curves,
    current: usize,
    style: &Style,
) -> Result<(), String> {
    let has_acc = curves.runs.iter().any(|r| !r.train_acc.is_empty());
    let (_, h) = root.dim_in_pixel();
    let (top, bottom) = root.split_vertically(if has_acc { h * 3 / 5 } else { h });
    let race = curves.runs.len() > 1;
    // The selected run last, so it is drawn over the others.
    let order: Vec<usize> = (0..curves.runs.len())
        .filter(|&i| i != curves.selected)
        .chain((curves.selected < curves.runs.len()).then_some(curves.selected))
        .collect();
    // Each run's training and test lines: of the loss, or (`acc`) of the accuracy.
    let lines = |acc: bool| -> Vec<Line> {
        order
            .iter()
            .flat_map(|&i| {
                let r = &curves.runs[i];
                let (train, test) = if acc {
                    (&r.train_acc, &r.test_acc)
                } else {
                    (&r.train_loss, &r.test_loss)
                };
                let selected = i == curves.selected;
                let (a, b) = if race {
                    (run_rgb(i), run_rgb(i))
                } else {
                    (TRAIN, TEST)
                };
                [
                    Line {
                        values: train,
                        colour: a,
                        dashed: false,
                        selected,
                    },
                    Line {
                        values: test,
                        colour: b,
                        dashed: race,
                        selected,
                    },
                ]
            })
            .collect()
    };
    draw_lines(
        &top,
        &lines(false),
        Some(0.0),
        None,
        ("loss", curves.x_name),
        curves.steps,
        current,
        (race, true),
        style,
    )?;
    if has_acc {
        let acc = lines(true);
        let lowest = acc
            .iter()
            .flat_map(|l| l.values)
            .copied()
            .filter(|v| v.is_finite())
            .fold(1.0, f64::min);
        draw_lines(
            &bottom,
            &acc,
            None,
            Some(lowest),
            ("accuracy", curves.x_name),
            curves.steps,
            current,
            // A race's key is the loss chart's (the same dashes), which leaves the short
            // accuracy chart to its lines.
            (race, !race),
            style,
        )?;
    }
    Ok(())
}

/// One chart of training and test series; `fraction` (an accuracy's) gives the lowest value
/// of a series between 0 and 1, whose axis then ends at 1. `(race, keyed)`: whether the lines
/// are a race's, and whether to draw the key, which says which line is which: by colour for
/// one run, by dash for a race.
#[allow(clippy::too_many_arguments)]
fn draw_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    lines: &[Line],
    f_star: Option<f64>,
    fraction: Option<f64>,
    (name, x_name): (&str, &'static str),
    steps: usize,
    current: usize,
    (race, keyed): (bool, bool),
    style: &Style,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    // The axes from the values themselves; the x axis from the whole run.
    let shown: Vec<&[f64]> = lines
        .iter()
        .map(|l| l.values)
        .filter(|s| !s.is_empty())
        .collect();
    let Some(values) = LossChart::new(&shown, f_star, root.dim_in_pixel(), style) else {
        return Ok(());
    };
    // The x axis spans the whole run from the start, so a curve grows rightward as it trains:
    // the axes are made for a series held at its last value to the last step (which leaves
    // the range as it is).
    let longest = shown.iter().copied().max_by_key(|s| s.len()).unwrap_or(&[]);
    let mut full = longest.to_vec();
    full.resize(
        steps.max(longest.len().saturating_sub(1)) + 1,
        longest.last().copied().unwrap_or(f64::NAN),
    );
    let mut spanned = shown.clone();
    spanned.push(&full);
    let axes = LossChart::new(&spanned, f_star, root.dim_in_pixel(), style).unwrap_or(values);
    let axes = match fraction {
        // A fraction's axis ends at 1 and starts at a tenth at or below its lowest value.
        Some(lowest) => axes.spanning(((lowest * 10.0).floor() / 10.0).clamp(0.0, 0.9), 1.0),
        None => axes,
    };
    let axes = axes.x_named(x_name);
    let axes = if axes.is_log() {
        let log = format!("{name} (log)");
        axes.named(&log)
    } else {
        axes.named(name)
    };
    axes.draw_axes(root, style)?;
    let px = |p: (f64, f64)| (p.0.round() as i32, p.1.round() as i32);
    // The key, at the plot's right, at the top or the bottom: wherever fewer of the lines pass
    // under it (a falling loss leaves the top free, an accuracy near 1 the bottom; a race may
    // have lines at both, and then the emptier corner wins).
    let (left, top, width, height) = axes.rect;
    let font = style.font(11.0);
    let (_, th) = root.estimate_text_size("train", &font).map_err(e)?;
    let sample = style.px(14.0) as i32;
    let key = if race {
        [("test", style.ink(), true), ("train", style.ink(), false)]
    } else {
        [("test", TEST, false), ("train", TRAIN, false)]
    };
    let mut key_width = style.px(4.0) as i32;
    for (label, _, _) in key {
        let (tw, _) = root.estimate_text_size(label, &font).map_err(e)?;
        key_width += tw as i32 + style.px(10.0) as i32;
        if race {
            key_width += sample + style.px(3.0) as i32;
        }
    }
    let right = left + width;
    let rows = [
        top as i32 + style.px(2.0) as i32,
        (top + height) as i32 - style.px(4.0) as i32 - th as i32,
    ];
    let points: Vec<(f64, f64)> = lines.iter().flat_map(|l| axes.line(l.values)).collect();
    let key_y = rows[emptier_row(
        &points,
        right - f64::from(key_width),
        rows.map(|y| (f64::from(y) - 2.0, f64::from(y) + th as f64 + 2.0)),
    )];
    let mut x = right as i32 - style.px(4.0) as i32;
    for (label, colour, dashed) in key.into_iter().filter(|_| keyed) {
        let (tw, _) = root.estimate_text_size(label, &font).map_err(e)?;
        x -= tw as i32;
        root.draw(&Text::new(label, (x, key_y), font.color(&colour)))
            .map_err(e)?;
        if race {
            // A sample of the line before the word: solid for training, dashed for test.
            let y = key_y + th as i32 / 2;
            let from = x - style.px(3.0) as i32 - sample;
            let to = x - style.px(3.0) as i32;
            let stroke = colour.stroke_width(style.px(1.5));
            if dashed {
                root.draw(&DashedPathElement::new(
                    vec![(from, y), (to, y)],
                    style.px(4.0),
                    style.px(3.0),
                    stroke,
                ))
                .map_err(e)?;
            } else {
                root.draw(&PathElement::new(vec![(from, y), (to, y)], stroke))
                    .map_err(e)?;
            }
            x = from;
        }
        x -= style.px(10.0) as i32;
    }
    for l in lines {
        if l.values.is_empty() {
            continue;
        }
        let line: Vec<(i32, i32)> = axes.line(l.values).into_iter().map(px).collect();
        let width = if race && !l.selected { 1.0 } else { 1.5 };
        let stroke = l.colour.stroke_width(style.px(width));
        if l.dashed {
            root.draw(&DashedPathElement::new(
                line,
                style.px(4.0),
                style.px(3.0),
                stroke,
            ))
            .map_err(e)?;
        } else {
            root.draw(&PathElement::new(line, stroke)).map_err(e)?;
        }
        if l.selected {
            if let Some(m) = axes.marker(l.values, current) {
                root.draw(&Circle::new(px(m), style.px(3.5), l.colour.filled()))
                    .map_err(e)?;
            }
        }
    }
    Ok(())
}

/// Which of two rows of the chart (`rows`: top and bottom, each a pixel range of y) fewer of
/// the lines' `points` right of `from` (pixel x) pass through: 0 for the top (on a tie), 1 for
/// the bottom. The key goes there.
fn emptier_row(points: &[(f64, f64)], from: f64, rows: [(f64, f64); 2]) -> usize {
    let count = |(lo, hi): (f64, f64)| {
        points
            .iter()
            .filter(|&&(x, y)| x >= from && (lo..=hi).contains(&y))
            .count()
    };
    usize::from(count(rows[1]) < count(rows[0]))
}

/// The network's layers as columns of nodes, inputs on the left: every weight an edge,
/// orange for positive and blue for negative, as wide as its size relative to the largest.
pub fn draw_network<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    model: &Mlp,
    theta: &[f64],
    style: &Style,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (w, h) = root.dim_in_pixel();
    let mut sizes = vec![2];
    sizes.extend_from_slice(model.hidden());
    sizes.push(1);
    let pad = style.px(16.0) as f64;
    let label = style.px(16.0) as f64;
    let node = |layer: usize, k: usize| -> (i32, i32) {
        let cols = sizes.len() - 1;
        let x = pad + (w as f64 - 2.0 * pad) * layer as f64 / cols as f64;
        let n = sizes[layer];
        let usable = h as f64 - 2.0 * pad - label;
        let y = pad + usable * (k as f64 + 0.5) / n as f64;
        (x.round() as i32, y.round() as i32)
    };
    let tensors = model.tensors();
    let weights: Vec<&crate::network::Tensor> =
        tensors.iter().filter(|t| t.shape.len() == 2).collect();
    let largest = weights
        .iter()
        .flat_map(|t| theta[t.offset..t.offset + t.len()].iter())
        .fold(
            0.0f64,
            |m, v| if v.is_finite() { m.max(v.abs()) } else { m },
        );
    for (layer, t) in weights.iter().enumerate() {
        let (outs, ins) = (t.shape[0], t.shape[1]);
        for o in 0..outs {
            for i in 0..ins {
                let v = theta[t.offset + o * ins + i];
                if !v.is_finite() || largest == 0.0 {
                    continue;
                }
                let share = v.abs() / largest;
                let colour = if v >= 0.0 { POSITIVE } else { NEGATIVE };
                let width = (style.scale * (0.5 + 4.5 * share)).round().max(1.0) as u32;
                root.draw(&PathElement::new(
                    vec![node(layer, i), node(layer + 1, o)],
                    colour.mix(0.25 + 0.75 * share).stroke_width(width),
                ))
                .map_err(e)?;
            }
        }
    }
    let fill = if style.dark {
        RGBColor(50, 54, 62)
    } else {
        RGBColor(250, 250, 250)
    };
    let r = style.px(if sizes.iter().any(|&n| n > 16) {
        3.0
    } else {
        5.0
    });
    for (layer, &n) in sizes.iter().enumerate() {
        for k in 0..n {
            root.draw(&Circle::new(node(layer, k), r, fill.filled()))
                .map_err(e)?;
            root.draw(&Circle::new(node(layer, k), r, style.ink().stroke_width(1)))
                .map_err(e)?;
        }
    }
    // Under each column: what it is.
    let last = sizes.len() - 1;
    for (layer, &n) in sizes.iter().enumerate() {
        let text = match layer {
            0 => "x₁, x₂".to_string(),
            l if l == last => "output".to_string(),
            _ => format!("{n} {}", model.activation().name()),
        };
        let (x, _) = node(layer, 0);
        let y = h as i32 - style.px(4.0) as i32 - label as i32 / 2;
        let font = style.font(11.0);
        let (tw, _) = root.estimate_text_size(&text, &font).map_err(e)?;
        let x = (x - tw as i32 / 2).clamp(0, (w as i32 - tw as i32).max(0));
        root.draw(&Text::new(text, (x, y), font)).map_err(e)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{generate, Activation, DataName, DataSpec};

    /// The key goes where fewer lines pass under it: the bottom for lines ending high, the top
    /// for lines ending low, and for a race with lines at both, the emptier one; points left of
    /// the key do not count.
    #[test]
    fn the_key_goes_where_the_lines_are_not() {
        let rows = [(0.0, 10.0), (90.0, 100.0)];
        let line =
            |y: f64| -> Vec<(f64, f64)> { (0..20).map(|x| (f64::from(x) * 10.0, y)).collect() };
        assert_eq!(emptier_row(&line(5.0), 150.0, rows), 1);
        assert_eq!(emptier_row(&line(95.0), 150.0, rows), 0);
        assert_eq!(emptier_row(&line(50.0), 150.0, rows), 0, "a tie: the top");
        let mut race = line(5.0);
        race.extend(line(5.0));
        race.extend(line(95.0));
        assert_eq!(emptier_row(&race, 150.0, rows), 1);
        // Lines high only left of the key leave its top free.
        let left: Vec<(f64, f64)> = line(5.0).into_iter().filter(|p| p.0 < 150.0).collect();
        let mut mixed = left;
        mixed.extend(line(95.0));
        assert_eq!(emptier_row(&mixed, 150.0, rows), 0);
    }

    /// Per epoch, a series holds the rows at the epochs' ends: row 0, then every k-th; a
    /// last epoch not yet finished is left out.
    #[test]
    fn a_series_per_epoch_is_the_rows_at_the_epochs_ends() {
        let row = |step: usize| Row {
            step,
            train_loss: 1.0 / (1.0 + step as f64),
            test_loss: Some(2.0 / (1.0 + step as f64)),
            train_acc: Some(step as f64 / 100.0),
            test_acc: None,
            lr: None,
            sharpness: None,
        };
        let rows: Vec<Row> = (0..=11).map(row).collect();
        let s = Series::per_epoch(&rows, 5);
        assert_eq!(s.train_loss, [1.0, 1.0 / 6.0, 1.0 / 11.0]);
        assert_eq!(s.test_loss, [2.0, 2.0 / 6.0, 2.0 / 11.0]);
        assert_eq!(s.train_acc, [0.0, 0.05, 0.1]);
        assert!(s.test_acc.is_empty());
        // One step an epoch (the full batch): every row.
        assert_eq!(Series::per_epoch(&rows, 1), Series::of(&rows));
    }

    fn moons() -> Split {
        generate(&DataSpec {
            name: DataName::Moons,
            train: 50,
            test: 50,
            noise: None,
            seed: 0,
        })
        .unwrap()
    }

    #[test]
    fn the_view_holds_every_example() {
        let d = moons();
        let v = input_view(&d);
        for p in d.train.x.iter().chain(&d.test.x) {
            assert!(v.x.0 < p[0] && p[0] < v.x.1 && v.y.0 < p[1] && p[1] < v.y.1);
        }
    }

    #[test]
    fn the_boundary_is_the_networks_probability() {
        let d = moons();
        let m = Mlp::new(&[4], Activation::Tanh, d.task).unwrap();
        let theta = m.init(3);
        let v = input_view(&d);
        let f = boundary_field(&m, &theta, v);
        assert_eq!(f.values[0], m.predict(&theta, [v.x.0, v.y.0]));
        let n = BOUNDARY_GRID;
        assert_eq!(f.values[n * n - 1], m.predict(&theta, [v.x.1, v.y.1]));
        // The colours: class 1's side orange, class 0's blue, ½ white.
        assert_eq!(tint(0.5, false), [255, 255, 255]);
        assert!(tint(1.0, false)[0] > tint(1.0, false)[2]);
        assert!(tint(0.0, false)[2] > tint(0.0, false)[0]);
        let rgba = boundary_rgba(&f, d.task, (0.0, 1.0), 10, 8, false);
        assert_eq!(rgba.len(), 10 * 8 * 4);
    }
}
