//! A user's operation logs and sign-in events, for `User.operationLogs` and `User.signInEvents`.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;

use super::{counts_by_parent, group_by_shape, pages_by_parent, AccountLoader, Page, SiblingKey};
use crate::graphql::{error::ApiError, scalars::Keyset};
use reports::activity::{self, ActivityFilter, ActivityTable};

/// One page of a user's rows of `table` under a filter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserActivityKey {
    pub user_id: i64,
    pub table: ActivityTable,
    pub filter: ActivityFilter,
    pub first: usize,
    pub after: Option<Keyset<i64>>,
}

impl SiblingKey for UserActivityKey {
    type Args = (ActivityTable, ActivityFilter, usize, Option<Keyset<i64>>);

    fn args(&self) -> Self::Args {
        (
            self.table,
            self.filter.clone(),
            self.first,
            self.after.clone(),
        )
    }
}

/// A row of either table, as loaded.
#[derive(Debug, Clone)]
pub enum ActivityRow {
    OperationLog(entity::operation_log::Model),
    SignInEvent(entity::sign_in_event::Model),
}

impl Loader<UserActivityKey> for AccountLoader {
    type Value = Page<ActivityRow>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[UserActivityKey],
    ) -> Result<HashMap<UserActivityKey, Self::Value>, ApiError> {
        let mut out = HashMap::new();
        for ((table, filter, first, after), group) in group_by_shape(keys, |k| {
            (k.table, k.filter.clone(), k.first, k.after.clone())
        }) {
            let users: Vec<i64> = group.iter().map(|k| k.user_id).collect();
            let rows: Vec<(i64, ActivityRow)> = match table {
                ActivityTable::OperationLog => {
                    activity::activity_pages_of_users::<entity::operation_log::Model>(
                        &self.sql,
                        table,
                        &filter,
                        &users,
                        first,
                        after.as_ref(),
                    )
                    .await?
                    .into_iter()
                    .map(|r| (r.parent_id, ActivityRow::OperationLog(r.row)))
                    .collect()
                }
                ActivityTable::SignInEvent => {
                    activity::activity_pages_of_users::<entity::sign_in_event::Model>(
                        &self.sql,
                        table,
                        &filter,
                        &users,
                        first,
                        after.as_ref(),
                    )
                    .await?
                    .into_iter()
                    .map(|r| (r.parent_id, ActivityRow::SignInEvent(r.row)))
                    .collect()
                }
            };
            out.extend(pages_by_parent(group, |k| k.user_id, rows, first));
        }
        Ok(out)
    }
}

/// How many rows of `table` a user has under a filter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserActivityCountKey {
    pub user_id: i64,
    pub table: ActivityTable,
    pub filter: ActivityFilter,
}

impl SiblingKey for UserActivityCountKey {
    type Args = (ActivityTable, ActivityFilter);

    fn args(&self) -> Self::Args {
        (self.table, self.filter.clone())
    }
}

impl Loader<UserActivityCountKey> for AccountLoader {
    type Value = i64;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[UserActivityCountKey],
    ) -> Result<HashMap<UserActivityCountKey, i64>, ApiError> {
        let mut out = HashMap::new();
        for ((table, filter), group) in group_by_shape(keys, |k| (k.table, k.filter.clone())) {
            let users: Vec<i64> = group.iter().map(|k| k.user_id).collect();
            let rows =
                activity::activity_counts_of_users(&self.sql, table, &filter, &users).await?;
            out.extend(counts_by_parent(&group, |k| k.user_id, rows));
        }
        Ok(out)
    }
}
