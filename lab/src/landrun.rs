//! Network mode's loss landscape: the plane the person chose through the trained run's
//! parameters (the path's PCA plane, two random filter-normalised directions, or, in a race,
//! the plane through θ₀, θ_T and another run's end; around θ_T),
//! the path projected onto it, and the training loss over it, computed a few points at a time
//! (the page works in frame-sized chunks): a coarse grid first, then the loss along the straight
//! line from θ₀ to θ_T (on the ends plane, from θ_T to the other run's end), then the plane's
//! loss at each projected path point, then the fine grid. Every number is the core's
//! ([`gdviz::network::landscape`]).

use gdviz::error::Error;
use gdviz::landview;
use gdviz::network::landscape::{self, GridJob, Plane, PlaneKind};
use gdviz::network::mlp::Scratch;
use gdviz::network::Grid;

use crate::netrun::NetRun;

/// Points along a side of the first picture, and of the one that replaces it.
pub const COARSE: usize = 32;
pub const FINE: usize = 96;

/// The most path points the plane is fitted to and projected (longer runs are thinned, the
/// last step always kept), as `gdviz landscape` does.
pub const PATH_POINTS: usize = 200;

/// The plane and, for `ends:N`, the run (0-based) whose end the ends plane goes through, or why
/// it is not offered: the page's chooser spells the plane `pca`, `random`, `ends` (through the next run's end) or
/// `ends:N` (through run N's, counted from 1).
pub fn plane_choice(name: &str) -> Result<(PlaneKind, Option<usize>), Error> {
    let with = name
        .strip_prefix("ends:")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|&n| n >= 1);
    match (name, with) {
        ("pca", _) => Ok((PlaneKind::Pca, None)),
        ("random", _) => Ok((PlaneKind::Random, None)),
        ("ends", _) => Ok((PlaneKind::Ends, None)),
        (_, Some(n)) => Ok((PlaneKind::Ends, Some(n - 1))),
        (other, None) => Err(Error::new(
            "plane",
            format!(
                "unknown plane '{}'; choose pca, random, ends or ends:N (N a run of the race)",
                gdviz::format::clip(other)
            ),
        )),
    }
}

/// The run of a race whose end the ends plane goes through, as its index in the race and the
/// run: see [`partner`].
pub type Partner<'a> = Option<(usize, &'a NetRun)>;

/// The partner of run `selected` in `runs`: run `with` when it is another run of the race,
/// else the next run (after the last, the first); none for a single run.
pub fn partner(runs: &[NetRun], selected: usize, with: Option<usize>) -> Partner<'_> {
    if runs.len() < 2 {
        return None;
    }
    let i = match with {
        Some(w) if w < runs.len() && w != selected => w,
        _ => (selected + 1) % runs.len(),
    };
    Some((i, &runs[i]))
}

/// What is computed next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Coarse,
    Line,
    PathLoss,
    Curvature,
    Fine,
    Done,
}

/// A landscape of one finished run over one plane, in progress or done.
pub struct LandRun {
    pub plane: Plane,
    /// The path's steps it shows (the kept ones, thinned; the last step trained last).
    pub steps: Vec<usize>,
    /// Each of those steps projected: (x, y, distance from the plane).
    pub projected: Vec<(f64, f64, f64)>,
    /// The run's own training loss at each of those steps.
    pub path_loss: Vec<f64>,
    /// The training loss at each projected point, as far as computed.
    pub plane_loss: Vec<f64>,
    /// The α along the line from θ₀ (0) to θ_T (1), or on the ends plane from θ_T (0) to the
    /// other run's end (1), and the training loss at each, as far as computed.
    pub alphas: Vec<f64>,
    pub line: Vec<f64>,
    /// For the ends plane: the other run's index in the race and its end in the plane.
    pub other: Option<(usize, (f64, f64))>,
    /// The eigenvalues of the plane's 2×2 Hessian at θ_T, largest first, once computed
    /// ([`landscape::plane_hessian`]): the loss's curvature within the plane, per unit of
    /// distance in the weights.
    pub curvature: Option<[f64; 2]>,
    /// For the ends plane: the other run's last weights, the far end of the line (which then
    /// runs from this run's end to the other's, not from θ₀ to θ_T).
    other_end: Option<Vec<f64>>,
    /// The rectangle of the plane shown.
    pub x: (f64, f64),
    pub y: (f64, f64),
    coarse: GridJob,
    fine: GridJob,
    all: Vec<usize>,
    scratch: Scratch,
    /// Milliseconds spent on the coarse grid and on the fine one (kept by the caller).
    pub spent: [f64; 2],
}

