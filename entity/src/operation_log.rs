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
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_operation_log_account_id"
    )]
    Account,
    #[sea_orm(
        belongs_to = "super::app_user::Entity",
        from = "Column::OperatorId",
        to = "super::app_user::Column::Id",
        on_delete = "SetNull",
        fk_name = "fk_operation_log_operator_id"
    )]
    Operator,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl Related<super::app_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Operator.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
