//! `meeting-reports export-events --account PLATFORM_ID`: an account's data written back out as
//! the envelopes `import` reads (NDJSON, one event per line), from the report tables — so data
//! that came from the seeds, a webhook or an import can move to another instance: export, then
//! `account add` with the same platform id and `import` there, and every report is the same.
//!
//! The platform's event types carry what its webhooks carry; what only its REST reports carry is
//! written in the same objects under the REST reports' own field names, and read back by the
//! appliers: a join's `role`, `join_method`, `device`, `ip_address`, `location`, a sign-in's
//! `ip_address`, a schedule's `settings.approval_type`. What the platform pushes no event for
//! (polls, Q&A, phone legs, phone-system calls, remote support, invoices, operation logs, daily
//! storage) is written as our own `gateway.*` types (`EVENTS.md`; `own.rs`). Rows are read a
//! page at a time.

use std::{collections::HashMap, io::Write};

use chrono::{DateTime, Utc};
use entity::{
    account, app_user, meeting, meeting_session, participant, recording, recording_file,
    registrant, sign_in_event,
};
use reports::Error;
use sea_orm::{
    sea_query::ValueType, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    ModelTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{json, Map, Value};

mod own;

const PAGE: u64 = 1000;

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub events: u64,
}

fn iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The platform's `type` of a meeting or webinar row (the inverse of the appliers' reading).
fn type_number(kind: &str, meeting_type: &str) -> i64 {
    match (kind, meeting_type) {
        ("WEBINAR", "RECURRING_NO_FIXED_TIME") => 6,
        ("WEBINAR", "RECURRING_FIXED") => 9,
        ("WEBINAR", _) => 5,
        (_, "INSTANT") => 1,
        (_, "RECURRING_NO_FIXED_TIME") => 3,
        (_, "RECURRING_FIXED") => 8,
        _ => 2,
    }
}

fn write_failed(err: std::io::Error) -> Error {
    tracing::error!(error = %err, "export: writing the output failed");
    Error::Internal
}

struct Writer<'a, W: Write> {
    out: &'a mut W,
    account: String,
    summary: ExportSummary,
}

impl<W: Write> Writer<'_, W> {
    fn event(&mut self, name: &str, at: DateTime<Utc>, object: Value) -> Result<(), Error> {
        let line = json!({
            "event": name,
            "event_ts": at.timestamp_millis(),
            "payload": { "account_id": self.account, "object": object },
        });
        writeln!(self.out, "{line}").map_err(write_failed)?;
        self.summary.events += 1;
        Ok(())
    }
}

/// A meeting as the events name it.
struct MeetingFacts {
    number: String,
    prefix: &'static str,
    host: String,
    topic: String,
    type_number: i64,
    created: DateTime<Utc>,
}

impl MeetingFacts {
    /// The meeting fields of an event about the meeting itself.
    fn fields(&self) -> Map<String, Value> {
        let mut o = Map::new();
        o.insert("id".into(), json!(self.number));
        o.insert("host_id".into(), json!(self.host));
        o.insert("topic".into(), json!(self.topic));
        o.insert("type".into(), json!(self.type_number));
        o
    }

    /// The meeting core of an event about one occurrence of it.
    fn occurrence(&self, uuid: &str, start: DateTime<Utc>) -> Map<String, Value> {
        let mut o = self.fields();
        o.insert("uuid".into(), json!(uuid));
        o.insert("start_time".into(), json!(iso(start)));
        o
    }
}

/// The account's rows of `E` a page at a time, by row id.
struct Pages<E: EntityTrait> {
    account: E::Column,
    id: E::Column,
    account_id: i64,
    limit: u64,
    after: i64,
}

impl<E: EntityTrait> Pages<E> {
    /// `columns`: the table's account and id columns.
    fn new((account, id): (E::Column, E::Column), account_id: i64, limit: u64) -> Self {
        Pages {
            account,
            id,
            account_id,
            limit,
            after: 0,
        }
    }

    /// The next page; `None` after the last.
    async fn next(&mut self, db: &impl ConnectionTrait) -> Result<Option<Vec<E::Model>>, Error> {
        let rows = E::find()
            .filter(self.account.eq(self.account_id))
            .filter(self.id.gt(self.after))
            .order_by_asc(self.id)
            .limit(self.limit)
            .all(db)
            .await?;
        let Some(tail) = rows.last() else {
            return Ok(None);
        };
        self.after = <i64 as ValueType>::try_from(tail.get(self.id)).map_err(|_| {
            tracing::error!("export: a row id is not a number");
            Error::Internal
        })?;
        Ok(Some(rows))
    }
}

