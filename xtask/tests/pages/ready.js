// Test fixture: marks the course page ready (`body[data-ready="1"]`) once every <gd-viz> on it
// is mounted, as the test harness waits for. A real course page needs nothing of this.
await customElements.whenDefined("gd-viz");
await Promise.all([...document.querySelectorAll("gd-viz")].map((el) => el.ready));
document.body.dataset.ready = "1";
