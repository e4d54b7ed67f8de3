//! The lessons: presets of the whole state with a title and a few sentences for the student,
//! each sentence's claim checked against its run by a test below. A lesson's options are a
//! link's query, loaded over the defaults, so the menu, a `?lesson=` link and the tests load the
//! same state. Some lessons offer choices (other states one click away, such as the raw and the
//! standardised feature) and facts computed from their runs.

/// A preset: a title, a short explanation and the options it loads.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    /// Its id in the URL (`?lesson=ID`).
    pub id: &'static str,
    /// Its title in the menu.
    pub title: &'static str,
    /// Two or three sentences for the student; empty for Network mode's lessons, whose texts
    /// are in [`crate::netlessons`] (only the second module carries them).
    pub text: &'static str,
    /// The state it loads over the defaults, written as a link's query (the option names of
    /// `set()`; see `share`), so a lesson is exactly a link: the page, the URL and tests load it
    /// the same way.
    pub options: &'static str,
    /// Other states one click away (their options laid over the state shown), e.g. the raw
    /// and the standardised feature; empty for most lessons.
    pub choices: &'static [Choice],
    /// A question to answer about a state of the lesson, if it carries one.
    pub exercise: Option<Exercise>,
    /// The view below Network mode's charts the lesson opens, which its text is about:
    /// `landscape` (on the PCA plane), `ends` (the landscape on the plane through a race's
    /// ends), `sharpness`, or empty for none.
    pub opens: &'static str,
}

/// A lesson's exercise: the question (as `question=` writes it, see [`crate::exercise`]) and
/// the state it is asked about, laid over the lesson's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exercise {
    /// `converges`, `minimum`, `within:N` or `first:EPS`.
    pub question: &'static str,
    /// The options it lays over the lesson's state, as a link's query.
    pub options: &'static str,
}

/// A state a lesson offers beside its own: a button's label and the options it sets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choice {
    /// The button's text.
    pub label: &'static str,
    /// The options it lays over the state shown, as a link's query.
    pub options: &'static str,
}

impl Lesson {
    /// The state the lesson loads: its options over the defaults.
    pub fn state(&self) -> Result<Options, crate::Error> {
        crate::options::strict(&changes(self.options))
    }

    /// `state` with choice `index` laid over it, or `None` for no such choice.
    pub fn choose(&self, state: &Options, index: usize) -> Option<Result<Options, crate::Error>> {
        let choice = self.choices.get(index)?;
        Some(crate::options::strict_over(
            state.clone(),
            &changes(choice.options),
        ))
    }

    /// The lesson's state with its exercise's options laid over it, and the question; `None`
    /// for a lesson without one.
    pub fn exercise_state(
        &self,
    ) -> Option<Result<(Options, crate::exercise::Question), crate::Error>> {
        let e = self.exercise?;
        Some((|| {
            let state = crate::options::strict_over(self.state()?, &changes(e.options))?;
            Ok((state, crate::exercise::Question::parse(e.question)?))
        })())
    }

    /// The choice `state` shows: the first whose options change nothing in it.
    pub fn chosen(&self, state: &Options) -> Option<usize> {
        (0..self.choices.len())
            .find(|&i| matches!(self.choose(state, i), Some(Ok(s)) if s == *state))
    }

    /// The lesson's text with what its runs compute (the feature-scaling lesson's step counts);
    /// empty for Network mode's lessons (see [`crate::netlessons::text`]).
    pub fn full_text(&self) -> String {
        match facts(self) {
            Some(f) => format!("{} {f}", self.text),
            None => self.text.to_string(),
        }
    }
}

/// A link query as option changes.
fn changes(query: &str) -> Vec<(String, crate::options::Value)> {
    crate::share::changes(&crate::share::parse_query(query))
}

/// What a lesson's runs compute, in a sentence: for the feature-scaling lesson, how many steps
/// each choice needs to converge at the learning rate it sets.
fn facts(lesson: &Lesson) -> Option<String> {
    if lesson.id != "ravine" {
        return None;
    }
    let base = lesson.state().ok()?;
    let steps = |i: usize| -> Option<(usize, f64)> {
        // Within the lesson's own steps (the page computes this sentence as it loads).
        let s = lesson.choose(&base, i)?.ok()?;
        let (_, runs) = s.compute().ok()?;
        Some((runs[0].converged_at?, s.run().hyper.lr))
    };
    let ((raw, raw_lr), (std, std_lr)) = (steps(0)?, steps(1)?);
    Some(format!(
        "Computed from the runs: at γ = {}, the raw feature converges (‖∇f‖ below 1e-6 from then on) at step {raw}; at γ = {}, the standardised one at step {std}, {} times fewer.",
        crate::format::short(raw_lr),
        crate::format::short(std_lr),
        (raw as f64 / std as f64).round()
    ))
}

use crate::options::Options;

/// Every lesson, in menu order.
pub fn lessons() -> &'static [Lesson] {
    &LESSONS
}

