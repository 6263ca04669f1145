//! Keys: signing-key rotation keeps old tokens verifiable and signs new ones with the new
//! `kid`; application key rotation and deletion revoke the old keys.

use serde_json::json;

use crate::support::{Db, spawn_app};

async fn signing_key_rotation(db: Db) {
    let Some(app) = spawn_app(db).await else {
        return;
    };
    let a = app.full_cycle("doc=R1;surname=A;dob=1980-01-01", "").await;
    app.wait_done(&a, 30).await;
    let (_, old) = app.results(&a.id, Some(&app.app.secret_key)).await;
    let old_token = old["signed"].as_str().unwrap().to_owned();
    let jwks1: idverify_server::signing::Jwks = app
        .http
        .get(app.url("/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks1.keys.len(), 1);
    let old_kid = jwks1.keys[0].kid.clone();

    let new_kid = app.admin.rotate_signing_key().await.unwrap();
    assert_ne!(new_kid, old_kid);
    // A running server picks new keys up on its periodic refresh; do it now.
    app.service()
        .keys
        .refresh(app.service().now())
        .await
        .unwrap();
    let jwks2: idverify_server::signing::Jwks = app
        .http
        .get(app.url("/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kids: Vec<&str> = jwks2.keys.iter().map(|k| k.kid.as_str()).collect();
    assert!(
        kids.contains(&old_kid.as_str()) && kids.contains(&new_kid.as_str()),
        "{kids:?}"
    );
    assert!(
        jwks2.verify_jwt(&old_token).is_some(),
        "old token still verifies"
    );

    let b = app.full_cycle("doc=R2;surname=B;dob=1980-01-01", "").await;
    let status = app.wait_done(&b, 30).await;
    let (_, new) = app.results(&b.id, Some(&app.app.secret_key)).await;
    for token in [
        new["signed"].as_str().unwrap(),
        status["ocr"]["signed"].as_str().unwrap(),
    ] {
        let header: serde_json::Value =
            serde_json::from_slice(&base64_url_decode(token.split('.').next().unwrap())).unwrap();
        assert_eq!(
            header,
            json!({"alg": "ES512", "typ": "JWT", "kid": new_kid})
        );
        assert!(jwks2.verify_jwt(token).is_some());
    }
    app.shutdown().await;
}

fn base64_url_decode(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .unwrap()
}

async fn app_key_rotation_and_deletion(db: Db) {
    let Some(app) = spawn_app(db).await else {
        return;
    };
    let unknown = "c".repeat(36);
    let second = app
        .admin
        .create_app("second", Some("https://example.invalid/hook"))
        .await
        .unwrap();
    let rotated = app.admin.rotate_keys(&second.app_id).await.unwrap();
    assert_ne!(rotated.secret_key, second.secret_key);
    assert!(!app.admin.key_is_live(&second.secret_key).await.unwrap());
    assert!(
        !app.admin
            .key_is_live(&second.publishable_key)
            .await
            .unwrap()
    );
    assert_eq!(app.results(&unknown, Some(&second.secret_key)).await.0, 403);
    assert_eq!(
        app.results(&unknown, Some(&rotated.secret_key)).await.0,
        404
    );
    let listed = app.admin.list_apps().await.unwrap();
    assert!(listed.iter().any(|a| a.app_id == second.app_id
        && a.webhook_url.as_deref() == Some("https://example.invalid/hook")));

    let third = app.admin.create_app("third", None).await.unwrap();
    app.admin.delete_app(&third.app_id).await.unwrap();
    assert_eq!(app.results(&unknown, Some(&third.secret_key)).await.0, 403);
    assert!(app.admin.delete_app(&third.app_id).await.is_err());
    assert!(app.admin.rotate_keys("app_missing").await.is_err());
    assert!(
        !app.admin
            .list_apps()
            .await
            .unwrap()
            .iter()
            .any(|a| a.app_id == third.app_id)
    );
    app.shutdown().await;
}

both_dbs!(signing_key_rotation, app_key_rotation_and_deletion);
