//! Case and diacritic folding of printed text, so labels and month names match whatever the
//! document's language, accents and the OCR's case.

/// Folds one character to an upper-case ASCII letter or digit where a Latin base letter exists
/// (`é` → `E`, `ł` → `L`, `ß` → `S`); other characters are upper-cased and kept.
///
/// The mapping is one character to one character, so a folded string's character positions
/// line up with the original's and a value can be cut from the original text (case and
/// accents kept) at the position where its folded label ends.
pub fn fold_char(c: char) -> char {
    let upper = c.to_uppercase().next().unwrap_or(c);
    match upper {
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' | 'Æ' | 'Ǎ' | 'Ȧ' | 'Ạ' => {
            'A'
        }
        'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => 'C',
        'Ď' | 'Đ' | 'Ð' => 'D',
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' | 'Ẹ' | 'Ẽ' => 'E',
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' | 'Ǧ' => 'G',
        'Ĥ' | 'Ħ' => 'H',
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' | 'Ǐ' | 'Ị' => 'I',
        'Ĵ' => 'J',
        'Ķ' => 'K',
        'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => 'L',
        'Ñ' | 'Ń' | 'Ņ' | 'Ň' => 'N',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' | 'Œ' | 'Ǒ' | 'Ọ' => 'O',
        'Ŕ' | 'Ŗ' | 'Ř' => 'R',
        'Ś' | 'Ŝ' | 'Ş' | 'Š' | 'Ș' | 'ẞ' | 'ß' => 'S',
        'Ţ' | 'Ť' | 'Ŧ' | 'Ț' | 'Þ' => 'T',
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' | 'Ǔ' | 'Ụ' => 'U',
        'Ŵ' => 'W',
        'Ý' | 'Ÿ' | 'Ŷ' => 'Y',
        'Ź' | 'Ż' | 'Ž' => 'Z',
        // Ordinal indicators (`Nº`) are letters to Unicode but punctuation on a document.
        'º' | 'ª' => '.',
        other => other,
    }
}

/// [`fold_char`] over a string.
///
/// ```
/// assert_eq!(idverify_check::fold::fold("Prénoms / Given names"), "PRENOMS / GIVEN NAMES");
/// assert_eq!(idverify_check::fold::fold("Płeć"), "PLEC");
/// ```
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// Splits folded text into words of letters and digits; everything else separates.
pub fn words(folded: &str) -> Vec<&str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_length_in_chars() {
        for s in [
            "Ærøskøbing",
            "Straße",
            "Łódź",
            "ÉÈÊË",
            "naïve café",
            "Ñandú",
        ] {
            assert_eq!(fold(s).chars().count(), s.chars().count(), "{s}");
        }
        assert_eq!(fold("Łódź"), "LODZ");
        assert_eq!(fold("Geburtsdatum"), "GEBURTSDATUM");
    }

    #[test]
    fn words_split_on_punctuation() {
        assert_eq!(words(&fold("1. Surname/Nom:")), vec!["1", "SURNAME", "NOM"]);
        assert_eq!(words("N° DU DOCUMENT"), vec!["N", "DU", "DOCUMENT"]);
    }
}
