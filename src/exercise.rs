//! Exercises that check themselves: a question about the state shown, whose answer is computed
//! from its runs, never written down. A lesson may carry one, and a link poses one with
//! `question=converges|minimum|within:N|first:EPS`. Prediction questions (all but `within`) are
//! asked before the run is seen; `within` asks the student to change the state until it holds.

use crate::caption;
use crate::format::short;
use crate::linalg::{norm, Vec2};
use crate::options::Options;
use crate::run::{Status, Trajectory};
use crate::surface::Surface;

/// The largest `N` of `within:N`, the most steps a run may have.
pub const MOST_STEPS: usize = 100_000;

/// How close, as a fraction of the view's diagonal, a run's last point must be to a known
/// minimum to have reached it: about a mark's size on the plot.
pub const REACHED: f64 = 0.02;

/// What a student is asked about the selected run (or, for `First`, the race).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Question {
    /// Will the run converge (‖∇f‖ below the tolerance) within its steps? Yes or no.
    Converges,
    /// Which known minimum does the run reach (or none)? A minimum, or a click on the plot.
    Minimum,
    /// Change the state until the run converges in under `N` steps, then check.
    Within(usize),
    /// Which run of the race first brings f − f* (f where f* is unknown or 0) below `EPS`?
    First(f64),
}

/// One answer a student can give: its label (a button's text) and its key for [`Question::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// What the button says.
    pub label: String,
    /// What [`Question::check`] takes: `yes`, `no`, `minimum:I`, `run:I`, `none` or `check`.
    pub answer: String,
}

/// The judgement of an answer, with the run's facts that decide it.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Whether the answer is what the runs say.
    pub right: bool,
    /// The answer given, in words (a choice's label).
    pub given: String,
    /// The right answer, in words.
    pub truth: String,
    /// Why: what the run did, computed from it.
    pub why: String,
}

/// The accepted forms, for messages.
const FORMS: &str = "converges, minimum, within:N (N steps, 1 to 100000) or first:EPS (a tolerance above 0, such as 1e-6)";

impl Question {
    /// Parses `converges`, `minimum`, `within:N` or `first:EPS`.
    pub fn parse(text: &str) -> Result<Question, crate::Error> {
        let bad = || {
            crate::Error::new(
                "question",
                format!(
                    "expected {FORMS}, got '{}'",
                    text.chars().take(40).collect::<String>()
                ),
            )
        };
        let (kind, arg) = match text.split_once(':') {
            Some((k, a)) => (k, Some(a)),
            None => (text, None),
        };
        match (kind, arg) {
            ("converges", None) => Ok(Question::Converges),
            ("minimum", None) => Ok(Question::Minimum),
            ("within", Some(n)) => match n.parse::<usize>() {
                Ok(n) if (1..=MOST_STEPS).contains(&n) => Ok(Question::Within(n)),
                _ => Err(bad()),
            },
            ("first", Some(eps)) => match eps.parse::<f64>() {
                Ok(e) if e.is_finite() && e > 0.0 => Ok(Question::First(e)),
                _ => Err(bad()),
            },
            _ => Err(bad()),
        }
    }

    /// The question as a link writes it; [`Question::parse`] reads it back.
    pub fn key(&self) -> String {
        match self {
            Question::Converges => "converges".into(),
            Question::Minimum => "minimum".into(),
            Question::Within(n) => format!("within:{n}"),
            Question::First(eps) => format!("first:{}", short(*eps)),
        }
    }

    /// Whether the student answers before seeing the run (the page hides how it ends until then).
    pub fn is_prediction(&self) -> bool {
        !matches!(self, Question::Within(_))
    }

    /// Why this question cannot be asked of `opts` on `surface`, if it cannot: `minimum` needs
    /// known minima, `first` a race.
    pub fn unfit(&self, opts: &Options, surface: &dyn Surface) -> Option<String> {
        match self {
            Question::Minimum if surface.minima().is_empty() => Some(format!(
                "minimum: {} has no known minima to choose from",
                caption::what(opts)
            )),
            Question::First(_) if opts.runs().len() < 2 => {
                Some(format!("{}: needs a race of two or more runs", self.key()))
            }
            _ => None,
        }
    }

