//! Load benchmark on loopback: the full create → upload → submit → done cycle with many
//! verifications at once, then `GET /verifications/results/{id}` as fast as it goes. Prints
//! requests/s, p50/p99 latency, errors and lost verifications.
//!
//! The server runs in this process with a check that only decodes the uploaded front image
//! (`DecodeOnlyCheck`): the benchmark measures the service (HTTP, auth, storage, queue,
//! signing), not the document reader.
//!
//! ```text
//! cargo run --release -p idverify-server --example load -- [sqlite|postgres] [CYCLES] [GET_SECONDS] [GET_CONNECTIONS] [hold]
//! ```
//! With `hold` it prints `HOLD <results url> <secret key>` after the cycle phase and serves for
//! GET_SECONDS + 5 s, for an external load tool (`scripts/load-bench` runs wrk when installed).
//! PostgreSQL uses a fresh database on the server of `IDVERIFY_TEST_DATABASE_URL`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Cursor;
use std::sync::Arc;
use std::time::{Duration, Instant};

use idverify_server::check::{CheckError, CheckInput, CheckOutput, DocumentCheck};
use idverify_server::config::DatabaseUrl;
use idverify_server::{Admin, Config, RunningServer, SystemClock};
use idverify_wire::{Attributes, Check, Concern, Decision, Results};
use serde_json::Value;

/// Decodes the front image and approves: a stand-in that costs one real decode per job.
#[derive(Debug)]
struct DecodeOnlyCheck;

impl DocumentCheck for DecodeOnlyCheck {
    fn check(&self, input: &CheckInput) -> Result<CheckOutput, CheckError> {
        let img =
            image::load_from_memory(&input.front.bytes).map_err(|e| CheckError(e.to_string()))?;
        let comment = format!("Decoded {}x{}.", img.width(), img.height());
        Ok(CheckOutput {
            results: Results {
                status: Decision::Approved,
                concerns: vec![Concern {
                    id: "DC023".into(),
                    message: "Found 0 issue(s).".into(),
                    service: "doc-check".into(),
                    status: Decision::Approved,
                }],
            },
            checks: vec![Check {
                name: "docCheck".into(),
                status: Decision::Approved,
                comment,
                details: None,
            }],
            attributes: Attributes {
                document_type: "unknown".into(),
                ..Attributes::default()
            },
            mrz: None,
            document_data_checking: Vec::new(),
        })
    }
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(640, 400, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

async fn fresh_pg() -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let admin = std::env::var("IDVERIFY_TEST_DATABASE_URL")
        .expect("IDVERIFY_TEST_DATABASE_URL (scripts/pg-start)");
    let name = format!("bench_{}", idverify_server::ids::random_name().unwrap());
    let mut c = sqlx::AnyConnection::connect(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut c)
        .await
        .unwrap();
    format!("{}/{name}", admin.rsplit_once('/').unwrap().0)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let db = args
        .get(1)
        .map(String::as_str)
        .unwrap_or("sqlite")
        .to_owned();
    let cycles: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(200);
    let get_secs: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10);
    let get_conns: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(64);

    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_test(dir.path());
    config.workers = 0;
    config.max_connections = 32;
    config.queue.poll_ms = 200;
    config.webhooks.poll_ms = 1000;
    if db == "postgres" {
        config.database_url = Some(DatabaseUrl(fresh_pg().await));
    }
    let admin = Admin::open(config.clone(), Arc::new(SystemClock))
        .await
        .unwrap();
    let app = admin.create_app("bench", None).await.unwrap();
    let server = RunningServer::start(config, Arc::new(DecodeOnlyCheck), Arc::new(SystemClock))
        .await
        .unwrap();
    let base = format!("http://{}", server.addr);
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(1024)
        .build()
        .unwrap();
    let front = Arc::new(jpeg());
    println!(
        "database: {db}; front image {} bytes; workers {}",
        front.len(),
        server.service.config.worker_count()
    );

