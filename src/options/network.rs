//! The settings of Network mode (issue 19's page view): which dataset, which network, which
//! seeds. The optimizer, learning rate, variant, batch, schedule, clipping and step count are the
//! selected run's, shared with the surfaces, so a setting means the same thing in both modes.

use super::value::{clip, Value};
use crate::error::Error;
use crate::network::{Activation, DataName, Mlp};

/// The option names of Network mode, in the order they are applied.
pub const NETWORK_KEYS: [&str; 7] = [
    "mode",
    "dataset",
    "hidden",
    "activation",
    "data_seed",
    "init_seed",
    "curves",
];

/// Training and test examples the page generates (the CLI's defaults).
pub const TRAIN_EXAMPLES: usize = 200;
pub const TEST_EXAMPLES: usize = 200;

/// The largest seed a link may hold (what a number box can carry exactly).
pub(crate) const MAX_NET_SEED: u64 = u32::MAX as u64;

/// Network mode's own settings; kept while the surfaces are shown, so switching back and forth
/// restores them.
#[derive(Debug, Clone, PartialEq)]
pub struct NetSettings {
    /// Whether the page shows the network rather than the surfaces.
    pub on: bool,
    pub dataset: DataName,
    /// The hidden layers' widths (1 to 3 layers of 2 to 32 units: [`Mlp::new`]'s rule).
    pub hidden: Vec<usize>,
    pub activation: Activation,
    /// Seed of the examples.
    pub data_seed: u64,
    /// Seed of the initial weights.
    pub init_seed: u64,
    /// Whether the loss and accuracy curves are drawn per epoch (at the end of each pass over
    /// the training examples, so runs of different batch sizes line up by the examples seen)
    /// rather than per step: `curves=epoch`.
    pub per_epoch: bool,
}

impl Default for NetSettings {
    /// Two moons, two hidden layers of 8 tanh units: a boundary that bends, learnt in seconds.
    fn default() -> Self {
        NetSettings {
            on: false,
            dataset: DataName::Moons,
            hidden: vec![8, 8],
            activation: Activation::Tanh,
            data_seed: 0,
            init_seed: 0,
            per_epoch: false,
        }
    }
}

/// Hidden widths written `8,8` (as in a link).
pub fn hidden_text(hidden: &[usize]) -> String {
    hidden
        .iter()
        .map(|w| w.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Widths read from `8,8` (or one number), checked by [`Mlp::new`]'s rule.
fn parse_hidden(value: &Value) -> Result<Vec<usize>, Error> {
    let key = "hidden";
    let text = match value {
        Value::Num(v) => crate::expr::format_number(*v),
        Value::Str(s) => s.clone(),
        _ => return Err(Error::new(key, "expected layer widths, e.g. 8,8")),
    };
    let mut widths = Vec::new();
    for part in text.split(',') {
        let w: usize = part.trim().parse().map_err(|_| {
            Error::new(
                key,
                format!("expected layer widths, e.g. 8,8; got '{}'", clip(&text)),
            )
        })?;
        widths.push(w);
        if widths.len() > 8 {
            break;
        }
    }
    // The rule (and its message) is the network's own.
    Mlp::new(
        &widths,
        Activation::Tanh,
        crate::network::Task::Classification,
    )?;
    Ok(widths)
}

impl NetSettings {
    /// Applies one of [`NETWORK_KEYS`]; a rejected value changes nothing.
    pub fn apply(&mut self, key: &str, value: &Value) -> Result<(), Error> {
        match key {
            "mode" => {
                self.on = match value.text(key)?.trim() {
                    "network" => true,
                    "surfaces" | "" => false,
                    other => {
                        return Err(Error::new(
                            key,
                            format!("expected surfaces or network, got '{}'", clip(other)),
                        ))
                    }
                }
            }
            "dataset" => self.dataset = DataName::parse(value.text(key)?.trim())?,
            "hidden" => self.hidden = parse_hidden(value)?,
            "activation" => self.activation = Activation::parse(value.text(key)?.trim())?,
            "data_seed" => self.data_seed = value.count(key, 0, MAX_NET_SEED)?,
            "init_seed" => self.init_seed = value.count(key, 0, MAX_NET_SEED)?,
            "curves" => {
                self.per_epoch = match value.text(key)?.trim() {
                    "epoch" => true,
                    "step" => false,
                    other => {
                        return Err(Error::new(
                            key,
                            format!("expected step or epoch, got '{}'", clip(other)),
                        ))
                    }
                }
            }
            _ => return Err(Error::new(&clip(key), "unknown option; ignored")),
        }
        Ok(())
    }

    /// The keys and values that take `base` to these settings (for a link).
    pub fn differences(&self, base: &NetSettings) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        if self.on != base.on {
            q.push(("mode", if self.on { "network" } else { "surfaces" }.into()));
        }
        if self.dataset != base.dataset {
            q.push(("dataset", self.dataset.name().into()));
        }
        if self.hidden != base.hidden {
            q.push(("hidden", hidden_text(&self.hidden)));
        }
        if self.activation != base.activation {
            q.push(("activation", self.activation.name().into()));
        }
        if self.data_seed != base.data_seed {
            q.push(("data_seed", self.data_seed.to_string()));
        }
        if self.init_seed != base.init_seed {
            q.push(("init_seed", self.init_seed.to_string()));
        }
        if self.per_epoch != base.per_epoch {
            q.push(("curves", self.curves().into()));
        }
        q
    }

    /// What the curves' x axis counts: `step` or `epoch`.
    pub fn curves(&self) -> &'static str {
        if self.per_epoch {
            "epoch"
        } else {
            "step"
        }
    }

    /// The network these settings describe.
    pub fn model(&self) -> Mlp {
        Mlp::new(&self.hidden, self.activation, self.dataset.task())
            .expect("hidden widths are checked when set")
    }
}

