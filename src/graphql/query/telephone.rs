//! `telephoneUsage`: the Telephone report.

use std::collections::HashMap;

use async_graphql::{Context, Object, Result};

use crate::{
    auth::Privilege,
    graphql::{
        connection::{connection_cost, split_page, Connection},
        context::{keyset_page, report_range, report_request},
        guards::AnyOf,
        scalars::{encode_cursor, CursorKind, Date, Keyset},
        types::{
            meetings::MeetingCore,
            telephone::{
                TelephoneCallType, TelephoneLeg, TelephoneLegEdge, TelephoneTotal,
                TelephoneUsageConnection,
            },
        },
    },
};
use reports::{
    meetings::meetings_by_id,
    telephone::{telephone_page, TelephoneFilter},
};

#[derive(Default)]
pub struct TelephoneQuery;

#[Object]
impl TelephoneQuery {
    /// The Telephone report: who joined meetings and webinars by phone in the range, oldest
    /// first: the meeting (id, number, topic, host), the participant, the call type, the
    /// numbers, the country, start, end and duration; with totals of legs, minutes and cost.
    /// Needs usage_reports; the money fields (`rate`, `totalCost`) need billing_reports too.
    #[graphql(
        guard = "AnyOf(&[Privilege::UsageReports])",
        complexity = "connection_cost(first, child_complexity)"
    )]
    async fn telephone_usage(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the range (inclusive).")] from: Date,
        #[graphql(desc = "Last day of the range (inclusive), at most one month after `from`.")]
        to: Date,
        #[graphql(
            name = "type",
            desc = "Only legs of this call type; default: every type."
        )]
        call_type: Option<TelephoneCallType>,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the legs after this cursor.")] after: Option<String>,
    ) -> Result<TelephoneUsageConnection> {
        let rc = report_request(ctx)?;
        let range = report_range(ctx, &rc.viewer, from, to)?;
        let (first, after) = keyset_page::<i64>(first, after, CursorKind::TelephoneLeg)?;
        let account = rc.viewer.account_id;
        let filter = TelephoneFilter {
            account_id: account,
            start: range.start,
            end: range.end,
            call_type: call_type.map(TelephoneCallType::as_str),
        };
        let rows = telephone_page(&rc.sql, &filter, first, after.as_ref()).await?;
        let (rows, has_next_page) = split_page(rows, first);
        // The page's meetings in one statement, as one sibling group.
        let mut meeting_ids: Vec<i64> = rows.iter().map(|r| r.leg.meeting_id).collect();
        meeting_ids.sort_unstable();
        meeting_ids.dedup();
        let meetings: HashMap<i64, MeetingCore> =
            MeetingCore::group(meetings_by_id(&rc.sql, account, &meeting_ids).await?)
                .into_iter()
                .map(|m| (m.row.id, m))
                .collect();
        Ok(TelephoneUsageConnection(Connection {
            edges: rows
                .into_iter()
                .map(|row| TelephoneLegEdge {
                    cursor: encode_cursor(
                        CursorKind::TelephoneLeg,
                        &Keyset {
                            time: row.leg.start_time,
                            tie: row.leg.id,
                        },
                    ),
                    node: TelephoneLeg {
                        meeting: meetings.get(&row.leg.meeting_id).cloned(),
                        row,
                    },
                })
                .collect(),
            has_next_page,
            has_previous_page: after.is_some(),
            total: TelephoneTotal { filter },
        }))
    }
}
