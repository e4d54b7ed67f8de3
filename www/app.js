// One gdviz instance: builds its controls, turns events into options for its wasm Visualizer,
// animates the run, and answers the scripting handle (`set`, `state`, ...). No numerics here:
// every number shown or drawn comes from Rust. `gdviz.js` mounts instances; `main.js` is the page.
import { Visualizer, formatNumber, lessons, lrFromSlider, sliderFromLr } from "./pkg/gdviz.js";
import { isRecord, snapshot } from "./snapshot.js";
import { parseOrigins } from "./frame.js";
import { EmbedBox } from "./embed.js";
import { Presenter } from "./present.js";
import { Exercise } from "./exercise.js";
import { NetworkPanel } from "./network.js";
import { ViewsPanel } from "./views.js";
import { loadLab, labLoaded } from "./lab.js";

const HYPERS = ["momentum", "beta1", "beta2", "decay"];
/** Hyper-parameters set in a number box alone, on/off flags, and pairs of two boxes. */
const BOXED = ["rho", "weight_decay", "dampening", "lr_decay", "initial_accumulator", "momentum_decay", "history_size"];
const FLAGS = ["amsgrad", "centered", "decoupled_weight_decay"];
const PAIRS = ["etas", "step_sizes"];
/** Hyper-parameters that are one of a few names, set by a menu. */
const CHOICES = ["line_search"];

/** URL keys of the page itself; every other key is an option, applied through `set()`. */
export const PAGE_KEYS = ["lesson", "question", "embed", "controls", "origin", "present", "open", "plane"];
/** The on/off options and page keys: a present but empty attribute of `<gd-viz>` turns them on. */
export const SWITCHES = ["embed", ...FLAGS];
/** The statuses of a run that fire an event of their own when the selected run comes into them. */
const ANNOUNCED = ["diverged", "converged"];
/** The control groups `controls=` can keep (`data-group` in markup.js). */
const GROUPS = ["lr", "player", "surface", "network", "optimizer", "variant", "race", "steps", "lesson"];

/** Network mode's views below the charts that a link opens (`open=`), and their boxes. */
const OPENABLE = { landscape: "net-land", sharpness: "net-sharp" };
/** What a lesson's `opens` opens below Network mode's charts, and on which plane. */
const LESSON_VIEWS = {
  landscape: { open: ["landscape"], plane: "pca" },
  ends: { open: ["landscape"], plane: "ends" },
  sharpness: { open: ["sharpness"] },
};
/** The landscape's planes (`plane=`). */
const PLANES = ["pca", "random", "ends"];

/** A value from outside, briefly, for a notice. */
function quote(v) {
  return ["string", "number", "boolean"].includes(typeof v)
    ? `'${String(v).slice(0, 40)}'` : (Array.isArray(v) ? "a list" : String(typeof v));
}

/** Sets `target[prop]` to `value` only where it differs, so an unchanged readout or control
 * costs the browser no style or layout work on a slider drag. */
function put(target, prop, value) {
  if (target[prop] !== value) target[prop] = value;
}

