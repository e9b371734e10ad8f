//! The HTTP surface: GraphQL over HTTP at `/graphql`, reports as files (`POST /export`), the
//! playground, the SDL, health, and the platform's webhook events (`POST /webhooks/zoom`).
//!
//! `/graphql` follows the GraphQL-over-HTTP specification (README, "GraphQL over HTTP"):
//! `POST` with a JSON body, `GET` with URL parameters for queries (never mutations), the
//! response's media type chosen from `Accept`, and every refusal made before GraphQL runs
//! answered as a GraphQL error body with its `extensions.code` ([`Refusal`]). A `GET` that
//! upgrades to WebSocket with the graphql-transport-ws subprotocol runs subscriptions instead
//! (`http/websocket.rs`).

pub mod websocket;

use std::{collections::HashMap, sync::Arc, time::Duration};

use async_graphql::parser::types::{DocumentOperations, OperationType};
use axum::{
    body::{Body, Bytes},
    extract::{
        rejection::{BytesRejection, QueryRejection},
        ws::{rejection::WebSocketUpgradeRejection, WebSocketUpgrade},
        Extension, Query, Request, State,
    },
    http::{header, HeaderMap, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{json, Map, Value};
use tower_http::{compression::CompressionLayer, limit::RequestBodyLimitLayer};

use crate::{
    auth::{verify_token, JwtKeys, Viewer, ViewerCache},
    db::Sql,
    export::{Export, ExportError, Format},
    graphql::{
        documents::Documents,
        error::{code_of, ApiError, TIMEOUT},
        schema::{answer, is_introspection_only, selected_operation, Answer, AppSchema},
    },
    ingest::{
        changes::ChangeBus,
        events::{Stored, APPLIED},
        queue::IngestQueue,
        webhooks::{encrypted_token, Envelope, WebhookSecrets, URL_VALIDATION},
    },
    metrics::{self, GraphqlTrace, IngestOutcome, IngestSource, Metrics, OutcomeCode},
    playground,
};

/// The largest request body accepted.
const BODY_LIMIT: usize = 1024 * 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub schema: AppSchema,
    pub keys: Arc<JwtKeys>,
    /// Empty: `POST /webhooks/zoom` answers 404.
    pub webhook_secrets: Arc<WebhookSecrets>,
    /// The persisted documents: learnt by hash, or (trusted mode) the only ones that run.
    pub documents: Arc<Documents>,
    /// Verified deliveries go through it: many committed at once (group commit).
    pub ingest: Arc<IngestQueue>,
    /// Each token's viewer, kept while PostgreSQL notifies every change (not on SQLite).
    pub viewers: Arc<ViewerCache>,
    /// What `GET /metrics` serves.
    pub metrics: Arc<Metrics>,
    /// Which accounts' data each commit changed, for the subscriptions (`ingest/changes.rs`).
    pub changes: Arc<ChangeBus>,
    /// The operations running over WebSocket connections, per token, and their bounds.
    pub subscriptions: Arc<websocket::Subscriptions>,
}

/// The router, with request logging and metrics, a body limit, a timeout and compression.
pub fn router(state: AppState, request_timeout: Duration) -> Router {
    let metrics = state.metrics.clone();
    Router::new()
        .merge(crate::web::routes())
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/schema.graphql", get(sdl))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .route("/export", post(export_post))
        .route("/webhooks/zoom", post(zoom_webhook))
        .with_state(state)
        .merge(playground::assets())
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(
            request_timeout,
            refusals_as_graphql_errors,
        ))
        // Outside the time limit: a request cut off is counted and logged too.
        .layer(middleware::from_fn_with_state(metrics, metrics::observe))
}

