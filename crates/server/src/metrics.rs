//! Prometheus metrics: request counts and latencies by route and status, job and webhook
//! outcomes. Rendered by hand in the text exposition format (no extra dependency).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Latency bucket bounds in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

#[derive(Debug, Default, Clone)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

/// The service's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), Series>>,
    /// Jobs processed to `done`.
    pub jobs_done: AtomicU64,
    /// Jobs that ended `failed`.
    pub jobs_failed: AtomicU64,
    /// Jobs put back after a system error.
    pub jobs_retried: AtomicU64,
    /// Webhook attempts answered 2xx.
    pub webhook_ok: AtomicU64,
    /// Webhook attempts that failed.
    pub webhook_failed: AtomicU64,
}

impl Metrics {
    /// Records one request.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        if let Ok(mut m) = self.requests.lock() {
            let s = m
                .entry((method.to_owned(), route.to_owned(), status))
                .or_default();
            s.count += 1;
            s.sum += seconds;
            for (bound, b) in BUCKETS.iter().zip(s.buckets.iter_mut()) {
                if seconds <= *bound {
                    *b += 1;
                }
            }
        }
    }

    /// The text exposition, with the job queue's current counts appended.
    pub fn render(&self, job_counts: &[(String, i64)]) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP idverify_http_requests_total HTTP requests by route and status.\n\
             # TYPE idverify_http_requests_total counter"
        );
        let snapshot = self.requests.lock().map(|m| m.clone()).unwrap_or_default();
        for ((method, route, status), s) in &snapshot {
            let _ = writeln!(
                out,
                "idverify_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {}",
                s.count
            );
        }
        let _ = writeln!(
            out,
            "# HELP idverify_http_request_duration_seconds Request latency.\n\
             # TYPE idverify_http_request_duration_seconds histogram"
        );
        let mut by_route: BTreeMap<(String, String), Series> = BTreeMap::new();
        for ((method, route, _), s) in &snapshot {
            let agg = by_route.entry((method.clone(), route.clone())).or_default();
            agg.count += s.count;
            agg.sum += s.sum;
            for (a, b) in agg.buckets.iter_mut().zip(s.buckets.iter()) {
                *a += b;
            }
        }
        for ((method, route), s) in &by_route {
            let labels = format!("method=\"{method}\",route=\"{route}\"");
            for (bound, n) in BUCKETS.iter().zip(s.buckets.iter()) {
                let _ = writeln!(
                    out,
                    "idverify_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "idverify_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}\n\
                 idverify_http_request_duration_seconds_sum{{{labels}}} {}\n\
                 idverify_http_request_duration_seconds_count{{{labels}}} {}",
                s.count, s.sum, s.count
            );
        }
        let counters = [
            (
                "idverify_jobs_done_total",
                "Jobs processed to done.",
                &self.jobs_done,
            ),
            (
                "idverify_jobs_failed_total",
                "Jobs that ended failed.",
                &self.jobs_failed,
            ),
            (
                "idverify_jobs_retried_total",
                "Jobs put back after a system error.",
                &self.jobs_retried,
            ),
            (
                "idverify_webhook_attempts_ok_total",
                "Webhook attempts answered 2xx.",
                &self.webhook_ok,
            ),
            (
                "idverify_webhook_attempts_failed_total",
                "Webhook attempts that failed.",
                &self.webhook_failed,
            ),
        ];
        for (name, help, v) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                v.load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(
            out,
            "# HELP idverify_jobs Jobs in the queue by state.\n# TYPE idverify_jobs gauge"
        );
        for (state, n) in job_counts {
            let _ = writeln!(out, "idverify_jobs{{state=\"{state}\"}} {n}");
        }
        out
    }
}
