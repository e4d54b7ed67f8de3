//! A multilayer perceptron with two inputs and one output, laid out as
//! `torch.nn.Sequential(Linear, act, …, Linear)`: its parameters in one flat vector in torch's
//! `state_dict` order, torch.nn.Linear's default initial bounds (from a seeded generator), and
//! the mean loss of a batch of examples with its exact gradient by backpropagation.

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::data::{Examples, Task};
use crate::error::Error;

/// The most hidden layers, and the fewest and most units in one.
pub const MAX_LAYERS: usize = 3;
pub const MIN_WIDTH: usize = 2;
pub const MAX_WIDTH: usize = 32;

/// The hidden units' activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    Tanh,
    Relu,
    Sigmoid,
}

impl Activation {
    /// Every activation, as the CLI and the options name them.
    pub const ALL: [Activation; 3] = [Activation::Tanh, Activation::Relu, Activation::Sigmoid];

    pub fn name(self) -> &'static str {
        match self {
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::Sigmoid => "sigmoid",
        }
    }

    /// torch.nn's module for it.
    pub fn torch(self) -> &'static str {
        match self {
            Activation::Tanh => "Tanh",
            Activation::Relu => "ReLU",
            Activation::Sigmoid => "Sigmoid",
        }
    }

    pub fn parse(name: &str) -> Result<Activation, Error> {
        Activation::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(|| {
                Error::new(
                    "activation",
                    format!(
                        "unknown activation '{}'; choose one of tanh, relu, sigmoid",
                        crate::format::clip(name)
                    ),
                )
            })
    }

    pub(super) fn apply(self, z: f64) -> f64 {
        match self {
            Activation::Tanh => crate::math::tanh(z),
            // torch.relu: max(z, 0), NaN kept.
            Activation::Relu => {
                if z > 0.0 || z.is_nan() {
                    z
                } else {
                    0.0
                }
            }
            Activation::Sigmoid => crate::surface::sigmoid(z),
        }
    }

    /// The second derivative from the output `a` = act(z) (relu's is 0 away from its kink).
    pub(super) fn curve(self, a: f64) -> f64 {
        match self {
            Activation::Tanh => -2.0 * a * (1.0 - a * a),
            Activation::Relu => 0.0,
            Activation::Sigmoid => a * (1.0 - a) * (1.0 - 2.0 * a),
        }
    }

    /// The derivative from the output `a` = act(z), as torch's backward computes it (relu's
    /// slope where z ≤ 0, that is where a = 0, is 0).
    pub(super) fn slope(self, a: f64) -> f64 {
        match self {
            Activation::Tanh => 1.0 - a * a,
            Activation::Relu => {
                if a > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Sigmoid => a * (1.0 - a),
        }
    }
}

/// One parameter tensor of the network, as torch's `state_dict` names and shapes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tensor {
    /// `0.weight`, `0.bias`, `2.weight`, …
    pub name: String,
    /// `[out, in]` for a weight, `[out]` for a bias.
    pub shape: Vec<usize>,
    /// Where its values start in the flat parameter vector (row-major).
    pub offset: usize,
}

impl Tensor {
    /// Its number of values.
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }

    /// Whether it holds no values (never, for a network gdviz builds).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The Euclidean norm of its values in the flat vector `v` (parameters, a gradient, a step).
    pub fn norm(&self, v: &[f64]) -> f64 {
        v[self.offset..self.offset + self.len()]
            .iter()
            .map(|x| x * x)
            .sum::<f64>()
            .sqrt()
    }

    /// The Euclidean distance between its values in `a` and in `b` (how far a step moved it),
    /// bit for bit the norm of the difference vector, without making it.
    pub fn distance(&self, a: &[f64], b: &[f64]) -> f64 {
        let range = self.offset..self.offset + self.len();
        a[range.clone()]
            .iter()
            .zip(&b[range])
            .map(|(x, y)| (x - y) * (x - y))
            .sum::<f64>()
            .sqrt()
    }
}

/// The network: layer sizes `[2, h₁, …, h_k, 1]`, the activation, and what its output means.
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    sizes: Vec<usize>,
    activation: Activation,
    task: Task,
}

impl Mlp {
    /// A network with these hidden layers (1 to 3, each of 2 to 32 units).
    pub fn new(hidden: &[usize], activation: Activation, task: Task) -> Result<Mlp, Error> {
        if hidden.is_empty() || hidden.len() > MAX_LAYERS {
            return Err(Error::new(
                "hidden",
                format!(
                    "give 1 to {MAX_LAYERS} hidden layers, e.g. 8,8 (got {})",
                    hidden.len()
                ),
            ));
        }
        if let Some(w) = hidden
            .iter()
            .find(|&&w| !(MIN_WIDTH..=MAX_WIDTH).contains(&w))
        {
            return Err(Error::new(
                "hidden",
                format!("each layer has {MIN_WIDTH} to {MAX_WIDTH} units (got {w})"),
            ));
        }
        let mut sizes = vec![2];
        sizes.extend_from_slice(hidden);
        sizes.push(1);
        Ok(Mlp {
            sizes,
            activation,
            task,
        })
    }

