//! The concerns catalogue: every concern the document check can raise, with its stable code,
//! meaning, message template and the status it produces by default. Every concern emitted is
//! built here, from this table; `docs/concerns.md` holds the same table for integrators.

use idverify_wire::{Concern, Decision};

/// The service that raises the document check's concerns (`DC…`).
pub const SERVICE: &str = "doc-check";

/// The service that raises the face match's concerns (`FM…`).
pub const FACE_SERVICE: &str = "face-match";

/// The kinds of concern of the document check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConcernKind {
    /// No MRZ was found on any image.
    MrzNotFound,
    /// A check digit of the MRZ fails.
    MrzCheckDigit,
    /// A field of the MRZ is not well formed.
    MrzMalformed,
    /// An MRZ was found but read too damaged to judge (`DC004`).
    MrzUnreadable,
    /// The document is past its expiry date.
    Expired,
    /// The holder is younger than the policy's minimum age.
    UnderAge,
    /// The policy does not accept this kind of document.
    DocumentTypeNotAccepted,
    /// The policy does not accept documents of this issuing state.
    IssuingCountryNotAccepted,
    /// An image is too small to read reliably.
    ImageTooSmall,
    /// An image is too blurred to read reliably.
    ImageBlurred,
    /// Glare covers part of the MRZ.
    GlareOverMrz,
    /// The summary of the document check (`DC023`).
    Summary,
    /// The printed zone and the MRZ disagree (`DC030`).
    Conflict,
    /// The front and the back are from different documents.
    DifferentDocuments,
    /// No field of the printed zone could be compared with the MRZ.
    PrintedZoneNotRead,
    /// A printed name differs from the MRZ's by a letter or so (`DC033`).
    NearConflict,
    /// Face match: the policy requires a selfie and none was given.
    SelfieMissing,
    /// Face match: no face (portrait) was found on the document.
    NoFaceOnDocument,
    /// Face match: no face was found on the selfie.
    NoFaceOnSelfie,
    /// Face match: the selfie shows more than one face.
    SeveralFacesOnSelfie,
    /// Face match: a face is too small to compare.
    FaceTooSmall,
    /// Face match: a face is too blurred to compare.
    FaceBlurred,
    /// Face match: the selfie's face and the document's portrait are not the same person.
    FaceMismatch,
}

impl ConcernKind {
    /// A concern of the face match (`FM…`), not of the document check.
    pub fn is_face(self) -> bool {
        matches!(
            self,
            ConcernKind::SelfieMissing
                | ConcernKind::NoFaceOnDocument
                | ConcernKind::NoFaceOnSelfie
                | ConcernKind::SeveralFacesOnSelfie
                | ConcernKind::FaceTooSmall
                | ConcernKind::FaceBlurred
                | ConcernKind::FaceMismatch
        )
    }

    /// A concern about the image rather than the document (DC020–DC022).
    pub fn is_image_quality(self) -> bool {
        matches!(
            self,
            ConcernKind::ImageTooSmall | ConcernKind::ImageBlurred | ConcernKind::GlareOverMrz
        )
    }

    /// A concern that only reports what reading the images gave (MRZ not found, check digit,
    /// malformed field, conflict, different documents, printed zone not read): an unusable
    /// image explains it, and the image's concern replaces it.
    pub fn is_reading_outcome(self) -> bool {
        matches!(
            self,
            ConcernKind::MrzNotFound
                | ConcernKind::MrzUnreadable
                | ConcernKind::MrzCheckDigit
                | ConcernKind::MrzMalformed
                | ConcernKind::Conflict
                | ConcernKind::NearConflict
                | ConcernKind::DifferentDocuments
                | ConcernKind::PrintedZoneNotRead
        )
    }
}

/// How a concern's status is set when the policy does not override it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultStatus {
    /// Always this status.
    Fixed(Decision),
    /// The worst status of the other concerns (the summary).
    WorstOfOthers,
}

/// One row of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogueEntry {
    /// The kind.
    pub kind: ConcernKind,
    /// The stable code, e.g. `DC030`.
    pub id: &'static str,
    /// What it means, for the docs.
    pub meaning: &'static str,
    /// The message, with `{placeholders}` filled when raised.
    pub template: &'static str,
    /// The status it produces unless the policy overrides it.
    pub status: DefaultStatus,
}

