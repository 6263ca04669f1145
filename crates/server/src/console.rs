//! The operator console: its pages (`web/console`, embedded at build time, served under
//! `/console/` with the flow's CSP discipline) and its JSON endpoints under `/console/api/`.
//!
//! Authorisation, in this order on every endpoint: a live session cookie (else 401), on a
//! state change the session's CSRF token in `X-CSRF-Token` (else 403), the role (else 403),
//! then the object, which must exist in this deployment's database (else 404).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use idverify_wire::{Check, Decision, ErrorBody};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::console_store::{NewReview, OperatorRow, QueueFilter};
use crate::error::ServerError;
use crate::ids::{VerificationId, hash_secret, hashes_equal, random_name};
use crate::operators::{self as ops, Role};
use crate::service::{Service, StoredAnswer};
use crate::store::{AuditEvent, NewDelivery};

type Svc = Arc<Service>;

/// The session cookie's name.
pub const COOKIE: &str = "idverify_console";

/// The console pages' CSP: nothing inline, nothing from elsewhere.
pub const CONSOLE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' blob:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
    base-uri 'none'";

const INDEX_HTML: &str = include_str!("../../../web/console/index.html");
const CONSOLE_JS: &str = include_str!("../../../web/console/console.js");
const CONSOLE_CSS: &str = include_str!("../../../web/console/console.css");

const DAY_MS: i64 = 86_400_000;

// ---- errors ----

/// What a console endpoint answers when it does not answer 2xx, in the contract's
/// `{statusCode, message, error}` shape.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConsoleError {
    /// 400.
    BadRequest(String),
    /// 401: no (live) session, or wrong credentials at login.
    Unauthorized(String),
    /// 403: CSRF token missing or wrong, or the role does not allow it.
    Forbidden(String),
    /// 404.
    NotFound(String),
    /// 409: the object is not in a state that allows it.
    Conflict(String),
    /// 423: the account is locked after repeated failures.
    Locked(String),
    /// 500; logged, never returned.
    Internal(ServerError),
}

impl From<ServerError> for ConsoleError {
    fn from(e: ServerError) -> Self {
        ConsoleError::Internal(e)
    }
}

impl From<sqlx::Error> for ConsoleError {
    fn from(e: sqlx::Error) -> Self {
        ConsoleError::Internal(ServerError::Database(e))
    }
}

impl From<crate::error::ApiError> for ConsoleError {
    fn from(e: crate::error::ApiError) -> Self {
        match e {
            crate::error::ApiError::Internal(e) => ConsoleError::Internal(e),
            other => {
                let (status, body) = other.parts();
                match status {
                    StatusCode::NOT_FOUND => ConsoleError::NotFound(body.message),
                    StatusCode::FORBIDDEN => ConsoleError::Forbidden(body.message),
                    _ => ConsoleError::BadRequest(body.message),
                }
            }
        }
    }
}

impl IntoResponse for ConsoleError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ConsoleError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            ConsoleError::Unauthorized(m) => (StatusCode::UNAUTHORIZED, m),
            ConsoleError::Forbidden(m) => (StatusCode::FORBIDDEN, m),
            ConsoleError::NotFound(m) => (StatusCode::NOT_FOUND, m),
            ConsoleError::Conflict(m) => (StatusCode::CONFLICT, m),
            ConsoleError::Locked(m) => (StatusCode::LOCKED, m),
            ConsoleError::Internal(e) => {
                tracing::error!(error = %e, "console: internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal server error".to_owned(),
                )
            }
        };
        let error = (status != StatusCode::INTERNAL_SERVER_ERROR)
            .then(|| status.canonical_reason().map(str::to_owned))
            .flatten();
        (
            status,
            Json(ErrorBody {
                status_code: status.as_u16(),
                message,
                error,
                detail: None,
            }),
        )
            .into_response()
    }
}

type Answer = Result<Response, ConsoleError>;

fn not_found() -> ConsoleError {
    ConsoleError::NotFound("Not found".into())
}

// ---- sessions ----

/// The operator behind a request.
#[derive(Debug, Clone)]
pub struct Operator {
    /// Its row.
    pub row: OperatorRow,
    /// Its role.
    pub role: Role,
    /// The session's token hash.
    pub session_hash: String,
    /// The session's CSRF token.
    pub csrf: String,
}

