//! The browser side's server half: the sign-up flow's files (`web/flow`, embedded at build time)
//! served under `/flow/` with a strict Content-Security-Policy, the per-application allowed
//! origins (CORS) of the feeding calls, and the person-facing concerns the status call shows
//! the flow (retake and decline screens).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use idverify_wire::VerificationResult;
use serde_json::json;

use crate::error::{ApiError, ServerError};
use crate::service::Service;

type Svc = Arc<Service>;

/// The CSP of the standalone flow page: nothing inline, nothing from elsewhere.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self'; \
    form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// One embedded file: its path under `/flow/`, content type and bytes.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        path: "/flow/signup.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../../web/flow/signup.js"),
    },
    Asset {
        path: "/flow/signup.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../../../web/flow/signup.css"),
    },
    Asset {
        path: "/flow/page.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../../../web/flow/page.css"),
    },
    Asset {
        path: "/flow/locales/en.json",
        content_type: "application/json",
        body: include_str!("../../../web/flow/locales/en.json"),
    },
    Asset {
        path: "/flow/locales/fr.json",
        content_type: "application/json",
        body: include_str!("../../../web/flow/locales/fr.json"),
    },
];

const INDEX_HTML: &str = include_str!("../../../web/flow/index.html");

/// Headers every flow file carries. Scripts, styles and locales are public and loaded by
/// integrators' pages on other origins, hence `Access-Control-Allow-Origin: *`.
fn asset_response(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        [(
            header::HeaderName::from_static("cross-origin-resource-policy"),
            "cross-origin",
        )],
        body,
    )
        .into_response()
}

/// An HTML page with the strict CSP and the usual hardening headers.
pub fn html_page(body: String, csp: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, csp),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
            (header::X_FRAME_OPTIONS, "DENY"),
        ],
        [(
            header::HeaderName::from_static("permissions-policy"),
            "camera=(self), microphone=(), geolocation=()",
        )],
        body,
    )
        .into_response()
}

/// The routes of `/flow/`: the page, the script, the styles and the locales.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    let mut router = Router::new()
        .route("/flow", get(|| async { Redirect::permanent("/flow/") }))
        .route(
            "/flow/",
            get(|| async { html_page(INDEX_HTML.to_owned(), PAGE_CSP) }),
        );
    for asset in ASSETS {
        let (ct, body) = (asset.content_type, asset.body);
        router = router.route(
            asset.path,
            get(move || async move { asset_response(ct, body) }),
        );
    }
    router
}

// ---- CORS of the feeding calls ----

/// Normalises an origin (`scheme://host[:port]`, lower case, no path); `None` if it is not one.
///
/// ```
/// use idverify_server::flow::normalize_origin;
/// assert_eq!(normalize_origin("HTTPS://Shop.Example/").as_deref(), Some("https://shop.example"));
/// assert_eq!(normalize_origin("*").as_deref(), Some("*"));
/// assert!(normalize_origin("https://shop.example/signup").is_none());
/// assert!(normalize_origin("javascript:alert(1)").is_none());
/// ```
pub fn normalize_origin(origin: &str) -> Option<String> {
    let o = origin.trim().trim_end_matches('/').to_ascii_lowercase();
    if o == "*" {
        return Some(o);
    }
    let rest = o
        .strip_prefix("https://")
        .or_else(|| o.strip_prefix("http://"))?;
    let ok = !rest.is_empty()
        && rest.len() <= 253
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    ok.then_some(o)
}

/// Whether `path` is one of the feeding calls of CONTRACT §3.4 (the calls a browser makes).
fn feeding_call(path: &str) -> Option<Option<&str>> {
    if path == "/verifications" {
        return Some(None);
    }
    let rest = path.strip_prefix("/verifications/")?;
    let (id, tail) = rest.split_once('/')?;
    matches!(tail, "files" | "submit" | "status").then_some(Some(id))
}

