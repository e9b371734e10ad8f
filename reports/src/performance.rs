//! The webinar Performance report: every figure is one aggregate of the same rows the
//! registration, attendee, Q&A and poll reports list, computed by the database in one statement
//! for a batch of webinars.

use sea_orm::{FromQueryResult, Value};

use crate::{sql::Sql, Result, PERSON_KEY, SECONDS_IN};

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

pub async fn performance_of(
    sql: &Sql,
    account_id: i64,
    meeting_ids: &[i64],
) -> Result<Vec<PerformanceRow>> {
    let ids = sql.in_ids();
    // Each CTE takes (account, ids...) in this order; `scope` repeats them.
    let scope =
        |alias: &str, column: &str| format!("{alias}.account_id = ? AND {alias}.{column} {ids}");
    // The webinars are the driving table and every figure a grouped CTE joined to it by
    // meeting id (the shape SQLite 3.50 plans best: wrapping the join in a further CTE made the
    // statement three times slower on the 10k bench data). A registrant attended when a join
    // is linked to them or, unlinked, carries their email (`registration::MATCHES_REGISTRANT`):
    // both sets are read once per webinar and looked up, not scanned once per registrant (50
    // webinars of ~600 registrants and ~500 joins each took 8 s on the 1k-user bench data).
    let q = format!(
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
         att AS (SELECT p.meeting_id, COUNT(DISTINCT {PERSON_KEY}) AS people, \
           CAST(SUM({SECONDS_IN}) AS BIGINT) AS seconds \
           FROM participant p WHERE {p} AND p.role = 'ATTENDEE' GROUP BY p.meeting_id), \
         ev AS (SELECT p.meeting_id, p.join_time AS at_time, 1 AS delta FROM participant p WHERE {p} \
           UNION ALL SELECT p.meeting_id, p.leave_time AS at_time, -1 AS delta FROM participant p WHERE {p} \
           AND p.leave_time IS NOT NULL), \
         running AS (SELECT meeting_id, SUM(delta) OVER (PARTITION BY meeting_id ORDER BY at_time, delta \
           ROWS UNBOUNDED PRECEDING) AS present FROM ev), \
         peak AS (SELECT meeting_id, MAX(present) AS peak FROM running GROUP BY meeting_id), \
         qa AS (SELECT q.meeting_id, COUNT(*) AS asked, \
           SUM(CASE WHEN q.status = 'ANSWERED' THEN 1 ELSE 0 END) AS answered \
           FROM qa_question q WHERE {q} GROUP BY q.meeting_id), \
         pl AS (SELECT o.meeting_id, SUM(CASE WHEN o.launched_at IS NOT NULL THEN 1 ELSE 0 END) AS launched \
           FROM poll o WHERE {o} GROUP BY o.meeting_id), \
         resp AS (SELECT o.meeting_id, COUNT(DISTINCT {PERSON_KEY}) AS respondents \
           FROM poll o JOIN poll_question pq ON pq.poll_id = o.id \
           JOIN poll_response pr ON pr.question_id = pq.id \
           JOIN participant p ON p.id = pr.participant_id AND p.role = 'ATTENDEE' \
           WHERE {o} GROUP BY o.meeting_id) \
         SELECT m.id AS parent_id, \
           CAST(COALESCE(reg.registrants, 0) AS BIGINT) AS registrants, \
           CAST(COALESCE(reg.approved, 0) AS BIGINT) AS approved_registrants, \
           CAST(COALESCE(reg.attended, 0) AS BIGINT) AS attended_registrants, \
           CAST(COALESCE(att.people, 0) AS BIGINT) AS unique_attendees, \
           CAST(COALESCE(att.seconds, 0) AS BIGINT) AS attendee_seconds, \
           CAST(COALESCE(peak.peak, 0) AS BIGINT) AS peak_concurrent, \
           CAST(COALESCE(qa.asked, 0) AS BIGINT) AS questions_asked, \
           CAST(COALESCE(qa.answered, 0) AS BIGINT) AS questions_answered, \
           CAST(COALESCE(pl.launched, 0) AS BIGINT) AS polls_launched, \
           CAST(COALESCE(resp.respondents, 0) AS BIGINT) AS poll_respondents \
         FROM meeting m LEFT JOIN reg ON reg.meeting_id = m.id LEFT JOIN att ON att.meeting_id = m.id \
           LEFT JOIN peak ON peak.meeting_id = m.id LEFT JOIN qa ON qa.meeting_id = m.id \
           LEFT JOIN pl ON pl.meeting_id = m.id LEFT JOIN resp ON resp.meeting_id = m.id \
         WHERE {w}",
        w = scope("m", "id"),
        r = scope("r", "meeting_id"),
        p = scope("p", "meeting_id"),
        q = scope("q", "meeting_id"),
        o = scope("o", "meeting_id"),
    );
    // Placeholders in order of appearance: linked p, emailed p, r, att p, ev p (twice), q,
    // pl o, resp o, then w.
    let mut values: Vec<Value> = Vec::new();
    for _ in 0..10 {
        values.push(account_id.into());
        values.push(sql.id_array(meeting_ids));
    }
    let rows: Vec<Counts> = sql.all(&q, values).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}