/// `POST /graphql`: a JSON body `{query, operationName?, variables?, extensions?}`.
async fn graphql_post(
    State(app): State<AppState>,
    trace: Option<Extension<Arc<GraphqlTrace>>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let media = ResponseMedia::negotiate(&headers);
    let request = accept_json_body(&headers, "/graphql").and_then(|()| match body {
        Ok(body) => post_request(&body, &app.documents),
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Err(Refusal::too_large())
        }
        Err(_) => Err(Refusal::bad_request("the request body could not be read")),
    });
    match request {
        Ok(request) => run(&app, trace.map(|t| t.0), &headers, media, request).await,
        Err(refusal) => refusal.into_graphql_response(media),
    }
}

/// `GET /graphql`: a query in the URL (`?query=...&variables=...&operationName=...`); the
/// playground for a browser asking for HTML without one; subscriptions for a WebSocket
/// upgrade offering graphql-transport-ws.
async fn graphql_get(
    State(app): State<AppState>,
    trace: Option<Extension<Arc<GraphqlTrace>>>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
    params: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    if let Ok(upgrade) = upgrade {
        if websocket::offers_protocol(&upgrade) {
            return websocket::upgrade(app, upgrade);
        }
    }
    let media = ResponseMedia::negotiate(&headers);
    let Ok(Query(params)) = params else {
        return Refusal::bad_request("the URL's query string does not decode").into_response(media);
    };
    if !params.contains_key("query") && asks_for_html(&headers) {
        return playground::graphiql().await.into_response();
    }
    let mut request = match get_request(params, &app.documents) {
        Ok(request) => request,
        Err(refusal) => return refusal.into_graphql_response(media),
    };
    // GET must not change anything (a link, a prefetch or a cache may send it): the spec
    // has mutations refused with 405.
    if runs_a_mutation(&mut request) {
        let mut refused = Refusal::new(
            StatusCode::METHOD_NOT_ALLOWED,
            bad_user_input(),
            "a mutation is not run over GET: send it with POST",
        )
        .into_response(media);
        refused
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return refused;
    }
    run(&app, trace.map(|t| t.0), &headers, media, request).await
}

/// Authenticates, executes, and answers in the negotiated media type.
async fn run(
    app: &AppState,
    trace: Option<Arc<GraphqlTrace>>,
    headers: &HeaderMap,
    media: ResponseMedia,
    mut request: async_graphql::Request,
) -> Response {
    let sql = Sql::new(app.db.clone());
    if let Some(trace) = &trace {
        // Parsed once: the schema runs the document parsed here.
        trace.operation(operation_name(&mut request));
        trace.sql(&sql);
    }
    let viewer = match bearer(headers) {
        None if is_introspection_only(&request.query) => None,
        _ => match authenticate(app, &sql, headers).await {
            Ok(viewer) => Some(viewer),
            Err(refusal) => return refusal.into_response(media),
        },
    };
    let answer = answer(&app.schema, sql, viewer, request).await;
    if let Some(trace) = &trace {
        trace.executed(answer.executed);
    }
    graphql_response(answer, media)
}

/// The name of the operation a request runs: the one asked for, else that of the document's
/// only operation.
fn operation_name(request: &mut async_graphql::Request) -> Option<String> {
    if request.operation_name.is_some() {
        return request.operation_name.clone();
    }
    match &request.parsed_query().ok()?.operations {
        DocumentOperations::Multiple(operations) if operations.len() == 1 => {
            operations.keys().next().map(|name| name.to_string())
        }
        _ => None,
    }
}

/// `ok`, or the code of the response's first error.
fn outcome(response: &async_graphql::Response) -> String {
    let Some(error) = response.errors.first() else {
        return metrics::OK.to_owned();
    };
    match error.extensions.as_ref().and_then(|e| e.get("code")) {
        Some(async_graphql::Value::String(code)) => code.clone(),
        _ => code_of(error).to_owned(),
    }
}

