//! A full meeting and a full webinar delivered as the platform's webhook events — users,
//! schedules, occurrences, joins and leaves (rejoins, a guest without email, leaves after the
//! end), registrations (approved, pending then approved, denied, cancelled) and a cloud
//! recording — in order and shuffled, give the same usage, daily usage, participant, attendee,
//! registration, recording and performance figures as the same data inserted directly; and a
//! meeting in progress is in the reports before its end.

use chrono::{DateTime, Duration, Utc};
use entity::{
    app_user, meeting, meeting_session, participant, recording, recording_file, registrant,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, NotSet, QueryFilter, Set};
use serde_json::{json, Value};

use crate::{
    common::{data, settings, TestApp},
    webhooks::{acme, deliver, envelope, ACME, OWNER},
};

const HOST: &str = "hanna@acme.example";
const MEETING_NUMBER: i64 = 81_234_567_890;
const WEBINAR_NUMBER: i64 = 91_234_567_890;

fn t(s: &str) -> DateTime<Utc> {
    s.parse().expect("RFC 3339")
}

fn meeting_object(extra: Value) -> Value {
    let mut o = json!({ "id": MEETING_NUMBER.to_string(), "uuid": "m-occ-1==", "host_id": "HOST-1",
        "topic": "Quarterly review", "type": 2, "start_time": "2026-11-10T09:00:00Z", "timezone": "UTC", "duration": 60 });
    merge(&mut o, extra);
    o
}

fn webinar_object(extra: Value) -> Value {
    let mut o = json!({ "id": WEBINAR_NUMBER.to_string(), "uuid": "w-occ-1==", "host_id": "HOST-1",
        "topic": "Launch webinar", "type": 5, "start_time": "2026-11-12T15:00:00Z", "timezone": "UTC", "duration": 60 });
    merge(&mut o, extra);
    o
}

fn merge(into: &mut Value, extra: Value) {
    if let (Some(o), Value::Object(extra)) = (into.as_object_mut(), extra) {
        o.extend(extra);
    }
}

fn joined(kind: &str, at: &str, participant: Value) -> Value {
    let object = |p| {
        if kind == "meeting" {
            meeting_object(json!({ "participant": p }))
        } else {
            webinar_object(json!({ "participant": p }))
        }
    };
    envelope(
        &format!("{kind}.participant_joined"),
        at,
        ACME,
        object(participant),
    )
}

fn left(kind: &str, at: &str, participant: Value) -> Value {
    let object = |p| {
        if kind == "meeting" {
            meeting_object(json!({ "participant": p }))
        } else {
            webinar_object(json!({ "participant": p }))
        }
    };
    envelope(
        &format!("{kind}.participant_left"),
        at,
        ACME,
        object(participant),
    )
}

fn registration(action: &str, at: &str, registrant: Value) -> Value {
    envelope(
        &format!("webinar.registration_{action}"),
        at,
        ACME,
        webinar_object(json!({ "registrant": registrant })),
    )
}

