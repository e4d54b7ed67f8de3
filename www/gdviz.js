// gdviz as an ES module for course pages: `mount(element, options)` puts a gradient-descent
// visualizer into `element` and resolves to its handle (`set`, `state`, `link`, `csv`, `png`,
// `destroy`, ...), the same one the full page exposes as `window.gdviz`. Every instance on a page
// shares one WebAssembly module; each has its own state, controls and canvases.
//
//   import { mount } from "https://example.org/gdviz/www/gdviz.js";
//   const viz = await mount(document.querySelector("#demo"), { surface: "booth", lr: 0.1 });
import init, { catalog } from "./pkg/gdviz.js";
import { App, PAGE_KEYS } from "./app.js";
import { MARKUP } from "./markup.js";
import { isRecord, snapshot } from "./snapshot.js";

/** The full app, which links made by mounted instances open: the folder above this module (in
 * a bundle, where the module has no address of its own, the page itself). */
function home() {
  try {
    return new URL("../", import.meta.url).href;
  } catch (e) {
    return location.href.split(/[?#]/)[0];
  }
}

/** Mount-only options: they configure the instance, are not part of the state, and are not
 * taken from a link's query. */
const MOUNT_KEYS = ["url", "heading"];

let ready = null;
/** Where the wasm module comes from: `undefined` fetches `pkg/gdviz_bg.wasm` beside the JS. */
let source;
let count = 0;
const live = new Set();

/** Loads and instantiates the wasm module once for every instance. */
function load() {
  ready ??= init(source === undefined ? undefined : { module_or_path: source }).catch((e) => {
    ready = null;
    throw new Error(`the WebAssembly module failed to load (${e.message || e})`);
  });
  return ready;
}

/** Uses `bytes` (the wasm module's bytes) instead of fetching it: for bundles that inline it.
 * Call it before the first `mount()`. */
export function useWasm(bytes) {
  source = bytes;
}

/** A wasm trap leaves the shared module unusable: every instance says so, once. */
function stopAll(error) {
  for (const app of live) if (!app.stopped) app.fatal(error, false);
  console.error(error);
}

/** The level of the instance's title: `heading` if it is 1 to 6, else 1 for the page and 2 for
 * a mounted instance (under the course page's own h1), with a notice for a bad value. */
function headingLevel(heading, url) {
  const fallback = url ? 1 : 2;
  if (heading === undefined) return { level: fallback, notices: [] };
  const plain = typeof heading === "number" || typeof heading === "string";
  const n = plain ? Number(heading) : NaN;
  if (Number.isInteger(n) && n >= 1 && n <= 6) return { level: n, notices: [] };
  const got = plain ? `'${String(heading).slice(0, 40)}'` : (heading === null ? "null" : typeof heading);
  return {
    level: fallback,
    notices: [`heading: expected a level from 1 to 6, got ${got}; using ${fallback}`],
  };
}

/** Elements that cannot hold an instance's markup (no children, or children not shown). */
const NOT_CONTAINERS = ["template", "iframe", "canvas", "img", "video", "audio", "object", "embed",
  "input", "textarea", "select", "br", "hr", "area", "base", "col", "link", "meta", "source",
  "track", "wbr", "script", "style", "svg", "math"];

/** The handle of the instance mounted in each element: mounting again replaces it. */
const mounted = new WeakMap();

/** `el` as an element named `tag`, with the same attributes and content. */
function retag(el, tag) {
  const out = document.createElement(tag);
  for (const a of el.attributes) out.setAttribute(a.name, a.value);
  out.append(...el.childNodes);
  el.replaceWith(out);
}

/** Gives `root` the widget's markup with its title at heading `level` (its sections one below),
 * each id prefixed with `prefix`, and every attribute that refers to ids (label `for`,
 * `aria-*`) rewritten to match. */
function build(root, prefix, n, level) {
  root.classList.add("gdviz");
  root.innerHTML = MARKUP;
  if (level !== 1) {
    retag(root.querySelector(".gdviz-title"), `h${level}`);
    for (const el of root.querySelectorAll(".gdviz-subtitle")) retag(el, `h${Math.min(level + 1, 6)}`);
  }
  if (!prefix) return;
  // Landmarks of several instances need names of their own for screen readers' lists.
  for (const el of root.querySelectorAll("section[aria-label], nav[aria-label], aside[aria-label]")) {
    el.setAttribute("aria-label", `${el.getAttribute("aria-label")} (gdviz ${n})`);
  }
  for (const el of root.querySelectorAll("[id]")) el.id = prefix + el.id;
  for (const attr of ["for", "aria-controls", "aria-describedby", "aria-labelledby"]) {
    for (const el of root.querySelectorAll(`[${attr}]`)) {
      el.setAttribute(attr, el.getAttribute(attr).split(/\s+/).map((id) => prefix + id).join(" "));
    }
  }
}

/**
 * Mounts a gdviz instance into `element` (its content is replaced) and resolves to its handle.
 *
 * `options` takes every option of `set()` (`surface`, `optimizer`, `lr`, `runs`, `selected`, ...) and the
 * page keys `lesson` (a lesson id), `controls` (groups to show, e.g. `"lr,optimizer"`),
 * `embed` (`true` for minimal chrome), and in Network mode `open` (`"landscape,sharpness"`: the
 * views below the charts to open) and `plane` (`pca`, `random`, `ends` or `ends:N`). `url: true` keeps the address bar on this instance's
 * state, as the full page does; give it to one instance at most. `heading` (1 to 6) is the level
 * of the instance's title, 2 by default (1 with `url`), so it fits under the page's headings.
 * Invalid options are shown as notices in the instance and returned in `handle.notices`; they
 * never stop it.
 */
export async function mount(element, options = {}) {
  if (!(element instanceof Element)) {
    throw new TypeError("gdviz.mount: the first argument must be a DOM element, e.g. document.getElementById('demo')");
  }
  if (NOT_CONTAINERS.includes(element.localName)) {
    throw new TypeError(`gdviz.mount: cannot mount into a <${element.localName}>; give a container element such as a <div>`);
  }
  // Read once into plain data: nothing of the caller's object runs after this line.
  const { value, notices: unread } = snapshot(options ?? {}, "mount options");
  const given = isRecord(value) ? value : Object.create(null);
  if (value !== undefined && !isRecord(value)) unread.push(`mount options: expected an object, got ${Array.isArray(value) ? "a list" : typeof value}; ignored`);
  // One instance per element: a new mount replaces the old one (whose handle then says so).
  const earlier = mounted.get(element);
  if (earlier) earlier.destroy();
  const url = given.url === true;
  const prefix = url ? "" : `gdviz${++count}-`;
  const heading = headingLevel(given.heading, url);
  build(element, prefix, count, heading.level);
  try {
    await load();
  } catch (e) {
    const box = element.querySelector(`#${CSS.escape(`${prefix}error`)}`);
    box.textContent = `gdviz could not start: ${e.message}`;
    box.hidden = false;
    throw e;
  }
  let app;
  try {
    app = new App(element, prefix, catalog(), { home: home(), url, onFatal: stopAll });
  } catch (e) {
    stopAll(e);
    throw e;
  }
  live.add(app);
  const page = Object.create(null);
  const rest = Object.create(null);
  for (const [key, v] of Object.entries(given)) {
    if (PAGE_KEYS.includes(key)) page[key] = v;
    else if (!MOUNT_KEYS.includes(key)) {
      Object.defineProperty(rest, key, { value: v, enumerable: true, configurable: true, writable: true });
    }
  }
  const notices = app.restore(page, rest, [...unread, ...heading.notices]);
  const handle = app.handle();
  handle.notices = notices;
  const destroy = handle.destroy;
  handle.destroy = () => {
    live.delete(app);
    if (mounted.get(element) === handle) mounted.delete(element);
    destroy();
  };
  mounted.set(element, handle);
  return handle;
}

export { PAGE_KEYS, MOUNT_KEYS };
