//! Storage: the one SQL adapter, over `sqlx::Any`, for embedded SQLite and PostgreSQL. Queries
//! are written once with `$n` placeholders (both engines accept them); the few dialect
//! differences (`FOR UPDATE SKIP LOCKED`, the schema's column types) are in `Backend`.
//!
//! Every transaction starts with a write, so SQLite takes its write lock first and waits for it
//! (busy timeout) instead of failing on a lock upgrade.

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};

use crate::config::DatabaseUrl;
use crate::error::ServerError;
use crate::ids::KeyKind;

/// Which database engine the store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite (one file).
    Sqlite,
    /// PostgreSQL (shared by several server processes).
    Postgres,
}

impl Backend {
    fn skip_locked(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    fn migrations(self) -> &'static [(i64, &'static str)] {
        match self {
            Backend::Sqlite => &[
                (1, include_str!("../migrations/sqlite/0001_initial.sql")),
                (2, include_str!("../migrations/sqlite/0002_app_origins.sql")),
                (3, include_str!("../migrations/sqlite/0003_operators.sql")),
            ],
            Backend::Postgres => &[
                (1, include_str!("../migrations/postgres/0001_initial.sql")),
                (
                    2,
                    include_str!("../migrations/postgres/0002_app_origins.sql"),
                ),
                (3, include_str!("../migrations/postgres/0003_operators.sql")),
            ],
        }
    }
}

/// The database.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
}

/// An application as listed by `idverify apps list`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The app id.
    pub app_id: String,
    /// Its name.
    pub name: String,
    /// Its webhook URL, if any.
    pub webhook_url: Option<String>,
    /// Creation time (Unix ms).
    pub created_at: i64,
}

/// A stored API key, found by its hash.
#[derive(Debug, Clone)]
pub struct KeyRow {
    /// SHA-256 hex of the key.
    pub hash: String,
    /// The application it belongs to.
    pub app_id: String,
    /// Publishable or secret.
    pub kind: KeyKind,
}

/// A verification row.
#[derive(Debug, Clone)]
pub struct VerificationRow {
    /// Id.
    pub id: String,
    /// Owning application.
    pub app_id: String,
    /// SHA-256 hex of its token.
    pub token_hash: String,
    /// `created`, `processing`, `done` or `failed`.
    pub status: String,
    /// `pending`, `approved`, `declined`, `needs-review`.
    pub decision: String,
    /// `web`, `ios`, `android`, `api`.
    pub platform: String,
    /// Sealed metadata (`None` once erased).
    pub metadata: Option<Vec<u8>>,
    /// Sealed final answer (`None` until processed).
    pub result: Option<Vec<u8>>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Erasure time, once erased.
    pub erased_at: Option<i64>,
}

/// A stored file (its bytes are in the blob store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    /// `front`, `back`, `selfie`.
    pub kind: String,
    /// e.g. `image/jpeg`.
    pub media_type: String,
    /// Size of the original upload.
    pub bytes: i64,
    /// Blob name.
    pub blob: String,
}

/// What a submit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// Queued for processing.
    Queued,
    /// It was submitted before.
    AlreadySubmitted,
    /// No front image was uploaded.
    NoFront,
    /// The verification is gone.
    Missing,
}

/// What an upload did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadOutcome {
    /// Stored; the blob it replaced, if any, is to be deleted.
    Stored {
        /// The replaced blob.
        replaced: Option<String>,
    },
    /// The verification was already submitted.
    AlreadySubmitted,
}

/// A claimed job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedJob {
    /// The verification to process.
    pub verification_id: String,
    /// How many times it has been claimed, this time included.
    pub attempts: i64,
}

/// The outcome a worker writes.
#[derive(Debug, Clone)]
pub enum JobOutcome {
    /// Processed: the decision, the sealed answer and the webhook to deliver.
    Done {
        /// e.g. `approved`.
        decision: String,
        /// Sealed stored answer.
        result: Vec<u8>,
        /// The webhook delivery to enqueue, if the app has a webhook.
        webhook: Option<NewDelivery>,
    },
    /// Processing failed for good.
    Failed {
        /// Sealed stored answer (metadata of the failure, no personal data).
        result: Vec<u8>,
    },
}

/// A webhook delivery to enqueue.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    /// Delivery id.
    pub id: String,
    /// Application.
    pub app_id: String,
    /// Target URL.
    pub url: String,
    /// Sealed body.
    pub body: Vec<u8>,
}

