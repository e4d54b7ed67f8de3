//! The transcendental functions of the numerics (tanh, exp, log1p, sin, cos, pow, hypot), the
//! same bits on every target. In wasm, std's are compiled from the `libm` crate's code
//! (compiler-builtins);
//! natively std calls the C library, whose results differ from those by an ulp here and there,
//! and a chaotic run (mini-batch SGD at a large γ) grows an ulp into another trajectory. So
//! native code calls `libm` itself: the page, the CLI and the tests train the same run bit for
//! bit (the browser tests compare a race's losses exactly), and the wasm modules carry no second
//! copy of these functions.

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    pub fn tanh(x: f64) -> f64 {
        libm::tanh(x)
    }
    pub fn exp(x: f64) -> f64 {
        libm::exp(x)
    }
    pub fn log1p(x: f64) -> f64 {
        libm::log1p(x)
    }
    pub fn sin(x: f64) -> f64 {
        libm::sin(x)
    }
    pub fn cos(x: f64) -> f64 {
        libm::cos(x)
    }
    pub fn pow(x: f64, y: f64) -> f64 {
        libm::pow(x, y)
    }
    pub fn hypot(x: f64, y: f64) -> f64 {
        libm::hypot(x, y)
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    pub fn tanh(x: f64) -> f64 {
        x.tanh()
    }
    pub fn exp(x: f64) -> f64 {
        x.exp()
    }
    pub fn log1p(x: f64) -> f64 {
        x.ln_1p()
    }
    pub fn sin(x: f64) -> f64 {
        x.sin()
    }
    pub fn cos(x: f64) -> f64 {
        x.cos()
    }
    pub fn pow(x: f64, y: f64) -> f64 {
        x.powf(y)
    }
    pub fn hypot(x: f64, y: f64) -> f64 {
        x.hypot(y)
    }
}

pub use imp::{cos, exp, hypot, log1p, pow, sin, tanh};
