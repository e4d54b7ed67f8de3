//! Native benchmarks of the numeric core (`cargo bench`; see BENCHMARKS.md).
//!
//! Optimizer runs of 1000 steps, grid sampling, marching squares over 20 levels and the heatmap
//! of an 800×600 plot. The browser's numbers come from `cargo xtask bench`.

use divan::{black_box, Bencher};
use gdviz::contour::{segments, Field, Levels};
use gdviz::render::heatmap_rgba;
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

/// Marching squares over 20 levels of a 256² grid.
#[divan::bench(args = SURFACES)]
fn marching_squares_20_levels_256(bencher: Bencher, name: &str) {
    let surface = by_name(name).unwrap();
    let field = Field::sample(&*surface, surface.view(), 256, 256);
    let levels = Levels::choose(&field, 20);
    bencher.bench_local(|| {
        levels
            .values
            .iter()
            .map(|&l| segments(black_box(&field), l).len())
            .sum::<usize>()
    });
}

/// The heatmap RGBA buffer of an 800×600 plot from a 256² grid.
#[divan::bench(args = SURFACES)]
fn heatmap_rgba_800x600(bencher: Bencher, name: &str) {
    let surface = by_name(name).unwrap();
    let field = Field::sample(&*surface, surface.view(), 256, 256);
    let levels = Levels::choose(&field, 20);
    bencher.bench_local(|| heatmap_rgba(black_box(&field), &levels.scale, 800, 600));
}
