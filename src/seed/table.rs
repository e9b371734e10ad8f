//! Generated rows, held per table, and their batched insertion.
//!
//! The generator is pure: it fills a [`Dataset`] in memory (ids included), then
//! [`Dataset::insert`] writes it with multi-row `INSERT`s inside the caller's transaction. Ids
//! are explicit so rows reference each other without a round trip; on PostgreSQL each table's
//! sequence is moved past them afterwards.

use sea_orm::{
    sea_query::{Alias, Expr, Query},
    ConnectionTrait, DbBackend, DbErr, Value,
};

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
}

impl Table {
    fn new(name: &'static str, columns: &'static [&'static str]) -> Self {
        Self {
            name,
            columns,
            rows: Vec::new(),
        }
    }

    /// The id the next [`Table::add`] returns.
    pub(crate) fn next_id(&self) -> i64 {
        self.rows.len() as i64 + 1
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

    async fn insert<C: ConnectionTrait>(self, conn: &C) -> Result<(), DbErr> {
        let batch = self.batch_size(conn.get_database_backend());
        let name = self.name;
        let columns: Vec<Alias> = std::iter::once("id")
            .chain(self.columns.iter().copied())
            .map(Alias::new)
            .collect();
        let mut rows = self.rows.into_iter().peekable();
        while rows.peek().is_some() {
            let mut stmt = Query::insert();
            stmt.into_table(Alias::new(name)).columns(columns.clone());
            for row in rows.by_ref().take(batch) {
                stmt.values(row.into_iter().map(Expr::from))
                    .map_err(|e| DbErr::Custom(format!("demo data for `{name}`: {e}")))?;
            }
            conn.execute(&stmt).await?;
        }
        Ok(())
    }
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

            fn into_tables(self) -> Vec<Table> {
                vec![$(self.$field),*]
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
    /// Writes every table through `conn` (the caller's transaction), parents first. On
    /// PostgreSQL, moves each table's id sequence past the explicit ids.
    pub(crate) async fn insert<C: ConnectionTrait>(self, conn: &C) -> Result<(), DbErr> {
        let backend = conn.get_database_backend();
        let mut filled = Vec::new();
        for table in self.into_tables() {
            if table.rows.is_empty() {
                continue;
            }
            filled.push(table.name);
            table.insert(conn).await?;
        }
        if backend == DbBackend::Postgres {
            for name in filled {
                // `name` is one of the identifiers above, never input.
                conn.execute_unprepared(&format!(
                    "SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT MAX(id) FROM {name}))"
                ))
                .await?;
            }
        }
        Ok(())
    }
}
