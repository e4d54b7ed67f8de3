//! Network mode's loss landscape, without the DOM: the training loss over a plane through
//! parameter space drawn as gdviz draws any surface ([`render::draw_axes`], the heatmap of
//! [`render::heatmap_rgba`], contours by [`render::contour_paths`]) with the run's path projected onto
//! it, the point shown and a ★ at the grid's lowest point; and the chart that keeps the plane
//! honest: the path's own loss against the plane's loss at the path's projection, and each
//! step's distance from the plane. Every number comes from [`crate::network::landscape`].

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::contour::Field;
use crate::format::short;
use crate::linalg::Vec2;
use crate::network::landscape::{self, LineShape};
use crate::network::Grid;
use crate::render::{self, look, stepchart, Frame, Style};
use crate::surface::View;

/// The grid as a field to draw (undefined losses, an overflow, kept out of its range).
pub fn field(grid: &Grid) -> Field {
    let (min, max) = grid
        .loss
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    let (min, max) = if min <= max { (min, max) } else { (0.0, 0.0) };
    let ends = |s: &[f64]| (s[0], s[s.len() - 1]);
    Field {
        nx: grid.xs.len(),
        ny: grid.ys.len(),
        view: View {
            x: ends(&grid.xs),
            y: ends(&grid.ys),
        },
        values: grid.loss.clone(),
        min,
        max,
    }
}

/// The grid point of lowest loss and the loss there (the first of equals), or `None` where no
/// loss is finite.
pub fn lowest(field: &Field) -> Option<(Vec2, f64)> {
    let mut best: Option<(usize, f64)> = None;
    for (k, &v) in field.values.iter().enumerate() {
        if v.is_finite() && best.is_none_or(|(_, b)| v < b) {
            best = Some((k, v));
        }
    }
    best.map(|(k, v)| (field.point(k % field.nx, k / field.nx), v))
}

/// Where in a `size` (device pixels) canvas the landscape's axes go so that its plot is square:
/// the plane's axes share one scale (the PCA and ends directions are orthonormal, the random
/// ones both filter-normalised), so a circle on it must be round. The largest such area,
/// centred: its top-left corner and size. (The axes' layout, [`render::layout`], is a function
/// of the width: a narrower area is searched for, a shorter one computed.)
pub fn square_area(size: (u32, u32), style: &Style) -> ((u32, u32), (u32, u32)) {
    let (w, h) = size;
    let plot = |w: u32, h: u32| {
        let (_, _, pw, ph) = render::layout((w, h), style).plot;
        (pw, ph)
    };
    let (pw, ph) = plot(w, h);
    let narrower = if pw > ph {
        (1..w).rev().find(|&n| {
            let (pw, ph) = plot(n, h);
            pw <= ph
        })
    } else {
        None
    };
    let w2 = narrower.unwrap_or(w);
    let (pw, ph) = plot(w2, h);
    let h2 = h - (ph - pw).clamp(0.0, h as f64) as u32;
    (((w - w2) / 2, (h - h2) / 2), (w2, h2))
}

/// The plane's axis names: the principal directions with the share of the path's variance each
/// explains (`explained`), the ends plane's unit directions (towards θ₀, and towards the end of
/// `other`, e.g. "run 2" in the page or "adam" in the CLI, square to the first), or the random
/// directions.
pub fn axis_names(explained: Option<[f64; 2]>, other: Option<&str>) -> [String; 2] {
    let percent = |v: f64| format!("{}%", crate::format::fixed(v * 100.0, 1));
    match (explained, other) {
        (_, Some(name)) => ["towards θ₀".into(), format!("towards {name}'s end, ⊥")],
        (Some([a, b]), None) => [
            format!("PC1 ({})", percent(a)),
            format!("PC2 ({})", percent(b)),
        ],
        (None, None) => ["random δ₁".into(), "random δ₂".into()],
    }
}

fn rgba(css: (u8, u8, u8, f64)) -> RGBAColor {
    RGBAColor(css.0, css.1, css.2, css.3)
}

/// The run's colour, the first run's.
pub const PATH: RGBColor = RGBColor(0xd9, 0x48, 0x0f);
/// The plane's loss in the chart.
const PLANE: RGBColor = RGBColor(31, 95, 209);

