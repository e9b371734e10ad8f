//! A cloud recording of a meeting session; its files are `recording_file` rows.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recording")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The platform's id, unique per account.
    pub source_id: String,
    pub meeting_id: i64,
    pub session_id: i64,
    pub start_time: DateTimeUtc,
    pub end_time: DateTimeUtc,
    pub total_size_bytes: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_recording_account_id"
    )]
    Account,
    #[sea_orm(
        belongs_to = "super::meeting::Entity",
        from = "Column::MeetingId",
        to = "super::meeting::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_recording_meeting_id"
    )]
    Meeting,
    #[sea_orm(
        belongs_to = "super::meeting_session::Entity",
        from = "Column::SessionId",
        to = "super::meeting_session::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_recording_session_id"
    )]
    Session,
    #[sea_orm(has_many = "super::recording_file::Entity")]
    RecordingFile,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl Related<super::meeting::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Meeting.def()
    }
}

impl Related<super::meeting_session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Session.def()
    }
}

impl Related<super::recording_file::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RecordingFile.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
