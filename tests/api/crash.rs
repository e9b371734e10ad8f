//! The server killed with SIGKILL while a client sends webhook events: every event it answered
//! 200 is in the reports after a restart, and the platform's retries of the rest (and of some
//! answered ones) end with every event exactly once. The real binary on a real socket and a
//! database file (with `TEST_DATABASE_URL`, a PostgreSQL database), with real signatures.

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use chrono::Utc;
use entity::{ingest_event, sign_in_event};
use meeting_reports::ingest::{
    accounts::{add_account, NewAccount},
    webhooks::{signature, Envelope},
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::common::now;

const SECRET: &str = "crash-test-secret";
const EVENTS: usize = 3000;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start(url: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_meeting-reports"))
        .args(["--database-url", url, "serve", "--bind"])
        .arg(format!("127.0.0.1:{port}"))
        .env("ZOOM_WEBHOOK_SECRET", SECRET)
        .env("JWT_SECRET", "crash-test-jwt")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts")
}

/// One HTTP/1.1 POST on its own connection; the status, or `None` when the connection failed.
async fn post(port: u16, body: &str) -> Option<u16> {
    let ts = Utc::now().timestamp().to_string();
    let sig = signature(SECRET, &ts, body.as_bytes());
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    let request = format!(
        "POST /webhooks/zoom HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n\
         x-zm-request-timestamp: {ts}\r\nx-zm-signature: {sig}\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.ok()?;
    let head = String::from_utf8_lossy(&answer);
    head.split(' ').nth(1)?.parse().ok()
}

async fn wait_until_up(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)).await {
            let _ = s
                .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
                .await;
            let mut answer = Vec::new();
            if s.read_to_end(&mut answer).await.is_ok() && answer.starts_with(b"HTTP/1.1 200") {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not come up on port {port}");
}

fn event(i: usize) -> String {
    let at = now() - chrono::Duration::seconds(i as i64);
    json!({
        "event": "user.signed_in",
        "event_ts": at.timestamp_millis(),
        "payload": { "account_id": "crash-co", "object": {
            "id": format!("user-{}", i % 50), "email": format!("person{}@crash.example", i % 50),
            "client_type": "mac", "version": "6.2.0", "login_type": 0,
            "date_time": at.format("%Y-%m-%dT%H:%M:%SZ").to_string() } }
    })
    .to_string()
}

/// Sends events `0..EVENTS` from four clients; the indexes answered 200.
async fn send_all(port: u16, indexes: Vec<usize>) -> Vec<usize> {
    let acked = Arc::new(Mutex::new(Vec::new()));
    let queue = Arc::new(Mutex::new(indexes));
    let mut clients = Vec::new();
    for _ in 0..4 {
        let (acked, queue) = (acked.clone(), queue.clone());
        clients.push(tokio::spawn(async move {
            loop {
                let Some(i) = queue.lock().expect("queue").pop() else {
                    return;
                };
                match post(port, &event(i)).await {
                    Some(200) => acked.lock().expect("acked").push(i),
                    Some(other) => panic!("event {i} answered {other}"),
                    // The server is gone: this client stops, as the platform's would retry later.
                    None => return,
                }
            }
        }));
    }
    for c in clients {
        c.await.expect("client");
    }
    let acked = acked.lock().expect("acked").clone();
    acked
}

/// The server's database: a file in `dir`, or with `TEST_DATABASE_URL` a PostgreSQL database
/// of its own on that server (the server under test connects by URL, so a schema of the
/// shared test database would not do), made empty.
async fn database(dir: &std::path::Path) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            let name = format!("mr_crash_{}", std::process::id());
            let admin = sea_orm::Database::connect(&base)
                .await
                .expect("TEST_DATABASE_URL connects");
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .expect("drops the old one");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("creates it");
            admin.close().await.expect("closes");
            let (server, _) = base
                .split_once('?')
                .map_or((base.as_str(), ""), |(s, q)| (s, q));
            let (server, _) = server.rsplit_once('/').expect("a database path");
            format!("{server}/{name}")
        }
        _ => {
            let file = dir.join("crash.db");
            let _ = std::fs::remove_file(&file);
            format!("sqlite://{}?mode=rwc", file.display())
        }
    }
}

#[tokio::test]
async fn a_server_killed_mid_stream_loses_no_answered_event_and_retries_double_none() {
    let dir = std::env::temp_dir().join(format!("mr-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = database(&dir).await;
    let db = meeting_reports::db::connect(&url).await.expect("database");
    add_account(
        &db,
        &NewAccount {
            platform_id: "crash-co".into(),
            name: "Crash Co".into(),
            plan: meeting_reports::auth::Plan::Business,
            time_zone: chrono_tz::UTC,
            owner_email: "owner@crash.example".into(),
            owner_name: None,
            billing_reports: false,
            webinar_addon: false,
        },
        now(),
    )
    .await
    .expect("account");

    let port = free_port();
    let mut server = start(&url, port);
    wait_until_up(port).await;
    let sender = tokio::spawn(send_all(port, (0..EVENTS).rev().collect()));
    // Kill it once events are flowing (a few hundred answered).
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let stored = ingest_event::Entity::find()
            .count(&db)
            .await
            .expect("count");
        if stored >= 300 || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill().expect("SIGKILL");
    server.wait().expect("reaped");
    let acked = sender.await.expect("sender");
    assert!(
        !acked.is_empty() && acked.len() < EVENTS,
        "the kill fell mid-stream: {} of {EVENTS} answered",
        acked.len()
    );

    // After a restart every answered event is stored, applied, and in the sign-in report.
    let mut server = start(&url, port);
    wait_until_up(port).await;
    let identity = |i: usize| {
        Envelope::parse(event(i).as_bytes())
            .expect("an envelope")
            .identity()
    };
    for i in &acked {
        let stored = ingest_event::Entity::find()
            .filter(ingest_event::Column::Identity.eq(identity(*i)))
            .one(&db)
            .await
            .expect("read")
            .unwrap_or_else(|| panic!("event {i} was answered 200 but is not stored"));
        assert_eq!(stored.status, "APPLIED", "event {i}: {:?}", stored.reason);
        let in_report = sign_in_event::Entity::find()
            .filter(sign_in_event::Column::SourceId.eq(identity(*i)))
            .count(&db)
            .await
            .expect("count");
        assert_eq!(in_report, 1, "event {i} is in the sign-in report once");
    }

    // The platform retries what it was not answered, and some of what it was: nothing doubles.
    let retried = send_all(port, (0..EVENTS).collect()).await;
    assert_eq!(retried.len(), EVENTS, "every retry is answered 200");
    server.kill().expect("SIGKILL");
    server.wait().expect("reaped");
    assert_eq!(
        ingest_event::Entity::find()
            .count(&db)
            .await
            .expect("count"),
        EVENTS as u64
    );
    assert_eq!(
        sign_in_event::Entity::find()
            .count(&db)
            .await
            .expect("count"),
        EVENTS as u64
    );
    db.close().await.expect("closes");
    let _ = std::fs::remove_dir_all(&dir);
    if let Some(name) = url
        .strip_prefix("postgres")
        .and_then(|u| u.rsplit_once('/'))
    {
        let base = std::env::var("TEST_DATABASE_URL").expect("set");
        let admin = sea_orm::Database::connect(&base).await.expect("connects");
        let _ = admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", name.1))
            .await;
    }
}
