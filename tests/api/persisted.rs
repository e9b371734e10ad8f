//! Persisted documents: automatic persisted queries (hash, then document with hash, then hash
//! alone) and trusted mode (`TRUSTED_DOCUMENTS`: only the allow-list runs), on `/graphql`
//! (POST and GET) and `/export`.

use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use meeting_reports::graphql::documents::{document_hash, Documents};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::common::{error_codes, TestApp};

const USERS: &str = "query Users { users(first: 3) { nodes { email } } }";

async fn post(router: &Router, path: &str, token: &str, accept: &str, body: Value) -> (u16, Value) {
    let response = router
        .clone()
        .oneshot(
            Request::post(path)
                .header("content-type", "application/json")
                .header("accept", accept)
                .header("authorization", format!("Bearer {token}"))
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

#[tokio::test]
async fn automatic_persisted_queries_round_trip() {
    let app = TestApp::with_demo().await;
    let router = app.router();
    let token = app.token("owner@demo.example").await;
    let hash = document_hash(USERS);
    let json = "application/json";

    // The hash alone, first: not known yet; a request error (no data), 200 under JSON and
    // 400 under application/graphql-response+json.
    let (status, body) = post(
        &router,
        "/graphql",
        &token,
        json,
        json!({ "extensions": persisted(&hash) }),
    )
    .await;
    assert_eq!(status, 200, "{body:#}");
    assert_eq!(error_codes(&body), ["PERSISTED_QUERY_NOT_FOUND"]);
    assert!(body.get("data").is_none(), "{body:#}");
    let (status, _) = post(
        &router,
        "/graphql",
        &token,
        "application/graphql-response+json",
        json!({ "extensions": persisted(&hash) }),
    )
    .await;
    assert_eq!(status, 400);

    // A hash that is not the document's.
    let (_, body) = post(
        &router,
        "/graphql",
        &token,
        json,
        json!({ "query": USERS, "extensions": persisted(&"0".repeat(64)) }),
    )
    .await;
    assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "{body:#}");

    // The document with its hash: runs, and is kept.
    let (status, with_document) = post(
        &router,
        "/graphql",
        &token,
        json,
        json!({ "query": USERS, "extensions": persisted(&hash) }),
    )
    .await;
    assert_eq!(status, 200);
    assert!(with_document.get("errors").is_none(), "{with_document:#}");
    let users = with_document["data"]["users"]["nodes"].clone();
    assert_eq!(users.as_array().unwrap().len(), 3);

    // Then the hash alone, over POST and over GET, and as `documentId`.
    let (_, by_hash) = post(
        &router,
        "/graphql",
        &token,
        json,
        json!({ "extensions": persisted(&hash) }),
    )
    .await;
    assert_eq!(by_hash["data"]["users"]["nodes"], users, "{by_hash:#}");
    let (_, by_id) = post(
        &router,
        "/graphql",
        &token,
        json,
        json!({ "documentId": format!("sha256:{hash}") }),
    )
    .await;
    assert_eq!(by_id["data"]["users"]["nodes"], users, "{by_id:#}");
    let extensions = persisted(&hash).to_string();
    let uri = format!(
        "/graphql?extensions={}",
        extensions
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect::<String>()
    );
    let response = router
        .clone()
        .oneshot(
            Request::get(uri)
                .header("accept", json)
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let by_get: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(by_get["data"]["users"]["nodes"], users, "{by_get:#}");

    // An export names its document by hash too.
    let (status, csv) = post(
        &router,
        "/export",
        &token,
        "*/*",
        json!({ "extensions": persisted(&hash), "format": "csv" }),
    )
    .await;
    assert_eq!(status, 200);
    assert!(csv.as_str().unwrap().starts_with("email\r\n"), "{csv}");
}

#[tokio::test]
async fn trusted_mode_runs_only_the_allow_list() {
    let app = TestApp::with_demo().await;
    let router = meeting_reports::build_app_with(
        app.db.clone(),
        app.keys.clone(),
        app.settings.clone(),
        Default::default(),
        Documents::trusted([USERS.to_owned()]),
    );
    let token = app.token("owner@demo.example").await;
    let json = "application/json";
    let hash = document_hash(USERS);

    let (_, by_hash) = post(
        &router,
        "/graphql",
        &token,
        json,
        json!({ "extensions": persisted(&hash) }),
    )
    .await;
    assert_eq!(
        by_hash["data"]["users"]["nodes"].as_array().unwrap().len(),
        3,
        "{by_hash:#}"
    );
    let (_, by_text) = post(&router, "/graphql", &token, json, json!({ "query": USERS })).await;
    assert_eq!(by_text["data"], by_hash["data"]);

    let other = "{ users { nodes { email name } } }";
    let (status, refused) =
        post(&router, "/graphql", &token, json, json!({ "query": other })).await;
    assert_eq!(status, 200, "a request error under application/json");
    assert_eq!(error_codes(&refused), ["FORBIDDEN"], "{refused:#}");
    assert!(refused.get("data").is_none());
    let (status, _) = post(
        &router,
        "/graphql",
        &token,
        "application/graphql-response+json",
        json!({ "query": other }),
    )
    .await;
    assert_eq!(status, 403);
    // Sent with its hash, it is still not learnt.
    let (_, refused) = post(
        &router,
        "/graphql",
        &token,
        json,
        json!({ "query": other, "extensions": persisted(&document_hash(other)) }),
    )
    .await;
    assert_eq!(error_codes(&refused), ["FORBIDDEN"]);
    let (_, unknown) = post(
        &router,
        "/graphql",
        &token,
        json,
        json!({ "extensions": persisted(&document_hash(other)) }),
    )
    .await;
    assert_eq!(error_codes(&unknown), ["PERSISTED_QUERY_NOT_FOUND"]);
    // The schema stays readable (the playground's docs).
    let (_, schema) = post(
        &router,
        "/graphql",
        &token,
        json,
        json!({ "query": "{ __schema { queryType { name } } }" }),
    )
    .await;
    assert_eq!(schema["data"]["__schema"]["queryType"]["name"], "Query");
    // Exports too run only trusted documents.
    let (status, refused) = post(
        &router,
        "/export",
        &token,
        "*/*",
        json!({ "query": other, "format": "csv" }),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(error_codes(&refused), ["FORBIDDEN"]);
    let (status, _) = post(&router, "/export", &token, "*/*", json!({ "query": USERS })).await;
    assert_eq!(status, 200);
}
