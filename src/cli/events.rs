//! `meeting-reports events list | replay` and `meeting-reports import FILE|-`.

use chrono::Utc;
use sea_orm::DatabaseConnection;

use std::io::{BufRead, BufReader, Write};

use crate::{
    config::{EventsCommand, ExportEventsArgs},
    ingest::{
        events::{list_events, replay_failed},
        export::export_events,
        import::{import as import_events, ImportSummary},
    },
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

/// `import FILE|-`: progress on stderr (events and events/s), a summary and the bad lines at
/// the end. Bad lines do not stop the import, and do not fail it: they are in the dead letter.
pub async fn import(db: &DatabaseConnection, input: &str) -> Result<(), String> {
    let reader: Box<dyn BufRead> = if input == "-" {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        let file = std::fs::File::open(input).map_err(|e| format!("cannot open {input}: {e}"))?;
        Box::new(BufReader::new(file))
    };
    let show = |s: &ImportSummary, elapsed: std::time::Duration| {
        let rate = s.events() as f64 / elapsed.as_secs_f64().max(0.001);
        eprint!(
            "\r{} events ({} applied, {} failed, {} already stored), {} bad line(s), {:.0} events/s ",
            s.events(),
            s.applied,
            s.failed,
            s.duplicates,
            s.bad_lines.len(),
            rate
        );
        let _ = std::io::stderr().flush();
    };
    let summary = import_events(db, reader, Utc::now(), show)
        .await
        .map_err(|e| e.message())?;
    eprintln!();
    for (line, reason) in summary.bad_lines.iter().take(20) {
        eprintln!("line {line}: {reason}");
    }
    if summary.bad_lines.len() > 20 {
        eprintln!(
            "... and {} more bad line(s): `events list --status failed`",
            summary.bad_lines.len() - 20
        );
    }
    println!(
        "imported {} line(s): {} applied, {} failed (`events list --status failed`), {} already stored, {} bad",
        summary.lines,
        summary.applied,
        summary.failed,
        summary.duplicates,
        summary.bad_lines.len()
    );
    Ok(())
}

/// `meeting-reports export-events --account ID [-o FILE]`.
pub async fn export(db: &DatabaseConnection, args: &ExportEventsArgs) -> Result<(), String> {
    let started = std::time::Instant::now();
    let summary = match &args.output {
        Some(path) => {
            let file =
                std::fs::File::create(path).map_err(|e| format!("cannot write {path}: {e}"))?;
            let mut out = std::io::BufWriter::new(file);
            export_events(db, &args.account, &mut out).await
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            export_events(db, &args.account, &mut out).await
        }
    }
    .map_err(|e| e.message())?;
    eprintln!(
        "export-events: {} events of account {} in {:.1} s",
        summary.events,
        args.account,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
