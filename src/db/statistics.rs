//! The planner's statistics, kept current while the data grows.
//!
//! A table that grows from empty to millions of rows needs its statistics refreshed as it goes:
//! without them SQLite takes `account_id = ?` for a selective predicate and reads a meeting's
//! join rows through the whole account (`bench/README.md` shows the plans). Two things go
//! stale, and both are handled here:
//!
//! - **The statistics themselves.** [`refresh_statistics`] analyzes the tables that grew: on
//!   SQLite by SQLite's own rule, that of `PRAGMA optimize` (a table with rows but without
//!   statistics, or ten times larger or smaller than when it was analyzed), in full, one index
//!   at a time, so the writer waits for one index's scan at most (a table's statistics are
//!   then redone at 10, 100, 1,000 … rows: about as much work as one analysis of its final
//!   size); on PostgreSQL by the rule of its autovacuum daemon (more rows changed than 50 +
//!   10 % of the table), which also covers a server whose autovacuum is off or has not woken
//!   up yet (its nap is a minute), plus a table that has rows and was never analyzed or has
//!   grown tenfold in pages.
//! - **What each SQLite connection loaded.** A SQLite connection reads `sqlite_stat1` when it
//!   opens, after an `ANALYZE` it ran itself, and when the schema cookie tells it that the
//!   schema changed; an `ANALYZE` on another connection changes no cookie. The pool's other
//!   connections (and every connection of another process) would go on planning with what
//!   they read at open — for a pool opened on an empty database, no statistics at all: that
//!   is how `bench --seed-users 1000` spent 20 minutes in plans of the empty database. So
//!   whenever the statistics change, the same transaction creates and drops a view, which
//!   moves the cookie: every connection re-reads the schema and the statistics before its
//!   next statement, and SQLite re-prepares its cached statements with them.
//!
//! PostgreSQL needs no such signal: an `ANALYZE` invalidates the cached plans of every
//! session.
//!
//! `serve` runs [`keep_statistics_current`] every [`STATISTICS_EVERY`]; an import refreshes
//! every [`crate::ingest::import::STATISTICS_LINES`] lines and when it ends; the seeds end with
//! a full [`analyze`].

use std::{collections::BTreeMap, time::Duration};

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, FromQueryResult, SqliteTransactionMode,
    Statement, TransactionOptions, TransactionTrait,
};

/// How often `serve` refreshes the statistics of the tables that grew. A refresh that finds
/// nothing to do reads the tables' sizes and `sqlite_stat1`, and writes nothing.
pub const STATISTICS_EVERY: Duration = Duration::from_secs(30);

/// The view whose creation and removal tells every SQLite connection to reload the schema
/// and the statistics. It never outlives the transaction that creates it.
const SIGNAL_VIEW: &str = "planner_statistics_changed";

/// `sqlite_stat1`, one entry per table: its rows (index and stat) in one string.
type Stat1 = BTreeMap<String, String>;

/// Refreshes the statistics of the tables that need it (see the module's header) and returns
/// their names. On SQLite, the statistics changed means every connection of every process
/// reloads them before its next statement.
pub async fn refresh_statistics(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    StatisticsKeeper::default().refresh(db).await
}

/// Analyzes every table in full and makes every connection plan with the result: the end of
/// a bulk load (the seeds).
///
/// Without statistics SQLite cannot tell that `account_id` matches half of a table while
/// `meeting_id` matches a few rows, and reads a webinar's participants through the
/// `(account_id, source_id)` index: the whole account instead of one meeting (1.9 s instead of
/// 2 ms for one webinar of the 50-user bench data). `bench/README.md` shows the plans.
///
/// On PostgreSQL the tables are vacuumed as well (`VACUUM (ANALYZE)`), as its autovacuum does
/// after a bulk insert on a server where it runs: until a table's pages are marked all-visible,
/// every index-only scan (a page's `totalCount` per parent, say) still reads the rows' pages
/// to check them. On the 1k bench data that was half of the meetings → participants →
/// attendees query (52 → 31 ms); the vacuum itself took about 2 s there.
pub async fn analyze(db: &DatabaseConnection) -> Result<(), DbErr> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let tables = postgres_tables(db, false).await?;
            if !tables.is_empty() {
                db.execute_unprepared(&format!("VACUUM (ANALYZE) {}", quoted(&tables)))
                    .await?;
            }
        }
        _ => {
            let tx = immediate(db).await?;
            tx.execute_unprepared("ANALYZE").await?;
            announce(&tx).await?;
            tx.commit().await?;
        }
    }
    Ok(())
}

