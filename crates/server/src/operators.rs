//! Operators of the console and their credentials: roles, Argon2id password hashes, TOTP
//! (RFC 6238) second factors, one-time set-up tokens and session tokens (random, stored as
//! SHA-256 like the application keys), and the CSRF token derived from a session.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::error::ServerError;
use crate::ids::{NewSecret, hash_secret, random_bytes};

/// Wrong passwords in a row that lock an account.
pub const LOCK_AFTER_FAILURES: i64 = 5;
/// How long a locked account stays locked (ms).
pub const LOCK_MS: i64 = 15 * 60 * 1000;
/// How long a set-up link works (ms).
pub const SETUP_TTL_MS: i64 = 24 * 60 * 60 * 1000;
/// How long a console session lasts (ms).
pub const SESSION_TTL_MS: i64 = 12 * 60 * 60 * 1000;
/// Password length bounds (characters).
pub const PASSWORD_MIN: usize = 12;
/// Upper bound: Argon2 of a megabyte is a denial of service.
pub const PASSWORD_MAX: usize = 200;

/// What an operator may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Sees verifications, reviews them, sees the audit trail and the overview.
    Reviewer,
    /// Also manages applications, keys, origins, webhooks and operators.
    Admin,
}

impl Role {
    /// Stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    /// Parses `reviewer` or `admin`.
    ///
    /// ```
    /// use idverify_server::operators::Role;
    /// assert_eq!(Role::parse("admin"), Some(Role::Admin));
    /// assert_eq!(Role::parse("root"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "reviewer" => Some(Role::Reviewer),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// Parses an operator's e-mail address: trimmed, lower case, one `@` with text on both sides,
/// at most 254 characters, no spaces or control characters.
///
/// ```
/// use idverify_server::operators::parse_email;
/// assert_eq!(parse_email(" Ann@Example.org ").as_deref(), Some("ann@example.org"));
/// assert!(parse_email("ann").is_none());
/// assert!(parse_email("a b@example.org").is_none());
/// ```
pub fn parse_email(s: &str) -> Option<String> {
    let e = s.trim().to_lowercase();
    let (local, domain) = e.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.contains('@')
        && e.len() <= 254
        && !e.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(e)
}

/// Checks a new password's length; the message says what is wrong.
pub fn check_new_password(pw: &str) -> Result<(), String> {
    let n = pw.chars().count();
    if n < PASSWORD_MIN {
        Err(format!(
            "The password must have at least {PASSWORD_MIN} characters"
        ))
    } else if n > PASSWORD_MAX {
        Err(format!(
            "The password must have at most {PASSWORD_MAX} characters"
        ))
    } else {
        Ok(())
    }
}

/// The Argon2id PHC string of `password` (the crate's default parameters, random salt).
pub fn hash_password(password: &str) -> Result<String, ServerError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|e| ServerError::Crypto(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServerError::Crypto(format!("argon2: {e}")))
}

/// Whether `password` matches the PHC string `hash`. An unreadable hash matches nothing.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash that no password matches, verified for unknown e-mail addresses so that a login's
/// duration does not tell whether an account exists.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        let random = random_bytes::<24>().map(hex::encode).unwrap_or_default();
        hash_password(&random).unwrap_or_default()
    })
}

/// A new TOTP secret (160 bits, as RFC 4226 recommends).
pub fn new_totp_secret() -> Result<Vec<u8>, ServerError> {
    Ok(random_bytes::<20>()?.to_vec())
}

fn totp(secret: &[u8]) -> Option<totp_rs::TOTP> {
    totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, secret.to_vec()).ok()
}

/// Whether `code` is the RFC 6238 code (SHA-1, 6 digits, 30 s, one step of skew) of `secret`
/// at `now_secs`.
pub fn totp_matches(secret: &[u8], code: &str, now_secs: i64) -> bool {
    let code = code.trim();
    let Ok(now) = u64::try_from(now_secs) else {
        return false;
    };
    code.len() == 6
        && code.bytes().all(|b| b.is_ascii_digit())
        && totp(secret).is_some_and(|t| t.check(code, now))
}

/// The current code of `secret` (tests, and the set-up page's self-check).
pub fn totp_code(secret: &[u8], now_secs: i64) -> Option<String> {
    totp(secret).map(|t| t.generate(u64::try_from(now_secs).unwrap_or(0)))
}

