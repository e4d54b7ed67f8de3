//! The command line proper: argument parsing with clap, `trace`, `render` and `list`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod landscape;
mod schema;
mod train;

use crate::output::{emit, write_atomically, WriteError};
use gdviz::expr;
use gdviz::figure::{self, Figure};
use gdviz::format::python_repr;
use gdviz::optim::{Clip, HyperName, HyperValue};
use gdviz::options::{self, Options, Value};
use gdviz::schedule::Schedule;
use gdviz::surface::{self, Surface};
use gdviz::{run, Error, Hyper, OptimizerKind, RunConfig, Status, Trajectory, Variant, Vec2};

/// Gradient descent on 2D cost surfaces, stepped exactly as PyTorch's torch.optim does.
#[derive(Parser)]
#[command(name = "gdviz", version, about)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run an optimizer on a surface and print its trajectory (CSV: step,x,y,loss,lr).
    Trace(Box<TraceArgs>),
    /// Draw a run, or a race, as the app shows it into an SVG or PNG file.
    Render(Box<RenderArgs>),
    /// Print a run as a standalone Python script that takes the same steps and prints the same
    /// CSV as `trace`.
    Export(Box<ExportArgs>),
    /// Train a small neural network on a seeded 2D dataset with the same optimizers and print
    /// its record (CSV: step,train_loss,test_loss,train_acc,test_acc,lr).
    Train(Box<train::TrainArgs>),
    /// A trained network's loss over a plane through parameter space (the path's principal
    /// directions, random filter-normalised ones, or three runs' points), as a grid (CSV:
    /// x,y,loss; JSON adds the path projected onto the plane and the line from θ₀ to θ_T).
    Landscape(Box<landscape::LandscapeArgs>),
    /// List every surface (view, start, minima) and optimizer (hyper-parameters, defaults).
    List,
    /// Print every option of the app's set() (links, <gd-viz>, the Python widget) with the
    /// kind of value it takes and its range, as JSON: what a front end checks before sending.
    Schema,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Json,
}

#[derive(clap::Args)]
#[command(allow_negative_numbers = true)]
struct TraceArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
}

/// The language of an exported script.
#[derive(Clone, Copy, ValueEnum)]
enum Lang {
    /// PyTorch: the surface by autograd, the optimizer from torch.optim.
    Torch,
    /// NumPy: the gradient and every update rule written out (all optimizers but L-BFGS).
    Numpy,
}

#[derive(clap::Args)]
#[command(allow_negative_numbers = true)]
struct ExportArgs {
    #[command(flatten)]
    run: RunArgs,
    /// The script's language.
    #[arg(long, value_enum, default_value = "torch")]
    lang: Lang,
}

#[derive(clap::Args)]
#[command(allow_negative_numbers = true)]
struct RenderArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Race optimizers on the same surface from the same start, each entry's options over the
    /// others', e.g. "optimizer:sgd,lr:0.01;optimizer:adam,lr:0.05" (at most 4 entries).
    #[arg(long, value_name = "ENTRIES")]
    race: Option<String>,
    /// The file to write; its extension says the format: .svg or .png.
    #[arg(long, value_name = "FILE", value_parser = parse_out)]
    out: PathBuf,
    /// Width of the figure in pixels.
    #[arg(long, value_name = "PX", default_value_t = figure::DEFAULT_SIZE.0, value_parser = size_parser())]
    width: u32,
    /// Height of the figure in pixels.
    #[arg(long, value_name = "PX", default_value_t = figure::DEFAULT_SIZE.1, value_parser = size_parser())]
    height: u32,
    /// The title above the plot [default: the surface, the optimizer, its learning rate and how
    /// the run ended].
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
}

