//! The plot tells the truth: one unit is as long on both axes where the parameters are alike,
//! undefined values are drawn as undefined (not as "high"), and the marks stay visible. Checked
//! on the figures `gdviz render` draws, which are the app's drawing.

use gdviz::figure::Figure;
use gdviz::options::{self, Value};
use gdviz::render::{self, look, Frame};
use gdviz::surface::{self, Surface};

/// The figure of the options `changes` (as the app's `set()` takes them).
fn figure(changes: &[(&str, Value)]) -> Figure {
    let changes: Vec<(String, Value)> = changes
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    Figure::new(&options::strict(&changes).unwrap()).unwrap()
}

fn expr(text: &str) -> Figure {
    figure(&[("expr", Value::Str(text.into()))])
}

/// Width, height and RGB pixels of a PNG.
fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// The pixels of a figure's PNG, readable by position.
struct Image {
    w: usize,
    rgb: Vec<u8>,
}

impl Image {
    fn of(fig: &Figure, w: u32, h: u32) -> Image {
        let (pw, _, rgb) = decode(&fig.png(w, h).unwrap());
        Image {
            w: pw as usize,
            rgb,
        }
    }

    fn at(&self, x: usize, y: usize) -> [u8; 3] {
        let i = 3 * (y * self.w + x);
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }
}

const SIZES: [(u32, u32); 5] = [(900, 650), (1600, 500), (500, 1200), (320, 320), (320, 900)];

/// |pixels per unit of x − pixels per unit of y| over the longer side of the plot, in pixels.
fn scale_error(f: &Frame) -> f64 {
    let ppx = f.width / (f.view.x.1 - f.view.x.0);
    let ppy = f.height / (f.view.y.1 - f.view.y.0);
    (ppx - ppy).abs() * (f.view.x.1 - f.view.x.0).max(f.view.y.1 - f.view.y.0)
}

#[test]
fn a_unit_is_as_long_on_both_axes() {
    let booth = surface::by_name("booth").unwrap();
    let figures = [
        (
            "booth",
            figure(&[("surface", Value::Str("booth".into()))]),
            booth.view(),
        ),
        ("x² + y²", expr("x^2 + y^2"), gdviz::expr::DEFAULT_VIEW),
        (
            "x² + y² over a wide view",
            figure(&[
                ("expr", Value::Str("x^2 + y^2".into())),
                ("xrange", Value::Pair(-10.0, 10.0)),
                ("yrange", Value::Pair(-1.0, 1.0)),
            ]),
            gdviz::View {
                x: (-10.0, 10.0),
                y: (-1.0, 1.0),
            },
        ),
    ];
    for (name, fig, view) in &figures {
        for (w, h) in SIZES {
            let f = fig.frame(w, h).unwrap();
            assert!(
                scale_error(&f) < 0.5,
                "{name} at {w}×{h}: {:.3} px apart over the plot, {f:?}",
                scale_error(&f)
            );
            // Padded about the centre, never cropped: the surface's view is all there.
            assert!(
                f.view.x.0 <= view.x.0 && f.view.x.1 >= view.x.1,
                "{name}: {f:?}"
            );
            assert!(
                f.view.y.0 <= view.y.0 && f.view.y.1 >= view.y.1,
                "{name}: {f:?}"
            );
            let mid = |a: (f64, f64)| (a.0 + a.1) / 2.0;
            assert!((mid(f.view.x) - mid(view.x)).abs() < 1e-9, "{name}: {f:?}");
            assert!((mid(f.view.y) - mid(view.y)).abs() < 1e-9, "{name}: {f:?}");
            // One side fits exactly: padded in one direction only.
            assert!(f.view.x == view.x || f.view.y == view.y, "{name}: {f:?}");
            // x² + y² = 1 is a circle on screen: as wide as it is tall.
            let (l, _) = f.to_px([-1.0, 0.0]);
            let (r, _) = f.to_px([1.0, 0.0]);
            let (_, t) = f.to_px([0.0, 1.0]);
            let (_, b) = f.to_px([0.0, -1.0]);
            assert!(((r - l) - (b - t)).abs() < 0.5, "{name} at {w}×{h}");
            // A click lands where it is drawn: pixel → θ → pixel.
            for (px, py) in [
                (f.left, f.top),
                (f.left + f.width, f.top + f.height),
                (f.left + 0.3 * f.width, f.top + 0.8 * f.height),
            ] {
                let (x, y) = f.to_px(f.to_param(px, py));
                assert!((x - px).abs() < 1e-6 && (y - py).abs() < 1e-6);
            }
            // The layout is a function of the size alone.
            assert_eq!(
                (f.left, f.width),
                {
                    let l = render::layout(
                        (w, h),
                        &render::Style {
                            scale: 1.0,
                            dark: false,
                        },
                    );
                    (l.plot.0, l.plot.2)
                },
                "{name} at {w}×{h}"
            );
        }
    }
}

