//! The subcommands: serve (the default), migrate, seed, token, schema, prune, account, events,
//! import, export-events, export, aggregates.

mod account;
mod aggregates;
mod events;
mod export;
mod serve;

use std::process::ExitCode;

use chrono::Utc;
use sea_orm::{DatabaseConnection, FromQueryResult, Value};

use crate::{
    auth::{issue_token, load_or_create_secret, parse_ttl, JwtKeys},
    config::{Cli, Command, DatabaseArgs, ReportSettings, SeedProfile},
    db::{self, Sql},
};

/// The demo users whose tokens `serve` prints on the default database.
pub const DEMO_USERS: &[&str] = &[
    "owner@demo.example",
    "admin@demo.example",
    "member@demo.example",
    "analyst@demo.example",
    "auditor@demo.example",
    "billing@demo.example",
    "owner@other.example",
    "owner@free.example",
];

pub async fn run(cli: Cli) -> ExitCode {
    init_tracing();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve::serve(&cli.database, cli.server).await,
        Command::Migrate => open(&cli.database)
            .await
            .map(|_| println!("migrations applied")),
        Command::Seed(args) => seed(&cli.database, args).await,
        Command::Token(args) => token(&cli.database, &args.email, &args.ttl).await,
        Command::Prune => prune(&cli.database, &cli.server.limits).await,
        Command::Account(command) => match open(&cli.database).await {
            Ok(db) => account::run(&db, command).await,
            Err(e) => Err(e),
        },
        Command::Events(command) => match open(&cli.database).await {
            Ok(db) => events::run(&db, command).await,
            Err(e) => Err(e),
        },
        Command::Import(args) => match open(&cli.database).await {
            Ok(db) => events::import(&db, &args.input).await,
            Err(e) => Err(e),
        },
        Command::ExportEvents(args) => match open(&cli.database).await {
            Ok(db) => events::export(&db, &args).await,
            Err(e) => Err(e),
        },
        Command::Export(args) => match open(&cli.database).await {
            Ok(db) => export::run(&db, &cli.server.limits, &args).await,
            Err(e) => Err(e),
        },
        Command::Aggregates(command) => match open(&cli.database).await {
            Ok(db) => aggregates::run(&db, command).await,
            Err(e) => Err(e),
        },
        Command::Schema => {
            print!("{}", crate::build_schema(ReportSettings::default()).sdl());
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    // Logs go to stderr: stdout carries what a command prints for scripts (`TOKEN=$(.. token ..)`,
    // `events list`, the import's summary). A second init (tests calling `run` twice) is
    // harmless: keep the first.
    let format = std::env::var("LOG_FORMAT").unwrap_or_default();
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // `LOG_FORMAT=json`: one JSON object a line, an event's fields at its top level, for a log
    // collector; anything else is the human format.
    let _ = match format.as_str() {
        "json" => logs.json().flatten_event(true).try_init(),
        _ => logs.try_init(),
    };
    if !format.is_empty() && format != "json" {
        tracing::warn!(LOG_FORMAT = %format, "unknown LOG_FORMAT (`json` or unset): human format");
    }
}

fn database_url(args: &DatabaseArgs) -> &str {
    args.database_url
        .as_deref()
        .unwrap_or(db::DEFAULT_DATABASE_URL)
}

async fn open(args: &DatabaseArgs) -> Result<DatabaseConnection, String> {
    db::connect(database_url(args))
        .await
        .map_err(|e| format!("cannot open the database: {e}"))
}

async fn keys(db: &DatabaseConnection, args: &DatabaseArgs) -> Result<JwtKeys, String> {
    let secret = load_or_create_secret(db, args.jwt_secret.as_deref())
        .await
        .map_err(|e| format!("cannot read the token secret: {e}"))?;
    Ok(JwtKeys::new(&secret))
}

async fn seed(args: &DatabaseArgs, seed: crate::config::SeedArgs) -> Result<(), String> {
    let db = open(args).await?;
    let now = seed.now.unwrap_or_else(Utc::now);
    match seed.profile {
        SeedProfile::Demo => {
            if !crate::seed::is_empty(&db)
                .await
                .map_err(|e| e.to_string())?
            {
                return Err("the database already holds accounts: seed an empty database".into());
            }
            let summary = crate::seed::seed_demo(&db, now, seed.seed)
                .await
                .map_err(|e| format!("seeding failed: {e}"))?;
            println!("{summary:#?}");
        }
        SeedProfile::Bench => {
            let summary =
                crate::seed::seed_bench(&db, now, seed.seed, seed.users, seed.months, true)
                    .await
                    .map_err(|e| format!("seeding failed: {e}"))?;
            println!("{summary:#?}");
        }
    }
    Ok(())
}

async fn prune(args: &DatabaseArgs, limits: &ReportSettings) -> Result<(), String> {
    let db = open(args).await?;
    let deleted = reports::expiry::prune_expired(&db, limits.now(), limits.expiry())
        .await
        .map_err(|e| format!("prune failed: {e}"))?;
    println!("deleted {deleted} expired meeting(s)");
    Ok(())
}

async fn token(args: &DatabaseArgs, email: &str, ttl: &str) -> Result<(), String> {
    let ttl = parse_ttl(ttl)
        .ok_or_else(|| format!("`{ttl}` is not a duration like 90s, 15m, 12h, 30d"))?;
    let db = open(args).await?;
    let keys = keys(&db, args).await?;
    match token_for(&db, &keys, email, ttl).await? {
        Some(token) => {
            println!("{token}");
            Ok(())
        }
        None => Err(format!("no user with email {email}")),
    }
}

/// A token for the user with this email, if there is one.
pub(crate) async fn token_for(
    db: &DatabaseConnection,
    keys: &JwtKeys,
    email: &str,
    ttl: chrono::Duration,
) -> Result<Option<String>, String> {
    #[derive(FromQueryResult)]
    struct U {
        id: i64,
        account_id: i64,
    }
    let user: Option<U> = Sql::new(db.clone())
        .one(
            "SELECT id, account_id FROM app_user WHERE LOWER(email) = LOWER(?)",
            vec![Value::from(email)],
        )
        .await
        .map_err(|e| e.to_string())?;
    let Some(user) = user else { return Ok(None) };
    issue_token(keys, user.id, user.account_id, email, Utc::now(), ttl)
        .map(Some)
        .map_err(|e| format!("cannot sign a token: {e}"))
}
