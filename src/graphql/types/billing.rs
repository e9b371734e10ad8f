//! The Billing report.

use async_graphql::{Object, SimpleObject, ID};
use chrono::{DateTime, Utc};

use crate::graphql::scalars::{Date, Decimal};
use reports::billing::{DepartmentRow, LineRow, TotalRow};

/// One line of an invoice.
pub struct BillingLine(pub LineRow);

/// One line of an invoice: what was billed, to which department.
#[Object]
impl BillingLine {
    /// The department billed; null for lines not assigned to one.
    async fn department(&self) -> Option<&str> {
        self.0.department.as_deref()
    }

    /// What was billed.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Licences billed.
    async fn licenses(&self) -> i32 {
        self.0.licenses
    }

    /// Amount before tax.
    async fn amount(&self) -> Decimal {
        Decimal::from_micros(self.0.amount_micros)
    }

    /// Tax.
    async fn tax(&self) -> Decimal {
        Decimal::from_micros(self.0.tax_micros)
    }
}

/// An invoice of the period, with its lines.
pub struct BillingInvoice {
    pub row: entity::billing_invoice::Model,
    pub lines: Vec<BillingLine>,
}

/// An invoice of the period, with its lines.
#[Object]
impl BillingInvoice {
    /// The invoice's id in this API.
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// The invoice number.
    async fn invoice_number(&self) -> &str {
        &self.row.invoice_number
    }

    /// First day billed.
    async fn period_start(&self) -> Date {
        Date(self.row.period_start)
    }

    /// Last day billed.
    async fn period_end(&self) -> Date {
        Date(self.row.period_end)
    }

    /// When it was issued.
    async fn issued_at(&self) -> DateTime<Utc> {
        self.row.issued_at
    }

    /// ISO 4217 currency code.
    async fn currency(&self) -> &str {
        &self.row.currency
    }

    /// Amount before tax.
    async fn amount(&self) -> Decimal {
        Decimal::from_micros(self.row.amount_micros)
    }

    /// Tax.
    async fn tax(&self) -> Decimal {
        Decimal::from_micros(self.row.tax_micros)
    }

    /// Amount plus tax.
    async fn total(&self) -> Decimal {
        Decimal::from_micros(self.row.amount_micros + self.row.tax_micros)
    }

    /// The lines, by department.
    async fn lines(&self) -> &[BillingLine] {
        &self.lines
    }
}

/// A department's share of the period's invoices, in one currency.
#[derive(SimpleObject)]
pub struct DepartmentBilling {
    /// The department; null for lines not assigned to one.
    pub department: Option<String>,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Licences billed to it.
    pub licenses: i64,
    /// Amount before tax.
    pub amount: Decimal,
    /// Tax.
    pub tax: Decimal,
    /// Amount plus tax.
    pub total: Decimal,
}

impl From<DepartmentRow> for DepartmentBilling {
    fn from(r: DepartmentRow) -> Self {
        Self {
            department: r.department,
            currency: r.currency,
            licenses: r.licenses,
            amount: Decimal::from_micros(r.amount_micros),
            tax: Decimal::from_micros(r.tax_micros),
            total: Decimal::from_micros(r.amount_micros + r.tax_micros),
        }
    }
}

/// The period's totals in one currency.
#[derive(SimpleObject)]
pub struct BillingTotal {
    /// ISO 4217 currency code.
    pub currency: String,
    /// Invoices of the period in this currency.
    pub invoices: i64,
    /// Amount before tax.
    pub amount: Decimal,
    /// Tax.
    pub tax: Decimal,
    /// Amount plus tax.
    pub total: Decimal,
}

impl From<TotalRow> for BillingTotal {
    fn from(r: TotalRow) -> Self {
        Self {
            currency: r.currency,
            invoices: r.invoices,
            amount: Decimal::from_micros(r.amount_micros),
            tax: Decimal::from_micros(r.tax_micros),
            total: Decimal::from_micros(r.amount_micros + r.tax_micros),
        }
    }
}

/// The Billing report of a period: its invoices, their breakdown by department, and totals.
#[derive(SimpleObject)]
pub struct BillingReport {
    /// First day of the period.
    pub from: Date,
    /// Last day of the period.
    pub to: Date,
    /// Invoices whose billing period overlaps the range, oldest first.
    pub invoices: Vec<BillingInvoice>,
    /// The invoices' lines summed per department and currency (they add up to `totals`).
    pub departments: Vec<DepartmentBilling>,
    /// The invoices' totals per currency.
    pub totals: Vec<BillingTotal>,
    /// When the newest stored invoice was issued.
    pub data_as_of: Option<DateTime<Utc>>,
}
