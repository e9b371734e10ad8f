//! The one typed configuration: command line flags, each with an environment variable.

use std::net::SocketAddr;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::auth::Plan;

#[derive(Debug, Parser)]
#[command(
    name = "meeting-reports",
    version,
    about = "A GraphQL reporting gateway for a video-meeting platform"
)]
pub struct Cli {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Server and report settings: accepted before or after any subcommand, so
    /// `meeting-reports --bind ..` serves like `meeting-reports serve --bind ..`.
    #[command(flatten)]
    pub server: ServeArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Database URL (`sqlite://file.db?mode=rwc` or `postgres://user@host/db`). Default: the
    /// embedded SQLite file `meeting-reports.db`, which is filled with demo data when empty.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Secret that signs bearer tokens (HS256). When unset, one is generated once and kept in
    /// the database, so `serve` and `token` agree.
    #[arg(long, env = "JWT_SECRET", global = true, hide_env_values = true)]
    pub jwt_secret: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the GraphQL API and the playground (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Load generated data.
    Seed(SeedArgs),
    /// Print a bearer token for a user.
    Token(TokenArgs),
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Delete the meetings that never started within the expiry period, with their reports
    /// (the server also does it at start and hourly).
    Prune,
    /// Create, change or list accounts (an organisation of the platform, with its owner).
    #[command(subcommand)]
    Account(AccountCommand),
    /// List or replay the platform's stored webhook events (the event store and dead letter).
    #[command(subcommand)]
    Events(EventsCommand),
    /// Import the platform's events from NDJSON (one webhook envelope per line, no signature):
    /// backfills and moves between instances; resumable, bad lines kept with their number.
    Import(ImportArgs),
    /// Write an account's data as the same NDJSON envelopes `import` reads (to move it to
    /// another instance: `account add` there with the same platform id, then `import`).
    ExportEvents(ExportEventsArgs),
    /// Run a report (a GraphQL query whose root field is a connection) as a user and write
    /// every page of it as CSV or NDJSON, with that user's guards and the report's rules.
    Export(ExportArgs),
    /// Recompute or check the aggregates the usage reports read (session figures, 15-minute
    /// usage buckets); every write keeps them exact, these are for after a manual fix.
    #[command(subcommand)]
    Aggregates(AggregatesCommand),
}

#[derive(Debug, Clone, Subcommand)]
pub enum AggregatesCommand {
    /// Recompute them from the raw rows, in one transaction.
    Rebuild(AggregatesArgs),
    /// Compare them with a fresh computation; exits non-zero on any difference.
    Verify(AggregatesArgs),
}

#[derive(Debug, Clone, Args)]
pub struct AggregatesArgs {
    /// Only this account: its domain or its platform id (`meeting-reports account list`);
    /// every account when not given.
    #[arg(long)]
    pub account: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ExportEventsArgs {
    /// The account's platform id (`meeting-reports account list`).
    #[arg(long)]
    pub account: String,
    /// The file to write; standard output when not given.
    #[arg(short = 'o', long)]
    pub output: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The user the report runs as (their role and account decide what it may read).
    #[arg(long = "as", value_name = "EMAIL")]
    pub as_user: String,
    /// The file holding the GraphQL document, or `-` for standard input.
    #[arg(long, value_name = "FILE")]
    pub query: String,
    /// A variable of the document, `name=value`; the value is read as JSON when it is JSON
    /// (`first=50`, `hostId="12"`), else as a string (`from=2026-11-01`). Repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// The operation to run, when the document holds several.
    #[arg(long)]
    pub operation_name: Option<String>,
    /// `csv` or `ndjson`.
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// The file to write (written beside it first, renamed once complete); standard output
    /// when not given.
    #[arg(short = 'o', long)]
    pub output: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The NDJSON file, or `-` for standard input.
    pub input: String,
}

#[derive(Debug, Clone, Subcommand)]
pub enum EventsCommand {
    /// Print stored events, newest first, with their status and why a failed one failed.
    List(EventsListArgs),
    /// Apply the FAILED events again, oldest first (e.g. after `account add`); applied ones
    /// are left alone, so running it twice changes nothing.
    Replay,
}

#[derive(Debug, Clone, Args)]
pub struct EventsListArgs {
    /// Only the events with this status.
    #[arg(long, value_enum)]
    pub status: Option<EventStatus>,
    /// At most this many events.
    #[arg(long, default_value_t = 50)]
    pub limit: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventStatus {
    /// Applied to the report tables.
    Applied,
    /// Kept, not applied (the reason says why); `events replay` tries again.
    Failed,
}

impl EventStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Applied => crate::ingest::events::APPLIED,
            EventStatus::Failed => crate::ingest::events::FAILED,
        }
    }
}

