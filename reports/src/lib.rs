//! Report logic: the SQL behind every report, independent of GraphQL, so the GraphQL fields and
//! the CSV export share it. Every function takes the account id and puts it in its `WHERE`.
//!
//! This crate depends on `sea-orm` and on no GraphQL or HTTP crate: the compiler keeps the
//! layers apart. Besides the reports it holds what they share with the layers above: the domain
//! [`Error`], the date-range rules ([`range`]), keyset cursors ([`cursor`]) and the per-request
//! statement runner ([`sql::Sql`]).

pub mod cursor;
pub mod error;
pub mod range;
pub mod sql;

pub mod account_usage;
pub mod activity;
pub mod aggregates;
pub mod billing;
pub mod cloud_recording;
pub mod expiry;
pub mod freshness;
pub mod live_meetings;
pub mod meetings;
pub mod money;
pub mod per_parent;
pub mod performance;
pub mod phone_system;
pub mod polls;
pub mod qa;
pub mod registration;
pub mod remote_support;
pub mod telephone;
pub mod upcoming;
pub mod usage;
pub mod users;

pub use error::{Error, Result};

use chrono::{DateTime, Utc};
use sea_orm::{FromQueryResult, QueryResult};

/// The person behind a join row, so rejoins merge: the platform user when signed in, else the
/// email, else the display name. The same expression serves every report that counts people.
pub const PERSON_KEY: &str = "CASE WHEN p.user_id IS NOT NULL THEN 'u' || CAST(p.user_id AS TEXT) \
     WHEN p.email IS NOT NULL AND p.email <> '' THEN 'e' || LOWER(p.email) \
     ELSE 'n' || p.name END";

/// The seconds join row `p` counts: its duration once it has left; while it is still in the
/// meeting (no leave yet), the seconds from its join up to the statement's own "now"
/// (`unixepoch()`: SQLite's built-in, and on PostgreSQL the function of the live-participants
/// migration), never below zero.
pub const SECONDS_IN: &str =
    "COALESCE(p.duration_seconds, CASE WHEN unixepoch() > unixepoch(p.join_time) \
     THEN unixepoch() - unixepoch(p.join_time) ELSE 0 END)";

/// A row plus the time it is sorted by (a keyset column computed by the query).
#[derive(Debug, Clone)]
pub struct Sorted<M> {
    pub row: M,
    pub sort_time: DateTime<Utc>,
}

impl<M: FromQueryResult> FromQueryResult for Sorted<M> {
    fn from_query_result(
        res: &QueryResult,
        pre: &str,
    ) -> std::result::Result<Self, sea_orm::DbErr> {
        Ok(Self {
            row: M::from_query_result(res, pre)?,
            sort_time: res.try_get(pre, "sort_time")?,
        })
    }
}

/// A row of a page that may carry the whole list's size (column `list_total`, the same on every
/// row), so the page and its `totalCount` come back in one statement.
#[derive(Debug, Clone)]
pub struct Counted<M> {
    pub row: M,
    pub list_total: Option<i64>,
}

impl<M: FromQueryResult> FromQueryResult for Counted<M> {
    fn from_query_result(
        res: &QueryResult,
        pre: &str,
    ) -> std::result::Result<Self, sea_orm::DbErr> {
        Ok(Self {
            row: M::from_query_result(res, pre)?,
            list_total: res.try_get(pre, "list_total").ok(),
        })
    }
}

/// A row of a per-parent page: which parent it belongs to and its rank there.
#[derive(Debug, Clone)]
pub struct Ranked<M> {
    pub row: M,
    pub parent_id: i64,
}

impl<M: FromQueryResult> FromQueryResult for Ranked<M> {
    fn from_query_result(
        res: &QueryResult,
        pre: &str,
    ) -> std::result::Result<Self, sea_orm::DbErr> {
        Ok(Self {
            row: M::from_query_result(res, pre)?,
            parent_id: res.try_get(pre, "parent_id")?,
        })
    }
}

/// `search` as a case-insensitive `LIKE` pattern, its wildcards escaped (use `ESCAPE '\'`).
pub fn like_pattern(search: &str) -> String {
    let mut p = String::from("%");
    for c in search.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// A total (`SELECT COUNT(..) AS n`).
#[derive(Debug, Clone, FromQueryResult)]
pub struct Total {
    pub n: i64,
}

/// A count row (`SELECT ... AS parent_id, COUNT(..) AS n`).
#[derive(Debug, Clone, FromQueryResult)]
pub struct CountRow {
    pub parent_id: i64,
    pub n: i64,
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(super::like_pattern(" Team_A 100% "), "%team\\_a 100\\%%");
    }
}
