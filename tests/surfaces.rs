//! Every surface's exact derivatives agree with finite differences of its value, and its known
//! minima really are stationary points with the stated values.

use gdviz::linalg::{norm, sym_eigenvalues};
use gdviz::surface::{self, Surface};
use proptest::prelude::*;

mod common;
use common::finite_differences;

/// |a − b| small relative to the size of f's derivatives around the point.
fn close(a: f64, b: f64, scale: f64) -> bool {
    (a - b).abs() <= 1e-5 * (1.0 + scale)
}

fn check_point(s: &dyn Surface, p: [f64; 2]) -> Result<(), String> {
    let g = s.gradient(p);
    let h = s.hessian(p);
    let (fg, fh) = finite_differences(s, p);
    let gscale = norm(g).max(s.value(p).abs());
    for i in 0..2 {
        if !close(g[i], fg[i], gscale) {
            return Err(format!(
                "{} at {p:?}: gradient {g:?} vs differences {fg:?}",
                s.name()
            ));
        }
    }
    let hscale = h.iter().flatten().fold(gscale, |m, v| m.max(v.abs()));
    for i in 0..2 {
        for j in 0..2 {
            if !close(h[i][j], fh[i][j], hscale) {
                return Err(format!(
                    "{} at {p:?}: Hessian {h:?} vs differences {fh:?}",
                    s.name()
                ));
            }
        }
    }
    if h[0][1] != h[1][0] {
        return Err(format!("{}: Hessian not symmetric at {p:?}", s.name()));
    }
    Ok(())
}

#[test]
fn derivatives_match_differences_on_a_grid_over_every_view() {
    for entry in surface::catalog() {
        let s = entry.build(&[]).unwrap();
        let v = s.view();
        for i in 0..=12 {
            for j in 0..=12 {
                let p = [
                    v.x.0 + (v.x.1 - v.x.0) * (i as f64 + 0.37) / 13.0,
                    v.y.0 + (v.y.1 - v.y.0) * (j as f64 + 0.61) / 13.0,
                ];
                check_point(s.as_ref(), p).unwrap();
            }
        }
    }
}

proptest! {
    #[test]
    fn derivatives_match_differences_at_random_points(k in 0usize..64, u in 0.0f64..1.0, w in 0.0f64..1.0) {
        // Non-smooth surfaces (lasso's L1 penalty, the SVM's hinge) are checked away from their
        // kinks in tests/models.rs; a random point within a difference step of a kink would see
        // the gradient jump.
        let entries: Vec<_> = surface::catalog().iter().filter(|e| !["lasso", "svm"].contains(&e.name)).collect();
        let s = entries[k % entries.len()].build(&[]).unwrap();
        let v = s.view();
        let p = [v.x.0 + (v.x.1 - v.x.0) * u, v.y.0 + (v.y.1 - v.y.0) * w];
        prop_assert!(check_point(s.as_ref(), p).is_ok(), "{:?}", check_point(s.as_ref(), p));
    }

    #[test]
    fn ravine_derivatives_for_any_condition_number(kappa in 1.0f64..1e4, u in -10.0f64..10.0, w in -10.0f64..10.0) {
        let s = surface::find("ravine").unwrap().build(&[("kappa".into(), kappa)]).unwrap();
        prop_assert!(check_point(s.as_ref(), [u, w]).is_ok());
        let (lo, hi) = sym_eigenvalues(s.hessian([u, w]));
        prop_assert!((lo - 2.0).abs() < 1e-12 && (hi / (2.0 * kappa) - 1.0).abs() < 1e-12);
    }
}