#[derive(Debug, Clone, Subcommand)]
pub enum AccountCommand {
    /// Create an account and its owner user (`meeting-reports token OWNER_EMAIL` then works).
    Add(AccountAddArgs),
    /// Change an account's settings; what is not given stays as it is.
    Set(AccountSetArgs),
    /// Print every account with its platform id.
    List,
}

#[derive(Debug, Clone, Args)]
pub struct AccountAddArgs {
    /// The platform's account id: webhook events name the account by it (`payload.account_id`).
    #[arg(long)]
    pub platform_id: String,
    /// The organisation's name.
    #[arg(long)]
    pub name: String,
    /// The plan: BASIC (no reports), PRO, BUSINESS, ENTERPRISE, EDUCATION or API.
    #[arg(long, value_parser = parse_plan)]
    pub plan: Plan,
    /// IANA time zone that report days are cut in, e.g. Europe/Paris.
    #[arg(long, value_parser = parse_zone)]
    pub time_zone: Tz,
    /// The owner's email; its domain becomes the account's.
    #[arg(long)]
    pub owner_email: String,
    /// The owner's first and last name (default: from the email, `jane.doe@` -> Jane Doe).
    #[arg(long, num_args = 2, value_names = ["FIRST", "LAST"])]
    pub owner_name: Option<Vec<String>>,
    /// Billing reports enabled (the platform's support enables them per account).
    #[arg(long)]
    pub billing_reports: bool,
    /// The account has the webinar add-on.
    #[arg(long)]
    pub webinar_addon: bool,
}

#[derive(Debug, Clone, Args)]
pub struct AccountSetArgs {
    /// The platform's account id of the account to change.
    #[arg(long)]
    pub platform_id: String,
    /// A new name.
    #[arg(long)]
    pub name: Option<String>,
    /// A new plan.
    #[arg(long, value_parser = parse_plan)]
    pub plan: Option<Plan>,
    /// A new time zone (IANA).
    #[arg(long, value_parser = parse_zone)]
    pub time_zone: Option<Tz>,
    /// Billing reports on or off.
    #[arg(long)]
    pub billing_reports: Option<bool>,
    /// The webinar add-on on or off.
    #[arg(long)]
    pub webinar_addon: Option<bool>,
    /// The phone system plan's name (the Phone System report shows it); `none` for no plan,
    /// which empties that report.
    #[arg(long)]
    pub phone_plan: Option<String>,
    /// The plan's cloud recording storage in bytes (the Cloud Recording report's allowance).
    #[arg(long)]
    pub cloud_storage_bytes: Option<i64>,
}

fn parse_plan(s: &str) -> Result<Plan, String> {
    Plan::parse(&s.to_uppercase()).ok_or_else(|| {
        format!("`{s}` is not a plan: BASIC, PRO, BUSINESS, ENTERPRISE, EDUCATION or API")
    })
}

fn parse_zone(s: &str) -> Result<Tz, String> {
    s.parse::<Tz>()
        .map_err(|_| format!("`{s}` is not an IANA time zone such as Europe/Paris"))
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:8000", global = true)]
    pub bind: SocketAddr,
    /// The platform app's webhook secret token, which signs its events (`POST /webhooks/zoom`).
    /// Several, comma-separated, are all accepted while one is rotated. Unset: the endpoint
    /// answers 404.
    #[arg(
        long,
        env = "ZOOM_WEBHOOK_SECRET",
        global = true,
        hide_env_values = true
    )]
    pub zoom_webhook_secret: Option<String>,
    /// Run only the documents of this allow-list file (a JSON object of SHA-256 → document,
    /// or an Apollo persisted query manifest); any other document is refused `FORBIDDEN`.
    /// Without it, any document runs and automatic persisted queries learn hashes.
    #[arg(long, env = "TRUSTED_DOCUMENTS", global = true, value_name = "FILE")]
    pub trusted_documents: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub limits: ReportSettings,
}

