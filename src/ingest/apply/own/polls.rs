//! `gateway.poll_results`: one poll as it ran in one occurrence, with its questions and every
//! answer given (the Poll report, and the webinar Performance report's poll figures).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{participant, poll, poll_question, poll_response};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::Value;

use super::{constant_case, kind_of, occurrence, Fields, OwnEvent, OwnObject};
use crate::ingest::{
    apply::{meetings::refresh_meeting, participants::join_row_id, Applied, Ctx, Refusal},
    webhooks::as_text,
};

pub(super) struct PollResults {
    title: String,
    anonymous: bool,
    launched_at: Option<DateTime<Utc>>,
    questions: Vec<Question>,
}

struct Question {
    id: Option<String>,
    text: String,
    question_type: String,
    responses: Vec<Response>,
}

struct Response {
    join_id: Option<String>,
    name: String,
    email: Option<String>,
    answer: String,
    answered_at: DateTime<Utc>,
}

/// The platform's question types (`single`, `multiple`, `short_answer`, `long_answer`, ...) as
/// ours; another type is kept as given (the report shows no type for it).
fn question_type(given: &str) -> String {
    match given {
        "SINGLE" | "SINGLE_CHOICE" => "SINGLE_CHOICE",
        "MULTIPLE" | "MULTIPLE_CHOICE" => "MULTIPLE_CHOICE",
        "SHORT_ANSWER" | "LONG_ANSWER" | "FILL_IN_THE_BLANK" => "SHORT_ANSWER",
        other => other,
    }
    .to_owned()
}

/// An answer: text, or a list of the choices picked (joined by `;`, as the report shows them).
fn answer(response: &Fields<'_>) -> Result<String, Refusal> {
    if let Some(Value::Array(choices)) = response.present("answer") {
        let picked: Vec<String> = choices.iter().filter_map(as_text).collect();
        if picked.len() != choices.len() || picked.is_empty() {
            return Err(response.unreadable("answer", "text or a list of the choices picked"));
        }
        return Ok(picked.join(";"));
    }
    response.required_text("answer")
}

impl OwnObject for PollResults {
    fn parse(object: &Fields<'_>) -> Result<Self, Refusal> {
        object.required_text("id")?;
        let poll = object.object("poll")?;
        poll.required_text("id")?;
        let mut questions = Vec::new();
        for question in poll.list("questions")? {
            let mut responses = Vec::new();
            for response in question.list("responses")? {
                let join_id = match response.optional_object("participant")? {
                    Some(p) => p.text("user_id")?,
                    None => None,
                };
                responses.push(Response {
                    join_id,
                    name: response.text("name")?.unwrap_or_default(),
                    email: response.email("email")?,
                    answer: answer(&response)?,
                    answered_at: response.required_time("date_time")?,
                });
            }
            questions.push(Question {
                id: question.text("id")?,
                text: question.required_text("question")?,
                question_type: question
                    .text("type")?
                    .map(|t| question_type(&constant_case(&t)))
                    .unwrap_or_default(),
                responses,
            });
        }
        Ok(Self {
            title: poll.text("title")?.unwrap_or_default(),
            anonymous: poll.flag("anonymous")?.unwrap_or(false),
            launched_at: poll.time("launched_at")?,
            questions,
        })
    }

