//! The HTTP surface: `POST /graphql`, the playground, the SDL, health.

use std::{sync::Arc, time::Duration};

use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::{
    extract::State,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Json, Router,
};
use sea_orm::DatabaseConnection;
use serde_json::json;
use tower_http::{
    compression::CompressionLayer, limit::RequestBodyLimitLayer, timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::{
    auth::{load_viewer, verify_token, JwtKeys},
    db::Sql,
    graphql::{
        error::ApiError,
        schema::{execute, is_introspection_only, AppSchema},
    },
    playground,
};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub schema: AppSchema,
    pub keys: Arc<JwtKeys>,
}

/// The router, with request logging, a body limit, a timeout and compression.
pub fn router(state: AppState, request_timeout: Duration) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::temporary("/graphql") }))
        .route("/graphql", get(playground::graphiql).post(graphql))
        .route("/schema.graphql", get(sdl))
        .route("/healthz", get(healthz))
        .with_state(state)
        .merge(playground::assets())
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(1024 * 1024))
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
            match load_viewer(&sql, &claims).await {
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
