//! Telephone, Cloud Recording and Phone System reports, hand-computed on a fixture: range
//! edges in the account's zone, exact money and 64-bit byte counts, pages without gaps, and
//! the role rules (money fields need billing_reports too).

use serde_json::{json, Value};

use crate::common::{
    data, error_codes,
    fixtures::{exec, Fixture},
    sql_statements, TestApp,
};

/// 2^53 + 1: a JSON number (a double) cannot hold it.
const ALLOWANCE: i64 = 9_007_199_254_740_993;

struct World {
    weekly: i64,
    launch: i64,
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
async fn world(app: &TestApp) -> World {
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
    World { weekly, launch }
}

const TELEPHONE: &str = r#"{ telephoneUsage(from: "2026-11-01", to: "2026-11-14") {
    totalCount
    totals { calls durationSeconds minutes totalCost currency costByCurrency { currency calls amount } }
    nodes { participantName participantEmail callType callerNumber calledNumber country startTime endTime
            durationSeconds minutes rate totalCost currency
            meeting { ... on Meeting { id topic host { email } } ... on Webinar { id topic host { email } } } } } }"#;

#[tokio::test]
async fn telephone_usage_lists_phone_legs_of_the_range_with_exact_costs_and_totals() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let response = app.query_as("owner@acme.example", TELEPHONE).await;
    let report = &data(&response)["telephoneUsage"];
    assert_eq!(report["totalCount"], 4);
    // Per-leg minutes are rounded up (1 + 10 + 20 + 30), unlike the 3576 seconds' 60 minutes.
    // 0.1 + 0.2 + 0.3 is 0.6 exactly (as floats it is not).
    assert_eq!(
        report["totals"],
        json!({ "calls": 4, "durationSeconds": 45 + 600 + 1190 + 1741, "minutes": 61,
                "totalCost": "0.6000", "currency": "EUR",
                "costByCurrency": [{ "currency": "EUR", "calls": 4, "amount": "0.6000" }] })
    );
    let nodes = report["nodes"].as_array().unwrap();
    // 23:30 UTC on 31 Oct is 00:30 on 1 Nov in Paris: the SIP leg is in, first; the legs
    // starting together come by id (Tom's was stored first).
    let sip = &nodes[0];
    assert_eq!(sip["callType"], "SIP");
    assert_eq!(sip["participantName"], Value::Null);
    assert_eq!(sip["startTime"], "2026-10-31T23:30:00+00:00");
    assert_eq!(sip["minutes"], 1);
    assert_eq!(sip["totalCost"], "0.0000");
    let weekly = json!({ "id": w.weekly.to_string(), "topic": "Weekly sync", "host": { "email": "alice@acme.example" } });
    assert_eq!(
        nodes[1],
        json!({ "participantName": "Tom Toll", "participantEmail": null, "callType": "TOLL",
                "callerNumber": "+33 1 00 00 00 02", "calledNumber": "+33 1 70 00 00 00", "country": "FR",
                "startTime": "2026-11-03T10:00:00+00:00", "endTime": "2026-11-03T10:19:50+00:00",
                "durationSeconds": 1190, "minutes": 20, "rate": "0.0100", "totalCost": "0.2000",
                "currency": "EUR", "meeting": weekly })
    );
    assert_eq!(nodes[2]["participantName"], "Paula Phone");
    assert_eq!(nodes[2]["participantEmail"], "paula@x.example");
    assert_eq!(nodes[2]["callType"], "TOLL_FREE");
    assert_eq!(nodes[2]["minutes"], 10);
    assert_eq!(nodes[2]["totalCost"], "0.1000");
    assert_eq!(nodes[3]["callType"], "CALL_OUT");
    assert_eq!(nodes[3]["minutes"], 30);
    assert_eq!(nodes[3]["totalCost"], "0.3000");
    assert_eq!(
        nodes[3]["meeting"],
        json!({ "id": w.launch.to_string(), "topic": "Launch", "host": { "email": "alice@acme.example" } })
    );

    // One call type.
    let toll_free = app
        .query_as(
            "owner@acme.example",
            r#"{ telephoneUsage(from: "2026-11-01", to: "2026-11-14", type: TOLL_FREE) {
            totalCount totals { calls minutes totalCost } nodes { participantName } } }"#,
        )
        .await;
    assert_eq!(
        data(&toll_free)["telephoneUsage"],
        json!({ "totalCount": 1, "totals": { "calls": 1, "minutes": 10, "totalCost": "0.1000" },
                "nodes": [{ "participantName": "Paula Phone" }] })
    );

    // Range rules: `from` after `to`, more than a month, beyond the 12-month history.
    for range in [
        r#"from: "2026-11-14", to: "2026-11-01""#,
        r#"from: "2026-10-01", to: "2026-11-14""#,
        r#"from: "2025-10-01", to: "2025-10-14""#,
    ] {
        let bad = app
            .query_as(
                "owner@acme.example",
                &format!("{{ telephoneUsage({range}) {{ totalCount }} }}"),
            )
            .await;
        assert_eq!(error_codes(&bad), vec!["BAD_USER_INPUT"], "{range}");
    }
}

