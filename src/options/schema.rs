//! The options as data: every key `set()` takes, the kind of value it holds and the range the
//! core accepts, for a front end that checks a value before it hands it over — the Python
//! widget (`python/`), which must raise at once where the page would answer later. Built from
//! the constants and bounds [`Options::apply`](super::Options::apply) validates with
//! ([`HyperName::range`], [`MAX_LR`], the catalog's parameter ranges, ...), never restated;
//! `gdviz schema` prints it as JSON, and tests/schema.rs holds every entry to what `apply`
//! accepts.
//!
//! A spec is *complete* when a value it admits is always accepted by `apply`, whatever the
//! state; otherwise `page_checks` says in words what only the state can decide (the batch
//! against the surface's number of terms, a formula's grammar, ...).

use super::network::MAX_NET_SEED;
use super::runs::{MAX_SEED, RUN_KEYS};
use super::{KEYS, MAX_APP_STEPS, MAX_BATCH, MAX_LR, MAX_RUNS, NETWORK_KEYS};
use crate::expr::{self, VIEW_LIMIT};
use crate::network::mlp::{MAX_LAYERS, MAX_WIDTH, MIN_WIDTH};
use crate::network::{Activation, DataName};
use crate::optim::{Bounds, HyperName, HyperRange, OptimizerKind};
use crate::surface;
use crate::variant::Variant;

/// The kind of value an option holds, with its range.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A number within the bounds.
    Number(Bounds),
    /// A whole number from `min` to `max`.
    Whole {
        /// The smallest.
        min: u64,
        /// The largest.
        max: u64,
    },
    /// Two numbers, each within its bounds (the first ≤ the second if `ordered`).
    Pair {
        /// The first number's bounds.
        first: Bounds,
        /// The second number's bounds.
        second: Bounds,
        /// Whether the first may not exceed the second.
        ordered: bool,
    },
    /// On or off.
    Flag,
    /// One of these names.
    Choice(Vec<&'static str>),
    /// Text of at most `max_len` characters (`None`: no limit of its own).
    Text {
        /// The most characters.
        max_len: Option<usize>,
    },
    /// Layer widths: 1 to `layers` whole numbers, each from `min` to `max`.
    Widths {
        /// The most layers.
        layers: usize,
        /// The narrowest layer.
        min: usize,
        /// The widest layer.
        max: usize,
    },
    /// A list of 1 to `max` runs, each an object of per-run keys.
    Runs {
        /// The most runs.
        max: usize,
    },
}

/// Which part of the state an option belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Shared by every run (the surface, the start, the steps, ...).
    Shared,
    /// The selected run's own (and a key of each entry of `runs`).
    Run,
    /// Network mode's.
    Network,
    /// A parameter of this catalog surface only.
    Surface(&'static str),
}

/// One option.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionSpec {
    /// Its name in `set()`, links and attributes.
    pub name: &'static str,
    /// Where it belongs.
    pub scope: Scope,
    /// What it holds.
    pub kind: Kind,
    /// Whether `null` is accepted (and means the default).
    pub nullable: bool,
    /// What only the state can decide, in words; `None` when the spec is complete.
    pub page_checks: Option<&'static str>,
    /// Whether it is kept only so that older links still read (`race`).
    pub legacy: bool,
}

impl OptionSpec {
    fn new(name: &'static str, scope: Scope, kind: Kind) -> OptionSpec {
        OptionSpec {
            name,
            scope,
            kind,
            nullable: false,
            page_checks: None,
            legacy: false,
        }
    }

    fn nullable(mut self) -> OptionSpec {
        self.nullable = true;
        self
    }

    fn page(mut self, checks: &'static str) -> OptionSpec {
        self.page_checks = Some(checks);
        self
    }
}

/// `[min, ∞)` of finite numbers, open below if `open`.
const fn at_least(min: f64, open: bool) -> Bounds {
    Bounds::new(min, f64::INFINITY, open, true)
}

/// The spec of a per-run key ([`RUN_KEYS`]).
fn run_spec(name: &'static str) -> OptionSpec {
    let run = |kind| OptionSpec::new(name, Scope::Run, kind);
    match name {
        "optimizer" => run(Kind::Choice(
            OptimizerKind::ALL.iter().map(|k| k.name()).collect(),
        ))
        .page("a method that evaluates f itself (newton, linesearch, lbfgs) switches the run to the full batch"),
        "lr" => {
            let HyperRange::Number { bounds, .. } = HyperName::Lr.range() else {
                unreachable!("the learning rate is a number")
            };
            run(Kind::Number(Bounds::new(
                bounds.min,
                MAX_LR,
                bounds.min_open,
                false,
            )))
        }
        "schedule" => run(Kind::Text { max_len: None })
            .nullable()
            .page("the schedule's spec (kind and keys) and torch's checks against the optimizer and the steps"),
        "clip_norm" | "clip_value" => run(Kind::Number(at_least(0.0, true))).nullable(),
        "variant" => run(Kind::Choice(Variant::ALL.iter().map(|v| v.name()).collect()))
            .page("an optimizer that evaluates f itself steps on the full batch only"),
        "batch" => run(Kind::Whole {
            min: 1,
            max: MAX_BATCH,
        })
        .page("at most the surface's number of terms"),
        "seed" => run(Kind::Whole {
            min: 0,
            max: MAX_SEED,
        }),
        _ => {
            let h = HyperName::ALL
                .into_iter()
                .find(|h| h.name() == name)
                .unwrap_or_else(|| panic!("run key {name} has no spec"));
            run(match h.range() {
                HyperRange::Number {
                    bounds,
                    whole: false,
                } => Kind::Number(bounds),
                HyperRange::Number { bounds, whole: true } => Kind::Whole {
                    min: bounds.min as u64,
                    max: bounds.max as u64,
                },
                HyperRange::Pair {
                    first,
                    second,
                    ordered,
                } => Kind::Pair {
                    first,
                    second,
                    ordered,
                },
                HyperRange::Flag => Kind::Flag,
                HyperRange::Choice(names) => Kind::Choice(names.to_vec()),
            })
        }
    }
}

