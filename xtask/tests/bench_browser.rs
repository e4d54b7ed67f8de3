//! The browser benchmark (`cargo xtask bench`, which builds the release wasm and installs the
//! npm packages first, then runs this ignored test with `--ignored --nocapture`). Every change is
//! timed to the end of the frame that shows it, the browser's own work included: style, layout
//! and the raster of the canvases (see `xtask/bench/frame.js` for exactly what is inside each
//! timed region). It prints, against the targets of the issue "A frame that costs less than the
//! simplest peer's": single changes, surface changes, sustained drags of 120 frames, the page
//! load, memory and size, a learning-rate change beside two peers (Distill's momentum figure and
//! fmin's gradient-descent demo, in the same Chromium, interleaved), and gdviz's contour
//! extraction against npm's `d3-contour`. See BENCHMARKS.md.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;
use headless_chrome::protocol::cdp::Page as CdpPage;
use serde_json::{json, Value};

/// Repetitions of each single change.
const REPS: usize = 40;
/// Frames of a sustained drag (one change in each).
const DRAG_FRAMES: usize = 120;
/// A frame interval over this is a dropped (or late) frame at 60 Hz.
const LATE_MS: f64 = 17.5;
/// How long after its last change a picture is watched for further changes (ms).
const SETTLE_MS: u32 = 500;
/// Frames watched after a surface change for late frames.
const AFTER_FRAMES: usize = 12;
/// Repetitions of a surface change whose final picture is watched for `SETTLE_MS`.
const SETTLE_REPS: usize = 10;
/// The timing helpers, evaluated in every tab timed (gdviz's page and the peers').
const FRAME_JS: &str = include_str!("../bench/frame.js");
/// The d3 packages, installed by `cargo xtask bench` under `target/tools/` (served from there).
const D3_ARRAY: &str = "/target/tools/node_modules/d3-array/dist/d3-array.min.js";
const D3_CONTOUR: &str = "/target/tools/node_modules/d3-contour/dist/d3-contour.min.js";
/// The peers' pages (`xtask/bench/`), which load their packages from `target/tools/peers/`.
const DISTILL_PAGE: &str = "xtask/bench/distill-momentum.html";
const FMIN_PAGE: &str = "xtask/bench/fmin-gd.html";

fn median(mut v: Vec<f64>) -> f64 {
    assert!(!v.is_empty());
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn times(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected an array of times, got {v}"))
        .iter()
        .map(|t| t.as_f64().expect("a time"))
        .collect()
}

fn ms(t: f64) -> String {
    format!("{t:.2} ms")
}

fn verdict(met: bool) -> &'static str {
    if met {
        "MET"
    } else {
        "NOT MET"
    }
}

/// The machine: cores, CPU model and load averages (1, 5, 15 min), from /proc on Linux.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cores} cores (nproc), {cpu}")
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "unknown".into(),
        |s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    )
}

/// A table in Markdown: a header row and rows of cells.
fn print_table(title: &str, header: &[&str], rows: &[Vec<String>]) {
    println!();
    println!("{title}");
    println!();
    println!("| {} |", header.join(" | "));
    println!("|{}|", vec!["---"; header.len()].join("|"));
    for r in rows {
        println!("| {} |", r.join(" | "));
    }
}

/// Evaluates the timing helpers in `page` (once per document).
fn helpers(page: &Page) {
    assert_eq!(page.js(FRAME_JS), json!(true), "frame.js did not load");
}

/// Single changes timed to the frame shown: the medians of `forced` (from the change to the end
/// of the forced style, layout and canvas raster) and `end` (to the end of the frame's rendering
/// update on the main thread), and whether every checked change altered the picture by the end
/// of the forced region (if not, the page draws later than the timed region reaches).
struct Single {
    forced: f64,
    end: f64,
    drawn: bool,
}

/// `setup`, then each option object of `cycle` in turn, `REPS` times in all, each `set` in an
/// animation-frame callback and timed to the frame shown (frame.js `once`).
fn time_sets(page: &Page, setup: &Value, cycle: &[Value]) -> Single {
    let r = page.js(&format!(
        r#"(async () => {{
  const g = window.gdviz, b = window.__bench, root = g.element;
  const cycle = {cycle};
  const notices = await g.set({setup});
  if (notices.length) throw new Error(`setup: ${{notices.join('; ')}}`);
  await g.set(cycle[cycle.length - 1]);
  await b.frame();
  let drawn = true;
  for (let k = 0; k < 2; k++) drawn = (await b.changesPicture(root, () => {{ g.set(cycle[k % cycle.length]); }})) && drawn;
  await g.set(cycle[1]);
  const forced = [], end = [];
  for (let k = 0; k < {REPS}; k++) {{
    const [f, e] = await b.once(root, () => g.set(cycle[k % cycle.length]));
    forced.push(f);
    end.push(e);
  }}
  return {{ forced, end, drawn }};
}})()"#,
        cycle = Value::Array(cycle.to_vec()),
    ));
    Single {
        forced: median(times(&r["forced"])),
        end: median(times(&r["end"])),
        drawn: r["drawn"] == json!(true),
    }
}

