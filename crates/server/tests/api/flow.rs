//! The whole cycle: create → upload → submit → done, the Result field by field, the signed
//! tokens, the callback object, file URIs and the audit trail.

use serde_json::{Value, json};

use crate::support::{Db, jpeg, payload_png, spawn_app};

const PAYLOAD: &str = "doc=SPECI2021;surname=De Bruijn;given=Willeke Liselotte;dob=1965-03-10;\
mrz=P<NLDDE<BRUIJN<<WILLEKE<LISELOTTE<<<<<<<<<<<|SPECI20212NLD6503101F3108022999999990<<<<<84";

async fn jwks(app: &crate::support::TestApp) -> idverify_server::signing::Jwks {
    app.http
        .get(app.url("/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn approved_cycle_and_result_shape(db: Db) {
    let Some(app) = spawn_app(db).await else {
        return;
    };
    let c = app
        .create(json!({"externalId": "user-42", "platform": "web"}))
        .await;
    assert_eq!(c.id.len(), 36);
    assert!(
        c.id.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    assert!(c.token.starts_with("vt_"));
    assert_eq!(
        c.result_url,
        app.url(&format!("/verifications/results/{}", c.id))
    );

    let front = payload_png(PAYLOAD);
    let back = jpeg(80, 50);
    let r = app.upload(&c, "front", front.clone()).await;
    assert_eq!(r.status(), 202);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"kind": "front", "mediaType": "image/png", "bytes": front.len()})
    );
    let r = app.upload(&c, "back", back.clone()).await;
    assert_eq!(r.status(), 202);
    assert_eq!(r.json::<Value>().await.unwrap()["mediaType"], "image/jpeg");

    // Before submit: the Result is pending.
    let (code, pending) = app.results(&c.id, Some(&app.app.secret_key)).await;
    assert_eq!(code, 200);
    assert_eq!(pending["data"]["status"], "processing");
    assert_eq!(pending["data"]["results"]["status"], "pending");

    let r = app.submit(&c).await;
    assert_eq!(r.status(), 202);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"id": c.id, "status": "processing"})
    );
    let status = app.wait_done(&c, 30).await;
    assert_eq!(status["status"], "done");
    assert_eq!(status["applicationStatus"], "approved");

    let (code, body) = app.results(&c.id, Some(&app.app.secret_key)).await;
    assert_eq!(code, 200);
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["data", "signed"]);
    let data = &body["data"];
    let mut fields: Vec<&str> = data
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "attributes",
            "checks",
            "documentDataChecking",
            "documents",
            "metadata",
            "mrz",
            "results",
            "status"
        ]
    );
    assert_eq!(
        data["results"],
        json!({"status": "approved", "concerns": [
            {"id": "DC023", "message": "Found 0 issue(s).", "service": "doc-check", "status": "approved"}]})
    );
    assert_eq!(
        data["checks"],
        json!([{"name": "docCheck", "status": "approved", "comment": "Found 0 issue(s)."}])
    );
    let base = app.url(&format!("/verifications/results/{}/files", c.id));
    assert_eq!(
        data["documents"],
        json!([{"name": "document", "files": [
            {"kind": "front", "mediaType": "image/png", "uri": format!("{base}/front")},
            {"kind": "back", "mediaType": "image/jpeg", "uri": format!("{base}/back")}]}])
    );
    assert_eq!(
        data["metadata"],
        json!({"platform": "web", "ipAddress": "127.0.0.1", "country": "", "city": "",
               "userAgent": "idverify-tests/1"})
    );
    assert_eq!(data["status"], "done");
    assert_eq!(
        data["attributes"],
        json!({"documentType": "passport", "firstName": "WILLEKE LISELOTTE",
               "originalFirstName": "Willeke Liselotte", "lastName": "DE BRUIJN",
               "originalLastName": "De Bruijn",
               "documentNumbers": [{"type": "document-number", "value": "SPECI2021"}],
               "idNumber": "", "referenceId": "user-42", "gender": "female", "nationality": "NLD",
               "issueCountry": "NLD", "dateOfExpiry": "2031-08-02", "dateOfBirth": "1965-03-10",
               "placeOfBirth": ""})
    );
    assert_eq!(data["mrz"]["format"], "TD3");
    assert_eq!(data["mrz"]["lines"].as_array().unwrap().len(), 2);
    assert_eq!(data["mrz"]["valid"], true);
    assert_eq!(
        data["documentDataChecking"],
        json!([{"category": "Date of birth", "mrz": "1965-03-10", "ocr": "1965-03-10",
                "equal": true, "valid": true, "status": "approved"}])
    );

    // The results token: header and payload {iss, id, iat, data}.
    let set = jwks(&app).await;
    assert!(!set.keys.is_empty());
    for k in &set.keys {
        assert_eq!(
            (
                k.kty.as_str(),
                k.crv.as_str(),
                k.alg.as_str(),
                k.use_.as_str()
            ),
            ("EC", "P-521", "ES512", "sig")
        );
    }
    let claims = set
        .verify_jwt(body["signed"].as_str().unwrap())
        .expect("results token verifies");
    assert_eq!(claims["iss"], "idverify");
    assert_eq!(claims["id"], c.id.as_str());
    assert!(claims["iat"].as_i64().unwrap() > 1_700_000_000);
    assert_eq!(&claims["data"], data);

    // The callback object.
    let ocr = &status["ocr"];
    assert_eq!(ocr["applicationStatus"], "approved");
    assert_eq!(ocr["resultUrl"], c.result_url.as_str());
    assert_eq!(ocr["id"], c.id.as_str());
    assert_eq!(ocr["data"]["status"], "done");
    assert_eq!(ocr["data"]["attributes"], data["attributes"]);
    let cb = set
        .verify_jwt(ocr["signed"].as_str().unwrap())
        .expect("callback token verifies");
    assert_eq!(cb["resultUrl"], c.result_url.as_str());
    assert_eq!(cb["id"], c.id.as_str());
    assert_eq!(cb["iss"], "idverify");
    assert!(cb["iat"].is_i64());

    // File URIs serve the uploaded bytes to the secret key only.
    for (kind, bytes) in [("front", &front), ("back", &back)] {
        let uri = format!("{base}/{kind}");
        let r = app
            .http
            .get(&uri)
            .header("X-API-Key", &app.app.secret_key)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(&r.bytes().await.unwrap()[..], &bytes[..]);
        let r = app.http.get(&uri).send().await.unwrap();
        assert_eq!(r.status(), 403);
    }
    // Bearer form of the secret key works too.
    let r = app
        .http
        .get(&c.result_url)
        .bearer_auth(&app.app.secret_key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // The audit trail, with the reading key (reads are written in batches).
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let trail: Value = app
        .http
        .get(format!("{}/audit", c.result_url))
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
    let writes: Vec<&str> = events
        .iter()
        .copied()
        .filter(|e| !e.ends_with("-read"))
        .collect();
    assert_eq!(
        writes,
        [
            "created",
            "file-uploaded",
            "file-uploaded",
            "submitted",
            "processed"
        ]
    );
    assert!(
        events.contains(&"result-read") && events.contains(&"file-read"),
        "{events:?}"
    );
    let read = trail["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "result-read")
        .unwrap();
    assert!(read["actor"].as_str().unwrap().starts_with("key_"));
    assert!(!trail.to_string().contains(&app.app.secret_key));

    // Exactly one run of the check.
    assert_eq!(app.check.runs.lock().unwrap().get("SPECI2021"), Some(&1));
    app.shutdown().await;
}

async fn declined_on_conflict(db: Db) {
    let Some(app) = spawn_app(db).await else {
        return;
    };
    let c = app
        .full_cycle(
            "doc=D1;surname=Eriksson;given=Anna;dob=1965-03-10;printed_dob=2022-03-10",
            "",
        )
        .await;
    let status = app.wait_done(&c, 30).await;
    assert_eq!(status["applicationStatus"], "declined");
    let (code, body) = app.results(&c.id, Some(&app.app.secret_key)).await;
    assert_eq!(code, 200);
    let data = &body["data"];
    assert_eq!(data["results"]["status"], "declined");
    assert_eq!(data["results"]["concerns"][0]["id"], "DC023");
    assert_eq!(
        data["results"]["concerns"][0]["message"],
        "Found 1 issue(s)."
    );
    assert_eq!(data["results"]["concerns"][1]["id"], "DC030");
    assert_eq!(data["documentDataChecking"][0]["equal"], false);
    assert_eq!(data["documentDataChecking"][0]["status"], "declined");
    assert!(data.get("mrz").is_none(), "no MRZ read, no mrz field");
    assert_eq!(data["attributes"]["referenceId"], "");
    app.shutdown().await;
}

async fn service_endpoints(db: Db) {
    let Some(app) = spawn_app(db).await else {
        return;
    };
    let r = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"status": "ok"}));

    let doc: Value = app
        .http
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for (path, method) in [
        ("/verifications", "post"),
        ("/verifications/{id}/files", "post"),
        ("/verifications/{id}/submit", "post"),
        ("/verifications/{id}/status", "get"),
        ("/verifications/results/{id}", "get"),
        ("/verifications/results/{id}", "delete"),
        ("/.well-known/jwks.json", "get"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing from openapi"
        );
    }

    let _ = app
        .results("0".repeat(36).as_str(), Some(&app.app.secret_key))
        .await;
    let text = app
        .http
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("idverify_http_requests_total{method=\"GET\",route=\"/verifications/results/{id}\",status=\"404\"} 1"),
        "{text}"
    );
    assert!(text.contains("idverify_jobs_done_total 0"));
    app.shutdown().await;
}

