//! An invoice issued to the account for a billing period; its lines are `billing_line` rows.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "billing_invoice")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The platform's id, unique per account.
    pub source_id: String,
    pub invoice_number: String,
    pub period_start: Date,
    pub period_end: Date,
    pub issued_at: DateTimeUtc,
    pub currency: String,
    /// In millionths of `currency`.
    pub amount_micros: i64,
    /// In millionths of `currency`.
    pub tax_micros: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
