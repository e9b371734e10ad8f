//! Request data: the viewer, the request's SQL runner, and its DataLoader.
//!
//! Built once per request and never shared: a loader living on the schema would share its cache
//! between users. The loader carries the viewer's account id, and every statement it runs puts
//! that id in its `WHERE`.

use async_graphql::{
    dataloader::{DataLoader, HashMapCache},
    Context,
};

use crate::{
    auth::Viewer,
    config::ReportSettings,
    db::Sql,
    graphql::{
        error::{ApiError, ApiResult},
        loaders::AccountLoader,
    },
};

pub struct RequestContext {
    pub viewer: Viewer,
    pub sql: Sql,
    pub loader: DataLoader<AccountLoader, HashMapCache>,
}

impl RequestContext {
    pub fn new(viewer: Viewer, sql: Sql) -> Self {
        // The cache lets a sibling group's batch answer each sibling's own `load_one`.
        let loader = DataLoader::with_cache(
            AccountLoader {
                sql: sql.clone(),
                account_id: viewer.account_id,
            },
            tokio::spawn,
            HashMapCache::default(),
        );
        // The batch delay is async-graphql's default (1 ms per level of the query); `Siblings`
        // already hands each relation all its keys in one `load_many`. bench/README.md says
        // what changing it did and did not show.
        Self {
            viewer,
            sql,
            loader,
        }
    }
}

/// The request's context; `UNAUTHENTICATED` when the request carried no valid token (only
/// introspection runs without one).
pub fn request<'a>(ctx: &Context<'a>) -> ApiResult<&'a RequestContext> {
    ctx.data_opt::<RequestContext>()
        .ok_or(ApiError::Unauthenticated)
}

/// The request's context, for report fields: also enforces the plan rule.
pub fn report_request<'a>(ctx: &Context<'a>) -> ApiResult<&'a RequestContext> {
    let rc = request(ctx)?;
    rc.viewer.require_reports_plan()?;
    Ok(rc)
}

pub fn settings<'a>(ctx: &Context<'a>) -> ApiResult<&'a ReportSettings> {
    ctx.data_opt::<ReportSettings>().ok_or_else(|| {
        tracing::error!("report settings missing from the schema data");
        ApiError::Internal
    })
}
