//! A small ES512 verifier: the JWKS key set (P-521 keys with a `kid`), compact JWS tokens
//! (`header.payload.signature`, signature `r || s` of 66 + 66 bytes, base64url) and the detached
//! webhook signature of CONTRACT §4. Pure: no IO, no clock.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p521::ecdsa::signature::Verifier;
use p521::ecdsa::{Signature, VerifyingKey};
use serde::Deserialize;

use crate::Error;

/// Length of one P-521 coordinate in bytes.
const COORD: usize = 66;
/// Length of an ES512 signature (`r || s`) in bytes.
const SIGNATURE_LEN: usize = 2 * COORD;
/// Longest token accepted; a callback or results token is far shorter.
const MAX_TOKEN_LEN: usize = 4 * 1024 * 1024;

/// One public key of the set.
#[derive(Debug, Clone)]
struct PublicKey {
    kid: String,
    key: VerifyingKey,
}

/// The service's public signing keys, as published at `/.well-known/jwks.json`.
///
/// Keys that are not ES512 signing keys on P-521 are ignored, so a set may carry other keys
/// without breaking verification.
///
/// ```
/// use idverify_client::KeySet;
/// let set = KeySet::from_jwks_json(br#"{"keys": []}"#).unwrap();
/// assert!(set.is_empty());
/// assert!(KeySet::from_jwks_json(b"not json").is_err());
/// ```
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    keys: Vec<PublicKey>,
}

#[derive(Deserialize)]
struct JwksDoc {
    keys: Vec<JwkDoc>,
}

#[derive(Deserialize)]
struct JwkDoc {
    kty: Option<String>,
    crv: Option<String>,
    alg: Option<String>,
    #[serde(rename = "use")]
    use_: Option<String>,
    kid: Option<String>,
    x: Option<String>,
    y: Option<String>,
}

impl JwkDoc {
    fn into_key(self) -> Result<Option<PublicKey>, Error> {
        let is_p521 = self.kty.as_deref() == Some("EC") && self.crv.as_deref() == Some("P-521");
        let alg_ok = self.alg.as_deref().is_none_or(|a| a == "ES512");
        let use_ok = self.use_.as_deref().is_none_or(|u| u == "sig");
        if !(is_p521 && alg_ok && use_ok) {
            return Ok(None);
        }
        let kid = self
            .kid
            .ok_or_else(|| Error::Jwks("an ES512 key has no kid".into()))?;
        let coord = |c: Option<String>, name: &str| -> Result<Vec<u8>, Error> {
            let bytes = c
                .and_then(|c| URL_SAFE_NO_PAD.decode(c).ok())
                .ok_or_else(|| Error::Jwks(format!("key {kid:?}: {name} is not base64url")))?;
            if bytes.len() != COORD {
                return Err(Error::Jwks(format!(
                    "key {kid:?}: {name} has {} bytes, not {COORD}",
                    bytes.len()
                )));
            }
            Ok(bytes)
        };
        let x = coord(self.x, "x")?;
        let y = coord(self.y, "y")?;
        let mut sec1 = Vec::with_capacity(1 + 2 * COORD);
        sec1.push(4);
        sec1.extend_from_slice(&x);
        sec1.extend_from_slice(&y);
        let key = VerifyingKey::from_sec1_bytes(&sec1)
            .map_err(|_| Error::Jwks(format!("key {kid:?} is not a point on P-521")))?;
        Ok(Some(PublicKey { kid, key }))
    }
}

/// The parts of a token this crate reads from its header.
#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
    crit: Option<serde_json::Value>,
}

/// A token whose signature holds: the key that signed it and its payload bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    /// The `kid` of the key that signed it.
    pub kid: String,
    /// The payload (JSON bytes).
    pub payload: Vec<u8>,
}

impl VerifiedToken {
    /// Deserialises the payload.
    pub fn claims<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.payload).map_err(|e| Error::Claims(e.to_string()))
    }
}

