//! The User Activity tab (operation logs, sign-in/out) and the data lifecycle (history
//! horizon, expiry of unstarted meetings, freshness).

use serde_json::{json, Value};

use crate::common::{
    data, error_codes,
    fixtures::{exec, Fixture},
    now, sql_statements, TestApp,
};

struct World {
    acc: i64,
    host: i64,
}

const LOGS: i64 = 2_500;

/// Acme with every kind of role; 2,500 operation-log entries and 600 sign-in events over
/// 2026-10-20 .. 2026-11-14.
async fn world(app: &TestApp) -> World {
    let f = Fixture::new(&app.db);
    let acc = f.account("Acme", "acme.example", "BUSINESS").await;
    let owner = f.user(acc, "owner@acme.example", "OWNER").await;
    f.user(acc, "admin@acme.example", "ADMIN").await;
    let host = f.user(acc, "host@acme.example", "MEMBER").await;
    let auditor = f.custom_role(acc, "Auditor", false, true, false).await;
    f.user_with_role(acc, "auditor@acme.example", "MEMBER", Some(auditor))
        .await;
    let analyst = f.custom_role(acc, "Analyst", true, false, false).await;
    f.user_with_role(acc, "analyst@acme.example", "MEMBER", Some(analyst))
        .await;
    let free = f.account("Free", "free-acme.example", "BASIC").await;
    f.user(free, "owner@free-acme.example", "OWNER").await;
    let other = f.account("Rival", "rival.example", "BUSINESS").await;
    let rival = f.user(other, "owner@rival.example", "OWNER").await;

    let base = chrono::DateTime::parse_from_rfc3339("2026-10-20T00:00:00+00:00").unwrap();
    let categories = ["USER", "ACCOUNT", "RECORDING", "ROLE"];
    let mut rows = Vec::new();
    for i in 0..LOGS {
        let at = (base + chrono::Duration::minutes(i * 13)).to_rfc3339();
        let (operator, email) = if i % 5 == 0 {
            (host, "host@acme.example")
        } else {
            (owner, "owner@acme.example")
        };
        rows.push(format!(
            "({acc}, 'ol-{i}', '{at}', {operator}, '{email}', '{}', 'Update', 'change number {i}')",
            categories[(i % 4) as usize]
        ));
    }
    // Same times in another account: never seen from Acme.
    rows.push(format!("({other}, 'ol-r', '2026-11-01T10:00:00+00:00', {rival}, 'owner@rival.example', 'USER', 'Add', 'rival change')"));
    let mut sql: Vec<String> = rows
        .chunks(400)
        .map(|c| {
            format!(
                "INSERT INTO operation_log (account_id, source_id, occurred_at, operator_id, operator_email, category, action, detail) VALUES {}",
                c.join(", ")
            )
        })
        .collect();
    let mut events = Vec::new();
    for i in 0..600i64 {
        let at = (base + chrono::Duration::minutes(i * 60)).to_rfc3339();
        let (user, kind) = (
            if i % 2 == 0 { host } else { owner },
            if i % 3 == 0 { "SIGN_OUT" } else { "SIGN_IN" },
        );
        events.push(format!(
            "({acc}, 'si-{i}', {user}, '{at}', '{kind}', '203.0.113.{}', 'Mac', '6.2.{}')",
            i % 250,
            i % 10
        ));
    }
    sql.push(format!(
        "INSERT INTO sign_in_event (account_id, source_id, user_id, occurred_at, event_type, ip_address, client_type, version) VALUES {}",
        events.join(", ")
    ));
    exec(&app.db, &sql).await;
    World { acc, host }
}

const RANGE: &str = r#"from: "2026-10-15", to: "2026-11-14""#;

#[tokio::test]
async fn only_the_owner_and_user_activity_roles_read_the_activity_reports() {
    let app = TestApp::new().await;
    world(&app).await;
    let logs = format!("{{ operationLogs({RANGE}, first: 1) {{ totalCount }} }}");
    let signins = format!("{{ signInActivity({RANGE}, first: 1) {{ totalCount }} }}");
    for email in ["owner@acme.example", "auditor@acme.example"] {
        assert_eq!(
            data(&app.query_as(email, &logs).await)["operationLogs"]["totalCount"],
            LOGS,
            "{email}"
        );
        assert_eq!(
            data(&app.query_as(email, &signins).await)["signInActivity"]["totalCount"],
            600,
            "{email}"
        );
    }
    // The built-in ADMIN does not hold user_activity_reports, as in the portal.
    for email in [
        "admin@acme.example",
        "analyst@acme.example",
        "host@acme.example",
    ] {
        assert_eq!(
            error_codes(&app.query_as(email, &logs).await),
            vec!["FORBIDDEN"],
            "{email}"
        );
        assert_eq!(
            error_codes(&app.query_as(email, &signins).await),
            vec!["FORBIDDEN"],
            "{email}"
        );
    }
    assert_eq!(
        error_codes(&app.query_as("owner@free-acme.example", &logs).await),
        vec!["PLAN_NOT_SUPPORTED"]
    );
    let rival = app.query_as("owner@rival.example", &logs).await;
    assert_eq!(data(&rival)["operationLogs"]["totalCount"], 1);
}

