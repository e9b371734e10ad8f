//! Deterministic batching for sibling nodes.
//!
//! async-graphql's `DataLoader` gathers keys for a short delay; when resolving a large page
//! takes longer than that delay (a slow machine, a debug build, the executor yielding every 32
//! futures), one relation splits into several batches, and the statement count starts to
//! depend on row counts and timing. So nodes produced together — one page, or one batch —
//! share a [`Siblings`]: the first of them to resolve a relation loads it for all of them with
//! one `load_many` through the request's DataLoader (whose cache then answers the others), and
//! the rest wait for that load. The statement count then follows the query's depth only.

use std::{
    any::Any,
    collections::HashMap,
    future::Future,
    hash::Hash,
    sync::{Arc, Mutex},
};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use tokio::sync::OnceCell;

use super::AccountLoader;

/// The group of nodes a node was produced with. `T` is what a relation's keys are made from.
pub struct Siblings<T> {
    members: Arc<Vec<T>>,
    loaded: Arc<Mutex<HashMap<String, Arc<OnceCell<()>>>>>,
    derived: Arc<Mutex<HashMap<String, Box<dyn Any + Send + Sync>>>>,
}

impl<T> Clone for Siblings<T> {
    fn clone(&self) -> Self {
        Self {
            members: self.members.clone(),
            loaded: self.loaded.clone(),
            derived: self.derived.clone(),
        }
    }
}

impl<T> Siblings<T> {
    pub fn new(members: Vec<T>) -> Self {
        Self {
            members: Arc::new(members),
            loaded: Arc::default(),
            derived: Arc::default(),
        }
    }

    /// The group of the nodes these siblings lead to through `relation` (e.g. the hosts of a
    /// page of meetings): made once, so every sibling's related node shares it.
    pub fn derived<U>(&self, relation: &str, members: impl FnOnce(&[T]) -> Vec<U>) -> Siblings<U>
    where
        U: Send + Sync + 'static,
    {
        let Ok(mut derived) = self.derived.lock() else {
            return Siblings::new(members(&self.members));
        };
        if let Some(group) = derived
            .get(relation)
            .and_then(|g| g.downcast_ref::<Siblings<U>>())
        {
            return group.clone();
        }
        let group = Siblings::new(members(&self.members));
        derived.insert(relation.to_owned(), Box::new(group.clone()));
        group
    }

    /// Like [`Siblings::prefetch`], where the keys come from an earlier load (e.g. every poll
    /// of every sibling meeting, read back from the loader's cache: no statement).
    pub async fn prefetch_from<K, F, Fut>(
        &self,
        loader: &DataLoader<AccountLoader, HashMapCache>,
        relation: String,
        keys: F,
    ) where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        AccountLoader: Loader<K>,
        F: FnOnce(Arc<Vec<T>>) -> Fut,
        Fut: Future<Output = Vec<K>>,
    {
        let cell = {
            let Ok(mut loaded) = self.loaded.lock() else {
                return;
            };
            loaded.entry(relation).or_default().clone()
        };
        cell.get_or_init(|| async {
            let keys = keys(self.members.clone()).await;
            let _ = loader.load_many(keys).await;
        })
        .await;
    }

    /// Loads `relation` (a name that includes its arguments) for every sibling, once: `keys`
    /// makes the loader keys from the siblings. Errors are not kept: the caller's own
    /// `load_one` then runs again and reports them.
    pub async fn prefetch<K, F>(
        &self,
        loader: &DataLoader<AccountLoader, HashMapCache>,
        relation: String,
        keys: F,
    ) where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        AccountLoader: Loader<K>,
        F: FnOnce(&[T]) -> Vec<K>,
    {
        let cell = {
            let Ok(mut loaded) = self.loaded.lock() else {
                return;
            };
            loaded.entry(relation).or_default().clone()
        };
        cell.get_or_init(|| async {
            let _ = loader.load_many(keys(&self.members)).await;
        })
        .await;
    }
}
