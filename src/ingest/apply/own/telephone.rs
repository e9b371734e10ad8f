//! `gateway.telephone_leg`: one audio-conferencing leg of an occurrence (dial-in, call-out,
//! SIP), with its cost (the Telephone report, and a meeting's `telephoneLegs`).

use chrono::{DateTime, Utc};
use entity::{participant, telephone_call};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde_json::Value;

use super::{occurrence, Fields, OwnEvent, OwnObject};
use crate::ingest::{
    apply::{participants::join_row_id, Applied, Ctx, Refusal},
    webhooks::as_text,
};

pub(super) struct TelephoneLeg {
    id: String,
    join_id: Option<String>,
    call_type: &'static str,
    caller_number: String,
    called_number: String,
    country: String,
    start_time: DateTime<Utc>,
    end_time: DateTime<Utc>,
    duration_seconds: i64,
    rate_per_minute_micros: i64,
    total_cost_micros: i64,
    currency: String,
}

/// Ours and the platform's report types: `toll-free`, `call-out`, `sip`; every toll dial-in
/// (`toll`, `call-in`, `US toll-number`, `global toll-number`, `premium`, `premium call-in`)
/// is a toll leg.
fn call_type(given: &str) -> Option<&'static str> {
    Some(match given {
        "TOLL_FREE" => "TOLL_FREE",
        "CALL_OUT" | "CALLOUT" => "CALL_OUT",
        "SIP" | "SIP_CONNECTED_AUDIO" => "SIP",
        "TOLL" | "CALL_IN" | "US_TOLL_NUMBER" | "GLOBAL_TOLL_NUMBER" | "PREMIUM"
        | "PREMIUM_CALL_IN" => "TOLL",
        _ => return None,
    })
}

/// A leg is charged per started minute.
fn billed_minutes(seconds: i64) -> i64 {
    (seconds + 59) / 60
}

impl OwnObject for TelephoneLeg {
    fn parse(object: &Fields<'_>) -> Result<Self, Refusal> {
        object.required_text("id")?;
        object.required_text("uuid")?;
        let leg = object.object("telephone_leg")?;
        let start_time = leg.required_time("start_time")?;
        let end_time = leg.required_time("end_time")?;
        if end_time < start_time {
            return Err(leg.unreadable("end_time", "a time after `start_time`"));
        }
        let duration_seconds = leg
            .count("duration")?
            .unwrap_or_else(|| (end_time - start_time).num_seconds());
        let rate = leg.charge("rate")?.unwrap_or(0);
        let total = match leg.charge("total")? {
            Some(total) => total,
            None => rate
                .checked_mul(billed_minutes(duration_seconds))
                .ok_or_else(|| leg.unreadable("rate", "a rate whose cost fits"))?,
        };
        let join_id = match leg.optional_object("participant")? {
            Some(p) => p.text("user_id")?,
            None => None,
        };
        Ok(Self {
            id: leg.required_text("id")?,
            join_id,
            call_type: leg
                .choice("type", call_type, "toll_free, toll, call_out, sip")?
                .ok_or_else(|| leg.missing("type"))?,
            caller_number: leg.required_text("caller_number")?,
            called_number: leg.required_text("called_number")?,
            country: leg.text("country")?.unwrap_or_default(),
            start_time,
            end_time,
            duration_seconds,
            rate_per_minute_micros: rate,
            total_cost_micros: total,
            currency: leg.currency("currency")?,
        })
    }

    async fn write(
        self,
        db: &impl ConnectionTrait,
        ctx: &Ctx<'_>,
        object: &Value,
        _at: DateTime<Utc>,
    ) -> Applied {
        let occurrence = occurrence(db, ctx, OwnEvent::TelephoneLeg, object).await?;
        let account_id = ctx.account.id;
        let participant_id = match &self.join_id {
            Some(join_id) => participant::Entity::find()
                .filter(participant::Column::AccountId.eq(account_id))
                .filter(participant::Column::SessionId.eq(occurrence.session_id))
                .filter(participant::Column::SourceId.eq(join_row_id(
                    &object.get("uuid").and_then(as_text).unwrap_or_default(),
                    join_id,
                )))
                .one(db)
                .await?
                .map(|p| p.id),
            None => None,
        };
        let existing = telephone_call::Entity::find()
            .filter(telephone_call::Column::AccountId.eq(account_id))
            .filter(telephone_call::Column::SourceId.eq(self.id.as_str()))
            .one(db)
            .await?;
        let mut active = match existing {
            Some(found) => found.into(),
            None => telephone_call::ActiveModel {
                account_id: Set(account_id),
                source_id: Set(self.id),
                ..Default::default()
            },
        };
        active.session_id = Set(occurrence.session_id);
        active.meeting_id = Set(occurrence.meeting_id);
        active.participant_id = Set(participant_id);
        active.participant_join_id = Set(self.join_id);
        active.call_type = Set(self.call_type.to_owned());
        active.caller_number = Set(self.caller_number);
        active.called_number = Set(self.called_number);
        active.country = Set(self.country);
        active.start_time = Set(self.start_time);
        active.end_time = Set(self.end_time);
        active.duration_seconds = Set(self.duration_seconds);
        active.rate_per_minute_micros = Set(self.rate_per_minute_micros);
        active.total_cost_micros = Set(self.total_cost_micros);
        active.currency = Set(self.currency);
        active.save(db).await?;
        Ok(())
    }
}

/// A join row that arrived after its leg: the session's legs that name it are linked to it.
pub(super) async fn link_join(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    session_id: i64,
    join_id: &str,
    participant_id: i64,
) -> Applied {
    telephone_call::Entity::update_many()
        .col_expr(
            telephone_call::Column::ParticipantId,
            sea_orm::sea_query::Expr::value(participant_id),
        )
        .filter(telephone_call::Column::AccountId.eq(ctx.account.id))
        .filter(telephone_call::Column::SessionId.eq(session_id))
        .filter(telephone_call::Column::ParticipantJoinId.eq(join_id))
        .filter(telephone_call::Column::ParticipantId.is_null())
        .exec(db)
        .await?;
    Ok(())
}
