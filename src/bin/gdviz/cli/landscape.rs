//! `gdviz landscape`: a trained network's loss over a plane through parameter space (its path's
//! principal directions, two random filter-normalised directions, or the plane through θ₀, θ_T
//! and another optimizer's end), as a grid; in JSON also the path projected onto the plane with
//! each point's distance from it, and the loss along the line from θ₀ to θ_T.

use super::train::{config, NetArgs};
use super::{Failure, Format, OptimArgs};
use crate::output::emit;
use gdviz::figure::landscape::LandFigure;
use gdviz::format::python_repr;
use gdviz::landview;
use gdviz::network::landscape::{self, Plane, PlaneKind};
use gdviz::network::{self, Mlp, TrainConfig};
use gdviz::{Error, Hyper, OptimizerKind};

#[derive(clap::Args)]
#[command(allow_negative_numbers = true)]
pub(super) struct LandscapeArgs {
    #[command(flatten)]
    net: NetArgs,
    /// The plane: pca (the path's two principal directions, through its end), random (two
    /// filter-normalised random directions, through the end) or ends (through θ₀, the end and
    /// the end of a run with --other-optimizer).
    #[arg(long, value_name = "pca|random|ends", default_value = "pca")]
    plane: String,
    /// Points along each side of the grid (2 to 256).
    #[arg(long, value_name = "N", default_value_t = 32)]
    grid: usize,
    /// Seed of the random plane's directions.
    #[arg(long, value_name = "S", default_value_t = 0)]
    plane_seed: u64,
    /// For --plane ends: the optimizer of the third run (the same options, its own defaults).
    #[arg(long, value_name = "NAME")]
    other_optimizer: Option<String>,
    /// For --plane ends: the third run's learning rate [default: PyTorch's for it].
    #[arg(long, value_name = "X", requires = "other_optimizer")]
    other_lr: Option<f64>,
    #[command(flatten)]
    optim: OptimArgs,
    /// Output format: csv (x,y,loss for each grid point) or json (with the path and the line).
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// Draw the landscape to FILE (.svg or .png) instead of printing it: the loss over the plane
    /// with the path on it, the path's loss against the plane's and its distance from the plane,
    /// and the loss along the line from θ₀ to θ_T, as the page's Loss landscape shows them.
    #[arg(long, value_name = "FILE", value_parser = super::parse_out, conflicts_with = "format")]
    render: Option<std::path::PathBuf>,
    /// Width of the --render figure in pixels (from 640: the plane and its charts side by side).
    #[arg(long, value_name = "PX", default_value_t = 1100, value_parser = super::size_parser(), requires = "render")]
    width: u32,
    /// Height of the --render figure in pixels.
    #[arg(long, value_name = "PX", default_value_t = 560, value_parser = super::size_parser(), requires = "render")]
    height: u32,
    /// The --render figure's title [default: the network, the data, the plane, the optimizer
    /// and its learning rate].
    #[arg(long, value_name = "TEXT", requires = "render")]
    title: Option<String>,
}

/// The most path points PCA reads: longer runs are thinned to every k-th step.
const PATH_POINTS: usize = 200;

/// A diverged run has no landscape worth drawing: its numbers are the overflow, not the loss.
fn refuse_diverged(run: &network::Training, option: &str) -> Result<(), Error> {
    if run.diverged {
        return Err(Error::new(
            option,
            format!(
                "the run diverged by step {}: its landscape would show the overflow, not the loss; lower the learning rate",
                run.rows.len()
            ),
        ));
    }
    Ok(())
}

