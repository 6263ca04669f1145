//! The browser side's server half: the flow's files under `/flow/` with their content types and
//! CSP, the per-application allowed origins (CORS) of the feeding calls, and the person-facing
//! `concerns` of the status call.

use serde_json::{Value, json};

use crate::support::{Db, spawn_app};

both_dbs!(
    flow_files_and_csp,
    cors_per_application,
    status_concerns_tell_the_next_step_without_values
);

async fn flow_files_and_csp(db: Db) {
    let Some(app) = spawn_app(db).await else {
        return;
    };
    let page = app.http.get(app.url("/flow/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let h = page.headers().clone();
    assert_eq!(h["content-type"], "text/html; charset=utf-8");
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"));
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
    assert!(page.text().await.unwrap().contains("/flow/signup.js"));

    for (path, ct, needle) in [
        (
            "/flow/signup.js",
            "text/javascript; charset=utf-8",
            "IdVerify",
        ),
        ("/flow/signup.css", "text/css; charset=utf-8", ".idv"),
        (
            "/flow/locales/en.json",
            "application/json",
            "account.heading",
        ),
        ("/flow/locales/fr.json", "application/json", "Votre compte"),
    ] {
        let r = app.http.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["content-type"], ct, "{path}");
        assert_eq!(r.headers()["access-control-allow-origin"], "*", "{path}");
        assert_eq!(r.headers()["x-content-type-options"], "nosniff", "{path}");
        assert!(r.text().await.unwrap().contains(needle), "{path}");
    }
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_redirect.get(app.url("/flow")).send().await.unwrap();
    assert_eq!(r.status(), 308);
    assert_eq!(r.headers()["location"], "/flow/");
    let r = app.http.get(app.url("/flow/nope.js")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    app.shutdown().await;
}

async fn preflight(app: &crate::support::TestApp, path: &str, origin: &str) -> reqwest::Response {
    app.http
        .request(reqwest::Method::OPTIONS, app.url(path))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "x-client-key, content-type",
        )
        .send()
        .await
        .unwrap()
}

async fn create_from(app: &crate::support::TestApp, key: &str, origin: &str) -> reqwest::Response {
    app.http
        .post(app.url("/verifications"))
        .header("Origin", origin)
        .header("X-Client-Key", key)
        .json(&json!({"platform": "web"}))
        .send()
        .await
        .unwrap()
}

async fn cors_per_application(db: Db) {
    let Some(app) = spawn_app(db).await else {
        return;
    };
    let shop = "https://shop.example";
    let other_shop = "https://other.example";
    let store = app.admin.store();

    // No application allows the origin yet: preflight and call are refused.
    assert_eq!(preflight(&app, "/verifications", shop).await.status(), 403);
    let r = create_from(&app, &app.app.publishable_key, shop).await;
    assert_eq!(r.status(), 403);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["message"], "Origin not allowed for this application");

    assert!(
        store
            .set_app_origins(&app.app.app_id, &[shop.to_owned()])
            .await
            .unwrap()
    );
    let second = app.admin.create_app("other", None).await.unwrap();
    assert!(
        store
            .set_app_origins(&second.app_id, &[other_shop.to_owned()])
            .await
            .unwrap()
    );

    let p = preflight(&app, "/verifications", shop).await;
    assert_eq!(p.status(), 204);
    assert_eq!(p.headers()["access-control-allow-origin"], shop);
    let allowed_headers = p.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(allowed_headers.contains("x-client-key") && allowed_headers.contains("authorization"));

    // The first app's key from its own origin: accepted, and readable by the page.
    let r = create_from(&app, &app.app.publishable_key, shop).await;
    assert_eq!(r.status(), 202);
    assert_eq!(r.headers()["access-control-allow-origin"], shop);
    let created: Value = r.json().await.unwrap();
    let id = created["id"].as_str().unwrap();
    let token = created["token"].as_str().unwrap();

    // The same key from the origin only the second app allows: refused.
    assert_eq!(
        create_from(&app, &app.app.publishable_key, other_shop)
            .await
            .status(),
        403
    );
    // And the second app's key from the first app's origin.
    assert_eq!(
        create_from(&app, &second.publishable_key, shop)
            .await
            .status(),
        403
    );

    // Token calls follow the verification's application.
    let status = |origin: &'static str| {
        app.http
            .get(app.url(&format!("/verifications/{id}/status")))
            .header("Origin", origin)
            .bearer_auth(token)
            .send()
    };
    let r = status("https://shop.example").await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["access-control-allow-origin"], shop);
    assert_eq!(status("https://other.example").await.unwrap().status(), 403);

    // The service's own origin and origin-less calls are not affected.
    let own = create_from(&app, &app.app.publishable_key, &app.base).await;
    assert_eq!(own.status(), 202);
    assert!(own.headers().get("access-control-allow-origin").is_none());
    let r = app
        .http
        .post(app.url("/verifications"))
        .header("X-Client-Key", &app.app.publishable_key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);

    // Results stay server-to-server: no CORS answer there.
    let p = preflight(&app, &format!("/verifications/results/{id}"), shop).await;
    assert!(p.headers().get("access-control-allow-origin").is_none());

    // A malformed Origin is refused outright.
    assert_eq!(
        create_from(&app, &app.app.publishable_key, "javascript:x")
            .await
            .status(),
        403
    );
    assert!(store.set_app_origins(&app.app.app_id, &[]).await.unwrap());
    assert_eq!(
        create_from(&app, &app.app.publishable_key, shop)
            .await
            .status(),
        403
    );
    assert!(
        !store
            .set_app_origins("app_nope", &[shop.to_owned()])
            .await
            .unwrap()
    );
    app.shutdown().await;
}

async fn status_concerns_tell_the_next_step_without_values(db: Db) {
    let Some(app) = spawn_app(db).await else {
        return;
    };
    // A printed/MRZ date conflict (DC030) declines the document; the person is told to retake
    // the photos, without the values read (the flow words the reason itself).
    let c = app
        .full_cycle(
            "doc=B1;dob=1965-03-10;printed_dob=2022-03-10;given=Willeke;surname=De Bruijn",
            "",
        )
        .await;
    let st = app.wait_done(&c, 30).await;
    assert_eq!(st["status"], "done");
    assert_eq!(st["ocr"]["applicationStatus"], "declined");
    assert_eq!(
        st["concerns"],
        json!([{"id": "DC030", "message": "", "next": "retake", "retake": true}])
    );
    let (code, results) = app.results(&c.id, Some(&app.app.secret_key)).await;
    assert_eq!(code, 200);
    let ids: Vec<&str> = results["data"]["results"]["concerns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"DC030"));
    app.shutdown().await;
}
