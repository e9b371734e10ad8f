//! Our own event types (`gateway.*`): report data the platform does not push as webhooks
//! (poll results, Q&A, phone legs, phone-system calls, remote support, invoices, operation
//! logs, cloud storage), in the platform's envelope, so any platform can feed every report.
//! `EVENTS.md` at the repository root documents every type and field for the senders.
//!
//! Every type carries a whole object (a poll with its questions and answers, an invoice with its
//! lines) identified by the sender's id within the account ([`OwnEvent::object_id`]). Applying
//! an event writes the **newest stored version** of its object (greatest `event_ts`; on a tie the
//! one received last), replacing that object's rows: a retried delivery rewrites the same rows,
//! and an older version that arrives after a newer one leaves the newer one in place. Things
//! inside a meeting occurrence (polls, Q&A, phone legs, remote support) name it by the
//! platform's meeting fields (`id`, `uuid`, `host_id`, ...), and create it when it was never
//! announced, as the platform's own events do.
//!
//! One file per report domain, as in `reports/`: `polls.rs`, `qa.rs`, `telephone.rs`,
//! `phone_system.rs`, `remote_support.rs`, `billing.rs`, `activity.rs` (operation logs),
//! `cloud_recording.rs` (storage); this file holds what they share: the names, the newest
//! version, the lenient field reader and the link of a join row to what names it.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use entity::{app_user, meeting};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter};
use serde_json::Value;

use super::{ms_to_time, stored_events, users::refresh_user, Applied, Ctx, Kind, Refusal};
use crate::ingest::webhooks::{as_i64, as_text, Envelope};

mod activity;
mod billing;
mod cloud_recording;
mod phone_system;
mod polls;
mod qa;
mod remote_support;
mod telephone;

pub(crate) use polls::poll_key;

/// Our own event types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OwnEvent {
    PollResults,
    QaQuestion,
    TelephoneLeg,
    PhoneCall,
    RemoteSupportSession,
    Invoice,
    OperationLog,
    StorageUsage,
}

impl OwnEvent {
    pub(super) const ALL: [OwnEvent; 8] = [
        OwnEvent::PollResults,
        OwnEvent::QaQuestion,
        OwnEvent::TelephoneLeg,
        OwnEvent::PhoneCall,
        OwnEvent::RemoteSupportSession,
        OwnEvent::Invoice,
        OwnEvent::OperationLog,
        OwnEvent::StorageUsage,
    ];

    /// The event name; every one starts with `gateway.`, which no platform event does.
    pub(super) fn name(self) -> &'static str {
        match self {
            OwnEvent::PollResults => "gateway.poll_results",
            OwnEvent::QaQuestion => "gateway.qa_question",
            OwnEvent::TelephoneLeg => "gateway.telephone_leg",
            OwnEvent::PhoneCall => "gateway.phone_call",
            OwnEvent::RemoteSupportSession => "gateway.remote_support_session",
            OwnEvent::Invoice => "gateway.invoice",
            OwnEvent::OperationLog => "gateway.operation_log",
            OwnEvent::StorageUsage => "gateway.storage_usage",
        }
    }

    pub(super) fn parse(event: &str) -> Option<Self> {
        OwnEvent::ALL.into_iter().find(|e| e.name() == event)
    }

    /// The identity of the event's object within the account: what its versions are grouped
    /// by (and what its row's `source_id` is).
    pub(super) fn object_id(self, object: &Value) -> Option<String> {
        let field = |outer: &str, name: &str| {
            object
                .get(outer)
                .and_then(|o| o.get(name))
                .and_then(as_text)
        };
        match self {
            // A poll is defined once per meeting and launched in several occurrences: one
            // result per occurrence and poll.
            // Without an occurrence: the poll as defined for the meeting, not run yet.
            OwnEvent::PollResults => {
                let poll = field("poll", "id")?;
                match object.get("uuid").and_then(as_text) {
                    Some(uuid) => Some(polls::result_id(&uuid, &poll)),
                    None => Some(polls::definition_id(
                        &object.get("id").and_then(as_text)?,
                        &poll,
                    )),
                }
            }
            OwnEvent::QaQuestion => field("question", "id"),
            OwnEvent::TelephoneLeg => field("telephone_leg", "id"),
            OwnEvent::RemoteSupportSession => field("remote_support", "id"),
            OwnEvent::PhoneCall | OwnEvent::Invoice | OwnEvent::OperationLog => {
                object.get("id").and_then(as_text)
            }
            // One figure per day: `2026-11-03` and `2026-11-3` are the same day.
            OwnEvent::StorageUsage => {
                let day = object.get("date").and_then(as_text)?;
                Some(
                    NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                        .map_or(day, |d| d.format("%Y-%m-%d").to_string()),
                )
            }
        }
    }
}