/// Writes every event of the account with platform id `platform_id` to `out`.
pub async fn export_events(
    db: &DatabaseConnection,
    platform_id: &str,
    out: &mut impl Write,
) -> Result<ExportSummary, Error> {
    let account = account::Entity::find()
        .filter(account::Column::PlatformId.eq(platform_id))
        .one(db)
        .await?
        .ok_or_else(|| {
            Error::NotFound(format!(
                "no account has the platform id `{platform_id}` (`meeting-reports account list`)"
            ))
        })?;
    let mut w = Writer {
        out,
        account: platform_id.to_owned(),
        summary: ExportSummary::default(),
    };
    let account_id = account.id;
    let users = export_users(db, account_id, &mut w).await?;
    let meetings = export_meetings(db, account_id, &users, &mut w).await?;
    let registrants = export_registrants(db, account_id, &meetings, &mut w).await?;
    let sessions = export_sessions(db, account_id, &meetings, &mut w).await?;
    export_participants(db, account_id, &users, &registrants, &sessions, &mut w).await?;
    export_recordings(db, account_id, &sessions, &mut w).await?;
    export_sign_ins(db, account_id, &users, &mut w).await?;
    own::export_own(db, account_id, &users, &meetings, &sessions, &mut w).await?;
    w.out.flush().map_err(write_failed)?;
    Ok(w.summary)
}

/// Users' platform ids by row id.
async fn export_users<W: Write>(
    db: &impl ConnectionTrait,
    account_id: i64,
    w: &mut Writer<'_, W>,
) -> Result<HashMap<i64, String>, Error> {
    let mut ids = HashMap::new();
    let mut pages = Pages::<app_user::Entity>::new(
        (app_user::Column::AccountId, app_user::Column::Id),
        account_id,
        PAGE,
    );
    while let Some(rows) = pages.next(db).await? {
        for u in rows {
            let platform_id = u
                .source_id
                .clone()
                .unwrap_or_else(|| format!("local-{}", u.id));
            let object = json!({
                "id": platform_id, "email": u.email, "first_name": u.first_name,
                "last_name": u.last_name, "type": if u.user_type == "LICENSED" { 2 } else { 1 },
            });
            w.event("user.created", u.created_at, object.clone())?;
            if let Some(at) = u.deactivated_at {
                w.event("user.deactivated", at, object)?;
            }
            ids.insert(u.id, platform_id);
        }
    }
    Ok(ids)
}

async fn export_meetings<W: Write>(
    db: &impl ConnectionTrait,
    account_id: i64,
    users: &HashMap<i64, String>,
    w: &mut Writer<'_, W>,
) -> Result<HashMap<i64, MeetingFacts>, Error> {
    let mut facts = HashMap::new();
    let mut pages = Pages::<meeting::Entity>::new(
        (meeting::Column::AccountId, meeting::Column::Id),
        account_id,
        PAGE,
    );
    while let Some(rows) = pages.next(db).await? {
        for m in rows {
            let prefix = if m.kind == "WEBINAR" {
                "webinar"
            } else {
                "meeting"
            };
            let fact = MeetingFacts {
                number: m.meeting_number.to_string(),
                prefix,
                host: users.get(&m.host_id).cloned().unwrap_or_default(),
                topic: m.topic.clone(),
                type_number: type_number(&m.kind, &m.meeting_type),
                created: m.created_at,
            };
            let mut object = json!({
                "id": m.meeting_number, "host_id": fact.host, "topic": m.topic,
                "type": fact.type_number, "timezone": "UTC",
                "settings": { "approval_type": if m.registration_required { 0 } else { 2 } },
            });
            if let Some(start) = m.scheduled_start {
                object["start_time"] = json!(iso(start));
            }
            if let Some(minutes) = m.planned_duration_minutes {
                object["duration"] = json!(minutes);
            }
            w.event(&format!("{prefix}.created"), m.created_at, object)?;
            if let Some(at) = m.deleted_at {
                w.event(
                    &format!("{prefix}.deleted"),
                    at,
                    json!({ "id": m.meeting_number, "host_id": fact.host }),
                )?;
            }
            facts.insert(m.id, fact);
        }
    }
    Ok(facts)
}

