//! Generated rows, held per table, and their batched insertion.
//!
//! The generator is pure: it fills a [`Dataset`] in memory (ids included), then
//! [`Dataset::insert`] writes it inside the caller's [`SeedTransaction`]: with one `COPY` per
//! table on PostgreSQL (`copy.rs`), with multi-row `INSERT`s on SQLite. Ids are explicit so rows
//! reference each other without a round trip; on PostgreSQL each table's sequence is moved past
//! them afterwards.
//!
//! A streaming generator (the benchmark data) fills the same [`Dataset`] a chunk at a time:
//! [`Dataset::take`] moves the rows out (ids keep counting from where the chunk ended), and
//! [`Dataset::write`] stores a chunk without touching the sequences.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, Statement,
    TransactionTrait, Value,
};

use super::copy::PgTransaction;

/// At most this many rows per `INSERT`.
const MAX_ROWS_PER_STATEMENT: usize = 4_000;
/// Bind parameters per statement: below SQLite's 32766.
const MAX_PARAMS_SQLITE: usize = 32_000;

/// One typed row of a table: its column names (without `id`, in the struct's field order)
/// and its values in that same order, both from the struct's one definition.
pub(crate) trait Row {
    const TABLE: &'static str;
    const COLUMNS: &'static [&'static str];
    /// The id the next row of this table gets.
    fn next_id(data: &Dataset) -> i64;
    fn push_values(self, out: &mut Vec<Value>);
    fn table(data: &mut Dataset) -> &mut Table;
}

/// One table's rows; `columns` excludes `id`, which [`Table::add`] assigns (1, 2, 3, ...).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Table {
    pub(crate) name: &'static str,
    pub(crate) columns: &'static [&'static str],
    pub(crate) rows: Vec<Vec<Value>>,
    /// Rows taken out by [`Table::take`] before these: the first row here has id `taken + 1`.
    pub(crate) taken: i64,
}

impl Table {
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

    /// Appends a row and returns the id it got.
    fn add<R: Row>(&mut self, row: R) -> i64 {
        let id = self.next_id();
        let mut values = Vec::with_capacity(self.columns.len() + 1);
        values.push(Value::from(id));
        row.push_values(&mut values);
        self.rows.push(values);
        id
    }

    pub(crate) fn len(&self) -> u64 {
        self.rows.len() as u64
    }

    /// Rows per statement for this table's width.
    fn batch_size(&self) -> usize {
        (MAX_PARAMS_SQLITE / (self.columns.len() + 1)).clamp(1, MAX_ROWS_PER_STATEMENT)
    }

    /// Writes the rows with multi-row `INSERT`s of [`Table::batch_size`] rows; returns how many.
    /// SQLite's path: PostgreSQL's rows go in by `COPY` ([`SeedTransaction::Copy`]).
    async fn insert<C: ConnectionTrait>(self, conn: &C) -> Result<u64, DbErr> {
        let backend = conn.get_database_backend();
        let batch = self.batch_size();
        let (name, columns, total) = (self.name, self.columns, self.rows.len());
        let mut full_sql: Option<String> = None;
        let mut rows = self.rows.into_iter();
        let mut left = total;
        while left > 0 {
            // Full batches, then the rest in power-of-two parts: few distinct statement texts,
            // so the driver's prepared-statement cache neither misses nor grows.
            let n = if left >= batch {
                batch
            } else {
                1 << left.ilog2()
            };
            left -= n;
            let mut values = Vec::with_capacity(n * (columns.len() + 1));
            values.extend(rows.by_ref().take(n).flatten());
            let sql = match n == batch {
                true => (full_sql.get_or_insert_with(|| insert_sql(name, columns, n))).clone(),
                false => insert_sql(name, columns, n),
            };
            conn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
                .await?;
        }
        Ok(total as u64)
    }
}

/// `COPY name (id, columns..) FROM STDIN`, in the text format.
fn copy_sql(name: &str, columns: &[&str]) -> String {
    let columns: String = columns.iter().map(|c| format!(", \"{c}\"")).collect();
    format!("COPY \"{name}\" (\"id\"{columns}) FROM STDIN")
}

