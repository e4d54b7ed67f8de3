// Test fixture: a host page (served on another origin than gdviz) that puts gdviz in an iframe
// (`?frame=URL`) and connects to it with www/gdviz-host.js, recording what it hears in
// `window.heard`. With `&connect=0` it only embeds the frame, for pages the frame does not list.
import { connect } from "../../../www/gdviz-host.js";

const query = new URLSearchParams(location.search);
const frame = document.createElement("iframe");
frame.src = query.get("frame");
frame.title = "gdviz";
frame.style.border = "0";
frame.style.width = "700px";
frame.height = "200";
window.heard = [];
// Everything that reaches this window, whoever sent it.
window.received = [];
addEventListener("message", (e) => window.received.push({ origin: e.origin, data: e.data }));
document.body.appendChild(frame);
if (query.get("connect") === "0") {
  // The test waits for the frame itself.
  document.body.dataset.ready = "1";
} else {
  const said = document.getElementById("said");
  window.viz = connect(frame, {
    onChange: (s) => window.heard.push(["change", s.lr, s.status]),
    onDiverged: (s) => {
      window.heard.push(["diverged", s.lr, s.status]);
      said.textContent = `Diverged at step ${s.divergedAt}.`;
    },
    onConverged: (s) => window.heard.push(["converged", s.lr, s.status]),
    onAnswer: (v) => window.heard.push(["answer", v.question, v.right, v.why]),
    onHeight: (h) => window.heard.push(["height", h]),
  });
  window.viz.ready.then(() => { document.body.dataset.ready = "1"; });
}
