//! Live meetings: a participant still in a meeting has joined but not left, so `leave_time`
//! and `duration_seconds` become nullable (NULL: still in). Reports count such a join up to
//! the moment they are read, with `unixepoch()` (the current time, in whole seconds since the
//! epoch) and `unixepoch(t)`: SQLite has both built in; on PostgreSQL this migration defines
//! them, so one SQL text runs on both.
//!
//! A join row also keeps the platform's ids of the person (`platform_user_id`: their user id
//! when signed in) and of their registration (`platform_registrant_id`), so a user or a
//! registration that arrives after the join is linked to it then, as in-order delivery would
//! have linked it.
//!
//! SQLite cannot drop a NOT NULL constraint in place: the table is rebuilt from its own stored
//! definition with the two constraints removed (rows, foreign keys and indexes kept), inside
//! one transaction with foreign-key checks deferred to its commit, as SQLite's documentation
//! prescribes for table changes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

const USER_INDEX: &str = "ix_participant_account_platform_user";

const NOT_NULL: [(&str, &str); 2] = [
    (
        "\"leave_time\" timestamp_with_timezone_text NOT NULL",
        "\"leave_time\" timestamp_with_timezone_text NULL",
    ),
    (
        "\"duration_seconds\" integer NOT NULL",
        "\"duration_seconds\" integer NULL",
    ),
];

const PG_FUNCTIONS: &str = "\
CREATE OR REPLACE FUNCTION unixepoch(t timestamptz) RETURNS bigint LANGUAGE sql IMMUTABLE \
  PARALLEL SAFE AS 'SELECT CAST(floor(EXTRACT(EPOCH FROM t)) AS bigint)'; \
CREATE OR REPLACE FUNCTION unixepoch() RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE \
  AS 'SELECT CAST(floor(EXTRACT(EPOCH FROM now())) AS bigint)'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Sqlite => rebuild_sqlite(db, false).await?,
            _ => {
                db.execute_unprepared(
                    "ALTER TABLE participant ALTER COLUMN leave_time DROP NOT NULL, \
                     ALTER COLUMN duration_seconds DROP NOT NULL",
                )
                .await?;
                db.execute_unprepared(PG_FUNCTIONS).await?;
            }
        }
        for column in ["platform_user_id", "platform_registrant_id"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new("participant"))
                        .add_column(ColumnDef::new(Alias::new(column)).string().null())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name(USER_INDEX)
                    .table(Alias::new("participant"))
                    .col(Alias::new("account_id"))
                    .col(Alias::new("platform_user_id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        manager
            .drop_index(
                Index::drop()
                    .name(USER_INDEX)
                    .table(Alias::new("participant"))
                    .to_owned(),
            )
            .await?;
        for column in ["platform_user_id", "platform_registrant_id"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new("participant"))
                        .drop_column(Alias::new(column))
                        .to_owned(),
                )
                .await?;
        }
        // A participant still in a meeting cannot be kept by the older schema: they are
        // counted as having left when the meeting was migrated down.
        let now = match manager.get_database_backend() {
            DbBackend::Sqlite => "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')",
            _ => "now()",
        };
        db.execute_unprepared(&format!(
            "UPDATE participant SET leave_time = {now} WHERE leave_time IS NULL"
        ))
        .await?;
        db.execute_unprepared(
            "UPDATE participant SET duration_seconds = unixepoch(leave_time) - unixepoch(join_time) \
             WHERE duration_seconds IS NULL",
        )
        .await?;
        match manager.get_database_backend() {
            DbBackend::Sqlite => rebuild_sqlite(db, true).await,
            _ => {
                db.execute_unprepared(
                    "ALTER TABLE participant ALTER COLUMN leave_time SET NOT NULL, \
                     ALTER COLUMN duration_seconds SET NOT NULL; \
                     DROP FUNCTION IF EXISTS unixepoch(timestamptz); \
                     DROP FUNCTION IF EXISTS unixepoch()",
                )
                .await?;
                Ok(())
            }
        }
    }
}

/// Rebuilds `participant` from its stored definition with the two columns nullable (or, going
/// down, NOT NULL again).
async fn rebuild_sqlite(db: &impl ConnectionTrait, down: bool) -> Result<(), DbErr> {
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT type, sql FROM sqlite_master WHERE tbl_name = 'participant' AND sql IS NOT NULL",
        ))
        .await?;
    let mut table = None;
    let mut indexes = Vec::new();
    for row in rows {
        let kind: String = row.try_get("", "type")?;
        let sql: String = row.try_get("", "sql")?;
        if kind == "table" {
            table = Some(sql);
        } else if kind == "index" {
            indexes.push(sql);
        }
    }
    let mut table =
        table.ok_or_else(|| DbErr::Migration("the participant table is missing".to_owned()))?;
    for (strict, loose) in NOT_NULL {
        let (from, to) = if down {
            (loose, strict)
        } else {
            (strict, loose)
        };
        if !table.contains(from) {
            return Err(DbErr::Migration(format!(
                "the participant table's definition has no `{from}`: not the schema this \
                 migration changes"
            )));
        }
        table = table.replacen(from, to, 1);
    }
    let table = table.replacen(
        "CREATE TABLE \"participant\"",
        "CREATE TABLE \"participant_rebuilt\"",
        1,
    );
    db.execute_unprepared("PRAGMA defer_foreign_keys = ON")
        .await?;
    db.execute_unprepared(&table).await?;
    db.execute_unprepared("INSERT INTO participant_rebuilt SELECT * FROM participant")
        .await?;
    db.execute_unprepared("DROP TABLE participant").await?;
    db.execute_unprepared("ALTER TABLE participant_rebuilt RENAME TO participant")
        .await?;
    for index in indexes {
        db.execute_unprepared(&index).await?;
    }
    Ok(())
}
