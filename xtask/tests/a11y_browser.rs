//! Accessibility in headless Chromium: the axe-core audit (WCAG 2.1 A/AA and best practices) of
//! every view of the page, the keyboard alone (real Tab, arrow, Enter and Space presses through
//! the DevTools protocol), touch (emulated touch events), the plot's text alternative and
//! `prefers-reduced-motion`.
//!
//! Needs `cargo xtask build` first; axe-core is installed from npm into `target/tools/` on first
//! use (`xtask::find_axe`).

use std::sync::OnceLock;

use headless_chrome::protocol::cdp::{Emulation, Input};
use serde_json::{json, Value};

mod common;

use common::*;

/// `axe.min.js`, read once per test binary.
fn axe_source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = xtask::find_axe().unwrap_or_else(|e| panic!("axe-core: {e}"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    })
}

/// Runs axe on the whole document (WCAG 2.0/2.1 A and AA rules and best practices) and returns
/// one line per violation: rule, impact, help and the nodes it found.
fn audit(page: &Page) -> Vec<String> {
    if page.js("typeof window.axe") != json!("object") {
        page.tab
            .evaluate(axe_source(), false)
            .expect("inject axe-core");
    }
    // Let pending frames and layout settle first.
    page.js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
    let violations = page.js(
        r#"axe.run(document, {
          resultTypes: ['violations'],
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
        }).then(r => r.violations.map(v => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map(n => n.target.join(' ') + (n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ')})` : '')),
        })))"#,
    );
    violations
        .as_array()
        .expect("axe's violations")
        .iter()
        .map(|v| {
            let nodes: Vec<&str> = v["nodes"]
                .as_array()
                .map(|n| n.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            format!(
                "{} ({}): {} — {} node(s):\n      {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or("?"),
                nodes.len(),
                nodes.join("\n      ")
            )
        })
        .collect()
}

/// Emulates media features, e.g. `[("prefers-color-scheme", "dark")]`.
fn emulate_media(page: &Page, features: &[(&str, &str)]) {
    let features: Vec<Value> = features
        .iter()
        .map(|(name, value)| json!({ "name": name, "value": value }))
        .collect();
    let media: Emulation::SetEmulatedMedia =
        serde_json::from_value(json!({ "media": "", "features": features })).unwrap();
    page.tab.call_method(media).expect("emulate media features");
}

fn assert_no_violations(findings: &[(String, Vec<String>)]) {
    let failed: Vec<String> = findings
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(view, v)| format!("{view}:\n  {}", v.join("\n  ")))
        .collect();
    assert!(
        failed.is_empty(),
        "axe-core found violations:\n{}",
        failed.join("\n")
    );
}

#[test]
fn axe_finds_no_violations_in_any_view() {
    let mut findings = Vec::new();

    let page = Page::open(1280, 800);
    findings.push(("default page, 1280×800".to_string(), audit(&page)));

    emulate_media(&page, &[("prefers-color-scheme", "dark")]);
    page.js("new Promise(r => setTimeout(r, 50))");
    findings.push(("dark mode".to_string(), audit(&page)));
    emulate_media(&page, &[]);

    page.js(
        "window.gdviz.set({ surface: 'logistic-regression', variant: 'minibatch', batch: 10 })",
    );
    findings.push((
        "dataset surface with the data view".to_string(),
        audit(&page),
    ));

    page.js("window.gdviz.set({ surface: 'rosenbrock', race: [{ optimizer: 'sgd', lr: 0.001 }, { optimizer: 'adam', lr: 0.05 }, { optimizer: 'momentum', lr: 0.001 }] })");
    findings.push(("race of three".to_string(), audit(&page)));

    page.js("window.gdviz.set({ race: [] })");
    page.js("document.getElementById('view3d-toggle').click()");
    findings.push(("3D view".to_string(), audit(&page)));
    page.assert_healthy();
    drop(page);

    let page = Page::open_at(1280, 800, "?lesson=saddle");
    findings.push(("lesson box".to_string(), audit(&page)));
    page.assert_healthy();
    drop(page);

    let page = Page::open_at(360, 740, "?embed=1&controls=lr,optimizer");
    findings.push((
        "embed, 360 px, controls=lr,optimizer".to_string(),
        audit(&page),
    ));
    emulate_media(&page, &[("prefers-color-scheme", "dark")]);
    findings.push(("embed, 360 px, dark".to_string(), audit(&page)));
    page.assert_healthy();
    drop(page);

    let page = Page::open_at(360, 740, "?embed=1");
    page.js("document.getElementById('controls-toggle').click()");
    findings.push(("embed, 360 px, settings open".to_string(), audit(&page)));
    page.assert_healthy();
    drop(page);

    let server = xtask::serve(&xtask::repo_root(), 0).expect("serve the repository");
    let url = format!("{}example.html", server.url());
    let page = Page::open_url(1000, 900, Some(server), &url);
    findings.push((
        "example.html, two mounted instances".to_string(),
        audit(&page),
    ));
    assert_eq!(
        page.problems(),
        Vec::<String>::new(),
        "example.html reported problems"
    );

    assert_no_violations(&findings);
}