both_dbs!(
    approved_cycle_and_result_shape,
    declined_on_conflict,
    service_endpoints
);

/// `X-Forwarded-For` is believed only from a configured trusted proxy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_for_only_from_trusted_proxies() {
    for (trusted, expect) in [(false, "127.0.0.1"), (true, "203.0.113.7")] {
        let app = crate::support::spawn_app_with(Db::Sqlite, None, |c| {
            if trusted {
                c.trusted_proxies = vec!["127.0.0.0/8".into(), "10.0.0.0/8".into()];
            }
        })
        .await
        .unwrap();
        let r = app
            .http
            .post(app.url("/verifications"))
            .header("X-Client-Key", &app.app.publishable_key)
            .header("X-Forwarded-For", "198.51.100.1, 203.0.113.7, 10.1.2.3")
            .header("User-Agent", "Mozilla/5.0 test")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 202);
        let id = r.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, body) = app.results(&id, Some(&app.app.secret_key)).await;
        assert_eq!(
            body["data"]["metadata"]["ipAddress"], expect,
            "trusted: {trusted}"
        );
        assert_eq!(body["data"]["metadata"]["userAgent"], "Mozilla/5.0 test");
        assert_eq!(body["data"]["metadata"]["country"], "");
        app.shutdown().await;
    }
}

