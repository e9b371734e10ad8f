//! Data in: what the platform's organisations bring themselves, as opposed to the seeds.
//! Accounts and their owners are created and changed here (`meeting-reports account`).
//!
//! Below GraphQL like `reports`: it returns the domain error, `reports::Error`.

pub mod accounts;
