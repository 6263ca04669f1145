//! The curl walk-through of docs/integration.md, run as it stands (the block between
//! `<!-- walkthrough:begin -->` and `<!-- walkthrough:end -->`) against a real `idverify serve`
//! on 127.0.0.1 with a rendered passport: create → upload → submit → poll → result. Also: the
//! admin commands refuse a data folder that does not exist instead of creating a second one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // test helpers: a panic is a failed test

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use idverify_testkit::rand::SeedableRng;
use idverify_testkit::{ChaCha8Rng, DocFormat, RenderOptions, SpecimenSpec, render};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("idverify-walk-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The shell block of the walk-through.
fn walkthrough() -> String {
    let doc = std::fs::read_to_string(repo().join("docs/integration.md")).unwrap();
    let start = doc
        .find("<!-- walkthrough:begin -->")
        .expect("begin marker");
    let end = doc.find("<!-- walkthrough:end -->").expect("end marker");
    let block = &doc[start..end];
    let body_start = block.find("```sh\n").expect("a sh block") + "```sh\n".len();
    let body_end = block.rfind("```").unwrap();
    block[body_start..body_end].to_string()
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn idverify() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_idverify"));
    c.env_remove("IDVERIFY_DATABASE_URL")
        .env_remove("IDVERIFY_CONFIG")
        .env_remove("IDVERIFY_DATA_DIR");
    c
}

#[test]
fn the_curl_walkthrough_of_the_docs_runs() {
    let d = dir("docs");
    let data = d.join("data");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let server = Server(
        idverify()
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .arg("--data-dir")
            .arg(&data)
            .arg("--models")
            .arg(repo().join("models"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    loop {
        let up = Command::new("curl")
            .args(["-sf", "-o", "/dev/null", &format!("{base}/healthz")])
            .status()
            .is_ok_and(|s| s.success());
        if up {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "no answer");
        std::thread::sleep(Duration::from_millis(200));
    }
    let out = idverify()
        .args(["apps", "create", "--name", "walkthrough"])
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let app: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();

    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let spec = SpecimenSpec::random_of(DocFormat::Td3, &mut rng);
    let specimen = render(&spec, &RenderOptions::default()).unwrap();
    let front = d.join("passport.jpg");
    specimen.mrz_side().save(&front).unwrap();

    let out = Command::new("bash")
        .args(["-euo", "pipefail", "-c", &walkthrough()])
        .env("IDV", &base)
        .env("PK", app["publishableKey"].as_str().unwrap())
        .env("SK", app["secretKey"].as_str().unwrap())
        .env("FRONT", &front)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The last thing printed is the Result's `results`: a clean rendered passport is approved.
    let last = stdout.rfind("\n{").map_or(0, |i| i + 1);
    let results: serde_json::Value = serde_json::from_str(&stdout[last..]).unwrap();
    assert_eq!(results["status"], "approved", "{stdout}");
    assert_eq!(results["concerns"], serde_json::json!([]));
    drop(server);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn admin_commands_refuse_a_data_folder_that_is_not_there() {
    let d = dir("nodata");
    for args in [
        &["apps", "create", "--name", "x"][..],
        &["apps", "list"][..],
        &["keys", "list"][..],
    ] {
        let out = idverify().args(args).current_dir(&d).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(err.contains("no data folder at"), "{args:?}: {err}");
        assert!(err.contains("--data-dir"), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(!d.join("data").exists(), "{args:?} created ./data");
    }
    let _ = std::fs::remove_dir_all(&d);
}
