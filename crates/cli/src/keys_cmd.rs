//! `idverify keys`: the ES512 signing keys. `rotate` adds a key that signs from now on; older
//! keys stay in the JWKS so tokens they signed still verify. Running servers pick the new key up
//! within 30 seconds.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use idverify_server::{Admin, SystemClock};

/// Arguments of `idverify keys`.
#[derive(Debug, clap::Args)]
pub struct KeysArgs {
    #[command(subcommand)]
    command: KeysCommand,
    /// Data directory (default ./data; env IDVERIFY_DATA_DIR).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// TOML configuration file (env IDVERIFY_CONFIG).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
enum KeysCommand {
    /// Add a new signing key; prints {"kid"}.
    Rotate,
    /// List the signing keys: [{"kid", "createdAt", "retiredAt"}].
    List,
}

/// Runs `idverify keys …`.
pub fn run(args: KeysArgs) -> ExitCode {
    match keys(args) {
        Ok(json) => {
            outln!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("idverify keys: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn keys(args: KeysArgs) -> Result<String> {
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
            KeysCommand::Rotate => {
                let kid = admin.rotate_signing_key().await?;
                serde_json::json!({ "kid": kid }).to_string()
            }
            KeysCommand::List => {
                let keys: Vec<serde_json::Value> = admin
                    .list_signing_keys()
                    .await?
                    .into_iter()
                    .map(|(kid, created, retired)| {
                        serde_json::json!({"kid": kid, "createdAt": created, "retiredAt": retired})
                    })
                    .collect();
                serde_json::to_string_pretty(&keys)?
            }
        };
        admin.store().close().await;
        Ok(out)
    })
}
