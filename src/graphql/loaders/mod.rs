//! The request's batched loads. One [`AccountLoader`] is built per request, holding the
//! viewer's account id; each file adds the `Loader` impls of one domain. Every batch is one
//! statement, so a query's statement count follows its depth, not its row count.

mod activity;
mod freshness;
mod meetings;
mod performance;
mod polls;
mod qa;
mod registration;
mod siblings;
mod users;

pub use activity::{ActivityRow, UserActivityCountKey, UserActivityKey};
pub use freshness::{data_as_of, Freshness};
pub use meetings::{
    AttendeeCountOf, AttendeePage, AttendeePageKey, MergedAttendee, ParticipantCountOf,
    ParticipantPage, ParticipantPageKey, RecordingsOf, SessionsOf, TelephoneLegsOf,
};
pub use performance::PerformanceOf;
pub use polls::{PollsOf, QuestionsOf, ResponseCountOf, ResponsePageKey};
pub use qa::{AnswersOf, QuestionCountOf, QuestionPageKey};
pub use registration::{RegistrantAttendance, RegistrantCountOf, RegistrantPageKey};
pub use siblings::{ParentKey, SiblingKey, Siblings};
pub use users::{HostMeetingCountKey, HostMeetingsKey, UserId};

use std::collections::HashMap;
use std::hash::Hash;

use crate::db::Sql;
use crate::graphql::{error::ApiError, scalars::Keyset};

/// Loads rows of one account: the viewer's. Built per request, never shared.
pub struct AccountLoader {
    pub sql: Sql,
    pub account_id: i64,
}

/// One parent's page of a per-parent paginated relation.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub has_next_page: bool,
    /// The parent's whole list size, when the page's statement counted it (first pages of
    /// relations that fold their count into the page): `totalCount` then runs no statement.
    pub total: Option<i64>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            has_next_page: false,
            total: None,
        }
    }
}

/// Each parent's list size from a page statement's `list_total` column (the same on each of
/// a parent's rows). A parent without rows has none in the list: 0.
pub(crate) struct ListTotals(HashMap<i64, i64>);

impl ListTotals {
    pub(crate) fn of(rows: impl IntoIterator<Item = (i64, Option<i64>)>) -> Self {
        Self(
            rows.into_iter()
                .filter_map(|(parent, total)| Some((parent, total?)))
                .collect(),
        )
    }

    pub(crate) fn get(&self, parent: i64) -> i64 {
        self.0.get(&parent).copied().unwrap_or(0)
    }
}

/// Splits the rows of one windowed statement (ordered by parent, then rank, `first + 1` per
/// parent at most) into each key's page.
pub(crate) fn pages_by_parent<K, T>(
    keys: Vec<K>,
    parent: impl Fn(&K) -> i64,
    rows: impl IntoIterator<Item = (i64, T)>,
    first: usize,
) -> HashMap<K, Page<T>>
where
    K: Eq + Hash,
{
    let mut per_parent: HashMap<i64, Vec<T>> = HashMap::new();
    for (parent_id, row) in rows {
        per_parent.entry(parent_id).or_default().push(row);
    }
    keys.into_iter()
        .map(|key| {
            let rows = per_parent.remove(&parent(&key)).unwrap_or_default();
            let (rows, has_next_page) = crate::graphql::connection::split_page(rows, first);
            (
                key,
                Page {
                    rows,
                    has_next_page,
                    total: None,
                },
            )
        })
        .collect()
}

/// [`pages_by_parent`] for a statement with a `list_total` column
/// ([`reports::per_parent::page_statement`]): on a first page each key's page carries its
/// parent's list size too.
pub(crate) fn counted_pages_by_parent<K, T>(
    keys: Vec<K>,
    parent: impl Fn(&K) -> i64,
    rows: Vec<(i64, reports::Counted<T>)>,
    first: usize,
    first_page: bool,
) -> HashMap<K, Page<T>>
where
    K: Eq + Hash,
{
    let totals = ListTotals::of(rows.iter().map(|(p, c)| (*p, c.list_total)));
    let mut pages = pages_by_parent(
        keys,
        &parent,
        rows.into_iter().map(|(p, c)| (p, c.row)),
        first,
    );
    if first_page {
        for (key, page) in &mut pages {
            page.total = Some(totals.get(parent(key)));
        }
    }
    pages
}

/// Each key's count from `GROUP BY parent` rows; parents without rows count 0.
pub(crate) fn counts_by_parent<K>(
    keys: &[K],
    parent: impl Fn(&K) -> i64,
    rows: Vec<reports::CountRow>,
) -> HashMap<K, i64>
where
    K: Eq + Hash + Clone,
{
    let counts: HashMap<i64, i64> = rows.into_iter().map(|c| (c.parent_id, c.n)).collect();
    keys.iter()
        .map(|k| (k.clone(), counts.get(&parent(k)).copied().unwrap_or(0)))
        .collect()
}

/// The pages of `keys` paged per parent: one `fetch` (one statement) per shape
/// `(first, after, with_total)`, counted when a first page's `totalCount` is selected.
pub(crate) async fn ranked_pages<K, T, Fut>(
    keys: &[K],
    shape: impl Fn(&K) -> (usize, Option<Keyset<i64>>, bool),
    parent: impl Fn(&K) -> i64 + Copy,
    fetch: impl Fn(Vec<i64>, usize, Option<Keyset<i64>>, bool) -> Fut,
) -> Result<HashMap<K, Page<T>>, ApiError>
where
    K: Clone + Eq + Hash,
    Fut: std::future::Future<Output = reports::Result<Vec<reports::Ranked<reports::Counted<T>>>>>,
{
    let mut out = HashMap::new();
    for ((first, after, with_total), group) in group_by_shape(keys, shape) {
        let ids = group.iter().map(parent).collect();
        let counted = with_total && after.is_none();
        let rows = fetch(ids, first, after, counted).await?;
        out.extend(counted_pages_by_parent(
            group,
            parent,
            rows.into_iter().map(|r| (r.parent_id, r.row)).collect(),
            first,
            counted,
        ));
    }
    Ok(out)
}

/// Groups page keys that ask for the same page shape (`first`, `after`), so each group is one
/// windowed statement over all its parents (usually there is a single group).
pub(crate) fn group_by_shape<K, S, F>(keys: &[K], shape: F) -> HashMap<S, Vec<K>>
where
    K: Clone,
    S: Eq + Hash,
    F: Fn(&K) -> S,
{
    let mut groups: HashMap<S, Vec<K>> = HashMap::new();
    for key in keys {
        groups.entry(shape(key)).or_default().push(key.clone());
    }
    groups
}
