//! The report data the platform pushes no webhook for, written out as our own event types
//! (`gateway.*`, documented in `EVENTS.md`), in the shapes their appliers read: every object
//! whole (a poll with its questions and answers, an invoice with its lines), once, with the
//! ids it had. Stored values are written in the spellings the appliers store (`TOLL_FREE`,
//! `SINGLE_CHOICE`, ...), which they read back unchanged; money as exact decimal text.
//!
//! Things inside an occurrence name it by the occurrence's meeting fields. A phone leg keeps
//! its occurrence, and so does a poll that came as an event; a Q&A question, a remote support
//! session and a seeded poll are kept by meeting only (the reports read them by meeting), so
//! they name the meeting's occurrence in progress at their time (else the last one started
//! before it, else the first; a poll never launched, the first).

use std::{
    collections::{HashMap, HashSet},
    io::Write,
};

use chrono::{DateTime, Days, NaiveTime, Utc};
use entity::{
    billing_invoice, billing_line, department, operation_log, participant, phone_call, poll,
    poll_question, poll_response, qa_answer, qa_question, remote_support_session,
    storage_usage_daily, telephone_call,
};
use reports::Error;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{json, Map, Value};

use super::{iso, MeetingFacts, Pages, SessionFacts, Sessions, Writer, PAGE};
use crate::ingest::apply::poll_key;

/// Parents read at once when their children are read with them (a poll's questions and
/// answers, an invoice's lines).
const PARENTS: u64 = 100;

/// Micros as exact decimal text: 12_500_000 -> `12.500000`.
fn money(micros: i64) -> String {
    let sign = if micros < 0 { "-" } else { "" };
    let abs = micros.unsigned_abs();
    format!("{sign}{}.{:06}", abs / 1_000_000, abs % 1_000_000)
}

/// Our stored choice (`TOLL_FREE`) as the platform writes it (`toll_free`); the appliers read
/// either.
fn lower(stored: &str) -> String {
    stored.to_lowercase()
}

/// Each meeting's sessions, by start: where a thing kept by meeting only took place.
struct Occurrences<'s, 'm> {
    by_meeting: HashMap<i64, Vec<&'s (SessionFacts, &'m MeetingFacts)>>,
}

impl<'s, 'm> Occurrences<'s, 'm> {
    fn of(sessions: &'s Sessions<'m>) -> Self {
        let mut by_meeting: HashMap<i64, Vec<&'s (SessionFacts, &'m MeetingFacts)>> =
            HashMap::new();
        for facts in sessions.values() {
            by_meeting
                .entry(facts.0.meeting_id)
                .or_default()
                .push(facts);
        }
        for list in by_meeting.values_mut() {
            list.sort_by(|a, b| (a.0.start, &a.0.uuid).cmp(&(b.0.start, &b.0.uuid)));
        }
        Occurrences { by_meeting }
    }

    /// The meeting's occurrence in progress at `at`, else the last one started before it,
    /// else its first.
    fn at(
        &self,
        meeting_id: i64,
        at: DateTime<Utc>,
    ) -> Option<&'s (SessionFacts, &'m MeetingFacts)> {
        let list = self.by_meeting.get(&meeting_id)?;
        list.iter()
            .rev()
            .find(|(s, _)| s.start <= at && s.end.is_none_or(|end| at <= end))
            .or_else(|| list.iter().rev().find(|(s, _)| s.start <= at))
            .or_else(|| list.first())
            .copied()
    }
}

/// The occurrence's meeting fields with `thing` nested under `key`.
fn inside((session, meeting): &(SessionFacts, &MeetingFacts), key: &str, thing: Value) -> Value {
    let mut object = meeting.occurrence(&session.uuid, session.start);
    object.insert(key.into(), thing);
    Value::Object(object)
}

/// Per-join ids of the join rows `ids` (`participant.user_id` of their joined events).
async fn join_ids(
    db: &impl ConnectionTrait,
    account_id: i64,
    sessions: &Sessions<'_>,
    ids: HashSet<i64>,
) -> Result<HashMap<i64, String>, Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, i64, String)> = participant::Entity::find()
        .select_only()
        .columns([
            participant::Column::Id,
            participant::Column::SessionId,
            participant::Column::SourceId,
        ])
        .filter(participant::Column::AccountId.eq(account_id))
        .filter(participant::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, session, source_id)| {
            let join = sessions
                .get(&session)
                .map_or(source_id.as_str(), |(s, _)| s.join_id(&source_id))
                .to_owned();
            (id, join)
        })
        .collect())
}

