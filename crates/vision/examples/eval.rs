//! Development shortcut: the `eval-mrz` command of the CLI, built without the server.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[macro_use]
#[path = "../../cli/src/out.rs"]
mod out;
#[path = "../../cli/src/clock.rs"]
mod clock;
#[path = "../../cli/src/eval_cmd.rs"]
#[allow(dead_code)]
mod eval_cmd;

use clap::Parser;

#[derive(Debug, Parser)]
struct Cli {
    #[command(flatten)]
    args: eval_cmd::EvalMrzArgs,
}

fn main() -> std::process::ExitCode {
    eval_cmd::run(Cli::parse().args)
}
