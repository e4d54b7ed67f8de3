//! The 3D view: f over the view as a shaded mesh, with height and colour both the heatmap's scale
//! position (so surfaces whose values span decades stay readable), and the trajectory on it, seen
//! from a camera that turns. Drawn with plotters' 3D charts on any `DrawingBackend`.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::contour::{Field, Levels, Scale};
use crate::render::place::{self, Rect};
use crate::render::{colour, short, Style};
use crate::run::Trajectory;
use crate::surface::{Surface, View};

/// Grid points of the mesh each way: fine enough to show a valley, few enough to turn smoothly.
pub const MESH: usize = 56;
/// The most trajectory points drawn (longer paths are thinned evenly).
const PATH_POINTS: usize = 2000;

/// Where the view is seen from: yaw turns about the vertical axis, pitch tilts toward the top.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    /// Rotation about the vertical axis, radians.
    pub yaw: f64,
    /// Tilt, radians, within [`Camera::PITCH`].
    pub pitch: f64,
}

impl Default for Camera {
    fn default() -> Self {
        Camera {
            // Seen from the front-left, like the contour plot: θ₁ to the right, θ₂ away.
            yaw: 0.6,
            pitch: 0.5,
        }
    }
}

impl Camera {
    /// The allowed pitch: from level with the floor to almost straight down.
    pub const PITCH: (f64, f64) = (0.0, 1.5);
    /// Radians per CSS pixel of drag.
    const PER_PX: f64 = 0.01;
    /// CSS pixels of drag one arrow key press stands for.
    const KEY_PX: f64 = 15.0;

    /// Turns by a drag of `(dx, dy)` CSS pixels: right turns the surface right, down tilts it
    /// toward the viewer. Non-finite input is ignored.
    pub fn rotate(&mut self, dx: f64, dy: f64) {
        if !(dx.is_finite() && dy.is_finite()) {
            return;
        }
        let tau = std::f64::consts::TAU;
        self.yaw = (self.yaw - dx * Self::PER_PX).rem_euclid(tau);
        self.pitch = (self.pitch + dy * Self::PER_PX).clamp(Self::PITCH.0, Self::PITCH.1);
    }

    /// Turns for an arrow key (`ArrowLeft`, `ArrowRight`, `ArrowUp`, `ArrowDown`); returns
    /// whether the key was one of them.
    pub fn key(&mut self, key: &str) -> bool {
        let (dx, dy) = match key {
            "ArrowLeft" => (-Self::KEY_PX, 0.0),
            "ArrowRight" => (Self::KEY_PX, 0.0),
            "ArrowUp" => (0.0, -Self::KEY_PX),
            "ArrowDown" => (0.0, Self::KEY_PX),
            _ => return false,
        };
        self.rotate(dx, dy);
        true
    }
}

/// A point of the 3D chart: (θ₁, height, θ₂).
pub type Point3 = (f64, f64, f64);

/// One cell of the mesh: its corners and its shaded colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quad {
    /// The corners, in order around the cell.
    pub corners: [Point3; 4],
    /// The heatmap colour of its mean height, shaded by its slope.
    pub colour: RGBColor,
}

/// How f becomes a height from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Heights {
    /// Evenly in f.
    Linear {
        /// f at height 0.
        min: f64,
        /// f at height 1.
        max: f64,
    },
    /// Evenly in log(f − min + c): for surfaces whose values span decades. The offset c rounds
    /// off the bottom of narrow valleys, which a coarse mesh would otherwise show as teeth.
    Log {
        /// The lowest f sampled.
        min: f64,
        /// The offset c.
        c: f64,
        /// The highest f sampled.
        max: f64,
    },
}

impl Heights {
    /// The height of `f`, clamped to [0, 1].
    pub fn of(&self, f: f64) -> f64 {
        let t = match *self {
            Heights::Linear { min, max } => crate::contour::unlerp((min, max), f),
            Heights::Log { min, c, max } => ((f - min) / c).ln_1p() / ((max - min) / c).ln_1p(),
        };
        if t.is_nan() {
            0.0
        } else {
            t.clamp(0.0, 1.0)
        }
    }

