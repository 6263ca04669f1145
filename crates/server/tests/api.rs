//! The service's integration tests: real HTTP against a server on 127.0.0.1:0, each test on a
//! fresh embedded SQLite file and on a fresh PostgreSQL database (when
//! `IDVERIFY_TEST_DATABASE_URL` is set; under `CI=true` its absence is a failure).

// Test code: a panic is a failed test (clippy.toml allows these in `#[test]` functions; the
// async helpers the tests call are test code too).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// Declares `sqlite::NAME` and `postgres::NAME` tests running `NAME(db)`.
macro_rules! both_dbs {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::$name(crate::support::Db::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::$name(crate::support::Db::Postgres).await
                }
            )*
        }
    };
}

#[path = "api/browser.rs"]
mod browser;
#[path = "api/console.rs"]
mod console;
#[path = "api/errors.rs"]
mod errors;
#[path = "api/flow.rs"]
mod flow;
#[path = "api/formats.rs"]
mod formats;
#[path = "api/hostile.rs"]
mod hostile;
#[path = "api/independent.rs"]
mod independent;
#[path = "api/keys.rs"]
mod keys;
#[path = "api/privacy.rs"]
mod privacy;
#[path = "api/restart.rs"]
mod restart;
#[path = "api/support.rs"]
mod support;
#[path = "api/webhooks.rs"]
mod webhooks;