/// The options of a run, shared by `trace` and `render`.
#[derive(clap::Args)]
struct RunArgs {
    /// The surface (see `gdviz list`).
    #[arg(long, default_value = "rosenbrock")]
    surface: String,
    /// A typed function instead of a named surface, e.g. "x^2 + 10*y^2" (functions sin cos tan
    /// exp log sqrt abs tanh sigmoid min max pow; constants pi, e).
    #[arg(
        long,
        value_name = "F(X,Y)",
        allow_hyphen_values = true,
        conflicts_with_all = ["surface", "params"]
    )]
    expr: Option<String>,
    /// The x range of a typed function's view [default: -3,3].
    #[arg(long, value_name = "MIN,MAX", value_parser = parse_point, allow_hyphen_values = true, requires = "expr")]
    xrange: Option<Vec2>,
    /// The y range of a typed function's view [default: -3,3].
    #[arg(long, value_name = "MIN,MAX", value_parser = parse_point, allow_hyphen_values = true, requires = "expr")]
    yrange: Option<Vec2>,
    /// A surface parameter, e.g. `--param kappa=100` for the ravine; repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
    params: Vec<(String, f64)>,
    #[command(flatten)]
    optim: OptimArgs,
    /// Start point [default: the surface's].
    #[arg(long, value_name = "X,Y", value_parser = parse_point, allow_hyphen_values = true)]
    start: Option<Vec2>,
    /// Scale of an analytic surface's per-term noise [default: the surface's].
    #[arg(long, value_name = "N")]
    noise: Option<f64>,
}

/// The optimizer, its schedule, clipping and batches: shared by the runs on surfaces and the
/// training of networks.
#[derive(clap::Args)]
struct OptimArgs {
    /// sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, nadam, radam, adamax, adadelta,
    /// rprop, lbfgs, newton or linesearch.
    #[arg(long, default_value = "sgd")]
    optimizer: String,
    /// Learning rate γ [default: PyTorch's for the optimizer].
    #[arg(long, value_name = "X")]
    lr: Option<f64>,
    /// Number of steps.
    #[arg(long, value_name = "N", default_value_t = 200)]
    steps: usize,
    /// Momentum μ for momentum and nesterov [default: 0.9], and RMSprop's own [default: 0].
    #[arg(long, value_name = "M")]
    momentum: Option<f64>,
    /// Dampening τ of momentum's buffer [default: 0] (torch refuses it with nesterov).
    #[arg(long, value_name = "T")]
    dampening: Option<f64>,
    /// Adam's β₁ [default: 0.9].
    #[arg(long, value_name = "B")]
    beta1: Option<f64>,
    /// Adam's β₂ [default: 0.999].
    #[arg(long, value_name = "B")]
    beta2: Option<f64>,
    /// ε of adagrad (1e-10), rmsprop and adam (1e-8).
    #[arg(long, value_name = "E")]
    eps: Option<f64>,
    /// RMSprop's decay α [default: 0.99].
    #[arg(long, value_name = "A")]
    decay: Option<f64>,
    /// Adadelta's decay ρ [default: 0.9].
    #[arg(long, value_name = "R")]
    rho: Option<f64>,
    /// Weight decay λ: added to the gradient as λθ, or decoupled (θ shrinks by γλ) for adamw
    /// and with --decoupled-weight-decay [default: 0; 0.01 for adamw].
    #[arg(long, value_name = "L")]
    weight_decay: Option<f64>,
    /// Adagrad's learning-rate decay η: step t uses γ/(1 + (t−1)η) [default: 0].
    #[arg(long, value_name = "E")]
    lr_decay: Option<f64>,
    /// Adagrad's initial accumulator s₀ [default: 0].
    #[arg(long, value_name = "S")]
    initial_accumulator: Option<f64>,
    /// NAdam's momentum decay ψ [default: 0.004].
    #[arg(long, value_name = "P")]
    momentum_decay: Option<f64>,
    /// Rprop's step-size factors η₋,η₊ [default: 0.5,1.2].
    #[arg(long, value_name = "A,B", value_parser = parse_point)]
    etas: Option<Vec2>,
    /// Rprop's step-size bounds Γmin,Γmax [default: 1e-6,50].
    #[arg(long, value_name = "MIN,MAX", value_parser = parse_point)]
    step_sizes: Option<Vec2>,
    /// AMSGrad, for adam and adamw: divide by the largest v so far.
    #[arg(long)]
    amsgrad: bool,
    /// Centred RMSprop: divide by the gradient's estimated variance, not its second moment.
    #[arg(long)]
    centered: bool,
    /// Decoupled weight decay (AdamW's) for nadam and radam.
    #[arg(long)]
    decoupled_weight_decay: bool,
    /// L-BFGS's history size m: the (s, y) pairs it keeps [default: 100].
    #[arg(long, value_name = "M")]
    history_size: Option<f64>,
    /// L-BFGS's line search [default: none].
    #[arg(long, value_name = "KIND", value_parser = ["none", "strong_wolfe"])]
    line_search: Option<String>,
    /// A learning-rate schedule from torch.optim.lr_scheduler: KIND or KIND:key=value,...
    /// (constant, step:step_size,gamma, multistep:milestones=A/B,gamma, exponential:gamma,
    /// cosine:t_max,eta_min, cosine-restarts:t_0,t_mult,eta_min,
    /// linear:start_factor,end_factor,total_iters,
    /// onecycle:max_lr,total_steps,pct_start,anneal_strategy,div_factor,final_div_factor,three_phase,cycle_momentum,base_momentum,max_momentum
    /// (its rates replace --lr),
    /// plateau:factor,patience,threshold,threshold_mode,cooldown,min_lr,eps) [default: constant].
    #[arg(long, value_name = "SPEC")]
    schedule: Option<String>,
    /// Clip each step's gradient to this L2 norm (torch.nn.utils.clip_grad_norm_).
    #[arg(long, value_name = "C")]
    clip_norm: Option<f64>,
    /// Clamp each coordinate of each step's gradient to [-C, C] (clip_grad_value_).
    #[arg(long, value_name = "C")]
    clip_value: Option<f64>,
    /// Which terms of the finite sum each step sees.
    #[arg(
        long,
        value_name = "batch|stochastic|minibatch",
        default_value = "batch"
    )]
    variant: String,
    /// Terms per step for minibatch.
    #[arg(long, value_name = "B", default_value_t = 10)]
    batch_size: usize,
    /// Seed of the term shuffling.
    #[arg(long, value_name = "S", default_value_t = 0)]
    seed: u64,
}

