//! The benchmark data set: `meeting-reports seed bench --users N [--months 12] [--seed S]`.
//!
//! The rows come from the demo's generator fed the population of `population.rs` (the demo's
//! shape at any size: see there), on a blocking thread, a chunk of about 10,000 rows at a time
//! through a channel of one chunk: besides that chunk, memory holds one account's directory and
//! plan of meetings (a few hundred bytes a meeting), and on PostgreSQL the transaction's rows
//! staged as `COPY` text (~35 MB). This side writes each chunk as the demo does (batched
//! multi-row `INSERT`s on SQLite; on PostgreSQL staged, and sent with one `COPY` per table
//! before the commit: `copy.rs`) and commits every [`COMMIT_ROWS`] rows, printing a progress
//! line on stderr (on PostgreSQL its counts are of rows staged). About 100 sessions and 1,000
//! join rows per user and twelve months:
//! `--users 1000` gives about 100k sessions and 1M participant rows.
//!
//! The same `(now, seed, users, months)` always stores the same rows. A load that fails keeps
//! what it committed: seed a fresh database again.

use std::{
    collections::BTreeMap,
    io::Write,
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr};
use tokio::sync::mpsc::Receiver;

use super::table::{Dataset, SeedTransaction};
use population::Params;

mod population;

/// Rows per transaction.
pub const COMMIT_ROWS: u64 = 250_000;

/// What [`seed_bench`] stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchSummary {
    /// Users asked for (Bench Corp's size).
    pub users_requested: u32,
    pub months: u32,
    pub accounts: u64,
    pub users: u64,
    /// Rows of `meeting`, webinars included.
    pub meetings: u64,
    /// Of which webinars.
    pub webinars: u64,
    pub sessions: u64,
    /// Join rows (a rejoin is a row).
    pub participants: u64,
    pub registrants: u64,
    /// Busy hosts: about ten meetings a working day.
    pub heavy_hosts: u64,
    /// Rows per table, in insertion order.
    pub rows_per_table: Vec<(&'static str, u64)>,
    pub total_rows: u64,
    pub transactions: u64,
    /// The users worth signing in as.
    pub bench_users: Vec<String>,
    /// The `now` the data was generated for (whole seconds).
    pub now: DateTime<Utc>,
    pub seed: u64,
    pub elapsed: Duration,
    /// Of which settling the aggregates before each commit (`reports::aggregates::settle`) ...
    pub settling: Duration,
    /// ... the `ANALYZE`s before some of those settles (PostgreSQL: [`Writer::keep_statistics`]) ...
    pub analyzing_while_loading: Duration,
    /// ... and the closing `ANALYZE` (on PostgreSQL `VACUUM (ANALYZE)`: `crate::db::analyze`).
    pub analyzing: Duration,
}

/// The users a benchmark signs in as.
#[rustfmt::skip]
pub const BENCH_USERS: [&str; 5] = [
    "owner@bench.example", "admin@bench.example", "analyst@bench.example", "auditor@bench.example",
    "owner@partner.example",
];