impl Operator {
    /// The audit trail's name for it.
    pub fn actor(&self) -> String {
        format!("operator:{}", self.row.email)
    }
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// Whether a method changes state (and so needs the CSRF token).
fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The operator of the request's session: 401 without a live session, 403 when a state change
/// lacks the session's CSRF token or the role is below `need`.
async fn operator(
    svc: &Service,
    method: &Method,
    headers: &HeaderMap,
    need: Role,
) -> Result<Operator, ConsoleError> {
    let unauthorized = || ConsoleError::Unauthorized("Sign in to the console".into());
    let token = cookie_value(headers, COOKIE)
        .filter(|t| t.len() <= 100)
        .ok_or_else(unauthorized)?;
    let hash = hash_secret(token);
    let row = svc
        .store
        .session_operator(&hash, svc.now())
        .await?
        .ok_or_else(unauthorized)?;
    let role = Role::parse(&row.role)
        .ok_or_else(|| ServerError::Corrupt(format!("operator role {:?}", row.role)))?;
    let csrf = ops::csrf_token(token);
    if changes_state(method) {
        let sent = headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !hashes_equal(sent, &csrf) {
            return Err(ConsoleError::Forbidden(
                "Missing or invalid CSRF token".into(),
            ));
        }
    }
    if need == Role::Admin && role != Role::Admin {
        return Err(ConsoleError::Forbidden(
            "This needs an administrator".into(),
        ));
    }
    Ok(Operator {
        row,
        role,
        session_hash: hash,
        csrf,
    })
}

/// Parses a JSON body; state changes must say `Content-Type: application/json` (a cross-site
/// form cannot), and a malformed body is a 400 saying what is wrong.
fn parse_json<T: DeserializeOwned>(headers: &HeaderMap, body: &Bytes) -> Result<T, ConsoleError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    if !json {
        return Err(ConsoleError::BadRequest(
            "Expected Content-Type: application/json".into(),
        ));
    }
    serde_json::from_slice(body)
        .map_err(|e| ConsoleError::BadRequest(format!("Invalid JSON body: {e}")))
}

/// Whether the browser reached us over TLS: the configured public URL is https, or a trusted
/// proxy says so.
fn over_tls(svc: &Service, peer: SocketAddr, headers: &HeaderMap) -> bool {
    if svc.public_base.starts_with("https://") {
        return true;
    }
    let proxied_https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    proxied_https && svc.trusted.iter().any(|n| n.contains(peer.ip()))
}

fn session_cookie(value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let c = format!(
        "{COOKIE}={value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}"
    );
    HeaderValue::from_str(&c).unwrap_or(HeaderValue::from_static("idverify_console=; Max-Age=0"))
}

// ---- routes ----

/// The console's routes: pages, assets and `/console/api/…`.
pub fn routes() -> Router<Svc> {
    Router::new()
        .route(
            "/console",
            get(|| async { Redirect::permanent("/console/") }),
        )
        .route("/console/", get(page_any))
        .route("/console/queue", get(page_any))
        .route("/console/review/{id}", get(page_any))
        .route("/console/audit", get(page_any))
        .route("/console/account", get(page_any))
        .route("/console/apps", get(page_admin))
        .route("/console/operators", get(page_admin))
        .route("/console/login", get(page_public))
        .route("/console/setup", get(page_public))
        .route(
            "/console/console.js",
            get(|| async { asset("text/javascript; charset=utf-8", CONSOLE_JS) }),
        )
        .route(
            "/console/console.css",
            get(|| async { asset("text/css; charset=utf-8", CONSOLE_CSS) }),
        )
        .route("/console/api/login", post(login))
        .route("/console/api/setup", post(setup))
        .route("/console/api/me", get(me))
        .route("/console/api/logout", post(logout))
        .route("/console/api/logout-all", post(logout_all))
        .route("/console/api/totp", post(totp_enrol))
        .route("/console/api/verifications", get(list))
        .route("/console/api/verifications/{id}", get(detail))
        .route("/console/api/verifications/{id}/files/{kind}", get(file))
        .route("/console/api/verifications/{id}/decision", post(decide))
        .route("/console/api/audit", get(audit))
        .route("/console/api/overview", get(overview))
        .route("/console/api/apps", get(apps_list).post(apps_create))
        .route("/console/api/apps/{id}", delete(apps_delete))
        .route("/console/api/apps/{id}/rotate", post(apps_rotate))
        .route("/console/api/apps/{id}/origins", put(apps_origins))
        .route("/console/api/apps/{id}/webhook", put(apps_webhook))
        .route(
            "/console/api/operators",
            get(operators_list).post(operators_create),
        )
        .route("/console/api/operators/{id}", delete(operators_disable))
        .route("/console/api/operators/{id}/reset", post(operators_reset))
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

fn page(status: StatusCode) -> Response {
    let mut r = crate::flow::html_page(INDEX_HTML.to_owned(), CONSOLE_CSP);
    *r.status_mut() = status;
    r
}

/// Login and set-up pages: no session needed.
async fn page_public() -> Response {
    page(StatusCode::OK)
}

async fn page_for(svc: &Service, headers: &HeaderMap, need: Role) -> Response {
    match operator(svc, &Method::GET, headers, need).await {
        Ok(_) => page(StatusCode::OK),
        Err(ConsoleError::Unauthorized(_)) => Redirect::to("/console/login").into_response(),
        // The page itself says "403" (its script reads the status from the API).
        Err(ConsoleError::Forbidden(_)) => page(StatusCode::FORBIDDEN),
        Err(e) => e.into_response(),
    }
}

async fn page_any(State(svc): State<Svc>, headers: HeaderMap) -> Response {
    page_for(&svc, &headers, Role::Reviewer).await
}

async fn page_admin(State(svc): State<Svc>, headers: HeaderMap) -> Response {
    page_for(&svc, &headers, Role::Admin).await
}

// ---- login, set-up, sessions ----

#[derive(Deserialize)]
struct LoginBody {
    email: String,
    password: String,
    #[serde(default)]
    code: Option<String>,
}

async fn check_password(hash: String, password: String) -> Result<bool, ConsoleError> {
    tokio::task::spawn_blocking(move || ops::verify_password(&hash, &password))
        .await
        .map_err(|e| ConsoleError::Internal(ServerError::Crypto(e.to_string())))
}

async fn login(
    State(svc): State<Svc>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let b: LoginBody = parse_json(&headers, &body)?;
    let wrong = || ConsoleError::Unauthorized("Wrong e-mail or password".into());
    let locked = || {
        ConsoleError::Locked(
            "This account is locked after repeated failed sign-ins; try again in 15 minutes".into(),
        )
    };
    if b.password.chars().count() > ops::PASSWORD_MAX {
        return Err(wrong());
    }
    let now = svc.now();
    let found = match ops::parse_email(&b.email) {
        Some(e) => svc.store.operator_by_email(&e).await?,
        None => None,
    };
    let Some(op) = found.filter(|o| o.disabled_at.is_none()) else {
        // Same work as for a real account: the answer's timing does not reveal accounts.
        let _ = check_password(ops::decoy_hash().to_owned(), b.password).await?;
        return Err(wrong());
    };
    if op.locked_until.is_some_and(|t| t > now) {
        return Err(locked());
    }
    let Some(hash) = op.password_hash.clone() else {
        let _ = check_password(ops::decoy_hash().to_owned(), b.password).await?;
        return Err(wrong());
    };
    let mut ok = check_password(hash, b.password).await?;
    if ok && let Some(sealed) = &op.totp_secret {
        let secret = svc.sealer.open(sealed, &totp_context(&op.id))?;
        match b.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => {
                return Err(ConsoleError::Unauthorized("One-time code required".into()));
            }
            Some(code) => ok = ops::totp_matches(&secret, code, svc.clock.now_secs()),
        }
    }
    if !ok {
        let now_locked = svc
            .store
            .login_failed(&op.id, now, ops::LOCK_AFTER_FAILURES, ops::LOCK_MS)
            .await?;
        let actor = format!("operator:{}", op.email);
        svc.store
            .console_event(
                now,
                &actor,
                "login-failed",
                if now_locked { "locked" } else { "" },
            )
            .await?;
        return Err(if now_locked { locked() } else { wrong() });
    }
    svc.store.login_succeeded(&op.id).await?;
    let token = ops::new_session_token()?;
    let ttl = ops::SESSION_TTL_MS;
    svc.store
        .create_session(&token.hash, &op.id, now, now.saturating_add(ttl))
        .await?;
    svc.store
        .console_event(now, &format!("operator:{}", op.email), "login", "")
        .await?;
    let cookie = session_cookie(&token.plain, ttl / 1000, over_tls(&svc, peer, &headers));
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(json!({
            "email": op.email, "role": op.role, "csrf": ops::csrf_token(&token.plain),
        })),
    )
        .into_response())
}

