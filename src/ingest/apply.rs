//! Applying the platform's events to the report tables, idempotently and in any order.
//!
//! Rows are found by the platform's ids (user id, meeting number, occurrence uuid) within the
//! event's account, never by our row ids. For users, meetings and sessions the state is derived
//! from *all* the stored events of that object, folded in event-time order, so a
//! `meeting.updated` that arrives before its `meeting.created`, or an `ended` before its
//! `started`, ends in the same rows as in-order delivery, and a replay changes nothing.
//!
//! Applied today: `user.created|updated|deactivated|deleted`, `user.signed_in|signed_out`,
//! `meeting.created|updated|deleted|started|ended` and their `webinar.*` twins. Participants,
//! registrations and recordings are kept (`FAILED`, "not applied by this version") for
//! `events replay` once a version applies them.

use chrono::{DateTime, Utc};
use entity::{account, app_user, ingest_event, meeting, meeting_session, sign_in_event};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use serde_json::Value;

use super::webhooks::{as_i64, as_text, Envelope};

/// Why an event was not applied: stored as its `reason` (seen by operators, never by the
/// platform, whose answer is a plain 200).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

impl From<DbErr> for Refusal {
    fn from(err: DbErr) -> Self {
        tracing::warn!(error = %err, "an event's application failed in the database");
        Refusal(format!("the database refused it: {err}"))
    }
}

type Applied<T = ()> = Result<T, Refusal>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Meeting,
    Webinar,
}

impl Kind {
    fn prefix(self) -> &'static str {
        match self {
            Kind::Meeting => "meeting",
            Kind::Webinar => "webinar",
        }
    }

    fn column_value(self) -> &'static str {
        match self {
            Kind::Meeting => "MEETING",
            Kind::Webinar => "WEBINAR",
        }
    }
}

/// What an event name is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    User,
    SignIn,
    /// created / updated / deleted of a meeting or webinar (by its number).
    Schedule(Kind),
    /// started / ended of one occurrence (by its uuid).
    Session(Kind),
    /// Known, kept for a later version.
    NotYet,
    Unknown,
}

const USER_EVENTS: [&str; 4] = [
    "user.created",
    "user.updated",
    "user.deactivated",
    "user.deleted",
];

fn family(event: &str) -> Family {
    if USER_EVENTS.contains(&event) {
        return Family::User;
    }
    if event == "user.signed_in" || event == "user.signed_out" {
        return Family::SignIn;
    }
    if event == "recording.completed" {
        return Family::NotYet;
    }
    let Some((prefix, action)) = event.split_once('.') else {
        return Family::Unknown;
    };
    let kind = match prefix {
        "meeting" => Kind::Meeting,
        "webinar" => Kind::Webinar,
        _ => return Family::Unknown,
    };
    match action {
        "created" | "updated" | "deleted" => Family::Schedule(kind),
        "started" | "ended" => Family::Session(kind),
        "participant_joined"
        | "participant_left"
        | "registration_created"
        | "registration_approved"
        | "registration_cancelled"
        | "registration_denied" => Family::NotYet,
        _ => Family::Unknown,
    }
}

/// The platform id of the object an event is about: what its stored events are grouped by.
pub fn object_id(envelope: &Envelope) -> Option<String> {
    let object = envelope.object();
    match family(&envelope.event) {
        Family::Session(_) => object.get("uuid").and_then(as_text),
        Family::User | Family::SignIn | Family::Schedule(_) => object.get("id").and_then(as_text),
        Family::NotYet | Family::Unknown => object
            .get("uuid")
            .and_then(as_text)
            .or_else(|| object.get("id").and_then(as_text)),
    }
}

