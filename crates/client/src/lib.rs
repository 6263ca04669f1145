//! `idverify-client`: what an integrator's back end needs from an idverify service — verify the
//! callback token (`ocr.signed`) and webhook signatures against the service's JWKS (ES512,
//! cached, `kid`-aware, fetched again when a token names an unknown key), and fetch the final
//! Result and the document images with the secret API key.
//!
//! ```no_run
//! # async fn run(ocr_json: &str) -> Result<(), idverify_client::Error> {
//! use idverify_client::Client;
//! use idverify_wire::OcrCallback;
//!
//! let client = Client::new("http://127.0.0.1:3030")?.with_secret_key("sk_…");
//! // The `ocr` object the sign-up flow handed to the page's `setOnComplete` callback:
//! let ocr: OcrCallback = serde_json::from_str(ocr_json).map_err(|e| idverify_client::Error::Claims(e.to_string()))?;
//! let claims = client.verify_callback(&ocr).await?;      // the token is genuine and names this id
//! let result = client.fetch_result(&claims.id).await?;   // the final Result, its token verified too
//! println!("{:?}", result.data.results.status);
//! # Ok(()) }
//! ```

mod jws;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use idverify_wire::{ErrorBody, OcrCallback, ResultsResponse, VerificationResult};
use serde::Deserialize;

pub use jws::{KeySet, VerifiedToken, check_timestamp, webhook_message};

/// Everything that can go wrong verifying or fetching.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The base URL is not an `http://` or `https://` URL.
    #[error("invalid base URL {0:?}: expected http:// or https://")]
    BaseUrl(String),
    /// The token is not a well-formed compact JWS.
    #[error("malformed token: {0}")]
    MalformedToken(&'static str),
    /// The token is signed with another algorithm than ES512.
    #[error("unsupported token algorithm {0:?} (only ES512)")]
    UnsupportedAlgorithm(String),
    /// No key of the JWKS has the token's `kid`, even after fetching it again.
    #[error("no key with kid {0:?} in the service's JWKS")]
    UnknownKid(String),
    /// The signature does not verify.
    #[error("the signature does not verify")]
    BadSignature,
    /// The JWKS document is malformed.
    #[error("invalid JWKS: {0}")]
    Jwks(String),
    /// The claims are not what they must be (wrong id, issuer or result URL; not JSON).
    #[error("token claims rejected: {0}")]
    Claims(String),
    /// `X-Timestamp` is not Unix seconds in digits.
    #[error("malformed webhook timestamp")]
    MalformedTimestamp,
    /// `X-Timestamp` is too far from now: a replay, or a clock out of sync.
    #[error("webhook timestamp {timestamp} is more than {tolerance_secs} s away from now ({now})")]
    StaleTimestamp {
        /// The timestamp received.
        timestamp: i64,
        /// The time of the check.
        now: i64,
        /// The tolerance.
        tolerance_secs: i64,
    },
    /// A call that needs the secret key was made on a client without one.
    #[error("no secret key configured (Client::with_secret_key)")]
    NoSecretKey,
    /// A verification id is not 36 lowercase hex characters.
    #[error("{0:?} is not a verification id")]
    BadId(String),
    /// A document URI that is not on the service: the secret key is never sent elsewhere.
    #[error("URI {0:?} is not on the service")]
    ForeignUri(String),
    /// The secret key is missing or invalid (403).
    #[error("the service refused the secret key (403)")]
    Forbidden,
    /// No such verification for this key (404).
    #[error("verification not found (404)")]
    NotFound,
    /// Processing of the verification failed on the service (400).
    #[error("the service could not process the verification (400): {0}")]
    ProcessingFailed(String),
    /// Any other answer that is not a success.
    #[error("the service answered {status}: {message}")]
    Api {
        /// HTTP status.
        status: u16,
        /// The error body's message, or the start of the body.
        message: String,
    },
    /// The request did not complete (connection, timeout, TLS).
    #[error("request to the service failed: {0}")]
    Http(#[from] reqwest::Error),
    /// A success answer whose body is not what the contract says.
    #[error("unexpected answer body: {0}")]
    Body(String),
}

/// The claims of the callback token (`ocr.signed`, CONTRACT §3.3).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallbackClaims {
    /// Full URL of the results API for this verification.
    pub result_url: String,
    /// The verification id.
    pub id: String,
    /// Issuer.
    pub iss: String,
    /// Issued at (Unix seconds).
    #[serde(default)]
    pub iat: Option<i64>,
}

/// The claims of the results token (`signed` of the results answer).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ResultClaims {
    /// Issuer.
    pub iss: String,
    /// The verification id.
    pub id: String,
    /// Issued at (Unix seconds).
    #[serde(default)]
    pub iat: Option<i64>,
    /// The Result.
    pub data: VerificationResult,
}

