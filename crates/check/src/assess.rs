//! The decision: runs the rules over what was read, turns their findings into concerns under
//! the policy, rolls them up worst-of (CONTRACT §3.2) and fills the Result's attributes.

use std::collections::BTreeSet;

use idverify_mrz::{CheckKind, Date, Field, Format, Mrz, Severity};
use idverify_wire::{
    Attributes, Check, Concern, DataCheckRow, Decision, DocumentGroup, DocumentNumber, Metadata,
    MrzSummary, ProcessingStatus, Results, VerificationResult,
};

use crate::concerns::{ConcernKind, Raised};
use crate::crosscheck::{CompareField, Comparison, compare, row};
use crate::document::DocumentType;
use crate::extract::{PrintedFields, extract_printed};
use crate::input::{CheckInput, ImageQuality};
use crate::names::{mrz_forms, nationality_code};
use crate::policy::Policy;
use crate::printed_date::CenturyRule;

/// The name of the document check in `checks`.
pub const CHECK_NAME: &str = "docCheck";

/// What the document check concluded: the parts of the Result it owns.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// Decision and concerns (the summary `DC023` first).
    pub results: Results,
    /// The `docCheck` entry of `checks`.
    pub check: Check,
    /// What was read.
    pub attributes: Attributes,
    /// The MRZ as read, when one was.
    pub mrz: Option<MrzSummary>,
    /// One row per field compared.
    pub document_data_checking: Vec<DataCheckRow>,
    /// The printed zone as read (front, completed by the back).
    pub printed: PrintedFields,
    /// The `faceMatch` entry of `checks`, once [`Assessment::add_face`] added one.
    pub face_check: Option<Check>,
}

impl Assessment {
    /// Adds the face match: its check beside `docCheck`, its concerns after the document
    /// check's, the decision the worst of both.
    pub fn add_face(&mut self, face: crate::face::FaceAssessment) {
        self.results.status = Decision::worst([self.results.status, face.check.status]);
        self.results.concerns.extend(face.concerns);
        self.face_check = Some(face.check);
    }

    /// The checks: `docCheck`, then `faceMatch` when there is one.
    pub fn checks(&self) -> Vec<Check> {
        std::iter::once(self.check.clone())
            .chain(self.face_check.clone())
            .collect()
    }

    /// The complete Result: the document check and, when added, the face match.
    pub fn into_result(
        self,
        documents: Vec<DocumentGroup>,
        metadata: Metadata,
    ) -> VerificationResult {
        VerificationResult {
            checks: self.checks(),
            results: self.results,
            documents,
            metadata,
            status: ProcessingStatus::Done,
            attributes: self.attributes,
            mrz: self.mrz,
            document_data_checking: self.document_data_checking,
        }
    }
}

/// The contract's words for a check digit, in messages.
fn check_name(kind: CheckKind) -> &'static str {
    match kind {
        CheckKind::DocumentNumber => "document number",
        CheckKind::DateOfBirth => "date of birth",
        CheckKind::DateOfExpiry => "date of expiry",
        CheckKind::PersonalNumber => "personal number",
        CheckKind::Composite => "whole zone (composite)",
    }
}

/// Whether a read MRZ is too damaged to judge the document on: two or more of its fields'
/// check digits fail or fields are malformed (one failing check digit on an otherwise sound
/// reading is the document's: DC002; a real photo of a valid AZE passport was read with two
/// failing and declined). A forger who recomputes nothing fails the digit
/// of the field they changed (and the composite, not counted here), which the printed zone
/// then also contradicts; a blurred or distant photo fails several at once.
fn mrz_unreadable(m: &Mrz) -> bool {
    let failed = m
        .checks
        .iter()
        .filter(|c| c.kind != CheckKind::Composite && !c.holds())
        .count();
    failed + malformed_fields(m).len() >= 2
}

/// A side's MRZ as (to judge on, too damaged to judge on): at most one of them is `Some`.
fn split_unreadable(m: Option<Mrz>) -> (Option<Mrz>, Option<Mrz>) {
    match m {
        Some(m) if mrz_unreadable(&m) => (None, Some(m)),
        m => (m, None),
    }
}

