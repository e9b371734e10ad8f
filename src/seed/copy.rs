//! The seeds' bulk path on PostgreSQL: `COPY ... FROM STDIN` in the text format, inside a
//! transaction that sqlx holds.
//!
//! A multi-row `INSERT` carries at most 65,535 bind parameters (a few thousand rows) and costs a
//! round trip; `COPY` streams a chunk's rows of a table in one statement. The rows must commit
//! with what makes the committed state consistent (`reports::aggregates::settle`, the id
//! sequences), in the same transaction. sea-orm's `DatabaseTransaction` does not lend out its
//! connection, and `COPY` is not a statement sea-orm can send (the server then waits for the
//! data), so on PostgreSQL the seeds write in a [`PgTransaction`]: sqlx's own transaction on a
//! connection of the pool, which runs sea-orm's statements too (it is a `ConnectionTrait`).

use std::{fmt::Write as _, future::Future, pin::Pin};

use chrono::{DateTime, Datelike, NaiveDate, TimeZone};
use sea_orm::{
    sqlx::{
        self,
        postgres::{PgArguments, PgPool},
        Arguments, Postgres,
    },
    ConnectionTrait, DbBackend, DbErr, ExecResult, QueryResult, RuntimeErr, Statement, Value,
    Values,
};
use tokio::sync::Mutex;

/// `COPY` data goes out in messages of this size: the server parses one while the next is on
/// its way (a message need not end at a row).
const COPY_MESSAGE_BYTES: usize = 256 * 1024;

/// Staged rows are sent once their text reaches this size (and before any other statement).
/// Every `COPY` costs about 40 ms over TCP whatever its size: sqlx does not set `TCP_NODELAY`,
/// so its closing `CopyDone` waits for the server's delayed ACK of the data before it. Sent
/// per table and per chunk of the bench data (~10,000 rows), that was 40 ms for each of a
/// dozen small tables a chunk: measured 6 s per small table of the 1k-user load (140 COPYs
/// each), more than half of its writing time. A commit's rows (250,000: ~35 MB) fit below it.
const STAGED_BYTES: usize = 64 * 1024 * 1024;

/// A PostgreSQL transaction held by sqlx, on a connection of the pool: `COPY` runs in it, and so
/// does every statement given through [`ConnectionTrait`]. Dropped without [`Self::commit`], it
/// rolls back (sqlx queues the `ROLLBACK` on the connection).
///
/// Rows are staged ([`Self::stage`]): encoded at once, and sent with one `COPY` per table when
/// the staged text is large, before any other statement of the transaction runs, and before
/// the commit; so every statement sees every row staged before it, as if each had been sent
/// then.
pub(crate) struct PgTransaction {
    conn: Mutex<sqlx::Transaction<'static, Postgres>>,
    staged: Mutex<Vec<Staged>>,
}

/// One table's rows staged for its `COPY`.
struct Staged {
    /// Where the table comes in the parents-first order: tables are sent in it.
    position: usize,
    /// The `COPY ... FROM STDIN` statement.
    statement: String,
    /// The rows in `COPY`'s text format.
    text: String,
}

impl PgTransaction {
    pub(crate) async fn begin(pool: &PgPool) -> Result<Self, DbErr> {
        let txn = pool
            .begin()
            .await
            .map_err(|e| DbErr::Conn(RuntimeErr::SqlxError(e.into())))?;
        Ok(Self {
            conn: Mutex::new(txn),
            staged: Mutex::new(Vec::new()),
        })
    }

    /// Sends what is staged, then commits.
    pub(crate) async fn commit(self) -> Result<(), DbErr> {
        self.flush().await?;
        self.conn.into_inner().commit().await.map_err(exec_err)
    }

