//! The idverify verification service: the HTTP API of CONTRACT §3–§4 (axum), tenants and keys,
//! storage through sqlx (embedded SQLite or PostgreSQL), a durable job queue with a worker pool,
//! ES512 signing and the JWKS, webhooks, encryption at rest, retention, and configuration.
//!
//! The document check itself is not here: the caller passes a [`check::DocumentCheck`].
//! [`server::RunningServer::start`] runs the service; [`server::Admin`] backs the CLI's
//! `apps` and `keys` commands.

pub mod at_rest;
pub mod auth;
pub mod blobs;
pub mod check;
pub mod clock;
pub mod config;
pub mod console;
pub mod console_store;
pub mod error;
pub mod flow;
pub mod geo;
pub mod http;
pub mod ids;
pub mod keyring;
pub mod metrics;
pub mod operators;
pub mod routes;
pub mod server;
pub mod service;
pub mod signing;
pub mod store;
pub mod webhook;
pub mod worker;

pub use check::{CheckError, CheckInput, CheckOutput, DocumentCheck, InputImage};
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::Config;
pub use error::{ApiError, Forbidden, ServerError};
pub use server::{Admin, NewApp, NewOperator, RunningServer};
