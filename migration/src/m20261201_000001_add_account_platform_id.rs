//! Accounts get the platform's account id (`payload.account_id` of its webhook events), so an
//! event finds its account and `meeting-reports account add` can create one without a seed.
//! Nullable: accounts made before it have none until `account set` gives them one; unique when
//! set (both databases let several rows hold NULL under a unique index).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "ux_account_platform_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("account"))
                    .add_column(ColumnDef::new(Alias::new("platform_id")).string().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Alias::new("account"))
                    .col(Alias::new("platform_id"))
                    .unique()
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(Alias::new("account"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("account"))
                    .drop_column(Alias::new("platform_id"))
                    .to_owned(),
            )
            .await
    }
}