/// The viewer of the request's bearer token: 401 without one, with one that does not verify
/// or has expired, or whose user is gone.
async fn authenticate(app: &AppState, sql: &Sql, headers: &HeaderMap) -> Result<Viewer, Refusal> {
    let token = bearer(headers).ok_or_else(Refusal::unauthenticated)?;
    let claims = verify_token(&app.keys, token).ok_or_else(Refusal::unauthenticated)?;
    match app.viewers.viewer(sql, &claims).await {
        Ok(Some(viewer)) => Ok(viewer),
        Ok(None) => Err(Refusal::unauthenticated()),
        Err(err) => Err(Refusal::of(StatusCode::INTERNAL_SERVER_ERROR, &err)),
    }
}

/// `POST /export`: a JSON body `{query, variables?, operationName?, format?: "csv" |
/// "ndjson"}` (CSV when `format` is absent), answered with the file, streamed a page at a time
/// (`export/`). Every error found before the first byte (the token, the body, the document,
/// the guards, the report's rules) is a GraphQL error body with its code and a 4xx status; one
/// after it ends the body without its last chunk.
async fn export_post(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let media = ResponseMedia::Json;
    let viewer = match authenticate(&app, &Sql::new(app.db.clone()), &headers).await {
        Ok(viewer) => viewer,
        Err(refusal) => return refusal.into_response(media),
    };
    let request = accept_json_body(&headers, "/export").and_then(|()| match body {
        Ok(body) => export_request(&body, &app.documents),
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Err(Refusal::too_large())
        }
        Err(_) => Err(Refusal::bad_request("the request body could not be read")),
    });
    let (request, format) = match request {
        Ok(request) => request,
        Err(refusal) => return refusal.into_response(media),
    };
    let export = match Export::start(&app.schema, &app.db, viewer, request, format).await {
        Ok(export) => export,
        Err(err) => return export_refused(err),
    };
    let disposition = format!("attachment; filename=\"{}\"", export.file_name());
    // Rows are counted in the metrics as each page goes out (a failed export's too).
    let counted = (app.metrics.clone(), 0u64);
    let stream = futures_util::stream::unfold(Some((export, counted)), |state| async move {
        let (mut export, (metrics, mut counted)) = state?;
        let chunk = export.next_chunk().await;
        metrics.export_rows(export.format().as_str(), export.rows() - counted);
        counted = export.rows();
        match chunk {
            Ok(Some(bytes)) => Some((Ok(Bytes::from(bytes)), Some((export, (metrics, counted))))),
            Ok(None) => {
                tracing::info!(
                    rows = export.rows(),
                    format = export.format().as_str(),
                    "export written"
                );
                None
            }
            Err(err) => {
                tracing::warn!(
                    code = err.code(),
                    rows = export.rows(),
                    "export failed after its first byte"
                );
                Some((Err(std::io::Error::other(err.messages())), None))
            }
        }
    });
    // Fused: a body layer (compression) may poll again after the end.
    let mut response = Body::from_stream(futures_util::StreamExt::fuse(stream)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The body of `POST /export`: the GraphQL request's parameters and `format`.
fn export_request(
    body: &[u8],
    documents: &Documents,
) -> Result<(async_graphql::Request, Format), Refusal> {
    let mut fields =
        match serde_json::from_slice(body) {
            Ok(Value::Object(fields)) => fields,
            Ok(_) => return Err(Refusal::bad_request(
                "the request body must be a JSON object: {query, variables, operationName, format}",
            )),
            Err(err) => {
                return Err(Refusal::bad_request(format!(
                    "the request body is not JSON: {err}"
                )))
            }
        };
    let format = match fields.remove("format") {
        None | Some(Value::Null) => Format::Csv,
        Some(Value::String(name)) => Format::parse(&name).ok_or_else(|| {
            Refusal::bad_request(format!("`format` is \"csv\" or \"ndjson\", not \"{name}\""))
        })?,
        Some(_) => {
            return Err(Refusal::bad_request(
                "`format` must be a string: \"csv\" or \"ndjson\"",
            ))
        }
    };
    Ok((graphql_request(fields, documents)?, format))
}

/// An export refused before its first byte: the errors as a GraphQL error body, the status
/// from the first error's code.
fn export_refused(err: ExportError) -> Response {
    let status = match err.code() {
        "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
        "FORBIDDEN" | "PLAN_NOT_SUPPORTED" => StatusCode::FORBIDDEN,
        "NOT_FOUND" => StatusCode::NOT_FOUND,
        "INTERNAL" => StatusCode::INTERNAL_SERVER_ERROR,
        TIMEOUT => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::BAD_REQUEST,
    };
    let code = err.code().to_owned();
    let body = json!({ "errors": err.errors });
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, ResponseMedia::Json.content_type());
    response.extensions_mut().insert(metrics::OutcomeCode(code));
    response
}

