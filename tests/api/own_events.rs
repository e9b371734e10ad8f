//! Our own event types (`gateway.*`, `EVENTS.md`): each type, sent signed to `POST
//! /webhooks/zoom` as the platform's events are, gives the report figures worked out by hand
//! here; a retried delivery changes nothing; an older version that arrives after a newer one
//! leaves the newer in place; the same ids in another account are another account's objects;
//! a malformed event is kept FAILED with a reason naming its field. The examples of `EVENTS.md`
//! are read from the file, imported and applied.

use axum::{body::Body, http::Request};
use chrono::{DateTime, Utc};
use entity::{department, ingest_event, meeting, meeting_session, poll_response};
use http_body_util::BodyExt;
use meeting_reports::{
    auth::Plan,
    build_app_with_webhooks,
    ingest::{
        accounts::{add_account, set_account, AccountChanges, NewAccount},
        import::import,
        webhooks::{signature, WebhookSecrets},
    },
};
use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::common::{data, error_codes, now, TestApp};

const SECRET: &str = "own-events-secret";
const ACME: &str = "acme-own";
const OWNER: &str = "owner@acme.example";
const OTHER: &str = "other-own";
const OTHER_OWNER: &str = "owner@other.example";

/// Acme and Other, both BUSINESS in UTC with billing reports, the webinar add-on and a phone
/// plan (so every report can show what the events bring).
async fn accounts(app: &TestApp) {
    for (platform_id, name, owner) in [(ACME, "Acme", OWNER), (OTHER, "Other", OTHER_OWNER)] {
        add_account(
            &app.db,
            &NewAccount {
                platform_id: platform_id.into(),
                name: name.into(),
                plan: Plan::Business,
                time_zone: chrono_tz::UTC,
                owner_email: owner.into(),
                owner_name: None,
                billing_reports: true,
                webinar_addon: true,
            },
            now(),
        )
        .await
        .expect("account is added");
        set_account(
            &app.db,
            platform_id,
            &AccountChanges {
                phone_plan: Some(Some("Business".into())),
                cloud_storage_allowance_bytes: Some(1_000),
                ..AccountChanges::default()
            },
        )
        .await
        .expect("account is set");
    }
}

fn ms(rfc3339: &str) -> i64 {
    rfc3339
        .parse::<DateTime<Utc>>()
        .expect("RFC 3339")
        .timestamp_millis()
}

fn envelope(event: &str, at: &str, account: &str, object: Value) -> Value {
    json!({ "event": event, "event_ts": ms(at), "payload": { "account_id": account, "object": object } })
}

/// Signed now with the secret, as the platform signs; the answer's status.
async fn deliver(app: &TestApp, body: &Value) -> u16 {
    let body = body.to_string();
    let ts = Utc::now().timestamp().to_string();
    let sig = signature(SECRET, &ts, body.as_bytes());
    let req = Request::post("/webhooks/zoom")
        .header("content-type", "application/json; charset=utf-8")
        .header("x-zm-request-timestamp", &ts)
        .header("x-zm-signature", sig)
        .body(Body::from(body))
        .expect("request builds");
    let router = build_app_with_webhooks(
        app.db.clone(),
        app.keys.clone(),
        app.settings.clone(),
        WebhookSecrets::parse(SECRET),
    );
    let response = router.oneshot(req).await.expect("router answers");
    let status = response.status().as_u16();
    let _ = response.into_body().collect().await;
    status
}

/// Delivers each, asserting the platform would be answered 200.
async fn deliver_all(app: &TestApp, events: &[&Value]) {
    for event in events {
        assert_eq!(deliver(app, event).await, 200, "{event}");
    }
}

/// (event, status, reason) of every stored event, in arrival order.
async fn stored(app: &TestApp) -> Vec<(String, String, String)> {
    ingest_event::Entity::find()
        .order_by_asc(ingest_event::Column::Id)
        .all(&app.db)
        .await
        .expect("events read")
        .into_iter()
        .map(|e| (e.event, e.status, e.reason.unwrap_or_default()))
        .collect()
}

fn with(mut base: Value, key: &str, value: Value) -> Value {
    base[key] = value;
    base
}

/// The webinar's meeting fields, as the platform's webinar events carry them.
fn webinar() -> Value {
    json!({ "id": 82000000001i64, "uuid": "web-occ-1==", "host_id": "HOST-1", "topic": "Launch webinar",
            "type": 5, "start_time": "2026-11-10T15:00:00Z", "timezone": "UTC", "duration": 60 })
}

/// A meeting's: its number as a string, as in started / ended events.
fn meeting() -> Value {
    json!({ "id": "81000000002", "uuid": "mtg-occ-1==", "host_id": "HOST-1", "topic": "Team sync",
            "type": 2, "start_time": "2026-11-12T09:00:00Z" })
}

fn user_created(account: &str, id: &str, email: &str) -> Value {
    envelope(
        "user.created",
        "2026-11-01T08:00:00Z",
        account,
        json!({ "id": id, "first_name": "Hanna", "last_name": "Host", "email": email, "type": 2 }),
    )
}

/// Joins of the webinar's occurrence, delivered as the platform delivers them
/// (`webinar.participant_joined` then `_left`): (per-join id, name, email, role), each in from
/// 15:00 to 16:00. Delivered before the events that name them, so the appliers of those find
/// the join rows already written.
async fn joins(app: &TestApp, account: &str, rows: &[(&str, &str, Option<&str>, &str)]) {
    for (join_id, name, email, role) in rows {
        let mut person = json!({ "user_id": join_id, "user_name": name, "role": role });
        if let Some(email) = email {
            person["email"] = json!(email);
        }
        for (event, field, at) in [
            (
                "webinar.participant_joined",
                "join_time",
                "2026-11-10T15:00:00Z",
            ),
            (
                "webinar.participant_left",
                "leave_time",
                "2026-11-10T16:00:00Z",
            ),
        ] {
            let mut participant = person.clone();
            participant[field] = json!(at);
            let body = envelope(
                event,
                at,
                account,
                with(webinar(), "participant", participant),
            );
            assert_eq!(deliver(app, &body).await, 200, "{body}");
        }
    }
}

// ---- polls ----------------------------------------------------------------------------------

const WEBINAR_POLLS: &str = r#"{ webinars(from: "2026-11-01", to: "2026-11-14") { totalCount nodes {
    topic sessions { uuid }
    polls { title anonymous launchedAt questions { text type
        responses { totalCount nodes { respondentName respondentEmail answer answeredAt } } } }
    performance { uniqueAttendees pollsLaunched pollRespondents pollParticipationRate } } } }"#;

/// Feedback (launched 15:20): "How was it?" answered by Ann (by her per-join id), Bob (by email
/// only) and Eve (who never joined); "Topics?" by Ann with two choices. Quiz (anonymous,
/// launched 15:40): Cy (per-join id). Draft: never launched.
fn polls(version: &str) -> [Value; 3] {
    let feedback_answers = if version == "old" {
        json!([{ "participant": { "user_id": "J1" }, "name": "Ann", "email": "ann@guest.example", "answer": "Poor", "date_time": "2026-11-10T15:21:00Z" }])
    } else {
        json!([
            { "participant": { "user_id": "J1" }, "name": "Ann", "email": "ann@guest.example", "answer": "Good", "date_time": "2026-11-10T15:21:00Z" },
            { "name": "Bob", "email": "Bob@Guest.example", "answer": "Fair", "date_time": "2026-11-10T15:22:00Z" },
            { "name": "Eve", "email": "eve@guest.example", "answer": "Good", "date_time": "2026-11-10T15:23:00Z" }
        ])
    };
    let at = if version == "old" {
        "2026-11-10T15:30:00Z"
    } else {
        "2026-11-10T15:50:00Z"
    };
    [
        envelope(
            "gateway.poll_results",
            at,
            ACME,
            with(
                webinar(),
                "poll",
                json!({ "id": "P-FEEDBACK", "title": "Feedback", "anonymous": false, "launched_at": "2026-11-10T15:20:00Z",
                    "questions": [
                        { "id": "Q1", "question": "How was it?", "type": "single", "responses": feedback_answers },
                        { "id": "Q2", "question": "Topics?", "type": "multiple", "responses": [
                            { "participant": { "user_id": "J1" }, "name": "Ann", "answer": ["Pricing", "Roadmap"], "date_time": "2026-11-10T15:24:00Z" }
                        ] }
                    ] }),
            ),
        ),
        envelope(
            "gateway.poll_results",
            "2026-11-10T15:50:00Z",
            ACME,
            with(
                webinar(),
                "poll",
                json!({ "id": "P-QUIZ", "title": "Quiz", "anonymous": "true", "launched_at": "2026-11-10T15:40:00Z",
                    "questions": [{ "question": "2 + 2?", "type": "short_answer", "responses": [
                        { "participant": { "user_id": "J3" }, "name": "Cy", "answer": 4, "date_time": "2026-11-10T15:41:00Z" }
                    ] }] }),
            ),
        ),
        envelope(
            "gateway.poll_results",
            "2026-11-10T15:50:00Z",
            ACME,
            with(
                webinar(),
                "poll",
                json!({ "id": "P-DRAFT", "title": "Draft", "questions": [{ "question": "Unused?" }] }),
            ),
        ),
    ]
}

