//! The policy of an application: minimum age, accepted document types and issuing states, image
//! quality thresholds and per-concern status overrides — what the configuration can change.

use std::collections::BTreeMap;

use idverify_wire::Decision;
use serde::{Deserialize, Serialize};

use crate::concerns::{CATALOGUE, ConcernKind, DefaultStatus, entry};
use crate::document::DocumentType;

/// A policy that cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// An override names a code that is not in the catalogue.
    #[error("policy: unknown concern code {0} in status_overrides")]
    UnknownConcern(String),
    /// An override tries to set the summary's status, which is derived.
    #[error(
        "policy: the status of {0} is derived from the other concerns and cannot be overridden"
    )]
    DerivedStatus(String),
    /// An override to `pending`, which is no decision.
    #[error("policy: {0} cannot be overridden to pending")]
    PendingStatus(String),
    /// An accepted issuing country that is no MRZ code.
    #[error("policy: {0} in accepted_issuing_countries is not an ICAO 9303 code")]
    UnknownCountry(String),
    /// A face match threshold outside the cosine similarity's range.
    #[error("policy: face.match_threshold {0} is not between -1 and 1")]
    FaceThreshold(String),
}

/// Image quality thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImagePolicy {
    /// Minimum length of the longer side, in pixels.
    pub min_long_side: u32,
    /// Minimum length of the shorter side, in pixels.
    pub min_short_side: u32,
    /// Minimum variance of the Laplacian of the grey image.
    pub min_sharpness: f64,
    /// Maximum fraction of the MRZ area covered by glare.
    pub max_glare_over_mrz: f64,
}

impl Default for ImagePolicy {
    fn default() -> ImagePolicy {
        ImagePolicy {
            // Calibrated on the vision crate's measures (crates/vision/src/quality.rs): the
            // smallest development images still read are 250x159; every image read measures
            // a sharpness of at least 600, a Gaussian blur of sigma 3 about 150.
            min_long_side: 240,
            min_short_side: 150,
            min_sharpness: 300.0,
            max_glare_over_mrz: 0.15,
        }
    }
}

/// Face match: whether a selfie is required, the match threshold and the faces' quality.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FacePolicy {
    /// A verification without a selfie gets `FM001` (needs-review); when false, a
    /// verification without a selfie has no `faceMatch` check.
    pub require_selfie: bool,
    /// Cosine similarity at or above which the selfie matches the portrait.
    pub match_threshold: f64,
    /// Minimum distance between the eye centres of a face, in pixels of its image.
    pub min_eye_distance: f64,
    /// Minimum sharpness of an aligned face (variance of its Laplacian, 112×112 crop).
    pub min_sharpness: f64,
}

impl Default for FacePolicy {
    fn default() -> FacePolicy {
        // Calibrated with `idverify eval-face` on the tuning split of the development pairs
        // (docs/face-eval.md).
        FacePolicy {
            require_selfie: false,
            match_threshold: DEFAULT_MATCH_THRESHOLD,
            min_eye_distance: 8.0,
            min_sharpness: 15.0,
        }
    }
}

/// The default face match threshold (cosine similarity).
pub const DEFAULT_MATCH_THRESHOLD: f64 = 0.35;

/// What an application accepts.
///
/// ```
/// let p = idverify_check::Policy::default();
/// assert_eq!(p.minimum_age, 18);
/// assert!(p.accepts_country("UTO"));
/// assert!(p.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// The holder must be at least this old (years) on the day of the check.
    pub minimum_age: u8,
    /// Document types accepted.
    pub accepted_document_types: Vec<DocumentType>,
    /// Issuing states accepted (MRZ codes); empty accepts every state.
    pub accepted_issuing_countries: Vec<String>,
    /// Image quality thresholds.
    pub image: ImagePolicy,
    /// Face match: selfie required or not, threshold, face quality.
    pub face: FacePolicy,
    /// Status per concern code, replacing the catalogue's; `approved` switches the rule off.
    pub status_overrides: BTreeMap<String, Decision>,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            minimum_age: 18,
            accepted_document_types: vec![
                DocumentType::Passport,
                DocumentType::IdCard,
                DocumentType::ResidencePermit,
                DocumentType::DrivingLicence,
            ],
            accepted_issuing_countries: Vec::new(),
            image: ImagePolicy::default(),
            face: FacePolicy::default(),
            status_overrides: BTreeMap::new(),
        }
    }
}

