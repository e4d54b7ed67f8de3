//! Sharing a state: the options as a URL query (what a link holds), and the runs as CSV.
//!
//! The query holds every option that differs from its default, under the option names of
//! `set()`: numbers in the shortest form that reads back to the same `f64`, `start=x,y`,
//! `xrange=min,max`, and `race` compactly as `key:value` pairs separated by `,`, entries by `;`
//! (`race=optimizer:sgd,lr:0.01;optimizer:adam,lr:0.05`). Applying the query to the default
//! options (through the same validation as `set()`) gives back the same options and the same
//! runs. A *full* query holds every option, defaults included (empty values mean "the
//! surface's default"), so that it can be laid over any state, e.g. a lesson's.

use crate::expr::format_number;
use crate::optim::{HyperName, OptimizerKind};
use crate::options::{Options, Value};
use crate::surface;
use crate::{Hyper, Trajectory};

/// The options as `(key, value)` pairs: the ones that differ from their defaults, or all of
/// them when `full`.
pub fn query_pairs(opts: &Options, full: bool) -> Vec<(String, String)> {
    let d = Options::default();
    let mut q: Vec<(String, String)> = Vec::new();
    let mut put = |k: &str, v: String| q.push((k.to_string(), v));
    let two = |a: f64, b: f64| format!("{},{}", format_number(a), format_number(b));
    match &opts.expr {
        Some(text) => {
            put("expr", text.clone());
            for (k, r) in [("xrange", opts.xrange), ("yrange", opts.yrange)] {
                match r {
                    Some((a, b)) => put(k, two(a, b)),
                    None if full => put(k, String::new()),
                    None => {}
                }
            }
        }
        None if full || opts.surface != d.surface => put("surface", opts.surface.clone()),
        None => {}
    }
    let specs = surface::find(&opts.surface)
        .map(|e| e.params)
        .unwrap_or(&[]);
    for (name, v) in &opts.params {
        let default = specs.iter().find(|p| p.name == name).map(|p| p.default);
        if full || default != Some(*v) {
            put(name, format_number(*v));
        }
    }
    if full || opts.optimizer != d.optimizer {
        put("optimizer", opts.optimizer.name().to_string());
    }
    // Setting the optimizer resets ε to its default for that optimizer and keeps the rest.
    let reference = Hyper {
        eps: Hyper::defaults(opts.optimizer).eps,
        ..Hyper::defaults(OptimizerKind::Sgd)
    };
    for h in HyperName::ALL {
        if full || opts.hyper.get(h) != reference.get(h) {
            put(h.name(), format_number(opts.hyper.get(h)));
        }
    }
    if full || opts.variant != d.variant {
        put("variant", opts.variant.name().to_string());
    }
    if full || opts.batch != d.batch {
        put("batch", opts.batch.to_string());
    }
    if full || opts.seed != d.seed {
        put("seed", opts.seed.to_string());
    }
    match opts.noise {
        Some(n) => put("noise", format_number(n)),
        None if full => put("noise", String::new()),
        None => {}
    }
    if full || opts.steps != d.steps {
        put("steps", opts.steps.to_string());
    }
    match opts.start {
        Some([x, y]) => put("start", two(x, y)),
        None if full => put("start", String::new()),
        None => {}
    }
    if full || !opts.race.is_empty() {
        put("race", race_text(&opts.race));
    }
    q
}