impl LandRun {
    /// The landscape of `run` (trained to its end) over the plane of `kind` (the ends plane
    /// through `partner`'s end), nothing of its grids computed yet; or why there is none (a
    /// diverged run, a path with no two directions, no second run for the ends plane).
    pub fn start(run: &NetRun, kind: PlaneKind, partner: Partner) -> Result<LandRun, Error> {
        let trained = run.trained();
        if trained < run.key.cfg.steps {
            return Err(Error::new(
                "plane",
                format!("the run diverged after step {trained}: its landscape would show the overflow, not the loss; lower the learning rate"),
            ));
        }
        let mut path: Vec<(usize, &[f64])> =
            run.kept.iter().map(|(s, t)| (*s, t.as_slice())).collect();
        if path.last().is_some_and(|&(s, _)| s != trained) {
            path.push((trained, run.trainer.theta()));
        }
        let stride = path.len().div_ceil(PATH_POINTS).max(1);
        let last = path.len() - 1;
        let path: Vec<(usize, &[f64])> = path
            .iter()
            .enumerate()
            .filter(|&(i, _)| i % stride == 0 || i == last)
            .map(|(_, p)| *p)
            .collect();
        let model = run.trainer.model();
        let plane = match kind {
            PlaneKind::Pca => {
                let thetas: Vec<Vec<f64>> = path.iter().map(|(_, t)| t.to_vec()).collect();
                landscape::pca_plane(&thetas)?
            }
            PlaneKind::Random => landscape::random_plane(model, run.trainer.theta(), 0),
            PlaneKind::Ends => {
                let Some((i, other)) = partner else {
                    return Err(Error::new(
                        "plane",
                        "the ends plane goes through a second run's end: add an optimizer under Race",
                    ));
                };
                if other.key.cfg == run.key.cfg {
                    return Err(Error::new(
                        "plane",
                        format!(
                            "run {} has this run's settings, so it ended at the same weights; change its optimizer or learning rate",
                            i + 1
                        ),
                    ));
                }
                if other.trained() < other.key.cfg.steps {
                    return Err(Error::new(
                        "plane",
                        format!(
                            "run {} diverged after step {}: its end is not a place the loss is low; change it or choose another plane",
                            i + 1,
                            other.trained()
                        ),
                    ));
                }
                landscape::ends_plane(&run.kept[0].1, run.trainer.theta(), other.trainer.theta())?
            }
        };
        let projected: Vec<(f64, f64, f64)> = path.iter().map(|(_, t)| plane.project(t)).collect();
        let mut points: Vec<(f64, f64)> = projected.iter().map(|p| (p.0, p.1)).collect();
        let (other, other_end) = match (kind, partner) {
            (PlaneKind::Ends, Some((i, o))) => {
                let (x, y, _) = plane.project(o.trainer.theta());
                points.push((x, y));
                (Some((i, (x, y))), Some(o.trainer.theta().to_vec()))
            }
            _ => (None, None),
        };
        let (x, y) = landscape::extent(kind, &points);
        let train = &run.trainer.data().train;
        let rows = run.trainer.rows();
        Ok(LandRun {
            steps: path.iter().map(|(s, _)| *s).collect(),
            path_loss: path.iter().map(|(s, _)| rows[*s].train_loss).collect(),
            plane_loss: Vec::with_capacity(path.len()),
            alphas: landscape::line_alphas(),
            line: Vec::new(),
            coarse: GridJob::new(train, x, y, COARSE)?,
            fine: GridJob::new(train, x, y, FINE)?,
            all: (0..train.len()).collect(),
            scratch: Scratch::default(),
            projected,
            plane,
            other,
            curvature: None,
            other_end,
            x,
            y,
            spent: [0.0; 2],
        })
    }