/// The platform's events of the world, in the order they occurred.
fn events() -> Vec<Value> {
    let host = |per_join: &str, extra: Value| {
        let mut p = json!({ "user_id": per_join, "participant_user_id": "HOST-1", "id": "HOST-1", "user_name": "Hanna Host", "email": HOST });
        merge(&mut p, extra);
        p
    };
    vec![
        envelope(
            "user.created",
            "2026-11-01T08:00:00Z",
            ACME,
            json!({ "id": "HOST-1", "first_name": "Hanna", "last_name": "Host", "email": HOST, "type": 2 }),
        ),
        envelope(
            "meeting.created",
            "2026-11-02T08:00:00Z",
            ACME,
            meeting_object(json!({ "id": MEETING_NUMBER })),
        ),
        envelope(
            "meeting.started",
            "2026-11-10T09:02:00Z",
            ACME,
            meeting_object(json!({ "start_time": "2026-11-10T09:02:00Z" })),
        ),
        joined(
            "meeting",
            "2026-11-10T09:02:05Z",
            host("100", json!({ "join_time": "2026-11-10T09:02:00Z" })),
        ),
        joined(
            "meeting",
            "2026-11-10T09:03:01Z",
            json!({ "user_id": "101", "user_name": "Guest A", "email": "", "join_time": "2026-11-10T09:03:00Z" }),
        ),
        left(
            "meeting",
            "2026-11-10T09:30:01Z",
            json!({ "user_id": "101", "user_name": "Guest A", "email": "", "leave_time": "2026-11-10T09:30:00Z" }),
        ),
        joined(
            "meeting",
            "2026-11-10T09:35:01Z",
            json!({ "user_id": "102", "user_name": "Guest A", "email": "", "join_time": "2026-11-10T09:35:00Z" }),
        ),
        joined(
            "meeting",
            "2026-11-10T09:10:01Z",
            json!({ "user_id": "103", "user_name": "Bob", "email": "Bob@Partner.example", "join_time": "2026-11-10T09:10:00Z" }),
        ),
        left(
            "meeting",
            "2026-11-10T10:00:01Z",
            json!({ "user_id": "102", "user_name": "Guest A", "email": "", "leave_time": "2026-11-10T10:00:00Z" }),
        ),
        envelope(
            "meeting.ended",
            "2026-11-10T10:05:00Z",
            ACME,
            meeting_object(json!({ "end_time": "2026-11-10T10:05:00Z" })),
        ),
        // Leaves after the end, as the platform sends them.
        left(
            "meeting",
            "2026-11-10T10:05:01Z",
            host("100", json!({ "leave_time": "2026-11-10T10:05:00Z" })),
        ),
        left(
            "meeting",
            "2026-11-10T10:05:02Z",
            json!({ "user_id": "103", "user_name": "Bob", "email": "Bob@Partner.example", "leave_time": "2026-11-10T10:04:30Z" }),
        ),
        envelope(
            "recording.completed",
            "2026-11-10T10:30:00Z",
            ACME,
            meeting_object(
                json!({ "id": MEETING_NUMBER, "total_size": 1500, "recording_count": 2, "recording_files": [
                { "id": "file-1", "recording_start": "2026-11-10T09:02:00Z", "recording_end": "2026-11-10T10:05:00Z", "file_type": "MP4", "file_size": 1000, "status": "completed" },
                { "id": "file-2", "recording_start": "2026-11-10T09:02:00Z", "recording_end": "2026-11-10T10:05:00Z", "file_type": "M4A", "file_size": 500, "status": "completed" }
            ] }),
            ),
        ),
        envelope(
            "webinar.created",
            "2026-11-03T08:00:00Z",
            ACME,
            webinar_object(json!({ "id": WEBINAR_NUMBER })),
        ),
        registration(
            "created",
            "2026-11-04T08:00:00Z",
            json!({ "id": "reg-1", "first_name": "Rita", "last_name": "Reyes", "email": "rita@example.org", "status": "approved",
                "custom_questions": [{ "title": "Company", "value": "Initech" }] }),
        ),
        registration(
            "created",
            "2026-11-05T08:00:00Z",
            json!({ "id": "reg-2", "first_name": "Sam", "last_name": "Stone", "email": "sam@example.org", "status": "pending" }),
        ),
        registration(
            "approved",
            "2026-11-06T08:00:00Z",
            json!({ "id": "reg-2", "first_name": "Sam", "last_name": "Stone", "email": "sam@example.org" }),
        ),
        registration(
            "created",
            "2026-11-05T10:00:00Z",
            json!({ "id": "reg-3", "first_name": "Dan", "last_name": "Doe", "email": "dan@example.org", "status": "pending" }),
        ),
        registration(
            "denied",
            "2026-11-06T10:00:00Z",
            json!({ "id": "reg-3", "first_name": "Dan", "last_name": "Doe", "email": "dan@example.org" }),
        ),
        registration(
            "created",
            "2026-11-05T11:00:00Z",
            json!({ "id": "reg-4", "first_name": "Cara", "last_name": "Cole", "email": "cara@example.org", "status": "approved" }),
        ),
        registration(
            "cancelled",
            "2026-11-07T11:00:00Z",
            json!({ "id": "reg-4", "first_name": "Cara", "last_name": "Cole", "email": "cara@example.org" }),
        ),
        envelope(
            "webinar.started",
            "2026-11-12T15:00:00Z",
            ACME,
            webinar_object(json!({})),
        ),
        joined(
            "webinar",
            "2026-11-12T15:00:01Z",
            host("200", json!({ "join_time": "2026-11-12T15:00:00Z" })),
        ),
        joined(
            "webinar",
            "2026-11-12T15:02:01Z",
            json!({ "user_id": "201", "user_name": "Rita Reyes", "email": "", "registrant_id": "reg-1", "join_time": "2026-11-12T15:02:00Z" }),
        ),
        joined(
            "webinar",
            "2026-11-12T15:05:01Z",
            json!({ "user_id": "202", "user_name": "Anon", "email": "", "join_time": "2026-11-12T15:05:00Z" }),
        ),
        left(
            "webinar",
            "2026-11-12T15:20:01Z",
            json!({ "user_id": "202", "user_name": "Anon", "email": "", "leave_time": "2026-11-12T15:20:00Z" }),
        ),
        left(
            "webinar",
            "2026-11-12T15:50:01Z",
            json!({ "user_id": "201", "user_name": "Rita Reyes", "email": "", "registrant_id": "reg-1", "leave_time": "2026-11-12T15:50:00Z" }),
        ),
        envelope(
            "webinar.ended",
            "2026-11-12T16:00:00Z",
            ACME,
            webinar_object(json!({ "end_time": "2026-11-12T16:00:00Z" })),
        ),
        left(
            "webinar",
            "2026-11-12T16:00:01Z",
            host("200", json!({ "leave_time": "2026-11-12T16:00:00Z" })),
        ),
    ]
}

