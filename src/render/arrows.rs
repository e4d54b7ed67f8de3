//! The arrows at the point shown, for its next update, in pixels and to scale: the step taken,
//! the step plain gradient descent would take (−γ∇f), and what the step is made of. An arrow
//! shorter than a pixel is left out and named in a word instead, and every label is put where
//! it overlaps no other label, no arrow and no part of the path near the point.

use super::place::{self, Rect, Segment};
use super::{look, Frame};
use crate::linalg::{self, Vec2};
use crate::optim::OptimizerKind;

/// Size of the arrows' labels, CSS pixels (semibold).
pub const LABEL_FONT: f64 = 12.0;
/// ‖∇f‖ at or below which the gradient counts as zero: the run's convergence tolerance.
pub const GRADIENT_ZERO: f64 = 1e-6;

/// The colour of the step taken.
pub const STEP: &str = "#d9480f";
/// The colour of −γ∇f, the step plain gradient descent would take.
pub const DESCENT: &str = "#2b2f3a";
/// The colour of −γg and of Δx.
pub const FIRST_PART: &str = "#1c5bbf";
/// The colour of the velocity and of Δy.
pub const SECOND_PART: &str = "#b5179e";

/// One update of an optimizer at θ, as the arrows show it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Update {
    /// θ before the step.
    pub at: Vec2,
    /// θ after the step.
    pub after: Vec2,
    /// The full gradient ∇f(θ).
    pub full_gradient: Vec2,
    /// The (batch) gradient g the step used.
    pub batch_gradient: Vec2,
    /// The learning rate γ.
    pub lr: f64,
    /// The optimizer.
    pub kind: OptimizerKind,
    /// Its momentum μ (momentum and Nesterov).
    pub momentum: f64,
}

/// An arrow in device pixels with its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrow {
    /// Its tail.
    pub from: (f64, f64),
    /// Its tip (where it leaves the plot when `head` is false).
    pub to: (f64, f64),
    /// CSS colour.
    pub colour: &'static str,
    /// Line width, device pixels.
    pub width: f64,
    /// Dashed (a direction or a component) or solid (a displacement drawn whole).
    pub dashed: bool,
    /// Whether the tip is drawn; false where the arrow runs off the plot and is cut at its edge.
    pub head: bool,
    /// Its label ("step", "−γ∇f", "step = −γ∇f", "velocity", ...).
    pub label: String,
    /// Where the label goes: its text starts at the left edge plus [`LABEL_PAD`] device pixels
    /// per CSS pixel, centred vertically.
    pub label_rect: Rect,
}

/// A short text at the point, saying which arrows were too short to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// "step < 1 px", "∇f ≈ 0 here", ...
    pub text: String,
    /// Where it goes, as an arrow's label.
    pub rect: Rect,
}

/// The arrows of one update and the word for those left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Arrows {
    /// The arrows, the step first.
    pub arrows: Vec<Arrow>,
    /// What was too short to draw, if anything.
    pub note: Option<Note>,
}

/// Space between a label's box and its text, CSS pixels.
pub const LABEL_PAD: f64 = 2.0;

/// An arrow before it is placed: tail and tip in θ, style, label, and what to say when it is
/// shorter than a pixel.
struct Candidate {
    from: Vec2,
    to: Vec2,
    colour: &'static str,
    width: f64,
    dashed: bool,
    label: &'static str,
    omitted: Option<&'static str>,
}