/// A row of the single-change table; `target_ms` is compared with the frame-end median.
fn single_row(what: &str, s: &Single, target_ms: Option<f64>) -> Vec<String> {
    let (target, met) = match target_ms {
        Some(t) if s.drawn => (format!("≤ {t} ms"), verdict(s.end <= t).to_string()),
        Some(t) => (
            format!("≤ {t} ms"),
            "INVALID: drawn after the timed region".into(),
        ),
        None if s.drawn => ("—".into(), String::new()),
        None => ("—".into(), "INVALID: drawn after the timed region".into()),
    };
    vec![what.into(), ms(s.forced), ms(s.end), target, met]
}

/// Blocks of the learning-rate strip's rows, alternating between its two states.
const STRIP_BLOCKS: usize = 6;
/// Changes per block: 6 × 20 = 120 of each state in all.
const STRIP_PER_BLOCK: usize = 20;
/// The schedule of the strip's row: a cosine decay over the whole run, to a tenth of γ, so the
/// rates stay positive (a log axis) and within a decade of each other.
const STRIP_SCHEDULE: &str = "cosine:t_max=1000,eta_min=0.001";

/// The learning-rate strip's own cost: the same slider changes (`set({lr})` cycling through
/// `lrs`, one SGD run on Booth, 1000 steps) timed as [`time_sets`] without a schedule (the
/// strip hidden) and with [`STRIP_SCHEDULE`] (the strip drawn on every change), in alternating
/// blocks (the first state turned at every block) so that a drift in the machine's load falls
/// on both alike. With the schedule, every checked change must have redrawn the strip's own
/// pixels, or the row is invalid.
fn time_strip(page: &Page, lrs: &[Value]) -> (Single, Single) {
    let r = page.js(&format!(
        r#"(async () => {{
  const g = window.gdviz, b = window.__bench, root = g.element;
  const strip = root.querySelector('.gdviz-rates-box');
  const cycle = {cycle};
  const run = {{ optimizer: 'sgd', lr: 0.01 }};
  const states = [
    {{ surface: 'booth', steps: 1000, runs: [run] }},
    {{ surface: 'booth', steps: 1000, runs: [{{ ...run, schedule: '{STRIP_SCHEDULE}' }}] }},
  ];
  const out = states.map(() => ({{ forced: [], end: [], drawn: true }}));
  for (let block = 0; block < {STRIP_BLOCKS}; block++) {{
    for (const s of block % 2 ? [1, 0] : [0, 1]) {{
      const notices = await g.set(states[s]);
      if (notices.length) throw new Error(`setup: ${{notices.join('; ')}}`);
      if (strip.hidden !== (s === 0)) throw new Error(`the strip is ${{strip.hidden ? 'hidden' : 'shown'}} in state ${{s}}`);
      await g.set(cycle[cycle.length - 1]);
      await b.frame();
      if (block < 2) {{
        for (let k = 0; k < 2; k++) {{
          const before = b.picture(strip);
          out[s].drawn = (await b.changesPicture(root, () => {{ g.set(cycle[k]); }})) && out[s].drawn;
          if (s === 1) out[s].drawn = b.picture(strip) !== before && out[s].drawn;
        }}
      }}
      for (let k = 0; k < {STRIP_PER_BLOCK}; k++) {{
        const [f, e] = await b.once(root, () => g.set(cycle[k % cycle.length]));
        out[s].forced.push(f);
        out[s].end.push(e);
      }}
    }}
  }}
  return out;
}})()"#,
        cycle = Value::Array(lrs.to_vec()),
    ));
    let single = |v: &Value| Single {
        forced: median(times(&v["forced"])),
        end: median(times(&v["end"])),
        drawn: v["drawn"] == json!(true),
    };
    (single(&r[0]), single(&r[1]))
}

/// A surface change: the frame of the change (`forced`, `end` as in [`Single`]), the frames
/// after it that were late, and when the final picture was there.
struct SurfaceChange {
    single: Single,
    late: usize,
    watched: usize,
    worst_after: f64,
    final_ms: f64,
}

fn time_surface_changes(page: &Page, cycle: &[Value]) -> SurfaceChange {
    let r = page.js(&format!(
        r#"(async () => {{
  const g = window.gdviz, b = window.__bench, root = g.element;
  const cycle = {cycle};
  await g.set({{ steps: 1000 }});
  await g.set(cycle[cycle.length - 1]);
  await b.frame();
  let drawn = true;
  for (let k = 0; k < 2; k++) drawn = (await b.changesPicture(root, () => {{ g.set(cycle[k % cycle.length]); }})) && drawn;
  await g.set(cycle[1]);
  const forced = [], end = [], after = [];
  for (let k = 0; k < {REPS}; k++) {{
    // Not awaited: set()'s promise resolves once the refined picture is drawn, a frame later;
    // the frame of the change is what is timed here, the refinement is one of the frames after.
    const r = await b.onceThenFrames(root, () => {{ g.set(cycle[k % cycle.length]); }}, {AFTER_FRAMES});
    forced.push(r.forced);
    end.push(r.end);
    after.push(...r.intervals);
  }}
  const finals = [];
  for (let k = 0; k < {SETTLE_REPS}; k++) {{
    await b.frame();
    const t0 = performance.now();
    await g.set(cycle[k % cycle.length]);
    b.force(root);
    finals.push(await b.settle(root, t0, {SETTLE_MS}));
  }}
  return {{ forced, end, drawn, after, finals }};
}})()"#,
        cycle = Value::Array(cycle.to_vec()),
    ));
    let after = times(&r["after"]);
    SurfaceChange {
        single: Single {
            forced: median(times(&r["forced"])),
            end: median(times(&r["end"])),
            drawn: r["drawn"] == json!(true),
        },
        late: after.iter().filter(|&&t| t > LATE_MS).count(),
        watched: after.len(),
        worst_after: after.iter().copied().fold(0.0, f64::max),
        final_ms: median(times(&r["finals"])),
    }
}

