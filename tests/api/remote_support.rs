//! Remote support sessions, hand-computed on the shared events world; role rules on the demo.

use serde_json::json;

use crate::common::{assert_demo_report_roles, data, events_world::events_world, TestApp};

#[tokio::test]
async fn remote_support_sessions_carry_meeting_supporter_wait_and_duration() {
    let app = TestApp::new().await;
    events_world(&app).await;
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
async fn remote_support_sessions_follow_the_usage_report_rules() {
    let app = TestApp::with_demo().await;
    assert_demo_report_roles(
        &app,
        "remoteSupportSessions",
        r#"{ remoteSupportSessions(from: "2026-10-15", to: "2026-11-14") { totalCount } }"#,
        |r| r["totalCount"].is_number(),
    )
    .await;
}
