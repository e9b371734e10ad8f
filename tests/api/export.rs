//! Reports as files: `POST /export` and `meeting-reports export` write every page of a root
//! connection as CSV or NDJSON, with the query's guards and rules. The oracle is the GraphQL
//! API itself: the same document, paged by hand, gives the same rows.

use std::{collections::HashMap, process::ExitCode};

use axum::{
    body::Body,
    http::{header, HeaderMap, Request},
};
use clap::Parser;
use http_body_util::BodyExt;
use meeting_reports::config::Cli;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::common::{data, error_codes, fixtures::Fixture, TestApp};

struct Download {
    status: u16,
    headers: HeaderMap,
    text: String,
}

impl Download {
    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .map_or("<none>", |v| v.to_str().unwrap())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|_| panic!("not JSON: {}", self.text))
    }

    /// The CSV's records (the tests' values hold no line break), header first.
    fn records(&self) -> Vec<Vec<String>> {
        assert!(self.text.ends_with("\r\n"), "records end with CRLF");
        self.text
            .split_terminator("\r\n")
            .map(parse_record)
            .collect()
    }

    fn lines(&self) -> Vec<Value> {
        self.text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn assert_refused(&self, status: u16, code: &str) -> String {
        assert_eq!(self.status, status, "{}", self.text);
        assert!(
            self.header(header::CONTENT_TYPE)
                .starts_with("application/json"),
            "{}",
            self.header(header::CONTENT_TYPE)
        );
        let body = self.json();
        assert_eq!(error_codes(&body), vec![code.to_owned()], "{body:#}");
        body["errors"][0]["message"].as_str().unwrap().to_owned()
    }
}

/// One RFC 4180 record: quoted fields with doubled quotes.
fn parse_record(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (_, c) => field.push(c),
        }
    }
    fields.push(field);
    fields
}

async fn export(app: &TestApp, email: Option<&str>, body: Value) -> Download {
    let mut req = Request::post("/export").header("content-type", "application/json");
    if let Some(email) = email {
        req = req.header(
            "authorization",
            format!("Bearer {}", app.token(email).await),
        );
    }
    let response = app
        .router()
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Download {
        status,
        headers,
        text: String::from_utf8(bytes.to_vec()).expect("UTF-8"),
    }
}

