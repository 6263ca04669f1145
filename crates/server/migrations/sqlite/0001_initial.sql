-- idverify schema v1 (SQLite). Times are Unix milliseconds. Columns holding personal data or
-- keys are sealed (XChaCha20-Poly1305) by the service before they reach the database.
CREATE TABLE applications (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    webhook_url TEXT,
    created_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE TABLE api_keys (
    hash TEXT PRIMARY KEY,
    app_id TEXT NOT NULL REFERENCES applications(id),
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX api_keys_app ON api_keys(app_id);
CREATE TABLE verifications (
    id TEXT PRIMARY KEY,
    app_id TEXT NOT NULL REFERENCES applications(id),
    token_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    decision TEXT NOT NULL,
    platform TEXT NOT NULL,
    metadata BLOB,
    result BLOB,
    created_at BIGINT NOT NULL,
    submitted_at BIGINT,
    processed_at BIGINT,
    erased_at BIGINT
);
CREATE INDEX verifications_app ON verifications(app_id, created_at);
CREATE INDEX verifications_created ON verifications(created_at);
CREATE TABLE files (
    verification_id TEXT NOT NULL REFERENCES verifications(id),
    kind TEXT NOT NULL,
    media_type TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    blob TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    PRIMARY KEY (verification_id, kind)
);
CREATE TABLE jobs (
    verification_id TEXT PRIMARY KEY REFERENCES verifications(id),
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    locked_by TEXT,
    locked_until BIGINT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX jobs_claim ON jobs(state, created_at);
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    verification_id TEXT NOT NULL UNIQUE REFERENCES verifications(id),
    app_id TEXT NOT NULL,
    url TEXT NOT NULL,
    body BLOB NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    locked_until BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_due ON webhook_deliveries(state, next_attempt_at);
CREATE TABLE webhook_attempts (
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id),
    attempt BIGINT NOT NULL,
    at BIGINT NOT NULL,
    status_code BIGINT,
    error TEXT,
    duration_ms BIGINT NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    verification_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    event TEXT NOT NULL,
    actor TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_verification ON audit_events(verification_id, seq);
CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    private_key BLOB NOT NULL,
    x TEXT NOT NULL,
    y TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);
