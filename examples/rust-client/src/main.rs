//! Runs the Active hosts report for a date range and prints a few typed fields.
//!
//! ```sh
//! MEETING_REPORTS_URL=http://127.0.0.1:8000/graphql MEETING_REPORTS_TOKEN=... \
//!   cargo run -p rust-client -- FROM TO        # dates as yyyy-mm-dd
//! ```
//!
//! Exits non-zero on a transport error, a non-2xx status or any GraphQL error.

use std::env;
use std::fmt;
use std::process::ExitCode;

use graphql_client::{GraphQLQuery, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

// The custom scalars as they travel in JSON (schema.graphql's descriptions); the derive names
// them in the generated types.
type Date = String;

/// The request and response types of `src/active_hosts.graphql`, checked against the schema at
/// compile time: a field or argument `schema.graphql` does not have fails the build.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../../schema.graphql",
    query_path = "src/active_hosts.graphql",
    response_derives = "Debug"
)]
struct ActiveHosts;

enum Failure {
    Usage(String),
    Transport(String),
    Status(hyper::StatusCode, String),
    /// `data` that does not fit the generated types (a server on another schema than ours).
    Decode(serde_json::Error),
    GraphQL(Vec<graphql_client::Error>),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message) => write!(f, "{message}"),
            Failure::Transport(message) => write!(f, "transport: {message}"),
            Failure::Status(status, body) => write!(f, "HTTP {status} without data: {body}"),
            Failure::Decode(error) => write!(f, "decoding the data: {error}"),
            Failure::GraphQL(errors) => {
                write!(f, "GraphQL errors:")?;
                for error in errors {
                    let code = error
                        .extensions
                        .as_ref()
                        .and_then(|extensions| extensions.get("code"))
                        .and_then(|code| code.as_str())
                        .unwrap_or("ERROR");
                    write!(f, "\n  {code}: {}", error.message)?;
                }
                Ok(())
            }
        }
    }
}

/// POSTs the query over one HTTP/1.1 connection (plain `http://` only: put a TLS client in
/// front for anything else) and decodes the typed response.
async fn post<Q: GraphQLQuery>(
    url: &Uri,
    token: &str,
    variables: Q::Variables,
) -> Result<Q::ResponseData, Failure> {
    if url.scheme_str() != Some("http") {
        return Err(Failure::Usage(format!(
            "{url}: only http:// URLs are supported"
        )));
    }
    let authority = url
        .authority()
        .ok_or_else(|| Failure::Usage(format!("{url}: no host")))?;
    let address = format!(
        "{}:{}",
        authority.host(),
        authority.port_u16().unwrap_or(80)
    );
    let body = serde_json::to_vec(&Q::build_query(variables))
        .map_err(|e| Failure::Transport(format!("encoding the request: {e}")))?;

    let stream = TcpStream::connect(&address)
        .await
        .map_err(|e| Failure::Transport(format!("connect {address}: {e}")))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| Failure::Transport(format!("handshake: {e}")))?;
    tokio::spawn(connection);

    let path = url.path_and_query().map_or("/", |p| p.as_str());
    let request = Request::post(path)
        .header("host", authority.as_str())
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .header(
            "accept",
            "application/graphql-response+json, application/json;q=0.9",
        )
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| Failure::Transport(format!("building the request: {e}")))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| Failure::Transport(format!("request: {e}")))?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| Failure::Transport(format!("reading the body: {e}")))?
        .to_bytes();

    // The errors first: beside them `data` may be partial, which the typed data cannot hold.
    let text = || String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
    let decoded: Response<serde_json::Value> =
        serde_json::from_slice(&body).map_err(|_| Failure::Status(status, text()))?;
    match (decoded.errors, decoded.data) {
        (Some(errors), _) if !errors.is_empty() => Err(Failure::GraphQL(errors)),
        (_, Some(data)) if status.is_success() => {
            serde_json::from_value(data).map_err(Failure::Decode)
        }
        _ => Err(Failure::Status(status, text())),
    }
}

async fn run() -> Result<(), Failure> {
    let usage = || {
        Failure::Usage(
            "usage: MEETING_REPORTS_TOKEN=... [MEETING_REPORTS_URL=...] rust-client FROM TO".into(),
        )
    };
    let url =
        env::var("MEETING_REPORTS_URL").unwrap_or_else(|_| "http://127.0.0.1:8000/graphql".into());
    let url: Uri = url
        .parse()
        .map_err(|e| Failure::Usage(format!("MEETING_REPORTS_URL {url}: {e}")))?;
    let token = env::var("MEETING_REPORTS_TOKEN").map_err(|_| usage())?;
    let mut args = env::args().skip(1);
    let (Some(from), Some(to), None) = (args.next(), args.next(), args.next()) else {
        return Err(usage());
    };

    let variables = active_hosts::Variables {
        from: from.clone(),
        to: to.clone(),
        first: Some(5),
    };
    let data = post::<ActiveHosts>(&url, &token, variables).await?;

    let viewer = &data.viewer;
    println!(
        "{} ({:?}) at {}: {:?}",
        viewer.user.email, viewer.user.role, viewer.account.name, viewer.privileges
    );
    let report = &data.active_hosts;
    println!(
        "active hosts {from}..{to}: {}; {} sessions, {} participants, {} meeting minutes",
        report.total_count,
        report.totals.meetings,
        report.totals.participants,
        report.totals.meeting_minutes
    );
    for row in &report.nodes {
        println!(
            "  {}: {} sessions, {} minutes",
            row.host.email, row.meetings, row.meeting_minutes
        );
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("rust-client: {failure}");
            ExitCode::FAILURE
        }
    }
}
