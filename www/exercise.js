// An exercise in the page: predict, then observe. The question about the state shown, its
// answers as buttons (and, for "which minimum", a click on the plot), and the verdict. A
// prediction is asked before the run is seen: the instance is veiled (the path stops at the
// start; the loss chart, the statuses and the player are hidden or off) until the student
// answers; then the run plays from the start and the verdict shows when it ends. Every text
// here comes from the core (`Visualizer.exercise`, `Visualizer.answer`), computed from the runs.
// The verdict fires `gdviz-answer` on the instance's element.

/** How long the run plays after an answer, at most, in seconds (faster than the speed slider
 * when the run is long, so the verdict is never far away). */
const PLAY_SECONDS = 3;

export class Exercise {
  /** `app` is the instance: its elements, its Visualizer, its player. */
  constructor(app) {
    this.app = app;
    /** The verdict waiting for the run to finish playing, or null. */
    this.pending = null;
    /** The verdict shown, or null. */
    this.shown = null;
    /** The exercise as the core posed it at the last sync (or null). */
    this.posed = null;
    /** The question and the state it was posed about, at the last sync. */
    this.key = null;
    /** Whether the instance hides the run's end until the student answers. */
    this.veiled = false;
    const on = (id, f) => app.$(id).addEventListener("click", app.guard(f));
    on("exercise-skip", () => this.reveal());
    on("exercise-again", () => this.again());
  }

  /** Whether a click on the plot answers the question (a "which minimum" one waiting). */
  takesClicks() {
    return this.veiled && this.posed?.question === "minimum" && !this.posed.unfit;
  }

  /** Brings the box in line with the state after any change: the state's question and its
   * answers. A state that changed is a new question (no verdict, veiled for a prediction); an
   * unchanged one keeps its verdict. */
  sync() {
    const app = this.app;
    const posed = app.viz.exercise();
    this.posed = posed;
    const box = app.$("exercise-box");
    // Written only when it changes: setting an attribute, even to its value, costs style work.
    if (box.hidden !== !posed) box.hidden = !posed;
    const key = posed ? `${JSON.stringify(posed)}|${app.viz.query()}` : null;
    if (key === this.key) {
      if (this.veiled) this.veil(true);
      return;
    }
    this.key = key;
    this.pending = null;
    this.shown = null;
    if (!posed) {
      this.veil(false);
      return;
    }
    app.$("exercise-prompt").textContent = posed.unfit ? `This question cannot be asked here: ${posed.unfit}.` : posed.prompt;
    app.$("exercise-hint").textContent = posed.unfit ? ""
      : posed.predict ? "Answer first: the run is hidden until you do, then it plays."
        : "Change the settings and press Check as often as you like.";
    app.$("exercise-choices").replaceChildren(...posed.choices.map((c) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = c.label;
      b.dataset.answer = c.answer;
      b.setAttribute("aria-pressed", "false");
      b.addEventListener("click", app.guard(() => this.answer(c.answer)));
      return b;
    }));
    app.$("exercise-verdict").hidden = true;
    app.$("exercise-skip").hidden = true;
    app.$("exercise-again").hidden = true;
    this.veil(posed.predict && !posed.unfit);
  }

  /** Hides (or shows again) what would give a prediction's answer away; veiled, the step shown
   * is the start. */
  veil(on) {
    const app = this.app;
    this.veiled = on;
    app.root.classList.toggle("gdviz-veiled", on);
    app.root.classList.toggle("gdviz-click-answer", this.takesClicks());
    for (const id of ["play", "step", "scrub"]) app.$(id).disabled = on;
    if (on && app.current !== 0) app.show(0);
  }

  /** Answers the question with `key` (a choice's, or `at:X,Y` from a click on the plot). A
   * prediction unveils and plays the run, and the verdict waits for its end; a `within` check
   * shows at once. An answer the core refuses is a notice. */
  answer(key) {
    const app = this.app;
    let verdict;
    try {
      verdict = app.viz.answer(key);
    } catch (e) {
      app.notify([String(e.message || e)]);
      return null;
    }
    for (const b of app.$("exercise-choices").children) {
      b.setAttribute("aria-pressed", String(b.textContent === verdict.given));
    }
    if (!this.posed.predict) {
      this.show(verdict);
      return verdict;
    }
    this.pending = verdict;
    this.veil(false);
    app.$("exercise-skip").hidden = false;
    app.$("exercise-hint").textContent = `You answered: ${verdict.given}. Watch the run.`;
    // With reduced motion nothing animates by itself: the whole run and the verdict at once.
    if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) this.reveal();
    else app.play(Math.max(app.speed(), app.stepCount / PLAY_SECONDS), () => this.reveal());
    return verdict;
  }

  /** Shows the verdict that waits for the run's end, now. */
  reveal() {
    if (!this.pending) return;
    const verdict = this.pending;
    this.pending = null;
    this.app.pause();
    this.app.show(this.app.stepCount);
    this.show(verdict);
  }

  /** Shows `verdict` and tells the host page (`gdviz-answer`, with the state's link). */
  show(verdict) {
    const app = this.app;
    this.shown = verdict;
    app.$("exercise-skip").hidden = true;
    app.$("exercise-again").hidden = !this.posed.predict;
    app.$("exercise-hint").textContent = this.posed.predict ? "" : app.$("exercise-hint").textContent;
    const result = app.$("exercise-result");
    result.dataset.right = String(verdict.right);
    result.textContent = !this.posed.predict ? (verdict.right ? "✓ Done." : "✗ Not yet.")
      : verdict.right ? `✓ Right: ${verdict.given}.`
        : `✗ Not quite: you answered ${verdict.given}; the run says ${verdict.truth}.`;
    app.$("exercise-why").textContent = verdict.why;
    app.$("exercise-verdict").hidden = false;
    const detail = { ...verdict, link: app.link() };
    app.root.dispatchEvent(new CustomEvent("gdviz-answer", { detail, bubbles: true, composed: true }));
  }

  /** Asks the same question again: the verdict goes and the run is veiled once more. */
  again() {
    this.key = null;
    this.app.pause();
    this.sync();
    this.app.$("exercise-choices").firstElementChild?.focus();
  }
}