fn totp_context(operator_id: &str) -> String {
    format!("operator:{operator_id}:totp")
}

#[derive(Deserialize)]
struct SetupBody {
    token: String,
    password: String,
}

async fn setup(State(svc): State<Svc>, headers: HeaderMap, body: Bytes) -> Answer {
    let b: SetupBody = parse_json(&headers, &body)?;
    ops::check_new_password(&b.password).map_err(ConsoleError::BadRequest)?;
    let token = b.token.trim();
    if token.len() > 100 {
        return Err(ConsoleError::BadRequest("Invalid set-up link".into()));
    }
    let password = b.password;
    let phc = tokio::task::spawn_blocking(move || ops::hash_password(&password))
        .await
        .map_err(|e| ConsoleError::Internal(ServerError::Crypto(e.to_string())))??;
    let now = svc.now();
    let id = svc
        .store
        .use_setup_token(&hash_secret(token), &phc, now)
        .await?
        .ok_or_else(|| {
            ConsoleError::BadRequest("This set-up link is invalid, used or expired".into())
        })?;
    let op = svc.store.operator(&id).await?.ok_or_else(not_found)?;
    svc.store
        .console_event(now, &format!("operator:{}", op.email), "password-set", "")
        .await?;
    Ok(Json(json!({"email": op.email, "role": op.role})).into_response())
}

async fn me(State(svc): State<Svc>, method: Method, headers: HeaderMap) -> Answer {
    let op = operator(&svc, &method, &headers, Role::Reviewer).await?;
    Ok(Json(json!({
        "email": op.row.email, "role": op.role, "csrf": op.csrf,
        "totp": op.row.totp_secret.is_some(),
    }))
    .into_response())
}

fn clear_cookie() -> [(header::HeaderName, HeaderValue); 1] {
    [(header::SET_COOKIE, session_cookie("", 0, false))]
}

async fn logout(State(svc): State<Svc>, method: Method, headers: HeaderMap) -> Answer {
    let op = operator(&svc, &method, &headers, Role::Reviewer).await?;
    svc.store
        .revoke_session(&op.session_hash, svc.now())
        .await?;
    svc.store
        .console_event(svc.now(), &op.actor(), "logout", "")
        .await?;
    Ok((clear_cookie(), Json(json!({"loggedOut": true}))).into_response())
}