/// Every node of a connection, walked `first` at a time; with the cursors of each page.
async fn walk(
    app: &TestApp,
    email: &str,
    field: &str,
    args: &str,
    first: usize,
    node: &str,
) -> Vec<Value> {
    let mut all = Vec::new();
    let mut after = String::new();
    for _ in 0..20 {
        let q = format!(
            "{{ {field}({args}, first: {first}{after}) {{ pageInfo {{ hasNextPage hasPreviousPage endCursor }} nodes {{ {node} }} }} }}"
        );
        let response = app.query_as(email, &q).await;
        let page = &data(&response)[field];
        let nodes = page["nodes"].as_array().unwrap();
        assert!(nodes.len() <= first);
        assert_eq!(page["pageInfo"]["hasPreviousPage"], !after.is_empty());
        all.extend(nodes.iter().cloned());
        if page["pageInfo"]["hasNextPage"] == false {
            return all;
        }
        let cursor = page["pageInfo"]["endCursor"].as_str().unwrap();
        after = format!(r#", after: "{cursor}""#);
    }
    panic!("{field} did not end");
}

#[tokio::test]
async fn pages_of_every_list_follow_each_other_without_gaps_or_repeats() {
    let app = TestApp::new().await;
    world(&app).await;
    let email = "owner@acme.example";
    let range = r#"from: "2026-11-01", to: "2026-11-14""#;
    for (field, node) in [
        ("telephoneUsage", "startTime participantName callType"),
        ("phoneSystemUsage", "id startTime"),
    ] {
        let whole = walk(&app, email, field, range, 300, node).await;
        assert_eq!(whole.len(), 4, "{field}");
        for first in [1, 2, 3] {
            assert_eq!(
                walk(&app, email, field, range, first, node).await,
                whole,
                "{field} by {first}"
            );
        }
    }
    // The recordings connection lives on the report object.
    let recordings = |after: String| {
        format!(
            r#"{{ cloudRecordingUsage({range}) {{ recordings(first: 1{after}) {{ totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ startTime }} }} }} }}"#
        )
    };
    let first = app.query_as(email, &recordings(String::new())).await;
    let page = &data(&first)["cloudRecordingUsage"]["recordings"];
    assert_eq!(page["totalCount"], 2);
    assert_eq!(
        page["nodes"],
        json!([{ "startTime": "2026-11-03T10:01:00+00:00" }])
    );
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let cursor = page["pageInfo"]["endCursor"].as_str().unwrap();
    let second = app
        .query_as(email, &recordings(format!(r#", after: "{cursor}""#)))
        .await;
    let page = &data(&second)["cloudRecordingUsage"]["recordings"];
    assert_eq!(
        page["nodes"],
        json!([{ "startTime": "2026-11-05T15:00:00+00:00" }])
    );
    assert_eq!(page["pageInfo"]["hasNextPage"], false);

    // A cursor of one list is refused by another.
    let bad = app
        .query_as(
            email,
            &format!(r#"{{ telephoneUsage({range}, after: "{cursor}") {{ totalCount }} }}"#),
        )
        .await;
    assert_eq!(error_codes(&bad), vec!["BAD_USER_INPUT"]);
    let bad = app
        .query_as(
            email,
            &format!("{{ telephoneUsage({range}, first: 301) {{ totalCount }} }}"),
        )
        .await;
    assert_eq!(error_codes(&bad), vec!["BAD_USER_INPUT"]);
}

#[tokio::test]
async fn cloud_recording_usage_shows_storage_per_day_against_the_allowance_and_the_recordings() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let response = app
        .query_as(
            "owner@acme.example",
            r#"{ cloudRecordingUsage(from: "2026-11-01", to: "2026-11-05") {
            from to allowanceBytes
            days { date usageBytes allowanceBytes freeBytes overAllowance }
            storage { daysReported peakUsageBytes daysOverAllowance latestDay latestUsageBytes }
            recordings { totalCount
              totals { recordings sizeBytes byFileType { fileType files sizeBytes } }
              nodes { startTime endTime durationSeconds totalSizeBytes
                      files { fileType sizeBytes }
                      meeting { ... on Meeting { id topic } ... on Webinar { id topic } } } } } }"#,
        )
        .await;
    let report = &data(&response)["cloudRecordingUsage"];
    // Bytes are strings: 2^53 + 1 would not survive a JSON number.
    assert_eq!(report["allowanceBytes"], "9007199254740993");
    assert_eq!(report["from"], "2026-11-01");
    assert_eq!(report["to"], "2026-11-05");
    assert_eq!(
        report["days"],
        json!([
            { "date": "2026-11-01", "usageBytes": "9007199254740993", "allowanceBytes": "9007199254740993", "freeBytes": "0", "overAllowance": false },
            { "date": "2026-11-02", "usageBytes": "9007199254740995", "allowanceBytes": "9007199254740993", "freeBytes": "-2", "overAllowance": true },
            { "date": "2026-11-03", "usageBytes": null, "allowanceBytes": "9007199254740993", "freeBytes": null, "overAllowance": null },
            { "date": "2026-11-04", "usageBytes": "4000000123", "allowanceBytes": "9007199254740993", "freeBytes": "9007195254740870", "overAllowance": false },
            { "date": "2026-11-05", "usageBytes": null, "allowanceBytes": "9007199254740993", "freeBytes": null, "overAllowance": null }
        ])
    );
    assert_eq!(
        report["storage"],
        json!({ "daysReported": 3, "peakUsageBytes": "9007199254740995", "daysOverAllowance": 1,
                "latestDay": "2026-11-04", "latestUsageBytes": "4000000123" })
    );
    // The recording that started at 23:05 on 31 Oct (Paris) is out.
    let recordings = &report["recordings"];
    assert_eq!(recordings["totalCount"], 2);
    assert_eq!(
        recordings["totals"],
        json!({ "recordings": 2, "sizeBytes": "8000000123", "byFileType": [
            { "fileType": "CHAT", "files": 1, "sizeBytes": "123" },
            { "fileType": "M4A", "files": 1, "sizeBytes": "900000000" },
            { "fileType": "MP4", "files": 2, "sizeBytes": "7000000000" },
            { "fileType": "TRANSCRIPT", "files": 1, "sizeBytes": "100000000" }
        ] })
    );
    assert_eq!(
        recordings["nodes"],
        json!([
            { "startTime": "2026-11-03T10:01:00+00:00", "endTime": "2026-11-03T10:59:00+00:00", "durationSeconds": 3480,
              "totalSizeBytes": "3000000123",
              "files": [{ "fileType": "CHAT", "sizeBytes": "123" }, { "fileType": "MP4", "sizeBytes": "3000000000" }],
              "meeting": { "id": w.weekly.to_string(), "topic": "Weekly sync" } },
            { "startTime": "2026-11-05T15:00:00+00:00", "endTime": "2026-11-05T15:30:00+00:00", "durationSeconds": 1800,
              "totalSizeBytes": "5000000000",
              "files": [{ "fileType": "M4A", "sizeBytes": "900000000" }, { "fileType": "MP4", "sizeBytes": "4000000000" },
                        { "fileType": "TRANSCRIPT", "sizeBytes": "100000000" }],
              "meeting": { "id": w.launch.to_string(), "topic": "Launch" } }
        ])
    );
    let bad = app
        .query_as(
            "owner@acme.example",
            r#"{ cloudRecordingUsage(from: "2026-11-05", to: "2026-11-01") { from } }"#,
        )
        .await;
    assert_eq!(error_codes(&bad), vec!["BAD_USER_INPUT"]);
}

const PHONE: &str = r#"{ phoneSystemUsage(from: "2026-11-01", to: "2026-11-14") {
    available phonePlan totalCount
    totals { calls answered durationSeconds minutes totalCharge currency chargeByCurrency { currency calls amount } }
    nodes { direction callerNumber callerName calleeNumber calleeName user { email } startTime endTime
            durationSeconds minutes result charge currency } } }"#;

