//! `idverify eval-mrz LABELS.json`: reads every image of a labelled set and prints how many
//! MRZs were found, read exactly and with every key field right, the detections on images
//! without an MRZ, and the median and 95th-percentile time per image (decoding included).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use idverify_mrz::{Date, Mrz, parse};
use idverify_vision::{IntakeLimits, Models, decode_image, read_mrz};
use serde::Deserialize;

/// Arguments of `eval-mrz`.
#[derive(Debug, clap::Args)]
pub struct EvalMrzArgs {
    /// A labels.json: rows with `image` (relative to the file's folder), `has_mrz`, `mrz_lines`.
    pub labels: PathBuf,
    /// One line per image.
    #[arg(long)]
    pub verbose: bool,
    /// The date that fixes the century of birth dates (YYYY-MM-DD); today by default.
    #[arg(long)]
    pub today: Option<String>,
}

/// One row of a labels file.
#[derive(Debug, Deserialize)]
struct Row {
    image: String,
    has_mrz: bool,
    #[serde(default)]
    mrz_lines: Option<Vec<String>>,
}

/// The figures `eval-mrz` prints.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Summary {
    /// Images read.
    pub images: usize,
    /// Images that have an MRZ.
    pub with_mrz: usize,
    /// Of those, where one was found.
    pub found: usize,
    /// Images whose MRZ text is labelled.
    pub labelled: usize,
    /// Of those, read exactly.
    pub exact: usize,
    /// Of those, every key field right.
    pub fields_right: usize,
    /// Of the labelled, found and reported valid by the check digits.
    pub valid: usize,
    /// Readings reported valid that differ from the label.
    pub valid_but_wrong: usize,
    /// Images without an MRZ.
    pub without_mrz: usize,
    /// Detections on images without an MRZ.
    pub false_detections: usize,
    /// Images that could not be decoded.
    pub errors: usize,
    /// Milliseconds per image (wall clock).
    pub times_ms: Vec<f64>,
    /// CPU milliseconds per image (this thread's on-CPU time), where the OS reports it.
    pub cpu_ms: Vec<f64>,
}

impl Summary {
    /// The `q` quantile of the times (nearest rank).
    pub fn quantile_ms(&self, q: f64) -> f64 {
        quantile(&self.times_ms, q)
    }
}

/// The `q` quantile of `v` (nearest rank); 0 when empty.
pub fn quantile(v: &[f64], q: f64) -> f64 {
    let mut t = v.to_vec();
    t.sort_by(f64::total_cmp);
    if t.is_empty() {
        return 0.0;
    }
    let rank = ((q * t.len() as f64).ceil() as usize).clamp(1, t.len());
    t.get(rank - 1).copied().unwrap_or(0.0)
}

/// This thread's on-CPU time in nanoseconds (`/proc/thread-self/schedstat`), when available: a
/// timing that machine load does not inflate.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// The key fields: document number, surname, given names, birth date, expiry, sex,
/// nationality, issuing state.
pub fn key_fields(m: &Mrz) -> [String; 8] {
    [
        m.document_number.clone(),
        m.last_name.clone(),
        m.first_name.clone(),
        m.birth_date.iso(),
        m.expiry_date.iso(),
        m.sex.map(|s| s.as_str().to_string()).unwrap_or_default(),
        m.nationality.clone(),
        m.issuing_state.clone(),
    ]
}

