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
    pub respondent_name: String,
    pub respondent_email: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub answer: String,
    pub answered_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_poll_response_account_id"
    )]
    Account,
    #[sea_orm(
        belongs_to = "super::poll_question::Entity",
        from = "Column::QuestionId",
        to = "super::poll_question::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_poll_response_question_id"
    )]
    Question,
    #[sea_orm(
        belongs_to = "super::participant::Entity",
        from = "Column::ParticipantId",
        to = "super::participant::Column::Id",
        on_delete = "SetNull",
        fk_name = "fk_poll_response_participant_id"
    )]
    Participant,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl Related<super::poll_question::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Question.def()
    }
}

impl Related<super::participant::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Participant.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