/// Loads the benchmark data into an empty, migrated database: Bench Corp with `users` users
/// and a small second account, with `months` months of activity before `now`. Rows are
/// generated and written in streaming chunks, committed every [`COMMIT_ROWS`] rows; with
/// `progress`, a line on stderr tells rows written per table and the rate.
pub async fn seed_bench(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    seed: u64,
    users: u32,
    months: u32,
    progress: bool,
) -> Result<BenchSummary, DbErr> {
    if users == 0 || !(1..=120).contains(&months) {
        return Err(DbErr::Custom(format!(
            "bench data: --users must be at least 1 and --months 1 to 120 (got {users}, {months})"
        )));
    }
    super::refuse_data(db, "bench").await?;
    let started = Instant::now();
    let now = super::whole_seconds(now);
    let params = Params {
        now: now.timestamp(),
        seed,
        users,
        months,
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<Dataset>(1);
    let generator = tokio::task::spawn_blocking(move || {
        population::generate(params, &mut |chunk| tx.blocking_send(chunk).is_ok())
    });

    let mut writer = Writer {
        db,
        progress,
        started,
        last_line: None,
        rows: BTreeMap::new(),
        total: 0,
        settling: Duration::ZERO,
        analyzed: BTreeMap::new(),
        analyzing: Duration::ZERO,
    };
    let written = writer.run(rx).await;
    // The receiver is gone: a generator still running stops at its next chunk.
    let stats = generator
        .await
        .map_err(|e| DbErr::Custom(format!("bench data: the generator failed: {e}")))?;
    let transactions = written?;
    let stats = stats?;
    writer.line(true);
    if progress {
        eprintln!("seed bench: ANALYZE (planner statistics; on PostgreSQL with VACUUM)");
    }
    let analyze_started = Instant::now();
    crate::db::analyze(db).await?;
    let analyzing = analyze_started.elapsed();

    let rows_per_table: Vec<(&'static str, u64)> = (Dataset::new().tables().iter())
        .map(|t| (t.name, writer.rows(t.name)))
        .collect();
    let get = |name: &str| writer.rows(name);
    Ok(BenchSummary {
        users_requested: users,
        months,
        accounts: stats.accounts,
        users: get("app_user"),
        meetings: get("meeting"),
        webinars: stats.webinars,
        sessions: get("meeting_session"),
        participants: get("participant"),
        registrants: get("registrant"),
        heavy_hosts: stats.heavy_hosts,
        total_rows: writer.total,
        rows_per_table,
        transactions,
        bench_users: BENCH_USERS.iter().map(|s| (*s).to_owned()).collect(),
        now,
        seed,
        elapsed: started.elapsed(),
        settling: writer.settling,
        analyzing_while_loading: writer.analyzing,
        analyzing,
    })
}

struct Writer<'a> {
    db: &'a DatabaseConnection,
    progress: bool,
    started: Instant,
    last_line: Option<Instant>,
    rows: BTreeMap<&'static str, u64>,
    total: u64,
    settling: Duration,
    /// The rows each table had when [`Writer::keep_statistics`] last analyzed it.
    analyzed: BTreeMap<&'static str, u64>,
    analyzing: Duration,
}

impl Writer<'_> {
    /// Rows written to `table` so far.
    fn rows(&self, table: &str) -> u64 {
        self.rows.get(table).copied().unwrap_or(0)
    }

    async fn begin(&self) -> Result<SeedTransaction, DbErr> {
        let txn = SeedTransaction::begin(self.db).await?;
        if let SeedTransaction::Insert(_) = txn {
            // SQLite: a larger page cache for the load: the indexes' hot pages stay in memory.
            txn.execute_unprepared("PRAGMA cache_size = -65536").await?;
        }
        Ok(txn)
    }

    /// On PostgreSQL, analyzes (inside `txn`, which sees its own rows) every table that has
    /// at least doubled since this load last analyzed it, so that the settle after it plans
    /// with statistics of about the table's size. Without them, a table analyzed when it was
    /// (nearly) empty, or never, makes `account_id = ?` look as selective as `meeting_id = ?`:
    /// PostgreSQL then ANDs the two indexes' bitmaps and reads the whole account's index range
    /// once per webinar the commit lists (one settle of ~100 webinars took 16 s at 1k users,
    /// and the 1k load 2–3.5 min instead of 70 s). The server's autovacuum would analyze them
    /// too, but only after their commit, after its nap, and not at all where it is off.
    /// The registrant and webinar settles no longer depend on it (their account conditions are
    /// kept off the indexes: `reports::registration::ATTENDANCE_CTES`); it stays for the
    /// others, which were not checked without statistics on PostgreSQL. SQLite goes without:
    /// its settle statements also fix their join order (`CROSS JOIN`), and its closing
    /// `ANALYZE` is enough. Doubling keeps it to a few analyses of each table
    /// (each samples a fixed number of rows).
    async fn keep_statistics(&mut self, txn: &SeedTransaction) -> Result<(), DbErr> {
        if !matches!(txn, SeedTransaction::Copy(_)) {
            return Ok(());
        }
        let grown: Vec<&'static str> = (self.rows.iter())
            .filter(|(t, n)| **n > 0 && **n >= 2 * self.analyzed.get(*t).copied().unwrap_or(0))
            .map(|(t, _)| *t)
            .collect();
        if grown.is_empty() {
            return Ok(());
        }
        let started = Instant::now();
        txn.execute_unprepared(&format!("ANALYZE {}", crate::db::quoted(&grown)))
            .await?;
        for t in grown {
            self.analyzed.insert(t, self.rows(t));
        }
        self.analyzing += started.elapsed();
        Ok(())
    }

    /// Settles the aggregates in `txn` (before its commit), keeping the time it took (the rows
    /// staged for `COPY` sent first, and the statistics refreshed, outside it).
    async fn settle(&mut self, txn: &SeedTransaction) -> Result<(), DbErr> {
        txn.flush().await?;
        self.keep_statistics(txn).await?;
        let started = Instant::now();
        txn.settle().await?;
        self.settling += started.elapsed();
        Ok(())
    }

    /// Writes every chunk `rx` delivers; returns the transactions committed.
    async fn run(&mut self, mut rx: Receiver<Dataset>) -> Result<u64, DbErr> {
        let mut txn = self.begin().await?;
        let mut since_commit = 0u64;
        let mut commits = 0u64;
        while let Some(chunk) = rx.recv().await {
            for (name, n) in chunk.write(&txn).await? {
                *self.rows.entry(name).or_insert(0) += n;
                self.total += n;
                since_commit += n;
            }
            if since_commit >= COMMIT_ROWS {
                self.settle(&txn).await?;
                txn.commit().await?;
                commits += 1;
                since_commit = 0;
                txn = self.begin().await?;
            }
            self.line(false);
        }
        let filled: Vec<&str> = self
            .rows
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(t, _)| *t)
            .collect();
        txn.bump_sequences(&filled).await?;
        self.settle(&txn).await?;
        txn.commit().await?;
        Ok(commits + 1)
    }

    /// The progress line (at most four a second, and the last one).
    fn line(&mut self, last: bool) {
        if !self.progress {
            return;
        }
        let now = Instant::now();
        if !last
            && self
                .last_line
                .is_some_and(|t| now.duration_since(t) < Duration::from_millis(250))
        {
            return;
        }
        self.last_line = Some(now);
        let secs = self.started.elapsed().as_secs_f64();
        let rate = self.total as f64 / secs.max(0.001);
        let mut line = format!("\rseed bench: {} rows", self.total);
        let mut other = self.total;
        for table in ["participant", "meeting_session", "meeting", "registrant"] {
            line += &format!(" · {table} {}", self.rows(table));
            other -= self.rows(table);
        }
        line += &format!(" · other {other} · {rate:.0} rows/s · {secs:.1} s ");
        if last {
            line.push('\n');
        }
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(line.as_bytes());
        let _ = err.flush();
    }
}
