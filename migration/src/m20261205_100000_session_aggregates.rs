//! Aggregates maintained on write: the usage reports read them instead of the join rows.
//!
//! - `session_stat`: one row per session with its figures (participants as people, the seconds
//!   of the joins that have left, the joins still in, and the meeting minutes they make), its
//!   host and kind, and its start's 15-minute UTC bucket.
//! - `usage_bucket`: per account and 15-minute UTC bucket (every report zone's day starts on
//!   one: half-hour and 45-minute offsets included), the sessions that started in it and their
//!   figures added up, for the sessions with no join still in (a live session's minutes grow
//!   with the clock: reports add those few from their rows when they read).
//! - `aggregate_dirty`: the sessions whose figures a transaction changed. Triggers on
//!   `participant`, `meeting_session` and `meeting` write it, whoever writes those tables (the
//!   ingestion, `import`, the seeds, an operator's SQL), and `reports::aggregates::settle`
//!   recomputes those sessions and their buckets from the raw rows before the transaction
//!   commits, and empties it. `aggregate_dirty_bucket` is its scratch list of buckets.
//!
//! The migration computes both aggregates for the rows already there, with the same SQL as
//! `reports::aggregates` (repeated here: a migration keeps meaning what it meant when it landed).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn col(name: &str) -> Alias {
    Alias::new(name)
}

