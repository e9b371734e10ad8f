//! Registrants of meetings and webinars, and what each registrant did.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;

use super::{
    counted_pages_by_parent, counts_by_parent, group_by_shape, AccountLoader, MergedAttendee, Page,
    ParentKey, SiblingKey,
};
use crate::graphql::{error::ApiError, scalars::Keyset};
use reports::{
    meetings::AttendeeJoinRow,
    registration::{self, RegistrantFilter, RegistrantRow},
};

/// One page of a meeting's registrants under a filter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RegistrantPageKey {
    pub meeting_id: i64,
    pub filter: RegistrantFilter,
    pub first: usize,
    pub after: Option<Keyset<i64>>,
    /// `totalCount` is selected: a first page's statement counts each parent's list too.
    pub with_total: bool,
}

impl SiblingKey for RegistrantPageKey {
    type Args = (RegistrantFilter, usize, Option<Keyset<i64>>, bool);

    fn args(&self) -> Self::Args {
        (self.filter, self.first, self.after.clone(), self.with_total)
    }
}

impl Loader<RegistrantPageKey> for AccountLoader {
    type Value = Page<RegistrantRow>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[RegistrantPageKey],
    ) -> Result<HashMap<RegistrantPageKey, Page<RegistrantRow>>, ApiError> {
        let mut out = HashMap::new();
        let shape = |k: &RegistrantPageKey| (k.filter, k.first, k.after.clone(), k.with_total);
        for ((filter, first, after, with_total), group) in group_by_shape(keys, shape) {
            let ids: Vec<i64> = group.iter().map(|k| k.meeting_id).collect();
            let counted = with_total && after.is_none();
            let rows = registration::registrant_pages(
                &self.sql,
                self.account_id,
                &ids,
                filter,
                first,
                after.as_ref(),
                counted,
            )
            .await?;
            out.extend(counted_pages_by_parent(
                group,
                |k| k.meeting_id,
                rows.into_iter().map(|r| (r.row.parent_id, r)).collect(),
                first,
                counted,
            ));
        }
        Ok(out)
    }
}

/// How many registrants a meeting has under a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RegistrantCountOf {
    pub meeting_id: i64,
    pub filter: RegistrantFilter,
}

impl SiblingKey for RegistrantCountOf {
    type Args = RegistrantFilter;

    fn args(&self) -> Self::Args {
        self.filter
    }
}

impl Loader<RegistrantCountOf> for AccountLoader {
    type Value = i64;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[RegistrantCountOf],
    ) -> Result<HashMap<RegistrantCountOf, i64>, ApiError> {
        let mut out = HashMap::new();
        for (filter, group) in group_by_shape(keys, |k| k.filter) {
            let ids: Vec<i64> = group.iter().map(|k| k.meeting_id).collect();
            let rows =
                registration::registrant_counts(&self.sql, self.account_id, &ids, filter).await?;
            out.extend(counts_by_parent(&group, |k| k.meeting_id, rows));
        }
        Ok(out)
    }
}

/// The attendance of a registrant: their matched join rows merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RegistrantAttendance(pub i64);

impl ParentKey for RegistrantAttendance {}

impl Loader<RegistrantAttendance> for AccountLoader {
    type Value = MergedAttendee;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[RegistrantAttendance],
    ) -> Result<HashMap<RegistrantAttendance, MergedAttendee>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = registration::registrant_joins(&self.sql, self.account_id, &ids).await?;
        let mut per_registrant: HashMap<i64, Vec<registration::RegistrantJoinRow>> = HashMap::new();
        for row in rows {
            per_registrant.entry(row.parent_id).or_default().push(row);
        }
        Ok(per_registrant
            .into_iter()
            .filter_map(|(id, joins)| merge_joins(id, joins).map(|m| (RegistrantAttendance(id), m)))
            .collect())
    }
}

/// One registrant's join rows (already few, already ordered) as an attendee.
fn merge_joins(
    registrant_id: i64,
    joins: Vec<registration::RegistrantJoinRow>,
) -> Option<MergedAttendee> {
    let first_join_time = joins.iter().map(|j| j.join_time).min()?;
    // None while a join is still in the meeting (as `attendee_pages` computes it).
    let last_leave_time = joins
        .iter()
        .map(|j| j.leave_time)
        .collect::<Option<Vec<_>>>()
        .and_then(|leaves| leaves.into_iter().max());
    let total_seconds = joins.iter().map(|j| j.duration_seconds).sum();
    let count = joins.len() as i64;
    let person_key = format!("r{registrant_id}");
    Some(MergedAttendee {
        person_key: person_key.clone(),
        joins: joins
            .into_iter()
            .map(|j| AttendeeJoinRow {
                parent_id: registrant_id,
                person_key: person_key.clone(),
                first_join_time,
                last_leave_time,
                total_seconds,
                joins: count,
                name: j.name,
                email: j.email,
                user_id: j.user_id,
                role: j.role,
                join_time: j.join_time,
                leave_time: j.leave_time,
            })
            .collect(),
    })
}
