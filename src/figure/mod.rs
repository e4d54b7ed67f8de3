//! Figures of runs as files (native only): the plot the app shows — heatmap, contours, minima,
//! every run's path, the start — with its axes, colour bar and a title, as an SVG document or a
//! PNG image. `gdviz render` writes them (and `network`'s and `landscape`'s, `gdviz train` and
//! `gdviz landscape`).
//!
//! One composition, two painters. The axes and the colour bar are drawn by
//! [`render::draw_axes`] through plotters: on plotters' SVG backend for SVG, on a tiny-skia
//! backend (`raster`) for PNG. The marks on the plot come from what the app draws with
//! ([`render::background_field`], [`render::heatmap_rgba`], [`crate::contour::segments`] —
//! joined into lines, so an SVG's contours are half the size —, [`render::trajectory_pixels`],
//! [`render::look`]) and go to a `Painter`: SVG elements, or
//! anti-aliased pixels with text from an embedded font (`font`), so a PNG reads the same on a
//! machine without fonts.

mod font;
pub mod landscape;
pub mod network;
mod raster;
mod svg;

use std::collections::{HashMap, VecDeque};

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::caption;
use crate::contour::{Field, Levels};
use crate::error::Error;
use crate::options::Options;
use crate::render::{self, look, Frame, Style};
use crate::run::{Status, Trajectory};
use crate::surface::Surface;
use crate::Vec2;

/// The smallest width or height of a figure, pixels: room for the axes, colour bar and a plot.
pub const MIN_SIZE: u32 = 320;
/// The largest width or height of a figure, pixels.
pub const MAX_SIZE: u32 = 4096;
/// The size `gdviz render` draws unless told otherwise: about the app's plot on a laptop.
pub const DEFAULT_SIZE: (u32, u32) = (900, 650);

/// Figures are drawn at one device pixel per CSS pixel, in the light theme.
const STYLE: Style = Style {
    scale: 1.0,
    dark: false,
};
/// Size of the title, pixels per em.
const TITLE_FONT: f64 = 15.0;
/// Size of a race's legend, pixels per em.
const LEGEND_FONT: f64 = 12.0;
/// Space above the title and at the sides of the header, pixels.
const MARGIN: f64 = 10.0;
/// Height of the title's line, pixels.
const TITLE_LINE: f64 = 22.0;
/// Height of each line of the legend, pixels.
const LEGEND_LINE: f64 = 18.0;

/// What a figure shows: the surface and its runs, each run's name, and the title.
pub struct Figure {
    surface: Box<dyn Surface>,
    runs: Vec<Trajectory>,
    names: Vec<String>,
    title: String,
}

impl Figure {
    /// The figure of the runs `opts` describe (one, or one per race entry), with a one-line
    /// title naming the surface, the optimizer and its learning rate, and how the run ended.
    pub fn new(opts: &Options) -> Result<Figure, Error> {
        let (surface, runs) = opts.compute()?;
        let names = caption::names(opts, surface.as_ref());
        let title = caption::title(opts, surface.as_ref(), &runs);
        Ok(Figure {
            surface,
            runs,
            names,
            title,
        })
    }

    /// The title drawn above the plot.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Replaces the title.
    pub fn set_title(&mut self, title: &str) {
        self.title = plain_line(title);
    }

    /// The figure as a standalone SVG document of `width` × `height` pixels.
    pub fn svg(&self, width: u32, height: u32) -> Result<String, Error> {
        check_size(width, height)?;
        let header = self.header(width);
        let (frame, field, levels) = self.background(width, height, &header);
        let mut out = String::with_capacity(64 * 1024);
        let frame = {
            let root = svg::axes(&mut out, (width, height)).into_drawing_area();
            let frame = self.axes(&root, &frame, &field, &levels, header.height)?;
            root.present().map_err(drawing)?;
            frame
        };
        // Plotters has closed the document; the marks go before its end.
        let end = out.rfind("</svg>").unwrap_or(out.len());
        out.truncate(end);
        let mut painter = svg::Painter::new(&mut out, &frame);
        self.marks(&field, &levels, &frame, &header, &mut painter);
        out.push_str("</svg>\n");
        Ok(out)
    }

