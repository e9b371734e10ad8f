//! Data generators: the demo data set the server loads into an empty default database, and
//! that `meeting-reports seed demo` and the tests load; and the benchmark data set of any size
//! (`meeting-reports seed bench --users N`), generated and written in streaming chunks.
//!
//! The generator is pure and deterministic (a self-written PRNG, no `rand`): it builds every
//! row in memory with explicit ids, then writes them with batched multi-row inserts inside one
//! transaction. It names tables and columns itself (as the migrations do) rather than using the
//! `entity` crate.

mod admin;
pub mod bench;
mod bench_gen;
pub mod demo;
mod generator;
mod meetings;
mod names;
mod rng;
mod spec;
mod table;

pub use bench::{seed_bench, BenchSummary};
pub use demo::{seed_demo, DemoSummary};

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
