//! The data view and the 3D view, natively: the batch replay matches what runs use, the logistic
//! decision boundary is exact, and both views draw on a plotters SVG backend without failing.

use std::cell::RefCell;

use gdviz::contour::Levels;
use gdviz::dataview::{self, draw_data};
use gdviz::plot3d::{draw_3d, Camera, Mesh, MESH};
use gdviz::render::Style;
use gdviz::surface::{self, by_name, Dataset, Minimum, Surface, View};
use gdviz::variant::{batch_at, Sampler, Variant};
use gdviz::{run, Mat2, OptimizerKind, RunConfig, Vec2};
use plotters::prelude::*;

const STYLE: Style = Style {
    scale: 1.0,
    dark: false,
};

#[test]
fn batch_at_replays_the_sampler() {
    for (variant, n, b, seed) in [
        (Variant::Stochastic, 50, 1, 0),
        (Variant::Stochastic, 3, 1, 9),
        (Variant::MiniBatch, 50, 10, 7),
        (Variant::MiniBatch, 50, 7, 123),
        (Variant::MiniBatch, 50, 50, 1),
        (Variant::Batch, 50, 10, 3),
    ] {
        let mut sampler = Sampler::new(variant, n, b, seed).unwrap();
        let mut out = Vec::new();
        assert!(batch_at(variant, n, b, seed, 0).unwrap().is_empty());
        for step in 1..=130 {
            sampler.next_batch(&mut out);
            out.sort_unstable();
            assert_eq!(
                batch_at(variant, n, b, seed, step).unwrap(),
                out,
                "{variant:?} n={n} b={b} seed={seed} step {step}"
            );
        }
    }
    // Another seed, another sequence.
    let a: Vec<_> = (1..20)
        .map(|k| batch_at(Variant::Stochastic, 50, 1, 1, k).unwrap())
        .collect();
    let b: Vec<_> = (1..20)
        .map(|k| batch_at(Variant::Stochastic, 50, 1, 2, k).unwrap())
        .collect();
    assert_ne!(a, b);
    assert!(batch_at(Variant::MiniBatch, 50, 0, 0, 1).is_err());
}

/// A dataset loss that records which terms each gradient evaluation used: `value` is called
/// once per step after the step (and once at the start), so it closes a group.
struct Recording {
    inner: Box<dyn Surface>,
    groups: RefCell<Vec<Vec<usize>>>,
}

impl Surface for Recording {
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn formula(&self) -> &str {
        self.inner.formula()
    }
    fn value(&self, p: Vec2) -> f64 {
        self.groups.borrow_mut().push(Vec::new());
        self.inner.value(p)
    }
    fn gradient(&self, p: Vec2) -> Vec2 {
        // Only a full batch asks for the whole gradient.
        let n = self.inner.terms().unwrap_or(0);
        if let Some(g) = self.groups.borrow_mut().last_mut() {
            g.extend(0..n);
        }
        self.inner.gradient(p)
    }
    fn hessian(&self, p: Vec2) -> Mat2 {
        self.inner.hessian(p)
    }
    fn view(&self) -> View {
        self.inner.view()
    }
    fn start(&self) -> Vec2 {
        self.inner.start()
    }
    fn minima(&self) -> &[Minimum] {
        self.inner.minima()
    }
    fn terms(&self) -> Option<usize> {
        self.inner.terms()
    }
    fn term_gradient(&self, i: usize, p: Vec2) -> Vec2 {
        if let Some(g) = self.groups.borrow_mut().last_mut() {
            g.push(i);
        }
        self.inner.term_gradient(i, p)
    }
    fn data(&self) -> Option<&Dataset> {
        self.inner.data()
    }
}

