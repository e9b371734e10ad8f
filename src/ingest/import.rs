//! `meeting-reports import FILE|-`: the same envelopes as the webhooks, one JSON object per line
//! (NDJSON), without signatures: for backfills and for moving data between instances.
//!
//! Each event goes through the event store like a webhook delivery, [`BATCH`] events to a
//! transaction, so an import is resumable: after a crash a re-run finds what was committed by
//! its identity and changes nothing, and applies the rest (a batch cut short was rolled back
//! whole). A line that is not an event is reported with its number and
//! kept in the dead letter; the import goes on.

use std::{
    io::BufRead,
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use reports::Error;
use sea_orm::DatabaseConnection;

use super::{
    batch::{ingest_batch, Incoming},
    events::{keep_unreadable, Stored, TransactionAccounts, APPLIED},
    webhooks::Envelope,
};

/// Lines per transaction. With one commit per event an import spent its time committing (444
/// events/s on SQLite for 20,000 sign-ins); a batch holds the writer for a fraction of a second.
pub const BATCH: u64 = 500;

/// Lines between two refreshes of the planner's statistics (`db::refresh_statistics`, also run
/// when the import ends): a backfill into an empty database grows its tables a thousandfold,
/// and the reports served beside it must not plan as if they were still empty.
pub const STATISTICS_LINES: u64 = 20 * BATCH;

/// What an import did so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Lines read, blank ones included.
    pub lines: u64,
    pub applied: u64,
    /// Stored but not applied (unknown account, a type not applied, a refusal): in the dead
    /// letter, for `events replay`.
    pub failed: u64,
    /// Stored before (a re-run, or an event twice in the file): nothing changed.
    pub duplicates: u64,
    /// Lines that are not events, with their number and why (also in the dead letter).
    pub bad_lines: Vec<(u64, String)>,
    /// Joins and leaves applied one by one, not with the rest of their batch, because one of
    /// them was refused (the others are applied all the same; see `batch.rs`).
    pub joins_one_by_one: u64,
}

impl ImportSummary {
    pub fn events(&self) -> u64 {
        self.applied + self.failed + self.duplicates
    }
}

/// Imports every line of `input`; `progress` is called about once a second with the summary
/// so far and the time since the start.
pub async fn import(
    db: &DatabaseConnection,
    input: impl BufRead,
    now: DateTime<Utc>,
    mut progress: impl FnMut(&ImportSummary, Duration),
) -> Result<ImportSummary, Error> {
    let started = Instant::now();
    let mut last_report = started;
    let mut summary = ImportSummary::default();
    let mut pending: Vec<(Envelope, String)> = Vec::new();
    for line in input.lines() {
        let line = line.map_err(|e| Error::bad_input(format!("cannot read the input: {e}")))?;
        summary.lines += 1;
        let number = summary.lines;
        let text = line.trim();
        if !text.is_empty() {
            match Envelope::parse(text.as_bytes()) {
                Ok(envelope) => pending.push((envelope, text.to_owned())),
                Err(err) => {
                    let reason = format!("line {number}: {}", err.message());
                    keep_unreadable(db, text, reason, now).await?;
                    summary.bad_lines.push((number, err.message()));
                }
            }
        }
        if number % BATCH == 0 {
            store(db, &mut pending, now, &mut summary).await?;
            if number % STATISTICS_LINES == 0 {
                refresh_statistics(db).await;
            }
        }
        if last_report.elapsed() >= Duration::from_secs(1) {
            last_report = Instant::now();
            progress(&summary, started.elapsed());
        }
    }
    store(db, &mut pending, now, &mut summary).await?;
    refresh_statistics(db).await;
    progress(&summary, started.elapsed());
    Ok(summary)
}

/// Stores and applies the lines read since the last batch, in one transaction.
async fn store(
    db: &DatabaseConnection,
    pending: &mut Vec<(Envelope, String)>,
    now: DateTime<Utc>,
    summary: &mut ImportSummary,
) -> Result<(), Error> {
    if pending.is_empty() {
        return Ok(());
    }
    let batch: Vec<Incoming> = pending
        .iter()
        .map(|(envelope, body)| Incoming {
            envelope,
            body,
            now,
        })
        .collect();
    let tx = super::events::begin_write(db).await?;
    let ingested = ingest_batch(&tx, &mut TransactionAccounts::default(), &batch).await?;
    super::events::commit(tx).await?;
    summary.joins_one_by_one += ingested.joins_one_by_one;
    for stored in ingested.stored {
        match stored {
            Stored::New { status, .. } if status == APPLIED => summary.applied += 1,
            Stored::New { .. } => summary.failed += 1,
            Stored::Duplicate { .. } => summary.duplicates += 1,
        }
    }
    pending.clear();
    Ok(())
}

/// Statistics make plans faster, not reports right: a refresh that fails is logged and the
/// import goes on (the server's own schedule catches up).
async fn refresh_statistics(db: &DatabaseConnection) {
    if let Err(err) = crate::db::refresh_statistics(db).await {
        tracing::warn!(error = %err, "refreshing the planner statistics failed");
    }
}