fn parse_point(s: &str) -> Result<Vec2, String> {
    let parts: Vec<&str> = s.split(',').collect();
    let [x, y] = parts.as_slice() else {
        return Err("expected two numbers X,Y, e.g. -1.2,1".into());
    };
    let num = |t: &str| {
        t.trim()
            .parse::<f64>()
            .map_err(|_| format!("'{t}' is not a number"))
    };
    Ok([num(x)?, num(y)?])
}

/// A figure's file name: the format comes from its extension.
fn parse_out(s: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(s);
    match FileFormat::of(&path) {
        Some(_) => Ok(path),
        None => Err("expected a file name ending in .svg or .png, e.g. run.svg".into()),
    }
}

fn size_parser() -> clap::builder::RangedI64ValueParser<u32> {
    clap::value_parser!(u32).range(i64::from(figure::MIN_SIZE)..=i64::from(figure::MAX_SIZE))
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum FileFormat {
    Svg,
    Png,
}

impl FileFormat {
    fn of(path: &std::path::Path) -> Option<FileFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "svg" => Some(FileFormat::Svg),
            "png" => Some(FileFormat::Png),
            _ => None,
        }
    }
}

fn parse_param(s: &str) -> Result<(String, f64), String> {
    let (name, value) = s
        .split_once('=')
        .ok_or("expected NAME=VALUE, e.g. kappa=100")?;
    let value = value
        .trim()
        .parse::<f64>()
        .map_err(|_| format!("'{value}' is not a number"))?;
    Ok((name.trim().to_string(), value))
}

pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => match crate::usage::one_line(&e, &args) {
            Some(line) => {
                eprintln!("error: {line}");
                return ExitCode::from(2);
            }
            None => e.exit(),
        },
    };
    let result = match cli.command {
        Command::Trace(args) => trace(&args),
        Command::Render(args) => render(&args),
        Command::Export(args) => export(&args),
        Command::Train(args) => train::train(&args),
        Command::Landscape(args) => landscape::landscape(&args),
        Command::List => list(),
        Command::Schema => emit(&schema::json()).map_err(Failure::Write),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Argument(e)) => {
            eprintln!("error: invalid {}: {}", flag(&e.option), e.message);
            ExitCode::from(2)
        }
        Err(Failure::Write(WriteError(message))) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Why a command failed: a bad argument (exit 2, naming it) or output that could not be
