//! Network mode's sharpness: λmax of the training loss's Hessian at steps spread over the trained
//! run, measured a few examples' share of a Hessian-vector product at a time (the page works in
//! frame-sized chunks, and a product on the largest network takes longer than a frame) by
//! power iteration started from the previous step's direction ([`gdviz::network::Power`]), and at
//! each step the sharpness at which the optimizer's step there overshoots
//! ([`gdviz::teach::sharpness_limit`] at the rate of the step leaving it).

use gdviz::network::Power;
use gdviz::optim::OptimizerKind;
use gdviz::sharpview::Sharpness;
use gdviz::teach::sharpness_limit;

use crate::netrun::NetRun;

/// The most steps measured: about one per 8 pixels of a chart 480 pixels wide.
pub const SAMPLES: usize = 60;

/// λmax over one run, in progress or done.
pub struct SharpRun {
    /// The steps measured: kept steps spread evenly over the run, its first and last among them.
    pub steps: Vec<usize>,
    /// λmax at the first `lambda.len()` of them.
    pub lambda: Vec<f64>,
    /// The limit at each step (`None` where no line applies).
    pub limit: Vec<Option<f64>>,
    /// Hessian-vector products taken in all.
    pub products: usize,
    /// The iteration at the next step, started from the last step's direction.
    power: Option<Power>,
    all: Vec<usize>,
    /// Milliseconds spent (kept by the caller).
    pub spent: f64,
}

impl SharpRun {
    /// The measurements of `run` as far as it has trained, none taken yet.
    pub fn start(run: &NetRun) -> SharpRun {
        let trained = run.trained();
        let mut steps: Vec<usize> = Vec::with_capacity(SAMPLES + 1);
        for i in 0..=SAMPLES {
            let (s, _) = run.at(i * trained / SAMPLES);
            if steps.last() != Some(&s) {
                steps.push(s);
            }
        }
        let cfg = &run.key.cfg;
        let rows = run.trainer.rows();
        // The rate of the step leaving `s`; the last step's own for the end of the run.
        let rate = |s: usize| rows.get(s + 1).or(rows.get(s)).and_then(|r| r.lr);
        // A schedule that cycles μ moves the momentum methods' line step by step: none drawn.
        let moving = cfg.schedule.cycles_momentum()
            && matches!(
                cfg.optimizer,
                OptimizerKind::Momentum | OptimizerKind::Nesterov
            );
        let limit = steps
            .iter()
            .map(|&s| {
                rate(s)
                    .filter(|_| !moving)
                    .and_then(|g| sharpness_limit(cfg.optimizer, &cfg.hyper, g))
            })
            .collect();
        SharpRun {
            steps,
            lambda: Vec::new(),
            limit,
            products: 0,
            power: None,
            all: (0..run.trainer.data().train.len()).collect(),
            spent: 0.0,
        }
    }

    /// Whether every step is measured.
    pub fn done(&self) -> bool {
        self.lambda.len() == self.steps.len()
    }

    /// Takes `examples` examples' share of the next Hessian-vector product of `run` (the run this
    /// was started on); returns whether every step is measured.
    pub fn step(&mut self, run: &NetRun, examples: usize) -> bool {
        let (model, data) = (run.trainer.model(), &run.trainer.data().train);
        if let Some(&step) = self.steps.get(self.lambda.len()) {
            let (_, theta) = run.at(step);
            let power = self
                .power
                .get_or_insert_with(|| Power::random(model.len(), 0));
            if power
                .advance(model, theta, data, &self.all, examples)
                .is_none()
            {
                return false;
            }
            self.products += 1;
            if power.done() {
                let power = self.power.take().expect("taken above");
                let lambda = power.lambda();
                self.lambda.push(lambda);
                // The next step starts from this one's direction, unless it has gone bad.
                if lambda.is_finite() && lambda != 0.0 {
                    self.power = Some(Power::new(power.into_direction()));
                }
            }
        }
        self.done()
    }

    /// The measurements as the chart and the caption take them.
    pub fn sharpness(&self, last: usize) -> Sharpness<'_> {
        Sharpness {
            steps: &self.steps,
            lambda: &self.lambda,
            limit: &self.limit,
            last,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::options;
    use crate::netrun::RunKey;
    use gdviz::network::sharpness;

    /// Every step measured is a kept step of the run, the first and the last among them, and
    /// λmax (at every sixth step and the last) is the core's long power iteration's at that
    /// step's θ, to a tenth of a percent.
    #[test]
    fn measures_kept_steps_as_the_core_does() {
        let opts =
            options("mode=network&steps=90&optimizer=sgd&lr=0.3&dataset=sine&hidden=4").unwrap();
        let mut run = NetRun::start(RunKey::of(&opts)).unwrap();
        while !run.trainer.is_over() {
            run.step();
        }
        let mut s = SharpRun::start(&run);
        assert_eq!(s.steps.first(), Some(&0));
        assert_eq!(s.steps.last(), Some(&90));
        assert!(s.steps.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(s.limit[0], Some(2.0 / 0.3));
        while !s.step(&run, 7) {}
        let (model, data) = (run.trainer.model(), &run.trainer.data().train);
        for (k, &step) in s.steps.iter().enumerate() {
            let (at, theta) = run.at(step);
            assert_eq!(at, step);
            if k % 6 != 0 && k + 1 != s.steps.len() {
                continue;
            }
            let exact = sharpness(model, theta, data, 300, 3);
            assert!(
                (s.lambda[k] - exact).abs() <= 1e-3 * exact,
                "step {step}: {} vs {exact}",
                s.lambda[k]
            );
        }
        assert!(s.products < 100 * s.steps.len());
    }
}
