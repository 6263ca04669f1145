//! The console's SQL: operators, their set-up tokens and sessions, manual reviews, the index of
//! concern codes, the queue and the overview's figures. Same adapter and dialect rules as
//! [`crate::store`].

use crate::error::ServerError;
use crate::store::{NewDelivery, Store, get, insert_audit};

/// A stored operator.
#[derive(Debug, Clone)]
pub struct OperatorRow {
    /// Opaque id.
    pub id: String,
    /// Lower-case e-mail address.
    pub email: String,
    /// `reviewer` or `admin`.
    pub role: String,
    /// Argon2id PHC string, once set up.
    pub password_hash: Option<String>,
    /// Sealed TOTP secret, when the second factor is on.
    pub totp_secret: Option<Vec<u8>>,
    /// Wrong passwords in a row.
    pub failed_logins: i64,
    /// Locked until (Unix ms).
    pub locked_until: Option<i64>,
    /// Creation time.
    pub created_at: i64,
    /// Set when an admin removed the operator.
    pub disabled_at: Option<i64>,
}

/// One verification in the console's list.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueItem {
    /// Verification id.
    pub id: String,
    /// Owning application.
    pub app_id: String,
    /// Its name.
    pub app_name: String,
    /// Processing status.
    pub status: String,
    /// Decision.
    pub decision: String,
    /// Created (Unix ms).
    pub created_at: i64,
    /// Processed (Unix ms).
    pub processed_at: Option<i64>,
    /// Whether its personal data was erased.
    pub erased: bool,
    /// Its concern codes (once indexed).
    pub concerns: Vec<String>,
}

/// Filters of the console's list; empty strings and the bounds' extremes filter nothing.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// Decision (`needs-review`, …).
    pub decision: String,
    /// App id.
    pub app_id: String,
    /// Created at or after (Unix ms).
    pub from: i64,
    /// Created before (Unix ms).
    pub to: i64,
    /// Concern code.
    pub concern: String,
    /// At most this many rows.
    pub limit: i64,
}

/// A manual decision, as the review page lists it.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewRow {
    /// The operator's e-mail.
    pub operator: String,
    /// `approved` or `declined`.
    pub decision: String,
    /// Why.
    pub reason: String,
    /// When (Unix ms).
    pub at: i64,
}

/// One line of the console's audit view.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditLine {
    /// The verification, or `""` for an action on the deployment.
    pub verification_id: String,
    /// When (Unix ms).
    pub at: i64,
    /// What.
    pub event: String,
    /// Who.
    pub actor: String,
    /// Non-personal detail.
    pub detail: String,
}

/// A manual decision to write.
#[derive(Debug, Clone)]
pub struct NewReview<'a> {
    /// Verification.
    pub verification_id: &'a str,
    /// Operator id.
    pub operator_id: &'a str,
    /// Audit actor (`operator:<email>`).
    pub actor: &'a str,
    /// `approved` or `declined`.
    pub decision: &'a str,
    /// Why.
    pub reason: &'a str,
    /// The re-sealed answer with the new status.
    pub result: &'a [u8],
    /// The webhook delivery to (re-)issue.
    pub webhook: Option<NewDelivery>,
    /// Now.
    pub now: i64,
}

const OPERATOR_COLUMNS: &str = "id, email, role, password_hash, totp_secret, failed_logins, \
    locked_until, created_at, disabled_at";

fn operator_row(r: &sqlx::any::AnyRow) -> Result<OperatorRow, ServerError> {
    Ok(OperatorRow {
        id: get(r, "id")?,
        email: get(r, "email")?,
        role: get(r, "role")?,
        password_hash: get(r, "password_hash")?,
        totp_secret: get(r, "totp_secret")?,
        failed_logins: get(r, "failed_logins")?,
        locked_until: get(r, "locked_until")?,
        created_at: get(r, "created_at")?,
        disabled_at: get(r, "disabled_at")?,
    })
}

impl Store {
    // ---- operators ----

