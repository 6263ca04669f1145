//! Starting and stopping the service: opening storage, loading keys, binding the listener,
//! spawning the workers, the webhook dispatcher, the retention purge and the audit writer.
//! Also [`Admin`], the store-level operations of `idverify apps` and `idverify keys`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{Notify, mpsc, watch};
use tokio::task::JoinSet;

use crate::at_rest::Sealer;
use crate::blobs::BlobStore;
use crate::check::DocumentCheck;
use crate::clock::Clock;
use crate::config::Config;
use crate::error::ServerError;
use crate::geo::GeoIp;
use crate::ids::{KeyKind, hash_secret, new_key, random_name};
use crate::keyring::KeyRing;
use crate::service::Service;
use crate::store::{AppInfo, AuditEvent, Store};

const DAY_MS: i64 = 86_400_000;

/// Opens the database and the encryption key of a configuration.
async fn open_storage(config: &Config) -> Result<(Store, Sealer), ServerError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        ServerError::Config(format!(
            "cannot create data dir {}: {e}",
            config.data_dir.display()
        ))
    })?;
    let sealer = match &config.encryption_key {
        Some(k) => Sealer::from_hex(&k.0)?,
        None => {
            let path = config
                .key_file
                .clone()
                .unwrap_or_else(|| config.data_dir.join("master.key"));
            Sealer::from_key_file(&path)?
        }
    };
    let store = Store::connect(&config.effective_database_url(), config.max_connections).await?;
    Ok((store, sealer))
}

/// A running service.
#[derive(Debug)]
pub struct RunningServer {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// Its shared state (tests read the store through it).
    pub service: Arc<Service>,
    shutdown: watch::Sender<bool>,
    tasks: JoinSet<()>,
}

impl RunningServer {
    /// Starts the service on `config.listen`.
    pub async fn start(
        config: Config,
        check: Arc<dyn DocumentCheck>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, ServerError> {
        Self::start_with_routes(config, check, clock, axum::Router::new()).await
    }

    /// Starts the service with `extra` routes served beside the API (the demo integrator of
    /// `idverify serve --demo`).
    pub async fn start_with_routes(
        config: Config,
        check: Arc<dyn DocumentCheck>,
        clock: Arc<dyn Clock>,
        extra: axum::Router,
    ) -> Result<Self, ServerError> {
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|e| ServerError::Config(format!("cannot listen on {}: {e}", config.listen)))?;
        let addr = listener.local_addr()?;
        let (store, sealer) = open_storage(&config).await?;
        let keep_retired = i64::from(config.retention_days).saturating_mul(DAY_MS) + DAY_MS;
        let keys =
            KeyRing::load(store.clone(), sealer.clone(), keep_retired, clock.now_ms()).await?;
        let blobs = BlobStore::open(&config.data_dir.join("blobs"), sealer.clone())?;
        let geo = match &config.geoip_database {
            Some(p) => Some(GeoIp::open(p)?),
            None => None,
        };
        let trusted = config.trusted_networks()?;
        let (audit_tx, audit_rx) = mpsc::channel(100_000);
        let cache_results = store.backend() == crate::store::Backend::Sqlite;
        let svc = Arc::new(Service {
            public_base: config.public_base(addr),
            store,
            blobs,
            sealer,
            keys,
            clock,
            check,
            work: Notify::new(),
            audit_tx,
            metrics: Default::default(),
            trusted,
            geo,
            key_cache: Default::default(),
            result_cache: crate::service::ResultCache::new(cache_results),
            config,
        });
        let (shutdown, rx) = watch::channel(false);
        let mut tasks = JoinSet::new();
        let workers = svc.config.worker_count();
        let instance = random_name()?;
        for n in 0..workers {
            let name = format!("{}-{n}", instance.get(..8).unwrap_or("w"));
            tasks.spawn(crate::worker::run_worker(
                Arc::clone(&svc),
                name,
                rx.clone(),
            ));
        }
        tasks.spawn(crate::webhook::run_dispatcher(Arc::clone(&svc), rx.clone()));
        tasks.spawn(run_purge(Arc::clone(&svc), rx.clone()));
        tasks.spawn(run_key_refresh(Arc::clone(&svc), rx.clone()));
        tasks.spawn(run_audit_writer(Arc::clone(&svc), audit_rx, rx.clone()));
        let app = crate::routes::router(Arc::clone(&svc)).merge(extra);
        tasks.spawn(crate::http::serve(
            listener,
            app,
            svc.config.http,
            rx.clone(),
        ));
        tracing::info!(%addr, workers, backend = ?svc.store.backend(), "idverify listening");
        Ok(RunningServer {
            addr,
            service: svc,
            shutdown,
            tasks,
        })
    }

