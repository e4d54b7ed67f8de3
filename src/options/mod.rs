//! The option set shared by the page, the scripting hook, the URL and `gdviz render`: names,
//! values, validation and defaults, applied one key at a time so a bad value is reported and
//! ignored while the rest still apply.
//!
//! The state is one surface (with its parameters, the noise of its finite sum, the start point
//! and the step count) and a list of 1 to [`MAX_RUNS`] runs, each with its complete settings
//! ([`RunSettings`]); one run is *selected*. A single run is a race of one. The per-run keys
//! (`optimizer`, `lr`, ..., `seed`) given on their own apply to the selected run; `runs` sets
//! the whole list, each entry laid over the default run.

mod network;
mod runs;
pub mod schema;
mod value;

pub use network::{hidden_text, NetSettings, NETWORK_KEYS, TEST_EXAMPLES, TRAIN_EXAMPLES};
pub use runs::{RunSettings, MAX_BATCH, MAX_LR, MAX_SEED, RUN_KEYS};
use value::{clip, pair_text};
pub use value::{parse_entries, parse_race, Value};

use crate::error::Error;
use crate::expr::{self, ExprSurface};
use crate::linalg::{self, Vec2};
use crate::run::{run_to_end, End, RunConfig, Trajectory};
use crate::surface::{self, Surface};

/// The most steps the interactive app computes per run.
pub const MAX_APP_STEPS: usize = 100_000;

/// The most runs at once.
pub const MAX_RUNS: usize = 4;

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
    /// Noise scale of analytic surfaces' finite sum; `None` for the surface's default.
    pub noise: Option<f64>,
    /// Number of steps of every run.
    pub steps: usize,
    /// Start point of every run; `None` for the surface's default.
    pub start: Option<Vec2>,
    /// The runs: 1 to [`MAX_RUNS`].
    runs: Vec<RunSettings>,
    /// The index of the selected run (the one the slider, panels and readouts describe).
    selected: usize,
    /// Network mode: whether it is shown, and its dataset, network and seeds.
    pub network: NetSettings,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            surface: "rosenbrock".into(),
            expr: None,
            xrange: None,
            yrange: None,
            params: Vec::new(),
            noise: None,
            steps: 1000,
            start: None,
            runs: vec![RunSettings::default()],
            selected: 0,
            network: NetSettings::default(),
        }
    }
}

/// The option names, in the order they are applied: the mode first (it decides the most a
/// batch can take: a surface's terms or the training examples), the surface (it resets the start
/// and decides which parameters exist), then the list of runs and which is selected, then the
/// selected run's own settings (the optimizer before its hyper-parameters), then the shared
/// rest; `race` (the older form of `runs`, entries laid over the selected run), then Network
/// mode's other keys ([`NETWORK_KEYS`]), last.
pub const KEYS: [&str; 27] = [
    "mode",
    "surface",
    "expr",
    "xrange",
    "yrange",
    "runs",
    "selected",
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
    "dataset",
    "hidden",
    "activation",
    "data_seed",
    "init_seed",
    "curves",
];

/// What the surface depends on: two option sets with the same key draw the same surface.
#[derive(Debug, Clone, PartialEq)]
pub struct SurfaceKey {
    surface: String,
    expr: Option<String>,
    xrange: Option<(f64, f64)>,
    yrange: Option<(f64, f64)>,
    params: Vec<(String, f64)>,
}

impl Options {
    /// The runs, in colour order.
    pub fn runs(&self) -> &[RunSettings] {
        &self.runs
    }

    /// The index of the selected run.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The selected run's settings.
    pub fn run(&self) -> &RunSettings {
        &self.runs[self.selected]
    }

    /// The selected run's settings, to change.
    pub fn run_mut(&mut self) -> &mut RunSettings {
        &mut self.runs[self.selected]
    }

    /// Selects run `index`; an error if there is no such run.
    pub fn select(&mut self, index: usize) -> Result<(), Error> {
        if index >= self.runs.len() {
            return Err(Error::new(
                "selected",
                format!(
                    "there is no run {index}; runs are numbered from 0 to {}",
                    self.runs.len() - 1
                ),
            ));
        }
        self.selected = index;
        Ok(())
    }

