//! Configuration: one TOML file (`deny_unknown_fields`), then `IDVERIFY_*` environment
//! overrides (secrets also from `*_FILE`), then command-line flags. Secrets and database URLs
//! are redacted in `Debug`. Every key is documented in `docs/configuration.md`.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::ServerError;

/// A value that never shows in logs or `Debug` output.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

/// A database URL whose password is redacted in `Debug`.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct DatabaseUrl(pub String);

impl DatabaseUrl {
    /// Whether this URL names PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.0.starts_with("postgres://") || self.0.starts_with("postgresql://")
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        match (self.0.find("://"), self.0.rfind('@')) {
            (Some(scheme_end), Some(at)) if at > scheme_end => {
                let creds = self.0.get(scheme_end + 3..at).unwrap_or("");
                let user = creds.split(':').next().unwrap_or("");
                format!(
                    "{}{}:***{}",
                    self.0.get(..scheme_end + 3).unwrap_or(""),
                    user,
                    self.0.get(at..).unwrap_or("")
                )
            }
            _ => self.0.clone(),
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.redacted())
    }
}

/// The service's configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Directory for the SQLite database, the blob store and the key file.
    pub data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL; absent for embedded SQLite under `data_dir`.
    pub database_url: Option<DatabaseUrl>,
    /// Base URL integrators reach the service at (for `resultUrl` and file URIs); defaults to
    /// `http://{listen}`.
    pub public_url: Option<String>,
    /// `iss` of every signed token.
    pub issuer: String,
    /// Worker tasks running document checks; 0 means one per core.
    pub workers: usize,
    /// Verifications older than this many days are erased automatically.
    pub retention_days: u32,
    /// How often the retention purge runs, in seconds.
    pub purge_interval_secs: u64,
    /// Hex 256-bit key for encryption at rest; absent to use `key_file`.
    pub encryption_key: Option<Secret>,
    /// Key file (created with mode 0600 on first start); default `{data_dir}/master.key`.
    pub key_file: Option<PathBuf>,
    /// Peers whose `X-Forwarded-For` is believed (IP addresses or CIDR blocks).
    pub trusted_proxies: Vec<String>,
    /// Optional geo-IP database (DB-IP Lite City, mmdb).
    pub geoip_database: Option<PathBuf>,
    /// Upload limits.
    pub uploads: UploadLimits,
    /// Job queue tuning.
    pub queue: QueueConfig,
    /// Webhook delivery tuning.
    pub webhooks: WebhookConfig,
    /// Maximum database connections in the pool.
    pub max_connections: u32,
    /// HTTP connection limits.
    pub http: HttpLimits,
    /// The document-check policy (`[policy]`, with per-application overrides under
    /// `[policy.apps."<app id>"]`). Kept as TOML here: the document check parses and validates
    /// it when the service starts (docs/configuration.md lists the keys).
    pub policy: toml::Table,
    /// The printed-zone OCR (`[ocr]`).
    pub ocr: OcrConfig,
}

/// The printed-zone OCR.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OcrConfig {
    /// The folder `scripts/setup-ocr-models` installs the OCR models into (`models`, relative
    /// to the working directory, by default; env `IDVERIFY_MODELS_DIR`).
    pub models_dir: PathBuf,
}

impl Default for OcrConfig {
    fn default() -> Self {
        OcrConfig {
            models_dir: PathBuf::from("models"),
        }
    }
}

/// Limits that protect the HTTP server from slow or oversized clients.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpLimits {
    /// A client must send its request headers within this many ms, or the connection is closed.
    pub header_read_timeout_ms: u64,
    /// A request (body included) must be answered within this many ms, or it gets 408.
    pub request_timeout_ms: u64,
    /// Largest request head (request line and headers) in bytes; larger gets 431.
    pub max_header_bytes: usize,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            header_read_timeout_ms: 10_000,
            request_timeout_ms: 60_000,
            max_header_bytes: 64 * 1024,
        }
    }
}

/// Limits applied to uploaded images before and while decoding.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UploadLimits {
    /// Largest accepted file, in bytes.
    pub max_bytes: usize,
    /// Largest accepted width × height.
    pub max_pixels: u64,
    /// Largest accepted width or height.
    pub max_dimension: u32,
}

/// Job queue tuning.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QueueConfig {
    /// A claimed job whose worker stops renewing it is taken over after this many ms.
    pub lease_ms: i64,
    /// How often an idle worker looks for work, in ms (a submit in the same process wakes it
    /// at once).
    pub poll_ms: u64,
    /// A job that failed this many times for a system reason is marked failed.
    pub max_attempts: i64,
}