async fn logout_all(State(svc): State<Svc>, method: Method, headers: HeaderMap) -> Answer {
    let op = operator(&svc, &method, &headers, Role::Reviewer).await?;
    svc.store.revoke_all_sessions(&op.row.id, svc.now()).await?;
    svc.store
        .console_event(svc.now(), &op.actor(), "logout-everywhere", "")
        .await?;
    Ok((
        clear_cookie(),
        Json(json!({"loggedOut": true, "everywhere": true})),
    )
        .into_response())
}

#[derive(Deserialize)]
struct TotpBody {
    #[serde(default)]
    secret: Option<String>,
    #[serde(default)]
    code: Option<String>,
}

/// Two steps: without a body's `secret`, proposes a new secret (nothing stored); with the
/// `secret` and a `code` from the authenticator app, stores it (sealed) once the code matches.
async fn totp_enrol(
    State(svc): State<Svc>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let op = operator(&svc, &method, &headers, Role::Reviewer).await?;
    let b: TotpBody = parse_json(&headers, &body)?;
    match (b.secret, b.code) {
        (None, _) => {
            let secret = ops::new_totp_secret()?;
            Ok(Json(json!({
                "secret": ops::base32(&secret),
                "otpauthUri": ops::otpauth_uri("idverify", &op.row.email, &secret),
            }))
            .into_response())
        }
        (Some(s), Some(code)) => {
            let secret = ops::base32_decode(&s)
                .filter(|s| s.len() >= 16 && s.len() <= 64)
                .ok_or_else(|| ConsoleError::BadRequest("Invalid TOTP secret".into()))?;
            if !ops::totp_matches(&secret, &code, svc.clock.now_secs()) {
                return Err(ConsoleError::BadRequest(
                    "The code does not match; check the authenticator's clock".into(),
                ));
            }
            let sealed = svc.sealer.seal(&secret, &totp_context(&op.row.id))?;
            svc.store.set_totp(&op.row.id, Some(&sealed)).await?;
            svc.store
                .console_event(svc.now(), &op.actor(), "totp-enabled", "")
                .await?;
            Ok(Json(json!({"totp": true})).into_response())
        }
        (Some(_), None) => Err(ConsoleError::BadRequest(
            "A code from the authenticator app is required".into(),
        )),
    }
}

// ---- verifications ----

/// Indexes the concern codes of processed verifications not indexed yet (codes are not
/// personal data; the Results they come from are sealed).
pub async fn refresh_concern_index(svc: &Service) -> Result<(), ServerError> {
    loop {
        let ids = svc.store.unindexed(200).await?;
        if ids.is_empty() {
            return Ok(());
        }
        for id in &ids {
            let codes = match svc.store.verification(id).await? {
                Some(row) => match svc.open_answer(&row)? {
                    Some(a) => a.data.results.concerns.into_iter().map(|c| c.id).collect(),
                    None => Vec::new(),
                },
                None => Vec::new(),
            };
            svc.store.index_concerns(id, &codes).await?;
        }
    }
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    app: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    concern: Option<String>,
}

/// `YYYY-MM-DD` → Unix ms of its midnight UTC.
fn day_start(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let y: i64 = s.get(0..4)?.parse().ok()?;
    let m: i64 = s.get(5..7)?.parse().ok()?;
    let d: i64 = s.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil (H. Hinnant).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * DAY_MS)
}

fn bad_filter(name: &str) -> ConsoleError {
    ConsoleError::BadRequest(format!("{name} must be YYYY-MM-DD"))
}

async fn list(
    State(svc): State<Svc>,
    method: Method,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Answer {
    operator(&svc, &method, &headers, Role::Reviewer).await?;
    let Query(q) =
        query.map_err(|e| ConsoleError::BadRequest(format!("Invalid query: {}", e.body_text())))?;
    let decision = q.status.unwrap_or_default();
    if !matches!(
        decision.as_str(),
        "" | "pending" | "approved" | "declined" | "needs-review"
    ) {
        return Err(ConsoleError::BadRequest(
            "status must be pending, approved, declined or needs-review".into(),
        ));
    }
    let from = match q.from.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => day_start(s).ok_or_else(|| bad_filter("from"))?,
        None => 0,
    };
    let to = match q.to.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => day_start(s).ok_or_else(|| bad_filter("to"))? + DAY_MS,
        None => i64::MAX,
    };
    let concern = q.concern.unwrap_or_default().trim().to_ascii_uppercase();
    if concern.len() > 16 || !concern.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(ConsoleError::BadRequest(
            "concern must be a code like DC001".into(),
        ));
    }
    let app_id = q.app.unwrap_or_default();
    if app_id.len() > 100 {
        return Err(ConsoleError::BadRequest("app is too long".into()));
    }
    refresh_concern_index(&svc).await?;
    let items = svc
        .store
        .console_list(&QueueFilter {
            decision,
            app_id,
            from,
            to,
            concern,
            limit: 200,
        })
        .await?;
    Ok(Json(json!({"items": items})).into_response())
}

