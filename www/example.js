// The example course page (example.html): two gdviz instances mounted from one module, and two
// <gd-viz> elements whose events the page listens to (one of them an exercise).
import { mount } from "./gdviz.js";

const overshoot = await mount(document.getElementById("demo-lr"), {
  surface: "booth",
  lr: 0.05,
  steps: 60,
  embed: true,
  controls: "lr,player",
});
const race = await mount(document.getElementById("demo-race"), {
  surface: "rosenbrock",
  runs: [
    { optimizer: "sgd", lr: 0.001 },
    { optimizer: "momentum", lr: 0.001 },
  ],
  embed: true,
  controls: "race",
});
// The element's module, after the mounts so the instances number (ids, landmark names) in the
// page's order; a page with only elements needs nothing but its script tag.
await import("./gd-viz.js");
const element = document.getElementById("demo-element");
const line = document.getElementById("demo-element-status");
// The events bubble: a course page can listen on the element or on any ancestor. The states
// and steps come from gdviz; the page only words them.
element.addEventListener("gdviz-diverged", (e) => {
  line.textContent = `Diverged at step ${e.detail.divergedAt}: this learning rate is too large for ${e.detail.optimizer}. Lower it.`;
});
element.addEventListener("gdviz-converged", (e) => {
  line.textContent = `Converged at step ${e.detail.convergedAt}. Can you find a learning rate that gets there sooner?`;
});
element.addEventListener("gdviz-change", (e) => {
  if (e.detail.status === "max-steps") line.textContent = `Not converged after ${e.detail.steps} steps.`;
});
// An exercise's verdicts, as a learning platform would record them: right or not, and why.
const quiz = document.getElementById("demo-quiz");
const score = document.getElementById("demo-quiz-score");
const tally = { answered: 0, right: 0 };
quiz.addEventListener("gdviz-answer", (e) => {
  tally.answered += 1;
  if (e.detail.right) tally.right += 1;
  score.textContent = `${tally.right} of ${tally.answered} answers right. Last: ${e.detail.right ? "right" : "wrong"} (${e.detail.why})`;
});
// For scripts (and tests): each handle works like window.gdviz on the full page.
window.demos = [overshoot, race, await element.ready, await quiz.ready];
document.body.dataset.ready = "1";
