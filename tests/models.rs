//! The machine-learning surfaces (ridge, lasso, svm, tiny-nn, recommender): exact derivatives away
//! from kinks, honest finite sums, minima that match closed forms or optimality conditions, and
//! the behaviour each one is there to show.

use gdviz::linalg::{norm, solve, sym_eigenvalues};
use gdviz::surface::{self, Surface};
use gdviz::{run, OptimizerKind, RunConfig};

mod common;
use common::{finite_differences, gdviz};

const MODELS: [&str; 5] = ["ridge", "lasso", "svm", "tiny-nn", "recommender"];

fn build(name: &str, lambda: Option<f64>) -> Box<dyn Surface> {
    let values: Vec<(String, f64)> = lambda.map(|l| ("lambda".into(), l)).into_iter().collect();
    surface::find(name).unwrap().build(&values).unwrap()
}

/// Each model with a spread of λ values (the default first; tiny-nn has no λ).
fn variants() -> Vec<(&'static str, Option<f64>)> {
    let mut v: Vec<(&str, Option<f64>)> = MODELS.iter().map(|&m| (m, None)).collect();
    for l in [0.0, 0.1, 3.0, 100.0] {
        v.push(("ridge", Some(l)));
    }
    for l in [0.0, 0.5, 2.0, 20.0] {
        v.push(("lasso", Some(l)));
    }
    for l in [0.001, 0.2, 10.0] {
        v.push(("svm", Some(l)));
    }
    for l in [0.0, 2.0, 3.9, 8.0] {
        v.push(("recommender", Some(l)));
    }
    v
}

/// The SVM's hinge vectors aᵢ = sᵢxᵢ (sᵢ = ±1), read back from its data.
fn hinge_vectors(s: &dyn Surface) -> Vec<[f64; 2]> {
    let d = s.data().unwrap();
    let x2 = d.x2.as_ref().expect("the SVM's data has two features");
    (0..d.x.len())
        .map(|i| {
            let sign = 2.0 * d.y[i] - 1.0;
            [sign * d.x[i], sign * x2[i]]
        })
        .collect()
}

/// How far `p` is from the nearest kink (in parameter units); infinite for smooth surfaces.
fn kink_distance(s: &dyn Surface, p: [f64; 2]) -> f64 {
    match s.name() {
        "lasso" => p[0].abs().min(p[1].abs()),
        "svm" => hinge_vectors(s)
            .iter()
            .map(|a| (a[0] * p[0] + a[1] * p[1] - 1.0).abs() / norm(*a))
            .fold(f64::INFINITY, f64::min),
        _ => f64::INFINITY,
    }
}

fn check_point(s: &dyn Surface, p: [f64; 2]) -> Result<(), String> {
    let g = s.gradient(p);
    let h = s.hessian(p);
    let (fg, fh) = finite_differences(s, p);
    let gscale = 1.0 + norm(g).max(s.value(p).abs());
    let hscale = h.iter().flatten().fold(gscale, |m, v| m.max(v.abs()));
    for i in 0..2 {
        if (g[i] - fg[i]).abs() > 1e-6 * gscale {
            return Err(format!("gradient {g:?} vs differences {fg:?}"));
        }
        for j in 0..2 {
            if (h[i][j] - fh[i][j]).abs() > 1e-6 * hscale {
                return Err(format!("Hessian {h:?} vs differences {fh:?}"));
            }
        }
    }
    if h[0][1] != h[1][0] {
        return Err("Hessian not symmetric".into());
    }
    Ok(())
}

#[test]
fn derivatives_match_differences_away_from_kinks() {
    for (name, lambda) in variants() {
        let s = build(name, lambda);
        let v = s.view();
        let (mut checked, mut skipped) = (0, 0);
        for i in 0..40 {
            for j in 0..40 {
                let p = [
                    v.x.0 + (v.x.1 - v.x.0) * (i as f64 + 0.31) / 40.0,
                    v.y.0 + (v.y.1 - v.y.0) * (j as f64 + 0.57) / 40.0,
                ];
                if kink_distance(s.as_ref(), p) < 1e-3 {
                    skipped += 1;
                    continue;
                }
                check_point(s.as_ref(), p)
                    .unwrap_or_else(|e| panic!("{name} λ={lambda:?} at {p:?}: {e}"));
                checked += 1;
            }
        }
        assert!(checked > 1500, "{name}: only {checked} points checked");
        assert!(skipped < 100, "{name}: {skipped} points skipped");
    }
}

