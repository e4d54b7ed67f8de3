//! `gdviz render` as a user calls it: the SVG and PNG files it writes, checked against the
//! library's own numbers (the plot's frame, the contour levels, the run), and its errors.

use std::path::PathBuf;

use gdviz::figure::Figure;
use gdviz::options::{self, Value};
use gdviz::render::{self, RUN_COLOURS};
use roxmltree::{Document, Node};

mod common;
use common::{assert_rejected, gdviz};

/// A path for a test's output file, removed first if an earlier run left it.
fn out(name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_file(&path);
    path
}

/// Renders with `args` into `name` and returns the file's bytes.
fn render(name: &str, args: &[&str]) -> Vec<u8> {
    let path = out(name);
    let mut all = vec!["render", "--out", path.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = gdviz(&all);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read(&path).unwrap()
}

fn num(node: Node, attr: &str) -> f64 {
    node.attribute(attr)
        .unwrap_or_else(|| panic!("no {attr} on {node:?}"))
        .parse()
        .unwrap()
}

/// The `<g>` whose class list holds `class`.
fn group<'a>(doc: &'a Document, class: &str) -> Vec<Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.has_tag_name("g"))
        .filter(|n| {
            n.attribute("class")
                .unwrap_or("")
                .split(' ')
                .any(|c| c == class)
        })
        .collect()
}

/// The absolute points of SVG path data as `gdviz render` writes it (`M x y l dx dy dx dy ...`).
fn points(d: &str) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, f64)> = Vec::new();
    for part in d.split('M').filter(|p| !p.is_empty()) {
        let (start, rel) = part.split_once('l').unwrap_or((part, ""));
        let xy: Vec<f64> = start.split(' ').map(|v| v.parse().unwrap()).collect();
        let mut at = (xy[0], xy[1]);
        pts.push(at);
        // Numbers are separated by a space, or by the minus sign that starts one.
        let nums: Vec<f64> = rel
            .replace('-', " -")
            .split_whitespace()
            .map(|v| v.parse().unwrap())
            .collect();
        for d in nums.chunks_exact(2) {
            at = (at.0 + d[0], at.1 + d[1]);
            pts.push(at);
        }
    }
    pts
}

fn close(a: (f64, f64), b: (f64, f64), tol: f64) -> bool {
    (a.0 - b.0).abs() <= tol && (a.1 - b.1).abs() <= tol
}

/// The options the app would have for `changes`, and the figure the library makes of them.
fn figure(changes: &[(&str, Value)]) -> Figure {
    let changes: Vec<(String, Value)> = changes
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    Figure::new(&options::strict(&changes).unwrap()).unwrap()
}

