//! `idverify eval-decisions DOCS.json`: runs the whole document check (MRZ, printed zone,
//! image quality, cross-check, rules) on a set of documents and counts the decisions per group
//! and every concern's occurrences — the false-refusal benchmark's engine
//! (`scripts/bench-false-refusals` writes genuine rendered documents and their DOCS.json;
//! a DOCS.json over real photos works the same).
//!
//! DOCS.json is a list of `{"front": PATH, "back": PATH?, "group": NAME?}`, paths relative to
//! the file. With `--json` it prints one JSON object: `groups` (per group: documents,
//! approved, needsReview, declined, concerns `{code: count}`) and `documents` (per document:
//! its paths, group, decision and concern codes with messages).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use idverify_check::{CheckInput, Policy, assess};
use idverify_mrz::Date;
use idverify_vision::{IntakeLimits, Models};
use idverify_wire::Decision;
use serde::{Deserialize, Serialize};

/// Arguments of `eval-decisions`.
#[derive(Debug, clap::Args)]
pub struct EvalDecisionsArgs {
    /// A list of documents: `[{"front": PATH, "back": PATH, "group": NAME}]`.
    pub documents: PathBuf,
    /// Print one JSON object (groups and per-document decisions) instead of the table.
    #[arg(long)]
    pub json: bool,
    /// The day of the check (YYYY-MM-DD); today by default.
    #[arg(long)]
    pub today: Option<String>,
    /// A policy (the TOML of one `[policy]` table, as in the configuration) instead of the
    /// default one.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Folder of the printed-zone OCR models (default ./models, or env IDVERIFY_MODELS_DIR).
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
}

/// One document of DOCS.json.
#[derive(Debug, Deserialize)]
struct DocRow {
    front: String,
    #[serde(default)]
    back: Option<String>,
    #[serde(default)]
    group: Option<String>,
}

/// Counts of one group.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct Tally {
    documents: usize,
    approved: usize,
    needs_review: usize,
    declined: usize,
    concerns: BTreeMap<String, usize>,
}

/// One document's outcome.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Outcome {
    front: String,
    back: Option<String>,
    group: String,
    status: Decision,
    concerns: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
struct Report {
    groups: BTreeMap<String, Tally>,
    documents: Vec<Outcome>,
}

/// The policy of `path` (the keys of the configuration's `[policy]` table), read by the same
/// parser as the configuration's; the default policy without a file.
fn load_policy(path: Option<&Path>) -> Result<Policy> {
    let Some(path) = path else {
        return Ok(Policy::default());
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let table: toml::Table =
        toml::from_str(&text).with_context(|| format!("{} is not TOML", path.display()))?;
    let policies = crate::policies::Policies::from_table(&table)
        .with_context(|| format!("{}", path.display()))?;
    Ok(policies.for_app("").clone())
}

fn evaluate(args: &EvalDecisionsArgs, today: Date) -> Result<Report> {
    let text = std::fs::read_to_string(&args.documents)
        .with_context(|| format!("cannot read {}", args.documents.display()))?;
    let rows: Vec<DocRow> = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a list of {{front, back, group}}",
            args.documents.display()
        )
    })?;
    let base = args.documents.parent().unwrap_or(Path::new("."));
    let policy = load_policy(args.policy.as_deref())?;
    let models = Models::embedded()
        .context("the MRZ recogniser weights do not load: run training/train-recogniser")?;
    let dir = crate::pipeline::models_dir(args.models.as_deref());
    let ocr = crate::pipeline::load_ocr(&dir)?;
    let limits = IntakeLimits::default();
    let side = |name: &str| -> Result<idverify_check::SideInput> {
        let path = base.join(name);
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let page = crate::pipeline::decode_sides(&bytes, &limits)
            .with_context(|| format!("{}", path.display()))?
            .into_iter()
            .next()
            .with_context(|| format!("{}: the file has no page", path.display()))?;
        crate::pipeline::read_side(&page, &models, &ocr, today)
            .with_context(|| format!("{}", path.display()))
    };
    let mut report = Report {
        groups: BTreeMap::new(),
        documents: Vec::new(),
    };
    for row in &rows {
        let input = CheckInput {
            front: side(&row.front)?,
            back: row.back.as_deref().map(side).transpose()?,
        };
        let a = assess(&input, &policy, today);
        let group = row.group.clone().unwrap_or_else(|| "all".into());
        let tally = report.groups.entry(group.clone()).or_default();
        tally.documents += 1;
        match a.results.status {
            Decision::Approved => tally.approved += 1,
            Decision::Declined => tally.declined += 1,
            _ => tally.needs_review += 1,
        }
        for c in &a.results.concerns {
            *tally.concerns.entry(c.id.clone()).or_default() += 1;
        }
        report.documents.push(Outcome {
            front: row.front.clone(),
            back: row.back.clone(),
            group,
            status: a.results.status,
            concerns: a
                .results
                .concerns
                .iter()
                .map(|c| (c.id.clone(), c.message.clone()))
                .collect(),
        });
    }
    Ok(report)
}

fn print_table(report: &Report) {
    outln!(
        "{:<24} {:>5} {:>9} {:>13} {:>9}  concerns",
        "group",
        "docs",
        "approved",
        "needs-review",
        "declined"
    );
    for (name, t) in &report.groups {
        let concerns: Vec<String> = t.concerns.iter().map(|(c, n)| format!("{c}:{n}")).collect();
        outln!(
            "{:<24} {:>5} {:>9} {:>13} {:>9}  {}",
            name,
            t.documents,
            t.approved,
            t.needs_review,
            t.declined,
            concerns.join(" ")
        );
    }
    for d in report
        .documents
        .iter()
        .filter(|d| d.status != Decision::Approved)
    {
        let concerns: Vec<String> = d
            .concerns
            .iter()
            .filter(|(c, _)| c != "DC023")
            .map(|(c, m)| format!("{c} {m}"))
            .collect();
        outln!(
            "{:?} {}{}: {}",
            d.status,
            d.front,
            d.back
                .as_deref()
                .map(|b| format!(" + {b}"))
                .unwrap_or_default(),
            concerns.join("; ")
        );
    }
}

/// `idverify eval-decisions`.
pub fn run(args: EvalDecisionsArgs) -> ExitCode {
    let today = match crate::clock::today_or(args.today.as_deref()) {
        Ok(d) => d,
        Err(code) => return code,
    };
    match evaluate(&args, today) {
        Ok(report) => {
            if args.json {
                match serde_json::to_string(&report) {
                    Ok(s) => outln!("{s}"),
                    Err(e) => {
                        eprintln!("error: {e}");
                        return ExitCode::FAILURE;
                    }
                }
            } else {
                print_table(&report);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