/// A request error (nothing ran) has no `data` entry, and is a 400 under
/// `application/graphql-response+json`; under `application/json` every GraphQL response is
/// a 200, as the specification keeps it for the clients written before that media type.
fn graphql_response(answer: Answer, media: ResponseMedia) -> Response {
    let Answer { response, executed } = answer;
    let outcome = OutcomeCode(outcome(&response));
    let mut body = match serde_json::to_value(&response) {
        Ok(body) => body,
        Err(err) => {
            tracing::error!(error = %err, "a GraphQL response does not serialise");
            let internal = Refusal::of(StatusCode::INTERNAL_SERVER_ERROR, &ApiError::Internal);
            return internal.into_response(media);
        }
    };
    if !executed {
        if let Some(fields) = body.as_object_mut() {
            fields.remove("data");
        }
    }
    let status = match media {
        ResponseMedia::GraphqlResponse if !executed => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    let mut answer = (status, body.to_string()).into_response();
    let headers = answer.headers_mut();
    headers.insert(header::CONTENT_TYPE, media.content_type());
    if response.is_ok() {
        if let Some(value) = response.cache_control.value() {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(header::CACHE_CONTROL, value);
            }
        }
    }
    headers.extend(response.http_headers);
    answer.extensions_mut().insert(outcome);
    answer
}

/// The media type of a GraphQL response, chosen from the request's `Accept`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ResponseMedia {
    /// `application/json`: when asked for, when `Accept` is missing, and when nothing we
    /// serve is acceptable (the specification allows that instead of a 406).
    Json,
    /// `application/graphql-response+json`: when named, and not ranked below
    /// `application/json`. A wildcard (`*/*`) does not name it: a client that only sends a
    /// wildcard may predate it, and reads `application/json`.
    GraphqlResponse,
}

impl ResponseMedia {
    fn negotiate(headers: &HeaderMap) -> Self {
        // (quality in thousandths, position in the header); for JSON, the most specific
        // range that matches it decides (RFC 9110, 12.5.1).
        let mut graphql: Option<(u16, usize)> = None;
        let mut json: Option<(u16, u8, usize)> = None;
        let ranges = headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .filter(|range| !range.is_empty());
        for (position, range) in ranges.enumerate() {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality = parts
                .filter_map(|param| param.split_once('='))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
                .map_or(1000, |(_, q)| quality(q.trim()));
            let specificity = match media.as_str() {
                "application/graphql-response+json" => {
                    graphql.get_or_insert((quality, position));
                    continue;
                }
                "application/json" => 3,
                "application/*" => 2,
                "*/*" => 1,
                _ => continue,
            };
            if json.is_none_or(|(_, seen, _)| specificity > seen) {
                json = Some((quality, specificity, position));
            }
        }
        match (graphql, json) {
            (Some((q, _)), None) if q > 0 => Self::GraphqlResponse,
            (Some((q, at)), Some((json_q, _, json_at)))
                if q > 0 && (q > json_q || (q == json_q && at < json_at)) =>
            {
                Self::GraphqlResponse
            }
            _ => Self::Json,
        }
    }

    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::Json => "application/json; charset=utf-8",
            Self::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
        })
    }
}

/// A `q` parameter in thousandths; one that does not parse makes its range unacceptable.
fn quality(q: &str) -> u16 {
    match q.parse::<f32>() {
        Ok(q) if (0.0..=1.0).contains(&q) => (q * 1000.0).round() as u16,
        _ => 0,
    }
}