/// The arrows of update `u` on `frame` at `scale` device pixels per CSS pixel, labels measured
/// by `measure` (the width in device pixels of a text in the labels' font, [`LABEL_FONT`]
/// semibold at `scale`) and kept off `path` (the trajectory's polylines in device pixels; only
/// the part near the point matters) and off the marks centred at `marks` (the minima and the
/// start, device pixels).
///
/// The step is drawn at its true length, from θ to where the update moved it. So is −γ∇f: its
/// length grows with ‖∇f‖, and it is the step plain gradient descent would take here; where it
/// is the step within a pixel (plain gradient descent on the full batch) one arrow says
/// "step = −γ∇f". Momentum's step is −γg plus the velocity carried over; Adagrad's, RMSprop's
/// and Adam's, its Δx and Δy. Arrows shorter than a pixel are left out and named in the note.
pub fn arrows(
    frame: &Frame,
    u: &Update,
    path: &[Vec<(f64, f64)>],
    marks: &[(f64, f64)],
    measure: impl Fn(&str) -> f64,
    scale: f64,
) -> Arrows {
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    let origin = frame.to_px(u.at);
    if !(linalg::is_finite([origin.0, origin.1]) && frame.contains_px(origin.0, origin.1)) {
        return Arrows::default();
    }
    let add = |a: Vec2, b: Vec2| [a[0] + b[0], a[1] + b[1]];
    let step = [u.after[0] - u.at[0], u.after[1] - u.at[1]];
    let descent = [-u.lr * u.full_gradient[0], -u.lr * u.full_gradient[1]];
    let batch = [-u.lr * u.batch_gradient[0], -u.lr * u.batch_gradient[1]];
    let norm = linalg::norm(u.full_gradient);
    let gradient_zero = norm.is_nan() || norm <= GRADIENT_ZERO;
    let mut wanted = vec![
        Candidate {
            from: u.at,
            to: add(u.at, step),
            colour: STEP,
            width: 2.6,
            dashed: false,
            label: "step",
            omitted: Some("step < 1 px"),
        },
        Candidate {
            from: u.at,
            to: add(u.at, descent),
            colour: DESCENT,
            width: 1.6,
            dashed: true,
            label: "−γ∇f",
            omitted: Some(if gradient_zero {
                "∇f ≈ 0 here"
            } else {
                "−γ∇f < 1 px"
            }),
        },
    ];
    let px = |p: Vec2| frame.to_px(p);
    let apart = |a: Vec2, b: Vec2| {
        let (pa, pb) = (px(a), px(b));
        let d = (pa.0 - pb.0).hypot(pa.1 - pb.1);
        d.is_nan() || d >= scale
    };
    match u.kind {
        OptimizerKind::Momentum | OptimizerKind::Nesterov if u.momentum != 0.0 => {
            // The step is −γg plus the velocity; on the full batch −γg is −γ∇f itself.
            let first = add(u.at, batch);
            if apart(first, add(u.at, descent)) {
                wanted.push(Candidate {
                    from: u.at,
                    to: first,
                    colour: FIRST_PART,
                    width: 1.8,
                    dashed: false,
                    label: "−γg",
                    omitted: Some("−γg < 1 px"),
                });
            }
            wanted.push(Candidate {
                from: first,
                to: add(u.at, step),
                colour: SECOND_PART,
                width: 1.8,
                dashed: false,
                label: "velocity",
                omitted: Some("velocity < 1 px"),
            });
        }
        OptimizerKind::Adagrad | OptimizerKind::Rmsprop | OptimizerKind::Adam => {
            for (label, d, colour) in [
                ("Δx", [step[0], 0.0], FIRST_PART),
                ("Δy", [0.0, step[1]], SECOND_PART),
            ] {
                wanted.push(Candidate {
                    from: u.at,
                    to: add(u.at, d),
                    colour,
                    width: 1.5,
                    dashed: true,
                    label,
                    omitted: None,
                });
            }
        }
        _ => {}
    }

    // In pixels; too short ones become words, arrows that coincide become one, and an arrow
    // running off the plot ends at its edge, without a head.
    let lo = [frame.left, frame.top];
    let hi = [frame.left + frame.width, frame.top + frame.height];
    let mut out: Vec<Arrow> = Vec::new();
    // Each drawn arrow's ends before the cut, to find those that coincide.
    let mut ends: Vec<((f64, f64), (f64, f64))> = Vec::new();
    let mut words: Vec<&'static str> = Vec::new();
    for c in wanted {
        let (a, b) = (px(c.from), px(c.to));
        let len = (b.0 - a.0).hypot(b.1 - a.1);
        if len.is_nan() || len < scale {
            words.extend(c.omitted);
            continue;
        }
        let near = |p: (f64, f64), q: (f64, f64)| (p.0 - q.0).hypot(p.1 - q.1) < scale;
        if let Some(i) = ends.iter().position(|e| near(e.0, a) && near(e.1, b)) {
            out[i].label.push_str(" = ");
            out[i].label.push_str(c.label);
            continue;
        }
        let Some((p, q)) = linalg::clip_segment([a.0, a.1], [b.0, b.1], lo, hi) else {
            continue;
        };
        ends.push((a, b));
        out.push(Arrow {
            from: (p[0], p[1]),
            to: (q[0], q[1]),
            colour: c.colour,
            width: c.width * scale,
            dashed: c.dashed,
            head: q == [b.0, b.1],
            label: c.label.to_string(),
            label_rect: (0.0, 0.0, 0.0, 0.0),
        });
    }

    // Labels, in order of importance: each where it hides nothing.
    let mut placer = Placer::new(frame, origin, path, &out, scale);
    // The marks are drawn over everything: no label goes under one.
    let r = (look::STAR.0 + look::MARK_HALO_WIDTH) * scale;
    for m in marks {
        placer.keep_clear((m.0 - r, m.1 - r, 2.0 * r, 2.0 * r));
    }
    for arrow in &mut out {
        let size = placer.size(&arrow.label, &measure);
        let (dx, dy) = (arrow.to.0 - arrow.from.0, arrow.to.1 - arrow.from.1);
        arrow.label_rect = placer.place(arrow.to, (dx, dy), size);
    }
    // The step and −γ∇f both under a pixel and the same (plain descent, full batch): one word.
    let tiny = words.len() >= 2 && words[0] == "step < 1 px" && words[1] == "−γ∇f < 1 px";
    if tiny && !apart(add(u.at, step), add(u.at, descent)) {
        words[0] = "step = −γ∇f < 1 px";
        words.remove(1);
    }
    let note = (!words.is_empty()).then(|| {
        let text = words.join(", ");
        let size = placer.size(&text, &measure);
        let rect = placer.place(origin, (1.0, -1.0), size);
        Note { text, rect }
    });
    Arrows { arrows: out, note }
}

