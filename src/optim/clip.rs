//! Gradient clipping as `torch.nn.utils` does it before a step: `clip_grad_norm_` (L2, with its
//! 1e-6) and `clip_grad_value_`, on the step's (mini-batch) gradient.

use crate::error::Error;
use crate::format::format_number;
use crate::linalg::Vec2;

/// Which clipping a run applies: by norm, by value, both (norm first) or none.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Clip {
    /// `clip_grad_norm_(max_norm)`: the gradient scaled by min(1, C/(‖g‖ + 1e-6)).
    pub norm: Option<f64>,
    /// `clip_grad_value_(clip_value)`: each coordinate clamped to [−C, C].
    pub value: Option<f64>,
}

impl Clip {
    /// Checks both bounds: finite and > 0 (a bound of 0 would stop every run, a negative one
    /// would turn the gradient around).
    pub fn check(&self) -> Result<(), Error> {
        for (name, v) in [("clip_norm", self.norm), ("clip_value", self.value)] {
            if let Some(c) = v {
                if !(c.is_finite() && c > 0.0) {
                    return Err(Error::new(
                        name,
                        format!("must be a finite number > 0 (got {})", format_number(c)),
                    ));
                }
            }
        }
        Ok(())
    }

    /// ‖g‖ as `torch.linalg.vector_norm` computes it for two coordinates (the second square
    /// fused into the sum, measured against torch 2.15).
    pub fn norm_of(g: Vec2) -> f64 {
        g[1].mul_add(g[1], g[0] * g[0]).sqrt()
    }

    /// The factor `clip_grad_norm_` scales `g` by: min(1, C/(‖g‖ + 1e-6)); `None` without norm
    /// clipping.
    pub fn factor(&self, g: Vec2) -> Option<f64> {
        self.norm.map(|c| {
            let coef = c / (Clip::norm_of(g) + 1e-6);
            // torch.clamp(coef, max=1.0): NaN stays NaN.
            if coef > 1.0 {
                1.0
            } else {
                coef
            }
        })
    }

    /// `g` clipped: by norm, then by value.
    pub fn apply(&self, g: Vec2) -> Vec2 {
        let mut g = g;
        if let Some(f) = self.factor(g) {
            g = [g[0] * f, g[1] * f];
        }
        if let Some(c) = self.value {
            // clamp_(min=-c, max=c): NaN stays NaN.
            g = g.map(|x| {
                if x < -c {
                    -c
                } else if x > c {
                    c
                } else {
                    x
                }
            });
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// By hand: (3, 4) has norm 5; clipped to norm 1 it is (3, 4)·1/(5 + 1e-6); a norm bound
    /// above 5 leaves it (the factor is clamped to exactly 1); by value 3.5 it is (3, 3.5).
    #[test]
    fn clipping_by_hand() {
        let g = [3.0, 4.0];
        assert_eq!(Clip::norm_of(g), 5.0);
        let by_norm = Clip {
            norm: Some(1.0),
            value: None,
        };
        let f = 1.0 / (5.0 + 1e-6);
        assert_eq!(by_norm.factor(g), Some(f));
        assert_eq!(by_norm.apply(g), [3.0 * f, 4.0 * f]);
        let loose = Clip {
            norm: Some(6.0),
            value: None,
        };
        assert_eq!((loose.factor(g), loose.apply(g)), (Some(1.0), g));
        let by_value = Clip {
            norm: None,
            value: Some(3.5),
        };
        assert_eq!(by_value.apply([3.0, -4.0]), [3.0, -3.5]);
        assert_eq!(Clip::default().apply(g), g);
        assert_eq!(Clip::default().factor(g), None);
        // Norm first, (0.6, 0.8)·(1 − 2e-7), then value: only y is above 0.7.
        let both = Clip {
            norm: Some(1.0),
            value: Some(0.7),
        };
        assert_eq!(both.apply(g), [3.0 * f, 0.7]);
    }

    #[test]
    fn bounds_must_be_positive_and_finite() {
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let e = Clip {
                norm: Some(bad),
                value: None,
            }
            .check()
            .unwrap_err();
            assert_eq!(e.option, "clip_norm");
            let e = Clip {
                norm: None,
                value: Some(bad),
            }
            .check()
            .unwrap_err();
            assert_eq!(e.option, "clip_value");
        }
        assert!(Clip {
            norm: Some(1e-300),
            value: Some(5.0)
        }
        .check()
        .is_ok());
    }
}
