//! What gdviz explains about a run: where overshoot begins (the critical learning rate), one
//! update written out with its numbers, and the lessons.

use crate::format::short;
use crate::linalg::{self, Vec2};
use crate::optim::{HyperName, OptimizerKind};
use crate::run::{Checkpoints, RunConfig, Stepper, MAX_STEPS};
use crate::surface::Surface;

/// The stability threshold of the learning rate from the curvature at one point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Critical {
    /// The largest Hessian eigenvalue λmax there.
    pub lambda_max: f64,
    /// 2/λmax: above it plain gradient descent overshoots along the steepest direction.
    pub lr: f64,
    /// The threshold for the run's optimizer: 2(1+μ)/λmax for heavy-ball momentum,
    /// 2(1+μ)/((1+2μ)λmax) for Nesterov, 2/λmax for SGD; `None` for the adaptive optimizers,
    /// whose per-coordinate scaling has no fixed threshold.
    pub optimizer_lr: Option<f64>,
    /// Whether the threshold is exact (f quadratic) rather than a local estimate.
    pub exact: bool,
}

/// The critical learning rate at `at`, or `None` where f does not curve upward in any direction
/// (see [`Curvature`] for the cases), or so slightly that the threshold is beyond the largest
/// double.
pub fn critical(
    surface: &dyn Surface,
    at: Vec2,
    kind: OptimizerKind,
    momentum: f64,
) -> Option<Critical> {
    let (_, lambda_max) = linalg::sym_eigenvalues(surface.hessian(at));
    critical_of(lambda_max, surface.is_quadratic(), kind, momentum)
}

/// [`critical`] from the largest eigenvalue, and whether f is quadratic.
fn critical_of(
    lambda_max: f64,
    exact: bool,
    kind: OptimizerKind,
    momentum: f64,
) -> Option<Critical> {
    if !(lambda_max.is_finite() && lambda_max > 0.0) {
        return None;
    }
    let lr = 2.0 / lambda_max;
    // A curvature so slight (subnormal) that 2/λ overflows: no learning rate a double can hold
    // overshoots, so there is no threshold to mark.
    if !lr.is_finite() {
        return None;
    }
    let optimizer_lr = match kind {
        OptimizerKind::Sgd => Some(lr),
        // Heavy ball on a quadratic: stable for 0 < γλ < 2(1 + μ).
        OptimizerKind::Momentum => Some(2.0 * (1.0 + momentum) / lambda_max),
        // PyTorch's Nesterov form on a quadratic: the iteration matrix's characteristic
        // polynomial z² − (1 − γλ(1+μ) + μ)z + μ(1 − γλ) has its roots inside the unit circle
        // exactly when γλ < 2(1 + μ)/(1 + 2μ).
        OptimizerKind::Nesterov => {
            Some(2.0 * (1.0 + momentum) / ((1.0 + 2.0 * momentum) * lambda_max))
        }
        OptimizerKind::Adagrad | OptimizerKind::Rmsprop | OptimizerKind::Adam => None,
    };
    // The same for the momentum thresholds, which are up to twice 2/λ.
    if optimizer_lr.is_some_and(|v| !v.is_finite()) {
        return None;
    }
    Some(Critical {
        lambda_max,
        lr,
        optimizer_lr,
        exact,
    })
}

/// How f curves at a point, from its Hessian's eigenvalues λmin ≤ λmax: whether the curvature
/// sets a learning-rate threshold there and, where it does not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curvature {
    /// λmax > 0: f curves upward along some direction, and steps longer than 2/λmax overshoot
    /// along it. `saddle` when λmin < 0 too: f curves downward along another direction.
    Upward {
        /// Whether λmin < 0.
        saddle: bool,
    },
    /// λmax = λmin = 0: no curvature at all (f flat, linear or kinked there), so the curvature
    /// says nothing about step sizes.
    Zero,
    /// λmax = 0 > λmin: f curves downward along one direction and not at all along the other.
    DownwardAndFlat,
    /// λmax < 0: f curves downward in every direction.
    Downward,
    /// 0 < λmax, but so small that the threshold is beyond the largest double.
    TooSlight,
    /// The Hessian is not finite (f is not twice differentiable there, or not defined nearby).
    NotFinite,
}

impl Curvature {
    /// The case of the eigenvalues `lambda_min ≤ lambda_max` (either zero may be −0).
    pub fn of(lambda_min: f64, lambda_max: f64) -> Curvature {
        if !(lambda_min.is_finite() && lambda_max.is_finite()) {
            Curvature::NotFinite
        } else if lambda_max > 0.0 {
            if (2.0 / lambda_max).is_finite() {
                Curvature::Upward {
                    saddle: lambda_min < 0.0,
                }
            } else {
                Curvature::TooSlight
            }
        } else if lambda_max < 0.0 {
            Curvature::Downward
        } else if lambda_min < 0.0 {
            Curvature::DownwardAndFlat
        } else {
            Curvature::Zero
        }
    }
}

/// What the learning-rate slider says about the curvature at the start: the critical rate, the
/// rate to mark and a caption for the student.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// The case.
    pub curvature: Curvature,
    /// The critical learning rate, where f curves upward (any optimizer: 2/λmax is what plain
    /// gradient descent would meet).
    pub critical: Option<Critical>,
    /// The learning rate to mark on the slider: only where a fixed threshold applies to the
    /// optimizer (SGD, momentum, Nesterov), not for the adaptive ones.
    pub mark: Option<f64>,
    /// What it means, in a sentence or three; never more than a local estimate can say.
    pub caption: String,
}

/// The threshold the curvature of `surface` at `at` sets for `kind` (with momentum `momentum`),
/// with its caption, in every case of [`Curvature`].
pub fn threshold(surface: &dyn Surface, at: Vec2, kind: OptimizerKind, momentum: f64) -> Threshold {
    let (lambda_min, lambda_max) = linalg::sym_eigenvalues(surface.hessian(at));
    let critical = critical_of(lambda_max, surface.is_quadratic(), kind, momentum);
    let curvature = match Curvature::of(lambda_min, lambda_max) {
        // 2/λmax fits in a double but the momentum threshold, up to twice as large, does not.
        Curvature::Upward { .. } if critical.is_none() => Curvature::TooSlight,
        c => c,
    };
    const NO_THRESHOLD: &str = "so the local curvature sets no threshold there";
    let caption = match (curvature, critical) {
        (Curvature::Upward { saddle }, Some(c)) => {
            let mut text = threshold_caption(&c, kind, momentum);
            if saddle {
                text.push_str(" f is also a saddle there: it curves downward along another direction, and along that one steps of any size carry the path away.");
            }
            text
        }
        (Curvature::Zero, _) => "f has no curvature at the start (its Hessian is zero: f is flat, linear or kinked there), so the curvature sets no critical learning rate: whether a step is too large depends on what the path meets further on.".to_string(),
        (Curvature::DownwardAndFlat, _) => format!("f curves downward at the start along one direction and not at all along the other, {NO_THRESHOLD}: along the downward direction the slope steepens as the path descends, until it reaches a region that curves upward, if f has one."),
        (Curvature::Downward, _) => format!("f curves downward in every direction at the start, {NO_THRESHOLD}: the slope steepens as the path descends, until it reaches a region that curves upward, if f has one."),
        (Curvature::NotFinite, _) => "f's curvature at the start is not a finite number (f is not twice differentiable there, or not defined nearby), so no critical learning rate can be computed there.".to_string(),
        (Curvature::TooSlight | Curvature::Upward { .. }, _) => format!("f curves upward at the start, but so slightly (λmax = {}) that its critical learning rate is beyond the largest double: no learning rate that can be set overshoots there.", short(lambda_max)),
    };
    Threshold {
        curvature,
        critical,
        mark: critical.and_then(|c| c.optimizer_lr),
        caption,
    }
}

