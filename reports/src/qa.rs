//! The Q&A report: questions asked in a webinar (or a meeting that used Q&A) and their answers.

use crate::{cursor::Keyset, list_total_column, sql::Sql, CountRow, Counted, Ranked, Result};

/// Pages of questions, one per meeting, by time asked, in one statement; a first page carries
/// its meeting's count.
pub async fn question_pages(
    sql: &Sql,
    account_id: i64,
    meeting_ids: &[i64],
    first: usize,
    after: Option<&Keyset<i64>>,
) -> Result<Vec<Ranked<Counted<entity::qa_question::Model>>>> {
    let mut values = sql.scoped_ids(account_id, meeting_ids);
    let mut q = format!(
        "SELECT * FROM (SELECT q.*, q.meeting_id AS parent_id, \
         ROW_NUMBER() OVER (PARTITION BY q.meeting_id ORDER BY q.asked_at, q.id) AS rn, {} \
         FROM qa_question q WHERE q.account_id = ? AND q.meeting_id {}",
        list_total_column("q.meeting_id", after.is_none()),
        sql.in_ids()
    );
    if let Some(k) = after {
        q.push_str(" AND (q.asked_at > ? OR (q.asked_at = ? AND q.id > ?))");
        values.extend([k.time.into(), k.time.into(), k.tie.into()]);
    }
    q.push_str(") ranked WHERE rn <= ? ORDER BY parent_id, rn");
    values.push((first as i64 + 1).into());
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