    /// The question put to the student, about the state shown.
    pub fn prompt(&self, opts: &Options, surface: &dyn Surface) -> String {
        let name = &caption::names(opts, surface)[opts.selected()];
        let what = caption::what(opts);
        match self {
            Question::Converges => format!(
                "Will {name} converge (‖∇f‖ below 1e-6) on {what} within its {} steps?",
                opts.steps
            ),
            Question::Minimum => format!(
                "Which minimum of {what} does {name} reach in its {} steps? Answer below or click it on the plot.",
                opts.steps
            ),
            Question::Within(n) => format!(
                "Set the learning rate γ so that {} converges (‖∇f‖ below 1e-6) on {what} in under {n} steps, then press Check.",
                opts.run().optimizer.name()
            ),
            Question::First(eps) => format!(
                "Which run of the race first brings {} below {}?",
                gap_name(surface),
                short(*eps)
            ),
        }
    }

    /// The answers offered: yes and no; each known minimum and none; each run and none; or Check.
    pub fn choices(&self, opts: &Options, surface: &dyn Surface) -> Vec<Choice> {
        let choice = |label: String, answer: String| Choice { label, answer };
        match self {
            Question::Converges => vec![
                choice("Yes, it converges".into(), "yes".into()),
                choice("No, it does not".into(), "no".into()),
            ],
            Question::Minimum => (0..surface.minima().len())
                .map(|i| choice(minimum_label(surface, i), format!("minimum:{i}")))
                .chain([choice("None of them".into(), "none".into())])
                .collect(),
            Question::Within(_) => vec![choice("Check".into(), "check".into())],
            Question::First(_) => caption::names(opts, surface)
                .into_iter()
                .enumerate()
                .map(|(i, n)| choice(format!("{}. {n}", i + 1), format!("run:{i}")))
                .chain([choice(
                    format!("None within {} steps", opts.steps),
                    "none".into(),
                )])
                .collect(),
        }
    }

