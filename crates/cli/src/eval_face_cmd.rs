//! `idverify eval-face PAIRS.json [--json]`: embeds both images of every pair, compares them,
//! and prints the true-accept rate at false-accept rates of 1% and 0.1%, the equal error rate
//! and the time per pair (detection and embedding of both images); with `--json`, one object
//! with those figures and every pair's similarity and the service's decision.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use idverify_vision::{IntakeLimits, decode_image};
use serde::{Deserialize, Serialize};

/// Arguments of `eval-face`.
#[derive(Debug, clap::Args)]
pub struct EvalFaceArgs {
    /// A JSON list of `{"a": PATH, "b": PATH, "same": true|false}` (paths absolute or
    /// relative to the file's folder).
    pub pairs: PathBuf,
    /// Print one JSON object (summary and every pair's decision) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Folder of the models that scripts/setup-ocr-models installs (default ./models, or env
    /// IDVERIFY_MODELS_DIR).
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
struct Pair {
    a: String,
    b: String,
    same: bool,
}

/// One pair's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    /// First image, as given.
    pub a: String,
    /// Second image, as given.
    pub b: String,
    /// Whether the pair is one person.
    pub same: bool,
    /// Cosine similarity of the two faces; -1 when either image has no face.
    pub similarity: f32,
    /// The service's decision at its default threshold.
    #[serde(rename = "match")]
    pub is_match: bool,
}

/// The figures `eval-face` prints.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Pairs evaluated.
    pub pairs: usize,
    /// Same-person pairs.
    pub genuine: usize,
    /// Different-person pairs.
    pub impostor: usize,
    /// Images on which no face was found.
    pub images_without_face: usize,
    /// True-accept rate at a false-accept rate of at most 1%.
    pub tar_at_far_1: f64,
    /// True-accept rate at a false-accept rate of at most 0.1%.
    pub tar_at_far_01: f64,
    /// Equal error rate.
    pub eer: f64,
    /// The service's default match threshold.
    pub threshold: f32,
    /// At that threshold: true-accept rate and false-accept rate.
    pub tar_at_threshold: f64,
    /// False-accept rate at the default threshold.
    pub far_at_threshold: f64,
    /// Mean milliseconds per pair: both images detected and embedded (decoding excluded).
    pub ms_per_pair: f64,
    /// Every pair's outcome.
    pub decisions: Vec<Decision>,
}

/// The highest true-accept rate whose false-accept rate is at most `far`: the threshold is
/// put just above the `floor(far * n)`-th highest impostor score.
pub fn tar_at_far(genuine: &[f32], impostor: &[f32], far: f64) -> f64 {
    if genuine.is_empty() {
        return 0.0;
    }
    let mut imp = impostor.to_vec();
    imp.sort_by(|a, b| b.total_cmp(a));
    let allowed = (far * imp.len() as f64).floor() as usize;
    // Accept scores strictly above the (allowed+1)-th highest impostor score.
    let threshold = imp.get(allowed).copied().unwrap_or(f32::NEG_INFINITY);
    genuine.iter().filter(|&&g| g > threshold).count() as f64 / genuine.len() as f64
}

/// Equal error rate: where the false-reject and false-accept rates cross (the mean of the two
/// at the threshold where they are closest).
pub fn eer(genuine: &[f32], impostor: &[f32]) -> f64 {
    let mut thresholds: Vec<f32> = genuine.iter().chain(impostor).copied().collect();
    thresholds.sort_by(f32::total_cmp);
    let mut best = (f64::INFINITY, 1.0);
    for t in thresholds {
        let frr = genuine.iter().filter(|&&g| g < t).count() as f64 / genuine.len().max(1) as f64;
        let far =
            impostor.iter().filter(|&&i| i >= t).count() as f64 / impostor.len().max(1) as f64;
        if (frr - far).abs() < best.0 {
            best = ((frr - far).abs(), (frr + far) / 2.0);
        }
    }
    best.1
}

struct Embedded {
    embedding: Option<idverify_face::Embedding>,
    ms: f64,
}

fn embed_file(path: &Path, models: &idverify_face::Models) -> Result<Embedded> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let img = decode_image(&bytes, &IntakeLimits::default())
        .with_context(|| format!("{}", path.display()))?
        .to_rgb8();
    let t0 = Instant::now();
    let faces = models.detect(&img)?;
    let embedding = match faces.first() {
        Some(face) => Some(models.embed(&img, face)?),
        None => None,
    };
    Ok(Embedded {
        embedding,
        ms: t0.elapsed().as_secs_f64() * 1e3,
    })
}

