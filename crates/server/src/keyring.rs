//! The signing keys in use: the newest one signs, every key that may have signed a live token is
//! published in the JWKS. Keys live sealed in the database so several processes share them;
//! `rotate` adds a new one and each process picks it up on its next refresh.

use std::sync::{Arc, RwLock};

use crate::at_rest::Sealer;
use crate::error::ServerError;
use crate::ids::random_bytes;
use crate::signing::{Jwk, Jwks, KeyPair};
use crate::store::{SigningKeyRow, Store};

#[derive(Debug)]
struct Loaded {
    active: Arc<KeyPair>,
    jwks: Arc<Jwks>,
}

/// The active signing key and the published key set.
#[derive(Debug)]
pub struct KeyRing {
    store: Store,
    sealer: Sealer,
    /// Retired keys stay published this long after retirement (ms).
    keep_retired_ms: i64,
    loaded: RwLock<Option<Loaded>>,
}

fn context(kid: &str) -> String {
    format!("signing-key:{kid}")
}

impl KeyRing {
    /// Loads the keys, creating the first one when there is none.
    pub async fn load(
        store: Store,
        sealer: Sealer,
        keep_retired_ms: i64,
        now: i64,
    ) -> Result<Self, ServerError> {
        let ring = KeyRing {
            store,
            sealer,
            keep_retired_ms,
            loaded: RwLock::new(None),
        };
        if ring.store.signing_keys().await?.is_empty() {
            ring.rotate(now).await?;
        }
        ring.refresh(now).await?;
        Ok(ring)
    }

    /// Adds a new key that signs from now on; older keys stay in the JWKS. Returns its kid.
    pub async fn rotate(&self, now: i64) -> Result<String, ServerError> {
        let kid = hex::encode(random_bytes::<8>()?);
        let pair = KeyPair::generate(kid.clone())?;
        let jwk = pair.jwk()?;
        let row = SigningKeyRow {
            kid: kid.clone(),
            private_key: self.sealer.seal(&pair.scalar(), &context(&kid))?,
            x: jwk.x,
            y: jwk.y,
            created_at: now,
            retired_at: None,
        };
        self.store.add_signing_key(&row).await?;
        self.refresh(now).await?;
        Ok(kid)
    }

    /// Re-reads the keys from the database.
    pub async fn refresh(&self, now: i64) -> Result<(), ServerError> {
        let rows = self.store.signing_keys().await?;
        let newest = rows
            .iter()
            .filter(|r| r.retired_at.is_none())
            .max_by_key(|r| r.created_at)
            .or_else(|| rows.last())
            .ok_or_else(|| ServerError::Signing("no signing key".into()))?;
        let scalar = self
            .sealer
            .open(&newest.private_key, &context(&newest.kid))?;
        let active = Arc::new(KeyPair::from_scalar(newest.kid.clone(), &scalar)?);
        let keys = rows
            .iter()
            .filter(|r| {
                r.retired_at
                    .is_none_or(|at| at.saturating_add(self.keep_retired_ms) > now)
            })
            .map(|r| Jwk::es512(r.kid.clone(), r.x.clone(), r.y.clone()))
            .collect();
        let loaded = Loaded {
            active,
            jwks: Arc::new(Jwks { keys }),
        };
        if let Ok(mut slot) = self.loaded.write() {
            *slot = Some(loaded);
        }
        Ok(())
    }

    /// The key that signs now.
    pub fn active(&self) -> Result<Arc<KeyPair>, ServerError> {
        self.loaded
            .read()
            .ok()
            .and_then(|l| l.as_ref().map(|l| Arc::clone(&l.active)))
            .ok_or_else(|| ServerError::Signing("key ring not loaded".into()))
    }

    /// The published key set.
    pub fn jwks(&self) -> Result<Arc<Jwks>, ServerError> {
        self.loaded
            .read()
            .ok()
            .and_then(|l| l.as_ref().map(|l| Arc::clone(&l.jwks)))
            .ok_or_else(|| ServerError::Signing("key ring not loaded".into()))
    }
}