/** Sets attribute `name` of `el` only where it differs. */
function attr(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/** Saves `blob` as a download named `name`. */
function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** The surface menu's entry for a typed f(x, y) (it is not in the catalog). */
const EXPR = { name: "expr", title: "your f(x, y)", params: [], dataset: false };
/** Options whose notices show next to the expression box instead of the notices bar. */
const EXPR_KEYS = ["expr", "xrange", "yrange"];

export class App {
  /**
   * `root` holds the instance's markup, whose ids all start with `prefix`; `cat` is the
   * catalog; `home` is the address of the full app that links point to; `url` says whether
   * this instance keeps the address bar on its state (the page's own instance only).
   */
  constructor(root, prefix, cat, { home, url, onFatal }) {
    this.root = root;
    this.prefix = prefix;
    this.cat = cat;
    this.home = home;
    this.ownsUrl = url;
    this.onFatal = onFatal;
    this.elements = new Map();
    // How much larger than the page's own the plot is drawn (lecture mode magnifies it).
    this.zoom = 1;
    this.viz = new Visualizer(this.$("bg"), this.$("overlay"), this.$("loss"));
    this.network = new NetworkPanel(this);
    this.views = new ViewsPanel(this);
    this.playing = false;
    this.position = 0;
    this.pageQuery = "";
    this.exercise = new Exercise(this);
    this.buildMenus();
    this.buildLessons();
    this.bindRace();
    this.bindControls();
    this.bindPlot();
    this.bindPlayer();
    this.bindViews();
    this.bindShare();
    this.embed = new EmbedBox(this, GROUPS);
    this.presenter = new Presenter(this);
    this.dark = window.matchMedia("(prefers-color-scheme: dark)");
    this.onDark = this.guard(() => this.resize());
    this.dark.addEventListener("change", this.onDark);
    this.onPixelRatio = this.guard(() => {
      this.watchPixelRatio();
      this.resize();
    });
    this.watchPixelRatio();
    this.resize();
    this.observer = new ResizeObserver(this.guard(() => this.resize()));
    for (const id of ["plot-box", "loss-box", "data-box", "net-boundary-box", "net-curves-box", "net-diagram-box",
      "net-landscape-box", "net-honesty-box", "net-sharpness-box", "net-line-box"]) {
      this.observer.observe(this.$(id));
    }
    this.sync();
  }

  /** The instance's element with (unprefixed) id `id`. */
  $(id) {
    let el = this.elements.get(id);
    if (!el || !el.isConnected) {
      el = this.root.querySelector(`#${CSS.escape(this.prefix + id)}`);
      this.elements.set(id, el);
    }
    return el;
  }

  /** `f` as a callback (event handler, animation frame, observer) that does nothing once this
   * instance stopped, and stops it instead of throwing when the wasm traps, in `f` or in the
   * promise it returns. Every callback that may call into the wasm goes through here. */
  guard(f) {
    const trapped = (e) => {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      this.fatal(e);
    };
    return (...args) => {
      if (this.stopped) return undefined;
      try {
        const result = f(...args);
        return result instanceof Promise ? result.catch(trapped) : result;
      } catch (e) {
        return trapped(e);
      }
    };
  }

  /**
   * Shows a fatal error (the wasm trapped or failed) and stops this instance, with a Reload
   * button that starts again from the last good state; `focus` moves the keyboard to it (the
   * instance where it happened; the others just show it).
   */
  fatal(error, focus = true) {
    if (this.stopped) return;
    this.stopped = true;
    this.refineNow();
    this.playing = false;
    // The address must hold the latest state now: the wasm may never answer again, so it is the
    // last good link, kept on the JS side after every change.
    clearTimeout(this.urlTimer);
    this.urlTimer = null;
    if (this.ownsUrl && this.urlReady && this.lastLink) {
      try {
        history.replaceState(null, "", this.lastLink);
      } catch (e) {
        // Refused (sandboxed iframe): Reload then starts from the original address.
      }
    }
    const why = error && error.message ? error.message : String(error);
    const text = document.createElement("p");
    text.textContent = `gdviz stopped: its WebAssembly core hit an internal error and cannot ` +
      `go on (${why}). ${this.ownsUrl ? "Your settings are kept: Reload starts again where you were."
        : "Reload the page to start again."}`;
    const reload = document.createElement("button");
    reload.type = "button";
    reload.id = `${this.prefix}reload`;
    reload.textContent = "Reload";
    // A mounted instance reloads the page too: every instance shares one wasm module, which
    // wasm-bindgen instantiates once per page and which the trap may have left inconsistent, so
    // it cannot be mounted again in place. Its state is not in the address, so it is offered
    // as a link to the full app instead.
    reload.addEventListener("click", () => location.reload());
    const parts = [text, reload];
    if (!this.ownsUrl && this.lastLink) {
      const a = document.createElement("a");
      a.href = this.lastLink;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = "Open where you were in the full app";
      parts.push(" ", a);
    }
    const box = this.$("error");
    box.replaceChildren(...parts);
    box.hidden = false;
    this.$("status").textContent = "stopped";
    if (focus) reload.focus();
    if (this.onFatal) this.onFatal(error);
  }

  /** Shows notices about rejected options for a few seconds. */
  notify(notices) {
    const box = this.$("notices");
    box.replaceChildren();
    for (const text of notices) {
      const p = document.createElement("p");
      p.textContent = text;
      box.appendChild(p);
    }
    clearTimeout(this.noticeTimer);
    if (notices.length) this.noticeTimer = setTimeout(() => box.replaceChildren(), 8000);
  }

  /** Removes the instance: its listeners, timers and wasm side, and its markup (the element is
   * left as it was before mounting, empty). Its handle's methods then throw a clear error. */
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    // Every callback checks `stopped` (see `guard`): none reaches the freed wasm side.
    this.stopped = true;
    this.refineNow();
    this.playing = false;
    this.observer.disconnect();
    this.dark.removeEventListener("change", this.onDark);
    this.pixelRatio.removeEventListener("change", this.onPixelRatio);
    clearTimeout(this.noticeTimer);
    clearTimeout(this.urlTimer);
    cancelAnimationFrame(this.changeFrame);
    this.embed.destroy();
    this.presenter.destroy();
    cancelAnimationFrame(this.trainFrame);
    this.network.destroy();
    this.views.destroy();
    this.viz.free();
    this.root.replaceChildren();
    const ours = [...this.root.classList].filter((c) => c === "gdviz" || c.startsWith("gdviz-"));
    this.root.classList.remove(...ours);
  }

  /** `f` as a handle method: after `destroy()` it throws (or, for `async`, rejects) with a
   * message saying so instead of reaching the freed wasm side. */
  live(f, async = false) {
    return (...args) => {
      if (this.destroyed) {
        const e = new Error("gdviz: this instance was destroyed (destroy() was called); mount a new one");
        if (async) return Promise.reject(e);
        throw e;
      }
      return f(...args);
    };
  }

  buildLessons() {
    this.lessons = lessons();
    for (const l of this.lessons) this.$("lesson").appendChild(new Option(l.title, l.id));
    this.$("lesson").addEventListener("change", this.guard((e) => this.loadLesson(e.target.value)));
    this.$("lesson-exercise").addEventListener("click", this.guard(() => {
      this.change(() => this.viz.startExercise());
      this.$("exercise-prompt").scrollIntoView?.({ block: "nearest" });
      this.$("exercise-choices").firstElementChild?.focus();
    }));
  }

  /** Loads a lesson (its whole state) and shows its text; an empty id is free exploration,
   * which keeps the state as it is. */
  loadLesson(id) {
    const lesson = this.lessons.find((l) => l.id === id);
    this.$("lesson").value = lesson ? id : "";
    this.$("lesson-box").hidden = !lesson;
    if (lesson) {
      this.$("lesson-title").textContent = lesson.title;
      // Network mode's lesson texts are in the second module, which that mode loads anyway.
      const lab = labLoaded();
      this.$("lesson-text").textContent = lesson.text || (lab?.lessonText(id) ?? "Loading the lesson…");
      if (!lesson.text && !lab) {
        const show = (text) => {
          if (this.viz.lesson === id) this.$("lesson-text").textContent = text;
        };
        loadLab().then(this.guard((loaded) => show(loaded.lessonText(id) ?? "")),
          this.guard((e) => show(`This lesson's text could not load: ${e.message}. Reload the page to try again.`)));
      }
    }
    const choices = this.$("lesson-choices");
    choices.replaceChildren(...(lesson ? lesson.choices : []).map((c, i) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = c.label;
      b.addEventListener("click", this.guard(() => this.change(() => this.viz.chooseLesson(i))));
      return b;
    }));
    choices.hidden = choices.childElementCount === 0;
    put(this.$("lesson-exercise"), "hidden", !lesson?.exercise);
    // Another lesson (or none) withdraws the question posed.
    this.viz.setQuestion("");
    const notices = this.change(() => this.viz.loadLesson(lesson ? id : ""));
    // The view below Network mode's charts the lesson is about opens with it (its toggle
    // event computes it), the landscape on the plane the lesson's text describes.
    const views = LESSON_VIEWS[lesson?.opens];
    if (views?.plane) this.network.setPlane(views.plane);
    for (const view of views?.open ?? []) this.$(OPENABLE[view]).open = true;
    return notices;
  }

  /** The runs: a row per run in the Race box (a radio button selects it, ✕ removes it) and,
   * with several, the legend above the slider, whose entries select too. Built when the
   * number of runs changes and only updated otherwise, so focus stays where it is. */
  buildRace(s) {
    const n = s.runs.length;
    put(this.$("race-clear"), "hidden", n === 1);
    put(this.$("race-add"), "disabled", n >= 4);
    const rows = this.$("race-rows");
    // The surfaces' legend under the plot, Network mode's under its views: the same buttons.
    const legends = [this.$("legend"), this.$("net-legend")];
    if (rows.childElementCount !== (n > 1 ? n : 0)) {
      rows.replaceChildren();
      for (const legend of legends) legend.replaceChildren();
      if (n > 1) {
        for (let i = 0; i < n; i++) {
          rows.appendChild(this.raceRow(i));
          for (const legend of legends) legend.appendChild(this.legendItem(i));
        }
      }
    }
    for (const legend of legends) put(legend, "hidden", n === 1);
    s.runs.forEach((run, i) => {
      if (n === 1) return;
      const row = rows.children[i];
      const radio = row.querySelector("input");
      put(radio, "checked", i === s.selected);
      put(row.querySelector(".gdviz-swatch").style, "background", run.colour);
      put(row.querySelector(".gdviz-race-name"), "textContent", `Run ${i + 1}: ${run.name}`);
      for (const legend of legends) {
        const item = legend.children[i];
        attr(item, "aria-pressed", String(i === s.selected));
        put(item.querySelector(".gdviz-swatch").style, "background", run.colour);
        put(item.dataset, "name", `${i + 1}. ${run.name}`);
      }
      const status = run.status === "diverged" ? `diverged at step ${run.divergedAt}`
        : `f = ${formatNumber(run.loss)}`;
      put(legends[0].children[i].querySelector(".gdviz-legend-text"), "textContent",
        this.exercise.veiled ? `${i + 1}. ${run.name}` : `${i + 1}. ${run.name}: ${status}`);
    });
    for (const el of this.root.querySelectorAll("[data-runs]")) put(el, "hidden", n === 1);
    this.buildPartners(s);
    for (const tag of this.root.querySelectorAll(".gdviz-run-tag")) {
      put(tag.querySelector(".gdviz-swatch").style, "background", s.runs[s.selected].colour);
      put(tag.querySelector(".gdviz-run-tag-text"), "textContent", `run ${s.selected + 1}`);
    }
  }

  /** The runs the ends plane can go through besides the selected one, as the options of the
   * chooser beside the plane buttons (rebuilt only when they change, so focus stays). */
  buildPartners(s) {
    const select = this.$("net-plane-with");
    const options = s.runs.map((run, i) => [String(i + 1), `run ${i + 1}: ${run.name}`])
      .filter((_, i) => i !== s.selected);
    const key = JSON.stringify(options);
    if (select.dataset.key === key) return;
    select.dataset.key = key;
    select.replaceChildren(...options.map(([value, text]) => {
      const o = document.createElement("option");
      o.value = value;
      o.textContent = text;
      return o;
    }));
  }

  /** Network mode's legend: each run's name and, once the second module trains it, its
   * numbers at the step shown (`runs`, the network state's). */
  netLegend(runs = []) {
    const legend = this.$("net-legend");
    if (legend.hidden) return;
    [...legend.children].forEach((item, i) => {
      const status = this.exercise.veiled ? undefined : runs[i]?.status;
      put(item.querySelector(".gdviz-legend-text"), "textContent",
        status ? `${item.dataset.name}: ${status}` : item.dataset.name);
    });
  }

  /** Race row `i`: a radio button that selects the run, its colour and name, and ✕. */
  raceRow(i) {
    const row = document.createElement("div");
    row.className = "gdviz-race-row";
    const label = document.createElement("label");
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.name = `${this.prefix}selected-run`;
    radio.value = String(i);
    radio.addEventListener("change", this.guard(() => { if (radio.checked) this.apply({ selected: i }); }));
    const swatch = document.createElement("span");
    swatch.className = "gdviz-swatch";
    const name = document.createElement("span");
    name.className = "gdviz-race-name";
    label.append(radio, swatch, name);
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "✕";
    remove.setAttribute("aria-label", `Remove run ${i + 1}`);
    remove.addEventListener("click", this.guard(() => {
      // The ends plane keeps its run: a run removed before it moves its number down one; the
      // run itself removed, the plane goes through the next run's end.
      const n = Number(/^ends:(\d+)$/.exec(this.network.plane)?.[1]);
      if (n === i + 1) this.network.setPlane("ends");
      else if (n > i + 1) this.network.setPlane(`ends:${n - 1}`);
      this.change(() => this.viz.removeRun(i));
    }));
    row.append(label, remove);
    return row;
  }

  /** Legend entry `i`: a button that selects the run. */
  legendItem(i) {
    const item = document.createElement("button");
    item.type = "button";
    item.className = "gdviz-legend-item";
    item.title = "Drive this run with the slider and the settings";
    const swatch = document.createElement("span");
    swatch.className = "gdviz-swatch";
    const text = document.createElement("span");
    text.className = "gdviz-legend-text";
    item.append(swatch, text);
    item.addEventListener("click", this.guard(() => this.apply({ selected: i })));
    return item;
  }

  bindRace() {
    this.$("race-add").addEventListener("click", this.guard(() => this.change(() => this.viz.addRun())));
    this.$("race-clear").addEventListener("click", this.guard(() => this.change(() => this.viz.keepSelected())));
  }

  buildMenus() {
    for (const s of this.cat.surfaces) {
      this.$("surface").appendChild(new Option(`${s.title} (${s.name})`, s.name));
    }
    this.$("surface").appendChild(new Option(EXPR.title, EXPR.name));
    const groups = new Map();
    for (const k of this.cat.schedules) this.$("schedule-kind").appendChild(new Option(k.title, k.name));
    for (const o of this.cat.optimizers) {
      if (!groups.has(o.group)) {
        const g = document.createElement("optgroup");
        g.label = o.group;
        groups.set(o.group, g);
        this.$("optimizer").appendChild(g);
      }
      groups.get(o.group).appendChild(new Option(o.title, o.name));
    }
  }

  /** Applies options (anything a script hands over: read once into plain data by `snapshot`),
   * redraws, and brings the controls in line with the new state. */
  apply(options) {
    const { value, notices } = snapshot(options, "options");
    if (!isRecord(value)) {
      const all = [...notices, `set() takes an object of options, e.g. {lr: 0.01}; got ${value === undefined ? "nothing readable" : Array.isArray(value) ? "a list" : typeof value}`];
      this.notify(all);
      return all;
    }
    return this.change(() => this.viz.set(value), value, notices);
  }

  /** A coarse background was drawn: redraw it at full resolution on the next animation frame,
   * unless another change comes first (a drag delivers one per frame, before that frame's
   * callbacks), which schedules it again. So a drag shows coarse backgrounds and the full one a
   * frame after it stops; a single change shows the full one a frame later. */
  scheduleRefine() {
    cancelAnimationFrame(this.refineFrame);
    this.refineFrame = requestAnimationFrame(this.guard(() => this.refineNow()));
  }

  /** Draws the pending full-resolution background now, if any, and settles the waiters. */
  refineNow() {
    cancelAnimationFrame(this.refineFrame);
    this.refineFrame = 0;
    if (!this.stopped) this.viz.refine();
    const waiting = this.refined ?? [];
    this.refined = [];
    for (const done of waiting) done();
  }

  /** Resolves when the picture is final: at once, or after the pending refinement. */
  drawn() {
    if (!this.refineFrame) return Promise.resolve();
    return new Promise((done) => (this.refined ??= []).push(done));
  }

  /** Makes a change to the state with `f` (which returns the notices), redraws, and brings the
   * controls in line; `options` are the options it set, if any (for the expression box), and
   * `earlier` notices about them from before. */
  change(f, options = {}, earlier = []) {
    if (this.stopped) return ["gdviz stopped: reload to start again"];
    try {
      const notices = [...earlier, ...Array.from(f())];
      this.pause();
      if (this.viz.renderQuick()) this.scheduleRefine();
      this.sync();
      this.views.draw();
      this.train();
      this.notify(this.exprNotices(options, notices));
      this.saveUrl();
      this.changed();
      return notices;
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) this.fatal(e);
      else this.notify([String(e.message || e)]);
      return [String(e.message || e)];
    }
  }

  /** A view below Network mode's charts opened or closed, or another plane: the link holds
   * them (`open=`, `plane=`), so the address bar, the embed snippets and `gdviz-change` follow. */
  viewsChanged() {
    this.saveUrl();
    this.embed.sync();
    this.changed();
  }

  /** Schedules the state's announcement for the next animation frame, once however many changes
   * come before it: a slider drag fires one `gdviz-change` per frame at most, with the state
   * the frame shows. */
  changed() {
    if (this.changeFrame) return;
    this.changeFrame = requestAnimationFrame(this.guard(() => this.announce()));
  }

  /** Fires `gdviz-change` on the instance's element with the state summary as `detail` when the
   * state differs from the last one announced, and
   * `gdviz-diverged` or `gdviz-converged` when the selected run's status (the core's, as the
   * status line shows it) came into that state since the last announcement. The events bubble
   * and cross shadow roots, so a page can listen on any ancestor. */
  announce() {
    this.changeFrame = 0;
    const state = this.summary();
    // A change that changed nothing (every value rejected, or set to what it was) is no event:
    // the link is the whole state.
    if (state.link === this.announcedLink) return;
    this.announcedLink = state.link;
    const into = state.status !== this.announced && ANNOUNCED.includes(state.status);
    this.announced = state.status;
    const fire = (type, detail) => this.root.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
    fire("gdviz-change", state);
    // A copy: a listener of the first event that edits its detail changes nothing here.
    if (into) fire(`gdviz-${state.status}`, structuredClone(state));
  }

  /** The state without the trajectories and the on-screen plot rectangle, with its link: cheap
   * however long the runs, plain data that can be posted to another window. */
  summary() {
    const s = this.viz.settings();
    delete s.plotCss;
    s.link = this.lastLink ?? this.link();
    return s;
  }

  bindControls() {
    const on = (id, event, f) => this.$(id).addEventListener(event, this.guard(f));
    on("mode-surfaces", "click", () => this.apply({ mode: "surfaces" }));
    on("mode-network", "click", () => this.apply({ mode: "network" }));
    // The landscape and the sharpness, shown or not, and the plane: each starts the frames
    // that compute them, and the link keeps them (`open=`, `plane=`).
    on("net-land", "toggle", (e) => {
      this.network.setLandscape(e.target.open);
      this.train();
      this.viewsChanged();
    });
    on("net-sharp", "toggle", (e) => {
      this.network.setSharpness(e.target.open);
      this.train();
      this.viewsChanged();
    });
    for (const plane of PLANES) {
      on(`net-plane-${plane}`, "click", () => {
        // Pressing ends again keeps the run chosen beside it.
        if (this.network.plane.split(":")[0] === plane) return;
        this.network.setPlane(plane);
        this.train();
        this.viewsChanged();
      });
    }
    // In a race of three or four, the ends plane goes through the end of the run chosen here.
    on("net-plane-with", "change", (e) => {
      this.network.setPlane(`ends:${e.target.value}`);
      this.train();
      this.viewsChanged();
    });
    for (const id of ["dataset", "activation", "hidden", "curves"]) on(id, "change", (e) => this.apply({ [id]: e.target.value }));
    for (const id of ["data_seed", "init_seed"]) on(id, "change", (e) => this.boxed(id, e.target));
    on("surface", "change", (e) => (e.target.value === EXPR.name
      ? this.applyExpr() : this.apply({ surface: e.target.value })));
    on("expr", "keydown", (e) => {
      if (e.key !== "Enter") return;
      e.preventDefault();
      this.applyExpr();
    });
    on("expr-apply", "click", () => this.applyExpr());
    for (const axis of ["x", "y"]) {
      const range = () => [parseFloat(this.$(`${axis}min`).value), parseFloat(this.$(`${axis}max`).value)];
      on(`${axis}min`, "change", () => this.apply({ [`${axis}range`]: range() }));
      on(`${axis}max`, "change", () => this.apply({ [`${axis}range`]: range() }));
    }
    on("optimizer", "change", (e) => this.apply({ optimizer: e.target.value }));
    on("variant", "change", (e) => this.apply({ variant: e.target.value }));
    on("lr", "input", (e) => this.setLr(lrFromSlider(Number(e.target.value))));
    on("lr-value", "change", (e) => this.boxed("lr", e.target));
    for (const h of HYPERS) {
      on(h, "input", (e) => this.apply({ [h]: Number(e.target.value) }));
      on(`${h}-value`, "change", (e) => this.boxed(h, e.target));
    }
    for (const id of ["eps", "batch", "seed", "noise", "steps", ...BOXED]) {
      on(id, "change", (e) => this.boxed(id, e.target));
    }
    for (const f of FLAGS) on(f, "change", (e) => this.apply({ [f]: e.target.checked }));
    for (const c of CHOICES) on(c, "change", (e) => this.apply({ [c]: e.target.value }));
    on("schedule-kind", "change", (e) => this.apply({ schedule: this.viz.scheduleExample(e.target.value) }));
    on("schedule", "change", (e) => this.apply({ schedule: e.target.value }));
    // An empty clip box is no clipping.
    for (const c of ["clip_norm", "clip_value"]) {
      on(c, "change", (e) => this.apply({ [c]: e.target.value.trim() === "" ? null : e.target.value }));
    }
    for (const p of PAIRS) {
      const both = () => this.apply({ [p]: [0, 1].map((i) => Number(this.$(`${p}-${i}`).value)) });
      on(`${p}-0`, "change", both);
      on(`${p}-1`, "change", both);
    }
  }

  /** Applies a number box's value to option `key`. A box left empty, or holding what the
   * browser cannot read as a number (a number input then reports ""), is a notice like any
   * rejected value, and the box goes back to the value in force. */
  boxed(key, box) {
    if (box.value.trim() === "") {
      this.notify([`${key}: expected a number; the box is empty or holds no number`]);
      this.sync();
      return [];
    }
    return this.apply({ [key]: box.value });
  }

  /** The learning rate of the selected run. */
  setLr(lr) {
    return this.apply({ lr });
  }

  /** Draws the typed f(x, y); a rejected text stays in the box with its error beside it. */
  applyExpr() {
    return this.apply({ expr: this.$("expr").value });
  }

  /** Shows the notices about the typed f(x, y) and its view under its box (clearing the last
   * one when they were set) and returns the others, for the notices bar. */
  exprNotices(options, notices) {
    const mine = (n) => EXPR_KEYS.some((k) => n.startsWith(`${k}: `));
    const errors = notices.filter(mine).map((n) => n.replace(/^expr: /, ""));
    if (errors.length || EXPR_KEYS.concat("surface").some((k) => k in options)) {
      const box = this.$("expr-error");
      box.textContent = errors.join(" ");
      box.hidden = errors.length === 0;
      // Select the place the message points at, if the user is typing there.
      const at = /^[^;]*? at (\d+)(?:\.\.(\d+))?/.exec(errors[0] ?? "");
      const input = this.$("expr");
      if (at && document.activeElement === input && "expr" in options) {
        const start = Math.min(Number(at[1]), input.value.length);
        input.setSelectionRange(start, Math.min(Number(at[2] ?? at[1]), input.value.length));
      }
    }
    return notices.filter((n) => !mine(n));
  }

  /** The expression box and the view inputs follow the state; a rejected text stays. */
  syncExpr(s) {
    const on = s.surface === EXPR.name;
    if (on && s.expr !== this.shownExpr) this.$("expr").value = s.expr;
    this.shownExpr = on ? s.expr : undefined;
    put(this.$("expr-view"), "hidden", !on);
    if (!on) return;
    for (const [axis, [lo, hi]] of [["x", s.view.x], ["y", s.view.y]]) {
      this.$(`${axis}min`).value = String(lo);
      this.$(`${axis}max`).value = String(hi);
    }
  }

  bindPlot() {
    const overlay = this.$("overlay");
    let dragging = false;
    let pending = null;
    const moveTo = (e) => {
      const rect = overlay.getBoundingClientRect();
      const p = this.viz.paramAt((e.clientX - rect.left) / this.zoom, (e.clientY - rect.top) / this.zoom);
      if (!p) return;
      // Coalesce drag events to one run per frame.
      if (pending === null) {
        requestAnimationFrame(this.guard(() => {
          this.apply({ start: pending });
          pending = null;
        }));
      }
      pending = [p[0], p[1]];
    };
    overlay.addEventListener("pointerdown", this.guard((e) => {
      // A "which minimum" question waiting for its answer: the click is the answer.
      if (this.exercise.takesClicks()) {
        const rect = overlay.getBoundingClientRect();
        const p = this.viz.paramAt((e.clientX - rect.left) / this.zoom, (e.clientY - rect.top) / this.zoom);
        if (p) this.exercise.answer(`at:${p[0]},${p[1]}`);
        return;
      }
      dragging = true;
      overlay.setPointerCapture(e.pointerId);
      moveTo(e);
    }));
    overlay.addEventListener("pointermove", this.guard((e) => { if (dragging) moveTo(e); }));
    // Arrow keys on the focused plot move the start by 2% of the view (Shift: 10%).
    const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    overlay.addEventListener("keydown", this.guard((e) => {
      // 1 to 4 select a run.
      if (/^[1-4]$/.test(e.key) && !e.altKey && !e.ctrlKey && !e.metaKey) {
        const i = Number(e.key) - 1;
        if (i < this.viz.settings().runs.length) {
          e.preventDefault();
          this.apply({ selected: i });
        }
        return;
      }
      const d = ARROWS[e.key];
      if (!d || e.altKey || e.ctrlKey || e.metaKey) return;
      e.preventDefault();
      const by = e.shiftKey ? 10 : 2;
      this.apply({ start: Array.from(this.viz.nudgeStart(d[0] * by, d[1] * by)) });
    }));
    const stop = () => { dragging = false; };
    overlay.addEventListener("pointerup", this.guard(stop));
    overlay.addEventListener("pointercancel", this.guard(stop));
  }

  bindPlayer() {
    this.$("play").addEventListener("click", this.guard(() => this.play()));
    this.$("pause").addEventListener("click", this.guard(() => this.pause()));
    this.$("step").addEventListener("click", this.guard(() => { this.pause(); this.show(this.current + 1); }));
    this.$("reset").addEventListener("click", this.guard(() => { this.pause(); this.show(0); }));
    this.$("scrub").addEventListener("input", this.guard((e) => { this.pause(); this.show(Number(e.target.value)); }));
    this.$("speed").addEventListener("input", this.guard(() => this.showSpeed()));
    this.showSpeed();
  }

  /** Steps per second of the animation: the speed slider is log-scale from 1 to 1000. */
  speed() {
    return Math.round(lrFromSlider(Number(this.$("speed").value)));
  }

  showSpeed() {
    const text = `${this.speed()}/s`;
    this.$("speed-value").textContent = text;
    this.$("speed").setAttribute("aria-valuetext", `${this.speed()} steps per second`);
  }

  /** Animates the run from the step shown (from the start at the end) at `rate` steps per
   * second (the speed slider's by default); `onEnd` runs when it reaches the last step. */
  play(rate = null, onEnd = null) {
    // A prediction waiting for its answer keeps the run hidden (the lecturer's Space key too).
    if (this.exercise.veiled) return;
    if (this.current >= this.stepCount) this.show(0);
    this.playing = true;
    this.position = this.current;
    let last = performance.now();
    const tick = this.guard((now) => {
      if (!this.playing) return;
      this.position += ((rate ?? this.speed()) * Math.min(now - last, 100)) / 1000;
      last = now;
      const k = Math.floor(this.position);
      if (k !== this.current) this.show(k);
      if (this.current >= this.stepCount) {
        this.pause();
        onEnd?.();
      } else requestAnimationFrame(tick);
    });
    requestAnimationFrame(tick);
    this.updateStatus();
  }

  pause() {
    this.playing = false;
    this.updateStatus();
  }

  /** The step shown and the steps there are: in Network mode the network's, else the runs'. */
  get current() {
    return this.viz.networkOn ? this.network.current : this.viz.current;
  }

  get stepCount() {
    return this.viz.networkOn ? this.network.stepCount : this.viz.stepCount;
  }

  show(k) {
    try {
      if (this.viz.networkOn) this.network.show(Math.max(0, k));
      else {
        this.viz.showStep(Math.max(0, k));
        this.views.draw(false);
      }
    } catch (e) {
      this.fatal(e);
      return;
    }
    this.$("scrub").value = String(this.current);
    this.updateReadout();
    if (this.viz.networkOn) this.syncNetwork();
  }

  /** In Network mode, trains the run the settings describe in frame-sized chunks: one chunk of
   * about 6 ms per animation frame (the views redrawn after it), so input is never blocked for
   * more than a frame; a new setting starts a new run on the next frame (the Rust side sees
   * that its settings changed and drops the old run). */
  train() {
    cancelAnimationFrame(this.trainFrame);
    this.trainFrame = 0;
    // Back on the surfaces: the network's run is dropped (its memory with it), and the
    // captions' heights are their own again.
    if (!this.viz.networkOn) {
      this.holdCaptions(false);
      return this.network.destroy();
    }
    // The second module's view, handed the state (or, the first time, loading: this runs
    // again once it is there).
    const view = this.network.sync();
    this.syncNetwork(view ? true : undefined);
    if (!view) return;
    const chunk = this.guard(() => {
      this.trainFrame = 0;
      const more = view.trainFor(6);
      this.syncNetwork(more);
      if (more) this.trainFrame = requestAnimationFrame(chunk);
      else this.changed();
    });
    this.trainFrame = requestAnimationFrame(chunk);
  }

  /** Network mode's progress, readouts, step slider and the views' text alternatives. While
   * `busy` (a run or its views being recomputed) the captions above the controls keep at least
   * the height they had when the work began, and once it is done (`busy` false) they take their
   * own: a caption that shrank to "Computing…" and grew back would move the learning-rate
   * slider under a person dragging it. (`busy` undefined leaves them as they are.) */
  syncNetwork(busy) {
    if (busy !== undefined) this.holdCaptions(busy);
    const n = this.network.state();
    put(this.$("net-progress"), "textContent", n.progress);
    const num = (v) => (v === null || v === undefined ? "–" : formatNumber(v));
    put(this.$("net-step"), "textContent", n.step === undefined ? "–" : `${n.step} of ${n.trained}`);
    put(this.$("net-train-loss"), "textContent", n.trainLoss === undefined ? "–" : n.trainLossText);
    put(this.$("net-test-loss"), "textContent", n.testLoss === undefined ? "–" : n.testLossText);
    put(this.$("net-acc-row"), "hidden", n.testAcc === null || n.testAcc === undefined);
    put(this.$("net-test-acc"), "textContent", n.testAccText ?? num(n.testAcc));
    put(this.$("net-boundary-text"), "textContent", n.boundaryText ?? n.progress);
    put(this.$("net-curves-text"), "textContent", n.curvesText ?? n.progress);
    put(this.$("net-diagram-text"), "textContent", n.diagramText ?? n.progress);
    const land = n.landscape;
    const plane = land?.plane ?? this.network.plane.split(":")[0];
    for (const p of PLANES) attr(this.$(`net-plane-${p}`), "aria-pressed", String(p === plane));
    // The ends plane goes through a second run's end: offered in a race only; in a race of
    // three or four, which other run's end is chosen beside it.
    put(this.$("net-plane-ends"), "disabled", this.runCount < 2);
    put(this.$("net-plane-ends-why"), "hidden", this.runCount >= 2);
    const choosing = plane === "ends" && this.runCount > 2 && typeof land?.partner === "number";
    put(this.$("net-plane-with-box"), "hidden", !choosing);
    if (choosing) put(this.$("net-plane-with"), "value", String(land.partner));
    const words = land?.caption ?? n.progress;
    put(this.$("net-land-caption"), "textContent", words);
    put(this.$("net-landscape-text"), "textContent", land?.landscapeText ?? words);
    put(this.$("net-honesty-text"), "textContent", land?.honestyText ?? words);
    put(this.$("net-line-caption"), "textContent", land?.lineCaption ?? "");
    put(this.$("net-sharp-caption"), "textContent", n.sharpness?.caption ?? n.progress);
    const u = n.update;
    put(this.$("net-update-title"), "textContent", u ? `The next update: step ${u.step}, from the step shown`
      : "The next update");
    put(this.$("net-update-rule"), "textContent", u ? u.rule : "");
    put(this.$("net-update-lines"), "textContent", u ? u.lines.join("\n")
      : n.trained ? `Step ${n.step} is the last step trained: no update follows it. Scrub back to see one.` : "");
    put(this.$("net-update-note"), "textContent", u ? u.note : "");
    put(this.$("scrub"), "max", String(this.stepCount));
    put(this.$("scrub"), "value", String(this.current));
    this.netLegend(n.runs);
  }

  /** Holds (`busy`) or releases the heights of Network mode's captions above its controls; the
   * height is read once, when the work begins (one layout, not one per frame). */
  holdCaptions(busy) {
    for (const id of ["net-land-caption", "net-line-caption", "net-sharp-caption", "net-update-rule", "net-update-lines", "net-update-note"]) {
      const el = this.$(id);
      // The layout height to the fraction (not offsetHeight, rounded to a pixel; not the
      // bounding box, which a scaled embed scales).
      if (busy && !el.style.minHeight) el.style.minHeight = getComputedStyle(el).height;
      else if (!busy && el.style.minHeight) el.style.minHeight = "";
    }
  }

  /** Follows the device pixel ratio (a window moved to a screen of another density, where no
   * box changes size): a media query for the ratio in force fires once when it stops matching;
   * the canvases are then redrawn at the new ratio and the query renewed. */
  watchPixelRatio() {
    this.pixelRatio?.removeEventListener("change", this.onPixelRatio);
    this.pixelRatio = window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    this.pixelRatio.addEventListener("change", this.onPixelRatio);
  }

  resize() {
    const box = this.$("plot-box").getBoundingClientRect();
    const loss = this.$("loss-box").getBoundingClientRect();
    try {
      // Magnified, the canvases are drawn for a screen `zoom` times smaller at `zoom` times the
      // pixel ratio: as sharp, with every line and label `zoom` times larger.
      const z = this.zoom;
      this.viz.resize(box.width / z, box.height / z, loss.width / z, loss.height / z,
        (window.devicePixelRatio || 1) * z, this.dark.matches);
      this.views.resize(box);
      this.network.resize();
      this.viz.render();
      this.views.draw();
    } catch (e) {
      this.fatal(e);
    }
  }

  /** Puts every control, the readouts and the description in line with the state. */
  sync() {
    this.exercise.sync();
    const s = this.viz.settings();
    this.runCount = s.runs.length;
    // The ends plane needs a second run: back to one run, the landscape returns to PCA's; the
    // run it went through removed or selected, it goes through the next run's end.
    const ends = /^ends(?::(\d+))?$/.exec(this.network.plane);
    if (ends && this.runCount < 2) this.network.setPlane("pca");
    else if (ends?.[1] && (Number(ends[1]) > this.runCount || Number(ends[1]) === s.selected + 1)) {
      this.network.setPlane("ends");
    }
    const network = s.mode === "network";
    this.root.classList.toggle("gdviz-network-mode", network);
    attr(this.$("mode-surfaces"), "aria-pressed", String(!network));
    attr(this.$("mode-network"), "aria-pressed", String(network));
    put(this.$("net-box"), "hidden", !network);
    const n = this.viz.networkState();
    put(this.$("dataset"), "value", n.dataset);
    put(this.$("hidden"), "value", n.hidden);
    put(this.$("activation"), "value", n.activation);
    put(this.$("data_seed"), "value", String(n.dataSeed));
    put(this.$("init_seed"), "value", String(n.initSeed));
    put(this.$("curves"), "value", n.curves);
    put(this.$("surface"), "value", s.surface);
    put(this.$("optimizer"), "value", s.optimizer);
    put(this.$("variant"), "value", s.variant);
    const lr = s.lr;
    put(this.$("lr"), "value", String(sliderFromLr(lr)));
    attr(this.$("lr"), "aria-valuetext", `learning rate ${formatNumber(lr)}`);
    put(this.$("lr-value"), "value", String(lr));
    for (const h of HYPERS) {
      put(this.$(h), "value", String(s[h]));
      put(this.$(`${h}-value`), "value", String(s[h]));
    }
    put(this.$("eps"), "value", String(s.eps));
    for (const h of BOXED) put(this.$(h), "value", String(s[h]));
    for (const f of FLAGS) put(this.$(f), "checked", s[f]);
    for (const c of CHOICES) put(this.$(c), "value", s[c]);
    for (const p of PAIRS) [0, 1].forEach((i) => put(this.$(`${p}-${i}`), "value", String(s[p][i])));
    put(this.$("rates-box"), "hidden", !this.viz.hasSchedule);
    if (this.viz.hasSchedule) put(this.$("rates-caption"), "textContent", this.viz.ratesCaption);
    const kind = s.schedule.split(":")[0];
    put(this.$("schedule-kind"), "value", kind);
    put(this.$("schedule"), "value", s.schedule);
    put(this.$("schedule-row"), "hidden", kind === "constant");
    for (const c of ["clip_norm", "clip_value"]) put(this.$(c), "value", s[c] === null ? "" : String(s[c]));
    put(this.$("batch"), "value", String(s.batch));
    put(this.$("seed"), "value", String(s.seed));
    put(this.$("noise"), "value", String(s.noise));
    put(this.$("steps"), "value", String(s.steps));
    const opt = this.cat.optimizers.find((o) => o.name === s.optimizer);
    const uses = new Set(opt.hypers.map((h) => h.name));
    for (const el of this.root.querySelectorAll(".gdviz-hyper")) put(el, "hidden", !uses.has(el.dataset.hyper));
    put(this.$("hyper-advanced"), "hidden", !opt.hypers.some((h) => h.advanced));
    put(this.$("variant"), "disabled", opt.fullBatch);
    put(this.$("variant-note"), "hidden", !opt.fullBatch);
    put(this.$("rule"), "textContent", s.rule);
    this.syncCode(s);
    this.embed.sync();
    const surface = this.cat.surfaces.find((x) => x.name === s.surface) ?? EXPR;
    this.syncExpr(s);
    put(this.$("noise-row"), "hidden", surface.dataset || s.variant === "batch");
    put(this.$("seed-row"), "hidden", s.variant === "batch");
    put(this.$("batch-row"), "hidden", s.variant !== "minibatch");
    put(this.$("batch"), "max", String(s.terms));
    this.buildSurfaceParams(surface, s);
    this.syncViews(surface);
    put(this.$("describe"), "textContent", network ? n.describe : this.viz.describe());
    this.buildRace(s);
    this.syncKey(s.key);
    const chosen = this.viz.lessonChoice;
    [...this.$("lesson-choices").children].forEach((b, i) => attr(b, "aria-pressed", String(i === chosen)));
    const mark = this.$("critical-mark");
    put(mark, "hidden", s.criticalMark === null || s.criticalMark < 0 || s.criticalMark > 1);
    if (!mark.hidden) put(mark.style, "left", `${(s.criticalMark * 100).toFixed(2)}%`);
    put(this.$("critical"), "textContent", s.criticalCaption);
    put(this.$("scrub"), "max", String(this.stepCount));
    put(this.$("scrub"), "value", String(this.current));
    this.updateReadout();
    if (network) this.syncNetwork();
  }

  /** The key of the marks under the plot (★ global minimum, ...), rebuilt when it changes. */
  syncKey(key) {
    const text = key.map((k) => `${k.symbol} ${k.meaning}`);
    if (text.join("|") === this.shownKey) return;
    this.shownKey = text.join("|");
    this.$("key").replaceChildren(...text.map((t) => {
      const span = document.createElement("span");
      span.textContent = t;
      return span;
    }));
  }

  buildSurfaceParams(surface, state) {
    const box = this.$("surface-params");
    if (box.dataset.surface !== surface.name) {
      box.replaceChildren();
      box.dataset.surface = surface.name;
      for (const p of surface.params) {
        const row = document.createElement("div");
        row.className = "gdviz-row";
        const label = document.createElement("label");
        label.htmlFor = `${this.prefix}param-${p.name}`;
        label.textContent = `${p.name}: ${p.doc}`;
        const input = document.createElement("input");
        input.type = "number";
        input.id = `${this.prefix}param-${p.name}`;
        input.min = String(p.min);
        input.max = String(p.max);
        input.step = "any";
        input.addEventListener("change", this.guard((e) => this.boxed(p.name, e.target)));
        row.append(label, input);
        box.appendChild(row);
      }
    }
    for (const p of surface.params) {
      put(this.$(`param-${p.name}`), "value", String(state[p.name] ?? p.default));
    }
  }

  updateExplain() {
    const d = this.viz.explain();
    const several = this.runCount > 1;
    const of = d && several ? ` of run ${d.run + 1}` : "";
    put(this.$("update-title"), "textContent", d ? `The next update${of}: step ${d.step}, from the point shown` : "The next update");
    put(this.$("update").style, "borderLeftColor", d && several ? d.colour : "");
    put(this.$("update-rule"), "textContent", d ? d.rule : "");
    put(this.$("update-lines"), "textContent", d ? d.lines.join("\n")
      : "No update from here: the run diverged. Scrub back to an earlier step.");
  }

  updateReadout() {
    this.updateExplain();
    const r = this.viz.readout();
    put(this.$("readout-step"), "textContent", `${r.step} / ${this.stepCount}`);
    put(this.$("readout-theta"), "textContent", `(${formatNumber(r.x)}, ${formatNumber(r.y)})`);
    put(this.$("readout-loss"), "textContent", formatNumber(r.loss));
    put(this.$("readout-grad"), "textContent", formatNumber(r.gradNorm));
    put(this.$("plot-summary"), "textContent", this.exercise.veiled
      ? "The path is hidden until you answer the exercise above the plot." : this.viz.summary());
    this.updateStatus(r);
  }

  updateStatus(r = this.viz.readout()) {
    const el = this.$("status");
    let text;
    let kind;
    if (this.playing) {
      text = "running";
      kind = "running";
    } else if (this.exercise.veiled) {
      text = "hidden until you answer the exercise";
      kind = "veiled";
    } else if (r.status === "diverged") {
      text = `diverged at step ${r.divergedAt}: ${r.divergedWhy}`;
      kind = "diverged";
    } else if (r.status === "converged") {
      text = `converged at step ${r.convergedAt}: ‖∇f‖ < 1e-6 from there on`;
      kind = "converged";
    } else {
      text = `not converged after ${this.stepCount} steps`;
      kind = "max-steps";
    }
    put(el, "textContent", text);
    put(el.dataset, "kind", kind);
  }

  /** The data view and the 3D view: their canvases, the 3D toggle, turning by drag and keys. */
  bindViews() {
    const canvas = this.$("view3d");
    this.viz.attachHeat(this.$("heat"));
    this.viz.attachLossAxes(this.$("loss-axes"), this.$("loss-lines"));
    this.viz.attachRatesBelow(this.$("rates-below"), document.createElement("canvas"));
    this.viz.attachRates(this.$("rates"));
    this.$("view3d-toggle").addEventListener("click", this.guard(() => this.toggle3d()));
    const turn = (f) => {
      try {
        return f();
      } catch (e) {
        this.fatal(e);
        return false;
      }
    };
    let last = null;
    canvas.addEventListener("pointerdown", this.guard((e) => {
      last = e;
      canvas.setPointerCapture(e.pointerId);
      canvas.focus();
    }));
    canvas.addEventListener("pointermove", this.guard((e) => {
      if (!last) return;
      const [dx, dy] = [e.clientX - last.clientX, e.clientY - last.clientY];
      last = e;
      turn(() => this.views.rotate(dx, dy));
    }));
    const stop = () => { last = null; };
    canvas.addEventListener("pointerup", this.guard(stop));
    canvas.addEventListener("pointercancel", this.guard(stop));
    canvas.addEventListener("keydown", this.guard((e) => {
      if (turn(() => this.views.rotateKey(e.key))) e.preventDefault();
    }));
  }

  /** Switches between the contour plot and the 3D view. */
  toggle3d() {
    const on = !this.views.on3d;
    try {
      this.views.set3d(on);
    } catch (e) {
      this.fatal(e);
      return;
    }
    this.$("view3d").hidden = !on;
    this.$("plot-box").classList.toggle("gdviz-is-3d", on);
    this.$("view3d-toggle").setAttribute("aria-pressed", String(on));
  }

  /** Shows the data view for dataset surfaces only; the layout change resizes the canvases. */
  syncViews(surface) {
    const show = Boolean(surface && surface.dataset);
    if (this.$("data-box").hidden !== show) return;
    this.$("data-box").hidden = !show;
    this.$("plot-row").classList.toggle("gdviz-with-data", show);
    this.resize();
  }

  /** The link to the state shown: the page's own keys (embed, controls), the lesson, every
   * option that differs from the lesson's state (or the defaults without one), and in Network
   * mode the open views and the plane where they differ from the lesson's (`open=`, `plane=`). The
   * page's instance links to itself; a mounted one to the full app at `home`. */
  link() {
    const parts = [];
    if (this.pageQuery) parts.push(this.pageQuery);
    const lesson = this.viz.lesson;
    if (lesson) parts.push(`lesson=${encodeURIComponent(lesson)}`);
    const question = this.viz.question;
    if (question) parts.push(`question=${encodeURIComponent(question)}`);
    const options = this.viz.query();
    if (options) parts.push(options);
    // Network mode's views below the charts and the landscape's plane, where they differ
    // from what the lesson (or none) opens.
    if (this.viz.networkOn) {
      const view = this.viewBase();
      const open = Object.keys(OPENABLE).filter((v) => this.$(OPENABLE[v]).open);
      if (open.join() !== view.open.join()) parts.push(`open=${open.join(",")}`);
      if (this.network.plane !== view.plane) parts.push(`plane=${this.network.plane}`);
    }
    const base = this.ownsUrl ? location.href.split(/[?#]/)[0] : this.home;
    return `${base}${parts.length ? `?${parts.join("&")}` : ""}`;
  }

  /** Keeps the address bar on the state, at most every 250 ms (the page's instance only), and
   * remembers the link of every state. */
  saveUrl() {
    // Kept for `fatal()`, which cannot ask the wasm once it trapped.
    this.lastLink = this.link();
    if (!this.ownsUrl || !this.urlReady || this.urlTimer) return;
    this.urlTimer = setTimeout(() => {
      this.urlTimer = null;
      try {
        history.replaceState(null, "", this.lastLink);
      } catch (e) {
        // Some embedding contexts (sandboxed iframes, file://) refuse; the link button still works.
      }
    }, 250);
  }

  /** Restores a state: the page keys `page` (embed, controls, lesson), then `options` through
   * `set()`'s validation (bad values and unknown keys are notices), showing them after
   * `earlier` (the notices of mount-only options). A link's query and the options of `mount()`
   * both come here. */
  restore(page, options, earlier = []) {
    const notices = [...earlier];
    const keep = [];
    if (page.embed !== undefined) {
      if ([true, 1, "1"].includes(page.embed)) {
        this.root.classList.add("gdviz-embed");
        keep.push("embed=1");
      } else if (![false, 0, "0"].includes(page.embed)) {
        notices.push(`embed: expected 1, got ${quote(page.embed)}; ignored`);
      }
    }
    if (page.present !== undefined) {
      if ([true, 1, "1"].includes(page.present)) {
        this.presenter.set(true);
        keep.push("present=1");
      } else if (![false, 0, "0"].includes(page.present)) {
        notices.push(`present: expected 1, got ${quote(page.present)}; ignored`);
      }
    }
    if (page.controls !== undefined) {
      const c = page.controls;
      const list = typeof c === "string" ? c
        : Array.isArray(c) && c.every((g) => typeof g === "string") ? c.join(",") : null;
      if (list === null) {
        notices.push(`controls: expected groups such as "lr,optimizer" or ["lr", "optimizer"], got ${quote(c)}; ignored`);
      } else {
        const { shown, notices: bad } = this.showOnly(list);
        notices.push(...bad);
        if (shown.length) keep.push(`controls=${encodeURIComponent(shown.join(",")).replaceAll("%2C", ",")}`);
      }
    }
    if (page.origin !== undefined) {
      if (!this.ownsUrl) {
        notices.push("origin: only the full page in an iframe takes messages from its host page; a mounted instance is scripted through its handle; ignored");
      } else {
        const { origins, notices: bad } = parseOrigins(page.origin);
        notices.push(...bad);
        this.origins = origins;
        if (origins.length) keep.push(`origin=${origins.map(encodeURIComponent).join(",")}`);
      }
    }
    this.pageQuery = keep.join("&");
    if (page.lesson !== undefined && page.lesson !== null) {
      const id = page.lesson;
      if (typeof id === "string" && this.lessons.some((l) => l.id === id)) notices.push(...this.loadLesson(id));
      else {
        const ids = this.lessons.map((l) => l.id);
        notices.push(`lesson: unknown lesson ${quote(id)}; ignored (the Lesson menu lists all ${ids.length}, e.g. ${ids.slice(0, 4).join(", ")})`);
      }
    }
    if (page.question !== undefined && page.question !== null) {
      const q = page.question;
      if (typeof q === "string") notices.push(...this.viz.setQuestion(q));
      else notices.push(`question: expected converges, minimum, within:N or first:EPS, got ${quote(q)}; ignored`);
      this.sync();
    }
    if (Object.keys(options).length) notices.push(...this.apply(options));
    // After the options: the ends plane needs the race they describe.
    notices.push(...this.restoreViews(page));
    this.urlReady = true;
    this.notify(notices);
    this.saveUrl();
    // The restored state is where events start from: no event for it, and a run that diverges
    // from the start fires `gdviz-diverged` only once it stops diverging and diverges again.
    cancelAnimationFrame(this.changeFrame);
    this.changeFrame = 0;
    this.announced = this.viz.settings().status;
    this.announcedLink = this.lastLink;
    return notices;
  }

  /** The page keys `open` (Network mode's views below the charts to open, e.g.
   * `landscape,sharpness`; empty closes both) and `plane` (`pca`, `random`, or in a race
   * `ends` or `ends:N`). Returns the notices: a bad value is reported and changes nothing (an
   * `ends:N` naming no other run of the race falls back to `ends`). */
  restoreViews(page) {
    const notices = [];
    const given = ["open", "plane"].filter((k) => page[k] !== undefined && page[k] !== null);
    if (given.length && !this.viz.networkOn) {
      return [`${given.join(", ")}: Network mode's views, and this state shows the surfaces (add mode=network); ignored`];
    }
    const o = page.open;
    if (o !== undefined && o !== null) {
      const list = typeof o === "string" ? o.split(",").map((v) => v.trim()).filter(Boolean)
        : Array.isArray(o) && o.every((v) => typeof v === "string") ? o : null;
      const bad = list?.find((v) => !Object.hasOwn(OPENABLE, v));
      if (list === null || bad !== undefined) {
        notices.push(`open: expected views among landscape and sharpness (e.g. "landscape,sharpness"), got ${quote(bad ?? o)}; ignored`);
      } else {
        for (const [view, id] of Object.entries(OPENABLE)) this.$(id).open = list.includes(view);
      }
    }
    const p = page.plane;
    if (p !== undefined && p !== null) {
      const ends = typeof p === "string" ? /^ends(?::([1-9]\d*))?$/.exec(p) : null;
      const run = ends?.[1] === undefined ? null : Number(ends[1]);
      if (!PLANES.includes(p) && !ends) {
        notices.push(`plane: expected pca, random, ends or ends:N (N another run of the race), got ${quote(p)}; ignored`);
      } else if (ends && this.runCount < 2) {
        notices.push("plane: ends goes through a second run's end, and this state has one run; the landscape stays on pca (race two runs with runs=…)");
      } else if (run !== null && (run > this.runCount || run === this.viz.settings().selected + 1)) {
        const why = run > this.runCount ? `this race has ${this.runCount} runs` : "that is the selected run";
        notices.push(`plane: ${p} names run ${run}, and ${why}; the plane is ends, through the next run's end`);
        this.network.setPlane("ends");
        this.train();
      } else {
        this.network.setPlane(p);
        this.train();
      }
    }
    return notices;
  }

  /** What the lesson shown opens below Network mode's charts, and on which plane: what a
   * link's `open=` and `plane=` are written against. */
  viewBase() {
    const views = LESSON_VIEWS[this.lessons.find((l) => l.id === this.viz.lesson)?.opens];
    return { open: views?.open ?? [], plane: views?.plane ?? "pca" };
  }

  /** `controls=lr,optimizer`: shows only those groups of controls. Unknown groups are notices;
   * with no known group left, every control stays. Returns the groups shown and the notices. */
  showOnly(list) {
    const given = list.split(",").map((g) => g.trim()).filter(Boolean);
    const notices = given.filter((g) => !GROUPS.includes(g))
      .map((g) => `controls: unknown group '${g.slice(0, 40)}'; groups are ${GROUPS.join(", ")}`);
    const wanted = given.filter((g) => GROUPS.includes(g));
    if (wanted.length === 0) return { shown: [], notices };
    for (const el of this.root.querySelectorAll("[data-group]")) {
      if (!wanted.includes(el.dataset.group)) el.classList.add("gdviz-group-off");
    }
    const any = [...this.$("controls").querySelectorAll("[data-group]")].some((el) => wanted.includes(el.dataset.group));
    this.$("controls").classList.toggle("gdviz-group-off", !any);
    this.root.classList.add("gdviz-focused");
    return { shown: wanted, notices };
  }

  /** Copy link, PNG and CSV. */
  bindShare() {
    this.$("copy-link").addEventListener("click", this.guard(() => this.copyLink()));
    this.$("download-png").addEventListener("click", this.guard(() => this.png().then((b) => download(b, "gdviz.png"), (e) => this.fatal(e))));
    this.$("download-csv").addEventListener("click", this.guard(() =>
      download(new Blob(this.csvParts(), { type: "text/csv" }), "gdviz.csv")));
    this.$("show-code").addEventListener("click", this.guard(() => this.toggleCode()));
    this.$("close-code").addEventListener("click", this.guard(() => this.toggleCode(false)));
    this.$("copy-code").addEventListener("click", this.guard(() => this.copyCode()));
    this.$("code-lang").addEventListener("change", this.guard(() => this.syncCode()));
    this.$("download-code").addEventListener("click", this.guard(() =>
      download(new Blob([this.$("code-text").textContent], { type: "text/x-python" }), "gdviz-run.py")));
    this.$("controls-toggle").addEventListener("click", this.guard(() => {
      const open = this.root.classList.toggle("gdviz-controls-open");
      this.$("controls-toggle").setAttribute("aria-expanded", String(open));
    }));
  }

  /** Shows (or with `open` false, hides) the selected run's script; shown, it follows every change. */
  toggleCode(open = this.$("code-box").hidden) {
    put(this.$("code-box"), "hidden", !open);
    attr(this.$("show-code"), "aria-expanded", String(open));
    if (open) this.syncCode();
  }

  /** The script of the selected run as the state now is, or why there is none. */
  syncCode(s = null) {
    if (this.$("code-box").hidden) return;
    s ??= this.viz.settings();
    const lang = this.$("code-lang").value;
    // The export is the second module's: the first time, a line saying so until it is loaded.
    const lab = labLoaded();
    let text;
    if (!lab) {
      text = "# Loading the code export…";
      loadLab().then(this.guard(() => this.syncCode()), this.guard((e) => {
        put(this.$("code-text"), "textContent", `# The code export could not load: ${e.message}. Close and open Code to try again.`);
      }));
    } else {
      try {
        text = lab.code(this.viz.stateQuery(), lang);
      } catch (e) {
        text = `# No script for this run: ${e.message}`;
      }
    }
    put(this.$("code-text"), "textContent", text);
    const run = s.runs.length > 1 ? `Run ${s.selected + 1}` : "The run";
    put(this.$("code-title"), "textContent", `${run} as a script`);
  }

  /** Copies the script; where the clipboard is refused, selects it for Ctrl+C. */
  async copyCode() {
    const pre = this.$("code-text");
    try {
      await navigator.clipboard.writeText(pre.textContent);
      this.$("copy-code").textContent = "Copied";
      setTimeout(() => { this.$("copy-code").textContent = "Copy"; }, 2000);
    } catch (e) {
      const range = document.createRange();
      range.selectNodeContents(pre);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      this.$("copy-code").textContent = "Press Ctrl+C";
    }
  }

  /** Every run as CSV, in the parts the core hands it over in (a long race's text is never whole
   * in the module's memory). */
  csvParts() {
    const parts = [];
    for (let i = 0, n = this.viz.csvPartCount(); i < n; i++) parts.push(this.viz.csvPart(i));
    return parts;
  }

  /** Copies the link; where the clipboard is refused, shows it selected in a text field. */
  async copyLink() {
    const url = this.link();
    const field = this.$("share-url");
    field.value = url;
    try {
      await navigator.clipboard.writeText(url);
      this.$("share-label").textContent = "Link copied to the clipboard:";
    } catch (e) {
      this.$("share-label").textContent = "Copy this link (Ctrl+C / ⌘C):";
    }
    this.$("share-box").hidden = false;
    field.focus();
    field.select();
  }

  /** The plot as shown (heatmap and paths, or the 3D view) under its title and the runs'
   * legend, with the key of the marks, as a PNG blob. */
  png() {
    this.refineNow();
    const out = document.createElement("canvas");
    this.viz.compose(out, this.views.canvas3d);
    return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error("no PNG"))), "image/png"));
  }

  /** The state for scripts: options, run, and the plot rectangle in viewport CSS pixels. */
  state() {
    const s = this.viz.state();
    const rect = this.$("overlay").getBoundingClientRect();
    if (s.plotCss) {
      const z = this.zoom;
      s.plot = {
        left: rect.left + s.plotCss.left * z,
        top: rect.top + s.plotCss.top * z,
        width: s.plotCss.width * z,
        height: s.plotCss.height * z,
      };
    }
    delete s.plotCss;
    s.network = this.network.state();
    s.view3d = this.views.state3d();
    return s;
  }

  /** The scripting handle (`window.gdviz` on the page; what `mount()` returns). */
  handle() {
    return {
      // Resolves once the picture is final (a coarse background refined).
      set: this.live((options) => {
        const notices = this.apply(options ?? {});
        return this.drawn().then(() => notices);
      }, true),
      state: this.live(() => this.state()),
      summary: this.live(() => this.summary()),
      catalog: this.live(() => this.cat),
      lessons: this.live(() => this.lessons.map((l) => ({ id: l.id, title: l.title, options: l.options }))),
      lesson: this.live((id) => {
        const notices = this.loadLesson(id);
        return this.drawn().then(() => notices);
      }, true),
      link: this.live(() => this.link()),
      csv: this.live(() => this.csvParts().join("")),
      png: this.live(() => this.png().then((b) => new Promise((resolve) => {
        const r = new FileReader();
        r.onload = () => resolve(r.result);
        r.readAsDataURL(b);
      })), true),
      element: this.root,
      // The host pages whose messages the page's instance answers (its `origin=`).
      origins: Object.freeze([...(this.origins ?? [])]),
      destroy: () => this.destroy(),
    };
  }
}