#[test]
fn dataset_term_gradients_average_to_the_gradient() {
    for name in [
        "collinear",
        "linear-regression",
        "linear-regression-std",
        "logistic-regression",
    ] {
        let s = surface::by_name(name).unwrap();
        let n = s.terms().unwrap();
        let p = [0.3, -0.7];
        let mut g = [0.0; 2];
        for i in 0..n {
            let gi = s.term_gradient(i, p);
            g[0] += gi[0] / n as f64;
            g[1] += gi[1] / n as f64;
        }
        let full = s.gradient(p);
        assert!(
            (g[0] - full[0]).abs() < 1e-12 && (g[1] - full[1]).abs() < 1e-12,
            "{name}"
        );
        let data = s.data().unwrap();
        assert_eq!(data.x.len(), n);
        assert_eq!(data.y.len(), n);
    }
}

#[test]
fn known_minima_are_stationary_with_the_published_values() {
    type Known = &'static [([f64; 2], f64)];
    let expect: [(&str, Known); 6] = [
        ("rosenbrock", &[([1.0, 1.0], 0.0)]),
        ("beale", &[([3.0, 0.5], 0.0)]),
        ("booth", &[([1.0, 3.0], 0.0)]),
        ("matyas", &[([0.0, 0.0], 0.0)]),
        (
            "himmelblau",
            &[
                ([3.0, 2.0], 0.0),
                ([-2.805118, 3.131312], 0.0),
                ([-3.779310, -3.283186], 0.0),
                ([3.584428, -1.848126], 0.0),
            ],
        ),
        (
            "six-hump-camel",
            &[([0.0898, -0.7126], -1.0316), ([-0.0898, 0.7126], -1.0316)],
        ),
    ];
    for (name, minima) in expect {
        let s = surface::by_name(name).unwrap();
        for &(at, value) in minima {
            let m = s
                .minima()
                .iter()
                .find(|m| (m.at[0] - at[0]).abs() < 1e-4 && (m.at[1] - at[1]).abs() < 1e-4)
                .unwrap_or_else(|| panic!("{name}: no minimum near {at:?}"));
            assert!(m.global, "{name} {at:?}");
            assert!((m.value - value).abs() < 1e-4, "{name}: f = {}", m.value);
            assert!(
                norm(s.gradient(m.at)) < 1e-9,
                "{name}: not stationary at {:?}",
                m.at
            );
            let (lo, _) = sym_eigenvalues(s.hessian(m.at));
            assert!(lo > 0.0, "{name}: not a minimum at {:?}", m.at);
        }
    }
    assert!(surface::by_name("saddle").unwrap().minima().is_empty());
}

#[test]
fn double_well_has_a_strictly_worse_local_minimum() {
    let s = surface::by_name("double-well").unwrap();
    let m = s.minima();
    assert_eq!(m.len(), 2);
    let (global, local) = if m[0].global {
        (m[0], m[1])
    } else {
        (m[1], m[0])
    };
    assert!(!local.global && local.value > global.value + 0.5);
    assert!(global.at[0] < 0.0 && local.at[0] > 0.0);
}

#[test]
fn plateau_gradients_are_tiny_far_from_the_minimum() {
    let s = surface::by_name("plateau").unwrap();
    assert!(norm(s.gradient(s.start())) < 1e-3);
    assert!(norm(s.gradient([1.0, 1.0])) > 0.1);
}

#[test]
fn raw_regression_is_a_ravine_and_its_standardised_twin_is_round() {
    let raw = surface::by_name("linear-regression").unwrap();
    let std = surface::by_name("linear-regression-std").unwrap();
    let (lo, hi) = sym_eigenvalues(raw.hessian([0.0, 0.0]));
    assert!(hi / lo > 50.0, "condition number {}", hi / lo);
    let (lo, hi) = sym_eigenvalues(std.hessian([0.0, 0.0]));
    assert!((lo - 2.0).abs() < 1e-12 && (hi - 2.0).abs() < 1e-12);
    // Same data, same fit: both minima give the same loss.
    assert!((raw.minima()[0].value - std.minima()[0].value).abs() < 1e-12);
    assert_eq!(raw.data().unwrap().x.len(), 50);
}

