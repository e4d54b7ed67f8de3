//! The ways into a course page, in a real browser: two instances mounted on one page
//! (`example.html`, through `www/gdviz.js`), the static build served from a sub-path under the
//! strict CSP, and the single file opened from `file://`.

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use common::{drawn_view, Page};
use headless_chrome::protocol::cdp::Input;
use serde_json::{json, Value};

/// Console errors, uncaught exceptions, CSP violations and visible error boxes of every
/// instance on the page: none allowed.
fn assert_clean(page: &Page) {
    page.js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
    let problems = page.problems();
    assert!(problems.is_empty(), "the page reported: {problems:#?}");
    let shown = page.js(
        "[...document.querySelectorAll('.gdviz .gdviz-error')].filter(e => !e.hidden).map(e => e.textContent)",
    );
    assert_eq!(shown, json!([]), "an instance shows an error");
}

/// The state of a mounted instance without its on-screen position (which moves when the other
/// instance's layout changes).
fn demo_state(page: &Page, i: usize) -> Value {
    let mut s = page.js(&format!("window.demos[{i}].state()"));
    s.as_object_mut().unwrap().remove("plot");
    s
}

fn press(page: &Page, key: &str, code: &str, times: usize) {
    for _ in 0..times {
        for kind in ["keyDown", "keyUp"] {
            let event: Input::DispatchKeyEvent = serde_json::from_value(json!({
                "type": kind, "key": key, "code": code,
                "windowsVirtualKeyCode": if key == "ArrowRight" { 39 } else { 37 },
            }))
            .unwrap();
            page.tab.call_method(event).expect("key event");
        }
    }
}

fn click(page: &Page, x: f64, y: f64) {
    for kind in ["mousePressed", "mouseReleased"] {
        let event: Input::DispatchMouseEvent = serde_json::from_value(json!({
            "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1
        }))
        .unwrap();
        page.tab.call_method(event).expect("mouse event");
    }
}

