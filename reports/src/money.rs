//! Money as the database adds it up: exact integer millionths of the currency unit, per
//! currency (amounts of different currencies are never summed together).

use sea_orm::FromQueryResult;

/// An amount of money summed per currency by the database.
#[derive(Debug, Clone, FromQueryResult)]
pub struct CurrencySum {
    pub currency: String,
    pub calls: i64,
    pub micros: i64,
}
