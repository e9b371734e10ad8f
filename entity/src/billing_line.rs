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
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
