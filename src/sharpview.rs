//! Network mode's sharpness chart, without the DOM: λmax, the largest eigenvalue of the training
//! loss's Hessian, at steps spread over the run, against the sharpness at which the optimizer's
//! step overshoots along the steepest direction (2/γ for gradient descent,
//! [`crate::teach::sharpness_limit`]), and the caption that says what those numbers show. Full-batch
//! gradient descent on a network drives λmax up to that line and hovers there while the loss
//! keeps falling: the "edge of stability" (Cohen et al. 2021).

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::format::short;
use crate::optim::{Hyper, OptimizerKind};
use crate::render::{stepchart, Style};
use crate::variant::Variant;

/// λmax's colour, the training curve's.
const LAMBDA: RGBColor = RGBColor(31, 95, 209);

/// Within this share of the line, λmax is "at" it.
pub const AT_LINE: f64 = 0.1;

/// The measurements of one run: λmax at `steps` (as far as measured: `lambda` may be shorter),
/// the limit at the rate of the step leaving each (`None` where no line applies), and the run's
/// last step.
pub struct Sharpness<'a> {
    pub steps: &'a [usize],
    pub lambda: &'a [f64],
    pub limit: &'a [Option<f64>],
    pub last: usize,
}

/// The limit's name on the chart and in words: the formula of `kind`'s line.
pub fn limit_name(kind: OptimizerKind) -> &'static str {
    match kind {
        OptimizerKind::Momentum => "2(1+μ)/γ",
        OptimizerKind::Nesterov => "2(1+μ)/((1+2μ)γ)",
        _ => "2/γ",
    }
}

/// Draws `s` on `root`: λmax measured (a line through dots), the limit (a faint wide line),
/// and a line at step `current`; a key at the top right.
pub fn draw_sharpness<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Sharpness,
    kind: OptimizerKind,
    current: usize,
    style: &Style,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let measured: Vec<(f64, f64)> = s
        .steps
        .iter()
        .zip(s.lambda)
        .filter(|(_, v)| v.is_finite())
        .map(|(&k, &v)| (k as f64, v))
        .collect();
    let line: Vec<(f64, f64)> = s
        .steps
        .iter()
        .zip(s.limit)
        .filter_map(|(&k, v)| v.filter(|v| v.is_finite()).map(|v| (k as f64, v)))
        .collect();
    let values = measured.iter().chain(&line).map(|p| p.1);
    let (lo, hi) = values.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let hi = if hi > lo { hi + 0.08 * (hi - lo) } else { 1.0 };
    let last = s.last.max(1) as f64;
    let chart = stepchart::axes(
        root,
        (0.0, last),
        (lo, hi),
        ("step", "λmax"),
        4,
        Some(current as f64),
        style,
    )?;
    let plot = chart.plotting_area();
    let grey = style.ink().mix(0.3);
    if line.len() > 1 {
        plot.draw(&PathElement::new(
            line.clone(),
            grey.stroke_width(style.px(3.0)),
        ))
        .map_err(e)?;
    }
    plot.draw(&PathElement::new(
        measured.clone(),
        LAMBDA.stroke_width(style.px(1.5)),
    ))
    .map_err(e)?;
    for p in &measured {
        plot.draw(&Circle::new(*p, style.px(2.0), LAMBDA.filled()))
            .map_err(e)?;
    }
    let mut names = vec![("λmax", LAMBDA.to_rgba())];
    if !line.is_empty() {
        names.push((limit_name(kind), grey));
    }
    stepchart::key(root, &chart, &names, style)?;
    Ok(())
}

