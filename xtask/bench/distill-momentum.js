// A re-creation of the first figure of Distill's "Why Momentum Really Works" (Gabriel Goh, 2017;
// the post's repository, public/index.html: figure "#banana"), written for the browser benchmark
// from the post's published source: `genIterDiagram` (assets/iterates.js) and the helpers it
// uses from assets/utils.js (`bananaf`, `runMomentum`, `plot2dGen`, `ringPathGen`, `sliderGen`,
// `moveToFront`). The post's own scripts are not published as a package, so they are re-created
// here, doing what they do on a step-size change, in the same order and with the same DOM calls;
// the libraries they run on are the published ones, unchanged, from npm at pinned versions (d3
// 4.7.3, the version of the post's yarn.lock; numeric 1.2.6; contour_plot 0.0.1, whose
// `getContours` the post's modified copy of contour_plot also uses).
//
// What is left out, none of it touched by a step-size change: the pointer icon's hand drawing
// (the start marker is its two orange circles), the slider's tooltips (d3-tip) and its drag
// wiring (`change` below is what the drag handler does), the beta slider's handler, and the
// article around the figure.
/* global d3, numeric, contour_plot */
(() => {
  // The figure's configuration (public/index.html and genIterDiagram's defaults).
  const w = 984;
  const h = 300;
  const totalIters = 150;
  const numContours = 15;
  const xstar = [1, 1 / 3];
  const axis = [[-2, 2], [2 / 3 + 0.4, -2 / 3 + 0.4]];
  const strokeColor = "#ff6600";
  const pathWidth = 1.5;
  const circleRadius = 2;
  let w0 = [-1.21, 0.853];
  let alpha = 0.003;
  const beta = 0.74;

  /** The post's Rosenbrock "banana": [f, ∇f, ∇²f]. */
  function bananaf(xy) {
    const s = 3;
    const x = xy[0];
    const y = xy[1] * s;
    const fx = (1 - x) * (1 - x) + 20 * (y - x * x) * (y - x * x);
    const dfx = [-2 * (1 - x) - 80 * x * (-x * x + y), s * 40 * (-x * x + y)];
    const d2fx = [[2 + 160 * x * x - 80 * (-x * x + y), -80 * x], [-80 * x, 40]];
    return [fx, dfx, d2fx];
  }

  /** Momentum by iteration, as the post runs it (numeric.js vectors; stops at a non-finite
   * iterate). Returns [objective values, iterates]. */
  function runMomentum(f, start, a, b, iters) {
    const obj = [];
    const W = [];
    let z = numeric.rep([start.length], 0);
    let x = start;
    let fx = f(start);
    let gx = fx[1];
    W.push(start);
    obj.push(fx[0]);
    for (let i = 0; i < iters; i++) {
      z = numeric.add(numeric.mul(b, z), gx);
      x = numeric.add(x, numeric.mul(-a, z));
      fx = f(x);
      gx = fx[1];
      if (!x.every(isFinite)) break;
      W.push(x);
      obj.push(fx[0]);
    }
    return [obj, W];
  }

  /** The annotation ring's leader line and label position (utils.js `ringPathGen`). */
  function ringPath(radius, width, height, p1, p2) {
    const padding = 4;
    const x = -(p1[0] - p2[0]);
    const y = -(p1[1] - p2[1]);
    const xSign = (x > 0) - (x < 0);
    const ySign = (y > 0) - (y < 0);
    const r = radius;
    const a = Math.sqrt((r * r) / 2);
    const b = Math.sqrt(r * r - Math.min(y * y, x * x));
    const c = Math.sqrt(2 * Math.min(x * x, y * y));
    let d = "";
    let dir = "";
    if (x * x + y * y < r * r) {
      d = "";
    } else if (c < r) {
      if (Math.abs(x) > Math.abs(y)) {
        dir = xSign > 0 ? "E" : "W";
        d = `M${p1[0] + xSign * b},${p1[1] + y},L${p1[0] + x},${p1[1] + y}`;
      } else {
        dir = ySign > 0 ? "S" : "N";
        d = `M${p1[0] + x},${p1[1] + ySign * b},L${p1[0] + x},${p1[1] + y}`;
      }
    } else if (Math.abs(x) > Math.abs(y)) {
      dir = xSign > 0 ? "E" : "W";
      d = `M${p1[0] + xSign * a},${p1[1] + ySign * a},L${p1[0] + xSign * Math.abs(y)},${p1[1] + y}L${p1[0] + x},${p1[1] + y}`;
    } else {
      dir = ySign > 0 ? "S" : "N";
      d = `M${p1[0] + xSign * a},${p1[1] + ySign * a},L${p1[0] + x},${p1[1] + ySign * Math.abs(x)}L${p1[0] + x},${p1[1] + y}`;
    }
    let top = 0;
    let left = 0;
    if (dir === "S") { top = p2[1] + height / 2 + padding; left = p2[0] - width / 2; }
    if (dir === "N") { top = p2[1] - padding; left = p2[0] - width / 2; }
    if (dir === "W") { top = p2[1] + height / 4; left = p2[0] - width - padding; }
    if (dir === "E") { top = p2[1] + height / 4; left = p2[0] + padding; }
    return { d, label: [left, top] };
  }

  d3.selection.prototype.moveToFront = function moveToFront() {
    return this.each(function toFront() { this.parentNode.appendChild(this); });
  };

  // The contours: the post's contour_plot (a modified copy of npm's contour_plot 0.0.1) at the
  // figure's size, its levels and paths from npm's `getContours`, drawn with the post's fills and
  // strokes, closed curves, in an SVG of their own under the iterates.
  const div = d3.select("#banana").style("position", "relative")
    .style("width", `${w}px`).style("height", `${h}px`);
  const xScale = d3.scaleLinear().range([0, w]).domain(axis[0]);
  const yScale = d3.scaleLinear().range([0, h]).domain(axis[1]);
  const fxy = (x, y) => bananaf([x, y])[0];
  const contours = contour_plot.getContours(fxy, xScale, yScale, numContours, [{ x: xstar[0], y: xstar[1] }]);
  const colourScale = d3.scaleLinear().domain([1, numContours / 3, numContours - 1])
    .range(["rgb(240,244,246)", "rgb(217,225,232)", "#aec0ce"]);
  const background = div.append("svg").attr("width", w).attr("height", h);
  const outline = d3.line().x((d) => d[0]).y((d) => d[1]).curve(d3.curveLinearClosed).defined((d) => d);
  background.append("g").selectAll("path").data(contours.paths).enter()
    .append("path")
    .attr("d", outline)
    .style("fill", (d, i) => colourScale(i))
    .style("stroke-width", 0.8)
    .style("stroke", "#225577")
    .style("stroke-opacity", "0.2");

  // The iterates' SVG over it (genIterDiagram).
  const svg = div.append("div").append("svg")
    .style("position", "absolute").style("left", 0).style("top", 0)
    .style("width", `${w}px`).style("height", `${h}px`).style("z-index", 2);
  const X = d3.scaleLinear().domain(axis[0]).range([0, w]);
  const Y = d3.scaleLinear().domain(axis[1]).range([0, h]);

  const circ = svg.append("g").attr("transform", `translate(${X(w0[0])},${Y(w0[1])})`);
  circ.append("circle").attr("r", 14).attr("fill", "none").attr("stroke", "#FF6C00").attr("stroke-linecap", "round");
  circ.append("circle").attr("r", 11).attr("fill", "#FF6C00");
  circ.append("text").attr("class", "figtext").attr("transform", "translate(20,3)").html("Starting Point");

  // plot2dGen: the path, then a circle per iterate.
  const iterColor = d3.scaleLinear().domain([0, totalIters]).range([strokeColor, strokeColor]);
  const svgpath = svg.append("path").attr("opacity", 1).style("fill", "none")
    .style("stroke", strokeColor).style("stroke-width", pathWidth).style("stroke-linecap", "round");
  const valueline = d3.line().x((d) => X(d[0])).y((d) => Y(d[1]));
  const svgcircle = svg.append("g");
  function update2D(W) {
    const svgdata = svgcircle.selectAll("circle").data(W);
    svgdata.enter().append("circle")
      .attr("cx", (d) => X(d[0]))
      .attr("cy", (d) => Y(d[1]))
      .attr("r", circleRadius)
      .style("box-shadow", "0px 3px 10px rgba(0, 0, 0, 0.4)")
      .attr("opacity", 1)
      .attr("fill", (d, i) => iterColor(i));
    svgdata.merge(svgdata)
      .attr("cx", (d) => X(d[0]))
      .attr("cy", (d) => Y(d[1]))
      .attr("r", circleRadius)
      .attr("opacity", 1)
      .attr("fill", (d, i) => iterColor(i));
    svgdata.exit().remove();
    svgpath.attr("d", valueline(W));
  }

  // The optimum and the solution (the last iterate), ringed and labelled.
  const pxstar = ringPath(7, 50, 14, [X(xstar[0]), Y(xstar[1])], [X(xstar[0]), Y(xstar[1]) - 15]);
  svg.append("circle").attr("cx", X(xstar[0])).attr("cy", Y(xstar[1])).attr("r", 7)
    .attr("stroke", "#3f5b75").attr("stroke-width", 1).attr("fill", "none");
  svg.append("path").attr("d", pxstar.d).attr("stroke", "#3f5b75").attr("stroke-width", 1).attr("fill", "none");
  svg.append("text").attr("class", "figtext")
    .attr("transform", `translate(${pxstar.label[0]},${pxstar.label[1]})`).html("Optimum");
  const pxsol = ringPath(7, 43.36, 14, [X(0), Y(0)], [X(0), Y(0) + 20]);
  const solcirc = svg.append("circle").attr("cx", X(0)).attr("cy", Y(0)).attr("r", 7)
    .attr("stroke", strokeColor).attr("stroke-width", 1).attr("fill", "none");
  const solpath = svg.append("path").attr("d", pxsol.d).attr("stroke", strokeColor)
    .attr("stroke-width", 1).attr("fill", "none");
  const sollabel = svg.append("text").attr("class", "figtext")
    .attr("transform", `translate(${pxsol.label[0]},${pxsol.label[1]})`).html("Solution");
  function updateSol(x, y) {
    const p = ringPath(7, 50, 14, [X(x), Y(y)], [X(x), Y(y) + 15]);
    solcirc.attr("cx", X(x)).attr("cy", Y(y));
    solpath.attr("d", p.d);
    sollabel.attr("transform", `translate(${p.label[0]},${p.label[1]})`);
  }

  /** genIterDiagram's `iter`: run the iteration, redraw every iterate, the solution and the
   * start marker. (The post reads the solution at iterate 150, which a diverged run lacks; the
   * last iterate is the same one whenever the run did not diverge.) */
  function iter(a, b, start) {
    const W = runMomentum(bananaf, start, a, b, totalIters)[1];
    update2D(W);
    const last = W[W.length - 1];
    updateSol(last[0], last[1]);
    circ.attr("transform", `translate(${X(start[0])},${Y(start[1])})`);
    circ.moveToFront();
  }

  // The step-size slider (sliderGen([230, 40]), ticks 0, 0.003, 0.006, margins 20, shifty -12,
  // handle radius 7) and the momentum slider beside it.
  function slider(where, ticks, start) {
    const width = 230 - 40;
    const x = d3.scaleLinear().domain([0, Math.max(...ticks)]).range([0, width]).clamp(true);
    const g = d3.select(where).append("svg").attr("width", 230).attr("height", 40)
      .style("position", "relative")
      .append("g").attr("transform", "translate(0,-12)")
      .append("g").attr("class", "slidersvg").attr("transform", "translate(20,20)");
    for (const cls of ["track", "track-inset", "track-overlay"]) {
      g.append("line").attr("class", cls).attr("x1", x.range()[0]).attr("x2", x.range()[1]);
    }
    const tickG = g.append("g");
    tickG.selectAll("rect").data(ticks).enter().append("rect")
      .attr("x", (t) => x(t) - 0.75).attr("y", 9).attr("width", 1.5).attr("height", 7).attr("opacity", 0.2);
    tickG.selectAll("text").data(ticks).enter().append("text")
      .attr("class", "ticktext").attr("opacity", 0.3).attr("text-anchor", "middle")
      .attr("transform", (t) => `translate(${x(t) + 0.25},27)`).html((t) => String(t));
    const handle = g.insert("g", ".track-overlay").attr("transform", `translate(${x(start)},0)`);
    handle.insert("circle").attr("class", "handle").attr("r", 7)
      .style("fill", "#ff6600").style("fill-opacity", 1).style("stroke", "white");
    handle.insert("text").attr("transform", "translate(0,22)").attr("text-anchor", "middle").style("font-size", "10px");
    handle.moveToFront();
    return { x, handle };
  }
  const sliderA = slider("#sliderAlpha", [0, 0.003, 0.006], alpha);
  slider("#sliderBeta", [0, 0.5, 0.99], beta);

  iter(alpha, beta, w0);

  /** What dragging the step-size slider does at each move: the handle follows, the label is
   * rewritten, and the iteration re-runs and redraws. */
  function change(value) {
    const xval = sliderA.x.invert(sliderA.x(value));
    sliderA.handle.attr("transform", `translate(${sliderA.x(xval)},0)`);
    alpha = xval;
    d3.select("#sliderAlpha").selectAll(".figtext").html(`Step-size α = ${alpha.toPrecision(2)}`);
    iter(alpha, beta, w0);
  }

  window.peer = {
    name: "Distill, Why Momentum Really Works, figure 1 (re-created)",
    root: document.getElementById("figure"),
    change,
    quiet() {},
    iterates: () => svgcircle.selectAll("circle").size(),
  };
  document.body.dataset.ready = "1";
})();
