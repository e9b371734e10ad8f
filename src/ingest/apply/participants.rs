//! Participants (`meeting|webinar.participant_joined|left`): one row per join, as the portal
//! reports them, keyed by the occurrence (`object.uuid`) and the platform's per-join id
//! (`participant.user_id`, new on every rejoin).
//!
//! The row is derived from every stored joined / left event of that join, so a leave that
//! arrives before its join, a join of an occurrence never announced, a `meeting.ended` before
//! the last leave, or a redelivery all end in the rows of in-order delivery:
//!
//! - a join without a leave is a participant still in the meeting (`leave_time` NULL);
//! - a leave whose join has not arrived yet writes nothing: the row appears, complete, when
//!   the join arrives;
//! - a leave earlier than the join it is paired with is a stale redelivery from before a
//!   rejoin, and is ignored;
//! - the person's user and registration are linked by the platform's ids, now if they are
//!   known, else when their `user.*` or registration event arrives (`link_user`,
//!   `link_registrant`).

use chrono::{DateTime, Utc};
use entity::{participant, registrant};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult,
    QueryFilter,
};
use serde_json::Value;

use super::{
    meetings::ensure_session, ms_to_time, own::link_join, stored_events, text_field, time_field,
    Applied, Ctx, Kind, Refusal,
};
use crate::ingest::webhooks::{as_text, Envelope};

/// The platform's id of one join within its occurrence: `participant.user_id` (per join), else
/// what else identifies the person (`participant_uuid`, their user id, email, name).
fn join_key(participant: &Value) -> Option<String> {
    [
        "user_id",
        "participant_uuid",
        "participant_user_id",
        "id",
        "email",
    ]
    .iter()
    .find_map(|field| participant.get(*field).and_then(as_text))
    .or_else(|| {
        participant
            .get("user_name")
            .and_then(as_text)
            .map(|name| format!("name:{name}"))
    })
}

/// What the stored events of one join are grouped by, and its row's `source_id`:
/// `{occurrence uuid}/{join key}`.
pub(super) fn object_id(object: &Value) -> Option<String> {
    let uuid = object.get("uuid").and_then(as_text)?;
    let key = join_key(object.get("participant")?)?;
    Some(join_row_id(&uuid, &key))
}

/// The `source_id` of the join row of occurrence `uuid` with the per-join id `join_id` (what a
/// poll answer or a phone leg names it by).
pub(super) fn join_row_id(uuid: &str, join_id: &str) -> String {
    format!("{uuid}/{join_id}")
}

/// A join as its stored events describe it.
#[derive(Debug, Default)]
struct JoinState {
    join_time: Option<DateTime<Utc>>,
    leave_times: Vec<DateTime<Utc>>,
    name: Option<String>,
    email: Option<String>,
    platform_user_id: Option<String>,
    registrant_id: Option<String>,
    phone: bool,
    /// Fields the platform's webhooks do not carry but its participant reports do (and our
    /// `export-events` writes): `role`, `join_method`, `device`, `ip_address`, `location`.
    role: Option<&'static str>,
    join_method: Option<&'static str>,
    device: Option<String>,
    ip_address: Option<String>,
    location: Option<String>,
}

fn fold(events: &[Envelope]) -> JoinState {
    let mut state = JoinState::default();
    for envelope in events {
        let Some(p) = envelope.object().get("participant") else {
            continue;
        };
        let at = ms_to_time(envelope.event_ts);
        if envelope.event.ends_with("participant_joined") {
            let join = time_field(p, "join_time").unwrap_or(at);
            state.join_time = Some(state.join_time.map_or(join, |j| j.min(join)));
        } else {
            state
                .leave_times
                .push(time_field(p, "leave_time").unwrap_or(at));
        }
        // Events are in event-time order: what a later one says wins.
        if let Some(name) = text_field(p, "user_name") {
            state.name = Some(name);
        }
        if let Some(email) = text_field(p, "email") {
            state.email = Some(email.to_lowercase());
        }
        if let Some(user) = text_field(p, "participant_user_id").or_else(|| text_field(p, "id")) {
            state.platform_user_id = Some(user);
        }
        if let Some(registrant) = text_field(p, "registrant_id") {
            state.registrant_id = Some(registrant);
        }
        if text_field(p, "phone_number").is_some() {
            state.phone = true;
        }
        match text_field(p, "role").map(|r| r.to_uppercase()).as_deref() {
            Some("HOST") => state.role = Some("HOST"),
            Some("PANELIST") => state.role = Some("PANELIST"),
            Some("ATTENDEE") => state.role = Some("ATTENDEE"),
            _ => {}
        }
        match text_field(p, "join_method")
            .map(|m| m.to_uppercase())
            .as_deref()
        {
            Some("COMPUTER") => state.join_method = Some("COMPUTER"),
            Some("PHONE") => state.join_method = Some("PHONE"),
            Some("ROOM") => state.join_method = Some("ROOM"),
            _ => {}
        }
        for (field, slot) in [
            ("device", &mut state.device),
            ("ip_address", &mut state.ip_address),
            ("location", &mut state.location),
        ] {
            if let Some(value) = text_field(p, field) {
                *slot = Some(value);
            }
        }
    }
    state
}

#[derive(Debug, FromQueryResult)]
struct Found {
    id: i64,
}

