//! βᵗ for the bias corrections of the Adam family, correctly rounded and cheap.
//!
//! PyTorch computes `beta ** step` in Python floats, that is with the C library's `pow`, which
//! on Linux (glibc) returns the correctly rounded βᵗ for all but about 0.1% of steps. The `libm`
//! crate's `pow` (what wasm's std compiles to) misses it at about 10% of them, and costs about
//! 100 ns a call natively. So βᵗ is kept here as a running product in double-double arithmetic
//! (a pair of doubles whose sum carries about 106 bits), rounded once: the correctly rounded
//! value unless βᵗ lies within about 2⁻⁹⁰ of a rounding boundary (none in the ranges tested
//! below), the same bits on every target, for about 20 flops a step.

/// Splits `a` into two halves of 26 bits each whose sum is `a` exactly (Veltkamp).
fn split(a: f64) -> (f64, f64) {
    let c = 134_217_729.0 * a; // 2^27 + 1
    let hi = c - (c - a);
    (hi, a - hi)
}

/// `a·b` as a double and the rounding error of that product, exactly (Dekker; no FMA, which
/// native x86-64's baseline lacks).
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let ((ah, al), (bh, bl)) = (split(a), split(b));
    let e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    (p, e)
}

/// A double-double product `(a.0 + a.1)(b.0 + b.1)`, normalised so that `.0` is the sum
/// rounded to a double.
fn mul(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    let (p, e) = two_prod(a.0, b.0);
    let e = e + (a.0 * b.1 + a.1 * b.0);
    let hi = p + e;
    (hi, e - (hi - p))
}

/// βᵗ, by binary exponentiation in double-double: correctly rounded unless βᵗ lies within the
/// error before the final rounding (below 2⁻⁹⁰ relative for any step count a run can have) of a
/// rounding boundary.
pub fn power(beta: f64, t: u64) -> f64 {
    power_dd(beta, t).0
}

fn power_dd(beta: f64, mut t: u64) -> (f64, f64) {
    let (mut acc, mut base) = ((1.0, 0.0), (beta, 0.0));
    while t > 0 {
        if t & 1 == 1 {
            acc = mul(acc, base);
        }
        t >>= 1;
        base = mul(base, base);
    }
    acc
}

/// βᵗ for the steps of one optimizer: each call for the step after the last one multiplies
/// the running product by β once; a new β (a schedule cycling Adam's β₁) or another step
/// starts it afresh from [`power`]. Either way the value is βᵗ correctly rounded (as [`power`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Powers {
    beta: f64,
    t: u64,
    value: (f64, f64),
}

impl Powers {
    /// β⁰ = 1.
    pub fn new(beta: f64) -> Self {
        Powers {
            beta,
            t: 0,
            value: (1.0, 0.0),
        }
    }

