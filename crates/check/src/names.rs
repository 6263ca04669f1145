//! Names and nationalities between the two zones: the printed form (`Müller-Lüdenscheidt`)
//! brought to the MRZ form (`MUELLER LUEDENSCHEIDT`) by the ICAO 9303 Part 3 transliteration,
//! (the MRZ crate's, and the plain one that drops diacritics), and a printed nationality (`Nederlandse`, `UTO`, `Utopia`) brought to its MRZ code.

use crate::fold::fold_char;

/// The MRZ forms a printed name may take: ICAO's recommended transliteration (`Ä` → `AE`) and
/// the plain one many issuers use (`Ä` → `A`). Upper case, names separated by single spaces
/// (as `<` reads in the MRZ form), apostrophes and other punctuation dropped.
///
/// ```
/// let forms = idverify_check::names::mrz_forms("Müller-Lüdenscheidt");
/// assert!(forms.contains(&"MUELLER LUEDENSCHEIDT".to_string()));
/// assert!(forms.contains(&"MULLER LUDENSCHEIDT".to_string()));
/// assert_eq!(idverify_check::names::mrz_forms("D'Artagnan")[0], "DARTAGNAN");
/// ```
pub fn mrz_forms(printed: &str) -> Vec<String> {
    let tidy = |s: &str| {
        s.split([' ', '<'])
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut forms = vec![tidy(&idverify_mrz::transliterate(printed))];
    let mut plain = String::new();
    for c in printed.chars() {
        let upper = c.to_uppercase().next().unwrap_or(c);
        match upper {
            'Æ' => plain.push_str("AE"),
            'Œ' => plain.push_str("OE"),
            'ß' | 'ẞ' => plain.push_str("SS"),
            'Þ' => plain.push_str("TH"),
            'Ĳ' => plain.push_str("IJ"),
            _ => {
                let f = fold_char(upper);
                if f.is_ascii_uppercase() || f.is_ascii_digit() {
                    plain.push(f);
                } else if f.is_whitespace() || matches!(f, '-' | '<' | '‐' | '–') {
                    plain.push(' ');
                }
            }
        }
    }
    let plain = tidy(&plain);
    if !forms.contains(&plain) {
        forms.push(plain);
    }
    forms
}

/// The form two names are compared in: without spaces, with a transliterated umlaut or ring
/// (`OE`, `AA`) taken as the bare letter (a reader that loses the diacritic prints `Kohler` for
/// `Köhler`, MRZ `KOEHLER`), and the letters a recogniser confuses with digits or each other
/// (`I`/`L`/`1`, `O`/`0`, `S`/`5`, `Z`/`2`, `B`/`8`) taken as one.
fn loose_key(form: &str) -> String {
    let squashed: String = form.chars().filter(|c| *c != ' ').collect();
    let bare = squashed
        .replace("AE", "A")
        .replace("OE", "O")
        .replace("UE", "U")
        .replace("AA", "A");
    bare.chars()
        .map(|c| match c {
            'L' | '1' => 'I',
            '0' | 'Q' => 'O',
            '5' => 'S',
            '2' => 'Z',
            '8' => 'B',
            other => other,
        })
        .collect()
}

/// Whether a printed name and an MRZ name are the same name. `truncated` says that the MRZ's
/// name field was full, so its last name may be cut short (ICAO 9303 Part 3 §4.6): then a
/// printed name that starts with the MRZ's agrees. The comparison forgives what a recogniser
/// does to a printed name ([`mrz_forms`], lost diacritics, `l` for `I`) but not a different
/// letter: `De Bruyn` is not `DE BRUIJN`.
///
/// ```
/// use idverify_check::names::same_name;
/// assert!(same_name("De Bruijn", "DE BRUIJN", false));
/// assert!(same_name("Ødegård", "OEDEGAARD", false));
/// assert!(same_name("Ødegård", "ODEGARD", false));
/// assert!(same_name("Kohler", "KOEHLER", false));
/// assert!(same_name("lbáñez", "IBANEZ", false));
/// assert!(same_name("EVARSDOTTIR", "AEVARSDOTTIR", false)); // Æ lost by the recogniser
/// assert!(same_name("PURiDUR OSP", "THURIDUR OESP", false)); // Þ read as P, Ö lost
/// assert!(same_name("Ægir póra", "AEGIR THORA", false)); // Æ read, Þ read as p
/// assert!(!same_name("Vandermolen", "AEVARSDOTTIR", false));
/// assert!(!same_name("De Bruyn", "DE BRUIJN", false));
/// assert!(same_name("Anna Maria Lisa", "ANNA MARIA L", true));
/// ```
pub fn same_name(printed: &str, mrz: &str, truncated: bool) -> bool {
    let mrz = mrz.split_whitespace().collect::<Vec<_>>().join(" ");
    if truncated && mrz.is_empty() {
        // A full name field can leave no room for the given names at all.
        return true;
    }
    let mrz_keys = loose_keys(&mrz);
    mrz_forms(printed).iter().any(|form| {
        let key = loose_key(form);
        mrz_keys
            .iter()
            .any(|m| key == *m || (truncated && !m.is_empty() && key.starts_with(m.as_str())))
    })
}

/// The loose keys of an MRZ name: [`loose_key`], and the key of the form a recogniser reads
/// when it does not know the Nordic letters: `Æ` (MRZ `AE`) read as `E`, `Þ` (MRZ `TH`) as
/// `P`, so `ÆVARSDÓTTIR` read `EVARSDOTTIR` and `ÞURÍÐUR` read `PURIDUR` still agree.
fn loose_keys(mrz: &str) -> Vec<String> {
    // Either letter may be read right while the other is not (`Ægir Þóra` read `Ægir póra`).
    let ae = mrz.replace("AE", "E");
    let mut keys = Vec::new();
    for form in [
        mrz.to_string(),
        mrz.replace("TH", "P"),
        ae.clone(),
        ae.replace("TH", "P"),
    ] {
        let key = loose_key(&form);
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// Printed nationalities that are adjectives or demonyms, folded, with their MRZ code.
const DEMONYMS: &[(&str, &str)] = &[
    ("NEDERLANDSE", "NLD"),
    ("NEDERLANDER", "NLD"),
    ("DUTCH", "NLD"),
    ("DEUTSCH", "D"),
    ("GERMAN", "D"),
    ("FRANCAISE", "FRA"),
    ("FRANCAIS", "FRA"),
    ("FRENCH", "FRA"),
    ("BRITISH CITIZEN", "GBR"),
    ("BRITISH", "GBR"),
    ("ESPANOLA", "ESP"),
    ("ESPANOL", "ESP"),
    ("SPANISH", "ESP"),
    ("ITALIANA", "ITA"),
    ("ITALIANO", "ITA"),
    ("ITALIAN", "ITA"),
    ("POLSKIE", "POL"),
    ("POLSKA", "POL"),
    ("POLISH", "POL"),
    ("SVENSK", "SWE"),
    ("SWEDISH", "SWE"),
    ("PORTUGUESA", "PRT"),
    ("PORTUGUES", "PRT"),
    ("PORTUGUESE", "PRT"),
    ("UTOPIAN", "UTO"),
    ("BELGE", "BEL"),
    ("BELG", "BEL"),
    ("BELGIAN", "BEL"),
    ("SUISSE", "CHE"),
    ("SCHWEIZER", "CHE"),
    ("SWISS", "CHE"),
    ("OSTERREICH", "AUT"),
    ("AUSTRIAN", "AUT"),
    ("IRISH", "IRL"),
    ("EIREANNACH", "IRL"),
    ("AMERICAN", "USA"),
    ("CANADIAN", "CAN"),
    ("CANADIENNE", "CAN"),
    ("AUSTRALIAN", "AUS"),
    ("DANSK", "DNK"),
    ("DANISH", "DNK"),
    ("NORSK", "NOR"),
    ("NORWEGIAN", "NOR"),
    ("SUOMI", "FIN"),
    ("FINNISH", "FIN"),
    ("LUXEMBOURGEOISE", "LUX"),
    ("LUXEMBOURGEOIS", "LUX"),
    ("EESTI", "EST"),
    ("LATVIJAS", "LVA"),
    ("LIETUVOS", "LTU"),
    ("CESKA", "CZE"),
    ("SLOVENSKA", "SVK"),
    ("MAGYAR", "HUN"),
    ("ROMANA", "ROU"),
    ("HELLENIC", "GRC"),
];

/// The MRZ code of a printed nationality: a code as printed (`UTO`, `D`, `NLD/NLD`), a country
/// name (`Utopia`, `Netherlands`) or a demonym (`Nederlandse`, `BRITISH CITIZEN`).
///
/// ```
/// use idverify_check::names::nationality_code;
/// assert_eq!(nationality_code("Nederlandse / Dutch").as_deref(), Some("NLD"));
/// assert_eq!(nationality_code("UTO").as_deref(), Some("UTO"));
/// assert_eq!(nationality_code("BRITISH CITIZEN").as_deref(), Some("GBR"));
/// assert_eq!(nationality_code("Klingon"), None);
/// ```
pub fn nationality_code(printed: &str) -> Option<String> {
    let folded: String = printed.chars().map(fold_char).collect();
    let first_part = folded
        .split(['/', '(', ','])
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if first_part.is_empty() {
        return None;
    }
    // A code as printed, upper case in the original.
    let original_first = printed.split(['/', '(', ',']).next().unwrap_or("").trim();
    if original_first.chars().all(|c| c.is_ascii_uppercase())
        && (1..=3).contains(&original_first.len())
        && idverify_mrz::countries::lookup(original_first).is_some()
    {
        return Some(original_first.to_string());
    }
    if let Some((_, code)) = DEMONYMS.iter().find(|(d, _)| *d == first_part) {
        return Some((*code).to_string());
    }
    if let Some(first_word) = first_part.split(' ').next()
        && let Some((_, code)) = DEMONYMS.iter().find(|(d, _)| *d == first_word)
    {
        return Some((*code).to_string());
    }
    idverify_mrz::countries::all()
        .iter()
        .find(|c| c.name.chars().map(fold_char).collect::<String>() == first_part)
        .map(|c| c.code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliteration_forms() {
        assert_eq!(mrz_forms("Willeke Liselotte"), vec!["WILLEKE LISELOTTE"]);
        assert!(mrz_forms("Straße").contains(&"STRASSE".to_string()));
        assert!(mrz_forms("Łukasz Żółć").contains(&"LUKASZ ZOLC".to_string()));
        assert!(mrz_forms("José-María").contains(&"JOSE MARIA".to_string()));
        assert!(mrz_forms("O'Brien").contains(&"OBRIEN".to_string()));
    }

    #[test]
    fn names_compare_in_mrz_form() {
        assert!(same_name("Eriksson", "ERIKSSON", false));
        assert!(same_name("Anna María", "ANNA MARIA", false));
        assert!(same_name("Müller", "MUELLER", false));
        assert!(same_name("Müller", "MULLER", false));
        assert!(!same_name("Müller", "MULLERS", false));
        assert!(!same_name("Erikson", "ERIKSSON", false));
        assert!(same_name("Mǎdǎlina", "MADALINA", false));
        assert!(same_name("Conceicao", "CONCEICAO", false));
        assert!(same_name("JOhnsOn", "JOHNSON", false));
        assert!(!same_name("Johnsen", "JOHNSON", false));
        assert!(same_name(
            "Vandenbroucke-Delacroix",
            "VANDENBROUCKE DELAC",
            true
        ));
        assert!(!same_name(
            "Vandenbroucke-Delacroix",
            "VANDENBROUCKE DELAC",
            false
        ));
        assert!(!same_name("Smith", "SMYTH", true));
        assert!(same_name("Anna", "", true));
        assert!(!same_name("Anna", "", false));
    }

    #[test]
    fn nationality_codes() {
        assert_eq!(nationality_code("D").as_deref(), Some("D"));
        assert_eq!(nationality_code("NLD/NLD").as_deref(), Some("NLD"));
        assert_eq!(nationality_code("Française").as_deref(), Some("FRA"));
        assert_eq!(nationality_code("").as_deref(), None);
        assert_eq!(nationality_code("ABC"), None);
    }
}
