//! The ways into a course page, in a real browser: two instances mounted on one page and a
//! `<gd-viz>` element (`example.html`, through `www/gdviz.js` and `www/gd-viz.js`), the static build served from a sub-path under the
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
    assert_eq!(refs["roots"], json!(4), "{refs}");
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
            "H3 demo-lr gdviz-subtitle",
            "H3 demo-lr gdviz-subtitle",
            "H2 demo-race gdviz-title",
            "H3 demo-race gdviz-subtitle",
            "H3 demo-race gdviz-subtitle",
            "H3 demo-race gdviz-subtitle",
            "H3 demo-race gdviz-subtitle",
            "H2 demo-element gdviz-title",
            "H3 demo-element gdviz-subtitle",
            "H3 demo-element gdviz-subtitle",
            "H3 demo-element gdviz-subtitle",
            "H3 demo-element gdviz-subtitle",
            "H2 demo-quiz gdviz-title",
            "H3 demo-quiz gdviz-subtitle",
            "H3 demo-quiz gdviz-subtitle",
            "H3 demo-quiz gdviz-subtitle",
            "H3 demo-quiz gdviz-subtitle",
        ]),
    );

    let a0 = demo_state(&page, 0);
    let b0 = demo_state(&page, 1);
    assert_eq!(a0["surface"], "booth");
    assert_eq!(a0["lr"], 0.05);
    assert_eq!(b0["runs"].as_array().map(Vec::len), Some(2), "{b0}");
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

    // The exercise element: a real click on "No", the run plays, and the page's listener
    // counts the verdict (γ = 0.105 is stable but needs 165 steps, not 100).
    let centre = |selector: &str| {
        let r = page.js(&format!(
            "(() => {{ const e = document.querySelector({selector:?}); e.scrollIntoView({{ block: 'center' }}); \
             const r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; }})()"
        ));
        (r[0].as_f64().unwrap(), r[1].as_f64().unwrap())
    };
    let (x, y) = centre("#demo-quiz .gdviz-exercise-choices button:nth-child(2)");
    click(&page, x, y);
    let score = page.js(
        "new Promise((r) => { const f = () => { const t = document.getElementById('demo-quiz-score').textContent; \
         if (t.includes(' of ')) r(t); else setTimeout(f, 50); }; f(); })",
    );
    assert!(
        score.as_str().unwrap().starts_with(
            "1 of 1 answers right. Last: right (It has not converged in its 100 steps"
        ),
        "{score}"
    );
    assert_eq!(
        demo_state(&page, 0)["start"],
        a1["start"],
        "the quiz changed another instance"
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
    for (path, mounted) in [("course/gdviz/", 1), ("course/gdviz/example.html", 4)] {
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

/// The README's iframe snippet: its `src` query (after `/gdviz/`) and its `height`.
fn readme_snippet() -> (String, f64) {
    let readme = std::fs::read_to_string(xtask::repo_root().join("README.md")).unwrap();
    let at = readme
        .find("<iframe src=\"")
        .expect("an iframe snippet in README.md");
    let tag = &readme[at..at + readme[at..].find("</iframe>").unwrap()];
    let src = tag.split('"').nth(1).unwrap();
    let query = src
        .split_once("/gdviz/")
        .expect("src under /gdviz/")
        .1
        .to_string();
    let height = tag
        .split("height=\"")
        .nth(1)
        .and_then(|h| h.split('"').next())
        .and_then(|h| h.parse().ok())
        .expect("a height in the snippet");
    (query, height)
}

#[test]
fn an_embedded_page_reports_its_height_and_the_readme_snippet_fits() {
    let (query, height) = readme_snippet();
    assert!(query.starts_with("?embed=1"), "{query}");
    // A host page (the example page) with the README's iframe, 700 px wide, listening.
    let page = Page::open_at(1000, 1200, "example.html");
    let v = page.js(&format!(
        r#"new Promise((resolve) => {{
          const f = document.createElement('iframe');
          f.src = 'index.html{query}';
          f.width = '700'; f.height = '{height}'; f.style.border = '0';
          const heights = [];
          window.addEventListener('message', (e) => {{
            if (e.source !== f.contentWindow || !e.data || e.data.type !== 'gdviz:height') return;
            heights.push(e.data.height);
          }});
          document.body.appendChild(f);
          const check = () => {{
            const d = f.contentDocument;
            if (!d || !d.body || d.body.dataset.ready !== '1' || heights.length === 0) return setTimeout(check, 50);
            setTimeout(() => resolve({{
              heights,
              content: Math.ceil(d.documentElement.getBoundingClientRect().height),
              scroll: d.documentElement.scrollHeight,
              inner: f.clientHeight,
              status: d.getElementById('status').getBoundingClientRect().bottom,
            }}), 300);
          }};
          check();
        }})"#
    ));
    let last = v["heights"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .as_f64()
        .unwrap();
    assert_eq!(
        last,
        v["content"].as_f64().unwrap(),
        "the last height posted is the content's: {v}"
    );
    assert!(
        last <= height,
        "README's iframe ({height} px) is shorter than its content at 700 px: {v}"
    );
    assert!(
        v["scroll"].as_f64().unwrap() <= v["inner"].as_f64().unwrap(),
        "the frame scrolls: {v}"
    );
    assert!(
        v["status"].as_f64().unwrap() <= height,
        "the status is hidden: {v}"
    );
    // Not in a frame: nothing is posted (the page is its own parent).
    let alone = Page::open_at(700, 900, &query);
    alone.js("(() => { window.__posted = []; addEventListener('message', (e) => window.__posted.push(e.data)); })()");
    alone.js("window.gdviz.set({ steps: 30 })");
    alone.js("new Promise(r => setTimeout(r, 200))");
    assert_eq!(alone.js("window.__posted"), json!([]));
    assert_clean(&page);
}