/// The MRZ's malformed fields, each once (check-digit positions are the checks' business).
fn malformed_fields(m: &Mrz) -> Vec<Field> {
    let mut malformed: Vec<Field> = Vec::new();
    for p in &m.problems {
        if p.severity == Severity::Error
            && !matches!(p.field, Field::CheckDigit(_))
            && !malformed.contains(&p.field)
        {
            malformed.push(p.field);
        }
    }
    malformed
}

/// Full years between `birth` and `today`.
fn age_on(birth: Date, today: Date) -> i32 {
    let mut years = i32::from(today.year) - i32::from(birth.year);
    if (today.month, today.day) < (birth.month, birth.day) {
        years -= 1;
    }
    years
}

/// The image-quality concerns of one side. Glare is an MRZ measure: a side without an MRZ
/// read gets no glare concern, whatever its measure says.
fn quality_concerns(
    side: &str,
    q: &ImageQuality,
    has_mrz: bool,
    policy: &Policy,
    out: &mut Vec<Raised>,
) {
    let (long, short) = (q.width.max(q.height), q.width.min(q.height));
    let (w, h) = (q.width.to_string(), q.height.to_string());
    if long < policy.image.min_long_side || short < policy.image.min_short_side {
        out.push(Raised::new(
            ConcernKind::ImageTooSmall,
            &[("side", side), ("width", &w), ("height", &h)],
        ));
    } else if q.sharpness.is_nan() || q.sharpness < policy.image.min_sharpness {
        // Blur is judged only on an image of usable size: a tiny image measures blurred too,
        // and its one cause is its size. NaN counts as blurred.
        out.push(Raised::new(ConcernKind::ImageBlurred, &[("side", side)]));
    }
    if has_mrz && q.glare_over_mrz > policy.image.max_glare_over_mrz {
        let percent = format!("{:.0}", (q.glare_over_mrz * 100.0).clamp(0.0, 100.0));
        out.push(Raised::new(
            ConcernKind::GlareOverMrz,
            &[("percent", &percent), ("side", side)],
        ));
    }
}

/// Fields that identify the holder and the document: two or more of them disagreeing between
/// one side's MRZ and the other side's printed zone means two documents.
const IDENTITY: [CompareField; 4] = [
    CompareField::DocumentNumber,
    CompareField::Surname,
    CompareField::GivenNames,
    CompareField::BirthDate,
];