#[test]
fn two_mounted_instances_move_independently() {
    let server = xtask::serve(&xtask::repo_root(), 0).expect("serve the repository");
    let url = format!("{}example.html", server.url());
    let page = Page::open_url(1000, 900, Some(server), &url);
    assert_clean(&page);

    // Ids are unique across instances and every label and ARIA reference resolves inside its
    // own instance.
    let refs = page.js(
        r#"(() => {
          const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
          const dangling = [];
          for (const el of document.querySelectorAll('[for], [aria-controls], [aria-describedby], [aria-labelledby]')) {
            for (const a of ['for', 'aria-controls', 'aria-describedby', 'aria-labelledby']) {
              for (const id of (el.getAttribute(a) || '').split(/\s+/).filter(Boolean)) {
                const target = document.getElementById(id);
                if (!target || target.closest('.gdviz') !== el.closest('.gdviz')) dangling.push(`${a}=${id}`);
              }
            }
          }
          return { ids: ids.length, unique: new Set(ids).size, dangling, roots: document.querySelectorAll('.gdviz').length };
        })()"#,
    );
    assert_eq!(refs["roots"], json!(2), "{refs}");
    assert_eq!(refs["ids"], refs["unique"], "duplicate ids: {refs}");
    assert_eq!(refs["dangling"], json!([]), "{refs}");

    // The course page keeps the only h1: each instance's title sits one level below it, and the
    // instance's own sections one level below that.
    let headings = page.js(
        "[...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => `${h.tagName} ${h.closest('.gdviz')?.id ?? 'page'} ${h.classList}`)",
    );
    assert_eq!(
        headings,
        json!([
            "H1 page ",
            "H2 demo-lr gdviz-title",
            "H3 demo-lr gdviz-subtitle",
            "H3 demo-lr gdviz-subtitle",
            "H2 demo-race gdviz-title",
            "H3 demo-race gdviz-subtitle",
            "H3 demo-race gdviz-subtitle",
        ]),
    );

    let a0 = demo_state(&page, 0);
    let b0 = demo_state(&page, 1);
    assert_eq!(a0["surface"], "booth");
    assert_eq!(a0["lr"], 0.05);
    assert_eq!(b0["race"].as_array().map(Vec::len), Some(2), "{b0}");
    let b_pixels = page.js("document.getElementById('gdviz2-overlay').toDataURL()");

    // The keyboard moves the first instance's learning-rate slider, and only that one.
    page.js("document.getElementById('gdviz1-lr').focus()");
    press(&page, "ArrowRight", "ArrowRight", 20);
    let a1 = demo_state(&page, 0);
    let lr = a1["lr"].as_f64().unwrap();
    assert!(
        lr > 0.05 * 1.5,
        "20 steps right should raise γ from 0.05, got {lr}"
    );
    assert_ne!(
        a1["trajectory"], a0["trajectory"],
        "the first path should change with γ"
    );
    assert_eq!(
        demo_state(&page, 1),
        b0,
        "the second instance changed with the first"
    );
    assert_eq!(
        page.js("document.getElementById('gdviz2-overlay').toDataURL()"),
        b_pixels,
        "the second instance's overlay was redrawn"
    );

    // A click on the second plot moves its start, and only its start.
    page.js("document.getElementById('gdviz2-overlay').scrollIntoView({ block: 'center' })");
    let state = page.js("window.demos[1].state()");
    let plot = &state["plot"];
    let (x, y) = (
        plot["left"].as_f64().unwrap() + 0.25 * plot["width"].as_f64().unwrap(),
        plot["top"].as_f64().unwrap() + 0.75 * plot["height"].as_f64().unwrap(),
    );
    // The plot shows Rosenbrock's view padded to equal scales: a quarter across and a quarter
    // up of that drawn view.
    let ((x0, x1), (y0, y1)) = drawn_view(&state);
    let want = (x0 + 0.25 * (x1 - x0), y0 + 0.25 * (y1 - y0));
    click(&page, x, y);
    let moved = page.js(
        "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(window.demos[1].state().start))))",
    );
    let (sx, sy) = (moved[0].as_f64().unwrap(), moved[1].as_f64().unwrap());
    let tol = 0.03 * (x1 - x0).max(y1 - y0);
    assert!(
        (sx - want.0).abs() < tol && (sy - want.1).abs() < tol,
        "start {moved}, want {want:?}"
    );
    assert_eq!(
        demo_state(&page, 0)["start"],
        a1["start"],
        "the first start moved too"
    );

    // A mounted instance links to the full app with its own state.
    let link = page.js("window.demos[0].link()");
    let link = link.as_str().unwrap();
    assert!(
        link.contains("surface=booth") && link.contains("embed=1"),
        "{link}"
    );
    let base = page._server.as_ref().unwrap().url();
    assert!(link.starts_with(&base), "{link} is not under {base}");
    let full = Page::open_at(1000, 800, &link[base.len()..]);
    let s = full.state();
    assert_eq!(s["surface"], "booth");
    assert_eq!(
        s["lr"].as_f64(),
        Some(lr),
        "the link restores the learning rate"
    );
    assert_eq!(
        s["trajectory"], a1["trajectory"],
        "the link restores the identical path"
    );

    // The full page keeps its h1 and its address bar whatever its link says.
    let page_link = Page::open_at(800, 700, "?heading=4&url=0&surface=booth");
    assert_eq!(page_link.state()["surface"], "booth");
    assert_eq!(
        page_link.js("[...document.querySelectorAll('h1')].map(h => h.className)"),
        json!(["gdviz-title"])
    );
    assert_eq!(
        page_link.js("document.getElementById('notices').textContent"),
        json!("")
    );
    drop(page_link);

    // A wrong first argument is an error the caller sees, not a broken page.
    let thrown = page.js(
        "import('./www/gdviz.js').then(m => m.mount(null)).then(() => 'no error', e => String(e))",
    );
    assert!(thrown.as_str().unwrap().contains("DOM element"), "{thrown}");

    // `heading` places an instance under deeper headings; a bad level is a notice, not an error.
    let levels = page.js(
        r#"import('./www/gdviz.js').then(async (m) => {
          const out = [];
          for (const heading of [4, 6, "big", 0]) {
            const el = document.body.appendChild(document.createElement('div'));
            const viz = await m.mount(el, { heading, embed: true });
            const tags = [...el.querySelectorAll('.gdviz-title, .gdviz-subtitle')].map(h => h.tagName);
            out.push({ tags: [...new Set(tags)], notices: viz.notices, shown: el.querySelector('.gdviz-notices').textContent });
            viz.destroy();
            el.remove();
          }
          return out;
        })"#,
    );
    let bad = "heading: expected a level from 1 to 6, got";
    assert_eq!(
        levels[0],
        json!({"tags": ["H4", "H5"], "notices": [], "shown": ""})
    );
    assert_eq!(levels[1]["tags"], json!(["H6"]), "no level below 6");
    for (i, given) in [(2, "big"), (3, "0")] {
        assert_eq!(levels[i]["tags"], json!(["H2", "H3"]), "{}", levels[i]);
        let expected = format!("{bad} '{given}'; using 2");
        assert_eq!(levels[i]["notices"], json!([expected]));
        assert_eq!(levels[i]["shown"], json!(expected), "the notice is shown");
    }
    assert_clean(&page);
}

