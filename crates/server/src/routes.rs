//! The HTTP API of CONTRACT §3: every route is registered through [`Api::route`], which also
//! records its description, so `/openapi.json` is generated from the same table that builds the
//! router and cannot drift from it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, MatchedPath, Multipart, Path, Request, State};
use axum::handler::Handler;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, on};
use axum::{Json, Router};
use idverify_wire::ResultsResponse;
use serde::Deserialize;
use serde_json::json;

use crate::error::ApiError;
use crate::ids::{KeyKind, VerificationId, new_token};
use crate::service::{KINDS, Service, StoredMeta};
use crate::store::{SubmitOutcome, UploadOutcome};
use idverify_vision::{IntakeError, decode_pages};

type Svc = Arc<Service>;

/// How a route authenticates its caller.
#[derive(Debug, Clone, Copy)]
pub enum Auth {
    /// No credentials.
    None,
    /// `X-API-Key` / `Authorization: Bearer` secret key.
    Secret,
    /// Publishable (`X-Client-Key`) or secret key.
    AnyKey,
    /// The verification's token (`Authorization: Bearer`).
    Token,
}

/// The body a route takes.
#[derive(Debug, Clone, Copy)]
pub enum Body {
    /// None.
    None,
    /// Optional JSON `{externalId, platform}`.
    CreateJson,
    /// Multipart `kind` + `file`.
    Upload,
}

/// The description of one route, for the OpenAPI document.
#[derive(Debug, Clone)]
pub struct RouteDoc {
    /// HTTP method.
    pub method: Method,
    /// Path with `{param}`s.
    pub path: &'static str,
    /// One line.
    pub summary: &'static str,
    /// Credentials.
    pub auth: Auth,
    /// Body.
    pub body: Body,
    /// Status codes and what they mean.
    pub responses: &'static [(u16, &'static str)],
}

/// The router under construction and the descriptions of its routes.
struct Api {
    router: Router<Svc>,
    docs: Vec<RouteDoc>,
    upload_drain_limit: usize,
}

impl Api {
    fn route<H, T>(mut self, doc: RouteDoc, handler: H) -> Self
    where
        H: Handler<T, Svc>,
        T: 'static,
    {
        let filter = match doc.method {
            Method::GET => MethodFilter::GET,
            Method::POST => MethodFilter::POST,
            Method::DELETE => MethodFilter::DELETE,
            _ => MethodFilter::PUT,
        };
        // Uploads may carry more than the file limit so that an oversized file can be read to
        // the end and answered with a clean 400 (a reset connection would lose the answer).
        let limit = match doc.body {
            Body::Upload => self.upload_drain_limit,
            Body::None | Body::CreateJson => 64 * 1024,
        };
        self.router = self.router.route(
            doc.path,
            on(filter, handler).layer(DefaultBodyLimit::max(limit)),
        );
        self.docs.push(doc);
        self
    }
}

const ERR_403: (u16, &str) = (403, "Forbidden resource: key missing or invalid");
const ERR_404: (u16, &str) = (404, "Verification not found");

