//! A monthly invoice as rows, for the demo and the bench alike: a line per department for each
//! kind of seat, account-level lines for storage and usage, and the tax spread over the lines
//! so that they add up to the invoice's.

use chrono::{Datelike, NaiveDate};

use super::{
    generator::dt,
    session::Tenant,
    table::{BillingInvoice, BillingLine, Dataset},
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

/// The seats one department holds in an invoiced month (`dept: None`: people in none).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seats {
    pub(crate) dept: Option<usize>,
    pub(crate) dept_name: &'static str,
    pub(crate) licensed: i32,
    pub(crate) webinar: i32,
    pub(crate) phone: i32,
}

/// What the account pays for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Prices {
    /// "Business", "Pro", ...: names the licence lines.
    pub(crate) plan_title: &'static str,
    pub(crate) licence_micros: i64,
    pub(crate) phone_plan: Option<&'static str>,
    pub(crate) storage_addon: bool,
    pub(crate) tax_rate_per_100k: i64,
}

/// One invoiced month.
#[derive(Debug, Clone)]
pub(crate) struct Month {
    pub(crate) start: NaiveDate,
    pub(crate) end: NaiveDate,
    pub(crate) issued: i64,
    pub(crate) seats: Vec<Seats>,
    /// Audio-conferencing and phone-system usage of the month.
    pub(crate) conference_micros: i64,
    pub(crate) phone_micros: i64,
}

/// Writes the invoice of `month` and its lines; returns the invoice number.
pub(crate) fn invoice(
    rows: &mut Dataset,
    tenant: &Tenant,
    dept_ids: &[i64],
    prices: &Prices,
    month: &Month,
) -> String {
    // (department index or None, description, licences, amount)
    let mut lines: Vec<(Option<usize>, String, i32, i64)> = Vec::new();
    for s in month.seats.iter().filter(|s| s.licensed > 0) {
        lines.push((
            s.dept,
            format!("{} licences — {}", prices.plan_title, s.dept_name),
            s.licensed,
            i64::from(s.licensed) * prices.licence_micros,
        ));
    }
    for s in month.seats.iter().filter(|s| s.webinar > 0) {
        lines.push((
            s.dept,
            "Webinars 500 add-on".to_owned(),
            s.webinar,
            i64::from(s.webinar) * 79_000_000,
        ));
    }
    if let Some(plan) = prices.phone_plan {
        for s in month.seats.iter().filter(|s| s.phone > 0) {
            lines.push((
                s.dept,
                format!("Phone {plan} licences"),
                s.phone,
                i64::from(s.phone) * 10_000_000,
            ));
        }
    }
    if prices.storage_addon {
        lines.push((
            None,
            "Cloud recording storage add-on".to_owned(),
            0,
            40_000_000,
        ));
    }
    if month.conference_micros > 0 {
        lines.push((
            None,
            "Audio conferencing usage".to_owned(),
            0,
            month.conference_micros,
        ));
    }
    if month.phone_micros > 0 {
        lines.push((None, "Phone calls".to_owned(), 0, month.phone_micros));
    }
    let amount: i64 = lines.iter().map(|l| l.3).sum();
    let tax = tax_of(amount, prices.tax_rate_per_100k);
    let taxes = allocate(tax, &lines.iter().map(|l| l.3).collect::<Vec<_>>());

    let id = rows.billing_invoice.next_id();
    let source_id = tenant.ids.of("billing_invoice", id, month.issued);
    let number = format!(
        "INV-{}{:02}-{:02}{:04}",
        month.start.year(),
        month.start.month(),
        tenant.account_id,
        id
    );
    let invoice_id = rows.add(BillingInvoice {
        account_id: tenant.account_id,
        source_id,
        invoice_number: number.clone(),
        period_start: month.start,
        period_end: month.end,
        issued_at: dt(month.issued),
        currency: "USD",
        amount_micros: amount,
        tax_micros: tax,
    });
    for ((d, description, licenses, amount_micros), tax_micros) in lines.into_iter().zip(taxes) {
        rows.add(BillingLine {
            account_id: tenant.account_id,
            invoice_id,
            department_id: d.and_then(|d| dept_ids.get(d).copied()),
            description,
            licenses,
            amount_micros,
            tax_micros,
        });
    }
    number
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
