//! The Telephone report's types: one leg per phone connection to a meeting, its numbers and
//! cost, and the report's totals. Money fields need billing_reports as well.

use async_graphql::{Context, Description, Enum, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use tokio::sync::OnceCell;

use crate::{
    auth::Privilege,
    graphql::{
        connection::{Connection, ConnectionKind, Edge, ListTotal, PageInfo},
        context::request,
        error::ApiResult,
        guards::AllOf,
        scalars::Decimal,
        types::{event::Event, meetings::MeetingCore},
    },
};
use reports::{
    money::CurrencySum,
    telephone::{
        telephone_costs, telephone_count, telephone_figures, TelephoneFigures, TelephoneFilter,
        TelephoneLegRow,
    },
};

/// How a participant's phone reached the meeting.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum TelephoneCallType {
    /// Dialled a toll-free number of the meeting.
    TollFree,
    /// Dialled a toll number of the meeting.
    Toll,
    /// The meeting called the participant's phone.
    CallOut,
    /// Joined from a SIP phone.
    Sip,
}

impl TelephoneCallType {
    pub fn as_str(self) -> &'static str {
        match self {
            TelephoneCallType::TollFree => "TOLL_FREE",
            TelephoneCallType::Toll => "TOLL",
            TelephoneCallType::CallOut => "CALL_OUT",
            TelephoneCallType::Sip => "SIP",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "TOLL_FREE" => TelephoneCallType::TollFree,
            "TOLL" => TelephoneCallType::Toll,
            "CALL_OUT" => TelephoneCallType::CallOut,
            "SIP" => TelephoneCallType::Sip,
            _ => return None,
        })
    }
}

/// An amount of money in one currency, summed by the database.
#[derive(SimpleObject, Clone, Debug)]
pub struct CurrencyAmount {
    /// ISO 4217 currency code.
    pub currency: String,
    /// The rows (legs, calls) the amount adds up.
    pub calls: i64,
    /// The amount, exact.
    pub amount: Decimal,
}

impl From<CurrencySum> for CurrencyAmount {
    fn from(s: CurrencySum) -> Self {
        Self {
            currency: s.currency,
            calls: s.calls,
            amount: Decimal::from_micros(s.micros),
        }
    }
}

/// The total of per-currency sums: the one amount when there is a single currency, zero when
/// there is none, `None` when currencies are mixed (no sum across currencies).
pub fn single_currency_total(sums: &[CurrencySum]) -> Option<Decimal> {
    match sums {
        [] => Some(Decimal::from_micros(0)),
        [one] => Some(Decimal::from_micros(one.micros)),
        _ => None,
    }
}

/// One phone leg of a meeting: a participant connected by telephone.
pub struct TelephoneLeg {
    pub row: TelephoneLegRow,
    pub meeting: Option<MeetingCore>,
}

/// One phone leg of a meeting or webinar: who joined by phone, from which number to which,
/// when, for how long, and at what cost.
#[Object]
impl TelephoneLeg {
    /// The leg's id in this API.
    async fn id(&self) -> ID {
        ID(self.row.leg.id.to_string())
    }

    /// The meeting or webinar the leg joined (id, number, topic, host, ...).
    async fn meeting(&self) -> Option<Event> {
        self.meeting.clone().map(Event::from_core)
    }

    /// The participant's display name; null when the leg is not tied to a join row.
    async fn participant_name(&self) -> Option<&str> {
        self.row.participant_name.as_deref()
    }

    /// The participant's email, when known.
    async fn participant_email(&self) -> Option<&str> {
        self.row.participant_email.as_deref()
    }

    /// How the phone reached the meeting: toll-free, toll, call-out or SIP.
    async fn call_type(&self) -> Option<TelephoneCallType> {
        TelephoneCallType::parse(&self.row.leg.call_type)
    }

    /// The calling number (the participant's for dial-in, the meeting's for call-out).
    async fn caller_number(&self) -> &str {
        &self.row.leg.caller_number
    }

    /// The number called (the meeting's dial-in number, or the participant's for call-out).
    async fn called_number(&self) -> &str {
        &self.row.leg.called_number
    }

    /// The country of the call (ISO 3166 code).
    async fn country(&self) -> &str {
        &self.row.leg.country
    }

    /// When the leg connected.
    async fn start_time(&self) -> DateTime<Utc> {
        self.row.leg.start_time
    }

    /// When it hung up.
    async fn end_time(&self) -> DateTime<Utc> {
        self.row.leg.end_time
    }

    /// Its duration in seconds.
    async fn duration_seconds(&self) -> i64 {
        self.row.leg.duration_seconds
    }

    /// Its billed minutes: the duration rounded up to whole minutes, as legs are charged.
    async fn minutes(&self) -> i64 {
        (self.row.leg.duration_seconds + 59).div_euclid(60)
    }