/// The route table; uploads are read up to `upload_drain_limit` bytes.
fn api(upload_drain_limit: usize) -> Api {
    let api = Api {
        router: Router::new(),
        docs: Vec::new(),
        upload_drain_limit,
    };
    api.route(
        RouteDoc {
            method: Method::POST,
            path: "/verifications",
            summary: "Create a verification; returns its id, a token for the feeding calls and its resultUrl",
            auth: Auth::AnyKey,
            body: Body::CreateJson,
            responses: &[(202, "Created: {id, token, resultUrl}"), (400, "Malformed JSON or bad field"), ERR_403],
        },
        create_verification,
    )
    .route(
        RouteDoc {
            method: Method::POST,
            path: "/verifications/{id}/files",
            summary: "Upload an image (multipart fields kind = front|back|selfie, file)",
            auth: Auth::Token,
            body: Body::Upload,
            responses: &[(202, "Stored: {kind, mediaType, bytes}"), (400, "Not an image, too large, huge dimensions, unknown kind, malformed multipart, already submitted"), (403, "Token missing or wrong"), ERR_404],
        },
        upload_file,
    )
    .route(
        RouteDoc {
            method: Method::POST,
            path: "/verifications/{id}/submit",
            summary: "Submit for processing (runs in the background, survives a restart)",
            auth: Auth::Token,
            body: Body::None,
            responses: &[(202, "Queued: {id, status: processing}"), (400, "No front image, or submitted before"), (403, "Token missing or wrong"), ERR_404],
        },
        submit,
    )
    .route(
        RouteDoc {
            method: Method::GET,
            path: "/verifications/{id}/status",
            summary: "Processing status; the callback object (ocr) once done",
            auth: Auth::Token,
            body: Body::None,
            responses: &[(200, "{id, status, applicationStatus, ocr}"), (403, "Token missing or wrong"), ERR_404],
        },
        status,
    )
    .route(
        RouteDoc {
            method: Method::GET,
            path: "/verifications/results/{id}",
            summary: "The Result and its ES512 signature",
            auth: Auth::Secret,
            body: Body::None,
            responses: &[(200, "{data: Result, signed: JWT}"), (400, "Error verifying application (processing failed)"), ERR_403, ERR_404],
        },
        get_results,
    )
    .route(
        RouteDoc {
            method: Method::DELETE,
            path: "/verifications/results/{id}",
            summary: "Erase the images and personal data; the id, the decision and the audit trail remain",
            auth: Auth::Secret,
            body: Body::None,
            responses: &[(202, "Erased: {id, erased: true}"), ERR_403, ERR_404],
        },
        delete_results,
    )
    .route(
        RouteDoc {
            method: Method::GET,
            path: "/verifications/results/{id}/files/{kind}",
            summary: "One uploaded image (the uri of documents[].files[])",
            auth: Auth::Secret,
            body: Body::None,
            responses: &[(200, "The image bytes"), ERR_403, ERR_404],
        },
        get_file,
    )
    .route(
        RouteDoc {
            method: Method::GET,
            path: "/verifications/results/{id}/audit",
            summary: "The audit trail: created, files uploaded, submitted, processed, read (by key), deleted",
            auth: Auth::Secret,
            body: Body::None,
            responses: &[(200, "{id, events: [{at, event, actor, detail}]}"), ERR_403, ERR_404],
        },
        get_audit,
    )
    .route(
        RouteDoc {
            method: Method::GET,
            path: "/.well-known/jwks.json",
            summary: "The public keys of the ES512 signatures",
            auth: Auth::None,
            body: Body::None,
            responses: &[(200, "{keys: [JWK]}")],
        },
        jwks,
    )
    .route(
        RouteDoc {
            method: Method::GET,
            path: "/healthz",
            summary: "Liveness and database reachability",
            auth: Auth::None,
            body: Body::None,
            responses: &[(200, "{status: ok}"), (503, "Database unreachable")],
        },
        healthz,
    )
    .route(
        RouteDoc {
            method: Method::GET,
            path: "/metrics",
            summary: "Prometheus metrics",
            auth: Auth::None,
            body: Body::None,
            responses: &[(200, "Text exposition format")],
        },
        metrics,
    )
    .route(
        RouteDoc {
            method: Method::GET,
            path: "/openapi.json",
            summary: "This document",
            auth: Auth::None,
            body: Body::None,
            responses: &[(200, "OpenAPI 3.1")],
        },
        openapi,
    )
}

/// The service's router.
pub fn router(svc: Svc) -> Router {
    let Api { router, .. } = api(upload_drain_limit(svc.config.uploads.max_bytes));
    router
        .merge(crate::flow::routes())
        .merge(crate::console::routes())
        .fallback(no_route)
        .method_not_allowed_fallback(no_route)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&svc),
            crate::flow::cors,
        ))
        .layer(middleware::from_fn_with_state(Arc::clone(&svc), observe))
        .with_state(svc)
}

/// How much of an upload body is read before the connection is given up: four times the file
/// limit, at least the limit plus 16 MiB. Reading (and discarding) the excess lets a client that
/// sends an oversized photo finish writing and get its 400 instead of a broken pipe.
fn upload_drain_limit(max_bytes: usize) -> usize {
    max_bytes
        .saturating_mul(4)
        .max(max_bytes.saturating_add(16 << 20))
}