    /// βᵗ.
    pub fn at(&mut self, beta: f64, t: u64) -> f64 {
        if beta.to_bits() == self.beta.to_bits() && t == self.t + 1 {
            self.value = mul(self.value, (beta, 0.0));
        } else {
            self.value = power_dd(beta, t);
        }
        (self.beta, self.t) = (beta, t);
        self.value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// βᵗ exactly, rounded to the nearest double (ties to even): β = m·2⁻ᵏ with m an integer,
    /// so βᵗ = mᵗ·2⁻ᵏᵗ, mᵗ computed as a big integer. For values in the normal range.
    fn exact(beta: f64, t: u64) -> f64 {
        let bits = beta.to_bits();
        let (exp, frac) = (((bits >> 52) & 0x7ff) as i64, bits & ((1 << 52) - 1));
        assert!(exp > 0 && beta > 0.0 && beta < 1.0);
        let (mut m, mut k) = (frac | (1 << 52), 1075 - exp);
        while m % 2 == 0 {
            m /= 2;
            k -= 1;
        }
        // mᵗ in 64-bit limbs, least significant first.
        let mut big = vec![1u64];
        for _ in 0..t {
            let mut carry = 0u128;
            for limb in big.iter_mut() {
                let v = *limb as u128 * m as u128 + carry;
                *limb = v as u64;
                carry = v >> 64;
            }
            if carry > 0 {
                big.push(carry as u64);
            }
        }
        let len = 64 * big.len() as i64 - big.last().unwrap().leading_zeros() as i64;
        let bit = |i: i64| i >= 0 && (big[(i / 64) as usize] >> (i % 64)) & 1 == 1;
        let shift = (len - 53).max(0);
        let mut top: u64 = (0..53.min(len)).fold(0, |acc, j| acc | (bit(shift + j) as u64) << j);
        let half = bit(shift - 1);
        let sticky = (0..shift - 1).any(bit);
        if half && (sticky || top & 1 == 1) {
            top += 1;
        }
        // βᵗ = top · 2^(shift − kt), top < 2^54.
        let e = shift - k * t as i64;
        let scaled = top as f64 * 2f64.powi(((e / 2) as i32).max(-1074));
        let value = scaled * 2f64.powi((e - e / 2) as i32);
        assert!(
            value > f64::MIN_POSITIVE,
            "{beta}^{t} leaves the normal range"
        );
        value
    }

    /// Every βᵗ the running product gives, and every one [`power`] gives, is the exactly
    /// rounded value, for betas the optimizers default to and others, over the steps where
    /// 1 − βᵗ is not yet 1.
    #[test]
    fn the_powers_are_correctly_rounded() {
        for beta in [0.9, 0.999, 0.99, 0.95, 0.98, 0.5, 0.3, 0.9999, 0.123456789] {
            let mut powers = Powers::new(beta);
            for t in 1..=600u64 {
                let want = exact(beta, t);
                if want < 1e-300 {
                    break;
                }
                assert_eq!(powers.at(beta, t), want, "{beta}^{t} step by step");
                assert_eq!(power(beta, t), want, "{beta}^{t} at once");
            }
        }
        for (beta, t) in [
            (0.999, 2_000),
            (0.999, 4_095),
            (0.9999, 3_333),
            (0.99, 2_500),
        ] {
            assert_eq!(power(beta, t), exact(beta, t), "{beta}^{t}");
        }
    }

    /// The running product agrees with binary exponentiation, two independent roundings of the
    /// same exact product, over the 40 000 steps β₂ = 0.999 needs before 1 − β₂ᵗ is 1 (and
    /// until βᵗ nears the bottom of the normal range, where the low halves lose bits); a jump,
    /// a repeated step or a new β starts afresh; β⁰ is 1.
    #[test]
    fn the_running_product_agrees_with_exponentiation_over_long_runs() {
        for beta in [0.999, 0.9999, 0.9] {
            let mut powers = Powers::new(beta);
            for t in (1..=40_000u64).take_while(|&t| power(beta, t) > 1e-280) {
                assert_eq!(powers.at(beta, t), power(beta, t), "{beta}^{t}");
            }
        }
        let mut powers = Powers::new(0.9);
        assert_eq!(powers.at(0.9, 1), 0.9);
        assert_eq!(powers.at(0.9, 10), power(0.9, 10));
        assert_eq!(powers.at(0.9, 10), power(0.9, 10));
        assert_eq!(powers.at(0.95, 10), power(0.95, 10));
        assert_eq!(powers.at(0.95, 11), power(0.95, 11));
        assert_eq!(powers.at(0.95, 12), power(0.95, 12));
        assert_eq!(powers.at(0.95, 0), 1.0);
        assert_eq!(power(0.0, 3), 0.0);
        assert_eq!(power(0.7, 0), 1.0);
        assert!(power(f64::NAN, 2).is_nan());
    }

    /// Where glibc's `pow` (PyTorch's, through Python) is correctly rounded, so is this: these
    /// are `0.999 ** t` in Python on Linux, where the `libm` crate's `pow` returns the
    /// neighbouring double (as it does at 1 992 of the first 20 000 steps; glibc's differs from
    /// the correctly rounded value at 21 of them).
    #[test]
    fn the_powers_are_pythons() {
        for (t, python) in PYTHON_0_999 {
            assert_eq!(power(0.999, t), python, "0.999 ** {t}");
        }
    }

    const PYTHON_0_999: [(u64, f64); 6] = [
        (16, 0.9841194418156399),
        (32, 0.9684910757595268),
        (85, 0.9184732224159483),
        (125, 0.8824417114557709),
        (134, 0.8745314299402541),
        (137, 0.8719104583701917),
    ];
}