/// written (exit 1).
enum Failure {
    Argument(Error),
    Write(WriteError),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Argument(e)
    }
}

impl From<WriteError> for Failure {
    fn from(e: WriteError) -> Self {
        Failure::Write(e)
    }
}

/// The longest `--title`, in characters: a figure's title is one line.
const MAX_TITLE: usize = 300;

/// The command-line flag an error's option corresponds to.
fn flag(option: &str) -> String {
    match option {
        "batch" => "--batch-size".into(),
        "surface" | "optimizer" | "steps" | "start" | "variant" | "seed" | "noise" | "expr"
        | "xrange" | "yrange" | "race" | "out" | "width" | "height" | "title" | "schedule"
        | "render" | "curves" => {
            format!("--{option}")
        }
        "clip_norm" | "clip_value" | "dataset" | "hidden" | "activation" | "train" | "test"
        | "data_noise" | "sharpness" | "data" | "plane" | "grid" | "other_optimizer"
        | "other_lr" => {
            format!("--{}", option.replace('_', "-"))
        }
        hyper if HyperName::ALL.iter().any(|h| h.name() == hyper) => {
            format!("--{}", hyper.replace('_', "-"))
        }
        param => format!("--param {param}"),
    }
}

impl OptimArgs {
    /// The hyper-parameters given, by name.
    fn hypers(&self) -> Vec<(HyperName, HyperValue)> {
        use HyperValue::{Flag, Num, Pair};
        let pair = |p: Option<Vec2>| p.map(|[a, b]| Pair(a, b));
        let flag = |f: bool| f.then_some(Flag(true));
        let given = [
            (HyperName::Lr, self.lr.map(Num)),
            (HyperName::Momentum, self.momentum.map(Num)),
            (HyperName::Dampening, self.dampening.map(Num)),
            (HyperName::Beta1, self.beta1.map(Num)),
            (HyperName::Beta2, self.beta2.map(Num)),
            (HyperName::Decay, self.decay.map(Num)),
            (HyperName::Rho, self.rho.map(Num)),
            (HyperName::Eps, self.eps.map(Num)),
            (HyperName::WeightDecay, self.weight_decay.map(Num)),
            (HyperName::LrDecay, self.lr_decay.map(Num)),
            (
                HyperName::InitialAccumulator,
                self.initial_accumulator.map(Num),
            ),
            (HyperName::MomentumDecay, self.momentum_decay.map(Num)),
            (HyperName::Etas, pair(self.etas)),
            (HyperName::StepSizes, pair(self.step_sizes)),
            (HyperName::Amsgrad, flag(self.amsgrad)),
            (HyperName::Centered, flag(self.centered)),
            (HyperName::Decoupled, flag(self.decoupled_weight_decay)),
            (HyperName::HistorySize, self.history_size.map(Num)),
            (
                HyperName::LineSearch,
                self.line_search
                    .as_deref()
                    .and_then(|l| HyperName::LineSearch.choice(l).ok()),
            ),
        ];
        given
            .into_iter()
            .filter_map(|(h, v)| v.map(|v| (h, v)))
            .collect()
    }

    /// The learning-rate schedule given, or none.
    fn schedule(&self) -> Result<Schedule, Error> {
        self.schedule
            .as_deref()
            .map_or(Ok(Schedule::Constant), Schedule::parse)
    }

    /// The optimizer, and its hyper-parameters: PyTorch's defaults where none is given; one it
    /// does not take is an error.
    fn optimizer(&self) -> Result<(OptimizerKind, Hyper), Error> {
        let kind = OptimizerKind::parse(&self.optimizer)?;
        let mut hyper = Hyper::defaults(kind);
        for (name, value) in self.hypers() {
            if !kind.hypers().contains(&name) {
                if kind == OptimizerKind::Nesterov && name == HyperName::Dampening {
                    return Err(Error::new(
                        name.name(),
                        "nesterov takes no dampening: torch's SGD refuses nesterov=True with dampening ≠ 0; use --optimizer momentum",
                    ));
                }
                let takes: Vec<String> = kind.hypers().iter().map(|h| h.flag()).collect();
                return Err(Error::new(
                    name.name(),
                    format!(
                        "{} does not take it; it takes {}",
                        kind.name(),
                        takes.join(", ")
                    ),
                ));
            }
            hyper.set(name, value)?;
        }
        Ok((kind, hyper))
    }
}

