//! Data in: what the platform's organisations bring themselves, as opposed to the seeds.
//! Accounts and their owners are created and changed here (`meeting-reports account`); the
//! platform's webhook events are verified (`webhooks`), stored with their outcome (`events`,
//! the event store and dead letter) and applied to the report tables (`apply`); `import` reads
//! them from NDJSON, and `export` writes an account's data back out as them. `changes` tells
//! the live updates which accounts' data a commit changed.
//!
//! Below GraphQL like `reports`: it returns the domain error, `reports::Error`.

pub mod accounts;
pub mod apply;
pub mod batch;
pub mod changes;
pub mod events;
pub mod export;
pub mod import;
pub mod queue;
pub mod webhooks;
