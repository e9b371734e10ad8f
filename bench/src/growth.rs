//! `bench --growth N`: plans while the data grows. The benchmark data (`seed bench --users N`,
//! in a source file of its own, loaded once) is copied into an empty database in stages,
//! oldest rows first — the seed writes its twelve months a day at a time, so each table's row
//! order is the order the account's history arrived in; the directory (accounts, departments,
//! roles, users) comes first, as `account add` and the `user.*` events would bring it. The
//! copying pool refreshes the statistics after each stage, as `meeting-reports import` does
//! every `STATISTICS_LINES` lines, and the serving pool — opened on the empty database — keeps
//! them current on the server's schedule beside it. Meanwhile the query set runs once a second
//! on the serving pool; each round asks for the month before the newest session copied so far
//! and its busiest host, so a round does about a month's work whatever the size. At the end the
//! finished database is analyzed in full, and each report a round asked for (the same query,
//! arguments and viewer) runs again on a pool opened after that: each growth sample is compared
//! with its own report's time on the finished database, where the months it read hold the
//! same rows and only the tables' sizes and statistics differ.
//!
//! The samples include the copy's own work (its writer beside the queries on the same cores);
//! the finished database is measured quiet. SQLite only: the stages are `INSERT .. SELECT`
//! from the attached source.

use std::{
    collections::BTreeMap,
    time::{Duration, Instant},
};

use chrono::Utc;
use meeting_reports::{auth::JwtKeys, config::ReportSettings, db, db::Sql};
use sea_orm::{
    sqlx::{self, Row},
    DatabaseConnection, FromQueryResult,
};

use crate::{gateway_data, load_queries, machine, ms, Args, Query, Setup, JWT_SECRET};

/// Runs of each query, with each of the arguments the growth asked it with, on the finished
/// database; their median is the reference.
const REFERENCE_RUNS: usize = 3;
/// Parts of the load the samples are grouped into, by participant rows loaded.
const PARTS: usize = 10;
/// The tables copied whole before the history: the account and its people.
const DIRECTORY: [&str; 4] = ["account", "department", "custom_role", "app_user"];

struct Sample {
    query: Query,
    /// Participant rows loaded when the round began.
    rows: i64,
    took: Duration,
}

impl Sample {
    /// The same report: query, arguments and viewer.
    fn key(&self) -> String {
        format!(
            "{} {} {}",
            self.query.name, self.query.variables, self.query.viewer.user_id
        )
    }
}

#[derive(FromQueryResult)]
struct Rows {
    rows: i64,
}

async fn rows(db: &DatabaseConnection) -> i64 {
    // The copy goes in id order: the largest id is the count, without reading the table.
    Sql::new(db.clone())
        .one::<Rows>(
            "SELECT COALESCE(MAX(id), 0) AS rows FROM participant",
            Vec::new(),
        )
        .await
        .ok()
        .flatten()
        .map_or(0, |r| r.rows)
}

/// The source file, seeded with `users` users when it holds no data yet.
async fn source(path: &str, users: u32) -> Result<String, String> {
    let url = format!("sqlite://{path}?mode=rwc");
    let db = db::connect(&url)
        .await
        .map_err(|e| format!("{path}: {e}"))?;
    if meeting_reports::seed::is_empty(&db)
        .await
        .map_err(|e| e.to_string())?
    {
        eprintln!("growth: seeding the source {path} with {users} users");
        meeting_reports::seed::seed_bench(&db, Utc::now(), 42, users, 12, true)
            .await
            .map_err(|e| format!("seeding the source failed: {e}"))?;
    }
    db.close().await.map_err(|e| e.to_string())?;
    Ok(path.to_owned())
}

