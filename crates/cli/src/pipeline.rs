//! The document-reading pipeline the service's workers run: decode each side within the intake
//! limits, read its MRZ and its printed zone, and let the document check decide. The same steps
//! as `idverify scan`, on bytes from the blob store instead of files.

use std::path::{Path, PathBuf};

use idverify_check::{
    CheckInput as SidesInput, FaceInput, FaceSide, ImageQuality, SideInput, assess, assess_face,
};
use idverify_mrz::Date;
use idverify_server::{CheckError, CheckInput, CheckOutput, DocumentCheck};
use idverify_vision::{IntakeError, IntakeLimits, Models, decode_pages, measure_quality, read_mrz};

/// The printed-zone OCR models of `dir` (as `scripts/setup-ocr-models` installs them). The
/// error is one line naming the folder and the script to run.
pub fn load_ocr(dir: &Path) -> anyhow::Result<idverify_textocr::Models> {
    idverify_textocr::Models::load_with(|p| std::fs::read(dir.join(p))).map_err(|e| match e {
        // Already names the file and the script.
        idverify_textocr::Error::Missing { .. } => {
            anyhow::anyhow!("OCR models folder {}: {e}", dir.display())
        }
        e => anyhow::anyhow!(
            "the OCR models in {} do not load ({e}): run scripts/setup-ocr-models",
            dir.display()
        ),
    })
}

/// The models folder: `given`, else env `IDVERIFY_MODELS_DIR`, else `./models`.
pub fn models_dir(given: Option<&Path>) -> PathBuf {
    given
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("IDVERIFY_MODELS_DIR").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("models"))
}

/// The face-match models of `dir` (as `scripts/setup-ocr-models` installs them). The error is
/// one line naming the folder and the script to run.
pub fn load_faces(dir: &Path) -> anyhow::Result<idverify_face::Models> {
    idverify_face::Models::load_with(|p| std::fs::read(dir.join(p))).map_err(|e| match e {
        idverify_face::Error::Missing { .. } => {
            anyhow::anyhow!("face models folder {}: {e}", dir.display())
        }
        e => anyhow::anyhow!(
            "the face models in {} do not load ({e}): run scripts/setup-ocr-models",
            dir.display()
        ),
    })
}

/// The faces on one image: how many, and of the best (highest scoring) one its size,
/// sharpness and embedding.
fn face_side(
    models: &idverify_face::Models,
    img: &image::RgbImage,
) -> Result<(FaceSide, Option<idverify_face::Embedding>), idverify_face::Error> {
    let faces = models.detect(img)?;
    let Some(best) = faces.first() else {
        return Ok((
            FaceSide {
                faces: 0,
                eye_distance: 0.0,
                sharpness: 0.0,
            },
            None,
        ));
    };
    let aligned = idverify_face::align(img, best);
    let side = FaceSide {
        faces: faces.len(),
        eye_distance: f64::from(best.eye_distance()),
        sharpness: f64::from(idverify_face::sharpness(&aligned)),
    };
    Ok((side, Some(models.embed_aligned(&aligned)?)))
}

/// What the face models measure on the document's front and the selfie: the faces on each
/// and, when both have one, the similarity of the best two (nothing without a selfie). Nothing of it is kept: the
/// embeddings live only for the comparison.
pub fn measure_faces(
    models: &idverify_face::Models,
    front: &image::RgbImage,
    selfie: Option<&image::RgbImage>,
) -> Result<FaceInput, idverify_face::Error> {
    // Without a selfie there is nothing to compare: the document is not looked at.
    let Some(selfie) = selfie else {
        return Ok(FaceInput {
            document: FaceSide {
                faces: 0,
                eye_distance: 0.0,
                sharpness: 0.0,
            },
            selfie: None,
            similarity: None,
        });
    };
    let (document, doc_embedding) = face_side(models, front)?;
    let (selfie_side, selfie_embedding) = face_side(models, selfie)?;
    let similarity = match (&doc_embedding, &selfie_embedding) {
        (Some(a), Some(b)) if selfie_side.faces == 1 => Some(f64::from(a.similarity(b))),
        _ => None,
    };
    Ok(FaceInput {
        document,
        selfie: Some(selfie_side),
        similarity,
    })
}

/// Why one side could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SideError {
    /// The printed-zone OCR failed to run (not: found no text).
    #[error("the printed zone could not be read: {0}")]
    Ocr(idverify_textocr::Error),
}

/// Height in pixels under which a printed line is not read (see [`read_side`]).
const MIN_PRINTED_LINE_PX: f32 = 10.0;

/// The sides one file holds, decoded within `limits`: its first page, and its second when it
/// has one (a two-page TIFF or PDF scan: front and back).
pub fn decode_sides(
    bytes: &[u8],
    limits: &IntakeLimits,
) -> Result<Vec<image::DynamicImage>, IntakeError> {
    Ok(decode_pages(bytes, limits)?.pages)
}

