//! The demo integrator of `idverify serve --demo`, at `/demo`: a shop's sign-up page that embeds
//! the flow with a demo application's publishable key, and the shop's back end, which receives
//! the callback object, verifies `ocr.signed` against the JWKS with `idverify-client`, fetches
//! the Result with the secret key, and shows it with the document images it fetched.
//!
//! The demo application is created on first start; its keys are kept in
//! `{data_dir}/demo-app.json` (mode 0600). Verified results are kept in memory only (the last
//! 100) and readable by anyone who can reach the page: it is a demo on a loopback address.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::{Context, Result};
use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use idverify_client::{Client, KeySet};
use idverify_server::flow::{PAGE_CSP, html_page};
use idverify_server::{Admin, Config, SystemClock};
use idverify_wire::{OcrCallback, VerificationResult};
use serde::{Deserialize, Serialize};
use serde_json::json;

const INDEX_HTML: &str = include_str!("../../../web/demo/index.html");
const RESULT_HTML: &str = include_str!("../../../web/demo/result.html");
const DEMO_JS: &str = include_str!("../../../web/demo/demo.js");
const DEMO_CSS: &str = include_str!("../../../web/demo/demo.css");

/// How many verified registrations the demo keeps in memory.
const KEEP: usize = 100;

/// The demo application's keys, as stored in the data directory.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoKeys {
    /// App id.
    pub app_id: String,
    /// `pk_…`, embedded in the demo page.
    pub publishable_key: String,
    /// `sk_…`, used by the demo back end only.
    pub secret_key: String,
}

impl std::fmt::Debug for DemoKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoKeys")
            .field("app_id", &self.app_id)
            .finish_non_exhaustive()
    }
}

/// Loads the demo application's keys, creating the application on first start (or when the
/// stored keys no longer work, e.g. after the database was replaced).
pub async fn load_or_create_keys(config: &Config) -> Result<DemoKeys> {
    let path = config.data_dir.join("demo-app.json");
    let admin = Admin::open(config.clone(), Arc::new(SystemClock))
        .await
        .context("opening the storage for the demo application")?;
    if let Ok(text) = std::fs::read_to_string(&path)
        && let Ok(keys) = serde_json::from_str::<DemoKeys>(&text)
        && admin.key_is_live(&keys.secret_key).await.unwrap_or(false)
        && admin
            .key_is_live(&keys.publishable_key)
            .await
            .unwrap_or(false)
    {
        admin.store().close().await;
        return Ok(keys);
    }
    let app = admin
        .create_app("demo shop", None)
        .await
        .context("creating the demo application")?;
    admin.store().close().await;
    let keys = DemoKeys {
        app_id: app.app_id,
        publishable_key: app.publishable_key,
        secret_key: app.secret_key,
    };
    write_private(&path, &serde_json::to_vec_pretty(&keys)?)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(keys)
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)?;
        f.write_all(bytes)
    }
    #[cfg(not(unix))]
    {
        std::fs::write(path, bytes)
    }
}

/// What the demo back end verified and fetched for one registration.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Record {
    id: String,
    token_verified: bool,
    kid: String,
    account: serde_json::Value,
    person: serde_json::Value,
    ocr: OcrCallback,
    result: VerificationResult,
}

/// The demo integrator's state: its keys, its client of the service, what it verified.
#[derive(Debug)]
pub struct Demo {
    keys: DemoKeys,
    client: OnceLock<Client>,
    records: Mutex<VecDeque<Record>>,
}

impl Demo {
    /// A demo for these keys; [`Demo::connect`] it once the service listens.
    pub fn new(keys: DemoKeys) -> Arc<Self> {
        Arc::new(Demo {
            keys,
            client: OnceLock::new(),
            records: Mutex::new(VecDeque::new()),
        })
    }

    /// Points the demo back end at the service (its public base URL).
    pub fn connect(&self, base_url: &str) -> Result<()> {
        let client = Client::new(base_url)?.with_secret_key(self.keys.secret_key.clone());
        let _ = self.client.set(client);
        Ok(())
    }

    fn record(&self, id: &str) -> Option<Record> {
        self.records
            .lock()
            .ok()?
            .iter()
            .find(|r| r.id == id)
            .cloned()
    }
}

