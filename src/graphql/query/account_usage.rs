//! The admin Usage Reports tab: `dailyUsage`, `activeHosts`, `inactiveHosts`.

use async_graphql::{Context, Object, Result};
use chrono::{Datelike, Months, NaiveDate};
use chrono_tz::Tz;

use crate::{
    auth::Privilege,
    graphql::{
        connection::{connection_cost, split_page, Connection},
        context::{key_page, report_range, report_request, settings},
        error::{ApiError, ApiResult},
        guards::AnyOf,
        range::{day_start, earliest_day},
        scalars::{encode_key_cursor, CursorKind, Date},
        types::{
            account_usage::{
                ActiveHost, ActiveHostConnection, ActiveHostEdge, DailyUsageReport,
                DailyUsageTotals, HostSortField, HostsTotal, InactiveHostConnection,
                InactiveHostEdge,
            },
            users::User,
        },
    },
};
use reports::account_usage::{
    active_hosts_page, daily_rows, hosts_summary, inactive_hosts_page, ReportDay,
};

#[derive(Default)]
pub struct AccountUsageQuery;

/// The days of a month in `zone`: each day with the UTC instants it starts and ends.
fn month_days(year: i32, month: u32, zone: Tz) -> ApiResult<Vec<ReportDay>> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)
        .ok_or_else(|| ApiError::bad_input(format!("{year}-{month:02} is not a month")))?;
    let next = first
        .checked_add_months(Months::new(1))
        .ok_or_else(|| ApiError::bad_input("month out of range"))?;
    let mut days = Vec::new();
    let mut day = first;
    while day < next {
        let following = day
            .succ_opt()
            .ok_or_else(|| ApiError::bad_input("day out of range"))?;
        days.push((day, day_start(day, zone)?, day_start(following, zone)?));
        day = following;
    }
    Ok(days)
}

/// An active host's cursor: the sort figure and the user id.
fn host_cursor(value: i64, id: i64) -> String {
    encode_key_cursor(CursorKind::ActiveHost, &(value, id))
}

