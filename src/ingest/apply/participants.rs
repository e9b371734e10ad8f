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

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::participant;
use sea_orm::{
    sea_query::Query,
    ActiveModelTrait,
    ActiveValue::{NotSet, Set, Unchanged},
    ConnectionTrait, EntityTrait, FromQueryResult, QueryTrait,
};
use serde_json::Value;

use super::{
    meetings::{ensure_session, SessionIds},
    ms_to_time,
    own::{link_join, unlinked_sessions},
    text_field, time_field, Applied, Ctx, Kind, Refusal,
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

/// The registrant row of `registrant_id` (the platform's) for meeting `number`.
pub(super) fn registrant_source_id(number: &str, registrant_id: &str) -> String {
    format!("{number}/{registrant_id}")
}

/// Applies one join or leave: a set of one ([`apply_participants`]).
pub(super) async fn apply_participant(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    kind: Kind,
    envelope: &Envelope,
) -> Applied {
    apply_participants(db, ctx, &[(kind, envelope)]).await
}

fn without_key(envelope: &Envelope) -> Refusal {
    Refusal(format!(
        "`{}` without payload.object.uuid or payload.object.participant (with user_id, \
         id, email or user_name)",
        envelope.event
    ))
}

/// The stored events a join of `kind` is derived from.
fn event_names(kind: Kind) -> [String; 2] {
    [
        format!("{}.participant_joined", kind.prefix()),
        format!("{}.participant_left", kind.prefix()),
    ]
}

/// The `source_id` of the registrant a join names, from the event at hand's meeting number.
fn registrant_key(state: &JoinState, object: &Value) -> Option<String> {
    match (&state.registrant_id, text_field(object, "id")) {
        (Some(registrant), Some(number)) => Some(registrant_source_id(&number, registrant)),
        _ => None,
    }
}

/// The join row (every column but `id`) of the join `key` as its stored events describe it;
/// `None` while only its leave is known.
fn join_row(
    ctx: &Ctx<'_>,
    key: String,
    state: JoinState,
    session: &SessionIds,
    user_id: Option<i64>,
    registrant_id: Option<i64>,
) -> Option<participant::ActiveModel> {
    let join_time = state.join_time?;
    let leave_time = state
        .leave_times
        .iter()
        .copied()
        .filter(|leave| *leave >= join_time)
        .max();
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
    Some(participant::ActiveModel {
        id: NotSet,
        account_id: Set(ctx.account.id),
        source_id: Set(key),
        session_id: Set(session.session_id),
        meeting_id: Set(session.meeting_id),
        user_id: Set(user_id),
        registrant_id: Set(registrant_id),
        name: Set(name),
        email: Set(state.email),
        join_time: Set(join_time),
        leave_time: Set(leave_time),
        duration_seconds: Set(leave_time.map(|leave| (leave - join_time).num_seconds())),
        join_method: Set(state
            .join_method
            .unwrap_or(if state.phone { "PHONE" } else { "COMPUTER" })
            .to_owned()),
        device: Set(state.device),
        ip_address: Set(state.ip_address),
        location: Set(state.location),
        role: Set(role.to_owned()),
        platform_user_id: Set(state.platform_user_id),
        platform_registrant_id: Set(state.registrant_id),
    })
}

/// One join of a set applied together: its key, its kind and its last event (the one a row
/// is derived with when they are applied one by one).
struct JoinAtHand<'a> {
    key: String,
    kind: Kind,
    object: &'a Value,
}

#[derive(Debug, FromQueryResult)]
struct StoredJoinEvent {
    object_id: String,
    body: String,
}

#[derive(Debug, FromQueryResult)]
struct IdBySource {
    id: i64,
    source_id: String,
}

/// Rows written per statement: far below SQLite's 32,766 bind parameters at 18 columns.
const ROWS_PER_STATEMENT: usize = 500;

