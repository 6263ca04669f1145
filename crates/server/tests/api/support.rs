//! Test support: `spawn_app()` on 127.0.0.1:0 against a fresh SQLite file or a fresh PostgreSQL
//! database, the payload-reading document check, and image builders.

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use idverify_server::check::{CheckError, CheckInput, CheckOutput, DocumentCheck};
use idverify_server::{Admin, Config, NewApp, RunningServer, SystemClock};
use idverify_wire::{
    Attributes, Check, Concern, DataCheckRow, Decision, DocumentNumber, MrzSummary, Results,
};
use image::{ImageFormat, Rgb, RgbImage};
use serde_json::Value;

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// A document check for tests of the API, queue and storage — not a document reader. It
/// genuinely decodes the uploaded front image (the `image` crate) and reads a `key=value;…`
/// payload that the test wrote into the red channel of the image's first pixel row (PNG keeps
/// it exact); the Result is built from what it read. The real check (MRZ, printed zone, rules)
/// belongs to other crates and plugs in through the same trait.
#[derive(Debug, Default)]
pub struct PixelPayloadCheck {
    /// How many times each `doc` value was checked.
    pub runs: Mutex<HashMap<String, u32>>,
}

/// Reads the payload of an image made by [`payload_png`].
pub fn read_payload(bytes: &[u8]) -> Result<HashMap<String, String>, String> {
    let img = image::load_from_memory(bytes).map_err(|e| e.to_string())?;
    let rgb = img.to_rgb8();
    let mut text = Vec::new();
    for x in 0..rgb.width() {
        let r = rgb.get_pixel(x, 0).0[0];
        if r == 0 {
            break;
        }
        text.push(r);
    }
    let text = String::from_utf8(text).map_err(|e| e.to_string())?;
    Ok(text
        .split(';')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect())
}

impl DocumentCheck for PixelPayloadCheck {
    fn check(&self, input: &CheckInput) -> Result<CheckOutput, CheckError> {
        let p = read_payload(&input.front.bytes).map_err(CheckError)?;
        let doc = p.get("doc").cloned().unwrap_or_default();
        *self.runs.lock().unwrap().entry(doc.clone()).or_default() += 1;
        if let Some(ms) = p.get("sleep").and_then(|s| s.parse().ok()) {
            std::thread::sleep(Duration::from_millis(ms));
        }
        if p.contains_key("fail") {
            return Err(CheckError("payload asks the check to fail".into()));
        }
        let g = |k: &str| p.get(k).cloned().unwrap_or_default();
        let dob = g("dob");
        let printed_dob = p.get("printed_dob").cloned().unwrap_or_else(|| dob.clone());
        let equal = dob == printed_dob;
        let mut concerns = Vec::new();
        if !equal {
            concerns.push(Concern {
                id: "DC030".into(),
                message: format!("Fields from ocr and mrz have conflict: {dob}, {printed_dob}"),
                service: "doc-check".into(),
                status: Decision::Declined,
            });
        }
        let status = if equal {
            Decision::Approved
        } else {
            Decision::Declined
        };
        let summary = format!("Found {} issue(s).", concerns.len());
        concerns.insert(
            0,
            Concern {
                id: "DC023".into(),
                message: summary.clone(),
                service: "doc-check".into(),
                status,
            },
        );
        Ok(CheckOutput {
            results: Results { status, concerns },
            checks: vec![Check {
                name: "docCheck".into(),
                status,
                comment: summary,
                details: None,
            }],
            attributes: Attributes {
                document_type: "passport".into(),
                first_name: g("given").to_uppercase(),
                original_first_name: g("given"),
                last_name: g("surname").to_uppercase(),
                original_last_name: g("surname"),
                document_numbers: vec![DocumentNumber {
                    kind: "document-number".into(),
                    value: doc,
                }],
                gender: "female".into(),
                nationality: "NLD".into(),
                issue_country: "NLD".into(),
                date_of_expiry: "2031-08-02".into(),
                date_of_birth: dob.clone(),
                ..Attributes::default()
            },
            mrz: p.get("mrz").map(|m| MrzSummary {
                format: "TD3".into(),
                lines: m.split('|').map(str::to_owned).collect(),
                valid: equal,
            }),
            document_data_checking: vec![DataCheckRow {
                category: "Date of birth".into(),
                mrz: dob,
                ocr: printed_dob,
                equal,
                valid: equal,
                status,
            }],
        })
    }
}

/// A PNG whose first row carries `payload` (one byte per pixel, red channel).
pub fn payload_png(payload: &str) -> Vec<u8> {
    let w = (payload.len() as u32 + 1).max(64);
    let mut img = RgbImage::from_pixel(w, 48, Rgb([0, 90, 160]));
    for x in 0..w {
        img.put_pixel(x, 0, Rgb([0, 0, 0]));
    }
    for (x, b) in payload.bytes().enumerate() {
        img.put_pixel(x as u32, 0, Rgb([b, 0, 0]));
    }
    encode(&img, ImageFormat::Png)
}

/// A small JPEG.
pub fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| Rgb([(x * 7) as u8, (y * 5) as u8, 120]));
    encode(&img, ImageFormat::Jpeg)
}

fn encode(img: &RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// A test server and what the tests need to talk to it.
pub struct TestApp {
    pub base: String,
    pub server: Option<RunningServer>,
    pub admin: Admin,
    pub app: NewApp,
    pub http: reqwest::Client,
    pub check: Arc<PixelPayloadCheck>,
    pub config: Config,

    pub dir: tempfile::TempDir,
}

/// The admin URL of the test PostgreSQL, or `None` (skip) when it is not configured. Under CI
/// a missing database is a failure, not a skip.
pub fn pg_admin_url() -> Option<String> {
    match std::env::var("IDVERIFY_TEST_DATABASE_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            if std::env::var("CI").map(|v| v == "true").unwrap_or(false) {
                panic!(
                    "IDVERIFY_TEST_DATABASE_URL not set under CI: PostgreSQL tests cannot be skipped"
                );
            }
            eprintln!("skipped: IDVERIFY_TEST_DATABASE_URL not set");
            None
        }
    }
}