#[test]
fn destroy_removes_the_instance_and_its_handle_says_so() {
    let page = Page::open_at(1000, 900, "example.html");
    let v = page.js(
        r#"(async () => {
          const el = document.getElementById('demo-lr');
          const h = window.demos[0];
          h.destroy();
          h.destroy();
          const out = { children: el.childElementCount, classes: el.className };
          try { h.state(); out.state = 'returned'; } catch (e) { out.state = e.message; }
          try { await h.set({ lr: 0.01 }); out.set = 'resolved'; } catch (e) { out.set = e.message; }
          try { h.csv(); out.csv = 'returned'; } catch (e) { out.csv = e.message; }
          // The other instance goes on.
          await window.demos[1].set({ steps: 40 });
          out.other = window.demos[1].state().trajectory.length;
          await new Promise(r => setTimeout(r, 300));
          return out;
        })()"#,
    );
    assert_eq!(v["children"], json!(0), "{v}");
    assert!(!v["classes"].as_str().unwrap().contains("gdviz"), "{v}");
    for k in ["state", "set", "csv"] {
        assert!(v[k].as_str().unwrap().contains("destroyed"), "{k}: {v}");
    }
    assert_eq!(v["other"], json!(41));
    assert_clean(&page);
}

#[test]
fn an_embedded_lesson_shows_its_text_and_folds_it() {
    let page = Page::open_at(400, 800, "?embed=1&lesson=momentum");
    let shown = |page: &Page| {
        page.js(
            "(() => { const t = document.getElementById('lesson-text'); \
             return { title: document.getElementById('lesson-title').textContent, \
             text: t.checkVisibility() && t.getBoundingClientRect().height > 10, \
             width: document.documentElement.scrollWidth }; })()",
        )
    };
    let v = shown(&page);
    assert_eq!(v["title"], json!("Momentum on Rosenbrock"), "{v}");
    assert_eq!(v["text"], json!(true), "{v}");
    assert_eq!(v["width"], json!(400), "{v}");
    page.js("document.querySelector('#lesson-details summary').click()");
    assert_eq!(shown(&page)["text"], json!(false));
    assert_clean(&page);
}

