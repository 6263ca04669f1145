//! The client against the real service (`idverify-server` on 127.0.0.1:0, embedded SQLite):
//! the callback token of the status call, the results answer and its token, a document image,
//! and a webhook delivery with its ES512 signature — all verified by this crate, then a key
//! rotation that the client follows. The document check is a fixed verdict: reading documents is
//! not what is under test here (the browser e2e runs the real pipeline).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::Cursor;
use std::sync::Arc;
use std::time::Duration;

use idverify_client::{Client, Error};
use idverify_server::check::{CheckError, CheckInput, CheckOutput, DocumentCheck};
use idverify_server::{Admin, Config, RunningServer, SystemClock};
use idverify_wire::{Attributes, Check, Decision, DocumentNumber, Results};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

#[derive(Debug)]
struct FixedVerdict;

impl DocumentCheck for FixedVerdict {
    fn check(&self, _input: &CheckInput) -> Result<CheckOutput, CheckError> {
        Ok(CheckOutput {
            results: Results {
                status: Decision::Approved,
                concerns: Vec::new(),
            },
            checks: vec![Check {
                name: "docCheck".into(),
                status: Decision::Approved,
                comment: "Found 0 issue(s).".into(),
                details: None,
            }],
            attributes: Attributes {
                document_type: "passport".into(),
                first_name: "ANNA MARIA".into(),
                last_name: "ERIKSSON".into(),
                document_numbers: vec![DocumentNumber {
                    kind: "document-number".into(),
                    value: "L898902C3".into(),
                }],
                date_of_birth: "1974-08-12".into(),
                ..Attributes::default()
            },
            mrz: None,
            document_data_checking: Vec::new(),
        })
    }
}

fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(320, 200, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

/// A webhook receiver on 127.0.0.1 that hands each request (headers, body) to the test.
async fn receiver() -> (String, mpsc::Receiver<(String, Vec<u8>)>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel(8);
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 8192];
                let (head_end, len) = loop {
                    match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                    if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..p]).to_lowercase();
                        let len = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        break (p + 4, len);
                    }
                };
                while buf.len() < head_end + len {
                    match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                let body = buf[head_end..head_end + len].to_vec();
                let _ = sock
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    .await;
                let _ = tx.send((head, body)).await;
            });
        }
    });
    (url, rx)
}

fn header<'a>(head: &'a str, name: &str) -> &'a str {
    head.lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
        .unwrap_or("")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verifies_what_the_real_service_signs() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::for_test(dir.path());
    let (hook_url, mut hooks) = receiver().await;
    let admin = Admin::open(config.clone(), Arc::new(SystemClock))
        .await
        .unwrap();
    let app = admin
        .create_app("client test", Some(&hook_url))
        .await
        .unwrap();
    let server = RunningServer::start(config, Arc::new(FixedVerdict), Arc::new(SystemClock))
        .await
        .unwrap();
    let base = format!("http://{}", server.addr);
    let http = reqwest::Client::new();

    // The browser's part: create, upload, submit, poll the status.
    let created: serde_json::Value = http
        .post(format!("{base}/verifications"))
        .header("X-Client-Key", &app.publishable_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let token = created["token"].as_str().unwrap().to_owned();
    let form = reqwest::multipart::Form::new().text("kind", "front").part(
        "file",
        reqwest::multipart::Part::bytes(jpeg()).file_name("front.jpg"),
    );
    let r = http
        .post(format!("{base}/verifications/{id}/files"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let r = http
        .post(format!("{base}/verifications/{id}/submit"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let mut status = serde_json::Value::Null;
    for _ in 0..200 {
        status = http
            .get(format!("{base}/verifications/{id}/status"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if status["status"] == "done" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status["status"], "done");

    // The integrator's back end.
    let client = Client::new(&base)
        .unwrap()
        .with_secret_key(app.secret_key.clone())
        .with_issuer("idverify");
    let ocr: idverify_wire::OcrCallback = serde_json::from_value(status["ocr"].clone()).unwrap();
    let claims = client.verify_callback(&ocr).await.unwrap();
    assert_eq!(claims.id, id);
    assert_eq!(
        claims.result_url,
        format!("{base}/verifications/results/{id}")
    );
    let answer = client.fetch_result(&id).await.unwrap();
    assert_eq!(answer.data.results.status, Decision::Approved);
    assert_eq!(answer.data.attributes.last_name, "ERIKSSON");
    let front = &answer.data.documents[0].files[0];
    let doc = client.fetch_document(&front.uri).await.unwrap();
    assert_eq!(doc.media_type, "image/jpeg");
    assert_eq!(&doc.bytes[..2], &[0xff, 0xd8]);

    // A tampered callback object is refused.
    let mut forged = ocr.clone();
    forged.id = "ffffffffffffffffffffffffffffffffffff".into();
    assert!(matches!(
        client.verify_callback(&forged).await,
        Err(Error::Claims(_))
    ));

    // The webhook: the same ocr object, signed over body || timestamp.
    let (head, body) = tokio::time::timeout(Duration::from_secs(20), hooks.recv())
        .await
        .unwrap()
        .unwrap();
    let ts = header(&head, "x-timestamp").to_owned();
    let sig = header(&head, "x-signature").to_owned();
    let now: i64 = ts.parse().unwrap();
    let delivered = client
        .verify_webhook(&body, &ts, &sig, now + 5)
        .await
        .unwrap();
    assert_eq!(delivered.id, id);
    assert!(matches!(
        client.verify_webhook(&body, &ts, &sig, now + 3600).await,
        Err(Error::StaleTimestamp { .. })
    ));
    let mut tampered = body.clone();
    let last = tampered.len() - 2;
    tampered[last] ^= 0x01;
    assert!(
        client
            .verify_webhook(&tampered, &ts, &sig, now)
            .await
            .is_err()
    );

    // Key rotation: a token from the new key names a kid the cached JWKS lacks; the client
    // fetches the JWKS again (after its 5 s rate limit) and verifies it.
    let new_kid = admin.rotate_signing_key().await.unwrap();
    server
        .service
        .keys
        .refresh(server.service.now())
        .await
        .unwrap();
    let fresh = server.service.sign_callback(&id).unwrap();
    assert_eq!(idverify_client::KeySet::token_kid(&fresh).unwrap(), new_kid);
    tokio::time::sleep(Duration::from_millis(5100)).await;
    assert_eq!(client.verify_callback_token(&fresh).await.unwrap().id, id);
    // The old token still verifies: old keys stay in the JWKS.
    assert!(client.verify_callback(&ocr).await.is_ok());

    server.shutdown().await;
    admin.store().close().await;
}