#[tokio::test]
async fn nested_user_paths_carry_the_same_guard_as_the_root_fields() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let f = Fixture::new(&app.db);
    let m = f.meeting(w.acc, w.host, "MEETING", "Standup").await;
    f.session(w.acc, m, "2026-11-03T09:00:00Z", 15).await;
    let through_meeting = format!(
        r#"{{ meeting(id: "{m}") {{ host {{ email signInEvents({RANGE}) {{ totalCount nodes {{ ipAddress }} }} }} }} }}"#
    );
    // The analyst sees the host through the meeting, but not the host's sign-in IPs.
    let analyst = app.query_as("analyst@acme.example", &through_meeting).await;
    assert_eq!(
        analyst["data"]["meeting"]["host"]["email"],
        "host@acme.example"
    );
    assert_eq!(
        analyst["data"]["meeting"]["host"]["signInEvents"],
        Value::Null
    );
    assert_eq!(error_codes(&analyst), vec!["FORBIDDEN"]);
    let through_users =
        format!(r#"{{ users {{ nodes {{ email operationLogs({RANGE}) {{ totalCount }} }} }} }}"#);
    for email in ["analyst@acme.example", "admin@acme.example"] {
        let codes = error_codes(&app.query_as(email, &through_users).await);
        // One refusal per user of the page.
        assert_eq!(codes, vec!["FORBIDDEN"; 5], "{email}");
    }
    // A member sees only themselves among users, and not even their own activity report.
    let member = app.query_as("host@acme.example", &through_users).await;
    assert_eq!(error_codes(&member), vec!["FORBIDDEN"]);
    // The auditor lists only themselves as a user (no usage_reports), with their own activity.
    let auditor_self = app.query_as("auditor@acme.example", &through_users).await;
    assert_eq!(
        data(&auditor_self)["users"]["nodes"][0]["operationLogs"]["totalCount"],
        0
    );
    // The owner walks users → their logs and sign-ins.
    let owner = app
        .query_as("owner@acme.example", &format!(r#"{{ users(search: "host") {{ nodes {{ email
            operationLogs({RANGE}) {{ totalCount }} signInEvents({RANGE}, type: SIGN_OUT) {{ totalCount }} }} }} }}"#))
        .await;
    assert_eq!(
        data(&owner)["users"]["nodes"],
        json!([{ "email": "host@acme.example",
        "operationLogs": { "totalCount": LOGS / 5 }, "signInEvents": { "totalCount": 100 } }])
    );
    // The auditor reaches users through the log's operators, and their sign-ins with them.
    let auditor = app
        .query_as(
            "auditor@acme.example",
            &format!(
                r#"{{ operationLogs({RANGE}, first: 5) {{ nodes {{ operator {{ email
            signInEvents({RANGE}, first: 1) {{ nodes {{ ipAddress }} }} }} }} }} }}"#
            ),
        )
        .await;
    assert!(
        data(&auditor)["operationLogs"]["nodes"][0]["operator"]["signInEvents"]["nodes"][0]
            ["ipAddress"]
            .is_string()
    );
}