/// Puts labels near anchors where they overlap nothing already placed.
struct Placer<'a> {
    frame: &'a Frame,
    scale: f64,
    /// Labels placed so far.
    placed: Vec<Rect>,
    /// Line segments a label should not cover: the path near the point and the arrows.
    lines: Vec<Segment>,
    /// Boxes no label may cover: the point shown's dot and the marks.
    clear: Vec<Rect>,
}

impl<'a> Placer<'a> {
    fn new(
        frame: &'a Frame,
        origin: (f64, f64),
        path: &[Vec<(f64, f64)>],
        arrows: &[Arrow],
        scale: f64,
    ) -> Self {
        // Only the path near the point can be under a label.
        let reach = 240.0 * scale;
        let near = |p: (f64, f64)| (p.0 - origin.0).abs() < reach && (p.1 - origin.1).abs() < reach;
        let mut lines = place::segments(path);
        lines.retain(|&(a, b)| near(a) || near(b));
        for a in arrows {
            lines.push((a.from, a.to));
        }
        let r = (look::CURRENT_RADIUS + look::RING_WIDTH) * scale;
        Placer {
            frame,
            scale,
            placed: Vec::new(),
            lines,
            clear: vec![(origin.0 - r, origin.1 - r, 2.0 * r, 2.0 * r)],
        }
    }

    /// Keeps labels off box `r`.
    fn keep_clear(&mut self, r: Rect) {
        self.clear.push(r);
    }

    /// The size of `text`'s box.
    fn size(&self, text: &str, measure: &impl Fn(&str) -> f64) -> (f64, f64) {
        let w = measure(text);
        let w = if w.is_finite() && w >= 0.0 {
            w
        } else {
            0.6 * LABEL_FONT * self.scale * text.chars().count() as f64
        };
        (
            w + 2.0 * LABEL_PAD * self.scale,
            1.3 * LABEL_FONT * self.scale,
        )
    }

