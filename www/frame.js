// The full page inside an iframe, talking to the page around it (README: "An iframe the host
// can talk to"). It posts its content's height, so the host can fit the frame to it, and, to
// the host origins its `origin=` lists and to no one else, the instance's events and answers to
// the host's messages. It takes messages only from its parent window and only from a listed
// origin; each is plain data read like a link's query, through `set()`'s validation, never
// evaluated. The host side is `gdviz-host.js`.
//
//   host → frame   {type: "gdviz:set", options: {lr: 0.05}, id}   {type: "gdviz:get", id}
//   frame → host   {type: "gdviz:state", id, state, notices}      {type: "gdviz:error", id, message}
//                  {type: "gdviz:ready" | "gdviz:change" | "gdviz:diverged" | "gdviz:converged", state}
//                  {type: "gdviz:answer", state: {question, answer, given, right, truth, why, link}}
//                  {type: "gdviz:height", height}

/** At most this many host origins: a frame has one host, a course a few. */
const MAX_ORIGINS = 16;

/** What a message's `id` may be (echoed in the answer): a short string or a finite number. */
function messageId(id) {
  if (typeof id === "string" && id.length <= 100) return id;
  return typeof id === "number" && Number.isFinite(id) ? id : null;
}

/** Reads `origin=`: a comma-separated list of origins such as `https://course.example.org`
 * (scheme, host and port; no path, no `*`). Returns `{origins, notices}`; what is not an origin
 * is a notice and is left out. */
export function parseOrigins(value) {
  const example = "such as https://course.example.org";
  if (typeof value !== "string") {
    return { origins: [], notices: [`origin: expected host origins ${example}, separated by commas; got ${Array.isArray(value) ? "a list" : typeof value}; ignored`] };
  }
  const origins = [];
  const notices = [];
  for (const part of value.split(",").map((p) => p.trim()).filter(Boolean)) {
    const shown = `'${part.slice(0, 60)}'`;
    if (part === "*") {
      notices.push(`origin: '*' would let any page drive this one; list the host page's origin, ${example}; ignored`);
      continue;
    }
    let url = null;
    try {
      url = new URL(part);
    } catch (e) {
      // Not a URL: the notice below says what is expected.
    }
    const bare = url && ["http:", "https:"].includes(url.protocol) && url.pathname === "/"
      && !url.search && !url.hash && !url.username && !url.password && !part.endsWith("?") && !part.endsWith("#");
    if (!bare) {
      notices.push(`origin: ${shown} is not an origin ${example} (scheme, host and port only, no path); ignored`);
    } else if (origins.length >= MAX_ORIGINS) {
      notices.push(`origin: at most ${MAX_ORIGINS} origins are read; ${shown} ignored`);
    } else if (!origins.includes(url.origin)) {
      origins.push(url.origin);
    }
  }
  return { origins, notices };
}

/** Posts `message` to the parent window for `target` (an origin or `*`); a parent that cannot
 * be posted to has nothing to hear. */
function post(message, target) {
  try {
    window.parent.postMessage(message, target);
  } catch (e) {
    // Nothing to do: the host is gone or refuses.
  }
}

/** The content's height, posted whenever it changes: to the listed hosts, or, with none listed,
 * to any parent (a height tells nothing about the state, and lets any host fit the frame). */
function reportHeight(origins) {
  let last = 0;
  const send = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    const message = { type: "gdviz:height", height };
    if (origins.length) for (const o of origins) post(message, o);
    else post(message, "*");
  };
  new ResizeObserver(send).observe(document.documentElement);
  send();
}

/** Answers one message `data` from a listed host with `reply`. Messages that are not gdviz's
 * (other scripts talk to frames too) are left alone; a gdviz message that cannot be read is an
 * error answer, never an exception. */
async function answer(handle, data, reply) {
  if (typeof data !== "object" || data === null || Object.getPrototypeOf(data) !== Object.prototype) return;
  const type = data.type;
  if (typeof type !== "string" || !type.startsWith("gdviz:")) return;
  const id = messageId(data.id);
  const error = (message) => reply({ type: "gdviz:error", id, message });
  try {
    if (type === "gdviz:get") {
      reply({ type: "gdviz:state", id, state: handle.summary() });
    } else if (type === "gdviz:set") {
      const options = data.options;
      if (typeof options !== "object" || options === null || Array.isArray(options)) {
        error("gdviz:set takes its options as an object, e.g. {type: \"gdviz:set\", options: {lr: 0.05}}");
        return;
      }
      // set() reads the options once into bounded plain data and validates every key: a bad
      // value is a notice (shown in the frame and sent back), and changes nothing.
      const notices = await handle.set(options);
      reply({ type: "gdviz:state", id, state: handle.summary(), notices });
    } else {
      error(`unknown message type '${type.slice(0, 40)}'; gdviz takes gdviz:set and gdviz:get`);
    }
  } catch (e) {
    error(String((e && e.message) || e).slice(0, 300));
  }
}

/** In a frame: reports the height, and, with `handle.origins` listed, posts the instance's
 * events to them and answers their messages. Does nothing outside a frame. */
export function connectParent(handle) {
  if (window.parent === window) return;
  const origins = handle.origins;
  reportHeight(origins);
  if (!origins.length) return;
  const toHosts = (message) => {
    for (const o of origins) post(message, o);
  };
  for (const name of ["change", "diverged", "converged", "answer"]) {
    handle.element.addEventListener(`gdviz-${name}`, (e) => toHosts({ type: `gdviz:${name}`, state: e.detail }));
  }
  window.addEventListener("message", (e) => {
    // Only the parent, only from a listed origin; anything else gets no answer at all.
    if (e.source !== window.parent || !origins.includes(e.origin)) return;
    answer(handle, e.data, (message) => post(message, e.origin));
  });
  toHosts({ type: "gdviz:ready", state: handle.summary() });
}