    /// Stages `rows` (each the values of the statement's columns in order) for `statement`, a
    /// `COPY ... FROM STDIN` in the text format, of the table at `position` in the parents-first
    /// order; returns how many rows. A value without a text form fails here, before any of its
    /// table's data is sent.
    pub(crate) async fn stage(
        &self,
        position: usize,
        statement: impl FnOnce() -> String,
        rows: &[Vec<Value>],
    ) -> Result<u64, DbErr> {
        let staged_bytes = {
            let mut staged = self.staged.lock().await;
            let at = match staged.iter().position(|s| s.position >= position) {
                Some(at) if staged[at].position == position => at,
                found => {
                    let at = found.unwrap_or(staged.len());
                    let table = Staged {
                        position,
                        statement: statement(),
                        text: String::new(),
                    };
                    staged.insert(at, table);
                    at
                }
            };
            let text = &mut staged[at].text;
            for row in rows {
                push_row(text, row)?;
            }
            staged.iter().map(|s| s.text.len()).sum::<usize>()
        };
        if staged_bytes >= STAGED_BYTES {
            self.flush().await?;
        }
        Ok(rows.len() as u64)
    }

    /// Sends every staged table with one `COPY` each, parents first.
    pub(crate) async fn flush(&self) -> Result<(), DbErr> {
        let staged = std::mem::take(&mut *self.staged.lock().await);
        for table in staged {
            self.copy(&table.statement, &table.text).await?;
        }
        Ok(())
    }

    /// Runs `statement` (a `COPY ... FROM STDIN` in the text format) with `text`, rows in that
    /// format; returns the rows stored.
    async fn copy(&self, statement: &str, text: &str) -> Result<u64, DbErr> {
        let mut conn = self.conn.lock().await;
        let mut copy = conn.copy_in_raw(statement).await.map_err(exec_err)?;
        for message in text.as_bytes().chunks(COPY_MESSAGE_BYTES) {
            // On an error the dropped `copy` tells the server to fail the `COPY`; the
            // transaction is then rolled back with it.
            copy.send(message).await.map_err(exec_err)?;
        }
        copy.finish().await.map_err(exec_err)
    }
}

fn exec_err(e: sqlx::Error) -> DbErr {
    DbErr::Exec(RuntimeErr::SqlxError(e.into()))
}

fn query_err(e: sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(e.into()))
}

fn unsupported(value: &Value) -> DbErr {
    DbErr::Custom(format!(
        "the seeds' PostgreSQL writer has no form for {value:?}"
    ))
}

/// A sea-orm statement's values as sqlx's PostgreSQL arguments, typed as sea-orm binds them.
/// Only the kinds of value this crate writes are taken (any other is an error, never a guess).
fn arguments(values: Option<Values>) -> Result<PgArguments, DbErr> {
    let mut args = PgArguments::default();
    for value in values.map(|v| v.0).unwrap_or_default() {
        let added = match &value {
            Value::Bool(v) => args.add(*v),
            Value::TinyInt(v) => args.add(v.map(i16::from)),
            Value::SmallInt(v) => args.add(*v),
            Value::Int(v) => args.add(*v),
            Value::BigInt(v) => args.add(*v),
            Value::TinyUnsigned(v) => args.add(v.map(i16::from)),
            Value::SmallUnsigned(v) => args.add(v.map(i32::from)),
            Value::Unsigned(v) => args.add(v.map(i64::from)),
            Value::BigUnsigned(v) => {
                let v = v.map(i64::try_from).transpose();
                args.add(v.map_err(|_| unsupported(&value))?)
            }
            Value::Float(v) => args.add(*v),
            Value::Double(v) => args.add(*v),
            Value::String(v) => args.add(v.clone()),
            Value::Char(v) => args.add(v.map(|c| c.to_string())),
            Value::Bytes(v) => args.add(v.clone()),
            Value::ChronoDate(v) => args.add(*v),
            Value::ChronoTime(v) => args.add(*v),
            Value::ChronoDateTime(v) => args.add(*v),
            Value::ChronoDateTimeUtc(v) => args.add(*v),
            Value::ChronoDateTimeLocal(v) => args.add(*v),
            Value::ChronoDateTimeWithTimeZone(v) => args.add(*v),
            _ => return Err(unsupported(&value)),
        };
        added.map_err(|e| DbErr::Custom(format!("binding {value:?}: {e}")))?;
    }
    Ok(args)
}

/// Appends one row in `COPY`'s text format: the values separated by tabs, then a newline.
pub(crate) fn push_row(out: &mut String, row: &[Value]) -> Result<(), DbErr> {
    for (i, value) in row.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        push_value(out, value)?;
    }
    out.push('\n');
    Ok(())
}

