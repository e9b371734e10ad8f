//! The aggregates the usage reports read, kept exact on every write.
//!
//! - `session_stat`: per session, its figures ([`crate::meetings::session_figures`]'s
//!   participants and meeting minutes, from the seconds of the joins that have left and the
//!   number still in), its host, kind and start, and its start's 15-minute UTC bucket.
//! - `usage_bucket`: per account and 15-minute UTC bucket, the sessions that started in it and
//!   their figures added up — for sessions with no join still in. A live session's minutes
//!   grow with the clock, so the reports add those few sessions from their join rows when they
//!   read ([`minutes_of`]): no figure is ever a stale minute.
//! - `attendee_stat`: per meeting and person ([`PERSON_KEY`]), the Meeting report's attendee
//!   (first join, last leave, seconds of the joins that have left, joins still in, joins).
//! - `registrant_stat`: per registrant, whether they attended
//!   ([`crate::registration::fresh_registrants`]); `webinar_stat`: per webinar, the Performance
//!   report's counts ([`crate::performance::fresh_webinars`]; a live webinar's attendee seconds
//!   are counted from its rows when read, as a live session's minutes are).
//!
//! Triggers (migrations `m20261205_100000_session_aggregates`, `m20261205_200000_attendee_aggregates`,
//! `m20261207_100000_webinar_aggregates`) list in `aggregate_dirty` every session, in
//! `attendee_dirty` every (meeting, person), and in `meeting_dirty` every meeting whose
//! registrants or webinar figures a statement changed, whoever runs it; [`settle`] recomputes them (and the buckets the sessions
//! were and are in) from the raw rows, and empties the lists. Every write path
//! calls it before it commits (the ingestion's transactions, `import`'s, the seeds', `prune`'s),
//! so a committed state has no listed session; [`verify`] says so, and compares both aggregates
//! with a fresh computation. [`rebuild`] recomputes them all (after an operator's manual fix).

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, FromQueryResult, TransactionTrait, Value,
};

use crate::{performance, registration, sql::statement, Total, PERSON_KEY, SECONDS_IN};

/// Bucket width in seconds: every IANA zone's day starts on a multiple of 15 minutes (UTC
/// offsets of 30 and 45 minutes included), so a report day is a run of whole buckets.
pub const BUCKET_SECONDS: i64 = 900;

const STAT_COLUMNS: &str = "session_id, account_id, meeting_id, host_id, kind, start_time, \
     bucket, participants, closed_seconds, open_joins, meeting_minutes";

const BUCKET_COLUMNS: &str = "account_id, bucket, sessions, participants, meeting_minutes";

const ATTENDEE_COLUMNS: &str = "account_id, meeting_id, person_key, first_join_time, \
     last_leave_time, closed_seconds, open_joins, joins, first_join_id, email, role";

/// The attendees of the join rows `p` that `from_where` selects (`FROM participant p ...`),
/// merged per meeting and person: the columns of `attendee_stat` without its id, in order.
/// Besides the figures, what a page shows of them: their first join (by join time, then id),
/// the first email a join of theirs carried, and their most prominent role (host, panelist,
/// attendee, else the first join's), as a page with every interval works them out from the
/// joins. The joins are numbered within each person (twice: among all their joins, and among
/// those with and without an email) so that the first is picked in the same pass.
fn fresh_attendees(from_where: &str) -> String {
    let has = |role: &str| format!("SUM(CASE WHEN j.role = '{role}' THEN 1 ELSE 0 END) > 0");
    let person = format!("p.account_id, p.meeting_id, {PERSON_KEY}");
    format!(
        "SELECT j.account_id, j.meeting_id, j.person_key, \
         MIN(j.join_time) AS first_join_time, \
         CASE WHEN COUNT(j.leave_time) < COUNT(*) THEN NULL ELSE MAX(j.leave_time) END AS last_leave_time, \
         CAST(COALESCE(SUM(j.duration_seconds), 0) AS BIGINT) AS closed_seconds, \
         COUNT(*) - COUNT(j.duration_seconds) AS open_joins, COUNT(*) AS joins, \
         MIN(CASE WHEN j.nth = 1 THEN j.id END) AS first_join_id, \
         MIN(CASE WHEN j.email IS NOT NULL AND j.nth_email = 1 THEN j.email END) AS email, \
         CASE WHEN {} THEN 'HOST' WHEN {} THEN 'PANELIST' WHEN {} THEN 'ATTENDEE' \
           ELSE MIN(CASE WHEN j.nth = 1 THEN j.role END) END AS role \
         FROM (SELECT p.id, p.account_id, p.meeting_id, {PERSON_KEY} AS person_key, p.join_time, \
           p.leave_time, p.duration_seconds, p.email, p.role, \
           ROW_NUMBER() OVER (PARTITION BY {person} ORDER BY p.join_time, p.id) AS nth, \
           ROW_NUMBER() OVER (PARTITION BY {person}, p.email IS NULL ORDER BY p.join_time, p.id) AS nth_email \
           {from_where}) j \
         GROUP BY j.account_id, j.meeting_id, j.person_key",
        has("HOST"),
        has("PANELIST"),
        has("ATTENDEE"),
    )
}

