//! Native benchmarks of the numeric core (`cargo bench`; see BENCHMARKS.md).
//!
//! Optimizer runs of 1000 steps, grid sampling, marching squares over 20 levels (and the SVG
//! paths drawn from them), the heatmap of an 800×600 plot, and the whole figure `gdviz render`
//! draws (SVG and PNG). The browser's numbers come from `cargo xtask bench`.

use divan::{black_box, Bencher};
use gdviz::contour::{all_segments, Field, Levels};
use gdviz::figure::Figure;
use gdviz::options::Options;
use gdviz::render::{contour_paths, heatmap_rgba, trajectory_pixels, Frame};
use gdviz::surface::by_name;
use gdviz::{run, OptimizerKind, RunConfig};

fn main() {
    divan::main();
}

/// 1000 full-batch steps on Rosenbrock from its default start (throughput in steps).
#[divan::bench(args = OptimizerKind::ALL.map(|k| k.name()))]
fn optimizer_1000_steps(bencher: Bencher, name: &str) {
    let surface = by_name("rosenbrock").unwrap();
    let kind = *OptimizerKind::ALL
        .iter()
        .find(|k| k.name() == name)
        .unwrap();
    let mut cfg = RunConfig::new(&*surface, kind);
    cfg.steps = 1000;
    cfg.tolerance = 0.0; // never stop early: always 1000 steps
    cfg.hyper.lr = 1e-4;
    bencher
        .counter(divan::counter::ItemsCount::new(1000usize))
        .bench_local(|| run(black_box(&*surface), black_box(&cfg)).unwrap());
}

const SURFACES: [&str; 2] = ["rosenbrock", "logistic-regression"];

#[divan::bench(args = SURFACES, consts = [256, 512])]
fn field_sample<const N: usize>(bencher: Bencher, name: &str) {
    let surface = by_name(name).unwrap();
    let view = surface.view();
    bencher
        .counter(divan::counter::ItemsCount::new(N * N))
        .bench_local(|| Field::sample(black_box(&*surface), view, N, N));
}

/// Marching squares over 20 levels of an N² grid.
#[divan::bench(args = SURFACES, consts = [256, 512])]
fn marching_squares_20_levels<const N: usize>(bencher: Bencher, name: &str) {
    let (field, levels) = field_and_levels(name, N);
    bencher.bench_local(|| segment_count(black_box(&field), &levels));
}

/// The contours of 20 levels of an N² grid as the page draws them: marching squares and the
/// SVG path string of each level, for an 800×600 plot.
#[divan::bench(args = SURFACES, consts = [256, 512])]
fn contour_paths_20_levels<const N: usize>(bencher: Bencher, name: &str) {
    let (field, levels) = field_and_levels(name, N);
    let frame = Frame {
        view: field.view,
        left: 60.0,
        top: 10.0,
        width: 800.0,
        height: 600.0,
    };
    bencher.bench_local(|| contour_paths(black_box(&field), &levels, &frame));
}

/// Surface `name` sampled on an `n`² grid over its view, and 20 contour levels of it.
fn field_and_levels(name: &str, n: usize) -> (Field, Levels) {
    let surface = by_name(name).unwrap();
    let field = Field::sample(&*surface, surface.view(), n, n);
    let levels = Levels::choose(&field, 20);
    (field, levels)
}

/// Marching squares at every level; the number of segments (so nothing is optimised away).
fn segment_count(field: &Field, levels: &Levels) -> usize {
    all_segments(field, &levels.values)
        .iter()
        .map(Vec::len)
        .sum()
}

/// How the background's costs grow with the grid (Rosenbrock, n² samples): sampling, marching
/// squares over 20 levels, and the 800×600 heatmap drawn from it.
#[divan::bench(consts = [128, 256, 512, 1024])]
fn grid_scaling_sample<const N: usize>(bencher: Bencher) {
    let surface = by_name("rosenbrock").unwrap();
    bencher.bench_local(|| Field::sample(black_box(&*surface), surface.view(), N, N));
}

#[divan::bench(consts = [128, 256, 512, 1024])]
fn grid_scaling_contours<const N: usize>(bencher: Bencher) {
    let (field, levels) = field_and_levels("rosenbrock", N);
    bencher.bench_local(|| segment_count(black_box(&field), &levels));
}

#[divan::bench(consts = [128, 256, 512, 1024])]
fn grid_scaling_heatmap<const N: usize>(bencher: Bencher) {
    let (field, levels) = field_and_levels("rosenbrock", N);
    bencher.bench_local(|| heatmap_rgba(black_box(&field), &levels.scale, 800, 600, 1.0));
}

/// How a run's costs grow with its length (Adam on Rosenbrock, never stopping early): the run
/// itself, and the trajectory prepared for drawing on an 800×600 plot (decimated to pixels).
/// Adam on `surface` for exactly `steps` steps (the convergence test off).
fn adam_run(surface: &dyn gdviz::surface::Surface, steps: usize) -> RunConfig {
    let mut cfg = RunConfig::new(surface, OptimizerKind::Adam);
    cfg.steps = steps;
    cfg.tolerance = 0.0;
    cfg.hyper.lr = 1e-3;
    cfg
}

#[divan::bench(consts = [100, 1_000, 10_000, 100_000])]
fn steps_scaling_run<const N: usize>(bencher: Bencher) {
    let surface = by_name("rosenbrock").unwrap();
    let cfg = adam_run(&*surface, N);
    bencher
        .counter(divan::counter::ItemsCount::new(N))
        .bench_local(|| run(black_box(&*surface), black_box(&cfg)).unwrap());
}

#[divan::bench(consts = [100, 1_000, 10_000, 100_000])]
fn steps_scaling_pixels<const N: usize>(bencher: Bencher) {
    let surface = by_name("rosenbrock").unwrap();
    let cfg = adam_run(&*surface, N);
    let t = run(&*surface, &cfg).unwrap();
    let frame = Frame {
        view: surface.view(),
        left: 60.0,
        top: 10.0,
        width: 800.0,
        height: 600.0,
    };
    bencher.bench_local(|| trajectory_pixels(black_box(&t.points), N, &frame, 5.0));
}

/// The heatmap RGBA buffer of an 800×600 plot from a 256² grid.
#[divan::bench(args = SURFACES)]
fn heatmap_rgba_800x600(bencher: Bencher, name: &str) {
    let surface = by_name(name).unwrap();
    let field = Field::sample(&*surface, surface.view(), 256, 256);
    let levels = Levels::choose(&field, 20);
    bencher.bench_local(|| heatmap_rgba(black_box(&field), &levels.scale, 800, 600, 1.0));
}

/// The figure of the app's default run (Rosenbrock, SGD, 1000 steps) as `gdviz render` draws it
/// at 900×650: field, axes, heatmap (PNG-encoded into the document), contours and path.
#[divan::bench]
fn figure_svg_900x650(bencher: Bencher) {
    let figure = Figure::new(&Options::default()).unwrap();
    bencher.bench_local(|| black_box(&figure).svg(900, 650).unwrap());
}

/// The same figure painted and encoded as a PNG.
#[divan::bench]
fn figure_png_900x650(bencher: Bencher) {
    let figure = Figure::new(&Options::default()).unwrap();
    bencher.bench_local(|| black_box(&figure).png(900, 650).unwrap());
}