/// The OpenAPI 3.1 document of the route table.
pub fn openapi_document() -> serde_json::Value {
    let mut paths = serde_json::Map::new();
    for doc in api(0).docs {
        let params: Vec<serde_json::Value> = doc
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|p| json!({"name": p, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        let security = match doc.auth {
            Auth::None => json!([]),
            Auth::Secret => json!([{"secretKey": []}, {"bearerSecretKey": []}]),
            Auth::AnyKey => json!([{"publishableKey": []}, {"secretKey": []}]),
            Auth::Token => json!([{"verificationToken": []}]),
        };
        let mut op = json!({
            "summary": doc.summary,
            "parameters": params,
            "security": security,
            "responses": doc.responses.iter().map(|(code, d)| (code.to_string(), json!({"description": d}))).collect::<serde_json::Map<_, _>>(),
        });
        let body = match doc.body {
            Body::None => None,
            Body::CreateJson => Some(
                json!({"required": false, "content": {"application/json": {"schema": {"type": "object", "properties": {"externalId": {"type": "string"}, "platform": {"type": "string", "enum": ["web", "ios", "android", "api"]}}}}}}),
            ),
            Body::Upload => Some(
                json!({"required": true, "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["kind", "file"], "properties": {"kind": {"type": "string", "enum": KINDS}, "file": {"type": "string", "format": "binary"}}}}}}),
            ),
        };
        if let (Some(b), Some(obj)) = (body, op.as_object_mut()) {
            obj.insert("requestBody".into(), b);
        }
        let entry = paths.entry(doc.path).or_insert_with(|| json!({}));
        if let Some(obj) = entry.as_object_mut() {
            obj.insert(doc.method.as_str().to_ascii_lowercase(), op);
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "idverify", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Identity-document verification service. Error bodies are {statusCode, message, error}."},
        "paths": paths,
        "components": {"securitySchemes": {
            "secretKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            "bearerSecretKey": {"type": "http", "scheme": "bearer"},
            "publishableKey": {"type": "apiKey", "in": "header", "name": "X-Client-Key"},
            "verificationToken": {"type": "http", "scheme": "bearer"}
        }}
    })
}

async fn observe(State(svc): State<Svc>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let mut resp = next.run(req).await;
    let status = resp.status().as_u16();
    svc.metrics.observe(
        method.as_str(),
        &route,
        status,
        started.elapsed().as_secs_f64(),
    );
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

async fn no_route(method: Method, uri: Uri) -> ApiError {
    ApiError::NoRoute {
        method: method.to_string(),
        path: uri.path().to_owned(),
    }
}

fn user_agent(headers: &HeaderMap) -> &str {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn forwarded_for(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody {
    #[serde(default)]
    external_id: Option<String>,
    #[serde(default)]
    platform: Option<String>,
}

async fn create_verification(
    State(svc): State<Svc>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let caller = svc.any_caller(&headers).await?;
    let body = body.map_err(|e| {
        ApiError::bad_request(format!("Unreadable request body: {}", e.body_text()))
    })?;
    let req: CreateBody = if body.iter().all(u8::is_ascii_whitespace) {
        CreateBody::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| ApiError::bad_request(format!("Invalid JSON body: {e}")))?
    };
    let platform = match req.platform.as_deref() {
        None => match caller.kind {
            KeyKind::Secret => "api",
            KeyKind::Publishable => "web",
        },
        Some(p @ ("web" | "ios" | "android" | "api")) => p,
        Some(_) => {
            return Err(ApiError::bad_request(
                "platform must be one of web, ios, android, api",
            ));
        }
    };
    let external_id = req.external_id.unwrap_or_default();
    if external_id.chars().count() > 256 {
        return Err(ApiError::bad_request(
            "externalId must be at most 256 characters",
        ));
    }
    let id = VerificationId::generate()?;
    let token = new_token()?;
    let ip = svc.client_ip(peer, forwarded_for(&headers));
    let meta = StoredMeta {
        metadata: svc.metadata_for(platform, ip, user_agent(&headers)),
        external_id,
    };
    let sealed = svc.seal_meta(id.as_str(), &meta)?;
    svc.store
        .create_verification(
            id.as_str(),
            &caller.app_id,
            &token.hash,
            platform,
            &sealed,
            svc.now(),
            &caller.key_id,
        )
        .await?;
    tracing::info!(verification = %id, "verification created");
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"id": id.as_str(), "token": token.plain, "resultUrl": svc.result_url(id.as_str())})),
    )
        .into_response())
}

fn multipart_error(e: &axum::extract::multipart::MultipartError, limit: usize) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::bad_request(format!("The file is too large: the limit is {limit} bytes"))
    } else {
        ApiError::bad_request(format!("Malformed multipart body: {}", e.body_text()))
    }
}

