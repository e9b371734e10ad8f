//! The demo data set: three accounts and twelve months of activity before `now`.
//!
//! - **Demo Corp** (`demo.example`, BUSINESS, Europe/Paris, billing reports enabled, webinars,
//!   phone system): `owner@`, `admin@`, `member@` (hosts meetings and webinars), `auditor@`
//!   (custom role "Auditor": user activity reports), `analyst@` ("Analyst": usage reports),
//!   `billing@` ("Billing admin": billing reports) and 21 colleagues (`first.last@`) who host a
//!   lot, a little, never, or only join.
//! - **Other Inc** (`other.example`, BUSINESS, America/New_York): the same kinds of data, to
//!   prove tenant isolation.
//! - **Free Co** (`free.example`, BASIC, UTC): a few 40-minute meetings, to prove plan gating.
//!
//! Edge cases placed on purpose: upcoming meetings and webinars (no session yet), recurring
//! meetings with no fixed time (no scheduled start, some never used), meetings scheduled more
//! than 30 days ago that never started (what the prune job deletes) and some within the 30
//! days, deleted meetings (held or cancelled), rejoins, phone and room joins, anonymous polls
//! and questions, registrants matched by e-mail only, sessions across midnight, recordings
//! above 2 GiB, a user who never signed in, and operation-log entries by a departed admin.
//!
//! The rows depend only on `(now, seed)`: the generator is pure (a self-written splitmix64), and
//! the rows are written in one transaction (by `COPY` on PostgreSQL, multi-row inserts on SQLite).

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr};

use super::{cast, generator::generate, table::SeedTransaction};

/// What [`seed_demo`] stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub accounts: u64,
    pub users: u64,
    /// Rows of `meeting`, webinars included.
    pub meetings: u64,
    /// Of which webinars.
    pub webinars: u64,
    pub sessions: u64,
    /// Join rows (a rejoin is a row).
    pub participants: u64,
    pub registrants: u64,
    /// Rows per table, in insertion order.
    pub rows_per_table: Vec<(&'static str, u64)>,
    /// The users worth signing in as, in a stable order.
    pub demo_users: Vec<String>,
    /// The `now` the data was generated for (whole seconds).
    pub now: DateTime<Utc>,
    pub seed: u64,
}

/// The users a demo visitor signs in as.
#[rustfmt::skip]
const DEMO_USERS: [&str; 8] = [
    "owner@demo.example", "admin@demo.example", "member@demo.example", "analyst@demo.example",
    "auditor@demo.example", "billing@demo.example", "owner@other.example", "owner@free.example",
];

/// Loads the demo data into an empty, migrated database, in one transaction; activity lies in
/// the twelve months before `now`. The same `(now, seed)` always stores the same rows.
pub async fn seed_demo(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    seed: u64,
) -> Result<DemoSummary, DbErr> {
    super::refuse_data(db, "demo").await?;
    let now = super::whole_seconds(now);
    let shared = generate(seed, now.timestamp(), &cast::accounts(), None)?;
    let data = shared.ds;
    let summary = DemoSummary {
        accounts: data.account.len(),
        users: data.app_user.len(),
        meetings: data.meeting.len(),
        webinars: shared.webinars,
        sessions: data.meeting_session.len(),
        participants: data.participant.len(),
        registrants: data.registrant.len(),
        rows_per_table: data.tables().iter().map(|t| (t.name, t.len())).collect(),
        demo_users: DEMO_USERS.iter().map(|s| (*s).to_owned()).collect(),
        now,
        seed,
    };
    let txn = SeedTransaction::begin(db).await?;
    data.insert(&txn).await?;
    txn.settle().await?;
    txn.commit().await?;
    crate::db::analyze(db).await?;
    Ok(summary)
}