#[tokio::test]
async fn phone_system_usage_lists_the_call_log_with_exact_charges_and_totals() {
    let app = TestApp::new().await;
    world(&app).await;
    let response = app.query_as("owner@acme.example", PHONE).await;
    let report = &data(&response)["phoneSystemUsage"];
    assert_eq!(report["available"], true);
    assert_eq!(report["phonePlan"], "Business");
    assert_eq!(report["totalCount"], 4);
    assert_eq!(
        report["totals"],
        json!({ "calls": 4, "answered": 2, "durationSeconds": 61 + 30 + 600, "minutes": 2 + 1 + 10,
                "totalCharge": "0.3000", "currency": "EUR",
                "chargeByCurrency": [{ "currency": "EUR", "calls": 4, "amount": "0.3000" }] })
    );
    let nodes = report["nodes"].as_array().unwrap();
    assert_eq!(
        nodes[0],
        json!({ "direction": "OUTBOUND", "callerNumber": "1001", "callerName": "Alice",
                "calleeNumber": "+33 6 00 00 00 01", "calleeName": "Client One",
                "user": { "email": "alice@acme.example" },
                "startTime": "2026-11-02T09:00:00+00:00", "endTime": "2026-11-02T09:01:01+00:00",
                "durationSeconds": 61, "minutes": 2, "result": "ANSWERED", "charge": "0.1000", "currency": "EUR" })
    );
    assert_eq!(nodes[1]["result"], "VOICEMAIL");
    assert_eq!(nodes[1]["charge"], "0.2000");
    assert_eq!(nodes[2]["user"], Value::Null);
    assert_eq!(nodes[2]["result"], "MISSED");
    assert_eq!(nodes[2]["minutes"], 0);
    assert_eq!(nodes[3]["direction"], "INBOUND");

    let filtered = app
        .query_as("owner@acme.example", r#"{ phoneSystemUsage(from: "2026-11-01", to: "2026-11-14", direction: OUTBOUND, result: ANSWERED) {
            totalCount totals { calls totalCharge } nodes { calleeName } } }"#)
        .await;
    assert_eq!(
        data(&filtered)["phoneSystemUsage"],
        json!({ "totalCount": 1, "totals": { "calls": 1, "totalCharge": "0.1000" }, "nodes": [{ "calleeName": "Client One" }] })
    );

    // Other Inc has no phone plan: an empty report that says so, though it has a call stored.
    let other = app.query_as("owner@other.example", PHONE).await;
    assert_eq!(
        data(&other)["phoneSystemUsage"],
        json!({ "available": false, "phonePlan": null, "totalCount": 0,
                "totals": { "calls": 0, "answered": 0, "durationSeconds": 0, "minutes": 0,
                            "totalCharge": "0.0000", "currency": null, "chargeByCurrency": [] },
                "nodes": [] })
    );
}