#[tokio::test]
async fn poll_results_give_the_poll_report_and_the_webinars_poll_performance() {
    let app = TestApp::new().await;
    accounts(&app).await;
    deliver_all(
        &app,
        &[
            &user_created(ACME, "HOST-1", "hanna@acme.example"),
            &envelope("webinar.started", "2026-11-10T15:00:00Z", ACME, webinar()),
        ],
    )
    .await;
    joins(
        &app,
        ACME,
        &[
            ("H", "Hanna", Some("hanna@acme.example"), "HOST"),
            ("J1", "Ann", Some("ann@guest.example"), "ATTENDEE"),
            ("J2", "Bob", Some("bob@guest.example"), "ATTENDEE"),
            ("J3", "Cy", None, "ATTENDEE"),
            ("J4", "Dee", Some("dee@guest.example"), "ATTENDEE"),
        ],
    )
    .await;
    let [feedback, quiz, draft] = polls("new");
    let [old_feedback, _, _] = polls("old");
    // The newer version of Feedback, then the older one, then the newer again (a retry).
    deliver_all(&app, &[&feedback, &quiz, &draft, &old_feedback, &feedback]).await;
    let applied = stored(&app).await;
    // The user, the start, five joins and their leaves, four polls: the retry is stored once.
    assert_eq!(applied.len(), 16, "the retry is stored once: {applied:?}");
    assert!(
        applied.iter().all(|(_, s, _)| s == "APPLIED"),
        "{applied:?}"
    );

    let answer = app.query_as(OWNER, WEBINAR_POLLS).await;
    let webinars = &data(&answer)["webinars"];
    assert_eq!(webinars["totalCount"], 1);
    let webinar = &webinars["nodes"][0];
    assert_eq!(webinar["sessions"], json!([{ "uuid": "web-occ-1==" }]));
    let response = |name: Value, email: Value, answer: &str, at: &str| json!({ "respondentName": name, "respondentEmail": email, "answer": answer, "answeredAt": at });
    assert_eq!(
        webinar["polls"],
        json!([
            { "title": "Feedback", "anonymous": false, "launchedAt": "2026-11-10T15:20:00+00:00", "questions": [
                { "text": "How was it?", "type": "SINGLE_CHOICE", "responses": { "totalCount": 3, "nodes": [
                    response(json!("Ann"), json!("ann@guest.example"), "Good", "2026-11-10T15:21:00+00:00"),
                    response(json!("Bob"), json!("bob@guest.example"), "Fair", "2026-11-10T15:22:00+00:00"),
                    response(json!("Eve"), json!("eve@guest.example"), "Good", "2026-11-10T15:23:00+00:00")
                ] } },
                { "text": "Topics?", "type": "MULTIPLE_CHOICE", "responses": { "totalCount": 1, "nodes": [
                    response(json!("Ann"), Value::Null, "Pricing;Roadmap", "2026-11-10T15:24:00+00:00")
                ] } }
            ] },
            { "title": "Quiz", "anonymous": true, "launchedAt": "2026-11-10T15:40:00+00:00", "questions": [
                { "text": "2 + 2?", "type": "SHORT_ANSWER", "responses": { "totalCount": 1, "nodes": [
                    response(Value::Null, Value::Null, "4", "2026-11-10T15:41:00+00:00")
                ] } }
            ] },
            { "title": "Draft", "anonymous": false, "launchedAt": null, "questions": [
                { "text": "Unused?", "type": null, "responses": { "totalCount": 0, "nodes": [] } }
            ] }
        ])
    );
    // Attendees Ann, Bob, Cy, Dee (the host is not one); respondents Ann (per-join id), Bob
    // (email) and Cy (anonymous, per-join id); Eve answered but never joined. 3 / 4.
    assert_eq!(
        webinar["performance"],
        json!({ "uniqueAttendees": 4, "pollsLaunched": 2, "pollRespondents": 3, "pollParticipationRate": 0.75 })
    );

    // The same poll ids in Other are Other's: Acme's report is unchanged, Other sees only its own.
    let mut theirs = feedback.clone();
    theirs["payload"]["account_id"] = json!(OTHER);
    theirs["payload"]["object"]["host_id"] = json!("OTHER-HOST");
    theirs["payload"]["object"]["poll"]["title"] = json!("Their feedback");
    deliver_all(&app, &[&theirs]).await;
    let again = app.query_as(OWNER, WEBINAR_POLLS).await;
    assert_eq!(data(&again), data(&answer));
    let other = app.query_as(OTHER_OWNER, WEBINAR_POLLS).await;
    let nodes = &data(&other)["webinars"]["nodes"];
    assert_eq!(nodes.as_array().unwrap().len(), 1);
    assert_eq!(nodes[0]["polls"][0]["title"], "Their feedback");
    assert_eq!(
        nodes[0]["performance"]["pollRespondents"], 0,
        "Acme's join rows answer nothing of Other's"
    );
}

/// A poll sent without `uuid` is the meeting's definition of it: shown until the results of
/// that poll arrive from an occurrence, and not after, whichever of the two arrives first; a
/// definition of a meeting never announced creates it.
#[tokio::test]
async fn a_poll_defined_for_the_meeting_gives_way_to_its_results_in_either_order() {
    let definition = |poll: &str, title: &str| {
        let mut fields = webinar();
        fields.as_object_mut().expect("an object").remove("uuid");
        envelope(
            "gateway.poll_results",
            "2026-11-09T10:00:00Z",
            ACME,
            with(
                fields,
                "poll",
                json!({ "id": poll, "title": title, "questions": [{ "question": "Prepared?", "type": "single" }] }),
            ),
        )
    };
    let [results, _, _] = polls("new");
    let mut answers = Vec::new();
    for results_first in [false, true] {
        let app = TestApp::new().await;
        accounts(&app).await;
        // Both definitions before the webinar was announced: it is created from them.
        let (draft, later) = (
            definition("P-FEEDBACK", "Feedback (draft)"),
            definition("P-LATER", "Later"),
        );
        deliver_all(&app, &[&user_created(ACME, "HOST-1", "hanna@acme.example")]).await;
        if results_first {
            deliver_all(
                &app,
                &[
                    &envelope("webinar.started", "2026-11-10T15:00:00Z", ACME, webinar()),
                    &results,
                    &draft,
                    &later,
                ],
            )
            .await;
        } else {
            deliver_all(
                &app,
                &[
                    &draft,
                    &later,
                    &envelope("webinar.started", "2026-11-10T15:00:00Z", ACME, webinar()),
                    &results,
                ],
            )
            .await;
        }
        assert!(stored(&app).await.iter().all(|(_, s, _)| s == "APPLIED"));
        let answer = app.query_as(OWNER, WEBINAR_POLLS).await;
        let webinar = &data(&answer)["webinars"]["nodes"][0];
        let mut polls: Vec<(String, Value)> = webinar["polls"]
            .as_array()
            .expect("polls")
            .iter()
            .map(|p| {
                (
                    p["title"].as_str().unwrap_or_default().to_owned(),
                    p["launchedAt"].clone(),
                )
            })
            .collect();
        polls.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            polls,
            [
                ("Feedback".to_owned(), json!("2026-11-10T15:20:00+00:00")),
                ("Later".to_owned(), Value::Null)
            ],
            "results first: {results_first}"
        );
        assert_eq!(webinar["performance"]["pollsLaunched"], 1);
        answers.push(webinar["polls"].as_array().map(Vec::len));
    }
    assert_eq!(answers[0], answers[1]);
}

