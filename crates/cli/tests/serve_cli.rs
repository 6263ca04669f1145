//! `idverify serve` start-up: a configuration whose `[policy]` is wrong stops the start with a
//! one-line message naming the table and the key, before anything listens.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

use std::process::Command;

fn serve_with(config: &str, name: &str) -> std::process::Output {
    let dir =
        std::env::temp_dir().join(format!("idverify-serve-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("idverify.toml");
    std::fs::write(&file, config).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_idverify"))
        .arg("serve")
        .arg("--config")
        .arg(&file)
        .env("IDVERIFY_DATA_DIR", dir.join("data"))
        .env("IDVERIFY_LISTEN", "127.0.0.1:0")
        .env_remove("IDVERIFY_DATABASE_URL")
        .env_remove("IDVERIFY_CONFIG")
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    out
}

fn refused(config: &str, name: &str, wanted: &[&str]) {
    let out = serve_with(config, name);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{name}: started: {err}");
    assert!(!err.contains("panicked"), "{name}: {err}");
    let last = err.trim_end().lines().last().unwrap_or_default();
    for w in wanted {
        assert!(last.contains(w), "{name}: {w:?} not in {last:?}");
    }
    assert!(!err.contains("listening"), "{name}: listened: {err}");
}

#[test]
fn a_wrong_policy_stops_the_start_up() {
    refused(
        "[policy]\nminimum_agee = 18\n",
        "unknown-key",
        &["[policy]", "minimum_agee"],
    );
    refused(
        "[policy.apps.\"abc\"]\nstatus_overrides = { DC023 = \"declined\" }\n",
        "derived-code",
        &["policy.apps", "abc", "DC023"],
    );
    refused(
        "[policy]\naccepted_issuing_countries = [\"QQQ\"]\n",
        "unknown-country",
        &["QQQ"],
    );
}

#[test]
fn missing_ocr_models_stop_the_start_up_naming_the_setup_script() {
    let out = serve_with(
        "[ocr]\nmodels_dir = \"/nonexistent/no-models-here\"\n",
        "no-models",
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "started: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("listening"), "listened: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
    assert!(err.contains("no-models-here"), "{err}");
    assert!(err.contains("scripts/setup-ocr-models"), "{err}");
}
