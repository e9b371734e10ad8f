//! Many events in one transaction (an import's batch, the webhook writer's group), in a number
//! of statements that grows with the objects they touch, not with the events: the new events
//! are stored in one statement (`ON CONFLICT DO NOTHING` on their identity: what it does not
//! return was stored before, and only then looked up), then each event that is not
//! a join is applied in its own savepoint (`events::settle`), and the joins and leaves of each account last, together
//! ([`apply_joins`]). Joins go last because the appliers end in the same rows whatever order
//! events come in (`apply/mod.rs`), and after their occurrences and users they find those
//! rows instead of creating stand-ins to be linked later.
//!
//! The answers are those of one event at a time: an event seen before (stored, or earlier in
//! the batch) is a `Duplicate`; a refusal keeps that event `FAILED` with its own reason (a
//! set of joins with a refusal in it is rolled back and applied again one by one).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{account, ingest_event};
use reports::Error;
use sea_orm::{
    sea_query::{OnConflict, Query},
    ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult, QueryTrait,
    TransactionTrait,
};

use super::{
    apply::{apply_joins, is_join_event},
    events::{account_for, event_row, insertable, settle, Stored, TransactionAccounts, APPLIED},
    webhooks::Envelope,
};

/// One event of a batch: the envelope, its body as received, and when it was received.
pub struct Incoming<'a> {
    pub envelope: &'a Envelope,
    pub body: &'a str,
    pub now: DateTime<Utc>,
}

/// Identities looked up, or events stored, per statement: below SQLite's 32,766 bind
/// parameters at the event's 11 columns.
const PER_STATEMENT: usize = 1_000;

#[derive(FromQueryResult)]
struct IdByIdentity {
    id: i64,
    identity: String,
}

/// What a batch did.
#[derive(Debug)]
pub struct Ingested {
    /// Each event's answer, in the batch's order.
    pub stored: Vec<Stored>,
    /// Joins and leaves applied one by one because their set was refused (a refusal or a
    /// database error in it): 0 when every set applied together.
    pub joins_one_by_one: u64,
}

