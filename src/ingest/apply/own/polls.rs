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

use super::{constant_case, occurrence, Fields, OwnEvent, OwnObject};
use crate::ingest::apply::{Applied, Ctx, Refusal};

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
        let picked: Vec<String> = choices
            .iter()
            .filter_map(crate::ingest::webhooks::as_text)
            .collect();
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
        object.required_text("uuid")?;
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
        let occurrence = occurrence(db, ctx, OwnEvent::PollResults, object).await?;
        let account_id = ctx.account.id;
        let existing = poll::Entity::find()
            .filter(poll::Column::AccountId.eq(account_id))
            .filter(poll::Column::SourceId.eq(source_id.as_str()))
            .one(db)
            .await?;
        let poll_id = match existing {
            Some(found) => {
                let id = found.id;
                let mut active: poll::ActiveModel = found.into();
                active.meeting_id = Set(occurrence.meeting_id);
                active.session_id = Set(Some(occurrence.session_id));
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
                    meeting_id: Set(occurrence.meeting_id),
                    session_id: Set(Some(occurrence.session_id)),
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
        let joins = Joins::of_session(db, account_id, occurrence.session_id).await?;
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
struct Joins {
    by_join_id: HashMap<String, i64>,
    by_email: HashMap<String, i64>,
}

impl Joins {
    async fn of_session(
        db: &impl ConnectionTrait,
        account_id: i64,
        session_id: i64,
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
            Some(join_id) => self.by_join_id.get(join_id).copied(),
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