    // Phase 1: the full cycle, all at once.
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..cycles {
        let (http, base, pk, front) = (
            http.clone(),
            base.clone(),
            app.publishable_key.clone(),
            Arc::clone(&front),
        );
        tasks.push(tokio::spawn(async move {
            let t0 = Instant::now();
            let r = http
                .post(format!("{base}/verifications"))
                .header("X-Client-Key", pk)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if r.status() != 202 {
                return Err(format!("create {}", r.status()));
            }
            let v: Value = r.json().await.map_err(|e| e.to_string())?;
            let (id, token) = (
                v["id"].as_str().unwrap().to_owned(),
                v["token"].as_str().unwrap().to_owned(),
            );
            for kind in ["front", "back"] {
                let form = reqwest::multipart::Form::new()
                    .text("kind", kind)
                    .part("file", reqwest::multipart::Part::bytes(front.to_vec()));
                let r = http
                    .post(format!("{base}/verifications/{id}/files"))
                    .bearer_auth(&token)
                    .multipart(form)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if r.status() != 202 {
                    return Err(format!("upload {}", r.status()));
                }
            }
            let r = http
                .post(format!("{base}/verifications/{id}/submit"))
                .bearer_auth(&token)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if r.status() != 202 {
                return Err(format!("submit {}", r.status()));
            }
            let deadline = Instant::now() + Duration::from_secs(300);
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await;
                let s: Value = http
                    .get(format!("{base}/verifications/{id}/status"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?
                    .json()
                    .await
                    .map_err(|e| e.to_string())?;
                if s["status"] == "done" {
                    return Ok((id, t0.elapsed().as_micros() as u64));
                }
                if s["status"] == "failed" || Instant::now() > deadline {
                    return Err(format!("lost: {}", s["status"]));
                }
            }
        }));
    }
    let mut ids = Vec::new();
    let mut lat = Vec::new();
    let mut errors = Vec::new();
    for t in tasks {
        match t.await.unwrap() {
            Ok((id, us)) => {
                ids.push(id);
                lat.push(us);
            }
            Err(e) => errors.push(e),
        }
    }
    let total = started.elapsed().as_secs_f64();
    lat.sort_unstable();
    println!(
        "cycle: {cycles} verifications at once in {total:.2}s = {:.1} verifications/s; cycle latency p50 {:.0} ms, p99 {:.0} ms; errors {}; done {}",
        ids.len() as f64 / total,
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        errors.len(),
        ids.len()
    );
    for e in errors.iter().take(5) {
        println!("  error: {e}");
    }

    // With `hold`, leave the GET load to an external tool (wrk): print what it needs and serve
    // for GET_SECONDS + 5 seconds.
    if args.get(5).map(String::as_str) == Some("hold") {
        println!(
            "HOLD {base}/verifications/results/{} {}",
            ids[0], app.secret_key
        );
        tokio::time::sleep(Duration::from_secs(get_secs + 5)).await;
        server.shutdown().await;
        return;
    }

    // Phase 2: GET results.
    let ids = Arc::new(ids);
    let stop_at = Instant::now() + Duration::from_secs(get_secs);
    let mut tasks = Vec::new();
    for c in 0..get_conns {
        let (http, base, sk, ids) = (
            http.clone(),
            base.clone(),
            app.secret_key.clone(),
            Arc::clone(&ids),
        );
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0u64;
            let mut i = c;
            while Instant::now() < stop_at {
                let id = &ids[i % ids.len()];
                i += 1;
                let t0 = Instant::now();
                match http
                    .get(format!("{base}/verifications/results/{id}"))
                    .header("X-API-Key", &sk)
                    .send()
                    .await
                {
                    Ok(r) if r.status() == 200 => {
                        let _ = r.bytes().await;
                        lat.push(t0.elapsed().as_micros() as u64);
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors)
        }));
    }
    let t0 = Instant::now();
    let mut lat = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.unwrap();
        lat.extend(l);
        errors += e;
    }
    let secs = t0.elapsed().as_secs_f64();
    lat.sort_unstable();
    println!(
        "GET results: {} requests in {secs:.1}s over {get_conns} connections = {:.0} requests/s; p50 {:.2} ms, p99 {:.2} ms; errors {errors}",
        lat.len(),
        lat.len() as f64 / secs,
        percentile(&lat, 0.5),
        percentile(&lat, 0.99)
    );
    server.shutdown().await;
}