/// Every node of a root connection, read through the API a page at a time.
async fn all_nodes(app: &TestApp, email: &str, query: &str, root: &str, vars: Value) -> Vec<Value> {
    let mut nodes = Vec::new();
    let mut after = Value::Null;
    loop {
        let mut variables = vars.clone();
        variables["after"] = after;
        let response = app.query_as_with(email, query, variables).await;
        assert!(response.get("errors").is_none(), "{response:#}");
        let connection = &data(&response)[root];
        nodes.extend(connection["nodes"].as_array().unwrap().iter().cloned());
        if connection["pageInfo"]["hasNextPage"] != json!(true) {
            return nodes;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
}

const MEETINGS: &str = "query($from: Date!, $to: Date!) {
  meetings(from: $from, to: $to) {
    totalCount
    pageInfo { hasNextPage }
    nodes { id topic host { email } participants(first: 2) { totalCount nodes { name } } }
  }
}";

fn month() -> Value {
    json!({ "from": "2026-10-16", "to": "2026-11-15" })
}

#[tokio::test]
async fn meetings_with_participants_are_one_row_per_participant_the_meeting_repeated() {
    let app = TestApp::with_demo().await;
    let csv = export(
        &app,
        Some("owner@demo.example"),
        json!({ "query": MEETINGS, "variables": month(), "format": "csv" }),
    )
    .await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    assert_eq!(csv.header(header::CONTENT_TYPE), "text/csv; charset=utf-8");
    let disposition = csv.header(header::CONTENT_DISPOSITION);
    assert!(
        disposition.starts_with("attachment; filename=\"meetings-")
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let records = csv.records();
    assert_eq!(
        records[0],
        [
            "id",
            "topic",
            "host.email",
            "participants.totalCount",
            "participants.nodes.name"
        ],
        "the connection's own fields (totalCount, pageInfo) are not columns"
    );

    // The oracle: the same meetings through the API, each meeting's participants read whole.
    let query = "query($from: Date!, $to: Date!, $after: String) {
      meetings(from: $from, to: $to, first: 7, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { id topic host { email } participants(first: 300) { totalCount nodes { name } } }
      }
    }";
    let meetings = all_nodes(&app, "owner@demo.example", query, "meetings", month()).await;
    assert!(
        meetings.len() > 30,
        "more than one default page of meetings"
    );
    let mut expected = Vec::new();
    let mut completed = 0;
    for meeting in &meetings {
        let total = meeting["participants"]["totalCount"].as_i64().unwrap();
        let names: Vec<String> = if total > 300 {
            // Past one API page: the export reads on; compare the count only.
            completed += 1;
            vec![String::new(); total as usize]
        } else {
            meeting["participants"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap().to_owned())
                .collect()
        };
        let parent = [
            meeting["id"].as_str().unwrap().to_owned(),
            meeting["topic"].as_str().unwrap().to_owned(),
            meeting["host"]["email"].as_str().unwrap_or("").to_owned(),
            total.to_string(),
        ];
        if names.is_empty() {
            expected.push([parent.to_vec(), vec![String::new()]].concat());
        }
        for name in names {
            expected.push([parent.to_vec(), vec![name]].concat());
        }
    }
    assert!(
        completed > 0,
        "a meeting with more participants than one page"
    );
    let rows = &records[1..];
    assert_eq!(rows.len(), expected.len());
    for (row, want) in rows.iter().zip(&expected) {
        assert_eq!(row[..4], want[..4]);
        if !want[4].is_empty() || row[4].is_empty() {
            assert_eq!(row[4], want[4], "meeting {}", want[0]);
        }
    }
    // A list longer than its page is written whole: its rows are as many as its totalCount.
    let mut per_meeting: HashMap<&str, usize> = HashMap::new();
    for row in rows {
        *per_meeting.entry(row[0].as_str()).or_default() += 1;
    }
    for meeting in &meetings {
        let total = meeting["participants"]["totalCount"].as_u64().unwrap() as usize;
        assert_eq!(
            per_meeting[meeting["id"].as_str().unwrap()],
            total.max(1),
            "meeting {}",
            meeting["id"]
        );
    }

    // NDJSON: one line per meeting, the nesting kept, the lists whole too.
    let ndjson = export(
        &app,
        Some("owner@demo.example"),
        json!({ "query": MEETINGS, "variables": month(), "format": "ndjson" }),
    )
    .await;
    assert_eq!(ndjson.status, 200, "{}", ndjson.text);
    assert_eq!(ndjson.header(header::CONTENT_TYPE), "application/x-ndjson");
    let lines = ndjson.lines();
    assert_eq!(lines.len(), meetings.len());
    assert!(ndjson.text.starts_with("{\"id\":"), "in document order");
    for (line, meeting) in lines.iter().zip(&meetings) {
        assert_eq!(line["id"], meeting["id"]);
        assert_eq!(
            line.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["host", "id", "participants", "topic"],
            "only what the document selects"
        );
        assert_eq!(
            line["participants"]["nodes"].as_array().unwrap().len() as u64,
            meeting["participants"]["totalCount"].as_u64().unwrap()
        );
    }
}

#[tokio::test]
async fn operation_logs_as_ndjson_are_the_pages_of_the_query() {
    let app = TestApp::with_demo().await;
    let fields = "id time operator { email } operatorEmail category action detail";
    let range = json!({ "from": "2026-10-16", "to": "2026-11-15" });
    let body = json!({
        "query": format!("query($from: Date!, $to: Date!) {{ operationLogs(from: $from, to: $to, first: 5) {{ edges {{ cursor node {{ {fields} }} }} }} }}"),
        "variables": range,
        "format": "ndjson",
    });
    let ndjson = export(&app, Some("owner@demo.example"), body).await;
    assert_eq!(ndjson.status, 200, "{}", ndjson.text);
    let query = format!(
        "query($from: Date!, $to: Date!, $after: String) {{ operationLogs(from: $from, to: $to, first: 300, after: $after) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {fields} }} }} }}"
    );
    let logs = all_nodes(
        &app,
        "owner@demo.example",
        &query,
        "operationLogs",
        range.clone(),
    )
    .await;
    assert!(logs.len() > 5, "more than one page of the export's `first`");
    assert_eq!(
        ndjson.lines(),
        logs,
        "`first` is the page size: every row is written"
    );

    let csv = export(
        &app,
        Some("owner@demo.example"),
        json!({
            "query": format!("query($from: Date!, $to: Date!) {{ operationLogs(from: $from, to: $to) {{ nodes {{ {fields} }} }} }}"),
            "variables": range,
        }),
    )
    .await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    let records = csv.records();
    assert_eq!(
        records[0],
        [
            "id",
            "time",
            "operator.email",
            "operatorEmail",
            "category",
            "action",
            "detail"
        ]
    );
    let cell = |v: &Value| match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    let expected: Vec<Vec<String>> = logs
        .iter()
        .map(|l| {
            vec![
                cell(&l["id"]),
                cell(&l["time"]),
                cell(&l["operator"]["email"]),
                cell(&l["operatorEmail"]),
                cell(&l["category"]),
                cell(&l["action"]),
                cell(&l["detail"]),
            ]
        })
        .collect();
    assert_eq!(records[1..], expected[..]);
}

#[tokio::test]
async fn active_hosts_export_with_the_reports_sort() {
    let app = TestApp::with_demo().await;
    let query = "query($from: Date!, $to: Date!, $after: String) {
      activeHosts(from: $from, to: $to, sortBy: MEETING_MINUTES, first: 2, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { host { id email } meetings participants meetingMinutes }
      }
    }";
    let hosts = all_nodes(&app, "admin@demo.example", query, "activeHosts", month()).await;
    assert!(hosts.len() > 2);
    let csv = export(
        &app,
        Some("admin@demo.example"),
        json!({ "query": query, "variables": month(), "format": "csv" }),
    )
    .await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    let records = csv.records();
    assert_eq!(
        records[0],
        [
            "host.id",
            "host.email",
            "meetings",
            "participants",
            "meetingMinutes"
        ]
    );
    let expected: Vec<Vec<String>> = hosts
        .iter()
        .map(|h| {
            vec![
                h["host"]["id"].as_str().unwrap().to_owned(),
                h["host"]["email"].as_str().unwrap().to_owned(),
                h["meetings"].to_string(),
                h["participants"].to_string(),
                h["meetingMinutes"].to_string(),
            ]
        })
        .collect();
    assert_eq!(records[1..], expected[..]);
}

