//! The meeting and webinar reports: usage, registration, poll, Q&A, attendee and performance,
//! against hand-computed expectations on a small fixture.

use serde_json::{json, Value};

use crate::common::{
    data, error_codes,
    fixtures::{exec, Fixture},
    sql_statements, TestApp,
};

struct World {
    webinar: i64,
    host: i64,
}

fn ts(hm: &str) -> String {
    format!("'2026-11-03T{hm}:00+00:00'")
}

/// Acme: host@ holds one webinar (10:00–11:00) with a panelist, five registrants (Alice and
/// Bob approved and attending — Alice by registrant id with a rejoin, Bob by email only —
/// Carol approved and absent, Dave pending, Erin denied) and an unregistered guest, Zed.
/// Three Q&A questions, three polls (one anonymous, one never launched).
async fn world(app: &TestApp) -> World {
    let f = Fixture::new(&app.db);
    let acc = f.account("Acme", "acme.example", "BUSINESS").await;
    let host = f.user(acc, "host@acme.example", "MEMBER").await;
    f.user(acc, "colleague@acme.example", "MEMBER").await;
    let analyst_role = f.custom_role(acc, "Analyst", true, false, false).await;
    f.user_with_role(acc, "analyst@acme.example", "MEMBER", Some(analyst_role))
        .await;
    let other = f.account("Rival", "rival.example", "BUSINESS").await;
    f.user(other, "owner@rival.example", "OWNER").await;
    let w = f.meeting(acc, host, "WEBINAR", "Product launch").await;
    let s = f.session(acc, w, "2026-11-03T10:00:00Z", 60).await;
    let mut sql = Vec::new();
    for (id, email, first, status, at) in [
        (
            9001,
            "alice@guest.example",
            "Alice",
            "APPROVED",
            "2026-11-01T08:00:00+00:00",
        ),
        (
            9002,
            "bob@guest.example",
            "Bob",
            "APPROVED",
            "2026-11-01T09:00:00+00:00",
        ),
        (
            9003,
            "carol@guest.example",
            "Carol",
            "APPROVED",
            "2026-11-01T10:00:00+00:00",
        ),
        (
            9004,
            "dave@guest.example",
            "Dave",
            "PENDING",
            "2026-11-01T11:00:00+00:00",
        ),
        (
            9005,
            "erin@guest.example",
            "Erin",
            "DENIED",
            "2026-11-01T12:00:00+00:00",
        ),
    ] {
        sql.push(format!(
            "INSERT INTO registrant (id, account_id, source_id, meeting_id, email, first_name, last_name, status, registered_at, custom_answers) \
             VALUES ({id}, {acc}, 'reg-{id}', {w}, '{email}', '{first}', 'Guest', '{status}', '{at}', '[{{\"question\":\"Company\",\"answer\":\"{first} Ltd\"}}]')"
        ));
    }
    for (id, user, reg, name, email, role, join, leave) in [
        (
            9101,
            Some(host),
            None,
            "Host",
            Some("host@acme.example"),
            "HOST",
            "10:00",
            "11:00",
        ),
        (
            9102,
            None,
            None,
            "Pat Panel",
            Some("pat@acme.example"),
            "PANELIST",
            "10:00",
            "11:00",
        ),
        (
            9103,
            None,
            Some(9001),
            "Alice",
            Some("alice@guest.example"),
            "ATTENDEE",
            "10:00",
            "10:20",
        ),
        (
            9104,
            None,
            Some(9001),
            "Alice",
            Some("alice@guest.example"),
            "ATTENDEE",
            "10:30",
            "11:00",
        ),
        (
            9105,
            None,
            None,
            "Bob",
            Some("BOB@guest.example"),
            "ATTENDEE",
            "10:05",
            "10:35",
        ),
        (9106, None, None, "Zed", None, "ATTENDEE", "10:10", "10:40"),
    ] {
        let (j, l) = (ts(join), ts(leave));
        let user = user.map_or("NULL".to_owned(), |u| u.to_string());
        let reg = reg.map_or("NULL".to_owned(), |r: i64| r.to_string());
        let email = email.map_or("NULL".to_owned(), |e| format!("'{e}'"));
        let secs = minutes(leave) * 60 - minutes(join) * 60;
        sql.push(format!(
            "INSERT INTO participant (id, account_id, source_id, session_id, meeting_id, user_id, registrant_id, name, email, join_time, leave_time, duration_seconds, join_method, role, device, ip_address, location) \
             VALUES ({id}, {acc}, 'p-{id}', {s}, {w}, {user}, {reg}, '{name}', {email}, {j}, {l}, {secs}, 'COMPUTER', '{role}', 'Mac', '198.51.100.7', 'Lyon, FR')"
        ));
    }
    sql.push(format!("INSERT INTO qa_question (id, account_id, source_id, meeting_id, asker_name, asker_email, anonymous, question, asked_at, status) VALUES \
        (9201, {acc}, 'q1', {w}, 'Alice', 'alice@guest.example', false, 'When does it ship?', {}, 'ANSWERED'), \
        (9202, {acc}, 'q2', {w}, 'Bob', 'bob@guest.example', true, 'How much?', {}, 'OPEN'), \
        (9203, {acc}, 'q3', {w}, 'Zed', NULL, false, 'Off topic', {}, 'DISMISSED')", ts("10:15"), ts("10:16"), ts("10:17")));
    sql.push(format!("INSERT INTO qa_answer (id, account_id, question_id, answerer_name, content, answered_at, kind) VALUES \
        (9301, {acc}, 9201, 'Pat Panel', 'In December.', {}, 'TEXT')", ts("10:18")));
    sql.push(format!("INSERT INTO poll (id, account_id, source_id, meeting_id, title, anonymous, launched_at) VALUES \
        (9401, {acc}, 'poll1', {w}, 'Satisfaction', false, {}), \
        (9402, {acc}, 'poll2', {w}, 'Secret ballot', true, {}), \
        (9403, {acc}, 'poll3', {w}, 'Never launched', false, NULL)", ts("10:40"), ts("10:45")));
    sql.push(format!("INSERT INTO poll_question (id, account_id, poll_id, position, text, question_type) VALUES \
        (9501, {acc}, 9401, 1, 'How was it?', 'SINGLE_CHOICE'), \
        (9502, {acc}, 9402, 1, 'Who wins?', 'SINGLE_CHOICE'), \
        (9503, {acc}, 9403, 1, 'Unused', 'SHORT_ANSWER')"));
    sql.push(format!("INSERT INTO poll_response (id, account_id, question_id, participant_id, respondent_name, respondent_email, answer, answered_at) VALUES \
        (9601, {acc}, 9501, 9104, 'Alice', 'alice@guest.example', 'Great', {}), \
        (9602, {acc}, 9501, 9105, 'Bob', 'bob@guest.example', 'Good', {}), \
        (9603, {acc}, 9502, 9104, 'Alice', 'alice@guest.example', 'Blue', {})", ts("10:41"), ts("10:42"), ts("10:46")));
    exec(&app.db, &sql).await;
    World { webinar: w, host }
}

