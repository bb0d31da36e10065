//! The assistant's speed over all bundled guides, each against a baseline
//! in the same run:
//! - building the index (lexicon, ideas, question tree; target ≤ 100 ms)
//!   against loading the guide files it is built from;
//! - `troubleshoot` per query (target p95 ≤ 5 ms) against normalising the
//!   same queries. Besides criterion's mean, the p95 over every message of
//!   the development set (each timed as the best of 20 runs) is printed.
//!
//! Run: `cargo bench -p tobira-guides --bench matcher`

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use tobira_core::Language;
use tobira_guides::matcher::{normalise, Matcher};
use tobira_guides::{Library, Source};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

fn library() -> Library {
    Library::load(vec![Source::dir("bundled", root().join("guides"))])
}

/// Every message of the development set, with its language.
fn messages() -> Vec<(String, Language)> {
    let text = std::fs::read_to_string(root().join("tests/fixtures/symptoms-dev.tsv"))
        .expect("tests/fixtures/symptoms-dev.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').nth(3))
        .map(|q| {
            let language = if q.is_ascii() {
                Language::En
            } else {
                Language::Ja
            };
            (q.to_owned(), language)
        })
        .collect()
}

fn index(c: &mut Criterion) {
    let mut group = c.benchmark_group("assistant index");
    group.sample_size(20);
    group.bench_function("baseline: load the guide files", |b| {
        b.iter(|| library().len())
    });
    group.bench_function("load the guides and build the index", |b| {
        b.iter(|| {
            let library = library();
            black_box(Matcher::new(&library));
        })
    });
    group.finish();
}

fn query(c: &mut Criterion) {
    let library = library();
    let matcher = Matcher::new(&library);
    let messages = messages();
    let mut group = c.benchmark_group("troubleshoot query");
    group.bench_function("baseline: normalise every dev-set message", |b| {
        b.iter(|| {
            messages
                .iter()
                .map(|(q, _)| normalise(black_box(q)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("troubleshoot every dev-set message", |b| {
        b.iter(|| {
            messages
                .iter()
                .map(|(q, l)| {
                    matcher
                        .troubleshoot(black_box(q), &[], *l, None)
                        .map_or(0, |o| o.matches.len())
                })
                .sum::<usize>()
        })
    });
    group.finish();

    let mut each: Vec<Duration> = messages
        .iter()
        .map(|(q, l)| {
            (0..20)
                .map(|_| {
                    let start = Instant::now();
                    black_box(matcher.troubleshoot(black_box(q), &[], *l, None).ok());
                    start.elapsed()
                })
                .min()
                .unwrap_or_default()
        })
        .collect();
    each.sort();
    let at = |share: f64| each[((each.len() as f64 * share) as usize).min(each.len() - 1)];
    println!(
        "troubleshoot per query over {} dev-set messages: median {:?}, p95 {:?}, max {:?}",
        each.len(),
        at(0.5),
        at(0.95),
        each[each.len() - 1]
    );
}

criterion_group!(benches, index, query);
criterion_main!(benches);
