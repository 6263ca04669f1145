//! The one `idverify` binary: arguments, file and model loading, then the library crates.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[macro_use]
mod out;

mod apps_cmd;
mod clock;
mod demo;
mod eval_cmd;
mod eval_decisions;
mod eval_face_cmd;
mod keys_cmd;
mod mrz_cmd;
mod operators_cmd;
mod pipeline;
mod policies;
mod scan_cmd;
mod serve_cmd;

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
    /// Run the verification service (HTTP API, workers, webhooks).
    Serve(serve_cmd::ServeArgs),
    /// Manage applications (tenants) and their keys.
    Apps(apps_cmd::AppsArgs),
    /// Manage the ES512 signing keys.
    Keys(keys_cmd::KeysArgs),
    /// Manage the operators of the console (/console).
    Operators(operators_cmd::OperatorsArgs),
    /// Read the MRZ of local images, run the document check, print the Result as JSON.
    Scan(scan_cmd::ScanArgs),
    /// Evaluate MRZ reading on a labelled image set (labels.json).
    EvalMrz(eval_cmd::EvalMrzArgs),
    /// Run the whole document check on a list of documents and count the decisions.
    EvalDecisions(eval_decisions::EvalDecisionsArgs),
    /// Evaluate face match on a list of image pairs (PAIRS.json).
    EvalFace(eval_face_cmd::EvalFaceArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Mrz(args) => mrz_cmd::run(args),
        Command::Serve(args) => serve_cmd::run(args, |config| {
            let policies = policies::Policies::from_table(&config.policy)?;
            let pipeline = pipeline::ReadingPipeline::new(policies, &config.ocr.models_dir)?;
            Ok(std::sync::Arc::new(pipeline))
        }),
        Command::Apps(args) => apps_cmd::run(args),
        Command::Keys(args) => keys_cmd::run(args),
        Command::Operators(args) => operators_cmd::run(args),
        Command::Scan(args) => scan_cmd::run(args),
        Command::EvalMrz(args) => eval_cmd::run(args),
        Command::EvalDecisions(args) => eval_decisions::run(args),
        Command::EvalFace(args) => eval_face_cmd::run(args),
    }
}
