// Declaring the app's commands makes Tauri generate one `allow-<command>`
// permission for each, so capabilities/main.json grants them one by one.
const COMMANDS: &[&str] = &[
    "app_state",
    "check_site",
    "save_site",
    "change_setting",
    "policy_diagnosis",
    "open_bookmark",
    "add_bookmark",
    "add_guest_site",
    "remove_guest_site",
    "rename_bookmark",
    "move_bookmark",
    "remove_bookmark",
    "restore_bookmark",
    "export_bookmarks",
    "portal_qr_svg",
    "secrets_status",
    "store_basic_auth",
    "store_client_cert_password",
    "delete_secret",
    "flows",
    "flow",
    "change_progress",
    "cause",
    "overlay_state",
    "show_overlay",
    "hide_overlay",
    "run_checks",
    "support_report",
    "copy_text",
    "troubleshoot",
    "last_checks",
    "assistant",
    "companion_seen",
    "forget_seen",
    "ask_assistant",
    "take_link",
    "ready",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
