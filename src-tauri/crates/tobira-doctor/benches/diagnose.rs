//! The doctor's wall time against a healthy site on 127.0.0.1 (target
//! < 300 ms), against a baseline measured in the same run: one plain GET of
//! the login page with a fresh HTTP client.
//!
//! Run: `cargo bench -p tobira-doctor --bench diagnose`

use criterion::{criterion_group, criterion_main, Criterion};
use tobira_doctor::{diagnose, Options, Target};
use tobira_fake_kintone::{FakeKintone, Scenario};

fn healthy_site(c: &mut Criterion) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let server = FakeKintone::start(Scenario::Healthy);
    let target = Target::base_url(&server.base_url()).unwrap();
    let login = format!("{}login", server.base_url());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let report = runtime.block_on(diagnose(&target, &Options::default(), &mut |_| {}));
    assert!(
        report.findings.is_empty() && !report.has_problems(),
        "{report:?}"
    );

    let mut group = c.benchmark_group("doctor");
    group.bench_function("baseline: one GET with a fresh client", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let client = reqwest::Client::builder().build().unwrap();
                client
                    .get(&login)
                    .send()
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap()
            })
        })
    });
    group.bench_function("diagnose a healthy site", |b| {
        b.iter(|| runtime.block_on(diagnose(&target, &Options::default(), &mut |_| {})))
    });
    group.finish();
}

criterion_group!(benches, healthy_site);
criterion_main!(benches);
