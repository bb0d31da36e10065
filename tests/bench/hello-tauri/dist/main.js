// Same signal as Tobira's UI: tell Rust once the first frame is drawn.
requestAnimationFrame(() => window.__TAURI_INTERNALS__.invoke("ready"));
