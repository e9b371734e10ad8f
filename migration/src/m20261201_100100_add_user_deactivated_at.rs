//! A user deactivated or deleted on the platform keeps their rows and their history in the
//! reports: the user is marked, never deleted (deleting would cascade to their sign-ins and
//! meetings). NULL: active.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("app_user"))
                    .add_column(
                        ColumnDef::new(Alias::new("deactivated_at"))
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("app_user"))
                    .drop_column(Alias::new("deactivated_at"))
                    .to_owned(),
            )
            .await
    }
}
