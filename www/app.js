// The page: builds the controls, turns events into options for the wasm Visualizer, animates
// the run, and exposes `window.gdviz` for scripts and tests. No numerics here: every number
// shown or drawn comes from Rust.
import init, { Visualizer, catalog, formatNumber, lrFromSlider, sliderFromLr } from "./pkg/gdviz.js";

const $ = (id) => document.getElementById(id);

/** Shows a fatal error in the page (the wasm trapped or failed to load). */
function fatal(error) {
  const box = $("error");
  box.textContent = `gdviz stopped: ${error && error.message ? error.message : error}. ` +
    "Reload the page to start again.";
  box.hidden = false;
  $("status").textContent = "stopped";
  console.error(error);
}

/** Shows notices about rejected options for a few seconds. */
function notify(notices) {
  const box = $("notices");
  box.replaceChildren();
  for (const text of notices) {
    const p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
  }
  clearTimeout(notify.timer);
  if (notices.length) notify.timer = setTimeout(() => box.replaceChildren(), 8000);
}

const HYPERS = ["momentum", "beta1", "beta2", "decay"];

class App {
  constructor(cat) {
    this.cat = cat;
    this.viz = new Visualizer($("bg"), $("overlay"), $("loss"));
    this.playing = false;
    this.position = 0;
    this.buildMenus();
    this.bindControls();
    this.bindPlot();
    this.bindPlayer();
    this.dark = window.matchMedia("(prefers-color-scheme: dark)");
    this.dark.addEventListener("change", () => this.resize());
    this.resize();
    new ResizeObserver(() => this.resize()).observe($("plot-box"));
    new ResizeObserver(() => this.resize()).observe($("loss-box"));
    this.sync();
  }

  buildMenus() {
    for (const s of this.cat.surfaces) {
      $("surface").appendChild(new Option(`${s.title} (${s.name})`, s.name));
    }
    for (const o of this.cat.optimizers) {
      $("optimizer").appendChild(new Option(o.title, o.name));
    }
  }