#[test]
fn logistic_regression_has_a_finite_minimum_and_labels() {
    let s = surface::by_name("logistic-regression").unwrap();
    let m = s.minima()[0];
    assert!(norm(s.gradient(m.at)) < 1e-10);
    assert!(s.view().contains(m.at));
    let y = &s.data().unwrap().y;
    assert!(y.iter().all(|&v| v == 0.0 || v == 1.0));
    assert!(y.contains(&0.0) && y.contains(&1.0));
}

#[test]
fn every_surface_starts_inside_its_view_and_names_round_trip() {
    for entry in surface::catalog() {
        let s = surface::by_name(entry.name).unwrap();
        assert_eq!(s.name(), entry.name);
        assert!(s.view().contains(s.start()), "{}", entry.name);
        assert!(s.value(s.start()).is_finite());
    }
    let e = surface::by_name("rosenbrok").err().unwrap();
    assert_eq!(e.option, "surface");
    assert!(e.message.contains("rosenbrock"));
    let e = surface::find("ravine")
        .unwrap()
        .build(&[("kappa".into(), 0.5)])
        .err()
        .unwrap();
    assert_eq!(e.option, "kappa");
    let e = surface::find("booth")
        .unwrap()
        .build(&[("kappa".into(), 5.0)])
        .err()
        .unwrap();
    assert_eq!(e.option, "kappa");
}

// ---------------------------------------------------------------------------------------------
// Pinned by cargo-mutants: what the page and the export read off a surface besides f.

/// The axes' names: x and y for a function of two variables, the model's own names for a
/// dataset loss or a model (θ₁ and θ₂ of the collinear features, intercept and slope, bias and
/// weight, the tiny network's w₁ and w₂).
#[test]
fn axis_names_are_the_parameters_names() {
    for (name, axes) in [
        ("rosenbrock", ("x", "y")),
        ("saddle", ("x", "y")),
        ("collinear", ("θ₁", "θ₂")),
        ("linear-regression", ("intercept", "slope")),
        ("linear-regression-std", ("intercept", "slope")),
        ("logistic-regression", ("bias", "weight")),
        ("ridge", ("intercept", "slope")),
        ("tiny-nn", ("w₁", "w₂")),
    ] {
        assert_eq!(surface::by_name(name).unwrap().axis_names(), axes, "{name}");
    }
}

/// One unit of each parameter is drawn the same length unless the two differ in kind: an
/// intercept (or bias) and a slope (or weight) per unit of a raw feature.
#[test]
fn equal_scale_unless_the_parameters_differ_in_kind() {
    for (name, equal) in [
        ("rosenbrock", true),
        ("booth", true),
        ("collinear", true),
        ("linear-regression", false),
        ("linear-regression-std", true),
        ("logistic-regression", false),
    ] {
        assert_eq!(
            surface::by_name(name).unwrap().equal_scale(),
            equal,
            "{name}"
        );
    }
}

/// Every catalog surface exports to PyTorch and NumPy, each ending in a `return`, and names
/// its formula: a non-empty text of its own, Rosenbrock's as published.
#[test]
fn every_surface_exports_code_and_names_its_formula() {
    let mut formulas = std::collections::HashSet::new();
    for entry in surface::catalog() {
        let s = entry.build(&[]).unwrap();
        let t = s
            .torch_code()
            .unwrap_or_else(|| panic!("{}: no torch code", entry.name));
        assert!(
            t.value.last().is_some_and(|l| l.starts_with("return ")),
            "{}: {:?}",
            entry.name,
            t.value
        );
        let n = s
            .numpy_code()
            .unwrap_or_else(|| panic!("{}: no numpy code", entry.name));
        assert!(
            n.value.last().is_some_and(|l| l.starts_with("return ")),
            "{}: {:?}",
            entry.name,
            n.value
        );
        assert!(!s.formula().is_empty(), "{}", entry.name);
        assert!(formulas.insert(s.formula().to_string()), "{}", entry.name);
    }
    assert_eq!(
        surface::by_name("rosenbrock").unwrap().formula(),
        "(1−x)² + 100(y−x²)²"
    );
}