#[test]
fn the_kinks_are_real_and_use_the_documented_subgradients() {
    // Lasso: sign(0) = 0, so on an axis the penalty adds nothing along it.
    let lasso = build("lasso", Some(3.0));
    let on_axis = [2.0, 0.0];
    let (below, above) = (lasso.gradient([2.0, -1e-9]), lasso.gradient([2.0, 1e-9]));
    assert!(
        (above[1] - below[1] - 6.0).abs() < 1e-6,
        "jump 2λ across θ₁ = 0"
    );
    let mid = lasso.gradient(on_axis)[1];
    assert!(
        (mid - 0.5 * (above[1] + below[1])).abs() < 1e-6,
        "sign(0) = 0"
    );
    // SVM: on a kink (aᵢ·w = 1 exactly) the hinge's derivative is 0, as if the point were
    // outside the margin.
    let svm = build("svm", None);
    let a = hinge_vectors(svm.as_ref())[0];
    let q = a[0] * a[0] + a[1] * a[1];
    let on_kink = [a[0] / q, a[1] / q];
    assert_eq!(a[0] * on_kink[0] + a[1] * on_kink[1], 1.0);
    let outside = [on_kink[0] * (1.0 + 1e-12), on_kink[1] * (1.0 + 1e-12)];
    let inside = [on_kink[0] * (1.0 - 1e-12), on_kink[1] * (1.0 - 1e-12)];
    let (g, go, gi) = (
        svm.term_gradient(0, on_kink),
        svm.term_gradient(0, outside),
        svm.term_gradient(0, inside),
    );
    assert!(norm([g[0] - go[0], g[1] - go[1]]) < 1e-9, "{g:?} vs {go:?}");
    assert!(norm([gi[0] - go[0] + a[0], gi[1] - go[1] + a[1]]) < 1e-9);
    let (g, go) = (svm.gradient(on_kink), svm.gradient(outside));
    assert!(norm([g[0] - go[0], g[1] - go[1]]) < 1e-9, "{g:?} vs {go:?}");
}

#[test]
fn term_gradients_average_to_the_gradient() {
    for (name, lambda) in variants() {
        let s = build(name, lambda);
        let n = s.terms().expect("a finite sum of its own");
        let d = s.data().expect("data for the data view");
        assert_eq!(d.x.len(), n, "{name}");
        assert_eq!(d.y.len(), n, "{name}");
        let v = s.view();
        for (u, w) in [(0.13, 0.71), (0.52, 0.33), (0.87, 0.91), (0.3, 0.05)] {
            let p = [v.x.0 + (v.x.1 - v.x.0) * u, v.y.0 + (v.y.1 - v.y.0) * w];
            let mut g = [0.0; 2];
            for i in 0..n {
                let gi = s.term_gradient(i, p);
                g[0] += gi[0] / n as f64;
                g[1] += gi[1] / n as f64;
            }
            let full = s.gradient(p);
            let scale = 1.0 + norm(full);
            assert!(
                (g[0] - full[0]).abs() < 1e-12 * scale && (g[1] - full[1]).abs() < 1e-12 * scale,
                "{name} λ={lambda:?} at {p:?}: mean of terms {g:?}, gradient {full:?}"
            );
        }
    }
}

#[test]
fn defaults_make_a_picture() {
    for name in MODELS {
        let s = surface::by_name(name).unwrap();
        assert_eq!(s.name(), name);
        let v = s.view();
        assert!(v.contains(s.start()), "{name}: start outside the view");
        assert!(!s.minima().is_empty(), "{name}: no minimum marked");
        for m in s.minima() {
            assert!(
                v.contains(m.at),
                "{name}: minimum {:?} outside the view",
                m.at
            );
            assert!(m.global && m.value.is_finite());
            assert!(
                (s.value(m.at) - m.value).abs() <= 1e-12 * (1.0 + m.value.abs()),
                "{name}"
            );
            assert!(
                m.value < s.value(s.start()),
                "{name}: start below the minimum"
            );
        }
        assert!(!s.formula().is_empty() && !s.note().is_empty(), "{name}");
        assert_ne!(s.axis_names(), ("x", "y"), "{name}: name the parameters");
        let n = s.terms().unwrap();
        assert!(n >= 10, "{name}: {n} terms (the default mini-batch is 10)");
        assert!(s.formula().contains(&format!("(1/{n})")), "{name}");
    }
}