    /// Which line the line chart shows: θ₀ to θ_T, or this run's end to the other's.
    pub fn line_ends(&self) -> landview::LineEnds {
        match self.other {
            Some((i, _)) => landview::LineEnds::Runs(i),
            None => landview::LineEnds::Training,
        }
    }

    /// What the next [`LandRun::step`] computes.
    pub fn phase(&self) -> Phase {
        if !self.coarse.is_done() {
            Phase::Coarse
        } else if self.line.len() < self.alphas.len() {
            Phase::Line
        } else if self.plane_loss.len() < self.projected.len() {
            Phase::PathLoss
        } else if self.curvature.is_none() {
            Phase::Curvature
        } else if !self.fine.is_done() {
            Phase::Fine
        } else {
            Phase::Done
        }
    }

    /// Computes up to `points` losses of the current phase (about 40 µs each for the default
    /// network in wasm); returns the phase after.
    pub fn step(&mut self, run: &NetRun, points: usize) -> Phase {
        let (model, train) = (run.trainer.model(), &run.trainer.data().train);
        match self.phase() {
            Phase::Coarse => {
                self.coarse.step(model, train, &self.plane, points);
            }
            Phase::Line => {
                let end = self.alphas.len().min(self.line.len() + points);
                let (first, last) = match &self.other_end {
                    Some(b) => (run.trainer.theta(), b.as_slice()),
                    None => (run.kept[0].1.as_slice(), run.trainer.theta()),
                };
                self.line.extend(landscape::interpolate(
                    model,
                    train,
                    first,
                    last,
                    &self.alphas[self.line.len()..end],
                ));
            }
            Phase::PathLoss => {
                let end = self.projected.len().min(self.plane_loss.len() + points);
                for k in self.plane_loss.len()..end {
                    let (x, y, _) = self.projected[k];
                    let theta = self.plane.point(x, y);
                    let loss = model
                        .evaluate(&theta, train, &self.all, &mut self.scratch)
                        .0;
                    self.plane_loss.push(loss);
                }
            }
            Phase::Curvature => {
                // Two Hessian-vector products: a few losses' worth of work.
                let h = landscape::plane_hessian(model, train, &self.plane);
                let (lo, hi) = gdviz::linalg::sym_eigenvalues(h);
                self.curvature = Some([hi, lo]);
            }
            Phase::Fine => {
                self.fine.step(model, train, &self.plane, points);
            }
            Phase::Done => {}
        }
        self.phase()
    }

    /// The finest grid computed so far.
    pub fn grid(&self) -> Option<&Grid> {
        if self.fine.is_done() {
            Some(self.fine.grid())
        } else if self.coarse.is_done() {
            Some(self.coarse.grid())
        } else {
            None
        }
    }

