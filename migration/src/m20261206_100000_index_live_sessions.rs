//! The live updates re-read an account's sessions in progress (a start, no end) after every
//! commit that changed its meeting data, once per subscriber. Through `(account_id,
//! start_time, ..)` that read every session the account ever had; a partial index of the
//! unended sessions holds only the few in progress (both SQLite and PostgreSQL have them).
//!
//! On SQLite the new index is analyzed at once, as in `m20261129_000001_index_participant_leave`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "ix_meeting_session_live";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "CREATE INDEX IF NOT EXISTS {NAME} ON meeting_session (account_id, start_time) \
             WHERE end_time IS NULL"
        ))
        .await?;
        if manager.get_database_backend() == sea_orm::DbBackend::Sqlite {
            db.execute_unprepared(&format!("ANALYZE {NAME}")).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(&format!("DROP INDEX IF EXISTS {NAME}"))
            .await?;
        Ok(())
    }
}