/// A minimal MaxMind DB (IPv4, 24-bit records) in ip-location-db's flat layout that maps
/// `network/24` to `{country_code, city}` — written by hand from the MaxMind DB format spec.
fn tiny_city_mmdb(network: [u8; 3], country_code: &str, city: &str) -> Vec<u8> {
    fn string(out: &mut Vec<u8>, s: &str) {
        assert!(s.len() < 29);
        out.push(0x40 | s.len() as u8);
        out.extend_from_slice(s.as_bytes());
    }
    const NODES: u32 = 24;
    let mut out = Vec::new();
    // Search tree: node d follows bit d of the network; the other branch has no data.
    let bits = u32::from_be_bytes([network[0], network[1], network[2], 0]);
    for d in 0..NODES {
        let bit = (bits >> (31 - d)) & 1;
        let next = if d + 1 < NODES { d + 1 } else { NODES + 16 }; // data at offset 0
        let (left, right) = if bit == 0 {
            (next, NODES)
        } else {
            (NODES, next)
        };
        out.extend_from_slice(&left.to_be_bytes()[1..]);
        out.extend_from_slice(&right.to_be_bytes()[1..]);
    }
    out.extend_from_slice(&[0u8; 16]);
    // Data section: {"country_code": …, "city": …}.
    out.push(0xE2);
    string(&mut out, "country_code");
    string(&mut out, country_code);
    string(&mut out, "city");
    string(&mut out, city);
    // Metadata.
    out.extend_from_slice(b"\xAB\xCD\xEFMaxMind.com");
    out.push(0xE9);
    string(&mut out, "binary_format_major_version");
    out.extend_from_slice(&[0xA1, 2]);
    string(&mut out, "binary_format_minor_version");
    out.push(0xA0);
    string(&mut out, "build_epoch");
    out.extend_from_slice(&[0x01, 0x02, 0x01]);
    string(&mut out, "database_type");
    string(&mut out, "test-city");
    string(&mut out, "description");
    out.push(0xE1);
    string(&mut out, "en");
    string(&mut out, "test");
    string(&mut out, "ip_version");
    out.extend_from_slice(&[0xA1, 4]);
    string(&mut out, "languages");
    out.extend_from_slice(&[0x01, 0x04]);
    string(&mut out, "en");
    string(&mut out, "node_count");
    out.extend_from_slice(&[0xC1, NODES as u8]);
    string(&mut out, "record_size");
    out.extend_from_slice(&[0xA1, 24]);
    out
}

/// With a geo-IP database configured, `metadata` carries the client's country (alpha-3) and city.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn geoip_country_and_city() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.mmdb");
    std::fs::write(&db, tiny_city_mmdb([203, 0, 113], "SE", "Skondal")).unwrap();
    let geo = idverify_server::geo::GeoIp::open(&db).unwrap();
    assert_eq!(
        geo.lookup("203.0.113.7".parse().unwrap()),
        Some(("SWE".into(), "Skondal".into()))
    );
    assert_eq!(geo.lookup("8.8.8.8".parse().unwrap()), None);
    let app = crate::support::spawn_app_with(Db::Sqlite, None, |c| {
        c.trusted_proxies = vec!["127.0.0.1".into()];
        c.geoip_database = Some(db.clone());
    })
    .await
    .unwrap();
    for (xff, country, city) in [("203.0.113.7", "SWE", "Skondal"), ("198.51.100.1", "", "")] {
        let r = app
            .http
            .post(app.url("/verifications"))
            .header("X-Client-Key", &app.app.publishable_key)
            .header("X-Forwarded-For", xff)
            .send()
            .await
            .unwrap();
        let id = r.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, body) = app.results(&id, Some(&app.app.secret_key)).await;
        let m = &body["data"]["metadata"];
        assert_eq!(
            (
                m["ipAddress"].as_str(),
                m["country"].as_str(),
                m["city"].as_str()
            ),
            (Some(xff), Some(country), Some(city))
        );
    }
    app.shutdown().await;
}
