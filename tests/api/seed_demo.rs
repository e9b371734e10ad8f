//! The demo data set (`seed demo`): the same rows for the same `(now, seed)`, on SQLite and on
//! PostgreSQL alike; rows consistent with each other; the edge cases the reports' tests need;
//! nothing after `now`, whatever `now` is.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use meeting_reports::{db::Sql, seed::seed_demo};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, FromQueryResult, QueryResult, Statement, Value,
};
use sha2::{Digest, Sha256};

use crate::common::{now, TestApp};

/// The SHA-256 of every row of the demo data as of the tests' `now` with seed 42. A change to
/// the generator that changes any demo row changes it: then the tests that read the demo data
/// say whether the change is wanted, and this value is recorded anew.
const DEMO_ROWS: &str = "f957884aedcc84d519dbea45aed0af11767c1f52941dbbe7b00ba589f9bde1b1";

/// One cell as text that does not depend on the database: integers and booleans as numbers,
/// times in RFC 3339, text as it is.
fn cell(row: &QueryResult, i: usize) -> String {
    fn show<T: ToString>(v: Option<T>) -> String {
        v.map_or_else(|| "NULL".to_owned(), |v| v.to_string())
    }
    if let Ok(v) = row.try_get_by_index::<Option<i64>>(i) {
        return show(v);
    }
    if let Ok(v) = row.try_get_by_index::<Option<i32>>(i) {
        return show(v);
    }
    if let Ok(v) = row.try_get_by_index::<Option<bool>>(i) {
        return show(v.map(i64::from));
    }
    if let Ok(v) = row.try_get_by_index::<Option<DateTime<Utc>>>(i) {
        return show(v.map(|t| t.to_rfc3339()));
    }
    if let Ok(v) = row.try_get_by_index::<Option<NaiveDate>>(i) {
        return show(v);
    }
    match row.try_get_by_index::<Option<String>>(i) {
        Ok(v) => show(v),
        Err(e) => panic!("column {i}: {e}"),
    }
}

/// The SHA-256 of every row of `tables`, in id order, and the rows per table.
pub(crate) async fn fingerprint(db: &DatabaseConnection, tables: &[&str]) -> (String, Vec<usize>) {
    let mut hash = Sha256::new();
    let mut counts = Vec::new();
    for table in tables {
        let sql = format!("SELECT * FROM \"{table}\" ORDER BY id");
        let rows = db
            .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .expect("rows");
        hash.update(table.as_bytes());
        for row in &rows {
            for i in 0..row.column_names().len() {
                hash.update(b"\x1f");
                hash.update(cell(row, i).as_bytes());
            }
            hash.update(b"\x1e");
        }
        counts.push(rows.len());
    }
    (hex::encode(hash.finalize()), counts)
}

#[tokio::test]
async fn demo_rows_are_the_recorded_ones() {
    let app = TestApp::new().await;
    let summary = seed_demo(&app.db, now(), 42)
        .await
        .expect("demo data loads");
    let tables: Vec<&str> = summary.rows_per_table.iter().map(|(t, _)| *t).collect();
    let (hash, counts) = fingerprint(&app.db, &tables).await;
    let stored: Vec<usize> = summary
        .rows_per_table
        .iter()
        .map(|(_, n)| *n as usize)
        .collect();
    assert_eq!(counts, stored, "rows stored per table");
    assert_eq!(hash, DEMO_ROWS, "the demo's rows changed");

    let other = TestApp::new().await;
    seed_demo(&other.db, now(), 43)
        .await
        .expect("demo data loads");
    let (hash, _) = fingerprint(&other.db, &tables).await;
    assert_ne!(hash, DEMO_ROWS, "another seed gives the same rows");
}

/// The `now` the demo's facts below are checked at.
fn facts_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 10, 30, 15)
        .single()
        .expect("a valid time")
}

async fn demo_at(now: DateTime<Utc>, seed: u64) -> TestApp {
    let app = TestApp::new().await;
    seed_demo(&app.db, now, seed)
        .await
        .expect("demo data loads");
    app
}

/// The one number `sql` selects (as `n`).
async fn count(db: &DatabaseConnection, sql: &str, values: Vec<Value>) -> i64 {
    #[derive(FromQueryResult)]
    struct N {
        n: i64,
    }
    let row: Option<N> = Sql::new(db.clone()).one(sql, values).await.expect(sql);
    row.map_or(0, |r| r.n)
}

async fn rows<T: FromQueryResult>(db: &DatabaseConnection, sql: &str) -> Vec<T> {
    Sql::new(db.clone()).all(sql, vec![]).await.expect(sql)
}

