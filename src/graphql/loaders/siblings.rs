//! Deterministic batching for sibling nodes.
//!
//! async-graphql's `DataLoader` gathers keys for a short delay; when resolving a large page
//! takes longer than that delay (a slow machine, a debug build, the executor yielding every 32
//! futures), one relation splits into several batches, and the statement count starts to
//! depend on row counts and timing. So nodes produced together — one page, or one batch —
//! share a [`Siblings`]: the first of them to resolve a relation loads it for all of them with
//! one batch of the request's loader, at once (no batch delay: the keys are all there), whose
//! cache then answers the others; the rest wait for that load. The statement count then
//! follows the query's depth only.
//!
//! A relation is named by its loader key's type and the key's [`SiblingKey::Args`] (what the
//! key holds besides its parent: page size, cursor, filter), so two relations of one group
//! differ in key type or in arguments, and no name is written by hand.

use std::{
    any::{Any, TypeId},
    collections::{HashMap, HashSet},
    future::Future,
    hash::Hash,
    sync::{Arc, Mutex, PoisonError},
};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use tokio::sync::OnceCell;

use super::AccountLoader;

/// A loader key of a relation that sibling nodes share. Every sibling's key of one relation has
/// the same `args`: the key without its parent's id.
pub trait SiblingKey: Hash + Eq + Clone + Send + Sync + 'static {
    type Args: Hash + Eq + Send + Sync + 'static;

    fn args(&self) -> Self::Args;
}

/// A key that is its parent's id alone (a meeting's sessions, a user): the siblings' keys of
/// the relation differ only by parent, so their arguments are empty.
pub trait ParentKey: Hash + Eq + Clone + Send + Sync + 'static {}

impl<K: ParentKey> SiblingKey for K {
    type Args = ();

    fn args(&self) -> Self::Args {}
}

/// What the request's loader answers for key `K`.
type Loaded<K> =
    Result<Option<<AccountLoader as Loader<K>>::Value>, <AccountLoader as Loader<K>>::Error>;

/// The group of nodes a node was produced with. `T` is what a relation's keys are made from.
pub struct Siblings<T> {
    members: Arc<Vec<T>>,
    relations: Arc<Relations>,
}

impl<T> Clone for Siblings<T> {
    fn clone(&self) -> Self {
        Self {
            members: self.members.clone(),
            relations: self.relations.clone(),
        }
    }
}

impl<T> Siblings<T> {
    pub fn new(members: Vec<T>) -> Self {
        Self {
            members: Arc::new(members),
            relations: Arc::default(),
        }
    }

    /// The group of the nodes these siblings lead to through the relation of `key` (e.g. the
    /// hosts of a page of meetings): made once, so every sibling's related node shares it.
    pub fn derived<K, U>(&self, key: &K, members: impl FnOnce(&[T]) -> Vec<U>) -> Siblings<U>
    where
        K: SiblingKey,
        U: Send + Sync + 'static,
    {
        self.relations
            .get_or_insert_with::<K, Siblings<U>>(key.args(), || {
                Siblings::new(members(&self.members))
            })
    }

    /// This node's value of `key`, after the relation of `key` is loaded for every sibling,
    /// once: `keys` makes the loader keys from the siblings. Errors of that load are not kept:
    /// this node's own `load_one` then runs again and reports them.
    pub async fn load<K, F>(
        &self,
        loader: &DataLoader<AccountLoader, HashMapCache>,
        key: K,
        keys: F,
    ) -> Loaded<K>
    where
        K: SiblingKey,
        AccountLoader: Loader<K>,
        F: FnOnce(&[T]) -> Vec<K>,
    {
        self.load_from(loader, key, |all| async move { keys(&all) })
            .await
    }

    /// Like [`Siblings::load`], where the keys come from an earlier load (e.g. every poll of
    /// every sibling meeting, read back from the loader's cache: no statement).
    pub async fn load_from<K, F, Fut>(
        &self,
        loader: &DataLoader<AccountLoader, HashMapCache>,
        key: K,
        keys: F,
    ) -> Loaded<K>
    where
        K: SiblingKey,
        AccountLoader: Loader<K>,
        F: FnOnce(Arc<Vec<T>>) -> Fut,
        Fut: Future<Output = Vec<K>>,
    {
        // The group hands the loader all its keys at once, so the batch runs at once: the
        // DataLoader's batch delay (there to gather keys that arrive one by one) is skipped.
        // The values go to the request's cache, where this node and any other path read them.
        let found = self
            .relations
            .get_or_insert_with::<K, Batch<K>>(key.args(), Arc::default)
            .get_or_init(|| async {
                let keys = keys(self.members.clone()).await;
                let values = loader.loader().load(&keys).await.ok()?;
                let found: HashSet<K> = values.keys().cloned().collect();
                loader.feed_many(values).await;
                Some(Arc::new(found))
            })
            .await
            .clone();
        match found {
            // A key the batch did not find has no value: no second statement looks again.
            Some(found) if !found.contains(&key) => Ok(None),
            _ => loader.load_one(key).await,
        }
    }
}

impl<T> Siblings<T> {
    /// Hands the relation of `K` with `args` the values read along with these siblings (a
    /// page's look-ahead join), as its load would: they go to the loader's cache, a sibling's
    /// key without a value has none, and the relation runs no statement.
    pub async fn feed<K>(
        &self,
        loader: &DataLoader<AccountLoader, HashMapCache>,
        args: K::Args,
        values: Vec<(K, <AccountLoader as Loader<K>>::Value)>,
    ) where
        K: SiblingKey,
        AccountLoader: Loader<K>,
    {
        let found: HashSet<K> = values.iter().map(|(k, _)| k.clone()).collect();
        loader.feed_many(values).await;
        let batch = self
            .relations
            .get_or_insert_with::<K, Batch<K>>(args, Arc::default);
        // Already loaded: its values are the same rows.
        let _ = batch.set(Some(Arc::new(found)));
    }
}

/// A relation's batch, once run: the keys it found (`None`: it failed, and each node's own
/// load reports the error).
type Batch<K> = Arc<OnceCell<Option<Arc<HashSet<K>>>>>;

/// What a group keeps per relation: whether it is loaded, the groups it leads to. One map per
/// key type `K` and kind of value `V`, keyed by the key's arguments; `TypeId::of::<(K, V)>()`
/// names the map, so its downcast cannot fail.
#[derive(Default)]
struct Relations(Mutex<HashMap<TypeId, Box<dyn Any + Send + Sync>>>);

impl Relations {
    /// The value of the relation of `K` with `args`, made by `make` the first time.
    fn get_or_insert_with<K, V>(&self, args: K::Args, make: impl FnOnce() -> V) -> V
    where
        K: SiblingKey,
        V: Clone + Send + Sync + 'static,
    {
        // A panic elsewhere while the lock was held cannot leave a map half-written: keep on.
        let mut maps = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let by_args = maps
            .entry(TypeId::of::<(K, V)>())
            .or_insert_with(|| Box::new(HashMap::<K::Args, V>::new()))
            .downcast_mut::<HashMap<K::Args, V>>();
        match by_args {
            Some(by_args) => by_args.entry(args).or_insert_with(make).clone(),
            None => make(),
        }
    }
}
