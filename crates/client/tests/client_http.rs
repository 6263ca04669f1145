//! The client over real HTTP on 127.0.0.1: JWKS caching, the refetch on an unknown `kid` after a
//! key rotation, results fetched with the secret key and their token checked, error mapping, and
//! webhook verification. A tiny HTTP/1.1 responder plays the service's three routes.

// Test helpers outside #[test] functions: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use idverify_client::{Client, Error, webhook_message};
use p521::ecdsa::signature::Signer;
use p521::ecdsa::{Signature, SigningKey};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ID: &str = "b2dce275031c3785ec1b7ac89983c67e1a9f";
const SECRET: &str = "sk_test_secret";

fn key(seed: u8) -> SigningKey {
    let mut bytes = [0u8; 66];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = (i as u8)
            .wrapping_mul(13)
            .wrapping_add(seed)
            .wrapping_mul(11)
            ^ 0x3c;
    }
    bytes[0] = 0x01;
    SigningKey::from_slice(&bytes).unwrap()
}

fn jwk(kid: &str, k: &SigningKey) -> serde_json::Value {
    let point = k.verifying_key().to_sec1_point(false);
    let b = point.as_bytes();
    serde_json::json!({"kty": "EC", "crv": "P-521", "alg": "ES512", "use": "sig", "kid": kid,
        "x": URL_SAFE_NO_PAD.encode(&b[1..67]), "y": URL_SAFE_NO_PAD.encode(&b[67..133])})
}

fn sign(kid: &str, k: &SigningKey, claims: &serde_json::Value) -> String {
    let header = serde_json::json!({"alg": "ES512", "typ": "JWT", "kid": kid});
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).unwrap()),
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap())
    );
    let sig: Signature = k.sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()))
}

fn result_json(base: &str) -> serde_json::Value {
    serde_json::json!({
        "results": {"status": "approved", "concerns": []},
        "checks": [{"name": "docCheck", "status": "approved", "comment": "Found 0 issue(s)."}],
        "documents": [{"name": "document", "files": [{"kind": "front", "mediaType": "image/jpeg",
            "uri": format!("{base}/verifications/results/{ID}/files/front")}]}],
        "metadata": {"platform": "web", "ipAddress": "127.0.0.1", "country": "", "city": "", "userAgent": "t"},
        "status": "done",
        "attributes": {"documentType": "passport", "firstName": "ANNA", "originalFirstName": "Anna",
            "lastName": "ERIKSSON", "originalLastName": "Eriksson", "documentNumbers": [],
            "idNumber": "", "referenceId": "", "gender": "female", "nationality": "UTO",
            "issueCountry": "UTO", "dateOfExpiry": "2031-08-02", "dateOfBirth": "1974-08-12", "placeOfBirth": ""}
    })
}

/// What the fake service publishes; the test changes it to rotate keys.
struct Service {
    jwks: Mutex<serde_json::Value>,
    results_token: Mutex<String>,
    jwks_hits: AtomicUsize,
    base: Mutex<String>,
}

async fn spawn(service: Arc<Service>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    *service.base.lock().unwrap() = base.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let svc = service.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let req = String::from_utf8_lossy(&buf).to_string();
                let path = req.split_whitespace().nth(1).unwrap_or("").to_string();
                let has_key = req
                    .lines()
                    .any(|l| l.eq_ignore_ascii_case(&format!("x-api-key: {SECRET}")));
                let (status, ctype, body): (u16, &str, Vec<u8>) = if path
                    == "/.well-known/jwks.json"
                {
                    svc.jwks_hits.fetch_add(1, Ordering::SeqCst);
                    (
                        200,
                        "application/json",
                        serde_json::to_vec(&*svc.jwks.lock().unwrap()).unwrap(),
                    )
                } else if !has_key {
                    (
                        403,
                        "application/json",
                        br#"{"statusCode":403,"message":"Forbidden resource","error":"Forbidden"}"#
                            .to_vec(),
                    )
                } else if path == format!("/verifications/results/{ID}") {
                    let base = svc.base.lock().unwrap().clone();
                    let body = serde_json::json!({"data": result_json(&base), "signed": *svc.results_token.lock().unwrap()});
                    (200, "application/json", serde_json::to_vec(&body).unwrap())
                } else if path == format!("/verifications/results/{ID}/files/front") {
                    (200, "image/jpeg", vec![0xff, 0xd8, 0xff, 0xd9])
                } else {
                    (404, "application/json", br#"{"statusCode":404,"message":"Verification not found","error":"Not Found"}"#.to_vec())
                };
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: {ctype}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(&body).await;
            });
        }
    });
    base
}