/// The verification `id` of this deployment, or 404.
async fn verification(
    svc: &Service,
    id: &str,
) -> Result<crate::store::VerificationRow, ConsoleError> {
    let id = VerificationId::parse(id).ok_or_else(not_found)?;
    svc.store
        .verification(id.as_str())
        .await?
        .ok_or_else(not_found)
}

/// Writes an operator's access to personal data to the verification's audit trail before the
/// data is sent.
async fn audit_access(
    svc: &Service,
    id: &str,
    event: &str,
    op: &Operator,
    detail: &str,
) -> Result<(), ServerError> {
    let e = AuditEvent {
        at: svc.now(),
        event: event.to_owned(),
        actor: op.actor(),
        detail: detail.to_owned(),
    };
    svc.store.audit_batch(&[(id.to_owned(), e)]).await
}

async fn detail(
    State(svc): State<Svc>,
    method: Method,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    let op = operator(&svc, &method, &headers, Role::Reviewer).await?;
    let row = verification(&svc, &id).await?;
    let answer = svc.open_answer(&row)?;
    let files = svc.store.files(&row.id).await?;
    let apps = svc.store.list_apps().await?;
    let app_name = apps
        .iter()
        .find(|a| a.app_id == row.app_id)
        .map(|a| a.name.clone())
        .unwrap_or_default();
    audit_access(&svc, &row.id, "result-viewed", &op, "console").await?;
    let trail = svc.store.audit_trail(&row.id).await?;
    let reviews = svc.store.reviews(&row.id).await?;
    let files: Vec<_> = files
        .iter()
        .map(|f| {
            json!({"kind": f.kind, "mediaType": f.media_type, "bytes": f.bytes,
                   "url": format!("/console/api/verifications/{}/files/{}", row.id, f.kind)})
        })
        .collect();
    Ok(Json(json!({
        "id": row.id, "appId": row.app_id, "appName": app_name, "status": row.status,
        "decision": row.decision, "createdAt": row.created_at, "erased": row.erased_at.is_some(),
        "result": answer.map(|a| a.data), "files": files, "audit": trail, "reviews": reviews,
    }))
    .into_response())
}

