//! The admin Usage Reports tab: Daily, Active hosts, Inactive hosts — hand-computed on a
//! fixture, consistent with each other and with the meeting lists on the demo data.

use serde_json::{json, Value};

use crate::common::{data, error_codes, fixtures::Fixture, TestApp};

/// Acme (Europe/Paris): alice hosts a session at 23:30 UTC on 3 Nov (00:30 on 4 Nov in Paris)
/// and one from 23:00 Paris on 5 Nov to 01:00 on 6 Nov; bob hosts one on 10 Nov; carol only
/// joins others' meetings; dan, created on 12 Nov, does nothing.
async fn world(app: &TestApp) {
    let f = Fixture::new(&app.db);
    let acc = f.account("Acme", "acme.example", "BUSINESS").await;
    f.user(acc, "owner@acme.example", "OWNER").await;
    let alice = f.user(acc, "alice@acme.example", "MEMBER").await;
    let bob = f.user(acc, "bob@acme.example", "MEMBER").await;
    let carol = f.user(acc, "carol@acme.example", "MEMBER").await;
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared("INSERT INTO app_user (account_id, email, first_name, last_name, role, user_type, created_at) \
            SELECT id, 'dan@acme.example', 'Dan', 'New', 'MEMBER', 'BASIC', '2026-11-12T09:00:00+00:00' FROM account WHERE domain = 'acme.example'")
        .await
        .unwrap();
    let m1 = f.meeting(acc, alice, "MEETING", "Late call").await;
    let s1 = f.session(acc, m1, "2026-11-03T23:30:00Z", 20).await;
    f.join(
        acc,
        m1,
        s1,
        Some(alice),
        "Alice",
        None,
        "2026-11-03T23:30:00Z",
        "2026-11-03T23:50:00Z",
    )
    .await;
    f.join(
        acc,
        m1,
        s1,
        Some(carol),
        "Carol",
        None,
        "2026-11-03T23:31:00Z",
        "2026-11-03T23:40:30Z",
    )
    .await;
    let w = f.meeting(acc, alice, "WEBINAR", "Midnight webinar").await;
    let s2 = f.session(acc, w, "2026-11-05T22:00:00Z", 120).await;
    f.join(
        acc,
        w,
        s2,
        Some(alice),
        "Alice",
        None,
        "2026-11-05T22:00:00Z",
        "2026-11-06T00:00:00Z",
    )
    .await;
    f.join(
        acc,
        w,
        s2,
        None,
        "Guest",
        Some("g@x.example"),
        "2026-11-05T22:10:00Z",
        "2026-11-05T22:20:00Z",
    )
    .await;
    f.join(
        acc,
        w,
        s2,
        None,
        "Guest",
        Some("g@x.example"),
        "2026-11-05T22:30:00Z",
        "2026-11-05T22:40:00Z",
    )
    .await;
    let m3 = f.meeting(acc, bob, "MEETING", "Bob's sync").await;
    let s3 = f.session(acc, m3, "2026-11-10T09:00:00Z", 30).await;
    f.join(
        acc,
        m3,
        s3,
        Some(bob),
        "Bob",
        None,
        "2026-11-10T09:00:00Z",
        "2026-11-10T09:30:00Z",
    )
    .await;
    f.join(
        acc,
        m3,
        s3,
        Some(carol),
        "Carol",
        None,
        "2026-11-10T09:00:00Z",
        "2026-11-10T09:30:00Z",
    )
    .await;
}

fn day<'a>(report: &'a Value, date: &str) -> &'a Value {
    report["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == date)
        .unwrap_or_else(|| panic!("no {date}"))
}

