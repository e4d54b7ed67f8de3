//! Accessibility in headless Chromium: the axe-core audit (WCAG 2.1 A/AA and best practices) of
//! every view of the page, the keyboard alone (real Tab, arrow, Enter and Space presses through
//! the DevTools protocol), touch (emulated touch events), the plot's text alternative and
//! `prefers-reduced-motion`.
//!
//! Needs `cargo xtask build` first; axe-core is installed from npm into `target/tools/` on first
//! use (`xtask::find_axe`).

use std::sync::OnceLock;

use std::time::Duration;

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

/// Writes a screenshot to `target/screenshots/a11y-NAME.png`, to look at.
fn save_screenshot(page: &Page, name: &str) {
    let dir = xtask::target_dir().join("screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    std::fs::write(dir.join(format!("a11y-{name}.png")), page.screenshot())
        .expect("write a screenshot");
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
    save_screenshot(&page, "dark");
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
    save_screenshot(&page, "race");

    page.js("window.gdviz.set({ race: [] })");
    // Network mode (its views, progress and settings), trained, in light and dark.
    page.js("window.gdviz.set({ mode: 'network', steps: 100 })");
    page.js("new Promise(r => { const f = () => (window.gdviz.state().network.training ? setTimeout(f, 50) : r()); f(); })");
    findings.push(("Network mode".to_string(), audit(&page)));
    emulate_media(&page, &[("prefers-color-scheme", "dark")]);
    findings.push(("Network mode, dark".to_string(), audit(&page)));
    emulate_media(&page, &[]);
    // Its loss landscape open, computed to the fine grid.
    page.js("document.getElementById('net-land').open = true");
    page.js(
        "new Promise(r => { const f = () => { const l = window.gdviz.state().network.landscape; \
             return l && l.grid === 96 && !l.computing ? r() : setTimeout(f, 50); }; f(); })",
    );
    findings.push(("Network mode, the landscape".to_string(), audit(&page)));
    emulate_media(&page, &[("prefers-color-scheme", "dark")]);
    findings.push((
        "Network mode, the landscape, dark".to_string(),
        audit(&page),
    ));
    emulate_media(&page, &[]);
    // Its sharpness open and measured, and the next-update table at step 50.
    page.js("document.getElementById('net-land').open = false");
    page.js("document.getElementById('net-sharp').open = true");
    page.js(
        "new Promise(r => { const f = () => { const s = window.gdviz.state().network.sharpness; \
             return s && s.of > 0 && s.measured === s.of && !s.computing ? r() : setTimeout(f, 50); }; f(); })",
    );
    page.js("(() => { const s = document.getElementById('scrub'); s.value = '50'; s.dispatchEvent(new Event('input')); })()");
    findings.push((
        "Network mode, sharpness and the next update".to_string(),
        audit(&page),
    ));
    emulate_media(&page, &[("prefers-color-scheme", "dark")]);
    findings.push((
        "Network mode, sharpness and the next update, dark".to_string(),
        audit(&page),
    ));
    emulate_media(&page, &[]);
    page.js("window.gdviz.set({ mode: 'surfaces', steps: 1000 })");
    page.js("document.getElementById('view3d-toggle').click()");
    findings.push(("3D view".to_string(), audit(&page)));
    emulate_media(&page, &[("prefers-color-scheme", "dark")]);
    findings.push(("3D view, dark".to_string(), audit(&page)));
    page.js("document.getElementById('view3d-toggle').click()");

    // Transient states: playing (the status in its accent colour), a notice, an error under
    // the typed f(x, y); in light and dark.
    page.js("(() => { const s = document.getElementById('speed'); s.value = '0'; s.dispatchEvent(new Event('input')); })()");
    page.js("window.gdviz.set({ surface: 'booth', steps: 1000 })");
    page.js("(() => { document.getElementById('expr').value = 'x^'; document.getElementById('expr-apply').click(); })()");
    page.js("window.gdviz.set({ lr: 'nope' })");
    page.js("document.getElementById('play').click()");
    for scheme in ["dark", "light"] {
        emulate_media(&page, &[("prefers-color-scheme", scheme)]);
        findings.push((
            format!("playing, notice, expression error, {scheme}"),
            audit(&page),
        ));
    }
    assert_eq!(
        page.js("[document.getElementById('status').textContent, document.getElementById('expr-error').hidden, document.getElementById('notices').childElementCount]"),
        json!(["running", false, 1]),
        "the transient states were not all shown"
    );
    page.js("document.getElementById('pause').click()");
    emulate_media(&page, &[]);
    page.problems.lock().unwrap().clear();
    page.assert_healthy();
    drop(page);

    let page = Page::open_at(1280, 800, "?lesson=saddle");
    findings.push(("lesson box".to_string(), audit(&page)));
    // An exercise: asked (the run veiled), then answered wrong (the verdict in red), in light
    // and dark.
    page.js("document.getElementById('lesson-exercise').click()");
    findings.push(("exercise asked".to_string(), audit(&page)));
    page.js("(() => { document.querySelector('#exercise-choices button:nth-child(2)').click(); document.getElementById('exercise-skip').click(); })()");
    for scheme in ["dark", "light"] {
        emulate_media(&page, &[("prefers-color-scheme", scheme)]);
        findings.push((format!("exercise answered, {scheme}"), audit(&page)));
    }
    assert_eq!(
        page.js("document.getElementById('exercise-result').dataset.right"),
        json!("false")
    );
    page.assert_healthy();
    drop(page);

    let page = Page::open_at(360, 740, "?embed=1&controls=lr,optimizer");
    findings.push((
        "embed, 360 px, controls=lr,optimizer".to_string(),
        audit(&page),
    ));
    emulate_media(&page, &[("prefers-color-scheme", "dark")]);
    findings.push(("embed, 360 px, dark".to_string(), audit(&page)));
    save_screenshot(&page, "embed-360-dark");
    page.assert_healthy();
    drop(page);

    let page = Page::open_at(360, 740, "?embed=1");
    page.js("document.getElementById('controls-toggle').click()");
    findings.push(("embed, 360 px, settings open".to_string(), audit(&page)));
    save_screenshot(&page, "embed-360-settings");
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

/// Presses `key` (keyDown then keyUp) on whatever has the focus, as a keyboard would.
fn press(page: &Page, key: &str, shift: bool) {
    let (code, vk, text) = match key {
        "Tab" => ("Tab", 9, ""),
        "Enter" => ("Enter", 13, "\r"),
        " " => ("Space", 32, " "),
        "ArrowLeft" => ("ArrowLeft", 37, ""),
        "ArrowUp" => ("ArrowUp", 38, ""),
        "ArrowRight" => ("ArrowRight", 39, ""),
        "ArrowDown" => ("ArrowDown", 40, ""),
        other => panic!("no key code for {other}"),
    };
    for kind in ["keyDown", "keyUp"] {
        let mut event = json!({
            "type": kind, "key": key, "code": code,
            "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk,
            "modifiers": if shift { 8 } else { 0 },
        });
        if kind == "keyDown" && !text.is_empty() {
            event["text"] = json!(text);
        }
        let event: Input::DispatchKeyEvent = serde_json::from_value(event).unwrap();
        page.tab.call_method(event).expect("key event");
    }
}

/// The focused element: its id (or tag), whether it shows its focus ring and the ring's style.
const FOCUSED: &str = r#"(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const cs = getComputedStyle(el);
  return { id: el.id || el.tagName.toLowerCase(), visible: el.matches(':focus-visible'),
           outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`,
           ring: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2 };
})()"#;

/// Every control a keyboard user should reach, in document order: visible, enabled, focusable.
const CONTROLS: &str = r#"[...document.querySelectorAll('button, select, input, textarea, a[href], [tabindex]')]
  .filter(el => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden')
  .map(el => el.id || el.tagName.toLowerCase())"#;

/// Tabs from the top of the page until the focus leaves the page (or comes back to the first
/// control) and returns each focused element.
fn tab_through(page: &Page) -> Vec<Value> {
    page.js("(document.activeElement && document.activeElement.blur(), window.focus(), true)");
    let mut seen = Vec::new();
    for _ in 0..120 {
        press(page, "Tab", false);
        let focused = page.js(FOCUSED);
        if focused.is_null()
            || seen
                .first()
                .is_some_and(|f: &Value| f["id"] == focused["id"])
        {
            break;
        }
        seen.push(focused);
    }
    seen
}

#[test]
fn every_control_is_reached_by_tab_in_order_with_a_visible_focus_ring() {
    let page = Page::open(1280, 800);
    let expected = page.js(CONTROLS);
    let seen = tab_through(&page);
    let order: Vec<&Value> = seen.iter().map(|f| &f["id"]).collect();
    let expected: Vec<&Value> = expected.as_array().unwrap().iter().collect();
    assert_eq!(
        order, expected,
        "Tab must visit every visible control once, in document order"
    );
    for must in [
        "lr",
        "lr-value",
        "play",
        "pause",
        "step",
        "overlay",
        "optimizer",
        "surface",
    ] {
        assert!(order.contains(&&json!(must)), "Tab never reaches #{must}");
    }
    for f in &seen {
        assert!(
            f["visible"] == json!(true) && f["ring"] == json!(true),
            "no visible focus ring on #{}: {f}",
            f["id"]
        );
    }

    // With the 3D view on, its canvas takes the plot's place in the order.
    page.js("document.getElementById('view3d-toggle').click()");
    let seen = tab_through(&page);
    let order: Vec<&str> = seen.iter().filter_map(|f| f["id"].as_str()).collect();
    let at = order.iter().position(|id| *id == "view3d-toggle").unwrap();
    assert_eq!(order.get(at + 1), Some(&"view3d"), "order: {order:?}");
    assert!(
        !order.contains(&"overlay"),
        "the hidden plot is focusable: {order:?}"
    );
    let ring = &seen[at + 1];
    assert_eq!(
        ring["ring"],
        json!(true),
        "no focus ring on the 3D view: {ring}"
    );
    page.assert_healthy();
}

#[test]
fn the_keyboard_alone_operates_the_slider_the_player_and_the_start() {
    let page = Page::open(1280, 800);
    page.js("window.gdviz.set({ surface: 'booth', optimizer: 'sgd', lr: 0.01, steps: 100 })");

    // The learning-rate slider: arrows change γ, and it announces γ itself, not log₁₀ γ.
    page.js("document.getElementById('lr').focus()");
    let before = num(&page.state()["lr"], "lr");
    press(&page, "ArrowRight", false);
    let after = page.wait_state("lr to rise", |s| s["lr"].as_f64() > Some(before));
    let lr = num(&after["lr"], "lr");
    let text = page.js("document.getElementById('lr').getAttribute('aria-valuetext')");
    let want = page.js(&format!(
        "'learning rate ' + (await import('./www/pkg/gdviz.js')).formatNumber({lr})"
    ));
    assert_eq!(text, want, "the slider's aria-valuetext");
    let slider = page.js("document.getElementById('lr').value");
    assert_ne!(
        text,
        json!(format!("learning rate {}", slider.as_str().unwrap())),
        "the exponent"
    );
    save_screenshot(&page, "focus-slider");
    press(&page, "ArrowLeft", false);
    press(&page, "ArrowLeft", false);
    page.wait_state("lr to fall", |s| s["lr"].as_f64() < Some(before));

    // Enter and Space on the player's buttons.
    let current = || {
        page.js("window.gdviz.state().trajectory.length && document.getElementById('readout-step').textContent")
    };
    page.js("document.getElementById('reset').focus()");
    press(&page, "Enter", false);
    assert_eq!(current(), json!("0 / 100"), "Enter on Reset");
    page.js("document.getElementById('step').focus()");
    press(&page, " ", false);
    assert_eq!(current(), json!("1 / 100"), "Space on Step");
    press(&page, "Enter", false);
    assert_eq!(current(), json!("2 / 100"), "Enter on Step");
    page.js("(() => { const s = document.getElementById('speed'); s.value = '0'; s.dispatchEvent(new Event('input')); })()");
    page.js("document.getElementById('play').focus()");
    press(&page, "Enter", false);
    let status = "document.getElementById('status').textContent";
    assert_eq!(page.js(status), json!("running"), "Enter on Play");
    page.js("document.getElementById('pause').focus()");
    press(&page, " ", false);
    assert_ne!(page.js(status), json!("running"), "Space on Pause");

    // The focused plot: arrows move the start, by 2% of the view (10% with Shift).
    let start = |page: &Page| pair(&page.state()["start"], "start");
    page.js("document.getElementById('overlay').focus()");
    let (x0, y0) = start(&page);
    press(&page, "ArrowRight", false);
    let (x1, y1) = start(&page);
    assert!(
        x1 > x0 && y1 == y0,
        "ArrowRight: ({x0}, {y0}) -> ({x1}, {y1})"
    );
    press(&page, "ArrowUp", true);
    let (x2, y2) = start(&page);
    assert!(
        x2 == x1 && y2 > y1,
        "Shift+ArrowUp: ({x1}, {y1}) -> ({x2}, {y2})"
    );
    let view = page.state()["view"].clone();
    let (ylo, yhi) = pair(&view["y"], "view y");
    assert!(
        ((y2 - y1) / (yhi - ylo) - 0.1).abs() < 1e-9,
        "Shift moves by a tenth of the view: {y1} -> {y2} in {view}"
    );
    for _ in 0..60 {
        press(&page, "ArrowDown", true);
    }
    let (_, y3) = start(&page);
    assert_eq!(y3, ylo, "the start stays inside the view");
    let focused = page.js("document.activeElement.id");
    assert_eq!(focused, json!("overlay"), "the plot keeps the focus");
    page.assert_healthy();
}

#[test]
fn the_plot_has_a_text_alternative_that_follows_the_run() {
    let page = Page::open(1280, 800);
    let summary = r#"(() => {
      const c = document.getElementById('overlay');
      const ids = c.getAttribute('aria-describedby').split(' ');
      return ids.map(id => document.getElementById(id).textContent).join(' ');
    })()"#;
    page.js("window.gdviz.set({ surface: 'booth', optimizer: 'sgd', lr: 0.05, steps: 500 })");
    let text = page.js(summary);
    let text = text.as_str().unwrap();
    for part in [
        "Booth",
        "Gradient descent (SGD)",
        "γ = 0.05",
        "Status: converged at step ",
        "Step ",
    ] {
        assert!(text.contains(part), "summary lacks {part:?}: {text}");
    }
    assert!(text.contains("f = "), "summary lacks the loss: {text}");

    page.js("window.gdviz.set({ lr: 0.12 })");
    let text = page.js(summary);
    assert!(
        text.as_str().unwrap().contains("diverged at step"),
        "after a diverging set: {text}"
    );

    page.js("document.getElementById('reset').click()");
    let text = page.js(summary);
    assert!(
        text.as_str().unwrap().contains("Step 0 of"),
        "after Reset the summary describes the start: {text}"
    );

    page.js("window.gdviz.set({ lr: 0.05, race: [{ optimizer: 'sgd', lr: 0.05 }, { optimizer: 'adam', lr: 0.5 }] })");
    let text = page.js(summary);
    let text = text.as_str().unwrap();
    assert!(
        text.contains("race of 2 runs") && text.contains("Run 2: Adam"),
        "race summary: {text}"
    );
    page.assert_healthy();
}

#[test]
fn reduced_motion_never_animates_by_itself_but_play_still_plays() {
    let page = Page::open(1280, 800);
    emulate_media(&page, &[("prefers-reduced-motion", "reduce")]);
    let still = r#"(async () => {
      const a = window.gdviz.state().trajectory.length;
      const s0 = document.getElementById('readout-step').textContent;
      await new Promise(r => setTimeout(r, 400));
      return { same: s0 === document.getElementById('readout-step').textContent,
               status: document.getElementById('status').textContent,
               animations: document.getAnimations().length,
               transition: getComputedStyle(document.getElementById('play')).transitionDuration, a };
    })()"#;
    let v = page.js(still);
    assert_eq!(v["same"], json!(true), "something moved by itself: {v}");
    assert_ne!(v["status"], json!("running"), "autoplay: {v}");
    assert_eq!(v["animations"], json!(0), "CSS animations running: {v}");
    assert_eq!(v["transition"], json!("0s"), "CSS transitions: {v}");
    // Nor does loading a lesson start playing.
    page.js("window.gdviz.lesson('saddle')");
    let v = page.js(still);
    assert_eq!(v["same"], json!(true), "a lesson autoplays: {v}");

    // Play is the user's choice: it plays.
    page.js("window.gdviz.set({ steps: 400 })");
    page.js("document.getElementById('play').click()");
    std::thread::sleep(Duration::from_millis(300));
    let step = page.js("document.getElementById('readout-step').textContent");
    assert_eq!(
        page.js("document.getElementById('status').textContent"),
        json!("running"),
        "Play under reduced motion"
    );
    assert_ne!(step, json!("0 / 400"), "Play did not advance");
    page.js("document.getElementById('pause').click()");
    page.assert_healthy();
}

/// One finger: down at the first point, through the others, up at the last.
fn touch_drag(page: &Page, points: &[(f64, f64)]) {
    let last = points.len() - 1;
    for (i, (x, y)) in points.iter().enumerate() {
        let kind = if i == 0 { "touchStart" } else { "touchMove" };
        let event: Input::DispatchTouchEvent = serde_json::from_value(json!({
            "type": kind, "touchPoints": [{ "x": x, "y": y, "id": 1 }],
        }))
        .unwrap();
        page.tab.call_method(event).expect("touch event");
        std::thread::sleep(Duration::from_millis(20));
        if i == last {
            let end: Input::DispatchTouchEvent =
                serde_json::from_value(json!({ "type": "touchEnd", "touchPoints": [] })).unwrap();
            page.tab.call_method(end).expect("touch end");
        }
    }
    page.js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
}

#[test]
fn touch_drags_the_start_and_the_learning_rate() {
    let page = Page::open(390, 844);
    let touch: Emulation::SetTouchEmulationEnabled =
        serde_json::from_value(json!({ "enabled": true, "maxTouchPoints": 1 })).unwrap();
    page.tab.call_method(touch).expect("touch emulation");
    page.js("window.gdviz.set({ surface: 'booth', optimizer: 'sgd', lr: 0.01, steps: 100 })");

    // Drag the start on the plot: from the middle towards the lower right.
    page.js("document.getElementById('plot-box').scrollIntoView({ block: 'center' })");
    let plot = page.state()["plot"].clone();
    let (l, t) = (num(&plot["left"], "left"), num(&plot["top"], "top"));
    let (w, h) = (num(&plot["width"], "width"), num(&plot["height"], "height"));
    let (x0, y0) = pair(&page.state()["start"], "start");
    let path: Vec<(f64, f64)> = (0..=8)
        .map(|i| {
            // To 0.85 of the plot: below the start (−6, −6) on Booth's square view however the
            // plot is padded (0.8 would end exactly at y = −6 on a wide plot).
            let f = 0.5 + 0.35 * f64::from(i) / 8.0;
            (l + w * f, t + h * f)
        })
        .collect();
    touch_drag(&page, &path);
    let s = page.wait_state("the start to follow the finger", |s| {
        s["start"][0].as_f64() > Some(x0)
    });
    let (x1, y1) = pair(&s["start"], "start");
    assert!(
        x1 > x0 && y1 < y0,
        "dragging right and down: ({x0}, {y0}) -> ({x1}, {y1})"
    );
    // The plot shows the view padded to equal scales; the finger is over the drawn view.
    let ((vx, vx1), _) = drawn_view(&s);
    let want = vx + (vx1 - vx) * 0.85;
    assert!(
        (x1 - want).abs() < 0.05 * (vx1 - vx),
        "the start ends under the finger: x = {x1}, want ≈ {want}"
    );

    // Drag the learning-rate slider's thumb to the right.
    page.js("document.getElementById('lr').scrollIntoView({ block: 'center' })");
    let r = page.js(
        r#"(() => { const s = document.getElementById('lr'); const r = s.getBoundingClientRect();
          const f = (s.value - s.min) / (s.max - s.min);
          return { x: r.left + 8 + f * (r.width - 16), y: r.top + r.height / 2, width: r.width }; })()"#,
    );
    let (x, y, width) = (num(&r["x"], "x"), num(&r["y"], "y"), num(&r["width"], "w"));
    let lr0 = num(&page.state()["lr"], "lr");
    let path: Vec<(f64, f64)> = (0..=8)
        .map(|i| (x + width * 0.25 * f64::from(i) / 8.0, y))
        .collect();
    touch_drag(&page, &path);
    let s = page.wait_state("γ to rise", |s| s["lr"].as_f64() > Some(lr0 * 2.0));
    let lr = num(&s["lr"], "lr");
    let text = page.js("document.getElementById('lr').getAttribute('aria-valuetext')");
    assert!(
        text.as_str().unwrap().starts_with("learning rate "),
        "after a touch drag to γ = {lr}: {text}"
    );
    page.assert_healthy();
}
