//! The `Subscription` root: live updates, served over WebSocket (graphql-transport-ws) at
//! `/graphql` by `http/websocket.rs`.
//!
//! A field subscribes to the account's channel of the change bus (`ingest::changes`) before it
//! reads anything, so no commit falls between its first read and its first wake; every item
//! is read fresh from the database (no loader cache lives as long as a subscription). The
//! guards are those of the queries, on the viewer of the connection's token.

use std::{collections::VecDeque, sync::Arc};

use async_graphql::{Context, Enum, Object, Result, Subscription as SubscriptionRoot, ID};
use chrono::{DateTime, Utc};
use futures_util::{stream, Stream};
use reports::{
    freshness::{data_as_of, FreshnessSource},
    live_meetings::{live_sessions, LiveSessionRow},
};

use crate::{
    auth::{Privilege, Viewer},
    db::Sql,
    graphql::{
        context::report_request,
        error::{ApiError, ApiResult},
        guards::ReportsPlan,
    },
    ingest::changes::{ChangeBus, Changes, Sources, SOURCES},
};

/// What a subscription reads besides the viewer: the server's change bus (request data of
/// every operation of a WebSocket connection).
#[derive(Clone)]
pub struct LiveUpdates {
    pub changes: Arc<ChangeBus>,
}

fn live_updates<'a>(ctx: &Context<'a>) -> ApiResult<&'a LiveUpdates> {
    ctx.data_opt::<LiveUpdates>().ok_or_else(|| {
        tracing::error!("a subscription ran without the change bus in its data");
        ApiError::Internal
    })
}

#[derive(Default)]
pub struct Subscription;

/// Live updates, over WebSocket (graphql-transport-ws) at `/graphql`: the token goes in the
/// `connection_init` payload as `{"Authorization": "Bearer <token>"}`.
#[SubscriptionRoot]
impl Subscription {
    /// The meetings and webinars in progress in the account (a member: those they host); the
    /// whole list on subscribe, then again after every committed change to the account's
    /// meeting data (a member's list is sent again after a change to another host's meeting
    /// too, unchanged). Oldest start first.
    #[graphql(guard = "ReportsPlan")]
    async fn live_meetings(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = Result<Vec<LiveMeeting>>>> {
        let rc = report_request(ctx)?;
        let host = rc.viewer.host_scope(None)?;
        let account = rc.viewer.account_id;
        let changes = live_updates(ctx)?.changes.subscribe(account);
        let state = (rc.sql.clone(), changes, true);
        Ok(stream::unfold(
            state,
            move |(sql, mut changes, first)| async move {
                if !first {
                    while !changes.next().await.contains(FreshnessSource::Meetings) {}
                }
                let list = live_sessions(&sql, account, host)
                    .await
                    .map(|rows| rows.into_iter().map(LiveMeeting).collect())
                    .map_err(Into::into);
                Some((list, (sql, changes, false)))
            },
        ))
    }

    /// A report's data changed: one item per committed write that touched the source, with
    /// the source's new `dataAsOf` (writes that commit while the subscriber is still busy with
    /// an earlier item come as one item per source). OPERATION_LOGS and SIGN_INS reach only
    /// viewers with user_activity_reports, BILLING only those who may read the billing report
    /// (billing_reports, and billing reports enabled for the account); MEETINGS reaches every
    /// viewer, a member for every change of the account's meeting data (not only of the
    /// meetings they host), and its `dataAsOf` is the account's, as `Query.dataAsOf` says it.
    #[graphql(guard = "ReportsPlan")]
    async fn data_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only these sources (default: every source the viewer may read); naming one the viewer may not read is FORBIDDEN."
        )]
        sources: Option<Vec<DataSource>>,
    ) -> Result<impl Stream<Item = Result<DataChange>>> {
        let rc = report_request(ctx)?;
        let readable = readable_sources(&rc.viewer);
        let wanted = match sources {
            None => readable,
            Some(sources) => {
                let mut wanted = Sources::default();
                for source in sources {
                    let source = source.freshness();
                    if !readable.contains(source) {
                        return Err(ApiError::forbidden(format!(
                            "dataChanged({}) needs {}",
                            DataSource::of(source).name(),
                            needed_for(source)
                        ))
                        .into());
                    }
                    wanted.insert(source);
                }
                wanted
            }
        };
        let account = rc.viewer.account_id;
        let changes = live_updates(ctx)?.changes.subscribe(account);
        let state = DataChanges {
            sql: rc.sql.clone(),
            changes,
            pending: VecDeque::new(),
        };
        Ok(stream::unfold(state, move |mut state| async move {
            while state.pending.is_empty() {
                let changed = state.changes.next().await;
                state
                    .pending
                    .extend(changed.iter().filter(|s| wanted.contains(*s)));
            }
            let source = state.pending.pop_front()?;
            let item = data_as_of(&state.sql, account, source)
                .await
                .map(|data_as_of| DataChange {
                    source: DataSource::of(source),
                    data_as_of,
                })
                .map_err(Into::into);
            Some((item, state))
        }))
    }
}

