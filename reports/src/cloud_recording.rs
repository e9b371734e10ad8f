//! The Cloud Recording report: storage in use on each day against the plan's allowance, and the
//! recordings of the range with their files.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{FromQueryResult, Value};

use crate::{cursor::Keyset, sql::Sql, Result, Total};

/// The plan's cloud storage allowance, in bytes.
pub async fn storage_allowance(sql: &Sql, account_id: i64) -> Result<i64> {
    #[derive(FromQueryResult)]
    struct Allowance {
        bytes: i64,
    }
    let q = "SELECT cloud_storage_allowance_bytes AS bytes FROM account WHERE id = ?";
    Ok(sql
        .one::<Allowance>(q, vec![account_id.into()])
        .await?
        .map_or(0, |a| a.bytes))
}

/// One day of the range and the storage in use at its end, when the platform reported it.
#[derive(Debug, Clone, FromQueryResult)]
pub struct StorageDayRow {
    pub day: NaiveDate,
    pub usage_bytes: Option<i64>,
}

/// Every day of `days` (consecutive, in the account's zone), in order, each with its stored
/// usage: one statement.
pub async fn storage_days(
    sql: &Sql,
    account_id: i64,
    days: &[NaiveDate],
) -> Result<Vec<StorageDayRow>> {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return Ok(Vec::new());
    };
    let mut values: Vec<Value> = days.iter().map(|d| Value::from(*d)).collect();
    values.extend([
        Value::from(account_id),
        Value::from(*first),
        Value::from(*last),
    ]);
    let rows = vec!["(?)"; days.len()].join(", ");
    let q = format!(
        "WITH days (day) AS (VALUES {rows}), \
         stored AS (SELECT s.day, s.usage_bytes FROM storage_usage_daily s \
           WHERE s.account_id = ? AND s.day >= ? AND s.day <= ?) \
         SELECT d.day, u.usage_bytes FROM days d LEFT JOIN stored u ON u.day = d.day ORDER BY d.day"
    );
    Ok(sql.all(&q, values).await?)
}

/// The range's storage figures: how many days were reported, the peak, the days over the
/// allowance, and the usage on the last reported day.
#[derive(Debug, Clone, Default, FromQueryResult)]
pub struct StorageSummaryRow {
    pub days_reported: i64,
    pub peak_usage_bytes: Option<i64>,
    pub days_over_allowance: i64,
    pub latest_day: Option<NaiveDate>,
    pub latest_usage_bytes: Option<i64>,
}

