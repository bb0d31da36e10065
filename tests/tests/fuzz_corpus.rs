//! Every input the fuzzers kept (`fuzz/corpus/TARGET/`) and every crash
//! they found (`fuzz/artifacts/TARGET/`) runs through its target again on
//! every build: what once broke stays fixed, without nightly.

use tobira_tests::workspace_root;

#[test]
fn every_saved_fuzz_input_still_holds() {
    let mut replayed = 0;
    for (name, target) in tobira_fuzzing::TARGETS {
        for folder in ["corpus", "artifacts"] {
            let dir = workspace_root().join("fuzz").join(folder).join(name);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                // A fuzzer running beside the tests may replace a file.
                let Ok(data) = std::fs::read(&path) else {
                    continue;
                };
                let outcome = std::panic::catch_unwind(|| target(&data));
                assert!(outcome.is_ok(), "{name}: {} fails again", path.display());
                replayed += 1;
            }
        }
        assert!(
            workspace_root().join("fuzz/corpus").join(name).is_dir(),
            "{name} has a saved corpus"
        );
    }
    println!("replayed {replayed} saved fuzz inputs");
}