/// A claimed webhook delivery.
#[derive(Debug, Clone)]
pub struct DeliveryRow {
    /// Delivery id.
    pub id: String,
    /// Verification.
    pub verification_id: String,
    /// Target URL.
    pub url: String,
    /// Sealed body.
    pub body: Vec<u8>,
    /// Attempts made before this one.
    pub attempts: i64,
    /// When the delivery was created (Unix ms).
    pub created_at: i64,
}

/// One recorded webhook attempt.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttemptRow {
    /// 1-based attempt number.
    pub attempt: i64,
    /// When (Unix ms).
    pub at: i64,
    /// HTTP status, if an answer came.
    pub status_code: Option<i64>,
    /// Transport error, if none came.
    pub error: Option<String>,
    /// Duration of the attempt.
    pub duration_ms: i64,
}

/// One audit event.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEvent {
    /// When (Unix ms).
    pub at: i64,
    /// `created`, `file-uploaded`, `submitted`, `processed`, `failed`, `result-read`,
    /// `deleted`, `purged`.
    pub event: String,
    /// Who: a key id (`key_…`), `token` or `system`.
    pub actor: String,
    /// Non-personal detail (a file kind, a decision).
    pub detail: String,
}

/// A stored signing key.
#[derive(Debug, Clone)]
pub struct SigningKeyRow {
    /// Key id.
    pub kid: String,
    /// Sealed private scalar.
    pub private_key: Vec<u8>,
    /// Public x (base64url).
    pub x: String,
    /// Public y (base64url).
    pub y: String,
    /// Creation time.
    pub created_at: i64,
    /// When it stopped signing.
    pub retired_at: Option<i64>,
}

pub(crate) fn get<'r, T>(row: &'r AnyRow, col: &str) -> Result<T, ServerError>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get(col).map_err(ServerError::Database)
}

