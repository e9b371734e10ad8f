//! One event the platform sent (a verified webhook delivery), as received, with whether it
//! was applied to the report tables. The event store and the dead letter in one table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ingest_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `None` while no account has the event's platform account id.
    pub account_id: Option<i64>,
    /// `payload.account_id` of the event (empty when it names none).
    pub platform_account_id: String,
    /// The event's name, e.g. `meeting.started`.
    pub event: String,
    /// When the event occurred on the platform, ms since the epoch.
    pub event_ts: i64,
    /// The platform's id of the object the event is about (meeting number, user id, uuid).
    pub object_id: Option<String>,
    /// Hex SHA-256 of the event's name, time and canonical payload: unique.
    #[sea_orm(unique)]
    pub identity: String,
    /// `APPLIED` | `FAILED`.
    pub status: String,
    /// Why a `FAILED` event was not applied.
    pub reason: Option<String>,
    /// The request body as received.
    pub body: String,
    pub received_at: DateTimeUtc,
    pub applied_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