#[tokio::test]
async fn a_poll_result_before_its_webinar_was_announced_creates_it_and_the_webinars_events_complete_it(
) {
    let app = TestApp::new().await;
    accounts(&app).await;
    let [feedback, _, _] = polls("new");
    deliver_all(&app, &[&feedback]).await;
    let created = meeting::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(created.len(), 1);
    assert_eq!(
        (created[0].kind.as_str(), created[0].topic.as_str()),
        ("WEBINAR", "Launch webinar"),
        "type 5 is a webinar"
    );
    let renamed = with(webinar(), "topic", json!("Launch webinar, final"));
    deliver_all(
        &app,
        &[
            &envelope("webinar.created", "2026-11-01T09:00:00Z", ACME, renamed),
            &envelope(
                "webinar.started",
                "2026-11-10T15:01:00Z",
                ACME,
                with(webinar(), "start_time", json!("2026-11-10T15:01:00Z")),
            ),
            &user_created(ACME, "HOST-1", "hanna@acme.example"),
        ],
    )
    .await;
    let answer = app
        .query_as(
            OWNER,
            r#"{ webinars(from: "2026-11-01", to: "2026-11-14") { totalCount nodes { topic host { email } sessions { uuid startTime } polls { title } } } }"#,
        )
        .await;
    assert_eq!(
        data(&answer)["webinars"],
        json!({ "totalCount": 1, "nodes": [{ "topic": "Launch webinar, final", "host": { "email": "hanna@acme.example" },
            "sessions": [{ "uuid": "web-occ-1==", "startTime": "2026-11-10T15:01:00+00:00" }],
            "polls": [{ "title": "Feedback" }] }] })
    );
    assert_eq!(
        meeting_session::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        1
    );
    // Nobody joined (yet): the answers are stored unlinked, and none counts as a respondent.
    assert!(poll_response::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .all(|r| r.participant_id.is_none()));
}

// ---- Q&A --------------------------------------------------------------------------------

const WEBINAR_QA: &str = r#"{ webinars(from: "2026-11-01", to: "2026-11-14") { nodes {
    qa { totalCount nodes { askerName askerEmail anonymous question askedAt status
        answers { answererName content answeredAt kind } } }
    performance { questionsAsked questionsAnswered } } } }"#;

fn qa_question(at: &str, question: Value) -> Value {
    envelope(
        "gateway.qa_question",
        at,
        ACME,
        with(webinar(), "question", question),
    )
}

#[tokio::test]
async fn qa_questions_give_the_qa_report_and_the_webinars_question_counts() {
    let app = TestApp::new().await;
    accounts(&app).await;
    let open = qa_question(
        "2026-11-10T15:10:00Z",
        json!({ "id": "QA-1", "name": "Ann", "email": "ann@guest.example", "question": "Is there a replay?",
                "create_time": "2026-11-10T15:09:00Z", "status": "open" }),
    );
    let answered = qa_question(
        "2026-11-10T15:30:00Z",
        json!({ "id": "QA-1", "name": "Ann", "email": "ann@guest.example", "question": "Is there a replay?",
                "create_time": "2026-11-10T15:09:00Z", "answers": [
                    { "name": "Hanna", "content": "Yes, tomorrow.", "create_time": "2026-11-10T15:12:00Z", "type": "host_answered_publicly" },
                    { "name": "Hanna", "content": "live answered", "create_time": "2026-11-10T15:25:00Z", "type": "live" }
                ] }),
    );
    let dismissed = qa_question(
        "2026-11-10T15:30:00Z",
        json!({ "id": "QA-2", "anonymous": true, "question": "Off topic", "create_time": "2026-11-10T15:15:00Z", "status": "Dismissed" }),
    );
    let asked = qa_question(
        "2026-11-10T15:20:00Z",
        json!({ "id": "QA-3", "name": "Bob", "question": "Pricing?", "create_time": "2026-11-10T15:19:00Z" }),
    );
    let deleted = qa_question(
        "2026-11-10T15:40:00Z",
        json!({ "id": "QA-3", "name": "Bob", "question": "Pricing?", "create_time": "2026-11-10T15:19:00Z", "status": "deleted" }),
    );
    // Newest versions first, then the older ones, then a retry.
    deliver_all(
        &app,
        &[&answered, &dismissed, &deleted, &open, &asked, &answered],
    )
    .await;
    assert!(stored(&app).await.iter().all(|(_, s, _)| s == "APPLIED"));
    let answer = app.query_as(OWNER, WEBINAR_QA).await;
    let webinar = &data(&answer)["webinars"]["nodes"][0];
    assert_eq!(
        webinar["qa"],
        json!({ "totalCount": 2, "nodes": [
            { "askerName": "Ann", "askerEmail": "ann@guest.example", "anonymous": false, "question": "Is there a replay?",
              "askedAt": "2026-11-10T15:09:00+00:00", "status": "ANSWERED", "answers": [
                { "answererName": "Hanna", "content": "Yes, tomorrow.", "answeredAt": "2026-11-10T15:12:00+00:00", "kind": "TEXT" },
                { "answererName": "Hanna", "content": "live answered", "answeredAt": "2026-11-10T15:25:00+00:00", "kind": "LIVE" }
              ] },
            { "askerName": "Anonymous Attendee", "askerEmail": null, "anonymous": true, "question": "Off topic",
              "askedAt": "2026-11-10T15:15:00+00:00", "status": "DISMISSED", "answers": [] }
        ] })
    );
    assert_eq!(
        webinar["performance"],
        json!({ "questionsAsked": 2, "questionsAnswered": 1 })
    );
    let other = app.query_as(OTHER_OWNER, WEBINAR_QA).await;
    assert_eq!(data(&other)["webinars"]["nodes"], json!([]));
}

// ---- telephone legs ---------------------------------------------------------------------

const TELEPHONE: &str = r#"{ telephoneUsage(from: "2026-11-01", to: "2026-11-14") { totalCount
    totals { calls durationSeconds minutes totalCost currency }
    nodes { participantName participantEmail callType callerNumber calledNumber country startTime endTime
            durationSeconds minutes rate totalCost currency meeting { ... on Webinar { topic } } } } }"#;

fn leg(at: &str, leg: Value) -> Value {
    envelope(
        "gateway.telephone_leg",
        at,
        ACME,
        with(webinar(), "telephone_leg", leg),
    )
}