/// Evaluates the pairs of `pairs_file` with `models`, deciding at `threshold`.
pub fn evaluate(
    pairs_file: &Path,
    models: &idverify_face::Models,
    threshold: f32,
) -> Result<Summary> {
    let text = std::fs::read_to_string(pairs_file)
        .with_context(|| format!("cannot read {}", pairs_file.display()))?;
    let pairs: Vec<Pair> = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a list of pairs", pairs_file.display()))?;
    let base = pairs_file.parent().unwrap_or(Path::new("."));
    let mut cache: HashMap<String, Embedded> = HashMap::new();
    let (mut genuine, mut impostor) = (Vec::new(), Vec::new());
    let mut decisions = Vec::with_capacity(pairs.len());
    let mut total_ms = 0.0;
    for p in &pairs {
        for name in [&p.a, &p.b] {
            if !cache.contains_key(name) {
                let e = embed_file(&base.join(name), models)?;
                cache.insert(name.clone(), e);
            }
        }
        let (ea, eb) = (cache.get(&p.a), cache.get(&p.b));
        total_ms += ea.map_or(0.0, |e| e.ms) + eb.map_or(0.0, |e| e.ms);
        let similarity = match (
            ea.and_then(|e| e.embedding.as_ref()),
            eb.and_then(|e| e.embedding.as_ref()),
        ) {
            (Some(a), Some(b)) => a.similarity(b),
            _ => -1.0,
        };
        if p.same {
            genuine.push(similarity);
        } else {
            impostor.push(similarity);
        }
        decisions.push(Decision {
            a: p.a.clone(),
            b: p.b.clone(),
            same: p.same,
            similarity,
            is_match: similarity >= threshold,
        });
    }
    let rate =
        |v: &[f32]| v.iter().filter(|&&s| s >= threshold).count() as f64 / v.len().max(1) as f64;
    Ok(Summary {
        pairs: pairs.len(),
        genuine: genuine.len(),
        impostor: impostor.len(),
        images_without_face: cache.values().filter(|e| e.embedding.is_none()).count(),
        tar_at_far_1: tar_at_far(&genuine, &impostor, 0.01),
        tar_at_far_01: tar_at_far(&genuine, &impostor, 0.001),
        eer: eer(&genuine, &impostor),
        threshold,
        tar_at_threshold: rate(&genuine),
        far_at_threshold: rate(&impostor),
        ms_per_pair: total_ms / pairs.len().max(1) as f64,
        decisions,
    })
}

fn print_summary(s: &Summary) {
    outln!(
        "pairs: {} ({} same person, {} different); images without a face: {}",
        s.pairs,
        s.genuine,
        s.impostor,
        s.images_without_face
    );
    outln!("TAR at FAR 1%:   {:.1}%", 100.0 * s.tar_at_far_1);
    outln!("TAR at FAR 0.1%: {:.1}%", 100.0 * s.tar_at_far_01);
    outln!("EER:             {:.1}%", 100.0 * s.eer);
    outln!(
        "at the default threshold {:.3}: TAR {:.1}%, FAR {:.2}%",
        s.threshold,
        100.0 * s.tar_at_threshold,
        100.0 * s.far_at_threshold
    );
    outln!(
        "time per pair: {:.1} ms (detection and embedding of both images)",
        s.ms_per_pair
    );
}

/// `idverify eval-face`.
pub fn run(args: EvalFaceArgs) -> ExitCode {
    let dir = crate::pipeline::models_dir(args.models.as_deref());
    let result = crate::pipeline::load_faces(&dir).and_then(|models| {
        evaluate(
            &args.pairs,
            &models,
            idverify_check::Policy::default().face.match_threshold as f32,
        )
    });
    match result {
        Ok(s) if args.json => match serde_json::to_string(&s) {
            Ok(j) => {
                outln!("{j}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tar_at_far_counts_genuine_scores_above_the_allowed_impostors() {
        let impostor: Vec<f32> = (0..100).map(|i| i as f32 / 100.0).collect();
        // 1% of 100 impostors: one may pass, so the threshold sits above 0.98.
        let genuine = [0.985, 0.995, 0.5, 0.99];
        assert_eq!(tar_at_far(&genuine, &impostor, 0.01), 0.75);
        assert_eq!(tar_at_far(&genuine, &impostor, 0.0), 0.25);
    }

    #[test]
    fn eer_of_separated_scores_is_zero() {
        assert_eq!(eer(&[0.9, 0.8], &[0.1, 0.2]), 0.0);
    }
}
