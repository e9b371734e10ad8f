//! `usage`: the member tab's Usage report.

use async_graphql::{Context, Object, Result, ID};

use crate::graphql::{
    context::{report_range, report_request},
    error::ApiError,
    loaders::UserId,
    scalars::Date,
    types::{
        event::Event,
        filter_id,
        meetings::MeetingCore,
        session::MeetingSession,
        usage::{UsageReport, UsageSession, UsageTotals},
        users::User,
    },
};
use reports::{meetings::SessionRow, usage::usage_sessions};

#[derive(Default)]
pub struct UsageQuery;

#[Object]
impl UsageQuery {
    /// The Usage report: the meetings and webinars a host held in the range, one row per
    /// session with participants and meeting minutes, and totals. The host is the viewer
    /// unless `hostId` names another, which needs usage_reports.
    async fn usage(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the range (inclusive).")] from: Date,
        #[graphql(desc = "Last day of the range (inclusive), at most one month after `from`.")]
        to: Date,
        #[graphql(desc = "The host; default: yourself. Another host needs usage_reports.")]
        host_id: Option<ID>,
    ) -> Result<UsageReport> {
        let rc = report_request(ctx)?;
        let range = report_range(ctx, &rc.viewer, from, to)?;
        let requested = host_id
            .as_ref()
            .map(|h| filter_id(h, "hostId"))
            .transpose()?;
        let host_id = rc
            .viewer
            .host_scope(requested)?
            .unwrap_or(rc.viewer.user_id);
        let host = rc
            .loader
            .load_one(UserId(host_id))
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no user with id {host_id}")))?;
        let account = rc.viewer.account_id;
        let rows = usage_sessions(&rc.sql, account, host_id, range.start, range.end).await?;
        // The totals are the listed sessions' figures added up.
        let totals = UsageTotals {
            meetings: rows.len() as i64,
            participants: rows.iter().map(|r| r.participants).sum(),
            meeting_minutes: rows.iter().map(|r| r.meeting_minutes).sum(),
        };
        let sessions: Vec<SessionRow> = rows
            .iter()
            .map(|r| SessionRow {
                id: r.session_id,
                meeting_id: r.meeting.id,
                source_id: r.session_source_id.clone(),
                start_time: r.session_start,
                end_time: r.session_end,
                participants: r.participants,
                meeting_minutes: r.meeting_minutes,
            })
            .collect();
        let cores = MeetingCore::group(rows.into_iter().map(|r| r.meeting).collect());
        Ok(UsageReport {
            from,
            to,
            host: User::group(vec![host]).pop().ok_or(ApiError::Internal)?,
            sessions: sessions
                .into_iter()
                .zip(cores)
                .map(|(session, core)| UsageSession {
                    participants: session.participants,
                    meeting_minutes: session.meeting_minutes,
                    session: MeetingSession(session),
                    event: Event::from_core(core),
                })
                .collect(),
            totals,
        })
    }
}