    /// The figure as a PNG image of `width` × `height` pixels.
    pub fn png(&self, width: u32, height: u32) -> Result<Vec<u8>, Error> {
        check_size(width, height)?;
        let header = self.header(width);
        let (frame, field, levels) = self.background(width, height, &header);
        let mut pixmap = raster::pixmap(width, height);
        let frame = {
            let root = raster::Axes::new(&mut pixmap).into_drawing_area();
            let frame = self.axes(&root, &frame, &field, &levels, header.height)?;
            root.present().map_err(drawing)?;
            frame
        };
        let mut painter = raster::Painter::new(&mut pixmap, &frame);
        self.marks(&field, &levels, &frame, &header, &mut painter);
        Ok(raster::encode(&pixmap))
    }

    /// Where the plot sits in a `width` × `height` figure, and the view it shows (the surface's,
    /// padded to equal scales where its parameters are alike): the same for SVG and PNG.
    pub fn frame(&self, width: u32, height: u32) -> Result<Frame, Error> {
        check_size(width, height)?;
        let header = self.header(width);
        let (frame, field, levels) = self.background(width, height, &header);
        let mut scratch = String::new();
        let root = svg::axes(&mut scratch, (width, height)).into_drawing_area();
        self.axes(&root, &frame, &field, &levels, header.height)
    }

    /// The plot's frame below the header, and the field sampled over its whole view.
    fn background(&self, width: u32, height: u32, header: &Header) -> (Frame, Field, Levels) {
        let top = (header.height.round() as u32).min(height);
        let (mut frame, field, levels) =
            render::background(self.surface.as_ref(), (width, height - top), &STYLE);
        frame.top += top as f64;
        (frame, field, levels)
    }

