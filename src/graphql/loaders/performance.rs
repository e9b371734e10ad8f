//! The Performance report of webinars.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;

use super::{AccountLoader, ParentKey};
use crate::graphql::error::ApiError;
use reports::performance::{performance_of, PerformanceRow};

/// A webinar's performance figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PerformanceOf(pub i64);

impl ParentKey for PerformanceOf {}

impl Loader<PerformanceOf> for AccountLoader {
    type Value = PerformanceRow;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[PerformanceOf],
    ) -> Result<HashMap<PerformanceOf, PerformanceRow>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = performance_of(&self.sql, self.account_id, &ids).await?;
        Ok(rows
            .into_iter()
            .map(|r| (PerformanceOf(r.parent_id), r))
            .collect())
    }
}