/// What the chart shows, in words computed from it: λmax at the start and the end and its
/// highest; where a line applies, where λmax first came within [`AT_LINE`] of it and how close
/// it ended; where none does, why; for a run on batches, that the line is a full-batch step's.
/// `losses` are the training loss at the first and the last step measured.
pub fn caption(
    s: &Sharpness,
    kind: OptimizerKind,
    h: &Hyper,
    variant: Variant,
    losses: (f64, f64),
) -> String {
    let n = s.lambda.len();
    if n == 0 {
        return "Measuring λmax, the largest curvature of the training loss, at steps over the run…"
            .into();
    }
    let finite: Vec<(usize, f64, Option<f64>)> = (0..n)
        .filter(|&i| s.lambda[i].is_finite())
        .map(|i| (s.steps[i], s.lambda[i], s.limit.get(i).copied().flatten()))
        .collect();
    let (Some(first), Some(end)) = (finite.first(), finite.last()) else {
        return "λmax could not be measured: the loss is not finite at the steps measured (the run diverged).".into();
    };
    let top = finite
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("finite is not empty");
    let mut out = format!(
        "λmax, the largest curvature of the training loss (power iteration on exact Hessian-vector products, at {} steps{}), went from {} at step {} to {} at step {}",
        finite.len(),
        if n < s.steps.len() {
            format!(" of {}, measuring", s.steps.len())
        } else {
            String::new()
        },
        short(first.1),
        first.0,
        short(end.1),
        end.0
    );
    if top.0 != first.0 && top.0 != end.0 {
        out += &format!(" (highest {} at step {})", short(top.1), top.0);
    }
    out += &format!(
        "; the training loss went from {} to {}.",
        short(losses.0),
        short(losses.1)
    );
    let name = limit_name(kind);
    match end.2 {
        None => {
            out += &match kind {
                OptimizerKind::Lbfgs => " L-BFGS steps along a quasi-Newton direction built from its recent gradients, which already divides by the curvature, so no rate draws a line that λmax must stay under.".to_string(),
                OptimizerKind::Linesearch => " The line search chooses each step's length itself, so no rate draws a line that λmax must stay under.".to_string(),
                _ => format!(
                    " {} scales each coordinate's step by its own history, so no single rate draws a line that λmax must stay under: its stability depends on the preconditioned curvature (Cohen et al. 2022), not on λmax alone.",
                    kind.title()
                ),
            };
        }
        Some(limit) => {
            let reached = finite
                .iter()
                .find(|p| p.2.is_some_and(|l| p.1 >= (1.0 - AT_LINE) * l));
            out += &format!(
                " A step of rate γ overshoots along the steepest direction once λmax passes {name}, {} at the last rate",
                short(limit)
            );
            let near =
                |p: &(usize, f64, Option<f64>)| p.2.is_some_and(|l| (p.1 - l).abs() <= AT_LINE * l);
            // The first step from which every later step measured is within the band.
            let settled = finite
                .iter()
                .rposition(|p| !near(p))
                .map_or(Some(0), |i| (i + 1 < finite.len()).then_some(i + 1))
                .map(|i| finite[i].0);
            out += &match reached {
                Some(p) => {
                    let mut words = format!(
                        "; λmax first came within {}% of that line at step {}",
                        (AT_LINE * 100.0) as u32,
                        p.0
                    );
                    match settled {
                        Some(from) if from < end.0 => {
                            if from > p.0 {
                                words += ", swung around it";
                            }
                            words += &format!(
                                ", and from step {from} on stayed within {}% of it, ending at {}%",
                                (AT_LINE * 100.0) as u32,
                                (100.0 * end.1 / limit).round()
                            );
                            if kind == OptimizerKind::Sgd && variant == Variant::Batch {
                                words += ": full-batch gradient descent sharpened the loss up to the edge of stability (Cohen et al. 2021) and hovered there instead of diverging.";
                            } else {
                                words += ".";
                            }
                        }
                        _ => {
                            words += &format!(
                                " and ended at {}% of it.",
                                (100.0 * end.1 / limit).round()
                            );
                        }
                    }
                    words
                }
                None => format!(
                    "; λmax stayed below it (at most {}% of it), so every step measured was stable along the steepest direction.",
                    (100.0 * finite
                        .iter()
                        .filter_map(|p| p.2.map(|l| p.1 / l))
                        .fold(0.0f64, f64::max))
                    .round()
                ),
            };
            if h.weight_decay > 0.0 {
                out += " The line counts the weight decay, which adds to the curvature.";
            }
        }
    }
    if variant != Variant::Batch {
        out += " This run steps on batches, whose own curvature differs from the full training loss's: the line is that of a full-batch step.";
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sgd() -> Hyper {
        Hyper::defaults(OptimizerKind::Sgd)
    }

    /// The words follow the numbers: the start, the end, the highest, where the line was
    /// reached and how close λmax ended.
    #[test]
    fn the_caption_says_what_the_measurements_show() {
        let lim = Some(10.0);
        let s = Sharpness {
            steps: &[0, 100, 200, 300, 400],
            lambda: &[6.8, 9.4, 11.2, 9.9, 10.1],
            limit: &[lim; 5],
            last: 400,
        };
        let c = caption(&s, OptimizerKind::Sgd, &sgd(), Variant::Batch, (0.5, 0.01));
        for part in [
            "at 5 steps)",
            "from 6.8 at step 0 to 10.1 at step 400 (highest 11.2 at step 200)",
            "passes 2/γ, 10 at the last rate",
            "within 10% of that line at step 100, swung around it, and from step 300 on stayed within 10% of it, ending at 101%: full-batch",
            "from 0.5 to 0.01",
        ] {
            assert!(c.contains(part), "{part:?} in {c}");
        }
        // Below the line all along; on batches, the line is a full-batch step's.
        let s = Sharpness {
            lambda: &[1.0, 2.0, 3.0, 3.5, 4.0],
            ..s
        };
        let c = caption(
            &s,
            OptimizerKind::Sgd,
            &sgd(),
            Variant::MiniBatch,
            (1.0, 0.5),
        );
        assert!(c.contains("stayed below it (at most 40% of it)"), "{c}");
        assert!(c.contains("that of a full-batch step"), "{c}");
        assert!(!c.contains("highest"), "{c}");
        // Part measured; and Adam has no line.
        let none = [None; 5];
        let s = Sharpness {
            lambda: &[1.0, 2.0],
            limit: &none,
            ..s
        };
        let adam = Hyper::defaults(OptimizerKind::Adam);
        let c = caption(&s, OptimizerKind::Adam, &adam, Variant::Batch, (1.0, 0.5));
        assert!(c.contains("at 2 steps of 5, measuring"), "{c}");
        assert!(c.contains("Adam scales each coordinate"), "{c}");
        // Reaching the band only at the last step is no hovering.
        let s = Sharpness {
            lambda: &[6.8, 7.0, 7.5, 8.0, 9.5],
            limit: &[lim; 5],
            ..s
        };
        let c = caption(&s, OptimizerKind::Sgd, &sgd(), Variant::Batch, (1.0, 0.5));
        assert!(c.contains("at step 400 and ended at 95% of it."), "{c}");
    }
}