/// A `gateway.*` name that is none of ours: the refusal names the ones there are.
pub(super) fn unknown_own_event(event: &str) -> Refusal {
    let names: Vec<&str> = OwnEvent::ALL.iter().map(|e| e.name()).collect();
    Refusal(format!(
        "unknown event type `{event}` (our own types are {}); kept for `events replay`",
        names.join(", ")
    ))
}

/// Applies one of our own events: its object's newest stored version replaces the object's
/// rows.
pub(super) async fn apply(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    own: OwnEvent,
    envelope: &Envelope,
) -> Applied {
    let named = |Refusal(reason): Refusal| Refusal(format!("`{}`: {reason}", own.name()));
    match own {
        OwnEvent::PollResults => newest::<polls::PollResults>(db, ctx, own, envelope).await,
        OwnEvent::QaQuestion => newest::<qa::QaQuestion>(db, ctx, own, envelope).await,
        OwnEvent::TelephoneLeg => newest::<telephone::TelephoneLeg>(db, ctx, own, envelope).await,
        OwnEvent::PhoneCall => newest::<phone_system::PhoneCall>(db, ctx, own, envelope).await,
        OwnEvent::RemoteSupportSession => {
            newest::<remote_support::RemoteSupport>(db, ctx, own, envelope).await
        }
        OwnEvent::Invoice => newest::<billing::Invoice>(db, ctx, own, envelope).await,
        OwnEvent::OperationLog => newest::<activity::OperationLog>(db, ctx, own, envelope).await,
        OwnEvent::StorageUsage => {
            newest::<cloud_recording::StorageUsage>(db, ctx, own, envelope).await
        }
    }
    .map_err(named)
}

/// The object of one of our own event types, read from its event and written to its rows.
trait OwnObject: Sized {
    fn parse(object: &Fields<'_>) -> Result<Self, Refusal>;

    /// Replaces the object's rows with this version. `object` is the version's raw
    /// `payload.object` (its meeting fields), `at` its `event_ts`.
    async fn write(
        self,
        db: &impl ConnectionTrait,
        ctx: &Ctx<'_>,
        object: &Value,
        at: DateTime<Utc>,
    ) -> Applied;
}

/// Refuses a malformed event; otherwise writes the newest readable stored version of its
/// object (this event is stored already, so it is one of them).
async fn newest<T: OwnObject>(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    own: OwnEvent,
    envelope: &Envelope,
) -> Applied {
    let current = T::parse(&Fields::object_of(envelope)?)?;
    let id = own
        .object_id(envelope.object())
        .ok_or_else(|| Refusal("the object has no id".to_owned()))?;
    let versions = stored_events(db, ctx, &id, &[own.name().to_owned()]).await?;
    // Oldest first; a stored version that does not read (kept FAILED) is passed over.
    let newest = versions.iter().rev().find_map(|version| {
        let fields = Fields::object_of(version).ok()?;
        let parsed = T::parse(&fields).ok()?;
        Some((version, parsed))
    });
    match newest {
        Some((version, parsed)) => {
            parsed
                .write(db, ctx, version.object(), ms_to_time(version.event_ts))
                .await
        }
        None => {
            current
                .write(db, ctx, envelope.object(), ms_to_time(envelope.event_ts))
                .await
        }
    }
}

// ---- reading fields leniently ------------------------------------------------------------

/// A JSON object of an event, read as leniently as the platform's own events are (numbers as
/// strings and strings as numbers, blank strings as absent), and refused with the path of the
/// field when a value that is needed is missing or cannot be read.
pub(super) struct Fields<'a> {
    value: &'a serde_json::Map<String, Value>,
    path: String,
}

