//! Printed names → MRZ form (ICAO 9303 Part 3 §6): transliteration of national characters,
//! punctuation rules, and the name field with its truncation.

/// Transliterates a printed name into MRZ characters, ICAO 9303 Part 3 §6: upper case; `Ä`→`AE`,
/// `Å`→`AA`, `Æ`→`AE`, `Ö`→`OE`, `Ø`→`OE`, `Œ`→`OE`, `Ü`→`UE`, `ß`→`SS`, `Þ`→`TH`, `Ĳ`→`IJ`,
/// `Ð`/`Đ`→`D`, `Ñ`→`N`; other Latin letters lose their diacritics (`É`→`E`, `Ç`→`C`, `Ł`→`L`);
/// spaces and hyphens become one `<`; apostrophes, commas, full stops and anything else outside
/// the Latin script are dropped (the Cyrillic and Arabic tables of Part 3 are not implemented).
///
/// ```
/// use idverify_mrz::transliterate;
/// assert_eq!(transliterate("Jürgen Groß"), "JUERGEN<GROSS");
/// assert_eq!(transliterate("O'Connor-Núñez"), "OCONNOR<NUNEZ");
/// assert_eq!(transliterate("Søren Ærø"), "SOEREN<AEROE");
/// ```
pub fn transliterate(printed: &str) -> String {
    let mut out = String::new();
    for c in printed.chars() {
        if c == ' ' || c == '-' || c == '‐' || c == '–' || c == '<' || c == '\t' {
            if !out.is_empty() && !out.ends_with('<') {
                out.push('<');
            }
            continue;
        }
        let mapped = map_char(c);
        out.push_str(mapped);
    }
    while out.ends_with('<') {
        out.pop();
    }
    out
}

/// The MRZ form of one character; `""` when it is dropped.
fn map_char(c: char) -> &'static str {
    if let Some(s) = ascii_upper(c) {
        return s;
    }
    match c {
        'Ä' | 'ä' | 'Æ' | 'æ' => "AE",
        'Å' | 'å' => "AA",
        'Ö' | 'ö' | 'Ø' | 'ø' | 'Œ' | 'œ' => "OE",
        'Ü' | 'ü' => "UE",
        'ß' | 'ẞ' => "SS",
        'Þ' | 'þ' => "TH",
        'Ĳ' | 'ĳ' => "IJ",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ā' | 'Ă' | 'Ą' | 'à' | 'á' | 'â' | 'ã' | 'ā' | 'ă' | 'ą' => {
            "A"
        }
        'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' | 'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "C",
        'Ð' | 'Ď' | 'Đ' | 'ð' | 'ď' | 'đ' => "D",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' | 'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ'
        | 'ė' | 'ę' | 'ě' => "E",
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' | 'ĝ' | 'ğ' | 'ġ' | 'ģ' => "G",
        'Ĥ' | 'Ħ' | 'ĥ' | 'ħ' => "H",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' | 'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī'
        | 'ĭ' | 'į' | 'ı' => "I",
        'Ĵ' | 'ĵ' => "J",
        'Ķ' | 'ķ' => "K",
        'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' | 'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "L",
        'Ñ' | 'Ń' | 'Ņ' | 'Ň' | 'ñ' | 'ń' | 'ņ' | 'ň' => "N",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ō' | 'Ŏ' | 'Ő' | 'ò' | 'ó' | 'ô' | 'õ' | 'ō' | 'ŏ' | 'ő' => {
            "O"
        }
        'Ŕ' | 'Ŗ' | 'Ř' | 'ŕ' | 'ŗ' | 'ř' => "R",
        'Ś' | 'Ŝ' | 'Ş' | 'Š' | 'Ș' | 'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "S",
        'Ţ' | 'Ť' | 'Ŧ' | 'Ț' | 'ţ' | 'ť' | 'ŧ' | 'ț' => "T",
        'Ù' | 'Ú' | 'Û' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' | 'ù' | 'ú' | 'û' | 'ũ' | 'ū' | 'ŭ'
        | 'ů' | 'ű' | 'ų' => "U",
        'Ŵ' | 'ŵ' => "W",
        'Ý' | 'Ÿ' | 'Ŷ' | 'ý' | 'ÿ' | 'ŷ' => "Y",
        'Ź' | 'Ż' | 'Ž' | 'ź' | 'ż' | 'ž' => "Z",
        _ => "",
    }
}

fn ascii_upper(c: char) -> Option<&'static str> {
    const UPPER: [&str; 26] = [
        "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R",
        "S", "T", "U", "V", "W", "X", "Y", "Z",
    ];
    const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    if c.is_ascii_alphabetic() {
        let i = usize::from(c.to_ascii_uppercase() as u8 - b'A');
        return UPPER.get(i).copied();
    }
    if c.is_ascii_digit() {
        return DIGITS.get(usize::from(c as u8 - b'0')).copied();
    }
    None
}

/// The name field of an MRZ, `width` characters: surname, `<<`, given names, `<` filler.
/// Names are transliterated first. When they do not fit, the given names are cut (ICAO 9303
/// Part 3 §4.6: truncation of the secondary identifier first), then the surname.
///
/// ```
/// use idverify_mrz::name_field;
/// assert_eq!(name_field("Eriksson", "Anna María", 20), "ERIKSSON<<ANNA<MARIA");
/// assert_eq!(name_field("Eriksson", "Anna María", 15), "ERIKSSON<<ANNA<");
/// assert_eq!(name_field("Eriksson", "", 12), "ERIKSSON<<<<");
/// ```
pub fn name_field(surname: &str, given: &str, width: usize) -> String {
    let surname = transliterate(surname);
    let given = transliterate(given);
    let mut field: String = if given.is_empty() {
        surname
    } else {
        format!("{surname}<<{given}")
    };
    if field.chars().count() > width {
        field = field.chars().take(width).collect();
    }
    while field.chars().count() < width {
        field.push('<');
    }
    field
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icao_examples() {
        assert_eq!(transliterate("Ärzte Öl Übel"), "AERZTE<OEL<UEBEL");
        assert_eq!(transliterate("Þór Ðan"), "THOR<DAN");
        assert_eq!(transliterate("Ĳsselmeer"), "IJSSELMEER");
        assert_eq!(transliterate("Œuvre"), "OEUVRE");
        assert_eq!(transliterate("Åsa"), "AASA");
        assert_eq!(transliterate("Ñandú"), "NANDU");
        assert_eq!(transliterate("Łódź"), "LODZ");
        assert_eq!(transliterate("  de  la   Cruz  "), "DE<LA<CRUZ");
        assert_eq!(transliterate("Smith, Jr."), "SMITH<JR");
        assert_eq!(transliterate("Иван"), "");
    }

    #[test]
    fn every_output_is_mrz_text() {
        let s = transliterate("Žofia Ĉeŝ-Ŵŷ ŉ 42 ☃");
        assert!(s.chars().all(crate::is_mrz_char), "{s}");
    }
}
