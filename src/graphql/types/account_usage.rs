//! The account-wide usage reports: Daily, Active hosts, Inactive hosts.

use async_graphql::{ComplexObject, Context, Description, Enum, Object, SimpleObject};

use crate::graphql::{
    connection::{Connection, ConnectionKind, Edge, ListTotal, PageInfo},
    context::request,
    error::ApiResult,
    loaders::data_as_of,
    types::users::User,
};
use reports::account_usage::{inactive_hosts_count, DailyRow, Figures, HostSort};
use reports::freshness::FreshnessSource;

/// One day of the Daily report.
#[derive(SimpleObject)]
pub struct DailyUsageDay {
    /// The day (yyyy-mm-dd), cut in the report's time zone.
    pub date: String,
    /// Users added to the account that day.
    pub new_users: i64,
    /// Sessions of meetings and webinars that started that day.
    pub meetings: i64,
    /// Their participants (each session's people, added up).
    pub participants: i64,
    /// Their meeting minutes (each session's, added up).
    pub meeting_minutes: i64,
}

impl From<DailyRow> for DailyUsageDay {
    fn from(r: DailyRow) -> Self {
        Self {
            date: r.day,
            new_users: r.new_users,
            meetings: r.meetings,
            participants: r.participants,
            meeting_minutes: r.meeting_minutes,
        }
    }
}

/// The month's totals of the Daily report.
#[derive(SimpleObject)]
pub struct DailyUsageTotals {
    /// Users added in the month.
    pub new_users: i64,
    /// Sessions that started in the month.
    pub meetings: i64,
    /// Participants over the month's sessions.
    pub participants: i64,
    /// Meeting minutes over the month's sessions.
    pub meeting_minutes: i64,
}

/// The Daily report: the account's usage on each day of a month.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct DailyUsageReport {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: i32,
    /// The IANA time zone the days are cut in.
    pub time_zone: String,
    /// Every day of the month, in order, including days without activity.
    pub days: Vec<DailyUsageDay>,
    /// The month's totals.
    pub totals: DailyUsageTotals,
}

#[ComplexObject]
impl DailyUsageReport {
    /// The newest stored meeting event the report reflects (read only when asked: it is a
    /// statement of its own).
    async fn data_as_of(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<chrono::DateTime<chrono::Utc>>> {
        Ok(data_as_of(ctx, FreshnessSource::Meetings).await?)
    }
}

/// The totals of a range: sessions, participants and meeting minutes.
#[derive(SimpleObject, Clone, Default)]
pub struct RangeTotals {
    /// Sessions of meetings and webinars that started in the range.
    pub meetings: i64,
    /// Participants over those sessions.
    pub participants: i64,
    /// Meeting minutes over those sessions.
    pub meeting_minutes: i64,
}

impl From<Figures> for RangeTotals {
    fn from(f: Figures) -> Self {
        Self {
            meetings: f.meetings,
            participants: f.participants,
            meeting_minutes: f.meeting_minutes,
        }
    }
}

/// What active hosts are sorted by.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum HostSortField {
    /// Sessions held.
    Meetings,
    /// Participants of those sessions.
    Participants,
    /// Meeting minutes of those sessions.
    MeetingMinutes,
}

impl From<HostSortField> for HostSort {
    fn from(f: HostSortField) -> Self {
        match f {
            HostSortField::Meetings => HostSort::Meetings,
            HostSortField::Participants => HostSort::Participants,
            HostSortField::MeetingMinutes => HostSort::MeetingMinutes,
        }
    }
}

/// A host who held at least one session in the range, with their figures.
pub struct ActiveHost {
    pub host: User,
    pub figures: Figures,
}

/// A host who held at least one session in the range, with their figures.
#[Object]
impl ActiveHost {
    /// The host.
    async fn host(&self) -> &User {
        &self.host
    }

    /// Sessions of meetings and webinars they held in the range.
    async fn meetings(&self) -> i64 {
        self.figures.meetings
    }

    /// Participants of those sessions.
    async fn participants(&self) -> i64 {
        self.figures.participants
    }

    /// Meeting minutes of those sessions.
    async fn meeting_minutes(&self) -> i64 {
        self.figures.meeting_minutes
    }
}

/// Counts the active or inactive hosts of a range, and carries the range's totals.
pub struct HostsTotal {
    pub account_id: i64,
    pub start: chrono::DateTime<chrono::Utc>,
    pub end: chrono::DateTime<chrono::Utc>,
    /// Known already (active hosts: the page's statement counts them); else the inactive
    /// hosts are counted when asked.
    pub count: Option<i64>,
    pub totals: RangeTotals,
}

impl ListTotal for HostsTotal {
    async fn count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        match self.count {
            Some(n) => Ok(n),
            None => {
                let sql = &request(ctx)?.sql;
                inactive_hosts_count(sql, self.account_id, self.start, self.end).await
            }
        }
    }
}

/// The list behind `ActiveHostConnection`.
pub struct ActiveHostList;

impl ConnectionKind for ActiveHostList {
    const CONNECTION: &'static str = "ActiveHostConnection";
    const CONNECTION_DOC: &'static str = "The Active hosts report: hosts who held at least one session in the range, with the range's totals, as a Relay connection.";
    const EDGE: &'static str = "ActiveHostEdge";
    const EDGE_DOC: &'static str = "An active host with its cursor.";
    type Node = ActiveHost;
    type Total = HostsTotal;
}

pub type ActiveHostEdge = Edge<ActiveHostList>;

/// A page of the list, with fields of its own after the ones every connection has.
pub struct ActiveHostConnection(pub Connection<ActiveHostList>);

impl Description for ActiveHostConnection {
    fn description() -> &'static str {
        ActiveHostList::CONNECTION_DOC
    }
}

#[Object(use_type_description)]
impl ActiveHostConnection {
    /// The rows of this page, each with its cursor.
    async fn edges(&self) -> &[ActiveHostEdge] {
        &self.0.edges
    }

    /// The rows of this page, without cursors.
    async fn nodes(&self) -> Vec<&ActiveHost> {
        self.0.nodes_of_page()
    }

    /// Where this page ends, and whether more rows follow.
    async fn page_info(&self) -> PageInfo {
        self.0.info()
    }

    /// How many rows the whole list holds, over all pages (counted by the database).
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        Ok(self.0.count(ctx).await?)
    }

    /// The newest stored event this list reflects (see `Query.dataAsOf`): rows are in
    /// the reports as soon as they are stored.
    async fn data_as_of(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<chrono::DateTime<chrono::Utc>>> {
        Ok(self.0.freshness(ctx).await?)
    }

    /// The range's totals over every session of the account (equal to the hosts' figures
    /// added up).
    async fn totals(&self) -> &RangeTotals {
        &self.0.total.totals
    }
}

/// The list behind `InactiveHostConnection`.
pub struct InactiveHostList;

impl ConnectionKind for InactiveHostList {
    const CONNECTION: &'static str = "InactiveHostConnection";
    const CONNECTION_DOC: &'static str = "The Inactive hosts report: users of the account who held no session in the range, by email, as a Relay connection.";
    const EDGE: &'static str = "InactiveHostEdge";
    const EDGE_DOC: &'static str = "An inactive host with its cursor.";
    type Node = User;
    type Total = HostsTotal;
}

pub type InactiveHostConnection = Connection<InactiveHostList>;
pub type InactiveHostEdge = Edge<InactiveHostList>;
