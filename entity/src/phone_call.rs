//! A call on the account's phone system, inbound or outbound, with its charge.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "phone_call")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The platform's id, unique per account.
    pub source_id: String,
    pub user_id: Option<i64>,
    /// `INBOUND` | `OUTBOUND`.
    pub direction: String,
    pub caller_number: String,
    pub caller_name: Option<String>,
    pub callee_number: String,
    pub callee_name: Option<String>,
    pub start_time: DateTimeUtc,
    pub duration_seconds: i64,
    /// `ANSWERED` | `MISSED` | `VOICEMAIL` | `REJECTED` | `BUSY`.
    pub result: String,
    /// In millionths of `currency`.
    pub charge_micros: i64,
    pub currency: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id",
        on_delete = "Cascade",
        fk_name = "fk_phone_call_account_id"
    )]
    Account,
    #[sea_orm(
        belongs_to = "super::app_user::Entity",
        from = "Column::UserId",
        to = "super::app_user::Column::Id",
        on_delete = "SetNull",
        fk_name = "fk_phone_call_user_id"
    )]
    User,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl Related<super::app_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
