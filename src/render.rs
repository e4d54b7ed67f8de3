//! Drawing, without the DOM: geometry in pixels (heatmap pixels, contour paths, the decimated
//! trajectory) and the chart furniture drawn through plotters on any `DrawingBackend` (the
//! browser's canvas, SVG or a bitmap natively).
//!
//! Hot geometry is produced in bulk (an RGBA buffer, one SVG path string per contour level, one
//! polyline) so a front end can hand it to the canvas in a few calls instead of one call per
//! point.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::contour::{Field, Levels, Scale};
use crate::linalg::Vec2;
use crate::surface::{Surface, View};

pub mod arrows;
mod layout;
pub mod loss;
mod marks;
pub mod place;
pub mod rates;
pub mod stepchart;
pub mod ticks;
pub use layout::{equal_scale, layout, plot_frame, Layout, BAR_LABEL_CHARS, COLOUR_BAR_CSS};
pub use loss::{draw_loss, LossChart};
pub use marks::{key, under_a_mark, KeyEntry, Mark, MARKS, RING_AROUND, RING_AROUND_WIDTH};
pub use rates::{draw_rates, RatesChart};

/// Where the view sits on the canvas: the plot rectangle in device pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// The parameter rectangle shown.
    pub view: View,
    /// Left edge of the plot, pixels.
    pub left: f64,
    /// Top edge of the plot, pixels.
    pub top: f64,
    /// Width of the plot, pixels.
    pub width: f64,
    /// Height of the plot, pixels.
    pub height: f64,
}

impl Frame {
    /// The pixel position of parameter point `p` (y grows upward in parameters, downward on
    /// screen).
    pub fn to_px(&self, p: Vec2) -> (f64, f64) {
        let v = &self.view;
        (
            self.left + (p[0] - v.x.0) / (v.x.1 - v.x.0) * self.width,
            self.top + (v.y.1 - p[1]) / (v.y.1 - v.y.0) * self.height,
        )
    }

    /// The parameter point under pixel `(x, y)`.
    pub fn to_param(&self, x: f64, y: f64) -> Vec2 {
        let v = &self.view;
        [
            v.x.0 + (x - self.left) / self.width * (v.x.1 - v.x.0),
            v.y.1 - (y - self.top) / self.height * (v.y.1 - v.y.0),
        ]
    }

    /// Whether pixel `(x, y)` lies on the plot.
    pub fn contains_px(&self, x: f64, y: f64) -> bool {
        x >= self.left
            && x <= self.left + self.width
            && y >= self.top
            && y <= self.top + self.height
    }
}

/// Number of contour levels drawn.
pub const LEVELS: usize = 16;
/// Grid resolution of the sampled field (each way) for analytic surfaces.
pub const GRID: usize = 192;
/// Grid resolution for dataset losses, whose every value sums over all examples (50 logistic
/// terms cost as much as ~50 analytic values): smooth enough under bilinear shading.
pub const DATA_GRID: usize = 112;

/// The field the background of `surface`'s plot is drawn from (heatmap and contours) over
/// `view`, and its contour levels: what the app and the native figure both draw.
pub fn background_field(surface: &dyn Surface, view: View) -> (Field, Levels) {
    background_field_at(surface, view, full_grid(surface))
}

/// Grid points each way of a quick, coarse field (about a ninth of the full grid's work): what
/// the app draws first when the background changes, refined to the full grid a frame later, so
/// a surface parameter dragged frame after frame never waits for the full field.
pub const COARSE_GRID: usize = 64;

/// A coarse background's heatmap, for a `width` × `height` pixel plot: `(k, w, h)`, an image of
/// `w` × `h` pixels, each standing for k × k of the plot's (the page scales it up, smoothed).
/// A [`COARSE_GRID`] field holds no detail finer than a few of its cells, so an image about four
/// times the grid each way shows all of it at a fraction of the per-pixel work (k² fewer
/// pixels: 16× on a 900-pixel plot).
pub fn coarse_heatmap_size(width: usize, height: usize) -> (usize, usize, usize) {
    let k = width.max(height).div_ceil(4 * COARSE_GRID).max(1);
    (k, width.div_ceil(k), height.div_ceil(k))
}

/// The full grid of `surface`: [`GRID`], or [`DATA_GRID`] for a dataset loss.
pub fn full_grid(surface: &dyn Surface) -> usize {
    if surface.terms().is_some() {
        DATA_GRID
    } else {
        GRID
    }
}

/// [`background_field`] on a `grid` × `grid` grid.
pub fn background_field_at(surface: &dyn Surface, view: View, grid: usize) -> (Field, Levels) {
    let field = Field::sample(surface, view, grid, grid);
    let levels = Levels::choose(&field, LEVELS);
    (field, levels)
}

/// The background of `surface`'s plot on a `size` area (device pixels, at `style`'s ratio): the
/// frame (the layout's rectangle showing the surface's view, padded to equal scales where the
/// surface's parameters are alike), and the field sampled over that whole frame with its levels.
/// The app's canvas and the native figure both draw from this.
pub fn background(
    surface: &dyn Surface,
    size: (u32, u32),
    style: &Style,
) -> (Frame, Field, Levels) {
    background_at(surface, size, style, full_grid(surface))
}

/// [`background`] with the field on a `grid` × `grid` grid ([`COARSE_GRID`] for a quick one).
pub fn background_at(
    surface: &dyn Surface,
    size: (u32, u32),
    style: &Style,
    grid: usize,
) -> (Frame, Field, Levels) {
    let frame = plot_frame(size, style, surface.view(), surface.equal_scale());
    let (field, levels) = background_field_at(surface, frame.view, grid);
    (frame, field, levels)
}

/// The colours of raced runs, in order (the first is the single run's colour too): distinct
/// in hue and lightness, each drawn over a white halo so it reads on any heatmap colour. The
/// third is a pinker magenta than a pure one: under protanopia (simulated, Machado 2009) a
/// purple magenta turns into the second run's blue (ΔE 11); this one keeps every pair at
/// ΔE ≥ 16 for protan, deutan and tritan vision, and at ≥ 5:1 against the white halo.
pub const RUN_COLOURS: [&str; 4] = ["#d9480f", "#1c5bbf", "#c2288f", "#1f7a3a"];

/// The colour of run `i` (colours repeat after [`RUN_COLOURS`]).
pub fn run_colour(i: usize) -> &'static str {
    RUN_COLOURS[i % RUN_COLOURS.len()]
}

