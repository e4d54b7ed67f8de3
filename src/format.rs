//! Numbers as text: short readouts for people and shortest round-trip forms for machines. The
//! bottom layer (it depends on nothing), so surfaces, optimizers and the teaching texts can all
//! format numbers without reaching up into the drawing or parsing code.

/// A number in at most four significant digits, for ticks, readouts and captions (`0.001`,
/// `1.2e-7`).
pub fn short(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let a = v.abs();
    if (1e-3..1e5).contains(&a) {
        let digits = (3 - a.log10().floor() as i32).clamp(0, 6) as usize;
        let s = fixed(v, digits);
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        trimmed_sci(v, 2)
    }
}

/// `v` with `decimals` digits after the point, as `format!("{v:.decimals$}")` writes it (the
/// same text but for values within a few units of the last place of a rounding tie). Written
/// with integers: Rust's exact decimal expansion of a float (several KB of code) stays out of
/// the wasm module. Values beyond 9e15 after scaling are written in their shortest form.
pub fn fixed(v: f64, decimals: usize) -> String {
    let x = v.abs() * 10f64.powi(decimals as i32);
    if x.is_nan() || x >= 9.0e15 || decimals > 17 {
        return format!("{v}");
    }
    let digits = (x.round_ties_even() as u64).to_string();
    let sign = if v.is_sign_negative() { "-" } else { "" };
    if decimals == 0 {
        return format!("{sign}{digits}");
    }
    let padded = format!("{digits:0>width$}", width = decimals + 1);
    let (int, frac) = padded.split_at(padded.len() - decimals);
    format!("{sign}{int}.{frac}")
}

/// `v` in e-notation with `digits` digits after the point, as `format!("{v:.digits$e}")`
/// writes it (`1.23e-7`, `-4.50e3`; the same caveat as [`fixed`]).
pub fn sci(v: f64, digits: usize) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    let digits = digits.min(15);
    let sign = if v.is_sign_negative() { "-" } else { "" };
    if v == 0.0 {
        let zeros = "0".repeat(digits);
        let point = if digits > 0 { "." } else { "" };
        return format!("{sign}0{point}{zeros}e0");
    }
    // Far below 1e-300 the powers of ten leave the doubles: scale up first.
    let (a, shift) = if v.abs() < 1e-290 {
        (v.abs() * 1e300, -300)
    } else {
        (v.abs(), 0)
    };
    let top = 10f64.powi(digits as i32 + 1);
    let mantissa = |e: i32| {
        let k = digits as i32 - e;
        let scaled = if k >= 0 {
            a * 10f64.powi(k)
        } else {
            a / 10f64.powi(-k)
        };
        scaled.round_ties_even()
    };
    let mut e = a.log10().floor() as i32;
    let mut m = mantissa(e);
    if m >= top {
        e += 1;
        m = mantissa(e);
    } else if m < top / 10.0 {
        e -= 1;
        m = mantissa(e);
    }
    let m = (m as u64).to_string();
    let (lead, rest) = m.split_at(1);
    let point = if digits > 0 { "." } else { "" };
    format!("{sign}{lead}{point}{rest}e{}", e + shift)
}

/// [`sci`] without trailing zeros in the mantissa (`1.5e-7`, `2e3`).
pub fn trimmed_sci(v: f64, digits: usize) -> String {
    let s = sci(v, digits);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let m = if m.contains('.') {
        m.trim_end_matches('0').trim_end_matches('.')
    } else {
        m
    };
    format!("{m}e{e}")
}

/// A number in the shortest form that reads back to the same `f64`: integers without a decimal
/// point, very large or small numbers with an exponent. For links, CSV and typed expressions.
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:?}")
    }
}