/// Matyas starts at (8, −6), across its shallow valley along x = y rather than in it.
#[test]
fn matyas_starts_across_its_valley() {
    assert_eq!(surface::by_name("matyas").unwrap().start(), [8.0, -6.0]);
}

/// Each dataset loss's view shows its minimum well inside, at least a tenth of the view from
/// every edge, and its start inside.
#[test]
fn dataset_views_show_the_minimum_and_the_start_well_inside() {
    for name in [
        "collinear",
        "linear-regression",
        "linear-regression-std",
        "logistic-regression",
    ] {
        let s = surface::by_name(name).unwrap();
        let v = s.view();
        let (mx, my) = (0.1 * (v.x.1 - v.x.0), 0.1 * (v.y.1 - v.y.0));
        let p = s.minima()[0].at;
        assert!(
            v.x.0 + mx <= p[0] && p[0] <= v.x.1 - mx && v.y.0 + my <= p[1] && p[1] <= v.y.1 - my,
            "{name}: {p:?} in {v:?}"
        );
        assert!(v.contains(s.start()), "{name}");
    }
}

/// A one-feature classifier's decision boundary is where θ₀ + θ₁x = 0: x = −θ₀/θ₁, none when
/// θ₁ = 0; regressions have none.
#[test]
fn decision_boundaries_of_dataset_losses() {
    let s = surface::by_name("logistic-regression").unwrap();
    assert_eq!(s.decision_boundary([1.0, 2.0]), Some(-0.5));
    assert_eq!(s.decision_boundary([3.0, -1.5]), Some(2.0));
    assert_eq!(s.decision_boundary([1.0, 0.0]), None);
    for name in ["collinear", "linear-regression", "linear-regression-std"] {
        let s = surface::by_name(name).unwrap();
        assert_eq!(s.decision_boundary([1.0, 2.0]), None, "{name}");
    }
}

/// A dataset becomes a Python list of floats as Python writes them, wrapped before a line
/// passes 90 characters (17 items of `0.1, ` to a line), with nothing lost at the end.
#[test]
fn python_lists_wrap_at_about_ninety_characters() {
    assert_eq!(surface::python_list(&[0.5, -2.0]), "[\n    0.5, -2.0,\n]");
    assert_eq!(surface::python_list(&[]), "[\n]");
    let full = vec!["0.1,"; 17].join(" ");
    assert_eq!(
        surface::python_list(&[0.1; 20]),
        format!("[\n    {full}\n    0.1, 0.1, 0.1,\n]")
    );
}

/// The notes say what a list of minima cannot: the plateau's flat far field, the saddle's
/// missing minimum, the double well's local one.
#[test]
fn notes_say_what_the_minima_cannot() {
    let note = |name: &str| surface::by_name(name).unwrap().note().to_string();
    assert_eq!(
        note("plateau"),
        "far from the origin the gradient is almost zero"
    );
    assert!(
        note("saddle").starts_with("no minimum"),
        "{}",
        note("saddle")
    );
    assert!(
        note("double-well").contains("local"),
        "{}",
        note("double-well")
    );
}

/// Logistic regression's probability never overflows: at a score of 800 it is 1, at −800 it is
/// 0 (e^−800 underflows), never NaN, and the gradient there is finite.
#[test]
fn logistic_probabilities_are_stable_at_extreme_scores() {
    let s = surface::by_name("logistic-regression").unwrap();
    assert_eq!(s.predict([800.0, 0.0], &[0.0]), Some(1.0));
    assert_eq!(s.predict([-800.0, 0.0], &[0.0]), Some(0.0));
    assert!(s.gradient([800.0, 0.0]).iter().all(|g| g.is_finite()));
    assert!(s.gradient([-800.0, 0.0]).iter().all(|g| g.is_finite()));
}

