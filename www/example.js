// The example course page (example.html): two gdviz instances, mounted from one module.
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
// For scripts (and tests): each handle works like window.gdviz on the full page.
window.demos = [overshoot, race];
document.body.dataset.ready = "1";
