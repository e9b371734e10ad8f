//! Q&A questions and their answers.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;

use super::{counts_by_parent, ranked_pages, AccountLoader, Page, ParentKey, SiblingKey};
use crate::graphql::{error::ApiError, scalars::Keyset};
use reports::qa;

/// One page of a meeting's questions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QuestionPageKey {
    pub meeting_id: i64,
    pub first: usize,
    pub after: Option<Keyset<i64>>,
    /// `totalCount` is selected: a first page's statement counts each parent's list too.
    pub with_total: bool,
}

impl SiblingKey for QuestionPageKey {
    type Args = (usize, Option<Keyset<i64>>, bool);

    fn args(&self) -> Self::Args {
        (self.first, self.after.clone(), self.with_total)
    }
}

impl Loader<QuestionPageKey> for AccountLoader {
    type Value = Page<entity::qa_question::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[QuestionPageKey],
    ) -> Result<HashMap<QuestionPageKey, Self::Value>, ApiError> {
        ranked_pages(
            keys,
            |k| (k.first, k.after.clone(), k.with_total),
            |k| k.meeting_id,
            |ids, first, after, counted| async move {
                qa::question_pages(
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

/// How many questions a meeting has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QuestionCountOf(pub i64);

impl ParentKey for QuestionCountOf {}

impl Loader<QuestionCountOf> for AccountLoader {
    type Value = i64;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[QuestionCountOf],
    ) -> Result<HashMap<QuestionCountOf, i64>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = qa::question_counts(&self.sql, self.account_id, &ids).await?;
        Ok(counts_by_parent(keys, |k| k.0, rows))
    }
}

/// The answers of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AnswersOf(pub i64);

impl ParentKey for AnswersOf {}

impl Loader<AnswersOf> for AccountLoader {
    type Value = Vec<entity::qa_answer::Model>;
    type Error = ApiError;

    async fn load(&self, keys: &[AnswersOf]) -> Result<HashMap<AnswersOf, Self::Value>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let mut out: HashMap<AnswersOf, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for a in qa::answers_of(&self.sql, self.account_id, &ids).await? {
            if let Some(list) = out.get_mut(&AnswersOf(a.question_id)) {
                list.push(a);
            }
        }
        Ok(out)
    }
}
