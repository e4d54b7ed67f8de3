//! The 3D view: f over the view as a shaded mesh, with height and colour both the heatmap's scale
//! position (so surfaces whose values span decades stay readable), and the trajectory on it, seen
//! from a camera that turns. Drawn with plotters' 3D charts on any `DrawingBackend`.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::contour::{Field, Levels, Scale};
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

    /// What the vertical axis and the colours show.
    pub fn axis_name(&self) -> String {
        match self.heights {
            Heights::Linear { .. } => "height and colour: f".into(),
            Heights::Log { c, .. } => format!(
                "height: log(f − min + {}) · colour: f as on the heatmap",
                short(c)
            ),
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

/// Draws `mesh` in 3D from `camera`, with the run up to step `upto` on it (the current point
/// marked) and the axes named `names`. Nothing is drawn on an area too small for a chart.
pub fn draw_3d<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    mesh: &Mesh,
    traj: &Trajectory,
    upto: usize,
    camera: Camera,
    names: (&str, &str),
    style: &Style,
) -> Result<(), String> {
    let (w, h) = root.dim_in_pixel();
    if w < style.px(160.0) || h < style.px(140.0) || traj.points.is_empty() {
        return Ok(());
    }
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    // The caption, wrapped at its " · " separators where the canvas is narrow.
    let f = style.font(12.0);
    let caption = mesh.axis_name();
    let mut lines: Vec<String> = Vec::new();
    for piece in caption.split(" · ") {
        let joined = lines.last().map(|l| format!("{l} · {piece}"));
        match joined {
            Some(j) if root.estimate_text_size(&j, &f).map_err(err)?.0 + style.px(16.0) <= w => {
                *lines.last_mut().unwrap_or(&mut String::new()) = j;
            }
            _ => lines.push(piece.to_string()),
        }
    }
    let line_h = style.px(17.0);
    let (top, body) = root.split_vertically(line_h * lines.len() as u32 + style.px(6.0));
    for (i, line) in lines.into_iter().enumerate() {
        let y = style.px(4.0) + line_h * i as u32;
        top.draw(&Text::new(
            line,
            (style.px(8.0) as i32, y as i32),
            f.clone(),
        ))
        .map_err(err)?;
    }

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
    let heights = mesh.heights;
    let panel = if style.dark {
        RGBColor(60, 66, 80).mix(0.35)
    } else {
        RGBColor(200, 205, 215).mix(0.25)
    };
    chart
        .configure_axes()
        .axis_panel_style(panel.filled())
        .bold_grid_style(style.ink().mix(0.18))
        .light_grid_style(TRANSPARENT)
        .max_light_lines(1)
        .label_style(style.font(11.0))
        .x_labels(5)
        .y_labels(4)
        .z_labels(5)
        .x_formatter(&|v| short(*v))
        .y_formatter(&|t| short(heights.value_at(*t)))
        .z_formatter(&|v| short(0.0 - *v))
        .draw()
        .map_err(err)?;

    let coord = chart.as_coord_spec().clone();
    let depth = |p: Point3| {
        let c = to_chart(p);
        coord.projected_depth(&c.0, &c.1, &c.2)
    };
    let quads = mesh.quads(|x, h, y| depth((x, h, y)));
    chart
        .draw_series(
            quads
                .into_iter()
                .map(|q| Polygon::new(q.corners.map(to_chart).to_vec(), q.colour.filled())),
        )
        .map_err(err)?;

    // Axis names outside the middle of the nearer floor edge of each axis, past its ticks.
    let (wx, wy) = (view.x.1 - view.x.0, view.y.1 - view.y.0);
    let (mx, my) = ((view.x.0 + view.x.1) / 2.0, (view.y.0 + view.y.1) / 2.0);
    let nearer = |a: Point3, b: Point3| if depth(a) <= depth(b) { a } else { b };
    let x_edge = nearer((mx, 0.0, view.y.0), (mx, 0.0, view.y.1));
    let y_edge = nearer((view.x.0, 0.0, my), (view.x.1, 0.0, my));
    let away = |v: f64, m: f64| (v - m).partial_cmp(&0.0).map_or(0.0, |o| o as i8 as f64);
    let out = |p: Point3| {
        (
            p.0 + away(p.0, mx) * 0.3 * wx,
            p.1,
            p.2 + away(p.2, my) * 0.3 * wy,
        )
    };
    let centred = style.font(13.0).pos(Pos::new(HPos::Center, VPos::Center));
    chart
        .draw_series([
            Text::new(names.0.to_string(), to_chart(out(x_edge)), centred.clone()),
            Text::new(names.1.to_string(), to_chart(out(y_edge)), centred),
        ])
        .map_err(err)?;

    // The path: a white halo under the orange line, then the start and the current point.
    let runs = path_runs(mesh, traj, upto);
    let lift = |p: Point3| to_chart((p.0, p.1 + 0.004, p.2));
    for (colour, width) in [
        (RGBColor(255, 255, 255).mix(0.9), 4.5),
        (RGBColor(217, 72, 15).mix(1.0), 2.0),
    ] {
        chart
            .draw_series(runs.iter().map(|r| {
                PathElement::new(
                    r.iter().map(|&p| lift(p)).collect::<Vec<_>>(),
                    colour.stroke_width(style.px(width)),
                )
            }))
            .map_err(err)?;
    }
    let k = upto.min(traj.points.len() - 1);
    let mark = |i: usize| {
        let p = traj.points[i];
        view.contains(p)
            .then(|| lift((p[0], mesh.height(traj.losses[i]), p[1])))
    };
    if let Some(s) = mark(0) {
        chart
            .draw_series([
                Circle::new(s, style.px(5.0), RGBColor(255, 255, 255).filled()),
                Circle::new(s, style.px(5.0), style.ink().stroke_width(style.px(1.5))),
            ])
            .map_err(err)?;
    }
    if let Some(c) = mark(k) {
        chart
            .draw_series([
                Circle::new(c, style.px(6.5), RGBColor(176, 42, 0).filled()),
                Circle::new(
                    c,
                    style.px(6.5),
                    RGBColor(255, 255, 255).stroke_width(style.px(2.0)),
                ),
            ])
            .map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface::by_name;

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
        assert!(m.axis_name().contains("log(f − min + "));
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
            status: crate::run::Status::MaxSteps,
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
