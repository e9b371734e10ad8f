//! The User Activity tab: operation logs and sign-in / sign-out events.

use async_graphql::{Context, Enum, Object, Result, ID};
use chrono::{DateTime, Utc};

use crate::graphql::{
    connection::{nodes_select, split_page, Connection, ConnectionKind, Edge, ListTotal},
    context::{keyset_page, report_range, report_request, request, RequestContext},
    error::ApiResult,
    loaders::{ActivityRow, Siblings, UserActivityCountKey, UserActivityKey, UserId},
    scalars::{encode_cursor, CursorKind, Date, Keyset},
    types::users::User,
};
use reports::{
    activity::{activity_count, activity_page, ActivityFilter, ActivityTable},
    freshness::FreshnessSource,
};

/// What an operation-log entry is about.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum OperationCategory {
    /// Users added, removed, changed.
    User,
    /// A user's settings.
    UserSettings,
    /// Account settings.
    Account,
    /// Billing and plans.
    Billing,
    /// Cloud recordings (e.g. deleted).
    Recording,
    /// Roles and their privileges.
    Role,
    /// Webinars.
    Webinar,
    /// Meetings (including the deletion of meetings that expired unstarted).
    Meeting,
}

impl OperationCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            OperationCategory::User => "USER",
            OperationCategory::UserSettings => "USER_SETTINGS",
            OperationCategory::Account => "ACCOUNT",
            OperationCategory::Billing => "BILLING",
            OperationCategory::Recording => "RECORDING",
            OperationCategory::Role => "ROLE",
            OperationCategory::Webinar => "WEBINAR",
            OperationCategory::Meeting => "MEETING",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [
            OperationCategory::User,
            OperationCategory::UserSettings,
            OperationCategory::Account,
            OperationCategory::Billing,
            OperationCategory::Recording,
            OperationCategory::Role,
            OperationCategory::Webinar,
            OperationCategory::Meeting,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// Signing in or out.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum SignInType {
    /// The user signed in.
    SignIn,
    /// The user signed out.
    SignOut,
}

impl SignInType {
    pub fn as_str(self) -> &'static str {
        match self {
            SignInType::SignIn => "SIGN_IN",
            SignInType::SignOut => "SIGN_OUT",
        }
    }
}

/// A user reached from an activity row; alone in its group (activity lists are flat).
/// A user of a page of entries: the first entry to ask loads every user of the page in one
/// statement (the others wait for it and read the loader's cache).
async fn load_user(
    ctx: &Context<'_>,
    id: Option<i64>,
    users: &Siblings<i64>,
) -> Result<Option<User>> {
    let Some(id) = id else { return Ok(None) };
    let rc = request(ctx)?;
    let row = users
        .load(&rc.loader, UserId(id), |all| {
            all.iter().map(|id| UserId(*id)).collect()
        })
        .await?;
    Ok(row.map(|row| User {
        row,
        siblings: users.clone(),
    }))
}