impl KeySet {
    /// Parses a JWKS document (`{"keys": [...]}`).
    pub fn from_jwks_json(bytes: &[u8]) -> Result<KeySet, Error> {
        let doc: JwksDoc =
            serde_json::from_slice(bytes).map_err(|e| Error::Jwks(format!("not a JWKS: {e}")))?;
        let mut keys = Vec::new();
        for jwk in doc.keys {
            if let Some(k) = jwk.into_key()? {
                keys.push(k);
            }
        }
        Ok(KeySet { keys })
    }

    /// Whether the set has no ES512 key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Number of ES512 keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether a key with this `kid` is in the set.
    pub fn contains(&self, kid: &str) -> bool {
        self.keys.iter().any(|k| k.kid == kid)
    }

    /// The `kid` a compact token's header names, without verifying anything.
    pub fn token_kid(token: &str) -> Result<String, Error> {
        let (header, _, _) = split(token)?;
        parse_header(header)?
            .kid
            .ok_or(Error::MalformedToken("the header has no kid"))
    }

    /// Verifies a compact ES512 JWS with the key its header's `kid` names.
    ///
    /// Errors: [`Error::MalformedToken`], [`Error::UnsupportedAlgorithm`] for anything but
    /// `ES512`, [`Error::UnknownKid`] when no key of the set has the `kid` (fetch the JWKS again
    /// then: the key may be new), [`Error::BadSignature`].
    pub fn verify_token(&self, token: &str) -> Result<VerifiedToken, Error> {
        let (h, p, s) = split(token)?;
        let header = parse_header(h)?;
        if header.alg != "ES512" {
            return Err(Error::UnsupportedAlgorithm(header.alg));
        }
        if header.crit.is_some() {
            return Err(Error::MalformedToken(
                "the header has critical extensions this verifier does not know",
            ));
        }
        let kid = header
            .kid
            .ok_or(Error::MalformedToken("the header has no kid"))?;
        let key = self
            .keys
            .iter()
            .find(|k| k.kid == kid)
            .ok_or_else(|| Error::UnknownKid(kid.clone()))?;
        let sig = decode_signature(s)?;
        // The signing input is the two encoded parts exactly as received.
        let input_len = h.len() + 1 + p.len();
        let signing_input = token.get(..input_len).unwrap_or_default();
        key.key
            .verify(signing_input.as_bytes(), &sig)
            .map_err(|_| Error::BadSignature)?;
        let payload = URL_SAFE_NO_PAD
            .decode(p)
            .map_err(|_| Error::MalformedToken("the payload is not base64url"))?;
        Ok(VerifiedToken { kid, payload })
    }

    /// Verifies a detached base64url ES512 signature of `msg` against every key of the set
    /// (webhook signatures carry no `kid`); returns the `kid` of the key that verifies.
    pub fn verify_detached(&self, msg: &[u8], signature_b64: &str) -> Result<&str, Error> {
        let sig = decode_signature(signature_b64.trim())?;
        self.keys
            .iter()
            .find(|k| k.key.verify(msg, &sig).is_ok())
            .map(|k| k.kid.as_str())
            .ok_or(Error::BadSignature)
    }
}

fn split(token: &str) -> Result<(&str, &str, &str), Error> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(Error::MalformedToken("the token is too long"));
    }
    let mut parts = token.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(s), None) if !h.is_empty() && !s.is_empty() => Ok((h, p, s)),
        _ => Err(Error::MalformedToken(
            "a compact JWS has three non-empty dot-separated parts",
        )),
    }
}

fn parse_header(h: &str) -> Result<Header, Error> {
    let bytes = URL_SAFE_NO_PAD
        .decode(h)
        .map_err(|_| Error::MalformedToken("the header is not base64url"))?;
    serde_json::from_slice(&bytes).map_err(|_| Error::MalformedToken("the header is not JSON"))
}