async fn file(
    State(svc): State<Svc>,
    method: Method,
    headers: HeaderMap,
    Path((id, kind)): Path<(String, String)>,
) -> Answer {
    let op = operator(&svc, &method, &headers, Role::Reviewer).await?;
    let row = verification(&svc, &id).await?;
    let f = svc
        .store
        .files(&row.id)
        .await?
        .into_iter()
        .find(|f| f.kind == kind)
        .ok_or_else(not_found)?;
    let bytes = svc
        .blobs
        .get(&f.blob, &format!("{}:{}", row.id, f.kind))
        .await?;
    audit_access(&svc, &row.id, "image-viewed", &op, &f.kind).await?;
    let ct = HeaderValue::from_str(&f.media_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    Ok((
        [
            (header::CONTENT_TYPE, ct),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize)]
struct DecisionBody {
    decision: String,
    reason: String,
}

/// The name of the check a manual decision appends.
pub const MANUAL_REVIEW: &str = "manualReview";

async fn decide(
    State(svc): State<Svc>,
    method: Method,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let op = operator(&svc, &method, &headers, Role::Reviewer).await?;
    let row = verification(&svc, &id).await?;
    let b: DecisionBody = parse_json(&headers, &body)?;
    let decision = match b.decision.as_str() {
        "approved" => Decision::Approved,
        "declined" => Decision::Declined,
        _ => {
            return Err(ConsoleError::BadRequest(
                "decision must be approved or declined".into(),
            ));
        }
    };
    let reason = b.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ConsoleError::BadRequest(
            "reason must be 1 to 500 characters".into(),
        ));
    }
    let not_waiting =
        || ConsoleError::Conflict("This verification is not waiting for review".into());
    if row.erased_at.is_some() || row.decision != "needs-review" {
        return Err(not_waiting());
    }
    let old = svc.open_answer(&row)?.ok_or_else(not_waiting)?;
    let mut data = old.data;
    data.results.status = decision;
    let verb = if decision == Decision::Approved {
        "Approved"
    } else {
        "Declined"
    };
    data.checks.push(Check {
        name: MANUAL_REVIEW.into(),
        status: decision,
        comment: format!("{verb} by an operator: {reason}"),
        details: Some(json!({"operator": op.row.email, "reason": reason})),
    });
    let answer = StoredAnswer {
        signed: svc.sign_result(&row.id, &data)?,
        callback_signed: svc.sign_callback(&row.id)?,
        data,
    };
    let webhook = match svc.store.app_webhook(&row.app_id).await? {
        Some(url) => {
            let delivery_id = match svc.store.delivery_id(&row.id).await? {
                Some(d) => d,
                None => random_name()?,
            };
            let body =
                serde_json::to_vec(&svc.callback(&row.id, &answer)).map_err(ServerError::from)?;
            Some(NewDelivery {
                body: svc
                    .sealer
                    .seal(&body, &crate::webhook::body_context(&delivery_id))?,
                id: delivery_id,
                app_id: row.app_id.clone(),
                url,
            })
        }
        None => None,
    };
    let sealed = svc.seal_answer(&row.id, &answer)?;
    let written = svc
        .store
        .record_review(&NewReview {
            verification_id: &row.id,
            operator_id: &op.row.id,
            actor: &op.actor(),
            decision: decision.as_str(),
            reason: &reason,
            result: &sealed,
            webhook,
            now: svc.now(),
        })
        .await?;
    if !written {
        return Err(not_waiting());
    }
    // The results API must not answer the old decision from its cache.
    svc.result_cache.remove(&row.id);
    tracing::info!(verification = %row.id, decision = decision.as_str(), "manual review");
    Ok(Json(json!({"id": row.id, "status": decision.as_str()})).into_response())
}

async fn audit(State(svc): State<Svc>, method: Method, headers: HeaderMap) -> Answer {
    operator(&svc, &method, &headers, Role::Reviewer).await?;
    let events = svc.store.console_audit(500).await?;
    Ok(Json(json!({"events": events})).into_response())
}

// ---- overview and metrics ----

#[derive(Deserialize, Default)]
struct OverviewQuery {
    #[serde(default)]
    days: Option<i64>,
}

/// The median of `v` (sorted in place); `None` when empty.
fn median(v: &mut [i64]) -> Option<i64> {
    v.sort_unstable();
    let n = v.len();
    if n == 0 {
        return None;
    }
    let mid = v.get(n / 2).copied()?;
    if n % 2 == 1 {
        Some(mid)
    } else {
        v.get(n / 2 - 1).map(|lo| lo + (mid - lo) / 2)
    }
}

/// The overview's figures: per day of the last `days`, the verifications created by decision
/// and by concern code; the queue length; manual decisions; the median time from processing
/// to a manual decision.
pub async fn overview_figures(svc: &Service, days: i64) -> Result<serde_json::Value, ServerError> {
    refresh_concern_index(svc).await?;
    let today = svc.now().div_euclid(DAY_MS);
    let first = today - (days - 1);
    let labels: Vec<String> = (first..=today)
        .map(|d| crate::clock::CivilDate::from_unix_ms(d * DAY_MS).iso())
        .collect();
    let slot = |at: i64| usize::try_from(at.div_euclid(DAY_MS) - first).ok();
    let n = labels.len();
    let mut by_status: BTreeMap<String, Vec<i64>> =
        ["approved", "declined", "needs-review", "pending"]
            .iter()
            .map(|s| ((*s).to_owned(), vec![0; n]))
            .collect();
    for (decision, at) in svc.store.decisions_since(first * DAY_MS).await? {
        if let Some(c) = slot(at).and_then(|i| {
            by_status
                .entry(decision)
                .or_insert_with(|| vec![0; n])
                .get_mut(i)
        }) {
            *c += 1;
        }
    }
    let mut by_concern: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (code, at) in svc.store.concerns_since(first * DAY_MS).await? {
        if let Some(c) = slot(at).and_then(|i| {
            by_concern
                .entry(code)
                .or_insert_with(|| vec![0; n])
                .get_mut(i)
        }) {
            *c += 1;
        }
    }
    let times = svc.store.review_times().await?;
    let mut decisions: BTreeMap<String, i64> = BTreeMap::new();
    for (d, _) in &times {
        *decisions.entry(d.clone()).or_default() += 1;
    }
    let mut waits: Vec<i64> = times.iter().map(|(_, w)| *w).collect();
    Ok(json!({
        "days": labels,
        "byStatus": by_status,
        "byConcern": by_concern,
        "queueLength": svc.store.queue_length().await?,
        "decisions": decisions,
        "medianDecisionMs": median(&mut waits),
    }))
}

async fn overview(
    State(svc): State<Svc>,
    method: Method,
    headers: HeaderMap,
    query: Result<Query<OverviewQuery>, QueryRejection>,
) -> Answer {
    operator(&svc, &method, &headers, Role::Reviewer).await?;
    let Query(q) = query.map_err(|_| ConsoleError::BadRequest("days must be 1 to 90".into()))?;
    let days = q.days.unwrap_or(14);
    if !(1..=90).contains(&days) {
        return Err(ConsoleError::BadRequest("days must be 1 to 90".into()));
    }
    Ok(Json(overview_figures(&svc, days).await?).into_response())
}

/// The console's figures in the Prometheus text format, appended to `/metrics`.
pub async fn metrics_text(svc: &Service) -> Result<String, ServerError> {
    use std::fmt::Write;
    refresh_concern_index(svc).await?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP idverify_verifications Verifications by decision.\n# TYPE idverify_verifications gauge"
    );
    for (d, n) in svc.store.decision_counts().await? {
        let _ = writeln!(out, "idverify_verifications{{decision=\"{d}\"}} {n}");
    }
    let _ = writeln!(
        out,
        "# HELP idverify_concerns Verifications by concern code.\n# TYPE idverify_concerns gauge"
    );
    for (c, n) in svc.store.concern_counts().await? {
        let _ = writeln!(out, "idverify_concerns{{code=\"{c}\"}} {n}");
    }
    let _ = writeln!(
        out,
        "# HELP idverify_review_queue_length Processed verifications waiting for review.\n\
         # TYPE idverify_review_queue_length gauge\nidverify_review_queue_length {}",
        svc.store.queue_length().await?
    );
    let times = svc.store.review_times().await?;
    let mut decisions: BTreeMap<&str, i64> = BTreeMap::new();
    for (d, _) in &times {
        *decisions.entry(d.as_str()).or_default() += 1;
    }
    let _ = writeln!(
        out,
        "# HELP idverify_manual_decisions_total Manual decisions in the console.\n\
         # TYPE idverify_manual_decisions_total counter"
    );
    for d in ["approved", "declined"] {
        let _ = writeln!(
            out,
            "idverify_manual_decisions_total{{decision=\"{d}\"}} {}",
            decisions.get(d).copied().unwrap_or(0)
        );
    }
    let mut waits: Vec<i64> = times.iter().map(|(_, w)| *w).collect();
    let median_s = median(&mut waits).map_or(0.0, |ms| ms as f64 / 1000.0);
    let _ = writeln!(
        out,
        "# HELP idverify_review_median_seconds Median time from processing to a manual decision.\n\
         # TYPE idverify_review_median_seconds gauge\nidverify_review_median_seconds {median_s}"
    );
    Ok(out)
}

