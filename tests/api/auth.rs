//! Authentication over HTTP: every way a token can be wrong is a 401 with `UNAUTHENTICATED`.

use chrono::{Duration, Utc};
use meeting_reports::auth::{issue_token, JwtKeys};
use serde_json::Value;

use crate::common::{error_codes, TestApp};

const VIEWER: &str = "{ viewer { user { email } privileges } }";

fn assert_unauthenticated(status: u16, body: &Value) {
    assert_eq!(status, 401, "{body:#}");
    assert_eq!(error_codes(body), vec!["UNAUTHENTICATED"], "{body:#}");
}

#[tokio::test]
async fn a_request_without_a_token_is_refused_with_401() {
    let app = TestApp::with_demo().await;
    let (status, body) = app.post_graphql(None, VIEWER).await;
    assert_unauthenticated(status, &body);
}

#[tokio::test]
async fn malformed_badly_signed_and_expired_tokens_are_refused() {
    let app = TestApp::with_demo().await;
    let (status, body) = app.post_graphql(Some("Bearer not-a-jwt"), VIEWER).await;
    assert_unauthenticated(status, &body);
    let (status, body) = app.post_graphql(Some("Basic dXNlcjpwYXNz"), VIEWER).await;
    assert_unauthenticated(status, &body);

    let id = app.user_id("owner@demo.example").await;
    let forged = issue_token(
        &JwtKeys::new(b"another secret"),
        id,
        1,
        "owner@demo.example",
        Utc::now(),
        Duration::hours(1),
    )
    .unwrap();
    let (status, body) = app
        .post_graphql(Some(&format!("Bearer {forged}")), VIEWER)
        .await;
    assert_unauthenticated(status, &body);

    let expired = issue_token(
        &app.keys,
        id,
        1,
        "owner@demo.example",
        Utc::now() - Duration::hours(3),
        Duration::hours(1),
    )
    .unwrap();
    let (status, body) = app
        .post_graphql(Some(&format!("Bearer {expired}")), VIEWER)
        .await;
    assert_unauthenticated(status, &body);
}

#[tokio::test]
async fn a_token_of_a_user_that_no_longer_exists_is_refused() {
    let app = TestApp::with_demo().await;
    let token = issue_token(
        &app.keys,
        987_654,
        1,
        "gone@demo.example",
        Utc::now(),
        Duration::hours(1),
    )
    .unwrap();
    let (status, body) = app
        .post_graphql(Some(&format!("Bearer {token}")), VIEWER)
        .await;
    assert_unauthenticated(status, &body);
}

#[tokio::test]
async fn a_valid_token_reads_the_viewer() {
    let app = TestApp::with_demo().await;
    let token = app.token("owner@demo.example").await;
    let (status, body) = app
        .post_graphql(
            Some(&format!("Bearer {token}")),
            "{ viewer { user { email role } account { name plan timeZone } privileges } }",
        )
        .await;
    assert_eq!(status, 200, "{body:#}");
    let viewer = &body["data"]["viewer"];
    assert_eq!(viewer["user"]["email"], "owner@demo.example");
    assert_eq!(viewer["user"]["role"], "OWNER");
    assert_eq!(viewer["account"]["name"], "Demo Corp");
    assert_eq!(viewer["account"]["plan"], "BUSINESS");
    assert_eq!(viewer["account"]["timeZone"], "Europe/Paris");
    assert_eq!(
        viewer["privileges"],
        serde_json::json!(["USAGE_REPORTS", "USER_ACTIVITY_REPORTS", "BILLING_REPORTS"])
    );
}

#[tokio::test]
async fn introspection_alone_needs_no_token_so_the_playground_can_load_its_docs() {
    let app = TestApp::with_demo().await;
    let (status, body) = app
        .post_graphql(None, "{ __schema { queryType { name } } }")
        .await;
    assert_eq!(status, 200, "{body:#}");
    assert_eq!(body["data"]["__schema"]["queryType"]["name"], "Query");
}

