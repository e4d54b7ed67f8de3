//! Seeded two-feature datasets for training networks: five classification sets and one
//! regression, each example drawn from a documented formula plus Gaussian noise, split into a
//! training and a test set.

use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};
use rand_pcg::Pcg64Mcg;
use std::f64::consts::PI;

use crate::error::Error;

/// What the targets are: labels 0/1 fitted by binary cross-entropy, or real values by squared
/// error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    Classification,
    Regression,
}

/// Which generator. Class c ∈ {0, 1} alternates from example to example, so every set holds
/// both classes equally (±1); t and u are uniform draws, ε the noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataName {
    /// Two interleaved half circles: class 0 at (cos t, sin t), class 1 at
    /// (1 − cos t, ½ − sin t), t ∈ [0, π]; noise σ 0.1.
    Moons,
    /// Two rings: radius 1 (class 0) and ½ (class 1) at angle t ∈ [0, 2π); noise σ 0.05.
    Circles,
    /// Two interleaved spirals: r = t ∈ [0, 1], angle 3πt + cπ, at r(cos, sin); noise σ 0.05.
    Spiral,
    /// Uniform on [−1, 1]², class 1 where x₁x₂ > 0 (decided before the noise); noise σ 0.05.
    Xor,
    /// Two Gaussian blobs centred at (−½, −½) (class 0) and (½, ½) (class 1), spread σ 0.3.
    Blobs,
    /// Regression: x uniform on [−1, 1]², y = sin(πx₁)·cos(πx₂/2) + ε; noise σ 0.1.
    Sine,
}

impl DataName {
    pub const ALL: [DataName; 6] = [
        DataName::Moons,
        DataName::Circles,
        DataName::Spiral,
        DataName::Xor,
        DataName::Blobs,
        DataName::Sine,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DataName::Moons => "moons",
            DataName::Circles => "circles",
            DataName::Spiral => "spiral",
            DataName::Xor => "xor",
            DataName::Blobs => "blobs",
            DataName::Sine => "sine",
        }
    }

    pub fn parse(name: &str) -> Result<DataName, Error> {
        DataName::ALL
            .into_iter()
            .find(|d| d.name() == name)
            .ok_or_else(|| {
                Error::new(
                    "dataset",
                    format!(
                        "unknown dataset '{}'; choose one of moons, circles, spiral, xor, blobs, sine",
                        crate::format::clip(name)
                    ),
                )
            })
    }

    pub fn task(self) -> Task {
        match self {
            DataName::Sine => Task::Regression,
            _ => Task::Classification,
        }
    }

    /// The default noise σ.
    pub fn default_noise(self) -> f64 {
        match self {
            DataName::Moons | DataName::Sine => 0.1,
            DataName::Blobs => 0.3,
            DataName::Circles | DataName::Spiral | DataName::Xor => 0.05,
        }
    }
}

/// Examples: two features and a target each.
#[derive(Debug, Clone, PartialEq)]
pub struct Examples {
    pub x: Vec<[f64; 2]>,
    pub y: Vec<f64>,
}

impl Examples {
    pub fn len(&self) -> usize {
        self.y.len()
    }

    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }
}

/// A training set and a test set drawn from one generator.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub task: Task,
    pub train: Examples,
    pub test: Examples,
}

/// What to draw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DataSpec {
    pub name: DataName,
    /// Training examples (2 to [`MAX_EXAMPLES`]).
    pub train: usize,
    /// Test examples (0 to [`MAX_EXAMPLES`]).
    pub test: usize,
    /// The noise σ; `None` for the dataset's default.
    pub noise: Option<f64>,
    pub seed: u64,
}

/// The most examples in either set.
pub const MAX_EXAMPLES: usize = 5000;

/// The largest noise σ: beyond it every dataset is noise.
pub const MAX_NOISE: f64 = 2.0;

