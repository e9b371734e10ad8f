//! The Poll report: polls of a meeting or webinar, their questions, and each answer.

use chrono::{DateTime, Utc};
use sea_orm::FromQueryResult;

use crate::{cursor::Keyset, per_parent, sql::Sql, CountRow, Counted, Ranked, Result};

/// The polls of several meetings, in launch order (unlaunched last).
pub async fn polls_of(
    sql: &Sql,
    account_id: i64,
    meeting_ids: &[i64],
) -> Result<Vec<entity::poll::Model>> {
    let q = format!(
        "SELECT * FROM poll WHERE account_id = ? AND meeting_id {} \
         ORDER BY meeting_id, CASE WHEN launched_at IS NULL THEN 1 ELSE 0 END, launched_at, id",
        sql.in_ids()
    );
    Ok(sql.all(&q, sql.scoped_ids(account_id, meeting_ids)).await?)
}

/// The questions of several polls, in order.
pub async fn questions_of(
    sql: &Sql,
    account_id: i64,
    poll_ids: &[i64],
) -> Result<Vec<entity::poll_question::Model>> {
    let q = format!(
        "SELECT * FROM poll_question WHERE account_id = ? AND poll_id {} \
         ORDER BY poll_id, position, id",
        sql.in_ids()
    );
    Ok(sql.all(&q, sql.scoped_ids(account_id, poll_ids)).await?)
}

/// An answer to a poll question.
#[derive(Debug, Clone, FromQueryResult)]
pub struct ResponseRow {
    pub id: i64,
    pub question_id: i64,
    pub respondent_name: String,
    pub respondent_email: Option<String>,
    pub answer: String,
    pub answered_at: DateTime<Utc>,
}

/// Pages of answers, one per question, by answer time, in one statement that reads each
/// question's `first + 1` answers after the cursor and no more (see [`crate::per_parent`]);
/// with `count` (a first page whose `totalCount` is asked for) each row carries its question's
/// number of answers.
pub async fn response_pages(
    sql: &Sql,
    account_id: i64,
    question_ids: &[i64],
    first: usize,
    after: Option<&Keyset<i64>>,
    count: bool,
) -> Result<Vec<Ranked<Counted<ResponseRow>>>> {
    let (q, values) = per_parent::page_statement(
        sql,
        per_parent::ChildRows {
            table: "poll_response",
            alias: "r",
            parent: "question_id",
            parent_table: "poll_question",
            account_id,
            columns: "r.id, r.question_id, r.respondent_name, r.respondent_email, r.answer, r.answered_at",
            filter: String::new(),
            filter_values: Vec::new(),
            cursor: after.map(|k| per_parent::after("r.answered_at", "r.id", k)),
            order: &["answered_at", "id"],
        },
        question_ids,
        first,
        count && after.is_none(),
    );
    Ok(sql.all(&q, values).await?)
}

/// Answers per question.
pub async fn response_counts(
    sql: &Sql,
    account_id: i64,
    question_ids: &[i64],
) -> Result<Vec<CountRow>> {
    let q = format!(
        "SELECT question_id AS parent_id, COUNT(*) AS n FROM poll_response \
         WHERE account_id = ? AND question_id {} GROUP BY question_id",
        sql.in_ids()
    );
    Ok(sql
        .all(&q, sql.scoped_ids(account_id, question_ids))
        .await?)
}