#[test]
fn nothing_overflows_at_320_pixels_and_the_plot_takes_the_width() {
    for query in [
        "?surface=linear-regression",
        "?lesson=momentum",
        "?embed=1&surface=booth&lr=0.105&controls=lr",
        "?embed=1&surface=linear-regression",
    ] {
        let page = Page::open_at(320, 700, query);
        let v = page.js(
            "(() => { const box = document.getElementById('plot-box').getBoundingClientRect(); \
             const s = window.gdviz.state(); \
             return { scroll: document.documentElement.scrollWidth, box: box.width, plot: s.plot.width }; })()",
        );
        assert_eq!(v["scroll"], json!(320), "{query}: {v}");
        let (box_w, plot) = (v["box"].as_f64().unwrap(), v["plot"].as_f64().unwrap());
        assert!(
            plot >= 0.6 * box_w,
            "{query}: the plot is {plot} of {box_w} px: {v}"
        );
        assert_clean(&page);
    }
}

#[test]
fn pages_opened_from_a_file_url_say_why_they_cannot_start() {
    let dir = site().join("course/gdviz");
    let message = |page: &str| {
        let url = format!("file://{}", dir.join(page).display());
        let browser = common::browser();
        let tab = browser.new_tab().expect("a tab");
        tab.navigate_to(&url)
            .and_then(|t| t.wait_until_navigated())
            .expect("load");
        let text = tab
            .evaluate(
                "new Promise(r => setTimeout(() => { const b = document.getElementById('boot-error'); \
                 r(b && !b.hidden ? b.textContent : ''); }, 300))",
                true,
            )
            .expect("read the message")
            .value
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        let _ = tab.close(false);
        text
    };
    let index = message("index.html");
    assert!(
        index.contains("file://") && index.contains("gdviz.html"),
        "{index:?}"
    );
    assert_eq!(message("example.html"), index);
}

/// A real click at the centre of the element `selector` (scrolled into view first).
fn click_on(page: &Page, selector: &str) {
    let r = page.js(&format!(
        "(() => {{ const e = document.querySelector({selector:?}); \
         e.scrollIntoView({{ block: 'center' }}); const r = e.getBoundingClientRect(); \
         return [r.left + r.width / 2, r.top + r.height / 2]; }})()"
    ));
    click(page, r[0].as_f64().unwrap(), r[1].as_f64().unwrap());
}