/// The same world inserted row by row, as a seed or a fixture would.
async fn load_directly(app: &TestApp) {
    acme(app).await;
    let db = &app.db;
    let owner = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(OWNER))
        .one(db)
        .await
        .expect("read")
        .expect("owner");
    let account = owner.account_id;
    let host = app_user::ActiveModel {
        id: NotSet,
        account_id: Set(account),
        source_id: Set(Some("HOST-1".into())),
        email: Set(HOST.into()),
        first_name: Set("Hanna".into()),
        last_name: Set("Host".into()),
        role: Set("MEMBER".into()),
        custom_role_id: Set(None),
        department_id: Set(None),
        user_type: Set("LICENSED".into()),
        created_at: Set(t("2026-11-01T08:00:00Z")),
        last_login_at: Set(None),
        last_client_version: Set(None),
        deactivated_at: Set(None),
    }
    .insert(db)
    .await
    .expect("host")
    .id;
    let event =
        |number: i64, kind: &str, topic: &str, start: &str, created: &str| meeting::ActiveModel {
            id: NotSet,
            account_id: Set(account),
            source_id: Set(number.to_string()),
            host_id: Set(host),
            kind: Set(kind.into()),
            meeting_number: Set(number),
            topic: Set(topic.into()),
            meeting_type: Set("SCHEDULED".into()),
            scheduled_start: Set(Some(t(start))),
            planned_duration_minutes: Set(Some(60)),
            registration_required: Set(kind == "WEBINAR"),
            created_at: Set(t(created)),
            deleted_at: Set(None),
        };
    let m = event(
        MEETING_NUMBER,
        "MEETING",
        "Quarterly review",
        "2026-11-10T09:00:00Z",
        "2026-11-02T08:00:00Z",
    )
    .insert(db)
    .await
    .expect("meeting")
    .id;
    let w = event(
        WEBINAR_NUMBER,
        "WEBINAR",
        "Launch webinar",
        "2026-11-12T15:00:00Z",
        "2026-11-03T08:00:00Z",
    )
    .insert(db)
    .await
    .expect("webinar")
    .id;
    let session = |meeting: i64, uuid: &str, start: &str, end: &str| meeting_session::ActiveModel {
        id: NotSet,
        account_id: Set(account),
        source_id: Set(uuid.into()),
        meeting_id: Set(meeting),
        start_time: Set(t(start)),
        end_time: Set(Some(t(end))),
    };
    let ms = session(
        m,
        "m-occ-1==",
        "2026-11-10T09:02:00Z",
        "2026-11-10T10:05:00Z",
    )
    .insert(db)
    .await
    .expect("session")
    .id;
    let ws = session(
        w,
        "w-occ-1==",
        "2026-11-12T15:00:00Z",
        "2026-11-12T16:00:00Z",
    )
    .insert(db)
    .await
    .expect("session")
    .id;
    let reg =
        |id: &str, first: &str, last: &str, email: &str, status: &str, at: &str, answers: &str| {
            registrant::ActiveModel {
                id: NotSet,
                account_id: Set(account),
                source_id: Set(format!("{WEBINAR_NUMBER}/{id}")),
                meeting_id: Set(w),
                email: Set(email.into()),
                first_name: Set(first.into()),
                last_name: Set(last.into()),
                status: Set(status.into()),
                registered_at: Set(t(at)),
                custom_answers: Set(answers.into()),
            }
        };
    let rita = reg(
        "reg-1",
        "Rita",
        "Reyes",
        "rita@example.org",
        "APPROVED",
        "2026-11-04T08:00:00Z",
        r#"[{"answer":"Initech","question":"Company"}]"#,
    )
    .insert(db)
    .await
    .expect("registrant")
    .id;
    for r in [
        reg(
            "reg-2",
            "Sam",
            "Stone",
            "sam@example.org",
            "APPROVED",
            "2026-11-05T08:00:00Z",
            "[]",
        ),
        reg(
            "reg-3",
            "Dan",
            "Doe",
            "dan@example.org",
            "DENIED",
            "2026-11-05T10:00:00Z",
            "[]",
        ),
    ] {
        r.insert(db).await.expect("registrant");
    }
    struct Join<'a> {
        session: i64,
        meeting: i64,
        key: &'a str,
        user: Option<i64>,
        registrant: Option<i64>,
        name: &'a str,
        email: Option<&'a str>,
        join: &'a str,
        leave: &'a str,
        role: &'a str,
    }
    let joins = [
        Join {
            session: ms,
            meeting: m,
            key: "m-occ-1==/100",
            user: Some(host),
            registrant: None,
            name: "Hanna Host",
            email: Some(HOST),
            join: "2026-11-10T09:02:00Z",
            leave: "2026-11-10T10:05:00Z",
            role: "HOST",
        },
        Join {
            session: ms,
            meeting: m,
            key: "m-occ-1==/101",
            user: None,
            registrant: None,
            name: "Guest A",
            email: None,
            join: "2026-11-10T09:03:00Z",
            leave: "2026-11-10T09:30:00Z",
            role: "ATTENDEE",
        },
        Join {
            session: ms,
            meeting: m,
            key: "m-occ-1==/102",
            user: None,
            registrant: None,
            name: "Guest A",
            email: None,
            join: "2026-11-10T09:35:00Z",
            leave: "2026-11-10T10:00:00Z",
            role: "ATTENDEE",
        },
        Join {
            session: ms,
            meeting: m,
            key: "m-occ-1==/103",
            user: None,
            registrant: None,
            name: "Bob",
            email: Some("bob@partner.example"),
            join: "2026-11-10T09:10:00Z",
            leave: "2026-11-10T10:04:30Z",
            role: "ATTENDEE",
        },
        Join {
            session: ws,
            meeting: w,
            key: "w-occ-1==/200",
            user: Some(host),
            registrant: None,
            name: "Hanna Host",
            email: Some(HOST),
            join: "2026-11-12T15:00:00Z",
            leave: "2026-11-12T16:00:00Z",
            role: "HOST",
        },
        Join {
            session: ws,
            meeting: w,
            key: "w-occ-1==/201",
            user: None,
            registrant: Some(rita),
            name: "Rita Reyes",
            email: None,
            join: "2026-11-12T15:02:00Z",
            leave: "2026-11-12T15:50:00Z",
            role: "ATTENDEE",
        },
        Join {
            session: ws,
            meeting: w,
            key: "w-occ-1==/202",
            user: None,
            registrant: None,
            name: "Anon",
            email: None,
            join: "2026-11-12T15:05:00Z",
            leave: "2026-11-12T15:20:00Z",
            role: "ATTENDEE",
        },
    ];
    for j in joins {
        let (join, leave) = (t(j.join), t(j.leave));
        participant::ActiveModel {
            id: NotSet,
            account_id: Set(account),
            source_id: Set(j.key.into()),
            session_id: Set(j.session),
            meeting_id: Set(j.meeting),
            user_id: Set(j.user),
            registrant_id: Set(j.registrant),
            name: Set(j.name.into()),
            email: Set(j.email.map(Into::into)),
            join_time: Set(join),
            leave_time: Set(Some(leave)),
            duration_seconds: Set(Some((leave - join).num_seconds())),
            join_method: Set("COMPUTER".into()),
            role: Set(j.role.into()),
            device: Set(None),
            ip_address: Set(None),
            location: Set(None),
            platform_user_id: Set(None),
            platform_registrant_id: Set(None),
        }
        .insert(db)
        .await
        .expect("participant");
    }
    let rec = recording::ActiveModel {
        id: NotSet,
        account_id: Set(account),
        source_id: Set("m-occ-1==".into()),
        meeting_id: Set(m),
        session_id: Set(ms),
        start_time: Set(t("2026-11-10T09:02:00Z")),
        end_time: Set(t("2026-11-10T10:05:00Z")),
        total_size_bytes: Set(1500),
    }
    .insert(db)
    .await
    .expect("recording")
    .id;
    for (id, kind, size) in [("file-1", "MP4", 1000), ("file-2", "M4A", 500)] {
        recording_file::ActiveModel {
            id: NotSet,
            account_id: Set(account),
            source_id: Set(Some(id.into())),
            recording_id: Set(rec),
            file_type: Set(kind.into()),
            size_bytes: Set(size),
            recording_start: Set(t("2026-11-10T09:02:00Z")),
            recording_end: Set(t("2026-11-10T10:05:00Z")),
        }
        .insert(db)
        .await
        .expect("file");
    }
    crate::common::fixtures::settle(db).await;
}

