//! The Usage report.

use async_graphql::{Object, SimpleObject};

use crate::graphql::{
    scalars::Date,
    types::{event::Event, session::MeetingSession, users::User},
};

/// One session a host held, with its figures.
pub struct UsageSession {
    pub event: Event,
    pub session: MeetingSession,
    pub participants: i64,
    pub meeting_minutes: i64,
}

/// One session of a meeting or webinar the host held in the range.
#[Object]
impl UsageSession {
    /// The meeting or webinar.
    async fn event(&self) -> &Event {
        &self.event
    }

    /// The session (start, end, duration).
    async fn session(&self) -> &MeetingSession {
        &self.session
    }

    /// People who joined the session; a rejoin counts once.
    async fn participants(&self) -> i64 {
        self.participants
    }

    /// The sum of every join's seconds in the session ÷ 60, rounded up: the portal's
    /// "meeting minutes".
    async fn meeting_minutes(&self) -> i64 {
        self.meeting_minutes
    }
}

/// The totals of a usage range.
#[derive(SimpleObject)]
pub struct UsageTotals {
    /// Sessions of meetings and webinars held.
    pub meetings: i64,
    /// Participants over all sessions (each session's people, added up).
    pub participants: i64,
    /// Meeting minutes over all sessions (each session's, added up).
    pub meeting_minutes: i64,
}

pub struct UsageReport {
    pub from: Date,
    pub to: Date,
    pub host: User,
    pub sessions: Vec<UsageSession>,
    pub totals: UsageTotals,
}

/// The Usage report of one host over a range: each session they held, and totals.
#[Object]
impl UsageReport {
    /// First day of the range.
    async fn from(&self) -> Date {
        self.from
    }

    /// Last day of the range.
    async fn to(&self) -> Date {
        self.to
    }

    /// The host the report is about.
    async fn host(&self) -> &User {
        &self.host
    }

    /// Every session of the host's meetings and webinars that started in the range, oldest
    /// first.
    async fn sessions(&self) -> &[UsageSession] {
        &self.sessions
    }

    /// The range's totals.
    async fn totals(&self) -> &UsageTotals {
        &self.totals
    }

    /// The newest stored meeting event the report reflects.
    async fn data_as_of(
        &self,
        ctx: &async_graphql::Context<'_>,
    ) -> async_graphql::Result<Option<chrono::DateTime<chrono::Utc>>> {
        Ok(
            crate::graphql::loaders::data_as_of(ctx, reports::freshness::FreshnessSource::Meetings)
                .await?,
        )
    }
}
