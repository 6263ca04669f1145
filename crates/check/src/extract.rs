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
    /// Every printed line as read, but the MRZ's own lines: where the cross-check looks for
    /// an MRZ value that the field found by its label does not hold (the value under another
    /// label, a line the layout did not tie to any label). Not a field: [`Self::is_empty`]
    /// ignores it.
    pub texts: Vec<String>,
}

impl PrintedFields {
    /// Whether no field was read.
    pub fn is_empty(&self) -> bool {
        PrintedFields {
            texts: Vec::new(),
            ..self.clone()
        } == PrintedFields::default()
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
            texts: self.texts.into_iter().chain(other.texts).collect(),
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
            "CARTE VALABLE JUSQU AU",
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
            "CARTE NATIONALE D IDENTITE N",
            "CARTE NATIONALE D IDENTITE NO",
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
            "ALSO KNOWN AS",
            // A visa's other boxes (`NOMBRE D'ENTRÉES` is no given-name label `NOMBRE`).
            "NUMBER OF ENTRIES",
            "NOMBRE D ENTREES",
            "NUMERO DE ENTRADAS",
            "ANZAHL DER EINREISEN",
            "NUMERO DI INGRESSI",
            "ILOSC WJAZDOW",
            "DURATION OF STAY",
            "DUREE DU SEJOUR",
            "DUREE DE SEJOUR",
            "TYPE OF VISA",
            "TYPE DE VISA",
            "VALID FOR",
            "VALABLE POUR",
            "REMARKS",
            "REMARQUES",
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
#[derive(Debug, Clone)]
struct LabelHit {
    field: PrintedField,
    /// Character span of the first label in the line.
    span: (usize, usize),
    /// Labels of other fields on the same line (`Date of birth   Document No.`), with their
    /// character spans: their values stand under them, in their own columns.
    others: Vec<(PrintedField, (usize, usize))>,
    /// Character index in the line where the text after the label(s) starts.
    value_start: usize,
    /// The text after the label follows a `/`: more likely a translation of the label the
    /// reader garbled than a value, so boxes around are tried before it.
    after_slash: bool,
}

impl LabelHit {
    /// The first label's text in `line` (the line it was found in), case and accents folded.
    fn folded_label(&self, line: &str) -> String {
        line.chars()
            .skip(self.span.0)
            .take(self.span.1.saturating_sub(self.span.0))
            .map(fold_char)
            .collect()
    }
}

/// Words of a folded line with their character spans. A run of letters followed by digits is
/// two words: a value the reader glued to its label (`DATEOFBIRTH22.12.1988`) stays apart
/// from the label; numbered labels (`4a`) keep their digits first and stay whole.
fn spanned_words(folded: &[char]) -> Vec<(String, usize, usize)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in folded.iter().enumerate() {
        let inside = c.is_alphanumeric();
        let glued = inside
            && c.is_ascii_digit()
            && i > 0
            && folded.get(i - 1).is_some_and(|p| p.is_alphabetic());
        match (inside, start) {
            (true, Some(s)) if glued => {
                words.push((folded.get(s..i).unwrap_or(&[]).iter().collect(), s, i));
                start = Some(i);
            }
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

/// A label word as an OCR may misread it, normalised: digits that stand for letters (`D0CUMENT`)
/// and the letter pairs read for one letter (`SURNAME` read `SUMAME`).
fn label_key(word: &str) -> Vec<char> {
    let mapped: String = word
        .chars()
        .map(|c| match c {
            '0' => 'O',
            '1' => 'I',
            '5' => 'S',
            '8' => 'B',
            other => other,
        })
        .collect();
    mapped
        .replace("RN", "M")
        .replace("VV", "W")
        .chars()
        .collect()
}

/// Whether an OCR'd word reads as a label word: equal after [`label_key`], or one edit away
/// for words of six letters and more, two for words of ten and more.
fn word_matches(read: &str, label: &str) -> bool {
    word_cost(read, label).is_some()
}

/// The edits [`word_matches`] counted between `read` and `label`, when it matches.
fn word_cost(read: &str, label: &str) -> Option<usize> {
    if read == label {
        return Some(0);
    }
    if read.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let allowed = match label.chars().count() {
        0..=5 => 0,
        6..=9 => 1,
        _ => 2,
    };
    let raw = |s: &str| s.chars().collect::<Vec<_>>();
    let plain = edit_distance(&raw(read), &raw(label), allowed);
    let keyed = edit_distance(&label_key(read), &label_key(label), allowed);
    match (plain, keyed) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Levenshtein distance when it is at most `max`.
pub(crate) fn edit_distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev
                .get(j)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(usize::from(ca != cb));
            let del = prev
                .get(j + 1)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let ins = cur.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = sub.min(del).min(ins);
            }
        }
        prev = cur;
    }
    prev.last().copied().filter(|d| *d <= max)
}

/// The longest label phrase starting at word `k`: its field and how many words it takes. A
/// phrase is compared whole and without its spaces, so `DATE OF BRTH` (one edit) and
/// `FECHADE EXPEDICION` (glued words) are read, and a `/` read as a letter stuck to a word
/// (`SexI`, `INationalité`) is dropped.
fn label_at(words: &[(String, usize, usize)], k: usize) -> Option<(PrintedField, usize)> {
    let mut best: Option<(PrintedField, usize, usize)> = None;
    for (field, phrases) in LABELS {
        for phrase in *phrases {
            let n = phrase.split(' ').count();
            let key: String = phrase.chars().filter(|c| *c != ' ').collect();
            if best.is_some_and(|(_, _, len)| len >= key.len()) {
                continue;
            }
            // The number of words that reads most like the phrase, the more words on a tie:
            // `N` of `… IDENTITE N` is the label's, the `P` of `N DU DOCUMENT P7891983V` is not.
            let mut fit: Option<(usize, usize)> = None;
            for m in 1..=n {
                let Some(read) = words.get(k..k + m) else {
                    break;
                };
                let read: String = read.iter().map(|(w, _, _)| w.as_str()).collect();
                let slash_like = |c: char| matches!(c, 'I' | 'L' | '1');
                let trimmed_end = read.strip_suffix(slash_like).filter(|r| r.len() >= 3);
                let trimmed_start = read.strip_prefix(slash_like).filter(|r| r.len() >= 3);
                let cost = word_cost(&read, &key).or_else(|| {
                    let trimmed = trimmed_end.is_some_and(|r| r == key)
                        || trimmed_start.is_some_and(|r| r == key);
                    if trimmed {
                        Some(1)
                    } else {
                        glued_to_label(&read, &key, before_last(words, k, m)).then_some(3)
                    }
                });
                if let Some(c) = cost
                    && fit.is_none_or(|(best_cost, _)| c <= best_cost)
                {
                    fit = Some((c, m));
                }
            }
            if let Some((_, m)) = fit {
                best = Some((*field, m, key.len()));
            }
        }
    }
    best.map(|(field, m, _)| (field, m))
}

/// A one-word label of eight letters or more with its value glued on (`NATIONALITYCAN`,
/// `NATIONALTYDNK`): the field and where the value starts in the word. The label part is read
/// with one edit at most (the fewest wins); the value is one to twelve letters or digits.
fn label_glued_to_value(word: &str) -> Option<(PrintedField, usize)> {
    let chars: Vec<char> = word.chars().collect();
    let mut best: Option<(usize, PrintedField, usize)> = None;
    for (field, phrases) in LABELS {
        for key in phrases.iter().filter(|p| !p.contains(' ') && p.len() >= 8) {
            let n = key.chars().count();
            for cut in n.saturating_sub(2)..=(n + 2).min(chars.len().saturating_sub(1)) {
                let head: String = chars.get(..cut).unwrap_or(&[]).iter().collect();
                let tail = chars.len() - cut;
                if let Some(cost) = word_cost(&head, key).filter(|c| *c <= 1)
                    && (1..=12).contains(&tail)
                    && best.is_none_or(|(c, _, _)| cost < c)
                {
                    best = Some((cost, *field, cut));
                }
            }
        }
    }
    best.map(|(_, field, cut)| (field, cut))
}

/// How many characters the words `k..k + m - 1` (all but the last of `m` words) have: a label
/// glued to the next must end inside the last word, not take whole words after it.
fn before_last(words: &[(String, usize, usize)], k: usize, m: usize) -> usize {
    words.get(k..k + m.saturating_sub(1)).map_or(0, |ws| {
        ws.iter().map(|(w, _, _)| w.chars().count()).sum::<usize>() + 1
    })
}

/// Whether `read` is the label `key` with the next label glued on, its `/` lost or read as a
/// letter (`NAMESIPRENOMS`, `OFBIRTHDATE` of `DATE OF BIRTH/DATE DE NAISSANCE`): `key` (within
/// the edits [`word_matches`] allows) then, after an optional `I`, `L` or `1`, at least three
/// letters that open a label phrase.
fn glued_to_label(read: &str, key: &str, min_cut: usize) -> bool {
    let chars: Vec<char> = read.chars().collect();
    let n = key.chars().count();
    if n < 3 || chars.len() < n + 3 {
        return false;
    }
    // A short label (`SEX`) only with its `/` read as a letter and a whole label after it
    // (`SEXISEXE`).
    if n < 4 {
        return chars
            .get(..n)
            .is_some_and(|h| h.iter().copied().eq(key.chars()))
            && matches!(chars.get(n), Some('I' | 'L' | '1'))
            && is_label_word(&chars.get(n + 1..).unwrap_or(&[]).iter().collect::<String>());
    }
    let slack = match n {
        0..=5 => 0,
        6..=9 => 1,
        _ => 2,
    };
    (n.saturating_sub(slack).max(min_cut)..=n + slack).any(|cut| {
        let (Some(head), Some(tail)) = (chars.get(..cut), chars.get(cut..)) else {
            return false;
        };
        let head: String = head.iter().collect();
        if !word_matches(&head, key) {
            return false;
        }
        let tail = match tail.first() {
            Some('I' | 'L' | '1') if tail.len() > 3 => tail.get(1..).unwrap_or(&[]),
            _ => tail,
        };
        let tail: String = tail.iter().collect();
        tail.chars().count() >= 3
            && tail.chars().all(char::is_alphabetic)
            && LABELS.iter().any(|(_, phrases)| {
                phrases.iter().any(|p| {
                    let k: String = p.chars().filter(|c| *c != ' ').collect();
                    let n = tail.chars().count();
                    let start: Vec<char> = k.chars().take(n).collect();
                    let tail: Vec<char> = tail.chars().collect();
                    let whole: Vec<char> = k.chars().collect();
                    // The start of a label, a third of its letters misread at most, or a whole
                    // label and more.
                    (n >= 5 && edit_distance(&tail, &start, n / 3).is_some())
                        || tail.starts_with(&start)
                        || tail.starts_with(&whole)
                })
            })
    })
}

/// Whether a name value (folded, letters only) is what is left of a label: a whole label
/// phrase of any field, or up to three letters that open a label of `field` (`NO` of `NOM`).
/// `LE`, `LI`, `NG` stay names.
fn is_label_remnant(field: PrintedField, folded: &str) -> bool {
    LABELS.iter().any(|(f, phrases)| {
        phrases.iter().any(|p| {
            let key = p.replace(' ', "");
            key == folded || (*f == field && folded.len() <= 3 && key.starts_with(folded))
        })
    })
}

/// Whether `word` is exactly one of the label words (or a whole label phrase without spaces).
fn is_label_word(word: &str) -> bool {
    LABELS.iter().any(|(_, phrases)| {
        phrases
            .iter()
            .any(|p| p.split(' ').any(|w| w == word) || p.replace(' ', "") == word)
    })
}

/// Whether a word is a `/` the reader took for a letter or digit.
fn is_slash_word(word: &str) -> bool {
    matches!(word, "I" | "L" | "1")
}

/// Whether a word is a field number (`1`, `4a`, `4b`) as on cards that number their labels.
fn is_numbering(word: &str) -> bool {
    let digits = word.chars().take_while(char::is_ascii_digit).count();
    let rest = word.chars().count() - digits;
    (1..=2).contains(&digits) && rest <= 1
}

/// Finds the label(s) at the start of a line. Bilingual labels (`Surname / Nom`) are consumed
/// together; the field is the first one's; labels of other fields further on are kept aside.
fn find_label(line: &str) -> Option<LabelHit> {
    if let Some(hit) = french_place_label(line) {
        return Some(hit);
    }
    let folded: Vec<char> = line.chars().map(fold_char).collect();
    let words = spanned_words(&folded);
    let mut k = 0;
    if words.get(k).is_some_and(|(w, _, _)| is_numbering(w)) && words.len() > 1 {
        k += 1;
    }
    // Where the value starts inside a word when the label was glued to it (`NATIONALITYCAN`).
    let mut glued_cut: Option<usize> = None;
    let (field, len) = match label_at(&words, k) {
        Some(found) => found,
        None => {
            // The first language garbled past recognition (`DATEOFIE/DATEDE DELVRANCE…`): the
            // label after the first `/`, when one to three words without digits precede it.
            let after_slash = folded.iter().position(|c| *c == '/').and_then(|slash| {
                let before = words.iter().take_while(|w| w.2 <= slash).count();
                let plain = words
                    .get(..before)
                    .is_some_and(|ws| ws.iter().all(|w| w.0.chars().all(char::is_alphabetic)));
                if !(1..=3).contains(&before) || !plain {
                    return None;
                }
                label_at(&words, before).map(|found| (before, found))
            });
            match after_slash {
                Some((before, found)) => {
                    k = before;
                    found
                }
                None => {
                    let (w, start, _) = words.get(k)?;
                    let (f, cut) = label_glued_to_value(w)?;
                    glued_cut = Some(start + cut);
                    (f, 1)
                }
            }
        }
    };
    let span_of = |from: usize, n: usize| {
        let start = words.get(from).map_or(0, |w| w.1);
        let end = words.get(from + n - 1).map_or(start, |w| w.2);
        (start, end)
    };
    let span = span_of(k, len);
    let mut others: Vec<(PrintedField, (usize, usize))> = Vec::new();
    k += len;
    // Further labels, possibly numbered again (`1. Surname / 1. Nom`) or after a `/` read as `I`.
    loop {
        let mut next = k;
        if words
            .get(next)
            .is_some_and(|(w, _, _)| is_numbering(w) || is_slash_word(w))
        {
            next += 1;
        }
        if glued_cut.is_some() {
            break;
        }
        match label_at(&words, next) {
            Some((f, len)) => {
                if f != field && f != PrintedField::Other && !others.iter().any(|(o, _)| *o == f) {
                    others.push((f, span_of(next, len)));
                }
                k = next + len;
            }
            None => {
                // The translation glued to the value (`NACIONALIDAD/NATIONALITYCAN`).
                if let Some((w, start, _)) = words.get(next)
                    && let Some((f, cut)) = label_glued_to_value(w)
                    && (f == field || f == PrintedField::Other)
                {
                    glued_cut = Some(start + cut);
                    k = next + 1;
                }
                break;
            }
        }
    }
    let mut value_start = match k.checked_sub(1).and_then(|last| words.get(last)) {
        Some((_, _, end)) => glued_cut.unwrap_or(*end),
        None => 0,
    };
    // A value glued to its label (`PASSEPORTP7891983V`): the letters between a label word read
    // exactly and the digits are the value's, not a misread end of the label.
    if let (Some((w, _, end)), Some((_, next_start, _))) =
        (k.checked_sub(1).and_then(|l| words.get(l)), words.get(k))
        && *next_start == *end
        && !is_label_word(w)
        && let Some(cut) = (1..=2).find(|&cut| {
            let n = w.chars().count();
            n > cut + 3 && is_label_word(&w.chars().take(n - cut).collect::<String>())
        })
    {
        value_start = end - cut;
    }
    let rest = folded.get(value_start..).unwrap_or(&[]);
    let slash_before = rest
        .iter()
        .take_while(|c| !c.is_alphanumeric())
        .any(|c| *c == '/');
    let slash_word_first = words
        .get(k)
        .is_some_and(|(w, _, _)| is_slash_word(w) && words.len() > k + 1);
    Some(LabelHit {
        field,
        span,
        others,
        value_start,
        after_slash: slash_before || slash_word_first,
    })
}

/// The French card's place-of-birth label, a lone `à` (`Né(e) le 02.05.2003 à Nîmes`, the `à`
/// printed on a line of its own or before the place). Only the accented letter counts: a bare
/// `a` or `A` starts too many values.
fn french_place_label(line: &str) -> Option<LabelHit> {
    let chars: Vec<char> = line.chars().collect();
    let start = chars.iter().position(|c| !c.is_whitespace())?;
    if !matches!(chars.get(start), Some('à' | 'À')) {
        return None;
    }
    if chars
        .get(start + 1)
        .is_some_and(|c| !c.is_whitespace() && *c != ':')
    {
        return None;
    }
    Some(LabelHit {
        field: PrintedField::PlaceOfBirth,
        span: (start, start + 1),
        others: Vec::new(),
        value_start: start + 1,
        after_slash: false,
    })
}

/// Whether a recognised line is only a label (or several), with no value after it: `Surname /
/// Nom`, `Date of birth`. A reader can skip what it would only do for values (re-reading for
/// diacritics).
///
/// ```
/// use idverify_check::extract::is_label_only;
/// assert!(is_label_only("Given names / Prénoms"));
/// assert!(!is_label_only("Given names / Prénoms Hafdís"));
/// assert!(!is_label_only("Hafdís"));
/// ```
pub fn is_label_only(line: &str) -> bool {
    find_label(line).is_some_and(|hit| rest_of(line, hit.value_start).is_empty())
}

/// The text of `line` from character `start`, without separators around it.
fn rest_of(line: &str, start: usize) -> String {
    let rest: String = line.chars().skip(start).collect();
    trim_value(&rest)
}

fn trim_value(text: &str) -> String {
    let separators = |c: char| {
        c.is_whitespace() || matches!(c, ':' | '/' | '.' | ',' | ';' | '-' | '|' | '_' | '"' | '*')
    };
    let mut trimmed = text.trim_matches(separators);
    // The end of a label left before the value: `(S)` of `PRÉNOM(S)`, `(E)` of `NÉ(E) LE`.
    while let Some(rest) = trimmed.strip_prefix('(')
        && let Some(close) = rest.find(')')
        && rest
            .get(..close)
            .is_some_and(|inner| (1..=2).contains(&inner.chars().count()))
    {
        trimmed = rest.get(close + 1..).unwrap_or("").trim_matches(separators);
    }
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
            // What is left of a label (`No` of `SurnameNo`) is no name.
            let folded: String = value
                .chars()
                .filter(|c| c.is_alphabetic())
                .map(fold_char)
                .collect();
            if letters < 1 || digits > 0 || value.chars().count() > 64 {
                return false;
            }
            if is_label_remnant(field, &folded) {
                return false;
            }
            // One name field holding `SURNAME, GIVEN NAMES` (ICAO 9303's `Name/Nom`).
            if field == PrintedField::Surname
                && let Some((surname, given)) = value.split_once(',')
                && surname.chars().any(char::is_alphabetic)
                && given.chars().any(char::is_alphabetic)
            {
                out.surname = Some(trim_value(surname));
                if out.given_names.is_none() {
                    out.given_names = Some(trim_value(given));
                }
                return true;
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
            // Two digits at least: a garbled label (`TYP/TYPE` read `TY7TYE`) is not a number.
            && s.chars().filter(char::is_ascii_digit).count() >= 2
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
        // `E`: an `F` whose top bar the reader took for a bottom one too (no sex is `E`).
        "F" | "E" | "K" | "W" | "V" | "FEMALE" | "FEMININ" | "FEMININO" | "FEMENINO"
        | "FEMMINILE" | "WEIBLICH" | "VROUW" | "KOBIETA" | "KVINNA" | "MUJER" | "FRAU" => {
            Some(Sex::Female)
        }
        "M" | "H" | "MALE" | "MASCULIN" | "MASCULINO" | "MASCHILE" | "MANNLICH" | "MAN"
        | "MEZCZYZNA" | "HOMBRE" | "MANN" => Some(Sex::Male),
        "X" => Some(Sex::Unspecified),
        _ => None,
    }
}

/// Candidate lines for the value of a label standing in box `label` on line `i`, best first:
/// the box to its right on the same row, then boxes below, left-aligned with it and close under
/// it. Label lines and MRZ lines are never candidates; a box below another label belongs to
/// that label.
fn candidates(
    lines: &[TextLine],
    labels: &[Option<LabelHit>],
    i: usize,
    label: &TextLine,
) -> Vec<usize> {
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
        if j == i
            || !cand.has_box()
            || labels.get(j).is_some_and(Option::is_some)
            || !trusted_value(cand)
        {
            continue;
        }
        let hh = h.max(cand.h());
        let cand_mid = cand.y() + cand.h() / 2.0;
        let label_mid = label.y() + label.h() / 2.0;
        let right_gap = cand.x() - (label.x() + label.w());
        // Labels are often set smaller than values and aligned on a baseline, not a centre.
        let overlap = (label.y() + label.h()).min(cand.y() + cand.h()) - label.y().max(cand.y());
        // The rows must share at least half the smaller height: a value of the row above
        // that grazes the label's top is not beside it.
        let same_row = overlap >= 0.5 * h.min(cand.h()) && (cand_mid - label_mid).abs() <= 0.8 * hh;
        // Detection boxes are padded, so a value set close to its label can overlap the
        // label's box by up to a line height; it still starts in the label's right half.
        let to_the_right = right_gap >= -hh && cand.x() >= label.x() + 0.5 * label.w();
        if same_row && to_the_right && right_gap <= 16.0 * hh {
            scored.push((right_gap.max(0.0) / 4.0, j));
            continue;
        }
        let gap = cand.y() - (label.y() + label.h());
        let dx = (cand.x() - label.x()).abs();
        let below = cand.y() >= label.y() + 0.5 * label.h() && gap <= 2.2 * hh;
        let aligned = dx <= (1.5 * hh).max(0.35 * label.w());
        if below && aligned && !label_between(lines, labels, i, label, cand) {
            scored.push((h + gap.max(0.0) + dx * 0.5, j));
        }
    }
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    scored.into_iter().map(|(_, j)| j).collect()
}