/// The demo's routes: the pages, their script and styles, and the back end's API.
pub fn router(demo: Arc<Demo>) -> Router {
    Router::new()
        .route("/demo", get(index))
        .route("/demo/", get(|| async { Redirect::permanent("/demo") }))
        .route(
            "/demo/result",
            get(|| async { html_page(RESULT_HTML.to_owned(), PAGE_CSP) }),
        )
        .route(
            "/demo/demo.js",
            get(|| async { asset("text/javascript; charset=utf-8", DEMO_JS) }),
        )
        .route(
            "/demo/demo.css",
            get(|| async { asset("text/css; charset=utf-8", DEMO_CSS) }),
        )
        .route("/demo/api/complete", post(complete))
        .route("/demo/api/results/{id}", get(result))
        .route("/demo/api/results/{id}/files/{kind}", get(file))
        .with_state(demo)
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

async fn index(State(demo): State<Arc<Demo>>) -> Response {
    // Keys are `pk_` + URL-safe characters; escape anyway, it goes into an attribute.
    let key: String = demo
        .keys
        .publishable_key
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        .collect();
    html_page(INDEX_HTML.replace("{{PUBLISHABLE_KEY}}", &key), PAGE_CSP)
}

fn fail(status: StatusCode, message: impl std::fmt::Display) -> Response {
    (status, Json(json!({"error": message.to_string()}))).into_response()
}

/// The registration data the flow handed to `setOnComplete`.
#[derive(Debug, Deserialize)]
struct Registration {
    #[serde(default)]
    account: serde_json::Value,
    #[serde(default)]
    person: serde_json::Value,
    ocr: OcrCallback,
}

async fn complete(State(demo): State<Arc<Demo>>, body: axum::body::Bytes) -> Response {
    let reg: Registration = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return fail(
                StatusCode::BAD_REQUEST,
                format!("not registration data with an ocr object: {e}"),
            );
        }
    };
    let Some(client) = demo.client.get() else {
        return fail(
            StatusCode::SERVICE_UNAVAILABLE,
            "the demo is not connected yet",
        );
    };
    // 1. The token is genuine (ES512, a key of the JWKS) and names this verification.
    let claims = match client.verify_callback(&reg.ocr).await {
        Ok(c) => c,
        Err(e) => return fail(StatusCode::BAD_REQUEST, format!("token rejected: {e}")),
    };
    let kid = KeySet::token_kid(&reg.ocr.signed).unwrap_or_default();
    // 2. The final word: the Result, fetched with the secret key (its token verified too).
    let answer = match client.fetch_result(&claims.id).await {
        Ok(a) => a,
        Err(e) => return fail(StatusCode::BAD_GATEWAY, format!("fetching the result: {e}")),
    };
    let status = answer.data.status;
    let decision = answer.data.results.status;
    // The password stays out of what the demo keeps and shows.
    let account = json!({"email": reg.account.get("email").cloned().unwrap_or_default()});
    let record = Record {
        id: claims.id.clone(),
        token_verified: true,
        kid,
        account,
        person: reg.person,
        ocr: reg.ocr,
        result: answer.data,
    };
    if let Ok(mut records) = demo.records.lock() {
        records.retain(|r| r.id != record.id);
        records.push_back(record);
        while records.len() > KEEP {
            records.pop_front();
        }
    }
    Json(json!({"id": claims.id, "tokenVerified": true, "status": status, "decision": decision}))
        .into_response()
}

async fn result(State(demo): State<Arc<Demo>>, UrlPath(id): UrlPath<String>) -> Response {
    match demo.record(&id) {
        Some(r) => Json(r).into_response(),
        None => fail(StatusCode::NOT_FOUND, "no such registration in this demo"),
    }
}

async fn file(
    State(demo): State<Arc<Demo>>,
    UrlPath((id, kind)): UrlPath<(String, String)>,
) -> Response {
    let Some(rec) = demo.record(&id) else {
        return fail(StatusCode::NOT_FOUND, "no such registration in this demo");
    };
    let Some(uri) = rec
        .result
        .documents
        .iter()
        .flat_map(|g| g.files.iter())
        .find(|f| f.kind == kind)
        .map(|f| f.uri.clone())
    else {
        return fail(StatusCode::NOT_FOUND, "no such image in the result");
    };
    let Some(client) = demo.client.get() else {
        return fail(
            StatusCode::SERVICE_UNAVAILABLE,
            "the demo is not connected yet",
        );
    };
    match client.fetch_document(&uri).await {
        Ok(doc) => (
            [
                (header::CONTENT_TYPE, doc.media_type),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            doc.bytes,
        )
            .into_response(),
        Err(e) => fail(StatusCode::BAD_GATEWAY, format!("fetching the image: {e}")),
    }
}
