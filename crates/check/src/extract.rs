//! Printed-zone extraction: finds the labels a document prints (in the languages documents use,
//! bilingual or numbered) and takes each field's value from the same line after the label, from
//! the box to its right, or from the box below it, keeping the original case and diacritics.

use idverify_mrz::Sex;

use crate::fold::fold_char;
use crate::input::TextLine;
use crate::printed_date::{PrintedDate, parse_date};

/// A field of the printed (visual inspection) zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrintedField {
    /// Surname (primary identifier).
    Surname,
    /// Given names.
    GivenNames,
    /// Date of birth.
    BirthDate,
    /// Place of birth.
    PlaceOfBirth,
    /// Date of expiry.
    ExpiryDate,
    /// Date of issue.
    IssueDate,
    /// Document number.
    DocumentNumber,
    /// Personal / national identity number.
    PersonalNumber,
    /// Sex.
    Sex,
    /// Nationality.
    Nationality,
    /// A label of a field the check does not read (authority, signature, height …): known so
    /// that it is never taken for a value.
    Other,
}

/// What the printed zone says. `None` where the field was not read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintedFields {
    /// Surname as printed (`De Bruijn`).
    pub surname: Option<String>,
    /// Given names as printed (`Willeke Liselotte`).
    pub given_names: Option<String>,
    /// Date of birth.
    pub birth_date: Option<PrintedDate>,
    /// Date of expiry.
    pub expiry_date: Option<PrintedDate>,
    /// Date of issue.
    pub issue_date: Option<PrintedDate>,
    /// Document number, upper case, spaces removed.
    pub document_number: Option<String>,
    /// Personal number as printed.
    pub personal_number: Option<String>,
    /// Place of birth as printed.
    pub place_of_birth: Option<String>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Nationality as printed (`Nederlandse`, `UTO`, `BRITISH CITIZEN`).
    pub nationality: Option<String>,
}

impl PrintedFields {
    /// Whether no field was read.
    pub fn is_empty(&self) -> bool {
        *self == PrintedFields::default()
    }

    /// Fills the fields this one lacks from `other` (the front wins over the back).
    pub fn or(self, other: PrintedFields) -> PrintedFields {
        PrintedFields {
            surname: self.surname.or(other.surname),
            given_names: self.given_names.or(other.given_names),
            birth_date: self.birth_date.or(other.birth_date),
            expiry_date: self.expiry_date.or(other.expiry_date),
            issue_date: self.issue_date.or(other.issue_date),
            document_number: self.document_number.or(other.document_number),
            personal_number: self.personal_number.or(other.personal_number),
            place_of_birth: self.place_of_birth.or(other.place_of_birth),
            sex: self.sex.or(other.sex),
            nationality: self.nationality.or(other.nationality),
        }
    }
}

