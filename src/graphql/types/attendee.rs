//! A person in a meeting: their join rows merged.

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::graphql::{
    connection::{Connection, ConnectionKind, Edge, ListTotal},
    context::request,
    error::{ApiError, ApiResult},
    loaders::{AttendeeCountOf, MergedAttendee, Siblings},
    scalars::Keyset,
    types::{meetings::MeetingRef, participant::ParticipantRole},
};

pub struct Attendee {
    merged: MergedAttendee,
}

/// One stretch of time someone spent in the meeting.
#[derive(SimpleObject)]
pub struct Interval {
    /// When they joined.
    pub join_time: DateTime<Utc>,
    /// When they left; null while they are still in the meeting.
    pub leave_time: Option<DateTime<Utc>>,
}

impl TryFrom<MergedAttendee> for Attendee {
    type Error = ApiError;

    fn try_from(merged: MergedAttendee) -> Result<Self, ApiError> {
        if merged.joins.is_empty() {
            tracing::error!(person = %merged.person_key, "attendee without joins");
            return Err(ApiError::Internal);
        }
        Ok(Attendee { merged })
    }
}

impl Attendee {
    /// Every join of an attendee carries the merged figures; the first join is as good as any.
    fn head(&self) -> &reports::meetings::AttendeeJoinRow {
        &self.merged.joins[0]
    }

    pub fn keyset(&self) -> Keyset<String> {
        Keyset {
            time: self.head().first_join_time,
            tie: self.merged.person_key.clone(),
        }
    }
}

/// A person's join rows merged: first join, last leave, total time, rejoins and each interval.
#[Object]
impl Attendee {
    /// The display name of their first join.
    async fn name(&self) -> &str {
        &self.head().name
    }

    /// Their email, when any join carried one.
    async fn email(&self) -> Option<&str> {
        self.merged.joins.iter().find_map(|j| j.email.as_deref())
    }

    /// When they first joined.
    async fn first_join_time(&self) -> DateTime<Utc> {
        self.head().first_join_time
    }

    /// When they last left; null while they are still in the meeting.
    async fn last_leave_time(&self) -> Option<DateTime<Utc>> {
        self.head().last_leave_time
    }

    /// True while one of their joins is still in the meeting.
    async fn in_progress(&self) -> bool {
        self.head().last_leave_time.is_none()
    }

    /// Seconds in the meeting over all their joins (a join still in the meeting counts up to
    /// now).
    async fn total_seconds(&self) -> i64 {
        self.head().total_seconds
    }

    /// Minutes in the meeting over all their joins, rounded up.
    async fn total_minutes(&self) -> i64 {
        (self.head().total_seconds + 59) / 60
    }

    /// How many times they joined again after leaving (joins − 1).
    async fn rejoin_count(&self) -> i64 {
        self.head().joins - 1
    }

    /// The most prominent part they played over their joins: host, then panelist, then attendee.
    async fn role(&self) -> Option<ParticipantRole> {
        let roles: Vec<ParticipantRole> = self
            .merged
            .joins
            .iter()
            .filter_map(|j| ParticipantRole::parse(&j.role))
            .collect();
        [
            ParticipantRole::Host,
            ParticipantRole::Panelist,
            ParticipantRole::Attendee,
        ]
        .into_iter()
        .find(|r| roles.contains(r))
    }

    /// Each join's interval, in order.
    async fn intervals(&self) -> Vec<Interval> {
        self.merged
            .joins
            .iter()
            .map(|j| Interval {
                join_time: j.join_time,
                leave_time: j.leave_time,
            })
            .collect()
    }
}

/// The list behind `AttendeeConnection`.
pub struct AttendeeList;

impl ConnectionKind for AttendeeList {
    const CONNECTION: &'static str = "AttendeeConnection";
    const CONNECTION_DOC: &'static str =
        "A page of attendees (people, rejoins merged), as a Relay connection.";
    const EDGE: &'static str = "AttendeeEdge";
    const EDGE_DOC: &'static str = "An attendee with its cursor.";
    type Node = Attendee;
    type Total = AttendeeTotal;
}

pub type AttendeeConnection = Connection<AttendeeList>;
pub type AttendeeEdge = Edge<AttendeeList>;

/// Counts a meeting's attendees (for all its siblings at once).
pub struct AttendeeTotal {
    pub meeting_id: i64,
    pub siblings: Siblings<MeetingRef>,
    /// Counted by the page's own statement (a first page): no statement needed.
    pub known: Option<i64>,
}

impl ListTotal for AttendeeTotal {
    async fn count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        if let Some(n) = self.known {
            return Ok(n);
        }
        let rc = request(ctx)?;
        Ok(self
            .siblings
            .load(&rc.loader, AttendeeCountOf(self.meeting_id), |all| {
                all.iter().map(|m| AttendeeCountOf(m.id)).collect()
            })
            .await?
            .unwrap_or(0))
    }
}
