//! The Registration report (meetings and webinars) and the absentees of the Attendee report.
//!
//! A registrant attended when a join row of the same meeting carries their registrant id, or,
//! when the row carries none, the same email (case-insensitive): the platform does not always
//! link the two. Whether they did is kept per registrant in `registrant_stat` ([`fresh_registrants`]
//! computes it from the raw rows; `crate::aggregates::settle` stores it as every writer
//! commits): looked up per registrant from the join rows it scanned the meeting's joins, a
//! year of them for a recurring webinar.

use sea_orm::{FromQueryResult, Value};

use crate::{cursor::Keyset, per_parent, sql::Sql, CountRow, Counted, Result, SECONDS_IN};

/// `p` matches registrant `r`.
pub const MATCHES_REGISTRANT: &str = "p.meeting_id = r.meeting_id AND p.account_id = r.account_id \
     AND (p.registrant_id = r.id OR (p.registrant_id IS NULL AND p.email IS NOT NULL \
     AND LOWER(p.email) = LOWER(r.email)))";

/// Whether each registrant of the meetings `d` (a CTE of `meeting_id, account_id`) attended,
/// as the CTE `ra` (`registrant_id, account_id, meeting_id, status, attended`), with the two it
/// reads: the meetings' joins that can make a registrant attended, read once, `linked`
/// (meeting, registrant id) and `emailed` (meeting, lowercased email of the joins linked to no
/// registrant), each joined to the registrants (the same rule as [`MATCHES_REGISTRANT`]; both
/// are distinct, so a registrant matches one row of each at most). `ra` is materialized, and
/// joins rather than tests `EXISTS`: inside a grouped CTE SQLite 3.50 scanned `linked` whole
/// per registrant instead of indexing it, and PostgreSQL runs an `EXISTS` in a select list as
/// a subplan per registrant over the CTE (minutes for the 1k-user bench data's webinars;
/// joined, 0.8 s on PostgreSQL and 1 s on SQLite for all 149k registrants).
///
/// The account conditions are written `+x.account_id = d.account_id`: the unary `+` keeps the
/// condition and takes it off every index, so each table is read through its meeting index
/// whatever the planner's statistics say. `settle` runs these statements during bulk loads,
/// when a table's statistics are old or missing and `account_id = ?` looks as selective as
/// `meeting_id = ?`: SQLite then read the whole account's join rows through
/// `ix_participant_account_platform_user` once per listed meeting, and PostgreSQL ANDed that
/// index's bitmap into every read (the 1k load into SQLite took 10 min 26 s, 607 s of it
/// settling, against 53 s before these aggregates).
pub(crate) const ATTENDANCE_CTES: &str =
    "linked AS MATERIALIZED (SELECT DISTINCT p.meeting_id, p.registrant_id FROM d CROSS JOIN participant p \
       WHERE p.meeting_id = d.meeting_id AND +p.account_id = d.account_id AND p.registrant_id IS NOT NULL), \
     emailed AS MATERIALIZED (SELECT DISTINCT p.meeting_id, LOWER(p.email) AS email FROM d CROSS JOIN participant p \
       WHERE p.meeting_id = d.meeting_id AND +p.account_id = d.account_id \
       AND p.registrant_id IS NULL AND p.email IS NOT NULL), \
     ra AS MATERIALIZED (SELECT r.id AS registrant_id, r.account_id, r.meeting_id, r.status, \
       CAST(CASE WHEN l.registrant_id IS NOT NULL OR e.email IS NOT NULL THEN 1 ELSE 0 END AS BIGINT) AS attended \
       FROM d CROSS JOIN registrant r \
       LEFT JOIN linked l ON l.meeting_id = r.meeting_id AND l.registrant_id = r.id \
       LEFT JOIN emailed e ON e.meeting_id = r.meeting_id AND e.email = LOWER(r.email) \
       WHERE r.meeting_id = d.meeting_id AND +r.account_id = d.account_id)";

/// The columns of `registrant_stat`, in order.
pub(crate) const STAT_COLUMNS: &str = "registrant_id, account_id, meeting_id, attended";

/// Whether each registrant of the meetings `driver` selects (`SELECT meeting_id, account_id
/// ...`, bound once) attended, from the raw rows: the columns of `registrant_stat`, in order.
pub(crate) fn fresh_registrants(driver: &str) -> String {
    format!("WITH d AS MATERIALIZED ({driver}), {ATTENDANCE_CTES} SELECT {STAT_COLUMNS} FROM ra")
}

/// Registrant `r` attended, from `registrant_stat`.
const STORED_ATTENDED: &str =
    "EXISTS (SELECT 1 FROM registrant_stat rs WHERE rs.registrant_id = r.id AND rs.attended = 1)";

/// Which registrants a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegistrantFilter {
    /// Every registrant, or those of one status (APPROVED, PENDING, DENIED).
    Status(Option<&'static str>),
    /// Approved registrants who never joined.
    Absentees,
}

