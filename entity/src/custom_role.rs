//! An account-scoped custom role: report privileges on top of the built-in `app_user.role`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "custom_role")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    #[sea_orm(default_value = false)]
    pub usage_reports: bool,
    #[sea_orm(default_value = false)]
    pub user_activity_reports: bool,
    #[sea_orm(default_value = false)]
    pub billing_reports: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