const OWNER_REPORTS: &str = r#"{
  dailyUsage(year: 2026, month: 11) { days { date newUsers meetings participants meetingMinutes } totals { newUsers meetings participants meetingMinutes } }
  meetings(from: "2026-11-01", to: "2026-11-30") { totalCount nodes {
    meetingNumber topic type registrationRequired createdAt scheduledStart plannedDurationMinutes host { email }
    sessions { uuid startTime endTime inProgress durationMinutes participantsCount meetingMinutes }
    participants(first: 50) { totalCount nodes { name email joinTime leaveTime durationSeconds inProgress role joinMethod } }
    attendees(first: 50) { totalCount nodes { name email firstJoinTime lastLeaveTime inProgress totalSeconds totalMinutes rejoinCount role intervals { joinTime leaveTime } } }
    recordings { startTime endTime durationSeconds totalSizeBytes files { fileType sizeBytes recordingStart recordingEnd } }
  } }
  webinars(from: "2026-11-01", to: "2026-11-30") { totalCount nodes {
    meetingNumber topic registrationRequired host { email }
    sessions { uuid startTime endTime participantsCount meetingMinutes }
    registrants(first: 50) { totalCount nodes { email firstName lastName status registeredAt customAnswers { question answer } attended attendee { name totalSeconds } } }
    absentees(first: 50) { totalCount nodes { email } }
    attendees(first: 50) { totalCount nodes { name firstJoinTime lastLeaveTime totalSeconds rejoinCount role } }
    performance { registrants approvedRegistrants attendedRegistrants uniqueAttendees attendanceRate absentees peakConcurrent totalMinutes averageMinutesPerAttendee questionsAsked questionsAnswered pollsLaunched pollRespondents pollParticipationRate }
  } }
}"#;

