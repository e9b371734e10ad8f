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
    pub leave_time: DateTimeUtc,
    pub duration_seconds: i64,
    /// `COMPUTER` | `PHONE` | `ROOM`.
    pub join_method: String,
    /// `HOST` | `PANELIST` | `ATTENDEE`.
    pub role: String,
    pub device: Option<String>,
    pub ip_address: Option<String>,
    pub location: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_participant_account_id"
    )]
    Account,
    #[sea_orm(
        belongs_to = "super::meeting_session::Entity",
        from = "Column::SessionId",
        to = "super::meeting_session::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_participant_session_id"
    )]
    Session,
    #[sea_orm(
        belongs_to = "super::meeting::Entity",
        from = "Column::MeetingId",
        to = "super::meeting::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_participant_meeting_id"
    )]
    Meeting,
    #[sea_orm(
        belongs_to = "super::app_user::Entity",
        from = "Column::UserId",
        to = "super::app_user::Column::Id",
        on_delete = "SetNull",
        fk_name = "fk_participant_user_id"
    )]
    User,
    #[sea_orm(
        belongs_to = "super::registrant::Entity",
        from = "Column::RegistrantId",
        to = "super::registrant::Column::Id",
        on_delete = "SetNull",
        fk_name = "fk_participant_registrant_id"
    )]
    Registrant,
    #[sea_orm(has_many = "super::poll_response::Entity")]
    PollResponse,
    #[sea_orm(has_many = "super::telephone_call::Entity")]
    TelephoneCall,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl Related<super::meeting_session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Session.def()
    }
}

impl Related<super::meeting::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Meeting.def()
    }
}

impl Related<super::app_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl Related<super::registrant::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Registrant.def()
    }
}

impl Related<super::poll_response::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PollResponse.def()
    }
}

impl Related<super::telephone_call::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::TelephoneCall.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