/// The colour of run `i` as a plotters colour (what the data and 3D views draw it in).
pub fn run_rgb(i: usize) -> RGBColor {
    let c = run_colour(i);
    let byte = |i: usize| u8::from_str_radix(c.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    RGBColor(byte(1), byte(3), byte(5))
}

/// How the marks on the plot look, in CSS pixels and CSS colours: the canvas of the app
/// (web.rs) and the native figure (figure/) draw with these.
pub mod look {
    /// Contour lines.
    pub const CONTOUR: &str = "rgba(20, 24, 48, 0.42)";
    /// The white halo under a path.
    pub const HALO: &str = "rgba(255, 255, 255, 0.85)";
    /// Width of the halo under a path.
    pub const HALO_WIDTH: f64 = 4.5;
    /// Width of a path's line.
    pub const LINE_WIDTH: f64 = 2.0;
    /// Radius of a step's dot.
    pub const DOT_RADIUS: f64 = 2.5;
    /// The least distance between two dots.
    pub const DOT_SPACING: f64 = 5.0;
    /// Radius of the current (last shown) point.
    pub const CURRENT_RADIUS: f64 = 6.5;
    /// Width of the white ring around the current point.
    pub const RING_WIDTH: f64 = 2.0;
    /// Half the side of the start's square.
    pub const START_HALF: f64 = 5.0;
    /// Width of the start square's outline.
    pub const START_WIDTH: f64 = 2.0;
    /// The outline of the start and of the minima.
    pub const MARKER_INK: &str = "#1b1e2b";
    /// Outer and inner radius of a global minimum's star.
    pub const STAR: (f64, f64) = (7.0, 3.0);
    /// Radius of a local minimum's disc.
    pub const LOCAL_RADIUS: f64 = 4.5;
    /// Fill of a local minimum's disc.
    pub const LOCAL_FILL: &str = "rgba(255, 255, 255, 0.6)";
    /// Width of a minimum's outline.
    pub const MINIMUM_WIDTH: f64 = 1.2;
    /// The white halo under a mark (a minimum, the start), so it reads on any colour and above
    /// any path.
    pub const MARK_HALO: &str = "rgba(255, 255, 255, 0.9)";
    /// How much wider than the mark's outline its halo is, CSS pixels.
    pub const MARK_HALO_WIDTH: f64 = 3.0;
    /// Background of the "diverged at step k" label.
    pub const DIVERGED_FILL: &str = "rgba(176, 20, 20, 0.92)";
    /// Size of the label's bold white text.
    pub const DIVERGED_FONT: f64 = 13.0;
    /// The hatching where f is undefined: a neutral grey, unlike every colour of the heatmap
    /// (all of which have a hue), with darker 45° stripes.
    pub const UNDEFINED_BASE: [u8; 3] = [206, 206, 206];
    /// The stripes of the hatching.
    pub const UNDEFINED_STRIPE: [u8; 3] = [128, 128, 128];
    /// Distance between the stripes along a row, CSS pixels.
    pub const UNDEFINED_PERIOD: f64 = 6.0;
    /// Width of a stripe along a row, CSS pixels.
    pub const UNDEFINED_WIDTH: f64 = 2.0;
}

/// The "diverged at step k" label, placed near where a diverging path leaves the plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// The text.
    pub text: String,
    /// Its left end, pixels.
    pub x: f64,
    /// Its vertical middle, pixels.
    pub y: f64,
    /// The box under it: left, top, width, height.
    pub rect: (f64, f64, f64, f64),
}

/// The label of a run that diverged at `step` with its last point at `last`, for text as wide as
/// `measure` says (in the label's font, [`look::DIVERGED_FONT`] bold) at `s` device pixels per
/// CSS pixel: above the point in the lower half of the plot, below it in the upper half.
pub fn divergence_label(
    frame: &Frame,
    last: Vec2,
    step: usize,
    measure: impl Fn(&str) -> f64,
    s: f64,
) -> Label {
    // `max` then `min`, not `clamp`, which panics where a small plot leaves no room.
    let within = |v: f64, lo: f64, hi: f64| v.min(hi).max(lo);
    let (x, y) = frame.to_px(last);
    let x = within(x, frame.left + 8.0 * s, frame.left + frame.width - 8.0 * s);
    let y = within(y, frame.top + 8.0 * s, frame.top + frame.height - 8.0 * s);
    let text = format!("diverged at step {step}");
    let tw = measure(&text);
    let bx = within(
        x - tw / 2.0,
        frame.left + 4.0 * s,
        frame.left + frame.width - tw - 12.0 * s,
    );
    let by = if y > frame.top + frame.height / 2.0 {
        y - 30.0 * s
    } else {
        y + 12.0 * s
    };
    Label {
        text,
        x: bx,
        y: by + 10.0 * s,
        rect: (bx - 6.0 * s, by, tw + 12.0 * s, 20.0 * s),
    }
}

/// The ten corners of a five-pointed star centred at `(x, y)`, the first at the top.
pub fn star(x: f64, y: f64, outer: f64, inner: f64) -> [(f64, f64); 10] {
    std::array::from_fn(|k| {
        let r = if k % 2 == 0 { outer } else { inner };
        let a = -std::f64::consts::FRAC_PI_2 + k as f64 * std::f64::consts::PI / 5.0;
        (x + r * a.cos(), y + r * a.sin())
    })
}

/// Viridis (matplotlib's perceptually uniform, colour-blind-safe map) at eleven stops.
const VIRIDIS: [[f64; 3]; 11] = [
    [68.0, 1.0, 84.0],
    [72.0, 36.0, 117.0],
    [65.0, 68.0, 135.0],
    [53.0, 95.0, 141.0],
    [42.0, 120.0, 142.0],
    [33.0, 145.0, 140.0],
    [34.0, 168.0, 132.0],
    [68.0, 191.0, 112.0],
    [122.0, 209.0, 81.0],
    [189.0, 223.0, 38.0],
    [253.0, 231.0, 37.0],
];

/// How much white the heatmap mixes into viridis, so dark contour lines and a bright trajectory
/// stand out on every part of it.
const PASTEL: f64 = 0.35;

