//! The one `idverify` binary: arguments, file and model loading, then the library crates.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod mrz_cmd;

/// idverify: self-hostable identity-document verification.
#[derive(Debug, Parser)]
#[command(name = "idverify", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// One variant per subcommand; each lives in its own module.
#[derive(Debug, Subcommand)]
enum Command {
    /// Parse MRZ text (lines as arguments, or one per line on stdin) and print it as JSON.
    Mrz(mrz_cmd::MrzArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Mrz(args) => mrz_cmd::run(args),
    }
}
