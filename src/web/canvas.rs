//! plotters' canvas backend, measuring text with the canvas itself.
//!
//! plotters measures text on wasm by adding a `<span style="...">` to the page, which a strict
//! Content-Security-Policy (`style-src 'self'`) refuses: the measurement is then wrong and the
//! console fills with violations. This wrapper draws through `CanvasBackend` and measures with
//! `CanvasRenderingContext2D.measureText` (no DOM, no inline style).

use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A canvas to draw on with plotters.
pub struct Canvas {
    inner: CanvasBackend,
    ctx: CanvasRenderingContext2d,
}

impl Canvas {
    /// `None` if the canvas has no 2D context.
    pub fn with_canvas_object(canvas: HtmlCanvasElement) -> Option<Canvas> {
        let ctx = super::context(&canvas).ok()?;
        Some(Canvas {
            inner: CanvasBackend::with_canvas_object(canvas)?,
            ctx,
        })
    }
}

type CanvasError = <CanvasBackend as DrawingBackend>::ErrorType;
type Res = Result<(), DrawingErrorKind<CanvasError>>;

impl DrawingBackend for Canvas {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Res {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Res {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Res {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Res {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Res {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Res {
        self.inner.draw_path(path, style)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Res {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Res {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Res {
        self.inner.draw_text(text, style, pos)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<CanvasError>> {
        // The font string `draw_text` sets; a line box of 1.2 em, as the span measured.
        self.ctx.save();
        self.ctx.set_font(&format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str(),
        ));
        let width = self
            .ctx
            .measure_text(text)
            .map(|m| m.width())
            .unwrap_or(0.0);
        self.ctx.restore();
        Ok((width.ceil() as u32, (style.size() * 1.2).ceil() as u32))
    }
}
