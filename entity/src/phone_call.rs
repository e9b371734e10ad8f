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
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
