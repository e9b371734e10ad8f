//! One occurrence of a meeting, from its start to its end (`None` while it is still running).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_session")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The platform's id, unique per account.
    pub source_id: String,
    pub meeting_id: i64,
    pub start_time: DateTimeUtc,
    pub end_time: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_meeting_session_account_id"
    )]
    Account,
    #[sea_orm(
        belongs_to = "super::meeting::Entity",
        from = "Column::MeetingId",
        to = "super::meeting::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_meeting_session_meeting_id"
    )]
    Meeting,
    #[sea_orm(has_many = "super::participant::Entity")]
    Participant,
    #[sea_orm(has_many = "super::telephone_call::Entity")]
    TelephoneCall,
    #[sea_orm(has_many = "super::recording::Entity")]
    Recording,
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

impl Related<super::participant::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Participant.def()
    }
}

impl Related<super::telephone_call::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::TelephoneCall.def()
    }
}

impl Related<super::recording::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Recording.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