/// Refreshes the statistics every `every`, for as long as the process runs (`serve`).
pub async fn keep_statistics_current(db: DatabaseConnection, every: Duration) {
    let mut keeper = StatisticsKeeper::default();
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match keeper.refresh(&db).await {
            Ok(tables) if tables.is_empty() => {}
            Ok(tables) => tracing::info!(?tables, "planner statistics refreshed"),
            Err(err) => tracing::warn!(error = %err, "refreshing the planner statistics failed"),
        }
    }
}

/// A refresher that remembers the SQLite statistics it last saw, so that statistics another
/// program wrote without the signal (an `ANALYZE` in the `sqlite3` shell, an older build)
/// reach this process's connections at its next refresh.
#[derive(Debug, Default)]
pub struct StatisticsKeeper {
    seen: Option<Stat1>,
}

impl StatisticsKeeper {
    /// Analyzes the tables that need it and returns their names (see [`refresh_statistics`]).
    pub async fn refresh(&mut self, db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
        match db.get_database_backend() {
            DbBackend::Postgres => {
                let tables = postgres_tables(db, true).await?;
                if !tables.is_empty() {
                    db.execute_unprepared(&format!("ANALYZE {}", quoted(&tables)))
                        .await?;
                }
                Ok(tables)
            }
            _ => self.refresh_sqlite(db).await,
        }
    }

    async fn refresh_sqlite(&mut self, db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
        let before = stat1(db).await?;
        let mut changed = Vec::new();
        for table in tables_to_analyze(db).await? {
            // Index by index, each its own short write transaction: an import or a webhook
            // waits for one index's scan (about a second per million rows), never for the
            // whole table's.
            for target in analysis_targets(db, &table).await? {
                db.execute_unprepared(&format!("ANALYZE \"main\".\"{}\"", escaped(&target)))
                    .await?;
            }
            changed.push(table);
        }
        let after = stat1(db).await?;
        changed.retain(|t| before.get(t) != after.get(t));
        let changed_elsewhere = self.seen.as_ref().is_some_and(|seen| *seen != before);
        if !changed.is_empty() || changed_elsewhere {
            let tx = immediate(db).await?;
            announce(&tx).await?;
            tx.commit().await?;
        }
        self.seen = Some(after);
        Ok(changed)
    }
}

/// The tables SQLite's rule says need an `ANALYZE` (`PRAGMA optimize` in its reporting mode,
/// over every table: 0x10000 | 0x02 | 0x01), less the empty ones (there is nothing to learn
/// from them, and an empty table always qualifies, having no statistics).
///
/// Not `PRAGMA optimize`'s sampling limit (0x10): it counts only the first rows of a leading
/// value before it skips to the next, and on the bench data it made a meeting's join rows
/// look 334 where they are 9, and the account's 2,001 where they are 15,886 — the webinar
/// performance statement then took 3.5 s instead of 84 ms.
async fn tables_to_analyze(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    let mut tables = Vec::new();
    for row in db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA optimize(0x10003)",
        ))
        .await?
    {
        let line: String = row.try_get_by_index(0)?;
        // `ANALYZE "main"."participant"`
        let Some(table) = line
            .strip_prefix("ANALYZE \"main\".\"")
            .and_then(|t| t.strip_suffix('"'))
        else {
            continue;
        };
        let table = table.replace("\"\"", "\"");
        let has_rows = db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                format!("SELECT 1 FROM \"main\".\"{}\" LIMIT 1", escaped(&table)),
            ))
            .await?
            .is_some();
        if has_rows {
            tables.push(table);
        }
    }
    Ok(tables)
}

