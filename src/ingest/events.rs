//! The event store and dead letter (`ingest_event`): every verified event is stored, in the
//! same transaction as its application to the report tables, before it is answered. What
//! cannot be applied (unknown account, a type this version does not apply, a refusal) is kept
//! `FAILED` with the reason, answered 200 all the same (the platform would otherwise retry and
//! then drop it), and applied later by `meeting-reports events replay`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{account, ingest_event};
use reports::Error;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait,
};
use sha2::{Digest, Sha256};

use super::{
    apply::{apply, object_id, Refusal},
    batch::{ingest_batch, Incoming},
    changes::{sources_of, ChangeBus, ChangeSet},
    webhooks::Envelope,
};

pub const APPLIED: &str = "APPLIED";
pub const FAILED: &str = "FAILED";

/// What became of a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Stored now, with its status (`APPLIED` | `FAILED`) and the account it belongs to (none
    /// when no account has its platform id).
    New {
        id: i64,
        status: &'static str,
        account_id: Option<i64>,
    },
    /// The same event was stored before: nothing changed.
    Duplicate { id: i64 },
}

impl Stored {
    /// What storing `envelope` changed in the reports, for the change bus once it commits:
    /// nothing for a duplicate or an event kept `FAILED` (only its event row was written).
    pub fn changes(&self, envelope: &Envelope) -> ChangeSet {
        let mut changes = ChangeSet::default();
        if let Stored::New {
            status: APPLIED,
            account_id: Some(account),
            ..
        } = self
        {
            changes.add(*account, sources_of(&envelope.event));
        }
        changes
    }
}

/// Stores the event and applies it, in one transaction; `Ok` only once it is committed.
pub async fn ingest(
    db: &DatabaseConnection,
    envelope: &Envelope,
    body: &str,
    now: DateTime<Utc>,
) -> Result<Stored, Error> {
    let tx = begin_write(db).await?;
    let one = [Incoming {
        envelope,
        body,
        now,
    }];
    let ingested = ingest_batch(&tx, &mut TransactionAccounts::default(), &one).await?;
    commit(tx).await?;
    ingested.stored.into_iter().next().ok_or(Error::Internal)
}

/// Commits a transaction that applied events, after recomputing the aggregates of what they
/// changed (`reports::aggregates::settle`): the report figures and the rows move together.
pub async fn commit(tx: DatabaseTransaction) -> Result<(), Error> {
    reports::aggregates::settle(&tx).await?;
    tx.commit().await?;
    Ok(())
}

/// A transaction that will write. On SQLite it takes the write lock at its `BEGIN IMMEDIATE`
/// (waiting up to the busy timeout for another writer), instead of reading first and failing
/// with `SQLITE_BUSY` when it then tries to write after another connection has: concurrent
/// deliveries queue instead of failing. PostgreSQL ignores the mode.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, Error> {
    Ok(db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?)
}

/// The accounts one write transaction has serialised on and looked up, by platform id: the
/// events of a batch (the webhook writer's, an import's) pay for their account once, not once
/// each. Only for one transaction: an account is added or changed by `meeting-reports account`,
/// never by an event, and what another transaction commits meanwhile is read by the next one
/// (an event whose account was added mid-batch is kept `FAILED`, as when it arrives first, and
/// `events replay` applies it).
#[derive(Default)]
pub struct TransactionAccounts(HashMap<String, Option<account::Model>>);

/// The account of `platform_account_id`, looked up (and on PostgreSQL serialised on) once
/// per transaction.
pub(super) async fn account_for(
    tx: &DatabaseTransaction,
    accounts: &mut TransactionAccounts,
    platform_account_id: &str,
) -> Result<Option<account::Model>, Error> {
    if let Some(account) = accounts.0.get(platform_account_id) {
        return Ok(account.clone());
    }
    // The lock is the transaction's: taken once, held to its end.
    serialise_account(tx, platform_account_id).await?;
    let account = find_account(tx, platform_account_id).await?;
    accounts
        .0
        .insert(platform_account_id.to_owned(), account.clone());
    Ok(account)
}

