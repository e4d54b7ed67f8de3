//! `gdviz train`: a small network trained on a seeded dataset with the same optimizers,
//! printed as a record per step (CSV) or, in JSON, with the data, the weights in torch's
//! `state_dict` layout and each step's batch, so the run can be replayed in torch.

use super::{Failure, Format, OptimArgs};
use crate::output::emit;
use gdviz::figure::network::NetFigure;
use gdviz::format::{python_repr, short};
use gdviz::network::{self, Activation, DataName, DataSpec, Mlp, TrainConfig, Training};
use gdviz::optim::Clip;
use gdviz::{Error, Variant};

/// The network and its data: shared by `train` and `landscape`.
#[derive(clap::Args)]
pub(super) struct NetArgs {
    /// moons, circles, spiral, xor, blobs (classification) or sine (regression).
    #[arg(long, default_value = "moons")]
    dataset: String,
    /// The hidden layers' widths, e.g. 8,8: 1 to 3 layers of 2 to 32 units.
    #[arg(long, value_name = "W,W,...", default_value = "8,8")]
    hidden: String,
    /// The hidden units' activation: tanh, relu or sigmoid.
    #[arg(long, default_value = "tanh")]
    activation: String,
    /// Training examples.
    #[arg(long, value_name = "N", default_value_t = 200)]
    train: usize,
    /// Test examples [default: 200 drawn, or none of a --data file's].
    #[arg(long, value_name = "N")]
    test: Option<usize>,
    /// Your own examples instead of a dataset: a CSV file of lines x1,x2,label (labels all 0 or
    /// 1: a classification; else a regression), an optional header first; the last --test lines
    /// are the test set.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["dataset", "train", "data_noise", "data_seed"])]
    data: Option<std::path::PathBuf>,
    /// The data's noise σ [default: the dataset's].
    #[arg(long, value_name = "S")]
    data_noise: Option<f64>,
    /// Seed of the data.
    #[arg(long, value_name = "S", default_value_t = 0)]
    data_seed: u64,
    /// Seed of the initial weights (uniform in ±1/√fan_in, as torch.nn.Linear draws them).
    #[arg(long, value_name = "S", default_value_t = 0)]
    init_seed: u64,
}

#[derive(clap::Args)]
#[command(allow_negative_numbers = true)]
pub(super) struct TrainArgs {
    #[command(flatten)]
    net: NetArgs,
    /// Every K steps (and at the start), also the sharpness λmax of the training loss (the
    /// Hessian's eigenvalue of largest magnitude, by power iteration on exact Hessian-vector
    /// products): a
    /// `sharpness` column. Plain gradient descent is stable only while λmax < 2/γ.
    #[arg(long, value_name = "K")]
    sharpness: Option<usize>,
    #[command(flatten)]
    optim: OptimArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// Draw the run at its last step to FILE (.svg or .png) instead of printing its rows: the
    /// decision boundary with the examples, the loss and accuracy per step, and the network with
    /// its weights, as the page's Network mode shows them.
    #[arg(long, value_name = "FILE", value_parser = super::parse_out, conflicts_with = "format")]
    render: Option<std::path::PathBuf>,
    /// Width of the --render figure in pixels.
    #[arg(long, value_name = "PX", default_value_t = 1000, value_parser = super::size_parser(), requires = "render")]
    width: u32,
    /// Height of the --render figure in pixels.
    #[arg(long, value_name = "PX", default_value_t = 560, value_parser = super::size_parser(), requires = "render")]
    height: u32,
    /// The --render figure's title [default: the network, the data, the optimizer and its
    /// learning rate, and the final losses].
    #[arg(long, value_name = "TEXT", requires = "render")]
    title: Option<String>,
    /// The --render figure's loss and accuracy curves: per step, or per epoch (at the end of
    /// each pass over the training examples, as the page's "Loss curves" option).
    #[arg(long, value_name = "step|epoch", default_value = "step", value_parser = ["step", "epoch"], requires = "render")]
    curves: String,
}

/// `8,8` as widths.
fn widths(text: &str) -> Result<Vec<usize>, Error> {
    text.split(',')
        .map(|w| {
            w.trim().parse::<usize>().map_err(|_| {
                Error::new(
                    "hidden",
                    format!(
                        "expected widths separated by commas, e.g. 8,8 (got '{}')",
                        gdviz::format::clip(text)
                    ),
                )
            })
        })
        .collect()
}

