//! The floor: each report of the query set computed by hand-written SQL through sqlx straight
//! into serde JSON, in the fewest statements we know (counts folded into window functions,
//! independent statements run side by side). It builds exactly the `data` the gateway answers,
//! and the harness checks that it does, so the ratio gateway ÷ floor compares like with like.

use std::{
    collections::BTreeMap,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
};

use chrono::{DateTime, NaiveDate, Utc};
use meeting_reports::{
    db::statement,
    graphql::scalars::{encode_cursor, CursorKind, Keyset},
};
use reports::PERSON_KEY;
use sea_orm::{
    sqlx::{self, postgres::PgRow, sqlite::SqliteRow, PgPool, Row, SqlitePool},
    DatabaseConnection, DbBackend,
};
use serde_json::{json, Map, Value as Json};

/// The pool of the database the gateway reads, taken from its connection, and a count of the
/// statements run through it.
#[derive(Clone)]
pub struct Pool {
    inner: Inner,
    statements: Arc<AtomicUsize>,
}

#[derive(Clone)]
enum Inner {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A bound value.
#[derive(Clone, Debug)]
pub enum Arg {
    Int(i64),
    Text(String),
    Time(DateTime<Utc>),
}

/// How to read a column into JSON.
#[derive(Clone, Copy, Debug)]
pub enum Col {
    Int,
    Text,
    Time,
    Bool,
}

type Rows = Vec<Vec<Json>>;

impl Pool {
    pub fn of(db: &DatabaseConnection) -> Self {
        let inner = match db.get_database_backend() {
            DbBackend::Postgres => Inner::Postgres(db.get_postgres_connection_pool().clone()),
            _ => Inner::Sqlite(db.get_sqlite_connection_pool().clone()),
        };
        Self {
            inner,
            statements: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Statements run so far.
    pub fn statements(&self) -> usize {
        self.statements.load(Ordering::Relaxed)
    }

    fn backend(&self) -> DbBackend {
        match self.inner {
            Inner::Sqlite(_) => DbBackend::Sqlite,
            Inner::Postgres(_) => DbBackend::Postgres,
        }
    }

    /// Runs `sql` (written with `?` placeholders) and reads each row's columns as `cols` says;
    /// NULL reads as JSON null.
    pub async fn rows(&self, sql: &str, args: &[Arg], cols: &[Col]) -> Result<Rows, String> {
        // The SQL text is built from constants only: every value is bound.
        let sql = statement(self.backend(), sql, vec![]).sql;
        self.statements.fetch_add(1, Ordering::Relaxed);
        // The same binding for either driver's query type.
        macro_rules! bound {
            () => {{
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
                for a in args {
                    q = match a {
                        Arg::Int(v) => q.bind(*v),
                        Arg::Text(v) => q.bind(v.clone()),
                        Arg::Time(v) => q.bind(*v),
                    };
                }
                q
            }};
        }
        match &self.inner {
            Inner::Sqlite(pool) => {
                let rows = bound!().fetch_all(pool).await.map_err(|e| e.to_string())?;
                rows.iter().map(|r| sqlite_row(r, cols)).collect()
            }
            Inner::Postgres(pool) => {
                let rows = bound!().fetch_all(pool).await.map_err(|e| e.to_string())?;
                rows.iter().map(|r| pg_row(r, cols)).collect()
            }
        }
    }
}

fn sqlite_row(row: &SqliteRow, cols: &[Col]) -> Result<Vec<Json>, String> {
    cols.iter()
        .enumerate()
        .map(|(i, col)| {
            let v = match col {
                Col::Int => row.try_get::<Option<i64>, _>(i).map(|v| json!(v)),
                Col::Text => row.try_get::<Option<String>, _>(i).map(|v| json!(v)),
                Col::Time => row
                    .try_get::<Option<DateTime<Utc>>, _>(i)
                    .map(|v| json!(v.map(|t| t.to_rfc3339()))),
                Col::Bool => row.try_get::<Option<bool>, _>(i).map(|v| json!(v)),
            };
            v.map_err(|e| format!("column {i}: {e}"))
        })
        .collect()
}

fn pg_row(row: &PgRow, cols: &[Col]) -> Result<Vec<Json>, String> {
    cols.iter()
        .enumerate()
        .map(|(i, col)| {
            let v = match col {
                Col::Int => row
                    .try_get::<Option<i64>, _>(i)
                    .or_else(|_| row.try_get::<Option<i32>, _>(i).map(|v| v.map(i64::from)))
                    .map(|v| json!(v)),
                Col::Text => row.try_get::<Option<String>, _>(i).map(|v| json!(v)),
                Col::Time => row
                    .try_get::<Option<DateTime<Utc>>, _>(i)
                    .map(|v| json!(v.map(|t| t.to_rfc3339()))),
                Col::Bool => row.try_get::<Option<bool>, _>(i).map(|v| json!(v)),
            };
            v.map_err(|e| format!("column {i}: {e}"))
        })
        .collect()
}

/// What the reports of one run are about.
#[derive(Clone, Debug)]
pub struct Params {
    pub account_id: i64,
    /// The member whose Usage report is measured.
    pub host_id: i64,
    /// The range as UTC instants (the account's days).
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The Daily report's days: date, start, end.
    pub days: Vec<(NaiveDate, DateTime<Utc>, DateTime<Utc>)>,
    /// Meetings and webinars per page.
    pub first: i64,
    /// Where the operation-log page starts.
    pub after: Option<Keyset<i64>>,
}

/// The reports that have a floor, by query file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Report {
    MemberUsage,
    DailyUsage,
    ActiveHosts,
    WebinarsCombined,
    MeetingAttendees,
    OperationLogsPage,
}

impl Report {
    /// The report a query file measures, from the name after its number.
    pub fn for_file(stem: &str) -> Option<Self> {
        let name = stem.split_once('-').map_or(stem, |(_, rest)| rest);
        Some(match name {
            "member-usage" => Report::MemberUsage,
            "daily-usage" => Report::DailyUsage,
            "active-hosts" => Report::ActiveHosts,
            "webinars-combined" => Report::WebinarsCombined,
            "meeting-attendees" => Report::MeetingAttendees,
            "operation-logs-page-50" => Report::OperationLogsPage,
            _ => return None,
        })
    }
}

/// Computes `report` into the JSON of the gateway's `data`.
pub async fn compute(pool: &Pool, report: Report, p: &Params) -> Result<Json, String> {
    match report {
        Report::MemberUsage => member_usage(pool, p).await,
        Report::DailyUsage => daily_usage(pool, p).await,
        Report::ActiveHosts => active_hosts(pool, p).await,
        Report::WebinarsCombined => webinars_combined(pool, p).await,
        Report::MeetingAttendees => meeting_attendees(pool, p).await,
        Report::OperationLogsPage => operation_logs(pool, p).await,
    }
}

fn int(v: &Json) -> i64 {
    v.as_i64().unwrap_or(0)
}

/// A session's participants (people) and meeting minutes, for `LEFT JOIN participant p`.
fn figures() -> String {
    format!(
        "COUNT(DISTINCT {PERSON_KEY}) AS participants, \
         (CAST(COALESCE(SUM(p.duration_seconds), 0) AS BIGINT) + 59) / 60 AS meeting_minutes"
    )
}

/// A session's figures per session `s`, as correlated subqueries: each session's join rows read
/// through the `(session_id, join_time)` index instead of one join of the month's rows grouped
/// (`COUNT(DISTINCT ..)` over all of them sorts). Measured on the 10k data: faster for the
/// daily report on both databases and for active hosts on PostgreSQL; slower for active hosts
/// on SQLite, where the grouped join stays.
fn correlated_figures() -> String {
    format!(
        "(SELECT COUNT(DISTINCT {PERSON_KEY}) FROM participant p WHERE p.session_id = s.id) AS participants, \
         (SELECT (CAST(COALESCE(SUM(p.duration_seconds), 0) AS BIGINT) + 59) / 60 \
           FROM participant p WHERE p.session_id = s.id) AS meeting_minutes"
    )
}

async fn member_usage(pool: &Pool, p: &Params) -> Result<Json, String> {
    let q = format!(
        "SELECT m.id, m.topic, CAST(m.meeting_number AS TEXT), s.start_time, s.end_time, {} \
         FROM meeting_session s JOIN meeting m ON m.id = s.meeting_id \
         LEFT JOIN participant p ON p.session_id = s.id \
         WHERE s.account_id = ? AND m.account_id = ? AND m.host_id = ? \
         AND s.start_time >= ? AND s.start_time < ? \
         GROUP BY s.id, m.id, m.topic, m.meeting_number, s.start_time, s.end_time \
         ORDER BY s.start_time, s.id",
        figures()
    );
    use Col::*;
    let rows = pool
        .rows(
            &q,
            &[
                Arg::Int(p.account_id),
                Arg::Int(p.account_id),
                Arg::Int(p.host_id),
                Arg::Time(p.start),
                Arg::Time(p.end),
            ],
            &[Int, Text, Text, Time, Time, Int, Int],
        )
        .await?;
    let (mut people, mut minutes) = (0, 0);
    let sessions: Vec<Json> = rows
        .iter()
        .map(|r| {
            people += int(&r[5]);
            minutes += int(&r[6]);
            let duration = match (r[3].as_str(), r[4].as_str()) {
                (Some(start), Some(end)) => {
                    let secs = parse_time(end) - parse_time(start);
                    json!((secs.num_seconds().max(0) + 59) / 60)
                }
                _ => Json::Null,
            };
            json!({
                "event": { "id": int(&r[0]).to_string(), "topic": r[1], "meetingNumber": r[2] },
                "session": { "startTime": r[3], "endTime": r[4], "durationMinutes": duration },
                "participants": r[5],
                "meetingMinutes": r[6],
            })
        })
        .collect();
    Ok(json!({ "usage": {
        "totals": { "meetings": sessions.len(), "participants": people, "meetingMinutes": minutes },
        "sessions": sessions,
    }}))
}

fn parse_time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

async fn daily_usage(pool: &Pool, p: &Params) -> Result<Json, String> {
    let (Some(first), Some(last)) = (p.days.first(), p.days.last()) else {
        return Err("no days".into());
    };
    let mut args = Vec::new();
    let values: Vec<&str> = p
        .days
        .iter()
        .map(|(day, start, end)| {
            args.extend([
                Arg::Text(day.format("%Y-%m-%d").to_string()),
                Arg::Time(*start),
                Arg::Time(*end),
            ]);
            "(?, ?, ?)"
        })
        .collect();
    args.extend([
        Arg::Int(p.account_id),
        Arg::Time(first.1),
        Arg::Time(last.2),
        Arg::Int(p.account_id),
    ]);
    let q = format!(
        "WITH days (day, day_start, day_end) AS (VALUES {}), \
         fig AS (SELECT s.id, s.start_time, {} FROM meeting_session s \
           WHERE s.account_id = ? AND s.start_time >= ? AND s.start_time < ?) \
         SELECT d.day, \
           (SELECT COUNT(*) FROM app_user u WHERE u.account_id = ? \
             AND u.created_at >= d.day_start AND u.created_at < d.day_end), \
           COUNT(fig.id), CAST(COALESCE(SUM(fig.participants), 0) AS BIGINT), \
           CAST(COALESCE(SUM(fig.meeting_minutes), 0) AS BIGINT) \
         FROM days d LEFT JOIN fig ON fig.start_time >= d.day_start AND fig.start_time < d.day_end \
         GROUP BY d.day, d.day_start, d.day_end ORDER BY d.day",
        values.join(", "),
        correlated_figures()
    );
    use Col::*;
    let rows = pool.rows(&q, &args, &[Text, Int, Int, Int, Int]).await?;
    let mut totals = [0i64; 4];
    let days: Vec<Json> = rows
        .iter()
        .map(|r| {
            for (t, v) in totals.iter_mut().zip(&r[1..]) {
                *t += int(v);
            }
            json!({ "date": r[0], "newUsers": r[1], "meetings": r[2], "participants": r[3], "meetingMinutes": r[4] })
        })
        .collect();
    Ok(json!({ "dailyUsage": {
        "days": days,
        "totals": { "newUsers": totals[0], "meetings": totals[1], "participants": totals[2], "meetingMinutes": totals[3] },
    }}))
}

async fn active_hosts(pool: &Pool, p: &Params) -> Result<Json, String> {
    let fig = match pool.inner {
        Inner::Postgres(_) => format!(
            "SELECT m.host_id, s.id, {} FROM meeting_session s JOIN meeting m ON m.id = s.meeting_id \
             WHERE s.account_id = ? AND s.start_time >= ? AND s.start_time < ?",
            correlated_figures()
        ),
        Inner::Sqlite(_) => format!(
            "SELECT m.host_id, s.id, {} FROM meeting_session s JOIN meeting m ON m.id = s.meeting_id \
             LEFT JOIN participant p ON p.session_id = s.id \
             WHERE s.account_id = ? AND s.start_time >= ? AND s.start_time < ? GROUP BY m.host_id, s.id",
            figures()
        ),
    };
    let q = format!(
        "WITH fig AS ({fig}), \
         h AS (SELECT host_id, COUNT(*) AS meetings, CAST(SUM(participants) AS BIGINT) AS participants, \
           CAST(SUM(meeting_minutes) AS BIGINT) AS meeting_minutes FROM fig GROUP BY host_id) \
         SELECT u.email, u.first_name, u.last_name, h.meetings, h.participants, h.meeting_minutes, \
           COUNT(*) OVER (), CAST(SUM(h.meetings) OVER () AS BIGINT), \
           CAST(SUM(h.participants) OVER () AS BIGINT), CAST(SUM(h.meeting_minutes) OVER () AS BIGINT) \
         FROM h JOIN app_user u ON u.id = h.host_id AND u.account_id = ? \
         ORDER BY h.meeting_minutes DESC, u.id LIMIT 50"
    );
    use Col::*;
    let rows = pool
        .rows(
            &q,
            &[
                Arg::Int(p.account_id),
                Arg::Time(p.start),
                Arg::Time(p.end),
                Arg::Int(p.account_id),
            ],
            &[Text, Text, Text, Int, Int, Int, Int, Int, Int, Int],
        )
        .await?;
    let head = rows.first();
    let total = |i: usize| head.map_or(0, |r| int(&r[i]));
    let nodes: Vec<Json> = rows
        .iter()
        .map(|r| {
            let name = format!(
                "{} {}",
                r[1].as_str().unwrap_or_default(),
                r[2].as_str().unwrap_or_default()
            );
            json!({ "host": { "email": r[0], "name": name }, "meetings": r[3], "participants": r[4], "meetingMinutes": r[5] })
        })
        .collect();
    Ok(json!({ "activeHosts": {
        "totalCount": total(6),
        "totals": { "meetings": total(7), "participants": total(8), "meetingMinutes": total(9) },
        "nodes": nodes,
    }}))
}

/// A page of meetings of one kind whose first session in the range is in the range, with the
/// list's total count: one statement.
async fn meeting_page(
    pool: &Pool,
    p: &Params,
    kind: &str,
    with_host: bool,
) -> Result<Rows, String> {
    let host = if with_host {
        "u.email"
    } else {
        "CAST(NULL AS TEXT)"
    };
    let host_join = if with_host {
        "JOIN app_user u ON u.id = m.host_id"
    } else {
        ""
    };
    // Ranked as narrow rows (id, sort time, count), each meeting's kind checked by its primary
    // key; only the page's rows read whole.
    let q = format!(
        "SELECT m.id, m.topic, {host}, r.n FROM (SELECT t.meeting_id, t.sort_time, COUNT(*) OVER () AS n \
           FROM (SELECT s.meeting_id, MIN(s.start_time) AS sort_time FROM meeting_session s \
             WHERE s.account_id = ? AND s.start_time >= ? AND s.start_time < ? GROUP BY s.meeting_id) t \
           WHERE (SELECT 1 FROM meeting k WHERE k.id = t.meeting_id AND k.account_id = ? AND k.kind = ?) = 1 \
           ORDER BY t.sort_time, t.meeting_id LIMIT ?) r \
         JOIN meeting m ON m.id = r.meeting_id {host_join} ORDER BY r.sort_time, m.id"
    );
    use Col::*;
    pool.rows(
        &q,
        &[
            Arg::Int(p.account_id),
            Arg::Time(p.start),
            Arg::Time(p.end),
            Arg::Int(p.account_id),
            Arg::Text(kind.into()),
            Arg::Int(p.first),
        ],
        &[Int, Text, Text, Int],
    )
    .await
}

/// `account_id` then the ids: the arguments of `account_id = ? AND x IN (...)`.
fn scoped(account_id: i64, ids: &[i64]) -> Vec<Arg> {
    std::iter::once(Arg::Int(account_id))
        .chain(ids.iter().map(|id| Arg::Int(*id)))
        .collect()
}

/// Rows grouped by their first column (a parent id), in order.
fn by_parent(rows: Rows) -> BTreeMap<i64, Rows> {
    let mut map: BTreeMap<i64, Rows> = BTreeMap::new();
    for r in rows {
        map.entry(int(&r[0])).or_default().push(r);
    }
    map
}

/// A connection's JSON: the total from column `n` of the first row, the nodes built by `node`.
fn connection(rows: Option<&Rows>, n: usize, node: impl Fn(&[Json]) -> Json) -> Json {
    let rows = rows.map(Vec::as_slice).unwrap_or_default();
    json!({
        "totalCount": rows.first().map_or(0, |r| int(&r[n])),
        "nodes": rows.iter().map(|r| node(r)).collect::<Vec<_>>(),
    })
}

/// `column` in the keys bound as one array parameter ([`id_array`]).
fn in_array(backend: DbBackend, column: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("{column} = ANY(CAST(? AS BIGINT[]))"),
        _ => format!("{column} IN (SELECT value FROM json_each(?))"),
    }
}

/// The keys of one array parameter as a select of `id`.
fn array_keys(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "SELECT ids.id FROM unnest(CAST(? AS BIGINT[])) AS ids(id)",
        _ => "SELECT value AS id FROM json_each(?)",
    }
}

