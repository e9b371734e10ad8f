//! A user of an account: whoever signs in to the portal or hosts meetings.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The platform's id, unique per account when set.
    pub source_id: Option<String>,
    /// Unique across all accounts.
    #[sea_orm(unique)]
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// `OWNER` | `ADMIN` | `MEMBER`; `custom_role_id` adds privileges on top.
    pub role: String,
    pub custom_role_id: Option<i64>,
    pub department_id: Option<i64>,
    /// `BASIC` | `LICENSED`.
    pub user_type: String,
    pub created_at: DateTimeUtc,
    pub last_login_at: Option<DateTimeUtc>,
    pub last_client_version: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_app_user_account_id"
    )]
    Account,
    #[sea_orm(
        belongs_to = "super::custom_role::Entity",
        from = "Column::CustomRoleId",
        to = "super::custom_role::Column::Id",
        on_delete = "SetNull",
        fk_name = "fk_app_user_custom_role_id"
    )]
    CustomRole,
    #[sea_orm(
        belongs_to = "super::department::Entity",
        from = "Column::DepartmentId",
        to = "super::department::Column::Id",
        on_delete = "SetNull",
        fk_name = "fk_app_user_department_id"
    )]
    Department,
    #[sea_orm(has_many = "super::meeting::Entity")]
    Meeting,
    #[sea_orm(has_many = "super::participant::Entity")]
    Participant,
    #[sea_orm(has_many = "super::phone_call::Entity")]
    PhoneCall,
    #[sea_orm(has_many = "super::remote_support_session::Entity")]
    RemoteSupportSession,
    #[sea_orm(has_many = "super::operation_log::Entity")]
    OperationLog,
    #[sea_orm(has_many = "super::sign_in_event::Entity")]
    SignInEvent,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl Related<super::custom_role::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CustomRole.def()
    }
}

impl Related<super::department::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Department.def()
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