/// Webhook delivery tuning.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebhookConfig {
    /// Delay before the first retry, in ms; doubles each attempt.
    pub backoff_base_ms: i64,
    /// Largest delay between attempts, in ms.
    pub backoff_max_ms: i64,
    /// Deliveries are abandoned this many ms after the first attempt (default 24 h).
    pub give_up_after_ms: i64,
    /// Timeout of one attempt, in ms.
    pub timeout_ms: u64,
    /// How often the dispatcher looks for due deliveries, in ms.
    pub poll_ms: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 3030)),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            public_url: None,
            issuer: "idverify".into(),
            workers: 0,
            retention_days: 30,
            purge_interval_secs: 3600,
            encryption_key: None,
            key_file: None,
            trusted_proxies: Vec::new(),
            geoip_database: None,
            uploads: UploadLimits::default(),
            queue: QueueConfig::default(),
            webhooks: WebhookConfig::default(),
            max_connections: 16,
            http: HttpLimits::default(),
            policy: toml::Table::new(),
            ocr: OcrConfig::default(),
        }
    }
}

impl UploadLimits {
    /// The bounds the image intake applies to an upload: these limits, at most four pages
    /// (of which the first two are read), and a decoder allocation of the decoded RGBA at most
    /// plus slack for the decoders' own buffers.
    pub fn intake(&self) -> idverify_vision::IntakeLimits {
        idverify_vision::IntakeLimits {
            max_bytes: self.max_bytes,
            max_width: self.max_dimension,
            max_height: self.max_dimension,
            max_pixels: self.max_pixels,
            max_alloc: self.max_pixels.saturating_mul(4).saturating_add(64 << 20),
            ..idverify_vision::IntakeLimits::default()
        }
    }
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            max_bytes: 10 * 1024 * 1024,
            max_pixels: 50_000_000,
            max_dimension: 12_000,
        }
    }
}

impl Default for QueueConfig {
    fn default() -> Self {
        QueueConfig {
            lease_ms: 60_000,
            poll_ms: 1_000,
            max_attempts: 5,
        }
    }
}

impl Default for WebhookConfig {
    fn default() -> Self {
        WebhookConfig {
            backoff_base_ms: 10_000,
            backoff_max_ms: 3_600_000,
            give_up_after_ms: 24 * 3_600_000,
            timeout_ms: 10_000,
            poll_ms: 1_000,
        }
    }
}

/// Reads a variable from the environment (or a test's map).
pub trait Env {
    /// The variable's value, if set.
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
}

impl Env for std::collections::HashMap<String, String> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }
}

fn env_or_file(env: &dyn Env, name: &str) -> Result<Option<String>, ServerError> {
    if let Some(v) = env.var(name) {
        return Ok(Some(v));
    }
    match env.var(&format!("{name}_FILE")) {
        Some(path) => std::fs::read_to_string(&path)
            .map(|s| Some(s.trim().to_owned()))
            .map_err(|e| ServerError::Config(format!("{name}_FILE: cannot read {path}: {e}"))),
        None => Ok(None),
    }
}

fn parse_env<T: std::str::FromStr>(env: &dyn Env, name: &str) -> Result<Option<T>, ServerError> {
    match env.var(name) {
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| ServerError::Config(format!("{name}: cannot parse {v:?}"))),
        None => Ok(None),
    }
}

impl Config {
    /// Parses a TOML document.
    pub fn from_toml(text: &str) -> Result<Self, ServerError> {
        toml::from_str(text).map_err(|e| ServerError::Config(e.to_string()))
    }

    /// Loads the configuration: the TOML file at `path` (or `IDVERIFY_CONFIG`) if any, then the
    /// environment.
    pub fn load(path: Option<&Path>, env: &dyn Env) -> Result<Self, ServerError> {
        let path = path
            .map(Path::to_path_buf)
            .or_else(|| env.var("IDVERIFY_CONFIG").map(PathBuf::from));
        let mut config = match path {
            Some(p) => {
                let text = std::fs::read_to_string(&p).map_err(|e| {
                    ServerError::Config(format!("cannot read {}: {e}", p.display()))
                })?;
                Config::from_toml(&text)
                    .map_err(|e| ServerError::Config(format!("{}: {e}", p.display())))?
            }
            None => Config::default(),
        };
        config.apply_env(env)?;
        Ok(config)
    }

    /// Applies the `IDVERIFY_*` environment overrides.
    pub fn apply_env(&mut self, env: &dyn Env) -> Result<(), ServerError> {
        if let Some(v) = parse_env(env, "IDVERIFY_LISTEN")? {
            self.listen = v;
        }
        if let Some(v) = env.var("IDVERIFY_DATA_DIR") {
            self.data_dir = PathBuf::from(v);
        }
        if let Some(v) = env_or_file(env, "IDVERIFY_DATABASE_URL")? {
            self.database_url = Some(DatabaseUrl(v));
        }
        if let Some(v) = env.var("IDVERIFY_PUBLIC_URL") {
            self.public_url = Some(v);
        }
        if let Some(v) = env.var("IDVERIFY_ISSUER") {
            self.issuer = v;
        }
        if let Some(v) = parse_env(env, "IDVERIFY_WORKERS")? {
            self.workers = v;
        }
        if let Some(v) = parse_env(env, "IDVERIFY_RETENTION_DAYS")? {
            self.retention_days = v;
        }
        if let Some(v) = env_or_file(env, "IDVERIFY_ENCRYPTION_KEY")? {
            self.encryption_key = Some(Secret(v));
        }
        if let Some(v) = env.var("IDVERIFY_GEOIP_DATABASE") {
            self.geoip_database = Some(PathBuf::from(v));
        }
        if let Some(v) = env.var("IDVERIFY_MODELS_DIR") {
            self.ocr.models_dir = PathBuf::from(v);
        }
        if let Some(v) = env.var("IDVERIFY_TRUSTED_PROXIES") {
            self.trusted_proxies = v
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
        }
        Ok(())
    }