/// The rules over the MRZ and the printed zone. Returns the concerns and the comparisons,
/// with the fields that show two different documents.
fn mrz_rules(
    mrz: &Mrz,
    other_mrz: Option<&Mrz>,
    printed: &PrintedFields,
    other_side_printed: Option<&PrintedFields>,
    policy: &Policy,
    out: &mut Vec<Raised>,
) -> (Vec<Comparison>, BTreeSet<CompareField>) {
    // Front and back from different documents.
    let mut different: BTreeSet<CompareField> = BTreeSet::new();
    if let Some(other) = other_side_printed {
        let against_other = compare(mrz, other);
        let unequal: BTreeSet<CompareField> = against_other
            .iter()
            .filter(|c| !c.equal)
            .map(|c| c.field)
            .collect();
        // Every field that disagrees is then explained by the two documents, not by a
        // forgery of one of them.
        if unequal.iter().filter(|f| IDENTITY.contains(f)).count() >= 2 {
            different = unequal;
        }
    }
    let mut different_msg: Vec<&str> = different.iter().map(|f| f.category()).collect();
    if let Some(other) = other_mrz
        && !other.document_number.is_empty()
        && other.document_number != mrz.document_number
    {
        different.insert(CompareField::DocumentNumber);
        different_msg = different.iter().map(|f| f.category()).collect();
        if !different_msg.contains(&"MRZ") {
            different_msg.push("MRZ");
        }
    }
    if !different.is_empty() {
        let fields = different_msg.join(", ").to_lowercase();
        out.push(Raised::new(
            ConcernKind::DifferentDocuments,
            &[("fields", &fields)],
        ));
    }

    // The cross-check and DC030.
    let comparisons = compare(mrz, printed);
    let mut conflict_values: Vec<String> = Vec::new();
    let mut conflict_issues = 0;
    let mut reported_checks: BTreeSet<&'static str> = BTreeSet::new();
    let mut near_values: Vec<String> = Vec::new();
    for c in comparisons
        .iter()
        .filter(|c| !c.equal && c.near && !different.contains(&c.field))
    {
        near_values.push(c.mrz.clone());
        near_values.push(c.ocr.clone());
    }
    if !near_values.is_empty() {
        out.push(
            Raised::new(
                ConcernKind::NearConflict,
                &[("values", &near_values.join(", "))],
            )
            .counting(near_values.len() / 2),
        );
    }
    for c in comparisons
        .iter()
        .filter(|c| !c.equal && !c.near && !different.contains(&c.field))
    {
        conflict_values.push(c.mrz.clone());
        conflict_values.push(c.ocr.clone());
        conflict_issues += 1;
        if !c.check_holds {
            conflict_values.push("Checksum is not valid".to_string());
            conflict_issues += 1;
            if let Some(k) = c.field.check_kind() {
                reported_checks.insert(k.as_str());
            }
        }
    }
    if conflict_issues > 0 {
        out.push(
            Raised::new(
                ConcernKind::Conflict,
                &[("values", &conflict_values.join(", "))],
            )
            .counting(conflict_issues),
        );
    }
    if comparisons.is_empty() {
        out.push(Raised::new(ConcernKind::PrintedZoneNotRead, &[]));
    }

    // Check digits not already reported with a conflict.
    let field_checks_hold = mrz
        .checks
        .iter()
        .filter(|c| c.kind != CheckKind::Composite)
        .all(|c| c.holds());
    for check in mrz.checks.iter().filter(|c| !c.holds()) {
        let report = match check.kind {
            CheckKind::Composite => field_checks_hold,
            k => !reported_checks.contains(k.as_str()),
        };
        if report {
            out.push(Raised::new(
                ConcernKind::MrzCheckDigit,
                &[("field", check_name(check.kind))],
            ));
        }
    }
    // Malformed fields.
    for f in malformed_fields(mrz) {
        out.push(Raised::new(
            ConcernKind::MrzMalformed,
            &[("field", f.as_str())],
        ));
    }

    // Document type and issuing state.
    let doc_type = mrz.document_type;
    if !policy.accepted_document_types.contains(&doc_type) {
        out.push(Raised::new(
            ConcernKind::DocumentTypeNotAccepted,
            &[("type", doc_type.as_str())],
        ));
    }
    if !mrz.issuing_state.is_empty() && !policy.accepts_country(&mrz.issuing_state) {
        out.push(Raised::new(
            ConcernKind::IssuingCountryNotAccepted,
            &[("country", &mrz.issuing_state)],
        ));
    }
    (comparisons, different)
}

