//! A question asked in the Q&A of a meeting or webinar.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "qa_question")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The platform's id, unique per account.
    pub source_id: String,
    pub meeting_id: i64,
    pub asker_name: String,
    pub asker_email: Option<String>,
    #[sea_orm(default_value = false)]
    pub anonymous: bool,
    #[sea_orm(column_type = "Text")]
    pub question: String,
    pub asked_at: DateTimeUtc,
    /// `OPEN` | `ANSWERED` | `DISMISSED`.
    pub status: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