    async fn write(
        self,
        db: &impl ConnectionTrait,
        ctx: &Ctx<'_>,
        object: &Value,
        _at: DateTime<Utc>,
    ) -> Applied {
        let source_id = OwnEvent::PollResults
            .object_id(object)
            .ok_or_else(|| Refusal("the poll has no id".to_owned()))?;
        let account_id = ctx.account.id;
        let poll_key = object
            .get("poll")
            .and_then(|p| p.get("id"))
            .and_then(as_text)
            .unwrap_or_default();
        let uuid = object.get("uuid").and_then(as_text);
        let (meeting_id, session_id) = match &uuid {
            Some(_) => {
                let occurrence = occurrence(db, ctx, OwnEvent::PollResults, object).await?;
                (occurrence.meeting_id, Some(occurrence.session_id))
            }
            None => (meeting_of(db, ctx, object).await?, None),
        };
        let number = object.get("id").and_then(as_text).unwrap_or_default();
        let definition = definition_id(&number, &poll_key);
        if session_id.is_none() && has_results(db, account_id, meeting_id, &poll_key).await? {
            // Run in an occurrence already: its results are the poll now.
            return remove_poll(db, account_id, &definition).await;
        }
        let existing = poll::Entity::find()
            .filter(poll::Column::AccountId.eq(account_id))
            .filter(poll::Column::SourceId.eq(source_id.as_str()))
            .one(db)
            .await?;
        let poll_id = match existing {
            Some(found) => {
                let id = found.id;
                let mut active: poll::ActiveModel = found.into();
                active.meeting_id = Set(meeting_id);
                active.session_id = Set(session_id);
                active.title = Set(self.title);
                active.anonymous = Set(self.anonymous);
                active.launched_at = Set(self.launched_at);
                active.update(db).await?;
                remove_questions(db, account_id, id).await?;
                id
            }
            None => {
                poll::ActiveModel {
                    account_id: Set(account_id),
                    source_id: Set(source_id),
                    meeting_id: Set(meeting_id),
                    session_id: Set(session_id),
                    title: Set(self.title),
                    anonymous: Set(self.anonymous),
                    launched_at: Set(self.launched_at),
                    ..Default::default()
                }
                .insert(db)
                .await?
                .id
            }
        };
        if session_id.is_some() {
            // The meeting's definition of the poll gives way to the results of its runs.
            remove_poll(db, account_id, &definition).await?;
        }
        let joins = match (session_id, uuid) {
            (Some(session_id), Some(uuid)) => {
                Joins::of_session(db, account_id, session_id, uuid).await?
            }
            _ => Joins::default(),
        };
        for (position, question) in self.questions.into_iter().enumerate() {
            let question_id = poll_question::ActiveModel {
                account_id: Set(account_id),
                source_id: Set(question.id),
                poll_id: Set(poll_id),
                position: Set(i32::try_from(position + 1).unwrap_or(i32::MAX)),
                text: Set(question.text),
                question_type: Set(question.question_type),
                ..Default::default()
            }
            .insert(db)
            .await?
            .id;
            let rows: Vec<poll_response::ActiveModel> = question
                .responses
                .into_iter()
                .map(|r| poll_response::ActiveModel {
                    account_id: Set(account_id),
                    source_id: Set(None),
                    question_id: Set(question_id),
                    participant_id: Set(joins.find(r.join_id.as_deref(), r.email.as_deref())),
                    participant_join_id: Set(r.join_id),
                    respondent_name: Set(r.name),
                    respondent_email: Set(r.email),
                    answer: Set(r.answer),
                    answered_at: Set(r.answered_at),
                    ..Default::default()
                })
                .collect();
            if !rows.is_empty() {
                poll_response::Entity::insert_many(rows).exec(db).await?;
            }
        }
        Ok(())
    }
}

/// The `source_id` of poll `poll` as run in occurrence `uuid`.
pub(super) fn result_id(uuid: &str, poll: &str) -> String {
    Value::from(vec![uuid, poll]).to_string()
}

/// The `source_id` of poll `poll` as defined for meeting `number` and not run yet.
pub(super) fn definition_id(number: &str, poll: &str) -> String {
    Value::from(vec!["meeting", number, poll]).to_string()
}

/// The poll's id as the sender gave it, from its row's `source_id` (a seeded row's is its own).
pub fn poll_key(source_id: &str) -> String {
    match serde_json::from_str::<Vec<String>>(source_id)
        .ok()
        .as_deref()
    {
        Some([_, poll] | [_, _, poll]) => poll.clone(),
        _ => source_id.to_owned(),
    }
}

/// The meeting a poll defined without an occurrence belongs to: found, or created from the
/// event's meeting fields as an occurrence's event would create it.
async fn meeting_of(db: &impl ConnectionTrait, ctx: &Ctx<'_>, object: &Value) -> Applied<i64> {
    let kind = kind_of(db, ctx, object).await?;
    let number = object.get("id").and_then(as_text).unwrap_or_default();
    refresh_meeting(db, ctx, kind, &number, Some(object))
        .await?
        .map(|m| m.id)
        .ok_or_else(|| {
            Refusal(format!(
                "`gateway.poll_results` of meeting {number}, whose host is not known (no host_id)"
            ))
        })
}

