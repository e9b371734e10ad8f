//! `gateway.qa_question`: one question asked in the Q&A of an occurrence, with its answers
//! (the Q&A report, and the webinar Performance report's questions asked and answered).

use chrono::{DateTime, Utc};
use entity::{qa_answer, qa_question};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde_json::Value;

use super::{occurrence, Fields, OwnEvent, OwnObject};
use crate::ingest::apply::{Applied, Ctx, Refusal};

pub(super) struct QaQuestion {
    id: String,
    asker_name: String,
    asker_email: Option<String>,
    anonymous: bool,
    question: String,
    asked_at: DateTime<Utc>,
    /// `None`: deleted on the platform.
    status: Option<&'static str>,
    answers: Vec<Answer>,
}

struct Answer {
    name: String,
    content: String,
    answered_at: DateTime<Utc>,
    kind: &'static str,
}

/// The platform's `question_status`: `default` and `open` are open; `deleted` removes it.
fn status(given: &str) -> Option<Option<&'static str>> {
    match given {
        "DEFAULT" | "OPEN" => Some(Some("OPEN")),
        "ANSWERED" => Some(Some("ANSWERED")),
        "DISMISSED" => Some(Some("DISMISSED")),
        "DELETED" => Some(None),
        _ => None,
    }
}

/// An answer given aloud is `live`; the platform's written kinds (`default`,
/// `host_answered_publicly`, ...) are text.
fn answer_kind(given: &str) -> &'static str {
    match given {
        "LIVE" | "LIVE_ANSWERED" | "LIVE_ANSWER" => "LIVE",
        _ => "TEXT",
    }
}

impl OwnObject for QaQuestion {
    fn parse(object: &Fields<'_>) -> Result<Self, Refusal> {
        object.required_text("id")?;
        object.required_text("uuid")?;
        let question = object.object("question")?;
        let mut answers = Vec::new();
        for answer in question.list("answers")? {
            answers.push(Answer {
                name: answer.text("name")?.unwrap_or_default(),
                content: answer.required_text("content")?,
                answered_at: answer.required_time("create_time")?,
                kind: answer
                    .text("type")?
                    .map_or("TEXT", |t| answer_kind(&super::constant_case(&t))),
            });
        }
        let given = question.text("status")?;
        let status = match given {
            Some(text) => status(&super::constant_case(&text)).ok_or_else(|| {
                question.unreadable("status", "one of open, answered, dismissed, deleted")
            })?,
            // Not said: answered when it has answers.
            None => Some(if answers.is_empty() {
                "OPEN"
            } else {
                "ANSWERED"
            }),
        };
        let anonymous = question.flag("anonymous")?.unwrap_or(false);
        Ok(Self {
            id: question.required_text("id")?,
            asker_name: question
                .text("name")?
                .unwrap_or_else(|| if anonymous { "Anonymous Attendee" } else { "" }.to_owned()),
            asker_email: question.email("email")?,
            anonymous,
            question: question.required_text("question")?,
            asked_at: question.required_time("create_time")?,
            status,
            answers,
        })
    }

    async fn write(
        self,
        db: &impl ConnectionTrait,
        ctx: &Ctx<'_>,
        object: &Value,
        _at: DateTime<Utc>,
    ) -> Applied {
        let account_id = ctx.account.id;
        let existing = qa_question::Entity::find()
            .filter(qa_question::Column::AccountId.eq(account_id))
            .filter(qa_question::Column::SourceId.eq(self.id.as_str()))
            .one(db)
            .await?;
        if let Some(found) = &existing {
            qa_answer::Entity::delete_many()
                .filter(qa_answer::Column::AccountId.eq(account_id))
                .filter(qa_answer::Column::QuestionId.eq(found.id))
                .exec(db)
                .await?;
        }
        let Some(status) = self.status else {
            if let Some(found) = existing {
                qa_question::Entity::delete_by_id(found.id).exec(db).await?;
            }
            return Ok(());
        };
        let occurrence = occurrence(db, ctx, OwnEvent::QaQuestion, object).await?;
        let question_id = match existing {
            Some(found) => {
                let mut active: qa_question::ActiveModel = found.into();
                active.meeting_id = Set(occurrence.meeting_id);
                active.asker_name = Set(self.asker_name);
                active.asker_email = Set(self.asker_email);
                active.anonymous = Set(self.anonymous);
                active.question = Set(self.question);
                active.asked_at = Set(self.asked_at);
                active.status = Set(status.to_owned());
                active.update(db).await?.id
            }
            None => {
                qa_question::ActiveModel {
                    account_id: Set(account_id),
                    source_id: Set(self.id),
                    meeting_id: Set(occurrence.meeting_id),
                    asker_name: Set(self.asker_name),
                    asker_email: Set(self.asker_email),
                    anonymous: Set(self.anonymous),
                    question: Set(self.question),
                    asked_at: Set(self.asked_at),
                    status: Set(status.to_owned()),
                    ..Default::default()
                }
                .insert(db)
                .await?
                .id
            }
        };
        let rows: Vec<qa_answer::ActiveModel> = self
            .answers
            .into_iter()
            .map(|a| qa_answer::ActiveModel {
                account_id: Set(account_id),
                source_id: Set(None),
                question_id: Set(question_id),
                answerer_name: Set(a.name),
                content: Set(a.content),
                answered_at: Set(a.answered_at),
                kind: Set(a.kind.to_owned()),
                ..Default::default()
            })
            .collect();
        if !rows.is_empty() {
            qa_answer::Entity::insert_many(rows).exec(db).await?;
        }
        Ok(())
    }
}
