//! The Poll report: polls, their questions, and each answer.

use async_graphql::{
    dataloader::{DataLoader, HashMapCache},
    Context, Enum, Object, Result, ID,
};
use chrono::{DateTime, Utc};

use crate::graphql::{
    connection::{connection_cost, Connection, ConnectionKind, Edge, ListTotal},
    context::{keyset_page, request},
    error::ApiResult,
    loaders::{AccountLoader, PollsOf, QuestionsOf, ResponseCountOf, ResponsePageKey, Siblings},
    scalars::{encode_cursor, CursorKind, Keyset},
};
use reports::polls::ResponseRow;

/// What kind of answer a poll question takes.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum PollQuestionType {
    /// One choice among several.
    SingleChoice,
    /// Several choices.
    MultipleChoice,
    /// Free text.
    ShortAnswer,
}

pub struct Poll {
    pub row: entity::poll::Model,
    /// The poll lists of every sibling meeting: questions and answers load for all at once.
    pub siblings: Siblings<PollsOf>,
}

/// Every poll id of the sibling meetings (read from the loader's cache: no statement).
async fn sibling_poll_ids(
    loader: &DataLoader<AccountLoader, HashMapCache>,
    meetings: &[PollsOf],
) -> Vec<i64> {
    let polls = loader
        .load_many(meetings.iter().copied())
        .await
        .unwrap_or_default();
    polls.values().flatten().map(|p| p.id).collect()
}

/// Every question id of the sibling meetings' polls (from the cache too).
async fn sibling_question_ids(
    loader: &DataLoader<AccountLoader, HashMapCache>,
    meetings: &[PollsOf],
) -> Vec<i64> {
    let polls = sibling_poll_ids(loader, meetings).await;
    let questions = loader
        .load_many(polls.into_iter().map(QuestionsOf))
        .await
        .unwrap_or_default();
    questions.values().flatten().map(|q| q.id).collect()
}

impl Poll {
    pub fn in_group(rows: Vec<entity::poll::Model>, siblings: &Siblings<PollsOf>) -> Vec<Poll> {
        rows.into_iter()
            .map(|row| Poll {
                row,
                siblings: siblings.clone(),
            })
            .collect()
    }
}

/// A poll run in a meeting or webinar.
#[Object]
impl Poll {
    /// The poll's id in this API.
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// The poll's title.
    async fn title(&self) -> &str {
        &self.row.title
    }

    /// Anonymous polls hide who answered: `respondentName` and `respondentEmail` are null.
    async fn anonymous(&self) -> bool {
        self.row.anonymous
    }

    /// When the host launched it; null if it was never launched.
    async fn launched_at(&self) -> Option<DateTime<Utc>> {
        self.row.launched_at
    }

    /// The questions, in order.
    async fn questions(&self, ctx: &Context<'_>) -> Result<Vec<PollQuestion>> {
        let rc = request(ctx)?;
        let loader = &rc.loader;
        let rows = self
            .siblings
            .load_from(loader, QuestionsOf(self.row.id), |meetings| async move {
                sibling_poll_ids(loader, &meetings)
                    .await
                    .into_iter()
                    .map(QuestionsOf)
                    .collect()
            })
            .await?
            .unwrap_or_default();
        let siblings = self.siblings.clone();
        Ok(rows
            .into_iter()
            .map(|row| PollQuestion {
                row,
                anonymous: self.row.anonymous,
                siblings: siblings.clone(),
            })
            .collect())
    }
}

pub struct PollQuestion {
    pub row: entity::poll_question::Model,
    anonymous: bool,
    /// The poll lists of every sibling meeting (see [`Poll`]).
    siblings: Siblings<PollsOf>,
}

/// A question of a poll.
#[Object]
impl PollQuestion {
    /// The question's id in this API.
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// The question's text.
    async fn text(&self) -> &str {
        &self.row.text
    }