pub(super) fn landscape(a: &LandscapeArgs) -> Result<(), Failure> {
    let (model, data) = a.net.build()?;
    let kind = match a.plane.as_str() {
        "pca" => PlaneKind::Pca,
        "random" => PlaneKind::Random,
        "ends" => PlaneKind::Ends,
        other => {
            return Err(Error::new(
                "plane",
                format!(
                    "unknown plane '{}'; choose one of pca, random, ends",
                    gdviz::format::clip(other)
                ),
            )
            .into())
        }
    };
    if kind == PlaneKind::Ends && a.other_optimizer.is_none() {
        return Err(Error::new(
            "plane",
            "the ends plane needs a third run: give --other-optimizer NAME",
        )
        .into());
    }
    if !(landscape::MIN_GRID..=landscape::MAX_GRID).contains(&a.grid) {
        return Err(Error::new(
            "grid",
            format!(
                "a grid has {} to {} points a side (got {})",
                landscape::MIN_GRID,
                landscape::MAX_GRID,
                a.grid
            ),
        )
        .into());
    }
    if let Some(out) = &a.render {
        super::check_out("render", out)?;
    }
    let title = a.title.as_deref().map(super::checked_title).transpose()?;
    let base = config(&a.net, &a.optim)?;
    let cfg = TrainConfig {
        keep_every: Some(base.steps.div_ceil(PATH_POINTS).max(1)),
        ..base.clone()
    };
    let run = network::train(&model, &data, &cfg)?;
    refuse_diverged(&run, "optimizer")?;
    let path: Vec<Vec<f64>> = run.path.iter().map(|(_, t)| t.clone()).collect();
    let other = match &a.other_optimizer {
        Some(name) => {
            let kind =
                OptimizerKind::parse(name).map_err(|e| Error::new("other_optimizer", e.message))?;
            let mut hyper = Hyper::defaults(kind);
            if let Some(lr) = a.other_lr {
                hyper.lr = lr;
            }
            let other = TrainConfig {
                optimizer: kind,
                hyper,
                ..base
            };
            // Its errors name its own flags.
            let named = |e: Error| match e.option.as_str() {
                "optimizer" => Error::new("other_optimizer", e.message),
                "lr" => Error::new("other_lr", e.message),
                _ => e,
            };
            let end = network::train(&model, &data, &other).map_err(named)?;
            refuse_diverged(&end, "other_optimizer")?;
            Some(end.last)
        }
        None => None,
    };
    let plane: Plane = match (kind, &other) {
        (PlaneKind::Pca, _) => landscape::pca_plane(&path)?,
        (PlaneKind::Random, _) => landscape::random_plane(&model, &run.last, a.plane_seed),
        (PlaneKind::Ends, Some(b)) => landscape::ends_plane(&run.initial, &run.last, b)?,
        (PlaneKind::Ends, None) => unreachable!("checked above"),
    };
    let projected: Vec<(f64, f64, f64)> = path.iter().map(|t| plane.project(t)).collect();
    let mut points: Vec<(f64, f64)> = projected.iter().map(|p| (p.0, p.1)).collect();
    points.extend(other.iter().map(|b| {
        let p = plane.project(b);
        (p.0, p.1)
    }));
    let (x, y) = landscape::extent(kind, &points);
    let grid = landscape::grid(&model, &data.train, &plane, x, y, a.grid)?;
    if let Some(out) = &a.render {
        let path: Vec<gdviz::Vec2> = projected.iter().map(|p| [p.0, p.1]).collect();
        let steps: Vec<usize> = run.path.iter().map(|(step, _)| *step).collect();
        let path_loss: Vec<f64> = run
            .path
            .iter()
            .map(|(_, theta)| model.full_loss(theta, &data.train))
            .collect();
        let plane_loss: Vec<f64> = projected
            .iter()
            .map(|p| model.full_loss(&plane.point(p.0, p.1), &data.train))
            .collect();
        let distance: Vec<f64> = projected.iter().map(|p| p.2).collect();
        let alphas = landscape::line_alphas();
        let line = landscape::interpolate(&model, &data.train, &run.initial, &run.last, &alphas);
        let figure = LandFigure {
            grid: &grid,
            axes: landview::axis_names(plane.explained, other.as_ref().and(other_name(a))),
            path: &path,
            other: other.as_ref().map(|b| {
                let p = plane.project(b);
                [p.0, p.1]
            }),
            steps: &steps,
            path_loss: &path_loss,
            plane_loss: &plane_loss,
            distance: &distance,
            alphas: &alphas,
            line: &line,
            title: title.unwrap_or_else(|| default_title(a, &model, kind, &cfg)),
        };
        return super::write_figure(
            out,
            || figure.svg(a.width, a.height),
            || figure.png(a.width, a.height),
        );
    }
    match a.format {
        Format::Csv => {
            let mut out = String::from("x,y,loss\n");
            for (j, &b) in grid.ys.iter().enumerate() {
                for (i, &v) in grid.xs.iter().enumerate() {
                    out.push_str(&format!(
                        "{},{},{}\n",
                        python_repr(v),
                        python_repr(b),
                        python_repr(grid.loss[j * grid.xs.len() + i])
                    ));
                }
            }
            emit(&out)?;
        }
        Format::Json => {
            let alphas = landscape::line_alphas();
            let line =
                landscape::interpolate(&model, &data.train, &run.initial, &run.last, &alphas);
            let hessian = landscape::plane_hessian(&model, &data.train, &plane);
            let (lo, hi) = gdviz::linalg::sym_eigenvalues(hessian);
            let sharpness = network::sharpness(
                &model,
                &run.last,
                &data.train,
                network::train::SHARPNESS_ITERATIONS,
                0,
            );
            let json = serde_json::json!({
                "dataset": a.net.data_name(),
                "parameters": model.len(),
                "plane": kind.name(),
                "explained_variance": plane.explained,
                "x": grid.xs,
                "y": grid.ys,
                "loss": grid.loss.chunks(grid.xs.len()).collect::<Vec<_>>(),
                "path": run.path.iter().zip(&projected).map(|((step, theta), (px, py, off))| serde_json::json!({
                    "step": step,
                    "x": px,
                    "y": py,
                    "distance_from_plane": off,
                    "loss": model.full_loss(theta, &data.train),
                    "loss_on_plane": model.full_loss(&plane.point(*px, *py), &data.train),
                })).collect::<Vec<_>>(),
                "other_end": other.as_ref().map(|b| { let p = plane.project(b); [p.0, p.1, p.2] }),
                // At θ_T: the curvature within the plane (what a 2D picture of it shows) beside
                // the network's own sharpness, which the plane may miss.
                "curvature": {
                    "plane_hessian": hessian,
                    "direction_norms": [
                        plane.d1.iter().map(|v| v * v).sum::<f64>().sqrt(),
                        plane.d2.iter().map(|v| v * v).sum::<f64>().sqrt(),
                    ],
                    "plane_eigenvalues": [lo, hi],
                    "plane_critical_lr": (hi > 0.0).then(|| 2.0 / hi),
                    "sharpness": sharpness,
                    "critical_lr": (sharpness > 0.0).then(|| 2.0 / sharpness),
                },
                "line": { "alpha": alphas, "loss": line },
            });
            emit(&format!("{json}\n"))?;
        }
    }
    Ok(())
}

/// The figure's title: `the training loss of a 2-8-8-1 tanh network on moons over the PCA plane
/// of its path — adam, lr 0.01, 200 steps`.
fn default_title(a: &LandscapeArgs, model: &Mlp, kind: PlaneKind, cfg: &TrainConfig) -> String {
    let plane = match kind {
        PlaneKind::Pca => "the PCA plane of its path".to_string(),
        PlaneKind::Random => "two random filter-normalised directions".to_string(),
        PlaneKind::Ends => format!(
            "the plane through θ₀, θ_T and {}'s end",
            other_name(a).unwrap_or_default()
        ),
    };
    let (network, run) = super::train::title_words(&a.net, model, cfg);
    format!("the training loss of {network} over {plane} — {run}")
}

/// The third run's optimizer by its own name (`--other-optimizer` as given may differ in case).
fn other_name(a: &LandscapeArgs) -> Option<&'static str> {
    a.other_optimizer
        .as_deref()
        .and_then(|n| OptimizerKind::parse(n).ok())
        .map(|k| k.name())
}