impl<'a> Fields<'a> {
    fn object_of(envelope: &'a Envelope) -> Result<Self, Refusal> {
        Self::new(envelope.object(), "payload.object".to_owned())
    }

    fn new(value: &'a Value, path: String) -> Result<Self, Refusal> {
        match value {
            Value::Object(map) => Ok(Self { value: map, path }),
            Value::Null => Err(Refusal(format!("`{path}` is missing"))),
            _ => Err(Refusal(format!("`{path}` is not an object"))),
        }
    }

    fn path(&self, name: &str) -> String {
        format!("{}.{name}", self.path)
    }

    fn missing(&self, name: &str) -> Refusal {
        Refusal(format!("`{}` is missing", self.path(name)))
    }

    fn unreadable(&self, name: &str, what: &str) -> Refusal {
        let shown = self
            .value
            .get(name)
            .map(Value::to_string)
            .unwrap_or_default();
        Refusal(format!("`{}` is not {what}: {shown}", self.path(name)))
    }

    /// The value, unless absent, null or a blank string.
    fn present(&self, name: &str) -> Option<&'a Value> {
        match self.value.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(v) => Some(v),
        }
    }

    /// A nested object (required).
    fn object(&self, name: &str) -> Result<Fields<'a>, Refusal> {
        let value = self.present(name).ok_or_else(|| self.missing(name))?;
        Fields::new(value, self.path(name))
    }

    /// A nested object, when present.
    fn optional_object(&self, name: &str) -> Result<Option<Fields<'a>>, Refusal> {
        self.present(name)
            .map(|value| Fields::new(value, self.path(name)))
            .transpose()
    }

    /// A list of objects; absent or null: empty.
    fn list(&self, name: &str) -> Result<Vec<Fields<'a>>, Refusal> {
        match self.present(name) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| Fields::new(item, format!("{}[{i}]", self.path(name))))
                .collect(),
            Some(_) => Err(self.unreadable(name, "a list")),
        }
    }

    /// Text (a number is read as its text), trimmed; absent, null or blank: none.
    fn text(&self, name: &str) -> Result<Option<String>, Refusal> {
        match self.present(name) {
            None => Ok(None),
            Some(value) => as_text(value)
                .map(Some)
                .ok_or_else(|| self.unreadable(name, "text")),
        }
    }

    fn required_text(&self, name: &str) -> Result<String, Refusal> {
        self.text(name)?.ok_or_else(|| self.missing(name))
    }

    /// An email address, lower-cased as the users' are.
    fn email(&self, name: &str) -> Result<Option<String>, Refusal> {
        Ok(self.text(name)?.map(|e| e.to_lowercase()))
    }

    /// A whole number (or its text).
    fn int(&self, name: &str) -> Result<Option<i64>, Refusal> {
        match self.present(name) {
            None => Ok(None),
            Some(value) => as_i64(value)
                .or_else(|| {
                    // 60.0 is 60.
                    value
                        .as_f64()
                        .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                        .map(|f| f as i64)
                })
                .map(Some)
                .ok_or_else(|| self.unreadable(name, "a whole number")),
        }
    }

    /// A whole number that is not negative.
    fn count(&self, name: &str) -> Result<Option<i64>, Refusal> {
        match self.int(name)? {
            Some(n) if n < 0 => Err(self.unreadable(name, "a count (0 or more)")),
            n => Ok(n),
        }
    }

    /// `true` / `false` (also as text, or 1 / 0).
    fn flag(&self, name: &str) -> Result<Option<bool>, Refusal> {
        match self.present(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(value) => match as_text(value).map(|t| t.to_lowercase()).as_deref() {
                Some("true" | "1" | "yes") => Ok(Some(true)),
                Some("false" | "0" | "no") => Ok(Some(false)),
                _ => Err(self.unreadable(name, "true or false")),
            },
        }
    }

    /// An ISO-8601 time (`2026-11-03T10:00:00Z`, or with an offset); without an offset it is
    /// read as UTC.
    fn time(&self, name: &str) -> Result<Option<DateTime<Utc>>, Refusal> {
        let Some(text) = self.text(name)? else {
            return Ok(None);
        };
        text.parse::<DateTime<Utc>>()
            .ok()
            .or_else(|| {
                NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S%.f")
                    .ok()
                    .map(|t| t.and_utc())
            })
            .map(Some)
            .ok_or_else(|| self.unreadable(name, "an ISO-8601 time (yyyy-mm-ddThh:mm:ssZ)"))
    }

    fn required_time(&self, name: &str) -> Result<DateTime<Utc>, Refusal> {
        self.time(name)?.ok_or_else(|| self.missing(name))
    }

    /// A day, `yyyy-mm-dd`.
    fn date(&self, name: &str) -> Result<NaiveDate, Refusal> {
        let text = self.required_text(name)?;
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map_err(|_| self.unreadable(name, "a day (yyyy-mm-dd)"))
    }

    /// Money: a decimal in the currency's unit (`"12.50"`, or the number 12.5), exact to the
    /// millionth, as millionths.
    fn money(&self, name: &str) -> Result<Option<i64>, Refusal> {
        let Some(text) = self.text(name)? else {
            return Ok(None);
        };
        parse_micros(&text).map(Some).ok_or_else(|| {
            self.unreadable(
                name,
                "an amount (a decimal such as \"12.50\", at most 6 decimals)",
            )
        })
    }

    /// Money that is not negative (rates, charges).
    fn charge(&self, name: &str) -> Result<Option<i64>, Refusal> {
        match self.money(name)? {
            Some(m) if m < 0 => Err(self.unreadable(name, "an amount of 0 or more")),
            m => Ok(m),
        }
    }

    /// An ISO 4217 currency code, upper-cased; `USD` when not given (the platform's reports
    /// are in USD).
    fn currency(&self, name: &str) -> Result<String, Refusal> {
        match self.text(name)? {
            None => Ok("USD".to_owned()),
            Some(code) if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) => {
                Ok(code.to_uppercase())
            }
            Some(_) => Err(self.unreadable(name, "a currency code (e.g. USD)")),
        }
    }

    /// A value of a closed set, given in any of the platform's spellings (`toll-free`,
    /// `Toll Free`, `TOLL_FREE`): the words upper-cased and joined by `_`, then looked up.
    fn choice(
        &self,
        name: &str,
        lookup: impl Fn(&str) -> Option<&'static str>,
        allowed: &str,
    ) -> Result<Option<&'static str>, Refusal> {
        let Some(text) = self.text(name)? else {
            return Ok(None);
        };
        lookup(&constant_case(&text))
            .map(Some)
            .ok_or_else(|| self.unreadable(name, &format!("one of {allowed}")))
    }
}