/// A document image fetched from a Result's `documents[].files[].uri`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// `Content-Type` of the answer, e.g. `image/jpeg`.
    pub media_type: String,
    /// The image bytes.
    pub bytes: Vec<u8>,
}

/// Fetch the JWKS again for an unknown `kid` at most this often, so forged tokens cannot make
/// the client hammer the service.
const REFETCH_MIN_INTERVAL: Duration = Duration::from_secs(5);

#[derive(Debug, Default)]
struct Cache {
    keys: Option<Arc<KeySet>>,
    fetched_at: Option<Instant>,
}

/// A client of one idverify service.
///
/// Cheap to share: put it in an `Arc` (the JWKS cache is inside).
pub struct Client {
    base_url: String,
    secret_key: Option<String>,
    issuer: Option<String>,
    webhook_tolerance_secs: i64,
    http: reqwest::Client,
    cache: Mutex<Cache>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "<redacted>"),
            )
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client of the service at `base_url` (e.g. `http://127.0.0.1:3030`).
    ///
    /// ```
    /// let c = idverify_client::Client::new("http://127.0.0.1:3030/").unwrap();
    /// assert_eq!(c.base_url(), "http://127.0.0.1:3030");
    /// assert!(idverify_client::Client::new("ftp://x").is_err());
    /// ```
    pub fn new(base_url: &str) -> Result<Self, Error> {
        let base = base_url.trim().trim_end_matches('/');
        let rest = base
            .strip_prefix("http://")
            .or_else(|| base.strip_prefix("https://"));
        if rest.is_none_or(|r| r.is_empty() || r.contains(char::is_whitespace)) {
            return Err(Error::BaseUrl(base_url.to_string()));
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Client {
            base_url: base.to_string(),
            secret_key: None,
            issuer: None,
            webhook_tolerance_secs: 300,
            http,
            cache: Mutex::new(Cache::default()),
        })
    }

    /// Sets the application's secret API key (needed by [`Client::fetch_result`] and
    /// [`Client::fetch_document`]).
    pub fn with_secret_key(mut self, key: impl Into<String>) -> Self {
        self.secret_key = Some(key.into());
        self
    }

    /// Requires tokens to carry this `iss` (the service's `issuer` setting).
    pub fn with_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// How far `X-Timestamp` of a webhook may be from now (default 300 s).
    pub fn with_webhook_tolerance(mut self, tolerance: Duration) -> Self {
        self.webhook_tolerance_secs = i64::try_from(tolerance.as_secs()).unwrap_or(i64::MAX);
        self
    }

    /// Uses this key set instead of fetching the JWKS (offline verification); an unknown `kid`
    /// still triggers a fetch.
    pub fn with_keys(self, keys: KeySet) -> Self {
        if let Ok(mut c) = self.cache.lock() {
            c.keys = Some(Arc::new(keys));
        }
        self
    }

    /// The service's base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Fetches `/.well-known/jwks.json` and replaces the cached key set.
    pub async fn refresh_keys(&self) -> Result<Arc<KeySet>, Error> {
        let url = format!("{}/.well-known/jwks.json", self.base_url);
        let resp = self.http.get(url).send().await?;
        let status = resp.status().as_u16();
        let body = resp.bytes().await?;
        if status != 200 {
            return Err(api_error(status, &body));
        }
        let keys = Arc::new(KeySet::from_jwks_json(&body)?);
        if let Ok(mut c) = self.cache.lock() {
            c.keys = Some(keys.clone());
            c.fetched_at = Some(Instant::now());
        }
        Ok(keys)
    }

    fn cached(&self) -> (Option<Arc<KeySet>>, bool) {
        match self.cache.lock() {
            Ok(c) => (
                c.keys.clone(),
                c.fetched_at
                    .is_none_or(|t| t.elapsed() >= REFETCH_MIN_INTERVAL),
            ),
            Err(_) => (None, true),
        }
    }

    async fn keys(&self) -> Result<Arc<KeySet>, Error> {
        match self.cached() {
            (Some(k), _) => Ok(k),
            (None, _) => self.refresh_keys().await,
        }
    }

    /// Verifies a compact token against the JWKS, fetching it first if needed and again once if
    /// the token names a key the cached set does not have (keys rotate).
    pub async fn verify_token(&self, token: &str) -> Result<VerifiedToken, Error> {
        let keys = self.keys().await?;
        match keys.verify_token(token) {
            Err(Error::UnknownKid(kid)) => {
                let (_, may_refetch) = self.cached();
                if !may_refetch {
                    return Err(Error::UnknownKid(kid));
                }
                self.refresh_keys().await?.verify_token(token)
            }
            other => other,
        }
    }

    fn check_issuer(&self, iss: &str) -> Result<(), Error> {
        match &self.issuer {
            Some(want) if want != iss => Err(Error::Claims(format!(
                "issuer {iss:?} is not the expected {want:?}"
            ))),
            _ => Ok(()),
        }
    }

    /// Verifies a callback token (`ocr.signed`) and returns its claims.
    pub async fn verify_callback_token(&self, token: &str) -> Result<CallbackClaims, Error> {
        let claims: CallbackClaims = self.verify_token(token).await?.claims()?;
        self.check_issuer(&claims.iss)?;
        Ok(claims)
    }

    /// Verifies the whole `ocr` object of the callback: its token holds, and the token's `id`
    /// and `resultUrl` are the object's. Only then are the object's other fields worth reading —
    /// and the final word is still [`Client::fetch_result`].
    pub async fn verify_callback(&self, ocr: &OcrCallback) -> Result<CallbackClaims, Error> {
        let claims = self.verify_callback_token(&ocr.signed).await?;
        if claims.id != ocr.id {
            return Err(Error::Claims(format!(
                "the token is for {:?}, the object for {:?}",
                claims.id, ocr.id
            )));
        }
        if claims.result_url != ocr.result_url {
            return Err(Error::Claims(
                "the token's resultUrl is not the object's".into(),
            ));
        }
        Ok(claims)
    }

    fn secret(&self) -> Result<&str, Error> {
        self.secret_key.as_deref().ok_or(Error::NoSecretKey)
    }

    /// Fetches the Result of a verification with the secret key
    /// (`GET /verifications/results/{id}`), and verifies the answer's `signed` token: it must
    /// verify and carry the same id.
    pub async fn fetch_result(&self, id: &str) -> Result<ResultsResponse, Error> {
        if id.len() != 36 || !id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(Error::BadId(id.to_string()));
        }
        let url = format!("{}/verifications/results/{id}", self.base_url);
        let resp = self
            .http
            .get(url)
            .header("X-API-Key", self.secret()?)
            .send()
            .await?;
        let status = resp.status().as_u16();
        let body = resp.bytes().await?;
        if status != 200 {
            return Err(api_error(status, &body));
        }
        let answer: ResultsResponse =
            serde_json::from_slice(&body).map_err(|e| Error::Body(e.to_string()))?;
        let claims: ResultClaims = self.verify_token(&answer.signed).await?.claims()?;
        if claims.id != id {
            return Err(Error::Claims(format!(
                "the results token is for {:?}, not {id:?}",
                claims.id
            )));
        }
        self.check_issuer(&claims.iss)?;
        Ok(answer)
    }

    /// Fetches a document image of a Result (`documents[].files[].uri`) with the secret key.
    /// The URI must be on this service; the key is never sent anywhere else.
    pub async fn fetch_document(&self, uri: &str) -> Result<Document, Error> {
        let on_service = uri
            .strip_prefix(&self.base_url)
            .is_some_and(|rest| rest.starts_with('/'));
        if !on_service {
            return Err(Error::ForeignUri(uri.to_string()));
        }
        let resp = self
            .http
            .get(uri)
            .header("X-API-Key", self.secret()?)
            .send()
            .await?;
        let status = resp.status().as_u16();
        let media_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_string();
        let bytes = resp.bytes().await?;
        if status != 200 {
            return Err(api_error(status, &bytes));
        }
        Ok(Document {
            media_type,
            bytes: bytes.to_vec(),
        })
    }

    /// Verifies a webhook delivery: `X-Timestamp` within the tolerance of `now_unix`, and
    /// `X-Signature` an ES512 signature of the body bytes followed by the timestamp's digits by
    /// a key of the JWKS (fetched again once if no cached key verifies). Returns the `ocr` object.
    ///
    /// `now_unix` is the current time in Unix seconds, passed in so tests can fix it.
    pub async fn verify_webhook(
        &self,
        body: &[u8],
        timestamp: &str,
        signature: &str,
        now_unix: i64,
    ) -> Result<OcrCallback, Error> {
        check_timestamp(timestamp, now_unix, self.webhook_tolerance_secs)?;
        let msg = webhook_message(body, timestamp.trim());
        let keys = self.keys().await?;
        if keys.verify_detached(&msg, signature).is_err() {
            let (_, may_refetch) = self.cached();
            if !may_refetch {
                return Err(Error::BadSignature);
            }
            self.refresh_keys()
                .await?
                .verify_detached(&msg, signature)?;
        }
        serde_json::from_slice(body).map_err(|e| Error::Body(e.to_string()))
    }
}

fn api_error(status: u16, body: &[u8]) -> Error {
    let message = serde_json::from_slice::<ErrorBody>(body)
        .map(|b| b.message)
        .unwrap_or_else(|_| String::from_utf8_lossy(body).chars().take(200).collect());
    match status {
        403 => Error::Forbidden,
        404 => Error::NotFound,
        400 => Error::ProcessingFailed(message),
        _ => Error::Api { status, message },
    }
}