/// Draws the projected `path` in `colour` ([`PATH`] for one run, the run's in a race; θ₀
/// first, a white square at its start), the point shown `current`, and a ★ at the grid's
/// lowest point of `field`, over the heatmap and contours
/// already in `frame` (the contours as [`render::contour_paths`], one path per level, as the
/// surfaces' are drawn: a segment at a time costs a frame).
pub fn draw_overlay<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
    field: &Field,
    path: &[Vec2],
    colour: RGBColor,
    current: Option<Vec2>,
    style: &Style,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |p: Vec2| {
        let (x, y) = frame.to_px(p);
        (x.round() as i32, y.round() as i32)
    };
    let halo = rgba((255, 255, 255, 0.85));
    let line: Vec<(i32, i32)> = path.iter().map(|&p| px(p)).collect();
    root.draw(&PathElement::new(
        line.clone(),
        halo.stroke_width(style.px(look::HALO_WIDTH)),
    ))
    .map_err(e)?;
    root.draw(&PathElement::new(
        line,
        colour.stroke_width(style.px(look::LINE_WIDTH)),
    ))
    .map_err(e)?;
    let ink = RGBColor(0x1b, 0x1e, 0x2b);
    let mark_halo = rgba((255, 255, 255, 0.9));
    if let Some(&start) = path.first() {
        let (x, y) = px(start);
        let h = style.px(look::START_HALF) as i32;
        let corners = [(x - h, y - h), (x + h, y + h)];
        root.draw(&Rectangle::new(
            corners,
            mark_halo.stroke_width(style.px(look::START_WIDTH + look::MARK_HALO_WIDTH)),
        ))
        .map_err(e)?;
        root.draw(&Rectangle::new(corners, WHITE.filled()))
            .map_err(e)?;
        root.draw(&Rectangle::new(
            corners,
            ink.stroke_width(style.px(look::START_WIDTH)),
        ))
        .map_err(e)?;
    }
    if let Some((at, _)) = lowest(field) {
        let (x, y) = frame.to_px(at);
        let s = style.scale;
        let star: Vec<(i32, i32)> = render::star(x, y, look::STAR.0 * s, look::STAR.1 * s)
            .iter()
            .map(|&(a, b)| (a.round() as i32, b.round() as i32))
            .collect();
        let mut closed = star.clone();
        closed.push(star[0]);
        root.draw(&PathElement::new(
            closed.clone(),
            mark_halo.stroke_width(style.px(look::MINIMUM_WIDTH + look::MARK_HALO_WIDTH)),
        ))
        .map_err(e)?;
        root.draw(&Polygon::new(star, WHITE.filled())).map_err(e)?;
        root.draw(&PathElement::new(
            closed,
            ink.stroke_width(style.px(look::MINIMUM_WIDTH)),
        ))
        .map_err(e)?;
    }
    if let Some(p) = current {
        let r = style.px(look::CURRENT_RADIUS - 1.0);
        root.draw(&Circle::new(px(p), r, colour.filled()))
            .map_err(e)?;
        root.draw(&Circle::new(
            px(p),
            r,
            WHITE.stroke_width(style.px(look::RING_WIDTH)),
        ))
        .map_err(e)?;
    }
    Ok(())
}

/// Marks another run's end at `at` with a ◆ in its `colour`, ringed in white (the ends plane
/// goes through it).
pub fn draw_end<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
    at: Vec2,
    colour: RGBColor,
    style: &Style,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (x, y) = frame.to_px(at);
    let h = style.px(look::CURRENT_RADIUS + 1.5) as f64;
    let diamond: Vec<(i32, i32)> = [(0.0, -h), (h, 0.0), (0.0, h), (-h, 0.0)]
        .iter()
        .map(|(dx, dy)| ((x + dx).round() as i32, (y + dy).round() as i32))
        .collect();
    let mut closed = diamond.clone();
    closed.push(diamond[0]);
    root.draw(&Polygon::new(diamond, colour.filled()))
        .map_err(e)?;
    root.draw(&PathElement::new(
        closed,
        WHITE.stroke_width(style.px(look::RING_WIDTH)),
    ))
    .map_err(e)
}