#[tokio::test]
async fn telephone_legs_give_the_telephone_report_with_exact_costs() {
    let app = TestApp::new().await;
    accounts(&app).await;
    deliver_all(
        &app,
        &[&envelope(
            "webinar.started",
            "2026-11-10T15:00:00Z",
            ACME,
            webinar(),
        )],
    )
    .await;
    joins(
        &app,
        ACME,
        &[("J1", "Ann", Some("ann@guest.example"), "ATTENDEE")],
    )
    .await;
    let toll = |rate: &str| {
        json!({ "id": "LEG-1", "participant": { "user_id": "J1" }, "type": "US toll-number", "caller_number": "+1 555 0100",
                "called_number": "+1 555 0199", "country": "US", "start_time": "2026-11-10T15:05:00Z",
                "end_time": "2026-11-10T15:35:30Z", "rate": rate })
    };
    let old = leg("2026-11-10T15:40:00Z", toll("0.02"));
    let new = leg("2026-11-10T16:00:00Z", toll("0.035"));
    let toll_free = leg(
        "2026-11-10T16:00:00Z",
        json!({ "id": "LEG-2", "type": "toll-free", "caller_number": "+33 1 00 00 00 00", "called_number": "+33 800 000 000",
                "country": "FR", "start_time": "2026-11-10T15:10:00Z", "end_time": "2026-11-10T15:20:00Z",
                "duration": "600", "rate": 0.05, "total": "2.00", "currency": "usd" }),
    );
    let sip = leg(
        "2026-11-10T16:00:00Z",
        json!({ "id": "LEG-3", "type": "SIP", "caller_number": "sip:room@acme.example", "called_number": "sip:82000000001@conf.example",
                "start_time": "2026-11-10T15:30:00Z", "end_time": "2026-11-10T15:32:00Z" }),
    );
    deliver_all(&app, &[&new, &toll_free, &sip, &old, &new]).await;
    assert!(stored(&app).await.iter().all(|(_, s, _)| s == "APPLIED"));
    let answer = app.query_as(OWNER, TELEPHONE).await;
    let report = &data(&answer)["telephoneUsage"];
    // LEG-1: 1830 s, 31 started minutes at 0.035 = 1.085; LEG-2: 2.00 as given; LEG-3: free.
    assert_eq!(
        report["totals"],
        json!({ "calls": 3, "durationSeconds": 1830 + 600 + 120, "minutes": 31 + 10 + 2,
                "totalCost": "3.0850", "currency": "USD" })
    );
    assert_eq!(
        report["nodes"][0],
        json!({ "participantName": "Ann", "participantEmail": "ann@guest.example", "callType": "TOLL",
                "callerNumber": "+1 555 0100", "calledNumber": "+1 555 0199", "country": "US",
                "startTime": "2026-11-10T15:05:00+00:00", "endTime": "2026-11-10T15:35:30+00:00",
                "durationSeconds": 1830, "minutes": 31, "rate": "0.0350", "totalCost": "1.0850", "currency": "USD",
                "meeting": { "topic": "Launch webinar" } })
    );
    assert_eq!(
        (
            &report["nodes"][1]["callType"],
            &report["nodes"][1]["totalCost"],
            &report["nodes"][1]["participantName"]
        ),
        (&json!("TOLL_FREE"), &json!("2.0000"), &Value::Null)
    );
    assert_eq!(
        (
            &report["nodes"][2]["callType"],
            &report["nodes"][2]["country"],
            &report["nodes"][2]["rate"]
        ),
        (&json!("SIP"), &json!(""), &json!("0.0000"))
    );
    let other = app.query_as(OTHER_OWNER, TELEPHONE).await;
    assert_eq!(data(&other)["telephoneUsage"]["totalCount"], 0);
}

// ---- phone system calls -----------------------------------------------------------------

const PHONE: &str = r#"{ phoneSystemUsage(from: "2026-11-01", to: "2026-11-14") { available phonePlan totalCount
    totals { calls answered durationSeconds minutes totalCharge currency }
    nodes { direction callerNumber callerName calleeNumber calleeName user { email } startTime endTime
            durationSeconds minutes result charge currency } } }"#;

fn phone_call(account: &str, at: &str, call: Value) -> Value {
    envelope("gateway.phone_call", at, account, call)
}

#[tokio::test]
async fn phone_calls_give_the_phone_system_report_with_exact_charges() {
    let app = TestApp::new().await;
    accounts(&app).await;
    let connected = |duration: i64, charge: &str| {
        json!({ "id": "CALL-1", "user_id": "HOST-1", "direction": "outbound", "caller_number": "1001", "caller_name": "Hanna",
                "callee_number": "+33 6 00 00 00 01", "callee_name": "Client One", "start_time": "2026-11-02T09:00:00Z",
                "duration": duration, "result": "Call connected", "charge": charge, "currency": "EUR" })
    };
    let old = phone_call(ACME, "2026-11-02T09:01:00Z", connected(30, "0.05"));
    let new = phone_call(ACME, "2026-11-02T09:05:00Z", connected(61, "0.10"));
    let missed = phone_call(
        ACME,
        "2026-11-03T10:00:00Z",
        json!({ "id": "CALL-2", "direction": "Inbound", "caller_number": "+33 1 00 00 00 02", "callee_number": "1001",
                "start_time": "2026-11-03T10:00:00Z", "result": "No Answer", "currency": "EUR" }),
    );
    let voicemail = phone_call(
        ACME,
        "2026-11-04T11:00:00Z",
        json!({ "id": "CALL-3", "user_id": "HOST-2", "direction": "OUTBOUND", "caller_number": "1002",
                "callee_number": "+33 6 00 00 00 03", "start_time": "2026-11-04T11:00:00Z", "duration": "20",
                "result": "voicemail", "charge": "0.2", "currency": "EUR" }),
    );
    deliver_all(
        &app,
        &[
            &user_created(ACME, "HOST-1", "hanna@acme.example"),
            &new,
            &missed,
            &voicemail,
            &old,
            &new,
        ],
    )
    .await;
    assert!(stored(&app).await.iter().all(|(_, s, _)| s == "APPLIED"));
    let answer = app.query_as(OWNER, PHONE).await;
    let report = &data(&answer)["phoneSystemUsage"];
    assert_eq!(
        (&report["available"], &report["phonePlan"]),
        (&json!(true), &json!("Business"))
    );
    // 61 s is 2 started minutes, 20 s one; 0.10 + 0 + 0.2.
    assert_eq!(
        report["totals"],
        json!({ "calls": 3, "answered": 1, "durationSeconds": 81, "minutes": 3, "totalCharge": "0.3000", "currency": "EUR" })
    );
    assert_eq!(
        report["nodes"][0],
        json!({ "direction": "OUTBOUND", "callerNumber": "1001", "callerName": "Hanna", "calleeNumber": "+33 6 00 00 00 01",
                "calleeName": "Client One", "user": { "email": "hanna@acme.example" }, "startTime": "2026-11-02T09:00:00+00:00",
                "endTime": "2026-11-02T09:01:01+00:00", "durationSeconds": 61, "minutes": 2, "result": "ANSWERED",
                "charge": "0.1000", "currency": "EUR" })
    );
    assert_eq!(
        (
            &report["nodes"][1]["result"],
            &report["nodes"][1]["user"],
            &report["nodes"][1]["charge"]
        ),
        (&json!("MISSED"), &Value::Null, &json!("0.0000"))
    );
    // A user no user.* event described yet is created, as a host is, and completed later.
    assert_eq!(report["nodes"][2]["result"], "VOICEMAIL");
    assert!(report["nodes"][2]["user"]["email"]
        .as_str()
        .unwrap()
        .ends_with("@placeholder.invalid"));

    // The same call id in Other is Other's call.
    deliver_all(
        &app,
        &[&phone_call(
            OTHER,
            "2026-11-02T09:05:00Z",
            connected(600, "1.00"),
        )],
    )
    .await;
    let theirs = app.query_as(OTHER_OWNER, PHONE).await;
    assert_eq!(
        data(&theirs)["phoneSystemUsage"]["totals"],
        json!({ "calls": 1, "answered": 1, "durationSeconds": 600, "minutes": 10, "totalCharge": "1.0000", "currency": "EUR" })
    );
    let ours = app.query_as(OWNER, PHONE).await;
    assert_eq!(data(&ours), data(&answer));
}

