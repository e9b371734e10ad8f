//! The HTTP surface: `POST /graphql`, the playground, the SDL, health, and the platform's
//! webhook events (`POST /webhooks/zoom`).

use std::{sync::Arc, time::Duration};

use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::{
    body::Bytes,
    extract::State,
    http::{header, HeaderMap, StatusCode},
    middleware,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Json, Router,
};
use chrono::Utc;
use sea_orm::DatabaseConnection;
use serde_json::json;
use tower_http::{
    compression::CompressionLayer, limit::RequestBodyLimitLayer, timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::{
    auth::{verify_token, JwtKeys, ViewerCache},
    db::Sql,
    graphql::{
        error::ApiError,
        schema::{execute, is_introspection_only, AppSchema},
    },
    ingest::{
        events::Stored,
        queue::IngestQueue,
        webhooks::{encrypted_token, Envelope, WebhookSecrets, URL_VALIDATION},
    },
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
    /// Verified deliveries go through it: many committed at once (group commit).
    pub ingest: Arc<IngestQueue>,
    /// Each token's viewer, kept while PostgreSQL notifies every change (not on SQLite).
    pub viewers: Arc<ViewerCache>,
}

/// The router, with request logging, a body limit, a timeout and compression.
pub fn router(state: AppState, request_timeout: Duration) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::temporary("/graphql") }))
        .route("/graphql", get(playground::graphiql).post(graphql))
        .route("/schema.graphql", get(sdl))
        .route("/healthz", get(healthz))
        .route("/webhooks/zoom", post(zoom_webhook))
        .with_state(state)
        .merge(playground::assets())
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(middleware::map_response(payload_too_large_as_json))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            request_timeout,
        ))
        .layer(TraceLayer::new_for_http())
}

async fn graphql(State(app): State<AppState>, headers: HeaderMap, req: GraphQLRequest) -> Response {
    let request = req.into_inner();
    let sql = Sql::new(app.db.clone());
    let viewer = match bearer(&headers) {
        None if is_introspection_only(&request.query) => None,
        None => return unauthenticated(),
        Some(token) => {
            let Some(claims) = verify_token(&app.keys, token) else {
                return unauthenticated();
            };
            match app.viewers.viewer(&sql, &claims).await {
                Ok(Some(viewer)) => Some(viewer),
                Ok(None) => return unauthenticated(),
                Err(err) => return error_response(StatusCode::INTERNAL_SERVER_ERROR, &err),
            }
        }
    };
    GraphQLResponse::from(execute(&app.schema, sql, viewer, request).await).into_response()
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

/// HTTP 401 with a GraphQL error body, so GraphQL clients read the code as usual.
fn unauthenticated() -> Response {
    let mut response = error_response(StatusCode::UNAUTHORIZED, &ApiError::Unauthenticated);
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Bearer"),
    );
    response
}

fn error_response(status: StatusCode, err: &ApiError) -> Response {
    (
        status,
        Json(json!({
            "data": null,
            "errors": [{ "message": err.message(), "extensions": { "code": err.code() } }]
        })),
    )
        .into_response()
}

/// The body limit answers 413 in plain text (from the limit layer, or from the body extractor
/// when no content-length was sent): every client of ours reads JSON errors.
async fn payload_too_large_as_json(response: Response) -> Response {
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return response;
    }
    json_error(
        StatusCode::PAYLOAD_TOO_LARGE,
        "BAD_USER_INPUT",
        &format!(
            "the request body is over the {} MiB limit",
            BODY_LIMIT >> 20
        ),
    )
}

fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({
            "errors": [{ "message": message, "extensions": { "code": code } }]
        })),
    )
        .into_response()
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
    match app.ingest.submit(envelope, text.into_owned(), now).await {
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