/// Creates a fresh database and returns its URL.
pub async fn fresh_pg_database(admin_url: &str) -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let name = format!("t_{}", idverify_server::ids::random_name().unwrap());
    let mut conn = sqlx::AnyConnection::connect(admin_url).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let (base, _) = admin_url.rsplit_once('/').unwrap();
    let base = base.to_owned();
    format!("{base}/{name}")
}

/// A test configuration on `db` in a fresh temp dir; `None` when PostgreSQL is skipped.
pub async fn test_config(db: Db) -> Option<(Config, tempfile::TempDir)> {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_test(dir.path());
    if db == Db::Postgres {
        let admin = pg_admin_url()?;
        config.database_url = Some(idverify_server::config::DatabaseUrl(
            fresh_pg_database(&admin).await,
        ));
    }
    Some((config, dir))
}

/// Starts a server on `db` with `tweak` applied to the test configuration and one application
/// (webhook `webhook`).
pub async fn spawn_app_with(
    db: Db,
    webhook: Option<&str>,
    tweak: impl FnOnce(&mut Config),
) -> Option<TestApp> {
    let (mut config, dir) = test_config(db).await?;
    tweak(&mut config);
    let admin = Admin::open(config.clone(), Arc::new(SystemClock))
        .await
        .unwrap();
    let app = admin.create_app("test app", webhook).await.unwrap();
    let check = Arc::new(PixelPayloadCheck::default());
    let server = RunningServer::start(config.clone(), check.clone(), Arc::new(SystemClock))
        .await
        .unwrap();
    Some(TestApp {
        base: format!("http://{}", server.addr),
        server: Some(server),
        admin,
        app,
        http: reqwest::Client::builder()
            .user_agent("idverify-tests/1")
            .build()
            .unwrap(),
        check,
        config,

        dir,
    })
}

/// Starts a server on `db` with the test configuration.
pub async fn spawn_app(db: Db) -> Option<TestApp> {
    spawn_app_with(db, None, |_| {}).await
}

/// A created verification.
#[derive(Debug, Clone)]
pub struct Created {
    pub id: String,
    pub token: String,
    pub result_url: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn service(&self) -> &idverify_server::service::Service {
        &self.server.as_ref().unwrap().service
    }

    /// Stops the server; returns the data directory (kept until the caller drops it).
    pub async fn shutdown(mut self) -> tempfile::TempDir {
        if let Some(s) = self.server.take() {
            s.shutdown().await;
        }
        self.admin.store().close().await;
        self.dir
    }

    /// `POST /verifications` with the publishable key and `body`.
    pub async fn create(&self, body: Value) -> Created {
        let r = self
            .http
            .post(self.url("/verifications"))
            .header("X-Client-Key", &self.app.publishable_key)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 202);
        let v: Value = r.json().await.unwrap();
        Created {
            id: v["id"].as_str().unwrap().to_owned(),
            token: v["token"].as_str().unwrap().to_owned(),
            result_url: v["resultUrl"].as_str().unwrap().to_owned(),
        }
    }

    /// Uploads `bytes` as `kind`; returns the response.
    pub async fn upload(&self, c: &Created, kind: &str, bytes: Vec<u8>) -> reqwest::Response {
        let form = reqwest::multipart::Form::new()
            .text("kind", kind.to_owned())
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("upload.bin"),
            );
        self.http
            .post(self.url(&format!("/verifications/{}/files", c.id)))
            .bearer_auth(&c.token)
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn submit(&self, c: &Created) -> reqwest::Response {
        self.http
            .post(self.url(&format!("/verifications/{}/submit", c.id)))
            .bearer_auth(&c.token)
            .send()
            .await
            .unwrap()
    }

    pub async fn status(&self, c: &Created) -> Value {
        let r = self
            .http
            .get(self.url(&format!("/verifications/{}/status", c.id)))
            .bearer_auth(&c.token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    /// Polls the status until it is not `processing` (at most `secs`).
    pub async fn wait_done(&self, c: &Created, secs: u64) -> Value {
        let deadline = std::time::Instant::now() + Duration::from_secs(secs);
        loop {
            let s = self.status(c).await;
            if s["status"] != "processing" {
                return s;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "verification {} still processing after {secs}s",
                c.id
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `GET /verifications/results/{id}` with `key`.
    pub async fn results(&self, id: &str, key: Option<&str>) -> (u16, Value) {
        let mut req = self
            .http
            .get(self.url(&format!("/verifications/results/{id}")));
        if let Some(k) = key {
            req = req.header("X-API-Key", k);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap())
    }

    /// Create, upload a payload front (+ JPEG back), submit; returns the verification.
    pub async fn full_cycle(&self, payload: &str, external_id: &str) -> Created {
        let c = self
            .create(serde_json::json!({"externalId": external_id, "platform": "web"}))
            .await;
        assert_eq!(
            self.upload(&c, "front", payload_png(payload))
                .await
                .status(),
            202
        );
        assert_eq!(self.upload(&c, "back", jpeg(64, 40)).await.status(), 202);
        assert_eq!(self.submit(&c).await.status(), 202);
        c
    }
}

/// The error body of the contract.
pub fn err_body(status: u16, message: &str) -> Value {
    let reason = match status {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        _ => unreachable!(),
    };
    serde_json::json!({"statusCode": status, "message": message, "error": reason})
}