#[test]
fn runs_see_exactly_the_replayed_batches() {
    for (name, variant, b, seed) in [
        ("linear-regression", Variant::MiniBatch, 10, 7),
        ("linear-regression-std", Variant::Stochastic, 1, 3),
        ("logistic-regression", Variant::MiniBatch, 7, 11),
        ("collinear", Variant::MiniBatch, 2, 5),
        ("linear-regression", Variant::Batch, 10, 0),
    ] {
        let rec = Recording {
            inner: by_name(name).unwrap(),
            groups: RefCell::new(Vec::new()),
        };
        let steps = 120;
        let cfg = RunConfig {
            variant,
            batch: b,
            seed,
            steps,
            hyper: gdviz::Hyper {
                lr: 1e-3,
                ..gdviz::Hyper::defaults(OptimizerKind::Sgd)
            },
            ..RunConfig::new(&rec, OptimizerKind::Sgd)
        };
        let t = run(&rec, &cfg).unwrap();
        assert_eq!(t.steps(), steps, "{name}");
        let groups = rec.groups.borrow();
        let n = rec.terms().unwrap();
        for step in 1..=steps {
            // The gradient of step k is taken after the value of point k − 1.
            let mut used = groups[step - 1].clone();
            used.sort_unstable();
            assert_eq!(
                used,
                batch_at(variant, n, b, seed, step).unwrap(),
                "{name} {variant:?} step {step}"
            );
        }
    }
}

#[test]
fn logistic_boundary_is_minus_bias_over_weight() {
    let s = by_name("logistic-regression").unwrap();
    for theta in [[1.0, 1.5], [-3.0, -1.5], [0.3, -2.0], [2.5, 0.7]] {
        let x = s.decision_boundary(theta).unwrap();
        assert_eq!(x, -theta[0] / theta[1], "θ = {theta:?}");
        let p = s.predict(theta, &[x]).unwrap();
        assert!((p - 0.5).abs() < 1e-12, "p = {p} at the boundary");
    }
    assert_eq!(s.decision_boundary([1.0, 0.0]), None);
    // Regressions and analytic surfaces have none.
    assert_eq!(
        by_name("linear-regression")
            .unwrap()
            .decision_boundary([1.0, 1.0]),
        None
    );
    assert_eq!(
        by_name("rosenbrock").unwrap().decision_boundary([1.0, 1.0]),
        None
    );
    assert_eq!(
        by_name("rosenbrock").unwrap().predict([1.0, 1.0], &[1.0]),
        None
    );
}

fn data_svg(s: &dyn Surface, theta: Vec2, step: usize, batch: &[usize]) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (520, 360)).into_drawing_area();
        draw_data(&root, s, theta, step, batch, &STYLE).unwrap();
        root.present().unwrap();
    }
    svg
}

#[test]
fn data_view_draws_points_model_and_batch() {
    for name in surface::catalog().iter().map(|e| e.name) {
        let s = by_name(name).unwrap();
        let Some(data) = s.data() else {
            // Analytic surfaces: nothing to draw, and no failure.
            assert!(!data_svg(s.as_ref(), [0.0, 0.0], 1, &[]).contains("<circle"));
            continue;
        };
        let n = data.x.len();
        let dots = |step| {
            dataview::legend(data, step, 3, None)
                .iter()
                .filter(|(m, _)| matches!(m, dataview::Marker::Dot(_)))
                .count()
        };
        let start = data_svg(s.as_ref(), s.start(), 0, &[]);
        let circles = start.matches("<circle").count();
        assert_eq!(
            circles,
            n + dots(0),
            "{name}: one dot per example, and the legend's"
        );
        let end = s.minima().first().map_or([0.5, 0.5], |m| m.at);
        let batch: Vec<usize> = (0..n.min(3)).collect();
        let moved = data_svg(s.as_ref(), end, 5, &batch);
        assert_ne!(start, moved, "{name}: the model moves with θ");
        assert_eq!(
            moved.matches("<circle").count(),
            n + batch.len() + dots(5),
            "{name}: the batch gets a ring"
        );
        assert!(moved.contains("batch"), "{name}: legend");
        // Whatever θ, even far off the chart, drawing succeeds.
        data_svg(s.as_ref(), [1e6, -1e6], 9, &[0, n - 1, n + 5]);
    }
    let out = dataview::legend(
        by_name("logistic-regression").unwrap().data().unwrap(),
        4,
        10,
        Some(-0.5),
    );
    assert!(out.iter().any(|(_, t)| t == "p = ½ at x = -0.5"), "{out:?}");
}

