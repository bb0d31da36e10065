//! Loading and indexing 10,000 guide files (target ≤ 200 ms) and re-reading
//! one changed file (target ≤ 5 ms), each against a baseline measured in the
//! same run: merely reading the same files from disk.
//!
//! Run: `cargo bench -p tobira-guides --bench load`

use std::fs;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use tobira_guides::{Library, Source};

const FILES: usize = 10_000;

/// A flow of six steps, each with a data block, in the size of the bundled ones.
fn flow(id: usize, title: &str) -> String {
    let mut text = format!(
        "+++\nid = \"flow-{id}\"\nkind = \"flow\"\ntitle = \"{title} {id}\"\nsummary = \"A generated walkthrough for the benchmark.\"\norder = {id}\naudience = [\"employee\", \"guest\"]\n+++\nAn introduction of a sentence or two, with a [link](cause:wrong-url).\n"
    );
    for step in 1..=6 {
        text.push_str(&format!(
            "\n## Step number {step} {{#step-{step}}}\n\nDo this, then that. Check the **address** and the `/k/` part.\n\n{{{{% region us %}}}}\nOnly in the US.\n{{{{% /region %}}}}\n\n```step\nopen = \"/k/\"\nexpect = \"The portal.\"\nstuck = [\"wrong-url\", \"caps-lock\"]\n```\n"
        ));
    }
    text
}

/// Writes FILES guides, half Japanese and half English, in 100 folders.
fn generate(root: &Path) -> Vec<PathBuf> {
    (0..FILES)
        .map(|i| {
            let language = if i % 2 == 0 { "ja" } else { "en" };
            let dir = root.join(language).join(format!("group-{}", i % 100));
            fs::create_dir_all(&dir).unwrap();
            let path = dir.join(format!("flow-{i}.md"));
            fs::write(&path, flow(i, "Generated")).unwrap();
            path
        })
        .collect()
}

fn load(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let paths = generate(dir.path());
    let source = || vec![Source::dir("bench", dir.path())];
    assert_eq!(Library::load(source()).len(), FILES);

    let mut group = c.benchmark_group("10k guides");
    group.sample_size(20);
    group.bench_function("baseline: read every file", |b| {
        b.iter(|| {
            paths
                .iter()
                .map(|p| fs::read_to_string(p).unwrap().len())
                .sum::<usize>()
        })
    });
    group.bench_function("load and index", |b| b.iter(|| Library::load(source())));
    group.finish();

    let mut library = Library::load(source());
    let changed = &paths[FILES / 2];
    let mut group = c.benchmark_group("one changed guide");
    group.bench_function("baseline: read the file", |b| {
        b.iter(|| fs::read_to_string(changed).unwrap())
    });
    let mut generation = 0;
    group.bench_function("reload", |b| {
        b.iter(|| {
            generation += 1;
            fs::write(changed, flow(FILES / 2, &format!("Changed {generation}"))).unwrap();
            assert!(library.reload(changed));
        })
    });
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