/// Join row `p` is the person `key` (a stored person key, such as `a.person_key`), in a form
/// the `(meeting_id, person key)` index serves. On SQLite a stored column's text affinity
/// would apply to the comparison and the expression index (which has none) could not serve
/// it: `+` drops the column's affinity.
pub fn person_is(backend: DbBackend, key: &str) -> String {
    match backend {
        DbBackend::Sqlite => format!("{PERSON_KEY} = +{key}"),
        _ => format!("{PERSON_KEY} = {key}"),
    }
}

/// An attendee's seconds (row `a` of `attendee_stat`) as the report gives them: stored once
/// every join has left; while one is still in, counted from their join rows up to now.
pub fn attendee_seconds_of(backend: DbBackend, alias: &str) -> String {
    format!(
        "CASE WHEN {alias}.open_joins = 0 THEN {alias}.closed_seconds ELSE \
         (SELECT CAST(COALESCE(SUM({SECONDS_IN}), 0) AS BIGINT) FROM participant p \
          WHERE p.meeting_id = {alias}.meeting_id AND {}) END",
        person_is(backend, &format!("{alias}.person_key"))
    )
}

/// The figures of every session matching `filter` (a condition on `s`, the session), computed
/// from the join rows: the columns of `session_stat`, in order.
fn fresh_sessions(filter: &str) -> String {
    format!(
        "SELECT s.id AS session_id, s.account_id, s.meeting_id, m.host_id, m.kind, s.start_time, \
         unixepoch(s.start_time) / {BUCKET_SECONDS} * {BUCKET_SECONDS} AS bucket, \
         COUNT(DISTINCT {PERSON_KEY}) AS participants, \
         CAST(COALESCE(SUM(p.duration_seconds), 0) AS BIGINT) AS closed_seconds, \
         COUNT(p.id) - COUNT(p.duration_seconds) AS open_joins, \
         (CAST(COALESCE(SUM(p.duration_seconds), 0) AS BIGINT) + 59) / 60 AS meeting_minutes \
         FROM meeting_session s JOIN meeting m ON m.id = s.meeting_id \
         LEFT JOIN participant p ON p.session_id = s.id WHERE {filter} \
         GROUP BY s.id, s.account_id, s.meeting_id, m.host_id, m.kind, s.start_time"
    )
}

/// The minutes of session stat row `st` (alias `st`) as the reports give them: stored once
/// every join has left; while one is still in, counted from its join rows up to now (as
/// [`crate::meetings::session_figures`] does).
pub fn minutes_of(alias: &str) -> String {
    format!(
        "CASE WHEN {alias}.open_joins = 0 THEN {alias}.meeting_minutes ELSE \
         (SELECT (CAST(COALESCE(SUM({SECONDS_IN}), 0) AS BIGINT) + 59) / 60 \
          FROM participant p WHERE p.session_id = {alias}.session_id) END"
    )
}

async fn run(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    Ok(db
        .execute_raw(statement(backend, sql, values))
        .await?
        .rows_affected())
}

async fn count(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Result<i64, DbErr> {
    let backend = db.get_database_backend();
    Ok(Total::find_by_statement(statement(backend, sql, values))
        .one(db)
        .await?
        .map_or(0, |t| t.n))
}

/// What [`settle`] recomputed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Settled {
    pub sessions: u64,
    pub buckets: u64,
    pub attendees: u64,
    /// Registrant rows and webinar rows written.
    pub registrants: u64,
    pub webinars: u64,
}

/// Recomputes the (meeting, person) pairs the triggers listed; empties the list.
async fn settle_attendees(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    run(
        db,
        "DELETE FROM attendee_stat WHERE (meeting_id, person_key) IN \
         (SELECT meeting_id, person_key FROM attendee_dirty)",
        Vec::new(),
    )
    .await?;
    let attendees = run(
        db,
        &format!(
            "INSERT INTO attendee_stat ({ATTENDEE_COLUMNS}) {}",
            fresh_attendees(&format!(
                "FROM attendee_dirty d CROSS JOIN participant p \
                 WHERE p.meeting_id = d.meeting_id AND {}",
                person_is(db.get_database_backend(), "d.person_key")
            ))
        ),
        Vec::new(),
    )
    .await?;
    run(db, "DELETE FROM attendee_dirty", Vec::new()).await?;
    Ok(attendees)
}

