//! Upcoming events: meetings and webinars scheduled to start in a range, optionally with the
//! recurring meetings that have no fixed time (which have no start to place in a range).

use chrono::{DateTime, Utc};
use sea_orm::Value;

use crate::{cursor::Keyset, like_pattern, sql::Sql, Result, Sorted, Total};

/// Which events the list holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UpcomingFilter {
    pub account_id: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Matches the host's email or name.
    pub search: Option<String>,
    pub include_no_fixed_time: bool,
}

/// Events with no fixed time sort after every dated one: as if at 9999-12-31T23:59:59Z.
pub fn no_fixed_time_sort() -> DateTime<Utc> {
    DateTime::from_timestamp(253_402_300_799, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

impl UpcomingFilter {
    fn conditions(&self, values: &mut Vec<Value>) -> String {
        values.extend([
            Value::from(self.account_id),
            Value::from(self.start),
            Value::from(self.end),
        ]);
        let mut q = String::from(
            "m.account_id = ? AND m.deleted_at IS NULL AND ((m.scheduled_start >= ? AND m.scheduled_start < ?)",
        );
        if self.include_no_fixed_time {
            q.push_str(" OR m.meeting_type = 'RECURRING_NO_FIXED_TIME'");
        }
        q.push(')');
        if let Some(search) = self.search.as_deref().filter(|s| !s.trim().is_empty()) {
            let pattern = like_pattern(search);
            q.push_str(
                " AND EXISTS (SELECT 1 FROM app_user u WHERE u.id = m.host_id AND (LOWER(u.email) LIKE ? ESCAPE '\\' \
                 OR LOWER(u.first_name || ' ' || u.last_name) LIKE ? ESCAPE '\\'))",
            );
            values.push(pattern.clone().into());
            values.push(pattern.into());
        }
        q
    }
}

/// A page of upcoming events by start (no fixed time last), then id.
pub async fn upcoming_page(
    sql: &Sql,
    filter: &UpcomingFilter,
    first: usize,
    after: Option<&Keyset<i64>>,
) -> Result<Vec<Sorted<entity::meeting::Model>>> {
    let mut values: Vec<Value> = vec![no_fixed_time_sort().into()];
    let mut q = format!(
        "SELECT * FROM (SELECT m.*, COALESCE(m.scheduled_start, ?) AS sort_time FROM meeting m WHERE {}) x",
        filter.conditions(&mut values)
    );
    if let Some(k) = after {
        q.push_str(" WHERE (x.sort_time > ? OR (x.sort_time = ? AND x.id > ?))");
        values.extend([k.time.into(), k.time.into(), k.tie.into()]);
    }
    q.push_str(" ORDER BY x.sort_time, x.id LIMIT ?");
    values.push((first as i64 + 1).into());
    Ok(sql.all(&q, values).await?)
}

pub async fn upcoming_count(sql: &Sql, filter: &UpcomingFilter) -> Result<i64> {
    let mut values = Vec::new();
    let q = format!(
        "SELECT COUNT(*) AS n FROM meeting m WHERE {}",
        filter.conditions(&mut values)
    );
    Ok(sql.one::<Total>(&q, values).await?.map_or(0, |t| t.n))
}
