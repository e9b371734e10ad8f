//! The Billing report: exact money, the department breakdown adds up to the invoices, and
//! both rules (privilege and account setting) are enforced with a message saying which fails.

use serde_json::json;

use crate::common::{
    data, error_codes,
    fixtures::{exec, Fixture},
    TestApp,
};

async fn world(app: &TestApp) {
    let f = Fixture::new(&app.db);
    let acc = f.account("Acme", "acme.example", "BUSINESS").await;
    f.user(acc, "owner@acme.example", "OWNER").await;
    f.user(acc, "admin@acme.example", "ADMIN").await;
    f.user(acc, "member@acme.example", "MEMBER").await;
    let billing = f.custom_role(acc, "Billing", false, false, true).await;
    f.user_with_role(acc, "billing@acme.example", "MEMBER", Some(billing))
        .await;
    let analyst = f.custom_role(acc, "Analyst", true, false, false).await;
    f.user_with_role(acc, "analyst@acme.example", "MEMBER", Some(analyst))
        .await;
    let off = f.account("Quiet", "quiet.example", "BUSINESS").await;
    f.user(off, "owner@quiet.example", "OWNER").await;
    let mut sql = vec![
        format!("UPDATE account SET billing_reports_enabled = false WHERE id = {off}"),
        format!("INSERT INTO department (id, account_id, name) VALUES (7001, {acc}, 'Engineering'), (7002, {acc}, 'Sales')"),
        format!("INSERT INTO billing_invoice (id, account_id, source_id, invoice_number, period_start, period_end, issued_at, currency, amount_micros, tax_micros) VALUES \
            (7101, {acc}, 'inv-oct', 'INV-2026-10', '2026-10-01', '2026-10-31', '2026-11-01T06:00:00+00:00', 'USD', 151116100, 30222200), \
            (7102, {acc}, 'inv-nov', 'INV-2026-11', '2026-11-01', '2026-11-30', '2026-12-01T06:00:00+00:00', 'USD', 120000000, 24000000), \
            (7103, {off}, 'inv-q', 'Q-1', '2026-11-01', '2026-11-30', '2026-12-01T06:00:00+00:00', 'USD', 5000000, 0)"),
    ];
    sql.push(format!("INSERT INTO billing_line (account_id, invoice_id, department_id, description, licenses, amount_micros, tax_micros) VALUES \
        ({acc}, 7101, 7001, 'Business licences', 10, 100000000, 20000000), \
        ({acc}, 7101, 7002, 'Business licences', 5, 50005000, 10001000), \
        ({acc}, 7101, NULL, 'Cloud storage', 1, 1111100, 221200), \
        ({acc}, 7102, 7001, 'Business licences', 12, 120000000, 24000000)"));
    exec(&app.db, &sql).await;
}

const REPORT: &str = r#"{ billingReport(from: "2026-10-15", to: "2026-11-14") {
    invoices { invoiceNumber periodStart currency amount tax total lines { department licenses amount } }
    departments { department currency licenses amount tax total }
    totals { currency invoices amount tax total } } }"#;

#[tokio::test]
async fn the_department_breakdown_adds_up_exactly_to_the_invoices() {
    let app = TestApp::new().await;
    world(&app).await;
    let response = app.query_as("owner@acme.example", REPORT).await;
    let report = &data(&response)["billingReport"];
    assert_eq!(report["invoices"].as_array().unwrap().len(), 2);
    assert_eq!(report["invoices"][0]["amount"], "151.1161");
    assert_eq!(report["invoices"][0]["total"], "181.3383");
    assert_eq!(report["invoices"][0]["lines"].as_array().unwrap().len(), 3);
    assert_eq!(
        report["departments"],
        json!([
            { "department": "Engineering", "currency": "USD", "licenses": 22, "amount": "220.0000", "tax": "44.0000", "total": "264.0000" },
            { "department": "Sales", "currency": "USD", "licenses": 5, "amount": "50.0050", "tax": "10.0010", "total": "60.0060" },
            { "department": null, "currency": "USD", "licenses": 1, "amount": "1.1111", "tax": "0.2212", "total": "1.3323" }
        ])
    );
    assert_eq!(
        report["totals"],
        json!([{ "currency": "USD", "invoices": 2, "amount": "271.1161", "tax": "54.2222", "total": "325.3383" }])
    );
    // Exactly: departments sum to the totals, in ten-thousandths.
    let units =
        |s: &serde_json::Value| -> i64 { s.as_str().unwrap().replace('.', "").parse().unwrap() };
    let dept_sum: i64 = report["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| units(&d["total"]))
        .sum();
    assert_eq!(dept_sum, units(&report["totals"][0]["total"]));
}

#[tokio::test]
async fn billing_needs_the_privilege_and_the_account_setting_and_says_which_is_missing() {
    let app = TestApp::new().await;
    world(&app).await;
    for email in [
        "owner@acme.example",
        "admin@acme.example",
        "billing@acme.example",
    ] {
        assert!(
            data(&app.query_as(email, REPORT).await)["billingReport"].is_object(),
            "{email}"
        );
    }
    for email in ["analyst@acme.example", "member@acme.example"] {
        let response = app.query_as(email, REPORT).await;
        assert_eq!(error_codes(&response), vec!["FORBIDDEN"], "{email}");
        let message = response["errors"][0]["message"].as_str().unwrap();
        assert!(
            message.contains("billing_reports privilege") && !message.contains("enabled"),
            "{message}"
        );
    }
    let response = app.query_as("owner@quiet.example", REPORT).await;
    assert_eq!(error_codes(&response), vec!["FORBIDDEN"]);
    let message = response["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("enabled for the account") && !message.contains("privilege"),
        "{message}"
    );
}

#[tokio::test]
async fn billing_on_the_demo_data_follows_each_role() {
    let app = TestApp::with_demo().await;
    let q = r#"{ billingReport(from: "2026-10-01", to: "2026-10-31") { totals { total } departments { total } } }"#;
    for email in [
        "owner@demo.example",
        "admin@demo.example",
        "billing@demo.example",
    ] {
        assert!(
            data(&app.query_as(email, q).await)["billingReport"]["totals"].is_array(),
            "{email}"
        );
    }
    for email in [
        "member@demo.example",
        "analyst@demo.example",
        "auditor@demo.example",
    ] {
        assert_eq!(
            error_codes(&app.query_as(email, q).await),
            vec!["FORBIDDEN"],
            "{email}"
        );
    }
    assert_eq!(
        error_codes(&app.query_as("owner@free.example", q).await),
        vec!["PLAN_NOT_SUPPORTED"]
    );
    // Other Inc reads its own invoices, never Demo Corp's.
    let invoices = r#"{ billingReport(from: "2026-10-01", to: "2026-10-31") { invoices { invoiceNumber } totals { total } } }"#;
    let numbers = |v: &serde_json::Value| -> Vec<String> {
        data(v)["billingReport"]["invoices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["invoiceNumber"].as_str().unwrap().to_owned())
            .collect()
    };
    let demo = numbers(&app.query_as("owner@demo.example", invoices).await);
    let other = numbers(&app.query_as("owner@other.example", invoices).await);
    assert!(!demo.is_empty() && !other.is_empty());
    assert!(
        demo.iter().all(|n| !other.contains(n)),
        "{demo:?} {other:?}"
    );
}