/// Runs the document check.
///
/// `today` is the day of the check (expiry, age and the century of two-digit birth years
/// depend on it). The front's printed zone is read first and completed by the back's; the MRZ
/// is the front's when it has one (passports), else the back's (cards).
///
/// ```
/// use idverify_check::{assess, CheckInput, Policy, SideInput, TextLine};
/// use idverify_wire::Decision;
/// let today = idverify_mrz::Date::new(2026, 11, 27).unwrap();
/// let mrz = idverify_mrz::parse(
///     &["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
///       "L898902C36UTO7408122F3204153ZE184226B<<<<<16"], today).unwrap();
/// let front = SideInput {
///     lines: vec![
///         TextLine::new("Surname / Nom", (10.0, 10.0, 100.0, 10.0)),
///         TextLine::new("ERIKSSON", (10.0, 22.0, 80.0, 12.0)),
///     ],
///     mrz: Some(mrz),
///     quality: None,
/// };
/// let a = assess(&CheckInput { front, back: None }, &Policy::default(), today);
/// assert_eq!(a.results.status, Decision::Approved);
/// assert!(a.results.concerns.is_empty());
/// assert_eq!(a.check.comment, "No issues found.");
/// ```
pub fn assess(input: &CheckInput, policy: &Policy, today: Date) -> Assessment {
    let mut raised: Vec<Raised> = Vec::new();

    if let Some(q) = &input.front.quality {
        let has_mrz = input.front.mrz.is_some();
        quality_concerns("front", q, has_mrz, policy, &mut raised);
    }
    if let Some(b) = &input.back
        && let Some(q) = &b.quality
    {
        quality_concerns("back", q, b.mrz.is_some(), policy, &mut raised);
    }

    let front_printed = extract_printed(&input.front.lines);
    let back_printed = input
        .back
        .as_ref()
        .map(|b| extract_printed(&b.lines))
        .unwrap_or_default();
    let printed = front_printed.clone().or(back_printed.clone());

    // The MRZ gives the birth year in two digits; a printed four-digit year of the same date
    // settles its century (`01.01.1911` for `110101`, read 2011 by the MRZ's rule).
    let settled = |m: &Mrz| crate::crosscheck::with_printed_century(m, &printed);
    let front_mrz = input.front.mrz.as_ref().map(settled);
    let back_mrz = input
        .back
        .as_ref()
        .and_then(|b| b.mrz.as_ref())
        .map(settled);
    // A reading with several check digits or fields that do not hold is the photo's failure,
    // not the document's: it is set aside (DC004, a retake) and nothing is judged on it.
    // What was read stays in the Result (`mrz`, not valid) for a reviewer to see.
    let (front_mrz, front_damaged) = split_unreadable(front_mrz);
    let (back_mrz, back_damaged) = split_unreadable(back_mrz);
    let damaged = front_damaged.or(back_damaged);
    let unreadable = damaged.is_some();
    let back_mrz = back_mrz.as_ref();
    let (mrz, other_mrz, other_printed) = match (&front_mrz, back_mrz) {
        (Some(f), b) => (Some(f), b, input.back.as_ref().map(|_| &back_printed)),
        (None, Some(b)) => (Some(b), None, Some(&front_printed)),
        (None, None) => (None, None, None),
    };
    // A side's printed zone tells of another document only if it was read at all.
    let other_printed = other_printed.filter(|p| !p.is_empty());

    let mut rows = Vec::new();
    match mrz {
        None if unreadable => raised.push(Raised::new(ConcernKind::MrzUnreadable, &[])),
        None => raised.push(Raised::new(ConcernKind::MrzNotFound, &[])),
        Some(m) => {
            let (comparisons, different) =
                mrz_rules(m, other_mrz, &printed, other_printed, policy, &mut raised);
            for c in &comparisons {
                let status = if c.valid() {
                    Decision::Approved
                } else if different.contains(&c.field) {
                    policy.status_of(ConcernKind::DifferentDocuments)
                } else if !c.equal && c.near {
                    policy.status_of(ConcernKind::NearConflict)
                } else if !c.equal {
                    policy.status_of(ConcernKind::Conflict)
                } else {
                    policy.status_of(ConcernKind::MrzCheckDigit)
                };
                rows.push(row(c, status));
            }
        }
    }

    // Expiry and age, from the MRZ or else the printed zone.
    // The French driving licence's one date is not an expiry date (the MRZ crate keeps it
    // there, as the `mrz` library does): it must not expire the licence.
    let expiry = mrz
        .filter(|m| m.format != Format::FrenchDrivingLicense)
        .and_then(|m| m.expiry_date.date)
        .or_else(|| {
            printed
                .expiry_date
                .and_then(|d| d.resolve(CenturyRule::Expiry))
        });
    let birth = mrz.and_then(|m| m.birth_date.date).or_else(|| {
        printed
            .birth_date
            .and_then(|d| d.resolve(CenturyRule::Past(today)))
    });
    if let Some(e) = expiry
        && e < today
    {
        raised.push(Raised::new(
            ConcernKind::Expired,
            &[("date", &e.to_string())],
        ));
    }
    if let Some(b) = birth
        && age_on(b, today) < i32::from(policy.minimum_age)
    {
        let age = policy.minimum_age.to_string();
        raised.push(Raised::new(ConcernKind::UnderAge, &[("age", &age)]));
    }

    // An unusable image (too small, blurred, glare over the MRZ) explains what could not be
    // read from it: the reading's own concerns would blame the document for the photo, so only
    // the image's concern stands (the person is asked for a better image).
    let image_status = Decision::worst(
        raised
            .iter()
            .filter(|r| r.kind.is_image_quality())
            .map(|r| policy.status_of(r.kind))
            .filter(|s| *s != Decision::Approved),
    );
    if image_status != Decision::Approved {
        raised.retain(|r| !r.kind.is_reading_outcome());
        for row in rows.iter_mut().filter(|r| r.status != Decision::Approved) {
            row.status = image_status;
        }
    }

    // The policy decides each status; `approved` switches a rule off.
    raised.sort_by_key(|r| r.kind);
    let mut concerns: Vec<Concern> = Vec::new();
    let mut issues = 0;
    for r in &raised {
        let status = policy.status_of(r.kind);
        if status != Decision::Approved {
            issues += r.issues;
            concerns.push(r.to_wire(status));
        }
    }
    let status = Decision::worst(concerns.iter().map(|c| c.status));
    let comment = if issues > 0 {
        let summary = Raised::new(ConcernKind::Summary, &[("count", &issues.to_string())]);
        let comment = summary.message.clone();
        concerns.insert(0, summary.to_wire(status));
        comment
    } else {
        "No issues found.".to_string()
    };

    Assessment {
        results: Results { status, concerns },
        check: Check {
            name: CHECK_NAME.to_string(),
            status,
            comment,
            details: None,
        },
        attributes: attributes(mrz, &printed, expiry, birth),
        mrz: mrz.or(damaged.as_ref()).map(|m| MrzSummary {
            format: m.format.as_str().to_string(),
            lines: m.lines.clone(),
            valid: m.is_valid(),
        }),
        document_data_checking: rows,
        printed,
        face_check: None,
    }
}

