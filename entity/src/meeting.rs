//! A meeting or webinar as created on the platform; each run of it is a `meeting_session`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The platform's id, unique per account.
    pub source_id: String,
    pub host_id: i64,
    /// `MEETING` | `WEBINAR`.
    pub kind: String,
    pub meeting_number: i64,
    pub topic: String,
    /// `INSTANT` | `SCHEDULED` | `RECURRING_FIXED` | `RECURRING_NO_FIXED_TIME`.
    pub meeting_type: String,
    pub scheduled_start: Option<DateTimeUtc>,
    pub planned_duration_minutes: Option<i32>,
    #[sea_orm(default_value = false)]
    pub registration_required: bool,
    pub created_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
