//! `idverify operators`: create the operators of the console (each gets a one-time set-up
//! link) and list them.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use idverify_server::{Admin, SystemClock};

/// Arguments of `idverify operators`.
#[derive(Debug, clap::Args)]
pub struct OperatorsArgs {
    #[command(subcommand)]
    command: OperatorsCommand,
    /// Data directory (default ./data; env IDVERIFY_DATA_DIR).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// TOML configuration file (env IDVERIFY_CONFIG).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
enum OperatorsCommand {
    /// Create an operator; prints {"operatorId", "email", "role", "setupUrl", "expiresAt"}.
    /// The set-up link works once, for 24 hours.
    Create {
        /// Their e-mail address (the sign-in name).
        #[arg(long)]
        email: String,
        /// reviewer (reviews verifications) or admin (also manages applications and operators).
        #[arg(long)]
        role: String,
    },
    /// List operators as JSON.
    List,
}

/// Runs `idverify operators …`.
pub fn run(args: OperatorsArgs) -> ExitCode {
    match operators(args) {
        Ok(json) => {
            outln!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("idverify operators: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn operators(args: OperatorsArgs) -> Result<String> {
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
            OperatorsCommand::Create { email, role } => {
                serde_json::to_string_pretty(&admin.create_operator(&email, &role).await?)?
            }
            OperatorsCommand::List => {
                let list: Vec<_> = admin
                    .store()
                    .list_operators()
                    .await?
                    .into_iter()
                    .map(|o| {
                        serde_json::json!({"operatorId": o.id, "email": o.email, "role": o.role,
                            "active": o.password_hash.is_some(), "disabled": o.disabled_at.is_some()})
                    })
                    .collect();
                serde_json::to_string_pretty(&list)?
            }
        };
        admin.store().close().await;
        Ok(out)
    })
}
