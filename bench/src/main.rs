//! The benchmark harness: runs the query set of `bench/queries/*.graphql` against a benchmark
//! database through the gateway in-process and over HTTP (a `meeting-reports serve` child), at
//! concurrency 1 and 16, and computes the same reports by hand-written SQL (the floor, see
//! `floor.rs`); prints a markdown table. `bench/README.md` says how to run it.

mod export;
mod floor;
mod growth;
mod load;
mod server;

use std::{
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::Duration,
};

use async_graphql::{Request, Variables};
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use chrono_tz::Tz;
use clap::Parser;
use hyper::body::Bytes;
use meeting_reports::{
    auth::{issue_token, load_viewer, verify_token, JwtKeys, Viewer},
    config::ReportSettings,
    db::Sql,
    graphql::{
        range::day_start,
        scalars::{decode_cursor, CursorKind},
        schema::execute,
    },
    AppSchema,
};
use reports::account_usage::ReportDay;
use sea_orm::{DatabaseConnection, FromQueryResult, Value};
use serde_json::{json, Value as Json};

use crate::{
    floor::{Params, Pool, Report},
    load::Measure,
    server::{Connection, Server},
};

/// Measures the gateway against hand-written SQL on a benchmark database.
#[derive(Debug, Parser)]
#[command(name = "bench")]
struct Args {
    /// The benchmark database (SQLite or PostgreSQL URL), loaded by `meeting-reports seed bench`.
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    /// Load `seed bench --users N` first when the database is empty (a smoke run).
    #[arg(long)]
    seed_users: Option<u32>,
    /// The query set.
    #[arg(long, default_value = "bench/queries")]
    queries: PathBuf,
    /// Measured requests per query, mode and concurrency.
    #[arg(long, default_value_t = 48)]
    requests: usize,
    /// Unmeasured requests before each measurement.
    #[arg(long, default_value_t = 3)]
    warmup: usize,
    /// Concurrency of the loaded runs (the other run is sequential).
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// The server binary (default: `meeting-reports` beside this one).
    #[arg(long)]
    server: Option<PathBuf>,
    /// Skip the HTTP runs.
    #[arg(long)]
    no_http: bool,
    /// Only the query files whose name contains this (`export`: only the export rows).
    #[arg(long)]
    only: Option<String>,
    /// Also write the markdown to this file.
    #[arg(long)]
    markdown: Option<PathBuf>,
    /// Instead of the set's table: grow the empty database to `seed bench --users N` (through
    /// a pool of its own, as an importing process would) while the query set runs once a
    /// second on the serving pool, then compare each query's times with its time on the
    /// finished, analyzed database (`bench/README.md`, "Plans while the data grows").
    #[arg(long, value_name = "N")]
    growth: Option<u32>,
    /// With `--growth`: the benchmark data to copy, an SQLite file (seeded with
    /// `seed bench --users N` when it holds none).
    #[arg(long, value_name = "FILE")]
    growth_source: Option<String>,
    /// With `--growth`: the stages of the copy (one transaction each).
    #[arg(long, default_value_t = 50)]
    growth_stages: u64,
    /// With `--growth`: the serving pool's statistics refresh period in seconds (default: the
    /// server's); 0 refreshes nothing during the load, neither after the stages nor on a
    /// schedule (what the server did before).
    #[arg(long)]
    growth_refresh_secs: Option<u64>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // `RUST_LOG=meeting_reports::sql=debug` logs the gateway's statements with their times.
    // By default sqlx's slow-acquire warning is off: at concurrency 16 requests wait for one of
    // the pool's connections by design, and the latency columns already show it.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,sqlx::pool::acquire=error"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
    match run(Args::parse()).await {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("bench: a floor differs from the gateway's answer (see the table)");
            std::process::ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("bench: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

const OWNER: &str = "owner@bench.example";
const JWT_SECRET: &str = "meeting-reports-bench-secret";

/// A query of the set, ready to send.
struct Query {
    name: String,
    text: String,
    variables: Json,
    viewer: Viewer,
    token: String,
    report: Option<Report>,
    /// The operation-log page the request reaches (only that query).
    page: Option<usize>,
}

/// One query's results.
struct Outcome {
    name: String,
    gateway_statements: usize,
    floor_statements: Option<usize>,
    same: Option<Result<(), String>>,
    runs: Vec<(&'static str, usize, Measure)>,
    peak_rss: Option<u64>,
    page: Option<usize>,
}

impl Outcome {
    fn measure(&self, mode: &str, concurrency: usize) -> Option<&Measure> {
        self.runs
            .iter()
            .find(|(m, c, _)| *m == mode && *c == concurrency)
            .map(|(_, _, m)| m)
    }
}

async fn run(args: Args) -> Result<bool, String> {
    if let Some(users) = args.growth {
        return growth::run(&args, users).await.map(|()| true);
    }
    let db = meeting_reports::db::connect(&args.database_url)
        .await
        .map_err(|e| format!("cannot open {}: {e}", args.database_url))?;
    if let Some(users) = args.seed_users {
        if meeting_reports::seed::is_empty(&db)
            .await
            .map_err(|e| e.to_string())?
        {
            eprintln!("loading seed bench --users {users}");
            meeting_reports::seed::seed_bench(&db, Utc::now(), 42, users, 12, true)
                .await
                .map_err(|e| format!("seeding failed: {e}"))?;
        }
    }
    let settings = ReportSettings::default();
    let schema = meeting_reports::build_schema(settings.clone());
    let keys = JwtKeys::new(JWT_SECRET.as_bytes());
    let setup = Setup::read(&db, &keys).await?;
    eprintln!(
        "account {} ({} users), range {} to {}, busiest host {}",
        setup.account_id, setup.users, setup.from, setup.to, setup.host_email
    );
    let queries = load_queries(&args, &db, &schema, &setup, &keys, true).await?;
    let pool = Pool::of(&db);
    let mut outcomes = Vec::new();
    for q in &queries {
        eprintln!("{}: in-process and floor", q.name);
        outcomes.push(measure_in_process(&args, &db, &schema, &pool, &setup, q).await?);
    }
    if !args.no_http {
        let binary = server_binary(&args)?;
        let mut server = Server::start(&binary, &args.database_url, JWT_SECRET).await?;
        for (q, outcome) in queries.iter().zip(outcomes.iter_mut()) {
            eprintln!("{}: over HTTP", q.name);
            measure_http(&args, &server, q, outcome).await?;
        }
        server.stop();
    }
    let mut markdown = table(&args, &db, &setup, &outcomes).await;
    // The exports run with the set, or alone with `--only export`.
    if !args.no_http && args.only.as_deref().is_none_or(|only| only == "export") {
        let binary = server_binary(&args)?;
        let (_, token) =
            viewer_and_token(&db, &keys, setup.owner_id, setup.account_id, OWNER).await?;
        let exports = export::measure(
            &binary,
            &args.database_url,
            JWT_SECRET,
            &token,
            &setup.from.to_string(),
            &setup.to.to_string(),
        )
        .await?;
        markdown.push_str(&export::table(&exports));
    }
    println!("{markdown}");
    if let Some(path) = &args.markdown {
        std::fs::write(path, &markdown).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(outcomes.iter().all(|o| !matches!(o.same, Some(Err(_)))))
}

/// The server under test: `--server`, else `meeting-reports` beside this binary.
fn server_binary(args: &Args) -> Result<PathBuf, String> {
    match &args.server {
        Some(path) => Ok(path.clone()),
        None => Ok(std::env::current_exe()
            .map_err(|e| e.to_string())?
            .with_file_name("meeting-reports")),
    }
}

/// What the query set is about: the benchmark account, its range and its busiest host.
struct Setup {
    account_id: i64,
    users: i64,
    zone: Tz,
    owner_id: i64,
    host_id: i64,
    host_email: String,
    from: NaiveDate,
    to: NaiveDate,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    /// The Daily report's month: the last whole month of data.
    year: i32,
    month: u32,
}

#[derive(FromQueryResult)]
struct AccountRow {
    account_id: i64,
    owner_id: i64,
    time_zone: String,
    users: i64,
    latest: Option<DateTime<Utc>>,
}

#[derive(FromQueryResult)]
struct HostRow {
    host_id: i64,
    email: String,
}

impl Setup {
    async fn read(db: &DatabaseConnection, _keys: &JwtKeys) -> Result<Self, String> {
        let sql = Sql::new(db.clone());
        let account: AccountRow = sql
            .one(
                "SELECT u.account_id, u.id AS owner_id, a.time_zone, \
                 (SELECT COUNT(*) FROM app_user x WHERE x.account_id = u.account_id) AS users, \
                 (SELECT MAX(s.start_time) FROM meeting_session s WHERE s.account_id = u.account_id) AS latest \
                 FROM app_user u JOIN account a ON a.id = u.account_id WHERE u.email = ?",
                vec![OWNER.into()],
            )
            .await
            .map_err(|e| e.to_string())?
            .ok_or("no benchmark data: load it with `meeting-reports seed bench --users N`")?;
        let zone: Tz = account
            .time_zone
            .parse()
            .map_err(|_| "unknown time zone".to_owned())?;
        let latest = account
            .latest
            .ok_or("the benchmark account has no sessions")?;
        let to = latest.with_timezone(&zone).date_naive();
        let from = to
            .checked_sub_months(Months::new(1))
            .ok_or("date out of range")?;
        let start = day(from, zone)?;
        let end = day(to + Days::new(1), zone)?;
        let host: HostRow = sql
            .one(
                "SELECT m.host_id, u.email FROM meeting_session s JOIN meeting m ON m.id = s.meeting_id \
                 JOIN app_user u ON u.id = m.host_id \
                 WHERE s.account_id = ? AND s.start_time >= ? AND s.start_time < ? \
                 GROUP BY m.host_id, u.email ORDER BY COUNT(*) DESC, m.host_id LIMIT 1",
                vec![account.account_id.into(), start.into(), end.into()],
            )
            .await
            .map_err(|e| e.to_string())?
            .ok_or("no sessions in the range")?;
        // The last whole month: the month of `to` when `to` is its last day, else the one before.
        let whole = if (to + Days::new(1)).day() == 1 {
            to
        } else {
            to.with_day(1).ok_or("date out of range")? - Days::new(1)
        };
        Ok(Self {
            account_id: account.account_id,
            users: account.users,
            zone,
            owner_id: account.owner_id,
            host_id: host.host_id,
            host_email: host.email,
            from,
            to,
            start,
            end,
            year: whole.year(),
            month: whole.month(),
        })
    }

    fn days(&self) -> Result<Vec<ReportDay>, String> {
        let first = NaiveDate::from_ymd_opt(self.year, self.month, 1).ok_or("bad month")?;
        let mut days = Vec::new();
        let mut d = first;
        while d.month() == self.month {
            let next = d + Days::new(1);
            days.push((d, day(d, self.zone)?, day(next, self.zone)?));
            d = next;
        }
        Ok(days)
    }
}

fn day(d: NaiveDate, zone: Tz) -> Result<DateTime<Utc>, String> {
    day_start(d, zone).map_err(|e| format!("{d}: {e:?}"))
}

async fn viewer_and_token(
    db: &DatabaseConnection,
    keys: &JwtKeys,
    user_id: i64,
    account_id: i64,
    email: &str,
) -> Result<(Viewer, String), String> {
    let token = issue_token(
        keys,
        user_id,
        account_id,
        email,
        Utc::now(),
        chrono::Duration::days(1),
    )
    .map_err(|e| e.to_string())?;
    let claims = verify_token(keys, &token).ok_or("token does not verify")?;
    let viewer = load_viewer(&Sql::new(db.clone()), &claims)
        .await
        .map_err(|e| format!("{e:?}"))?
        .ok_or("viewer not found")?;
    Ok((viewer, token))
}

/// Reads the query files, their viewers and variables; without `paged`, leaves out the
/// queries that page with a cursor (finding it walks the pages).
async fn load_queries(
    args: &Args,
    db: &DatabaseConnection,
    schema: &AppSchema,
    setup: &Setup,
    keys: &JwtKeys,
    paged: bool,
) -> Result<Vec<Query>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(&args.queries)
        .map_err(|e| format!("{}: {e}", args.queries.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "graphql"))
        .filter(|p| {
            args.only
                .as_deref()
                .is_none_or(|only| p.to_string_lossy().contains(only))
        })
        .collect();
    files.sort();
    if files.is_empty() && args.only.as_deref() != Some("export") {
        return Err(format!("no queries in {}", args.queries.display()));
    }
    let owner = viewer_and_token(db, keys, setup.owner_id, setup.account_id, OWNER).await?;
    let host =
        viewer_and_token(db, keys, setup.host_id, setup.account_id, &setup.host_email).await?;
    let mut queries = Vec::new();
    for path in files {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (viewer, token) = if text.contains("# viewer: busiest-host") {
            host.clone()
        } else {
            owner.clone()
        };
        let declared = declared_variables(&text)?;
        if !paged && declared.iter().any(|v| v == "after") {
            continue;
        }
        let mut all = json!({
            "from": setup.from.to_string(),
            "to": setup.to.to_string(),
            "year": setup.year,
            "month": setup.month,
            "first": if name.contains("webinar") { 50 } else { 100 },
        });
        let mut page = None;
        if declared.iter().any(|v| v == "after") {
            let (cursor, reached) = page_cursor(schema, db, &viewer, setup, 50).await?;
            all["after"] = cursor.map_or(Json::Null, Json::from);
            page = Some(reached);
        }
        let variables: serde_json::Map<String, Json> = declared
            .iter()
            .filter_map(|v| all.get(v).map(|x| (v.clone(), x.clone())))
            .collect();
        queries.push(Query {
            report: Report::for_file(&name),
            name,
            text,
            variables: Json::Object(variables),
            viewer,
            token,
            page,
        });
    }
    Ok(queries)
}

fn declared_variables(text: &str) -> Result<Vec<String>, String> {
    let doc = async_graphql::parser::parse_query(text).map_err(|e| e.to_string())?;
    Ok(doc
        .operations
        .iter()
        .flat_map(|(_, op)| {
            op.node
                .variable_definitions
                .iter()
                .map(|v| v.node.name.node.to_string())
                .collect::<Vec<_>>()
        })
        .collect())
}

/// The cursor that opens page `page` of the range's operation logs (50 per page), walking the
/// pages through the gateway; stops early at the last page. Returns the cursor and the page.
async fn page_cursor(
    schema: &AppSchema,
    db: &DatabaseConnection,
    viewer: &Viewer,
    setup: &Setup,
    page: usize,
) -> Result<(Option<String>, usize), String> {
    let mut cursor: Option<String> = None;
    let mut reached = 1;
    while reached < page {
        let vars =
            json!({ "from": setup.from.to_string(), "to": setup.to.to_string(), "after": cursor });
        let data = gateway_data(
            schema,
            db,
            viewer,
            "query($from: Date!, $to: Date!, $after: String) { operationLogs(from: $from, to: $to, first: 50, after: $after) { pageInfo { hasNextPage endCursor } } }",
            &vars,
        )
        .await?
        .0;
        let info = &data["operationLogs"]["pageInfo"];
        if info["hasNextPage"] != json!(true) {
            break;
        }
        cursor = info["endCursor"].as_str().map(str::to_owned);
        reached += 1;
    }
    Ok((cursor, reached))
}

fn request(text: &str, variables: &Json) -> Request {
    Request::new(text).variables(Variables::from_json(variables.clone()))
}

/// Runs a query through the gateway: its `data` as JSON and the statements it ran.
async fn gateway_data(
    schema: &AppSchema,
    db: &DatabaseConnection,
    viewer: &Viewer,
    text: &str,
    variables: &Json,
) -> Result<(Json, usize), String> {
    let sql = Sql::new(db.clone());
    let response = execute(
        schema,
        sql.clone(),
        Some(viewer.clone()),
        request(text, variables),
    )
    .await;
    if !response.errors.is_empty() {
        return Err(format!(
            "the gateway answered errors: {:?}",
            response.errors
        ));
    }
    let data = response.data.into_json().map_err(|e| e.to_string())?;
    Ok((data, sql.statements()))
}

/// Keeps a result alive so the work that made it is not optimised away.
static SINK: AtomicU64 = AtomicU64::new(0);

fn consume(bytes: &[u8]) {
    SINK.fetch_add(bytes.len() as u64, Ordering::Relaxed);
}

async fn measure_in_process(
    args: &Args,
    db: &DatabaseConnection,
    schema: &AppSchema,
    pool: &Pool,
    setup: &Setup,
    q: &Query,
) -> Result<Outcome, String> {
    let (data, gateway_statements) =
        gateway_data(schema, db, &q.viewer, &q.text, &q.variables).await?;
    let params = Params {
        account_id: setup.account_id,
        host_id: setup.host_id,
        start: setup.start,
        end: setup.end,
        days: setup.days()?,
        first: q.variables["first"].as_i64().unwrap_or(100),
        after: match q.variables.get("after").and_then(Json::as_str) {
            Some(c) => {
                Some(decode_cursor(CursorKind::OperationLog, c).map_err(|e| format!("{e:?}"))?)
            }
            None => None,
        },
    };
    let mut outcome = Outcome {
        name: q.name.clone(),
        gateway_statements,
        floor_statements: None,
        same: None,
        runs: Vec::new(),
        peak_rss: None,
        page: q.page,
    };
    if let Some(report) = q.report {
        let before = pool.statements();
        let floor = floor::compute(pool, report, &params).await?;
        outcome.floor_statements = Some(pool.statements() - before);
        outcome.same = Some(first_difference("data", &data, &floor));
    }
    for concurrency in [1, args.concurrency] {
        let (schema, db, viewer) = (schema.clone(), db.clone(), q.viewer.clone());
        let (text, variables) = (q.text.clone(), q.variables.clone());
        let gateway = move || {
            let (schema, db, viewer) = (schema.clone(), db.clone(), viewer.clone());
            let req = request(&text, &variables);
            async move {
                let response = execute(&schema, Sql::new(db), Some(viewer), req).await;
                if !response.errors.is_empty() {
                    return Err(format!("errors: {:?}", response.errors));
                }
                let body = serde_json::to_vec(&response).map_err(|e| e.to_string())?;
                consume(&body);
                Ok(())
            }
        };
        let measure = warm_then_run(args, concurrency, gateway).await?;
        outcome.runs.push(("gateway", concurrency, measure));
        if let Some(report) = q.report {
            let (pool, params) = (pool.clone(), params.clone());
            let floor = move || {
                let (pool, params) = (pool.clone(), params.clone());
                async move {
                    let data = floor::compute(&pool, report, &params).await?;
                    let body =
                        serde_json::to_vec(&json!({ "data": data })).map_err(|e| e.to_string())?;
                    consume(&body);
                    Ok(())
                }
            };
            let measure = warm_then_run(args, concurrency, floor).await?;
            outcome.runs.push(("floor", concurrency, measure));
        }
    }
    Ok(outcome)
}

async fn warm_then_run<F, Fut>(args: &Args, concurrency: usize, f: F) -> Result<Measure, String>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(), String>> + Send + 'static,
{
    for _ in 0..args.warmup {
        f().await?;
    }
    load::run(concurrency, args.requests, f).await
}

async fn measure_http(
    args: &Args,
    server: &Server,
    q: &Query,
    outcome: &mut Outcome,
) -> Result<(), String> {
    let body = Bytes::from(
        serde_json::to_vec(&json!({ "query": q.text, "variables": q.variables }))
            .map_err(|e| e.to_string())?,
    );
    for concurrency in [1, args.concurrency] {
        let mut connections = Vec::new();
        for _ in 0..concurrency {
            connections.push(Arc::new(tokio::sync::Mutex::new(
                Connection::open(&server.addr).await?,
            )));
        }
        let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (token, body) = (q.token.clone(), body.clone());
        let send = move || {
            // Each worker takes a connection of its own (there are as many as workers).
            let i = next.fetch_add(1, Ordering::Relaxed) % connections.len();
            let (conn, token, body) = (connections[i].clone(), token.clone(), body.clone());
            async move {
                let answer = conn.lock().await.graphql(&token, body).await?;
                if answer.windows(10).any(|w| w == b"\"errors\":[") {
                    return Err(format!(
                        "errors over HTTP: {}",
                        String::from_utf8_lossy(&answer)
                    ));
                }
                consume(&answer);
                Ok(())
            }
        };
        let measure = warm_then_run(args, concurrency, send).await?;
        outcome.runs.push(("http", concurrency, measure));
    }
    outcome.peak_rss = server.peak_rss();
    Ok(())
}

/// `Ok` when equal, else where they first differ.
fn first_difference(path: &str, a: &Json, b: &Json) -> Result<(), String> {
    match (a, b) {
        (Json::Object(x), Json::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => first_difference(&format!("{path}.{k}"), v, w)?,
                    None => return Err(format!("{path}.{k}: missing from the floor")),
                }
            }
            if let Some(k) = y.keys().find(|k| !x.contains_key(*k)) {
                return Err(format!("{path}.{k}: only in the floor"));
            }
            Ok(())
        }
        (Json::Array(x), Json::Array(y)) => {
            if x.len() != y.len() {
                return Err(format!("{path}: {} items, floor {}", x.len(), y.len()));
            }
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                first_difference(&format!("{path}[{i}]"), v, w)?;
            }
            Ok(())
        }
        _ if a == b => Ok(()),
        _ => Err(format!("{path}: gateway {a}, floor {b}")),
    }
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2}")
    } else {
        format!("{ms:.1}")
    }
}

