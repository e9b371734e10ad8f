//! The webinar Performance report: every figure is one aggregate of the same rows the
//! registration, attendee, Q&A and poll reports list, kept per webinar in `webinar_stat`
//! ([`fresh_webinars`] computes them from the raw rows; `crate::aggregates::settle` stores
//! them as every writer commits) and read for a batch of webinars in one statement.

use sea_orm::FromQueryResult;

use crate::{registration::ATTENDANCE_CTES, sql::Sql, Result, PERSON_KEY, SECONDS_IN};

/// The figures of one webinar. Formulas are documented on the GraphQL type.
#[derive(Debug, Clone)]
pub struct PerformanceRow {
    pub parent_id: i64,
    pub registrants: i64,
    pub approved_registrants: i64,
    pub attended_registrants: i64,
    pub unique_attendees: i64,
    pub attendee_seconds: i64,
    pub peak_concurrent: i64,
    pub questions_asked: i64,
    pub questions_answered: i64,
    pub polls_launched: i64,
    pub poll_respondents: i64,
    pub attendance_rate: Option<f64>,
    pub poll_participation_rate: Option<f64>,
    pub average_seconds_per_attendee: Option<f64>,
}

/// The counts as the database returns them; the rates are worked out from them.
#[derive(FromQueryResult)]
struct Counts {
    parent_id: i64,
    registrants: i64,
    approved_registrants: i64,
    attended_registrants: i64,
    unique_attendees: i64,
    attendee_seconds: i64,
    peak_concurrent: i64,
    questions_asked: i64,
    questions_answered: i64,
    polls_launched: i64,
    poll_respondents: i64,
}

/// `n / d`, none when `d` is 0.
fn ratio(n: i64, d: i64) -> Option<f64> {
    (d != 0).then(|| n as f64 / d as f64)
}

impl From<Counts> for PerformanceRow {
    fn from(c: Counts) -> Self {
        Self {
            attendance_rate: ratio(c.attended_registrants, c.approved_registrants),
            poll_participation_rate: ratio(c.poll_respondents, c.unique_attendees),
            average_seconds_per_attendee: ratio(c.attendee_seconds, c.unique_attendees),
            parent_id: c.parent_id,
            registrants: c.registrants,
            approved_registrants: c.approved_registrants,
            attended_registrants: c.attended_registrants,
            unique_attendees: c.unique_attendees,
            attendee_seconds: c.attendee_seconds,
            peak_concurrent: c.peak_concurrent,
            questions_asked: c.questions_asked,
            questions_answered: c.questions_answered,
            polls_launched: c.polls_launched,
            poll_respondents: c.poll_respondents,
        }
    }
}

/// The columns of `webinar_stat`, in order.
pub(crate) const STAT_COLUMNS: &str = "meeting_id, account_id, registrants, approved_registrants, \
     attended_registrants, unique_attendees, closed_seconds, open_joins, peak_concurrent, \
     questions_asked, questions_answered, polls_launched, poll_respondents";

/// The figures of the webinars `driver` selects (`SELECT meeting_id, account_id ...`, bound
/// once), computed from the raw rows: the columns of `webinar_stat`, in order. The seconds are
/// those of the attendees' joins that have left, with the number still in: a live webinar's
/// seconds grow with the clock, so [`performance_of`] counts them from their rows when it reads.
///
/// The webinars are the driving table and every figure a grouped CTE joined to it by meeting
/// id (the shape SQLite 3.50 plans best: wrapping the join in a further CTE made it three times
/// slower on the 10k bench data); `CROSS JOIN` keeps SQLite's join order, and the account
/// conditions' unary `+` keeps each table on its meeting index, with or without statistics.
/// Whether a registrant attended reads the webinars' linked and emailed joins once
/// ([`crate::registration::ATTENDANCE_CTES`], which says more of the `+`), not once per
/// registrant.
pub(crate) fn fresh_webinars(driver: &str) -> String {
    webinar_figures(driver, ATTENDANCE_CTES)
}

/// [`fresh_webinars`] with whether each registrant attended read from `registrant_stat`, for a
/// caller that has just recomputed it for the same webinars (`crate::aggregates::settle`): the
/// webinars' join rows are then not matched with their registrants a second time.
pub(crate) fn settled_webinars(driver: &str) -> String {
    webinar_figures(
        driver,
        "ra AS MATERIALIZED (SELECT rs.registrant_id, rs.account_id, rs.meeting_id, r.status, \
           rs.attended FROM d CROSS JOIN registrant_stat rs JOIN registrant r ON r.id = rs.registrant_id \
           WHERE rs.meeting_id = d.meeting_id)",
    )
}

