// `<gd-viz>`: gdviz as an HTML element, for pages that can hold HTML but no script of their own
// (Markdown, Quarto, Jupyter Book, a learning platform's editor). One module script defines it
// and loads gdviz's stylesheet; every element is then an instance mounted by `mount()`:
//
//   <script type="module" src="https://example.org/gdviz/www/gd-viz.js"></script>
//   <gd-viz surface="booth" lr="0.105" controls="lr" embed></gd-viz>
//
// Attributes are the options of `mount()`, by the same names and through the same validation: a
// bad value is a notice in the instance. One is renamed: Network mode's `hidden` (the hidden
// layers' widths) is `hidden-layers`, since `hidden` is HTML's own attribute that hides an element:
//
//   <gd-viz mode="network" dataset="spiral" hidden-layers="16,16" optimizer="adam" lr="0.01"></gd-viz> Changing an option attribute applies it (`set()`);
// removing one, or changing a page key (`lesson`, `embed`, `controls`, `open`, `plane`) or `heading`, mounts the
// instance again from the attributes. The element fires `gdviz-change` (the state summary as
// `detail`), `gdviz-diverged` and `gdviz-converged` (see `App.announce`), `gdviz-answer` (an
// exercise answered, see `exercise.js`), has the handle's
// methods (`set`, `state`, `summary`, `link`, `csv`, `png`, `lesson`, `lessons`, `catalog`)
// and a `ready` promise of the handle. Taken out of the page it is destroyed; put back, it is
// mounted again. Every element shares one WebAssembly module, as `mount()`'s instances do.
import { mount } from "./gdviz.js";
import { SWITCHES } from "./app.js";

/** gdviz's stylesheet, beside this module. */
const STYLESHEET = new URL("./style.css", import.meta.url).href;

/** Attributes every HTML element may carry: never options. */
const GLOBAL = new Set(["class", "id", "style", "hidden", "title", "lang", "dir", "tabindex",
  "slot", "role", "part", "exportparts", "is", "nonce", "autofocus", "inert", "draggable",
  "spellcheck", "translate", "contenteditable", "accesskey", "autocapitalize", "enterkeyhint",
  "inputmode", "popover", "itemid", "itemprop", "itemref", "itemscope", "itemtype"]);

/** Whether attribute `name` is an option (not a global, `aria-*`, `data-*` or handler one). */
function isOption(name) {
  return !GLOBAL.has(name) && !name.startsWith("aria-") && !name.startsWith("data-") && !name.startsWith("on");
}

/** Options whose names are HTML's own global attributes, written under another name: `hidden`
 * (Network mode's hidden layers, e.g. `8,8`) would hide the element, so it is `hidden-layers`. */
const RENAMED = new Map([["hidden-layers", "hidden"]]);

/** Attributes that configure the instance rather than its state: a change mounts it again. */
const REMOUNT = ["lesson", "question", "embed", "controls", "open", "plane", "heading"];

/** Adds gdviz's stylesheet to the document once (unless the page links it already). */
function addStylesheet() {
  for (const link of document.querySelectorAll("link[rel~='stylesheet']")) {
    if (link.href === STYLESHEET) return;
  }
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = STYLESHEET;
  (document.head ?? document.documentElement).appendChild(link);
}

/** A promise with its resolve and reject, and whether it settled. Its rejection is marked as
 * handled: a failed start is shown in the element and the console, and a page that never
 * awaited `ready` gets no second report. */
function deferred() {
  const d = { settled: false };
  d.promise = new Promise((resolve, reject) => {
    d.resolve = (v) => { d.settled = true; resolve(v); };
    d.reject = (e) => { d.settled = true; reject(e); };
  });
  d.promise.catch(() => {});
  return d;
}

/** The custom element; `customElements.define("gd-viz", GdViz)` below. */
export class GdViz extends HTMLElement {
  #handle = null;
  /** Counts starts and stops: a mount that finishes after a newer start or a stop is dropped. */
  #generation = 0;
  #ready = deferred();
  /** The option attributes as last applied, name → value. */
  #applied = new Map();
  #observer = new MutationObserver(() => this.#sync());