#[derive(FromQueryResult)]
struct Sizes {
    sessions: i64,
    participants: i64,
}

async fn table(
    args: &Args,
    db: &DatabaseConnection,
    setup: &Setup,
    outcomes: &[Outcome],
) -> String {
    let sizes: Option<Sizes> = Sql::new(db.clone())
        .one(
            "SELECT (SELECT COUNT(*) FROM meeting_session WHERE account_id = ?) AS sessions, \
             (SELECT COUNT(*) FROM participant WHERE account_id = ?) AS participants",
            vec![Value::from(setup.account_id), Value::from(setup.account_id)],
        )
        .await
        .ok()
        .flatten();
    let backend = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "PostgreSQL",
        _ => "SQLite",
    };
    let c = args.concurrency;
    let mut out = String::new();
    out.push_str(&format!(
        "### {backend}, {} users ({} sessions, {} participant rows), range {} to {}\n\n",
        setup.users,
        sizes.as_ref().map_or(0, |s| s.sessions),
        sizes.as_ref().map_or(0, |s| s.participants),
        setup.from,
        setup.to
    ));
    out.push_str(&format!(
        "Machine: {}; {} build; {} measured requests per cell after {} warm-up; {}.\n\n",
        machine(),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        args.requests,
        args.warmup,
        Utc::now().format("%Y-%m-%d %H:%M UTC")
    ));
    out.push_str(&format!(
        "| query | SQL statements gateway / floor | floor p50 ms | gateway p50 ms | gateway ÷ floor | same data | in-process p95 / p99 ms | in-process req/s c1 → c{c} | HTTP p50 / p95 / p99 ms | HTTP req/s c1 → c{c} | HTTP c{c} p50 / p99 ms | server peak RSS MB |\n"
    ));
    out.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for o in outcomes {
        let g1 = o.measure("gateway", 1);
        let gc = o.measure("gateway", c);
        let f1 = o.measure("floor", 1);
        let h1 = o.measure("http", 1);
        let hc = o.measure("http", c);
        let dash = || "—".to_owned();
        let name = match o.page {
            Some(p) => format!("{} (page {p})", o.name),
            None => o.name.clone(),
        };
        out.push_str(&format!(
            "| {name} | {} / {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            o.gateway_statements,
            o.floor_statements.map_or_else(dash, |n| n.to_string()),
            f1.map_or_else(dash, |m| ms(m.p50)),
            g1.map_or_else(dash, |m| ms(m.p50)),
            match (g1, f1) {
                (Some(g), Some(f)) => format!("{:.2}×", g.p50.as_secs_f64() / f.p50.as_secs_f64()),
                _ => dash(),
            },
            match &o.same {
                Some(Ok(())) => "yes".to_owned(),
                Some(Err(at)) => format!("**no**: {at}"),
                None => dash(),
            },
            g1.map_or_else(dash, |m| format!("{} / {}", ms(m.p95), ms(m.p99))),
            scaling(g1, gc),
            h1.map_or_else(dash, |m| format!(
                "{} / {} / {}",
                ms(m.p50),
                ms(m.p95),
                ms(m.p99)
            )),
            scaling(h1, hc),
            hc.map_or_else(dash, |m| format!("{} / {}", ms(m.p50), ms(m.p99))),
            o.peak_rss
                .map_or_else(dash, |b| format!("{:.0}", b as f64 / 1_048_576.0)),
        ));
    }
    out
}

/// Throughput at concurrency 1 and at the loaded concurrency, and their ratio.
fn scaling(one: Option<&Measure>, many: Option<&Measure>) -> String {
    match (one, many) {
        (Some(a), Some(b)) => format!(
            "{:.0} → {:.0} ({:.2}×)",
            a.throughput,
            b.throughput,
            b.throughput / a.throughput
        ),
        _ => "—".to_owned(),
    }
}

/// The CPU model and core count, from /proc/cpuinfo.
fn machine() -> String {
    let info = std::fs::read_to_string(Path::new("/proc/cpuinfo")).unwrap_or_default();
    let model = info
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{model}, {cores} cores")
}