/// Label phrases, folded (upper case, no diacritics), words separated by single spaces.
const LABELS: &[(PrintedField, &[&str])] = &[
    (
        PrintedField::Surname,
        &[
            "SURNAME",
            "SURNAMES",
            "FAMILY NAME",
            "LAST NAME",
            "NAME",
            "NOM",
            "NOM DE FAMILLE",
            "NOMS",
            "APELLIDOS",
            "APELLIDO",
            "PRIMER APELLIDO",
            "NACHNAME",
            "FAMILIENNAME",
            "COGNOME",
            "ACHTERNAAM",
            "NAAM",
            "APELIDO",
            "APELIDOS",
            "SOBRENOME",
            "NAZWISKO",
            "EFTERNAMN",
        ],
    ),
    (
        PrintedField::GivenNames,
        &[
            "GIVEN NAMES",
            "GIVEN NAME",
            "FORENAMES",
            "FORENAME",
            "FIRST NAMES",
            "FIRST NAME",
            "PRENOMS",
            "PRENOM",
            "NOMBRE",
            "NOMBRES",
            "VORNAMEN",
            "VORNAME",
            "NOME",
            "NOMI",
            "VOORNAMEN",
            "VOORNAAM",
            "NOMES",
            "NOME PROPRIO",
            "IMIONA",
            "IMIE",
            "FORNAMN",
        ],
    ),
    (
        PrintedField::BirthDate,
        &[
            "DATE OF BIRTH",
            "BIRTH DATE",
            "DATE DE NAISSANCE",
            "NE LE",
            "NEE LE",
            "NE E LE",
            "FECHA DE NACIMIENTO",
            "FECHA NACIMIENTO",
            "FECHA DE NACIM",
            "GEBURTSDATUM",
            "GEBOREN AM",
            "DATA DI NASCITA",
            "GEBOORTEDATUM",
            "DATA DE NASCIMENTO",
            "DATA URODZENIA",
            "FODELSEDATUM",
            "DOB",
        ],
    ),
    (
        PrintedField::PlaceOfBirth,
        &[
            "PLACE OF BIRTH",
            "BIRTH PLACE",
            "LIEU DE NAISSANCE",
            "LUGAR DE NACIMIENTO",
            "GEBURTSORT",
            "LUOGO DI NASCITA",
            "GEBOORTEPLAATS",
            "LOCAL DE NASCIMENTO",
            "NATURALIDADE",
            "MIEJSCE URODZENIA",
            "FODELSEORT",
        ],
    ),
    (
        PrintedField::ExpiryDate,
        &[
            "DATE OF EXPIRY",
            "EXPIRY DATE",
            "EXPIRY",
            "EXPIRES",
            "DATE OF EXPIRATION",
            "EXPIRATION DATE",
            "VALID UNTIL",
            "VALID THRU",
            "DATE D EXPIRATION",
            "EXPIRATION",
            "EXPIRE LE",
            "VALABLE JUSQU AU",
            "FECHA DE CADUCIDAD",
            "CADUCIDAD",
            "VALIDO HASTA",
            "FECHA DE EXPIRACION",
            "FECHA DE VALIDEZ",
            "GULTIG BIS",
            "ABLAUFDATUM",
            "DATA DI SCADENZA",
            "SCADENZA",
            "VERVALDATUM",
            "GELDIG TOT",
            "DATA DE VALIDADE",
            "VALIDO ATE",
            "VALIDADE",
            "DATA WAZNOSCI",
            "TERMIN WAZNOSCI",
            "GILTIG TILL",
            "GILTIG T O M",
            "SISTA GILTIGHETSDAG",
            "UNTIL",
            "VALID TO",
        ],
    ),
    (
        PrintedField::IssueDate,
        &[
            "DATE OF ISSUE",
            "ISSUE DATE",
            "DATE ISSUED",
            "ISSUED ON",
            "DATE DE DELIVRANCE",
            "DELIVRE LE",
            "DATE D EMISSION",
            "FECHA DE EXPEDICION",
            "FECHA DE EMISION",
            "AUSSTELLUNGSDATUM",
            "AUSGESTELLT AM",
            "DATA DI RILASCIO",
            "DATA DI EMISSIONE",
            "DATUM VAN AFGIFTE",
            "DATUM AFGIFTE",
            "DATA DE EMISSAO",
            "DATA DE EXPEDICAO",
            "DATA WYDANIA",
            "UTFARDANDEDATUM",
            "UTFARDAT",
            "VALID FROM",
            "VALABLE DU",
            "VALABLE A PARTIR DU",
            "GULTIG AB",
            "VALIDO DESDE",
            "VALIDO DAL",
            "GELDIG VANAF",
        ],
    ),
    (
        PrintedField::DocumentNumber,
        &[
            "DOCUMENT NO",
            "DOCUMENT NUMBER",
            "DOCUMENT NR",
            "DOC NO",
            "PASSPORT NO",
            "PASSPORT NUMBER",
            "PASSPORT NR",
            "CARD NO",
            "CARD NUMBER",
            "ID CARD NO",
            "NO DU DOCUMENT",
            "N DU DOCUMENT",
            "NUMERO DU DOCUMENT",
            "NO DU PASSEPORT",
            "N DU PASSEPORT",
            "PASSEPORT NO",
            "NO DE LA CARTE",
            "N DE LA CARTE",
            "NUMERO DE DOCUMENTO",
            "NUM DE DOCUMENTO",
            "N DE DOCUMENTO",
            "NUM SOPORTE",
            "NUM DE SOPORTE",
            "NUMERO DE PASAPORTE",
            "N PASAPORTE",
            "DOKUMENTENNUMMER",
            "DOKUMENTNUMMER",
            "PASSNUMMER",
            "PASS NR",
            "AUSWEISNUMMER",
            "NUMERO DOCUMENTO",
            "N DOCUMENTO",
            "N PASSAPORTO",
            "NUMERO PASSAPORTO",
            "DOCUMENTNUMMER",
            "PASPOORTNUMMER",
            "NR PASZPORTU",
            "NUMER PASZPORTU",
            "NUMER DOKUMENTU",
            "SERIA I NUMER DOKUMENTU",
            "NO DO DOCUMENTO",
            "N DO DOCUMENTO",
            "N DO PASSAPORTE",
            "PASAPORTE N",
            "PASAPORTE NO",
            "PASAPORTE NUM",
            "PASSEPORT N",
        ],
    ),
    (
        PrintedField::PersonalNumber,
        &[
            "PERSONAL NO",
            "PERSONAL NUMBER",
            "PERSONAL CODE",
            "PERSONAL ID",
            "NATIONAL ID NO",
            "NATIONAL NUMBER",
            "ID NUMBER",
            "IDENTITY NUMBER",
            "NUMERO PERSONNEL",
            "DNI",
            "NUM PERSONAL",
            "PERSONENNUMMER",
            "PERSOONSNUMMER",
            "BSN",
            "CODICE FISCALE",
            "NIF",
            "NUMER PESEL",
            "PESEL",
            "N PERSONNEL",
            "NO PERSONNEL",
            "PERSONLICHE NR",
            "PERSONLICHE NUMMER",
            "NUMER OSOBISTY",
            "PERSONNUMMER",
            "IDENTIFICATIENUMMER",
        ],
    ),
    (
        PrintedField::Sex,
        &[
            "SEX",
            "SEXE",
            "SEXO",
            "GESCHLECHT",
            "SESSO",
            "GESLACHT",
            "PLEC",
            "KON",
            "GENDER",
        ],
    ),
    (
        PrintedField::Nationality,
        &[
            "NATIONALITY",
            "NATIONALITE",
            "NACIONALIDAD",
            "STAATSANGEHORIGKEIT",
            "NAZIONALITA",
            "CITTADINANZA",
            "NATIONALITEIT",
            "NACIONALIDADE",
            "OBYWATELSTWO",
            "NARODOWOSC",
            "MEDBORGARSKAP",
            "NATIONALITET",
            "CITIZENSHIP",
        ],
    ),
    (
        PrintedField::Other,
        &[
            "NOM D USAGE",
            "USUAL NAME",
            "AUTHORITY",
            "ISSUING AUTHORITY",
            "AUTORITE",
            "BEHORDE",
            "AUTORIDAD",
            "AUTORITA",
            "AUTORITEIT",
            "ORGAN WYDAJACY",
            "MYNDIGHET",
            "SIGNATURE",
            "HOLDER S SIGNATURE",
            "UNTERSCHRIFT",
            "FIRMA",
            "HANDTEKENING",
            "PODPIS",
            "NAMNTECKNING",
            "HEIGHT",
            "TAILLE",
            "GROSSE",
            "ESTATURA",
            "STATURA",
            "LENGTE",
            "ALTURA",
            "WZROST",
            "LANGD",
            "TYPE",
            "CODE",
            "COUNTRY CODE",
            "CODE OF ISSUING STATE",
            "CODE DU PAYS",
            "CODE PAYS",
            "ADDRESS",
            "ADRESSE",
            "DOMICILIO",
            "ANSCHRIFT",
            "ADRES",
            "ENDERECO",
            "PASSPORT",
            "PASSEPORT",
            "IDENTITY CARD",
            "CARTE NATIONALE D IDENTITE",
            "REISEPASS",
            "PERSONALAUSWEIS",
            "PASAPORTE",
            "PASSAPORTO",
            "PASPOORT",
            "PASSAPORTE",
            "PASZPORT",
            "PASS",
            "EYES",
            "YEUX",
            "COLOUR OF EYES",
            "ISSUED IN",
            "DELIVRE A",
            "TYP",
            "KODE",
            "TIPO",
            "CODIGO",
            "ISSUING STATE",
        ],
    ),
];

