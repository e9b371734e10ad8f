//! The change bus: after a transaction that applied events commits, which report sources of
//! which accounts it changed, for the live updates (GraphQL subscriptions) to re-read.
//!
//! One `watch` channel per account with subscribers. Its value is a [`Revision`]: a counter per
//! source, moved on by every commit that changed that source. A subscriber remembers the last
//! revision it read, so the sources whose counter moved since are exactly what changed, however
//! many commits it missed while it was busy: a lagging subscriber gets them coalesced into one
//! wake, never loses the last one, and never holds the writer up (a `watch` send does not wait
//! for anyone). Nothing is published for a rolled-back batch: the writers publish only once
//! their commit has returned.
//!
//! In-process only: a commit of another process (`meeting-reports import`, `events replay`)
//! reaches this server's subscribers with the next commit of this server for that account.

use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, Mutex, MutexGuard, PoisonError},
};

use reports::freshness::FreshnessSource;
use tokio::sync::watch;

/// The sources a bus tells apart, in a fixed order (a [`Revision`]'s slots).
pub const SOURCES: [FreshnessSource; 4] = [
    FreshnessSource::Meetings,
    FreshnessSource::OperationLogs,
    FreshnessSource::SignIns,
    FreshnessSource::Billing,
];

fn slot(source: FreshnessSource) -> usize {
    match source {
        FreshnessSource::Meetings => 0,
        FreshnessSource::OperationLogs => 1,
        FreshnessSource::SignIns => 2,
        FreshnessSource::Billing => 3,
    }
}

/// A set of sources.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sources(u8);

impl Sources {
    pub fn of(sources: &[FreshnessSource]) -> Self {
        let mut set = Self::default();
        for source in sources {
            set.insert(*source);
        }
        set
    }

    pub fn insert(&mut self, source: FreshnessSource) {
        self.0 |= 1 << slot(source);
    }

    pub fn contains(self, source: FreshnessSource) -> bool {
        self.0 & (1 << slot(source)) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// In the order of [`SOURCES`].
    pub fn iter(self) -> impl Iterator<Item = FreshnessSource> {
        SOURCES.into_iter().filter(move |s| self.contains(*s))
    }
}

/// What an applied event of this type changes: sign-ins and sign-outs, operation-log entries and
/// invoices their own source; everything else the meeting data (meetings, webinars, sessions,
/// joins, registrations, recordings, users, and our own types for polls, Q&A, phone legs,
/// phone calls, remote support and storage).
pub fn sources_of(event: &str) -> Sources {
    let source = match event {
        "user.signed_in" | "user.signed_out" => FreshnessSource::SignIns,
        "gateway.operation_log" => FreshnessSource::OperationLogs,
        "gateway.invoice" => FreshnessSource::Billing,
        _ => FreshnessSource::Meetings,
    };
    Sources::of(&[source])
}

/// What one committed transaction changed, per account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet(BTreeMap<i64, Sources>);

impl ChangeSet {
    pub fn add(&mut self, account_id: i64, sources: Sources) {
        if sources.is_empty() {
            return;
        }
        let entry = self.0.entry(account_id).or_default();
        *entry = entry.union(sources);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds what `other` changed.
    pub fn merge(&mut self, other: ChangeSet) {
        for (account, sources) in other.0 {
            self.add(account, sources);
        }
    }

    /// The accounts and what changed for each.
    pub fn iter(&self) -> impl Iterator<Item = (i64, Sources)> + '_ {
        self.0.iter().map(|(account, sources)| (*account, *sources))
    }
}

/// How many commits have changed each source of an account since its channel opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Revision([u64; 4]);

impl Revision {
    /// The sources whose counter moved since `seen`.
    fn changed_since(&self, seen: &Revision) -> Sources {
        let mut changed = Sources::default();
        for source in SOURCES {
            if self.0[slot(source)] != seen.0[slot(source)] {
                changed.insert(source);
            }
        }
        changed
    }
}

/// The bus: a channel per account that has subscribers.
#[derive(Default)]
pub struct ChangeBus {
    accounts: Mutex<HashMap<i64, watch::Sender<Revision>>>,
}

impl ChangeBus {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Tells the subscribers of each account of `changes`; never waits. Call it after the
    /// commit returned, never for a transaction rolled back.
    pub fn publish(&self, changes: &ChangeSet) {
        if changes.is_empty() {
            return;
        }
        let accounts = self.lock();
        for (account, sources) in changes.iter() {
            let Some(sender) = accounts.get(&account) else {
                continue;
            };
            sender.send_modify(|revision| {
                for source in sources.iter() {
                    revision.0[slot(source)] += 1;
                }
            });
        }
    }