/// Waits (up to 20 s) until `expr` is true in the page.
fn wait_for(page: &Page, expr: &str, what: &str) {
    let start = std::time::Instant::now();
    while page.js(expr) != json!(true) {
        assert!(start.elapsed().as_secs() < 20, "never: {what}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// The Embed dialog as a teacher uses it: from the state shown, with two control groups kept
/// by real clicks, the link, the iframe, the element and the mount() call each carry that state
/// and those controls; the iframe's height is measured, so its content fits without scrolling;
/// and the element and the mount() call, put in a course page, show the same state.
#[test]
fn the_embed_dialog_writes_what_a_course_page_needs() {
    let page = Page::open_at(1280, 1000, "?surface=booth&optimizer=adam&lr=0.1&steps=50");
    click_on(&page, "#show-embed");
    assert_eq!(
        page.js("[document.getElementById('show-embed').getAttribute('aria-expanded'), document.getElementById('embed-box').hidden]"),
        json!(["true", false])
    );
    let groups = page.js("[...document.querySelectorAll('#embed-groups input')].map(b => b.value)");
    for g in groups.as_array().unwrap() {
        let g = g.as_str().unwrap();
        if g != "lr" && g != "optimizer" {
            click_on(&page, &format!("#embed-groups input[value={g:?}]"));
        }
    }
    wait_for(
        &page,
        "document.getElementById('embed-height').textContent.startsWith('Height measured')",
        "the iframe's height measured",
    );
    let text = |id: &str| {
        page.js(&format!("document.getElementById({id:?}).value"))
            .as_str()
            .unwrap()
            .to_string()
    };
    let (link, iframe, element, mount) = (
        text("embed-link"),
        text("embed-iframe"),
        text("embed-element"),
        text("embed-mount"),
    );
    for piece in [
        "surface=booth",
        "optimizer=adam",
        "lr=0.1",
        "steps=50",
        "controls=lr,optimizer",
    ] {
        assert!(
            link.contains(piece) && iframe.contains(piece),
            "{piece}: {link} / {iframe}"
        );
    }
    assert!(
        !link.contains("embed=") && iframe.contains("?embed=1&"),
        "{link} / {iframe}"
    );
    for piece in [
        r#"surface="booth""#,
        r#"optimizer="adam""#,
        r#"lr="0.1""#,
        r#"controls="lr,optimizer""#,
        " embed></gd-viz>",
        r#"www/gd-viz.js"></script>"#,
    ] {
        assert!(element.contains(piece), "{piece}: {element}");
    }

    // The iframe in a 720 px column: its content fits the measured height, no scrolling.
    let height: f64 = iframe
        .split("height=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let fit = page.js(&format!(
        r#"new Promise((resolve) => {{
          const host = document.createElement('div');
          host.style.width = '720px';
          host.innerHTML = {iframe:?};
          document.body.append(host);
          const f = host.querySelector('iframe');
          f.loading = 'eager';
          const check = () => {{
            const d = f.contentDocument;
            if (!d || !d.body || d.body.dataset.ready !== '1') return setTimeout(check, 50);
            setTimeout(() => resolve([d.documentElement.scrollHeight, f.clientHeight]), 700);
          }};
          check();
        }})"#
    ));
    assert_eq!(fit[1].as_f64().unwrap(), height, "{fit}");
    assert!(
        fit[0].as_f64().unwrap() <= height,
        "the embed scrolls in its measured height: {fit}"
    );

    // The element and the mount() call, in a course page, show the state and keep the controls.
    let base = page._server.as_ref().expect("served").url();
    let course = Page::open_url(
        1000,
        900,
        None,
        &format!("{base}xtask/tests/pages/course.html"),
    );
    let tag = element.lines().nth(1).unwrap();
    let options = mount
        .split("getElementById(\"gdviz-demo\"), ")
        .nth(1)
        .unwrap()
        .split(");\n</script>")
        .next()
        .unwrap();
    let shown = course.js(&format!(
        r#"(async () => {{
          const box = document.createElement('div');
          box.innerHTML = {tag:?};
          document.querySelector('main').append(box);
          const el = box.querySelector('gd-viz');
          await el.ready;
          const {{ mount }} = await import({:?});
          const div = document.createElement('div');
          document.querySelector('main').append(div);
          const h = await mount(div, {options});
          const pick = (s) => [s.surface, s.optimizer, s.lr, s.steps];
          return [pick(el.state()), pick(h.state()), el.classList.contains('gdviz-focused'), div.classList.contains('gdviz-focused')];
        }})()"#,
        format!("{base}www/gdviz.js")
    ));
    assert_eq!(
        shown,
        json!([
            ["booth", "adam", 0.1, 50],
            ["booth", "adam", 0.1, 50],
            true,
            true
        ])
    );
    assert_clean(&page);
}

/// A real key press: `key` as KeyboardEvent.key names it, with its text when it types one.
fn key(page: &Page, key: &str, code: &str, vk: u32) {
    for kind in ["keyDown", "keyUp"] {
        let mut e = json!({ "type": kind, "key": key, "code": code, "windowsVirtualKeyCode": vk });
        if kind == "keyDown" && key.chars().count() == 1 {
            e["type"] = json!("keyDown");
            e["text"] = json!(key);
        }
        let event: Input::DispatchKeyEvent = serde_json::from_value(e).unwrap();
        page.tab.call_method(event).expect("key event");
    }
}

