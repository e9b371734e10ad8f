//! The Phone System report's types: the platform's phone system call log, its charges and
//! totals. Money fields need billing_reports as well.

use async_graphql::{Context, Description, Enum, Object, Result, ID};
use chrono::{DateTime, Duration, Utc};
use tokio::sync::OnceCell;

use crate::{
    auth::Privilege,
    graphql::{
        connection::{Connection, ConnectionKind, Edge, ListTotal, PageInfo},
        context::request,
        error::ApiResult,
        guards::AllOf,
        loaders::{Siblings, UserId},
        scalars::Decimal,
        types::{
            telephone::{single_currency_total, CurrencyAmount},
            users::User,
        },
    },
};
use reports::{
    money::CurrencySum,
    phone_system::{
        phone_call_charges, phone_call_figures, phone_calls_count, PhoneCallFigures,
        PhoneCallFilter,
    },
};

/// Which way a phone system call went.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum PhoneCallDirection {
    /// Received by the account.
    Inbound,
    /// Placed by the account.
    Outbound,
}

impl PhoneCallDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            PhoneCallDirection::Inbound => "INBOUND",
            PhoneCallDirection::Outbound => "OUTBOUND",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "INBOUND" => PhoneCallDirection::Inbound,
            "OUTBOUND" => PhoneCallDirection::Outbound,
            _ => return None,
        })
    }
}

/// How a phone system call ended.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum PhoneCallResult {
    /// Picked up.
    Answered,
    /// Not picked up.
    Missed,
    /// Went to voicemail.
    Voicemail,
    /// Declined.
    Rejected,
    /// The line was busy.
    Busy,
}

impl PhoneCallResult {
    pub fn as_str(self) -> &'static str {
        match self {
            PhoneCallResult::Answered => "ANSWERED",
            PhoneCallResult::Missed => "MISSED",
            PhoneCallResult::Voicemail => "VOICEMAIL",
            PhoneCallResult::Rejected => "REJECTED",
            PhoneCallResult::Busy => "BUSY",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "ANSWERED" => PhoneCallResult::Answered,
            "MISSED" => PhoneCallResult::Missed,
            "VOICEMAIL" => PhoneCallResult::Voicemail,
            "REJECTED" => PhoneCallResult::Rejected,
            "BUSY" => PhoneCallResult::Busy,
            _ => return None,
        })
    }
}

/// One call of the phone system's log.
pub struct PhoneCall {
    pub row: entity::phone_call::Model,
    /// The users of the page's calls: they load at once.
    pub users: Siblings<i64>,
}

/// One call of the phone system's log: direction, caller, callee, start, duration, result and
/// charge.
#[Object]
impl PhoneCall {
    /// The call's id in this API.
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// Inbound or outbound.
    async fn direction(&self) -> Option<PhoneCallDirection> {
        PhoneCallDirection::parse(&self.row.direction)
    }

    /// The calling number (or extension).
    async fn caller_number(&self) -> &str {
        &self.row.caller_number
    }

    /// The caller's name, when known.
    async fn caller_name(&self) -> Option<&str> {
        self.row.caller_name.as_deref()
    }

    /// The number (or extension) called.
    async fn callee_number(&self) -> &str {
        &self.row.callee_number
    }

    /// The callee's name, when known.
    async fn callee_name(&self) -> Option<&str> {
        self.row.callee_name.as_deref()
    }

    /// The account's user on the call; null for calls to a shared line, or a deleted user.
    async fn user(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let Some(id) = self.row.user_id else {
            return Ok(None);
        };
        let rc = request(ctx)?;
        let row = self
            .users
            .load(&rc.loader, UserId(id), |all| {
                all.iter().map(|id| UserId(*id)).collect()
            })
            .await?;
        Ok(row.map(|row| User {
            row,
            siblings: self.users.clone(),
        }))
    }

    /// When the call started.
    async fn start_time(&self) -> DateTime<Utc> {
        self.row.start_time
    }

    /// When it ended (start plus duration).
    async fn end_time(&self) -> DateTime<Utc> {
        self.row.start_time + Duration::seconds(self.row.duration_seconds)
    }

    /// Its duration in seconds (0 for calls nobody answered).
    async fn duration_seconds(&self) -> i64 {
        self.row.duration_seconds
    }

    /// Its minutes: the duration rounded up to whole minutes, as calls are charged.
    async fn minutes(&self) -> i64 {
        (self.row.duration_seconds + 59).div_euclid(60)
    }

    /// How it ended.
    async fn result(&self) -> Option<PhoneCallResult> {
        PhoneCallResult::parse(&self.row.result)
    }

    /// What it cost. Money: needs billing_reports as well as usage_reports (null, with a
    /// `FORBIDDEN` error, without it; the call's other fields still answer).
    #[graphql(guard = "AllOf(&[Privilege::UsageReports, Privilege::BillingReports])")]
    async fn charge(&self) -> Option<Decimal> {
        Some(Decimal::from_micros(self.row.charge_micros))
    }

    /// The ISO 4217 currency of `charge`.
    async fn currency(&self) -> &str {
        &self.row.currency
    }
}

/// Counts the calls of a Phone System report; no filter when the account has no phone plan.
pub struct PhoneSystemTotal {
    pub filter: Option<PhoneCallFilter>,
    pub phone_plan: Option<String>,
}