fn minutes(hm: &str) -> i64 {
    let (h, m) = hm.split_once(':').unwrap();
    h.parse::<i64>().unwrap() * 60 + m.parse::<i64>().unwrap()
}

const REPORTS: &str = r#"
    id topic
    registrants(first: 10) { totalCount nodes { email status attended customAnswers { question answer }
        attendee { totalSeconds rejoinCount } } }
    approved: registrants(status: APPROVED) { totalCount }
    absentees { totalCount nodes { email } }
    attendees(first: 10) { nodes { name role totalSeconds } }
    qa { totalCount nodes { askerName askerEmail status answers { answererName content kind } } }
    polls { title anonymous questions { text responses { totalCount nodes { respondentName answer } } } }
    performance { registrants approvedRegistrants attendedRegistrants uniqueAttendees attendanceRate
        absentees peakConcurrent totalMinutes averageMinutesPerAttendee questionsAsked questionsAnswered
        pollsLaunched pollRespondents pollParticipationRate }
"#;

fn webinar_query(id: i64) -> String {
    format!(r#"{{ webinar(id: "{id}") {{ {REPORTS} }} }}"#)
}

#[tokio::test]
async fn the_webinar_reports_match_hand_computed_figures() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let response = app
        .query_as("host@acme.example", &webinar_query(w.webinar))
        .await;
    let webinar = &data(&response)["webinar"];

    // Registration: every status, in registration order; attendance by registrant id or email.
    let registrants = webinar["registrants"]["nodes"].as_array().unwrap();
    assert_eq!(webinar["registrants"]["totalCount"], 5);
    let attended: Vec<(&str, bool)> = registrants
        .iter()
        .map(|r| {
            (
                r["email"].as_str().unwrap(),
                r["attended"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        attended,
        [
            ("alice@guest.example", true),
            ("bob@guest.example", true),
            ("carol@guest.example", false),
            ("dave@guest.example", false),
            ("erin@guest.example", false)
        ]
    );
    assert_eq!(
        registrants[0]["customAnswers"],
        json!([{ "question": "Company", "answer": "Alice Ltd" }])
    );
    assert_eq!(
        registrants[0]["attendee"],
        json!({ "totalSeconds": 50 * 60, "rejoinCount": 1 })
    );
    assert_eq!(
        registrants[1]["attendee"],
        json!({ "totalSeconds": 30 * 60, "rejoinCount": 0 })
    );
    assert_eq!(registrants[2]["attendee"], Value::Null);
    assert_eq!(webinar["approved"]["totalCount"], 3);

    // Absentees: approved registrants who never joined; pending and denied ones are not absent.
    assert_eq!(
        webinar["absentees"],
        json!({ "totalCount": 1, "nodes": [{ "email": "carol@guest.example" }] })
    );

    // Attendees carry their role.
    let roles: Vec<(&str, &str)> = webinar["attendees"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), a["role"].as_str().unwrap()))
        .collect();
    assert!(
        roles.contains(&("Pat Panel", "PANELIST")) && roles.contains(&("Host", "HOST")),
        "{roles:?}"
    );

    // Q&A: an anonymous asker is hidden.
    let qa = &webinar["qa"];
    assert_eq!(qa["totalCount"], 3);
    assert_eq!(
        qa["nodes"][0]["answers"],
        json!([{ "answererName": "Pat Panel", "content": "In December.", "kind": "TEXT" }])
    );
    assert_eq!(qa["nodes"][1]["askerName"], "Anonymous Attendee");
    assert_eq!(qa["nodes"][1]["askerEmail"], Value::Null);

    // Polls: an anonymous poll hides who answered.
    let polls = webinar["polls"].as_array().unwrap();
    assert_eq!(polls.len(), 3);
    assert_eq!(polls[0]["questions"][0]["responses"]["totalCount"], 2);
    assert_eq!(
        polls[0]["questions"][0]["responses"]["nodes"][0]["respondentName"],
        "Alice"
    );
    assert_eq!(polls[1]["anonymous"], true);
    assert_eq!(
        polls[1]["questions"][0]["responses"]["nodes"][0],
        json!({ "respondentName": null, "answer": "Blue" })
    );

    // Performance, by hand: attendees (role ATTENDEE) are Alice, Bob and Zed; Alice's rejoin
    // counts once among them and fully in minutes (20 + 30), Bob 30, Zed 30.
    let p = &webinar["performance"];
    assert_eq!(p["registrants"], 5);
    assert_eq!(p["approvedRegistrants"], 3);
    assert_eq!(p["attendedRegistrants"], 2);
    assert_eq!(p["uniqueAttendees"], 3);
    assert!((p["attendanceRate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(p["absentees"], 1);
    // 10:10–10:20 and 10:30–10:35: host, panelist, Alice, Bob, Zed.
    assert_eq!(p["peakConcurrent"], 5);
    assert_eq!(p["totalMinutes"], 110);
    assert!((p["averageMinutesPerAttendee"].as_f64().unwrap() - 110.0 / 3.0).abs() < 1e-9);
    assert_eq!(p["questionsAsked"], 3);
    assert_eq!(p["questionsAnswered"], 1);
    assert_eq!(p["pollsLaunched"], 2);
    // Alice and Bob answered (Alice twice); Zed did not.
    assert_eq!(p["pollRespondents"], 2);
    assert!((p["pollParticipationRate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
}

#[tokio::test]
async fn a_member_reads_their_own_webinar_a_colleague_gets_not_found_an_analyst_reads_all() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let q = format!(
        r#"{{ webinar(id: "{}") {{ topic performance {{ registrants }} }} }}"#,
        w.webinar
    );
    assert_eq!(
        data(&app.query_as("host@acme.example", &q).await)["webinar"]["topic"],
        "Product launch"
    );
    assert_eq!(
        error_codes(&app.query_as("colleague@acme.example", &q).await),
        vec!["NOT_FOUND"]
    );
    assert_eq!(
        data(&app.query_as("analyst@acme.example", &q).await)["webinar"]["performance"]
            ["registrants"],
        5
    );
    assert_eq!(
        error_codes(&app.query_as("owner@rival.example", &q).await),
        vec!["NOT_FOUND"]
    );
    // A webinar is not a meeting.
    let as_meeting = format!(r#"{{ meeting(id: "{}") {{ topic }} }}"#, w.webinar);
    assert_eq!(
        error_codes(&app.query_as("host@acme.example", &as_meeting).await),
        vec!["NOT_FOUND"]
    );
}

#[tokio::test]
async fn other_accounts_reach_nothing_through_users_or_hosts() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let q = format!(r#"{{ user(id: "{}") {{ email }} }}"#, w.host);
    assert_eq!(
        error_codes(&app.query_as("owner@rival.example", &q).await),
        vec!["NOT_FOUND"]
    );
    let users = app.query_as("owner@rival.example", r#"{ users(first: 100) { totalCount nodes { email webinars(from: "2026-11-01", to: "2026-11-14") { totalCount } } } }"#).await;
    let nodes = data(&users)["users"]["nodes"].as_array().unwrap().clone();
    assert_eq!(
        nodes,
        vec![json!({ "email": "owner@rival.example", "webinars": { "totalCount": 0 } })]
    );
    // A member sees only themselves among users, and a colleague's id is not found.
    let member = app
        .query_as(
            "colleague@acme.example",
            "{ users { totalCount nodes { email } } }",
        )
        .await;
    assert_eq!(
        data(&member)["users"],
        json!({ "totalCount": 1, "nodes": [{ "email": "colleague@acme.example" }] })
    );
    assert_eq!(
        error_codes(&app.query_as("colleague@acme.example", &q).await),
        vec!["NOT_FOUND"]
    );
}

#[tokio::test]
async fn host_to_webinars_to_registrants_to_attendee_walks_the_graph() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let q = format!(
        r#"{{ user(id: "{}") {{ email webinars(from: "2026-11-01", to: "2026-11-14") {{ totalCount nodes {{
            topic registrants(status: APPROVED) {{ nodes {{ email attendee {{ firstJoinTime lastLeaveTime }} }} }} }} }}
            meetings(from: "2026-11-01", to: "2026-11-14") {{ totalCount }} }} }}"#,
        w.host
    );
    for email in ["host@acme.example", "analyst@acme.example"] {
        let response = app.query_as(email, &q).await;
        let user = &data(&response)["user"];
        assert_eq!(user["webinars"]["totalCount"], 1, "{email}");
        assert_eq!(user["meetings"]["totalCount"], 0);
        let alice = &user["webinars"]["nodes"][0]["registrants"]["nodes"][0];
        assert_eq!(
            alice["attendee"]["firstJoinTime"],
            "2026-11-03T10:00:00+00:00"
        );
        assert_eq!(
            alice["attendee"]["lastLeaveTime"],
            "2026-11-03T11:00:00+00:00"
        );
    }
}