// ---- administration ----

fn config_error(e: ServerError) -> ConsoleError {
    match e {
        ServerError::Config(m) => ConsoleError::BadRequest(m),
        ServerError::NotFound(_) => not_found(),
        other => ConsoleError::Internal(other),
    }
}

async fn apps_list(State(svc): State<Svc>, method: Method, headers: HeaderMap) -> Answer {
    operator(&svc, &method, &headers, Role::Admin).await?;
    let mut out = Vec::new();
    for a in svc.store.list_apps().await? {
        let origins = svc.store.app_origins(&a.app_id).await?;
        out.push(
            json!({"appId": a.app_id, "name": a.name, "webhookUrl": a.webhook_url,
                        "createdAt": a.created_at, "origins": origins}),
        );
    }
    Ok(Json(json!({"apps": out})).into_response())
}

#[derive(Deserialize)]
struct NewAppBody {
    name: String,
    #[serde(default)]
    webhook: Option<String>,
}

async fn apps_create(
    State(svc): State<Svc>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let op = operator(&svc, &method, &headers, Role::Admin).await?;
    let b: NewAppBody = parse_json(&headers, &body)?;
    let webhook = b
        .webhook
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty());
    let app = crate::server::create_app(&svc.store, &b.name, webhook, svc.now())
        .await
        .map_err(config_error)?;
    svc.store
        .console_event(svc.now(), &op.actor(), "app-created", &app.app_id)
        .await?;
    Ok((StatusCode::CREATED, Json(app)).into_response())
}

/// A live application of this deployment, or 404.
async fn live_app(svc: &Service, id: &str) -> Result<(), ConsoleError> {
    if svc.store.list_apps().await?.iter().any(|a| a.app_id == id) {
        Ok(())
    } else {
        Err(not_found())
    }
}

async fn apps_delete(
    State(svc): State<Svc>,
    method: Method,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    let op = operator(&svc, &method, &headers, Role::Admin).await?;
    if !svc.store.delete_app(&id, svc.now()).await? {
        return Err(not_found());
    }
    svc.store
        .console_event(svc.now(), &op.actor(), "app-deleted", &id)
        .await?;
    Ok(Json(json!({"appId": id, "deleted": true})).into_response())
}

async fn apps_rotate(
    State(svc): State<Svc>,
    method: Method,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    let op = operator(&svc, &method, &headers, Role::Admin).await?;
    live_app(&svc, &id).await?;
    let app = crate::server::rotate_app_keys(&svc.store, &id, svc.now())
        .await
        .map_err(config_error)?;
    svc.store
        .console_event(svc.now(), &op.actor(), "app-keys-rotated", &id)
        .await?;
    Ok(Json(app).into_response())
}

#[derive(Deserialize)]
struct OriginsBody {
    origins: Vec<String>,
}

async fn apps_origins(
    State(svc): State<Svc>,
    method: Method,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let op = operator(&svc, &method, &headers, Role::Admin).await?;
    live_app(&svc, &id).await?;
    let b: OriginsBody = parse_json(&headers, &body)?;
    if b.origins.len() > 100 {
        return Err(ConsoleError::BadRequest("At most 100 origins".into()));
    }
    let list = crate::flow::parse_origins(&b.origins).map_err(config_error)?;
    if !svc.store.set_app_origins(&id, &list).await? {
        return Err(not_found());
    }
    svc.store
        .console_event(svc.now(), &op.actor(), "app-origins-set", &id)
        .await?;
    Ok(Json(json!({"appId": id, "origins": list})).into_response())
}

#[derive(Deserialize)]
struct WebhookBody {
    url: Option<String>,
}

