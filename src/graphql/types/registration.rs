//! The Registration report's rows.

use async_graphql::{Context, Enum, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};

use crate::graphql::{
    connection::{Connection, ConnectionKind, Edge, ListTotal},
    context::request,
    error::ApiResult,
    loaders::{RegistrantAttendance, RegistrantCountOf, RegistrantPageKey, Siblings},
    types::{attendee::Attendee, meetings::MeetingRef},
};
use reports::registration::{RegistrantFilter, RegistrantRow};

/// Where a registration stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum RegistrantStatus {
    /// Approved: expected to attend.
    Approved,
    /// Waiting for the host's approval.
    Pending,
    /// Refused by the host.
    Denied,
}

impl RegistrantStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrantStatus::Approved => "APPROVED",
            RegistrantStatus::Pending => "PENDING",
            RegistrantStatus::Denied => "DENIED",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "APPROVED" => RegistrantStatus::Approved,
            "PENDING" => RegistrantStatus::Pending,
            "DENIED" => RegistrantStatus::Denied,
            _ => return None,
        })
    }
}

/// An answer to one of the registration form's custom questions.
#[derive(SimpleObject, Clone, serde::Deserialize)]
pub struct CustomAnswer {
    /// The question.
    pub question: String,
    /// The registrant's answer.
    pub answer: String,
}

pub struct Registrant {
    pub row: RegistrantRow,
    /// The pages it was loaded with (of every sibling meeting): the attendance of all their
    /// registrants loads at once.
    pub siblings: Siblings<RegistrantPageKey>,
}

impl Registrant {
    pub fn in_group(
        rows: Vec<RegistrantRow>,
        siblings: &Siblings<RegistrantPageKey>,
    ) -> Vec<Registrant> {
        rows.into_iter()
            .map(|row| Registrant {
                row,
                siblings: siblings.clone(),
            })
            .collect()
    }
}

/// Someone who registered for a meeting or webinar, and whether they came.
#[Object]
impl Registrant {
    /// The registrant's id in this API.
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// The registrant's email.
    async fn email(&self) -> &str {
        &self.row.email
    }

    /// First name.
    async fn first_name(&self) -> &str {
        &self.row.first_name
    }

    /// Last name.
    async fn last_name(&self) -> &str {
        &self.row.last_name
    }

    /// Approved, pending or denied.
    async fn status(&self) -> Option<RegistrantStatus> {
        RegistrantStatus::parse(&self.row.status)
    }

    /// When they registered.
    async fn registered_at(&self) -> DateTime<Utc> {
        self.row.registered_at
    }

    /// Their answers to the registration form's custom questions.
    async fn custom_answers(&self) -> Vec<CustomAnswer> {
        // Stored as JSON by ingestion; a malformed value shows as no answers rather than failing
        // the whole report.
        serde_json::from_str(&self.row.custom_answers).unwrap_or_else(|err| {
            tracing::warn!(registrant = self.row.id, error = %err, "unreadable custom answers");
            Vec::new()
        })
    }

    /// True when they joined: a join row of the meeting carries their registrant id, or, when
    /// it carries none, their email.
    async fn attended(&self) -> bool {
        self.row.attended
    }

    /// What they did: their join rows merged; null when they never joined.
    async fn attendee(&self, ctx: &Context<'_>) -> Result<Option<Attendee>> {
        let rc = request(ctx)?;
        if !self.row.attended {
            return Ok(None);
        }
        let loader = &rc.loader;
        let merged = self
            .siblings
            .load_from(
                loader,
                RegistrantAttendance(self.row.id),
                |pages| async move {
                    // The pages are in the loader's cache: no statement.
                    let pages = loader
                        .load_many(pages.iter().cloned())
                        .await
                        .unwrap_or_default();
                    pages
                        .values()
                        .flat_map(|page| page.rows.iter())
                        .filter(|r| r.attended)
                        .map(|r| RegistrantAttendance(r.id))
                        .collect()
                },
            )
            .await?;
        Ok(merged.map(Attendee::try_from).transpose()?)
    }
}

/// The list behind `RegistrantConnection`.
pub struct RegistrantList;

impl ConnectionKind for RegistrantList {
    const CONNECTION: &'static str = "RegistrantConnection";
    const CONNECTION_DOC: &'static str = "A page of registrants, as a Relay connection.";
    const EDGE: &'static str = "RegistrantEdge";
    const EDGE_DOC: &'static str = "A registrant with its cursor.";
    type Node = Registrant;
    type Total = RegistrantTotal;
}

pub type RegistrantConnection = Connection<RegistrantList>;
pub type RegistrantEdge = Edge<RegistrantList>;

/// Counts a meeting's registrants under a filter (for all its siblings at once).
pub struct RegistrantTotal {
    pub meeting_id: i64,
    pub filter: RegistrantFilter,
    pub siblings: Siblings<MeetingRef>,
    /// Counted by the page's own statement (a first page): no statement needed.
    pub known: Option<i64>,
}

impl ListTotal for RegistrantTotal {
    async fn count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        if let Some(n) = self.known {
            return Ok(n);
        }
        let rc = request(ctx)?;
        let key = RegistrantCountOf {
            meeting_id: self.meeting_id,
            filter: self.filter,
        };
        Ok(self
            .siblings
            .load(&rc.loader, key, |all| {
                all.iter()
                    .map(|m| RegistrantCountOf {
                        meeting_id: m.id,
                        ..key
                    })
                    .collect()
            })
            .await?
            .unwrap_or(0))
    }
}