async fn upload_file(
    State(svc): State<Svc>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let row = svc.token_verification(&id, &headers).await?;
    if row.status != "created" {
        return Err(ApiError::bad_request("Verification already submitted"));
    }
    let mut multipart = multipart.map_err(|e| {
        ApiError::bad_request(format!(
            "Expected a multipart/form-data body: {}",
            e.body_text()
        ))
    })?;
    let limit = svc.config.uploads.max_bytes;
    let mut kind: Option<String> = None;
    let mut file: Option<Vec<u8>> = None;
    // An oversized file is read to its end (up to the drain limit) and then refused, so the
    // client gets its 400 instead of a reset connection.
    let mut too_large: Option<usize> = None;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(&e, limit))?
    {
        match field.name() {
            Some("kind") => {
                let text = field.text().await.map_err(|e| multipart_error(&e, limit))?;
                kind = Some(text.trim().chars().take(40).collect());
            }
            Some("file") => {
                let mut buf = Vec::new();
                let mut seen = 0usize;
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|e| multipart_error(&e, limit))?
                {
                    seen = seen.saturating_add(chunk.len());
                    if seen > limit {
                        buf = Vec::new();
                        too_large = Some(seen);
                    } else {
                        buf.extend_from_slice(&chunk);
                    }
                }
                file = Some(buf);
            }
            Some(other) => {
                let other: String = other.chars().take(40).collect();
                return Err(ApiError::bad_request(format!(
                    "Unexpected multipart field {other:?}; expected kind and file"
                )));
            }
            None => return Err(ApiError::bad_request("Multipart field without a name")),
        }
    }
    if let Some(size) = too_large {
        return Err(intake_error(IntakeError::TooLarge { size, limit }));
    }
    let kind = kind.ok_or_else(|| ApiError::bad_request("Missing multipart field kind"))?;
    let Some(kind) = KINDS.iter().copied().find(|k| *k == kind) else {
        return Err(ApiError::bad_request(
            "kind must be one of front, back, selfie",
        ));
    };
    let file = file.ok_or_else(|| ApiError::bad_request("Missing multipart field file"))?;
    let limits = svc.config.uploads.intake();
    // The whole file is decoded (each page that will be read) before anything is stored.
    let (file, media_type) = tokio::task::spawn_blocking(move || {
        let r = decode_pages(&file, &limits).map(|d| d.format.media_type());
        (file, r)
    })
    .await
    .map_err(|e| ApiError::Internal(crate::error::ServerError::Corrupt(e.to_string())))?;
    let media_type = media_type.map_err(intake_error)?;
    let blob = svc.blobs.put(&file, &format!("{}:{kind}", row.id)).await?;
    let mut meta = svc.open_meta(&row)?;
    let ip = svc.client_ip(peer, forwarded_for(&headers));
    meta.metadata = svc.metadata_for(&row.platform, ip, user_agent(&headers));
    let sealed = svc.seal_meta(&row.id, &meta)?;
    let size = i64::try_from(file.len()).unwrap_or(i64::MAX);
    let outcome = svc
        .store
        .put_file(&row.id, kind, media_type, size, &blob, &sealed, svc.now())
        .await;
    match outcome {
        Ok(UploadOutcome::Stored { replaced }) => {
            if let Some(old) = replaced {
                svc.blobs.delete(&old).await?;
            }
        }
        Ok(UploadOutcome::AlreadySubmitted) => {
            svc.blobs.delete(&blob).await?;
            return Err(ApiError::bad_request("Verification already submitted"));
        }
        Err(e) => {
            let _ = svc.blobs.delete(&blob).await;
            return Err(e.into());
        }
    }
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"kind": kind, "mediaType": media_type, "bytes": file.len()})),
    )
        .into_response())
}

/// A refused upload: the intake's message is the 400's message.
fn intake_error(e: IntakeError) -> ApiError {
    ApiError::BadRequest(e.to_string())
}

async fn submit(
    State(svc): State<Svc>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let row = svc.token_verification(&id, &headers).await?;
    let mut meta = svc.open_meta(&row)?;
    let ip = svc.client_ip(peer, forwarded_for(&headers));
    meta.metadata = svc.metadata_for(&row.platform, ip, user_agent(&headers));
    let sealed = svc.seal_meta(&row.id, &meta)?;
    match svc.store.submit(&row.id, &sealed, svc.now()).await? {
        SubmitOutcome::Queued => {
            svc.work.notify_one();
            Ok((
                StatusCode::ACCEPTED,
                Json(json!({"id": row.id, "status": "processing"})),
            )
                .into_response())
        }
        SubmitOutcome::AlreadySubmitted => {
            Err(ApiError::bad_request("Verification already submitted"))
        }
        SubmitOutcome::NoFront => Err(ApiError::bad_request(
            "A front image is required before submit",
        )),
        SubmitOutcome::Missing => Err(ApiError::VerificationNotFound),
    }
}

