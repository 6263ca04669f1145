//! The words printed on a document: field labels and titles, in each label language.

use crate::spec::{DocFormat, Field, LabelLanguage};

/// The label printed above (or beside) `field`.
///
/// ```
/// use idverify_testkit::{label_text, LabelLanguage, Field, DocFormat};
/// assert_eq!(label_text(LabelLanguage::EnglishFrench, Field::Surname, DocFormat::Td3), "Surname / Nom");
/// ```
pub fn label_text(lang: LabelLanguage, field: Field, format: DocFormat) -> &'static str {
    use Field as F;
    use LabelLanguage as L;
    let passport = format == DocFormat::Td3;
    let visa = matches!(format, DocFormat::Mrva | DocFormat::Mrvb);
    if format == DocFormat::FrenchId {
        return french_card_label(field);
    }
    match (lang, field) {
        (L::English, F::DocumentType) => "Type",
        (L::English, F::IssuingState) => "Code of issuing State",
        (L::English, F::DocumentNumber) if passport || visa => "Passport No.",
        (L::English, F::DocumentNumber) => "Document No.",
        (L::English, F::Surname) => "Surname",
        (L::English, F::GivenNames) => "Given names",
        (L::English, F::Nationality) => "Nationality",
        (L::English, F::DateOfBirth) => "Date of birth",
        (L::English, F::Sex) => "Sex",
        (L::English, F::PlaceOfBirth) => "Place of birth",
        (L::English, F::DateOfIssue) if visa => "Valid from",
        (L::English, F::DateOfIssue) => "Date of issue",
        (L::English, F::DateOfExpiry) if visa => "Valid until",
        (L::English, F::DateOfExpiry) => "Date of expiry",
        (L::English, F::PersonalNumber) => "Personal No.",
        (L::English, F::Authority) if visa => "Issued in",
        (L::English, F::Authority) => "Authority",

        (L::EnglishFrench, F::DocumentType) => "Type / Type",
        (L::EnglishFrench, F::IssuingState) => "Code / Code",
        (L::EnglishFrench, F::DocumentNumber) if passport || visa => {
            "Passport No. / N° du passeport"
        }
        (L::EnglishFrench, F::DocumentNumber) => "Document No. / N° du document",
        (L::EnglishFrench, F::Surname) => "Surname / Nom",
        (L::EnglishFrench, F::GivenNames) => "Given names / Prénoms",
        (L::EnglishFrench, F::Nationality) => "Nationality / Nationalité",
        (L::EnglishFrench, F::DateOfBirth) => "Date of birth / Date de naissance",
        (L::EnglishFrench, F::Sex) => "Sex / Sexe",
        (L::EnglishFrench, F::PlaceOfBirth) => "Place of birth / Lieu de naissance",
        (L::EnglishFrench, F::DateOfIssue) if visa => "Valid from / Valable du",
        (L::EnglishFrench, F::DateOfIssue) => "Date of issue / Date de délivrance",
        (L::EnglishFrench, F::DateOfExpiry) if visa => "Until / Au",
        (L::EnglishFrench, F::DateOfExpiry) => "Date of expiry / Date d'expiration",
        (L::EnglishFrench, F::PersonalNumber) => "Personal No. / N° personnel",
        (L::EnglishFrench, F::Authority) => "Authority / Autorité",

        (L::GermanEnglish, F::DocumentType) => "Typ / Type",
        (L::GermanEnglish, F::IssuingState) => "Kode / Code",
        (L::GermanEnglish, F::DocumentNumber) if passport || visa => "Pass-Nr. / Passport No.",
        (L::GermanEnglish, F::DocumentNumber) => "Ausweisnummer / Document No.",
        (L::GermanEnglish, F::Surname) => "Name / Surname",
        (L::GermanEnglish, F::GivenNames) => "Vornamen / Given names",
        (L::GermanEnglish, F::Nationality) => "Staatsangehörigkeit / Nationality",
        (L::GermanEnglish, F::DateOfBirth) => "Geburtsdatum / Date of birth",
        (L::GermanEnglish, F::Sex) => "Geschlecht / Sex",
        (L::GermanEnglish, F::PlaceOfBirth) => "Geburtsort / Place of birth",
        (L::GermanEnglish, F::DateOfIssue) if visa => "Gültig ab / Valid from",
        (L::GermanEnglish, F::DateOfIssue) => "Ausstellungsdatum / Date of issue",
        (L::GermanEnglish, F::DateOfExpiry) => "Gültig bis / Date of expiry",
        (L::GermanEnglish, F::PersonalNumber) => "Persönliche Nr. / Personal No.",
        (L::GermanEnglish, F::Authority) => "Behörde / Authority",

        (L::SpanishEnglish, F::DocumentType) => "Tipo / Type",
        (L::SpanishEnglish, F::IssuingState) => "Código / Code",
        (L::SpanishEnglish, F::DocumentNumber) if passport || visa => "Pasaporte N° / Passport No.",
        (L::SpanishEnglish, F::DocumentNumber) => "Núm. soporte / Document No.",
        (L::SpanishEnglish, F::Surname) => "Apellidos / Surname",
        (L::SpanishEnglish, F::GivenNames) => "Nombre / Given names",
        (L::SpanishEnglish, F::Nationality) => "Nacionalidad / Nationality",
        (L::SpanishEnglish, F::DateOfBirth) => "Fecha de nacimiento / Date of birth",
        (L::SpanishEnglish, F::Sex) => "Sexo / Sex",
        (L::SpanishEnglish, F::PlaceOfBirth) => "Lugar de nacimiento / Place of birth",
        (L::SpanishEnglish, F::DateOfIssue) if visa => "Válido desde / Valid from",
        (L::SpanishEnglish, F::DateOfIssue) => "Fecha de expedición / Date of issue",
        (L::SpanishEnglish, F::DateOfExpiry) => "Fecha de caducidad / Date of expiry",
        (L::SpanishEnglish, F::PersonalNumber) => "Núm. personal / Personal No.",
        (L::SpanishEnglish, F::Authority) => "Autoridad / Authority",
    }
}

