//! The service's shared state and the operations the routes and background tasks perform on
//! it: what is sealed and how, how a Result and its tokens are built, erasure.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use idverify_wire::{
    Attributes, CallbackData, Decision, DocumentFile, DocumentGroup, Metadata, OcrCallback,
    ProcessingStatus, Results, VerificationResult,
};
use serde::{Deserialize, Serialize};
use tokio::sync::{Notify, mpsc};

use crate::at_rest::Sealer;
use crate::blobs::BlobStore;
use crate::check::DocumentCheck;
use crate::clock::Clock;
use crate::config::{Config, IpNet};
use crate::error::ServerError;
use crate::geo::GeoIp;
use crate::keyring::KeyRing;
use crate::metrics::Metrics;
use crate::store::{AuditEvent, FileRow, Store, VerificationRow};

/// The sealed metadata of a verification.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredMeta {
    /// Where it came from.
    pub metadata: Metadata,
    /// The integrator's `externalId` (becomes `attributes.referenceId`).
    pub external_id: String,
}

/// The sealed final answer of a processed verification.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredAnswer {
    /// The Result.
    pub data: VerificationResult,
    /// JWT `{iss, id, iat, data}`.
    pub signed: String,
    /// JWT `{resultUrl, id, iss, iat}` of the callback object.
    pub callback_signed: String,
}

/// Everything the routes and tasks share.
pub struct Service {
    /// Configuration.
    pub config: Config,
    /// Database.
    pub store: Store,
    /// Images.
    pub blobs: BlobStore,
    /// Encryption at rest.
    pub sealer: Sealer,
    /// Signing keys.
    pub keys: KeyRing,
    /// Time.
    pub clock: Arc<dyn Clock>,
    /// The document check.
    pub check: Arc<dyn DocumentCheck>,
    /// Base URL for `resultUrl` and file URIs.
    pub public_base: String,
    /// Wakes idle workers when a job is submitted in this process.
    pub work: Notify,
    /// Result reads go to the audit trail through this batching channel.
    pub audit_tx: mpsc::Sender<(String, AuditEvent)>,
    /// Counters.
    pub metrics: Metrics,
    /// Peers whose `X-Forwarded-For` is believed.
    pub trusted: Vec<IpNet>,
    /// Optional geo-IP database.
    pub geo: Option<GeoIp>,
    /// Cache of API keys by hash (short TTL).
    pub key_cache: crate::auth::KeyCache,
    /// Serialised results answers of processed verifications (embedded SQLite only).
    pub result_cache: ResultCache,
}

/// The serialised results answers of processed verifications, which do not change until they
/// are erased. Only used with embedded SQLite, where this process is the only writer and erasure
/// invalidates the entry; with PostgreSQL another process may erase, so every read goes to the
/// database. An erased id is remembered, so a read that raced with the erasure cannot put the
/// old answer back.
#[derive(Debug, Default)]
pub struct ResultCache {
    enabled: bool,
    entries: std::sync::RwLock<std::collections::HashMap<String, Cached>>,
}

#[derive(Debug)]
enum Cached {
    Answer {
        app_id: String,
        body: axum::body::Bytes,
    },
    Erased,
}

/// Entries kept at most; the cache is emptied when it is full.
const RESULT_CACHE_MAX: usize = 20_000;

impl ResultCache {
    /// A cache that stores only when `enabled`.
    pub fn new(enabled: bool) -> Self {
        ResultCache {
            enabled,
            entries: Default::default(),
        }
    }

    /// The cached body of `id` if it belongs to `app_id`.
    pub fn get(&self, id: &str, app_id: &str) -> Option<axum::body::Bytes> {
        let map = self.entries.read().ok()?;
        match map.get(id)? {
            Cached::Answer {
                app_id: owner,
                body,
            } => crate::ids::hashes_equal(owner, app_id).then(|| body.clone()),
            Cached::Erased => None,
        }
    }

    /// Remembers the body of a processed verification (not once it was erased).
    pub fn put(&self, id: &str, app_id: &str, body: axum::body::Bytes) {
        if !self.enabled {
            return;
        }
        if let Ok(mut map) = self.entries.write() {
            if matches!(map.get(id), Some(Cached::Erased)) {
                return;
            }
            if map.len() >= RESULT_CACHE_MAX {
                // Dropping tombstones too is safe: only a read already in flight during an
                // erasure could re-insert, and the cache is cleared rarely.
                map.clear();
            }
            map.insert(
                id.to_owned(),
                Cached::Answer {
                    app_id: app_id.to_owned(),
                    body,
                },
            );
        }
    }

