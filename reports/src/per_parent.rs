//! Per-parent pages that stop at their limit: one statement gives each parent of a batch its
//! first `first + 1` child rows after a cursor, reading only those rows through an index that
//! leads with the parent and the order, never ranking every child row of the parents.
//!
//! The parents' keys are one parameter, so the statement's text does not change with their
//! number: on PostgreSQL a `bigint[]` unnested and driving a `LATERAL (... ORDER BY .. LIMIT
//! ..)`; on SQLite (no `LATERAL`) a JSON array read by `json_each`, each parent's page picked
//! by a correlated `id IN (SELECT id .. ORDER BY .. LIMIT ..)`. The parent's list size is
//! counted only when asked for (a first page whose `totalCount` is selected), by a count of its
//! own per parent, once per parent, not inside the page.

use sea_orm::{DbBackend, Value};

use crate::{cursor::Keyset, sql::Sql};

/// The child rows of one relation, as [`page_statement`] pages them per parent.
pub struct ChildRows<'a> {
    /// The child table and its alias, which `columns`, `filter`, `cursor` and `order` use.
    pub table: &'a str,
    pub alias: &'a str,
    /// The child's column holding its parent's id, and the parent's table.
    pub parent: &'a str,
    pub parent_table: &'a str,
    /// The viewer's account: only its parents are paged (and counted), and only its child rows.
    pub account_id: i64,
    /// What a page row selects (`p.*`, or a list of `p.col`): it must hold the `order` columns.
    pub columns: &'a str,
    /// Further conditions every child row of the list meets (a status, a range), each
    /// starting with ` AND `, with their values; a parent's count counts these rows.
    pub filter: String,
    pub filter_values: Vec<Value>,
    /// The rows after the cursor (`AND`ed to the rest), with their values; none on a first page.
    pub cursor: Option<(String, Vec<Value>)>,
    /// The page's order: column names of the child table, each with `DESC` where it runs
    /// newest first, the last one unique.
    pub order: &'a [&'a str],
}

/// One statement for the pages of `parents` (`first + 1` rows each at most): every row carries
/// the `parent_id` it belongs to, and with `count`, the parent's whole list size as
/// `list_total` (0-row parents have no rows: their count is 0). Rows come ordered by parent,
/// then by the page's order.
///
/// The keys are joined to the parent table on the account first, so a key of another account
/// pages nothing; the count then needs no account condition of its own and, without a
/// `filter`, is read from the parent's index alone (an index-only scan on PostgreSQL, a
/// covering index on SQLite), not from the rows.
pub fn page_statement(
    sql: &Sql,
    rows: ChildRows<'_>,
    parents: &[i64],
    first: usize,
    count: bool,
) -> (String, Vec<Value>) {
    let backend = sql.backend();
    let ChildRows {
        table,
        alias: a,
        parent,
        parent_table,
        account_id,
        columns,
        filter,
        filter_values,
        cursor,
        order,
    } = rows;
    // Values in the order of their `?` in the text: the count (in the keys' select list),
    // the keys and their account, then the page.
    let mut values = Vec::new();
    let (keys, key) = match backend {
        DbBackend::Postgres => (
            "unnest(CAST(? AS BIGINT[])) AS ids(parent_id)",
            "ids.parent_id",
        ),
        _ => ("json_each(?) AS ids", "ids.value"),
    };
    let total = if count {
        values.extend(filter_values.iter().cloned());
        format!(
            ", (SELECT COUNT(*) FROM {table} {a} WHERE {a}.{parent} = {key}{filter}) AS list_total"
        )
    } else {
        String::new()
    };
    values.push(sql.id_array(parents));
    values.push(account_id.into());
    let mut conditions = format!("{a}.{parent} = k.parent_id AND {a}.account_id = ?{filter}");
    values.push(account_id.into());
    values.extend(filter_values);
    if let Some((c, v)) = cursor {
        conditions.push_str(" AND ");
        conditions.push_str(&c);
        values.extend(v);
    }
    values.push((first as i64 + 1).into());
    let inner_order = join(order, &format!("{a}."));
    let keys_cte = format!(
        "WITH k AS MATERIALIZED (SELECT {key} AS parent_id{total} FROM {keys} \
         JOIN {parent_table} parent ON parent.id = {key} AND parent.account_id = ?) "
    );
    let outer_total = if count { ", k.list_total" } else { "" };
    let q = match backend {
        DbBackend::Postgres => format!(
            "{keys_cte}SELECT page.*, k.parent_id{outer_total} FROM k CROSS JOIN LATERAL \
             (SELECT {columns} FROM {table} {a} WHERE {conditions} ORDER BY {inner_order} LIMIT ?) page \
             ORDER BY k.parent_id, {}",
            join(order, "page.")
        ),
        _ => format!(
            "{keys_cte}SELECT {columns}, k.parent_id{outer_total} FROM k JOIN {table} {a} \
             ON {a}.id IN (SELECT {a}.id FROM {table} {a} WHERE {conditions} \
             ORDER BY {inner_order} LIMIT ?) \
             ORDER BY k.parent_id, {inner_order}"
        ),
    };
    (q, values)
}

/// The cursor condition of a page in ascending `(time, id)` order: the rows after `k`.
pub fn after(time: &str, id: &str, k: &Keyset<i64>) -> (String, Vec<Value>) {
    (
        format!("({time} > ? OR ({time} = ? AND {id} > ?))"),
        vec![k.time.into(), k.time.into(), k.tie.into()],
    )
}

/// The cursor condition of a page in descending `(time, id)` order (newest first): the rows
/// before `k`.
pub fn before(time: &str, id: &str, k: &Keyset<i64>) -> (String, Vec<Value>) {
    (
        format!("({time} < ? OR ({time} = ? AND {id} < ?))"),
        vec![k.time.into(), k.time.into(), k.tie.into()],
    )
}

fn join(columns: &[&str], prefix: &str) -> String {
    columns
        .iter()
        .map(|c| format!("{prefix}{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}