#[test]
fn svg_holds_the_apps_plot_in_the_right_places() {
    let args = [
        "--surface",
        "booth",
        "--optimizer",
        "sgd",
        "--lr",
        "0.01",
        "--steps",
        "50",
        "--start",
        "-6,-6",
    ];
    let svg = String::from_utf8(render("booth.svg", &args)).unwrap();
    let doc = Document::parse(&svg).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!((num(root, "width"), num(root, "height")), (900.0, 650.0));

    // The plot sits where the library's figure puts it, and the SVG clips to it.
    let fig = figure(&[
        ("surface", Value::Str("booth".into())),
        ("lr", Value::Num(0.01)),
        ("steps", Value::Num(50.0)),
        ("start", Value::Pair(-6.0, -6.0)),
    ]);
    let frame = fig.frame(900, 650).unwrap();
    let clip = doc
        .descendants()
        .find(|n| n.has_tag_name("clipPath"))
        .and_then(|n| n.first_element_child())
        .unwrap();
    let rect = [
        num(clip, "x"),
        num(clip, "y"),
        num(clip, "width"),
        num(clip, "height"),
    ];
    assert_eq!(rect, [frame.left, frame.top, frame.width, frame.height]);
    assert!(frame.width > 700.0 && frame.height > 500.0, "{frame:?}");

    // The heatmap fills the plot: a PNG of the plot's size.
    let image = doc.descendants().find(|n| n.has_tag_name("image")).unwrap();
    assert_eq!([num(image, "x"), num(image, "y")], [frame.left, frame.top]);
    assert_eq!(
        [num(image, "width"), num(image, "height")],
        [frame.width, frame.height]
    );
    assert!(image
        .attribute("href")
        .unwrap()
        .starts_with("data:image/png;base64,iVBORw0KGgo"));

    // One contour path per level, as many as the app draws, in the app's contour ink.
    let s = gdviz::surface::by_name("booth").unwrap();
    let (_, levels) = render::background_field(s.as_ref(), s.view());
    assert_eq!(levels.values.len(), render::LEVELS);
    let contours = group(&doc, "contours");
    let paths: Vec<Node> = contours[0].children().filter(|n| n.is_element()).collect();
    assert_eq!(paths.len(), render::LEVELS);
    for p in &paths {
        assert!(p.has_tag_name("path"));
        assert_eq!(p.attribute("stroke"), Some("#141830"));
        assert_eq!(p.attribute("stroke-opacity"), Some("0.42"));
        let pts = points(p.attribute("d").unwrap());
        // Grid points on the view's edge land on the plot's edge; the sums of tenths may miss
        // it by a rounding error.
        let on_plot = |&(x, y): &(f64, f64)| {
            let (l, t) = (frame.left - 1e-6, frame.top - 1e-6);
            let (r, b) = (l + frame.width + 2e-6, t + frame.height + 2e-6);
            (l..=r).contains(&x) && (t..=b).contains(&y)
        };
        assert!(pts.iter().all(on_plot), "a contour off the plot");
    }

    // The path starts at the start and ends where `gdviz trace` ends the same run.
    let trace = gdviz(&[&["trace"][..], &args].concat());
    let csv = String::from_utf8(trace.stdout).unwrap();
    let last: Vec<f64> = csv
        .lines()
        .last()
        .unwrap()
        .split(',')
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(last[0], 50.0);
    let run = &group(&doc, "run-0")[0];
    assert_eq!(run.attribute("clip-path"), Some("url(#plot)"));
    let line = run
        .children()
        .find(|n| n.has_tag_name("path") && n.attribute("stroke") == Some(RUN_COLOURS[0]))
        .unwrap();
    let pts = points(line.attribute("d").unwrap());
    let start = frame.to_px([-6.0, -6.0]);
    assert!(close(pts[0], start, 0.051), "{:?} vs {start:?}", pts[0]);
    let end = frame.to_px([last[1], last[2]]);
    assert!(
        close(pts[pts.len() - 1], end, 0.051),
        "{:?} vs {end:?}",
        pts[pts.len() - 1]
    );
    let current = run.children().rfind(|n| n.has_tag_name("circle")).unwrap();
    assert!(close((num(current, "cx"), num(current, "cy")), end, 0.051));
    assert_eq!(num(current, "r"), render::look::CURRENT_RADIUS);
    let marker = group(&doc, "start")[0].first_element_child().unwrap();
    let centre = (
        num(marker, "x") + num(marker, "width") / 2.0,
        num(marker, "y") + num(marker, "height") / 2.0,
    );
    assert!(close(centre, start, 0.1), "{centre:?} vs {start:?}");

    // The default title names the surface, optimizer and learning rate.
    let title = group(&doc, "title")[0].first_element_child().unwrap();
    assert_eq!(title.text(), Some(fig.title()));
    assert!(
        fig.title().starts_with("booth — sgd, lr 0.01, 50 steps"),
        "{}",
        fig.title()
    );
}

#[test]
fn title_is_escaped_and_every_race_run_is_in_its_colour() {
    let race = "optimizer:sgd,lr:0.01;optimizer:momentum,lr:0.01;optimizer:adam,lr:0.1";
    let args = [
        "--surface",
        "booth",
        "--steps",
        "60",
        "--race",
        race,
        "--title",
        "a<b & c",
    ];
    let raw = String::from_utf8(render("race.svg", &args)).unwrap();
    assert!(raw.contains(">a&lt;b &amp; c<"), "the title is not escaped");
    let doc = Document::parse(&raw).expect("well-formed XML");
    let title = group(&doc, "title")[0].first_element_child().unwrap();
    assert_eq!(title.text(), Some("a<b & c"));
    for (i, colour) in RUN_COLOURS.iter().take(3).enumerate() {
        let run = &group(&doc, &format!("run-{i}"))[0];
        let strokes = run
            .children()
            .filter(|n| n.attribute("stroke") == Some(colour))
            .count();
        let fills = run
            .children()
            .filter(|n| n.attribute("fill") == Some(colour))
            .count();
        assert_eq!(strokes, 1, "run {i}: its line in {colour}");
        assert!(fills >= 2, "run {i}: dots and last point in {colour}");
    }
    assert!(group(&doc, "run-3").is_empty());
    // The legend names each run beside a dot of its colour.
    let legend = &group(&doc, "legend")[0];
    let texts: Vec<&str> = legend
        .children()
        .filter_map(|n| n.text())
        .filter(|t| !t.trim().is_empty())
        .collect();
    // The runs, then the key of the marks (Booth: its global minimum, the start, the point).
    assert_eq!(
        texts[3..],
        ["global minimum", "start", "point shown"],
        "{texts:?}"
    );
    assert!(
        texts[0].starts_with("sgd, lr 0.01") && texts[2].starts_with("adam, lr 0.1"),
        "{texts:?}"
    );
    let dots: Vec<&str> = legend
        .children()
        .filter(|n| n.has_tag_name("circle"))
        .filter_map(|n| n.attribute("fill"))
        .collect();
    assert_eq!(dots[..3], RUN_COLOURS[..3]);
}

