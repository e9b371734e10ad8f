//! Connecting to the database, migrating it, and keeping the planner's statistics current
//! (`statistics.rs`). The per-request SQL runner that counts statements is [`Sql`], below the
//! GraphQL layer in the `reports` crate.

mod statistics;

use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

pub use reports::sql::{statement, Sql};
pub(crate) use statistics::quoted;
pub use statistics::{
    analyze, keep_statistics_current, refresh_statistics, StatisticsKeeper, STATISTICS_EVERY,
};

/// The embedded default: a SQLite file in the working directory, created when missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://meeting-reports.db?mode=rwc";

/// Opens a pool on `url` and runs the migrations.
///
/// The migrations run on a connection of their own, closed before the pool opens. A SQLite
/// connection plans with the statistics it loaded with the schema: a pool connection that
/// learned of an index a migration created before the migration analyzed it would plan with
/// that index unanalyzed (and the `(account_id, leave_time)` index then looks selective: a
/// meeting's join rows were read through the whole account). An in-memory database lives in
/// its one connection, so it migrates in place. Statistics that change later reach the pool's
/// connections through [`refresh_statistics`] and [`analyze`].
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let in_memory = url.contains(":memory:");
    if !in_memory {
        let migrator = Database::connect(options(url, 1)).await?;
        migrate(&migrator).await?;
        migrator.close().await?;
    }
    let size = match url.starts_with("sqlite:") {
        // SQLite allows one writer; WAL lets readers run beside it. An in-memory database lives
        // in one connection, so a pool of one keeps every request on the same data.
        true if in_memory => 1,
        true => 8,
        false => 16,
    };
    let db = Database::connect(options(url, size)).await?;
    if in_memory {
        migrate(&db).await?;
    }
    Ok(db)
}

fn options(url: &str, size: u32) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
    // Every statement with its time at debug (`RUST_LOG=sqlx::query=debug`): off, as every
    // target below `info` is, unless asked for; asking costs nothing when not.
    options
        .sqlx_logging(true)
        .sqlx_logging_level(log::LevelFilter::Debug)
        .max_connections(size);
    if url.starts_with("sqlite:") {
        if url.contains(":memory:") {
            options.min_connections(1);
        }
        options.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(std::time::Duration::from_secs(10))
                .foreign_keys(true)
        });
    }
    options
}

/// Applies every pending migration, then settles what they listed: a migration that adds an
/// aggregate lists the rows already there (`m20261207_100000_webinar_aggregates` lists its
/// meetings), and they are computed here by the same statements every writer commits with
/// ([`reports::aggregates::settle`]). One statement when nothing is listed.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    use migration::MigratorTrait;
    use sea_orm::TransactionTrait;
    migration::Migrator::up(db, None).await?;
    let tx = db.begin().await?;
    reports::aggregates::settle(&tx).await?;
    tx.commit().await
}
