//! `idverify mrz` end to end: arguments and stdin, the exact JSON of CONTRACT §5, exit statuses.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // test helpers: a panic is a failed test

use std::io::Write;
use std::process::{Command, Output, Stdio};

const TD3: [&str; 2] = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
];

fn idverify(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_idverify"))
        .arg("mrz")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[test]
fn prints_the_contract_example_exactly() {
    let out = idverify(&TD3, None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let expected = concat!(
        r#"{"format":"TD3","valid":true,"#,
        r#""documentCode":"P","documentType":"passport","issueCountry":"UTO","#,
        r#""lastName":"ERIKSSON","firstName":"ANNA MARIA","documentNumber":"L898902C3","#,
        r#""nationality":"UTO","dateOfBirth":"1974-08-12","gender":"female","dateOfExpiry":"2012-04-15","#,
        r#""personalNumber":"ZE184226B","optionalData":"","optionalData2":"","#,
        r#""raw":{"dateOfBirth":"740812","dateOfExpiry":"120415"},"#,
        r#""checks":{"documentNumber":true,"dateOfBirth":true,"dateOfExpiry":true,"personalNumber":true,"composite":true},"#,
        r#""problems":[]}"#,
        "\n"
    );
    assert_eq!(stdout(&out), expected);
}

#[test]
fn reads_stdin_skipping_blank_lines_and_carriage_returns() {
    let input = format!("\n  {}\r\n\r\n{}  \r\n\n", TD3[0], TD3[1]);
    let out = idverify(&[], Some(&input));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["format"], "TD3");
    assert_eq!(json["valid"], true);
}

#[test]
fn one_argument_may_hold_all_lines() {
    let joined = format!("{}\n{}", TD3[0], TD3[1]);
    let out = idverify(&[&joined], None);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["documentNumber"], "L898902C3");
}

#[test]
fn invalid_mrz_still_exits_zero_with_reasons() {
    let out = idverify(
        &[TD3[0], "L898902C36UTO7408122F1204159ZE184226B<<<<<20"],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["valid"], false);
    assert_eq!(json["checks"]["personalNumber"], false);
    assert_eq!(json["checks"]["composite"], false);
    let fields: Vec<&str> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["personalNumberCheckDigit", "compositeCheckDigit"]);
}

#[test]
fn formats_without_a_check_leave_it_out() {
    let out = idverify(
        &[
            "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
            "L8988901C4XXX7408122F9612109<<<<<<<<",
        ],
        None,
    );
    let text = stdout(&out);
    assert!(
        text.contains(
            r#""checks":{"documentNumber":true,"dateOfBirth":true,"dateOfExpiry":true},"#
        ),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["format"], "MRVB");
    assert_eq!(json["documentType"], "visa");
    assert_eq!(json["personalNumber"], "");
}

#[test]
fn no_mrz_exits_2_with_one_line_on_stderr() {
    let cases: Vec<(Vec<&str>, Option<&str>)> = vec![
        (vec!["hello"], None),
        (vec![TD3[0]], None),
        (vec![TD3[0], TD3[1], TD3[1]], None),
        (vec![], Some("")),
        (vec![], Some("\n\n  \n")),
        (
            vec![
                "p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<",
                "l898902c36uto7408122f1204159ze184226b<<<<<10",
            ],
            None,
        ),
        (
            vec!["P<UTO ERIKSSON ANNA", "L898902C36UTO7408122F1204"],
            None,
        ),
    ];
    for (args, input) in cases {
        let out = idverify(&args, input);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stdout(&out));
        assert!(stdout(&out).is_empty());
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err:?}");
        assert!(err.starts_with("idverify mrz: no MRZ"), "{err:?}");
    }
}

#[test]
fn a_stray_space_is_reported_not_fatal() {
    let out = idverify(
        &["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<< ", TD3[1]],
        None,
    );
    // Trailing whitespace is trimmed, so the line is 43 long: no MRZ.
    assert_eq!(out.status.code(), Some(2));
    let out = idverify(
        &["P<UTOERIKSSON<<ANNA MARIA<<<<<<<<<<<<<<<<<<<", TD3[1]],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["valid"], false);
    assert_eq!(json["problems"][0]["field"], "lastName");
}
