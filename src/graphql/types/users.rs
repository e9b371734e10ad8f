//! A user of the account: a host, a participant, an operator; a node of the graph.

use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, Utc};

use crate::{
    auth::Privilege,
    graphql::{
        connection::connection_cost,
        context::{keyset_page, report_range, report_request},
        error::ApiResult,
        guards::AnyOf,
        loaders::{HostMeetingCountKey, HostMeetingsKey, Siblings},
        scalars::{CursorKind, Date},
        types::activity::{
            activity_list, OperationCategory, OperationLogConnection, SignInEventConnection,
            SignInType,
        },
        types::meetings::{
            meeting_cursor, ListPage, MeetingConnection, MeetingTotal, WebinarConnection,
        },
    },
};
use reports::{
    activity::ActivityTable,
    meetings::{MeetingFilter, MeetingKind},
};

pub struct User {
    pub row: entity::app_user::Model,
    /// The users it was loaded with: their meetings load at once.
    pub siblings: Siblings<i64>,
}

impl User {
    pub fn group(rows: Vec<entity::app_user::Model>) -> Vec<User> {
        let siblings = Siblings::new(rows.iter().map(|u| u.id).collect());
        Self::in_group(rows, &siblings)
    }

    pub fn in_group(rows: Vec<entity::app_user::Model>, siblings: &Siblings<i64>) -> Vec<User> {
        rows.into_iter()
            .map(|row| User {
                row,
                siblings: siblings.clone(),
            })
            .collect()
    }

    /// A page of this host's meetings or webinars, loaded for all sibling hosts at once.
    #[allow(clippy::too_many_arguments)]
    async fn hosted(
        &self,
        ctx: &Context<'_>,
        kind: MeetingKind,
        from: Date,
        to: Date,
        search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<ListPage> {
        let rc = report_request(ctx)?;
        // A member reaches only themselves; the rule is checked here all the same.
        rc.viewer.host_scope(Some(self.row.id))?;
        let range = report_range(ctx, &rc.viewer, from, to)?;
        let cursor_kind = match kind {
            MeetingKind::Meeting => CursorKind::Meeting,
            MeetingKind::Webinar => CursorKind::Webinar,
        };
        let (first, after) = keyset_page::<i64>(first, after, cursor_kind)?;
        let filter = MeetingFilter::new(rc.viewer.account_id, kind, None, &range, search);
        let has_previous_page = after.is_some();
        let key = HostMeetingsKey {
            host_id: self.row.id,
            filter: filter.clone(),
            first,
            after,
        };
        let page = self
            .siblings
            .load(&rc.loader, key.clone(), |all| {
                all.iter()
                    .map(|id| HostMeetingsKey {
                        host_id: *id,
                        ..key.clone()
                    })
                    .collect()
            })
            .await?
            .unwrap_or_default();
        Ok(ListPage {
            nodes: page
                .rows
                .into_iter()
                .map(|(time, core)| (meeting_cursor(cursor_kind, time, core.row.id), core))
                .collect(),
            has_next_page: page.has_next_page,
            has_previous_page,
            total: MeetingTotal::OfHost(HostedTotal {
                host_id: self.row.id,
                filter,
                siblings: self.siblings.clone(),
            }),
        })
    }
}

/// A user of the account: as a host, the meetings and webinars they held.
#[Object]
impl User {
    /// The user's id.
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// The user's email address.
    async fn email(&self) -> &str {
        &self.row.email
    }

    /// First and last name.
    async fn name(&self) -> String {
        format!("{} {}", self.row.first_name, self.row.last_name)
    }

    /// First name.
    async fn first_name(&self) -> &str {
        &self.row.first_name
    }

    /// Last name.
    async fn last_name(&self) -> &str {
        &self.row.last_name
    }

    /// When the user was added to the account.
    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    /// The meetings (not webinars) this user hosted with a session in the range, ordered by
    /// their first session in it. Same rules as the root `meetings`.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn meetings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the range (inclusive).")] from: Date,
        #[graphql(desc = "Last day of the range (inclusive), at most one month after `from`.")]
        to: Date,
        #[graphql(desc = "Matches the topic (case-insensitive) or the meeting number.")]
        search: Option<String>,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the meetings after this cursor.")] after: Option<String>,
    ) -> Result<MeetingConnection> {
        let page = self
            .hosted(ctx, MeetingKind::Meeting, from, to, search, first, after)
            .await?;
        Ok(page.into_meetings())
    }

    /// The webinars this user hosted with a session in the range, ordered by their first
    /// session in it. Same rules as the root `webinars`.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn webinars(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the range (inclusive).")] from: Date,
        #[graphql(desc = "Last day of the range (inclusive), at most one month after `from`.")]
        to: Date,
        #[graphql(desc = "Matches the topic (case-insensitive) or the webinar number.")]
        search: Option<String>,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the webinars after this cursor.")] after: Option<String>,
    ) -> Result<WebinarConnection> {
        let page = self
            .hosted(ctx, MeetingKind::Webinar, from, to, search, first, after)
            .await?;
        Ok(page.into_webinars())
    }

    /// The operation-log entries this user made in the range, newest first. Needs
    /// user_activity_reports, like the root `operationLogs`: seeing a user through a meeting
    /// does not open their activity.
    #[graphql(
        guard = "AnyOf(&[Privilege::UserActivityReports])",
        complexity = "connection_cost(first, child_complexity)"
    )]
    async fn operation_logs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the range (inclusive).")] from: Date,
        #[graphql(desc = "Last day of the range (inclusive), at most one month after `from`.")]
        to: Date,
        #[graphql(desc = "Only entries of this category.")] category: Option<OperationCategory>,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the entries after this cursor.")] after: Option<String>,
    ) -> Result<OperationLogConnection> {
        let page = activity_list(
            ctx,
            ActivityTable::OperationLog,
            from,
            to,
            category.map(OperationCategory::as_str),
            None,
            first,
            after,
            Some((self.row.id, &self.siblings)),
        )
        .await?;
        Ok(OperationLogConnection::from_page(page))
    }

    /// This user's sign-ins and sign-outs in the range (with IP addresses), newest first.
    /// Needs user_activity_reports, like the root `signInActivity`.
    #[graphql(
        guard = "AnyOf(&[Privilege::UserActivityReports])",
        complexity = "connection_cost(first, child_complexity)"
    )]
    async fn sign_in_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the range (inclusive).")] from: Date,
        #[graphql(desc = "Last day of the range (inclusive), at most one month after `from`.")]
        to: Date,
        #[graphql(name = "type", desc = "Only sign-ins, or only sign-outs.")] event_type: Option<
            SignInType,
        >,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the events after this cursor.")] after: Option<String>,
    ) -> Result<SignInEventConnection> {
        let page = activity_list(
            ctx,
            ActivityTable::SignInEvent,
            from,
            to,
            event_type.map(SignInType::as_str),
            None,
            first,
            after,
            Some((self.row.id, &self.siblings)),
        )
        .await?;
        Ok(SignInEventConnection::from_page(page))
    }
}

/// Counts a host's meetings or webinars under a filter (for all sibling hosts at once).
pub struct HostedTotal {
    host_id: i64,
    filter: MeetingFilter,
    siblings: Siblings<i64>,
}

impl HostedTotal {
    pub async fn count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        let rc = report_request(ctx)?;
        let key = |host_id: i64| HostMeetingCountKey {
            host_id,
            filter: self.filter.clone(),
        };
        Ok(self
            .siblings
            .load(&rc.loader, key(self.host_id), |all| {
                all.iter().map(|id| key(*id)).collect()
            })
            .await?
            .unwrap_or(0))
    }
}