/// `v` as Python's `repr` writes a float: the shortest digits that read back to the same `f64`,
/// positional from 1e-4 up to 1e16 (`0.0001`, `100.0`), else with a signed two-digit exponent
/// (`1e-05`, `1e+16`). The CLI's CSV and the exported scripts both write numbers this way, so a
/// script's output and `gdviz trace` compare with `diff`.
pub fn python_repr(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.into();
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let sci = format!("{:e}", v.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let sign = if v < 0.0 { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let point = exp + 1;
        let n = digits.len() as i32;
        let body = if point <= 0 {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        } else if point >= n {
            format!("{digits}{}.0", "0".repeat((point - n) as usize))
        } else {
            format!(
                "{}.{}",
                &digits[..point as usize],
                &digits[point as usize..]
            )
        };
        format!("{sign}{body}")
    } else {
        let mantissa = if digits.len() == 1 {
            digits
        } else {
            format!("{}.{}", &digits[..1], &digits[1..])
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{mantissa}e{esign}{:02}", exp.abs())
    }
}

/// At most 40 characters of user text in a message.
pub fn clip(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What Python 3 prints for `repr(v)` of each value.
    #[test]
    fn python_repr_writes_floats_as_python_does() {
        for (v, want) in [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (100.0, "100.0"),
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (1e-4, "0.0001"),
            (1.5e-4, "0.00015"),
            (1e-5, "1e-05"),
            (-1.25e-7, "-1.25e-07"),
            (1e15, "1000000000000000.0"),
            (1234567890123456.7, "1234567890123456.8"),
            (1e16, "1e+16"),
            (1.2345678901234568e17, "1.2345678901234568e+17"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (0.30000000000000004, "0.30000000000000004"),
            (-5.900000000007042, "-5.900000000007042"),
            (f64::NAN, "nan"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
        ] {
            assert_eq!(python_repr(v), want, "{v:e}");
        }
    }

    #[test]
    fn short_keeps_four_significant_digits() {
        assert_eq!(short(0.001), "0.001");
        assert_eq!(short(1.5), "1.5");
        assert_eq!(short(2500.0), "2500");
        assert_eq!(short(2.0 / 18.0), "0.1111");
        assert_eq!(short(1.23456e-7), "1.23e-7");
        assert_eq!(short(-0.25), "-0.25");
        assert_eq!(short(0.0), "0");
        assert_eq!(short(f64::INFINITY), "inf");
    }

    /// `fixed` and `sci` write what Rust's `{:.N}` and `{:.Ne}` write, over numbers of every
    /// size, but within a few units of the last place of a rounding tie (where the scaled value
    /// is not exact).
    #[test]
    fn fixed_and_sci_write_what_rust_writes() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let near_tie = |v: f64, scale: f64| {
            let t = v.abs() * scale;
            (t - t.floor() - 0.5).abs() < 1e-9 * t.max(1.0)
        };
        let mut checked = 0;
        for _ in 0..200_000 {
            let bits = next();
            // Ordinary magnitudes mostly, every exponent sometimes.
            let v = if bits % 4 == 0 {
                f64::from_bits(bits >> 1)
            } else {
                let m = (bits >> 11) as f64 / (1u64 << 53) as f64;
                let e = (bits % 40) as i32 - 20;
                (m - 0.5) * 10f64.powi(e)
            };
            if !v.is_finite() {
                continue;
            }
            let d = (bits >> 7) as usize % 8;
            if v.abs() * 10f64.powi(d as i32) < 9e15 && !near_tie(v, 10f64.powi(d as i32)) {
                assert_eq!(fixed(v, d), format!("{v:.d$}"), "{v:e} .{d}");
                checked += 1;
            }
            if v != 0.0 {
                let e = v.abs().log10().floor() as i32;
                let scale = 10f64.powi(d as i32 - e);
                if scale.is_finite() && scale > 0.0 && !near_tie(v, scale) {
                    assert_eq!(sci(v, d), format!("{v:.d$e}"), "{v:e} .{d}e");
                    checked += 1;
                }
            }
        }
        assert!(checked > 250_000, "{checked}");
        for (v, d) in [
            (0.0, 2),
            (-0.0, 1),
            (1.5, 0),
            (9.999, 2),
            (0.125, 2),
            (5e-324, 2),
        ] {
            assert_eq!(fixed(v, d), format!("{v:.d$}"), "{v}");
            assert_eq!(sci(v, d), format!("{v:.d$e}"), "{v}");
        }
    }

    #[test]
    fn format_number_reads_back_exactly() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(-0.5), "-0.5");
        assert_eq!(format_number(0.1), "0.1");
        assert_eq!(format_number(1e-7), "1e-7");
        assert_eq!(format_number(1e20), "1e20");
        for v in [0.1 + 0.2, 2.0 / 3.0, 1e-300, 123_456.789_012_345, -7e15] {
            assert_eq!(format_number(v).parse::<f64>().unwrap(), v);
        }
    }
}