impl NetArgs {
    /// The data (drawn or read) and the network.
    pub(super) fn build(&self) -> Result<(Mlp, network::Split), Error> {
        let data = match &self.data {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    Error::new("data", format!("cannot read {}: {e}", path.display()))
                })?;
                network::parse_csv(&text, self.test.unwrap_or(0))?
            }
            None => network::generate(&DataSpec {
                name: DataName::parse(&self.dataset)?,
                train: self.train,
                test: self.test.unwrap_or(200),
                noise: self.data_noise,
                seed: self.data_seed,
            })?,
        };
        let model = Mlp::new(
            &widths(&self.hidden)?,
            Activation::parse(&self.activation)?,
            data.task,
        )?;
        Ok((model, data))
    }

    /// The name of the data: the dataset's, or the file's.
    pub(super) fn data_name(&self) -> String {
        self.data
            .as_ref()
            .map_or(self.dataset.clone(), |p| p.display().to_string())
    }
}

/// The training `optim` describes, from the weights `net` draws.
pub(super) fn config(net: &NetArgs, optim: &OptimArgs) -> Result<TrainConfig, Error> {
    let (optimizer, hyper) = optim.optimizer()?;
    Ok(TrainConfig {
        optimizer,
        hyper,
        variant: Variant::parse(&optim.variant)?,
        batch: optim.batch_size,
        seed: optim.seed,
        init_seed: net.init_seed,
        steps: optim.steps,
        schedule: optim.schedule()?,
        clip: Clip {
            norm: optim.clip_norm,
            value: optim.clip_value,
        },
        sharpness_every: None,
        keep_every: None,
    })
}

pub(super) fn train(a: &TrainArgs) -> Result<(), Failure> {
    let (model, data) = a.net.build()?;
    let cfg = TrainConfig {
        sharpness_every: match a.sharpness {
            Some(0) => {
                return Err(Error::new(
                    "sharpness",
                    "measure every K ≥ 1 steps, e.g. --sharpness 10",
                )
                .into())
            }
            k => k,
        },
        ..config(&a.net, &a.optim)?
    };
    if let Some(out) = &a.render {
        super::check_out("render", out)?;
    }
    let title = a.title.as_deref().map(super::checked_title).transpose()?;
    let t = network::train(&model, &data, &cfg)?;
    if let Some(out) = &a.render {
        let title = title.unwrap_or_else(|| default_title(a, &model, &cfg, &t));
        let figure = NetFigure::new(&model, &data, &t, cfg.steps, &title);
        let figure = match a.curves.as_str() {
            "epoch" => figure.per_epoch(epoch_steps(&cfg, data.train.len())?),
            _ => figure,
        };
        return super::write_figure(
            out,
            || figure.svg(a.width, a.height),
            || figure.png(a.width, a.height),
        );
    }
    match a.format {
        Format::Csv => emit(&csv(&t, a.sharpness.is_some()))?,
        Format::Json => emit(&format!("{}\n", json(a, &model, &data, &cfg, &t)))?,
    }
    Ok(())
}

/// The steps of one epoch of `cfg`'s run over `n` training examples, for `--curves epoch`; a
/// run shorter than one epoch has no epoch to draw.
fn epoch_steps(cfg: &TrainConfig, n: usize) -> Result<usize, Error> {
    let k = gdviz::variant::steps_per_epoch(cfg.variant, n, cfg.batch);
    if cfg.steps < k {
        return Err(Error::new(
            "curves",
            format!(
                "an epoch (a pass over the {n} training examples) takes {k} steps here and the run has {}: give --steps {k} or more, or --curves step",
                cfg.steps
            ),
        ));
    }
    Ok(k)
}

/// The figure's title: `a 2-8-8-1 tanh network on moons — adam, lr 0.01, 500 steps: train loss
/// 0.05, test loss 0.07, test accuracy 97.5%` (or how it diverged).
fn default_title(a: &TrainArgs, model: &Mlp, cfg: &TrainConfig, t: &Training) -> String {
    let last = t.rows.last();
    let how = match last {
        _ if t.diverged => format!("diverged at step {}", last.map_or(0, |r| r.step)),
        Some(r) => {
            let mut parts = vec![format!("train loss {}", short(r.train_loss))];
            if let Some(l) = r.test_loss {
                parts.push(format!("test loss {}", short(l)));
            }
            if let Some(acc) = r.test_acc {
                parts.push(format!(
                    "test accuracy {}%",
                    gdviz::format::fixed(acc * 100.0, 1)
                ));
            }
            parts.join(", ")
        }
        None => String::new(),
    };
    let (network, run) = title_words(&a.net, model, cfg);
    format!("{network} — {run}: {how}")
}