fn attributes(
    mrz: Option<&Mrz>,
    printed: &PrintedFields,
    expiry: Option<Date>,
    birth: Option<Date>,
) -> Attributes {
    let mrz_form = |p: &Option<String>| {
        p.as_deref()
            .and_then(|n| mrz_forms(n).into_iter().next())
            .unwrap_or_default()
    };
    let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let document_number = mrz
        .and_then(|m| non_empty(&m.document_number))
        .or_else(|| printed.document_number.clone());
    let id_number = mrz
        .and_then(|m| match m.format {
            Format::Td3 => non_empty(&m.personal_number),
            Format::Td1 | Format::Td2 => non_empty(m.optional_data.trim_matches('<')),
            _ => non_empty(&m.personal_number),
        })
        .or_else(|| printed.personal_number.clone());
    Attributes {
        document_type: mrz
            .map(|m| m.document_type)
            .unwrap_or(DocumentType::Unknown)
            .as_str()
            .to_string(),
        first_name: mrz
            .map(|m| m.first_name.clone())
            .unwrap_or_else(|| mrz_form(&printed.given_names)),
        original_first_name: printed.given_names.clone().unwrap_or_default(),
        last_name: mrz
            .map(|m| m.last_name.clone())
            .unwrap_or_else(|| mrz_form(&printed.surname)),
        original_last_name: printed.surname.clone().unwrap_or_default(),
        document_numbers: document_number
            .map(|value| {
                vec![DocumentNumber {
                    kind: "document-number".to_string(),
                    value,
                }]
            })
            .unwrap_or_default(),
        id_number: id_number.unwrap_or_default(),
        reference_id: String::new(),
        gender: mrz
            .and_then(|m| m.sex)
            .or(printed.sex)
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        nationality: mrz
            .and_then(|m| non_empty(&m.nationality))
            .or_else(|| printed.nationality.as_deref().and_then(nationality_code))
            .unwrap_or_default(),
        issue_country: mrz.map(|m| m.issuing_state.clone()).unwrap_or_default(),
        date_of_expiry: expiry.map(|d| d.to_string()).unwrap_or_default(),
        date_of_birth: birth.map(|d| d.to_string()).unwrap_or_default(),
        place_of_birth: printed.place_of_birth.clone().unwrap_or_default(),
    }
}
