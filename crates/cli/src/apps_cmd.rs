//! `idverify apps`: create, list, rotate the keys of, and delete applications (tenants). Keys
//! are printed once, as JSON, and stored only as hashes.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use idverify_server::{Admin, SystemClock};

/// Arguments of `idverify apps`.
#[derive(Debug, clap::Args)]
pub struct AppsArgs {
    #[command(subcommand)]
    command: AppsCommand,
    /// Data directory (default ./data; env IDVERIFY_DATA_DIR).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// TOML configuration file (env IDVERIFY_CONFIG).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
enum AppsCommand {
    /// Create an application; prints {"appId", "publishableKey", "secretKey"}.
    Create {
        /// Its name.
        #[arg(long)]
        name: String,
        /// URL the callback object is POSTed to when a verification is done.
        #[arg(long)]
        webhook: Option<String>,
    },
    /// List applications as JSON.
    List,
    /// Replace an application's publishable and secret keys; the old ones stop working.
    RotateKey {
        /// The app id.
        #[arg(long = "app")]
        app_id: String,
    },
    /// Set the origins (scheme://host[:port], or *) whose pages may run the sign-up flow with
    /// this application's keys (CORS); prints the list. Without ORIGIN and --clear, only prints.
    Origins {
        /// The app id.
        #[arg(long = "app")]
        app_id: String,
        /// The allowed origins, replacing the current list.
        origins: Vec<String>,
        /// Remove every allowed origin.
        #[arg(long, conflicts_with = "origins")]
        clear: bool,
    },
    /// Delete an application: its keys stop working.
    Delete {
        /// The app id.
        #[arg(long = "app")]
        app_id: String,
    },
}

/// Runs `idverify apps …`.
pub fn run(args: AppsArgs) -> ExitCode {
    match apps(args) {
        Ok(json) => {
            outln!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("idverify apps: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn apps(args: AppsArgs) -> Result<String> {
    let config = crate::serve_cmd::load_admin_config(args.config.as_deref(), args.data_dir)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let admin = Admin::open(config, Arc::new(SystemClock))
            .await
            .context("opening the storage")?;
        let out = match args.command {
            AppsCommand::Create { name, webhook } => {
                serde_json::to_string_pretty(&admin.create_app(&name, webhook.as_deref()).await?)?
            }
            AppsCommand::List => serde_json::to_string_pretty(&admin.list_apps().await?)?,
            AppsCommand::RotateKey { app_id } => {
                serde_json::to_string_pretty(&admin.rotate_keys(&app_id).await?)?
            }
            AppsCommand::Origins {
                app_id,
                origins,
                clear,
            } => {
                if clear || !origins.is_empty() {
                    let list = idverify_server::flow::parse_origins(&origins)?;
                    if !admin.store().set_app_origins(&app_id, &list).await? {
                        anyhow::bail!("no application {app_id}");
                    }
                }
                let now = admin.store().app_origins(&app_id).await?;
                serde_json::to_string_pretty(&serde_json::json!({"appId": app_id, "origins": now}))?
            }
            AppsCommand::Delete { app_id } => {
                admin.delete_app(&app_id).await?;
                serde_json::json!({"appId": app_id, "deleted": true}).to_string()
            }
        };
        admin.store().close().await;
        Ok(out)
    })
}
