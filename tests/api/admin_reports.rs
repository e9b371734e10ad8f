//! Upcoming events and remote support, hand-computed on a fixture; role rules on the demo.

use serde_json::json;

use crate::common::{
    data, error_codes,
    fixtures::{exec, Fixture},
    TestApp,
};

async fn world(app: &TestApp) -> (i64, i64, i64) {
    let f = Fixture::new(&app.db);
    let acc = f.account("Acme", "acme.example", "BUSINESS").await;
    f.user(acc, "owner@acme.example", "OWNER").await;
    let alice = f.user(acc, "alice@acme.example", "MEMBER").await;
    let bob = f.user(acc, "bob@acme.example", "MEMBER").await;
    let mut ids = Vec::new();
    for (topic, kind, host) in [
        ("Planning", "MEETING", alice),
        ("Launch webinar", "WEBINAR", alice),
        ("Open office", "MEETING", alice),
        ("Next year", "MEETING", alice),
        ("Cancelled", "MEETING", alice),
        ("Bob's review", "MEETING", bob),
    ] {
        ids.push(f.meeting(acc, host, kind, topic).await);
    }
    let set = |id: i64, kind: &str, start: Option<&str>, deleted: bool| {
        format!(
            "UPDATE meeting SET meeting_type = '{kind}', scheduled_start = {}, deleted_at = {} WHERE id = {id}",
            start.map_or("NULL".to_owned(), |s| format!("'{s}'")),
            if deleted { "'2026-11-10T00:00:00+00:00'" } else { "NULL" }
        )
    };
    exec(
        &app.db,
        &[
            set(
                ids[0],
                "SCHEDULED",
                Some("2026-11-20T10:00:00+00:00"),
                false,
            ),
            set(
                ids[1],
                "SCHEDULED",
                Some("2026-11-18T15:00:00+00:00"),
                false,
            ),
            set(ids[2], "RECURRING_NO_FIXED_TIME", None, false),
            set(
                ids[3],
                "SCHEDULED",
                Some("2026-12-20T10:00:00+00:00"),
                false,
            ),
            set(ids[4], "SCHEDULED", Some("2026-11-19T10:00:00+00:00"), true),
            set(
                ids[5],
                "RECURRING_FIXED",
                Some("2026-11-21T08:00:00+00:00"),
                false,
            ),
        ],
    )
    .await;
    // Remote support in Alice's past meeting.
    let past = f.meeting(acc, alice, "MEETING", "Helpdesk").await;
    f.session(acc, past, "2026-11-03T10:00:00Z", 60).await;
    let rows = [
        (
            1,
            "2026-11-03T10:00:00+00:00",
            "2026-11-03T10:01:00+00:00",
            "2026-11-03T10:11:00+00:00",
        ),
        (
            2,
            "2026-11-04T09:00:00+00:00",
            "2026-11-04T09:00:30+00:00",
            "2026-11-04T09:30:30+00:00",
        ),
        (
            3,
            "2026-10-02T09:00:00+00:00",
            "2026-10-02T09:01:00+00:00",
            "2026-10-02T09:02:00+00:00",
        ),
    ];
    exec(
        &app.db,
        &rows
            .iter()
            .map(|(n, req, start, end)| {
                format!(
                    "INSERT INTO remote_support_session (account_id, source_id, meeting_id, supporter_id, supportee_name, supportee_email, requested_at, started_at, ended_at) \
                     VALUES ({acc}, 'rs{n}', {past}, {bob}, 'Client {n}', NULL, '{req}', '{start}', '{end}')"
                )
            })
            .collect::<Vec<_>>(),
    )
    .await;
    (acc, alice, past)
}

