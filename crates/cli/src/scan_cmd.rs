//! `idverify scan FRONT [BACK] [--selfie FILE] [--models DIR]`: reads the MRZ and the printed
//! zone of local images, runs the document check and prints the contract's Result as JSON.
//!
//! Files are JPEG, PNG, WebP, HEIC, TIFF, BMP or PDF (recognised from their bytes). A FRONT of
//! two pages (TIFF or PDF) is the front and the back when no BACK is given; otherwise a file's
//! first page is read. Unreadable input (missing file, empty, truncated, not an image, too
//! large, a PDF with active content or too many pages) is a one-line error and a non-zero exit;
//! an image without a readable MRZ is a Result with the document check's concern, not an error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use idverify_check::{CheckInput, Policy, SideInput, assess, assess_face};
use idverify_mrz::Date;
use idverify_vision::{Format, IntakeLimits, Models};
use idverify_wire::{DocumentFile, DocumentGroup, Metadata, VerificationResult};

/// Arguments of `scan`.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// The front of the document (the data page of a passport).
    pub front: PathBuf,
    /// The back of the document (ID cards).
    pub back: Option<PathBuf>,
    /// A selfie, compared with the document's portrait (the `faceMatch` check).
    #[arg(long)]
    pub selfie: Option<PathBuf>,
    /// The day of the check (YYYY-MM-DD); today by default.
    #[arg(long)]
    pub today: Option<String>,
    /// Folder of the OCR and face models that scripts/setup-ocr-models installs (default
    /// ./models, or env IDVERIFY_MODELS_DIR).
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
}

/// The media type of a decoded file, from its magic bytes.
fn media_type(bytes: &[u8]) -> &'static str {
    Format::sniff(bytes).map_or("application/octet-stream", Format::media_type)
}

struct Side {
    input: SideInput,
    file: DocumentFile,
    bytes: Vec<u8>,
}

struct Readers {
    mrz: Models,
    ocr: idverify_textocr::Models,
    faces: idverify_face::Models,
}

/// Reads the file at `path` as the side `kind`; a second page, when the file has one, is
/// returned too (unread) with the file it came from.
fn read_side(
    path: &Path,
    kind: &str,
    readers: &Readers,
    today: Date,
) -> Result<(Side, Option<(image::DynamicImage, DocumentFile)>)> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut pages = crate::pipeline::decode_sides(&bytes, &IntakeLimits::default())
        .with_context(|| format!("{}", path.display()))?
        .into_iter();
    let first = pages
        .next()
        .with_context(|| format!("{}: the file has no page", path.display()))?;
    let input = crate::pipeline::read_side(&first, &readers.mrz, &readers.ocr, today)
        .with_context(|| format!("{}", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = |kind: &str, uri: String| DocumentFile {
        kind: kind.to_string(),
        media_type: media_type(&bytes).to_string(),
        uri,
    };
    let second = pages
        .next()
        .map(|p| (p, file("back", format!("{name}#page=2"))));
    Ok((
        Side {
            input,
            file: file(kind, name),
            bytes,
        },
        second,
    ))
}

/// Runs the scan and builds the Result.
pub fn scan(args: &ScanArgs, today: Date) -> Result<VerificationResult> {
    let mrz = Models::embedded()
        .context("the MRZ recogniser weights do not load: run training/train-recogniser")?;
    let dir = crate::pipeline::models_dir(args.models.as_deref());
    let readers = Readers {
        mrz,
        ocr: crate::pipeline::load_ocr(&dir)?,
        faces: crate::pipeline::load_faces(&dir)?,
    };
    let (front, front_second) = read_side(&args.front, "front", &readers, today)?;
    // BACK when given; else the second page of a two-page FRONT (a scan of both sides).
    let back = match (args.back.as_deref(), front_second) {
        (Some(p), _) => Some(read_side(p, "back", &readers, today)?.0),
        (None, Some((page, file))) => Some(Side {
            input: crate::pipeline::read_side(&page, &readers.mrz, &readers.ocr, today)
                .with_context(|| format!("{} (page 2)", args.front.display()))?,
            file,
            bytes: Vec::new(),
        }),
        (None, None) => None,
    };
    let mut groups = vec![DocumentGroup {
        name: "document".into(),
        files: std::iter::once(front.file.clone())
            .chain(back.as_ref().map(|b| b.file.clone()))
            .collect(),
    }];
    let mut selfie_img = None;
    if let Some(selfie) = &args.selfie {
        let bytes =
            std::fs::read(selfie).with_context(|| format!("cannot read {}", selfie.display()))?;
        selfie_img = Some(
            idverify_vision::decode_image(&bytes, &IntakeLimits::default())
                .with_context(|| format!("{}", selfie.display()))?
                .to_rgb8(),
        );
        groups.push(DocumentGroup {
            name: "selfie".into(),
            files: vec![DocumentFile {
                kind: "selfie".into(),
                media_type: media_type(&bytes).into(),
                uri: selfie
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            }],
        });
    }
    let input = CheckInput {
        front: front.input,
        back: back.map(|b| b.input),
    };
    let policy = Policy::default();
    let mut assessment = assess(&input, &policy, today);
    let front_img = match selfie_img {
        Some(_) => idverify_vision::decode_image(&front.bytes, &IntakeLimits::default())
            .with_context(|| format!("{}", args.front.display()))?
            .to_rgb8(),
        None => image::RgbImage::new(0, 0),
    };
    let faces = crate::pipeline::measure_faces(&readers.faces, &front_img, selfie_img.as_ref())?;
    if let Some(face) = assess_face(&faces, &policy) {
        assessment.add_face(face);
    }
    Ok(assessment.into_result(
        groups,
        Metadata {
            platform: "api".into(),
            ..Metadata::default()
        },
    ))
}

/// `idverify scan`.
pub fn run(args: ScanArgs) -> ExitCode {
    let today = match crate::clock::today_or(args.today.as_deref()) {
        Ok(d) => d,
        Err(code) => return code,
    };
    match scan(&args, today).and_then(|r| Ok(serde_json::to_string_pretty(&r)?)) {
        Ok(json) => {
            outln!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
