//! The meetings and webinars in progress: every session with a start and no end yet (as
//! `MeetingSession.inProgress`), with its figures from the session aggregate (`session_stat`,
//! exact at every commit): the joins still in, and the people who joined.

use chrono::{DateTime, Utc};
use sea_orm::{FromQueryResult, Value};

use crate::{sql::Sql, Result};

/// One session in progress.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct LiveSessionRow {
    pub meeting_id: i64,
    pub session_id: i64,
    /// `MEETING` or `WEBINAR`.
    pub kind: String,
    pub topic: String,
    pub host_id: i64,
    pub host_email: Option<String>,
    pub start_time: DateTime<Utc>,
    /// Joins with no leave yet.
    pub participants_now: i64,
    /// People who joined (rejoins count once).
    pub participants_count: i64,
}

/// The account's sessions in progress, oldest start first; with `host_id` (a member's scope)
/// only those of the meetings and webinars that user hosts. Reads the account's unended
/// sessions through the partial index `ix_meeting_session_live`.
pub async fn live_sessions(
    sql: &Sql,
    account_id: i64,
    host_id: Option<i64>,
) -> Result<Vec<LiveSessionRow>> {
    let mut values = vec![Value::from(account_id)];
    let host = match host_id {
        Some(host) => {
            values.push(Value::from(host));
            " AND m.host_id = ?"
        }
        None => "",
    };
    let q = format!(
        "SELECT m.id AS meeting_id, s.id AS session_id, m.kind, m.topic, m.host_id, \
         u.email AS host_email, s.start_time, st.open_joins AS participants_now, \
         st.participants AS participants_count \
         FROM meeting_session s \
         JOIN meeting m ON m.id = s.meeting_id AND m.account_id = s.account_id \
         JOIN session_stat st ON st.session_id = s.id \
         LEFT JOIN app_user u ON u.id = m.host_id AND u.account_id = m.account_id \
         WHERE s.account_id = ? AND s.end_time IS NULL AND m.deleted_at IS NULL{host} \
         ORDER BY s.start_time, s.id"
    );
    Ok(sql.all(&q, values).await?)
}
