//! `gateway.phone_call`: one call of the platform's phone system, with its charge (the Phone
//! System report).

use chrono::{DateTime, Utc};
use entity::phone_call;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde_json::Value;

use super::{constant_case, user_named, Fields, OwnObject};
use crate::ingest::apply::{Applied, Ctx, Refusal};

pub(super) struct PhoneCall {
    id: String,
    user_id: Option<String>,
    user_email: Option<String>,
    direction: &'static str,
    caller_number: String,
    caller_name: Option<String>,
    callee_number: String,
    callee_name: Option<String>,
    start_time: DateTime<Utc>,
    duration_seconds: i64,
    result: String,
    charge_micros: i64,
    currency: String,
}

fn direction(given: &str) -> Option<&'static str> {
    match given {
        "INBOUND" | "IN" => Some("INBOUND"),
        "OUTBOUND" | "OUT" => Some("OUTBOUND"),
        _ => None,
    }
}

/// The platform's call results as ours (`Call connected` is answered, `No Answer` missed,
/// ...); another result is kept as given (listed without a result, not counted answered).
fn result(given: &str) -> String {
    match given {
        "ANSWERED" | "CALL_CONNECTED" | "CONNECTED" => "ANSWERED",
        "MISSED" | "NO_ANSWER" => "MISSED",
        "VOICEMAIL" | "VOICE_MAIL" => "VOICEMAIL",
        "REJECTED" | "DECLINED" => "REJECTED",
        "BUSY" => "BUSY",
        other => other,
    }
    .to_owned()
}

impl OwnObject for PhoneCall {
    fn parse(object: &Fields<'_>) -> Result<Self, Refusal> {
        Ok(Self {
            id: object.required_text("id")?,
            user_id: object.text("user_id")?,
            user_email: object.email("user_email")?,
            direction: object
                .choice("direction", direction, "inbound, outbound")?
                .ok_or_else(|| object.missing("direction"))?,
            caller_number: object.required_text("caller_number")?,
            caller_name: object.text("caller_name")?,
            callee_number: object.required_text("callee_number")?,
            callee_name: object.text("callee_name")?,
            start_time: object.required_time("start_time")?,
            duration_seconds: object.count("duration")?.unwrap_or(0),
            result: result(&constant_case(&object.required_text("result")?)),
            charge_micros: object.charge("charge")?.unwrap_or(0),
            currency: object.currency("currency")?,
        })
    }

    async fn write(
        self,
        db: &impl ConnectionTrait,
        ctx: &Ctx<'_>,
        _object: &Value,
        _at: DateTime<Utc>,
    ) -> Applied {
        let user_id =
            user_named(db, ctx, self.user_id.as_deref(), self.user_email.as_deref()).await?;
        let account_id = ctx.account.id;
        let existing = phone_call::Entity::find()
            .filter(phone_call::Column::AccountId.eq(account_id))
            .filter(phone_call::Column::SourceId.eq(self.id.as_str()))
            .one(db)
            .await?;
        let mut active = match existing {
            Some(found) => found.into(),
            None => phone_call::ActiveModel {
                account_id: Set(account_id),
                source_id: Set(self.id),
                ..Default::default()
            },
        };
        active.user_id = Set(user_id);
        active.direction = Set(self.direction.to_owned());
        active.caller_number = Set(self.caller_number);
        active.caller_name = Set(self.caller_name);
        active.callee_number = Set(self.callee_number);
        active.callee_name = Set(self.callee_name);
        active.start_time = Set(self.start_time);
        active.duration_seconds = Set(self.duration_seconds);
        active.result = Set(self.result);
        active.charge_micros = Set(self.charge_micros);
        active.currency = Set(self.currency);
        active.save(db).await?;
        Ok(())
    }
}
