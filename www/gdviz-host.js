// For a page that shows gdviz in an iframe (README: "An iframe the host can talk to"):
// `connect(iframe, callbacks)` fits the frame to its content's height, passes the frame's events
// to the callbacks, and gives `set()` and `state()` as promises. The frame answers only hosts
// its address lists: `src="https://HOST/gdviz/?embed=1&origin=https://THIS-PAGE'S-ORIGIN"`.
//
//   import { connect } from "https://HOST/gdviz/www/gdviz-host.js";
//   const viz = connect(document.querySelector("iframe"), {
//     onChange: (state) => { ... },  onDiverged: (state) => { ... },
//   });
//   await viz.ready;                           // the frame's first state
//   const { state, notices } = await viz.set({ lr: 0.05 });
//   const now = await viz.state();
//
// Messages are checked both ways: this side reads only messages from the frame's window and
// its `src`'s origin, and posts only to that origin. No numerics here: every state comes from
// the frame.

/** How long a request waits for its answer (the frame answers within a frame or two; a frame
 * that does not list this page's origin never answers). */
const TIMEOUT_MS = 10000;

/**
 * Connects to the gdviz page in `iframe` (its `src` must be set). Callbacks, each optional:
 * `onReady(state)`, `onChange(state)`, `onDiverged(state)`, `onConverged(state)`,
 * `onAnswer(verdict)` (an exercise answered: `{question, answer, given, right, truth, why,
 * link}`), `onHeight(height)`; `resize: false` leaves the frame's height alone.
 *
 * Returns `{ready, set(options), state(), disconnect()}`: `ready` resolves to the frame's state
 * once it answers; `set` resolves to `{state, notices}` (the options it rejected, also shown in
 * the frame) and `state` to the state (the options, every run's status and settings, `link`;
 * no trajectories: use the CSV export for those). Both reject with a message saying what to
 * check when the frame does not answer or refuses the message.
 */
export function connect(iframe, callbacks = {}) {
  if (!(iframe instanceof HTMLIFrameElement)) {
    throw new TypeError("gdviz connect: the first argument must be an <iframe> element showing gdviz");
  }
  const origin = new URL(iframe.src, location.href).origin;
  const { onReady, onChange, onDiverged, onConverged, onAnswer, onHeight, resize = true } = callbacks;
  const pending = new Map();
  let next = 0;
  let ready;
  const isReady = new Promise((resolve) => { ready = resolve; });
  let readyState = null;

  const call = (f, v) => {
    if (typeof f === "function") f(v);
  };
  const onMessage = (e) => {
    if (e.source !== iframe.contentWindow || e.origin !== origin) return;
    const m = e.data;
    if (typeof m !== "object" || m === null || typeof m.type !== "string") return;
    switch (m.type) {
      case "gdviz:height":
        if (typeof m.height === "number" && m.height > 0 && m.height < 100000) {
          if (resize) iframe.style.height = `${Math.ceil(m.height)}px`;
          call(onHeight, m.height);
        }
        break;
      case "gdviz:ready":
        if (readyState === null) {
          readyState = m.state;
          ready(m.state);
          call(onReady, m.state);
        }
        break;
      case "gdviz:change":
        call(onChange, m.state);
        break;
      case "gdviz:diverged":
        call(onDiverged, m.state);
        break;
      case "gdviz:converged":
        call(onConverged, m.state);
        break;
      case "gdviz:answer":
        call(onAnswer, m.state);
        break;
      case "gdviz:state":
      case "gdviz:error": {
        const waiter = pending.get(m.id);
        if (!waiter) break;
        pending.delete(m.id);
        clearTimeout(waiter.timer);
        if (m.type === "gdviz:error") waiter.reject(new Error(`gdviz: ${m.message}`));
        else waiter.resolve(m);
        break;
      }
      default:
    }
  };
  window.addEventListener("message", onMessage);

  /** Posts `message` with a fresh id and resolves to the answer. */
  const request = (message) => new Promise((resolve, reject) => {
    const id = `gdviz-host-${++next}`;
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`gdviz: no answer from the frame within ${TIMEOUT_MS / 1000} s; check that it has loaded and that its address lists this page's origin (origin=${location.origin})`));
    }, TIMEOUT_MS);
    pending.set(id, { resolve, reject, timer });
    try {
      iframe.contentWindow.postMessage({ ...message, id }, origin);
    } catch (e) {
      clearTimeout(timer);
      pending.delete(id);
      reject(new Error(`gdviz: cannot post to the frame (${e.message}); pass options as plain data`));
    }
  });

  // A frame that was ready before `connect()` announced itself already: ask it, if its
  // document is gdviz's already (a frame still on its first, blank document would refuse the
  // message with a console error). Reading a cross-origin frame's origin throws: it loaded.
  const loaded = () => {
    try {
      return iframe.contentWindow.location.origin === origin;
    } catch (e) {
      return true;
    }
  };
  if (iframe.contentWindow && loaded()) {
    request({ type: "gdviz:get" }).then((m) => {
      if (readyState !== null) return;
      readyState = m.state;
      ready(m.state);
      call(onReady, m.state);
    }, () => {});
  }

  return {
    ready: isReady,
    set: (options) => request({ type: "gdviz:set", options }).then((m) => ({ state: m.state, notices: m.notices ?? [] })),
    state: () => request({ type: "gdviz:get" }).then((m) => m.state),
    disconnect() {
      window.removeEventListener("message", onMessage);
      for (const waiter of pending.values()) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error("gdviz: disconnected"));
      }
      pending.clear();
    },
  };
}
