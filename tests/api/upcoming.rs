//! Upcoming events, hand-computed on the shared events world (soonest first, recurring without
//! a fixed time last, deleted and out-of-range meetings left out); role rules on the demo.

use serde_json::json;

use crate::common::{assert_demo_report_roles, data, events_world::events_world, TestApp};

const UPCOMING: &str = r#"{ upcomingEvents(from: "2026-11-15", to: "2026-12-14", includeNoFixedTime: true) { totalCount nodes { __typename } } }"#;

#[tokio::test]
async fn upcoming_events_list_scheduled_meetings_and_webinars_soonest_first() {
    let app = TestApp::new().await;
    events_world(&app).await;
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
async fn upcoming_events_follow_the_usage_report_rules() {
    let app = TestApp::with_demo().await;
    assert_demo_report_roles(&app, "upcomingEvents", UPCOMING, |r| {
        r["totalCount"].is_number()
    })
    .await;
    let demo = app.query_as("owner@demo.example", UPCOMING).await;
    assert!(
        data(&demo)["upcomingEvents"]["totalCount"]
            .as_i64()
            .unwrap()
            > 0,
        "the demo has upcoming events"
    );
}