#[test]
fn the_heatmap_fills_the_padded_plot() {
    // Booth's square view on a wide figure: padded left and right, and painted there too.
    let fig = figure(&[("surface", Value::Str("booth".into()))]);
    let (w, h) = (1200, 500);
    let f = fig.frame(w, h).unwrap();
    assert!(f.view.x.0 < -10.0 && f.view.x.1 > 10.0, "{f:?}");
    let img = Image::of(&fig, w, h);
    let (top, bottom) = (f.top as usize + 2, (f.top + f.height) as usize - 2);
    for x in [f.left as usize + 1, (f.left + f.width) as usize - 2] {
        for y in [top, (top + bottom) / 2, bottom] {
            let p = img.at(x, y);
            assert_ne!(p, [255, 255, 255], "({x}, {y}) is blank");
        }
    }
}

#[test]
fn surfaces_whose_parameters_differ_in_kind_say_so() {
    let mut opted_out = 0;
    for e in surface::catalog() {
        let s = e.build(&[]).unwrap();
        if s.equal_scale() {
            continue;
        }
        opted_out += 1;
        assert!(
            s.terms().is_some(),
            "{}: only dataset surfaces opt out",
            e.name
        );
        assert!(
            s.note().contains("axes not to the same scale"),
            "{}: {}",
            e.name,
            s.note()
        );
        // Stretched to the plot: the view is the surface's own.
        let fig = figure(&[("surface", Value::Str(e.name.into()))]);
        assert_eq!(fig.frame(900, 650).unwrap().view, s.view(), "{}", e.name);
    }
    assert!(opted_out > 0);
    for name in [
        "linear-regression-std",
        "ridge",
        "collinear",
        "svm",
        "recommender",
    ] {
        assert!(surface::by_name(name).unwrap().equal_scale(), "{name}");
    }
}

/// Whether a pixel is the undefined hatching (its base or stripes, or a blend of the two): a
/// neutral grey, which no colour of the heatmap is.
fn hatched(p: [u8; 3]) -> bool {
    let (lo, hi) = (look::UNDEFINED_STRIPE[0], look::UNDEFINED_BASE[0]);
    p[0].abs_diff(p[1]) <= 2 && p[1].abs_diff(p[2]) <= 2 && (lo..=hi).contains(&p[0])
}

#[test]
fn no_heatmap_colour_is_a_grey_of_the_hatching() {
    for k in 0..=1000 {
        let c = render::colour(k as f64 / 1000.0);
        let chroma = c.iter().max().unwrap() - c.iter().min().unwrap();
        assert!(chroma > 30 && !hatched(c), "{c:?}");
    }
}