/// Every table of the demo data, in insertion order.
const TABLES: [&str; 23] = [
    "account",
    "department",
    "custom_role",
    "app_user",
    "meeting",
    "meeting_session",
    "registrant",
    "participant",
    "poll",
    "poll_question",
    "poll_response",
    "qa_question",
    "qa_answer",
    "telephone_call",
    "recording",
    "recording_file",
    "storage_usage_daily",
    "phone_call",
    "remote_support_session",
    "billing_invoice",
    "billing_line",
    "operation_log",
    "sign_in_event",
];

/// Tables whose rows carry the platform's id.
const WITH_SOURCE_IDS: [&str; 14] = [
    "app_user",
    "meeting",
    "meeting_session",
    "registrant",
    "participant",
    "poll",
    "qa_question",
    "telephone_call",
    "recording",
    "phone_call",
    "remote_support_session",
    "billing_invoice",
    "operation_log",
    "sign_in_event",
];

#[tokio::test]
async fn demo_rows_have_ids_in_order_and_source_ids_unique_per_account() {
    let app = demo_at(facts_now(), 42).await;
    for t in TABLES {
        let gaps = count(
            &app.db,
            &format!("SELECT COUNT(*) - MAX(id) AS n FROM {t} WHERE id >= 1"),
            vec![],
        )
        .await;
        assert_eq!(gaps, 0, "{t}: ids are not 1..n");
    }
    for t in WITH_SOURCE_IDS {
        let missing = format!("SELECT COUNT(*) AS n FROM {t} WHERE source_id IS NULL");
        assert_eq!(
            count(&app.db, &missing, vec![]).await,
            0,
            "{t} without source_id"
        );
        let twice = format!(
            "SELECT COUNT(*) AS n FROM (SELECT account_id, source_id FROM {t} \
             GROUP BY account_id, source_id HAVING COUNT(*) > 1) d"
        );
        assert_eq!(
            count(&app.db, &twice, vec![]).await,
            0,
            "duplicate source_id in {t}"
        );
    }
}

#[tokio::test]
async fn the_demo_seed_leaves_the_aggregates_exact() {
    let app = crate::common::TestApp::with_demo().await;
    crate::common::assert_aggregates_exact(&app.db, "the demo seed").await;
}

#[tokio::test]
async fn demo_sizes_are_modest() {
    let app = demo_at(facts_now(), 42).await;
    let n = |t: &str| format!("SELECT COUNT(*) AS n FROM {t}");
    assert_eq!(count(&app.db, &n("account"), vec![]).await, 3);
    let sessions = count(&app.db, &n("meeting_session"), vec![]).await;
    assert!(sessions <= 5_000, "{sessions} sessions");
    let participants = count(&app.db, &n("participant"), vec![]).await;
    assert!(
        (5_000..=40_000).contains(&participants),
        "{participants} participants"
    );
}

#[derive(Debug, FromQueryResult)]
struct Join {
    session_id: i64,
    user_id: Option<i64>,
    name: String,
    email: Option<String>,
    join_time: DateTime<Utc>,
    leave_time: DateTime<Utc>,
    duration_seconds: i64,
    ip_address: Option<String>,
}

#[derive(Debug, FromQueryResult)]
struct Sitting {
    id: i64,
    start_time: DateTime<Utc>,
    end_time: Option<DateTime<Utc>>,
}

#[tokio::test]
async fn demo_participants_lie_within_their_sessions_and_rejoin_without_overlap() {
    let now = facts_now();
    let app = demo_at(now, 42).await;
    let sessions: BTreeMap<i64, Sitting> = rows::<Sitting>(
        &app.db,
        "SELECT id, start_time, end_time FROM meeting_session",
    )
    .await
    .into_iter()
    .map(|s| (s.id, s))
    .collect();
    let joins: Vec<Join> = rows(
        &app.db,
        "SELECT session_id, user_id, name, email, join_time, leave_time, duration_seconds, \
         ip_address FROM participant",
    )
    .await;
    // (session, person) -> intervals
    type Interval = (DateTime<Utc>, DateTime<Utc>);
    let mut by_person: BTreeMap<(i64, String), Vec<Interval>> = BTreeMap::new();
    for j in &joins {
        let (join, leave) = (j.join_time, j.leave_time);
        assert_eq!(j.duration_seconds, (leave - join).num_seconds());
        assert!(join < leave && leave <= now);
        assert_eq!(join.timestamp_subsec_nanos(), 0);
        let Some(s) = sessions.get(&j.session_id) else {
            panic!("unknown session")
        };
        assert!(join >= s.start_time && Some(leave) <= s.end_time);
        if let Some(ip) = &j.ip_address {
            assert!(
                ip.starts_with("192.0.2.")
                    || ip.starts_with("198.51.100.")
                    || ip.starts_with("203.0.113."),
                "{ip}"
            );
        }
        let who = format!("{:?}/{:?}/{:?}", j.name, j.email, j.user_id);
        by_person
            .entry((j.session_id, who))
            .or_default()
            .push((join, leave));
    }
    let mut rejoined = 0;
    for (key, intervals) in by_person.iter_mut() {
        intervals.sort();
        if intervals.len() > 1 {
            rejoined += 1;
        }
        for w in intervals.windows(2) {
            if let [a, b] = w {
                assert!(a.1 <= b.0, "overlapping joins of {key:?}: {intervals:?}");
            }
        }
    }
    assert!(rejoined > 50, "only {rejoined} rejoins");
}