impl RegistrantFilter {
    fn sql(self, values: &mut Vec<Value>) -> String {
        match self {
            RegistrantFilter::Status(None) => String::new(),
            RegistrantFilter::Status(Some(status)) => {
                values.push(status.into());
                " AND r.status = ?".to_owned()
            }
            RegistrantFilter::Absentees => {
                format!(" AND r.status = 'APPROVED' AND NOT {STORED_ATTENDED}")
            }
        }
    }
}

/// A registrant and whether they attended.
#[derive(Debug, Clone)]
pub struct RegistrantRow {
    pub id: i64,
    pub meeting_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub status: String,
    pub registered_at: chrono::DateTime<chrono::Utc>,
    pub custom_answers: String,
    pub attended: bool,
    pub parent_id: i64,
}

/// Pages of registrants, one per meeting, ordered by registration time, in one statement that
/// reads each meeting's `first + 1` registrants after the cursor and no more (see
/// [`crate::per_parent`]). Whether a registrant attended is looked up in `registrant_stat`;
/// with `count` (a first page whose `totalCount` is asked for) each row carries its meeting's
/// count under the filter.
pub async fn registrant_pages(
    sql: &Sql,
    account_id: i64,
    meeting_ids: &[i64],
    filter: RegistrantFilter,
    first: usize,
    after: Option<&Keyset<i64>>,
    count: bool,
) -> Result<Vec<Counted<RegistrantRow>>> {
    let mut filter_values = Vec::new();
    let filter = filter.sql(&mut filter_values);
    let columns = format!(
        "r.id, r.account_id, r.meeting_id, r.email, r.first_name, r.last_name, r.status, \
         r.registered_at, r.custom_answers, CASE WHEN {STORED_ATTENDED} THEN 1 ELSE 0 END AS attended_flag"
    );
    let (q, values) = per_parent::page_statement(
        sql,
        per_parent::ChildRows {
            table: "registrant",
            alias: "r",
            parent: "meeting_id",
            parent_table: "meeting",
            account_id,
            columns: &columns,
            filter,
            filter_values,
            cursor: after.map(|k| per_parent::after("r.registered_at", "r.id", k)),
            order: &["registered_at", "id"],
        },
        meeting_ids,
        first,
        count && after.is_none(),
    );
    // `attended` comes back as an integer on both databases; map it here.
    #[derive(FromQueryResult)]
    struct Raw {
        id: i64,
        meeting_id: i64,
        email: String,
        first_name: String,
        last_name: String,
        status: String,
        registered_at: chrono::DateTime<chrono::Utc>,
        custom_answers: String,
        attended_flag: i32,
        parent_id: i64,
        list_total: Option<i64>,
    }
    let rows: Vec<Raw> = sql.all(&q, values).await?;
    Ok(rows
        .into_iter()
        .map(|r| Counted {
            list_total: r.list_total,
            row: RegistrantRow {
                id: r.id,
                meeting_id: r.meeting_id,
                email: r.email,
                first_name: r.first_name,
                last_name: r.last_name,
                status: r.status,
                registered_at: r.registered_at,
                custom_answers: r.custom_answers,
                attended: r.attended_flag != 0,
                parent_id: r.parent_id,
            },
        })
        .collect())
}

/// Registrants per meeting under a filter.
pub async fn registrant_counts(
    sql: &Sql,
    account_id: i64,
    meeting_ids: &[i64],
    filter: RegistrantFilter,
) -> Result<Vec<CountRow>> {
    let mut values = sql.scoped_ids(account_id, meeting_ids);
    let mut q = format!(
        "SELECT r.meeting_id AS parent_id, COUNT(*) AS n FROM registrant r \
         WHERE r.account_id = ? AND r.meeting_id {}",
        sql.in_ids()
    );
    q.push_str(&filter.sql(&mut values));
    q.push_str(" GROUP BY r.meeting_id");
    Ok(sql.all(&q, values).await?)
}

/// A join row of a registrant (for their merged attendance).
#[derive(Debug, Clone, FromQueryResult)]
pub struct RegistrantJoinRow {
    pub parent_id: i64,
    pub name: String,
    pub email: Option<String>,
    pub user_id: Option<i64>,
    pub role: String,
    pub join_time: chrono::DateTime<chrono::Utc>,
    /// NULL while still in the meeting.
    pub leave_time: Option<chrono::DateTime<chrono::Utc>>,
    /// Up to now while still in the meeting ([`SECONDS_IN`]).
    pub duration_seconds: i64,
}

/// The join rows each registrant is matched with, oldest first.
pub async fn registrant_joins(
    sql: &Sql,
    account_id: i64,
    registrant_ids: &[i64],
) -> Result<Vec<RegistrantJoinRow>> {
    let values = sql.scoped_ids(account_id, registrant_ids);
    let q = format!(
        "SELECT r.id AS parent_id, p.name, p.email, p.user_id, p.role, p.join_time, p.leave_time, \
         CAST({SECONDS_IN} AS BIGINT) AS duration_seconds FROM registrant r JOIN participant p ON {MATCHES_REGISTRANT} \
         WHERE r.account_id = ? AND r.id {} ORDER BY r.id, p.join_time, p.id",
        sql.in_ids()
    );
    Ok(sql.all(&q, values).await?)
}
