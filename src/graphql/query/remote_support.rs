//! `remoteSupportSessions`: the Remote Support report.

use std::collections::HashMap;

use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, Utc};

use crate::{
    auth::Privilege,
    graphql::{
        connection::{connection_cost, split_page, Connection, ConnectionKind, Edge, ListTotal},
        context::{keyset_page, report_range, report_request, request},
        error::ApiResult,
        guards::AnyOf,
        loaders::{Siblings, UserId},
        range::ReportRange,
        scalars::{encode_cursor, CursorKind, Date, Keyset},
        types::{event::Event, meetings::MeetingCore, users::User},
    },
};
use reports::{
    meetings::meetings_by_id,
    remote_support::{remote_support_count, remote_support_page},
};

#[derive(Default)]
pub struct RemoteSupportQuery;

/// A remote support session, with what it happened in and between whom.
pub struct RemoteSupportSession {
    row: entity::remote_support_session::Model,
    meeting: Option<MeetingCore>,
    supporters: Siblings<i64>,
}

/// A remote support session: the meeting it happened in, the supporter, the supportee, and
/// its request, wait, start and end.
#[Object]
impl RemoteSupportSession {
    /// The session's id in this API.
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// The meeting or webinar it happened in.
    async fn meeting(&self) -> Option<Event> {
        self.meeting.clone().map(Event::from_core)
    }

    /// The user who gave support; null if they no longer exist.
    async fn supporter(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let Some(id) = self.row.supporter_id else {
            return Ok(None);
        };
        let rc = request(ctx)?;
        let row = self
            .supporters
            .load(&rc.loader, UserId(id), |all| {
                all.iter().map(|id| UserId(*id)).collect()
            })
            .await?;
        Ok(row.map(|row| User {
            row,
            siblings: self.supporters.clone(),
        }))
    }

    /// Who received support.
    async fn supportee_name(&self) -> &str {
        &self.row.supportee_name
    }

    /// Their email, when known.
    async fn supportee_email(&self) -> Option<&str> {
        self.row.supportee_email.as_deref()
    }

    /// When support was requested.
    async fn requested_at(&self) -> DateTime<Utc> {
        self.row.requested_at
    }

    /// Seconds between the request and the start.
    async fn wait_seconds(&self) -> i64 {
        (self.row.started_at - self.row.requested_at)
            .num_seconds()
            .max(0)
    }

    /// When support started.
    async fn started_at(&self) -> DateTime<Utc> {
        self.row.started_at
    }

    /// When support ended.
    async fn ended_at(&self) -> DateTime<Utc> {
        self.row.ended_at
    }

    /// Seconds from start to end.
    async fn duration_seconds(&self) -> i64 {
        (self.row.ended_at - self.row.started_at)
            .num_seconds()
            .max(0)
    }
}

#[Object]
impl RemoteSupportQuery {
    /// The Remote Support report: sessions requested in the range, oldest first, with the
    /// meeting (id, number, topic, host), supporter, supportee, request time, wait, start,
    /// end and duration. Needs usage_reports.
    #[graphql(
        guard = "AnyOf(&[Privilege::UsageReports])",
        complexity = "connection_cost(first, child_complexity)"
    )]
    async fn remote_support_sessions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the range (inclusive).")] from: Date,
        #[graphql(desc = "Last day of the range (inclusive), at most one month after `from`.")]
        to: Date,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the sessions after this cursor.")] after: Option<String>,
    ) -> Result<RemoteSupportConnection> {
        let rc = report_request(ctx)?;
        let range = report_range(ctx, &rc.viewer, from, to)?;
        let (first, after) = keyset_page::<i64>(first, after, CursorKind::RemoteSupport)?;
        let account = rc.viewer.account_id;
        let rows = remote_support_page(
            &rc.sql,
            account,
            range.start,
            range.end,
            first,
            after.as_ref(),
        )
        .await?;
        let (rows, has_next_page) = split_page(rows, first);
        // The page's meetings in one statement, as one sibling group.
        let mut meeting_ids: Vec<i64> = rows.iter().map(|r| r.meeting_id).collect();
        meeting_ids.sort_unstable();
        meeting_ids.dedup();
        let meetings: HashMap<i64, MeetingCore> =
            MeetingCore::group(meetings_by_id(&rc.sql, account, &meeting_ids).await?)
                .into_iter()
                .map(|m| (m.row.id, m))
                .collect();
        let mut supporter_ids: Vec<i64> = rows.iter().filter_map(|r| r.supporter_id).collect();
        supporter_ids.sort_unstable();
        supporter_ids.dedup();
        let supporters = Siblings::new(supporter_ids);
        Ok(RemoteSupportConnection {
            edges: rows
                .into_iter()
                .map(|row| RemoteSupportEdge {
                    cursor: encode_cursor(
                        CursorKind::RemoteSupport,
                        &Keyset {
                            time: row.requested_at,
                            tie: row.id,
                        },
                    ),
                    node: RemoteSupportSession {
                        meeting: meetings.get(&row.meeting_id).cloned(),
                        supporters: supporters.clone(),
                        row,
                    },
                })
                .collect(),
            has_next_page,
            has_previous_page: after.is_some(),
            total: RemoteSupportTotal {
                account_id: account,
                range,
            },
        })
    }
}

/// The list behind `RemoteSupportConnection`.
pub struct RemoteSupportList;

impl ConnectionKind for RemoteSupportList {
    const CONNECTION: &'static str = "RemoteSupportConnection";
    const CONNECTION_DOC: &'static str =
        "A page of remote support sessions, as a Relay connection.";
    const EDGE: &'static str = "RemoteSupportEdge";
    const EDGE_DOC: &'static str = "A remote support session with its cursor.";
    type Node = RemoteSupportSession;
    type Total = RemoteSupportTotal;
}

pub type RemoteSupportConnection = Connection<RemoteSupportList>;
pub type RemoteSupportEdge = Edge<RemoteSupportList>;

/// Counts the remote support sessions of a range.
pub struct RemoteSupportTotal {
    account_id: i64,
    range: ReportRange,
}

impl ListTotal for RemoteSupportTotal {
    async fn count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        remote_support_count(
            &request(ctx)?.sql,
            self.account_id,
            self.range.start,
            self.range.end,
        )
        .await
    }
}
