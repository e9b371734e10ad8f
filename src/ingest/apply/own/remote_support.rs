//! `gateway.remote_support_session`: remote support given in an occurrence: who supported
//! whom, when it was asked for, started and ended (the Remote Support report).

use chrono::{DateTime, Utc};
use entity::remote_support_session;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde_json::Value;

use super::{occurrence, user_named, Fields, OwnEvent, OwnObject};
use crate::ingest::apply::{Applied, Ctx, Refusal};

pub(super) struct RemoteSupport {
    id: String,
    supporter_id: Option<String>,
    supporter_email: Option<String>,
    supportee_name: String,
    supportee_email: Option<String>,
    requested_at: DateTime<Utc>,
    started_at: DateTime<Utc>,
    ended_at: DateTime<Utc>,
}

impl OwnObject for RemoteSupport {
    fn parse(object: &Fields<'_>) -> Result<Self, Refusal> {
        object.required_text("id")?;
        object.required_text("uuid")?;
        let support = object.object("remote_support")?;
        let requested_at = support.required_time("request_time")?;
        let started_at = support.required_time("start_time")?;
        let ended_at = support.required_time("end_time")?;
        if started_at < requested_at {
            return Err(support.unreadable("start_time", "a time after `request_time`"));
        }
        if ended_at < started_at {
            return Err(support.unreadable("end_time", "a time after `start_time`"));
        }
        Ok(Self {
            id: support.required_text("id")?,
            supporter_id: support.text("supporter_id")?,
            supporter_email: support.email("supporter_email")?,
            supportee_name: support.required_text("supportee_name")?,
            supportee_email: support.email("supportee_email")?,
            requested_at,
            started_at,
            ended_at,
        })
    }

    async fn write(
        self,
        db: &impl ConnectionTrait,
        ctx: &Ctx<'_>,
        object: &Value,
        _at: DateTime<Utc>,
    ) -> Applied {
        let occurrence = occurrence(db, ctx, OwnEvent::RemoteSupportSession, object).await?;
        let supporter_id = user_named(
            db,
            ctx,
            self.supporter_id.as_deref(),
            self.supporter_email.as_deref(),
        )
        .await?;
        let account_id = ctx.account.id;
        let existing = remote_support_session::Entity::find()
            .filter(remote_support_session::Column::AccountId.eq(account_id))
            .filter(remote_support_session::Column::SourceId.eq(self.id.as_str()))
            .one(db)
            .await?;
        let mut active = match existing {
            Some(found) => found.into(),
            None => remote_support_session::ActiveModel {
                account_id: Set(account_id),
                source_id: Set(self.id),
                ..Default::default()
            },
        };
        active.meeting_id = Set(occurrence.meeting_id);
        active.supporter_id = Set(supporter_id);
        active.supportee_name = Set(self.supportee_name);
        active.supportee_email = Set(self.supportee_email);
        active.requested_at = Set(self.requested_at);
        active.started_at = Set(self.started_at);
        active.ended_at = Set(self.ended_at);
        active.save(db).await?;
        Ok(())
    }
}