/// A figure title's two parts: the network and its data (`a 2-8-8-1 tanh network on moons`),
/// and the run (`adam, lr 0.01, 500 steps`).
pub(super) fn title_words(net: &NetArgs, model: &Mlp, cfg: &TrainConfig) -> (String, String) {
    let shape: Vec<String> = std::iter::once(2)
        .chain(model.hidden().iter().copied())
        .chain([1])
        .map(|s| s.to_string())
        .collect();
    (
        format!(
            "a {} {} network on {}",
            shape.join("-"),
            model.activation().name(),
            net.data_name()
        ),
        format!(
            "{}, lr {}, {} steps",
            cfg.optimizer.name(),
            short(cfg.hyper.lr),
            cfg.steps
        ),
    )
}

/// `step,train_loss,test_loss,train_acc,test_acc,lr[,sharpness]`, floats as Python's `repr`
/// writes them and empty where there is none (no test set, a regression's accuracy, row 0's
/// rate, a step whose sharpness was not measured).
fn csv(t: &Training, sharpness: bool) -> String {
    let opt = |v: Option<f64>| v.map_or(String::new(), python_repr);
    let mut out = String::from("step,train_loss,test_loss,train_acc,test_acc,lr");
    out.push_str(if sharpness { ",sharpness\n" } else { "\n" });
    for r in &t.rows {
        out.push_str(&format!(
            "{},{},{},{},{},{}",
            r.step,
            python_repr(r.train_loss),
            opt(r.test_loss),
            opt(r.train_acc),
            opt(r.test_acc),
            opt(r.lr)
        ));
        if sharpness {
            out.push_str(&format!(",{}", opt(r.sharpness)));
        }
        out.push('\n');
    }
    out
}

/// Parameters as torch's `state_dict`: each tensor by name, nested as its shape.
fn state_dict(model: &Mlp, theta: &[f64]) -> serde_json::Value {
    let map: serde_json::Map<String, serde_json::Value> = model
        .tensors()
        .into_iter()
        .map(|t| {
            let v = &theta[t.offset..t.offset + t.len()];
            let value = match t.shape.as_slice() {
                [_, cols] => serde_json::json!(v.chunks(*cols).collect::<Vec<_>>()),
                _ => serde_json::json!(v),
            };
            (t.name, value)
        })
        .collect();
    serde_json::Value::Object(map)
}

fn json(
    a: &TrainArgs,
    model: &Mlp,
    data: &network::Split,
    cfg: &TrainConfig,
    t: &Training,
) -> serde_json::Value {
    let examples = |e: &network::Examples| serde_json::json!({ "x": e.x, "y": e.y });
    serde_json::json!({
        "dataset": a.net.data_name(),
        "task": match model.task() { network::Task::Classification => "classification", network::Task::Regression => "regression" },
        "hidden": model.hidden(),
        "activation": model.activation().name(),
        "parameters": model.len(),
        "optimizer": cfg.optimizer.name(),
        "lr": cfg.hyper.lr,
        "variant": cfg.variant.name(),
        "schedule": cfg.schedule.spec(),
        "clip_norm": cfg.clip.norm,
        "clip_value": cfg.clip.value,
        "data": { "train": examples(&data.train), "test": examples(&data.test) },
        "initial": state_dict(model, &t.initial),
        "final": state_dict(model, &t.last),
        "batches": if cfg.variant == Variant::Batch { serde_json::Value::Null } else { serde_json::json!(t.batches) },
        "diverged": t.diverged,
        "rows": t.rows.iter().map(|r| serde_json::json!({
            "step": r.step,
            "train_loss": r.train_loss,
            "test_loss": r.test_loss,
            "train_acc": r.train_acc,
            "test_acc": r.test_acc,
            "lr": r.lr,
            "sharpness": r.sharpness,
        })).collect::<Vec<_>>(),
    })
}