/// Lecture mode as a lecturer uses it: `present=1` shows the plot filling the screen with the
/// learning rate and the readouts and nothing else; + and − scale γ by 1.25; ? lists the keys and
/// Esc closes them, then leaves the mode; the magnified plot still maps a click to the point
/// under it; a bad value is a notice.
#[test]
fn lecture_mode_fills_the_screen_and_answers_the_lecturers_keys() {
    let page = Page::open_at(1280, 720, "?present=1&surface=booth&lr=0.05&steps=60");
    let shown = |selector: &str| {
        page.js(&format!(
            "getComputedStyle(document.querySelector({selector:?})).display !== 'none'"
        ))
    };
    assert_eq!(
        page.js("document.querySelector('.gdviz').classList.contains('gdviz-present')"),
        json!(true)
    );
    for hidden in [
        ".gdviz-controls",
        ".gdviz-view-bar",
        ".gdviz-charts",
        ".gdviz-top",
    ] {
        assert_eq!(
            shown(hidden),
            json!(false),
            "{hidden} shows in lecture mode"
        );
    }
    for kept in [".gdviz-lr-row", ".gdviz-readouts", ".gdviz-plot-box"] {
        assert_eq!(shown(kept), json!(true), "{kept} is hidden in lecture mode");
    }
    let plot = page.js("document.getElementById('plot-box').getBoundingClientRect().height");
    assert!(
        plot.as_f64().unwrap() > 0.45 * 720.0,
        "the plot is {plot} px tall of 720"
    );
    // Everything fits the screen: no scrolling in a lecture.
    assert!(
        page.js("document.documentElement.scrollHeight")
            .as_f64()
            .unwrap()
            <= 721.0
    );

    key(&page, "+", "Equal", 187);
    page.wait_state("γ × 1.25", |s| s["lr"] == json!(0.0625));
    key(&page, "-", "Minus", 189);
    page.wait_state("γ back", |s| s["lr"] == json!(0.05));

    // A click on the magnified plot's centre puts the start at the centre of the view drawn.
    let at = page.js(
        "(() => { const p = window.gdviz.state().plot; return [p.left + p.width / 2, p.top + p.height / 2]; })()",
    );
    click(&page, at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
    let s = page.js("window.gdviz.state()");
    let view = page.js("(() => { const v = window.gdviz.state().plotView; return [(v.x[0] + v.x[1]) / 2, (v.y[0] + v.y[1]) / 2]; })()");
    for k in 0..2 {
        let (got, want) = (s["start"][k].as_f64().unwrap(), view[k].as_f64().unwrap());
        assert!(
            (got - want).abs() < 0.2,
            "start {} vs the view's centre {view}",
            s["start"]
        );
    }

    key(&page, "?", "Slash", 191);
    assert_eq!(
        page.js("document.getElementById('present-keys').hidden"),
        json!(false)
    );
    key(&page, "Escape", "Escape", 27);
    assert_eq!(
        page.js("document.getElementById('present-keys').hidden"),
        json!(true)
    );
    key(&page, "Escape", "Escape", 27);
    assert_eq!(
        page.js("[document.querySelector('.gdviz').classList.contains('gdviz-present'), document.getElementById('present-toggle').getAttribute('aria-pressed')]"),
        json!([false, "false"])
    );
    assert_eq!(shown(".gdviz-controls"), json!(true));
    assert_clean(&page);

    let bad = Page::open_at(800, 600, "?present=yes");
    let notices = bad.js("document.getElementById('notices').textContent");
    assert!(
        notices.as_str().unwrap().contains("present: expected 1"),
        "{notices}"
    );
    assert_eq!(
        bad.js("document.querySelector('.gdviz').classList.contains('gdviz-present')"),
        json!(false)
    );
}