/// Whether poll `poll` of the meeting has been run in one of its occurrences.
async fn has_results(
    db: &impl ConnectionTrait,
    account_id: i64,
    meeting_id: i64,
    poll: &str,
) -> Applied<bool> {
    let runs: Vec<String> = poll::Entity::find()
        .select_only()
        .column(poll::Column::SourceId)
        .filter(poll::Column::AccountId.eq(account_id))
        .filter(poll::Column::MeetingId.eq(meeting_id))
        .filter(poll::Column::SessionId.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    Ok(runs.iter().any(|id| poll_key(id) == poll))
}

/// The poll with this `source_id` goes, with its questions and answers (none: nothing to do).
async fn remove_poll(db: &impl ConnectionTrait, account_id: i64, source_id: &str) -> Applied {
    let Some(found) = poll::Entity::find()
        .filter(poll::Column::AccountId.eq(account_id))
        .filter(poll::Column::SourceId.eq(source_id))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    remove_questions(db, account_id, found.id).await?;
    poll::Entity::delete_by_id(found.id).exec(db).await?;
    Ok(())
}

/// The poll's questions and their answers go; the new version's are written in their place.
async fn remove_questions(db: &impl ConnectionTrait, account_id: i64, poll_id: i64) -> Applied {
    let questions: Vec<i64> = poll_question::Entity::find()
        .select_only()
        .column(poll_question::Column::Id)
        .filter(poll_question::Column::AccountId.eq(account_id))
        .filter(poll_question::Column::PollId.eq(poll_id))
        .into_tuple()
        .all(db)
        .await?;
    if questions.is_empty() {
        return Ok(());
    }
    poll_response::Entity::delete_many()
        .filter(poll_response::Column::AccountId.eq(account_id))
        .filter(poll_response::Column::QuestionId.is_in(questions.clone()))
        .exec(db)
        .await?;
    poll_question::Entity::delete_many()
        .filter(poll_question::Column::AccountId.eq(account_id))
        .filter(poll_question::Column::Id.is_in(questions))
        .exec(db)
        .await?;
    Ok(())
}

/// The join rows of one occurrence, by per-join id and by email (the first join of that
/// email): who answered.
#[derive(Default)]
struct Joins {
    /// The occurrence's uuid: a join row's `source_id` is `{uuid}/{per-join id}`.
    uuid: String,
    /// By `source_id`.
    by_join_id: HashMap<String, i64>,
    by_email: HashMap<String, i64>,
}

impl Joins {
    async fn of_session(
        db: &impl ConnectionTrait,
        account_id: i64,
        session_id: i64,
        uuid: String,
    ) -> Applied<Self> {
        let rows: Vec<(i64, String, Option<String>)> = participant::Entity::find()
            .select_only()
            .columns([
                participant::Column::Id,
                participant::Column::SourceId,
                participant::Column::Email,
            ])
            .filter(participant::Column::AccountId.eq(account_id))
            .filter(participant::Column::SessionId.eq(session_id))
            .order_by_asc(participant::Column::JoinTime)
            .order_by_asc(participant::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
        let mut joins = Joins {
            uuid,
            by_join_id: HashMap::new(),
            by_email: HashMap::new(),
        };
        for (id, join_id, email) in rows {
            joins.by_join_id.entry(join_id).or_insert(id);
            if let Some(email) = email.filter(|e| !e.is_empty()) {
                joins.by_email.entry(email.to_lowercase()).or_insert(id);
            }
        }
        Ok(joins)
    }

    /// By the per-join id when the answer names one, else by email.
    fn find(&self, join_id: Option<&str>, email: Option<&str>) -> Option<i64> {
        match join_id {
            Some(join_id) => self
                .by_join_id
                .get(&join_row_id(&self.uuid, join_id))
                .copied(),
            None => email.and_then(|e| self.by_email.get(e).copied()),
        }
    }
}

/// A join row that arrived after the poll results: the answers of the occurrence's polls that
/// name it (by per-join id, or by email for answers without one) are linked to it.
pub(super) async fn link_join(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    session_id: i64,
    join_id: &str,
    email: Option<&str>,
    participant_id: i64,
) -> Applied {
    let email = email.map(str::to_lowercase).filter(|e| !e.is_empty());
    let sql = "UPDATE poll_response SET participant_id = ? WHERE account_id = ? AND participant_id IS NULL \
               AND question_id IN (SELECT q.id FROM poll_question q JOIN poll p ON p.id = q.poll_id \
                 WHERE p.account_id = ? AND p.session_id = ?) \
               AND (participant_join_id = ? OR (participant_join_id IS NULL AND respondent_email = ?))";
    let account_id = ctx.account.id;
    let values = vec![
        participant_id.into(),
        account_id.into(),
        account_id.into(),
        session_id.into(),
        join_id.into(),
        email.into(),
    ];
    db.execute_raw(reports::sql::statement(
        db.get_database_backend(),
        sql,
        values,
    ))
    .await?;
    Ok(())
}