/// One static build for the tests below, written by `cargo xtask dist`'s code from the current
/// `www/pkg/` into `target/tmp/dist-test/course/gdviz/`.
fn site() -> &'static PathBuf {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = xtask::target_dir().join("tmp").join("dist-test");
        let out = root.join("course").join("gdviz");
        std::fs::create_dir_all(&out).unwrap();
        xtask::dist::site(&out).expect("the static build");
        root
    })
}

#[test]
fn the_static_build_works_from_a_sub_path_under_the_strict_csp() {
    let root = site();
    for (path, mounted) in [("course/gdviz/", 1), ("course/gdviz/example.html", 2)] {
        let server = xtask::serve_with_headers(
            root,
            0,
            false,
            &[("Content-Security-Policy", xtask::STRICT_CSP)],
        )
        .expect("serve the static build");
        let url = format!("{}{path}", server.url());
        let page = Page::open_url(1000, 800, Some(server), &url);
        assert_clean(&page);
        let roots = page.js("document.querySelectorAll('.gdviz canvas.gdviz-overlay').length");
        assert_eq!(roots, json!(mounted), "{path}");
        let api = if mounted == 1 {
            "window.gdviz"
        } else {
            "window.demos[0]"
        };
        let before = page.js(&format!("{api}.state().trajectory.length"));
        page.js(&format!("{api}.set({{ steps: 50 }})"));
        let after = page.js(&format!("{api}.state()"));
        assert_eq!(
            after["trajectory"].as_array().map(Vec::len),
            Some(51),
            "{path}: {before}"
        );
        assert_clean(&page);
    }
}

#[test]
fn the_single_file_works_from_a_file_url() {
    // Alone in its folder: nothing beside it to load.
    let dir = xtask::target_dir().join("tmp").join("single-test");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("gdviz.html");
    std::fs::copy(site().join("course/gdviz/gdviz.html"), &file).unwrap();
    let url = format!("file://{}", file.display());
    let page = Page::open_url(1000, 800, None, &url);
    assert_clean(&page);
    let s = page.js("window.gdviz.set({ surface: 'booth', lr: 0.2, steps: 100 }).then(() => window.gdviz.state())");
    assert_eq!(s["surface"], "booth");
    assert_eq!(
        s["status"], "diverged",
        "γ = 0.2 > 2/18 diverges on Booth: {}",
        s["status"]
    );
    // The plot was drawn: the background holds the heatmap's colours, not a blank canvas.
    let coloured = page.js(
        r#"(() => {
          const c = document.getElementById('bg');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4 * 97) if (d[i + 3] > 0 && (d[i] !== d[i + 1] || d[i + 1] !== d[i + 2])) n++;
          return n;
        })()"#,
    );
    assert!(
        coloured.as_u64().unwrap() > 500,
        "background pixels in colour: {coloured}"
    );
    assert_clean(&page);
}