/// Stores and applies `batch` inside `tx`, answering each event as it would be answered alone
/// ([`ingest`](super::events::ingest) is a batch of one), in the same order. `accounts`
/// belongs to `tx`.
pub async fn ingest_batch(
    tx: &DatabaseTransaction,
    accounts: &mut TransactionAccounts,
    batch: &[Incoming<'_>],
) -> Result<Ingested, Error> {
    let identities: Vec<String> = batch.iter().map(|e| e.envelope.identity()).collect();
    let mut resolved: Vec<Option<account::Model>> = Vec::with_capacity(batch.len());
    for incoming in batch {
        resolved.push(account_for(tx, accounts, &incoming.envelope.platform_account_id()).await?);
    }
    // The first event of each identity is stored unless it was before (`ON CONFLICT DO
    // NOTHING`: no statement to look for them first); the others are duplicates of it.
    let mut candidates = Vec::new();
    let mut first_of: HashMap<&str, usize> = HashMap::new();
    for (i, identity) in identities.iter().enumerate() {
        if !first_of.contains_key(identity.as_str()) {
            first_of.insert(identity, i);
            candidates.push(i);
        }
    }
    let mut rows: HashMap<usize, ingest_event::Model> = HashMap::new();
    let mut known: HashMap<String, i64> = HashMap::new();
    for chunk in candidates.chunks(PER_STATEMENT) {
        let models: Vec<ingest_event::Model> = chunk
            .iter()
            .map(|&i| {
                let e = &batch[i];
                event_row(
                    e.envelope,
                    &identities[i],
                    e.body,
                    resolved[i].as_ref(),
                    e.now,
                )
            })
            .collect();
        let mut insert = ingest_event::Entity::insert_many(models.iter().map(insertable))
            .on_conflict(
                OnConflict::column(ingest_event::Column::Identity)
                    .do_nothing()
                    .to_owned(),
            );
        insert.query().returning(
            Query::returning().columns([ingest_event::Column::Id, ingest_event::Column::Identity]),
        );
        let ids: HashMap<String, i64> =
            IdByIdentity::find_by_statement(insert.build(tx.get_database_backend()))
                .all(tx)
                .await?
                .into_iter()
                .map(|r| (r.identity, r.id))
                .collect();
        for (&i, mut model) in chunk.iter().zip(models) {
            if let Some(&id) = ids.get(&model.identity) {
                model.id = id;
                known.insert(model.identity.clone(), id);
                rows.insert(i, model);
            }
        }
    }
    let new: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|i| rows.contains_key(i))
        .collect();
    let before: Vec<String> = candidates
        .iter()
        .filter(|i| !rows.contains_key(i))
        .map(|&i| identities[i].clone())
        .collect();
    if !before.is_empty() {
        known.extend(stored_before(tx, &before).await?);
    }
    // Everything but the joins, in order, one by one.
    let mut status: HashMap<usize, &'static str> = HashMap::new();
    let mut joins: Vec<(i64, Vec<usize>)> = Vec::new();
    let mut joins_one_by_one = 0;
    for &i in &new {
        let envelope = batch[i].envelope;
        match &resolved[i] {
            Some(account) if is_join_event(&envelope.event) && rows[&i].object_id.is_some() => {
                match joins.iter_mut().find(|(a, _)| *a == account.id) {
                    Some((_, of_account)) => of_account.push(i),
                    None => joins.push((account.id, vec![i])),
                }
            }
            account => {
                let row = rows[&i].clone();
                let outcome = settle(tx, row, envelope, account.as_ref(), batch[i].now).await?;
                status.insert(i, outcome);
            }
        }
    }
    // The joins of each account together; one by one if the set is refused.
    for (_, of_account) in joins {
        let Some(account) = resolved[of_account[0]].clone() else {
            continue;
        };
        let envelopes: Vec<&Envelope> = of_account.iter().map(|&i| batch[i].envelope).collect();
        let savepoint = tx.begin().await?;
        match apply_joins(&savepoint, &account, &envelopes).await {
            Ok(()) => {
                savepoint.commit().await?;
                for &i in &of_account {
                    status.insert(i, APPLIED);
                }
            }
            Err(refusal) => {
                savepoint.rollback().await?;
                tracing::info!(reason = %refusal.0, events = of_account.len(), "a set of joins applied one by one");
                joins_one_by_one += of_account.len() as u64;
                for &i in &of_account {
                    let row = rows[&i].clone();
                    let outcome =
                        settle(tx, row, batch[i].envelope, Some(&account), batch[i].now).await?;
                    status.insert(i, outcome);
                }
            }
        }
    }
    let stored = identities
        .iter()
        .enumerate()
        .map(|(i, identity)| match (rows.get(&i), status.get(&i)) {
            (Some(row), Some(status)) => Stored::New {
                id: row.id,
                status,
                account_id: resolved[i].as_ref().map(|a| a.id),
            },
            _ => Stored::Duplicate {
                id: known.get(identity).copied().unwrap_or_default(),
            },
        })
        .collect();
    Ok(Ingested {
        stored,
        joins_one_by_one,
    })
}

/// The ids of the events among `identities` stored before, by identity.
async fn stored_before(
    tx: &DatabaseTransaction,
    identities: &[String],
) -> Result<HashMap<String, i64>, Error> {
    let backend = tx.get_database_backend();
    let mut known = HashMap::new();
    for chunk in identities.chunks(PER_STATEMENT) {
        let rows = IdByIdentity::find_by_statement(reports::sql::statement(
            backend,
            &format!(
                "SELECT id, identity FROM ingest_event WHERE identity {}",
                reports::sql::in_texts(backend)
            ),
            vec![reports::sql::text_array(
                backend,
                chunk.iter().map(String::as_str),
            )],
        ))
        .all(tx)
        .await?;
        known.extend(rows.into_iter().map(|r| (r.identity, r.id)));
    }
    Ok(known)
}
