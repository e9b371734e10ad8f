//! The date-range rules every report obeys (DESIGN §4): reports cover the last 12 months, one
//! month at a time, and `from` may not come after `to`. Days are cut in the account's zone.

use chrono::{DateTime, Days, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use crate::Error;

/// The rules a range is held to: how far back reports reach and how long one search may be
/// (the server's settings), and the instant they are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RangeRules {
    pub history_months: u32,
    pub max_range_months: u32,
    pub now: DateTime<Utc>,
}

/// A validated range: the inclusive days, and the half-open UTC interval they cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl ReportRange {
    pub fn new(
        from: NaiveDate,
        to: NaiveDate,
        zone: Tz,
        rules: &RangeRules,
    ) -> Result<Self, Error> {
        if from > to {
            return Err(Error::bad_input(format!(
                "`from` ({from}) is after `to` ({to})"
            )));
        }
        let months = rules.max_range_months;
        let longest = from
            .checked_add_months(Months::new(months))
            .ok_or_else(|| Error::bad_input("`from` is out of range"))?;
        if to > longest {
            return Err(Error::bad_input(format!(
                "a search covers at most {months} month(s): with `from` {from}, `to` may be {longest} at the latest"
            )));
        }
        let today = rules.now.with_timezone(&zone).date_naive();
        let earliest = earliest_day(today, rules.history_months);
        if from < earliest {
            return Err(Error::bad_input(format!(
                "reports cover the last {} months: `from` may be {earliest} at the earliest",
                rules.history_months
            )));
        }
        let start = day_start(from, zone)?;
        let end = day_start(
            to.checked_add_days(Days::new(1))
                .ok_or_else(|| Error::bad_input("`to` is out of range"))?,
            zone,
        )?;
        Ok(Self {
            from,
            to,
            start,
            end,
        })
    }
}

/// The first day a report may show, `history_months` before `today`.
pub fn earliest_day(today: NaiveDate, history_months: u32) -> NaiveDate {
    today
        .checked_sub_months(Months::new(history_months))
        .unwrap_or(NaiveDate::MIN)
}

/// The instant a day begins in `zone`. Where a DST jump skips midnight, the day begins at the
/// first instant that exists.
pub fn day_start(day: NaiveDate, zone: Tz) -> Result<DateTime<Utc>, Error> {
    let midnight = day
        .and_hms_opt(0, 0, 0)
        .ok_or_else(|| Error::bad_input("day out of range"))?;
    for minutes in (0..=180).step_by(15) {
        let local = midnight + chrono::Duration::minutes(minutes);
        if let Some(t) = zone.from_local_datetime(&local).earliest() {
            return Ok(t.with_timezone(&Utc));
        }
    }
    Err(Error::bad_input(format!("{day} has no start in {zone}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(now: &str) -> RangeRules {
        RangeRules {
            history_months: 12,
            max_range_months: 1,
            now: now.parse().unwrap(),
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_calendar_month_is_the_longest_range() {
        let s = settings("2026-11-28T12:00:00Z");
        let paris = chrono_tz::Europe::Paris;
        assert!(ReportRange::new(d("2026-10-28"), d("2026-11-28"), paris, &s).is_ok());
        let err = ReportRange::new(d("2026-10-28"), d("2026-11-29"), paris, &s).unwrap_err();
        assert_eq!(err.code(), "BAD_USER_INPUT");
        assert!(err.message().contains("at most 1 month"));
        let err = ReportRange::new(d("2026-11-02"), d("2026-11-01"), paris, &s).unwrap_err();
        assert!(err.message().contains("after"));
    }

    #[test]
    fn history_is_twelve_months_and_the_error_names_the_earliest_day() {
        let s = settings("2026-11-28T12:00:00Z");
        let utc = chrono_tz::UTC;
        assert!(ReportRange::new(d("2025-11-28"), d("2025-12-01"), utc, &s).is_ok());
        let err = ReportRange::new(d("2025-11-27"), d("2025-12-01"), utc, &s).unwrap_err();
        assert!(err.message().contains("2025-11-28"), "{}", err.message());
    }

    #[test]
    fn days_are_cut_in_the_account_zone() {
        let s = settings("2026-11-28T12:00:00Z");
        let r = ReportRange::new(
            d("2026-07-01"),
            d("2026-07-31"),
            chrono_tz::Europe::Paris,
            &s,
        )
        .unwrap();
        assert_eq!(r.start.to_rfc3339(), "2026-06-30T22:00:00+00:00");
        assert_eq!(r.end.to_rfc3339(), "2026-07-31T22:00:00+00:00");
    }
}
