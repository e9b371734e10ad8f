//! Registrations (`meeting|webinar.registration_created|approved|denied|cancelled`), by the
//! meeting's number and the platform's registrant id.
//!
//! The registrant is derived from every stored registration event of theirs, in event-time
//! order: the newest status wins whatever order they arrive in, and a cancelled registration
//! is no longer in the registration report (its row is removed; a later registration of the
//! same registrant brings it back).

use chrono::{DateTime, Utc};
use entity::{meeting, registrant};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait,
    QueryFilter,
};
use serde_json::{json, Value};

use super::{
    meetings::refresh_meeting,
    ms_to_time,
    participants::{link_registrant, registrant_source_id},
    stored_events, text_field, time_field, Applied, Ctx, Kind, Refusal,
};
use crate::ingest::webhooks::{as_text, Envelope};

const ACTIONS: [&str; 4] = ["created", "approved", "denied", "cancelled"];

/// What the stored events of one registration are grouped by: `{meeting number}/{registrant id}`.
pub(super) fn object_id(object: &Value) -> Option<String> {
    let number = text_field(object, "id")?;
    let registrant = object.get("registrant")?.get("id").and_then(as_text)?;
    Some(registrant_source_id(&number, &registrant))
}

#[derive(Debug, Default)]
struct RegistrantState {
    email: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    /// `None`: cancelled (or nothing said a status).
    status: Option<&'static str>,
    registered_at: Option<DateTime<Utc>>,
    answers: Option<Vec<Value>>,
}

/// The platform's registrant `status` on `registration_created`: approved (the default, when
/// registrations are approved automatically), pending or denied.
fn created_status(registrant: &Value) -> &'static str {
    match text_field(registrant, "status")
        .map(|s| s.to_lowercase())
        .as_deref()
    {
        Some("pending") => "PENDING",
        Some("denied") | Some("rejected") => "DENIED",
        _ => "APPROVED",
    }
}

fn fold(events: &[Envelope]) -> RegistrantState {
    let mut state = RegistrantState::default();
    for envelope in events {
        let Some(r) = envelope.object().get("registrant") else {
            continue;
        };
        if let Some(email) = text_field(r, "email") {
            state.email = Some(email.to_lowercase());
        }
        if let Some(first) = r.get("first_name").and_then(Value::as_str) {
            state.first_name = Some(first.to_owned());
        }
        if let Some(last) = r.get("last_name").and_then(Value::as_str) {
            state.last_name = Some(last.to_owned());
        }
        let at = ms_to_time(envelope.event_ts);
        state.status = match envelope.event.rsplit('_').next() {
            Some("created") => {
                state
                    .registered_at
                    .get_or_insert(time_field(r, "create_time").unwrap_or(at));
                if let Some(questions) = r.get("custom_questions").and_then(Value::as_array) {
                    state.answers = Some(
                        questions
                            .iter()
                            .map(|q| {
                                json!({
                                    "question": q.get("title").and_then(Value::as_str).unwrap_or_default(),
                                    "answer": q.get("value").and_then(Value::as_str).unwrap_or_default(),
                                })
                            })
                            .collect(),
                    );
                }
                Some(created_status(r))
            }
            Some("approved") => Some("APPROVED"),
            Some("denied") => Some("DENIED"),
            _ => None,
        };
    }
    if state.registered_at.is_none() {
        state.registered_at = events.first().map(|e| ms_to_time(e.event_ts));
    }
    state
}

pub(super) async fn apply_registration(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    kind: Kind,
    envelope: &Envelope,
) -> Applied {
    let object = envelope.object();
    let key = object_id(object).ok_or_else(|| {
        Refusal(format!(
            "`{}` without payload.object.id or payload.object.registrant.id",
            envelope.event
        ))
    })?;
    let number = text_field(object, "id").unwrap_or_default();
    let platform_registrant = key[number.len() + 1..].to_owned();
    let meeting = refresh_meeting(db, ctx, kind, &number, Some(object))
        .await?
        .ok_or_else(|| {
            Refusal(format!(
                "`{}` of meeting {number}, whose host is not known (no host_id)",
                envelope.event
            ))
        })?;
    let names: Vec<String> = ACTIONS
        .iter()
        .map(|a| format!("{}.registration_{a}", kind.prefix()))
        .collect();
    let state = fold(&stored_events(db, ctx, &key, &names).await?);
    let account_id = ctx.account.id;
    let existing = registrant::Entity::find()
        .filter(registrant::Column::AccountId.eq(account_id))
        .filter(registrant::Column::SourceId.eq(key.as_str()))
        .one(db)
        .await?;
    let Some(status) = state.status else {
        if let Some(found) = existing {
            found.delete(db).await?;
        }
        return Ok(());
    };
    // A meeting that takes registrations requires them.
    if let Some(found) = meeting::Entity::find_by_id(meeting.id).one(db).await? {
        if !found.registration_required {
            let mut active: meeting::ActiveModel = found.into();
            active.registration_required = Set(true);
            active.update(db).await?;
        }
    }
    let is_new = existing.is_none();
    let mut row: registrant::ActiveModel = match existing {
        Some(found) => found.into(),
        None => registrant::ActiveModel {
            account_id: Set(account_id),
            source_id: Set(key),
            ..Default::default()
        },
    };
    row.meeting_id = Set(meeting.id);
    row.email = Set(state.email.unwrap_or_default());
    row.first_name = Set(state.first_name.unwrap_or_default());
    row.last_name = Set(state.last_name.unwrap_or_default());
    row.status = Set(status.to_owned());
    row.registered_at = Set(state.registered_at.unwrap_or(ctx.at));
    if let Some(answers) = state.answers {
        row.custom_answers = Set(Value::Array(answers).to_string());
    } else if is_new {
        row.custom_answers = Set("[]".to_owned());
    }
    if is_new {
        let id = row.insert(db).await?.id;
        link_registrant(db, account_id, meeting.id, &platform_registrant, id).await?;
    } else {
        row.update(db).await?;
    }
    Ok(())
}