impl RunArgs {
    /// These options, with `race`, as the app's option set: each value checked as the app
    /// checks it, and the first bad one an error.
    fn options(&self, race: Option<&str>) -> Result<Options, Error> {
        let (kind, hyper) = self.optim.optimizer()?;
        let num = |k: &str, v: f64| (k.to_string(), Value::Num(v));
        let text = |k: &str, v: &str| (k.to_string(), Value::Str(v.to_string()));
        let pair = |k: &str, [a, b]: Vec2| (k.to_string(), Value::Pair(a, b));
        let mut changes = Vec::new();
        match &self.expr {
            Some(f) => {
                changes.push(text("expr", f));
                changes.extend(self.xrange.map(|r| pair("xrange", r)));
                changes.extend(self.yrange.map(|r| pair("yrange", r)));
            }
            None => changes.push(text("surface", &self.surface)),
        }
        changes.extend(self.params.iter().map(|(k, v)| num(k, *v)));
        changes.push(text("optimizer", kind.name()));
        changes.extend(kind.hypers().iter().map(|&h| {
            let v = match hyper.get(h) {
                HyperValue::Num(v) => Value::Num(v),
                HyperValue::Pair(a, b) => Value::Pair(a, b),
                HyperValue::Flag(f) => Value::Str(f.to_string()),
                HyperValue::Choice(c) => Value::Str(c.to_string()),
            };
            (h.name().to_string(), v)
        }));
        changes.extend(self.optim.schedule.as_deref().map(|s| text("schedule", s)));
        changes.extend(self.optim.clip_norm.map(|c| num("clip_norm", c)));
        changes.extend(self.optim.clip_value.map(|c| num("clip_value", c)));
        changes.push(text("variant", &self.optim.variant));
        // Only a mini-batch has a size; the default 10 may be more than a small dataset has.
        if self.optim.variant == Variant::MiniBatch.name() {
            changes.push(num("batch", self.optim.batch_size as f64));
        }
        changes.push(num("seed", self.optim.seed as f64));
        changes.extend(self.noise.map(|n| num("noise", n)));
        changes.push(num("steps", self.optim.steps as f64));
        changes.extend(self.start.map(|p| pair("start", p)));
        changes.extend(race.map(|r| text("race", r)));
        let opts = options::strict(&changes)?;
        // The app cuts a mini-batch to the data; here, as in `trace`, a larger one is an error.
        let n = opts
            .build_surface()?
            .terms()
            .unwrap_or(gdviz::variant::ANALYTIC_TERMS);
        for run in opts.runs() {
            gdviz::variant::Sampler::new(run.variant, n, run.batch, run.seed)?;
        }
        Ok(opts)
    }
}

fn export(e: &ExportArgs) -> Result<(), Failure> {
    let (surface, cfg) = e.run.config()?;
    let script = match e.lang {
        Lang::Torch => gdviz::export::torch_script(surface.as_ref(), &cfg)?,
        Lang::Numpy => gdviz::export::numpy_script(surface.as_ref(), &cfg)?,
    };
    emit(&script)?;
    Ok(())
}

fn trace(t: &TraceArgs) -> Result<(), Failure> {
    let (surface, cfg) = t.run.config()?;
    let traj = run(surface.as_ref(), &cfg)?;
    match t.format {
        Format::Csv => print_csv(&traj)?,
        Format::Json => print_json(surface.as_ref(), &cfg, &traj)?,
    }
    Ok(())
}