struct DataChanges {
    sql: Sql,
    changes: Changes,
    /// Changed sources not sent yet, in the order of `SOURCES`.
    pending: VecDeque<FreshnessSource>,
}

/// The sources whose reports the viewer may read (the plan rule is the field's guard).
fn readable_sources(viewer: &Viewer) -> Sources {
    let mut readable = Sources::default();
    for source in SOURCES {
        let reads = match source {
            FreshnessSource::Meetings => true,
            FreshnessSource::OperationLogs | FreshnessSource::SignIns => {
                viewer.has(Privilege::UserActivityReports)
            }
            FreshnessSource::Billing => {
                viewer.has(Privilege::BillingReports) && viewer.billing_reports_enabled
            }
        };
        if reads {
            readable.insert(source);
        }
    }
    readable
}

fn needed_for(source: FreshnessSource) -> &'static str {
    match source {
        FreshnessSource::Meetings => "a plan with reports",
        FreshnessSource::OperationLogs | FreshnessSource::SignIns => {
            "the user_activity_reports privilege"
        }
        FreshnessSource::Billing => {
            "the billing_reports privilege and billing reports enabled for the account"
        }
    }
}

/// A family of report data, as `dataAsOf` tells them apart.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum DataSource {
    /// Meetings and webinars: their sessions, joins and leaves, registrations, recordings,
    /// polls, Q&A, phone legs, users (the usage, meeting and webinar reports).
    Meetings,
    /// The operation log.
    OperationLogs,
    /// Sign-ins and sign-outs.
    SignIns,
    /// Invoices (the billing report).
    Billing,
}

impl DataSource {
    fn of(source: FreshnessSource) -> Self {
        match source {
            FreshnessSource::Meetings => Self::Meetings,
            FreshnessSource::OperationLogs => Self::OperationLogs,
            FreshnessSource::SignIns => Self::SignIns,
            FreshnessSource::Billing => Self::Billing,
        }
    }

    fn freshness(self) -> FreshnessSource {
        match self {
            Self::Meetings => FreshnessSource::Meetings,
            Self::OperationLogs => FreshnessSource::OperationLogs,
            Self::SignIns => FreshnessSource::SignIns,
            Self::Billing => FreshnessSource::Billing,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Meetings => "MEETINGS",
            Self::OperationLogs => "OPERATION_LOGS",
            Self::SignIns => "SIGN_INS",
            Self::Billing => "BILLING",
        }
    }
}

/// A committed change to one source of the account's report data.
#[derive(async_graphql::SimpleObject)]
pub struct DataChange {
    /// Which data changed.
    pub source: DataSource,
    /// The source's newest stored event after the change, as the reports' `dataAsOf` reads
    /// it; null when nothing is stored.
    pub data_as_of: Option<DateTime<Utc>>,
}

pub struct LiveMeeting(LiveSessionRow);

/// A meeting or webinar in progress: one of its sessions has started and not ended.
#[Object]
impl LiveMeeting {
    /// The Meeting's or Webinar's id, as `meeting(id:)` and `webinar(id:)` take it.
    async fn id(&self) -> ID {
        ID(self.0.meeting_id.to_string())
    }

    /// The session in progress, as `MeetingSession.id` (a meeting is listed twice only while an
    /// earlier occurrence of it was never ended).
    async fn session_id(&self) -> ID {
        ID(self.0.session_id.to_string())
    }

    /// True for a webinar, false for a meeting.
    async fn webinar(&self) -> bool {
        self.0.kind == "WEBINAR"
    }

    /// Its topic.
    async fn topic(&self) -> &str {
        &self.0.topic
    }

    /// When the session in progress started.
    async fn start_time(&self) -> DateTime<Utc> {
        self.0.start_time
    }

    /// Joins with no leave yet: who is in it now (one person in twice, say by computer and by
    /// phone, counts twice).
    async fn participants_now(&self) -> i64 {
        self.0.participants_now
    }

    /// People who joined the session so far (rejoins count once), as
    /// `MeetingSession.participantsCount`.
    async fn participants_count(&self) -> i64 {
        self.0.participants_count
    }

    /// Its host.
    async fn host(&self) -> LiveMeetingHost {
        LiveMeetingHost {
            id: ID(self.0.host_id.to_string()),
            email: self.0.host_email.clone(),
        }
    }
}

/// The host of a meeting in progress.
#[derive(async_graphql::SimpleObject)]
pub struct LiveMeetingHost {
    /// The host's user id, as `user(id:)` takes it.
    pub id: ID,
    /// The host's email; null when the host is not (or no longer) a user of the account.
    pub email: Option<String>,
}
