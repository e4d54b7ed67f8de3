//! Batch, stochastic and mini-batch gradient descent over a finite sum f = (1/n) Σᵢ fᵢ.
//!
//! Dataset losses have one term per example. An analytic surface gets n = [`ANALYTIC_TERMS`]
//! tilted copies fᵢ(θ) = f(θ) + aᵢ·θ, with fixed vectors aᵢ that sum to zero and have unit RMS
//! length, scaled by the noise control: the full-batch gradient is exactly ∇f, and a batch of b
//! terms sees ∇f plus the mean of its b tilts. Terms are drawn without replacement and reshuffled
//! every epoch from a PRNG seeded by the user's seed, like a shuffled data loader.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use rand_pcg::Pcg64Mcg;

use crate::error::Error;
use crate::linalg::Vec2;
use crate::surface::Surface;

/// The most steps one run may take: a run stops there, and the sampler is never replayed further
/// (that would take hours). [`crate::run`](mod@crate::run) re-exports it.
pub const MAX_STEPS: usize = 1_000_000;

/// The number of tilted copies an analytic surface is split into.
pub const ANALYTIC_TERMS: usize = 50;

/// The fixed seed of the tilt vectors: they are part of the surface, not of the run.
const TILT_SEED: u64 = 0x0067_6476_697a; // "gdviz" in ASCII

/// How many terms each step sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// All n terms: the exact gradient.
    Batch,
    /// One term per step.
    Stochastic,
    /// `batch` terms per step.
    MiniBatch,
}

impl Variant {
    /// Every variant, in menu order.
    pub const ALL: [Variant; 3] = [Variant::Batch, Variant::Stochastic, Variant::MiniBatch];

    /// The name in the CLI, the URL and JavaScript.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Batch => "batch",
            Variant::Stochastic => "stochastic",
            Variant::MiniBatch => "minibatch",
        }
    }

    /// The variant called `name`, or an error listing the names there are.
    pub fn parse(name: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|v| v.name() == name)
            .ok_or_else(|| {
                Error::new(
                    "variant",
                    format!("unknown variant '{name}'; choose one of batch, stochastic, minibatch"),
                )
            })
    }
}

/// The steps of an epoch, one pass over `n` terms: 1 for the batch variant, n for the stochastic
/// one, ⌈n/b⌉ for mini-batches of `batch` (the last may be short; `batch` is taken within 1..=n).
pub fn steps_per_epoch(variant: Variant, n: usize, batch: usize) -> usize {
    match variant {
        Variant::Batch => 1,
        Variant::Stochastic => n.max(1),
        Variant::MiniBatch => n.div_ceil(batch.clamp(1, n.max(1))).max(1),
    }
}

/// A surface seen as a finite sum, answering gradients of batches of its terms.
pub struct FiniteSum<'a> {
    surface: &'a dyn Surface,
    n: usize,
    /// The tilt vectors aᵢ, already scaled by the noise; empty for dataset losses.
    tilts: Vec<Vec2>,
}

impl<'a> FiniteSum<'a> {
    /// The finite sum of `surface`; `noise` scales an analytic surface's tilts (ignored for
    /// datasets, whose terms are their examples).
    pub fn new(surface: &'a dyn Surface, noise: f64) -> Result<Self, Error> {
        if !(noise.is_finite() && noise >= 0.0) {
            return Err(Error::new(
                "noise",
                format!("must be a finite number ≥ 0 (got {noise})"),
            ));
        }
        Ok(match surface.terms() {
            Some(n) => FiniteSum {
                surface,
                n,
                tilts: Vec::new(),
            },
            None => FiniteSum {
                surface,
                n: ANALYTIC_TERMS,
                tilts: unit_tilts()
                    .into_iter()
                    .map(|a| [noise * a[0], noise * a[1]])
                    .collect(),
            },
        })
    }

    /// The tilt vectors aᵢ of an analytic surface's terms (fᵢ = f + aᵢ·θ), scaled by the noise;
    /// empty for a dataset, whose terms are its examples.
    pub fn tilts(&self) -> &[Vec2] {
        &self.tilts
    }

