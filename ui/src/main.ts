import { mount } from "svelte";
import App from "./App.svelte";
import { api } from "./api";
import "./app.css";

const target = document.getElementById("app");
if (!target) throw new Error("index.html lost its #app element");
// The step panel is the same page with ?view=overlay (see overlay.rs).
const panel = new URLSearchParams(window.location.search).get("view") === "overlay";
// Ask Rust for the saved state before Svelte starts, so the round trip
// overlaps with mounting instead of following it.
export default panel
  ? import("./Overlay.svelte").then(({ default: Overlay }) => mount(Overlay, { target, props: { api } }))
  : mount(App, { target, props: { api, view: api.appState() } });
