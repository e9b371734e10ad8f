//! The shared world of the Telephone, Cloud Recording and Phone System reports (one account
//! with phone legs, recordings and phone calls, another paid account, a BASIC one), and the role
//! rules they share on it.

use serde_json::Value;

use super::{
    data, error_codes,
    fixtures::{exec, Fixture},
    TestApp,
};

/// 2^53 + 1: a JSON number (a double) cannot hold it.
const ALLOWANCE: i64 = 9_007_199_254_740_993;

/// The ids the reports name.
pub struct UsageWorld {
    pub weekly: i64,
    pub launch: i64,
}

/// Acme (Europe/Paris, BUSINESS, phone plan "Business"), a range of 1–14 Nov (Paris):
///
/// - telephone legs: SIP at 23:30 UTC on 31 Oct (00:30 on 1 Nov in Paris: in), no join row,
///   45 s, free; TOLL_FREE (Paula) and TOLL (Tom) both at 10:00 on 3 Nov in "Weekly sync",
///   600 s and 1190 s at 0.01/min: 0.1000 and 0.2000; CALL_OUT (Carl) at 15:00 on 5 Nov in the
///   "Launch" webinar, 1741 s at 0.01/min: 0.3000; a TOLL leg at 22:30 UTC on 31 Oct (23:30
///   Paris: out).
/// - recordings: 3 Nov (MP4 3 000 000 000 + CHAT 123 bytes), 5 Nov (MP4 4 000 000 000 + M4A
///   900 000 000 + TRANSCRIPT 100 000 000), one at 22:05 UTC on 31 Oct (out); storage on
///   31 Oct (out), 1, 2 and 4 Nov around an allowance of 2^53 + 1 bytes.
/// - phone calls: 2 Nov out 61 s ANSWERED 0.1000, 3 Nov out 30 s VOICEMAIL 0.2000, 4 Nov in
///   MISSED to the main line, 6 Nov in 600 s ANSWERED; one at 22:59 UTC on 31 Oct (out).
///
/// Other Inc (no phone plan) has a leg, a recording and a phone call of its own; Free Co is
/// BASIC.
pub async fn usage_world(app: &TestApp) -> UsageWorld {
    let f = Fixture::new(&app.db);
    let acc = f.account("Acme", "acme.example", "BUSINESS").await;
    f.user(acc, "owner@acme.example", "OWNER").await;
    f.user(acc, "admin@acme.example", "ADMIN").await;
    f.user(acc, "member@acme.example", "MEMBER").await;
    let analyst = f.custom_role(acc, "Analyst", true, false, false).await;
    let auditor = f.custom_role(acc, "Auditor", false, true, false).await;
    let billing = f
        .custom_role(acc, "Billing admin", false, false, true)
        .await;
    let both = f.custom_role(acc, "Controller", true, false, true).await;
    f.user_with_role(acc, "analyst@acme.example", "MEMBER", Some(analyst))
        .await;
    f.user_with_role(acc, "auditor@acme.example", "MEMBER", Some(auditor))
        .await;
    f.user_with_role(acc, "billing@acme.example", "MEMBER", Some(billing))
        .await;
    f.user_with_role(acc, "controller@acme.example", "MEMBER", Some(both))
        .await;
    let alice = f.user(acc, "alice@acme.example", "MEMBER").await;
    let weekly = f.meeting(acc, alice, "MEETING", "Weekly sync").await;
    let launch = f.meeting(acc, alice, "WEBINAR", "Launch").await;
    let s0 = f.session(acc, weekly, "2026-10-31T22:00:00Z", 120).await;
    let s1 = f.session(acc, weekly, "2026-11-03T10:00:00Z", 60).await;
    let s2 = f.session(acc, launch, "2026-11-05T15:00:00Z", 60).await;
    let paula = f
        .join(
            acc,
            weekly,
            s1,
            None,
            "Paula Phone",
            Some("paula@x.example"),
            "2026-11-03T10:00:00Z",
            "2026-11-03T10:10:00Z",
        )
        .await;
    let tom = f
        .join(
            acc,
            weekly,
            s1,
            None,
            "Tom Toll",
            None,
            "2026-11-03T10:00:00Z",
            "2026-11-03T10:19:50Z",
        )
        .await;
    let carl = f
        .join(
            acc,
            launch,
            s2,
            None,
            "Carl Callout",
            None,
            "2026-11-05T15:00:00Z",
            "2026-11-05T15:29:01Z",
        )
        .await;

    let other = f.account("Other", "other.example", "BUSINESS").await;
    f.user(other, "owner@other.example", "OWNER").await;
    let olga = f.user(other, "olga@other.example", "MEMBER").await;
    let theirs = f.meeting(other, olga, "MEETING", "Their call").await;
    let os = f.session(other, theirs, "2026-11-04T08:00:00Z", 30).await;
    let free = f.account("Free", "free.example", "BASIC").await;
    f.user(free, "owner@free.example", "OWNER").await;

    let leg = |account: i64,
               source: &str,
               session: i64,
               meeting: i64,
               participant: Option<i64>,
               (call_type, caller, called): (&str, &str, &str),
               (start, end, seconds): (&str, &str, i64),
               (rate, cost): (i64, i64)| {
        format!(
            "INSERT INTO telephone_call (account_id, source_id, session_id, meeting_id, participant_id, call_type, \
             caller_number, called_number, country, start_time, end_time, duration_seconds, rate_per_minute_micros, \
             total_cost_micros, currency) VALUES ({account}, '{source}', {session}, {meeting}, {}, '{call_type}', \
             '{caller}', '{called}', 'FR', '{start}', '{end}', {seconds}, {rate}, {cost}, 'EUR')",
            participant.map_or("NULL".to_owned(), |p| p.to_string())
        )
    };
    let recording = |account: i64,
                     source: &str,
                     session: i64,
                     meeting: i64,
                     start: &str,
                     end: &str,
                     total: i64| {
        format!(
            "INSERT INTO recording (account_id, source_id, meeting_id, session_id, start_time, end_time, total_size_bytes) \
             VALUES ({account}, '{source}', {meeting}, {session}, '{start}', '{end}', {total})"
        )
    };
    let file = |account: i64, source: &str, kind: &str, bytes: i64| {
        format!(
            "INSERT INTO recording_file (account_id, recording_id, file_type, size_bytes, recording_start, recording_end) \
             SELECT account_id, id, '{kind}', {bytes}, start_time, end_time FROM recording \
             WHERE account_id = {account} AND source_id = '{source}'"
        )
    };
    let storage = |account: i64, day: &str, bytes: i64| {
        format!(
            "INSERT INTO storage_usage_daily (account_id, day, usage_bytes) VALUES ({account}, '{day}', {bytes})"
        )
    };
    #[allow(clippy::type_complexity)]
    let call = |account: i64,
                source: &str,
                user: Option<i64>,
                direction: &str,
                (caller, caller_name): (&str, Option<&str>),
                (callee, callee_name): (&str, Option<&str>),
                (start, seconds, result, charge): (&str, i64, &str, i64)| {
        let text = |s: Option<&str>| s.map_or("NULL".to_owned(), |s| format!("'{s}'"));
        format!(
            "INSERT INTO phone_call (account_id, source_id, user_id, direction, caller_number, caller_name, \
             callee_number, callee_name, start_time, duration_seconds, result, charge_micros, currency) \
             VALUES ({account}, '{source}', {}, '{direction}', '{caller}', {}, '{callee}', {}, '{start}', {seconds}, \
             '{result}', {charge}, 'EUR')",
            user.map_or("NULL".to_owned(), |u| u.to_string()),
            text(caller_name),
            text(callee_name)
        )
    };
    exec(
        &app.db,
        &[
            format!(
                "UPDATE account SET phone_plan = 'Business', cloud_storage_allowance_bytes = {ALLOWANCE} WHERE id = {acc}"
            ),
            leg(
                acc,
                "tel-sip",
                s0,
                weekly,
                None,
                ("SIP", "sip:guest@acme.example", "sip:123@conference.example"),
                ("2026-10-31T23:30:00+00:00", "2026-10-31T23:30:45+00:00", 45),
                (0, 0),
            ),
            leg(
                acc,
                "tel-out",
                s0,
                weekly,
                None,
                ("TOLL", "+33 1 00 00 00 09", "+33 1 70 00 00 00"),
                ("2026-10-31T22:30:00+00:00", "2026-10-31T22:40:00+00:00", 600),
                (10_000, 100_000),
            ),
            leg(
                acc,
                "tel-tom",
                s1,
                weekly,
                Some(tom),
                ("TOLL", "+33 1 00 00 00 02", "+33 1 70 00 00 00"),
                ("2026-11-03T10:00:00+00:00", "2026-11-03T10:19:50+00:00", 1190),
                (10_000, 200_000),
            ),
            leg(
                acc,
                "tel-paula",
                s1,
                weekly,
                Some(paula),
                ("TOLL_FREE", "+33 1 00 00 00 01", "+33 800 00 00 00"),
                ("2026-11-03T10:00:00+00:00", "2026-11-03T10:10:00+00:00", 600),
                (10_000, 100_000),
            ),
            leg(
                acc,
                "tel-carl",
                s2,
                launch,
                Some(carl),
                ("CALL_OUT", "+33 1 70 00 00 00", "+33 6 00 00 00 03"),
                ("2026-11-05T15:00:00+00:00", "2026-11-05T15:29:01+00:00", 1741),
                (10_000, 300_000),
            ),
            leg(
                other,
                "tel-theirs",
                os,
                theirs,
                None,
                ("TOLL", "+1 212 000 0000", "+1 646 000 0000"),
                ("2026-11-04T08:00:00+00:00", "2026-11-04T08:05:00+00:00", 300),
                (1_000_000, 5_000_000),
            ),
            recording(
                acc,
                "rec-old",
                s0,
                weekly,
                "2026-10-31T22:05:00+00:00",
                "2026-10-31T23:55:00+00:00",
                777,
            ),
            file(acc, "rec-old", "MP4", 777),
            recording(
                acc,
                "rec-weekly",
                s1,
                weekly,
                "2026-11-03T10:01:00+00:00",
                "2026-11-03T10:59:00+00:00",
                3_000_000_123,
            ),
            file(acc, "rec-weekly", "MP4", 3_000_000_000),
            file(acc, "rec-weekly", "CHAT", 123),
            recording(
                acc,
                "rec-launch",
                s2,
                launch,
                "2026-11-05T15:00:00+00:00",
                "2026-11-05T15:30:00+00:00",
                5_000_000_000,
            ),
            file(acc, "rec-launch", "MP4", 4_000_000_000),
            file(acc, "rec-launch", "M4A", 900_000_000),
            file(acc, "rec-launch", "TRANSCRIPT", 100_000_000),
            recording(
                other,
                "rec-theirs",
                os,
                theirs,
                "2026-11-04T08:00:00+00:00",
                "2026-11-04T08:30:00+00:00",
                42,
            ),
            file(other, "rec-theirs", "MP4", 42),
            storage(acc, "2026-10-31", ALLOWANCE + 1_000),
            storage(acc, "2026-11-01", ALLOWANCE),
            storage(acc, "2026-11-02", ALLOWANCE + 2),
            storage(acc, "2026-11-04", 4_000_000_123),
            storage(other, "2026-11-03", 5),
            call(
                acc,
                "pc-old",
                Some(alice),
                "OUTBOUND",
                ("1001", Some("Alice")),
                ("+33 6 00 00 00 09", None),
                ("2026-10-31T22:59:00+00:00", 100, "ANSWERED", 50_000),
            ),
            call(
                acc,
                "pc-1",
                Some(alice),
                "OUTBOUND",
                ("1001", Some("Alice")),
                ("+33 6 00 00 00 01", Some("Client One")),
                ("2026-11-02T09:00:00+00:00", 61, "ANSWERED", 100_000),
            ),
            call(
                acc,
                "pc-2",
                Some(alice),
                "OUTBOUND",
                ("1001", Some("Alice")),
                ("+33 6 00 00 00 02", None),
                ("2026-11-03T09:00:00+00:00", 30, "VOICEMAIL", 200_000),
            ),
            call(
                acc,
                "pc-3",
                None,
                "INBOUND",
                ("+33 6 00 00 00 03", None),
                ("+33 1 70 00 00 00", Some("Main line")),
                ("2026-11-04T09:00:00+00:00", 0, "MISSED", 0),
            ),
            call(
                acc,
                "pc-4",
                Some(alice),
                "INBOUND",
                ("+33 6 00 00 00 04", Some("Client Four")),
                ("1001", Some("Alice")),
                ("2026-11-06T09:00:00+00:00", 600, "ANSWERED", 0),
            ),
            call(
                other,
                "pc-theirs",
                Some(olga),
                "OUTBOUND",
                ("2001", Some("Olga")),
                ("+1 212 000 0001", None),
                ("2026-11-04T09:00:00+00:00", 120, "ANSWERED", 20_000),
            ),
        ],
    )
    .await;
    UsageWorld { weekly, launch }
}

/// The role rules every report of the world follows on `query` (which returns `field`): owner,
/// admin and a custom role with usage and billing reports read it; members, auditors (user
/// activity only) and billing admins (billing only) are refused, with no data; a BASIC account is
/// not offered it. The analyst (usage reports only) is each report's own test: it reads the
/// report without its money fields.
pub async fn assert_usage_world_roles(app: &TestApp, field: &str, query: &str) {
    for email in [
        "owner@acme.example",
        "admin@acme.example",
        "controller@acme.example",
    ] {
        let response = app.query_as(email, query).await;
        assert!(data(&response)[field].is_object(), "{email} {field}");
    }
    for email in [
        "member@acme.example",
        "alice@acme.example",
        "auditor@acme.example",
        "billing@acme.example",
    ] {
        let response = app.query_as(email, query).await;
        assert_eq!(error_codes(&response), vec!["FORBIDDEN"], "{email} {field}");
        assert_eq!(response["data"], Value::Null, "{email} {field}");
    }
    let response = app.query_as("owner@free.example", query).await;
    assert_eq!(
        error_codes(&response),
        vec!["PLAN_NOT_SUPPORTED"],
        "{field}"
    );
}
