//! The MRZ lines of a specimen, built from its data.
//!
//! INTERIM: crates/mrz (`idverify_mrz::generate`, `transliterate`) is being written at the same
//! time as this crate; until it lands this module carries a minimal stand-in so that rendering can
//! be built and tested. It is replaced by calls into idverify-mrz, not kept as a second generator.

use crate::Error;
use crate::spec::{DocFormat, SpecimenSpec};

/// The MRZ lines `spec` prints: its `mrz_override` if set, else lines generated from its data.
pub fn mrz_lines(spec: &SpecimenSpec) -> Result<Vec<String>, Error> {
    if let Some(lines) = &spec.mrz_override {
        return Ok(lines.clone());
    }
    interim::generate(spec)
}

/// ICAO 9303 Part 3 transliteration of a printed name to the MRZ alphabet (upper case, `<` for
/// spaces, hyphens and apostrophes removed).
pub fn transliterate(name: &str) -> String {
    interim::transliterate(name)
}

mod interim {
    use super::*;

    pub(super) fn transliterate(name: &str) -> String {
        let mut out = String::new();
        for c in name.chars() {
            let up: String = c.to_uppercase().collect();
            let mapped = match up.as_str() {
                "Ä" | "Æ" => "AE",
                "Ö" | "Ø" | "Œ" => "OE",
                "Ü" => "UE",
                "ß" | "SS" => "SS",
                "Å" => "AA",
                "Þ" => "TH",
                "Ð" | "Đ" => "D",
                "Ł" => "L",
                "İ" | "I" => "I",
                "'" | "’" => "",
                " " | "-" | "," => "<",
                s => {
                    let base = strip_diacritic(s);
                    if base.chars().all(|c| c.is_ascii_uppercase()) {
                        base
                    } else {
                        ""
                    }
                }
            };
            out.push_str(mapped);
        }
        out
    }

    fn strip_diacritic(s: &str) -> &str {
        const TABLE: &[(&str, &str)] = &[
            ("ÀÁÂÃĀĂĄ", "A"),
            ("ÇĆČ", "C"),
            ("ĎĐ", "D"),
            ("ÈÉÊËĒĘĚ", "E"),
            ("ĞĢ", "G"),
            ("ÌÍÎÏĪ", "I"),
            ("ĹĽĻ", "L"),
            ("ÑŃŇŅ", "N"),
            ("ÒÓÔÕŐŌ", "O"),
            ("ŔŘ", "R"),
            ("ŚŠŞȘ", "S"),
            ("ŤŢȚ", "T"),
            ("ÙÚÛŮŰŪŲ", "U"),
            ("ÝŸ", "Y"),
            ("ŹŻŽ", "Z"),
        ];
        for (from, to) in TABLE {
            if from.contains(s) {
                return to;
            }
        }
        s
    }

    fn pad(s: &str, n: usize) -> String {
        let mut t: String = s.chars().take(n).collect();
        while t.chars().count() < n {
            t.push('<');
        }
        t
    }

    fn check(s: &str) -> char {
        let w = [7u32, 3, 1];
        let sum: u32 = s
            .chars()
            .zip(w.iter().cycle())
            .map(|(c, w)| {
                let v = match c {
                    '0'..='9' => u32::from(c) - u32::from('0'),
                    'A'..='Z' => u32::from(c) - u32::from('A') + 10,
                    _ => 0,
                };
                v * w
            })
            .sum();
        char::from_digit(sum % 10, 10).unwrap_or('0')
    }

    fn name_field(spec: &SpecimenSpec, n: usize) -> String {
        pad(
            &format!(
                "{}<<{}",
                transliterate(&spec.surname),
                transliterate(&spec.given_names)
            ),
            n,
        )
    }

    pub(super) fn generate(spec: &SpecimenSpec) -> Result<Vec<String>, Error> {
        let doc = pad(&spec.document_number, 9);
        let dcd = check(&doc);
        let iss = pad(&spec.issuing_state, 3);
        let nat = pad(&spec.nationality, 3);
        let b = spec.birth_date.yymmdd();
        let bcd = check(&b);
        let e = spec.expiry_date.yymmdd();
        let ecd = check(&e);
        let sex = spec.sex.mrz_char();
        let code = pad(spec.format.document_code(), 2);
        let personal = spec.personal_number.clone().unwrap_or_default();
        let lines = match spec.format {
            DocFormat::Td3 => {
                let p = pad(&personal, 14);
                let pcd = if personal.is_empty() { '<' } else { check(&p) };
                let comp = format!("{doc}{dcd}{b}{bcd}{e}{ecd}{p}{pcd}");
                vec![
                    format!("{code}{iss}{}", name_field(spec, 39)),
                    format!(
                        "{doc}{dcd}{nat}{b}{bcd}{sex}{e}{ecd}{p}{pcd}{}",
                        check(&comp)
                    ),
                ]
            }
            DocFormat::Td2 => {
                let o = pad(&personal, 7);
                let comp = format!("{doc}{dcd}{b}{bcd}{e}{ecd}{o}");
                vec![
                    format!("{code}{iss}{}", name_field(spec, 31)),
                    format!("{doc}{dcd}{nat}{b}{bcd}{sex}{e}{ecd}{o}{}", check(&comp)),
                ]
            }
            DocFormat::Td1 => {
                let o1 = pad(&personal, 15);
                let o2 = pad("", 11);
                let l1 = format!("{code}{iss}{doc}{dcd}{o1}");
                let l2a = format!("{b}{bcd}{sex}{e}{ecd}{nat}{o2}");
                let comp = format!("{doc}{dcd}{o1}{b}{bcd}{e}{ecd}{o2}");
                vec![l1, format!("{l2a}{}", check(&comp)), name_field(spec, 30)]
            }
            DocFormat::Mrva | DocFormat::Mrvb => {
                let (width, opt) = if spec.format == DocFormat::Mrva {
                    (39, 16)
                } else {
                    (31, 8)
                };
                vec![
                    format!("{code}{iss}{}", name_field(spec, width)),
                    format!("{doc}{dcd}{nat}{b}{bcd}{sex}{e}{ecd}{}", pad("", opt)),
                ]
            }
        };
        Ok(lines)
    }
}
