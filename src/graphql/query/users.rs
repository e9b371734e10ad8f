//! Hosts as nodes of the graph: `user(id)` and `users`.

use async_graphql::{Context, Object, Result, ID};

use crate::{
    auth::Privilege,
    graphql::{
        connection::{connection_cost, split_page, Connection, ConnectionKind, Edge, ListTotal},
        context::{keyset_page, report_request, request},
        error::{ApiError, ApiResult},
        loaders::UserId,
        scalars::{encode_cursor, CursorKind, Keyset},
        types::{row_id, users::User},
    },
};
use reports::users::{users_count, users_page, UserFilter};

#[derive(Default)]
pub struct UserQuery;

#[Object]
impl UserQuery {
    /// One user of the account by id: yourself, or anyone with usage_reports. `NOT_FOUND`
    /// otherwise, as for ids that do not exist.
    async fn user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user's id.")] id: ID,
    ) -> Result<Option<User>> {
        let rc = report_request(ctx)?;
        let not_found = || ApiError::NotFound(format!("no user with id {}", id.as_str()));
        let user_id = row_id(&id, "user")?;
        if user_id != rc.viewer.user_id && !rc.viewer.has(Privilege::UsageReports) {
            return Err(not_found().into());
        }
        let row = rc
            .loader
            .load_one(UserId(user_id))
            .await?
            .ok_or_else(not_found)?;
        Ok(User::group(vec![row]).pop())
    }

    /// The account's users, oldest first: all of them with usage_reports, else yourself.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Matches the email or the name (case-insensitive).")] search: Option<
            String,
        >,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the users after this cursor.")] after: Option<String>,
    ) -> Result<UserConnection> {
        let rc = report_request(ctx)?;
        let (first, after) = keyset_page::<i64>(first, after, CursorKind::User)?;
        let filter = UserFilter {
            account_id: rc.viewer.account_id,
            only: (!rc.viewer.has(Privilege::UsageReports)).then_some(rc.viewer.user_id),
            search,
        };
        let rows = users_page(&rc.sql, &filter, first, after.as_ref()).await?;
        let (rows, has_next_page) = split_page(rows, first);
        let cursors: Vec<String> = rows
            .iter()
            .map(|u| {
                encode_cursor(
                    CursorKind::User,
                    &Keyset {
                        time: u.created_at,
                        tie: u.id,
                    },
                )
            })
            .collect();
        Ok(UserConnection {
            edges: cursors
                .into_iter()
                .zip(User::group(rows))
                .map(|(cursor, node)| UserEdge { cursor, node })
                .collect(),
            has_next_page,
            has_previous_page: after.is_some(),
            total: UserTotal(filter),
        })
    }
}

/// The list behind `UserConnection`.
pub struct UserList;

impl ConnectionKind for UserList {
    const CONNECTION: &'static str = "UserConnection";
    const CONNECTION_DOC: &'static str = "A page of users, as a Relay connection.";
    const EDGE: &'static str = "UserEdge";
    const EDGE_DOC: &'static str = "A user with its cursor.";
    type Node = User;
    type Total = UserTotal;
}

pub type UserConnection = Connection<UserList>;
pub type UserEdge = Edge<UserList>;

/// Counts the users of a list filter.
pub struct UserTotal(UserFilter);

impl ListTotal for UserTotal {
    async fn count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        users_count(&request(ctx)?.sql, &self.0).await
    }
}
