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
                &t,
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
            draw_3d(&root, &mesh, &t, 10, camera, ("x", "y"), &STYLE).unwrap();
        }
        svg
    };
    let a = draw(Camera::default());
    let mut turned = Camera::default();
    turned.rotate(40.0, 10.0);
    assert_ne!(a, draw(turned));
    assert_eq!(a, draw(Camera::default()));
}
