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
    /// The platform's account id (`payload.account_id` of its events), unique when set.
    #[sea_orm(unique)]
    pub platform_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
