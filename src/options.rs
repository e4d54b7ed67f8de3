//! The option set shared by the page, the scripting hook and (later) the URL: names, values,
//! validation and defaults, applied one key at a time so a bad value is reported and ignored
//! while the rest still apply.

use crate::error::Error;
use crate::expr::{self, ExprSurface};
use crate::linalg::{self, Vec2};
use crate::optim::{HyperName, OptimizerKind};
use crate::run::{run_to_end, End, RunConfig, Trajectory};
use crate::surface::{self, Surface};
use crate::variant::Variant;
use crate::Hyper;

/// The most steps the interactive app computes per run.
pub const MAX_APP_STEPS: usize = 100_000;

/// A value given for an option, before validation.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number.
    Num(f64),
    /// A string (numbers written as text are accepted where a number is expected).
    Str(String),
    /// A point `[x, y]`.
    Pair(f64, f64),
    /// `null` or `undefined`: back to the default, where the option has one.
    Null,
    /// A list of option sets (the `race` entries).
    Entries(Vec<Vec<(String, Value)>>),
}

impl Value {
    fn number(&self, key: &str) -> Result<f64, Error> {
        match self {
            Value::Num(v) => Ok(*v),
            Value::Str(s) => s
                .trim()
                .parse::<f64>()
                .map_err(|_| Error::new(key, format!("expected a number, got '{}'", clip(s)))),
            _ => Err(Error::new(key, "expected a number")),
        }
    }

    fn count(&self, key: &str, lo: u64, hi: u64) -> Result<u64, Error> {
        let v = self.number(key)?;
        if v.fract() != 0.0 || v < lo as f64 || v > hi as f64 {
            return Err(Error::new(
                key,
                format!(
                    "expected a whole number from {lo} to {hi}, got {}",
                    expr::format_number(v)
                ),
            ));
        }
        Ok(v as u64)
    }

    fn text(&self, key: &str) -> Result<&str, Error> {
        match self {
            Value::Str(s) => Ok(s),
            _ => Err(Error::new(key, "expected a name")),
        }
    }
}

/// Two numbers written `min,max` (as in a URL).
fn pair_text(key: &str, t: &str) -> Result<(f64, f64), Error> {
    let bad = || {
        Error::new(
            key,
            format!("expected two numbers min,max, got '{}'", clip(t)),
        )
    };
    let (a, b) = t.split_once(',').ok_or_else(bad)?;
    match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        _ => Err(bad()),
    }
}

/// Race entries written compactly (as in a URL): entries separated by `;`, each a list of
/// `key:value` separated by `,`, e.g. `optimizer:sgd,lr:0.01;optimizer:adam,lr:0.05`. An empty
/// text is no race.
pub fn parse_race(text: &str) -> Result<Vec<Vec<(String, Value)>>, Error> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    text.split(';')
        .enumerate()
        .map(|(i, entry)| {
            if entry.trim().is_empty() {
                // An entry that changes nothing races the shared settings (`[{}, …]` in
                // JavaScript), and is written as nothing between its `;`.
                return Ok(Vec::new());
            }
            entry
                .split(',')
                .map(|kv| {
                    let (k, v) = kv.split_once(':').ok_or_else(|| {
                        Error::new(
                            "race",
                            format!(
                                "entry {}: expected key:value, got '{}' (write e.g. optimizer:sgd,lr:0.01;optimizer:adam,lr:0.05)",
                                i + 1,
                                clip(kv)
                            ),
                        )
                    })?;
                    Ok((k.trim().to_string(), Value::Str(v.trim().to_string())))
                })
                .collect()
        })
        .collect()
}