#[Object]
impl AccountUsageQuery {
    /// The Daily report: for each day of a month, new users, sessions of meetings and
    /// webinars, their participants and meeting minutes, over every meeting hosted by a user
    /// of the account. Days are cut in the account's time zone unless `timeZone` overrides
    /// it. Needs usage_reports.
    #[graphql(guard = "AnyOf(&[Privilege::UsageReports])")]
    async fn daily_usage(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The year, e.g. 2026.")] year: i32,
        #[graphql(desc = "The month, 1 to 12.")] month: i32,
        #[graphql(
            desc = "An IANA time zone (e.g. `America/New_York`) to cut the days in; default: the account's."
        )]
        time_zone: Option<String>,
    ) -> Result<DailyUsageReport> {
        let rc = report_request(ctx)?;
        let settings = settings(ctx)?;
        let zone: Tz = match &time_zone {
            Some(name) => name.parse().map_err(|_| {
                ApiError::bad_input(format!(
                    "`{name}` is not an IANA time zone (e.g. Europe/Paris)"
                ))
            })?,
            None => rc.viewer.time_zone,
        };
        let month_number = u32::try_from(month)
            .ok()
            .filter(|m| (1..=12).contains(m))
            .ok_or_else(|| ApiError::bad_input(format!("`month` must be 1 to 12, not {month}")))?;
        let days = month_days(year, month_number, zone)?;
        let today = settings.now().with_timezone(&zone).date_naive();
        let earliest = earliest_day(today, settings.history_months);
        let earliest_month = NaiveDate::from_ymd_opt(earliest.year(), earliest.month(), 1)
            .ok_or_else(|| ApiError::bad_input("date out of range"))?;
        if days.first().is_some_and(|(d, _, _)| *d < earliest_month) {
            return Err(ApiError::bad_input(format!(
                "reports cover the last {} months: the earliest month is {}",
                settings.history_months,
                earliest_month.format("%Y-%m")
            ))
            .into());
        }
        let account = rc.viewer.account_id;
        let rows = daily_rows(&rc.sql, account, &days).await?;
        // The days cover the month without overlap: its totals are theirs added up.
        let totals = rows.iter().fold(
            DailyUsageTotals {
                new_users: 0,
                meetings: 0,
                participants: 0,
                meeting_minutes: 0,
            },
            |t, d| DailyUsageTotals {
                new_users: t.new_users + d.new_users,
                meetings: t.meetings + d.meetings,
                participants: t.participants + d.participants,
                meeting_minutes: t.meeting_minutes + d.meeting_minutes,
            },
        );
        Ok(DailyUsageReport {
            year,
            month,
            time_zone: zone.name().to_owned(),
            days: rows.into_iter().map(Into::into).collect(),
            totals,
        })
    }

    /// The Active hosts report: users who held at least one session of a meeting or webinar
    /// in the range, with their sessions, participants and meeting minutes, sorted by one of
    /// them; and the range's totals. Needs usage_reports.
    #[graphql(
        guard = "AnyOf(&[Privilege::UsageReports])",
        complexity = "connection_cost(first, child_complexity)"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn active_hosts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the range (inclusive).")] from: Date,
        #[graphql(desc = "Last day of the range (inclusive), at most one month after `from`.")]
        to: Date,
        #[graphql(
            desc = "The figure to sort by.",
            default_with = "HostSortField::Meetings"
        )]
        sort_by: HostSortField,
        #[graphql(
            desc = "Largest first (the default), or smallest first.",
            default = true
        )]
        descending: bool,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the hosts after this cursor.")] after: Option<String>,
    ) -> Result<ActiveHostConnection> {
        let rc = report_request(ctx)?;
        let range = report_range(ctx, &rc.viewer, from, to)?;
        let (first, after) = key_page::<(i64, i64)>(first, after, CursorKind::ActiveHost)?;
        let account = rc.viewer.account_id;
        let rows = active_hosts_page(
            &rc.sql,
            account,
            range.start,
            range.end,
            sort_by.into(),
            descending,
            first,
            after,
        )
        .await?;
        let summary = match rows.first() {
            Some(row) => row.summary.clone(),
            None => hosts_summary(&rc.sql, account, range.start, range.end).await?,
        };
        let (rows, has_next_page) = split_page(rows, first);
        let cursors: Vec<String> = rows
            .iter()
            .map(|r| host_cursor(r.sort_value, r.user.id))
            .collect();
        let figures: Vec<_> = rows.iter().map(|r| r.figures.clone()).collect();
        let hosts = User::group(rows.into_iter().map(|r| r.user).collect());
        Ok(ActiveHostConnection(Connection {
            edges: cursors
                .into_iter()
                .zip(hosts.into_iter().zip(figures))
                .map(|(cursor, (host, figures))| ActiveHostEdge {
                    cursor,
                    node: ActiveHost { host, figures },
                })
                .collect(),
            has_next_page,
            has_previous_page: after.is_some(),
            total: HostsTotal {
                account_id: account,
                start: range.start,
                end: range.end,
                count: Some(summary.hosts),
                totals: summary.totals.into(),
            },
        }))
    }

    /// The Inactive hosts report: users of the account who held no session of a meeting or
    /// webinar in the range, by email. Active and inactive hosts together are the account's
    /// users. Needs usage_reports.
    #[graphql(
        guard = "AnyOf(&[Privilege::UsageReports])",
        complexity = "connection_cost(first, child_complexity)"
    )]
    async fn inactive_hosts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the range (inclusive).")] from: Date,
        #[graphql(desc = "Last day of the range (inclusive), at most one month after `from`.")]
        to: Date,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the users after this cursor.")] after: Option<String>,
    ) -> Result<InactiveHostConnection> {
        let rc = report_request(ctx)?;
        let range = report_range(ctx, &rc.viewer, from, to)?;
        let (first, after) = key_page::<(String, i64)>(first, after, CursorKind::InactiveHost)?;
        let has_previous_page = after.is_some();
        let account = rc.viewer.account_id;
        let rows =
            inactive_hosts_page(&rc.sql, account, range.start, range.end, first, after).await?;
        let (rows, has_next_page) = split_page(rows, first);
        let cursors: Vec<String> = rows
            .iter()
            .map(|u| encode_key_cursor(CursorKind::InactiveHost, &(u.email.clone(), u.id)))
            .collect();
        Ok(InactiveHostConnection {
            edges: cursors
                .into_iter()
                .zip(User::group(rows))
                .map(|(cursor, node)| InactiveHostEdge { cursor, node })
                .collect(),
            has_next_page,
            has_previous_page,
            total: HostsTotal {
                account_id: account,
                start: range.start,
                end: range.end,
                count: None,
                totals: Default::default(),
            },
        })
    }
}
