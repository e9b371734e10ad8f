//! An account's own rows: daily cloud storage and the operation log.

use chrono::Datelike;

use super::{
    generator::{add_days, dt, is_weekend, local_date, AccountGen, OpEntry, DAY, HOUR},
    table::{OperationLog, StorageUsageDaily},
};

impl AccountGen<'_, '_> {
    /// An operation-log entry by member `operator` (`None`: an admin who has left since, whose
    /// entries stay), written in time order with the others by [`AccountGen::operation_logs`].
    pub(crate) fn op(
        &mut self,
        at: i64,
        operator: Option<usize>,
        (category, action): (&'static str, &'static str),
        detail: String,
    ) {
        self.ops.push(OpEntry {
            at,
            operator,
            category,
            action,
            detail,
        });
    }

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
                let detail = format!(
                    "Added user {} ({}) to {dept}",
                    m.email,
                    if m.spec.licensed { "Licensed" } else { "Basic" }
                );
                let at = m.created_at - self.rng.range(60, 600);
                self.op(at, Some(by), ("USER", "Add"), detail);
            }
            if let Some(role) = m.spec.custom_role {
                let at = (m.created_at + DAY).max(self.window_start + self.rng.range(10, 60) * DAY);
                if at < self.now {
                    let owner = self.owner();
                    let detail = format!("Assigned role {role} to {}", m.email);
                    self.op(at, Some(owner), ("ROLE", "Update"), detail);
                }
            }
        }
        for (k, r) in self.spec.roles.iter().enumerate() {
            let held = [
                (r.usage_reports, "Usage reports"),
                (r.user_activity_reports, "User activity reports"),
                (r.billing_reports, "Billing reports"),
            ];
            let held: Vec<&str> = held.iter().filter(|h| h.0).map(|h| h.1).collect();
            let detail = format!("Changed privileges of role {}: {}", r.name, held.join(", "));
            let at = self.window_start + (5 + k as i64) * DAY + 10 * HOUR;
            self.op(at, Some(self.owner()), ("ROLE", "Update"), detail);
        }

        let users = self.spec.rates.admin_changes;
        let others: Vec<usize> = (0..self.members.len()).collect();
        for _ in 0..users {
            let Some(&target) = self.rng.pick(&others) else {
                break;
            };
            let email = self.email_of(target);
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
            self.op(at, Some(by), ("USER", "Update"), detail);
        }
        for _ in 0..(users * 20 / 18) {
            let Some(&target) = self.rng.pick(&others) else {
                break;
            };
            let email = self.email_of(target);
            #[rustfmt::skip]
            let setting = self.rng.one_of(&[
                "Cloud recording: On", "Allow alternative hosts: On", "Personal meeting ID changed",
                "Waiting room: Off", "Large meetings add-on: assigned",
            ]);
            let at = self.random_office_time();
            let by = if self.rng.pct(70) {
                self.admin_or_owner()
            } else {
                target
            };
            let detail = format!("{setting} for {email}");
            self.op(at, Some(by), ("USER_SETTINGS", "Update"), detail);
        }
        for _ in 0..(users * 12 / 18) {
            #[rustfmt::skip]
            let setting = self.rng.one_of(&[
                "Waiting room: On", "Require passcode for instant meetings: On",
                "Allow participants to rename themselves: Off", "Data center regions: EU only",
                "Cloud recording auto-delete after 180 days: On", "Sign-in with SSO: Required",
                "Report participants to the host: On",
            ]);
            let at = self.random_office_time();
            let by = self.admin_or_owner();
            let detail = format!("Account setting '{setting}'");
            self.op(at, Some(by), ("ACCOUNT", "Update"), detail);
        }
        // A user removed during the year, and entries by an admin who has left since.
        let at = self.random_office_time();
        let owner = self.owner();
        let owner_email = self.email_of(owner);
        let detail = format!(
            "Deleted user former.colleague@{domain}; meetings transferred to {owner_email}"
        );
        self.op(at, Some(owner), ("USER", "Delete"), detail);
        #[rustfmt::skip]
        let departed_ops = [
            ("ACCOUNT", "Update", "Account setting 'Waiting room: On'".to_owned()),
            ("BILLING", "Update", "Updated billing contact".to_owned()),
            ("USER", "Add", format!("Added user intern@{domain} (Basic)")),
        ];
        for (k, (category, action, detail)) in departed_ops.into_iter().enumerate() {
            self.op(
                self.window_start + (12 + 9 * k as i64) * DAY + 11 * HOUR,
                None,
                (category, action),
                detail,
            );
        }

        let mut ops = std::mem::take(&mut self.ops);
        ops.retain(|o| o.at < self.now);
        ops.sort_by_key(|o| o.at);
        for o in ops {
            let (operator_id, operator_email) = match o.operator.and_then(|i| self.members.get(i)) {
                Some(m) => (Some(m.id), m.email.clone()),
                None => (None, format!("former.admin@{domain}")),
            };
            let source_id = self.uid::<OperationLog>(o.at);
            self.sh.ds.add(OperationLog {
                account_id: self.account_id,
                source_id,
                occurred_at: dt(o.at),
                operator_id,
                operator_email,
                category: o.category,
                action: o.action,
                detail: o.detail,
            });
        }
    }

    fn email_of(&self, member: usize) -> String {
        self.members
            .get(member)
            .map(|m| m.email.clone())
            .unwrap_or_default()
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