const HOST_USAGE: &str = r#"{ usage(from: "2026-11-01", to: "2026-11-30") {
  host { email } sessions { event { ... on Meeting { topic } ... on Webinar { topic } } session { uuid } participants meetingMinutes } totals { meetings participants meetingMinutes } } }"#;

async fn reports(app: &TestApp) -> (Value, Value) {
    let owner = app.query_as(OWNER, OWNER_REPORTS).await;
    let host = app.query_as(HOST, HOST_USAGE).await;
    (data(&owner).clone(), data(&host).clone())
}

async fn after_events(order: &[usize]) -> (Value, Value) {
    let app = TestApp::new().await;
    acme(&app).await;
    let events = events();
    for i in order {
        let (status, answer) = deliver(&app, &events[*i]).await;
        assert_eq!(status, 200, "{answer}");
    }
    let failed = entity::ingest_event::Entity::find()
        .filter(entity::ingest_event::Column::Status.ne("APPLIED"))
        .all(&app.db)
        .await
        .expect("read");
    assert!(
        failed.is_empty(),
        "{order:?}: {:?}",
        failed
            .iter()
            .map(|e| (&e.event, &e.reason))
            .collect::<Vec<_>>()
    );
    crate::common::assert_aggregates_exact(&app.db, &format!("{order:?}")).await;
    reports(&app).await
}

