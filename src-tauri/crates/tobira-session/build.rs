//! Builds the bundled guides into the library (for now).

/// Writes `$OUT_DIR/bundled_guides.rs`: every guide file under `guides/ja`
/// and `guides/en`, built into the binary so Tobira works without its
/// install folder.
fn embed_guides() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../guides");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    for language in ["ja", "en"] {
        collect(&root, &root.join(language), &mut files);
    }
    files.sort();
    let mut out = String::from("pub static BUNDLED_GUIDES: &[(&str, &str)] = &[\n");
    for (relative, absolute) in files {
        out.push_str(&format!(
            "    ({relative:?}, include_str!({absolute:?})),\n"
        ));
    }
    out.push_str("];\n");
    let target = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("bundled_guides.rs");
    std::fs::write(target, out).expect("cannot write bundled_guides.rs");
}

fn collect(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            let relative = path.strip_prefix(root).expect("inside the root");
            let relative = relative.to_string_lossy().replace('\\', "/");
            let absolute = path.canonicalize().expect("an existing file");
            out.push((relative, absolute.to_string_lossy().into_owned()));
        }
    }
}

fn main() {
    embed_guides();
}
