//! `ingest`: the load and freshness benchmark of the write path (bench/README.md, "Ingestion").
//!
//! On an empty database (SQLite or PostgreSQL) it measures:
//! - **import**: `meeting-reports import` of N generated events (meetings with their
//!   occurrences, joins and leaves), in-process through the library, events/s;
//! - **webhooks**: the same kind of events POSTed to a `meeting-reports serve` child with real
//!   signatures, at concurrency 1 and 16: events/s and p50/p99 latency of the 200;
//! - **freshness** under the concurrency-16 load: from the 200 of an occurrence's
//!   `meeting.started` until it is visible in `meetings(search:)` (the meeting report), in
//!   `usage` (the host's usage report) and in `dailyUsage`, p50/p99.

use std::{
    io::Write,
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::{body::Bytes, client::conn::http1::SendRequest, Request};
use hyper_util::rt::TokioIo;
use meeting_reports::{
    auth::Plan,
    ingest::{
        accounts::{add_account, NewAccount},
        import::import,
        webhooks::signature,
    },
};
use serde_json::{json, Value};
use tokio::net::TcpStream;

#[derive(Debug, Parser)]
#[command(name = "ingest")]
struct Args {
    /// An empty database (SQLite file URL with `?mode=rwc`, or PostgreSQL).
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    /// Events of the import run.
    #[arg(long, default_value_t = 20_000)]
    import_events: usize,
    /// Events of each webhook run.
    #[arg(long, default_value_t = 4_000)]
    webhook_events: usize,
    /// Freshness samples under the concurrency-16 load.
    #[arg(long, default_value_t = 40)]
    samples: usize,
    /// The server binary (default: `meeting-reports` beside this one).
    #[arg(long)]
    server: Option<PathBuf>,
    /// Also write the markdown to this file.
    #[arg(long)]
    markdown: Option<PathBuf>,
}

const ACCOUNT: &str = "ingest-bench";
const OWNER: &str = "owner@ingest.example";
const HOST: &str = "host@ingest.example";
const SECRET: &str = "ingest-bench-secret";
const JWT_SECRET: &str = "ingest-bench-jwt";
/// Joins per occurrence: each join has a leave, so an occurrence is 2 + 2 × this events.
const JOINS: usize = 9;

fn iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The events of occurrence `n` (of meeting `n`), in the order they occur: started, the joins
/// and leaves, ended; it starts within a minute after `base`.
fn occurrence(n: usize, base: DateTime<Utc>) -> Vec<String> {
    let start = base + chrono::Duration::seconds((n % 60) as i64);
    let number = 80_000_000_000u64 + n as u64;
    let core = |extra: Value| {
        let mut o = json!({ "id": number.to_string(), "uuid": format!("bench-occ-{n}=="), "host_id": "BENCH-HOST",
            "topic": format!("Load meeting {n}"), "type": 2, "start_time": iso(start) });
        if let (Some(o), Value::Object(extra)) = (o.as_object_mut(), extra) {
            o.extend(extra);
        }
        o
    };
    let envelope = |event: &str, at: DateTime<Utc>, object: Value| {
        json!({ "event": event, "event_ts": at.timestamp_millis(), "payload": { "account_id": ACCOUNT, "object": object } })
            .to_string()
    };
    let mut out = vec![envelope("meeting.started", start, core(json!({})))];
    for j in 0..JOINS {
        let join = start + chrono::Duration::seconds(j as i64);
        let leave = join + chrono::Duration::minutes(20 + j as i64);
        let person = |time_field: &str, at: DateTime<Utc>| {
            json!({ "participant": { "user_id": format!("{n}-{j}"), "user_name": format!("Guest {j}"),
                "email": format!("guest{j}@example.org"), time_field: iso(at) } })
        };
        out.push(envelope(
            "meeting.participant_joined",
            join,
            core(person("join_time", join)),
        ));
        out.push(envelope(
            "meeting.participant_left",
            leave,
            core(person("leave_time", leave)),
        ));
    }
    let end = start + chrono::Duration::minutes(40);
    out.push(envelope(
        "meeting.ended",
        end,
        core(json!({ "end_time": iso(end) })),
    ));
    out
}

fn events(from: usize, count: usize, base: DateTime<Utc>) -> Vec<String> {
    let per = 2 + 2 * JOINS;
    (from..)
        .flat_map(|n| occurrence(n, base))
        .take(count.div_ceil(per) * per)
        .collect()
}

struct Child2(Child);

impl Drop for Child2 {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn connect(addr: &str) -> Result<SendRequest<Full<Bytes>>, String> {
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect {addr}: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

async fn send(
    sender: &mut SendRequest<Full<Bytes>>,
    request: Request<Full<Bytes>>,
) -> Result<(u16, Bytes), String> {
    sender
        .ready()
        .await
        .map_err(|e| format!("connection lost: {e}"))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("request failed: {e}"))?;
    let status = response.status().as_u16();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, body))
}