    /// The loss in the plane at its origin, θ_T (where the path ends), once computed: the
    /// last path point projects there exactly.
    pub fn centre_loss(&self) -> Option<f64> {
        (self.plane_loss.len() == self.projected.len())
            .then(|| self.plane_loss.last().copied())
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::options;
    use crate::netrun::RunKey;

    fn trained(query: &str) -> NetRun {
        trained_run(query, None)
    }

    /// Run `i` of `query`'s race (the selected one when `None`), trained to its end.
    fn trained_run(query: &str, i: Option<usize>) -> NetRun {
        let opts = options(query).unwrap();
        let key = RunKey::of_run(&opts, i.unwrap_or(opts.selected()));
        let mut run = NetRun::start(key).unwrap();
        while !run.trainer.is_over() {
            run.step();
        }
        run
    }

    /// Computed in chunks: the coarse grid, then the path's points, then the fine grid; the
    /// plane's loss where the path ends is the run's own loss at θ_T, bit for bit, and the
    /// fine grid is the core's grid over the same rectangle.
    #[test]
    fn the_landscape_meets_the_run_at_its_end() {
        let run = trained("mode=network&steps=60&optimizer=adam&lr=0.02");
        for kind in [PlaneKind::Pca, PlaneKind::Random] {
            let mut land = LandRun::start(&run, kind, None).unwrap();
            assert_eq!(land.steps.first(), Some(&0));
            assert_eq!(land.steps.last(), Some(&60));
            assert!(land.grid().is_none());
            let mut phases = vec![land.phase()];
            while land.phase() != Phase::Done {
                let p = land.step(&run, 100);
                if phases.last() != Some(&p) {
                    phases.push(p);
                }
            }
            assert_eq!(
                phases,
                [
                    Phase::Coarse,
                    Phase::Line,
                    Phase::PathLoss,
                    Phase::Curvature,
                    Phase::Fine,
                    Phase::Done
                ]
            );
            // The line is the core's from θ₀ to θ_T, its ends the run's own losses.
            let whole = landscape::interpolate(
                run.trainer.model(),
                &run.trainer.data().train,
                &run.kept[0].1,
                run.trainer.theta(),
                &land.alphas,
            );
            assert_eq!(land.line, whole);
            assert_eq!(land.line[10], run.trainer.rows()[0].train_loss);
            let last = *land.projected.last().unwrap();
            assert_eq!(last, (0.0, 0.0, 0.0));
            let end_loss = run.trainer.rows()[60].train_loss;
            assert_eq!(land.centre_loss(), Some(end_loss));
            assert_eq!(*land.path_loss.last().unwrap(), end_loss);
            let (model, train) = (run.trainer.model(), &run.trainer.data().train);
            let whole = landscape::grid(model, train, &land.plane, land.x, land.y, FINE).unwrap();
            assert_eq!(land.grid(), Some(&whole));
            // Off its end the path leaves the plane (PCA keeps two of many directions).
            if kind == PlaneKind::Random {
                assert!(land.projected[0].2 > 0.0);
            }
            // The plane's curvature is the core's 2×2 Hessian's eigenvalues, largest first, and
            // none exceeds the network's sharpness (Courant–Fischer).
            let h = landscape::plane_hessian(model, train, &land.plane);
            let (lo, hi) = gdviz::linalg::sym_eigenvalues(h);
            assert_eq!(land.curvature, Some([hi, lo]));
            let full = gdviz::network::sharpness(model, run.trainer.theta(), train, 400, 3);
            assert!(hi > 0.0 && hi <= full * (1.0 + 1e-9), "{hi} > λmax {full}");
        }
    }

    #[test]
    fn a_plane_that_cannot_be_drawn_says_why() {
        assert!(plane_choice("diagonal").is_err());
        assert_eq!(plane_choice("ends:3"), Ok((PlaneKind::Ends, Some(2))));
        assert_eq!(plane_choice("ends"), Ok((PlaneKind::Ends, None)));
        assert_eq!(plane_choice("random"), Ok((PlaneKind::Random, None)));
        for bad in ["ends:0", "ends:", "ends:x", "ends:-1", "pca:2", "ends:1.5"] {
            let e = plane_choice(bad).err().unwrap();
            assert!(e.message.contains("ends:N"), "{bad}: {}", e.message);
        }
        // One step has no two principal directions.
        let run = trained("mode=network&steps=1");
        let e = LandRun::start(&run, PlaneKind::Pca, None).err().unwrap();
        assert!(e.message.contains("random plane"), "{}", e.message);
        // A diverged run has no landscape worth drawing.
        let run = trained("mode=network&dataset=sine&steps=200&optimizer=sgd&lr=10");
        assert!(run.trained() < 200, "the run should diverge");
        let e = LandRun::start(&run, PlaneKind::Random, None).err().unwrap();
        assert!(e.message.contains("diverged"), "{}", e.message);
    }

    /// The ends plane of a race holds θ₀, the selected run's end (at the origin) and the other
    /// run's end, each exactly in the plane, and is refused without a second run or when the
    /// other run diverged.
    /// The ends plane goes through the run chosen (`ends:N`) when it is another run of the
    /// race, else through the next run's end (after the last, the first): every pair of a race
    /// of four is reachable from either of its runs.
    #[test]
    fn the_ends_plane_pairs_the_selected_run_with_the_one_chosen() {
        let race = "mode=network&steps=1&runs=optimizer:sgd;optimizer:adam;optimizer:rmsprop;optimizer:adagrad";
        let runs: Vec<NetRun> = (0..4).map(|i| trained_run(race, Some(i))).collect();
        let with = |selected, with| partner(&runs, selected, with).map(|(i, _)| i);
        assert_eq!(with(0, None), Some(1));
        assert_eq!(with(3, None), Some(0));
        assert_eq!(with(0, Some(2)), Some(2));
        assert_eq!(with(3, Some(1)), Some(1));
        for s in 0..4 {
            for w in 0..4 {
                let expected = if w == s { (s + 1) % 4 } else { w };
                assert_eq!(with(s, Some(w)), Some(expected), "selected {s}, with {w}");
            }
            // A run the race does not have: the next one.
            assert_eq!(with(s, Some(4)), Some((s + 1) % 4));
            assert_eq!(with(s, Some(7)), Some((s + 1) % 4));
        }
        assert!(partner(&runs[..1], 0, Some(0)).is_none());
        assert_eq!(partner(&runs[..2], 1, None).map(|(i, _)| i), Some(0));
        let (i, run) = partner(&runs, 1, Some(3)).unwrap();
        assert!(std::ptr::eq(run, &runs[i]));
    }

    #[test]
    fn the_ends_plane_goes_through_both_ends() {
        let race = "mode=network&steps=40&runs=optimizer:sgd,lr:0.5;optimizer:adam,lr:0.02";
        let (a, b) = (trained_run(race, Some(0)), trained_run(race, Some(1)));
        let land = LandRun::start(&a, PlaneKind::Ends, Some((1, &b))).unwrap();
        let (i, (x, y)) = land.other.unwrap();
        assert_eq!(i, 1);
        let end = land.plane.point(x, y);
        let off = |p: &[f64], q: &[f64]| {
            p.iter()
                .zip(q)
                .map(|(u, v)| (u - v) * (u - v))
                .sum::<f64>()
                .sqrt()
                / q.iter().map(|v| v * v).sum::<f64>().sqrt()
        };
        assert!(
            off(&end, b.trainer.theta()) < 1e-12,
            "the other end lies in the plane"
        );
        assert_eq!(land.projected.last(), Some(&(0.0, 0.0, 0.0)));
        let (x0, y0, d0) = land.projected[0];
        assert!(
            d0 < 1e-12 * (x0.abs() + y0.abs()),
            "θ₀ lies in the plane: {d0}"
        );
        // The picture holds both ends.
        assert!(land.x.0 < x && x < land.x.1 && land.y.0 < y && y < land.y.1);
        // The line runs from this run's end (α = 0) to the other's (α = 1).
        let mut land = land;
        while land.phase() != Phase::Done {
            land.step(&a, 500);
        }
        let whole = landscape::interpolate(
            a.trainer.model(),
            &a.trainer.data().train,
            a.trainer.theta(),
            b.trainer.theta(),
            &land.alphas,
        );
        assert_eq!(land.line, whole);
        assert_eq!(land.line[10], a.trainer.rows()[40].train_loss);
        let e = LandRun::start(&a, PlaneKind::Ends, None).err().unwrap();
        assert!(e.message.contains("add an optimizer"), "{}", e.message);
        let diverging =
            "mode=network&dataset=sine&steps=200&runs=optimizer:sgd,lr:0.1;optimizer:sgd,lr:10";
        let (a, b) = (
            trained_run(diverging, Some(0)),
            trained_run(diverging, Some(1)),
        );
        let e = LandRun::start(&a, PlaneKind::Ends, Some((1, &b)))
            .err()
            .unwrap();
        assert!(e.message.contains("run 2 diverged"), "{}", e.message);
    }

    /// How long the default network's grids take natively (for the report; the page's times
    /// are in its state).
    #[test]
    #[ignore]
    fn timing() {
        let run = trained("mode=network&steps=500&optimizer=adam&lr=0.02");
        let t = std::time::Instant::now();
        let mut land = LandRun::start(&run, PlaneKind::Pca, None).unwrap();
        eprintln!("pca plane: {:?}", t.elapsed());
        let t = std::time::Instant::now();
        while land.phase() == Phase::Coarse {
            land.step(&run, 64);
        }
        eprintln!("32²: {:?}", t.elapsed());
        while land.phase() != Phase::Done {
            land.step(&run, 64);
        }
        eprintln!("all: {:?}", t.elapsed());
    }
}
