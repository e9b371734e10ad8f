//! `phoneSystemUsage`: the Phone System report.

use async_graphql::{Context, Object, Result};

use crate::{
    auth::Privilege,
    graphql::{
        connection::{connection_cost, split_page, Connection},
        context::{keyset_page, report_range, report_request},
        guards::AnyOf,
        loaders::Siblings,
        scalars::{encode_cursor, CursorKind, Date, Keyset},
        types::phone_system::{
            PhoneCall, PhoneCallDirection, PhoneCallEdge, PhoneCallResult, PhoneSystemConnection,
            PhoneSystemTotal,
        },
    },
};
use reports::phone_system::{phone_calls_page, phone_plan, PhoneCallFilter};

#[derive(Default)]
pub struct PhoneSystemQuery;

#[Object]
impl PhoneSystemQuery {
    /// The Phone System report: the platform's phone system calls that started in the range,
    /// oldest first, with direction, caller, callee, start, duration, result and charge; and
    /// totals of calls, minutes and charges. An account without a phone plan gets an empty
    /// report with `available: false`. Needs usage_reports; `charge` and the charge totals
    /// need billing_reports too.
    #[graphql(
        guard = "AnyOf(&[Privilege::UsageReports])",
        complexity = "connection_cost(first, child_complexity)"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn phone_system_usage(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the range (inclusive).")] from: Date,
        #[graphql(desc = "Last day of the range (inclusive), at most one month after `from`.")]
        to: Date,
        #[graphql(desc = "Only calls of this direction; default: both.")] direction: Option<
            PhoneCallDirection,
        >,
        #[graphql(desc = "Only calls with this result; default: every result.")] result: Option<
            PhoneCallResult,
        >,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the calls after this cursor.")] after: Option<String>,
    ) -> Result<PhoneSystemConnection> {
        let rc = report_request(ctx)?;
        let range = report_range(ctx, &rc.viewer, from, to)?;
        let (first, after) = keyset_page::<i64>(first, after, CursorKind::PhoneCall)?;
        let has_previous_page = after.is_some();
        let account = rc.viewer.account_id;
        let Some(plan) = phone_plan(&rc.sql, account).await? else {
            return Ok(PhoneSystemConnection(Connection {
                edges: Vec::new(),
                has_next_page: false,
                has_previous_page,
                total: PhoneSystemTotal {
                    filter: None,
                    phone_plan: None,
                },
            }));
        };
        let filter = PhoneCallFilter {
            account_id: account,
            start: range.start,
            end: range.end,
            direction: direction.map(PhoneCallDirection::as_str),
            result: result.map(PhoneCallResult::as_str),
        };
        let rows = phone_calls_page(&rc.sql, &filter, first, after.as_ref()).await?;
        let (rows, has_next_page) = split_page(rows, first);
        let mut user_ids: Vec<i64> = rows.iter().filter_map(|r| r.user_id).collect();
        user_ids.sort_unstable();
        user_ids.dedup();
        let users = Siblings::new(user_ids);
        Ok(PhoneSystemConnection(Connection {
            edges: rows
                .into_iter()
                .map(|row| PhoneCallEdge {
                    cursor: encode_cursor(
                        CursorKind::PhoneCall,
                        &Keyset {
                            time: row.start_time,
                            tie: row.id,
                        },
                    ),
                    node: PhoneCall {
                        row,
                        users: users.clone(),
                    },
                })
                .collect(),
            has_next_page,
            has_previous_page,
            total: PhoneSystemTotal {
                filter: Some(filter),
                phone_plan: Some(plan),
            },
        }))
    }
}