    /// The number of terms n.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Always false: a finite sum has at least one term.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The mean gradient of the terms in `batch` (sorted in place, so that the sum runs in a
    /// fixed order). A batch of all n terms gives exactly ∇f, bit for bit.
    pub fn gradient(&self, p: Vec2, batch: &mut [usize]) -> Vec2 {
        if batch.len() >= self.n {
            return self.surface.gradient(p);
        }
        batch.sort_unstable();
        let k = batch.len() as f64;
        let mut g = [0.0; 2];
        if self.tilts.is_empty() {
            for &i in batch.iter() {
                let gi = self.surface.term_gradient(i, p);
                g[0] += gi[0];
                g[1] += gi[1];
            }
            [g[0] / k, g[1] / k]
        } else {
            for &i in batch.iter() {
                g[0] += self.tilts[i][0];
                g[1] += self.tilts[i][1];
            }
            let full = self.surface.gradient(p);
            [full[0] + g[0] / k, full[1] + g[1] / k]
        }
    }
}

/// [`ANALYTIC_TERMS`] fixed vectors with mean zero and root-mean-square length one.
fn unit_tilts() -> Vec<Vec2> {
    let mut rng = Pcg64Mcg::seed_from_u64(TILT_SEED);
    let mut a: Vec<Vec2> = (0..ANALYTIC_TERMS)
        .map(|_| {
            [
                StandardNormal.sample(&mut rng),
                StandardNormal.sample(&mut rng),
            ]
        })
        .collect();
    let n = a.len() as f64;
    let mean = a
        .iter()
        .fold([0.0; 2], |m, v| [m[0] + v[0] / n, m[1] + v[1] / n]);
    for v in &mut a {
        v[0] -= mean[0];
        v[1] -= mean[1];
    }
    let rms = (a.iter().map(|v| v[0] * v[0] + v[1] * v[1]).sum::<f64>() / n).sqrt();
    a.iter().map(|v| [v[0] / rms, v[1] / rms]).collect()
}

/// Hands out the indices of the terms each step sees: without replacement within an epoch,
/// reshuffled at the start of every epoch; the last batch of an epoch may be smaller.
#[derive(Clone)]
pub struct Sampler {
    variant: Variant,
    batch: usize,
    order: Vec<usize>,
    pos: usize,
    rng: Pcg64Mcg,
}

impl Sampler {
    /// A sampler over `n` terms; `batch` is used by [`Variant::MiniBatch`] and must be in 1..=n.
    pub fn new(variant: Variant, n: usize, batch: usize, seed: u64) -> Result<Self, Error> {
        let batch = match variant {
            Variant::Batch => n,
            Variant::Stochastic => 1,
            Variant::MiniBatch => {
                if batch == 0 || batch > n {
                    return Err(Error::new(
                        "batch",
                        format!("the batch size must be between 1 and {n}, the number of terms (got {batch})"),
                    ));
                }
                batch
            }
        };
        Ok(Sampler {
            variant,
            batch,
            order: (0..n).collect(),
            pos: 0,
            rng: Pcg64Mcg::seed_from_u64(seed),
        })
    }

    /// The number of terms per step (the last batch of an epoch may hold fewer).
    pub fn batch_size(&self) -> usize {
        self.batch
    }

    /// The steps of an epoch: [`steps_per_epoch`] of this sampler's.
    pub fn steps_per_epoch(&self) -> usize {
        steps_per_epoch(self.variant, self.order.len(), self.batch)
    }

    /// Whether every batch is all the terms (the batch variant): such a sampler has no state.
    pub fn is_full(&self) -> bool {
        self.variant == Variant::Batch
    }

    /// Fills `out` with the next batch's term indices.
    pub fn next_batch(&mut self, out: &mut Vec<usize>) {
        out.clear();
        if self.variant == Variant::Batch {
            out.extend(0..self.order.len());
            return;
        }
        if self.pos == 0 {
            self.order.shuffle(&mut self.rng);
        }
        let end = (self.pos + self.batch).min(self.order.len());
        out.extend_from_slice(&self.order[self.pos..end]);
        self.pos = if end == self.order.len() { 0 } else { end };
    }
}