  /** Resolves to the handle once the instance is mounted (again, after a re-insertion). */
  get ready() {
    return this.#ready.promise;
  }

  /** The options the instance rejected when it was last mounted (also shown in it). */
  get notices() {
    return this.#handle ? this.#handle.notices : [];
  }

  connectedCallback() {
    this.#start();
  }

  disconnectedCallback() {
    this.#stop();
  }

  /** The option attributes, name → value: a present but empty on/off attribute (`embed`,
   * `amsgrad`) is on, as in HTML; every other value is the attribute's text, as in a link. */
  #read() {
    const out = new Map();
    for (const a of this.attributes) {
      if (!isOption(a.name)) continue;
      const name = RENAMED.get(a.name) ?? a.name;
      out.set(name, a.value === "" && SWITCHES.includes(name) ? "1" : a.value);
    }
    return out;
  }

  async #start() {
    const generation = ++this.#generation;
    addStylesheet();
    this.#observer.observe(this, { attributes: true });
    const attrs = this.#read();
    const options = Object.create(null);
    for (const [name, value] of attrs) {
      // defineProperty: an attribute named like `__proto__` is an option like any other (and rejected).
      Object.defineProperty(options, name, { value, enumerable: true, configurable: true, writable: true });
    }
    let handle;
    try {
      handle = await mount(this, options);
    } catch (e) {
      if (generation !== this.#generation) return;
      console.error(e);
      this.#ready.reject(e);
      return;
    }
    if (generation !== this.#generation) {
      handle.destroy();
      return;
    }
    this.#handle = handle;
    this.#applied = attrs;
    this.#ready.resolve(handle);
    // Attributes changed while the module loaded.
    this.#sync();
  }

  #stop() {
    this.#generation++;
    this.#observer.disconnect();
    if (this.#handle) {
      this.#handle.destroy();
      this.#handle = null;
    }
    if (this.#ready.settled) this.#ready = deferred();
  }

  /** Applies the attributes that changed since they were last applied: through `set()`, or by
   * mounting again when a page key or `heading` changed or an option was removed. */
  #sync() {
    if (!this.#handle) return;
    const now = this.#read();
    const before = this.#applied;
    const again = REMOUNT.some((k) => now.get(k) !== before.get(k)) || [...before.keys()].some((k) => !now.has(k));
    if (again) {
      this.#stop();
      this.#start();
      return;
    }
    const changed = Object.create(null);
    for (const [name, value] of now) {
      if (before.get(name) !== value) {
        Object.defineProperty(changed, name, { value, enumerable: true, configurable: true, writable: true });
      }
    }
    this.#applied = now;
    if (Object.keys(changed).length) this.#handle.set(changed).catch((e) => console.error(e));
  }

  /** The handle, or an error saying how to wait for it. */
  #live(method) {
    if (!this.#handle) {
      throw new Error(`<gd-viz>.${method}(): the instance is not mounted${this.isConnected ? " yet: await element.ready first" : ": the element is not in the page"}`);
    }
    return this.#handle;
  }

  /** Sets options as `handle.set()` does (waiting for the mount if needed); resolves to the notices. */
  async set(options) {
    return (this.#handle ?? await this.ready).set(options);
  }

  /** Loads a lesson (waiting for the mount if needed); resolves to the notices. */
  async lesson(id) {
    return (this.#handle ?? await this.ready).lesson(id);
  }

  /** The plot as a `data:image/png` URL (waiting for the mount if needed). */
  async png() {
    return (this.#handle ?? await this.ready).png();
  }

  state() {
    return this.#live("state").state();
  }

  summary() {
    return this.#live("summary").summary();
  }

  link() {
    return this.#live("link").link();
  }

  csv() {
    return this.#live("csv").csv();
  }

  lessons() {
    return this.#live("lessons").lessons();
  }

  catalog() {
    return this.#live("catalog").catalog();
  }
}

if (!customElements.get("gd-viz")) customElements.define("gd-viz", GdViz);
