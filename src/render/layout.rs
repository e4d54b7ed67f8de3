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
/// Space around the axes, CSS pixels.
pub(crate) const MARGIN: f64 = 10.0;
/// Space between the plot and the colour bar, CSS pixels.
pub(crate) const MARGIN_RIGHT: f64 = 6.0;
/// Height of the x axis's ticks, labels and name under the plot, CSS pixels.
pub(crate) const X_LABELS: f64 = 38.0;
/// Width of the y axis's ticks, labels and name left of the plot, CSS pixels.
pub(crate) const Y_LABELS: f64 = 52.0;

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
    let bar = style.px(COLOUR_BAR_CSS).min(w / 3);
    let main = (w - bar) as f64;
    let (m, mr) = (style.px(MARGIN) as f64, style.px(MARGIN_RIGHT) as f64);
    let (xl, yl) = (style.px(X_LABELS) as f64, style.px(Y_LABELS) as f64);
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