/// The share of the plot's pixels at θ with `pick(θ)` that are hatched, that are the top
/// colour of the scale, and how many pixels were looked at.
fn undefined_pixels(fig: &Figure, pick: impl Fn([f64; 2]) -> bool) -> (f64, usize, usize) {
    let (w, h) = (640, 480);
    let f = fig.frame(w, h).unwrap();
    let img = Image::of(fig, w, h);
    let top = render::colour(1.0);
    let (mut n, mut hatch, mut high) = (0, 0, 0);
    for y in (f.top as usize + 1)..((f.top + f.height) as usize) {
        for x in (f.left as usize + 1)..((f.left + f.width) as usize) {
            if !pick(f.to_param(x as f64 + 0.5, y as f64 + 0.5)) {
                continue;
            }
            n += 1;
            let p = img.at(x, y);
            hatch += usize::from(hatched(p));
            high += usize::from((0..3).all(|k| p[k].abs_diff(top[k]) <= 3));
        }
    }
    (hatch as f64 / n as f64, high, n)
}

#[test]
fn undefined_values_are_hatched_not_high() {
    // log(x) has no value for x < 0; a grid cell wide of the edge, nothing may look "high".
    let fig = expr("log(x)");
    let (share, high, n) = undefined_pixels(&fig, |p| p[0] < -0.1);
    assert!(n > 10_000, "{n} pixels");
    assert_eq!(high, 0, "top-colour pixels where log(x) is undefined");
    assert!(share > 0.97, "only {share:.3} of the x < 0 side is hatched");
    // And where it is defined, no hatching.
    let (share, _, _) = undefined_pixels(&fig, |p| p[0] > 0.1);
    assert!(share < 0.01, "{share:.3} of the x > 0 side is hatched");

    // Overflow: x·y·1e308 is ±∞ where |xy| > 1.8.
    let fig = expr("x*y*1e308");
    let (share, high, n) = undefined_pixels(&fig, |p| (p[0] * p[1]).abs() > 2.2);
    assert!(n > 1000);
    assert_eq!(high, 0, "top-colour pixels where x·y·1e308 overflows");
    assert!(share > 0.97, "only {share:.3} of the overflow is hatched");
}

/// Every text of an SVG document, trimmed.
fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .collect()
}

#[test]
fn contours_keep_out_of_the_undefined_region_and_the_key_names_it() {
    let fig = expr("log(x)");
    let svg = fig.svg(640, 480).unwrap();
    let f = fig.frame(640, 480).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let contours = doc
        .descendants()
        .find(|n| n.has_tag_name("g") && n.attribute("class") == Some("contours"))
        .unwrap();
    // One grid cell of the field: the last contour crossing sits at most that far left of 0.
    let cell = (f.view.x.1 - f.view.x.0) / (render::GRID - 1) as f64;
    let edge = f.to_px([-cell, 0.0]).0;
    let mut points = 0;
    for path in contours.children().filter(|n| n.has_tag_name("path")) {
        let d = path.attribute("d").unwrap();
        for part in d.split('M').filter(|p| !p.is_empty()) {
            let x: f64 = part.split([' ', 'l']).next().unwrap().parse().unwrap();
            points += 1;
            assert!(
                x >= edge - 0.1,
                "a contour starts at x = {x} px, left of {edge}"
            );
        }
    }
    assert!(points > 0, "log(x) has contours");
    assert!(
        texts(&svg).contains(&"undefined".to_string()),
        "the colour bar's key"
    );
    // A surface defined everywhere has no such key.
    let booth = figure(&[("surface", Value::Str("booth".into()))]);
    assert!(!texts(&booth.svg(640, 480).unwrap()).contains(&"undefined".to_string()));
}

#[test]
fn the_3d_mesh_leaves_holes_where_f_is_undefined() {
    use gdviz::plot3d::{Mesh, MESH};
    let s = gdviz::expr::ExprSurface::parse("log(x)", gdviz::expr::DEFAULT_VIEW).unwrap();
    let mesh = Mesh::new(&s, s.view(), MESH);
    let quads = mesh.quads(|_, _, z| (z * 1000.0) as i32);
    let all = (MESH - 1) * (MESH - 1);
    assert!(
        quads.len() < all * 6 / 10 && quads.len() > all * 4 / 10,
        "{}",
        quads.len()
    );
    assert!(quads
        .iter()
        .all(|q| q.corners.iter().all(|c| c.0 > 0.0 && c.1.is_finite())));
}