/// The spec of a shared or Network-mode key of [`KEYS`] (not a per-run one).
fn shared_spec(name: &'static str) -> OptionSpec {
    let shared = |kind| OptionSpec::new(name, Scope::Shared, kind);
    let network = |kind| OptionSpec::new(name, Scope::Network, kind);
    let view = Bounds::new(-VIEW_LIMIT, VIEW_LIMIT, false, false);
    let seed = Kind::Whole {
        min: 0,
        max: MAX_NET_SEED,
    };
    match name {
        "surface" => {
            let mut names: Vec<&'static str> = surface::catalog().iter().map(|e| e.name).collect();
            // What `state()` reports in expression mode; setting it changes nothing.
            names.push(expr::NAME);
            shared(Kind::Choice(names))
        }
        "expr" => shared(Kind::Text {
            max_len: Some(expr::MAX_LEN),
        })
        .page("the formula's grammar (an error names the place), and that f is defined somewhere in the view"),
        "xrange" | "yrange" => shared(Kind::Pair {
            first: view,
            second: view,
            ordered: true,
        })
        .nullable()
        .page("only with a typed expr; min below max by at least 1e-6; f defined somewhere in the view"),
        "runs" => shared(Kind::Runs { max: MAX_RUNS })
            .page("each entry's values as the per-run keys', and its batch against the surface"),
        "race" => OptionSpec {
            legacy: true,
            ..shared(Kind::Runs { max: MAX_RUNS })
                .nullable()
                .page("entries laid over the selected run, as for runs")
        },
        "selected" => shared(Kind::Whole {
            min: 0,
            max: MAX_RUNS as u64 - 1,
        })
        .page("a run that exists: below the number of runs"),
        "noise" => shared(Kind::Number(at_least(0.0, false))).nullable(),
        "start" => shared(Kind::Pair {
            first: Bounds::new(f64::NEG_INFINITY, f64::INFINITY, true, true),
            second: Bounds::new(f64::NEG_INFINITY, f64::INFINITY, true, true),
            ordered: false,
        })
        .nullable(),
        "steps" => shared(Kind::Whole {
            min: 1,
            max: MAX_APP_STEPS as u64,
        }),
        "mode" => network(Kind::Choice(vec!["surfaces", "network"])),
        "dataset" => network(Kind::Choice(
            DataName::ALL.iter().map(|d| d.name()).collect(),
        )),
        "hidden" => network(Kind::Widths {
            layers: MAX_LAYERS,
            min: MIN_WIDTH,
            max: MAX_WIDTH,
        }),
        "activation" => network(Kind::Choice(
            Activation::ALL.iter().map(|a| a.name()).collect(),
        )),
        "data_seed" | "init_seed" => network(seed),
        "curves" => network(Kind::Choice(vec!["step", "epoch"])),
        _ => panic!("option {name} has no spec"),
    }
}

/// Every option `set()` takes, in the order the core applies them ([`KEYS`] with every per-run
/// key in [`RUN_KEYS`] order at the place of the selected run's keys), then each catalog
/// surface's own parameters.
pub fn options() -> Vec<OptionSpec> {
    let mut out = Vec::new();
    for key in KEYS {
        if RUN_KEYS.contains(&key) {
            if key == RUN_KEYS[0] {
                out.extend(RUN_KEYS.iter().map(|&k| run_spec(k)));
            }
        } else {
            out.push(shared_spec(key));
        }
    }
    debug_assert!(NETWORK_KEYS
        .iter()
        .all(|k| out.iter().any(|s| s.name == *k)));
    for entry in surface::catalog() {
        for p in entry.params {
            out.push(OptionSpec::new(
                p.name,
                Scope::Surface(entry.name),
                Kind::Number(Bounds::new(p.min, p.max, false, false)),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_one_spec_and_parameters_follow() {
        let specs = options();
        for key in KEYS.iter().chain(RUN_KEYS.iter()) {
            let n = specs.iter().filter(|s| s.name == *key).count();
            assert_eq!(n, 1, "{key}");
        }
        let shared = specs
            .iter()
            .filter(|s| !matches!(s.scope, Scope::Surface(_)))
            .count();
        let both = KEYS.iter().filter(|k| RUN_KEYS.contains(k)).count();
        assert_eq!(shared, KEYS.len() + RUN_KEYS.len() - both);
        assert!(specs
            .iter()
            .any(|s| s.name == "kappa" && s.scope == Scope::Surface("ravine")));
    }

    #[test]
    fn the_learning_rate_ends_at_the_slider() {
        let lr = options().into_iter().find(|s| s.name == "lr").unwrap();
        assert_eq!(
            lr.kind,
            Kind::Number(Bounds::new(0.0, MAX_LR, false, false))
        );
    }
}
