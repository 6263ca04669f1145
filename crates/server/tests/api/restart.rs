//! Durability: `kill -9` of a server process while verifications are processing, then a
//! restart, reaches `done` exactly once for each; and two server processes on one PostgreSQL
//! share the queue without doing a job twice. The server processes are this test binary run
//! again as `restart::child_server` (so they use the same payload-reading check).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use idverify_server::{Admin, Config, RunningServer, SystemClock};

use crate::support::{Created, Db, PixelPayloadCheck, TestApp, test_config};

const CHILD_DIR: &str = "IDVERIFY_CHILD_DATA_DIR";
const CHILD_DB: &str = "IDVERIFY_CHILD_DATABASE_URL";
const CHILD_ADDR: &str = "IDVERIFY_CHILD_ADDR_FILE";

/// A server process for the tests below; does nothing unless started by them.
#[test]
#[ignore = "server process of the restart tests; they start it themselves"]
fn child_server() {
    let Ok(dir) = std::env::var(CHILD_DIR) else {
        return;
    };
    let addr_file = PathBuf::from(std::env::var(CHILD_ADDR).unwrap());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let mut config = Config::for_test(Path::new(&dir));
        if let Ok(url) = std::env::var(CHILD_DB) {
            config.database_url = Some(idverify_server::config::DatabaseUrl(url));
        }
        let server = RunningServer::start(
            config,
            Arc::new(PixelPayloadCheck::default()),
            Arc::new(SystemClock),
        )
        .await
        .unwrap();
        let tmp = addr_file.with_extension("tmp");
        std::fs::write(&tmp, server.addr.to_string()).unwrap();
        std::fs::rename(&tmp, &addr_file).unwrap();
        // Runs until killed.
        loop {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    });
}

struct ChildServer {
    child: Child,
    base: String,
}