/// The heatmap colour at scale position `t` ∈ [0, 1].
pub fn colour(t: f64) -> [u8; 3] {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) } * 10.0;
    let k = (t.floor() as usize).min(9);
    let f = t - k as f64;
    let mut rgb = [0u8; 3];
    for (c, out) in rgb.iter_mut().enumerate() {
        let v = VIRIDIS[k][c] + (VIRIDIS[k + 1][c] - VIRIDIS[k][c]) * f;
        *out = (v + (255.0 - v) * PASTEL).round() as u8;
    }
    rgb
}

/// The heatmap of `field` for a `width` × `height` pixel plot as RGBA bytes, row by row from the
/// top: the scale position is interpolated bilinearly between grid points, then coloured. Where
/// a grid point the pixel depends on is undefined, the pixel is the undefined hatching (see
/// [`look::UNDEFINED_BASE`]), its stripes [`look::UNDEFINED_PERIOD`] CSS pixels apart at
/// `dpr` device pixels per CSS pixel.
pub fn heatmap_rgba(
    field: &Field,
    scale: &Scale,
    width: usize,
    height: usize,
    dpr: f64,
) -> Vec<u8> {
    // NaN marks an undefined grid point; it makes every pixel interpolated from it NaN too.
    let t: Vec<f64> = field
        .values
        .iter()
        .map(|&v| {
            if v.is_finite() {
                scale.position(v)
            } else {
                f64::NAN
            }
        })
        .collect();
    let lut: Vec<[u8; 3]> = (0..256).map(|k| colour(k as f64 / 255.0)).collect();
    let mut out = vec![0u8; width * height * 4];
    if out.is_empty() {
        return out;
    }
    let dpr = if dpr.is_finite() && dpr > 0.0 {
        dpr
    } else {
        1.0
    };
    let period = (look::UNDEFINED_PERIOD * dpr).round().max(2.0) as usize;
    let stripe = (look::UNDEFINED_WIDTH * dpr)
        .round()
        .clamp(1.0, period as f64 - 1.0) as usize;
    let hatch = |px: usize, py: usize| {
        if (px + py) % period < stripe {
            look::UNDEFINED_STRIPE
        } else {
            look::UNDEFINED_BASE
        }
    };
    let (nx, ny) = (field.nx, field.ny);
    // Each pixel column's grid cell and weight, once for all rows.
    let columns: Vec<(usize, f64)> = (0..width)
        .map(|px| {
            let gx = (px as f64 + 0.5) / width as f64 * (nx - 1) as f64;
            let i = (gx.floor() as usize).min(nx - 2);
            (i, gx - i as f64)
        })
        .collect();
    // One grid row interpolated in y per pixel row, then each pixel in x: bilinear, in half the
    // arithmetic of interpolating every pixel from its four grid points.
    let mut across = vec![0.0; nx];
    for (py, row) in out.chunks_exact_mut(width * 4).enumerate() {
        // Pixel centres; row 0 is the top of the view (largest y).
        let gy = (1.0 - (py as f64 + 0.5) / height as f64) * (ny - 1) as f64;
        let j = (gy.floor() as usize).min(ny - 2);
        let fy = gy - j as f64;
        let (lo, hi) = (&t[j * nx..(j + 1) * nx], &t[(j + 1) * nx..(j + 2) * nx]);
        for ((r, &l), &h) in across.iter_mut().zip(lo).zip(hi) {
            *r = l * (1.0 - fy) + h * fy;
        }
        for (px, (pixel, &(i, fx))) in row.chunks_exact_mut(4).zip(&columns).enumerate() {
            let v = across[i] * (1.0 - fx) + across[i + 1] * fx;
            let c = if v.is_nan() {
                hatch(px, py)
            } else {
                // Round half up by hand: `f64::round` is a library call on wasm. The position
                // is never negative, so this is the same rounding.
                lut[((v * 255.0 + 0.5) as usize).min(255)]
            };
            // Byte by byte: at opt-level "z" a 4-byte `copy_from_slice` stays a call per pixel,
            // which took two fifths of the heatmap's time in wasm.
            pixel[0] = c[0];
            pixel[1] = c[1];
            pixel[2] = c[2];
            pixel[3] = 255;
        }
    }
    out
}

/// One contour level as an SVG path string (`M x y L x y ...`, a sub-path per segment) in
/// pixels: ready for `new Path2D(d)` on a canvas or `<path d>` in SVG.
pub fn contour_path(segments: &[[Vec2; 2]], frame: &Frame) -> String {
    // Written as bytes and made a `String` once: in wasm a fifth faster than pushing a char at a
    // time and `write!`-ing each number, and formatting is most of this function's cost.
    let mut d = Vec::with_capacity(segments.len() * 28);
    for [a, b] in segments {
        let (ax, ay) = frame.to_px(*a);
        let (bx, by) = frame.to_px(*b);
        d.push(b'M');
        push_tenths(&mut d, ax);
        d.push(b' ');
        push_tenths(&mut d, ay);
        d.push(b'L');
        push_tenths(&mut d, bx);
        d.push(b' ');
        push_tenths(&mut d, by);
    }
    // The bytes are ASCII, so nothing is replaced; `from_utf8_lossy` is in the wasm module
    // already, where `String::from_utf8` would add 0.7 KB of validation code.
    String::from_utf8_lossy(&d).into_owned()
}

/// Appends `v` with one decimal (`12.3`, `-0.5`). Pixel coordinates fit a `u32` in tenths (up
/// to 400 million pixels), so this skips the exact decimal expansion of `{:.1}`, which took a
/// third of a contour redraw; ties may round the other way, a twentieth of a pixel. Rounded
/// with `trunc` (an instruction on wasm, where `f64::round` is a library call) and the digits
/// written by hand: the same text as `write!` of the rounded integer.
fn push_tenths(d: &mut Vec<u8>, v: f64) {
    // Rounded half away from zero, as `f64::round` rounds: x − trunc(x) is exact.
    let x = v * 10.0;
    let whole = x.trunc();
    let tenths = if (x - whole).abs() >= 0.5 {
        whole + x.signum()
    } else {
        whole
    };
    if tenths.is_nan() || tenths.abs() > u32::MAX as f64 {
        d.extend_from_slice(crate::format::fixed(v, 1).as_bytes());
        return;
    }
    // The characters from the last: the tenths digit, the point, the whole part, the sign.
    let mut t = tenths.abs() as u32;
    let mut buf = [b'.'; 12];
    let mut n = buf.len() - 2;
    buf[n + 1] = b'0' + (t % 10) as u8;
    loop {
        t /= 10;
        n -= 1;
        buf[n] = b'0' + (t % 10) as u8;
        if t < 10 {
            break;
        }
    }
    if tenths < 0.0 {
        n -= 1;
        buf[n] = b'-';
    }
    d.extend_from_slice(&buf[n..]);
}

