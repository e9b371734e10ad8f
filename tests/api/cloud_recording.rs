//! The Cloud Recording report, hand-computed on the shared usage world: storage per day against
//! a 64-bit allowance, byte counts as strings, the recordings connection on the report, and the
//! role rules.

use serde_json::{json, Value};

use crate::common::{
    assert_demo_report_roles, data, error_codes, sql_statements,
    usage_world::{assert_usage_world_roles, usage_world},
    TestApp,
};

/// The report with its money-free fields the roles are checked on.
const CLOUD: &str = r#"{ cloudRecordingUsage(from: "2026-11-01", to: "2026-11-14") { allowanceBytes recordings { totalCount } } }"#;

#[tokio::test]
async fn cloud_recording_usage_shows_storage_per_day_against_the_allowance_and_the_recordings() {
    let app = TestApp::new().await;
    let w = usage_world(&app).await;
    let response = app
        .query_as(
            "owner@acme.example",
            r#"{ cloudRecordingUsage(from: "2026-11-01", to: "2026-11-05") {
            from to allowanceBytes
            days { date usageBytes allowanceBytes freeBytes overAllowance }
            storage { daysReported peakUsageBytes daysOverAllowance latestDay latestUsageBytes }
            recordings { totalCount
              totals { recordings sizeBytes byFileType { fileType files sizeBytes } }
              nodes { startTime endTime durationSeconds totalSizeBytes
                      files { fileType sizeBytes }
                      meeting { ... on Meeting { id topic } ... on Webinar { id topic } } } } } }"#,
        )
        .await;
    let report = &data(&response)["cloudRecordingUsage"];
    // Bytes are strings: 2^53 + 1 would not survive a JSON number.
    assert_eq!(report["allowanceBytes"], "9007199254740993");
    assert_eq!(report["from"], "2026-11-01");
    assert_eq!(report["to"], "2026-11-05");
    assert_eq!(
        report["days"],
        json!([
            { "date": "2026-11-01", "usageBytes": "9007199254740993", "allowanceBytes": "9007199254740993", "freeBytes": "0", "overAllowance": false },
            { "date": "2026-11-02", "usageBytes": "9007199254740995", "allowanceBytes": "9007199254740993", "freeBytes": "-2", "overAllowance": true },
            { "date": "2026-11-03", "usageBytes": null, "allowanceBytes": "9007199254740993", "freeBytes": null, "overAllowance": null },
            { "date": "2026-11-04", "usageBytes": "4000000123", "allowanceBytes": "9007199254740993", "freeBytes": "9007195254740870", "overAllowance": false },
            { "date": "2026-11-05", "usageBytes": null, "allowanceBytes": "9007199254740993", "freeBytes": null, "overAllowance": null }
        ])
    );
    assert_eq!(
        report["storage"],
        json!({ "daysReported": 3, "peakUsageBytes": "9007199254740995", "daysOverAllowance": 1,
                "latestDay": "2026-11-04", "latestUsageBytes": "4000000123" })
    );
    // The recording that started at 23:05 on 31 Oct (Paris) is out.
    let recordings = &report["recordings"];
    assert_eq!(recordings["totalCount"], 2);
    assert_eq!(
        recordings["totals"],
        json!({ "recordings": 2, "sizeBytes": "8000000123", "byFileType": [
            { "fileType": "CHAT", "files": 1, "sizeBytes": "123" },
            { "fileType": "M4A", "files": 1, "sizeBytes": "900000000" },
            { "fileType": "MP4", "files": 2, "sizeBytes": "7000000000" },
            { "fileType": "TRANSCRIPT", "files": 1, "sizeBytes": "100000000" }
        ] })
    );
    assert_eq!(
        recordings["nodes"],
        json!([
            { "startTime": "2026-11-03T10:01:00+00:00", "endTime": "2026-11-03T10:59:00+00:00", "durationSeconds": 3480,
              "totalSizeBytes": "3000000123",
              "files": [{ "fileType": "CHAT", "sizeBytes": "123" }, { "fileType": "MP4", "sizeBytes": "3000000000" }],
              "meeting": { "id": w.weekly.to_string(), "topic": "Weekly sync" } },
            { "startTime": "2026-11-05T15:00:00+00:00", "endTime": "2026-11-05T15:30:00+00:00", "durationSeconds": 1800,
              "totalSizeBytes": "5000000000",
              "files": [{ "fileType": "M4A", "sizeBytes": "900000000" }, { "fileType": "MP4", "sizeBytes": "4000000000" },
                        { "fileType": "TRANSCRIPT", "sizeBytes": "100000000" }],
              "meeting": { "id": w.launch.to_string(), "topic": "Launch" } }
        ])
    );
    let bad = app
        .query_as(
            "owner@acme.example",
            r#"{ cloudRecordingUsage(from: "2026-11-05", to: "2026-11-01") { from } }"#,
        )
        .await;
    assert_eq!(error_codes(&bad), vec!["BAD_USER_INPUT"]);
}