pub async fn storage_summary(
    sql: &Sql,
    account_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<StorageSummaryRow> {
    let q = "WITH stored AS (SELECT s.day, s.usage_bytes FROM storage_usage_daily s \
               WHERE s.account_id = ? AND s.day >= ? AND s.day <= ?), \
             latest AS (SELECT day, usage_bytes FROM stored ORDER BY day DESC LIMIT 1) \
             SELECT (SELECT COUNT(*) FROM stored) AS days_reported, \
               (SELECT MAX(usage_bytes) FROM stored) AS peak_usage_bytes, \
               (SELECT COUNT(*) FROM stored, account a WHERE a.id = ? \
                  AND stored.usage_bytes > a.cloud_storage_allowance_bytes) AS days_over_allowance, \
               (SELECT day FROM latest) AS latest_day, \
               (SELECT usage_bytes FROM latest) AS latest_usage_bytes";
    let values = vec![account_id.into(), from.into(), to.into(), account_id.into()];
    Ok(sql.one(q, values).await?.unwrap_or_default())
}

/// The recordings a Cloud Recording report lists: the account's recordings that started in
/// `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordingFilter {
    pub account_id: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl RecordingFilter {
    fn values(&self) -> Vec<Value> {
        vec![self.account_id.into(), self.start.into(), self.end.into()]
    }
}

const RECORDINGS: &str = "r.account_id = ? AND r.start_time >= ? AND r.start_time < ?";

/// A page of recordings, by start time then id; one row more than `first` when more follow.
pub async fn recordings_page(
    sql: &Sql,
    filter: &RecordingFilter,
    first: usize,
    after: Option<&Keyset<i64>>,
) -> Result<Vec<entity::recording::Model>> {
    let mut values = filter.values();
    let mut q = format!("SELECT r.* FROM recording r WHERE {RECORDINGS}");
    if let Some(k) = after {
        q.push_str(" AND (r.start_time > ? OR (r.start_time = ? AND r.id > ?))");
        values.extend([k.time.into(), k.time.into(), k.tie.into()]);
    }
    q.push_str(" ORDER BY r.start_time, r.id LIMIT ?");
    values.push((first as i64 + 1).into());
    Ok(sql.all(&q, values).await?)
}

pub async fn recordings_count(sql: &Sql, filter: &RecordingFilter) -> Result<i64> {
    let q = format!("SELECT COUNT(*) AS n FROM recording r WHERE {RECORDINGS}");
    Ok(sql
        .one::<Total>(&q, filter.values())
        .await?
        .map_or(0, |t| t.n))
}

/// The files of several recordings, by recording then file type then id.
pub async fn files_of(
    sql: &Sql,
    account_id: i64,
    recording_ids: &[i64],
) -> Result<Vec<entity::recording_file::Model>> {
    if recording_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut values: Vec<Value> = vec![account_id.into()];
    values.push(sql.id_array(recording_ids));
    let q = format!(
        "SELECT * FROM recording_file WHERE account_id = ? AND recording_id {} \
         ORDER BY recording_id, file_type, id",
        sql.in_ids()
    );
    Ok(sql.all(&q, values).await?)
}

/// The recordings of the range added up.
#[derive(Debug, Clone, Default, FromQueryResult)]
pub struct RecordingFigures {
    pub recordings: i64,
    pub size_bytes: i64,
}

pub async fn recording_figures(sql: &Sql, filter: &RecordingFilter) -> Result<RecordingFigures> {
    let q = format!(
        "SELECT COUNT(*) AS recordings, CAST(COALESCE(SUM(r.total_size_bytes), 0) AS BIGINT) AS size_bytes \
         FROM recording r WHERE {RECORDINGS}"
    );
    Ok(sql.one(&q, filter.values()).await?.unwrap_or_default())
}

/// The files of the range's recordings, per file type.
#[derive(Debug, Clone, FromQueryResult)]
pub struct FileTypeRow {
    pub file_type: String,
    pub files: i64,
    pub size_bytes: i64,
}

pub async fn files_by_type(sql: &Sql, filter: &RecordingFilter) -> Result<Vec<FileTypeRow>> {
    let q = format!(
        "SELECT f.file_type, COUNT(*) AS files, CAST(SUM(f.size_bytes) AS BIGINT) AS size_bytes \
         FROM recording_file f JOIN recording r ON r.id = f.recording_id AND r.account_id = f.account_id \
         WHERE {RECORDINGS} GROUP BY f.file_type ORDER BY f.file_type"
    );
    Ok(sql.all(&q, filter.values()).await?)
}

/// The recordings of several meetings, in start order.
pub async fn recordings_of_meetings(
    sql: &Sql,
    account_id: i64,
    meeting_ids: &[i64],
) -> Result<Vec<entity::recording::Model>> {
    let q = format!(
        "SELECT * FROM recording WHERE account_id = ? AND meeting_id {} \
         ORDER BY meeting_id, start_time, id",
        sql.in_ids()
    );
    Ok(sql.all(&q, sql.scoped_ids(account_id, meeting_ids)).await?)
}

/// The files of several recordings.
pub async fn files_of_recordings(
    sql: &Sql,
    account_id: i64,
    recording_ids: &[i64],
) -> Result<Vec<entity::recording_file::Model>> {
    if recording_ids.is_empty() {
        return Ok(Vec::new());
    }
    let q = format!(
        "SELECT * FROM recording_file WHERE account_id = ? AND recording_id {} \
         ORDER BY recording_id, file_type, id",
        sql.in_ids()
    );
    Ok(sql
        .all(&q, sql.scoped_ids(account_id, recording_ids))
        .await?)
}