/// A trajectory prepared for drawing: polyline runs in pixels and the steps that get a dot.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PathPixels {
    /// Connected runs of pixel points (a run breaks where the path leaves the drawable area).
    pub runs: Vec<Vec<(f64, f64)>>,
    /// The steps drawn as dots: at least `dot_spacing` pixels apart, so a thousand steps piled
    /// on a minimum are one dot, not a thousand.
    pub dots: Vec<usize>,
    /// For each point of each run, the step it belongs to (a point clipped from a segment belongs
    /// to the segment's end): non-decreasing along the runs, so [`PathPixels::upto`] can cut.
    pub steps: Vec<Vec<usize>>,
}

impl PathPixels {
    /// The runs as one SVG path string (`M x y L x y ...`, one decimal), for `new Path2D(d)`:
    /// one call to the canvas for the whole path.
    pub fn line_path(&self) -> String {
        let mut d = Vec::with_capacity(16 * self.runs.iter().map(Vec::len).sum::<usize>());
        for run in &self.runs {
            for (k, &(x, y)) in run.iter().enumerate() {
                d.push(if k == 0 { b'M' } else { b'L' });
                push_tenths(&mut d, x);
                d.push(b' ');
                push_tenths(&mut d, y);
            }
        }
        String::from_utf8_lossy(&d).into_owned()
    }

    /// The dots as one SVG path string of circles of `radius` pixels at `centres` (the pixels of
    /// the steps in `dots`).
    pub fn dots_path(&self, centres: impl Fn(usize) -> (f64, f64), radius: f64) -> String {
        let mut d = Vec::with_capacity(48 * self.dots.len());
        let mut r = Vec::new();
        push_tenths(&mut r, radius);
        for &i in &self.dots {
            let (x, y) = centres(i);
            // Two half-circle arcs from the rightmost point round and back.
            d.push(b'M');
            push_tenths(&mut d, x + radius);
            d.push(b' ');
            push_tenths(&mut d, y);
            for dx in [-2.0 * radius, 2.0 * radius] {
                d.push(b'a');
                d.extend_from_slice(&r);
                d.push(b' ');
                d.extend_from_slice(&r);
                d.extend_from_slice(b" 0 1 0 ");
                push_tenths(&mut d, dx);
                d.extend_from_slice(b" 0");
            }
        }
        String::from_utf8_lossy(&d).into_owned()
    }

    /// The pixels of the first `upto + 1` points: exactly what [`trajectory_pixels`] gives for
    /// `upto`, cut from these (of the whole path) without going over the points again, so
    /// scrubbing a 100 000-step run costs what drawing it costs, not a pass over its points.
    pub fn upto(&self, upto: usize) -> PathPixels {
        let mut out = PathPixels::default();
        for (run, steps) in self.runs.iter().zip(&self.steps) {
            let n = steps.partition_point(|&k| k <= upto);
            if n == 0 {
                break;
            }
            out.runs.push(run[..n].to_vec());
            out.steps.push(steps[..n].to_vec());
            if n < run.len() {
                break;
            }
        }
        let n = self.dots.partition_point(|&k| k <= upto);
        out.dots = self.dots[..n].to_vec();
        out
    }
}

/// The first `upto + 1` points of a trajectory in pixels: consecutive points closer than half a
/// pixel are merged, and segments are clipped to the plot grown by its own size on every side,
/// so a diverging path keeps its direction without sending huge coordinates to the canvas.
pub fn trajectory_pixels(
    points: &[Vec2],
    upto: usize,
    frame: &Frame,
    dot_spacing: f64,
) -> PathPixels {
    let n = points.len().min(upto.saturating_add(1));
    let mut out = PathPixels::default();
    if n == 0 {
        return out;
    }
    let px: Vec<(f64, f64)> = points[..n].iter().map(|&p| frame.to_px(p)).collect();
    let bounds = (
        frame.left - frame.width,
        frame.top - frame.height,
        frame.left + 2.0 * frame.width,
        frame.top + 2.0 * frame.height,
    );
    let mut run: Vec<(f64, f64)> = Vec::new();
    let mut tags: Vec<usize> = Vec::new();
    // Whether the previous segment ended unclipped, so the next one continues the same run.
    let mut open = false;
    for (i, w) in px.windows(2).enumerate() {
        let Some((a, b)) = clip(w[0], w[1], bounds) else {
            open = false;
            continue;
        };
        if !(open && a == w[0]) {
            if run.len() > 1 {
                out.runs.push(std::mem::take(&mut run));
                out.steps.push(std::mem::take(&mut tags));
            }
            run.clear();
            tags.clear();
            run.push(a);
            // A clipped start lies inside the segment, which belongs to its end.
            tags.push(if a == w[0] { i } else { i + 1 });
        }
        let last = run[run.len() - 1];
        open = b == w[1];
        // Keep a point half a pixel from the last, a clipped end, or a run's second point.
        if (b.0 - last.0).hypot(b.1 - last.1) >= 0.5 || !open || run.len() == 1 {
            run.push(b);
            tags.push(i + 1);
        }
    }
    if run.is_empty() && inside(px[0], bounds) {
        run.push(px[0]);
        tags.push(0);
    }
    if !run.is_empty() {
        out.runs.push(run);
        out.steps.push(tags);
    }
    let mut last_dot: Option<(f64, f64)> = None;
    for (k, &p) in px.iter().enumerate() {
        if !frame.contains_px(p.0, p.1) {
            continue;
        }
        if last_dot.is_none_or(|q| (p.0 - q.0).hypot(p.1 - q.1) >= dot_spacing) {
            out.dots.push(k);
            last_dot = Some(p);
        }
    }
    out
}

fn inside(p: (f64, f64), b: (f64, f64, f64, f64)) -> bool {
    p.0 >= b.0 && p.0 <= b.2 && p.1 >= b.1 && p.1 <= b.3
}

/// The pixel segment a→c clipped to the rectangle `b` (x0, y0, x1, y1).
fn clip(a: (f64, f64), c: (f64, f64), b: (f64, f64, f64, f64)) -> Option<((f64, f64), (f64, f64))> {
    crate::linalg::clip_segment([a.0, a.1], [c.0, c.1], [b.0, b.1], [b.2, b.3])
        .map(|(p, q)| ((p[0], p[1]), (q[0], q[1])))
}