/// Writes every own-type object of the account.
pub(super) async fn export_own<W: Write>(
    db: &impl ConnectionTrait,
    account_id: i64,
    users: &HashMap<i64, String>,
    meetings: &HashMap<i64, MeetingFacts>,
    sessions: &Sessions<'_>,
    w: &mut Writer<'_, W>,
) -> Result<(), Error> {
    let occurrences = Occurrences::of(sessions);
    export_polls(db, account_id, meetings, sessions, &occurrences, w).await?;
    export_questions(db, account_id, &occurrences, w).await?;
    export_legs(db, account_id, sessions, w).await?;
    export_phone_calls(db, account_id, users, w).await?;
    export_remote_support(db, account_id, users, &occurrences, w).await?;
    export_invoices(db, account_id, w).await?;
    export_operation_logs(db, account_id, users, w).await?;
    export_storage(db, account_id, w).await
}

/// A thing kept by meeting whose meeting never ran cannot name an occurrence: the export
/// stops rather than write less than the reports show.
fn no_occurrence(what: &str, id: &str) -> Error {
    Error::BadUserInput(format!(
        "{what} `{id}` belongs to a meeting with no occurrence, which the event format cannot \
         express; the export was stopped"
    ))
}

async fn export_polls<W: Write>(
    db: &impl ConnectionTrait,
    account_id: i64,
    meetings: &HashMap<i64, MeetingFacts>,
    sessions: &Sessions<'_>,
    occurrences: &Occurrences<'_, '_>,
    w: &mut Writer<'_, W>,
) -> Result<(), Error> {
    let mut pages = Pages::<poll::Entity>::new(
        (poll::Column::AccountId, poll::Column::Id),
        account_id,
        PARENTS,
    );
    while let Some(polls) = pages.next(db).await? {
        let questions = poll_question::Entity::find()
            .filter(poll_question::Column::AccountId.eq(account_id))
            .filter(poll_question::Column::PollId.is_in(polls.iter().map(|p| p.id)))
            .order_by_asc(poll_question::Column::PollId)
            .order_by_asc(poll_question::Column::Position)
            .order_by_asc(poll_question::Column::Id)
            .all(db)
            .await?;
        let responses = poll_response::Entity::find()
            .filter(poll_response::Column::AccountId.eq(account_id))
            .filter(poll_response::Column::QuestionId.is_in(questions.iter().map(|q| q.id)))
            .order_by_asc(poll_response::Column::Id)
            .all(db)
            .await?;
        let joins = join_ids(
            db,
            account_id,
            sessions,
            responses.iter().filter_map(|r| r.participant_id).collect(),
        )
        .await?;
        let mut answers: HashMap<i64, Vec<Value>> = HashMap::new();
        for r in responses {
            let mut answer = json!({ "name": r.respondent_name, "answer": r.answer,
                "date_time": iso(r.answered_at) });
            if let Some(email) = r.respondent_email {
                answer["email"] = json!(email);
            }
            let join = r
                .participant_id
                .and_then(|id| joins.get(&id).cloned())
                .or(r.participant_join_id);
            if let Some(join) = join {
                answer["participant"] = json!({ "user_id": join });
            }
            answers.entry(r.question_id).or_default().push(answer);
        }
        let mut by_poll: HashMap<i64, Vec<Value>> = HashMap::new();
        for q in questions {
            let mut question = json!({ "question": q.text,
                "responses": answers.remove(&q.id).unwrap_or_default() });
            if let Some(id) = q.source_id {
                question["id"] = json!(id);
            }
            if !q.question_type.is_empty() {
                question["type"] = json!(lower(&q.question_type));
            }
            by_poll.entry(q.poll_id).or_default().push(question);
        }
        for p in polls {
            let mut thing = json!({ "id": poll_key(&p.source_id), "title": p.title,
                "anonymous": p.anonymous, "questions": by_poll.remove(&p.id).unwrap_or_default() });
            if let Some(at) = p.launched_at {
                thing["launched_at"] = json!(iso(at));
            }
            // A poll kept without its occurrence (the seeds' polls) names the one in progress
            // when it was launched; one never launched is the meeting's definition of it.
            let occurrence = p.session_id.and_then(|id| sessions.get(&id)).or_else(|| {
                p.launched_at
                    .and_then(|at| occurrences.at(p.meeting_id, at))
            });
            match (occurrence, p.launched_at) {
                (Some(occurrence), at) => w.event(
                    "gateway.poll_results",
                    at.unwrap_or(occurrence.0.start),
                    inside(occurrence, "poll", thing),
                )?,
                (None, None) => {
                    let Some(meeting) = meetings.get(&p.meeting_id) else {
                        continue;
                    };
                    let mut object = meeting.fields();
                    object.insert("poll".into(), thing);
                    w.event(
                        "gateway.poll_results",
                        meeting.created,
                        Value::Object(object),
                    )?;
                }
                (None, Some(_)) => return Err(no_occurrence("the launched poll", &p.source_id)),
            }
        }
    }
    Ok(())
}