    /// The white page and, below the header, the axes and colour bar of `frame`'s view; where
    /// the plot is (`frame`'s rectangle: the layout is a function of the size).
    fn axes<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        frame: &Frame,
        field: &Field,
        levels: &Levels,
        header: f64,
    ) -> Result<Frame, Error> {
        root.fill(&WHITE).map_err(drawing)?;
        let (_, body) = root.split_vertically(header.round() as u32);
        let drawn = render::draw_axes(
            &body,
            frame.view,
            self.surface.axis_names(),
            &levels.scale,
            field.has_undefined(),
            &STYLE,
        )
        .map_err(drawing)?;
        debug_assert_eq!(&drawn, frame, "the axes are where the layout put them");
        Ok(drawn)
    }

    /// The title, fitted to the width; for a race a legend of the runs in their colours; and a
    /// key of the marks on the plot: laid out in as many centred lines as they need.
    fn header(&self, width: u32) -> Header {
        let room = width as f64 - 2.0 * MARGIN;
        let title = fit(&self.title, TITLE_FONT, room);
        let mut legend = Vec::new();
        let mut y = MARGIN + TITLE_LINE;
        // Each entry: a swatch, a gap, the text, and space before the next entry.
        let swatch = 2.0 * look::CURRENT_RADIUS + 6.0;
        let gap = 20.0;
        let entry = |what: Swatch, text: &str| {
            let text = fit(text, LEGEND_FONT, room - swatch);
            let w = swatch + font::width(&text, LEGEND_FONT);
            (what, text, w)
        };
        let mut groups: Vec<Vec<(Swatch, String, f64)>> = Vec::new();
        if self.runs.len() > 1 {
            let runs = self.names.iter().zip(&self.runs).enumerate();
            groups.push(
                runs.map(|(i, (name, t))| {
                    entry(Swatch::Run(i), &format!("{name}: {}", caption::status(t)))
                })
                .collect(),
            );
        }
        groups.push(
            render::key(self.surface.minima())
                .iter()
                .map(|k| entry(Swatch::Mark(k.mark), k.meaning))
                .collect(),
        );
        for entries in groups {
            let mut line: Vec<(Swatch, String, f64)> = Vec::new();
            let mut flush = |line: &mut Vec<(Swatch, String, f64)>, y: &mut f64| {
                let total: f64 =
                    line.iter().map(|e| e.2).sum::<f64>() + gap * (line.len() - 1) as f64;
                let mut x = (width as f64 - total) / 2.0;
                for (what, text, w) in line.drain(..) {
                    legend.push(LegendEntry {
                        what,
                        x,
                        y: *y + LEGEND_LINE / 2.0,
                        text,
                    });
                    x += w + gap;
                }
                *y += LEGEND_LINE;
            };
            for e in entries {
                let used: f64 = line.iter().map(|e| e.2 + gap).sum();
                if !line.is_empty() && used + e.2 > room {
                    flush(&mut line, &mut y);
                }
                line.push(e);
            }
            flush(&mut line, &mut y);
        }
        Header {
            width: width as f64,
            title,
            legend,
            height: y + 2.0,
        }
    }

    /// Everything on and above the plot, in the app's order: heatmap and contours (the app's
    /// background), then the runs (the first on top), the minima and the start above every path,
    /// and the divergence label (its overlay), then the header.
    fn marks<P: Painter>(
        &self,
        field: &Field,
        levels: &Levels,
        frame: &Frame,
        header: &Header,
        p: &mut P,
    ) {
        let (w, h) = (frame.width as usize, frame.height as usize);
        p.begin("heatmap", true);
        if w > 0 && h > 0 {
            let rgba = render::heatmap_rgba(field, &levels.scale, w, h, STYLE.scale);
            p.image(&rgba, (w, h), (frame.left, frame.top));
        }
        p.end();

        // One path per level, as the app strokes them, with the segments of marching squares
        // joined into lines: half the size of a path with a move per segment.
        p.begin("contours", true);
        let ink = Ink::stroke(look::CONTOUR, 1.0);
        for &level in &levels.values {
            let lines = polylines(&crate::contour::segments(field, level), frame);
            p.shape(&Shape::Lines(&lines), &ink);
        }
        p.end();

        // Later runs first, so the first run is on top, as in the app.
        for (i, t) in self.runs.iter().enumerate().rev() {
            p.begin(&format!("run run-{i}"), true);
            self.path(t, render::run_colour(i), frame, p);
            p.end();
        }

        // The marks above every path, each on a white halo: a run that ends on a minimum
        // leaves it visible.
        p.begin("minima", true);
        for m in self.surface.minima() {
            let (x, y) = frame.to_px(m.at);
            let mark = if m.global {
                render::Mark::Global
            } else {
                render::Mark::Local
            };
            mark_shape(mark, (x, y), 1.0, true, p);
        }
        p.end();

        p.begin("start", true);
        let (sx, sy) = frame.to_px(self.runs[0].points[0]);
        mark_shape(render::Mark::Start, (sx, sy), 1.0, true, p);
        p.end();

        // A run's last point under a mark shows as a ring around the mark.
        let marks: Vec<(f64, f64)> = self
            .surface
            .minima()
            .iter()
            .map(|m| frame.to_px(m.at))
            .chain([(sx, sy)])
            .collect();
        p.begin("under-marks", true);
        for (i, t) in self.runs.iter().enumerate().rev() {
            let at = frame.to_px(t.last());
            if render::under_a_mark(at, &marks, 1.0) {
                let ring = Shape::Circle(at, render::RING_AROUND);
                p.shape(
                    &ring,
                    &Ink::stroke(look::HALO, 2.0 * render::RING_AROUND_WIDTH),
                );
                p.shape(
                    &ring,
                    &Ink::stroke(render::run_colour(i), render::RING_AROUND_WIDTH),
                );
            }
        }
        p.end();

        let first = &self.runs[0];
        if let Status::Diverged { step } = first.status {
            // The app's bold label; DejaVu Sans Bold is about a tenth wider than the regular.
            let size = look::DIVERGED_FONT;
            let measure = |t: &str| 1.1 * font::width(t, size);
            let label = render::divergence_label(frame, first.last(), step, measure, 1.0);
            p.begin("diverged", false);
            let (x, y, w, h) = label.rect;
            p.shape(
                &Shape::Rect((x, y), (w, h)),
                &Ink::fill(look::DIVERGED_FILL),
            );
            let baseline = label.y + 0.5 * font::x_height() * size;
            let text = Text::new(size, Colour::WHITE).bold();
            p.text(&label.text, (label.x, baseline), &text);
            p.end();
        }

        p.begin("title", false);
        let ink = Colour::rgb(STYLE.ink());
        let text = Text::new(TITLE_FONT, ink).centred();
        p.text(
            &header.title,
            (header.width / 2.0, MARGIN + 0.8 * TITLE_FONT),
            &text,
        );
        p.end();
        if !header.legend.is_empty() {
            p.begin("legend", false);
            let baseline = 0.5 * font::x_height() * LEGEND_FONT;
            let r = look::CURRENT_RADIUS;
            for e in &header.legend {
                let centre = (e.x + r, e.y);
                let colour = match e.what {
                    Swatch::Run(i) => {
                        let colour = render::run_colour(i);
                        let ink = Ink {
                            fill: Some(Colour::css(colour)),
                            stroke: Some((Colour::css(look::MARKER_INK), 1.0)),
                            round: false,
                        };
                        p.shape(&Shape::Circle(centre, r - 1.0), &ink);
                        ink_of(colour)
                    }
                    Swatch::Mark(mark) => {
                        mark_shape(mark, centre, 1.0, false, p);
                        Colour::rgb(STYLE.ink())
                    }
                };
                let text = Text::new(LEGEND_FONT, colour);
                p.text(&e.text, (e.x + 2.0 * r + 6.0, e.y + baseline), &text);
            }
            p.end();
        }
    }

    /// One run's path as the app draws it: a white halo under a line in the run's colour, a dot
    /// per step (merged where steps pile up), and the last point as a large ringed dot.
    fn path<P: Painter>(&self, t: &Trajectory, colour: &str, frame: &Frame, p: &mut P) {
        let k = t.steps();
        let px = render::trajectory_pixels(&t.points, k, frame, look::DOT_SPACING);
        let mut halo = Ink::stroke(look::HALO, look::HALO_WIDTH);
        halo.round = true;
        p.shape(&Shape::Lines(&px.runs), &halo);
        let mut line = Ink::stroke(colour, look::LINE_WIDTH);
        line.round = true;
        p.shape(&Shape::Lines(&px.runs), &line);
        let dot = Ink::fill(colour);
        for &i in &px.dots {
            p.shape(
                &Shape::Circle(frame.to_px(t.points[i]), look::DOT_RADIUS),
                &dot,
            );
        }
        let last = Ink {
            fill: Some(Colour::css(colour)),
            stroke: Some((Colour::WHITE, look::RING_WIDTH)),
            round: false,
        };
        p.shape(
            &Shape::Circle(frame.to_px(t.points[k]), look::CURRENT_RADIUS),
            &last,
        );
    }
}