/// The PNG of a run of `changes` at 640 × 480 with its frame, and where its last point is.
fn ended(changes: &[(&str, Value)]) -> (Image, Frame, (f64, f64)) {
    let opts = {
        let c: Vec<(String, Value)> = changes
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        options::strict(&c).unwrap()
    };
    let (_, runs) = opts.compute().unwrap();
    let fig = figure(changes);
    let f = fig.frame(640, 480).unwrap();
    let last = f.to_px(runs[0].last());
    (Image::of(&fig, 640, 480), f, last)
}

#[test]
fn a_run_that_ends_on_a_minimum_leaves_its_mark_visible() {
    // Himmelblau: plain gradient descent from (0, 0) converges onto the global minimum (3, 2).
    let (img, f, last) = ended(&[
        ("surface", Value::Str("himmelblau".into())),
        ("lr", Value::Num(0.01)),
        ("steps", Value::Num(2000.0)),
    ]);
    let star = f.to_px([3.0, 2.0]);
    assert!((last.0 - star.0).abs() < 0.01 && (last.1 - star.1).abs() < 0.01);
    let (x, y) = (star.0.round() as usize, star.1.round() as usize);
    // The star is on top: white inside, dark on its outline above the centre...
    assert_eq!(img.at(x, y), [255, 255, 255], "the star's centre");
    let tip = (star.1 - look::STAR.0 + 0.5).round() as usize;
    let outline = (tip..y)
        .map(|yy| img.at(x, yy))
        .filter(|p| p.iter().all(|&v| v < 110))
        .count();
    assert!(outline > 0, "the star's dark outline");
    // ...and the point shown is a ring around it, in the run's colour.
    let run = render::run_colour(0);
    let c = [0, 2, 4].map(|i| u8::from_str_radix(&run[1 + i..3 + i], 16).unwrap());
    let r = (render::RING_AROUND + 2.0) as isize;
    let mut coloured = 0;
    for dy in -r..=r {
        for dx in -r..=r {
            let p = img.at((x as isize + dx) as usize, (y as isize + dy) as usize);
            coloured += usize::from((0..3).all(|k| p[k].abs_diff(c[k]) <= 12));
        }
    }
    assert!(coloured >= 40, "{coloured} pixels of the point shown");

    // Double well from the right: gradient descent settles in the local minimum (○).
    let (img, f, last) = ended(&[
        ("surface", Value::Str("double-well".into())),
        ("lr", Value::Num(0.05)),
        ("steps", Value::Num(2000.0)),
    ]);
    let s = surface::by_name("double-well").unwrap();
    let local = s.minima().iter().find(|m| !m.global).unwrap();
    let disc = f.to_px(local.at);
    assert!((last.0 - disc.0).abs() < 0.01 && (last.1 - disc.1).abs() < 0.01);
    // The disc's dark outline crosses the point shown on either side.
    let y = disc.1.round() as usize;
    for side in [-1.0, 1.0] {
        let x = (disc.0 + side * look::LOCAL_RADIUS).round() as usize;
        let near = (x - 1..=x + 1).map(|xx| img.at(xx, y));
        assert!(
            near.clone().any(|p| p.iter().all(|&v| v < 110)),
            "no outline at {side}: {:?}",
            near.collect::<Vec<_>>()
        );
    }
}

#[test]
fn the_figure_keys_its_marks() {
    let fig = figure(&[("surface", Value::Str("double-well".into()))]);
    let t = texts(&fig.svg(640, 480).unwrap());
    for meaning in ["global minimum", "local minimum", "start", "point shown"] {
        assert!(t.iter().any(|x| x == meaning), "{meaning} in {t:?}");
    }
    // Booth has one global minimum and nothing local.
    let fig = figure(&[("surface", Value::Str("booth".into()))]);
    let t = texts(&fig.svg(640, 480).unwrap());
    assert!(t.iter().any(|x| x == "global minimum"));
    assert!(!t.iter().any(|x| x == "local minimum"));
}
