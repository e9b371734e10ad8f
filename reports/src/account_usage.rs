//! The admin Usage Reports tab's account-wide reports: Daily, Active hosts, Inactive hosts.
//!
//! They count sessions of meetings and webinars, as the portal does, with each session's
//! figures from [`session_figures`]: so the sum of a month's daily rows equals the active
//! hosts' totals, and both equal what `meetings` and `webinars` list.
//!
//! They read the aggregates ([`crate::aggregates`]), never the join rows: the daily report
//! adds up 15-minute buckets (a day in any zone is a run of whole buckets), the host reports
//! read one index of `session_stat`; sessions with a join still in add their minutes up to
//! now from their own join rows.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{FromQueryResult, Value};

#[cfg(doc)]
use crate::meetings::session_figures;
use crate::{
    aggregates::{minutes_of, BUCKET_SECONDS},
    sql::Sql,
    Result, Total,
};

/// One day of the Daily report.
#[derive(Debug, Clone, FromQueryResult)]
pub struct DailyRow {
    pub day: String,
    pub new_users: i64,
    pub meetings: i64,
    pub participants: i64,
    pub meeting_minutes: i64,
}

/// A day and the UTC instants it starts and ends in the report's zone.
pub type ReportDay = (NaiveDate, DateTime<Utc>, DateTime<Utc>);

/// Each of `days`, in one statement: the range's buckets (and its live sessions) are joined to
/// the day they fall in and added up per day. When a day of the zone does not start on a
/// bucket boundary (no zone today; a historical offset could), the range's sessions are read
/// instead, still from `session_stat`.
pub async fn daily_rows(sql: &Sql, account_id: i64, days: &[ReportDay]) -> Result<Vec<DailyRow>> {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return Ok(Vec::new());
    };
    let aligned = days.iter().all(|(_, start, end)| {
        start.timestamp() % BUCKET_SECONDS == 0 && end.timestamp() % BUCKET_SECONDS == 0
    });
    let mut values: Vec<Value> = Vec::new();
    let day_rows: Vec<String> = days
        .iter()
        .map(|(day, start, end)| {
            values.push(day.format("%Y-%m-%d").to_string().into());
            values.push((*start).into());
            values.push((*end).into());
            values.push(start.timestamp().into());
            values.push(end.timestamp().into());
            "(?, ?, ?, ?, ?)".to_owned()
        })
        .collect();
    let range = [
        Value::from(account_id),
        Value::from(first.1),
        Value::from(last.2),
    ];
    let sess = if aligned {
        values.extend([
            Value::from(account_id),
            Value::from(first.1.timestamp()),
            Value::from(last.2.timestamp()),
        ]);
        values.extend(range);
        format!(
            "SELECT b.bucket AS t, b.sessions AS n, b.participants, b.meeting_minutes \
             FROM usage_bucket b WHERE b.account_id = ? AND b.bucket >= ? AND b.bucket < ? \
             UNION ALL SELECT st.bucket, 1, st.participants, {} FROM session_stat st \
             WHERE st.account_id = ? AND st.start_time >= ? AND st.start_time < ? AND st.open_joins > 0",
            minutes_of("st")
        )
    } else {
        values.extend(range);
        format!(
            "SELECT unixepoch(st.start_time) AS t, 1 AS n, st.participants, {} AS meeting_minutes \
             FROM session_stat st WHERE st.account_id = ? AND st.start_time >= ? AND st.start_time < ?",
            minutes_of("st")
        )
    };
    values.push(Value::from(account_id));
    let q = format!(
        "WITH days (day, day_start, day_end, b0, b1) AS (VALUES {}), sess AS ({sess}) \
         SELECT d.day, \
           (SELECT COUNT(*) FROM app_user u WHERE u.account_id = ? \
              AND u.created_at >= d.day_start AND u.created_at < d.day_end) AS new_users, \
           CAST(COALESCE(SUM(sess.n), 0) AS BIGINT) AS meetings, \
           CAST(COALESCE(SUM(sess.participants), 0) AS BIGINT) AS participants, \
           CAST(COALESCE(SUM(sess.meeting_minutes), 0) AS BIGINT) AS meeting_minutes \
         FROM days d LEFT JOIN sess ON sess.t >= d.b0 AND sess.t < d.b1 \
         GROUP BY d.day, d.day_start, d.day_end ORDER BY d.day",
        day_rows.join(", "),
    );
    Ok(sql.all(&q, values).await?)
}

/// The figures of a set of sessions added up.
#[derive(Debug, Clone, Default, FromQueryResult)]
pub struct Figures {
    pub meetings: i64,
    pub participants: i64,
    pub meeting_minutes: i64,
}

