//! The face match's verdict: from what the face models measured on the document's front and
//! the selfie (faces found, their size and sharpness, the similarity of the two), the
//! `faceMatch` check and its `FM…` concerns under the application's policy.

use idverify_wire::{Check, Concern, Decision};

use crate::concerns::{ConcernKind, Raised};
use crate::policy::Policy;

/// The name of the face match in `checks`.
pub const CHECK_NAME: &str = "faceMatch";

/// The faces found on one image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceSide {
    /// How many faces were found.
    pub faces: usize,
    /// Of the best face: pixels between the eye centres.
    pub eye_distance: f64,
    /// Of the best face: sharpness of its aligned 112×112 crop (variance of the Laplacian).
    pub sharpness: f64,
}

/// What the face models measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceInput {
    /// The front of the document.
    pub document: FaceSide,
    /// The selfie, when one was given.
    pub selfie: Option<FaceSide>,
    /// Cosine similarity of the document's best face and the selfie's, when both have one.
    pub similarity: Option<f64>,
}

/// The face match's part of the Result.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceAssessment {
    /// The `faceMatch` entry of `checks`.
    pub check: Check,
    /// Its concerns (`FM…`), for `results.concerns`.
    pub concerns: Vec<Concern>,
}

/// The face match's verdict; `None` (no `faceMatch` check) when no selfie was given and the
/// policy does not require one.
///
/// ```
/// use idverify_check::{FaceInput, FaceSide, Policy, assess_face};
/// let side = FaceSide { faces: 1, eye_distance: 40.0, sharpness: 200.0 };
/// let input = FaceInput { document: side, selfie: Some(side), similarity: Some(0.1) };
/// let a = assess_face(&input, &Policy::default()).unwrap();
/// assert_eq!(a.concerns[0].id, "FM010");
/// ```
pub fn assess_face(input: &FaceInput, policy: &Policy) -> Option<FaceAssessment> {
    let p = &policy.face;
    let mut raised: Vec<Raised> = Vec::new();
    match input.selfie {
        None if p.require_selfie => raised.push(Raised::new(ConcernKind::SelfieMissing, &[])),
        None => return None,
        Some(selfie) => {
            let quality = |side: &FaceSide, name: &str, raised: &mut Vec<Raised>| {
                if side.eye_distance < p.min_eye_distance {
                    raised.push(Raised::new(
                        ConcernKind::FaceTooSmall,
                        &[
                            ("side", name),
                            ("pixels", &format!("{:.0}", side.eye_distance)),
                        ],
                    ));
                } else if side.sharpness < p.min_sharpness {
                    raised.push(Raised::new(ConcernKind::FaceBlurred, &[("side", name)]));
                }
            };
            if input.document.faces == 0 {
                raised.push(Raised::new(ConcernKind::NoFaceOnDocument, &[]));
            } else {
                quality(&input.document, "document", &mut raised);
            }
            match selfie.faces {
                0 => raised.push(Raised::new(ConcernKind::NoFaceOnSelfie, &[])),
                1 => quality(&selfie, "selfie", &mut raised),
                n => raised.push(Raised::new(
                    ConcernKind::SeveralFacesOnSelfie,
                    &[("count", &n.to_string())],
                )),
            }
            // A face too small or blurred to compare explains a low similarity: its concern
            // stands instead of a mismatch.
            let unusable = raised
                .iter()
                .any(|r| policy.status_of(r.kind) != Decision::Approved);
            if let (Some(s), false) = (input.similarity, unusable)
                && s < p.match_threshold
            {
                raised.push(Raised::new(
                    ConcernKind::FaceMismatch,
                    &[("similarity", &format!("{s:.2}"))],
                ));
            }
        }
    }
    let concerns: Vec<Concern> = raised
        .iter()
        .filter_map(|r| {
            let status = policy.status_of(r.kind);
            (status != Decision::Approved).then(|| r.to_wire(status))
        })
        .collect();
    let status = Decision::worst(concerns.iter().map(|c| c.status));
    let comment = if concerns.is_empty() {
        "The selfie matches the portrait on the document.".to_string()
    } else {
        format!("Found {} issue(s).", concerns.len())
    };
    Some(FaceAssessment {
        check: Check {
            name: CHECK_NAME.to_string(),
            status,
            comment,
            details: input
                .similarity
                .map(|s| serde_json::json!({"similarity": (s * 1000.0).round() / 1000.0})),
        },
        concerns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: FaceSide = FaceSide {
        faces: 1,
        eye_distance: 40.0,
        sharpness: 200.0,
    };

    fn ids(a: &FaceAssessment) -> Vec<&str> {
        a.concerns.iter().map(|c| c.id.as_str()).collect()
    }

    fn run(
        document: FaceSide,
        selfie: Option<FaceSide>,
        similarity: Option<f64>,
    ) -> Option<FaceAssessment> {
        assess_face(
            &FaceInput {
                document,
                selfie,
                similarity,
            },
            &Policy::default(),
        )
    }

    #[test]
    fn a_match_is_approved_with_its_similarity() {
        let a = run(GOOD, Some(GOOD), Some(0.71234)).unwrap();
        assert_eq!(a.check.status, Decision::Approved);
        assert!(a.concerns.is_empty());
        assert_eq!(a.check.details.unwrap()["similarity"], 0.712);
    }

    #[test]
    fn a_mismatch_is_declined() {
        let a = run(GOOD, Some(GOOD), Some(0.05)).unwrap();
        assert_eq!(ids(&a), vec!["FM010"]);
        assert_eq!(a.check.status, Decision::Declined);
        assert_eq!(a.concerns[0].service, "face-match");
    }

    #[test]
    fn no_portrait_is_needs_review_never_approved() {
        let none = FaceSide { faces: 0, ..GOOD };
        let a = run(none, Some(GOOD), None).unwrap();
        assert_eq!(ids(&a), vec!["FM002"]);
        assert_eq!(a.check.status, Decision::NeedsReview);
    }

    #[test]
    fn selfie_without_a_face_or_with_two_gets_exactly_its_concern() {
        let a = run(GOOD, Some(FaceSide { faces: 0, ..GOOD }), None).unwrap();
        assert_eq!(ids(&a), vec!["FM003"]);
        let a = run(GOOD, Some(FaceSide { faces: 2, ..GOOD }), None).unwrap();
        assert_eq!(ids(&a), vec!["FM004"]);
        assert_eq!(
            a.concerns[0].message,
            "The selfie shows 2 faces; it must show one."
        );
    }

    #[test]
    fn a_small_or_blurred_face_replaces_the_mismatch() {
        let small = FaceSide {
            eye_distance: 3.0,
            ..GOOD
        };
        let a = run(small, Some(GOOD), Some(0.1)).unwrap();
        assert_eq!(ids(&a), vec!["FM005"]);
        let blurred = FaceSide {
            sharpness: 1.0,
            ..GOOD
        };
        let a = run(GOOD, Some(blurred), Some(0.1)).unwrap();
        assert_eq!(ids(&a), vec!["FM006"]);
        assert_eq!(a.check.status, Decision::NeedsReview);
    }

    #[test]
    fn no_selfie_is_no_check_unless_required() {
        assert!(run(GOOD, None, None).is_none());
        let mut policy = Policy::default();
        policy.face.require_selfie = true;
        let a = assess_face(
            &FaceInput {
                document: GOOD,
                selfie: None,
                similarity: None,
            },
            &policy,
        )
        .unwrap();
        assert_eq!(ids(&a), vec!["FM001"]);
    }
}