    /// The rate per minute. Money: needs billing_reports as well as usage_reports (null,
    /// with a `FORBIDDEN` error, without it; the leg's other fields still answer).
    #[graphql(guard = "AllOf(&[Privilege::UsageReports, Privilege::BillingReports])")]
    async fn rate(&self) -> Option<Decimal> {
        Some(Decimal::from_micros(self.row.leg.rate_per_minute_micros))
    }

    /// The leg's total cost. Money: needs billing_reports as well as usage_reports (null, with
    /// a `FORBIDDEN` error, without it).
    #[graphql(guard = "AllOf(&[Privilege::UsageReports, Privilege::BillingReports])")]
    async fn total_cost(&self) -> Option<Decimal> {
        Some(Decimal::from_micros(self.row.leg.total_cost_micros))
    }

    /// The ISO 4217 currency of `rate` and `totalCost`.
    async fn currency(&self) -> &str {
        &self.row.leg.currency
    }
}

/// Counts the legs of a Telephone report, and answers its totals.
pub struct TelephoneTotal {
    pub filter: TelephoneFilter,
}

impl ListTotal for TelephoneTotal {
    async fn count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        telephone_count(&request(ctx)?.sql, &self.filter).await
    }
}

/// The totals of a Telephone report, over every page.
pub struct TelephoneTotals {
    figures: TelephoneFigures,
    filter: TelephoneFilter,
    costs: OnceCell<Vec<CurrencySum>>,
}

impl TelephoneTotals {
    async fn costs(&self, ctx: &Context<'_>) -> ApiResult<&[CurrencySum]> {
        let sql = &request(ctx)?.sql;
        self.costs
            .get_or_try_init(|| telephone_costs(sql, &self.filter))
            .await
            .map(Vec::as_slice)
    }
}

/// The totals of a Telephone report, over every page: legs, duration, billed minutes and cost.
#[Object]
impl TelephoneTotals {
    /// Phone legs in the range.
    async fn calls(&self) -> i64 {
        self.figures.calls
    }

    /// Their durations added up, in seconds.
    async fn duration_seconds(&self) -> i64 {
        self.figures.duration_seconds
    }

    /// Their billed minutes added up (each leg rounded up to whole minutes).
    async fn minutes(&self) -> i64 {
        self.figures.minutes
    }

    /// The legs' costs added up, exact; null when they are in more than one currency (see
    /// `costByCurrency`). Money: needs billing_reports as well as usage_reports (null, with a
    /// `FORBIDDEN` error, without it).
    #[graphql(guard = "AllOf(&[Privilege::UsageReports, Privilege::BillingReports])")]
    async fn total_cost(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        Ok(single_currency_total(self.costs(ctx).await?))
    }

    /// The currency of `totalCost`; null when there are no legs or several currencies.
    async fn currency(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let costs = self.costs(ctx).await?;
        Ok(match costs {
            [one] => Some(one.currency.clone()),
            _ => None,
        })
    }

    /// The legs' costs per currency. Money: needs billing_reports as well as usage_reports
    /// (null, with a `FORBIDDEN` error, without it).
    #[graphql(guard = "AllOf(&[Privilege::UsageReports, Privilege::BillingReports])")]
    async fn cost_by_currency(&self, ctx: &Context<'_>) -> Result<Option<Vec<CurrencyAmount>>> {
        Ok(Some(
            self.costs(ctx)
                .await?
                .iter()
                .cloned()
                .map(Into::into)
                .collect(),
        ))
    }
}

/// The list behind `TelephoneUsageConnection`.
pub struct TelephoneUsageList;

impl ConnectionKind for TelephoneUsageList {
    const CONNECTION: &'static str = "TelephoneUsageConnection";
    const CONNECTION_DOC: &'static str = "The Telephone report: phone legs of meetings and webinars in the range, oldest first, with totals, as a Relay connection.";
    const EDGE: &'static str = "TelephoneLegEdge";
    const EDGE_DOC: &'static str = "A phone leg with its cursor.";
    type Node = TelephoneLeg;
    type Total = TelephoneTotal;
}

pub type TelephoneLegEdge = Edge<TelephoneUsageList>;

/// A page of the list, with fields of its own after the ones every connection has.
pub struct TelephoneUsageConnection(pub Connection<TelephoneUsageList>);

impl Description for TelephoneUsageConnection {
    fn description() -> &'static str {
        TelephoneUsageList::CONNECTION_DOC
    }
}

#[Object(use_type_description)]
impl TelephoneUsageConnection {
    /// The rows of this page, each with its cursor.
    async fn edges(&self) -> &[TelephoneLegEdge] {
        &self.0.edges
    }

    /// The rows of this page, without cursors.
    async fn nodes(&self) -> Vec<&TelephoneLeg> {
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

    /// The range's totals over every leg of the report (all pages).
    async fn totals(&self, ctx: &Context<'_>) -> Result<TelephoneTotals> {
        let sql = &request(ctx)?.sql;
        Ok(TelephoneTotals {
            figures: telephone_figures(sql, &self.0.total.filter).await?,
            filter: self.0.total.filter.clone(),
            costs: OnceCell::new(),
        })
    }
}