/// A sustained drag's figures: the frame intervals, the main thread's time per change (to the
/// end of its frame's rendering update), and when the picture settled after the last change.
struct Drag {
    intervals: Vec<f64>,
    end: Vec<f64>,
    final_ms: Option<f64>,
}

impl Drag {
    fn from(v: &Value) -> Drag {
        Drag {
            intervals: times(&v["intervals"]),
            end: times(&v["end"]),
            final_ms: v["final"].as_f64(),
        }
    }

    fn late(&self) -> usize {
        self.intervals.iter().filter(|&&t| t > LATE_MS).count()
    }
}

/// A sustained drag of the app: what it moves, the state it starts from, the change made at
/// frame k (a JS function of k), and its target if the issue sets one.
struct DragCase {
    what: &'static str,
    setup: Value,
    change: String,
    target: Option<DragTarget>,
}

/// At most `late` frames over `LATE_MS` in `DRAG_FRAMES`; with `refined`, the refined picture
/// within 100 ms of the last input too.
struct DragTarget {
    late: usize,
    refined: bool,
}

/// `DRAG_FRAMES` + 1 changes, one per animation frame (`change` is a JS function of the frame
/// number k; `tri(k)` goes 0 → 1 → 0 over the drag), after `setup`; the last change's picture is
/// watched for `SETTLE_MS`.
fn drag(page: &Page, setup: &Value, change: &str) -> Drag {
    let changes = DRAG_FRAMES + 1;
    let r = page.js(&format!(
        r#"(async () => {{
  const g = window.gdviz, b = window.__bench, root = g.element;
  const notices = await g.set({setup});
  if (notices.length) throw new Error(`setup: ${{notices.join('; ')}}`);
  await b.frame();
  await b.frame();
  const tri = (k) => {{ const u = (k % {DRAG_FRAMES}) / {DRAG_FRAMES}; return u < 0.5 ? 2 * u : 2 - 2 * u; }};
  return await b.drag(root, {changes}, {change}, {SETTLE_MS});
}})()"#
    ));
    Drag::from(&r)
}

/// The peers' tabs and gdviz's, each with `window.peer`-like access: `root` and `change(lr)`.
struct Subject<'a> {
    name: &'static str,
    page: &'a Page,
    /// JS expressions: the element drawn into, a change of the learning rate to `lr`, and what
    /// to do after a timed change (outside the timed region).
    root: &'static str,
    change: &'static str,
    quiet: &'static str,
}

impl Subject<'_> {
    /// One learning-rate change to `lr`, timed as `once`: `[forced, end]`.
    fn once(&self, lr: f64) -> (f64, f64) {
        let r = self.page.js(&format!(
            r#"(async () => {{
  const b = window.__bench, root = {root};
  const r = await b.once(root, () => ({change})({lr}));
  {quiet};
  return r;
}})()"#,
            root = self.root,
            change = self.change,
            quiet = self.quiet,
        ));
        let t = times(&r);
        (t[0], t[1])
    }

    /// A sustained drag of the learning rate between `lo` and `hi` (and back).
    fn drag(&self, lo: f64, hi: f64) -> Drag {
        let changes = DRAG_FRAMES + 1;
        let r = self.page.js(&format!(
            r#"(async () => {{
  const b = window.__bench, root = {root};
  await b.frame();
  const tri = (k) => {{ const u = (k % {DRAG_FRAMES}) / {DRAG_FRAMES}; return u < 0.5 ? 2 * u : 2 - 2 * u; }};
  const change = {change};
  const r = await b.drag(root, {changes}, (k) => change({lo} + ({hi} - {lo}) * tri(k)), 0);
  {quiet};
  return r;
}})()"#,
            root = self.root,
            change = self.change,
            quiet = self.quiet,
        ));
        Drag::from(&r)
    }
}

/// Opens one of the peers' pages (`xtask/bench/`) in its own window of the same Chromium.
fn open_peer(page: &str) -> Page {
    let server = xtask::serve_with_headers(&xtask::repo_root(), 0, false, &[])
        .expect("start the xtask server");
    let url = format!("{}{page}", server.url());
    let p = Page::open_url(1280, 800, Some(server), &url);
    p.assert_healthy();
    helpers(&p);
    p
}