/// Numbers in at most four significant digits, for ticks and readouts (kept here for the drawing
/// code's callers; it lives in the bottom layer).
pub use crate::format::short;

/// [`short`], with fewer significant digits where needed to keep within `chars` characters
/// (`-1.23e-100` becomes `-1e-100`); a number that cannot fit keeps its shortest form.
pub fn short_within(v: f64, chars: usize) -> String {
    let s = short(v);
    if s.chars().count() <= chars {
        return s;
    }
    for digits in (0..=2).rev() {
        let t = crate::format::trimmed_sci(v, digits);
        if t.chars().count() <= chars {
            return t;
        }
    }
    s
}

/// Sizes that scale with the device pixel ratio.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Device pixels per CSS pixel.
    pub scale: f64,
    /// Whether the page is in dark mode (light text on a dark background).
    pub dark: bool,
}

impl Style {
    /// `css` CSS pixels in device pixels.
    pub(crate) fn px(&self, css: f64) -> u32 {
        (css * self.scale).round().max(1.0) as u32
    }

    /// The colour of text and axes.
    pub(crate) fn ink(&self) -> RGBColor {
        if self.dark {
            RGBColor(225, 228, 235)
        } else {
            RGBColor(40, 44, 52)
        }
    }

    /// A sans-serif font of `css` CSS pixels in the ink colour.
    pub(crate) fn font(&self, css: f64) -> TextStyle<'static> {
        // The family by name, not by text: `&str` into a family lower-cases it first, which
        // would bring Unicode's case tables (several KB) into the wasm module.
        FontDesc::new(FontFamily::SansSerif, css * self.scale, FontStyle::Normal).color(&self.ink())
    }
}

/// Draws the axes (ticks, labels, names) of the contour plot of `view` and the colour bar of
/// `scale` (with a key for undefined values when `undefined`); returns where the plot rectangle
/// is, so the heatmap, contours and trajectory can be put inside it. The rectangle is
/// [`layout`]'s, a function of the area's size alone.
pub fn draw_axes<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: View,
    names: (&str, &str),
    scale: &Scale,
    undefined: bool,
    style: &Style,
) -> Result<Frame, String> {
    chartable(view)?;
    let (w, _) = root.dim_in_pixel();
    let bar = layout::layout(root.dim_in_pixel(), style).bar;
    let z = layout::sizes_of(root.dim_in_pixel(), style);
    let (main, bar_area) = root.split_horizontally(w - bar);
    let mut chart = ChartBuilder::on(&main)
        .margin(style.px(z.margin))
        .margin_right(style.px(z.margin_right))
        .x_label_area_size(style.px(z.x_labels))
        .y_label_area_size(style.px(z.y_labels))
        .build_cartesian_2d(
            ticks::Axis::linear(view.x.0, view.x.1),
            ticks::Axis::linear(view.y.0, view.y.1),
        )
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(7)
        .y_labels(7)
        .x_desc(names.0)
        .y_desc(names.1)
        .label_style(style.font(z.label_font))
        .axis_desc_style(style.font(z.name_font))
        .axis_style(style.ink())
        .x_label_formatter(&|v| short(*v))
        .y_label_formatter(&|v| short(*v))
        .draw()
        .map_err(|e| e.to_string())?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let frame = Frame {
        view,
        left: xr.start as f64,
        top: yr.start as f64,
        width: (xr.end - xr.start) as f64,
        height: (yr.end - yr.start) as f64,
    };
    // The bar's area draws in its own coordinates; the frame's are the backend's.
    let top = frame.top - bar_area.get_base_pixel().1 as f64;
    draw_colour_bar(&bar_area, top, frame.height, scale, undefined, &z, style)?;
    Ok(frame)
}

/// The colour bar's five labels: scale positions and values, each at most `chars` characters
/// so it fits the bar's fixed width. A log scale starts above the field's minimum (at
/// `min + floor`) and paints everything below that in its bottom colour, so its bottom label
/// reads "≤value", rounded up: the lowest value on the plot is below it, not at it.
fn bar_labels(scale: &Scale, chars: usize) -> Vec<(f64, String)> {
    (0..=4)
        .map(|k| {
            let t = k as f64 / 4.0;
            let v = scale.value_at(t);
            let label = if k == 0 && scale.is_log() {
                format!("≤{}", at_least_within(v, chars - 1))
            } else {
                short_within(v, chars)
            };
            (t, label)
        })
        .collect()
}

/// A number no smaller than `v`, in as many significant digits (at most four) as fit in `chars`
/// characters: the bound of a "≤" label, rounded up so that it stays true (0.3589 in five
/// characters is 0.359, not 3e-1).
fn at_least_within(v: f64, chars: usize) -> String {
    if v.is_finite() && v != 0.0 {
        let e = v.abs().log10().floor() as i32;
        for digits in (0..=4).rev() {
            let unit = 10f64.powi(e + 1 - digits);
            // Up, but not past a value that is whole but for the last bits of its scaling.
            let x = v / unit;
            let t = short((x - x.abs() * 1e-12).ceil() * unit);
            if t.chars().count() <= chars {
                return t;
            }
        }
    }
    short_within(v, chars)
}

/// Checks that plotters can put an axis on each side of `view`: finite, increasing, and no wider
/// than `f64::MAX` (on an infinite range its tick search never ends; on NaN it panics).
pub(crate) fn chartable(view: View) -> Result<(), String> {
    let ok = |(a, b): (f64, f64)| a.is_finite() && b.is_finite() && a < b && (b - a).is_finite();
    if ok(view.x) && ok(view.y) {
        Ok(())
    } else {
        Err(format!("cannot draw axes over the view {view:?}"))
    }
}