    /// Adds a copy of the selected run (the next colour) and selects it; an error when there
    /// are already [`MAX_RUNS`].
    pub fn add_run(&mut self) -> Result<(), Error> {
        if self.runs.len() >= MAX_RUNS {
            return Err(Error::new(
                "runs",
                format!("at most {MAX_RUNS} runs at once"),
            ));
        }
        self.runs.push(self.run().clone());
        self.selected = self.runs.len() - 1;
        Ok(())
    }

    /// Removes run `index`; the last run cannot go. The selection stays on the same run, or
    /// moves to the one before a removed selected run.
    pub fn remove_run(&mut self, index: usize) -> Result<(), Error> {
        if index >= self.runs.len() {
            return Err(Error::new("runs", format!("there is no run {index}")));
        }
        if self.runs.len() == 1 {
            return Err(Error::new("runs", "the last run cannot be removed"));
        }
        self.runs.remove(index);
        if self.selected > index || self.selected == self.runs.len() {
            self.selected -= 1;
        }
        Ok(())
    }

    /// Keeps only the selected run, as it is ("Back to one").
    pub fn keep_selected(&mut self) {
        let run = self.run().clone();
        self.runs = vec![run];
        self.selected = 0;
    }

    /// The most a batch can take: in Network mode the training examples, else the number of
    /// terms of the surface these options name.
    pub fn terms(&self) -> Result<usize, Error> {
        if self.network.on {
            return Ok(TRAIN_EXAMPLES);
        }
        Ok(self
            .build_surface()?
            .terms()
            .unwrap_or(crate::variant::ANALYTIC_TERMS))
    }

    /// Cuts every run's mini-batch to the number of terms of a new surface, so that what the
    /// state reports is what runs (and a link of it is valid).
    fn cut_batches(&mut self) {
        if let Ok(n) = self.terms() {
            for r in &mut self.runs {
                r.batch = r.batch.min(n);
            }
        }
    }

    /// What the surface depends on.
    pub fn surface_key(&self) -> SurfaceKey {
        SurfaceKey {
            surface: self.surface.clone(),
            expr: self.expr.clone(),
            xrange: self.xrange,
            yrange: self.yrange,
            params: self.params.clone(),
        }
    }

