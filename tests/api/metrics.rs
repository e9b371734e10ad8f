//! `GET /metrics` (read back with a parser of the Prometheus text format), `GET /readyz`, and
//! what the requests before them counted: GraphQL requests by operation and outcome, their
//! latency and statements, responses by route, and webhook deliveries with their lag.

use axum::{
    body::{Body, Bytes},
    http::{header, Request},
    Router,
};
use chrono::{Duration, Utc};
use http_body_util::BodyExt;
use meeting_reports::{
    build_app_with_webhooks,
    ingest::webhooks::{signature, WebhookSecrets},
};
use prometheus_parse::{Scrape, Value as Sample};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::{
    common::{fixtures::Fixture, settings, sql_statements, TestApp},
    webhooks::{acme, envelope, ACME},
};

/// Sends `req` to `router` (the same router every time, so the same metrics); status and body.
async fn send(router: &Router, req: Request<Body>) -> (u16, String) {
    let response = router.clone().oneshot(req).await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn post_graphql(router: &Router, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut req = Request::post("/graphql").header("content-type", "application/json");
    if let Some(token) = token {
        req = req.header("authorization", format!("Bearer {token}"));
    }
    let (status, text) = send(router, req.body(Body::from(body.to_string())).unwrap()).await;
    (status, serde_json::from_str(&text).unwrap())
}

/// `GET /metrics`, parsed.
async fn scrape(router: &Router) -> Scrape {
    let response = router
        .clone()
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    Scrape::parse(text.lines().map(|line| Ok(line.to_owned()))).unwrap()
}

/// The sample of `metric` with exactly these labels, if there is one.
fn find<'a>(scrape: &'a Scrape, metric: &str, labels: &[(&str, &str)]) -> Option<&'a Sample> {
    scrape
        .samples
        .iter()
        .find(|s| {
            s.metric == metric
                && s.labels.len() == labels.len()
                && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v))
        })
        .map(|s| &s.value)
}

/// A counter's or an untyped sample's value (0 when the series does not exist yet).
fn value(scrape: &Scrape, metric: &str, labels: &[(&str, &str)]) -> f64 {
    match find(scrape, metric, labels) {
        None => 0.0,
        Some(Sample::Counter(v) | Sample::Untyped(v) | Sample::Gauge(v)) => *v,
        Some(other) => panic!("{metric} {labels:?} is {other:?}"),
    }
}

fn requests(scrape: &Scrape, operation: &str, outcome: &str) -> f64 {
    value(
        scrape,
        "graphql_requests_total",
        &[("operation", operation), ("outcome", outcome)],
    )
}

/// Every `graphql_requests_total` series added up.
fn all_requests(scrape: &Scrape) -> f64 {
    scrape
        .samples
        .iter()
        .filter(|s| s.metric == "graphql_requests_total")
        .map(|s| match s.value {
            Sample::Counter(v) => v,
            ref other => panic!("{other:?}"),
        })
        .sum()
}

const VIEWER: &str = "query Viewer { viewer { privileges } }";
const LOGS: &str = r#"query Logs { operationLogs(from: "2026-11-01", to: "2026-11-14", first: 1) { totalCount } }"#;