    /// The hidden layers' widths.
    pub fn hidden(&self) -> &[usize] {
        &self.sizes[1..self.sizes.len() - 1]
    }

    pub fn activation(&self) -> Activation {
        self.activation
    }

    pub fn task(&self) -> Task {
        self.task
    }

    /// The number of parameters.
    pub fn len(&self) -> usize {
        self.sizes.windows(2).map(|w| w[1] * (w[0] + 1)).sum()
    }

    /// Whether it has no parameters (never).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The parameter tensors in `state_dict` order: each Linear's weight, then its bias. In the
    /// Sequential the Linear layers are modules 0, 2, 4, … (an activation between each two).
    pub fn tensors(&self) -> Vec<Tensor> {
        let mut out = Vec::new();
        let mut offset = 0;
        for (l, w) in self.sizes.windows(2).enumerate() {
            let (fan_in, fan_out) = (w[0], w[1]);
            out.push(Tensor {
                name: format!("{}.weight", 2 * l),
                shape: vec![fan_out, fan_in],
                offset,
            });
            offset += fan_out * fan_in;
            out.push(Tensor {
                name: format!("{}.bias", 2 * l),
                shape: vec![fan_out],
                offset,
            });
            offset += fan_out;
        }
        out
    }

    /// Initial parameters as torch.nn.Linear draws them by default — every weight and bias
    /// uniform in ±1/√fan_in (kaiming_uniform_ with a = √5) — from a generator seeded with `seed`.
    pub fn init(&self, seed: u64) -> Vec<f64> {
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let mut theta = Vec::with_capacity(self.len());
        for w in self.sizes.windows(2) {
            let bound = 1.0 / (w[0] as f64).sqrt();
            for _ in 0..w[1] * (w[0] + 1) {
                theta.push(bound * (2.0 * rng.random::<f64>() - 1.0));
            }
        }
        theta
    }

    /// The output layer's value for input `x`: the logit of class 1, or the regression value.
    pub fn forward(&self, theta: &[f64], x: [f64; 2]) -> f64 {
        let mut a = x.to_vec();
        let mut next = Vec::new();
        let mut offset = 0;
        let layers = self.sizes.len() - 1;
        for (l, w) in self.sizes.windows(2).enumerate() {
            let (fan_in, fan_out) = (w[0], w[1]);
            let (weights, rest) = theta[offset..].split_at(fan_out * fan_in);
            next.clear();
            for (j, row) in weights.chunks_exact(fan_in).enumerate() {
                let z = row.iter().zip(&a).fold(rest[j], |s, (wi, ai)| s + wi * ai);
                next.push(if l + 1 < layers {
                    self.activation.apply(z)
                } else {
                    z
                });
            }
            offset += fan_out * (fan_in + 1);
            std::mem::swap(&mut a, &mut next);
        }
        a[0]
    }

    /// What the model predicts for `x`: the probability of class 1, or the regression value.
    pub fn predict(&self, theta: &[f64], x: [f64; 2]) -> f64 {
        let z = self.forward(theta, x);
        match self.task {
            Task::Classification => crate::surface::sigmoid(z),
            Task::Regression => z,
        }
    }

    /// The second derivative in z of one example's loss: σ(z)(1 − σ(z)), or 2.
    pub(super) fn example_curvature(&self, z: f64) -> f64 {
        match self.task {
            Task::Classification => {
                let p = crate::surface::sigmoid(z);
                p * (1.0 - p)
            }
            Task::Regression => 2.0,
        }
    }

    /// The layer sizes `[2, h₁, …, 1]`.
    pub(super) fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// The loss of one example whose output is `z` and target `y`, and its derivative in z:
    /// binary cross-entropy on the logit (`binary_cross_entropy_with_logits`'s formula), or the
    /// squared error.
    pub(super) fn example_loss(&self, z: f64, y: f64) -> (f64, f64) {
        match self.task {
            Task::Classification => {
                // (1 − y)z − log σ(z), log σ(z) = min(z, 0) − log(1 + e^−|z|).
                let log_sigmoid = z.min(0.0) - crate::math::log1p(crate::math::exp(-z.abs()));
                ((1.0 - y) * z - log_sigmoid, crate::surface::sigmoid(z) - y)
            }
            Task::Regression => {
                let r = z - y;
                (r * r, 2.0 * r)
            }
        }
    }

