//! A meeting or webinar as created on the platform; each run of it is a `meeting_session`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The platform's id, unique per account.
    pub source_id: String,
    pub host_id: i64,
    /// `MEETING` | `WEBINAR`.
    pub kind: String,
    pub meeting_number: i64,
    pub topic: String,
    /// `INSTANT` | `SCHEDULED` | `RECURRING_FIXED` | `RECURRING_NO_FIXED_TIME`.
    pub meeting_type: String,
    pub scheduled_start: Option<DateTimeUtc>,
    pub planned_duration_minutes: Option<i32>,
    #[sea_orm(default_value = false)]
    pub registration_required: bool,
    pub created_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_meeting_account_id"
    )]
    Account,
    #[sea_orm(
        belongs_to = "super::app_user::Entity",
        from = "Column::HostId",
        to = "super::app_user::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_meeting_host_id"
    )]
    Host,
    #[sea_orm(has_many = "super::meeting_session::Entity")]
    MeetingSession,
    #[sea_orm(has_many = "super::registrant::Entity")]
    Registrant,
    #[sea_orm(has_many = "super::participant::Entity")]
    Participant,
    #[sea_orm(has_many = "super::poll::Entity")]
    Poll,
    #[sea_orm(has_many = "super::qa_question::Entity")]
    QaQuestion,
    #[sea_orm(has_many = "super::telephone_call::Entity")]
    TelephoneCall,
    #[sea_orm(has_many = "super::recording::Entity")]
    Recording,
    #[sea_orm(has_many = "super::remote_support_session::Entity")]
    RemoteSupportSession,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl Related<super::app_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Host.def()
    }
}

impl Related<super::meeting_session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::MeetingSession.def()
    }
}

impl Related<super::registrant::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Registrant.def()
    }
}

impl Related<super::participant::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Participant.def()
    }
}

impl Related<super::poll::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Poll.def()
    }
}

impl Related<super::qa_question::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::QaQuestion.def()
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

impl Related<super::remote_support_session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RemoteSupportSession.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
