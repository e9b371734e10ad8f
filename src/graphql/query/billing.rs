//! `billingReport`: the Billing report.

use std::collections::HashMap;

use async_graphql::{Context, Object, Result};

use crate::{
    auth::Privilege,
    graphql::{
        context::{report_range, report_request},
        error::ApiError,
        loaders::data_as_of,
        scalars::Date,
        types::billing::{BillingInvoice, BillingLine, BillingReport},
    },
};
use reports::{billing, freshness::FreshnessSource};

#[derive(Default)]
pub struct BillingQuery;

#[Object]
impl BillingQuery {
    /// The Billing report: the invoices of the period with a breakdown by department (money
    /// as exact decimals). Needs the billing_reports privilege **and** billing reports enabled
    /// for the account by support; the error says which is missing.
    async fn billing_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the period (inclusive).")] from: Date,
        #[graphql(desc = "Last day of the period (inclusive), at most one month after `from`.")]
        to: Date,
    ) -> Result<BillingReport> {
        let rc = report_request(ctx)?;
        let mut missing = Vec::new();
        if !rc.viewer.has(Privilege::BillingReports) {
            missing.push("the billing_reports privilege");
        }
        if !rc.viewer.billing_reports_enabled {
            missing.push("billing reports enabled for the account (support enables them)");
        }
        if !missing.is_empty() {
            return Err(ApiError::forbidden(format!(
                "the billing report needs {}",
                missing.join(" and ")
            ))
            .into());
        }
        report_range(ctx, &rc.viewer, from, to)?;
        let account = rc.viewer.account_id;
        let invoices = billing::invoices(&rc.sql, account, from.0, to.0).await?;
        let ids: Vec<i64> = invoices.iter().map(|i| i.id).collect();
        let mut lines: HashMap<i64, Vec<BillingLine>> = HashMap::new();
        for line in billing::lines_of(&rc.sql, account, &ids).await? {
            lines
                .entry(line.invoice_id)
                .or_default()
                .push(BillingLine(line));
        }
        let departments = billing::by_department(&rc.sql, account, from.0, to.0).await?;
        let totals = billing::totals(&rc.sql, account, from.0, to.0).await?;
        Ok(BillingReport {
            from,
            to,
            invoices: invoices
                .into_iter()
                .map(|row| BillingInvoice {
                    lines: lines.remove(&row.id).unwrap_or_default(),
                    row,
                })
                .collect(),
            departments: departments.into_iter().map(Into::into).collect(),
            totals: totals.into_iter().map(Into::into).collect(),
            data_as_of: data_as_of(ctx, FreshnessSource::Billing).await?,
        })
    }
}