/// `INSERT INTO name (id, columns..) VALUES (..), (..)` for `rows` rows, with `?` placeholders.
fn insert_sql(name: &str, columns: &[&str], rows: usize) -> String {
    let tuple = format!("({})", vec!["?"; columns.len() + 1].join(", "));
    let values: Vec<String> = vec![tuple; rows];
    let columns: String = columns.iter().map(|c| format!(", \"{c}\"")).collect();
    format!(
        "INSERT INTO \"{name}\" (\"id\"{columns}) VALUES {}",
        values.join(", ")
    )
}

/// Defines each table's row struct and the [`Dataset`] that holds them. A macro because the
/// column names are the field names: Rust has no other way to list a struct's fields, and a
/// list kept beside the struct by hand is what a typed row is meant to replace.
macro_rules! tables {
    ($( $table:ident : $row:ident { $($column:ident : $ty:ty),* $(,)? } ),* $(,)?) => {
        $(
            #[derive(Debug, Clone, PartialEq)]
            pub(crate) struct $row {
                $(pub(crate) $column: $ty,)*
            }

            impl Row for $row {
                const TABLE: &'static str = stringify!($table);
                const COLUMNS: &'static [&'static str] = &[$(stringify!($column)),*];

                fn next_id(data: &Dataset) -> i64 {
                    data.$table.next_id()
                }

                fn push_values(self, out: &mut Vec<Value>) {
                    $(out.push(Value::from(self.$column));)*
                }

                fn table(data: &mut Dataset) -> &mut Table {
                    &mut data.$table
                }
            }
        )*

        /// Every generated row, per table; the fields are in foreign-key order, which is the
        /// order they are inserted in.
        #[derive(Debug, Clone, PartialEq)]
        pub(crate) struct Dataset {
            $(pub(crate) $table: Table,)*
        }

        impl Dataset {
            pub(crate) fn new() -> Self {
                let table = |name, columns| Table { name, columns, ..Table::default() };
                Self { $($table: table(stringify!($table), $row::COLUMNS),)* }
            }

            /// The tables in insertion (foreign-key) order.
            pub(crate) fn tables(&self) -> Vec<&Table> {
                vec![$(&self.$table),*]
            }

            fn into_tables(self) -> Vec<Table> {
                vec![$(self.$table),*]
            }

            /// Moves every row out as a chunk of its own; rows added later get the ids that
            /// follow the chunk's.
            pub(crate) fn take(&mut self) -> Self {
                Self { $($table: self.$table.take(),)* }
            }
        }
    };
}

type Time = DateTime<Utc>;

