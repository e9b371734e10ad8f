//! A tenant account (one organisation); every other table except `server_setting` is scoped to one.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[sea_orm(unique)]
    pub domain: String,
    /// `BASIC` | `PRO` | `BUSINESS` | `ENTERPRISE` | `EDUCATION` | `API`.
    pub plan: String,
    /// IANA zone: report days are cut in it.
    pub time_zone: String,
    #[sea_orm(default_value = false)]
    pub billing_reports_enabled: bool,
    #[sea_orm(default_value = false)]
    pub webinar_addon: bool,
    /// `None`: the account has no phone-system plan.
    pub phone_plan: Option<String>,
    #[sea_orm(default_value = 0)]
    pub cloud_storage_allowance_bytes: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::department::Entity")]
    Department,
    #[sea_orm(has_many = "super::custom_role::Entity")]
    CustomRole,
    #[sea_orm(has_many = "super::app_user::Entity")]
    AppUser,
    #[sea_orm(has_many = "super::meeting::Entity")]
    Meeting,
    #[sea_orm(has_many = "super::meeting_session::Entity")]
    MeetingSession,
    #[sea_orm(has_many = "super::registrant::Entity")]
    Registrant,
    #[sea_orm(has_many = "super::participant::Entity")]
    Participant,
    #[sea_orm(has_many = "super::poll::Entity")]
    Poll,
    #[sea_orm(has_many = "super::poll_question::Entity")]
    PollQuestion,
    #[sea_orm(has_many = "super::poll_response::Entity")]
    PollResponse,
    #[sea_orm(has_many = "super::qa_question::Entity")]
    QaQuestion,
    #[sea_orm(has_many = "super::qa_answer::Entity")]
    QaAnswer,
    #[sea_orm(has_many = "super::telephone_call::Entity")]
    TelephoneCall,
    #[sea_orm(has_many = "super::recording::Entity")]
    Recording,
    #[sea_orm(has_many = "super::recording_file::Entity")]
    RecordingFile,
    #[sea_orm(has_many = "super::storage_usage_daily::Entity")]
    StorageUsageDaily,
    #[sea_orm(has_many = "super::phone_call::Entity")]
    PhoneCall,
    #[sea_orm(has_many = "super::remote_support_session::Entity")]
    RemoteSupportSession,
    #[sea_orm(has_many = "super::billing_invoice::Entity")]
    BillingInvoice,
    #[sea_orm(has_many = "super::billing_line::Entity")]
    BillingLine,
    #[sea_orm(has_many = "super::operation_log::Entity")]
    OperationLog,
    #[sea_orm(has_many = "super::sign_in_event::Entity")]
    SignInEvent,
}

impl Related<super::department::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Department.def()
    }
}

impl Related<super::custom_role::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CustomRole.def()
    }
}

impl Related<super::app_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AppUser.def()
    }
}

impl Related<super::meeting::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Meeting.def()
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

impl Related<super::poll_question::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PollQuestion.def()
    }
}

impl Related<super::poll_response::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PollResponse.def()
    }
}

impl Related<super::qa_question::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::QaQuestion.def()
    }
}

impl Related<super::qa_answer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::QaAnswer.def()
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

impl Related<super::recording_file::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RecordingFile.def()
    }
}

impl Related<super::storage_usage_daily::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::StorageUsageDaily.def()
    }
}

impl Related<super::phone_call::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PhoneCall.def()
    }
}

impl Related<super::remote_support_session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RemoteSupportSession.def()
    }
}

impl Related<super::billing_invoice::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::BillingInvoice.def()
    }
}

impl Related<super::billing_line::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::BillingLine.def()
    }
}

impl Related<super::operation_log::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OperationLog.def()
    }
}

impl Related<super::sign_in_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SignInEvent.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
