//! The event store of the webhook ingestion: every verified event the platform sent, kept with
//! whether it was applied to the report tables (`APPLIED`) or not (`FAILED`, with the reason),
//! so nothing is lost and `meeting-reports events replay` can apply the failed ones later.
//!
//! `identity` is unique: a retried delivery of the same event finds its row and changes
//! nothing. `account_id` is NULL while the platform's account (`platform_account_id`) is
//! unknown here. `object_id` is the platform id of the thing the event is about (meeting
//! number, user id, occurrence uuid): the events of one object are read back together to
//! derive its state whatever order they arrived in.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "ingest_event";

fn col(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(col(TABLE))
                    .if_not_exists()
                    .col(big_pk_auto(col("id")))
                    .col(big_integer_null(col("account_id")))
                    .col(string(col("platform_account_id")))
                    .col(string(col("event")))
                    // When the event occurred on the platform, in milliseconds since the epoch.
                    .col(big_integer(col("event_ts")))
                    .col(string_null(col("object_id")))
                    .col(string(col("identity")))
                    // APPLIED | FAILED
                    .col(string(col("status")))
                    .col(text_null(col("reason")))
                    .col(text(col("body")))
                    .col(timestamp_with_time_zone(col("received_at")))
                    .col(timestamp_with_time_zone_null(col("applied_at")))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ingest_event_account_id")
                            .from(col(TABLE), col("account_id"))
                            .to(col("account"), col("id"))
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            ("ux_ingest_event_identity", &["identity"][..], true),
            ("ix_ingest_event_status", &["status", "event_ts"][..], false),
            (
                "ix_ingest_event_object",
                &["platform_account_id", "object_id"][..],
                false,
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(col(TABLE));
            for c in columns {
                index.col(col(c));
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.take()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(col(TABLE)).to_owned())
            .await
    }
}