/// Width, height and RGB pixels of a PNG.
fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn hex(c: &str) -> [u8; 3] {
    let byte = |i| u8::from_str_radix(&c[i..i + 2], 16).unwrap();
    [byte(1), byte(3), byte(5)]
}

#[test]
fn png_has_the_size_asked_for_and_each_run_in_its_colour() {
    let race = "optimizer:sgd,lr:0.05;optimizer:adam,lr:0.3";
    let args = [
        "--surface",
        "himmelblau",
        "--steps",
        "80",
        "--race",
        race,
        "--width",
        "640",
        "--height",
        "480",
    ];
    let bytes = render("race.png", &args);
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // IHDR, the first chunk: its length, its name, then width and height, big-endian.
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    assert_eq!((be(16), be(20)), (640, 480));

    let (w, h, rgb) = decode(&bytes);
    assert_eq!((w, h), (640, 480));
    let pixel = |x: f64, y: f64| {
        let i = 3 * (y.round() as usize * w as usize + x.round() as usize);
        [rgb[i], rgb[i + 1], rgb[i + 2]]
    };
    for colour in &RUN_COLOURS[..2] {
        let c = hex(colour);
        let n = rgb
            .chunks_exact(3)
            .filter(|p| (0..3).all(|k| p[k].abs_diff(c[k]) <= 6))
            .count();
        assert!(n > 150, "{n} pixels of {colour}");
    }
    assert!(!rgb
        .chunks_exact(3)
        .any(|p| (0..3).all(|k| p[k].abs_diff(hex(RUN_COLOURS[2])[k]) <= 6)));
    // The page is white; the start's square, where the SVG frame puts it, is white too inside
    // its dark outline.
    assert_eq!(pixel(1.0, 1.0), [255, 255, 255]);
    let fig = figure(&[
        ("surface", Value::Str("himmelblau".into())),
        ("steps", Value::Num(80.0)),
        ("race", Value::Str(race.into())),
    ]);
    let frame = fig.frame(640, 480).unwrap();
    let (sx, sy) = frame.to_px(gdviz::surface::by_name("himmelblau").unwrap().start());
    let half = render::look::START_HALF;
    assert_eq!(pixel(sx, sy), [255, 255, 255]);
    let edge = pixel(sx - half, sy);
    assert!(edge.iter().all(|&v| v < 90), "{edge:?}");
    // Outside the plot's left edge no heatmap: white; inside it, the heatmap's colour.
    assert_eq!(pixel(frame.left - 3.0, frame.top + 5.0), [255, 255, 255]);
    assert_ne!(pixel(frame.left + 3.0, frame.top + 5.0), [255, 255, 255]);
}

#[test]
fn bad_arguments_exit_2_naming_the_argument() {
    let dir = out("figure-dir.svg");
    std::fs::create_dir_all(&dir).unwrap();
    let dir = dir.to_str().unwrap();
    let missing = "/nonexistent-gdviz-dir/fig.svg";
    let ok = out("never-written.svg");
    let ok = ok.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["render"], "--out"),
        (&["render", "--out", "fig.jpg"], "--out"),
        (&["render", "--out", "fig"], "--out"),
        (&["render", "--out", missing], "--out"),
        (&["render", "--out", dir], "--out"),
        (&["render", "--out", ok, "--width", "0"], "--width"),
        (&["render", "--out", ok, "--width", "abc"], "--width"),
        (&["render", "--out", ok, "--height", "100000"], "--height"),
        (&["render", "--out", ok, "--height", "-5"], "--height"),
        (&["render", "--out", ok, "--surface", "nope"], "--surface"),
        (&["render", "--out", ok, "--lr", "-1"], "--lr"),
        (&["render", "--out", ok, "--beta1", "0.5"], "--beta1"),
        (&["render", "--out", ok, "--steps", "200000"], "--steps"),
        (&["render", "--out", ok, "--start", "1,x"], "--start"),
        (
            &[
                "render",
                "--out",
                ok,
                "--variant",
                "minibatch",
                "--batch-size",
                "51",
            ],
            "--batch-size",
        ),
        (
            &["render", "--out", ok, "--race", "optimizer:adamx"],
            "--race",
        ),
        (
            &["render", "--out", ok, "--race", "surface:booth"],
            "--race",
        ),
        (&["render", "--out", ok, "--format", "json"], "--format"),
    ];
    assert_rejected(cases);
    assert!(!std::path::Path::new(ok).exists());
    let err = String::from_utf8_lossy(&gdviz(&["render", "--out", missing]).stderr).to_string();
    assert!(
        err.contains("cannot write") && err.contains(missing),
        "{err}"
    );
}