/// A mark centred at `at`, `s` pixels per CSS pixel, as the app draws it: a white star (global
/// minimum), a pale disc (local minimum), a white square (start) or the first run's ringed dot
/// (the point shown), each on a white halo when `halo` (on the plot; not in the key).
fn mark_shape<P: Painter>(mark: render::Mark, at: (f64, f64), s: f64, halo: bool, p: &mut P) {
    let (x, y) = at;
    let ink = |fill: Colour, width: f64| Ink {
        fill: Some(fill),
        stroke: Some((Colour::css(look::MARKER_INK), width * s)),
        round: false,
    };
    let halo_ink = |width: f64| Ink::stroke(look::MARK_HALO, (width + look::MARK_HALO_WIDTH) * s);
    match mark {
        render::Mark::Global => {
            let star = render::star(x, y, look::STAR.0 * s, look::STAR.1 * s);
            if halo {
                p.shape(&Shape::Polygon(&star), &halo_ink(look::MINIMUM_WIDTH));
            }
            p.shape(
                &Shape::Polygon(&star),
                &ink(Colour::WHITE, look::MINIMUM_WIDTH),
            );
        }
        render::Mark::Local => {
            let disc = Shape::Circle((x, y), look::LOCAL_RADIUS * s);
            if halo {
                p.shape(&disc, &halo_ink(look::MINIMUM_WIDTH));
            }
            p.shape(
                &disc,
                &ink(Colour::css(look::LOCAL_FILL), look::MINIMUM_WIDTH),
            );
        }
        render::Mark::Start => {
            let half = look::START_HALF * s;
            let square = Shape::Rect((x - half, y - half), (2.0 * half, 2.0 * half));
            if halo {
                p.shape(&square, &halo_ink(look::START_WIDTH));
            }
            p.shape(&square, &ink(Colour::WHITE, look::START_WIDTH));
        }
        render::Mark::Current => {
            let dot = Ink {
                fill: Some(Colour::css(render::run_colour(0))),
                stroke: Some((Colour::css(look::MARKER_INK), s)),
                round: false,
            };
            p.shape(
                &Shape::Circle((x, y), (look::CURRENT_RADIUS - 1.0) * s),
                &dot,
            );
        }
    }
}

