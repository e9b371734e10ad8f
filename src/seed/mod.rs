//! Data generators: the demo data set (the server loads it into an empty default database, as
//! `meeting-reports seed demo` and the tests do) and the benchmark data set of any size
//! (`meeting-reports seed bench --users N`), streamed in chunks.
//!
//! One generator writes both, pure and deterministic (a self-written PRNG, no `rand`), from an
//! account's spec (`spec.rs`) through the typed rows of `table.rs`: the account, users and
//! sign-ins (`generator.rs`), the plan of its meetings (`plan.rs`), each meeting and its
//! sessions (`meetings.rs`, `session.rs`), the call log (`phone.rs`), invoices (`billing.rs`),
//! storage and the operation log (`admin.rs`). The demo's spec is its hand-placed cast
//! (`cast.rs`), written in one transaction (`demo.rs`); the bench's a population drawn at any
//! size (`bench/population.rs`), streamed in chunks (`bench/mod.rs`). Rows carry explicit ids;
//! tables and columns are named as the migrations name them, not through the `entity` crate.
//! On PostgreSQL the rows go in by `COPY` (`copy.rs`), on SQLite by multi-row `INSERT`s.

mod admin;
pub mod bench;
mod billing;
mod cast;
mod copy;
pub mod demo;
mod generator;
mod meetings;
mod names;
mod phone;
mod plan;
mod rng;
mod session;
mod spec;
mod table;

pub use bench::{seed_bench, BenchSummary};
pub use demo::{seed_demo, DemoSummary};

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Alias, Expr, Query},
    ConnectionTrait, DatabaseConnection, DbErr,
};

/// True when the database holds no account yet (the server loads the demo only then).
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, DbErr> {
    let stmt = Query::select()
        .expr(Expr::val(1))
        .from(Alias::new("account"))
        .limit(1)
        .to_owned();
    Ok(db.query_one(&stmt).await?.is_none())
}

/// Refuses a database that holds accounts: the generated rows carry their own ids.
async fn refuse_data(db: &DatabaseConnection, data_set: &str) -> Result<(), DbErr> {
    match is_empty(db).await? {
        true => Ok(()),
        false => Err(DbErr::Custom(format!(
            "{data_set} data: the database already holds accounts; seed an empty database"
        ))),
    }
}

fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}
