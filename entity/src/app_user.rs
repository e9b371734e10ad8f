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
    /// When the platform deactivated or deleted the user; their history stays. `None`: active.
    pub deactivated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
