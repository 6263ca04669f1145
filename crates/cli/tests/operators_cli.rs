//! `idverify operators`: `create` prints the operator and its one-time set-up link as JSON;
//! a bad e-mail, a bad role or a taken e-mail is a one-line error and a non-zero exit.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

use std::path::Path;
use std::process::{Command, Output};

fn operators(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_idverify"))
        .arg("operators")
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("IDVERIFY_DATABASE_URL")
        .env_remove("IDVERIFY_CONFIG")
        .env_remove("IDVERIFY_PUBLIC_URL")
        .env("IDVERIFY_LISTEN", "127.0.0.1:3030")
        .output()
        .unwrap()
}

fn one_line_error(out: &Output, wanted: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(wanted), "{wanted:?} not in {err:?}");
    assert!(out.stdout.is_empty());
}

#[test]
fn create_prints_a_set_up_link_once_per_email() {
    let dir = std::env::temp_dir().join(format!("idverify-operators-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // An admin command does not make a data folder (the service's start does): none, refused.
    let out = operators(
        &dir,
        &["create", "--email", "Ann@Example.org", "--role", "reviewer"],
    );
    one_line_error(&out, "no data folder at");
    assert!(!dir.exists());
    std::fs::create_dir_all(&dir).unwrap();
    let out = operators(
        &dir,
        &["create", "--email", "Ann@Example.org", "--role", "reviewer"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["email"], "ann@example.org");
    assert_eq!(v["role"], "reviewer");
    let url = v["setupUrl"].as_str().unwrap();
    let token = url
        .strip_prefix("http://127.0.0.1:3030/console/setup#os_")
        .unwrap();
    assert_eq!(token.len(), 64);
    assert!(v["operatorId"].as_str().unwrap().starts_with("op_"));
    assert!(v["expiresAt"].as_i64().unwrap() > 0);

    one_line_error(
        &operators(
            &dir,
            &["create", "--email", "ann@example.org", "--role", "admin"],
        ),
        "an operator with e-mail ann@example.org exists already",
    );
    one_line_error(
        &operators(&dir, &["create", "--email", "ann", "--role", "admin"]),
        "\"ann\" is not an e-mail address",
    );
    one_line_error(
        &operators(
            &dir,
            &["create", "--email", "bo@example.org", "--role", "root"],
        ),
        "role must be reviewer or admin",
    );
    let out = operators(&dir, &["list"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(
        list[0]["active"], false,
        "no password until the link is used"
    );
    // The token is stored hashed: it is nowhere in the database file.
    for file in ["idverify.db", "idverify.db-wal"] {
        let db = std::fs::read(dir.join(file)).unwrap_or_default();
        assert!(
            !db.windows(token.len()).any(|w| w == token.as_bytes()),
            "{file}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
