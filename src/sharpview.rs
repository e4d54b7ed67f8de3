//! Network mode's sharpness chart, without the DOM: λmax, the largest eigenvalue of the training
//! loss's Hessian, at steps spread over the run, against the sharpness at which the optimizer's
//! step overshoots along the steepest direction (2/γ for gradient descent,
//! [`crate::teach::sharpness_limit`]), and the caption that says what those numbers show. Full-batch
//! gradient descent on a network drives λmax up to that line and hovers there while the loss
//! keeps falling: the "edge of stability" (Cohen et al. 2021).

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::format::short;
use crate::optim::{Hyper, HyperName, OptimizerKind};
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

/// The limit's formula on the chart and in words, for `kind` under `h`: 2/γ for gradient
/// descent, the momentum methods' own (with dampening τ), less a coupled weight decay.
pub fn limit_name(kind: OptimizerKind, h: &Hyper) -> String {
    let base = match kind {
        OptimizerKind::Momentum if h.dampening > 0.0 => "2(1+μ)/((1−τ)γ)",
        OptimizerKind::Momentum => "2(1+μ)/γ",
        OptimizerKind::Nesterov => "2(1+μ)/((1+2μ)γ)",
        _ => "2/γ",
    };
    let decays = kind.hypers().contains(&HyperName::WeightDecay) && h.weight_decay > 0.0;
    if decays {
        format!("{base} − wd")
    } else {
        base.to_string()
    }
}

/// The run a caption describes, beyond its measurements.
pub struct Run<'a> {
    pub kind: OptimizerKind,
    pub hyper: &'a Hyper,
    pub variant: Variant,
    /// Whether a gradient clip is set (a clipped step is shorter than γ·g).
    pub clipped: bool,
    /// Whether a schedule cycles the momentum (OneCycle): μ moves step by step.
    pub cycles_momentum: bool,
    /// Whether the run diverged before its last step.
    pub diverged: bool,
    /// The training loss at the first and the last step measured.
    pub losses: (f64, f64),
}

/// Whether a line is drawn for `run` at all: gradient descent and the momentum methods, unless a
/// schedule moves μ step by step.
pub fn has_line(run: &Run) -> bool {
    match run.kind {
        OptimizerKind::Sgd => true,
        OptimizerKind::Momentum | OptimizerKind::Nesterov => !run.cycles_momentum,
        _ => false,
    }
}

/// Draws `s` on `root`: λmax measured (a line through dots), the limit (a faint wide line),
/// and a line at step `current`; a key at the top right.
pub fn draw_sharpness<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Sharpness,
    (kind, hyper): (OptimizerKind, &Hyper),
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
    // The line where it is near the measurements: a warm-up or a decay to γ ≈ 0 would put it
    // thousands of times above λmax and flatten λmax onto the axis, so the chart shows it up
    // to three times the largest λmax, in stretches broken where it is off the chart or absent.
    let top = measured.iter().map(|p| p.1.abs()).fold(0.0f64, f64::max);
    let cap = if top > 0.0 { 3.0 * top } else { f64::INFINITY };
    let mut stretches: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for (&k, v) in s.steps.iter().zip(s.limit) {
        match v.filter(|v| v.is_finite() && *v > 0.0 && *v <= cap) {
            Some(v) => stretches
                .last_mut()
                .expect("one at least")
                .push((k as f64, v)),
            None => stretches.push(Vec::new()),
        }
    }
    let line: Vec<(f64, f64)> = stretches.iter().flatten().copied().collect();
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
    for stretch in stretches.into_iter().filter(|s| s.len() > 1) {
        plot.draw(&PathElement::new(stretch, grey.stroke_width(style.px(3.0))))
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
    let name = limit_name(kind, hyper);
    let mut names = vec![("λmax", LAMBDA.to_rgba())];
    if !line.is_empty() {
        names.push((&name, grey));
    }
    stepchart::key(root, &chart, &names, style)?;
    Ok(())
}

