//! The PNG figure: a plotters backend and a painter on a tiny-skia pixmap (anti-aliased, like
//! the app's canvas), text drawn from the embedded font's outlines, and PNG encoding.
//!
//! The backend follows plotters' SVG backend (the same shapes, the same text anchors), so a PNG
//! and an SVG of a figure have their axes in the same places.

use plotters::prelude::DrawingBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
    FontTransform,
};
use tiny_skia::{
    FillRule, IntSize, LineCap, LineJoin, Mask, Paint, Path, PathBuilder, Pixmap, PixmapPaint,
    Rect, Stroke, Transform,
};

use super::{font, Colour, Ink, Shape, Text};
use crate::render::Frame;

/// A transparent `width` × `height` pixmap, for the axes to paint white (the sizes are checked
/// by the caller).
pub(super) fn pixmap(width: u32, height: u32) -> Pixmap {
    Pixmap::new(width, height).expect("a figure's size is checked")
}

/// Encodes 8-bit RGB pixels, row by row from the top, as a PNG.
pub(super) fn encode_rgb(rgb: &[u8], width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(rgb.len() / 4);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .and_then(|mut w| w.write_image_data(rgb))
        .expect("pixels of the stated size encode into memory");
    out
}

/// The pixmap as a PNG. Figures are drawn on an opaque page, so only RGB is kept.
pub(super) fn encode(pixmap: &Pixmap) -> Vec<u8> {
    let rgb: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue()]
        })
        .collect();
    encode_rgb(&rgb, pixmap.width(), pixmap.height())
}

fn solid(r: u8, g: u8, b: u8, a: f64) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color_rgba8(r, g, b, (a.clamp(0.0, 1.0) * 255.0).round() as u8);
    paint.anti_alias = true;
    paint
}

fn backend_paint(c: BackendColor) -> Paint<'static> {
    solid(c.rgb.0, c.rgb.1, c.rgb.2, c.alpha)
}

fn colour_paint(c: Colour) -> Paint<'static> {
    solid(c.r, c.g, c.b, c.a)
}

fn stroke(width: f64, round: bool) -> Stroke {
    let mut s = Stroke {
        width: width as f32,
        ..Stroke::default()
    };
    if round {
        s.line_cap = LineCap::Round;
        s.line_join = LineJoin::Round;
    }
    s
}

fn polyline(points: impl IntoIterator<Item = (f64, f64)>, close: bool) -> Option<Path> {
    let mut pb = PathBuilder::new();
    for (k, (x, y)) in points.into_iter().enumerate() {
        if k == 0 {
            pb.move_to(x as f32, y as f32);
        } else {
            pb.line_to(x as f32, y as f32);
        }
    }
    if close {
        pb.close();
    }
    pb.finish()
}

fn coords(points: impl IntoIterator<Item = BackendCoord>) -> impl Iterator<Item = (f64, f64)> {
    points.into_iter().map(|(x, y)| (x as f64, y as f64))
}

/// Draws `text` at `size` pixels per em with its baseline's left end at `at`, turned by
/// `turn` (degrees, about `pivot`), bold by outlining the glyphs too.
#[allow(clippy::too_many_arguments)]
fn draw_text(
    pixmap: &mut Pixmap,
    text: &str,
    size: f64,
    at: (f64, f64),
    turn: (f32, (f64, f64)),
    paint: &Paint,
    bold: bool,
    mask: Option<&Mask>,
) {
    let Some(path) = font::outline(text) else {
        return;
    };
    let (angle, (px, py)) = turn;
    let t = Transform::from_scale(size as f32, size as f32)
        .post_translate(at.0 as f32, at.1 as f32)
        .post_concat(Transform::from_rotate_at(angle, px as f32, py as f32));
    pixmap.fill_path(&path, paint, FillRule::Winding, t, mask);
    if bold {
        // In em, since the stroke is transformed with the path.
        let s = stroke(0.045, false);
        pixmap.stroke_path(&path, paint, &s, t, mask);
    }
}

/// Plotters' drawing on a pixmap, with the shapes and text anchors of its SVG backend.
pub(super) struct Axes<'a> {
    pixmap: &'a mut Pixmap,
}

impl<'a> Axes<'a> {
    pub(super) fn new(pixmap: &'a mut Pixmap) -> Self {
        Axes { pixmap }
    }

    fn stroke_path(&mut self, path: Option<Path>, c: BackendColor, width: u32) {
        if let (Some(path), true) = (path, c.alpha > 0.0 && width > 0) {
            let s = stroke(width as f64, false);
            self.pixmap
                .stroke_path(&path, &backend_paint(c), &s, Transform::identity(), None);
        }
    }

    fn fill_path(&mut self, path: Option<Path>, c: BackendColor) {
        if let (Some(path), true) = (path, c.alpha > 0.0) {
            let paint = backend_paint(c);
            let t = Transform::identity();
            self.pixmap
                .fill_path(&path, &paint, FillRule::Winding, t, None);
        }
    }
}

type Drawn = std::result::Result<(), DrawingErrorKind<std::convert::Infallible>>;

