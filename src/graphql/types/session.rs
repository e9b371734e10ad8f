//! One occurrence of a meeting.

use async_graphql::{Object, ID};
use chrono::{DateTime, Utc};

use reports::meetings::SessionRow;

pub struct MeetingSession(pub SessionRow);

/// One occurrence (instance) of a meeting: a start, an end, the people in it.
#[Object]
impl MeetingSession {
    /// The session's id in this API.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The platform's instance UUID.
    async fn uuid(&self) -> &str {
        &self.0.source_id
    }

    /// When it started.
    async fn start_time(&self) -> DateTime<Utc> {
        self.0.start_time
    }

    /// When it ended; null while it is still going on.
    async fn end_time(&self) -> Option<DateTime<Utc>> {
        self.0.end_time
    }

    /// Minutes from start to end, rounded up as the portal does; null while it goes on.
    async fn duration_minutes(&self) -> Option<i64> {
        self.0
            .end_time
            .map(|end| ((end - self.0.start_time).num_seconds().max(0) + 59) / 60)
    }

    /// True while it goes on (started, not ended): `endTime` and `durationMinutes` are null,
    /// and `meetingMinutes` counts the joins still in it up to the moment of this request.
    async fn in_progress(&self) -> bool {
        self.0.end_time.is_none()
    }

    /// People who joined it (rejoins count once).
    async fn participants_count(&self) -> i64 {
        self.0.participants
    }

    /// Every join's seconds ÷ 60, rounded up: the portal's meeting minutes of this session
    /// (a join still in the meeting counts its seconds up to now).
    async fn meeting_minutes(&self) -> i64 {
        self.0.meeting_minutes
    }
}
