// The full page (index.html and the single-file gdviz.html): one gdviz instance that owns the
// address bar, restored from the link's query and exposed to scripts as `window.gdviz`; in an
// iframe, it talks to its host page through frame.js.
import { mount, MOUNT_KEYS, PAGE_KEYS } from "./gdviz.js";
import { connectParent } from "./frame.js";

/** The link's query as mount options: page keys as they are, everything else as options. */
function fromQuery(search) {
  const options = {};
  for (const [key, value] of new URLSearchParams(search)) {
    // defineProperty: a key such as `__proto__` is an option name like any other (and rejected).
    Object.defineProperty(options, key, { value, enumerable: true, configurable: true, writable: true });
  }
  for (const key of PAGE_KEYS) if (key in options) options[key] = String(options[key]);
  return options;
}

/** Mounts the page's instance into `#gdviz` and marks the page ready for scripts. */
export async function startPage() {
  const options = fromQuery(location.search);
  // The page owns the address bar and its own h1; a link cannot change that.
  for (const key of MOUNT_KEYS) delete options[key];
  const root = document.getElementById("gdviz");
  try {
    window.gdviz = await mount(root, { ...options, url: true });
  } catch (e) {
    console.error(e);
    return;
  }
  document.body.dataset.ready = "1";
  // In a frame: the height to the host, and with `origin=`, events and messages (frame.js).
  connectParent(window.gdviz);
}

