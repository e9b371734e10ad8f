//! An account's own rows: daily cloud storage, the phone system's call log, monthly
//! invoices (their rows come from `billing.rs`), and the operation log.

use chrono::{Datelike, NaiveDate};
use sea_orm::DbErr;

use super::{
    billing::{self, Month, Prices, Seats},
    generator::{
        add_days, is_weekend, local_date, local_ts, AccountGen, Member, OpEntry, DAY, HOUR,
    },
    names,
    operations::operation,
    phone::{CallLog, PhoneUser},
    spec::Profile,
    table::StorageUsageDaily,
};

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

fn next_month(date: NaiveDate) -> NaiveDate {
    let (y, m) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(date)
}

fn previous_month(date: NaiveDate) -> NaiveDate {
    let (y, m) = if date.month() == 1 {
        (date.year() - 1, 12)
    } else {
        (date.year(), date.month() - 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(date)
}

impl AccountGen<'_, '_> {
    /// Storage in use at the end of each day: a base, plus every recording so far, minus a
    /// clean-up at the start of each quarter.
    pub(crate) fn storage_usage(&mut self) {
        if !self.spec.cloud {
            return;
        }
        let mut recordings = self.recordings.clone();
        recordings.sort_unstable();
        let base = self.spec.cloud_storage_allowance_bytes / 40;
        let mut cumulative: i64 = 0;
        let mut cleaned: i64 = 0;
        let mut next = recordings.iter().peekable();
        let mut day = local_date(self.tz, self.window_start);
        let today = self.today();
        while day <= today {
            while let Some((_, bytes)) = next.next_if(|(d, _)| *d <= day) {
                cumulative += bytes;
            }
            if day.day() == 1 && matches!(day.month(), 1 | 4 | 7 | 10) {
                cleaned += (cumulative - cleaned) / 8;
            }
            // Temporary files come and go during the day.
            let noise = self.rng.range(0, 400) * 1_000_000;
            self.sh.ds.add(StorageUsageDaily {
                account_id: self.account_id,
                day,
                usage_bytes: base + cumulative - cleaned + noise,
            });
            day = add_days(day, 1);
        }
    }

    fn call_log(&mut self) -> CallLog<'_> {
        CallLog {
            tenant: self.tenant(),
            rows: &mut self.sh.ds,
            rng: &mut self.rng,
            charges: &mut self.phone_charges,
        }
    }

    /// The phone system's call log: the account's phone users on working days.
    pub(crate) fn phone_system(&mut self) -> Result<(), DbErr> {
        if self.spec.phone_plan.is_none() {
            return Ok(());
        }
        let users: Vec<usize> = (0..self.members.len())
            .filter(|&i| {
                self.members
                    .get(i)
                    .is_some_and(|m| m.spec.profile != Profile::Dormant && m.phone_user())
            })
            .collect();
        let main_line =
            names::phone_number(self.members.first().map_or("US", |m| m.spec.country), 3199);
        let mut day = local_date(self.tz, self.window_start);
        let today = self.today();
        while day <= today {
            if is_weekend(day) || self.is_holiday(day) {
                day = add_days(day, 1);
                continue;
            }
            for &u in &users {
                let Some(m) = self.members.get(u).cloned() else {
                    continue;
                };
                for _ in 0..self.rng.poisson(self.spec.rates.phone_calls) {
                    let start = self.time_on(day, 9, 19);
                    if start <= m.created_at || start >= m.quiet_from {
                        continue;
                    }
                    let user = PhoneUser {
                        user_id: m.id,
                        extension: m.extension.clone(),
                        name: m.person.name.clone(),
                        country: m.spec.country,
                    };
                    self.call_log().call(&user, start);
                }
            }
            if self.rng.pct(15) {
                // A call to the main line that nobody picked up.
                let start = self.time_on(day, 8, 20);
                let country = self.members.first().map_or("US", |m| m.spec.country);
                let caller = names::phone_number(country, self.rng.below(10_000));
                let result = self.rng.one_of(&["MISSED", "VOICEMAIL"]);
                let duration = if result == "VOICEMAIL" {
                    self.rng.range(8, 90)
                } else {
                    0
                };
                if start + duration < self.now {
                    self.call_log().row(
                        None,
                        "INBOUND",
                        (caller, None),
                        (main_line.clone(), Some("Main line".to_owned())),
                        (start, duration),
                        result,
                        0,
                    );
                }
            }
            day = add_days(day, 1);
            self.sh.flush(false)?;
        }
        Ok(())
    }

    /// One invoice per month for the `months` months before the current one, with a line per
    /// department (licences, webinar and phone add-ons) and account-level lines (storage,
    /// metered usage). Line amounts and taxes sum exactly to the invoice's.
    pub(crate) fn billing(&mut self) {
        if self.spec.license_price_micros == 0 {
            return;
        }
        let prices = Prices {
            plan_title: billing::plan_title(self.spec.plan),
            licence_micros: self.spec.license_price_micros,
            phone_plan: self.spec.phone_plan,
            storage_addon: self.spec.cloud,
            tax_rate_per_100k: self.spec.tax_rate_per_100k,
        };
        let this_month = first_of_month(self.today());
        let mut month = this_month;
        let mut months = Vec::new();
        for _ in 0..self.spec.months {
            month = previous_month(month);
            months.push(month);
        }
        months.reverse();
        for start in months {
            let following = next_month(start);
            let end = add_days(following, -1);
            let end_ts = local_ts(self.tz, following, 0, 0);
            let issued = local_ts(self.tz, following, 6, 0) + self.rng.range(0, 3_600);
            if issued >= self.now {
                continue;
            }
            let dept_count = self.spec.departments.len();
            let seats = (0..dept_count)
                .map(Some)
                .chain(std::iter::once(None))
                .map(|d| {
                    let of = |f: &dyn Fn(&Member) -> bool| {
                        self.members.iter().filter(|m| m.dept == d && f(m)).count() as i32
                    };
                    Seats {
                        dept: d,
                        dept_name: d
                            .and_then(|d| self.spec.departments.get(d))
                            .copied()
                            .unwrap_or("no department"),
                        licensed: of(&|m| m.spec.licensed && m.created_at < end_ts),
                        webinar: if self.spec.webinar_addon {
                            of(&|m| m.spec.webinars)
                        } else {
                            0
                        },
                        phone: of(&|m| m.phone_user() && m.created_at < end_ts),
                    }
                })
                .collect();
            let key = (start.year(), start.month());
            let month = Month {
                start,
                end,
                issued,
                seats,
                conference_micros: self.conference_costs.get(&key).copied().unwrap_or(0),
                phone_micros: self.phone_charges.get(&key).copied().unwrap_or(0),
            };
            let tenant = self.tenant();
            let number =
                billing::invoice(&mut self.sh.ds, &tenant, &self.dept_ids, &prices, &month);
            let payer = self
                .members
                .iter()
                .position(|m| m.spec.custom_role == Some("Billing admin"))
                .unwrap_or_else(|| self.owner());
            let paid = issued + self.rng.range(1, 4) * DAY;
            if paid < self.now {
                self.ops.push(OpEntry {
                    at: paid,
                    operator: Some(payer),
                    category: "BILLING",
                    action: "Update",
                    detail: format!("Paid invoice {number} by card ending 4242"),
                });
            }
        }
    }

    /// Administrative events, then every collected entry as operation_log rows in time order.
    pub(crate) fn operation_logs(&mut self) {
        let domain = self.spec.domain;
        // Users added in the last twelve months, and their roles.
        for i in 0..self.members.len() {
            let Some(m) = self.members.get(i).cloned() else {
                continue;
            };
            if m.created_at >= self.window_start && m.spec.role != "OWNER" {
                let by = self.admin_or_owner();
                let dept = self.dept_name(i);
                self.ops.push(OpEntry {
                    at: m.created_at - self.rng.range(60, 600),
                    operator: Some(by),
                    category: "USER",
                    action: "Add",
                    detail: format!(
                        "Added user {} ({}) to {dept}",
                        m.email,
                        if m.spec.licensed { "Licensed" } else { "Basic" }
                    ),
                });
            }
            if let Some(role) = m.spec.custom_role {
                let at = (m.created_at + DAY).max(self.window_start + self.rng.range(10, 60) * DAY);
                if at < self.now {
                    let owner = self.owner();
                    self.ops.push(OpEntry {
                        at,
                        operator: Some(owner),
                        category: "ROLE",
                        action: "Update",
                        detail: format!("Assigned role {role} to {}", m.email),
                    });
                }
            }
        }
        for (k, r) in self.spec.roles.iter().enumerate() {
            let mut privileges = Vec::new();
            if r.usage_reports {
                privileges.push("Usage reports");
            }
            if r.user_activity_reports {
                privileges.push("User activity reports");
            }
            if r.billing_reports {
                privileges.push("Billing reports");
            }
            let owner = self.owner();
            self.ops.push(OpEntry {
                at: self.window_start + (5 + k as i64) * DAY + 10 * HOUR,
                operator: Some(owner),
                category: "ROLE",
                action: "Update",
                detail: format!(
                    "Changed privileges of role {}: {}",
                    r.name,
                    privileges.join(", ")
                ),
            });
        }

        let users = self.spec.rates.admin_changes;
        let others: Vec<usize> = (0..self.members.len()).collect();
        for _ in 0..users {
            let Some(&target) = self.rng.pick(&others) else {
                break;
            };
            let email = self
                .members
                .get(target)
                .map(|m| m.email.clone())
                .unwrap_or_default();
            let detail = match self.rng.below(4) {
                0 => format!("Changed user type of {email} from Basic to Licensed"),
                1 => format!(
                    "Changed department of {email} to {}",
                    self.dept_name(target)
                ),
                2 => format!("Reset password of {email}"),
                _ => format!("Updated profile of {email}: job title"),
            };
            let at = self.random_office_time();
            let by = self.admin_or_owner();
            self.ops.push(OpEntry {
                at,
                operator: Some(by),
                category: "USER",
                action: "Update",
                detail,
            });
        }
        for _ in 0..(users * 20 / 18) {
            let Some(&target) = self.rng.pick(&others) else {
                break;
            };
            let email = self
                .members
                .get(target)
                .map(|m| m.email.clone())
                .unwrap_or_default();
            let setting = self.rng.one_of(&[
                "Cloud recording: On",
                "Allow alternative hosts: On",
                "Personal meeting ID changed",
                "Waiting room: Off",
                "Large meetings add-on: assigned",
            ]);
            let at = self.random_office_time();
            let by = if self.rng.pct(70) {
                self.admin_or_owner()
            } else {
                target
            };
            self.ops.push(OpEntry {
                at,
                operator: Some(by),
                category: "USER_SETTINGS",
                action: "Update",
                detail: format!("{setting} for {email}"),
            });
        }
        for _ in 0..(users * 12 / 18) {
            let setting = self.rng.one_of(&[
                "Waiting room: On",
                "Require passcode for instant meetings: On",
                "Allow participants to rename themselves: Off",
                "Data center regions: EU only",
                "Cloud recording auto-delete after 180 days: On",
                "Sign-in with SSO: Required",
                "Report participants to the host: On",
            ]);
            let at = self.random_office_time();
            let by = self.admin_or_owner();
            self.ops.push(OpEntry {
                at,
                operator: Some(by),
                category: "ACCOUNT",
                action: "Update",
                detail: format!("Account setting '{setting}'"),
            });
        }
        // A user removed during the year, and entries by an admin who has left since.
        let at = self.random_office_time();
        let owner = self.owner();
        let owner_email = self
            .members
            .get(owner)
            .map(|m| m.email.clone())
            .unwrap_or_default();
        self.ops.push(OpEntry {
            at,
            operator: Some(owner),
            category: "USER",
            action: "Delete",
            detail: format!(
                "Deleted user former.colleague@{domain}; meetings transferred to {owner_email}"
            ),
        });
        let departed_ops = [
            (
                "ACCOUNT",
                "Update",
                "Account setting 'Waiting room: On'".to_owned(),
            ),
            ("BILLING", "Update", "Updated billing contact".to_owned()),
            ("USER", "Add", format!("Added user intern@{domain} (Basic)")),
        ];
        for (k, (category, action, detail)) in departed_ops.into_iter().enumerate() {
            self.ops.push(OpEntry {
                at: self.window_start + (12 + 9 * k as i64) * DAY + 11 * HOUR,
                operator: None,
                category,
                action,
                detail,
            });
        }

        let mut ops = std::mem::take(&mut self.ops);
        ops.retain(|o| o.at < self.now);
        ops.sort_by_key(|o| o.at);
        let tenant = self.tenant();
        for o in ops {
            let operator = o
                .operator
                .and_then(|i| self.members.get(i))
                .map(|m| (m.id, m.email.as_str()));
            operation(
                &mut self.sh.ds,
                &tenant,
                o.at,
                operator,
                (o.category, o.action),
                o.detail,
            );
        }
    }

    /// A working-hours instant on a weekday within the window.
    fn random_office_time(&mut self) -> i64 {
        let mut day = add_days(
            local_date(self.tz, self.window_start),
            self.rng.range(1, self.window_days - 1),
        );
        while is_weekend(day) {
            day = add_days(day, 1);
        }
        self.time_on(day, 9, 18).min(self.now - HOUR)
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
}
