//! The demo data set: three accounts and twelve months of activity before `now`.
//!
//! - **Demo Corp** (`demo.example`, BUSINESS, Europe/Paris, billing reports enabled, webinars,
//!   phone system): `owner@`, `admin@`, `member@` (hosts meetings and webinars), `auditor@`
//!   (custom role "Auditor": user activity reports), `analyst@` ("Analyst": usage reports),
//!   `billing@` ("Billing admin": billing reports) and 21 colleagues (`first.last@`) who host a
//!   lot, a little, never, or only join.
//! - **Other Inc** (`other.example`, BUSINESS, America/New_York): the same kinds of data, to
//!   prove tenant isolation.
//! - **Free Co** (`free.example`, BASIC, UTC): a few 40-minute meetings, to prove plan gating.
//!
//! Edge cases placed on purpose: upcoming meetings and webinars (no session yet), recurring
//! meetings with no fixed time (no scheduled start, some never used), meetings scheduled more
//! than 30 days ago that never started (what the prune job deletes) and some within the 30
//! days, deleted meetings (held or cancelled), rejoins, phone and room joins, anonymous polls
//! and questions, registrants matched by e-mail only, sessions across midnight, recordings
//! above 2 GiB, a user who never signed in, and operation-log entries by a departed admin.
//!
//! The rows depend only on `(now, seed)`: the generator is pure (a self-written splitmix64), and
//! the rows are written in one transaction with multi-row inserts.

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};

use super::{
    cast,
    generator::{AccountGen, Shared},
    table::Dataset,
};

/// What [`seed_demo`] stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub accounts: u64,
    pub users: u64,
    /// Rows of `meeting`, webinars included.
    pub meetings: u64,
    /// Of which webinars.
    pub webinars: u64,
    pub sessions: u64,
    /// Join rows (a rejoin is a row).
    pub participants: u64,
    pub registrants: u64,
    /// Rows per table, in insertion order.
    pub rows_per_table: Vec<(&'static str, u64)>,
    /// The users worth signing in as, in a stable order.
    pub demo_users: Vec<String>,
    /// The `now` the data was generated for (whole seconds).
    pub now: DateTime<Utc>,
    pub seed: u64,
}

/// The users a demo visitor signs in as.
const DEMO_USERS: [&str; 8] = [
    "owner@demo.example",
    "admin@demo.example",
    "member@demo.example",
    "analyst@demo.example",
    "auditor@demo.example",
    "billing@demo.example",
    "owner@other.example",
    "owner@free.example",
];

/// Loads the demo data into an empty, migrated database, in one transaction; activity lies in
/// the twelve months before `now`. The same `(now, seed)` always stores the same rows.
pub async fn seed_demo(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    seed: u64,
) -> Result<DemoSummary, DbErr> {
    if !super::is_empty(db).await? {
        return Err(DbErr::Custom(
            "demo data: the database already holds accounts; seed an empty database".to_owned(),
        ));
    }
    let now = whole_seconds(now);
    let (data, webinars) = build(now, seed)?;
    let summary = summarize(&data, webinars, now, seed);
    let txn = db.begin().await?;
    data.insert(&txn).await?;
    txn.commit().await?;
    super::analyze(db).await?;
    Ok(summary)
}

fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}

/// Every row of the demo data, in memory, and how many webinars there are.
pub(crate) fn build(now: DateTime<Utc>, seed: u64) -> Result<(Dataset, u64), DbErr> {
    let mut shared = Shared::new(seed, now.timestamp(), None);
    for spec in &cast::accounts() {
        AccountGen::new(&mut shared, spec)?.run()?;
    }
    Ok((shared.ds, shared.webinars))
}