/// A label found at the start of a line.
#[derive(Debug, Clone, Copy)]
struct LabelHit {
    field: PrintedField,
    /// Character index in the line where the text after the label(s) starts.
    value_start: usize,
}

/// Words of a folded line with their character spans.
fn spanned_words(folded: &[char]) -> Vec<(String, usize, usize)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in folded.iter().enumerate() {
        let inside = c.is_alphanumeric();
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((folded.get(s..i).unwrap_or(&[]).iter().collect(), s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((
            folded.get(s..).unwrap_or(&[]).iter().collect(),
            s,
            folded.len(),
        ));
    }
    words
}

/// Whether an OCR'd word reads as a label word: equal, or one edit away for long words.
fn word_matches(read: &str, label: &str) -> bool {
    if read == label {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (read.chars().collect(), label.chars().collect());
    b.len() >= 6 && edit_distance_at_most_one(&a, &b)
}

fn edit_distance_at_most_one(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    let rest_short = short.get(prefix..).unwrap_or(&[]);
    if short.len() == long.len() {
        // One substitution.
        rest_short.get(1..).unwrap_or(&[]) == long.get(prefix + 1..).unwrap_or(&[])
    } else {
        // One insertion in the longer.
        rest_short == long.get(prefix + 1..).unwrap_or(&[])
    }
}

/// The longest label phrase starting at word `k`: its field and how many words it takes.
fn label_at(words: &[(String, usize, usize)], k: usize) -> Option<(PrintedField, usize)> {
    let mut best: Option<(PrintedField, usize)> = None;
    for (field, phrases) in LABELS {
        for phrase in *phrases {
            let parts: Vec<&str> = phrase.split(' ').collect();
            let fits = parts.iter().enumerate().all(|(n, part)| {
                words
                    .get(k + n)
                    .is_some_and(|(w, _, _)| word_matches(w, part))
            });
            if fits && best.is_none_or(|(_, len)| parts.len() > len) {
                best = Some((*field, parts.len()));
            }
        }
    }
    best
}

/// Whether a word is a field number (`1`, `4a`, `4b`) as on cards that number their labels.
fn is_numbering(word: &str) -> bool {
    let digits = word.chars().take_while(char::is_ascii_digit).count();
    let rest = word.chars().count() - digits;
    (1..=2).contains(&digits) && rest <= 1
}

/// Finds the label(s) at the start of a line. Bilingual labels (`Surname / Nom`) are consumed
/// together; the field is the first one's.
fn find_label(line: &str) -> Option<LabelHit> {
    let folded: Vec<char> = line.chars().map(fold_char).collect();
    let words = spanned_words(&folded);
    let mut k = 0;
    if words.get(k).is_some_and(|(w, _, _)| is_numbering(w)) && words.len() > 1 {
        k += 1;
    }
    let (field, len) = label_at(&words, k)?;
    k += len;
    // Further labels, possibly numbered again (`1. Surname / 1. Nom`).
    loop {
        let mut next = k;
        if words.get(next).is_some_and(|(w, _, _)| is_numbering(w)) {
            next += 1;
        }
        match label_at(&words, next) {
            Some((_, len)) => k = next + len,
            None => break,
        }
    }
    let value_start = match k.checked_sub(1).and_then(|last| words.get(last)) {
        Some((_, _, end)) => *end,
        None => 0,
    };
    Some(LabelHit { field, value_start })
}

/// The text of `line` from character `start`, without separators around it.
fn rest_of(line: &str, start: usize) -> String {
    let rest: String = line.chars().skip(start).collect();
    trim_value(&rest)
}

fn trim_value(text: &str) -> String {
    let trimmed = text.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, ':' | '/' | '.' | ',' | ';' | '-' | '|' | '_' | '"' | '*')
    });
    trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a line looks like an MRZ line (never a printed value).