/// A line of a chart: its points, colour and name in the key (none when empty).
type Series<'a> = (Vec<(f64, f64)>, RGBColor, &'a str);

/// One chart of the honesty chart: its area, y name, lines, and x name (none when empty).
type Panel<'a, 'b, DB> = (
    &'b DrawingArea<DB, Shift>,
    &'a str,
    Vec<Series<'a>>,
    &'a str,
);

/// The numbers of the honesty chart, one entry per path point shown.
pub struct Honesty<'a> {
    /// The steps.
    pub steps: &'a [usize],
    /// The run's own training loss at each step.
    pub path_loss: &'a [f64],
    /// The training loss at each step's projection onto the plane (as far as computed).
    pub plane_loss: &'a [f64],
    /// Each step's distance from the plane.
    pub distance: &'a [f64],
}

/// A range around the finite `values` with a twentieth of its span either side (a flat
/// series gets a unit's width).
fn padded(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if lo > hi {
        return (0.0, 1.0);
    }
    let pad = if hi > lo {
        (hi - lo) * 0.05
    } else {
        0.5 * lo.abs().max(1.0)
    };
    (lo - pad, hi + pad)
}

/// Draws [`Honesty`] on `root`: above, the path's loss and the plane's loss at its projection
/// per step; below, the distance from the plane; a line at step `current`.
pub fn draw_honesty<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    h: &Honesty,
    current: usize,
    style: &Style,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let last = h.steps.last().copied().unwrap_or(0).max(1) as f64;
    let (_, height) = root.dim_in_pixel();
    let (top, bottom) = root.split_vertically(height * 3 / 5);
    let xy = |s: &[f64]| -> Vec<(f64, f64)> {
        h.steps
            .iter()
            .zip(s)
            .filter(|(_, v)| v.is_finite())
            .map(|(&k, &v)| (k as f64, v))
            .collect()
    };
    // Each chart's area, y name, lines, and x name (the lower one's only).
    let charts: [Panel<DB>; 2] = [
        (
            &top,
            "loss",
            vec![
                (xy(h.path_loss), PATH, "path"),
                (xy(h.plane_loss), PLANE, "plane at its shadow"),
            ],
            "",
        ),
        (
            &bottom,
            "off plane",
            vec![(xy(h.distance), style.ink(), "")],
            "step",
        ),
    ];
    for (area, name, series, x_name) in charts {
        let y = padded(series.iter().flat_map(|(s, _, _)| s.iter().map(|p| p.1)));
        let chart = stepchart::axes(
            area,
            (0.0, last),
            y,
            (x_name, name),
            3,
            Some(current as f64),
            style,
        )?;
        let plot = chart.plotting_area();
        for (s, colour, _) in &series {
            plot.draw(&PathElement::new(
                s.clone(),
                colour.stroke_width(style.px(1.5)),
            ))
            .map_err(e)?;
        }
        let names: Vec<(&str, RGBAColor)> = series
            .iter()
            .filter(|s| !s.2.is_empty())
            .map(|s| (s.2, s.1.to_rgba()))
            .collect();
        stepchart::key(area, &chart, &names, style)?;
    }
    Ok(())
}

