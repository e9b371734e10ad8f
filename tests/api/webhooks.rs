//! `POST /webhooks/zoom`: signatures, the URL-validation challenge, refusals, the event store
//! and dead letter, and the events applied to the reports, in order and shuffled. Every request
//! is signed for real, as the platform signs it.

use axum::{body::Body, http::Request, Router};
use chrono::Utc;
use entity::{app_user, ingest_event, meeting, sign_in_event};
use http_body_util::BodyExt;
use meeting_reports::{
    auth::Plan,
    build_app_with_webhooks,
    ingest::{
        accounts::{add_account, NewAccount},
        events::{replay_failed, Replayed},
        webhooks::{encrypted_token, signature, WebhookSecrets},
    },
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::common::{data, now, TestApp};

const SECRET: &str = "webhook-test-secret";
pub(crate) const ACME: &str = "acme-platform-id";
pub(crate) const OWNER: &str = "owner@acme.example";

fn router(app: &TestApp, secrets: &str) -> Router {
    build_app_with_webhooks(
        app.db.clone(),
        app.keys.clone(),
        app.settings.clone(),
        WebhookSecrets::parse(secrets),
    )
}

async fn answer(router: Router, req: Request<Body>) -> (u16, Value) {
    let response = router.oneshot(req).await.expect("router answers");
    let status = response.status().as_u16();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body reads")
        .to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&bytes)));
    (status, body)
}

fn request(body: impl Into<Body>, timestamp: &str, signature: Option<&str>) -> Request<Body> {
    let mut req = Request::post("/webhooks/zoom")
        .header("content-type", "application/json; charset=utf-8")
        .header("x-zm-request-timestamp", timestamp);
    if let Some(s) = signature {
        req = req.header("x-zm-signature", s);
    }
    req.body(body.into()).expect("request builds")
}

/// Signed with `secret` now, as the platform does.
fn signed(body: &str, secret: &str) -> Request<Body> {
    let ts = Utc::now().timestamp().to_string();
    let sig = signature(secret, &ts, body.as_bytes());
    request(body.to_owned(), &ts, Some(&sig))
}

pub(crate) async fn deliver(app: &TestApp, body: &Value) -> (u16, Value) {
    answer(router(app, SECRET), signed(&body.to_string(), SECRET)).await
}

pub(crate) async fn acme(app: &TestApp) {
    account(app, ACME, "Acme", OWNER).await;
}

/// A Business account with its owner.
pub(crate) async fn account(app: &TestApp, platform_id: &str, name: &str, owner: &str) {
    account_on(app, platform_id, name, owner, Plan::Business).await;
}

/// An account on `plan`, with its owner.
pub(crate) async fn account_on(
    app: &TestApp,
    platform_id: &str,
    name: &str,
    owner: &str,
    plan: Plan,
) {
    add_account(
        &app.db,
        &NewAccount {
            platform_id: platform_id.into(),
            name: name.into(),
            plan,
            time_zone: chrono_tz::UTC,
            owner_email: owner.into(),
            owner_name: None,
            billing_reports: false,
            webinar_addon: true,
        },
        now(),
    )
    .await
    .expect("account is added");
}

pub(crate) fn ms(rfc3339: &str) -> i64 {
    rfc3339
        .parse::<chrono::DateTime<Utc>>()
        .expect("RFC 3339")
        .timestamp_millis()
}

pub(crate) fn envelope(event: &str, at: &str, account: &str, object: Value) -> Value {
    json!({ "event": event, "event_ts": ms(at), "payload": { "account_id": account, "object": object } })
}

fn user_created(account: &str) -> Value {
    envelope(
        "user.created",
        "2026-11-01T08:00:00Z",
        account,
        json!({ "id": "HOST-1", "first_name": "Hanna", "last_name": "Host", "email": "hanna@acme.example", "type": 2 }),
    )
}

