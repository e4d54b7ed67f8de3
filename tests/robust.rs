//! Robustness: no panics anywhere in the public API, whatever the numbers and strings.

// ---------------------------------------------------------------------------------------------
// Regressions: the smallest inputs of each bug found, kept as plain tests.

/// `upto + 1` overflowed (a panic in debug builds) when asked for every step, `usize::MAX`.
#[test]
fn drawing_every_step_does_not_overflow() {
    use gdviz::plot3d::{path_runs, Mesh};
    use gdviz::render::{trajectory_pixels, Frame};
    use gdviz::{run, surface, OptimizerKind, RunConfig, View};

    let view = View {
        x: (0.0, 1.0),
        y: (0.0, 1.0),
    };
    let frame = Frame {
        view,
        left: 0.0,
        top: 0.0,
        width: 100.0,
        height: 100.0,
    };
    let px = trajectory_pixels(&[[0.25, 0.25], [0.5, 0.5]], usize::MAX, &frame, 4.0);
    assert_eq!(px.dots, vec![0, 1]);
    let s = surface::by_name("booth").unwrap();
    let cfg = RunConfig {
        steps: 3,
        ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
    };
    let t = run(s.as_ref(), &cfg).unwrap();
    let mesh = Mesh::new(s.as_ref(), s.view(), 8);
    let points: usize = path_runs(&mesh, &t, usize::MAX).iter().map(Vec::len).sum();
    assert_eq!(points, 4);
}

/// A plot of no pixels (a hidden canvas) panicked in `chunks_exact_mut(0)`.
#[test]
fn heatmap_of_no_pixels_is_empty() {
    use gdviz::contour::{Field, Levels};
    use gdviz::render::heatmap_rgba;

    let s = gdviz::surface::by_name("rosenbrock").unwrap();
    let field = Field::sample(s.as_ref(), s.view(), 8, 8);
    let scale = Levels::choose(&field, 4).scale;
    assert!(heatmap_rgba(&field, &scale, 0, 10).is_empty());
    assert!(heatmap_rgba(&field, &scale, 10, 0).is_empty());
    assert!(heatmap_rgba(&field, &scale, 0, 0).is_empty());
    assert_eq!(heatmap_rgba(&field, &scale, 1, 1).len(), 4);
}

/// Notices quoted a rejected optimizer or variant name in full (a 5000-character link value made
/// a 5000-character notice) and wrote view bounds out in all their digits (1e308 as 309 of them).
#[test]
fn notices_stay_short() {
    use gdviz::options::{apply_all, Options, Value};

    let long = Value::Str("x".repeat(5000));
    let text = |t: &str| Value::Str(t.to_string());
    let mut o = Options::default();
    let a = apply_all(
        &mut o,
        &[
            ("optimizer".into(), long.clone()),
            ("variant".into(), long),
            ("expr".into(), text("x^2 + y^2")),
            ("xrange".into(), text("1e308,1e308")),
            ("yrange".into(), text("-1e-300,1e-300")),
        ],
    )
    .unwrap();
    assert_eq!(a.notices.len(), 4, "{:?}", a.notices);
    for n in &a.notices {
        assert!(n.chars().count() < 200, "{n}");
    }
    assert!(a
        .notices
        .contains(&"xrange: must lie within ±1e6 (got [1e308, 1e308])".to_string()));
    assert!(a.notices.contains(
        &"yrange: min must be below max by at least 1e-6 (got [-1e-300, 1e-300])".to_string()
    ));
}

/// Losses from −1e308 to 1e308 (a typed f such as x·1e308) made an infinite axis, and gaps
/// f − f* from 1e-300 to 1e13 a log axis of more decades than f64 holds: plotters' tick search
/// never ended, freezing the page.
#[test]
fn loss_chart_of_extreme_losses_is_drawn() {
    use gdviz::render::{draw_loss, Style};
    use plotters::prelude::*;

    let style = Style {
        scale: 1.0,
        dark: false,
    };
    for (losses, f_star) in [
        (vec![-1e308, 1e308], None),
        (vec![f64::MAX, 0.0, 1.0], None),
        (vec![1e13, 1e6, 1e-308], Some(0.0)),
        (vec![f64::MAX, 1.0], Some(-f64::MAX)),
        (vec![f64::NAN; 3], None),
    ] {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
            draw_loss(&root, &[(&losses, RED)], 1, f_star, &style).unwrap();
        }
    }
}

