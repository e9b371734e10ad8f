//! The report-views app: `GET /` answers its page (`web/index.html`), and every file it loads
//! (its ES modules, stylesheet, GraphQL documents and the vendored Chart.js and graphql-ws
//! builds) is compiled into the binary and served under `/app/`, so it works offline and with
//! no Node at run time. Every figure in it comes from the GraphQL API (`/graphql`, `/export`,
//! subscriptions over `graphql-transport-ws`); nothing here reads the database.
//!
//! A debug build started with `MEETING_REPORTS_WEB_DIR=web` reads the same files from that
//! folder instead, so the app can be edited without a rebuild; only the names listed in
//! [`ASSETS`] are ever read, and release builds never look at the disk.

use axum::{
    extract::Path,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

/// Where the app's files are served from.
pub const PREFIX: &str = "/app/";

/// The page at `/`.
const INDEX: &[u8] = include_bytes!("../web/index.html");

/// Every file under `/app/`: its path below `web/`, and its bytes.
const ASSETS: &[(&str, &[u8])] = &[
    ("app.css", include_bytes!("../web/app.css")),
    ("js/main.js", include_bytes!("../web/js/main.js")),
    ("js/api.js", include_bytes!("../web/js/api.js")),
    ("js/live.js", include_bytes!("../web/js/live.js")),
    ("js/ui.js", include_bytes!("../web/js/ui.js")),
    ("js/charts.js", include_bytes!("../web/js/charts.js")),
    ("js/range.js", include_bytes!("../web/js/range.js")),
    (
        "js/views/dashboard.js",
        include_bytes!("../web/js/views/dashboard.js"),
    ),
    (
        "js/views/usage.js",
        include_bytes!("../web/js/views/usage.js"),
    ),
    (
        "js/views/meetings.js",
        include_bytes!("../web/js/views/meetings.js"),
    ),
    (
        "js/views/meeting.js",
        include_bytes!("../web/js/views/meeting.js"),
    ),
    (
        "js/views/activity.js",
        include_bytes!("../web/js/views/activity.js"),
    ),
    (
        "documents/viewer.graphql",
        include_bytes!("../web/documents/viewer.graphql"),
    ),
    (
        "documents/dashboard.graphql",
        include_bytes!("../web/documents/dashboard.graphql"),
    ),
    (
        "documents/my-usage.graphql",
        include_bytes!("../web/documents/my-usage.graphql"),
    ),
    (
        "documents/meetings.graphql",
        include_bytes!("../web/documents/meetings.graphql"),
    ),
    (
        "documents/meeting.graphql",
        include_bytes!("../web/documents/meeting.graphql"),
    ),
    (
        "documents/activity.graphql",
        include_bytes!("../web/documents/activity.graphql"),
    ),
    (
        "vendor/chart.umd.min.js",
        include_bytes!("../web/vendor/chart.umd.min.js"),
    ),
    (
        "vendor/graphql-ws.min.js",
        include_bytes!("../web/vendor/graphql-ws.min.js"),
    ),
    (
        "vendor/LICENSE.chartjs",
        include_bytes!("../web/vendor/LICENSE.chartjs"),
    ),
    (
        "vendor/LICENSE.graphql-ws",
        include_bytes!("../web/vendor/LICENSE.graphql-ws"),
    ),
    (
        "vendor/README.md",
        include_bytes!("../web/vendor/README.md"),
    ),
];

/// The page loads scripts, styles and data from this origin only, and talks to this origin's
/// `/graphql` (HTTP and WebSocket) and `/export`. Chart.js sets inline styles on its canvas.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
     object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// `GET /` and `GET /app/{*path}`, for any router state.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(index))
        .route("/app/{*path}", get(asset))
}

async fn index() -> Response {
    let body = read("index.html").unwrap_or_else(|| INDEX.to_vec());
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // The page names its modules without a version: revalidate it every time.
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        body,
    )
        .into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    response
}

async fn asset(Path(path): Path<String>) -> Response {
    let Some((name, bytes)) = ASSETS.iter().find(|(name, _)| *name == path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let body = read(name).unwrap_or_else(|| bytes.to_vec());
    (
        [
            (header::CONTENT_TYPE, content_type(name)),
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

/// The content type of a served file, from its extension.
pub fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("html") => "text/html; charset=utf-8",
        // GraphQL documents have no registered media type; as text a browser shows them, so
        // a frontend team can open and copy a view's document.
        _ => "text/plain; charset=utf-8",
    }
}

/// The file from `MEETING_REPORTS_WEB_DIR` in a debug build; `None` otherwise (the embedded
/// copy is served). `name` is always one of the fixed names above, never a request's path.
#[cfg(debug_assertions)]
fn read(name: &str) -> Option<Vec<u8>> {
    let dir = std::env::var_os("MEETING_REPORTS_WEB_DIR")?;
    std::fs::read(std::path::Path::new(&dir).join(name)).ok()
}

#[cfg(not(debug_assertions))]
fn read(_name: &str) -> Option<Vec<u8>> {
    None
}

/// The files the page and its modules reference, for the tests: every served path.
pub fn served_paths() -> impl Iterator<Item = String> {
    ASSETS.iter().map(|(name, _)| format!("{PREFIX}{name}"))
}

#[cfg(test)]
mod tests {
    use std::path::{Path as FsPath, PathBuf};

    use super::*;

    fn web_dir() -> PathBuf {
        FsPath::new(env!("CARGO_MANIFEST_DIR")).join("web")
    }

    fn files_under(dir: &FsPath, prefix: &str, out: &mut Vec<String>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|err| panic!("read {}: {err}", dir.display()));
        for entry in entries.filter_map(Result::ok) {
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.path().is_dir() {
                files_under(&entry.path(), &format!("{name}/"), out);
            } else {
                out.push(name);
            }
        }
    }

    #[test]
    fn every_file_of_the_app_is_served_and_every_served_file_exists() {
        let mut on_disk = Vec::new();
        files_under(&web_dir(), "", &mut on_disk);
        let served: Vec<&str> = ASSETS.iter().map(|(name, _)| *name).collect();
        for file in &on_disk {
            if file != "index.html" {
                assert!(served.contains(&file.as_str()), "web/{file} is not served");
            }
        }
        for name in served {
            assert!(on_disk.iter().any(|f| f == name), "{name} is not in web/");
        }
    }

    #[test]
    fn every_module_the_app_imports_is_served() {
        let served: Vec<String> = served_paths().collect();
        let mut texts = vec![String::from_utf8_lossy(INDEX).into_owned()];
        texts.extend(
            ASSETS
                .iter()
                .filter(|(name, _)| name.starts_with("js/"))
                .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned()),
        );
        for text in texts {
            for part in text.split(['"', '\'']) {
                if part.starts_with(PREFIX) && !part.contains('$') {
                    assert!(served.iter().any(|s| s == part), "{part} is not served");
                }
            }
        }
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("js/main.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("app.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("documents/dashboard.graphql"),
            "text/plain; charset=utf-8"
        );
    }
}