    /// The mean loss over the examples `batch` of `data`.
    pub fn loss(&self, theta: &[f64], data: &Examples, batch: &[usize]) -> f64 {
        self.evaluate(theta, data, batch, &mut Scratch::default()).0
    }

    /// The mean loss over every example of `data`.
    pub fn full_loss(&self, theta: &[f64], data: &Examples) -> f64 {
        let all: Vec<usize> = (0..data.len()).collect();
        self.loss(theta, data, &all)
    }

    /// The fraction of `data` classified right (probability ≥ ½ means class 1); `None` for a
    /// regression.
    pub fn accuracy(&self, theta: &[f64], data: &Examples) -> Option<f64> {
        let all: Vec<usize> = (0..data.len()).collect();
        self.evaluate(theta, data, &all, &mut Scratch::default()).1
    }

    /// The mean loss over `batch`, and for a classifier the fraction of it classified right, in
    /// one forward pass.
    pub fn evaluate(
        &self,
        theta: &[f64],
        data: &Examples,
        batch: &[usize],
        s: &mut Scratch,
    ) -> (f64, Option<f64>) {
        if batch.is_empty() {
            return (f64::NAN, None);
        }
        self.forward_batch(theta, data, batch, s);
        let out = &s.acts[self.sizes.len() - 1];
        let (mut total, mut right) = (0.0, 0);
        for (&z, &i) in out.iter().zip(batch) {
            let y = data.y[i];
            total += self.example_loss(z, y).0;
            right += usize::from((z >= 0.0) == (y == 1.0));
        }
        let k = batch.len() as f64;
        let accuracy = (self.task == Task::Classification).then(|| right as f64 / k);
        (total / k, accuracy)
    }

    /// The forward pass over `batch` (also what [`Mlp::evaluate`] leaves in `s`): `s.acts[l]`
    /// holds layer l's outputs, example by example
    /// (`acts[0]` the inputs, the last the output layer's values).
    fn forward_batch(&self, theta: &[f64], data: &Examples, batch: &[usize], s: &mut Scratch) {
        let layers = self.sizes.len() - 1;
        s.acts.resize_with(layers + 1, Vec::new);
        s.acts[0].clear();
        for &i in batch {
            s.acts[0].extend_from_slice(&data.x[i]);
        }
        let mut offset = 0;
        for l in 0..layers {
            let (fan_in, fan_out) = (self.sizes[l], self.sizes[l + 1]);
            let weights = &theta[offset..offset + fan_out * fan_in];
            let bias = &theta[offset + fan_out * fan_in..offset + fan_out * (fan_in + 1)];
            let (done, rest) = s.acts.split_at_mut(l + 1);
            let (input, output) = (&done[l], &mut rest[0]);
            output.clear();
            for a in input.chunks_exact(fan_in) {
                for (row, b) in weights.chunks_exact(fan_in).zip(bias) {
                    let z = row.iter().zip(a).fold(*b, |s, (wi, ai)| s + wi * ai);
                    output.push(if l + 1 < layers {
                        self.activation.apply(z)
                    } else {
                        z
                    });
                }
            }
            offset += fan_out * (fan_in + 1);
        }
    }

    /// The mean loss over `batch` and its exact gradient, written into `g`, by backpropagation.
    pub fn loss_and_gradient(
        &self,
        theta: &[f64],
        data: &Examples,
        batch: &[usize],
        g: &mut [f64],
    ) -> f64 {
        self.loss_and_gradient_with(theta, data, batch, g, &mut Scratch::default())
    }

    /// [`Mlp::loss_and_gradient`] with buffers kept from call to call.
    pub fn loss_and_gradient_with(
        &self,
        theta: &[f64],
        data: &Examples,
        batch: &[usize],
        g: &mut [f64],
        s: &mut Scratch,
    ) -> f64 {
        self.forward_batch(theta, data, batch, s);
        self.loss_and_gradient_after_forward(theta, data, batch, g, s)
    }

