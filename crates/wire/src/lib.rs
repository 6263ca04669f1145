//! The wire types of `CONTRACT.md`: the Result of §3.2, the callback object of §4 and the
//! bodies of §3.4, shared by the server, the CLI and the integrators' client crate.
//!
//! Field names and vocabularies here are normative; renaming one is a breaking change for every
//! integrator. Every struct serialises to exactly the contract's JSON shape.

use serde::{Deserialize, Serialize};

/// A decision, for the whole verification, a check, a concern or a compared field.
///
/// Ordered so that `max` is the worst-of roll-up of CONTRACT §3.2:
/// `Pending < Approved < NeedsReview < Declined`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// Not decided yet: the verification is still processing.
    Pending,
    /// Every check holds.
    Approved,
    /// A person has to look at it.
    NeedsReview,
    /// The document fails a rule.
    Declined,
}

impl Decision {
    /// The contract's spelling (`approved`, `declined`, `needs-review`, `pending`).
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Pending => "pending",
            Decision::Approved => "approved",
            Decision::NeedsReview => "needs-review",
            Decision::Declined => "declined",
        }
    }

    /// Worst of an iterator of decisions; `Approved` when it is empty.
    ///
    /// ```
    /// use idverify_wire::Decision;
    /// let all = [Decision::Approved, Decision::Declined, Decision::NeedsReview];
    /// assert_eq!(Decision::worst(all), Decision::Declined);
    /// assert_eq!(Decision::worst([]), Decision::Approved);
    /// ```
    pub fn worst(all: impl IntoIterator<Item = Decision>) -> Decision {
        all.into_iter()
            .filter(|d| *d != Decision::Pending)
            .max()
            .unwrap_or(Decision::Approved)
    }
}

/// Processing status of a verification (`status` in the Result).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProcessingStatus {
    /// Created or submitted; the Result is not final.
    Processing,
    /// The Result is final.
    Done,
    /// The system could not process it (the results call answers 400).
    Failed,
}

impl ProcessingStatus {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ProcessingStatus::Processing => "processing",
            ProcessingStatus::Done => "done",
            ProcessingStatus::Failed => "failed",
        }
    }
}

/// The `data` object of the results answer (CONTRACT §3.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationResult {
    /// The decision and every reason for it.
    pub results: Results,
    /// One entry per service that checked the verification.
    pub checks: Vec<Check>,
    /// The collected images.
    pub documents: Vec<DocumentGroup>,
    /// Where the verification came from.
    pub metadata: Metadata,
    /// Processing status.
    pub status: ProcessingStatus,
    /// What was read from the document.
    pub attributes: Attributes,
    /// The MRZ as read, when one was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mrz: Option<MrzSummary>,
    /// One row per field compared between the MRZ and the printed zone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub document_data_checking: Vec<DataCheckRow>,
}

/// `results`: the decision and its concerns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// Worst of the checks' statuses.
    pub status: Decision,
    /// Every reason, the doc-check summary (`DC023`) first.
    pub concerns: Vec<Concern>,
}

/// One reason behind a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concern {
    /// Stable code from the concerns catalogue, e.g. `DC030`.
    pub id: String,
    /// Human-readable message.
    pub message: String,
    /// The service that raised it, e.g. `doc-check`.
    pub service: String,
    /// The status it produces.
    pub status: Decision,
}

/// One checking service's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// `docCheck` or `faceMatch`.
    pub name: String,
    /// Worst of its concerns.
    pub status: Decision,
    /// Summary, e.g. `Found 2 issue(s).`.
    pub comment: String,
    /// What the check measured or who decided: `faceMatch` puts its `similarity` here, a
    /// `manualReview` its `operator` and `reason`. Absent when the check has nothing to add.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

/// A named group of files (`document`, `selfie`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentGroup {
    /// `document` or `selfie`.
    pub name: String,
    /// The files of the group.
    pub files: Vec<DocumentFile>,
}

/// One collected image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentFile {
    /// `front`, `back` or `selfie`.
    pub kind: String,
    /// e.g. `image/jpeg`.
    pub media_type: String,
    /// A URL the integrator can GET with its secret key; never a server path.
    pub uri: String,
}

/// Where the verification came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    /// `web`, `ios`, `android` or `api`.
    pub platform: String,
    /// Client IP address.
    pub ip_address: String,
    /// ISO 3166-1 alpha-3 of the client IP, or `""`.
    pub country: String,
    /// City of the client IP, or `""`.
    pub city: String,
    /// The client's User-Agent.
    pub user_agent: String,
}

