//! `meeting-reports events list | replay`.

use chrono::Utc;
use sea_orm::DatabaseConnection;

use crate::{
    config::EventsCommand,
    ingest::events::{list_events, replay_failed},
};

pub async fn run(db: &DatabaseConnection, command: EventsCommand) -> Result<(), String> {
    let refused = |e: reports::Error| e.message();
    match command {
        EventsCommand::List(args) => {
            let status = args.status.map(|s| s.as_str());
            let events = list_events(db, status, args.limit).await.map_err(refused)?;
            println!(
                "{:>8}  {:<20} {:<32} {:<24} {:<8} REASON",
                "ID", "RECEIVED", "EVENT", "PLATFORM ACCOUNT", "STATUS"
            );
            for e in &events {
                println!(
                    "{:>8}  {:<20} {:<32} {:<24} {:<8} {}",
                    e.id,
                    e.received_at.format("%Y-%m-%d %H:%M:%S"),
                    e.event,
                    if e.platform_account_id.is_empty() {
                        "-"
                    } else {
                        &e.platform_account_id
                    },
                    e.status,
                    e.reason.as_deref().unwrap_or("")
                );
            }
            println!("{} event(s)", events.len());
        }
        EventsCommand::Replay => {
            let replayed = replay_failed(db, Utc::now()).await.map_err(refused)?;
            println!(
                "replayed: {} applied, {} still failed",
                replayed.applied, replayed.still_failed
            );
        }
    }
    Ok(())
}