/// Applies one event of `account`. A `Refusal` leaves the tables as they were (the caller
/// rolls back its savepoint) and keeps the event `FAILED` with the reason.
pub async fn apply(
    db: &impl ConnectionTrait,
    account: &account::Model,
    envelope: &Envelope,
) -> Applied {
    let ctx = Ctx {
        account,
        platform_account_id: envelope.platform_account_id(),
        at: ms_to_time(envelope.event_ts),
    };
    let required = |what: &str| {
        Refusal(format!(
            "`{}` without {what}: nothing to apply it to",
            envelope.event
        ))
    };
    match family(&envelope.event) {
        Family::User => {
            let id = object_id(envelope).ok_or_else(|| required("payload.object.id"))?;
            refresh_user(db, &ctx, &id, None).await.map(|_| ())
        }
        Family::SignIn => sign_in(db, &ctx, envelope).await,
        Family::Schedule(kind) => {
            let number = object_id(envelope).ok_or_else(|| required("payload.object.id"))?;
            // `None`: an update of a meeting not known yet; it is folded in when the
            // meeting's creation (or a session of it) arrives.
            refresh_meeting(db, &ctx, kind, &number, None)
                .await
                .map(|_| ())
        }
        Family::Session(kind) => {
            let uuid = object_id(envelope).ok_or_else(|| required("payload.object.uuid"))?;
            refresh_session(db, &ctx, kind, &uuid, envelope).await
        }
        Family::NotYet => Err(Refusal(format!(
            "`{}` is not applied by this version (participants, registrations and recordings \
             need the live-meeting schema); kept for `events replay`",
            envelope.event
        ))),
        Family::Unknown => Err(Refusal(format!(
            "unknown event type `{}`; kept for `events replay`",
            envelope.event
        ))),
    }
}

struct Ctx<'a> {
    account: &'a account::Model,
    platform_account_id: String,
    /// When the event being applied occurred.
    at: DateTime<Utc>,
}

fn ms_to_time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

fn time_field(object: &Value, name: &str) -> Option<DateTime<Utc>> {
    object
        .get(name)
        .and_then(Value::as_str)
        .and_then(|s| s.trim().parse::<DateTime<Utc>>().ok())
}

fn text_field(object: &Value, name: &str) -> Option<String> {
    object.get(name).and_then(as_text)
}

/// The stored events of one object of the account, oldest first (ties: arrival order).
async fn stored_events(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    object_id: &str,
    events: &[String],
) -> Applied<Vec<Envelope>> {
    let rows = ingest_event::Entity::find()
        .filter(ingest_event::Column::PlatformAccountId.eq(ctx.platform_account_id.as_str()))
        .filter(ingest_event::Column::ObjectId.eq(object_id))
        .filter(ingest_event::Column::Event.is_in(events.iter().map(String::as_str)))
        .order_by_asc(ingest_event::Column::EventTs)
        .order_by_asc(ingest_event::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|row| Envelope::parse(row.body.as_bytes()).ok())
        .collect())
}

// ---- users ----------------------------------------------------------------------------------

/// A user as the user.* events describe them; `None`: no event said.
#[derive(Debug, Default)]
struct UserState {
    email: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    user_type: Option<&'static str>,
    /// `Some(None)`: (re)created after any deactivation.
    deactivated_at: Option<Option<DateTime<Utc>>>,
    created_at: Option<DateTime<Utc>>,
}

/// The platform's user `type`: 1 basic, 2 licensed, 3 on-premises (licensed); the rest basic.
fn user_type(object: &Value) -> Option<&'static str> {
    object.get("type").and_then(as_i64).map(|t| match t {
        2 | 3 => "LICENSED",
        _ => "BASIC",
    })
}

fn fold_user(events: &[Envelope]) -> UserState {
    let mut state = UserState::default();
    for envelope in events {
        let object = envelope.object();
        let at = ms_to_time(envelope.event_ts);
        if let Some(email) = text_field(object, "email") {
            state.email = Some(email.to_lowercase());
        }
        if let Some(first) = object.get("first_name").and_then(Value::as_str) {
            state.first_name = Some(first.to_owned());
        }
        if let Some(last) = object.get("last_name").and_then(Value::as_str) {
            state.last_name = Some(last.to_owned());
        }
        if let Some(t) = user_type(object) {
            state.user_type = Some(t);
        }
        match envelope.event.as_str() {
            "user.created" => {
                state.created_at.get_or_insert(at);
                state.deactivated_at = Some(None);
            }
            "user.deactivated" | "user.deleted" => state.deactivated_at = Some(Some(at)),
            _ => {}
        }
    }
    if state.created_at.is_none() {
        state.created_at = events.first().map(|e| ms_to_time(e.event_ts));
    }
    state
}