/// A meeting's life as the platform sends it: its host, its creation, one occurrence.
pub(crate) fn lifecycle(account: &str) -> Vec<Value> {
    let meeting = |extra: Value| {
        let mut o = json!({ "id": 81234567890i64, "uuid": "occ-1==", "host_id": "HOST-1", "topic": "Quarterly review", "type": 2, "start_time": "2026-11-10T09:00:00Z", "timezone": "UTC", "duration": 60 });
        if let (Some(o), Some(extra)) = (o.as_object_mut(), extra.as_object()) {
            o.extend(extra.clone());
        }
        o
    };
    vec![
        user_created(account),
        envelope(
            "meeting.created",
            "2026-11-02T08:00:00Z",
            account,
            meeting(json!({ "join_url": "https://example.invalid/j/1" })),
        ),
        envelope(
            "meeting.started",
            "2026-11-10T09:02:00Z",
            account,
            meeting(json!({ "id": "81234567890", "start_time": "2026-11-10T09:02:00Z" })),
        ),
        envelope(
            "meeting.ended",
            "2026-11-10T10:05:00Z",
            account,
            meeting(
                json!({ "id": "81234567890", "start_time": "2026-11-10T09:02:00Z", "end_time": "2026-11-10T10:05:00Z" }),
            ),
        ),
    ]
}

pub(crate) const MEETINGS: &str = r#"{ meetings(from: "2026-11-01", to: "2026-11-14") { totalCount nodes { topic meetingNumber host { email } sessions { uuid startTime endTime } } } }"#;

pub(crate) async fn statuses(app: &TestApp) -> Vec<(String, String)> {
    ingest_event::Entity::find()
        .all(&app.db)
        .await
        .expect("events read")
        .into_iter()
        .map(|e| (e.event, e.status))
        .collect()
}