    /// Judges `answer` (a [`Choice::answer`], or `at:X,Y` for a click on the plot at θ = (X, Y),
    /// which picks the known minimum nearest to it) against `runs`, the state's runs on
    /// `surface`. An answer this question does not take is an error naming those it takes.
    pub fn check(
        &self,
        answer: &str,
        opts: &Options,
        surface: &dyn Surface,
        runs: &[&Trajectory],
    ) -> Result<Verdict, crate::Error> {
        if let Some(why) = self.unfit(opts, surface) {
            return Err(crate::Error::new("question", why));
        }
        let choices = self.choices(opts, surface);
        let answer = match (self, answer.strip_prefix("at:")) {
            (Question::Minimum, Some(at)) => format!("minimum:{}", nearest_to_click(surface, at)?),
            _ => answer.to_string(),
        };
        let Some(given) = choices.iter().find(|c| c.answer == answer) else {
            let takes: Vec<&str> = choices.iter().map(|c| c.answer.as_str()).collect();
            return Err(crate::Error::new(
                "answer",
                format!(
                    "this question takes {}, got '{}'",
                    takes.join(", "),
                    answer.chars().take(40).collect::<String>()
                ),
            ));
        };
        let label = |key: &str| {
            choices
                .iter()
                .find(|c| c.answer == key)
                .map_or_else(|| key.to_string(), |c| c.label.clone())
        };
        let selected = runs[opts.selected()];
        let name = &caption::names(opts, surface)[opts.selected()];
        let (truths, why): (Vec<String>, String) = match self {
            Question::Converges => {
                let yes = selected.status == Status::Converged;
                (
                    vec![if yes { "yes" } else { "no" }.into()],
                    ending(surface, opts, selected, "It"),
                )
            }
            Question::Minimum => {
                let end = selected.last();
                let reached = reached_minimum(surface, end);
                let why = match (selected.status, reached) {
                    (Status::Diverged { step }, _) => {
                        format!("It diverges at step {step}: it reaches no minimum.")
                    }
                    (_, Some(i)) => format!(
                        "It ends at {}, {} from the minimum at {}.",
                        point(end),
                        short(distance(end, surface.minima()[i].at)),
                        point(surface.minima()[i].at)
                    ),
                    (_, None) => match nearest_minimum(surface, end) {
                        Some(i) => format!(
                            "It ends at {}, not at a known minimum: the nearest, {}, is {} away.",
                            point(end),
                            point(surface.minima()[i].at),
                            short(distance(end, surface.minima()[i].at))
                        ),
                        None => format!("It ends at {}.", point(end)),
                    },
                };
                (
                    vec![reached.map_or("none".into(), |i| format!("minimum:{i}"))],
                    why,
                )
            }
            Question::Within(n) => {
                let yes = selected.converged_at.is_some_and(|k| k < *n);
                let why = match selected.converged_at {
                    Some(k) if k < *n => format!("{name} converges at step {k}, under {n}."),
                    Some(k) => format!("{name} converges at step {k}: not under {n} yet."),
                    None => {
                        let short_run = if opts.steps < *n {
                            format!(" Raise the steps to at least {n} to see more.")
                        } else {
                            String::new()
                        };
                        format!("{}{short_run}", ending(surface, opts, selected, name))
                    }
                };
                (vec![if yes { "check" } else { "" }.into()], why)
            }
            Question::First(eps) => {
                let f_star = f_star(surface);
                let firsts: Vec<Option<usize>> = runs
                    .iter()
                    .map(|t| {
                        t.losses
                            .iter()
                            .position(|&f| f - f_star.unwrap_or(0.0) < *eps)
                    })
                    .collect();
                let best = firsts.iter().flatten().min().copied();
                let truths: Vec<String> = match best {
                    None => vec!["none".into()],
                    Some(b) => (0..runs.len())
                        .filter(|&i| firsts[i] == Some(b))
                        .map(|i| format!("run:{i}"))
                        .collect(),
                };
                let names = caption::names(opts, surface);
                let each: Vec<String> = firsts
                    .iter()
                    .enumerate()
                    .map(|(i, k)| match (k, runs[i].status) {
                        (Some(k), _) => format!("{}. {}: step {k}", i + 1, names[i]),
                        (None, Status::Diverged { step }) => {
                            format!("{}. {}: never (diverges at step {step})", i + 1, names[i])
                        }
                        (None, _) => {
                            format!("{}. {}: not within {} steps", i + 1, names[i], opts.steps)
                        }
                    })
                    .collect();
                (
                    truths,
                    format!(
                        "First step with {} below {}: {}.",
                        gap_name(surface),
                        short(*eps),
                        each.join("; ")
                    ),
                )
            }
        };
        let right = truths.contains(&answer);
        let truth = match self {
            Question::Within(n) => {
                if right {
                    format!("converges in under {n} steps")
                } else {
                    format!("does not converge in under {n} steps")
                }
            }
            _ => truths
                .iter()
                .map(|t| label(t))
                .collect::<Vec<_>>()
                .join(" or "),
        };
        Ok(Verdict {
            right,
            given: given.label.clone(),
            truth,
            why,
        })
    }
}

/// How a run ended, in a sentence about `who` (`It`, or the run's name): when it converged,
/// where it diverged, or how far it still is from converging.
fn ending(surface: &dyn Surface, opts: &Options, t: &Trajectory, who: &str) -> String {
    match (t.status, t.converged_at) {
        (Status::Converged, Some(k)) => {
            format!("{who} converges: ‖∇f‖ is below 1e-6 from step {k} on.")
        }
        (Status::Diverged { step }, _) => {
            let reason = caption::divergence(surface, opts.run().optimizer, t).unwrap_or_default();
            format!("{who} diverges at step {step}: {reason}.")
        }
        _ => {
            let end = t.last();
            format!(
                "{who} has not converged in its {} steps: ‖∇f‖ is still {} (f = {}).",
                t.steps(),
                short(norm(surface.gradient(end))),
                short(surface.value(end))
            )
        }
    }
}