impl Default for ServeArgs {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8000)),
            zoom_webhook_secret: None,
            trusted_documents: None,
            limits: ReportSettings::default(),
        }
    }
}

/// Rules and limits of the reports, shared by every request (schema data).
#[derive(Debug, Clone, Args)]
pub struct ReportSettings {
    /// How far back reports reach, in calendar months (the portal: 12).
    #[arg(long, env = "HISTORY_MONTHS", default_value_t = 12, global = true)]
    pub history_months: u32,
    /// The longest range one search may cover, in calendar months (the portal: 1).
    #[arg(long, env = "MAX_RANGE_MONTHS", default_value_t = 1, global = true)]
    pub max_range_months: u32,
    /// The highest query cost accepted; a connection's cost is its `first` times its children's.
    #[arg(long, env = "MAX_COMPLEXITY", default_value_t = 250_000, global = true)]
    pub max_complexity: usize,
    /// The deepest query accepted.
    #[arg(long, env = "MAX_DEPTH", default_value_t = 15, global = true)]
    pub max_depth: usize,
    /// Seconds a request may run before it is cut off.
    #[arg(
        long,
        env = "REQUEST_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub request_timeout_secs: u64,
    /// Days after its scheduled time a meeting that never started is deleted with its reports
    /// (the portal: 30).
    #[arg(long, env = "EXPIRY_DAYS", default_value_t = 30, global = true)]
    pub expiry_days: u32,
    /// Pretend the current time is this (RFC 3339): for demos and tests on fixed data.
    #[arg(long, env = "FIXED_NOW", global = true)]
    pub fixed_now: Option<DateTime<Utc>>,
}

impl Default for ReportSettings {
    fn default() -> Self {
        Self {
            history_months: 12,
            max_range_months: 1,
            max_complexity: 250_000,
            max_depth: 15,
            request_timeout_secs: 30,
            expiry_days: 30,
            fixed_now: None,
        }
    }
}

impl ReportSettings {
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed_now.unwrap_or_else(Utc::now)
    }

    /// The range rules of a request made now.
    pub fn range_rules(&self) -> reports::range::RangeRules {
        reports::range::RangeRules {
            history_months: self.history_months,
            max_range_months: self.max_range_months,
            now: self.now(),
        }
    }

    pub fn expiry(&self) -> chrono::Duration {
        chrono::Duration::days(i64::from(self.expiry_days))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeedProfile {
    /// Three accounts with twelve months of realistic activity.
    Demo,
    /// Benchmark data of any size: Bench Corp with `--users` users (about 100 sessions and
    /// 1,000 participant rows per user and year) and a small second account.
    Bench,
}

/// Loads generated data into an empty database (the migrations are applied first).
#[derive(Debug, Clone, Args)]
pub struct SeedArgs {
    /// Which data set: `demo` (small, hand-shaped) or `bench` (sized by `--users`).
    #[arg(value_enum, default_value = "demo")]
    pub profile: SeedProfile,
    /// The data's "now" (RFC 3339, e.g. 2026-11-28T10:00:00Z; default: the current time).
    /// Activity lies in the months before it.
    #[arg(long)]
    pub now: Option<DateTime<Utc>>,
    /// Seed of the generator: the same arguments give the same rows.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// `bench` only: users of Bench Corp. 1000 gives about 100k sessions and 1M participant
    /// rows a year; 10000 about 1M and 10M.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub users: u32,
    /// `bench` only: months of activity before `--now` (1 to 120).
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=120))]
    pub months: u32,
}

#[derive(Debug, Clone, Args)]
pub struct TokenArgs {
    /// The user's email.
    pub email: String,
    /// How long the token is valid: `90s`, `15m`, `12h`, `30d`.
    #[arg(long, default_value = "30d")]
    pub ttl: String,
}
