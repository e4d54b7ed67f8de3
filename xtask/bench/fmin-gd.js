// Sets up benfred/fmin's gradient-descent demo (npm's fmin 0.0.4, `fmin_vis.GradientContour`,
// unchanged) as its example page does, then puts it on the benchmark's common configuration the
// way its function menu does (`current`, `redraw()`, `initialize(initial)`): the function, view
// and start of Distill's figure (see distill-momentum.js). Its run is its own: plain gradient
// descent, up to 5000 steps (stopping once ‖∇f‖ ≤ 1e-5), computed in full on every change, then
// animated from the start, one step per 500 ms.
/* global d3, fmin_vis */
(() => {
  const banana = {
    f: (X) => {
      const x = X[0];
      const y = X[1] * 3;
      return (1 - x) * (1 - x) + 20 * (y - x * x) * (y - x * x);
    },
    fprime: (X, fxprime) => {
      const g = fxprime || [0, 0];
      const x = X[0];
      const y = X[1] * 3;
      g[0] = -2 * (1 - x) - 80 * x * (-x * x + y);
      g[1] = 3 * 40 * (-x * x + y);
      return g;
    },
    xDomain: [-2, 2],
    yDomain: [2 / 3 + 0.4, -2 / 3 + 0.4],
    initial: [-1.21, 0.853],
    minima: [{ x: 1, y: 1 / 3 }],
  };

  const plot = new fmin_vis.GradientContour(d3.select("#gd"));
  plot.current = banana;
  plot.redraw();
  plot.initialize(plot.current.initial.slice());

  /** Stops the demo's animation (between timed changes, so it does not load the machine while
   * the other subjects are timed). */
  function quiet() {
    plot.stop();
    plot.plot.svg.interrupt();
    plot.plot.svg.selectAll("*").interrupt();
  }
  quiet();

  window.peer = {
    name: "fmin 0.0.4, gradient descent demo (npm, unchanged)",
    root: document.getElementById("gd"),
    // What its slider's drag does: the handle moves and the callback sets the step size.
    change: (value) => plot.learnRate.change(value),
    quiet,
    iterates: () => plot.states.length,
  };
  document.body.dataset.ready = "1";
})();