#[test]
fn the_documented_vectors_are_reproduced() {
    assert_eq!(
        signature("secret", "1697204592920", br#"{"foo":"bar"}"#),
        "v0=f46042d159828f787589618793a3f535b54de02da06ea660545e46c8960b70bf"
    );
    assert_eq!(
        encrypted_token("secretValueTest", "qgg8vlvZRS6UYooatFL8Aw"),
        "70c1f2e2e6ca2d39297490d1f9142c7d701415ea8e6151f6562a08fa657a40ff"
    );
}

#[tokio::test]
async fn without_a_secret_the_endpoint_is_not_found() {
    let app = TestApp::new().await;
    let body = user_created(ACME).to_string();
    let (status, answer) = answer(app.router(), signed(&body, SECRET)).await;
    assert_eq!(status, 404);
    assert_eq!(answer["errors"][0]["extensions"]["code"], "NOT_FOUND");
}

#[tokio::test]
async fn a_wrong_secret_a_missing_signature_or_an_old_timestamp_is_refused_and_nothing_stored() {
    let app = TestApp::new().await;
    acme(&app).await;
    let body = user_created(ACME).to_string();
    let wrong = answer(router(&app, SECRET), signed(&body, "not the secret")).await;
    let ts = Utc::now().timestamp().to_string();
    let unsigned = answer(router(&app, SECRET), request(body.clone(), &ts, None)).await;
    let old = (Utc::now().timestamp() - 6 * 60).to_string();
    let stale_sig = signature(SECRET, &old, body.as_bytes());
    let stale = answer(
        router(&app, SECRET),
        request(body.clone(), &old, Some(&stale_sig)),
    )
    .await;
    let ahead = (Utc::now().timestamp() + 6 * 60).to_string();
    let ahead_sig = signature(SECRET, &ahead, body.as_bytes());
    let future = answer(
        router(&app, SECRET),
        request(body.clone(), &ahead, Some(&ahead_sig)),
    )
    .await;
    // Signed over another body than the one sent.
    let other_sig = signature(SECRET, &ts, b"{}");
    let tampered = answer(
        router(&app, SECRET),
        request(body.clone(), &ts, Some(&other_sig)),
    )
    .await;
    for (what, (status, answer)) in [
        ("wrong secret", wrong),
        ("no signature", unsigned),
        ("old timestamp", stale),
        ("timestamp ahead", future),
        ("other body", tampered),
    ] {
        assert_eq!(status, 401, "{what}");
        assert_eq!(
            answer["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{what}"
        );
    }
    assert!(statuses(&app).await.is_empty(), "nothing stored");
}

#[tokio::test]
async fn any_of_the_rotated_secrets_verifies() {
    let app = TestApp::new().await;
    acme(&app).await;
    let body = user_created(ACME).to_string();
    let (status, _) = answer(
        router(&app, "new-secret, old-secret"),
        signed(&body, "old-secret"),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_url_validation_challenge_is_answered_with_the_secret_that_signed_it() {
    let app = TestApp::new().await;
    let body = json!({"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680i64,"event":"endpoint.url_validation"}).to_string();
    let (status, answer) = answer(
        router(&app, "current,secretValueTest"),
        signed(&body, "secretValueTest"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        answer,
        json!({
            "plainToken": "qgg8vlvZRS6UYooatFL8Aw",
            "encryptedToken": "70c1f2e2e6ca2d39297490d1f9142c7d701415ea8e6151f6562a08fa657a40ff"
        })
    );
    assert!(
        statuses(&app).await.is_empty(),
        "a challenge is not an event"
    );
}

#[tokio::test]
async fn malformed_json_is_a_bad_request_and_an_oversized_body_too_large() {
    let app = TestApp::new().await;
    let (status, answer_) = answer(router(&app, SECRET), signed("{\"event\": ", SECRET)).await;
    assert_eq!(status, 400);
    assert_eq!(answer_["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");

    let big = format!(
        "{{\"event\":\"user.updated\",\"event_ts\":1,\"payload\":{{\"pad\":\"{}\"}}}}",
        "x".repeat(1024 * 1024 + 10)
    );
    let ts = Utc::now().timestamp().to_string();
    let sig = signature(SECRET, &ts, big.as_bytes());
    // With a content-length (refused before reading) and streamed without one.
    let mut with_length = request(big.clone(), &ts, Some(&sig));
    with_length
        .headers_mut()
        .insert("content-length", big.len().into());
    for req in [with_length, request(big.clone(), &ts, Some(&sig))] {
        let (status, answer) = answer(router(&app, SECRET), req).await;
        assert_eq!(status, 413);
        assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        let text = answer.to_string();
        assert!(!text.contains("length limit"), "{text}");
    }
    assert!(statuses(&app).await.is_empty());
}

#[tokio::test]
async fn a_duplicate_delivery_is_stored_once_and_applied_once() {
    let app = TestApp::new().await;
    acme(&app).await;
    let sign_in = envelope(
        "user.signed_in",
        "2026-11-05T08:00:00Z",
        ACME,
        json!({ "id": "HOST-1", "client_type": "mac", "date_time": "2026-11-05T08:00:00Z", "email": "hanna@acme.example", "version": "6.2.0", "login_type": 100 }),
    );
    let (first, a) = deliver(&app, &sign_in).await;
    assert_eq!((first, &a["duplicate"]), (200, &json!(false)));
    // The same event re-serialised (other spacing and key order) is the same event.
    let pretty = serde_json::to_string_pretty(&sign_in).expect("serialises");
    let (second, b) = answer(router(&app, SECRET), signed(&pretty, SECRET)).await;
    assert_eq!((second, &b["duplicate"]), (200, &json!(true)));
    let (third, _) = deliver(&app, &sign_in).await;
    assert_eq!(third, 200);
    assert_eq!(statuses(&app).await.len(), 1);
    assert_eq!(
        sign_in_event::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        1
    );
}

#[tokio::test]
async fn an_unknown_account_is_kept_failed_then_applied_by_replay_after_account_add() {
    let app = TestApp::new().await;
    for event in lifecycle("later-account") {
        let (status, _) = deliver(&app, &event).await;
        assert_eq!(
            status, 200,
            "kept, answered 200 so the platform does not retry"
        );
    }
    let stored = ingest_event::Entity::find()
        .all(&app.db)
        .await
        .expect("read");
    assert_eq!(stored.len(), 4);
    assert!(stored
        .iter()
        .all(|e| e.status == "FAILED" && e.account_id.is_none()));
    assert!(stored[0]
        .reason
        .as_deref()
        .is_some_and(|r| r.contains("later-account")));
    assert_eq!(
        meeting::Entity::find().count(&app.db).await.expect("count"),
        0
    );

    account(&app, "later-account", "Later", "boss@later.example").await;
    let replayed = replay_failed(&app.db, Utc::now()).await.expect("replays");
    assert_eq!(
        replayed,
        Replayed {
            applied: 4,
            still_failed: 0
        }
    );
    let again = replay_failed(&app.db, Utc::now()).await.expect("replays");
    assert_eq!(again, Replayed::default(), "nothing left to replay");
    let answer = app.query_as("boss@later.example", MEETINGS).await;
    let meetings = &data(&answer)["meetings"];
    assert_eq!(meetings["totalCount"], 1);
    assert_eq!(meetings["nodes"][0]["host"]["email"], "hanna@acme.example");
}

#[tokio::test]
async fn unknown_types_are_kept_failed_with_their_reason() {
    let app = TestApp::new().await;
    acme(&app).await;
    let unknown = envelope(
        "meeting.teleported",
        "2026-11-10T09:04:00Z",
        ACME,
        json!({ "id": 1 }),
    );
    // A platform event this version does not apply (phone legs come as our own type).
    let phone = envelope(
        "phone.caller_ended",
        "2026-11-10T09:05:00Z",
        ACME,
        json!({ "call_id": "c-1" }),
    );
    assert_eq!(deliver(&app, &unknown).await.0, 200);
    assert_eq!(deliver(&app, &phone).await.0, 200);
    let stored = ingest_event::Entity::find()
        .all(&app.db)
        .await
        .expect("read");
    assert_eq!(stored.len(), 2);
    for event in &stored {
        assert_eq!(event.status, "FAILED");
        let why = event.reason.clone().unwrap_or_default();
        assert!(why.contains("unknown event type"), "{why}");
    }
    // A replay keeps them failed, and says so.
    let replayed = replay_failed(&app.db, Utc::now()).await.expect("replays");
    assert_eq!(
        replayed,
        Replayed {
            applied: 0,
            still_failed: 2
        }
    );
}

async fn meetings_after(order: &[usize]) -> Value {
    let app = TestApp::new().await;
    acme(&app).await;
    let events = lifecycle(ACME);
    for i in order {
        let (status, answer) = deliver(&app, &events[*i]).await;
        assert_eq!(status, 200, "{answer}");
    }
    let applied = statuses(&app).await;
    assert!(
        applied.iter().all(|(_, s)| s == "APPLIED"),
        "{order:?}: {applied:?}"
    );
    data(&app.query_as(OWNER, MEETINGS).await)["meetings"].clone()
}

#[tokio::test]
async fn a_meeting_lifecycle_gives_the_same_report_in_order_and_shuffled() {
    let in_order = meetings_after(&[0, 1, 2, 3]).await;
    assert_eq!(
        in_order,
        json!({ "totalCount": 1, "nodes": [{
            "topic": "Quarterly review",
            "meetingNumber": "81234567890",
            "host": { "email": "hanna@acme.example" },
            "sessions": [{ "uuid": "occ-1==", "startTime": "2026-11-10T09:02:00+00:00", "endTime": "2026-11-10T10:05:00+00:00" }]
        }]})
    );
    for order in [[3, 2, 1, 0], [2, 3, 0, 1], [1, 3, 0, 2], [3, 0, 2, 1]] {
        assert_eq!(meetings_after(&order).await, in_order, "{order:?}");
    }
}

#[tokio::test]
async fn updates_and_deletions_apply_in_event_time_order_whatever_the_arrival_order() {
    let app = TestApp::new().await;
    acme(&app).await;
    let mut events = lifecycle(ACME);
    let renamed = envelope(
        "meeting.updated",
        "2026-11-03T08:00:00Z",
        ACME,
        json!({ "id": 81234567890i64, "topic": "Quarterly review (moved)" }),
    );
    let older = envelope(
        "meeting.updated",
        "2026-11-02T09:00:00Z",
        ACME,
        json!({ "id": 81234567890i64, "topic": "An older name" }),
    );
    events.insert(0, renamed);
    events.insert(0, older);
    for e in &events {
        assert_eq!(deliver(&app, e).await.0, 200);
    }
    let meetings = data(&app.query_as(OWNER, MEETINGS).await)["meetings"].clone();
    assert_eq!(meetings["nodes"][0]["topic"], "Quarterly review (moved)");
    let deleted = envelope(
        "meeting.deleted",
        "2026-11-12T08:00:00Z",
        ACME,
        json!({ "id": 81234567890i64, "uuid": "occ-1==", "host_id": "HOST-1", "topic": "Quarterly review (moved)" }),
    );
    assert_eq!(deliver(&app, &deleted).await.0, 200);
    let row = meeting::Entity::find()
        .one(&app.db)
        .await
        .expect("read")
        .expect("the meeting");
    assert_eq!(
        row.deleted_at.map(|t| t.timestamp_millis()),
        Some(ms("2026-11-12T08:00:00Z"))
    );
    assert_eq!(row.meeting_type, "SCHEDULED");
    assert_eq!(row.kind, "MEETING");
}

#[tokio::test]
async fn a_user_updated_before_created_and_then_deleted_keeps_their_history() {
    let app = TestApp::new().await;
    acme(&app).await;
    let updated = envelope(
        "user.updated",
        "2026-11-02T08:00:00Z",
        ACME,
        json!({ "id": "HOST-1", "last_name": "Hostmann" }),
    );
    assert_eq!(deliver(&app, &updated).await.0, 200);
    assert_eq!(deliver(&app, &user_created(ACME)).await.0, 200);
    let user = app_user::Entity::find()
        .filter(app_user::Column::SourceId.eq("HOST-1"))
        .one(&app.db)
        .await
        .expect("read")
        .expect("the user");
    assert_eq!(
        (
            user.email.as_str(),
            user.first_name.as_str(),
            user.last_name.as_str(),
            user.user_type.as_str()
        ),
        ("hanna@acme.example", "Hanna", "Hostmann", "LICENSED")
    );
    for e in lifecycle(ACME).into_iter().skip(1) {
        assert_eq!(deliver(&app, &e).await.0, 200);
    }
    let deleted = envelope(
        "user.deleted",
        "2026-11-13T08:00:00Z",
        ACME,
        json!({ "id": "HOST-1", "first_name": "Hanna", "last_name": "Hostmann", "email": "hanna@acme.example", "type": 2 }),
    );
    assert_eq!(deliver(&app, &deleted).await.0, 200);
    let user = app_user::Entity::find_by_id(user.id)
        .one(&app.db)
        .await
        .expect("read")
        .expect("the user stays");
    assert!(user.deactivated_at.is_some());
    let meetings = data(&app.query_as(OWNER, MEETINGS).await)["meetings"].clone();
    assert_eq!(
        meetings["totalCount"], 1,
        "their meetings stay in the reports"
    );
}

#[tokio::test]
async fn a_sign_in_is_in_the_sign_in_report() {
    let app = TestApp::new().await;
    acme(&app).await;
    assert_eq!(deliver(&app, &user_created(ACME)).await.0, 200);
    let sign_in = envelope(
        "user.signed_in",
        "2026-11-05T08:00:00Z",
        ACME,
        json!({ "id": "HOST-1", "client_type": "mac", "date_time": "2026-11-05T08:00:00Z", "email": "hanna@acme.example", "version": "6.2.0", "login_type": 100 }),
    );
    let sign_out = envelope(
        "user.signed_out",
        "2026-11-05T17:00:00Z",
        ACME,
        json!({ "id": "HOST-1", "client_type": "mac", "date_time": "2026-11-05T17:00:00Z", "email": "hanna@acme.example", "version": "6.2.0", "login_type": 100 }),
    );
    assert_eq!(deliver(&app, &sign_out).await.0, 200);
    assert_eq!(deliver(&app, &sign_in).await.0, 200);
    let answer = app
        .query_as(
            OWNER,
            r#"{ signInActivity(from: "2026-11-01", to: "2026-11-14") { totalCount nodes { time type clientType version ipAddress user { email } } } }"#,
        )
        .await;
    let activity = &data(&answer)["signInActivity"];
    assert_eq!(activity["totalCount"], 2);
    let nodes = activity["nodes"].as_array().expect("nodes");
    assert!(nodes.contains(&json!({ "time": "2026-11-05T08:00:00+00:00", "type": "SIGN_IN", "clientType": "mac", "version": "6.2.0", "ipAddress": "", "user": { "email": "hanna@acme.example" } })), "{activity}");
    let user = app_user::Entity::find()
        .filter(app_user::Column::SourceId.eq("HOST-1"))
        .one(&app.db)
        .await
        .expect("read")
        .expect("the user");
    assert_eq!(user.last_client_version.as_deref(), Some("6.2.0"));
}

#[tokio::test]
async fn an_event_of_one_account_never_writes_to_another() {
    let app = TestApp::new().await;
    acme(&app).await;
    account(&app, "other-platform-id", "Other", "owner@other.example").await;
    for e in lifecycle("other-platform-id") {
        assert_eq!(deliver(&app, &e).await.0, 200);
    }
    let acme_view = data(&app.query_as(OWNER, MEETINGS).await)["meetings"].clone();
    assert_eq!(acme_view["totalCount"], 0);
    let other_view = data(&app.query_as("owner@other.example", MEETINGS).await)["meetings"].clone();
    assert_eq!(other_view["totalCount"], 1);
    // The same platform ids in a second account are a second meeting, not an overwrite.
    for e in lifecycle(ACME).into_iter().skip(1) {
        assert_eq!(deliver(&app, &e).await.0, 200);
    }
    assert_eq!(
        meeting::Entity::find().count(&app.db).await.expect("count"),
        2
    );
    let acme_view = data(&app.query_as(OWNER, MEETINGS).await)["meetings"].clone();
    assert_eq!(acme_view["totalCount"], 1);
    let other_view = data(&app.query_as("owner@other.example", MEETINGS).await)["meetings"].clone();
    assert_eq!(
        other_view["nodes"][0]["host"]["email"],
        "hanna@acme.example"
    );
}

/// `events list` and `events replay` on a database file, after an event of an account added
/// later.
#[tokio::test]
async fn the_events_commands_list_and_replay_on_a_database_file() {
    use clap::Parser;
    use meeting_reports::config::Cli;
    use std::process::ExitCode;

    let dir = std::env::temp_dir().join(format!("mr-events-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("events.db");
    let _ = std::fs::remove_file(&file);
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let db = meeting_reports::db::connect(&url).await.unwrap();
    let event = user_created("cli-account");
    let body = event.to_string();
    let envelope = meeting_reports::ingest::webhooks::Envelope::parse(body.as_bytes()).unwrap();
    meeting_reports::ingest::events::ingest(&db, &envelope, &body, Utc::now())
        .await
        .unwrap();
    let run = |args: &[&str]| {
        let mut argv = vec!["meeting-reports", "--database-url", url.as_str()];
        argv.extend_from_slice(args);
        meeting_reports::cli::run(Cli::parse_from(argv))
    };
    assert_eq!(
        run(&["events", "list", "--status", "failed", "--limit", "5"]).await,
        ExitCode::SUCCESS
    );
    let add = [
        "account",
        "add",
        "--platform-id",
        "cli-account",
        "--name",
        "Cli Co",
        "--plan",
        "PRO",
        "--time-zone",
        "UTC",
        "--owner-email",
        "owner@cli-events.example",
    ];
    assert_eq!(run(&add).await, ExitCode::SUCCESS);
    assert_eq!(run(&["events", "replay"]).await, ExitCode::SUCCESS);
    assert_eq!(run(&["events", "replay"]).await, ExitCode::SUCCESS);
    assert_eq!(run(&["events", "list"]).await, ExitCode::SUCCESS);
    let stored = ingest_event::Entity::find().all(&db).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].status, "APPLIED");
    assert!(stored[0].account_id.is_some());
    let user = app_user::Entity::find()
        .filter(app_user::Column::SourceId.eq("HOST-1"))
        .one(&db)
        .await
        .unwrap()
        .expect("the replayed user");
    assert_eq!(user.email, "hanna@acme.example");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_webinar_lifecycle_lands_in_the_webinar_report_not_the_meeting_report() {
    let app = TestApp::new().await;
    acme(&app).await;
    let mut events = lifecycle(ACME);
    for e in events.iter_mut().skip(1) {
        let name = e["event"].as_str().unwrap().replace("meeting.", "webinar.");
        e["event"] = json!(name);
        e["payload"]["object"]["type"] = json!(5);
    }
    events.reverse();
    for e in &events {
        assert_eq!(deliver(&app, e).await.0, 200);
    }
    let webinars = app
        .query_as(
            OWNER,
            r#"{ webinars(from: "2026-11-01", to: "2026-11-14") { totalCount nodes { topic host { email } sessions { startTime endTime } } } }"#,
        )
        .await;
    assert_eq!(
        data(&webinars)["webinars"],
        json!({ "totalCount": 1, "nodes": [{
            "topic": "Quarterly review",
            "host": { "email": "hanna@acme.example" },
            "sessions": [{ "startTime": "2026-11-10T09:02:00+00:00", "endTime": "2026-11-10T10:05:00+00:00" }]
        }]})
    );
    let meetings = data(&app.query_as(OWNER, MEETINGS).await)["meetings"].clone();
    assert_eq!(meetings["totalCount"], 0);
}

#[tokio::test]
async fn a_meeting_never_announced_and_a_user_never_described_come_from_their_first_events() {
    let app = TestApp::new().await;
    acme(&app).await;
    // Only the session's events: no user.created, no meeting.created.
    for e in lifecycle(ACME).into_iter().skip(2) {
        assert_eq!(deliver(&app, &e).await.0, 200);
    }
    let meetings = data(&app.query_as(OWNER, MEETINGS).await)["meetings"].clone();
    assert_eq!(meetings["totalCount"], 1);
    assert_eq!(meetings["nodes"][0]["topic"], "Quarterly review");
    let host = meetings["nodes"][0]["host"]["email"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(host.ends_with("@placeholder.invalid"), "{host}");
    // The host's own event completes the placeholder, found again by the platform id.
    assert_eq!(deliver(&app, &user_created(ACME)).await.0, 200);
    let meetings = data(&app.query_as(OWNER, MEETINGS).await)["meetings"].clone();
    assert_eq!(meetings["nodes"][0]["host"]["email"], "hanna@acme.example");
    assert_eq!(
        app_user::Entity::find()
            .filter(app_user::Column::SourceId.eq("HOST-1"))
            .count(&app.db)
            .await
            .unwrap(),
        1
    );
    // A sign-in of an unknown user creates them with the sign-in's email.
    let sign_in = envelope(
        "user.signed_in",
        "2026-11-05T08:00:00Z",
        ACME,
        json!({ "id": "NEW-9", "client_type": "win", "date_time": "2026-11-05T08:00:00Z", "email": "Newbie@acme.example", "version": "6.3.1" }),
    );
    assert_eq!(deliver(&app, &sign_in).await.0, 200);
    let newbie = app_user::Entity::find()
        .filter(app_user::Column::SourceId.eq("NEW-9"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("created by the sign-in");
    assert_eq!(newbie.email, "newbie@acme.example");
}

#[tokio::test]
async fn an_event_refused_half_way_writes_nothing_and_is_kept_with_its_reason() {
    let app = TestApp::new().await;
    acme(&app).await;
    account(&app, "other-platform-id", "Other", "owner@other.example").await;
    // Acme's platform says its user has the other account's owner's email.
    let clash = envelope(
        "user.created",
        "2026-11-01T08:00:00Z",
        ACME,
        json!({ "id": "CLASH-1", "first_name": "C", "last_name": "L", "email": "owner@other.example", "type": 1 }),
    );
    assert_eq!(deliver(&app, &clash).await.0, 200);
    let stored = ingest_event::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, "FAILED");
    assert!(
        stored
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("another account")),
        "{:?}",
        stored.reason
    );
    assert_eq!(
        app_user::Entity::find()
            .filter(app_user::Column::SourceId.eq("CLASH-1"))
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
    let other_owner = app_user::Entity::find()
        .filter(app_user::Column::Email.eq("owner@other.example"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        other_owner.source_id, None,
        "the other account's user is untouched"
    );
    // Refused after its host was written: the host goes with it (the savepoint rolls back).
    let bad_number = envelope(
        "meeting.created",
        "2026-11-02T08:00:00Z",
        ACME,
        json!({ "id": "not-a-number", "host_id": "HOST-Z", "topic": "T", "type": 2 }),
    );
    assert_eq!(deliver(&app, &bad_number).await.0, 200);
    let failed = ingest_event::Entity::find()
        .filter(ingest_event::Column::Event.eq("meeting.created"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(failed.status, "FAILED");
    assert_eq!(
        app_user::Entity::find()
            .filter(app_user::Column::SourceId.eq("HOST-Z"))
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
    assert_eq!(meeting::Entity::find().count(&app.db).await.unwrap(), 0);
}

#[tokio::test]
async fn concurrent_deliveries_are_committed_together_each_once() {
    let app = TestApp::new().await;
    acme(&app).await;
    // One router, so every delivery goes through the same writer queue, as on a server.
    let router = router(&app, SECRET);
    let sign_in = |i: usize| {
        envelope(
            "user.signed_in",
            "2026-11-10T09:00:00Z",
            ACME,
            json!({ "id": format!("U-{}", i % 8), "email": format!("u{}@acme.example", i % 8),
                "client_type": "mac", "version": "6.2.0", "date_time": format!("2026-11-10T09:{:02}:00Z", i % 60) }),
        )
        .to_string()
    };
    // 60 distinct sign-ins, each delivered twice, all at once.
    let deliveries = (0..120).map(|i| {
        let router = router.clone();
        let body = sign_in(i % 60);
        async move { answer(router, signed(&body, SECRET)).await }
    });
    let handles: Vec<_> = deliveries.map(tokio::spawn).collect();
    let mut answers = Vec::new();
    for handle in handles {
        answers.push(handle.await.expect("a delivery task"));
    }
    assert!(
        answers.iter().all(|(status, _)| *status == 200),
        "{answers:?}"
    );
    let duplicates = answers
        .iter()
        .filter(|(_, body)| body["duplicate"] == true)
        .count();
    assert_eq!(duplicates, 60);
    assert_eq!(
        sign_in_event::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        60
    );
    assert_eq!(
        ingest_event::Entity::find()
            .filter(ingest_event::Column::Status.eq("APPLIED"))
            .count(&app.db)
            .await
            .expect("count"),
        60
    );
}