/// Darker text in a run's colour for the legend: the colours themselves are made to read as
/// lines over a white halo, and text is thinner.
fn ink_of(colour: &str) -> Colour {
    let c = Colour::css(colour);
    let dark = |v: u8| (v as f64 * 0.8).round() as u8;
    Colour {
        r: dark(c.r),
        g: dark(c.g),
        b: dark(c.b),
        a: 1.0,
    }
}

/// `text` cut with an ellipsis to at most `room` pixels at `size`.
fn fit(text: &str, size: f64, room: f64) -> String {
    if font::width(text, size) <= room {
        return text.to_string();
    }
    // The longest prefix that fits with its ellipsis, found by bisection over the characters
    // (a prefix's width grows with its length): a few measurements, not one per character.
    let chars: Vec<char> = text.chars().collect();
    let cut = |n: usize| chars[..n].iter().collect::<String>().trim_end().to_string() + "…";
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if font::width(&cut(mid), size) <= room {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    if lo == 0 && font::width("…", size) > room {
        return String::new();
    }
    cut(lo)
}

/// The size of `text` at `size` pixels per em as the app's canvas measures text (its advance,
/// a line of 1.2 em), with the embedded font: a figure is laid out like the app's plot.
fn measure(text: &str, size: f64) -> (u32, u32) {
    (
        font::width(text, size).ceil() as u32,
        (1.2 * size).ceil() as u32,
    )
}

/// `text` as one line of characters every output can hold: line breaks and tabs become spaces,
/// and what XML 1.0 forbids (the other control characters, U+FFFE, U+FFFF) is dropped, so a
/// title never makes an SVG that is not XML.
fn plain_line(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            '\u{FFFE}' | '\u{FFFF}' => None,
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn check_size(width: u32, height: u32) -> Result<(), Error> {
    for (name, v) in [("width", width), ("height", height)] {
        if !(MIN_SIZE..=MAX_SIZE).contains(&v) {
            return Err(Error::new(
                name,
                format!("must be from {MIN_SIZE} to {MAX_SIZE} pixels (got {v})"),
            ));
        }
    }
    Ok(())
}

fn drawing(e: impl std::fmt::Display) -> Error {
    Error::new("out", format!("cannot draw the figure: {e}"))
}

/// The header's layout: the fitted title, and the legend's entries.
struct Header {
    /// The figure's width, pixels.
    width: f64,
    title: String,
    legend: Vec<LegendEntry>,
    /// Its height, pixels: the axes start below it.
    height: f64,
}

/// What stands before an entry of the legend.
#[derive(Debug, Clone, Copy)]
enum Swatch {
    /// A dot in the colour of run i.
    Run(usize),
    /// A mark of the plot, for the key.
    Mark(render::Mark),
}

/// One entry of the legend: its swatch's left end and the line's middle.
struct LegendEntry {
    what: Swatch,
    x: f64,
    y: f64,
    text: String,
}

/// A colour with its opacity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Colour {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    /// Opacity, 0 to 1.
    pub a: f64,
}

impl Colour {
    const WHITE: Colour = Colour {
        r: 255,
        g: 255,
        b: 255,
        a: 1.0,
    };

    fn rgb(c: RGBColor) -> Colour {
        Colour {
            r: c.0,
            g: c.1,
            b: c.2,
            a: 1.0,
        }
    }

    /// A CSS colour as the app writes them: `#rrggbb` or `rgba(r, g, b, a)` (black if neither).
    fn css(text: &str) -> Colour {
        let black = Colour {
            r: 0,
            g: 0,
            b: 0,
            a: 1.0,
        };
        if let Some(hex) = text.strip_prefix('#') {
            let byte = |i: usize| {
                hex.get(i..i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            };
            return match (byte(0), byte(2), byte(4)) {
                (Some(r), Some(g), Some(b)) => Colour { r, g, b, a: 1.0 },
                _ => black,
            };
        }
        let inner = text.strip_prefix("rgba(").and_then(|t| t.strip_suffix(')'));
        let parts: Vec<f64> = inner
            .map(|t| t.split(',').filter_map(|v| v.trim().parse().ok()).collect())
            .unwrap_or_default();
        match parts.as_slice() {
            [r, g, b, a] => Colour {
                r: *r as u8,
                g: *g as u8,
                b: *b as u8,
                a: a.clamp(0.0, 1.0),
            },
            _ => black,
        }
    }
}

/// How a shape is filled and outlined.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ink {
    fill: Option<Colour>,
    /// The outline's colour and width.
    stroke: Option<(Colour, f64)>,
    /// Round joins and ends (the paths); square ends and mitred corners otherwise.
    round: bool,
}

impl Ink {
    fn fill(css: &str) -> Ink {
        Ink {
            fill: Some(Colour::css(css)),
            stroke: None,
            round: false,
        }
    }

    fn stroke(css: &str, width: f64) -> Ink {
        Ink {
            fill: None,
            stroke: Some((Colour::css(css), width)),
            round: false,
        }
    }
}

/// A shape in pixels.
pub(crate) enum Shape<'a> {
    /// Polylines.
    Lines(&'a [Vec<(f64, f64)>]),
    /// A circle: centre and radius.
    Circle((f64, f64), f64),
    /// A rectangle: top-left corner and size.
    Rect((f64, f64), (f64, f64)),
    /// A closed polygon.
    Polygon(&'a [(f64, f64)]),
}

/// How a line of text is set: size (pixels per em), colour, weight and where it hangs from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Text {
    size: f64,
    colour: Colour,
    bold: bool,
    /// Centred on the position's x; else starting there.
    centred: bool,
}

impl Text {
    fn new(size: f64, colour: Colour) -> Text {
        Text {
            size,
            colour,
            bold: false,
            centred: false,
        }
    }

    fn bold(self) -> Text {
        Text { bold: true, ..self }
    }

    fn centred(self) -> Text {
        Text {
            centred: true,
            ..self
        }
    }
}

/// Where the marks of a figure go: SVG elements ([`svg::Painter`]) or pixels
/// ([`raster::Painter`]).
pub(crate) trait Painter {
    /// Starts a group of marks (an SVG `<g class>`), clipped to the plot if `clip`.
    fn begin(&mut self, class: &str, clip: bool);
    /// Ends the group begun last.
    fn end(&mut self);
    /// An opaque RGBA image of `size` pixels with its top-left corner at `at`.
    fn image(&mut self, rgba: &[u8], size: (usize, usize), at: (f64, f64));
    /// A shape.
    fn shape(&mut self, shape: &Shape, ink: &Ink);
    /// A line of text with its baseline at `at`'s y.
    fn text(&mut self, text: &str, at: (f64, f64), style: &Text);
}

/// A figure drawn in three layers: plotters' axes and charts, then the painter's marks (a
/// heatmap's pixels, contours, the title), then plotters' drawing over them (examples, a path and
/// its marks). `Network` and `Landscape` figures are; [`layered_svg`] and [`layered_png`] write
/// them.
trait Layered {
    /// What the first layer leaves for the others (where its plot is, what it shows).
    type Plot;
    /// Draws the first layer on `root`.
    fn under<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>)
        -> Result<Self::Plot, Error>;
    /// The plot rectangle the marks are clipped to.
    fn frame(plot: &Self::Plot) -> &Frame;
    /// Paints the second layer.
    fn marks(&self, plot: &Self::Plot, width: u32, p: &mut dyn Painter);
    /// Draws the third layer on `root`.
    fn over<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        plot: &Self::Plot,
    ) -> Result<(), Error>;
}

