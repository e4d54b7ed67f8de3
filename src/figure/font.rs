//! The figure's one font, embedded: DejaVu Sans cut down to the scripts and symbols gdviz writes
//! (Latin, Greek, sub- and superscripts, arrows, mathematical operators; see
//! assets/fonts/README.md). It measures text for the layout of both formats and gives the glyph
//! outlines that the PNG is drawn with, so a PNG reads the same on a machine without fonts.

use std::sync::OnceLock;

use ttf_parser::{Face, GlyphId, OutlineBuilder};

static DATA: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans-subset.ttf"
));

fn face() -> &'static Face<'static> {
    static FACE: OnceLock<Face<'static>> = OnceLock::new();
    FACE.get_or_init(|| Face::parse(DATA, 0).expect("the embedded font parses"))
}

/// The glyph of `c` (the font's "missing" box if it has none) and its advance in font units.
fn glyph(c: char) -> (GlyphId, f32) {
    let face = face();
    let id = face.glyph_index(c).unwrap_or(GlyphId(0));
    (id, face.glyph_hor_advance(id).unwrap_or(0) as f32)
}

fn units_per_em() -> f32 {
    face().units_per_em() as f32
}

/// The advance width of `text` at `size` pixels per em.
pub fn width(text: &str, size: f64) -> f64 {
    let units: f32 = text.chars().map(|c| glyph(c).1).sum();
    units as f64 * size / units_per_em() as f64
}

/// The height of a lower-case x, in em.
pub fn x_height() -> f64 {
    let face = face();
    let units = face.x_height().map(f32::from).unwrap_or_else(|| {
        face.glyph_index('x')
            .and_then(|id| face.glyph_bounding_box(id))
            .map_or(0.5 * units_per_em(), |b| b.y_max as f32)
    });
    (units / units_per_em()) as f64
}

/// The outline of `text` in em with its baseline's left end at the origin and y growing
/// downward (the pixel convention), or `None` for text with no ink (spaces).
pub fn outline(text: &str) -> Option<tiny_skia::Path> {
    struct Sink {
        path: tiny_skia::PathBuilder,
        dx: f32,
        em: f32,
    }
    impl Sink {
        fn at(&self, x: f32, y: f32) -> (f32, f32) {
            ((self.dx + x) / self.em, -y / self.em)
        }
    }
    impl OutlineBuilder for Sink {
        fn move_to(&mut self, x: f32, y: f32) {
            let (x, y) = self.at(x, y);
            self.path.move_to(x, y);
        }
        fn line_to(&mut self, x: f32, y: f32) {
            let (x, y) = self.at(x, y);
            self.path.line_to(x, y);
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            let ((x1, y1), (x, y)) = (self.at(x1, y1), self.at(x, y));
            self.path.quad_to(x1, y1, x, y);
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            let ((x1, y1), (x2, y2), (x, y)) = (self.at(x1, y1), self.at(x2, y2), self.at(x, y));
            self.path.cubic_to(x1, y1, x2, y2, x, y);
        }
        fn close(&mut self) {
            self.path.close();
        }
    }
    let mut sink = Sink {
        path: tiny_skia::PathBuilder::new(),
        dx: 0.0,
        em: units_per_em(),
    };
    for c in text.chars() {
        let (id, advance) = glyph(c);
        face().outline_glyph(id, &mut sink);
        sink.dx += advance;
    }
    sink.path.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_covers_what_gdviz_writes() {
        for c in "f (log) θ₁ w₂ −∇f γ μ β₁ ε σₓ x̄ Σ λ κ ² ⁴ ← · — ∈ …".chars()
        {
            assert!(
                c == ' ' || face().glyph_index(c).is_some(),
                "no glyph for {c:?}"
            );
        }
    }

    #[test]
    fn widths_add_up_and_scale_with_the_size() {
        let (a, b) = (width("lr 0.05", 12.0), width("adam", 12.0));
        assert!((width("lr 0.05adam", 12.0) - a - b).abs() < 1e-9);
        assert!((width("adam", 24.0) - 2.0 * b).abs() < 1e-9);
        // DejaVu Sans: a digit is 1303/2048 em wide.
        assert!((width("0", 2048.0) - 1303.0).abs() < 1e-9);
        assert!(outline(" ").is_none());
        let b = outline("x").unwrap().bounds();
        assert!((b.bottom() - 0.0).abs() < 1e-3 && (-b.top() as f64 - x_height()).abs() < 0.01);
    }
}