#[tokio::test]
async fn without_a_phone_plan_the_calls_are_kept_but_the_report_says_it_is_unavailable() {
    let app = TestApp::new().await;
    accounts(&app).await;
    set_account(
        &app.db,
        ACME,
        &AccountChanges {
            phone_plan: Some(None),
            ..AccountChanges::default()
        },
    )
    .await
    .unwrap();
    let call = phone_call(
        ACME,
        "2026-11-02T09:05:00Z",
        json!({ "id": "CALL-1", "direction": "outbound", "caller_number": "1001", "callee_number": "1002",
                "start_time": "2026-11-02T09:00:00Z", "duration": 5, "result": "answered" }),
    );
    deliver_all(&app, &[&call]).await;
    let answer = app.query_as(OWNER, PHONE).await;
    assert_eq!(
        (
            &data(&answer)["phoneSystemUsage"]["available"],
            &data(&answer)["phoneSystemUsage"]["totalCount"]
        ),
        (&json!(false), &json!(0))
    );
    assert_eq!(stored(&app).await[0].1, "APPLIED");
    let negative = set_account(
        &app.db,
        ACME,
        &AccountChanges {
            cloud_storage_allowance_bytes: Some(-1),
            ..AccountChanges::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(negative.code(), "BAD_USER_INPUT");
}

// ---- remote support ---------------------------------------------------------------------

const REMOTE: &str = r#"{ remoteSupportSessions(from: "2026-11-01", to: "2026-11-14") { totalCount nodes {
    meeting { ... on Meeting { topic host { email } } } supporter { email } supporteeName supporteeEmail
    requestedAt waitSeconds startedAt endedAt durationSeconds } } }"#;

fn support(account: &str, at: &str, session: Value) -> Value {
    envelope(
        "gateway.remote_support_session",
        at,
        account,
        with(meeting(), "remote_support", session),
    )
}

#[tokio::test]
async fn remote_support_sessions_give_the_remote_support_report() {
    let app = TestApp::new().await;
    accounts(&app).await;
    let first = |end: &str| {
        json!({ "id": "RS-1", "supporter_id": "HOST-1", "supportee_name": "Client 1", "supportee_email": "C1@Client.example",
                "request_time": "2026-11-12T09:10:00Z", "start_time": "2026-11-12T09:11:00Z", "end_time": end })
    };
    let old = support(ACME, "2026-11-12T09:20:00Z", first("2026-11-12T09:15:00Z"));
    let new = support(ACME, "2026-11-12T09:30:00Z", first("2026-11-12T09:21:00Z"));
    let by_email = support(
        ACME,
        "2026-11-12T10:00:00Z",
        json!({ "id": "RS-2", "supporter_email": OWNER, "supportee_name": "Client 2", "request_time": "2026-11-12T09:40:00Z",
                "start_time": "2026-11-12T09:40:30Z", "end_time": "2026-11-12T10:10:30Z" }),
    );
    let unknown = support(
        ACME,
        "2026-11-12T10:30:00Z",
        json!({ "id": "RS-3", "supporter_email": "gone@acme.example", "supportee_name": "Client 3",
                "request_time": "2026-11-12T10:20:00Z", "start_time": "2026-11-12T10:20:00Z", "end_time": "2026-11-12T10:21:00Z" }),
    );
    // Support given in a meeting never announced, by a host described afterwards.
    deliver_all(&app, &[&new, &by_email, &unknown, &old, &new]).await;
    deliver_all(&app, &[&user_created(ACME, "HOST-1", "hanna@acme.example")]).await;
    assert!(stored(&app).await.iter().all(|(_, s, _)| s == "APPLIED"));
    let answer = app.query_as(OWNER, REMOTE).await;
    let in_sync = json!({ "topic": "Team sync", "host": { "email": "hanna@acme.example" } });
    assert_eq!(
        data(&answer)["remoteSupportSessions"],
        json!({ "totalCount": 3, "nodes": [
            { "meeting": in_sync, "supporter": { "email": "hanna@acme.example" }, "supporteeName": "Client 1",
              "supporteeEmail": "c1@client.example", "requestedAt": "2026-11-12T09:10:00+00:00", "waitSeconds": 60,
              "startedAt": "2026-11-12T09:11:00+00:00", "endedAt": "2026-11-12T09:21:00+00:00", "durationSeconds": 600 },
            { "meeting": in_sync, "supporter": { "email": OWNER }, "supporteeName": "Client 2", "supporteeEmail": null,
              "requestedAt": "2026-11-12T09:40:00+00:00", "waitSeconds": 30, "startedAt": "2026-11-12T09:40:30+00:00",
              "endedAt": "2026-11-12T10:10:30+00:00", "durationSeconds": 1800 },
            { "meeting": in_sync, "supporter": null, "supporteeName": "Client 3", "supporteeEmail": null,
              "requestedAt": "2026-11-12T10:20:00+00:00", "waitSeconds": 0, "startedAt": "2026-11-12T10:20:00+00:00",
              "endedAt": "2026-11-12T10:21:00+00:00", "durationSeconds": 60 }
        ] })
    );
    let other = app.query_as(OTHER_OWNER, REMOTE).await;
    assert_eq!(data(&other)["remoteSupportSessions"]["totalCount"], 0);
}

// ---- invoices ---------------------------------------------------------------------------

const BILLING: &str = r#"{ billingReport(from: "2026-10-01", to: "2026-10-31") {
    invoices { invoiceNumber periodStart periodEnd issuedAt currency amount tax total
        lines { department description licenses amount tax } }
    departments { department currency licenses amount tax total }
    totals { currency invoices amount tax total } dataAsOf } }"#;

fn invoice(account: &str, at: &str, invoice: Value) -> Value {
    envelope("gateway.invoice", at, account, invoice)
}

#[tokio::test]
async fn invoices_give_the_billing_report_and_its_department_breakdown() {
    let app = TestApp::new().await;
    accounts(&app).await;
    let october = |lines: Value| {
        json!({ "id": "BILL-2026-10", "invoice_number": "INV-2026-10", "start_date": "2026-10-01", "end_date": "2026-10-31",
                "issued_at": "2026-11-01T06:00:00Z", "currency": "USD", "lines": lines })
    };
    let old = invoice(
        ACME,
        "2026-11-01T06:00:00Z",
        october(
            json!([{ "department": "Engineering", "description": "Business licences", "licenses": 9, "amount": "90", "tax": "18" }]),
        ),
    );
    let new = invoice(
        ACME,
        "2026-11-02T06:00:00Z",
        october(json!([
            { "department": "Engineering", "description": "Business licences", "licenses": 10, "amount": "100.00", "tax": "20.00" },
            { "department": "Sales", "description": "Business licences", "licenses": "5", "amount": "50.005", "tax": "10.001" },
            { "description": "Cloud storage", "licenses": 1, "amount": 1.1111, "tax": "0.2212" }
        ])),
    );
    // Its figures as given (they agree with its line); issued when the event says (no
    // `issued_at`); its period ends on the report's first day.
    let september = invoice(
        ACME,
        "2026-10-01T07:00:00Z",
        json!({ "id": "BILL-2026-09", "start_date": "2026-09-01", "end_date": "2026-10-01", "amount": "12.50", "tax": "0",
                "lines": [{ "description": "Cloud storage", "amount": "12.5" }] }),
    );
    deliver_all(&app, &[&new, &september, &old, &new]).await;
    assert!(stored(&app).await.iter().all(|(_, s, _)| s == "APPLIED"));
    let answer = app.query_as(OWNER, BILLING).await;
    let report = &data(&answer)["billingReport"];
    // 100 + 50.005 + 1.1111 = 151.1161; 20 + 10.001 + 0.2212 = 30.2222.
    assert_eq!(
        report["invoices"],
        json!([
            { "invoiceNumber": "BILL-2026-09", "periodStart": "2026-09-01", "periodEnd": "2026-10-01",
              "issuedAt": "2026-10-01T07:00:00+00:00", "currency": "USD", "amount": "12.5000", "tax": "0.0000",
              "total": "12.5000", "lines": [
                { "department": null, "description": "Cloud storage", "licenses": 0, "amount": "12.5000", "tax": "0.0000" }
            ] },
            { "invoiceNumber": "INV-2026-10", "periodStart": "2026-10-01", "periodEnd": "2026-10-31",
              "issuedAt": "2026-11-01T06:00:00+00:00", "currency": "USD", "amount": "151.1161", "tax": "30.2222",
              "total": "181.3383", "lines": [
                { "department": "Engineering", "description": "Business licences", "licenses": 10, "amount": "100.0000", "tax": "20.0000" },
                { "department": "Sales", "description": "Business licences", "licenses": 5, "amount": "50.0050", "tax": "10.0010" },
                { "department": null, "description": "Cloud storage", "licenses": 1, "amount": "1.1111", "tax": "0.2212" }
            ] }
        ])
    );
    assert_eq!(
        report["departments"],
        json!([
            { "department": "Engineering", "currency": "USD", "licenses": 10, "amount": "100.0000", "tax": "20.0000", "total": "120.0000" },
            { "department": "Sales", "currency": "USD", "licenses": 5, "amount": "50.0050", "tax": "10.0010", "total": "60.0060" },
            { "department": null, "currency": "USD", "licenses": 1, "amount": "13.6111", "tax": "0.2212", "total": "13.8323" }
        ])
    );
    assert_eq!(
        report["totals"],
        json!([{ "currency": "USD", "invoices": 2, "amount": "163.6161", "tax": "30.2222", "total": "193.8383" }])
    );
    assert_eq!(report["dataAsOf"], "2026-11-01T06:00:00+00:00");
    // Engineering once, though three versions named it.
    assert_eq!(department::Entity::find().count(&app.db).await.unwrap(), 2);

    let theirs = invoice(
        OTHER,
        "2026-11-02T06:00:00Z",
        october(
            json!([{ "department": "Engineering", "description": "Pro", "licenses": 1, "amount": "15" }]),
        ),
    );
    deliver_all(&app, &[&theirs]).await;
    assert_eq!(data(&app.query_as(OWNER, BILLING).await), data(&answer));
    let other = app.query_as(OTHER_OWNER, BILLING).await;
    assert_eq!(
        data(&other)["billingReport"]["totals"],
        json!([{ "currency": "USD", "invoices": 1, "amount": "15.0000", "tax": "0.0000", "total": "15.0000" }])
    );
    assert_eq!(department::Entity::find().count(&app.db).await.unwrap(), 3);
}

