//! Webhook delivery: the `ocr` callback object POSTed to the application's URL with
//! `X-Timestamp` and `X-Signature` (ES512 over the body bytes followed by the timestamp digits),
//! retried with exponential backoff until a 2xx answer or the give-up age; every attempt is
//! recorded.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::error::ServerError;
use crate::service::Service;
use crate::signing::webhook_message;
use crate::store::{AttemptRow, DeliveryRow};

/// The sealing context of a delivery's body.
pub fn body_context(delivery_id: &str) -> String {
    format!("webhook:{delivery_id}:body")
}

/// The delay before attempt `n + 1` after `n` failed attempts.
///
/// ```
/// use idverify_server::webhook::backoff_ms;
/// assert_eq!(backoff_ms(1, 100, 10_000), 100);
/// assert_eq!(backoff_ms(3, 100, 10_000), 400);
/// assert_eq!(backoff_ms(40, 100, 10_000), 10_000);
/// ```
pub fn backoff_ms(failed_attempts: i64, base_ms: i64, max_ms: i64) -> i64 {
    let exp = u32::try_from(failed_attempts.saturating_sub(1).clamp(0, 40)).unwrap_or(40);
    base_ms.saturating_mul(2i64.saturating_pow(exp)).min(max_ms)
}

/// Runs the dispatcher until `shutdown` turns true.
pub async fn run_dispatcher(svc: Arc<Service>, mut shutdown: watch::Receiver<bool>) {
    let cfg = svc.config.webhooks;
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_millis(cfg.timeout_ms))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("idverify-webhook/1")
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "cannot build the webhook client; webhooks disabled");
            return;
        }
    };
    let lease = i64::try_from(cfg.timeout_ms).unwrap_or(10_000) + 30_000;
    loop {
        if *shutdown.borrow() {
            return;
        }
        match svc.store.claim_delivery(svc.now(), lease).await {
            Ok(Some(d)) => {
                let svc = Arc::clone(&svc);
                let client = client.clone();
                // Deliveries run concurrently: one slow receiver does not hold up the others.
                tokio::spawn(async move {
                    if let Err(e) = deliver(&svc, &client, d).await {
                        tracing::error!(error = %e, "webhook bookkeeping failed");
                    }
                });
                continue;
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "claiming a webhook delivery failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(cfg.poll_ms.max(10))) => {}
            _ = shutdown.changed() => {}
        }
    }
}

async fn deliver(
    svc: &Service,
    client: &reqwest::Client,
    d: DeliveryRow,
) -> Result<(), ServerError> {
    let cfg = svc.config.webhooks;
    let body = svc.sealer.open(&d.body, &body_context(&d.id))?;
    let timestamp = svc.clock.now_secs().to_string();
    let key = svc.keys.active()?;
    let signature = key.sign_b64(&webhook_message(&body, &timestamp));
    let started = Instant::now();
    let at = svc.now();
    let answer = client
        .post(&d.url)
        .header("content-type", "application/json")
        .header("x-timestamp", &timestamp)
        .header("x-signature", signature)
        .header("x-signature-kid", &key.kid)
        .body(body)
        .send()
        .await;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let attempt = d.attempts + 1;
    let (status_code, error, ok) = match answer {
        Ok(r) => {
            let s = r.status();
            (Some(i64::from(s.as_u16())), None, s.is_success())
        }
        Err(e) => (None, Some(transport_error(&e)), false),
    };
    let now = svc.now();
    let (state, next) = if ok {
        svc.metrics.webhook_ok.fetch_add(1, Ordering::Relaxed);
        ("delivered", now)
    } else {
        svc.metrics.webhook_failed.fetch_add(1, Ordering::Relaxed);
        let next = now + backoff_ms(attempt, cfg.backoff_base_ms, cfg.backoff_max_ms);
        if next - d.created_at > cfg.give_up_after_ms {
            ("failed", now)
        } else {
            ("pending", next)
        }
    };
    tracing::info!(verification = %d.verification_id, attempt, ?status_code, state, "webhook attempt");
    svc.store
        .record_attempt(
            &d.id,
            &AttemptRow {
                attempt,
                at,
                status_code,
                error,
                duration_ms,
            },
            state,
            next,
        )
        .await
}

/// A transport error without the URL (which may carry credentials).
fn transport_error(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".into()
    } else if e.is_connect() {
        "connection failed".into()
    } else if e.is_request() {
        "request error".into()
    } else {
        "transport error".into()
    }
}