async fn apps_webhook(
    State(svc): State<Svc>,
    method: Method,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let op = operator(&svc, &method, &headers, Role::Admin).await?;
    live_app(&svc, &id).await?;
    let b: WebhookBody = parse_json(&headers, &body)?;
    let url = b.url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    if let Some(u) = url {
        crate::server::check_webhook_url(u).map_err(config_error)?;
    }
    if !svc.store.set_app_webhook(&id, url).await? {
        return Err(not_found());
    }
    svc.store
        .console_event(svc.now(), &op.actor(), "app-webhook-set", &id)
        .await?;
    Ok(Json(json!({"appId": id, "webhookUrl": url})).into_response())
}

async fn operators_list(State(svc): State<Svc>, method: Method, headers: HeaderMap) -> Answer {
    operator(&svc, &method, &headers, Role::Admin).await?;
    let now = svc.now();
    let list: Vec<_> = svc
        .store
        .list_operators()
        .await?
        .into_iter()
        .map(|o| {
            json!({"id": o.id, "email": o.email, "role": o.role,
                   "active": o.password_hash.is_some(), "totp": o.totp_secret.is_some(),
                   "locked": o.locked_until.is_some_and(|t| t > now),
                   "disabled": o.disabled_at.is_some(), "createdAt": o.created_at})
        })
        .collect();
    Ok(Json(json!({"operators": list})).into_response())
}

#[derive(Deserialize)]
struct NewOperatorBody {
    email: String,
    role: String,
}

async fn operators_create(
    State(svc): State<Svc>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let op = operator(&svc, &method, &headers, Role::Admin).await?;
    let b: NewOperatorBody = parse_json(&headers, &body)?;
    let created =
        crate::server::create_operator(&svc.store, &svc.public_base, &b.email, &b.role, svc.now())
            .await
            .map_err(config_error)?;
    svc.store
        .console_event(svc.now(), &op.actor(), "operator-created", &created.email)
        .await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// An operator of this deployment, or 404.
async fn known_operator(svc: &Service, id: &str) -> Result<OperatorRow, ConsoleError> {
    if id.len() > 100 {
        return Err(not_found());
    }
    svc.store.operator(id).await?.ok_or_else(not_found)
}

async fn operators_disable(
    State(svc): State<Svc>,
    method: Method,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    let op = operator(&svc, &method, &headers, Role::Admin).await?;
    let target = known_operator(&svc, &id).await?;
    if target.id == op.row.id {
        return Err(ConsoleError::BadRequest(
            "An administrator cannot remove themselves".into(),
        ));
    }
    if !svc.store.disable_operator(&target.id, svc.now()).await? {
        return Err(ConsoleError::Conflict(
            "This operator is removed already".into(),
        ));
    }
    svc.store
        .console_event(svc.now(), &op.actor(), "operator-removed", &target.email)
        .await?;
    Ok(Json(json!({"id": target.id, "disabled": true})).into_response())
}

async fn operators_reset(
    State(svc): State<Svc>,
    method: Method,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    let op = operator(&svc, &method, &headers, Role::Admin).await?;
    let target = known_operator(&svc, &id).await?;
    let token = ops::new_setup_token()?;
    let expires_at = svc.now().saturating_add(ops::SETUP_TTL_MS);
    if !svc
        .store
        .new_setup_token(&target.id, &token.hash, expires_at)
        .await?
    {
        return Err(ConsoleError::Conflict("This operator is removed".into()));
    }
    svc.store
        .console_event(svc.now(), &op.actor(), "operator-reset", &target.email)
        .await?;
    Ok(Json(json!({
        "id": target.id, "email": target.email,
        "setupUrl": format!("{}/console/setup#{}", svc.public_base, token.plain),
        "expiresAt": expires_at,
    }))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_start_is_utc_midnight() {
        assert_eq!(day_start("1970-01-01"), Some(0));
        assert_eq!(day_start("2026-12-04"), Some(1_796_342_400_000));
        assert_eq!(day_start("2026-13-04"), None);
        assert_eq!(day_start("2026-1-04"), None);
        assert_eq!(day_start("x"), None);
    }

    proptest::proptest! {
        #[test]
        fn day_start_inverts_the_civil_date(ms in 0i64..4_102_444_800_000) {
            let iso = crate::clock::CivilDate::from_unix_ms(ms).iso();
            proptest::prop_assert_eq!(day_start(&iso), Some(ms - ms.rem_euclid(DAY_MS)));
        }

        #[test]
        fn day_start_and_cookies_take_any_text(s in "\\PC{0,40}") {
            let _ = day_start(&s);
            if let Ok(v) = HeaderValue::from_str(&s) {
                let mut h = HeaderMap::new();
                h.insert(header::COOKIE, v);
                let _ = cookie_value(&h, COOKIE);
            }
        }
    }

    #[test]
    fn median_of_even_and_odd() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5, 1, 3]), Some(3));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2));
    }

    #[test]
    fn cookies_are_read_by_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; idverify_console=ss_x; b=2"),
        );
        assert_eq!(cookie_value(&h, COOKIE), Some("ss_x"));
        assert_eq!(cookie_value(&h, "c"), None);
    }

    #[test]
    fn pages_obey_their_csp() {
        assert!(INDEX_HTML.contains("/console/console.js"));
        assert!(!INDEX_HTML.contains("<script>") && !INDEX_HTML.contains("style="));
        assert!(!CONSOLE_JS.contains("innerHTML"));
    }
}