fn decode_signature(s: &str) -> Result<Signature, Error> {
    let bytes = URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| Error::MalformedToken("the signature is not base64url"))?;
    if bytes.len() != SIGNATURE_LEN {
        return Err(Error::MalformedToken(
            "an ES512 signature is 132 bytes (r || s)",
        ));
    }
    Signature::from_slice(&bytes).map_err(|_| Error::BadSignature)
}

/// The bytes a webhook signature covers: the body followed by the timestamp's digits.
///
/// ```
/// assert_eq!(idverify_client::webhook_message(b"{}", "1700000000"), b"{}1700000000");
/// ```
pub fn webhook_message(body: &[u8], timestamp: &str) -> Vec<u8> {
    let mut msg = Vec::with_capacity(body.len() + timestamp.len());
    msg.extend_from_slice(body);
    msg.extend_from_slice(timestamp.as_bytes());
    msg
}

/// Parses `X-Timestamp` (Unix seconds, digits only) and checks it is within `tolerance_secs`
/// of `now_unix`.
pub fn check_timestamp(timestamp: &str, now_unix: i64, tolerance_secs: i64) -> Result<i64, Error> {
    let ts = timestamp.trim();
    if ts.is_empty() || ts.len() > 18 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::MalformedTimestamp);
    }
    let ts: i64 = ts.parse().map_err(|_| Error::MalformedTimestamp)?;
    let skew = now_unix.saturating_sub(ts).saturating_abs();
    if skew > tolerance_secs {
        return Err(Error::StaleTimestamp {
            timestamp: ts,
            now: now_unix,
            tolerance_secs,
        });
    }
    Ok(ts)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use p521::ecdsa::SigningKey;
    use p521::ecdsa::signature::Signer;

    /// A P-521 key from a seed: 66 bytes whose top byte keeps the scalar below the order.
    pub(crate) fn key(seed: u8) -> SigningKey {
        let mut bytes = [0u8; COORD];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (i as u8)
                .wrapping_mul(31)
                .wrapping_add(seed)
                .wrapping_mul(7)
                ^ 0x5a;
        }
        bytes[0] = 0x01;
        SigningKey::from_slice(&bytes).unwrap()
    }

    pub(crate) fn jwk(kid: &str, k: &SigningKey) -> serde_json::Value {
        let point = k.verifying_key().to_sec1_point(false);
        let b = point.as_bytes();
        serde_json::json!({"kty": "EC", "crv": "P-521", "alg": "ES512", "use": "sig", "kid": kid,
            "x": URL_SAFE_NO_PAD.encode(&b[1..67]), "y": URL_SAFE_NO_PAD.encode(&b[67..133])})
    }

    pub(crate) fn sign_token(kid: &str, k: &SigningKey, claims: &serde_json::Value) -> String {
        let header = serde_json::json!({"alg": "ES512", "typ": "JWT", "kid": kid});
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).unwrap()),
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap())
        );
        let sig: Signature = k.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()))
    }

    fn set(keys: &[(&str, &SigningKey)]) -> KeySet {
        let doc = serde_json::json!({"keys": keys.iter().map(|(kid, k)| jwk(kid, k)).collect::<Vec<_>>()});
        KeySet::from_jwks_json(&serde_json::to_vec(&doc).unwrap()).unwrap()
    }

    #[test]
    fn token_verifies_with_its_kid_and_fails_when_tampered() {
        let (k1, k2) = (key(1), key(2));
        let ks = set(&[("old", &k1), ("new", &k2)]);
        let claims = serde_json::json!({"resultUrl": "http://x/verifications/results/ab", "id": "ab", "iss": "idverify", "iat": 1});
        let t = sign_token("new", &k2, &claims);
        let v = ks.verify_token(&t).unwrap();
        assert_eq!(v.kid, "new");
        let got: serde_json::Value = v.claims().unwrap();
        assert_eq!(got, claims);

        // Signed by k1 but claiming k2's kid.
        let wrong = sign_token("new", &k1, &claims);
        assert!(matches!(ks.verify_token(&wrong), Err(Error::BadSignature)));

        // Payload swapped.
        let other = sign_token("new", &k2, &serde_json::json!({"id": "evil"}));
        let parts: Vec<&str> = t.split('.').collect();
        let other_parts: Vec<&str> = other.split('.').collect();
        let spliced = format!("{}.{}.{}", parts[0], other_parts[1], parts[2]);
        assert!(matches!(
            ks.verify_token(&spliced),
            Err(Error::BadSignature)
        ));
    }

    #[test]
    fn unknown_kid_wrong_alg_and_malformed_tokens_are_typed_errors() {
        let k1 = key(1);
        let ks = set(&[("k1", &k1)]);
        let t = sign_token("k9", &k1, &serde_json::json!({"id": "x"}));
        assert!(matches!(ks.verify_token(&t), Err(Error::UnknownKid(k)) if k == "k9"));
        assert_eq!(KeySet::token_kid(&t).unwrap(), "k9");

        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none","kid":"k1"}"#),
            URL_SAFE_NO_PAD.encode(b"{}")
        );
        assert!(ks.verify_token(&none).is_err());
        let hs = format!(
            "{}.{}.AAAA",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"HS512","kid":"k1"}"#),
            URL_SAFE_NO_PAD.encode(b"{}")
        );
        assert!(
            matches!(ks.verify_token(&hs), Err(Error::UnsupportedAlgorithm(a)) if a == "HS512")
        );
        for bad in ["", "a.b", "a.b.c.d", "!!.!!.!!", "e30.e30.AAAA"] {
            assert!(
                matches!(ks.verify_token(bad), Err(Error::MalformedToken(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn detached_webhook_signature_and_timestamp() {
        let (k1, k2) = (key(1), key(2));
        let ks = set(&[("k1", &k1), ("k2", &k2)]);
        let body = br#"{"id":"ab"}"#;
        let sig: Signature = k2.sign(&webhook_message(body, "1700000000"));
        let sig = URL_SAFE_NO_PAD.encode(sig.to_bytes());
        assert_eq!(
            ks.verify_detached(&webhook_message(body, "1700000000"), &sig)
                .unwrap(),
            "k2"
        );
        assert!(matches!(
            ks.verify_detached(&webhook_message(body, "1700000001"), &sig),
            Err(Error::BadSignature)
        ));
        assert!(
            ks.verify_detached(&webhook_message(br#"{"id":"ac"}"#, "1700000000"), &sig)
                .is_err()
        );
        assert_eq!(
            check_timestamp("1700000000", 1700000100, 300).unwrap(),
            1700000000
        );
        assert!(matches!(
            check_timestamp("1700000000", 1700000400, 300),
            Err(Error::StaleTimestamp { .. })
        ));
        for bad in ["", "-5", "12a", "1e9", "99999999999999999999"] {
            assert!(matches!(
                check_timestamp(bad, 0, 300),
                Err(Error::MalformedTimestamp)
            ));
        }
    }

    #[test]
    fn jwks_ignores_foreign_keys_and_rejects_broken_ones() {
        let k1 = key(1);
        let mut doc = serde_json::json!({"keys": [jwk("k1", &k1), {"kty": "RSA", "kid": "r", "n": "x", "e": "AQAB"}]});
        let ks = KeySet::from_jwks_json(&serde_json::to_vec(&doc).unwrap()).unwrap();
        assert_eq!(ks.len(), 1);
        assert!(ks.contains("k1") && !ks.contains("r"));
        doc["keys"][0]["x"] = serde_json::json!("AAAA");
        assert!(matches!(
            KeySet::from_jwks_json(&serde_json::to_vec(&doc).unwrap()),
            Err(Error::Jwks(_))
        ));
    }
}