#[tokio::test]
async fn upcoming_events_list_scheduled_meetings_and_webinars_soonest_first() {
    let app = TestApp::new().await;
    world(&app).await;
    let q = |args: &str| {
        format!(
            r#"{{ upcomingEvents(from: "2026-11-15", to: "2026-12-14"{args}) {{ totalCount nodes {{ __typename
            ... on Meeting {{ topic scheduledStart host {{ email }} }} ... on Webinar {{ topic scheduledStart }} }} }} }}"#
        )
    };
    let topics = |v: &serde_json::Value| -> Vec<String> {
        data(v)["upcomingEvents"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["topic"].as_str().unwrap().to_owned())
            .collect()
    };
    let plain = app.query_as("owner@acme.example", &q("")).await;
    assert_eq!(
        topics(&plain),
        ["Launch webinar", "Planning", "Bob's review"]
    );
    assert_eq!(
        data(&plain)["upcomingEvents"]["nodes"][0]["__typename"],
        "Webinar"
    );
    assert_eq!(data(&plain)["upcomingEvents"]["totalCount"], 3);
    let all = app
        .query_as("owner@acme.example", &q(", includeNoFixedTime: true"))
        .await;
    assert_eq!(
        topics(&all),
        ["Launch webinar", "Planning", "Bob's review", "Open office"]
    );
    assert_eq!(data(&all)["upcomingEvents"]["totalCount"], 4);
    let bob = app
        .query_as("owner@acme.example", &q(r#", search: "BOB@""#))
        .await;
    assert_eq!(topics(&bob), ["Bob's review"]);
    // Paging through with the cursor keeps the order, the no-fixed-time one last.
    let first = app
        .query_as("owner@acme.example", r#"{ upcomingEvents(from: "2026-11-15", to: "2026-12-14", includeNoFixedTime: true, first: 3) { pageInfo { endCursor hasNextPage } } }"#)
        .await;
    let cursor = data(&first)["upcomingEvents"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let rest = app
        .query_as("owner@acme.example", &format!(r#"{{ upcomingEvents(from: "2026-11-15", to: "2026-12-14", includeNoFixedTime: true, after: "{cursor}") {{ nodes {{ ... on Meeting {{ topic }} }} pageInfo {{ hasNextPage }} }} }}"#))
        .await;
    assert_eq!(
        data(&rest)["upcomingEvents"]["nodes"],
        json!([{ "topic": "Open office" }])
    );
}

#[tokio::test]
async fn remote_support_sessions_carry_meeting_supporter_wait_and_duration() {
    let app = TestApp::new().await;
    world(&app).await;
    let response = app
        .query_as("owner@acme.example", r#"{ remoteSupportSessions(from: "2026-11-01", to: "2026-11-14") { totalCount nodes {
            meeting { ... on Meeting { topic host { email } } } supporter { email } supporteeName requestedAt waitSeconds durationSeconds } } }"#)
        .await;
    assert_eq!(
        data(&response)["remoteSupportSessions"],
        json!({ "totalCount": 2, "nodes": [
            { "meeting": { "topic": "Helpdesk", "host": { "email": "alice@acme.example" } }, "supporter": { "email": "bob@acme.example" },
              "supporteeName": "Client 1", "requestedAt": "2026-11-03T10:00:00+00:00", "waitSeconds": 60, "durationSeconds": 600 },
            { "meeting": { "topic": "Helpdesk", "host": { "email": "alice@acme.example" } }, "supporter": { "email": "bob@acme.example" },
              "supporteeName": "Client 2", "requestedAt": "2026-11-04T09:00:00+00:00", "waitSeconds": 30, "durationSeconds": 1800 }
        ] })
    );
}

#[tokio::test]
async fn upcoming_events_and_remote_support_follow_the_usage_report_rules() {
    let app = TestApp::with_demo().await;
    let reports = [
        (
            "upcomingEvents",
            r#"{ upcomingEvents(from: "2026-11-15", to: "2026-12-14", includeNoFixedTime: true) { totalCount nodes { __typename } } }"#,
        ),
        (
            "remoteSupportSessions",
            r#"{ remoteSupportSessions(from: "2026-10-15", to: "2026-11-14") { totalCount } }"#,
        ),
    ];
    for (field, q) in reports {
        for email in [
            "owner@demo.example",
            "admin@demo.example",
            "analyst@demo.example",
            "owner@other.example",
        ] {
            assert!(
                data(&app.query_as(email, q).await)[field]["totalCount"].is_number(),
                "{email} {field}"
            );
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
            vec!["PLAN_NOT_SUPPORTED"]
        );
    }
    let demo = app.query_as("owner@demo.example", reports[0].1).await;
    assert!(
        data(&demo)["upcomingEvents"]["totalCount"]
            .as_i64()
            .unwrap()
            > 0,
        "the demo has upcoming events"
    );
}