/// A browser opening `/graphql`, or a request without `Accept` (curl): the playground.
fn asks_for_html(headers: &HeaderMap) -> bool {
    let mut accept = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter(|value| !value.trim().is_empty())
        .peekable();
    accept.peek().is_none() || accept.any(|value| value.to_ascii_lowercase().contains("text/html"))
}

/// A POST body must say it is JSON (UTF-8, the only encoding of JSON we read).
fn accept_json_body(headers: &HeaderMap, path: &str) -> Result<(), Refusal> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let mut parts = content_type.split(';');
    let media = parts.next().unwrap_or_default().trim();
    let utf8 = parts
        .filter_map(|param| param.split_once('='))
        .filter(|(name, _)| name.trim().eq_ignore_ascii_case("charset"))
        .all(|(_, charset)| {
            charset
                .trim()
                .trim_matches('"')
                .eq_ignore_ascii_case("utf-8")
        });
    if media.eq_ignore_ascii_case("application/json") && utf8 {
        return Ok(());
    }
    let sent = if content_type.is_empty() {
        "no Content-Type".to_owned()
    } else {
        format!("Content-Type {content_type}")
    };
    Err(Refusal::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        bad_user_input(),
        format!("POST {path} takes an application/json body (UTF-8); the request sent {sent}"),
    ))
}

/// The parameters of a POST body.
fn post_request(body: &[u8], documents: &Documents) -> Result<async_graphql::Request, Refusal> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Refusal::bad_request(
            "the request body is empty: send a JSON object with a `query`",
        ));
    }
    let fields = match serde_json::from_slice(body) {
        Ok(Value::Object(fields)) => fields,
        Ok(_) => return Err(Refusal::bad_request(
            "the request body must be a JSON object: {query, operationName, variables, extensions}",
        )),
        Err(err) => {
            return Err(Refusal::bad_request(format!(
                "the request body is not JSON: {err}"
            )))
        }
    };
    graphql_request(fields, documents)
}

/// The parameters of a GET: `variables` and `extensions` as JSON text.
fn get_request(
    params: HashMap<String, String>,
    documents: &Documents,
) -> Result<async_graphql::Request, Refusal> {
    let mut fields = Map::new();
    for (name, value) in params {
        let value = match name.as_str() {
            "query" => Value::String(value),
            "operationName" if value.is_empty() => continue,
            "operationName" => Value::String(value),
            "documentId" => Value::String(value),
            "variables" | "extensions" => serde_json::from_str(&value).map_err(|err| {
                Refusal::bad_request(format!("the `{name}` parameter is not JSON: {err}"))
            })?,
            _ => continue,
        };
        fields.insert(name, value);
    }
    if !fields.contains_key("query")
        && !fields.contains_key("extensions")
        && !fields.contains_key("documentId")
    {
        return Err(Refusal::bad_request(
            "GET /graphql runs the `query` parameter: none was given (a browser asking for text/html gets the playground)",
        ));
    }
    graphql_request(fields, documents)
}

