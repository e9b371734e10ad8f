//! The Q&A report: questions asked in a webinar (or a meeting that used Q&A) and their answers.

use crate::{cursor::Keyset, per_parent, sql::Sql, CountRow, Counted, Ranked, Result};

/// Pages of questions, one per meeting, by time asked, in one statement that reads each
/// meeting's `first + 1` questions after the cursor and no more (see [`crate::per_parent`]);
/// with `count` (a first page whose `totalCount` is asked for) each row carries its meeting's
/// number of questions.
pub async fn question_pages(
    sql: &Sql,
    account_id: i64,
    meeting_ids: &[i64],
    first: usize,
    after: Option<&Keyset<i64>>,
    count: bool,
) -> Result<Vec<Ranked<Counted<entity::qa_question::Model>>>> {
    let (q, values) = per_parent::page_statement(
        sql,
        per_parent::ChildRows {
            table: "qa_question",
            alias: "q",
            parent: "meeting_id",
            parent_table: "meeting",
            account_id,
            columns: "q.*",
            filter: String::new(),
            filter_values: Vec::new(),
            cursor: after.map(|k| per_parent::after("q.asked_at", "q.id", k)),
            order: &["asked_at", "id"],
        },
        meeting_ids,
        first,
        count && after.is_none(),
    );
    Ok(sql.all(&q, values).await?)
}

/// Questions per meeting.
pub async fn question_counts(
    sql: &Sql,
    account_id: i64,
    meeting_ids: &[i64],
) -> Result<Vec<CountRow>> {
    let q = format!(
        "SELECT meeting_id AS parent_id, COUNT(*) AS n FROM qa_question \
         WHERE account_id = ? AND meeting_id {} GROUP BY meeting_id",
        sql.in_ids()
    );
    Ok(sql.all(&q, sql.scoped_ids(account_id, meeting_ids)).await?)
}

/// The answers of several questions, oldest first.
pub async fn answers_of(
    sql: &Sql,
    account_id: i64,
    question_ids: &[i64],
) -> Result<Vec<entity::qa_answer::Model>> {
    let q = format!(
        "SELECT * FROM qa_answer WHERE account_id = ? AND question_id {} \
         ORDER BY question_id, answered_at, id",
        sql.in_ids()
    );
    Ok(sql
        .all(&q, sql.scoped_ids(account_id, question_ids))
        .await?)
}