/// `(field, query)` of the three reports, each with its money fields.
const REPORTS: [(&str, &str); 3] = [
    ("telephoneUsage", TELEPHONE),
    (
        "cloudRecordingUsage",
        r#"{ cloudRecordingUsage(from: "2026-11-01", to: "2026-11-14") { allowanceBytes recordings { totalCount } } }"#,
    ),
    ("phoneSystemUsage", PHONE),
];

#[tokio::test]
async fn the_reports_need_usage_reports_on_a_paid_plan_and_money_needs_billing_reports_too() {
    let app = TestApp::new().await;
    world(&app).await;
    // Owner, admin, and a custom role with both privileges: everything, money included.
    for email in [
        "owner@acme.example",
        "admin@acme.example",
        "controller@acme.example",
    ] {
        for (field, q) in REPORTS {
            let response = app.query_as(email, q).await;
            assert!(data(&response)[field].is_object(), "{email} {field}");
        }
        let response = app.query_as(email, TELEPHONE).await;
        assert_eq!(
            data(&response)["telephoneUsage"]["totals"]["totalCost"],
            "0.6000",
            "{email}"
        );
    }
    // The analyst (usage reports only) reads the reports, but every money field is refused
    // with a null in its place.
    let analyst = app.query_as("analyst@acme.example", TELEPHONE).await;
    let codes = error_codes(&analyst);
    // rate and totalCost of 4 legs, totals.totalCost and totals.costByCurrency.
    assert_eq!(codes, vec!["FORBIDDEN"; 10], "{analyst:#}");
    let report = &analyst["data"]["telephoneUsage"];
    assert_eq!(report["totalCount"], 4);
    assert_eq!(report["totals"]["minutes"], 61);
    assert_eq!(report["totals"]["totalCost"], Value::Null);
    assert_eq!(report["totals"]["costByCurrency"], Value::Null);
    for node in report["nodes"].as_array().unwrap() {
        assert!(node["callType"].is_string());
        assert_eq!(node["rate"], Value::Null);
        assert_eq!(node["totalCost"], Value::Null);
    }
    assert_eq!(report["nodes"][1]["participantName"], "Tom Toll");
    let analyst = app.query_as("analyst@acme.example", PHONE).await;
    // charge of 4 calls, totals.totalCharge and totals.chargeByCurrency.
    assert_eq!(error_codes(&analyst), vec!["FORBIDDEN"; 6]);
    let report = &analyst["data"]["phoneSystemUsage"];
    assert_eq!(report["totals"]["minutes"], 13);
    assert_eq!(report["nodes"][0]["charge"], Value::Null);
    assert_eq!(report["nodes"][0]["result"], "ANSWERED");
    let analyst = app.query_as("analyst@acme.example", REPORTS[1].1).await;
    assert_eq!(
        data(&analyst)["cloudRecordingUsage"]["recordings"]["totalCount"],
        2
    );

    // Members, auditors (user activity only) and billing admins (billing only): refused.
    for email in [
        "member@acme.example",
        "alice@acme.example",
        "auditor@acme.example",
        "billing@acme.example",
    ] {
        for (field, q) in REPORTS {
            let response = app.query_as(email, q).await;
            assert_eq!(error_codes(&response), vec!["FORBIDDEN"], "{email} {field}");
            assert_eq!(response["data"], Value::Null, "{email} {field}");
        }
    }
    // A BASIC account: no reports at all.
    for (field, q) in REPORTS {
        let response = app.query_as("owner@free.example", q).await;
        assert_eq!(
            error_codes(&response),
            vec!["PLAN_NOT_SUPPORTED"],
            "{field}"
        );
    }
}

