//! A trained network as a file: the three views Network mode shows — the decision boundary with
//! the examples, the loss and accuracy per step, the network with its weights — at the run's
//! last step, under a title. `gdviz train --render` writes it. The views are drawn by the same
//! `netview` functions as the page's canvases, on plotters' SVG backend or the tiny-skia one;
//! the boundary's pixels go between the axes and the examples through the figure's `Painter`.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{check_size, drawing, Painter, MARGIN, STYLE};
use crate::contour::Field;
use crate::error::Error;
use crate::netview::{self, Curves, Series};
use crate::network::{Mlp, Split, Training};
use crate::render::Frame;

/// What the figure shows: the network, its data, the run, and the title.
pub struct NetFigure<'a> {
    model: &'a Mlp,
    data: &'a Split,
    training: &'a Training,
    /// The steps the run was asked for (the curves' x axis spans them).
    steps: usize,
    /// The curves per step (`None`), or per epoch of this many steps.
    per_epoch: Option<usize>,
    title: String,
}

/// The boundary's plot: where it is, the output over it and the colours' range.
pub(super) struct Boundary {
    /// Where the plot is in the figure (what the painter takes; the axes' pixel range is the
    /// backend's).
    frame: Frame,
    /// Where it is in its area (what drawing on the area takes: plotters adds the area's
    /// origin to every element).
    local: Frame,
    field: Field,
    range: (f64, f64),
}

impl<'a> NetFigure<'a> {
    /// The figure of `training`, a run of `steps` steps of `model` on `data`, titled `title`.
    pub fn new(
        model: &'a Mlp,
        data: &'a Split,
        training: &'a Training,
        steps: usize,
        title: &str,
    ) -> Self {
        NetFigure {
            model,
            data,
            training,
            steps,
            per_epoch: None,
            title: super::plain_line(title),
        }
    }

    /// The curves at the end of each epoch of `steps` steps ([`Series::per_epoch`]; the full
    /// batch's epoch is one step), their x axis counting epochs.
    pub fn per_epoch(self, steps: usize) -> Self {
        NetFigure {
            per_epoch: Some(steps.max(1)),
            ..self
        }
    }

    /// The figure as a standalone SVG document of `width` × `height` pixels.
    pub fn svg(&self, width: u32, height: u32) -> Result<String, Error> {
        check_size(width, height)?;
        super::layered_svg(self, width, height)
    }

    /// The figure as a PNG image of `width` × `height` pixels.
    pub fn png(&self, width: u32, height: u32) -> Result<Vec<u8>, Error> {
        check_size(width, height)?;
        super::layered_png(self, width, height)
    }

    /// The figure's areas below the title: the boundary on the left (a square where the height
    /// allows), the curves at the top right and the network below them.
    fn areas<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>) -> [DrawingArea<DB, Shift>; 3] {
        let body = super::below_title(root);
        let (bw, bh) = body.dim_in_pixel();
        let left = bh.min(bw / 2).max(1);
        let (boundary, right) = body.split_horizontally(left);
        // The network's labels end at the right edge: a margin keeps them whole.
        let (rw, rh) = right.dim_in_pixel();
        let (right, _) = right.split_horizontally(rw.saturating_sub(MARGIN as u32).max(1));
        let (curves, network) = right.split_vertically(rh * 11 / 20);
        [boundary, curves, network]
    }

    /// The run's last step and the parameters there.
    fn last(&self) -> (usize, &[f64]) {
        let step = self.training.rows.last().map_or(0, |r| r.step);
        (step, &self.training.last)
    }
}

impl super::Layered for NetFigure<'_> {
    type Plot = Boundary;

    /// Draws the boundary's axes, the curves and the network; returns the boundary's plot.
    fn under<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<Boundary, Error> {
        let [boundary, curves, network] = Self::areas(root);
        let (step, theta) = self.last();
        let frame = netview::draw_boundary_axes(&boundary, netview::input_view(self.data), &STYLE)
            .map_err(drawing)?;
        let field = netview::boundary_field(self.model, theta, frame.view);
        let range = netview::value_range(&field, self.data);
        let (series, x_name, k) = match self.per_epoch {
            None => (Series::of(&self.training.rows), "step", 1),
            Some(k) => (Series::per_epoch(&self.training.rows, k), "epoch", k),
        };
        netview::draw_curves(
            &curves,
            &Curves {
                runs: &[series],
                selected: 0,
                steps: self.steps / k,
                x_name,
            },
            step / k,
            &STYLE,
        )
        .map_err(drawing)?;
        netview::draw_network(&network, self.model, theta, &STYLE).map_err(drawing)?;
        Ok(Boundary {
            local: super::local_frame(&frame, &boundary),
            frame,
            field,
            range,
        })
    }

    fn frame(plot: &Self::Plot) -> &Frame {
        &plot.frame
    }

    /// The boundary's pixels and the title.
    fn marks(&self, b: &Boundary, width: u32, p: &mut dyn Painter) {
        let (w, h) = (b.frame.width as usize, b.frame.height as usize);
        if w > 0 && h > 0 {
            let rgba = netview::boundary_rgba(&b.field, self.data.task, b.range, w, h, false);
            p.begin("boundary", true);
            p.image(&rgba, (w, h), (b.frame.left, b.frame.top));
            p.end();
        }
        super::paint_title(&self.title, width, p);
    }

    /// The ½ contour and the examples over the boundary's pixels (a full batch: none ringed).
    fn over<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        b: &Boundary,
    ) -> Result<(), Error> {
        let [boundary, _, _] = Self::areas(root);
        netview::draw_examples(
            &boundary,
            &b.local,
            &b.field,
            self.data,
            &[],
            b.range,
            &STYLE,
        )
        .map_err(drawing)
    }
}