#[tokio::test]
async fn an_invoice_whose_figures_disagree_with_its_lines_is_kept_failed_and_writes_nothing() {
    let app = TestApp::new().await;
    accounts(&app).await;
    let wrong = invoice(
        ACME,
        "2026-11-02T06:00:00Z",
        json!({ "id": "BILL-X", "start_date": "2026-10-01", "end_date": "2026-10-31", "amount": "100",
                "lines": [{ "department": "Engineering", "description": "Licences", "licenses": 1, "amount": "99.99" }] }),
    );
    deliver_all(&app, &[&wrong]).await;
    let (_, status, reason) = stored(&app).await.remove(0);
    assert_eq!(status, "FAILED");
    assert_eq!(
        reason,
        "`gateway.invoice`: `payload.object.amount` is 100.000000 but its lines add up to 99.990000"
    );
    assert_eq!(department::Entity::find().count(&app.db).await.unwrap(), 0);
    assert_eq!(
        data(&app.query_as(OWNER, BILLING).await)["billingReport"]["invoices"],
        json!([])
    );
}

// ---- operation logs ---------------------------------------------------------------------

const LOGS: &str = r#"{ operationLogs(from: "2026-11-01", to: "2026-11-14") { totalCount dataAsOf nodes {
    time operator { email } operatorEmail category action detail } } }"#;

fn log(account: &str, at: &str, entry: Value) -> Value {
    envelope("gateway.operation_log", at, account, entry)
}

#[tokio::test]
async fn operation_log_entries_give_the_operation_logs_report() {
    let app = TestApp::new().await;
    accounts(&app).await;
    let settings = |detail: &str| {
        json!({ "id": "OP-1", "time": "2026-11-03T08:00:00Z", "operator": "hanna@acme.example", "operator_id": "HOST-1",
                "category_type": "User Settings", "action": "Update", "operation_detail": detail })
    };
    let old = log(ACME, "2026-11-03T08:00:00Z", settings("Recording: off"));
    let new = log(ACME, "2026-11-03T08:05:00Z", settings("Recording: on"));
    let by_email = log(
        ACME,
        "2026-11-04T08:00:00Z",
        json!({ "id": "OP-2", "time": "2026-11-04T08:00:00Z", "operator": "Owner@Acme.example", "category_type": "user",
                "action": "Add", "operation_detail": "Add User bob@acme.example" }),
    );
    let system = log(
        ACME,
        "2026-11-05T00:00:00Z",
        json!({ "id": "OP-3", "time": "2026-11-05T00:00:00Z", "operator": "system", "category_type": "zoom_rooms",
                "action": "Delete" }),
    );
    deliver_all(&app, &[&new, &by_email, &system, &old, &new]).await;
    assert!(stored(&app).await.iter().all(|(_, s, _)| s == "APPLIED"));
    let answer = app.query_as(OWNER, LOGS).await;
    assert_eq!(
        data(&answer)["operationLogs"],
        json!({ "totalCount": 3, "dataAsOf": "2026-11-05T00:00:00+00:00", "nodes": [
            { "time": "2026-11-05T00:00:00+00:00", "operator": null, "operatorEmail": "system", "category": null,
              "action": "Delete", "detail": "" },
            { "time": "2026-11-04T08:00:00+00:00", "operator": { "email": OWNER }, "operatorEmail": OWNER,
              "category": "USER", "action": "Add", "detail": "Add User bob@acme.example" },
            // Named by platform id before any user.created: the user is created with the
            // entry's email, as a sign-in creates its user.
            { "time": "2026-11-03T08:00:00+00:00", "operator": { "email": "hanna@acme.example" },
              "operatorEmail": "hanna@acme.example", "category": "USER_SETTINGS", "action": "Update", "detail": "Recording: on" }
        ] })
    );
    // The user's own event later is the same user (found by platform id), not a second one.
    deliver_all(&app, &[&user_created(ACME, "HOST-1", "hanna@acme.example")]).await;
    assert_eq!(stored(&app).await.last().unwrap().1, "APPLIED");
    let filtered = app
        .query_as(
            OWNER,
            r#"{ operationLogs(from: "2026-11-01", to: "2026-11-14", category: USER_SETTINGS) { totalCount nodes { operator { email } } } }"#,
        )
        .await;
    assert_eq!(
        data(&filtered)["operationLogs"],
        json!({ "totalCount": 1, "nodes": [{ "operator": { "email": "hanna@acme.example" } }] })
    );
    let other = app.query_as(OTHER_OWNER, LOGS).await;
    assert_eq!(data(&other)["operationLogs"]["totalCount"], 0);
}

// ---- cloud storage ----------------------------------------------------------------------

const STORAGE: &str = r#"{ cloudRecordingUsage(from: "2026-11-02", to: "2026-11-05") { allowanceBytes
    days { date usageBytes freeBytes overAllowance }
    storage { daysReported peakUsageBytes daysOverAllowance latestDay latestUsageBytes } } }"#;

fn storage(account: &str, at: &str, day: &str, bytes: Value) -> Value {
    envelope(
        "gateway.storage_usage",
        at,
        account,
        json!({ "date": day, "usage_bytes": bytes }),
    )
}

