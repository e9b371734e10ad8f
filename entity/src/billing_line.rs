//! A line of an invoice, optionally charged to a department.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "billing_line")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The platform's id, when it identifies the row; unique per account.
    pub source_id: Option<String>,
    pub invoice_id: i64,
    pub department_id: Option<i64>,
    pub description: String,
    pub licenses: i32,
    /// In millionths of the invoice's currency.
    pub amount_micros: i64,
    /// In millionths of the invoice's currency.
    pub tax_micros: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_billing_line_account_id"
    )]
    Account,
    #[sea_orm(
        belongs_to = "super::billing_invoice::Entity",
        from = "Column::InvoiceId",
        to = "super::billing_invoice::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_billing_line_invoice_id"
    )]
    Invoice,
    #[sea_orm(
        belongs_to = "super::department::Entity",
        from = "Column::DepartmentId",
        to = "super::department::Column::Id",
        on_delete = "SetNull",
        fk_name = "fk_billing_line_department_id"
    )]
    Department,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl Related<super::billing_invoice::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Invoice.def()
    }
}

impl Related<super::department::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Department.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