/// One update written out: the rule with this step's numbers, line by line.
#[derive(Debug, Clone, PartialEq)]
pub struct StepDetail {
    /// The step number t (1-based): it moves θ from point t − 1 to point t.
    pub step: usize,
    /// θ before the update.
    pub before: Vec2,
    /// θ after the update.
    pub after: Vec2,
    /// The (batch) gradient used.
    pub gradient: Vec2,
    /// The full gradient ∇f at θ before the update: `gradient` itself when the batch was all
    /// the terms, what a smaller batch estimates otherwise.
    pub full_gradient: Vec2,
    /// The terms of the finite sum the gradient averaged.
    pub batch: Vec<usize>,
    /// The number of terms n of the finite sum.
    pub terms: usize,
    /// The optimizer's state before and after, by name (`b`, `s`, `v`, `m`).
    pub state_before: Vec<(&'static str, Vec2)>,
    /// The state after.
    pub state_after: Vec<(&'static str, Vec2)>,
    /// The rule filled in with the numbers, one line per equation.
    pub lines: Vec<String>,
}

fn v(p: Vec2) -> String {
    format!("({}, {})", short(p[0]), short(p[1]))
}

/// Replays the run of `cfg` on `surface` up to step `step` (≥ 1) and writes that update out.
/// `None` if the run is shorter than `step` or the configuration is invalid.
pub fn explain(surface: &dyn Surface, cfg: &RunConfig, step: usize) -> Option<StepDetail> {
    // More steps than a run may take is invalid (and would take hours to replay).
    if step == 0 || step > cfg.steps || cfg.steps > MAX_STEPS {
        return None;
    }
    // The run stops at a step it cannot record or that leaves the view far behind; none comes
    // after it.
    let s = Checkpoints::new(0).stepper_at(surface, cfg, step - 1)?;
    explain_next(cfg, s)
}

/// Writes out the next update of a run in progress (`cfg`'s run, stepped or resumed to where
/// it stands): the step after the one shown, at the cost of one step. `None` if the run would
/// not record it (a non-finite gradient, θ or loss).
pub fn explain_next(cfg: &RunConfig, mut s: Stepper) -> Option<StepDetail> {
    let before = s.theta();
    let full_gradient = s.full_gradient();
    let state_before = s.state();
    let g = s.step();
    let theta = s.theta();
    s.recorded_loss(g)?;
    let mut batch = s.batch().to_vec();
    batch.sort_unstable();
    let mut d = StepDetail {
        step: s.steps(),
        before,
        after: theta,
        gradient: g,
        full_gradient,
        batch,
        terms: s.terms(),
        state_before,
        state_after: s.state(),
        lines: Vec::new(),
    };
    d.lines = rule_lines(cfg, &d);
    Some(d)
}

fn find(state: &[(&'static str, Vec2)], name: &str) -> Vec2 {
    state
        .iter()
        .find(|(n, _)| *n == name)
        .map_or([0.0; 2], |s| s.1)
}

/// The update rule of `cfg.optimizer` with the numbers of the update `d` (all but its lines).
/// A gradient of fewer than all the terms is written ∇f_B, with the full ∇f beside it, so it is
/// not mistaken for the ∇f of the readouts.
fn rule_lines(cfg: &RunConfig, d: &StepDetail) -> Vec<String> {
    let (t, before, after, g) = (d.step, d.before, d.after, d.gradient);
    let (sb, sa) = (&d.state_before, &d.state_after);
    let h = &cfg.hyper;
    let (lr, p) = (short(h.lr), t - 1);
    let mut lines = if d.batch.len() < d.terms {
        vec![
            format!(
                "g = ∇f_B(θ{p}) = {}  (batch of {} of {} terms)",
                v(g),
                d.batch.len(),
                d.terms
            ),
            format!("∇f(θ{p}) = {}", v(d.full_gradient)),
        ]
    } else {
        vec![format!("g = ∇f(θ{p}) = {}", v(g))]
    };
    match cfg.optimizer {
        OptimizerKind::Sgd => {}
        OptimizerKind::Momentum | OptimizerKind::Nesterov => {
            let (b0, b1) = (find(sb, "b"), find(sa, "b"));
            if t == 1 {
                lines.push(format!("b = g = {}   (first step)", v(b1)));
            } else {
                lines.push(format!(
                    "b = μb + g = {} × {} + {} = {}",
                    short(h.momentum),
                    v(b0),
                    v(g),
                    v(b1)
                ));
            }
            if cfg.optimizer == OptimizerKind::Nesterov {
                let d = [g[0] + h.momentum * b1[0], g[1] + h.momentum * b1[1]];
                lines.push(format!("d = g + μb = {}", v(d)));
            }
        }
        OptimizerKind::Adagrad => {
            lines.push(format!(
                "s = s + g² = {} + {} = {}",
                v(find(sb, "s")),
                v([g[0] * g[0], g[1] * g[1]]),
                v(find(sa, "s"))
            ));
            let s = find(sa, "s");
            lines.push(format!(
                "γ/(√s + ε) = {} per coordinate",
                v([h.lr / (s[0].sqrt() + h.eps), h.lr / (s[1].sqrt() + h.eps)])
            ));
        }
        OptimizerKind::Rmsprop => {
            let a = short(h.decay);
            lines.push(format!(
                "v = αv + (1−α)g² = {a} × {} + {} × {} = {}",
                v(find(sb, "v")),
                short(1.0 - h.decay),
                v([g[0] * g[0], g[1] * g[1]]),
                v(find(sa, "v"))
            ));
            let vv = find(sa, "v");
            lines.push(format!(
                "γ/(√v + ε) = {} per coordinate",
                v([h.lr / (vv[0].sqrt() + h.eps), h.lr / (vv[1].sqrt() + h.eps)])
            ));
        }
        OptimizerKind::Adam => {
            let (m, vv) = (find(sa, "m"), find(sa, "v"));
            lines.push(format!("m = β₁m + (1−β₁)g = {}", v(m)));
            lines.push(format!("v = β₂v + (1−β₂)g² = {}", v(vv)));
            let (c1, c2) = (1.0 - h.beta1.powi(t as i32), 1.0 - h.beta2.powi(t as i32));
            lines.push(format!(
                "m̂ = m/(1−β₁^{t}) = m/{} = {}",
                short(c1),
                v([m[0] / c1, m[1] / c1])
            ));
            lines.push(format!(
                "v̂ = v/(1−β₂^{t}) = v/{} = {}",
                short(c2),
                v([vv[0] / c2, vv[1] / c2])
            ));
        }
    }
    let step = [after[0] - before[0], after[1] - before[1]];
    let what = match cfg.optimizer {
        OptimizerKind::Sgd => format!("−γg = −{lr} × {}", v(g)),
        OptimizerKind::Momentum => format!("−γb = −{lr} × {}", v(find(sa, "b"))),
        OptimizerKind::Nesterov => format!("−γd = −{lr} × d"),
        OptimizerKind::Adagrad => "−γg/(√s + ε)".to_string(),
        OptimizerKind::Rmsprop => "−γg/(√v + ε)".to_string(),
        OptimizerKind::Adam => format!("−γm̂/(√v̂ + ε) with γ = {lr}"),
    };
    lines.push(format!("step = {what} = {}", v(step)));
    lines.push(format!(
        "θ{t} = θ{p} + step = {} + {} = {}",
        v(before),
        v(step),
        v(after)
    ));
    lines
}

/// A preset: a title, a short explanation and the options it loads.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    /// Its id in the URL (`?lesson=ID`).
    pub id: &'static str,
    /// Its title in the menu.
    pub title: &'static str,
    /// Two or three sentences for the student.
    pub text: &'static str,
    /// The state it loads over the defaults, written as a link's query (the option names of
    /// `set()`; see `share`), so a lesson is exactly a link: the page, the URL and tests load it
    /// the same way.
    pub options: &'static str,
}

impl Lesson {
    /// The state the lesson loads: its options over the defaults.
    pub fn state(&self) -> Result<crate::options::Options, crate::Error> {
        let pairs = crate::share::parse_query(self.options);
        crate::options::strict(&crate::share::changes(&pairs))
    }
}

/// Every lesson, in menu order.
pub fn lessons() -> &'static [Lesson] {
    &LESSONS
}

static LESSONS: [Lesson; 14] = [
    Lesson {
        id: "overshoot",
        title: "Overshoot on a bowl",
        text: "Booth's function is a quadratic bowl whose steepest direction has curvature λ = 18, so plain gradient descent is stable only for γ < 2/18 ≈ 0.111 (the mark on the slider). Drag the learning rate past it: the path zig-zags across the valley with swings that grow at every step. Just past the mark they grow slowly (at γ = 0.113 the loss ends 800 times higher than it started); from γ = 0.115 the run diverges within its 100 steps.",
        options: "surface=booth&lr=0.1&steps=100",
    },
    Lesson {
        id: "ravine",
        title: "The ravine: why we scale features",
        text: "Linear regression on a raw feature between 0 and 10 has Hessian eigenvalues 0.53 and 77, a ratio of about 145: a learning rate safe for the steep direction (below 2/77 ≈ 0.026) crawls along the flat one, and γ = 0.025 needs 1062 steps to converge. Switch the surface to the standardised twin (linear-regression-std): the contours become circles with curvature 2 in every direction, so the same γ converges in 315 steps, and γ may now go up to 2/2 = 1: at γ = 0.5 it lands on the minimum in one step.",
        options: "surface=linear-regression&lr=0.025&steps=300",
    },
    Lesson {
        id: "saddle",
        title: "Saddle points",
        text: "At a saddle the gradient vanishes although it is no minimum. Started almost on the ridge y = 0, gradient descent first slides towards the saddle and lingers there, then the tiny y component grows geometrically and it escapes. Put the start exactly on y = 0 and it runs straight into the saddle and stays: after the 120 steps it is 5e-6 from it, with no y component to escape with.",
        options: "surface=saddle&lr=0.05&steps=120&start=-1.5,0.001",
    },
    Lesson {
        id: "local-minima",
        title: "Local minima",
        text: "The double well has a global minimum on the left and a worse local one on the right. Plain gradient descent from the right settles in the local one; momentum with μ = 0.9 and γ = 0.02 carries enough speed over the hump to reach the better minimum. The slider drives momentum (run 2): raise γ, and from 0.038 momentum ends in the local well instead, and from 0.066 in the global one again, with no warning which.",
        options: "surface=double-well&steps=300&runs=lr:0.02;optimizer:momentum,lr:0.02,momentum:0.9&selected=1",
    },
    Lesson {
        id: "plateau",
        title: "Plateaus and vanishing gradients",
        text: "Far from its well this surface is almost flat: the gradient is below 0.001, so plain gradient descent with γ = 0.3 barely moves in a thousand steps. Adam divides by the gradient's own scale, so each coordinate's step is about γ wherever it is (from γ to 1.6γ on the way), against 0.3 × 0.00084 for SGD at the start: it crosses the plateau in about 70 steps. The slider drives Adam (run 2); choose SGD in the legend to drive it instead.",
        options: "surface=plateau&steps=1000&runs=lr:0.3;optimizer:adam,lr:0.05&selected=1",
    },
    Lesson {
        id: "noise",
        title: "Batch, mini-batch and stochastic",
        text: "The same regression, three ways: the full batch follows the exact gradient, mini-batches of 10 examples wander around it, and one example per step is noisiest. All three start with the same γ. The slider drives the mini-batch run (run 2; choose another in the legend), and none of the noisy ones settles exactly at the minimum unless the learning rate shrinks.",
        options: "surface=linear-regression-std&steps=150&runs=lr:0.05;lr:0.05,variant:minibatch,batch:10;lr:0.05,variant:stochastic&selected=1",
    },
    Lesson {
        id: "momentum",
        title: "Momentum on Rosenbrock",
        text: "In Rosenbrock's curved valley plain gradient descent takes tiny steps along the valley floor. Momentum accumulates the consistent part of the gradient and travels along the valley much faster, at the price of some overshoot across it. The slider drives momentum (run 2): raise γ and watch the overshoot grow.",
        options: "surface=rosenbrock&steps=1000&runs=lr:0.001;optimizer:momentum,lr:0.001,momentum:0.9&selected=1",
    },
    Lesson {
        id: "adam-vs-sgd",
        title: "Adam versus SGD",
        text: "Beale's valley to the minimum at (3, 0.5) has a flat floor and steep walls. The slider drives SGD (run 1). SGD's step is proportional to the gradient: at γ = 0.004 it is still short of the minimum after 500 steps (f ≈ 0.02), and at γ = 0.1 a wall throws it out at step 3. Adam scales each coordinate's step by the gradient's running size and comes within 0.001 of the minimum (f ≈ 2e-8).",
        options: "surface=beale&steps=500&start=1,1&runs=lr:0.004;optimizer:adam,lr:0.05",
    },
    Lesson {
        id: "collinear",
        title: "Collinear features: a valley of minima",
        text: "Two identical features make every θ with θ₁ + θ₂ = 1 a perfect fit, a whole valley of minima. Gradient descent from (0, 0) only ever moves along (1, 1), so it ends at (0.5, 0.5), the minimum closest to the start; printouts of ≈ (0.9994, 0.9993) for this example are wrong.",
        options: "surface=collinear&lr=0.01&steps=1000&start=0,0",
    },
    Lesson {
        id: "ridge",
        title: "Ridge: a penalty pulls the minimum in",
        text: "Ridge regression adds λ‖θ‖² to the squared error. Raise lambda (under the surface menu) and watch the star slide along a straight line towards the origin: the penalty trades a worse fit for smaller weights. The feature is standardised, so the contours are circles at every λ, but steeper ones: the curvature 2(1 + λ) grows, and at γ = 0.1 gradient descent converges faster (73 steps at λ = 0, 46 at λ = 0.5, one at λ = 4) until γ passes 2/λmax = 1/(1 + λ): beyond λ = 9 it overshoots, and at λ = 10 it diverges by step 32.",
        options: "surface=ridge&lr=0.1&steps=200",
    },
    Lesson {
        id: "lasso",
        title: "Lasso: reaching an axis, and chattering there",
        text: "The L1 penalty λ(|θ₀| + |θ₁|) has a kink on each axis, and here the minimum sits on one: the slope is exactly 0. Plain (sub)gradient descent, using sign(0) = 0, reaches the axis and then jumps back and forth across it, because the subgradient never shrinks near a kink; only a decaying learning rate or a proximal step would settle.",
        options: "surface=lasso&lr=0.05&steps=400",
    },
    Lesson {
        id: "svm",
        title: "SVM: the hinge loss",
        text: "A linear classifier's hinge loss is zero beyond the margin and grows linearly inside it, so the data term is stitched from flat and sloped pieces along straight kink lines, under the penalty's shallow bowl λ‖w‖². The minimum sits on a kink, where no gradient vanishes: gradient descent never settles but jitters around it at a size set by the learning rate. In these 300 steps it is still on its way; with 3000 it jitters a few thousandths from the minimum, and half the γ (over 6000 steps) halves that.",
        options: "surface=svm&lr=0.1&steps=300",
    },
    Lesson {
        id: "tiny-nn",
        title: "A tiny neural network",
        text: "ŷ = w₂·tanh(w₁x) has two mirrored minima, because flipping both signs gives the same network, and a saddle at the origin between them. Started where the tanh saturates, the gradient along w₁ is nearly zero: the path first fixes w₂, then slowly turns towards a minimum. Try momentum or Adam.",
        options: "surface=tiny-nn&lr=0.1&steps=600",
    },
    Lesson {
        id: "recommender",
        title: "A recommender in two numbers",
        text: "Matrix factorisation predicts a rating as the product u·v of a user factor and an item factor. Without a penalty every pair with u·v = r̄ (the mean rating) fits equally well, a whole hyperbola of minima; the penalty λ(u² + v²), λ = 0.5 here, leaves two separate bowls at u = v = ±1.83, and (0, 0) is a saddle where the gradient vanishes. Started near the line u = −v, gradient descent slows down as it passes the saddle, then turns to one of the two minima.",
        options: "surface=recommender&lr=0.02&steps=400",
    },
];

/// The lesson with this id.
pub fn lesson(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.id == id)
}

/// The hyper-parameter of `kind` shown on the learning-rate slider's mark, for the caption.
pub fn threshold_caption(c: &Critical, kind: OptimizerKind, momentum: f64) -> String {
    let local = if c.exact {
        ""
    } else {
        " (local: the curvature changes along the path)"
    };
    let base = format!(
        "Critical γ = 2/λmax = {} at the start{local}: above it plain gradient descent overshoots along the steepest direction.",
        short(c.lr)
    );
    match (kind, c.optimizer_lr) {
        (OptimizerKind::Momentum, Some(m)) => format!(
            "{base} With {} = {}, heavy-ball momentum is stable up to 2(1+μ)/λmax = {}.",
            HyperName::Momentum.symbol(),
            short(momentum),
            short(m)
        ),
        (OptimizerKind::Nesterov, Some(m)) => format!(
            "{base} With μ = {}, Nesterov momentum is stable up to 2(1+μ)/((1+2μ)λmax) = {}.",
            short(momentum),
            short(m)
        ),
        (OptimizerKind::Sgd, _) => base,
        _ => format!("{base} {} scales each coordinate's step by its gradient history, so no fixed threshold applies.", kind.title()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{run, surface, Hyper};

    #[test]
    fn booth_critical_lr_is_two_eighteenths_and_exact() {
        let s = surface::by_name("booth").unwrap();
        let c = critical(s.as_ref(), s.start(), OptimizerKind::Sgd, 0.0).unwrap();
        assert!((c.lr - 2.0 / 18.0).abs() < 1e-15 && c.exact);
        let m = critical(s.as_ref(), s.start(), OptimizerKind::Momentum, 0.9).unwrap();
        assert!((m.optimizer_lr.unwrap() - 2.0 * 1.9 / 18.0).abs() < 1e-15);
        assert!(critical(s.as_ref(), s.start(), OptimizerKind::Adam, 0.9)
            .unwrap()
            .optimizer_lr
            .is_none());
        let r = surface::by_name("rosenbrock").unwrap();
        assert!(
            !critical(r.as_ref(), r.start(), OptimizerKind::Sgd, 0.0)
                .unwrap()
                .exact
        );
    }

    #[test]
    fn curvature_cases_from_eigenvalues() {
        use Curvature::*;
        assert_eq!(Curvature::of(2.0, 18.0), Upward { saddle: false });
        assert_eq!(Curvature::of(0.0, 18.0), Upward { saddle: false });
        assert_eq!(Curvature::of(-2.0, 2.0), Upward { saddle: true });
        assert_eq!(Curvature::of(0.0, 0.0), Zero);
        assert_eq!(Curvature::of(-0.0, -0.0), Zero);
        // diag(−4, 0), as log(x) at x = 0.5 gives: the zero comes out as −0.
        assert_eq!(
            linalg::sym_eigenvalues([[-4.0, 0.0], [0.0, 0.0]]),
            (-4.0, -0.0)
        );
        assert_eq!(Curvature::of(-4.0, -0.0), DownwardAndFlat);
        assert_eq!(Curvature::of(-42.0, -26.0), Downward);
        assert_eq!(Curvature::of(1e-310, 2e-310), TooSlight);
        assert_eq!(Curvature::of(f64::NAN, f64::NAN), NotFinite);
        assert_eq!(Curvature::of(f64::NEG_INFINITY, 1.0), NotFinite);
    }

    /// The caption and the mark in each case of [`Curvature`], as the slider shows them.
    #[test]
    fn threshold_captions_tell_the_cases_apart() {
        use crate::expr::{ExprSurface, DEFAULT_VIEW};
        use Curvature::*;
        let typed = |text: &str, at: Option<Vec2>, kind: OptimizerKind| {
            let s = ExprSurface::parse(text, DEFAULT_VIEW).unwrap();
            threshold(&s, at.unwrap_or_else(|| s.start()), kind, 0.9)
        };
        let sgd = OptimizerKind::Sgd;
        let no_curvature = "f has no curvature at the start (its Hessian is zero: f is flat, linear or kinked there), so the curvature sets no critical learning rate: whether a step is too large depends on what the path meets further on.";
        let mut captions = Vec::new();
        // Flat, linear, kinked: the Hessian is 0 (|a| has second derivative 0 off its kink).
        for text in ["0", "x", "abs(x) + abs(y)"] {
            let t = typed(text, None, sgd);
            assert_eq!(
                (t.curvature, t.critical, t.mark),
                (Zero, None, None),
                "{text}"
            );
            assert_eq!(t.caption, no_curvature);
            captions.push(t.caption);
        }
        // log(x) at x = 0.5: f_xx = −1/x² = −4, and nothing along y.
        let t = typed("log(x)", Some([0.5, 0.0]), sgd);
        assert_eq!((t.curvature, t.mark), (DownwardAndFlat, None));
        assert_eq!(t.caption, "f curves downward at the start along one direction and not at all along the other, so the local curvature sets no threshold there: along the downward direction the slope steepens as the path descends, until it reaches a region that curves upward, if f has one.");
        captions.push(t.caption);
        // log(x) + y² there: eigenvalues −4 and 2, a saddle with the threshold 2/2 = 1 (local:
        // log is not quadratic).
        let t = typed("log(x) + y^2", Some([0.5, 0.0]), sgd);
        assert_eq!((t.curvature, t.mark), (Upward { saddle: true }, Some(1.0)));
        assert_eq!(t.caption, "Critical γ = 2/λmax = 1 at the start (local: the curvature changes along the path): above it plain gradient descent overshoots along the steepest direction. f is also a saddle there: it curves downward along another direction, and along that one steps of any size carry the path away.");
        captions.push(t.caption);
        // x² − y²: the same, exact.
        let t = typed("x^2 - y^2", None, sgd);
        assert_eq!((t.curvature, t.mark), (Upward { saddle: true }, Some(1.0)));
        assert!(t.critical.unwrap().exact);
        assert!(t
            .caption
            .starts_with("Critical γ = 2/λmax = 1 at the start: above it"));
        assert!(t.caption.ends_with("f is also a saddle there: it curves downward along another direction, and along that one steps of any size carry the path away."));
        captions.push(t.caption);
        // −(x² + y²): downward everywhere, and nothing upward further on either.
        let t = typed("-(x^2 + y^2)", None, sgd);
        assert_eq!((t.curvature, t.critical, t.mark), (Downward, None, None));
        assert_eq!(t.caption, "f curves downward in every direction at the start, so the local curvature sets no threshold there: the slope steepens as the path descends, until it reaches a region that curves upward, if f has one.");
        let downward = t.caption.clone();
        captions.push(t.caption);
        // Booth: eigenvalues 2 and 18, exact; the mark is the optimizer's own threshold.
        let booth = surface::by_name("booth").unwrap();
        let t = threshold(booth.as_ref(), booth.start(), sgd, 0.0);
        assert_eq!(
            (t.curvature, t.mark),
            (Upward { saddle: false }, Some(2.0 / 18.0))
        );
        assert_eq!(t.caption, "Critical γ = 2/λmax = 0.1111 at the start: above it plain gradient descent overshoots along the steepest direction.");
        captions.push(t.caption);
        let t = threshold(booth.as_ref(), booth.start(), OptimizerKind::Momentum, 0.9);
        assert_eq!(t.mark, Some(2.0 * 1.9 / 18.0));
        assert!(t
            .caption
            .ends_with("heavy-ball momentum is stable up to 2(1+μ)/λmax = 0.2111."));
        captions.push(t.caption);
        // Adam on Booth: 2/λmax is still reported, but no mark: no fixed threshold applies.
        let t = threshold(booth.as_ref(), booth.start(), OptimizerKind::Adam, 0.9);
        assert_eq!((t.curvature, t.mark), (Upward { saddle: false }, None));
        assert_eq!(t.critical.unwrap().lr, 2.0 / 18.0);
        assert!(t.caption.ends_with("Adam scales each coordinate's step by its gradient history, so no fixed threshold applies."), "{}", t.caption);
        captions.push(t.caption);
        // Himmelblau at its start (0, 0): f_xx = 4(y − 11) + 2 = −42, f_yy = 4(x − 7) + 2 = −26,
        // f_xy = 0: downward in every direction; yet the path reaches a bowl and converges.
        let h = surface::by_name("himmelblau").unwrap();
        assert_eq!(h.hessian(h.start()), [[-42.0, 0.0], [0.0, -26.0]]);
        let t = threshold(h.as_ref(), h.start(), sgd, 0.0);
        assert_eq!((t.curvature, &t.caption), (Downward, &downward));
        let cfg = RunConfig {
            hyper: Hyper {
                lr: 0.01,
                ..Hyper::defaults(sgd)
            },
            ..RunConfig::new(h.as_ref(), sgd)
        };
        assert_eq!(
            run(h.as_ref(), &cfg).unwrap().status,
            run::Status::Converged
        );
        // sqrt(x) at x = 0: f_xx = −x^(−3/2)/4 is infinite.
        let t = typed("sqrt(x) + y^2", Some([0.0, 1.0]), sgd);
        assert_eq!((t.curvature, t.critical, t.mark), (NotFinite, None, None));
        assert_eq!(t.caption, "f's curvature at the start is not a finite number (f is not twice differentiable there, or not defined nearby), so no critical learning rate can be computed there.");
        captions.push(t.caption);
        // Upward, but 2/λmax overflows; or only the momentum threshold 2(1 + μ)/λmax does.
        let t = typed("1e-310*(x^2 + y^2)", None, sgd);
        assert_eq!((t.curvature, t.critical, t.mark), (TooSlight, None, None));
        assert_eq!(t.caption, "f curves upward at the start, but so slightly (λmax = 2e-310) that its critical learning rate is beyond the largest double: no learning rate that can be set overshoots there.");
        captions.push(t.caption);
        let t = typed("1e-308*(x^2 + y^2)", None, OptimizerKind::Momentum);
        assert_eq!((t.curvature, t.mark), (TooSlight, None));
        let t = typed("1e-308*(x^2 + y^2)", None, sgd);
        assert_eq!(
            (t.curvature, t.mark),
            (Upward { saddle: false }, Some(1e308))
        );
        // No caption claims more than a local estimate can.
        for c in &captions {
            assert!(!c.contains("no learning rate is safe"), "{c}");
        }
    }

    /// The thresholds are where runs on a quadratic switch from converging to diverging.
    #[test]
    fn thresholds_separate_convergence_from_divergence() {
        let s = surface::by_name("booth").unwrap();
        for kind in [
            OptimizerKind::Sgd,
            OptimizerKind::Momentum,
            OptimizerKind::Nesterov,
        ] {
            let c = critical(s.as_ref(), s.start(), kind, 0.9)
                .unwrap()
                .optimizer_lr
                .unwrap();
            for (factor, converges) in [(0.97, true), (1.03, false)] {
                let cfg = RunConfig {
                    hyper: Hyper {
                        lr: c * factor,
                        momentum: 0.9,
                        ..Hyper::defaults(kind)
                    },
                    steps: 3000,
                    ..RunConfig::new(s.as_ref(), kind)
                };
                let t = run(s.as_ref(), &cfg).unwrap();
                assert_eq!(
                    t.status == run::Status::Converged,
                    converges,
                    "{kind:?} at {factor}×: {:?}",
                    t.status
                );
            }
        }
    }

    #[test]
    fn explained_step_matches_the_run() {
        let s = surface::by_name("rosenbrock").unwrap();
        for kind in OptimizerKind::ALL {
            let cfg = RunConfig {
                steps: 20,
                hyper: Hyper {
                    lr: 1e-3,
                    ..Hyper::defaults(kind)
                },
                ..RunConfig::new(s.as_ref(), kind)
            };
            let t = run(s.as_ref(), &cfg).unwrap();
            for k in [1, 2, 20] {
                let d = explain(s.as_ref(), &cfg, k).unwrap();
                assert_eq!(d.before, t.points[k - 1]);
                assert_eq!(d.after, t.points[k]);
                assert_eq!(d.gradient, t.grads[k - 1]);
                assert!(d
                    .lines
                    .last()
                    .unwrap()
                    .starts_with(&format!("θ{k} = θ{}", k - 1)));
            }
            assert!(explain(s.as_ref(), &cfg, 21).is_none());
            assert!(explain(s.as_ref(), &cfg, 0).is_none());
        }
    }

    #[test]
    fn the_next_update_from_a_runs_end_is_the_replayed_one() {
        // Every optimizer and variant, on a dataset (per-example terms) and an analytic surface
        // (tilted terms), with an epoch boundary inside the run (37 steps, batch 10 of 100).
        for name in ["rosenbrock", "logistic-regression"] {
            let s = surface::by_name(name).unwrap();
            for kind in OptimizerKind::ALL {
                for variant in crate::Variant::ALL {
                    let cfg = RunConfig {
                        steps: 37,
                        variant,
                        hyper: Hyper {
                            lr: 1e-3,
                            ..Hyper::defaults(kind)
                        },
                        ..RunConfig::new(s.as_ref(), kind)
                    };
                    let (t, end) = crate::run::run_to_end(s.as_ref(), &cfg).unwrap();
                    let end = end.unwrap();
                    assert_eq!((end.steps(), end.theta()), (37, t.last()));
                    let resumed = Stepper::resume(s.as_ref(), &cfg, end.clone()).unwrap();
                    let next = explain_next(&cfg, resumed).unwrap();
                    let longer = RunConfig {
                        steps: 38,
                        ..cfg.clone()
                    };
                    let replayed = explain(s.as_ref(), &longer, 38).unwrap();
                    assert_eq!(next, replayed, "{name}, {kind:?}, {variant:?}");
                    assert_eq!(next.after, run(s.as_ref(), &longer).unwrap().last());
                    // Resuming leaves the kept end as it was.
                    assert_eq!(end.steps(), 37);
                    // It is this run's end, not another's.
                    let other = RunConfig {
                        seed: 1,
                        ..cfg.clone()
                    };
                    assert!(Stepper::resume(s.as_ref(), &other, end.clone()).is_err());
                    let more = RunConfig {
                        steps: 1000,
                        tolerance: 0.5,
                        ..cfg.clone()
                    };
                    assert!(Stepper::resume(s.as_ref(), &more, end).is_ok());
                }
            }
        }
    }

    #[test]
    fn checkpoints_reach_any_step_as_the_replay_does() {
        let s = surface::by_name("logistic-regression").unwrap();
        let kind = OptimizerKind::Adam;
        let cfg = RunConfig {
            steps: 300,
            variant: crate::Variant::MiniBatch,
            hyper: Hyper {
                lr: 1e-2,
                ..Hyper::defaults(kind)
            },
            ..RunConfig::new(s.as_ref(), kind)
        };
        let (_, end) = crate::run::run_to_end(s.as_ref(), &cfg).unwrap();
        let mut c = Checkpoints::new(16);
        c.keep(end.unwrap());
        let longer = RunConfig {
            steps: 301,
            ..cfg.clone()
        };
        // Back and forth, onto checkpoints, beside them, from the run's end.
        for k in [299, 300, 5, 250, 17, 16, 0, 299, 120, 121, 300] {
            let stepper = c.stepper_at(s.as_ref(), &cfg, k).unwrap();
            assert_eq!(stepper.steps(), k);
            let via = explain_next(&cfg, stepper);
            assert_eq!(via, explain(s.as_ref(), &longer, k + 1), "step {k}");
        }
        // The first replay kept steps 16, 32, ..., 288; later ones found them. With the end: 19.
        assert_eq!(c.len(), 300 / 16 + 1);
        assert!(c.stepper_at(s.as_ref(), &cfg, MAX_STEPS + 1).is_none());
        // Other settings: the kept states are dropped, not resumed.
        let other = RunConfig {
            hyper: Hyper {
                lr: 2e-2,
                ..cfg.hyper
            },
            ..cfg.clone()
        };
        let via = explain_next(&other, c.stepper_at(s.as_ref(), &other, 200).unwrap());
        let longer = RunConfig {
            steps: 201,
            ..other.clone()
        };
        assert!(via.is_some());
        assert_eq!(via, explain(s.as_ref(), &longer, 201));
        assert_eq!(c.len(), 200 / 16);
    }

    #[test]
    fn no_update_is_explained_past_a_step_the_run_could_not_record() {
        // log(x) from x = 0.5 with γ = 0.5: step 1 lands on x = −0.5, where f is NaN, so the run
        // stops there; the gradient 1/x stays finite and would carry a replay back to x = 0.5.
        let s = crate::expr::ExprSurface::parse("log(x) + y^2", crate::expr::DEFAULT_VIEW).unwrap();
        let cfg = RunConfig {
            start: [0.5, 0.0],
            steps: 5,
            hyper: Hyper {
                lr: 0.5,
                ..Hyper::defaults(OptimizerKind::Sgd)
            },
            ..RunConfig::new(&s, OptimizerKind::Sgd)
        };
        let t = run(&s, &cfg).unwrap();
        assert_eq!(
            (t.status, t.steps()),
            (crate::Status::Diverged { step: 1 }, 0)
        );
        for step in 1..=5 {
            assert_eq!(explain(&s, &cfg, step), None, "step {step}");
        }
    }

    #[test]
    fn a_diverged_run_keeps_no_end() {
        let s = surface::by_name("booth").unwrap();
        let cfg = RunConfig {
            hyper: Hyper {
                lr: 1.0,
                ..Hyper::defaults(OptimizerKind::Sgd)
            },
            ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
        };
        let (t, end) = crate::run::run_to_end(s.as_ref(), &cfg).unwrap();
        let crate::Status::Diverged { step } = t.status else {
            panic!("γ = 1 on Booth (λmax = 18) should diverge: {:?}", t.status);
        };
        assert!(end.is_none());
        // It left the view far behind at a finite point, which the run recorded; the update to
        // it is explained, and none after it (the run has no step there).
        assert_eq!(t.steps(), step);
        let d = explain(s.as_ref(), &cfg, step).unwrap();
        assert_eq!(d.after, t.last());
        assert_eq!(explain(s.as_ref(), &cfg, step + 1), None);
        let mut c = Checkpoints::new(1);
        assert!(c.stepper_at(s.as_ref(), &cfg, step - 1).is_some());
        assert!(c.stepper_at(s.as_ref(), &cfg, step).is_none());
        assert_eq!(
            c.len(),
            step - 1,
            "one per step up to the last before divergence"
        );
    }

    #[test]
    fn sgd_step_written_out_by_hand() {
        // Booth at (−6, −6): ∇f = (−142, −146), so with γ = 0.01 the step is (1.42, 1.46).
        let s = surface::by_name("booth").unwrap();
        let cfg = RunConfig {
            hyper: Hyper {
                lr: 0.01,
                ..Hyper::defaults(OptimizerKind::Sgd)
            },
            ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
        };
        let d = explain(s.as_ref(), &cfg, 1).unwrap();
        assert_eq!(d.lines[0], "g = ∇f(θ0) = (-142, -146)");
        assert_eq!(
            d.lines[1],
            "step = −γg = −0.01 × (-142, -146) = (1.42, 1.46)"
        );
        assert_eq!(
            d.lines[2],
            "θ1 = θ0 + step = (-6, -6) + (1.42, 1.46) = (-4.58, -4.54)"
        );
    }

    #[test]
    fn a_batch_gradient_is_written_apart_from_the_full_one() {
        // Collinear from (0, 0): term i is (θ₁xᵢ + θ₂xᵢ − xᵢ)² with x = (1, 2, 3), so its
        // gradient there is −2xᵢ²(1, 1): (−2, −2), (−8, −8), (−18, −18); ∇f is their mean,
        // −28/3 (1, 1).
        let s = surface::by_name("collinear").unwrap();
        let term = |i: usize| -2.0 * ((i + 1) * (i + 1)) as f64;
        let config = |variant, batch| RunConfig {
            hyper: Hyper {
                lr: 0.01,
                ..Hyper::defaults(OptimizerKind::Sgd)
            },
            variant,
            batch,
            start: [0.0, 0.0],
            ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
        };
        let full = "∇f(θ0) = (-9.333, -9.333)";
        // One term: g is that term's gradient.
        let d = explain(s.as_ref(), &config(crate::Variant::Stochastic, 1), 1).unwrap();
        let g = term(d.batch[0]);
        assert_eq!(d.gradient, [g, g]);
        assert_eq!(d.full_gradient, [-28.0 / 3.0; 2]);
        assert_eq!(
            d.lines[0],
            format!("g = ∇f_B(θ0) = ({g}, {g})  (batch of 1 of 3 terms)")
        );
        assert_eq!(d.lines[1], full);
        assert_eq!(
            d.lines[2],
            format!(
                "step = −γg = −0.01 × ({g}, {g}) = ({0}, {0})",
                short(-0.01 * g)
            )
        );
        assert_eq!(d.lines.len(), 4);
        // Two terms: g is their mean.
        let d = explain(s.as_ref(), &config(crate::Variant::MiniBatch, 2), 1).unwrap();
        assert_eq!(d.batch.len(), 2);
        let g = (term(d.batch[0]) + term(d.batch[1])) / 2.0;
        assert_eq!(
            d.lines[0],
            format!("g = ∇f_B(θ0) = ({g}, {g})  (batch of 2 of 3 terms)")
        );
        assert_eq!(d.lines[1], full);
        // All three terms are the full gradient: written as before, one line.
        let d = explain(s.as_ref(), &config(crate::Variant::MiniBatch, 3), 1).unwrap();
        assert_eq!(d.lines[0], "g = ∇f(θ0) = (-9.333, -9.333)");
        assert!(d.lines[1].starts_with("step = "));
        assert_eq!(d.gradient, d.full_gradient);
        // Booth's tilted terms: one of 50, beside Booth's ∇f(−6, −6) = (−142, −146).
        let booth = surface::by_name("booth").unwrap();
        let cfg = RunConfig {
            variant: crate::Variant::Stochastic,
            ..RunConfig::new(booth.as_ref(), OptimizerKind::Adam)
        };
        let d = explain(booth.as_ref(), &cfg, 1).unwrap();
        assert!(d.lines[0].starts_with("g = ∇f_B(θ0) = ("), "{}", d.lines[0]);
        assert!(d.lines[0].ends_with(")  (batch of 1 of 50 terms)"));
        assert_eq!(d.lines[1], "∇f(θ0) = (-142, -146)");
        assert!(d.lines[2].starts_with("m = β₁m + (1−β₁)g = "));
    }

    /// A lesson's run: `kind` at `lr` (μ = 0.9 where it applies) for `steps` steps on `s`, from
    /// `start` or the surface's, with `variant` (mini-batches of 10), as the lesson loads it.
    fn lesson_run(
        s: &dyn Surface,
        kind: OptimizerKind,
        lr: f64,
        steps: usize,
        start: Option<Vec2>,
        variant: crate::Variant,
    ) -> run::Trajectory {
        let cfg = RunConfig {
            hyper: Hyper {
                lr,
                momentum: 0.9,
                ..Hyper::defaults(kind)
            },
            steps,
            variant,
            batch: 10,
            start: start.unwrap_or_else(|| s.start()),
            ..RunConfig::new(s, kind)
        };
        run(s, &cfg).unwrap()
    }

    /// A full-batch lesson run on the named surface with default parameters.
    fn go(
        name: &str,
        kind: OptimizerKind,
        lr: f64,
        steps: usize,
        start: Option<Vec2>,
    ) -> run::Trajectory {
        let s = surface::by_name(name).unwrap();
        lesson_run(s.as_ref(), kind, lr, steps, start, crate::Variant::Batch)
    }

    /// The named surface with one parameter set.
    fn with_param(name: &str, param: &str, value: f64) -> Box<dyn Surface> {
        surface::find(name)
            .unwrap()
            .build(&[(param.to_string(), value)])
            .unwrap()
    }

    /// Asserts that lesson `id` loads a state with these settings and says these things, so
    /// that a change of either shows up here with the claims it affects. A setting is written
    /// `"key":value` for the state (`surface`, `steps`, `start`, and the selected run's
    /// `optimizer` and `lr`), or `{"key":value,...}` for one of its runs.
    fn lesson_has(id: &str, settings: &[&str], says: &[&str]) {
        let l = lesson(id).unwrap();
        let state = l.state().unwrap();
        let unquote = |v: &str| v.trim().trim_matches('"').to_string();
        let run_value = |r: &crate::options::RunSettings, key: &str| -> String {
            match key {
                "optimizer" => r.optimizer.name().to_string(),
                "variant" => r.variant.name().to_string(),
                "batch" => r.batch.to_string(),
                "seed" => r.seed.to_string(),
                h => crate::optim::HyperName::ALL
                    .into_iter()
                    .find(|n| n.name() == h)
                    .map(|n| crate::format::format_number(r.hyper.get(n)))
                    .unwrap_or_else(|| panic!("no run setting {h}")),
            }
        };
        for setting in settings {
            if let Some(inner) = setting.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                let pairs: Vec<(String, String)> = inner
                    .split(',')
                    .map(|kv| {
                        let (k, v) = kv.split_once(':').unwrap();
                        (unquote(k), unquote(v))
                    })
                    .collect();
                assert!(
                    state
                        .runs()
                        .iter()
                        .any(|r| pairs.iter().all(|(k, v)| run_value(r, k) == *v)),
                    "{id} has no run {setting}: {}",
                    l.options
                );
                continue;
            }
            let (k, v) = setting.split_once(':').unwrap();
            let (k, v) = (unquote(k), unquote(v));
            let got = match k.as_str() {
                "surface" => state.surface.clone(),
                "steps" => state.steps.to_string(),
                "start" => {
                    let [x, y] = state.start.expect("a start");
                    format!(
                        "[{},{}]",
                        crate::format::format_number(x),
                        crate::format::format_number(y)
                    )
                }
                key => run_value(state.run(), key),
            };
            assert_eq!(got, v, "{id}: {setting} ({})", l.options);
        }
        for t in says {
            assert!(l.text.contains(t), "{id} says {t}: {}", l.text);
        }
    }

    fn dist(a: Vec2, b: Vec2) -> f64 {
        linalg::norm([a[0] - b[0], a[1] - b[1]])
    }

    use run::Status::{Converged, Diverged, MaxSteps};
    use OptimizerKind::{Adam, Momentum, Sgd};

    #[test]
    fn lesson_overshoot_claims_hold() {
        lesson_has(
            "overshoot",
            &[
                r#""surface":"booth""#,
                r#""optimizer":"sgd""#,
                r#""steps":100"#,
            ],
            &[
                "λ = 18",
                "γ < 2/18 ≈ 0.111",
                "γ = 0.113",
                "800 times",
                "γ = 0.115",
            ],
        );
        let booth = surface::by_name("booth").unwrap();
        assert_eq!(
            linalg::sym_eigenvalues(booth.hessian(booth.start())),
            (2.0, 18.0)
        );
        let t = threshold(booth.as_ref(), booth.start(), Sgd, 0.9);
        assert_eq!(t.mark, Some(2.0 / 18.0));
        // Past the mark: θ − θ* along the steep direction (1, 1)/√2 changes sign every step
        // (the zig-zag) and grows; at 0.113 the run survives its 100 steps, 800 times worse.
        let t = go("booth", Sgd, 0.113, 100, None);
        let along: Vec<f64> = t.points.iter().map(|p| p[0] - 1.0 + p[1] - 3.0).collect();
        for w in along.windows(2) {
            assert!(w[0] * w[1] < 0.0 && w[1].abs() > w[0].abs(), "{w:?}");
        }
        assert_eq!(t.status, MaxSteps);
        assert_eq!((t.losses[100] / t.losses[0]).round(), 800.0);
        for lr in [0.112, 0.114] {
            assert_eq!(go("booth", Sgd, lr, 100, None).status, MaxSteps, "{lr}");
        }
        assert_eq!(
            go("booth", Sgd, 0.115, 100, None).status,
            Diverged { step: 82 }
        );
        for lr in [0.12, 0.2, 1.0] {
            assert!(matches!(
                go("booth", Sgd, lr, 100, None).status,
                Diverged { .. }
            ));
        }
    }

    #[test]
    fn lesson_ravine_claims_hold() {
        lesson_has(
            "ravine",
            &[r#""surface":"linear-regression""#, r#""lr":0.025"#],
            &[
                "0.53 and 77",
                "about 145",
                "2/77 ≈ 0.026",
                "1062 steps",
                "315 steps",
                "2/2 = 1",
                "one step",
            ],
        );
        let raw = surface::by_name("linear-regression").unwrap();
        let x = &raw.data().unwrap().x;
        assert!(x.iter().all(|v| (0.0..10.0).contains(v)));
        let (lo, hi) = linalg::sym_eigenvalues(raw.hessian(raw.start()));
        assert_eq!(
            (short(lo), short(hi), (hi / lo).round()),
            ("0.5293".into(), "76.83".into(), 145.0)
        );
        assert_eq!(short(2.0 / hi), "0.02603");
        // γ = 0.025 is stable but crawls: not converged in the lesson's 300 steps, 1062 needed.
        assert_eq!(
            go("linear-regression", Sgd, 0.025, 300, None).status,
            MaxSteps
        );
        assert_eq!(
            go("linear-regression", Sgd, 0.025, 5000, None).converged_at,
            Some(1062)
        );
        // Standardised: H = 2I (to rounding), so 2/λmax = 1.
        let std = surface::by_name("linear-regression-std").unwrap();
        let h = std.hessian(std.start());
        assert!(
            (h[0][0] - 2.0).abs() < 1e-14 && (h[1][1] - 2.0).abs() < 1e-14 && h[0][1].abs() < 1e-14
        );
        let c = critical(std.as_ref(), std.start(), Sgd, 0.0).unwrap();
        assert!((c.lr - 1.0).abs() < 1e-14);
        assert_eq!(
            go("linear-regression-std", Sgd, 0.025, 5000, None).converged_at,
            Some(315)
        );
        assert_eq!(
            go("linear-regression-std", Sgd, 0.5, 300, None).converged_at,
            Some(1)
        );
    }

    #[test]
    fn lesson_saddle_claims_hold() {
        lesson_has(
            "saddle",
            &[
                r#""surface":"saddle""#,
                r#""lr":0.05"#,
                r#""steps":120"#,
                r#""start":[-1.5,0.001]"#,
            ],
            &["lingers", "geometrically", "5e-6"],
        );
        let s = surface::by_name("saddle").unwrap();
        assert_eq!(s.gradient([0.0, 0.0]), [0.0, 0.0]);
        let t = go("saddle", Sgd, 0.05, 120, Some([-1.5, 0.001]));
        // Slides in: within 0.05 of the saddle, and within 0.1 for 23 steps.
        let nearest = t
            .points
            .iter()
            .map(|&p| linalg::norm(p))
            .fold(f64::INFINITY, f64::min);
        assert!(nearest < 0.05, "{nearest}");
        assert_eq!(
            t.points.iter().filter(|&&p| linalg::norm(p) < 0.1).count(),
            23
        );
        // y grows by 1 + 2γ = 1.1 a step, and the path leaves the view at step 80.
        for w in t.points.windows(2) {
            assert!((w[1][1] / w[0][1] - 1.1).abs() < 1e-12);
        }
        assert_eq!(
            t.points.iter().position(|&p| !s.view().contains(p)),
            Some(80)
        );
        // From y = 0 exactly: x shrinks by 0.9 a step, y stays 0.
        let t = go("saddle", Sgd, 0.05, 120, Some([-1.5, 0.0]));
        assert_eq!(t.last()[1], 0.0);
        assert_eq!(short(t.last()[0].abs()), "4.84e-6");
    }

    #[test]
    fn lesson_local_minima_claims_hold() {
        lesson_has(
            "local-minima",
            &[
                r#""surface":"double-well""#,
                r#""steps":300"#,
                r#"{"optimizer":"sgd","lr":0.02}"#,
                r#"{"optimizer":"momentum","lr":0.02,"momentum":0.9}"#,
            ],
            &["μ = 0.9 and γ = 0.02", "from 0.038", "from 0.066"],
        );
        let s = surface::by_name("double-well").unwrap();
        let (global, local) = (s.minima()[0], s.minima()[1]);
        assert!(global.global && global.at[0] < 0.0 && !local.global && local.at[0] > 0.0);
        assert!(global.value < local.value && s.start()[0] > 0.0);
        let sgd = go("double-well", Sgd, 0.02, 300, None);
        assert!(dist(sgd.last(), local.at) < 1e-5);
        let momentum = go("double-well", Momentum, 0.02, 300, None);
        assert_eq!(momentum.status, Converged);
        assert!(dist(momentum.last(), global.at) < 1e-6);
        // Which well momentum ends in, as γ rises.
        let well = |lr| go("double-well", Momentum, lr, 300, None).last()[0] < 0.0;
        for (lr, left) in [
            (0.005, true),
            (0.037, true),
            (0.038, false),
            (0.065, false),
            (0.066, true),
        ] {
            assert_eq!(well(lr), left, "γ = {lr}");
        }
    }

    #[test]
    fn lesson_plateau_claims_hold() {
        lesson_has(
            "plateau",
            &[
                r#""steps":1000"#,
                r#"{"optimizer":"sgd","lr":0.3}"#,
                r#"{"optimizer":"adam","lr":0.05}"#,
            ],
            &[
                "below 0.001",
                "γ = 0.3",
                "from γ to 1.6γ",
                "0.3 × 0.00084",
                "about 70 steps",
            ],
        );
        let s = surface::by_name("plateau").unwrap();
        let g = linalg::norm(s.gradient(s.start()));
        assert_eq!(short(g), "8.44e-4");
        // SGD moves 0.41 of the 5.7 to the well in 1000 steps.
        let sgd = go("plateau", Sgd, 0.3, 1000, None);
        assert!(dist(sgd.last(), s.start()) < 0.42 && sgd.losses[1000] > 0.99);
        // Adam: each coordinate moves by γ at first, by at most 1.6γ as it speeds up across the
        // plateau (first along x, whose step shrinks last); below 0.01 at step 68.
        let adam = go("plateau", Adam, 0.05, 1000, None);
        let along_x = adam.points[..61]
            .windows(2)
            .map(|w| (w[1][0] - w[0][0]).abs() / 0.05);
        assert!(along_x.clone().all(|r| (0.9999..1.62).contains(&r)));
        assert!(along_x.fold(0.0, f64::max) > 1.6);
        assert_eq!(adam.losses.iter().position(|&l| l < 0.01), Some(68));
    }

    #[test]
    fn lesson_noise_claims_hold() {
        lesson_has(
            "noise",
            &[
                r#""surface":"linear-regression-std""#,
                r#""steps":150"#,
                r#"{"optimizer":"sgd","lr":0.05,"variant":"batch"}"#,
                r#"{"optimizer":"sgd","lr":0.05,"variant":"minibatch","batch":10}"#,
                r#"{"optimizer":"sgd","lr":0.05,"variant":"stochastic"}"#,
            ],
            &["mini-batches of 10", "same γ"],
        );
        let s = surface::by_name("linear-regression-std").unwrap();
        let m = s.minima()[0].at;
        let go = |variant, lr, steps| lesson_run(s.as_ref(), Sgd, lr, steps, None, variant);
        let full = go(crate::Variant::Batch, 0.05, 150);
        // The root-mean-square distance of a path from the full batch's, step by step.
        let wander = |t: &run::Trajectory| {
            let n = t.points.len() as f64;
            let sq = t
                .points
                .iter()
                .zip(&full.points)
                .map(|(&a, &b)| dist(a, b).powi(2));
            (sq.sum::<f64>() / n).sqrt()
        };
        let mini = go(crate::Variant::MiniBatch, 0.05, 150);
        let one = go(crate::Variant::Stochastic, 0.05, 150);
        assert!(0.0 < wander(&mini) && wander(&mini) < wander(&one));
        // The full batch ends at the minimum (7e-7); the noisy ones do not settle there.
        assert!(dist(full.last(), m) < 1e-6);
        for t in [&mini, &one] {
            assert_eq!(t.status, MaxSteps);
            assert!(dist(t.last(), m) > 1e-3);
        }
        // A smaller γ (over proportionally more steps) wanders less.
        let slow = go(crate::Variant::MiniBatch, 0.005, 1500);
        assert!(dist(slow.last(), m) < dist(mini.last(), m));
    }

    #[test]
    fn lesson_momentum_claims_hold() {
        lesson_has(
            "momentum",
            &[
                r#""surface":"rosenbrock""#,
                r#""steps":1000"#,
                r#"{"optimizer":"sgd","lr":0.001}"#,
                r#"{"optimizer":"momentum","lr":0.001,"momentum":0.9}"#,
            ],
            &["tiny steps", "much faster", "overshoot across it"],
        );
        let sgd = go("rosenbrock", Sgd, 0.001, 1000, None);
        let momentum = go("rosenbrock", Momentum, 0.001, 1000, None);
        let mean_step = |t: &run::Trajectory| {
            t.points[100..]
                .windows(2)
                .map(|w| dist(w[0], w[1]))
                .sum::<f64>()
                / 900.0
        };
        assert!(mean_step(&sgd) < 0.002);
        // Momentum ends 0.011 from the minimum (1, 1), SGD 1.1.
        assert!(dist(momentum.last(), [1.0, 1.0]) < 0.012 && dist(sgd.last(), [1.0, 1.0]) > 1.1);
        // Crossing the valley floor y = x²: 22 times for momentum, twice for SGD.
        let crossings = |t: &run::Trajectory| {
            let side = |p: Vec2| p[1] > p[0] * p[0];
            t.points
                .windows(2)
                .filter(|w| side(w[0]) != side(w[1]))
                .count()
        };
        assert_eq!((crossings(&momentum), crossings(&sgd)), (22, 2));
    }

    #[test]
    fn lesson_adam_vs_sgd_claims_hold() {
        lesson_has(
            "adam-vs-sgd",
            &[
                r#""surface":"beale""#,
                r#""steps":500"#,
                r#""start":[1,1]"#,
                r#"{"optimizer":"sgd","lr":0.004}"#,
                r#"{"optimizer":"adam","lr":0.05}"#,
            ],
            &[
                "(3, 0.5)",
                "f ≈ 0.02",
                "γ = 0.1",
                "step 3",
                "within 0.001",
                "f ≈ 2e-8",
            ],
        );
        let s = surface::by_name("beale").unwrap();
        assert_eq!(s.minima()[0].at, [3.0, 0.5]);
        // Flat floor, steep walls: curvatures 0.3 and 49 at the minimum.
        let (lo, hi) = linalg::sym_eigenvalues(s.hessian([3.0, 0.5]));
        assert!(hi / lo > 100.0);
        let sgd = go("beale", Sgd, 0.004, 500, Some([1.0, 1.0]));
        assert_eq!(
            (sgd.status, short(sgd.losses[500])),
            (MaxSteps, "0.01956".into())
        );
        let wall = go("beale", Sgd, 0.1, 500, Some([1.0, 1.0]));
        assert_eq!(wall.status, Diverged { step: 3 });
        let adam = go("beale", Adam, 0.05, 500, Some([1.0, 1.0]));
        assert!(dist(adam.last(), [3.0, 0.5]) < 1e-3);
        assert_eq!(short(adam.losses[500]), "2.42e-8");
    }

    #[test]
    fn lesson_collinear_claims_hold() {
        lesson_has(
            "collinear",
            &[
                r#""surface":"collinear""#,
                r#""lr":0.01"#,
                r#""steps":1000"#,
                r#""start":[0,0]"#,
            ],
            &["θ₁ + θ₂ = 1", "along (1, 1)", "(0.5, 0.5)"],
        );
        let s = surface::by_name("collinear").unwrap();
        for t in [0.0, 0.3, 1.0, 4.0] {
            assert!(s.value([t, 1.0 - t]) < 1e-28);
        }
        let t = go("collinear", Sgd, 0.01, 1000, Some([0.0, 0.0]));
        assert!(t.points.iter().all(|p| p[0] == p[1]));
        assert_eq!(t.status, Converged);
        assert!(dist(t.last(), [0.5, 0.5]) < 1e-9);
    }

    #[test]
    fn lesson_ridge_claims_hold() {
        lesson_has(
            "ridge",
            &[r#""surface":"ridge""#, r#""lr":0.1"#, r#""steps":200"#],
            &[
                "straight line",
                "circles at every λ",
                "2(1 + λ)",
                "73 steps at λ = 0",
                "46 at λ = 0.5",
                "one at λ = 4",
                "beyond λ = 9",
                "by step 32",
            ],
        );
        let at = |lambda: f64| with_param("ridge", "lambda", lambda);
        let ls = at(0.0).minima()[0].at;
        let mut fit = 0.0;
        for (lambda, converged_at) in [(0.0, 73), (0.5, 46), (1.0, 33), (4.0, 1)] {
            let s = at(lambda);
            let m = s.minima()[0].at;
            // On the line from the least-squares fit to the origin: m = fit/(1 + λ).
            assert!(dist(m, [ls[0] / (1.0 + lambda), ls[1] / (1.0 + lambda)]) < 1e-12);
            // A worse fit: the squared error alone grows with λ.
            let error = s.value(m) - lambda * (m[0] * m[0] + m[1] * m[1]);
            assert!(error >= fit);
            fit = error;
            // Circles: H = 2(1 + λ)I.
            let h = s.hessian(s.start());
            assert!((h[0][0] - 2.0 * (1.0 + lambda)).abs() < 1e-12 && h[0][1].abs() < 1e-14);
            assert!((h[0][0] - h[1][1]).abs() < 1e-14, "λ = {lambda}");
            let t = lesson_run(s.as_ref(), Sgd, 0.1, 200, None, crate::Variant::Batch);
            assert_eq!(t.converged_at, Some(converged_at), "λ = {lambda}");
        }
        // At λ = 9, γ = 0.1 is exactly 2/λmax = 1/(1 + λ); beyond it the swings grow.
        let s = at(9.0);
        assert_eq!(critical(s.as_ref(), s.start(), Sgd, 0.0).unwrap().lr, 0.1);
        let over = lesson_run(at(9.1).as_ref(), Sgd, 0.1, 200, None, crate::Variant::Batch);
        assert!(over.losses[200] > 1e3 * over.losses[0]);
        let s = at(10.0);
        let t = lesson_run(s.as_ref(), Sgd, 0.1, 200, None, crate::Variant::Batch);
        assert_eq!(t.status, Diverged { step: 32 });
    }

    #[test]
    fn lesson_lasso_claims_hold() {
        lesson_has(
            "lasso",
            &[r#""surface":"lasso""#, r#""lr":0.05"#, r#""steps":400"#],
            &["the slope is exactly 0", "jumps back and forth"],
        );
        let s = surface::by_name("lasso").unwrap();
        let m = s.minima()[0].at;
        assert_eq!(m[1], 0.0);
        // The penalty's slope along θ₁ is ±λ = ±4 however close to the axis: it jumps by 2λ.
        let (above, below) = (s.gradient([m[0], 1e-12])[1], s.gradient([m[0], -1e-12])[1]);
        assert!((above - below - 8.0).abs() < 1e-9, "{above} {below}");
        let t = go("lasso", Sgd, 0.05, 400, None);
        assert_eq!(t.status, MaxSteps);
        // It reaches the axis (|θ₁| < 0.2 by step 18) and crosses it again and again: 28 sign
        // changes in the last 100 steps, never further than 0.36 from it.
        assert_eq!(t.points.iter().position(|p| p[1].abs() < 0.2), Some(18));
        let tail = &t.points[300..];
        assert_eq!(
            tail.windows(2)
                .filter(|w| (w[0][1] < 0.0) != (w[1][1] < 0.0))
                .count(),
            28
        );
        assert!(tail.iter().all(|p| p[1].abs() < 0.36));
    }

    #[test]
    fn lesson_svm_claims_hold() {
        lesson_has(
            "svm",
            &[r#""surface":"svm""#, r#""lr":0.1"#, r#""steps":300"#],
            &[
                "on a kink",
                "no gradient vanishes",
                "300 steps",
                "with 3000",
                "half the γ (over 6000 steps) halves",
            ],
        );
        let s = surface::by_name("svm").unwrap();
        let m = s.minima()[0].at;
        // On a kink: the hinge of some example is exactly at its margin there.
        let kink = s
            .data()
            .unwrap()
            .x
            .iter()
            .zip(s.data().unwrap().x2.as_ref().unwrap());
        let margins: Vec<f64> = kink
            .zip(&s.data().unwrap().y)
            .map(|((x1, x2), y)| (2.0 * y - 1.0) * (x1 * m[0] + x2 * m[1]))
            .collect();
        assert!(
            margins.iter().any(|v| (v - 1.0).abs() < 1e-12),
            "{margins:?}"
        );
        assert!(linalg::norm(s.gradient(m)) > 0.01);
        // Still on its way after the lesson's 300 steps.
        let t = go("svm", Sgd, 0.1, 300, None);
        assert!(dist(t.last(), m) > 0.25);
        // The farthest from the minimum over the last `tail` of `steps` steps at γ.
        let jitter = |lr, steps, tail| {
            let t = go("svm", Sgd, lr, steps, None);
            assert_eq!(t.status, MaxSteps);
            t.points[steps - tail..]
                .iter()
                .map(|&p| dist(p, m))
                .fold(0.0, f64::max)
        };
        let (big, half) = (jitter(0.1, 3000, 1000), jitter(0.05, 6000, 2000));
        assert!((0.002..0.01).contains(&big), "{big}");
        assert!((0.4..0.6).contains(&(half / big)), "{half} / {big}");
    }

    #[test]
    fn lesson_tiny_nn_claims_hold() {
        lesson_has(
            "tiny-nn",
            &[r#""surface":"tiny-nn""#, r#""lr":0.1"#, r#""steps":600"#],
            &[
                "two mirrored minima",
                "saddle at the origin",
                "Try momentum or Adam",
            ],
        );
        let s = surface::by_name("tiny-nn").unwrap();
        let [a, b] = [s.minima()[0], s.minima()[1]];
        assert!(a.at == [-b.at[0], -b.at[1]] && a.value == b.value);
        assert_eq!(s.gradient([0.0, 0.0]), [0.0, 0.0]);
        let (lo, hi) = linalg::sym_eigenvalues(s.hessian([0.0, 0.0]));
        assert!(lo < 0.0 && hi > 0.0);
        // Saturated: 16 of the 20 examples have |tanh(w₁x)| > 0.9; the slope along w₁ is a
        // fifteenth of that along w₂.
        let start = s.start();
        let x = &s.data().unwrap().x;
        assert_eq!(
            x.iter()
                .filter(|&&v| (start[0] * v).tanh().abs() > 0.9)
                .count(),
            16
        );
        let g = s.gradient(start);
        assert!(g[0].abs() * 15.0 < g[1].abs());
        // w₂ first: from −2.5 to 1.3 in 20 steps while w₁ moves by 0.1; then w₁ creeps.
        let t = go("tiny-nn", Sgd, 0.1, 600, None);
        assert!(t.points[20][1] > 1.3 && (t.points[20][0] - start[0]).abs() < 0.1);
        assert_eq!(t.status, MaxSteps);
        // Then w₁ creeps down towards the minimum's 2.06: only to 2.64 by step 600.
        let w1: Vec<f64> = t.points[20..].iter().map(|p| p[0]).collect();
        assert!(w1.windows(2).all(|w| w[1] < w[0]) && w1[w1.len() - 1] > 2.6);
        let near = |t: &run::Trajectory| dist(t.last(), a.at).min(dist(t.last(), b.at));
        assert!(near(&t) > 0.5);
        for kind in [Momentum, Adam] {
            let t = go("tiny-nn", kind, 0.1, 600, None);
            assert_eq!(t.status, Converged, "{kind:?}");
            assert!(near(&t) < 1e-6);
        }
    }

    #[test]
    fn lesson_recommender_claims_hold() {
        lesson_has(
            "recommender",
            &[
                r#""surface":"recommender""#,
                r#""lr":0.02"#,
                r#""steps":400"#,
            ],
            &["u·v = r̄", "λ = 0.5", "±1.83", "saddle"],
        );
        // No penalty: every point of uv = r̄ has f at its minimum and no gradient.
        let free = with_param("recommender", "lambda", 0.0);
        let mean = free.data().unwrap().y.iter().sum::<f64>() / 12.0;
        for u in [0.5, 1.0, 2.0, -3.0] {
            let g = free.gradient([u, mean / u]);
            assert!(linalg::norm(g) < 1e-12, "{g:?}");
        }
        // λ = 0.5, the default: two minima u = v = ±√(r̄ − λ), a saddle at the origin.
        let s = surface::by_name("recommender").unwrap();
        let q = (mean - 0.5).sqrt();
        assert_eq!(short(q), "1.826");
        let minima = s.minima();
        assert_eq!(minima.len(), 2);
        assert!(dist(minima[0].at, [q, q]) < 1e-12 && dist(minima[1].at, [-q, -q]) < 1e-12);
        let (lo, hi) = linalg::sym_eigenvalues(s.hessian([0.0, 0.0]));
        assert!(lo < 0.0 && hi > 0.0 && s.gradient([0.0, 0.0]) == [0.0, 0.0]);
        // From (2.5, −2.45), near u = −v: the shortest step before the minimum is the one
        // passing the saddle (0.044 long, 0.3 from it), against 1.5 at the start.
        let start = s.start();
        assert!((start[0] + start[1]).abs() < 0.1);
        let t = go("recommender", Sgd, 0.02, 400, None);
        let (k, len) = (0..30)
            .map(|k| (k, dist(t.points[k], t.points[k + 1])))
            .fold((0, f64::INFINITY), |a, b| if b.1 < a.1 { b } else { a });
        assert!(len < 0.05 && linalg::norm(t.points[k]) < 0.31, "{k}: {len}");
        assert_eq!(t.status, Converged);
        assert!(dist(t.last(), [q, q]) < 1e-6);
    }

    /// A race lesson says which run the student drives (the selected one), by number and
    /// optimizer; a lesson of one run does not number it.
    #[test]
    fn race_lessons_name_the_run_the_slider_drives() {
        for l in lessons() {
            let state = l.state().unwrap();
            if state.runs().len() == 1 {
                assert!(!l.text.contains("(run 1)"), "{}", l.id);
                continue;
            }
            let k = state.selected() + 1;
            let drives = "The slider drives ";
            let at = l
                .text
                .find(drives)
                .unwrap_or_else(|| panic!("{}: {}", l.id, l.text));
            let rest = &l.text[at + drives.len()..];
            assert!(rest.contains(&format!("run {k}")), "{}: {rest}", l.id);
            let kind = state.run().optimizer;
            let named = [
                kind.name(),
                kind.title(),
                "mini-batch",
                "momentum",
                "Adam",
                "SGD",
            ];
            let sentence = &rest[..rest.find(')').unwrap_or(rest.len())];
            assert!(
                named.iter().any(|n| sentence.contains(n)),
                "{}: names the wrong run: {sentence}",
                l.id
            );
        }
        // The run it names is the selected one (noise: run 2 is the mini-batch run).
        let noise = lesson("noise").unwrap().state().unwrap();
        assert_eq!(noise.run().variant, crate::Variant::MiniBatch);
        let local = lesson("local-minima").unwrap().state().unwrap();
        assert_eq!(local.run().optimizer, OptimizerKind::Momentum);
    }

    #[test]
    fn lessons_have_unique_ids_and_text() {
        let mut ids: Vec<&str> = lessons().iter().map(|l| l.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), lessons().len());
        assert!(lessons().len() >= 9);
        for l in lessons() {
            assert!(l.text.len() > 80, "{}", l.id);
            // Every option a lesson sets is valid, and its runs run.
            let state = l.state().unwrap_or_else(|e| panic!("{}: {e}", l.id));
            state.compute().unwrap_or_else(|e| panic!("{}: {e}", l.id));
        }
    }

    /// Update `step` of `kind` at γ = `lr` (PyTorch's other defaults, μ = 0.9) on the ravine
    /// x² + 10y² from (1, 1), written out: ∇f = (2x, 20y), so g₁ = (2, 20).
    fn ravine_lines(kind: OptimizerKind, lr: f64, step: usize) -> Vec<String> {
        let s = surface::by_name("ravine").unwrap();
        let cfg = RunConfig {
            hyper: Hyper {
                lr,
                momentum: 0.9,
                ..Hyper::defaults(kind)
            },
            start: [1.0, 1.0],
            ..RunConfig::new(s.as_ref(), kind)
        };
        explain(s.as_ref(), &cfg, step).unwrap().lines
    }

    /// The next-update panel shows each optimizer's state before and after the update with the
    /// numbers a student can check by hand (values as in tests/optimizers.rs).
    #[test]
    fn momentum_steps_written_out_by_hand() {
        // Step 1: b = g = (2, 20), θ₁ = (0.98, 0.8); step 2: g = (1.96, 16),
        // b = 0.9·(2, 20) + (1.96, 16) = (3.76, 34), θ₂ = θ₁ − 0.01·b = (0.9424, 0.46).
        assert_eq!(
            ravine_lines(OptimizerKind::Momentum, 0.01, 1),
            [
                "g = ∇f(θ0) = (2, 20)",
                "b = g = (2, 20)   (first step)",
                "step = −γb = −0.01 × (2, 20) = (-0.02, -0.2)",
                "θ1 = θ0 + step = (1, 1) + (-0.02, -0.2) = (0.98, 0.8)",
            ]
        );
        assert_eq!(
            ravine_lines(OptimizerKind::Momentum, 0.01, 2),
            [
                "g = ∇f(θ1) = (1.96, 16)",
                "b = μb + g = 0.9 × (2, 20) + (1.96, 16) = (3.76, 34)",
                "step = −γb = −0.01 × (3.76, 34) = (-0.0376, -0.34)",
                "θ2 = θ1 + step = (0.98, 0.8) + (-0.0376, -0.34) = (0.9424, 0.46)",
            ]
        );
        // Nesterov looks ahead: d = g + μb = (2, 20) + 0.9·(2, 20) = (3.8, 38).
        assert_eq!(
            ravine_lines(OptimizerKind::Nesterov, 0.01, 1),
            [
                "g = ∇f(θ0) = (2, 20)",
                "b = g = (2, 20)   (first step)",
                "d = g + μb = (3.8, 38)",
                "step = −γd = −0.01 × d = (-0.038, -0.38)",
                "θ1 = θ0 + step = (1, 1) + (-0.038, -0.38) = (0.962, 0.62)",
            ]
        );
    }

    /// Adagrad's and RMSprop's running squares and per-coordinate rates at step 2. Step 1 moves
    /// both coordinates by 0.1 (to within ε), so g₂ = (1.8, 18), g₂² = (3.24, 324).
    #[test]
    fn adaptive_steps_written_out_by_hand() {
        // Adagrad, γ = 0.1: s = (4, 400) + (3.24, 324) = (7.24, 724); γ/√s = 0.1/2.6907 and
        // 0.1/26.907.
        let lines = ravine_lines(OptimizerKind::Adagrad, 0.1, 2);
        assert_eq!(
            lines[1],
            "s = s + g² = (4, 400) + (3.24, 324) = (7.24, 724)"
        );
        assert_eq!(lines[2], "γ/(√s + ε) = (0.03716, 0.003716) per coordinate");
        assert_eq!(lines[3], "step = −γg/(√s + ε) = (-0.0669, -0.0669)");
        // RMSprop, γ = 0.01, α = 0.99: v₁ = 0.01·g₁² = (0.04, 4), step 1 moves by γ/0.1 = 0.1;
        // v₂ = 0.99·(0.04, 4) + 0.01·(3.24, 324) = (0.072, 7.2); γ/√v = 0.01/0.26833.
        let lines = ravine_lines(OptimizerKind::Rmsprop, 0.01, 2);
        assert_eq!(
            lines[1],
            "v = αv + (1−α)g² = 0.99 × (0.04, 4) + 0.01 × (3.24, 324) = (0.072, 7.2)"
        );
        assert_eq!(lines[2], "γ/(√v + ε) = (0.03727, 0.003727) per coordinate");
        assert_eq!(lines[3], "step = −γg/(√v + ε) = (-0.06708, -0.06708)");
    }

    /// Adam's moments and their bias corrections at step 2 (γ = 0.1, β = (0.9, 0.999)):
    /// m = 0.9·(0.2, 2) + 0.1·(1.8, 18) = (0.36, 3.6), v = 0.999·(0.004, 0.4) + 0.001·(3.24, 324)
    /// = (0.007236, 0.7236); m̂ = m/0.19, v̂ = v/0.001999.
    #[test]
    fn adam_step_written_out_by_hand() {
        let lines = ravine_lines(OptimizerKind::Adam, 0.1, 2);
        assert_eq!(
            &lines[1..5],
            [
                "m = β₁m + (1−β₁)g = (0.36, 3.6)",
                "v = β₂v + (1−β₂)g² = (0.007236, 0.7236)",
                "m̂ = m/(1−β₁^2) = m/0.19 = (1.895, 18.95)",
                "v̂ = v/(1−β₂^2) = v/0.001999 = (3.62, 362)",
            ]
        );
        assert!(lines[5].starts_with("step = −γm̂/(√v̂ + ε) with γ = 0.1 = "));
    }
}