async fn deliver(sender: &mut SendRequest<Full<Bytes>>, body: &str) -> Result<(), String> {
    let ts = Utc::now().timestamp().to_string();
    let sig = signature(SECRET, &ts, body.as_bytes());
    let request = Request::post("/webhooks/zoom")
        .header("host", "127.0.0.1")
        .header("content-type", "application/json")
        .header("x-zm-request-timestamp", ts)
        .header("x-zm-signature", sig)
        .body(Full::new(Bytes::from(body.to_owned())))
        .map_err(|e| e.to_string())?;
    match send(sender, request).await? {
        (200, _) => Ok(()),
        (status, body) => Err(format!(
            "webhook answered {status}: {}",
            String::from_utf8_lossy(&body)
        )),
    }
}

async fn graphql(
    sender: &mut SendRequest<Full<Bytes>>,
    token: &str,
    query: &str,
) -> Result<Value, String> {
    let request = Request::post("/graphql")
        .header("host", "127.0.0.1")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(Full::new(Bytes::from(
            json!({ "query": query }).to_string(),
        )))
        .map_err(|e| e.to_string())?;
    let (status, body) = send(sender, request).await?;
    let value: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    if status != 200 || value.get("errors").is_some() {
        return Err(format!("graphql answered {status}: {value}"));
    }
    Ok(value["data"].clone())
}

