// Network mode of one instance (`NetworkPanel`): the second module's `NetworkView` (its three
// canvases and the run the options describe), created the first time the instance shows Network
// mode. Until then, and while the module loads, the views say "loading…"; a failure to load is a
// message in the views' place, and the surfaces keep working.

import { loadLab, labLoaded } from "./lab.js";

export class NetworkPanel {
  /** Network mode of `app` (its boundary, curves and diagram canvases). */
  constructor(app) {
    this.app = app;
    /** The second module's `NetworkView`, once loaded. */
    this.view = null;
    /** Why the module could not load, if it could not (cleared when asked again). */
    this.failure = null;
    this.loading = false;
    /** The landscape's plane, kept across views (Network mode left and shown again). */
    this.plane = "pca";
  }

  /** The view, created if the module is loaded; else starts loading it (the app trains and
   * syncs once it is there) and returns `null`. Called on the instance's changes only, so a
   * failed load is tried again at the next change, never in a loop. */
  ensure() {
    if (this.view) return this.view;
    const lab = labLoaded();
    if (lab) {
      const $ = (id) => this.app.$(id);
      this.view = new lab.NetworkView($("net-boundary"), $("net-curves"), $("net-diagram"),
        $("net-landscape"), $("net-honesty"), $("net-sharpness"), $("net-line"));
      this.failure = null;
      this.view.setPlane(this.plane);
      this.view.setLandscape($("net-land").open);
      this.view.setSharpness($("net-sharp").open);
      this.resize();
      return this.view;
    }
    if (!this.loading) {
      this.loading = true;
      this.failure = null;
      loadLab().then(
        this.app.guard(() => {
          this.loading = false;
          if (this.app.viz.networkOn) this.app.train();
        }),
        this.app.guard((e) => {
          this.loading = false;
          this.failure = e.message;
          if (this.app.viz.networkOn) this.app.syncNetwork();
        }),
      );
    }
    return null;
  }

  /** Hands the state over and returns the view, or `null` while it is not there. */
  sync() {
    const view = this.ensure();
    view?.setState(this.app.viz.stateQuery());
    return view;
  }

  /** The step shown and the steps trained (0 before the view exists). */
  get current() {
    return this.view ? this.view.current : 0;
  }

  get stepCount() {
    return this.view ? this.view.stepCount : 0;
  }

  show(k) {
    this.view?.showStep(k);
  }

  /** Shows or hides the landscape (computed when shown, once the run has trained). */
  setLandscape(open) {
    this.view?.setLandscape(open);
  }

  /** Shows or hides the sharpness chart (measured when shown, once the run has trained). */
  setSharpness(open) {
    this.view?.setSharpness(open);
  }

  /** Chooses the landscape's plane (`pca`, `random` or, in a race, `ends` or `ends:N` through
   * run N's end); another plane's picture is dropped. */
  setPlane(name) {
    this.plane = name;
    this.view?.setPlane(name);
  }

  /** Sizes the views' canvases to their boxes and redraws them. */
  resize() {
    if (!this.view) return;
    const size = (id) => {
      const r = this.app.$(id).getBoundingClientRect();
      return [r.width, r.height];
    };
    const z = this.app.zoom;
    this.view.resize(new Float64Array(["net-boundary-box", "net-curves-box", "net-diagram-box",
      "net-landscape-box", "net-honesty-box", "net-sharpness-box", "net-line-box"].flatMap(size)),
      (window.devicePixelRatio || 1) * z, this.app.dark.matches);
  }

  /** The settings (first module) with the run's state (second module), or with what the
   * views are waiting for. */
  state() {
    const n = this.app.viz.networkState();
    if (this.view) return Object.assign(n, this.view.state());
    n.error = this.failure;
    n.progress = this.failure
      ? `Network mode could not start: ${this.failure}. The surfaces still work; change a setting or reload the page to try again.`
      : "loading Network mode…";
    return n;
  }

  /** Drops the view and its run (Network mode left, or the instance destroyed); showing
   * Network mode again makes a new one, which trains to the same numbers. */
  destroy() {
    this.view?.free();
    this.view = null;
  }
}