async fn one_id(
    db: &impl ConnectionTrait,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Applied<Option<i64>> {
    let statement = reports::sql::statement(db.get_database_backend(), sql, values);
    Ok(Found::find_by_statement(statement)
        .one(db)
        .await?
        .map(|f| f.id))
}

/// The registrant row of `registrant_id` (the platform's) for meeting `number`.
pub(super) fn registrant_source_id(number: &str, registrant_id: &str) -> String {
    format!("{number}/{registrant_id}")
}

pub(super) async fn apply_participant(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    kind: Kind,
    envelope: &Envelope,
) -> Applied {
    let object = envelope.object();
    let key = object_id(object).ok_or_else(|| {
        Refusal(format!(
            "`{}` without payload.object.uuid or payload.object.participant (with user_id, \
             id, email or user_name)",
            envelope.event
        ))
    })?;
    let session = ensure_session(db, ctx, kind, &envelope.event, object).await?;
    let names = [
        format!("{}.participant_joined", kind.prefix()),
        format!("{}.participant_left", kind.prefix()),
    ];
    let state = fold(&stored_events(db, ctx, &key, &names).await?);
    let Some(join_time) = state.join_time else {
        // Only the leave is known: the row is written, whole, when its join arrives.
        return Ok(());
    };
    let leave_time = state
        .leave_times
        .iter()
        .copied()
        .filter(|leave| *leave >= join_time)
        .max();
    let account_id = ctx.account.id;
    let user_id = match &state.platform_user_id {
        Some(platform_id) => {
            one_id(
                db,
                "SELECT id FROM app_user WHERE account_id = ? AND source_id = ?",
                vec![account_id.into(), platform_id.clone().into()],
            )
            .await?
        }
        None => None,
    };
    let registrant_id = match (&state.registrant_id, text_field(object, "id")) {
        (Some(registrant), Some(number)) => registrant::Entity::find()
            .filter(registrant::Column::AccountId.eq(account_id))
            .filter(registrant::Column::SourceId.eq(registrant_source_id(&number, registrant)))
            .one(db)
            .await?
            .map(|r| r.id),
        _ => None,
    };
    let role = state
        .role
        .unwrap_or(if user_id.is_some() && user_id == Some(session.host_id) {
            "HOST"
        } else {
            "ATTENDEE"
        });
    let name = state
        .name
        .or_else(|| state.email.clone())
        .unwrap_or_default();
    let existing = participant::Entity::find()
        .filter(participant::Column::AccountId.eq(account_id))
        .filter(participant::Column::SourceId.eq(key.as_str()))
        .one(db)
        .await?;
    let is_new = existing.is_none();
    let join_id = object
        .get("participant")
        .and_then(join_key)
        .unwrap_or_default();
    let email = state.email.clone();
    let mut row: participant::ActiveModel = match existing {
        Some(found) => found.into(),
        None => participant::ActiveModel {
            account_id: Set(account_id),
            source_id: Set(key),
            ..Default::default()
        },
    };
    row.session_id = Set(session.session_id);
    row.meeting_id = Set(session.meeting_id);
    row.user_id = Set(user_id);
    row.registrant_id = Set(registrant_id);
    row.name = Set(name);
    row.email = Set(state.email);
    row.join_time = Set(join_time);
    row.leave_time = Set(leave_time);
    row.duration_seconds = Set(leave_time.map(|leave| (leave - join_time).num_seconds()));
    row.join_method = Set(state
        .join_method
        .unwrap_or(if state.phone { "PHONE" } else { "COMPUTER" })
        .to_owned());
    row.device = Set(state.device);
    row.ip_address = Set(state.ip_address);
    row.location = Set(state.location);
    row.role = Set(role.to_owned());
    row.platform_user_id = Set(state.platform_user_id);
    row.platform_registrant_id = Set(state.registrant_id);
    if is_new {
        let id = row.insert(db).await?.id;
        // Poll answers and telephone legs that named this join before it arrived.
        link_join(db, ctx, session.session_id, &join_id, email.as_deref(), id).await?;
    } else {
        row.update(db).await?;
    }
    Ok(())
}

/// Links the joins of platform user `platform_id` that arrived before their user did.
pub(super) async fn link_user(
    db: &impl ConnectionTrait,
    account_id: i64,
    platform_id: &str,
    user_id: i64,
) -> Applied {
    let statement = reports::sql::statement(
        db.get_database_backend(),
        "UPDATE participant SET user_id = ? WHERE account_id = ? AND platform_user_id = ? \
         AND user_id IS NULL",
        vec![user_id.into(), account_id.into(), platform_id.into()],
    );
    db.execute_raw(statement).await?;
    Ok(())
}

/// Links the joins of a registrant's meeting that named the registration before it arrived.
pub(super) async fn link_registrant(
    db: &impl ConnectionTrait,
    account_id: i64,
    meeting_id: i64,
    platform_registrant_id: &str,
    registrant_id: i64,
) -> Applied {
    let statement = reports::sql::statement(
        db.get_database_backend(),
        "UPDATE participant SET registrant_id = ? WHERE account_id = ? AND meeting_id = ? \
         AND platform_registrant_id = ? AND registrant_id IS NULL",
        vec![
            registrant_id.into(),
            account_id.into(),
            meeting_id.into(),
            platform_registrant_id.into(),
        ],
    );
    db.execute_raw(statement).await?;
    Ok(())
}
