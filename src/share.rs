//! Sharing a state: the options as a URL query (what a link holds), and the runs as CSV.
//!
//! The query holds every option that differs from a base state (the defaults, or the lesson
//! the link names), under the option names of `set()`: numbers in the shortest form that reads
//! back to the same `f64`, `start=x,y`, `xrange=min,max`. One run is written as its own keys
//! (`optimizer=adam&lr=0.05`); several as `runs`, each entry compactly as `key:value` pairs
//! separated by `,` and entries by `;` (`runs=optimizer:sgd,lr:0.01;optimizer:adam,lr:0.05`),
//! with `selected=k` for the run the slider drives. Applying the query to the base (through the
//! same validation as `set()`) gives back the same options and the same runs. Older links'
//! `race=` entries are still read (see `options`).

use std::fmt::Write as _;

use crate::expr::format_number;
use crate::options::{self, Options, RunSettings, Value};
use crate::surface;
use crate::Trajectory;

/// The options as `(key, value)` pairs: those where `opts` differs from `base`, such that
/// applying them to `base` gives `opts`. An empty value stands for "the default" and is only
/// written where `base` has something else.
pub fn query_pairs(opts: &Options, base: &Options) -> Vec<(String, String)> {
    let mut q: Vec<(String, String)> = Vec::new();
    let two = |a: f64, b: f64| format!("{},{}", format_number(a), format_number(b));
    let range = |r: Option<(f64, f64)>| r.map_or(String::new(), |(a, b)| two(a, b));
    // The surface first: choosing one resets its parameters, the noise and the start.
    match &opts.expr {
        Some(text) => {
            if base.expr.as_ref() != Some(text) {
                q.push(("expr".into(), text.clone()));
            }
            for (k, r, b) in [
                ("xrange", opts.xrange, base.xrange),
                ("yrange", opts.yrange, base.yrange),
            ] {
                if r != b {
                    q.push((k.into(), range(r)));
                }
            }
        }
        None if opts.surface != base.surface => q.push(("surface".into(), opts.surface.clone())),
        None => {}
    }
    let mid = options::strict_over(base.clone(), &changes(&q)).unwrap_or_else(|_| base.clone());
    let specs = surface::find(&opts.surface)
        .map(|e| e.params)
        .unwrap_or(&[]);
    for (name, v) in &opts.params {
        let before = mid
            .params
            .iter()
            .find(|(n, _)| n == name)
            .map(|p| p.1)
            .or_else(|| specs.iter().find(|p| p.name == name).map(|p| p.default));
        if before != Some(*v) {
            q.push((name.clone(), format_number(*v)));
        }
    }
    // The runs: one as its own keys, several as a list (which selects its first run).
    match (opts.runs(), mid.runs()) {
        ([run], [was]) => {
            for (k, v) in run.differences(was) {
                q.push((k.into(), v));
            }
        }
        (runs, was) if runs != was => {
            q.push(("runs".into(), runs_text(runs)));
            if opts.selected() != 0 {
                q.push(("selected".into(), opts.selected().to_string()));
            }
        }
        _ if opts.selected() != mid.selected() => {
            q.push(("selected".into(), opts.selected().to_string()));
        }
        _ => {}
    }
    if opts.noise != mid.noise {
        q.push((
            "noise".into(),
            opts.noise.map_or(String::new(), format_number),
        ));
    }
    if opts.steps != mid.steps {
        q.push(("steps".into(), opts.steps.to_string()));
    }
    if opts.start != mid.start {
        let start = opts.start.map_or(String::new(), |[x, y]| two(x, y));
        q.push(("start".into(), start));
    }
    for (k, v) in opts.network.differences(&mid.network) {
        q.push((k.into(), v));
    }
    q
}