const DECLINED: DefaultStatus = DefaultStatus::Fixed(Decision::Declined);
const REVIEW: DefaultStatus = DefaultStatus::Fixed(Decision::NeedsReview);

/// The catalogue, in code order. Codes are stable once released: add, never renumber.
pub const CATALOGUE: &[CatalogueEntry] = &[
    CatalogueEntry {
        kind: ConcernKind::MrzNotFound,
        id: "DC001",
        meaning: "No machine readable zone was found on any image of the document.",
        template: "No machine readable zone was found on the document.",
        status: REVIEW,
    },
    CatalogueEntry {
        kind: ConcernKind::MrzCheckDigit,
        id: "DC002",
        meaning: "A check digit of the MRZ does not hold, and the field is not also in conflict with the printed zone (that is DC030).",
        template: "Check digit of the {field} is not valid.",
        status: DECLINED,
    },
    CatalogueEntry {
        kind: ConcernKind::MrzMalformed,
        id: "DC003",
        meaning: "A field of the MRZ is not well formed (a date that is no date, a character outside the field's alphabet).",
        template: "MRZ field {field} is not well formed.",
        status: DECLINED,
    },
    CatalogueEntry {
        kind: ConcernKind::MrzUnreadable,
        id: "DC004",
        meaning: "An MRZ was found but its reading is too damaged to judge the document on (two or more of its fields' check digits fail or fields are malformed, together): the photo is asked for again, closer and sharper, and nothing is judged on that reading. One failing check digit on an otherwise sound reading is DC002.",
        template: "The machine readable zone was found but could not be read reliably.",
        status: REVIEW,
    },
    CatalogueEntry {
        kind: ConcernKind::Expired,
        id: "DC010",
        meaning: "The document's expiry date is before the day of the check.",
        template: "Document expired on {date}.",
        status: DECLINED,
    },
    CatalogueEntry {
        kind: ConcernKind::UnderAge,
        id: "DC011",
        meaning: "The holder is younger than the policy's minimum age (default 18).",
        template: "Holder is under the minimum age of {age}.",
        status: DECLINED,
    },
    CatalogueEntry {
        kind: ConcernKind::DocumentTypeNotAccepted,
        id: "DC012",
        meaning: "The policy does not accept this type of document.",
        template: "Document type {type} is not accepted.",
        status: DECLINED,
    },
    CatalogueEntry {
        kind: ConcernKind::IssuingCountryNotAccepted,
        id: "DC013",
        meaning: "The policy does not accept documents of this issuing state.",
        template: "Issuing country {country} is not accepted.",
        status: DECLINED,
    },
    CatalogueEntry {
        kind: ConcernKind::ImageTooSmall,
        id: "DC020",
        meaning: "An image is smaller than the policy's minimum size.",
        template: "The {side} image is too small ({width}x{height} px).",
        status: REVIEW,
    },
    CatalogueEntry {
        kind: ConcernKind::ImageBlurred,
        id: "DC021",
        meaning: "An image's sharpness (variance of the Laplacian) is below the policy's minimum.",
        template: "The {side} image is too blurred.",
        status: REVIEW,
    },
    CatalogueEntry {
        kind: ConcernKind::GlareOverMrz,
        id: "DC022",
        meaning: "Glare covers more of the MRZ than the policy allows.",
        template: "Glare covers {percent}% of the MRZ on the {side} image.",
        status: REVIEW,
    },
    CatalogueEntry {
        kind: ConcernKind::Summary,
        id: "DC023",
        meaning: "Summary of the document check, present when it found at least one issue; N counts issues (each concern is one, DC030 counts one per conflicting field and one per failed check digit it reports).",
        template: "Found {count} issue(s).",
        status: DefaultStatus::WorstOfOthers,
    },
    CatalogueEntry {
        kind: ConcernKind::Conflict,
        id: "DC030",
        meaning: "The printed zone and the MRZ disagree; the message lists, per conflicting field, the MRZ value, the printed value, and \"Checksum is not valid\" when the MRZ field's check digit fails too.",
        template: "Fields from ocr and mrz have conflict: {values}",
        status: DECLINED,
    },
    CatalogueEntry {
        kind: ConcernKind::DifferentDocuments,
        id: "DC031",
        meaning: "The front and the back are from different documents: the MRZ of one side disagrees with the other side on the document number and on the holder's name or date of birth (or the two sides' MRZs disagree).",
        template: "Front and back are from different documents: {fields} differ.",
        status: DECLINED,
    },
    CatalogueEntry {
        kind: ConcernKind::PrintedZoneNotRead,
        id: "DC032",
        meaning: "An MRZ was read but no field of the printed zone could be read to compare with it.",
        template: "No field of the printed zone could be compared with the MRZ.",
        status: REVIEW,
    },
    CatalogueEntry {
        kind: ConcernKind::NearConflict,
        id: "DC033",
        meaning: "A printed name differs from the MRZ's by at most one letter in five (after transliteration), and the MRZ's name is not printed elsewhere: as likely a misreading as a change, so a person looks. The message lists the MRZ value and the printed value per name.",
        template: "Printed name and MRZ differ slightly: {values}",
        status: REVIEW,
    },
    CatalogueEntry {
        kind: ConcernKind::SelfieMissing,
        id: "FM001",
        meaning: "The application's policy requires a selfie (face.require_selfie) and none was given.",
        template: "A selfie is required and none was given.",
        status: REVIEW,
    },
    CatalogueEntry {
        kind: ConcernKind::NoFaceOnDocument,
        id: "FM002",
        meaning: "No face (the holder's portrait) was found on the front of the document, so the selfie could not be compared with it.",
        template: "No portrait was found on the document.",
        status: REVIEW,
    },
    CatalogueEntry {
        kind: ConcernKind::NoFaceOnSelfie,
        id: "FM003",
        meaning: "No face was found on the selfie; the flow offers a retake.",
        template: "No face was found on the selfie.",
        status: REVIEW,
    },
    CatalogueEntry {
        kind: ConcernKind::SeveralFacesOnSelfie,
        id: "FM004",
        meaning: "The selfie shows more than one face, so it is not clear whose face to compare; the flow offers a retake.",
        template: "The selfie shows {count} faces; it must show one.",
        status: REVIEW,
    },
    CatalogueEntry {
        kind: ConcernKind::FaceTooSmall,
        id: "FM005",
        meaning: "A face (on the selfie or the document) has fewer pixels between the eyes than the policy's minimum (face.min_eye_distance).",
        template: "The face on the {side} is too small ({pixels} px between the eyes).",
        status: REVIEW,
    },
    CatalogueEntry {
        kind: ConcernKind::FaceBlurred,
        id: "FM006",
        meaning: "A face's sharpness (variance of the Laplacian of the aligned face) is below the policy's minimum (face.min_sharpness).",
        template: "The face on the {side} is too blurred.",
        status: REVIEW,
    },
    CatalogueEntry {
        kind: ConcernKind::FaceMismatch,
        id: "FM010",
        meaning: "The selfie's face and the document's portrait are not the same person: their similarity is under the policy's threshold (face.match_threshold).",
        template: "The selfie does not match the portrait on the document (similarity {similarity}).",
        status: DECLINED,
    },
];