#[tokio::test]
async fn csv_quotes_commas_quotes_and_line_breaks() {
    let app = TestApp::new().await;
    let f = Fixture::new(&app.db);
    let account = f.account("Acme", "acme.example", "BUSINESS").await;
    let owner = f.user(account, "owner@acme.example", "OWNER").await;
    let meeting = f
        .meeting(account, owner, "MEETING", "Budget, \"Q4\"\nreview")
        .await;
    let session = f
        .session(account, meeting, "2026-11-10T09:00:00Z", 60)
        .await;
    f.join(
        account,
        meeting,
        session,
        Some(owner),
        "Zoë, Owner",
        None,
        "2026-11-10T09:00:00Z",
        "2026-11-10T10:00:00Z",
    )
    .await;
    let csv = export(
        &app,
        Some("owner@acme.example"),
        json!({
            "query": "{ meetings(from: \"2026-11-01\", to: \"2026-11-15\") { nodes { topic participants { nodes { name } } } } }",
        }),
    )
    .await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    assert_eq!(
        csv.text,
        "topic,participants.nodes.name\r\n\"Budget, \"\"Q4\"\"\nreview\",\"Zoë, Owner\"\r\n"
    );
}

#[tokio::test]
async fn a_member_exports_only_their_own_meetings() {
    let app = TestApp::with_demo().await;
    let query = "query($from: Date!, $to: Date!) { meetings(from: $from, to: $to) { nodes { id host { email } } } }";
    let csv = export(
        &app,
        Some("member@demo.example"),
        json!({ "query": query, "variables": month() }),
    )
    .await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    let records = csv.records();
    assert!(records.len() > 1, "the member hosts meetings in the demo");
    for row in &records[1..] {
        assert_eq!(row[1], "member@demo.example", "{row:?}");
    }
    let owner = export(
        &app,
        Some("owner@demo.example"),
        json!({ "query": query, "variables": month() }),
    )
    .await;
    assert!(owner.records().len() > records.len());
}