/// Runs the evaluation.
pub fn evaluate(labels: &Path, today: Date, verbose: bool) -> Result<Summary> {
    let text = std::fs::read_to_string(labels)
        .with_context(|| format!("cannot read {}", labels.display()))?;
    let rows: Vec<Row> = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a labels file", labels.display()))?;
    let base = labels.parent().unwrap_or(Path::new("."));
    let models = Models::embedded()
        .context("the MRZ recogniser weights do not load: run training/train-recogniser")?;
    let limits = IntakeLimits::default();
    let mut s = Summary::default();
    for row in &rows {
        let path = base.join(&row.image);
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let cpu0 = thread_cpu_ns();
        let t = Instant::now();
        let reading = decode_image(&bytes, &limits).map(|img| read_mrz(&img, &models, today));
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if let (Some(a), Some(b)) = (cpu0, thread_cpu_ns()) {
            s.cpu_ms.push(b.saturating_sub(a) as f64 / 1e6);
        }
        s.images += 1;
        s.times_ms.push(ms);
        let reading = match reading {
            Ok(r) => r,
            Err(e) => {
                s.errors += 1;
                if verbose {
                    outln!("{:<48} ERROR {e}", row.image);
                }
                continue;
            }
        };
        let found = reading.text.is_some();
        if row.has_mrz {
            s.with_mrz += 1;
            s.found += usize::from(found);
        } else {
            s.without_mrz += 1;
            s.false_detections += usize::from(found);
        }
        let mut verdict = String::new();
        if let Some(truth) = row.mrz_lines.as_ref().filter(|_| row.has_mrz) {
            s.labelled += 1;
            if let Some(t) = &reading.text {
                let exact = t.lines == *truth;
                s.exact += usize::from(exact);
                let truth_fields = parse(truth, today).ok().map(|m| key_fields(&m));
                let read_fields = t.mrz.as_ref().map(key_fields);
                let fields = truth_fields.is_some() && truth_fields == read_fields;
                s.fields_right += usize::from(fields);
                if t.valid {
                    s.valid += 1;
                    if !exact {
                        s.valid_but_wrong += 1;
                    }
                }
                verdict = format!(
                    " exact={} fields={}{}",
                    u8::from(exact),
                    u8::from(fields),
                    if exact {
                        String::new()
                    } else {
                        format!(" truth={}", truth.join("|"))
                    }
                );
            } else {
                verdict = " exact=0 fields=0".into();
            }
        }
        if verbose {
            match &reading.text {
                Some(t) => outln!(
                    "{:<48} {:>6.1} ms found valid={} conf={:.3} changes={} turns={} {}{}",
                    row.image,
                    ms,
                    u8::from(t.valid),
                    t.confidence,
                    t.changes,
                    t.quarter_turns,
                    t.lines.join("|"),
                    verdict
                ),
                None => outln!(
                    "{:<48} {:>6.1} ms none (has_mrz={}){}{}",
                    row.image,
                    ms,
                    row.has_mrz,
                    verdict,
                    reading
                        .rejected
                        .as_ref()
                        .map(|(l, c)| format!(" rejected conf={c:.3} {}", l.join("|")))
                        .unwrap_or_default()
                ),
            }
        }
    }
    Ok(s)
}

/// Prints the summary.
pub fn print_summary(s: &Summary) {
    outln!("images: {}", s.images);
    outln!("MRZ found: {} / {}", s.found, s.with_mrz);
    outln!("labelled: {}", s.labelled);
    outln!("exact MRZ: {} / {}", s.exact, s.labelled);
    outln!("all key fields right: {} / {}", s.fields_right, s.labelled);
    outln!(
        "reported valid: {} (of which differ from the label: {})",
        s.valid,
        s.valid_but_wrong
    );
    outln!(
        "detections on images without MRZ: {} / {}",
        s.false_detections,
        s.without_mrz
    );
    outln!("decode errors: {}", s.errors);
    outln!(
        "time per image: median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        s.quantile_ms(0.5),
        s.quantile_ms(0.95),
        s.quantile_ms(1.0)
    );
    if !s.cpu_ms.is_empty() {
        outln!(
            "CPU time per image: median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            quantile(&s.cpu_ms, 0.5),
            quantile(&s.cpu_ms, 0.95),
            quantile(&s.cpu_ms, 1.0)
        );
    }
}

/// `idverify eval-mrz`.
pub fn run(args: EvalMrzArgs) -> ExitCode {
    let today = match crate::clock::today_or(args.today.as_deref()) {
        Ok(d) => d,
        Err(code) => return code,
    };
    match evaluate(&args.labels, today, args.verbose) {
        Ok(s) => {
            print_summary(&s);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