#[tokio::test]
async fn storage_figures_give_the_cloud_recording_storage_days() {
    let app = TestApp::new().await;
    accounts(&app).await;
    let old = storage(ACME, "2026-11-04T00:05:00Z", "2026-11-03", json!(400));
    let new = storage(ACME, "2026-11-04T06:00:00Z", "2026-11-3", json!(500));
    let over = storage(ACME, "2026-11-05T00:05:00Z", "2026-11-04", json!("1500"));
    deliver_all(&app, &[&new, &over, &old, &new]).await;
    assert!(stored(&app).await.iter().all(|(_, s, _)| s == "APPLIED"));
    let answer = app.query_as(OWNER, STORAGE).await;
    assert_eq!(
        data(&answer)["cloudRecordingUsage"],
        json!({ "allowanceBytes": "1000",
            "days": [
                { "date": "2026-11-02", "usageBytes": null, "freeBytes": null, "overAllowance": null },
                { "date": "2026-11-03", "usageBytes": "500", "freeBytes": "500", "overAllowance": false },
                { "date": "2026-11-04", "usageBytes": "1500", "freeBytes": "-500", "overAllowance": true },
                { "date": "2026-11-05", "usageBytes": null, "freeBytes": null, "overAllowance": null }
            ],
            "storage": { "daysReported": 2, "peakUsageBytes": "1500", "daysOverAllowance": 1,
                         "latestDay": "2026-11-04", "latestUsageBytes": "1500" } })
    );
    let other = app.query_as(OTHER_OWNER, STORAGE).await;
    assert_eq!(
        data(&other)["cloudRecordingUsage"]["storage"]["daysReported"],
        0
    );
}

// ---- refusals ---------------------------------------------------------------------------

#[tokio::test]
async fn a_malformed_event_of_each_type_is_kept_failed_with_a_reason_naming_its_field() {
    let app = TestApp::new().await;
    accounts(&app).await;
    let cases: Vec<(Value, &str)> = vec![
        (
            envelope("gateway.poll_results", "2026-11-10T15:50:00Z", ACME, webinar()),
            "`gateway.poll_results`: `payload.object.poll` is missing",
        ),
        (
            envelope(
                "gateway.poll_results",
                "2026-11-10T15:50:00Z",
                ACME,
                with(webinar(), "poll", json!({ "id": "P", "questions": [{ "question": "Q", "responses": [{ "answer": "A", "date_time": "yesterday" }] }] })),
            ),
            "`gateway.poll_results`: `payload.object.poll.questions[0].responses[0].date_time` is not an ISO-8601 time (yyyy-mm-ddThh:mm:ssZ): \"yesterday\"",
        ),
        (
            envelope(
                "gateway.qa_question",
                "2026-11-10T15:50:00Z",
                ACME,
                with(with(webinar(), "uuid", Value::Null), "question", json!({ "id": "Q" })),
            ),
            "`gateway.qa_question`: `payload.object.uuid` is missing",
        ),
        (
            envelope(
                "gateway.qa_question",
                "2026-11-10T15:50:00Z",
                ACME,
                with(webinar(), "question", json!({ "id": "Q", "question": "Why?", "create_time": "2026-11-10T15:00:00Z", "status": "pending" })),
            ),
            "`gateway.qa_question`: `payload.object.question.status` is not one of open, answered, dismissed, deleted: \"pending\"",
        ),
        (
            envelope(
                "gateway.telephone_leg",
                "2026-11-10T15:50:00Z",
                ACME,
                with(webinar(), "telephone_leg", json!({ "id": "L", "type": "carrier pigeon", "caller_number": "1", "called_number": "2",
                    "start_time": "2026-11-10T15:00:00Z", "end_time": "2026-11-10T15:01:00Z" })),
            ),
            "`gateway.telephone_leg`: `payload.object.telephone_leg.type` is not one of toll_free, toll, call_out, sip: \"carrier pigeon\"",
        ),
        (
            envelope(
                "gateway.telephone_leg",
                "2026-11-10T15:50:00Z",
                ACME,
                with(webinar(), "telephone_leg", json!({ "id": "L", "type": "toll", "caller_number": "1", "called_number": "2",
                    "start_time": "2026-11-10T15:00:00Z", "end_time": "2026-11-10T15:01:00Z", "rate": "0.0000001" })),
            ),
            "`gateway.telephone_leg`: `payload.object.telephone_leg.rate` is not an amount (a decimal such as \"12.50\", at most 6 decimals): \"0.0000001\"",
        ),
        (
            phone_call(ACME, "2026-11-02T09:05:00Z", json!({ "id": "C", "direction": "sideways", "caller_number": "1",
                "callee_number": "2", "start_time": "2026-11-02T09:00:00Z", "result": "answered" })),
            "`gateway.phone_call`: `payload.object.direction` is not one of inbound, outbound: \"sideways\"",
        ),
        (
            phone_call(ACME, "2026-11-02T09:05:00Z", json!({ "id": "C", "direction": "inbound", "caller_number": "1",
                "callee_number": "2", "start_time": "2026-11-02T09:00:00Z", "duration": -5, "result": "answered" })),
            "`gateway.phone_call`: `payload.object.duration` is not a count (0 or more): -5",
        ),
        (
            support(ACME, "2026-11-12T09:30:00Z", json!({ "id": "RS", "supportee_name": "C", "request_time": "2026-11-12T09:10:00Z",
                "start_time": "2026-11-12T09:00:00Z", "end_time": "2026-11-12T09:20:00Z" })),
            "`gateway.remote_support_session`: `payload.object.remote_support.start_time` is not a time after `request_time`: \"2026-11-12T09:00:00Z\"",
        ),
        (
            invoice(ACME, "2026-11-02T06:00:00Z", json!({ "id": "B", "start_date": "2026-10-01", "end_date": "2026-10-31", "amount": "5" })),
            "`gateway.invoice`: `payload.object.lines` is missing: an invoice has at least one line (the report's department breakdown adds up to its invoices)",
        ),
        (
            invoice(ACME, "2026-11-02T06:00:00Z", json!({ "id": "B", "start_date": "1 Oct", "end_date": "2026-10-31", "lines": [] })),
            "`gateway.invoice`: `payload.object.start_date` is not a day (yyyy-mm-dd): \"1 Oct\"",
        ),
        (
            log(ACME, "2026-11-03T08:00:00Z", json!({ "id": "OP", "time": "2026-11-03T08:00:00Z", "category_type": "user", "action": "Add" })),
            "`gateway.operation_log`: `payload.object.operator` is missing",
        ),
        (
            storage(ACME, "2026-11-04T06:00:00Z", "2026-11-03", json!("lots")),
            "`gateway.storage_usage`: `payload.object.usage_bytes` is not a whole number: \"lots\"",
        ),
        (
            envelope("gateway.storage_usage", "2026-11-04T06:00:00Z", ACME, json!("2026-11-03")),
            "`gateway.storage_usage`: `payload.object` is not an object",
        ),
    ];
    for (event, _) in &cases {
        assert_eq!(deliver(&app, event).await, 200, "{event}");
    }
    let unknown = envelope("gateway.poll", "2026-11-10T15:50:00Z", ACME, json!({}));
    assert_eq!(deliver(&app, &unknown).await, 200);
    let kept = stored(&app).await;
    assert_eq!(kept.len(), cases.len() + 1);
    for ((event, status, reason), (_, expected)) in kept.iter().zip(&cases) {
        assert_eq!(status, "FAILED", "{event}");
        assert_eq!(reason, expected, "{event}");
    }
    let (_, status, reason) = kept.last().unwrap();
    assert_eq!(status, "FAILED");
    assert!(
        reason.starts_with("unknown event type `gateway.poll` (our own types are gateway.poll_results, gateway.qa_question,"),
        "{reason}"
    );
    // Nothing was written: no meeting was created for the refused events inside one.
    assert_eq!(meeting::Entity::find().count(&app.db).await.unwrap(), 0);
    let reports = app.query_as(OWNER, BILLING).await;
    assert_eq!(error_codes(&reports), Vec::<String>::new());
}

