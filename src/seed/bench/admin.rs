//! The bench's account-level rows: the phone system's call log, operation-log entries, the
//! daily storage figure and the monthly invoice.

use chrono::{Datelike, NaiveDate};

use crate::seed::billing::{self, Month, Prices, Seats};
use crate::seed::generator::{add_days, local_ts, DAY};
use crate::seed::phone::{CallLog, PhoneUser};
use crate::seed::table::StorageUsageDaily;

use super::population::{Acct, Member, Out, DEPARTMENTS};

impl Acct {
    pub(super) fn phone_system(&mut self, out: &mut Out, date: NaiveDate) {
        if self.spec.phone_plan.is_none() {
            return;
        }
        let tenant = self.tenant(out.seed);
        for i in 0..self.members.len() {
            let Some(m) = self.members.get(i) else {
                continue;
            };
            if !m.phone_user {
                continue;
            }
            let created_at = m.created_at;
            let user = PhoneUser {
                user_id: m.id,
                extension: m.extension.clone(),
                name: m.name.clone(),
                country: m.country,
            };
            for _ in 0..self.rng.poisson(0.4) {
                let start = self.time_on(date, 9, 19);
                if start <= created_at {
                    continue;
                }
                let mut log = CallLog {
                    rows: &mut out.ds,
                    rng: &mut self.rng,
                    tenant,
                    charges: &mut self.phone_charges,
                };
                log.call(&user, start);
            }
        }
    }

    /// The day's administrative entries: user and settings changes, by admins (now and then
    /// by an admin who has left since).
    pub(super) fn admin_ops(&mut self, out: &mut Out, date: NaiveDate) {
        let n = self.rng.poisson(0.5 + self.members.len() as f64 / 300.0);
        for _ in 0..n {
            let Some(target) = self.rng.pick(&self.members).map(|m| m.email.clone()) else {
                break;
            };
            let at = self.time_on(date, 9, 18);
            let by = if self.rng.pct(2) {
                None
            } else {
                Some(self.admin_or_owner())
            };
            let (category, detail) = match self.rng.below(6) {
                0 => (
                    "USER",
                    format!("Changed user type of {target} from Basic to Licensed"),
                ),
                1 => ("USER", format!("Reset password of {target}")),
                2 => ("USER", format!("Updated profile of {target}: job title")),
                3 => (
                    "USER_SETTINGS",
                    format!(
                        "{} for {target}",
                        self.rng.one_of(&[
                            "Cloud recording: On",
                            "Allow alternative hosts: On",
                            "Personal meeting ID changed",
                            "Waiting room: Off",
                        ])
                    ),
                ),
                4 => (
                    "ACCOUNT",
                    format!(
                        "Account setting '{}'",
                        self.rng.one_of(&[
                            "Waiting room: On",
                            "Require passcode for instant meetings: On",
                            "Data center regions: EU only",
                            "Sign-in with SSO: Required",
                        ])
                    ),
                ),
                _ => (
                    "USER_SETTINGS",
                    format!("Large meetings add-on: assigned to {target}"),
                ),
            };
            self.op(out, at, by, category, "Update", detail);
        }
    }

    /// "Added user" entries for the users who joined on `date`.
    pub(super) fn joiner_ops(&mut self, out: &mut Out, date: NaiveDate) {
        let end = local_ts(self.tz, add_days(date, 1), 0, 0);
        while let Some(&(at, i)) = self.joiners.get(self.next_joiner) {
            if at >= end {
                break;
            }
            self.next_joiner += 1;
            let Some(m) = self.members.get(i) else {
                continue;
            };
            let detail = format!(
                "Added user {} ({}) to {}",
                m.email,
                if m.licensed { "Licensed" } else { "Basic" },
                DEPARTMENTS.get(m.dept).copied().unwrap_or("Operations")
            );
            let by = self.admin_or_owner();
            let when = at - self.rng.range(60, 600);
            self.op(out, when, Some(by), "USER", "Add", detail);
        }
    }

    pub(super) fn storage_day(&mut self, out: &mut Out, date: NaiveDate) {
        if date.day() == 1 && matches!(date.month(), 1 | 4 | 7 | 10) {
            self.cleaned += (self.storage - self.cleaned) / 8;
        }
        let base = self.spec.allowance / 40;
        let noise = self.rng.range(0, 400) * 1_000_000;
        out.ds.add(StorageUsageDaily {
            account_id: self.id,
            day: date,
            usage_bytes: base + self.storage - self.cleaned + noise,
        });
    }

    /// The invoice of the month that ends on `last_day`, issued the next morning.
    pub(super) fn invoice(&mut self, out: &mut Out, last_day: NaiveDate) {
        let following = add_days(last_day, 1);
        let Some(start) = last_day.with_day(1) else {
            return;
        };
        let issued = local_ts(self.tz, following, 6, 0) + self.rng.range(0, 3_600);
        if issued >= self.now {
            return;
        }
        let end_ts = local_ts(self.tz, following, 0, 0);
        let seats = DEPARTMENTS
            .iter()
            .enumerate()
            .map(|(d, &dept_name)| {
                let of = |f: &dyn Fn(&Member) -> bool| {
                    self.members
                        .iter()
                        .filter(|m| m.dept == d && m.created_at < end_ts && f(m))
                        .count() as i32
                };
                Seats {
                    dept: Some(d),
                    dept_name,
                    licensed: of(&|m| m.licensed),
                    webinar: of(&|m| m.webinar_host),
                    phone: of(&|m| m.phone_user),
                }
            })
            .collect();
        let key = (start.year(), start.month());
        let month = Month {
            start,
            end: last_day,
            issued,
            seats,
            conference_micros: self.conference_costs.get(&key).copied().unwrap_or(0),
            phone_micros: self.phone_charges.get(&key).copied().unwrap_or(0),
        };
        let prices = Prices {
            plan_title: billing::plan_title(self.spec.plan),
            licence_micros: self.spec.license_price_micros,
            phone_plan: self.spec.phone_plan,
            storage_addon: true,
            tax_rate_per_100k: self.spec.tax_rate_per_100k,
        };
        let tenant = self.tenant(out.seed);
        let number = billing::invoice(&mut out.ds, &tenant, &self.dept_ids, &prices, &month);
        let paid = issued + self.rng.range(1, 4) * DAY;
        let owner = self.owner();
        self.op(
            out,
            paid,
            Some(owner),
            "BILLING",
            "Update",
            format!("Paid invoice {number} by card ending 4242"),
        );
    }
}