static LESSONS: [Lesson; 28] = [
    Lesson {
        id: "overshoot",
        title: "Overshoot on a bowl",
        text: "Booth's function is a quadratic bowl whose steepest direction has curvature λ = 18, so plain gradient descent is stable only for γ < 2/18 ≈ 0.111 (the mark on the slider). Drag the learning rate past it: the path zig-zags across the valley with swings that grow at every step. Just past the mark they grow slowly (at γ = 0.113 the loss ends 800 times higher than it started); from γ = 0.115 the run diverges within its 100 steps.",
        choices: &[],
        options: "surface=booth&lr=0.1&steps=100",
        exercise: Some(Exercise {
            question: "converges",
            options: "lr=0.12",
        }),
        opens: "",
    },
    Lesson {
        id: "ravine",
        title: "Feature scaling: the ravine and its cure",
        text: "Linear regression on a raw feature between 0 and 10 has Hessian eigenvalues 0.53 and 77, a ratio of about 145: its contours are a long, thin ravine, and a learning rate safe for the steep direction (below 2/77 ≈ 0.026, the mark on the slider) crawls along the flat one. Standardise the feature (subtract its mean, divide by its spread) and the contours become circles with curvature 2 in every direction, so γ may go up to 2/2 = 1. Switch between the two below: each runs at 90% of its own critical rate.",
        choices: &[
            Choice {
                label: "Raw feature (0 to 10)",
                options: "surface=linear-regression&lr=0.0234",
            },
            Choice {
                label: "Standardised feature",
                options: "surface=linear-regression-std&lr=0.9",
            },
        ],
        options: "surface=linear-regression&lr=0.0234&steps=1500",
        exercise: Some(Exercise {
            question: "within:20",
            options: "surface=linear-regression-std&lr=0.05&steps=200",
        }),
        opens: "",
    },
    Lesson {
        id: "saddle",
        title: "Saddle points",
        text: "At a saddle the gradient vanishes although it is no minimum. Started almost on the ridge y = 0, gradient descent first slides towards the saddle and lingers there, then the tiny y component grows geometrically and it escapes. Put the start exactly on y = 0 and it runs straight into the saddle and stays: after the 120 steps it is 5e-6 from it, with no y component to escape with.",
        choices: &[],
        options: "surface=saddle&lr=0.05&steps=120&start=-1.5,0.001",
        exercise: Some(Exercise {
            question: "converges",
            options: "start=-1.5,0&steps=300",
        }),
        opens: "",
    },
    Lesson {
        id: "newton",
        title: "Newton's method: one step to the bottom, or to the saddle",
        text: "Newton's method steps by H⁻¹∇f, straight to where the quadratic model of f has zero gradient. Booth's bowl is exactly quadratic, so Newton lands on its minimum (1, 3) in step 1, where gradient descent at γ = 0.1 converges at step 86. Choose the saddle x² − y² below: the model's stationary point is the saddle itself: Newton jumps onto (0, 0) in one step and stays there (its status says converged, since ∇f = 0), while gradient descent slides off along y and leaves the view at step 30. The slider drives Newton's method (run 2): γ scales its step, and at γ = 0.5 every step halves the distance to where it is heading.",
        choices: &[
            Choice {
                label: "Booth's bowl",
                options: "surface=booth",
            },
            Choice {
                label: "The saddle x² − y²",
                options: "surface=saddle",
            },
        ],
        options: "surface=booth&steps=100&runs=lr:0.1;optimizer:newton,lr:1&selected=1",
        exercise: None,
        opens: "",
    },
    Lesson {
        id: "local-minima",
        title: "Local minima",
        text: "The double well has a global minimum on the left and a worse local one on the right. Plain gradient descent from the right settles in the local one; momentum with μ = 0.9 and γ = 0.02 carries enough speed over the hump to reach the better minimum. The slider drives momentum (run 2): raise γ, and from 0.038 momentum ends in the local well instead, and from 0.066 in the global one again, with no warning which.",
        choices: &[],
        options: "surface=double-well&steps=300&runs=lr:0.02;optimizer:momentum,lr:0.02,momentum:0.9&selected=1",
        exercise: Some(Exercise {
            question: "minimum",
            options: "runs=lr:0.02;optimizer:momentum,lr:0.05,momentum:0.9&selected=1",
        }),
        opens: "",
    },
    Lesson {
        id: "plateau",
        title: "Plateaus and vanishing gradients",
        text: "Far from its well this surface is almost flat: the gradient is below 0.001, so plain gradient descent with γ = 0.3 barely moves in a thousand steps. Adam divides by the gradient's own scale, so each coordinate's step is about γ wherever it is (from γ to 1.6γ on the way), against 0.3 × 0.00084 for SGD at the start: it crosses the plateau in about 70 steps. The slider drives Adam (run 2); choose SGD in the legend to drive it instead.",
        choices: &[],
        options: "surface=plateau&steps=1000&runs=lr:0.3;optimizer:adam,lr:0.05&selected=1",
        exercise: None,
        opens: "",
    },
    Lesson {
        id: "noise",
        title: "Batch, mini-batch and stochastic",
        text: "The same regression, three ways: the full batch follows the exact gradient, mini-batches of 10 examples wander around it, and one example per step is noisiest. All three start with the same γ. The slider drives the mini-batch run (run 2; choose another in the legend), and at this constant γ none of the noisy ones settles exactly at the minimum: that takes a γ that shrinks under a schedule (see “A shrinking learning rate settles the noise”).",
        choices: &[],
        options: "surface=linear-regression-std&steps=150&runs=lr:0.05;lr:0.05,variant:minibatch,batch:10;lr:0.05,variant:stochastic&selected=1",
        exercise: Some(Exercise {
            question: "converges",
            options: "selected=2",
        }),
        opens: "",
    },
    Lesson {
        id: "decay",
        title: "A shrinking learning rate settles the noise",
        text: "Stochastic gradient descent on one example per step never settles with a constant γ: at γ = 0.05 it is still jumping around the minimum after 300 steps, up to 0.44 from it over the last 50. The same run under cosine annealing (torch's CosineAnnealingLR, γ falling from 0.05 to 0 over the 300 steps) takes the same early steps but ever shorter late ones, and over its last 50 steps stays within 0.04 of the minimum. The slider drives annealed SGD (run 2): it sets the γ the cosine starts from.",
        choices: &[],
        options: "surface=linear-regression-std&steps=300&runs=lr:0.05,variant:stochastic;lr:0.05,variant:stochastic,schedule:cosine:t_max=300&selected=1",
        exercise: None,
        opens: "",
    },
    Lesson {
        id: "warmup",
        title: "Warm-up: easing into a large learning rate",
        text: "Matrix factorisation's surface is steep where this run starts and flatter at its minima: 2/λmax is 0.044 at the start but 0.15 at the minimum. At a constant γ = 0.1 the first steps overshoot and the run diverges at step 5. A linear warm-up (torch's LinearLR, γ rising from 0.1γ to γ over the first 50 steps) keeps γ below 2/λmax all along the path, as the learning-rate strip shows, and converges at step 70 in the minimum (1.83, 1.83). The slider drives the warmed-up SGD (run 2): with the warm-up, γ up to 0.15 converges.",
        choices: &[],
        options: "surface=recommender&steps=300&runs=lr:0.1;lr:0.1,schedule:linear:start_factor=0.1,total_iters=50&selected=1",
        exercise: None,
        opens: "",
    },
    Lesson {
        id: "lr-range",
        title: "A learning-rate range test",
        text: "A learning-rate range test is one run whose γ grows every step, here by 10% from 1e-5 (torch's ExponentialLR with gamma = 1.1), read as loss against γ. On Booth's bowl the loss falls fastest (8-fold in one step) at γ ≈ 0.32, turns upward at γ ≈ 0.39 and passes its starting value at γ ≈ 0.70, diverging at step 120. Yet the stable limit 2/λmax = 2/18 ≈ 0.111 was crossed already at step 99 (the grey line on the learning-rate strip): by then the error along the steep direction was about 1e-10, and growing back from so little took 13 more steps. Read a range test with care, and choose γ well below where its loss turns.",
        choices: &[],
        options: "surface=booth&lr=0.00001&steps=150&schedule=exponential:gamma=1.1",
        exercise: None,
        opens: "",
    },
    Lesson {
        id: "clipping",
        title: "Clipping an exploding gradient",
        text: "On the double well's outer wall the gradient grows like 4x³: at the start (2, 1) it is 24 long, so at γ = 0.2 the first step jumps 4.9, to x = −2.86 on the far wall, where the gradient is 82 long; the next jump lands at x = 13.5 and the run diverges at step 3. Clipping the gradient to norm 1 (torch's clip_grad_norm_) caps every step at γ·1 = 0.2 long (exactly that while ‖∇f‖ > 1): the clipped run walks down the wall and converges at step 34 in the right-hand (local) minimum (0.96, 0). The slider drives the clipped SGD run (run 2).",
        choices: &[],
        options: "surface=double-well&steps=200&start=2,1&runs=lr:0.2;lr:0.2,clip_norm:1&selected=1",
        exercise: None,
        opens: "",
    },
    Lesson {
        id: "momentum",
        title: "Momentum on Rosenbrock",
        text: "In Rosenbrock's curved valley plain gradient descent takes tiny steps along the valley floor. Momentum accumulates the consistent part of the gradient and travels along the valley much faster, at the price of some overshoot across it. The slider drives momentum (run 2): raise γ and watch the overshoot grow.",
        choices: &[],
        options: "surface=rosenbrock&steps=1000&runs=lr:0.001;optimizer:momentum,lr:0.001,momentum:0.9&selected=1",
        exercise: None,
        opens: "",
    },
    Lesson {
        id: "adam-vs-sgd",
        title: "Adam versus SGD",
        text: "Beale's valley to the minimum at (3, 0.5) has a flat floor and steep walls. The slider drives SGD (run 1). SGD's step is proportional to the gradient: at γ = 0.004 it is still short of the minimum after 500 steps (f ≈ 0.02), and at γ = 0.1 a wall throws it out at step 3. Adam scales each coordinate's step by the gradient's running size and comes within 0.001 of the minimum (f ≈ 2e-8).",
        choices: &[],
        options: "surface=beale&steps=500&start=1,1&runs=lr:0.004;optimizer:adam,lr:0.05",
        exercise: Some(Exercise {
            question: "first:1e-6",
            options: "",
        }),
        opens: "",
    },
    Lesson {
        id: "adamw",
        title: "Adam or AdamW: where weight decay leaves you",
        text: "Weight decay λ = 0.5 on Booth's bowl (minimum (1, 3)), two ways. Adam's weight_decay adds λθ to the gradient, so Adam comes to rest where ∇f + λθ = 0, the minimum of f + 0.25‖θ‖²: (1.15, 2.75). AdamW instead shrinks θ by γλθ each step, outside the division by √v, and rests where that shrink cancels Adam's step, which is at most about γ per coordinate: no coordinate can rest beyond 1/λ = 2, and AdamW ends at (1.80, 2.00), f's lowest point with |x|, |y| ≤ 2. The slider drives AdamW (run 2); both use β₂ = 0.95, so that √v soon forgets the start's steep gradients (with torch's default 0.999, AdamW is still far from (1.80, 2.00) after these 2000 steps).",
        choices: &[],
        options: "surface=booth&steps=2000&runs=optimizer:adam,lr:0.02,beta2:0.95,weight_decay:0.5;optimizer:adamw,lr:0.02,beta2:0.95,weight_decay:0.5&selected=1",
        exercise: None,
        opens: "",
    },
    Lesson {
        id: "lbfgs",
        title: "L-BFGS versus Adam on Rosenbrock",
        text: "L-BFGS builds a picture of the curvature from its last steps and picks each step's length by a strong-Wolfe line search: on Rosenbrock's curved valley it is within 0.001 of the minimum (1, 1) at step 33. After step 34 (f ≈ 4e-10) it stops moving, as torch's LBFGS does once the slope along its direction is above −1e-9 (tolerance_change), so its status says not converged: ‖∇f‖ is still 3.6e-4. Adam at γ = 0.1 first comes within 0.001 of (1, 1) at step 1220, 37 times as many steps (and L-BFGS's line search evaluates f and ∇f only 1.2 times per step on average). The slider drives Adam (run 2).",
        choices: &[],
        options: "surface=rosenbrock&steps=2000&runs=optimizer:lbfgs,lr:1,line_search:strong_wolfe;optimizer:adam,lr:0.1&selected=1",
        exercise: Some(Exercise {
            question: "first:1e-6",
            options: "",
        }),
        opens: "",
    },
    Lesson {
        id: "collinear",
        title: "Collinear features: a valley of minima",
        text: "Two identical features make every θ with θ₁ + θ₂ = 1 a perfect fit, a whole valley of minima. Gradient descent from (0, 0) only ever moves along (1, 1), so it ends at (0.5, 0.5), the minimum closest to the start; printouts of ≈ (0.9994, 0.9993) for this example are wrong.",
        choices: &[],
        options: "surface=collinear&lr=0.01&steps=1000&start=0,0",
        exercise: None,
        opens: "",
    },
    Lesson {
        id: "ridge",
        title: "Ridge: a penalty pulls the minimum in",
        text: "Ridge regression adds λ‖θ‖² to the squared error. Raise lambda (under the surface menu) and watch the star slide along a straight line towards the origin: the penalty trades a worse fit for smaller weights. The feature is standardised, so the contours are circles at every λ, but steeper ones: the curvature 2(1 + λ) grows, and at γ = 0.1 gradient descent converges faster (73 steps at λ = 0, 46 at λ = 0.5, one at λ = 4) until γ passes 2/λmax = 1/(1 + λ): beyond λ = 9 it overshoots, and at λ = 10 it diverges by step 32.",
        choices: &[],
        options: "surface=ridge&lr=0.1&steps=200",
        exercise: None,
        opens: "",
    },
    Lesson {
        id: "lasso",
        title: "Lasso: reaching an axis, and chattering there",
        text: "The L1 penalty λ(|θ₀| + |θ₁|) has a kink on each axis, and here the minimum sits on one: the slope is exactly 0. Plain (sub)gradient descent, using sign(0) = 0, reaches the axis and then jumps back and forth across it, because the subgradient never shrinks near a kink. At a constant γ it never settles; a schedule that shrinks γ does (cosine annealing over the 400 steps ends 0.0005 from the axis), and so would a proximal step.",
        choices: &[],
        options: "surface=lasso&lr=0.05&steps=400",
        exercise: None,
        opens: "",
    },
    Lesson {
        id: "svm",
        title: "SVM: the hinge loss",
        text: "A linear classifier's hinge loss is zero beyond the margin and grows linearly inside it, so the data term is stitched from flat and sloped pieces along straight kink lines, under the penalty's shallow bowl λ‖w‖². The minimum sits on a kink, where no gradient vanishes: at a constant γ gradient descent never settles but jitters around it at a size set by γ. In these 300 steps it is still on its way; with 3000 it jitters a few thousandths from the minimum, and half the γ (over 6000 steps) halves that. A schedule that shrinks γ settles it: under cosine annealing the 3000 steps end within 0.001 of the minimum.",
        choices: &[],
        options: "surface=svm&lr=0.1&steps=300",
        exercise: None,
        opens: "",
    },
    Lesson {
        id: "tiny-nn",
        title: "A tiny neural network",
        text: "ŷ = w₂·tanh(w₁x) has two mirrored minima, because flipping both signs gives the same network, and a saddle at the origin between them. Started where the tanh saturates, the gradient along w₁ is nearly zero: the path first fixes w₂, then slowly turns towards a minimum. Try momentum or Adam.",
        choices: &[],
        options: "surface=tiny-nn&lr=0.1&steps=600",
        exercise: None,
        opens: "",
    },
    Lesson {
        id: "recommender",
        title: "A recommender in two numbers",
        text: "Matrix factorisation predicts a rating as the product u·v of a user factor and an item factor. Without a penalty every pair with u·v = r̄ (the mean rating) fits equally well, a whole hyperbola of minima; the penalty λ(u² + v²), λ = 0.5 here, leaves two separate bowls at u = v = ±1.83, and (0, 0) is a saddle where the gradient vanishes. Started near the line u = −v, gradient descent slows down as it passes the saddle, then turns to one of the two minima.",
        choices: &[],
        options: "surface=recommender&lr=0.02&steps=400",
        exercise: Some(Exercise {
            question: "minimum",
            options: "",
        }),
        opens: "",
    },
    Lesson {
        id: "spiral",
        title: "A real network: Adam, SGD and overfitting on the spiral",
        text: "",
        choices: &[],
        options: "mode=network&dataset=spiral&hidden=8,8&steps=1000&runs=optimizer:sgd,lr:0.5;optimizer:adam,lr:0.01&selected=1",
        exercise: None,
        opens: "",
    },
    Lesson {
        id: "batch-size",
        title: "Mini-batches: noisy steps, more progress for the work",
        text: "",
        choices: &[
            Choice {
                label: "γ = 0.5",
                options: "runs=optimizer:sgd,lr:0.5;optimizer:sgd,lr:0.5,variant:minibatch,batch:8&selected=1",
            },
            Choice {
                label: "γ = 0.3",
                options: "runs=optimizer:sgd,lr:0.3;optimizer:sgd,lr:0.3,variant:minibatch,batch:8&selected=1",
            },
        ],
        options: "mode=network&steps=1000&runs=optimizer:sgd,lr:0.5;optimizer:sgd,lr:0.5,variant:minibatch,batch:8&selected=1",
        exercise: None,
        opens: "sharpness",
    },
    Lesson {
        id: "net-plateau",
        title: "A network's plateau: SGD leaves it for less work, not by its noise",
        text: "",
        choices: &[],
        options: "mode=network&dataset=blobs&hidden=8,8,8&activation=sigmoid&steps=1000&runs=optimizer:sgd,lr:0.5;optimizer:sgd,lr:0.5,variant:minibatch,batch:8&selected=1",
        exercise: None,
        opens: "",
    },
    Lesson {
        id: "schedule-settles",
        title: "A schedule settles a network's noisy training",
        text: "",
        choices: &[],
        options: "mode=network&steps=1000&runs=optimizer:sgd,lr:3,variant:minibatch,batch:8;optimizer:sgd,lr:3,variant:minibatch,batch:8,schedule:cosine:t_max=1000&selected=1",
        exercise: None,
        opens: "",
    },
    Lesson {
        id: "landscape",
        title: "A network's loss landscape: two directions, no barrier",
        text: "",
        choices: &[],
        options: "mode=network&optimizer=adam&lr=0.02&steps=300",
        exercise: None,
        opens: "landscape",
    },
    Lesson {
        id: "edge-of-stability",
        title: "The edge of stability: a network's curvature meets 2/γ",
        text: "",
        choices: &[],
        options: "mode=network&dataset=sine&hidden=16,16&optimizer=sgd&lr=0.2&steps=3000",
        exercise: None,
        opens: "sharpness",
    },
    Lesson {
        id: "two-basins",
        title: "Two optimizers, two basins",
        text: "",
        choices: &[],
        options: "mode=network&steps=300&runs=optimizer:sgd,lr:0.5;optimizer:adam,lr:0.02",
        exercise: None,
        opens: "ends",
    },
];

