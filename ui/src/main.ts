import { mount } from "svelte";
import App from "./App.svelte";
import { api } from "./api";
import "./app.css";

const target = document.getElementById("app");
if (!target) throw new Error("index.html lost its #app element");
// Ask Rust for the saved state before Svelte starts, so the round trip
// overlaps with mounting instead of following it.
export default mount(App, { target, props: { api, view: api.appState() } });