    /// Runs until `signal` completes, then shuts down.
    pub async fn run_until(self, signal: impl std::future::Future<Output = ()>) {
        signal.await;
        self.shutdown().await;
    }

    /// Stops accepting requests and background work; waits up to 5 s for the tasks to end.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        let drained = tokio::time::timeout(Duration::from_secs(5), async {
            while self.tasks.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            self.tasks.abort_all();
        }
        self.service.store.close().await;
    }
}

async fn run_purge(svc: Arc<Service>, mut shutdown: watch::Receiver<bool>) {
    let every = Duration::from_secs(svc.config.purge_interval_secs.max(1));
    loop {
        if let Err(e) = purge_once(&svc).await {
            tracing::error!(error = %e, "retention purge failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            return;
        }
    }
}

/// Erases every verification older than the retention; returns how many.
pub async fn purge_once(svc: &Service) -> Result<usize, ServerError> {
    let before = svc
        .now()
        .saturating_sub(i64::from(svc.config.retention_days).saturating_mul(DAY_MS));
    let mut total = 0;
    loop {
        let ids = svc.store.expired(before, 100).await?;
        if ids.is_empty() {
            return Ok(total);
        }
        for id in &ids {
            if let Some(row) = svc.store.verification(id).await? {
                svc.erase(&row, "purged", "system").await?;
                total += 1;
            }
        }
        tracing::info!(count = ids.len(), "retention purge erased verifications");
    }
}

async fn run_key_refresh(svc: Arc<Service>, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(30)) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            return;
        }
        if let Err(e) = svc.keys.refresh(svc.now()).await {
            tracing::error!(error = %e, "refreshing signing keys failed");
        }
    }
}

async fn run_audit_writer(
    svc: Arc<Service>,
    mut rx: mpsc::Receiver<(String, AuditEvent)>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let mut batch = Vec::new();
        tokio::select! {
            first = rx.recv() => match first {
                Some(e) => batch.push(e),
                None => return,
            },
            _ = shutdown.changed() => {}
        }
        while batch.len() < 1000 {
            match rx.try_recv() {
                Ok(e) => batch.push(e),
                Err(_) => break,
            }
        }
        if let Err(e) = svc.store.audit_batch(&batch).await {
            tracing::error!(error = %e, count = batch.len(), "writing audit events failed");
        }
        if *shutdown.borrow() && rx.is_empty() {
            return;
        }
        // Batch reads: a short pause lets events accumulate under load.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The keys of a new application, shown once.
#[derive(Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewApp {
    /// App id.
    pub app_id: String,
    /// `pk_…`.
    pub publishable_key: String,
    /// `sk_…`.
    pub secret_key: String,
}

impl std::fmt::Debug for NewApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewApp")
            .field("app_id", &self.app_id)
            .finish_non_exhaustive()
    }
}

/// Administrative operations on the store (the CLI's `apps` and `keys` commands).
#[derive(Debug)]
pub struct Admin {
    store: Store,
    sealer: Sealer,
    config: Config,
    clock: Arc<dyn Clock>,
}

impl Admin {
    /// Opens the storage of `config`.
    pub async fn open(config: Config, clock: Arc<dyn Clock>) -> Result<Self, ServerError> {
        let (store, sealer) = open_storage(&config).await?;
        Ok(Admin {
            store,
            sealer,
            config,
            clock,
        })
    }

    /// The store (tests).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Creates an application; its keys are returned once and stored hashed.
    pub async fn create_app(
        &self,
        name: &str,
        webhook: Option<&str>,
    ) -> Result<NewApp, ServerError> {
        create_app(&self.store, name, webhook, self.clock.now_ms()).await
    }

    /// Creates an operator of the console; returns its one-time set-up link.
    pub async fn create_operator(
        &self,
        email: &str,
        role: &str,
    ) -> Result<NewOperator, ServerError> {
        let base = self.config.public_base(self.config.listen);
        create_operator(&self.store, &base, email, role, self.clock.now_ms()).await
    }

    /// Every application.
    pub async fn list_apps(&self) -> Result<Vec<AppInfo>, ServerError> {
        self.store.list_apps().await
    }

    /// Replaces both keys of an application; the old ones stop working.
    pub async fn rotate_keys(&self, app_id: &str) -> Result<NewApp, ServerError> {
        rotate_app_keys(&self.store, app_id, self.clock.now_ms()).await
    }

    /// Deletes an application (its keys stop working; its verifications stay until purged).
    pub async fn delete_app(&self, app_id: &str) -> Result<(), ServerError> {
        if self.store.delete_app(app_id, self.clock.now_ms()).await? {
            Ok(())
        } else {
            Err(ServerError::NotFound(format!("no application {app_id}")))
        }
    }

