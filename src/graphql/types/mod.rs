//! Output types, one per file. Each wraps a row (`From<entity::Model>` or a report row), so a
//! new column cannot reach the API, or get around a guard, without being written here.

pub mod account;
pub mod account_usage;
pub mod activity;
pub mod attendee;
pub mod billing;
pub mod cloud_recording;
pub mod event;
pub mod meetings;
pub mod participant;
pub mod performance;
pub mod phone_system;
pub mod polls;
pub mod qa;
pub mod registration;
pub mod session;
pub mod telephone;
pub mod usage;
pub mod users;
pub mod viewer;

use async_graphql::ID;

use crate::graphql::error::ApiError;

/// Parses an `ID` argument naming a row; an id that is not one of ours reads as not found, so
/// ids of any kind cannot be probed.
pub fn row_id(id: &ID, what: &str) -> Result<i64, ApiError> {
    id.parse::<i64>()
        .map_err(|_| ApiError::NotFound(format!("no {what} with id {}", id.as_str())))
}

/// Parses an `ID` used as a filter; malformed is bad input.
pub fn filter_id(id: &ID, argument: &str) -> Result<i64, ApiError> {
    id.parse::<i64>()
        .map_err(|_| ApiError::bad_input(format!("`{argument}` is not an id: {}", id.as_str())))
}