/// At most 40 characters of user text in a message.
fn clip(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Every option of one visualizer.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Catalog name of the surface, or `"expr"` for a typed expression.
    pub surface: String,
    /// The typed expression (normalised text) while `surface` is `"expr"`; `None` otherwise.
    pub expr: Option<String>,
    /// The x range of a typed expression's view; `None` for the default [−3, 3].
    pub xrange: Option<(f64, f64)>,
    /// The y range of a typed expression's view; `None` for the default [−3, 3].
    pub yrange: Option<(f64, f64)>,
    /// The surface's own parameters that were set (e.g. `kappa`).
    pub params: Vec<(String, f64)>,
    /// The optimizer.
    pub optimizer: OptimizerKind,
    /// Its hyper-parameters (all of them, used or not, so switching back keeps them).
    pub hyper: Hyper,
    /// Batch, stochastic or mini-batch.
    pub variant: Variant,
    /// Mini-batch size.
    pub batch: usize,
    /// Sampler seed.
    pub seed: u64,
    /// Noise scale of analytic surfaces; `None` for the surface's default.
    pub noise: Option<f64>,
    /// Number of steps.
    pub steps: usize,
    /// Start point; `None` for the surface's default.
    pub start: Option<Vec2>,
    /// Optimizers raced on the same surface and start: each entry's options overlay these.
    /// Empty for a single run.
    pub race: Vec<Vec<(String, Value)>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            surface: "rosenbrock".into(),
            expr: None,
            xrange: None,
            yrange: None,
            params: Vec::new(),
            optimizer: OptimizerKind::Sgd,
            hyper: Hyper::defaults(OptimizerKind::Sgd),
            variant: Variant::Batch,
            batch: 10,
            seed: 0,
            noise: None,
            steps: 1000,
            start: None,
            race: Vec::new(),
        }
    }
}

/// The option names, in the order they are applied (the surface first, since it resets the
/// start and decides which parameters exist; the optimizer before its hyper-parameters).
pub const KEYS: [&str; 18] = [
    "surface",
    "expr",
    "xrange",
    "yrange",
    "optimizer",
    "lr",
    "momentum",
    "beta1",
    "beta2",
    "decay",
    "eps",
    "variant",
    "batch",
    "seed",
    "noise",
    "start",
    "steps",
    "race",
];

/// The most runs in a race.
pub const MAX_RACE: usize = 4;

/// The options a race entry may set; the rest (surface, start, steps, noise) are shared.
pub const RACE_KEYS: [&str; 10] = [
    "optimizer",
    "lr",
    "momentum",
    "beta1",
    "beta2",
    "decay",
    "eps",
    "variant",
    "batch",
    "seed",
];