/// The stored row of a new event (its `id` still 0). Marked applied already when its account
/// is known (nearly always; one statement fewer): a refusal marks it FAILED in the same
/// transaction ([`settle`]), so no reader ever sees the guess.
pub(super) fn event_row(
    envelope: &Envelope,
    identity: &str,
    body: &str,
    account: Option<&account::Model>,
    now: DateTime<Utc>,
) -> ingest_event::Model {
    let applied = account.is_some();
    ingest_event::Model {
        id: 0,
        account_id: account.map(|a| a.id),
        platform_account_id: envelope.platform_account_id(),
        event: envelope.event.clone(),
        event_ts: envelope.event_ts,
        object_id: object_id(envelope),
        identity: identity.to_owned(),
        status: if applied { APPLIED } else { FAILED }.to_owned(),
        reason: None,
        body: body.to_owned(),
        received_at: now,
        applied_at: applied.then_some(now),
    }
}

/// `row` to insert, its id left to the database.
pub(super) fn insertable(row: &ingest_event::Model) -> ingest_event::ActiveModel {
    ingest_event::ActiveModel {
        id: NotSet,
        account_id: Set(row.account_id),
        platform_account_id: Set(row.platform_account_id.clone()),
        event: Set(row.event.clone()),
        event_ts: Set(row.event_ts),
        object_id: Set(row.object_id.clone()),
        identity: Set(row.identity.clone()),
        status: Set(row.status.clone()),
        reason: Set(row.reason.clone()),
        body: Set(row.body.clone()),
        received_at: Set(row.received_at),
        applied_at: Set(row.applied_at),
    }
}

/// The appliers derive an object's state from its stored events, so two transactions of one
/// account must not each miss the other's uncommitted event. SQLite has one writer, taken at
/// `BEGIN IMMEDIATE` ([`begin_write`]); on PostgreSQL the events of one account take a
/// transaction-scoped advisory lock and apply one after the other.
async fn serialise_account(
    tx: &DatabaseTransaction,
    platform_account_id: &str,
) -> Result<(), Error> {
    if tx.get_database_backend() == DatabaseBackend::Postgres {
        tx.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtext($1)::bigint)",
            [format!("ingest:{platform_account_id}").into()],
        ))
        .await?;
    }
    Ok(())
}

/// Applies the event in a savepoint and records the outcome on its row: a refusal rolls back
/// whatever the application wrote, never the stored event.
pub(super) async fn settle(
    tx: &DatabaseTransaction,
    row: ingest_event::Model,
    envelope: &Envelope,
    account: Option<&account::Model>,
    now: DateTime<Utc>,
) -> Result<&'static str, Error> {
    let outcome = match account {
        None => Err(Refusal(format!(
            "no account has the platform id `{}` (add it with `meeting-reports account add`, then `events replay`)",
            row.platform_account_id
        ))),
        Some(account) => {
            let savepoint = tx.begin().await?;
            match apply(&savepoint, account, envelope).await {
                Ok(()) => {
                    savepoint.commit().await?;
                    Ok(())
                }
                Err(refusal) => {
                    savepoint.rollback().await?;
                    Err(refusal)
                }
            }
        }
    };
    if outcome.is_ok() && row.status == APPLIED && row.reason.is_none() {
        // Stored as applied (a new event whose account is known): nothing to record.
        return Ok(APPLIED);
    }
    let mut active: ingest_event::ActiveModel = row.into();
    active.account_id = Set(account.map(|a| a.id));
    let status = match outcome {
        Ok(()) => {
            active.status = Set(APPLIED.to_owned());
            active.reason = Set(None);
            active.applied_at = Set(Some(now));
            APPLIED
        }
        Err(Refusal(reason)) => {
            tracing::info!(event = %envelope.event, reason = %reason, "event kept as FAILED");
            active.status = Set(FAILED.to_owned());
            active.reason = Set(Some(reason));
            FAILED
        }
    };
    active.update(tx).await?;
    Ok(status)
}

