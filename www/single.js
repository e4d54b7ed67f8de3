// The entry of the single-file build (gdviz.html, written by `cargo xtask dist`): esbuild
// bundles every module with the wasm inlined as bytes, so the page needs no fetch and works
// from file:// or as one file uploaded to a course platform. Not loaded by index.html.
import bytes from "./pkg/gdviz_bg.wasm";
import { useWasm } from "./gdviz.js";
import { startPage } from "./page.js";

useWasm(bytes);
startPage();