fn looks_like_mrz(text: &str) -> bool {
    text.contains("<<") || {
        let t: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
        t.len() >= 28
            && t.iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '<')
    }
}

/// Reads the value of `field` from a candidate text; `None` when the text cannot be one.
fn read_value(field: PrintedField, text: &str, out: &mut PrintedFields) -> bool {
    let value = trim_value(text);
    if value.is_empty() || looks_like_mrz(&value) {
        return false;
    }
    match field {
        PrintedField::Surname | PrintedField::GivenNames | PrintedField::PlaceOfBirth => {
            let letters = value.chars().filter(|c| c.is_alphabetic()).count();
            let digits = value.chars().filter(char::is_ascii_digit).count();
            if letters < 1 || digits > 0 || value.chars().count() > 64 {
                return false;
            }
            let slot = match field {
                PrintedField::Surname => &mut out.surname,
                PrintedField::GivenNames => &mut out.given_names,
                _ => &mut out.place_of_birth,
            };
            *slot = Some(value);
            true
        }
        PrintedField::BirthDate | PrintedField::ExpiryDate | PrintedField::IssueDate => {
            let Some(date) = parse_date(&value) else {
                return false;
            };
            let slot = match field {
                PrintedField::BirthDate => &mut out.birth_date,
                PrintedField::ExpiryDate => &mut out.expiry_date,
                _ => &mut out.issue_date,
            };
            *slot = Some(date);
            true
        }
        PrintedField::DocumentNumber => match document_number(&value) {
            Some(n) => {
                out.document_number = Some(n);
                true
            }
            None => false,
        },
        PrintedField::PersonalNumber => {
            let digits = value.chars().filter(char::is_ascii_digit).count();
            if digits < 4 || value.chars().count() > 32 {
                return false;
            }
            out.personal_number = Some(value);
            true
        }
        PrintedField::Sex => match sex_of(&value) {
            Some(s) => {
                out.sex = Some(s);
                true
            }
            None => false,
        },
        PrintedField::Nationality => {
            let letters = value.chars().filter(|c| c.is_alphabetic()).count();
            if letters < 1 || value.chars().any(|c| c.is_ascii_digit()) {
                return false;
            }
            out.nationality = Some(value);
            true
        }
        PrintedField::Other => false,
    }
}