#[tokio::test]
async fn a_stored_version_that_does_not_read_never_hides_a_valid_older_one() {
    let app = TestApp::new().await;
    accounts(&app).await;
    let good = storage(ACME, "2026-11-04T00:05:00Z", "2026-11-03", json!(400));
    let broken = storage(ACME, "2026-11-04T06:00:00Z", "2026-11-03", json!(-1));
    deliver_all(&app, &[&broken, &good]).await;
    let kept: Vec<String> = stored(&app).await.into_iter().map(|(_, s, _)| s).collect();
    assert_eq!(kept, ["FAILED", "APPLIED"]);
    let answer = app.query_as(OWNER, STORAGE).await;
    assert_eq!(
        data(&answer)["cloudRecordingUsage"]["days"][1]["usageBytes"],
        "400"
    );
}

// ---- EVENTS.md --------------------------------------------------------------------------

/// The `json` blocks of the "Our own event types" section of `EVENTS.md`, in order.
fn documented_examples() -> Vec<Value> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/EVENTS.md"))
        .expect("EVENTS.md at the repository root");
    let section = text
        .split_once("## Our own event types")
        .expect("a section \"Our own event types\"")
        .1;
    let section = section.split("\n## ").next().unwrap_or(section);
    let mut examples = Vec::new();
    let mut rest = section;
    while let Some((_, after)) = rest.split_once("```json\n") {
        let (block, tail) = after.split_once("```").expect("a closed block");
        examples.push(
            serde_json::from_str(block)
                .unwrap_or_else(|e| panic!("EVENTS.md example: {e}\n{block}")),
        );
        rest = tail;
    }
    examples
}

#[tokio::test]
async fn the_examples_of_events_md_apply_to_the_demo_and_show_in_its_reports() {
    let examples = documented_examples();
    let mut names: Vec<&str> = examples
        .iter()
        .map(|e| e["event"].as_str().expect("an event name"))
        .collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(
        names,
        [
            "gateway.invoice",
            "gateway.operation_log",
            "gateway.phone_call",
            "gateway.poll_results",
            "gateway.qa_question",
            "gateway.remote_support_session",
            "gateway.storage_usage",
            "gateway.telephone_leg"
        ],
        "every type has an example"
    );
    let app = TestApp::with_demo().await;
    let ndjson: Vec<String> = examples.iter().map(Value::to_string).collect();
    let summary = import(&app.db, ndjson.join("\n").as_bytes(), now(), |_, _| {})
        .await
        .unwrap();
    let kept = stored(&app).await;
    assert_eq!(
        (summary.applied, summary.failed),
        (examples.len() as u64, 0),
        "{kept:?}"
    );

    let owner = "owner@demo.example";
    let webinar = app
        .query_as(
            owner,
            r#"{ webinars(from: "2026-11-10", to: "2026-11-10", search: "Events example") { nodes { topic
                polls { title questions { responses { totalCount nodes { answer } } } }
                qa { nodes { question status answers { content } } }
                telephoneLegs { callType minutes totalCost } } } }"#,
        )
        .await;
    assert_eq!(
        data(&webinar)["webinars"]["nodes"],
        json!([{ "topic": "Events example: product launch",
            "polls": [{ "title": "How did we do?", "questions": [{ "responses": { "totalCount": 2, "nodes": [{ "answer": "Great" }, { "answer": "Good" }] } }] }],
            "qa": { "nodes": [{ "question": "Will the slides be shared?", "status": "ANSWERED", "answers": [{ "content": "Yes, by email after the webinar." }] }] },
            "telephoneLegs": [{ "callType": "TOLL_FREE", "minutes": 13, "totalCost": "0.6500" }] }])
    );
    let support = app
        .query_as(
            owner,
            r#"{ remoteSupportSessions(from: "2026-11-10", to: "2026-11-10", first: 300) { nodes { supporteeName waitSeconds durationSeconds } } }"#,
        )
        .await;
    assert!(data(&support)["remoteSupportSessions"]["nodes"]
        .as_array()
        .unwrap()
        .contains(
            &json!({ "supporteeName": "Sam Customer", "waitSeconds": 45, "durationSeconds": 900 })
        ));
    let calls = app
        .query_as(
            owner,
            r#"{ phoneSystemUsage(from: "2026-11-10", to: "2026-11-10", first: 300) { nodes { callerName calleeNumber minutes result charge } } }"#,
        )
        .await;
    assert!(data(&calls)["phoneSystemUsage"]["nodes"]
        .as_array()
        .unwrap()
        .contains(&json!({ "callerName": "Front desk", "calleeNumber": "+44 20 7946 0000", "minutes": 3, "result": "ANSWERED", "charge": "0.0900" })));
    let billing = app
        .query_as(
            owner,
            r#"{ billingReport(from: "2026-10-01", to: "2026-10-31") { invoices { invoiceNumber amount tax total lines { department licenses amount } } } }"#,
        )
        .await;
    assert!(data(&billing)["billingReport"]["invoices"]
        .as_array()
        .unwrap()
        .contains(&json!({ "invoiceNumber": "EX-2026-10", "amount": "229.9000", "tax": "45.9800", "total": "275.8800",
            "lines": [{ "department": "Engineering", "licenses": 10, "amount": "199.9000" }, { "department": null, "licenses": 0, "amount": "30.0000" }] })));
    let logs = app
        .query_as(
            owner,
            r#"{ operationLogs(from: "2026-11-10", to: "2026-11-10", search: "events example") { nodes { operator { email } category action } } }"#,
        )
        .await;
    assert_eq!(
        data(&logs)["operationLogs"]["nodes"],
        json!([{ "operator": { "email": owner }, "category": "USER", "action": "Update" }])
    );
    let storage = app
        .query_as(
            owner,
            r#"{ cloudRecordingUsage(from: "2026-11-10", to: "2026-11-10") { days { usageBytes } } }"#,
        )
        .await;
    assert_eq!(
        data(&storage)["cloudRecordingUsage"]["days"],
        json!([{ "usageBytes": "50000000000" }])
    );
}

/// `account set --phone-plan NAME|none --cloud-storage-bytes N` on a database file: what the
/// Phone System and Cloud Recording reports read of the account.
#[tokio::test]
async fn account_set_gives_an_account_its_phone_plan_and_storage_allowance() {
    use clap::Parser;
    use meeting_reports::config::Cli;
    use std::process::ExitCode;

    let dir = std::env::temp_dir().join(format!("mr-own-account-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("account.db");
    let _ = std::fs::remove_file(&file);
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let run = |args: &[&str]| {
        let mut argv = vec!["meeting-reports", "--database-url", url.as_str()];
        argv.extend_from_slice(args);
        meeting_reports::cli::run(Cli::parse_from(argv))
    };
    let add = [
        "account",
        "add",
        "--platform-id",
        "OwnCli1",
        "--name",
        "Own Cli",
        "--plan",
        "BUSINESS",
        "--time-zone",
        "UTC",
        "--owner-email",
        "owner@owncli.example",
    ];
    assert_eq!(run(&add).await, ExitCode::SUCCESS);
    let settings = |args: &'static [&'static str]| {
        let mut argv = vec!["account", "set", "--platform-id", "OwnCli1"];
        argv.extend_from_slice(args);
        argv
    };
    let read = || async {
        let db = meeting_reports::db::connect(&url).await.unwrap();
        let account = entity::account::Entity::find()
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        db.close().await.unwrap();
        (account.phone_plan, account.cloud_storage_allowance_bytes)
    };
    assert_eq!(read().await, (None, 0), "account add sets neither");
    let set = settings(&[
        "--phone-plan",
        "Business",
        "--cloud-storage-bytes",
        "1099511627776",
    ]);
    assert_eq!(run(&set).await, ExitCode::SUCCESS);
    assert_eq!(read().await, (Some("Business".to_owned()), 1 << 40));
    assert_eq!(
        run(&settings(&["--phone-plan", "none"])).await,
        ExitCode::SUCCESS
    );
    assert_eq!(
        read().await,
        (None, 1 << 40),
        "`none` removes the plan, keeps the rest"
    );
    assert_eq!(
        run(&settings(&["--cloud-storage-bytes=-5"])).await,
        ExitCode::FAILURE
    );
    assert_eq!(read().await, (None, 1 << 40));
    let _ = std::fs::remove_dir_all(&dir);
}
