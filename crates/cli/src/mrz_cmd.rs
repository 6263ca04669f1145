//! `idverify mrz`: MRZ text in, CONTRACT §5 JSON out. Reports the text as given (no correction).

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::Context;

/// Arguments of `idverify mrz`.
#[derive(Debug, clap::Args)]
pub struct MrzArgs {
    /// The MRZ lines; when none are given, they are read from stdin, one per line.
    lines: Vec<String>,
}

/// Exit status for text that is no MRZ of any format (CONTRACT §5).
const NOT_MRZ: u8 = 2;

/// Runs the command: prints the JSON and exits 0 (even when `valid` is false), or prints a
/// one-line error and exits 2 when the text is no MRZ, 1 when stdin cannot be read.
pub fn run(args: MrzArgs) -> ExitCode {
    let raw = if args.lines.is_empty() {
        match read_stdin() {
            Ok(lines) => lines,
            Err(e) => {
                eprintln!("idverify mrz: {e:#}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        args.lines
    };
    let lines = clean_lines(&raw);
    match idverify_mrz::parse(&lines, crate::clock::today_utc()) {
        Ok(mrz) => match serde_json::to_string(&mrz.to_contract()) {
            Ok(json) => {
                outln!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("idverify mrz: cannot serialise the result: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("idverify mrz: {e}");
            ExitCode::from(NOT_MRZ)
        }
    }
}

fn read_stdin() -> anyhow::Result<Vec<String>> {
    let stdin = std::io::stdin();
    let mut lines = Vec::new();
    for line in stdin.lock().lines() {
        lines.push(line.context("cannot read stdin")?);
    }
    Ok(lines)
}

/// Each argument may itself hold several lines; surrounding whitespace (and `\r`) is dropped and
/// blank lines are skipped. Spaces inside a line are kept: they are not MRZ characters, and the
/// parser reports them.
fn clean_lines(raw: &[String]) -> Vec<String> {
    raw.iter()
        .flat_map(|arg| arg.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_lines() {
        let raw = vec![
            "  P<UTO\r\n\nL898  ".to_string(),
            "".to_string(),
            "A B".to_string(),
        ];
        assert_eq!(clean_lines(&raw), vec!["P<UTO", "L898", "A B"]);
    }
}