/// Draws the training set, then the test set, from one generator seeded with `spec.seed`.
pub fn generate(spec: &DataSpec) -> Result<Split, Error> {
    if !(2..=MAX_EXAMPLES).contains(&spec.train) {
        return Err(Error::new(
            "train",
            format!(
                "between 2 and {MAX_EXAMPLES} training examples (got {})",
                spec.train
            ),
        ));
    }
    if spec.test > MAX_EXAMPLES {
        return Err(Error::new(
            "test",
            format!("at most {MAX_EXAMPLES} test examples (got {})", spec.test),
        ));
    }
    let sigma = spec.noise.unwrap_or(spec.name.default_noise());
    if !(sigma.is_finite() && (0.0..=MAX_NOISE).contains(&sigma)) {
        return Err(Error::new(
            "data_noise",
            format!(
                "the noise σ is a number from 0 to {MAX_NOISE} (got {})",
                crate::format::format_number(sigma)
            ),
        ));
    }
    let mut rng = Pcg64Mcg::seed_from_u64(spec.seed);
    let noise = Normal::new(0.0, sigma).expect("σ checked finite and ≥ 0");
    let mut draw = |n: usize| {
        let mut ex = Examples {
            x: Vec::with_capacity(n),
            y: Vec::with_capacity(n),
        };
        for i in 0..n {
            let c = (i % 2) as f64;
            let t: f64 = rng.random();
            let u: f64 = rng.random();
            let (p, y) = match spec.name {
                DataName::Moons => {
                    let a = PI * t;
                    if c == 0.0 {
                        ([crate::math::cos(a), crate::math::sin(a)], c)
                    } else {
                        ([1.0 - crate::math::cos(a), 0.5 - crate::math::sin(a)], c)
                    }
                }
                DataName::Circles => {
                    let (a, r) = (2.0 * PI * t, if c == 0.0 { 1.0 } else { 0.5 });
                    ([r * crate::math::cos(a), r * crate::math::sin(a)], c)
                }
                DataName::Spiral => {
                    let a = 3.0 * PI * t + c * PI;
                    ([t * crate::math::cos(a), t * crate::math::sin(a)], c)
                }
                DataName::Xor => {
                    let p = [2.0 * t - 1.0, 2.0 * u - 1.0];
                    (p, f64::from(p[0] * p[1] > 0.0))
                }
                DataName::Blobs => {
                    let m = if c == 0.0 { -0.5 } else { 0.5 };
                    ([m, m], c)
                }
                DataName::Sine => {
                    let p = [2.0 * t - 1.0, 2.0 * u - 1.0];
                    (
                        p,
                        crate::math::sin(PI * p[0]) * crate::math::cos(PI * p[1] / 2.0),
                    )
                }
            };
            let (e1, e2, e3) = (
                noise.sample(&mut rng),
                noise.sample(&mut rng),
                noise.sample(&mut rng),
            );
            if spec.name == DataName::Sine {
                ex.x.push(p);
                ex.y.push(y + e3);
            } else {
                ex.x.push([p[0] + e1, p[1] + e2]);
                ex.y.push(y);
            }
        }
        ex
    };
    let train = draw(spec.train);
    let test = draw(spec.test);
    Ok(Split {
        task: spec.name.task(),
        train,
        test,
    })
}

