//! `upcomingEvents`: the Upcoming Events report.

use async_graphql::{Context, Object, Result};

use crate::{
    auth::Privilege,
    graphql::{
        connection::{connection_cost, split_page, Connection, ConnectionKind, Edge, ListTotal},
        context::{keyset_page, report_range, report_request, request},
        error::ApiResult,
        guards::AnyOf,
        scalars::{encode_cursor, CursorKind, Date, Keyset},
        types::{event::Event, meetings::MeetingCore},
    },
};
use reports::upcoming::{upcoming_count, upcoming_page, UpcomingFilter};

#[derive(Default)]
pub struct UpcomingQuery;

#[Object]
impl UpcomingQuery {
    /// The Upcoming Events report: meetings and webinars scheduled to start in the range,
    /// soonest first; `search` matches the host's email or name; `includeNoFixedTime` adds
    /// recurring meetings with no fixed time (listed last). Deleted meetings are left out.
    /// Needs usage_reports.
    #[graphql(
        guard = "AnyOf(&[Privilege::UsageReports])",
        complexity = "connection_cost(first, child_complexity)"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn upcoming_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the range (inclusive).")] from: Date,
        #[graphql(desc = "Last day of the range (inclusive), at most one month after `from`.")]
        to: Date,
        #[graphql(desc = "Matches the host's email or name (case-insensitive).")] search: Option<
            String,
        >,
        #[graphql(
            desc = "Also list recurring meetings with no fixed time.",
            default = false
        )]
        include_no_fixed_time: bool,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the events after this cursor.")] after: Option<String>,
    ) -> Result<EventConnection> {
        let rc = report_request(ctx)?;
        let range = report_range(ctx, &rc.viewer, from, to)?;
        let (first, after) = keyset_page::<i64>(first, after, CursorKind::Upcoming)?;
        let filter = UpcomingFilter {
            account_id: rc.viewer.account_id,
            start: range.start,
            end: range.end,
            search,
            include_no_fixed_time,
        };
        let rows = upcoming_page(&rc.sql, &filter, first, after.as_ref()).await?;
        let (rows, has_next_page) = split_page(rows, first);
        let cursors: Vec<String> = rows
            .iter()
            .map(|r| {
                encode_cursor(
                    CursorKind::Upcoming,
                    &Keyset {
                        time: r.sort_time,
                        tie: r.row.id,
                    },
                )
            })
            .collect();
        let cores = MeetingCore::group(rows.into_iter().map(|r| r.row).collect());
        Ok(EventConnection {
            edges: cursors
                .into_iter()
                .zip(cores)
                .map(|(cursor, core)| EventEdge {
                    cursor,
                    node: Event::from_core(core),
                })
                .collect(),
            has_next_page,
            has_previous_page: after.is_some(),
            total: UpcomingTotal(filter),
        })
    }
}

/// The list behind `EventConnection`.
pub struct EventList;

impl ConnectionKind for EventList {
    const CONNECTION: &'static str = "EventConnection";
    const CONNECTION_DOC: &'static str = "A page of meetings and webinars, as a Relay connection.";
    const EDGE: &'static str = "EventEdge";
    const EDGE_DOC: &'static str = "A meeting or webinar with its cursor.";
    type Node = Event;
    type Total = UpcomingTotal;
}

pub type EventConnection = Connection<EventList>;
pub type EventEdge = Edge<EventList>;

/// Counts the upcoming events of a filter.
pub struct UpcomingTotal(UpcomingFilter);

impl ListTotal for UpcomingTotal {
    async fn count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        upcoming_count(&request(ctx)?.sql, &self.0).await
    }
}
