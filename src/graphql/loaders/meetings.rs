//! A meeting's sessions, participants (join rows) and attendees (merged per person).

use std::collections::HashMap;

use async_graphql::dataloader::Loader;

use super::{
    counts_by_parent, group_by_shape, ranked_pages, AccountLoader, ListTotals, Page, ParentKey,
    SiblingKey,
};
use crate::graphql::{connection::split_page, error::ApiError, scalars::Keyset};
use reports::meetings::{self, AttendeeJoinRow, SessionRow};

/// The sessions of a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionsOf(pub i64);

impl ParentKey for SessionsOf {}

impl Loader<SessionsOf> for AccountLoader {
    type Value = Vec<SessionRow>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[SessionsOf],
    ) -> Result<HashMap<SessionsOf, Self::Value>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let mut out: HashMap<SessionsOf, Vec<SessionRow>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in meetings::sessions_of(&self.sql, self.account_id, &ids).await? {
            if let Some(list) = out.get_mut(&SessionsOf(row.meeting_id)) {
                list.push(row);
            }
        }
        Ok(out)
    }
}

/// One page of a meeting's join rows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ParticipantPageKey {
    pub meeting_id: i64,
    pub first: usize,
    pub after: Option<Keyset<i64>>,
    /// `totalCount` is selected: a first page's statement counts each meeting's join rows too.
    pub with_total: bool,
}

impl SiblingKey for ParticipantPageKey {
    type Args = (usize, Option<Keyset<i64>>, bool);

    fn args(&self) -> Self::Args {
        (self.first, self.after.clone(), self.with_total)
    }
}

pub type ParticipantPage = Page<entity::participant::Model>;

impl Loader<ParticipantPageKey> for AccountLoader {
    type Value = ParticipantPage;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ParticipantPageKey],
    ) -> Result<HashMap<ParticipantPageKey, ParticipantPage>, ApiError> {
        ranked_pages(
            keys,
            |k| (k.first, k.after.clone(), k.with_total),
            |k| k.meeting_id,
            |ids, first, after, counted| async move {
                meetings::participant_pages(
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

/// How many join rows a meeting has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParticipantCountOf(pub i64);

impl ParentKey for ParticipantCountOf {}

impl Loader<ParticipantCountOf> for AccountLoader {
    type Value = i64;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ParticipantCountOf],
    ) -> Result<HashMap<ParticipantCountOf, i64>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = meetings::participant_counts(&self.sql, self.account_id, &ids).await?;
        Ok(counts_by_parent(keys, |k| k.0, rows))
    }
}

/// One page of a meeting's attendees.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AttendeePageKey {
    pub meeting_id: i64,
    pub first: usize,
    pub after: Option<Keyset<String>>,
    /// The query selects each attendee's `intervals`: every join row comes back, not only
    /// one per attendee.
    pub intervals: bool,
}

impl SiblingKey for AttendeePageKey {
    type Args = (usize, Option<Keyset<String>>, bool);

    fn args(&self) -> Self::Args {
        (self.first, self.after.clone(), self.intervals)
    }
}

/// An attendee: a person's join rows merged.
#[derive(Debug, Clone)]
pub struct MergedAttendee {
    pub person_key: String,
    pub joins: Vec<AttendeeJoinRow>,
}

#[derive(Debug, Clone, Default)]
pub struct AttendeePage {
    pub attendees: Vec<MergedAttendee>,
    pub has_next_page: bool,
    /// The meeting's number of attendees, on a first page (its statement counted them).
    pub total: Option<i64>,
}