#[tokio::test]
async fn demo_invoices_equal_the_sum_of_their_lines_and_calls_cost_their_rate() {
    let app = demo_at(facts_now(), 42).await;
    let db = &app.db;
    let invoices = count(db, "SELECT COUNT(*) AS n FROM billing_invoice", vec![]).await;
    assert!(invoices >= 22, "{invoices} invoices");
    let unbalanced = count(
        db,
        "SELECT COUNT(*) AS n FROM billing_invoice i WHERE i.amount_micros <= 0 \
         OR i.tax_micros <= 0 \
         OR i.amount_micros <> (SELECT SUM(l.amount_micros) FROM billing_line l WHERE l.invoice_id = i.id) \
         OR i.tax_micros <> (SELECT SUM(l.tax_micros) FROM billing_line l WHERE l.invoice_id = i.id)",
        vec![],
    )
    .await;
    assert_eq!(
        unbalanced, 0,
        "invoices that are not the sum of their lines"
    );
    let calls = count(db, "SELECT COUNT(*) AS n FROM telephone_call", vec![]).await;
    assert!(calls > 50, "{calls} telephone legs");
    let mispriced = count(
        db,
        "SELECT COUNT(*) AS n FROM telephone_call \
         WHERE total_cost_micros <> rate_per_minute_micros * ((duration_seconds + 59) / 60)",
        vec![],
    )
    .await;
    assert_eq!(mispriced, 0, "telephone legs not costed per started minute");
}

#[derive(Debug, FromQueryResult)]
struct Scheduled {
    id: i64,
    scheduled_start: Option<DateTime<Utc>>,
    deleted_at: Option<DateTime<Utc>>,
}

#[tokio::test]
async fn demo_edge_cases_are_present() {
    let now = facts_now();
    let app = demo_at(now, 42).await;
    let db = &app.db;
    #[derive(FromQueryResult)]
    struct Id {
        meeting_id: i64,
    }
    let held: BTreeSet<i64> = rows::<Id>(db, "SELECT DISTINCT meeting_id FROM meeting_session")
        .await
        .into_iter()
        .map(|r| r.meeting_id)
        .collect();
    let meetings: Vec<Scheduled> =
        rows(db, "SELECT id, scheduled_start, deleted_at FROM meeting").await;
    let (mut upcoming, mut no_fixed_time, mut prunable, mut deleted) = (0, 0, 0, 0);
    for m in &meetings {
        match m.scheduled_start {
            Some(s) if s > now && !held.contains(&m.id) => upcoming += 1,
            Some(s) if s < now - Duration::days(30) && !held.contains(&m.id) => prunable += 1,
            None => no_fixed_time += 1,
            _ => {}
        }
        deleted += usize::from(m.deleted_at.is_some());
    }
    assert!(upcoming >= 5, "{upcoming} upcoming");
    assert!(no_fixed_time >= 4, "{no_fixed_time} without fixed time");
    assert!((5..=20).contains(&prunable), "{prunable} prunable");
    assert!(deleted >= 3, "{deleted} deleted");
    let big = count(
        db,
        "SELECT COUNT(*) AS n FROM recording WHERE total_size_bytes > ?",
        vec![Value::from(i64::from(i32::MAX))],
    )
    .await;
    assert!(big > 0, "no recording above 2 GiB");
    let days = count(db, "SELECT COUNT(*) AS n FROM storage_usage_daily", vec![]).await;
    assert!(days >= 2 * 365, "{days} storage days");
    #[derive(FromQueryResult)]
    struct Day {
        day: NaiveDate,
    }
    let first: Option<Day> = Sql::new(db.clone())
        .one("SELECT MIN(day) AS day FROM storage_usage_daily", vec![])
        .await
        .expect("first day");
    assert!(first.map(|d| d.day) >= NaiveDate::from_ymd_opt(2025, 11, 27));
}

