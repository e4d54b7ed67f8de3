//! The words that name runs for people: how a run ended, a figure's title and its legend. The
//! app's PNG export and `gdviz render` write the same words.

use crate::format::short;
use crate::optim::OptimizerKind;
use crate::options::Options;
use crate::run::{Status, Trajectory};
use crate::surface::Surface;

/// How a run ended, in a few words: `converged`, `diverged at step 12`, `not converged`.
pub fn status(t: &Trajectory) -> String {
    match t.status {
        Status::Converged => "converged".into(),
        Status::Diverged { step } => format!("diverged at step {step}"),
        Status::MaxSteps => "not converged".into(),
    }
}

/// Why a diverged run stopped, after "diverged at step k: ": Newton's method where its step
/// does not exist (H singular or not finite at the last point), else the path leaving the view
/// or overflowing. `None` for a run that did not diverge.
pub fn divergence(
    surface: &dyn Surface,
    optimizer: OptimizerKind,
    t: &Trajectory,
) -> Option<String> {
    let Status::Diverged { step } = t.status else {
        return None;
    };
    let at = t.last();
    let h = surface.hessian(at);
    let solvable = crate::optim::solve(&[h[0][0], h[0][1], h[1][0], h[1][1]], &[1.0, 1.0])
        .iter()
        .all(|x| x.is_finite());
    Some(if optimizer == OptimizerKind::Newton && !solvable {
        format!(
            "the Hessian at θ{} is singular, so the Newton step H⁻¹∇f does not exist there",
            step - 1
        )
    } else {
        "the path left the view (learning rate too large?)".to_string()
    })
}

/// What is plotted: the surface's name with the parameters set, or a typed `f = …`.
pub fn what(opts: &Options) -> String {
    match &opts.expr {
        Some(formula) => format!("f = {formula}"),
        None if opts.params.is_empty() => opts.surface.clone(),
        None => {
            let params: Vec<String> = opts
                .params
                .iter()
                .map(|(k, v)| format!("{k} = {}", short(*v)))
                .collect();
            format!("{} ({})", opts.surface, params.join(", "))
        }
    }
}

/// Each run's name (`adam, lr 0.05, minibatch of 10`) on `surface`.
pub fn names(opts: &Options, surface: &dyn Surface) -> Vec<String> {
    let terms = surface.terms().unwrap_or(crate::variant::ANALYTIC_TERMS);
    opts.runs().iter().map(|r| r.name(terms)).collect()
}

/// A one-line title: the surface, then the run's name and how it ended, or how many runs race.
pub fn title<'a>(
    opts: &Options,
    surface: &dyn Surface,
    runs: impl IntoIterator<Item = &'a Trajectory>,
) -> String {
    let runs: Vec<&Trajectory> = runs.into_iter().collect();
    let what = what(opts);
    match runs.as_slice() {
        [t] => format!(
            "{what} — {}, {} steps: {}",
            names(opts, surface)[0],
            opts.steps,
            status(t)
        ),
        _ => format!("{what} — {} runs, {} steps", runs.len(), opts.steps),
    }
}

/// The legend of a race: `1. sgd, lr 0.01: converged` for every run, in colour order; empty
/// for a single run (the title names it).
pub fn legend<'a>(
    opts: &Options,
    surface: &dyn Surface,
    runs: impl IntoIterator<Item = &'a Trajectory>,
) -> Vec<String> {
    let runs: Vec<&Trajectory> = runs.into_iter().collect();
    if runs.len() < 2 {
        return Vec::new();
    }
    names(opts, surface)
        .iter()
        .zip(runs)
        .enumerate()
        .map(|(i, (name, t))| format!("{}. {name}: {}", i + 1, status(t)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::{strict, Value};

    #[test]
    fn titles_and_legends_name_every_run() {
        let s = |v: &str| Value::Str(v.to_string());
        let opts = strict(&[
            ("surface".into(), s("booth")),
            ("steps".into(), s("50")),
            (
                "runs".into(),
                s("optimizer:sgd,lr:0.2;optimizer:adam,lr:0.05,variant:minibatch,batch:5"),
            ),
        ])
        .unwrap();
        let (surface, runs) = opts.compute().unwrap();
        assert_eq!(
            title(&opts, surface.as_ref(), &runs),
            "booth — 2 runs, 50 steps"
        );
        let legend = legend(&opts, surface.as_ref(), &runs);
        assert_eq!(legend.len(), 2);
        assert!(
            legend[0].starts_with("1. sgd, lr 0.2: diverged at step "),
            "{legend:?}"
        );
        assert_eq!(legend[1], "2. adam, lr 0.05, minibatch of 5: not converged");
        let one = strict(&[("surface".into(), s("booth")), ("lr".into(), s("0.05"))]).unwrap();
        let (surface, runs) = one.compute().unwrap();
        assert_eq!(
            title(&one, surface.as_ref(), &runs),
            "booth — sgd, lr 0.05, 1000 steps: converged"
        );
        assert!(legend_of(&one).is_empty());
    }

    fn legend_of(o: &Options) -> Vec<String> {
        let (surface, runs) = o.compute().unwrap();
        legend(o, surface.as_ref(), &runs)
    }
}