/// The lowest known value of f, if the surface knows its minima.
fn f_star(surface: &dyn Surface) -> Option<f64> {
    surface
        .minima()
        .iter()
        .filter(|m| m.global)
        .map(|m| m.value)
        .reduce(f64::min)
}

/// What `first:EPS` measures: f − f* where the lowest value is known and not 0, else f.
fn gap_name(surface: &dyn Surface) -> String {
    match f_star(surface) {
        Some(v) if v != 0.0 => format!("f − f* (f* = {})", short(v)),
        _ => "f".into(),
    }
}

/// A minimum as a button says it: where it is and whether it is the global one.
fn minimum_label(surface: &dyn Surface, i: usize) -> String {
    let m = &surface.minima()[i];
    let kind = if m.global { "global ★" } else { "local ○" };
    format!("{} ({kind})", point(m.at))
}

/// `(x, y)` in short numbers.
fn point(p: Vec2) -> String {
    format!("({}, {})", short(p[0]), short(p[1]))
}

fn distance(a: Vec2, b: Vec2) -> f64 {
    norm([a[0] - b[0], a[1] - b[1]])
}

/// The known minimum nearest to `p`, if there is any.
fn nearest_minimum(surface: &dyn Surface, p: Vec2) -> Option<usize> {
    let minima = surface.minima();
    (0..minima.len()).min_by(|&a, &b| {
        distance(p, minima[a].at)
            .partial_cmp(&distance(p, minima[b].at))
            .unwrap_or(std::cmp::Ordering::Equal)
    })
}

/// The known minimum a run ending at `end` reached: the nearest, if `end` lies within
/// [`REACHED`] of the view's diagonal of it.
pub fn reached_minimum(surface: &dyn Surface, end: Vec2) -> Option<usize> {
    let v = surface.view();
    let near = REACHED * (v.x.1 - v.x.0).hypot(v.y.1 - v.y.0);
    nearest_minimum(surface, end).filter(|&i| distance(end, surface.minima()[i].at) <= near)
}

