//! One join of a meeting, as the portal reports it.

use async_graphql::{Context, Enum, Object, Result, ID};
use chrono::{DateTime, Utc};

use crate::{
    auth::Privilege,
    graphql::{
        connection::{Connection, ConnectionKind, Edge, ListTotal},
        context::request,
        error::ApiResult,
        loaders::{ParticipantCountOf, Siblings},
        types::meetings::MeetingRef,
    },
};

/// How someone joined.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum JoinMethod {
    /// A desktop, mobile or web client.
    Computer,
    /// Dialled in by telephone.
    Phone,
    /// A meeting room system.
    Room,
}

/// The part someone played in a meeting or webinar.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ParticipantRole {
    /// The host.
    Host,
    /// A webinar panelist.
    Panelist,
    /// Everybody else.
    Attendee,
}

impl ParticipantRole {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "HOST" => ParticipantRole::Host,
            "PANELIST" => ParticipantRole::Panelist,
            "ATTENDEE" => ParticipantRole::Attendee,
            _ => return None,
        })
    }
}

pub struct Participant {
    pub row: entity::participant::Model,
    /// The meeting's host: with usage_reports holders, the one who sees IPs and locations.
    pub host_id: i64,
}

/// One join: a rejoin is a new row, as in the portal's participant report.
#[Object]
impl Participant {
    /// The join's id in this API.
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// The display name.
    async fn name(&self) -> &str {
        &self.row.name
    }

    /// The email, when the platform knows it.
    async fn email(&self) -> Option<&str> {
        self.row.email.as_deref()
    }

    /// When this join began.
    async fn join_time(&self) -> DateTime<Utc> {
        self.row.join_time
    }

    /// When this join ended; null while they are still in the meeting.
    async fn leave_time(&self) -> Option<DateTime<Utc>> {
        self.row.leave_time
    }

    /// Seconds between join and leave, for this join only; while they are still in the
    /// meeting, the seconds from their join up to the moment of this request.
    async fn duration_seconds(&self) -> i64 {
        self.row
            .duration_seconds
            .unwrap_or_else(|| (Utc::now() - self.row.join_time).num_seconds().max(0))
    }

    /// True while they are in the meeting (joined, not left yet): `leaveTime` is null and
    /// `durationSeconds` counts up to now.
    async fn in_progress(&self) -> bool {
        self.row.leave_time.is_none()
    }

    /// How they joined.
    async fn join_method(&self) -> Option<JoinMethod> {
        match self.row.join_method.as_str() {
            "COMPUTER" => Some(JoinMethod::Computer),
            "PHONE" => Some(JoinMethod::Phone),
            "ROOM" => Some(JoinMethod::Room),
            _ => None,
        }
    }

    /// Host, panelist or attendee.
    async fn role(&self) -> Option<ParticipantRole> {
        ParticipantRole::parse(&self.row.role)
    }

    /// The client's platform (Windows, Mac, iOS, ...).
    async fn device(&self) -> Option<&str> {
        self.row.device.as_deref()
    }

    /// The IP address they joined from. Personal data: only the meeting's host and holders of
    /// usage_reports see it; others get `FORBIDDEN`.
    async fn ip_address(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        request(ctx)?
            .viewer
            .require_host_or(self.host_id, Privilege::UsageReports)?;
        Ok(self.row.ip_address.as_deref())
    }

    /// Where they joined from (city, country). Personal data, guarded like `ipAddress`.
    async fn location(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        request(ctx)?
            .viewer
            .require_host_or(self.host_id, Privilege::UsageReports)?;
        Ok(self.row.location.as_deref())
    }
}

/// The list behind `ParticipantConnection`.
pub struct ParticipantList;

impl ConnectionKind for ParticipantList {
    const CONNECTION: &'static str = "ParticipantConnection";
    const CONNECTION_DOC: &'static str = "A page of join rows, as a Relay connection.";
    const EDGE: &'static str = "ParticipantEdge";
    const EDGE_DOC: &'static str = "A join row with its cursor.";
    type Node = Participant;
    type Total = ParticipantTotal;
}

pub type ParticipantConnection = Connection<ParticipantList>;
pub type ParticipantEdge = Edge<ParticipantList>;

/// Counts a meeting's join rows (for all its siblings at once).
pub struct ParticipantTotal {
    pub meeting_id: i64,
    pub siblings: Siblings<MeetingRef>,
    /// Counted by the page's own statement (a first page): no statement needed.
    pub known: Option<i64>,
}

impl ListTotal for ParticipantTotal {
    async fn count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        if let Some(n) = self.known {
            return Ok(n);
        }
        let rc = request(ctx)?;
        Ok(self
            .siblings
            .load(&rc.loader, ParticipantCountOf(self.meeting_id), |all| {
                all.iter().map(|m| ParticipantCountOf(m.id)).collect()
            })
            .await?
            .unwrap_or(0))
    }
}