    /// The runs of a list option (`runs` or `race`): each entry laid over `base`.
    fn entries(
        &self,
        key: &str,
        value: &Value,
        base: &RunSettings,
    ) -> Result<Vec<RunSettings>, Error> {
        let entries = match value {
            Value::Entries(e) => e.clone(),
            Value::Str(t) => parse_entries(key, t)?,
            _ => {
                return Err(Error::new(
                    key,
                    "expected a list of runs, e.g. [{optimizer: 'sgd', lr: 0.01}, {optimizer: 'adam', lr: 0.05}]",
                ))
            }
        };
        if entries.len() > MAX_RUNS {
            return Err(Error::new(
                key,
                format!("at most {MAX_RUNS} runs at once (got {})", entries.len()),
            ));
        }
        let needs_terms = entries.iter().flatten().any(|(k, _)| k == "batch");
        let terms = if needs_terms {
            self.terms()?
        } else {
            crate::variant::ANALYTIC_TERMS
        };
        entries
            .iter()
            .enumerate()
            .map(|(i, e)| RunSettings::from_entry(base, e, terms, key, i))
            .collect()
    }

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
                    self.cut_batches();
                }
            }
            "runs" => {
                let runs = self.entries(key, value, &RunSettings::default())?;
                if runs.is_empty() {
                    return Err(Error::new(key, "expected at least one run"));
                }
                self.runs = runs;
                self.selected = 0;
            }
            "selected" => {
                let most = self.runs.len() as u64 - 1;
                let i = value.count(key, 0, most).map_err(|e| {
                    Error::new(key, format!("{} (the index of a run, from 0)", e.message))
                })?;
                self.selected = i as usize;
            }
            "race" => {
                // The older form: entries over the selected run; none is one run again.
                let base = self.run().clone();
                let runs = if value.is_default() {
                    Vec::new()
                } else {
                    self.entries(key, value, &base)?
                };
                self.runs = if runs.is_empty() { vec![base] } else { runs };
                self.selected = 0;
            }
            "batch" => {
                let terms = self.terms()?;
                self.run_mut().apply(key, value, terms)?;
            }
            k if NETWORK_KEYS.contains(&k) => {
                self.network.apply(k, value)?;
                // The batch a mode can take: the surface's terms or the training examples.
                if k == "mode" {
                    self.cut_batches();
                }
            }
            k if RUN_KEYS.contains(&k) => {
                self.run_mut()
                    .apply(key, value, crate::variant::ANALYTIC_TERMS)?;
            }
            "noise" => {
                self.noise = if value.is_default() {
                    None
                } else {
                    let n = value.number(key)?;
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
                    self.cut_batches();
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
                    Value::Str(t) if t.trim().is_empty() => None,
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

    /// The run configuration of run `index` on `surface`; a mini-batch larger than the
    /// surface's number of terms is cut to it.
    pub fn run_config(&self, surface: &dyn Surface, index: usize) -> RunConfig {
        let n = surface.terms().unwrap_or(crate::variant::ANALYTIC_TERMS);
        let r = &self.runs[index.min(self.runs.len() - 1)];
        RunConfig {
            optimizer: r.optimizer,
            hyper: r.hyper,
            variant: r.variant,
            batch: r.batch.min(n),
            seed: r.seed,
            noise: self.noise,
            steps: self.steps,
            start: self.start.unwrap_or_else(|| surface.start()),
            schedule: r.schedule.clone(),
            clip: r.clip,
            ..RunConfig::new(surface, r.optimizer)
        }
    }

    /// The surface and every run these options describe.
    pub fn compute(&self) -> Result<(Box<dyn Surface>, Vec<Trajectory>), Error> {
        let c = self.compute_reusing(None)?;
        let runs = c.runs.into_iter().map(|r| r.trajectory).collect();
        Ok((c.surface, runs))
    }

    /// The surface and every run, each kept with where it stands at its end (so its next update
    /// costs one step rather than a replay). What `previous` already computed for the same
    /// surface and run configuration is taken over rather than run again (changing one run of
    /// a race of four reruns that one); the rest of `previous` is dropped first, so two
    /// generations of long runs are never in memory at once.
    pub fn compute_reusing(&self, previous: Option<Computed>) -> Result<Computed, Error> {
        let key = self.surface_key();
        let (surface, mut old) = match previous {
            Some(p) if p.key == key => (p.surface, p.runs),
            _ => (self.build_surface()?, Vec::new()),
        };
        let configs: Vec<RunConfig> = (0..self.runs.len())
            .map(|i| self.run_config(surface.as_ref(), i))
            .collect();
        let mut reused: Vec<Option<RunResult>> = configs
            .iter()
            .map(|c| {
                let i = old.iter().position(|r| r.config == *c)?;
                Some(old.swap_remove(i))
            })
            .collect();
        drop(old);
        let mut runs = Vec::with_capacity(configs.len());
        for (config, kept) in configs.into_iter().zip(reused.iter_mut()) {
            let result = match kept.take() {
                Some(r) => r,
                None => {
                    let (trajectory, end) = run_to_end(surface.as_ref(), &config)?;
                    RunResult {
                        config,
                        trajectory,
                        end,
                    }
                }
            };
            runs.push(result);
        }
        Ok(Computed { key, surface, runs })
    }
}

/// One computed run: its configuration, its trajectory and where it stands at its end.
pub struct RunResult {
    /// The configuration it ran with.
    pub config: RunConfig,
    /// Its path.
    pub trajectory: Trajectory,
    /// Where it stands after its last step; `None` if it diverged.
    pub end: Option<End>,
}

/// The surface and the runs of a set of options.
pub struct Computed {
    /// What the surface depends on.
    pub key: SurfaceKey,
    /// The surface.
    pub surface: Box<dyn Surface>,
    /// Every run, in the options' order.
    pub runs: Vec<RunResult>,
}

impl Computed {
    /// Every run's path.
    pub fn trajectories(&self) -> impl Iterator<Item = &Trajectory> {
        self.runs.iter().map(|r| &r.trajectory)
    }
}

/// `changes` in the order they are applied: [`KEYS`] order, unknown keys last, each group in
/// the order given.
fn in_order(changes: &[(String, Value)]) -> Vec<&(String, Value)> {
    by_rank(changes, &KEYS)
}

/// `changes` ordered by the position of their key in `keys` (a stable selection, not a sort: a
/// few keys, and no sort routine in the wasm module for it), unknown keys last.
pub(crate) fn by_rank<'a>(
    changes: &'a [(String, Value)],
    keys: &[&str],
) -> Vec<&'a (String, Value)> {
    let mut ordered: Vec<&(String, Value)> = Vec::with_capacity(changes.len());
    for key in keys {
        ordered.extend(changes.iter().filter(|(k, _)| k == key));
    }
    ordered.extend(changes.iter().filter(|(k, _)| !keys.contains(&k.as_str())));
    ordered
}

