//! Every row of CONTRACT's status table and every bad input of §3.4: exact status codes and
//! `{statusCode, message, error}` bodies, and nothing stored half.

use serde_json::{Value, json};

use crate::support::{Db, err_body, forbidden_body, jpeg, payload_png, spawn_app, spawn_app_with};
use idverify_server::Forbidden;

fn count_blobs(dir: &std::path::Path) -> usize {
    let blobs = dir.join("blobs");
    let Ok(rd) = std::fs::read_dir(&blobs) else {
        return 0;
    };
    rd.flatten()
        .map(|sub| {
            std::fs::read_dir(sub.path())
                .map(|r| r.count())
                .unwrap_or(0)
        })
        .sum()
}

async fn results_status_table(db: Db) {
    let Some(app) = spawn_app(db).await else {
        return;
    };
    let c = app
        .full_cycle("doc=T1;surname=A;given=B;dob=1990-01-01", "")
        .await;
    app.wait_done(&c, 30).await;
    let sk = app.app.secret_key.clone();

    assert_eq!(app.results(&c.id, Some(&sk)).await.0, 200);
    // The contract's body, and a detail that says what was wrong with the key.
    assert_eq!(
        app.results(&c.id, None).await,
        (403, forbidden_body(Forbidden::NoKey))
    );
    let unknown = forbidden_body(Forbidden::UnknownKey);
    assert!(
        unknown["detail"]
            .as_str()
            .unwrap()
            .starts_with("Unknown API key")
    );
    assert_eq!(
        app.results(&c.id, Some("sk_nope")).await,
        (403, unknown.clone())
    );
    // The publishable key cannot read results.
    assert_eq!(
        app.results(&c.id, Some(&app.app.publishable_key)).await,
        (403, forbidden_body(Forbidden::PublishableKey))
    );
    // The verification token cannot either: no application has it as a key.
    assert_eq!(app.results(&c.id, Some(&c.token)).await, (403, unknown));
    let not_found = err_body(404, "Verification not found");
    assert_eq!(
        app.results(&"a".repeat(36), Some(&sk)).await,
        (404, not_found.clone())
    );
    assert_eq!(
        app.results("not-an-id", Some(&sk)).await,
        (404, not_found.clone())
    );
    // Another tenant's secret key: the same 404.
    let other = app.admin.create_app("other", None).await.unwrap();
    assert_eq!(
        app.results(&c.id, Some(&other.secret_key)).await,
        (404, not_found.clone())
    );
    let r = app
        .http
        .delete(&c.result_url)
        .header("X-API-Key", &other.secret_key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = app
        .http
        .get(format!("{}/files/front", c.result_url))
        .header("X-API-Key", &other.secret_key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // Unknown routes echo the real method and path.
    for (method, path) in [
        ("GET", "/non-existing-url"),
        ("POST", "/verifications/results"),
        ("PUT", "/verifications"),
        ("PATCH", &format!("/verifications/results/{}", c.id) as &str),
    ] {
        let r = app
            .http
            .request(method.parse().unwrap(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{method} {path}");
        assert_eq!(
            r.headers()["content-type"].to_str().unwrap(),
            "application/json"
        );
        assert_eq!(
            r.json::<Value>().await.unwrap(),
            err_body(404, &format!("Cannot {method} {path}"))
        );
    }

    // Processing failed: 400 "Error verifying application".
    let f = app.full_cycle("doc=F1;fail=1", "").await;
    let s = app.wait_done(&f, 30).await;
    assert_eq!(s["status"], "failed");
    assert_eq!(s["ocr"], Value::Null);
    assert_eq!(
        app.results(&f.id, Some(&sk)).await,
        (400, err_body(400, "Error verifying application"))
    );
    app.shutdown().await;
}

async fn create_bad_input(db: Db) {
    let Some(app) = spawn_app(db).await else {
        return;
    };
    let post = |body: &'static str, key: Option<(&'static str, String)>| {
        let mut r = app
            .http
            .post(app.url("/verifications"))
            .header("content-type", "application/json")
            .body(body);
        if let Some((h, k)) = key {
            r = r.header(h, k);
        }
        r.send()
    };
    let pk = app.app.publishable_key.clone();
    let r = post("{}", None).await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        forbidden_body(Forbidden::NoKey)
    );
    let r = post("{}", Some(("X-Client-Key", "pk_wrong".into())))
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        forbidden_body(Forbidden::UnknownKey)
    );
    let r = post("{\"externalId\": ", Some(("X-Client-Key", pk.clone())))
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let b: Value = r.json().await.unwrap();
    assert_eq!(b["statusCode"], 400);
    assert_eq!(b["error"], "Bad Request");
    assert!(
        b["message"]
            .as_str()
            .unwrap()
            .starts_with("Invalid JSON body"),
        "{b}"
    );
    let r = post("[1,2]", Some(("X-Client-Key", pk.clone())))
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = post(
        "{\"platform\": \"fax\"}",
        Some(("X-Client-Key", pk.clone())),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        err_body(400, "platform must be one of web, ios, android, api")
    );
    // No body at all is fine; the secret key may create too (platform defaults to api).
    let r = app
        .http
        .post(app.url("/verifications"))
        .header("X-API-Key", &app.app.secret_key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, body) = app.results(&id, Some(&app.app.secret_key)).await;
    assert_eq!(body["data"]["metadata"]["platform"], "api");
    app.shutdown().await;
}

async fn upload_and_submit_bad_input(db: Db) {
    let Some(app) = spawn_app_with(db, None, |c| c.uploads.max_bytes = 200_000).await else {
        return;
    };
    let c = app.create(json!({})).await;
    let bad = |r: reqwest::Response| async move {
        let status = r.status().as_u16();
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["statusCode"], status);
        (
            status,
            body["message"].as_str().unwrap_or_default().to_owned(),
        )
    };
    // Not an image.
    let (s, m) = bad(app.upload(&c, "front", b"hello, I am text".to_vec()).await).await;
    assert_eq!(
        (s, m.as_str()),
        (
            400,
            "The file is not a JPEG, PNG, WebP, HEIC, TIFF, BMP or PDF file"
        )
    );
    // A truncated JPEG.
    let mut broken = jpeg(64, 64);
    broken.truncate(broken.len() / 3);
    let (s, m) = bad(app.upload(&c, "front", broken).await).await;
    assert_eq!(s, 400);
    assert!(m.starts_with("The image could not be decoded"), "{m}");
    // A HEIC container with no image in it.
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic\0\0\0\0".to_vec();
    let (s, m) = bad(app.upload(&c, "front", heic).await).await;
    assert_eq!(s, 400);
    assert!(m.starts_with("The image could not be decoded: HEIC"), "{m}");
    // Too large (over the file limit, within the body limit).
    let big = vec![0xFFu8; 200_001];
    let (s, m) = bad(app.upload(&c, "front", big).await).await;
    assert_eq!(s, 400);
    assert!(m.starts_with("The file is too large"), "{m}");
    // A body far over the limit.
    let huge = vec![0u8; 2_000_000];
    let (s, m) = bad(app.upload(&c, "front", huge).await).await;
    assert_eq!(s, 400);
    assert!(m.contains("too large"), "{m}");
    // Huge dimensions, refused from the header.
    let (s, m) = bad(app
        .upload(&c, "front", idverify_testkit::png_claiming(20_000, 20_000))
        .await)
    .await;
    assert_eq!(s, 400);
    assert!(m.contains("20000x20000"), "{m}");
    // Unknown kind, missing kind, missing file, unexpected field.
    let (s, m) = bad(app.upload(&c, "passport", payload_png("doc=X")).await).await;
    assert_eq!(
        (s, m.as_str()),
        (400, "kind must be one of front, back, selfie")
    );
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(payload_png("doc=X")),
    );
    let r = app
        .http
        .post(app.url(&format!("/verifications/{}/files", c.id)))
        .bearer_auth(&c.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(bad(r).await, (400, "Missing multipart field kind".into()));
    let form = reqwest::multipart::Form::new().text("kind", "front");
    let r = app
        .http
        .post(app.url(&format!("/verifications/{}/files", c.id)))
        .bearer_auth(&c.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(bad(r).await, (400, "Missing multipart field file".into()));
    // Not multipart; malformed multipart.
    let r = app
        .http
        .post(app.url(&format!("/verifications/{}/files", c.id)))
        .bearer_auth(&c.token)
        .json(&json!({"kind": "front"}))
        .send()
        .await
        .unwrap();
    let (s, m) = bad(r).await;
    assert_eq!(s, 400);
    assert!(m.starts_with("Expected a multipart/form-data body"), "{m}");
    let r = app
        .http
        .post(app.url(&format!("/verifications/{}/files", c.id)))
        .bearer_auth(&c.token)
        .header("content-type", "multipart/form-data; boundary=XYZ")
        .body("--XYZ\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nfront\r\n--XYZ\r\nContent-Dispo")
        .send()
        .await
        .unwrap();
    let (s, m) = bad(r).await;
    assert_eq!(s, 400);
    assert!(m.starts_with("Malformed multipart body"), "{m}");
    // Missing, wrong and foreign tokens; unknown verification.
    let url = app.url(&format!("/verifications/{}/files", c.id));
    let r = app.http.post(&url).send().await.unwrap();
    assert_eq!(bad(r).await, (403, "Forbidden resource".into()));
    let r = app
        .http
        .post(&url)
        .bearer_auth("vt_wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(bad(r).await, (403, "Forbidden resource".into()));
    let other = app.create(json!({})).await;
    let r = app
        .upload(
            &crate::support::Created {
                token: other.token.clone(),
                ..c.clone()
            },
            "front",
            payload_png("doc=X"),
        )
        .await;
    assert_eq!(bad(r).await, (403, "Forbidden resource".into()));
    let ghost = crate::support::Created {
        id: "b".repeat(36),
        ..c.clone()
    };
    assert_eq!(
        bad(app.upload(&ghost, "front", payload_png("doc=X")).await).await,
        (404, "Verification not found".into())
    );
    let r = app
        .http
        .get(app.url(&format!("/verifications/{}/status", c.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // Nothing was stored by the refused uploads.
    assert_eq!(count_blobs(app.dir.path()), 0);
    let (_, pending) = app.results(&c.id, Some(&app.app.secret_key)).await;
    assert_eq!(pending["data"]["documents"], json!([]));

    // Submit without a front image.
    assert_eq!(app.upload(&c, "back", jpeg(32, 32)).await.status(), 202);
    assert_eq!(
        bad(app.submit(&c).await).await,
        (400, "A front image is required before submit".into())
    );
    // A second upload of a kind replaces the first (one blob per kind).
    assert_eq!(app.upload(&c, "back", jpeg(40, 40)).await.status(), 202);
    assert_eq!(count_blobs(app.dir.path()), 1);
    assert_eq!(
        app.upload(&c, "front", payload_png("doc=S1;dob=2000-01-01"))
            .await
            .status(),
        202
    );
    assert_eq!(app.submit(&c).await.status(), 202);
    // Second submit; upload after submit.
    assert_eq!(
        bad(app.submit(&c).await).await,
        (400, "Verification already submitted".into())
    );
    assert_eq!(
        bad(app.upload(&c, "selfie", jpeg(32, 32)).await).await,
        (400, "Verification already submitted".into())
    );
    assert_eq!(count_blobs(app.dir.path()), 2);
    app.wait_done(&c, 30).await;
    assert_eq!(app.check.runs.lock().unwrap().get("S1"), Some(&1));
    app.shutdown().await;
}

/// The 500 row: stored data that cannot be opened (here: tampered with in the database) gives
/// the contract's 500 body and nothing of the cause.
async fn internal_error_leaks_nothing(db: Db) {
    use sqlx::Connection;
    let Some(app) = spawn_app(db).await else {
        return;
    };
    let c = app
        .full_cycle("doc=E500;surname=A;dob=1990-01-01", "")
        .await;
    app.wait_done(&c, 30).await;
    let url = app.config.effective_database_url();
    let mut conn = sqlx::AnyConnection::connect(&url.0).await.unwrap();
    sqlx::query("UPDATE verifications SET result = $1 WHERE id = $2")
        .bind(b"\x01tampered-with-bytes-that-are-not-a-sealed-value".to_vec())
        .bind(&c.id)
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let (code, body) = app.results(&c.id, Some(&app.app.secret_key)).await;
    assert_eq!(code, 500);
    assert_eq!(
        body,
        json!({"statusCode": 500, "message": "Internal server error"})
    );
    let s = app
        .http
        .get(app.url(&format!("/verifications/{}/status", c.id)))
        .bearer_auth(&c.token)
        .send()
        .await
        .unwrap();
    assert_eq!(s.status(), 500);
    let text = s.text().await.unwrap();
    assert!(
        !text.contains("open failed") && !text.contains("sqlx"),
        "{text}"
    );
    // The server keeps serving.
    assert_eq!(
        app.http
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    app.shutdown().await;
}

both_dbs!(
    results_status_table,
    create_bad_input,
    upload_and_submit_bad_input,
    internal_error_leaks_nothing
);
