//! Generated rows, held per table, and their batched insertion.
//!
//! The generator is pure: it fills a [`Dataset`] in memory (ids included), then
//! [`Dataset::insert`] writes it with multi-row `INSERT`s inside the caller's transaction. Ids
//! are explicit so rows reference each other without a round trip; on PostgreSQL each table's
//! sequence is moved past them afterwards.
//!
//! A streaming generator (the benchmark data) fills the same [`Dataset`] a chunk at a time:
//! [`Dataset::take`] moves the rows out (ids keep counting from where the chunk ended), and
//! [`Dataset::write`] stores a chunk without touching the sequences.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};

/// At most this many rows per `INSERT`.
const MAX_ROWS_PER_STATEMENT: usize = 4_000;
/// Bind parameters per statement: below SQLite's 32766 ...
const MAX_PARAMS_SQLITE: usize = 32_000;
/// ... and PostgreSQL's 65535. Few large statements beat many small ones on PostgreSQL: over
/// TCP, sqlx (which does not set TCP_NODELAY) waits ~40 ms on every statement of more than a
/// few kilobytes of parameters. Measured on the demo data over 127.0.0.1 in a debug build:
/// 7 s at 100 rows per statement, 3.3 s at 500, 2.4 s with this limit (1 s over a Unix socket).
const MAX_PARAMS_POSTGRES: usize = 65_000;

/// `vals![a, b, c]`: a row of [`Value`]s from anything that converts into one.
macro_rules! vals {
    ($($v:expr),* $(,)?) => {
        vec![$(::sea_orm::Value::from($v)),*]
    };
}
pub(crate) use vals;

/// One table's rows; `columns` excludes `id`, which [`Table::add`] assigns (1, 2, 3, ...).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    pub(crate) name: &'static str,
    pub(crate) columns: &'static [&'static str],
    pub(crate) rows: Vec<Vec<Value>>,
    /// Rows taken out by [`Table::take`] before these: the first row here has id `taken + 1`.
    pub(crate) taken: i64,
}