  /** Applies options, redraws, and brings the controls in line with the new state. */
  apply(options) {
    try {
      const notices = this.viz.set(options);
      this.pause();
      this.viz.render();
      this.sync();
      notify(notices);
      return notices;
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) fatal(e);
      else notify([String(e.message || e)]);
      return [String(e.message || e)];
    }
  }

  bindControls() {
    const on = (id, event, f) => $(id).addEventListener(event, f);
    on("surface", "change", (e) => this.apply({ surface: e.target.value }));
    on("optimizer", "change", (e) => this.apply({ optimizer: e.target.value }));
    on("variant", "change", (e) => this.apply({ variant: e.target.value }));
    on("lr", "input", (e) => this.apply({ lr: lrFromSlider(Number(e.target.value)) }));
    on("lr-value", "change", (e) => this.apply({ lr: e.target.value }));
    for (const h of HYPERS) {
      on(h, "input", (e) => this.apply({ [h]: Number(e.target.value) }));
      on(`${h}-value`, "change", (e) => this.apply({ [h]: e.target.value }));
    }
    for (const id of ["eps", "batch", "seed", "noise", "steps"]) {
      on(id, "change", (e) => this.apply({ [id]: e.target.value }));
    }
  }

  bindPlot() {
    const overlay = $("overlay");
    let dragging = false;
    let pending = null;
    const moveTo = (e) => {
      const rect = overlay.getBoundingClientRect();
      const p = this.viz.paramAt(e.clientX - rect.left, e.clientY - rect.top);
      if (!p) return;
      // Coalesce drag events to one run per frame.
      if (pending === null) {
        requestAnimationFrame(() => {
          this.apply({ start: pending });
          pending = null;
        });
      }
      pending = [p[0], p[1]];
    };
    overlay.addEventListener("pointerdown", (e) => {
      dragging = true;
      overlay.setPointerCapture(e.pointerId);
      moveTo(e);
    });
    overlay.addEventListener("pointermove", (e) => { if (dragging) moveTo(e); });
    const stop = () => { dragging = false; };
    overlay.addEventListener("pointerup", stop);
    overlay.addEventListener("pointercancel", stop);
  }

  bindPlayer() {
    $("play").addEventListener("click", () => this.play());
    $("pause").addEventListener("click", () => this.pause());
    $("step").addEventListener("click", () => { this.pause(); this.show(this.viz.current + 1); });
    $("reset").addEventListener("click", () => { this.pause(); this.show(0); });
    $("scrub").addEventListener("input", (e) => { this.pause(); this.show(Number(e.target.value)); });
    $("speed").addEventListener("input", () => this.showSpeed());
    this.showSpeed();
  }

  /** Steps per second of the animation: the speed slider is log-scale from 1 to 1000. */
  speed() {
    return Math.round(lrFromSlider(Number($("speed").value)));
  }

  showSpeed() {
    const text = `${this.speed()}/s`;
    $("speed-value").textContent = text;
    $("speed").setAttribute("aria-valuetext", `${this.speed()} steps per second`);
  }

  play() {
    if (this.viz.current >= this.viz.stepCount) this.show(0);
    this.playing = true;
    this.position = this.viz.current;
    let last = performance.now();
    const tick = (now) => {
      if (!this.playing) return;
      this.position += (this.speed() * Math.min(now - last, 100)) / 1000;
      last = now;
      const k = Math.floor(this.position);
      if (k !== this.viz.current) this.show(k);
      if (this.viz.current >= this.viz.stepCount) this.pause();
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    this.updateStatus();
  }

  pause() {
    this.playing = false;
    this.updateStatus();
  }

  show(k) {
    try {
      this.viz.showStep(Math.max(0, k));
    } catch (e) {
      fatal(e);
      return;
    }
    $("scrub").value = String(this.viz.current);
    this.updateReadout();
  }

  resize() {
    const box = $("plot-box").getBoundingClientRect();
    const loss = $("loss-box").getBoundingClientRect();
    try {
      this.viz.resize(box.width, box.height, loss.width, loss.height,
        window.devicePixelRatio || 1, this.dark.matches);
      this.viz.render();
    } catch (e) {
      fatal(e);
    }
  }

  /** Puts every control, the readouts and the description in line with the state. */
  sync() {
    const s = this.viz.settings();
    $("surface").value = s.surface;
    $("optimizer").value = s.optimizer;
    $("variant").value = s.variant;
    $("lr").value = String(sliderFromLr(s.lr));
    $("lr").setAttribute("aria-valuetext", `learning rate ${formatNumber(s.lr)}`);
    $("lr-value").value = String(s.lr);
    for (const h of HYPERS) {
      $(h).value = String(s[h]);
      $(`${h}-value`).value = String(s[h]);
    }
    $("eps").value = String(s.eps);
    $("batch").value = String(s.batch);
    $("seed").value = String(s.seed);
    $("noise").value = String(s.noise);
    $("steps").value = String(s.steps);
    const opt = this.cat.optimizers.find((o) => o.name === s.optimizer);
    const uses = new Set(opt.hypers.map((h) => h.name));
    for (const el of document.querySelectorAll(".hyper")) el.hidden = !uses.has(el.dataset.hyper);
    $("rule").textContent = opt.rule;
    const surface = this.cat.surfaces.find((x) => x.name === s.surface);
    $("noise-row").hidden = surface.dataset || s.variant === "batch";
    $("seed-row").hidden = s.variant === "batch";
    $("batch-row").hidden = s.variant !== "minibatch";
    $("batch").max = surface.dataset ? "" : "50";
    this.buildSurfaceParams(surface, s);
    $("describe").textContent = this.viz.describe();
    $("scrub").max = String(this.viz.stepCount);
    $("scrub").value = String(this.viz.current);
    this.updateReadout();
  }

  buildSurfaceParams(surface, state) {
    const box = $("surface-params");
    if (box.dataset.surface !== surface.name) {
      box.replaceChildren();
      box.dataset.surface = surface.name;
      for (const p of surface.params) {
        const row = document.createElement("div");
        row.className = "row";
        const label = document.createElement("label");
        label.htmlFor = `param-${p.name}`;
        label.textContent = `${p.name}: ${p.doc}`;
        const input = document.createElement("input");
        input.type = "number";
        input.id = `param-${p.name}`;
        input.min = String(p.min);
        input.max = String(p.max);
        input.step = "any";
        input.addEventListener("change", (e) => this.apply({ [p.name]: e.target.value }));
        row.append(label, input);
        box.appendChild(row);
      }
    }
    for (const p of surface.params) {
      $(`param-${p.name}`).value = String(state[p.name] ?? p.default);
    }
  }

  updateReadout() {
    const r = this.viz.readout();
    $("readout-step").textContent = `${r.step} / ${this.viz.stepCount}`;
    $("readout-theta").textContent = `(${formatNumber(r.x)}, ${formatNumber(r.y)})`;
    $("readout-loss").textContent = formatNumber(r.loss);
    $("readout-grad").textContent = formatNumber(r.gradNorm);
    this.updateStatus(r);
  }

  updateStatus(r = this.viz.readout()) {
    const el = $("status");
    let text;
    let kind;
    if (this.playing) {
      text = "running";
      kind = "running";
    } else if (r.status === "diverged") {
      text = `diverged at step ${r.divergedAt}: the path left the view (learning rate too large?)`;
      kind = "diverged";
    } else if (r.status === "converged") {
      text = `converged: ‖∇f‖ < 1e-6 after ${this.viz.stepCount} steps`;
      kind = "converged";
    } else {
      text = `not converged after ${this.viz.stepCount} steps`;
      kind = "max-steps";
    }
    el.textContent = text;
    el.dataset.kind = kind;
  }

  /** The state for scripts: options, run, and the plot rectangle in viewport CSS pixels. */
  state() {
    const s = this.viz.state();
    const rect = $("overlay").getBoundingClientRect();
    if (s.plotCss) {
      s.plot = {
        left: rect.left + s.plotCss.left,
        top: rect.top + s.plotCss.top,
        width: s.plotCss.width,
        height: s.plotCss.height,
      };
    }
    delete s.plotCss;
    return s;
  }
}

async function main() {
  try {
    await init();
  } catch (e) {
    fatal(new Error(`the WebAssembly module failed to load (${e.message || e})`));
    return;
  }
  let app;
  try {
    app = new App(catalog());
  } catch (e) {
    fatal(e);
    return;
  }
  window.gdviz = {
    set: (options) => Promise.resolve(app.apply(options ?? {})),
    state: () => app.state(),
    catalog: () => catalog(),
  };
  document.body.dataset.ready = "1";
}

main();