#[tokio::test]
async fn metrics_count_graphql_requests_by_operation_and_outcome() {
    let app = TestApp::new().await;
    let fixture = Fixture::new(&app.db);
    let account = fixture.account("Acme", "acme.example", "BUSINESS").await;
    fixture.user(account, "member@acme.example", "MEMBER").await;
    let member = app.token("member@acme.example").await;
    let router = app.router();

    let mut statements = 0;
    for _ in 0..2 {
        let (status, body) = post_graphql(&router, Some(&member), json!({ "query": VIEWER })).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "{body}");
        statements += sql_statements(&body);
    }
    // Refused by its guard: the operation ran, with a FORBIDDEN error.
    let (_, body) = post_graphql(&router, Some(&member), json!({ "query": LOGS })).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );
    // Refused before it runs: a name already kept is labelled as itself, a new one is not.
    let (status, _) = post_graphql(&router, None, json!({ "query": VIEWER })).await;
    assert_eq!(status, 401);
    let stranger = "query Stranger { viewer { privileges } }";
    let (status, _) = post_graphql(&router, None, json!({ "query": stranger })).await;
    assert_eq!(status, 401);
    // Anonymous, and a body that is not GraphQL at all.
    let (status, _) = post_graphql(&router, None, json!({ "query": "{ __typename }" })).await;
    assert_eq!(status, 200);
    let bad = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    assert_eq!(send(&router, bad).await.0, 400);
    // The playground is no GraphQL request.
    let page = Request::get("/graphql")
        .header("accept", "text/html")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&router, page).await.0, 200);
    let nowhere = Request::get("/no/such/path").body(Body::empty()).unwrap();
    assert_eq!(send(&router, nowhere).await.0, 404);

    let scrape = scrape(&router).await;
    assert_eq!(requests(&scrape, "Viewer", "ok"), 2.0);
    assert_eq!(requests(&scrape, "Logs", "FORBIDDEN"), 1.0);
    assert_eq!(requests(&scrape, "Viewer", "UNAUTHENTICATED"), 1.0);
    assert_eq!(requests(&scrape, "(other)", "UNAUTHENTICATED"), 1.0);
    assert_eq!(requests(&scrape, "(anonymous)", "ok"), 1.0);
    assert_eq!(requests(&scrape, "(anonymous)", "BAD_USER_INPUT"), 1.0);
    assert_eq!(all_requests(&scrape), 7.0);

    let viewer = [("operation", "Viewer")];
    assert_eq!(
        value(&scrape, "graphql_request_duration_seconds_count", &viewer),
        3.0
    );
    assert!(value(&scrape, "graphql_request_duration_seconds_sum", &viewer) > 0.0);
    // The refused request ran no statement; the two others what their responses reported.
    assert!(statements > 0);
    assert_eq!(value(&scrape, "graphql_sql_statements_count", &viewer), 3.0);
    assert_eq!(
        value(&scrape, "graphql_sql_statements_sum", &viewer),
        statements as f64
    );
    match find(&scrape, "graphql_sql_statements", &viewer) {
        Some(Sample::Histogram(buckets)) => {
            let at_most = |le: f64| buckets.iter().find(|b| b.less_than == le).unwrap().count;
            assert_eq!(at_most(0.0), 1.0, "{buckets:?}");
            assert_eq!(at_most(f64::INFINITY), 3.0, "{buckets:?}");
        }
        other => panic!("graphql_sql_statements is {other:?}"),
    }

    let graphql = |status| {
        value(
            &scrape,
            "http_responses_total",
            &[("route", "/graphql"), ("status", status)],
        )
    };
    assert_eq!(graphql("2xx"), 5.0, "4 answers and the playground");
    assert_eq!(graphql("4xx"), 3.0);
    // Routes are the router's patterns: a path no route serves is not a label of its own.
    assert_eq!(
        value(
            &scrape,
            "http_responses_total",
            &[("route", "(unmatched)"), ("status", "4xx")]
        ),
        1.0
    );
}

#[tokio::test]
async fn a_request_cut_off_by_the_time_limit_is_counted_as_timeout() {
    let app = TestApp::with_settings(meeting_reports::config::ReportSettings {
        request_timeout_secs: 1,
        ..settings()
    })
    .await;
    let router = app.router();
    let never = async_graphql::futures_util::stream::pending::<Result<Bytes, std::io::Error>>();
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from_stream(never))
        .unwrap();
    assert_eq!(send(&router, req).await.0, 503);
    let scrape = scrape(&router).await;
    assert_eq!(requests(&scrape, "(anonymous)", "TIMEOUT"), 1.0);
    assert_eq!(all_requests(&scrape), 1.0);
}