#[test]
fn datasets_are_seeded_and_fixed() {
    for name in MODELS {
        let a = surface::by_name(name).unwrap();
        let b = surface::by_name(name).unwrap();
        assert_eq!(a.data(), b.data(), "{name}");
        let d = a.data().unwrap();
        assert!(d.x.iter().chain(&d.y).all(|v| v.is_finite()), "{name}");
    }
    // Ridge and lasso fit the same 50 points as linear-regression.
    let lr = surface::by_name("linear-regression").unwrap();
    for name in ["ridge", "lasso"] {
        let d = surface::by_name(name).unwrap().data().unwrap().clone();
        assert_eq!(&d, lr.data().unwrap());
    }
    // The SVM: two classes 0/1 over two features.
    let svm = surface::by_name("svm").unwrap();
    let d = svm.data().unwrap();
    assert!(d.y.iter().all(|&y| y == 0.0 || y == 1.0));
    assert!(d.y.contains(&0.0) && d.y.contains(&1.0));
    assert_eq!(d.x2.as_ref().map(Vec::len), Some(d.x.len()));
    // Ratings are whole stars.
    let r = surface::by_name("recommender").unwrap();
    let d = r.data().unwrap();
    assert!(d
        .y
        .iter()
        .all(|&y| y.fract() == 0.0 && (1.0..=5.0).contains(&y)));
}

