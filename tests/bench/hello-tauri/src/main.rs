//! The smallest Tauri v2 app that draws a page and reports it is ready, in
//! the same way Tobira does, so the benchmark compares like with like.

#[tauri::command]
fn ready(app: tauri::AppHandle) {
    if std::env::var_os("TOBIRA_EXIT_WHEN_READY").is_some_and(|v| v == "1") {
        app.exit(0);
    }
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ready])
        .run(tauri::generate_context!())
        .expect("the bare app starts");
}
