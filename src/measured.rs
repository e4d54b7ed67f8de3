//! A plotters backend that draws through another but sets text by its own measure.
//!
//! Plotters lays out ticks and labels by asking the backend how big a text is, and each backend
//! answers in its own way: in the browser by adding a styled `<span>` to the page (which a strict
//! Content-Security-Policy refuses), for SVG by a rough estimate. [`Measured`] answers with a
//! [`Typesetter`] instead: the canvas's `measureText` in the app (web/canvas.rs), the embedded
//! font in a native figure (figure/). It can also hand the inner backend another text size, where
//! backends disagree on what a size means (plotters-svg writes a font of the size over 1.24,
//! plotters-canvas a font of the size itself).

use plotters_backend::text_anchor::Pos;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontFamily, FontStyle, FontTransform,
};

/// The font of a text to measure, as plotters gives it.
#[derive(Debug, Clone, Copy)]
pub struct Font<'a> {
    /// Family, e.g. `sans-serif`.
    pub family: &'a str,
    /// `normal`, `bold`, `italic`, ...
    pub style: &'a str,
    /// Pixels per em.
    pub size: f64,
}

/// How a [`Measured`] backend sets text.
pub trait Typesetter {
    /// The width and height in pixels of `text` set in `font`.
    fn measure(&self, text: &str, font: &Font) -> (u32, u32);

    /// The size to hand the inner backend for text of `size` pixels per em.
    fn draw_size(&self, size: f64) -> f64 {
        size
    }
}

/// Draws through `inner`, with text measured and sized by `text`.
pub struct Measured<DB, T> {
    /// The backend that draws.
    pub inner: DB,
    /// What measures text.
    pub text: T,
}

/// A text style of another size.
struct Resized<'a, S>(&'a S, f64);

impl<S: BackendTextStyle> BackendTextStyle for Resized<'_, S> {
    type FontError = S::FontError;

    fn color(&self) -> BackendColor {
        self.0.color()
    }

    fn size(&self) -> f64 {
        self.1
    }

    fn transform(&self) -> FontTransform {
        self.0.transform()
    }

    fn style(&self) -> FontStyle {
        self.0.style()
    }

    fn anchor(&self) -> Pos {
        self.0.anchor()
    }

    fn family(&self) -> FontFamily<'_> {
        self.0.family()
    }

    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
        self.0.layout_box(text)
    }

    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        text: &str,
        pos: BackendCoord,
        draw: F,
    ) -> Result<Result<(), E>, Self::FontError> {
        self.0.draw(text, pos, draw)
    }
}

type Drawn<DB> = Result<(), DrawingErrorKind<<DB as DrawingBackend>::ErrorType>>;

impl<DB: DrawingBackend, T: Typesetter> DrawingBackend for Measured<DB, T> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Drawn<DB> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Drawn<DB> {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn<DB> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn<DB> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn<DB> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn<DB> {
        self.inner.draw_path(path, style)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawn<DB> {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn<DB> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Drawn<DB> {
        let size = self.text.draw_size(style.size());
        self.inner.draw_text(text, &Resized(style, size), pos)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let (family, font_style) = (style.family(), style.style());
        let font = Font {
            family: family.as_str(),
            style: font_style.as_str(),
            size: style.size(),
        };
        Ok(self.text.measure(text, &font))
    }
}