/// Derives the user `source_id` from its stored user.* events and writes it; creates the user
/// when absent. `email_hint` (e.g. a sign-in's email) is used only to create a user no user.*
/// event has described. Returns the row id.
async fn refresh_user(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    source_id: &str,
    email_hint: Option<String>,
) -> Applied<i64> {
    let names: Vec<String> = USER_EVENTS.iter().map(|e| (*e).to_owned()).collect();
    let state = fold_user(&stored_events(db, ctx, source_id, &names).await?);
    let account_id = ctx.account.id;
    let mut existing = app_user::Entity::find()
        .filter(app_user::Column::AccountId.eq(account_id))
        .filter(app_user::Column::SourceId.eq(source_id))
        .one(db)
        .await?;
    // A user made here before the platform named them (the owner from `account add`) is the
    // same person as the platform user with that email in that account: adopt the row.
    if existing.is_none() {
        if let Some(email) = state.email.as_ref().or(email_hint.as_ref()) {
            existing = app_user::Entity::find()
                .filter(app_user::Column::AccountId.eq(account_id))
                .filter(app_user::Column::Email.eq(email.to_lowercase()))
                .filter(app_user::Column::SourceId.is_null())
                .one(db)
                .await?;
        }
    }
    if let Some(email) = &state.email {
        let taken = app_user::Entity::find()
            .filter(app_user::Column::Email.eq(email.as_str()))
            .one(db)
            .await?;
        if let Some(other) = taken.filter(|u| Some(u.id) != existing.as_ref().map(|e| e.id)) {
            return Err(Refusal(if other.account_id == account_id {
                format!(
                    "the email {email} belongs to another user of the account (id {})",
                    other.id
                )
            } else {
                format!("the email {email} belongs to a user of another account")
            }));
        }
    }
    match existing {
        Some(found) => {
            let mut active: app_user::ActiveModel = found.into();
            active.source_id = Set(Some(source_id.to_owned()));
            if let Some(email) = state.email {
                active.email = Set(email);
            }
            if let Some(first) = state.first_name {
                active.first_name = Set(first);
            }
            if let Some(last) = state.last_name {
                active.last_name = Set(last);
            }
            if let Some(t) = state.user_type {
                active.user_type = Set(t.to_owned());
            }
            if let Some(deactivated) = state.deactivated_at {
                active.deactivated_at = Set(deactivated);
            }
            Ok(active.update(db).await?.id)
        }
        None => {
            let email = match state.email {
                Some(email) => email,
                None => match email_hint.map(|e| e.to_lowercase()) {
                    Some(hint) if !email_taken(db, &hint).await? => hint,
                    _ => placeholder_email(account_id, source_id),
                },
            };
            let created = app_user::ActiveModel {
                account_id: Set(account_id),
                source_id: Set(Some(source_id.to_owned())),
                email: Set(email),
                first_name: Set(state.first_name.unwrap_or_default()),
                last_name: Set(state.last_name.unwrap_or_default()),
                role: Set("MEMBER".to_owned()),
                custom_role_id: Set(None),
                department_id: Set(None),
                user_type: Set(state.user_type.unwrap_or("BASIC").to_owned()),
                created_at: Set(state.created_at.unwrap_or(ctx.at)),
                last_login_at: Set(None),
                last_client_version: Set(None),
                deactivated_at: Set(state.deactivated_at.flatten()),
                ..Default::default()
            }
            .insert(db)
            .await?;
            Ok(created.id)
        }
    }
}

async fn email_taken(db: &impl ConnectionTrait, email: &str) -> Applied<bool> {
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email))
        .one(db)
        .await?
        .is_some())
}

/// A placeholder user (a host or a signed-in user no user.* event has described yet) needs an
/// email, which is NOT NULL and unique: this one is unique per account and platform id, in the
/// reserved `.invalid` domain, and is replaced by the real one when the user's user.created or
/// user.updated arrives (the row is found again by its platform id).
fn placeholder_email(account_id: i64, source_id: &str) -> String {
    format!(
        "user-{account_id}-{}@placeholder.invalid",
        hex::encode(source_id.as_bytes())
    )
}