impl Options {
    /// Applies one option. Unknown keys are errors too (the caller reports and ignores them),
    /// except a surface parameter of the current surface, such as `kappa`.
    pub fn apply(&mut self, key: &str, value: &Value) -> Result<(), Error> {
        match key {
            "surface" => {
                let name = value.text(key)?;
                if name == expr::NAME {
                    // What `state()` reports in expression mode; entered by setting `expr`.
                    return Ok(());
                }
                surface::find(name).map_err(|e| Error::new(key, clip(&e.message)))?;
                if name != self.surface {
                    self.surface = name.to_string();
                    self.expr = None;
                    self.xrange = None;
                    self.yrange = None;
                    self.params.clear();
                    self.start = None;
                    self.noise = None;
                }
            }
            "optimizer" => {
                // Clipped first: no name is that long, and the error quotes what it was given.
                let kind = OptimizerKind::parse(&clip(value.text(key)?))?;
                if kind != self.optimizer {
                    // ε's default differs between optimizers (1e-10 for Adagrad); the rest carry
                    // over, so a student can compare optimizers at the same learning rate.
                    self.hyper.eps = Hyper::defaults(kind).eps;
                    self.optimizer = kind;
                }
            }
            "variant" => self.variant = Variant::parse(&clip(value.text(key)?))?,
            "batch" => self.batch = value.count(key, 1, 100_000)? as usize,
            "seed" => self.seed = value.count(key, 0, (1u64 << 53) - 1)?,
            "noise" => {
                self.noise = match value {
                    Value::Null => None,
                    Value::Str(t) if t.trim().is_empty() => None,
                    v => {
                        let n = v.number(key)?;
                        if !(n.is_finite() && n >= 0.0) {
                            return Err(Error::new(
                                key,
                                format!(
                                    "must be a finite number ≥ 0 (got {})",
                                    expr::format_number(n)
                                ),
                            ));
                        }
                        Some(n)
                    }
                }
            }
            "steps" => self.steps = value.count(key, 1, MAX_APP_STEPS as u64)? as usize,
            "expr" => {
                let Value::Str(text) = value else {
                    return Err(Error::new(
                        key,
                        "expected a formula in x and y, e.g. x^2 + 10*y^2",
                    ));
                };
                let formula = ExprSurface::parse(text, self.expr_view())?
                    .formula()
                    .to_string();
                if self.expr.as_deref() != Some(formula.as_str()) {
                    self.surface = expr::NAME.to_string();
                    self.expr = Some(formula);
                    self.params.clear();
                    self.start = None;
                    self.noise = None;
                }
            }
            "xrange" | "yrange" => {
                if self.expr.is_none() {
                    return Err(Error::new(
                        key,
                        "sets the view of a typed expression (expr) only; ignored",
                    ));
                }
                let range = match value {
                    Value::Null => None,
                    Value::Pair(a, b) => Some((*a, *b)),
                    Value::Str(t) => Some(pair_text(key, t)?),
                    _ => return Err(Error::new(key, "expected two numbers [min, max]")),
                };
                let mut next = self.clone();
                match range {
                    Some(r) if key == "xrange" => next.xrange = Some(expr::check_range(key, r)?),
                    Some(r) => next.yrange = Some(expr::check_range(key, r)?),
                    None if key == "xrange" => next.xrange = None,
                    None => next.yrange = None,
                }
                next.build_surface()
                    .map_err(|e| Error::new(key, e.message))?;
                // A start the new view no longer shows goes back to the default.
                if next.start.is_some_and(|p| !next.expr_view().contains(p)) {
                    next.start = None;
                }
                *self = next;
            }
            "race" => {
                let entries = match value {
                    Value::Null => Vec::new(),
                    Value::Entries(e) => e.clone(),
                    Value::Str(t) => parse_race(t)?,
                    _ => return Err(Error::new(key, "expected a list of option sets, e.g. [{optimizer: 'sgd'}, {optimizer: 'adam'}]")),
                };
                if entries.len() > MAX_RACE {
                    return Err(Error::new(
                        key,
                        format!(
                            "at most {MAX_RACE} optimizers race at once (got {})",
                            entries.len()
                        ),
                    ));
                }
                for (i, entry) in entries.iter().enumerate() {
                    let mut one = self.clone();
                    for (k, v) in entry {
                        if !RACE_KEYS.contains(&k.as_str()) {
                            return Err(Error::new(
                                key,
                                format!(
                                    "entry {}: '{}' cannot differ between racing runs; it takes {}",
                                    i + 1,
                                    clip(k),
                                    RACE_KEYS.join(", ")
                                ),
                            ));
                        }
                        one.apply(k, v)
                            .map_err(|e| Error::new(key, format!("entry {}: {e}", i + 1)))?;
                    }
                }
                self.race = entries;
            }
            "start" => {
                let text = match value {
                    Value::Str(t) if t.trim().is_empty() => Some(None),
                    Value::Str(t) => Some(Some(pair_text(key, t).map_err(|_| {
                        Error::new(key, format!("expected two numbers x,y, got '{}'", clip(t)))
                    })?)),
                    _ => None,
                };
                self.start = match (value, text) {
                    (_, Some(None)) | (Value::Null, _) => None,
                    (_, Some(Some((x, y)))) if linalg::is_finite([x, y]) => Some([x, y]),
                    (Value::Pair(x, y), _) if linalg::is_finite([*x, *y]) => Some([*x, *y]),
                    _ => return Err(Error::new(key, "expected two finite numbers [x, y]")),
                }
            }
            _ => {
                if let Some(h) = HyperName::ALL.into_iter().find(|h| h.name() == key) {
                    let v = value.number(key)?;
                    h.check(v)?;
                    h.set(&mut self.hyper, v);
                    return Ok(());
                }
                let entry = surface::find(&self.surface).ok();
                let Some((entry, spec)) =
                    entry.and_then(|e| Some((e, e.params.iter().find(|p| p.name == key)?)))
                else {
                    return Err(Error::new(&clip(key), "unknown option; ignored"));
                };
                let v = value.number(key)?;
                let mut params = self.params.clone();
                params.retain(|(n, _)| n != key);
                params.push((spec.name.to_string(), v));
                entry.build(&params)?;
                self.params = params;
            }
        }
        Ok(())
    }