fn start_child(config: &Config, addr_file: &Path) -> ChildServer {
    let _ = std::fs::remove_file(addr_file);
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--ignored",
        "--exact",
        "restart::child_server",
        "--test-threads=1",
    ])
    .env(CHILD_DIR, &config.data_dir)
    .env(CHILD_ADDR, addr_file)
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    match &config.database_url {
        Some(u) => cmd.env(CHILD_DB, &u.0),
        None => cmd.env_remove(CHILD_DB),
    };
    // Dropping it kills and reaps the process, also when the start times out.
    let mut server = ChildServer {
        child: cmd.spawn().unwrap(),
        base: String::new(),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(addr) = std::fs::read_to_string(addr_file) {
            server.base = format!("http://{addr}");
            return server;
        }
        assert!(Instant::now() < deadline, "child server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Default)]
struct Hooks {
    by_id: Mutex<HashMap<String, u32>>,
}

async fn hook(State(h): State<Arc<Hooks>>, body: Bytes) -> StatusCode {
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    *h.by_id
        .lock()
        .unwrap()
        .entry(v["id"].as_str().unwrap().to_owned())
        .or_default() += 1;
    StatusCode::OK
}

async fn receiver() -> (String, Arc<Hooks>, tokio::task::JoinHandle<()>) {
    let hooks = Arc::new(Hooks::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let router = axum::Router::new()
        .route("/hook", post(hook))
        .with_state(Arc::clone(&hooks));
    let task = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (url, hooks, task)
}

/// A client of a child server: the `TestApp` helpers without an in-process server.
async fn client_for(base: &str, config: &Config, dir: tempfile::TempDir, webhook: &str) -> TestApp {
    let admin = Admin::open(config.clone(), Arc::new(SystemClock))
        .await
        .unwrap();
    let app = admin.create_app("restart", Some(webhook)).await.unwrap();
    TestApp {
        base: base.to_owned(),
        server: None,
        admin,
        app,
        http: reqwest::Client::new(),
        check: Arc::new(PixelPayloadCheck::default()),
        config: config.clone(),
        dir,
    }
}

async fn submit_many(app: &TestApp, n: usize, tag: &str, sleep_ms: u64) -> Vec<Created> {
    let mut out = Vec::new();
    for i in 0..n {
        out.push(
            app.full_cycle(
                &format!("doc={tag}{i};surname=R;dob=1990-01-01;sleep={sleep_ms}"),
                "",
            )
            .await,
        );
    }
    out
}

async fn wait_all_done(app: &TestApp, all: &[Created], secs: u64) {
    for c in all {
        let s = app.wait_done(c, secs).await;
        assert_eq!(s["status"], "done", "{}", c.id);
    }
}

/// Exactly one Result and one webhook sequence per verification.
async fn assert_exactly_once(app: &TestApp, all: &[Created], hooks: &Hooks) {
    let store = app.admin.store();
    for c in all {
        let trail = store.audit_trail(&c.id).await.unwrap();
        let processed = trail.iter().filter(|e| e.event == "processed").count();
        assert_eq!(processed, 1, "{} processed {processed} times", c.id);
        let deliveries = store.webhook_attempts(&c.id).await.unwrap();
        assert_eq!(deliveries.len(), 1, "one webhook sequence for {}", c.id);
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let n = hooks.by_id.lock().unwrap().len();
        if n == all.len() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{n} of {} webhooks received",
            all.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    for (id, n) in hooks.by_id.lock().unwrap().iter() {
        assert_eq!(*n, 1, "webhook for {id} received {n} times");
    }
}

async fn kill_9_while_processing(db: Db) {
    let Some((config, dir)) = test_config(db).await else {
        return;
    };
    let (hook_url, hooks, hook_task) = receiver().await;
    let addr_file = dir.path().join("addr");
    // Migrate and create the app before the child starts.
    let first = start_child(&config, &addr_file);
    let app = client_for(&first.base, &config, dir, &hook_url).await;
    let all = submit_many(&app, 20, "K", 700).await;
    // Wait until work is under way: some done, some running, most queued.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut running = 0;
        for c in &all {
            if let Some((state, _, _)) = app.admin.store().job_attempts(&c.id).await.unwrap() {
                running += usize::from(state == "running");
            }
        }
        if running >= 2 {
            break;
        }
        assert!(Instant::now() < deadline, "no job started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut first = first;
    first.child.kill().unwrap(); // SIGKILL
    first.child.wait().unwrap();
    let mut interrupted = Vec::new();
    for c in &all {
        let (state, _, _) = app
            .admin
            .store()
            .job_attempts(&c.id)
            .await
            .unwrap()
            .unwrap();
        if state == "running" {
            interrupted.push(c.id.clone());
        }
    }
    assert!(!interrupted.is_empty(), "the kill interrupted running jobs");

    let second = start_child(&config, &addr_file);
    let app = TestApp {
        base: second.base.clone(),
        ..app
    };
    wait_all_done(&app, &all, 60).await;
    assert_exactly_once(&app, &all, &hooks).await;
    for id in &interrupted {
        let (_, attempts, _) = app.admin.store().job_attempts(id).await.unwrap().unwrap();
        assert!(
            attempts >= 2,
            "interrupted job {id} was taken over (attempts {attempts})"
        );
    }
    drop(second);
    drop(first);
    hook_task.abort();
}

async fn two_processes_share_the_queue(db: Db) {
    let Some((config, dir)) = test_config(db).await else {
        return;
    };
    let (hook_url, hooks, hook_task) = receiver().await;
    let a = start_child(&config, &dir.path().join("addr-a"));
    let b = start_child(&config, &dir.path().join("addr-b"));
    let app = client_for(&a.base, &config, dir, &hook_url).await;
    let app_b = TestApp {
        base: b.base.clone(),
        server: None,
        admin: Admin::open(config.clone(), Arc::new(SystemClock))
            .await
            .unwrap(),
        app: app.app.clone(),
        http: reqwest::Client::new(),
        check: Arc::new(PixelPayloadCheck::default()),
        config: config.clone(),
        dir: tempfile::tempdir().unwrap(),
    };
    // 200 verifications, fed half through each process, each check taking 20 ms.
    let mut all = Vec::new();
    for i in 0..100 {
        all.push(
            app.full_cycle(&format!("doc=A{i};surname=P;dob=1990-01-01;sleep=20"), "")
                .await,
        );
        all.push(
            app_b
                .full_cycle(&format!("doc=B{i};surname=P;dob=1990-01-01;sleep=20"), "")
                .await,
        );
    }
    wait_all_done(&app, &all, 120).await;
    let mut instances = HashSet::new();
    for c in &all {
        let (state, attempts, by) = app
            .admin
            .store()
            .job_attempts(&c.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (state.as_str(), attempts),
            ("done", 1),
            "job {} claimed {attempts} times",
            c.id
        );
        instances.insert(by.unwrap().split('-').next().unwrap().to_owned());
    }
    assert_eq!(instances.len(), 2, "both processes did work: {instances:?}");
    assert_exactly_once(&app, &all, &hooks).await;
    drop((a, b));
    hook_task.abort();
}

both_dbs!(kill_9_while_processing);

/// Several processes on one database is the PostgreSQL deployment (SQLite is one process).
mod postgres_only {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn two_processes_share_the_queue() {
        super::two_processes_share_the_queue(crate::support::Db::Postgres).await
    }
}
