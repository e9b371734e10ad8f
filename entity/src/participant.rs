//! One join of a meeting session: who joined, how, and from when to when (a rejoin is another row).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "participant")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The platform's id, unique per account.
    pub source_id: String,
    pub session_id: i64,
    /// Denormalised from the session: per-meeting pages and totals without a join.
    pub meeting_id: i64,
    pub user_id: Option<i64>,
    pub registrant_id: Option<i64>,
    pub name: String,
    pub email: Option<String>,
    pub join_time: DateTimeUtc,
    /// NULL: still in the meeting.
    pub leave_time: Option<DateTimeUtc>,
    /// `leave_time - join_time` in seconds; NULL while still in the meeting.
    pub duration_seconds: Option<i64>,
    /// `COMPUTER` | `PHONE` | `ROOM`.
    pub join_method: String,
    /// `HOST` | `PANELIST` | `ATTENDEE`.
    pub role: String,
    pub device: Option<String>,
    pub ip_address: Option<String>,
    pub location: Option<String>,
    /// The platform's user id of the person, when they joined signed in: links the row to
    /// their user (`user_id`) once that user is known.
    pub platform_user_id: Option<String>,
    /// The platform's registrant id of their registration, when they registered: links the
    /// row to the registrant (`registrant_id`) once that registration is known.
    pub platform_registrant_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
