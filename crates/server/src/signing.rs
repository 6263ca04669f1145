//! ES512 signing: P-521 keys with a `kid`, a small compact JWS (`header.payload.signature`,
//! signature `r || s`, 66 + 66 bytes), the JWKS, and the webhook signature of CONTRACT §4.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p521::ecdsa::signature::{Signer, Verifier};
use p521::ecdsa::{Signature, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::error::ServerError;

/// Length of one P-521 coordinate or scalar in bytes.
const COORD: usize = 66;

/// Base64url without padding.
pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// One signing key and its id.
#[derive(Clone)]
pub struct KeyPair {
    /// Key id, published in the JWKS and in every token's header.
    pub kid: String,
    key: SigningKey,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl KeyPair {
    /// A fresh key from the OS CSPRNG.
    pub fn generate(kid: String) -> Result<Self, ServerError> {
        // Rejection sampling: a random 66-byte string is a valid scalar when it is below the
        // group order; with the top 7 bits cleared that happens nearly always.
        for _ in 0..64 {
            let mut bytes = crate::ids::random_bytes::<COORD>()?;
            if let Some(first) = bytes.first_mut() {
                *first &= 0x01;
            }
            if let Ok(key) = SigningKey::from_slice(&bytes) {
                return Ok(KeyPair { kid, key });
            }
        }
        Err(ServerError::Signing(
            "could not generate a P-521 key".into(),
        ))
    }

    /// Restores a key from its 66-byte scalar.
    pub fn from_scalar(kid: String, scalar: &[u8]) -> Result<Self, ServerError> {
        let key = SigningKey::from_slice(scalar)
            .map_err(|_| ServerError::Signing("stored key is not a P-521 scalar".into()))?;
        Ok(KeyPair { kid, key })
    }

    /// The 66-byte private scalar (store it sealed).
    pub fn scalar(&self) -> Vec<u8> {
        self.key.to_bytes().to_vec()
    }

    /// The public key as a JWK.
    pub fn jwk(&self) -> Result<Jwk, ServerError> {
        let point = self.key.verifying_key().to_sec1_point(false);
        let bytes = point.as_bytes();
        // Uncompressed SEC1: 0x04 || x || y.
        let x = bytes.get(1..1 + COORD);
        let y = bytes.get(1 + COORD..1 + 2 * COORD);
        match (x, y) {
            (Some(x), Some(y)) => Ok(Jwk::es512(self.kid.clone(), b64(x), b64(y))),
            _ => Err(ServerError::Signing(
                "unexpected public key encoding".into(),
            )),
        }
    }

    /// Raw `r || s` signature of `msg`, base64url.
    pub fn sign_b64(&self, msg: &[u8]) -> String {
        let sig: Signature = self.key.sign(msg);
        b64(&sig.to_bytes())
    }

    /// A compact JWS (`alg` ES512, `typ` JWT, `kid`) of `claims`.
    pub fn sign_jwt<T: Serialize>(&self, claims: &T) -> Result<String, ServerError> {
        let header = serde_json::json!({"alg": "ES512", "typ": "JWT", "kid": self.kid});
        let signing_input = format!(
            "{}.{}",
            b64(&serde_json::to_vec(&header)?),
            b64(&serde_json::to_vec(claims)?)
        );
        let sig = self.sign_b64(signing_input.as_bytes());
        Ok(format!("{signing_input}.{sig}"))
    }
}

/// A public key in JWK form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    /// `EC`.
    pub kty: String,
    /// `P-521`.
    pub crv: String,
    /// Base64url x coordinate (66 bytes).
    pub x: String,
    /// Base64url y coordinate (66 bytes).
    pub y: String,
    /// `ES512`.
    pub alg: String,
    /// `sig`.
    #[serde(rename = "use")]
    pub use_: String,
    /// Key id.
    pub kid: String,
}

impl Jwk {
    /// An ES512 signing JWK.
    pub fn es512(kid: String, x: String, y: String) -> Self {
        Jwk {
            kty: "EC".into(),
            crv: "P-521".into(),
            x,
            y,
            alg: "ES512".into(),
            use_: "sig".into(),
            kid,
        }
    }

    fn verifying_key(&self) -> Option<VerifyingKey> {
        let x = URL_SAFE_NO_PAD.decode(&self.x).ok()?;
        let y = URL_SAFE_NO_PAD.decode(&self.y).ok()?;
        if x.len() != COORD || y.len() != COORD {
            return None;
        }
        let mut sec1 = Vec::with_capacity(1 + 2 * COORD);
        sec1.push(4);
        sec1.extend_from_slice(&x);
        sec1.extend_from_slice(&y);
        VerifyingKey::from_sec1_bytes(&sec1).ok()
    }

    /// Verifies a base64url `r || s` signature of `msg` with this key.
    pub fn verify_b64(&self, msg: &[u8], sig_b64: &str) -> bool {
        let Some(key) = self.verifying_key() else {
            return false;
        };
        let Ok(sig) = URL_SAFE_NO_PAD.decode(sig_b64) else {
            return false;
        };
        let Ok(sig) = Signature::from_slice(&sig) else {
            return false;
        };
        key.verify(msg, &sig).is_ok()
    }
}

/// The JWKS document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwks {
    /// Every key that may have signed a live token.
    pub keys: Vec<Jwk>,
}