/// Examples a person brings: CSV text with one example per line, `x1,x2,label` (a first line
/// that is not numbers is a header and skipped; blank lines are skipped). Labels that are all 0
/// or 1 make a classification, any other number a regression. The last `test` examples are the
/// test set. Every malformed line is an error naming its line.
pub fn parse_csv(text: &str, test: usize) -> Result<Split, Error> {
    let mut all = Examples {
        x: Vec::new(),
        y: Vec::new(),
    };
    // A byte-order mark (as spreadsheets save UTF-8) is not part of the first field.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let values: Option<Vec<f64>> = fields.iter().map(|f| f.parse::<f64>().ok()).collect();
        let at = |what: String| Error::new("data", format!("line {}: {what}", number + 1));
        let values = match values {
            Some(v) => v,
            // A header: the first line that has text, none of whose fields is a number (a
            // typo in a first example is an error, not a header).
            None if all.is_empty()
                && number == text.lines().position(|l| !l.trim().is_empty()).unwrap_or(0)
                && fields.iter().all(|f| f.parse::<f64>().is_err()) =>
            {
                continue
            }
            None => {
                return Err(at(format!(
                    "expected three numbers x1,x2,label, got '{}'",
                    crate::format::clip(line)
                )))
            }
        };
        let [x1, x2, y] = values[..] else {
            return Err(at(format!(
                "expected three numbers x1,x2,label, got {}",
                values.len()
            )));
        };
        if ![x1, x2, y].iter().all(|v| v.is_finite()) {
            return Err(at("every value must be a finite number".into()));
        }
        if all.len() == MAX_EXAMPLES * 2 {
            return Err(Error::new(
                "data",
                format!("at most {} examples", MAX_EXAMPLES * 2),
            ));
        }
        all.x.push([x1, x2]);
        all.y.push(y);
    }
    if test >= all.len() || all.len() - test < 2 {
        return Err(Error::new(
            "data",
            format!(
                "{} examples, {test} of them for testing: at least 2 must be left to train on",
                all.len()
            ),
        ));
    }
    let task = if all.y.iter().all(|&y| y == 0.0 || y == 1.0) {
        Task::Classification
    } else {
        Task::Regression
    };
    let split = all.len() - test;
    let train = Examples {
        x: all.x[..split].to_vec(),
        y: all.y[..split].to_vec(),
    };
    if task == Task::Classification && train.y.iter().all(|&y| y == train.y[0]) {
        return Err(Error::new(
            "data",
            format!(
                "every training label is {}: a classifier needs examples of both classes, 0 and 1",
                train.y[0]
            ),
        ));
    }
    Ok(Split {
        task,
        test: Examples {
            x: all.x[split..].to_vec(),
            y: all.y[split..].to_vec(),
        },
        train,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: DataName) -> DataSpec {
        DataSpec {
            name,
            train: 200,
            test: 200,
            noise: Some(0.0),
            seed: 1,
        }
    }

    /// Without noise each example lies exactly where its formula puts it.
    #[test]
    fn noiseless_examples_follow_their_formulas() {
        let s = generate(&spec(DataName::Circles)).unwrap();
        for (p, &y) in s.train.x.iter().zip(&s.train.y) {
            let r = p[0].hypot(p[1]);
            assert!((r - if y == 0.0 { 1.0 } else { 0.5 }).abs() < 1e-12);
        }
        let s = generate(&spec(DataName::Xor)).unwrap();
        assert!(s
            .test
            .x
            .iter()
            .zip(&s.test.y)
            .all(|(p, &y)| (p[0] * p[1] > 0.0) == (y == 1.0)));
        let s = generate(&spec(DataName::Moons)).unwrap();
        for (p, &y) in s.train.x.iter().zip(&s.train.y) {
            let centre = if y == 0.0 { [0.0, 0.0] } else { [1.0, 0.5] };
            assert!(((p[0] - centre[0]).hypot(p[1] - centre[1]) - 1.0).abs() < 1e-12);
        }
        let s = generate(&spec(DataName::Sine)).unwrap();
        assert_eq!(s.task, Task::Regression);
        for (p, &y) in s.train.x.iter().zip(&s.train.y) {
            assert_eq!(
                y,
                crate::math::sin(PI * p[0]) * crate::math::cos(PI * p[1] / 2.0)
            );
        }
    }

    #[test]
    fn every_classification_set_holds_both_classes_equally() {
        for name in DataName::ALL.into_iter().filter(|n| *n != DataName::Sine) {
            let s = generate(&DataSpec {
                noise: None,
                ..spec(name)
            })
            .unwrap();
            let ones = s.train.y.iter().filter(|&&y| y == 1.0).count();
            // Xor's classes follow the draws: balanced only on average.
            if name == DataName::Xor {
                assert!((70..=130).contains(&ones), "{ones}");
            } else {
                assert_eq!(ones, 100, "{}", name.name());
            }
            assert_ne!(s.train, s.test, "{}", name.name());
        }
        // The same seed draws the same data, another seed other data.
        let a = generate(&spec(DataName::Spiral)).unwrap();
        assert_eq!(a, generate(&spec(DataName::Spiral)).unwrap());
        assert_ne!(
            a,
            generate(&DataSpec {
                seed: 2,
                ..spec(DataName::Spiral)
            })
            .unwrap()
        );
    }

    #[test]
    fn bad_sizes_and_noise_are_refused() {
        for (s, option) in [
            (
                DataSpec {
                    train: 1,
                    ..spec(DataName::Moons)
                },
                "train",
            ),
            (
                DataSpec {
                    test: 5001,
                    ..spec(DataName::Moons)
                },
                "test",
            ),
            (
                DataSpec {
                    noise: Some(f64::NAN),
                    ..spec(DataName::Moons)
                },
                "data_noise",
            ),
            (
                DataSpec {
                    noise: Some(-0.1),
                    ..spec(DataName::Moons)
                },
                "data_noise",
            ),
        ] {
            assert_eq!(generate(&s).unwrap_err().option, option);
        }
        assert!(DataName::parse("mnist")
            .unwrap_err()
            .message
            .contains("moons, circles"));
    }

    #[test]
    fn a_csv_becomes_examples_or_says_which_line_is_wrong() {
        let s = parse_csv("x1,x2,label\n0,0,0\n1,1,1\n\n0.5,-2,1\n2,2,0\n", 1).unwrap();
        assert_eq!(s.task, Task::Classification);
        assert_eq!(s.train.x, [[0.0, 0.0], [1.0, 1.0], [0.5, -2.0]]);
        assert_eq!(s.test.y, [0.0]);
        // A byte-order mark before the first example keeps it.
        assert_eq!(
            parse_csv("\u{feff}0,0,0\n1,1,1\n", 0).unwrap().train.len(),
            2
        );
        let s = parse_csv("0,0,0.5\n1,1,2\n", 0).unwrap();
        assert_eq!(s.task, Task::Regression);
        for (text, test, says) in [
            (
                "0,0,0\n1,1\n",
                0,
                "line 2: expected three numbers x1,x2,label, got 2",
            ),
            ("0,0,0\n1,a,1\n", 0, "line 2: expected three numbers"),
            ("h,e,a\nd,e,r\n", 0, "line 2: expected three numbers"),
            (
                "0,0,NaN\n1,1,1\n",
                0,
                "line 1: every value must be a finite number",
            ),
            ("0,0,1\n1,1,1\n", 0, "every training label is 1"),
            ("0,0,0\n1,1,1\n", 1, "at least 2 must be left"),
            ("", 0, "0 examples"),
            ("0,0,O\n1,1,1\n2,2,0\n", 0, "line 1: expected three numbers"),
        ] {
            let e = parse_csv(text, test).unwrap_err();
            assert_eq!(e.option, "data");
            assert!(e.message.contains(says), "{text:?}: {}", e.message);
        }
    }
}