#[tokio::test]
async fn the_usage_report_lists_each_session_with_its_people_and_minutes() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let f = Fixture::new(&app.db);
    let acc: i64 = 1;
    let m = f.meeting(acc, w.host, "MEETING", "1:1").await;
    let s = f.session(acc, m, "2026-11-05T09:00:00Z", 30).await;
    f.join(
        acc,
        m,
        s,
        Some(w.host),
        "Host",
        Some("host@acme.example"),
        "2026-11-05T09:00:00Z",
        "2026-11-05T09:30:00Z",
    )
    .await;
    f.join(
        acc,
        m,
        s,
        None,
        "Guest",
        Some("g@x.example"),
        "2026-11-05T09:01:00Z",
        "2026-11-05T09:10:30Z",
    )
    .await;
    let q = r#"{ usage(from: "2026-11-01", to: "2026-11-14") { host { email }
        sessions { event { __typename ... on Webinar { topic } ... on Meeting { topic } } participants meetingMinutes }
        totals { meetings participants meetingMinutes } } }"#;
    let response = app.query_as("host@acme.example", q).await;
    let usage = &data(&response)["usage"];
    assert_eq!(usage["host"]["email"], "host@acme.example");
    // Webinar: 6 people-rows, 5 people; minutes 60+60+20+30+30+30 = 230.
    // Meeting: 2 people; 30 min + 9.5 min = 39.5, rounded up to 40.
    assert_eq!(
        usage["sessions"],
        json!([
            { "event": { "__typename": "Webinar", "topic": "Product launch" }, "participants": 5, "meetingMinutes": 230 },
            { "event": { "__typename": "Meeting", "topic": "1:1" }, "participants": 2, "meetingMinutes": 40 }
        ])
    );
    assert_eq!(
        usage["totals"],
        json!({ "meetings": 2, "participants": 7, "meetingMinutes": 270 })
    );
    // Another host's usage needs usage_reports.
    let other = format!(
        r#"{{ usage(from: "2026-11-01", to: "2026-11-14", hostId: "{}") {{ totals {{ meetings }} }} }}"#,
        w.host
    );
    assert_eq!(
        error_codes(&app.query_as("colleague@acme.example", &other).await),
        vec!["FORBIDDEN"]
    );
    assert_eq!(
        data(&app.query_as("analyst@acme.example", &other).await)["usage"]["totals"]["meetings"],
        2
    );
}