/// Draws the training loss along the straight line from θ₀ (α = 0) to θ_T (α = 1) and beyond
/// (`alphas`, `loss` as far as computed), with the two ends marked: □ at θ₀ as on the plane,
/// ● at θ_T.
pub fn draw_line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    alphas: &[f64],
    loss: &[f64],
    ends: LineEnds,
    style: &Style,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let points: Vec<(f64, f64)> = alphas
        .iter()
        .zip(loss)
        .filter(|(_, v)| v.is_finite())
        .map(|(&a, &v)| (a, v))
        .collect();
    let x = (
        alphas.first().copied().unwrap_or(0.0),
        alphas.last().copied().unwrap_or(1.0),
    );
    let y = padded(points.iter().map(|p| p.1));
    let name = match ends {
        LineEnds::Training => "α (0: θ₀, 1: θ_T)".to_string(),
        LineEnds::Runs(other) => format!("α (0: this run's end, 1: run {}'s)", other + 1),
    };
    let chart = stepchart::axes(root, x, y, (&name, "loss"), 3, None, style)?;
    let plot = chart.plotting_area();
    for end in [0.0, 1.0] {
        plot.draw(&PathElement::new(
            vec![(end, y.0), (end, y.1)],
            style.ink().mix(0.2).stroke_width(style.px(1.0)),
        ))
        .map_err(e)?;
    }
    plot.draw(&PathElement::new(
        points.clone(),
        PATH.stroke_width(style.px(1.5)),
    ))
    .map_err(e)?;
    let size = style.px(4.0) as i32;
    for &(a, v) in &points {
        if let LineEnds::Runs(other) = ends {
            // This run's end ●, the other's ◆ in its colour.
            if a == 0.0 {
                plot.draw(&Circle::new((a, v), size as u32, style.ink().filled()))
                    .map_err(e)?;
            } else if a == 1.0 {
                let d = size + 1;
                let diamond = EmptyElement::at((a, v))
                    + Polygon::new(
                        vec![(0, -d), (d, 0), (0, d), (-d, 0)],
                        render::run_rgb(other).filled(),
                    );
                plot.draw(&diamond).map_err(e)?;
            }
            continue;
        }
        if a == 0.0 {
            let square = EmptyElement::at((a, v))
                + Rectangle::new(
                    [(-size, -size), (size, size)],
                    style.ink().stroke_width(style.px(1.5)),
                );
            plot.draw(&square).map_err(e)?;
        } else if a == 1.0 {
            plot.draw(&Circle::new((a, v), size as u32, style.ink().filled()))
                .map_err(e)?;
        }
    }
    Ok(())
}

/// The smallest barrier, as a share of the higher end's loss, that the caption of a line
/// between two runs' ends calls two basins.
pub const BASIN_BARRIER: f64 = 0.01;

/// Which straight line [`draw_line`] shows: from the run's first weights θ₀ to its last θ_T
/// (Goodfellow et al.), or, on the ends plane of a race, from the run's end to another run's
/// (with that run's index): is there a barrier between where two optimizers ended?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnds {
    Training,
    Runs(usize),
}