impl ListTotal for PhoneSystemTotal {
    async fn count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        match &self.filter {
            Some(filter) => phone_calls_count(&request(ctx)?.sql, filter).await,
            None => Ok(0),
        }
    }
}

/// The totals of a Phone System report, over every page.
pub struct PhoneSystemTotals {
    figures: PhoneCallFigures,
    filter: Option<PhoneCallFilter>,
    charges: OnceCell<Vec<CurrencySum>>,
}

impl PhoneSystemTotals {
    async fn charges(&self, ctx: &Context<'_>) -> ApiResult<&[CurrencySum]> {
        let Some(filter) = &self.filter else {
            return Ok(&[]);
        };
        let sql = &request(ctx)?.sql;
        self.charges
            .get_or_try_init(|| phone_call_charges(sql, filter))
            .await
            .map(Vec::as_slice)
    }
}

/// The totals of a Phone System report, over every page: calls, minutes and charges.
#[Object]
impl PhoneSystemTotals {
    /// Calls in the range.
    async fn calls(&self) -> i64 {
        self.figures.calls
    }

    /// Of which answered.
    async fn answered(&self) -> i64 {
        self.figures.answered
    }

    /// Their durations added up, in seconds.
    async fn duration_seconds(&self) -> i64 {
        self.figures.duration_seconds
    }

    /// Their minutes added up (each call rounded up to whole minutes).
    async fn minutes(&self) -> i64 {
        self.figures.minutes
    }

    /// The calls' charges added up, exact; null when they are in more than one currency (see
    /// `chargeByCurrency`). Money: needs billing_reports as well as usage_reports (null, with
    /// a `FORBIDDEN` error, without it).
    #[graphql(guard = "AllOf(&[Privilege::UsageReports, Privilege::BillingReports])")]
    async fn total_charge(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        Ok(single_currency_total(self.charges(ctx).await?))
    }

    /// The currency of `totalCharge`; null when there are no calls or several currencies.
    async fn currency(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(match self.charges(ctx).await? {
            [one] => Some(one.currency.clone()),
            _ => None,
        })
    }

    /// The calls' charges per currency. Money: needs billing_reports as well as usage_reports
    /// (null, with a `FORBIDDEN` error, without it).
    #[graphql(guard = "AllOf(&[Privilege::UsageReports, Privilege::BillingReports])")]
    async fn charge_by_currency(&self, ctx: &Context<'_>) -> Result<Option<Vec<CurrencyAmount>>> {
        Ok(Some(
            self.charges(ctx)
                .await?
                .iter()
                .cloned()
                .map(Into::into)
                .collect(),
        ))
    }
}

/// The list behind `PhoneSystemConnection`.
pub struct PhoneSystemList;

impl ConnectionKind for PhoneSystemList {
    const CONNECTION: &'static str = "PhoneSystemConnection";
    const CONNECTION_DOC: &'static str = "The Phone System report: the phone system's calls in the range, oldest first, with totals, as a Relay connection. Empty, with `available` false, for an account without a phone plan.";
    const EDGE: &'static str = "PhoneCallEdge";
    const EDGE_DOC: &'static str = "A phone system call with its cursor.";
    type Node = PhoneCall;
    type Total = PhoneSystemTotal;
}

pub type PhoneCallEdge = Edge<PhoneSystemList>;

/// A page of the list, with fields of its own after the ones every connection has.
pub struct PhoneSystemConnection(pub Connection<PhoneSystemList>);

impl Description for PhoneSystemConnection {
    fn description() -> &'static str {
        PhoneSystemList::CONNECTION_DOC
    }
}

#[Object(use_type_description)]
impl PhoneSystemConnection {
    /// The rows of this page, each with its cursor.
    async fn edges(&self) -> &[PhoneCallEdge] {
        &self.0.edges
    }

    /// The rows of this page, without cursors.
    async fn nodes(&self) -> Vec<&PhoneCall> {
        self.0.nodes_of_page()
    }

    /// Where this page ends, and whether more rows follow.
    async fn page_info(&self) -> PageInfo {
        self.0.info()
    }

    /// How many rows the whole list holds, over all pages (counted by the database).
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(self.0.count(ctx).await?)
    }

    /// The newest stored event this list reflects (see `Query.dataAsOf`): rows are in
    /// the reports as soon as they are stored.
    async fn data_as_of(&self, ctx: &Context<'_>) -> Result<Option<DateTime<Utc>>> {
        Ok(self.0.freshness(ctx).await?)
    }

    /// Whether the account has a phone system plan; without one the report is empty.
    async fn available(&self) -> bool {
        self.0.total.phone_plan.is_some()
    }

    /// The account's phone system plan; null when it has none.
    async fn phone_plan(&self) -> Option<&str> {
        self.0.total.phone_plan.as_deref()
    }

    /// The range's totals over every call of the report (all pages).
    async fn totals(&self, ctx: &Context<'_>) -> Result<PhoneSystemTotals> {
        let figures = match &self.0.total.filter {
            Some(filter) => phone_call_figures(&request(ctx)?.sql, filter).await?,
            None => PhoneCallFigures::default(),
        };
        Ok(PhoneSystemTotals {
            figures,
            filter: self.0.total.filter.clone(),
            charges: OnceCell::new(),
        })
    }
}
