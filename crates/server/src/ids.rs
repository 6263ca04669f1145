//! Identifiers and secrets: verification ids, application keys and verification tokens —
//! generated from the OS CSPRNG, stored as SHA-256, compared in constant time.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::ServerError;

/// `N` bytes from the operating system's CSPRNG.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], ServerError> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| ServerError::Random(e.to_string()))?;
    Ok(buf)
}

/// A verification id: 36 lowercase hex characters (18 random bytes).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VerificationId(String);

impl VerificationId {
    /// A fresh random id.
    pub fn generate() -> Result<Self, ServerError> {
        Ok(VerificationId(hex::encode(random_bytes::<18>()?)))
    }

    /// Parses an id; `None` unless it is exactly 36 lowercase hex characters.
    ///
    /// ```
    /// use idverify_server::ids::VerificationId;
    /// assert!(VerificationId::parse("b2dce275031c3785ec1b7ac89983c67e1a9f").is_some());
    /// assert!(VerificationId::parse("B2DCE275031C3785EC1B7AC89983C67E1A9F").is_none());
    /// assert!(VerificationId::parse("../etc/passwd").is_none());
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        let ok = s.len() == 36 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        ok.then(|| VerificationId(s.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for VerificationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The two kinds of application key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// `pk_…`: safe in a browser; creates and feeds verifications.
    Publishable,
    /// `sk_…`: server side; reads results.
    Secret,
}

impl KeyKind {
    /// Stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Publishable => "publishable",
            KeyKind::Secret => "secret",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "publishable" => Some(KeyKind::Publishable),
            "secret" => Some(KeyKind::Secret),
            _ => None,
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            KeyKind::Publishable => "pk_",
            KeyKind::Secret => "sk_",
        }
    }
}

/// A freshly generated secret (key or token) and what is stored of it.
#[derive(Clone)]
pub struct NewSecret {
    /// The plain value, shown once.
    pub plain: String,
    /// SHA-256 of the plain value, hex.
    pub hash: String,
}

impl std::fmt::Debug for NewSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSecret")
            .field("plain", &"<redacted>")
            .field("hash", &self.hash)
            .finish()
    }
}

/// A new application key of `kind` (`pk_`/`sk_` + 64 hex characters).
pub fn new_key(kind: KeyKind) -> Result<NewSecret, ServerError> {
    let plain = format!("{}{}", kind.prefix(), hex::encode(random_bytes::<32>()?));
    let hash = hash_secret(&plain);
    Ok(NewSecret { plain, hash })
}

/// A new verification token (`vt_` + 64 hex characters).
pub fn new_token() -> Result<NewSecret, ServerError> {
    let plain = format!("vt_{}", hex::encode(random_bytes::<32>()?));
    let hash = hash_secret(&plain);
    Ok(NewSecret { plain, hash })
}

/// SHA-256 hex of a high-entropy secret (a fast hash is right for 256-bit random keys).
pub fn hash_secret(plain: &str) -> String {
    hex::encode(Sha256::digest(plain.as_bytes()))
}

/// A short, non-secret name for a key in the audit trail: the first 12 hex digits of its hash.
pub fn key_id(hash: &str) -> String {
    format!("key_{}", hash.get(..12).unwrap_or(hash))
}

/// Constant-time equality of two hashes.
pub fn hashes_equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// A random opaque name (blob names, delivery ids, key ids).
pub fn random_name() -> Result<String, ServerError> {
    Ok(hex::encode(random_bytes::<16>()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_parse_and_differ() {
        let a = VerificationId::generate().unwrap();
        let b = VerificationId::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(VerificationId::parse(a.as_str()), Some(a));
    }

    #[test]
    fn keys_have_prefix_and_hash() {
        let k = new_key(KeyKind::Secret).unwrap();
        assert!(k.plain.starts_with("sk_"));
        assert_eq!(k.plain.len(), 67);
        assert!(hashes_equal(&hash_secret(&k.plain), &k.hash));
        assert!(!hashes_equal(&hash_secret("sk_other"), &k.hash));
        assert!(!format!("{k:?}").contains(&k.plain));
    }
}
