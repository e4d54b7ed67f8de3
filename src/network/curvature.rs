//! The curvature of a network's loss: exact Hessian-vector products by the R-operator
//! (Pearlmutter 1994: the forward and backward passes differentiated along a direction v), and
//! the sharpness λmax — the Hessian's largest eigenvalue — by power iteration on them. Plain
//! gradient descent is stable along an eigenvector only while γλ < 2; on a network, full-batch
//! GD drives λmax up to about 2/γ and hovers there (the "edge of stability", Cohen et al. 2021).

use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use rand_pcg::Pcg64Mcg;

use super::data::Examples;
use super::mlp::Mlp;

/// H·v for the mean loss over `batch` at θ, exactly (up to rounding).
pub fn hessian_vector(
    model: &Mlp,
    theta: &[f64],
    v: &[f64],
    data: &Examples,
    batch: &[usize],
) -> Vec<f64> {
    let mut hv = vec![0.0; model.len()];
    add_hessian_vector(model, theta, v, data, batch, batch.len(), &mut hv);
    hv
}

/// Adds the examples `part`'s share of H·v for the mean loss over `of` examples at θ into
/// `hv`: a batch's product taken a part at a time, in order, is [`hessian_vector`]'s, bit for
/// bit (the page spreads one product over frames this way).
pub fn add_hessian_vector(
    model: &Mlp,
    theta: &[f64],
    v: &[f64],
    data: &Examples,
    part: &[usize],
    of: usize,
    hv: &mut [f64],
) {
    let sizes = model.sizes();
    let layers = sizes.len() - 1;
    let act = model.activation();
    let k = of as f64;
    // Where each layer's weights and biases start.
    let offsets: Vec<usize> = sizes
        .windows(2)
        .scan(0, |o, w| {
            let at = *o;
            *o += w[1] * (w[0] + 1);
            Some(at)
        })
        .collect();
    // Per layer: outputs a, their derivative R(a) along v, and the pre-activations' R(z).
    let mut a: Vec<Vec<f64>> = vec![Vec::new(); layers + 1];
    let mut ra: Vec<Vec<f64>> = vec![Vec::new(); layers + 1];
    let mut rzs: Vec<Vec<f64>> = vec![Vec::new(); layers + 1];
    for &i in part {
        // Forward, and its derivative along v: R(z) = V a + W R(a) + c, R(a) = σ'(z) R(z).
        a[0] = data.x[i].to_vec();
        ra[0] = vec![0.0; 2];
        for l in 0..layers {
            let (fan_in, fan_out, o) = (sizes[l], sizes[l + 1], offsets[l]);
            let (mut next, mut rnext) = (Vec::with_capacity(fan_out), Vec::with_capacity(fan_out));
            let mut rz_layer = Vec::with_capacity(fan_out);
            for j in 0..fan_out {
                let (row, b) = (o + j * fan_in, o + fan_out * fan_in + j);
                let mut z = theta[b];
                let mut rz = v[b];
                for q in 0..fan_in {
                    z += theta[row + q] * a[l][q];
                    rz += v[row + q] * a[l][q] + theta[row + q] * ra[l][q];
                }
                rz_layer.push(rz);
                if l + 1 < layers {
                    let out = act.apply(z);
                    next.push(out);
                    rnext.push(act.slope(out) * rz);
                } else {
                    next.push(z);
                    rnext.push(rz);
                }
            }
            a[l + 1] = next;
            ra[l + 1] = rnext;
            rzs[l + 1] = rz_layer;
        }
        // Backward, and its derivative along v.
        let z = a[layers][0];
        let mut delta = vec![model.example_loss(z, data.y[i]).1 / k];
        let mut rdelta = vec![model.example_curvature(z) * ra[layers][0] / k];
        for l in (0..layers).rev() {
            let (fan_in, fan_out, o) = (sizes[l], sizes[l + 1], offsets[l]);
            for j in 0..fan_out {
                let row = o + j * fan_in;
                for q in 0..fan_in {
                    hv[row + q] += rdelta[j] * a[l][q] + delta[j] * ra[l][q];
                }
                hv[o + fan_out * fan_in + j] += rdelta[j];
            }
            if l > 0 {
                let (mut back, mut rback) =
                    (Vec::with_capacity(fan_in), Vec::with_capacity(fan_in));
                for q in 0..fan_in {
                    let (mut s, mut rs) = (0.0, 0.0);
                    for j in 0..fan_out {
                        let (w, vw) = (theta[o + j * fan_in + q], v[o + j * fan_in + q]);
                        s += w * delta[j];
                        rs += vw * delta[j] + w * rdelta[j];
                    }
                    let out = a[l][q];
                    // R(σ'(z)) = σ''(z) R(z).
                    let rz_slope = act.curve(out) * rzs[l][q];
                    back.push(s * act.slope(out));
                    rback.push(rs * act.slope(out) + s * rz_slope);
                }
                delta = back;
                rdelta = rback;
            }
        }
    }
}

