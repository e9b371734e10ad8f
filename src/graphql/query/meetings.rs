//! The Meeting and Webinar reports: `meetings`/`webinars` located by date range, and
//! `meeting(id)`/`webinar(id)`.

use async_graphql::{Context, Object, Result, ID};

use crate::graphql::{
    connection::{connection_cost, nodes_select, split_page},
    context::{keyset_page, report_range, report_request},
    error::{ApiError, ApiResult},
    loaders::UserId,
    scalars::{CursorKind, Date},
    types::{
        filter_id,
        meetings::{
            meeting_cursor, ListPage, Meeting, MeetingConnection, MeetingCore, MeetingTotal,
            Webinar, WebinarConnection,
        },
        row_id,
    },
};
use reports::meetings::{meeting_by_id, meetings_page, MeetingFilter, MeetingKind};

#[derive(Default)]
pub struct MeetingQuery;

/// The list behind `meetings` and `webinars`: range rules, host scope, keyset page.
#[allow(clippy::too_many_arguments)]
pub async fn list(
    ctx: &Context<'_>,
    kind: MeetingKind,
    from: Date,
    to: Date,
    host_id: Option<ID>,
    search: Option<String>,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<ListPage> {
    let rc = report_request(ctx)?;
    let range = report_range(ctx, &rc.viewer, from, to)?;
    let host_id = host_id
        .as_ref()
        .map(|h| filter_id(h, "hostId"))
        .transpose()?;
    let host_scope = rc.viewer.host_scope(host_id)?;
    let cursor_kind = match kind {
        MeetingKind::Meeting => CursorKind::Meeting,
        MeetingKind::Webinar => CursorKind::Webinar,
    };
    let (first, after) = keyset_page::<i64>(first, after, cursor_kind)?;
    let filter = MeetingFilter::new(rc.viewer.account_id, kind, host_scope, &range, search);
    let with_host = nodes_select(ctx, "host");
    let rows = meetings_page(&rc.sql, &filter, first, after.as_ref(), with_host).await?;
    let total = match (&after, rows.first()) {
        (None, None) => MeetingTotal::Known(0),
        (None, Some(row)) => match row.list_total {
            Some(n) => MeetingTotal::Known(n),
            None => MeetingTotal::List(filter),
        },
        (Some(_), _) => MeetingTotal::List(filter),
    };
    let rows: Vec<_> = rows.into_iter().map(|r| r.row).collect();
    let (rows, has_next_page) = split_page(rows, first);
    let cursors: Vec<String> = rows
        .iter()
        .map(|r| meeting_cursor(cursor_kind, r.sort_time, r.row.row.id))
        .collect();
    let mut hosts = Vec::new();
    let mut meetings = Vec::with_capacity(rows.len());
    for r in rows {
        hosts.extend(r.row.user.map(|u| (UserId(u.id), u)));
        meetings.push(r.row.row);
    }
    let cores = MeetingCore::group(meetings);
    // The hosts read along answer the nodes' `host`.
    if let (true, Some(core)) = (with_host, cores.first()) {
        core.siblings.feed(&rc.loader, (), hosts).await;
    }
    Ok(ListPage {
        nodes: cursors.into_iter().zip(cores).collect(),
        has_next_page,
        has_previous_page: after.is_some(),
        total,
    })
}

/// One meeting or webinar by id, within the viewer's scope; `NOT_FOUND` otherwise.
pub async fn find(ctx: &Context<'_>, kind: MeetingKind, id: &ID) -> ApiResult<MeetingCore> {
    let rc = report_request(ctx)?;
    let what = match kind {
        MeetingKind::Meeting => "meeting",
        MeetingKind::Webinar => "webinar",
    };
    let not_found = || ApiError::NotFound(format!("no {what} with id {}", id.as_str()));
    let meeting_id = row_id(id, what)?;
    let host_scope = rc.viewer.host_scope(None)?;
    let row = meeting_by_id(&rc.sql, rc.viewer.account_id, kind, meeting_id, host_scope)
        .await?
        .ok_or_else(not_found)?;
    MeetingCore::group(vec![row]).pop().ok_or_else(not_found)
}

#[Object]
impl MeetingQuery {
    /// The Meeting report: meetings (not webinars) with a session that started in the range,
    /// ordered by their first session in it. A member sees the meetings they host; holders of
    /// usage_reports see the whole account. The range is read in the account's time zone,
    /// covers at most one month and reaches back at most 12 months.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn meetings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the range (inclusive).")] from: Date,
        #[graphql(desc = "Last day of the range (inclusive), at most one month after `from`.")]
        to: Date,
        #[graphql(
            desc = "Only meetings of this host. Another host than yourself needs usage_reports."
        )]
        host_id: Option<ID>,
        #[graphql(desc = "Matches the topic (case-insensitive) or the meeting number.")]
        search: Option<String>,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the meetings after this cursor.")] after: Option<String>,
    ) -> Result<MeetingConnection> {
        let page = list(
            ctx,
            MeetingKind::Meeting,
            from,
            to,
            host_id,
            search,
            first,
            after,
        )
        .await?;
        Ok(page.into_meetings())
    }

    /// One meeting by id. Null with `NOT_FOUND` when it does not exist or the viewer may not
    /// see it (another account's, or a colleague's for a member): the two are not told apart.
    async fn meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting's id.")] id: ID,
    ) -> Result<Option<Meeting>> {
        Ok(Some(Meeting(find(ctx, MeetingKind::Meeting, &id).await?)))
    }

    /// The Webinar report: webinars with a session that started in the range, ordered by
    /// their first session in it. Same visibility and range rules as `meetings`.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn webinars(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the range (inclusive).")] from: Date,
        #[graphql(desc = "Last day of the range (inclusive), at most one month after `from`.")]
        to: Date,
        #[graphql(
            desc = "Only webinars of this host. Another host than yourself needs usage_reports."
        )]
        host_id: Option<ID>,
        #[graphql(desc = "Matches the topic (case-insensitive) or the webinar number.")]
        search: Option<String>,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the webinars after this cursor.")] after: Option<String>,
    ) -> Result<WebinarConnection> {
        let page = list(
            ctx,
            MeetingKind::Webinar,
            from,
            to,
            host_id,
            search,
            first,
            after,
        )
        .await?;
        Ok(page.into_webinars())
    }

    /// One webinar by id. Null with `NOT_FOUND` when it does not exist or the viewer may not
    /// see it.
    async fn webinar(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The webinar's id.")] id: ID,
    ) -> Result<Option<Webinar>> {
        Ok(Some(Webinar(find(ctx, MeetingKind::Webinar, &id).await?)))
    }
}