/// Appends one value in `COPY`'s text format: `\N` for NULL; otherwise the text PostgreSQL's
/// input function of the column's type reads back as the value sea-orm would bind, with a
/// backslash, tab, newline and carriage return escaped (`\\`, `\t`, `\n`, `\r`). Times keep
/// microseconds (PostgreSQL's precision; sqlx truncates the rest too); years outside 1..=9999
/// are refused (PostgreSQL writes them otherwise: `BC`, no sign).
pub(crate) fn push_value(out: &mut String, value: &Value) -> Result<(), DbErr> {
    fn num(out: &mut String, v: Option<impl std::fmt::Display>) {
        match v {
            Some(v) => {
                let _ = write!(out, "{v}");
            }
            None => out.push_str("\\N"),
        }
    }
    fn float(out: &mut String, v: Option<f64>) {
        match v {
            Some(v) if v.is_nan() => out.push_str("NaN"),
            Some(v) if v.is_infinite() && v > 0.0 => out.push_str("Infinity"),
            Some(v) if v.is_infinite() => out.push_str("-Infinity"),
            v => num(out, v),
        }
    }
    fn date(out: &mut String, value: &Value, d: NaiveDate, format: &str) -> Result<(), DbErr> {
        if !(1..=9999).contains(&d.year()) {
            return Err(unsupported(value));
        }
        let _ = write!(out, "{}", d.format(format));
        Ok(())
    }
    fn time<Tz: TimeZone>(out: &mut String, value: &Value, t: &DateTime<Tz>) -> Result<(), DbErr>
    where
        Tz::Offset: std::fmt::Display,
    {
        date(out, value, t.date_naive(), "%Y-%m-%d")?;
        let _ = write!(out, " {}", t.format("%H:%M:%S%.6f%:z"));
        Ok(())
    }
    match value {
        Value::Bool(v) => out.push_str(v.map_or("\\N", |b| if b { "t" } else { "f" })),
        Value::TinyInt(v) => num(out, *v),
        Value::SmallInt(v) => num(out, *v),
        Value::Int(v) => num(out, *v),
        Value::BigInt(v) => num(out, *v),
        Value::TinyUnsigned(v) => num(out, *v),
        Value::SmallUnsigned(v) => num(out, *v),
        Value::Unsigned(v) => num(out, *v),
        Value::BigUnsigned(v) => num(out, *v),
        // f32 printed as f32: the shortest text that reads back as the same f32.
        Value::Float(Some(v)) if v.is_finite() => num(out, Some(*v)),
        Value::Float(v) => float(out, v.map(f64::from)),
        Value::Double(v) => float(out, *v),
        Value::String(Some(s)) => push_escaped(out, s),
        Value::Char(Some(c)) => push_escaped(out, c.encode_utf8(&mut [0; 4])),
        Value::String(None) | Value::Char(None) | Value::Bytes(None) => out.push_str("\\N"),
        // bytea's hex form, `\x...`, its backslash escaped for COPY.
        Value::Bytes(Some(b)) => {
            out.push_str("\\\\x");
            for byte in b {
                let _ = write!(out, "{byte:02x}");
            }
        }
        Value::ChronoDate(Some(d)) => date(out, value, *d, "%Y-%m-%d")?,
        Value::ChronoTime(Some(t)) => {
            let _ = write!(out, "{}", t.format("%H:%M:%S%.6f"));
        }
        Value::ChronoDateTime(Some(t)) => {
            date(out, value, t.date(), "%Y-%m-%d")?;
            let _ = write!(out, " {}", t.format("%H:%M:%S%.6f"));
        }
        Value::ChronoDateTimeUtc(Some(t)) => time(out, value, t)?,
        Value::ChronoDateTimeLocal(Some(t)) => time(out, value, t)?,
        Value::ChronoDateTimeWithTimeZone(Some(t)) => time(out, value, t)?,
        Value::ChronoDate(None)
        | Value::ChronoTime(None)
        | Value::ChronoDateTime(None)
        | Value::ChronoDateTimeUtc(None)
        | Value::ChronoDateTimeLocal(None)
        | Value::ChronoDateTimeWithTimeZone(None) => out.push_str("\\N"),
        _ => return Err(unsupported(value)),
    }
    Ok(())
}

