//! A remote-support session held in a meeting, between a supporter and a supportee.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "remote_support_session")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The platform's id, unique per account.
    pub source_id: String,
    pub meeting_id: i64,
    pub supporter_id: Option<i64>,
    pub supportee_name: String,
    pub supportee_email: Option<String>,
    pub requested_at: DateTimeUtc,
    pub started_at: DateTimeUtc,
    pub ended_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_remote_support_session_account_id"
    )]
    Account,
    #[sea_orm(
        belongs_to = "super::meeting::Entity",
        from = "Column::MeetingId",
        to = "super::meeting::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_remote_support_session_meeting_id"
    )]
    Meeting,
    #[sea_orm(
        belongs_to = "super::app_user::Entity",
        from = "Column::SupporterId",
        to = "super::app_user::Column::Id",
        on_delete = "SetNull",
        fk_name = "fk_remote_support_session_supporter_id"
    )]
    Supporter,
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

impl Related<super::app_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Supporter.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