    /// Forgets `id` for good (erased).
    pub fn remove(&self, id: &str) {
        if !self.enabled {
            return;
        }
        if let Ok(mut map) = self.entries.write() {
            map.insert(id.to_owned(), Cached::Erased);
        }
    }
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("public_base", &self.public_base)
            .finish_non_exhaustive()
    }
}

fn meta_context(id: &str) -> String {
    format!("verification:{id}:metadata")
}

fn answer_context(id: &str) -> String {
    format!("verification:{id}:result")
}

/// The file kinds a verification takes, in the order the Result lists them.
pub const KINDS: [&str; 3] = ["front", "back", "selfie"];

impl Service {
    /// Now, in Unix ms.
    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// `resultUrl` of a verification.
    pub fn result_url(&self, id: &str) -> String {
        format!("{}/verifications/results/{id}", self.public_base)
    }

    /// Seals the metadata of verification `id`.
    pub fn seal_meta(&self, id: &str, meta: &StoredMeta) -> Result<Vec<u8>, ServerError> {
        self.sealer
            .seal(&serde_json::to_vec(meta)?, &meta_context(id))
    }

    /// Opens the metadata of a row (default once erased).
    pub fn open_meta(&self, row: &VerificationRow) -> Result<StoredMeta, ServerError> {
        match &row.metadata {
            Some(sealed) => Ok(serde_json::from_slice(
                &self.sealer.open(sealed, &meta_context(&row.id))?,
            )?),
            None => Ok(StoredMeta::default()),
        }
    }

    /// Seals a final answer.
    pub fn seal_answer(&self, id: &str, answer: &StoredAnswer) -> Result<Vec<u8>, ServerError> {
        self.sealer
            .seal(&serde_json::to_vec(answer)?, &answer_context(id))
    }

    /// Opens the final answer of a row, if it has one.
    pub fn open_answer(&self, row: &VerificationRow) -> Result<Option<StoredAnswer>, ServerError> {
        match &row.result {
            Some(sealed) if row.status == "done" => Ok(Some(serde_json::from_slice(
                &self.sealer.open(sealed, &answer_context(&row.id))?,
            )?)),
            _ => Ok(None),
        }
    }

