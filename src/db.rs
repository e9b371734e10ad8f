//! Connecting to the database, and the per-request SQL runner that counts statements.
//!
//! Report queries are hand-written SQL (window functions, aggregates) that run unchanged on
//! SQLite and PostgreSQL: they are written with `?` placeholders, numbered `$n` for PostgreSQL.
//! Every statement a request runs goes through one [`Sql`], whose counter feeds
//! `extensions.cost.sqlStatements` and the tests that prove a query's statement count depends on
//! its depth only.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr,
    FromQueryResult, Statement, Value,
};

/// The embedded default: a SQLite file in the working directory, created when missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://meeting-reports.db?mode=rwc";

/// Opens a pool on `url` and runs the migrations.
///
/// The migrations run on a connection of their own, closed before the pool opens. A SQLite
/// connection plans with the statistics it loaded with the schema: a pool connection that
/// learned of an index a migration created before the migration analyzed it would plan with
/// that index unanalyzed (and the `(account_id, leave_time)` index then looks selective: a
/// meeting's join rows were read through the whole account). An in-memory database lives in
/// its one connection, so it migrates in place.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let in_memory = url.contains(":memory:");
    if !in_memory {
        let migrator = Database::connect(options(url, 1)).await?;
        migrate(&migrator).await?;
        migrator.close().await?;
    }
    let size = match url.starts_with("sqlite:") {
        // SQLite allows one writer; WAL lets readers run beside it. An in-memory database lives
        // in one connection, so a pool of one keeps every request on the same data.
        true if in_memory => 1,
        true => 8,
        false => 16,
    };
    let db = Database::connect(options(url, size)).await?;
    if in_memory {
        migrate(&db).await?;
    }
    Ok(db)
}

fn options(url: &str, size: u32) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false).max_connections(size);
    if url.starts_with("sqlite:") {
        if url.contains(":memory:") {
            options.min_connections(1);
        }
        options.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(std::time::Duration::from_secs(10))
                .foreign_keys(true)
        });
    }
    options
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    use migration::MigratorTrait;
    migration::Migrator::up(db, None).await
}

/// A request's view of the database: the pool plus a statement counter.
#[derive(Clone)]
pub struct Sql {
    conn: DatabaseConnection,
    statements: Arc<AtomicUsize>,
}

impl Sql {
    pub fn new(conn: DatabaseConnection) -> Self {
        Self {
            conn,
            statements: Arc::new(AtomicUsize::new(0)),
        }
    }

    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    /// How many statements this request has run so far.
    pub fn statements(&self) -> usize {
        self.statements.load(Ordering::Relaxed)
    }

    /// Builds a statement from SQL written with `?` placeholders.
    pub fn statement(&self, sql: &str, values: Vec<Value>) -> Statement {
        statement(self.backend(), sql, values)
    }

    /// Runs a query and maps every row.
    pub async fn all<T: FromQueryResult>(
        &self,
        sql: &str,
        values: Vec<Value>,
    ) -> Result<Vec<T>, DbErr> {
        let stmt = self.statement(sql, values);
        self.statements.fetch_add(1, Ordering::Relaxed);
        let started = std::time::Instant::now();
        let rows = self.conn.query_all_raw(stmt).await?;
        // `RUST_LOG=meeting_reports::sql=debug` shows every statement's time (values not logged).
        tracing::debug!(
            target: "meeting_reports::sql",
            ms = started.elapsed().as_secs_f64() * 1000.0,
            rows = rows.len(),
            sql = %sql.chars().take(160).collect::<String>(),
        );
        rows.iter()
            .map(|row| T::from_query_result(row, ""))
            .collect()
    }

    /// Runs a query expected to return at most one row.
    pub async fn one<T: FromQueryResult>(
        &self,
        sql: &str,
        values: Vec<Value>,
    ) -> Result<Option<T>, DbErr> {
        Ok(self.all(sql, values).await?.into_iter().next())
    }
}

/// A statement for `backend` from SQL written with `?` placeholders.
pub fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Postgres => number_placeholders(sql),
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// `?, ?, ?` for an `IN (...)` list of `n` values.
pub fn placeholders(n: usize) -> String {
    let mut s = String::with_capacity(n * 3);
    for i in 0..n {
        if i > 0 {
            s.push_str(", ");
        }
        s.push('?');
    }
    s
}

/// Rewrites `?` placeholders as PostgreSQL's `$1, $2, ...`. Our SQL never has a `?` inside a
/// string literal: every value is bound.
fn number_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order_for_postgres() {
        assert_eq!(
            number_placeholders("a = ? AND b IN (?, ?)"),
            "a = $1 AND b IN ($2, $3)"
        );
        assert_eq!(placeholders(3), "?, ?, ?");
        assert_eq!(placeholders(0), "");
    }
}
