//! The report-views app at `/`: its page and every file it loads are served by the binary, with
//! their content types, and nothing in them reaches for another host (the app works offline).

use axum::{
    body::Body,
    http::{header, HeaderMap, Request},
};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::common::TestApp;

async fn get(app: &TestApp, path: &str) -> (u16, HeaderMap, String) {
    let response = app
        .router()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get(header::CONTENT_TYPE)
        .map_or("<none>", |v| v.to_str().unwrap())
}

/// The text without its comments: `/* ... */` blocks (licence headers included), `//` and
/// `#` lines (JavaScript, GraphQL documents) and `<!-- -->` (HTML).
fn without_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    let mut rest = out.as_str();
    let mut html = String::new();
    while let Some(start) = rest.find("<!--") {
        html.push_str(&rest[..start]);
        rest = rest[start..]
            .find("-->")
            .map_or("", |end| &rest[start + end + 3..]);
    }
    html.push_str(rest);
    html.lines()
        .filter(|line| {
            let line = line.trim_start();
            !line.starts_with("//") && !line.starts_with('#')
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn the_root_is_the_app_page_with_a_same_origin_policy() {
    let app = TestApp::new().await;
    let (status, headers, page) = get(&app, "/").await;
    assert_eq!(status, 200);
    assert_eq!(content_type(&headers), "text/html; charset=utf-8");
    let policy = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(policy.contains("default-src 'self'"), "{policy}");
    assert!(policy.contains("connect-src 'self'"), "{policy}");
    for asset in [
        "/app/app.css",
        "/app/js/main.js",
        "/app/vendor/chart.umd.min.js",
        "/app/vendor/graphql-ws.min.js",
    ] {
        assert!(page.contains(&format!("\"{asset}\"")), "{asset} in {page}");
    }
}

#[tokio::test]
async fn every_file_of_the_app_is_served_with_its_content_type_and_no_other_host() {
    let app = TestApp::new().await;
    let paths: Vec<String> = meeting_reports::web::served_paths().collect();
    assert!(paths.len() >= 20, "{paths:?}");
    let mut texts = vec![("/".to_owned(), get(&app, "/").await.2)];
    for path in &paths {
        let (status, headers, body) = get(&app, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!body.is_empty(), "{path}");
        let expected = if path.ends_with(".js") {
            "text/javascript; charset=utf-8"
        } else if path.ends_with(".css") {
            "text/css; charset=utf-8"
        } else {
            "text/plain; charset=utf-8"
        };
        assert_eq!(content_type(&headers), expected, "{path}");
        assert_eq!(
            headers
                .get(header::X_CONTENT_TYPE_OPTIONS)
                .map(|v| v.to_str().unwrap()),
            Some("nosniff"),
            "{path}"
        );
        if !path.contains("/LICENSE.") && !path.ends_with("README.md") {
            texts.push((path.clone(), body));
        }
    }
    for (path, text) in texts {
        let code = without_comments(&text);
        for scheme in ["http://", "https://"] {
            assert!(
                !code.contains(scheme),
                "{path} names another host outside its comments: {}",
                &code[code.find(scheme).unwrap()..]
                    [..80.min(code.len() - code.find(scheme).unwrap())]
            );
        }
    }
}

#[tokio::test]
async fn every_view_document_parses_and_says_what_it_is() {
    // That each one runs on the schema, with the figures the page shows, is the browser
    // tests' part (tests/browser/): they send these documents to a live server.
    let app = TestApp::new().await;
    let documents: Vec<String> = meeting_reports::web::served_paths()
        .filter(|p| p.ends_with(".graphql"))
        .collect();
    assert!(documents.len() >= 5, "{documents:?}");
    for path in documents {
        let (_, _, text) = get(&app, &path).await;
        async_graphql::parser::parse_query(&text)
            .unwrap_or_else(|err| panic!("{path} does not parse: {err}"));
        assert!(text.starts_with("# "), "{path} starts with a `# ` comment");
    }
}

#[tokio::test]
async fn anything_else_under_app_is_404_with_a_json_error_body() {
    let app = TestApp::new().await;
    for path in [
        "/app/nope.js",
        "/app/",
        "/app/js/",
        "/app/index.html",
        "/app/..%2FCargo.toml",
        "/app/js/../../Cargo.toml",
    ] {
        let (status, headers, body) = get(&app, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(
            content_type(&headers).contains("json"),
            "{path}: {headers:?}"
        );
        let body: serde_json::Value = serde_json::from_str(&body).expect("a JSON body");
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{path}"
        );
    }
    // So is a path no route serves.
    let (status, _, body) = get(&app, "/nothing/here").await;
    assert_eq!(status, 404);
    let body: serde_json::Value = serde_json::from_str(&body).expect("a JSON body");
    assert_eq!(body["errors"][0]["extensions"]["code"], "NOT_FOUND");
}
