//! The typed f(x, y) in headless Chromium, typed with real key presses: Enter (or the Draw
//! button) redraws the plot with the new surface; a bad expression shows its message, with the
//! position, beside the box while the previous plot and state stay.
//!
//! The harness (shared Chromium, `xtask::serve`, readiness, console-error collection) is the one
//! of `common/mod.rs`; needs `cargo xtask build` first and Chromium at `/usr/bin/chromium`.

use std::time::{Duration, Instant};

use headless_chrome::browser::tab::point::Point;
use serde_json::{json, Value};

mod common;

use common::*;

/// A hash of every pixel of the background canvas (heatmap, contours, axes).
const BG_HASH: &str = "(() => { const c = document.getElementById('bg'); \
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
    let h = 0; for (let i = 0; i < d.length; i++) h = (h * 31 + d[i]) >>> 0; return h; })()";

/// The expression box, its error line and the surface menu, as the user sees them.
const EXPR_UI: &str = r#"(() => {
  const box = document.getElementById('expr'), err = document.getElementById('expr-error');
  const menu = document.getElementById('surface');
  return {
    text: box.value, selection: [box.selectionStart, box.selectionEnd],
    focused: document.activeElement === box,
    error: err.hidden || err.getClientRects().length === 0 ? null : err.textContent,
    menu: menu.value, menuText: menu.options[menu.selectedIndex].textContent,
    describe: document.getElementById('describe').textContent,
    viewShown: !document.getElementById('expr-view').hidden,
    xmin: document.getElementById('xmin').value, ymax: document.getElementById('ymax').value,
  };
})()"#;

impl Page {
    /// Clicks the middle of element `id` with the mouse.
    fn click(&self, id: &str) {
        let r = self.js(&format!(
            "(() => {{ const r = document.getElementById('{id}').getBoundingClientRect(); \
             return [r.left + r.width / 2, r.top + r.height / 2]; }})()"
        ));
        let (x, y) = (r[0].as_f64().unwrap(), r[1].as_f64().unwrap());
        self.tab
            .click_point(Point { x, y })
            .unwrap_or_else(|e| panic!("click #{id}: {e}"));
    }

    /// Clicks the text box `id`, selects what it holds and types `text` over it, key by key.
    fn type_into(&self, id: &str, text: &str) {
        self.tab.bring_to_front().expect("bring the tab to front");
        self.click(id);
        assert_eq!(
            self.js("document.activeElement && document.activeElement.id"),
            json!(id),
            "#{id} did not take the focus"
        );
        self.js(&format!("document.getElementById('{id}').select()"));
        self.tab.type_str(text).expect("type");
    }

    fn ui(&self) -> Value {
        self.js(EXPR_UI)
    }
}

/// What must not change when an expression is rejected. (Numbers compare as JSON: whole
/// numbers come back from the page as integers.)
fn essentials(s: &Value) -> Value {
    json!([
        s["surface"],
        s["expr"],
        s["view"],
        s["start"],
        s["trajectory"]
    ])
}

