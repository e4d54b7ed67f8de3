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
        let s = format!("{v:.digits$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        let s = format!("{v:.2e}");
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let m = m.trim_end_matches('0').trim_end_matches('.');
        format!("{m}e{e}")
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