/// The users a page's entries name (operators, or who signed in), as one sibling group.
fn page_users(rows: &[(String, ActivityRow)]) -> Siblings<i64> {
    let mut ids: Vec<i64> = rows
        .iter()
        .filter_map(|(_, row)| match row {
            ActivityRow::OperationLog(r) => r.operator_id,
            ActivityRow::SignInEvent(r) => Some(r.user_id),
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Siblings::new(ids)
}

pub struct OperationLog(pub entity::operation_log::Model, pub Siblings<i64>);

/// An entry of the operation log: who changed what, when.
#[Object]
impl OperationLog {
    /// The entry's id in this API.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// When it happened.
    async fn time(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }

    /// The user who did it; null for the system (e.g. the expiry of unstarted meetings) or a
    /// user who no longer exists.
    async fn operator(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        load_user(ctx, self.0.operator_id, &self.1).await
    }

    /// The operator's email as recorded at the time (`system` for the server itself).
    async fn operator_email(&self) -> &str {
        &self.0.operator_email
    }

    /// What it is about.
    async fn category(&self) -> Option<OperationCategory> {
        OperationCategory::parse(&self.0.category)
    }

    /// What was done: Add, Update, Delete, ...
    async fn action(&self) -> &str {
        &self.0.action
    }

    /// The details.
    async fn detail(&self) -> &str {
        &self.0.detail
    }
}

pub struct SignInEvent(pub entity::sign_in_event::Model, pub Siblings<i64>);

/// A sign-in or sign-out.
#[Object]
impl SignInEvent {
    /// The event's id in this API.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// When it happened.
    async fn time(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }

    /// Who signed in or out.
    async fn user(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        load_user(ctx, Some(self.0.user_id), &self.1).await
    }

    /// Sign in or sign out.
    #[graphql(name = "type")]
    async fn event_type(&self) -> Option<SignInType> {
        match self.0.event_type.as_str() {
            "SIGN_IN" => Some(SignInType::SignIn),
            "SIGN_OUT" => Some(SignInType::SignOut),
            _ => None,
        }
    }

    /// The IP address it came from.
    async fn ip_address(&self) -> &str {
        &self.0.ip_address
    }

    /// The client's platform (Windows, Mac, iOS, Android, Web, ...).
    async fn client_type(&self) -> &str {
        &self.0.client_type
    }

    /// The client's version.
    async fn version(&self) -> &str {
        &self.0.version
    }
}

/// Counts an activity list: a root list, or one user's.
pub enum ActivityTotal {
    /// Counted already, by the page's statement.
    Known(i64),
    /// A root list of the account.
    List(ActivityTable, ActivityFilter),
    /// One user's list, counted for all sibling users at once.
    OfUser {
        user_id: i64,
        table: ActivityTable,
        filter: ActivityFilter,
        siblings: Siblings<i64>,
    },
}

impl ListTotal for ActivityTotal {
    async fn count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        let rc = request(ctx)?;
        match self {
            ActivityTotal::Known(n) => Ok(*n),
            ActivityTotal::List(table, filter) => activity_count(&rc.sql, *table, filter).await,
            ActivityTotal::OfUser {
                user_id,
                table,
                filter,
                siblings,
            } => {
                let key = |user_id: i64| UserActivityCountKey {
                    user_id,
                    table: *table,
                    filter: filter.clone(),
                };
                Ok(siblings
                    .load(&rc.loader, key(*user_id), |all| {
                        all.iter().map(|id| key(*id)).collect()
                    })
                    .await?
                    .unwrap_or(0))
            }
        }
    }
}

/// The list behind `OperationLogConnection`.
pub struct OperationLogList;

impl ConnectionKind for OperationLogList {
    const CONNECTION: &'static str = "OperationLogConnection";
    const CONNECTION_DOC: &'static str =
        "A page of operation-log entries, newest first, as a Relay connection.";
    const EDGE: &'static str = "OperationLogEdge";
    const EDGE_DOC: &'static str = "An operation-log entry with its cursor.";
    const SOURCE: FreshnessSource = FreshnessSource::OperationLogs;
    type Node = OperationLog;
    type Total = ActivityTotal;
}

pub type OperationLogConnection = Connection<OperationLogList>;
pub type OperationLogEdge = Edge<OperationLogList>;

/// The list behind `SignInEventConnection`.
pub struct SignInEventList;

impl ConnectionKind for SignInEventList {
    const CONNECTION: &'static str = "SignInEventConnection";
    const CONNECTION_DOC: &'static str =
        "A page of sign-in and sign-out events, newest first, as a Relay connection.";
    const EDGE: &'static str = "SignInEventEdge";
    const EDGE_DOC: &'static str = "A sign-in or sign-out event with its cursor.";
    const SOURCE: FreshnessSource = FreshnessSource::SignIns;
    type Node = SignInEvent;
    type Total = ActivityTotal;
}

pub type SignInEventConnection = Connection<SignInEventList>;
pub type SignInEventEdge = Edge<SignInEventList>;

/// A page of operation logs or sign-in events: the account's, or one user's (`of_user`).
pub struct ActivityPage {
    pub edges: Vec<(String, ActivityRow)>,
    /// The users the entries name, as one sibling group.
    pub users: Siblings<i64>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub total: ActivityTotal,
}

/// A root list's page as activity rows, the list's size when the page carried it, and the
/// users the page read along (`with_user`).
#[allow(clippy::too_many_arguments)]
async fn root_page<M: sea_orm::FromQueryResult>(
    rc: &RequestContext,
    table: ActivityTable,
    filter: &ActivityFilter,
    first: usize,
    after: Option<&Keyset<i64>>,
    with_total: bool,
    with_user: bool,
    wrap: fn(M) -> ActivityRow,
) -> ApiResult<(
    Vec<ActivityRow>,
    Option<i64>,
    Vec<(UserId, entity::app_user::Model)>,
)> {
    let rows =
        activity_page::<M>(&rc.sql, table, filter, first, after, with_total, with_user).await?;
    let known = rows.first().and_then(|r| r.list_total);
    let mut out = Vec::with_capacity(rows.len());
    let mut users = Vec::new();
    for r in rows {
        users.extend(r.row.user.map(|u| (UserId(u.id), u)));
        out.push(wrap(r.row.row));
    }
    Ok((out, known, users))
}

/// The list behind the root fields and the `User` fields: range rules (reports reach back 12
/// months, one month at a time), newest-first keyset page.
#[allow(clippy::too_many_arguments)]
pub async fn activity_list(
    ctx: &Context<'_>,
    table: ActivityTable,
    from: Date,
    to: Date,
    kind: Option<&'static str>,
    search: Option<String>,
    first: Option<i32>,
    after: Option<String>,
    of_user: Option<(i64, &Siblings<i64>)>,
) -> ApiResult<ActivityPage> {
    let rc = report_request(ctx)?;
    let range = report_range(ctx, &rc.viewer, from, to)?;
    let cursor_kind = match table {
        ActivityTable::OperationLog => CursorKind::OperationLog,
        ActivityTable::SignInEvent => CursorKind::SignInEvent,
    };
    let (first, after) = keyset_page::<i64>(first, after, cursor_kind)?;
    let filter = ActivityFilter {
        account_id: rc.viewer.account_id,
        start: range.start,
        end: range.end,
        kind,
        search,
    };
    let has_previous_page = after.is_some();
    let (rows, has_next_page, total, read_along) = match of_user {
        None => {
            // The page carries the list's size when the query asks for it.
            let with_total = ctx.look_ahead().field("totalCount").exists();
            let with_user = nodes_select(
                ctx,
                match table {
                    ActivityTable::OperationLog => "operator",
                    ActivityTable::SignInEvent => "user",
                },
            );
            let (rows, known, users) = match table {
                ActivityTable::OperationLog => {
                    root_page(
                        rc,
                        table,
                        &filter,
                        first,
                        after.as_ref(),
                        with_total,
                        with_user,
                        ActivityRow::OperationLog,
                    )
                    .await?
                }
                ActivityTable::SignInEvent => {
                    root_page(
                        rc,
                        table,
                        &filter,
                        first,
                        after.as_ref(),
                        with_total,
                        with_user,
                        ActivityRow::SignInEvent,
                    )
                    .await?
                }
            };
            let (rows, has_next) = split_page(rows, first);
            let total = match known {
                Some(n) => ActivityTotal::Known(n),
                // An empty page carries nothing: counted when asked.
                None => ActivityTotal::List(table, filter),
            };
            (rows, has_next, total, with_user.then_some(users))
        }
        Some((user_id, siblings)) => {
            let key = |user_id: i64| UserActivityKey {
                user_id,
                table,
                filter: filter.clone(),
                first,
                after: after.clone(),
            };
            let page = siblings
                .load(&rc.loader, key(user_id), |all| {
                    all.iter().map(|id| key(*id)).collect()
                })
                .await?
                .unwrap_or_default();
            (
                page.rows,
                page.has_next_page,
                ActivityTotal::OfUser {
                    user_id,
                    table,
                    filter,
                    siblings: siblings.clone(),
                },
                None,
            )
        }
    };
    let edges: Vec<(String, ActivityRow)> = rows
        .into_iter()
        .map(|row| {
            let (time, id) = match &row {
                ActivityRow::OperationLog(r) => (r.occurred_at, r.id),
                ActivityRow::SignInEvent(r) => (r.occurred_at, r.id),
            };
            (encode_cursor(cursor_kind, &Keyset { time, tie: id }), row)
        })
        .collect();
    let users = page_users(&edges);
    if let Some(read_along) = read_along {
        users.feed(&rc.loader, (), read_along).await;
    }
    Ok(ActivityPage {
        edges,
        users,
        has_next_page,
        has_previous_page,
        total,
    })
}

impl OperationLogConnection {
    pub fn from_page(page: ActivityPage) -> Self {
        let users = page.users;
        Self {
            edges: page
                .edges
                .into_iter()
                .filter_map(|(cursor, row)| match row {
                    ActivityRow::OperationLog(r) => Some(OperationLogEdge {
                        cursor,
                        node: OperationLog(r, users.clone()),
                    }),
                    ActivityRow::SignInEvent(_) => None,
                })
                .collect(),
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            total: page.total,
        }
    }
}

impl SignInEventConnection {
    pub fn from_page(page: ActivityPage) -> Self {
        let users = page.users;
        Self {
            edges: page
                .edges
                .into_iter()
                .filter_map(|(cursor, row)| match row {
                    ActivityRow::SignInEvent(r) => Some(SignInEventEdge {
                        cursor,
                        node: SignInEvent(r, users.clone()),
                    }),
                    ActivityRow::OperationLog(_) => None,
                })
                .collect(),
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            total: page.total,
        }
    }
}