/// A layered figure's area below its title line.
fn below_title<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>) -> DrawingArea<DB, Shift> {
    let (_, h) = root.dim_in_pixel();
    let head = (MARGIN + TITLE_LINE).round() as u32;
    root.split_vertically(head.min(h)).1
}

/// `frame` (in the figure's pixels, as the axes return it) in `area`'s own pixels, where drawing
/// on the area takes it (plotters adds the area's origin to every element).
fn local_frame<DB: DrawingBackend>(frame: &Frame, area: &DrawingArea<DB, Shift>) -> Frame {
    let (x, y) = area.get_base_pixel();
    Frame {
        left: frame.left - x as f64,
        top: frame.top - y as f64,
        ..*frame
    }
}

/// A layered figure's one-line title, centred at the top of a figure `width` pixels wide (cut
/// with an ellipsis to fit).
fn paint_title(title: &str, width: u32, p: &mut dyn Painter) {
    p.begin("title", false);
    let title = fit(title, TITLE_FONT, width as f64 - 2.0 * MARGIN);
    let text = Text::new(TITLE_FONT, Colour::rgb(STYLE.ink())).centred();
    p.text(
        &title,
        (width as f64 / 2.0, MARGIN + 0.8 * TITLE_FONT),
        &text,
    );
    p.end();
}

