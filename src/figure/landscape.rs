//! A network's loss landscape as a file: what Network mode's "Loss landscape" shows — the
//! training loss over a plane through the weights with the path projected onto it, the chart
//! that keeps the plane honest (the path's own loss against the plane's at its shadow, and the
//! distance from the plane), and the loss along the straight line from θ₀ to θ_T — at the run's
//! last step, under a title. `gdviz landscape --render` writes it. The views are drawn by the
//! same `landview` functions as the page's canvases; the heatmap and contours go through the
//! figure's `Painter`, under the path and its marks.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{check_size, drawing, polylines, Ink, Painter, Shape, MAX_SIZE};
use super::{MARGIN, STYLE};
use crate::contour::{Field, Levels};
use crate::error::Error;
use crate::landview::{self, Honesty, LineEnds};
use crate::network::Grid;
use crate::render::{self, look, Frame};
use crate::Vec2;

/// What the figure shows, every number computed by the caller from the run and the plane.
pub struct LandFigure<'a> {
    /// The training loss over the plane.
    pub grid: &'a Grid,
    /// The plane's axis names ([`landview::axis_names`]).
    pub axes: [String; 2],
    /// The path's points on the plane, θ₀ first.
    pub path: &'a [Vec2],
    /// For the ends plane: the third run's end on the plane (a ◆ in run 2's colour).
    pub other: Option<Vec2>,
    /// The steps of the path's points, their own training loss, the loss at their shadow on
    /// the plane and their distance from it.
    pub steps: &'a [usize],
    pub path_loss: &'a [f64],
    pub plane_loss: &'a [f64],
    pub distance: &'a [f64],
    /// The line from θ₀ (α = 0) to θ_T (α = 1): its α and the training loss at each.
    pub alphas: &'a [f64],
    pub line: &'a [f64],
    pub title: String,
}

/// The narrowest landscape figure, pixels: the plane and its two charts stand side by side.
pub const MIN_WIDTH: u32 = 640;
/// The charts' column keeps at least this width, pixels (their keys and ticks need it).
const CHARTS_WIDTH: u32 = 260;

/// The figure's size is one a figure takes ([`check_size`]) and at least [`MIN_WIDTH`] wide.
fn check_width(width: u32, height: u32) -> Result<(), Error> {
    check_size(width, height)?;
    if width < MIN_WIDTH {
        return Err(Error::new(
            "width",
            format!(
                "a landscape figure is from {MIN_WIDTH} to {MAX_SIZE} pixels wide (got {width}): its plane and two charts stand side by side"
            ),
        ));
    }
    Ok(())
}

/// The landscape's plot: where it is in the figure and in its area, and what it shows.
pub(super) struct Plot {
    /// Where the plot is in the figure (what the painter takes).
    frame: Frame,
    /// Where it is in its area (what drawing on the area takes).
    local: Frame,
    field: Field,
    levels: Levels,
}

impl LandFigure<'_> {
    /// The figure as a standalone SVG document of `width` × `height` pixels.
    pub fn svg(&self, width: u32, height: u32) -> Result<String, Error> {
        check_width(width, height)?;
        super::layered_svg(self, width, height)
    }

    /// The figure as a PNG image of `width` × `height` pixels.
    pub fn png(&self, width: u32, height: u32) -> Result<Vec<u8>, Error> {
        check_width(width, height)?;
        super::layered_png(self, width, height)
    }

    /// The areas below the title: the landscape on the left, as wide as makes its plot square
    /// where the width allows (the plane's axes are at one scale: a circle on it is round), the
    /// honesty chart at the top right and the line below it.
    fn areas<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>) -> [DrawingArea<DB, Shift>; 3] {
        let body = super::below_title(root);
        let (bw, bh) = body.dim_in_pixel();
        let widest = (bw * 2 / 3).min(bw.saturating_sub(CHARTS_WIDTH)).max(1);
        let left = (1..=widest)
            .find(|&w| {
                let (_, _, pw, ph) = render::layout((w, bh), &STYLE).plot;
                pw >= ph
            })
            .unwrap_or(widest);
        let (plane, right) = body.split_horizontally(left);
        // A figure too narrow for a square of its height gets a shorter one.
        let (at, size) = landview::square_area((left, bh), &STYLE);
        let plane = plane.shrink(at, size);
        let (rw, rh) = right.dim_in_pixel();
        let (right, _) = right.split_horizontally(rw.saturating_sub(MARGIN as u32).max(1));
        let (honesty, line) = right.split_vertically(rh * 3 / 5);
        [plane, honesty, line]
    }
}

impl super::Layered for LandFigure<'_> {
    type Plot = Plot;

    /// Draws the landscape's axes and colour bar, the honesty chart and the line; returns the
    /// landscape's plot.
    fn under<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<Plot, Error> {
        root.fill(&WHITE).map_err(drawing)?;
        let [plane, honesty, line] = Self::areas(root);
        let field = landview::field(self.grid);
        let levels = Levels::choose(&field, render::LEVELS);
        let frame = render::draw_axes(
            &plane,
            field.view,
            (&self.axes[0], &self.axes[1]),
            &levels.scale,
            field.has_undefined(),
            &STYLE,
        )
        .map_err(drawing)?;
        let last = self.steps.last().copied().unwrap_or(0);
        landview::draw_honesty(
            &honesty,
            &Honesty {
                steps: self.steps,
                path_loss: self.path_loss,
                plane_loss: self.plane_loss,
                distance: self.distance,
            },
            last,
            &STYLE,
        )
        .map_err(drawing)?;
        landview::draw_line(&line, self.alphas, self.line, LineEnds::Training, &STYLE)
            .map_err(drawing)?;
        Ok(Plot {
            local: super::local_frame(&frame, &plane),
            frame,
            field,
            levels,
        })
    }

    fn frame(plot: &Self::Plot) -> &Frame {
        &plot.frame
    }

    /// The heatmap and contours, as the page draws them, and the title.
    fn marks(&self, plot: &Plot, width: u32, p: &mut dyn Painter) {
        let frame = &plot.frame;
        let (w, h) = (frame.width as usize, frame.height as usize);
        if w > 0 && h > 0 {
            let rgba = render::heatmap_rgba(&plot.field, &plot.levels.scale, w, h, STYLE.scale);
            p.begin("heatmap", true);
            p.image(&rgba, (w, h), (frame.left, frame.top));
            p.end();
        }
        p.begin("contours", true);
        let ink = Ink::stroke(look::CONTOUR, 1.0);
        for &level in &plot.levels.values {
            let lines = polylines(&crate::contour::segments(&plot.field, level), frame);
            p.shape(&Shape::Lines(&lines), &ink);
        }
        p.end();
        super::paint_title(&super::plain_line(&self.title), width, p);
    }

    /// The path, the point shown (θ_T), θ₀'s square, the ★ at the grid's lowest point and the
    /// third run's ◆, over the heatmap.
    fn over<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        plot: &Plot,
    ) -> Result<(), Error> {
        let [plane, _, _] = Self::areas(root);
        landview::draw_overlay(
            &plane,
            &plot.local,
            &plot.field,
            self.path,
            landview::PATH,
            self.path.last().copied(),
            &STYLE,
        )
        .map_err(drawing)?;
        if let Some(at) = self.other {
            landview::draw_end(&plane, &plot.local, at, render::run_rgb(1), &STYLE)
                .map_err(drawing)?;
        }
        Ok(())
    }
}