impl Loader<AttendeePageKey> for AccountLoader {
    type Value = AttendeePage;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[AttendeePageKey],
    ) -> Result<HashMap<AttendeePageKey, AttendeePage>, ApiError> {
        let mut out = HashMap::new();
        for ((first, after, intervals), group) in
            group_by_shape(keys, |k| (k.first, k.after.clone(), k.intervals))
        {
            let ids: Vec<i64> = group.iter().map(|k| k.meeting_id).collect();
            let rows = meetings::attendee_pages(
                &self.sql,
                self.account_id,
                &ids,
                first,
                after.as_ref(),
                intervals,
            )
            .await?;
            let totals = after
                .is_none()
                .then(|| ListTotals::of(rows.iter().map(|r| (r.row.parent_id, r.list_total))));
            // Rows come ordered by meeting, attendee rank, join time: consecutive rows of the
            // same person form one attendee.
            let mut per_meeting: HashMap<i64, Vec<MergedAttendee>> = HashMap::new();
            for row in rows.into_iter().map(|r| r.row) {
                let list = per_meeting.entry(row.parent_id).or_default();
                match list.last_mut() {
                    Some(last) if last.person_key == row.person_key => last.joins.push(row),
                    _ => list.push(MergedAttendee {
                        person_key: row.person_key.clone(),
                        joins: vec![row],
                    }),
                }
            }
            for key in group {
                let attendees = per_meeting.remove(&key.meeting_id).unwrap_or_default();
                let (attendees, has_next_page) = split_page(attendees, first);
                let total = totals.as_ref().map(|t| t.get(key.meeting_id));
                out.insert(
                    key,
                    AttendeePage {
                        attendees,
                        has_next_page,
                        total,
                    },
                );
            }
        }
        Ok(out)
    }
}

/// How many attendees (people) a meeting has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AttendeeCountOf(pub i64);

impl ParentKey for AttendeeCountOf {}

impl Loader<AttendeeCountOf> for AccountLoader {
    type Value = i64;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[AttendeeCountOf],
    ) -> Result<HashMap<AttendeeCountOf, i64>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = meetings::attendee_counts(&self.sql, self.account_id, &ids).await?;
        Ok(counts_by_parent(keys, |k| k.0, rows))
    }
}

/// The phone legs of a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TelephoneLegsOf(pub i64);

impl ParentKey for TelephoneLegsOf {}

impl Loader<TelephoneLegsOf> for AccountLoader {
    type Value = Vec<reports::telephone::TelephoneLegRow>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[TelephoneLegsOf],
    ) -> Result<HashMap<TelephoneLegsOf, Self::Value>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let mut out: HashMap<TelephoneLegsOf, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for leg in reports::telephone::legs_of_meetings(&self.sql, self.account_id, &ids).await? {
            if let Some(list) = out.get_mut(&TelephoneLegsOf(leg.leg.meeting_id)) {
                list.push(leg);
            }
        }
        Ok(out)
    }
}

/// The cloud recordings of a meeting, each with its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RecordingsOf(pub i64);

impl ParentKey for RecordingsOf {}

impl Loader<RecordingsOf> for AccountLoader {
    type Value = Vec<(entity::recording::Model, Vec<entity::recording_file::Model>)>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[RecordingsOf],
    ) -> Result<HashMap<RecordingsOf, Self::Value>, ApiError> {
        use reports::cloud_recording::{files_of_recordings, recordings_of_meetings};
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        // Two statements per batch: the recordings, then all their files.
        let recordings = recordings_of_meetings(&self.sql, self.account_id, &ids).await?;
        let recording_ids: Vec<i64> = recordings.iter().map(|r| r.id).collect();
        let mut files: HashMap<i64, Vec<entity::recording_file::Model>> = HashMap::new();
        for file in files_of_recordings(&self.sql, self.account_id, &recording_ids).await? {
            files.entry(file.recording_id).or_default().push(file);
        }
        let mut out: HashMap<RecordingsOf, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for recording in recordings {
            let recording_files = files.remove(&recording.id).unwrap_or_default();
            if let Some(list) = out.get_mut(&RecordingsOf(recording.meeting_id)) {
                list.push((recording, recording_files));
            }
        }
        Ok(out)
    }
}