/// A layered figure as a standalone SVG document of `width` × `height` pixels (a size already
/// checked).
fn layered_svg<L: Layered>(figure: &L, width: u32, height: u32) -> Result<String, Error> {
    let mut out = String::with_capacity(64 * 1024);
    let plot = {
        let root = svg::axes(&mut out, (width, height)).into_drawing_area();
        let plot = figure.under(&root)?;
        root.present().map_err(drawing)?;
        plot
    };
    // The third layer goes over the marks: drawn on a document of its own, whose elements
    // follow them.
    let mut over = String::new();
    {
        let root = svg::axes(&mut over, (width, height)).into_drawing_area();
        figure.over(&root, &plot)?;
        root.present().map_err(drawing)?;
    }
    let body = over
        .split_once('\n')
        .map_or("", |(_, rest)| rest)
        .trim_end()
        .trim_end_matches("</svg>");
    let end = out.rfind("</svg>").unwrap_or(out.len());
    out.truncate(end);
    let mut painter = svg::Painter::new(&mut out, L::frame(&plot));
    figure.marks(&plot, width, &mut painter);
    out.push_str(body);
    out.push_str("</svg>\n");
    Ok(out)
}

/// A layered figure as a PNG image of `width` × `height` pixels (a size already checked).
fn layered_png<L: Layered>(figure: &L, width: u32, height: u32) -> Result<Vec<u8>, Error> {
    let mut pixmap = raster::pixmap(width, height);
    let plot = {
        let root = raster::Axes::new(&mut pixmap).into_drawing_area();
        let plot = figure.under(&root)?;
        root.present().map_err(drawing)?;
        plot
    };
    {
        let mut painter = raster::Painter::new(&mut pixmap, L::frame(&plot));
        figure.marks(&plot, width, &mut painter);
    }
    {
        let root = raster::Axes::new(&mut pixmap).into_drawing_area();
        figure.over(&root, &plot)?;
        root.present().map_err(drawing)?;
    }
    Ok(raster::encode(&pixmap))
}