#[tokio::test]
async fn daily_usage_cuts_days_in_the_account_zone_unless_told_otherwise() {
    let app = TestApp::new().await;
    world(&app).await;
    let q = |tz: &str| {
        format!("{{ dailyUsage(year: 2026, month: 11{tz}) {{ timeZone days {{ date newUsers meetings participants meetingMinutes }} totals {{ newUsers meetings participants meetingMinutes }} }} }}")
    };
    let paris = app.query_as("owner@acme.example", &q("")).await;
    let paris = &data(&paris)["dailyUsage"];
    assert_eq!(paris["timeZone"], "Europe/Paris");
    assert_eq!(paris["days"].as_array().unwrap().len(), 30);
    // 23:30 UTC on the 3rd is the 4th in Paris: 2 people, 20 + 9.5 = 29.5 → 30 minutes.
    assert_eq!(day(paris, "2026-11-03")["meetings"], 0);
    assert_eq!(
        day(paris, "2026-11-04"),
        &json!({ "date": "2026-11-04", "newUsers": 0, "meetings": 1, "participants": 2, "meetingMinutes": 30 })
    );
    // The webinar spans midnight: it counts on the day it started. Guest rejoined: 2 people,
    // 120 + 10 + 10 minutes.
    assert_eq!(
        day(paris, "2026-11-05"),
        &json!({ "date": "2026-11-05", "newUsers": 0, "meetings": 1, "participants": 2, "meetingMinutes": 140 })
    );
    assert_eq!(day(paris, "2026-11-06")["meetings"], 0);
    assert_eq!(day(paris, "2026-11-12")["newUsers"], 1);
    assert_eq!(
        paris["totals"],
        json!({ "newUsers": 1, "meetings": 3, "participants": 6, "meetingMinutes": 30 + 140 + 60 })
    );

    let utc = app
        .query_as("owner@acme.example", &q(r#", timeZone: "UTC""#))
        .await;
    let utc = &data(&utc)["dailyUsage"];
    assert_eq!(day(utc, "2026-11-03")["meetings"], 1);
    assert_eq!(day(utc, "2026-11-04")["meetings"], 0);

    let bad = app
        .query_as("owner@acme.example", &q(r#", timeZone: "Mars/Olympus""#))
        .await;
    assert_eq!(error_codes(&bad), vec!["BAD_USER_INPUT"]);
    let bad = app
        .query_as(
            "owner@acme.example",
            "{ dailyUsage(year: 2026, month: 13) { timeZone } }",
        )
        .await;
    assert_eq!(error_codes(&bad), vec!["BAD_USER_INPUT"]);
    let old = app
        .query_as(
            "owner@acme.example",
            "{ dailyUsage(year: 2025, month: 10) { timeZone } }",
        )
        .await;
    assert_eq!(error_codes(&old), vec!["BAD_USER_INPUT"]);
    assert!(old["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("2025-11"));
}

#[tokio::test]
async fn active_hosts_held_a_session_and_inactive_hosts_are_everyone_else() {
    let app = TestApp::new().await;
    world(&app).await;
    let active = app
        .query_as(
            "owner@acme.example",
            r#"{ activeHosts(from: "2026-11-01", to: "2026-11-14", sortBy: MEETING_MINUTES) {
            totalCount totals { meetings participants meetingMinutes }
            nodes { host { email } meetings participants meetingMinutes } } }"#,
        )
        .await;
    let active = &data(&active)["activeHosts"];
    assert_eq!(active["totalCount"], 2);
    assert_eq!(
        active["nodes"],
        json!([
            { "host": { "email": "alice@acme.example" }, "meetings": 2, "participants": 4, "meetingMinutes": 170 },
            { "host": { "email": "bob@acme.example" }, "meetings": 1, "participants": 2, "meetingMinutes": 60 }
        ])
    );
    assert_eq!(
        active["totals"],
        json!({ "meetings": 3, "participants": 6, "meetingMinutes": 230 })
    );
    let ascending = app
        .query_as("owner@acme.example", r#"{ activeHosts(from: "2026-11-01", to: "2026-11-14", sortBy: MEETINGS, descending: false, first: 1) {
            pageInfo { hasNextPage endCursor } nodes { host { email } } } }"#)
        .await;
    let page = &data(&ascending)["activeHosts"];
    assert_eq!(
        page["nodes"],
        json!([{ "host": { "email": "bob@acme.example" } }])
    );
    let cursor = page["pageInfo"]["endCursor"].as_str().unwrap();
    let next = app
        .query_as("owner@acme.example", &format!(r#"{{ activeHosts(from: "2026-11-01", to: "2026-11-14", sortBy: MEETINGS, descending: false, first: 1, after: "{cursor}") {{
            pageInfo {{ hasNextPage }} nodes {{ host {{ email }} }} }} }}"#))
        .await;
    assert_eq!(
        data(&next)["activeHosts"]["nodes"],
        json!([{ "host": { "email": "alice@acme.example" } }])
    );
    assert_eq!(data(&next)["activeHosts"]["pageInfo"]["hasNextPage"], false);

    // Carol only joined others' meetings: inactive. Active + inactive = every user.
    let inactive = app
        .query_as("owner@acme.example", r#"{ inactiveHosts(from: "2026-11-01", to: "2026-11-14") { totalCount nodes { email } } }"#)
        .await;
    assert_eq!(
        data(&inactive)["inactiveHosts"],
        json!({ "totalCount": 3, "nodes": [{ "email": "carol@acme.example" }, { "email": "dan@acme.example" }, { "email": "owner@acme.example" }] })
    );
}

#[tokio::test]
async fn every_admin_report_is_for_usage_report_holders_of_a_paid_plan_only() {
    let app = TestApp::with_demo().await;
    let reports = [
        (
            "dailyUsage",
            "{ dailyUsage(year: 2026, month: 10) { totals { meetings } } }",
        ),
        (
            "activeHosts",
            r#"{ activeHosts(from: "2026-10-01", to: "2026-10-31") { totalCount } }"#,
        ),
        (
            "inactiveHosts",
            r#"{ inactiveHosts(from: "2026-10-01", to: "2026-10-31") { totalCount } }"#,
        ),
    ];
    for (field, q) in reports {
        for email in [
            "owner@demo.example",
            "admin@demo.example",
            "analyst@demo.example",
            "owner@other.example",
        ] {
            let response = app.query_as(email, q).await;
            assert!(data(&response)[field].is_object(), "{email} {field}");
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
    // Other Inc's figures are its own.
    let demo = app.query_as("owner@demo.example", reports[1].1).await;
    let other = app.query_as("owner@other.example", reports[1].1).await;
    assert_ne!(
        data(&demo)["activeHosts"]["totalCount"],
        data(&other)["activeHosts"]["totalCount"]
    );
}

#[tokio::test]
async fn daily_active_hosts_and_the_meeting_lists_agree_on_a_month_of_demo_data() {
    let app = TestApp::with_demo().await;
    let daily = app
        .query_as("admin@demo.example", "{ dailyUsage(year: 2026, month: 10) { days { meetings participants meetingMinutes } totals { meetings participants meetingMinutes } } }")
        .await;
    let daily = &data(&daily)["dailyUsage"];
    let sum = |field: &str| -> i64 {
        daily["days"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d[field].as_i64().unwrap())
            .sum()
    };
    let (meetings, participants, minutes) =
        (sum("meetings"), sum("participants"), sum("meetingMinutes"));
    assert!(meetings > 20, "a month of demo activity: {meetings}");
    assert_eq!(
        daily["totals"],
        json!({ "meetings": meetings, "participants": participants, "meetingMinutes": minutes })
    );

    let active = app
        .query_as("admin@demo.example", r#"{ activeHosts(from: "2026-10-01", to: "2026-10-31", first: 300) { totals { meetings participants meetingMinutes } nodes { meetings participants meetingMinutes } } }"#)
        .await;
    let active = &data(&active)["activeHosts"];
    assert_eq!(active["totals"], daily["totals"]);
    let host_sum = |field: &str| -> i64 {
        active["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n[field].as_i64().unwrap())
            .sum()
    };
    assert_eq!(
        (
            host_sum("meetings"),
            host_sum("participants"),
            host_sum("meetingMinutes")
        ),
        (meetings, participants, minutes)
    );

    // The sessions that started in October (Paris) of what meetings and webinars list.
    let start: chrono::DateTime<chrono::Utc> = "2026-09-30T22:00:00Z".parse().unwrap();
    let end: chrono::DateTime<chrono::Utc> = "2026-10-31T23:00:00Z".parse().unwrap();
    let mut listed = (0, 0, 0);
    for field in ["meetings", "webinars"] {
        let response = app
            .query_as("admin@demo.example", &format!(r#"{{ {field}(from: "2026-10-01", to: "2026-10-31", first: 300) {{ pageInfo {{ hasNextPage }} nodes {{ sessions {{ startTime participantsCount meetingMinutes }} }} }} }}"#))
            .await;
        let list = &data(&response)[field];
        assert_eq!(list["pageInfo"]["hasNextPage"], false);
        for node in list["nodes"].as_array().unwrap() {
            for s in node["sessions"].as_array().unwrap() {
                let t: chrono::DateTime<chrono::Utc> =
                    s["startTime"].as_str().unwrap().parse().unwrap();
                if t >= start && t < end {
                    listed.0 += 1;
                    listed.1 += s["participantsCount"].as_i64().unwrap();
                    listed.2 += s["meetingMinutes"].as_i64().unwrap();
                }
            }
        }
    }
    assert_eq!(listed, (meetings, participants, minutes));
}
