//! The meetings slice: visibility by role, tenant isolation, range rules, attendee merging,
//! pagination and guarded personal data.

use serde_json::{json, Value};

use crate::common::{data, error_codes, fixtures::Fixture, TestApp};

/// A month of the demo data before the tests' NOW.
const MONTH: &str = r#"from: "2026-10-15", to: "2026-11-14""#;

fn hosts(response: &Value) -> Vec<String> {
    data(response)["meetings"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["host"]["email"].as_str().unwrap().to_owned())
        .collect()
}

fn all_meetings(from_to: &str) -> String {
    format!("{{ meetings({from_to}, first: 300) {{ totalCount nodes {{ id topic host {{ email }} }} }} }}")
}

#[tokio::test]
async fn a_member_sees_only_the_meetings_they_host() {
    let app = TestApp::with_demo().await;
    let response = app
        .query_as("member@demo.example", &all_meetings(MONTH))
        .await;
    let hosts = hosts(&response);
    assert!(
        !hosts.is_empty(),
        "the demo member hosts meetings that month"
    );
    assert!(
        hosts.iter().all(|h| h == "member@demo.example"),
        "{hosts:?}"
    );
}

#[tokio::test]
async fn admins_and_analysts_see_every_host_of_the_account() {
    let app = TestApp::with_demo().await;
    for email in [
        "owner@demo.example",
        "admin@demo.example",
        "analyst@demo.example",
    ] {
        let response = app.query_as(email, &all_meetings(MONTH)).await;
        let hosts = hosts(&response);
        let distinct: std::collections::BTreeSet<_> = hosts.iter().collect();
        assert!(
            distinct.len() > 2,
            "{email} sees several hosts: {distinct:?}"
        );
        assert!(
            hosts.iter().all(|h| h.ends_with("@demo.example")),
            "{hosts:?}"
        );
    }
}

#[tokio::test]
async fn a_custom_role_without_usage_reports_is_a_member_for_meetings() {
    let app = TestApp::with_demo().await;
    for email in ["auditor@demo.example", "billing@demo.example"] {
        let response = app.query_as(email, &all_meetings(MONTH)).await;
        assert!(hosts(&response).iter().all(|h| h == email), "{email}");
    }
}

