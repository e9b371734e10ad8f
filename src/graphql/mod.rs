//! The GraphQL layer: schema, guards, errors, loaders, root query parts, the subscription root
//! and output types.

pub mod connection;
pub mod context;
pub mod documents;
pub mod error;
pub mod guards;
pub mod loaders;
pub mod query;
pub use reports::range;
pub mod scalars;
pub mod schema;
pub mod subscription;
pub mod types;
