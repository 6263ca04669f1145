-- The operator console (crates/server/src/console*.rs). Operators belong to this deployment
-- (this database); passwords are Argon2id PHC strings, TOTP secrets are sealed, set-up and
-- session tokens are stored as SHA-256 hex.
CREATE TABLE operators (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT,
    totp_secret BLOB,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    created_at BIGINT NOT NULL,
    disabled_at BIGINT
);
CREATE TABLE operator_setup_tokens (
    hash TEXT PRIMARY KEY,
    operator_id TEXT NOT NULL REFERENCES operators(id),
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE TABLE operator_sessions (
    hash TEXT PRIMARY KEY,
    operator_id TEXT NOT NULL REFERENCES operators(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX operator_sessions_operator ON operator_sessions(operator_id);
-- Manual decisions of needs-review verifications.
CREATE TABLE reviews (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    verification_id TEXT NOT NULL REFERENCES verifications(id),
    operator_id TEXT NOT NULL REFERENCES operators(id),
    decision TEXT NOT NULL,
    reason TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX reviews_verification ON reviews(verification_id);
-- Concern codes (not personal data) of processed verifications, indexed from the sealed
-- results by the console so that the queue, the overview and /metrics can count them.
CREATE TABLE concern_index (
    verification_id TEXT NOT NULL REFERENCES verifications(id),
    code TEXT NOT NULL,
    PRIMARY KEY (verification_id, code)
);
CREATE TABLE concern_indexed (
    verification_id TEXT PRIMARY KEY REFERENCES verifications(id)
);
-- Operator actions that concern no single verification (applications, operators, logins).
CREATE TABLE console_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL
);