/// Sessions of the account in `[start, end)` with their host: the rows every host report
/// aggregates.
fn sessions_cte(
    values: &mut Vec<Value>,
    account_id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> String {
    values.extend([
        Value::from(account_id),
        Value::from(start),
        Value::from(end),
    ]);
    format!(
        "sess AS (SELECT st.host_id, st.participants, {} AS meeting_minutes FROM session_stat st \
         WHERE st.account_id = ? AND st.start_time >= ? AND st.start_time < ?), \
         hosts AS (SELECT host_id, COUNT(*) AS meetings, CAST(SUM(participants) AS BIGINT) AS participants, \
         CAST(SUM(meeting_minutes) AS BIGINT) AS meeting_minutes FROM sess GROUP BY host_id)",
        minutes_of("st")
    )
}

/// The Active hosts report's summary: how many hosts were active in the range and the range's
/// totals over every session of the account (each session has one host, so they are the
/// hosts' figures added up).
#[derive(Debug, Clone, Default)]
pub struct HostsSummary {
    pub hosts: i64,
    pub totals: Figures,
}

impl FromQueryResult for HostsSummary {
    fn from_query_result(
        res: &sea_orm::QueryResult,
        pre: &str,
    ) -> std::result::Result<Self, sea_orm::DbErr> {
        Ok(Self {
            hosts: res.try_get(pre, "total_hosts")?,
            totals: Figures {
                meetings: res.try_get(pre, "total_meetings")?,
                participants: res.try_get(pre, "total_participants")?,
                meeting_minutes: res.try_get(pre, "total_meeting_minutes")?,
            },
        })
    }
}

/// The summary's select list over `hosts`.
const SUMMARY: &str = "COUNT(*) AS total_hosts, \
     CAST(COALESCE(SUM(meetings), 0) AS BIGINT) AS total_meetings, \
     CAST(COALESCE(SUM(participants), 0) AS BIGINT) AS total_participants, \
     CAST(COALESCE(SUM(meeting_minutes), 0) AS BIGINT) AS total_meeting_minutes";

/// The summary alone (when the page is empty and cannot carry it).
pub async fn hosts_summary(
    sql: &Sql,
    account_id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<HostsSummary> {
    let mut values = Vec::new();
    let q = format!(
        "WITH {} SELECT {SUMMARY} FROM hosts",
        sessions_cte(&mut values, account_id, start, end)
    );
    Ok(sql.one(&q, values).await?.unwrap_or_default())
}

/// What active hosts are sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostSort {
    Meetings,
    Participants,
    MeetingMinutes,
}

impl HostSort {
    fn column(self) -> &'static str {
        match self {
            HostSort::Meetings => "h.meetings",
            HostSort::Participants => "h.participants",
            HostSort::MeetingMinutes => "h.meeting_minutes",
        }
    }
}

/// An active host with their figures, and the report's summary (the same on every row).
#[derive(Debug, Clone)]
pub struct ActiveHostRow {
    pub user: entity::app_user::Model,
    pub figures: Figures,
    pub sort_value: i64,
    pub summary: HostsSummary,
}

impl FromQueryResult for ActiveHostRow {
    fn from_query_result(
        res: &sea_orm::QueryResult,
        pre: &str,
    ) -> std::result::Result<Self, sea_orm::DbErr> {
        Ok(Self {
            user: entity::app_user::Model::from_query_result(res, pre)?,
            figures: Figures::from_query_result(res, pre)?,
            sort_value: res.try_get(pre, "sort_value")?,
            summary: HostsSummary::from_query_result(res, pre)?,
        })
    }
}

/// A page of active hosts: users who held at least one session in the range, sorted by a
/// figure (then id); one row more than `first` when more follow. Every row carries the
/// report's summary, computed in the same statement from the same aggregated sessions.
#[allow(clippy::too_many_arguments)]
pub async fn active_hosts_page(
    sql: &Sql,
    account_id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    sort: HostSort,
    descending: bool,
    first: usize,
    after: Option<(i64, i64)>,
) -> Result<Vec<ActiveHostRow>> {
    let mut values = Vec::new();
    let col = sort.column();
    let mut q = format!(
        "WITH {}, tot AS (SELECT {SUMMARY} FROM hosts) \
         SELECT u.*, h.meetings, h.participants, h.meeting_minutes, {col} AS sort_value, tot.* \
         FROM hosts h JOIN app_user u ON u.id = h.host_id CROSS JOIN tot WHERE u.account_id = ?",
        sessions_cte(&mut values, account_id, start, end)
    );
    values.push(account_id.into());
    if let Some((value, id)) = after {
        let cmp = if descending { "<" } else { ">" };
        q.push_str(&format!(" AND ({col} {cmp} ? OR ({col} = ? AND u.id > ?))"));
        values.extend([value.into(), value.into(), id.into()]);
    }
    let dir = if descending { "DESC" } else { "ASC" };
    q.push_str(&format!(" ORDER BY {col} {dir}, u.id LIMIT ?"));
    values.push((first as i64 + 1).into());
    Ok(sql.all(&q, values).await?)
}

/// `u` held no session in the range.
const INACTIVE: &str = "u.account_id = ? AND NOT EXISTS (SELECT 1 FROM session_stat st \
     WHERE st.account_id = u.account_id AND st.host_id = u.id \
     AND st.start_time >= ? AND st.start_time < ?)";

/// A page of inactive hosts (users who held no session in the range), by email.
pub async fn inactive_hosts_page(
    sql: &Sql,
    account_id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    first: usize,
    after: Option<(String, i64)>,
) -> Result<Vec<entity::app_user::Model>> {
    let mut values: Vec<Value> = vec![account_id.into(), start.into(), end.into()];
    let mut q = format!("SELECT u.* FROM app_user u WHERE {INACTIVE}");
    if let Some((email, id)) = after {
        q.push_str(" AND (u.email > ? OR (u.email = ? AND u.id > ?))");
        values.extend([email.clone().into(), email.into(), id.into()]);
    }
    q.push_str(" ORDER BY u.email, u.id LIMIT ?");
    values.push((first as i64 + 1).into());
    Ok(sql.all(&q, values).await?)
}

pub async fn inactive_hosts_count(
    sql: &Sql,
    account_id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<i64> {
    let q = format!("SELECT COUNT(*) AS n FROM app_user u WHERE {INACTIVE}");
    let values = vec![account_id.into(), start.into(), end.into()];
    Ok(sql.one::<Total>(&q, values).await?.map_or(0, |t| t.n))
}
