#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tobira_fuzzing::policy_store(data));