/// The term indices (sorted) a run with these settings uses for step `step` (1-based: the step
/// from point `step − 1` to point `step`), found by replaying the seeded [`Sampler`]; empty for
/// step 0, which no step leads to.
pub fn batch_at(
    variant: Variant,
    n: usize,
    batch: usize,
    seed: u64,
    step: usize,
) -> Result<Vec<usize>, Error> {
    // No run reaches a later step, and replaying to one would take hours.
    if step > MAX_STEPS {
        return Err(Error::new(
            "steps",
            format!("at most {MAX_STEPS} steps (got {step})"),
        ));
    }
    let mut sampler = Sampler::new(variant, n, batch, seed)?;
    let mut out = Vec::with_capacity(sampler.batch_size());
    if step == 0 {
        return Ok(out);
    }
    if variant == Variant::Batch {
        out.extend(0..n);
        return Ok(out);
    }
    for _ in 0..step {
        sampler.next_batch(&mut out);
    }
    out.sort_unstable();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tilts_sum_to_zero_with_unit_rms() {
        let a = unit_tilts();
        let s = a.iter().fold([0.0; 2], |m, v| [m[0] + v[0], m[1] + v[1]]);
        assert!(s[0].abs() < 1e-12 && s[1].abs() < 1e-12, "{s:?}");
        let ms = a.iter().map(|v| v[0] * v[0] + v[1] * v[1]).sum::<f64>() / a.len() as f64;
        assert!((ms - 1.0).abs() < 1e-12);
    }

    #[test]
    fn every_term_once_per_epoch() {
        assert_eq!(steps_per_epoch(Variant::MiniBatch, 200, 8), 25);
        assert_eq!(steps_per_epoch(Variant::MiniBatch, 200, 7), 29);
        assert_eq!(steps_per_epoch(Variant::Stochastic, 200, 8), 200);
        // A full batch is an epoch.
        assert_eq!(
            Sampler::new(Variant::Batch, 50, 0, 0)
                .unwrap()
                .steps_per_epoch(),
            1
        );
        for (variant, b) in [
            (Variant::Stochastic, 1),
            (Variant::MiniBatch, 7),
            (Variant::MiniBatch, 10),
        ] {
            let mut s = Sampler::new(variant, 50, b, 42).unwrap();
            let mut out = Vec::new();
            for _epoch in 0..5 {
                let mut seen = vec![0; 50];
                let mut count = 0;
                let mut batches = 0;
                while count < 50 {
                    s.next_batch(&mut out);
                    batches += 1;
                    assert!(!out.is_empty() && out.len() <= b);
                    for &i in &out {
                        seen[i] += 1;
                    }
                    count += out.len();
                }
                assert_eq!(count, 50, "a batch crossed an epoch boundary");
                assert_eq!(batches, s.steps_per_epoch(), "{variant:?} b={b}");
                assert!(seen.iter().all(|&c| c == 1), "{variant:?} b={b}: {seen:?}");
            }
        }
    }

    #[test]
    fn epochs_are_reshuffled() {
        let mut s = Sampler::new(Variant::Stochastic, 20, 1, 7).unwrap();
        let mut out = Vec::new();
        let mut epochs = vec![Vec::new(), Vec::new()];
        for e in &mut epochs {
            for _ in 0..20 {
                s.next_batch(&mut out);
                e.push(out[0]);
            }
        }
        assert_ne!(epochs[0], epochs[1]);
    }

    #[test]
    fn bad_batch_sizes_name_the_option() {
        for b in [0, 51] {
            let e = Sampler::new(Variant::MiniBatch, 50, b, 0).err().unwrap();
            assert_eq!(e.option, "batch");
        }
        assert!(Sampler::new(Variant::Stochastic, 50, 0, 0).is_ok());
    }

    /// Every finite sum has terms: 50 tilted copies of an analytic surface, one term per example
    /// of a dataset.
    #[test]
    fn finite_sums_are_never_empty() {
        for (name, n) in [("booth", ANALYTIC_TERMS), ("collinear", 3)] {
            let s = crate::surface::by_name(name).unwrap();
            let sum = FiniteSum::new(s.as_ref(), 1.0).unwrap();
            assert_eq!((sum.len(), sum.is_empty()), (n, false), "{name}");
        }
    }

    /// A batch of an analytic surface's tilted copies sees ∇f plus the mean of its tilts
    /// (scaled by the noise), per coordinate: what stochastic and mini-batch runs step with.
    /// All the terms give ∇f itself.
    #[test]
    fn a_batch_of_tilted_copies_sees_the_mean_tilt() {
        let s = crate::surface::by_name("booth").unwrap();
        let sum = FiniteSum::new(s.as_ref(), 2.5).unwrap();
        let a = unit_tilts();
        let p = [-6.0, -6.0];
        let full = s.gradient(p); // (−142, −146)
        let g = sum.gradient(p, &mut [7]);
        assert_eq!(g, [full[0] + 2.5 * a[7][0], full[1] + 2.5 * a[7][1]]);
        let g = sum.gradient(p, &mut [30, 4, 11]);
        for i in 0..2 {
            let mean = (2.5 * a[4][i] + 2.5 * a[11][i] + 2.5 * a[30][i]) / 3.0;
            assert!((g[i] - (full[i] + mean)).abs() < 1e-12, "{g:?}");
        }
        let mut all: Vec<usize> = (0..ANALYTIC_TERMS).collect();
        assert_eq!(sum.gradient(p, &mut all), full);
        // Without noise every copy is f itself.
        let quiet = FiniteSum::new(s.as_ref(), 0.0).unwrap();
        assert_eq!(quiet.gradient(p, &mut [30, 4, 11]), full);
    }

    /// The terms per step each variant takes: all n, one, or the batch size asked for.
    #[test]
    fn batch_sizes_by_variant() {
        let size = |v, b| Sampler::new(v, 50, b, 0).unwrap().batch_size();
        assert_eq!(size(Variant::Batch, 7), 50);
        assert_eq!(size(Variant::Stochastic, 7), 1);
        assert_eq!(size(Variant::MiniBatch, 7), 7);
    }

    /// `batch_at` (the data view's highlighted examples) names the terms the run's step k really
    /// used, for every variant; nothing before step 1. Replays reach `MAX_STEPS` and no further.
    #[test]
    fn batch_at_is_the_batch_the_run_used() {
        use crate::run::{RunConfig, Stepper};
        use crate::OptimizerKind;
        for (name, variant, b) in [
            ("collinear", Variant::Stochastic, 1),
            ("booth", Variant::MiniBatch, 10),
            ("linear-regression", Variant::MiniBatch, 7),
            ("booth", Variant::Batch, 10),
        ] {
            let s = crate::surface::by_name(name).unwrap();
            let cfg = RunConfig {
                variant,
                batch: b,
                seed: 9,
                ..RunConfig::new(s.as_ref(), OptimizerKind::Sgd)
            };
            let mut stepper = Stepper::new(s.as_ref(), &cfg).unwrap();
            let n = stepper.terms();
            assert_eq!(batch_at(variant, n, b, 9, 0).unwrap(), Vec::<usize>::new());
            for k in 1..=12 {
                stepper.step();
                let want = batch_at(variant, n, b, 9, k).unwrap();
                assert_eq!(stepper.batch(), want, "{name} {variant:?} step {k}");
            }
        }
        assert_eq!(
            batch_at(Variant::Stochastic, 3, 1, 0, MAX_STEPS)
                .unwrap()
                .len(),
            1
        );
        let e = batch_at(Variant::Stochastic, 3, 1, 0, MAX_STEPS + 1).unwrap_err();
        assert_eq!(e.option, "steps");
    }
}
