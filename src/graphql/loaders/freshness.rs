//! `dataAsOf`: the newest stored event of a family of tables, once per request and source.

use std::collections::HashMap;

use async_graphql::{dataloader::Loader, Context};
use chrono::{DateTime, Utc};

use super::AccountLoader;
use crate::graphql::{context::request, error::ApiError};
use reports::freshness::{self, FreshnessSource};

/// The newest event of one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Freshness(pub FreshnessSource);

impl Loader<Freshness> for AccountLoader {
    type Value = Option<DateTime<Utc>>;
    type Error = ApiError;

    async fn load(&self, keys: &[Freshness]) -> Result<HashMap<Freshness, Self::Value>, ApiError> {
        let mut out = HashMap::new();
        for key in keys {
            out.insert(
                *key,
                freshness::data_as_of(&self.sql, self.account_id, key.0).await?,
            );
        }
        Ok(out)
    }
}

/// The newest stored event of `source` for the viewer's account (cached for the request).
pub async fn data_as_of(
    ctx: &Context<'_>,
    source: FreshnessSource,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    let rc = request(ctx)?;
    Ok(rc.loader.load_one(Freshness(source)).await?.flatten())
}