/// Runs in the compact form [`options::parse_entries`] reads: each as its differences from
/// the default run (an entry with none names its optimizer, so that no entry is empty).
pub fn runs_text(runs: &[RunSettings]) -> String {
    runs.iter()
        .map(|r| {
            let d = r.differences(&RunSettings::default());
            if d.is_empty() {
                format!("optimizer:{}", r.optimizer.name())
            } else {
                d.iter()
                    .map(|(k, v)| format!("{k}:{v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            }
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

/// The CSV header of every run's rows.
pub const CSV_HEADER: &str = "run,optimizer,step,x,y,loss\n";

/// Rows of CSV in one part: a part of a 100 000-step run is about 1 MB of text.
pub const CSV_ROWS_PER_PART: usize = 20_000;

/// Every run as CSV: `run,optimizer,step,x,y,loss`, runs numbered from 1, row 0 of each run its
/// start, numbers in Rust's shortest round-trip form (as `gdviz trace` writes them).
pub fn csv<'a>(opts: &Options, runs: impl IntoIterator<Item = &'a Trajectory>) -> String {
    let runs: Vec<&Trajectory> = runs.into_iter().collect();
    (0..csv_part_count(&runs))
        .map(|i| csv_part(opts, &runs, i))
        .collect()
}

/// How many parts [`csv_part`] cuts the CSV of `runs` into: the header, then every run's rows
/// [`CSV_ROWS_PER_PART`] at a time. The app hands the parts over one by one, so an export of a
/// long race never holds the whole text in the module's memory at once.
pub fn csv_part_count(runs: &[&Trajectory]) -> usize {
    1 + runs
        .iter()
        .map(|t| t.points.len().div_ceil(CSV_ROWS_PER_PART))
        .sum::<usize>()
}

/// Part `part` of the CSV of `runs` (see [`csv_part_count`]); empty past the last.
pub fn csv_part(opts: &Options, runs: &[&Trajectory], part: usize) -> String {
    if part == 0 {
        return CSV_HEADER.to_string();
    }
    let mut left = part - 1;
    for (i, (o, t)) in opts.runs().iter().zip(runs).enumerate() {
        let parts = t.points.len().div_ceil(CSV_ROWS_PER_PART);
        if left >= parts {
            left -= parts;
            continue;
        }
        let from = left * CSV_ROWS_PER_PART;
        let to = (from + CSV_ROWS_PER_PART).min(t.points.len());
        let name = o.optimizer.name();
        let mut out = String::with_capacity(64 * (to - from));
        for k in from..to {
            let (p, loss) = (t.points[k], t.losses[k]);
            let _ = writeln!(out, "{},{name},{k},{:?},{:?},{:?}", i + 1, p[0], p[1], loss);
        }
        return out;
    }
    String::new()
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
        apply_all(o, &changes(&c), None).unwrap().notices
    }

    /// `opts` restored from its query onto `base`: the same options and the same runs.
    fn round_trip(opts: &Options, base: Options) -> String {
        let q = query_string(&query_pairs(opts, &base));
        let mut back = base;
        let notices = apply_all(&mut back, &changes(&parse_query(&q)), None)
            .unwrap()
            .notices;
        assert!(notices.is_empty(), "{q}: {notices:?}");
        assert_eq!(&back, opts, "{q}");
        let (_, a) = opts.compute().unwrap();
        let (_, b) = back.compute().unwrap();
        assert_eq!(a, b, "{q}");
        q
    }

    #[test]
    fn default_options_make_an_empty_query() {
        assert_eq!(
            query_string(&query_pairs(&Options::default(), &Options::default())),
            ""
        );
    }

    fn cases() -> Vec<Vec<(&'static str, &'static str)>> {
        vec![
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
                ("noise", "2.5"),
                (
                    "runs",
                    "optimizer:sgd,lr:0.01,variant:stochastic,seed:3;optimizer:adam,lr:0.05",
                ),
                ("selected", "1"),
                ("beta2", "0.99"),
            ],
            // The options of the rest of torch.optim, a schedule and clipping, in a race: values
            // with commas in them (a pair, a schedule's keys) survive the compact run list.
            vec![
                ("surface", "booth"),
                (
                    "runs",
                    "optimizer:rprop,etas:0.4,1.5,step_sizes:1e-5,2;optimizer:adamw,amsgrad:true,schedule:cosine:t_max=50,eta_min=0.001,clip_norm:2",
                ),
                ("selected", "1"),
                ("weight_decay", "0.05"),
            ],
            vec![
                ("optimizer", "rmsprop"),
                ("centered", "true"),
                ("momentum", "0.5"),
                ("schedule", "multistep:milestones=20/40,gamma=0.5"),
                ("clip_value", "3"),
            ],
            vec![
                ("expr", "sin(3*x) + (y - 1)^2"),
                ("xrange", "-4,4"),
                ("yrange", "-2,3"),
                ("start", "0.1,0.2"),
                ("optimizer", "momentum"),
                ("momentum", "0.5"),
            ],
            vec![("runs", "optimizer:sgd;optimizer:sgd"), ("selected", "1")],
            // The second-order group, and the schedules that read the loss or cycle μ.
            vec![
                ("surface", "rosenbrock"),
                (
                    "runs",
                    "optimizer:lbfgs,lr:1,line_search:strong_wolfe,history_size:5;optimizer:newton,lr:0.5;optimizer:linesearch,schedule:plateau:patience=3,factor=0.5;optimizer:momentum,schedule:onecycle:max_lr=0.01,total_steps=1000",
                ),
                ("selected", "2"),
            ],
        ]
    }

    #[test]
    fn queries_restore_the_same_runs() {
        let mut other = Options::default();
        set(
            &mut other,
            &[
                ("surface", "ravine"),
                ("kappa", "9"),
                ("noise", "0.5"),
                ("runs", "optimizer:rmsprop;optimizer:adam,lr:0.1"),
                ("selected", "1"),
            ],
        );
        let mut expr = Options::default();
        set(&mut expr, &[("expr", "x^2 + y^2"), ("xrange", "-1,1")]);
        for case in cases() {
            let mut o = Options::default();
            let n = set(&mut o, &case);
            assert!(n.is_empty(), "{case:?}: {n:?}");
            let q = round_trip(&o, Options::default());
            assert!(!q.is_empty());
            // No default or empty values in a link made from the defaults.
            assert!(!q.contains("=&") && !q.ends_with('='), "{q}");
            // Laid over another state (a lesson's), the same runs too.
            round_trip(&o, other.clone());
            round_trip(&o, expr.clone());
            round_trip(&other, o.clone());
            round_trip(&expr, o.clone());
        }
    }

    #[test]
    fn one_run_is_written_as_its_own_keys_and_several_as_a_list() {
        let mut o = Options::default();
        set(
            &mut o,
            &[("surface", "booth"), ("optimizer", "adam"), ("lr", "0.05")],
        );
        assert_eq!(
            query_string(&query_pairs(&o, &Options::default())),
            "surface=booth&optimizer=adam&lr=0.05"
        );
        o.add_run().unwrap();
        o.run_mut().optimizer = crate::OptimizerKind::Sgd;
        assert_eq!(
            query_string(&query_pairs(&o, &Options::default())),
            "surface=booth&runs=optimizer:adam,lr:0.05;lr:0.05&selected=1"
        );
    }

    #[test]
    fn older_race_links_read_into_the_runs() {
        let mut o = Options::default();
        let n = set(
            &mut o,
            &[
                ("surface", "booth"),
                ("lr", "0.02"),
                ("noise", ""),
                ("start", ""),
                ("race", "optimizer:sgd,lr:0.01;optimizer:adam"),
            ],
        );
        assert!(n.is_empty(), "{n:?}");
        assert_eq!(o.runs().len(), 2);
        assert_eq!(o.runs()[0].hyper.lr, 0.01);
        // An entry keeps the link's shared settings where it says nothing.
        assert_eq!(o.runs()[1].hyper.lr, 0.02);
        assert_eq!(o.runs()[1].optimizer, crate::OptimizerKind::Adam);
        round_trip(&o, Options::default());
    }

    #[test]
    fn queries_encode_what_urls_cannot_hold() {
        let mut o = Options::default();
        set(&mut o, &[("expr", "x^2 + 10*y^2")]);
        let q = query_string(&query_pairs(&o, &Options::default()));
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
                ("runs", "optimizer:sgd;junk"),
                ("selected", "9"),
                ("<b>", "1"),
            ],
        );
        assert_eq!(n.len(), 11, "{n:?}");
        assert!(n.iter().all(|m| m.chars().count() < 200), "{n:?}");
        assert_eq!(o, Options::default());
    }

    #[test]
    fn csv_parts_join_to_the_whole() {
        let mut o = Options::default();
        set(
            &mut o,
            &[
                ("steps", "45000"),
                ("runs", "optimizer:sgd,lr:0.0001;optimizer:adam,lr:0.001"),
            ],
        );
        let (_, runs) = o.compute().unwrap();
        let refs: Vec<&Trajectory> = runs.iter().collect();
        // 45 001 rows a run: three parts each, and the header.
        assert_eq!(csv_part_count(&refs), 7);
        let parts: Vec<String> = (0..8).map(|i| csv_part(&o, &refs, i)).collect();
        assert_eq!(parts[0], CSV_HEADER);
        assert_eq!(parts[1].lines().count(), CSV_ROWS_PER_PART);
        assert!(parts[4].starts_with("2,adam,0,"));
        assert!(parts[3].lines().last().unwrap().starts_with("1,sgd,45000,"));
        assert_eq!(parts[7], "");
        let whole = csv(&o, &runs);
        assert_eq!(parts.concat(), whole);
        assert_eq!(whole.lines().count(), 1 + 2 * 45_001);
    }

    #[test]
    fn csv_lists_every_run() {
        let mut o = Options::default();
        set(
            &mut o,
            &[
                ("surface", "booth"),
                ("steps", "3"),
                ("runs", "optimizer:sgd,lr:0.01;optimizer:adam,lr:0.1"),
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
