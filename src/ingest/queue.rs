//! Group commit for webhook deliveries. A delivery is answered 200 only once it is committed,
//! and commits are serial (SQLite has one writer; on PostgreSQL an account's events take its
//! lock), so sixteen platform connections delivering at once ran at the rate of one. The
//! deliveries are queued to one writer task instead, which stores and applies whatever has
//! queued (up to [`MAX_BATCH`]) in one transaction (`batch.rs`: identities checked and events
//! stored in one statement each, the joins applied together), and answers every delivery of the batch after the commit: nothing is answered before it is
//! durable, and a busy server commits many events at once.
//!
//! A database error inside a batch rolls the batch back and its events are then committed one
//! by one, so one event's failure (answered 500, retried by the platform) never fails the
//! others.
//!
//! After each commit the writer tells the change bus what it changed (`changes.rs`), before it
//! answers the deliveries; a batch rolled back publishes nothing.

use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use reports::Error;
use sea_orm::DatabaseConnection;
use tokio::sync::{mpsc, oneshot};

use super::{
    batch::{ingest_batch, Incoming},
    changes::{ChangeBus, ChangeSet},
    events::{begin_write, ingest, Stored, TransactionAccounts},
    webhooks::Envelope,
};

/// The most deliveries one transaction commits.
pub const MAX_BATCH: usize = 256;

struct Job {
    envelope: Envelope,
    body: String,
    now: DateTime<Utc>,
    reply: oneshot::Sender<Result<Stored, Error>>,
}

/// The queue in front of the writer task, started on the first delivery.
pub struct IngestQueue {
    db: DatabaseConnection,
    changes: Arc<ChangeBus>,
    sender: OnceLock<mpsc::Sender<Job>>,
}

impl IngestQueue {
    /// The queue of `db`, telling `changes` what each commit changed.
    pub fn new(db: DatabaseConnection, changes: Arc<ChangeBus>) -> Self {
        Self {
            db,
            changes,
            sender: OnceLock::new(),
        }
    }

    /// Stores and applies the event; `Ok` once its transaction is committed.
    pub async fn submit(
        &self,
        envelope: Envelope,
        body: String,
        now: DateTime<Utc>,
    ) -> Result<Stored, Error> {
        let sender = self.sender.get_or_init(|| {
            let (sender, receiver) = mpsc::channel(4 * MAX_BATCH);
            tokio::spawn(writer(self.db.clone(), self.changes.clone(), receiver));
            sender
        });
        let (reply, answer) = oneshot::channel();
        let job = Job {
            envelope,
            body,
            now,
            reply,
        };
        if sender.send(job).await.is_err() {
            tracing::error!("the ingest writer task is gone");
            return Err(Error::Internal);
        }
        answer.await.unwrap_or_else(|_| {
            tracing::error!("the ingest writer dropped a delivery unanswered");
            Err(Error::Internal)
        })
    }
}

async fn writer(
    db: DatabaseConnection,
    changes: Arc<ChangeBus>,
    mut receiver: mpsc::Receiver<Job>,
) {
    while let Some(first) = receiver.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        commit(&db, &changes, batch).await;
    }
}

async fn commit(db: &DatabaseConnection, bus: &ChangeBus, batch: Vec<Job>) {
    match store_all(db, &batch).await {
        Ok(stored) => {
            let mut changes = ChangeSet::default();
            for (job, stored) in batch.iter().zip(&stored) {
                changes.merge(stored.changes(&job.envelope));
            }
            bus.publish(&changes);
            for (job, stored) in batch.into_iter().zip(stored) {
                let _ = job.reply.send(Ok(stored));
            }
        }
        Err(err) if batch.len() > 1 => {
            tracing::warn!(error = %err, events = batch.len(), "a batch failed: committing its events one by one");
            for job in batch {
                let stored = ingest(db, &job.envelope, &job.body, job.now).await;
                if let Ok(stored) = &stored {
                    bus.publish(&stored.changes(&job.envelope));
                }
                let _ = job.reply.send(stored);
            }
        }
        Err(err) => {
            for job in batch {
                let _ = job.reply.send(Err(err.clone()));
            }
        }
    }
}

async fn store_all(db: &DatabaseConnection, batch: &[Job]) -> Result<Vec<Stored>, Error> {
    let incoming: Vec<Incoming> = batch
        .iter()
        .map(|job| Incoming {
            envelope: &job.envelope,
            body: &job.body,
            now: job.now,
        })
        .collect();
    let tx = begin_write(db).await?;
    let ingested = ingest_batch(&tx, &mut TransactionAccounts::default(), &incoming).await?;
    super::events::commit(tx).await?;
    Ok(ingested.stored)
}