/// 105 webinars of two hosts, each with registrants, joins, Q&A and a poll.
async fn many_webinars(app: &TestApp) {
    let f = Fixture::new(&app.db);
    let acc = f.account("Big", "big.example", "ENTERPRISE").await;
    f.user(acc, "admin@big.example", "ADMIN").await;
    let hosts = [
        f.user(acc, "h1@big.example", "MEMBER").await,
        f.user(acc, "h2@big.example", "MEMBER").await,
    ];
    let mut sql = Vec::new();
    for i in 0..105i64 {
        let (w, s) = (50_000 + i, 60_000 + i);
        let day = 2 + i % 12;
        let at = |hm: &str| format!("'2026-11-{day:02}T{hm}:00+00:00'");
        sql.push(format!("INSERT INTO meeting (id, account_id, source_id, host_id, kind, meeting_number, topic, meeting_type, scheduled_start, planned_duration_minutes, registration_required, created_at, deleted_at) \
            VALUES ({w}, {acc}, 'w{w}', {}, 'WEBINAR', {}, 'Webinar {i}', 'SCHEDULED', NULL, 60, true, '2026-10-01T00:00:00+00:00', NULL)", hosts[(i % 2) as usize], 70_000_000_000 + i));
        sql.push(format!("INSERT INTO meeting_session (id, account_id, source_id, meeting_id, start_time, end_time) VALUES ({s}, {acc}, 's{s}', {w}, {}, {})", at("10:00"), at("11:00")));
        for r in 0..4i64 {
            let rid = w * 10 + r;
            sql.push(format!("INSERT INTO registrant (id, account_id, source_id, meeting_id, email, first_name, last_name, status, registered_at, custom_answers) \
                VALUES ({rid}, {acc}, 'r{rid}', {w}, 'p{r}@x.example', 'P{r}', 'X', 'APPROVED', '2026-10-20T10:00:00+00:00', '[]')"));
            if r < 3 {
                sql.push(format!("INSERT INTO participant (id, account_id, source_id, session_id, meeting_id, user_id, registrant_id, name, email, join_time, leave_time, duration_seconds, join_method, role, device, ip_address, location) \
                    VALUES ({rid}, {acc}, 'pp{rid}', {s}, {w}, NULL, {rid}, 'P{r}', 'p{r}@x.example', {}, {}, 1800, 'COMPUTER', 'ATTENDEE', NULL, NULL, NULL)", at("10:00"), at("10:30")));
            }
        }
        sql.push(format!("INSERT INTO qa_question (id, account_id, source_id, meeting_id, asker_name, asker_email, anonymous, question, asked_at, status) VALUES ({w}, {acc}, 'q{w}', {w}, 'P0', NULL, false, 'Why?', {}, 'ANSWERED')", at("10:10")));
        sql.push(format!("INSERT INTO qa_answer (id, account_id, question_id, answerer_name, content, answered_at, kind) VALUES ({w}, {acc}, {w}, 'Host', 'Because.', {}, 'LIVE')", at("10:11")));
        sql.push(format!("INSERT INTO poll (id, account_id, source_id, meeting_id, title, anonymous, launched_at) VALUES ({w}, {acc}, 'poll{w}', {w}, 'Poll', false, {})", at("10:20")));
        sql.push(format!("INSERT INTO poll_question (id, account_id, poll_id, position, text, question_type) VALUES ({w}, {acc}, {w}, 1, 'Q', 'SINGLE_CHOICE')"));
        sql.push(format!("INSERT INTO poll_response (id, account_id, question_id, participant_id, respondent_name, respondent_email, answer, answered_at) VALUES ({w}, {acc}, {w}, {}, 'P0', 'p0@x.example', 'A', {})", w * 10, at("10:21")));
    }
    exec(&app.db, &sql).await;
}

