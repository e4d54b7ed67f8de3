// The Embed dialog: the state shown as the four ways to put it in a course page — a link, an
// iframe (its height measured by loading it), a <gd-viz> element and a mount() call — each with
// Copy, and a choice of the control groups students keep, so a teacher builds a focused exercise
// by clicking. Text only: every value comes from the app's own link, which the core wrote.

/** The width an embed is measured at: a course page's text column. */
const MEASURE_WIDTH = 720;
/** How long a measurement may take before the snippet keeps its estimate. */
const MEASURE_TIMEOUT = 10000;
/** The height when none was measured: the README's iframe snippet's. */
const FALLBACK_HEIGHT = 860;
/** Page keys the dialog writes itself (the rest of the link is the state). */
const OWN_KEYS = ["embed", "controls", "origin"];

/** `text` safe inside an HTML attribute value in double quotes. */
function escapeAttr(text) {
  return text.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** `text` safe inside a <script> element (no `</script>` can end it early). */
function escapeScript(text) {
  return text.replaceAll("</", "<\\/");
}

export class EmbedBox {
  /** `app` is the instance (its elements, link and groups); `groups` the control groups. */
  constructor(app, groups) {
    this.app = app;
    this.groups = groups;
    this.heights = new Map();
    this.measuring = null;
    const $ = (id) => app.$(id);
    const boxes = $("embed-groups");
    for (const g of groups) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = g;
      box.addEventListener("change", app.guard(() => this.sync()));
      label.append(box, ` ${g}`);
      boxes.append(label);
    }
    $("show-embed").addEventListener("click", app.guard(() => this.toggle()));
    $("close-embed").addEventListener("click", app.guard(() => this.toggle(false)));
    for (const kind of ["link", "iframe", "element", "mount"]) {
      $(`copy-embed-${kind}`).addEventListener("click", app.guard(() => this.copy(kind)));
    }
  }

  /** Shows (or with `open` false, hides) the dialog; shown, it follows every change. */
  toggle(open = this.app.$("embed-box").hidden) {
    this.app.$("embed-box").hidden = !open;
    this.app.$("show-embed").setAttribute("aria-expanded", String(open));
    if (open) this.sync();
  }

  /** The groups checked; all of them means no `controls=` at all. */
  kept() {
    const boxes = [...this.app.$("embed-groups").querySelectorAll("input")];
    const on = boxes.filter((b) => b.checked).map((b) => b.value);
    return on.length === boxes.length || on.length === 0 ? [] : on;
  }

  /** The app's address and the state's query pairs, without the keys the dialog writes. */
  parts() {
    const link = this.app.link();
    const [base, query = ""] = link.split("?");
    const params = new URLSearchParams(query);
    for (const k of OWN_KEYS) params.delete(k);
    return { base, pairs: [...params.entries()] };
  }

  /** Every snippet for the state now. */
  snippets() {
    const { base, pairs } = this.parts();
    const kept = this.kept();
    const query = (extra) => {
      const p = new URLSearchParams(extra);
      for (const [k, v] of pairs) p.append(k, v);
      if (kept.length) p.append("controls", kept.join(","));
      const text = p.toString().replaceAll("%2C", ",");
      return text ? `?${text}` : "";
    };
    const www = new URL("www/", base).href;
    const src = `${base}${query([["embed", "1"]])}`;
    const height = this.heights.get(src);
    const attrs = pairs.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join("")
      + (kept.length ? ` controls="${kept.join(",")}"` : "");
    const options = Object.fromEntries(pairs);
    if (kept.length) options.controls = kept.join(",");
    options.embed = true;
    return {
      src,
      measured: height !== undefined,
      link: `${base}${query([])}`,
      iframe: `<iframe src="${escapeAttr(src)}" width="100%" height="${height ?? FALLBACK_HEIGHT}" style="border: 0" title="gdviz: gradient descent, step by step" loading="lazy"></iframe>`,
      element: `<script type="module" src="${escapeAttr(www)}gd-viz.js"></script>\n<gd-viz${attrs} embed></gd-viz>`,
      mount: `<div id="gdviz-demo"></div>\n<script type="module">\n  import { mount } from "${escapeScript(www)}gdviz.js";\n  mount(document.getElementById("gdviz-demo"), ${escapeScript(JSON.stringify(options))});\n</script>`,
    };
  }

  /** Writes the snippets, and measures the iframe's height where it is not known yet. */
  sync() {
    const $ = (id) => this.app.$(id);
    if ($("embed-box").hidden) return;
    const s = this.snippets();
    for (const kind of ["link", "iframe", "element", "mount"]) {
      if ($(`embed-${kind}`).value !== s[kind]) $(`embed-${kind}`).value = s[kind];
    }
    const note = s.measured
      ? `Height measured at ${MEASURE_WIDTH} px wide: the embed's content without scrolling.`
      : `Measuring the height at ${MEASURE_WIDTH} px wide…`;
    if ($("embed-height").textContent !== note) $("embed-height").textContent = note;
    if (!s.measured) this.measure(s.src);
  }

  /** Loads `src` in a hidden iframe and keeps the height its content reports once it fits: the
   * embed's plot is capped by the frame's own height (70vh), so the frame grows to each height
   * reported until the content no longer grows with it. */
  measure(src) {
    if (this.measuring?.src === src) return;
    this.measuring?.stop();
    const frame = document.createElement("iframe");
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    frame.className = "gdviz-measure-frame";
    frame.width = String(MEASURE_WIDTH);
    frame.height = "400";
    let last = null;
    let settle = 0;
    const done = (height) => {
      stop();
      this.heights.set(src, height);
      this.sync();
    };
    const onMessage = (e) => {
      if (e.source !== frame.contentWindow || !e.data || e.data.type !== "gdviz:height") return;
      if (!Number.isFinite(e.data.height)) return;
      last = Math.ceil(e.data.height);
      clearTimeout(settle);
      if (last > Number(frame.height)) {
        // Grown to fit, the content may grow again (its plot follows the frame's height):
        // wait for its next report, or for a while without one.
        frame.height = String(last);
        settle = setTimeout(() => done(last), 2000);
      } else {
        settle = setTimeout(() => done(last), 600);
      }
    };
    const timer = setTimeout(() => done(last ?? FALLBACK_HEIGHT), MEASURE_TIMEOUT);
    const stop = () => {
      clearTimeout(timer);
      clearTimeout(settle);
      window.removeEventListener("message", onMessage);
      frame.remove();
      if (this.measuring?.src === src) this.measuring = null;
    };
    this.measuring = { src, stop };
    window.addEventListener("message", onMessage);
    frame.src = src;
    this.app.root.append(frame);
  }

  /** Copies one snippet; where the clipboard is refused, selects it for Ctrl+C. */
  async copy(kind) {
    const area = this.app.$(`embed-${kind}`);
    const button = this.app.$(`copy-embed-${kind}`);
    try {
      await navigator.clipboard.writeText(area.value);
      button.textContent = "Copied";
    } catch (e) {
      area.focus();
      area.select();
      button.textContent = "Press Ctrl+C";
    }
    setTimeout(() => { button.textContent = "Copy"; }, 2000);
  }

  /** Stops a measurement in progress (the instance is going away). */
  destroy() {
    this.measuring?.stop();
  }
}