#[tokio::test]
async fn a_report_the_viewer_may_not_read_is_refused_before_the_first_byte() {
    let app = TestApp::with_demo().await;
    let logs = json!({
        "query": "{ operationLogs(from: \"2026-11-01\", to: \"2026-11-15\") { nodes { id action } } }",
    });
    export(&app, Some("analyst@demo.example"), logs.clone())
        .await
        .assert_refused(403, "FORBIDDEN");
    export(&app, None, logs.clone())
        .await
        .assert_refused(401, "UNAUTHENTICATED");
    // Another account's users are not there to export.
    let other = export(
        &app,
        Some("owner@other.example"),
        json!({ "query": "{ users { nodes { email } } }" }),
    )
    .await;
    assert_eq!(other.status, 200, "{}", other.text);
    assert!(!other.text.contains("@demo.example"), "{}", other.text);
}

#[tokio::test]
async fn documents_an_export_cannot_write_are_refused() {
    let app = TestApp::with_demo().await;
    let owner = Some("owner@demo.example");
    let siblings = "{ webinars(from: \"2026-10-16\", to: \"2026-11-15\") { nodes { id registrants { nodes { email } } qa { nodes { question } } } } }";
    let message = export(&app, owner, json!({ "query": siblings, "format": "csv" }))
        .await
        .assert_refused(400, "BAD_USER_INPUT");
    assert!(
        message.contains("`registrants.nodes`") && message.contains("`qa.nodes`"),
        "{message}"
    );
    let nested = export(
        &app,
        owner,
        json!({ "query": siblings, "format": "ndjson" }),
    )
    .await;
    assert_eq!(
        nested.status, 200,
        "NDJSON keeps the nesting: {}",
        nested.text
    );

    let over_limit = "{ meetings(from: \"2026-01-01\", to: \"2026-11-15\") { nodes { id } } }";
    export(&app, owner, json!({ "query": over_limit }))
        .await
        .assert_refused(400, "BAD_USER_INPUT");
    let not_a_connection = "{ viewer { privileges } }";
    let message = export(&app, owner, json!({ "query": not_a_connection }))
        .await
        .assert_refused(400, "BAD_USER_INPUT");
    assert!(
        message.contains("`viewer` is not a connection"),
        "{message}"
    );
    let two_roots = "{ users { nodes { id } } meetings(from: \"2026-11-01\", to: \"2026-11-15\") { nodes { id } } }";
    export(&app, owner, json!({ "query": two_roots }))
        .await
        .assert_refused(400, "BAD_USER_INPUT");
    let no_rows = "{ users { totalCount } }";
    export(&app, owner, json!({ "query": no_rows }))
        .await
        .assert_refused(400, "BAD_USER_INPUT");
    let mutation = "mutation { users { nodes { id } } }";
    export(&app, owner, json!({ "query": mutation }))
        .await
        .assert_refused(400, "BAD_USER_INPUT");
    let invalid = "{ users { nodes { nope } } }";
    export(&app, owner, json!({ "query": invalid }))
        .await
        .assert_refused(400, "BAD_USER_INPUT");
    let format = json!({ "query": "{ users { nodes { id } } }", "format": "xlsx" });
    export(&app, owner, format)
        .await
        .assert_refused(400, "BAD_USER_INPUT");
    let big_page = json!({ "query": "{ users(first: 301) { nodes { id } } }" });
    export(&app, owner, big_page)
        .await
        .assert_refused(400, "BAD_USER_INPUT");
}

#[tokio::test]
async fn a_document_with_fragments_variables_and_several_operations() {
    let app = TestApp::with_demo().await;
    let query = "
      query Other { viewer { privileges } }
      query Users($first: Int, $search: String) {
        users(first: $first, search: $search) { totalCount ...Page }
      }
      fragment Page on UserConnection { pageInfo { endCursor } nodes { ...U } }
      fragment U on User { id email }
    ";
    let csv = export(
        &app,
        Some("owner@demo.example"),
        json!({ "query": query, "operationName": "Users", "variables": { "first": 1 } }),
    )
    .await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    let records = csv.records();
    assert_eq!(records[0], ["id", "email"]);
    let users = app
        .query_as(
            "owner@demo.example",
            "{ users(first: 300) { nodes { id email } } }",
        )
        .await;
    let users = data(&users)["users"]["nodes"].as_array().unwrap().clone();
    assert_eq!(records.len() - 1, users.len());
    assert_eq!(records[1][1], users[0]["email"].as_str().unwrap());
}