/// Registrants' platform ids by row id.
async fn export_registrants<W: Write>(
    db: &impl ConnectionTrait,
    account_id: i64,
    meetings: &HashMap<i64, MeetingFacts>,
    w: &mut Writer<'_, W>,
) -> Result<HashMap<i64, String>, Error> {
    let mut ids = HashMap::new();
    let mut pages = Pages::<registrant::Entity>::new(
        (registrant::Column::AccountId, registrant::Column::Id),
        account_id,
        PAGE,
    );
    while let Some(rows) = pages.next(db).await? {
        for r in rows {
            let Some(m) = meetings.get(&r.meeting_id) else {
                continue;
            };
            // An imported registrant's row id is `{number}/{registrant id}`.
            let platform_id = r
                .source_id
                .strip_prefix(&format!("{}/", m.number))
                .unwrap_or(&r.source_id)
                .to_owned();
            let answers: Vec<Value> = serde_json::from_str::<Vec<Value>>(&r.custom_answers)
            .unwrap_or_default()
            .into_iter()
            .map(|a| json!({ "title": a.get("question").cloned().unwrap_or_default(), "value": a.get("answer").cloned().unwrap_or_default() }))
            .collect();
            let status = r.status.to_lowercase();
            w.event(
                &format!("{}.registration_created", m.prefix),
                r.registered_at,
                json!({ "id": m.number, "host_id": m.host, "topic": m.topic, "type": m.type_number,
                "registrant": { "id": platform_id, "email": r.email, "first_name": r.first_name,
                    "last_name": r.last_name, "status": status, "create_time": iso(r.registered_at),
                    "custom_questions": answers } }),
            )?;
            ids.insert(r.id, platform_id);
        }
    }
    Ok(ids)
}

/// A session's uuid, meeting and times.
struct SessionFacts {
    uuid: String,
    meeting_id: i64,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
}

impl SessionFacts {
    /// The platform's per-join id of a join row of this session (`participant.user_id`): an
    /// imported row's `source_id` is `{uuid}/{per-join id}`, a seeded row's is the id itself.
    fn join_id<'a>(&self, source_id: &'a str) -> &'a str {
        source_id
            .strip_prefix(self.uuid.as_str())
            .and_then(|rest| rest.strip_prefix('/'))
            .unwrap_or(source_id)
    }
}

/// Sessions by row id, with their meeting.
type Sessions<'m> = HashMap<i64, (SessionFacts, &'m MeetingFacts)>;

async fn export_sessions<'m, W: Write>(
    db: &impl ConnectionTrait,
    account_id: i64,
    meetings: &'m HashMap<i64, MeetingFacts>,
    w: &mut Writer<'_, W>,
) -> Result<Sessions<'m>, Error> {
    let mut facts = HashMap::new();
    let mut pages = Pages::<meeting_session::Entity>::new(
        (
            meeting_session::Column::AccountId,
            meeting_session::Column::Id,
        ),
        account_id,
        PAGE,
    );
    while let Some(rows) = pages.next(db).await? {
        for s in rows {
            let Some(m) = meetings.get(&s.meeting_id) else {
                continue;
            };
            let core = m.occurrence(&s.source_id, s.start_time);
            w.event(
                &format!("{}.started", m.prefix),
                s.start_time,
                Value::Object(core.clone()),
            )?;
            if let Some(end) = s.end_time {
                let mut ended = core;
                ended.insert("end_time".into(), json!(iso(end)));
                w.event(&format!("{}.ended", m.prefix), end, Value::Object(ended))?;
            }
            facts.insert(
                s.id,
                (
                    SessionFacts {
                        uuid: s.source_id,
                        meeting_id: s.meeting_id,
                        start: s.start_time,
                        end: s.end_time,
                    },
                    m,
                ),
            );
        }
    }
    Ok(facts)
}

