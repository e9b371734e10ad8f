//! The phone system's call log: the account's phone users' calls on working days, and calls
//! to the main line that nobody picked up. Outbound charges add to the month's phone bill.

use sea_orm::DbErr;

use super::{
    generator::{add_days, dt, is_weekend, local_date, AccountGen, Member},
    names::{self, COMPANIES, FIRST_NAMES, LAST_NAMES},
    session::call_cost,
    spec::Profile,
    table::PhoneCall,
};

impl AccountGen<'_, '_> {
    /// The phone system's call log: the account's phone users on working days.
    pub(crate) fn phone_system(&mut self) -> Result<(), DbErr> {
        if self.spec.phone_plan.is_none() {
            return Ok(());
        }
        let users: Vec<Member> = (self.members.iter())
            .filter(|m| m.spec.profile != Profile::Dormant && m.phone_user())
            .cloned()
            .collect();
        let country = self.members.first().map_or("US", |m| m.spec.country);
        let main_line = (
            names::phone_number(country, 3199),
            Some("Main line".to_owned()),
        );
        let mut day = local_date(self.tz, self.window_start);
        let today = self.today();
        while day <= today {
            if !is_weekend(day) && !self.is_holiday(day) {
                for m in &users {
                    for _ in 0..self.rng.poisson(self.spec.rates.phone_calls) {
                        let start = self.time_on(day, 9, 19);
                        if m.created_at < start && start < m.quiet_from {
                            self.call(m, start);
                        }
                    }
                }
                if self.rng.pct(15) {
                    // A call to the main line that nobody picked up.
                    let start = self.time_on(day, 8, 20);
                    let caller = (names::phone_number(country, self.rng.below(10_000)), None);
                    let result = self.rng.one_of(&["MISSED", "VOICEMAIL"]);
                    let duration = self.call_length(result);
                    if start + duration < self.now {
                        let to = main_line.clone();
                        self.call_row(None, "INBOUND", caller, to, (start, duration), result, 0);
                    }
                }
            }
            day = add_days(day, 1);
            self.sh.flush(false)?;
        }
        Ok(())
    }

    /// How long a call with this outcome lasts, in seconds.
    fn call_length(&mut self, result: &str) -> i64 {
        match result {
            "ANSWERED" if self.rng.pct(70) => self.rng.range(20, 320),
            "ANSWERED" => self.rng.range(320, 2_400),
            "VOICEMAIL" => self.rng.range(8, 90),
            _ => 0,
        }
    }

    /// A call of `user` at `start`: in or out, its outcome and length, and the other party, at
    /// home or abroad. Only answered outbound calls (and voicemails left) cost anything.
    fn call(&mut self, user: &Member, start: i64) {
        let inbound = self.rng.pct(52);
        let result = self.rng.choose(&[
            ("ANSWERED", 74),
            ("MISSED", 10),
            ("VOICEMAIL", 9),
            ("REJECTED", 4),
            ("BUSY", 3),
        ]);
        let duration = self.call_length(result);
        if start + duration >= self.now {
            return;
        }
        let home = user.spec.country;
        let country = if self.rng.pct(70) {
            home
        } else {
            self.rng.one_of(&["US", "GB", "DE", "FR"])
        };
        let other_number = names::phone_number(country, self.rng.below(10_000));
        let other_name = if self.rng.pct(60) {
            let company = self.rng.pick(&COMPANIES).map_or("", |c| c.name);
            Some(format!(
                "{} {} ({company})",
                self.rng.one_of(&FIRST_NAMES),
                self.rng.one_of(&LAST_NAMES)
            ))
        } else {
            None
        };
        let me = (user.extension.clone(), Some(user.person.name.clone()));
        let them = (other_number, other_name);
        let charge = if !inbound && matches!(result, "ANSWERED" | "VOICEMAIL") {
            let rate = if country == home { 10_000 } else { 60_000 };
            call_cost(rate, duration)
        } else {
            0
        };
        let (from, to, direction) = if inbound {
            (them, me, "INBOUND")
        } else {
            (me, them, "OUTBOUND")
        };
        self.call_row(
            Some(user.id),
            direction,
            from,
            to,
            (start, duration),
            result,
            charge,
        );
    }

    /// One call-log row: `from` and `to` are (number, name).
    #[allow(clippy::too_many_arguments)]
    fn call_row(
        &mut self,
        user_id: Option<i64>,
        direction: &'static str,
        (caller_number, caller_name): (String, Option<String>),
        (callee_number, callee_name): (String, Option<String>),
        (start, duration_seconds): (i64, i64),
        result: &'static str,
        charge_micros: i64,
    ) {
        let source_id = self.uid::<PhoneCall>(start);
        self.sh.ds.add(PhoneCall {
            account_id: self.account_id,
            source_id,
            user_id,
            direction,
            caller_number,
            caller_name,
            callee_number,
            callee_name,
            start_time: dt(start),
            duration_seconds,
            result,
            charge_micros,
            currency: "USD",
        });
        if charge_micros > 0 {
            *self.phone_charges.entry(self.month_key(start)).or_insert(0) += charge_micros;
        }
    }
}
