//! An entry of the account's operation log: an administrative change, who made it and when.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "operation_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The platform's id, unique per account.
    pub source_id: String,
    pub occurred_at: DateTimeUtc,
    pub operator_id: Option<i64>,
    pub operator_email: String,
    /// Open-ended: `USER` | `USER_SETTINGS` | `ACCOUNT` | `BILLING` | `RECORDING` | `ROLE` |
    /// `WEBINAR` | `MEETING` | ...
    pub category: String,
    pub action: String,
    #[sea_orm(column_type = "Text")]
    pub detail: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
