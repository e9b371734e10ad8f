//! The User Activity reports: operation logs (what admins and users changed) and sign-in /
//! sign-out events. Newest first, as the portal lists them.

use chrono::{DateTime, Utc};
use sea_orm::{FromQueryResult, Value};

use crate::{
    cursor::Keyset,
    like_pattern, per_parent,
    sql::Sql,
    users::{joined_user_columns, user_join, WithUser},
    CountRow, Counted, Ranked, Result, Total,
};

/// Which rows a User Activity list holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ActivityFilter {
    pub account_id: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// An operation category, or a sign-in event type.
    pub kind: Option<&'static str>,
    pub search: Option<String>,
}

/// The two tables of the tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActivityTable {
    OperationLog,
    SignInEvent,
}

impl ActivityTable {
    fn table(self) -> &'static str {
        match self {
            ActivityTable::OperationLog => "operation_log",
            ActivityTable::SignInEvent => "sign_in_event",
        }
    }

    /// The column naming the user a row is about.
    pub fn user_column(self) -> &'static str {
        match self {
            ActivityTable::OperationLog => "operator_id",
            ActivityTable::SignInEvent => "user_id",
        }
    }

    fn kind_column(self) -> &'static str {
        match self {
            ActivityTable::OperationLog => "category",
            ActivityTable::SignInEvent => "event_type",
        }
    }

    /// What `search` matches: the operator's email, the action or the detail; the user's email
    /// or name.
    fn search_sql(self) -> &'static str {
        match self {
            ActivityTable::OperationLog => {
                " AND (LOWER(x.operator_email) LIKE ? ESCAPE '\\' OR LOWER(x.action) LIKE ? ESCAPE '\\' \
                 OR LOWER(x.detail) LIKE ? ESCAPE '\\')"
            }
            ActivityTable::SignInEvent => {
                " AND EXISTS (SELECT 1 FROM app_user u WHERE u.id = x.user_id AND (LOWER(u.email) LIKE ? ESCAPE '\\' \
                 OR LOWER(u.first_name || ' ' || u.last_name) LIKE ? ESCAPE '\\' OR LOWER(x.ip_address) LIKE ? ESCAPE '\\'))"
            }
        }
    }

    fn conditions(self, filter: &ActivityFilter, values: &mut Vec<Value>) -> String {
        let mut q = String::from("x.account_id = ? AND x.occurred_at >= ? AND x.occurred_at < ?");
        values.extend([
            Value::from(filter.account_id),
            Value::from(filter.start),
            Value::from(filter.end),
        ]);
        if let Some(kind) = filter.kind {
            q.push_str(&format!(" AND x.{} = ?", self.kind_column()));
            values.push(kind.into());
        }
        if let Some(search) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
            q.push_str(self.search_sql());
            let pattern = like_pattern(search);
            for _ in 0..3 {
                values.push(pattern.clone().into());
            }
        }
        q
    }
}

/// Newest first: rows strictly before the cursor.
fn keyset_before(k: &Keyset<i64>, values: &mut Vec<Value>) -> &'static str {
    values.extend([k.time.into(), k.time.into(), k.tie.into()]);
    " AND (x.occurred_at < ? OR (x.occurred_at = ? AND x.id < ?))"
}

/// A page of a root list, newest first; one row more than `first` when more follow. With
/// `with_total`, every row also carries the list's size (an uncorrelated subquery the database
/// runs once), so no second statement counts it. With `with_user`, every row carries the user
/// it names (the operator, or who signed in), joined in the row's account.
pub async fn activity_page<M: FromQueryResult>(
    sql: &Sql,
    table: ActivityTable,
    filter: &ActivityFilter,
    first: usize,
    after: Option<&Keyset<i64>>,
    with_total: bool,
    with_user: bool,
) -> Result<Vec<Counted<WithUser<M>>>> {
    let mut values = Vec::new();
    let total = if with_total {
        format!(
            ", (SELECT COUNT(*) FROM {} x WHERE {}) AS list_total",
            table.table(),
            table.conditions(filter, &mut values)
        )
    } else {
        String::new()
    };
    let mut q = format!(
        "SELECT x.*{total}, {} FROM {} x{} WHERE {}",
        joined_user_columns("pu", with_user),
        table.table(),
        user_join(
            "pu",
            &format!("x.{}", table.user_column()),
            "x.account_id",
            with_user
        ),
        table.conditions(filter, &mut values)
    );
    if let Some(k) = after {
        q.push_str(keyset_before(k, &mut values));
    }
    q.push_str(" ORDER BY x.occurred_at DESC, x.id DESC LIMIT ?");
    values.push((first as i64 + 1).into());
    Ok(sql.all(&q, values).await?)
}

pub async fn activity_count(
    sql: &Sql,
    table: ActivityTable,
    filter: &ActivityFilter,
) -> Result<i64> {
    let mut values = Vec::new();
    let q = format!(
        "SELECT COUNT(*) AS n FROM {} x WHERE {}",
        table.table(),
        table.conditions(filter, &mut values)
    );
    Ok(sql.one::<Total>(&q, values).await?.map_or(0, |c| c.n))
}

/// Pages per user (the operator, or the user who signed in), newest first, in one statement
/// that reads each user's `first + 1` rows before the cursor and no more (see
/// [`crate::per_parent`]).
pub async fn activity_pages_of_users<M: FromQueryResult>(
    sql: &Sql,
    table: ActivityTable,
    filter: &ActivityFilter,
    user_ids: &[i64],
    first: usize,
    after: Option<&Keyset<i64>>,
) -> Result<Vec<Ranked<M>>> {
    let mut filter_values = Vec::new();
    let conditions = format!(" AND {}", table.conditions(filter, &mut filter_values));
    let (q, values) = per_parent::page_statement(
        sql,
        per_parent::ChildRows {
            table: table.table(),
            alias: "x",
            parent: table.user_column(),
            parent_table: "app_user",
            account_id: filter.account_id,
            columns: "x.*",
            filter: conditions,
            filter_values,
            cursor: after.map(|k| per_parent::before("x.occurred_at", "x.id", k)),
            order: &["occurred_at DESC", "id DESC"],
        },
        user_ids,
        first,
        false,
    );
    Ok(sql.all(&q, values).await?)
}

pub async fn activity_counts_of_users(
    sql: &Sql,
    table: ActivityTable,
    filter: &ActivityFilter,
    user_ids: &[i64],
) -> Result<Vec<CountRow>> {
    let user = table.user_column();
    let mut values = Vec::new();
    let q = format!(
        "SELECT x.{user} AS parent_id, COUNT(*) AS n FROM {} x WHERE {} AND x.{user} {} GROUP BY x.{user}",
        table.table(),
        table.conditions(filter, &mut values),
        sql.in_ids()
    );
    values.push(sql.id_array(user_ids));
    Ok(sql.all(&q, values).await?)
}
