//! The document-reading pipeline the service's workers run: decode each side within the intake
//! limits, read its MRZ, and let the document check decide. The same steps as `idverify scan`,
//! on bytes from the blob store instead of files.

use idverify_check::{CheckInput as SidesInput, SideInput, assess};
use idverify_mrz::Date;
use idverify_server::{CheckError, CheckInput, CheckOutput, DocumentCheck};
use idverify_vision::{IntakeError, IntakeLimits, Models, decode_image, read_mrz};

/// Reads one side of a document: decoded within `limits`, its MRZ read and parsed.
pub fn read_side(
    bytes: &[u8],
    limits: &IntakeLimits,
    models: &Models,
    today: Date,
) -> Result<SideInput, IntakeError> {
    let img = decode_image(bytes, limits)?;
    let reading = read_mrz(&img, models, today);
    Ok(SideInput {
        // The printed zone is not read yet: no lines rather than made-up text.
        lines: Vec::new(),
        mrz: reading.text.and_then(|t| t.mrz),
        // Sharpness and glare are not measured yet: no quality rather than made-up figures.
        quality: None,
    })
}

/// The real document check, as the service's workers run it.
#[derive(Debug)]
pub struct ReadingPipeline {
    models: Models,
    policies: crate::policies::Policies,
    limits: IntakeLimits,
}

impl ReadingPipeline {
    /// A pipeline on the embedded MRZ recogniser weights, applying each application's policy.
    pub fn new(policies: crate::policies::Policies) -> anyhow::Result<ReadingPipeline> {
        let models = Models::embedded().map_err(|e| {
            anyhow::anyhow!(
                "the MRZ recogniser weights do not load ({e}): run training/train-recogniser"
            )
        })?;
        Ok(ReadingPipeline {
            models,
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
        let side = |bytes: &[u8]| {
            read_side(bytes, &self.limits, &self.models, today)
                .map_err(|e| CheckError(format!("image could not be decoded: {e}")))
        };
        let front = side(&input.front.bytes)?;
        let back = input.back.as_ref().map(|b| side(&b.bytes)).transpose()?;
        let a = assess(
            &SidesInput { front, back },
            self.policies.for_app(&input.app_id),
            today,
        );
        Ok(CheckOutput {
            results: a.results,
            checks: vec![a.check],
            attributes: a.attributes,
            mrz: a.mrz,
            document_data_checking: a.document_data_checking,
        })
    }
}
