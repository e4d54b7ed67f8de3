//! The PNG export of a [`Visualizer`]: the plot as shown (heatmap and paths, or the 3D view)
//! under a title and, for a race, a legend of the runs in their colours, with the key of the
//! marks below, so a saved image says what it shows on its own.

use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::{context, err, Visualizer};
use crate::{caption, render};

/// Space around the header's lines, CSS pixels.
const MARGIN: f64 = 10.0;
/// Size of the title, CSS pixels.
const TITLE_FONT: f64 = 15.0;
/// Size of the legend and the key, CSS pixels.
const SMALL_FONT: f64 = 13.0;

/// One legend entry laid out: its colour (none for plain text), text and width in pixels.
struct Entry {
    colour: Option<&'static str>,
    text: String,
    width: f64,
}

#[wasm_bindgen]
impl Visualizer {
    /// Draws what PNG export saves into `out` (sized here): a header with the title and, for a
    /// race, every run's name and status in its colour; the plot as shown (`view3d`, the 3D
    /// view's canvas, when the page shows it instead of the contour plot); the key of the marks.
    pub fn compose(
        &self,
        out: &HtmlCanvasElement,
        view3d: Option<HtmlCanvasElement>,
    ) -> Result<(), JsError> {
        let s = self.style.scale;
        let layers: Vec<HtmlCanvasElement> = match view3d {
            Some(c) => vec![c],
            None => vec![self.bg.clone(), self.overlay.clone()],
        };
        let (w, h) = (layers[0].width() as f64, layers[0].height() as f64);
        let scratch = context(out)?;
        let title = caption::title(&self.opts, self.surface(), self.trajectories());
        let legend: Vec<Entry> = caption::legend(&self.opts, self.surface(), self.trajectories())
            .into_iter()
            .enumerate()
            .map(|(i, text)| entry(&scratch, Some(render::run_colour(i)), text, s))
            .collect();
        let key: Vec<Entry> = render::key(self.surface().minima())
            .into_iter()
            .map(|k| entry(&scratch, None, format!("{} {}", k.symbol, k.meaning), s))
            .collect();
        let room = w - 2.0 * MARGIN * s;
        let legend_lines = lines(&legend, room, s);
        let key_lines = lines(&key, room, s);
        let line = |font: f64| font * 1.5 * s;
        let header = MARGIN * s + line(TITLE_FONT) + legend_lines.len() as f64 * line(SMALL_FONT);
        let footer = key_lines.len() as f64 * line(SMALL_FONT) + MARGIN * s;
        out.set_width(w.round() as u32);
        out.set_height((header + h + footer).round() as u32);
        let ctx = context(out)?;
        ctx.set_fill_style_str(if self.style.dark {
            "#1e2128"
        } else {
            "#ffffff"
        });
        ctx.fill_rect(0.0, 0.0, w, header + h + footer);
        let ink = if self.style.dark {
            "#e1e4eb"
        } else {
            "#282c34"
        };
        ctx.set_text_baseline("middle");
        ctx.set_fill_style_str(ink);
        ctx.set_font(&font(TITLE_FONT, "600", s));
        let mut y = MARGIN * s + line(TITLE_FONT) / 2.0;
        let _ = ctx.fill_text_with_max_width(&title, MARGIN * s, y, room);
        y += line(TITLE_FONT) / 2.0;
        for row in &legend_lines {
            y += line(SMALL_FONT) / 2.0;
            draw_row(&ctx, &legend, row, MARGIN * s, y, ink, s);
            y += line(SMALL_FONT) / 2.0;
        }
        for layer in &layers {
            ctx.draw_image_with_html_canvas_element(layer, 0.0, header)
                .map_err(|_| err("cannot copy the plot into the image"))?;
        }
        let mut y = header + h;
        for row in &key_lines {
            y += line(SMALL_FONT) / 2.0;
            draw_row(&ctx, &key, row, MARGIN * s, y, ink, s);
            y += line(SMALL_FONT) / 2.0;
        }
        Ok(())
    }
}

/// A legend or key entry measured in the small font.
fn entry(
    ctx: &CanvasRenderingContext2d,
    colour: Option<&'static str>,
    text: String,
    s: f64,
) -> Entry {
    ctx.set_font(&font(SMALL_FONT, "400", s));
    let text_width = ctx.measure_text(&text).map(|m| m.width()).unwrap_or(0.0);
    let dot = if colour.is_some() { 16.0 * s } else { 0.0 };
    Entry {
        colour,
        text,
        width: dot + text_width,
    }
}

/// A canvas font string of `css` pixels at scale `s`.
fn font(css: f64, weight: &str, s: f64) -> String {
    format!("{weight} {}px sans-serif", (css * s).round())
}

/// The entries in lines no wider than `room`: the index ranges of each line.
fn lines(entries: &[Entry], room: f64, s: f64) -> Vec<std::ops::Range<usize>> {
    let gap = 18.0 * s;
    let mut out = Vec::new();
    let (mut start, mut width) = (0, 0.0);
    for (i, e) in entries.iter().enumerate() {
        if i > start && width + gap + e.width > room {
            out.push(start..i);
            (start, width) = (i, 0.0);
        }
        width += if i > start { gap } else { 0.0 } + e.width;
    }
    if start < entries.len() {
        out.push(start..entries.len());
    }
    out
}

/// One line of entries at height `y` (their middle), from `x`.
fn draw_row(
    ctx: &CanvasRenderingContext2d,
    entries: &[Entry],
    row: &std::ops::Range<usize>,
    mut x: f64,
    y: f64,
    ink: &str,
    s: f64,
) {
    ctx.set_font(&font(SMALL_FONT, "400", s));
    for e in &entries[row.clone()] {
        if let Some(c) = e.colour {
            ctx.begin_path();
            let _ = ctx.arc(x + 6.0 * s, y, 5.5 * s, 0.0, std::f64::consts::TAU);
            ctx.set_fill_style_str(c);
            ctx.fill();
            x += 16.0 * s;
        }
        ctx.set_fill_style_str(ink);
        let _ = ctx.fill_text(&e.text, x, y);
        x += e.width - if e.colour.is_some() { 16.0 * s } else { 0.0 } + 18.0 * s;
    }
}
