//! The attendance aggregate: per meeting and person (join rows merged as the Meeting report's
//! attendees merge them: the user when signed in, else the email, else the name), their first
//! join, last leave (NULL while a join is still in), the seconds of their joins that have left,
//! the joins still in, and their number of joins. A meeting's attendee page reads its
//! `first + 1` people through `(meeting_id, first_join_time, person_key)` and joins their rows
//! back through an index on `(meeting_id, <person key>)`, instead of grouping every join row of
//! the meeting (a recurring meeting carries a year of them).
//!
//! As for the session figures (`m20261205_100000_session_aggregates`), triggers on
//! `participant` list each (meeting, person) a statement changed in `attendee_dirty`, and
//! `reports::aggregates::settle` recomputes them before the writer commits. The rows already
//! there are computed here.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn col(name: &str) -> Alias {
    Alias::new(name)
}

/// The person a join row is, over the row's own columns (prefix `NEW.`, `OLD.`, `p.` or none).
pub(crate) fn person_key(row: &str) -> String {
    format!(
        "CASE WHEN {row}user_id IS NOT NULL THEN 'u' || CAST({row}user_id AS TEXT) \
         WHEN {row}email IS NOT NULL AND {row}email <> '' THEN 'e' || LOWER({row}email) \
         ELSE 'n' || {row}name END"
    )
}

