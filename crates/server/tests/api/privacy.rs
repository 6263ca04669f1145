//! Privacy: DELETE erases images and personal data (the id, the decision and the audit trail
//! remain), the retention purge does the same, and nothing readable in the database or the blob
//! store contains a name, a date of birth or an image header.

use serde_json::{Value, json};

use crate::support::{Db, TestApp, spawn_app, spawn_app_with};

const PERSON: &str = "doc=PRIV0001;surname=Vandermeulen;given=Gudrun;dob=1971-11-23";

fn all_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            all_files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

async fn assert_erased(app: &TestApp, id: &str, result_url: &str) {
    let (code, body) = app.results(id, Some(&app.app.secret_key)).await;
    assert_eq!(code, 200);
    let data = &body["data"];
    assert_eq!(data["status"], "done");
    assert_eq!(
        data["results"]["status"], "approved",
        "the decision remains"
    );
    assert_eq!(data["results"]["concerns"], json!([]));
    assert_eq!(data["documents"], json!([]));
    assert_eq!(data["attributes"]["lastName"], "");
    assert_eq!(data["attributes"]["dateOfBirth"], "");
    assert_eq!(data["metadata"]["ipAddress"], "");
    assert!(!body.to_string().contains("Vandermeulen"));
    let r = app
        .http
        .get(format!("{result_url}/files/front"))
        .header("X-API-Key", &app.app.secret_key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let trail: Value = app
        .http
        .get(format!("{result_url}/audit"))
        .header("X-API-Key", &app.app.secret_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let events: Vec<&str> = trail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert!(events.contains(&"processed"));
    assert!(
        events.contains(&"deleted") || events.contains(&"purged"),
        "{events:?}"
    );
}

async fn delete_erases(db: Db) {
    let Some(app) = spawn_app(db).await else {
        return;
    };
    let c = app.full_cycle(PERSON, "ext-1").await;
    app.wait_done(&c, 30).await;
    // Read it first (and again: served from the cache on SQLite), so erasure must also
    // invalidate what was read.
    for _ in 0..2 {
        let (code, before) = app.results(&c.id, Some(&app.app.secret_key)).await;
        assert_eq!(code, 200);
        assert_eq!(before["data"]["attributes"]["lastName"], "VANDERMEULEN");
    }
    let r = app.http.delete(&c.result_url).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = app
        .http
        .delete(&c.result_url)
        .header("X-API-Key", &app.app.secret_key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"id": c.id, "erased": true})
    );
    assert_erased(&app, &c.id, &c.result_url).await;
    // The blob store holds nothing for it any more; the status call no longer answers.
    let mut files = Vec::new();
    all_files(&app.dir.path().join("blobs"), &mut files);
    assert!(files.is_empty(), "{files:?}");
    let r = app
        .http
        .get(app.url(&format!("/verifications/{}/status", c.id)))
        .bearer_auth(&c.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    app.shutdown().await;
}

async fn retention_purge(db: Db) {
    let Some(app) = spawn_app_with(db, None, |c| c.retention_days = 0).await else {
        return;
    };
    let c = app.full_cycle(PERSON, "").await;
    app.wait_done(&c, 30).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let n = idverify_server::server::purge_once(app.service())
        .await
        .unwrap();
    assert_eq!(n, 1);
    assert_erased(&app, &c.id, &c.result_url).await;
    assert_eq!(
        idverify_server::server::purge_once(app.service())
            .await
            .unwrap(),
        0
    );
    app.shutdown().await;
}

async fn nothing_readable_at_rest(db: Db) {
    let Some(app) = spawn_app(db).await else {
        return;
    };
    let c = app.full_cycle(PERSON, "customer-ref-777").await;
    app.wait_done(&c, 30).await;
    let (_, body) = app.results(&c.id, Some(&app.app.secret_key)).await;
    assert_eq!(body["data"]["attributes"]["lastName"], "VANDERMEULEN");
    let needles: [&[u8]; 7] = [
        b"Vandermeulen",
        b"Gudrun",
        b"1971-11-23",
        b"PRIV0001",
        b"customer-ref-777",
        b"\xFF\xD8\xFF",
        b"\x89PNG",
    ];
    let pg_url = app.config.database_url.clone();
    let dir = app.shutdown().await;
    let data_dir = dir.path().to_path_buf();
    let mut files = Vec::new();
    all_files(&data_dir, &mut files);
    assert!(
        files.iter().any(|f| f.starts_with(data_dir.join("blobs"))),
        "blobs were written"
    );
    for f in &files {
        // SQLite's `-wal`/`-shm` files can still be removed by the pool closing after the
        // listing: a file gone is nothing at rest.
        let bytes = match std::fs::read(f) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => panic!("{}: {e}", f.display()),
        };
        for n in needles {
            assert!(
                !contains(&bytes, n),
                "{} contains {:?}",
                f.display(),
                String::from_utf8_lossy(n)
            );
        }
    }
    if let Some(url) = pg_url {
        use sqlx::{Connection, Row};
        let mut conn = sqlx::AnyConnection::connect(&url.0).await.unwrap();
        let mut dumped = String::new();
        for table in [
            "applications",
            "api_keys",
            "verifications",
            "files",
            "jobs",
            "webhook_deliveries",
            "webhook_attempts",
            "audit_events",
            "signing_keys",
        ] {
            let rows = sqlx::query(&format!("SELECT CAST(t AS TEXT) AS row FROM {table} t"))
                .fetch_all(&mut conn)
                .await
                .unwrap();
            for r in rows {
                dumped.push_str(&r.get::<String, _>("row"));
                dumped.push('\n');
            }
        }
        assert!(dumped.contains(&c.id));
        for n in needles {
            // bytea columns dump as hex: look for both forms.
            let hex: String = n.iter().map(|b| format!("{b:02x}")).collect();
            assert!(
                !contains(dumped.as_bytes(), n) && !dumped.contains(&hex),
                "database dump contains {:?}",
                String::from_utf8_lossy(n)
            );
        }
    }
}

both_dbs!(delete_erases, retention_purge, nothing_readable_at_rest);
