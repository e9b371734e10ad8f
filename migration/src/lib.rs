//! The database schema of meeting-reports, as sea-orm migrations.
//!
//! Each migration is self-contained (it names its tables and columns itself and never imports
//! the `entity` crate), so that a migration keeps meaning what it meant when it landed.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_create_reports_schema;
mod m20261129_000001_index_participant_leave;
mod m20261201_000001_add_account_platform_id;
mod m20261201_100000_create_ingest_event;
mod m20261201_100100_add_user_deactivated_at;
mod m20261201_200000_live_participants;
mod m20261202_100000_add_own_event_join_links;
mod m20261203_100000_index_operator_logs;
mod m20261204_100000_notify_viewer_changes;
mod m20261205_100000_session_aggregates;
mod m20261205_200000_attendee_aggregates;
mod m20261206_100000_index_live_sessions;
mod m20261207_100000_webinar_aggregates;
mod m20261208_100000_attendee_heads;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_create_reports_schema::Migration),
            Box::new(m20261129_000001_index_participant_leave::Migration),
            Box::new(m20261201_000001_add_account_platform_id::Migration),
            Box::new(m20261201_100000_create_ingest_event::Migration),
            Box::new(m20261201_100100_add_user_deactivated_at::Migration),
            Box::new(m20261201_200000_live_participants::Migration),
            Box::new(m20261202_100000_add_own_event_join_links::Migration),
            Box::new(m20261203_100000_index_operator_logs::Migration),
            Box::new(m20261204_100000_notify_viewer_changes::Migration),
            Box::new(m20261205_100000_session_aggregates::Migration),
            Box::new(m20261205_200000_attendee_aggregates::Migration),
            Box::new(m20261206_100000_index_live_sessions::Migration),
            Box::new(m20261207_100000_webinar_aggregates::Migration),
            Box::new(m20261208_100000_attendee_heads::Migration),
        ]
    }
}