    /// The f at height `t`: the inverse of [`Heights::of`].
    pub fn value_at(&self, t: f64) -> f64 {
        match *self {
            Heights::Linear { min, max } => crate::contour::lerp((min, max), t),
            Heights::Log { min, c, max } => min + c * (((max - min) / c).ln_1p() * t).exp_m1(),
        }
    }
}

/// How tall the chart's box is, as a share of its width.
const BOX_HEIGHT: f64 = 0.62;
/// The log heights' offset c as a share of f's range.
const LOG_OFFSET: f64 = 4e-3;

/// f sampled for the mesh, with the heatmap's colour scale and the heights.
#[derive(Debug, Clone, PartialEq)]
pub struct Mesh {
    /// The sampled field (f values).
    pub field: Field,
    /// The heatmap's colour scale, chosen on this field.
    pub scale: Scale,
    /// How f becomes height: linear, or logarithmic where the colour scale is.
    pub heights: Heights,
}

impl Mesh {
    /// Samples `surface` over `view` on an `n` × `n` grid; colours and heights are linear or
    /// logarithmic as the heatmap's scale is.
    pub fn new(surface: &dyn Surface, view: View, n: usize) -> Mesh {
        let field = Field::sample(surface, view, n, n);
        let scale = Levels::choose(&field, 16).scale;
        let heights = match scale {
            Scale::Linear { min, max } => Heights::Linear { min, max },
            Scale::Log { min, floor, max } => Heights::Log {
                min,
                c: floor.max(LOG_OFFSET * (max - min)),
                max,
            },
        };
        Mesh {
            field,
            scale,
            heights,
        }
    }

    /// The height of value `f`, 0 to 1.
    pub fn height(&self, f: f64) -> f64 {
        self.heights.of(f)
    }

    /// What the height shows, in words a student reads at a glance (the offset that rounds off
    /// the valleys is a drawing detail, not part of the lesson).
    pub fn axis_name(&self) -> String {
        match self.heights {
            Heights::Linear { .. } => "height: f".into(),
            Heights::Log { .. } => "height: log scale".into(),
        }
    }

    /// The mesh's cells, farthest first for `depth` (larger is farther); cells with a corner
    /// where f is undefined are left out.
    pub fn quads(&self, depth: impl Fn(f64, f64, f64) -> i32) -> Vec<Quad> {
        let f = &self.field;
        let (nx, ny) = (f.nx, f.ny);
        let h: Vec<f64> = f.values.iter().map(|&v| self.height(v)).collect();
        let tone: Vec<f64> = f.values.iter().map(|&v| self.scale.position(v)).collect();
        let at = |i: usize, j: usize| {
            let p = f.point(i, j);
            (p[0], h[j * nx + i], p[1])
        };
        let mut out = Vec::with_capacity((nx - 1) * (ny - 1));
        for j in 0..ny - 1 {
            for i in 0..nx - 1 {
                let c = [at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1)];
                let k = [
                    j * nx + i,
                    j * nx + i + 1,
                    (j + 1) * nx + i + 1,
                    (j + 1) * nx + i,
                ];
                // A cell with an undefined corner has no surface to draw: a hole, not a cliff.
                if k.iter().any(|&k| !f.values[k].is_finite()) {
                    continue;
                }
                let t = k.iter().map(|&k| tone[k]).sum::<f64>() / 4.0;
                // Lambert shading in the unit cube the chart draws: slopes facing the light
                // are brighter, so the shape reads even where the colour is flat.
                let (su, sv) = ((nx - 1) as f64, (ny - 1) as f64);
                let du = (h[j * nx + i + 1] - h[j * nx + i] + c[2].1 - c[3].1) / 2.0 * su;
                let dv = (c[3].1 - c[0].1 + c[2].1 - c[1].1) / 2.0 * sv;
                let n = [-du * BOX_HEIGHT, 1.0, -dv * BOX_HEIGHT];
                let len = (n[0] * n[0] + n[1] * n[1] + n[2] * n[2]).sqrt();
                let light = [-0.45, 0.8, -0.4];
                let lambert = (n[0] * light[0] + n[1] * light[1] + n[2] * light[2]) / len;
                let shade = 0.7 + 0.3 * lambert.clamp(0.0, 1.0);
                let [r, g, b] = colour(t);
                let dim = |v: u8| (v as f64 * shade).round() as u8;
                out.push(Quad {
                    corners: c,
                    colour: RGBColor(dim(r), dim(g), dim(b)),
                });
            }
        }
        let key = |q: &[Point3; 4]| {
            let m = q.iter().fold((0.0, 0.0, 0.0), |a, p| {
                (a.0 + p.0 / 4.0, a.1 + p.1 / 4.0, a.2 + p.2 / 4.0)
            });
            depth(m.0, m.1, m.2)
        };
        out.sort_by_cached_key(|q| std::cmp::Reverse(key(&q.corners)));
        out
    }
}

