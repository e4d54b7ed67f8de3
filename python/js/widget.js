// The Jupyter widget's front end: an ES module in the anywidget convention (a default export
// with `render({model, el})`), working in JupyterLab, Notebook 7, VS Code and Colab.
// `cargo xtask wheel` bundles it with esbuild — gdviz's modules and the wasm inlined as bytes —
// into python/gdviz/static/widget.js, so the notebook fetches nothing when the widget runs.
//
// Each view mounts one gdviz instance (`mount()`, the same app and validation as a course page)
// and keeps it and the Python model in step:
//   Python → page: a changed option trait is handed to `set()` (a microtask gathers the traits
//     one kernel message changed into one call, applied in the core's order); the notices it
//     returns go back as a message, and the state is always sent back after, so a refused value
//     reverts to the page's in Python too.
//   page → Python: on every `gdviz-change` (a slider drag, a click), at most every 100 ms, the
//     option traits are set from the state, and the state itself (trajectories as Float64
//     buffers, x, y, loss per step) is sent for `Widget.state()`.
// No numerics here: values are handed over as the page and Python give them.
import bytes from "../../www/pkg/gdviz_bg.wasm";
import labBytes from "../../www/pkg/gdviz_lab_bg.wasm";
import { mount, useWasm } from "../../www/gdviz.js";
import { useLabWasm } from "../../www/lab.js";

// Both modules inlined, as the single-file build does: the second (Network mode and the code
// export) is instantiated only when a view first opens either.
useWasm(bytes);
useLabWasm(labBytes);

/** Page keys the widget mounts with; a change mounts the view again. */
const PAGE = ["lesson", "controls", "embed"];

/** Keys of a run in `state().runs` that are not settings. */
const RUN_INFO = ["title", "name", "colour", "loss", "status", "divergedAt", "convergedAt", "trajectory"];

/** The least time between two state reports the page's own changes cause, ms. */
const REPORT_MS = 100;

/** Network-mode options as `state().network` reports them (its keys → the options'). */
const NETWORK = { dataset: "dataset", activation: "activation", hidden: "hidden", dataSeed: "data_seed", initSeed: "init_seed", curves: "curves" };

/** `v` as `set()` takes option `name`: layer widths as the text `8,8`. */
function toPage(name, v) {
  return name === "hidden" && Array.isArray(v) ? v.join(",") : v;
}

/** The option traits' values in `state` (null for an option the state does not have, such as
 * another surface's parameter or `expr` on a catalog surface). */
function optionsOf(state, names) {
  const out = {};
  for (const n of names) out[n] = n in state ? state[n] : null;
  if (state.network) {
    for (const [from, to] of Object.entries(NETWORK)) {
      if (names.includes(to) && from in state.network) out[to] = state.network[from];
    }
    if (typeof out.hidden === "string") out.hidden = out.hidden.split(",").map(Number);
  }
  if (Array.isArray(state.runs)) {
    out.runs = state.runs.map((r) => {
      const run = {};
      for (const [k, v] of Object.entries(r)) if (!RUN_INFO.includes(k)) run[k] = v;
      return run;
    });
  }
  return out;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

async function render({ model, el }) {
  const names = model.get("_option_names") ?? [];
  const root = document.createElement("div");
  el.appendChild(root);
  let handle = null;
  let pushing = false;
  let closed = false;
  const pending = {};
  let scheduled = false;
  let timer = 0;

  /** Sets the option traits from `state`, without taking them for Python's changes. */
  const pushOptions = (state) => {
    pushing = true;
    try {
      let any = false;
      for (const [k, v] of Object.entries(optionsOf(state, names))) {
        if (!same(model.get(k), v)) {
          model.set(k, v);
          any = true;
        }
      }
      if (any) model.save_changes();
    } finally {
      pushing = false;
    }
  };

  /** Sends the state (the trajectories as buffers) and sets the option traits from it. */
  const report = (revision) => {
    clearTimeout(timer);
    timer = 0;
    if (!handle || closed) return;
    const state = handle.state();
    delete state.plot;
    delete state.trajectory;
    const buffers = [];
    for (const run of state.runs) {
      const path = run.trajectory ?? [];
      const flat = new Float64Array(path.length * 3);
      path.forEach((p, i) => flat.set(p, 3 * i));
      buffers.push(flat.buffer);
      delete run.trajectory;
    }
    pushOptions(state);
    model.send({ type: "state", revision, state }, undefined, buffers);
  };

  const notices = (list) => {
    if (list && list.length) model.send({ type: "notices", notices: [...list] });
  };

  /** Hands what Python changed to `set()` in one call, then reports. */
  const flush = async () => {
    scheduled = false;
    const revision = model.get("_revision");
    const batch = { ...pending };
    for (const k of Object.keys(pending)) delete pending[k];
    if (!handle) return;
    try {
      if (Object.keys(batch).length) notices(await handle.set(batch));
    } finally {
      report(revision);
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(flush);
  };

  const start = async () => {
    const options = {};
    for (const n of names) {
      const v = model.get(n);
      if (v !== null && v !== undefined) options[n] = toPage(n, v);
    }
    for (const k of PAGE) {
      const v = model.get(k);
      if (v !== null && v !== undefined && v !== false && v !== "") options[k] = v;
    }
    try {
      handle = await mount(root, options);
    } catch (e) {
      model.send({ type: "error", message: String((e && e.message) || e) });
      return;
    }
    if (closed) {
      handle.destroy();
      return;
    }
    // A link opens gdviz's page at the module's folder, and a notebook's module has no folder
    // (it is loaded from a blob): the link would name the notebook's own page. Python has the
    // state (`w.state()`, its `link` for a hosted copy of the app).
    const copy = root.querySelector("[id$='copy-link']");
    if (copy) copy.hidden = true;
    notices(handle.notices);
    report(model.get("_revision"));
  };

  const onOption = (name) => () => {
    if (pushing) return;
    pending[name] = toPage(name, model.get(name));
    schedule();
  };
  const listeners = names.map((n) => [`change:${n}`, onOption(n)]);
  listeners.push(["change:_revision", () => pushing || schedule()]);
  const remount = () => {
    if (handle) handle.destroy();
    handle = null;
    start();
  };
  for (const k of PAGE) listeners.push([`change:${k}`, remount]);
  for (const [event, f] of listeners) model.on(event, f);

  root.addEventListener("gdviz-change", () => {
    if (!timer) timer = setTimeout(() => report(model.get("_revision")), REPORT_MS);
  });

  await start();
  return () => {
    closed = true;
    clearTimeout(timer);
    for (const [event, f] of listeners) model.off(event, f);
    if (handle) handle.destroy();
    handle = null;
  };
}

export default { render };