/// `toll-free`, `Toll Free`, `TOLL_FREE` -> `TOLL_FREE`.
fn constant_case(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .collect::<Vec<_>>()
        .join("_")
}

/// `"12.5"` -> 12_500_000; at most 6 decimals, an optional sign.
fn parse_micros(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty())
        || !all_digits(whole)
        || !all_digits(fraction)
        || fraction.len() > 6
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction: i64 = format!("{fraction:0<6}").parse().ok()?;
    let micros = whole.checked_mul(1_000_000)?.checked_add(fraction)?;
    Some(if negative { -micros } else { micros })
}

// ---- what the objects name -----------------------------------------------------------------

/// Whether the occurrence an event names is a meeting's or a webinar's: the kind of the
/// meeting with that number when the account has it (the platform's own events said so), else
/// the platform's `type` (5, 6, 9 are webinars), else a meeting.
async fn kind_of(db: &impl ConnectionTrait, ctx: &Ctx<'_>, object: &Value) -> Applied<Kind> {
    if let Some(number) = object.get("id").and_then(as_text) {
        let found = meeting::Entity::find()
            .filter(meeting::Column::AccountId.eq(ctx.account.id))
            .filter(meeting::Column::SourceId.eq(number.as_str()))
            .one(db)
            .await?;
        if let Some(found) = found {
            return Ok(if found.kind == Kind::Webinar.column_value() {
                Kind::Webinar
            } else {
                Kind::Meeting
            });
        }
    }
    Ok(match object.get("type").and_then(as_i64) {
        Some(5 | 6 | 9) => Kind::Webinar,
        _ => Kind::Meeting,
    })
}