/// What [`draw_line`] shows, in words computed from it: the loss at its two ends, how it runs
/// between them ([`landscape::line_shape`]: falling all the way, a barrier above both ends and
/// its height, or its largest rise), and the loss at the line's far ends.
pub fn line_caption(alphas: &[f64], loss: &[f64], ends: LineEnds) -> String {
    let at = |a: f64| {
        alphas
            .iter()
            .position(|&x| x == a)
            .and_then(|i| loss.get(i).copied())
    };
    let other = match ends {
        LineEnds::Training => None,
        LineEnds::Runs(i) => Some(i + 1),
    };
    let (Some(start), Some(end)) = (at(0.0), at(1.0)) else {
        return match other {
            None => "Computing the loss along the straight line from θ₀ to θ_T…".into(),
            Some(k) => format!(
                "Computing the loss along the straight line from this run's end to run {k}'s…"
            ),
        };
    };
    let mut out = match other {
        None => format!(
            "Along the straight line from the initial weights θ₀ (α = 0, □) to the last θ_T (α = 1, ●), the training loss goes from {} to {}",
            short(start),
            short(end)
        ),
        Some(k) => format!(
            "Along the straight line from this run's last weights (α = 0, ●) to run {k}'s (α = 1, ◆), the training loss goes from {} to {}",
            short(start),
            short(end)
        ),
    };
    let between = other.is_some();
    let barrier = |top: (f64, f64), height: f64| {
        format!(
            ", but between them it rises above both ends, to {} at α = {}: a barrier {} high",
            short(top.1),
            short(top.0),
            short(height)
        )
    };
    out += &match landscape::line_shape(alphas, loss) {
        LineShape::NotFinite => ", but it is not finite somewhere between them (the run diverged).".into(),
        s @ (LineShape::Falls | LineShape::Rises | LineShape::Level) if between => format!(
            ", {} all the way: no barrier between the two ends, so along this line the two runs ended in one basin (their ends are linearly connected).",
            match s {
                LineShape::Falls => "falling",
                LineShape::Rises => "rising",
                _ => "level",
            }
        ),
        // Between two ends, a rise within 1% of the higher end is no evidence of two basins.
        LineShape::Barrier { top, height } if between && height < BASIN_BARRIER * start.max(end) => format!(
            "{}, under 1% of the higher end: too small to call the ends two basins.",
            barrier(top, height)
        ),
        LineShape::Barrier { top, height } if between => format!(
            "{}, so along this line the two runs ended in different basins (another, curved path may still join them).",
            barrier(top, height)
        ),
        LineShape::Level => ", level all the way (the run did not move the weights).".into(),
        LineShape::Falls => ", falling all the way: no barrier between them, as Goodfellow et al. (2015) found on many networks.".into(),
        LineShape::Rises => ", rising all the way: the run ended higher than it started.".into(),
        LineShape::Barrier { top, height } => format!("{} on this line.", barrier(top, height)),
        LineShape::Bumpy { from, to } => format!(
            ", not monotonically: it rises from {} at α = {} to {} at α = {}, though never above the higher end.",
            short(from.1),
            short(from.0),
            short(to.1),
            short(to.0)
        ),
    };
    if let (Some(&a0), Some(&a1)) = (alphas.first(), alphas.last()) {
        if let (Some(l0), Some(l1)) = (at(a0), at(a1)) {
            out += &format!(
                " Past the ends it is {} at α = {} and {} at α = {}. Training did not take this line: it is a slice, as the plane is.",
                short(l0),
                short(a0),
                short(l1),
                short(a1)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::data::{generate, DataName, DataSpec};
    use crate::network::landscape::{grid, random_plane};
    use crate::network::{Activation, Mlp, Task};

    /// The landscape's plot is square in every canvas a page or a figure gives it (a phone's,
    /// a wide screen's, at 1× and 2×): the area found fits the canvas, is centred, and loses
    /// no more than it must (its plot is as large as the canvas's shorter side allows).
    #[test]
    fn the_landscape_plot_is_square_in_any_canvas() {
        for scale in [1.0, 2.0] {
            let style = Style { scale, dark: false };
            for size in [
                (560, 490),
                (380, 332),
                (300, 262),
                (622, 528),
                (900, 300),
                (200, 700),
            ] {
                let size = (
                    (size.0 as f64 * scale) as u32,
                    (size.1 as f64 * scale) as u32,
                );
                let ((x, y), (w, h)) = square_area(size, &style);
                let (_, _, pw, ph) = render::layout((w, h), &style).plot;
                assert_eq!(pw, ph, "{size:?} at {scale}×: area {w}×{h}");
                assert!(pw > 0.0 && x + w <= size.0 && y + h <= size.1, "{size:?}");
                assert!(
                    (size.0 - w) / 2 == x && (size.1 - h) / 2 == y,
                    "centred: {size:?}"
                );
                let (_, _, fw, fh) = render::layout(size, &style).plot;
                // (A narrower area may set smaller labels, and so hold a larger plot.)
                assert!(
                    pw >= fw.min(fh),
                    "{size:?} at {scale}×: {pw} is smaller than it must be"
                );
            }
        }
    }

    /// The line's caption reads its numbers: falling all the way, a barrier above both ends,
    /// a bump below the higher one, a rise; nothing claimed before the ends are computed.
    #[test]
    fn the_line_caption_says_what_the_line_shows() {
        let alphas = [-0.5, 0.0, 0.5, 1.0, 1.5];
        let c = line_caption(&alphas, &[3.0, 0.7, 0.4, 0.1, 0.9], LineEnds::Training);
        for part in [
            "goes from 0.7 to 0.1, falling all the way",
            "0.9 at α = 1.5",
            "3 at α = -0.5",
        ] {
            assert!(c.contains(part), "{part:?} in {c}");
        }
        let c = line_caption(&alphas, &[3.0, 0.7, 0.9, 0.1, 0.9], LineEnds::Training);
        assert!(
            c.contains("rises above both ends, to 0.9 at α = 0.5: a barrier 0.2 high"),
            "{c}"
        );
        let c = line_caption(&alphas, &[3.0, 0.7, 0.1, 0.5, 0.9], LineEnds::Training);
        assert!(
            c.contains("rises from 0.1 at α = 0.5 to 0.5 at α = 1, though never above"),
            "{c}"
        );
        let c = line_caption(&alphas, &[3.0, 0.1, 0.4, 0.7, 0.9], LineEnds::Training);
        assert!(c.contains("rising all the way"), "{c}");
        assert!(line_caption(&alphas, &[3.0, 0.7], LineEnds::Training).starts_with("Computing"));
        // Between two runs' ends: one basin or two, along the line.
        let c = line_caption(&alphas, &[3.0, 0.1, 0.2, 0.3, 0.9], LineEnds::Runs(1));
        assert!(
            c.contains("from this run's last weights (α = 0, ●) to run 2's (α = 1, ◆)")
                && c.contains("rising all the way: no barrier between the two ends")
                && c.contains("ended in one basin"),
            "{c}"
        );
        let c = line_caption(&alphas, &[3.0, 0.1, 0.9, 0.3, 0.9], LineEnds::Runs(2));
        assert!(
            c.contains(
                "a barrier 0.6 high, so along this line the two runs ended in different basins"
            ),
            "{c}"
        );
        let c = line_caption(&alphas, &[3.0, 0.1, 0.05, 0.3, 0.9], LineEnds::Runs(2));
        assert!(c.contains("not monotonically"), "{c}");
        // A rise within 1% of the higher end is not called two basins.
        let c = line_caption(&alphas, &[3.0, 0.1, 0.302, 0.3, 0.9], LineEnds::Runs(2));
        assert!(
            c.contains("a barrier 0.002 high, under 1% of the higher end: too small to call")
                && !c.contains("different basins"),
            "{c}"
        );
        let c = line_caption(&alphas, &[3.0, 0.1, 0.304, 0.3, 0.9], LineEnds::Runs(2));
        assert!(c.contains("different basins"), "{c}");
    }

    /// The field is the grid: its corners where the grid's are, its lowest point the grid's
    /// smallest loss, and a grid of odd size has θ_T's loss at its centre.
    #[test]
    fn the_field_is_the_grid_and_its_lowest_point_is_the_smallest_loss() {
        let data = generate(&DataSpec {
            name: DataName::Moons,
            train: 40,
            test: 0,
            noise: None,
            seed: 2,
        })
        .unwrap()
        .train;
        let m = Mlp::new(&[4], Activation::Tanh, Task::Classification).unwrap();
        let theta = m.init(1);
        let plane = random_plane(&m, &theta, 3);
        let g = grid(&m, &data, &plane, (-1.0, 1.0), (-2.0, 2.0), 7).unwrap();
        let f = field(&g);
        assert_eq!(f.view.x, (-1.0, 1.0));
        assert_eq!(f.view.y, (-2.0, 2.0));
        assert_eq!(f.values[3 * 7 + 3], m.full_loss(&theta, &data));
        let (at, v) = lowest(&f).unwrap();
        let smallest = g.loss.iter().copied().fold(f64::INFINITY, f64::min);
        assert_eq!(v, smallest);
        let k = g.loss.iter().position(|&l| l == smallest).unwrap();
        assert_eq!(at, [g.xs[k % 7], g.ys[k / 7]]);
        assert_eq!(
            (f.min, f.max),
            (smallest, g.loss.iter().copied().fold(f64::MIN, f64::max))
        );
        // Undefined losses are never the lowest, nor in the range.
        let mut g2 = g.clone();
        g2.loss[0] = f64::NAN;
        g2.loss[1] = f64::NEG_INFINITY;
        let f2 = field(&g2);
        assert!(f2.min.is_finite() && lowest(&f2).unwrap().1.is_finite());
        g2.loss.fill(f64::NAN);
        assert_eq!(lowest(&field(&g2)), None);
    }

    #[test]
    fn a_padded_range_holds_its_values() {
        assert_eq!(padded([1.0, 3.0].into_iter()), (0.9, 3.1));
        assert_eq!(padded([2.0].into_iter()), (1.0, 3.0));
        assert_eq!(padded([f64::NAN].into_iter()), (0.0, 1.0));
    }
}