#[test]
fn three_d_view_draws_every_surface() {
    for name in surface::catalog().iter().map(|e| e.name) {
        let s = by_name(name).unwrap();
        let mesh = Mesh::new(s.as_ref(), s.view(), MESH);
        let cfg = RunConfig {
            steps: 200,
            ..RunConfig::new(s.as_ref(), OptimizerKind::Adam)
        };
        let t = run(s.as_ref(), &cfg).unwrap();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (640, 480)).into_drawing_area();
            draw_3d(
                &root,
                &mesh,
                &[(&t, RED)],
                0,
                t.steps(),
                Camera::default(),
                s.axis_names(),
                &STYLE,
            )
            .unwrap();
            root.present().unwrap();
        }
        assert!(
            svg.matches("<polygon").count() >= (MESH - 1) * (MESH - 1),
            "{name}: the mesh"
        );
        assert!(svg.contains("<circle"), "{name}: the current point");
        // The same scale as the heatmap's choice on a grid of the same size.
        let field = gdviz::contour::Field::sample(s.as_ref(), s.view(), MESH, MESH);
        assert_eq!(mesh.scale, Levels::choose(&field, 16).scale);
    }
}

#[test]
fn turning_the_camera_changes_the_picture() {
    let s = by_name("himmelblau").unwrap();
    let mesh = Mesh::new(s.as_ref(), s.view(), MESH);
    let t = run(s.as_ref(), &RunConfig::new(s.as_ref(), OptimizerKind::Sgd)).unwrap();
    let draw = |camera: Camera| {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (480, 360)).into_drawing_area();
            draw_3d(
                &root,
                &mesh,
                &[(&t, RED)],
                0,
                10,
                camera,
                ("x", "y"),
                &STYLE,
            )
            .unwrap();
        }
        svg
    };
    let a = draw(Camera::default());
    let mut turned = Camera::default();
    turned.rotate(40.0, 10.0);
    assert_ne!(a, draw(turned));
    assert_eq!(a, draw(Camera::default()));
}

/// What a 3D drawing put where: every non-empty text with its box, the polylines drawn in the
/// runs' colours, and the colours of the filled discs in drawing order.
#[derive(Default)]
struct Drawn {
    texts: Vec<(String, (f64, f64, f64, f64))>,
    lines: Vec<(RGBColor, Vec<(f64, f64)>)>,
    discs: Vec<RGBColor>,
}

/// A plotters backend that draws nothing and records into a shared [`Drawn`]; text is sized
/// 0.6 em a character and 1.2 em high.
struct Recorder(std::rc::Rc<RefCell<Drawn>>, (u32, u32));

mod recorder {
    use super::*;
    use plotters_backend::text_anchor::{HPos, VPos};
    use plotters_backend::{
        BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
    };

    type Done = Result<(), DrawingErrorKind<std::convert::Infallible>>;

    fn rgb(c: BackendColor) -> RGBColor {
        RGBColor(c.rgb.0, c.rgb.1, c.rgb.2)
    }

    impl DrawingBackend for Recorder {
        type ErrorType = std::convert::Infallible;
        fn get_size(&self) -> (u32, u32) {
            self.1
        }
        fn ensure_prepared(&mut self) -> Done {
            Ok(())
        }
        fn present(&mut self) -> Done {
            Ok(())
        }
        fn draw_pixel(&mut self, _: BackendCoord, _: BackendColor) -> Done {
            Ok(())
        }
        fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
            &mut self,
            path: I,
            style: &S,
        ) -> Done {
            let pts = path
                .into_iter()
                .map(|(x, y)| (x as f64, y as f64))
                .collect();
            self.0.borrow_mut().lines.push((rgb(style.color()), pts));
            Ok(())
        }
        fn draw_circle<S: BackendStyle>(
            &mut self,
            _: BackendCoord,
            _: u32,
            style: &S,
            fill: bool,
        ) -> Done {
            if fill {
                self.0.borrow_mut().discs.push(rgb(style.color()));
            }
            Ok(())
        }
        fn estimate_text_size<S: BackendTextStyle>(
            &self,
            text: &str,
            style: &S,
        ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
            let size = style.size();
            Ok((
                (0.6 * size * text.chars().count() as f64).ceil() as u32,
                (1.2 * size).ceil() as u32,
            ))
        }
        fn draw_text<S: BackendTextStyle>(
            &mut self,
            text: &str,
            style: &S,
            (x, y): BackendCoord,
        ) -> Done {
            if text.is_empty() {
                return Ok(());
            }
            let (w, h) = self.estimate_text_size(text, style)?;
            let (w, h) = (w as f64, h as f64);
            let pos = style.anchor();
            let left = match pos.h_pos {
                HPos::Left => x as f64,
                HPos::Center => x as f64 - w / 2.0,
                HPos::Right => x as f64 - w,
            };
            let top = match pos.v_pos {
                VPos::Top => y as f64,
                VPos::Center => y as f64 - h / 2.0,
                VPos::Bottom => y as f64 - h,
            };
            self.0
                .borrow_mut()
                .texts
                .push((text.to_string(), (left, top, w, h)));
            Ok(())
        }
    }
}

