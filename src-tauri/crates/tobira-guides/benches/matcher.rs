//! One "can't log in" query over all bundled cause guides (target ≤ 1 ms),
//! against a baseline in the same run: normalising the query alone.
//!
//! Run: `cargo bench -p tobira-guides --bench matcher`

use std::path::Path;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use tobira_core::Language;
use tobira_guides::matcher::{normalise, Matcher};
use tobira_guides::{Library, Source};

fn query(c: &mut Criterion) {
    let guides = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../guides");
    let library = Library::load(vec![Source::dir("bundled", guides)]);
    let matcher = Matcher::new(&library);
    let queries = [
        ("不正なリクエストです。", Language::Ja),
        ("my authenticator codes are always rejected", Language::En),
        (
            "自宅からだとアクセスできません。会社では問題ないです",
            Language::Ja,
        ),
        ("i forgot my pasword", Language::En),
    ];
    let mut group = c.benchmark_group("troubleshoot query");
    group.bench_function("baseline: normalise the query", |b| {
        b.iter(|| {
            queries
                .iter()
                .map(|(q, _)| normalise(black_box(q)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("rank all causes (4 queries)", |b| {
        b.iter(|| {
            queries
                .iter()
                .map(|(q, l)| matcher.rank(black_box(q), *l, None).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, query);
criterion_main!(benches);