/// The recordings connection lives on the report object, so it is paged by hand here. The
/// last check crosses reports on purpose: a recordings cursor is refused by the Telephone list.
#[tokio::test]
async fn pages_of_recordings_follow_each_other_without_gaps_and_their_cursor_is_refused_elsewhere()
{
    let app = TestApp::new().await;
    usage_world(&app).await;
    let email = "owner@acme.example";
    let range = r#"from: "2026-11-01", to: "2026-11-14""#;
    let recordings = |after: String| {
        format!(
            r#"{{ cloudRecordingUsage({range}) {{ recordings(first: 1{after}) {{ totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ startTime }} }} }} }}"#
        )
    };
    let first = app.query_as(email, &recordings(String::new())).await;
    let page = &data(&first)["cloudRecordingUsage"]["recordings"];
    assert_eq!(page["totalCount"], 2);
    assert_eq!(
        page["nodes"],
        json!([{ "startTime": "2026-11-03T10:01:00+00:00" }])
    );
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let cursor = page["pageInfo"]["endCursor"].as_str().unwrap();
    let second = app
        .query_as(email, &recordings(format!(r#", after: "{cursor}""#)))
        .await;
    let page = &data(&second)["cloudRecordingUsage"]["recordings"];
    assert_eq!(
        page["nodes"],
        json!([{ "startTime": "2026-11-05T15:00:00+00:00" }])
    );
    assert_eq!(page["pageInfo"]["hasNextPage"], false);

    // A cursor of one list is refused by another.
    let bad = app
        .query_as(
            email,
            &format!(r#"{{ telephoneUsage({range}, after: "{cursor}") {{ totalCount }} }}"#),
        )
        .await;
    assert_eq!(error_codes(&bad), vec!["BAD_USER_INPUT"]);
}

#[tokio::test]
async fn cloud_recording_usage_needs_usage_reports_on_a_paid_plan() {
    let app = TestApp::new().await;
    usage_world(&app).await;
    assert_usage_world_roles(&app, "cloudRecordingUsage", CLOUD).await;
    // The analyst (usage reports only) reads it: it has no money fields.
    let analyst = app.query_as("analyst@acme.example", CLOUD).await;
    assert_eq!(
        data(&analyst)["cloudRecordingUsage"]["recordings"]["totalCount"],
        2
    );
}

#[tokio::test]
async fn another_account_sees_only_its_own_storage_and_recordings() {
    let app = TestApp::new().await;
    usage_world(&app).await;
    let cloud = app
        .query_as(
            "owner@other.example",
            r#"{ cloudRecordingUsage(from: "2026-11-01", to: "2026-11-05") {
            allowanceBytes storage { daysReported peakUsageBytes }
            recordings { totalCount totals { sizeBytes } nodes { totalSizeBytes } } } }"#,
        )
        .await;
    assert_eq!(
        data(&cloud)["cloudRecordingUsage"],
        json!({ "allowanceBytes": (1_i64 << 40).to_string(),
                "storage": { "daysReported": 1, "peakUsageBytes": "5" },
                "recordings": { "totalCount": 1, "totals": { "sizeBytes": "42" }, "nodes": [{ "totalSizeBytes": "42" }] } })
    );
}

#[tokio::test]
async fn a_page_of_recordings_runs_as_many_statements_for_one_row_as_for_all() {
    let app = TestApp::new().await;
    usage_world(&app).await;
    // One report per request (see the Telephone report's statement count).
    let report = r#"cloudRecordingUsage(from: "2026-11-01", to: "2026-11-14") { recordings(first: FIRST) { nodes { files { sizeBytes }
              meeting { ... on Meeting { host { email } } ... on Webinar { host { email } } } } } }"#;
    let q = |first: usize| format!("{{ {} }}", report.replace("FIRST", &first.to_string()));
    let one = app.query_as("owner@acme.example", &q(1)).await;
    let all = app.query_as("owner@acme.example", &q(300)).await;
    data(&one);
    data(&all);
    assert_eq!(sql_statements(&one), sql_statements(&all), "{report}");
}

fn big(v: &Value) -> i64 {
    v.as_str()
        .unwrap_or_else(|| panic!("not a BigInt: {v}"))
        .parse()
        .unwrap()
}

#[tokio::test]
async fn on_the_demo_data_recording_totals_are_the_files_added_up_and_roles_hold() {
    let app = TestApp::with_demo().await;
    let email = "admin@demo.example";
    let range = r#"from: "2026-10-01", to: "2026-10-31""#;
    let sum = |rows: &[Value], f: &dyn Fn(&Value) -> i64| -> i64 { rows.iter().map(f).sum() };

    let cloud = app
        .query_as(email, &format!("{{ cloudRecordingUsage({range}) {{ allowanceBytes days {{ usageBytes }}
            recordings(first: 300) {{ totalCount pageInfo {{ hasNextPage }} totals {{ recordings sizeBytes byFileType {{ files sizeBytes }} }}
              nodes {{ totalSizeBytes files {{ sizeBytes }} }} }} }} }}"))
        .await;
    let c = &data(&cloud)["cloudRecordingUsage"];
    assert_eq!(c["allowanceBytes"], "1099511627776");
    let days = c["days"].as_array().unwrap();
    assert_eq!(days.len(), 31);
    assert!(days.iter().all(|d| big(&d["usageBytes"]) > 0));
    let r = &c["recordings"];
    assert_eq!(r["pageInfo"]["hasNextPage"], false);
    let nodes = r["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty());
    assert_eq!(r["totalCount"], nodes.len());
    assert_eq!(r["totals"]["recordings"], nodes.len());
    let size = big(&r["totals"]["sizeBytes"]);
    assert_eq!(size, sum(nodes, &|n| big(&n["totalSizeBytes"])));
    assert_eq!(
        size,
        sum(r["totals"]["byFileType"].as_array().unwrap(), &|t| big(
            &t["sizeBytes"]
        ))
    );
    for n in nodes {
        let files = n["files"].as_array().unwrap();
        assert_eq!(
            big(&n["totalSizeBytes"]),
            sum(files, &|f| big(&f["sizeBytes"]))
        );
    }

    assert_demo_report_roles(
        &app,
        "cloudRecordingUsage",
        &format!("{{ cloudRecordingUsage({range}) {{ allowanceBytes }} }}"),
        Value::is_object,
    )
    .await;
}
