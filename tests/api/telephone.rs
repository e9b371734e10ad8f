//! The Telephone report, hand-computed on the shared usage world: range edges in the account's
//! zone, exact money, pages without gaps, and the role rules (money fields need billing_reports
//! too).

use serde_json::{json, Value};

use crate::common::{
    assert_demo_report_roles, data, error_codes, sql_statements, ten_thousandths,
    usage_world::{assert_usage_world_roles, usage_world},
    walk, TestApp,
};

const TELEPHONE: &str = r#"{ telephoneUsage(from: "2026-11-01", to: "2026-11-14") {
    totalCount
    totals { calls durationSeconds minutes totalCost currency costByCurrency { currency calls amount } }
    nodes { participantName participantEmail callType callerNumber calledNumber country startTime endTime
            durationSeconds minutes rate totalCost currency
            meeting { ... on Meeting { id topic host { email } } ... on Webinar { id topic host { email } } } } } }"#;

#[tokio::test]
async fn telephone_usage_lists_phone_legs_of_the_range_with_exact_costs_and_totals() {
    let app = TestApp::new().await;
    let w = usage_world(&app).await;
    let response = app.query_as("owner@acme.example", TELEPHONE).await;
    let report = &data(&response)["telephoneUsage"];
    assert_eq!(report["totalCount"], 4);
    // Per-leg minutes are rounded up (1 + 10 + 20 + 30), unlike the 3576 seconds' 60 minutes.
    // 0.1 + 0.2 + 0.3 is 0.6 exactly (as floats it is not).
    assert_eq!(
        report["totals"],
        json!({ "calls": 4, "durationSeconds": 45 + 600 + 1190 + 1741, "minutes": 61,
                "totalCost": "0.6000", "currency": "EUR",
                "costByCurrency": [{ "currency": "EUR", "calls": 4, "amount": "0.6000" }] })
    );
    let nodes = report["nodes"].as_array().unwrap();
    // 23:30 UTC on 31 Oct is 00:30 on 1 Nov in Paris: the SIP leg is in, first; the legs
    // starting together come by id (Tom's was stored first).
    let sip = &nodes[0];
    assert_eq!(sip["callType"], "SIP");
    assert_eq!(sip["participantName"], Value::Null);
    assert_eq!(sip["startTime"], "2026-10-31T23:30:00+00:00");
    assert_eq!(sip["minutes"], 1);
    assert_eq!(sip["totalCost"], "0.0000");
    let weekly = json!({ "id": w.weekly.to_string(), "topic": "Weekly sync", "host": { "email": "alice@acme.example" } });
    assert_eq!(
        nodes[1],
        json!({ "participantName": "Tom Toll", "participantEmail": null, "callType": "TOLL",
                "callerNumber": "+33 1 00 00 00 02", "calledNumber": "+33 1 70 00 00 00", "country": "FR",
                "startTime": "2026-11-03T10:00:00+00:00", "endTime": "2026-11-03T10:19:50+00:00",
                "durationSeconds": 1190, "minutes": 20, "rate": "0.0100", "totalCost": "0.2000",
                "currency": "EUR", "meeting": weekly })
    );
    assert_eq!(nodes[2]["participantName"], "Paula Phone");
    assert_eq!(nodes[2]["participantEmail"], "paula@x.example");
    assert_eq!(nodes[2]["callType"], "TOLL_FREE");
    assert_eq!(nodes[2]["minutes"], 10);
    assert_eq!(nodes[2]["totalCost"], "0.1000");
    assert_eq!(nodes[3]["callType"], "CALL_OUT");
    assert_eq!(nodes[3]["minutes"], 30);
    assert_eq!(nodes[3]["totalCost"], "0.3000");
    assert_eq!(
        nodes[3]["meeting"],
        json!({ "id": w.launch.to_string(), "topic": "Launch", "host": { "email": "alice@acme.example" } })
    );

    // One call type.
    let toll_free = app
        .query_as(
            "owner@acme.example",
            r#"{ telephoneUsage(from: "2026-11-01", to: "2026-11-14", type: TOLL_FREE) {
            totalCount totals { calls minutes totalCost } nodes { participantName } } }"#,
        )
        .await;
    assert_eq!(
        data(&toll_free)["telephoneUsage"],
        json!({ "totalCount": 1, "totals": { "calls": 1, "minutes": 10, "totalCost": "0.1000" },
                "nodes": [{ "participantName": "Paula Phone" }] })
    );

    // Range rules: `from` after `to`, more than a month, beyond the 12-month history.
    for range in [
        r#"from: "2026-11-14", to: "2026-11-01""#,
        r#"from: "2026-10-01", to: "2026-11-14""#,
        r#"from: "2025-10-01", to: "2025-10-14""#,
    ] {
        let bad = app
            .query_as(
                "owner@acme.example",
                &format!("{{ telephoneUsage({range}) {{ totalCount }} }}"),
            )
            .await;
        assert_eq!(error_codes(&bad), vec!["BAD_USER_INPUT"], "{range}");
    }
}

#[tokio::test]
async fn pages_of_phone_legs_follow_each_other_without_gaps_or_repeats() {
    let app = TestApp::new().await;
    usage_world(&app).await;
    let email = "owner@acme.example";
    let range = r#"from: "2026-11-01", to: "2026-11-14""#;
    let (field, node) = ("telephoneUsage", "startTime participantName callType");
    let whole = walk(&app, email, field, range, 300, node).await;
    assert_eq!(whole.len(), 4, "{field}");
    for first in [1, 2, 3] {
        assert_eq!(
            walk(&app, email, field, range, first, node).await,
            whole,
            "{field} by {first}"
        );
    }
    let bad = app
        .query_as(
            email,
            &format!("{{ telephoneUsage({range}, first: 301) {{ totalCount }} }}"),
        )
        .await;
    assert_eq!(error_codes(&bad), vec!["BAD_USER_INPUT"]);
}