#[tokio::test]
async fn metrics_count_webhook_events_by_outcome_with_the_lag_of_the_applied_ones() {
    const SECRET: &str = "metrics-test-secret";
    let app = TestApp::new().await;
    acme(&app).await;
    let router = build_app_with_webhooks(
        app.db.clone(),
        app.keys.clone(),
        app.settings.clone(),
        WebhookSecrets::parse(SECRET),
    );
    let deliver = |event: Value, secret: &'static str| {
        let router = router.clone();
        async move {
            let body = event.to_string();
            let ts = Utc::now().timestamp().to_string();
            let req = Request::post("/webhooks/zoom")
                .header("content-type", "application/json")
                .header("x-zm-request-timestamp", &ts)
                .header("x-zm-signature", signature(secret, &ts, body.as_bytes()))
                .body(Body::from(body))
                .unwrap();
            send(&router, req).await.0
        }
    };
    // Two events applied, 3 s and 30 s after their time; only those have a lag.
    let user = |account: &str, id: &str, seconds_ago: i64| {
        let at = (Utc::now() - Duration::seconds(seconds_ago)).to_rfc3339();
        let email = format!("{id}@acme.example");
        let user = json!({ "id": id, "first_name": "Hanna", "last_name": "Host", "email": email, "type": 2 });
        envelope("user.created", &at, account, user)
    };
    assert_eq!(deliver(user(ACME, "HOST-1", 3), SECRET).await, 200);
    let second = user(ACME, "HOST-2", 30);
    assert_eq!(deliver(second.clone(), SECRET).await, 200);
    assert_eq!(deliver(second, SECRET).await, 200);
    let stranger = user("nobody-knows-me", "HOST-3", 3600);
    assert_eq!(deliver(stranger, SECRET).await, 200);
    let forged = user(ACME, "HOST-4", 3);
    assert_eq!(deliver(forged, "a wrong secret").await, 401);

    let scrape = scrape(&router).await;
    let events = |outcome| {
        value(
            &scrape,
            "ingest_events_total",
            &[("source", "webhook"), ("outcome", outcome)],
        )
    };
    assert_eq!(events("applied"), 2.0);
    assert_eq!(events("duplicate"), 1.0);
    assert_eq!(events("dead_lettered"), 1.0);
    assert_eq!(events("error"), 0.0);
    let webhook = [("source", "webhook")];
    assert_eq!(
        value(&scrape, "ingest_freshness_lag_seconds_count", &webhook),
        2.0
    );
    let lag = value(&scrape, "ingest_freshness_lag_seconds_sum", &webhook);
    assert!((33.0..90.0).contains(&lag), "lag {lag}");
    match find(&scrape, "ingest_freshness_lag_seconds", &webhook) {
        Some(Sample::Histogram(buckets)) => {
            let at_most = |le: f64| buckets.iter().find(|b| b.less_than == le).unwrap().count;
            assert_eq!(at_most(2.5), 0.0, "{buckets:?}");
            assert_eq!(at_most(15.0), 1.0, "{buckets:?}");
            assert_eq!(at_most(60.0), 2.0, "{buckets:?}");
        }
        other => panic!("ingest_freshness_lag_seconds is {other:?}"),
    }
    assert_eq!(
        value(
            &scrape,
            "http_responses_total",
            &[("route", "/webhooks/zoom"), ("status", "4xx")]
        ),
        1.0
    );
}

#[tokio::test]
async fn readyz_answers_ready_when_the_database_runs_a_statement() {
    let app = TestApp::new().await;
    let router = app.router();
    let (status, body) = send(
        &router,
        Request::get("/readyz").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({ "status": "ready" })
    );
}

#[tokio::test]
async fn readyz_answers_503_unavailable_when_the_database_is_gone() {
    let app = TestApp::new().await;
    let router = app.router();
    app.db.clone().close().await.unwrap();
    let (status, body) = send(
        &router,
        Request::get("/readyz").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, 503, "{body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAVAILABLE",
        "{body}"
    );
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(!message.contains("SELECT"), "{message}");
    let scrape = scrape(&router).await;
    assert_eq!(
        value(
            &scrape,
            "http_responses_total",
            &[("route", "/readyz"), ("status", "5xx")]
        ),
        1.0
    );
}

#[tokio::test]
async fn metrics_count_the_rows_exports_write() {
    let app = TestApp::with_demo().await;
    let router = app.router();
    let token = app.token("owner@demo.example").await;
    let mut written = 0;
    for format in ["csv", "csv", "ndjson"] {
        let body = json!({ "query": "{ users(first: 4) { nodes { email } } }", "format": format });
        let req = Request::post("/export")
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::from(body.to_string()))
            .unwrap();
        let (status, text) = send(&router, req).await;
        assert_eq!(status, 200, "{text}");
        let rows = text.lines().count() - usize::from(format == "csv");
        assert!(rows > 4, "every page: {rows}");
        if format == "csv" {
            written += rows;
        }
    }
    let scrape = scrape(&router).await;
    assert_eq!(
        value(&scrape, "export_rows_total", &[("format", "csv")]),
        written as f64
    );
    assert!(value(&scrape, "export_rows_total", &[("format", "ndjson")]) > 4.0);
}