    /// [`Mlp::loss_and_gradient_with`] when `s` holds the forward pass at `theta` over `batch`
    /// already ([`Mlp::evaluate`] leaves it there): the same numbers without the pass, whose
    /// activations (tanh, sigmoid) are most of a step's work.
    pub fn loss_and_gradient_after_forward(
        &self,
        theta: &[f64],
        data: &Examples,
        batch: &[usize],
        g: &mut [f64],
        s: &mut Scratch,
    ) -> f64 {
        g.fill(0.0);
        let layers = self.sizes.len() - 1;
        let k = batch.len() as f64;
        // δ of the output layer: dℓ/dz / k for each example (the mean over the batch).
        let mut total = 0.0;
        s.delta.clear();
        for (&z, &i) in s.acts[layers].iter().zip(batch) {
            let (loss, dz) = self.example_loss(z, data.y[i]);
            total += loss;
            s.delta.push(dz / k);
        }
        let mut offset = self.len();
        for l in (0..layers).rev() {
            let (fan_in, fan_out) = (self.sizes[l], self.sizes[l + 1]);
            offset -= fan_out * (fan_in + 1);
            let input = &s.acts[l];
            let (gw, gb) =
                g[offset..offset + fan_out * (fan_in + 1)].split_at_mut(fan_out * fan_in);
            for (a, d) in input
                .chunks_exact(fan_in)
                .zip(s.delta.chunks_exact(fan_out))
            {
                for ((grow, gbj), &dj) in gw.chunks_exact_mut(fan_in).zip(gb.iter_mut()).zip(d) {
                    for (gq, &x) in grow.iter_mut().zip(a) {
                        *gq += dj * x;
                    }
                    *gbj += dj;
                }
            }
            if l > 0 {
                let weights = &theta[offset..offset + fan_out * fan_in];
                s.back.clear();
                for (a, d) in input
                    .chunks_exact(fan_in)
                    .zip(s.delta.chunks_exact(fan_out))
                {
                    for (q, &aq) in a.iter().enumerate() {
                        let sum: f64 = (0..fan_out).map(|j| weights[j * fan_in + q] * d[j]).sum();
                        s.back.push(sum * self.activation.slope(aq));
                    }
                }
                std::mem::swap(&mut s.delta, &mut s.back);
            }
        }
        total / k
    }
}

/// Buffers for passes over a batch, kept between calls so a training step allocates nothing.
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    acts: Vec<Vec<f64>>,
    delta: Vec<f64>,
    back: Vec<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::data::{generate, DataName, DataSpec};

    fn data(name: DataName) -> Examples {
        generate(&DataSpec {
            name,
            train: 40,
            test: 10,
            noise: None,
            seed: 3,
        })
        .unwrap()
        .train
    }

    /// The layout torch's `state_dict` has for Sequential(Linear(2, 8), Tanh(), Linear(8, 4),
    /// Tanh(), Linear(4, 1)).
    #[test]
    fn parameters_are_laid_out_as_torchs_state_dict() {
        let m = Mlp::new(&[8, 4], Activation::Tanh, Task::Classification).unwrap();
        let t = m.tensors();
        let names: Vec<&str> = t.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]
        );
        assert_eq!(t[2].shape, [4, 8]);
        assert_eq!(t[5].offset + t[5].len(), m.len());
        assert_eq!(m.len(), 8 * 3 + 4 * 9 + 5);
        // Every initial value inside ±1/√fan_in of its layer, and not all on one side.
        let theta = m.init(1);
        for (tensor, bound) in t.iter().zip([2.0f64, 2.0, 8.0, 8.0, 4.0, 4.0]) {
            let v = &theta[tensor.offset..tensor.offset + tensor.len()];
            assert!(
                v.iter().all(|x| x.abs() < 1.0 / bound.sqrt()),
                "{}",
                tensor.name
            );
        }
        assert!(theta.iter().any(|&x| x > 0.0) && theta.iter().any(|&x| x < 0.0));
        assert_ne!(m.init(1), m.init(2));
    }

    /// Backpropagation against central differences of the loss, for every activation and task.
    #[test]
    fn the_gradient_is_the_losss_derivative() {
        for (task, name) in [
            (Task::Classification, DataName::Moons),
            (Task::Regression, DataName::Sine),
        ] {
            let data = data(name);
            for act in Activation::ALL {
                let m = Mlp::new(&[5, 3], act, task).unwrap();
                let theta = m.init(7);
                let batch: Vec<usize> = (0..data.len()).step_by(3).collect();
                let mut g = vec![0.0; m.len()];
                let loss = m.loss_and_gradient(&theta, &data, &batch, &mut g);
                assert!((loss - m.loss(&theta, &data, &batch)).abs() < 1e-15);
                for p in 0..m.len() {
                    let h = 1e-6;
                    let (mut up, mut down) = (theta.clone(), theta.clone());
                    up[p] += h;
                    down[p] -= h;
                    let fd =
                        (m.loss(&up, &data, &batch) - m.loss(&down, &data, &batch)) / (2.0 * h);
                    assert!(
                        (fd - g[p]).abs() <= 1e-7 * (1.0 + g[p].abs()),
                        "{task:?} {} parameter {p}: {fd} vs {}",
                        act.name(),
                        g[p]
                    );
                }
            }
        }
    }

    #[test]
    fn bad_shapes_are_refused_with_the_limits() {
        for hidden in [&[][..], &[8, 8, 8, 8], &[1], &[8, 33]] {
            let e = Mlp::new(hidden, Activation::Tanh, Task::Regression).unwrap_err();
            assert_eq!(e.option, "hidden");
        }
        assert!(Activation::parse("swish")
            .unwrap_err()
            .message
            .contains("tanh, relu, sigmoid"));
    }
}
