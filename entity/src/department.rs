//! A department of an account (name unique per account); users and billing lines may belong to one.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "department")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub name: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_department_account_id"
    )]
    Account,
    #[sea_orm(has_many = "super::app_user::Entity")]
    AppUser,
    #[sea_orm(has_many = "super::billing_line::Entity")]
    BillingLine,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl Related<super::app_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AppUser.def()
    }
}

impl Related<super::billing_line::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::BillingLine.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