impl Store {
    /// Connects and runs the migrations.
    pub async fn connect(url: &DatabaseUrl, max_connections: u32) -> Result<Self, ServerError> {
        sqlx::any::install_default_drivers();
        let backend = if url.is_postgres() {
            Backend::Postgres
        } else if url.0.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(ServerError::Config(format!(
                "unsupported database URL {}",
                url.redacted()
            )));
        };
        let mut options = AnyPoolOptions::new().max_connections(max_connections.max(1));
        if backend == Backend::Sqlite {
            options = options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; \
                         PRAGMA busy_timeout=15000;",
                    )
                    .await?;
                    Ok(())
                })
            });
        }
        let pool = options.connect(&url.0).await?;
        let store = Store { pool, backend };
        store.migrate().await?;
        Ok(store)
    }

    /// The engine.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn migrate(&self) -> Result<(), ServerError> {
        let mut conn = self.pool.acquire().await?;
        if self.backend == Backend::Postgres {
            // Several processes may start at once: one migrates, the others wait.
            sqlx::query("SELECT pg_advisory_lock(7243901)")
                .execute(&mut *conn)
                .await?;
        }
        let result = async {
            sqlx::raw_sql(
                "CREATE TABLE IF NOT EXISTS idverify_migrations \
                 (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
            )
            .execute(&mut *conn)
            .await?;
            for (version, sql) in self.backend.migrations() {
                let done =
                    sqlx::query("SELECT version FROM idverify_migrations WHERE version = $1")
                        .bind(*version)
                        .fetch_optional(&mut *conn)
                        .await?;
                if done.is_none() {
                    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
                    sqlx::raw_sql(sql).execute(&mut *tx).await?;
                    sqlx::query(
                        "INSERT INTO idverify_migrations (version, applied_at) VALUES ($1, 0)",
                    )
                    .bind(*version)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                }
            }
            Ok::<(), sqlx::Error>(())
        }
        .await;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_unlock(7243901)")
                .execute(&mut *conn)
                .await?;
        }
        result.map_err(ServerError::Database)
    }

    // ---- applications and keys ----

    /// Creates an application with its two keys (given as hashes).
    pub async fn create_app(
        &self,
        app_id: &str,
        name: &str,
        webhook_url: Option<&str>,
        publishable_hash: &str,
        secret_hash: &str,
        now: i64,
    ) -> Result<(), ServerError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO applications (id, name, webhook_url, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(app_id)
        .bind(name)
        .bind(webhook_url)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for (hash, kind) in [
            (publishable_hash, KeyKind::Publishable),
            (secret_hash, KeyKind::Secret),
        ] {
            sqlx::query(
                "INSERT INTO api_keys (hash, app_id, kind, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(hash)
            .bind(app_id)
            .bind(kind.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every application that is not deleted.
    pub async fn list_apps(&self) -> Result<Vec<AppInfo>, ServerError> {
        let rows = sqlx::query(
            "SELECT id, name, webhook_url, created_at FROM applications \
             WHERE deleted_at IS NULL ORDER BY created_at, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AppInfo {
                    app_id: get(r, "id")?,
                    name: get(r, "name")?,
                    webhook_url: get(r, "webhook_url")?,
                    created_at: get(r, "created_at")?,
                })
            })
            .collect()
    }

    /// Replaces the application's keys of `kind` by a new one; `false` if no such app.
    pub async fn rotate_key(
        &self,
        app_id: &str,
        kind: KeyKind,
        new_hash: &str,
        now: i64,
    ) -> Result<bool, ServerError> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query(
            "UPDATE api_keys SET revoked_at = $3 WHERE app_id = $1 AND kind = $2 \
             AND revoked_at IS NULL",
        )
        .bind(app_id)
        .bind(kind.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let exists =
            sqlx::query("SELECT id FROM applications WHERE id = $1 AND deleted_at IS NULL")
                .bind(app_id)
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
        if !exists {
            tx.rollback().await?;
            return Ok(false);
        }
        let _ = n;
        sqlx::query(
            "INSERT INTO api_keys (hash, app_id, kind, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(new_hash)
        .bind(app_id)
        .bind(kind.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Deletes an application (its keys stop working); `false` if no such app.
    pub async fn delete_app(&self, app_id: &str, now: i64) -> Result<bool, ServerError> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query(
            "UPDATE applications SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(app_id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query("UPDATE api_keys SET revoked_at = $2 WHERE app_id = $1 AND revoked_at IS NULL")
            .bind(app_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    /// The live key with this hash.
    pub async fn find_key(&self, hash: &str) -> Result<Option<KeyRow>, ServerError> {
        let row = sqlx::query(
            "SELECT k.hash, k.app_id, k.kind FROM api_keys k JOIN applications a ON a.id = k.app_id \
             WHERE k.hash = $1 AND k.revoked_at IS NULL AND a.deleted_at IS NULL",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            None => Ok(None),
            Some(r) => {
                let kind: String = get(&r, "kind")?;
                Ok(Some(KeyRow {
                    hash: get(&r, "hash")?,
                    app_id: get(&r, "app_id")?,
                    kind: KeyKind::parse(&kind)
                        .ok_or_else(|| ServerError::Corrupt(format!("key kind {kind:?}")))?,
                }))
            }
        }
    }

    /// The application's webhook URL.
    pub async fn app_webhook(&self, app_id: &str) -> Result<Option<String>, ServerError> {
        let row = sqlx::query("SELECT webhook_url FROM applications WHERE id = $1")
            .bind(app_id)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => get(&r, "webhook_url"),
            None => Ok(None),
        }
    }

    // ---- verifications ----

    /// Inserts a new verification (status `created`) and its `created` audit event.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_verification(
        &self,
        id: &str,
        app_id: &str,
        token_hash: &str,
        platform: &str,
        metadata: &[u8],
        now: i64,
        actor: &str,
    ) -> Result<(), ServerError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO verifications (id, app_id, token_hash, status, decision, platform, \
             metadata, created_at) VALUES ($1, $2, $3, 'created', 'pending', $4, $5, $6)",
        )
        .bind(id)
        .bind(app_id)
        .bind(token_hash)
        .bind(platform)
        .bind(metadata)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        insert_audit(&mut tx, id, now, "created", actor, platform).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The verification with this id.
    pub async fn verification(&self, id: &str) -> Result<Option<VerificationRow>, ServerError> {
        let row = sqlx::query(
            "SELECT id, app_id, token_hash, status, decision, platform, metadata, result, \
             created_at, erased_at FROM verifications WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(VerificationRow {
                id: get(&r, "id")?,
                app_id: get(&r, "app_id")?,
                token_hash: get(&r, "token_hash")?,
                status: get(&r, "status")?,
                decision: get(&r, "decision")?,
                platform: get(&r, "platform")?,
                metadata: get(&r, "metadata")?,
                result: get(&r, "result")?,
                created_at: get(&r, "created_at")?,
                erased_at: get(&r, "erased_at")?,
            })
        })
        .transpose()
    }

    /// Records an uploaded file, replacing one of the same kind, while the verification is
    /// still open.
    #[allow(clippy::too_many_arguments)]
    pub async fn put_file(
        &self,
        id: &str,
        kind: &str,
        media_type: &str,
        bytes: i64,
        blob: &str,
        metadata: &[u8],
        now: i64,
    ) -> Result<UploadOutcome, ServerError> {
        let mut tx = self.pool.begin().await?;
        let open = sqlx::query(
            "UPDATE verifications SET metadata = $2 WHERE id = $1 AND status = 'created' \
             AND erased_at IS NULL",
        )
        .bind(id)
        .bind(metadata)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if open == 0 {
            tx.rollback().await?;
            return Ok(UploadOutcome::AlreadySubmitted);
        }
        let old = sqlx::query("SELECT blob FROM files WHERE verification_id = $1 AND kind = $2")
            .bind(id)
            .bind(kind)
            .fetch_optional(&mut *tx)
            .await?;
        let replaced: Option<String> = match old {
            Some(r) => Some(get(&r, "blob")?),
            None => None,
        };
        sqlx::query(
            "INSERT INTO files (verification_id, kind, media_type, bytes, blob, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (verification_id, kind) DO UPDATE SET \
             media_type = excluded.media_type, bytes = excluded.bytes, blob = excluded.blob, \
             uploaded_at = excluded.uploaded_at",
        )
        .bind(id)
        .bind(kind)
        .bind(media_type)
        .bind(bytes)
        .bind(blob)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        insert_audit(&mut tx, id, now, "file-uploaded", "token", kind).await?;
        tx.commit().await?;
        Ok(UploadOutcome::Stored { replaced })
    }

    /// The verification's files.
    pub async fn files(&self, id: &str) -> Result<Vec<FileRow>, ServerError> {
        let rows = sqlx::query(
            "SELECT kind, media_type, bytes, blob FROM files WHERE verification_id = $1 \
             ORDER BY kind",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(FileRow {
                    kind: get(r, "kind")?,
                    media_type: get(r, "media_type")?,
                    bytes: get(r, "bytes")?,
                    blob: get(r, "blob")?,
                })
            })
            .collect()
    }

    /// Submits: status `processing` and a queued job, in one transaction.
    pub async fn submit(
        &self,
        id: &str,
        metadata: &[u8],
        now: i64,
    ) -> Result<SubmitOutcome, ServerError> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query(
            "UPDATE verifications SET status = 'processing', submitted_at = $2, metadata = $3 \
             WHERE id = $1 AND status = 'created' AND erased_at IS NULL AND EXISTS \
             (SELECT 1 FROM files WHERE verification_id = $1 AND kind = 'front')",
        )
        .bind(id)
        .bind(now)
        .bind(metadata)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            let row = sqlx::query("SELECT status, erased_at FROM verifications WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            tx.rollback().await?;
            return Ok(match row {
                None => SubmitOutcome::Missing,
                Some(r) => {
                    let status: String = get(&r, "status")?;
                    let erased: Option<i64> = get(&r, "erased_at")?;
                    if erased.is_some() {
                        SubmitOutcome::Missing
                    } else if status == "created" {
                        SubmitOutcome::NoFront
                    } else {
                        SubmitOutcome::AlreadySubmitted
                    }
                }
            });
        }
        sqlx::query(
            "INSERT INTO jobs (verification_id, state, attempts, created_at) \
             VALUES ($1, 'queued', 0, $2)",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        insert_audit(&mut tx, id, now, "submitted", "token", "").await?;
        tx.commit().await?;
        Ok(SubmitOutcome::Queued)
    }

    // ---- job queue ----

    /// Claims the oldest queued job, or one whose lease expired.
    pub async fn claim_job(
        &self,
        worker: &str,
        now: i64,
        lease_ms: i64,
    ) -> Result<Option<ClaimedJob>, ServerError> {
        let sql = format!(
            "UPDATE jobs SET state = 'running', locked_by = $1, locked_until = $2, \
             attempts = attempts + 1 WHERE verification_id = (SELECT verification_id FROM jobs \
             WHERE state = 'queued' OR (state = 'running' AND locked_until < $3) \
             ORDER BY created_at LIMIT 1{}) RETURNING verification_id, attempts",
            self.backend.skip_locked()
        );
        let row = sqlx::query(&sql)
            .bind(worker)
            .bind(now + lease_ms)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(ClaimedJob {
                verification_id: get(&r, "verification_id")?,
                attempts: get(&r, "attempts")?,
            })
        })
        .transpose()
    }

    /// Extends a claimed job's lease; `false` if another worker took it over.
    pub async fn renew_lease(
        &self,
        id: &str,
        worker: &str,
        until: i64,
    ) -> Result<bool, ServerError> {
        let n = sqlx::query(
            "UPDATE jobs SET locked_until = $3 WHERE verification_id = $1 AND locked_by = $2 \
             AND state = 'running'",
        )
        .bind(id)
        .bind(worker)
        .bind(until)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Puts a claimed job back in the queue after a system error.
    pub async fn release_job(&self, id: &str, worker: &str) -> Result<(), ServerError> {
        sqlx::query(
            "UPDATE jobs SET state = 'queued', locked_by = NULL, locked_until = NULL \
             WHERE verification_id = $1 AND locked_by = $2 AND state = 'running'",
        )
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Writes a job's outcome exactly once: only the first writer moves the verification out of
    /// `processing`, records the audit event and enqueues the webhook. Returns whether this
    /// call wrote it.
    pub async fn finish_job(
        &self,
        id: &str,
        worker: &str,
        outcome: JobOutcome,
        now: i64,
    ) -> Result<bool, ServerError> {
        let mut tx = self.pool.begin().await?;
        let (status, decision, result) = match &outcome {
            JobOutcome::Done {
                decision, result, ..
            } => ("done", decision.as_str(), result.as_slice()),
            JobOutcome::Failed { result } => ("failed", "pending", result.as_slice()),
        };
        let n = sqlx::query(
            "UPDATE verifications SET status = $2, decision = $3, result = $4, processed_at = $5 \
             WHERE id = $1 AND status = 'processing' AND erased_at IS NULL",
        )
        .bind(id)
        .bind(status)
        .bind(decision)
        .bind(result)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 1 {
            if let JobOutcome::Done {
                webhook: Some(d), ..
            } = &outcome
            {
                sqlx::query(
                    "INSERT INTO webhook_deliveries (id, verification_id, app_id, url, body, \
                     state, attempts, next_attempt_at, created_at) \
                     VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6) \
                     ON CONFLICT (verification_id) DO NOTHING",
                )
                .bind(&d.id)
                .bind(id)
                .bind(&d.app_id)
                .bind(&d.url)
                .bind(&d.body)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            let event = if status == "done" {
                "processed"
            } else {
                "failed"
            };
            insert_audit(&mut tx, id, now, event, "system", decision).await?;
        }
        sqlx::query(
            "UPDATE jobs SET state = 'done', finished_at = $2, locked_by = $3, \
             locked_until = NULL WHERE verification_id = $1",
        )
        .bind(id)
        .bind(now)
        .bind(worker)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    /// A job's state, claim count and the worker that holds or finished it (tests and
    /// diagnostics).
    pub async fn job_attempts(
        &self,
        id: &str,
    ) -> Result<Option<(String, i64, Option<String>)>, ServerError> {
        let row =
            sqlx::query("SELECT state, attempts, locked_by FROM jobs WHERE verification_id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| {
            Ok((
                get(&r, "state")?,
                get(&r, "attempts")?,
                get(&r, "locked_by")?,
            ))
        })
        .transpose()
    }

    /// Counts of jobs by state (for `/metrics`).
    pub async fn job_counts(&self) -> Result<Vec<(String, i64)>, ServerError> {
        let rows = sqlx::query("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((get(r, "state")?, get(r, "n")?)))
            .collect()
    }

    /// A cheap query proving the database answers (`/healthz`).
    pub async fn ping(&self) -> Result<(), ServerError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    // ---- webhooks ----

    /// Claims a due webhook delivery for `lease_ms`.
    pub async fn claim_delivery(
        &self,
        now: i64,
        lease_ms: i64,
    ) -> Result<Option<DeliveryRow>, ServerError> {
        let sql = format!(
            "UPDATE webhook_deliveries SET locked_until = $2 WHERE id = (SELECT id FROM \
             webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= $1 AND \
             (locked_until IS NULL OR locked_until < $1) ORDER BY next_attempt_at LIMIT 1{}) \
             RETURNING id, verification_id, url, body, attempts, created_at",
            self.backend.skip_locked()
        );
        let row = sqlx::query(&sql)
            .bind(now)
            .bind(now + lease_ms)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(DeliveryRow {
                id: get(&r, "id")?,
                verification_id: get(&r, "verification_id")?,
                url: get(&r, "url")?,
                body: get(&r, "body")?,
                attempts: get(&r, "attempts")?,
                created_at: get(&r, "created_at")?,
            })
        })
        .transpose()
    }

    /// Records one attempt and the delivery's next state (`pending`, `delivered`, `failed`).
    /// A delivery whose lease was cleared while the attempt was in flight was re-armed with a
    /// new body (a manual decision in the console): it stays due, and only the attempt count
    /// moves on.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_attempt(
        &self,
        delivery_id: &str,
        attempt: &AttemptRow,
        next_state: &str,
        next_attempt_at: i64,
    ) -> Result<(), ServerError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE webhook_deliveries SET \
             attempts = CASE WHEN attempts < $2 THEN $2 ELSE attempts END, \
             state = CASE WHEN locked_until IS NULL THEN state ELSE $3 END, \
             next_attempt_at = CASE WHEN locked_until IS NULL THEN next_attempt_at ELSE $4 END, \
             locked_until = NULL WHERE id = $1",
        )
        .bind(delivery_id)
        .bind(attempt.attempt)
        .bind(next_state)
        .bind(next_attempt_at)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, \
             duration_ms) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (delivery_id, attempt) DO NOTHING",
        )
        .bind(delivery_id)
        .bind(attempt.attempt)
        .bind(attempt.at)
        .bind(attempt.status_code)
        .bind(attempt.error.as_deref())
        .bind(attempt.duration_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The webhook deliveries of a verification and their attempts.
    pub async fn webhook_attempts(
        &self,
        verification_id: &str,
    ) -> Result<Vec<(String, String, Vec<AttemptRow>)>, ServerError> {
        let rows = sqlx::query(
            "SELECT id, state FROM webhook_deliveries WHERE verification_id = $1 ORDER BY id",
        )
        .bind(verification_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let id: String = get(r, "id")?;
            let state: String = get(r, "state")?;
            let attempts = sqlx::query(
                "SELECT attempt, at, status_code, error, duration_ms FROM webhook_attempts \
                 WHERE delivery_id = $1 ORDER BY attempt",
            )
            .bind(&id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|a| {
                Ok(AttemptRow {
                    attempt: get(a, "attempt")?,
                    at: get(a, "at")?,
                    status_code: get(a, "status_code")?,
                    error: get(a, "error")?,
                    duration_ms: get(a, "duration_ms")?,
                })
            })
            .collect::<Result<Vec<_>, ServerError>>()?;
            out.push((id, state, attempts));
        }
        Ok(out)
    }

    // ---- audit ----

    /// Appends audit events in one transaction.
    pub async fn audit_batch(&self, events: &[(String, AuditEvent)]) -> Result<(), ServerError> {
        if events.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        for (id, e) in events {
            insert_audit(&mut tx, id, e.at, &e.event, &e.actor, &e.detail).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A verification's audit trail, oldest first.
    pub async fn audit_trail(&self, id: &str) -> Result<Vec<AuditEvent>, ServerError> {
        let rows = sqlx::query(
            "SELECT at, event, actor, detail FROM audit_events WHERE verification_id = $1 \
             ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEvent {
                    at: get(r, "at")?,
                    event: get(r, "event")?,
                    actor: get(r, "actor")?,
                    detail: get(r, "detail")?,
                })
            })
            .collect()
    }

    // ---- erasure ----

    /// Erases a verification's personal data: metadata, files (returned, for the blob store
    /// to delete) and any undelivered webhook body; stores the stripped answer.
    pub async fn erase(
        &self,
        id: &str,
        stripped: Option<&[u8]>,
        now: i64,
        event: &str,
        actor: &str,
    ) -> Result<Option<Vec<String>>, ServerError> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query(
            "UPDATE verifications SET metadata = NULL, result = $2, erased_at = $3 \
             WHERE id = $1 AND erased_at IS NULL",
        )
        .bind(id)
        .bind(stripped)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            tx.rollback().await?;
            return Ok(None);
        }
        let blobs = sqlx::query("SELECT blob FROM files WHERE verification_id = $1")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| get::<String>(r, "blob"))
            .collect::<Result<Vec<_>, _>>()?;
        sqlx::query("DELETE FROM files WHERE verification_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE webhook_deliveries SET body = $2, state = CASE WHEN state = 'pending' \
             THEN 'cancelled' ELSE state END WHERE verification_id = $1",
        )
        .bind(id)
        .bind(Vec::<u8>::new())
        .execute(&mut *tx)
        .await?;
        // A job still queued would process nothing: close it.
        sqlx::query(
            "UPDATE jobs SET state = 'done', finished_at = $2 WHERE verification_id = $1 \
             AND state <> 'done'",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        insert_audit(&mut tx, id, now, event, actor, "").await?;
        tx.commit().await?;
        Ok(Some(blobs))
    }

    /// Ids of verifications created before `before` and not yet erased (at most `limit`).
    pub async fn expired(&self, before: i64, limit: i64) -> Result<Vec<String>, ServerError> {
        let rows = sqlx::query(
            "SELECT id FROM verifications WHERE created_at < $1 AND erased_at IS NULL \
             ORDER BY created_at LIMIT $2",
        )
        .bind(before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| get(r, "id")).collect()
    }

    // ---- signing keys ----

    /// Stores a new signing key and retires the others.
    pub async fn add_signing_key(&self, row: &SigningKeyRow) -> Result<(), ServerError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL")
            .bind(row.created_at)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO signing_keys (kid, private_key, x, y, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&row.kid)
        .bind(&row.private_key)
        .bind(&row.x)
        .bind(&row.y)
        .bind(row.created_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every signing key, oldest first.
    pub async fn signing_keys(&self) -> Result<Vec<SigningKeyRow>, ServerError> {
        let rows = sqlx::query(
            "SELECT kid, private_key, x, y, created_at, retired_at FROM signing_keys \
             ORDER BY created_at, kid",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SigningKeyRow {
                    kid: get(r, "kid")?,
                    private_key: get(r, "private_key")?,
                    x: get(r, "x")?,
                    y: get(r, "y")?,
                    created_at: get(r, "created_at")?,
                    retired_at: get(r, "retired_at")?,
                })
            })
            .collect()
    }
}

