//! The Phone System report: the platform's phone system call log, with durations and charges.
//! Money stays an exact integer count of millionths of the currency unit, summed by the
//! database.

use chrono::{DateTime, Utc};
use sea_orm::{FromQueryResult, Value};

use crate::{cursor::Keyset, money::CurrencySum, sql::Sql, Result, Total};

/// The account's phone system plan; `None` when it has none.
pub async fn phone_plan(sql: &Sql, account_id: i64) -> Result<Option<String>> {
    #[derive(FromQueryResult)]
    struct Plan {
        phone_plan: Option<String>,
    }
    let q = "SELECT phone_plan FROM account WHERE id = ?";
    Ok(sql
        .one::<Plan>(q, vec![account_id.into()])
        .await?
        .and_then(|p| p.phone_plan))
}

/// The calls a Phone System report covers: the account's calls that started in `[start, end)`,
/// optionally of one direction (`INBOUND` | `OUTBOUND`) and one result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneCallFilter {
    pub account_id: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub direction: Option<&'static str>,
    pub result: Option<&'static str>,
}

impl PhoneCallFilter {
    /// The `WHERE` condition on `phone_call c`, its values pushed onto `values`.
    fn condition(&self, values: &mut Vec<Value>) -> String {
        values.extend([
            Value::from(self.account_id),
            Value::from(self.start),
            Value::from(self.end),
        ]);
        let mut c = String::from("c.account_id = ? AND c.start_time >= ? AND c.start_time < ?");
        if let Some(direction) = self.direction {
            c.push_str(" AND c.direction = ?");
            values.push(direction.into());
        }
        if let Some(result) = self.result {
            c.push_str(" AND c.result = ?");
            values.push(result.into());
        }
        c
    }
}

/// A page of calls, by start time then id; one row more than `first` when more follow.
pub async fn phone_calls_page(
    sql: &Sql,
    filter: &PhoneCallFilter,
    first: usize,
    after: Option<&Keyset<i64>>,
) -> Result<Vec<entity::phone_call::Model>> {
    let mut values = Vec::new();
    let mut q = format!(
        "SELECT c.* FROM phone_call c WHERE {}",
        filter.condition(&mut values)
    );
    if let Some(k) = after {
        q.push_str(" AND (c.start_time > ? OR (c.start_time = ? AND c.id > ?))");
        values.extend([k.time.into(), k.time.into(), k.tie.into()]);
    }
    q.push_str(" ORDER BY c.start_time, c.id LIMIT ?");
    values.push((first as i64 + 1).into());
    Ok(sql.all(&q, values).await?)
}

pub async fn phone_calls_count(sql: &Sql, filter: &PhoneCallFilter) -> Result<i64> {
    let mut values = Vec::new();
    let q = format!(
        "SELECT COUNT(*) AS n FROM phone_call c WHERE {}",
        filter.condition(&mut values)
    );
    Ok(sql.one::<Total>(&q, values).await?.map_or(0, |t| t.n))
}

/// The calls' figures added up. `minutes` adds each call's duration rounded up to whole
/// minutes, as calls are charged.
#[derive(Debug, Clone, Default, FromQueryResult)]
pub struct PhoneCallFigures {
    pub calls: i64,
    pub answered: i64,
    pub duration_seconds: i64,
    pub minutes: i64,
}

pub async fn phone_call_figures(sql: &Sql, filter: &PhoneCallFilter) -> Result<PhoneCallFigures> {
    let mut values = Vec::new();
    let q = format!(
        "SELECT COUNT(*) AS calls, \
         CAST(COALESCE(SUM(CASE WHEN c.result = 'ANSWERED' THEN 1 ELSE 0 END), 0) AS BIGINT) AS answered, \
         CAST(COALESCE(SUM(c.duration_seconds), 0) AS BIGINT) AS duration_seconds, \
         CAST(COALESCE(SUM((c.duration_seconds + 59) / 60), 0) AS BIGINT) AS minutes \
         FROM phone_call c WHERE {}",
        filter.condition(&mut values)
    );
    Ok(sql.one(&q, values).await?.unwrap_or_default())
}

/// The calls' charges per currency.
pub async fn phone_call_charges(sql: &Sql, filter: &PhoneCallFilter) -> Result<Vec<CurrencySum>> {
    let mut values = Vec::new();
    let q = format!(
        "SELECT c.currency, COUNT(*) AS calls, CAST(SUM(c.charge_micros) AS BIGINT) AS micros \
         FROM phone_call c WHERE {} GROUP BY c.currency ORDER BY c.currency",
        filter.condition(&mut values)
    );
    Ok(sql.all(&q, values).await?)
}
