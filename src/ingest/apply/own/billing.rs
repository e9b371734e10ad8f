//! `gateway.invoice`: one invoice with its lines, each charged to a department or to none (the
//! Billing report and its department breakdown).

use chrono::{DateTime, NaiveDate, Utc};
use entity::{billing_invoice, billing_line, department};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde_json::Value;

use super::{Fields, OwnObject};
use crate::ingest::apply::{Applied, Ctx, Refusal};

pub(super) struct Invoice {
    id: String,
    invoice_number: String,
    period_start: NaiveDate,
    period_end: NaiveDate,
    issued_at: Option<DateTime<Utc>>,
    currency: String,
    amount_micros: i64,
    tax_micros: i64,
    lines: Vec<Line>,
}

struct Line {
    department: Option<String>,
    description: String,
    licenses: i32,
    amount_micros: i64,
    tax_micros: i64,
}

/// The invoice's figure: the sum of its lines; when given too, they must agree (the report's
/// department breakdown adds up to its invoices).
fn figure(invoice: &Fields<'_>, name: &str, given: Option<i64>, sum: i64) -> Result<i64, Refusal> {
    match given {
        Some(given) if given != sum => Err(Refusal(format!(
            "`{}` is {} but its lines add up to {}",
            invoice.path(name),
            micros_text(given),
            micros_text(sum)
        ))),
        _ => Ok(sum),
    }
}

fn micros_text(micros: i64) -> String {
    let sign = if micros < 0 { "-" } else { "" };
    let abs = micros.unsigned_abs();
    format!("{sign}{}.{:06}", abs / 1_000_000, abs % 1_000_000)
}

impl OwnObject for Invoice {
    fn parse(object: &Fields<'_>) -> Result<Self, Refusal> {
        let id = object.required_text("id")?;
        let period_start = object.date("start_date")?;
        let period_end = object.date("end_date")?;
        if period_end < period_start {
            return Err(object.unreadable("end_date", "a day on or after `start_date`"));
        }
        let mut lines = Vec::new();
        for line in object.list("lines")? {
            let licenses = line.count("licenses")?.unwrap_or(0);
            lines.push(Line {
                department: line.text("department")?,
                description: line.required_text("description")?,
                licenses: i32::try_from(licenses)
                    .map_err(|_| line.unreadable("licenses", "a count of licences"))?,
                amount_micros: line
                    .money("amount")?
                    .ok_or_else(|| line.missing("amount"))?,
                tax_micros: line.money("tax")?.unwrap_or(0),
            });
        }
        if lines.is_empty() {
            return Err(Refusal(format!(
                "`{}` is missing: an invoice has at least one line (the report's department \
                 breakdown adds up to its invoices)",
                object.path("lines")
            )));
        }
        let sum = |f: fn(&Line) -> i64| -> Result<i64, Refusal> {
            lines
                .iter()
                .try_fold(0i64, |total, l| total.checked_add(f(l)))
                .ok_or_else(|| Refusal("the lines' amounts overflow".to_owned()))
        };
        let amount_micros = figure(
            object,
            "amount",
            object.money("amount")?,
            sum(|l| l.amount_micros)?,
        )?;
        let tax_micros = figure(object, "tax", object.money("tax")?, sum(|l| l.tax_micros)?)?;
        Ok(Self {
            invoice_number: object.text("invoice_number")?.unwrap_or_else(|| id.clone()),
            id,
            period_start,
            period_end,
            issued_at: object.time("issued_at")?,
            currency: object.currency("currency")?,
            amount_micros,
            tax_micros,
            lines,
        })
    }

    async fn write(
        self,
        db: &impl ConnectionTrait,
        ctx: &Ctx<'_>,
        _object: &Value,
        at: DateTime<Utc>,
    ) -> Applied {
        let account_id = ctx.account.id;
        let existing = billing_invoice::Entity::find()
            .filter(billing_invoice::Column::AccountId.eq(account_id))
            .filter(billing_invoice::Column::SourceId.eq(self.id.as_str()))
            .one(db)
            .await?;
        let (mut active, new): (billing_invoice::ActiveModel, bool) = match existing {
            Some(found) => {
                billing_line::Entity::delete_many()
                    .filter(billing_line::Column::AccountId.eq(account_id))
                    .filter(billing_line::Column::InvoiceId.eq(found.id))
                    .exec(db)
                    .await?;
                (found.into(), false)
            }
            None => (
                billing_invoice::ActiveModel {
                    account_id: Set(account_id),
                    source_id: Set(self.id),
                    ..Default::default()
                },
                true,
            ),
        };
        active.invoice_number = Set(self.invoice_number);
        active.period_start = Set(self.period_start);
        active.period_end = Set(self.period_end);
        // Not given: when the platform said it was issued, the event's time.
        active.issued_at = Set(self.issued_at.unwrap_or(at));
        active.currency = Set(self.currency);
        active.amount_micros = Set(self.amount_micros);
        active.tax_micros = Set(self.tax_micros);
        let invoice_id = if new {
            active.insert(db).await?.id
        } else {
            active.update(db).await?.id
        };
        let mut rows = Vec::new();
        for line in self.lines {
            let department_id = match &line.department {
                Some(name) => Some(department_named(db, account_id, name).await?),
                None => None,
            };
            rows.push(billing_line::ActiveModel {
                account_id: Set(account_id),
                source_id: Set(None),
                invoice_id: Set(invoice_id),
                department_id: Set(department_id),
                description: Set(line.description),
                licenses: Set(line.licenses),
                amount_micros: Set(line.amount_micros),
                tax_micros: Set(line.tax_micros),
                ..Default::default()
            });
        }
        if !rows.is_empty() {
            billing_line::Entity::insert_many(rows).exec(db).await?;
        }
        Ok(())
    }
}

/// The account's department of that name, created when it is new: a department is known to
/// the billing report by its name.
async fn department_named(db: &impl ConnectionTrait, account_id: i64, name: &str) -> Applied<i64> {
    let found = department::Entity::find()
        .filter(department::Column::AccountId.eq(account_id))
        .filter(department::Column::Name.eq(name))
        .one(db)
        .await?;
    if let Some(found) = found {
        return Ok(found.id);
    }
    Ok(department::ActiveModel {
        account_id: Set(account_id),
        name: Set(name.to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await?
    .id)
}
