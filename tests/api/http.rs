//! The HTTP surface: health, the playground, the report-views app, and GraphQL over HTTP (media
//! types, statuses, GET, and every refusal as a GraphQL error body with its code).

use axum::{
    body::{Body, Bytes},
    http::{header, HeaderMap, Request},
};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::common::{error_codes, fixtures::Fixture, settings, TestApp};

#[tokio::test]
async fn healthz_answers_ok_when_the_database_answers() {
    let app = TestApp::new().await;
    let (status, body) = app.get("/healthz").await;
    assert_eq!(status, 200);
    assert!(body.contains("ok"), "{body}");
}

#[tokio::test]
async fn the_root_serves_the_report_views_app() {
    let app = TestApp::new().await;
    let (status, page) = app.get("/").await;
    assert_eq!(status, 200);
    assert!(page.contains("/app/js/main.js"), "{page}");
}

#[tokio::test]
async fn the_playground_and_its_assets_are_served_by_the_binary() {
    let app = TestApp::new().await;
    let (status, page) = app.get("/graphql").await;
    assert_eq!(status, 200);
    assert!(page.contains("GraphiQL"), "{page}");
    let mut assets = 0;
    for part in page.split('"').filter(|p| p.starts_with("/playground/")) {
        let (status, _) = app.get(part).await;
        assert_eq!(status, 200, "{part}");
        assets += 1;
    }
    assert!(assets >= 2, "the page references its vendored assets");
}

// GraphQL over HTTP (the GraphQL-over-HTTP specification; `tests/graphql-http-audit/` runs
// graphql-http's audit of it against a live server in CI).

const JSON: &str = "application/json";
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// What the router answers: status, headers, body text.
struct Answer {
    status: u16,
    headers: HeaderMap,
    text: String,
}

impl Answer {
    fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .map_or("<none>", |v| v.to_str().unwrap())
    }

    /// The media type without its parameters.
    fn media_type(&self) -> &str {
        self.content_type().split(';').next().unwrap().trim()
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|_| panic!("not JSON: {}", self.text))
    }

    /// A refusal's or a request error's body: errors, each with a code, and no `data` entry.
    fn assert_request_error(&self, status: u16, code: &str) -> Value {
        assert_eq!(self.status, status, "{}", self.text);
        let body = self.json();
        assert!(body.get("data").is_none(), "no data entry: {body:#}");
        assert_eq!(error_codes(&body), vec![code.to_owned()], "{body:#}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{body:#}"
        );
        body
    }
}

