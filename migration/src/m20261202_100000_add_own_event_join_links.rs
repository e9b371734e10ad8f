//! Poll answers and telephone legs fed by our own event types (`gateway.poll_results`,
//! `gateway.telephone_leg`) name the join row they belong to by the platform's per-join id
//! (`participant.user_id`), which is unique only within one occurrence. The row keeps that id
//! (`participant_join_id`) and a poll keeps the occurrence it ran in (`session_id`), so the
//! link to the participant (`participant_id`) is made whichever of the two arrives first: by
//! the poll or leg when the join row exists, else by the join row when it arrives.
//!
//! `poll.session_id` has no foreign key: SQLite cannot add one to an existing table. A session
//! is only ever deleted with its meeting, whose deletion removes the poll too.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn col(name: &str) -> Alias {
    Alias::new(name)
}

/// (table, column, string column?)
const COLUMNS: [(&str, &str, bool); 3] = [
    ("poll", "session_id", false),
    ("poll_response", "participant_join_id", true),
    ("telephone_call", "participant_join_id", true),
];

const POLL_SESSION_INDEX: &str = "ix_poll_session";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One statement per column: SQLite alters one column at a time.
        for (table, column, text) in COLUMNS {
            let mut def = ColumnDef::new(col(column));
            if text {
                def.string();
            } else {
                def.big_integer();
            }
            manager
                .alter_table(
                    Table::alter()
                        .table(col(table))
                        .add_column(def.null())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name(POLL_SESSION_INDEX)
                    .table(col("poll"))
                    .col(col("session_id"))
                    .if_not_exists()
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(POLL_SESSION_INDEX)
                    .table(col("poll"))
                    .to_owned(),
            )
            .await?;
        for (table, column, _) in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(col(table))
                        .drop_column(col(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