/// Permutations that are the same on every run (a small LCG), so a failure can be replayed.
fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut state = seed;
    for i in (1..n).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = (state >> 33) as usize % (i + 1);
        order.swap(i, j);
    }
    order
}

#[tokio::test]
async fn a_meeting_and_a_webinar_as_events_in_any_order_give_the_reports_of_the_data_loaded_directly(
) {
    let direct = {
        let app = TestApp::new().await;
        load_directly(&app).await;
        reports(&app).await
    };
    let (owner, host) = &direct;
    // The figures, computed by hand: the meeting's joins are 63, 27, 25 and 54.5 minutes
    // (10,170 s, 170 minutes), the webinar's 60, 48 and 15 (7,380 s, 123 minutes).
    let nov = |day: &str| {
        owner["dailyUsage"]["days"]
            .as_array()
            .expect("days")
            .iter()
            .find(|d| d["date"] == day)
            .cloned()
            .expect("day")
    };
    assert_eq!(
        nov("2026-11-10"),
        json!({ "date": "2026-11-10", "newUsers": 0, "meetings": 1, "participants": 3, "meetingMinutes": 170 })
    );
    assert_eq!(nov("2026-11-12")["meetingMinutes"], 123);
    let meeting = &owner["meetings"]["nodes"][0];
    assert_eq!(meeting["participants"]["totalCount"], 4);
    assert_eq!(meeting["attendees"]["totalCount"], 3);
    assert_eq!(meeting["recordings"][0]["totalSizeBytes"], "1500");
    let webinar = &owner["webinars"]["nodes"][0];
    assert_eq!(webinar["registrants"]["totalCount"], 3, "{webinar}");
    assert_eq!(
        webinar["performance"]["attendedRegistrants"], 1,
        "{webinar}"
    );
    assert_eq!(webinar["performance"]["peakConcurrent"], 3, "{webinar}");
    assert_eq!(host["usage"]["totals"]["meetingMinutes"], 293, "{host}");

    let n = events().len();
    let in_order: Vec<usize> = (0..n).collect();
    assert_eq!(after_events(&in_order).await, direct, "in order");
    let reversed: Vec<usize> = (0..n).rev().collect();
    assert_eq!(after_events(&reversed).await, direct, "reversed");
    for seed in [1, 7, 2026] {
        let order = shuffled(n, seed);
        assert_eq!(after_events(&order).await, direct, "shuffled {order:?}");
    }
}

