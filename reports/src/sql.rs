//! The per-request SQL runner that counts statements.
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
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, FromQueryResult, Statement, Value,
};

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