/// The meetings (`meeting_id, account_id`) listed in `meeting_dirty`; with `webinars`, only
/// the webinars among them.
fn listed_meetings(webinars: bool) -> String {
    let kind = if webinars {
        " AND m.kind = 'WEBINAR'"
    } else {
        ""
    };
    format!(
        "SELECT m.id AS meeting_id, m.account_id FROM meeting_dirty x CROSS JOIN meeting m \
         WHERE m.id = x.meeting_id{kind}"
    )
}

/// The queries [`settle`] inserts into `registrant_stat` and `webinar_stat` for the meetings
/// listed in `meeting_dirty` (in that order: the second reads what the first stored). Public
/// so that a test can check their plans hold without statistics, as during a bulk load.
pub fn listed_meeting_queries() -> [String; 2] {
    [
        registration::fresh_registrants(&listed_meetings(false)),
        performance::settled_webinars(&listed_meetings(true)),
    ]
}

/// Recomputes the registrants and webinar figures of the meetings the triggers listed;
/// empties the list.
async fn settle_meetings(db: &impl ConnectionTrait) -> Result<(u64, u64), DbErr> {
    let [registrant_rows, webinar_rows] = listed_meeting_queries();
    const LISTED: &str = "SELECT meeting_id FROM meeting_dirty";
    run(
        db,
        &format!("DELETE FROM registrant_stat WHERE meeting_id IN ({LISTED})"),
        Vec::new(),
    )
    .await?;
    let registrants = run(
        db,
        &format!(
            "INSERT INTO registrant_stat ({}) {registrant_rows}",
            registration::STAT_COLUMNS,
        ),
        Vec::new(),
    )
    .await?;
    run(
        db,
        &format!("DELETE FROM webinar_stat WHERE meeting_id IN ({LISTED})"),
        Vec::new(),
    )
    .await?;
    let webinars = run(
        db,
        &format!(
            // Every listed meeting's registrants were just recomputed, above.
            "INSERT INTO webinar_stat ({}) {webinar_rows}",
            performance::STAT_COLUMNS,
        ),
        Vec::new(),
    )
    .await?;
    run(db, "DELETE FROM meeting_dirty", Vec::new()).await?;
    Ok((registrants, webinars))
}

/// Recomputes the sessions the triggers listed, and every bucket one of them was or is in,
/// and the attendees listed, inside the caller's transaction; empties the lists. One
/// statement when nothing is listed (every committing writer runs it).
///
/// The lists drive every statement: `CROSS JOIN` fixes SQLite's join order (on PostgreSQL it
/// is a plain join), and the deletes look rows up by key (`(a, b) IN (SELECT ...)`). Without
/// that, SQLite (no statistics on the lists) scanned `participant` or the aggregate whole on
/// every commit: the ingestion benchmark's import fell from 3,736 to 631 events/s.
pub async fn settle(db: &impl ConnectionTrait) -> Result<Settled, DbErr> {
    #[derive(FromQueryResult)]
    struct Listed {
        sessions: i64,
        attendees: i64,
        meetings: i64,
    }
    let listed = Listed::find_by_statement(statement(
        db.get_database_backend(),
        "SELECT (SELECT COUNT(*) FROM aggregate_dirty) AS sessions, \
         (SELECT COUNT(*) FROM attendee_dirty) AS attendees, \
         (SELECT COUNT(*) FROM meeting_dirty) AS meetings",
        Vec::new(),
    ))
    .one(db)
    .await?
    .unwrap_or(Listed {
        sessions: 0,
        attendees: 0,
        meetings: 0,
    });
    let attendees = if listed.attendees > 0 {
        settle_attendees(db).await?
    } else {
        0
    };
    let (registrants, webinars) = if listed.meetings > 0 {
        settle_meetings(db).await?
    } else {
        (0, 0)
    };
    if listed.sessions == 0 {
        return Ok(Settled {
            attendees,
            registrants,
            webinars,
            ..Settled::default()
        });
    }
    const LISTED: &str = "SELECT session_id FROM aggregate_dirty";
    // The buckets their old figures are in (a session may move, or end, or be deleted).
    let mark_buckets = format!(
        "INSERT INTO aggregate_dirty_bucket (account_id, bucket) \
         SELECT DISTINCT st.account_id, st.bucket FROM session_stat st \
         WHERE st.session_id IN ({LISTED}) AND st.open_joins = 0 ON CONFLICT DO NOTHING"
    );
    run(db, &mark_buckets, Vec::new()).await?;
    run(
        db,
        &format!("DELETE FROM session_stat WHERE session_id IN ({LISTED})"),
        Vec::new(),
    )
    .await?;
    let sessions = run(
        db,
        &format!(
            "INSERT INTO session_stat ({STAT_COLUMNS}) {}",
            fresh_sessions(&format!("s.id IN ({LISTED})"))
        ),
        Vec::new(),
    )
    .await?;
    // ... and the buckets their new figures are in.
    run(db, &mark_buckets, Vec::new()).await?;
    run(
        db,
        "DELETE FROM usage_bucket WHERE (account_id, bucket) IN \
         (SELECT account_id, bucket FROM aggregate_dirty_bucket)",
        Vec::new(),
    )
    .await?;
    let buckets = run(
        db,
        &format!(
            "INSERT INTO usage_bucket ({BUCKET_COLUMNS}) \
             SELECT st.account_id, st.bucket, COUNT(*), SUM(st.participants), SUM(st.meeting_minutes) \
             FROM aggregate_dirty_bucket d CROSS JOIN session_stat st \
             WHERE st.account_id = d.account_id AND st.bucket = d.bucket \
               AND st.open_joins = 0 GROUP BY st.account_id, st.bucket"
        ),
        Vec::new(),
    )
    .await?;
    run(db, "DELETE FROM aggregate_dirty_bucket", Vec::new()).await?;
    run(db, "DELETE FROM aggregate_dirty", Vec::new()).await?;
    Ok(Settled {
        sessions,
        buckets,
        attendees,
        registrants,
        webinars,
    })
}