/// Race entries in the compact form [`crate::options::parse_race`] reads.
pub fn race_text(entries: &[Vec<(String, Value)>]) -> String {
    let value = |v: &Value| match v {
        Value::Num(n) => format_number(*n),
        Value::Str(s) => s.trim().to_string(),
        Value::Pair(..) | Value::Null | Value::Entries(_) => String::new(),
    };
    entries
        .iter()
        .map(|e| {
            e.iter()
                .map(|(k, v)| format!("{k}:{}", value(v)))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Percent-encodes a query key or value, keeping letters, digits, `-_.~` and the separators
/// `,:;` that the compact values use (all legal in a query).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b','
            | b':'
            | b';' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `key=value&...`, encoded.
pub fn query_string(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Parses `key=value&...` (with or without a leading `?`) as browsers' `URLSearchParams` do:
/// `+` is a space, bad percent-escapes are kept as they are.
pub fn parse_query(q: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        let b = s.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if b[i] == b'%' && i + 2 < b.len() {
                if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
            }
            out.push(b[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    q.trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// Query pairs as option changes for [`crate::options::apply_all`]: every value as text,
/// validated like any other.
pub fn changes(pairs: &[(String, String)]) -> Vec<(String, Value)> {
    pairs
        .iter()
        .map(|(k, v)| (k.clone(), Value::Str(v.clone())))
        .collect()
}

/// Every run as CSV: `run,optimizer,step,x,y,loss`, runs numbered from 1, row 0 of each run its
/// start, numbers in Rust's shortest round-trip form (as `gdviz trace` writes them).
pub fn csv(opts: &Options, runs: &[Trajectory]) -> String {
    let mut out = String::from("run,optimizer,step,x,y,loss\n");
    for (i, (o, t)) in opts.runs().iter().zip(runs).enumerate() {
        let name = o.optimizer.name();
        for (k, (p, loss)) in t.points.iter().zip(&t.losses).enumerate() {
            out.push_str(&format!(
                "{},{name},{k},{:?},{:?},{:?}\n",
                i + 1,
                p[0],
                p[1],
                loss
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::apply_all;

    fn set(o: &mut Options, pairs: &[(&str, &str)]) -> Vec<String> {
        let c: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        apply_all(o, &changes(&c)).unwrap().notices
    }

    /// The runs `opts` computes, restored from its query onto the defaults (or onto `base`).
    fn round_trip(opts: &Options, full: bool, base: Options) -> Options {
        let q = query_string(&query_pairs(opts, full));
        let mut back = base;
        let notices = apply_all(&mut back, &changes(&parse_query(&q)))
            .unwrap()
            .notices;
        assert!(notices.is_empty(), "{q}: {notices:?}");
        let (_, a) = opts.compute().unwrap();
        let (_, b) = back.compute().unwrap();
        assert_eq!(a.len(), b.len(), "{q}");
        for (a, b) in a.iter().zip(&b) {
            assert_eq!(a.points, b.points, "{q}");
            assert_eq!(a.losses, b.losses, "{q}");
        }
        back
    }

    #[test]
    fn default_options_make_an_empty_query() {
        assert_eq!(query_string(&query_pairs(&Options::default(), false)), "");
    }

    #[test]
    fn queries_restore_the_same_runs() {
        let cases: Vec<Vec<(&str, &str)>> = vec![
            vec![("surface", "booth"), ("lr", "0.105"), ("start", "-6,-6")],
            vec![
                ("surface", "ravine"),
                ("kappa", "50"),
                ("optimizer", "adagrad"),
                ("eps", "1e-7"),
            ],
            vec![
                ("surface", "linear-regression"),
                ("variant", "minibatch"),
                ("batch", "7"),
                ("seed", "42"),
                ("optimizer", "adam"),
                ("lr", "0.02"),
                ("steps", "321"),
            ],
            vec![
                ("surface", "himmelblau"),
                ("variant", "stochastic"),
                ("noise", "2.5"),
                ("seed", "3"),
                (
                    "race",
                    "optimizer:sgd,lr:0.01;optimizer:adam,lr:0.05,variant:batch",
                ),
            ],
            vec![
                ("expr", "sin(3*x) + (y - 1)^2"),
                ("xrange", "-4,4"),
                ("yrange", "-2,3"),
                ("start", "0.1,0.2"),
                ("optimizer", "momentum"),
                ("momentum", "0.5"),
            ],
        ];
        for case in cases {
            let mut o = Options::default();
            assert!(set(&mut o, &case).is_empty(), "{case:?}");
            assert!(!query_pairs(&o, false).is_empty());
            round_trip(&o, false, Options::default());
            // A full query laid over another state gives the same runs too.
            let mut other = Options::default();
            set(
                &mut other,
                &[
                    ("surface", "ravine"),
                    ("kappa", "9"),
                    ("optimizer", "rmsprop"),
                    ("race", "optimizer:sgd;optimizer:adam"),
                ],
            );
            round_trip(&o, true, other);
        }
    }

    #[test]
    fn queries_encode_what_urls_cannot_hold() {
        let mut o = Options::default();
        set(&mut o, &[("expr", "x^2 + 10*y^2")]);
        let q = query_string(&query_pairs(&o, false));
        assert_eq!(q, "expr=x%5E2%20%2B%2010%2Ay%5E2");
        assert_eq!(
            parse_query(&format!("?{q}")),
            vec![("expr".into(), "x^2 + 10*y^2".into())]
        );
    }

    #[test]
    fn hostile_values_are_notices() {
        let mut o = Options::default();
        let long = "9".repeat(5000);
        let n = set(
            &mut o,
            &[
                ("optimizer", "<img src=x onerror=alert(1)>"),
                ("lr", "NaN"),
                ("momentum", "1e308"),
                ("batch", "-1"),
                ("seed", &long),
                ("steps", "1e308"),
                ("start", "NaN,1"),
                ("race", "optimizer:sgd;junk"),
                ("<b>", "1"),
            ],
        );
        assert_eq!(n.len(), 9, "{n:?}");
        assert!(n.iter().all(|m| m.chars().count() < 200), "{n:?}");
        assert_eq!(o, Options::default());
    }

    #[test]
    fn csv_lists_every_run() {
        let mut o = Options::default();
        set(
            &mut o,
            &[
                ("surface", "booth"),
                ("steps", "3"),
                ("race", "optimizer:sgd,lr:0.01;optimizer:adam,lr:0.1"),
            ],
        );
        let (_, runs) = o.compute().unwrap();
        let text = csv(&o, &runs);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "run,optimizer,step,x,y,loss");
        assert_eq!(lines.len(), 1 + 2 * 4);
        assert!(lines[1].starts_with("1,sgd,0,"));
        assert!(lines[5].starts_with("2,adam,0,"));
        let x: f64 = lines[8].split(',').nth(3).unwrap().parse().unwrap();
        assert_eq!(x, runs[1].points[3][0]);
    }
}
