//! An answer to a Q&A question, typed or given live.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "qa_answer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The platform's id, when it identifies the row; unique per account.
    pub source_id: Option<String>,
    pub question_id: i64,
    pub answerer_name: String,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    pub answered_at: DateTimeUtc,
    /// `TEXT` | `LIVE`.
    pub kind: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_qa_answer_account_id"
    )]
    Account,
    #[sea_orm(
        belongs_to = "super::qa_question::Entity",
        from = "Column::QuestionId",
        to = "super::qa_question::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_qa_answer_question_id"
    )]
    Question,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl Related<super::qa_question::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Question.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
