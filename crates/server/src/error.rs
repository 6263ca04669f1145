//! Errors: `ServerError` for what the system could not do, `ApiError` for what a client is told.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use idverify_wire::ErrorBody;

/// Something the service could not do (a database, file or crypto failure). Never shown to a
/// client: it becomes a logged 500.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A file could not be read or written.
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    /// Sealing or opening data at rest failed (wrong key, tampered data).
    #[error("encryption at rest: {0}")]
    Crypto(String),
    /// Signing failed.
    #[error("signing: {0}")]
    Signing(String),
    /// JSON (de)serialisation of stored data failed.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// The configuration is invalid.
    #[error("configuration: {0}")]
    Config(String),
    /// The operating system's random source failed.
    #[error("random source: {0}")]
    Random(String),
    /// A stored row does not have the shape this version expects.
    #[error("stored data: {0}")]
    Corrupt(String),
    /// Something asked of an administrative command does not exist.
    #[error("{0}")]
    NotFound(String),
}

/// Why a call was refused with 403 (the body's `detail`; the `message` is the contract's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Forbidden {
    /// No key header at all.
    NoKey,
    /// A key this service does not know (wrong deployment or data folder, deleted or rotated).
    UnknownKey,
    /// A publishable key where the secret key is needed.
    PublishableKey,
    /// No verification token.
    NoToken,
    /// A token that is not this verification's.
    WrongToken,
}

impl Forbidden {
    /// The `detail` of the 403 body.
    pub fn detail(self) -> &'static str {
        match self {
            Forbidden::NoKey => {
                "No API key: send the secret key as X-API-Key (or the publishable key as X-Client-Key)"
            }
            Forbidden::UnknownKey => {
                "Unknown API key: no application of this service has it (deleted, rotated, or created in another data folder or database)"
            }
            Forbidden::PublishableKey => {
                "A publishable key cannot read results: use the application's secret key"
            }
            Forbidden::NoToken => {
                "No verification token: send the token POST /verifications returned"
            }
            Forbidden::WrongToken => "The token is not this verification's",
        }
    }
}

/// An answer in the contract's `{"statusCode","message","error"}` shape.
#[derive(Debug)]
#[non_exhaustive]
pub enum ApiError {
    /// 400 with a message saying what is wrong.
    BadRequest(String),
    /// 400 `Error verifying application`: processing of this verification failed.
    ProcessingFailed,
    /// 403 `Forbidden resource`: key or token missing or invalid; the body's `detail` says
    /// which.
    Forbidden(Forbidden),
    /// 404 `Verification not found`.
    VerificationNotFound,
    /// 404 for a file that is not (or no longer) there.
    FileNotFound,
    /// 404 `Cannot {METHOD} {path}`.
    NoRoute {
        /// The request's method.
        method: String,
        /// The request's path.
        path: String,
    },
    /// 500; the cause is logged, never returned.
    Internal(ServerError),
}

impl From<ServerError> for ApiError {
    fn from(e: ServerError) -> Self {
        ApiError::Internal(e)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Internal(ServerError::Database(e))
    }
}

impl ApiError {
    /// A 400 with `message`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::BadRequest(message.into())
    }

    /// The status code and body of this error.
    pub fn parts(&self) -> (StatusCode, ErrorBody) {
        let (status, message) = match self {
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m.clone()),
            ApiError::ProcessingFailed => (
                StatusCode::BAD_REQUEST,
                "Error verifying application".to_owned(),
            ),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "Forbidden resource".to_owned()),
            ApiError::VerificationNotFound => {
                (StatusCode::NOT_FOUND, "Verification not found".to_owned())
            }
            ApiError::FileNotFound => (StatusCode::NOT_FOUND, "File not found".to_owned()),
            ApiError::NoRoute { method, path } => {
                (StatusCode::NOT_FOUND, format!("Cannot {method} {path}"))
            }
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal server error".to_owned(),
            ),
        };
        let error = match self {
            ApiError::Internal(_) => None,
            _ => status.canonical_reason().map(str::to_owned),
        };
        (
            status,
            ErrorBody {
                status_code: status.as_u16(),
                message,
                error,
                detail: match self {
                    ApiError::Forbidden(why) => Some(why.detail().to_owned()),
                    _ => None,
                },
            },
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(e) = &self {
            tracing::error!(error = %e, "internal error");
        }
        let (status, body) = self.parts();
        (status, axum::Json(body)).into_response()
    }
}