#[tokio::test]
async fn every_event_delivered_twice_changes_nothing() {
    let direct = {
        let app = TestApp::new().await;
        load_directly(&app).await;
        reports(&app).await
    };
    let n = events().len();
    let twice: Vec<usize> = (0..n).chain((0..n).rev()).collect();
    assert_eq!(after_events(&twice).await, direct);
}

/// The events of `order` imported as one file: one batch (`ingest::batch`), whose joins and
/// leaves are applied together after the other events.
async fn after_one_batch(order: &[usize]) -> (Value, Value) {
    let app = TestApp::new().await;
    acme(&app).await;
    let events = events();
    let file: String = order.iter().map(|i| format!("{}\n", events[*i])).collect();
    let summary =
        meeting_reports::ingest::import::import(&app.db, file.as_bytes(), Utc::now(), |_, _| {})
            .await
            .expect("imports");
    let distinct = order.iter().collect::<std::collections::HashSet<_>>().len() as u64;
    assert_eq!(
        (summary.applied, summary.failed, summary.duplicates),
        (distinct, 0, order.len() as u64 - distinct),
        "{order:?}"
    );
    assert_eq!(summary.joins_one_by_one, 0, "applied as sets: {order:?}");
    crate::common::assert_aggregates_exact(&app.db, &format!("one batch {order:?}")).await;
    reports(&app).await
}

#[tokio::test]
async fn the_same_events_in_one_batch_give_the_same_reports_in_any_order_and_twice() {
    let direct = {
        let app = TestApp::new().await;
        load_directly(&app).await;
        reports(&app).await
    };
    let n = events().len();
    assert!(n < meeting_reports::ingest::import::BATCH as usize);
    let in_order: Vec<usize> = (0..n).collect();
    assert_eq!(after_one_batch(&in_order).await, direct, "in order");
    let reversed: Vec<usize> = (0..n).rev().collect();
    assert_eq!(after_one_batch(&reversed).await, direct, "reversed");
    for seed in [1, 7, 2026] {
        let order = shuffled(n, seed);
        assert_eq!(after_one_batch(&order).await, direct, "shuffled {order:?}");
    }
    let twice: Vec<usize> = (0..n).chain((0..n).rev()).collect();
    assert_eq!(after_one_batch(&twice).await, direct, "twice");
}

#[tokio::test]
async fn a_leave_before_its_join_writes_nothing_until_the_join_arrives() {
    let app = TestApp::new().await;
    acme(&app).await;
    let events = events();
    // The host, the meeting, its start, and Guest A's first leave (index 5) without its join.
    for i in [0, 1, 2, 5] {
        assert_eq!(deliver(&app, &events[i]).await.0, 200);
    }
    let q = r#"{ meetings(from: "2026-11-01", to: "2026-11-30") { nodes { participants(first: 10) { totalCount nodes { name leaveTime } } } } }"#;
    let before = app.query_as(OWNER, q).await;
    assert_eq!(
        data(&before)["meetings"]["nodes"][0]["participants"]["totalCount"],
        0
    );
    assert_eq!(deliver(&app, &events[4]).await.0, 200);
    let after = app.query_as(OWNER, q).await;
    assert_eq!(
        data(&after)["meetings"]["nodes"][0]["participants"]["nodes"],
        json!([{ "name": "Guest A", "leaveTime": "2026-11-10T09:30:00+00:00" }])
    );
}

