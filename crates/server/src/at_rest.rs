//! Encryption at rest: XChaCha20-Poly1305 with a 256-bit key from the configuration or from a
//! key file created with mode 0600 on first start. Every sealed value is bound to its context
//! (associated data), so a value cannot be moved to another row unnoticed.

use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

use crate::error::ServerError;
use crate::ids::random_bytes;

const VERSION: u8 = 1;
const NONCE_LEN: usize = 24;

/// Seals and opens data at rest.
#[derive(Clone)]
pub struct Sealer {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(<key redacted>)")
    }
}

impl Sealer {
    /// A sealer with this 256-bit key.
    pub fn new(key: [u8; 32]) -> Self {
        Sealer {
            cipher: XChaCha20Poly1305::new(&Key::from(key)),
        }
    }

    /// Parses a key given as 64 hex characters.
    pub fn from_hex(hex_key: &str) -> Result<Self, ServerError> {
        let bytes = hex::decode(hex_key.trim())
            .map_err(|_| ServerError::Config("encryption key is not hex".into()))?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| {
            ServerError::Config("encryption key must be 32 bytes (64 hex characters)".into())
        })?;
        Ok(Sealer::new(key))
    }

    /// Reads the key file at `path`, creating it (mode 0600, 32 random bytes as hex) when it
    /// does not exist.
    pub fn from_key_file(path: &Path) -> Result<Self, ServerError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Sealer::from_hex(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                let key = random_bytes::<32>()?;
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.mode(0o600);
                }
                match options.open(path) {
                    Ok(mut file) => {
                        use std::io::Write;
                        file.write_all(hex::encode(key).as_bytes())?;
                        file.sync_all()?;
                        Ok(Sealer::new(key))
                    }
                    // Another process created it first: use theirs.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        Sealer::from_hex(&std::fs::read_to_string(path)?)
                    }
                    Err(e) => Err(e.into()),
                }
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Encrypts `plain` bound to `context`: `version || nonce || ciphertext+tag`.
    pub fn seal(&self, plain: &[u8], context: &str) -> Result<Vec<u8>, ServerError> {
        let nonce = random_bytes::<NONCE_LEN>()?;
        let ct = self
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plain,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| ServerError::Crypto("seal failed".into()))?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + ct.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Decrypts what `seal` produced with the same `context`.
    pub fn open(&self, sealed: &[u8], context: &str) -> Result<Vec<u8>, ServerError> {
        let (version, rest) = sealed
            .split_first()
            .ok_or_else(|| ServerError::Crypto("empty sealed value".into()))?;
        if *version != VERSION || rest.len() < NONCE_LEN {
            return Err(ServerError::Crypto("unknown sealed value format".into()));
        }
        let (nonce, ct) = rest.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce
            .try_into()
            .map_err(|_| ServerError::Crypto("bad nonce".into()))?;
        self.cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ct,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| ServerError::Crypto("open failed (wrong key or tampered data)".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_context_binding() {
        let s = Sealer::new([7; 32]);
        let sealed = s.seal(b"DE BRUIJN", "v:1").unwrap();
        assert!(!sealed.windows(9).any(|w| w == b"DE BRUIJN"));
        assert_eq!(s.open(&sealed, "v:1").unwrap(), b"DE BRUIJN");
        assert!(s.open(&sealed, "v:2").is_err());
        assert!(Sealer::new([8; 32]).open(&sealed, "v:1").is_err());
        assert!(s.open(&[], "v:1").is_err());
    }

    #[test]
    fn key_file_is_created_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/master.key");
        let a = Sealer::from_key_file(&path).unwrap();
        let sealed = a.seal(b"x", "c").unwrap();
        let b = Sealer::from_key_file(&path).unwrap();
        assert_eq!(b.open(&sealed, "c").unwrap(), b"x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