impl super::Options {
    /// What Network mode trains for these options: the data its seeds generate, the network,
    /// and the selected run's optimizer, learning rate, variant, batch, schedule, clipping and
    /// step count from the weights `init_seed` draws. The page trains exactly this; a lesson's
    /// test trains it too.
    pub fn network_run(
        &self,
    ) -> Result<(crate::network::Split, Mlp, crate::network::TrainConfig), Error> {
        let data = crate::network::generate(&crate::network::DataSpec {
            name: self.network.dataset,
            train: TRAIN_EXAMPLES,
            test: TEST_EXAMPLES,
            noise: None,
            seed: self.network.data_seed,
        })?;
        Ok((data, self.network.model(), self.train_config()))
    }

    /// How Network mode trains for these options: the selected run's optimizer, learning rate,
    /// variant, batch, sampler seed, schedule and clipping, the step count, from the weights
    /// `init_seed` draws.
    pub fn train_config(&self) -> crate::network::TrainConfig {
        self.train_config_of(self.selected())
    }

    /// How Network mode trains run `i` of a race (`i` < the number of runs): its own
    /// optimizer, rate, variant, batch, seed, schedule and clipping from the same weights and
    /// for the same steps as every other run.
    pub fn train_config_of(&self, i: usize) -> crate::network::TrainConfig {
        let run = &self.runs()[i];
        crate::network::TrainConfig {
            optimizer: run.optimizer,
            hyper: run.hyper,
            variant: run.variant,
            batch: run.batch,
            seed: run.seed,
            init_seed: self.network.init_seed,
            steps: self.steps,
            schedule: run.schedule.clone(),
            clip: run.clip,
            sharpness_every: None,
            keep_every: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> Value {
        Value::Str(t.into())
    }

    #[test]
    fn hostile_values_are_errors_that_change_nothing() {
        let mut n = NetSettings::default();
        for (k, v) in [
            ("hidden", "0"),
            ("hidden", "1000"),
            ("hidden", "8,8,8,8"),
            ("hidden", "a,b"),
            ("dataset", "<script>"),
            ("activation", "x"),
            ("mode", "3d"),
            ("data_seed", "-1"),
            ("init_seed", "1.5"),
            ("curves", "epochs"),
        ] {
            let e = n.apply(k, &s(v)).unwrap_err();
            assert_eq!(e.option, k, "{k}={v}: {e}");
        }
        assert_eq!(n, NetSettings::default());
    }

    #[test]
    fn differences_applied_give_the_settings_back() {
        let n = NetSettings {
            on: true,
            dataset: DataName::Spiral,
            hidden: vec![16, 4, 2],
            activation: Activation::Relu,
            data_seed: 7,
            init_seed: 9,
            per_epoch: true,
        };
        let mut back = NetSettings::default();
        for (k, v) in n.differences(&NetSettings::default()) {
            back.apply(k, &s(&v)).unwrap();
        }
        assert_eq!(back, n);
        assert!(NetSettings::default()
            .differences(&NetSettings::default())
            .is_empty());
        let e = back.apply("curves", &s("epochs")).unwrap_err();
        assert_eq!(e.message, "expected step or epoch, got 'epochs'");
        back.apply("curves", &s("step")).unwrap();
        assert!(!back.per_epoch);
    }
}