/// A document number: upper-case letters and digits, at least 5, at least one digit. Spaces
/// inside (`AB 123456`) are dropped; of several words the first that qualifies is taken.
fn document_number(value: &str) -> Option<String> {
    let qualifies = |s: &str| {
        s.chars().count() >= 5
            && s.chars().count() <= 20
            && s.chars().any(|c| c.is_ascii_digit())
            && s.chars().all(|c| c.is_ascii_alphanumeric())
    };
    let joined: String = value.split_whitespace().collect::<String>().to_uppercase();
    if qualifies(&joined) {
        return Some(joined);
    }
    value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_uppercase)
        .find(|w| qualifies(w))
}

/// Reads a printed sex: `F`, `M`, `X`, bilingual `F/F`, or a word in a label language.
fn sex_of(value: &str) -> Option<Sex> {
    let folded: String = value.chars().map(fold_char).collect();
    let first = folded
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())?;
    match first {
        "F" | "K" | "W" | "V" | "FEMALE" | "FEMININ" | "FEMININO" | "FEMENINO" | "FEMMINILE"
        | "WEIBLICH" | "VROUW" | "KOBIETA" | "KVINNA" | "MUJER" | "FRAU" => Some(Sex::Female),
        "M" | "H" | "MALE" | "MASCULIN" | "MASCULINO" | "MASCHILE" | "MANNLICH" | "MAN"
        | "MEZCZYZNA" | "HOMBRE" | "MANN" => Some(Sex::Male),
        "X" => Some(Sex::Unspecified),
        _ => None,
    }
}