impl RunArgs {
    /// The surface and the run these options describe.
    fn config(&self) -> Result<(Box<dyn Surface>, RunConfig), Error> {
        let a = self;
        let surface = match &a.expr {
            Some(text) => expr_surface(text, a.xrange, a.yrange)?,
            None => surface::find(&a.surface)?.build(&a.params)?,
        };
        let (kind, hyper) = a.optim.optimizer()?;
        let cfg = RunConfig {
            optimizer: kind,
            hyper,
            variant: Variant::parse(&a.optim.variant)?,
            batch: a.optim.batch_size,
            seed: a.optim.seed,
            noise: a.noise,
            steps: a.optim.steps,
            start: a.start.unwrap_or_else(|| surface.start()),
            schedule: a.optim.schedule()?,
            clip: Clip {
                norm: a.optim.clip_norm,
                value: a.optim.clip_value,
            },
            ..RunConfig::new(surface.as_ref(), kind)
        };
        Ok((surface, cfg))
    }
}

fn render(a: &RenderArgs) -> Result<(), Failure> {
    check_out("out", &a.out)?;
    let opts = a.run.options(a.race.as_deref())?;
    let mut figure = Figure::new(&opts)?;
    if let Some(title) = &a.title {
        figure.set_title(&checked_title(title)?);
    }
    write_figure(
        &a.out,
        || figure.svg(a.width, a.height),
        || figure.png(a.width, a.height),
    )
}

/// A figure's file, given as option `option` (`out` for `render`, `render` for `train` and
/// `landscape`): a folder that does not exist is a wrong option, said before any work; other
/// failures to write (a full disk) are output errors.
fn check_out(option: &str, out: &std::path::Path) -> Result<(), Failure> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.is_dir() {
            return Err(Error::new(
                option,
                format!(
                    "cannot write {}: its folder {} does not exist",
                    out.display(),
                    dir.display()
                ),
            )
            .into());
        }
    }
    if out.is_dir() {
        return Err(Error::new(
            option,
            format!("cannot write {}: it is a folder", out.display()),
        )
        .into());
    }
    Ok(())
}

/// A `--title`: one line of at most [`MAX_TITLE`] characters.
fn checked_title(title: &str) -> Result<String, Error> {
    let n = title.chars().count();
    if n > MAX_TITLE {
        return Err(Error::new(
            "title",
            format!("at most {MAX_TITLE} characters, one line (got {n})"),
        ));
    }
    Ok(title.to_string())
}

/// Writes a figure to `out` as its extension says: the SVG `svg` makes or the PNG `png` makes.
fn write_figure(
    out: &std::path::Path,
    svg: impl FnOnce() -> Result<String, Error>,
    png: impl FnOnce() -> Result<Vec<u8>, Error>,
) -> Result<(), Failure> {
    let bytes = match FileFormat::of(out) {
        Some(FileFormat::Png) => png()?,
        _ => svg()?.into_bytes(),
    };
    write_atomically(out, |f| f.write_all(&bytes))?;
    Ok(())
}

/// The surface of `--expr` in the view of `--xrange` and `--yrange`.
fn expr_surface(
    text: &str,
    xrange: Option<Vec2>,
    yrange: Option<Vec2>,
) -> Result<Box<dyn Surface>, Error> {
    let range = |option: &str, r: Option<Vec2>, default: (f64, f64)| match r {
        Some([lo, hi]) => expr::check_range(option, (lo, hi)),
        None => Ok(default),
    };
    let view = gdviz::View {
        x: range("xrange", xrange, expr::DEFAULT_VIEW.x)?,
        y: range("yrange", yrange, expr::DEFAULT_VIEW.y)?,
    };
    Ok(Box::new(expr::ExprSurface::parse(text, view)?))
}

fn print_csv(t: &Trajectory) -> Result<(), WriteError> {
    let mut out = String::with_capacity(64 * t.points.len());
    out.push_str("step,x,y,loss,lr\n");
    for (k, (p, loss)) in t.points.iter().zip(&t.losses).enumerate() {
        // The shortest round-trip digits, written as Python's `repr` writes them (so an exported
        // script's output compares with `diff`). `lr` is the rate of the step that led to the
        // row: none for the start.
        let lr = k
            .checked_sub(1)
            .map_or(String::new(), |i| python_repr(t.lrs[i]));
        out.push_str(&format!(
            "{k},{},{},{},{lr}\n",
            python_repr(p[0]),
            python_repr(p[1]),
            python_repr(*loss)
        ));
    }
    emit(&out)
}

