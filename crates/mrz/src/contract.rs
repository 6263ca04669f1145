//! The JSON that `idverify mrz` prints (CONTRACT §5), as a serde struct with the keys in order.

use serde::Serialize;

use crate::format::CheckKind;
use crate::parse::Mrz;

/// CONTRACT §5's object, plus `problems` (an extra key: every error and warning, with its field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContractMrz {
    /// `TD1`, `TD2`, …
    pub format: &'static str,
    /// Every check digit holds and every field is well formed.
    pub valid: bool,
    /// As in the MRZ, fillers trimmed.
    pub document_code: String,
    /// `passport`, `id-card`, `residence-permit`, `driving-licence`, `visa`, `unknown`.
    pub document_type: &'static str,
    /// Issuing state code.
    pub issue_country: String,
    /// Surname, `<` as space.
    pub last_name: String,
    /// Given names, `<` as space.
    pub first_name: String,
    /// Document number.
    pub document_number: String,
    /// Nationality code.
    pub nationality: String,
    /// `YYYY-MM-DD` or `""`.
    pub date_of_birth: String,
    /// `male`, `female`, `unspecified` or `""`.
    pub gender: &'static str,
    /// `YYYY-MM-DD` or `""`.
    pub date_of_expiry: String,
    /// TD3 personal number (Swiss licence: PIN).
    pub personal_number: String,
    /// Optional data.
    pub optional_data: String,
    /// TD1 second optional data.
    pub optional_data2: String,
    /// The dates as read.
    pub raw: RawDates,
    /// One boolean per check the format has.
    pub checks: Checks,
    /// Every problem found.
    pub problems: Vec<ContractProblem>,
}

/// `raw` of CONTRACT §5.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RawDates {
    /// `YYMMDD` as read.
    pub date_of_birth: String,
    /// `YYMMDD` as read.
    pub date_of_expiry: String,
}

/// `checks` of CONTRACT §5: a check the format does not have is absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Checks {
    /// Document number check digit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_number: Option<bool>,
    /// Date of birth check digit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<bool>,
    /// Date of expiry check digit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_expiry: Option<bool>,
    /// Personal number check digit (TD3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_number: Option<bool>,
    /// Composite check digit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub composite: Option<bool>,
}

/// One entry of `problems`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContractProblem {
    /// Field name (`dateOfBirth`, `compositeCheckDigit`, …).
    pub field: &'static str,
    /// Why.
    pub reason: String,
    /// `error` (makes `valid` false) or `warning`.
    pub severity: &'static str,
}

impl Mrz {
    /// The contract's view of this MRZ.
    ///
    /// ```
    /// use idverify_mrz::{parse, Date};
    /// let mrz = parse(&["D1FRA13AA000026181231MARTIN<<9"], Date::new(2026, 1, 1).unwrap()).unwrap();
    /// let view = mrz.to_contract();
    /// assert_eq!(view.format, "FRENCH_DRIVING_LICENSE");
    /// assert_eq!(view.checks.date_of_birth, None);
    /// ```
    pub fn to_contract(&self) -> ContractMrz {
        let check = |kind: CheckKind| self.check(kind).map(|c| c.holds());
        ContractMrz {
            format: self.format.as_str(),
            valid: self.is_valid(),
            document_code: self.document_code.clone(),
            document_type: self.document_type.as_str(),
            issue_country: self.issuing_state.clone(),
            last_name: self.last_name.clone(),
            first_name: self.first_name.clone(),
            document_number: self.document_number.clone(),
            nationality: self.nationality.clone(),
            date_of_birth: self.birth_date.iso(),
            gender: self.sex.map(|s| s.as_str()).unwrap_or(""),
            date_of_expiry: self.expiry_date.iso(),
            personal_number: self.personal_number.clone(),
            optional_data: self.optional_data.clone(),
            optional_data2: self.optional_data2.clone(),
            raw: RawDates {
                date_of_birth: self.birth_date.raw.clone(),
                date_of_expiry: self.expiry_date.raw.clone(),
            },
            checks: Checks {
                document_number: check(CheckKind::DocumentNumber),
                date_of_birth: check(CheckKind::DateOfBirth),
                date_of_expiry: check(CheckKind::DateOfExpiry),
                personal_number: check(CheckKind::PersonalNumber),
                composite: check(CheckKind::Composite),
            },
            problems: self
                .problems
                .iter()
                .map(|p| ContractProblem {
                    field: p.field.as_str(),
                    reason: p.reason.clone(),
                    severity: p.severity.as_str(),
                })
                .collect(),
        }
    }
}