/// RFC 4648 base32 without padding, as authenticator apps take secrets.
///
/// ```
/// use idverify_server::operators::base32;
/// assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
/// ```
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            let i = ((buffer >> bits) & 31) as usize;
            out.push(char::from(ALPHABET.get(i).copied().unwrap_or(b'A')));
        }
    }
    if bits > 0 {
        let i = ((buffer << (5 - bits)) & 31) as usize;
        out.push(char::from(ALPHABET.get(i).copied().unwrap_or(b'A')));
    }
    out
}

/// Decodes [`base32`] (case-insensitive, padding ignored); `None` for other characters.
pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in s.trim_end_matches('=').bytes() {
        let v = match c.to_ascii_uppercase() {
            c @ b'A'..=b'Z' => c - b'A',
            c @ b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        buffer = (buffer << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// The `otpauth://` URI an authenticator app enrols from.
pub fn otpauth_uri(issuer: &str, email: &str, secret: &[u8]) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'@') {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period=30",
        enc(issuer),
        enc(email),
        base32(secret),
        enc(issuer)
    )
}

/// A new one-time set-up token (`os_` + 64 hex).
pub fn new_setup_token() -> Result<NewSecret, ServerError> {
    let plain = format!("os_{}", hex::encode(random_bytes::<32>()?));
    Ok(NewSecret {
        hash: hash_secret(&plain),
        plain,
    })
}

/// A new session token (`ss_` + 64 hex), the value of the console's cookie.
pub fn new_session_token() -> Result<NewSecret, ServerError> {
    let plain = format!("ss_{}", hex::encode(random_bytes::<32>()?));
    Ok(NewSecret {
        hash: hash_secret(&plain),
        plain,
    })
}

/// The CSRF token of a session: derived from the session's secret token, so only a page
/// that was handed it by `/console/api/me` (same origin) knows it; the cookie alone does not.
pub fn csrf_token(session_plain: &str) -> String {
    hash_secret(&format!("csrf:{session_plain}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_round_trip_with_argon2id() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "correct horse battery"));
        assert!(!verify_password(&h, "correct horse batterY"));
        assert!(!verify_password(decoy_hash(), "anything at all"));
        assert!(!verify_password("not a hash", "x"));
    }

    #[test]
    fn totp_matches_rfc6238_vectors() {
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890": 8-digit 94287082 at 59 s,
        // so the 6-digit code is 287082.
        let secret = b"12345678901234567890";
        assert!(totp_matches(secret, "287082", 59));
        assert!(totp_matches(secret, "287082", 59 + 30)); // one step of skew
        assert!(!totp_matches(secret, "287082", 59 + 120));
        assert!(!totp_matches(secret, "28708", 59));
        assert!(!totp_matches(secret, "abcdef", 59));
        assert_eq!(totp_code(secret, 1_111_111_109).as_deref(), Some("081804"));
    }

    #[test]
    fn base32_round_trips() {
        let s = new_totp_secret().unwrap();
        assert_eq!(base32_decode(&base32(&s)).unwrap(), s);
        assert_eq!(base32_decode("mzxw6ytboi").unwrap(), b"foobar");
        assert!(base32_decode("MZ1").is_none());
    }

    proptest::proptest! {
        #[test]
        fn base32_round_trips_any_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            proptest::prop_assert_eq!(base32_decode(&base32(&bytes)), Some(bytes));
        }

        #[test]
        fn base32_decode_takes_any_text(s in "\\PC{0,80}") {
            let _ = base32_decode(&s);
        }

        #[test]
        fn parsed_emails_parse_to_themselves(s in "\\PC{0,80}") {
            if let Some(e) = parse_email(&s) {
                proptest::prop_assert_eq!(parse_email(&e), Some(e.clone()));
                proptest::prop_assert!(e.contains('@') && e.len() <= 254);
            }
        }

        #[test]
        fn totp_check_takes_any_code(code in "\\PC{0,12}", now in proptest::num::i64::ANY) {
            let _ = totp_matches(b"12345678901234567890", &code, now);
        }
    }

    #[test]
    fn csrf_differs_per_session() {
        let a = new_session_token().unwrap();
        let b = new_session_token().unwrap();
        assert_ne!(csrf_token(&a.plain), csrf_token(&b.plain));
        assert_ne!(csrf_token(&a.plain), a.hash);
    }
}