/// The catalogue row of a kind.
pub fn entry(kind: ConcernKind) -> Option<&'static CatalogueEntry> {
    CATALOGUE.iter().find(|e| e.kind == kind)
}

/// A concern raised by a rule, before the policy sets its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raised {
    /// Its kind.
    pub kind: ConcernKind,
    /// The message, template filled.
    pub message: String,
    /// How many issues it stands for in the summary's count.
    pub issues: usize,
}

impl Raised {
    /// Raises `kind` with the template's placeholders filled from `args`.
    ///
    /// ```
    /// use idverify_check::concerns::{ConcernKind, Raised};
    /// let r = Raised::new(ConcernKind::Expired, &[("date", "2020-01-01")]);
    /// assert_eq!(r.message, "Document expired on 2020-01-01.");
    /// ```
    pub fn new(kind: ConcernKind, args: &[(&str, &str)]) -> Raised {
        let mut message = entry(kind)
            .map(|e| e.template.to_string())
            .unwrap_or_default();
        for (name, value) in args {
            message = message.replace(&format!("{{{name}}}"), value);
        }
        Raised {
            kind,
            message,
            issues: 1,
        }
    }

    /// The same concern counting for `issues` issues in the summary.
    pub fn counting(mut self, issues: usize) -> Raised {
        self.issues = issues;
        self
    }

