//! The Q&A report.

use async_graphql::{Context, Enum, Object, Result, ID};
use chrono::{DateTime, Utc};

use crate::graphql::{
    connection::{Connection, ConnectionKind, Edge, ListTotal},
    context::request,
    error::ApiResult,
    loaders::{AnswersOf, QuestionCountOf, QuestionPageKey, Siblings},
    types::meetings::MeetingRef,
};

/// Where a question stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum QaStatus {
    /// Not answered yet.
    Open,
    /// Answered in text or live.
    Answered,
    /// Dismissed by a host or panelist.
    Dismissed,
}

/// How a question was answered.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum QaAnswerKind {
    /// A written answer.
    Text,
    /// Answered aloud, marked "answer live".
    Live,
}

pub struct QaQuestion {
    pub row: entity::qa_question::Model,
    /// The question pages of every sibling meeting: answers load for all of them at once.
    pub siblings: Siblings<QuestionPageKey>,
}

impl QaQuestion {
    pub fn in_group(
        rows: Vec<entity::qa_question::Model>,
        siblings: &Siblings<QuestionPageKey>,
    ) -> Vec<QaQuestion> {
        rows.into_iter()
            .map(|row| QaQuestion {
                row,
                siblings: siblings.clone(),
            })
            .collect()
    }
}

/// A question asked in Q&A, with its answers.
#[Object]
impl QaQuestion {
    /// The question's id in this API.
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// Who asked; "Anonymous Attendee" when asked anonymously.
    async fn asker_name(&self) -> &str {
        if self.row.anonymous {
            "Anonymous Attendee"
        } else {
            &self.row.asker_name
        }
    }

    /// The asker's email; null when asked anonymously or unknown.
    async fn asker_email(&self) -> Option<&str> {
        if self.row.anonymous {
            return None;
        }
        self.row.asker_email.as_deref()
    }

    /// Whether it was asked anonymously.
    async fn anonymous(&self) -> bool {
        self.row.anonymous
    }

    /// The question's text.
    async fn question(&self) -> &str {
        &self.row.question
    }

    /// When it was asked.
    async fn asked_at(&self) -> DateTime<Utc> {
        self.row.asked_at
    }

    /// Open, answered or dismissed.
    async fn status(&self) -> Option<QaStatus> {
        match self.row.status.as_str() {
            "OPEN" => Some(QaStatus::Open),
            "ANSWERED" => Some(QaStatus::Answered),
            "DISMISSED" => Some(QaStatus::Dismissed),
            _ => None,
        }
    }

    /// The answers, oldest first.
    async fn answers(&self, ctx: &Context<'_>) -> Result<Vec<QaAnswer>> {
        let rc = request(ctx)?;
        let loader = &rc.loader;
        Ok(self
            .siblings
            .load_from(loader, AnswersOf(self.row.id), |pages| async move {
                // The pages are in the loader's cache: no statement.
                let pages = loader
                    .load_many(pages.iter().cloned())
                    .await
                    .unwrap_or_default();
                pages
                    .values()
                    .flat_map(|page| page.rows.iter())
                    .map(|q| AnswersOf(q.id))
                    .collect()
            })
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(QaAnswer)
            .collect())
    }
}

pub struct QaAnswer(entity::qa_answer::Model);

/// An answer to a Q&A question.
#[Object]
impl QaAnswer {
    /// Who answered (a host or panelist).
    async fn answerer_name(&self) -> &str {
        &self.0.answerer_name
    }

    /// The answer's text.
    async fn content(&self) -> &str {
        &self.0.content
    }

    /// When it was given.
    async fn answered_at(&self) -> DateTime<Utc> {
        self.0.answered_at
    }

    /// Written, or answered live.
    async fn kind(&self) -> Option<QaAnswerKind> {
        match self.0.kind.as_str() {
            "TEXT" => Some(QaAnswerKind::Text),
            "LIVE" => Some(QaAnswerKind::Live),
            _ => None,
        }
    }
}

/// The list behind `QaQuestionConnection`.
pub struct QaQuestionList;

impl ConnectionKind for QaQuestionList {
    const CONNECTION: &'static str = "QaQuestionConnection";
    const CONNECTION_DOC: &'static str = "A page of Q&A questions, as a Relay connection.";
    const EDGE: &'static str = "QaQuestionEdge";
    const EDGE_DOC: &'static str = "A Q&A question with its cursor.";
    type Node = QaQuestion;
    type Total = QaQuestionTotal;
}

pub type QaQuestionConnection = Connection<QaQuestionList>;
pub type QaQuestionEdge = Edge<QaQuestionList>;

/// Counts a meeting's questions (for all its siblings at once).
pub struct QaQuestionTotal {
    pub meeting_id: i64,
    pub siblings: Siblings<MeetingRef>,
    /// Counted by the page's own statement (a first page): no statement needed.
    pub known: Option<i64>,
}

impl ListTotal for QaQuestionTotal {
    async fn count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        if let Some(n) = self.known {
            return Ok(n);
        }
        let rc = request(ctx)?;
        Ok(self
            .siblings
            .load(&rc.loader, QuestionCountOf(self.meeting_id), |all| {
                all.iter().map(|m| QuestionCountOf(m.id)).collect()
            })
            .await?
            .unwrap_or(0))
    }
}