fn forbidden_origin() -> Response {
    (
        StatusCode::FORBIDDEN,
        Json(
            json!({"statusCode": 403, "message": "Origin not allowed for this application",
                    "error": "Forbidden"}),
        ),
    )
        .into_response()
}

fn allow(resp: &mut Response, origin: &HeaderValue) {
    let h = resp.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
    h.append(header::VARY, HeaderValue::from_static("Origin"));
}

/// Which application a feeding call is for, from its key or its verification token; `None`
/// when the credentials do not identify one (the handler then answers 403 or 404 itself).
async fn app_of(svc: &Service, id: Option<&str>, headers: &HeaderMap) -> Option<String> {
    match id {
        None => svc.any_caller(headers).await.ok().map(|c| c.app_id),
        Some(id) => svc
            .token_verification(id, headers)
            .await
            .ok()
            .map(|r| r.app_id),
    }
}

/// The CORS layer of the feeding calls. A request from the service's own origin, or without
/// an `Origin`, passes untouched. A preflight is answered for an origin that some application
/// allows (the preflight carries no key); the real request is then checked against the
/// allowed origins of the application its key or token belongs to, and refused with 403 when
/// that application does not allow the origin.
pub async fn cors(State(svc): State<Svc>, req: Request, next: Next) -> Response {
    let Some(feeding) = feeding_call(req.uri().path()) else {
        return next.run(req).await;
    };
    let Some(origin) = req.headers().get(header::ORIGIN).cloned() else {
        return next.run(req).await;
    };
    let Some(norm) = origin.to_str().ok().and_then(normalize_origin) else {
        return forbidden_origin();
    };
    if normalize_origin(&svc.public_base).as_deref() == Some(norm.as_str()) {
        return next.run(req).await;
    }
    if req.method() == Method::OPTIONS {
        return match svc.store.origin_allowed_by_any_app(&norm).await {
            Ok(true) => {
                let mut resp = StatusCode::NO_CONTENT.into_response();
                allow(&mut resp, &origin);
                let h = resp.headers_mut();
                h.insert(
                    header::ACCESS_CONTROL_ALLOW_METHODS,
                    HeaderValue::from_static("GET, POST"),
                );
                h.insert(
                    header::ACCESS_CONTROL_ALLOW_HEADERS,
                    HeaderValue::from_static("authorization, content-type, x-client-key"),
                );
                h.insert(
                    header::ACCESS_CONTROL_MAX_AGE,
                    HeaderValue::from_static("600"),
                );
                resp
            }
            Ok(false) => forbidden_origin(),
            Err(e) => ApiError::Internal(e).into_response(),
        };
    }
    match app_of(&svc, feeding, req.headers()).await {
        Some(app) => match svc.store.app_origins(&app).await {
            Ok(list) if list.iter().any(|o| o == "*" || *o == norm) => {
                let mut resp = next.run(req).await;
                allow(&mut resp, &origin);
                resp
            }
            Ok(_) => forbidden_origin(),
            Err(e) => ApiError::Internal(e).into_response(),
        },
        // Bad credentials: the handler says 403/404; let the page read that answer if the
        // origin is one some application allows.
        None => {
            let allowed = svc.store.origin_allowed_by_any_app(&norm).await;
            let mut resp = next.run(req).await;
            if matches!(allowed, Ok(true)) {
                allow(&mut resp, &origin);
            }
            resp
        }
    }
}

/// Validates and normalises a list of origins for an application (`idverify apps origins`).
pub fn parse_origins(list: &[String]) -> Result<Vec<String>, ServerError> {
    let mut out = Vec::new();
    for o in list {
        let n = normalize_origin(o).ok_or_else(|| {
            ServerError::Config(format!(
                "{o:?} is not an origin: expected scheme://host[:port] or *"
            ))
        })?;
        if !out.contains(&n) {
            out.push(n);
        }
    }
    Ok(out)
}

// ---- what the status call shows the person ----

