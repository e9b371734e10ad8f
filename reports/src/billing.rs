//! The Billing report: the invoices of a period and their breakdown by department. Money stays
//! an exact integer count of millionths of the currency unit from the table to the response.

use chrono::NaiveDate;
use sea_orm::{FromQueryResult, Value};

use crate::{sql::Sql, Result};

/// Invoices whose billing period overlaps `[from, to]`, oldest period first.
pub async fn invoices(
    sql: &Sql,
    account_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<entity::billing_invoice::Model>> {
    let q = "SELECT * FROM billing_invoice WHERE account_id = ? AND period_start <= ? AND period_end >= ? \
             ORDER BY period_start, id";
    Ok(sql
        .all(q, vec![account_id.into(), to.into(), from.into()])
        .await?)
}

/// An invoice line with its department's name.
#[derive(Debug, Clone, FromQueryResult)]
pub struct LineRow {
    pub id: i64,
    pub invoice_id: i64,
    pub department: Option<String>,
    pub description: String,
    pub licenses: i32,
    pub amount_micros: i64,
    pub tax_micros: i64,
}

/// The lines of several invoices.
pub async fn lines_of(sql: &Sql, account_id: i64, invoice_ids: &[i64]) -> Result<Vec<LineRow>> {
    if invoice_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut values: Vec<Value> = vec![account_id.into()];
    values.push(sql.id_array(invoice_ids));
    let q = format!(
        "SELECT l.id, l.invoice_id, d.name AS department, l.description, l.licenses, l.amount_micros, l.tax_micros \
         FROM billing_line l LEFT JOIN department d ON d.id = l.department_id AND d.account_id = l.account_id \
         WHERE l.account_id = ? AND l.invoice_id {} ORDER BY l.invoice_id, CASE WHEN d.name IS NULL THEN 1 ELSE 0 END, d.name, l.id",
        sql.in_ids()
    );
    Ok(sql.all(&q, values).await?)
}

/// One department's share of the period's invoices, in one currency.
#[derive(Debug, Clone, FromQueryResult)]
pub struct DepartmentRow {
    pub department: Option<String>,
    pub currency: String,
    pub licenses: i64,
    pub amount_micros: i64,
    pub tax_micros: i64,
}

/// The breakdown by department (lines without a department form their own row, listed last on
/// every database), summed by the database.
pub async fn by_department(
    sql: &Sql,
    account_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DepartmentRow>> {
    let q = "SELECT d.name AS department, i.currency, CAST(SUM(l.licenses) AS BIGINT) AS licenses, \
             CAST(SUM(l.amount_micros) AS BIGINT) AS amount_micros, CAST(SUM(l.tax_micros) AS BIGINT) AS tax_micros \
             FROM billing_line l JOIN billing_invoice i ON i.id = l.invoice_id AND i.account_id = l.account_id \
             LEFT JOIN department d ON d.id = l.department_id AND d.account_id = l.account_id \
             WHERE l.account_id = ? AND i.period_start <= ? AND i.period_end >= ? \
             GROUP BY d.name, i.currency ORDER BY i.currency, CASE WHEN d.name IS NULL THEN 1 ELSE 0 END, d.name";
    Ok(sql
        .all(q, vec![account_id.into(), to.into(), from.into()])
        .await?)
}

/// The period's totals per currency, from the invoices themselves.
#[derive(Debug, Clone, FromQueryResult)]
pub struct TotalRow {
    pub currency: String,
    pub invoices: i64,
    pub amount_micros: i64,
    pub tax_micros: i64,
}

pub async fn totals(
    sql: &Sql,
    account_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<TotalRow>> {
    let q = "SELECT currency, COUNT(*) AS invoices, CAST(SUM(amount_micros) AS BIGINT) AS amount_micros, \
             CAST(SUM(tax_micros) AS BIGINT) AS tax_micros FROM billing_invoice \
             WHERE account_id = ? AND period_start <= ? AND period_end >= ? GROUP BY currency ORDER BY currency";
    Ok(sql
        .all(q, vec![account_id.into(), to.into(), from.into()])
        .await?)
}