/// The old French card is printed in French only.
fn french_card_label(field: Field) -> &'static str {
    match field {
        Field::DocumentType => "Type",
        Field::IssuingState => "Pays",
        Field::DocumentNumber => "Carte nationale d'identité N°",
        Field::Surname => "Nom",
        Field::GivenNames => "Prénom(s)",
        Field::Nationality => "Nationalité",
        Field::DateOfBirth => "Né(e) le",
        Field::Sex => "Sexe",
        Field::PlaceOfBirth => "à",
        Field::DateOfIssue => "Délivrée le",
        Field::DateOfExpiry => "Carte valable jusqu'au",
        Field::PersonalNumber => "N° personnel",
        Field::Authority => "par",
    }
}

/// The document title printed in the header.
pub fn title_text(lang: LabelLanguage, format: DocFormat) -> &'static str {
    use DocFormat as D;
    use LabelLanguage as L;
    match (format, lang) {
        (D::FrenchId, _) => "CARTE NATIONALE D'IDENTITÉ",
        (D::Td3, L::English) => "PASSPORT",
        (D::Td3, L::EnglishFrench) => "PASSPORT / PASSEPORT",
        (D::Td3, L::GermanEnglish) => "REISEPASS / PASSPORT",
        (D::Td3, L::SpanishEnglish) => "PASAPORTE / PASSPORT",
        (D::Td1 | D::Td2, L::English) => "IDENTITY CARD",
        (D::Td1 | D::Td2, L::EnglishFrench) => "IDENTITY CARD / CARTE D'IDENTITÉ",
        (D::Td1 | D::Td2, L::GermanEnglish) => "PERSONALAUSWEIS / IDENTITY CARD",
        (D::Td1 | D::Td2, L::SpanishEnglish) => "DOCUMENTO NACIONAL DE IDENTIDAD",
        (D::Mrva | D::Mrvb, L::English) => "VISA",
        (D::Mrva | D::Mrvb, L::EnglishFrench) => "VISA / VISA",
        (D::Mrva | D::Mrvb, L::GermanEnglish) => "VISUM / VISA",
        (D::Mrva | D::Mrvb, L::SpanishEnglish) => "VISADO / VISA",
    }
}
