//! One file of a cloud recording.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recording_file")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The platform's id, when it identifies the row; unique per account.
    pub source_id: Option<String>,
    pub recording_id: i64,
    /// `MP4` | `M4A` | `TRANSCRIPT` | `CHAT` | `TIMELINE` | `CC`.
    pub file_type: String,
    pub size_bytes: i64,
    pub recording_start: DateTimeUtc,
    pub recording_end: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