/// Lines of three characters or more read with a mean character confidence under this are no
/// field's value: on 500 rendered documents no line of printed text scored under it (only
/// single letters, which stay candidates: the `F` of the sex scores 0.5–0.6, and runs of the
/// MRZ's `<`), while on photos a name under glare came out as `ASRLAN` at 0.52 for `CITIZEN`
/// and a document number cut short as `00000` at 0.60: compared with the MRZ, each raised a
/// conflict the document does not have.
const MIN_VALUE_CONFIDENCE: f32 = 0.7;

/// Whether line `cand` was read surely enough to be a value (see [`MIN_VALUE_CONFIDENCE`]).
fn trusted_value(cand: &TextLine) -> bool {
    cand.confidence >= MIN_VALUE_CONFIDENCE || cand.text.trim().chars().count() <= 2
}

/// Whether another label stands between the label on line `i` and the box `cand` below it.
fn label_between(
    lines: &[TextLine],
    labels: &[Option<LabelHit>],
    i: usize,
    label: &TextLine,
    cand: &TextLine,
) -> bool {
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

/// The part of a line's box that characters `start..end` take, by their share of the text.
fn sub_box(line: &TextLine, (start, end): (usize, usize)) -> TextLine {
    let total = line.text.chars().count().max(1) as f32;
    let x = line.x() + line.w() * start as f32 / total;
    let w = line.w() * (end.saturating_sub(start)) as f32 / total;
    TextLine {
        text: String::new(),
        bbox: (x, line.y(), w.max(1.0), line.h()),
        confidence: line.confidence,
    }
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
    // The number under a passport-number label wins over another document number: on a visa
    // the `Document No.` is the visa's, the MRZ carries the passport's (ICAO 9303 Part 7).
    let mut passport = PrintedFields::default();
    for (i, hit) in labels.iter().enumerate() {
        let (Some(hit), Some(line)) = (hit, lines.get(i)) else {
            continue;
        };
        // With several fields' labels on one line, each label's value is under its own part.
        let own_box = if hit.others.is_empty() {
            line.clone()
        } else {
            sub_box(line, hit.span)
        };
        let passport_label = hit.field == PrintedField::DocumentNumber && {
            let label = hit.folded_label(&line.text);
            ["PASS", "PASAPORT", "PASZPORT", "PASPOORT"]
                .iter()
                .any(|w| label.contains(w))
        };
        let target = if passport_label {
            &mut passport
        } else {
            &mut out
        };
        if hit.field != PrintedField::Other && !is_filled(target, hit.field) {
            let same_line = rest_of(&line.text, hit.value_start);
            let from_boxes = |out: &mut PrintedFields| {
                candidates(lines, &labels, i, &own_box)
                    .into_iter()
                    .any(|j| {
                        lines
                            .get(j)
                            .is_some_and(|cand| read_value(hit.field, &cand.text, out))
                    })
            };
            let from_line = |out: &mut PrintedFields| {
                !same_line.is_empty() && read_value(hit.field, &same_line, out)
            };
            // A translation of the label never holds a date: a date on the line is the value.
            let date_on_line = matches!(
                hit.field,
                PrintedField::BirthDate | PrintedField::ExpiryDate | PrintedField::IssueDate
            ) && parse_date(&same_line).is_some();
            let order: [&dyn Fn(&mut PrintedFields) -> bool; 2] =
                if hit.after_slash && !date_on_line {
                    [&from_boxes, &from_line]
                } else {
                    [&from_line, &from_boxes]
                };
            let _ = order.iter().any(|read| read(target));
        }
        for (field, span) in &hit.others {
            if is_filled(&out, *field) {
                continue;
            }
            let label = sub_box(line, *span);
            for j in candidates(lines, &labels, i, &label) {
                if lines
                    .get(j)
                    .is_some_and(|cand| read_value(*field, &cand.text, &mut out))
                {
                    break;
                }
            }
        }
    }
    garbled_date_lines(lines, &labels, &mut out);
    if out.place_of_birth.is_none() {
        french_place_of_birth(lines, &labels, &mut out);
    }
    if passport.document_number.is_some() {
        out.document_number = passport.document_number;
    }
    // The MRZ's own lines (read by the printed-zone OCR too) hold its values: no evidence.
    out.texts = lines
        .iter()
        .filter(|l| !l.text.contains('<'))
        .map(|l| l.text.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    out
}

/// The French card prints `Né(e) le 14.04.1996` and under it (or after it) `à Utopia City`; its
/// `à` is often too small to be found. So, with a `Né(e) le` label and no place read: text
/// after an `à` on the birth date's line, else the unlabelled line right under the birth date,
/// left-aligned with it, that is not a date.
fn french_place_of_birth(lines: &[TextLine], labels: &[Option<LabelHit>], out: &mut PrintedFields) {
    let is_unlabelled = |j: usize| labels.get(j).is_some_and(Option::is_none);
    for (i, hit) in labels.iter().enumerate() {
        let (Some(hit), Some(line)) = (hit, lines.get(i)) else {
            continue;
        };
        let label: String = hit
            .folded_label(&line.text)
            .chars()
            .filter(char::is_ascii_alphabetic)
            .collect();
        if hit.field != PrintedField::BirthDate || !label.starts_with("NE") {
            continue;
        }
        // The date's line: the label's own, or the value line beside or under it.
        let mut date_lines = vec![i];
        date_lines.extend(candidates(lines, labels, i, line));
        let Some(&d) = date_lines.iter().find(|&&j| {
            lines.get(j).is_some_and(|l| {
                let text = if j == i {
                    rest_of(&l.text, hit.value_start)
                } else {
                    l.text.clone()
                };
                parse_date(&text).is_some()
            })
        }) else {
            continue;
        };
        let Some(date_line) = lines.get(d) else {
            continue;
        };
        if let Some((_, after)) = date_line.text.split_once(" à ")
            && read_value(PrintedField::PlaceOfBirth, after, out)
        {
            return;
        }
        if !date_line.has_box() {
            return;
        }
        let h = date_line.h();
        let below = lines.iter().enumerate().filter(|&(j, c)| {
            let gap = c.y() - (date_line.y() + date_line.h());
            j != d
                && is_unlabelled(j)
                && c.has_box()
                && c.y() >= date_line.y() + 0.5 * h
                && gap <= 2.2 * h.max(c.h())
                && (c.x() - date_line.x()).abs() <= 1.5 * h.max(c.h())
                && parse_date(&c.text).is_none()
                && !label_between(lines, labels, d, date_line, c)
        });
        if let Some((_, c)) = below.min_by(|a, b| a.1.y().total_cmp(&b.1.y())) {
            let _ = read_value(PrintedField::PlaceOfBirth, &c.text, out);
        }
        return;
    }
}

/// Fewest edits that turn `pattern` into some substring of `text` (free start and end in
/// `text`).
fn infix_distance(pattern: &[char], text: &[char]) -> usize {
    let mut prev = vec![0usize; text.len() + 1];
    for (i, p) in pattern.iter().enumerate() {
        let mut cur = vec![i + 1; text.len() + 1];
        for (j, t) in text.iter().enumerate() {
            let sub = prev.get(j).map_or(usize::MAX, |v| v + usize::from(p != t));
            let del = prev.get(j + 1).map_or(usize::MAX, |v| v + 1);
            let ins = cur.get(j).map_or(usize::MAX, |v| v + 1);
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = sub.min(del).min(ins);
            }
        }
        prev = cur;
    }
    prev.into_iter().min().unwrap_or(pattern.len())
}

/// The date field whose label a garbled label best resembles (`FECHADEACMENTODATEOFR` → date
/// of birth): the field of the label phrase with the fewest edits to some part of `letters`,
/// when those are at most a third of the phrase and no other date field comes as close.
fn garbled_date_label(letters: &[char]) -> Option<PrintedField> {
    let mut best: Vec<(f32, PrintedField)> = Vec::new();
    for (field, phrases) in LABELS {
        if !matches!(
            field,
            PrintedField::BirthDate | PrintedField::ExpiryDate | PrintedField::IssueDate
        ) {
            continue;
        }
        let score = phrases
            .iter()
            .map(|p| p.chars().filter(|c| *c != ' ').collect::<Vec<char>>())
            .filter(|p| p.len() >= 8)
            .map(|p| infix_distance(&p, letters) as f32 / p.len() as f32)
            .fold(f32::INFINITY, f32::min);
        best.push((score, *field));
    }
    best.sort_by(|a, b| a.0.total_cmp(&b.0));
    match best.as_slice() {
        [(s0, f), (s1, _), ..] if *s0 <= 0.34 && s1 - s0 >= 0.1 => Some(*f),
        _ => None,
    }
}

/// Dates on lines whose label was too garbled to be found: each such line with a date and at
/// least eight letters before it fills the date field its letters resemble, if still empty.
fn garbled_date_lines(lines: &[TextLine], labels: &[Option<LabelHit>], out: &mut PrintedFields) {
    for (line, hit) in lines.iter().zip(labels) {
        if hit.is_some() {
            continue;
        }
        let folded: Vec<char> = line.text.chars().map(fold_char).collect();
        let Some(first_digit) = folded.iter().position(char::is_ascii_digit) else {
            continue;
        };
        let letters: Vec<char> = folded
            .get(..first_digit)
            .unwrap_or(&[])
            .iter()
            .copied()
            .filter(|c| c.is_alphabetic())
            .collect();
        if letters.len() < 8 {
            continue;
        }
        let value: String = line.text.chars().skip(first_digit).collect();
        if let Some(field) = garbled_date_label(&letters)
            && !is_filled(out, field)
        {
            let _ = read_value(field, &value, out);
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printed_date::PrintedYear;
    use proptest::prelude::*;

    fn line(text: &str, x: f32, y: f32, w: f32, h: f32) -> TextLine {
        TextLine::new(text, (x, y, w, h))
    }

    fn date(day: u8, month: u8, year: u16) -> Option<PrintedDate> {
        Some(PrintedDate {
            day,
            month,
            year: PrintedYear::Full(year),
        })
    }

    #[test]
    fn a_visa_s_number_of_entries_is_no_given_name_label() {
        let lines = [
            line("NOMBRE D'ENTREES", 298.0, 121.0, 61.0, 10.0),
            line("13", 372.0, 118.0, 13.0, 14.0),
            line("NUMBER OF ENTRIES", 300.0, 128.0, 61.0, 8.0),
            line("KOWALSKA-KWIATKOWSKA", 235.0, 193.0, 133.0, 13.0),
        ];
        assert_eq!(extract_printed(&lines).given_names, None);
        let spanish = [
            line("Nombre / Given names", 20.0, 40.0, 160.0, 10.0),
            line("Beata", 20.0, 53.0, 60.0, 18.0),
        ];
        assert_eq!(
            extract_printed(&spanish).given_names.as_deref(),
            Some("Beata")
        );
    }

    #[test]
    fn a_value_read_unsurely_is_left_out_a_lone_letter_is_not() {
        let unsure = |text: &str, x, y, w, h, confidence| TextLine {
            confidence,
            ..line(text, x, y, w, h)
        };
        let lines = [
            line("Surname / Nom", 20.0, 40.0, 120.0, 10.0),
            unsure("ASRLAN", 20.0, 53.0, 90.0, 18.0, 0.52),
            line("Sex / Sexe", 20.0, 80.0, 80.0, 10.0),
            unsure("F", 20.0, 93.0, 12.0, 18.0, 0.55),
        ];
        let p = extract_printed(&lines);
        assert_eq!(p.surname, None);
        assert_eq!(p.sex, Some(Sex::Female));
        let sure = [
            line("Surname / Nom", 20.0, 40.0, 120.0, 10.0),
            unsure("CITIZEN", 20.0, 53.0, 90.0, 18.0, 0.71),
        ];
        assert_eq!(extract_printed(&sure).surname.as_deref(), Some("CITIZEN"));
    }

    /// The Dutch identity card of the guide: bilingual labels, values below.
    #[test]
    fn dutch_card_values_below_bilingual_labels() {
        let lines = [
            line("KONINKRIJK DER NEDERLANDEN", 200.0, 10.0, 400.0, 22.0),
            line("IDENTITEITSKAART", 200.0, 36.0, 200.0, 16.0),
            line("Naam / Surname", 300.0, 70.0, 110.0, 10.0),
            line("De Bruijn", 300.0, 83.0, 120.0, 18.0),
            line("Voornamen / Given names", 300.0, 110.0, 170.0, 10.0),
            line("Willeke Liselotte", 301.0, 123.0, 200.0, 18.0),
            line("Geboortedatum / Date of birth", 300.0, 150.0, 200.0, 10.0),
            line("10 MAA/MAR 1965", 300.0, 163.0, 170.0, 18.0),
            line("Geboorteplaats / Place of birth", 520.0, 150.0, 200.0, 10.0),
            line("Specimen", 521.0, 163.0, 100.0, 18.0),
            line("Geslacht / Sex", 300.0, 190.0, 100.0, 10.0),
            line("V/F", 300.0, 203.0, 30.0, 18.0),
            line("Nationaliteit / Nationality", 420.0, 190.0, 180.0, 10.0),
            line("Nederlandse", 421.0, 203.0, 120.0, 18.0),
            line("Documentnummer / Document no", 300.0, 230.0, 200.0, 10.0),
            line("SPECI2021", 300.0, 243.0, 120.0, 18.0),
            line("Vervaldatum / Date of expiry", 520.0, 230.0, 200.0, 10.0),
            line("02.08.2031", 520.0, 243.0, 120.0, 18.0),
            line("Persoonsnummer / Personal no", 300.0, 270.0, 200.0, 10.0),
            line("999999990", 300.0, 283.0, 120.0, 18.0),
        ];
        let p = extract_printed(&lines);
        assert_eq!(p.surname.as_deref(), Some("De Bruijn"));
        assert_eq!(p.given_names.as_deref(), Some("Willeke Liselotte"));
        assert_eq!(p.place_of_birth.as_deref(), Some("Specimen"));
        assert_eq!(p.sex, Some(Sex::Female));
        assert_eq!(p.nationality.as_deref(), Some("Nederlandse"));
        assert_eq!(p.document_number.as_deref(), Some("SPECI2021"));
        assert_eq!(p.personal_number.as_deref(), Some("999999990"));
        assert_eq!(p.expiry_date, date(2, 8, 2031));
        // `MAA` is no month in any table: the birth date is not made up.
        assert_eq!(p.birth_date, date(10, 3, 1965));
    }

    #[test]
    fn numbered_labels_with_values_on_the_same_line() {
        let lines = [
            line("1. Nazwisko / Surname: KOWALSKA", 10.0, 10.0, 300.0, 12.0),
            line(
                "2. Imiona / Given names: Anna Łucja",
                10.0,
                30.0,
                300.0,
                12.0,
            ),
            line(
                "3. Data urodzenia / Date of birth 05.11.1990",
                10.0,
                50.0,
                300.0,
                12.0,
            ),
            line("4a. Płeć / Sex K/F", 10.0, 70.0, 300.0, 12.0),
            line(
                "4b. Data ważności / Date of expiry 14 GRU/DEC 2030",
                10.0,
                90.0,
                300.0,
                12.0,
            ),
            line(
                "5. Obywatelstwo / Nationality POLSKIE",
                10.0,
                110.0,
                300.0,
                12.0,
            ),
        ];
        let p = extract_printed(&lines);
        assert_eq!(p.surname.as_deref(), Some("KOWALSKA"));
        assert_eq!(p.given_names.as_deref(), Some("Anna Łucja"));
        assert_eq!(p.birth_date, date(5, 11, 1990));
        assert_eq!(p.sex, Some(Sex::Female));
        assert_eq!(p.expiry_date, date(14, 12, 2030));
        assert_eq!(p.nationality.as_deref(), Some("POLSKIE"));
    }

    #[test]
    fn values_in_a_box_to_the_right() {
        let lines = [
            line("Efternamn / Surname", 10.0, 10.0, 120.0, 8.0),
            line("Ödegård", 200.0, 6.0, 80.0, 14.0),
            line("Förnamn / Given names", 10.0, 40.0, 130.0, 8.0),
            line("Åsa Märta", 200.0, 36.0, 90.0, 14.0),
            line("Födelsedatum / Date of birth", 10.0, 70.0, 160.0, 8.0),
            line("1975-12-06", 200.0, 66.0, 90.0, 14.0),
            line("Kön / Sex", 10.0, 100.0, 60.0, 8.0),
            line("K", 200.0, 96.0, 10.0, 14.0),
        ];
        let p = extract_printed(&lines);
        assert_eq!(p.surname.as_deref(), Some("Ödegård"));
        assert_eq!(p.given_names.as_deref(), Some("Åsa Märta"));
        assert_eq!(p.birth_date, date(6, 12, 1975));
        assert_eq!(p.sex, Some(Sex::Female));
    }

    #[test]
    fn the_french_card_place_of_birth_after_a_lone_a_grave_or_under_the_birth_date() {
        // As the pre-2021 card prints it: `à` under `Né(e) le`, the place under it.
        let lines = [
            line("Sexe", 24.0, 186.0, 22.0, 9.0),
            line("Né(e) le", 144.0, 186.0, 40.0, 9.0),
            line("F", 24.0, 200.0, 10.0, 16.0),
            line("02.05.2003", 144.0, 200.0, 96.0, 16.0),
            line("à", 24.0, 222.0, 6.0, 9.0),
            line("Nîmes", 24.0, 236.0, 52.0, 16.0),
        ];
        let p = extract_printed(&lines);
        assert_eq!(p.place_of_birth.as_deref(), Some("Nîmes"));
        assert_eq!(p.birth_date, date(2, 5, 2003));
        // On one line with its value too; a value that merely starts with `a` is no label.
        let one = [line("à Saint-Étienne", 24.0, 222.0, 150.0, 16.0)];
        assert_eq!(
            extract_printed(&one).place_of_birth.as_deref(),
            Some("Saint-Étienne")
        );
        assert!(find_label("Anna").is_none());
        assert!(find_label("àb").is_none());
        // Labels in a column on the left, the tiny `À` not found by the detector.
        let column = [
            line("NÉ(E) LE", 196.0, 200.0, 50.0, 9.0),
            line("14.04.1996", 362.0, 196.0, 100.0, 18.0),
            line("Utopia City", 362.0, 226.0, 96.0, 18.0),
            line("CARTE VALABLE JUSQU'AU", 196.0, 262.0, 120.0, 9.0),
            line("21.02.2029", 362.0, 258.0, 100.0, 18.0),
        ];
        let p = extract_printed(&column);
        assert_eq!(p.place_of_birth.as_deref(), Some("Utopia City"));
        assert_eq!(p.birth_date, date(14, 4, 1996));
        // The place after the date on one line.
        let one = [line("Né(e) le 14.04.1996 à Lyon", 24.0, 200.0, 220.0, 16.0)];
        assert_eq!(
            extract_printed(&one).place_of_birth.as_deref(),
            Some("Lyon")
        );
        // No `Né(e) le`: an unlabelled line under a birth date is nobody's place.
        let other = [
            line("Date of birth", 196.0, 200.0, 50.0, 9.0),
            line("14.04.1996", 362.0, 196.0, 100.0, 18.0),
            line("Utopia City", 362.0, 226.0, 96.0, 18.0),
        ];
        assert_eq!(extract_printed(&other).place_of_birth, None);
    }

    #[test]
    fn garbled_labels_are_not_values() {
        // `TYP/TYPE` read `TY7TYE` beside `PASSPORT`: one digit is no document number.
        assert_eq!(document_number("TY7TYE"), None);
        assert_eq!(document_number("D23145890").as_deref(), Some("D23145890"));
        // `外文別名 / Also known as` (the ideographs dropped by the reader) is a label.
        assert!(find_label("/ Also known as").is_some_and(|h| h.field == PrintedField::Other));
        let lines = [
            line("Name (Surname,Given names)", 160.0, 60.0, 170.0, 10.0),
            line("LIN, MEI-HUA", 200.0, 72.0, 110.0, 14.0),
            line("/ Also known as", 160.0, 90.0, 100.0, 10.0),
            line("MAY LIN", 160.0, 102.0, 60.0, 14.0),
        ];
        assert_ne!(
            extract_printed(&lines).surname.as_deref(),
            Some("Also known as")
        );
    }

    #[test]
    fn every_label_language_for_the_birth_date() {
        for label in [
            "Date of birth",
            "Date de naissance",
            "Fecha de nacimiento",
            "Geburtsdatum",
            "Data di nascita",
            "Geboortedatum",
            "Data de nascimento",
            "Data urodzenia",
            "Födelsedatum",
            "DATE OF BIRTH",
            "date of birth",
            "Né(e) le",
        ] {
            let lines = [line(&format!("{label} 12/12/1982"), 0.0, 0.0, 300.0, 12.0)];
            assert_eq!(
                extract_printed(&lines).birth_date,
                date(12, 12, 1982),
                "{label}"
            );
        }
    }

    #[test]
    fn labels_glued_to_their_translation_or_their_value() {
        let lines = [
            line("GIVEN NAMESIPRENOMS Hafdís", 10.0, 10.0, 200.0, 12.0),
            line("DATE OFBIRTHDATE DENAISSANCE", 10.0, 40.0, 200.0, 10.0),
            line("29JUN/JUIN94", 10.0, 52.0, 90.0, 14.0),
            line(
                "FECHADECADUCIDAD/DATEOFEXPIRY03/04/2031",
                10.0,
                80.0,
                260.0,
                12.0,
            ),
        ];
        let p = extract_printed(&lines);
        assert_eq!(p.given_names.as_deref(), Some("Hafdís"));
        assert_eq!(p.birth_date.map(|d| (d.day, d.month)), Some((29, 6)));
        assert_eq!(p.expiry_date, date(3, 4, 2031));
        let overlapping = [
            line("FECHA DE EXPEDICON DATE OF ISUE", 27.0, 55.0, 141.0, 18.0),
            line("05/06/2026", 156.0, 51.0, 97.0, 21.0),
            line(
                "LUGARDENACIMIENTOPACEOFRIRTH Forli",
                27.0,
                26.0,
                175.0,
                20.0,
            ),
        ];
        let p = extract_printed(&overlapping);
        assert_eq!(p.issue_date, date(5, 6, 2026));
        assert_eq!(p.place_of_birth.as_deref(), Some("Forli"));
        // The French card of 1995–2021.
        let french = [
            line(
                "CARTE NATIONALE D'IDENTITE N 140269054119",
                195.0,
                77.0,
                301.0,
                23.0,
            ),
            line("PRENOM(S)", 194.0, 140.0, 72.0, 18.0),
            line("Jérôme Élie", 358.0, 134.0, 177.0, 25.0),
            line(
                "CARTE VALABLE JUSQU'AU 21.02.2029",
                26.0,
                260.0,
                227.0,
                21.0,
            ),
        ];
        let p = extract_printed(&french);
        assert_eq!(p.document_number.as_deref(), Some("140269054119"));
        assert_eq!(p.given_names.as_deref(), Some("Jérôme Élie"));
        assert_eq!(p.expiry_date, date(21, 2, 2029));
        // Labels garbled past matching, the value a date on the same line.
        let garbled = [
            line("FECHADEACMENTODATEOFR 14APR1996", 10.0, 10.0, 230.0, 19.0),
            line("FECHADE EXEDIODATEISSE05/06/2026", 10.0, 40.0, 260.0, 22.0),
            line(
                "FECHADECADUCIADDATEOFEPIRY 23OCT2029",
                10.0,
                70.0,
                230.0,
                20.0,
            ),
        ];
        let p = extract_printed(&garbled);
        assert_eq!(p.birth_date, date(14, 4, 1996));
        assert_eq!(p.issue_date, date(5, 6, 2026));
        assert_eq!(p.expiry_date, date(23, 10, 2029));
        // A name with digits after it is no date label.
        assert_eq!(
            garbled_date_label(&"MARIAGONZALEZ".chars().collect::<Vec<_>>()),
            None
        );
        let glued = [
            line(
                "PASSPORT NO./N DE PASSEPORTP7891983V",
                10.0,
                10.0,
                300.0,
                12.0,
            ),
            line(
                "DATEOFIE/DATEDE DELVRANCE2023-07-17",
                10.0,
                40.0,
                300.0,
                12.0,
            ),
            line("DATEOFEXPIR/ATEDEXPRATO20280716", 10.0, 25.0, 300.0, 12.0),
        ];
        let p = extract_printed(&glued);
        assert_eq!(p.document_number.as_deref(), Some("P7891983V"));
        assert_eq!(p.issue_date, date(17, 7, 2023));
        assert_eq!(p.expiry_date, date(16, 7, 2028));
        // A visa: the number under `Passport number` is the one the MRZ carries.
        let p = extract_printed(&[
            line("Document No./N de document", 374.0, 95.0, 120.0, 14.0),
            line("M123889546", 382.0, 112.0, 102.0, 18.0),
            line("Passport Number/N de passeport", 223.0, 233.0, 184.0, 16.0),
            line("L8988901C", 226.0, 249.0, 94.0, 21.0),
        ]);
        assert_eq!(p.document_number.as_deref(), Some("L8988901C"));
        // A label word is no name.
        let p = extract_printed(&[
            line("SumameNo", 156.0, 58.0, 53.0, 15.0),
            line("No", 200.0, 58.0, 20.0, 15.0),
            line("MARTIN", 158.0, 68.0, 55.0, 16.0),
        ]);
        assert_ne!(p.surname.as_deref(), Some("No"));
        assert!(!is_label_remnant(PrintedField::Surname, "LE"));
        assert!(is_label_remnant(PrintedField::GivenNames, "PRENOMS"));
        // ICAO's one name field, surname first.
        let p = extract_printed(&[
            line("Name/Nom", 233.0, 100.0, 61.0, 14.0),
            line("ERIKSSON,ANNAMARIA", 238.0, 113.0, 180.0, 20.0),
        ]);
        assert_eq!(p.surname.as_deref(), Some("ERIKSSON"));
        assert_eq!(p.given_names.as_deref(), Some("ANNAMARIA"));
        // A value glued to its label.
        let p = extract_printed(&[
            line("NATIONALITYCAN", 10.0, 10.0, 120.0, 12.0),
            line("NACIONALIDAD/NATIONALTYDNK", 10.0, 40.0, 200.0, 12.0),
        ]);
        assert_eq!(p.nationality.as_deref(), Some("CAN"));
        assert_eq!(
            label_glued_to_value("NATIONALTYDNK"),
            Some((PrintedField::Nationality, 10))
        );
        assert_eq!(label_glued_to_value("MARIANNE"), None);
        assert_eq!(label_glued_to_value("NATIONALEDUARTE"), None);
        // … but a label read whole keeps its letters.
        let p = extract_printed(&[line(
            "PERSONLICHER./PERSONALNO3700252474",
            25.0,
            77.0,
            238.0,
            23.0,
        )]);
        assert_eq!(p.personal_number.as_deref(), Some("3700252474"));
        // A tall value of the row above that grazes the label is not beside it (code of the
        // issuing state above the surname label, the surname below).
        let rows = [
            line("Code of issuing State", 652.0, 153.0, 224.0, 37.0),
            line("PRT", 650.0, 185.0, 90.0, 49.0),
            line("Surname", 462.0, 232.0, 102.0, 32.0),
            line("Araujo", 460.0, 264.0, 120.0, 45.0),
        ];
        assert_eq!(extract_printed(&rows).surname.as_deref(), Some("Araujo"));
        // A name is never taken for a label glued to another.
        assert!(!glued_to_label("NOMURA", "NOM", 0));
        assert!(glued_to_label("SEXISEXE", "SEX", 0));
        assert!(!glued_to_label("SEXTANTE", "SEX", 0));
        assert!(!glued_to_label("SURNAMES", "SURNAME", 0));
        // Nor does a label take the next word whole.
        let p = extract_printed(&[line(
            "LWGAR DENACIMIENTO/PLACE OF BIRTH Wien",
            196.0,
            212.0,
            210.0,
            20.0,
        )]);
        assert_eq!(p.place_of_birth.as_deref(), Some("Wien"));
        let p = extract_printed(&[line(
            "DOCUMENT NO.NDUDOCUMENT P7891983V",
            171.0,
            204.0,
            224.0,
            21.0,
        )]);
        assert_eq!(p.document_number.as_deref(), Some("P7891983V"));
    }

    #[test]
    fn ocr_noise_in_labels_and_values() {
        let lines = [
            line("Sumame / N0m", 10.0, 10.0, 100.0, 10.0),
            line("Martin", 10.0, 22.0, 60.0, 14.0),
            line("Date of brth", 10.0, 50.0, 100.0, 10.0),
            line("1O.O3.1965", 10.0, 62.0, 90.0, 14.0),
            line("Natlonality", 10.0, 90.0, 100.0, 10.0),
            line("FRA", 10.0, 102.0, 40.0, 14.0),
        ];
        let p = extract_printed(&lines);
        assert_eq!(p.surname.as_deref(), Some("Martin"));
        assert_eq!(p.birth_date, date(10, 3, 1965));
        assert_eq!(p.nationality.as_deref(), Some("FRA"));
    }

    #[test]
    fn a_value_below_another_label_is_not_taken() {
        // The surname is missing; the given names' value must not become the surname.
        let lines = [
            line("Surname", 10.0, 10.0, 60.0, 10.0),
            line("Given names", 10.0, 26.0, 80.0, 10.0),
            line("Anna", 10.0, 38.0, 40.0, 14.0),
        ];
        let p = extract_printed(&lines);
        assert_eq!(p.surname, None);
        assert_eq!(p.given_names.as_deref(), Some("Anna"));
    }

    #[test]
    fn mrz_lines_and_labels_are_never_values() {
        let lines = [
            line("Surname", 10.0, 10.0, 60.0, 10.0),
            line(
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                10.0,
                24.0,
                400.0,
                14.0,
            ),
            line("Date of birth", 10.0, 60.0, 60.0, 10.0),
            line("Authority", 10.0, 74.0, 60.0, 10.0),
        ];
        let p = extract_printed(&lines);
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn lines_without_boxes_read_in_order() {
        let lines = [
            TextLine::new("Nom / Surname", (0.0, 0.0, 0.0, 0.0)),
            TextLine::new("Dupont", (0.0, 0.0, 0.0, 0.0)),
            TextLine::new("Sexe / Sex", (0.0, 0.0, 0.0, 0.0)),
            TextLine::new("M", (0.0, 0.0, 0.0, 0.0)),
        ];
        let p = extract_printed(&lines);
        assert_eq!(p.surname.as_deref(), Some("Dupont"));
        assert_eq!(p.sex, Some(Sex::Male));
    }

    #[test]
    fn dates_in_every_printed_form_under_a_label() {
        for (text, want) in [
            ("12.12.1982", date(12, 12, 1982)),
            ("12 12 1982", date(12, 12, 1982)),
            ("12 DEC 1982", date(12, 12, 1982)),
            ("1982-12-12", date(12, 12, 1982)),
            ("12/12/1982", date(12, 12, 1982)),
            ("12 Dezember 1982", date(12, 12, 1982)),
            ("12 dic 1982", date(12, 12, 1982)),
        ] {
            let lines = [
                line("Date of expiry / Date d'expiration", 0.0, 0.0, 200.0, 10.0),
                line(text, 0.0, 12.0, 100.0, 14.0),
            ];
            assert_eq!(extract_printed(&lines).expiry_date, want, "{text}");
        }
        let lines = [
            line("Date of expiry", 0.0, 0.0, 200.0, 10.0),
            line("12 DEC/DÉC 82", 0.0, 12.0, 100.0, 14.0),
        ];
        let d = extract_printed(&lines).expiry_date.unwrap();
        assert_eq!((d.day, d.month, d.year), (12, 12, PrintedYear::Short(82)));
    }

    /// Shapes PaddleOCR (PP-OCRv5) returns on the project's specimens: `/` read as `I`, words
    /// glued, two columns' labels read as one line.
    #[test]
    fn what_a_real_recogniser_returns() {
        let lines = [
            line("Surname /Nom", 24.0, 76.0, 73.0, 9.0),
            line("Mayrhofer", 24.0, 91.0, 85.0, 14.0),
            line("SexI Sexe", 24.0, 147.0, 51.0, 9.0),
            line("Nationality I Nationalite", 144.0, 147.0, 107.0, 11.0),
            line("F", 25.0, 163.0, 9.0, 13.0),
            line("TUR", 144.0, 163.0, 30.0, 13.0),
            line(
                "Date of birth /Date de naissance Document No. I N*du document",
                24.0,
                183.0,
                355.0,
                9.0,
            ),
            line("22.07.1995", 24.0, 199.0, 101.0, 13.0),
            line("PJ5405108", 223.0, 199.0, 90.0, 13.0),
            line("FECHADE EXPEDICION DATE OF ISSUE", 24.0, 219.0, 200.0, 9.0),
            line("12.05.2026", 24.0, 235.0, 100.0, 13.0),
            line("Given names I Prénoms", 24.0, 255.0, 113.0, 9.0),
            line("Theresa", 24.0, 271.0, 60.0, 13.0),
        ];
        let p = extract_printed(&lines);
        assert_eq!(p.surname.as_deref(), Some("Mayrhofer"));
        assert_eq!(p.sex, Some(Sex::Female));
        assert_eq!(p.nationality.as_deref(), Some("TUR"));
        assert_eq!(p.birth_date, date(22, 7, 1995));
        assert_eq!(p.document_number.as_deref(), Some("PJ5405108"));
        assert_eq!(p.issue_date, date(12, 5, 2026));
        assert_eq!(p.given_names.as_deref(), Some("Theresa"));
    }

    #[test]
    fn edit_distance_bounds() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(edit_distance(&c("KITTEN"), &c("SITTING"), 3), Some(3));
        assert_eq!(edit_distance(&c("KITTEN"), &c("SITTING"), 2), None);
        assert!(word_matches("NATIONALITV", "NATIONALITY"));
        assert!(!word_matches("NOME", "NOM"));
        assert!(!word_matches("123456", "SURNAME"));
    }

    proptest! {
        #[test]
        fn never_panics(
            texts in proptest::collection::vec("\\PC{0,40}", 0..12),
            boxes in proptest::collection::vec((any::<f32>(), any::<f32>(), any::<f32>(), any::<f32>()), 12),
        ) {
            let lines: Vec<TextLine> = texts
                .iter()
                .zip(&boxes)
                .map(|(t, b)| TextLine::new(t.clone(), *b))
                .collect();
            let _ = extract_printed(&lines);
        }

        #[test]
        fn never_panics_on_label_soup(
            picks in proptest::collection::vec((0usize..40, 0usize..3, -50f32..500.0, -50f32..500.0), 0..16),
        ) {
            let words = ["Surname", "Nom", "Date of birth", "12.12.1982", "Sex", "F", "/", "1.",
                "Given names", "Anna", "Document No.", "L898902C3", "Nationality", "UTO",
                "Date of expiry", "12 DEC 82", "<<<", "Place of birth", "Zenith", ":"];
            let lines: Vec<TextLine> = picks
                .iter()
                .map(|(w, n, x, y)| {
                    let text = (0..=*n).map(|k| words[(w + k) % words.len()]).collect::<Vec<_>>().join(" ");
                    TextLine::new(text, (*x, *y, 80.0, 12.0))
                })
                .collect();
            let _ = extract_printed(&lines);
        }
    }
}
