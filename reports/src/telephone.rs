//! The Telephone report: who joined meetings by phone, the numbers dialled, and what it cost.
//! Money stays an exact integer count of millionths of the currency unit, summed by the
//! database.

use chrono::{DateTime, Utc};
use sea_orm::{FromQueryResult, QueryResult, Value};

use crate::{cursor::Keyset, money::CurrencySum, sql::Sql, Result, Total};

/// The legs a Telephone report covers: the account's legs that started in `[start, end)`,
/// optionally of one call type (`TOLL_FREE` | `TOLL` | `CALL_OUT` | `SIP`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelephoneFilter {
    pub account_id: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub call_type: Option<&'static str>,
}

impl TelephoneFilter {
    /// The `WHERE` condition on `telephone_call t`, its values pushed onto `values`.
    fn condition(&self, values: &mut Vec<Value>) -> String {
        values.extend([
            Value::from(self.account_id),
            Value::from(self.start),
            Value::from(self.end),
        ]);
        let mut c = String::from("t.account_id = ? AND t.start_time >= ? AND t.start_time < ?");
        if let Some(call_type) = self.call_type {
            c.push_str(" AND t.call_type = ?");
            values.push(call_type.into());
        }
        c
    }
}

/// A leg with the name and email of the participant it belongs to.
#[derive(Debug, Clone)]
pub struct TelephoneLegRow {
    pub leg: entity::telephone_call::Model,
    pub participant_name: Option<String>,
    pub participant_email: Option<String>,
}

impl FromQueryResult for TelephoneLegRow {
    fn from_query_result(
        res: &QueryResult,
        pre: &str,
    ) -> std::result::Result<Self, sea_orm::DbErr> {
        Ok(Self {
            leg: entity::telephone_call::Model::from_query_result(res, pre)?,
            participant_name: res.try_get(pre, "participant_name")?,
            participant_email: res.try_get(pre, "participant_email")?,
        })
    }
}

/// A page of legs, by start time then id; one row more than `first` when more follow.
pub async fn telephone_page(
    sql: &Sql,
    filter: &TelephoneFilter,
    first: usize,
    after: Option<&Keyset<i64>>,
) -> Result<Vec<TelephoneLegRow>> {
    let mut values = Vec::new();
    let mut q = format!(
        "SELECT t.*, p.name AS participant_name, p.email AS participant_email FROM telephone_call t \
         LEFT JOIN participant p ON p.id = t.participant_id AND p.account_id = t.account_id \
         WHERE {}",
        filter.condition(&mut values)
    );
    if let Some(k) = after {
        q.push_str(" AND (t.start_time > ? OR (t.start_time = ? AND t.id > ?))");
        values.extend([k.time.into(), k.time.into(), k.tie.into()]);
    }
    q.push_str(" ORDER BY t.start_time, t.id LIMIT ?");
    values.push((first as i64 + 1).into());
    Ok(sql.all(&q, values).await?)
}

pub async fn telephone_count(sql: &Sql, filter: &TelephoneFilter) -> Result<i64> {
    let mut values = Vec::new();
    let q = format!(
        "SELECT COUNT(*) AS n FROM telephone_call t WHERE {}",
        filter.condition(&mut values)
    );
    Ok(sql.one::<Total>(&q, values).await?.map_or(0, |t| t.n))
}

/// The legs' duration figures added up. A leg is charged per started minute, so `minutes`
/// adds each leg's duration rounded up to whole minutes.
#[derive(Debug, Clone, Default, FromQueryResult)]
pub struct TelephoneFigures {
    pub calls: i64,
    pub duration_seconds: i64,
    pub minutes: i64,
}

pub async fn telephone_figures(sql: &Sql, filter: &TelephoneFilter) -> Result<TelephoneFigures> {
    let mut values = Vec::new();
    let q = format!(
        "SELECT COUNT(*) AS calls, CAST(COALESCE(SUM(t.duration_seconds), 0) AS BIGINT) AS duration_seconds, \
         CAST(COALESCE(SUM((t.duration_seconds + 59) / 60), 0) AS BIGINT) AS minutes \
         FROM telephone_call t WHERE {}",
        filter.condition(&mut values)
    );
    Ok(sql.one(&q, values).await?.unwrap_or_default())
}

/// The legs' total cost per currency.
pub async fn telephone_costs(sql: &Sql, filter: &TelephoneFilter) -> Result<Vec<CurrencySum>> {
    let mut values = Vec::new();
    let q = format!(
        "SELECT t.currency, COUNT(*) AS calls, CAST(SUM(t.total_cost_micros) AS BIGINT) AS micros \
         FROM telephone_call t WHERE {} GROUP BY t.currency ORDER BY t.currency",
        filter.condition(&mut values)
    );
    Ok(sql.all(&q, values).await?)
}

/// The phone legs of several meetings, in start order.
pub async fn legs_of_meetings(
    sql: &Sql,
    account_id: i64,
    meeting_ids: &[i64],
) -> Result<Vec<TelephoneLegRow>> {
    let q = format!(
        "SELECT t.*, p.name AS participant_name, p.email AS participant_email FROM telephone_call t \
         LEFT JOIN participant p ON p.id = t.participant_id AND p.account_id = t.account_id \
         WHERE t.account_id = ? AND t.meeting_id {} ORDER BY t.meeting_id, t.start_time, t.id",
        sql.in_ids()
    );
    Ok(sql.all(&q, sql.scoped_ids(account_id, meeting_ids)).await?)
}