/// The Hessian's eigenvalue of largest magnitude (the sharpness λmax wherever the loss curves up
/// more than it curves down, as on every network gdviz trains from its seeds) of the mean loss
/// over every example of
/// `data` at θ, by `iterations` of power iteration from a direction drawn with `seed`: the
/// Rayleigh quotient vᵀHv of the last unit v.
pub fn sharpness(model: &Mlp, theta: &[f64], data: &Examples, iterations: usize, seed: u64) -> f64 {
    let all: Vec<usize> = (0..data.len()).collect();
    let mut power = Power::random(model.len(), seed);
    for _ in 0..iterations.max(1) {
        power.iterate(model, theta, data, &all);
    }
    power.lambda()
}

/// The relative change of λ between two products at which [`Power::done`] stops: on the
/// networks gdviz trains, the estimate is then within a tenth of a percent of a long iteration's.
pub const SETTLED: f64 = 1e-4;

/// The most products [`Power::done`] takes for one point.
pub const MOST_PRODUCTS: usize = 100;

/// Power iteration on H·v that is resumed one product at a time and may start from another
/// point's direction: the steps of a run have nearly the same top eigenvector, so a start from
/// the previous step's settles in a few products where a random one takes tens (the page
/// measures a run's sharpness this way, a product at a time between frames).
#[derive(Debug, Clone)]
pub struct Power {
    /// The direction: H times the last unit direction, or the unit direction itself while a
    /// product is under way.
    v: Vec<f64>,
    /// The last two Rayleigh quotients, newest first.
    lambda: [f64; 2],
    products: usize,
    /// The product under way: H·v over the examples done so far, and how many.
    partial: Option<(Vec<f64>, usize)>,
}

impl Power {
    /// Power iteration from `start`.
    pub fn new(start: Vec<f64>) -> Power {
        Power {
            v: start,
            lambda: [f64::NAN; 2],
            products: 0,
            partial: None,
        }
    }

    /// Power iteration from a direction of `len` standard normal numbers drawn with `seed`.
    pub fn random(len: usize, seed: u64) -> Power {
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        Power::new((0..len).map(|_| StandardNormal.sample(&mut rng)).collect())
    }

    /// One product: v normalised, λ = vᵀHv for the mean loss over `batch` at θ, then v ← Hv.
    /// Returns λ: 0 once the direction is zero (H has no image along it), NaN once it is not
    /// finite.
    pub fn iterate(&mut self, model: &Mlp, theta: &[f64], data: &Examples, batch: &[usize]) -> f64 {
        loop {
            if let Some(lambda) = self.advance(model, theta, data, batch, batch.len()) {
                return lambda;
            }
        }
    }

    /// Up to `examples` examples' share (at least one) of the next product over `batch`;
    /// returns λ once the product is complete, as [`Power::iterate`] would have. The page takes
    /// a product a few examples at a time, so no frame waits for a whole one.
    pub fn advance(
        &mut self,
        model: &Mlp,
        theta: &[f64],
        data: &Examples,
        batch: &[usize],
        examples: usize,
    ) -> Option<f64> {
        if self.partial.is_none() {
            let norm = self.v.iter().map(|x| x * x).sum::<f64>().sqrt();
            if !(norm > 0.0 && norm.is_finite()) {
                return Some(self.record(if norm == 0.0 { 0.0 } else { f64::NAN }));
            }
            self.v.iter_mut().for_each(|x| *x /= norm);
            self.partial = Some((vec![0.0; model.len()], 0));
        }
        let (hv, done) = self.partial.as_mut().expect("set above");
        let end = (*done + examples.max(1)).min(batch.len());
        add_hessian_vector(
            model,
            theta,
            &self.v,
            data,
            &batch[*done..end],
            batch.len(),
            hv,
        );
        *done = end;
        if end < batch.len() {
            return None;
        }
        let (hv, _) = self.partial.take().expect("set above");
        let lambda = self.v.iter().zip(&hv).map(|(a, b)| a * b).sum();
        self.v = hv;
        Some(self.record(lambda))
    }

