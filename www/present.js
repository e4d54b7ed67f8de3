// Lecture mode (`present=1`, or the Present button): the plot filling the screen, drawn as for a
// smaller screen and magnified so its lines, marks and labels are thick and large enough for a
// projector at the back of a room; the learning rate, the readouts and nothing else; keyboard
// shortcuts for the lecturer, listed on `?`.

/** The keys, as the `?` panel lists them. */
export const SHORTCUTS = [
  ["Space", "play or pause"],
  ["→ / ←", "one step forward / back"],
  ["+ / −", "learning rate × 1.25 / ÷ 1.25"],
  ["1 – 4", "select run 1 to 4 of a race"],
  ["L", "next lesson"],
  ["F", "full screen"],
  ["?", "show or hide these keys"],
  ["Esc", "leave lecture mode"],
];

/** How much larger than the page's own drawing the lecture-mode plot is: thick lines and large
 * labels on a wide screen, never thinner than 1.25×. */
function zoomFor(width) {
  return Math.min(2.5, Math.max(1.25, width / 800));
}

export class Presenter {
  /** `app` is the instance whose plot and controls lecture mode shows. */
  constructor(app) {
    this.app = app;
    this.on = false;
    const $ = (id) => app.$(id);
    const list = $("present-key-list");
    for (const [key, what] of SHORTCUTS) {
      const dt = document.createElement("dt");
      dt.textContent = key;
      const dd = document.createElement("dd");
      dd.textContent = what;
      list.append(dt, dd);
    }
    $("present-toggle").addEventListener("click", app.guard(() => this.set(!this.on)));
    $("present-exit").addEventListener("click", app.guard(() => this.set(false)));
    $("present-help").addEventListener("click", app.guard(() => this.help()));
    this.onKey = app.guard((e) => this.key(e));
    document.addEventListener("keydown", this.onKey);
  }

  /** Enters (or leaves) lecture mode. */
  set(on) {
    this.on = on;
    const { app } = this;
    app.root.classList.toggle("gdviz-present", on);
    app.$("present-toggle").setAttribute("aria-pressed", String(on));
    if (!on) this.help(false);
    app.zoom = on ? zoomFor(window.innerWidth) : 1;
    app.resize();
    // The lecturer's keys go to the page, not to a control that has its own use for them.
    if (on && app.root.contains(document.activeElement)) document.activeElement.blur();
  }

  /** Shows or hides the shortcuts (toggles without `show`). */
  help(show = this.app.$("present-keys").hidden) {
    this.app.$("present-keys").hidden = !show;
    this.app.$("present-help").setAttribute("aria-expanded", String(show));
  }

  /** The lecturer's keys, in lecture mode only, and never while typing into a field. */
  key(e) {
    if (!this.on || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t && (t.tagName === "TEXTAREA" || t.tagName === "SELECT"
      || (t.tagName === "INPUT" && !["checkbox", "radio", "button"].includes(t.type)))) return;
    // Only this instance's page: a key pressed inside another instance is that one's.
    const page = [document, document.documentElement, document.body];
    if (t && !page.includes(t) && !this.app.root.contains(t)) return;
    const { app } = this;
    const s = () => app.viz.settings();
    const done = () => e.preventDefault();
    switch (e.key) {
      case " ":
        if (app.playing) app.pause(); else app.play();
        return done();
      case "ArrowRight":
      case "ArrowLeft":
        app.pause();
        app.show(Math.max(0, app.current + (e.key === "ArrowRight" ? 1 : -1)));
        return done();
      case "+":
      case "=":
      case "-":
      case "−": {
        const lr = s().lr;
        app.apply({ lr: e.key === "+" || e.key === "=" ? lr * 1.25 : lr / 1.25 });
        return done();
      }
      case "1": case "2": case "3": case "4": {
        const i = Number(e.key) - 1;
        if (i < s().runs.length) app.apply({ selected: i });
        return done();
      }
      case "l":
      case "L": {
        const ids = app.lessons.map((l) => l.id);
        const next = ids[(ids.indexOf(app.viz.lesson) + 1) % ids.length];
        app.notify(app.loadLesson(next));
        return done();
      }
      case "f":
      case "F":
        if (document.fullscreenElement) document.exitFullscreen?.().catch(() => {});
        else app.root.requestFullscreen?.().catch(() => {});
        return done();
      case "?":
        this.help();
        return done();
      case "Escape":
        if (!this.app.$("present-keys").hidden) this.help(false);
        else this.set(false);
        return done();
      default:
    }
  }

  /** Stops listening (the instance is going away). */
  destroy() {
    document.removeEventListener("keydown", this.onKey);
  }
}
