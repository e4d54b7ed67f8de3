//! The loss chart's axes read at every range: drawn into plotters' SVG backend, its tick labels
//! are whole, distinct steps on x and distinct decades or short numbers on y.

use gdviz::render::{draw_loss, Style};
use plotters::prelude::*;
use roxmltree::Document;

const STYLE: Style = Style {
    scale: 1.0,
    dark: false,
};

/// The tick labels of the chart of `losses` (and `f*`): those along the x axis (below the plot,
/// centred) and those along the y axis (left of it, right-aligned), each in order, and the
/// y axis's name.
fn labels(losses: &[f64], f_star: Option<f64>) -> (Vec<String>, Vec<String>, String) {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (480, 240)).into_drawing_area();
        draw_loss(&root, &[(losses, RED)], losses.len() - 1, f_star, &STYLE).unwrap();
        root.present().unwrap();
    }
    let doc = Document::parse(&svg).unwrap();
    let mut x = Vec::new();
    let mut y = Vec::new();
    let mut name = String::new();
    for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let text = t.text().unwrap_or("").trim().to_string();
        let at = |a: &str| t.attribute(a).unwrap_or("0").parse::<f64>().unwrap_or(0.0);
        if t.attribute("transform").is_some() {
            name = text;
        } else if text == "step" {
        } else if t.attribute("text-anchor") == Some("end") {
            y.push((at("y"), text));
        } else {
            x.push((at("x"), text));
        }
    }
    x.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Top to bottom on screen: largest value first; reversed to increasing.
    y.sort_by(|a, b| b.0.total_cmp(&a.0));
    let strip = |v: Vec<(f64, String)>| v.into_iter().map(|p| p.1).collect::<Vec<_>>();
    (strip(x), strip(y), name)
}

fn distinct(v: &[String]) -> bool {
    v.iter().enumerate().all(|(i, l)| !v[..i].contains(l))
}

#[test]
fn short_runs_label_each_step_once() {
    for (steps, want) in [
        (1, &["0", "1"][..]),
        (2, &["0", "1", "2"]),
        (3, &["0", "1", "2", "3"]),
    ] {
        let losses: Vec<f64> = (0..=steps).map(|k| 10.0 - k as f64).collect();
        for f_star in [None, Some(0.0)] {
            let (x, y, _) = labels(&losses, f_star);
            assert_eq!(x, want, "{steps} steps, f* {f_star:?}");
            assert!(y.len() >= 2 && distinct(&y), "{steps} steps: {y:?}");
        }
    }
}

#[test]
fn a_diverged_run_keeps_distinct_labels() {
    // The loss grows to overflow; its last value is infinite.
    let mut losses: Vec<f64> = (0..38).map(|k| 10f64.powi(8 * k)).collect();
    losses.push(f64::INFINITY);
    for f_star in [None, Some(0.0)] {
        let (x, y, _) = labels(&losses, f_star);
        assert!(distinct(&x) && x.len() >= 3, "{x:?}");
        assert!(
            distinct(&y) && (3..=6).contains(&y.len()),
            "{f_star:?}: {y:?}"
        );
        assert!(x.iter().all(|l| l.parse::<u32>().is_ok()), "{x:?}");
    }
}

#[test]
fn forty_five_decades_get_whole_decade_labels() {
    // The plateau lesson: f − f* from 1e5 down to 1e-40.
    let losses: Vec<f64> = (0..=90).map(|k| 10f64.powf(5.0 - k as f64 / 2.0)).collect();
    let (_, y, name) = labels(&losses, Some(0.0));
    assert_eq!(y, ["1e-40", "1e-30", "1e-20", "1e-10", "1"]);
    assert_eq!(name, "f − f* (log)");
}

#[test]
fn a_tiny_range_around_a_million_is_offset_not_repeated() {
    let losses: Vec<f64> = (0..50).map(|k| 1e6 + 1e-3 - k as f64 * 2e-5).collect();
    let (_, y, name) = labels(&losses, None);
    assert!(distinct(&y) && y.len() >= 3, "{y:?}");
    assert!(y.iter().all(|l| l.chars().count() <= 8), "{y:?}");
    assert_eq!(name, "f − 1e6");
}