/// Copies `source` into the database of `writer` in `stages` transactions (see the header),
/// refreshing the statistics after each when `refresh`.
async fn copy_in_stages(
    writer: &DatabaseConnection,
    source: &str,
    stages: u64,
    refresh: bool,
) -> Result<(), String> {
    let err = |e: sqlx::Error| e.to_string();
    let mut conn = writer
        .get_sqlite_connection_pool()
        .acquire()
        .await
        .map_err(err)?;
    // Rows of a stage may name a parent of the next one (a join of a session that starts
    // at midnight): the foreign keys hold again once the copy is complete.
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await
        .map_err(err)?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "ATTACH DATABASE '{}' AS source",
        source.replace('\'', "''")
    )))
    .execute(&mut *conn)
    .await
    .map_err(err)?;
    let tables: Vec<(String, i64)> = sqlx::query(
        "SELECT name FROM source.sqlite_schema WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations'",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(err)?
    .iter()
    .map(|r| (r.get::<String, _>(0), 0))
    .collect();
    let mut tables = tables;
    for (table, top) in &mut tables {
        *top = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COALESCE(MAX(rowid), 0) FROM source.\"{table}\""
        )))
        .fetch_one(&mut *conn)
        .await
        .map_err(err)?
        .get(0);
    }
    for stage in 0..=stages {
        let mut sql = String::from("BEGIN IMMEDIATE;");
        for (table, top) in &tables {
            let directory = DIRECTORY.contains(&table.as_str());
            let (lo, hi) = match (stage, directory) {
                (0, true) => (0, *top),
                (_, true) | (0, false) => continue,
                (k, false) => (
                    top * (k as i64 - 1) / stages as i64,
                    top * k as i64 / stages as i64,
                ),
            };
            sql.push_str(&format!(
                "INSERT INTO main.\"{table}\" SELECT * FROM source.\"{table}\" \
                 WHERE rowid > {lo} AND rowid <= {hi};"
            ));
        }
        sql.push_str("COMMIT;");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await
            .map_err(err)?;
        if refresh {
            db::refresh_statistics(writer)
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    sqlx::query("DETACH DATABASE source")
        .execute(&mut *conn)
        .await
        .map_err(err)?;
    sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&mut *conn)
        .await
        .map_err(err)?;
    Ok(())
}