#[tokio::test]
async fn the_combined_webinar_query_runs_as_many_statements_for_5_webinars_as_for_100() {
    let app = TestApp::new().await;
    many_webinars(&app).await;
    let q = |first: usize| {
        format!(
            r#"{{ webinars(from: "2026-11-01", to: "2026-11-14", first: {first}) {{ totalCount nodes {{ {REPORTS} host {{ email }} }} }} }}"#
        )
    };
    let small = app.query_as("admin@big.example", &q(5)).await;
    let large = app.query_as("admin@big.example", &q(100)).await;
    assert_eq!(
        data(&small)["webinars"]["nodes"].as_array().unwrap().len(),
        5
    );
    assert_eq!(
        data(&large)["webinars"]["nodes"].as_array().unwrap().len(),
        100
    );
    assert_eq!(data(&large)["webinars"]["totalCount"], 105);
    let p = &data(&large)["webinars"]["nodes"][99]["performance"];
    assert_eq!(p["registrants"], 4);
    assert_eq!(p["attendedRegistrants"], 3);
    assert_eq!(p["pollRespondents"], 1);
    assert_eq!(sql_statements(&large), sql_statements(&small));
    // One statement per relation; first pages carry their counts (registrants, approved,
    // absentees, Q&A, poll answers), so only counts without a page run apart, and the hosts
    // are read along with the page: 12, whatever the page size.
    assert_eq!(sql_statements(&small), 12, "{small:#}");
}