/// The minimum a click at `X,Y` (parameters, as the plot converts them) picks: the nearest.
fn nearest_to_click(surface: &dyn Surface, at: &str) -> Result<usize, crate::Error> {
    let bad = || {
        crate::Error::new(
            "answer",
            format!(
                "expected at:X,Y with two finite numbers, got 'at:{}'",
                at.chars().take(40).collect::<String>()
            ),
        )
    };
    let (x, y) = at.split_once(',').ok_or_else(bad)?;
    let p = [
        x.trim().parse::<f64>().map_err(|_| bad())?,
        y.trim().parse::<f64>().map_err(|_| bad())?,
    ];
    if !crate::linalg::is_finite(p) {
        return Err(bad());
    }
    nearest_minimum(surface, p).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The state of `query` over the defaults, its surface and runs.
    fn state(query: &str) -> (Options, Box<dyn Surface>, Vec<Trajectory>) {
        let opts =
            crate::options::strict(&crate::share::changes(&crate::share::parse_query(query)))
                .unwrap();
        let (surface, runs) = opts.compute().unwrap();
        (opts, surface, runs)
    }

    /// `question` asked of `query`'s state, answered `answer`.
    fn ask(question: &str, query: &str, answer: &str) -> Result<Verdict, crate::Error> {
        let (opts, surface, runs) = state(query);
        let runs: Vec<&Trajectory> = runs.iter().collect();
        Question::parse(question)
            .unwrap()
            .check(answer, &opts, surface.as_ref(), &runs)
    }

    #[test]
    fn questions_parse_and_print_back() {
        for text in [
            "converges",
            "minimum",
            "within:50",
            "first:1e-6",
            "first:0.001",
        ] {
            assert_eq!(Question::parse(text).unwrap().key(), text);
        }
        assert_eq!(Question::parse("first:1e-6"), Ok(Question::First(1e-6)));
        for bad in [
            "",
            "converge",
            "within",
            "within:0",
            "within:100001",
            "within:-3",
            "within:2.5",
            "first",
            "first:0",
            "first:-1",
            "first:nan",
            "first:inf",
            "minimum:3",
            "converges:1",
        ] {
            let e = Question::parse(bad).unwrap_err();
            assert_eq!(e.option, "question", "{bad}");
            assert!(e.message.contains("within:N"), "{bad}: {}", e.message);
        }
    }

    #[test]
    fn only_within_lets_the_student_see_the_run_first() {
        assert!(Question::Converges.is_prediction());
        assert!(Question::Minimum.is_prediction());
        assert!(Question::First(1e-6).is_prediction());
        assert!(!Question::Within(5).is_prediction());
    }

    #[test]
    fn converges_is_decided_by_the_runs_status() {
        // Booth: GD is stable below 2/18; at 0.12 it diverges, at 0.1 it converges at step 86.
        let v = ask("converges", "surface=booth&lr=0.12&steps=100", "no").unwrap();
        assert!(v.right);
        assert!(v.why.starts_with("It diverges at step "), "{}", v.why);
        assert_eq!(v.truth, "No, it does not");
        let v = ask("converges", "surface=booth&lr=0.12&steps=100", "yes").unwrap();
        assert!(!v.right);
        assert_eq!(v.given, "Yes, it converges");
        let v = ask("converges", "surface=booth&lr=0.1&steps=100", "yes").unwrap();
        assert!(v.right);
        assert_eq!(v.why, "It converges: ‖∇f‖ is below 1e-6 from step 86 on.");
        // Too few steps: not converged, with the gradient left.
        let v = ask("converges", "surface=booth&lr=0.1&steps=20", "no").unwrap();
        assert!(v.right);
        assert!(
            v.why
                .starts_with("It has not converged in its 20 steps: ‖∇f‖ is still "),
            "{}",
            v.why
        );
    }

    #[test]
    fn minimum_is_the_known_minimum_the_run_ends_at() {
        // Double well: gradient descent from the right settles in the local minimum; momentum
        // at γ = 0.02 reaches the global one, at 0.05 the local one again (the lesson's claims).
        let (opts, surface, _) = state("surface=double-well");
        let minima = surface.minima();
        let global = minima.iter().position(|m| m.global).unwrap();
        let local = minima.iter().position(|m| !m.global).unwrap();
        let choices = Question::Minimum.choices(&opts, surface.as_ref());
        assert_eq!(choices.len(), minima.len() + 1);
        assert!(choices[global].label.ends_with("(global ★)"));
        assert_eq!(choices.last().unwrap().answer, "none");
        let race = |lr: f64| {
            format!("surface=double-well&steps=300&runs=lr:0.02;optimizer:momentum,lr:{lr},momentum:0.9&selected=1")
        };
        let v = ask("minimum", &race(0.02), &format!("minimum:{global}")).unwrap();
        assert!(v.right, "{v:?}");
        assert!(v.why.contains("from the minimum at"), "{}", v.why);
        let v = ask("minimum", &race(0.05), &format!("minimum:{global}")).unwrap();
        assert!(!v.right);
        assert_eq!(v.truth, minimum_label(surface.as_ref(), local));
        // Run 1 (plain GD) is not the one asked about: selected=0 asks about it.
        let v = ask(
            "minimum",
            &race(0.02).replace("selected=1", "selected=0"),
            &format!("minimum:{local}"),
        )
        .unwrap();
        assert!(v.right, "{v:?}");
        // A click picks the nearest minimum to where it lands.
        let m = minima[local].at;
        let click = format!("at:{},{}", m[0] + 0.2, m[1] - 0.1);
        let v = ask("minimum", &race(0.05), &click).unwrap();
        assert!(v.right, "{v:?}");
        assert_eq!(v.given, minimum_label(surface.as_ref(), local));
        // A run that diverges reaches none of them.
        let v = ask("minimum", "surface=double-well&lr=5&steps=100", "none").unwrap();
        assert!(v.right, "{v:?}");
        assert!(v.why.starts_with("It diverges at step "), "{}", v.why);
    }

    #[test]
    fn reaching_a_minimum_means_ending_within_two_percent_of_the_views_diagonal() {
        // The double well's view is 4 × 3: a diagonal of 5, so within 0.1 of a minimum.
        let s = crate::surface::by_name("double-well").unwrap();
        let v = s.view();
        assert_eq!((v.x, v.y), ((-2.0, 2.0), (-1.5, 1.5)));
        let local = s.minima().iter().position(|m| !m.global).unwrap();
        let m = s.minima()[local].at;
        assert_eq!(
            reached_minimum(s.as_ref(), [m[0] + 0.09, m[1]]),
            Some(local)
        );
        assert_eq!(
            reached_minimum(s.as_ref(), [m[0], m[1] - 0.099]),
            Some(local)
        );
        assert_eq!(reached_minimum(s.as_ref(), [m[0] + 0.11, m[1]]), None);
        assert_eq!(reached_minimum(s.as_ref(), [m[0], m[1] + 0.101]), None);
    }

    #[test]
    fn a_run_stopped_short_of_a_minimum_reaches_none() {
        // Rosenbrock's valley: 50 small steps leave GD far from (1, 1).
        let v = ask("minimum", "surface=rosenbrock&lr=0.0001&steps=50", "none").unwrap();
        assert!(v.right, "{v:?}");
        assert!(v.why.contains("not at a known minimum"), "{}", v.why);
        assert!(v.why.contains("(1, 1)"), "{}", v.why);
    }

    #[test]
    fn within_is_decided_by_the_step_it_converges_at() {
        // Standardised regression: curvature 2 in every direction; γ = 0.5 lands in one step,
        // γ = 0.05 shrinks the error by 0.9 a step and needs well over 20.
        let fast = ask(
            "within:20",
            "surface=linear-regression-std&lr=0.45&steps=200",
            "check",
        )
        .unwrap();
        assert!(fast.right, "{fast:?}");
        assert!(fast.why.contains("under 20"), "{}", fast.why);
        let slow = ask(
            "within:20",
            "surface=linear-regression-std&lr=0.05&steps=200",
            "check",
        )
        .unwrap();
        assert!(!slow.right);
        assert!(slow.why.contains("not under 20 yet"), "{}", slow.why);
        assert_eq!(slow.truth, "does not converge in under 20 steps");
        // Fewer steps than asked about: says so.
        let short_run = ask(
            "within:50",
            "surface=linear-regression-std&lr=0.01&steps=30",
            "check",
        )
        .unwrap();
        assert!(!short_run.right);
        assert!(
            short_run.why.contains("Raise the steps to at least 50"),
            "{}",
            short_run.why
        );
    }

    #[test]
    fn within_n_means_strictly_fewer_than_n_steps() {
        let query = "surface=linear-regression-std&lr=0.45&steps=200";
        let (opts, surface, runs) = state(query);
        let k = runs[0].converged_at.unwrap();
        let runs: Vec<&Trajectory> = runs.iter().collect();
        let check = |n: usize| {
            Question::Within(n)
                .check("check", &opts, surface.as_ref(), &runs)
                .unwrap()
        };
        let at = check(k);
        assert!(!at.right, "converging at step {k} is not under {k}");
        assert_eq!(
            at.why,
            format!("sgd, lr 0.45 converges at step {k}: not under {k} yet.")
        );
        let after = check(k + 1);
        assert!(after.right);
        assert_eq!(
            after.why,
            format!("sgd, lr 0.45 converges at step {k}, under {}.", k + 1)
        );
        // A run as long as N that has not converged needs no more steps to tell.
        let (opts, surface, runs) = state("surface=linear-regression-std&lr=0.001&steps=50");
        let runs: Vec<&Trajectory> = runs.iter().collect();
        let v = Question::Within(50)
            .check("check", &opts, surface.as_ref(), &runs)
            .unwrap();
        assert!(!v.right);
        assert!(!v.why.contains("Raise the steps"), "{}", v.why);
        assert!(
            v.why
                .starts_with("sgd, lr 0.001 has not converged in its 50 steps"),
            "{}",
            v.why
        );
    }

    #[test]
    fn first_counts_the_step_strictly_below_the_tolerance_over_f_star() {
        // Ridge's lowest value is above 0: the gap is f − f*. With EPS set to one run's own
        // gap at step 3, that step is not below it; step 4 is.
        let query = "surface=ridge&steps=50&runs=lr:0.1;lr:0.01";
        let (opts, surface, runs) = state(query);
        let f_star = f_star(surface.as_ref()).unwrap();
        assert!(f_star > 0.1, "{f_star}");
        let eps = runs[0].losses[3] - f_star;
        assert!(runs[0].losses[4] - f_star < eps);
        let runs: Vec<&Trajectory> = runs.iter().collect();
        let v = Question::First(eps)
            .check("run:0", &opts, surface.as_ref(), &runs)
            .unwrap();
        assert!(v.right, "{v:?}");
        assert!(v.why.contains("1. sgd, lr 0.1: step 4;"), "{}", v.why);
    }

    #[test]
    fn first_names_the_run_that_crosses_the_tolerance_first() {
        // Rosenbrock (f* = 0): L-BFGS with a line search is down to 1e-6 long before Adam.
        let race = "surface=rosenbrock&steps=2000&runs=optimizer:lbfgs,lr:1,line_search:strong_wolfe;optimizer:adam,lr:0.1";
        let v = ask("first:1e-6", race, "run:0").unwrap();
        assert!(v.right, "{v:?}");
        assert!(
            v.why.starts_with("First step with f below 1e-6: 1. lbfgs"),
            "{}",
            v.why
        );
        assert!(!ask("first:1e-6", race, "run:1").unwrap().right);
        assert!(!ask("first:1e-6", race, "none").unwrap().right);
        // Nobody gets there in 5 steps.
        let v = ask("first:1e-6", &race.replace("steps=2000", "steps=5"), "none").unwrap();
        assert!(v.right, "{v:?}");
        assert!(v.why.contains("not within 5 steps"), "{}", v.why);
        // Two identical runs tie: either is right.
        let tie = "surface=booth&steps=200&runs=lr:0.1;lr:0.1";
        assert!(ask("first:1e-6", tie, "run:0").unwrap().right);
        assert!(ask("first:1e-6", tie, "run:1").unwrap().right);
    }

    #[test]
    fn first_measures_the_gap_to_a_nonzero_lowest_value() {
        let (opts, surface, _) = state("surface=ridge&runs=lr:0.1;lr:0.2");
        let f_star = f_star(surface.as_ref()).unwrap();
        assert!(f_star > 0.0);
        assert!(Question::First(1e-6)
            .prompt(&opts, surface.as_ref())
            .contains("f − f*"));
    }

    #[test]
    fn questions_a_state_cannot_answer_are_refused() {
        let e = ask("first:1e-6", "surface=booth", "run:0").unwrap_err();
        assert!(e.message.contains("needs a race"), "{}", e.message);
        let e = ask("minimum", "expr=x*y", "none").unwrap_err();
        assert!(e.message.contains("no known minima"), "{}", e.message);
        // Answers the question does not take name those it does.
        let e = ask("converges", "surface=booth", "maybe").unwrap_err();
        assert_eq!(e.option, "answer");
        assert!(e.message.contains("yes, no"), "{}", e.message);
        for bad in ["at:1", "at:x,2", "at:nan,1", "at:inf,0"] {
            let e = ask("minimum", "surface=double-well", bad).unwrap_err();
            assert!(e.message.contains("at:X,Y"), "{bad}: {}", e.message);
        }
        // A click is an answer only to `minimum`.
        assert!(ask("converges", "surface=booth", "at:1,3").is_err());
    }

    #[test]
    fn prompts_name_the_run_and_the_surface() {
        let (opts, surface, _) = state("surface=booth&lr=0.12&steps=100");
        assert_eq!(
            Question::Converges.prompt(&opts, surface.as_ref()),
            "Will sgd, lr 0.12 converge (‖∇f‖ below 1e-6) on booth within its 100 steps?"
        );
        assert!(Question::Within(50)
            .prompt(&opts, surface.as_ref())
            .contains("in under 50 steps"));
    }
}
