//! The server caches each token's viewer (user, role, privileges, plan, zone) on PostgreSQL, so a
//! request runs no lookup statement before its report. The cache must never outlive a change:
//! these triggers send a notification on channel `meeting_reports_viewers` whenever a statement
//! changes what a viewer is made of, whoever runs it (the server's ingestion, `import`, the
//! seeds, the `account` commands of another process, an operator's SQL). Every server listening
//! drops its cache on it (`src/auth/cache.rs`). Statement-level triggers: one notification per
//! statement, and PostgreSQL folds the identical ones of a transaction into one at commit.
//!
//! SQLite has no notifications and the server does not cache there (its lookup is an in-process
//! call), so nothing is created on SQLite.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables a viewer is read from, with the columns of each that the viewer reads (an
/// `UPDATE` of other columns, such as a user's last sign-in, changes no viewer).
const TABLES: [(&str, &str); 3] = [
    ("app_user", "id, account_id, role, custom_role_id"),
    ("account", "id, plan, time_zone, billing_reports_enabled"),
    (
        "custom_role",
        "id, account_id, name, usage_reports, user_activity_reports, billing_reports",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE OR REPLACE FUNCTION notify_viewer_change() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN PERFORM pg_notify('meeting_reports_viewers', ''); RETURN NULL; END $$",
        )
        .await?;
        for (table, columns) in TABLES {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_viewer_change AFTER INSERT OR DELETE OR UPDATE OF {columns} \
                 ON {table} FOR EACH STATEMENT EXECUTE FUNCTION notify_viewer_change()"
            ))
            .await?;
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_viewer_truncate AFTER TRUNCATE \
                 ON {table} FOR EACH STATEMENT EXECUTE FUNCTION notify_viewer_change()"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for (table, _) in TABLES {
            db.execute_unprepared(&format!(
                "DROP TRIGGER IF EXISTS {table}_viewer_change ON {table}"
            ))
            .await?;
            db.execute_unprepared(&format!(
                "DROP TRIGGER IF EXISTS {table}_viewer_truncate ON {table}"
            ))
            .await?;
        }
        db.execute_unprepared("DROP FUNCTION IF EXISTS notify_viewer_change()")
            .await?;
        Ok(())
    }
}