/// The first `upto + 1` points of a run as 3D polyline runs inside the view (a run breaks where
/// the path leaves it), thinned to at most `PATH_POINTS` points.
pub fn path_runs(mesh: &Mesh, traj: &Trajectory, upto: usize) -> Vec<Vec<Point3>> {
    let n = traj.points.len().min(upto.saturating_add(1));
    let stride = n.div_ceil(PATH_POINTS).max(1);
    let view = mesh.field.view;
    let mut runs = Vec::new();
    let mut run = Vec::new();
    for k in (0..n).filter(|&k| k % stride == 0 || k + 1 == n) {
        let p = traj.points[k];
        if view.contains(p) {
            run.push((p[0], mesh.height(traj.losses[k]), p[1]));
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// A label to put beside the 3D chart's box: its text's size, where it hangs from and which way
/// is away from the box.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisLabel {
    /// The text.
    pub text: String,
    /// Its width and height, pixels.
    pub size: (f64, f64),
    /// The point it labels (a tick on an edge, the middle of an edge), pixels.
    pub anchor: (f64, f64),
    /// The unit direction on screen away from the box.
    pub outward: (f64, f64),
    /// Space between the anchor and the label's nearest side, pixels.
    pub gap: f64,
    /// Whether it must be shown (an axis's name): moved farther out until it is clear; a tick's
    /// label that would overlap is left out instead.
    pub required: bool,
}

/// Where the labels go: each beyond its anchor along its outward direction, in order, so that
/// no two overlap and none covers `path` (polylines in pixels). Tick labels that would are
/// left out; names are moved out (up to about 80 pixels farther) or along until clear. Returns
/// the labels shown, by index, with their boxes.
pub fn place_labels(labels: &[AxisLabel], path: &[Vec<(f64, f64)>]) -> Vec<(usize, Rect)> {
    let lines = place::segments(path);
    let mut placed: Vec<(usize, Rect)> = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        let (rings, shifts) = if l.required { (14, 5) } else { (1, 1) };
        let mut free_of_labels = None;
        let mut clear = None;
        'search: for k in 0..rings {
            for s in [0.0, 1.0, -1.0, 2.0, -2.0].into_iter().take(shifts) {
                let gap = l.gap + 6.0 * k as f64;
                let r = place::beside(l.anchor, l.outward, gap, l.size, s * 0.6 * l.size.0);
                if placed.iter().any(|(_, p)| place::overlap(&r, p)) {
                    continue;
                }
                free_of_labels.get_or_insert(r);
                if place::crossings(&r, &lines) == 0 {
                    clear = Some(r);
                    break 'search;
                }
            }
        }
        // A name must show: clear of other labels at least, if over a path.
        let spot = if l.required {
            clear
                .or(free_of_labels)
                .or(Some(place::beside(l.anchor, l.outward, l.gap, l.size, 0.0)))
        } else {
            clear
        };
        if let Some(r) = spot {
            placed.push((i, r));
        }
    }
    placed
}

