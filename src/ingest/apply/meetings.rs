//! Meetings and webinars (`created|updated|deleted`, by number) and their occurrences
//! (`started|ended`, by uuid).

use chrono::{DateTime, Utc};
use entity::{meeting, meeting_session};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde_json::Value;

use super::{
    ms_to_time, stored_events, text_field, time_field, users::refresh_user, Applied, Ctx, Kind,
    Refusal,
};
use crate::ingest::webhooks::{as_i64, Envelope};

/// A meeting as its created / updated / deleted events describe it.
#[derive(Debug, Default)]
struct MeetingState {
    topic: Option<String>,
    host: Option<String>,
    meeting_type: Option<&'static str>,
    start_time: Option<DateTime<Utc>>,
    duration: Option<i32>,
    deleted_at: Option<Option<DateTime<Utc>>>,
    created_at: Option<DateTime<Utc>>,
}

/// The platform's `type` (reference §3): 1 instant, 2 scheduled, 3 recurring with no fixed
/// time, 8 recurring with a fixed time; webinars 5 / 6 / 9 likewise. A prescheduled meeting
/// (0) counts as scheduled; a personal meeting room (4 PMI, 7 PAC) is used as an instant one.
fn meeting_type(object: &Value) -> Option<&'static str> {
    object.get("type").and_then(as_i64).map(|t| match t {
        1 | 4 | 7 => "INSTANT",
        3 | 6 => "RECURRING_NO_FIXED_TIME",
        8 | 9 => "RECURRING_FIXED",
        _ => "SCHEDULED",
    })
}

fn describe_meeting(state: &mut MeetingState, object: &Value) {
    if let Some(topic) = object.get("topic").and_then(Value::as_str) {
        state.topic = Some(topic.to_owned());
    }
    if let Some(host) = text_field(object, "host_id") {
        state.host = Some(host);
    }
    if let Some(t) = meeting_type(object) {
        state.meeting_type = Some(t);
    }
    if let Some(start) = time_field(object, "start_time") {
        state.start_time = Some(start);
    }
    if let Some(minutes) = object.get("duration").and_then(as_i64) {
        state.duration = i32::try_from(minutes).ok().filter(|m| *m > 0);
    }
}

fn fold_meeting(events: &[Envelope]) -> MeetingState {
    let mut state = MeetingState::default();
    for envelope in events {
        let object = envelope.object();
        let at = ms_to_time(envelope.event_ts);
        match envelope.event.split_once('.').map(|(_, a)| a) {
            Some("created") => {
                describe_meeting(&mut state, object);
                state.created_at.get_or_insert(at);
                state.deleted_at = Some(None);
            }
            Some("updated") => describe_meeting(&mut state, object),
            Some("deleted") => {
                // Deleting listed occurrences of a recurring meeting leaves the meeting; this
                // version keeps no occurrences, so only a whole deletion is applied.
                let occurrences = object
                    .get("occurrences")
                    .and_then(Value::as_array)
                    .is_some_and(|o| !o.is_empty());
                if !occurrences {
                    state.deleted_at = Some(Some(at));
                }
            }
            _ => {}
        }
    }
    state
}

/// Derives the meeting with this number from its stored created / updated / deleted events and
/// writes it. `session` (the object of a started / ended event) fills what those events do not
/// say, and lets a meeting never announced be created from a session of it. `None`: not enough
/// is known to create it yet (no host): its events are folded in when more arrives.
pub(super) async fn refresh_meeting(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    kind: Kind,
    number: &str,
    session: Option<&Value>,
) -> Applied<Option<i64>> {
    let names: Vec<String> = ["created", "updated", "deleted"]
        .iter()
        .map(|a| format!("{}.{a}", kind.prefix()))
        .collect();
    let state = fold_meeting(&stored_events(db, ctx, number, &names).await?);
    let mut hint = MeetingState::default();
    if let Some(object) = session {
        describe_meeting(&mut hint, object);
    }
    let account_id = ctx.account.id;
    let existing = meeting::Entity::find()
        .filter(meeting::Column::AccountId.eq(account_id))
        .filter(meeting::Column::SourceId.eq(number))
        .one(db)
        .await?;
    let host_id = match (&state.host, &existing, &hint.host) {
        (Some(host), _, _) => refresh_user(db, ctx, host, None).await?,
        (None, Some(found), _) => found.host_id,
        (None, None, Some(host)) => refresh_user(db, ctx, host, None).await?,
        (None, None, None) => return Ok(None),
    };
    let meeting_number: i64 = number
        .parse()
        .map_err(|_| Refusal(format!("the meeting id `{number}` is not a number")))?;
    let old = existing.as_ref();
    let topic = state
        .topic
        .or_else(|| old.map(|m| m.topic.clone()))
        .or(hint.topic)
        .unwrap_or_default();
    let meeting_type = state
        .meeting_type
        .map(str::to_owned)
        .or_else(|| old.map(|m| m.meeting_type.clone()))
        .or(hint.meeting_type.map(str::to_owned))
        .unwrap_or_else(|| "SCHEDULED".to_owned());
    let scheduled_start = state
        .start_time
        .or(old.and_then(|m| m.scheduled_start))
        .or(hint.start_time);
    let duration = state
        .duration
        .or(old.and_then(|m| m.planned_duration_minutes))
        .or(hint.duration);
    let deleted_at = match state.deleted_at {
        Some(deleted) => deleted,
        None => old.and_then(|m| m.deleted_at),
    };
    let created_at = state
        .created_at
        .or(old.map(|m| m.created_at))
        .unwrap_or(ctx.at);
    let id = match existing {
        Some(found) => {
            let mut active: meeting::ActiveModel = found.into();
            active.host_id = Set(host_id);
            active.kind = Set(kind.column_value().to_owned());
            active.meeting_number = Set(meeting_number);
            active.topic = Set(topic);
            active.meeting_type = Set(meeting_type);
            active.scheduled_start = Set(scheduled_start);
            active.planned_duration_minutes = Set(duration);
            active.created_at = Set(created_at);
            active.deleted_at = Set(deleted_at);
            active.update(db).await?.id
        }
        None => {
            meeting::ActiveModel {
                account_id: Set(account_id),
                source_id: Set(number.to_owned()),
                host_id: Set(host_id),
                kind: Set(kind.column_value().to_owned()),
                meeting_number: Set(meeting_number),
                topic: Set(topic),
                meeting_type: Set(meeting_type),
                scheduled_start: Set(scheduled_start),
                planned_duration_minutes: Set(duration),
                registration_required: Set(false),
                created_at: Set(created_at),
                deleted_at: Set(deleted_at),
                ..Default::default()
            }
            .insert(db)
            .await?
            .id
        }
    };
    Ok(Some(id))
}

