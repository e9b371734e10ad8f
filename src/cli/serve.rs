//! `meeting-reports serve`.

use chrono::Duration;
use tokio::net::TcpListener;

use super::{keys, open, token_for, DEMO_USERS};
use reports::freshness::FreshnessSource;

use crate::{
    config::{DatabaseArgs, ServeArgs},
    graphql::documents::Documents,
    ingest::changes::{ChangeBus, ChangeSet, Sources},
};

pub async fn serve(args: &DatabaseArgs, serve: ServeArgs) -> Result<(), String> {
    let db = open(args).await?;
    let keys = keys(&db, args).await?;
    let on_default_database = args.database_url.is_none();
    if on_default_database
        && crate::seed::is_empty(&db)
            .await
            .map_err(|e| e.to_string())?
    {
        let now = serve.limits.now();
        println!("empty default database: loading the demo data (now = {now})");
        let summary = crate::seed::seed_demo(&db, now, 42)
            .await
            .map_err(|e| format!("loading the demo data failed: {e}"))?;
        println!(
            "demo data loaded: {} accounts, {} users, {} meetings, {} sessions, {} participant rows",
            summary.accounts, summary.users, summary.meetings, summary.sessions, summary.participants
        );
    }
    // Tables grow all day from webhooks and imports: plans follow (`db/statistics.rs`).
    tokio::spawn(crate::db::keep_statistics_current(
        db.clone(),
        crate::db::STATISTICS_EVERY,
    ));
    let listener = TcpListener::bind(serve.bind)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", serve.bind))?;
    let secrets = crate::ingest::webhooks::WebhookSecrets::parse(
        serve.zoom_webhook_secret.as_deref().unwrap_or_default(),
    );
    if secrets.is_empty() {
        tracing::info!("no ZOOM_WEBHOOK_SECRET: POST /webhooks/zoom answers 404");
    }
    let documents = match &serve.trusted_documents {
        None => Documents::automatic(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read TRUSTED_DOCUMENTS {}: {e}", path.display()))?;
            let documents = Documents::trusted_from_json(&text)
                .map_err(|e| format!("TRUSTED_DOCUMENTS {}: {e}", path.display()))?;
            tracing::info!(file = %path.display(), "trusted documents only");
            documents
        }
    };
    let timeout = std::time::Duration::from_secs(serve.limits.request_timeout_secs);
    let mut state = crate::app_state(db.clone(), keys.clone(), serve.limits.clone(), secrets);
    state.documents = std::sync::Arc::new(documents);
    spawn_expiry(db.clone(), serve.limits.clone(), state.changes.clone());
    let app = crate::http::router(state, timeout);
    println!("meeting-reports listening on http://{}", serve.bind);
    println!("report views: http://{}/", serve.bind);
    println!("playground: http://{}/graphql", serve.bind);
    if on_default_database {
        println!("demo tokens (valid 30 days; paste as `Authorization: Bearer <token>`, or open the report views' or the playground's URL + #token=<token>):");
        for email in DEMO_USERS {
            if let Some(token) = token_for(&db, &keys, email, Duration::days(30)).await? {
                println!("  {email:<24} {token}");
            }
        }
    }
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))?;
    tracing::info!("shut down");
    Ok(())
}

/// Prunes expired meetings now and every hour, in the background, and tells the live updates
/// which accounts lost meetings (their meeting data and operation log changed).
fn spawn_expiry(
    db: sea_orm::DatabaseConnection,
    limits: crate::config::ReportSettings,
    changes: std::sync::Arc<ChangeBus>,
) {
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            match reports::expiry::prune_expired_by_account(&db, limits.now(), limits.expiry())
                .await
            {
                Ok(deleted) => {
                    let mut changed = ChangeSet::default();
                    let sources =
                        Sources::of(&[FreshnessSource::Meetings, FreshnessSource::OperationLogs]);
                    for account in deleted.keys() {
                        changed.add(*account, sources);
                    }
                    changes.publish(&changed);
                    tracing::info!(
                        deleted = deleted.values().sum::<u64>(),
                        "expired meetings pruned"
                    );
                }
                Err(err) => tracing::error!(error = %err, "pruning expired meetings failed"),
            }
        }
    });
}

/// Ctrl-C or SIGTERM: stop accepting, finish the requests under way.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