/// `base` with `changes` applied in [`KEYS`] order, failing at the first rejected value: the
/// command line's way (and a lesson's), which has no earlier settings to keep.
pub fn strict_over(base: Options, changes: &[(String, Value)]) -> Result<Options, Error> {
    let mut opts = base;
    for (key, value) in in_order(changes) {
        opts.apply(key, value)?;
    }
    Ok(opts)
}

/// The default options with `changes` applied; see [`strict_over`].
pub fn strict(changes: &[(String, Value)]) -> Result<Options, Error> {
    strict_over(Options::default(), changes)
}

/// The outcome of [`apply_all`]: the notices for rejected values and the runs of the options
/// now in force.
pub struct Applied {
    /// One message per rejected value.
    pub notices: Vec<String>,
    /// The surface and runs of the options in force.
    pub computed: Computed,
}

/// Applies `changes` to `opts` in [`KEYS`] order (unknown keys last) and computes the runs,
/// taking over what `previous` computed where it still applies. Each rejected change becomes a
/// notice; if the runs themselves fail (say, f is infinite at a new start), every change is
/// undone and the notice says why. Fails only if the options were already unusable before.
pub fn apply_all(
    opts: &mut Options,
    changes: &[(String, Value)],
    previous: Option<Computed>,
) -> Result<Applied, Error> {
    let mut notices = Vec::new();
    let before = opts.clone();
    for (key, value) in in_order(changes) {
        if let Err(e) = opts.apply(key, value) {
            notices.push(e.to_string());
        }
    }
    let computed = match opts.compute_reusing(previous) {
        Ok(done) => done,
        Err(e) => {
            notices.push(format!("{e}; the previous settings are kept"));
            *opts = before;
            opts.compute_reusing(None)?
        }
    };
    Ok(Applied { notices, computed })
}

