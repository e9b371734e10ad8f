//! The attendance aggregate (`m20261205_200000_attendee_aggregates`) also keeps what an
//! attendee row of a page shows besides its figures: the id of their first join (by join time,
//! then id: its name is the attendee's), the first email any of their joins carried, and the
//! most prominent role of their joins (host, then panelist, then attendee, else the first
//! join's). A page without intervals read these per attendee from the join rows, six lookups
//! through the `(meeting_id, person key)` index each (about 100 ms of the 110 ms that 100
//! meetings' attendee pages took on PostgreSQL at 1k users); it now reads one join row by its
//! key.
//!
//! A join's role now lists its (meeting, person) when it changes, as its other columns did.
//! The rows already there are listed for `reports::aggregates::settle`, which `db::migrate`
//! runs after the migrations.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

// The same person key as the triggers and the index of the attendee aggregate.
use crate::m20261205_200000_attendee_aggregates::person_key;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn col(name: &str) -> Alias {
    Alias::new(name)
}

/// The columns whose change lists a join's (meeting, person): `role` joins the earlier ones
/// when `with_role`.
fn watched(with_role: bool) -> Vec<&'static str> {
    let mut columns = vec![
        "meeting_id",
        "user_id",
        "email",
        "name",
        "duration_seconds",
        "join_time",
        "leave_time",
    ];
    if with_role {
        columns.push("role");
    }
    columns
}

fn update_trigger(backend: DbBackend, with_role: bool) -> String {
    let (new, old) = (person_key("NEW."), person_key("OLD."));
    match backend {
        DbBackend::Postgres => {
            let changed: Vec<String> = (watched(with_role).iter())
                .map(|c| format!("OLD.{c} IS DISTINCT FROM NEW.{c}"))
                .collect();
            format!(
                "DROP TRIGGER IF EXISTS participant_attendee_update ON participant; \
                 CREATE TRIGGER participant_attendee_update AFTER UPDATE ON participant FOR EACH ROW \
                   WHEN ({}) EXECUTE FUNCTION attendee_mark_changed()",
                changed.join(" OR ")
            )
        }
        _ => {
            let changed: Vec<String> = (watched(with_role).iter())
                .map(|c| format!("OLD.{c} IS NOT NEW.{c}"))
                .collect();
            format!(
                "DROP TRIGGER IF EXISTS participant_attendee_update; \
                 CREATE TRIGGER participant_attendee_update AFTER UPDATE ON participant \
                   WHEN {} BEGIN \
                   INSERT OR IGNORE INTO attendee_dirty (meeting_id, person_key) VALUES (OLD.meeting_id, {old}); \
                   INSERT OR IGNORE INTO attendee_dirty (meeting_id, person_key) VALUES (NEW.meeting_id, {new}); END",
                changed.join(" OR ")
            )
        }
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's `ALTER TABLE` adds one at a time. The defaults
        // stand only until the rows listed below settle.
        for column in [
            ColumnDef::new(col("first_join_id"))
                .big_integer()
                .not_null()
                .default(0)
                .take(),
            ColumnDef::new(col("email")).string().null().take(),
            ColumnDef::new(col("role"))
                .string()
                .not_null()
                .default("")
                .take(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(col("attendee_stat"))
                        .add_column(column)
                        .take(),
                )
                .await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared(&update_trigger(manager.get_database_backend(), true))
            .await?;
        // (`WHERE`: without one, SQLite would read the `ON` as a join's.)
        db.execute_unprepared(
            "INSERT INTO attendee_dirty (meeting_id, person_key) \
             SELECT meeting_id, person_key FROM attendee_stat WHERE 1 = 1 ON CONFLICT DO NOTHING",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(&update_trigger(manager.get_database_backend(), false))
            .await?;
        for column in ["first_join_id", "email", "role"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(col("attendee_stat"))
                        .drop_column(col(column))
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}
