// The browser benchmark's timing helpers (xtask/tests/bench_browser.rs evaluates this file in
// every tab it times: gdviz's page and the peers' pages), so every subject is timed by the same
// code. `root` is the element that holds what a subject draws: its canvases are the ones forced
// and read.
(() => {
  /** The next animation frame's callback: resolves inside it, with the frame's timestamp. */
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));

  /** performance.now() in a task posted now: when posted from an animation-frame callback, it runs
   * after that frame's rendering update (style, layout, paint, the canvases handed to the
   * compositor), which Chromium does in the same task as the callbacks. */
  const afterFrame = () => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve(performance.now());
    };
    channel.port2.postMessage(0);
  });

  /** The 2D canvases under `root` that are laid out (a hidden one is never rastered). */
  const canvases = (root) => [...root.querySelectorAll("canvas")]
    .filter((c) => c.width > 0 && c.height > 0 && c.getClientRects().length > 0)
    .map((c) => c.getContext("2d"))
    .filter(Boolean);

  /** Forces what the browser would otherwise do later for this frame: style and layout of the
   * document, then the raster of every laid-out canvas under `root` (a 1-pixel getImageData
   * plays a canvas's recorded drawing into its pixels). */
  const force = (root) => {
    document.body.getBoundingClientRect();
    void document.body.offsetHeight;
    for (const ctx of canvases(root)) ctx.getImageData(0, 0, 1, 1);
  };

  /** A hash of every pixel of the laid-out canvases under `root` (and their sizes). */
  const picture = (root) => {
    let h = 2166136261;
    for (const ctx of canvases(root)) {
      const { width, height } = ctx.canvas;
      const px = new Uint32Array(ctx.getImageData(0, 0, width, height).data.buffer);
      h = Math.imul(h ^ width, 16777619);
      h = Math.imul(h ^ height, 16777619);
      for (let i = 0; i < px.length; i++) h = Math.imul(h ^ px[i], 16777619);
    }
    return h >>> 0;
  };

  /** One change, made in an animation-frame callback as a drag delivers it: `[forced, end]`,
   * ms from just before `change()` to (forced) the end of the forced style, layout and canvas
   * raster, and (end) the end of that frame's rendering update on the main thread. */
  const once = async (root, change) => {
    await frame();
    const t0 = performance.now();
    await change();
    force(root);
    const t1 = performance.now();
    const t2 = await afterFrame();
    return [t1 - t0, t2 - t0];
  };

  /** `once`, then the intervals of the next `frames` frames (ms, from their rAF timestamps). */
  const onceThenFrames = async (root, change, frames) => {
    const [forced, end] = await once(root, change);
    const stamps = [];
    for (let k = 0; k <= frames; k++) stamps.push(await frame());
    return { forced, end, intervals: stamps.slice(1).map((t, i) => t - stamps[i]) };
  };

  /** After a change made at `t0` (already forced): polls the picture under `root` now, then at
   * every animation frame for `windowMs`; returns ms from `t0` to the first poll from which the
   * picture no longer changed (the picture then is the final one). Resolution: one frame. */
  const settle = async (root, t0, windowMs) => {
    const polls = [[performance.now() - t0, picture(root)]];
    while (performance.now() - t0 < windowMs) {
      await frame();
      const at = performance.now() - t0;
      polls.push([at, picture(root)]);
    }
    const last = polls[polls.length - 1][1];
    let i = polls.length - 1;
    while (i > 0 && polls[i - 1][1] === last) i--;
    return polls[i][0];
  };

  /** Whether `change` alters the picture under `root` by the end of the forced region: false
   * means the subject draws later than `await change()` returns, and `once` would time too
   * little (the harness then needs a hook in the page to know when the frame is drawn). */
  const changesPicture = async (root, change) => {
    await frame();
    const before = picture(root);
    await change();
    force(root);
    return picture(root) !== before;
  };

  /** A sustained drag: `changes` changes, one in each animation-frame callback (`change(k)`),
   * as a drag delivers one input per frame. Returns the intervals between the rAF timestamps of
   * consecutive frames of the drag (changes - 1 of them: frame k's interval ends where the next
   * change is made), each change's time in script (`script`) and to the end of its frame's
   * rendering update (`end`), and, when `windowMs` is given, `final`: ms from the last change to
   * the first poll of a settled picture (see `settle`; the last change's frame is then forced and
   * read, so it is left out of the intervals). */
  const drag = (root, changes, change, windowMs) => new Promise((resolve, reject) => {
    const stamps = [];
    const script = [];
    const end = [];
    let k = 0;
    const tick = (ts) => {
      stamps.push(ts);
      const t0 = performance.now();
      const last = k === changes - 1;
      const i = k++;
      if (!last) requestAnimationFrame(tick);
      Promise.resolve(change(i)).then(async () => {
        script.push(performance.now() - t0);
        if (!last) {
          end.push((await afterFrame()) - t0);
          return;
        }
        force(root);
        const final = windowMs ? await settle(root, t0, windowMs) : null;
        const intervals = stamps.slice(1).map((t, j) => t - stamps[j]);
        resolve({ intervals, script, end, final });
      }).catch(reject);
    };
    requestAnimationFrame(tick);
  });

  window.__bench = { frame, afterFrame, force, picture, once, onceThenFrames, settle, changesPicture, drag };
  return true;
})()
