//! The Phone System report, hand-computed on the shared usage world: the call log with exact
//! charges, an account without a phone plan, pages without gaps, and the role rules (money
//! fields need billing_reports too).

use serde_json::{json, Value};

use crate::common::{
    assert_demo_report_roles, data, error_codes, sql_statements, ten_thousandths,
    usage_world::{assert_usage_world_roles, usage_world},
    walk, TestApp,
};

const PHONE: &str = r#"{ phoneSystemUsage(from: "2026-11-01", to: "2026-11-14") {
    available phonePlan totalCount
    totals { calls answered durationSeconds minutes totalCharge currency chargeByCurrency { currency calls amount } }
    nodes { direction callerNumber callerName calleeNumber calleeName user { email } startTime endTime
            durationSeconds minutes result charge currency } } }"#;

#[tokio::test]
async fn phone_system_usage_lists_the_call_log_with_exact_charges_and_totals() {
    let app = TestApp::new().await;
    usage_world(&app).await;
    let response = app.query_as("owner@acme.example", PHONE).await;
    let report = &data(&response)["phoneSystemUsage"];
    assert_eq!(report["available"], true);
    assert_eq!(report["phonePlan"], "Business");
    assert_eq!(report["totalCount"], 4);
    assert_eq!(
        report["totals"],
        json!({ "calls": 4, "answered": 2, "durationSeconds": 61 + 30 + 600, "minutes": 2 + 1 + 10,
                "totalCharge": "0.3000", "currency": "EUR",
                "chargeByCurrency": [{ "currency": "EUR", "calls": 4, "amount": "0.3000" }] })
    );
    let nodes = report["nodes"].as_array().unwrap();
    assert_eq!(
        nodes[0],
        json!({ "direction": "OUTBOUND", "callerNumber": "1001", "callerName": "Alice",
                "calleeNumber": "+33 6 00 00 00 01", "calleeName": "Client One",
                "user": { "email": "alice@acme.example" },
                "startTime": "2026-11-02T09:00:00+00:00", "endTime": "2026-11-02T09:01:01+00:00",
                "durationSeconds": 61, "minutes": 2, "result": "ANSWERED", "charge": "0.1000", "currency": "EUR" })
    );
    assert_eq!(nodes[1]["result"], "VOICEMAIL");
    assert_eq!(nodes[1]["charge"], "0.2000");
    assert_eq!(nodes[2]["user"], Value::Null);
    assert_eq!(nodes[2]["result"], "MISSED");
    assert_eq!(nodes[2]["minutes"], 0);
    assert_eq!(nodes[3]["direction"], "INBOUND");

    let filtered = app
        .query_as("owner@acme.example", r#"{ phoneSystemUsage(from: "2026-11-01", to: "2026-11-14", direction: OUTBOUND, result: ANSWERED) {
            totalCount totals { calls totalCharge } nodes { calleeName } } }"#)
        .await;
    assert_eq!(
        data(&filtered)["phoneSystemUsage"],
        json!({ "totalCount": 1, "totals": { "calls": 1, "totalCharge": "0.1000" }, "nodes": [{ "calleeName": "Client One" }] })
    );

    // Other Inc has no phone plan: an empty report that says so, though it has a call stored.
    let other = app.query_as("owner@other.example", PHONE).await;
    assert_eq!(
        data(&other)["phoneSystemUsage"],
        json!({ "available": false, "phonePlan": null, "totalCount": 0,
                "totals": { "calls": 0, "answered": 0, "durationSeconds": 0, "minutes": 0,
                            "totalCharge": "0.0000", "currency": null, "chargeByCurrency": [] },
                "nodes": [] })
    );
}

#[tokio::test]
async fn pages_of_phone_calls_follow_each_other_without_gaps_or_repeats() {
    let app = TestApp::new().await;
    usage_world(&app).await;
    let email = "owner@acme.example";
    let range = r#"from: "2026-11-01", to: "2026-11-14""#;
    let (field, node) = ("phoneSystemUsage", "id startTime");
    let whole = walk(&app, email, field, range, 300, node).await;
    assert_eq!(whole.len(), 4, "{field}");
    for first in [1, 2, 3] {
        assert_eq!(
            walk(&app, email, field, range, first, node).await,
            whole,
            "{field} by {first}"
        );
    }
}

#[tokio::test]
async fn phone_system_usage_needs_usage_reports_on_a_paid_plan_and_its_money_needs_billing_reports_too(
) {
    let app = TestApp::new().await;
    usage_world(&app).await;
    assert_usage_world_roles(&app, "phoneSystemUsage", PHONE).await;
    // The analyst (usage reports only) reads the report, but every money field is refused
    // with a null in its place.
    let analyst = app.query_as("analyst@acme.example", PHONE).await;
    // charge of 4 calls, totals.totalCharge and totals.chargeByCurrency.
    assert_eq!(error_codes(&analyst), vec!["FORBIDDEN"; 6]);
    let report = &analyst["data"]["phoneSystemUsage"];
    assert_eq!(report["totals"]["minutes"], 13);
    assert_eq!(report["nodes"][0]["charge"], Value::Null);
    assert_eq!(report["nodes"][0]["result"], "ANSWERED");
}

#[tokio::test]
async fn a_page_of_phone_calls_runs_as_many_statements_for_one_row_as_for_all() {
    let app = TestApp::new().await;
    usage_world(&app).await;
    // One report per request (see the Telephone report's statement count).
    let report = r#"phoneSystemUsage(from: "2026-11-01", to: "2026-11-14", first: FIRST) { nodes { user { email } } }"#;
    let q = |first: usize| format!("{{ {} }}", report.replace("FIRST", &first.to_string()));
    let one = app.query_as("owner@acme.example", &q(1)).await;
    let all = app.query_as("owner@acme.example", &q(300)).await;
    data(&one);
    data(&all);
    assert_eq!(sql_statements(&one), sql_statements(&all), "{report}");
}

#[tokio::test]
async fn on_the_demo_data_phone_system_totals_are_the_calls_added_up_and_roles_hold() {
    let app = TestApp::with_demo().await;
    let email = "admin@demo.example";
    let range = r#"from: "2026-10-01", to: "2026-10-31""#;
    let sum = |rows: &[Value], f: &dyn Fn(&Value) -> i64| -> i64 { rows.iter().map(f).sum() };

    let calls = walk(
        &app,
        email,
        "phoneSystemUsage",
        range,
        300,
        "durationSeconds minutes charge",
    )
    .await;
    assert!(calls.len() > 10, "a month of phone calls: {}", calls.len());
    let totals = app
        .query_as(email, &format!("{{ phoneSystemUsage({range}) {{ available totalCount totals {{ calls durationSeconds minutes totalCharge }} }} }}"))
        .await;
    let t = &data(&totals)["phoneSystemUsage"];
    assert_eq!(t["available"], true);
    assert_eq!(t["totalCount"], calls.len());
    assert_eq!(
        t["totals"]["durationSeconds"],
        sum(&calls, &|c| c["durationSeconds"].as_i64().unwrap())
    );
    assert_eq!(
        t["totals"]["minutes"],
        sum(&calls, &|c| c["minutes"].as_i64().unwrap())
    );
    assert_eq!(
        ten_thousandths(&t["totals"]["totalCharge"]),
        sum(&calls, &|c| ten_thousandths(&c["charge"]))
    );

    assert_demo_report_roles(
        &app,
        "phoneSystemUsage",
        &format!("{{ phoneSystemUsage({range}) {{ totalCount }} }}"),
        Value::is_object,
    )
    .await;
}
