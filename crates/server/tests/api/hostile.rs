//! Hostile HTTP clients get their 4xx (or a closed connection) and the server stays up: a huge
//! header, a slow client, a trickled body, garbage bytes.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{Db, spawn_app_with};

async fn read_all(s: &mut TcpStream, within: Duration) -> String {
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(within, s.read_to_end(&mut buf)).await;
    String::from_utf8_lossy(&buf).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_clients_get_4xx_and_the_server_survives() {
    let app = spawn_app_with(Db::Sqlite, None, |c| {
        c.http.header_read_timeout_ms = 500;
        c.http.request_timeout_ms = 1_000;
    })
    .await
    .unwrap();
    let addr = app.base.trim_start_matches("http://").to_owned();

    // A huge header: 431.
    let mut s = TcpStream::connect(&addr).await.unwrap();
    let big = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(200_000)
    );
    let _ = s.write_all(big.as_bytes()).await;
    let answer = read_all(&mut s, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer:.80}");

    // A slow client that never finishes its headers is disconnected.
    let mut s = TcpStream::connect(&addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let answer = read_all(&mut s, Duration::from_secs(5)).await;
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "connection closed by the server"
    );
    assert!(!answer.contains("200 OK"), "{answer}");

    // A body trickled slower than the request timeout: 408 in the contract's shape.
    let mut s = TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /verifications HTTP/1.1\r\nHost: x\r\nX-Client-Key: {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"ext",
        app.app.publishable_key
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let answer = read_all(&mut s, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"statusCode\":408"), "{answer}");

    // Garbage and a malformed request line: 400 or closed, never a crash.
    for junk in [
        &b"\x00\xff\x13garbage\r\n\r\n"[..],
        b"GET / HTTP/9.9\r\n\r\n",
        b"\r\n\r\n\r\n",
    ] {
        let mut s = TcpStream::connect(&addr).await.unwrap();
        let _ = s.write_all(junk).await;
        let answer = read_all(&mut s, Duration::from_secs(3)).await;
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 4"),
            "{answer}"
        );
    }

    // Still serving.
    let r = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    app.shutdown().await;
}