/// The rows of one occurrence: its meeting and its session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SessionIds {
    pub meeting_id: i64,
    pub session_id: i64,
}

/// The occurrence an event about something inside it names (a participant, a recording, a
/// poll...), by its `uuid` within the account: found, or created from the event's meeting
/// fields (`id`, `host_id`, `topic`, `start_time`, ...) as its `started` event would create it,
/// so such an event may arrive before the meeting or its occurrence was announced.
pub(super) async fn ensure_session(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    kind: Kind,
    event: &str,
    object: &Value,
) -> Applied<SessionIds> {
    let uuid = text_field(object, "uuid")
        .ok_or_else(|| Refusal(format!("`{event}` without payload.object.uuid")))?;
    let found = meeting_session::Entity::find()
        .filter(meeting_session::Column::AccountId.eq(ctx.account.id))
        .filter(meeting_session::Column::SourceId.eq(uuid.as_str()))
        .one(db)
        .await?;
    match found {
        Some(session) => Ok(SessionIds {
            meeting_id: session.meeting_id,
            session_id: session.id,
        }),
        None => refresh_session(db, ctx, kind, &uuid, event, object).await,
    }
}

/// Derives the occurrence `uuid` from its stored started / ended events: the start is the
/// `started` event's (else the `ended` event's `start_time`, else what is stored, else the
/// `start_time` of the event at hand), the end the `ended` event's.
pub(super) async fn refresh_session(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    kind: Kind,
    uuid: &str,
    event: &str,
    object: &Value,
) -> Applied<SessionIds> {
    let number = text_field(object, "id")
        .ok_or_else(|| Refusal(format!("`{event}` without payload.object.id")))?;
    let meeting_id = refresh_meeting(db, ctx, kind, &number, Some(object))
        .await?
        .ok_or_else(|| {
            Refusal(format!(
                "`{event}` of meeting {number}, whose host is not known (no host_id)"
            ))
        })?;
    let names = [
        format!("{}.started", kind.prefix()),
        format!("{}.ended", kind.prefix()),
    ];
    let events = stored_events(db, ctx, uuid, &names).await?;
    let (mut started, mut ended_start, mut ended) = (None, None, None);
    for e in &events {
        let o = e.object();
        let at = ms_to_time(e.event_ts);
        if e.event.ends_with(".started") {
            started.get_or_insert(time_field(o, "start_time").unwrap_or(at));
        } else {
            ended_start = ended_start.or(time_field(o, "start_time"));
            ended.get_or_insert(time_field(o, "end_time").unwrap_or(at));
        }
    }
    let existing = meeting_session::Entity::find()
        .filter(meeting_session::Column::AccountId.eq(ctx.account.id))
        .filter(meeting_session::Column::SourceId.eq(uuid))
        .one(db)
        .await?;
    let start_time = started
        .or(ended_start)
        .or(existing.as_ref().map(|s| s.start_time))
        .or_else(|| time_field(object, "start_time"))
        .or(ended)
        .unwrap_or(ctx.at);
    let session_id = match existing {
        Some(found) => {
            let mut active: meeting_session::ActiveModel = found.into();
            active.meeting_id = Set(meeting_id);
            active.start_time = Set(start_time);
            active.end_time = Set(ended);
            active.update(db).await?.id
        }
        None => {
            meeting_session::ActiveModel {
                account_id: Set(ctx.account.id),
                source_id: Set(uuid.to_owned()),
                meeting_id: Set(meeting_id),
                start_time: Set(start_time),
                end_time: Set(ended),
                ..Default::default()
            }
            .insert(db)
            .await?
            .id
        }
    };
    Ok(SessionIds {
        meeting_id,
        session_id,
    })
}