#[tokio::test]
async fn registrant_pages_after_a_cursor_still_count_every_registrant_of_the_filter() {
    let app = TestApp::new().await;
    many_webinars(&app).await;
    let q = |after: &str| {
        format!(
            r#"{{ webinars(from: "2026-11-01", to: "2026-11-14", first: 2) {{ nodes {{
                registrants(first: 3{after}) {{ totalCount pageInfo {{ endCursor }} nodes {{ email }} }}
                approved: registrants(status: APPROVED, first: 1{after}) {{ totalCount }}
            }} }} }}"#
        )
    };
    let first = app.query_as("admin@big.example", &q("")).await;
    let node = &data(&first)["webinars"]["nodes"][0];
    assert_eq!(node["registrants"]["totalCount"], 4, "{first:#}");
    assert_eq!(node["approved"]["totalCount"], 4);
    let cursor = node["registrants"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let later = app
        .query_as("admin@big.example", &q(&format!(r#", after: "{cursor}""#)))
        .await;
    let node = &data(&later)["webinars"]["nodes"][0];
    assert_eq!(node["registrants"]["nodes"].as_array().unwrap().len(), 1);
    assert_eq!(node["registrants"]["totalCount"], 4, "{later:#}");
    assert_eq!(node["approved"]["totalCount"], 4, "{later:#}");
    // webinars page, two registrant pages, two counts (after a cursor they count apart).
    assert_eq!(sql_statements(&later), 5, "{later:#}");
}

#[tokio::test]
async fn on_the_demo_data_the_analyst_reads_every_webinar_and_a_member_only_their_own() {
    let app = TestApp::with_demo().await;
    // The demo's webinars lie anywhere in the year: walk the months before NOW.
    let mut by_host: Vec<(String, String)> = Vec::new();
    for (from, to) in [
        ("2026-10-15", "2026-11-14"),
        ("2026-09-15", "2026-10-14"),
        ("2026-08-15", "2026-09-14"),
        ("2026-07-15", "2026-08-14"),
    ] {
        let q = format!(
            r#"{{ webinars(from: "{from}", to: "{to}", first: 100) {{ nodes {{ id host {{ email }} performance {{ registrants }} }} }} }}"#
        );
        let response = app.query_as("analyst@demo.example", &q).await;
        for n in data(&response)["webinars"]["nodes"].as_array().unwrap() {
            by_host.push((
                n["id"].as_str().unwrap().to_owned(),
                n["host"]["email"].as_str().unwrap().to_owned(),
            ));
        }
        let other = app.query_as("owner@other.example", &q).await;
        assert!(data(&other)["webinars"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["host"]["email"]
                .as_str()
                .unwrap()
                .ends_with("@other.example")));
    }
    let own = by_host
        .iter()
        .find(|(_, h)| h == "member@demo.example")
        .expect("the demo member hosts a webinar");
    let colleague = by_host
        .iter()
        .find(|(_, h)| h != "member@demo.example")
        .expect("someone else hosts a webinar");
    let read = |id: &str| {
        format!(
            r#"{{ webinar(id: "{id}") {{ topic registrants {{ totalCount }} performance {{ uniqueAttendees }} }} }}"#
        )
    };
    assert!(
        data(&app.query_as("member@demo.example", &read(&own.0)).await)["webinar"]["topic"]
            .is_string()
    );
    assert_eq!(
        error_codes(
            &app.query_as("member@demo.example", &read(&colleague.0))
                .await
        ),
        vec!["NOT_FOUND"]
    );
    assert_eq!(
        error_codes(&app.query_as("owner@other.example", &read(&own.0)).await),
        vec!["NOT_FOUND"]
    );
    assert!(data(
        &app.query_as("analyst@demo.example", &read(&colleague.0))
            .await
    )["webinar"]["topic"]
        .is_string());
}
