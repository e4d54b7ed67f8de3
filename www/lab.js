// The page's second WebAssembly module (lab/ in the repository): Network mode, the data and 3D
// views, and the code export. The first module draws the surfaces and stays small; this one is
// loaded the first time an instance opens Network mode, the Code box or one of those views, once
// for every instance on the page (as gdviz.js loads the first one), and handed the state as a
// link query (`viz.stateQuery()`).
// A dynamic import from this folder: allowed by a strict CSP (`script-src 'self'`), and bundled
// by the single-file build, which inlines this module's bytes as well (`useLabWasm`).

let ready = null;
let loaded = null;
/** Where the module comes from: `undefined` fetches `pkg/gdviz_lab_bg.wasm` beside its glue. */
let source;

/** Uses `bytes` (the second module's bytes) instead of fetching it: for bundles that inline it.
 * Call it before the first `mount()`. */
export function useLabWasm(bytes) {
  source = bytes;
}

/** Loads and instantiates the second module once for every instance; resolves to its exports
 * (`NetworkView`, `SurfaceViews`, `code`, `lessonText`). A failure is an Error that says what failed, and the next call tries
 * again. */
export function loadLab() {
  ready ??= import("./pkg/gdviz_lab.js")
    .then(async (lab) => {
      await lab.default(source === undefined ? undefined : { module_or_path: source });
      loaded = lab;
      return lab;
    })
    .catch((e) => {
      ready = null;
      throw new Error(`the module of Network mode, the data and 3D views and the code export failed to load (${e.message || e})`);
    });
  return ready;
}

/** The second module's exports if it is loaded, else `null` (nothing is fetched). */
export function labLoaded() {
  return loaded;
}