async fn status(
    State(svc): State<Svc>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let row = svc.token_verification(&id, &headers).await?;
    let processing = if row.status == "failed" {
        "failed"
    } else if row.status == "done" {
        "done"
    } else {
        "processing"
    };
    let answer = svc.open_answer(&row)?;
    // The reasons the flow may show the person (retake / decline screens), see flow.rs.
    let concerns = answer
        .as_ref()
        .map(|a| crate::flow::person_facing_concerns(&a.data))
        .unwrap_or_default();
    let ocr = match answer {
        Some(answer) => serde_json::to_value(svc.callback(&row.id, &answer))
            .map_err(crate::error::ServerError::from)?,
        None => serde_json::Value::Null,
    };
    Ok(Json(json!({
        "id": row.id,
        "status": processing,
        "applicationStatus": row.decision,
        "ocr": ocr,
        "concerns": concerns,
    }))
    .into_response())
}

async fn get_results(
    State(svc): State<Svc>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let caller = svc.secret_caller(&headers).await?;
    if let Some(body) = svc.result_cache.get(&id, &caller.app_id) {
        svc.audit_later(&id, "result-read", &caller.key_id);
        return Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response());
    }
    let row = svc.owned_verification(&caller, &id).await?;
    if row.status == "failed" {
        return Err(ApiError::ProcessingFailed);
    }
    let response = match svc.open_answer(&row)? {
        Some(answer) => {
            let body = serde_json::to_vec(&ResultsResponse {
                data: answer.data,
                signed: answer.signed,
            })
            .map_err(crate::error::ServerError::from)?;
            let body = Bytes::from(body);
            if row.erased_at.is_none() {
                svc.result_cache.put(&row.id, &row.app_id, body.clone());
            }
            ([(header::CONTENT_TYPE, "application/json")], body).into_response()
        }
        None => {
            let meta = svc.open_meta(&row)?;
            let files = svc.store.files(&row.id).await?;
            let data = svc.pending_result(&row, &meta, &files);
            let signed = svc.sign_result(&row.id, &data)?;
            Json(ResultsResponse { data, signed }).into_response()
        }
    };
    svc.audit_later(&row.id, "result-read", &caller.key_id);
    Ok(response)
}

async fn delete_results(
    State(svc): State<Svc>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let caller = svc.secret_caller(&headers).await?;
    let row = svc.owned_verification(&caller, &id).await?;
    svc.erase(&row, "deleted", &caller.key_id).await?;
    tracing::info!(verification = %row.id, "verification erased on request");
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"id": row.id, "erased": true})),
    )
        .into_response())
}

async fn get_file(
    State(svc): State<Svc>,
    Path((id, kind)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let caller = svc.secret_caller(&headers).await?;
    let row = svc.owned_verification(&caller, &id).await?;
    let files = svc.store.files(&row.id).await?;
    let f = files
        .into_iter()
        .find(|f| f.kind == kind)
        .ok_or(ApiError::FileNotFound)?;
    let bytes = svc
        .blobs
        .get(&f.blob, &format!("{}:{}", row.id, f.kind))
        .await?;
    svc.audit_later(&row.id, "file-read", &caller.key_id);
    let ct = HeaderValue::from_str(&f.media_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    Ok(([(header::CONTENT_TYPE, ct)], bytes).into_response())
}

async fn get_audit(
    State(svc): State<Svc>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let caller = svc.secret_caller(&headers).await?;
    let row = svc.owned_verification(&caller, &id).await?;
    let events = svc.store.audit_trail(&row.id).await?;
    Ok(Json(json!({"id": row.id, "events": events})).into_response())
}

async fn jwks(State(svc): State<Svc>) -> Result<Response, ApiError> {
    let set = svc.keys.jwks()?;
    Ok(Json(&*set).into_response())
}

async fn healthz(State(svc): State<Svc>) -> Response {
    match svc.store.ping().await {
        Ok(()) => Json(json!({"status": "ok"})).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable"})),
            )
                .into_response()
        }
    }
}

async fn metrics(State(svc): State<Svc>) -> Response {
    let counts = svc.store.job_counts().await.unwrap_or_default();
    let mut text = svc.metrics.render(&counts);
    match crate::console::metrics_text(&svc).await {
        Ok(console) => text.push_str(&console),
        Err(e) => tracing::error!(error = %e, "metrics: console figures failed"),
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}

async fn openapi() -> Response {
    Json(openapi_document()).into_response()
}