/// The request, once each parameter has the type the specification gives it: `query` a
/// string; `operationName` a string or null; `variables` and `extensions` maps or null. The
/// document is the `query` sent or the persisted one its hash names
/// (`extensions.persistedQuery.sha256Hash`, or `documentId`): [`Documents`].
fn graphql_request(
    mut fields: Map<String, Value>,
    documents: &Documents,
) -> Result<async_graphql::Request, Refusal> {
    let mut checked = Map::new();
    let query = match fields.remove("query") {
        Some(Value::String(query)) => Some(query),
        None | Some(Value::Null) => None,
        Some(_) => {
            return Err(Refusal::bad_request(
                "the `query` parameter must be a string",
            ))
        }
    };
    for (name, allowed) in [
        ("operationName", "a string"),
        ("variables", "an object"),
        ("extensions", "an object"),
    ] {
        match (name, fields.remove(name)) {
            (_, None | Some(Value::Null)) => {}
            ("operationName", Some(value @ Value::String(_)))
            | ("variables" | "extensions", Some(value @ Value::Object(_))) => {
                checked.insert(name.to_owned(), value);
            }
            (_, Some(_)) => {
                return Err(Refusal::bad_request(format!(
                    "the `{name}` parameter must be {allowed} or null"
                )))
            }
        }
    }
    let hash = persisted_hash(checked.get("extensions"), fields.remove("documentId"))?;
    let query = documents.resolve(query, hash).map_err(|e| match e.code {
        // A malformed request: 400 whatever the media type.
        "BAD_USER_INPUT" => Refusal::bad_request(e.message),
        code => Refusal::document(code, e.message),
    })?;
    checked.insert("query".to_owned(), Value::String(query));
    serde_json::from_value(Value::Object(checked))
        .map_err(|err| Refusal::bad_request(format!("the request does not read: {err}")))
}

/// The hash a request names its document by: `extensions.persistedQuery {version: 1,
/// sha256Hash}` (automatic persisted queries), or `documentId` (`sha256:<hex>` or the hex).
fn persisted_hash(
    extensions: Option<&Value>,
    document_id: Option<Value>,
) -> Result<Option<String>, Refusal> {
    if let Some(persisted) = extensions.and_then(|e| e.get("persistedQuery")) {
        let version = persisted.get("version").and_then(Value::as_i64);
        let hash = persisted.get("sha256Hash").and_then(Value::as_str);
        return match (version, hash) {
            (Some(1), Some(hash)) => Ok(Some(hash.to_owned())),
            (Some(1), None) => Err(Refusal::bad_request(
                "`extensions.persistedQuery` needs a `sha256Hash` string",
            )),
            _ => Err(Refusal::bad_request(
                "`extensions.persistedQuery` is read in its version 1: {\"version\": 1, \"sha256Hash\": ...}",
            )),
        };
    }
    match document_id {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(id)) => {
            let hex = id.strip_prefix("sha256:").unwrap_or(&id);
            if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(Some(hex.to_owned()))
            } else {
                Err(Refusal::bad_request(
                    "`documentId` is a document's SHA-256: `sha256:<64 hex digits>`",
                ))
            }
        }
        Some(_) => Err(Refusal::bad_request("`documentId` must be a string")),
    }
}

/// Whether the operation the request would run is a mutation.
fn runs_a_mutation(request: &mut async_graphql::Request) -> bool {
    let name = request.operation_name.clone();
    request
        .parsed_query()
        .ok()
        .and_then(|document| selected_operation(document, name.as_deref()))
        .is_some_and(|operation| operation.node.ty == OperationType::Mutation)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    bearer_token(headers.get(header::AUTHORIZATION)?.to_str().ok()?)
}

/// The token of an `Authorization` value `Bearer <token>` (the scheme in any case): the
/// header's, or a WebSocket `connection_init` payload's.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

fn bad_user_input() -> &'static str {
    ApiError::bad_input("").code()
}

/// A request refused before GraphQL runs it: its status, and a GraphQL-shaped body
/// `{"errors": [{"message", "extensions": {"code"}}]}` without `data` (nothing ran), so a
/// GraphQL client reads the code as usual.
struct Refusal {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// A request error of the document's choice (an unknown or untrusted persisted
    /// document): on `/graphql` a 200 under `application/json`, as every request error.
    request_error: bool,
}