#[test]
fn typing_an_expression_redraws_and_a_bad_one_keeps_the_plot() {
    let page = Page::open(1280, 800);
    let before = page.state();
    let bg0 = page.js(BG_HASH);

    // A good expression, typed and committed with Enter.
    page.type_into("expr", "x^2+10*y^2");
    page.tab.press_key("Enter").expect("press Enter");
    let drawn = page.wait_state("the typed surface", |s| s["surface"] == json!("expr"));
    assert_eq!(drawn["expr"], json!("x^2 + 10*y^2"), "{}", brief(&drawn));
    assert_eq!(drawn["view"], json!({"x": [-3, 3], "y": [-3, 3]}));
    assert_eq!(drawn["trajectory"][0][0], json!(1.5), "{}", brief(&drawn));
    assert_ne!(drawn["trajectory"], before["trajectory"]);
    let bg1 = page.js(BG_HASH);
    assert_ne!(
        bg1, bg0,
        "the background was not redrawn for the typed surface"
    );
    let ui = page.ui();
    assert_eq!(
        ui["text"],
        json!("x^2 + 10*y^2"),
        "the box shows the normalised text: {ui}"
    );
    assert_eq!(ui["error"], Value::Null, "{ui}");
    assert_eq!(ui["menu"], json!("expr"), "{ui}");
    assert_eq!(ui["menuText"], json!("your f(x, y)"), "{ui}");
    assert!(
        ui["describe"].as_str().unwrap().contains("x^2 + 10*y^2"),
        "{ui}"
    );
    assert_eq!(ui["viewShown"], json!(true), "{ui}");
    page.assert_healthy();

    // A bad one: the message with its position beside the box; plot and state unchanged.
    page.type_into("expr", "x^2 + sinn(y)");
    page.tab.press_key("Enter").expect("press Enter");
    let start = Instant::now();
    let ui = loop {
        let ui = page.ui();
        if ui["error"].is_string() || start.elapsed() > Duration::from_secs(5) {
            break ui;
        }
        std::thread::sleep(Duration::from_millis(25));
    };
    let error = ui["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("unknown function 'sinn' at 6..10"),
        "#expr-error: {ui}"
    );
    assert_eq!(
        ui["text"],
        json!("x^2 + sinn(y)"),
        "the bad text stays to be fixed"
    );
    assert_eq!(
        ui["selection"],
        json!([6, 10]),
        "the bad part is selected: {ui}"
    );
    assert_eq!(ui["menu"], json!("expr"), "{ui}");
    assert_eq!(
        essentials(&page.state()),
        essentials(&drawn),
        "the state changed"
    );
    assert_eq!(page.js(BG_HASH), bg1, "the plot changed");
    // Nothing went to the page-wide notices or the fatal error box.
    let notices = page.js("document.getElementById('notices').textContent");
    assert!(!notices.as_str().unwrap().contains("sinn"), "{notices}");
    page.assert_healthy();

    // Fixed and drawn with the button instead of Enter.
    page.type_into("expr", "sin(x)*cos(y)");
    page.click("expr-apply");
    let fixed = page.wait_state("the fixed expression", |s| {
        s["expr"] == json!("sin(x)*cos(y)")
    });
    assert_eq!(page.ui()["error"], Value::Null);
    assert_ne!(page.js(BG_HASH), bg1);
    let dir = xtask::target_dir().join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("expr-1280x800.png"), page.screenshot()).unwrap();
    assert!(fixed["trajectory"].as_array().is_some_and(|t| t.len() > 1));
    page.assert_healthy();
}

#[test]
fn the_view_is_settable_and_a_catalog_surface_leaves_expression_mode() {
    let page = Page::open(1280, 800);
    page.js("window.gdviz.set({expr: 'x^2 - y^2 + 0.1*x^4', xrange: [-6, 6]})");
    let s = page.state();
    assert_eq!(
        s["view"],
        json!({"x": [-6, 6], "y": [-3, 3]}),
        "{}",
        brief(&s)
    );
    assert_eq!(s["xrange"], json!([-6, 6]));
    let ui = page.ui();
    assert_eq!(
        (ui["xmin"].clone(), ui["ymax"].clone()),
        (json!("-6"), json!("3")),
        "{ui}"
    );

    // The view boxes, typed into and committed with Tab.
    let bg = page.js(BG_HASH);
    page.type_into("ymax", "5");
    page.tab.press_key("Tab").expect("press Tab");
    let s = page.wait_state("the new y range", |s| s["view"]["y"] == json!([-3, 5]));
    assert_eq!(s["surface"], json!("expr"));
    assert_ne!(page.js(BG_HASH), bg, "a new view redraws the plot");

    // A bad range: a message beside the box, the view stays.
    page.type_into("xmin", "7");
    page.tab.press_key("Tab").expect("press Tab");
    let start = Instant::now();
    while page.ui()["error"].is_null() && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(25));
    }
    let ui = page.ui();
    assert!(
        ui["error"]
            .as_str()
            .unwrap_or_default()
            .starts_with("xrange: "),
        "{ui}"
    );
    assert_eq!(page.state()["view"]["x"], json!([-6, 6]));
    assert_eq!(
        ui["xmin"],
        json!("-6"),
        "the box goes back to the view in force: {ui}"
    );

    // A catalog surface from the menu: out of expression mode; the menu entry brings it back.
    page.js(
        "(() => { const m = document.getElementById('surface'); m.value = 'booth'; \
         m.dispatchEvent(new Event('change', { bubbles: true })); })()",
    );
    let s = page.wait_state("booth", |s| s["surface"] == json!("booth"));
    assert_eq!(s.get("expr"), None, "{}", brief(&s));
    assert_eq!(page.ui()["viewShown"], json!(false));
    assert_eq!(
        page.ui()["error"],
        Value::Null,
        "a surface change clears the old error"
    );
    page.js(
        "(() => { const m = document.getElementById('surface'); m.value = 'expr'; \
         m.dispatchEvent(new Event('change', { bubbles: true })); })()",
    );
    let s = page.wait_state("the expression again", |s| s["surface"] == json!("expr"));
    assert_eq!(s["expr"], json!("x^2 - y^2 + 0.1*x^4"));
    assert_eq!(s["view"]["x"], json!([-3, 3]), "back to the default view");
    page.assert_healthy();
}