    /// The view of a typed expression: the ranges set, or the default [−3, 3]².
    pub fn expr_view(&self) -> crate::View {
        crate::View {
            x: self.xrange.unwrap_or(expr::DEFAULT_VIEW.x),
            y: self.yrange.unwrap_or(expr::DEFAULT_VIEW.y),
        }
    }

    /// Builds the surface these options name.
    pub fn build_surface(&self) -> Result<Box<dyn Surface>, Error> {
        if let Some(text) = &self.expr {
            return Ok(Box::new(ExprSurface::parse(text, self.expr_view())?));
        }
        surface::find(&self.surface)?.build(&self.params)
    }

    /// The run configuration for `surface`; a mini-batch larger than the surface's number of
    /// terms is cut to it.
    pub fn run_config(&self, surface: &dyn Surface) -> RunConfig {
        let n = surface.terms().unwrap_or(crate::variant::ANALYTIC_TERMS);
        RunConfig {
            optimizer: self.optimizer,
            hyper: self.hyper,
            variant: self.variant,
            batch: self.batch.min(n),
            seed: self.seed,
            noise: self.noise,
            steps: self.steps,
            start: self.start.unwrap_or_else(|| surface.start()),
            ..RunConfig::new(surface, self.optimizer)
        }
    }

    /// The options of each run: these options alone, or each race entry laid over them.
    pub fn runs(&self) -> Vec<Options> {
        if self.race.is_empty() {
            return vec![self.clone()];
        }
        self.race
            .iter()
            .map(|entry| {
                let mut one = Options {
                    race: Vec::new(),
                    ..self.clone()
                };
                for (k, v) in entry {
                    // Validated when the race was set; a value that no longer fits (say, a batch
                    // larger than a new surface's data) keeps the shared setting.
                    let _ = one.apply(k, v);
                }
                one
            })
            .collect()
    }

    /// The surface and the runs these options describe (one, or one per race entry).
    pub fn compute(&self) -> Result<(Box<dyn Surface>, Vec<Trajectory>), Error> {
        self.compute_to_end().map(|c| (c.surface, c.runs))
    }

    /// [`Options::compute`], also keeping where the first run stands at its end, so that its
    /// next update costs one step rather than a replay.
    pub fn compute_to_end(&self) -> Result<Computed, Error> {
        let surface = self.build_surface()?;
        let mut end = None;
        let mut runs = Vec::new();
        for (i, o) in self.runs().iter().enumerate() {
            let (t, e) = run_to_end(surface.as_ref(), &o.run_config(surface.as_ref()))?;
            if i == 0 {
                end = e;
            }
            runs.push(t);
        }
        Ok(Computed { surface, runs, end })
    }
}

/// `changes` in the order they are applied: [`KEYS`] order, unknown keys last.
fn in_order(changes: &[(String, Value)]) -> Vec<&(String, Value)> {
    let rank = |k: &str| KEYS.iter().position(|&n| n == k).unwrap_or(KEYS.len());
    let mut ordered: Vec<&(String, Value)> = changes.iter().collect();
    ordered.sort_by_key(|(k, _)| rank(k));
    ordered
}

/// The default options with `changes` applied in [`KEYS`] order, failing at the first rejected
/// value: the command line's way, which has no earlier settings to keep.
pub fn strict(changes: &[(String, Value)]) -> Result<Options, Error> {
    let mut opts = Options::default();
    for (key, value) in in_order(changes) {
        opts.apply(key, value)?;
    }
    Ok(opts)
}

/// What [`Options::compute_to_end`] computes.
pub struct Computed {
    /// The surface.
    pub surface: Box<dyn Surface>,
    /// The runs: one, or one per race entry.
    pub runs: Vec<Trajectory>,
    /// Where the first run stands at its end; `None` if it diverged.
    pub end: Option<End>,
}

