//! A question of a poll, at its `position`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "poll_question")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The platform's id, when it identifies the row; unique per account.
    pub source_id: Option<String>,
    pub poll_id: i64,
    pub position: i32,
    pub text: String,
    /// `SINGLE_CHOICE` | `MULTIPLE_CHOICE` | `SHORT_ANSWER`.
    pub question_type: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_poll_question_account_id"
    )]
    Account,
    #[sea_orm(
        belongs_to = "super::poll::Entity",
        from = "Column::PollId",
        to = "super::poll::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_poll_question_poll_id"
    )]
    Poll,
    #[sea_orm(has_many = "super::poll_response::Entity")]
    PollResponse,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl Related<super::poll::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Poll.def()
    }
}

impl Related<super::poll_response::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PollResponse.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
