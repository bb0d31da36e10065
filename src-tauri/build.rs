// Declaring the app's commands makes Tauri generate one `allow-<command>`
// permission for each, so capabilities/main.json grants them one by one.
const COMMANDS: &[&str] = &[
    "app_state",
    "check_site",
    "save_site",
    "open_site_page",
    "ready",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
