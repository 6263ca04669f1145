//! `idverify-fixtures`: writes rendered (and optionally degraded) specimen documents and a
//! `labels.json` in the dev set's format, so `idverify eval-mrz DIR/labels.json` runs on them.

use anyhow::{Context, Result, bail};
use clap::Parser;
use idverify_testkit::{
    DegradeLevel, DocFormat, LabelRow, Photo, RenderOptions, Side, SpecimenSet, encode_jpeg,
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
    let set = SpecimenSet {
        seed: args.seed,
        formats: args.format.clone(),
        degrade: args.degrade,
        valid_on: args.valid_on,
        render: RenderOptions { dpi: args.dpi },
    };
    let ext = if args.png { "png" } else { "jpg" };
    let mut rows = Vec::new();
    // One entry per document (front, back when it has one), for `idverify eval-decisions`.
    let mut documents = Vec::new();
    for n in 0..u64::from(args.count) {
        let doc = set
            .document(n)
            .with_context(|| format!("rendering document {n}"))?;
        let truth = &doc.specimen.truth;
        let format = truth.spec.format;
        let stem = format!("{n:04}_{format}");
        let note = format!(
            "{format} seed {} doc {n}, degrade {:?}",
            args.seed, args.degrade
        );
        let mut images = Vec::new();
        let mut entry = serde_json::json!({
            "group": format!("{format}/{}", level_name(args.degrade)),
        });
        for photo in &doc.photos {
            let name = match photo.side {
                Side::Front => format!("{stem}.{ext}"),
                Side::Back => format!("{stem}_back.{ext}"),
            };
            write_photo(&args, photo, &args.out.join(&name))?;
            let side_note = match (photo.side, doc.photos.len()) {
                (Side::Front, 1) => note.clone(),
                (Side::Front, _) => format!("{note}, front of a card"),
                (Side::Back, _) => format!("{note}, back of a card"),
            };
            rows.push(LabelRow::for_side(
                name.clone(),
                truth,
                photo.side,
                side_note,
            ));
            images.push(image_entry(&name, photo));
            let key = match photo.side {
                Side::Front => "front",
                Side::Back => "back",
            };
            if let Some(o) = entry.as_object_mut() {
                o.insert(key.into(), serde_json::Value::String(name));
            }
        }
        documents.push(entry);
        if args.truth {
            let doc = serde_json::json!({"truth": truth, "images": images});
            write_json(&args.out.join(format!("{stem}.truth.json")), &doc)?;
        }
    }
    for k in 0..u64::from(args.negatives) {
        let doc = set
            .negative(k)
            .with_context(|| format!("rendering negative {k}"))?;
        let truth = &doc.specimen.truth;
        let format = truth.spec.format;
        let mut images = Vec::new();
        for photo in &doc.photos {
            let name = format!("neg{k:04}_{format}.{ext}");
            write_photo(&args, photo, &args.out.join(&name))?;
            let note = format!(
                "negative: {format} printed zone without MRZ, seed {} #{k}",
                args.seed
            );
            rows.push(LabelRow::for_side(name.clone(), truth, photo.side, note));
            images.push(image_entry(&name, photo));
        }
        if args.truth {
            let doc = serde_json::json!({"truth": truth, "images": images});
            write_json(&args.out.join(format!("neg{k:04}.truth.json")), &doc)?;
        }
    }
    write_json(&args.out.join("labels.json"), &rows)?;
    if !documents.is_empty() {
        write_json(&args.out.join("documents.json"), &documents)?;
    }
    println!(
        "wrote {} images and labels.json in {}",
        rows.len(),
        args.out.display()
    );
    Ok(())
}

/// The level's command-line name.
fn level_name(level: DegradeLevel) -> &'static str {
    match level {
        DegradeLevel::None => "none",
        DegradeLevel::Mild => "mild",
        DegradeLevel::Medium => "medium",
        DegradeLevel::Hard => "hard",
    }
}

fn image_entry(name: &str, photo: &Photo) -> serde_json::Value {
    serde_json::json!({
        "image": name,
        "side": photo.side,
        "degradation": photo.degradation,
        "transform": photo.transform,
    })
}

/// Writes the photo: its own JPEG bytes when the degradation made them, else an encoding at
/// `--quality` (or PNG with `--png`).
fn write_photo(args: &Args, photo: &Photo, path: &Path) -> Result<()> {
    if args.png {
        return photo
            .image
            .save_with_format(path, image::ImageFormat::Png)
            .with_context(|| format!("writing {}", path.display()));
    }
    let bytes = match &photo.jpeg {
        Some(bytes) => bytes.clone(),
        None => encode_jpeg(&photo.image, args.quality)?,
    };
    fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    fs::write(path, text + "\n").with_context(|| format!("writing {}", path.display()))
}
