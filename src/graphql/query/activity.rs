//! The User Activity tab: `operationLogs` and `signInActivity`.

use async_graphql::{Context, Object, Result};

use crate::{
    auth::Privilege,
    graphql::{
        connection::connection_cost,
        context::report_request,
        guards::AnyOf,
        loaders::data_as_of,
        scalars::Date,
        types::activity::{
            activity_list, OperationCategory, OperationLogConnection, SignInEventConnection,
            SignInType,
        },
    },
};
use reports::{activity::ActivityTable, freshness::FreshnessSource};

#[derive(Default)]
pub struct ActivityQuery;

#[Object]
impl ActivityQuery {
    /// The Operation Logs report: what admins and users changed (users added, settings
    /// changed, recordings deleted, roles changed, ...), newest first. Needs
    /// user_activity_reports: the owner, or a custom role granting it (not the built-in ADMIN,
    /// as in the portal).
    #[graphql(
        guard = "AnyOf(&[Privilege::UserActivityReports])",
        complexity = "connection_cost(first, child_complexity)"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn operation_logs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the range (inclusive).")] from: Date,
        #[graphql(desc = "Last day of the range (inclusive), at most one month after `from`.")]
        to: Date,
        #[graphql(desc = "Only entries of this category.")] category: Option<OperationCategory>,
        #[graphql(desc = "Matches the operator's email, the action or the detail.")] search: Option<
            String,
        >,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the entries after this cursor.")] after: Option<String>,
    ) -> Result<OperationLogConnection> {
        let page = activity_list(
            ctx,
            ActivityTable::OperationLog,
            from,
            to,
            category.map(OperationCategory::as_str),
            search,
            first,
            after,
            None,
        )
        .await?;
        Ok(OperationLogConnection::from_page(page))
    }

    /// The Sign In / Sign Out report: who signed in or out, from which IP address, client and
    /// version, newest first. Needs user_activity_reports.
    #[graphql(
        guard = "AnyOf(&[Privilege::UserActivityReports])",
        complexity = "connection_cost(first, child_complexity)"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn sign_in_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the range (inclusive).")] from: Date,
        #[graphql(desc = "Last day of the range (inclusive), at most one month after `from`.")]
        to: Date,
        #[graphql(name = "type", desc = "Only sign-ins, or only sign-outs.")] event_type: Option<
            SignInType,
        >,
        #[graphql(desc = "Matches the user's email or name, or the IP address.")] search: Option<
            String,
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
            search,
            first,
            after,
            None,
        )
        .await?;
        Ok(SignInEventConnection::from_page(page))
    }

    /// When the data behind the reports was last updated: the newest stored event of the
    /// account for meetings and webinars (joins, leaves, session starts), the operation log,
    /// and sign-ins. A meeting is in every report as soon as its rows are stored; there is no
    /// processing delay.
    async fn data_as_of(&self, ctx: &Context<'_>) -> Result<DataAsOf> {
        let rc = report_request(ctx)?;
        let activity = rc.viewer.has(Privilege::UserActivityReports);
        Ok(DataAsOf {
            meetings: data_as_of(ctx, FreshnessSource::Meetings).await?,
            operation_logs: match activity {
                true => data_as_of(ctx, FreshnessSource::OperationLogs).await?,
                false => None,
            },
            sign_ins: match activity {
                true => data_as_of(ctx, FreshnessSource::SignIns).await?,
                false => None,
            },
        })
    }
}

/// The newest stored event behind each family of reports.
#[derive(async_graphql::SimpleObject)]
pub struct DataAsOf {
    /// Meetings and webinars: the newest join, leave or session start stored.
    pub meetings: Option<chrono::DateTime<chrono::Utc>>,
    /// The newest operation-log entry; null without user_activity_reports.
    pub operation_logs: Option<chrono::DateTime<chrono::Utc>>,
    /// The newest sign-in or sign-out; null without user_activity_reports.
    pub sign_ins: Option<chrono::DateTime<chrono::Utc>>,
}