    /// The client's address: the peer, or — when the peer is a trusted proxy — the right-most
    /// `X-Forwarded-For` entry that is not itself a trusted proxy.
    pub fn client_ip(&self, peer: SocketAddr, forwarded_for: Option<&str>) -> IpAddr {
        let peer_ip = peer.ip();
        let trusted = |ip: IpAddr| self.trusted.iter().any(|n| n.contains(ip));
        if !trusted(peer_ip) {
            return peer_ip;
        }
        let Some(xff) = forwarded_for else {
            return peer_ip;
        };
        let mut client = peer_ip;
        for part in xff.rsplit(',') {
            match part.trim().parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip;
                    if !trusted(ip) {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        client
    }

    /// `metadata` for a call from `ip` with `user_agent`.
    pub fn metadata_for(&self, platform: &str, ip: IpAddr, user_agent: &str) -> Metadata {
        let (country, city) = self
            .geo
            .as_ref()
            .and_then(|g| g.lookup(ip))
            .unwrap_or_default();
        let ua: String = user_agent.chars().take(512).collect();
        Metadata {
            platform: platform.to_owned(),
            ip_address: ip.to_string(),
            country,
            city,
            user_agent: ua,
        }
    }

    /// The `documents` of the Result for these files.
    pub fn documents(&self, id: &str, files: &[FileRow]) -> Vec<DocumentGroup> {
        let file = |f: &FileRow| DocumentFile {
            kind: f.kind.clone(),
            media_type: f.media_type.clone(),
            uri: format!(
                "{}/verifications/results/{id}/files/{}",
                self.public_base, f.kind
            ),
        };
        let ordered = |kinds: &[&str]| -> Vec<DocumentFile> {
            kinds
                .iter()
                .filter_map(|k| files.iter().find(|f| f.kind == *k))
                .map(file)
                .collect()
        };
        let mut groups = Vec::new();
        let doc = ordered(&["front", "back"]);
        if !doc.is_empty() {
            groups.push(DocumentGroup {
                name: "document".into(),
                files: doc,
            });
        }
        let selfie = ordered(&["selfie"]);
        if !selfie.is_empty() {
            groups.push(DocumentGroup {
                name: "selfie".into(),
                files: selfie,
            });
        }
        groups
    }

    /// The Result of a verification that is not processed yet.
    pub fn pending_result(
        &self,
        row: &VerificationRow,
        meta: &StoredMeta,
        files: &[FileRow],
    ) -> VerificationResult {
        VerificationResult {
            results: Results {
                status: Decision::Pending,
                concerns: Vec::new(),
            },
            checks: Vec::new(),
            documents: self.documents(&row.id, files),
            metadata: meta.metadata.clone(),
            status: ProcessingStatus::Processing,
            attributes: Attributes {
                reference_id: meta.external_id.clone(),
                ..Attributes::default()
            },
            mrz: None,
            document_data_checking: Vec::new(),
        }
    }

    /// The signed token of the results answer: `{iss, id, iat, data}`.
    pub fn sign_result(&self, id: &str, data: &VerificationResult) -> Result<String, ServerError> {
        #[derive(Serialize)]
        struct Claims<'a> {
            iss: &'a str,
            id: &'a str,
            iat: i64,
            data: &'a VerificationResult,
        }
        self.keys.active()?.sign_jwt(&Claims {
            iss: &self.config.issuer,
            id,
            iat: self.clock.now_secs(),
            data,
        })
    }

    /// The signed token of the callback object: `{resultUrl, id, iss, iat}`.
    pub fn sign_callback(&self, id: &str) -> Result<String, ServerError> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Claims<'a> {
            result_url: &'a str,
            id: &'a str,
            iss: &'a str,
            iat: i64,
        }
        self.keys.active()?.sign_jwt(&Claims {
            result_url: &self.result_url(id),
            id,
            iss: &self.config.issuer,
            iat: self.clock.now_secs(),
        })
    }

    /// The callback object (`ocr`) of a processed verification.
    pub fn callback(&self, id: &str, answer: &StoredAnswer) -> OcrCallback {
        OcrCallback {
            application_status: answer.data.results.status,
            result_url: self.result_url(id),
            id: id.to_owned(),
            signed: answer.callback_signed.clone(),
            data: CallbackData {
                status: answer.data.status,
                attributes: answer.data.attributes.clone(),
            },
        }
    }

    /// Queues an audit event without waiting (result reads: hot path, batched).
    pub fn audit_later(&self, id: &str, event: &str, actor: &str) {
        let e = AuditEvent {
            at: self.now(),
            event: event.to_owned(),
            actor: actor.to_owned(),
            detail: String::new(),
        };
        if self.audit_tx.try_send((id.to_owned(), e)).is_err() {
            tracing::warn!(verification = id, "audit queue full; event dropped");
        }
    }

    /// Erases a verification's images and personal data; keeps the id, the decision and the
    /// audit trail. Returns `false` when it was already erased.
    pub async fn erase(
        &self,
        row: &VerificationRow,
        event: &str,
        actor: &str,
    ) -> Result<bool, ServerError> {
        let stripped = match self.open_answer(row)? {
            Some(answer) => {
                let mut data = answer.data;
                data.results.concerns.clear();
                data.documents.clear();
                data.metadata = Metadata::default();
                data.attributes = Attributes::default();
                data.mrz = None;
                data.document_data_checking.clear();
                let signed = self.sign_result(&row.id, &data)?;
                let kept = StoredAnswer {
                    data,
                    signed,
                    callback_signed: answer.callback_signed,
                };
                Some(self.seal_answer(&row.id, &kept)?)
            }
            None => None,
        };
        let blobs = self
            .store
            .erase(&row.id, stripped.as_deref(), self.now(), event, actor)
            .await?;
        // After the commit: a read that raced with the erasure cannot leave the old answer.
        self.result_cache.remove(&row.id);
        match blobs {
            Some(blobs) => {
                for b in blobs {
                    self.blobs.delete(&b).await?;
                }
                Ok(true)
            }
            None => Ok(false),
        }
    }
}