#[tokio::test]
async fn telephone_usage_needs_usage_reports_on_a_paid_plan_and_its_money_needs_billing_reports_too(
) {
    let app = TestApp::new().await;
    usage_world(&app).await;
    assert_usage_world_roles(&app, "telephoneUsage", TELEPHONE).await;
    // Owner, admin, and a custom role with both privileges: money included.
    for email in [
        "owner@acme.example",
        "admin@acme.example",
        "controller@acme.example",
    ] {
        let response = app.query_as(email, TELEPHONE).await;
        assert_eq!(
            data(&response)["telephoneUsage"]["totals"]["totalCost"],
            "0.6000",
            "{email}"
        );
    }
    // The analyst (usage reports only) reads the report, but every money field is refused
    // with a null in its place.
    let analyst = app.query_as("analyst@acme.example", TELEPHONE).await;
    let codes = error_codes(&analyst);
    // rate and totalCost of 4 legs, totals.totalCost and totals.costByCurrency.
    assert_eq!(codes, vec!["FORBIDDEN"; 10], "{analyst:#}");
    let report = &analyst["data"]["telephoneUsage"];
    assert_eq!(report["totalCount"], 4);
    assert_eq!(report["totals"]["minutes"], 61);
    assert_eq!(report["totals"]["totalCost"], Value::Null);
    assert_eq!(report["totals"]["costByCurrency"], Value::Null);
    for node in report["nodes"].as_array().unwrap() {
        assert!(node["callType"].is_string());
        assert_eq!(node["rate"], Value::Null);
        assert_eq!(node["totalCost"], Value::Null);
    }
    assert_eq!(report["nodes"][1]["participantName"], "Tom Toll");
}

#[tokio::test]
async fn another_account_sees_only_its_own_phone_legs() {
    let app = TestApp::new().await;
    usage_world(&app).await;
    let telephone = app.query_as("owner@other.example", TELEPHONE).await;
    let report = &data(&telephone)["telephoneUsage"];
    assert_eq!(report["totalCount"], 1);
    assert_eq!(report["totals"]["totalCost"], "5.0000");
    assert_eq!(report["nodes"][0]["meeting"]["topic"], "Their call");
}

#[tokio::test]
async fn a_page_of_phone_legs_runs_as_many_statements_for_one_row_as_for_all() {
    let app = TestApp::new().await;
    usage_world(&app).await;
    // One report per request: two reports in one request share the loader's cache (a host
    // already loaded by one is not loaded again by the other), which makes their sum depend on
    // the data; each report alone depends on its depth only.
    let report = r#"telephoneUsage(from: "2026-11-01", to: "2026-11-14", first: FIRST) { nodes { participantName
              meeting { ... on Meeting { topic host { email } } ... on Webinar { topic host { email } } } } }"#;
    let q = |first: usize| format!("{{ {} }}", report.replace("FIRST", &first.to_string()));
    let one = app.query_as("owner@acme.example", &q(1)).await;
    let all = app.query_as("owner@acme.example", &q(300)).await;
    data(&one);
    data(&all);
    assert_eq!(sql_statements(&one), sql_statements(&all), "{report}");
    let legs = app
        .query_as(
            "owner@acme.example",
            r#"{ telephoneUsage(from: "2026-11-01", to: "2026-11-14", first: 300) { nodes { participantName } } }"#,
        )
        .await;
    assert_eq!(
        data(&legs)["telephoneUsage"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[tokio::test]
async fn on_the_demo_data_telephone_totals_are_the_legs_added_up_and_roles_hold() {
    let app = TestApp::with_demo().await;
    let email = "admin@demo.example";
    let range = r#"from: "2026-10-01", to: "2026-10-31""#;

    let legs = walk(
        &app,
        email,
        "telephoneUsage",
        range,
        300,
        "durationSeconds minutes totalCost",
    )
    .await;
    assert!(legs.len() > 10, "a month of phone legs: {}", legs.len());
    let totals = app
        .query_as(email, &format!("{{ telephoneUsage({range}) {{ totalCount totals {{ calls durationSeconds minutes totalCost }} }} }}"))
        .await;
    let t = &data(&totals)["telephoneUsage"];
    let sum = |rows: &[Value], f: &dyn Fn(&Value) -> i64| -> i64 { rows.iter().map(f).sum() };
    assert_eq!(t["totalCount"], legs.len());
    assert_eq!(t["totals"]["calls"], legs.len());
    assert_eq!(
        t["totals"]["durationSeconds"],
        sum(&legs, &|l| l["durationSeconds"].as_i64().unwrap())
    );
    assert_eq!(
        t["totals"]["minutes"],
        sum(&legs, &|l| l["minutes"].as_i64().unwrap())
    );
    assert_eq!(
        ten_thousandths(&t["totals"]["totalCost"]),
        sum(&legs, &|l| ten_thousandths(&l["totalCost"]))
    );

    assert_demo_report_roles(
        &app,
        "telephoneUsage",
        &format!("{{ telephoneUsage({range}) {{ totalCount }} }}"),
        Value::is_object,
    )
    .await;
    let analyst = app
        .query_as(
            "analyst@demo.example",
            &format!("{{ telephoneUsage({range}, first: 1) {{ nodes {{ minutes totalCost }} }} }}"),
        )
        .await;
    assert_eq!(error_codes(&analyst), vec!["FORBIDDEN"]);
    assert!(analyst["data"]["telephoneUsage"]["nodes"][0]["minutes"].is_i64());
}