    /// Adds a new signing key; older keys stay in the JWKS. Returns the new kid.
    pub async fn rotate_signing_key(&self) -> Result<String, ServerError> {
        let keep = i64::from(self.config.retention_days).saturating_mul(DAY_MS) + DAY_MS;
        let now = self.clock.now_ms();
        let existed = !self.store.signing_keys().await?.is_empty();
        let ring = KeyRing::load(self.store.clone(), self.sealer.clone(), keep, now).await?;
        if existed {
            ring.rotate(now).await
        } else {
            // Loading created the first key: that is the new one.
            Ok(ring.active()?.kid.clone())
        }
    }

    /// The signing keys: `(kid, created_at, retired_at)`.
    pub async fn list_signing_keys(&self) -> Result<Vec<(String, i64, Option<i64>)>, ServerError> {
        Ok(self
            .store
            .signing_keys()
            .await?
            .into_iter()
            .map(|k| (k.kid, k.created_at, k.retired_at))
            .collect())
    }

    /// Whether a plain key is live (used by tests of rotation).
    pub async fn key_is_live(&self, plain: &str) -> Result<bool, ServerError> {
        Ok(self.store.find_key(&hash_secret(plain)).await?.is_some())
    }
}

/// Creates an application (the CLI's `apps create` and the console): its keys are returned
/// once and stored hashed.
pub async fn create_app(
    store: &Store,
    name: &str,
    webhook: Option<&str>,
    now: i64,
) -> Result<NewApp, ServerError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ServerError::Config(
            "app name must be 1 to 200 characters".into(),
        ));
    }
    if let Some(url) = webhook {
        check_webhook_url(url)?;
    }
    let app_id = format!("app_{}", random_name()?);
    let pk = new_key(KeyKind::Publishable)?;
    let sk = new_key(KeyKind::Secret)?;
    store
        .create_app(&app_id, name, webhook, &pk.hash, &sk.hash, now)
        .await?;
    Ok(NewApp {
        app_id,
        publishable_key: pk.plain,
        secret_key: sk.plain,
    })
}

/// Checks a webhook URL: http(s), at most 2,000 characters.
pub fn check_webhook_url(url: &str) -> Result<(), ServerError> {
    if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() > 2000 {
        return Err(ServerError::Config(format!(
            "webhook must be an http:// or https:// URL, got {url:?}"
        )));
    }
    Ok(())
}

/// Replaces both keys of an application; the old ones stop working.
pub async fn rotate_app_keys(store: &Store, app_id: &str, now: i64) -> Result<NewApp, ServerError> {
    let pk = new_key(KeyKind::Publishable)?;
    let sk = new_key(KeyKind::Secret)?;
    if !store
        .rotate_key(app_id, KeyKind::Publishable, &pk.hash, now)
        .await?
        || !store
            .rotate_key(app_id, KeyKind::Secret, &sk.hash, now)
            .await?
    {
        return Err(ServerError::NotFound(format!("no application {app_id}")));
    }
    Ok(NewApp {
        app_id: app_id.to_owned(),
        publishable_key: pk.plain,
        secret_key: sk.plain,
    })
}

/// A new operator and its one-time set-up link.
#[derive(Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewOperator {
    /// Operator id.
    pub operator_id: String,
    /// Its e-mail address.
    pub email: String,
    /// `reviewer` or `admin`.
    pub role: String,
    /// `<base>/console/setup#<token>`: works once, until `expiresAt`.
    pub setup_url: String,
    /// When the link stops working (Unix ms).
    pub expires_at: i64,
}

impl std::fmt::Debug for NewOperator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewOperator")
            .field("operator_id", &self.operator_id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// Creates an operator (the CLI's `operators create` and the console); the set-up token is
/// stored hashed and expires after a day.
pub async fn create_operator(
    store: &Store,
    public_base: &str,
    email: &str,
    role: &str,
    now: i64,
) -> Result<NewOperator, ServerError> {
    let email = crate::operators::parse_email(email)
        .ok_or_else(|| ServerError::Config(format!("{email:?} is not an e-mail address")))?;
    let role = crate::operators::Role::parse(role).ok_or_else(|| {
        ServerError::Config(format!("role must be reviewer or admin, got {role:?}"))
    })?;
    let id = format!("op_{}", random_name()?);
    let token = crate::operators::new_setup_token()?;
    let expires_at = now.saturating_add(crate::operators::SETUP_TTL_MS);
    if !store
        .create_operator(&id, &email, role.as_str(), &token.hash, expires_at, now)
        .await?
    {
        return Err(ServerError::Config(format!(
            "an operator with e-mail {email} exists already"
        )));
    }
    Ok(NewOperator {
        operator_id: id,
        email,
        role: role.as_str().to_owned(),
        setup_url: format!("{public_base}/console/setup#{}", token.plain),
        expires_at,
    })
}
