//! Monthly invoices: a line per department for each kind of seat, account-level lines for
//! storage and usage, and the tax spread over the lines so that they add up to the invoice's.

use chrono::{Datelike, Months, NaiveDate};

use super::{
    generator::{add_days, dt, local_ts, AccountGen, Member, DAY},
    table::{BillingInvoice, BillingLine},
};

/// `total` split over `weights` proportionally, in whole units, summing exactly to `total`
/// (largest remainders get the leftover units; ties go to the earlier weight).
pub(crate) fn allocate(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
    if sum <= 0 {
        let mut out = vec![0; weights.len()];
        if let Some(first) = out.first_mut() {
            *first = total;
        }
        return out;
    }
    let mut shares = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let exact = i128::from(total) * i128::from(*w);
        shares.push((exact / sum) as i64);
        remainders.push((exact % sum, i));
    }
    let mut left = total - shares.iter().sum::<i64>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders {
        if left <= 0 {
            break;
        }
        if let Some(s) = shares.get_mut(i) {
            *s += 1;
            left -= 1;
        }
    }
    shares
}

/// `amount × rate / 100000`, rounded half up.
pub(crate) fn tax_of(amount: i64, rate_per_100k: i64) -> i64 {
    ((i128::from(amount) * i128::from(rate_per_100k) + 50_000) / 100_000) as i64
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

fn next_month(date: NaiveDate) -> NaiveDate {
    first_of_month(date) + Months::new(1)
}

fn previous_month(date: NaiveDate) -> NaiveDate {
    first_of_month(date) - Months::new(1)
}

impl AccountGen<'_, '_> {
    /// One invoice per month for the `months` months before the current one, issued the next
    /// morning and paid by card a few days later.
    pub(crate) fn billing(&mut self) {
        if self.spec.license_price_micros == 0 {
            return;
        }
        let mut month = first_of_month(self.today());
        let mut months = Vec::new();
        for _ in 0..self.spec.months {
            month = previous_month(month);
            months.push(month);
        }
        months.reverse();
        for start in months {
            let following = next_month(start);
            let issued = local_ts(self.tz, following, 6, 0) + self.rng.range(0, 3_600);
            if issued >= self.now {
                continue;
            }
            let number = self.invoice(start, following, issued);
            let payer = self
                .members
                .iter()
                .position(|m| m.spec.custom_role == Some("Billing admin"))
                .unwrap_or_else(|| self.owner());
            let paid = issued + self.rng.range(1, 4) * DAY;
            if paid < self.now {
                let detail = format!("Paid invoice {number} by card ending 4242");
                self.op(paid, Some(payer), ("BILLING", "Update"), detail);
            }
        }
    }

    /// The invoice of the month from `start` to the day before `following` and its lines;
    /// returns the invoice number.
    fn invoice(&mut self, start: NaiveDate, following: NaiveDate, issued: i64) -> String {
        let spec = self.spec;
        let end_ts = local_ts(self.tz, following, 0, 0);
        // Per kind of seat (licences, webinar and phone add-ons), a line per department that
        // holds some (the last: people in none); then the account's usage.
        let prices = [spec.license_price_micros, 79_000_000, 10_000_000];
        // (department index or None, description, licences, amount)
        let mut lines: Vec<(Option<usize>, String, i32, i64)> = Vec::new();
        for (k, price) in prices.into_iter().enumerate() {
            let holds = |m: &Member| match k {
                0 => m.spec.licensed && m.created_at < end_ts,
                1 => spec.webinar_addon && m.spec.webinars,
                _ => m.phone_user() && m.created_at < end_ts,
            };
            for d in (0..spec.departments.len()).map(Some).chain([None]) {
                let held = self.members.iter().filter(|m| m.dept == d && holds(m));
                let n = held.count() as i32;
                let dept = d.and_then(|d| spec.departments.get(d)).copied();
                let description = match (k, spec.phone_plan) {
                    (0, _) => format!(
                        "{} licences — {}",
                        plan_title(spec.plan),
                        dept.unwrap_or("no department")
                    ),
                    (1, _) => "Webinars 500 add-on".to_owned(),
                    (_, Some(plan)) => format!("Phone {plan} licences"),
                    (_, None) => continue,
                };
                if n > 0 {
                    lines.push((d, description, n, i64::from(n) * price));
                }
            }
        }
        let key = (start.year(), start.month());
        let conferencing = self.conference_costs.get(&key).copied().unwrap_or(0);
        let calls = self.phone_charges.get(&key).copied().unwrap_or(0);
        let usage = [
            (
                "Cloud recording storage add-on",
                40_000_000 * i64::from(spec.cloud),
            ),
            ("Audio conferencing usage", conferencing),
            ("Phone calls", calls),
        ];
        for (description, amount) in usage.into_iter().filter(|(_, a)| *a > 0) {
            lines.push((None, description.to_owned(), 0, amount));
        }
        let amount: i64 = lines.iter().map(|l| l.3).sum();
        let tax = tax_of(amount, spec.tax_rate_per_100k);
        let taxes = allocate(tax, &lines.iter().map(|l| l.3).collect::<Vec<_>>());

        let id = self.sh.ds.billing_invoice.next_id();
        let source_id = self.uid::<BillingInvoice>(issued);
        let number = format!(
            "INV-{}{:02}-{:02}{id:04}",
            start.year(),
            start.month(),
            self.account_id,
        );
        let invoice_id = self.sh.ds.add(BillingInvoice {
            account_id: self.account_id,
            source_id,
            invoice_number: number.clone(),
            period_start: start,
            period_end: add_days(following, -1),
            issued_at: dt(issued),
            currency: "USD",
            amount_micros: amount,
            tax_micros: tax,
        });
        for ((d, description, licenses, amount_micros), tax_micros) in lines.into_iter().zip(taxes)
        {
            self.sh.ds.add(BillingLine {
                account_id: self.account_id,
                invoice_id,
                department_id: d.and_then(|d| self.dept_ids.get(d).copied()),
                description,
                licenses,
                amount_micros,
                tax_micros,
            });
        }
        number
    }
}

/// The plan's name on licence lines.
pub(crate) fn plan_title(plan: &str) -> &'static str {
    match plan {
        "BUSINESS" => "Business",
        "ENTERPRISE" => "Enterprise",
        "EDUCATION" => "Education",
        _ => "Pro",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_roll_over() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 15).unwrap_or_default();
        assert_eq!(
            next_month(d),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default()
        );
        let j = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap_or_default();
        assert_eq!(
            previous_month(j),
            NaiveDate::from_ymd_opt(2025, 12, 1).unwrap_or_default()
        );
    }

    #[test]
    fn allocation_sums_exactly() {
        let weights = [21_990_000, 43_980_000, 79_000_000, 1_234_567, 7];
        for total in [0, 1, 7, 29_244_000, 123_456_789] {
            let parts = allocate(total, &weights);
            assert_eq!(parts.iter().sum::<i64>(), total);
            assert!(parts.iter().all(|p| *p >= 0));
        }
        assert_eq!(allocate(10, &[1, 1, 1]), vec![4, 3, 3]);
        assert_eq!(allocate(5, &[]), Vec::<i64>::new());
        assert_eq!(allocate(5, &[0, 0]), vec![5, 0]);
    }

    #[test]
    fn tax_rounds_half_up() {
        assert_eq!(tax_of(100, 20_000), 20);
        assert_eq!(tax_of(5, 10_000), 1);
        assert_eq!(tax_of(4, 10_000), 0);
        assert_eq!(tax_of(21_990_000, 8_875), 1_951_613);
    }
}
