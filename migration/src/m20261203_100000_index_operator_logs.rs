//! A user's operation logs (`User.operationLogs`) are paged per operator, newest first: each
//! operator's page reads its `first + 1` rows through an index that leads with the operator
//! and the time, instead of every log of the account in the range. (A user's sign-ins have
//! had `(user_id, occurred_at)` from the start.)
//!
//! On SQLite the new index is analyzed at once, as the leave-time index is: an index without
//! statistics beside analyzed ones misleads the planner.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "ix_operation_log_operator_time";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Alias::new("operation_log"))
                    .col(Alias::new("operator_id"))
                    .col(Alias::new("occurred_at"))
                    .if_not_exists()
                    .take(),
            )
            .await?;
        if manager.get_database_backend() == sea_orm::DbBackend::Sqlite {
            manager
                .get_connection()
                .execute_unprepared(&format!("ANALYZE {NAME}"))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(NAME)
                    .table(Alias::new("operation_log"))
                    .to_owned(),
            )
            .await
    }
}
