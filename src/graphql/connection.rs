//! Relay connections: `edges { cursor node }`, `nodes`, `pageInfo`, `totalCount`.
//!
//! Every page is cut in SQL with a keyset (`after` = the last row's sort key and id) and one
//! extra row that answers `hasNextPage`. `totalCount` is a separate aggregate, run only when a
//! query asks for it.

use std::{borrow::Cow, future::Future};

use async_graphql::{Context, Description, Object, OutputType, Result, SimpleObject, TypeName};
use chrono::{DateTime, Utc};

use crate::graphql::{
    error::{ApiError, ApiResult},
    loaders::data_as_of,
};
use reports::freshness::FreshnessSource;

/// The most rows one page may hold.
pub const MAX_PAGE: i32 = 300;
/// The page size when `first` is not given.
pub const DEFAULT_PAGE: i32 = 30;

/// Where a page ends.
#[derive(SimpleObject, Debug, Clone, Default)]
pub struct PageInfo {
    /// True when more rows follow this page: pass `endCursor` as `after` to get them.
    pub has_next_page: bool,
    /// True when this page was asked for with `after`, so rows precede it.
    pub has_previous_page: bool,
    /// The cursor of the page's first row.
    pub start_cursor: Option<String>,
    /// The cursor of the page's last row.
    pub end_cursor: Option<String>,
}

/// Validates `first`: 0 to 300, 30 when absent.
pub fn page_size(first: Option<i32>) -> Result<usize, ApiError> {
    let first = first.unwrap_or(DEFAULT_PAGE);
    if !(0..=MAX_PAGE).contains(&first) {
        return Err(ApiError::bad_input(format!(
            "`first` must be between 0 and {MAX_PAGE}, not {first}"
        )));
    }
    Ok(first as usize)
}

/// The complexity of a connection field: its children's cost times the rows it may return.
pub fn connection_cost(first: Option<i32>, child_complexity: usize) -> usize {
    let rows = first.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE) as usize;
    rows.saturating_mul(child_complexity).saturating_add(1)
}

/// Whether the query selects `field` on the nodes of the connection being resolved (under
/// `nodes`, or `edges { node }`, fragments included): the page's statement then reads that
/// to-one relation along (look-ahead) and the relation runs no statement of its own.
pub fn nodes_select(ctx: &Context<'_>, field: &str) -> bool {
    let page = ctx.look_ahead();
    page.field("nodes").field(field).exists()
        || page.field("edges").field("node").field(field).exists()
}

/// Rows fetched with one extra: cut to `first` and tell whether more follow.
pub fn split_page<T>(mut rows: Vec<T>, first: usize) -> (Vec<T>, bool) {
    let has_next = rows.len() > first;
    rows.truncate(first);
    (rows, has_next)
}

/// One kind of list: names what its connection and edge types are called and documented as
/// in the SDL, its node, what counts it and what its `dataAsOf` reads. [`Connection`] and
/// [`Edge`] are one generic `#[Object]` each, taking their names and docs from here. A marker
/// type per list, not the node, as one node can head several lists (a user: `users`, inactive
/// hosts).
pub trait ConnectionKind: Send + Sync + 'static {
    const CONNECTION: &'static str;
    const CONNECTION_DOC: &'static str;
    const EDGE: &'static str;
    const EDGE_DOC: &'static str;
    /// The table family `dataAsOf` reads.
    const SOURCE: FreshnessSource = FreshnessSource::Meetings;
    type Node: OutputType;
    type Total: ListTotal;
}

/// What answers a list's `totalCount`.
pub trait ListTotal: Send + Sync {
    fn count(&self, ctx: &Context<'_>) -> impl Future<Output = ApiResult<i64>> + Send;
}

/// A page of a list of kind `C`. A list with fields of its own (totals) wraps one.
pub struct Connection<C: ConnectionKind> {
    pub edges: Vec<Edge<C>>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub total: C::Total,
}

/// A row of a page, with its cursor.
pub struct Edge<C: ConnectionKind> {
    pub cursor: String,
    pub node: C::Node,
}

impl<C: ConnectionKind> TypeName for Connection<C> {
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(C::CONNECTION)
    }
}

impl<C: ConnectionKind> Description for Connection<C> {
    fn description() -> &'static str {
        C::CONNECTION_DOC
    }
}

impl<C: ConnectionKind> TypeName for Edge<C> {
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(C::EDGE)
    }
}

impl<C: ConnectionKind> Description for Edge<C> {
    fn description() -> &'static str {
        C::EDGE_DOC
    }
}

impl<C: ConnectionKind> Connection<C> {
    pub fn nodes_of_page(&self) -> Vec<&C::Node> {
        self.edges.iter().map(|e| &e.node).collect()
    }

    pub fn info(&self) -> PageInfo {
        PageInfo {
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
            start_cursor: self.edges.first().map(|e| e.cursor.clone()),
            end_cursor: self.edges.last().map(|e| e.cursor.clone()),
        }
    }

    pub async fn count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        self.total.count(ctx).await
    }

    pub async fn freshness(&self, ctx: &Context<'_>) -> ApiResult<Option<DateTime<Utc>>> {
        data_as_of(ctx, C::SOURCE).await
    }
}

/// The fields every connection has; a list with fields of its own repeats them (its type
/// wraps a `Connection`), with these docs.
#[Object(name_type, use_type_description)]
impl<C: ConnectionKind> Connection<C> {
    /// The rows of this page, each with its cursor.
    async fn edges(&self) -> &[Edge<C>] {
        &self.edges
    }

    /// The rows of this page, without cursors.
    async fn nodes(&self) -> Vec<&C::Node> {
        self.nodes_of_page()
    }

    /// Where this page ends, and whether more rows follow.
    async fn page_info(&self) -> PageInfo {
        self.info()
    }

    /// How many rows the whole list holds, over all pages (counted by the database).
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(self.count(ctx).await?)
    }

    /// The newest stored event this list reflects (see `Query.dataAsOf`): rows are in
    /// the reports as soon as they are stored.
    async fn data_as_of(&self, ctx: &Context<'_>) -> Result<Option<DateTime<Utc>>> {
        Ok(self.freshness(ctx).await?)
    }
}

#[Object(name_type, use_type_description)]
impl<C: ConnectionKind> Edge<C> {
    /// Opaque position of this row: pass it as `after` to get the rows that follow it.
    async fn cursor(&self) -> &str {
        &self.cursor
    }

    /// The row.
    async fn node(&self) -> &C::Node {
        &self.node
    }
}