/// Over a field from −1e308 to 1e308 (f = x·1e308) max − min overflowed: every level was ∞ or
/// NaN and the heatmap one colour; marching squares between ±1e308 crossed at NaN; and over
/// values within 1e-316 of each other the log floor underflowed to 0, making the levels NaN.
#[test]
fn contours_of_fields_beyond_f64_range() {
    use gdviz::contour::{segments, Field, Levels};
    use gdviz::expr::{ExprSurface, DEFAULT_VIEW};
    use gdviz::render::heatmap_rgba;
    use gdviz::Surface;

    for f in ["x*1e308 + y", "1e-320*x^4 + 1e-320*y^2"] {
        let s = ExprSurface::parse(f, DEFAULT_VIEW).unwrap();
        let field = Field::sample(&s, s.view(), 32, 32);
        let levels = Levels::choose(&field, 10);
        assert_eq!(levels.values.len(), 10, "{f}");
        for l in &levels.values {
            assert!(
                l.is_finite() && *l >= field.min && *l <= field.max,
                "{f}: {levels:?}"
            );
            for [a, b] in segments(&field, *l) {
                assert!(
                    a.iter().chain(&b).all(|v| v.is_finite()),
                    "{f}: {a:?} {b:?}"
                );
            }
        }
        let rgba = heatmap_rgba(&field, &levels.scale, 16, 16);
        let colours: std::collections::HashSet<&[u8]> = rgba.chunks(4).collect();
        assert!(colours.len() > 4, "{f}: {} colours", colours.len());
    }
    let field = Field {
        nx: 2,
        ny: 2,
        view: DEFAULT_VIEW,
        values: vec![f64::MAX, -f64::MAX, 0.0, 0.0],
        min: -f64::MAX,
        max: f64::MAX,
    };
    let segs = segments(&field, 1.0);
    assert!(!segs.is_empty());
    for [a, b] in segs {
        assert!(a.iter().chain(&b).all(|v| v.is_finite()), "{a:?} {b:?}");
    }
}

/// Clipping returned a NaN end as it was; ends 1e308 apart overflowed b − a and came back
/// unclipped, 1e308 outside; an end 1e191 away rounded t to 1 and returned the other end
/// outside. The trajectory's pixels then held ∞ or points far off the canvas.
#[test]
fn clipping_far_and_broken_segments_stays_inside() {
    use gdviz::linalg::clip_segment;
    use gdviz::render::{trajectory_pixels, Frame};
    use gdviz::View;

    let (lo, hi) = ([0.0, 0.0], [10.0, 10.0]);
    let inside = |p: [f64; 2]| p[0] >= 0.0 && p[0] <= 10.0 && p[1] >= 0.0 && p[1] <= 10.0;
    assert_eq!(clip_segment([f64::NAN, 1.0], [5.0, 5.0], lo, hi), None);
    assert_eq!(clip_segment([5.0, 5.0], [f64::INFINITY, 5.0], lo, hi), None);
    for (a, b) in [
        ([-1e308, 5.0], [1e308, 5.0]),
        ([-f64::MAX, -f64::MAX], [f64::MAX, f64::MAX]),
        ([5.0, -7.2e191], [5.0, 17.0]),
    ] {
        let (p, q) = clip_segment(a, b, lo, hi).unwrap();
        assert!(
            inside(p) && inside(q),
            "{a:?}..{b:?} clipped to {p:?}..{q:?}"
        );
    }
    // Unchanged where nothing is far: inside ends bit for bit.
    assert_eq!(
        clip_segment([1.0, 1.0], [20.0, 1.0], lo, hi),
        Some(([1.0, 1.0], [10.0, 1.0]))
    );

    let frame = Frame {
        view: View {
            x: (0.0, 0.001),
            y: (0.0, 6.5),
        },
        left: 0.0,
        top: 0.0,
        width: 100.0,
        height: 100.0,
    };
    for points in [
        vec![[1e308, 0.0], [0.0005, 1.0]],
        vec![[0.0, 7.2e188], [0.0005, -1.8]],
    ] {
        let px = trajectory_pixels(&points, 1, &frame, 4.0);
        for run in &px.runs {
            for &(x, y) in run {
                assert!(
                    (-100.0..=200.0).contains(&x) && (-100.0..=200.0).contains(&y),
                    "{points:?}: pixel ({x}, {y})"
                );
            }
        }
    }
}

/// The data chart's margin overflowed for data near f64::MAX (an infinite range), and data at
/// 1e20 all alike got a range of zero width (one unit either side is lost to rounding).
#[test]
fn data_chart_ranges_are_finite_and_wide() {
    use gdviz::dataview::chart_ranges;
    use gdviz::surface::{DataKind, Dataset};

    for (x, y) in [
        (vec![0.0, 1.0], vec![f64::MAX, 0.0]),
        (vec![-1e308, 1e308], vec![1.0, 2.0]),
        (vec![1e20, 1e20], vec![3.0, 3.0]),
    ] {
        let data = Dataset {
            kind: DataKind::Regression,
            x,
            y,
            x_label: "x",
            y_label: "y",
            x2: None,
            x2_label: "",
        };
        let v = chart_ranges(&data);
        for (lo, hi) in [v.x, v.y] {
            assert!(
                lo.is_finite() && hi.is_finite() && lo < hi,
                "{data:?}: {v:?}"
            );
            assert!((hi - lo).is_finite(), "{data:?}: {v:?}");
        }
    }
}

