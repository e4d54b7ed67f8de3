//! The SVG figure: plotters' SVG backend draws the axes, then the marks are written as elements.

use std::fmt::Write;

use plotters::prelude::SVGBackend;

use super::{Colour, Ink, Shape, Text};
use crate::measured::{Font, Measured, Typesetter};
use crate::render::Frame;

/// A `size` SVG document written into `out` by plotters, its text laid out with the embedded
/// font's measure and written in the size the app's canvas gives it.
pub(super) fn axes(out: &mut String, size: (u32, u32)) -> Measured<SVGBackend<'_>, SvgText> {
    Measured {
        inner: SVGBackend::with_string(out, size),
        text: SvgText,
    }
}

/// Text of an SVG figure.
pub(super) struct SvgText;

impl Typesetter for SvgText {
    fn measure(&self, text: &str, font: &Font) -> (u32, u32) {
        super::measure(text, font.size)
    }

    /// plotters-svg writes a `font-size` of the size over 1.24; plotters-canvas, and so the app,
    /// a font of the size itself.
    fn draw_size(&self, size: f64) -> f64 {
        size * 1.24
    }
}

/// Writes the marks as SVG elements, coordinates to a tenth of a pixel.
pub(super) struct Painter<'a> {
    out: &'a mut String,
}

impl<'a> Painter<'a> {
    /// Appends to `out`, first the clip path of the plot rectangle `frame`.
    pub(super) fn new(out: &'a mut String, frame: &Frame) -> Self {
        let _ = writeln!(
            out,
            r#"<defs><clipPath id="plot"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}"/></clipPath></defs>"#,
            frame.left, frame.top, frame.width, frame.height
        );
        Painter { out }
    }
}

/// `text` with the characters XML gives a meaning escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// `bytes` in base64 (RFC 4648, padded).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let byte = |i: usize| chunk.get(i).copied().unwrap_or(0) as u32;
        let n = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Polylines as compact SVG path data: each starts with an absolute move, then relative lines
/// (`l dx dy ...`), all in tenths of a pixel, the steps taken between rounded points so the
/// rounding does not add up along a line.
fn path_data(out: &mut String, lines: &[Vec<(f64, f64)>]) {
    let tenths = |v: f64| (v * 10.0).round() as i64;
    for line in lines {
        let Some(&(x0, y0)) = line.first() else {
            continue;
        };
        let mut at = (tenths(x0), tenths(y0));
        let _ = write!(out, "M{} {}", decimal(at.0), decimal(at.1));
        let mut first = true;
        for &(x, y) in &line[1..] {
            let p = (tenths(x), tenths(y));
            if p == at {
                continue;
            }
            out.push(if first { 'l' } else { ' ' });
            first = false;
            let (dx, dy) = (decimal(p.0 - at.0), decimal(p.1 - at.1));
            out.push_str(&dx);
            // A minus sign separates numbers by itself.
            if !dy.starts_with('-') {
                out.push(' ');
            }
            out.push_str(&dy);
            at = p;
        }
    }
}

/// `tenths` tenths as a short decimal: `12.3`, `-0.4`, `7`.
fn decimal(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let (whole, frac) = (tenths.abs() / 10, tenths.abs() % 10);
    if frac == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac}")
    }
}

/// ` name="#rrggbb"` and, when not opaque, its opacity.
fn paint(out: &mut String, name: &str, c: Colour) {
    let _ = write!(out, r##" {name}="#{:02x}{:02x}{:02x}""##, c.r, c.g, c.b);
    if c.a < 1.0 {
        let _ = write!(
            out,
            r#" {name}-opacity="{}""#,
            (c.a * 1000.0).round() / 1000.0
        );
    }
}

impl super::Painter for Painter<'_> {
    fn begin(&mut self, class: &str, clip: bool) {
        let clip = if clip {
            r#" clip-path="url(#plot)""#
        } else {
            ""
        };
        let _ = writeln!(self.out, r#"<g class="{class}"{clip}>"#);
    }

    fn end(&mut self) {
        self.out.push_str("</g>\n");
    }

    fn image(&mut self, rgba: &[u8], (w, h): (usize, usize), (x, y): (f64, f64)) {
        let rgb: Vec<u8> = rgba
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        let png = super::raster::encode_rgb(&rgb, w as u32, h as u32);
        let _ = writeln!(
            self.out,
            r#"<image x="{x:.1}" y="{y:.1}" width="{w}" height="{h}" preserveAspectRatio="none" href="data:image/png;base64,{}"/>"#,
            base64(&png)
        );
    }

    fn shape(&mut self, shape: &Shape, ink: &Ink) {
        let out = &mut *self.out;
        match shape {
            Shape::Lines(lines) => {
                out.push_str(r#"<path d=""#);
                path_data(out, lines);
                out.push('"');
            }
            Shape::Circle((x, y), r) => {
                let _ = write!(out, r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}""#);
            }
            Shape::Rect((x, y), (w, h)) => {
                let _ = write!(
                    out,
                    r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}""#
                );
            }
            Shape::Polygon(points) => {
                out.push_str(r#"<polygon points=""#);
                for (k, (x, y)) in points.iter().enumerate() {
                    let _ = write!(out, "{}{x:.1},{y:.1}", if k == 0 { "" } else { " " });
                }
                out.push('"');
            }
        }
        match ink.fill {
            Some(c) => paint(out, "fill", c),
            None => out.push_str(r#" fill="none""#),
        }
        if let Some((c, width)) = ink.stroke {
            paint(out, "stroke", c);
            let _ = write!(out, r#" stroke-width="{width}""#);
            if ink.round {
                out.push_str(r#" stroke-linejoin="round" stroke-linecap="round""#);
            }
        }
        out.push_str("/>\n");
    }

    fn text(&mut self, text: &str, (x, y): (f64, f64), style: &Text) {
        let out = &mut *self.out;
        let _ = write!(
            out,
            r#"<text x="{x:.1}" y="{y:.1}" font-family="sans-serif" font-size="{}""#,
            style.size
        );
        paint(out, "fill", style.colour);
        if style.bold {
            out.push_str(r#" font-weight="bold""#);
        }
        if style.centred {
            out.push_str(r#" text-anchor="middle""#);
        }
        let _ = writeln!(out, ">{}</text>", escape(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_of_rfc_4648_examples() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn paths_are_relative_in_tenths() {
        let mut d = String::new();
        let lines = vec![
            vec![(10.04, 20.0), (12.5, 19.61), (12.5, 19.6), (9.0, 25.0)],
            vec![(1.0, 1.0)],
        ];
        path_data(&mut d, &lines);
        assert_eq!(d, "M10 20l2.5-0.4 -3.5 5.4M1 1");
        // 1000 steps of 0.14 px: the rounding does not drift.
        let line: Vec<(f64, f64)> = (0..=1000).map(|k| (k as f64 * 0.14, 0.0)).collect();
        let mut d = String::new();
        path_data(&mut d, &[line]);
        let sum: f64 = d[4..]
            .split([' ', 'l'])
            .filter_map(|v| v.parse::<f64>().ok())
            .step_by(2)
            .sum();
        assert!((sum - 140.0).abs() < 1e-9, "{sum}");
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape(r#"a<b & "c" 'd'>"#),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
    }
}
