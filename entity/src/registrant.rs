//! A registration for a meeting or webinar.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registrant")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The platform's id, unique per account.
    pub source_id: String,
    pub meeting_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// `APPROVED` | `PENDING` | `DENIED`.
    pub status: String,
    pub registered_at: DateTimeUtc,
    /// JSON array of `{"question": .., "answer": ..}`.
    #[sea_orm(column_type = "Text", default_value = "[]")]
    pub custom_answers: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
