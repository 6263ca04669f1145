//! `idverify serve`: loads the configuration (TOML file, `IDVERIFY_*` environment, flags),
//! starts the service with the document check it is given, and runs until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use idverify_server::config::ProcessEnv;
use idverify_server::{Config, DocumentCheck, RunningServer, SystemClock};

/// Arguments of `idverify serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:3030; env IDVERIFY_LISTEN).
    #[arg(long)]
    pub listen: Option<SocketAddr>,
    /// Directory for the SQLite database, images and key file (default ./data; env
    /// IDVERIFY_DATA_DIR).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// TOML configuration file (env IDVERIFY_CONFIG); see docs/configuration.md.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Also serve the demo integrator at /demo (a shop page embedding the flow).
    #[arg(long)]
    pub demo: bool,
    /// Folder of the printed-zone OCR models that scripts/setup-ocr-models installs (default
    /// ./models; env IDVERIFY_MODELS_DIR; config [ocr] models_dir).
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
}

/// The configuration of a command: file and environment, then the flags.
pub fn load_config(
    config: Option<&std::path::Path>,
    listen: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
) -> Result<Config> {
    let mut c = Config::load(config, &ProcessEnv).context("loading the configuration")?;
    if let Some(l) = listen {
        c.listen = l;
    }
    if let Some(d) = data_dir {
        c.data_dir = d;
    }
    Ok(c)
}

/// The configuration of an admin command (`apps`, `keys`): as [`load_config`], and the data
/// folder must already be there when the command would use it (SQLite, or the key file under
/// it). A relative `./data` run from the wrong folder would otherwise create a second, empty
/// data folder whose keys the running service does not know.
pub fn load_admin_config(
    config: Option<&std::path::Path>,
    data_dir: Option<PathBuf>,
) -> Result<Config> {
    let c = load_config(config, None, data_dir)?;
    let uses_dir = c.database_url.is_none() || (c.key_file.is_none() && c.encryption_key.is_none());
    if uses_dir && !c.data_dir.is_dir() {
        let shown = std::path::absolute(&c.data_dir).unwrap_or_else(|_| c.data_dir.clone());
        anyhow::bail!(
            "no data folder at {} — run from the service's folder or pass --data-dir (or set IDVERIFY_DATA_DIR)",
            shown.display()
        );
    }
    Ok(c)
}

/// Structured logs on stderr; `IDVERIFY_LOG` = `error`, `warn`, `info` (default), `debug`.
pub fn init_logging() {
    let level = match std::env::var("IDVERIFY_LOG").as_deref() {
        Ok("error") => tracing::Level::ERROR,
        Ok("warn") => tracing::Level::WARN,
        Ok("debug") => tracing::Level::DEBUG,
        Ok("trace") => tracing::Level::TRACE,
        _ => tracing::Level::INFO,
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// How `serve` makes its document check once the configuration is loaded.
pub type MakeCheck = fn(&Config) -> Result<Arc<dyn DocumentCheck>>;

/// Runs `idverify serve` with the document check `make_check` builds from the configuration.
pub fn run(args: ServeArgs, make_check: MakeCheck) -> ExitCode {
    init_logging();
    match serve(args, make_check) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("idverify serve: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: ServeArgs, make_check: MakeCheck) -> Result<()> {
    let mut config = load_config(args.config.as_deref(), args.listen, args.data_dir)?;
    if let Some(m) = args.models {
        config.ocr.models_dir = m;
    }
    let check = make_check(&config).context("setting up the document check")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let demo = if args.demo {
            let keys = crate::demo::load_or_create_keys(&config).await?;
            Some(crate::demo::Demo::new(keys))
        } else {
            None
        };
        let extra = match &demo {
            Some(d) => crate::demo::router(Arc::clone(d)),
            None => axum::Router::new(),
        };
        let server = RunningServer::start_with_routes(config, check, Arc::new(SystemClock), extra)
            .await
            .context("starting the service")?;
        if let Some(d) = &demo {
            d.connect(&server.service.public_base)?;
            eprintln!("demo shop: {}/demo", server.service.public_base);
        }
        eprintln!("idverify listening on http://{}", server.addr);
        server.run_until(shutdown_signal()).await;
        Ok(())
    })
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
