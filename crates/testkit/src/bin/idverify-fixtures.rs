//! `idverify-fixtures`: writes rendered (and optionally degraded) specimen documents and a
//! `labels.json` in the dev set's format, so `idverify eval-mrz DIR/labels.json` runs on them.

use anyhow::{Context, Result, bail};
use clap::Parser;
use idverify_testkit::rand::seq::IndexedRandom;
use idverify_testkit::rand::{Rng, SeedableRng};
use idverify_testkit::{
    ChaCha8Rng, Degradation, DegradeLevel, DocFormat, LabelRow, RenderOptions, Side, SpecimenSpec,
    degrade_mapped, encode_jpeg, render, render_without_mrz,
};
use std::fs;
use std::path::{Path, PathBuf};

/// Render synthetic specimen documents with ground truth.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Output folder (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Number of documents.
    #[arg(long, default_value_t = 10)]
    count: u32,
    /// Seed; the same seed writes the same files.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Degradation level: none, mild, medium, hard.
    #[arg(long, default_value = "none")]
    degrade: DegradeLevel,
    /// Formats to cycle through, comma-separated (td1,td2,td3,mrva,mrvb,french_id); random ICAO formats if absent.
    #[arg(long, value_delimiter = ',')]
    format: Vec<DocFormat>,
    /// Number of negative images (document-like, no MRZ) to add.
    #[arg(long, default_value_t = 0)]
    negatives: u32,
    /// Rendering resolution.
    #[arg(long, default_value_t = 300.0)]
    dpi: f32,
    /// JPEG quality of images written without a degradation that re-encodes them.
    #[arg(long, default_value_t = 92)]
    quality: u8,
    /// Write lossless PNG instead of JPEG (a degradation's own JPEG step still applies).
    #[arg(long)]
    png: bool,
    /// Also write `<n>_<format>.truth.json` with the full ground truth (boxes included).
    #[arg(long)]
    truth: bool,
    /// Draw documents valid on this day (YYYY-MM-DD) instead of 2026-01-01; a day years back
    /// makes expired documents.
    #[arg(long, value_parser = parse_day)]
    valid_on: Option<idverify_testkit::Date>,
}

fn parse_day(s: &str) -> Result<idverify_testkit::Date, String> {
    let mut parts = s.split('-').map(str::parse::<u16>);
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(Ok(y)), Some(Ok(m)), Some(Ok(d)), None) => idverify_testkit::Date::new(
            y,
            u8::try_from(m).unwrap_or(0),
            u8::try_from(d).unwrap_or(0),
        )
        .ok_or_else(|| format!("{s:?} is not a calendar date")),
        _ => Err(format!("{s:?} is not YYYY-MM-DD")),
    }
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args.count == 0 && args.negatives == 0 {
        bail!("nothing to do: --count and --negatives are both 0");
    }
    fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let opts = RenderOptions { dpi: args.dpi };
    let mut rows = Vec::new();
    for n in 0..args.count {
        let mut rng = doc_rng(args.seed, u64::from(n));
        // The same draws as `SpecimenSpec::random` / `random_of`: format first, then the rest.
        let format = match args.format.len() {
            0 => DocFormat::ICAO
                .choose(&mut rng)
                .copied()
                .unwrap_or(DocFormat::Td3),
            len => args
                .format
                .get(n as usize % len)
                .copied()
                .unwrap_or(DocFormat::Td3),
        };
        let spec = match args.valid_on {
            Some(day) => SpecimenSpec::random_valid_on(format, day, &mut rng),
            None => SpecimenSpec::random_of(format, &mut rng),
        };
        let specimen = render(&spec, &opts).with_context(|| format!("rendering document {n}"))?;
        let stem = format!("{n:04}_{}", spec.format);
        let ext = if args.png { "png" } else { "jpg" };
        let note = format!(
            "{} seed {} doc {n}, degrade {:?}",
            spec.format, args.seed, args.degrade
        );
        let mut sides = Vec::new();
        for side in [Side::Front, Side::Back] {
            let Some(img) = specimen.image(side) else {
                continue;
            };
            let name = match side {
                Side::Front => format!("{stem}.{ext}"),
                Side::Back => format!("{stem}_back.{ext}"),
            };
            let (degradation, transform) = write_side(&args, img, &args.out.join(&name), &mut rng)?;
            let side_note = match (side, specimen.back.is_some()) {
                (Side::Front, false) => note.clone(),
                (Side::Front, true) => format!("{note}, front of a card"),
                (Side::Back, _) => format!("{note}, back of a card"),
            };
            rows.push(LabelRow::for_side(
                name.clone(),
                &specimen.truth,
                side,
                side_note,
            ));
            sides.push(serde_json::json!({"image": name, "side": side, "degradation": degradation, "transform": transform}));
        }
        if args.truth {
            let doc = serde_json::json!({"truth": specimen.truth, "images": sides});
            write_json(&args.out.join(format!("{stem}.truth.json")), &doc)?;
        }
    }
    for k in 0..args.negatives {
        let mut rng = doc_rng(args.seed ^ 0x6e65_6761_7469_7665, u64::from(k));
        let spec = SpecimenSpec::random(&mut rng);
        let specimen =
            render_without_mrz(&spec, &opts).with_context(|| format!("rendering negative {k}"))?;
        let ext = if args.png { "png" } else { "jpg" };
        let name = format!("neg{k:04}_{}.{ext}", spec.format);
        let side = write_side(&args, &specimen.front, &args.out.join(&name), &mut rng)?;
        rows.push(LabelRow::for_side(
            name.clone(),
            &specimen.truth,
            Side::Front,
            format!(
                "negative: {} printed zone without MRZ, seed {} #{k}",
                spec.format, args.seed
            ),
        ));
        if args.truth {
            let doc = serde_json::json!({"truth": specimen.truth, "images": [{"image": name, "degradation": side.0, "transform": side.1}]});
            write_json(&args.out.join(format!("neg{k:04}.truth.json")), &doc)?;
        }
    }
    write_json(&args.out.join("labels.json"), &rows)?;
    println!(
        "wrote {} images and labels.json in {}",
        rows.len(),
        args.out.display()
    );
    Ok(())
}

/// Independent stream per document, so document `n` does not depend on `--count`.
fn doc_rng(seed: u64, n: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(n);
    rng
}

fn write_side(
    args: &Args,
    img: &image::RgbImage,
    path: &Path,
    rng: &mut ChaCha8Rng,
) -> Result<(Degradation, idverify_testkit::PointMap)> {
    let mut d = Degradation::random(args.degrade, rng);
    if args.png {
        let out = degrade_mapped(img, &d, &mut ChaCha8Rng::seed_from_u64(rng.random()))
            .with_context(|| format!("degrading {}", path.display()))?;
        out.image
            .save_with_format(path, image::ImageFormat::Png)
            .with_context(|| format!("writing {}", path.display()))?;
        return Ok((d, out.transform));
    }
    // Re-encoding happens once, when the file is written.
    let quality = d.jpeg_quality.take().unwrap_or(args.quality);
    let out = degrade_mapped(img, &d, &mut ChaCha8Rng::seed_from_u64(rng.random()))
        .with_context(|| format!("degrading {}", path.display()))?;
    let bytes = encode_jpeg(&out.image, quality)?;
    fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))?;
    d.jpeg_quality = Some(quality);
    Ok((d, out.transform))
}

fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    fs::write(path, text + "\n").with_context(|| format!("writing {}", path.display()))
}
