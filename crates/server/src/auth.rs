//! Authentication of callers: application keys (`X-API-Key`, `X-Client-Key`,
//! `Authorization: Bearer`) found by their SHA-256 and compared in constant time, and the
//! per-verification token of the feeding calls.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::http::HeaderMap;

use crate::error::{ApiError, Forbidden};
use crate::ids::{KeyKind, hash_secret, hashes_equal};
use crate::service::Service;
use crate::store::{KeyRow, VerificationRow};

/// How long a key lookup is cached; a revoked key stops working within this time in every
/// process.
const KEY_CACHE_MS: i64 = 5_000;

/// A short-lived cache of key lookups (hash → row, or known-bad).
#[derive(Debug, Default)]
pub struct KeyCache {
    entries: Mutex<HashMap<String, (i64, Option<KeyRow>)>>,
}

/// An authenticated application.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Its app id.
    pub app_id: String,
    /// The kind of key it used.
    pub kind: KeyKind,
    /// Non-secret key id for the audit trail.
    pub key_id: String,
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The bearer credential of `Authorization`, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = header(headers, "authorization")?;
    let (scheme, rest) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| rest.trim())
        .filter(|s| !s.is_empty())
}

impl Service {
    async fn lookup_key(&self, plain: &str) -> Result<Option<KeyRow>, ApiError> {
        if plain.len() > 200 {
            return Ok(None);
        }
        let hash = hash_secret(plain);
        let now = self.now();
        if let Ok(cache) = self.key_cache.entries.lock()
            && let Some((at, row)) = cache.get(&hash)
            && now.saturating_sub(*at) < KEY_CACHE_MS
        {
            return Ok(row.clone());
        }
        let row = self.store.find_key(&hash).await?;
        let row = row.filter(|r| hashes_equal(&r.hash, &hash));
        if let Ok(mut cache) = self.key_cache.entries.lock() {
            if cache.len() > 10_000 {
                cache.clear();
            }
            cache.insert(hash, (now, row.clone()));
        }
        Ok(row)
    }

    /// The application calling with a secret key (`X-API-Key` or `Authorization: Bearer`).
    pub async fn secret_caller(&self, headers: &HeaderMap) -> Result<Caller, ApiError> {
        let plain = header(headers, "x-api-key")
            .or_else(|| bearer(headers))
            .ok_or(ApiError::Forbidden(Forbidden::NoKey))?;
        match self.lookup_key(plain).await? {
            Some(row) if row.kind == KeyKind::Secret => Ok(Caller {
                key_id: crate::ids::key_id(&row.hash),
                app_id: row.app_id,
                kind: row.kind,
            }),
            Some(_) => Err(ApiError::Forbidden(Forbidden::PublishableKey)),
            None => Err(ApiError::Forbidden(Forbidden::UnknownKey)),
        }
    }

    /// The application calling with either key (`X-Client-Key`, `X-API-Key`, or bearer).
    pub async fn any_caller(&self, headers: &HeaderMap) -> Result<Caller, ApiError> {
        let plain = header(headers, "x-client-key")
            .or_else(|| header(headers, "x-api-key"))
            .or_else(|| bearer(headers))
            .ok_or(ApiError::Forbidden(Forbidden::NoKey))?;
        match self.lookup_key(plain).await? {
            Some(row) => Ok(Caller {
                key_id: crate::ids::key_id(&row.hash),
                app_id: row.app_id,
                kind: row.kind,
            }),
            None => Err(ApiError::Forbidden(Forbidden::UnknownKey)),
        }
    }

    /// The verification a feeding call's token authorises: 404 when there is no such
    /// verification, 403 when the token is missing or is not this verification's.
    pub async fn token_verification(
        &self,
        id: &str,
        headers: &HeaderMap,
    ) -> Result<VerificationRow, ApiError> {
        let id = crate::ids::VerificationId::parse(id).ok_or(ApiError::VerificationNotFound)?;
        let row = self
            .store
            .verification(id.as_str())
            .await?
            .filter(|r| r.erased_at.is_none())
            .ok_or(ApiError::VerificationNotFound)?;
        let token = bearer(headers)
            .or_else(|| header(headers, "x-verification-token"))
            .ok_or(ApiError::Forbidden(Forbidden::NoToken))?;
        if token.len() > 200 || !hashes_equal(&hash_secret(token), &row.token_hash) {
            return Err(ApiError::Forbidden(Forbidden::WrongToken));
        }
        Ok(row)
    }

    /// The verification `id` if it belongs to `caller`'s application; the same 404 otherwise.
    pub async fn owned_verification(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<VerificationRow, ApiError> {
        let id = crate::ids::VerificationId::parse(id).ok_or(ApiError::VerificationNotFound)?;
        self.store
            .verification(id.as_str())
            .await?
            .filter(|r| hashes_equal(&r.app_id, &caller.app_id))
            .ok_or(ApiError::VerificationNotFound)
    }
}