async fn find_account(
    db: &impl ConnectionTrait,
    platform_id: &str,
) -> Result<Option<account::Model>, Error> {
    if platform_id.is_empty() {
        return Ok(None);
    }
    Ok(account::Entity::find()
        .filter(account::Column::PlatformId.eq(platform_id))
        .one(db)
        .await?)
}

/// What `events replay` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replayed {
    pub applied: u64,
    pub still_failed: u64,
}

/// Re-applies every `FAILED` event, oldest first, each in its own transaction. Idempotent: an
/// applied event is not replayed again, and every application is an upsert by platform ids.
pub async fn replay_failed(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Replayed, Error> {
    replay_failed_to(db, now, None).await
}

/// [`replay_failed`], telling `bus` (a server's change bus) after each commit what it changed.
pub async fn replay_failed_to(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    bus: Option<&ChangeBus>,
) -> Result<Replayed, Error> {
    let ids: Vec<i64> = ingest_event::Entity::find()
        .select_only()
        .column(ingest_event::Column::Id)
        .filter(ingest_event::Column::Status.eq(FAILED))
        .order_by_asc(ingest_event::Column::EventTs)
        .order_by_asc(ingest_event::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut out = Replayed::default();
    for id in ids {
        let tx = begin_write(db).await?;
        let Some(row) = ingest_event::Entity::find_by_id(id).one(&tx).await? else {
            continue;
        };
        serialise_account(&tx, &row.platform_account_id).await?;
        // Read again under the lock: a concurrent replay may have applied it meanwhile.
        let Some(row) = ingest_event::Entity::find_by_id(id)
            .one(&tx)
            .await?
            .filter(|r| r.status == FAILED)
        else {
            continue;
        };
        let envelope = match Envelope::parse(row.body.as_bytes()) {
            Ok(envelope) => envelope,
            Err(_) => {
                out.still_failed += 1;
                continue;
            }
        };
        let account = find_account(&tx, &row.platform_account_id).await?;
        let mut changes = ChangeSet::default();
        match settle(&tx, row, &envelope, account.as_ref(), now).await? {
            APPLIED => {
                out.applied += 1;
                if let Some(account) = &account {
                    changes.add(account.id, sources_of(&envelope.event));
                }
            }
            _ => out.still_failed += 1,
        }
        commit(tx).await?;
        if let Some(bus) = bus {
            bus.publish(&changes);
        }
    }
    Ok(out)
}

/// Stored events, newest first, optionally of one status.
pub async fn list_events(
    db: &DatabaseConnection,
    status: Option<&str>,
    limit: u64,
) -> Result<Vec<ingest_event::Model>, Error> {
    let mut query = ingest_event::Entity::find();
    if let Some(status) = status {
        query = query.filter(ingest_event::Column::Status.eq(status));
    }
    Ok(query
        .order_by_desc(ingest_event::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Keeps a line that is not an event (an import's bad line) in the dead letter, with the
/// reason; the same line kept twice is one row (its identity is the line's hash).
pub async fn keep_unreadable(
    db: &impl ConnectionTrait,
    body: &str,
    reason: String,
    now: DateTime<Utc>,
) -> Result<Stored, Error> {
    let identity = format!(
        "unreadable:{}",
        hex::encode(Sha256::digest(body.as_bytes()))
    );
    if let Some(found) = ingest_event::Entity::find()
        .filter(ingest_event::Column::Identity.eq(identity.as_str()))
        .one(db)
        .await?
    {
        return Ok(Stored::Duplicate { id: found.id });
    }
    let row = ingest_event::ActiveModel {
        account_id: Set(None),
        platform_account_id: Set(String::new()),
        event: Set(String::new()),
        event_ts: Set(0),
        object_id: Set(None),
        identity: Set(identity),
        status: Set(FAILED.to_owned()),
        reason: Set(Some(reason)),
        body: Set(body.to_owned()),
        received_at: Set(now),
        applied_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Stored::New {
        id: row.id,
        status: FAILED,
        account_id: None,
    })
}