fn summarize(data: &Dataset, webinars: u64, now: DateTime<Utc>, seed: u64) -> DemoSummary {
    DemoSummary {
        accounts: data.account.len(),
        users: data.app_user.len(),
        meetings: data.meeting.len(),
        webinars,
        sessions: data.meeting_session.len(),
        participants: data.participant.len(),
        registrants: data.registrant.len(),
        rows_per_table: data.tables().iter().map(|t| (t.name, t.len())).collect(),
        demo_users: DEMO_USERS.iter().map(|s| (*s).to_owned()).collect(),
        now,
        seed,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use chrono::{NaiveDate, TimeZone};

    use super::super::table::Table;
    use super::*;
    use sea_orm::Value;

    type Interval = (DateTime<Utc>, DateTime<Utc>);

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 28, 10, 30, 15)
            .single()
            .unwrap_or_default()
    }

    fn data() -> Dataset {
        match build(now(), 42) {
            Ok((d, _)) => d,
            Err(e) => panic!("build failed: {e}"),
        }
    }

    fn at<'a>(t: &'a Table, row: &'a [Value], column: &str) -> &'a Value {
        let i = if column == "id" {
            Some(0)
        } else {
            t.columns.iter().position(|c| *c == column).map(|i| i + 1)
        };
        match i.and_then(|i| row.get(i)) {
            Some(v) => v,
            None => panic!("no column {column} in {}", t.name),
        }
    }

    fn int(v: &Value) -> Option<i64> {
        match v {
            Value::BigInt(x) => *x,
            Value::Int(x) => x.map(i64::from),
            _ => None,
        }
    }

    fn time(v: &Value) -> Option<DateTime<Utc>> {
        match v {
            Value::ChronoDateTimeUtc(t) => *t,
            _ => None,
        }
    }

    fn text(v: &Value) -> Option<&str> {
        match v {
            Value::String(s) => s.as_deref(),
            _ => None,
        }
    }

    #[test]
    fn same_arguments_same_rows() {
        let a = data();
        let b = data();
        assert!(a == b, "two builds with the same (now, seed) differ");
        let c = match build(now(), 43) {
            Ok((d, _)) => d,
            Err(e) => panic!("build failed: {e}"),
        };
        assert!(a != c, "another seed gives the same rows");
    }

    #[test]
    fn rows_have_their_tables_width_and_ids() {
        let d = data();
        for t in d.tables() {
            for (k, row) in t.rows.iter().enumerate() {
                assert_eq!(row.len(), t.columns.len() + 1, "{}", t.name);
                assert_eq!(int(at(t, row, "id")), Some(k as i64 + 1), "{}", t.name);
            }
        }
    }

    #[test]
    fn sizes_are_modest() {
        let d = data();
        assert_eq!(d.account.len(), 3);
        assert!(
            d.meeting_session.len() <= 5_000,
            "{} sessions",
            d.meeting_session.len()
        );
        assert!(
            d.participant.len() <= 40_000,
            "{} participants",
            d.participant.len()
        );
        assert!(
            d.participant.len() >= 5_000,
            "{} participants",
            d.participant.len()
        );
    }

    #[test]
    fn source_ids_are_unique_per_account() {
        let d = data();
        for t in d.tables() {
            if !t.columns.contains(&"source_id") {
                continue;
            }
            let mut seen = BTreeSet::new();
            for row in &t.rows {
                let key = (
                    int(at(t, row, "account_id")),
                    text(at(t, row, "source_id")).map(str::to_owned),
                );
                assert!(key.1.is_some(), "{} without source_id", t.name);
                assert!(seen.insert(key), "duplicate source_id in {}", t.name);
            }
        }
    }

    #[test]
    fn participants_are_consistent() {
        let d = data();
        let t = &d.participant;
        let now = now();
        // (session, person) -> intervals
        let mut by_person: BTreeMap<(i64, String), Vec<Interval>> = BTreeMap::new();
        let sessions: BTreeMap<i64, (DateTime<Utc>, Option<DateTime<Utc>>)> = d
            .meeting_session
            .rows
            .iter()
            .filter_map(|r| {
                let s = &d.meeting_session;
                Some((
                    int(at(s, r, "id"))?,
                    (time(at(s, r, "start_time"))?, time(at(s, r, "end_time"))),
                ))
            })
            .collect();
        let mut rejoined = 0;
        for row in &t.rows {
            let join = time(at(t, row, "join_time"));
            let leave = time(at(t, row, "leave_time"));
            let (Some(join), Some(leave)) = (join, leave) else {
                panic!("participant without times")
            };
            assert_eq!(
                int(at(t, row, "duration_seconds")),
                Some((leave - join).num_seconds())
            );
            assert!(join < leave && leave <= now);
            assert_eq!(join.timestamp_subsec_nanos(), 0);
            let session = int(at(t, row, "session_id")).unwrap_or_default();
            let Some(&(start, end)) = sessions.get(&session) else {
                panic!("unknown session")
            };
            assert!(join >= start && Some(leave) <= end);
            if let Some(ip) = text(at(t, row, "ip_address")) {
                assert!(
                    ip.starts_with("192.0.2.")
                        || ip.starts_with("198.51.100.")
                        || ip.starts_with("203.0.113."),
                    "{ip}"
                );
            }
            let who = format!(
                "{:?}/{:?}/{:?}",
                text(at(t, row, "name")),
                text(at(t, row, "email")),
                int(at(t, row, "user_id"))
            );
            by_person
                .entry((session, who))
                .or_default()
                .push((join, leave));
        }
        for (key, intervals) in by_person.iter_mut() {
            intervals.sort();
            if intervals.len() > 1 {
                rejoined += 1;
            }
            for w in intervals.windows(2) {
                if let [a, b] = w {
                    assert!(a.1 <= b.0, "overlapping joins of {key:?}: {intervals:?}");
                }
            }
        }
        assert!(rejoined > 50, "only {rejoined} rejoins");
    }

    #[test]
    fn invoices_equal_the_sum_of_their_lines() {
        let d = data();
        let lines = &d.billing_line;
        let mut sums: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
        for row in &lines.rows {
            let e = sums
                .entry(int(at(lines, row, "invoice_id")).unwrap_or_default())
                .or_default();
            e.0 += int(at(lines, row, "amount_micros")).unwrap_or_default();
            e.1 += int(at(lines, row, "tax_micros")).unwrap_or_default();
        }
        let inv = &d.billing_invoice;
        assert!(inv.len() >= 22);
        for row in &inv.rows {
            let id = int(at(inv, row, "id")).unwrap_or_default();
            let amount = int(at(inv, row, "amount_micros")).unwrap_or_default();
            let tax = int(at(inv, row, "tax_micros")).unwrap_or_default();
            assert_eq!(sums.get(&id), Some(&(amount, tax)), "invoice {id}");
            assert!(amount > 0 && tax > 0);
        }
    }

    #[test]
    fn edge_cases_are_present() {
        let d = data();
        let m = &d.meeting;
        let sessions_of: BTreeSet<i64> = d
            .meeting_session
            .rows
            .iter()
            .filter_map(|r| int(at(&d.meeting_session, r, "meeting_id")))
            .collect();
        let now = now();
        let mut upcoming = 0;
        let mut no_fixed_time = 0;
        let mut prunable = 0;
        let mut deleted = 0;
        for row in &m.rows {
            let id = int(at(m, row, "id")).unwrap_or_default();
            let start = time(at(m, row, "scheduled_start"));
            let held = sessions_of.contains(&id);
            match start {
                Some(s) if s > now && !held => upcoming += 1,
                Some(s) if s < now - chrono::Duration::days(30) && !held => prunable += 1,
                None => no_fixed_time += 1,
                _ => {}
            }
            if time(at(m, row, "deleted_at")).is_some() {
                deleted += 1;
            }
        }
        assert!(upcoming >= 5, "{upcoming} upcoming");
        assert!(no_fixed_time >= 4, "{no_fixed_time} without fixed time");
        assert!((5..=20).contains(&prunable), "{prunable} prunable");
        assert!(deleted >= 3, "{deleted} deleted");
        let big = d
            .recording
            .rows
            .iter()
            .filter(|r| {
                int(at(&d.recording, r, "total_size_bytes")).unwrap_or_default()
                    > i64::from(i32::MAX)
            })
            .count();
        assert!(big > 0, "no recording above 2 GiB");
        let days = d.storage_usage_daily.len();
        assert!(days >= 2 * 365, "{days} storage days");
        let first_day = d
            .storage_usage_daily
            .rows
            .iter()
            .filter_map(|r| match at(&d.storage_usage_daily, r, "day") {
                Value::ChronoDate(day) => *day,
                _ => None,
            })
            .min();
        assert!(first_day >= NaiveDate::from_ymd_opt(2025, 11, 27));
    }

    #[test]
    fn nothing_happens_after_now() {
        assert_nothing_after(&data(), now());
    }

    #[test]
    fn builds_for_awkward_nows() {
        for (y, mo, d, h, mi, s) in [
            (2028, 2, 29, 23, 59, 59),
            (2027, 1, 1, 0, 0, 0),
            (2026, 3, 29, 1, 30, 0),
            (2026, 10, 25, 0, 30, 0),
        ] {
            let now = Utc
                .with_ymd_and_hms(y, mo, d, h, mi, s)
                .single()
                .unwrap_or_default();
            let data = match build(now, 7) {
                Ok((data, _)) => data,
                Err(e) => panic!("build for {now} failed: {e}"),
            };
            assert_nothing_after(&data, now);
            assert!(data.participant.len() > 5_000);
            assert!(data.billing_invoice.len() >= 22, "{now}");
        }
    }

    fn assert_nothing_after(d: &Dataset, now: DateTime<Utc>) {
        for (t, column) in [
            (&d.meeting_session, "end_time"),
            (&d.participant, "leave_time"),
            (&d.poll_response, "answered_at"),
            (&d.qa_question, "asked_at"),
            (&d.qa_answer, "answered_at"),
            (&d.telephone_call, "end_time"),
            (&d.recording, "end_time"),
            (&d.registrant, "registered_at"),
            (&d.phone_call, "start_time"),
            (&d.remote_support_session, "ended_at"),
            (&d.billing_invoice, "issued_at"),
            (&d.operation_log, "occurred_at"),
            (&d.sign_in_event, "occurred_at"),
            (&d.app_user, "created_at"),
            (&d.meeting, "created_at"),
        ] {
            for row in &t.rows {
                if let Some(x) = time(at(t, row, column)) {
                    assert!(x <= now, "{}.{column} = {x} after now: {row:?}", t.name);
                }
            }
        }
    }

    #[test]
    fn nobody_acts_before_they_exist() {
        let d = data();
        let users = &d.app_user;
        let created: BTreeMap<i64, DateTime<Utc>> = users
            .rows
            .iter()
            .filter_map(|r| Some((int(at(users, r, "id"))?, time(at(users, r, "created_at"))?)))
            .collect();
        for (t, user, when) in [
            (&d.participant, "user_id", "join_time"),
            (&d.sign_in_event, "user_id", "occurred_at"),
            (&d.phone_call, "user_id", "start_time"),
            (&d.meeting, "host_id", "created_at"),
        ] {
            for row in &t.rows {
                let (Some(u), Some(x)) = (int(at(t, row, user)), time(at(t, row, when))) else {
                    continue;
                };
                let Some(c) = created.get(&u) else {
                    panic!("{}: unknown user {u}", t.name)
                };
                assert!(
                    x > *c,
                    "{}.{when} {x} before user {u} was created ({c})",
                    t.name
                );
            }
        }
        // last_login_at is the latest sign-in.
        let ev = &d.sign_in_event;
        let mut last: BTreeMap<i64, DateTime<Utc>> = BTreeMap::new();
        for row in &ev.rows {
            if text(at(ev, row, "event_type")) == Some("SIGN_IN") {
                if let (Some(u), Some(x)) = (
                    int(at(ev, row, "user_id")),
                    time(at(ev, row, "occurred_at")),
                ) {
                    let e = last.entry(u).or_insert(x);
                    *e = (*e).max(x);
                }
            }
        }
        for row in &users.rows {
            let id = int(at(users, row, "id")).unwrap_or_default();
            assert_eq!(
                time(at(users, row, "last_login_at")),
                last.get(&id).copied()
            );
        }
    }

    #[test]
    fn telephone_costs_follow_the_rate() {
        let d = data();
        let t = &d.telephone_call;
        assert!(t.len() > 50);
        for row in &t.rows {
            let rate = int(at(t, row, "rate_per_minute_micros")).unwrap_or_default();
            let secs = int(at(t, row, "duration_seconds")).unwrap_or_default();
            let cost = int(at(t, row, "total_cost_micros")).unwrap_or_default();
            assert_eq!(cost, rate * ((secs + 59) / 60));
        }
    }
}