#[tokio::test]
async fn another_account_never_sees_demo_corp_meetings() {
    let app = TestApp::with_demo().await;
    let response = app
        .query_as("owner@other.example", &all_meetings(MONTH))
        .await;
    let hosts = hosts(&response);
    assert!(!hosts.is_empty(), "Other Inc has meetings of its own");
    assert!(
        hosts.iter().all(|h| h.ends_with("@other.example")),
        "{hosts:?}"
    );

    let demo = app
        .query_as("owner@demo.example", &all_meetings(MONTH))
        .await;
    let demo_id = data(&demo)["meetings"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let probe = app
        .query_as(
            "owner@other.example",
            &format!(r#"{{ meeting(id: "{demo_id}") {{ topic }} }}"#),
        )
        .await;
    assert_eq!(error_codes(&probe), vec!["NOT_FOUND"]);
    assert_eq!(probe["data"]["meeting"], Value::Null);

    // Filtering by a Demo Corp host from Other Inc finds nothing either.
    let demo_host = app.user_id("member@demo.example").await;
    let response = app
        .query_as(
            "owner@other.example",
            &format!(
                r#"{{ meetings({MONTH}, hostId: "{demo_host}") {{ totalCount nodes {{ id }} }} }}"#
            ),
        )
        .await;
    assert_eq!(data(&response)["meetings"]["totalCount"], 0);
}

#[tokio::test]
async fn a_member_gets_not_found_for_a_colleagues_meeting_and_forbidden_for_their_host_id() {
    let app = TestApp::with_demo().await;
    let admin_view = app
        .query_as("admin@demo.example", &all_meetings(MONTH))
        .await;
    let colleague_meeting = data(&admin_view)["meetings"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["host"]["email"] != "member@demo.example")
        .expect("someone else hosts a meeting")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = app
        .query_as(
            "member@demo.example",
            &format!(r#"{{ meeting(id: "{colleague_meeting}") {{ topic }} }}"#),
        )
        .await;
    assert_eq!(error_codes(&response), vec!["NOT_FOUND"]);
    let admin = app
        .query_as(
            "admin@demo.example",
            &format!(r#"{{ meeting(id: "{colleague_meeting}") {{ topic }} }}"#),
        )
        .await;
    assert!(data(&admin)["meeting"]["topic"].is_string());

    let owner_id = app.user_id("owner@demo.example").await;
    let response = app
        .query_as(
            "member@demo.example",
            &format!(r#"{{ meetings({MONTH}, hostId: "{owner_id}") {{ totalCount }} }}"#),
        )
        .await;
    assert_eq!(error_codes(&response), vec!["FORBIDDEN"]);
}

#[tokio::test]
async fn a_basic_account_gets_plan_not_supported_but_still_reads_the_viewer() {
    let app = TestApp::with_demo().await;
    let response = app
        .query_as("owner@free.example", &all_meetings(MONTH))
        .await;
    assert_eq!(error_codes(&response), vec!["PLAN_NOT_SUPPORTED"]);
    let response = app
        .query_as("owner@free.example", r#"{ meeting(id: "1") { id } }"#)
        .await;
    assert_eq!(error_codes(&response), vec!["PLAN_NOT_SUPPORTED"]);
    let viewer = app
        .query_as(
            "owner@free.example",
            "{ viewer { account { plan } reportsEnabled } }",
        )
        .await;
    assert_eq!(data(&viewer)["viewer"]["account"]["plan"], "BASIC");
    assert_eq!(data(&viewer)["viewer"]["reportsEnabled"], false);
}

#[tokio::test]
async fn range_rules_give_bad_user_input_saying_which_rule() {
    let app = TestApp::with_demo().await;
    for (range, says) in [
        (r#"from: "2026-09-01", to: "2026-11-01""#, "at most 1 month"),
        (r#"from: "2026-11-10", to: "2026-11-01""#, "after"),
        (r#"from: "2025-10-01", to: "2025-10-20""#, "2025-11-15"),
    ] {
        let response = app
            .query_as(
                "owner@demo.example",
                &format!("{{ meetings({range}) {{ totalCount }} }}"),
            )
            .await;
        assert_eq!(error_codes(&response), vec!["BAD_USER_INPUT"], "{range}");
        let message = response["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(says), "{range}: {message}");
    }
    let response = app
        .query_as(
            "owner@demo.example",
            r#"{ meetings(from: "2026-13-01", to: "2026-11-01") { totalCount } }"#,
        )
        .await;
    assert_eq!(error_codes(&response), vec!["BAD_USER_INPUT"]);
}

/// One meeting: Alice (signed-in user) leaves and rejoins, Bob joins once with his email in two
/// spellings over two rows, a phone guest known only by name joins twice.
async fn rejoin_world(app: &TestApp) -> (i64, i64) {
    let f = Fixture::new(&app.db);
    let acc = f.account("Acme", "acme.example", "BUSINESS").await;
    let host = f.user(acc, "host@acme.example", "MEMBER").await;
    let alice = f.user(acc, "alice@acme.example", "MEMBER").await;
    let m = f.meeting(acc, host, "MEETING", "Weekly sync").await;
    let s = f.session(acc, m, "2026-11-03T09:00:00Z", 90).await;
    f.join(
        acc,
        m,
        s,
        Some(host),
        "Host",
        Some("host@acme.example"),
        "2026-11-03T09:00:00Z",
        "2026-11-03T10:30:00Z",
    )
    .await;
    f.join(
        acc,
        m,
        s,
        Some(alice),
        "Alice",
        Some("alice@acme.example"),
        "2026-11-03T09:05:00Z",
        "2026-11-03T09:20:00Z",
    )
    .await;
    f.join(
        acc,
        m,
        s,
        Some(alice),
        "Alice (phone)",
        None,
        "2026-11-03T09:30:00Z",
        "2026-11-03T09:50:00Z",
    )
    .await;
    f.join(
        acc,
        m,
        s,
        None,
        "Bob",
        Some("Bob@Guest.example"),
        "2026-11-03T09:10:00Z",
        "2026-11-03T09:40:00Z",
    )
    .await;
    f.join(
        acc,
        m,
        s,
        None,
        "Bob",
        Some("bob@guest.example"),
        "2026-11-03T09:45:00Z",
        "2026-11-03T10:00:00Z",
    )
    .await;
    f.join(
        acc,
        m,
        s,
        None,
        "Dial-in 3",
        None,
        "2026-11-03T09:15:00Z",
        "2026-11-03T09:16:00Z",
    )
    .await;
    f.join(
        acc,
        m,
        s,
        None,
        "Dial-in 3",
        None,
        "2026-11-03T09:17:00Z",
        "2026-11-03T09:19:30Z",
    )
    .await;
    (acc, m)
}

#[tokio::test]
async fn attendees_merge_a_persons_rejoins_and_participants_keep_every_join() {
    let app = TestApp::new().await;
    let (_, m) = rejoin_world(&app).await;
    let response = app
        .query_as(
            "host@acme.example",
            &format!(
                r#"{{ meeting(id: "{m}") {{
                    sessions {{ participantsCount durationMinutes }}
                    participants(first: 100) {{ totalCount nodes {{ name durationSeconds }} }}
                    attendees(first: 100) {{ totalCount nodes {{
                        name email firstJoinTime lastLeaveTime totalSeconds rejoinCount
                        intervals {{ joinTime leaveTime }} }} }} }} }}"#
            ),
        )
        .await;
    let meeting = &data(&response)["meeting"];
    assert_eq!(meeting["participants"]["totalCount"], 7);
    assert_eq!(
        meeting["sessions"],
        json!([{ "participantsCount": 4, "durationMinutes": 90 }])
    );
    assert_eq!(meeting["attendees"]["totalCount"], 4);
    let attendees = meeting["attendees"]["nodes"].as_array().unwrap();
    let by_name = |n: &str| {
        attendees
            .iter()
            .find(|a| a["name"] == n)
            .unwrap_or_else(|| panic!("{n}: {attendees:#?}"))
    };
    let alice = by_name("Alice");
    assert_eq!(alice["totalSeconds"], 15 * 60 + 20 * 60);
    assert_eq!(alice["rejoinCount"], 1);
    assert_eq!(alice["email"], "alice@acme.example");
    assert_eq!(alice["firstJoinTime"], "2026-11-03T09:05:00+00:00");
    assert_eq!(alice["lastLeaveTime"], "2026-11-03T09:50:00+00:00");
    assert_eq!(
        alice["intervals"],
        json!([
            { "joinTime": "2026-11-03T09:05:00+00:00", "leaveTime": "2026-11-03T09:20:00+00:00" },
            { "joinTime": "2026-11-03T09:30:00+00:00", "leaveTime": "2026-11-03T09:50:00+00:00" }
        ])
    );
    let bob = by_name("Bob");
    assert_eq!(bob["totalSeconds"], 45 * 60);
    assert_eq!(bob["rejoinCount"], 1);
    let dial_in = by_name("Dial-in 3");
    assert_eq!(dial_in["totalSeconds"], 60 + 150);
    assert_eq!(dial_in["email"], Value::Null);
    // Ordered by first join.
    let names: Vec<&str> = attendees
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Host", "Alice", "Bob", "Dial-in 3"]);
}

/// Walks a connection page by page with `first`/`after`; every id once, in order.
async fn walk(
    app: &TestApp,
    email: &str,
    query_for: impl Fn(&str) -> String,
    pointer: &str,
) -> (Vec<String>, i64) {
    let mut after = String::from("null");
    let mut ids = Vec::new();
    for _ in 0..100 {
        let response = app.query_as(email, &query_for(&after)).await;
        let conn = data(&response)
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{response:#}"))
            .clone();
        let total = conn["totalCount"].as_i64().unwrap();
        for edge in conn["edges"].as_array().unwrap() {
            ids.push(edge["node"]["id"].as_str().unwrap().to_owned());
        }
        if conn["pageInfo"]["hasNextPage"] != true {
            return (ids, total);
        }
        after = format!("\"{}\"", conn["pageInfo"]["endCursor"].as_str().unwrap());
    }
    panic!("pagination did not end");
}

#[tokio::test]
async fn pages_of_meetings_and_participants_have_no_duplicates_and_no_gaps() {
    let app = TestApp::with_demo().await;
    let (paged, total) = walk(
        &app,
        "admin@demo.example",
        |after| format!("{{ meetings({MONTH}, first: 7, after: {after}) {{ totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ id }} }} }} }}"),
        "/meetings",
    )
    .await;
    let all = app
        .query_as("admin@demo.example", &all_meetings(MONTH))
        .await;
    let all_ids: Vec<String> = data(&all)["meetings"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(all_ids.len() > 14, "enough meetings for several pages");
    assert_eq!(paged, all_ids);
    assert_eq!(total as usize, all_ids.len());

    let (_, m) = rejoin_world(&app).await;
    let (paged, total) = walk(
        &app,
        "host@acme.example",
        |after| format!(r#"{{ meeting(id: "{m}") {{ participants(first: 3, after: {after}) {{ totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ id }} }} }} }} }}"#),
        "/meeting/participants",
    )
    .await;
    assert_eq!(paged.len(), 7);
    assert_eq!(total, 7);
    let distinct: std::collections::BTreeSet<_> = paged.iter().collect();
    assert_eq!(distinct.len(), 7);
}

#[tokio::test]
async fn bad_page_arguments_are_bad_user_input() {
    let app = TestApp::with_demo().await;
    for args in ["first: 301", "first: -1", r#"after: "garbage""#] {
        let response = app
            .query_as(
                "owner@demo.example",
                &format!("{{ meetings({MONTH}, {args}) {{ totalCount }} }}"),
            )
            .await;
        assert_eq!(error_codes(&response), vec!["BAD_USER_INPUT"], "{args}");
    }
    // A cursor of another list is refused too.
    let (_, m) = rejoin_world(&app).await;
    let response = app
        .query_as("host@acme.example", &format!(r#"{{ meeting(id: "{m}") {{ participants(first: 1) {{ pageInfo {{ endCursor }} }} }} }}"#))
        .await;
    let cursor = data(&response)["meeting"]["participants"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = app
        .query_as("host@acme.example", &format!(r#"{{ meetings(from: "2026-11-01", to: "2026-11-14", after: "{cursor}") {{ totalCount }} }}"#))
        .await;
    assert_eq!(error_codes(&response), vec!["BAD_USER_INPUT"]);
}

#[tokio::test]
async fn search_matches_topic_or_meeting_number() {
    let app = TestApp::new().await;
    let (_, m) = rejoin_world(&app).await;
    let number = data(
        &app.query_as(
            "host@acme.example",
            &format!(r#"{{ meeting(id: "{m}") {{ meetingNumber }} }}"#),
        )
        .await,
    )["meeting"]["meetingNumber"]
        .as_str()
        .unwrap()
        .to_owned();
    for (search, found) in [
        ("weekly", 1),
        ("SYNC", 1),
        (&number[..6], 1),
        ("standup", 0),
        ("%", 0),
    ] {
        let response = app
            .query_as("host@acme.example", &format!(r#"{{ meetings(from: "2026-11-01", to: "2026-11-14", search: "{search}") {{ totalCount }} }}"#))
            .await;
        assert_eq!(data(&response)["meetings"]["totalCount"], found, "{search}");
    }
}

#[tokio::test]
async fn ip_addresses_are_shown_to_the_host_and_usage_report_holders() {
    let app = TestApp::new().await;
    let (acc, m) = rejoin_world(&app).await;
    let f = Fixture::new(&app.db);
    f.user(acc, "boss@acme.example", "ADMIN").await;
    let q = format!(
        r#"{{ meeting(id: "{m}") {{ participants(first: 1) {{ nodes {{ ipAddress location }} }} }} }}"#
    );
    for email in ["host@acme.example", "boss@acme.example"] {
        let response = app.query_as(email, &q).await;
        assert_eq!(
            data(&response)["meeting"]["participants"]["nodes"][0]["ipAddress"],
            "192.0.2.10",
            "{email}"
        );
    }
}

#[tokio::test]
async fn nested_loads_never_cross_accounts_even_when_asked_for_another_accounts_ids() {
    use meeting_reports::db::Sql;
    use reports::meetings;
    let app = TestApp::new().await;
    let (acme, m) = rejoin_world(&app).await;
    let f = Fixture::new(&app.db);
    let other = f.account("Other", "other-acc.example", "BUSINESS").await;
    let sql = Sql::new(app.db.clone());
    assert!(
        meetings::participant_pages(&sql, other, &[m], 100, None, true)
            .await
            .unwrap()
            .is_empty()
    );
    for intervals in [false, true] {
        assert!(
            meetings::attendee_pages(&sql, other, &[m], 100, None, intervals)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            !meetings::attendee_pages(&sql, acme, &[m], 100, None, intervals)
                .await
                .unwrap()
                .is_empty()
        );
    }
    assert!(meetings::sessions_of(&sql, other, &[m])
        .await
        .unwrap()
        .is_empty());
    assert!(meetings::participant_counts(&sql, other, &[m])
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        meetings::participant_pages(&sql, acme, &[m], 100, None, true)
            .await
            .unwrap()
            .len(),
        7
    );
}

#[tokio::test]
async fn a_too_costly_query_is_refused_before_any_sql_runs() {
    let app = TestApp::with_demo().await;
    let response = app
        .query_as(
            "owner@demo.example",
            &format!("{{ meetings({MONTH}, first: 300) {{ nodes {{ participants(first: 300) {{ nodes {{ name email joinTime leaveTime }} }} attendees(first: 300) {{ nodes {{ name }} }} }} }} }}"),
        )
        .await;
    assert_eq!(error_codes(&response), vec!["QUERY_TOO_COMPLEX"]);
    assert_eq!(crate::common::sql_statements(&response), 0);
}

#[tokio::test]
async fn meetings_lead_to_their_phone_legs_and_recordings_in_as_many_statements_for_5_as_for_100() {
    let app = TestApp::with_demo().await;
    let q = |first: usize| {
        format!("{{ meetings({MONTH}, first: {first}) {{ nodes {{ id topic telephoneLegs {{ callType minutes participantName }} recordings {{ totalSizeBytes files {{ fileType }} }} }} }} }}")
    };
    let small = app.query_as("admin@demo.example", &q(5)).await;
    let large = app.query_as("admin@demo.example", &q(100)).await;
    let nodes = data(&large)["meetings"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    assert!(nodes.len() > 20);
    let legs: usize = nodes
        .iter()
        .map(|n| n["telephoneLegs"].as_array().unwrap().len())
        .sum();
    let recordings: usize = nodes
        .iter()
        .map(|n| n["recordings"].as_array().unwrap().len())
        .sum();
    assert!(
        legs > 0 && recordings > 0,
        "the demo month has phone joins ({legs}) and recordings ({recordings})"
    );
    // meetings page, phone legs, recordings, recording files.
    assert_eq!(crate::common::sql_statements(&small), 4);
    assert_eq!(crate::common::sql_statements(&large), 4);
    // The loads are scoped to the viewer's account: Demo Corp's meeting ids give nothing to
    // Other Inc.
    use meeting_reports::db::Sql;
    use reports::{cloud_recording, telephone};
    let ids: Vec<i64> = nodes
        .iter()
        .map(|n| n["id"].as_str().unwrap().parse().unwrap())
        .collect();
    let sql = Sql::new(app.db.clone());
    #[derive(sea_orm::FromQueryResult)]
    struct Acc {
        id: i64,
    }
    let acc = |domain: &'static str| {
        let sql = sql.clone();
        async move {
            sql.one::<Acc>(
                "SELECT id FROM account WHERE domain = ?",
                vec![domain.into()],
            )
            .await
            .unwrap()
            .unwrap()
            .id
        }
    };
    let (demo, other) = (acc("demo.example").await, acc("other.example").await);
    assert_eq!(
        telephone::legs_of_meetings(&sql, demo, &ids)
            .await
            .unwrap()
            .len(),
        legs
    );
    assert!(telephone::legs_of_meetings(&sql, other, &ids)
        .await
        .unwrap()
        .is_empty());
    assert!(cloud_recording::recordings_of_meetings(&sql, other, &ids)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_too_deep_query_is_refused_before_any_sql_runs() {
    let app = TestApp::with_demo().await;
    let mut q = String::from("email");
    for _ in 0..8 {
        q = format!(r#"host {{ {q} }}"#);
        q = format!(
            r#"meetings(from: "2026-11-01", to: "2026-11-14", first: 1) {{ nodes {{ {q} }} }}"#
        );
    }
    let response = app
        .query_as(
            "owner@demo.example",
            &format!("{{ users(first: 1) {{ nodes {{ {q} }} }} }}"),
        )
        .await;
    assert_eq!(error_codes(&response), vec!["QUERY_TOO_COMPLEX"]);
    assert!(response["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("nested too deep"));
    assert_eq!(crate::common::sql_statements(&response), 0);
}