/// Candidate lines for the value of the label on line `i`, best first: the box to its right on
/// the same row, then boxes below, left-aligned with it and close under it. Label lines and
/// MRZ lines are never candidates; a box below another label belongs to that label.
fn candidates(lines: &[TextLine], labels: &[Option<LabelHit>], i: usize) -> Vec<usize> {
    let Some(label) = lines.get(i) else {
        return Vec::new();
    };
    if !label.has_box() {
        // No geometry: the next line in reading order.
        let next = i + 1;
        return match labels.get(next) {
            Some(None) => vec![next],
            _ => Vec::new(),
        };
    }
    let h = label.h();
    let mut scored: Vec<(f32, usize)> = Vec::new();
    for (j, cand) in lines.iter().enumerate() {
        if j == i || !cand.has_box() || labels.get(j).is_some_and(Option::is_some) {
            continue;
        }
        let hh = h.max(cand.h());
        let cand_mid = cand.y() + cand.h() / 2.0;
        let label_mid = label.y() + label.h() / 2.0;
        let right_gap = cand.x() - (label.x() + label.w());
        // Labels are often set smaller than values and aligned on a baseline, not a centre.
        let overlap = (label.y() + label.h()).min(cand.y() + cand.h()) - label.y().max(cand.y());
        let same_row = overlap > 0.0 && (cand_mid - label_mid).abs() <= 0.8 * hh;
        if same_row && right_gap >= -0.5 * hh && right_gap <= 16.0 * hh {
            scored.push((right_gap.max(0.0) / 4.0, j));
            continue;
        }
        let gap = cand.y() - (label.y() + label.h());
        let dx = (cand.x() - label.x()).abs();
        let below = cand.y() >= label.y() + 0.5 * label.h() && gap <= 2.2 * hh;
        let aligned = dx <= (1.5 * hh).max(0.35 * label.w());
        if below && aligned && !label_between(lines, labels, i, j) {
            scored.push((h + gap.max(0.0) + dx * 0.5, j));
        }
    }
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    scored.into_iter().map(|(_, j)| j).collect()
}

/// Whether another label stands between label `i` and the box `j` below it.
fn label_between(lines: &[TextLine], labels: &[Option<LabelHit>], i: usize, j: usize) -> bool {
    let (Some(label), Some(cand)) = (lines.get(i), lines.get(j)) else {
        return false;
    };
    lines.iter().enumerate().any(|(k, other)| {
        k != i
            && labels.get(k).is_some_and(Option::is_some)
            && other.has_box()
            && other.y() > label.y() + 0.5 * label.h()
            && other.y() < cand.y()
            && other.x() < cand.x() + cand.w()
            && other.x() + other.w() > cand.x()
    })
}

/// Reads the printed zone from recognised lines.
///
/// ```
/// use idverify_check::{TextLine, extract::extract_printed};
/// let lines = [
///     TextLine::new("Surname / Nom", (20.0, 40.0, 120.0, 10.0)),
///     TextLine::new("De Bruijn", (20.0, 52.0, 90.0, 14.0)),
///     TextLine::new("Date of birth / Date de naissance 10 MAR/MAR 1965", (20.0, 80.0, 300.0, 10.0)),
/// ];
/// let p = extract_printed(&lines);
/// assert_eq!(p.surname.as_deref(), Some("De Bruijn"));
/// assert_eq!(p.birth_date.map(|d| d.day), Some(10));
/// ```
pub fn extract_printed(lines: &[TextLine]) -> PrintedFields {
    let labels: Vec<Option<LabelHit>> = lines.iter().map(|l| find_label(&l.text)).collect();
    let mut out = PrintedFields::default();
    for (i, hit) in labels.iter().enumerate() {
        let Some(hit) = hit else { continue };
        if hit.field == PrintedField::Other || is_filled(&out, hit.field) {
            continue;
        }
        let Some(line) = lines.get(i) else { continue };
        let same_line = rest_of(&line.text, hit.value_start);
        if !same_line.is_empty() && read_value(hit.field, &same_line, &mut out) {
            continue;
        }
        for j in candidates(lines, &labels, i) {
            if let Some(cand) = lines.get(j)
                && read_value(hit.field, &cand.text, &mut out)
            {
                break;
            }
        }
    }
    out
}

fn is_filled(out: &PrintedFields, field: PrintedField) -> bool {
    match field {
        PrintedField::Surname => out.surname.is_some(),
        PrintedField::GivenNames => out.given_names.is_some(),
        PrintedField::BirthDate => out.birth_date.is_some(),
        PrintedField::PlaceOfBirth => out.place_of_birth.is_some(),
        PrintedField::ExpiryDate => out.expiry_date.is_some(),
        PrintedField::IssueDate => out.issue_date.is_some(),
        PrintedField::DocumentNumber => out.document_number.is_some(),
        PrintedField::PersonalNumber => out.personal_number.is_some(),
        PrintedField::Sex => out.sex.is_some(),
        PrintedField::Nationality => out.nationality.is_some(),
        PrintedField::Other => true,
    }
}