/// Keys as one parameter: a PostgreSQL array literal, or a JSON array for SQLite.
fn id_array(backend: DbBackend, ids: &[i64]) -> Arg {
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    Arg::Text(match backend {
        DbBackend::Postgres => format!("{{{list}}}"),
        _ => format!("[{list}]"),
    })
}

/// Each key's first 20 rows of `table` by `order` and no more, read through the index that
/// leads with `parent` and the order, each key's row count `k.n` apart (one count per key, not
/// a window over every row): on PostgreSQL a `LATERAL (... ORDER BY ... LIMIT 20)`, on SQLite
/// (no `LATERAL`) a correlated `x.id IN (... LIMIT 20)`. `keys` selects `id` (and whatever else
/// `select` reads of `k`); `select` reads `k` and the row `x`; `join` follows the page. The
/// arguments: those of `keys`, the account of the rows, those of `join`.
fn first_20(
    backend: DbBackend,
    keys: &str,
    table: &str,
    parent: &str,
    order: &[&str],
    select: &str,
    join: &str,
) -> String {
    let by = |alias: &str| {
        order
            .iter()
            .map(|c| format!("{alias}.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (t_order, x_order) = (by("t"), by("x"));
    let k = format!(
        "(SELECT kk.*, (SELECT COUNT(*) FROM {table} c WHERE c.{parent} = kk.id) AS n FROM ({keys}) kk) k"
    );
    match backend {
        DbBackend::Postgres => format!(
            "SELECT {select} FROM {k} CROSS JOIN LATERAL (SELECT t.* FROM {table} t \
             WHERE t.{parent} = k.id AND t.account_id = ? ORDER BY {t_order} LIMIT 20) x{join} \
             ORDER BY k.id, {x_order}"
        ),
        _ => format!(
            "SELECT {select} FROM {k} JOIN {table} x ON x.id IN (SELECT t.id FROM {table} t \
             WHERE t.{parent} = k.id AND t.account_id = ? ORDER BY {t_order} LIMIT 20){join} \
             ORDER BY k.id, {x_order}"
        ),
    }
}

const MATCHES_REGISTRANT: &str = "p.meeting_id = r.meeting_id AND p.account_id = r.account_id \
     AND (p.registrant_id = r.id OR (p.registrant_id IS NULL AND p.email IS NOT NULL \
     AND LOWER(p.email) = LOWER(r.email)))";

async fn webinars_combined(pool: &Pool, p: &Params) -> Result<Json, String> {
    let page = meeting_page(pool, p, "WEBINAR", true).await?;
    let ids: Vec<i64> = page.iter().map(|r| int(&r[0])).collect();
    if ids.is_empty() {
        return Ok(json!({ "webinars": { "totalCount": 0, "nodes": [] } }));
    }
    let a = p.account_id;
    let list = placeholders(ids.len());
    let scope = |alias: &str, column: &str| {
        format!("{alias}.account_id = ? AND {alias}.{column} IN ({list})")
    };
    let performance = format!(
        "WITH linked AS MATERIALIZED (SELECT DISTINCT p.meeting_id, p.registrant_id FROM participant p \
           WHERE {p} AND p.registrant_id IS NOT NULL), \
         emailed AS MATERIALIZED (SELECT DISTINCT p.meeting_id, LOWER(p.email) AS email FROM participant p \
           WHERE {p} AND p.registrant_id IS NULL AND p.email IS NOT NULL), \
         reg AS (SELECT r.meeting_id, COUNT(*) AS registrants, \
           SUM(CASE WHEN r.status = 'APPROVED' THEN 1 ELSE 0 END) AS approved, \
           SUM(CASE WHEN r.status = 'APPROVED' AND (\
             EXISTS (SELECT 1 FROM linked l WHERE l.meeting_id = r.meeting_id AND l.registrant_id = r.id) \
             OR EXISTS (SELECT 1 FROM emailed e WHERE e.meeting_id = r.meeting_id AND e.email = LOWER(r.email))) \
             THEN 1 ELSE 0 END) AS attended \
           FROM registrant r WHERE {r} GROUP BY r.meeting_id), \
         att AS (SELECT p.meeting_id, COUNT(DISTINCT {PERSON_KEY}) AS people FROM participant p \
           WHERE {p} AND p.role = 'ATTENDEE' GROUP BY p.meeting_id), \
         ev AS (SELECT p.meeting_id, p.join_time AS at_time, 1 AS delta FROM participant p WHERE {p} \
           UNION ALL SELECT p.meeting_id, p.leave_time AS at_time, -1 AS delta FROM participant p WHERE {p}), \
         running AS (SELECT meeting_id, SUM(delta) OVER (PARTITION BY meeting_id ORDER BY at_time, delta \
           ROWS UNBOUNDED PRECEDING) AS present FROM ev), \
         peak AS (SELECT meeting_id, MAX(present) AS peak FROM running GROUP BY meeting_id), \
         qa AS (SELECT q.meeting_id, COUNT(*) AS asked, SUM(CASE WHEN q.status = 'ANSWERED' THEN 1 ELSE 0 END) AS answered \
           FROM qa_question q WHERE {q} GROUP BY q.meeting_id), \
         pl AS (SELECT o.meeting_id, SUM(CASE WHEN o.launched_at IS NOT NULL THEN 1 ELSE 0 END) AS launched \
           FROM poll o WHERE {o} GROUP BY o.meeting_id), \
         resp AS (SELECT o.meeting_id, COUNT(DISTINCT {PERSON_KEY}) AS respondents FROM poll o \
           JOIN poll_question pq ON pq.poll_id = o.id JOIN poll_response pr ON pr.question_id = pq.id \
           JOIN participant p ON p.id = pr.participant_id AND p.role = 'ATTENDEE' WHERE {o} GROUP BY o.meeting_id) \
         SELECT m.id, CAST(COALESCE(reg.registrants, 0) AS BIGINT), CAST(COALESCE(reg.approved, 0) AS BIGINT), \
           CAST(COALESCE(reg.attended, 0) AS BIGINT), CAST(COALESCE(att.people, 0) AS BIGINT), \
           CAST(COALESCE(peak.peak, 0) AS BIGINT), CAST(COALESCE(qa.asked, 0) AS BIGINT), \
           CAST(COALESCE(qa.answered, 0) AS BIGINT), CAST(COALESCE(pl.launched, 0) AS BIGINT), \
           CAST(COALESCE(resp.respondents, 0) AS BIGINT) \
         FROM meeting m LEFT JOIN reg ON reg.meeting_id = m.id LEFT JOIN att ON att.meeting_id = m.id \
         LEFT JOIN peak ON peak.meeting_id = m.id LEFT JOIN qa ON qa.meeting_id = m.id \
         LEFT JOIN pl ON pl.meeting_id = m.id LEFT JOIN resp ON resp.meeting_id = m.id WHERE {m}",
        r = scope("r", "meeting_id"),
        p = scope("p", "meeting_id"),
        q = scope("q", "meeting_id"),
        o = scope("o", "meeting_id"),
        m = scope("m", "id"),
    );
    let mut perf_args = Vec::new();
    // linked, emailed, reg, att, ev (twice), qa, pl, resp, the webinars.
    for _ in 0..10 {
        perf_args.extend(scoped(a, &ids));
    }
    // Registrants, Q&A and poll answers: each parent's first 20 rows and no more, its count
    // apart (`first_20`).
    let backend = pool.backend();
    let registrants = first_20(
        backend,
        array_keys(backend),
        "registrant",
        "meeting_id",
        &["registered_at", "id"],
        &format!(
            "k.id, x.email, x.status, CASE WHEN EXISTS (SELECT 1 FROM participant p WHERE {}) \
             THEN TRUE ELSE FALSE END, k.n",
            MATCHES_REGISTRANT.replace("r.", "x.")
        ),
        "",
    );
    let qa = first_20(
        backend,
        array_keys(backend),
        "qa_question",
        "meeting_id",
        &["asked_at", "id"],
        "k.id, x.id, x.question, x.status, k.n, a.content",
        " LEFT JOIN qa_answer a ON a.question_id = x.id AND a.account_id = ?",
    );
    let qa = format!("{qa}, a.answered_at, a.id");
    let qa_args = vec![id_array(backend, &ids), Arg::Int(a), Arg::Int(a)];
    let polls = format!(
        "SELECT o.meeting_id, o.id, o.title, pq.id, pq.text FROM poll o \
         LEFT JOIN poll_question pq ON pq.poll_id = o.id AND pq.account_id = o.account_id WHERE {o} \
         ORDER BY o.meeting_id, CASE WHEN o.launched_at IS NULL THEN 1 ELSE 0 END, o.launched_at, o.id, \
           pq.position, pq.id",
        o = scope("o", "meeting_id"),
    );
    let responses = first_20(
        backend,
        &format!(
            "SELECT pq.id, o.anonymous FROM poll o JOIN poll_question pq ON pq.poll_id = o.id \
             WHERE o.account_id = ? AND {}",
            in_array(backend, "o.meeting_id")
        ),
        "poll_response",
        "question_id",
        &["answered_at", "id"],
        "k.id, CASE WHEN k.anonymous THEN NULL ELSE x.respondent_name END, x.answer, k.n",
        "",
    );
    let response_args = vec![Arg::Int(a), id_array(backend, &ids), Arg::Int(a)];
    use Col::*;
    let registrant_args = vec![id_array(backend, &ids), Arg::Int(a)];
    let poll_args = scoped(a, &ids);
    let (performance, registrants, qa, polls, responses) = tokio::try_join!(
        pool.rows(
            &performance,
            &perf_args,
            &[Int, Int, Int, Int, Int, Int, Int, Int, Int, Int]
        ),
        pool.rows(
            &registrants,
            &registrant_args,
            &[Int, Text, Text, Bool, Int]
        ),
        pool.rows(&qa, &qa_args, &[Int, Int, Text, Text, Int, Text]),
        pool.rows(&polls, &poll_args, &[Int, Int, Text, Int, Text]),
        pool.rows(&responses, &response_args, &[Int, Text, Text, Int]),
    )?;
    let performance: BTreeMap<i64, Vec<Json>> =
        performance.into_iter().map(|r| (int(&r[0]), r)).collect();
    let registrants = by_parent(registrants);
    let qa = by_parent(qa);
    let polls = by_parent(polls);
    let responses = by_parent(responses);
    let nodes: Vec<Json> = page
        .iter()
        .map(|w| {
            let id = int(&w[0]);
            let f = performance.get(&id);
            let figure = |i: usize| f.map_or(json!(0), |r| r[i].clone());
            let questions = qa.get(&id).map(|rows| group_runs(rows, 1));
            let qa_nodes: Vec<Json> = questions
                .unwrap_or_default()
                .iter()
                .map(|run| {
                    let answers: Vec<Json> = run
                        .iter()
                        .filter(|r| !r[5].is_null())
                        .map(|r| json!({ "content": r[5] }))
                        .collect();
                    json!({ "question": run[0][2], "status": run[0][3], "answers": answers })
                })
                .collect();
            let qa_total = qa
                .get(&id)
                .and_then(|r| r.first())
                .map_or(0, |r| int(&r[4]));
            let poll_nodes: Vec<Json> = polls
                .get(&id)
                .map(|rows| group_runs(rows, 1))
                .unwrap_or_default()
                .iter()
                .map(|run| {
                    let questions: Vec<Json> = run
                        .iter()
                        .filter(|r| !r[3].is_null())
                        .map(|r| {
                            let responses = connection(
                                responses.get(&int(&r[3])),
                                3,
                                |x| json!({ "respondentName": x[1], "answer": x[2] }),
                            );
                            json!({ "text": r[4], "responses": responses })
                        })
                        .collect();
                    json!({ "title": run[0][2], "questions": questions })
                })
                .collect();
            json!({
                "id": id.to_string(),
                "topic": w[1],
                "host": { "email": w[2] },
                "performance": {
                    "registrants": figure(1), "approvedRegistrants": figure(2),
                    "attendedRegistrants": figure(3), "uniqueAttendees": figure(4),
                    "peakConcurrent": figure(5), "questionsAsked": figure(6),
                    "questionsAnswered": figure(7), "pollsLaunched": figure(8),
                    "pollRespondents": figure(9),
                },
                "registrants": connection(registrants.get(&id), 4, |r| {
                    json!({ "email": r[1], "status": r[2], "attended": r[3] })
                }),
                "qa": { "totalCount": qa_total, "nodes": qa_nodes },
                "polls": poll_nodes,
            })
        })
        .collect();
    Ok(
        json!({ "webinars": { "totalCount": page.first().map_or(0, |r| int(&r[3])), "nodes": nodes } }),
    )
}

/// Consecutive rows sharing column `key`, as runs.
fn group_runs(rows: &[Vec<Json>], key: usize) -> Vec<&[Vec<Json>]> {
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 1..=rows.len() {
        if i == rows.len() || rows[i][key] != rows[start][key] {
            runs.push(&rows[start..i]);
            start = i;
        }
    }
    runs
}

async fn meeting_attendees(pool: &Pool, p: &Params) -> Result<Json, String> {
    let page = meeting_page(pool, p, "MEETING", false).await?;
    let ids: Vec<i64> = page.iter().map(|r| int(&r[0])).collect();
    if ids.is_empty() {
        return Ok(json!({ "meetings": { "totalCount": 0, "nodes": [] } }));
    }
    let a = p.account_id;
    let list = placeholders(ids.len());
    // Each meeting's first 20 join rows and no more, through (meeting_id, join_time).
    let backend = pool.backend();
    let participants = first_20(
        backend,
        array_keys(backend),
        "participant",
        "meeting_id",
        &["join_time", "id"],
        "k.id, x.name, x.email, x.join_time, x.leave_time, x.duration_seconds, k.n",
        "",
    );
    let attendees = format!(
        "WITH g AS (SELECT p.meeting_id, {PERSON_KEY} AS person_key, MIN(p.join_time) AS first_join, \
           MAX(p.leave_time) AS last_leave, CAST(SUM(p.duration_seconds) AS BIGINT) AS total, COUNT(*) AS joins \
           FROM participant p WHERE p.account_id = ? AND p.meeting_id IN ({list}) GROUP BY p.meeting_id, {PERSON_KEY}), \
         r AS (SELECT g.*, ROW_NUMBER() OVER (PARTITION BY g.meeting_id ORDER BY g.first_join, g.person_key) AS rn, \
           COUNT(*) OVER (PARTITION BY g.meeting_id) AS n FROM g) \
         SELECT r.meeting_id, r.person_key, r.first_join, r.last_leave, r.total, r.joins, r.n, p.name, p.email \
         FROM r JOIN participant p ON p.account_id = ? AND p.meeting_id = r.meeting_id AND {PERSON_KEY} = r.person_key \
         WHERE r.rn <= 20 ORDER BY r.meeting_id, r.rn, p.join_time, p.id"
    );
    let mut attendee_args = scoped(a, &ids);
    attendee_args.push(Arg::Int(a));
    let participant_args = [id_array(backend, &ids), Arg::Int(a)];
    use Col::*;
    let (participants, attendees) = tokio::try_join!(
        pool.rows(
            &participants,
            &participant_args,
            &[Int, Text, Text, Time, Time, Int, Int]
        ),
        pool.rows(
            &attendees,
            &attendee_args,
            &[Int, Text, Time, Time, Int, Int, Int, Text, Text]
        ),
    )?;
    let participants = by_parent(participants);
    let attendees = by_parent(attendees);
    let nodes: Vec<Json> = page
        .iter()
        .map(|m| {
            let id = int(&m[0]);
            let people = attendees.get(&id).map(Vec::as_slice).unwrap_or_default();
            let attendee_nodes: Vec<Json> = group_runs(people, 1)
                .iter()
                .map(|joins| {
                    let head = &joins[0];
                    let email = joins
                        .iter()
                        .find(|j| !j[8].is_null())
                        .map_or(Json::Null, |j| j[8].clone());
                    json!({
                        "name": head[7], "email": email, "firstJoinTime": head[2],
                        "lastLeaveTime": head[3], "totalSeconds": head[4],
                        "rejoinCount": int(&head[5]) - 1,
                    })
                })
                .collect();
            json!({
                "id": id.to_string(),
                "topic": m[1],
                "participants": connection(participants.get(&id), 6, |r| json!({
                    "name": r[1], "email": r[2], "joinTime": r[3], "leaveTime": r[4], "durationSeconds": r[5],
                })),
                "attendees": {
                    "totalCount": people.first().map_or(0, |r| int(&r[6])),
                    "nodes": attendee_nodes,
                },
            })
        })
        .collect();
    Ok(
        json!({ "meetings": { "totalCount": page.first().map_or(0, |r| int(&r[3])), "nodes": nodes } }),
    )
}

async fn operation_logs(pool: &Pool, p: &Params) -> Result<Json, String> {
    let mut args = vec![
        Arg::Int(p.account_id),
        Arg::Time(p.start),
        Arg::Time(p.end),
        Arg::Int(p.account_id),
        Arg::Time(p.start),
        Arg::Time(p.end),
    ];
    let mut q = String::from(
        "SELECT x.id, x.occurred_at, x.operator_email, x.category, x.action, x.detail, u.email, \
           (SELECT COUNT(*) FROM operation_log c WHERE c.account_id = ? AND c.occurred_at >= ? AND c.occurred_at < ?) \
         FROM operation_log x LEFT JOIN app_user u ON u.id = x.operator_id AND u.account_id = x.account_id \
         WHERE x.account_id = ? AND x.occurred_at >= ? AND x.occurred_at < ?",
    );
    if let Some(k) = &p.after {
        q.push_str(" AND (x.occurred_at < ? OR (x.occurred_at = ? AND x.id < ?))");
        args.extend([Arg::Time(k.time), Arg::Time(k.time), Arg::Int(k.tie)]);
    }
    q.push_str(" ORDER BY x.occurred_at DESC, x.id DESC LIMIT 51");
    use Col::*;
    let mut rows = pool
        .rows(&q, &args, &[Int, Time, Text, Text, Text, Text, Text, Int])
        .await?;
    let total = match rows.first() {
        Some(r) => int(&r[7]),
        None => {
            let count = pool
                .rows(
                    "SELECT COUNT(*) FROM operation_log c WHERE c.account_id = ? AND c.occurred_at >= ? AND c.occurred_at < ?",
                    &args[..3],
                    &[Int],
                )
                .await?;
            count.first().map_or(0, |r| int(&r[0]))
        }
    };
    let has_next = rows.len() > 50;
    rows.truncate(50);
    let end_cursor = rows.last().map(|r| {
        let key = Keyset {
            time: parse_time(r[1].as_str().unwrap_or_default()),
            tie: int(&r[0]),
        };
        encode_cursor(CursorKind::OperationLog, &key)
    });
    let nodes: Vec<Json> = rows
        .iter()
        .map(|r| {
            let operator = if r[6].is_null() {
                Json::Null
            } else {
                json!({ "email": r[6] })
            };
            let mut node = Map::new();
            node.insert("time".into(), r[1].clone());
            node.insert("operatorEmail".into(), r[2].clone());
            node.insert("category".into(), r[3].clone());
            node.insert("action".into(), r[4].clone());
            node.insert("detail".into(), r[5].clone());
            node.insert("operator".into(), operator);
            Json::Object(node)
        })
        .collect();
    Ok(json!({ "operationLogs": {
        "totalCount": total,
        "pageInfo": { "hasNextPage": has_next, "endCursor": end_cursor },
        "nodes": nodes,
    }}))
}

/// `?, ?, ?` for an `IN (...)` list of `n` values.
fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}
