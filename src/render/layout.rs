//! Where the contour plot goes on a canvas, as a pure function of the canvas's size, and the
//! view padded so one unit of x and one unit of y are the same number of pixels.
//!
//! The order matters: the plot rectangle must not depend on the field (through the width of the
//! colour bar's labels, say), since the field is sampled over the padded view, which depends on
//! the rectangle. So every size here is fixed: margins, label areas and the colour bar.

use super::{Frame, Style};
use crate::surface::View;

/// Width in CSS pixels of the colour bar strip at the right of the contour plot: the strip, its
/// ticks and labels of up to [`BAR_LABEL_CHARS`] characters. Fixed, so the plot's place does not
/// depend on the values shown.
pub const COLOUR_BAR_CSS: f64 = 84.0;
/// The most characters a colour bar label has (`-1.2e-45`, `0.001234`).
pub const BAR_LABEL_CHARS: usize = 8;

/// Below this width (CSS pixels) a plot is laid out compactly: narrower label areas and colour
/// bar and smaller type, so that on a phone the plot itself keeps most of the width.
pub const COMPACT_BELOW_CSS: f64 = 480.0;

/// The fixed sizes of a plot's furniture, CSS pixels (fonts in pixels per em).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sizes {
    /// Space around the axes.
    pub margin: f64,
    /// Space between the plot and the colour bar.
    pub margin_right: f64,
    /// Height of the x axis's ticks, labels and name under the plot.
    pub x_labels: f64,
    /// Width of the y axis's ticks, labels and name left of the plot.
    pub y_labels: f64,
    /// Width of the colour bar's strip, ticks and labels.
    pub bar: f64,
    /// The most characters of a colour bar label.
    pub bar_chars: usize,
    /// Tick labels.
    pub label_font: f64,
    /// Axis names.
    pub name_font: f64,
    /// The colour bar's labels.
    pub bar_font: f64,
}

/// The sizes for a plot of `width_css` CSS pixels: the regular ones, or the compact ones below
/// [`COMPACT_BELOW_CSS`].
pub fn sizes(width_css: f64) -> Sizes {
    if width_css < COMPACT_BELOW_CSS {
        Sizes {
            margin: 6.0,
            margin_right: 4.0,
            x_labels: 32.0,
            y_labels: 40.0,
            bar: 58.0,
            bar_chars: 6,
            label_font: 10.5,
            name_font: 11.5,
            bar_font: 10.0,
        }
    } else {
        Sizes {
            margin: 10.0,
            margin_right: 6.0,
            x_labels: 38.0,
            y_labels: 52.0,
            bar: COLOUR_BAR_CSS,
            bar_chars: BAR_LABEL_CHARS,
            label_font: 12.0,
            name_font: 13.0,
            bar_font: 11.0,
        }
    }
}

/// The sizes of a `size` (device pixels) area at `style`'s pixel ratio.
pub fn sizes_of(size: (u32, u32), style: &Style) -> Sizes {
    sizes(size.0 as f64 / style.scale)
}

/// The plot rectangle and the colour bar of a canvas, in device pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    /// Left edge, top edge, width and height of the plot.
    pub plot: (f64, f64, f64, f64),
    /// Width of the colour bar's strip at the right of the canvas.
    pub bar: u32,
}

/// The layout of a `size` (device pixels) area at `style`'s pixel ratio, as [`super::draw_axes`]
/// draws it: a function of the size alone.
pub fn layout(size: (u32, u32), style: &Style) -> Layout {
    let (w, h) = size;
    let z = sizes_of(size, style);
    let bar = style.px(z.bar).min(w / 3);
    let main = (w - bar) as f64;
    let (m, mr) = (style.px(z.margin) as f64, style.px(z.margin_right) as f64);
    let (xl, yl) = (style.px(z.x_labels) as f64, style.px(z.y_labels) as f64);
    let left = m + yl;
    let top = m;
    Layout {
        plot: (
            left,
            top,
            (main - mr - left).max(0.0),
            (h as f64 - m - xl - top).max(0.0),
        ),
        bar,
    }
}

/// `view` grown about its centre along one axis so that a `width` × `height` pixel rectangle
/// shows both axes at the same pixels per unit: padded, never cropped. A degenerate rectangle or
/// view comes back unchanged.
pub fn equal_scale(view: View, width: f64, height: f64) -> View {
    let (dx, dy) = (view.x.1 - view.x.0, view.y.1 - view.y.0);
    let ok = |v: f64| v.is_finite() && v > 0.0;
    if !(ok(dx) && ok(dy) && ok(width) && ok(height)) {
        return view;
    }
    // Pixels per unit: the smaller of the two, so the whole view still fits.
    let ppu = (width / dx).min(height / dy);
    let grow = |(a, b): (f64, f64), span: f64| {
        let c = a / 2.0 + b / 2.0;
        let half = span / 2.0;
        let (lo, hi) = (c - half, c + half);
        // Never narrower than the view itself (rounding), and finite.
        if lo.is_finite() && hi.is_finite() {
            (lo.min(a), hi.max(b))
        } else {
            (a, b)
        }
    };
    View {
        x: grow(view.x, width / ppu),
        y: grow(view.y, height / ppu),
    }
}

/// The frame the plot of `view` has on a `size` area (device pixels, at `style`'s ratio): the
/// layout's rectangle, showing `view` padded to equal scales when `equal`, or stretched to it.
pub fn plot_frame(size: (u32, u32), style: &Style, view: View, equal: bool) -> Frame {
    let (left, top, width, height) = layout(size, style).plot;
    let view = if equal {
        equal_scale(view, width, height)
    } else {
        view
    };
    Frame {
        view,
        left,
        top,
        width,
        height,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_keeps_the_view_centred_and_whole() {
        let v = View {
            x: (-2.0, 2.0),
            y: (-1.0, 3.0),
        };
        // A wide rectangle: y stays, x grows.
        let p = equal_scale(v, 800.0, 400.0);
        assert_eq!(p.y, v.y);
        assert!(
            (p.x.0 + 4.0).abs() < 1e-12 && (p.x.1 - 4.0).abs() < 1e-12,
            "{p:?}"
        );
        // A tall one: x stays, y grows about 1.
        let p = equal_scale(v, 300.0, 600.0);
        assert_eq!(p.x, v.x);
        assert!(
            (p.y.0 + 3.0).abs() < 1e-12 && (p.y.1 - 5.0).abs() < 1e-12,
            "{p:?}"
        );
        // Degenerate input is left alone.
        assert_eq!(equal_scale(v, 0.0, 10.0), v);
    }
}
