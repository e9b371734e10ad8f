//! The Remote Support report: who supported whom, in which meeting, how long they waited.

use chrono::{DateTime, Utc};
use sea_orm::Value;

use crate::{cursor::Keyset, sql::Sql, Result, Total};

/// Sessions requested in `[start, end)`, by request time then id.
pub async fn remote_support_page(
    sql: &Sql,
    account_id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    first: usize,
    after: Option<&Keyset<i64>>,
) -> Result<Vec<entity::remote_support_session::Model>> {
    let mut values: Vec<Value> = vec![account_id.into(), start.into(), end.into()];
    let mut q = String::from(
        "SELECT * FROM remote_support_session r WHERE r.account_id = ? AND r.requested_at >= ? AND r.requested_at < ?",
    );
    if let Some(k) = after {
        q.push_str(" AND (r.requested_at > ? OR (r.requested_at = ? AND r.id > ?))");
        values.extend([k.time.into(), k.time.into(), k.tie.into()]);
    }
    q.push_str(" ORDER BY r.requested_at, r.id LIMIT ?");
    values.push((first as i64 + 1).into());
    Ok(sql.all(&q, values).await?)
}

pub async fn remote_support_count(
    sql: &Sql,
    account_id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<i64> {
    let q = "SELECT COUNT(*) AS n FROM remote_support_session r \
             WHERE r.account_id = ? AND r.requested_at >= ? AND r.requested_at < ?";
    let values = vec![account_id.into(), start.into(), end.into()];
    Ok(sql.one::<Total>(q, values).await?.map_or(0, |t| t.n))
}
