//! Webhooks: a local receiver fails the first three attempts and accepts the fourth; every
//! attempt is recorded, and the signature verifies with the JWKS key.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;

use crate::support::{Db, spawn_app_with};

#[derive(Default)]
struct Receiver {
    hits: Mutex<Vec<(HeaderMap, Bytes)>>,
}

async fn hook(State(r): State<Arc<Receiver>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let mut hits = r.hits.lock().unwrap();
    hits.push((headers, body));
    if hits.len() <= 3 {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    }
}

async fn webhook_retries_and_signature(db: Db) {
    let receiver = Arc::new(Receiver::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook_url = format!("http://{}/hook", listener.local_addr().unwrap());
    let router = axum::Router::new()
        .route("/hook", post(hook))
        .with_state(Arc::clone(&receiver));
    let server = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let Some(app) = spawn_app_with(db, Some(&hook_url), |_| {}).await else {
        server.abort();
        return;
    };
    let c = app
        .full_cycle("doc=W1;surname=Hook;given=Ann;dob=1970-05-05", "ext-w")
        .await;
    let status = app.wait_done(&c, 30).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while receiver.hits.lock().unwrap().len() < 4 {
        assert!(
            std::time::Instant::now() < deadline,
            "webhook not delivered 4 times"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Let the dispatcher record the fourth attempt, then make sure no fifth comes.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let hits = receiver.hits.lock().unwrap().clone();
    assert_eq!(hits.len(), 4);

    let jwks: idverify_server::signing::Jwks = app
        .http
        .get(app.url("/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for (headers, body) in &hits {
        let ts = headers["x-timestamp"].to_str().unwrap();
        let sig = headers["x-signature"].to_str().unwrap();
        assert!(ts.bytes().all(|b| b.is_ascii_digit()));
        assert!(jwks.verify_webhook(body, ts, sig), "signature verifies");
        assert!(
            !jwks.verify_webhook(body, "1", sig),
            "signature covers the timestamp"
        );
        let v: serde_json::Value = serde_json::from_slice(body).unwrap();
        assert_eq!(v, status["ocr"], "the body is the callback object");
    }
    let deliveries = app.service().store.webhook_attempts(&c.id).await.unwrap();
    assert_eq!(deliveries.len(), 1);
    let (_, state, attempts) = &deliveries[0];
    assert_eq!(state, "delivered");
    let codes: Vec<Option<i64>> = attempts.iter().map(|a| a.status_code).collect();
    assert_eq!(codes, [Some(500), Some(500), Some(500), Some(200)]);
    // Exponential backoff: each gap at least the previous one (base 100 ms, doubling).
    let gaps: Vec<i64> = attempts.windows(2).map(|w| w[1].at - w[0].at).collect();
    assert!(
        gaps[0] >= 100 && gaps[1] >= 200 && gaps[2] >= 400,
        "{gaps:?}"
    );
    app.shutdown().await;
    server.abort();
}

both_dbs!(webhook_retries_and_signature);