#[tokio::test]
async fn caches_jwks_refetches_after_rotation_and_fetches_results() {
    let (k1, k2) = (key(1), key(2));
    let svc = Arc::new(Service {
        jwks: Mutex::new(serde_json::json!({"keys": [jwk("k1", &k1)]})),
        results_token: Mutex::new(String::new()),
        jwks_hits: AtomicUsize::new(0),
        base: Mutex::new(String::new()),
    });
    let base = spawn(svc.clone()).await;
    let client = Client::new(&base)
        .unwrap()
        .with_secret_key(SECRET)
        .with_issuer("idverify");
    let result_url = format!("{base}/verifications/results/{ID}");
    let claims = serde_json::json!({"resultUrl": result_url, "id": ID, "iss": "idverify", "iat": 1_700_000_000});

    let t1 = sign("k1", &k1, &claims);
    for _ in 0..3 {
        let c = client.verify_callback_token(&t1).await.unwrap();
        assert_eq!(c.id, ID);
        assert_eq!(c.result_url, result_url);
    }
    assert_eq!(
        svc.jwks_hits.load(Ordering::SeqCst),
        1,
        "the JWKS is cached"
    );

    // A token from another issuer is refused.
    let other_iss = sign(
        "k1",
        &k1,
        &serde_json::json!({"resultUrl": result_url, "id": ID, "iss": "evil"}),
    );
    assert!(matches!(
        client.verify_callback_token(&other_iss).await,
        Err(Error::Claims(_))
    ));

    // Rotation: k2 is published; a k2 token makes the client fetch the JWKS again — but not
    // within 5 s of the last fetch, so wait that out first.
    *svc.jwks.lock().unwrap() = serde_json::json!({"keys": [jwk("k1", &k1), jwk("k2", &k2)]});
    let t2 = sign("k2", &k2, &claims);
    assert!(
        matches!(client.verify_callback_token(&t2).await, Err(Error::UnknownKid(k)) if k == "k2")
    );
    assert_eq!(
        svc.jwks_hits.load(Ordering::SeqCst),
        1,
        "refetch is rate limited"
    );
    tokio::time::sleep(std::time::Duration::from_millis(5100)).await;
    assert_eq!(client.verify_callback_token(&t2).await.unwrap().id, ID);
    assert_eq!(svc.jwks_hits.load(Ordering::SeqCst), 2);
    assert_eq!(client.verify_callback_token(&t1).await.unwrap().id, ID);

    // Results: the answer's token must verify and name the same id.
    *svc.results_token.lock().unwrap() = sign(
        "k2",
        &k2,
        &serde_json::json!({"iss": "idverify", "id": ID, "iat": 1, "data": result_json(&base)}),
    );
    let res = client.fetch_result(ID).await.unwrap();
    assert_eq!(res.data.attributes.original_first_name, "Anna");
    let doc = client
        .fetch_document(&res.data.documents[0].files[0].uri)
        .await
        .unwrap();
    assert_eq!(doc.media_type, "image/jpeg");
    assert_eq!(doc.bytes, vec![0xff, 0xd8, 0xff, 0xd9]);
    assert!(matches!(
        client.fetch_document("http://elsewhere.invalid/x").await,
        Err(Error::ForeignUri(_))
    ));

    *svc.results_token.lock().unwrap() = sign(
        "k2",
        &k2,
        &serde_json::json!({"iss": "idverify", "id": "ffffffffffffffffffffffffffffffffffff", "data": result_json(&base)}),
    );
    assert!(matches!(
        client.fetch_result(ID).await,
        Err(Error::Claims(_))
    ));

    assert!(matches!(
        client
            .fetch_result("000000000000000000000000000000000000")
            .await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        client.fetch_result("../../etc").await,
        Err(Error::BadId(_))
    ));
    let no_key = Client::new(&base).unwrap();
    assert!(matches!(
        no_key.fetch_result(ID).await,
        Err(Error::NoSecretKey)
    ));
    let wrong_key = Client::new(&base).unwrap().with_secret_key("sk_wrong");
    assert!(matches!(
        wrong_key.fetch_result(ID).await,
        Err(Error::Forbidden)
    ));
}

#[tokio::test]
async fn webhook_signature_timestamp_and_body() {
    let k1 = key(7);
    let svc = Arc::new(Service {
        jwks: Mutex::new(serde_json::json!({"keys": [jwk("w1", &k1)]})),
        results_token: Mutex::new(String::new()),
        jwks_hits: AtomicUsize::new(0),
        base: Mutex::new(String::new()),
    });
    let base = spawn(svc).await;
    let client = Client::new(&base).unwrap();
    let ocr = serde_json::json!({"applicationStatus": "approved", "resultUrl": format!("{base}/verifications/results/{ID}"),
        "id": ID, "signed": "x.y.z", "data": {"status": "done", "attributes": result_json(&base)["attributes"]}});
    let body = serde_json::to_vec(&ocr).unwrap();
    let ts = "1700000000";
    let sig: Signature = k1.sign(&webhook_message(&body, ts));
    let sig = URL_SAFE_NO_PAD.encode(sig.to_bytes());

    let got = client
        .verify_webhook(&body, ts, &sig, 1_700_000_030)
        .await
        .unwrap();
    assert_eq!(got.id, ID);
    assert!(matches!(
        client.verify_webhook(&body, ts, &sig, 1_700_001_000).await,
        Err(Error::StaleTimestamp { .. })
    ));
    let mut tampered = body.clone();
    tampered[5] ^= 1;
    assert!(matches!(
        client
            .verify_webhook(&tampered, ts, &sig, 1_700_000_000)
            .await,
        Err(Error::BadSignature)
    ));
    assert!(matches!(
        client
            .verify_webhook(&body, "1700000001", &sig, 1_700_000_000)
            .await,
        Err(Error::BadSignature)
    ));
}