    /// The wire concern with `status`.
    pub fn to_wire(&self, status: Decision) -> Concern {
        Concern {
            id: entry(self.kind)
                .map(|e| e.id)
                .unwrap_or_default()
                .to_string(),
            message: self.message.clone(),
            service: if self.kind.is_face() {
                FACE_SERVICE
            } else {
                SERVICE
            }
            .to_string(),
            status,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const DOC: &str = include_str!("../../../docs/concerns.md");

    /// Codes in the first column of the docs' table rows.
    fn documented_codes() -> BTreeSet<String> {
        DOC.lines()
            .filter_map(|l| l.strip_prefix('|'))
            .filter_map(|l| l.split('|').next())
            .map(|c| c.trim().trim_matches('`').to_string())
            .filter(|c| (c.starts_with("DC") || c.starts_with("FM")) && c.len() == 5)
            .collect()
    }

    #[test]
    fn every_kind_has_one_entry_and_codes_are_unique() {
        let kinds = [
            ConcernKind::MrzNotFound,
            ConcernKind::MrzCheckDigit,
            ConcernKind::MrzMalformed,
            ConcernKind::MrzUnreadable,
            ConcernKind::Expired,
            ConcernKind::UnderAge,
            ConcernKind::DocumentTypeNotAccepted,
            ConcernKind::IssuingCountryNotAccepted,
            ConcernKind::ImageTooSmall,
            ConcernKind::ImageBlurred,
            ConcernKind::GlareOverMrz,
            ConcernKind::Summary,
            ConcernKind::Conflict,
            ConcernKind::DifferentDocuments,
            ConcernKind::PrintedZoneNotRead,
            ConcernKind::NearConflict,
            ConcernKind::SelfieMissing,
            ConcernKind::NoFaceOnDocument,
            ConcernKind::NoFaceOnSelfie,
            ConcernKind::SeveralFacesOnSelfie,
            ConcernKind::FaceTooSmall,
            ConcernKind::FaceBlurred,
            ConcernKind::FaceMismatch,
        ];
        for k in kinds {
            assert_eq!(CATALOGUE.iter().filter(|e| e.kind == k).count(), 1, "{k:?}");
        }
        assert_eq!(CATALOGUE.len(), kinds.len());
        let ids: BTreeSet<_> = CATALOGUE.iter().map(|e| e.id).collect();
        assert_eq!(ids.len(), CATALOGUE.len());
        assert_eq!(entry(ConcernKind::Summary).unwrap().id, "DC023");
        assert_eq!(entry(ConcernKind::Conflict).unwrap().id, "DC030");
    }

    #[test]
    fn docs_table_matches_catalogue() {
        let in_code: BTreeSet<String> = CATALOGUE.iter().map(|e| e.id.to_string()).collect();
        assert_eq!(documented_codes(), in_code);
        for e in CATALOGUE {
            let row = DOC
                .lines()
                .find(|l| l.split('|').nth(1).is_some_and(|c| c.trim() == e.id))
                .unwrap();
            let status = match e.status {
                DefaultStatus::Fixed(d) => d.as_str(),
                DefaultStatus::WorstOfOthers => "worst of the others",
            };
            assert!(
                row.contains(status),
                "{}: status {status} not in {row}",
                e.id
            );
            let fixed_part = e.template.split('{').next().unwrap();
            assert!(row.contains(fixed_part), "{}: message not in {row}", e.id);
        }
    }

    #[test]
    fn templates_fill() {
        let r = Raised::new(
            ConcernKind::Conflict,
            &[("values", "1965-03-10, 2022-03-10, Checksum is not valid")],
        );
        assert_eq!(
            r.message,
            "Fields from ocr and mrz have conflict: 1965-03-10, 2022-03-10, Checksum is not valid"
        );
        let w = r.to_wire(Decision::Declined);
        assert_eq!((w.id.as_str(), w.service.as_str()), ("DC030", "doc-check"));
    }
}
