//! The HTTP/1 server loop: hyper with a header read timeout (slow clients are cut off), a cap on
//! the request head (431), the client's address for `ConnectInfo`, and graceful shutdown.
//! (`axum::serve` offers none of the limits.)

use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower_service::Service;

use crate::config::HttpLimits;

/// Serves `app` on `listener` until `shutdown` turns true; open connections get up to 5 s to
/// finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: HttpLimits,
    mut shutdown: watch::Receiver<bool>,
) {
    let app = app.layer(axum::middleware::from_fn_with_state(
        Duration::from_millis(limits.request_timeout_ms),
        crate::http::request_timeout,
    ));
    let mut conns = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = shutdown.changed() => break,
        };
        let (stream, peer) = match accepted {
            Ok(x) => x,
            Err(e) => {
                // Out of descriptors and the like: back off instead of spinning.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let router = app.clone();
        let mut stop = shutdown.clone();
        conns.spawn(async move {
            let svc = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                let mut router = router.clone();
                async move { router.call(req).await }
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(Duration::from_millis(limits.header_read_timeout_ms))
                .max_buf_size(limits.max_header_bytes.max(8192));
            let conn = builder.serve_connection(TokioIo::new(stream), svc);
            tokio::pin!(conn);
            tokio::select! {
                r = conn.as_mut() => {
                    if let Err(e) = r {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                    return;
                }
                _ = stop.wait_for(|s| *s) => {}
            }
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(Duration::from_secs(5), conn).await;
        });
        // Reap finished connection tasks so the set does not grow.
        while conns.try_join_next().is_some() {}
    }
    let _ = tokio::time::timeout(Duration::from_secs(6), async {
        while conns.join_next().await.is_some() {}
    })
    .await;
}

/// Answers 408 in the contract's error shape when a request takes longer than `limit`
/// (a client trickling its body, for one).
pub async fn request_timeout(
    axum::extract::State(limit): axum::extract::State<Duration>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => (
            axum::http::StatusCode::REQUEST_TIMEOUT,
            axum::Json(idverify_wire::ErrorBody {
                status_code: 408,
                message: "Request timeout: the request was not received in time".into(),
                error: Some("Request Timeout".into()),
                detail: None,
            }),
        )
            .into_response(),
    }
}
