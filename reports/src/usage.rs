//! The Usage report (member tab): the meetings and webinars a host held in a range, one row
//! per session, with its participants and meeting minutes, and the range's totals.
//!
//! A session's figures are those every usage report uses: participants are people (rejoins
//! count once), meeting minutes are the sum of every join's seconds ÷ 60, rounded up, per
//! session. Totals add up the sessions' figures.

use chrono::{DateTime, Utc};
use sea_orm::{FromQueryResult, QueryResult, Value};

use crate::{aggregates::minutes_of, sql::Sql, Result};

/// One session of a host's meeting or webinar.
#[derive(Debug, Clone)]
pub struct UsageSessionRow {
    pub meeting: entity::meeting::Model,
    pub session_id: i64,
    pub session_source_id: String,
    pub session_start: DateTime<Utc>,
    pub session_end: Option<DateTime<Utc>>,
    pub participants: i64,
    pub meeting_minutes: i64,
}

impl FromQueryResult for UsageSessionRow {
    fn from_query_result(
        res: &QueryResult,
        pre: &str,
    ) -> std::result::Result<Self, sea_orm::DbErr> {
        Ok(Self {
            meeting: entity::meeting::Model::from_query_result(res, pre)?,
            session_id: res.try_get(pre, "session_id")?,
            session_source_id: res.try_get(pre, "session_source_id")?,
            session_start: res.try_get(pre, "session_start")?,
            session_end: res.try_get(pre, "session_end")?,
            participants: res.try_get(pre, "participants")?,
            meeting_minutes: res.try_get(pre, "meeting_minutes")?,
        })
    }
}

/// The host's sessions in `[start, end)`, oldest first.
pub async fn usage_sessions(
    sql: &Sql,
    account_id: i64,
    host_id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<UsageSessionRow>> {
    let q = format!(
        "SELECT m.*, s.id AS session_id, s.source_id AS session_source_id, s.start_time AS session_start, \
         s.end_time AS session_end, st.participants, {} AS meeting_minutes \
         FROM session_stat st JOIN meeting_session s ON s.id = st.session_id \
         JOIN meeting m ON m.id = st.meeting_id \
         WHERE st.account_id = ? AND st.host_id = ? AND m.account_id = ? \
         AND st.start_time >= ? AND st.start_time < ? ORDER BY st.start_time, st.session_id",
        minutes_of("st")
    );
    let values = vec![
        Value::from(account_id),
        Value::from(host_id),
        Value::from(account_id),
        Value::from(start),
        Value::from(end),
    ];
    Ok(sql.all(&q, values).await?)
}