pub async fn run(args: &Args, users: u32) -> Result<(), String> {
    if !args.database_url.starts_with("sqlite:") {
        return Err("--growth runs on SQLite (the stages attach the source file)".into());
    }
    let source = source(
        args.growth_source
            .as_deref()
            .ok_or("--growth needs --growth-source FILE (seeded when empty)")?,
        users,
    )
    .await?;
    let serving = db::connect(&args.database_url)
        .await
        .map_err(|e| format!("cannot open {}: {e}", args.database_url))?;
    if !meeting_reports::seed::is_empty(&serving)
        .await
        .map_err(|e| e.to_string())?
    {
        return Err("--growth needs an empty database".into());
    }
    let every = match args.growth_refresh_secs {
        None => Some(db::STATISTICS_EVERY),
        Some(0) => None,
        Some(secs) => Some(Duration::from_secs(secs)),
    };
    let upkeep =
        every.map(|every| tokio::spawn(db::keep_statistics_current(serving.clone(), every)));
    let writer = db::connect(&args.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let stages = args.growth_stages.max(1);
    let load = {
        let writer = writer.clone();
        tokio::spawn(async move { copy_in_stages(&writer, &source, stages, every.is_some()).await })
    };

    let schema = meeting_reports::build_schema(ReportSettings::default());
    let keys = JwtKeys::new(JWT_SECRET.as_bytes());
    let mut samples = Vec::new();
    let mut rounds = 0usize;
    // Rounds before the copy reached the months the reports cover.
    let mut skipped = 0usize;
    let mut next = Instant::now();
    while !load.is_finished() {
        tokio::time::sleep_until(next.into()).await;
        next = (next + Duration::from_secs(1)).max(Instant::now());
        // Before the first sessions and users are in, there is nothing to ask for.
        let Ok(setup) = Setup::read(&serving, &keys).await else {
            continue;
        };
        // The oldest history comes first: until the copy reaches the months the reports
        // cover, a report cannot be asked about the newest month copied.
        let today = Utc::now().with_timezone(&setup.zone).date_naive();
        if setup.from
            < reports::range::earliest_day(today, ReportSettings::default().history_months)
        {
            skipped += 1;
            continue;
        }
        let Ok(queries) = load_queries(args, &serving, &schema, &setup, &keys, false).await else {
            continue;
        };
        let loaded = rows(&serving).await;
        for q in queries {
            let t = Instant::now();
            gateway_data(&schema, &serving, &q.viewer, &q.text, &q.variables).await?;
            samples.push(Sample {
                took: t.elapsed(),
                rows: loaded,
                query: q,
            });
        }
        rounds += 1;
        if rounds.is_multiple_of(15) {
            eprintln!(
                "growth: {:.0} s, {loaded} participant rows, {rounds} rounds",
                started.elapsed().as_secs_f64()
            );
        }
    }
    load.await
        .map_err(|e| format!("the load failed: {e}"))?
        .map_err(|e| format!("the load failed: {e}"))?;
    let loaded_in = started.elapsed();
    if let Some(upkeep) = upkeep {
        upkeep.abort();
    }

    db::analyze(&writer).await.map_err(|e| e.to_string())?;
    // A pool opened after the analysis: the finished, analyzed database whatever the mode.
    let finished = db::connect(&args.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let mut reference: BTreeMap<String, Duration> = BTreeMap::new();
    for s in &samples {
        let key = s.key();
        if reference.contains_key(&key) {
            continue;
        }
        if reference.len().is_multiple_of(25) {
            eprintln!(
                "growth: the finished database, arguments {} (of at most {})",
                reference.len() + 1,
                samples.len()
            );
        }
        let q = &s.query;
        gateway_data(&schema, &finished, &q.viewer, &q.text, &q.variables).await?;
        let mut times = Vec::new();
        for _ in 0..REFERENCE_RUNS {
            let t = Instant::now();
            gateway_data(&schema, &finished, &q.viewer, &q.text, &q.variables).await?;
            times.push(t.elapsed());
        }
        times.sort_unstable();
        reference.insert(key, times[times.len() / 2]);
    }

    let total = rows(&finished).await;
    let mut out = format!(
        "### Growth on SQLite: empty to {users} users ({total} participant rows) in {stages} stages\n\n\
         Machine: {}; {} build; {}; the load took {:.0} s, {rounds} rounds of the set (and {skipped} \
         skipped while the copy was still in months older than the reports cover), {} distinct \
         arguments; {}.\n\n",
        machine(),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        match every {
            Some(every) => format!(
                "statistics refreshed after each stage and every {} s on the serving pool",
                every.as_secs()
            ),
            None => "no statistics refresh during the load".to_owned(),
        },
        loaded_in.as_secs_f64(),
        reference.len(),
        Utc::now().format("%Y-%m-%d %H:%M UTC"),
    );
    out.push_str(
        "| query | samples | growth p50 ms | finished p50 ms | worst sample: growth / finished ms (participant rows then) | worst ÷ finished | samples over 2× | worst ÷ finished by tenth of the load |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    let mut names: Vec<&str> = samples.iter().map(|s| s.query.name.as_str()).collect();
    names.dedup();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let mine: Vec<(&Sample, Duration, f64)> = samples
            .iter()
            .filter(|s| s.query.name == name)
            .map(|s| {
                let finished = reference.get(&s.key()).copied().unwrap_or_default();
                let ratio = s.took.as_secs_f64() / finished.as_secs_f64().max(f64::EPSILON);
                (s, finished, ratio)
            })
            .collect();
        let median = |mut v: Vec<Duration>| {
            v.sort_unstable();
            v.get(v.len() / 2).copied()
        };
        let growth_p50 = median(mine.iter().map(|(s, _, _)| s.took).collect());
        let finished_p50 = median(mine.iter().map(|(_, f, _)| *f).collect());
        let worst = mine.iter().max_by(|a, b| a.2.total_cmp(&b.2));
        let over = mine.iter().filter(|(_, _, r)| *r > 2.0).count();
        let by_part: Vec<String> = (0..PARTS)
            .map(|part| {
                mine.iter()
                    .filter(|(s, _, _)| {
                        let at = (s.rows.max(0) as usize * PARTS) / (total.max(1) as usize);
                        at.min(PARTS - 1) == part
                    })
                    .map(|(_, _, r)| *r)
                    .reduce(f64::max)
                    .map_or_else(|| "—".to_owned(), |r| format!("{r:.2}"))
            })
            .collect();
        let dash = || "—".to_owned();
        out.push_str(&format!(
            "| {name} | {} | {} | {} | {} | {} | {over} | {} |\n",
            mine.len(),
            growth_p50.map_or_else(dash, ms),
            finished_p50.map_or_else(dash, ms),
            worst.map_or_else(dash, |(s, f, _)| format!(
                "{} / {} ({})",
                ms(s.took),
                ms(*f),
                s.rows
            )),
            worst.map_or_else(dash, |(_, _, r)| format!("{r:.2}×")),
            by_part.join(" "),
        ));
    }
    println!("{out}");
    if let Some(path) = &args.markdown {
        std::fs::write(path, &out).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}