/// The occurrence (and meeting) the object's meeting fields name, found or created.
async fn occurrence(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    event: OwnEvent,
    object: &Value,
) -> Applied<super::meetings::SessionIds> {
    let kind = kind_of(db, ctx, object).await?;
    super::meetings::ensure_session(db, ctx, kind, event.name(), object).await
}

/// The account's user an object names: by the platform's user id (found, or created as the
/// platform's own events create a user they name, and completed by the user's events), else by
/// email among the users already known; none when neither names one.
async fn user_named(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    platform_id: Option<&str>,
    email: Option<&str>,
) -> Applied<Option<i64>> {
    if let Some(id) = platform_id {
        return refresh_user(db, ctx, id, email.map(str::to_owned))
            .await
            .map(Some);
    }
    let Some(email) = email else {
        return Ok(None);
    };
    Ok(app_user::Entity::find()
        .filter(app_user::Column::AccountId.eq(ctx.account.id))
        .filter(app_user::Column::Email.eq(email.to_lowercase()))
        .one(db)
        .await?
        .map(|u| u.id))
}

/// Links what names a join row before it arrived (poll answers and telephone legs of its
/// session that carry its per-join id, or for answers without one, its email) to the join row
/// `participant_id`. The participant applier calls it after writing a join row; the other
/// order is linked by the poll and leg appliers themselves.
pub(in crate::ingest::apply) async fn link_join(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    session_id: i64,
    join_id: &str,
    email: Option<&str>,
    participant_id: i64,
) -> Applied {
    polls::link_join(db, ctx, session_id, join_id, email, participant_id).await?;
    telephone::link_join(db, ctx, session_id, join_id, participant_id).await
}

/// Of `sessions`, those with a poll answer or a telephone leg not linked to a join row yet:
/// the only ones where [`link_join`] can change anything (one statement for a set of new joins
/// instead of two per join).
pub(in crate::ingest::apply) async fn unlinked_sessions(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    sessions: &[i64],
) -> Applied<HashSet<i64>> {
    if sessions.is_empty() {
        return Ok(HashSet::new());
    }
    #[derive(FromQueryResult)]
    struct Waiting {
        session_id: i64,
    }
    let backend = db.get_database_backend();
    let in_ids = reports::sql::in_ids(backend);
    let sql = format!(
        "SELECT p.session_id FROM poll p JOIN poll_question q ON q.poll_id = p.id \
         JOIN poll_response r ON r.question_id = q.id \
         WHERE p.account_id = ? AND p.session_id {in_ids} AND r.participant_id IS NULL \
         UNION SELECT session_id FROM telephone_call \
         WHERE account_id = ? AND session_id {in_ids} AND participant_id IS NULL"
    );
    let mut ids = sessions.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let list = reports::sql::id_array(backend, &ids);
    let rows = Waiting::find_by_statement(reports::sql::statement(
        backend,
        &sql,
        vec![
            ctx.account.id.into(),
            list.clone(),
            ctx.account.id.into(),
            list,
        ],
    ))
    .all(db)
    .await?;
    Ok(rows.into_iter().map(|w| w.session_id).collect())
}

#[cfg(test)]
mod tests {
    use chrono_tz::UTC;
    use entity::{account, poll_response, telephone_call};
    use sea_orm::{DatabaseConnection, QueryOrder, QuerySelect};