/// A run to draw on the 3D view: its trajectory and its colour.
pub type Run3d<'a> = (&'a Trajectory, RGBColor);

/// Draws `mesh` in 3D from `camera`, with every run up to step `upto` on it (each in its colour,
/// its point shown marked; the run `selected` last, on top), and the axes named `names`. The
/// tick labels and names are placed by [`place_labels`]: none overlaps another or a path.
/// Nothing is drawn on an area too small for a chart.
#[allow(clippy::too_many_arguments)]
pub fn draw_3d<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    mesh: &Mesh,
    runs: &[Run3d],
    selected: usize,
    upto: usize,
    camera: Camera,
    names: (&str, &str),
    style: &Style,
) -> Result<(), String> {
    let (w, h) = root.dim_in_pixel();
    if w < style.px(160.0) || h < style.px(140.0) || runs.iter().all(|r| r.0.points.is_empty()) {
        return Ok(());
    }
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let f = style.font(12.0);
    let line_h = style.px(17.0);
    let (top, body) = root.split_vertically(line_h + style.px(6.0));
    top.draw(&Text::new(
        mesh.axis_name(),
        (style.px(8.0) as i32, style.px(4.0) as i32),
        f,
    ))
    .map_err(err)?;

    let view = mesh.field.view;
    crate::render::chartable(view)?;
    // The chart's third axis is −θ₂: plotters' axes are left-handed, and this keeps θ₁ to the
    // right of θ₂ as on the contour plot.
    let to_chart = |p: Point3| (p.0, p.1, -p.2);
    let mut chart = ChartBuilder::on(&body)
        .margin(style.px(4.0))
        .build_cartesian_3d(view.x.0..view.x.1, 0.0..1.0, -view.y.1..-view.y.0)
        .map_err(err)?;
    // A box flatter than a cube, sized so that it fits the canvas from every camera angle.
    let (bw, bh) = body.dim_in_pixel();
    let side = (0.62 * bw as f64).min(0.62 * bh as f64).max(1.0);
    chart.set_3d_pixel_range((side as i32, (BOX_HEIGHT * side) as i32, side as i32));
    chart.with_projection(|mut pb| {
        pb.yaw = camera.yaw;
        pb.pitch = camera.pitch;
        pb.into_matrix()
    });
    let panel = if style.dark {
        RGBColor(60, 66, 80).mix(0.35)
    } else {
        RGBColor(200, 205, 215).mix(0.25)
    };
    let coord = chart.as_coord_spec().clone();
    // The box: its three far faces with their grid, and an axis line along each axis.
    let ranges = [(view.x.0, view.x.1), (0.0, 1.0), (-view.y.1, -view.y.0)];
    let far = |p: [f64; 3]| coord.projected_depth(&p[0], &p[1], &p[2]);
    let y_of = |p: [f64; 3]| coord.translate(&(p[0], p[1], p[2])).1;
    let bx = box_lines(ranges, &far, &y_of);
    let grid = style.ink().mix(0.18);
    let at = |p: [f64; 3]| (p[0], p[1], p[2]);
    for face in &bx.faces {
        chart
            .draw_series(std::iter::once(Polygon::new(
                face.map(at).to_vec(),
                panel.filled(),
            )))
            .map_err(err)?;
    }
    chart
        .draw_series(
            bx.grid
                .iter()
                .map(|l| PathElement::new(vec![at(l[0]), at(l[1])], grid.stroke_width(1))),
        )
        .map_err(err)?;
    chart
        .draw_series(
            bx.axes
                .iter()
                .map(|l| PathElement::new(vec![at(l[0]), at(l[1])], style.ink().mix(0.6))),
        )
        .map_err(err)?;

    let depth = |p: Point3| {
        let c = to_chart(p);
        coord.projected_depth(&c.0, &c.1, &c.2)
    };
    let screen = |p: Point3| {
        let (x, y) = coord.translate(&to_chart(p));
        (x as f64, y as f64)
    };
    let quads = mesh.quads(|x, h, y| depth((x, h, y)));
    chart
        .draw_series(
            quads
                .into_iter()
                .map(|q| Polygon::new(q.corners.map(to_chart).to_vec(), q.colour.filled())),
        )
        .map_err(err)?;

    // The paths: others first, the selected run last, each a white halo under its colour, its
    // point shown a large dot; the shared start a white disc.
    let lift = |p: Point3| to_chart((p.0, p.1 + 0.004, p.2));
    let selected = selected.min(runs.len().saturating_sub(1));
    let mut drawn: Vec<Vec<(f64, f64)>> = Vec::new();
    for n in 0..runs.len() {
        // 0, 1, … without the selected run, then it.
        let i = if n + 1 == runs.len() {
            selected
        } else if n < selected {
            n
        } else {
            n + 1
        };
        let (traj, colour) = runs[i];
        if traj.points.is_empty() {
            continue;
        }
        let paths = path_runs(mesh, traj, upto);
        for (ink, width) in [
            (RGBColor(255, 255, 255).mix(0.9), 4.5),
            (colour.mix(1.0), 2.0),
        ] {
            chart
                .draw_series(paths.iter().map(|r| {
                    PathElement::new(
                        r.iter().map(|&p| lift(p)).collect::<Vec<_>>(),
                        ink.stroke_width(style.px(width)),
                    )
                }))
                .map_err(err)?;
        }
        for r in &paths {
            let mut line = Vec::with_capacity(r.len());
            for &p in r {
                line.push(screen((p.0, p.1 + 0.004, p.2)));
            }
            drawn.push(line);
        }
        let k = upto.min(traj.points.len() - 1);
        let p = traj.points[k];
        if view.contains(p) {
            let c = lift((p[0], mesh.height(traj.losses[k]), p[1]));
            chart
                .draw_series([
                    Circle::new(c, style.px(6.5), colour.filled()),
                    Circle::new(
                        c,
                        style.px(6.5),
                        RGBColor(255, 255, 255).stroke_width(style.px(2.0)),
                    ),
                ])
                .map_err(err)?;
        }
    }
    if let Some((traj, _)) = runs.get(selected).filter(|r| !r.0.points.is_empty()) {
        let p = traj.points[0];
        if view.contains(p) {
            let s = lift((p[0], mesh.height(traj.losses[0]), p[1]));
            chart
                .draw_series([
                    Circle::new(s, style.px(5.0), RGBColor(255, 255, 255).filled()),
                    Circle::new(s, style.px(5.0), style.ink().stroke_width(style.px(1.5))),
                ])
                .map_err(err)?;
        }
    }

    // The labels: the axes' names, then the ticks of the height, θ₁ and θ₂, each where it
    // overlaps no other label and no path.
    let labels = axis_labels(
        mesh,
        &screen,
        &depth,
        names,
        &|t, size| {
            root.estimate_text_size(t, &style.font(size))
                .map(|(w, h)| (w as f64, h as f64))
                .unwrap_or((0.0, 0.0))
        },
        style,
    );
    let (bx, by) = root.get_base_pixel();
    for (i, (x, y, _, _)) in place_labels(&labels, &drawn) {
        let size = if labels[i].required { 13.0 } else { 11.0 };
        root.draw(&Text::new(
            labels[i].text.clone(),
            (
                (x - bx as f64).round() as i32,
                (y - by as f64).round() as i32,
            ),
            style.font(size).pos(Pos::new(HPos::Left, VPos::Top)),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// How many grid lines are drawn along θ₁, the height and θ₂ (plotters' key points of each
/// range; the tick labels are at the same values).
const GRID_LINES: (usize, usize, usize) = (5, 4, 5);

/// A segment of the 3D chart, in its coordinates (θ₁, height, −θ₂).
type Line3 = [[f64; 3]; 2];

/// The box around the mesh, as plotters' own axes would draw it: for each axis, the face
/// perpendicular to it on the far side (`depth` larger), its grid lines at the key points of
/// the two axes in it, and for each axis the nearest of the far faces' edges along it (lowest on
/// screen, `screen_y`, where two are as near).
struct BoxLines {
    faces: Vec<[[f64; 3]; 4]>,
    grid: Vec<Line3>,
    axes: Vec<Line3>,
}

fn box_lines(
    ranges: [(f64, f64); 3],
    depth: &dyn Fn([f64; 3]) -> i32,
    screen_y: &dyn Fn([f64; 3]) -> i32,
) -> BoxLines {
    use plotters::coord::ranged1d::Ranged;
    use plotters::coord::types::RangedCoordf64;
    let lo = [ranges[0].0, ranges[1].0, ranges[2].0];
    let hi = [ranges[0].1, ranges[1].1, ranges[2].1];
    let counts = [GRID_LINES.0, GRID_LINES.1, GRID_LINES.2];
    // The far face's plane along each axis.
    let plane: [f64; 3] = std::array::from_fn(|i| {
        let (mut a, mut c) = (lo, lo);
        c[i] = hi[i];
        a[i] = lo[i];
        if depth(a) >= depth(c) {
            lo[i]
        } else {
            hi[i]
        }
    });
    let mut out = BoxLines {
        faces: Vec::new(),
        grid: Vec::new(),
        axes: Vec::new(),
    };
    for i in 0..3 {
        let (j, k) = ((i + 1) % 3, (i + 2) % 3);
        let corner = |u: f64, v: f64| {
            let mut p = [0.0; 3];
            p[i] = plane[i];
            p[j] = u;
            p[k] = v;
            p
        };
        out.faces.push([
            corner(lo[j], lo[k]),
            corner(hi[j], lo[k]),
            corner(hi[j], hi[k]),
            corner(lo[j], hi[k]),
        ]);
        for (along, across) in [(j, k), (k, j)] {
            for t in RangedCoordf64::from(lo[along]..hi[along]).key_points(counts[along]) {
                let (mut a, mut b) = (corner(0.0, 0.0), corner(0.0, 0.0));
                a[along] = t;
                b[along] = t;
                a[across] = lo[across];
                b[across] = hi[across];
                out.grid.push([a, b]);
            }
        }
    }
    // Each axis along the nearest far-face edge parallel to it.
    for i in 0..3 {
        let mut best: Option<(Line3, (i32, i32))> = None;
        for f in (0..3).filter(|&f| f != i) {
            let g = 3 - i - f;
            for v in [lo[g], hi[g]] {
                let (mut a, mut b) = (lo, hi);
                a[f] = plane[f];
                b[f] = plane[f];
                a[g] = v;
                b[g] = v;
                let key = (depth(a) + depth(b), screen_y(a) + screen_y(b));
                if best.is_none_or(|(_, k)| key < k) {
                    best = Some(([a, b], key));
                }
            }
        }
        if let Some((line, _)) = best {
            out.axes.push(line);
        }
    }
    out
}

/// The labels of the 3D chart's axes: the names of θ₁ and θ₂ beyond the middle of the floor's
/// nearer edge along each, their ticks along those edges, and the height's ticks up the
/// vertical edge at the floor's leftmost corner on screen; `screen` and `depth` project a point
/// of (θ₁, height, θ₂), `measure` sizes a text at a font size (CSS pixels).
fn axis_labels(
    mesh: &Mesh,
    screen: &dyn Fn(Point3) -> (f64, f64),
    depth: &dyn Fn(Point3) -> i32,
    names: (&str, &str),
    measure: &dyn Fn(&str, f64) -> (f64, f64),
    style: &Style,
) -> Vec<AxisLabel> {
    use plotters::coord::ranged1d::Ranged;
    use plotters::coord::types::RangedCoordf64;
    let view = mesh.field.view;
    let (mx, my) = ((view.x.0 + view.x.1) / 2.0, (view.y.0 + view.y.1) / 2.0);
    let centre = screen((mx, 0.0, my));
    let unit = |from: (f64, f64), to: (f64, f64)| {
        let (dx, dy) = (to.0 - from.0, to.1 - from.1);
        let len = dx.hypot(dy);
        if len > 0.0 && len.is_finite() {
            (dx / len, dy / len)
        } else {
            (0.0, 1.0)
        }
    };
    let nearer = |a: Point3, b: Point3| if depth(a) <= depth(b) { a } else { b };
    // θ₁ runs along the edge at the nearer θ₂ side, θ₂ along the nearer θ₁ side.
    let y_side = nearer((mx, 0.0, view.y.0), (mx, 0.0, view.y.1)).2;
    let x_side = nearer((view.x.0, 0.0, my), (view.x.1, 0.0, my)).0;
    let gap = 4.0 * style.scale;
    let tick = |text: String, p: Point3, outward: (f64, f64)| AxisLabel {
        size: measure(&text, 11.0),
        text,
        anchor: screen(p),
        outward,
        gap,
        required: false,
    };
    let mut labels = Vec::new();
    let x_out = unit(centre, screen((mx, 0.0, y_side)));
    let y_out = unit(centre, screen((x_side, 0.0, my)));
    // The names go beyond their ticks: a label's height farther out.
    let beyond = gap + 16.0 * style.scale;
    for (name, mid, out) in [
        (names.0, (mx, 0.0, y_side), x_out),
        (names.1, (x_side, 0.0, my), y_out),
    ] {
        labels.push(AxisLabel {
            text: name.to_string(),
            size: measure(name, 13.0),
            anchor: screen(mid),
            outward: out,
            gap: beyond,
            required: true,
        });
    }
    // The height's ticks: up the vertical edge at the leftmost floor corner.
    let corners = [
        (view.x.0, view.y.0),
        (view.x.1, view.y.0),
        (view.x.0, view.y.1),
        (view.x.1, view.y.1),
    ];
    let left = corners
        .iter()
        .copied()
        .min_by(|a, b| {
            screen((a.0, 0.0, a.1))
                .0
                .total_cmp(&screen((b.0, 0.0, b.1)).0)
        })
        .unwrap_or(corners[0]);
    for t in RangedCoordf64::from(0.0..1.0).key_points(GRID_LINES.1) {
        let text = short(mesh.heights.value_at(t));
        labels.push(tick(text, (left.0, t, left.1), (-1.0, 0.0)));
    }
    for x in RangedCoordf64::from(view.x.0..view.x.1).key_points(GRID_LINES.0) {
        labels.push(tick(short(x), (x, 0.0, y_side), x_out));
    }
    // The chart's third axis is −θ₂: its key points, negated.
    for z in RangedCoordf64::from(-view.y.1..-view.y.0).key_points(GRID_LINES.2) {
        let y = 0.0 - z;
        labels.push(tick(short(y), (x_side, 0.0, y), y_out));
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface::by_name;

    /// The box's faces are the three far from the eye, each with its grid, and each axis runs
    /// along a far face's edge nearest the eye.
    #[test]
    fn the_box_shows_its_far_faces() {
        // Depth grows with x and z and falls with the height: the far faces are at x and z's
        // high ends and at the floor.
        let depth = |p: [f64; 3]| (10.0 * p[0] - 10.0 * p[1] + 10.0 * p[2]) as i32;
        let y = |p: [f64; 3]| (-100.0 * p[1]) as i32;
        let b = box_lines([(-2.0, 2.0), (0.0, 1.0), (-3.0, 1.0)], &depth, &y);
        assert_eq!(b.faces.len(), 3);
        assert!(b.faces[0].iter().all(|p| p[0] == 2.0));
        assert!(b.faces[1].iter().all(|p| p[1] == 0.0));
        assert!(b.faces[2].iter().all(|p| p[2] == 1.0));
        // The grid lies on the faces, never through the nearest corner (x, h, z) = (−2, 1, −3).
        assert!(!b.grid.is_empty());
        for l in &b.grid {
            let on_face = (0..3).any(|i| l[0][i] == l[1][i] && [2.0, 0.0, 1.0][i] == l[0][i]);
            assert!(on_face, "{l:?}");
        }
        assert_eq!(b.axes.len(), 3);
        for (i, l) in b.axes.iter().enumerate() {
            assert!(l[0][i] < l[1][i], "axis {i} runs along itself: {l:?}");
        }
    }

    #[test]
    fn camera_turns_wraps_and_clamps() {
        let mut c = Camera::default();
        let yaw = c.yaw;
        c.rotate(10.0, 0.0);
        assert!((c.yaw - (yaw - 0.1)).abs() < 1e-12);
        c.rotate(0.0, 1e6);
        assert_eq!(c.pitch, Camera::PITCH.1);
        c.rotate(0.0, -1e6);
        assert_eq!(c.pitch, Camera::PITCH.0);
        c.rotate(1e5, 0.0);
        assert!((0.0..std::f64::consts::TAU).contains(&c.yaw));
        let before = c;
        c.rotate(f64::NAN, 1.0);
        assert_eq!(c, before);
        assert!(c.key("ArrowLeft"));
        assert_ne!(c, before);
        assert!(!c.key("a"));
    }

    #[test]
    fn mesh_heights_follow_the_heatmap_scale() {
        let s = by_name("rosenbrock").unwrap();
        let m = Mesh::new(s.as_ref(), s.view(), MESH);
        assert!(m.scale.is_log(), "Rosenbrock spans decades");
        let Heights::Log { min, c, max } = m.heights else {
            panic!("log colours, log heights: {:?}", m.heights);
        };
        assert!(c >= LOG_OFFSET * (max - min));
        assert_eq!(m.height(min), 0.0);
        assert!((m.height(max) - 1.0).abs() < 1e-12);
        for t in [0.1, 0.5, 0.9] {
            let f = m.heights.value_at(t);
            assert!((m.height(f) - t).abs() < 1e-12, "t = {t}");
            assert!(m.height(f * 1.01) > t, "heights grow with f");
        }
        assert_eq!(m.axis_name(), "height: log scale");
        // Heights are linear exactly where the heatmap's colours are.
        let mut linear = 0;
        for e in crate::surface::catalog() {
            let s = e.build(&[]).unwrap();
            let m = Mesh::new(s.as_ref(), s.view(), 16);
            match (m.scale, m.heights) {
                (Scale::Linear { .. }, Heights::Linear { .. }) => linear += 1,
                (Scale::Log { .. }, Heights::Log { .. }) => {}
                other => panic!("{}: {other:?}", e.name),
            }
        }
        assert!(linear > 0);
        let q = m.quads(|_, _, z| (z * 1000.0) as i32);
        assert_eq!(q.len(), (MESH - 1) * (MESH - 1));
        assert!(q
            .iter()
            .all(|c| c.corners.iter().all(|p| (0.0..=1.0).contains(&p.1))));
        // Farthest (largest depth) first.
        let d: Vec<f64> = q.iter().map(|c| c.corners[0].2 + c.corners[2].2).collect();
        assert!(d.windows(2).all(|w| w[0] >= w[1] - 1e-9));
        let colours: std::collections::HashSet<_> = q
            .iter()
            .map(|c| (c.colour.0, c.colour.1, c.colour.2))
            .collect();
        assert!(colours.len() > 100);
    }

    #[test]
    fn path_breaks_where_it_leaves_the_view() {
        let s = by_name("booth").unwrap();
        let m = Mesh::new(s.as_ref(), s.view(), 8);
        let points = vec![[0.0, 0.0], [1.0, 1.0], [1e6, 0.0], [2.0, 2.0], [3.0, 3.0]];
        let losses = points.iter().map(|&p| s.value(p)).collect();
        let t = Trajectory {
            points,
            losses,
            grads: vec![[0.0; 2]; 4],
            lrs: vec![0.1; 4],
            status: crate::run::Status::MaxSteps,
            converged_at: None,
        };
        let runs = path_runs(&m, &t, 4);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].len(), 2);
        assert_eq!(
            path_runs(&m, &t, 0),
            vec![vec![(0.0, m.height(t.losses[0]), 0.0)]]
        );
    }
}