    /// Creates an operator and its set-up token; `false` when the e-mail is taken.
    pub async fn create_operator(
        &self,
        id: &str,
        email: &str,
        role: &str,
        setup_hash: &str,
        setup_expires_at: i64,
        now: i64,
    ) -> Result<bool, ServerError> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query(
            "INSERT INTO operators (id, email, role, failed_logins, created_at) \
             VALUES ($1, $2, $3, 0, $4) ON CONFLICT (email) DO NOTHING",
        )
        .bind(id)
        .bind(email)
        .bind(role)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO operator_setup_tokens (hash, operator_id, expires_at) VALUES ($1, $2, $3)",
        )
        .bind(setup_hash)
        .bind(id)
        .bind(setup_expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Issues a new set-up token for an existing, enabled operator (password reset by an
    /// admin); `false` when there is no such operator.
    pub async fn new_setup_token(
        &self,
        operator_id: &str,
        setup_hash: &str,
        expires_at: i64,
    ) -> Result<bool, ServerError> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query(
            "INSERT INTO operator_setup_tokens (hash, operator_id, expires_at) \
             SELECT $1, id, $3 FROM operators WHERE id = $2 AND disabled_at IS NULL",
        )
        .bind(setup_hash)
        .bind(operator_id)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(n == 1)
    }

    /// The operator with this e-mail address.
    pub async fn operator_by_email(&self, email: &str) -> Result<Option<OperatorRow>, ServerError> {
        let sql = format!("SELECT {OPERATOR_COLUMNS} FROM operators WHERE email = $1");
        let row = sqlx::query(&sql)
            .bind(email)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(operator_row).transpose()
    }

    /// The operator with this id.
    pub async fn operator(&self, id: &str) -> Result<Option<OperatorRow>, ServerError> {
        let sql = format!("SELECT {OPERATOR_COLUMNS} FROM operators WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(operator_row).transpose()
    }

    /// Every operator, oldest first.
    pub async fn list_operators(&self) -> Result<Vec<OperatorRow>, ServerError> {
        let sql = format!("SELECT {OPERATOR_COLUMNS} FROM operators ORDER BY created_at, email");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(operator_row).collect()
    }

    /// Spends a set-up token: sets the password (and clears a lock-out and the TOTP secret,
    /// which the operator enrols again) and revokes every session. Returns the operator id, or
    /// `None` when the token is unknown, used or expired.
    pub async fn use_setup_token(
        &self,
        hash: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<Option<String>, ServerError> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "UPDATE operator_setup_tokens SET used_at = $2 WHERE hash = $1 AND used_at IS NULL \
             AND expires_at > $2 RETURNING operator_id",
        )
        .bind(hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Ok(None);
        };
        let id: String = get(&row, "operator_id")?;
        let n = sqlx::query(
            "UPDATE operators SET password_hash = $2, failed_logins = 0, locked_until = NULL, \
             totp_secret = NULL WHERE id = $1 AND disabled_at IS NULL",
        )
        .bind(&id)
        .bind(password_hash)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            tx.rollback().await?;
            return Ok(None);
        }
        revoke_sessions(&mut tx, &id, now).await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Counts a wrong password; the `lock_after`-th in a row locks the account until
    /// `now + lock_ms` (and starts the count again). Returns whether it is now locked.
    pub async fn login_failed(
        &self,
        id: &str,
        now: i64,
        lock_after: i64,
        lock_ms: i64,
    ) -> Result<bool, ServerError> {
        let row = sqlx::query(
            "UPDATE operators SET \
             locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END, \
             failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END \
             WHERE id = $1 RETURNING locked_until",
        )
        .bind(id)
        .bind(lock_after)
        .bind(now.saturating_add(lock_ms))
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(get::<Option<i64>>(&r, "locked_until")?.is_some_and(|t| t > now)),
            None => Ok(false),
        }
    }

    /// A good login: the count of wrong passwords starts again.
    pub async fn login_succeeded(&self, id: &str) -> Result<(), ServerError> {
        sqlx::query("UPDATE operators SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Sets (or with `None` clears) the sealed TOTP secret.
    pub async fn set_totp(&self, id: &str, sealed: Option<&[u8]>) -> Result<(), ServerError> {
        sqlx::query("UPDATE operators SET totp_secret = $2 WHERE id = $1")
            .bind(id)
            .bind(sealed)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Disables an operator and revokes its sessions; `false` when there is no such enabled
    /// operator.
    pub async fn disable_operator(&self, id: &str, now: i64) -> Result<bool, ServerError> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query(
            "UPDATE operators SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        revoke_sessions(&mut tx, id, now).await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    // ---- sessions ----

    /// Stores a session (its token's hash).
    pub async fn create_session(
        &self,
        hash: &str,
        operator_id: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), ServerError> {
        sqlx::query(
            "INSERT INTO operator_sessions (hash, operator_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(hash)
        .bind(operator_id)
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The enabled operator of a live session.
    pub async fn session_operator(
        &self,
        hash: &str,
        now: i64,
    ) -> Result<Option<OperatorRow>, ServerError> {
        let cols = OPERATOR_COLUMNS
            .split(", ")
            .map(|c| format!("o.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {cols} FROM operator_sessions s JOIN operators o ON o.id = s.operator_id \
             WHERE s.hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 \
             AND o.disabled_at IS NULL"
        );
        let row = sqlx::query(&sql)
            .bind(hash)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(operator_row).transpose()
    }

    /// Revokes one session.
    pub async fn revoke_session(&self, hash: &str, now: i64) -> Result<(), ServerError> {
        sqlx::query(
            "UPDATE operator_sessions SET revoked_at = $2 WHERE hash = $1 AND revoked_at IS NULL",
        )
        .bind(hash)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Revokes every session of an operator (logout everywhere).
    pub async fn revoke_all_sessions(
        &self,
        operator_id: &str,
        now: i64,
    ) -> Result<(), ServerError> {
        let mut tx = self.pool.begin().await?;
        revoke_sessions(&mut tx, operator_id, now).await?;
        tx.commit().await?;
        Ok(())
    }

    // ---- console audit of actions on the deployment ----

    /// Records an operator action that concerns no single verification.
    pub async fn console_event(
        &self,
        at: i64,
        actor: &str,
        event: &str,
        detail: &str,
    ) -> Result<(), ServerError> {
        sqlx::query(
            "INSERT INTO console_events (at, actor, event, detail) VALUES ($1, $2, $3, $4)",
        )
        .bind(at)
        .bind(actor)
        .bind(event)
        .bind(detail)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The audit view: operators' actions on verifications (image and result views, manual
    /// decisions) and on the deployment, newest first.
    pub async fn console_audit(&self, limit: i64) -> Result<Vec<AuditLine>, ServerError> {
        let rows = sqlx::query(
            "SELECT verification_id, at, event, actor, detail FROM ( \
               SELECT verification_id, at, event, actor, detail, seq, 0 AS src FROM audit_events \
               WHERE actor LIKE 'operator:%' \
               UNION ALL \
               SELECT '' AS verification_id, at, event, actor, detail, seq, 1 AS src \
               FROM console_events) t ORDER BY at DESC, src, seq DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditLine {
                    verification_id: get(r, "verification_id")?,
                    at: get(r, "at")?,
                    event: get(r, "event")?,
                    actor: get(r, "actor")?,
                    detail: get(r, "detail")?,
                })
            })
            .collect()
    }

    // ---- the queue ----

    /// Verifications matching `f`: the review queue (oldest first) when filtered by
    /// `needs-review`, else newest first.
    pub async fn console_list(&self, f: &QueueFilter) -> Result<Vec<QueueItem>, ServerError> {
        let order = if f.decision == "needs-review" {
            "v.created_at, v.id"
        } else {
            "v.created_at DESC, v.id"
        };
        let sql = format!(
            "SELECT v.id, v.app_id, COALESCE(a.name, '') AS app_name, v.status, v.decision, \
             v.created_at, v.processed_at, v.erased_at FROM verifications v \
             LEFT JOIN applications a ON a.id = v.app_id \
             WHERE ($1 = '' OR v.decision = $1) AND ($2 = '' OR v.app_id = $2) \
             AND v.created_at >= $3 AND v.created_at < $4 \
             AND ($5 = '' OR EXISTS (SELECT 1 FROM concern_index c \
                  WHERE c.verification_id = v.id AND c.code = $5)) \
             ORDER BY {order} LIMIT $6"
        );
        let rows = sqlx::query(&sql)
            .bind(&f.decision)
            .bind(&f.app_id)
            .bind(f.from)
            .bind(f.to)
            .bind(&f.concern)
            .bind(f.limit)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = get(r, "id")?;
            let concerns = self.concern_codes(&id).await?;
            out.push(QueueItem {
                app_id: get(r, "app_id")?,
                app_name: get(r, "app_name")?,
                status: get(r, "status")?,
                decision: get(r, "decision")?,
                created_at: get(r, "created_at")?,
                processed_at: get(r, "processed_at")?,
                erased: get::<Option<i64>>(r, "erased_at")?.is_some(),
                concerns,
                id,
            });
        }
        Ok(out)
    }

    /// The indexed concern codes of a verification.
    pub async fn concern_codes(&self, id: &str) -> Result<Vec<String>, ServerError> {
        let rows =
            sqlx::query("SELECT code FROM concern_index WHERE verification_id = $1 ORDER BY code")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(|r| get(r, "code")).collect()
    }

    /// Processed verifications whose concern codes are not indexed yet (at most `limit`).
    pub async fn unindexed(&self, limit: i64) -> Result<Vec<String>, ServerError> {
        let rows = sqlx::query(
            "SELECT v.id FROM verifications v WHERE v.status = 'done' AND v.result IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM concern_indexed i WHERE i.verification_id = v.id) \
             ORDER BY v.created_at LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| get(r, "id")).collect()
    }

    /// Indexes the concern codes of a verification.
    pub async fn index_concerns(&self, id: &str, codes: &[String]) -> Result<(), ServerError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO concern_indexed (verification_id) VALUES ($1) \
             ON CONFLICT (verification_id) DO NOTHING",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        for c in codes {
            sqlx::query(
                "INSERT INTO concern_index (verification_id, code) VALUES ($1, $2) \
                 ON CONFLICT (verification_id, code) DO NOTHING",
            )
            .bind(id)
            .bind(c)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    // ---- reviews ----

    /// The id of the verification's webhook delivery, if it has one.
    pub async fn delivery_id(&self, verification_id: &str) -> Result<Option<String>, ServerError> {
        let row = sqlx::query("SELECT id FROM webhook_deliveries WHERE verification_id = $1")
            .bind(verification_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| get(&r, "id")).transpose()
    }

    /// Writes a manual decision of a `needs-review` verification, in one transaction: the
    /// decision and re-sealed answer, the review row, the audit event and the webhook
    /// delivery (re-armed with the new body; its attempts keep counting). Returns `false` when
    /// the verification is not (or no longer) waiting for review.
    pub async fn record_review(&self, r: &NewReview<'_>) -> Result<bool, ServerError> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query(
            "UPDATE verifications SET decision = $2, result = $3 WHERE id = $1 \
             AND status = 'done' AND decision = 'needs-review' AND erased_at IS NULL",
        )
        .bind(r.verification_id)
        .bind(r.decision)
        .bind(r.result)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO reviews (verification_id, operator_id, decision, reason, at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(r.verification_id)
        .bind(r.operator_id)
        .bind(r.decision)
        .bind(r.reason)
        .bind(r.now)
        .execute(&mut *tx)
        .await?;
        insert_audit(
            &mut tx,
            r.verification_id,
            r.now,
            "manual-review",
            r.actor,
            r.decision,
        )
        .await?;
        if let Some(d) = &r.webhook {
            sqlx::query(
                "INSERT INTO webhook_deliveries (id, verification_id, app_id, url, body, \
                 state, attempts, next_attempt_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6) \
                 ON CONFLICT (verification_id) DO UPDATE SET url = excluded.url, \
                 body = excluded.body, state = 'pending', next_attempt_at = excluded.next_attempt_at, \
                 created_at = excluded.created_at, locked_until = NULL",
            )
            .bind(&d.id)
            .bind(r.verification_id)
            .bind(&d.app_id)
            .bind(&d.url)
            .bind(&d.body)
            .bind(r.now)
            .execute(&mut *tx)
            .await?;
            insert_audit(
                &mut tx,
                r.verification_id,
                r.now,
                "webhook-reissued",
                r.actor,
                r.decision,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The manual decisions of a verification, oldest first.
    pub async fn reviews(&self, verification_id: &str) -> Result<Vec<ReviewRow>, ServerError> {
        let rows = sqlx::query(
            "SELECT COALESCE(o.email, '') AS email, r.decision, r.reason, r.at FROM reviews r \
             LEFT JOIN operators o ON o.id = r.operator_id WHERE r.verification_id = $1 \
             ORDER BY r.seq",
        )
        .bind(verification_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReviewRow {
                    operator: get(r, "email")?,
                    decision: get(r, "decision")?,
                    reason: get(r, "reason")?,
                    at: get(r, "at")?,
                })
            })
            .collect()
    }

    // ---- overview ----

    /// `(decision, created_at)` of every verification created at or after `since`.
    pub async fn decisions_since(&self, since: i64) -> Result<Vec<(String, i64)>, ServerError> {
        let rows =
            sqlx::query("SELECT decision, created_at FROM verifications WHERE created_at >= $1")
                .bind(since)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| Ok((get(r, "decision")?, get(r, "created_at")?)))
            .collect()
    }

    /// `(code, created_at)` of every indexed concern of verifications created at or after
    /// `since`.
    pub async fn concerns_since(&self, since: i64) -> Result<Vec<(String, i64)>, ServerError> {
        let rows = sqlx::query(
            "SELECT c.code, v.created_at FROM concern_index c \
             JOIN verifications v ON v.id = c.verification_id WHERE v.created_at >= $1",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((get(r, "code")?, get(r, "created_at")?)))
            .collect()
    }

    /// How many processed verifications wait for review.
    pub async fn queue_length(&self) -> Result<i64, ServerError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM verifications WHERE status = 'done' \
             AND decision = 'needs-review' AND erased_at IS NULL",
        )
        .fetch_one(&self.pool)
        .await?;
        get(&row, "n")
    }

    /// Every manual decision: `(decision, ms from processing to the decision)`.
    pub async fn review_times(&self) -> Result<Vec<(String, i64)>, ServerError> {
        let rows = sqlx::query(
            "SELECT r.decision, r.at - COALESCE(v.processed_at, r.at) AS waited FROM reviews r \
             JOIN verifications v ON v.id = r.verification_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((get(r, "decision")?, get(r, "waited")?)))
            .collect()
    }

    /// `(decision, count)` over every verification (for `/metrics`).
    pub async fn decision_counts(&self) -> Result<Vec<(String, i64)>, ServerError> {
        let rows = sqlx::query(
            "SELECT decision, COUNT(*) AS n FROM verifications GROUP BY decision ORDER BY decision",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((get(r, "decision")?, get(r, "n")?)))
            .collect()
    }

    /// `(code, count)` over every indexed concern (for `/metrics`).
    pub async fn concern_counts(&self) -> Result<Vec<(String, i64)>, ServerError> {
        let rows = sqlx::query(
            "SELECT code, COUNT(*) AS n FROM concern_index GROUP BY code ORDER BY code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((get(r, "code")?, get(r, "n")?)))
            .collect()
    }

    /// Sets (or clears) an application's webhook URL; `false` when there is no such live app.
    pub async fn set_app_webhook(
        &self,
        app_id: &str,
        url: Option<&str>,
    ) -> Result<bool, ServerError> {
        let n = sqlx::query(
            "UPDATE applications SET webhook_url = $2 WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(app_id)
        .bind(url)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }
}

async fn revoke_sessions(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    operator_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE operator_sessions SET revoked_at = $2 WHERE operator_id = $1 \
         AND revoked_at IS NULL",
    )
    .bind(operator_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
