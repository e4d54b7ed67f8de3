// The data view and the 3D view of an instance (`ViewsPanel`): drawn by the second module's
// `SurfaceViews` (lab.js), loaded the first time the instance shows either (a dataset surface
// shows the data view; the "3D view" button the other). Until it is there each view says
// "loading…" in its place; a failure to load is a message there instead, and the surfaces keep
// working. The first module hands over the state as a link query and every run's path.

import { loadLab, labLoaded } from "./lab.js";

export class ViewsPanel {
  /** The views of `app` (its `data` and `view3d` canvases). */
  constructor(app) {
    this.app = app;
    /** The second module's `SurfaceViews`, once loaded. */
    this.view = null;
    /** Why the module could not load, if it could not (cleared when asked again). */
    this.failure = null;
    this.loading = false;
    /** Whether the 3D view is on (the button's state, kept while the module loads). */
    this.on3d = false;
    /** The state last handed over (its paths go with it). */
    this.query = null;
  }

  /** Whether a view is shown: the data view (a dataset surface) or the 3D view. */
  get shown() {
    return this.on3d || !this.app.$("data-box").hidden;
  }

  /** The view, created if the module is loaded; else starts loading it (the views are drawn
   * once it is there) and returns `null`. A failed load is tried again only when `retry` (a
   * change of the instance, not a step of the playback), never in a loop. */
  ensure(retry) {
    if (this.view) return this.view;
    const lab = labLoaded();
    if (lab) {
      this.view = new lab.SurfaceViews(this.app.$("data"), this.app.$("view3d"));
      this.failure = null;
      this.resize();
      this.view.setView3d(this.on3d);
      this.note();
      return this.view;
    }
    if (!this.loading && (retry || !this.failure)) {
      this.loading = true;
      this.failure = null;
      loadLab().then(
        this.app.guard(() => {
          this.loading = false;
          this.draw();
        }),
        this.app.guard((e) => {
          this.loading = false;
          this.failure = e.message;
          this.note();
        }),
      );
    }
    this.note();
    return null;
  }

  /** Redraws the views shown at the step the plot shows (after every redraw of the plot):
   * hands the state and the paths over when the state changed since the last time. `retry`:
   * whether a failed load is tried again. */
  draw(retry = true) {
    if (!this.shown) return;
    const view = this.ensure(retry);
    if (!view) return;
    const viz = this.app.viz;
    const query = viz.stateQuery();
    if (query !== this.query) {
      view.setState(query, viz.paths());
      this.query = query;
    }
    view.showStep(viz.current);
  }

  /** Sizes the data canvas to its box and the 3D canvas to the plot's box (`box`, or measured);
   * the next `draw` redraws them. */
  resize(box = this.app.$("plot-box").getBoundingClientRect()) {
    if (!this.view) return;
    const data = this.app.$("data-box").getBoundingClientRect();
    this.view.resize(new Float64Array([data.width, data.height, box.width, box.height]),
      (window.devicePixelRatio || 1) * this.app.zoom, this.app.dark.matches);
  }

  /** Switches the 3D view on or off (drawn at once when the module is there, else loading it). */
  set3d(on) {
    this.on3d = on;
    this.view?.setView3d(on);
    if (on) this.draw();
    this.note();
  }

  /** Turns the 3D view by a drag of `(dx, dy)` CSS pixels. */
  rotate(dx, dy) {
    this.view?.rotate3d(dx, dy);
  }

  /** Turns the 3D view for an arrow key; whether `key` was one (nothing turns while loading). */
  rotateKey(key) {
    return this.view ? this.view.rotate3dKey(key) : false;
  }

  /** The 3D canvas while it shows the surface (for the PNG), else `undefined`. */
  get canvas3d() {
    return this.on3d && this.view ? this.app.$("view3d") : undefined;
  }

  /** The 3D view's state: `{on: false}` while it is off (the same whether or not the module
   * was loaded), else `{on, yaw, pitch, drawMs}` (null until the module is there, with `error`
   * when it could not load). */
  state3d() {
    if (!this.on3d) return { on: false };
    if (this.view) return this.view.view3dState();
    return { on: true, yaw: null, pitch: null, drawMs: null, error: this.failure };
  }

  /** Says "loading…" or why the module could not load in each view's place, or nothing. */
  note() {
    const text = this.view ? ""
      : this.failure ? `This view could not load: ${this.failure}. The surfaces still work; change a setting or reload the page to try again.`
        : "loading…";
    for (const [id, shown] of [["view3d-note", this.on3d], ["data-note", true]]) {
      const el = this.app.$(id);
      el.textContent = text;
      el.hidden = !shown || !text;
    }
  }

  /** Drops the view (the instance destroyed). */
  destroy() {
    this.view?.free();
    this.view = null;
  }
}