impl Table {
    fn new(name: &'static str, columns: &'static [&'static str]) -> Self {
        Self {
            name,
            columns,
            rows: Vec::new(),
            taken: 0,
        }
    }

    /// The id the next [`Table::add`] returns.
    pub(crate) fn next_id(&self) -> i64 {
        self.taken + self.rows.len() as i64 + 1
    }

    /// Moves the rows out as a table of their own; the ids of later rows continue after them.
    fn take(&mut self) -> Self {
        let rows = std::mem::take(&mut self.rows);
        let taken = self.taken;
        self.taken += rows.len() as i64;
        Self {
            name: self.name,
            columns: self.columns,
            rows,
            taken,
        }
    }

    /// Appends a row (without its id) and returns the id it got.
    pub(crate) fn add(&mut self, values: Vec<Value>) -> i64 {
        let id = self.next_id();
        let mut row = Vec::with_capacity(values.len() + 1);
        row.push(Value::from(id));
        row.extend(values);
        self.rows.push(row);
        id
    }

    pub(crate) fn len(&self) -> u64 {
        self.rows.len() as u64
    }

    /// Rows per statement for this table's width.
    fn batch_size(&self, backend: DbBackend) -> usize {
        let params = match backend {
            DbBackend::Postgres => MAX_PARAMS_POSTGRES,
            _ => MAX_PARAMS_SQLITE,
        };
        (params / (self.columns.len() + 1)).clamp(1, MAX_ROWS_PER_STATEMENT)
    }

    /// Writes the rows with multi-row `INSERT`s of [`Table::batch_size`] rows; returns how many.
    async fn insert<C: ConnectionTrait>(self, conn: &C) -> Result<u64, DbErr> {
        let backend = conn.get_database_backend();
        let batch = self.batch_size(backend);
        let width = self.columns.len() + 1;
        let total = self.rows.len();
        let (name, columns) = (self.name, self.columns);
        let mut full_sql: Option<String> = None;
        let mut rows = self.rows.into_iter().peekable();
        let mut left = total;
        while rows.peek().is_some() {
            // Full batches, then the rest in power-of-two parts: few distinct statement texts,
            // so the driver's prepared-statement cache neither misses nor grows.
            let n = if left >= batch {
                batch
            } else {
                1 << left.ilog2()
            };
            let mut values = Vec::with_capacity(n * width);
            for row in rows.by_ref().take(n) {
                if row.len() != width {
                    return Err(DbErr::Custom(format!(
                        "generated data for `{name}`: a row of {} values, not {width}",
                        row.len()
                    )));
                }
                values.extend(row);
            }
            left -= n;
            // Every full batch shares one statement text (and so one prepared statement).
            let sql = if n == batch {
                full_sql
                    .get_or_insert_with(|| insert_sql(name, columns, backend, batch))
                    .clone()
            } else {
                insert_sql(name, columns, backend, n)
            };
            conn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
                .await?;
        }
        Ok(total as u64)
    }
}

/// `INSERT INTO name (id, columns..) VALUES (..), (..)` for `rows` rows, with `?` placeholders
/// on SQLite and `$n` on PostgreSQL.
fn insert_sql(name: &str, columns: &[&str], backend: DbBackend, rows: usize) -> String {
    let width = columns.len() + 1;

    let mut sql = String::with_capacity(64 + rows * width * 7);
    sql.push_str("INSERT INTO \"");
    sql.push_str(name);
    sql.push_str("\" (\"id\"");
    for c in columns {
        sql.push_str(", \"");
        sql.push_str(c);
        sql.push('"');
    }
    sql.push_str(") VALUES ");
    let mut n = 0usize;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..width {
            if c > 0 {
                sql.push_str(", ");
            }
            n += 1;
            if backend == DbBackend::Postgres {
                sql.push('$');
                sql.push_str(&n.to_string());
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
    sql
}

macro_rules! dataset {
    ($( $field:ident : [$($col:literal),* $(,)?] ),* $(,)?) => {
        /// Every generated row, per table; the fields are in foreign-key order, which is the
        /// order they are inserted in.
        #[derive(Debug, Clone, PartialEq)]
        pub(crate) struct Dataset {
            $(pub(crate) $field: Table,)*
        }

        impl Dataset {
            pub(crate) fn new() -> Self {
                Self { $($field: Table::new(stringify!($field), &[$($col),*]),)* }
            }

            /// The tables in insertion (foreign-key) order.
            pub(crate) fn tables(&self) -> Vec<&Table> {
                vec![$(&self.$field),*]
            }

            #[cfg(test)]
            pub(crate) fn tables_mut(&mut self) -> Vec<&mut Table> {
                vec![$(&mut self.$field),*]
            }

            fn into_tables(self) -> Vec<Table> {
                vec![$(self.$field),*]
            }

            /// Moves every row out as a chunk of its own; rows added later get the ids that
            /// follow the chunk's.
            pub(crate) fn take(&mut self) -> Self {
                Self { $($field: self.$field.take(),)* }
            }
        }
    };
}

dataset! {
    account: ["name", "domain", "plan", "time_zone", "billing_reports_enabled", "webinar_addon",
        "phone_plan", "cloud_storage_allowance_bytes", "created_at"],
    department: ["account_id", "name"],
    custom_role: ["account_id", "name", "usage_reports", "user_activity_reports", "billing_reports"],
    app_user: ["account_id", "source_id", "email", "first_name", "last_name", "role",
        "custom_role_id", "department_id", "user_type", "created_at", "last_login_at",
        "last_client_version"],
    meeting: ["account_id", "source_id", "host_id", "kind", "meeting_number", "topic",
        "meeting_type", "scheduled_start", "planned_duration_minutes", "registration_required",
        "created_at", "deleted_at"],
    meeting_session: ["account_id", "source_id", "meeting_id", "start_time", "end_time"],
    registrant: ["account_id", "source_id", "meeting_id", "email", "first_name", "last_name",
        "status", "registered_at", "custom_answers"],
    participant: ["account_id", "source_id", "session_id", "meeting_id", "user_id",
        "registrant_id", "name", "email", "join_time", "leave_time", "duration_seconds",
        "join_method", "role", "device", "ip_address", "location"],
    poll: ["account_id", "source_id", "meeting_id", "title", "anonymous", "launched_at"],
    poll_question: ["account_id", "poll_id", "position", "text", "question_type"],
    poll_response: ["account_id", "question_id", "participant_id", "respondent_name",
        "respondent_email", "answer", "answered_at"],
    qa_question: ["account_id", "source_id", "meeting_id", "asker_name", "asker_email",
        "anonymous", "question", "asked_at", "status"],
    qa_answer: ["account_id", "question_id", "answerer_name", "content", "answered_at", "kind"],
    telephone_call: ["account_id", "source_id", "session_id", "meeting_id", "participant_id",
        "call_type", "caller_number", "called_number", "country", "start_time", "end_time",
        "duration_seconds", "rate_per_minute_micros", "total_cost_micros", "currency"],
    recording: ["account_id", "source_id", "meeting_id", "session_id", "start_time", "end_time",
        "total_size_bytes"],
    recording_file: ["account_id", "recording_id", "file_type", "size_bytes", "recording_start",
        "recording_end"],
    storage_usage_daily: ["account_id", "day", "usage_bytes"],
    phone_call: ["account_id", "source_id", "user_id", "direction", "caller_number",
        "caller_name", "callee_number", "callee_name", "start_time", "duration_seconds",
        "result", "charge_micros", "currency"],
    remote_support_session: ["account_id", "source_id", "meeting_id", "supporter_id",
        "supportee_name", "supportee_email", "requested_at", "started_at", "ended_at"],
    billing_invoice: ["account_id", "source_id", "invoice_number", "period_start", "period_end",
        "issued_at", "currency", "amount_micros", "tax_micros"],
    billing_line: ["account_id", "invoice_id", "department_id", "description", "licenses",
        "amount_micros", "tax_micros"],
    operation_log: ["account_id", "source_id", "occurred_at", "operator_id", "operator_email",
        "category", "action", "detail"],
    sign_in_event: ["account_id", "source_id", "user_id", "occurred_at", "event_type",
        "ip_address", "client_type", "version"],
}

impl Dataset {
    /// Rows held, over every table.
    pub(crate) fn row_count(&self) -> u64 {
        self.tables().iter().map(|t| t.len()).sum()
    }

    /// Writes every table through `conn` (the caller's transaction), parents first. On
    /// PostgreSQL, moves each table's id sequence past the explicit ids.
    pub(crate) async fn insert<C: ConnectionTrait>(self, conn: &C) -> Result<(), DbErr> {
        let filled = self.write(conn).await?;
        let names: Vec<&str> = filled.iter().map(|(name, _)| *name).collect();
        bump_sequences(conn, &names).await
    }

    /// Writes every table through `conn`, parents first, without touching the id sequences;
    /// returns the rows written per table (tables without rows left out).
    pub(crate) async fn write<C: ConnectionTrait>(
        self,
        conn: &C,
    ) -> Result<Vec<(&'static str, u64)>, DbErr> {
        let mut filled = Vec::new();
        for table in self.into_tables() {
            if table.rows.is_empty() {
                continue;
            }
            let name = table.name;
            let n = table.insert(conn).await?;
            filled.push((name, n));
        }
        Ok(filled)
    }
}

/// On PostgreSQL, moves the id sequence of each named table past its largest id (the rows
/// carry explicit ids); nothing to do on SQLite.
pub(crate) async fn bump_sequences<C: ConnectionTrait>(
    conn: &C,
    tables: &[&str],
) -> Result<(), DbErr> {
    if conn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for name in tables {
        // `name` is one of the identifiers above, never input.
        conn.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT MAX(id) FROM {name}))"
        ))
        .await?;
    }
    Ok(())
}
