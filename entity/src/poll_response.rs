//! One respondent's answer to a poll question.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "poll_response")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The platform's id, when it identifies the row; unique per account.
    pub source_id: Option<String>,
    pub question_id: i64,
    pub participant_id: Option<i64>,
    /// The platform's per-join id of the join row that answered (within the poll's
    /// occurrence): how `participant_id` is found whichever arrives first.
    pub participant_join_id: Option<String>,
    pub respondent_name: String,
    pub respondent_email: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub answer: String,
    pub answered_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