    /// What kind of answer it takes.
    #[graphql(name = "type")]
    async fn question_type(&self) -> Option<PollQuestionType> {
        match self.row.question_type.as_str() {
            "SINGLE_CHOICE" => Some(PollQuestionType::SingleChoice),
            "MULTIPLE_CHOICE" => Some(PollQuestionType::MultipleChoice),
            "SHORT_ANSWER" => Some(PollQuestionType::ShortAnswer),
            _ => None,
        }
    }

    /// The answers, by the time they were given.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn responses(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the answers after this cursor.")] after: Option<String>,
    ) -> Result<PollResponseConnection> {
        let rc = request(ctx)?;
        let (first, after) = keyset_page::<i64>(first, after, CursorKind::PollResponse)?;
        let loader = &rc.loader;
        let has_previous_page = after.is_some();
        let key = ResponsePageKey {
            question_id: self.row.id,
            first,
            after,
            with_total: ctx.look_ahead().field("totalCount").exists(),
        };
        let page = self
            .siblings
            .load_from(loader, key.clone(), |meetings| async move {
                sibling_question_ids(loader, &meetings)
                    .await
                    .into_iter()
                    .map(|question_id| ResponsePageKey {
                        question_id,
                        ..key.clone()
                    })
                    .collect()
            })
            .await?
            .unwrap_or_default();
        Ok(PollResponseConnection {
            edges: page
                .rows
                .into_iter()
                .map(|row| PollResponseEdge {
                    cursor: encode_cursor(
                        CursorKind::PollResponse,
                        &Keyset {
                            time: row.answered_at,
                            tie: row.id,
                        },
                    ),
                    node: PollResponse {
                        row,
                        anonymous: self.anonymous,
                    },
                })
                .collect(),
            has_next_page: page.has_next_page,
            has_previous_page,
            total: PollResponseTotal {
                question_id: self.row.id,
                siblings: self.siblings.clone(),
                known: page.total,
            },
        })
    }
}

pub struct PollResponse {
    row: ResponseRow,
    anonymous: bool,
}

/// One answer to a poll question.
#[Object]
impl PollResponse {
    /// Who answered; null when the poll is anonymous.
    async fn respondent_name(&self) -> Option<&str> {
        (!self.anonymous).then_some(self.row.respondent_name.as_str())
    }

    /// Their email; null when the poll is anonymous or the email is unknown.
    async fn respondent_email(&self) -> Option<&str> {
        if self.anonymous {
            return None;
        }
        self.row.respondent_email.as_deref()
    }

    /// The answer (several choices are separated by `;`).
    async fn answer(&self) -> &str {
        &self.row.answer
    }

    /// When it was given.
    async fn answered_at(&self) -> DateTime<Utc> {
        self.row.answered_at
    }
}

/// The list behind `PollResponseConnection`.
pub struct PollResponseList;

impl ConnectionKind for PollResponseList {
    const CONNECTION: &'static str = "PollResponseConnection";
    const CONNECTION_DOC: &'static str = "A page of poll answers, as a Relay connection.";
    const EDGE: &'static str = "PollResponseEdge";
    const EDGE_DOC: &'static str = "A poll answer with its cursor.";
    type Node = PollResponse;
    type Total = PollResponseTotal;
}

pub type PollResponseConnection = Connection<PollResponseList>;
pub type PollResponseEdge = Edge<PollResponseList>;

/// Counts a question's answers (for all its siblings at once).
pub struct PollResponseTotal {
    question_id: i64,
    siblings: Siblings<PollsOf>,
    /// Counted by the page's own statement (a first page): no statement needed.
    known: Option<i64>,
}

impl ListTotal for PollResponseTotal {
    async fn count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        if let Some(n) = self.known {
            return Ok(n);
        }
        let rc = request(ctx)?;
        let loader = &rc.loader;
        Ok(self
            .siblings
            .load_from(
                loader,
                ResponseCountOf(self.question_id),
                |meetings| async move {
                    sibling_question_ids(loader, &meetings)
                        .await
                        .into_iter()
                        .map(ResponseCountOf)
                        .collect()
                },
            )
            .await?
            .unwrap_or(0))
    }
}