/// p50 and p99 (nearest rank) of `samples`.
fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    if samples.is_empty() {
        return (Duration::ZERO, Duration::ZERO);
    }
    samples.sort_unstable();
    let at =
        |q: f64| samples[((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1];
    (at(0.50), at(0.99))
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// Sends `bodies` at `concurrency`, each client on its own kept-alive connection; the rate and
/// the latencies of the 200s. `acked` is told the index of every answered body.
async fn webhook_run(
    addr: &str,
    bodies: Arc<Vec<String>>,
    concurrency: usize,
    acked: Arc<Mutex<Vec<(usize, Instant)>>>,
) -> Result<(f64, Duration, Duration), String> {
    let next = Arc::new(AtomicUsize::new(0));
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let mut clients = Vec::new();
    for _ in 0..concurrency {
        let (bodies, next, latencies, acked) = (
            bodies.clone(),
            next.clone(),
            latencies.clone(),
            acked.clone(),
        );
        let mut sender = connect(addr).await?;
        clients.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(body) = bodies.get(i) else {
                    return Ok::<(), String>(());
                };
                let t = Instant::now();
                deliver(&mut sender, body).await?;
                let done = Instant::now();
                latencies.lock().map_err(|e| e.to_string())?.push(done - t);
                acked.lock().map_err(|e| e.to_string())?.push((i, done));
            }
        }));
    }
    for c in clients {
        c.await.map_err(|e| e.to_string())??;
    }
    let wall = started.elapsed();
    let latencies = std::mem::take(&mut *latencies.lock().map_err(|e| e.to_string())?);
    let rate = latencies.len() as f64 / wall.as_secs_f64();
    let (p50, p99) = percentiles(latencies);
    Ok((rate, p50, p99))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // Warnings by default; `RUST_LOG=sqlx::query=debug` logs every statement with its time.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
    match run(Args::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ingest: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let backend = if args.database_url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let db = meeting_reports::db::connect(&args.database_url)
        .await
        .map_err(|e| format!("database: {e}"))?;
    if !meeting_reports::seed::is_empty(&db)
        .await
        .map_err(|e| e.to_string())?
    {
        return Err("the database is not empty: give an empty one".into());
    }
    let now = Utc::now();
    add_account(
        &db,
        &NewAccount {
            platform_id: ACCOUNT.into(),
            name: "Ingest Bench".into(),
            plan: Plan::Business,
            time_zone: chrono_tz::UTC,
            owner_email: OWNER.into(),
            owner_name: None,
            billing_reports: false,
            webinar_addon: false,
        },
        now,
    )
    .await
    .map_err(|e| e.message())?;
    let host = json!({ "event": "user.created", "event_ts": now.timestamp_millis() - 86_400_000,
        "payload": { "account_id": ACCOUNT, "object": { "id": "BENCH-HOST", "email": HOST, "first_name": "Bench", "last_name": "Host", "type": 2 } } });

    // Import: the meetings of the day before, so the webhook runs are the only ones of their
    // day (two hours ago: they have ended, and every report of that day shows them).
    let live = now - chrono::Duration::hours(2);
    let mut lines = vec![host.to_string()];
    lines.extend(events(
        0,
        args.import_events,
        live - chrono::Duration::days(1),
    ));
    let ndjson = lines.join("\n");
    let t = Instant::now();
    let summary = import(&db, ndjson.as_bytes(), now, |_, _| {})
        .await
        .map_err(|e| e.message())?;
    let import_rate = summary.events() as f64 / t.elapsed().as_secs_f64();
    if summary.failed > 0 || !summary.bad_lines.is_empty() {
        return Err(format!("the import did not apply everything: {summary:?}"));
    }
    eprintln!(
        "import: {} events in {:.1} s: {import_rate:.0} events/s",
        summary.events(),
        t.elapsed().as_secs_f64()
    );
    db.close().await.map_err(|e| e.to_string())?;

    // Webhooks, against the server.
    let binary = match args.server {
        Some(path) => path,
        None => std::env::current_exe()
            .map_err(|e| e.to_string())?
            .with_file_name("meeting-reports"),
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let addr = format!("127.0.0.1:{port}");
    let _server = Child2(
        Command::new(&binary)
            .args(["serve", "--bind", &addr])
            .env("DATABASE_URL", &args.database_url)
            .env("JWT_SECRET", JWT_SECRET)
            .env("ZOOM_WEBHOOK_SECRET", SECRET)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?,
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut probe = loop {
        if let Ok(sender) = connect(&addr).await {
            break sender;
        }
        if Instant::now() > deadline {
            return Err("the server did not start".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let token = {
        let out = Command::new(&binary)
            .args(["token", OWNER])
            .env("DATABASE_URL", &args.database_url)
            .env("JWT_SECRET", JWT_SECRET)
            .output()
            .map_err(|e| e.to_string())?;
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let host_token = {
        let out = Command::new(&binary)
            .args(["token", HOST])
            .env("DATABASE_URL", &args.database_url)
            .env("JWT_SECRET", JWT_SECRET)
            .output()
            .map_err(|e| e.to_string())?;
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let per = 2 + 2 * JOINS;
    let first_live = summary.events() as usize / per + 1;
    let c1_bodies = Arc::new(events(first_live, args.webhook_events, live));
    let c1_occurrences = c1_bodies.len() / per;
    let ignore = Arc::new(Mutex::new(Vec::new()));
    let (c1_rate, c1_p50, c1_p99) = webhook_run(&addr, c1_bodies.clone(), 1, ignore).await?;
    eprintln!(
        "webhooks c1: {c1_rate:.0} events/s, p50 {} ms, p99 {} ms",
        ms(c1_p50),
        ms(c1_p99)
    );

    // Concurrency 16, with freshness sampled on a 17th connection.
    let c16_first = first_live + c1_occurrences;
    let c16_bodies = Arc::new(events(c16_first, args.webhook_events, live));
    let day = live.format("%Y-%m-%d").to_string();
    let usage_q = format!(r#"{{ usage(from: "{day}", to: "{day}") {{ totals {{ meetings }} }} }}"#);
    let daily_q = format!(
        r#"{{ dailyUsage(year: {}, month: {}) {{ totals {{ meetings }} }} }}"#,
        live.format("%Y"),
        live.format("%-m")
    );
    let usage_before = graphql(&mut probe, &host_token, &usage_q).await?["usage"]["totals"]
        ["meetings"]
        .as_i64()
        .unwrap_or(0);
    let daily_before = graphql(&mut probe, &token, &daily_q).await?["dailyUsage"]["totals"]
        ["meetings"]
        .as_i64()
        .unwrap_or(0);
    let acked = Arc::new(Mutex::new(Vec::new()));
    let load = {
        let (addr, bodies, acked) = (addr.clone(), c16_bodies.clone(), acked.clone());
        tokio::spawn(async move { webhook_run(&addr, bodies, 16, acked).await })
    };
    let (mut in_meetings, mut in_usage, mut in_daily) = (Vec::new(), Vec::new(), Vec::new());
    let mut sampled = 0;
    let mut checked = 0usize;
    while sampled < args.samples && !load.is_finished() {
        // The newest answered `meeting.started` (index 0 of an occurrence's events).
        let newest = acked
            .lock()
            .map_err(|e| e.to_string())?
            .iter()
            .filter(|(i, _)| i % per == 0 && *i >= checked)
            .max_by_key(|(i, _)| *i)
            .copied();
        let Some((i, answered)) = newest else {
            tokio::time::sleep(Duration::from_millis(5)).await;
            continue;
        };
        checked = i + 1;
        let n = c16_first + i / per;
        let number = 80_000_000_000u64 + n as u64;
        // This occurrence and every one before it in the run.
        let started = (i / per + 1) as i64;
        let mut seen = [None, None, None];
        let give_up = Instant::now() + Duration::from_secs(30);
        while seen.iter().any(Option::is_none) && Instant::now() < give_up {
            if seen[0].is_none() {
                let q = format!(
                    r#"{{ meetings(from: "{day}", to: "{day}", search: "{number}") {{ totalCount }} }}"#
                );
                if graphql(&mut probe, &token, &q).await?["meetings"]["totalCount"] == 1 {
                    seen[0] = Some(answered.elapsed());
                }
            }
            if seen[1].is_none() {
                let v = graphql(&mut probe, &host_token, &usage_q).await?;
                if v["usage"]["totals"]["meetings"].as_i64() >= Some(usage_before + started) {
                    seen[1] = Some(answered.elapsed());
                }
            }
            if seen[2].is_none() {
                let v = graphql(&mut probe, &token, &daily_q).await?;
                if v["dailyUsage"]["totals"]["meetings"].as_i64() >= Some(daily_before + started) {
                    seen[2] = Some(answered.elapsed());
                }
            }
        }
        let [Some(a), Some(b), Some(c)] = seen else {
            return Err(format!(
                "occurrence {n} was not visible within 30 s: {seen:?}"
            ));
        };
        in_meetings.push(a);
        in_usage.push(b);
        in_daily.push(c);
        sampled += 1;
    }
    let (c16_rate, c16_p50, c16_p99) = load.await.map_err(|e| e.to_string())??;
    eprintln!(
        "webhooks c16: {c16_rate:.0} events/s, p50 {} ms, p99 {} ms",
        ms(c16_p50),
        ms(c16_p99)
    );
    let fresh = |samples: &Vec<Duration>| {
        let (p50, p99) = percentiles(samples.clone());
        format!("{} / {}", ms(p50), ms(p99))
    };
    let markdown = format!(
        "| {backend} | events | events/s | p50 ms | p99 ms | freshness p50 / p99 ms: `meetings` · `usage` · `dailyUsage` ({} samples) |\n\
         |---|---|---|---|---|---|\n\
         | import (NDJSON, in-process) | {} | {import_rate:.0} | | | |\n\
         | webhooks, concurrency 1 | {} | {c1_rate:.0} | {} | {} | |\n\
         | webhooks, concurrency 16 | {} | {c16_rate:.0} | {} | {} | {} · {} · {} |\n",
        in_meetings.len(),
        summary.events(),
        c1_bodies.len(),
        ms(c1_p50),
        ms(c1_p99),
        c16_bodies.len(),
        ms(c16_p50),
        ms(c16_p99),
        fresh(&in_meetings),
        fresh(&in_usage),
        fresh(&in_daily),
    );
    print!("{markdown}");
    if let Some(path) = args.markdown {
        std::fs::File::create(&path)
            .and_then(|mut f| f.write_all(markdown.as_bytes()))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}