fn account_fk(table: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_account_id"))
        .from(col(table), col("account_id"))
        .to(col("account"), col("id"))
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

fn tables() -> Vec<TableCreateStatement> {
    vec![
        Table::create()
            .table(col("session_stat"))
            .if_not_exists()
            .col(big_integer(col("session_id")).primary_key())
            .col(big_integer(col("account_id")))
            .col(big_integer(col("meeting_id")))
            .col(big_integer(col("host_id")))
            .col(string(col("kind")))
            .col(timestamp_with_time_zone(col("start_time")))
            .col(big_integer(col("bucket")))
            .col(big_integer(col("participants")))
            .col(big_integer(col("closed_seconds")))
            .col(big_integer(col("open_joins")))
            .col(big_integer(col("meeting_minutes")))
            .foreign_key(&mut account_fk("session_stat"))
            .take(),
        Table::create()
            .table(col("usage_bucket"))
            .if_not_exists()
            .col(big_integer(col("account_id")))
            .col(big_integer(col("bucket")))
            .col(big_integer(col("sessions")))
            .col(big_integer(col("participants")))
            .col(big_integer(col("meeting_minutes")))
            .primary_key(Index::create().col(col("account_id")).col(col("bucket")))
            .foreign_key(&mut account_fk("usage_bucket"))
            .take(),
        Table::create()
            .table(col("aggregate_dirty"))
            .if_not_exists()
            .col(big_integer(col("session_id")).primary_key())
            .take(),
        Table::create()
            .table(col("aggregate_dirty_bucket"))
            .if_not_exists()
            .col(big_integer(col("account_id")))
            .col(big_integer(col("bucket")))
            .primary_key(Index::create().col(col("account_id")).col(col("bucket")))
            .take(),
    ]
}

fn indexes() -> Vec<IndexCreateStatement> {
    let index = |name: &str, columns: &[&str]| {
        let mut i = Index::create();
        i.name(format!("ix_session_stat_{name}"))
            .table(col("session_stat"))
            .if_not_exists();
        for c in columns {
            i.col(col(c));
        }
        i.take()
    };
    vec![
        // The host reports' range scan reads the figures from the index alone.
        index(
            "account_time",
            &[
                "account_id",
                "start_time",
                "host_id",
                "participants",
                "meeting_minutes",
                "open_joins",
            ],
        ),
        // A member's sessions; "held no session in the range" per user.
        index(
            "account_host_time",
            &["account_id", "host_id", "start_time"],
        ),
        // A bucket's sessions, when `settle` recomputes it.
        index("account_bucket", &["account_id", "bucket"]),
    ]
}

/// The figures of every session matching `filter` (on `s`), from the raw rows.
fn fresh_sessions(filter: &str) -> String {
    format!(
        "SELECT s.id AS session_id, s.account_id, s.meeting_id, m.host_id, m.kind, s.start_time, \
         unixepoch(s.start_time) / 900 * 900 AS bucket, \
         COUNT(DISTINCT CASE WHEN p.user_id IS NOT NULL THEN 'u' || CAST(p.user_id AS TEXT) \
           WHEN p.email IS NOT NULL AND p.email <> '' THEN 'e' || LOWER(p.email) \
           ELSE 'n' || p.name END) AS participants, \
         CAST(COALESCE(SUM(p.duration_seconds), 0) AS BIGINT) AS closed_seconds, \
         COUNT(p.id) - COUNT(p.duration_seconds) AS open_joins, \
         (CAST(COALESCE(SUM(p.duration_seconds), 0) AS BIGINT) + 59) / 60 AS meeting_minutes \
         FROM meeting_session s JOIN meeting m ON m.id = s.meeting_id \
         LEFT JOIN participant p ON p.session_id = s.id WHERE {filter} \
         GROUP BY s.id, s.account_id, s.meeting_id, m.host_id, m.kind, s.start_time"
    )
}

const STAT_COLUMNS: &str = "session_id, account_id, meeting_id, host_id, kind, start_time, \
     bucket, participants, closed_seconds, open_joins, meeting_minutes";

const SQLITE_TRIGGERS: &str = "\
CREATE TRIGGER participant_aggregate_insert AFTER INSERT ON participant BEGIN \
  INSERT OR IGNORE INTO aggregate_dirty (session_id) VALUES (NEW.session_id); END; \
CREATE TRIGGER participant_aggregate_delete AFTER DELETE ON participant BEGIN \
  INSERT OR IGNORE INTO aggregate_dirty (session_id) VALUES (OLD.session_id); END; \
CREATE TRIGGER participant_aggregate_update AFTER UPDATE ON participant \
  WHEN OLD.session_id IS NOT NEW.session_id OR OLD.user_id IS NOT NEW.user_id \
    OR OLD.email IS NOT NEW.email OR OLD.name IS NOT NEW.name \
    OR OLD.duration_seconds IS NOT NEW.duration_seconds OR OLD.join_time IS NOT NEW.join_time \
    OR OLD.leave_time IS NOT NEW.leave_time BEGIN \
  INSERT OR IGNORE INTO aggregate_dirty (session_id) VALUES (OLD.session_id); \
  INSERT OR IGNORE INTO aggregate_dirty (session_id) VALUES (NEW.session_id); END; \
CREATE TRIGGER meeting_session_aggregate_insert AFTER INSERT ON meeting_session BEGIN \
  INSERT OR IGNORE INTO aggregate_dirty (session_id) VALUES (NEW.id); END; \
CREATE TRIGGER meeting_session_aggregate_delete AFTER DELETE ON meeting_session BEGIN \
  INSERT OR IGNORE INTO aggregate_dirty (session_id) VALUES (OLD.id); END; \
CREATE TRIGGER meeting_session_aggregate_update AFTER UPDATE ON meeting_session \
  WHEN OLD.id IS NOT NEW.id OR OLD.start_time IS NOT NEW.start_time \
    OR OLD.meeting_id IS NOT NEW.meeting_id OR OLD.account_id IS NOT NEW.account_id BEGIN \
  INSERT OR IGNORE INTO aggregate_dirty (session_id) VALUES (OLD.id); \
  INSERT OR IGNORE INTO aggregate_dirty (session_id) VALUES (NEW.id); END; \
CREATE TRIGGER meeting_aggregate_update AFTER UPDATE ON meeting \
  WHEN OLD.host_id IS NOT NEW.host_id OR OLD.kind IS NOT NEW.kind BEGIN \
  INSERT OR IGNORE INTO aggregate_dirty (session_id) \
    SELECT id FROM meeting_session WHERE meeting_id = NEW.id; END";

/// PostgreSQL: statement-level triggers with transition tables for inserts and deletes (a
/// multi-row insert of the seeds marks its sessions in one statement), row-level ones with a
/// `WHEN` for updates (an update that changes no figure marks nothing).
const PG_TRIGGERS: &str = "\
CREATE OR REPLACE FUNCTION aggregate_mark_new_joins() RETURNS trigger LANGUAGE plpgsql AS $$ \
BEGIN INSERT INTO aggregate_dirty (session_id) SELECT DISTINCT session_id FROM new_rows \
  ON CONFLICT DO NOTHING; RETURN NULL; END $$; \
CREATE OR REPLACE FUNCTION aggregate_mark_old_joins() RETURNS trigger LANGUAGE plpgsql AS $$ \
BEGIN INSERT INTO aggregate_dirty (session_id) SELECT DISTINCT session_id FROM old_rows \
  ON CONFLICT DO NOTHING; RETURN NULL; END $$; \
CREATE OR REPLACE FUNCTION aggregate_mark_new_sessions() RETURNS trigger LANGUAGE plpgsql AS $$ \
BEGIN INSERT INTO aggregate_dirty (session_id) SELECT id FROM new_rows \
  ON CONFLICT DO NOTHING; RETURN NULL; END $$; \
CREATE OR REPLACE FUNCTION aggregate_mark_old_sessions() RETURNS trigger LANGUAGE plpgsql AS $$ \
BEGIN INSERT INTO aggregate_dirty (session_id) SELECT id FROM old_rows \
  ON CONFLICT DO NOTHING; RETURN NULL; END $$; \
CREATE OR REPLACE FUNCTION aggregate_mark_changed_join() RETURNS trigger LANGUAGE plpgsql AS $$ \
BEGIN INSERT INTO aggregate_dirty (session_id) VALUES (OLD.session_id), (NEW.session_id) \
  ON CONFLICT DO NOTHING; RETURN NULL; END $$; \
CREATE OR REPLACE FUNCTION aggregate_mark_changed_session() RETURNS trigger LANGUAGE plpgsql AS $$ \
BEGIN INSERT INTO aggregate_dirty (session_id) VALUES (OLD.id), (NEW.id) \
  ON CONFLICT DO NOTHING; RETURN NULL; END $$; \
CREATE OR REPLACE FUNCTION aggregate_mark_changed_meeting() RETURNS trigger LANGUAGE plpgsql AS $$ \
BEGIN INSERT INTO aggregate_dirty (session_id) SELECT id FROM meeting_session \
  WHERE meeting_id = NEW.id ON CONFLICT DO NOTHING; RETURN NULL; END $$; \
CREATE TRIGGER participant_aggregate_insert AFTER INSERT ON participant \
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION aggregate_mark_new_joins(); \
CREATE TRIGGER participant_aggregate_delete AFTER DELETE ON participant \
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION aggregate_mark_old_joins(); \
CREATE TRIGGER participant_aggregate_update AFTER UPDATE ON participant FOR EACH ROW \
  WHEN (OLD.session_id IS DISTINCT FROM NEW.session_id OR OLD.user_id IS DISTINCT FROM NEW.user_id \
    OR OLD.email IS DISTINCT FROM NEW.email OR OLD.name IS DISTINCT FROM NEW.name \
    OR OLD.duration_seconds IS DISTINCT FROM NEW.duration_seconds \
    OR OLD.join_time IS DISTINCT FROM NEW.join_time OR OLD.leave_time IS DISTINCT FROM NEW.leave_time) \
  EXECUTE FUNCTION aggregate_mark_changed_join(); \
CREATE TRIGGER meeting_session_aggregate_insert AFTER INSERT ON meeting_session \
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION aggregate_mark_new_sessions(); \
CREATE TRIGGER meeting_session_aggregate_delete AFTER DELETE ON meeting_session \
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION aggregate_mark_old_sessions(); \
CREATE TRIGGER meeting_session_aggregate_update AFTER UPDATE ON meeting_session FOR EACH ROW \
  WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.start_time IS DISTINCT FROM NEW.start_time \
    OR OLD.meeting_id IS DISTINCT FROM NEW.meeting_id OR OLD.account_id IS DISTINCT FROM NEW.account_id) \
  EXECUTE FUNCTION aggregate_mark_changed_session(); \
CREATE TRIGGER meeting_aggregate_update AFTER UPDATE ON meeting FOR EACH ROW \
  WHEN (OLD.host_id IS DISTINCT FROM NEW.host_id OR OLD.kind IS DISTINCT FROM NEW.kind) \
  EXECUTE FUNCTION aggregate_mark_changed_meeting()";

const TRIGGERS: [(&str, &str); 7] = [
    ("participant_aggregate_insert", "participant"),
    ("participant_aggregate_delete", "participant"),
    ("participant_aggregate_update", "participant"),
    ("meeting_session_aggregate_insert", "meeting_session"),
    ("meeting_session_aggregate_delete", "meeting_session"),
    ("meeting_session_aggregate_update", "meeting_session"),
    ("meeting_aggregate_update", "meeting"),
];

const PG_FUNCTIONS: [&str; 7] = [
    "aggregate_mark_new_joins",
    "aggregate_mark_old_joins",
    "aggregate_mark_new_sessions",
    "aggregate_mark_old_sessions",
    "aggregate_mark_changed_join",
    "aggregate_mark_changed_session",
    "aggregate_mark_changed_meeting",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in tables() {
            manager.create_table(t).await?;
        }
        for i in indexes() {
            manager.create_index(i).await?;
        }
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        db.execute_unprepared(&format!(
            "INSERT INTO session_stat ({STAT_COLUMNS}) {}",
            fresh_sessions("1 = 1")
        ))
        .await?;
        db.execute_unprepared(
            "INSERT INTO usage_bucket (account_id, bucket, sessions, participants, meeting_minutes) \
             SELECT account_id, bucket, COUNT(*), SUM(participants), SUM(meeting_minutes) \
             FROM session_stat WHERE open_joins = 0 GROUP BY account_id, bucket",
        )
        .await?;
        match backend {
            DbBackend::Postgres => db.execute_unprepared(PG_TRIGGERS).await?,
            _ => {
                db.execute_unprepared(SQLITE_TRIGGERS).await?;
                db.execute_unprepared("ANALYZE session_stat; ANALYZE usage_bucket")
                    .await?
            }
        };
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        for (name, table) in TRIGGERS {
            let on = if postgres {
                format!(" ON {table}")
            } else {
                String::new()
            };
            db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name}{on}"))
                .await?;
        }
        if postgres {
            for f in PG_FUNCTIONS {
                db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {f}()"))
                    .await?;
            }
        }
        for t in tables().into_iter().rev() {
            let name = t
                .get_table_name()
                .cloned()
                .ok_or_else(|| DbErr::Migration("table without a name".into()))?;
            manager
                .drop_table(Table::drop().table(name).if_exists().take())
                .await?;
        }
        Ok(())
    }
}