#[test]
fn three_d_labels_overlap_neither_each_other_nor_a_path() {
    let overlap = |a: &(f64, f64, f64, f64), b: &(f64, f64, f64, f64)| {
        a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
    };
    let crosses = |r: &(f64, f64, f64, f64), a: (f64, f64), b: (f64, f64)| {
        gdviz::linalg::clip_segment([a.0, a.1], [b.0, b.1], [r.0, r.1], [r.0 + r.2, r.1 + r.3])
            .is_some()
    };
    let cameras = [
        Camera::default(),
        Camera {
            yaw: 2.2,
            pitch: 0.3,
        },
        Camera {
            yaw: 4.0,
            pitch: 1.2,
        },
        Camera {
            yaw: 0.0,
            pitch: 0.0,
        },
    ];
    let mut checked = 0;
    for name in [
        "rosenbrock",
        "himmelblau",
        "linear-regression",
        "booth",
        "tiny-nn",
    ] {
        let s = by_name(name).unwrap();
        let mesh = Mesh::new(s.as_ref(), s.view(), MESH);
        let a = run(s.as_ref(), &RunConfig::new(s.as_ref(), OptimizerKind::Adam)).unwrap();
        let b = run(
            s.as_ref(),
            &RunConfig::new(s.as_ref(), OptimizerKind::Momentum),
        )
        .unwrap();
        for camera in cameras {
            for size in [(640, 480), (360, 300)] {
                let log = std::rc::Rc::new(RefCell::new(Drawn::default()));
                {
                    let root = Recorder(log.clone(), size).into_drawing_area();
                    let runs = [(&a, RED), (&b, BLUE)];
                    draw_3d(&root, &mesh, &runs, 1, 400, camera, s.axis_names(), &STYLE).unwrap();
                }
                let drawn = log.borrow();
                let what = format!("{name} from {camera:?} at {size:?}");
                let texts = &drawn.texts;
                for (i, (t, r)) in texts.iter().enumerate() {
                    for (u, q) in &texts[i + 1..] {
                        assert!(!overlap(r, q), "{what}: '{t}' {r:?} and '{u}' {q:?}");
                    }
                    for (colour, line) in &drawn.lines {
                        if *colour != RED && *colour != BLUE {
                            continue;
                        }
                        for w in line.windows(2) {
                            assert!(!crosses(r, w[0], w[1]), "{what}: '{t}' on a path");
                        }
                    }
                }
                assert!(
                    drawn.lines.iter().any(|(c, l)| *c == RED && l.len() > 1),
                    "{what}: the path was drawn"
                );
                let has = |t: &str| texts.iter().any(|(x, _)| x == t);
                assert!(
                    has(s.axis_names().0) && has(s.axis_names().1),
                    "{what}: {texts:?}"
                );
                assert!(has(&mesh.axis_name()), "{what}: the caption");
                // Four numbers at least: the box still says what its ranges are.
                let numbers = texts
                    .iter()
                    .filter(|(t, _)| t.parse::<f64>().is_ok())
                    .count();
                assert!(numbers >= 4, "{what}: {texts:?}");
                // Both runs' points shown; the selected (blue) last, on top.
                let big: Vec<&RGBColor> = drawn
                    .discs
                    .iter()
                    .filter(|c| **c == RED || **c == BLUE)
                    .collect();
                assert_eq!(big.last(), Some(&&BLUE), "{what}");
                assert!(big.contains(&&RED), "{what}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 40);
}

#[test]
fn the_3d_caption_says_log_scale_or_f() {
    let rosen = by_name("rosenbrock").unwrap();
    assert_eq!(
        Mesh::new(rosen.as_ref(), rosen.view(), 16).axis_name(),
        "height: log scale"
    );
    let saddle = by_name("saddle").unwrap();
    assert_eq!(
        Mesh::new(saddle.as_ref(), saddle.view(), 16).axis_name(),
        "height: f"
    );
}
