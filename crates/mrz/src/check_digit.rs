//! The ICAO 9303 Part 3 §4.9 check digit: weights 7, 3, 1 over character values, modulo 10.

/// The value of an MRZ character: `0`–`9` → 0–9, `A`–`Z` → 10–35, `<` → 0; `None` outside the
/// MRZ alphabet.
pub fn char_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(u32::from(c) - u32::from('0')),
        'A'..='Z' => Some(u32::from(c) - u32::from('A') + 10),
        '<' => Some(0),
        _ => None,
    }
}

/// The check digit of `data`, or `None` when a character is outside `A–Z 0–9 <`.
///
/// ```
/// use idverify_mrz::check_digit;
/// assert_eq!(check_digit("520727"), Some(3));
/// assert_eq!(check_digit("AB2134<<<"), Some(5));
/// assert_eq!(check_digit("ab"), None);
/// ```
pub fn check_digit(data: &str) -> Option<u8> {
    check_digit_chars(data.chars())
}

/// [`check_digit`] over any sequence of characters.
pub fn check_digit_chars<I: IntoIterator<Item = char>>(data: I) -> Option<u8> {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let mut sum = 0u32;
    for (i, c) in data.into_iter().enumerate() {
        let weight = WEIGHTS.get(i % 3).copied().unwrap_or(1);
        sum = (sum + char_value(c)? * weight) % 10;
    }
    u8::try_from(sum % 10).ok()
}

/// The outcome of one check digit over its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The digit matches, or it is `<` over an all-`<` field (lenient, as real documents do).
    Holds,
    /// A digit that does not match the computed one.
    Mismatch {
        /// What the data computes to.
        expected: u8,
    },
    /// The check digit position holds something other than a digit (or `<` over a non-empty field).
    NotADigit {
        /// What the data computes to, when it can be computed.
        expected: Option<u8>,
    },
    /// The data holds characters outside the MRZ alphabet, so no digit can be computed.
    Uncomputable,
}

impl Verdict {
    /// True for [`Verdict::Holds`].
    pub fn holds(self) -> bool {
        self == Verdict::Holds
    }
}

/// Judges the check digit `found` over `data`.
pub(crate) fn judge(data: &[char], found: char) -> Verdict {
    let expected = check_digit_chars(data.iter().copied());
    if found == '<' && data.iter().all(|&c| c == '<') {
        return Verdict::Holds;
    }
    match (found.to_digit(10), expected) {
        (_, None) => Verdict::Uncomputable,
        (Some(d), Some(e)) if d == u32::from(e) => Verdict::Holds,
        (Some(_), Some(e)) => Verdict::Mismatch { expected: e },
        (None, e) => Verdict::NotADigit { expected: e },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icao_examples() {
        assert_eq!(check_digit("L898902C3"), Some(6));
        assert_eq!(check_digit("740812"), Some(2));
        assert_eq!(check_digit("120415"), Some(9));
        assert_eq!(check_digit("ZE184226B<<<<<"), Some(1));
        assert_eq!(check_digit("<<<<<<"), Some(0));
        assert_eq!(check_digit(""), Some(0));
    }

    #[test]
    fn lenient_filler_digit() {
        let empty: Vec<char> = "<<<<<<<<<<<<<<".chars().collect();
        assert_eq!(judge(&empty, '<'), Verdict::Holds);
        assert_eq!(judge(&empty, '0'), Verdict::Holds);
        let data: Vec<char> = "L898902C3".chars().collect();
        assert_eq!(judge(&data, '<'), Verdict::NotADigit { expected: Some(6) });
        assert_eq!(judge(&data, '5'), Verdict::Mismatch { expected: 6 });
        let bad: Vec<char> = "L89?".chars().collect();
        assert_eq!(judge(&bad, '1'), Verdict::Uncomputable);
    }
}