fn print_json(s: &dyn Surface, cfg: &RunConfig, t: &Trajectory) -> Result<(), WriteError> {
    let hyper: serde_json::Map<String, serde_json::Value> = cfg
        .optimizer
        .hypers()
        .iter()
        .map(|&h| {
            let v = match cfg.hyper.get(h) {
                HyperValue::Num(v) => serde_json::json!(v),
                HyperValue::Pair(a, b) => serde_json::json!([a, b]),
                HyperValue::Flag(f) => serde_json::json!(f),
                HyperValue::Choice(c) => serde_json::json!(c),
            };
            (h.name().to_string(), v)
        })
        .collect();
    let last = t.last();
    let json = serde_json::json!({
        "surface": s.name(),
        "optimizer": cfg.optimizer.name(),
        "hyper": hyper,
        "variant": cfg.variant.name(),
        "batch": cfg.batch,
        "seed": cfg.seed,
        "start": cfg.start,
        "steps": t.steps(),
        "status": t.status.name(),
        "diverged_at": match t.status { Status::Diverged { step } => Some(step), _ => None },
        "converged_at": t.converged_at,
        "final": {
            "theta": last,
            "loss": t.losses[t.losses.len() - 1],
            "grad_norm": gdviz::linalg::norm(s.gradient(last)),
        },
        "schedule": cfg.schedule.spec(),
        "clip_norm": cfg.clip.norm,
        "clip_value": cfg.clip.value,
        "trajectory": t.points.iter().zip(&t.losses).map(|(p, l)| [p[0], p[1], *l]).collect::<Vec<_>>(),
        "lr": t.lrs,
    });
    emit(&format!("{json}\n"))
}

fn list() -> Result<(), Failure> {
    let mut out = String::new();
    let _ = writeln!(out, "Surfaces (--surface NAME):");
    for entry in surface::catalog() {
        let s = entry.build(&[]).expect("defaults are valid");
        let v = s.view();
        let _ = writeln!(out, "  {:<22} {}", entry.name, entry.title);
        let _ = writeln!(out, "  {:<22} f = {}", "", s.formula());
        let _ = writeln!(
            out,
            "  {:<22} view x ∈ [{}, {}], y ∈ [{}, {}]; start ({}, {})",
            "",
            v.x.0,
            v.x.1,
            v.y.0,
            v.y.1,
            s.start()[0],
            s.start()[1]
        );
        let minima: Vec<String> = s
            .minima()
            .iter()
            .map(|m| {
                format!(
                    "({:.4}, {:.4}) f = {:.4}{}",
                    m.at[0],
                    m.at[1],
                    m.value,
                    if m.global { "" } else { " local" }
                )
            })
            .collect();
        if !minima.is_empty() {
            let _ = writeln!(out, "  {:<22} minima {}", "", minima.join("; "));
        }
        if !s.note().is_empty() {
            let _ = writeln!(out, "  {:<22} {}", "", s.note());
        }
        for p in entry.params {
            let _ = writeln!(
                out,
                "  {:<22} --param {}=V: {} (default {}, {}..{})",
                "", p.name, p.doc, p.default, p.min, p.max
            );
        }
    }
    let _ = writeln!(
        out,
        "  {:<22} your own f(x, y), with exact derivatives: + - * / ^, sin cos tan",
        "--expr \"F(X,Y)\""
    );
    let _ = writeln!(
        out,
        "  {:<22} exp log sqrt abs tanh sigmoid min max pow, pi, e; --xrange/--yrange MIN,MAX",
        ""
    );
    let _ = writeln!(
        out,
        "\nOptimizers (--optimizer NAME), PyTorch torch.optim rules:"
    );
    for kind in OptimizerKind::ALL {
        let d = Hyper::defaults(kind);
        let hypers: Vec<String> = kind
            .hypers()
            .iter()
            .map(|&h| format!("{} {}", h.flag(), d.get(h).text()))
            .collect();
        let _ = writeln!(out, "  {:<10} {}", kind.name(), kind.rule(&d));
        let _ = writeln!(out, "  {:<10} defaults: {}", "", hypers.join(", "));
    }
    let _ = writeln!(
        out,
        "\nVariants (--variant NAME): batch, stochastic, minibatch (--batch-size B)"
    );
    Ok(emit(&out)?)
}
