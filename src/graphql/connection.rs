//! Relay connections: `edges { cursor node }`, `nodes`, `pageInfo`, `totalCount`.
//!
//! Every page is cut in SQL with a keyset (`after` = the last row's sort key and id) and one
//! extra row that answers `hasNextPage`. `totalCount` is a separate aggregate, run only when a
//! query asks for it.

use async_graphql::SimpleObject;

use crate::graphql::error::ApiError;

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

/// Rows fetched with one extra: cut to `first` and tell whether more follow.
pub fn split_page<T>(mut rows: Vec<T>, first: usize) -> (Vec<T>, bool) {
    let has_next = rows.len() > first;
    rows.truncate(first);
    (rows, has_next)
}

/// Declares `$conn` and `$edge` for node type `$node`. `$total` is the type whose
/// `count(ctx)` answers `totalCount`; `source` names the table family `dataAsOf` reads
/// (default: meeting activity); `$extra` adds fields of the list's own (e.g. totals).
macro_rules! connection {
    ($conn:ident, $edge:ident, $node:ty, $total:ty, $conn_doc:literal, $edge_doc:literal) => {
        $crate::graphql::connection::connection!(
            $conn, $edge, $node, $total, $conn_doc, $edge_doc, source = Meetings, {}
        );
    };
    ($conn:ident, $edge:ident, $node:ty, $total:ty, $conn_doc:literal, $edge_doc:literal, { $($extra:tt)* }) => {
        $crate::graphql::connection::connection!(
            $conn, $edge, $node, $total, $conn_doc, $edge_doc, source = Meetings, { $($extra)* }
        );
    };
    ($conn:ident, $edge:ident, $node:ty, $total:ty, $conn_doc:literal, $edge_doc:literal, source = $source:ident) => {
        $crate::graphql::connection::connection!(
            $conn, $edge, $node, $total, $conn_doc, $edge_doc, source = $source, {}
        );
    };
    ($conn:ident, $edge:ident, $node:ty, $total:ty, $conn_doc:literal, $edge_doc:literal, source = $source:ident, { $($extra:tt)* }) => {
        #[doc = $conn_doc]
        pub struct $conn {
            pub edges: Vec<$edge>,
            pub has_next_page: bool,
            pub has_previous_page: bool,
            pub total: $total,
        }

        #[doc = $edge_doc]
        #[derive(async_graphql::SimpleObject)]
        pub struct $edge {
            /// Opaque position of this row: pass it as `after` to get the rows that follow it.
            pub cursor: String,
            /// The row.
            pub node: $node,
        }

        #[doc = $conn_doc]
        #[async_graphql::Object]
        impl $conn {
            /// The rows of this page, each with its cursor.
            async fn edges(&self) -> &[$edge] {
                &self.edges
            }

            /// The rows of this page, without cursors.
            async fn nodes(&self) -> Vec<&$node> {
                self.edges.iter().map(|e| &e.node).collect()
            }

            /// Where this page ends, and whether more rows follow.
            async fn page_info(&self) -> $crate::graphql::connection::PageInfo {
                $crate::graphql::connection::PageInfo {
                    has_next_page: self.has_next_page,
                    has_previous_page: self.has_previous_page,
                    start_cursor: self.edges.first().map(|e| e.cursor.clone()),
                    end_cursor: self.edges.last().map(|e| e.cursor.clone()),
                }
            }

            /// How many rows the whole list holds, over all pages (counted by the database).
            async fn total_count(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> async_graphql::Result<i64> {
                Ok(self.total.count(ctx).await?)
            }

            /// The newest stored event this list reflects (see `Query.dataAsOf`): rows are in
            /// the reports as soon as they are stored.
            async fn data_as_of(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> async_graphql::Result<Option<chrono::DateTime<chrono::Utc>>> {
                Ok($crate::graphql::loaders::data_as_of(
                    ctx,
                    $crate::reports::freshness::FreshnessSource::$source,
                )
                .await?)
            }

            $($extra)*
        }
    };
}

pub(crate) use connection;