    use super::*;
    use crate::{
        auth::Plan,
        ingest::{
            accounts::{add_account, NewAccount},
            events::{ingest, Stored, APPLIED},
        },
    };

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("RFC 3339")
    }

    async fn send(db: &DatabaseConnection, event: &str, object: Value) {
        let body = serde_json::json!({ "event": event, "event_ts": at("2026-11-10T12:00:00Z").timestamp_millis(),
            "payload": { "account_id": "link-acct", "object": object } })
        .to_string();
        let envelope = Envelope::parse(body.as_bytes()).expect("an envelope");
        let stored = ingest(db, &envelope, &body, at("2026-11-10T12:00:00Z"))
            .await
            .expect("stored");
        assert!(
            matches!(
                stored,
                Stored::New {
                    status: APPLIED,
                    ..
                }
            ),
            "{stored:?}"
        );
    }

    /// In-memory SQLite; with `TEST_DATABASE_URL`, a fresh schema of that PostgreSQL database
    /// (as the integration tests do), so the link's SQL runs on both.
    async fn test_database() -> DatabaseConnection {
        let Some(url) = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        else {
            return crate::db::connect("sqlite::memory:").await.expect("SQLite");
        };
        let admin = sea_orm::Database::connect(url.as_str())
            .await
            .expect("PostgreSQL");
        // One fixed name, replaced by each run: runs leave no schemas piling up.
        let schema = "unit_own_link";
        admin
            .execute_unprepared(&format!(
                "DROP SCHEMA IF EXISTS \"{schema}\" CASCADE; CREATE SCHEMA \"{schema}\""
            ))
            .await
            .expect("a schema of its own");
        let mut options = sea_orm::ConnectOptions::new(url);
        options.sqlx_logging(false).set_schema_search_path(schema);
        let db = sea_orm::Database::connect(options)
            .await
            .expect("the schema");
        crate::db::migrate(&db).await.expect("migrations");
        db
    }

    /// The participant applier's side of the link: join rows written after the poll results
    /// and the leg that name them (by per-join id; an answer without one by email) are linked
    /// by `link_join`, and nothing else is.
    #[tokio::test]
    async fn a_join_row_that_arrives_later_is_linked_to_the_answers_and_legs_naming_it() {
        let db = test_database().await;
        let new = NewAccount {
            platform_id: "link-acct".into(),
            name: "Link".into(),
            plan: Plan::Business,
            time_zone: UTC,
            owner_email: "owner@link.example".into(),
            owner_name: None,
            billing_reports: true,
            webinar_addon: true,
        };
        add_account(&db, &new, at("2026-11-01T00:00:00Z"))
            .await
            .expect("account");
        let meeting = serde_json::json!({ "id": 81000000001i64, "uuid": "link-occ==", "host_id": "H1",
            "topic": "Linked", "type": 2, "start_time": "2026-11-10T09:00:00Z" });
        let mut poll = meeting.clone();
        poll["poll"] = serde_json::json!({ "id": "P1", "title": "Q", "launched_at": "2026-11-10T09:20:00Z",
            "questions": [{ "question": "Yes?", "type": "single", "responses": [
                { "participant": { "user_id": "J1" }, "name": "Ann", "answer": "Yes", "date_time": "2026-11-10T09:21:00Z" },
                { "name": "Bob", "email": "Bob@Link.example", "answer": "No", "date_time": "2026-11-10T09:22:00Z" },
                { "name": "Cy", "email": "cy@link.example", "answer": "No", "date_time": "2026-11-10T09:23:00Z" }
            ] }] });
        send(&db, "gateway.poll_results", poll).await;
        let mut leg = meeting.clone();
        leg["telephone_leg"] = serde_json::json!({ "id": "L1", "participant": { "user_id": "J1" }, "type": "toll",
            "caller_number": "+1 555 0100", "called_number": "+1 555 0199", "start_time": "2026-11-10T09:05:00Z",
            "end_time": "2026-11-10T09:35:00Z" });
        send(&db, "gateway.telephone_leg", leg).await;

        let session: (i64, i64) = entity::meeting_session::Entity::find()
            .select_only()
            .columns([
                entity::meeting_session::Column::Id,
                entity::meeting_session::Column::MeetingId,
            ])
            .into_tuple()
            .one(&db)
            .await
            .expect("read")
            .expect("the session the events created");
        let account = account::Entity::find()
            .one(&db)
            .await
            .expect("read")
            .expect("the account");
        let mut joined = Vec::new();
        for (join_id, email) in [("J1", "NULL"), ("J2", "'bob@link.example'")] {
            // Raw SQL: the join row as the participant applier writes it, whatever its entity.
            db.execute_unprepared(&format!(
                "INSERT INTO participant (account_id, source_id, session_id, meeting_id, name, email, join_time, \
                 leave_time, duration_seconds, join_method, role) VALUES ({}, 'link-occ==/{join_id}', {}, {}, 'x', {email}, \
                 '2026-11-10T09:05:00+00:00', '2026-11-10T09:50:00+00:00', 2700, 'COMPUTER', 'ATTENDEE')",
                account.id, session.0, session.1
            ))
            .await
            .expect("join row");
            let id: i64 = entity::participant::Entity::find()
                .select_only()
                .column(entity::participant::Column::Id)
                .filter(entity::participant::Column::SourceId.eq(format!("link-occ==/{join_id}")))
                .into_tuple()
                .one(&db)
                .await
                .expect("read")
                .expect("the join row");
            joined.push(id);
        }
        let ctx = Ctx {
            account: &account,
            platform_account_id: "link-acct".into(),
            at: at("2026-11-10T12:00:00Z"),
        };
        link_join(&db, &ctx, session.0, "J1", None, joined[0])
            .await
            .expect("linked");
        link_join(
            &db,
            &ctx,
            session.0,
            "J2",
            Some("bob@link.example"),
            joined[1],
        )
        .await
        .expect("linked");
        let answers: Vec<Option<i64>> = poll_response::Entity::find()
            .order_by_asc(poll_response::Column::AnsweredAt)
            .all(&db)
            .await
            .expect("read")
            .into_iter()
            .map(|r| r.participant_id)
            .collect();
        assert_eq!(answers, [Some(joined[0]), Some(joined[1]), None]);
        let legs: Vec<Option<i64>> = telephone_call::Entity::find()
            .all(&db)
            .await
            .expect("read")
            .into_iter()
            .map(|l| l.participant_id)
            .collect();
        assert_eq!(legs, [Some(joined[0])]);
    }

    #[test]
    fn money_is_read_exactly_to_the_millionth() {
        assert_eq!(parse_micros("12.5"), Some(12_500_000));
        assert_eq!(parse_micros("0.000001"), Some(1));
        assert_eq!(parse_micros("-3"), Some(-3_000_000));
        assert_eq!(parse_micros(".25"), Some(250_000));
        assert_eq!(parse_micros("7."), Some(7_000_000));
        for bad in [
            "",
            ".",
            "1.0000001",
            "1,5",
            "1e3",
            "12 USD",
            "--1",
            "99999999999999999",
        ] {
            assert_eq!(parse_micros(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_platforms_spellings_of_a_choice_are_one() {
        assert_eq!(constant_case("toll-free"), "TOLL_FREE");
        assert_eq!(constant_case(" Toll Free "), "TOLL_FREE");
        assert_eq!(constant_case("US toll-number"), "US_TOLL_NUMBER");
        assert_eq!(constant_case("ANSWERED"), "ANSWERED");
    }

    #[test]
    fn every_own_type_is_named_gateway_and_parsed_back() {
        for own in OwnEvent::ALL {
            assert!(own.name().starts_with("gateway."), "{own:?}");
            assert_eq!(OwnEvent::parse(own.name()), Some(own));
        }
        assert_eq!(OwnEvent::parse("gateway.teleport"), None);
    }

    #[test]
    fn a_poll_is_one_object_per_occurrence_and_a_day_one_per_date() {
        let poll = serde_json::json!({ "uuid": "occ==", "poll": { "id": 7 } });
        assert_eq!(
            OwnEvent::PollResults.object_id(&poll).as_deref(),
            Some(r#"["occ==","7"]"#)
        );
        let day = serde_json::json!({ "date": "2026-11-3" });
        assert_eq!(
            OwnEvent::StorageUsage.object_id(&day).as_deref(),
            Some("2026-11-03")
        );
    }
}