async fn export_questions<W: Write>(
    db: &impl ConnectionTrait,
    account_id: i64,
    occurrences: &Occurrences<'_, '_>,
    w: &mut Writer<'_, W>,
) -> Result<(), Error> {
    let mut pages = Pages::<qa_question::Entity>::new(
        (qa_question::Column::AccountId, qa_question::Column::Id),
        account_id,
        PARENTS,
    );
    while let Some(questions) = pages.next(db).await? {
        let mut answers: HashMap<i64, Vec<Value>> = HashMap::new();
        for a in qa_answer::Entity::find()
            .filter(qa_answer::Column::AccountId.eq(account_id))
            .filter(qa_answer::Column::QuestionId.is_in(questions.iter().map(|q| q.id)))
            .order_by_asc(qa_answer::Column::Id)
            .all(db)
            .await?
        {
            answers.entry(a.question_id).or_default().push(json!({
                "name": a.answerer_name, "content": a.content,
                "create_time": iso(a.answered_at), "type": lower(&a.kind),
            }));
        }
        for q in questions {
            let occurrence = occurrences
                .at(q.meeting_id, q.asked_at)
                .ok_or_else(|| no_occurrence("the Q&A question", &q.source_id))?;
            let mut thing = json!({ "id": q.source_id, "name": q.asker_name,
                "anonymous": q.anonymous, "question": q.question, "create_time": iso(q.asked_at),
                "status": lower(&q.status), "answers": answers.remove(&q.id).unwrap_or_default() });
            if let Some(email) = q.asker_email {
                thing["email"] = json!(email);
            }
            w.event(
                "gateway.qa_question",
                q.asked_at,
                inside(occurrence, "question", thing),
            )?;
        }
    }
    Ok(())
}

async fn export_legs<W: Write>(
    db: &impl ConnectionTrait,
    account_id: i64,
    sessions: &Sessions<'_>,
    w: &mut Writer<'_, W>,
) -> Result<(), Error> {
    let mut pages = Pages::<telephone_call::Entity>::new(
        (
            telephone_call::Column::AccountId,
            telephone_call::Column::Id,
        ),
        account_id,
        PAGE,
    );
    while let Some(legs) = pages.next(db).await? {
        let joins = join_ids(
            db,
            account_id,
            sessions,
            legs.iter().filter_map(|l| l.participant_id).collect(),
        )
        .await?;
        for l in legs {
            let Some(occurrence) = sessions.get(&l.session_id) else {
                continue;
            };
            let mut thing = json!({ "id": l.source_id, "type": lower(&l.call_type),
                "caller_number": l.caller_number, "called_number": l.called_number,
                "country": l.country, "start_time": iso(l.start_time), "end_time": iso(l.end_time),
                "duration": l.duration_seconds, "rate": money(l.rate_per_minute_micros),
                "total": money(l.total_cost_micros), "currency": l.currency });
            let join = l
                .participant_id
                .and_then(|id| joins.get(&id).cloned())
                .or(l.participant_join_id);
            if let Some(join) = join {
                thing["participant"] = json!({ "user_id": join });
            }
            w.event(
                "gateway.telephone_leg",
                l.end_time,
                inside(occurrence, "telephone_leg", thing),
            )?;
        }
    }
    Ok(())
}

async fn export_phone_calls<W: Write>(
    db: &impl ConnectionTrait,
    account_id: i64,
    users: &HashMap<i64, String>,
    w: &mut Writer<'_, W>,
) -> Result<(), Error> {
    let mut pages = Pages::<phone_call::Entity>::new(
        (phone_call::Column::AccountId, phone_call::Column::Id),
        account_id,
        PAGE,
    );
    while let Some(calls) = pages.next(db).await? {
        for c in calls {
            let mut object = json!({ "id": c.source_id, "direction": lower(&c.direction),
                "caller_number": c.caller_number, "callee_number": c.callee_number,
                "start_time": iso(c.start_time), "duration": c.duration_seconds,
                "result": lower(&c.result), "charge": money(c.charge_micros), "currency": c.currency });
            for (field, value) in [
                ("caller_name", c.caller_name),
                ("callee_name", c.callee_name),
            ] {
                if let Some(value) = value {
                    object[field] = json!(value);
                }
            }
            if let Some(user) = c.user_id.and_then(|u| users.get(&u)) {
                object["user_id"] = json!(user);
            }
            let at = c.start_time + chrono::Duration::seconds(c.duration_seconds);
            w.event("gateway.phone_call", at, object)?;
        }
    }
    Ok(())
}