/// Network mode (the second module): the training of the issue's network (a 2-8-8-1 tanh
/// network on moons' 200 training points, 1000 full-batch Adam steps) as its compute time (the
/// page trains in 6 ms chunks, one per frame) and to the end of training, over three initial
/// weights; then the step slider scrubbed through the trained run, each change timed to the
/// frame shown (the boundary, curves and diagram redrawn); then the loss landscape of the last
/// run (issue "See a real network's loss landscape"), as the page computes it.
fn network_mode() {
    let page = Page::open_at(
        1280,
        800,
        "?mode=network&dataset=moons&hidden=8,8&activation=tanh&optimizer=adam&lr=0.01&steps=1000",
    );
    helpers(&page);
    let r = page.js(r#"(async () => {
  const g = window.gdviz;
  const done = async (seed) => {
    for (;;) {
      const n = g.state().network;
      if (n.error) throw new Error(n.error);
      if (n.training === false && n.trained === 1000 && n.initSeed === seed) return n;
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const runs = [];
  for (const seed of [1, 2, 3]) {
    const t0 = performance.now();
    await g.set({ init_seed: seed });
    const n = await done(seed);
    runs.push([n.spentMs, performance.now() - t0]);
  }
  const b = window.__bench, root = g.element, scrub = document.getElementById('scrub');
  const scrubs = [];
  for (let k = 0; k < 40; k++) {
    scrubs.push(await b.once(root, () => {
      scrub.value = String(100 + 20 * k);
      scrub.dispatchEvent(new Event('input'));
    }));
  }
  // The landscape of the last run: opened, computed in frame-sized chunks, 32² then 96².
  document.getElementById('net-land').open = true;
  for (;;) {
    const l = g.state().network.landscape;
    if (l.error) throw new Error(l.error);
    if (l.grid === 96 && !l.computing) return { runs, scrubs, land: l };
    await new Promise((r) => setTimeout(r, 10));
  }
})()"#);
    let land = &r["land"];
    let land_ms = |key: &str| land[key].as_f64().unwrap_or(f64::NAN);
    let runs: Vec<(f64, f64)> = r["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v[0].as_f64().unwrap(), v[1].as_f64().unwrap()))
        .collect();
    let compute = median(runs.iter().map(|r| r.0).collect());
    let wall = median(runs.iter().map(|r| r.1).collect());
    let scrubs: Vec<&Value> = r["scrubs"].as_array().unwrap().iter().collect();
    let forced = median(scrubs.iter().map(|v| v[0].as_f64().unwrap()).collect());
    let end = median(scrubs.iter().map(|v| v[1].as_f64().unwrap()).collect());
    print_table(
        "Network mode (2-8-8-1 tanh, moons, 200 training points; medians)",
        &["measurement", "value", "target", ""],
        &[
            vec![
                "1000 full-batch Adam steps: compute".into(),
                ms(compute),
                "≤ 30 ms".into(),
                verdict(compute <= 30.0).into(),
            ],
            vec![
                "the same, from the change to the end of training (6 ms a frame)".into(),
                ms(wall),
                "—".into(),
                String::new(),
            ],
            vec![
                "a scrub of the trained run: forced / to frame end".into(),
                format!("{} / {}", ms(forced), ms(end)),
                "—".into(),
                String::new(),
            ],
            vec![
                "loss landscape, PCA plane, 32² grid: compute".into(),
                ms(land_ms("coarseMs")),
                "≤ 50 ms".into(),
                verdict(land_ms("coarseMs") <= 50.0).into(),
            ],
            vec![
                "the 96² grid (with the path's losses): compute".into(),
                ms(land_ms("fineMs")),
                "≤ 400 ms".into(),
                verdict(land_ms("fineMs") <= 400.0).into(),
            ],
            vec![
                "the landscape's longest frame: computing / drawing".into(),
                format!(
                    "{} / {}",
                    ms(land_ms("longestChunkMs")),
                    ms(land_ms("longestDrawMs"))
                ),
                "≤ 16 ms".into(),
                verdict(land_ms("longestChunkMs").max(land_ms("longestDrawMs")) <= 16.0).into(),
            ],
            vec![
                "the landscape's chunks of computing over 16 ms (the longest's phase)".into(),
                format!(
                    "{} of {} ({})",
                    land["chunksOver16Ms"],
                    land["chunks"],
                    land["longestChunkPhase"].as_str().unwrap_or("?")
                ),
                "—".into(),
                String::new(),
            ],
        ],
    );
    page.assert_healthy();
}

/// The wasm instance's linear memory, MB.
fn memory_mb(page: &Page) -> f64 {
    let bytes = page.js("import('/www/pkg/gdviz.js').then(m => m.memoryBytes())");
    bytes.as_f64().expect("memoryBytes") / (1 << 20) as f64
}

#[test]
#[ignore = "a benchmark: run by `cargo xtask bench`"]
fn browser_benchmark() {
    let load_before = load_average();
    let page = Page::open(1280, 800);
    page.assert_healthy();
    helpers(&page);
    let chromium = page
        ._browser
        .get_version()
        .map_or_else(|_| "Chromium (version unknown)".into(), |v| v.product);

    println!();
    println!("gdviz browser benchmark, headless {chromium}, 1280×800, device scale 1");
    println!("machine: {}", machine());
    println!(
        "load average (1, 5, 15 min) at the start: {load_before}{}",
        if load_before
            .split_whitespace()
            .next()
            .and_then(|l| l.parse::<f64>().ok())
            .is_some_and(|l| l >= 1.0)
        {
            " — a loaded machine: these numbers are noisy"
        } else {
            ""
        }
    );

    // One change, to the frame shown. The learning rate of Adam on Rosenbrock, 1000 steps.
    let lrs: Vec<Value> = [0.01, 0.012, 0.015, 0.02, 0.025, 0.03]
        .iter()
        .map(|lr| json!({ "lr": lr }))
        .collect();
    let one_run = |steps: u32| json!({"surface": "rosenbrock", "steps": steps, "runs": [{"optimizer": "adam", "lr": 0.01}]});
    let mut singles = Vec::new();
    singles.push(single_row(
        "slider change (Rosenbrock, Adam, 1000 steps, one run)",
        &time_sets(&page, &one_run(1000), &lrs),
        Some(3.0),
    ));
    // How the slider's cost grows with the run's length.
    for steps in [100, 10_000, 100_000] {
        singles.push(single_row(
            &format!("slider change, {steps} steps"),
            &time_sets(&page, &one_run(steps), &lrs),
            None,
        ));
    }
    // A race of four: the slider moves the selected run's learning rate.
    let race = json!({"surface": "rosenbrock", "steps": 1000, "selected": 3, "runs": [
        {"optimizer": "sgd", "lr": 0.001}, {"optimizer": "momentum", "lr": 0.001},
        {"optimizer": "rmsprop", "lr": 0.001}, {"optimizer": "adam", "lr": 0.01}]});
    singles.push(single_row(
        "slider change, race of four (1000 steps; the selected run's rate)",
        &time_sets(&page, &race, &lrs),
        Some(6.0),
    ));
    // The learning-rate strip: the same slider change without a schedule and with one; its own
    // cost is the difference of the medians.
    let (plain, strip) = time_strip(&page, &lrs);
    let n = STRIP_BLOCKS * STRIP_PER_BLOCK;
    singles.push(single_row(
        &format!("slider change, Booth, SGD, 1000 steps, constant γ (no strip; median of {n})"),
        &plain,
        None,
    ));
    singles.push(single_row(
        &format!(
            "the same with a schedule ({STRIP_SCHEDULE}: the rate strip drawn; median of {n})"
        ),
        &strip,
        None,
    ));
    let own = Single {
        forced: strip.forced - plain.forced,
        end: strip.end - plain.end,
        drawn: plain.drawn && strip.drawn,
    };
    singles.push(single_row(
        "the rate strip's own cost (the difference of the two rows above)",
        &own,
        Some(1.0),
    ));
    // Scrubbing (and playback, which shows a step per frame) on a 100 000-step run.
    let scrub = page.js(&format!(
        r#"(async () => {{
  const g = window.gdviz, b = window.__bench, root = g.element;
  const notices = await g.set({setup});
  if (notices.length) throw new Error(`setup: ${{notices.join('; ')}}`);
  const scrub = document.getElementById("scrub");
  const to = (k) => () => {{
    scrub.value = String(Math.round((k + 1) * 100000 / {REPS}) - 1);
    scrub.dispatchEvent(new Event("input"));
  }};
  const drawn = await b.changesPicture(root, to({REPS} / 2));
  const forced = [], end = [];
  for (let k = 0; k < {REPS}; k++) {{
    const [f, e] = await b.once(root, to(k));
    forced.push(f);
    end.push(e);
  }}
  return {{ forced, end, drawn }};
}})()"#,
        setup = one_run(100_000),
    ));
    singles.push(single_row(
        "scrub to a step of a 100 000-step run (the scrubber's input event)",
        &Single {
            forced: median(times(&scrub["forced"])),
            end: median(times(&scrub["end"])),
            drawn: scrub["drawn"] == json!(true),
        },
        None,
    ));

    print_table(
        &format!(
            "One change, to the frame shown, raster included (medians of {REPS}; each change made \
             in an animation-frame callback; \"forced\": to the end of forced style, layout and \
             canvas raster; \"frame end\": to the end of that frame's rendering update, which \
             the target is read against)"
        ),
        &["change", "forced", "frame end", "target", ""],
        &singles,
    );

    // Surface changes: new run, field, levels, axes, heatmap, contours, overlay, loss chart.
    page.js(&format!("window.gdviz.set({})", one_run(1000)));
    let kinds: [(&str, Vec<Value>); 3] = [
        (
            "analytic surfaces",
            ["rosenbrock", "himmelblau", "beale", "six-hump-camel"]
                .iter()
                .map(|s| json!({ "surface": s }))
                .collect(),
        ),
        (
            "dataset surfaces",
            ["logistic-regression", "linear-regression", "svm", "tiny-nn"]
                .iter()
                .map(|s| json!({ "surface": s }))
                .collect(),
        ),
        (
            "typed f(x, y)",
            ["sin(3*x) + (y - 1)^2", "x^2 + 10*y^2", "log(1 + x^2 + y^2)"]
                .iter()
                .map(|e| json!({ "expr": e }))
                .collect(),
        ),
    ];
    let mut surfaces = Vec::new();
    for (kind, cycle) in &kinds {
        let s = time_surface_changes(&page, cycle);
        let busy_met = s.single.drawn && s.single.end <= 16.0 && s.late == 0;
        let final_met = s.single.drawn && s.final_ms <= 40.0;
        surfaces.push(vec![
            format!("surface change → full redraw ({kind})"),
            ms(s.single.forced),
            ms(s.single.end),
            format!(
                "{} of {} (longest {:.1} ms)",
                s.late, s.watched, s.worst_after
            ),
            ms(s.final_ms),
            format!(
                "busy ≤ 16 ms a frame: {}; final ≤ 40 ms: {}{}",
                verdict(busy_met),
                verdict(final_met),
                if s.single.drawn {
                    ""
                } else {
                    " (INVALID: drawn after the timed region)"
                }
            ),
        ]);
    }

    print_table(
        &format!(
            "Surface change → full redraw, to the frame shown, raster included (medians of \
             {REPS}; then the {AFTER_FRAMES} frames after each change; final picture: medians of \
             {SETTLE_REPS}, watched {SETTLE_MS} ms, to one frame)"
        ),
        &[
            "change",
            "forced",
            "main thread, frame of the change",
            "later frames over 17.5 ms",
            "final picture",
            "targets",
        ],
        &surfaces,
    );

    // Sustained drags: one change per animation frame for 120 frames.
    let slider = |lo: f64, hi: f64| {
        format!(
            "(k) => {{ const s = document.getElementById('lr'); s.value = String({lo} + ({hi} - {lo}) * tri(k)); s.dispatchEvent(new Event('input')); }}"
        )
    };
    let drags = [
        DragCase {
            what: "(a) learning rate, Rosenbrock, Adam, 1000 steps (the slider's input event)",
            setup: one_run(1000),
            change: slider(-2.5, -1.0),
            target: Some(DragTarget { late: 0, refined: false }),
        },
        DragCase {
            what: "(b) surface parameter: the ravine's κ, 1 → 100 → 1 (`set({kappa})`)",
            setup: json!({"surface": "ravine", "kappa": 10, "steps": 1000, "runs": [{"optimizer": "sgd", "lr": 0.01}]}),
            change: "(k) => { g.set({ kappa: Math.pow(10, 2 * tri(k)) }); }".into(),
            target: Some(DragTarget { late: 3, refined: true }),
        },
        DragCase {
            what: "(c) typed f's range: x^2 + 10*y^2, x from ±2 to ±10 (`set({xrange})`)",
            setup: json!({"expr": "x^2 + 10*y^2", "steps": 1000, "runs": [{"optimizer": "sgd", "lr": 0.01}]}),
            change: "(k) => { g.set({ xrange: [-(2 + 8 * tri(k)), 2 + 8 * tri(k)] }); }".into(),
            target: Some(DragTarget { late: 3, refined: true }),
        },
        DragCase {
            what: "(d) scrubbing a 100 000-step run (the scrubber's input event)",
            setup: one_run(100_000),
            change: "(k) => { const s = document.getElementById('scrub'); s.value = String(Math.round(tri(k) * 99999)); s.dispatchEvent(new Event('input')); }".into(),
            target: None,
        },
        DragCase {
            what: "(e) race of four, 1000 steps: the selected run's learning rate (slider)",
            setup: race.clone(),
            change: slider(-2.5, -1.0),
            target: None,
        },
    ];
    let mut sustained = Vec::new();
    for case in &drags {
        let d = drag(&page, &case.setup, &case.change);
        let late = d.late();
        let final_ms = d.final_ms.unwrap_or(f64::NAN);
        let target_text = match &case.target {
            Some(t) if t.refined => format!(
                "≤ {} over {LATE_MS} ms: {}; refined ≤ 100 ms: {}",
                t.late,
                verdict(late <= t.late),
                verdict(final_ms <= 100.0)
            ),
            Some(t) => format!("{} over {LATE_MS} ms: {}", t.late, verdict(late <= t.late)),
            None => "—".into(),
        };
        sustained.push(vec![
            case.what.to_string(),
            ms(median(d.intervals.clone())),
            format!("{late} of {}", d.intervals.len()),
            ms(median(d.end.clone())),
            ms(final_ms),
            target_text,
        ]);
    }
    page.assert_healthy();

    print_table(
        &format!(
            "Sustained drags: one change per animation frame, {DRAG_FRAMES} frames (intervals \
             from rAF timestamps; main thread: each change to the end of its frame's rendering \
             update, median; refined picture: from the last change until the picture stopped \
             changing, watched {SETTLE_MS} ms, to one frame)"
        ),
        &[
            "drag",
            "median frame interval",
            "frames over 17.5 ms",
            "main thread per frame",
            "refined picture after the last input",
            "target",
        ],
        &sustained,
    );

    // Page load → first frame: navigation start to `data-ready="1"`, stamped by a mutation
    // observer installed before any script of the page runs.
    let stamp: CdpPage::AddScriptToEvaluateOnNewDocument = serde_json::from_value(json!({
        "source": "new MutationObserver((_, o) => { if (document.body && document.body.dataset.ready === '1') { window.__readyAt = performance.now(); o.disconnect(); } }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });"
    }))
    .unwrap();
    page.tab
        .call_method(stamp)
        .expect("install the ready stamp");
    let url = page._server.as_ref().expect("served").url();
    let mut loads = Vec::new();
    for _ in 0..REPS {
        page.go(&url);
        let start = Instant::now();
        let at = loop {
            let v = page.js("window.__readyAt ?? null");
            if let Some(t) = v.as_f64() {
                break t;
            }
            assert!(start.elapsed() < Duration::from_secs(5), "no ready stamp");
            std::thread::sleep(Duration::from_millis(10));
        };
        loads.push(at);
    }
    let load = median(loads);
    let mut others = vec![vec![
        "page load → first frame (xtask's server)".to_string(),
        ms(load),
        "≤ 150 ms".into(),
        verdict(load <= 150.0).into(),
    ]];
    // The page was navigated: its helpers again.
    helpers(&page);

    // Memory: the linear memory only grows, so each reading is the peak so far. The heaviest
    // state: a race of four 100 000-step runs, a 512² field sampled beside it, then a minute of
    // slider drags (one learning rate per frame), which must not grow it at all.
    let fresh = Page::open(1280, 800);
    others.push(vec![
        "wasm memory after page load".into(),
        format!("{:.1} MB", memory_mb(&fresh)),
        "—".into(),
        String::new(),
    ]);
    let heavy = json!({"surface": "rosenbrock", "steps": 100000, "race": [
        {"optimizer": "sgd", "lr": 0.001}, {"optimizer": "momentum", "lr": 0.001},
        {"optimizer": "rmsprop", "lr": 0.001}, {"optimizer": "adam", "lr": 0.01}]});
    fresh.js(&format!("window.gdviz.set({heavy})"));
    fresh.js("import('/www/pkg/gdviz.js').then(m => { const f = new m.BenchField('rosenbrock', 512); const n = f.segments(f.levels(20)); f.free(); return n; })");
    let peak = memory_mb(&fresh);
    others.push(vec![
        "wasm memory, 4 × 100 000-step race + a 512² field".into(),
        format!("{peak:.1} MB"),
        "< 32 MB".into(),
        verdict(peak < 32.0).into(),
    ]);
    let dragged = fresh.js(r#"(async () => {
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const race = window.gdviz.state().runs.map(r => ({ optimizer: r.optimizer, lr: r.lr }));
  const t0 = performance.now();
  let k = 0;
  while (performance.now() - t0 < 60000) {
    race[0].lr = 0.0005 + 0.001 * ((k++ % 50) / 50);
    await window.gdviz.set({ race });
    await frame();
  }
  return k;
})()"#);
    let growth = memory_mb(&fresh) - peak;
    others.push(vec![
        format!("growth over a minute of slider drags ({dragged} redraws of the race)"),
        format!("{growth:.1} MB"),
        "none".into(),
        verdict(growth < 0.001).into(),
    ]);
    drop(fresh);

    // The wasm module's size.
    let wasm = std::fs::read(xtask::pkg_wasm()).expect("read the wasm");
    let (raw, gz) = (
        wasm.len() as f64 / 1000.0,
        xtask::gzip_size(&wasm) as f64 / 1000.0,
    );
    others.push(vec![
        "wasm size, raw".into(),
        format!("{raw:.1} KB"),
        "—".into(),
        String::new(),
    ]);
    others.push(vec![
        "wasm size, gzipped".into(),
        format!("{gz:.1} KB"),
        "≤ 200 KB".into(),
        verdict(gz <= 200.0).into(),
    ]);

    print_table(
        "Page, memory and module",
        &["measurement", "value", "target", ""],
        &others,
    );

    network_mode();

    // The peers, side by side in this Chromium, each page in its own window, on one
    // configuration: Distill's figure (its f, view and start, 150 steps, momentum β = 0.74).
    for p in [DISTILL_PAGE, FMIN_PAGE] {
        let file = xtask::repo_root().join(p);
        assert!(file.is_file(), "{} is missing", file.display());
    }
    for spec in xtask::PEERS_NPM {
        let name = spec.rsplit_once('@').map_or(*spec, |(n, _)| n);
        let p = xtask::peers_dir().join("node_modules").join(name);
        assert!(
            p.is_dir(),
            "{} is missing: `cargo xtask bench` installs it",
            p.display()
        );
    }
    let distill = open_peer(DISTILL_PAGE);
    let fmin = open_peer(FMIN_PAGE);
    let distill_config = json!({
        "expr": "(1 - x)^2 + 20*(3*y - x^2)^2", "xrange": [-2, 2], "yrange": [-2.0 / 3.0 + 0.4, 2.0 / 3.0 + 0.4],
        "start": [-1.21, 0.853], "steps": 150,
        "runs": [{"optimizer": "momentum", "momentum": 0.74, "lr": 0.003}]
    });
    page.js(&format!("window.gdviz.set({distill_config})"));
    page.assert_healthy();
    let subjects = [
        Subject {
            name: "gdviz (same f, view, start; momentum β = 0.74, 150 steps)",
            page: &page,
            root: "window.gdviz.element",
            change: "(lr) => window.gdviz.set({ lr })",
            quiet: "",
        },
        Subject {
            name: "Distill, Why Momentum Really Works, figure 1 (re-created; D3 4.7.3, SVG)",
            page: &distill,
            root: "window.peer.root",
            change: "window.peer.change",
            quiet: "window.peer.quiet()",
        },
        Subject {
            name: "fmin 0.0.4 gradient-descent demo (npm, unchanged; D3 4.7.3, SVG)",
            page: &fmin,
            root: "window.peer.root",
            change: "window.peer.change",
            quiet: "window.peer.quiet()",
        },
    ];
    let peer_lrs = [0.0015, 0.002, 0.0025, 0.003, 0.0035, 0.004];
    let mut forced = vec![Vec::new(); subjects.len()];
    let mut end = vec![Vec::new(); subjects.len()];
    for k in 0..REPS {
        // Interleaved, and the order turned at every repetition.
        for i in 0..subjects.len() {
            let s = (k + i) % subjects.len();
            let (f, e) = subjects[s].once(peer_lrs[k % peer_lrs.len()]);
            forced[s].push(f);
            end[s].push(e);
        }
    }
    let mut drag_intervals: Vec<Vec<f64>> = vec![Vec::new(); subjects.len()];
    for round in 0..2 {
        for i in 0..subjects.len() {
            let s = (round + i) % subjects.len();
            drag_intervals[s].extend(subjects[s].drag(0.001, 0.0045).intervals);
        }
    }
    let fmin_iterates = fmin.js("window.peer.iterates()");
    let distill_iterates = distill.js("window.peer.iterates()");
    for p in [&page, &distill, &fmin] {
        p.assert_healthy();
    }
    let ends: Vec<f64> = end.iter().map(|e| median(e.clone())).collect();
    let mut peers = Vec::new();
    for (i, s) in subjects.iter().enumerate() {
        let intervals = drag_intervals[i].clone();
        let late = intervals.iter().filter(|&&t| t > LATE_MS).count();
        peers.push(vec![
            s.name.to_string(),
            ms(median(forced[i].clone())),
            ms(ends[i]),
            ms(median(intervals.clone())),
            format!("{late} of {}", intervals.len()),
        ]);
    }

    print_table(
        &format!(
            "A learning-rate change beside the peers, in this Chromium, interleaved (medians of \
             {REPS} each, rates 0.0015–0.004; f = (1 − x)² + 20 (3y − x²)² from (−1.21, 0.853), \
             Distill's figure; Distill draws {distill_iterates} iterates; fmin computed \
             {fmin_iterates} iterates of plain gradient descent and shows the first, as its demo does; \
             drags: 2 × {DRAG_FRAMES} frames each, rates 0.001–0.0045; for SVG \"forced\" is \
             style and layout only, and \"frame end\" includes paint but not the raster, which \
             Chromium does off the main thread)"
        ),
        &[
            "subject",
            "forced",
            "frame end",
            "drag: median frame interval",
            "drag: frames over 17.5 ms",
        ],
        &peers,
    );
    let (gd, di, fm) = (ends[0], ends[1], ends[2]);
    println!();
    println!(
        "gdviz / Distill = {:.2} (target ≤ 0.5: {}); gdviz / fmin = {:.2} (target ≤ 1: {}) — frame-end medians",
        gd / di,
        verdict(gd <= 0.5 * di),
        gd / fm,
        verdict(gd <= fm)
    );

    // Contour extraction: gdviz (wasm) against d3-contour, same grid, same levels.
    let root = xtask::repo_root();
    for f in [D3_ARRAY, D3_CONTOUR] {
        let p = root.join(f.trim_start_matches('/'));
        assert!(
            Path::new(&p).is_file(),
            "{} is missing: `cargo xtask bench` installs it",
            p.display()
        );
    }
    let mut contours = Vec::new();
    for (surface, n) in [
        ("rosenbrock", 128),
        ("rosenbrock", 256),
        ("himmelblau", 256),
        ("rosenbrock", 512),
        ("rosenbrock", 1024),
    ] {
        let script = format!(
            r#"(async () => {{
  const load = (src) => new Promise((res, rej) => {{
    if (document.querySelector(`script[src="${{src}}"]`)) return res();
    const s = document.createElement('script');
    s.src = src; s.onload = res; s.onerror = () => rej(new Error('cannot load ' + src));
    document.head.appendChild(s);
  }});
  await load('{D3_ARRAY}');
  await load('{D3_CONTOUR}');
  const m = await import('/www/pkg/gdviz.js');
  const sample = [];
  for (let k = 0; k < 10; k++) {{
    const t0 = performance.now();
    new m.BenchField('{surface}', {n}).free();
    sample.push(performance.now() - t0);
  }}
  const f = new m.BenchField('{surface}', {n});
  const values = f.values();
  const levels = f.levels(20);
  const contours = d3.contours().size([{n}, {n}]).thresholds(Array.from(levels));
  const gd = [], d3t = [];
  let segs = 0, rings = 0;
  for (let k = 0; k < {REPS}; k++) {{
    let t0 = performance.now();
    segs = f.segments(levels);
    gd.push(performance.now() - t0);
    t0 = performance.now();
    const c = contours(values);
    d3t.push(performance.now() - t0);
    rings = c.reduce((a, mp) => a + mp.coordinates.reduce((b, poly) => b + poly.length, 0), 0);
  }}
  f.free();
  return {{ gd, d3: d3t, segs, rings, sample }};
}})()"#
        );
        let r = page.js(&script);
        let gd = median(times(&r["gd"]));
        let d3 = median(times(&r["d3"]));
        let ratio = d3 / gd;
        contours.push(vec![
            format!(
                "{surface} {n}² ({} segments; d3: {} rings)",
                r["segs"], r["rings"]
            ),
            ms(median(times(&r["sample"]))),
            ms(gd),
            ms(d3),
            format!("{ratio:.1}×"),
            verdict(ratio >= 10.0).into(),
        ]);
    }
    page.assert_healthy();
    print_table(
        "Contour extraction, 20 levels: gdviz (wasm marching squares) vs d3-contour 4.0.3 (target ≥ 10×)",
        &[
            "grid",
            "sampling (wasm)",
            "gdviz",
            "d3-contour",
            "d3 / gdviz",
            "",
        ],
        &contours,
    );
    println!();
    println!("load average (1, 5, 15 min) at the end: {}", load_average());
}