pub(crate) async fn insert_audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: &str,
    at: i64,
    event: &str,
    actor: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_events (verification_id, at, event, actor, detail) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(at)
    .bind(event)
    .bind(actor)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

// ---- allowed origins of the browser flow (CORS, see flow.rs) ----

impl Store {
    /// The origins an application allows (normalised, see `flow::normalize_origin`).
    pub async fn app_origins(&self, app_id: &str) -> Result<Vec<String>, ServerError> {
        let rows = sqlx::query("SELECT origin FROM app_origins WHERE app_id = $1 ORDER BY origin")
            .bind(app_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| get(r, "origin")).collect()
    }

    /// Replaces the origins an application allows; false when there is no such live app.
    pub async fn set_app_origins(
        &self,
        app_id: &str,
        origins: &[String],
    ) -> Result<bool, ServerError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM app_origins WHERE app_id = $1")
            .bind(app_id)
            .execute(&mut *tx)
            .await?;
        let live = sqlx::query("SELECT id FROM applications WHERE id = $1 AND deleted_at IS NULL")
            .bind(app_id)
            .fetch_optional(&mut *tx)
            .await?;
        if live.is_none() {
            tx.rollback().await?;
            return Ok(false);
        }
        for o in origins {
            sqlx::query("INSERT INTO app_origins (app_id, origin) VALUES ($1, $2)")
                .bind(app_id)
                .bind(o)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Whether some live application allows `origin` (answers CORS preflights, which carry
    /// no key).
    pub async fn origin_allowed_by_any_app(&self, origin: &str) -> Result<bool, ServerError> {
        let row = sqlx::query(
            "SELECT o.app_id FROM app_origins o JOIN applications a ON a.id = o.app_id \
             WHERE a.deleted_at IS NULL AND (o.origin = $1 OR o.origin = '*') LIMIT 1",
        )
        .bind(origin)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }
}