/// Reads one side of a document: its MRZ read and parsed, and the lines of its printed zone
/// read by `ocr` (upright as the MRZ was found; as given when there is none). The MRZ lines
/// themselves are left to the MRZ reader.
pub fn read_side(
    img: &image::DynamicImage,
    models: &Models,
    ocr: &idverify_textocr::Models,
    today: Date,
) -> Result<SideInput, SideError> {
    let reading = read_mrz(img, models, today);
    let opts = idverify_textocr::ReadOptions {
        quarter_turns: reading.text.as_ref().map_or(0, |t| t.quarter_turns),
        // Text lower than this is misread too often to be compared with the MRZ (a 275-pixel
        // photo's 8-pixel lines read `LED0902C3` for `L898902C3`): not read at all, the check
        // says the printed zone could not be compared instead of reporting a false conflict.
        min_line_height: MIN_PRINTED_LINE_PX,
        ..idverify_textocr::ReadOptions::default()
    };
    let lines = match ocr.read(&img.to_rgb8(), &opts) {
        Ok(lines) => idverify_textocr::to_text_lines(&lines),
        // Too small to hold text: no lines rather than an error; the check reports the
        // missing printed fields.
        Err(idverify_textocr::Error::Image(_)) => Vec::new(),
        Err(e) => return Err(SideError::Ocr(e)),
    };
    let mrz = reading.text.and_then(|t| t.mrz);
    // Size, sharpness and glare over the MRZ. The band's sharpness and glare are measured over
    // the MRZ's own box and only on a side whose MRZ was read: a band of other text that the
    // locator tried (a card's front, a web page) is no MRZ, and its glare is no concern.
    let q = measure_quality(img, reading.region.as_ref().filter(|_| mrz.is_some()));
    Ok(SideInput {
        lines,
        mrz,
        quality: Some(ImageQuality {
            width: q.width,
            height: q.height,
            sharpness: q.sharpness,
            glare_over_mrz: q.glare_over_mrz,
        }),
    })
}

/// The real document check, as the service's workers run it.
#[derive(Debug)]
pub struct ReadingPipeline {
    models: Models,
    ocr: idverify_textocr::Models,
    faces: idverify_face::Models,
    policies: crate::policies::Policies,
    limits: IntakeLimits,
}

impl ReadingPipeline {
    /// A pipeline on the embedded MRZ recogniser weights and the OCR models of `models_dir`,
    /// applying each application's policy.
    pub fn new(
        policies: crate::policies::Policies,
        models_dir: &Path,
    ) -> anyhow::Result<ReadingPipeline> {
        let models = Models::embedded().map_err(|e| {
            anyhow::anyhow!(
                "the MRZ recogniser weights do not load ({e}): run training/train-recogniser"
            )
        })?;
        let ocr = load_ocr(models_dir)?;
        let faces = load_faces(models_dir)?;
        Ok(ReadingPipeline {
            models,
            ocr,
            faces,
            policies,
            limits: IntakeLimits::default(),
        })
    }
}

impl DocumentCheck for ReadingPipeline {
    fn check(&self, input: &CheckInput) -> Result<CheckOutput, CheckError> {
        let today = Date::new(
            u16::try_from(input.today.year).unwrap_or(0),
            u8::try_from(input.today.month).unwrap_or(0),
            u8::try_from(input.today.day).unwrap_or(0),
        )
        .ok_or_else(|| CheckError(format!("today is no date: {:?}", input.today)))?;
        let decode = |bytes: &[u8]| {
            decode_sides(bytes, &self.limits)
                .map_err(|e| CheckError(format!("image could not be decoded: {e}")))
        };
        let side = |img: &image::DynamicImage| {
            read_side(img, &self.models, &self.ocr, today).map_err(|e| CheckError(e.to_string()))
        };
        let mut front_pages = decode(&input.front.bytes)?.into_iter();
        let front_page = front_pages
            .next()
            .ok_or_else(|| CheckError("the front file has no page".into()))?;
        let front = side(&front_page)?;
        // A back that was uploaded is the back; without one, the second page of a two-page
        // front file (a TIFF or PDF scan of both sides) is.
        let back = match &input.back {
            Some(b) => decode(&b.bytes)?.first().map(side).transpose()?,
            None => front_pages.next().as_ref().map(side).transpose()?,
        };
        let policy = self.policies.for_app(&input.app_id);
        let mut a = assess(&SidesInput { front, back }, policy, today);
        // The selfie goes through the same bounded intake as the document; the portrait is
        // looked for on the front's first page.
        let selfie_img = input
            .selfie
            .as_ref()
            .map(|s| decode(&s.bytes))
            .transpose()?
            .and_then(|pages| pages.into_iter().next())
            .map(|i| i.to_rgb8());
        let front_img = match selfie_img {
            Some(_) => front_page.to_rgb8(),
            None => image::RgbImage::new(0, 0),
        };
        let faces = measure_faces(&self.faces, &front_img, selfie_img.as_ref())
            .map_err(|e| CheckError(e.to_string()))?;
        if let Some(face) = assess_face(&faces, policy) {
            a.add_face(face);
        }
        Ok(CheckOutput {
            checks: a.checks(),
            results: a.results,
            attributes: a.attributes,
            mrz: a.mrz,
            document_data_checking: a.document_data_checking,
        })
    }
}
