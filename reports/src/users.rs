//! Users of an account, as hosts and as report subjects.

use sea_orm::{FromQueryResult, IdenStatic, Iterable, QueryResult, Value};

use crate::{sql::Sql, Result};

/// A page statement's row with the user it names read along (look-ahead: a page whose nodes
/// select their `host`, `operator` or `user` joins `app_user` instead of leaving the users to
/// a statement of their own). `user` is `None` when the statement did not join, or found no user
/// of the row's account.
#[derive(Debug, Clone)]
pub struct WithUser<M> {
    pub row: M,
    pub user: Option<entity::app_user::Model>,
}

/// The prefix of the joined user's columns.
const USER_PREFIX: &str = "u_";

/// The select list of the user joined as `alias` (`u.id AS u_id, ...`), or, when `join` is
/// false, the one column that says no user was read: the statement's shape stays one type.
pub fn joined_user_columns(alias: &str, join: bool) -> String {
    if !join {
        return format!("CAST(NULL AS BIGINT) AS {USER_PREFIX}id");
    }
    entity::app_user::Column::iter()
        .map(|c| format!("{alias}.{c} AS {USER_PREFIX}{c}", c = c.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The join of the user named by `column` (e.g. `m.host_id`), in the row's own account.
pub fn user_join(alias: &str, column: &str, account_column: &str, join: bool) -> String {
    if join {
        format!(" LEFT JOIN app_user {alias} ON {alias}.id = {column} AND {alias}.account_id = {account_column}")
    } else {
        String::new()
    }
}

impl<M: FromQueryResult> FromQueryResult for WithUser<M> {
    fn from_query_result(
        res: &QueryResult,
        pre: &str,
    ) -> std::result::Result<Self, sea_orm::DbErr> {
        let user_pre = format!("{pre}{USER_PREFIX}");
        let user = match res.try_get::<Option<i64>>(&user_pre, "id")? {
            Some(_) => Some(entity::app_user::Model::from_query_result(res, &user_pre)?),
            None => None,
        };
        Ok(Self {
            row: M::from_query_result(res, pre)?,
            user,
        })
    }
}

/// Users of the account by id (ids of other accounts are not found).
pub async fn users_by_id(
    sql: &Sql,
    account_id: i64,
    ids: &[i64],
) -> Result<Vec<entity::app_user::Model>> {
    let values = sql.scoped_ids(account_id, ids);
    Ok(sql
        .all(
            &format!(
                "SELECT * FROM app_user WHERE account_id = ? AND id {}",
                sql.in_ids()
            ),
            values,
        )
        .await?)
}

/// Which users a list holds: the account's, optionally only one (a member sees themselves),
/// matching `search` on email or name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserFilter {
    pub account_id: i64,
    pub only: Option<i64>,
    pub search: Option<String>,
}

impl UserFilter {
    fn where_sql(&self, values: &mut Vec<Value>) -> String {
        values.push(self.account_id.into());
        let mut q = String::from("WHERE u.account_id = ?");
        if let Some(id) = self.only {
            q.push_str(" AND u.id = ?");
            values.push(id.into());
        }
        if let Some(search) = self.search.as_deref().filter(|s| !s.trim().is_empty()) {
            let pattern = crate::like_pattern(search);
            q.push_str(
                " AND (LOWER(u.email) LIKE ? ESCAPE '\\' OR LOWER(u.first_name || ' ' || u.last_name) LIKE ? ESCAPE '\\')",
            );
            values.push(pattern.clone().into());
            values.push(pattern.into());
        }
        q
    }
}

/// A page of users by (created_at, id), one row more than `first` when more follow.
pub async fn users_page(
    sql: &Sql,
    filter: &UserFilter,
    first: usize,
    after: Option<&crate::cursor::Keyset<i64>>,
) -> Result<Vec<entity::app_user::Model>> {
    let mut values = Vec::new();
    let mut q = format!(
        "SELECT u.* FROM app_user u {}",
        filter.where_sql(&mut values)
    );
    if let Some(k) = after {
        q.push_str(" AND (u.created_at > ? OR (u.created_at = ? AND u.id > ?))");
        values.extend([k.time.into(), k.time.into(), k.tie.into()]);
    }
    q.push_str(" ORDER BY u.created_at, u.id LIMIT ?");
    values.push((first as i64 + 1).into());
    Ok(sql.all(&q, values).await?)
}

pub async fn users_count(sql: &Sql, filter: &UserFilter) -> Result<i64> {
    let mut values = Vec::new();
    let q = format!(
        "SELECT COUNT(*) AS n FROM app_user u {}",
        filter.where_sql(&mut values)
    );
    Ok(sql
        .one::<crate::Total>(&q, values)
        .await?
        .map_or(0, |c| c.n))
}
