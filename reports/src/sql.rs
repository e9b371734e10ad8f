//! The per-request SQL runner that counts statements.
//!
//! Report queries are hand-written SQL (window functions, aggregates) that run unchanged on
//! SQLite and PostgreSQL: they are written with `?` placeholders, numbered `$n` for PostgreSQL.
//! Every statement a request runs goes through one [`Sql`], whose counter feeds
//! `extensions.cost.sqlStatements` and the tests that prove a query's statement count depends on
//! its depth only.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc, Mutex,
};

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, FromQueryResult, Statement, Value,
};

/// A request's view of the database: the pool plus a statement counter.
#[derive(Clone)]
pub struct Sql {
    conn: DatabaseConnection,
    statements: Arc<AtomicUsize>,
    /// The text of every statement run, kept only by [`Sql::recording`] (for tests).
    texts: Option<Arc<Mutex<Vec<String>>>>,
}

impl Sql {
    pub fn new(conn: DatabaseConnection) -> Self {
        Self {
            conn,
            statements: Arc::new(AtomicUsize::new(0)),
            texts: None,
        }
    }

    /// A runner that also keeps the text of every statement it runs (see [`Sql::texts`]).
    pub fn recording(conn: DatabaseConnection) -> Self {
        Self {
            texts: Some(Arc::default()),
            ..Self::new(conn)
        }
    }

    /// The statements a [`Sql::recording`] runner has run, in order, as written (with `?`).
    pub fn texts(&self) -> Vec<String> {
        self.texts
            .as_ref()
            .map(|t| t.lock().expect("statement log").clone())
            .unwrap_or_default()
    }

    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    /// How many statements this request has run so far.
    pub fn statements(&self) -> usize {
        self.statements.load(Ordering::Relaxed)
    }

    /// The rest of a condition `column IN (ids)` with the ids as ONE parameter (see
    /// [`Sql::id_array`]), so the statement's text, and its prepared statement, do not change
    /// with their number: `= ANY(CAST(? AS BIGINT[]))` on PostgreSQL, an `IN` over `json_each`
    /// on SQLite. Write `format!("x.meeting_id {}", sql.in_ids())`.
    pub fn in_ids(&self) -> &'static str {
        in_ids(self.backend())
    }

    /// `ids` as one parameter: a `bigint[]` literal on PostgreSQL, a JSON array on SQLite.
    pub fn id_array(&self, ids: &[i64]) -> Value {
        id_array(self.backend(), ids)
    }

    /// The values of `account_id = ? AND x {in_ids}`: the account, then the ids as one value.
    pub fn scoped_ids(&self, account_id: i64, ids: &[i64]) -> Vec<Value> {
        vec![account_id.into(), self.id_array(ids)]
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
        if let Some(texts) = &self.texts {
            texts.lock().expect("statement log").push(sql.to_owned());
        }
        let started = std::time::Instant::now();
        let rows = self.conn.query_all_raw(stmt).await?;
        // `RUST_LOG=meeting_reports::sql=debug` shows every statement's time (values not logged);
        // `=trace` each statement's whole text.
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        tracing::debug!(
            target: "meeting_reports::sql",
            ms,
            rows = rows.len(),
            sql = %sql.chars().take(160).collect::<String>(),
        );
        tracing::trace!(target: "meeting_reports::sql", ms, sql = %sql);
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

/// [`Sql::in_ids`] for a connection of `backend`.
pub fn in_ids(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "= ANY(CAST(? AS BIGINT[]))",
        _ => "IN (SELECT value FROM json_each(?))",
    }
}

/// [`Sql::id_array`] for a connection of `backend`.
pub fn id_array(backend: DbBackend, ids: &[i64]) -> Value {
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    match backend {
        DbBackend::Postgres => format!("{{{list}}}").into(),
        _ => format!("[{list}]").into(),
    }
}

/// The rest of a condition `column IN (texts)` with the texts as ONE parameter
/// ([`text_array`]), so the statement's text does not change with their number: as
/// [`in_ids`], `= ANY(CAST(? AS TEXT[]))` on PostgreSQL (planned as an index condition, where
/// a set-returning function over JSON cost ten times the planning and a semi-join), an `IN`
/// over `json_each` on SQLite.
pub fn in_texts(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "= ANY(CAST(? AS TEXT[]))",
        _ => "IN (SELECT value FROM json_each(?))",
    }
}

/// `texts` as the one parameter of [`in_texts`]: a `text[]` literal on PostgreSQL (every
/// element quoted, its `"` and `\` escaped), a JSON array on SQLite.
pub fn text_array<'a>(backend: DbBackend, texts: impl IntoIterator<Item = &'a str>) -> Value {
    match backend {
        DbBackend::Postgres => {
            let mut out = String::from("{");
            for (i, text) in texts.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('"');
                for c in text.chars() {
                    if c == '"' || c == '\\' {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push('"');
            }
            out.push('}');
            out.into()
        }
        _ => serde_json::Value::Array(
            texts
                .into_iter()
                .map(|t| serde_json::Value::String(t.to_owned()))
                .collect(),
        )
        .to_string()
        .into(),
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
    }

    #[test]
    fn a_text_list_quotes_every_element_for_postgres_and_is_json_for_sqlite() {
        let texts = ["a", r#"b "c" \d"#, "NULL", "", "{,}"];
        assert_eq!(
            text_array(DbBackend::Postgres, texts),
            Value::from(r#"{"a","b \"c\" \\d","NULL","","{,}"}"#)
        );
        assert_eq!(
            text_array(DbBackend::Sqlite, texts),
            Value::from(r#"["a","b \"c\" \\d","NULL","","{,}"]"#)
        );
    }
}