#[tokio::test]
async fn the_command_line_writes_the_file_whole_or_not_at_all() {
    let dir = std::env::temp_dir().join(format!("meeting-reports-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db_file = dir.join("export.db");
    let _ = std::fs::remove_file(&db_file);
    let url = format!("sqlite://{}?mode=rwc", db_file.display());
    let run = |args: &[&str]| {
        let mut argv = vec![
            "meeting-reports".to_owned(),
            "--database-url".to_owned(),
            url.clone(),
            "--fixed-now".to_owned(),
            crate::common::NOW.to_owned(),
        ];
        argv.extend(args.iter().map(|a| a.to_string()));
        meeting_reports::cli::run(Cli::parse_from(argv))
    };
    let seed = ["seed", "demo", "--now", crate::common::NOW];
    assert_eq!(run(&seed).await, ExitCode::SUCCESS);
    let query = dir.join("logs.graphql");
    std::fs::write(
        &query,
        "query($from: Date!, $to: Date!) { operationLogs(from: $from, to: $to) { nodes { id action } } }",
    )
    .unwrap();
    let out = dir.join("logs.csv");
    let _ = std::fs::remove_file(&out);
    let (query, out_path) = (query.to_str().unwrap(), out.to_str().unwrap());
    let args = |who: &'static str| {
        vec![
            "export",
            "--as",
            who,
            "--query",
            query,
            "--var",
            "from=2026-11-01",
            "--var",
            "to=2026-11-15",
            "--format",
            "csv",
            "-o",
            out_path,
        ]
    };
    assert_eq!(run(&args("owner@demo.example")).await, ExitCode::SUCCESS);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("id,action\r\n"), "{text}");
    assert!(text.lines().count() > 2, "{text}");
    std::fs::remove_file(&out).unwrap();
    // Refused: no file, not even a partial one.
    assert_eq!(run(&args("analyst@demo.example")).await, ExitCode::FAILURE);
    assert!(!out.exists());
    assert!(!dir.join("logs.csv.partial").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn lists_under_the_rows_are_written_whole_deeper_cut_lists_are_refused() {
    let app = TestApp::with_demo().await;
    let owner = Some("owner@demo.example");
    // Each user's meetings, one a page: the export reads on from `user(id:)`.
    let query = "{ users { nodes { email meetings(from: \"2026-10-16\", to: \"2026-11-15\", first: 1) { totalCount nodes { id } } } } }";
    let csv = export(&app, owner, json!({ "query": query })).await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    let records = csv.records();
    assert_eq!(
        records[0],
        ["email", "meetings.totalCount", "meetings.nodes.id"]
    );
    let mut rows_per_user: HashMap<&str, (usize, usize)> = HashMap::new();
    for row in &records[1..] {
        let entry = rows_per_user.entry(row[0].as_str()).or_default();
        entry.0 += 1;
        entry.1 = row[1].parse().unwrap();
    }
    assert!(rows_per_user.values().any(|(_, total)| *total > 1));
    for (user, (rows, total)) in rows_per_user {
        assert_eq!(rows, total.max(1), "{user}");
    }
    // Under a host under the row, there is no row id to read on from: refused, named.
    let deeper = "{ activeHosts(from: \"2026-10-16\", to: \"2026-11-15\") { nodes { host { email meetings(from: \"2026-10-16\", to: \"2026-11-15\", first: 1) { nodes { id } } } } } }";
    let message = export(&app, owner, json!({ "query": deeper }))
        .await
        .assert_refused(400, "BAD_USER_INPUT");
    assert!(
        message.starts_with("`host.meetings` holds more rows"),
        "{message}"
    );
}

#[tokio::test]
async fn a_compressed_export_is_the_same_file() {
    let app = TestApp::with_demo().await;
    let body = json!({ "query": MEETINGS, "variables": month(), "format": "csv" });
    let plain = export(&app, Some("owner@demo.example"), body.clone()).await;
    assert_eq!(plain.status, 200, "{}", plain.text);
    let token = app.token("owner@demo.example").await;
    let response = app
        .router()
        .oneshot(
            Request::post("/export")
                .header("content-type", "application/json")
                .header("accept-encoding", "gzip")
                .header("authorization", format!("Bearer {token}"))
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
    // The body is read to its end (a stream polled past its end once panicked here).
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text)
        .unwrap();
    assert_eq!(text, plain.text);
}