/// The standardised design matrix of ridge and lasso, rows (1, zᵢ), and the targets.
fn design(s: &dyn Surface) -> (Vec<[f64; 2]>, Vec<f64>) {
    let d = s.data().unwrap();
    let n = d.x.len() as f64;
    let mean = d.x.iter().sum::<f64>() / n;
    let std = (d.x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    (
        d.x.iter().map(|&x| [1.0, (x - mean) / std]).collect(),
        d.y.clone(),
    )
}

#[test]
fn ridge_minimum_is_the_closed_form_and_slides_to_the_origin() {
    // f = (1/n)‖Xθ − y‖² + λ‖θ‖²: ∇f = (2/n)(XᵀXθ − Xᵀy) + 2λθ = 0 ⇔ θ = (XᵀX + nλI)⁻¹Xᵀy.
    let mut last = f64::INFINITY;
    let mut direction: Option<[f64; 2]> = None;
    for lambda in [0.0, 0.1, 0.5, 1.0, 3.0, 10.0, 100.0] {
        let s = build("ridge", Some(lambda));
        let (x, y) = design(s.as_ref());
        let n = x.len() as f64;
        let mut xtx = [[0.0; 2]; 2];
        let mut xty = [0.0; 2];
        for (row, yi) in x.iter().zip(&y) {
            for r in 0..2 {
                for c in 0..2 {
                    xtx[r][c] += row[r] * row[c];
                }
                xty[r] += row[r] * yi;
            }
        }
        xtx[0][0] += n * lambda;
        xtx[1][1] += n * lambda;
        let closed = solve(xtx, xty).unwrap();
        let m = s.minima()[0];
        assert!(
            (m.at[0] - closed[0]).abs() < 1e-12 && (m.at[1] - closed[1]).abs() < 1e-12,
            "λ={lambda}: {:?} vs closed form {closed:?}",
            m.at
        );
        assert!(norm(s.gradient(m.at)) < 1e-12);
        let (lo, hi) = sym_eigenvalues(s.hessian(m.at));
        assert!((lo - 2.0 * (1.0 + lambda)).abs() < 1e-9 && (hi - lo).abs() < 1e-9);
        // Closer to the origin as λ grows, along one straight line (the features are
        // standardised, so XᵀX = nI and θ* = θ_OLS/(1 + λ)).
        let r = norm(m.at);
        assert!(r < last, "λ={lambda}: |θ*| = {r} did not shrink");
        last = r;
        let d = [m.at[0] / r, m.at[1] / r];
        if let Some(d0) = direction {
            assert!((d[0] - d0[0]).abs() < 1e-9 && (d[1] - d0[1]).abs() < 1e-9);
        }
        direction = Some(d);
    }
    assert!(
        last < 0.05,
        "λ = 100 should pull the minimum almost to the origin"
    );
}

/// Whether no point at distance ε (in 72 directions, ε from 1e-7 to 0.1) is lower than `p`.
fn is_local_minimum(s: &dyn Surface, p: [f64; 2]) -> bool {
    let f0 = s.value(p);
    (0..72).all(|k| {
        let a = k as f64 * std::f64::consts::PI / 36.0 + 0.01;
        [1e-7, 1e-5, 1e-3, 0.1].iter().all(|&e| {
            let q = [p[0] + e * a.cos(), p[1] + e * a.sin()];
            s.value(q) >= f0 - 1e-14 * (1.0 + f0.abs())
        })
    })
}

#[test]
fn lasso_minimum_is_exact_and_sits_on_an_axis() {
    let s = surface::by_name("lasso").unwrap();
    let m = s.minima()[0];
    assert_eq!(m.at[1], 0.0, "the default λ zeroes the slope exactly");
    assert!(m.at[0] > 0.5, "{:?}", m.at);
    assert!(is_local_minimum(s.as_ref(), m.at));
    // The smooth part's gradient along θ₁ is inside [−λ, λ]: the subgradient condition.
    let lambda = surface::find("lasso").unwrap().params[0].default;
    let smooth = |p: [f64; 2]| s.value(p) - lambda * (p[0].abs() + p[1].abs());
    let e = 1e-6;
    let d1 = (smooth([m.at[0], e]) - smooth([m.at[0], -e])) / (2.0 * e);
    assert!(d1.abs() < lambda, "∂/∂θ₁ of the squared error {d1}");
    // The ridge surface at λ = 0 is plain least squares: lasso at λ = 0 agrees.
    let ols = build("ridge", Some(0.0)).minima()[0].at;
    let free = build("lasso", Some(0.0)).minima()[0].at;
    assert!((ols[0] - free[0]).abs() < 1e-12 && (ols[1] - free[1]).abs() < 1e-12);
    // A small λ keeps both coefficients (a smooth stationary point); a huge one gives 0.
    let small = build("lasso", Some(0.5));
    let p = small.minima()[0].at;
    assert!(p[0] > 0.0 && p[1] > 0.0 && norm(small.gradient(p)) < 1e-12);
    assert_eq!(build("lasso", Some(100.0)).minima()[0].at, [0.0, 0.0]);
    for lambda in [0.5, 2.0, 2.9, 3.0, 4.0, 7.0, 7.4, 7.5, 20.0, 100.0] {
        let s = build("lasso", Some(lambda));
        let at = s.minima()[0].at;
        assert!(is_local_minimum(s.as_ref(), at), "λ={lambda}: {at:?}");
        // Against a brute-force search on a fine grid around it.
        let best = (0..=400)
            .flat_map(|i| (0..=400).map(move |j| (i, j)))
            .map(|(i, j)| {
                let q = [
                    at[0] - 0.2 + 0.4 * i as f64 / 400.0,
                    at[1] - 0.2 + 0.4 * j as f64 / 400.0,
                ];
                s.value(q)
            })
            .fold(f64::INFINITY, f64::min);
        assert!(s.value(at) <= best + 1e-14, "λ={lambda}");
    }
}

#[test]
fn lasso_gradient_descent_reaches_the_axis_and_chatters() {
    let s = surface::by_name("lasso").unwrap();
    let m = s.minima()[0];
    let lambda = surface::find("lasso").unwrap().params[0].default;
    for lr in [0.1, 0.02] {
        let mut cfg = RunConfig::new(s.as_ref(), OptimizerKind::Sgd);
        cfg.hyper.lr = lr;
        cfg.steps = 3000;
        let t = run(s.as_ref(), &cfg).unwrap();
        assert!(s.start()[1] > 1.0, "starts well away from the axis");
        let tail = &t.points[t.points.len() - 500..];
        // Within a few step sizes (lr·λ) of the axis, and crossing it again and again.
        let step = lr * lambda;
        assert!(
            tail.iter().all(|p| p[1].abs() <= 2.0 * step),
            "lr={lr}: strays from the axis"
        );
        let crossings = tail.windows(2).filter(|w| w[0][1] * w[1][1] < 0.0).count();
        assert!(
            crossings >= 20,
            "lr={lr}: only {crossings} crossings of θ₁ = 0"
        );
        assert!(tail.iter().any(|p| p[1] > 0.0) && tail.iter().any(|p| p[1] < 0.0));
        // Along the axis it converges; the subgradient never vanishes, so the run does not.
        assert!(
            (t.last()[0] - m.at[0]).abs() < 1e-9,
            "lr={lr}: {:?}",
            t.last()
        );
        assert_eq!(t.status, gdviz::Status::MaxSteps);
    }
}

/// The SVM's optimality conditions at `w`: 2λw = (1/n)(Σ_inside aᵢ + Σ_on βⱼaⱼ) with every
/// βⱼ in [0, 1], for the points inside the margin (aᵢ·w < 1) and on it (aᵢ·w = 1).
fn assert_kkt(s: &dyn Surface, w: [f64; 2], lambda: f64) {
    let a = hinge_vectors(s);
    let n = a.len() as f64;
    let mut r = [2.0 * lambda * w[0], 2.0 * lambda * w[1]];
    let mut on = Vec::new();
    for ai in &a {
        let m = ai[0] * w[0] + ai[1] * w[1];
        if (m - 1.0).abs() <= 1e-10 {
            on.push(*ai);
        } else if m < 1.0 {
            r[0] -= ai[0] / n;
            r[1] -= ai[1] / n;
        }
    }
    let beta: Vec<f64> = match on.as_slice() {
        [] => Vec::new(),
        [aj] => {
            let b = n * (r[0] * aj[0] + r[1] * aj[1]) / (aj[0] * aj[0] + aj[1] * aj[1]);
            r = [r[0] - b * aj[0] / n, r[1] - b * aj[1] / n];
            vec![b]
        }
        [aj, ak] => {
            let b = solve([[aj[0], ak[0]], [aj[1], ak[1]]], [n * r[0], n * r[1]]).unwrap();
            r = [0.0, 0.0];
            b.to_vec()
        }
        more => panic!("{} points on the margin", more.len()),
    };
    assert!(norm(r) < 1e-12, "λ={lambda}: stationarity residual {r:?}");
    assert!(
        beta.iter().all(|b| (-1e-9..=1.0 + 1e-9).contains(b)),
        "λ={lambda}: multipliers {beta:?}"
    );
}

#[test]
fn svm_minimum_is_optimal_and_sits_on_support_vector_kinks() {
    for lambda in [
        None,
        Some(0.001),
        Some(0.01),
        Some(0.2),
        Some(1.0),
        Some(10.0),
    ] {
        let s = build("svm", lambda);
        let m = s.minima()[0];
        assert!(
            is_local_minimum(s.as_ref(), m.at),
            "λ={lambda:?}: {:?}",
            m.at
        );
        assert_kkt(s.as_ref(), m.at, lambda.unwrap_or(0.03));
        // f is convex: a long subgradient run with decaying steps ends no lower.
        let mut p = s.start();
        let mut best = s.value(p);
        for k in 1..=20_000 {
            let g = s.gradient(p);
            let lr = 0.5 / (k as f64).sqrt();
            p = [p[0] - lr * g[0], p[1] - lr * g[1]];
            best = best.min(s.value(p));
        }
        assert!(
            m.value <= best + 1e-12,
            "λ={lambda:?}: {} > {best}",
            m.value
        );
    }
    // At the default λ the minimum is on the margin of one or more support vectors: a kink,
    // where the (sub)gradient is not zero.
    let s = surface::by_name("svm").unwrap();
    let m = s.minima()[0];
    let on_margin = hinge_vectors(s.as_ref())
        .iter()
        .filter(|a| (a[0] * m.at[0] + a[1] * m.at[1] - 1.0).abs() < 1e-12)
        .count();
    assert!(on_margin >= 1, "no support vector exactly on the margin");
    assert!(norm(s.gradient(m.at)) > 1e-3);
}

#[test]
fn tiny_nn_is_symmetric_with_a_saddle_at_the_origin() {
    let s = surface::by_name("tiny-nn").unwrap();
    let v = s.view();
    for i in 0..20 {
        for j in 0..20 {
            let p = [
                v.x.0 + (v.x.1 - v.x.0) * (i as f64 + 0.4) / 20.0,
                v.y.0 + (v.y.1 - v.y.0) * (j as f64 + 0.7) / 20.0,
            ];
            let q = [-p[0], -p[1]];
            assert!((s.value(p) - s.value(q)).abs() <= 1e-15 * s.value(p));
            let (gp, gq) = (s.gradient(p), s.gradient(q));
            assert!((gp[0] + gq[0]).abs() < 1e-14 && (gp[1] + gq[1]).abs() < 1e-14);
        }
    }
    assert_eq!(s.gradient([0.0, 0.0]), [0.0, 0.0]);
    let (lo, hi) = sym_eigenvalues(s.hessian([0.0, 0.0]));
    assert!(lo < 0.0 && hi > 0.0, "a saddle: eigenvalues {lo}, {hi}");
    let m = s.minima();
    assert_eq!(m.len(), 2);
    assert_eq!(m[1].at, [-m[0].at[0], -m[0].at[1]], "mirrored minima");
    for mi in m {
        assert!(mi.global && norm(s.gradient(mi.at)) < 1e-12);
        assert!(sym_eigenvalues(s.hessian(mi.at)).0 > 0.0);
        assert!(
            mi.value < 0.05,
            "fits y = 1.5·tanh(2x) + noise: f = {}",
            mi.value
        );
    }
    assert!((m[0].at[0].abs() - 2.0).abs() < 0.3 && (m[0].at[1].abs() - 1.5).abs() < 0.2);
}

#[test]
fn recommender_has_a_saddle_and_minima_on_the_hyperbola() {
    let r = surface::by_name("recommender")
        .unwrap()
        .data()
        .unwrap()
        .y
        .iter()
        .sum::<f64>()
        / 12.0;
    assert!(r > 3.0 && r < 5.0, "ratings around 4: mean {r}");
    for lambda in [None, Some(0.1), Some(1.0), Some(3.0), Some(0.99 * r)] {
        let s = build("recommender", lambda);
        let l = lambda.unwrap_or(surface::find("recommender").unwrap().params[0].default);
        assert_eq!(s.gradient([0.0, 0.0]), [0.0, 0.0]);
        let (lo, hi) = sym_eigenvalues(s.hessian([0.0, 0.0]));
        assert!(
            (lo - 2.0 * (l - r)).abs() < 1e-12 && (hi - 2.0 * (l + r)).abs() < 1e-12,
            "Hessian at the origin [[2λ, −2r̄], [−2r̄, 2λ]]"
        );
        assert!(lo < 0.0 && hi > 0.0, "λ={l}: a saddle");
        let m = s.minima();
        assert_eq!(m.len(), 2, "λ={l}");
        for mi in m {
            let (u, v) = (mi.at[0], mi.at[1]);
            assert!(
                (u * v - (r - l)).abs() < 1e-12,
                "λ={l}: uv = {} ≠ r̄ − λ",
                u * v
            );
            assert!((u - v).abs() < 1e-12, "balanced factors");
            assert!(norm(s.gradient(mi.at)) < 1e-12);
            assert!(sym_eigenvalues(s.hessian(mi.at)).0 > 0.0);
            let mean_sq = s.data().unwrap().y.iter().map(|y| y * y).sum::<f64>() / 12.0;
            assert!((mi.value - (mean_sq - (r - l).powi(2))).abs() < 1e-12);
        }
    }
    // Without L2: a valley along uv = r̄, no point marked.
    let s = build("recommender", Some(0.0));
    assert!(s.minima().is_empty());
    let f0 = s.value([1.0, r]);
    for u in [0.5, 2.0, -1.5, 3.0] {
        let p = [u, r / u];
        assert!((s.value(p) - f0).abs() < 1e-12 && norm(s.gradient(p)) < 1e-12);
    }
    // A penalty above the mean rating leaves only the origin.
    let s = build("recommender", Some(8.0));
    assert_eq!(s.minima().len(), 1);
    assert_eq!(s.minima()[0].at, [0.0, 0.0]);
}

#[test]
fn recommender_default_run_stalls_at_the_saddle_then_escapes() {
    let s = surface::by_name("recommender").unwrap();
    let mut cfg = RunConfig::new(s.as_ref(), OptimizerKind::Sgd);
    cfg.hyper.lr = 0.02;
    cfg.steps = 1000;
    let t = run(s.as_ref(), &cfg).unwrap();
    let near_saddle = t.points.iter().filter(|p| norm(**p) < 0.5).count();
    assert!(near_saddle >= 10, "{near_saddle} steps near the saddle");
    assert_eq!(t.status, gdviz::Status::Converged);
    let end = t.last();
    assert!(s
        .minima()
        .iter()
        .any(|m| norm([m.at[0] - end[0], m.at[1] - end[1]]) < 1e-6));
}

#[test]
fn lambda_is_validated() {
    for name in ["ridge", "lasso", "svm", "recommender"] {
        let e = surface::find(name)
            .unwrap()
            .build(&[("lambda".into(), -1.0)])
            .err()
            .unwrap();
        assert_eq!(e.option, "lambda", "{name}");
    }
    let e = surface::find("svm")
        .unwrap()
        .build(&[("lambda".into(), 0.0)])
        .err()
        .unwrap();
    assert_eq!(
        e.option, "lambda",
        "the SVM needs λ > 0 for a single minimum"
    );
    let e = surface::find("tiny-nn")
        .unwrap()
        .build(&[("lambda".into(), 1.0)])
        .err()
        .unwrap();
    assert_eq!(e.option, "lambda");
}

fn trace(args: &[&str]) -> Vec<Vec<f64>> {
    let o = gdviz(&[&["trace"][..], args].concat());
    assert!(
        o.status.success(),
        "gdviz trace {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8(o.stdout).unwrap();
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("step,x,y,loss,lr"), "{args:?}");
    lines
        .map(|l| {
            l.split(',')
                .take(4)
                .map(|v| v.parse::<f64>().unwrap())
                .collect()
        })
        .collect()
}

#[test]
fn every_model_traces_in_the_cli() {
    for name in MODELS {
        for variant in [
            &["--variant", "batch"][..],
            &["--variant", "stochastic"],
            &["--variant", "minibatch", "--batch-size", "5"],
        ] {
            let mut args = vec![
                "--surface",
                name,
                "--optimizer",
                "sgd",
                "--lr",
                "0.01",
                "--steps",
                "50",
            ];
            args.extend_from_slice(variant);
            let rows = trace(&args);
            assert_eq!(rows.len(), 51, "{args:?}");
            let start = surface::by_name(name).unwrap().start();
            assert_eq!((rows[0][1], rows[0][2]), (start[0], start[1]), "{args:?}");
            for (k, row) in rows.iter().enumerate() {
                assert_eq!(row.len(), 4);
                assert_eq!(row[0], k as f64);
                assert!(row.iter().all(|v| v.is_finite()), "{args:?}: {row:?}");
            }
        }
    }
    // Surface parameters through --param.
    let a = trace(&["--surface", "ridge", "--param", "lambda=10", "--lr", "0.02"]);
    let b = trace(&["--surface", "ridge", "--lr", "0.02"]);
    assert_ne!(a.last(), b.last());
    let rows = trace(&[
        "--surface",
        "recommender",
        "--param",
        "lambda=0",
        "--optimizer",
        "adam",
        "--lr",
        "0.05",
    ]);
    assert!(rows.iter().flatten().all(|v| v.is_finite()));
    let o = gdviz(&["trace", "--surface", "lasso", "--param", "lambda=1000"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("lambda"));
}

#[test]
fn predictions_agree_with_the_loss() {
    // The data view draws predict(θ, x): the loss must be the error of exactly that model.
    for (name, lambda) in variants() {
        let s = build(name, lambda);
        let d = s.data().unwrap();
        let n = d.x.len() as f64;
        let l = lambda.unwrap_or_else(|| {
            surface::find(name)
                .unwrap()
                .params
                .first()
                .map_or(0.0, |p| p.default)
        });
        for p in [[0.7, -1.3], [2.0, 0.5], [-1.1, 1.9]] {
            let expected = match name {
                "svm" => {
                    let x2 = d.x2.as_ref().unwrap();
                    for (&a, &b) in d.x.iter().zip(x2) {
                        let score = p[0] * a + p[1] * b;
                        let q = s.predict(p, &[a, b]).unwrap();
                        assert!((q - (0.5 + 0.5 * score.clamp(-1.0, 1.0))).abs() < 1e-15);
                    }
                    assert_eq!(s.predict(p, &[p[1], -p[0]]), Some(0.5), "½ on the line");
                    continue;
                }
                _ => {
                    let sq = (0..d.x.len())
                        .map(|i| (s.predict(p, &[d.x[i]]).unwrap() - d.y[i]).powi(2))
                        .sum::<f64>()
                        / n;
                    let penalty = match name {
                        "lasso" => l * (p[0].abs() + p[1].abs()),
                        "tiny-nn" => 0.0,
                        _ => l * (p[0] * p[0] + p[1] * p[1]),
                    };
                    sq + penalty
                }
            };
            assert!(
                (s.value(p) - expected).abs() < 1e-12 * (1.0 + expected),
                "{name} λ={lambda:?} at {p:?}: f = {}, from predictions {expected}",
                s.value(p)
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pinned by cargo-mutants.

/// On the intercept axis (slope 0, where the lasso's minimum may sit) the ridge and lasso
/// gradients are (2/n) Σ (θ₀ − yᵢ)(1, zᵢ) plus the penalty's, computed here from the data.
#[test]
fn gradients_on_the_intercept_axis_are_the_closed_form() {
    for (name, lambda) in [("ridge", 0.5), ("lasso", 0.5)] {
        let s = build(name, Some(lambda));
        let (x, y) = design(s.as_ref());
        let n = x.len() as f64;
        let theta0: f64 = 0.7;
        let mut g = [0.0; 2];
        for (row, yi) in x.iter().zip(&y) {
            let r = theta0 - yi;
            g[0] += 2.0 * r * row[0] / n;
            g[1] += 2.0 * r * row[1] / n;
        }
        // ridge: 2λθ; lasso: λ·sign(θ), 0 at θ₁ = 0.
        g[0] += if name == "ridge" {
            2.0 * lambda * theta0
        } else {
            lambda
        };
        let got = s.gradient([theta0, 0.0]);
        for i in 0..2 {
            assert!((got[i] - g[i]).abs() < 1e-12, "{name}: {got:?} vs {g:?}");
        }
    }
}

/// Ridge is a quadratic (its step-size threshold is exact everywhere); lasso is not.
#[test]
fn ridge_is_quadratic_and_lasso_is_not() {
    assert!(build("ridge", None).is_quadratic());
    assert!(!build("lasso", None).is_quadratic());
}

/// The ridge and lasso notes say what each penalty does; the lasso's names the λ above which the
/// best slope is exactly 0, twice |the least-squares slope| (1/n) Σ yᵢzᵢ, computed here.
#[test]
fn penalty_notes_name_the_penalty_and_the_lasso_threshold() {
    let ridge = build("ridge", None);
    assert!(
        ridge
            .note()
            .starts_with("Ridge adds λ‖θ‖² to the squared error."),
        "{}",
        ridge.note()
    );
    let lasso = build("lasso", None);
    let (x, y) = design(lasso.as_ref());
    let slope = x.iter().zip(&y).map(|(r, yi)| r[1] * yi).sum::<f64>() / x.len() as f64;
    let note = lasso.note();
    let rest = note
        .strip_prefix("Lasso adds λ(|θ₀| + |θ₁|): for λ above ")
        .unwrap_or_else(|| panic!("{note}"));
    let threshold: f64 = rest.split(' ').next().unwrap().parse().unwrap();
    assert!(
        (threshold - 2.0 * slope.abs()).abs() <= 0.01 * threshold,
        "{threshold} vs {}",
        2.0 * slope.abs()
    );
}

/// Tiny-nn's note says what its plot shows and a list of minima cannot: the mirrored pair of
/// minima (flipping both weights' signs), the saddle between them, the flat saturated far field.
#[test]
fn tiny_nn_note_names_the_mirrored_pair_the_saddle_and_the_flat_far_field() {
    let note = build("tiny-nn", None).note().to_string();
    assert!(
        note.starts_with("Flipping the signs of both weights gives the same network"),
        "{note}"
    );
    for phrase in ["mirrored pair", "saddle", "goes flat"] {
        assert!(note.contains(phrase), "{phrase}: {note}");
    }
}

/// At λ = 0.002 the SVM's minimum sits on the margins of two support vectors and is solved there
/// in closed form: both aᵢ·w are 1 to a rounding error or two (5·10⁻¹⁶), not merely to the
/// coordinate ascent's accuracy (about 10⁻¹⁴).
#[test]
fn svm_minimum_on_two_margins_is_exact() {
    let s = build("svm", Some(0.002));
    let w = s.minima()[0].at;
    let near: Vec<f64> = hinge_vectors(s.as_ref())
        .iter()
        .map(|a| a[0] * w[0] + a[1] * w[1] - 1.0)
        .filter(|d| d.abs() < 1e-6)
        .collect();
    assert_eq!(near.len(), 2, "{near:?}");
    assert!(near.iter().all(|d| d.abs() <= 5e-16), "{near:?}");
}