async fn send(app: &TestApp, req: Request<Body>) -> Answer {
    let response = app.router().oneshot(req).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    Answer {
        status,
        headers,
        text: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

/// `POST /graphql` with a JSON body and these headers.
async fn post(app: &TestApp, headers: &[(&str, &str)], body: Value) -> Answer {
    post_raw(
        app,
        &[&[("content-type", JSON)], headers].concat(),
        body.to_string(),
    )
    .await
}

async fn post_raw(app: &TestApp, headers: &[(&str, &str)], body: impl Into<Body>) -> Answer {
    let mut req = Request::post("/graphql");
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    send(app, req.body(body.into()).unwrap()).await
}

/// `GET` of `path` with these headers.
async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut req = Request::get(path);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    send(app, req.body(Body::empty()).unwrap()).await
}

/// `/graphql?` with these parameters, URL-encoded.
fn graphql_url(params: &[(&str, &str)]) -> String {
    let query: Vec<String> = params
        .iter()
        .map(|(name, value)| format!("{name}={}", percent_encode(value)))
        .collect();
    format!("/graphql?{}", query.join("&"))
}

fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A member of a BUSINESS account, and their bearer header.
async fn member(app: &TestApp) -> String {
    let fixture = Fixture::new(&app.db);
    let account = fixture.account("Acme", "acme.example", "BUSINESS").await;
    fixture.user(account, "member@acme.example", "MEMBER").await;
    format!("Bearer {}", app.token("member@acme.example").await)
}

const TYPENAME: &str = "{ __typename }";

#[tokio::test]
async fn the_response_media_type_follows_accept_and_json_is_the_default() {
    let app = TestApp::new().await;
    for (accept, expected) in [
        (None, JSON),
        (Some("application/json"), JSON),
        (Some("*/*"), JSON),
        (Some("application/*"), JSON),
        (Some("text/plain"), JSON),
        (Some(GRAPHQL_RESPONSE), GRAPHQL_RESPONSE),
        (
            Some("application/graphql-response+json, application/json;q=0.9"),
            GRAPHQL_RESPONSE,
        ),
        (
            Some("application/json;q=0.5, application/graphql-response+json"),
            GRAPHQL_RESPONSE,
        ),
        (
            Some("application/json, application/graphql-response+json"),
            JSON,
        ),
        (Some("application/graphql-response+json;q=0, */*"), JSON),
        (
            Some("application/graphql-response+json, */*;q=0.8"),
            GRAPHQL_RESPONSE,
        ),
    ] {
        let headers: Vec<(&str, &str)> = accept.iter().map(|a| ("accept", *a)).collect();
        let answer = post(&app, &headers, json!({ "query": TYPENAME })).await;
        assert_eq!(answer.status, 200, "{accept:?}: {}", answer.text);
        assert_eq!(answer.media_type(), expected, "{accept:?}");
        assert!(
            answer.content_type().contains("charset=utf-8"),
            "{accept:?}"
        );
        assert_eq!(answer.json()["data"]["__typename"], "Query", "{accept:?}");
    }
}

/// Parse, validation and variable coercion failures are request errors: nothing runs, so
/// there is no `data`; 400 under the new media type, 200 under `application/json`.
#[tokio::test]
async fn request_errors_are_400_under_graphql_response_json_and_200_under_json() {
    let app = TestApp::new().await;
    let token = member(&app).await;
    let signed_in = |accept| [("accept", accept), ("authorization", token.as_str())];
    let typed_variable = "query Type($name: String!) { __type(name: $name) { name } }";
    for (what, body) in [
        ("a document that does not parse", json!({ "query": "{" })),
        (
            "a field that does not exist",
            json!({ "query": "{ noSuchField }" }),
        ),
        (
            "a non-null variable sent as null",
            json!({ "query": "query CoerceFailure($id: ID!) { __typename }", "variables": { "id": null } }),
        ),
        (
            "a non-null variable left out",
            json!({ "query": typed_variable, "variables": {} }),
        ),
        (
            "a variable of the wrong type",
            json!({ "query": typed_variable, "variables": { "name": 5 } }),
        ),
        (
            "an operation name the document does not hold",
            json!({ "query": "query A { __typename }", "operationName": "B" }),
        ),
    ] {
        let strict = post(&app, &signed_in(GRAPHQL_RESPONSE), body.clone()).await;
        strict.assert_request_error(400, "BAD_USER_INPUT");
        assert_eq!(strict.media_type(), GRAPHQL_RESPONSE, "{what}");

        let legacy = post(&app, &signed_in(JSON), body).await;
        legacy.assert_request_error(200, "BAD_USER_INPUT");
        assert_eq!(legacy.media_type(), JSON, "{what}");
    }
    // The same variable, given, runs.
    let answer = post(
        &app,
        &[("accept", GRAPHQL_RESPONSE)],
        json!({ "query": typed_variable, "variables": { "name": "Query" } }),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.json()["data"]["__type"]["name"], "Query");
}

/// An error while executing keeps its `data` entry (here null: the field is non-null) and a
/// 200 under either media type: the operation ran.
#[tokio::test]
async fn an_execution_error_keeps_its_data_and_a_200() {
    let app = TestApp::new().await;
    let token = member(&app).await;
    for accept in [GRAPHQL_RESPONSE, JSON] {
        let answer = post(
            &app,
            &[("accept", accept), ("authorization", &token)],
            json!({ "query": "{ dailyUsage(year: 2026, month: 11) { timeZone } }" }),
        )
        .await;
        assert_eq!(answer.status, 200, "{accept}: {}", answer.text);
        assert_eq!(answer.media_type(), accept);
        let body = answer.json();
        assert_eq!(body.get("data"), Some(&Value::Null), "{body:#}");
        assert_eq!(error_codes(&body), vec!["FORBIDDEN"], "{body:#}");
    }
}

#[tokio::test]
async fn a_query_runs_over_get_with_its_variables_and_operation_name() {
    let app = TestApp::new().await;
    let token = member(&app).await;
    let url = graphql_url(&[
        (
            "query",
            "query Who { viewer { user { email } } } query Type($name: String!) { __type(name: $name) { name } }",
        ),
        ("operationName", "Type"),
        ("variables", r#"{"name":"Meeting"}"#),
    ]);
    for accept in [JSON, GRAPHQL_RESPONSE] {
        let headers = [("accept", accept), ("authorization", token.as_str())];
        let answer = get_with(&app, &url, &headers).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        assert_eq!(answer.media_type(), accept);
        assert_eq!(answer.json()["data"]["__type"]["name"], "Meeting");
    }
    // Data a token reads, and the token is required for it, as over POST.
    let url = graphql_url(&[("query", "query Who { viewer { user { email } } }")]);
    let answer = get_with(&app, &url, &[("accept", JSON), ("authorization", &token)]).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(
        answer.json()["data"]["viewer"]["user"]["email"],
        "member@acme.example"
    );
    get_with(&app, &url, &[("accept", JSON)])
        .await
        .assert_request_error(401, "UNAUTHENTICATED");
    // A browser following a link with a query gets the result, not the page.
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let answer = get_with(
        &app,
        &graphql_url(&[("query", TYPENAME)]),
        &[("accept", browser)],
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.media_type(), JSON);
    assert_eq!(answer.json()["data"]["__typename"], "Query");
    // Request errors over GET follow the media type too.
    let broken = graphql_url(&[("query", "{")]);
    for (accept, status) in [(GRAPHQL_RESPONSE, 400), (JSON, 200)] {
        let headers = [("accept", accept), ("authorization", token.as_str())];
        get_with(&app, &broken, &headers)
            .await
            .assert_request_error(status, "BAD_USER_INPUT");
    }
}

#[tokio::test]
async fn a_mutation_over_get_is_refused_with_405_and_the_playground_is_for_browsers() {
    let app = TestApp::new().await;
    for (query, operation) in [
        ("mutation { __typename }", None),
        (
            "query Q { __typename } mutation M { __typename }",
            Some("M"),
        ),
    ] {
        let mut params = vec![("query", query)];
        params.extend(operation.map(|name| ("operationName", name)));
        let answer = get_with(&app, &graphql_url(&params), &[("accept", GRAPHQL_RESPONSE)]).await;
        answer.assert_request_error(405, "BAD_USER_INPUT");
        assert_eq!(answer.headers[header::ALLOW], "POST");
        assert_eq!(answer.media_type(), GRAPHQL_RESPONSE);
    }
    // The query of the same document runs.
    let params = [
        ("query", "query Q { __typename } mutation M { __typename }"),
        ("operationName", "Q"),
    ];
    let answer = get_with(&app, &graphql_url(&params), &[("accept", JSON)]).await;
    assert_eq!(answer.status, 200, "{}", answer.text);

    // No query: the playground for a browser (and without Accept), a 400 for a client.
    let browser = "text/html,application/xhtml+xml,*/*;q=0.8";
    for headers in [vec![("accept", browser)], vec![]] {
        let answer = get_with(&app, "/graphql", &headers).await;
        assert_eq!(answer.status, 200);
        assert!(answer.media_type().starts_with("text/html"), "{headers:?}");
        assert!(answer.text.contains("GraphiQL"));
    }
    let answer = get_with(&app, "/graphql", &[("accept", JSON)]).await;
    answer.assert_request_error(400, "BAD_USER_INPUT");
    assert_eq!(answer.media_type(), JSON);
    // Parameters that are not JSON.
    let answer = get_with(
        &app,
        &graphql_url(&[("query", TYPENAME), ("variables", "{not json")]),
        &[("accept", JSON)],
    )
    .await;
    answer.assert_request_error(400, "BAD_USER_INPUT");
}

#[tokio::test]
async fn other_methods_are_refused_with_405_as_a_graphql_error() {
    let app = TestApp::new().await;
    for method in ["PUT", "DELETE", "PATCH"] {
        let req = Request::builder()
            .method(method)
            .uri("/graphql")
            .body(Body::empty())
            .unwrap();
        let answer = send(&app, req).await;
        answer.assert_request_error(405, "BAD_USER_INPUT");
        let allow = answer.headers[header::ALLOW].to_str().unwrap().to_owned();
        assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
        assert_eq!(answer.media_type(), JSON);
    }
}

#[tokio::test]
async fn a_missing_token_is_a_401_graphql_error_in_the_negotiated_media_type() {
    let app = TestApp::new().await;
    for accept in [JSON, GRAPHQL_RESPONSE] {
        let answer = post(
            &app,
            &[("accept", accept)],
            json!({ "query": "{ viewer { privileges } }" }),
        )
        .await;
        answer.assert_request_error(401, "UNAUTHENTICATED");
        assert_eq!(answer.headers[header::WWW_AUTHENTICATE], "Bearer");
        assert_eq!(answer.media_type(), accept);
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_or_not_json_typed_is_refused_as_a_graphql_error() {
    let app = TestApp::new().await;
    // 415: the body must say it is JSON, in UTF-8.
    for content_type in [
        None,
        Some("text/plain;charset=UTF-8"),
        Some("application/graphql"),
        Some("application/json; charset=latin1"),
        Some("multipart/form-data; boundary=x"),
    ] {
        let headers: Vec<(&str, &str)> =
            content_type.iter().map(|c| ("content-type", *c)).collect();
        let answer = post_raw(&app, &headers, json!({ "query": TYPENAME }).to_string()).await;
        answer.assert_request_error(415, "BAD_USER_INPUT");
        assert_eq!(answer.media_type(), JSON, "{content_type:?}");
    }
    let answer = post_raw(
        &app,
        &[("content-type", "Application/JSON; charset=\"utf-8\"")],
        json!({ "query": TYPENAME }).to_string(),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text);

    // 400: a body that is not JSON, not an object, or with parameters of the wrong type,
    // under either media type.
    let json_body = [("content-type", JSON)];
    for (what, body) in [
        ("empty", String::new()),
        ("not JSON", r#"{ "not a JSON"#.to_owned()),
        ("an array", json!([{ "query": TYPENAME }]).to_string()),
        ("no query", json!({ "qeury": TYPENAME }).to_string()),
        ("a number query", json!({ "query": 0 }).to_string()),
        (
            "an object query",
            json!({ "query": { "obj": "ect" } }).to_string(),
        ),
        (
            "an array operationName",
            json!({ "query": TYPENAME, "operationName": ["array"] }).to_string(),
        ),
        (
            "string variables",
            json!({ "query": TYPENAME, "variables": "string" }).to_string(),
        ),
        (
            "false extensions",
            json!({ "query": TYPENAME, "extensions": false }).to_string(),
        ),
    ] {
        for accept in [JSON, GRAPHQL_RESPONSE] {
            let headers = [json_body[0], ("accept", accept)];
            let answer = post_raw(&app, &headers, body.clone()).await;
            assert_eq!(answer.status, 400, "{what}: {}", answer.text);
            answer.assert_request_error(400, "BAD_USER_INPUT");
            assert_eq!(answer.media_type(), accept, "{what}");
        }
    }
    // Null parameters are the same as none.
    let answer = post(
        &app,
        &[],
        json!({ "query": TYPENAME, "operationName": null, "variables": null, "extensions": null }),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert!(answer.json().get("errors").is_none(), "{}", answer.text);
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_graphql_error() {
    let app = TestApp::new().await;
    let big = json!({ "query": TYPENAME, "extensions": { "pad": "x".repeat(1024 * 1024 + 10) } })
        .to_string();
    let length = big.len().to_string();
    // Refused by its content-length before reading, and streamed without one.
    for headers in [
        vec![("content-type", JSON), ("content-length", length.as_str())],
        vec![("content-type", JSON)],
    ] {
        let answer = post_raw(&app, &headers, big.clone()).await;
        let body = answer.assert_request_error(413, "BAD_USER_INPUT");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("MiB"),
            "{body:#}"
        );
        assert_eq!(answer.media_type(), JSON);
    }
}

#[tokio::test]
async fn a_request_over_the_time_limit_is_a_503_graphql_error() {
    let app = TestApp::with_settings(meeting_reports::config::ReportSettings {
        request_timeout_secs: 1,
        ..settings()
    })
    .await;
    // A body that never arrives.
    let never = async_graphql::futures_util::stream::pending::<Result<Bytes, std::io::Error>>();
    let req = Request::post("/graphql")
        .header("content-type", JSON)
        .header("accept", GRAPHQL_RESPONSE)
        .body(Body::from_stream(never))
        .unwrap();
    let answer = send(&app, req).await;
    answer.assert_request_error(503, "TIMEOUT");
    assert_eq!(answer.media_type(), GRAPHQL_RESPONSE);
}