/// `account_id = ?` (one account) or every row, with its values.
fn scope(alias: &str, account: Option<i64>) -> (String, Vec<Value>) {
    match account {
        Some(id) => (format!("{alias}account_id = ?"), vec![id.into()]),
        None => ("1 = 1".to_owned(), Vec::new()),
    }
}

/// Recomputes the aggregates of one account (or of every account) from the raw rows, in one
/// transaction; returns what it wrote.
pub async fn rebuild(db: &DatabaseConnection, account: Option<i64>) -> Result<Settled, DbErr> {
    let tx = db.begin().await?;
    let (plain, values) = scope("", account);
    run(
        &tx,
        &format!("DELETE FROM usage_bucket WHERE {plain}"),
        values.clone(),
    )
    .await?;
    run(
        &tx,
        &format!("DELETE FROM session_stat WHERE {plain}"),
        values.clone(),
    )
    .await?;
    for table in ["attendee_stat", "registrant_stat", "webinar_stat"] {
        run(
            &tx,
            &format!("DELETE FROM {table} WHERE {plain}"),
            values.clone(),
        )
        .await?;
    }
    let (on_p, _) = scope("p.", account);
    let attendees = run(
        &tx,
        &format!(
            "INSERT INTO attendee_stat ({ATTENDEE_COLUMNS}) {}",
            fresh_attendees(&format!("FROM participant p WHERE {on_p}"))
        ),
        values.clone(),
    )
    .await?;
    run(
        &tx,
        &format!(
            "INSERT INTO aggregate_dirty (session_id) SELECT id FROM meeting_session \
             WHERE {plain} ON CONFLICT DO NOTHING"
        ),
        values.clone(),
    )
    .await?;
    run(
        &tx,
        &format!(
            "INSERT INTO meeting_dirty (meeting_id) SELECT id FROM meeting \
             WHERE {plain} ON CONFLICT DO NOTHING"
        ),
        values,
    )
    .await?;
    let settled = settle(&tx).await?;
    tx.commit().await?;
    Ok(Settled {
        attendees: attendees + settled.attendees,
        ..settled
    })
}

/// How far the stored aggregates are from a fresh computation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Differences {
    /// Session rows missing, extra or with other figures.
    pub sessions: i64,
    /// Bucket rows missing, extra or with other sums.
    pub buckets: i64,
    /// Attendee rows missing, extra or with other figures.
    pub attendees: i64,
    /// Registrant rows missing, extra or with another attendance.
    pub registrants: i64,
    /// Webinar rows missing, extra or with other figures.
    pub webinars: i64,
    /// Sessions, (meeting, person) pairs and meetings listed for recomputation: a committed
    /// state has none.
    pub unsettled: i64,
    /// Up to ten of the sessions that differ.
    pub examples: Vec<i64>,
}

