// The entry of the single-file build (gdviz.html, written by `cargo xtask dist`): esbuild
// bundles every module with both wasm modules inlined as bytes (the second one, Network mode and
// the code export, is compiled only when first opened, as on the served page), so the page
// needs no fetch and works from file:// or as one file uploaded to a course platform. Not
// loaded by index.html.
import bytes from "./pkg/gdviz_bg.wasm";
import labBytes from "./pkg/gdviz_lab_bg.wasm";
import { useWasm } from "./gdviz.js";
import { useLabWasm } from "./lab.js";
import { startPage } from "./page.js";

useWasm(bytes);
useLabWasm(labBytes);
startPage();
