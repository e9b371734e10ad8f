//! A dial-in, call-out or SIP audio leg of a meeting session, with its cost.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "telephone_call")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The platform's id, unique per account.
    pub source_id: String,
    pub session_id: i64,
    pub meeting_id: i64,
    pub participant_id: Option<i64>,
    /// The platform's per-join id of the join row this leg is (within its session): how
    /// `participant_id` is found whichever arrives first.
    pub participant_join_id: Option<String>,
    /// `TOLL_FREE` | `TOLL` | `CALL_OUT` | `SIP`.
    pub call_type: String,
    pub caller_number: String,
    pub called_number: String,
    pub country: String,
    pub start_time: DateTimeUtc,
    pub end_time: DateTimeUtc,
    pub duration_seconds: i64,
    /// In millionths of `currency`.
    pub rate_per_minute_micros: i64,
    /// In millionths of `currency`.
    pub total_cost_micros: i64,
    pub currency: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