impl DrawingBackend for Axes<'_> {
    type ErrorType = std::convert::Infallible;

    fn get_size(&self) -> (u32, u32) {
        (self.pixmap.width(), self.pixmap.height())
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        Ok(())
    }

    fn draw_pixel(&mut self, (x, y): BackendCoord, color: BackendColor) -> Drawn {
        if let Some(r) = Rect::from_xywh(x as f32, y as f32, 1.0, 1.0) {
            let paint = backend_paint(color);
            self.pixmap
                .fill_rect(r, &paint, Transform::identity(), None);
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn {
        let path = polyline(coords([from, to]), false);
        self.stroke_path(path, style.color(), style.stroke_width());
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        (x0, y0): BackendCoord,
        (x1, y1): BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        let corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)];
        let path = polyline(coords(corners), true);
        if fill {
            self.fill_path(path, style.color());
        } else {
            // As plotters' SVG backend: an outline of the default SVG stroke width.
            self.stroke_path(path, style.color(), 1);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        let path = polyline(coords(path), false);
        self.stroke_path(path, style.color(), style.stroke_width());
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        (x, y): BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        let path = PathBuilder::from_circle(x as f32, y as f32, radius as f32);
        if fill {
            self.fill_path(path, style.color());
        } else {
            self.stroke_path(path, style.color(), style.stroke_width());
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawn {
        let path = polyline(coords(vert), true);
        self.fill_path(path, style.color());
        Ok(())
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        Ok(super::measure(text, style.size()))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        (x0, y0): BackendCoord,
    ) -> Drawn {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        // Plotters' SVG backend hangs text from its anchor with `dy` and `text-anchor`.
        let size = style.size();
        let ex = font::x_height() * size;
        let dy = match style.anchor().v_pos {
            VPos::Top => 0.76 * size,
            VPos::Center => 0.5 * ex,
            VPos::Bottom => -0.5 * ex,
        };
        let w = font::width(text, size);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -w / 2.0,
            HPos::Right => -w,
        };
        let angle = match style.transform() {
            FontTransform::Rotate90 => 90.0,
            FontTransform::Rotate180 => 180.0,
            FontTransform::Rotate270 => 270.0,
            _ => 0.0,
        };
        let (x0, y0) = (x0 as f64, y0 as f64);
        draw_text(
            self.pixmap,
            text,
            size,
            (x0 + dx, y0 + dy),
            (angle, (x0, y0)),
            &backend_paint(colour),
            matches!(style.style(), FontStyle::Bold),
            None,
        );
        Ok(())
    }
}

/// Paints the marks on the pixmap, clipping to the plot where asked.
pub(super) struct Painter<'a> {
    pixmap: &'a mut Pixmap,
    /// The plot rectangle as a mask.
    plot: Option<Mask>,
    /// Whether each group begun and not yet ended is clipped.
    groups: Vec<bool>,
}

impl<'a> Painter<'a> {
    pub(super) fn new(pixmap: &'a mut Pixmap, frame: &Frame) -> Self {
        let plot = Mask::new(pixmap.width(), pixmap.height()).and_then(|mut mask| {
            let r = Rect::from_xywh(
                frame.left as f32,
                frame.top as f32,
                frame.width as f32,
                frame.height as f32,
            )?;
            let path = PathBuilder::from_rect(r);
            mask.fill_path(&path, FillRule::Winding, false, Transform::identity());
            Some(mask)
        });
        Painter {
            pixmap,
            plot,
            groups: Vec::new(),
        }
    }
}

/// The mask of the plot while the group begun last is clipped.
fn clip<'m>(plot: &'m Option<Mask>, groups: &[bool]) -> Option<&'m Mask> {
    plot.as_ref().filter(|_| groups.last() == Some(&true))
}

impl super::Painter for Painter<'_> {
    fn begin(&mut self, _class: &str, clip: bool) {
        self.groups.push(clip);
    }

    fn end(&mut self) {
        self.groups.pop();
    }

    fn image(&mut self, rgba: &[u8], (w, h): (usize, usize), (x, y): (f64, f64)) {
        let image = IntSize::from_wh(w as u32, h as u32)
            .and_then(|size| Pixmap::from_vec(rgba.to_vec(), size));
        if let Some(image) = image {
            let mask = clip(&self.plot, &self.groups);
            self.pixmap.draw_pixmap(
                x.round() as i32,
                y.round() as i32,
                image.as_ref(),
                &PixmapPaint::default(),
                Transform::identity(),
                mask,
            );
        }
    }

    fn shape(&mut self, shape: &Shape, ink: &Ink) {
        let path = match shape {
            Shape::Lines(lines) => {
                let mut pb = PathBuilder::new();
                for line in lines.iter() {
                    if let Some(p) = polyline(line.iter().copied(), false) {
                        pb.push_path(&p);
                    }
                }
                pb.finish()
            }
            Shape::Circle((x, y), r) => PathBuilder::from_circle(*x as f32, *y as f32, *r as f32),
            Shape::Rect((x, y), (w, h)) => {
                Rect::from_xywh(*x as f32, *y as f32, *w as f32, *h as f32)
                    .map(PathBuilder::from_rect)
            }
            Shape::Polygon(points) => polyline(points.iter().copied(), true),
        };
        let Some(path) = path else {
            return;
        };
        let mask = clip(&self.plot, &self.groups);
        let t = Transform::identity();
        if let Some(c) = ink.fill {
            self.pixmap
                .fill_path(&path, &colour_paint(c), FillRule::Winding, t, mask);
        }
        if let Some((c, width)) = ink.stroke {
            let s = stroke(width, ink.round);
            self.pixmap
                .stroke_path(&path, &colour_paint(c), &s, t, mask);
        }
    }

    fn text(&mut self, text: &str, (x, y): (f64, f64), style: &Text) {
        let x = if style.centred {
            x - font::width(text, style.size) / 2.0
        } else {
            x
        };
        let mask = clip(&self.plot, &self.groups);
        draw_text(
            self.pixmap,
            text,
            style.size,
            (x, y),
            (0.0, (x, y)),
            &colour_paint(style.colour),
            style.bold,
            mask,
        );
    }
}
