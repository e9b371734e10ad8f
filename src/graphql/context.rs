//! Request data: the viewer, the request's SQL runner, and its DataLoader; and the one parser
//! of the arguments every report opens with (range, page size, cursor).
//!
//! Built once per request and never shared: a loader living on the schema would share its cache
//! between users. The loader carries the viewer's account id, and every statement it runs puts
//! that id in its `WHERE`.

use async_graphql::{
    dataloader::{DataLoader, HashMapCache},
    Context,
};

use serde::de::DeserializeOwned;

use crate::{
    auth::Viewer,
    config::ReportSettings,
    db::Sql,
    graphql::{
        connection::page_size,
        error::{ApiError, ApiResult},
        loaders::AccountLoader,
        scalars::{decode_cursor, decode_key_cursor, CursorKind, Date, Keyset},
    },
};
use reports::range::ReportRange;

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
        // The batch delay is async-graphql's default (1 ms); it applies only to loads outside a
        // sibling group (`Siblings` runs its batch at once, with all its keys).
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

/// A report's range: `from` to `to` (inclusive days) in the viewer's zone, held to the rules of
/// history and interval length.
pub fn report_range(
    ctx: &Context<'_>,
    viewer: &Viewer,
    from: Date,
    to: Date,
) -> ApiResult<ReportRange> {
    ReportRange::new(
        from.0,
        to.0,
        viewer.time_zone,
        &settings(ctx)?.range_rules(),
    )
}

/// A list's page: its size (`first`, 0 to 300, default 30) and the keyset position it starts
/// after, from a cursor of list `kind`.
pub fn keyset_page<T: DeserializeOwned>(
    first: Option<i32>,
    after: Option<String>,
    kind: CursorKind,
) -> ApiResult<(usize, Option<Keyset<T>>)> {
    let first = page_size(first)?;
    let after = after.map(|c| decode_cursor::<T>(kind, &c)).transpose()?;
    Ok((first, after))
}

/// Like [`keyset_page`], for lists sorted by another key than a time (a figure, a name).
pub fn key_page<T: DeserializeOwned>(
    first: Option<i32>,
    after: Option<String>,
    kind: CursorKind,
) -> ApiResult<(usize, Option<T>)> {
    let first = page_size(first)?;
    let after = after
        .map(|c| decode_key_cursor::<T>(kind, &c))
        .transpose()?;
    Ok((first, after))
}