#[tokio::test]
async fn a_meeting_in_progress_is_in_the_reports_before_its_end() {
    // The real clock: a join still in the meeting counts its seconds up to now.
    let app = TestApp::with_settings(meeting_reports::config::ReportSettings {
        fixed_now: None,
        ..settings()
    })
    .await;
    acme(&app).await;
    let now = Utc::now();
    let iso = |d: DateTime<Utc>| d.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let started = now - Duration::minutes(10);
    let object = |extra: Value| {
        let mut o = json!({ "id": "81234567890", "uuid": "live-1==", "host_id": "HOST-1", "topic": "Live one", "type": 1, "start_time": iso(started) });
        merge(&mut o, extra);
        o
    };
    let live = [
        envelope("meeting.started", &iso(started), ACME, object(json!({}))),
        envelope(
            "meeting.participant_joined",
            &iso(started),
            ACME,
            object(
                json!({ "participant": { "user_id": "1", "user_name": "Early", "join_time": iso(started) } }),
            ),
        ),
        envelope(
            "meeting.participant_joined",
            &iso(now - Duration::minutes(4)),
            ACME,
            object(
                json!({ "participant": { "user_id": "2", "user_name": "Short", "join_time": iso(now - Duration::minutes(4)) } }),
            ),
        ),
        envelope(
            "meeting.participant_left",
            &iso(now - Duration::minutes(2)),
            ACME,
            object(
                json!({ "participant": { "user_id": "2", "user_name": "Short", "leave_time": iso(now - Duration::minutes(2)) } }),
            ),
        ),
    ];
    for e in &live {
        assert_eq!(deliver(&app, e).await.0, 200);
    }
    let (from, today) = (
        started.format("%Y-%m-%d").to_string(),
        now.format("%Y-%m-%d").to_string(),
    );
    let q = format!(
        r#"{{ meetings(from: "{from}", to: "{today}") {{ nodes {{
            sessions {{ inProgress endTime durationMinutes participantsCount meetingMinutes }}
            participants(first: 10) {{ nodes {{ name leaveTime inProgress durationSeconds }} }}
            attendees(first: 10) {{ nodes {{ name lastLeaveTime inProgress totalSeconds }} }} }} }} }}"#
    );
    let answer = app.query_as(OWNER, &q).await;
    let meeting = &data(&answer)["meetings"]["nodes"][0];
    let session = &meeting["sessions"][0];
    assert_eq!(session["inProgress"], true, "{meeting}");
    assert_eq!(session["endTime"], Value::Null);
    assert_eq!(session["durationMinutes"], Value::Null);
    assert_eq!(session["participantsCount"], 2);
    // 10 minutes (and the seconds of this test) for Early, 2 for Short: 12 or 13 minutes.
    let minutes = session["meetingMinutes"].as_i64().expect("minutes");
    assert!((12..=13).contains(&minutes), "{session}");
    let participants = meeting["participants"]["nodes"].as_array().expect("nodes");
    let early = participants
        .iter()
        .find(|p| p["name"] == "Early")
        .expect("Early");
    assert_eq!(early["inProgress"], true);
    assert_eq!(early["leaveTime"], Value::Null);
    let seconds = early["durationSeconds"].as_i64().expect("seconds");
    assert!((600..660).contains(&seconds), "{early}");
    let short = participants
        .iter()
        .find(|p| p["name"] == "Short")
        .expect("Short");
    assert_eq!(short["inProgress"], false);
    assert_eq!(short["durationSeconds"], 120);
    let attendees = meeting["attendees"]["nodes"].as_array().expect("nodes");
    let early = attendees
        .iter()
        .find(|a| a["name"] == "Early")
        .expect("Early");
    assert_eq!(early["inProgress"], true);
    assert_eq!(early["lastLeaveTime"], Value::Null);
    assert!((600..660).contains(&early["totalSeconds"].as_i64().expect("seconds")));

    // Its end arrives: nothing is in progress any more, and the minutes stop counting.
    let end = now - Duration::minutes(1);
    for e in [
        envelope(
            "meeting.participant_left",
            &iso(end),
            ACME,
            object(
                json!({ "participant": { "user_id": "1", "user_name": "Early", "leave_time": iso(end) } }),
            ),
        ),
        envelope(
            "meeting.ended",
            &iso(end),
            ACME,
            object(json!({ "end_time": iso(end) })),
        ),
    ] {
        assert_eq!(deliver(&app, &e).await.0, 200);
    }
    let answer = app.query_as(OWNER, &q).await;
    let session = &data(&answer)["meetings"]["nodes"][0]["sessions"][0];
    assert_eq!(session["inProgress"], false);
    assert_eq!(session["durationMinutes"], 9);
    // Early 9 minutes, Short 2: 660 s = 11 minutes.
    assert_eq!(session["meetingMinutes"], 11);
}
