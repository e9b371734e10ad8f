//! Polls, their questions and answers.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;

use super::{counts_by_parent, ranked_pages, AccountLoader, Page, ParentKey, SiblingKey};
use crate::graphql::{error::ApiError, scalars::Keyset};
use reports::polls::{self, ResponseRow};

/// The polls of a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PollsOf(pub i64);

impl ParentKey for PollsOf {}

impl Loader<PollsOf> for AccountLoader {
    type Value = Vec<entity::poll::Model>;
    type Error = ApiError;

    async fn load(&self, keys: &[PollsOf]) -> Result<HashMap<PollsOf, Self::Value>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let mut out: HashMap<PollsOf, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for poll in polls::polls_of(&self.sql, self.account_id, &ids).await? {
            if let Some(list) = out.get_mut(&PollsOf(poll.meeting_id)) {
                list.push(poll);
            }
        }
        Ok(out)
    }
}

/// The questions of a poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QuestionsOf(pub i64);

impl ParentKey for QuestionsOf {}

impl Loader<QuestionsOf> for AccountLoader {
    type Value = Vec<entity::poll_question::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[QuestionsOf],
    ) -> Result<HashMap<QuestionsOf, Self::Value>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let mut out: HashMap<QuestionsOf, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for q in polls::questions_of(&self.sql, self.account_id, &ids).await? {
            if let Some(list) = out.get_mut(&QuestionsOf(q.poll_id)) {
                list.push(q);
            }
        }
        Ok(out)
    }
}

/// One page of a question's answers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResponsePageKey {
    pub question_id: i64,
    pub first: usize,
    pub after: Option<Keyset<i64>>,
    /// `totalCount` is selected: a first page's statement counts each parent's list too.
    pub with_total: bool,
}

impl SiblingKey for ResponsePageKey {
    type Args = (usize, Option<Keyset<i64>>, bool);

    fn args(&self) -> Self::Args {
        (self.first, self.after.clone(), self.with_total)
    }
}

impl Loader<ResponsePageKey> for AccountLoader {
    type Value = Page<ResponseRow>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ResponsePageKey],
    ) -> Result<HashMap<ResponsePageKey, Page<ResponseRow>>, ApiError> {
        ranked_pages(
            keys,
            |k| (k.first, k.after.clone(), k.with_total),
            |k| k.question_id,
            |ids, first, after, counted| async move {
                polls::response_pages(
                    &self.sql,
                    self.account_id,
                    &ids,
                    first,
                    after.as_ref(),
                    counted,
                )
                .await
            },
        )
        .await
    }
}

/// How many answers a question has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResponseCountOf(pub i64);

impl ParentKey for ResponseCountOf {}

impl Loader<ResponseCountOf> for AccountLoader {
    type Value = i64;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ResponseCountOf],
    ) -> Result<HashMap<ResponseCountOf, i64>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = polls::response_counts(&self.sql, self.account_id, &ids).await?;
        Ok(counts_by_parent(keys, |k| k.0, rows))
    }
}
