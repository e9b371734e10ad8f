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
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_qa_question_account_id"
    )]
    Account,
    #[sea_orm(
        belongs_to = "super::meeting::Entity",
        from = "Column::MeetingId",
        to = "super::meeting::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_qa_question_meeting_id"
    )]
    Meeting,
    #[sea_orm(has_many = "super::qa_answer::Entity")]
    QaAnswer,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl Related<super::meeting::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Meeting.def()
    }
}

impl Related<super::qa_answer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::QaAnswer.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
