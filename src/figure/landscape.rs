//! A network's loss landscape as a file: what Network mode's "Loss landscape" shows — the
//! training loss over a plane through the weights with the path projected onto it, the chart
//! that keeps the plane honest (the path's own loss against the plane's at its shadow, and the
//! distance from the plane), and the loss along the straight line from θ₀ to θ_T — at the run's
//! last step, under a title. `gdviz landscape --render` writes it. The views are drawn by the
//! same `landview` functions as the page's canvases; the heatmap and contours go through the
//! figure's `Painter`, under the path and its marks.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    check_size, drawing, fit, polylines, raster, svg, Colour, Ink, Painter, Shape, Text, MAX_SIZE,
};
use super::{MARGIN, STYLE, TITLE_FONT, TITLE_LINE};
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
struct Plot {
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
        let mut out = String::with_capacity(64 * 1024);
        let plot = {
            let root = svg::axes(&mut out, (width, height)).into_drawing_area();
            let plot = self.views(&root)?;
            root.present().map_err(drawing)?;
            plot
        };
        // The path and its marks go over the heatmap: drawn on a document of their own, whose
        // elements follow the image.
        let mut overlay = String::new();
        {
            let root = svg::axes(&mut overlay, (width, height)).into_drawing_area();
            self.overlay(&root, &plot)?;
            root.present().map_err(drawing)?;
        }
        let body = overlay
            .split_once('\n')
            .map_or("", |(_, rest)| rest)
            .trim_end()
            .trim_end_matches("</svg>");
        let end = out.rfind("</svg>").unwrap_or(out.len());
        out.truncate(end);
        let mut painter = svg::Painter::new(&mut out, &plot.frame);
        self.marks(&plot, width, &mut painter);
        out.push_str(body);
        out.push_str("</svg>\n");
        Ok(out)
    }

    /// The figure as a PNG image of `width` × `height` pixels.
    pub fn png(&self, width: u32, height: u32) -> Result<Vec<u8>, Error> {
        check_width(width, height)?;
        let mut pixmap = raster::pixmap(width, height);
        let plot = {
            let root = raster::Axes::new(&mut pixmap).into_drawing_area();
            let plot = self.views(&root)?;
            root.present().map_err(drawing)?;
            plot
        };
        {
            let mut painter = raster::Painter::new(&mut pixmap, &plot.frame);
            self.marks(&plot, width, &mut painter);
        }
        {
            let root = raster::Axes::new(&mut pixmap).into_drawing_area();
            self.overlay(&root, &plot)?;
            root.present().map_err(drawing)?;
        }
        Ok(raster::encode(&pixmap))
    }

    /// The areas below the title: the landscape on the left, as wide as makes its plot square
    /// where the width allows (the plane's axes are at one scale: a circle on it is round), the
    /// honesty chart at the top right and the line below it.
    fn areas<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>) -> [DrawingArea<DB, Shift>; 3] {
        let (_, h) = root.dim_in_pixel();
        let head = (MARGIN + TITLE_LINE).round() as u32;
        let (_, body) = root.split_vertically(head.min(h));
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

    /// Draws the landscape's axes and colour bar, the honesty chart and the line; returns the
    /// landscape's plot.
    fn views<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<Plot, Error> {
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
        let (x, y) = plane.get_base_pixel();
        let local = Frame {
            left: frame.left - x as f64,
            top: frame.top - y as f64,
            ..frame
        };
        Ok(Plot {
            frame,
            local,
            field,
            levels,
        })
    }

    /// The path, the point shown (θ_T), θ₀'s square, the ★ at the grid's lowest point and the
    /// third run's ◆, over the heatmap.
    fn overlay<DB: DrawingBackend>(
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
        p.begin("title", false);
        let title = fit(
            &super::plain_line(&self.title),
            TITLE_FONT,
            width as f64 - 2.0 * MARGIN,
        );
        let text = Text::new(TITLE_FONT, Colour::rgb(STYLE.ink())).centred();
        p.text(
            &title,
            (width as f64 / 2.0, MARGIN + 0.8 * TITLE_FONT),
            &text,
        );
        p.end();
    }
}