// ---- sign-ins -------------------------------------------------------------------------------

async fn sign_in(db: &impl ConnectionTrait, ctx: &Ctx<'_>, envelope: &Envelope) -> Applied {
    let object = envelope.object();
    let user_source = text_field(object, "id")
        .ok_or_else(|| Refusal(format!("`{}` without payload.object.id", envelope.event)))?;
    let user_id = refresh_user(db, ctx, &user_source, text_field(object, "email")).await?;
    // The event's own identity: a retried delivery is the same sign-in.
    let source_id = envelope.identity();
    let exists = sign_in_event::Entity::find()
        .filter(sign_in_event::Column::AccountId.eq(ctx.account.id))
        .filter(sign_in_event::Column::SourceId.eq(source_id.as_str()))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(());
    }
    let occurred_at = time_field(object, "date_time").unwrap_or(ctx.at);
    let signing_in = envelope.event == "user.signed_in";
    let version = text_field(object, "version").unwrap_or_default();
    sign_in_event::ActiveModel {
        account_id: Set(ctx.account.id),
        source_id: Set(source_id),
        user_id: Set(user_id),
        occurred_at: Set(occurred_at),
        event_type: Set(if signing_in { "SIGN_IN" } else { "SIGN_OUT" }.to_owned()),
        // The platform's sign-in events carry no IP address: stored empty.
        ip_address: Set(String::new()),
        client_type: Set(text_field(object, "client_type").unwrap_or_default()),
        version: Set(version.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if signing_in {
        // The latest sign-in wins whatever order they arrive in.
        if let Some(user) = app_user::Entity::find_by_id(user_id).one(db).await? {
            if user.last_login_at.is_none_or(|last| last < occurred_at) {
                let mut active: app_user::ActiveModel = user.into();
                active.last_login_at = Set(Some(occurred_at));
                if !version.is_empty() {
                    active.last_client_version = Set(Some(version));
                }
                active.update(db).await?;
            }
        }
    }
    Ok(())
}

// ---- meetings and webinars ------------------------------------------------------------------

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
async fn refresh_meeting(
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

/// Derives the occurrence `uuid` from its stored started / ended events: the start is the
/// `started` event's (else the `ended` event's `start_time`), the end the `ended` event's.
async fn refresh_session(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    kind: Kind,
    uuid: &str,
    envelope: &Envelope,
) -> Applied {
    let object = envelope.object();
    let number = text_field(object, "id")
        .ok_or_else(|| Refusal(format!("`{}` without payload.object.id", envelope.event)))?;
    let meeting_id = refresh_meeting(db, ctx, kind, &number, Some(object))
        .await?
        .ok_or_else(|| {
            Refusal(format!(
                "`{}` of meeting {number}, whose host is not known (no host_id)",
                envelope.event
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
    let start_time = started.or(ended_start).or(ended).unwrap_or(ctx.at);
    let existing = meeting_session::Entity::find()
        .filter(meeting_session::Column::AccountId.eq(ctx.account.id))
        .filter(meeting_session::Column::SourceId.eq(uuid))
        .one(db)
        .await?;
    match existing {
        Some(found) => {
            let mut active: meeting_session::ActiveModel = found.into();
            active.meeting_id = Set(meeting_id);
            active.start_time = Set(start_time);
            active.end_time = Set(ended);
            active.update(db).await?;
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
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names_are_sorted_into_what_is_applied_and_what_is_kept() {
        assert_eq!(family("user.updated"), Family::User);
        assert_eq!(family("webinar.ended"), Family::Session(Kind::Webinar));
        assert_eq!(family("meeting.deleted"), Family::Schedule(Kind::Meeting));
        assert_eq!(family("meeting.participant_left"), Family::NotYet);
        assert_eq!(family("recording.completed"), Family::NotYet);
        assert_eq!(family("phone.caller_ended"), Family::Unknown);
        assert_eq!(family("nonsense"), Family::Unknown);
    }
}
