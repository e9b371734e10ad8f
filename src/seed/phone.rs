//! The phone system's call log as rows, for the demo and the bench alike.

use std::collections::BTreeMap;

use super::{
    generator::dt,
    names::{self, COMPANIES, FIRST_NAMES, LAST_NAMES},
    rng::Rng,
    session::{call_cost, Tenant},
    table::{Dataset, PhoneCall},
};

/// A member with a phone-system licence.
#[derive(Debug, Clone)]
pub(crate) struct PhoneUser {
    pub(crate) user_id: i64,
    pub(crate) extension: String,
    pub(crate) name: String,
    pub(crate) country: &'static str,
}

/// Writes the account's call-log rows; outbound charges add to the month's phone bill.
pub(crate) struct CallLog<'a> {
    pub(crate) rows: &'a mut Dataset,
    pub(crate) rng: &'a mut Rng,
    pub(crate) tenant: Tenant,
    /// Phone-system charges per (year, month) of the account's zone.
    pub(crate) charges: &'a mut BTreeMap<(i32, u32), i64>,
}

impl CallLog<'_> {
    /// A call of `user` at `start`: in or out, its outcome and length, and the other party, at
    /// home or abroad. Only answered outbound calls (and voicemails left) cost anything.
    pub(crate) fn call(&mut self, user: &PhoneUser, start: i64) {
        let inbound = self.rng.pct(52);
        let result = self.rng.choose(&[
            ("ANSWERED", 74),
            ("MISSED", 10),
            ("VOICEMAIL", 9),
            ("REJECTED", 4),
            ("BUSY", 3),
        ]);
        let duration = match result {
            "ANSWERED" if self.rng.pct(70) => self.rng.range(20, 320),
            "ANSWERED" => self.rng.range(320, 2_400),
            "VOICEMAIL" => self.rng.range(8, 90),
            _ => 0,
        };
        if start + duration >= self.tenant.now {
            return;
        }
        let home = user.country;
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
        let me = (user.extension.clone(), Some(user.name.clone()));
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
        self.row(
            Some(user.user_id),
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
    pub(crate) fn row(
        &mut self,
        user_id: Option<i64>,
        direction: &'static str,
        (caller_number, caller_name): (String, Option<String>),
        (callee_number, callee_name): (String, Option<String>),
        (start, duration_seconds): (i64, i64),
        result: &'static str,
        charge_micros: i64,
    ) {
        let id = self.rows.phone_call.next_id();
        let source_id = self.tenant.ids.of("phone_call", id, start);
        self.rows.add(PhoneCall {
            account_id: self.tenant.account_id,
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
            *self
                .charges
                .entry(self.tenant.month_key(start))
                .or_insert(0) += charge_micros;
        }
    }
}
