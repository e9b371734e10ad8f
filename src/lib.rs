//! meeting-reports: the Reports section of a video-meeting platform's portal as one GraphQL
//! graph. `main.rs` only parses the command line; everything else starts here, so tests and
//! the SDL export build exactly what the server runs.

pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod export;
pub mod graphql;
pub mod http;
pub mod ingest;
pub mod metrics;
pub mod playground;
pub mod seed;
pub mod web;

use std::{sync::Arc, time::Duration};

use sea_orm::DatabaseConnection;

pub use graphql::schema::{build_schema, AppSchema};

use crate::{
    auth::JwtKeys, config::ReportSettings, graphql::documents::Documents, http::AppState,
    ingest::webhooks::WebhookSecrets,
};

/// The whole HTTP application over a connected, migrated database, without a webhook secret
/// (`POST /webhooks/zoom` answers 404).
pub fn build_app(db: DatabaseConnection, keys: JwtKeys, settings: ReportSettings) -> axum::Router {
    build_app_with_webhooks(db, keys, settings, WebhookSecrets::default())
}

/// The whole HTTP application, accepting the platform's events signed with these secrets.
pub fn build_app_with_webhooks(
    db: DatabaseConnection,
    keys: JwtKeys,
    settings: ReportSettings,
    webhook_secrets: WebhookSecrets,
) -> axum::Router {
    build_app_with(db, keys, settings, webhook_secrets, Documents::automatic())
}

/// The whole HTTP application, with these persisted documents (`TRUSTED_DOCUMENTS`: only
/// those run).
pub fn build_app_with(
    db: DatabaseConnection,
    keys: JwtKeys,
    settings: ReportSettings,
    webhook_secrets: WebhookSecrets,
    documents: Documents,
) -> axum::Router {
    let timeout = Duration::from_secs(settings.request_timeout_secs);
    let mut state = app_state(db, keys, settings, webhook_secrets);
    state.documents = Arc::new(documents);
    http::router(state, timeout)
}

/// What the handlers of [`build_app_with_webhooks`] share (tests read its viewer cache).
pub fn app_state(
    db: DatabaseConnection,
    keys: JwtKeys,
    settings: ReportSettings,
    webhook_secrets: WebhookSecrets,
) -> AppState {
    let changes = crate::ingest::changes::ChangeBus::new();
    let metrics = Arc::new(metrics::Metrics::new());
    AppState {
        ingest: Arc::new(crate::ingest::queue::IngestQueue::new(
            db.clone(),
            changes.clone(),
        )),
        subscriptions: http::websocket::Subscriptions::new(
            Default::default(),
            metrics.subscriptions_open(),
        ),
        changes,
        metrics,
        viewers: auth::ViewerCache::for_database(&db),
        documents: Arc::new(Documents::automatic()),
        db,
        schema: build_schema(settings),
        keys: Arc::new(keys),
        webhook_secrets: Arc::new(webhook_secrets),
    }
}
