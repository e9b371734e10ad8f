//! The offline GraphiQL playground: `GET /graphql` answers the page, and every asset it loads
//! (GraphiQL, React, ReactDOM, the stylesheet) is compiled into the binary and served under
//! `/playground/vendor/`, so the playground works on a machine with no internet at all.
//!
//! The page (`playground/index.html`) opens with the example queries of `playground/queries/`
//! as tabs: the line `/*EXAMPLES*/[]` in it is replaced by a JSON array of
//! `{ "name": file stem, "query": file text }`. The vendored files and how to refresh them are
//! described in `playground/vendor/README.md`.

use std::sync::OnceLock;

use axum::{
    extract::Path,
    http::{header, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::get,
    Router,
};

/// The page, with the examples still to be put in.
const TEMPLATE: &str = include_str!("../playground/index.html");

/// What the server replaces in [`TEMPLATE`] with the JSON array of examples.
const PLACEHOLDER: &str = "/*EXAMPLES*/[]";

/// The example queries opened as tabs, sorted by name (the file stem).
const EXAMPLES: &[(&str, &str)] = &[
    (
        "01-viewer",
        include_str!("../playground/queries/01-viewer.graphql"),
    ),
    (
        "02-meetings-this-month",
        include_str!("../playground/queries/02-meetings-this-month.graphql"),
    ),
    (
        "03-meeting-attendees",
        include_str!("../playground/queries/03-meeting-attendees.graphql"),
    ),
    (
        "04-paging",
        include_str!("../playground/queries/04-paging.graphql"),
    ),
    (
        "05-usage",
        include_str!("../playground/queries/05-usage.graphql"),
    ),
    (
        "06-meeting-registration-and-polls",
        include_str!("../playground/queries/06-meeting-registration-and-polls.graphql"),
    ),
    (
        "07-webinar-combined",
        include_str!("../playground/queries/07-webinar-combined.graphql"),
    ),
    (
        "08-host-graph",
        include_str!("../playground/queries/08-host-graph.graphql"),
    ),
    (
        "09-operation-logs",
        include_str!("../playground/queries/09-operation-logs.graphql"),
    ),
    (
        "10-sign-in-activity",
        include_str!("../playground/queries/10-sign-in-activity.graphql"),
    ),
    (
        "11-telephone",
        include_str!("../playground/queries/11-telephone.graphql"),
    ),
    (
        "12-cloud-recording",
        include_str!("../playground/queries/12-cloud-recording.graphql"),
    ),
    (
        "13-phone-system",
        include_str!("../playground/queries/13-phone-system.graphql"),
    ),
    (
        "14-daily-usage",
        include_str!("../playground/queries/14-daily-usage.graphql"),
    ),
    (
        "15-active-inactive-hosts",
        include_str!("../playground/queries/15-active-inactive-hosts.graphql"),
    ),
    (
        "16-upcoming-events",
        include_str!("../playground/queries/16-upcoming-events.graphql"),
    ),
    (
        "17-remote-support",
        include_str!("../playground/queries/17-remote-support.graphql"),
    ),
    (
        "18-billing",
        include_str!("../playground/queries/18-billing.graphql"),
    ),
];

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

/// Everything under `/playground/vendor/`: file name, content type, bytes.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "graphiql.min.js",
        JS,
        include_bytes!("../playground/vendor/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        CSS,
        include_bytes!("../playground/vendor/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        JS,
        include_bytes!("../playground/vendor/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        JS,
        include_bytes!("../playground/vendor/react-dom.production.min.js"),
    ),
    (
        "LICENSE.graphiql",
        TEXT,
        include_bytes!("../playground/vendor/LICENSE.graphiql"),
    ),
    (
        "LICENSE.react",
        TEXT,
        include_bytes!("../playground/vendor/LICENSE.react"),
    ),
    (
        "LICENSE.react-dom",
        TEXT,
        include_bytes!("../playground/vendor/LICENSE.react-dom"),
    ),
];

/// The vendored files never change within one build.
const CACHE_CONTROL: &str = "public, max-age=86400";

/// `GET /graphql`: the GraphiQL page with the example queries as tabs.
pub async fn graphiql() -> Html<String> {
    Html(page().to_owned())
}

/// `GET /playground/vendor/{file}`: the vendored GraphiQL build; 404 for anything else.
pub fn assets() -> Router {
    Router::new().route("/playground/vendor/{file}", get(vendor_file))
}

async fn vendor_file(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, CACHE_CONTROL),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            *bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The page, built once.
fn page() -> &'static str {
    static PAGE: OnceLock<String> = OnceLock::new();
    PAGE.get_or_init(|| TEMPLATE.replacen(PLACEHOLDER, &examples_json(), 1))
}

/// The examples as a JSON array that is safe inside a `<script>` element: `<`, `>` and `&`
/// only occur inside JSON strings, where their `\uXXXX` escapes mean the same, so no
/// `</script>` or `<!--` can end or change the script.
fn examples_json() -> String {
    let examples: Vec<serde_json::Value> = EXAMPLES
        .iter()
        .map(|(name, query)| serde_json::json!({ "name": name, "query": query }))
        .collect();
    serde_json::Value::Array(examples)
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use axum::{
        body::{to_bytes, Body},
        http::{Request, StatusCode},
    };
    use tower::ServiceExt;

    use super::*;

    /// `playground/<sub>` of this crate, found from this file so it works from any crate root.
    fn playground_dir(sub: &str) -> PathBuf {
        let src = std::path::Path::new(file!())
            .parent()
            .map(PathBuf::from)
            .unwrap_or_default();
        src.join("..").join("playground").join(sub)
    }

    fn files_in(sub: &str) -> Vec<String> {
        let dir = playground_dir(sub);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|err| panic!("read {}: {err}", dir.display()))
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    async fn get_asset(uri: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let request = Request::get(uri)
            .body(Body::empty())
            .unwrap_or_else(|err| panic!("request {uri}: {err}"));
        let response = assets()
            .oneshot(request)
            .await
            .unwrap_or_else(|err| match err {});
        let status = response.status();
        let headers = response.headers().clone();
        let body = to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap_or_else(|err| panic!("body of {uri}: {err}"));
        (status, headers, body.to_vec())
    }

    /// The `/playground/vendor/...` URLs that the page loads.
    fn referenced_assets(page: &str) -> Vec<&str> {
        page.split('"')
            .filter(|part| part.starts_with("/playground/"))
            .collect()
    }

    #[tokio::test]
    async fn the_page_carries_every_example_and_no_placeholder() {
        let Html(page) = graphiql().await;
        assert!(
            !page.contains("/*EXAMPLES*/"),
            "placeholder left in the page"
        );
        assert!(page.contains("<title>meeting-reports — GraphiQL</title>"));
        assert!(!EXAMPLES.is_empty());
        for (name, _) in EXAMPLES {
            assert!(page.contains(&format!("\"name\":\"{name}\"")), "{name}");
        }
        assert_eq!(
            page.matches("</script>").count(),
            TEMPLATE.matches("</script>").count()
        );
    }

    #[test]
    fn the_template_has_the_placeholder_once() {
        assert_eq!(TEMPLATE.matches(PLACEHOLDER).count(), 1);
    }

    #[test]
    fn the_examples_json_round_trips_and_cannot_close_the_script() {
        let json = examples_json();
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        let parsed: Vec<serde_json::Value> =
            serde_json::from_str(&json).unwrap_or_else(|err| panic!("{err}: {json}"));
        assert_eq!(parsed.len(), EXAMPLES.len());
        for (value, (name, query)) in parsed.iter().zip(EXAMPLES) {
            assert_eq!(value["name"], *name);
            assert_eq!(value["query"], *query);
        }
    }

    #[test]
    fn every_query_file_is_an_example_sorted_by_name_and_explains_itself() {
        let names: Vec<&str> = EXAMPLES.iter().map(|(name, _)| *name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted, "examples are listed sorted by name");
        let on_disk: Vec<String> = files_in("queries")
            .into_iter()
            .filter_map(|f| f.strip_suffix(".graphql").map(str::to_owned))
            .collect();
        assert_eq!(
            names, on_disk,
            "every playground/queries/*.graphql is listed"
        );
        for (name, query) in EXAMPLES {
            assert!(query.starts_with("# "), "{name} starts with a `# ` comment");
        }
    }

    #[test]
    fn every_vendored_file_is_served() {
        let served: Vec<&str> = ASSETS.iter().map(|(name, _, _)| *name).collect();
        for file in files_in("vendor") {
            if file != "README.md" {
                assert!(served.contains(&file.as_str()), "{file} is not served");
            }
        }
    }

    #[tokio::test]
    async fn every_asset_the_page_loads_is_served() {
        let page = page();
        let urls = referenced_assets(page);
        assert!(urls.len() >= 4, "css, react, react-dom, graphiql: {urls:?}");
        for url in urls {
            let (status, headers, body) = get_asset(url).await;
            assert_eq!(status, StatusCode::OK, "{url}");
            assert!(!body.is_empty(), "{url}");
            let content_type = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if url.ends_with(".js") {
                assert_eq!(content_type, "text/javascript; charset=utf-8", "{url}");
            } else if url.ends_with(".css") {
                assert_eq!(content_type, "text/css; charset=utf-8", "{url}");
            }
            assert_eq!(
                headers
                    .get(header::CACHE_CONTROL)
                    .and_then(|v| v.to_str().ok()),
                Some("public, max-age=86400"),
                "{url}"
            );
        }
    }

    #[tokio::test]
    async fn an_unknown_asset_is_404() {
        for uri in [
            "/playground/vendor/nope.js",
            "/playground/vendor/README.md",
            "/playground/vendor/..%2F..%2FCargo.toml",
            "/playground/vendor/",
            "/playground/index.html",
        ] {
            let (status, _, _) = get_asset(uri).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        }
    }
}