impl Refusal {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            request_error: false,
        }
    }

    fn document(code: &'static str, message: String) -> Self {
        let status = match code {
            "FORBIDDEN" => StatusCode::FORBIDDEN,
            _ => StatusCode::BAD_REQUEST,
        };
        Self {
            request_error: true,
            ..Self::new(status, code, message)
        }
    }

    /// On `/graphql`: a request error is a 200 under `application/json`.
    fn into_graphql_response(mut self, media: ResponseMedia) -> Response {
        if self.request_error && media == ResponseMedia::Json {
            self.status = StatusCode::OK;
        }
        self.into_response(media)
    }

    fn of(status: StatusCode, err: &ApiError) -> Self {
        Self::new(status, err.code(), err.message())
    }

    fn unauthenticated() -> Self {
        Self::of(StatusCode::UNAUTHORIZED, &ApiError::Unauthenticated)
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, bad_user_input(), message)
    }

    fn too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            bad_user_input(),
            format!(
                "the request body is over the {} MiB limit",
                BODY_LIMIT >> 20
            ),
        )
    }

    fn timeout(limit: Duration) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            TIMEOUT,
            format!(
                "the request ran over the server's {} s limit",
                limit.as_secs()
            ),
        )
    }

    fn into_response(self, media: ResponseMedia) -> Response {
        let body = json!({
            "errors": [{ "message": self.message, "extensions": { "code": self.code } }]
        });
        let mut response = (self.status, body.to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, media.content_type());
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
            .extensions_mut()
            .insert(OutcomeCode(self.code.to_owned()));
        response
    }
}

/// The time limit, and every refusal the layers below answer in plain text or with an empty
/// body (the body limit's 413, axum's 405 for a method a path does not serve, an extractor's
/// 400 or 415, a 404 of a path or a file no route serves), answered as a GraphQL error body instead: every client of ours reads JSON
/// errors.
async fn refusals_as_graphql_errors(
    State(limit): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    let media = ResponseMedia::negotiate(request.headers());
    let Ok(response) = tokio::time::timeout(limit, next.run(request)).await else {
        tracing::warn!(
            limit_secs = limit.as_secs(),
            "request cut off at the time limit"
        );
        return Refusal::timeout(limit).into_response(media);
    };
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("json"));
    let refusal = match response.status() {
        _ if is_json => return response,
        StatusCode::PAYLOAD_TOO_LARGE => Refusal::too_large(),
        StatusCode::METHOD_NOT_ALLOWED => Refusal::new(
            StatusCode::METHOD_NOT_ALLOWED,
            bad_user_input(),
            "this path does not serve that method (the Allow header lists those it does)",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            bad_user_input(),
            "the request body's Content-Type is not one this path reads",
        ),
        StatusCode::BAD_REQUEST => Refusal::bad_request("the request is malformed"),
        StatusCode::NOT_FOUND => Refusal::new(
            StatusCode::NOT_FOUND,
            reports::Error::NotFound(String::new()).code(),
            "nothing is served at this path",
        ),
        _ => return response,
    };
    let mut refused = refusal.into_response(media);
    if let Some(allow) = response.headers().get(header::ALLOW) {
        refused.headers_mut().insert(header::ALLOW, allow.clone());
    }
    refused
}

fn json_error(status: StatusCode, code: &'static str, message: &str) -> Response {
    Refusal::new(status, code, message).into_response(ResponseMedia::Json)
}

