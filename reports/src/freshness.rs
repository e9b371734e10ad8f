//! How fresh a report is: the newest stored event it reflects (`dataAsOf`). Rows are in the
//! reports as soon as they are stored, so this is the time of the newest stored row.

use chrono::{DateTime, Utc};
use sea_orm::{FromQueryResult, Value};

use crate::{sql::Sql, Result};

/// The newest stored event a report reflects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FreshnessSource {
    /// Meeting activity: session starts and ends, joins and leaves.
    Meetings,
    /// The operation log.
    OperationLogs,
    /// Sign-in and sign-out events.
    SignIns,
    /// Invoices (their issue time).
    Billing,
}

/// The newest event time of the account stored for `source`; null when nothing is stored.
pub async fn data_as_of(
    sql: &Sql,
    account_id: i64,
    source: FreshnessSource,
) -> Result<Option<DateTime<Utc>>> {
    #[derive(FromQueryResult)]
    struct Newest {
        newest: Option<DateTime<Utc>>,
    }
    let (q, n) = match source {
        // A stored join row means its meeting's data is in every report at once: no delay.
        FreshnessSource::Meetings => (
            "SELECT MAX(t) AS newest FROM (SELECT MAX(leave_time) AS t FROM participant WHERE account_id = ? \
             UNION ALL SELECT MAX(join_time) AS t FROM participant WHERE account_id = ? \
             UNION ALL SELECT MAX(start_time) AS t FROM meeting_session WHERE account_id = ?) x",
            3,
        ),
        FreshnessSource::OperationLogs => (
            "SELECT MAX(occurred_at) AS newest FROM operation_log WHERE account_id = ?",
            1,
        ),
        FreshnessSource::SignIns => (
            "SELECT MAX(occurred_at) AS newest FROM sign_in_event WHERE account_id = ?",
            1,
        ),
        FreshnessSource::Billing => (
            "SELECT MAX(issued_at) AS newest FROM billing_invoice WHERE account_id = ?",
            1,
        ),
    };
    let values = (0..n).map(|_| Value::from(account_id)).collect();
    Ok(sql.one::<Newest>(q, values).await?.and_then(|r| r.newest))
}