    /// Records a finished product's estimate.
    fn record(&mut self, lambda: f64) -> f64 {
        self.lambda = [lambda, self.lambda[0]];
        self.products += 1;
        lambda
    }

    /// Whether the iteration is done: settled to [`SETTLED`] after at least three products, or
    /// [`MOST_PRODUCTS`] taken.
    pub fn done(&self) -> bool {
        (self.products >= 3 && self.settled(SETTLED)) || self.products >= MOST_PRODUCTS
    }

    /// Iterates until [`Power::done`]; returns the products taken in all.
    pub fn settle(
        &mut self,
        model: &Mlp,
        theta: &[f64],
        data: &Examples,
        batch: &[usize],
    ) -> usize {
        while !self.done() {
            self.iterate(model, theta, data, batch);
        }
        self.products
    }

    /// The latest estimate (NaN before the first product).
    pub fn lambda(&self) -> f64 {
        self.lambda[0]
    }

    /// Products taken.
    pub fn products(&self) -> usize {
        self.products
    }

    /// Whether the last two estimates differ by at most `tolerance` of the latest: the
    /// iteration has settled (or its direction has vanished).
    pub fn settled(&self, tolerance: f64) -> bool {
        let [now, before] = self.lambda;
        (now - before).abs() <= tolerance * now.abs()
    }

