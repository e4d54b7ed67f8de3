//! A course page's own stylesheet leaves a mounted gdviz alone: with Bootstrap (npm's, as in
//! Moodle and many course sites) added to the page after gdviz's stylesheet, every element of
//! three mounted instances and a `<gd-viz>` element keeps its box, font and colour.

mod common;

use std::path::Path;

use common::Page;
use serde_json::{json, Value};

/// Mounts three instances into fixed-width hosts (a lesson wide enough for the two-column
/// layout, a narrow race, a dataset with its data view) and adds a `<gd-viz>` element (embedded,
/// focused controls), and sets `window.measure` to a function listing every element's box
/// relative to its instance, with its font and colours.
const SETUP: &str = r#"import('./www/gdviz.js').then(async (m) => {
  const host = (width) => {
    const el = document.body.appendChild(document.createElement('div'));
    el.style.width = `${width}px`;
    return el;
  };
  window.hosted = [
    await m.mount(host(1100), { lesson: 'overshoot' }),
    await m.mount(host(600), {
      surface: 'rosenbrock',
      race: [{ optimizer: 'sgd', lr: 0.001 }, { optimizer: 'adam', lr: 0.01 }],
    }),
    await m.mount(host(800), { surface: 'logistic-regression', variant: 'minibatch' }),
  ];
  await import('./www/gd-viz.js');
  const el = document.createElement('gd-viz');
  for (const [name, value] of [['surface', 'booth'], ['lr', '0.105'], ['controls', 'lr,player'], ['embed', '']]) {
    el.setAttribute(name, value);
  }
  el.style.width = '700px';
  document.body.appendChild(el);
  window.hosted.push(await el.ready);
  window.measure = () => [...document.querySelectorAll('.gdviz')].slice(-4).flatMap((root, i) => {
    const r0 = root.getBoundingClientRect();
    const px = (v) => Math.round(v * 2) / 2;
    return [...root.querySelectorAll('*')].map((el) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      if (r.width === 0 && r.height === 0) return `${i} ${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} not rendered`;
      const name = `${i} ${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.classList.length ? '.' + [...el.classList].join('.') : ''}`;
      return `${name} [${px(r.left - r0.left)}, ${px(r.top - r0.top)}, ${px(r.width)} x ${px(r.height)}] `
        + `${s.fontFamily.split(',')[0]} ${s.fontSize} ${s.fontWeight} ${s.lineHeight} ${s.color} ${s.backgroundColor} ${s.textTransform}`;
    });
  });
  return window.hosted.map((h) => h.notices.length === 0).filter(Boolean).length;
})"#;

#[test]
fn bootstrap_on_the_host_page_changes_nothing_inside_gdviz() {
    let css = xtask::find_bootstrap_css().unwrap_or_else(|e| panic!("bootstrap: {e}"));
    let root = xtask::repo_root();
    let href = format!(
        "/{}",
        css.strip_prefix(&root)
            .unwrap_or_else(|_| panic!("{} is not under the repository", css.display()))
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    );
    assert!(Path::new(&root).join(&href[1..]).is_file(), "{href}");

    let server = xtask::serve(&root, 0).expect("serve the repository");
    let url = format!("{}example.html", server.url());
    let page = Page::open_url(1280, 900, Some(server), &url);
    assert_eq!(page.js(SETUP), json!(4));
    let frames =
        "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))";
    page.js(frames);
    let before = page.js("window.measure()");

    // Bootstrap after gdviz's stylesheet: where specificity ties, the host wins.
    let added = page.js(&format!(
        r#"new Promise((resolve, reject) => {{
          const link = document.createElement('link');
          link.rel = 'stylesheet';
          link.href = '{href}';
          link.onload = () => resolve(document.styleSheets.length);
          link.onerror = () => reject(new Error('bootstrap did not load'));
          document.head.appendChild(link);
        }})"#
    ));
    assert!(added.as_u64().is_some_and(|n| n >= 3), "{added}");
    page.js(frames);
    let after = page.js("window.measure()");

    let (before, after) = (lines(&before), lines(&after));
    assert!(
        before.len() > 300,
        "only {} elements measured",
        before.len()
    );
    assert_eq!(before.len(), after.len(), "elements appeared or vanished");
    let changed: Vec<String> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b != a)
        .map(|(b, a)| format!("  {b}\n→ {a}"))
        .collect();
    assert!(
        changed.is_empty(),
        "Bootstrap changed {} of {} elements, e.g.:\n{}",
        changed.len(),
        before.len(),
        changed[..changed.len().min(12)].join("\n")
    );
    let problems = page.problems();
    assert!(problems.is_empty(), "the page reported: {problems:#?}");
}

fn lines(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected a list, got {v}"))
        .iter()
        .map(|l| l.as_str().expect("a line").to_string())
        .collect()
}
