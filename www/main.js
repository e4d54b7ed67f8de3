// index.html's entry: the full page.
import { startPage } from "./page.js";

startPage();
