//! Applying the platform's events to the report tables, idempotently and in any order.
//!
//! Rows are found by the platform's ids (user id, meeting number, occurrence uuid) within the
//! event's account, never by our row ids. For users, meetings and sessions the state is derived
//! from *all* the stored events of that object, folded in event-time order, so a
//! `meeting.updated` that arrives before its `meeting.created`, or an `ended` before its
//! `started`, ends in the same rows as in-order delivery, and a replay changes nothing.
//!
//! Applied: `user.created|updated|deactivated|deleted`, `user.signed_in|signed_out`,
//! `meeting.created|updated|deleted|started|ended|participant_joined|participant_left`,
//! `meeting.registration_created|approved|denied|cancelled`, their `webinar.*` twins, and
//! `recording.completed`. An unknown type is kept (`FAILED`) for `events replay`.
//!
//! Our own event types (`gateway.*`, documented in `EVENTS.md`) feed the report data the
//! platform pushes no webhook for: `own/` applies them.
//!
//! This file sorts an event by name (`family`) and hands it to the file of its object:
//! `users.rs` (users and sign-ins), `meetings.rs` (meetings, webinars, their occurrences),
//! `participants.rs` (joins), `registrations.rs`, `recordings.rs`, `own/` (our own types).

use chrono::{DateTime, Utc};
use entity::{account, ingest_event};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use super::webhooks::{as_text, Envelope};

mod meetings;
mod own;
mod participants;
mod recordings;
mod registrations;
mod users;

pub(crate) use own::poll_key;

use meetings::{refresh_meeting, refresh_session};
use own::OwnEvent;
use users::{refresh_user, sign_in};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// participant_joined / participant_left (by occurrence and join).
    Participant(Kind),
    /// registration_created / approved / denied / cancelled (by meeting and registrant).
    Registration(Kind),
    /// recording.completed (by occurrence).
    Recording,
    /// One of our own event types (`gateway.*`, see `own/`).
    Own(OwnEvent),
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
    if let Some(own) = OwnEvent::parse(event) {
        return Family::Own(own);
    }
    if event == recordings::EVENT {
        return Family::Recording;
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
        "participant_joined" | "participant_left" => Family::Participant(kind),
        "registration_created"
        | "registration_approved"
        | "registration_cancelled"
        | "registration_denied" => Family::Registration(kind),
        _ => Family::Unknown,
    }
}

/// The platform id of the object an event is about: what its stored events are grouped by.
pub fn object_id(envelope: &Envelope) -> Option<String> {
    let object = envelope.object();
    match family(&envelope.event) {
        Family::Session(_) | Family::Recording => object.get("uuid").and_then(as_text),
        Family::User | Family::SignIn | Family::Schedule(_) => object.get("id").and_then(as_text),
        Family::Participant(_) => participants::object_id(object),
        Family::Registration(_) => registrations::object_id(object),
        Family::Own(own) => own.object_id(object),
        Family::Unknown => object
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
            refresh_session(db, &ctx, kind, &uuid, &envelope.event, envelope.object())
                .await
                .map(|_| ())
        }
        Family::Participant(kind) => {
            participants::apply_participant(db, &ctx, kind, envelope).await
        }
        Family::Registration(kind) => {
            registrations::apply_registration(db, &ctx, kind, envelope).await
        }
        Family::Recording => recordings::apply_recording(db, &ctx, envelope).await,
        Family::Own(own) => own::apply(db, &ctx, own, envelope).await,
        Family::Unknown if envelope.event.starts_with("gateway.") => {
            Err(own::unknown_own_event(&envelope.event))
        }
        Family::Unknown => Err(Refusal(format!(
            "unknown event type `{}`; kept for `events replay`",
            envelope.event
        ))),
    }
}

/// Whether `event` is a join or a leave ([`apply_joins`] applies many at once).
pub fn is_join_event(event: &str) -> bool {
    matches!(family(event), Family::Participant(_))
}

/// Applies many join and leave events of `account` (each stored already, each with its object
/// id) in a few statements: the same rows as [`apply`] on each of them. A `Refusal` refuses the
/// set, and leaves the tables to the caller's rollback, as [`apply`] does for one event: the
/// caller then applies them one by one, so each keeps its own reason.
pub async fn apply_joins(
    db: &impl ConnectionTrait,
    account: &account::Model,
    envelopes: &[&Envelope],
) -> Applied {
    let Some(first) = envelopes.first() else {
        return Ok(());
    };
    let ctx = Ctx {
        account,
        platform_account_id: first.platform_account_id(),
        at: ms_to_time(first.event_ts),
    };
    let mut joins = Vec::with_capacity(envelopes.len());
    for envelope in envelopes {
        let Family::Participant(kind) = family(&envelope.event) else {
            return Err(Refusal(format!("`{}` is not a join", envelope.event)));
        };
        if envelope.platform_account_id() != ctx.platform_account_id {
            return Err(Refusal("joins of several accounts in one set".to_owned()));
        }
        joins.push((kind, *envelope));
    }
    participants::apply_participants(db, &ctx, &joins).await
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names_are_sorted_into_what_is_applied_and_what_is_kept() {
        assert_eq!(family("user.updated"), Family::User);
        assert_eq!(family("webinar.ended"), Family::Session(Kind::Webinar));
        assert_eq!(family("meeting.deleted"), Family::Schedule(Kind::Meeting));
        assert_eq!(
            family("meeting.participant_left"),
            Family::Participant(Kind::Meeting)
        );
        assert_eq!(
            family("webinar.registration_denied"),
            Family::Registration(Kind::Webinar)
        );
        assert_eq!(family("recording.completed"), Family::Recording);
        assert_eq!(family("phone.caller_ended"), Family::Unknown);
        assert_eq!(
            family("gateway.poll_results"),
            Family::Own(OwnEvent::PollResults)
        );
        assert_eq!(family("gateway.nonsense"), Family::Unknown);
        assert_eq!(family("nonsense"), Family::Unknown);
    }
}