#[tokio::test]
async fn privileges_follow_each_role_and_a_role_change_applies_at_once() {
    let app = TestApp::with_demo().await;
    let privileges = |v: &Value| v["data"]["viewer"]["privileges"].clone();
    let q = "{ viewer { privileges } }";
    for (email, expected) in [
        (
            "admin@demo.example",
            serde_json::json!(["USAGE_REPORTS", "BILLING_REPORTS"]),
        ),
        ("member@demo.example", serde_json::json!([])),
        ("analyst@demo.example", serde_json::json!(["USAGE_REPORTS"])),
        (
            "auditor@demo.example",
            serde_json::json!(["USER_ACTIVITY_REPORTS"]),
        ),
        (
            "billing@demo.example",
            serde_json::json!(["BILLING_REPORTS"]),
        ),
    ] {
        assert_eq!(
            privileges(&app.query_as(email, q).await),
            expected,
            "{email}"
        );
    }
    // The token names the user only: promoting the member changes the next request.
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared(
            "UPDATE app_user SET role = 'ADMIN' WHERE email = 'member@demo.example'",
        )
        .await
        .unwrap();
    let token = app.token("member@demo.example").await;
    let (_, body) = app.post_graphql(Some(&format!("Bearer {token}")), q).await;
    assert_eq!(
        privileges(&body),
        serde_json::json!(["USAGE_REPORTS", "BILLING_REPORTS"])
    );
}

/// The privileges and report switch of the token's viewer, through the router.
async fn viewer_through(router: &axum::Router, token: &str) -> (Vec<String>, bool) {
    use tower::ServiceExt;
    let req = axum::http::Request::post("/graphql")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::from(
            serde_json::json!({ "query": "{ viewer { privileges reportsEnabled } }" }).to_string(),
        ))
        .unwrap();
    let response = router.clone().oneshot(req).await.unwrap();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    let viewer = &body["data"]["viewer"];
    let privileges = viewer["privileges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body:#}"))
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    (privileges, viewer["reportsEnabled"].as_bool().unwrap())
}

/// Asks until `ok` holds of the viewer, for up to 2 s (a change reaches the cache by a
/// notification sent at its commit).
async fn until_viewer(
    router: &axum::Router,
    token: &str,
    what: &str,
    ok: impl Fn(&(Vec<String>, bool)) -> bool,
) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        let seen = viewer_through(router, token).await;
        if ok(&seen) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: still {seen:?} after 2 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_cached_viewer_gives_way_to_every_change_of_its_role_grants_or_plan() {
    use crate::common::fixtures::{exec, Fixture};
    let app = TestApp::new().await;
    let f = Fixture::new(&app.db);
    let acc = f.account("Acme", "acme.example", "BUSINESS").await;
    let owner = f.user(acc, "owner@acme.example", "OWNER").await;
    let token = app.token("owner@acme.example").await;
    let state = meeting_reports::app_state(
        app.db.clone(),
        app.keys.clone(),
        app.settings.clone(),
        Default::default(),
    );
    let viewers = state.viewers.clone();
    let router = meeting_reports::http::router(state, std::time::Duration::from_secs(30));
    let activity = |(p, _): &(Vec<String>, bool)| p.iter().any(|p| p == "USER_ACTIVITY_REPORTS");
    if app.db.get_database_backend() != sea_orm::DbBackend::Postgres {
        // SQLite: nothing to be told of changes by, so nothing is cached.
        for _ in 0..3 {
            assert!(activity(&viewer_through(&router, &token).await));
        }
        assert_eq!(viewers.hits(), 0);
        return;
    }
    // The cache stores once its LISTEN is in place; then it answers. (Notifications are per
    // database: other tests' writes in their own schemas empty this cache too, so requests
    // follow each other closely and the wait is generous.)
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while viewers.hits() == 0 {
        assert!(activity(&viewer_through(&router, &token).await));
        assert!(
            std::time::Instant::now() < deadline,
            "the viewer is never answered from the cache"
        );
    }
    exec(
        &app.db,
        &[format!(
            "UPDATE app_user SET role = 'MEMBER' WHERE id = {owner}"
        )],
    )
    .await;
    until_viewer(&router, &token, "demoted to member", |v| !activity(v)).await;
    let auditor = f.custom_role(acc, "Auditor", false, true, false).await;
    exec(
        &app.db,
        &[format!(
            "UPDATE app_user SET custom_role_id = {auditor} WHERE id = {owner}"
        )],
    )
    .await;
    until_viewer(&router, &token, "given the auditor role", activity).await;
    exec(
        &app.db,
        &[format!(
            "UPDATE custom_role SET user_activity_reports = false WHERE id = {auditor}"
        )],
    )
    .await;
    until_viewer(&router, &token, "the role's grant withdrawn", |v| {
        !activity(v)
    })
    .await;
    exec(
        &app.db,
        &[format!(
            "UPDATE account SET plan = 'BASIC' WHERE id = {acc}"
        )],
    )
    .await;
    until_viewer(
        &router,
        &token,
        "the account on the basic plan",
        |(_, on)| !on,
    )
    .await;
}