#[tokio::test]
async fn another_account_sees_only_its_own_rows() {
    let app = TestApp::new().await;
    world(&app).await;
    let telephone = app.query_as("owner@other.example", TELEPHONE).await;
    let report = &data(&telephone)["telephoneUsage"];
    assert_eq!(report["totalCount"], 1);
    assert_eq!(report["totals"]["totalCost"], "5.0000");
    assert_eq!(report["nodes"][0]["meeting"]["topic"], "Their call");
    let cloud = app
        .query_as(
            "owner@other.example",
            r#"{ cloudRecordingUsage(from: "2026-11-01", to: "2026-11-05") {
            allowanceBytes storage { daysReported peakUsageBytes }
            recordings { totalCount totals { sizeBytes } nodes { totalSizeBytes } } } }"#,
        )
        .await;
    assert_eq!(
        data(&cloud)["cloudRecordingUsage"],
        json!({ "allowanceBytes": (1_i64 << 40).to_string(),
                "storage": { "daysReported": 1, "peakUsageBytes": "5" },
                "recordings": { "totalCount": 1, "totals": { "sizeBytes": "42" }, "nodes": [{ "totalSizeBytes": "42" }] } })
    );
}

#[tokio::test]
async fn a_page_runs_as_many_statements_for_one_row_as_for_all() {
    let app = TestApp::new().await;
    world(&app).await;
    // One report per request: two reports in one request share the loader's cache (a host
    // already loaded by one is not loaded again by the other), which makes their sum depend on
    // the data; each report alone depends on its depth only.
    let reports = [
        r#"telephoneUsage(from: "2026-11-01", to: "2026-11-14", first: FIRST) { nodes { participantName
              meeting { ... on Meeting { topic host { email } } ... on Webinar { topic host { email } } } } }"#,
        r#"cloudRecordingUsage(from: "2026-11-01", to: "2026-11-14") { recordings(first: FIRST) { nodes { files { sizeBytes }
              meeting { ... on Meeting { host { email } } ... on Webinar { host { email } } } } } }"#,
        r#"phoneSystemUsage(from: "2026-11-01", to: "2026-11-14", first: FIRST) { nodes { user { email } } }"#,
    ];
    for report in reports {
        let q = |first: usize| format!("{{ {} }}", report.replace("FIRST", &first.to_string()));
        let one = app.query_as("owner@acme.example", &q(1)).await;
        let all = app.query_as("owner@acme.example", &q(300)).await;
        data(&one);
        data(&all);
        assert_eq!(sql_statements(&one), sql_statements(&all), "{report}");
    }
    let legs = app
        .query_as(
            "owner@acme.example",
            r#"{ telephoneUsage(from: "2026-11-01", to: "2026-11-14", first: 300) { nodes { participantName } } }"#,
        )
        .await;
    assert_eq!(
        data(&legs)["telephoneUsage"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

/// A `Decimal` string (four decimals) as ten-thousandths.
fn ten_thousandths(v: &Value) -> i64 {
    let s = v.as_str().unwrap_or_else(|| panic!("not a Decimal: {v}"));
    let (whole, frac) = s.split_once('.').unwrap();
    assert_eq!(frac.len(), 4, "{s}");
    whole.parse::<i64>().unwrap() * 10_000 + frac.parse::<i64>().unwrap()
}

fn big(v: &Value) -> i64 {
    v.as_str()
        .unwrap_or_else(|| panic!("not a BigInt: {v}"))
        .parse()
        .unwrap()
}

#[tokio::test]
async fn on_the_demo_data_totals_are_the_rows_added_up_and_roles_hold() {
    let app = TestApp::with_demo().await;
    let email = "admin@demo.example";
    let range = r#"from: "2026-10-01", to: "2026-10-31""#;

    let legs = walk(
        &app,
        email,
        "telephoneUsage",
        range,
        300,
        "durationSeconds minutes totalCost",
    )
    .await;
    assert!(legs.len() > 10, "a month of phone legs: {}", legs.len());
    let totals = app
        .query_as(email, &format!("{{ telephoneUsage({range}) {{ totalCount totals {{ calls durationSeconds minutes totalCost }} }} }}"))
        .await;
    let t = &data(&totals)["telephoneUsage"];
    let sum = |rows: &[Value], f: &dyn Fn(&Value) -> i64| -> i64 { rows.iter().map(f).sum() };
    assert_eq!(t["totalCount"], legs.len());
    assert_eq!(t["totals"]["calls"], legs.len());
    assert_eq!(
        t["totals"]["durationSeconds"],
        sum(&legs, &|l| l["durationSeconds"].as_i64().unwrap())
    );
    assert_eq!(
        t["totals"]["minutes"],
        sum(&legs, &|l| l["minutes"].as_i64().unwrap())
    );
    assert_eq!(
        ten_thousandths(&t["totals"]["totalCost"]),
        sum(&legs, &|l| ten_thousandths(&l["totalCost"]))
    );

    let calls = walk(
        &app,
        email,
        "phoneSystemUsage",
        range,
        300,
        "durationSeconds minutes charge",
    )
    .await;
    assert!(calls.len() > 10, "a month of phone calls: {}", calls.len());
    let totals = app
        .query_as(email, &format!("{{ phoneSystemUsage({range}) {{ available totalCount totals {{ calls durationSeconds minutes totalCharge }} }} }}"))
        .await;
    let t = &data(&totals)["phoneSystemUsage"];
    assert_eq!(t["available"], true);
    assert_eq!(t["totalCount"], calls.len());
    assert_eq!(
        t["totals"]["durationSeconds"],
        sum(&calls, &|c| c["durationSeconds"].as_i64().unwrap())
    );
    assert_eq!(
        t["totals"]["minutes"],
        sum(&calls, &|c| c["minutes"].as_i64().unwrap())
    );
    assert_eq!(
        ten_thousandths(&t["totals"]["totalCharge"]),
        sum(&calls, &|c| ten_thousandths(&c["charge"]))
    );

    let cloud = app
        .query_as(email, &format!("{{ cloudRecordingUsage({range}) {{ allowanceBytes days {{ usageBytes }}
            recordings(first: 300) {{ totalCount pageInfo {{ hasNextPage }} totals {{ recordings sizeBytes byFileType {{ files sizeBytes }} }}
              nodes {{ totalSizeBytes files {{ sizeBytes }} }} }} }} }}"))
        .await;
    let c = &data(&cloud)["cloudRecordingUsage"];
    assert_eq!(c["allowanceBytes"], "1099511627776");
    let days = c["days"].as_array().unwrap();
    assert_eq!(days.len(), 31);
    assert!(days.iter().all(|d| big(&d["usageBytes"]) > 0));
    let r = &c["recordings"];
    assert_eq!(r["pageInfo"]["hasNextPage"], false);
    let nodes = r["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty());
    assert_eq!(r["totalCount"], nodes.len());
    assert_eq!(r["totals"]["recordings"], nodes.len());
    let size = big(&r["totals"]["sizeBytes"]);
    assert_eq!(size, sum(nodes, &|n| big(&n["totalSizeBytes"])));
    assert_eq!(
        size,
        sum(r["totals"]["byFileType"].as_array().unwrap(), &|t| big(
            &t["sizeBytes"]
        ))
    );
    for n in nodes {
        let files = n["files"].as_array().unwrap();
        assert_eq!(
            big(&n["totalSizeBytes"]),
            sum(files, &|f| big(&f["sizeBytes"]))
        );
    }

    // The demo's roles, as on every admin report.
    let queries = [
        (
            "telephoneUsage",
            format!("{{ telephoneUsage({range}) {{ totalCount }} }}"),
        ),
        (
            "cloudRecordingUsage",
            format!("{{ cloudRecordingUsage({range}) {{ allowanceBytes }} }}"),
        ),
        (
            "phoneSystemUsage",
            format!("{{ phoneSystemUsage({range}) {{ totalCount }} }}"),
        ),
    ];
    for (field, q) in &queries {
        for email in [
            "owner@demo.example",
            "admin@demo.example",
            "analyst@demo.example",
            "owner@other.example",
        ] {
            let response = app.query_as(email, q).await;
            assert!(data(&response)[*field].is_object(), "{email} {field}");
        }
        for email in [
            "member@demo.example",
            "auditor@demo.example",
            "billing@demo.example",
        ] {
            assert_eq!(
                error_codes(&app.query_as(email, q).await),
                vec!["FORBIDDEN"],
                "{email} {field}"
            );
        }
        assert_eq!(
            error_codes(&app.query_as("owner@free.example", q).await),
            vec!["PLAN_NOT_SUPPORTED"],
            "{field}"
        );
    }
    let analyst = app
        .query_as(
            "analyst@demo.example",
            &format!("{{ telephoneUsage({range}, first: 1) {{ nodes {{ minutes totalCost }} }} }}"),
        )
        .await;
    assert_eq!(error_codes(&analyst), vec!["FORBIDDEN"]);
    assert!(analyst["data"]["telephoneUsage"]["nodes"][0]["minutes"].is_i64());
}