impl Policy {
    /// Checks that every override names a catalogue code other than the summary and that
    /// every accepted country is an ICAO 9303 code.
    pub fn validate(&self) -> Result<(), PolicyError> {
        for (code, status) in &self.status_overrides {
            let Some(e) = CATALOGUE.iter().find(|e| e.id == code) else {
                return Err(PolicyError::UnknownConcern(code.clone()));
            };
            if e.status == DefaultStatus::WorstOfOthers {
                return Err(PolicyError::DerivedStatus(code.clone()));
            }
            if *status == Decision::Pending {
                return Err(PolicyError::PendingStatus(code.clone()));
            }
        }
        for code in &self.accepted_issuing_countries {
            if idverify_mrz::countries::lookup(code).is_none() {
                return Err(PolicyError::UnknownCountry(code.clone()));
            }
        }
        if !(-1.0..=1.0).contains(&self.face.match_threshold) {
            return Err(PolicyError::FaceThreshold(
                self.face.match_threshold.to_string(),
            ));
        }
        Ok(())
    }

    /// The status a concern of `kind` produces under this policy (`Approved`: switched off).
    /// The summary's is decided by [`crate::assess`], from the others.
    pub fn status_of(&self, kind: ConcernKind) -> Decision {
        let Some(e) = entry(kind) else {
            return Decision::Approved;
        };
        match self.status_overrides.get(e.id) {
            Some(status) if *status != Decision::Pending => *status,
            _ => match e.status {
                DefaultStatus::Fixed(d) => d,
                DefaultStatus::WorstOfOthers => Decision::Approved,
            },
        }
    }

    /// Whether documents of this issuing state are accepted (fillers ignored).
    pub fn accepts_country(&self, code: &str) -> bool {
        let code = code.trim_end_matches('<');
        self.accepted_issuing_countries.is_empty()
            || self
                .accepted_issuing_countries
                .iter()
                .any(|c| c.trim_end_matches('<') == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_from_toml_with_defaults() {
        let p: Policy = toml::from_str(
            r#"
            minimum_age = 21
            accepted_document_types = ["passport"]
            accepted_issuing_countries = ["NLD", "D"]
            [image]
            min_sharpness = 50.0
            [status_overrides]
            DC001 = "declined"
            DC032 = "approved"
            "#,
        )
        .unwrap();
        assert_eq!(p.minimum_age, 21);
        assert_eq!(p.accepted_document_types, vec![DocumentType::Passport]);
        assert_eq!(p.image.min_sharpness, 50.0);
        assert_eq!(p.image.min_long_side, 240);
        assert!(p.validate().is_ok());
        assert_eq!(p.status_of(ConcernKind::MrzNotFound), Decision::Declined);
        assert_eq!(
            p.status_of(ConcernKind::PrintedZoneNotRead),
            Decision::Approved
        );
        assert_eq!(p.status_of(ConcernKind::Expired), Decision::Declined);
        assert!(p.accepts_country("D<<"));
        assert!(!p.accepts_country("FRA"));
        assert_eq!(toml::from_str::<Policy>("").unwrap(), Policy::default());
    }

    #[test]
    fn rejects_bad_policies() {
        assert!(toml::from_str::<Policy>("minimum_agee = 3").is_err());
        assert!(toml::from_str::<Policy>("accepted_document_types = [\"comic\"]").is_err());
        let mut p = Policy::default();
        p.status_overrides
            .insert("DC999".into(), Decision::Declined);
        assert_eq!(
            p.validate(),
            Err(PolicyError::UnknownConcern("DC999".into()))
        );
        let mut p = Policy::default();
        p.status_overrides
            .insert("DC023".into(), Decision::Declined);
        assert!(matches!(p.validate(), Err(PolicyError::DerivedStatus(_))));
        let mut p = Policy::default();
        p.status_overrides.insert("DC010".into(), Decision::Pending);
        assert!(matches!(p.validate(), Err(PolicyError::PendingStatus(_))));
        let p = Policy {
            accepted_issuing_countries: vec!["ZZZ".into()],
            ..Policy::default()
        };
        assert!(matches!(p.validate(), Err(PolicyError::UnknownCountry(_))));
    }
}