/// Contour segments in pixels, joined into polylines where they share an end (marching squares
/// gives the two cells beside an edge the same crossing).
fn polylines(segments: &[[Vec2; 2]], frame: &Frame) -> Vec<Vec<(f64, f64)>> {
    // Ends are matched to a tenth of a pixel, the precision the SVG is written with.
    let key = |p: (f64, f64)| ((p.0 * 10.0).round() as i64, (p.1 * 10.0).round() as i64);
    let px: Vec<[(f64, f64); 2]> = segments
        .iter()
        .map(|[a, b]| [frame.to_px(*a), frame.to_px(*b)])
        .collect();
    let mut at: HashMap<(i64, i64), Vec<usize>> = HashMap::with_capacity(2 * px.len());
    for (i, s) in px.iter().enumerate() {
        for &p in s {
            at.entry(key(p)).or_default().push(i);
        }
    }
    let mut used = vec![false; px.len()];
    let mut lines = Vec::new();
    for i in 0..px.len() {
        if used[i] {
            continue;
        }
        used[i] = true;
        let mut line = VecDeque::from(px[i]);
        for forward in [true, false] {
            loop {
                let end = if forward {
                    line[line.len() - 1]
                } else {
                    line[0]
                };
                let next = at[&key(end)].iter().copied().find(|&j| !used[j]);
                let Some(j) = next else { break };
                used[j] = true;
                let [a, b] = px[j];
                let other = if key(a) == key(end) { b } else { a };
                if forward {
                    line.push_back(other);
                } else {
                    line.push_front(other);
                }
            }
        }
        lines.push(Vec::from(line));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_colours_as_the_app_writes_them() {
        assert_eq!(
            Colour::css("#d9480f"),
            Colour {
                r: 0xd9,
                g: 0x48,
                b: 0x0f,
                a: 1.0
            }
        );
        assert_eq!(
            Colour::css(look::CONTOUR),
            Colour {
                r: 20,
                g: 24,
                b: 48,
                a: 0.42
            }
        );
        assert_eq!(Colour::css("nonsense").a, 1.0);
    }

    #[test]
    fn contour_segments_join_into_lines() {
        let frame = Frame {
            view: crate::View {
                x: (0.0, 10.0),
                y: (0.0, 10.0),
            },
            left: 0.0,
            top: 0.0,
            width: 10.0,
            height: 10.0,
        };
        // Two chains given out of order and reversed, and a loop.
        let segs = [
            [[2.0, 0.0], [1.0, 0.0]],
            [[5.0, 5.0], [6.0, 5.0]],
            [[0.0, 0.0], [1.0, 0.0]],
            [[2.0, 0.0], [3.0, 0.0]],
            [[6.0, 5.0], [6.0, 6.0]],
            [[6.0, 6.0], [5.0, 5.0]],
        ];
        let lines = polylines(&segs, &frame);
        assert_eq!(lines.len(), 2);
        let mut xs: Vec<f64> = lines[0].iter().map(|p| p.0).collect();
        if xs[0] > xs[3] {
            xs.reverse();
        }
        assert_eq!(xs, [0.0, 1.0, 2.0, 3.0]);
        assert_eq!(lines[1].len(), 4);
        assert_eq!(lines[1][0], lines[1][3]);
        // Every segment is drawn once: a level's segment count is its lines' point count less
        // one per line.
        let s = crate::surface::by_name("himmelblau").unwrap();
        let (field, levels) = render::background_field(s.as_ref(), s.view());
        let frame = Frame {
            view: s.view(),
            width: 600.0,
            height: 500.0,
            ..frame
        };
        let (mut all_lines, mut all_segments) = (0, 0);
        for &l in &levels.values {
            let segs = crate::contour::segments(&field, l);
            let lines = polylines(&segs, &frame);
            let drawn: usize = lines.iter().map(|l| l.len() - 1).sum();
            assert_eq!(drawn, segs.len());
            all_lines += lines.len();
            all_segments += segs.len();
        }
        // Closed curves and lines across the view: a few lines per level, not a line a segment.
        assert!(all_lines * 20 < all_segments, "{all_lines} lines");
    }

    #[test]
    fn long_titles_are_cut_to_fit() {
        let long = "a very long title ".repeat(20);
        let cut = fit(&long, 15.0, 300.0);
        assert!(cut.ends_with('…') && font::width(&cut, 15.0) <= 300.0);
        assert_eq!(fit("short", 15.0, 300.0), "short");
    }
}