impl Differences {
    pub fn is_empty(&self) -> bool {
        self.sessions == 0
            && self.buckets == 0
            && self.attendees == 0
            && self.registrants == 0
            && self.webinars == 0
            && self.unsettled == 0
    }
}

#[derive(FromQueryResult)]
struct SessionId {
    session_id: i64,
}

/// `fresh` (the aggregate computed from the raw rows) and `stored` (the aggregate's rows, the
/// same columns in the same order) as one `WITH` head whose `missing` and `extra` hold the
/// rows of one but not the other.
fn differing(fresh: &str, stored: &str) -> String {
    format!(
        "WITH fresh AS ({fresh}), stored AS ({stored}), \
         missing AS (SELECT * FROM fresh EXCEPT SELECT * FROM stored), \
         extra AS (SELECT * FROM stored EXCEPT SELECT * FROM fresh)"
    )
}

const DIFFERING_ROWS: &str =
    "SELECT (SELECT COUNT(*) FROM missing) + (SELECT COUNT(*) FROM extra) AS n";

/// Compares the aggregates of one account (or every account) with a fresh computation from
/// the raw rows.
pub async fn verify(db: &impl ConnectionTrait, account: Option<i64>) -> Result<Differences, DbErr> {
    let (plain, values) = scope("", account);
    let (on_s, _) = scope("s.", account);
    let (on_p, _) = scope("p.", account);
    // Every comparison binds the account twice: in the fresh rows, then in the stored ones.
    let twice = [values.clone(), values].concat();
    let fresh = fresh_sessions(&on_s);
    let session_diff = differing(
        &fresh,
        &format!("SELECT {STAT_COLUMNS} FROM session_stat WHERE {plain}"),
    );
    let sessions = count(
        db,
        &format!("{session_diff} {DIFFERING_ROWS}"),
        twice.clone(),
    )
    .await?;
    let examples = if sessions > 0 {
        SessionId::find_by_statement(statement(
            db.get_database_backend(),
            &format!(
                "{session_diff} SELECT session_id FROM missing UNION SELECT session_id FROM extra \
                 ORDER BY session_id LIMIT 10"
            ),
            twice.clone(),
        ))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.session_id)
        .collect()
    } else {
        Vec::new()
    };
    let bucket_diff = differing(
        &format!(
            "SELECT account_id, bucket, COUNT(*) AS sessions, \
             CAST(SUM(participants) AS BIGINT) AS participants, \
             CAST(SUM(meeting_minutes) AS BIGINT) AS meeting_minutes \
             FROM ({fresh}) f WHERE open_joins = 0 GROUP BY account_id, bucket"
        ),
        &format!("SELECT {BUCKET_COLUMNS} FROM usage_bucket WHERE {plain}"),
    );
    let buckets = count(
        db,
        &format!("{bucket_diff} {DIFFERING_ROWS}"),
        twice.clone(),
    )
    .await?;
    let attendee_diff = differing(
        &fresh_attendees(&format!("FROM participant p WHERE {on_p}")),
        &format!("SELECT {ATTENDEE_COLUMNS} FROM attendee_stat WHERE {plain}"),
    );
    let attendees = count(
        db,
        &format!("{attendee_diff} {DIFFERING_ROWS}"),
        twice.clone(),
    )
    .await?;
    let (on_m, _) = scope("m.", account);
    let meetings = format!("SELECT m.id AS meeting_id, m.account_id FROM meeting m WHERE {on_m}");
    let registrant_diff = differing(
        &registration::fresh_registrants(&meetings),
        &format!(
            "SELECT {} FROM registrant_stat WHERE {plain}",
            registration::STAT_COLUMNS
        ),
    );
    let registrants = count(
        db,
        &format!("{registrant_diff} {DIFFERING_ROWS}"),
        twice.clone(),
    )
    .await?;
    let webinar_diff = differing(
        &performance::fresh_webinars(&format!("{meetings} AND m.kind = 'WEBINAR'")),
        &format!(
            "SELECT {} FROM webinar_stat WHERE {plain}",
            performance::STAT_COLUMNS
        ),
    );
    let webinars = count(db, &format!("{webinar_diff} {DIFFERING_ROWS}"), twice).await?;
    let unsettled = count(
        db,
        "SELECT (SELECT COUNT(*) FROM aggregate_dirty) + (SELECT COUNT(*) FROM attendee_dirty) \
         + (SELECT COUNT(*) FROM meeting_dirty) AS n",
        Vec::new(),
    )
    .await?;
    Ok(Differences {
        sessions,
        buckets,
        attendees,
        registrants,
        webinars,
        unsettled,
        examples,
    })
}