/// What the person can do about a concern, as the status call tells the sign-up flow (which
/// shows the reason and this next step in the person's language).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// Take new photos (better light, closer, sharper, the whole page).
    Retake,
    /// Photograph the back of the same card as the front.
    ShowBack,
    /// Use another document (expired, not accepted).
    AnotherDocument,
    /// Nothing the person can do with photos; the integrator decides (or a reviewer).
    None,
}

impl NextStep {
    fn as_str(self) -> &'static str {
        match self {
            NextStep::Retake => "retake",
            NextStep::ShowBack => "show-back",
            NextStep::AnotherDocument => "another-document",
            NextStep::None => "none",
        }
    }
}

/// The next step per concern code (docs/concerns.md). A reading failure (MRZ not found, a
/// check digit or field that does not hold, printed zone and MRZ that disagree or could not be
/// compared) is most often the photo's fault, so the person is asked for a new one first.
pub fn next_step(code: &str) -> NextStep {
    match code {
        "DC001" | "DC002" | "DC003" | "DC004" | "DC020" | "DC021" | "DC022" | "DC030" | "DC032"
        | "DC033" => NextStep::Retake,
        "DC031" => NextStep::ShowBack,
        "DC010" | "DC012" | "DC013" => NextStep::AnotherDocument,
        _ => NextStep::None,
    }
}

/// Codes whose catalogue message the person may read as it is: what was wrong with the photo or
/// the document. The messages of conflicts and check digits carry values read from the
/// document and hints for a forger; the person gets the flow's own words for those.
const MESSAGE_FOR_PERSON: [&str; 10] = [
    "DC001", "DC004", "DC010", "DC011", "DC012", "DC013", "DC020", "DC021", "DC022", "DC032",
];

/// The concerns of a Result as the status call lists them for the flow:
/// `[{"id", "message", "retake", "next"}]`, every concern but the summary (DC023). `message`
/// is the catalogue's for codes in [`MESSAGE_FOR_PERSON`], else empty; `next` is
/// [`next_step`]; `retake` says whether new photos are asked for.
pub fn person_facing_concerns(data: &VerificationResult) -> Vec<serde_json::Value> {
    data.results
        .concerns
        .iter()
        .filter(|c| c.id != "DC023")
        .map(|c| {
            let next = next_step(&c.id);
            let message = if MESSAGE_FOR_PERSON.contains(&c.id.as_str()) {
                c.message.as_str()
            } else {
                ""
            };
            json!({"id": c.id, "message": message,
                   "retake": matches!(next, NextStep::Retake | NextStep::ShowBack),
                   "next": next.as_str()})
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeding_calls_are_recognised() {
        assert_eq!(feeding_call("/verifications"), Some(None));
        assert_eq!(feeding_call("/verifications/ab/files"), Some(Some("ab")));
        assert_eq!(feeding_call("/verifications/ab/status"), Some(Some("ab")));
        assert_eq!(feeding_call("/verifications/results/ab"), None);
        assert_eq!(feeding_call("/verifications/ab/other"), None);
        assert_eq!(feeding_call("/flow/signup.js"), None);
    }

    #[test]
    fn origins_are_validated() {
        let ok = parse_origins(&[
            "https://a.example".into(),
            "HTTPS://A.example/".into(),
            "http://127.0.0.1:8080".into(),
        ])
        .unwrap();
        assert_eq!(ok, vec!["https://a.example", "http://127.0.0.1:8080"]);
        assert!(parse_origins(&["a.example".into()]).is_err());
        assert!(parse_origins(&["https://a.example/path".into()]).is_err());
    }

    #[test]
    fn embedded_assets_are_the_flow() {
        assert!(
            ASSETS
                .iter()
                .any(|a| a.path == "/flow/signup.js" && a.body.contains("IdVerify"))
        );
        assert!(INDEX_HTML.contains("/flow/signup.js"));
        // The page must work under its own CSP: no inline script or style.
        assert!(!INDEX_HTML.contains("<script>") && !INDEX_HTML.contains("style="));
    }
}
