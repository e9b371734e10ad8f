//! The expiry of meetings that never started (DESIGN §4): a meeting not started within 30 days
//! of its scheduled time is deleted together with its reports (registrants, polls, Q&A: the
//! foreign keys cascade), and each deletion is written to the account's operation log.
//!
//! Each meeting goes in its own transaction, which re-checks the rule as it deletes: a crash
//! leaves no half-deleted meeting, and a session stored meanwhile saves the meeting. Running it
//! again finds nothing more to do.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbErr, FromQueryResult, TransactionTrait, Value,
};

use crate::sql::statement;

/// The rule: scheduled, with a fixed time more than `expiry` ago, never started. Recurring
/// meetings with no fixed time never expire this way.
const EXPIRED: &str = "m.scheduled_start IS NOT NULL AND m.scheduled_start < ? \
     AND m.meeting_type <> 'RECURRING_NO_FIXED_TIME' \
     AND NOT EXISTS (SELECT 1 FROM meeting_session s WHERE s.meeting_id = m.id)";

#[derive(Debug, Clone, FromQueryResult)]
struct Candidate {
    id: i64,
    account_id: i64,
    source_id: String,
    kind: String,
    meeting_number: i64,
    topic: String,
    scheduled_start: Option<DateTime<Utc>>,
}

/// Deletes every expired meeting of every account; returns how many it deleted.
pub async fn prune_expired(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    expiry: Duration,
) -> Result<u64, DbErr> {
    Ok(prune_expired_by_account(db, now, expiry)
        .await?
        .values()
        .sum())
}

/// [`prune_expired`], saying how many it deleted in each account (each deletion committed
/// before the next: the live updates are told of them once this returns).
pub async fn prune_expired_by_account(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    expiry: Duration,
) -> Result<BTreeMap<i64, u64>, DbErr> {
    let backend = db.get_database_backend();
    let cutoff = now - expiry;
    let candidates = Candidate::find_by_statement(statement(
        backend,
        &format!(
            "SELECT m.id, m.account_id, m.source_id, m.kind, m.meeting_number, m.topic, m.scheduled_start \
             FROM meeting m WHERE {EXPIRED} ORDER BY m.id"
        ),
        vec![cutoff.into()],
    ))
    .all(db)
    .await?;
    let mut deleted = BTreeMap::new();
    for m in candidates {
        let txn = db.begin().await?;
        let result = txn
            .execute_raw(statement(
                backend,
                &format!("DELETE FROM meeting WHERE id = ? AND id IN (SELECT m.id FROM meeting m WHERE {EXPIRED})"),
                vec![m.id.into(), cutoff.into()],
            ))
            .await?;
        if result.rows_affected() == 1 {
            let scheduled = m
                .scheduled_start
                .map(|t| t.to_rfc3339())
                .unwrap_or_default();
            let what = if m.kind == "WEBINAR" {
                "webinar"
            } else {
                "meeting"
            };
            txn.execute_raw(statement(
                backend,
                "INSERT INTO operation_log (account_id, source_id, occurred_at, operator_id, operator_email, \
                 category, action, detail) VALUES (?, ?, ?, NULL, 'system', ?, 'Delete', ?)",
                vec![
                    Value::from(m.account_id),
                    Value::from(format!("expiry-{}", m.source_id)),
                    Value::from(now),
                    Value::from(if m.kind == "WEBINAR" { "WEBINAR" } else { "MEETING" }),
                    Value::from(format!(
                        "Deleted {what} {} \"{}\" with its reports: scheduled for {scheduled}, never started within {} days",
                        m.meeting_number,
                        m.topic,
                        expiry.num_days()
                    )),
                ],
            ))
            .await?;
            *deleted.entry(m.account_id).or_insert(0) += 1;
        }
        // Only meetings that never started go, so no session figure moves; settled all the
        // same, so no path commits a listed session.
        crate::aggregates::settle(&txn).await?;
        txn.commit().await?;
    }
    Ok(deleted)
}
