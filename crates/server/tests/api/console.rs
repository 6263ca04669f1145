//! The operator console's API: authorisation of every endpoint (no session → 401, a state
//! change without the session's CSRF token → 403, a reviewer on an admin endpoint → 403, an id
//! that is not in this deployment → 404), set-up links, lock-out, logout everywhere, and a
//! manual decision: the Result, the re-signed answer, the re-sent webhook, the audit trail,
//! /metrics.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Db, TestApp, spawn_app_with};

const PASSWORD: &str = "a long enough passphrase";

/// A signed-in operator: its cookie and CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    session: Option<&Session>,
    csrf: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = app.http.request(method, app.url(path));
    if let Some(s) = session {
        req = req.header("Cookie", &s.cookie);
    }
    if let Some(c) = csrf {
        req = req.header("X-CSRF-Token", c);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let v = r.json().await.unwrap_or(Value::Null);
    (status, v)
}

/// Creates an operator through the admin (the CLI's path), sets its password through its
/// set-up link, signs in.
async fn operator(app: &TestApp, email: &str, role: &str) -> Session {
    let created = app.admin.create_operator(email, role).await.unwrap();
    let token = created.setup_url.split_once('#').unwrap().1.to_owned();
    assert!(created.setup_url.contains("/console/setup#os_"));
    let (s, v) = call(
        app,
        Method::POST,
        "/console/api/setup",
        None,
        None,
        Some(json!({"token": token, "password": PASSWORD})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    // The link works once.
    let (s, _) = call(
        app,
        Method::POST,
        "/console/api/setup",
        None,
        None,
        Some(json!({"token": token, "password": PASSWORD})),
    )
    .await;
    assert_eq!(s, 400);
    login(app, email).await
}

async fn login(app: &TestApp, email: &str) -> Session {
    let r = app
        .http
        .post(app.url("/console/api/login"))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let set = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set.contains("HttpOnly")
            && set.contains("SameSite=Strict")
            && set.contains("Path=/console")
    );
    assert!(!set.contains("Secure"), "plain http: no Secure flag");
    let cookie = set.split(';').next().unwrap().to_owned();
    let v: Value = r.json().await.unwrap();
    Session {
        cookie,
        csrf: v["csrf"].as_str().unwrap().to_owned(),
    }
}

/// Every console endpoint: method, path (`{v}` a verification id, `{a}` an app id, `{o}` an
/// operator id), whether it needs an admin, a valid body.
fn endpoints() -> Vec<(Method, &'static str, bool, Value)> {
    vec![
        (Method::GET, "/console/api/me", false, Value::Null),
        (Method::POST, "/console/api/logout", false, json!({})),
        (Method::POST, "/console/api/logout-all", false, json!({})),
        (Method::POST, "/console/api/totp", false, json!({})),
        (
            Method::GET,
            "/console/api/verifications",
            false,
            Value::Null,
        ),
        (
            Method::GET,
            "/console/api/verifications/{v}",
            false,
            Value::Null,
        ),
        (
            Method::GET,
            "/console/api/verifications/{v}/files/front",
            false,
            Value::Null,
        ),
        (
            Method::POST,
            "/console/api/verifications/{v}/decision",
            false,
            json!({"decision": "approved", "reason": "ok"}),
        ),
        (Method::GET, "/console/api/audit", false, Value::Null),
        (Method::GET, "/console/api/overview", false, Value::Null),
        (Method::GET, "/console/api/apps", true, Value::Null),
        (
            Method::POST,
            "/console/api/apps",
            true,
            json!({"name": "x"}),
        ),
        (Method::DELETE, "/console/api/apps/{a}", true, Value::Null),
        (
            Method::POST,
            "/console/api/apps/{a}/rotate",
            true,
            json!({}),
        ),
        (
            Method::PUT,
            "/console/api/apps/{a}/origins",
            true,
            json!({"origins": []}),
        ),
        (
            Method::PUT,
            "/console/api/apps/{a}/webhook",
            true,
            json!({"url": null}),
        ),
        (Method::GET, "/console/api/operators", true, Value::Null),
        (
            Method::POST,
            "/console/api/operators",
            true,
            json!({"email": "n@example.org", "role": "reviewer"}),
        ),
        (
            Method::DELETE,
            "/console/api/operators/{o}",
            true,
            Value::Null,
        ),
        (
            Method::POST,
            "/console/api/operators/{o}/reset",
            true,
            json!({}),
        ),
    ]
}

fn fill(path: &str, v: &str, a: &str, o: &str) -> String {
    path.replace("{v}", v).replace("{a}", a).replace("{o}", o)
}

fn body_of(v: &Value) -> Option<Value> {
    (!v.is_null()).then(|| v.clone())
}

async fn console_authorisation(db: Db) {
    let Some(app) = spawn_app_with(db, None, |_| {}).await else {
        return;
    };
    let Some(other) = spawn_app_with(db, None, |_| {}).await else {
        return;
    };
    let admin = operator(&app, "admin@example.org", "admin").await;
    let reviewer = operator(&app, "rev@example.org", "reviewer").await;
    let c = other
        .full_cycle(
            "doc=O1;surname=Other;given=Ann;dob=1970-05-05;review=1",
            "ext-o",
        )
        .await;
    other.wait_done(&c, 30).await;
    let ops: Value = call(
        &app,
        Method::GET,
        "/console/api/operators",
        Some(&admin),
        None,
        None,
    )
    .await
    .1;
    let admin_id = ops["operators"][0]["id"].as_str().unwrap().to_owned();
    let (foreign_v, foreign_a, foreign_o) = (
        c.id.as_str(),
        other.app.app_id.as_str(),
        "op_0123456789abcdef0123456789abcdef",
    );
    let stranger = operator(&other, "stranger@example.org", "admin").await;
    for (method, path, needs_admin, body) in endpoints() {
        let p = fill(path, foreign_v, foreign_a, foreign_o);
        // No session.
        let (s, v) = call(&app, method.clone(), &p, None, None, body_of(&body)).await;
        assert_eq!(s, 401, "{method} {p} without a session: {v}");
        assert_eq!(v["statusCode"], 401);
        // Another deployment's session is no session here.
        let (s, _) = call(
            &app,
            method.clone(),
            &p,
            Some(&stranger),
            Some(&stranger.csrf),
            body_of(&body),
        )
        .await;
        assert_eq!(s, 401, "{method} {p} with another deployment's session");
        let changes = method != Method::GET;
        if changes {
            for csrf in [None, Some("forged"), Some(reviewer.csrf.as_str())] {
                let (s, v) =
                    call(&app, method.clone(), &p, Some(&admin), csrf, body_of(&body)).await;
                assert_eq!(s, 403, "{method} {p} with CSRF {csrf:?}: {v}");
                assert_eq!(v["message"], "Missing or invalid CSRF token");
            }
        }
        if needs_admin {
            let (s, v) = call(
                &app,
                method.clone(),
                &p,
                Some(&reviewer),
                Some(&reviewer.csrf),
                body_of(&body),
            )
            .await;
            assert_eq!(s, 403, "{method} {p} as a reviewer: {v}");
        }
        if path.contains('{') {
            let (s, v) = call(
                &app,
                method.clone(),
                &p,
                Some(&admin),
                Some(&admin.csrf),
                body_of(&body),
            )
            .await;
            assert_eq!(s, 404, "{method} {p}: another deployment's id: {v}");
        }
    }
    // A reviewer is refused the admin pages themselves; without a session they redirect.
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for page in ["/console/apps", "/console/operators"] {
        let r = no_redirect
            .get(app.url(page))
            .header("Cookie", &reviewer.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{page}");
        let r = no_redirect
            .get(app.url(page))
            .header("Cookie", &admin.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{page}");
        assert!(
            r.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("script-src 'self'")
        );
        let r = no_redirect.get(app.url(page)).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/console/login");
    }
    // Bad input: clear 400s.
    let (s, v) = call(
        &app,
        Method::POST,
        "/console/api/operators",
        Some(&admin),
        Some(&admin.csrf),
        Some(json!({"email": "nope", "role": "admin"})),
    )
    .await;
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (400, "\"nope\" is not an e-mail address")
    );
    let (s, _) = call(
        &app,
        Method::GET,
        "/console/api/verifications?from=yesterday",
        Some(&admin),
        None,
        None,
    )
    .await;
    assert_eq!(s, 400);
    let r = app
        .http
        .post(app.url("/console/api/apps"))
        .header("Cookie", &admin.cookie)
        .header("X-CSRF-Token", &admin.csrf)
        .header("Content-Type", "text/plain")
        .body("{\"name\":\"x\"}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "a state change must be JSON");
    // An admin cannot remove themselves; removing another ends its sessions.
    let (s, _) = call(
        &app,
        Method::DELETE,
        &format!("/console/api/operators/{admin_id}"),
        Some(&admin),
        Some(&admin.csrf),
        None,
    )
    .await;
    assert_eq!(s, 400);
    let ops: Value = call(
        &app,
        Method::GET,
        "/console/api/operators",
        Some(&admin),
        None,
        None,
    )
    .await
    .1;
    let rev_id = ops["operators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["email"] == "rev@example.org")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (s, _) = call(
        &app,
        Method::DELETE,
        &format!("/console/api/operators/{rev_id}"),
        Some(&admin),
        Some(&admin.csrf),
        None,
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = call(
        &app,
        Method::GET,
        "/console/api/me",
        Some(&reviewer),
        None,
        None,
    )
    .await;
    assert_eq!(s, 401, "a removed operator's session ends");
    app.shutdown().await;
    other.shutdown().await;
}

async fn console_lockout_and_logout_everywhere(db: Db) {
    let Some(app) = spawn_app_with(db, None, |_| {}).await else {
        return;
    };
    let a = operator(&app, "ann@example.org", "reviewer").await;
    let b = login(&app, "ann@example.org").await;
    // Logout everywhere ends both sessions.
    let (s, _) = call(
        &app,
        Method::POST,
        "/console/api/logout-all",
        Some(&a),
        Some(&a.csrf),
        Some(json!({})),
    )
    .await;
    assert_eq!(s, 200);
    for sess in [&a, &b] {
        let (s, _) = call(&app, Method::GET, "/console/api/me", Some(sess), None, None).await;
        assert_eq!(s, 401);
    }
    // Unknown accounts and wrong passwords look the same.
    let wrong = |email: &'static str| json!({"email": email, "password": "not the password"});
    let (s, v) = call(
        &app,
        Method::POST,
        "/console/api/login",
        None,
        None,
        Some(wrong("nobody@example.org")),
    )
    .await;
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (401, "Wrong e-mail or password")
    );
    for n in 1..=5 {
        let (s, v) = call(
            &app,
            Method::POST,
            "/console/api/login",
            None,
            None,
            Some(wrong("ann@example.org")),
        )
        .await;
        if n < 5 {
            assert_eq!(s, 401, "attempt {n}: {v}");
        } else {
            assert_eq!(s, 423, "the fifth wrong password locks: {v}");
        }
    }
    let (s, _) = call(
        &app,
        Method::POST,
        "/console/api/login",
        None,
        None,
        Some(json!({"email": "ann@example.org", "password": PASSWORD})),
    )
    .await;
    assert_eq!(s, 423, "locked: even the right password is refused");
    let (s, _) = call(
        &app,
        Method::POST,
        "/console/api/login",
        None,
        None,
        Some(json!({"email": 5})),
    )
    .await;
    assert_eq!(s, 400);
    app.shutdown().await;
}

async fn console_totp_and_secure_cookie(db: Db) {
    let Some(app) = spawn_app_with(db, None, |c| {
        c.public_url = Some("https://console.example".into());
    })
    .await
    else {
        return;
    };
    let created = app
        .admin
        .create_operator("tia@example.org", "reviewer")
        .await
        .unwrap();
    assert!(
        created
            .setup_url
            .starts_with("https://console.example/console/setup#os_")
    );
    let token = created.setup_url.split_once('#').unwrap().1;
    let (s, _) = call(
        &app,
        Method::POST,
        "/console/api/setup",
        None,
        None,
        Some(json!({"token": token, "password": "short"})),
    )
    .await;
    assert_eq!(s, 400, "a short password is refused");
    let (s, _) = call(
        &app,
        Method::POST,
        "/console/api/setup",
        None,
        None,
        Some(json!({"token": token, "password": PASSWORD})),
    )
    .await;
    assert_eq!(s, 200);
    let r = app
        .http
        .post(app.url("/console/api/login"))
        .json(&json!({"email": "tia@example.org", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(
        r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("; Secure"),
        "https public URL: Secure cookie"
    );
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let csrf = r.json::<Value>().await.unwrap()["csrf"]
        .as_str()
        .unwrap()
        .to_owned();
    let sess = Session { cookie, csrf };
    // Enrol: a proposed secret, then a wrong code, then the right one.
    let (s, t) = call(
        &app,
        Method::POST,
        "/console/api/totp",
        Some(&sess),
        Some(&sess.csrf),
        Some(json!({})),
    )
    .await;
    assert_eq!(s, 200);
    assert!(
        t["otpauthUri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/idverify:tia@example.org?secret=")
    );
    let secret = idverify_server::operators::base32_decode(t["secret"].as_str().unwrap()).unwrap();
    let now = || app.service().clock.now_secs();
    let code = idverify_server::operators::totp_code(&secret, now()).unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (s, _) = call(
        &app,
        Method::POST,
        "/console/api/totp",
        Some(&sess),
        Some(&sess.csrf),
        Some(json!({"secret": t["secret"], "code": wrong})),
    )
    .await;
    assert_eq!(s, 400);
    let (s, _) = call(
        &app,
        Method::POST,
        "/console/api/totp",
        Some(&sess),
        Some(&sess.csrf),
        Some(json!({"secret": t["secret"], "code": code})),
    )
    .await;
    assert_eq!(s, 200);
    // Now the password alone is not enough.
    let (s, v) = call(
        &app,
        Method::POST,
        "/console/api/login",
        None,
        None,
        Some(json!({"email": "tia@example.org", "password": PASSWORD})),
    )
    .await;
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (401, "One-time code required")
    );
    let (s, _) = call(
        &app,
        Method::POST,
        "/console/api/login",
        None,
        None,
        Some(json!({"email": "tia@example.org", "password": PASSWORD, "code": wrong})),
    )
    .await;
    assert_eq!(s, 401);
    let code = idverify_server::operators::totp_code(&secret, now()).unwrap();
    let (s, v) = call(
        &app,
        Method::POST,
        "/console/api/login",
        None,
        None,
        Some(json!({"email": "tia@example.org", "password": PASSWORD, "code": code})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    app.shutdown().await;
}

#[derive(Default)]
struct Receiver {
    hits: Mutex<Vec<(HeaderMap, Bytes)>>,
}

async fn hook(State(r): State<Arc<Receiver>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    r.hits.lock().unwrap().push((headers, body));
    StatusCode::OK
}

async fn console_manual_review(db: Db) {
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
    let rev = operator(&app, "rev@example.org", "reviewer").await;
    let c = app
        .full_cycle(
            "doc=R1;surname=Review;given=Ann;dob=1970-05-05;review=1",
            "ext-r",
        )
        .await;
    assert_eq!(
        app.wait_done(&c, 30).await["applicationStatus"],
        "needs-review"
    );
    let ok = app
        .full_cycle("doc=R2;surname=Fine;given=Bo;dob=1971-05-05", "ext-f")
        .await;
    app.wait_done(&ok, 30).await;

    // The queue: filtered by status and concern.
    let (s, q) = call(
        &app,
        Method::GET,
        "/console/api/verifications?status=needs-review",
        Some(&rev),
        None,
        None,
    )
    .await;
    assert_eq!(s, 200);
    let ids: Vec<&str> = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![c.id.as_str()]);
    assert_eq!(q["items"][0]["concerns"], json!(["DC001", "DC023"]));
    let (_, q) = call(
        &app,
        Method::GET,
        "/console/api/verifications?status=&concern=DC001",
        Some(&rev),
        None,
        None,
    )
    .await;
    assert_eq!(q["items"].as_array().unwrap().len(), 1);
    let (_, q) = call(
        &app,
        Method::GET,
        &format!("/console/api/verifications?status=&app={}", app.app.app_id),
        Some(&rev),
        None,
        None,
    )
    .await;
    assert_eq!(q["items"].as_array().unwrap().len(), 2);

    // The review page's data and an image: both audited; images are not cached.
    let (s, d) = call(
        &app,
        Method::GET,
        &format!("/console/api/verifications/{}", c.id),
        Some(&rev),
        None,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(d["result"]["results"]["status"], "needs-review");
    assert_eq!(
        d["result"]["documentDataChecking"][0]["category"],
        "Date of birth"
    );
    let r = app
        .http
        .get(app.url(&format!("/console/api/verifications/{}/files/front", c.id)))
        .header("Cookie", &rev.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.headers()["content-type"], "image/png");
    assert!(!r.bytes().await.unwrap().is_empty());

    // Bad decisions.
    let path = format!("/console/api/verifications/{}/decision", c.id);
    for body in [
        json!({"decision": "maybe", "reason": "x"}),
        json!({"decision": "approved", "reason": "  "}),
        json!({"decision": "approved"}),
    ] {
        let (s, v) = call(
            &app,
            Method::POST,
            &path,
            Some(&rev),
            Some(&rev.csrf),
            Some(body),
        )
        .await;
        assert_eq!(s, 400, "{v}");
    }
    let (s, _) = call(
        &app,
        Method::POST,
        &format!("/console/api/verifications/{}/decision", ok.id),
        Some(&rev),
        Some(&rev.csrf),
        Some(json!({"decision": "declined", "reason": "x"})),
    )
    .await;
    assert_eq!(s, 409, "an approved verification is not in the queue");

    // Approve.
    let first_hooks = wait_hooks(&receiver, 1).await;
    let (s, v) = call(
        &app,
        Method::POST,
        &path,
        Some(&rev),
        Some(&rev.csrf),
        Some(json!({"decision": "approved", "reason": "Photo checked by hand"})),
    )
    .await;
    assert_eq!((s, v), (200, json!({"id": c.id, "status": "approved"})));
    let (s, _) = call(
        &app,
        Method::POST,
        &path,
        Some(&rev),
        Some(&rev.csrf),
        Some(json!({"decision": "declined", "reason": "again"})),
    )
    .await;
    assert_eq!(s, 409, "decided once");

    // The integrator sees it: results API, signed token, status call, webhook.
    let (s, res) = app.results(&c.id, Some(&app.app.secret_key)).await;
    assert_eq!(s, 200);
    assert_eq!(res["data"]["results"]["status"], "approved");
    let last = res["data"]["checks"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["name"], "manualReview");
    assert_eq!(last["status"], "approved");
    assert_eq!(
        last["details"],
        json!({"operator": "rev@example.org", "reason": "Photo checked by hand"})
    );
    let jwks: idverify_server::signing::Jwks = app
        .http
        .get(app.url("/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let claims = jwks.verify_jwt(res["signed"].as_str().unwrap()).unwrap();
    assert_eq!(claims["data"]["results"]["status"], "approved");
    assert_eq!(app.status(&c).await["applicationStatus"], "approved");
    let hooks = wait_hooks(&receiver, first_hooks + 1).await;
    assert_eq!(hooks, first_hooks + 1);
    let (headers, body) = receiver.hits.lock().unwrap().last().unwrap().clone();
    let ts = headers["x-timestamp"].to_str().unwrap();
    assert!(jwks.verify_webhook(&body, ts, headers["x-signature"].to_str().unwrap()));
    let sent: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(sent["applicationStatus"], "approved");
    assert_eq!(sent["id"], c.id.as_str());

    // The audit trail: the verification's and the console's.
    let trail = app.service().store.audit_trail(&c.id).await.unwrap();
    let events: Vec<(&str, &str)> = trail
        .iter()
        .map(|e| (e.event.as_str(), e.actor.as_str()))
        .collect();
    for want in [
        ("result-viewed", "operator:rev@example.org"),
        ("image-viewed", "operator:rev@example.org"),
        ("manual-review", "operator:rev@example.org"),
        ("webhook-reissued", "operator:rev@example.org"),
    ] {
        assert!(events.contains(&want), "{want:?} in {events:?}");
    }
    let (_, a) = call(
        &app,
        Method::GET,
        "/console/api/audit",
        Some(&rev),
        None,
        None,
    )
    .await;
    let seen: Vec<&str> = a["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert!(
        seen.contains(&"manual-review")
            && seen.contains(&"image-viewed")
            && seen.contains(&"login"),
        "{seen:?}"
    );

    // Overview and /metrics agree.
    let (_, o) = call(
        &app,
        Method::GET,
        "/console/api/overview?days=7",
        Some(&rev),
        None,
        None,
    )
    .await;
    assert_eq!(o["queueLength"], 0);
    assert_eq!(o["decisions"], json!({"approved": 1}));
    assert_eq!(o["days"].as_array().unwrap().len(), 7);
    assert_eq!(
        o["byStatus"]["approved"]
            .as_array()
            .unwrap()
            .last()
            .unwrap(),
        2
    );
    assert_eq!(
        o["byConcern"]["DC001"].as_array().unwrap().last().unwrap(),
        1
    );
    assert!(o["medianDecisionMs"].as_i64().unwrap() >= 0);
    let (s, _) = call(
        &app,
        Method::GET,
        "/console/api/overview?days=0",
        Some(&rev),
        None,
        None,
    )
    .await;
    assert_eq!(s, 400);
    let metrics = app
        .http
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for line in [
        "idverify_review_queue_length 0",
        "idverify_manual_decisions_total{decision=\"approved\"} 1",
        "idverify_verifications{decision=\"approved\"} 2",
        "idverify_concerns{code=\"DC001\"} 1",
    ] {
        assert!(metrics.contains(line), "{line} in /metrics");
    }
    assert!(metrics.contains("idverify_review_median_seconds "));
    app.shutdown().await;
    server.abort();
}

/// A decision taken while the first webhook attempt is in flight: that attempt's outcome does
/// not mark the re-armed delivery delivered; the next claim carries the new body.
async fn console_review_during_a_webhook_attempt(db: Db) {
    // The dispatcher polls once at start-up, then not for an hour: this test claims by hand.
    let Some(app) = spawn_app_with(db, Some("http://127.0.0.1:9/hook"), |c| {
        c.webhooks.poll_ms = 3_600_000;
    })
    .await
    else {
        return;
    };
    let rev = operator(&app, "rev@example.org", "reviewer").await;
    let c = app
        .full_cycle(
            "doc=F1;surname=Flight;given=Ann;dob=1970-05-05;review=1",
            "ext-f",
        )
        .await;
    app.wait_done(&c, 30).await;
    let store = &app.service().store;
    let now = app.service().clock.now_ms();
    let first = store.claim_delivery(now, 60_000).await.unwrap().unwrap();
    assert_eq!(first.verification_id, c.id);
    let path = format!("/console/api/verifications/{}/decision", c.id);
    let (s, _) = call(
        &app,
        Method::POST,
        &path,
        Some(&rev),
        Some(&rev.csrf),
        Some(json!({"decision": "declined", "reason": "Not the same person"})),
    )
    .await;
    assert_eq!(s, 200);
    // The old body's attempt ends (answered 200) after the decision.
    let attempt = idverify_server::store::AttemptRow {
        attempt: 1,
        at: now,
        status_code: Some(200),
        error: None,
        duration_ms: 5,
    };
    store
        .record_attempt(&first.id, &attempt, "delivered", now)
        .await
        .unwrap();
    let again = store
        .claim_delivery(app.service().clock.now_ms() + 1, 60_000)
        .await
        .unwrap()
        .expect("the re-armed delivery is still due");
    assert_eq!((again.id.as_str(), again.attempts), (first.id.as_str(), 1));
    let body = app
        .service()
        .sealer
        .open(
            &again.body,
            &idverify_server::webhook::body_context(&again.id),
        )
        .unwrap();
    let sent: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(sent["applicationStatus"], "declined");
    let old: Value = serde_json::from_slice(
        &app.service()
            .sealer
            .open(
                &first.body,
                &idverify_server::webhook::body_context(&first.id),
            )
            .unwrap(),
    )
    .unwrap();
    assert_eq!(old["applicationStatus"], "needs-review");
    app.shutdown().await;
}

async fn wait_hooks(receiver: &Receiver, n: usize) -> usize {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let got = receiver.hits.lock().unwrap().len();
        if got >= n {
            return got;
        }
        assert!(Instant::now() < deadline, "webhook not delivered {n} times");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

both_dbs!(
    console_authorisation,
    console_lockout_and_logout_everywhere,
    console_manual_review,
    console_totp_and_secure_cookie,
    console_review_during_a_webhook_attempt
);
