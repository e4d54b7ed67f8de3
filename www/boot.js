// Runs before the app module: explains what to do when the page cannot start (opened from
// file://, where browsers refuse to load ES modules, or the module failed to load at all).
"use strict";
(function () {
  function show(text) {
    var box = document.getElementById("boot-error");
    if (!box || !box.hidden) return;
    box.textContent = text;
    box.hidden = false;
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (location.protocol === "file:") {
      show("gdviz must be served over HTTP: browsers do not load its modules from file://. " +
        "Serve this folder (in the repository, `cargo xtask serve` and http://127.0.0.1:8000/), " +
        "or open gdviz.html, the single-file build, which works from file://.");
      return;
    }
    setTimeout(function () {
      if (document.body.dataset.ready !== "1") {
        show("gdviz did not start: its script or WebAssembly module failed to load. " +
          "Check the browser console, and that the page is served by `cargo xtask serve`.");
      }
    }, 20000);
  });
})();
