//! `gateway.operation_log`: one entry of the account's operation log: who changed what, when
//! (the Operation Logs report of the User Activity tab).

use chrono::{DateTime, Utc};
use entity::operation_log;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde_json::Value;

use super::{constant_case, user_named, Fields, OwnObject};
use crate::ingest::apply::{Applied, Ctx, Refusal};

pub(super) struct OperationLog {
    id: String,
    occurred_at: DateTime<Utc>,
    operator_email: String,
    operator_id: Option<String>,
    category: String,
    action: String,
    detail: String,
}

impl OwnObject for OperationLog {
    fn parse(object: &Fields<'_>) -> Result<Self, Refusal> {
        Ok(Self {
            id: object.required_text("id")?,
            occurred_at: object.required_time("time")?,
            operator_email: object
                .email("operator")?
                .ok_or_else(|| object.missing("operator"))?,
            operator_id: object.text("operator_id")?,
            // The platform's display form (`User Settings`) or code (`user_settings`): the
            // report's categories are the codes upper-cased; another category is kept (listed
            // without a category).
            category: constant_case(&object.required_text("category_type")?),
            action: object.required_text("action")?,
            detail: object.text("operation_detail")?.unwrap_or_default(),
        })
    }

    async fn write(
        self,
        db: &impl ConnectionTrait,
        ctx: &Ctx<'_>,
        _object: &Value,
        _at: DateTime<Utc>,
    ) -> Applied {
        let operator_id = user_named(
            db,
            ctx,
            self.operator_id.as_deref(),
            Some(self.operator_email.as_str()),
        )
        .await?;
        let account_id = ctx.account.id;
        let existing = operation_log::Entity::find()
            .filter(operation_log::Column::AccountId.eq(account_id))
            .filter(operation_log::Column::SourceId.eq(self.id.as_str()))
            .one(db)
            .await?;
        let mut active = match existing {
            Some(found) => found.into(),
            None => operation_log::ActiveModel {
                account_id: Set(account_id),
                source_id: Set(self.id),
                ..Default::default()
            },
        };
        active.occurred_at = Set(self.occurred_at);
        active.operator_id = Set(operator_id);
        active.operator_email = Set(self.operator_email);
        active.category = Set(self.category);
        active.action = Set(self.action);
        active.detail = Set(self.detail);
        active.save(db).await?;
        Ok(())
    }
}