/// Applies many join events of one account at once, in a number of statements that does not
/// depend on how many there are (beyond one per occurrence they name, one per existing row and
/// one per new join that something named before it arrived): the same rows as each of them
/// applied alone, in any order (every join row is derived from all the stored events of its
/// join). The events must be stored already. A refusal of any of them refuses the set: the
/// caller rolls back and applies them one by one, so each keeps its own reason.
pub(super) async fn apply_participants(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    events: &[(Kind, &Envelope)],
) -> Applied {
    let backend = db.get_database_backend();
    let account_id = ctx.account.id;
    // The joins, each with its last event, and their occurrences, each looked up (or created)
    // once, with the first event that names it.
    let mut joins: Vec<JoinAtHand> = Vec::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    let mut sessions: HashMap<(Kind, String), SessionIds> = HashMap::new();
    for (kind, envelope) in events {
        let object = envelope.object();
        let key = object_id(object).ok_or_else(|| without_key(envelope))?;
        let uuid = text_field(object, "uuid").unwrap_or_default();
        if !sessions.contains_key(&(*kind, uuid.clone())) {
            let at_hand = Ctx {
                account: ctx.account,
                platform_account_id: ctx.platform_account_id.clone(),
                at: ms_to_time(envelope.event_ts),
            };
            let session = ensure_session(db, &at_hand, *kind, &envelope.event, object).await?;
            sessions.insert((*kind, uuid), session);
        }
        let join = JoinAtHand {
            key: key.clone(),
            kind: *kind,
            object,
        };
        match position.get(&key) {
            Some(&i) => joins[i] = join,
            None => {
                position.insert(key, joins.len());
                joins.push(join);
            }
        }
    }
    // Every stored event of those joins, in one statement.
    let names: Vec<String> = [Kind::Meeting, Kind::Webinar]
        .into_iter()
        .flat_map(event_names)
        .collect();
    let stored = StoredJoinEvent::find_by_statement(reports::sql::statement(
        backend,
        &format!(
            "SELECT object_id, body FROM ingest_event WHERE platform_account_id = ? \
             AND object_id {} AND event {} ORDER BY event_ts, id",
            reports::sql::in_texts(backend),
            reports::sql::in_texts(backend),
        ),
        vec![
            ctx.platform_account_id.clone().into(),
            reports::sql::text_array(backend, joins.iter().map(|j| j.key.as_str())),
            reports::sql::text_array(backend, names.iter().map(String::as_str)),
        ],
    ))
    .all(db)
    .await?;
    let mut by_join: HashMap<String, Vec<Envelope>> = HashMap::new();
    for row in stored {
        if let Ok(envelope) = Envelope::parse(row.body.as_bytes()) {
            by_join.entry(row.object_id).or_default().push(envelope);
        }
    }
    let states: Vec<JoinState> = joins
        .iter()
        .map(|join| {
            let names = event_names(join.kind);
            let events: Vec<Envelope> = by_join
                .remove(&join.key)
                .unwrap_or_default()
                .into_iter()
                .filter(|e| names.contains(&e.event))
                .collect();
            fold(&events)
        })
        .collect();
    // The users, registrants and existing rows they name, one statement each.
    let users = ids_by_source(
        db,
        "app_user",
        account_id,
        states.iter().filter_map(|s| s.platform_user_id.clone()),
    )
    .await?;
    let registrant_keys: Vec<Option<String>> = joins
        .iter()
        .zip(&states)
        .map(|(join, state)| registrant_key(state, join.object))
        .collect();
    let registrants = ids_by_source(
        db,
        "registrant",
        account_id,
        registrant_keys.iter().flatten().cloned(),
    )
    .await?;
    let existing = ids_by_source(
        db,
        "participant",
        account_id,
        joins.iter().map(|j| j.key.clone()),
    )
    .await?;
    let mut new_rows = Vec::new();
    let mut new_links = Vec::new();
    let mut updated_rows = Vec::new();
    for ((join, state), registrant) in joins.iter().zip(states).zip(registrant_keys) {
        let uuid = text_field(join.object, "uuid").unwrap_or_default();
        let Some(session) = sessions.get(&(join.kind, uuid)) else {
            continue;
        };
        let user_id = state
            .platform_user_id
            .as_ref()
            .and_then(|u| users.get(u).copied());
        let registrant_id = registrant.and_then(|r| registrants.get(&r).copied());
        let email = state.email.clone();
        let Some(mut row) = join_row(
            ctx,
            join.key.clone(),
            state,
            session,
            user_id,
            registrant_id,
        ) else {
            continue;
        };
        match existing.get(&join.key) {
            Some(&id) => {
                row.id = Unchanged(id);
                row.account_id = Unchanged(account_id);
                row.source_id = Unchanged(join.key.clone());
                updated_rows.push(row);
            }
            None => {
                let join_id = join
                    .object
                    .get("participant")
                    .and_then(join_key)
                    .unwrap_or_default();
                new_links.push((join.key.clone(), session.session_id, join_id, email));
                new_rows.push(row);
            }
        }
    }
    let mut new_ids = HashMap::new();
    for chunk in chunks(new_rows) {
        let mut insert = participant::Entity::insert_many(chunk);
        insert.query().returning(
            Query::returning().columns([participant::Column::Id, participant::Column::SourceId]),
        );
        for row in IdBySource::find_by_statement(insert.build(backend))
            .all(db)
            .await?
        {
            new_ids.insert(row.source_id, row.id);
        }
    }
    // One statement per row: an upsert (`INSERT .. ON CONFLICT DO UPDATE`) would write them all
    // at once, but on SQLite its conflict clause overrides the `INSERT OR IGNORE` of the
    // aggregate triggers, which then fail on a key already marked.
    for row in updated_rows {
        row.update(db).await?;
    }
    // Poll answers and telephone legs that named a new join before it arrived.
    let session_ids: Vec<i64> = new_links.iter().map(|(_, s, _, _)| *s).collect();
    let waiting = unlinked_sessions(db, ctx, &session_ids).await?;
    for (key, session_id, join_id, email) in new_links {
        if let (true, Some(&id)) = (waiting.contains(&session_id), new_ids.get(&key)) {
            link_join(db, ctx, session_id, &join_id, email.as_deref(), id).await?;
        }
    }
    Ok(())
}

fn chunks<T>(rows: Vec<T>) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        out.push(rows.by_ref().take(ROWS_PER_STATEMENT).collect());
    }
    out
}

/// The ids of the rows of `table` (one with `account_id` and `source_id`) of the account
/// whose `source_id` is one of `sources`, by source id; no statement when there are none.
async fn ids_by_source(
    db: &impl ConnectionTrait,
    table: &str,
    account_id: i64,
    sources: impl Iterator<Item = String>,
) -> Applied<HashMap<String, i64>> {
    let sources: Vec<String> = sources.collect();
    if sources.is_empty() {
        return Ok(HashMap::new());
    }
    let backend = db.get_database_backend();
    let rows = IdBySource::find_by_statement(reports::sql::statement(
        backend,
        &format!(
            "SELECT id, source_id FROM {table} WHERE account_id = ? AND source_id {}",
            reports::sql::in_texts(backend)
        ),
        vec![
            account_id.into(),
            reports::sql::text_array(backend, sources.iter().map(String::as_str)),
        ],
    ))
    .all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.source_id, r.id)).collect())
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