/// The outcome of [`apply_all`]: the notices for rejected values and the run of the options now
/// in force.
pub struct Applied {
    /// One message per rejected value.
    pub notices: Vec<String>,
    /// The surface of the options in force.
    pub surface: Box<dyn Surface>,
    /// Their runs: one, or one per race entry.
    pub trajectories: Vec<Trajectory>,
    /// Where the first run stands at its end; `None` if it diverged.
    pub end: Option<End>,
}

/// Applies `changes` to `opts` in [`KEYS`] order (unknown keys last) and computes the run. Each
/// rejected change becomes a notice; if the run itself fails (say, f is infinite at a new start),
/// every change is undone and the notice says why. Fails only if the options were already
/// unusable before the changes.
pub fn apply_all(opts: &mut Options, changes: &[(String, Value)]) -> Result<Applied, Error> {
    let mut notices = Vec::new();
    let before = opts.clone();
    for (key, value) in in_order(changes) {
        if let Err(e) = opts.apply(key, value) {
            notices.push(e.to_string());
        }
    }
    let Computed {
        surface,
        runs: trajectories,
        end,
    } = match opts.compute_to_end() {
        Ok(done) => done,
        Err(e) => {
            notices.push(format!("{e}; the previous settings are kept"));
            *opts = before;
            opts.compute_to_end()?
        }
    };
    Ok(Applied {
        notices,
        surface,
        trajectories,
        end,
    })
}

/// The learning rate at log-scale slider position `position` (log₁₀ γ), rounded to three
/// significant digits so the box shows 0.0123, not 0.012302687708123818: the nearest double to
/// the three-digit decimal, so it also prints as three digits.
pub fn lr_from_slider(position: f64) -> f64 {
    let lr = 10f64.powf(position);
    if !lr.is_finite() || lr <= 0.0 {
        return lr;
    }
    format!("{lr:.2e}").parse().unwrap_or(lr)
}