/// `POST /webhooks/zoom`: the platform's signed events. The signature is checked on the raw
/// body before anything is parsed or stored; a valid event is answered 200 once it is
/// committed (applied or kept as FAILED: a 4xx would never be retried, and the platform retries
/// 5xx, which is what a database failure answers). The answer never says why an event failed.
async fn zoom_webhook(State(app): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if app.webhook_secrets.is_empty() {
        return json_error(
            StatusCode::NOT_FOUND,
            reports::Error::NotFound(String::new()).code(),
            "no webhook endpoint is configured on this server",
        );
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let now = Utc::now();
    let secret = match app.webhook_secrets.verify(
        header("x-zm-request-timestamp"),
        header("x-zm-signature"),
        &body,
        now,
    ) {
        Ok(secret) => secret,
        Err(err) => {
            tracing::warn!("webhook refused: missing or wrong signature, or a stale timestamp");
            return json_error(
                StatusCode::UNAUTHORIZED,
                err.code(),
                "a valid x-zm-signature over a current x-zm-request-timestamp is required",
            );
        }
    };
    let envelope = match Envelope::parse(&body) {
        Ok(envelope) => envelope,
        Err(err) => return json_error(StatusCode::BAD_REQUEST, err.code(), &err.message()),
    };
    if envelope.event == URL_VALIDATION {
        let Some(plain) = envelope.payload.get("plainToken").and_then(|t| t.as_str()) else {
            return json_error(
                StatusCode::BAD_REQUEST,
                reports::Error::bad_input("").code(),
                "endpoint.url_validation without payload.plainToken",
            );
        };
        return Json(json!({
            "plainToken": plain,
            "encryptedToken": encrypted_token(secret, plain),
        }))
        .into_response();
    }
    // `Envelope::parse` read it as JSON, so it is UTF-8.
    let text = String::from_utf8_lossy(&body);
    let event_ts = envelope.event_ts;
    let stored = app.ingest.submit(envelope, text.into_owned(), now).await;
    let outcome = match &stored {
        Ok(Stored::New { status, .. }) if *status == APPLIED => IngestOutcome::Applied,
        Ok(Stored::New { .. }) => IngestOutcome::DeadLettered,
        Ok(Stored::Duplicate { .. }) => IngestOutcome::Duplicate,
        Err(_) => IngestOutcome::Error,
    };
    let committed_ms = Utc::now().timestamp_millis();
    app.metrics
        .event_ingested(IngestSource::Webhook, outcome, event_ts, committed_ms);
    match stored {
        Ok(stored) => {
            let duplicate = matches!(stored, Stored::Duplicate { .. });
            Json(json!({ "received": true, "duplicate": duplicate })).into_response()
        }
        Err(err) => json_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            err.code(),
            &err.message(),
        ),
    }
}

async fn sdl(State(app): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        app.schema.sdl(),
    )
}

async fn healthz(State(app): State<AppState>) -> Response {
    match app.db.ping().await {
        Ok(()) => Json(json!({ "status": "ok" })).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "database unreachable" })),
            )
                .into_response()
        }
    }
}

/// The `extensions.code` of `GET /readyz` when the database does not answer.
const UNAVAILABLE: &str = "UNAVAILABLE";

/// How long `GET /readyz` waits for the database: an orchestrator's probe gives up after a
/// few seconds, and a pool with no free connection would otherwise hold it up to 30 s.
const READY_WITHIN: Duration = Duration::from_secs(5);

/// `GET /readyz`: whether this instance can take traffic, that is whether its database runs a
/// statement (`SELECT 1`). 503 `UNAVAILABLE` otherwise, the cause logged, never answered.
/// `/healthz` is liveness.
async fn readyz(State(app): State<AppState>) -> Response {
    let select_one = Statement::from_string(app.db.get_database_backend(), "SELECT 1");
    let message = match tokio::time::timeout(READY_WITHIN, app.db.query_one_raw(select_one)).await {
        Ok(Ok(_)) => return Json(json!({ "status": "ready" })).into_response(),
        Ok(Err(err)) => {
            tracing::error!(error = %err, "readiness check: the database refused a statement");
            "the database is unavailable".to_owned()
        }
        Err(_) => {
            tracing::error!(
                within_secs = READY_WITHIN.as_secs(),
                "readiness check: the database did not answer in time"
            );
            format!(
                "the database did not answer within {} s",
                READY_WITHIN.as_secs()
            )
        }
    };
    json_error(StatusCode::SERVICE_UNAVAILABLE, UNAVAILABLE, &message)
}

/// `GET /metrics`: the Prometheus text format (`src/metrics.rs` lists what is counted).
async fn metrics_text(State(app): State<AppState>) -> Response {
    match app.metrics.encode() {
        Ok(text) => ([(header::CONTENT_TYPE, metrics::CONTENT_TYPE)], text).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "the metrics do not encode");
            let internal = Refusal::of(StatusCode::INTERNAL_SERVER_ERROR, &ApiError::Internal);
            internal.into_response(ResponseMedia::Json)
        }
    }
}