/// A run counts as diverged past 100 view widths (or heights) beyond an edge: on
/// [1, 3] × [−1, 2] that is x below −199 or above 203, y below −301 or above 302.
#[test]
fn far_outside_is_a_hundred_view_widths_past_an_edge() {
    let v = gdviz::View {
        x: (1.0, 3.0),
        y: (-1.0, 2.0),
    };
    for (p, far) in [
        ([202.5, 0.0], false),
        ([203.5, 0.0], true),
        ([-198.5, 0.0], false),
        ([-199.5, 0.0], true),
        ([2.0, 301.5], false),
        ([2.0, 302.5], true),
        ([2.0, -300.5], false),
        ([2.0, -301.5], true),
    ] {
        assert_eq!(v.is_far_outside(p), far, "{p:?}");
    }
}

/// The dataset losses' default starts, which a shared link without a start relies on: the raw
/// regression's at a negative intercept and a steep slope, (−1.5, 1.3).
#[test]
fn dataset_losses_start_where_their_links_expect() {
    for (name, start) in [
        ("collinear", [0.0, 0.0]),
        ("linear-regression", [-1.5, 1.3]),
        ("linear-regression-std", [0.0, -2.0]),
        ("logistic-regression", [-3.0, -1.5]),
    ] {
        assert_eq!(surface::by_name(name).unwrap().start(), start, "{name}");
    }
}

/// Newton's polish of a minimum runs until both coordinates stop moving: on x² + (y² − 1)², where
/// x is exact after one step and y is not, the minima are (0, ±1) to rounding.
#[test]
fn newton_polishes_both_coordinates_to_rounding() {
    let s =
        gdviz::expr::ExprSurface::parse("x^2 + (y^2 - 1)^2", gdviz::expr::DEFAULT_VIEW).unwrap();
    let mut at: Vec<[f64; 2]> = s.minima().iter().map(|m| m.at).collect();
    at.sort_by(|a, b| a[1].total_cmp(&b[1]));
    assert_eq!(at.len(), 2, "{at:?}");
    for (a, y) in at.iter().zip([-1.0, 1.0]) {
        assert!(a[0].abs() < 1e-15 && (a[1] - y).abs() < 1e-15, "{at:?}");
    }
}

/// A point exactly 100 view widths (or heights) past an edge has not yet diverged: on
/// [1, 3] × [−1, 2] the bounds −199, 203, −301 and 302 themselves count as near.
#[test]
fn exactly_a_hundred_view_widths_out_is_not_far() {
    let v = gdviz::View {
        x: (1.0, 3.0),
        y: (-1.0, 2.0),
    };
    for p in [[-199.0, 0.0], [203.0, 0.0], [2.0, -301.0], [2.0, 302.0]] {
        assert!(!v.is_far_outside(p), "{p:?}");
    }
}

/// A surface of one's own that has nothing to add about its minima (here the bowl x² + y²) has
/// an empty note, which the page shows as no note at all.
#[test]
fn a_surface_that_says_nothing_has_an_empty_note() {
    struct Bowl;
    impl Surface for Bowl {
        fn name(&self) -> &str {
            "bowl"
        }
        fn formula(&self) -> &str {
            "x² + y²"
        }
        fn value(&self, p: [f64; 2]) -> f64 {
            p[0] * p[0] + p[1] * p[1]
        }
        fn gradient(&self, p: [f64; 2]) -> [f64; 2] {
            [2.0 * p[0], 2.0 * p[1]]
        }
        fn hessian(&self, _p: [f64; 2]) -> [[f64; 2]; 2] {
            [[2.0, 0.0], [0.0, 2.0]]
        }
        fn view(&self) -> gdviz::View {
            gdviz::View {
                x: (-1.0, 1.0),
                y: (-1.0, 1.0),
            }
        }
        fn start(&self) -> [f64; 2] {
            [0.5, 0.5]
        }
        fn minima(&self) -> &[gdviz::surface::Minimum] {
            &[]
        }
    }
    assert_eq!(Bowl.note(), "");
}