/// The webinar figures, `attendance` the CTEs that end with `ra` (one row per registrant of
/// the webinars `d` holds: `registrant_id, account_id, meeting_id, status, attended`).
fn webinar_figures(driver: &str, attendance: &str) -> String {
    let on = |table: &str, a: &str| {
        format!(
            "d CROSS JOIN {table} {a} WHERE {a}.meeting_id = d.meeting_id AND +{a}.account_id = d.account_id"
        )
    };
    let (p, q, o) = (
        on("participant", "p"),
        on("qa_question", "q"),
        on("poll", "o"),
    );
    format!(
        "WITH d AS MATERIALIZED ({driver}), {attendance}, \
         reg AS (SELECT ra.meeting_id, COUNT(*) AS registrants, \
           SUM(CASE WHEN ra.status = 'APPROVED' THEN 1 ELSE 0 END) AS approved, \
           SUM(CASE WHEN ra.status = 'APPROVED' THEN ra.attended ELSE 0 END) AS attended \
           FROM ra GROUP BY ra.meeting_id), \
         att AS (SELECT p.meeting_id, COUNT(DISTINCT {PERSON_KEY}) AS people, \
           CAST(COALESCE(SUM(p.duration_seconds), 0) AS BIGINT) AS closed_seconds, \
           COUNT(*) - COUNT(p.duration_seconds) AS open_joins \
           FROM {p} AND p.role = 'ATTENDEE' GROUP BY p.meeting_id), \
         ev AS (SELECT p.meeting_id, p.join_time AS at_time, 1 AS delta FROM {p} \
           UNION ALL SELECT p.meeting_id, p.leave_time AS at_time, -1 AS delta FROM {p} \
           AND p.leave_time IS NOT NULL), \
         running AS (SELECT meeting_id, SUM(delta) OVER (PARTITION BY meeting_id ORDER BY at_time, delta \
           ROWS UNBOUNDED PRECEDING) AS present FROM ev), \
         peak AS (SELECT meeting_id, MAX(present) AS peak FROM running GROUP BY meeting_id), \
         qa AS (SELECT q.meeting_id, COUNT(*) AS asked, \
           SUM(CASE WHEN q.status = 'ANSWERED' THEN 1 ELSE 0 END) AS answered \
           FROM {q} GROUP BY q.meeting_id), \
         pl AS (SELECT o.meeting_id, SUM(CASE WHEN o.launched_at IS NOT NULL THEN 1 ELSE 0 END) AS launched \
           FROM {o} GROUP BY o.meeting_id), \
         resp AS (SELECT o.meeting_id, COUNT(DISTINCT {PERSON_KEY}) AS respondents \
           FROM {o_resp} GROUP BY o.meeting_id) \
         SELECT d.meeting_id, d.account_id, \
           CAST(COALESCE(reg.registrants, 0) AS BIGINT) AS registrants, \
           CAST(COALESCE(reg.approved, 0) AS BIGINT) AS approved_registrants, \
           CAST(COALESCE(reg.attended, 0) AS BIGINT) AS attended_registrants, \
           CAST(COALESCE(att.people, 0) AS BIGINT) AS unique_attendees, \
           CAST(COALESCE(att.closed_seconds, 0) AS BIGINT) AS closed_seconds, \
           CAST(COALESCE(att.open_joins, 0) AS BIGINT) AS open_joins, \
           CAST(COALESCE(peak.peak, 0) AS BIGINT) AS peak_concurrent, \
           CAST(COALESCE(qa.asked, 0) AS BIGINT) AS questions_asked, \
           CAST(COALESCE(qa.answered, 0) AS BIGINT) AS questions_answered, \
           CAST(COALESCE(pl.launched, 0) AS BIGINT) AS polls_launched, \
           CAST(COALESCE(resp.respondents, 0) AS BIGINT) AS poll_respondents \
         FROM d LEFT JOIN reg ON reg.meeting_id = d.meeting_id LEFT JOIN att ON att.meeting_id = d.meeting_id \
           LEFT JOIN peak ON peak.meeting_id = d.meeting_id LEFT JOIN qa ON qa.meeting_id = d.meeting_id \
           LEFT JOIN pl ON pl.meeting_id = d.meeting_id LEFT JOIN resp ON resp.meeting_id = d.meeting_id",
        // Every join a `CROSS JOIN`: with plain joins, SQLite without statistics started
        // from `participant` and built an automatic index over all of its rows for each
        // statement (up to 13 s a settle in the 1k load).
        o_resp = "d CROSS JOIN poll o CROSS JOIN poll_question pq CROSS JOIN poll_response pr \
             CROSS JOIN participant p \
             WHERE o.meeting_id = d.meeting_id AND +o.account_id = d.account_id \
             AND pq.poll_id = o.id AND pr.question_id = pq.id \
             AND p.id = pr.participant_id AND p.role = 'ATTENDEE'",
    )
}

/// The figures of a batch of webinars, from `webinar_stat` (kept exact on write): one row
/// per webinar, every webinar has one. A webinar with an attendee still in counts its
/// attendees' seconds from their join rows up to now, as the raw rows give them.
pub async fn performance_of(
    sql: &Sql,
    account_id: i64,
    meeting_ids: &[i64],
) -> Result<Vec<PerformanceRow>> {
    let q = format!(
        "SELECT w.meeting_id AS parent_id, w.registrants, w.approved_registrants, \
           w.attended_registrants, w.unique_attendees, \
           CASE WHEN w.open_joins = 0 THEN w.closed_seconds ELSE \
             (SELECT CAST(COALESCE(SUM({SECONDS_IN}), 0) AS BIGINT) FROM participant p \
              WHERE p.meeting_id = w.meeting_id AND p.role = 'ATTENDEE') END AS attendee_seconds, \
           w.peak_concurrent, w.questions_asked, w.questions_answered, w.polls_launched, \
           w.poll_respondents \
         FROM webinar_stat w WHERE w.account_id = ? AND w.meeting_id {}",
        sql.in_ids()
    );
    let rows: Vec<Counts> = sql.all(&q, sql.scoped_ids(account_id, meeting_ids)).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}