/// The lesson with this id.
pub fn lesson(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::short;
    use crate::linalg::{self, Vec2};
    use crate::optim::OptimizerKind;
    use crate::run::{self, run, RunConfig};
    use crate::surface::{self, Surface};
    use crate::teach::{critical, threshold};
    use crate::Hyper;

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
                "schedule" => r.schedule.spec(),
                "clip_norm" => r
                    .clip
                    .norm
                    .map_or("none".into(), crate::format::format_number),
                h => crate::optim::HyperName::ALL
                    .into_iter()
                    .find(|n| n.name() == h)
                    .map(|n| r.hyper.get(n).text())
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
        let text = said(l);
        for t in says {
            assert!(text.contains(t), "{id} says {t}: {text}");
        }
    }

    /// What the page shows for lesson `l`: its text, or Network mode's from its own module.
    fn said(l: &Lesson) -> String {
        crate::netlessons::text(l.id).map_or_else(|| l.full_text(), str::to_string)
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
            &[
                r#""surface":"linear-regression""#,
                r#""lr":0.0234"#,
                r#""steps":1500"#,
            ],
            &[
                "0.53 and 77",
                "about 145",
                "2/77 ≈ 0.026",
                "curvature 2 in every direction",
                "2/2 = 1",
                "90% of its own critical rate",
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
        // Standardised: H = 2I (to rounding), so 2/λmax = 1.
        let std = surface::by_name("linear-regression-std").unwrap();
        let h = std.hessian(std.start());
        assert!(
            (h[0][0] - 2.0).abs() < 1e-14 && (h[1][1] - 2.0).abs() < 1e-14 && h[0][1].abs() < 1e-14
        );
        // Each choice runs at 90% of its own critical rate (to the three digits of a link).
        let l = lesson("ravine").unwrap();
        let base = l.state().unwrap();
        assert_eq!(
            l.chosen(&base),
            Some(0),
            "the lesson opens on the raw feature"
        );
        for (i, name) in [(0, "linear-regression"), (1, "linear-regression-std")] {
            let s = l.choose(&base, i).unwrap().unwrap();
            assert_eq!(s.surface, name);
            assert_eq!(l.chosen(&s), Some(i));
            let surface = surface::by_name(name).unwrap();
            let c = critical(surface.as_ref(), surface.start(), Sgd, 0.0).unwrap();
            assert!((s.run().hyper.lr / c.lr - 0.9).abs() < 0.003, "{name}");
        }
        // The computed sentence: the steps of each, and their ratio.
        let raw_steps = go("linear-regression", Sgd, 0.0234, 100_000, None)
            .converged_at
            .unwrap();
        let std_steps = go("linear-regression-std", Sgd, 0.9, 100_000, None)
            .converged_at
            .unwrap();
        assert!(raw_steps > 10 * std_steps, "{raw_steps} vs {std_steps}");
        assert!(
            raw_steps < 1500,
            "the raw run converges within the lesson's steps"
        );
        let text = l.full_text();
        assert!(
            text.ends_with(&format!(
                "Computed from the runs: at γ = 0.0234, the raw feature converges (‖∇f‖ below 1e-6 from then on) at step {raw_steps}; at γ = 0.9, the standardised one at step {std_steps}, {} times fewer.",
                (raw_steps as f64 / std_steps as f64).round()
            )),
            "{text}"
        );
        // No other lesson computes a sentence yet.
        assert_eq!(
            lesson("saddle").unwrap().full_text(),
            lesson("saddle").unwrap().text
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
            &[
                "mini-batches of 10",
                "same γ",
                "constant γ",
                "“A shrinking learning rate settles the noise”",
            ],
        );
        assert!(lessons()
            .iter()
            .any(|l| l.title == "A shrinking learning rate settles the noise"));
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
        // A γ that shrinks settles: cosine annealing over the 150 steps ends nearer.
        for (variant, constant) in [
            (crate::Variant::MiniBatch, &mini),
            (crate::Variant::Stochastic, &one),
        ] {
            let cfg = RunConfig {
                schedule: crate::schedule::Schedule::parse("cosine:t_max=150").unwrap(),
                variant,
                batch: 10,
                hyper: Hyper {
                    lr: 0.05,
                    ..Hyper::defaults(Sgd)
                },
                steps: 150,
                ..RunConfig::new(s.as_ref(), Sgd)
            };
            let annealed = run(s.as_ref(), &cfg).unwrap();
            assert!(
                dist(annealed.last(), m) < dist(constant.last(), m) / 2.0,
                "{variant:?}"
            );
        }
        // A smaller γ (over proportionally more steps) wanders less.
        let slow = go(crate::Variant::MiniBatch, 0.005, 1500);
        assert!(dist(slow.last(), m) < dist(mini.last(), m));
    }

    #[test]
    fn lesson_decay_claims_hold() {
        lesson_has(
            "decay",
            &[
                r#""surface":"linear-regression-std""#,
                r#""steps":300"#,
                r#"{"lr":0.05,"variant":"stochastic","schedule":"constant"}"#,
            ],
            &[
                "γ = 0.05",
                "0.44 from it",
                "within 0.04",
                "CosineAnnealingLR",
                "run 2",
            ],
        );
        let state = lesson("decay").unwrap().state().unwrap();
        assert_eq!(
            state.runs()[1].schedule.spec(),
            "cosine:t_max=300,eta_min=0"
        );
        assert_eq!(state.selected(), 1);
        let (s, runs) = state.compute().unwrap();
        let m = s.minima()[0].at;
        let farthest = |t: &run::Trajectory| {
            t.points[t.points.len() - 50..]
                .iter()
                .map(|&p| dist(p, m))
                .fold(0.0, f64::max)
        };
        let (constant, annealed) = (&runs[0], &runs[1]);
        assert_eq!(constant.steps(), 300);
        assert_eq!(annealed.steps(), 300);
        assert_eq!(short(farthest(constant)), "0.4385");
        assert!((0.435..0.445).contains(&farthest(constant)));
        assert!(farthest(annealed) < 0.04, "{}", farthest(annealed));
        // γ falls from 0.05 to 0: its last step's rate is tiny, and the first steps are alike.
        assert_eq!(annealed.lrs[0], 0.05);
        assert!(annealed.lrs[299] < 1e-5 && annealed.lrs[299] > 0.0);
        assert_eq!(constant.points[1], annealed.points[1]);
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
            &[
                "the slope is exactly 0",
                "jumps back and forth",
                "At a constant γ it never settles",
                "cosine annealing over the 400 steps ends 0.0005 from the axis",
            ],
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
        // Cosine annealing over the 400 steps settles next to the axis.
        let (_, _, runs) = computed("lasso", "schedule=cosine:t_max=400");
        assert_eq!(format!("{:.4}", runs[0].last()[1].abs()), "0.0005");
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
                "at a constant γ",
                "cosine annealing the 3000 steps end within 0.001",
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
        let (_, _, runs) = computed("svm", "steps=3000&schedule=cosine:t_max=3000");
        assert!(dist(runs[0].last(), m) < 1e-3, "{:?}", runs[0].last());
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

    /// Lesson `id`'s state with the options `over` laid over it, its surface and its runs, as
    /// the page computes them.
    fn computed(id: &str, over: &str) -> (Options, Box<dyn Surface>, Vec<run::Trajectory>) {
        let state =
            crate::options::strict_over(lesson(id).unwrap().state().unwrap(), &changes(over))
                .unwrap();
        let (s, runs) = state.compute().unwrap();
        (state, s, runs)
    }

    /// The first step from which `t` stays within `r` of `m`.
    fn first_within(t: &run::Trajectory, m: Vec2, r: f64) -> Option<usize> {
        t.points.iter().position(|&p| dist(p, m) < r)
    }

    #[test]
    fn lesson_newton_claims_hold() {
        lesson_has(
            "newton",
            &[
                r#""surface":"booth""#,
                r#""steps":100"#,
                r#"{"optimizer":"sgd","lr":0.1}"#,
                r#"{"optimizer":"newton","lr":1}"#,
            ],
            &[
                "H⁻¹∇f",
                "(1, 3) in step 1",
                "γ = 0.1 converges at step 86",
                "(0, 0) in one step",
                "says converged",
                "at step 30",
                "Choose the saddle",
                "run 2",
                "γ = 0.5 every step halves",
            ],
        );
        let l = lesson("newton").unwrap();
        let base = l.state().unwrap();
        assert_eq!(l.chosen(&base), Some(0), "the lesson opens on Booth's bowl");
        assert_eq!(base.run().optimizer, OptimizerKind::Newton);
        // Booth's bowl: f is quadratic, so Newton's first step is the minimum (to rounding).
        let (_, s, runs) = computed("newton", "");
        assert!(s.is_quadratic());
        let (sgd, newton) = (&runs[0], &runs[1]);
        assert!(dist(newton.points[1], [1.0, 3.0]) < 1e-14);
        assert_eq!((newton.status, newton.converged_at), (Converged, Some(1)));
        assert_eq!((sgd.status, sgd.converged_at), (Converged, Some(86)));
        // The saddle: Newton lands on (0, 0), a saddle (H indefinite, ∇f = 0), and stays.
        let saddle = l.choose(&base, 1).unwrap().unwrap();
        assert_eq!(
            (saddle.surface.as_str(), l.chosen(&saddle)),
            ("saddle", Some(1))
        );
        assert_eq!(saddle.runs(), base.runs(), "the choice keeps the race");
        let (s, runs) = saddle.compute().unwrap();
        let (sgd, newton) = (&runs[0], &runs[1]);
        assert!(newton.points[1..].iter().all(|&p| p == [0.0, 0.0]));
        assert_eq!((newton.status, newton.converged_at), (Converged, Some(1)));
        let (lo, hi) = linalg::sym_eigenvalues(s.hessian([0.0, 0.0]));
        assert!(lo < 0.0 && hi > 0.0);
        // Gradient descent slides off along y: out of the view at step 30 (f falls without
        // bound, so the run is called diverged later, far outside).
        assert_eq!(
            sgd.points.iter().position(|&p| !s.view().contains(p)),
            Some(30)
        );
        assert!(sgd.points[30][1] > 2.0 && sgd.points[30][0].abs() < 0.01);
        assert!(matches!(sgd.status, Diverged { step } if step > 30));
        // At γ = 0.5 each step halves the distance to the minimum, or to the saddle.
        for (over, target) in [
            ("lr=0.5", [1.0, 3.0]),
            ("surface=saddle&lr=0.5", [0.0, 0.0]),
        ] {
            let (_, _, runs) = computed("newton", over);
            let d: Vec<f64> = runs[1].points[..20]
                .iter()
                .map(|&p| dist(p, target))
                .collect();
            for w in d.windows(2) {
                assert!((w[1] / w[0] - 0.5).abs() < 1e-6, "{over}: {w:?}");
            }
        }
    }

    #[test]
    fn lesson_warmup_claims_hold() {
        lesson_has(
            "warmup",
            &[
                r#""surface":"recommender""#,
                r#""steps":300"#,
                r#""lr":0.1"#,
                r#"{"lr":0.1,"schedule":"constant"}"#,
            ],
            &[
                "0.044 at the start",
                "0.15 at the minimum",
                "constant γ = 0.1",
                "step 5",
                "LinearLR",
                "from 0.1γ to γ over the first 50 steps",
                "below 2/λmax all along the path",
                "step 70",
                "(1.83, 1.83)",
                "run 2",
                "up to 0.15 converges",
            ],
        );
        let (state, s, runs) = computed("warmup", "");
        assert_eq!(state.selected(), 1);
        assert_eq!(
            state.run().schedule.spec(),
            "linear:start_factor=0.1,end_factor=1,total_iters=50"
        );
        let m = s.minima()[0].at;
        let critical_at = |p: Vec2| critical(s.as_ref(), p, Sgd, 0.0).unwrap().lr;
        assert_eq!(short(critical_at(s.start())), "0.04403");
        assert_eq!(short(critical_at(m)), "0.15");
        let (constant, warm) = (&runs[0], &runs[1]);
        // The constant rate overshoots at once: the loss rises from the first step.
        assert!(constant.losses[1] > constant.losses[0]);
        assert_eq!(constant.status, Diverged { step: 5 });
        // γ from 0.01 up to 0.1 by step 50, below the threshold at every point it steps from.
        assert_eq!(warm.lrs[0], 0.1 * 0.1);
        assert!(warm.lrs[..50].windows(2).all(|w| w[1] > w[0]));
        assert!(warm.lrs[50..].iter().all(|&lr| (lr - 0.1).abs() < 1e-15));
        let hyper = state.run().hyper;
        let limits = crate::teach::thresholds_along(s.as_ref(), &warm.points, Sgd, &hyper);
        for (k, (lr, limit)) in warm.lrs.iter().zip(&limits).enumerate() {
            let limit = limit.unwrap_or_else(|| panic!("no threshold at step {k}"));
            assert!(*lr < limit, "step {k}: γ = {lr} ≥ {limit}");
        }
        assert_eq!((warm.status, warm.converged_at), (Converged, Some(70)));
        assert!(dist(warm.last(), m) < 1e-9);
        assert_eq!(short(m[0]), "1.826");
        // With the warm-up, up to 0.15 converges; 0.16 no longer settles.
        let at = |lr: &str| computed("warmup", &format!("lr={lr}")).2[1].status;
        assert_eq!(at("0.15"), Converged);
        assert_eq!(at("0.16"), MaxSteps);
    }

    #[test]
    fn lesson_lr_range_claims_hold() {
        lesson_has(
            "lr-range",
            &[
                r#""surface":"booth""#,
                r#""lr":1e-5"#,
                r#""steps":150"#,
                r#""schedule":"exponential:gamma=1.1""#,
            ],
            &[
                "10% from 1e-5",
                "ExponentialLR with gamma = 1.1",
                "8-fold in one step) at γ ≈ 0.32",
                "upward at γ ≈ 0.39",
                "starting value at γ ≈ 0.70",
                "step 120",
                "2/18 ≈ 0.111",
                "step 99",
                "about 1e-10",
                "13 more steps",
            ],
        );
        let (_, s, runs) = computed("lr-range", "");
        let t = &runs[0];
        assert_eq!(t.lrs[0], 1e-5);
        assert!(t.lrs.windows(2).all(|w| (w[1] / w[0] - 1.1).abs() < 1e-12));
        assert_eq!(t.status, Diverged { step: 120 });
        assert_eq!(
            critical(s.as_ref(), s.start(), Sgd, 0.0).unwrap().lr,
            2.0 / 18.0
        );
        // Step k + 1 goes from losses[k] to losses[k + 1] at γ = lrs[k].
        let ratio = |k: usize| t.losses[k + 1] / t.losses[k];
        let fastest = (0..t.lrs.len())
            .min_by(|&a, &b| ratio(a).total_cmp(&ratio(b)))
            .unwrap();
        assert_eq!((1.0 / ratio(fastest)).round(), 8.0);
        assert_eq!(fixed2(t.lrs[fastest]), "0.32");
        let lowest = (0..t.losses.len())
            .min_by(|&a, &b| t.losses[a].total_cmp(&t.losses[b]))
            .unwrap();
        let turn = lowest; // the step from the lowest loss is the first that raises it
        assert!(t.losses[turn + 1] > t.losses[turn]);
        assert!(t.losses[..=turn].windows(2).all(|w| w[1] < w[0]));
        assert_eq!(fixed2(t.lrs[turn]), "0.39");
        let past = (1..t.losses.len())
            .find(|&k| t.losses[k] > t.losses[0])
            .unwrap();
        assert_eq!(fixed2(t.lrs[past - 1]), "0.70");
        // 2/λmax is crossed by step 99; the error along the steep direction (1, 1)/√2 is then
        // about 1e-10, and the loss turns 13 steps later.
        let crossed = t.lrs.iter().position(|&lr| lr > 2.0 / 18.0).unwrap() + 1;
        assert_eq!(crossed, 99);
        let steep = |p: Vec2| (p[0] - 1.0 + p[1] - 3.0) / 2f64.sqrt();
        let e = steep(t.points[crossed - 1]).abs();
        assert!((5e-11..5e-10).contains(&e), "{e}");
        assert_eq!(turn + 1 - crossed, 13);
    }

    /// `v` to two decimals.
    fn fixed2(v: f64) -> String {
        format!("{v:.2}")
    }

    #[test]
    fn lesson_clipping_claims_hold() {
        lesson_has(
            "clipping",
            &[
                r#""surface":"double-well""#,
                r#""steps":200"#,
                r#""start":[2,1]"#,
                r#"{"lr":0.2,"clip_norm":"none"}"#,
                r#"{"lr":0.2,"clip_norm":1}"#,
            ],
            &[
                "4x³",
                "24 long",
                "γ = 0.2",
                "jumps 4.9",
                "x = −2.86",
                "82 long",
                "x = 13.5",
                "step 3",
                "norm 1",
                "clip_grad_norm_",
                "γ·1 = 0.2 long",
                "‖∇f‖ > 1",
                "step 34",
                "(0.96, 0)",
                "run 2",
            ],
        );
        let (state, s, runs) = computed("clipping", "");
        assert_eq!(state.run().clip.norm, Some(1.0));
        let (raw, clipped) = (&runs[0], &runs[1]);
        assert_eq!(linalg::norm(raw.grads[0]).round(), 24.0);
        assert_eq!(fixed1(dist(raw.points[0], raw.points[1])), "4.9");
        assert_eq!(fixed2(raw.points[1][0]), "-2.86");
        assert_eq!(linalg::norm(raw.grads[1]).round(), 82.0);
        assert_eq!(fixed1(raw.points[2][0]), "13.5");
        assert_eq!(raw.status, Diverged { step: 3 });
        // Clipped: every step at most γ·1 long, exactly that while ‖∇f‖ > 1.
        for (k, g) in clipped.grads.iter().enumerate() {
            let step = dist(clipped.points[k], clipped.points[k + 1]);
            assert!(step <= 0.2 + 1e-12, "step {k}: {step}");
            if linalg::norm(*g) > 1.0 {
                assert!((step - 0.2).abs() < 1e-6, "step {k}: {step}");
            }
        }
        assert_eq!(
            (clipped.status, clipped.converged_at),
            (Converged, Some(34))
        );
        let local = s.minima()[1];
        assert!(!local.global && local.at[0] > 0.0);
        assert_eq!(fixed2(local.at[0]), "0.96");
        assert!(dist(clipped.last(), local.at) < 1e-9);
    }

    /// `v` to one decimal.
    fn fixed1(v: f64) -> String {
        format!("{v:.1}")
    }

    #[test]
    fn lesson_adamw_claims_hold() {
        lesson_has(
            "adamw",
            &[
                r#""surface":"booth""#,
                r#""steps":2000"#,
                r#"{"optimizer":"adam","lr":0.02,"beta2":0.95,"weight_decay":0.5}"#,
                r#"{"optimizer":"adamw","lr":0.02,"beta2":0.95,"weight_decay":0.5}"#,
            ],
            &[
                "λ = 0.5",
                "(1, 3)",
                "∇f + λθ = 0",
                "f + 0.25‖θ‖²: (1.15, 2.75)",
                "γλθ",
                "1/λ = 2",
                "ends at (1.80, 2.00)",
                "|x|, |y| ≤ 2",
                "run 2",
                "β₂ = 0.95",
                "default 0.999",
            ],
        );
        let (state, s, runs) = computed("adamw", "");
        assert_eq!(state.run().optimizer, OptimizerKind::Adamw);
        let (adam, adamw) = (&runs[0], &runs[1]);
        let pair = |p: Vec2| format!("({}, {})", fixed2(p[0]), fixed2(p[1]));
        // Adam rests where ∇f + λθ = 0: (H + λI)θ = Hθ* for the quadratic f.
        let h = s.hessian([0.0, 0.0]);
        let star = [1.0, 3.0];
        let b = [
            h[0][0] * star[0] + h[0][1] * star[1],
            h[1][0] * star[0] + h[1][1] * star[1],
        ];
        let (a00, a11, a01) = (h[0][0] + 0.5, h[1][1] + 0.5, h[0][1]);
        let det = a00 * a11 - a01 * a01;
        let penalised = [
            (a11 * b[0] - a01 * b[1]) / det,
            (a00 * b[1] - a01 * b[0]) / det,
        ];
        assert_eq!(pair(penalised), "(1.15, 2.75)");
        assert!(dist(adam.last(), penalised) < 1e-3, "{:?}", adam.last());
        // AdamW rests at (1.8, 2), f's lowest point in the square |x|, |y| ≤ 1/λ = 2: there
        // ∂f/∂x = 0 and f still falls along y, out of the square.
        assert_eq!(pair(adamw.last()), "(1.80, 2.00)");
        assert!(dist(adamw.last(), [1.8, 2.0]) < 5e-3);
        let g = s.gradient([1.8, 2.0]);
        assert!(g[0].abs() < 1e-12 && g[1] < 0.0);
        let box_min = (0..=40)
            .flat_map(|i| (0..=40).map(move |j| [-2.0 + 0.1 * i as f64, -2.0 + 0.1 * j as f64]))
            .map(|p| s.value(p))
            .fold(f64::INFINITY, f64::min);
        assert!(s.value([1.8, 2.0]) <= box_min + 1e-12);
        // At rest the shrink cancels Adam's step: θ(1 − γλ) − γa = θ, so a = −λθ, and no part of
        // Adam's step a is much above 1 in size.
        let (lr, wd) = (0.02, 0.5);
        for k in adamw.steps() - 500..adamw.steps() {
            let (p, q) = (adamw.points[k], adamw.points[k + 1]);
            for i in 0..2 {
                let a = (p[i] * (1.0 - lr * wd) - q[i]) / lr;
                assert!(a.abs() < 1.05, "step {k}: {a}");
            }
        }
        // With torch's default β₂ = 0.999, AdamW is still far from (1.8, 2) after 2000 steps.
        let (_, _, slow) = computed(
            "adamw",
            "runs=optimizer:adam,lr:0.02,weight_decay:0.5;optimizer:adamw,lr:0.02,weight_decay:0.5",
        );
        assert!(
            dist(slow[1].last(), [1.8, 2.0]) > 0.1,
            "{:?}",
            slow[1].last()
        );
    }

    #[test]
    fn lesson_lbfgs_claims_hold() {
        lesson_has(
            "lbfgs",
            &[
                r#""surface":"rosenbrock""#,
                r#""steps":2000"#,
                r#"{"optimizer":"lbfgs","lr":1,"line_search":"strong_wolfe"}"#,
                r#"{"optimizer":"adam","lr":0.1}"#,
            ],
            &[
                "strong-Wolfe",
                "within 0.001 of the minimum (1, 1) at step 33",
                "After step 34 (f ≈ 4e-10)",
                "above −1e-9 (tolerance_change)",
                "not converged",
                "3.6e-4",
                "γ = 0.1",
                "at step 1220",
                "37 times",
                "only 1.2 times per step",
                "run 2",
            ],
        );
        let (state, s, runs) = computed("lbfgs", "");
        let (lbfgs, adam) = (&runs[0], &runs[1]);
        let m = [1.0, 1.0];
        assert_eq!(first_within(lbfgs, m, 1e-3), Some(33));
        assert_eq!(first_within(adam, m, 1e-3), Some(1220));
        assert_eq!((1220.0f64 / 33.0).round(), 37.0);
        // It stops at step 34: every later point is that one.
        let stop = lbfgs.points[34];
        assert_ne!(lbfgs.points[33], stop);
        assert!(lbfgs.points[34..].iter().all(|&p| p == stop));
        assert_eq!(short(lbfgs.losses[34]), "4.22e-10");
        assert_eq!(lbfgs.status, MaxSteps);
        assert_eq!(format!("{:.1e}", linalg::norm(s.gradient(stop))), "3.6e-4");
        // Why: its direction's slope is above −tolerance_change (outcome 2), not a small
        // gradient (outcome 1). The evaluations of its line search, step by step.
        let cfg = state.run_config(s.as_ref(), 0);
        let mut stepper = run::Stepper::new(s.as_ref(), &cfg).unwrap();
        let state_of = |st: &run::Stepper, name: &str| {
            st.state().into_iter().find(|(n, _)| *n == name).unwrap().1[0]
        };
        let mut evals = 0.0;
        for _ in 0..34 {
            stepper.step();
            evals += state_of(&stepper, "evals");
            assert_eq!(state_of(&stepper, "outcome"), 0.0);
        }
        stepper.step();
        assert_eq!(state_of(&stepper, "outcome"), 2.0);
        assert_eq!(format!("{:.1}", evals / 34.0), "1.2");
    }

    /// A race lesson says which run the student drives (the selected one), by number and
    /// optimizer; a lesson of one run does not number it.
    #[test]
    fn race_lessons_name_the_run_the_slider_drives() {
        for l in lessons() {
            let state = l.state().unwrap();
            let text = said(l);
            if state.runs().len() == 1 {
                assert!(!text.contains("(run 1)"), "{}", l.id);
                continue;
            }
            let k = state.selected() + 1;
            let drives = "The slider drives ";
            let at = text
                .find(drives)
                .unwrap_or_else(|| panic!("{}: {text}", l.id));
            let rest = &text[at + drives.len()..];
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

    /// The README's lesson list names every lesson and counts them.
    #[test]
    fn readme_lists_every_lesson() {
        let readme = include_str!("../README.md");
        let list = &readme[readme.find("- **Lessons**").unwrap()..];
        let list = &list[..list.find("\n- **").unwrap_or(list.len())];
        for l in lessons() {
            let named = [format!("`{}`", l.id), format!("lesson={}`", l.id)];
            assert!(
                named.iter().any(|n| list.contains(n)),
                "README lacks {}",
                l.id
            );
        }
        assert_eq!(lessons().len(), 28, "and the README says twenty-eight");
        assert!(list.contains("twenty-eight presets"));
    }

    #[test]
    fn lessons_have_unique_ids_and_text() {
        let mut ids: Vec<&str> = lessons().iter().map(|l| l.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), lessons().len());
        assert!(lessons().len() >= 9);
        for l in lessons() {
            assert!(said(l).len() > 80, "{}", l.id);
            // A lesson's text is in the module that draws its mode: Network mode's in the
            // second (`netlessons`), the surfaces' in the first.
            let network = l.options.contains("mode=network");
            assert_eq!(l.text.is_empty(), network, "{}", l.id);
            assert_eq!(crate::netlessons::text(l.id).is_some(), network, "{}", l.id);
            // Every option a lesson sets is valid, and its runs run.
            let state = l.state().unwrap_or_else(|e| panic!("{}: {e}", l.id));
            // A view it opens is one of Network mode's, and it is in Network mode.
            assert!(
                ["", "landscape", "ends", "sharpness"].contains(&l.opens),
                "{}",
                l.id
            );
            assert!(l.opens.is_empty() || state.network.on, "{}", l.id);
            // The ends plane goes through a second run's end.
            assert!(l.opens != "ends" || state.runs().len() >= 2, "{}", l.id);
            state.compute().unwrap_or_else(|e| panic!("{}: {e}", l.id));
            // Its link from the defaults loads the same state.
            let link = crate::share::query_pairs(&state, &Options::default());
            let back = crate::options::strict(&crate::share::changes(&link));
            assert_eq!(back.as_ref(), Ok(&state), "{}: {link:?}", l.id);
        }
    }

    /// The spiral lesson's numbers, from the race the page trains: SGD (run 1) and Adam (run
    /// 2, the one the slider drives) from the same weights.
    #[test]
    fn spiral_adam_fits_and_overfits_where_sgd_does_not_fit() {
        let l = lesson("spiral").unwrap();
        let base = l.state().unwrap();
        assert!(base.network.on);
        assert_eq!((base.runs().len(), base.selected()), (2, 1));
        let (data, model, _) = base.network_run().unwrap();
        assert_eq!(model.len(), 105);
        let train =
            |i: usize| crate::network::train(&model, &data, &base.train_config_of(i)).unwrap();
        let sgd = train(0);
        let end = sgd.rows.last().unwrap();
        assert_eq!((end.step, end.train_acc), (1000, Some(0.615)));
        let adam = train(1);
        assert_eq!(adam.rows[0], sgd.rows[0], "the same weights at step 0");
        let end = adam.rows.last().unwrap();
        assert_eq!((end.train_acc, end.test_acc), (Some(0.99), Some(0.85)));
        let test: Vec<f64> = adam.rows.iter().map(|r| r.test_loss.unwrap()).collect();
        let lowest = (0..test.len())
            .min_by(|&a, &b| test[a].total_cmp(&test[b]))
            .unwrap();
        assert_eq!(lowest, 337);
        assert_eq!(short(test[lowest]), "0.4942");
        assert_eq!(short(*test.last().unwrap()), "0.8961");
        // The training loss keeps falling after the test loss turns.
        let train_loss = |k: usize| adam.rows[k].train_loss;
        assert!(train_loss(1000) < train_loss(700) && train_loss(700) < train_loss(337));
        // The colours the text names are the runs'.
        assert_eq!(crate::render::run_colour(0), "#d9480f");
        assert_eq!(crate::render::run_colour(1), "#1c5bbf");
    }

    /// The landscape lesson's numbers, from the run the page trains: the PCA plane of its path
    /// as the page thins it (every second kept step, 151 points), and the line from θ₀ to θ_T
    /// at the page's α.
    #[test]
    fn landscape_lesson_claims_hold() {
        use crate::network::landscape::{
            interpolate, line_alphas, line_shape, pca_plane, LineShape,
        };
        let l = lesson("landscape").unwrap();
        let s = l.state().unwrap();
        let (data, model, cfg) = s.network_run().unwrap();
        assert_eq!(model.len(), 105);
        let t = crate::network::train(
            &model,
            &data,
            &crate::network::TrainConfig {
                keep_every: Some(2),
                ..cfg
            },
        )
        .unwrap();
        let path: Vec<Vec<f64>> = t.path.iter().map(|(_, theta)| theta.clone()).collect();
        assert_eq!(path.len(), 151);
        let [a, b] = pca_plane(&path).unwrap().explained.unwrap();
        let pct = |v: f64| crate::format::fixed(v * 100.0, 1);
        assert_eq!((pct(a), pct(b)), ("93.1".into(), "4.1".into()));
        let text = crate::netlessons::text("landscape").unwrap();
        assert!(text.contains("hold 93.1% and 4.1%"), "{text}");
        // The README's sum of the two.
        assert_eq!(crate::format::fixed((a + b) * 100.0, 0), "97");
        let alphas = line_alphas();
        let line = interpolate(&model, &data.train, &t.initial, &t.last, &alphas);
        assert_eq!(line_shape(&alphas, &line), LineShape::Falls);
        let (start, end) = (line[10], line[30]);
        assert!((start - 0.67).abs() < 0.005, "{start}");
        assert!((end - 0.001).abs() < 0.0005, "{end}");
    }

    /// The two-basins lesson's numbers, from the race the page trains: both runs fit every
    /// example, and the straight line between their ends (the page's α) climbs over a barrier.
    #[test]
    fn two_basins_lesson_claims_hold() {
        use crate::network::landscape::{interpolate, line_alphas, line_shape, LineShape};
        let l = lesson("two-basins").unwrap();
        let s = l.state().unwrap();
        assert_eq!(s.runs().len(), 2);
        let (data, model, _) = s.network_run().unwrap();
        // "the 2-8-8-1 tanh network on the moons"
        assert_eq!(model.len(), 105);
        assert_eq!(
            (model.hidden(), model.activation(), s.network.dataset.name()),
            (&[8, 8][..], crate::network::Activation::Tanh, "moons")
        );
        let ends: Vec<Vec<f64>> = (0..2)
            .map(|i| {
                let t = crate::network::train(&model, &data, &s.train_config_of(i)).unwrap();
                let end = t.rows.last().unwrap();
                assert_eq!(
                    (end.step, end.train_acc, end.test_acc),
                    (300, Some(1.0), Some(1.0)),
                    "run {i}"
                );
                t.last
            })
            .collect();
        let alphas = line_alphas();
        let line = interpolate(&model, &data.train, &ends[0], &ends[1], &alphas);
        assert_eq!(
            (short(line[10]), short(line[30])),
            ("0.01854".into(), "9.75e-4".into())
        );
        let LineShape::Barrier { top, height } = line_shape(&alphas, &line) else {
            panic!("no barrier: {line:?}");
        };
        assert_eq!(top.0, 0.4);
        assert_eq!(crate::format::fixed(top.1, 3), "0.299");
        assert_eq!(crate::format::fixed(height, 2), "0.28");
        assert_eq!(l.opens, "ends");
    }

    /// The batch-size lesson's numbers, from the two runs the page trains: the noise (rises of
    /// the training loss), the work (example gradients) to a loss, and λmax at the ends, at
    /// γ = 0.5 and at the other choice, γ = 0.3.
    #[test]
    fn batch_size_lesson_claims_hold() {
        use crate::network::{sharpness, train, Training};
        lesson_has(
            "batch-size",
            &[
                r#"{"variant":"batch","lr":0.5}"#,
                r#"{"variant":"minibatch","batch":8,"lr":0.5}"#,
                r#""steps":1000"#,
            ],
            &[
                "all 200 training examples",
                "8 of them",
                "every one of its 1000 steps",
                "rises at 433 of them",
                "1/25",
                "8000 examples' gradients",
                "first 40 steps",
                "loss is 0.366 (82%",
                "ends at 0.0050 (all of them right)",
                "638 steps, 16 times the work",
                "run 2's 1000 steps are 40 epochs, run 1's 1000",
                "about half of run 1's 0.82",
                "at γ = 0.3 run 2 ends the sharper of the two (1.65 against 1.36)",
            ],
        );
        let l = lesson("batch-size").unwrap();
        let s = l.state().unwrap();
        let (data, model, _) = s.network_run().unwrap();
        let train_of = |s: &Options, i: usize| train(&model, &data, &s.train_config_of(i)).unwrap();
        let end_lambda = |t: &Training| sharpness(&model, &t.last, &data.train, 400, 3);
        // "all 200 training examples", "8 of them", "the same γ = 0.5", "1000 steps".
        assert_eq!(data.train.len(), 200);
        let runs = s.runs();
        assert_eq!(
            (runs[0].variant, runs[1].variant, runs[1].batch),
            (crate::Variant::Batch, crate::Variant::MiniBatch, 8)
        );
        assert_eq!(
            (runs[0].hyper.lr, runs[1].hyper.lr, s.steps),
            (0.5, 0.5, 1000)
        );
        assert_eq!((s.selected(), l.chosen(&s)), (1, Some(0)));
        let (full, mini) = (train_of(&s, 0), train_of(&s, 1));
        let rises = |t: &Training| {
            t.rows
                .windows(2)
                .filter(|w| w[1].train_loss > w[0].train_loss)
                .count()
        };
        assert_eq!((rises(&full), rises(&mini)), (0, 433));
        // "1/25 of one of run 1's": 1000 × 8 example gradients = 40 × 200; "40 epochs".
        assert_eq!(1000 * 8, 40 * 200);
        let per_epoch = |i: usize| {
            let r = &runs[i];
            crate::variant::Sampler::new(r.variant, 200, r.batch, r.seed)
                .unwrap()
                .steps_per_epoch()
        };
        assert_eq!((per_epoch(0), per_epoch(1)), (1, 25));
        assert_eq!((1000 / per_epoch(0), 1000 / per_epoch(1)), (1000, 40));
        let at40 = &full.rows[40];
        assert_eq!(
            (short(at40.train_loss), at40.train_acc),
            ("0.366".into(), Some(0.82))
        );
        let end = mini.rows.last().unwrap();
        assert_eq!(
            (
                end.step,
                crate::format::fixed(end.train_loss, 4),
                end.train_acc
            ),
            (1000, "0.0050".into(), Some(1.0))
        );
        let as_low = full
            .rows
            .iter()
            .position(|r| r.train_loss <= end.train_loss)
            .unwrap();
        assert_eq!(as_low, 638);
        assert_eq!((as_low as f64 * 200.0 / 8000.0).round(), 16.0);
        // "about half of run 1's 0.82".
        let (sharp_full, sharp_mini) = (end_lambda(&full), end_lambda(&mini));
        assert_eq!(crate::format::fixed(sharp_full, 2), "0.82");
        assert!(
            (0.45..0.55).contains(&(sharp_mini / sharp_full)),
            "{sharp_mini}"
        );
        // "at γ = 0.3 run 2 ends the sharper of the two (1.65 against 1.36)".
        let slow = l.choose(&s, 1).unwrap().unwrap();
        assert_eq!(
            (slow.runs()[0].hyper.lr, slow.runs()[1].hyper.lr),
            (0.3, 0.3)
        );
        let (a, b) = (
            end_lambda(&train_of(&slow, 0)),
            end_lambda(&train_of(&slow, 1)),
        );
        assert_eq!(
            (crate::format::fixed(b, 2), crate::format::fixed(a, 2)),
            ("1.65".into(), "1.36".into())
        );
        assert_eq!(l.opens, "sharpness");
    }

    /// A range `lo..hi` as the text states it, in hundredths: `lo` rounded down and `hi` up,
    /// so every value of the range lies within the two numbers written.
    fn outwards(lo: f64, hi: f64) -> (String, String) {
        let f = crate::format::fixed;
        (
            f((lo * 100.0).floor() / 100.0, 2),
            f((hi * 100.0).ceil() / 100.0, 2),
        )
    }

    /// The network-plateau lesson's numbers, from the two runs the page trains: the plateau of
    /// run 1's loss, the step each run's loss first falls below 0.5 (run 2's with batch orders 0
    /// to 3, and both with weights seeds 1 and 2), the ends, and run 1 after the work of run 2's
    /// 1000 steps. Issue 19 asked for a network that SGD trains and plain gradient descent at the
    /// same γ does not; measured at the same γ and the same number of steps that is not so here
    /// (nor in a sweep of the datasets, activations, widths and γ from 0.1 to 10 with batch
    /// orders 0 to 2: where batches of 8 won, another batch order or weights seed lost), so the
    /// lesson states what holds: the same work, not the same steps, and not the noise.
    #[test]
    fn net_plateau_lesson_claims_hold() {
        use crate::network::{train, Activation, Training};
        lesson_has(
            "net-plateau",
            &[
                r#"{"variant":"batch","lr":0.5}"#,
                r#"{"variant":"minibatch","batch":8,"lr":0.5,"seed":0}"#,
                r#""steps":1000"#,
            ],
            &[
                "2-8-8-8-1 with sigmoid units (177 weights and biases)",
                "on the blobs data set",
                "the same γ = 0.5",
                "batches of 8",
                "stays between 0.68 and 0.70, around 0.693 (ln 2, the loss of answering ½ for every example), up to step 314, and run 2's, noisier, between 0.68 and 0.82",
                "run 1's loss falls below 0.5 first, at step 425, run 2's at step 455",
                "with batch orders 1, 2 and 3, set by Seed under Gradient, at steps 456, 463 and 458",
                "with Weights seed 1 or 2, run 1 leads too",
                "both end at a loss of 0.031 with 99% of the training examples right",
                "8000 examples' gradients, as many as run 1's first 40 steps",
                "still on the plateau (loss 0.692, 51.5% right)",
            ],
        );
        let l = lesson("net-plateau").unwrap();
        let s = l.state().unwrap();
        assert_eq!((s.runs().len(), s.selected()), (2, 1));
        let (data, model, _) = s.network_run().unwrap();
        // "2-8-8-8-1 with sigmoid units (177 weights and biases), on the blobs data set".
        assert_eq!(
            (model.hidden(), model.activation(), s.network.dataset.name()),
            (&[8, 8, 8][..], Activation::Sigmoid, "blobs")
        );
        assert_eq!(model.len(), 177);
        assert_eq!(data.train.len(), 200);
        let race = |s: &Options| -> Vec<Training> {
            (0..2)
                .map(|i| train(&model, &data, &s.train_config_of(i)).unwrap())
                .collect()
        };
        // The step a run's training loss first falls below 0.5: off the plateau.
        let off = |t: &Training| t.rows.iter().position(|r| r.train_loss < 0.5).unwrap();
        let runs = race(&s);
        let (full, mini) = (&runs[0], &runs[1]);
        assert_eq!(full.rows[0], mini.rows[0], "the same weights at step 0");
        // Run 1's plateau: within [0.68, 0.70] up to step 314, around ln 2.
        let within = |r: &crate::network::Row| (0.68..=0.70).contains(&r.train_loss);
        assert_eq!(full.rows.iter().position(|r| !within(r)), Some(315));
        assert_eq!(crate::format::fixed(std::f64::consts::LN_2, 3), "0.693");
        // Run 2's, noisier, over the same steps: within 0.68 to 0.82, each bound rounded
        // outwards (the lowest 0.685, the highest 0.815).
        let (lo, hi) = mini.rows[..=314]
            .iter()
            .map(|r| r.train_loss)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(v), b.max(v))
            });
        assert_eq!(outwards(lo, hi), ("0.68".into(), "0.82".into()));
        // Off the plateau: run 1 at step 425, run 2 at step 455.
        assert_eq!((off(full), off(mini)), (425, 455));
        // The ends: a loss of 0.031 and 99% right, both.
        for t in &runs {
            let end = t.rows.last().unwrap();
            assert_eq!(
                (
                    end.step,
                    crate::format::fixed(end.train_loss, 3),
                    end.train_acc
                ),
                (1000, "0.031".into(), Some(0.99))
            );
        }
        // The work: 1000 steps of 8 examples = 40 steps of 200; run 1 at step 40.
        assert_eq!(1000 * 8, 40 * 200);
        let at40 = &full.rows[40];
        assert!(within(at40));
        assert_eq!(
            (crate::format::fixed(at40.train_loss, 3), at40.train_acc),
            ("0.692".into(), Some(0.515))
        );
        let over = |s: &Options, query: &str| -> Options {
            crate::options::strict_over(s.clone(), &changes(query)).unwrap()
        };
        // Run `i` of `s` as far as its plateau's end (all of them are off it by step 625).
        let leaves = |s: &Options, i: usize| -> usize {
            let (data, model, _) = s.network_run().unwrap();
            let cfg = crate::network::TrainConfig {
                steps: 700,
                ..s.train_config_of(i)
            };
            off(&train(&model, &data, &cfg).unwrap())
        };
        // Other batch orders (run 2's seed): off the plateau at steps 456, 463 and 458, each
        // after run 1.
        let steps: Vec<usize> = (1..=3)
            .map(|seed| {
                let other = over(&s, &format!("seed={seed}"));
                assert_eq!(
                    (other.runs()[0].seed, other.runs()[1].seed),
                    (0, seed),
                    "the slider's run"
                );
                leaves(&other, 1)
            })
            .collect();
        assert_eq!(steps, [456, 463, 458]);
        // Other initial weights: with weights seeds 1 and 2, run 1 is off the plateau before run
        // 2 with each of the batch orders 0 to 3 (at steps 519 and 537; run 2 at 585–592 and
        // 616–625).
        for (init, at, after) in [
            (1, 519, [586, 585, 592, 588]),
            (2, 537, [617, 616, 625, 619]),
        ] {
            let other = over(&s, &format!("init_seed={init}"));
            let first = leaves(&other, 0);
            let second: Vec<usize> = (0..=3)
                .map(|seed| leaves(&over(&other, &format!("seed={seed}")), 1))
                .collect();
            assert_eq!(
                (first, &second[..]),
                (at, &after[..]),
                "weights seed {init}"
            );
            assert!(second.iter().all(|&k| first < k));
        }
    }

    /// The schedule lesson's numbers, from the two runs the page trains (the same bits: see
    /// `math`): the first step at 100%, and from step 900 on the range of each run's training
    /// accuracy and loss; then the same race with the sampler's seeds 1 to 3.
    #[test]
    fn schedule_settles_lesson_claims_hold() {
        use crate::network::{train, Row, Training};
        lesson_has(
            "schedule-settles",
            &[
                r#"{"variant":"minibatch","batch":8,"lr":3,"schedule":"constant"}"#,
                r#""schedule":"cosine:t_max=1000,eta_min=0""#,
                r#""steps":1000"#,
            ],
            &[
                "batches of 8 at γ = 3",
                "from 3 at its first step to 7e-6 at its last",
                "never classifies every training example",
                "swings between 87.5% and 96% and its loss between 0.12 and 0.43",
                "first at step 489 and at every step from 646 on, its loss steady at 0.0067 over the last 100 steps, and at the end every test example too",
                "with seeds 1, 2 and 3 for both runs",
            ],
        );
        let l = lesson("schedule-settles").unwrap();
        let s = l.state().unwrap();
        let (data, model, _) = s.network_run().unwrap();
        assert_eq!(model.len(), 105);
        let race = |s: &Options| -> Vec<Training> {
            (0..2)
                .map(|i| train(&model, &data, &s.train_config_of(i)).unwrap())
                .collect()
        };
        let runs = race(&s);
        // The cosine from 3 at step 1 to 7e-6 at step 1000 (torch's CosineAnnealingLR reaches 0
        // after T_max = 1000 scheduler steps, at the step after the last).
        let lr = |k: usize| runs[1].rows[k].lr.unwrap();
        assert_eq!(lr(1), 3.0);
        assert_eq!((lr(1000) * 1e6).round(), 7.0);
        let full = |r: &Row| r.train_acc == Some(1.0);
        let range = |t: &Training, f: &dyn Fn(&Row) -> f64| {
            t.rows[900..]
                .iter()
                .map(f)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                    (a.min(v), b.max(v))
                })
        };
        let acc = |r: &Row| r.train_acc.unwrap();
        let loss = |r: &Row| r.train_loss;
        let fixed = crate::format::fixed;
        // Run 1: never 100%; from step 900 on, 87.5%–96% and a loss within 0.12–0.43, each
        // bound rounded outwards (the lowest 0.127, the highest 0.425).
        assert!(!runs[0].rows.iter().any(full));
        assert_eq!(range(&runs[0], &acc), (0.875, 0.96));
        let (lo, hi) = range(&runs[0], &loss);
        assert_eq!(outwards(lo, hi), ("0.12".into(), "0.43".into()));
        // Run 2: 100% first at step 489 and at every step from 646 on, a loss of 0.0067 over
        // the last 100 steps.
        assert_eq!(runs[1].rows.iter().position(full), Some(489));
        let settled = runs[1].rows.iter().rposition(|r| !full(r)).unwrap() + 1;
        assert_eq!(settled, 646);
        let (lo, hi) = range(&runs[1], &loss);
        assert_eq!(
            (fixed(lo, 4), fixed(hi, 4)),
            ("0.0067".into(), "0.0067".into())
        );
        assert_eq!(runs[1].rows[1000].test_acc, Some(1.0));
        // Seeds 1 to 3: constant γ never holds 100% from step 900 on; the cosine always does.
        for seed in 1..=3 {
            let query = format!("seed={seed}");
            let mut other = s.clone();
            for i in 0..2 {
                other = crate::options::strict_over(
                    crate::options::strict_over(other, &changes(&format!("selected={i}"))).unwrap(),
                    &changes(&query),
                )
                .unwrap();
            }
            assert!(other.runs().iter().all(|r| r.seed == seed));
            let runs = race(&other);
            assert!(range(&runs[0], &acc).0 < 1.0, "seed {seed}");
            assert_eq!(range(&runs[1], &acc), (1.0, 1.0), "seed {seed}");
        }
    }

    /// The edge-of-stability lesson's numbers, from the network the page trains: λmax measured
    /// every 100 steps by the warm-started power iteration the page uses.
    #[test]
    fn edge_of_stability_lesson_claims_hold() {
        use crate::network::Power;
        let l = lesson("edge-of-stability").unwrap();
        let s = l.state().unwrap();
        let (data, model, cfg) = s.network_run().unwrap();
        assert_eq!((model.len(), cfg.hyper.lr, cfg.steps), (337, 0.2, 3000));
        let t = crate::network::train(
            &model,
            &data,
            &crate::network::TrainConfig {
                keep_every: Some(100),
                ..cfg
            },
        )
        .unwrap();
        let all: Vec<usize> = (0..data.train.len()).collect();
        let mut direction = Power::random(model.len(), 0).into_direction();
        let mut lambda = Vec::new();
        for (step, theta) in &t.path {
            let mut p = Power::new(direction);
            p.settle(&model, theta, &data.train, &all);
            lambda.push((*step, p.lambda()));
            direction = p.into_direction();
        }
        let line = 2.0 / 0.2;
        assert_eq!(short(lambda[0].1), "6.846");
        let first = lambda.iter().find(|p| p.1 >= 0.9 * line).unwrap().0;
        assert_eq!(first, 400);
        let top = lambda.iter().map(|p| p.1).fold(0.0, f64::max);
        assert!((13.5..14.5).contains(&top), "{top}");
        for &(step, v) in lambda.iter().filter(|p| p.0 >= 2000) {
            assert!((v - line).abs() <= 0.1 * line, "step {step}: {v}");
        }
        // The figures the text gives (the page trains the same bits: `math`).
        let loss = |k: usize| t.rows[k].train_loss;
        assert_eq!(crate::format::fixed(loss(0), 2), "0.24");
        assert_eq!(crate::format::fixed(loss(3000), 3), "0.016");
    }

    /// Every lesson's exercise, answered every way, against the answer its lesson teaches:
    /// the question's truth is computed from the run, and this pins what it computes.
    #[test]
    fn exercises_have_the_answers_their_lessons_teach() {
        let expected = [
            // Just past 2/18 the swings grow: diverged.
            ("overshoot", "no", "It diverges at step 38"),
            // Exactly on the ridge it converges, to the saddle.
            ("saddle", "yes", "from step 142 on"),
            // Momentum at γ = 0.05 ends in the local well (the text: from 0.038 to 0.066).
            (
                "local-minima",
                "minimum:1",
                "from the minimum at (0.9601, 0)",
            ),
            // At the lesson's γ the standardised feature needs 154 steps; γ near 1/2 needs one.
            ("ravine", "", "converges at step 154: not under 20 yet"),
            // A constant γ never settles the noise.
            ("noise", "no", "It has not converged in its 150 steps"),
            (
                "adam-vs-sgd",
                "run:1",
                "1. sgd, lr 0.004: not within 500 steps; 2. adam, lr 0.05: step 414",
            ),
            (
                "lbfgs",
                "run:0",
                "1. lbfgs, lr 1: step 33; 2. adam, lr 0.1: step 1139",
            ),
            (
                "recommender",
                "minimum:0",
                "from the minimum at (1.826, 1.826)",
            ),
        ];
        let mut with: Vec<&str> = lessons()
            .iter()
            .filter(|l| l.exercise.is_some())
            .map(|l| l.id)
            .collect();
        let mut listed = expected.map(|e| e.0).to_vec();
        with.sort_unstable();
        listed.sort_unstable();
        assert_eq!(with, listed, "every exercise is listed here");
        for (id, right, why) in expected {
            let l = lesson(id).unwrap();
            let (state, q) = l.exercise_state().unwrap().unwrap();
            let (surface, runs) = state.compute().unwrap();
            let runs: Vec<&run::Trajectory> = runs.iter().collect();
            assert_eq!(q.unfit(&state, surface.as_ref()), None, "{id}");
            let choices = q.choices(&state, surface.as_ref());
            for c in &choices {
                let v = q.check(&c.answer, &state, surface.as_ref(), &runs).unwrap();
                assert_eq!(v.right, c.answer == right, "{id}: {} -> {v:?}", c.answer);
                assert!(v.why.contains(why), "{id}: {}", v.why);
            }
        }
    }
}