/// No row of `db` holds a time after `now`.
async fn assert_nothing_after(db: &DatabaseConnection, now: DateTime<Utc>) {
    for (t, column) in [
        ("meeting_session", "end_time"),
        ("participant", "leave_time"),
        ("poll_response", "answered_at"),
        ("qa_question", "asked_at"),
        ("qa_answer", "answered_at"),
        ("telephone_call", "end_time"),
        ("recording", "end_time"),
        ("registrant", "registered_at"),
        ("phone_call", "start_time"),
        ("remote_support_session", "ended_at"),
        ("billing_invoice", "issued_at"),
        ("operation_log", "occurred_at"),
        ("sign_in_event", "occurred_at"),
        ("app_user", "created_at"),
        ("meeting", "created_at"),
    ] {
        let sql = format!("SELECT COUNT(*) AS n FROM {t} WHERE {column} > ?");
        let late = count(db, &sql, vec![Value::from(now)]).await;
        assert_eq!(late, 0, "{t}.{column} after {now}");
    }
}

#[tokio::test]
async fn nothing_in_the_demo_happens_after_now() {
    let now = facts_now();
    assert_nothing_after(&demo_at(now, 42).await.db, now).await;
}

#[tokio::test]
async fn the_demo_builds_for_awkward_nows() {
    for (y, mo, d, h, mi, s) in [
        (2028, 2, 29, 23, 59, 59),
        (2027, 1, 1, 0, 0, 0),
        (2026, 3, 29, 1, 30, 0),
        (2026, 10, 25, 0, 30, 0),
    ] {
        let now = Utc
            .with_ymd_and_hms(y, mo, d, h, mi, s)
            .single()
            .expect("a valid time");
        let app = demo_at(now, 7).await;
        assert_nothing_after(&app.db, now).await;
        let participants = count(&app.db, "SELECT COUNT(*) AS n FROM participant", vec![]).await;
        assert!(participants > 5_000, "{now}: {participants} participants");
        let invoices = count(&app.db, "SELECT COUNT(*) AS n FROM billing_invoice", vec![]).await;
        assert!(invoices >= 22, "{now}: {invoices} invoices");
    }
}

#[tokio::test]
async fn nobody_in_the_demo_acts_before_they_exist() {
    let app = demo_at(facts_now(), 42).await;
    let db = &app.db;
    for (t, user, when) in [
        ("participant", "user_id", "join_time"),
        ("sign_in_event", "user_id", "occurred_at"),
        ("phone_call", "user_id", "start_time"),
        ("meeting", "host_id", "created_at"),
    ] {
        let unknown = format!(
            "SELECT COUNT(*) AS n FROM {t} x WHERE x.{user} IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM app_user u WHERE u.id = x.{user})"
        );
        assert_eq!(count(db, &unknown, vec![]).await, 0, "{t}: unknown users");
        let early = format!(
            "SELECT COUNT(*) AS n FROM {t} x JOIN app_user u ON u.id = x.{user} \
             WHERE x.{when} <= u.created_at"
        );
        assert_eq!(
            count(db, &early, vec![]).await,
            0,
            "{t}.{when} before its user was created"
        );
    }
    // last_login_at is the latest sign-in.
    #[derive(FromQueryResult)]
    struct User {
        id: i64,
        last_login_at: Option<DateTime<Utc>>,
    }
    #[derive(FromQueryResult)]
    struct SignIn {
        user_id: i64,
        occurred_at: DateTime<Utc>,
    }
    let mut last: BTreeMap<i64, DateTime<Utc>> = BTreeMap::new();
    let sign_ins: Vec<SignIn> = rows(
        db,
        "SELECT user_id, occurred_at FROM sign_in_event WHERE event_type = 'SIGN_IN'",
    )
    .await;
    for s in sign_ins {
        let e = last.entry(s.user_id).or_insert(s.occurred_at);
        *e = (*e).max(s.occurred_at);
    }
    for u in rows::<User>(db, "SELECT id, last_login_at FROM app_user").await {
        assert_eq!(u.last_login_at, last.get(&u.id).copied(), "user {}", u.id);
    }
}