    /// The changes of `account_id` from now on.
    pub fn subscribe(self: &Arc<Self>, account_id: i64) -> Changes {
        let mut accounts = self.lock();
        let receiver = match accounts.get(&account_id) {
            Some(sender) => sender.subscribe(),
            None => {
                let (sender, receiver) = watch::channel(Revision::default());
                accounts.insert(account_id, sender);
                receiver
            }
        };
        let seen = *receiver.borrow();
        Changes {
            bus: self.clone(),
            account_id,
            receiver: Some(receiver),
            seen,
        }
    }

    /// How many subscribers are listening, over every account (for tests and metrics).
    pub fn receivers(&self) -> usize {
        self.lock().values().map(|s| s.receiver_count()).sum()
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<i64, watch::Sender<Revision>>> {
        self.accounts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One subscriber's view of an account's changes.
pub struct Changes {
    bus: Arc<ChangeBus>,
    account_id: i64,
    /// Always `Some` until dropped (taken out in `drop`, under the bus's lock).
    receiver: Option<watch::Receiver<Revision>>,
    seen: Revision,
}

impl Changes {
    /// Waits for the next commit that changed the account, and says which sources it (and any
    /// commit since the last call) changed.
    pub async fn next(&mut self) -> Sources {
        let Some(receiver) = self.receiver.as_mut() else {
            return std::future::pending().await;
        };
        loop {
            // The bus keeps the sender while this receiver lives (see `drop`): never an error.
            if receiver.changed().await.is_err() {
                return std::future::pending().await;
            }
            let now = *receiver.borrow_and_update();
            let changed = now.changed_since(&self.seen);
            self.seen = now;
            if !changed.is_empty() {
                return changed;
            }
        }
    }
}

impl Drop for Changes {
    /// The last subscriber of an account closes its channel, so the bus holds only accounts
    /// someone listens to.
    fn drop(&mut self) {
        let mut accounts = self.bus.lock();
        let receiver = self.receiver.take();
        drop(receiver);
        if accounts
            .get(&self.account_id)
            .is_some_and(|sender| sender.receiver_count() == 0)
        {
            accounts.remove(&self.account_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_lagging_subscriber_gets_every_changed_source_at_once_and_only_its_account() {
        let bus = ChangeBus::new();
        let mut a = bus.subscribe(1);
        let mut b = bus.subscribe(2);
        let mut changes = ChangeSet::default();
        changes.add(1, sources_of("meeting.started"));
        bus.publish(&changes);
        let mut changes = ChangeSet::default();
        changes.add(1, sources_of("gateway.invoice"));
        changes.add(2, sources_of("user.signed_in"));
        bus.publish(&changes);
        assert_eq!(
            a.next().await,
            Sources::of(&[FreshnessSource::Meetings, FreshnessSource::Billing])
        );
        assert_eq!(b.next().await, Sources::of(&[FreshnessSource::SignIns]));
        assert_eq!(bus.receivers(), 2);
        drop(a);
        drop(b);
        assert_eq!(bus.receivers(), 0);
        assert!(bus.lock().is_empty(), "closed channels are dropped");
    }
}