/// The learning rate at log-scale slider position `position` (log₁₀ γ), rounded to three
/// significant digits so the box shows 0.0123, not 0.012302687708123818: the nearest double to
/// the three-digit decimal, so it also prints as three digits.
pub fn lr_from_slider(position: f64) -> f64 {
    let lr = 10f64.powf(position);
    if !lr.is_finite() || lr <= 0.0 {
        return lr;
    }
    crate::format::sci(lr, 2).parse().unwrap_or(lr)
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
    #[test]
    fn a_batch_is_bounded_by_what_the_mode_trains_on() {
        let q = |text: &str| strict(&crate::share::changes(&crate::share::parse_query(text)));
        // A network trains on TRAIN_EXAMPLES examples; Booth has ANALYTIC_TERMS terms.
        const { assert!(crate::variant::ANALYTIC_TERMS < 150 && TRAIN_EXAMPLES >= 150) };
        let net = q("variant=minibatch&batch=150&mode=network").unwrap();
        assert_eq!(net.run().batch, 150);
        assert_eq!(net.terms(), Ok(TRAIN_EXAMPLES));
        let e = q("surface=booth&variant=minibatch&batch=150").unwrap_err();
        assert_eq!(e.option, "batch");
        assert!(e.message.contains("50 terms"), "{}", e.message);
        // Leaving Network mode cuts the batch to the surface's terms, as a new surface does.
        let back = strict_over(
            net.clone(),
            &crate::share::changes(&crate::share::parse_query("mode=surfaces")),
        )
        .unwrap();
        assert_eq!(back.run().batch, crate::variant::ANALYTIC_TERMS);
        // The link of a network state loads it back.
        let link = crate::share::query_pairs(&net, &Options::default());
        assert_eq!(strict(&crate::share::changes(&link)), Ok(net));
    }

    use super::*;
    use crate::OptimizerKind;

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

    /// Choosing a method that evaluates f sets the full batch; asking it for another variant is
    /// a notice naming the variant, and the run stays on the full batch. L-BFGS's choice of line
    /// search takes only its two names.
    #[test]
    fn second_order_methods_keep_the_full_batch() {
        let mut o = Options::default();
        apply_all(&mut o, &[("variant".into(), s("stochastic"))], None).unwrap();
        assert_eq!(o.run().variant, crate::Variant::Stochastic);
        let a = apply_all(&mut o, &[("optimizer".into(), s("newton"))], None).unwrap();
        assert!(a.notices.is_empty(), "{:?}", a.notices);
        assert_eq!(o.run().variant, crate::Variant::Batch);
        let a = apply_all(
            &mut o,
            &[
                ("optimizer".into(), s("lbfgs")),
                ("variant".into(), s("minibatch")),
                ("line_search".into(), s("strong_wolfe")),
            ],
            None,
        )
        .unwrap();
        assert_eq!(a.notices.len(), 1, "{:?}", a.notices);
        assert!(a.notices[0].starts_with("variant: L-BFGS evaluates f itself"));
        assert_eq!(o.run().variant, crate::Variant::Batch);
        assert_eq!(o.run().hyper.line_search, "strong_wolfe");
        let a = apply_all(&mut o, &[("line_search".into(), s("armijo"))], None).unwrap();
        assert_eq!(
            a.notices,
            ["line_search: must be one of none, strong_wolfe (got 'armijo')"]
        );
        assert_eq!(o.run().hyper.line_search, "strong_wolfe");
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
            None,
        )
        .unwrap()
        .notices;
        assert_eq!(o.surface, "booth");
        assert_eq!(o.run().hyper.lr, 0.01);
        assert_eq!(o.steps, 250);
        assert_eq!(o.run().hyper.momentum, 0.9);
        assert_eq!(o.run().optimizer, OptimizerKind::Sgd);
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
            None,
        )
        .unwrap();
        assert_eq!(o.start, Some([0.5, 0.5]));
        apply_all(
            &mut o,
            &[
                ("surface".into(), s("himmelblau")),
                ("optimizer".into(), s("adagrad")),
            ],
            None,
        )
        .unwrap();
        assert_eq!(o.start, None);
        assert_eq!(o.run().hyper.lr, 0.02);
        assert_eq!(o.run().hyper.eps, 1e-10);
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
            None,
        )
        .unwrap()
        .notices;
        assert!(n.is_empty(), "{n:?}");
        assert_eq!(o.params, vec![("kappa".to_string(), 50.0)]);
        let n = apply_all(&mut o, &[("kappa".into(), Value::Num(0.0))], None)
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
            None,
        )
        .unwrap()
        .notices;
        assert_eq!(n.len(), 1, "{n:?}");
        assert_eq!(o, Options::default());
    }

    fn entry(opt: &str, lr: f64) -> Vec<(String, Value)> {
        vec![
            ("optimizer".to_string(), s(opt)),
            ("lr".to_string(), Value::Num(lr)),
        ]
    }

    #[test]
    fn race_entries_overlay_the_selected_run() {
        let mut o = Options::default();
        let n = apply_all(
            &mut o,
            &[
                ("surface".into(), s("booth")),
                ("momentum".into(), Value::Num(0.5)),
                (
                    "race".into(),
                    Value::Entries(vec![entry("sgd", 0.01), entry("adam", 0.1)]),
                ),
            ],
            None,
        )
        .unwrap();
        assert!(n.notices.is_empty(), "{:?}", n.notices);
        assert_eq!(n.computed.runs.len(), 2);
        let runs = o.runs();
        assert_eq!(
            (runs[0].optimizer, runs[0].hyper.lr),
            (OptimizerKind::Sgd, 0.01)
        );
        assert_eq!(
            (runs[1].optimizer, runs[1].hyper.lr),
            (OptimizerKind::Adam, 0.1)
        );
        // Laid over the settings given beside them, as the older links meant.
        assert_eq!(runs[1].hyper.momentum, 0.5);
        assert_eq!(o.selected(), 0);
        // Too many entries, a bad value, or a shared option in an entry: rejected as a whole.
        for bad in [
            Value::Entries(vec![entry("sgd", 0.1); 5]),
            Value::Entries(vec![entry("sgd", -1.0)]),
            Value::Entries(vec![vec![("surface".to_string(), s("beale"))]]),
            Value::Num(3.0),
        ] {
            let n = apply_all(&mut o, &[("race".into(), bad)], None).unwrap();
            assert_eq!(n.notices.len(), 1, "{:?}", n.notices);
            assert_eq!(o.runs().len(), 2);
        }
        // No entries: back to one run, the selected one as it is.
        apply_all(&mut o, &[("selected".into(), Value::Num(1.0))], None).unwrap();
        let n = apply_all(&mut o, &[("race".into(), Value::Null)], None).unwrap();
        assert_eq!(n.computed.runs.len(), 1);
        assert_eq!(o.run().optimizer, OptimizerKind::Adam);
        assert_eq!(o.run().hyper.lr, 0.1);
    }

    #[test]
    fn runs_are_complete_and_the_run_keys_edit_the_selected_one() {
        let mut o = Options::default();
        let n = apply_all(
            &mut o,
            &[
                (
                    "runs".into(),
                    Value::Entries(vec![
                        entry("sgd", 0.01),
                        vec![
                            ("optimizer".to_string(), s("adam")),
                            ("beta1".to_string(), s("0.5")),
                            ("variant".to_string(), s("minibatch")),
                            ("batch".to_string(), s("5")),
                            ("seed".to_string(), s("3")),
                        ],
                    ]),
                ),
                ("selected".into(), Value::Num(1.0)),
                ("lr".into(), Value::Num(0.2)),
            ],
            None,
        )
        .unwrap();
        assert!(n.notices.is_empty(), "{:?}", n.notices);
        let runs = o.runs();
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].hyper.lr, 0.01);
        // Entries are laid over the default run, then `lr` edits the selected one.
        assert_eq!(
            runs[1],
            RunSettings {
                optimizer: OptimizerKind::Adam,
                hyper: crate::Hyper {
                    lr: 0.2,
                    beta1: 0.5,
                    ..crate::Hyper::defaults(OptimizerKind::Adam)
                },
                variant: crate::Variant::MiniBatch,
                batch: 5,
                seed: 3,
                ..RunSettings::default()
            }
        );
        // An index that does not exist, an empty list, a shared key in an entry: notices.
        for (k, v) in [
            ("selected", Value::Num(2.0)),
            ("runs", Value::Entries(Vec::new())),
            ("runs", Value::Str("optimizer:adam,steps:5".into())),
            ("runs", Value::Str("optimizer:adam,batch:60".into())),
        ] {
            let before = o.clone();
            let n = apply_all(&mut o, &[(k.into(), v)], None).unwrap();
            assert_eq!(n.notices.len(), 1, "{k}");
            assert_eq!(o, before, "{k}");
        }
        // Compact text, as a link holds it.
        apply_all(
            &mut o,
            &[("runs".into(), s("optimizer:nesterov;;lr:0.5"))],
            None,
        )
        .unwrap();
        assert_eq!(o.runs().len(), 3);
        assert_eq!(o.runs()[1], RunSettings::default());
        assert_eq!(o.selected(), 0);
    }

    #[test]
    fn adding_removing_and_keeping_one() {
        let mut o = Options::default();
        o.run_mut().hyper.lr = 0.05;
        o.add_run().unwrap();
        assert_eq!((o.runs().len(), o.selected()), (2, 1));
        assert_eq!(o.runs()[1], o.runs()[0]);
        o.run_mut().optimizer = OptimizerKind::Adam;
        o.add_run().unwrap();
        o.add_run().unwrap();
        assert!(o.add_run().is_err());
        assert_eq!(o.runs().len(), MAX_RUNS);
        // Removing a run before the selected one keeps the same run selected.
        o.select(2).unwrap();
        o.remove_run(0).unwrap();
        assert_eq!((o.selected(), o.run().optimizer), (1, OptimizerKind::Adam));
        // Removing the selected run (the last) selects the one before.
        o.select(2).unwrap();
        o.remove_run(2).unwrap();
        assert_eq!(o.selected(), 1);
        assert!(o.select(2).is_err());
        o.keep_selected();
        assert_eq!(o.runs().len(), 1);
        assert_eq!(o.run().optimizer, OptimizerKind::Adam);
        assert_eq!(o.run().hyper.lr, 0.05);
        assert!(o.remove_run(0).is_err());
    }

    #[test]
    fn unchanged_runs_are_taken_over_not_rerun() {
        let mut o = Options::default();
        apply_all(
            &mut o,
            &[
                ("surface".into(), s("booth")),
                (
                    "runs".into(),
                    Value::Entries(vec![entry("sgd", 0.01), entry("adam", 0.1)]),
                ),
            ],
            None,
        )
        .unwrap();
        let first = o.compute_reusing(None).unwrap();
        let adam = first.runs[1].trajectory.points.as_ptr();
        let a = apply_all(&mut o, &[("lr".into(), Value::Num(0.02))], Some(first)).unwrap();
        // Run 2 is the same allocation: taken over, not run again; run 1 is new.
        assert_eq!(a.computed.runs[1].trajectory.points.as_ptr(), adam);
        assert_eq!(a.computed.runs[0].config.hyper.lr, 0.02);
        let fresh = o.compute_reusing(None).unwrap();
        for (x, y) in a.computed.runs.iter().zip(&fresh.runs) {
            assert_eq!(x.trajectory, y.trajectory);
        }
        // Another surface: everything is run again.
        let b = apply_all(&mut o, &[("surface".into(), s("matyas"))], Some(a.computed)).unwrap();
        assert_eq!(b.computed.runs[1].trajectory, o.compute().unwrap().1[1]);
    }

    #[test]
    fn the_app_refuses_learning_rates_past_the_slider() {
        let mut o = Options::default();
        let n = apply_all(&mut o, &[("lr".into(), s("1e308"))], None)
            .unwrap()
            .notices;
        assert_eq!(n.len(), 1);
        assert!(n[0].contains("at most 10"), "{n:?}");
        assert_eq!(o, Options::default());
        apply_all(&mut o, &[("lr".into(), s("10"))], None).unwrap();
        assert_eq!(o.run().hyper.lr, 10.0);
    }

    #[test]
    fn batch_sizes_are_checked_against_the_surface_and_cut_to_a_new_one() {
        let mut o = Options::default();
        let n = apply_all(
            &mut o,
            &[
                ("surface".into(), s("collinear")),
                ("variant".into(), s("minibatch")),
                ("batch".into(), Value::Num(10.0)),
            ],
            None,
        )
        .unwrap()
        .notices;
        assert_eq!(n.len(), 1);
        assert!(
            n[0].contains("from 1 to 3") && n[0].contains("3 terms"),
            "{n:?}"
        );
        apply_all(
            &mut o,
            &[
                ("surface".into(), s("booth")),
                ("batch".into(), Value::Num(40.0)),
            ],
            None,
        )
        .unwrap();
        apply_all(&mut o, &[("surface".into(), s("collinear"))], None).unwrap();
        let (surface, _) = o.compute().unwrap();
        assert_eq!(o.run_config(surface.as_ref(), 0).batch, 3);
    }
}