/// What the chart shows, in words computed from it: λmax at the start and the end and its
/// highest; where a line applies, where λmax first reached 90% of it, from which step it stayed
/// within [`AT_LINE`] of it and how close it ended; where none does, why; for a run on batches
/// or clipped, that the line is a plain full-batch step's.
pub fn caption(s: &Sharpness, run: &Run) -> String {
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
        "λmax, the largest curvature of the training loss (power iteration on exact Hessian-vector products, at {} step{}{}), went from {} at step {} to {} at step {}",
        finite.len(),
        if finite.len() == 1 { "" } else { "s" },
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
        "; the training loss went from {} to {}{}.",
        short(run.losses.0),
        short(run.losses.1),
        if run.diverged {
            ", and the run diverged"
        } else {
            ""
        }
    );
    if finite.iter().any(|p| p.1 < 0.0) {
        out += " A negative value is the Hessian's most negative eigenvalue, larger in size than its largest positive one: there the loss curves down more than up.";
    }
    let name = limit_name(run.kind, run.hyper);
    let pct = |v: f64| (100.0 * v).round();
    match end.2.filter(|l| *l > 0.0) {
        None => {
            out += &match run.kind {
                OptimizerKind::Lbfgs => " L-BFGS steps along a quasi-Newton direction built from its recent gradients, which already divides by the curvature, so no rate draws a line that λmax must stay under.".to_string(),
                OptimizerKind::Linesearch => " The line search chooses each step's length itself, so no rate draws a line that λmax must stay under.".to_string(),
                OptimizerKind::Momentum | OptimizerKind::Nesterov if run.cycles_momentum => " The schedule cycles the momentum μ step by step, so the line that λmax must stay under moves with it; it is not drawn.".to_string(),
                OptimizerKind::Sgd | OptimizerKind::Momentum | OptimizerKind::Nesterov => format!(
                    " No line at the last step measured: with its rate (γ = 0, or no step taken there){}, no step overshoots, whatever λmax.",
                    if run.kind == OptimizerKind::Momentum && run.hyper.dampening >= 1.0 {
                        " or a dampening τ of 1"
                    } else {
                        ""
                    }
                ),
                _ => format!(
                    " {} scales each coordinate's step by its own history, so no single rate draws a line that λmax must stay under: its stability depends on the preconditioned curvature (Cohen et al. 2022), not on λmax alone.",
                    run.kind.title()
                ),
            };
        }
        Some(limit) => {
            out += &format!(
                " A step of rate γ overshoots along the steepest direction once λmax passes {name}, {} at the last rate",
                short(limit)
            );
            let reached = finite
                .iter()
                .find(|p| p.2.is_some_and(|l| p.1 >= (1.0 - AT_LINE) * l));
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
                    let mut words = format!("; λmax first reached 90% of that line at step {}", p.0);
                    match settled {
                        Some(from) if from < end.0 => {
                            if from > p.0 {
                                words += ", swung around it";
                            }
                            words += &format!(
                                ", and from step {from} on stayed within {}% of it, ending at {}%",
                                (AT_LINE * 100.0) as u32,
                                pct(end.1 / limit)
                            );
                            // Sharpening: it started clearly below the line.
                            let sharpened = first.2.is_some_and(|l| first.1 < (1.0 - AT_LINE) * l);
                            if run.kind == OptimizerKind::Sgd
                                && run.variant == Variant::Batch
                                && sharpened
                                && !run.diverged
                            {
                                words += ": full-batch gradient descent sharpened the loss up to the edge of stability (Cohen et al. 2021) and hovered there instead of diverging.";
                            } else {
                                words += ".";
                            }
                        }
                        _ => {
                            words += &format!(" and ended at {}% of it.", pct(end.1 / limit));
                        }
                    }
                    words
                }
                None => format!(
                    "; λmax stayed below 90% of it (at most {}% of it), so every step measured was stable along the steepest direction.",
                    pct(finite
                        .iter()
                        .filter_map(|p| p.2.filter(|l| *l > 0.0).map(|l| p.1 / l))
                        .fold(0.0f64, f64::max))
                ),
            };
            if run.hyper.weight_decay > 0.0 {
                out += " The line counts the weight decay (wd), which adds to the curvature.";
            }
        }
    }
    if run.variant != Variant::Batch {
        out += " This run steps on batches, whose own curvature differs from the full training loss's: the line is that of a full-batch step.";
    }
    if run.clipped {
        out += " Clipping shortens a step whose gradient is large, so the line is that of an unclipped step.";
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(kind: OptimizerKind, hyper: &Hyper, variant: Variant) -> Run<'_> {
        Run {
            kind,
            hyper,
            variant,
            clipped: false,
            cycles_momentum: false,
            diverged: false,
            losses: (0.5, 0.01),
        }
    }

    /// The words follow the numbers: the start, the end, the highest, where λmax reached 90%
    /// of the line, from which step it stayed near it, and how close it ended; sharpening is
    /// claimed only from below the line, and never for a run that diverged.
    #[test]
    fn the_caption_says_what_the_measurements_show() {
        let sgd = Hyper::defaults(OptimizerKind::Sgd);
        let lim = Some(10.0);
        let s = Sharpness {
            steps: &[0, 100, 200, 300, 400],
            lambda: &[6.8, 9.4, 11.2, 9.9, 10.1],
            limit: &[lim; 5],
            last: 400,
        };
        let c = caption(&s, &run(OptimizerKind::Sgd, &sgd, Variant::Batch));
        for part in [
            "at 5 steps)",
            "from 6.8 at step 0 to 10.1 at step 400 (highest 11.2 at step 200)",
            "passes 2/γ, 10 at the last rate",
            "first reached 90% of that line at step 100, swung around it, and from step 300 on stayed within 10% of it, ending at 101%: full-batch",
            "from 0.5 to 0.01",
        ] {
            assert!(c.contains(part), "{part:?} in {c}");
        }
        let diverged = Run {
            diverged: true,
            ..run(OptimizerKind::Sgd, &sgd, Variant::Batch)
        };
        let c = caption(&s, &diverged);
        assert!(
            c.contains("and the run diverged.") && !c.contains("instead of diverging"),
            "{c}"
        );
        // Starting near the line is no sharpening.
        let near = Sharpness {
            lambda: &[9.5, 9.4, 11.2, 9.9, 10.1],
            ..s
        };
        let c = caption(&near, &run(OptimizerKind::Sgd, &sgd, Variant::Batch));
        assert!(
            c.contains("ending at 101%.") && !c.contains("sharpened"),
            "{c}"
        );
        // Below the line all along; on batches and clipped, the line is a plain step's.
        let below = Sharpness {
            lambda: &[1.0, 2.0, 3.0, 3.5, 4.0],
            ..s
        };
        let clipped = Run {
            clipped: true,
            ..run(OptimizerKind::Sgd, &sgd, Variant::MiniBatch)
        };
        let c = caption(&below, &clipped);
        assert!(
            c.contains("stayed below 90% of it (at most 40% of it)"),
            "{c}"
        );
        assert!(c.contains("that of a full-batch step"), "{c}");
        assert!(c.contains("that of an unclipped step"), "{c}");
        assert!(!c.contains("highest"), "{c}");
        // Reaching 90% only at the last step is no hovering.
        let late = Sharpness {
            lambda: &[6.8, 7.0, 7.5, 8.0, 9.5],
            ..s
        };
        let c = caption(&late, &run(OptimizerKind::Sgd, &sgd, Variant::Batch));
        assert!(c.contains("at step 400 and ended at 95% of it."), "{c}");
    }

    /// Where no line is drawn the caption says why, by optimizer: Adam's steps are
    /// preconditioned, a cycled μ moves the line, a rate of 0 never overshoots.
    #[test]
    fn without_a_line_the_caption_says_why() {
        let none = [None; 2];
        let s = Sharpness {
            steps: &[0, 10],
            lambda: &[1.0, 2.0],
            limit: &none,
            last: 10,
        };
        let adam = Hyper::defaults(OptimizerKind::Adam);
        let c = caption(&s, &run(OptimizerKind::Adam, &adam, Variant::Batch));
        assert!(c.contains("Adam scales each coordinate"), "{c}");
        let momentum = Hyper::defaults(OptimizerKind::Momentum);
        let cycled = Run {
            cycles_momentum: true,
            ..run(OptimizerKind::Momentum, &momentum, Variant::Batch)
        };
        assert!(caption(&s, &cycled).contains("cycles the momentum μ"));
        let sgd = Hyper::defaults(OptimizerKind::Sgd);
        let c = caption(&s, &run(OptimizerKind::Sgd, &sgd, Variant::Batch));
        assert!(
            c.contains("γ = 0, or no step taken there") && !c.contains("scales"),
            "{c}"
        );
        // Part measured.
        let s = Sharpness {
            lambda: &[1.0],
            ..s
        };
        let c = caption(&s, &run(OptimizerKind::Adam, &adam, Variant::Batch));
        assert!(c.contains("at 1 step of 2, measuring"), "{c}");
    }

    /// The line's name is its formula under the run's hyper-parameters.
    #[test]
    fn the_line_is_named_by_its_formula() {
        let h = |kind: OptimizerKind, dampening: f64, weight_decay: f64| Hyper {
            dampening,
            weight_decay,
            ..Hyper::defaults(kind)
        };
        assert_eq!(
            limit_name(OptimizerKind::Sgd, &h(OptimizerKind::Sgd, 0.0, 0.0)),
            "2/γ"
        );
        assert_eq!(
            limit_name(OptimizerKind::Sgd, &h(OptimizerKind::Sgd, 0.0, 0.1)),
            "2/γ − wd"
        );
        let m = h(OptimizerKind::Momentum, 0.5, 0.0);
        assert_eq!(limit_name(OptimizerKind::Momentum, &m), "2(1+μ)/((1−τ)γ)");
        let n = h(OptimizerKind::Nesterov, 0.0, 0.0);
        assert_eq!(limit_name(OptimizerKind::Nesterov, &n), "2(1+μ)/((1+2μ)γ)");
    }
}