impl Jwks {
    /// Verifies a compact JWS against the key its header names; returns the payload JSON.
    pub fn verify_jwt(&self, token: &str) -> Option<serde_json::Value> {
        let mut parts = token.split('.');
        let (h, p, s) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(h).ok()?).ok()?;
        if header.get("alg")?.as_str()? != "ES512" {
            return None;
        }
        let kid = header.get("kid")?.as_str()?;
        let jwk = self.keys.iter().find(|k| k.kid == kid)?;
        let signing_input = format!("{h}.{p}");
        if !jwk.verify_b64(signing_input.as_bytes(), s) {
            return None;
        }
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).ok()?).ok()
    }

    /// Verifies a webhook signature (body bytes followed by the timestamp digits) against any
    /// key of the set.
    pub fn verify_webhook(&self, body: &[u8], timestamp: &str, sig_b64: &str) -> bool {
        let msg = webhook_message(body, timestamp);
        self.keys.iter().any(|k| k.verify_b64(&msg, sig_b64))
    }
}

/// The bytes a webhook signature covers: the body followed by the timestamp's digits.
pub fn webhook_message(body: &[u8], timestamp: &str) -> Vec<u8> {
    let mut msg = Vec::with_capacity(body.len() + timestamp.len());
    msg.extend_from_slice(body);
    msg.extend_from_slice(timestamp.as_bytes());
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_round_trip_and_tamper() {
        let k = KeyPair::generate("k1".into()).unwrap();
        let jwks = Jwks {
            keys: vec![k.jwk().unwrap()],
        };
        let t = k
            .sign_jwt(&serde_json::json!({"id": "abc", "iss": "idverify"}))
            .unwrap();
        let sig = t.rsplit('.').next().unwrap();
        assert_eq!(URL_SAFE_NO_PAD.decode(sig).unwrap().len(), 132);
        assert_eq!(jwks.verify_jwt(&t).unwrap()["id"], "abc");
        let mut bad = t.clone();
        bad.insert(5, 'A');
        assert!(jwks.verify_jwt(&bad).is_none());
        let other = KeyPair::generate("k1".into()).unwrap();
        let jwks2 = Jwks {
            keys: vec![other.jwk().unwrap()],
        };
        assert!(jwks2.verify_jwt(&t).is_none());
    }

    #[test]
    fn scalar_round_trip_and_webhook_signature() {
        let k = KeyPair::generate("k2".into()).unwrap();
        let k2 = KeyPair::from_scalar("k2".into(), &k.scalar()).unwrap();
        assert_eq!(k.jwk().unwrap(), k2.jwk().unwrap());
        let sig = k2.sign_b64(&webhook_message(b"{}", "1700000000"));
        let jwks = Jwks {
            keys: vec![k.jwk().unwrap()],
        };
        assert!(jwks.verify_webhook(b"{}", "1700000000", &sig));
        assert!(!jwks.verify_webhook(b"{}", "1700000001", &sig));
    }
}
