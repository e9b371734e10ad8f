//! Users by id (a meeting's host, ...), and the meetings each host held.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;

use chrono::{DateTime, Utc};

use super::{
    counts_by_parent, group_by_shape, pages_by_parent, AccountLoader, Page, ParentKey, SiblingKey,
};
use crate::graphql::{error::ApiError, scalars::Keyset, types::meetings::MeetingCore};
use reports::{
    meetings::{self, MeetingFilter},
    users::users_by_id,
};

/// A user of the viewer's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserId(pub i64);

impl ParentKey for UserId {}

impl Loader<UserId> for AccountLoader {
    type Value = entity::app_user::Model;
    type Error = ApiError;

    async fn load(&self, keys: &[UserId]) -> Result<HashMap<UserId, Self::Value>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let users = users_by_id(&self.sql, self.account_id, &ids).await?;
        Ok(users.into_iter().map(|u| (UserId(u.id), u)).collect())
    }
}

/// One page of a host's meetings (or webinars) under a list filter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HostMeetingsKey {
    pub host_id: i64,
    /// The list filter, its host unset.
    pub filter: MeetingFilter,
    pub first: usize,
    pub after: Option<Keyset<i64>>,
}

impl SiblingKey for HostMeetingsKey {
    type Args = (MeetingFilter, usize, Option<Keyset<i64>>);

    fn args(&self) -> Self::Args {
        (self.filter.clone(), self.first, self.after.clone())
    }
}

impl Loader<HostMeetingsKey> for AccountLoader {
    /// Each meeting with its sort time; all meetings of one batch form one sibling group.
    type Value = Page<(DateTime<Utc>, MeetingCore)>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[HostMeetingsKey],
    ) -> Result<HashMap<HostMeetingsKey, Self::Value>, ApiError> {
        let mut out = HashMap::new();
        for ((filter, first, after), group) in
            group_by_shape(keys, |k| (k.filter.clone(), k.first, k.after.clone()))
        {
            let hosts: Vec<i64> = group.iter().map(|k| k.host_id).collect();
            let rows =
                meetings::meetings_of_hosts(&self.sql, &filter, &hosts, first, after.as_ref())
                    .await?;
            let parents: Vec<(i64, DateTime<Utc>)> = rows
                .iter()
                .map(|r| (r.parent_id, r.row.sort_time))
                .collect();
            let cores = MeetingCore::group(rows.into_iter().map(|r| r.row.row).collect());
            out.extend(pages_by_parent(
                group,
                |k| k.host_id,
                parents
                    .into_iter()
                    .zip(cores)
                    .map(|((parent, time), core)| (parent, (time, core))),
                first,
            ));
        }
        Ok(out)
    }
}

/// How many meetings (or webinars) a host has under a list filter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HostMeetingCountKey {
    pub host_id: i64,
    pub filter: MeetingFilter,
}

impl SiblingKey for HostMeetingCountKey {
    type Args = MeetingFilter;

    fn args(&self) -> Self::Args {
        self.filter.clone()
    }
}

impl Loader<HostMeetingCountKey> for AccountLoader {
    type Value = i64;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[HostMeetingCountKey],
    ) -> Result<HashMap<HostMeetingCountKey, i64>, ApiError> {
        let mut out = HashMap::new();
        for (filter, group) in group_by_shape(keys, |k| k.filter.clone()) {
            let hosts: Vec<i64> = group.iter().map(|k| k.host_id).collect();
            let rows = meetings::meeting_counts_of_hosts(&self.sql, &filter, &hosts).await?;
            out.extend(counts_by_parent(&group, |k| k.host_id, rows));
        }
        Ok(out)
    }
}