/// The colour bar: the heatmap's scale from bottom to top with five labelled values, its name,
/// and when `undefined`, a hatched swatch saying what the hatching on the plot means.
fn draw_colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    top: f64,
    height: f64,
    scale: &Scale,
    undefined: bool,
    z: &layout::Sizes,
    style: &Style,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let x0 = style.px(6.0) as i32;
    let x1 = x0 + style.px(12.0) as i32;
    let steps = 96;
    for k in 0..steps {
        let t = (k as f64 + 0.5) / steps as f64;
        let ya = (top + height * (1.0 - (k + 1) as f64 / steps as f64)).floor() as i32;
        let yb = (top + height * (1.0 - k as f64 / steps as f64)).ceil() as i32;
        let [r, g, b] = colour(t);
        area.draw(&Rectangle::new(
            [(x0, ya), (x1, yb)],
            RGBColor(r, g, b).filled(),
        ))
        .map_err(e)?;
    }
    let frame = [(x0, top as i32), (x1, (top + height) as i32)];
    area.draw(&Rectangle::new(frame, style.ink().stroke_width(1)))
        .map_err(e)?;
    let font = style.font(z.bar_font);
    for (t, label) in bar_labels(scale, z.bar_chars) {
        let y = (top + height * (1.0 - t)) as i32;
        area.draw(&PathElement::new(
            vec![(x1, y), (x1 + style.px(3.0) as i32, y)],
            style.ink(),
        ))
        .map_err(e)?;
        area.draw(&Text::new(
            label,
            (x1 + style.px(5.0) as i32, y - style.px(6.0) as i32),
            font.clone(),
        ))
        .map_err(e)?;
    }
    let name = if scale.is_log() { "f (log)" } else { "f" };
    let below = (top + height) as i32 + style.px(8.0) as i32;
    area.draw(&Text::new(name, (x0, below), font.clone()))
        .map_err(e)?;
    if undefined {
        // The swatch: the heatmap's hatching, a line below the name.
        let side = style.px(12.0) as i32;
        let y0 = below + style.px(18.0) as i32;
        let [r, g, b] = look::UNDEFINED_BASE;
        area.draw(&Rectangle::new(
            [(x0, y0), (x0 + side, y0 + side)],
            RGBColor(r, g, b).filled(),
        ))
        .map_err(e)?;
        let [sr, sg, sb] = look::UNDEFINED_STRIPE;
        let period = (look::UNDEFINED_PERIOD * style.scale).max(2.0);
        let mut k = period;
        while k < 2.0 * side as f64 {
            // A 45° stripe from the bottom edge (or left edge) to the top edge (or right edge).
            let from = (
                x0 + (k - side as f64).max(0.0) as i32,
                y0 + k.min(side as f64) as i32,
            );
            let to = (
                x0 + k.min(side as f64) as i32,
                y0 + (k - side as f64).max(0.0) as i32,
            );
            area.draw(&PathElement::new(
                vec![from, to],
                RGBColor(sr, sg, sb).stroke_width(style.px(look::UNDEFINED_WIDTH)),
            ))
            .map_err(e)?;
            k += period;
        }
        area.draw(&Rectangle::new(
            [(x0, y0), (x0 + side, y0 + side)],
            style.ink().stroke_width(1),
        ))
        .map_err(e)?;
        area.draw(&Text::new(
            "undefined",
            (x0 + side + style.px(4.0) as i32, y0),
            font,
        ))
        .map_err(e)?;
    }
    Ok(())
}