    /// A configuration for tests: everything under `data_dir`, fast queue and webhook timings.
    pub fn for_test(data_dir: &Path) -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.to_path_buf(),
            workers: 2,
            queue: QueueConfig {
                lease_ms: 3_000,
                poll_ms: 100,
                max_attempts: 5,
            },
            webhooks: WebhookConfig {
                backoff_base_ms: 100,
                backoff_max_ms: 1_000,
                give_up_after_ms: 60_000,
                timeout_ms: 2_000,
                poll_ms: 50,
            },
            ..Config::default()
        }
    }

    /// The effective database URL (SQLite under `data_dir` when none is set).
    pub fn effective_database_url(&self) -> DatabaseUrl {
        match &self.database_url {
            Some(u) => u.clone(),
            None => DatabaseUrl(format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("idverify.db").display()
            )),
        }
    }

    /// The base URL in `resultUrl` and file URIs, without a trailing slash.
    pub fn public_base(&self, bound: SocketAddr) -> String {
        match &self.public_url {
            Some(u) => u.trim_end_matches('/').to_owned(),
            None => format!("http://{bound}"),
        }
    }

    /// Number of worker tasks.
    pub fn worker_count(&self) -> usize {
        if self.workers > 0 {
            self.workers
        } else {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        }
    }

    /// The parsed trusted-proxy list.
    pub fn trusted_networks(&self) -> Result<Vec<IpNet>, ServerError> {
        self.trusted_proxies
            .iter()
            .map(|s| {
                IpNet::parse(s).ok_or_else(|| {
                    ServerError::Config(format!("trusted_proxies: {s:?} is not an IP or CIDR"))
                })
            })
            .collect()
    }
}

/// An IP network (`10.0.0.0/8`, `::1/128`, or a bare address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// Parses `ADDR` or `ADDR/PREFIX`.
    ///
    /// ```
    /// use idverify_server::config::IpNet;
    /// let net = IpNet::parse("10.0.0.0/8").unwrap();
    /// assert!(net.contains("10.1.2.3".parse().unwrap()));
    /// assert!(!net.contains("11.0.0.1".parse().unwrap()));
    /// assert!(IpNet::parse("10.0.0.0/33").is_none());
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (s.parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(IpNet { addr, prefix })
    }

    /// Whether `ip` is in this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn toml_env_and_redaction() {
        let mut c = Config::from_toml(
            "listen = \"127.0.0.1:4000\"\nissuer = \"regily\"\n[uploads]\nmax_bytes = 1000\n",
        )
        .unwrap();
        assert_eq!(c.listen.port(), 4000);
        assert_eq!(c.uploads.max_bytes, 1000);
        let env: HashMap<String, String> = [
            ("IDVERIFY_LISTEN", "0.0.0.0:5000"),
            ("IDVERIFY_DATABASE_URL", "postgres://u:hunter2@db/x"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
        c.apply_env(&env).unwrap();
        assert_eq!(c.listen.port(), 5000);
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("hunter2"), "{dbg}");
        assert!(dbg.contains("postgres://u:***@db/x"));
        assert!(Config::from_toml("nope = 1").is_err());
    }

    #[test]
    fn ocr_models_dir_from_toml_then_env() {
        assert_eq!(Config::default().ocr.models_dir, PathBuf::from("models"));
        let mut c = Config::from_toml("[ocr]\nmodels_dir = \"/opt/ocr\"\n").unwrap();
        assert_eq!(c.ocr.models_dir, PathBuf::from("/opt/ocr"));
        let env: HashMap<String, String> =
            [("IDVERIFY_MODELS_DIR".to_owned(), "/srv/m".to_owned())]
                .into_iter()
                .collect();
        c.apply_env(&env).unwrap();
        assert_eq!(c.ocr.models_dir, PathBuf::from("/srv/m"));
        assert!(Config::from_toml("[ocr]\nmodel_dir = \"x\"\n").is_err());
    }

    #[test]
    fn secret_from_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("k");
        std::fs::write(&f, "ab".repeat(32) + "\n").unwrap();
        let env: HashMap<String, String> = [(
            "IDVERIFY_ENCRYPTION_KEY_FILE".to_owned(),
            f.display().to_string(),
        )]
        .into_iter()
        .collect();
        let mut c = Config::default();
        c.apply_env(&env).unwrap();
        assert_eq!(c.encryption_key.unwrap().0, "ab".repeat(32));
    }

    #[test]
    fn ipv6_nets() {
        let n = IpNet::parse("::1").unwrap();
        assert!(n.contains("::1".parse().unwrap()));
        let all = IpNet::parse("0.0.0.0/0").unwrap();
        assert!(all.contains("8.8.8.8".parse().unwrap()));
    }
}