/// Appends `s` with the four characters `COPY`'s text format gives a meaning escaped.
fn push_escaped(out: &mut String, s: &str) {
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'\\' => "\\\\",
            b'\t' => "\\t",
            b'\n' => "\\n",
            b'\r' => "\\r",
            _ => continue,
        };
        // The four are ASCII: `i` is a character boundary.
        out.push_str(&s[from..i]);
        out.push_str(escaped);
        from = i + 1;
    }
    out.push_str(&s[from..]);
}

/// The future an `async fn` of `ConnectionTrait` returns (the trait is declared with
/// `async_trait`, whose signatures these are: written out rather than adding the macro's crate).
type Pending<'a, T> = Pin<Box<dyn Future<Output = Result<T, DbErr>> + Send + 'a>>;

impl ConnectionTrait for PgTransaction {
    fn get_database_backend(&self) -> DbBackend {
        DbBackend::Postgres
    }

    fn execute_raw<'life0, 'async_trait>(
        &'life0 self,
        stmt: Statement,
    ) -> Pending<'async_trait, ExecResult>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        Box::pin(async move {
            self.flush().await?;
            let args = arguments(stmt.values)?;
            let mut conn = self.conn.lock().await;
            let done = sqlx::query_with(sqlx::AssertSqlSafe(stmt.sql), args)
                .execute(&mut **conn)
                .await
                .map_err(exec_err)?;
            Ok(done.into())
        })
    }

    fn execute_unprepared<'life0, 'life1, 'async_trait>(
        &'life0 self,
        sql: &'life1 str,
    ) -> Pending<'async_trait, ExecResult>
    where
        'life0: 'async_trait,
        'life1: 'async_trait,
        Self: 'async_trait,
    {
        Box::pin(async move {
            self.flush().await?;
            let mut conn = self.conn.lock().await;
            let done = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut **conn)
                .await
                .map_err(exec_err)?;
            Ok(done.into())
        })
    }

    fn query_one_raw<'life0, 'async_trait>(
        &'life0 self,
        stmt: Statement,
    ) -> Pending<'async_trait, Option<QueryResult>>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        Box::pin(async move {
            self.flush().await?;
            let args = arguments(stmt.values)?;
            let mut conn = self.conn.lock().await;
            let row = sqlx::query_with(sqlx::AssertSqlSafe(stmt.sql), args)
                .fetch_optional(&mut **conn)
                .await
                .map_err(query_err)?;
            Ok(row.map(Into::into))
        })
    }

    fn query_all_raw<'life0, 'async_trait>(
        &'life0 self,
        stmt: Statement,
    ) -> Pending<'async_trait, Vec<QueryResult>>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        Box::pin(async move {
            self.flush().await?;
            let args = arguments(stmt.values)?;
            let mut conn = self.conn.lock().await;
            let rows = sqlx::query_with(sqlx::AssertSqlSafe(stmt.sql), args)
                .fetch_all(&mut **conn)
                .await
                .map_err(query_err)?;
            Ok(rows.into_iter().map(Into::into).collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
    use sea_orm::{
        ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, QueryResult,
        Statement, Value,
    };

    use super::{push_row, push_value, PgTransaction};
    use crate::seed::table::{
        Account, AppUser, Dataset, Meeting, MeetingSession, Participant, SeedTransaction,
        StorageUsageDaily,
    };

    fn text(value: Value) -> String {
        let mut out = String::new();
        push_value(&mut out, &value).expect("a text form");
        out
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("RFC 3339")
    }

    #[test]
    fn values_are_written_in_the_text_format_of_copy() {
        let cases: Vec<(Value, &str)> = vec![
            (
                "tab\tnewline\ncr\rbackslash\\\"double\" 'single'".into(),
                "tab\\tnewline\\ncr\\rbackslash\\\\\"double\" 'single'",
            ),
            // Text that spells COPY's NULL or its end-of-data line stays text.
            ("\\N".into(), "\\\\N"),
            ("\\.".into(), "\\\\."),
            ("".into(), ""),
            ("ünïcødé ✓ 🎥".into(), "ünïcødé ✓ 🎥"),
            (Value::String(None), "\\N"),
            (Value::Char(Some('\t')), "\\t"),
            (true.into(), "t"),
            (false.into(), "f"),
            (Value::Bool(None), "\\N"),
            (i64::MIN.into(), "-9223372036854775808"),
            ((-7i32).into(), "-7"),
            (Value::Int(None), "\\N"),
            (0.1f64.into(), "0.1"),
            (0.1f32.into(), "0.1"),
            (f64::NAN.into(), "NaN"),
            (f64::NEG_INFINITY.into(), "-Infinity"),
            (Value::Bytes(Some(vec![0x00, 0x5c, 0xff])), "\\\\x005cff"),
            (
                NaiveDate::from_ymd_opt(2024, 2, 29).expect("a date").into(),
                "2024-02-29",
            ),
            // Microseconds kept, nanoseconds dropped (as sqlx binds them).
            (
                utc("2026-11-29T23:59:59.123456789Z").into(),
                "2026-11-29 23:59:59.123456+00:00",
            ),
            (
                FixedOffset::east_opt(5 * 3600 + 1800)
                    .expect("an offset")
                    .with_ymd_and_hms(2026, 1, 2, 3, 4, 5)
                    .single()
                    .expect("a time")
                    .into(),
                "2026-01-02 03:04:05.000000+05:30",
            ),
            (Value::ChronoDateTimeUtc(None), "\\N"),
        ];
        for (value, expected) in cases {
            assert_eq!(text(value.clone()), expected, "{value:?}");
        }
        let mut row = String::new();
        push_row(&mut row, &[1i64.into(), Value::String(None), "a\tb".into()]).expect("a row");
        assert_eq!(row, "1\t\\N\ta\\tb\n");
        // Years PostgreSQL would write with `BC` or five digits are refused, not mangled.
        let year_10000 = NaiveDate::from_ymd_opt(10_000, 1, 1).expect("a date");
        assert!(push_value(&mut String::new(), &year_10000.into()).is_err());
    }

    /// A fresh migrated database: in-memory SQLite, or with `TEST_DATABASE_URL` a schema of its
    /// own on that PostgreSQL (named as `tests/api` names theirs, so a run's cleanup drops it).
    async fn fresh_db(name: &str) -> DatabaseConnection {
        let Some(url) = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        else {
            return crate::db::connect("sqlite::memory:")
                .await
                .expect("in-memory SQLite opens and migrates");
        };
        let admin = Database::connect(&url)
            .await
            .expect("TEST_DATABASE_URL connects");
        let schema = format!("t_{}_{name}", std::process::id());
        admin
            .execute_unprepared(&format!(
                "DROP SCHEMA IF EXISTS \"{schema}\" CASCADE; CREATE SCHEMA \"{schema}\""
            ))
            .await
            .expect("a schema");
        let mut options = ConnectOptions::new(url);
        options
            .max_connections(2)
            .sqlx_logging(false)
            .set_schema_search_path(schema);
        let db = Database::connect(options)
            .await
            .expect("the schema connects");
        crate::db::migrate(&db).await.expect("migrations run");
        db
    }

    /// Awkward text for every kind of string column: COPY's delimiters and escapes, quotes,
    /// what looks like NULL, an empty string, and characters outside ASCII.
    const AWKWARD: [&str; 6] = [
        "tab\there",
        "two\nlines\r\n",
        "back\\slash \\N \\. \\t",
        "\"double\" and 'single' quotes; --",
        "",
        "ünïcødé ✓ 🎥 日本語",
    ];

    fn string(row: &QueryResult, column: &str) -> Option<String> {
        row.try_get("", column).expect(column)
    }

    fn time(row: &QueryResult, column: &str) -> Option<DateTime<Utc>> {
        row.try_get("", column).expect(column)
    }

    async fn rows(db: &DatabaseConnection, sql: &str) -> Vec<QueryResult> {
        db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .expect(sql)
    }

    /// The seeds' writer (`COPY` on PostgreSQL, `INSERT` on SQLite) stores awkward values as they
    /// were: text, NULL against the empty string, times to the microsecond, dates, bools,
    /// extreme integers; the aggregates its triggers list settle exactly in the same commit.
    #[tokio::test]
    async fn the_seed_writer_stores_awkward_values_as_they_are() {
        let db = fresh_db("copy_round_trip").await;
        let created = utc("2026-11-29T23:59:59.654321Z");
        let joined = utc("1999-12-31T23:59:59.000001Z");
        let mut data = Dataset::new();
        let account = data.add(Account {
            platform_id: AWKWARD[2],
            name: AWKWARD[0],
            domain: AWKWARD[5],
            plan: "BUSINESS",
            time_zone: "Europe/Paris",
            billing_reports_enabled: true,
            webinar_addon: false,
            phone_plan: None,
            cloud_storage_allowance_bytes: i64::MAX,
            created_at: created,
        });
        let mut users = Vec::new();
        for (i, awkward) in AWKWARD.iter().enumerate() {
            users.push(data.add(AppUser {
                account_id: account,
                source_id: (i % 2 == 0).then(|| (*awkward).to_owned()),
                email: format!("{awkward}{i}@example.test"),
                first_name: (*awkward).to_owned(),
                last_name: AWKWARD[(i + 1) % AWKWARD.len()].to_owned(),
                role: "MEMBER",
                custom_role_id: None,
                department_id: None,
                user_type: "LICENSED",
                created_at: created,
                last_login_at: (i % 2 == 1).then_some(joined),
                last_client_version: None,
            }));
        }
        let meeting = data.add(Meeting {
            account_id: account,
            source_id: AWKWARD[1].to_owned(),
            host_id: users[0],
            kind: "MEETING",
            meeting_number: i64::MIN,
            topic: AWKWARD.join("\t"),
            meeting_type: "SCHEDULED",
            scheduled_start: None,
            planned_duration_minutes: Some(i32::MIN),
            registration_required: false,
            created_at: created,
            deleted_at: None,
        });
        let session = data.add(MeetingSession {
            account_id: account,
            source_id: AWKWARD[3].to_owned(),
            meeting_id: meeting,
            start_time: joined,
            end_time: Some(created),
        });
        for (i, awkward) in AWKWARD.iter().enumerate() {
            // People told apart by their awkward names and e-mails (no user): the aggregates'
            // person key is built from them.
            data.add(Participant {
                account_id: account,
                source_id: format!("join {i}"),
                session_id: session,
                meeting_id: meeting,
                user_id: None,
                registrant_id: None,
                name: (*awkward).to_owned(),
                email: (i % 2 == 0).then(|| (*awkward).to_owned()),
                join_time: joined,
                leave_time: created,
                duration_seconds: 61 + i as i64,
                join_method: "COMPUTER",
                role: "ATTENDEE",
                device: None,
                ip_address: Some(AWKWARD[i].to_owned()),
                location: None,
            });
        }
        data.add(StorageUsageDaily {
            account_id: account,
            day: NaiveDate::from_ymd_opt(2024, 2, 29).expect("a date"),
            usage_bytes: 0,
        });
        let txn = SeedTransaction::begin(&db).await.expect("a transaction");
        data.insert(&txn).await.expect("the rows go in");
        txn.settle().await.expect("the aggregates settle");
        txn.commit().await.expect("the commit");

        let stored = rows(&db, "SELECT * FROM account").await;
        assert_eq!(stored.len(), 1);
        let a = &stored[0];
        assert_eq!(string(a, "platform_id").as_deref(), Some(AWKWARD[2]));
        assert_eq!(string(a, "name").as_deref(), Some(AWKWARD[0]));
        assert_eq!(string(a, "domain").as_deref(), Some(AWKWARD[5]));
        assert_eq!(string(a, "phone_plan"), None);
        let allowance: i64 = a.try_get("", "cloud_storage_allowance_bytes").expect("i64");
        assert_eq!(allowance, i64::MAX);
        let flags: (bool, bool) = (
            a.try_get("", "billing_reports_enabled").expect("bool"),
            a.try_get("", "webinar_addon").expect("bool"),
        );
        assert_eq!(flags, (true, false));
        assert_eq!(time(a, "created_at"), Some(created));

        let stored = rows(&db, "SELECT * FROM app_user ORDER BY id").await;
        assert_eq!(stored.len(), AWKWARD.len());
        for (i, (u, awkward)) in stored.iter().zip(AWKWARD).enumerate() {
            let id: i64 = u.try_get("", "id").expect("id");
            assert_eq!(id, users[i]);
            assert_eq!(
                string(u, "source_id"),
                (i % 2 == 0).then(|| awkward.to_owned()),
                "user {i}: the empty string is not NULL, NULL is not text"
            );
            assert_eq!(string(u, "first_name").as_deref(), Some(awkward));
            assert_eq!(
                string(u, "last_name").as_deref(),
                Some(AWKWARD[(i + 1) % AWKWARD.len()])
            );
            assert_eq!(
                string(u, "email"),
                Some(format!("{awkward}{i}@example.test"))
            );
            assert_eq!(time(u, "last_login_at"), (i % 2 == 1).then_some(joined));
        }

        let stored = rows(&db, "SELECT * FROM meeting").await;
        let m = &stored[0];
        assert_eq!(string(m, "topic"), Some(AWKWARD.join("\t")));
        assert_eq!(string(m, "source_id").as_deref(), Some(AWKWARD[1]));
        let number: i64 = m.try_get("", "meeting_number").expect("i64");
        assert_eq!(number, i64::MIN);
        let planned: Option<i32> = m.try_get("", "planned_duration_minutes").expect("i32");
        assert_eq!(planned, Some(i32::MIN));
        assert_eq!(time(m, "scheduled_start"), None);

        let stored = rows(&db, "SELECT * FROM participant ORDER BY id").await;
        for (i, (p, awkward)) in stored.iter().zip(AWKWARD).enumerate() {
            assert_eq!(string(p, "name").as_deref(), Some(awkward));
            assert_eq!(string(p, "email"), (i % 2 == 0).then(|| awkward.to_owned()));
            assert_eq!(time(p, "join_time"), Some(joined));
        }

        let stored = rows(&db, "SELECT day FROM storage_usage_daily").await;
        let day: NaiveDate = stored[0].try_get("", "day").expect("a date");
        assert_eq!(day, NaiveDate::from_ymd_opt(2024, 2, 29).expect("a date"));

        // The (meeting, person) pairs and the session the triggers listed were settled, exactly.
        let found = reports::aggregates::verify(&db, None)
            .await
            .expect("the aggregates verify");
        assert!(found.is_empty(), "{found:?}");
        let people = rows(&db, "SELECT person_key FROM attendee_stat").await;
        assert_eq!(people.len(), AWKWARD.len());

        // On PostgreSQL, in the `COPY` path's own words: every kind of value `push_value` takes,
        // copied in and bound by an `INSERT`, reads back the same; and sequences move past the ids.
        if db.get_database_backend() == DbBackend::Postgres {
            copy_and_insert_agree(&db).await;
            let next = rows(
                &db,
                "SELECT nextval(pg_get_serial_sequence('app_user', 'id')) AS n",
            )
            .await;
            let n: i64 = next[0].try_get("", "n").expect("i64");
            assert_eq!(n, users[users.len() - 1] + 1);
        }
    }

    async fn copy_and_insert_agree(db: &DatabaseConnection) {
        const COLUMNS: &str = "id, b, i2, i4, i8, f4, f8, t, c, by, d, tm, ts, tstz";
        let probe = PgTransaction::begin(db.get_postgres_connection_pool())
            .await
            .expect("a transaction");
        probe
            .execute_unprepared(
                "CREATE TEMP TABLE copy_probe (id bigint, b boolean, i2 smallint, i4 integer, \
                 i8 bigint, f4 real, f8 double precision, t text, c text, by bytea, d date, \
                 tm time, ts timestamp, tstz timestamptz) ON COMMIT DROP",
            )
            .await
            .expect("a scratch table");
        let instant = utc("2026-11-29T23:59:59.123456789Z");
        let offset = FixedOffset::west_opt(9 * 3600 + 30 * 60).expect("an offset");
        let mut probes: Vec<Vec<Value>> = AWKWARD
            .iter()
            .enumerate()
            .map(|(i, awkward)| {
                vec![
                    (i == 0).into(),
                    Value::SmallInt(Some(i16::MIN + i as i16)),
                    Value::Int(Some(i32::MAX - i as i32)),
                    Value::BigInt(Some(i64::MIN + i as i64)),
                    Value::Float(Some(0.1 + i as f32)),
                    Value::Double(Some([0.1, 1e-300, f64::NAN, f64::INFINITY, -0.0, 1e300][i])),
                    (*awkward).into(),
                    Value::Char(Some(['\t', '\n', '\\', '"', '\'', '🎥'][i])),
                    Value::Bytes(Some(awkward.as_bytes().to_vec())),
                    instant.date_naive().into(),
                    instant.time().into(),
                    instant.naive_utc().into(),
                    instant.with_timezone(&offset).into(),
                ]
            })
            .collect();
        probes.push(vec![
            Value::Bool(None),
            Value::SmallInt(None),
            Value::Int(None),
            Value::BigInt(None),
            Value::Float(None),
            Value::Double(None),
            Value::String(None),
            Value::Char(None),
            Value::Bytes(None),
            Value::ChronoDate(None),
            Value::ChronoTime(None),
            Value::ChronoDateTime(None),
            Value::ChronoDateTimeWithTimeZone(None),
        ]);
        let with_id = |offset: i64| -> Vec<Vec<Value>> {
            probes
                .iter()
                .enumerate()
                .map(|(i, values)| {
                    let mut row = vec![Value::BigInt(Some(offset + i as i64))];
                    row.extend(values.iter().cloned());
                    row
                })
                .collect()
        };
        // Staged in two parts, sent as one `COPY` before the first statement after them.
        let statement = || format!("COPY copy_probe ({COLUMNS}) FROM STDIN");
        let copied = with_id(0);
        let (first, rest) = copied.split_at(2);
        let staged = probe.stage(0, statement, first).await.expect("staged")
            + probe.stage(0, statement, rest).await.expect("staged");
        assert_eq!(staged, probes.len() as u64);
        for row in with_id(1000) {
            let params: Vec<String> = (1..=row.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "INSERT INTO copy_probe ({COLUMNS}) VALUES ({})",
                params.join(", ")
            );
            probe
                .execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    sql,
                    row,
                ))
                .await
                .expect("the probe row inserts");
        }
        let same = probe
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT COUNT(*) AS n FROM copy_probe a JOIN copy_probe i ON i.id = a.id + 1000 \
                 WHERE (a.b, a.i2, a.i4, a.i8, a.f4, a.f8, a.t, a.c, a.by, a.d, a.tm, a.ts, a.tstz) \
                 IS NOT DISTINCT FROM (i.b, i.i2, i.i4, i.i8, i.f4, i.f8, i.t, i.c, i.by, i.d, i.tm, i.ts, i.tstz)",
            ))
            .await
            .expect("the comparison")
            .expect("one row");
        let n: i64 = same.try_get("", "n").expect("a count");
        assert_eq!(
            n,
            probes.len() as i64,
            "a copied row differs from its insert"
        );
        // ... and the text is the text given, not merely what the INSERT stored.
        let texts = probe
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT t, by FROM copy_probe WHERE id < 1000 ORDER BY id",
            ))
            .await
            .expect("the texts");
        let read: Vec<(Option<String>, Option<Vec<u8>>)> = texts
            .iter()
            .map(|r| {
                (
                    r.try_get("", "t").expect("text"),
                    r.try_get("", "by").expect("bytes"),
                )
            })
            .collect();
        let mut given: Vec<(Option<String>, Option<Vec<u8>>)> = AWKWARD
            .iter()
            .map(|s| (Some((*s).to_owned()), Some(s.as_bytes().to_vec())))
            .collect();
        given.push((None, None));
        assert_eq!(read, given);
        // Dropped uncommitted: rolled back.
    }
}