tables! {
    account: Account {
        platform_id: &'static str,
        name: &'static str,
        domain: &'static str,
        plan: &'static str,
        time_zone: &'static str,
        billing_reports_enabled: bool,
        webinar_addon: bool,
        phone_plan: Option<&'static str>,
        cloud_storage_allowance_bytes: i64,
        created_at: Time,
    },
    department: Department { account_id: i64, name: &'static str },
    custom_role: CustomRole {
        account_id: i64,
        name: &'static str,
        usage_reports: bool,
        user_activity_reports: bool,
        billing_reports: bool,
    },
    app_user: AppUser {
        account_id: i64,
        source_id: Option<String>,
        email: String,
        first_name: String,
        last_name: String,
        role: &'static str,
        custom_role_id: Option<i64>,
        department_id: Option<i64>,
        user_type: &'static str,
        created_at: Time,
        last_login_at: Option<Time>,
        last_client_version: Option<&'static str>,
    },
    meeting: Meeting {
        account_id: i64,
        source_id: String,
        host_id: i64,
        kind: &'static str,
        meeting_number: i64,
        topic: String,
        meeting_type: &'static str,
        scheduled_start: Option<Time>,
        planned_duration_minutes: Option<i32>,
        registration_required: bool,
        created_at: Time,
        deleted_at: Option<Time>,
    },
    meeting_session: MeetingSession {
        account_id: i64,
        source_id: String,
        meeting_id: i64,
        start_time: Time,
        end_time: Option<Time>,
    },
    registrant: Registrant {
        account_id: i64,
        source_id: String,
        meeting_id: i64,
        email: String,
        first_name: String,
        last_name: String,
        status: &'static str,
        registered_at: Time,
        custom_answers: String,
    },
    participant: Participant {
        account_id: i64,
        source_id: String,
        session_id: i64,
        meeting_id: i64,
        user_id: Option<i64>,
        registrant_id: Option<i64>,
        name: String,
        email: Option<String>,
        join_time: Time,
        leave_time: Time,
        duration_seconds: i64,
        join_method: &'static str,
        role: &'static str,
        device: Option<&'static str>,
        ip_address: Option<String>,
        location: Option<&'static str>,
    },
    poll: Poll {
        account_id: i64,
        source_id: String,
        meeting_id: i64,
        title: &'static str,
        anonymous: bool,
        launched_at: Option<Time>,
    },
    poll_question: PollQuestion {
        account_id: i64,
        poll_id: i64,
        position: i32,
        text: &'static str,
        question_type: &'static str,
    },
    poll_response: PollResponse {
        account_id: i64,
        question_id: i64,
        participant_id: Option<i64>,
        respondent_name: String,
        respondent_email: Option<String>,
        answer: String,
        answered_at: Time,
    },
    qa_question: QaQuestion {
        account_id: i64,
        source_id: String,
        meeting_id: i64,
        asker_name: String,
        asker_email: Option<String>,
        anonymous: bool,
        question: &'static str,
        asked_at: Time,
        status: &'static str,
    },
    qa_answer: QaAnswer {
        account_id: i64,
        question_id: i64,
        answerer_name: String,
        content: &'static str,
        answered_at: Time,
        kind: &'static str,
    },
    telephone_call: TelephoneCall {
        account_id: i64,
        source_id: String,
        session_id: i64,
        meeting_id: i64,
        participant_id: Option<i64>,
        call_type: &'static str,
        caller_number: String,
        called_number: String,
        country: &'static str,
        start_time: Time,
        end_time: Time,
        duration_seconds: i64,
        rate_per_minute_micros: i64,
        total_cost_micros: i64,
        currency: &'static str,
    },
    recording: Recording {
        account_id: i64,
        source_id: String,
        meeting_id: i64,
        session_id: i64,
        start_time: Time,
        end_time: Time,
        total_size_bytes: i64,
    },
    recording_file: RecordingFile {
        account_id: i64,
        recording_id: i64,
        file_type: &'static str,
        size_bytes: i64,
        recording_start: Time,
        recording_end: Time,
    },
    storage_usage_daily: StorageUsageDaily { account_id: i64, day: NaiveDate, usage_bytes: i64 },
    phone_call: PhoneCall {
        account_id: i64,
        source_id: String,
        user_id: Option<i64>,
        direction: &'static str,
        caller_number: String,
        caller_name: Option<String>,
        callee_number: String,
        callee_name: Option<String>,
        start_time: Time,
        duration_seconds: i64,
        result: &'static str,
        charge_micros: i64,
        currency: &'static str,
    },
    remote_support_session: RemoteSupportSession {
        account_id: i64,
        source_id: String,
        meeting_id: i64,
        supporter_id: Option<i64>,
        supportee_name: String,
        supportee_email: Option<String>,
        requested_at: Time,
        started_at: Time,
        ended_at: Time,
    },
    billing_invoice: BillingInvoice {
        account_id: i64,
        source_id: String,
        invoice_number: String,
        period_start: NaiveDate,
        period_end: NaiveDate,
        issued_at: Time,
        currency: &'static str,
        amount_micros: i64,
        tax_micros: i64,
    },
    billing_line: BillingLine {
        account_id: i64,
        invoice_id: i64,
        department_id: Option<i64>,
        description: String,
        licenses: i32,
        amount_micros: i64,
        tax_micros: i64,
    },
    operation_log: OperationLog {
        account_id: i64,
        source_id: String,
        occurred_at: Time,
        operator_id: Option<i64>,
        operator_email: String,
        category: &'static str,
        action: &'static str,
        detail: String,
    },
    sign_in_event: SignInEvent {
        account_id: i64,
        source_id: String,
        user_id: i64,
        occurred_at: Time,
        event_type: &'static str,
        ip_address: String,
        client_type: &'static str,
        version: &'static str,
    },
}

impl Dataset {
    /// Appends a row to its table and returns the id it got.
    pub(crate) fn add<R: Row>(&mut self, row: R) -> i64 {
        R::table(self).add(row)
    }

    /// Rows held, over every table.
    pub(crate) fn row_count(&self) -> u64 {
        self.tables().iter().map(|t| t.len()).sum()
    }

    /// Writes every table in `txn` (the caller's transaction), parents first. On PostgreSQL,
    /// moves each table's id sequence past the explicit ids.
    pub(crate) async fn insert(self, txn: &SeedTransaction) -> Result<(), DbErr> {
        let filled = self.write(txn).await?;
        let names: Vec<&str> = filled.iter().map(|(name, _)| *name).collect();
        txn.bump_sequences(&names).await
    }

    /// Writes every table in `txn`, parents first, without touching the id sequences; returns
    /// the rows written per table (tables without rows left out). On PostgreSQL the rows are
    /// staged, sent before the transaction's next statement or its commit (`copy.rs`).
    pub(crate) async fn write(
        self,
        txn: &SeedTransaction,
    ) -> Result<Vec<(&'static str, u64)>, DbErr> {
        let mut filled = Vec::new();
        for (position, table) in self.into_tables().into_iter().enumerate() {
            if table.rows.is_empty() {
                continue;
            }
            let name = table.name;
            let written = match txn {
                SeedTransaction::Insert(conn) => table.insert(conn).await?,
                SeedTransaction::Copy(conn) => {
                    let statement = || copy_sql(name, table.columns);
                    conn.stage(position, statement, &table.rows).await?
                }
            };
            filled.push((name, written));
        }
        Ok(filled)
    }
}

/// The transaction a seed writes its rows in, and commits with the aggregates settled.
pub(crate) enum SeedTransaction {
    /// SQLite: sea-orm's transaction; the rows go in by multi-row `INSERT`s.
    Insert(DatabaseTransaction),
    /// PostgreSQL: sqlx's, on a connection of the pool; the rows go in by `COPY`.
    Copy(PgTransaction),
}

impl SeedTransaction {
    pub(crate) async fn begin(db: &DatabaseConnection) -> Result<Self, DbErr> {
        Ok(match db.get_database_backend() {
            // Every PostgreSQL connection of this crate is a sqlx pool (`db::connect`).
            DbBackend::Postgres => {
                Self::Copy(PgTransaction::begin(db.get_postgres_connection_pool()).await?)
            }
            _ => Self::Insert(db.begin().await?),
        })
    }

    pub(crate) async fn execute_unprepared(&self, sql: &str) -> Result<(), DbErr> {
        match self {
            Self::Insert(txn) => txn.execute_unprepared(sql).await?,
            Self::Copy(txn) => txn.execute_unprepared(sql).await?,
        };
        Ok(())
    }

    /// Sends the rows staged for `COPY` (on PostgreSQL; the next statement would send them too).
    pub(crate) async fn flush(&self) -> Result<(), DbErr> {
        match self {
            Self::Insert(_) => Ok(()),
            Self::Copy(txn) => txn.flush().await,
        }
    }

    /// [`bump_sequences`] in this transaction.
    pub(crate) async fn bump_sequences(&self, tables: &[&str]) -> Result<(), DbErr> {
        match self {
            Self::Insert(txn) => bump_sequences(txn, tables).await,
            Self::Copy(txn) => bump_sequences(txn, tables).await,
        }
    }

    /// Recomputes what the triggers listed (`reports::aggregates::settle`), so the commit
    /// leaves exact aggregates.
    pub(crate) async fn settle(&self) -> Result<(), DbErr> {
        match self {
            Self::Insert(txn) => reports::aggregates::settle(txn).await?,
            Self::Copy(txn) => reports::aggregates::settle(txn).await?,
        };
        Ok(())
    }

    pub(crate) async fn commit(self) -> Result<(), DbErr> {
        match self {
            Self::Insert(txn) => txn.commit().await,
            Self::Copy(txn) => txn.commit().await,
        }
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