/// What was read from the document. A field the document does not carry is `""`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attributes {
    /// `passport`, `id-card`, `residence-permit`, `driving-licence`, `visa` or `unknown`.
    pub document_type: String,
    /// Given names, MRZ form (upper case, `<` as space).
    pub first_name: String,
    /// Given names as printed.
    pub original_first_name: String,
    /// Surname, MRZ form.
    pub last_name: String,
    /// Surname as printed.
    pub original_last_name: String,
    /// Document numbers.
    pub document_numbers: Vec<DocumentNumber>,
    /// Personal / national identity number.
    pub id_number: String,
    /// The integrator's reference (`externalId`).
    pub reference_id: String,
    /// `male`, `female` or `unspecified` (or `""` when unknown).
    pub gender: String,
    /// Nationality code as in the MRZ.
    pub nationality: String,
    /// Issuing state code as in the MRZ.
    pub issue_country: String,
    /// `YYYY-MM-DD`.
    pub date_of_expiry: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// As printed.
    pub place_of_birth: String,
}

/// A typed document number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentNumber {
    /// e.g. `document-number`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The number.
    pub value: String,
}

/// The `mrz` object of the Result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MrzSummary {
    /// `TD1`, `TD2`, `TD3`, …
    pub format: String,
    /// The lines as read.
    pub lines: Vec<String>,
    /// Every check digit holds and every field is well formed.
    pub valid: bool,
}

/// One row of `documentDataChecking`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataCheckRow {
    /// e.g. `Date of birth`.
    pub category: String,
    /// Value from the MRZ.
    pub mrz: String,
    /// Value from the printed zone.
    pub ocr: String,
    /// The two agree.
    pub equal: bool,
    /// The field is valid (agrees and its check digit holds).
    pub valid: bool,
    /// The status this row produces.
    pub status: Decision,
}

/// The results answer: `{"data": Result, "signed": JWT}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultsResponse {
    /// The Result.
    pub data: VerificationResult,
    /// ES512 JWT whose payload is `{iss, id, iat, data}`.
    pub signed: String,
}

/// The `data` of the callback object: the processing status and the attributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackData {
    /// Processing status.
    pub status: ProcessingStatus,
    /// What was read.
    pub attributes: Attributes,
}

/// The `ocr` object of the callback (CONTRACT §4), also POSTed to the webhook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OcrCallback {
    /// The decision.
    pub application_status: Decision,
    /// Full URL of the results API for this verification.
    pub result_url: String,
    /// The verification id.
    pub id: String,
    /// ES512 JWT with payload `{resultUrl, id, iss, iat}`.
    pub signed: String,
    /// Status and attributes.
    pub data: CallbackData,
}

/// The contract's error body: `{"statusCode", "message", "error"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// The HTTP status code.
    pub status_code: u16,
    /// What went wrong.
    pub message: String,
    /// The status' reason phrase; absent on 500.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// More about a 403 (which key or token was missing or unknown), beside the contract's
    /// fixed `message`; absent elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decision_spelling_and_order() {
        assert_eq!(
            serde_json::to_string(&Decision::NeedsReview).unwrap(),
            "\"needs-review\""
        );
        assert!(Decision::Declined > Decision::NeedsReview);
        assert!(Decision::NeedsReview > Decision::Approved);
        for d in [
            Decision::Pending,
            Decision::Approved,
            Decision::NeedsReview,
            Decision::Declined,
        ] {
            assert_eq!(serde_json::to_value(d).unwrap(), d.as_str());
        }
    }

    #[test]
    fn attributes_use_contract_names() {
        let a = Attributes {
            document_numbers: vec![DocumentNumber {
                kind: "document-number".into(),
                value: "SPECI2021".into(),
            }],
            ..Attributes::default()
        };
        let v = serde_json::to_value(&a).unwrap();
        for key in [
            "documentType",
            "firstName",
            "originalFirstName",
            "lastName",
            "originalLastName",
            "documentNumbers",
            "idNumber",
            "referenceId",
            "gender",
            "nationality",
            "issueCountry",
            "dateOfExpiry",
            "dateOfBirth",
            "placeOfBirth",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        assert_eq!(v["documentNumbers"][0]["type"], "document-number");
    }
}