    /// The direction reached, to start a neighbouring point's iteration from.
    pub fn into_direction(self) -> Vec<f64> {
        self.v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::data::{generate, DataName, DataSpec, Task};
    use crate::network::mlp::Activation;

    fn data(name: DataName) -> Examples {
        generate(&DataSpec {
            name,
            train: 30,
            test: 0,
            noise: None,
            seed: 5,
        })
        .unwrap()
        .train
    }

    /// H·v against central differences of the gradient along v, for every activation and task.
    #[test]
    fn hessian_vector_products_are_the_gradients_derivative() {
        for (task, name) in [
            (Task::Classification, DataName::Moons),
            (Task::Regression, DataName::Sine),
        ] {
            let data = data(name);
            let all: Vec<usize> = (0..data.len()).collect();
            for act in Activation::ALL {
                let m = Mlp::new(&[4, 3], act, task).unwrap();
                let theta = m.init(2);
                let v = m.init(9);
                let hv = hessian_vector(&m, &theta, &v, &data, &all);
                let h = 1e-5;
                let grad = |sign: f64| {
                    let t: Vec<f64> = theta
                        .iter()
                        .zip(&v)
                        .map(|(t, d)| t + sign * h * d)
                        .collect();
                    let mut g = vec![0.0; m.len()];
                    m.loss_and_gradient(&t, &data, &all, &mut g);
                    g
                };
                let (up, down) = (grad(1.0), grad(-1.0));
                for p in 0..m.len() {
                    let fd = (up[p] - down[p]) / (2.0 * h);
                    assert!(
                        (fd - hv[p]).abs() <= 1e-6 * (1.0 + hv[p].abs()),
                        "{task:?} {} parameter {p}: {fd} vs {}",
                        act.name(),
                        hv[p]
                    );
                }
            }
        }
    }

    /// A product taken a few examples at a time is the whole product, bit for bit, and so is
    /// the iteration built on it.
    #[test]
    fn a_product_in_parts_is_the_whole_product() {
        let data = data(DataName::Moons);
        let all: Vec<usize> = (0..data.len()).collect();
        let m = Mlp::new(&[5, 3], Activation::Tanh, Task::Classification).unwrap();
        let (theta, v) = (m.init(1), m.init(2));
        let mut parts = vec![0.0; m.len()];
        for chunk in all.chunks(7) {
            add_hessian_vector(&m, &theta, &v, &data, chunk, all.len(), &mut parts);
        }
        assert_eq!(parts, hessian_vector(&m, &theta, &v, &data, &all));
        let (mut whole, mut pieces) = (Power::random(m.len(), 4), Power::random(m.len(), 4));
        for _ in 0..5 {
            let lambda = whole.iterate(&m, &theta, &data, &all);
            let mut calls = 1;
            let got = loop {
                match pieces.advance(&m, &theta, &data, &all, 4) {
                    Some(l) => break l,
                    None => calls += 1,
                }
            };
            assert_eq!(got, lambda);
            assert_eq!(calls, all.len().div_ceil(4));
        }
        assert_eq!(pieces.products(), 5);
    }

    /// Along a run, power iteration started from the previous step's direction settles on
    /// each step's λmax to well within 1% of a long cold iteration, in fewer products.
    #[test]
    fn a_warm_started_iteration_follows_a_run() {
        use crate::network::train::{train, TrainConfig};
        use crate::optim::{Clip, Hyper, OptimizerKind};
        use crate::schedule::Schedule;
        use crate::variant::Variant;
        let data = generate(&DataSpec {
            name: DataName::Sine,
            train: 40,
            test: 0,
            noise: None,
            seed: 0,
        })
        .unwrap();
        let m = Mlp::new(&[6], Activation::Tanh, Task::Regression).unwrap();
        let kind = OptimizerKind::Sgd;
        let t = train(
            &m,
            &data,
            &TrainConfig {
                optimizer: kind,
                hyper: Hyper {
                    lr: 0.3,
                    ..Hyper::defaults(kind)
                },
                variant: Variant::Batch,
                batch: 1,
                seed: 0,
                init_seed: 0,
                steps: 200,
                schedule: Schedule::Constant,
                clip: Clip::default(),
                sharpness_every: None,
                keep_every: Some(20),
            },
        )
        .unwrap();
        let all: Vec<usize> = (0..data.train.len()).collect();
        let mut direction = Power::random(m.len(), 0).into_direction();
        let (mut warm, mut cold) = (0, 0);
        for (step, theta) in &t.path {
            let mut p = Power::new(direction);
            p.settle(&m, theta, &data.train, &all);
            let exact = sharpness(&m, theta, &data.train, 400, 1);
            assert!(
                (p.lambda() - exact).abs() <= 1e-3 * exact,
                "step {step}: {} vs {exact}",
                p.lambda()
            );
            warm += p.products();
            cold += Power::random(m.len(), 1).settle(&m, theta, &data.train, &all);
            direction = p.into_direction();
        }
        assert!(warm < cold, "warm {warm} products, cold {cold}");
    }

    /// Power iteration on H·v finds the eigenvalue of largest magnitude that the explicit
    /// Hessian (built from H·eᵢ) has, found independently by Jacobi rotations.
    #[test]
    fn sharpness_is_the_largest_eigenvalue() {
        let data = data(DataName::Moons);
        let all: Vec<usize> = (0..data.len()).collect();
        let m = Mlp::new(&[2], Activation::Tanh, Task::Classification).unwrap();
        let theta = m.init(4);
        let n = m.len();
        // The explicit Hessian, column by column.
        let mut h = vec![vec![0.0; n]; n];
        for c in 0..n {
            let mut e = vec![0.0; n];
            e[c] = 1.0;
            let col = hessian_vector(&m, &theta, &e, &data, &all);
            for (row, value) in h.iter_mut().zip(col) {
                row[c] = value;
            }
        }
        // Symmetric, as a Hessian is.
        for (r, row) in h.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                assert!((value - h[c][r]).abs() < 1e-12, "{r},{c}");
            }
        }
        // Every eigenvalue by cyclic Jacobi rotations of the explicit matrix.
        let mut a = h.clone();
        for _sweep in 0..100 {
            for p in 0..n {
                for q in p + 1..n {
                    if a[p][q].abs() < 1e-300 {
                        continue;
                    }
                    let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                    let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                    let t = if theta == 0.0 { 1.0 } else { t };
                    let (c, s) = (1.0 / (t * t + 1.0).sqrt(), t / (t * t + 1.0).sqrt());
                    for row in a.iter_mut() {
                        let (akp, akq) = (row[p], row[q]);
                        row[p] = c * akp - s * akq;
                        row[q] = s * akp + c * akq;
                    }
                    let (low, high) = a.split_at_mut(q);
                    for (x, y) in low[p].iter_mut().zip(high[0].iter_mut()) {
                        let (apk, aqk) = (*x, *y);
                        *x = c * apk - s * aqk;
                        *y = s * apk + c * aqk;
                    }
                }
            }
        }
        let lambda = (0..n)
            .map(|i| a[i][i])
            .max_by(|x, y| x.abs().total_cmp(&y.abs()))
            .unwrap();
        let s = sharpness(&m, &theta, &data, 500, 1);
        assert!((s - lambda).abs() <= 1e-6 * lambda.abs(), "{s} vs {lambda}");
    }
}
