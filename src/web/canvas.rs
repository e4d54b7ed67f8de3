//! plotters' canvas backend, measuring text with the canvas itself.
//!
//! plotters measures text on wasm by adding a `<span style="...">` to the page, which a strict
//! Content-Security-Policy (`style-src 'self'`) refuses: the measurement is then wrong and the
//! console fills with violations. This wrapper draws through `CanvasBackend` and measures with
//! `CanvasRenderingContext2D.measureText` (no DOM, no inline style).

use plotters_canvas::CanvasBackend;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::measured::{Font, Measured, Typesetter};

/// A canvas to draw on with plotters.
pub type Canvas = Measured<CanvasBackend, CanvasText>;

/// Text measured by the canvas's 2D context.
pub struct CanvasText(CanvasRenderingContext2d);

impl Canvas {
    /// `None` if the canvas has no 2D context.
    pub fn with_canvas_object(canvas: HtmlCanvasElement) -> Option<Canvas> {
        let ctx = super::context(&canvas).ok()?;
        Some(Measured {
            inner: CanvasBackend::with_canvas_object(canvas)?,
            text: CanvasText(ctx),
        })
    }
}

impl Typesetter for CanvasText {
    fn measure(&self, text: &str, font: &Font) -> (u32, u32) {
        // The font string `draw_text` sets, so it is left set: the browser parses a font
        // string only when it differs from the one in force (a save and restore around each
        // measure made it parse the font again for every label); a line box of 1.2 em, as the
        // span measured.
        let ctx = &self.0;
        ctx.set_font(&format!("{} {}px {}", font.style, font.size, font.family));
        let width = ctx.measure_text(text).map(|m| m.width()).unwrap_or(0.0);
        (width.ceil() as u32, (font.size * 1.2).ceil() as u32)
    }
}