#[tokio::test]
async fn category_type_and_search_filters_narrow_the_lists() {
    let app = TestApp::new().await;
    world(&app).await;
    let count = |v: &Value, field: &str| v["data"][field]["totalCount"].as_i64().unwrap();
    let q = |args: &str| {
        format!("{{ operationLogs({RANGE}, {args}) {{ totalCount nodes {{ category operatorEmail detail }} }} }}")
    };
    let roles = app
        .query_as("owner@acme.example", &q("category: ROLE"))
        .await;
    assert_eq!(count(&roles, "operationLogs"), LOGS / 4);
    assert!(data(&roles)["operationLogs"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["category"] == "ROLE"));
    let by_host = app
        .query_as("owner@acme.example", &q(r#"search: "HOST@acme""#))
        .await;
    assert_eq!(count(&by_host, "operationLogs"), LOGS / 5);
    let one = app
        .query_as("owner@acme.example", &q(r#"search: "number 1234""#))
        .await;
    assert_eq!(count(&one, "operationLogs"), 1);
    let outs = app
        .query_as("owner@acme.example", &format!("{{ signInActivity({RANGE}, type: SIGN_OUT) {{ totalCount nodes {{ type user {{ email }} }} }} }}"))
        .await;
    assert_eq!(count(&outs, "signInActivity"), 200);
    let by_ip = app
        .query_as(
            "owner@acme.example",
            &format!(r#"{{ signInActivity({RANGE}, search: "203.0.113.249") {{ totalCount }} }}"#),
        )
        .await;
    assert_eq!(count(&by_ip, "signInActivity"), 2);
}

#[tokio::test]
async fn thousands_of_log_rows_page_newest_first_with_no_gaps() {
    let app = TestApp::new().await;
    world(&app).await;
    let mut after = String::from("null");
    let mut seen = Vec::new();
    let mut last_time = String::from("9999");
    let mut last_end: String;
    loop {
        let response = app
            .query_as("owner@acme.example", &format!("{{ operationLogs({RANGE}, first: 300, after: {after}) {{ totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ id time }} }} }}"))
            .await;
        let conn = &data(&response)["operationLogs"];
        // Every page, the first or one after a cursor, counts the whole list in its statement.
        assert_eq!(conn["totalCount"], LOGS);
        assert_eq!(sql_statements(&response), 1, "{response:#}");
        for n in conn["nodes"].as_array().unwrap() {
            let time = n["time"].as_str().unwrap().to_owned();
            assert!(time <= last_time, "newest first");
            last_time = time;
            seen.push(n["id"].as_str().unwrap().to_owned());
        }
        last_end = conn["pageInfo"]["endCursor"].as_str().unwrap().to_owned();
        if conn["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = format!("\"{last_end}\"");
    }
    assert_eq!(seen.len() as i64, LOGS);
    let distinct: std::collections::BTreeSet<_> = seen.iter().collect();
    assert_eq!(distinct.len() as i64, LOGS);
    // After the last row the page is empty and cannot carry the count: a second statement
    // counts.
    let past = app
        .query_as("owner@acme.example", &format!("{{ operationLogs({RANGE}, first: 300, after: \"{last_end}\") {{ totalCount nodes {{ id }} }} }}"))
        .await;
    assert_eq!(data(&past)["operationLogs"]["nodes"], json!([]));
    assert_eq!(data(&past)["operationLogs"]["totalCount"], LOGS);
    assert_eq!(sql_statements(&past), 2);
}

#[tokio::test]
async fn nothing_older_than_twelve_months_is_served() {
    let app = TestApp::new().await;
    world(&app).await;
    let response = app
        .query_as(
            "owner@acme.example",
            r#"{ operationLogs(from: "2025-11-01", to: "2025-11-30") { totalCount } }"#,
        )
        .await;
    assert_eq!(error_codes(&response), vec!["BAD_USER_INPUT"]);
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("2025-11-15"),
        "{response:#}"
    );
}

#[tokio::test]
async fn expiry_deletes_exactly_the_unstarted_meetings_with_their_reports_and_logs_it_once() {
    use reports::expiry::prune_expired;
    let app = TestApp::new().await;
    let w = world(&app).await;
    let acc = w.acc;
    let f = Fixture::new(&app.db);
    let mut sql = Vec::new();
    // id, type, scheduled start, has a session
    let cases = [
        (8001, "SCHEDULED", Some("2026-10-01T10:00:00+00:00"), false), // expired
        (8002, "SCHEDULED", Some("2026-10-01T10:00:00+00:00"), true),  // started
        (8003, "RECURRING_NO_FIXED_TIME", None, false),                // no fixed time
        (8004, "SCHEDULED", Some("2026-11-05T10:00:00+00:00"), false), // within 30 days
        (
            8005,
            "RECURRING_NO_FIXED_TIME",
            Some("2026-09-01T10:00:00+00:00"),
            false,
        ),
        (
            8006,
            "RECURRING_FIXED",
            Some("2026-09-20T10:00:00+00:00"),
            false,
        ), // expired
    ];
    for (id, kind, start, started) in cases {
        let start_sql = start.map_or("NULL".to_owned(), |s| format!("'{s}'"));
        sql.push(format!("INSERT INTO meeting (id, account_id, source_id, host_id, kind, meeting_number, topic, meeting_type, scheduled_start, planned_duration_minutes, registration_required, created_at, deleted_at) \
            VALUES ({id}, {acc}, 'm{id}', {}, 'MEETING', {}, 'Case {id}', '{kind}', {start_sql}, 30, true, '2026-08-01T00:00:00+00:00', NULL)", w.host, 60_000_000_000i64 + id));
        sql.push(format!("INSERT INTO registrant (account_id, source_id, meeting_id, email, first_name, last_name, status, registered_at, custom_answers) \
            VALUES ({acc}, 'r{id}', {id}, 'x{id}@x.example', 'X', 'Y', 'APPROVED', '2026-08-02T00:00:00+00:00', '[]')"));
        sql.push(format!("INSERT INTO poll (account_id, source_id, meeting_id, title, anonymous, launched_at) VALUES ({acc}, 'poll{id}', {id}, 'P', false, NULL)"));
        sql.push(format!("INSERT INTO qa_question (account_id, source_id, meeting_id, asker_name, asker_email, anonymous, question, asked_at, status) VALUES ({acc}, 'q{id}', {id}, 'A', NULL, false, '?', '2026-08-02T00:00:00+00:00', 'OPEN')"));
        if started {
            sql.push(format!("INSERT INTO meeting_session (account_id, source_id, meeting_id, start_time, end_time) VALUES ({acc}, 's{id}', {id}, '2026-10-01T10:05:00+00:00', '2026-10-01T10:35:00+00:00')"));
        }
    }
    exec(&app.db, &sql).await;
    let _ = f;
    let expiry = chrono::Duration::days(30);
    assert_eq!(prune_expired(&app.db, now(), expiry).await.unwrap(), 2);
    assert_eq!(
        prune_expired(&app.db, now(), expiry).await.unwrap(),
        0,
        "idempotent"
    );
    crate::common::assert_aggregates_exact(&app.db, "prune").await;

    let remaining = |table: &'static str| {
        let db = app.db.clone();
        async move {
            let sql = meeting_reports::db::Sql::new(db);
            #[derive(sea_orm::FromQueryResult)]
            struct Row {
                meeting_id: i64,
            }
            let rows: Vec<Row> = sql
                .all(&format!("SELECT meeting_id FROM {table} WHERE meeting_id BETWEEN 8001 AND 8006 ORDER BY meeting_id"), vec![])
                .await
                .unwrap();
            rows.into_iter().map(|r| r.meeting_id).collect::<Vec<_>>()
        }
    };
    for table in ["registrant", "poll", "qa_question"] {
        assert_eq!(
            remaining(table).await,
            vec![8002, 8003, 8004, 8005],
            "{table}"
        );
    }
    let logs = app
        .query_as("owner@acme.example", r#"{ operationLogs(from: "2026-11-15", to: "2026-11-15", category: MEETING) { totalCount nodes { operator { email } operatorEmail action detail } } }"#)
        .await;
    let logs = &data(&logs)["operationLogs"];
    assert_eq!(logs["totalCount"], 2);
    assert_eq!(logs["nodes"][0]["operatorEmail"], "system");
    assert_eq!(logs["nodes"][0]["operator"], Value::Null);
    assert!(logs["nodes"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("never started"));
}

#[tokio::test]
async fn an_ended_meeting_is_reported_as_soon_as_its_rows_are_stored() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let f = Fixture::new(&app.db);
    let q = r#"{ dataAsOf { meetings operationLogs signIns } meetings(from: "2026-11-01", to: "2026-11-15") { totalCount dataAsOf }
        usage(from: "2026-11-01", to: "2026-11-15") { dataAsOf } }"#;
    let before = app.query_as("host@acme.example", q).await;
    assert_eq!(data(&before)["meetings"]["totalCount"], 0);
    assert_eq!(data(&before)["dataAsOf"]["meetings"], Value::Null);
    // Members without user_activity_reports do not learn the logs' freshness.
    assert_eq!(data(&before)["dataAsOf"]["operationLogs"], Value::Null);
    let m = f.meeting(w.acc, w.host, "MEETING", "Just ended").await;
    let s = f.session(w.acc, m, "2026-11-15T11:00:00Z", 50).await;
    f.join(
        w.acc,
        m,
        s,
        Some(w.host),
        "Host",
        None,
        "2026-11-15T11:00:00Z",
        "2026-11-15T11:50:00Z",
    )
    .await;
    let after = app.query_as("host@acme.example", q).await;
    assert_eq!(data(&after)["meetings"]["totalCount"], 1);
    assert_eq!(
        data(&after)["dataAsOf"]["meetings"],
        "2026-11-15T11:50:00+00:00"
    );
    let owner = app.query_as("owner@acme.example", q).await;
    assert!(data(&owner)["dataAsOf"]["operationLogs"].is_string());
    let logs = app
        .query_as(
            "owner@acme.example",
            &format!("{{ operationLogs({RANGE}, first: 1) {{ dataAsOf nodes {{ time }} }} }}"),
        )
        .await;
    let logs = &data(&logs)["operationLogs"];
    assert_eq!(
        logs["dataAsOf"], logs["nodes"][0]["time"],
        "the newest entry is the first listed"
    );
}

#[tokio::test]
async fn the_meetings_freshness_is_one_index_seek_not_a_scan_of_every_join_row() {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let app = TestApp::new().await;
    let backend = app.db.get_database_backend();
    // The migrations create the index `dataAsOf` reads, on both databases.
    let (sql, plan) = match backend {
        DbBackend::Postgres => (
            "SELECT indexdef AS detail FROM pg_indexes WHERE indexname = 'ix_participant_account_leave'",
            false,
        ),
        _ => (
            "EXPLAIN QUERY PLAN SELECT MAX(leave_time) FROM participant WHERE account_id = 1",
            true,
        ),
    };
    let rows = app
        .db
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap();
    let details: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<String>("", "detail").unwrap())
        .collect();
    assert!(
        details
            .iter()
            .any(|d| d.contains("ix_participant_account_leave")
                && (!plan || d.contains("account_id="))),
        "{details:?}"
    );
    if !plan {
        assert!(
            details[0].contains("(account_id, leave_time)"),
            "{details:?}"
        );
    }
}

#[tokio::test]
async fn a_page_loads_its_operators_and_users_in_one_statement_whatever_its_size() {
    let app = TestApp::new().await;
    world(&app).await;
    for first in [5, 300] {
        let logs = app
            .query_as(
                "owner@acme.example",
                &format!("{{ operationLogs({RANGE}, first: {first}) {{ totalCount nodes {{ operator {{ email }} }} }} }}"),
            )
            .await;
        let operators: std::collections::BTreeSet<_> = data(&logs)["operationLogs"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["operator"]["email"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(operators.len(), 2, "owner and host operate");
        // The page with its count and its operators read along (look-ahead): one statement.
        assert_eq!(sql_statements(&logs), 1, "first {first}: {logs:#}");
        let signins = app
            .query_as(
                "owner@acme.example",
                &format!("{{ signInActivity({RANGE}, first: {first}) {{ nodes {{ user {{ email }} }} }} }}"),
            )
            .await;
        assert_eq!(sql_statements(&signins), 1, "first {first}: {signins:#}");
    }
}

#[tokio::test]
async fn the_users_a_page_reads_along_are_the_loaders_users_of_the_viewers_account_only() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    // An entry of Acme naming a user of another account (a reference no write path makes):
    // neither the page's join nor the loader may hand that user to Acme.
    let rival = app.user_id("owner@rival.example").await;
    exec(
        &app.db,
        &[format!(
            "INSERT INTO operation_log (account_id, source_id, occurred_at, operator_id, operator_email, category, action, detail) \
             VALUES ({}, 'ol-x', '2026-11-14T12:00:00+00:00', {rival}, 'owner@rival.example', 'USER', 'Add', 'cross')",
            w.acc
        )],
    )
    .await;
    let user_fields = "id email name firstName lastName createdAt";
    let joined = app
        .query_as(
            "owner@acme.example",
            &format!(
                "{{ operationLogs({RANGE}, first: 40) {{ nodes {{ operatorEmail operator {{ {user_fields} }} }} }} }}"
            ),
        )
        .await;
    let nodes = data(&joined)["operationLogs"]["nodes"].as_array().unwrap();
    assert_eq!(nodes[0]["operatorEmail"], "owner@rival.example");
    assert!(nodes[0]["operator"].is_null(), "{:#}", nodes[0]);
    // Each operator read along is, field for field, the user the loader gives by id.
    for node in &nodes[1..] {
        assert_eq!(node["operator"]["email"], node["operatorEmail"], "{node:#}");
        let id = node["operator"]["id"].as_str().unwrap();
        let loaded = app
            .query_as(
                "owner@acme.example",
                &format!(r#"{{ user(id: "{id}") {{ {user_fields} }} }}"#),
            )
            .await;
        assert_eq!(node["operator"], data(&loaded)["user"], "{loaded:#}");
    }
}