fn tables() -> Vec<TableCreateStatement> {
    vec![
        Table::create()
            .table(col("attendee_stat"))
            .if_not_exists()
            .col(big_pk_auto(col("id")))
            .col(big_integer(col("account_id")))
            .col(big_integer(col("meeting_id")))
            .col(string(col("person_key")))
            .col(timestamp_with_time_zone(col("first_join_time")))
            .col(timestamp_with_time_zone_null(col("last_leave_time")))
            .col(big_integer(col("closed_seconds")))
            .col(big_integer(col("open_joins")))
            .col(big_integer(col("joins")))
            .foreign_key(
                ForeignKey::create()
                    .name("fk_attendee_stat_account_id")
                    .from(col("attendee_stat"), col("account_id"))
                    .to(col("account"), col("id"))
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .take(),
        Table::create()
            .table(col("attendee_dirty"))
            .if_not_exists()
            .col(big_integer(col("meeting_id")))
            .col(string(col("person_key")))
            .primary_key(
                Index::create()
                    .col(col("meeting_id"))
                    .col(col("person_key")),
            )
            .take(),
    ]
}

const STAT_COLUMNS: &str = "account_id, meeting_id, person_key, first_join_time, \
     last_leave_time, closed_seconds, open_joins, joins";

fn fresh_attendees() -> String {
    let key = person_key("p.");
    format!(
        "SELECT p.account_id, p.meeting_id, {key} AS person_key, MIN(p.join_time), \
         CASE WHEN COUNT(p.leave_time) < COUNT(*) THEN NULL ELSE MAX(p.leave_time) END, \
         CAST(COALESCE(SUM(p.duration_seconds), 0) AS BIGINT), \
         COUNT(*) - COUNT(p.duration_seconds), COUNT(*) \
         FROM participant p GROUP BY p.account_id, p.meeting_id, {key}"
    )
}

fn sqlite_triggers() -> String {
    let (new, old) = (person_key("NEW."), person_key("OLD."));
    format!(
        "CREATE TRIGGER participant_attendee_insert AFTER INSERT ON participant BEGIN \
           INSERT OR IGNORE INTO attendee_dirty (meeting_id, person_key) VALUES (NEW.meeting_id, {new}); END; \
         CREATE TRIGGER participant_attendee_delete AFTER DELETE ON participant BEGIN \
           INSERT OR IGNORE INTO attendee_dirty (meeting_id, person_key) VALUES (OLD.meeting_id, {old}); END; \
         CREATE TRIGGER participant_attendee_update AFTER UPDATE ON participant \
           WHEN OLD.meeting_id IS NOT NEW.meeting_id OR OLD.user_id IS NOT NEW.user_id \
             OR OLD.email IS NOT NEW.email OR OLD.name IS NOT NEW.name \
             OR OLD.duration_seconds IS NOT NEW.duration_seconds OR OLD.join_time IS NOT NEW.join_time \
             OR OLD.leave_time IS NOT NEW.leave_time BEGIN \
           INSERT OR IGNORE INTO attendee_dirty (meeting_id, person_key) VALUES (OLD.meeting_id, {old}); \
           INSERT OR IGNORE INTO attendee_dirty (meeting_id, person_key) VALUES (NEW.meeting_id, {new}); END"
    )
}

fn pg_triggers() -> String {
    let (rows, new, old) = (person_key("r."), person_key("NEW."), person_key("OLD."));
    format!(
        "CREATE OR REPLACE FUNCTION attendee_mark_new() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN INSERT INTO attendee_dirty (meeting_id, person_key) SELECT DISTINCT r.meeting_id, {rows} \
           FROM new_rows r ON CONFLICT DO NOTHING; RETURN NULL; END $$; \
         CREATE OR REPLACE FUNCTION attendee_mark_old() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN INSERT INTO attendee_dirty (meeting_id, person_key) SELECT DISTINCT r.meeting_id, {rows} \
           FROM old_rows r ON CONFLICT DO NOTHING; RETURN NULL; END $$; \
         CREATE OR REPLACE FUNCTION attendee_mark_changed() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN INSERT INTO attendee_dirty (meeting_id, person_key) \
           VALUES (OLD.meeting_id, {old}), (NEW.meeting_id, {new}) ON CONFLICT DO NOTHING; \
           RETURN NULL; END $$; \
         CREATE TRIGGER participant_attendee_insert AFTER INSERT ON participant \
           REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attendee_mark_new(); \
         CREATE TRIGGER participant_attendee_delete AFTER DELETE ON participant \
           REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attendee_mark_old(); \
         CREATE TRIGGER participant_attendee_update AFTER UPDATE ON participant FOR EACH ROW \
           WHEN (OLD.meeting_id IS DISTINCT FROM NEW.meeting_id OR OLD.user_id IS DISTINCT FROM NEW.user_id \
             OR OLD.email IS DISTINCT FROM NEW.email OR OLD.name IS DISTINCT FROM NEW.name \
             OR OLD.duration_seconds IS DISTINCT FROM NEW.duration_seconds \
             OR OLD.join_time IS DISTINCT FROM NEW.join_time OR OLD.leave_time IS DISTINCT FROM NEW.leave_time) \
           EXECUTE FUNCTION attendee_mark_changed()"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in tables() {
            manager.create_table(t).await?;
        }
        let db = manager.get_connection();
        // A meeting's page in order, and its count from the index alone.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ix_attendee_stat_meeting_order \
             ON attendee_stat (meeting_id, first_join_time, person_key)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ix_attendee_stat_meeting_person ON attendee_stat (meeting_id, person_key)",
        )
        .await?;
        // A person's join rows within a meeting (the page's intervals; `settle`).
        db.execute_unprepared(&format!(
            "CREATE INDEX ix_participant_meeting_person ON participant (meeting_id, ({}))",
            person_key("")
        ))
        .await?;
        db.execute_unprepared(&format!(
            "INSERT INTO attendee_stat ({STAT_COLUMNS}) {}",
            fresh_attendees()
        ))
        .await?;
        match manager.get_database_backend() {
            DbBackend::Postgres => db.execute_unprepared(&pg_triggers()).await?,
            _ => {
                db.execute_unprepared(&sqlite_triggers()).await?;
                db.execute_unprepared(
                    "ANALYZE attendee_stat; ANALYZE ix_participant_meeting_person",
                )
                .await?
            }
        };
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        for name in [
            "participant_attendee_insert",
            "participant_attendee_delete",
            "participant_attendee_update",
        ] {
            let on = if postgres { " ON participant" } else { "" };
            db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name}{on}"))
                .await?;
        }
        if postgres {
            for f in [
                "attendee_mark_new",
                "attendee_mark_old",
                "attendee_mark_changed",
            ] {
                db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {f}()"))
                    .await?;
            }
        }
        db.execute_unprepared("DROP INDEX IF EXISTS ix_participant_meeting_person")
            .await?;
        for t in ["attendee_dirty", "attendee_stat"] {
            manager
                .drop_table(Table::drop().table(col(t)).if_exists().take())
                .await?;
        }
        Ok(())
    }
}