/// The log-scale slider position (log₁₀ γ) of a learning rate; the slider's low end for γ ≤ 0.
pub fn slider_from_lr(lr: f64) -> f64 {
    if lr > 0.0 {
        lr.log10()
    } else {
        -5.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slider_learning_rates_print_with_three_digits_at_most() {
        for k in 0..=600 {
            let position = -5.0 + k as f64 / 100.0;
            let lr = lr_from_slider(position);
            let printed = format!("{lr:e}");
            let mantissa = printed.split('e').next().unwrap().replace(['.', '-'], "");
            assert!(mantissa.len() <= 3, "{position} → {lr} ({printed})");
            assert!((lr.log10() - position).abs() < 0.003, "{position} → {lr}");
        }
        assert_eq!(lr_from_slider(-4.991), 1.02e-5);
        assert_eq!(slider_from_lr(0.0), -5.0);
    }

    fn s(v: &str) -> Value {
        Value::Str(v.into())
    }

    #[test]
    fn good_values_apply_and_bad_ones_are_reported_and_ignored() {
        let mut o = Options::default();
        let notices = apply_all(
            &mut o,
            &[
                ("lr".into(), Value::Num(0.01)),
                ("surface".into(), s("booth")),
                ("momentum".into(), Value::Num(1.5)),
                ("bogus".into(), Value::Num(1.0)),
                ("steps".into(), s("250")),
                ("start".into(), Value::Pair(f64::NAN, 1.0)),
                ("optimizer".into(), s("<img src=x onerror=alert(1)>")),
            ],
        )
        .unwrap()
        .notices;
        assert_eq!(o.surface, "booth");
        assert_eq!(o.hyper.lr, 0.01);
        assert_eq!(o.steps, 250);
        assert_eq!(o.hyper.momentum, 0.9);
        assert_eq!(o.optimizer, OptimizerKind::Sgd);
        assert_eq!(notices.len(), 4, "{notices:?}");
        assert!(notices.iter().any(|n| n.starts_with("momentum:")));
        assert!(notices.iter().any(|n| n.starts_with("bogus:")));
    }

    #[test]
    fn switching_surface_resets_start_and_switching_optimizer_keeps_lr() {
        let mut o = Options::default();
        apply_all(
            &mut o,
            &[
                ("start".into(), Value::Pair(0.5, 0.5)),
                ("lr".into(), Value::Num(0.02)),
            ],
        )
        .unwrap();
        assert_eq!(o.start, Some([0.5, 0.5]));
        apply_all(
            &mut o,
            &[
                ("surface".into(), s("himmelblau")),
                ("optimizer".into(), s("adagrad")),
            ],
        )
        .unwrap();
        assert_eq!(o.start, None);
        assert_eq!(o.hyper.lr, 0.02);
        assert_eq!(o.hyper.eps, 1e-10);
    }

    #[test]
    fn surface_parameters_are_options_of_their_surface() {
        let mut o = Options::default();
        let n = apply_all(
            &mut o,
            &[
                ("surface".into(), s("ravine")),
                ("kappa".into(), Value::Num(50.0)),
            ],
        )
        .unwrap()
        .notices;
        assert!(n.is_empty(), "{n:?}");
        assert_eq!(o.params, vec![("kappa".to_string(), 50.0)]);
        let n = apply_all(&mut o, &[("kappa".into(), Value::Num(0.0))])
            .unwrap()
            .notices;
        assert_eq!(n.len(), 1);
        assert_eq!(o.params, vec![("kappa".to_string(), 50.0)]);
    }

    #[test]
    fn a_start_where_f_overflows_keeps_the_previous_settings() {
        let mut o = Options::default();
        let n = apply_all(
            &mut o,
            &[
                ("start".into(), Value::Pair(1e300, 1e300)),
                ("lr".into(), Value::Num(0.002)),
            ],
        )
        .unwrap()
        .notices;
        assert_eq!(n.len(), 1, "{n:?}");
        assert_eq!(o, Options::default());
    }

    #[test]
    fn race_entries_overlay_the_shared_options() {
        let mut o = Options::default();
        let entry = |opt: &str, lr: f64| {
            vec![
                ("optimizer".to_string(), s(opt)),
                ("lr".to_string(), Value::Num(lr)),
            ]
        };
        let n = apply_all(
            &mut o,
            &[
                ("surface".into(), s("booth")),
                (
                    "race".into(),
                    Value::Entries(vec![entry("sgd", 0.01), entry("adam", 0.1)]),
                ),
            ],
        )
        .unwrap();
        assert!(n.notices.is_empty(), "{:?}", n.notices);
        assert_eq!(n.trajectories.len(), 2);
        let runs = o.runs();
        assert_eq!(
            (runs[0].optimizer, runs[0].hyper.lr),
            (OptimizerKind::Sgd, 0.01)
        );
        assert_eq!(
            (runs[1].optimizer, runs[1].hyper.lr),
            (OptimizerKind::Adam, 0.1)
        );
        assert_eq!(runs[1].surface, "booth");
        // Too many entries, a bad value, or a shared option in an entry: rejected as a whole.
        for bad in [
            Value::Entries(vec![entry("sgd", 0.1); 5]),
            Value::Entries(vec![entry("sgd", -1.0)]),
            Value::Entries(vec![vec![("surface".to_string(), s("beale"))]]),
            Value::Num(3.0),
        ] {
            let n = apply_all(&mut o, &[("race".into(), bad)]).unwrap();
            assert_eq!(n.notices.len(), 1);
            assert_eq!(o.race.len(), 2);
        }
        let n = apply_all(&mut o, &[("race".into(), Value::Null)]).unwrap();
        assert_eq!(n.trajectories.len(), 1);
    }

    #[test]
    fn batch_larger_than_the_data_is_cut_to_it() {
        let mut o = Options::default();
        apply_all(
            &mut o,
            &[
                ("surface".into(), s("collinear")),
                ("variant".into(), s("minibatch")),
                ("batch".into(), Value::Num(10.0)),
            ],
        )
        .unwrap();
        let (surface, _) = o.compute().unwrap();
        assert_eq!(o.run_config(surface.as_ref()).batch, 3);
    }
}