/// Eigenvalues of Hessians with entries beyond 1e±150: the determinant overflowed (1e200 on the
/// diagonal gave λ = ∞, so no critical learning rate) or underflowed (±1e-200 off it gave 0
/// instead of −1e-200).
#[test]
fn eigenvalues_of_huge_and_tiny_matrices() {
    use gdviz::expr::{ExprSurface, DEFAULT_VIEW};
    use gdviz::linalg::sym_eigenvalues;
    use gdviz::{teach, OptimizerKind, Surface};

    assert_eq!(
        sym_eigenvalues([[1e200, 0.0], [0.0, 1e200]]),
        (1e200, 1e200)
    );
    assert_eq!(
        sym_eigenvalues([[0.0, 1e-200], [1e-200, 0.0]]),
        (-1e-200, 1e-200)
    );
    assert_eq!(
        sym_eigenvalues([[f64::MAX, 0.0], [0.0, -f64::MAX]]),
        (-f64::MAX, f64::MAX)
    );
    // Ordinary matrices as before.
    assert_eq!(sym_eigenvalues([[10.0, 8.0], [8.0, 10.0]]), (2.0, 18.0));

    let s = ExprSurface::parse("1e200*(x^2 + y^2)", DEFAULT_VIEW).unwrap();
    let c = teach::critical(&s, s.start(), OptimizerKind::Sgd, 0.0).unwrap();
    assert_eq!(c.lambda_max, 2e200);
    assert_eq!(c.lr, 1e-200);
}

/// A race entry that changes nothing (`race: [{}, {lr: 0.1}]` from JavaScript) was accepted,
/// but its link (`race=;lr:0.1`) was rejected when opened: the race was lost.
#[test]
fn a_race_entry_of_no_changes_survives_a_link() {
    use gdviz::options::{apply_all, Options, Value};
    use gdviz::share::{changes, parse_query, query_pairs, query_string};

    let lr = vec![("lr".to_string(), Value::Num(0.1))];
    let mut o = Options::default();
    let a = apply_all(
        &mut o,
        &[(
            "race".into(),
            Value::Entries(vec![Vec::new(), lr.clone(), Vec::new()]),
        )],
    )
    .unwrap();
    assert!(a.notices.is_empty(), "{:?}", a.notices);
    let q = query_string(&query_pairs(&o, false));
    assert_eq!(q, "race=;lr:0.1;");
    let mut back = Options::default();
    let b = apply_all(&mut back, &changes(&parse_query(&q))).unwrap();
    assert!(b.notices.is_empty(), "{q}: {:?}", b.notices);
    assert_eq!(b.trajectories, a.trajectories);
}

/// Axes over a view that is not finite (a surface of one's own may give any): plotters'
/// tick search never ended on an infinite range and panicked on NaN.
#[test]
fn axes_over_a_broken_view_are_an_error() {
    use gdviz::contour::Scale;
    use gdviz::plot3d::{draw_3d, Camera, Mesh};
    use gdviz::render::{draw_axes, Style};
    use gdviz::{run, surface, OptimizerKind, RunConfig, View};
    use plotters::prelude::*;

    let style = Style {
        scale: 1.0,
        dark: false,
    };
    let scale = Scale::Linear { min: 0.0, max: 1.0 };
    let s = surface::by_name("booth").unwrap();
    let t = run(s.as_ref(), &RunConfig::new(s.as_ref(), OptimizerKind::Sgd)).unwrap();
    for view in [
        View {
            x: (-1e308, 1e308),
            y: (0.0, 1.0),
        },
        View {
            x: (0.0, 1.0),
            y: (f64::NAN, 1.0),
        },
        View {
            x: (f64::NEG_INFINITY, 0.0),
            y: (0.0, 1.0),
        },
    ] {
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
        assert!(draw_axes(&root, view, ("x", "y"), &scale, &style).is_err());
        let mesh = Mesh::new(s.as_ref(), view, 8);
        let drawn = draw_3d(&root, &mesh, &t, 5, Camera::default(), ("x", "y"), &style);
        assert!(drawn.is_err(), "{view:?}");
    }
}

/// `explain` and `batch_at` replayed however many steps they were asked for: step `usize::MAX`
/// (of a run no one can compute) took practically forever.
#[test]
fn replays_beyond_the_step_limit_are_refused() {
    use gdviz::run::MAX_STEPS;
    use gdviz::variant::{batch_at, Variant};
    use gdviz::{surface, teach, OptimizerKind, RunConfig};

    let s = surface::by_name("booth").unwrap();
    let cfg = RunConfig {
        steps: usize::MAX,
        ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
    };
    assert!(teach::explain(s.as_ref(), &cfg, usize::MAX).is_none());
    assert!(teach::explain(s.as_ref(), &cfg, 3).is_none());
    let e = batch_at(Variant::Stochastic, 50, 1, 0, usize::MAX).unwrap_err();
    assert_eq!(e.option, "steps");
    assert!(batch_at(Variant::Stochastic, 50, 1, 0, MAX_STEPS + 1).is_err());
    assert_eq!(batch_at(Variant::Stochastic, 50, 1, 0, 7).unwrap().len(), 1);
}
