//! `gateway.storage_usage`: the cloud recording storage in use at the end of one day (the
//! Cloud Recording report's storage days and summary).

use chrono::{DateTime, NaiveDate, Utc};
use entity::storage_usage_daily;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde_json::Value;

use super::{Fields, OwnObject};
use crate::ingest::apply::{Applied, Ctx, Refusal};

pub(super) struct StorageUsage {
    day: NaiveDate,
    usage_bytes: i64,
}

impl OwnObject for StorageUsage {
    fn parse(object: &Fields<'_>) -> Result<Self, Refusal> {
        Ok(Self {
            day: object.date("date")?,
            usage_bytes: object
                .count("usage_bytes")?
                .ok_or_else(|| object.missing("usage_bytes"))?,
        })
    }

    async fn write(
        self,
        db: &impl ConnectionTrait,
        ctx: &Ctx<'_>,
        _object: &Value,
        _at: DateTime<Utc>,
    ) -> Applied {
        let account_id = ctx.account.id;
        let existing = storage_usage_daily::Entity::find()
            .filter(storage_usage_daily::Column::AccountId.eq(account_id))
            .filter(storage_usage_daily::Column::Day.eq(self.day))
            .one(db)
            .await?;
        let mut active = match existing {
            Some(found) => found.into(),
            None => storage_usage_daily::ActiveModel {
                account_id: Set(account_id),
                day: Set(self.day),
                ..Default::default()
            },
        };
        active.usage_bytes = Set(self.usage_bytes);
        active.save(db).await?;
        Ok(())
    }
}