    /// A box of `size` near `anchor`: the first spot, going round the anchor and then farther
    /// out, that overlaps no label, line or the point's dot and lies on the plot; failing that,
    /// the one on the plot over the fewest lines; failing that, one that overlaps no label.
    /// Beyond the head of an arrow pointing along `along` first.
    fn place(&mut self, anchor: (f64, f64), along: (f64, f64), size: (f64, f64)) -> Rect {
        let len = along.0.hypot(along.1);
        let base = if len > 0.0 && len.is_finite() {
            (along.0 / len, along.1 / len)
        } else {
            (
                std::f64::consts::FRAC_1_SQRT_2,
                -std::f64::consts::FRAC_1_SQRT_2,
            )
        };
        // Ahead, then turning either way by 45° steps, then behind: the direction turned by
        // k·45°, by repeated rotation (no trigonometry: it would cost the wasm module its
        // libm routines).
        let mut turns = [base; 8];
        for (t, k) in turns.iter_mut().zip([0i32, 1, -1, 2, -2, 3, -3, 4]) {
            let c = std::f64::consts::FRAC_1_SQRT_2;
            let s = if k < 0 { -c } else { c };
            for _ in 0..k.abs() {
                *t = (c * t.0 - s * t.1, s * t.0 + c * t.1);
            }
        }
        let gap = 3.0 * self.scale;
        let ring = 7.0 * self.scale;
        let f = self.frame;
        let mut first_free = None;
        let mut fewest: Option<(usize, Rect)> = None;
        for k in 0..40 {
            for &dir in &turns {
                let r = place::beside(anchor, dir, gap + k as f64 * ring, size, 0.0);
                if self.placed.iter().any(|p| place::overlap(&r, p)) {
                    continue;
                }
                first_free.get_or_insert(r);
                let on_plot = r.0 >= f.left
                    && r.1 >= f.top
                    && r.0 + r.2 <= f.left + f.width
                    && r.1 + r.3 <= f.top + f.height;
                // Near spots only, for a clear one: far out, a label no longer says which
                // arrow it names.
                if !on_plot || k >= 12 {
                    continue;
                }
                let covered = self.clear.iter().filter(|c| place::overlap(&r, c)).count();
                let n = place::crossings(&r, &self.lines) + covered;
                if n == 0 {
                    self.placed.push(r);
                    return r;
                }
                if fewest.is_none_or(|(m, _)| n < m) {
                    fewest = Some((n, r));
                }
            }
        }
        // Forty rings out nothing is left to overlap (a handful of labels); stack below the
        // lowest one all the same.
        let below = || {
            let bottom = self.placed.iter().fold(anchor.1, |b, p| b.max(p.1 + p.3));
            (anchor.0, bottom + gap, size.0, size.1)
        };
        let best = fewest.map(|(_, r)| r).or(first_free).unwrap_or_else(below);
        self.placed.push(best);
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface::View;

    /// A 600 × 600 pixel plot of [−3, 3]²: 100 pixels per unit.
    fn frame() -> Frame {
        Frame {
            view: View {
                x: (-3.0, 3.0),
                y: (-3.0, 3.0),
            },
            left: 50.0,
            top: 20.0,
            width: 600.0,
            height: 600.0,
        }
    }

    /// Labels as wide as 7 pixels a character.
    fn measure(t: &str) -> f64 {
        7.0 * t.chars().count() as f64
    }

    fn sgd(at: Vec2, gradient: Vec2, lr: f64) -> Update {
        Update {
            at,
            after: [at[0] - lr * gradient[0], at[1] - lr * gradient[1]],
            full_gradient: gradient,
            batch_gradient: gradient,
            lr,
            kind: OptimizerKind::Sgd,
            momentum: 0.0,
        }
    }

    fn length(a: &Arrow) -> f64 {
        (a.to.0 - a.from.0).hypot(a.to.1 - a.from.1)
    }

    fn labels(a: &Arrows) -> Vec<&str> {
        a.arrows.iter().map(|a| a.label.as_str()).collect()
    }

    #[test]
    fn a_converged_point_gets_a_word_not_an_arrow() {
        let u = sgd([1.0, 1.0], [4e-15, -3e-15], 0.1);
        let a = arrows(&frame(), &u, &[], &[], measure, 1.0);
        assert!(a.arrows.is_empty(), "{:?}", a.arrows);
        let note = a.note.unwrap();
        assert_eq!(note.text, "step < 1 px, ∇f ≈ 0 here");
        // Whatever the learning rate the slider allows, a 1e-15 gradient draws no full arrow.
        for lr in [1e-5, 0.1, 1.0, 10.0] {
            let u = sgd([0.0, 0.0], [1e-15, 1e-15], lr);
            let a = arrows(&frame(), &u, &[], &[], measure, 2.0);
            assert!(a.arrows.iter().all(|a| length(a) < 1.0), "lr {lr}: {a:?}");
        }
        // A tiny step of plain descent that is not converged: one word for both.
        let u = sgd([0.0, 0.0], [0.3, 0.4], 0.01);
        let a = arrows(&frame(), &u, &[], &[], measure, 1.0);
        assert_eq!(a.note.unwrap().text, "step = −γ∇f < 1 px");
    }

    #[test]
    fn plain_descent_on_the_full_batch_is_one_arrow_at_its_true_length() {
        let u = sgd([0.0, 0.0], [3.0, -4.0], 0.1);
        let a = arrows(&frame(), &u, &[], &[], measure, 1.0);
        assert_eq!(labels(&a), ["step = −γ∇f"]);
        // ‖γ∇f‖ = 0.5 units = 50 pixels.
        assert!((length(&a.arrows[0]) - 50.0).abs() < 1e-9);
        assert!(a.arrows[0].head && a.note.is_none());
        // Lengths in proportion to ‖∇f‖.
        for k in [0.5, 2.0, 4.0] {
            let u = sgd([0.0, 0.0], [3.0 * k, -4.0 * k], 0.1);
            let b = arrows(&frame(), &u, &[], &[], measure, 1.0);
            assert!((length(&b.arrows[0]) - 50.0 * k).abs() < 1e-9, "×{k}");
        }
        // Device pixels: the same arrow at twice the pixel ratio on a plot twice as large.
        let f2 = Frame {
            left: 100.0,
            top: 40.0,
            width: 1200.0,
            height: 1200.0,
            ..frame()
        };
        let b = arrows(&f2, &u, &[], &[], measure, 2.0);
        assert!((length(&b.arrows[0]) - 100.0).abs() < 1e-9);
        assert_eq!(b.arrows[0].width, 2.6 * 2.0);
    }

    #[test]
    fn a_mini_batch_shows_the_step_and_the_full_gradient_apart() {
        let mut u = sgd([0.0, 0.0], [1.0, 0.0], 0.5);
        u.batch_gradient = [1.0, 1.0];
        u.after = [-0.5, -0.5];
        let a = arrows(&frame(), &u, &[], &[], measure, 1.0);
        assert_eq!(labels(&a), ["step", "−γ∇f"]);
        assert!((length(&a.arrows[0]) - 50.0 * 2f64.sqrt()).abs() < 1e-9);
        assert!((length(&a.arrows[1]) - 50.0).abs() < 1e-9);
        assert!(a.arrows[1].dashed && !a.arrows[0].dashed);
    }

    #[test]
    fn momentum_is_minus_gamma_g_plus_the_velocity() {
        // Full batch: −γg is −γ∇f, and the velocity runs from its tip to the step's.
        let u = Update {
            at: [0.0, 0.0],
            after: [-0.3, 0.2],
            full_gradient: [1.0, 0.0],
            batch_gradient: [1.0, 0.0],
            lr: 0.1,
            kind: OptimizerKind::Momentum,
            momentum: 0.9,
        };
        let f = frame();
        let a = arrows(&f, &u, &[], &[], measure, 1.0);
        assert_eq!(labels(&a), ["step", "−γ∇f", "velocity"]);
        let v = &a.arrows[2];
        assert_eq!(v.from, f.to_px([-0.1, 0.0]));
        assert_eq!(v.to, f.to_px([-0.3, 0.2]));
        // With a mini-batch −γg is drawn apart from −γ∇f.
        let b = arrows(
            &f,
            &Update {
                batch_gradient: [1.0, 1.0],
                ..u
            },
            &[],
            &[],
            measure,
            1.0,
        );
        assert_eq!(labels(&b), ["step", "−γ∇f", "−γg", "velocity"]);
        // At the first step there is no velocity yet: said, not drawn.
        let c = arrows(
            &f,
            &Update {
                after: [-0.1, 0.0],
                ..u
            },
            &[],
            &[],
            measure,
            1.0,
        );
        assert_eq!(labels(&c), ["step = −γ∇f"]);
        assert_eq!(c.note.unwrap().text, "velocity < 1 px");
    }

    #[test]
    fn adam_shows_its_coordinates_at_their_true_length() {
        let u = Update {
            at: [0.0, 0.0],
            after: [-0.2, -0.1],
            full_gradient: [5.0, 0.5],
            batch_gradient: [5.0, 0.5],
            lr: 0.2,
            kind: OptimizerKind::Adam,
            momentum: 0.0,
        };
        let a = arrows(&frame(), &u, &[], &[], measure, 1.0);
        assert_eq!(labels(&a), ["step", "−γ∇f", "Δx", "Δy"]);
        assert!((length(&a.arrows[2]) - 20.0).abs() < 1e-9);
        assert!((length(&a.arrows[3]) - 10.0).abs() < 1e-9);
        // −γ∇f is ten times longer in x than in y, the step only twice.
        assert!((length(&a.arrows[1]) - 100.0 * 0.2 * 25.25f64.sqrt()).abs() < 1e-9);
    }

    #[test]
    fn an_arrow_off_the_plot_is_cut_at_its_edge() {
        let u = sgd([2.5, 0.0], [-100.0, 0.0], 0.1);
        let f = frame();
        let a = arrows(&f, &u, &[], &[], measure, 1.0);
        let arrow = &a.arrows[0];
        assert!(!arrow.head);
        assert_eq!(arrow.to.0, f.left + f.width);
        let (x, y, w, h) = arrow.label_rect;
        assert!(
            x >= f.left && x + w <= f.left + f.width && y >= f.top && y + h <= f.top + f.height
        );
    }

    /// Whether a box covers a segment.
    fn covers(r: &Rect, a: (f64, f64), b: (f64, f64)) -> bool {
        linalg::clip_segment([a.0, a.1], [b.0, b.1], [r.0, r.1], [r.0 + r.2, r.1 + r.3]).is_some()
    }

    #[test]
    fn labels_never_overlap_each_other_the_arrows_or_the_path() {
        let f = frame();
        // A zig-zag of tiny steps through the point from every side.
        let at = [0.0, 0.0];
        let centre = f.to_px(at);
        let path: Vec<Vec<(f64, f64)>> = vec![(0..40)
            .map(|k| {
                let x = centre.0 - 60.0 + 3.0 * k as f64;
                let y = centre.1 + if k % 2 == 0 { -4.0 } else { 4.0 };
                (x, y)
            })
            .chain([centre])
            .collect()];
        let crowded = [
            // Mini-batch SGD with a tiny step: step and −γ∇f a few pixels long.
            Update {
                at,
                after: [-0.03, -0.01],
                full_gradient: [0.3, -0.2],
                batch_gradient: [0.3, 0.1],
                lr: 0.1,
                kind: OptimizerKind::Sgd,
                momentum: 0.0,
            },
            // Adam: four arrows of a few pixels.
            Update {
                at,
                after: [-0.04, -0.05],
                full_gradient: [0.2, 0.3],
                batch_gradient: [0.25, 0.3],
                lr: 0.1,
                kind: OptimizerKind::Adam,
                momentum: 0.0,
            },
            // Momentum on a mini-batch: four labels.
            Update {
                at,
                after: [0.05, -0.04],
                full_gradient: [0.3, 0.2],
                batch_gradient: [0.1, 0.4],
                lr: 0.1,
                kind: OptimizerKind::Nesterov,
                momentum: 0.9,
            },
        ];
        for (n, u) in crowded.iter().enumerate() {
            for scale in [1.0, 2.0] {
                // A minimum's mark just beside the point.
                let mark = (centre.0 + 14.0 * scale, centre.1 - 10.0 * scale);
                let a = arrows(&f, u, &path, &[mark], |t| scale * measure(t), scale);
                let r = (look::STAR.0 + look::MARK_HALO_WIDTH) * scale;
                let mark_box = (mark.0 - r, mark.1 - r, 2.0 * r, 2.0 * r);
                assert!(a.arrows.len() >= 2, "case {n}: {a:?}");
                let mut rects: Vec<Rect> = a.arrows.iter().map(|a| a.label_rect).collect();
                rects.extend(a.note.iter().map(|n| n.rect));
                for (i, r) in rects.iter().enumerate() {
                    for s in &rects[i + 1..] {
                        assert!(
                            !place::overlap(r, s),
                            "case {n} at {scale}×: {r:?} and {s:?}"
                        );
                    }
                    for w in path[0].windows(2) {
                        assert!(!covers(r, w[0], w[1]), "case {n}: {r:?} covers the path");
                    }
                    for arrow in &a.arrows {
                        assert!(
                            !covers(r, arrow.from, arrow.to),
                            "case {n}: {r:?} on an arrow"
                        );
                    }
                    assert!(r.0 >= f.left && r.1 >= f.top, "case {n}: off the plot");
                    assert!(
                        !place::overlap(r, &mark_box),
                        "case {n}: {r:?} under the mark"
                    );
                }
            }
        }
    }

    #[test]
    fn no_arrows_from_a_point_off_the_plot() {
        let u = sgd([10.0, 0.0], [1.0, 0.0], 0.1);
        assert_eq!(
            arrows(&frame(), &u, &[], &[], measure, 1.0),
            Arrows::default()
        );
    }
}