async fn export_remote_support<W: Write>(
    db: &impl ConnectionTrait,
    account_id: i64,
    users: &HashMap<i64, String>,
    occurrences: &Occurrences<'_, '_>,
    w: &mut Writer<'_, W>,
) -> Result<(), Error> {
    let mut pages = Pages::<remote_support_session::Entity>::new(
        (
            remote_support_session::Column::AccountId,
            remote_support_session::Column::Id,
        ),
        account_id,
        PAGE,
    );
    while let Some(rows) = pages.next(db).await? {
        for r in rows {
            let occurrence = occurrences
                .at(r.meeting_id, r.requested_at)
                .ok_or_else(|| no_occurrence("the remote support session", &r.source_id))?;
            let mut thing = json!({ "id": r.source_id, "supportee_name": r.supportee_name,
                "request_time": iso(r.requested_at), "start_time": iso(r.started_at),
                "end_time": iso(r.ended_at) });
            if let Some(email) = r.supportee_email {
                thing["supportee_email"] = json!(email);
            }
            if let Some(user) = r.supporter_id.and_then(|u| users.get(&u)) {
                thing["supporter_id"] = json!(user);
            }
            w.event(
                "gateway.remote_support_session",
                r.ended_at,
                inside(occurrence, "remote_support", thing),
            )?;
        }
    }
    Ok(())
}

async fn export_invoices<W: Write>(
    db: &impl ConnectionTrait,
    account_id: i64,
    w: &mut Writer<'_, W>,
) -> Result<(), Error> {
    let departments: HashMap<i64, String> = department::Entity::find()
        .filter(department::Column::AccountId.eq(account_id))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let mut pages = Pages::<billing_invoice::Entity>::new(
        (
            billing_invoice::Column::AccountId,
            billing_invoice::Column::Id,
        ),
        account_id,
        PARENTS,
    );
    while let Some(invoices) = pages.next(db).await? {
        let mut lines: HashMap<i64, Vec<Value>> = HashMap::new();
        for l in billing_line::Entity::find()
            .filter(billing_line::Column::AccountId.eq(account_id))
            .filter(billing_line::Column::InvoiceId.is_in(invoices.iter().map(|i| i.id)))
            .order_by_asc(billing_line::Column::Id)
            .all(db)
            .await?
        {
            let mut line = json!({ "description": l.description, "licenses": l.licenses,
                "amount": money(l.amount_micros), "tax": money(l.tax_micros) });
            if let Some(name) = l.department_id.and_then(|d| departments.get(&d)) {
                line["department"] = json!(name);
            }
            lines.entry(l.invoice_id).or_default().push(line);
        }
        for i in invoices {
            let object = json!({ "id": i.source_id, "invoice_number": i.invoice_number,
                "start_date": i.period_start.to_string(), "end_date": i.period_end.to_string(),
                "issued_at": iso(i.issued_at), "currency": i.currency,
                "amount": money(i.amount_micros), "tax": money(i.tax_micros),
                "lines": lines.remove(&i.id).unwrap_or_default() });
            w.event("gateway.invoice", i.issued_at, object)?;
        }
    }
    Ok(())
}

async fn export_operation_logs<W: Write>(
    db: &impl ConnectionTrait,
    account_id: i64,
    users: &HashMap<i64, String>,
    w: &mut Writer<'_, W>,
) -> Result<(), Error> {
    let mut pages = Pages::<operation_log::Entity>::new(
        (operation_log::Column::AccountId, operation_log::Column::Id),
        account_id,
        PAGE,
    );
    while let Some(rows) = pages.next(db).await? {
        for o in rows {
            let mut object = json!({ "id": o.source_id, "time": iso(o.occurred_at),
                "operator": o.operator_email, "category_type": lower(&o.category),
                "action": o.action, "operation_detail": o.detail });
            if let Some(user) = o.operator_id.and_then(|u| users.get(&u)) {
                object["operator_id"] = json!(user);
            }
            w.event("gateway.operation_log", o.occurred_at, object)?;
        }
    }
    Ok(())
}

async fn export_storage<W: Write>(
    db: &impl ConnectionTrait,
    account_id: i64,
    w: &mut Writer<'_, W>,
) -> Result<(), Error> {
    let mut pages = Pages::<storage_usage_daily::Entity>::new(
        (
            storage_usage_daily::Column::AccountId,
            storage_usage_daily::Column::Id,
        ),
        account_id,
        PAGE,
    );
    while let Some(rows) = pages.next(db).await? {
        for d in rows {
            // Known at the end of its day.
            let at = (d.day + Days::new(1)).and_time(NaiveTime::MIN).and_utc();
            let mut object = Map::new();
            object.insert("date".into(), json!(d.day.to_string()));
            object.insert("usage_bytes".into(), json!(d.usage_bytes));
            w.event("gateway.storage_usage", at, Value::Object(object))?;
        }
    }
    Ok(())
}