async fn export_participants<W: Write>(
    db: &impl ConnectionTrait,
    account_id: i64,
    users: &HashMap<i64, String>,
    registrants: &HashMap<i64, String>,
    sessions: &Sessions<'_>,
    w: &mut Writer<'_, W>,
) -> Result<(), Error> {
    let mut pages = Pages::<participant::Entity>::new(
        (participant::Column::AccountId, participant::Column::Id),
        account_id,
        PAGE,
    );
    while let Some(rows) = pages.next(db).await? {
        for p in rows {
            let Some((s, m)) = sessions.get(&p.session_id) else {
                continue;
            };
            let mut person = json!({
                "user_id": s.join_id(&p.source_id), "user_name": p.name, "email": p.email.clone().unwrap_or_default(),
                "role": p.role, "join_method": p.join_method,
            });
            for (field, value) in [
                (
                    "participant_user_id",
                    p.user_id.and_then(|u| users.get(&u).cloned()),
                ),
                (
                    "registrant_id",
                    p.registrant_id.and_then(|r| registrants.get(&r).cloned()),
                ),
                ("device", p.device.clone()),
                ("ip_address", p.ip_address.clone()),
                ("location", p.location.clone()),
            ] {
                if let Some(value) = value {
                    person[field] = json!(value);
                }
            }
            let mut joined = person.clone();
            joined["join_time"] = json!(iso(p.join_time));
            let mut core = m.occurrence(&s.uuid, s.start);
            core.insert("participant".into(), joined);
            w.event(
                &format!("{}.participant_joined", m.prefix),
                p.join_time,
                Value::Object(core),
            )?;
            if let Some(leave) = p.leave_time {
                let mut left = person;
                left["leave_time"] = json!(iso(leave));
                let mut core = m.occurrence(&s.uuid, s.start);
                core.insert("participant".into(), left);
                w.event(
                    &format!("{}.participant_left", m.prefix),
                    leave,
                    Value::Object(core),
                )?;
            }
        }
    }
    Ok(())
}

async fn export_recordings<W: Write>(
    db: &impl ConnectionTrait,
    account_id: i64,
    sessions: &Sessions<'_>,
    w: &mut Writer<'_, W>,
) -> Result<(), Error> {
    let mut pages = Pages::<recording::Entity>::new(
        (recording::Column::AccountId, recording::Column::Id),
        account_id,
        PAGE,
    );
    while let Some(rows) = pages.next(db).await? {
        for r in rows {
            let Some((s, m)) = sessions.get(&r.session_id) else {
                continue;
            };
            let files = recording_file::Entity::find()
                .filter(recording_file::Column::AccountId.eq(account_id))
                .filter(recording_file::Column::RecordingId.eq(r.id))
                .order_by_asc(recording_file::Column::Id)
                .all(db)
                .await?;
            let files: Vec<Value> = files
            .into_iter()
            .map(|f| {
                let mut file = json!({ "file_type": f.file_type, "file_size": f.size_bytes,
                    "recording_start": iso(f.recording_start), "recording_end": iso(f.recording_end),
                    "status": "completed" });
                if let Some(id) = f.source_id {
                    file["id"] = json!(id);
                }
                file
            })
            .collect();
            let mut core = m.occurrence(&s.uuid, s.start);
            core.insert("total_size".into(), json!(r.total_size_bytes));
            core.insert("recording_count".into(), json!(files.len()));
            core.insert("recording_files".into(), Value::Array(files));
            w.event("recording.completed", r.end_time, Value::Object(core))?;
        }
    }
    Ok(())
}

async fn export_sign_ins<W: Write>(
    db: &impl ConnectionTrait,
    account_id: i64,
    users: &HashMap<i64, String>,
    w: &mut Writer<'_, W>,
) -> Result<(), Error> {
    let mut pages = Pages::<sign_in_event::Entity>::new(
        (sign_in_event::Column::AccountId, sign_in_event::Column::Id),
        account_id,
        PAGE,
    );
    while let Some(rows) = pages.next(db).await? {
        for e in rows {
            let Some(user) = users.get(&e.user_id) else {
                continue;
            };
            let name = if e.event_type == "SIGN_OUT" {
                "user.signed_out"
            } else {
                "user.signed_in"
            };
            let mut object = json!({ "id": user, "client_type": e.client_type, "version": e.version,
            "date_time": iso(e.occurred_at), "login_type": 0, "sign_in_id": e.source_id });
            if !e.ip_address.is_empty() {
                object["ip_address"] = json!(e.ip_address);
            }
            w.event(name, e.occurred_at, object)?;
        }
    }
    Ok(())
}