/// What to `ANALYZE` for `table`: each of its indexes, or the table itself when it has none.
async fn analysis_targets(db: &DatabaseConnection, table: &str) -> Result<Vec<String>, DbErr> {
    #[derive(FromQueryResult)]
    struct Index {
        name: String,
    }
    let indexes = Index::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "SELECT name FROM pragma_index_list(?) ORDER BY name",
        [table.into()],
    ))
    .all(db)
    .await?;
    Ok(if indexes.is_empty() {
        vec![table.to_owned()]
    } else {
        indexes.into_iter().map(|i| i.name).collect()
    })
}

async fn immediate(db: &DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// Moves SQLite's schema cookie (a view created and dropped), so that every connection
/// reloads the schema, and with it the statistics, before its next statement.
async fn announce(tx: &impl ConnectionTrait) -> Result<(), DbErr> {
    tx.execute_unprepared(&format!(
        "CREATE VIEW IF NOT EXISTS {SIGNAL_VIEW} AS SELECT 1 AS changed"
    ))
    .await?;
    tx.execute_unprepared(&format!("DROP VIEW {SIGNAL_VIEW}"))
        .await?;
    Ok(())
}

/// `sqlite_stat1` by table. The table exists from the first migration on (it analyzes an
/// index), but a database made otherwise may lack it: then there are no statistics.
async fn stat1(db: &impl ConnectionTrait) -> Result<Stat1, DbErr> {
    #[derive(FromQueryResult)]
    struct Row {
        tbl: String,
        stats: String,
    }
    let exists = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'",
        ))
        .await?
        .is_some();
    if !exists {
        return Ok(Stat1::new());
    }
    let rows = Row::find_by_statement(Statement::from_string(
        DbBackend::Sqlite,
        "SELECT tbl, group_concat(COALESCE(idx, '') || '=' || COALESCE(stat, ''), ';') AS stats \
         FROM (SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx) GROUP BY tbl",
    ))
    .all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.tbl, r.stats)).collect())
}

/// The ordinary tables of the current schema; with `stale`, only those autovacuum's rule (or
/// growth, or never having been analyzed) says need an `ANALYZE`.
async fn postgres_tables(db: &DatabaseConnection, stale: bool) -> Result<Vec<String>, DbErr> {
    #[derive(FromQueryResult)]
    struct Row {
        relname: String,
    }
    let rule = if stale {
        " AND ((c.reltuples < 0 AND pg_relation_size(c.oid) > 0) \
           OR pg_relation_size(c.oid) > 10 * GREATEST(c.relpages, 1)::bigint \
              * current_setting('block_size')::bigint \
           OR COALESCE(s.n_mod_since_analyze, 0) > 50 + 0.1 * GREATEST(c.reltuples, 0))"
    } else {
        ""
    };
    let rows = Row::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        format!(
            "SELECT c.relname::text AS relname FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid \
             WHERE n.nspname = current_schema() AND c.relkind = 'r'{rule} ORDER BY c.relname"
        ),
    ))
    .all(db)
    .await?;
    Ok(rows.into_iter().map(|r| r.relname).collect())
}

fn escaped(name: &str) -> String {
    name.replace('"', "\"\"")
}

/// The tables' names quoted as identifiers, comma-separated (an `ANALYZE` list).
pub(crate) fn quoted<T: AsRef<str>>(tables: &[T]) -> String {
    tables
        .iter()
        .map(|t| format!("\"{}\"", escaped(t.as_ref())))
        .collect::<Vec<_>>()
        .join(", ")
}