/// The full set of contour paths of a field, one SVG path string per level (all levels found in
/// one pass over the cells: [`crate::contour::all_segments`]).
pub fn contour_paths(field: &Field, levels: &Levels, frame: &Frame) -> Vec<String> {
    crate::contour::all_segments(field, &levels.values)
        .iter()
        .map(|segments| contour_path(segments, frame))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log scale paints everything from the minimum up to `min + floor` in its bottom colour,
    /// so the bottom label says "at most" that value, within the bar's characters; the other
    /// labels, and every label of a linear scale, are the scale's values themselves.
    #[test]
    fn the_log_bars_bottom_label_bounds_what_it_paints() {
        let log = Scale::Log {
            min: 0.0,
            floor: 4.2e-4,
            max: 100.0,
        };
        for chars in [6, 8] {
            let labels = bar_labels(&log, chars);
            assert_eq!(labels[0].1, if chars == 8 { "≤4.2e-4" } else { "≤5e-4" });
            assert!(
                labels.iter().all(|(_, l)| l.chars().count() <= chars),
                "{labels:?}"
            );
            assert_eq!(labels[4].1, "100");
            assert!(labels[1..].iter().all(|(_, l)| !l.starts_with('≤')));
            // Every value below the bottom label is painted as the bottom label is.
            assert_eq!(log.position(1e-9), log.position(4.2e-4));
        }
        // Rounded up, never down: the label stays a true bound.
        for (v, chars, want) in [
            (0.3589, 5, "0.359"),
            (0.3589, 6, "0.3589"),
            (0.35894, 6, "0.359"),
            (0.35894, 3, "0.4"),
            (0.35894, 1, "1"),
            (1234.5, 4, "1235"),
            (-0.0421, 5, "-0.04"),
            (4.21e-4, 6, "4.3e-4"),
            (4.2e-4, 4, "5e-4"),
            (4.2e-4, 6, "4.2e-4"),
            (0.3, 6, "0.3"),
            (1.5e7, 5, "1.5e7"),
        ] {
            let t = at_least_within(v, chars);
            assert_eq!(t, want, "{v} in {chars}");
            assert!(t.parse::<f64>().unwrap() >= v, "{t} ≥ {v}");
        }
        let linear = Scale::Linear {
            min: -1.5,
            max: 2.5,
        };
        let labels = bar_labels(&linear, 8);
        assert_eq!(labels[0].1, "-1.5");
        assert_eq!(labels[2].1, "0.5");
    }

    #[test]
    fn tenths_print_like_one_decimal() {
        for v in [
            0.0, 0.04, -0.04, 1.25, -1.26, 12.34, 799.96, -1e6, 123456.789, 3e14,
        ] {
            let mut d = Vec::new();
            push_tenths(&mut d, v);
            let d = String::from_utf8(d).unwrap();
            let expected = format!("{:.1}", (v * 10.0f64).round() / 10.0);
            let expected = if expected == "-0.0" {
                "0.0".to_string()
            } else {
                expected
            };
            assert_eq!(d, expected, "{v}");
        }
        let mut d = Vec::new();
        push_tenths(&mut d, f64::NAN);
        push_tenths(&mut d, 1e300);
        let d = String::from_utf8(d).unwrap();
        assert!(d.starts_with("NaN1"), "{d}");
    }

    /// `push_tenths` as it was, with `f64::round` and `write!` up to 1e15 tenths: the reference
    /// for the digits written by hand.
    fn push_tenths_reference(d: &mut String, v: f64) {
        use std::fmt::Write;
        let tenths = (v * 10.0).round();
        if tenths.is_nan() || tenths.abs() >= 1e15 {
            d.push_str(&crate::format::fixed(v, 1));
            return;
        }
        let tenths = tenths as i64;
        if tenths < 0 {
            d.push('-');
        }
        let t = tenths.unsigned_abs();
        let _ = write!(d, "{}", t / 10);
        d.push('.');
        d.push(char::from(b'0' + (t % 10) as u8));
    }

    #[test]
    fn tenths_are_written_as_before() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut values = vec![
            0.0, -0.0, 0.05, -0.05, 0.15, -0.25, 0.95, -0.95, 9.95, 99.95, 0.25, 1e14, 1e15,
        ];
        values.extend([
            0.04999999999999999,
            9.99999999999999e13,
            429496729.5,
            -429496729.5,
            429496729.55,
            4503599627370495.5,
            f64::MIN_POSITIVE,
            -5e-324,
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ]);
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Pixel-like values, ties (k / 20), and any bits at all.
            let r = (x >> 11) as f64 / (1u64 << 53) as f64;
            values.push((r - 0.3) * 2000.0);
            values.push(((x % 40_001) as f64 - 20_000.0) / 20.0);
            values.push(f64::from_bits(x));
        }
        for v in values {
            let (mut got, mut want) = (Vec::new(), String::new());
            push_tenths(&mut got, v);
            let got = String::from_utf8(got).unwrap();
            if (v * 10.0).round().abs() <= u32::MAX as f64 {
                push_tenths_reference(&mut want, v);
            } else {
                // Beyond 400 million pixels, as `format::fixed` writes it.
                want = crate::format::fixed(v, 1);
            }
            assert_eq!(got, want, "{v:e}");
        }
    }

    fn frame() -> Frame {
        Frame {
            view: View {
                x: (-2.0, 2.0),
                y: (-1.0, 3.0),
            },
            left: 50.0,
            top: 10.0,
            width: 400.0,
            height: 400.0,
        }
    }

    #[test]
    fn pixels_and_parameters_round_trip() {
        let f = frame();
        assert_eq!(f.to_px([-2.0, 3.0]), (50.0, 10.0));
        assert_eq!(f.to_px([2.0, -1.0]), (450.0, 410.0));
        let p = f.to_param(150.0, 110.0);
        assert_eq!(p, [-1.0, 2.0]);
        assert_eq!(f.to_px(p), (150.0, 110.0));
    }

    #[test]
    fn colour_map_runs_from_dark_to_light() {
        let lum = |c: [u8; 3]| 0.3 * c[0] as f64 + 0.59 * c[1] as f64 + 0.11 * c[2] as f64;
        let cs: Vec<[u8; 3]> = (0..=10).map(|k| colour(k as f64 / 10.0)).collect();
        assert!(cs.windows(2).all(|w| lum(w[1]) > lum(w[0])));
        assert_eq!(colour(f64::NAN), colour(0.0));
    }

    #[test]
    fn diverging_path_is_clipped_but_keeps_its_direction() {
        let f = frame();
        let pts = [[0.0, 1.0], [0.5, 1.0], [1e12, 1.0]];
        let p = trajectory_pixels(&pts, 2, &f, 4.0);
        assert_eq!(p.runs.len(), 1);
        let run = &p.runs[0];
        assert_eq!(run.len(), 3);
        let end = run[2];
        assert_eq!(end.0, f.left + 2.0 * f.width);
        assert!((end.1 - f.to_px([0.0, 1.0]).1).abs() < 1e-9);
        assert_eq!(p.dots, vec![0, 1]);
    }

    /// Cutting the whole path's pixels at step k gives what drawing the first k steps gives,
    /// for paths that pile up, wander off the plot and come back, and diverge.
    #[test]
    fn the_pixels_of_a_prefix_are_cut_from_the_whole_path() {
        let f = frame();
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        for case in 0..60 {
            let n = 1 + case * 7;
            let scale = [0.01, 1.0, 10.0, 1e6][case % 4];
            let mut p = [0.0, 1.0];
            let mut pts = vec![p];
            for _ in 0..n {
                p = [p[0] + (next() - 0.5) * scale, p[1] + (next() - 0.5) * scale];
                pts.push(p);
            }
            let whole = trajectory_pixels(&pts, usize::MAX, &f, 4.0);
            for k in (0..=n + 2).step_by(1 + n / 13) {
                let cut = whole.upto(k);
                let direct = trajectory_pixels(&pts, k, &f, 4.0);
                assert_eq!(cut.runs, direct.runs, "case {case}, step {k}");
                assert_eq!(cut.dots, direct.dots, "case {case}, step {k}");
                assert_eq!(cut.steps, direct.steps, "case {case}, step {k}");
            }
        }
    }

    #[test]
    fn paths_are_written_as_svg_path_data() {
        let p = PathPixels {
            runs: vec![
                vec![(1.0, 2.0), (3.25, 4.0)],
                vec![(10.0, 10.0), (11.0, 12.0)],
            ],
            dots: vec![0, 2],
            steps: vec![vec![0, 1], vec![2, 3]],
        };
        assert_eq!(p.line_path(), "M1.0 2.0L3.3 4.0M10.0 10.0L11.0 12.0");
        let d = p.dots_path(|i| (i as f64 * 10.0, 5.0), 2.5);
        assert_eq!(
            d,
            "M2.5 5.0a2.5 2.5 0 1 0 -5.0 0a2.5 2.5 0 1 0 5.0 0M22.5 5.0a2.5 2.5 0 1 0 -5.0 0a2.5 2.5 0 1 0 5.0 0"
        );
    }

    #[test]
    fn piled_up_steps_share_one_dot() {
        let f = frame();
        let mut pts = vec![[-1.0, 0.0]];
        pts.extend(std::iter::repeat_n([1.0, 1.0], 1000));
        let p = trajectory_pixels(&pts, 1000, &f, 4.0);
        assert_eq!(p.dots, vec![0, 1]);
        assert_eq!(p.runs.len(), 1);
        assert_eq!(p.runs[0].len(), 2);
        // A smooth path of many tiny steps (0.1 px each) stays one run, thinned to a point per
        // half pixel.
        let arc: Vec<Vec2> = (0..=1000).map(|k| [k as f64 * 1e-3, 0.0]).collect();
        let p = trajectory_pixels(&arc, 1000, &f, 4.0);
        assert_eq!(p.runs.len(), 1);
        assert!(
            (195..=205).contains(&p.runs[0].len()),
            "{}",
            p.runs[0].len()
        );
        // Only the first `upto` steps are drawn.
        assert_eq!(trajectory_pixels(&pts, 0, &f, 4.0).dots, vec![0]);
    }

    #[test]
    fn divergence_label_stays_on_the_plot() {
        let f = frame();
        // Below a point in the upper half, within the plot however far the point went.
        let l = divergence_label(&f, [1e9, 2.9], 12, |t| 7.0 * t.len() as f64, 1.0);
        assert_eq!(l.text, "diverged at step 12");
        let (x, y, w, h) = l.rect;
        assert!(x >= f.left && x + w <= f.left + f.width, "{:?}", l.rect);
        assert!(y > f.top && y + h <= f.top + f.height);
        // Text wider than a small plot: placed at its left edge, no panic.
        let l = divergence_label(&f, [0.0, 0.0], 100_000, |_| 500.0, 1.0);
        assert_eq!(l.x, f.left + 4.0);
    }

    #[test]
    fn short_numbers() {
        assert_eq!(short(0.001), "0.001");
        assert_eq!(short(1.5), "1.5");
        assert_eq!(short(2500.0), "2500");
        assert_eq!(short(1.23456e-7), "1.23e-7");
        assert_eq!(short(-0.25), "-0.25");
        assert_eq!(short(0.0), "0");
    }

    /// A coarse heatmap covers the plot once scaled up (never a pixel short, less than one of
    /// its pixels over), keeps more than two image pixels per grid cell and at most four, and is
    /// full size on a plot no larger than that.
    #[test]
    fn a_coarse_heatmap_covers_the_plot_at_about_four_pixels_per_cell() {
        for (w, h) in [
            (898, 420),
            (1796, 840),
            (300, 250),
            (256, 100),
            (257, 1),
            (1, 1),
        ] {
            let (k, iw, ih) = coarse_heatmap_size(w, h);
            assert!(iw * k >= w && (iw - 1) * k < w, "{w}×{h}: {k} {iw}");
            assert!(ih * k >= h && (ih - 1) * k < h, "{w}×{h}: {k} {ih}");
            assert!(
                2 * iw.max(ih) > (4 * COARSE_GRID).min(w.max(h)),
                "{w}×{h}: {iw}×{ih}"
            );
            assert!(iw.max(ih) <= 4 * COARSE_GRID, "{w}×{h}: {iw}×{ih}");
        }
        assert_eq!(coarse_heatmap_size(898, 420), (4, 225, 105));
        assert_eq!(coarse_heatmap_size(200, 150), (1, 200, 150));
    }

    #[test]
    fn heatmap_has_a_pixel_per_pixel_and_many_colours() {
        let s = crate::surface::by_name("rosenbrock").unwrap();
        let field = Field::sample(s.as_ref(), s.view(), 64, 64);
        let levels = Levels::choose(&field, 12);
        let rgba = heatmap_rgba(&field, &levels.scale, 120, 80, 1.0);
        assert_eq!(rgba.len(), 120 * 80 * 4);
        let distinct: std::collections::HashSet<&[u8]> = rgba.chunks(4).collect();
        assert!(distinct.len() > 50);
    }

    /// The heatmap is the bilinear interpolation of the scale positions from each pixel's four
    /// grid points (computed here directly, as it was before it was made separable), coloured:
    /// the same colour or the neighbouring one of the 256 (rounding order), the same hatching
    /// wherever a grid point it depends on is undefined.
    #[test]
    fn heatmap_is_the_bilinear_interpolation_of_the_field() {
        let lut: Vec<[u8; 3]> = (0..256).map(|k| colour(k as f64 / 255.0)).collect();
        for (expr, grid, (w, h)) in [
            ("log(x) + y^2", 33, (97, 61)),
            ("sin(3*x)*cos(2*y) + x*y", 64, (300, 200)),
            ("sqrt(1 - x^2 - y^2)", 20, (45, 120)),
        ] {
            let s = crate::expr::ExprSurface::parse(expr, crate::expr::DEFAULT_VIEW).unwrap();
            let field = Field::sample(&s, s.view(), grid, grid);
            let levels = Levels::choose(&field, 12);
            let rgba = heatmap_rgba(&field, &levels.scale, w, h, 1.0);
            let t = |i: usize, j: usize| {
                let v = field.values[j * grid + i];
                if v.is_finite() {
                    levels.scale.position(v)
                } else {
                    f64::NAN
                }
            };
            let (mut hatched, mut coloured) = (0, 0);
            for py in 0..h {
                let gy = (1.0 - (py as f64 + 0.5) / h as f64) * (grid - 1) as f64;
                let j = (gy.floor() as usize).min(grid - 2);
                let fy = gy - j as f64;
                for px in 0..w {
                    let gx = (px as f64 + 0.5) / w as f64 * (grid - 1) as f64;
                    let i = (gx.floor() as usize).min(grid - 2);
                    let fx = gx - i as f64;
                    let a = t(i, j) * (1.0 - fx) + t(i + 1, j) * fx;
                    let b = t(i, j + 1) * (1.0 - fx) + t(i + 1, j + 1) * fx;
                    let v = a * (1.0 - fy) + b * fy;
                    let got = &rgba[4 * (py * w + px)..4 * (py * w + px) + 4];
                    assert_eq!(got[3], 255);
                    if v.is_nan() {
                        hatched += 1;
                        assert!(
                            [look::UNDEFINED_BASE, look::UNDEFINED_STRIPE]
                                .contains(&[got[0], got[1], got[2]]),
                            "{expr}: pixel ({px}, {py}) should be hatched: {got:?}"
                        );
                    } else {
                        coloured += 1;
                        let k = ((v * 255.0 + 0.5) as usize).min(255);
                        let near = [k.saturating_sub(1), k, (k + 1).min(255)];
                        assert!(
                            near.iter().any(|&k| lut[k] == [got[0], got[1], got[2]]),
                            "{expr}: pixel ({px}, {py}) is {got:?}, colour {k} is {:?}",
                            lut[k]
                        );
                    }
                }
            }
            assert!(coloured > 0, "{expr}");
            if expr.starts_with("log") || expr.starts_with("sqrt") {
                assert!(hatched > 0, "{expr}: no undefined pixels");
            }
        }
    }
}
