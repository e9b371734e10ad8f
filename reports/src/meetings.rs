//! The Meeting report: meetings located by date range, their sessions, their participants (one
//! row per join, as the portal reports them) and their attendees (join rows merged per person).

use chrono::{DateTime, Utc};
use sea_orm::{FromQueryResult, Value};

use crate::{
    cursor::Keyset,
    like_pattern, per_parent,
    range::ReportRange,
    sql::Sql,
    users::{joined_user_columns, user_join, WithUser},
    CountRow, Counted, Ranked, Result, Sorted, Total, PERSON_KEY, SECONDS_IN,
};

/// The figures of session `s`, as SQL select items.
pub fn session_figures() -> String {
    format!(
        "(SELECT COUNT(DISTINCT {PERSON_KEY}) FROM participant p WHERE p.session_id = s.id) AS participants, \
         (SELECT (CAST(COALESCE(SUM({SECONDS_IN}), 0) AS BIGINT) + 59) / 60 \
          FROM participant p WHERE p.session_id = s.id) AS meeting_minutes"
    )
}

/// MEETING or WEBINAR: the two kinds of `meeting` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeetingKind {
    Meeting,
    Webinar,
}

impl MeetingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingKind::Meeting => "MEETING",
            MeetingKind::Webinar => "WEBINAR",
        }
    }
}

/// Which meetings a list holds: those of one kind with a session starting in the range,
/// optionally of one host (members are always narrowed to themselves) and matching `search`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MeetingFilter {
    pub account_id: i64,
    pub kind: MeetingKind,
    pub host_id: Option<i64>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub search: Option<String>,
}

impl MeetingFilter {
    pub fn new(
        account_id: i64,
        kind: MeetingKind,
        host_id: Option<i64>,
        range: &ReportRange,
        search: Option<String>,
    ) -> Self {
        Self {
            account_id,
            kind,
            host_id,
            start: range.start,
            end: range.end,
            search: search.filter(|s| !s.trim().is_empty()),
        }
    }

    /// `FROM ... WHERE ...` shared by the page and the count: `t` is the range's meetings,
    /// `t.meeting_id` with `t.sort_time`, its first session start in the range.
    ///
    /// For one host, the host's meetings (few, by `(account_id, host_id, kind)`) are joined to
    /// the range's sessions. For the whole account, each meeting of the range is checked by its
    /// primary key in a scalar subquery, which PostgreSQL runs per meeting instead of joining a
    /// scan of every meeting of the account (on the 1k-user data: 8.6k lookups against a
    /// 90k-row scan, `bench/README.md`); SQLite looks each one up either way.
    fn tables_and_conditions(&self, values: &mut Vec<Value>) -> String {
        values.push(self.account_id.into());
        values.push(self.start.into());
        values.push(self.end.into());
        values.push(self.account_id.into());
        values.push(self.kind.as_str().into());
        let groups = "(SELECT s.meeting_id, MIN(s.start_time) AS sort_time \
             FROM meeting_session s WHERE s.account_id = ? AND s.start_time >= ? AND s.start_time < ? \
             GROUP BY s.meeting_id) t";
        let mut meeting = String::from("m.id = t.meeting_id AND m.account_id = ? AND m.kind = ?");
        if let Some(host) = self.host_id {
            meeting.push_str(" AND m.host_id = ?");
            values.push(host.into());
        }
        if let Some(search) = &self.search {
            let pattern = like_pattern(search);
            meeting.push_str(
                " AND (LOWER(m.topic) LIKE ? ESCAPE '\\' OR CAST(m.meeting_number AS TEXT) LIKE ? ESCAPE '\\')",
            );
            values.push(pattern.clone().into());
            values.push(pattern.into());
        }
        match self.host_id {
            Some(_) => format!("FROM meeting m JOIN {groups} ON {meeting}"),
            None => format!("FROM {groups} WHERE (SELECT 1 FROM meeting m WHERE {meeting}) = 1"),
        }
    }
}

/// One page of meetings, ordered by first session start in the range, then id; one row more
/// than `first` when more follow. The first page also carries the list's size (`COUNT(*)
/// OVER ()`, computed before the `LIMIT`), so its `totalCount` needs no second statement;
/// a later page's `WHERE` keeps only the rows after the cursor, so it carries none. The range's
/// meetings are ranked as narrow rows (id, sort time); only the page's rows are then read
/// whole, with their host when `with_host` (look-ahead), instead of carrying every meeting's
/// columns through the sort.
pub async fn meetings_page(
    sql: &Sql,
    filter: &MeetingFilter,
    first: usize,
    after: Option<&Keyset<i64>>,
    with_host: bool,
) -> Result<Vec<Counted<Sorted<WithUser<entity::meeting::Model>>>>> {
    let mut values = Vec::new();
    let (total, outer_total) = if after.is_none() {
        (", COUNT(*) OVER () AS list_total", ", p.list_total")
    } else {
        ("", "")
    };
    let mut page = format!(
        "SELECT t.meeting_id, t.sort_time{total} {}",
        filter.tables_and_conditions(&mut values)
    );
    if let Some(k) = after {
        page.push_str(" AND (t.sort_time > ? OR (t.sort_time = ? AND t.meeting_id > ?))");
        values.extend([k.time.into(), k.time.into(), k.tie.into()]);
    }
    page.push_str(" ORDER BY t.sort_time, t.meeting_id LIMIT ?");
    values.push((first as i64 + 1).into());
    let q = format!(
        "SELECT m.*, p.sort_time{outer_total}, {} FROM ({page}) p \
         JOIN meeting m ON m.id = p.meeting_id{} ORDER BY p.sort_time, m.id",
        joined_user_columns("h", with_host),
        user_join("h", "m.host_id", "m.account_id", with_host),
    );
    Ok(sql.all(&q, values).await?)
}

pub async fn meetings_count(sql: &Sql, filter: &MeetingFilter) -> Result<i64> {
    let mut values = Vec::new();
    let q = format!(
        "SELECT COUNT(*) AS n {}",
        filter.tables_and_conditions(&mut values)
    );
    Ok(sql.one::<Total>(&q, values).await?.map_or(0, |r| r.n))
}

/// A meeting of the account by id, of one kind, within the viewer's host scope.
pub async fn meeting_by_id(
    sql: &Sql,
    account_id: i64,
    kind: MeetingKind,
    id: i64,
    host_id: Option<i64>,
) -> Result<Option<entity::meeting::Model>> {
    let mut values: Vec<Value> = vec![id.into(), account_id.into(), kind.as_str().into()];
    let mut q = String::from("SELECT * FROM meeting WHERE id = ? AND account_id = ? AND kind = ?");
    if let Some(host) = host_id {
        q.push_str(" AND host_id = ?");
        values.push(host.into());
    }
    Ok(sql.one(&q, values).await?)
}

/// A session with its figures, as every usage report counts them.
#[derive(Debug, Clone, FromQueryResult)]
pub struct SessionRow {
    pub id: i64,
    pub meeting_id: i64,
    pub source_id: String,
    pub start_time: DateTime<Utc>,
    pub end_time: Option<DateTime<Utc>>,
    /// People who joined (rejoins count once).
    pub participants: i64,
    /// Every join's seconds ÷ 60, rounded up.
    pub meeting_minutes: i64,
}

/// The sessions of several meetings, oldest first.
pub async fn sessions_of(
    sql: &Sql,
    account_id: i64,
    meeting_ids: &[i64],
) -> Result<Vec<SessionRow>> {
    let values = sql.scoped_ids(account_id, meeting_ids);
    let q = format!(
        "SELECT s.id, s.meeting_id, s.source_id, s.start_time, s.end_time, st.participants, \
         {} AS meeting_minutes FROM meeting_session s JOIN session_stat st ON st.session_id = s.id \
         WHERE s.account_id = ? AND s.meeting_id {} \
         ORDER BY s.meeting_id, s.start_time, s.id",
        crate::aggregates::minutes_of("st"),
        sql.in_ids()
    );
    Ok(sql.all(&q, values).await?)
}

/// Pages of join rows, one page per meeting, in one statement that reads each meeting's
/// `first + 1` rows after the cursor (by join time, id) and no more (see [`crate::per_parent`]);
/// with `count` (a first page whose `totalCount` is asked for) each row also carries its
/// meeting's number of join rows.
pub async fn participant_pages(
    sql: &Sql,
    account_id: i64,
    meeting_ids: &[i64],
    first: usize,
    after: Option<&Keyset<i64>>,
    count: bool,
) -> Result<Vec<Ranked<Counted<entity::participant::Model>>>> {
    let (q, values) = per_parent::page_statement(
        sql,
        per_parent::ChildRows {
            table: "participant",
            alias: "p",
            parent: "meeting_id",
            parent_table: "meeting",
            account_id,
            columns: "p.*",
            filter: String::new(),
            filter_values: Vec::new(),
            cursor: after.map(|k| per_parent::after("p.join_time", "p.id", k)),
            order: &["join_time", "id"],
        },
        meeting_ids,
        first,
        count && after.is_none(),
    );
    Ok(sql.all(&q, values).await?)
}

/// Join rows per meeting.
pub async fn participant_counts(
    sql: &Sql,
    account_id: i64,
    meeting_ids: &[i64],
) -> Result<Vec<CountRow>> {
    let values = sql.scoped_ids(account_id, meeting_ids);
    let q = format!(
        "SELECT p.meeting_id AS parent_id, COUNT(*) AS n FROM participant p \
         WHERE p.account_id = ? AND p.meeting_id {} GROUP BY p.meeting_id",
        sql.in_ids()
    );
    Ok(sql.all(&q, values).await?)
}

/// Attendees (people) per meeting, from the attendance aggregate.
pub async fn attendee_counts(
    sql: &Sql,
    account_id: i64,
    meeting_ids: &[i64],
) -> Result<Vec<CountRow>> {
    let values = sql.scoped_ids(account_id, meeting_ids);
    let q = format!(
        "SELECT a.meeting_id AS parent_id, COUNT(*) AS n FROM attendee_stat a \
         WHERE a.account_id = ? AND a.meeting_id {} GROUP BY a.meeting_id",
        sql.in_ids()
    );
    Ok(sql.all(&q, values).await?)
}

/// One join of an attendee of a page, with the attendee's merged figures repeated on each of
/// their joins (so the page and every interval come back in one statement).
#[derive(Debug, Clone, FromQueryResult)]
pub struct AttendeeJoinRow {
    pub parent_id: i64,
    pub person_key: String,
    pub first_join_time: DateTime<Utc>,
    /// NULL while one of their joins is still in the meeting.
    pub last_leave_time: Option<DateTime<Utc>>,
    pub total_seconds: i64,
    pub joins: i64,
    pub name: String,
    pub email: Option<String>,
    pub user_id: Option<i64>,
    pub role: String,
    pub join_time: DateTime<Utc>,
    pub leave_time: Option<DateTime<Utc>>,
}

/// Pages of attendees, one per meeting, in one statement: each meeting's `first + 1` people
/// read from the attendance aggregate (`attendee_stat`, ordered by first join and person key:
/// [`per_parent`]'s pages); a first page carries its meeting's number of attendees.
///
/// With `intervals`, every join row of those people comes back (through the
/// `(meeting_id, person key)` index), each carrying the merged figures; without, one row per
/// attendee that stands for their joins: their first join (read by its key) with the first
/// email any join carried and the most prominent role of their joins, both kept in the
/// aggregate (a regular attendee of a recurring meeting has a year of joins, which a page
/// without intervals does not read).
pub async fn attendee_pages(
    sql: &Sql,
    account_id: i64,
    meeting_ids: &[i64],
    first: usize,
    after: Option<&Keyset<String>>,
    intervals: bool,
) -> Result<Vec<Counted<AttendeeJoinRow>>> {
    let count = after.is_none();
    let (page, mut values) = per_parent::page_statement(
        sql,
        per_parent::ChildRows {
            table: "attendee_stat",
            alias: "a",
            parent: "meeting_id",
            parent_table: "meeting",
            account_id,
            columns: "a.*",
            filter: String::new(),
            filter_values: Vec::new(),
            cursor: after.map(|k| {
                (
                    "(a.first_join_time > ? OR (a.first_join_time = ? AND a.person_key > ?))"
                        .to_owned(),
                    vec![k.time.into(), k.time.into(), k.tie.clone().into()],
                )
            }),
            order: &["first_join_time", "person_key"],
        },
        meeting_ids,
        first,
        count,
    );
    // The join rows of attendee `pg`, as `p`: every one (intervals) or the first, by its key.
    let (joined, email, role) = if intervals {
        (
            format!(
                "p.meeting_id = pg.meeting_id AND {} AND p.account_id = ?",
                crate::aggregates::person_is(sql.backend(), "pg.person_key")
            ),
            "p.email",
            "p.role",
        )
    } else {
        (
            "p.id = pg.first_join_id AND p.account_id = ?".to_owned(),
            "pg.email",
            "pg.role",
        )
    };
    let q = format!(
        "WITH pg AS ({page}) SELECT pg.parent_id, pg.person_key, pg.first_join_time, pg.last_leave_time, \
         {} AS total_seconds, pg.joins, p.name, {email} AS email, p.user_id, {role} AS role, \
         p.join_time, p.leave_time{} \
         FROM pg JOIN participant p ON {joined} \
         ORDER BY pg.parent_id, pg.first_join_time, pg.person_key, p.join_time, p.id",
        crate::aggregates::attendee_seconds_of(sql.backend(), "pg"),
        if count { ", pg.list_total" } else { "" },
    );
    values.push(account_id.into());
    Ok(sql.all(&q, values).await?)
}

impl MeetingFilter {
    /// The first session start of meeting `m` in the range (NULL when none starts in it): an
    /// index seek on `(meeting_id, start_time)`.
    fn first_start_in_range(&self, values: &mut Vec<Value>) -> &'static str {
        values.extend([
            Value::from(self.account_id),
            self.start.into(),
            self.end.into(),
        ]);
        "(SELECT MIN(s.start_time) FROM meeting_session s WHERE s.meeting_id = m.id \
         AND s.account_id = ? AND s.start_time >= ? AND s.start_time < ?)"
    }

    /// The conditions on a host's meeting `m` of the list (its account, kind and search; the
    /// host is the page's parent), without the range.
    fn host_meeting_conditions(&self, values: &mut Vec<Value>) -> String {
        values.extend([Value::from(self.account_id), self.kind.as_str().into()]);
        let mut q = String::from("m.account_id = ? AND m.kind = ? AND m.host_id = k.parent_id");
        if let Some(search) = &self.search {
            let pattern = like_pattern(search);
            q.push_str(
                " AND (LOWER(m.topic) LIKE ? ESCAPE '\\' OR CAST(m.meeting_number AS TEXT) LIKE ? ESCAPE '\\')",
            );
            values.push(pattern.clone().into());
            values.push(pattern.into());
        }
        q
    }
}

/// Pages of meetings (or webinars) per host, in one statement: `filter` without its host, each
/// host's `first + 1` meetings after the cursor by first session start in the range, then id.
/// A host's meetings are read through `(account_id, host_id, kind)` and each one's first start
/// in the range through `(meeting_id, start_time)`: the work grows with the hosts' own
/// meetings, not with the account's sessions in the range (see [`crate::per_parent`]).
pub async fn meetings_of_hosts(
    sql: &Sql,
    filter: &MeetingFilter,
    host_ids: &[i64],
    first: usize,
    after: Option<&Keyset<i64>>,
) -> Result<Vec<Ranked<Sorted<entity::meeting::Model>>>> {
    let mut values = vec![sql.id_array(host_ids)];
    let keys = match sql.backend() {
        sea_orm::DbBackend::Postgres => "SELECT unnest(CAST(? AS BIGINT[])) AS parent_id",
        _ => "SELECT ids.value AS parent_id FROM json_each(?) AS ids",
    };
    // The page of one host `k.parent_id`: its meetings `m` with their sort time as a column
    // (PostgreSQL), or their ids alone (SQLite, for an `IN`).
    let page = |values: &mut Vec<Value>, with_rows: bool| {
        let mut q = if with_rows {
            let sort = filter.first_start_in_range(values);
            format!("SELECT m.*, {sort} AS sort_time FROM meeting m WHERE ")
        } else {
            "SELECT m.id FROM meeting m WHERE ".to_owned()
        };
        q.push_str(&filter.host_meeting_conditions(values));
        let st = filter.first_start_in_range(values);
        q.push_str(&format!(" AND {st} IS NOT NULL"));
        if let Some(k) = after {
            filter.first_start_in_range(values);
            values.push(k.time.into());
            filter.first_start_in_range(values);
            values.extend([k.time.into(), k.tie.into()]);
            q.push_str(&format!(" AND ({st} > ? OR ({st} = ? AND m.id > ?))"));
        }
        if with_rows {
            q.push_str(" ORDER BY sort_time, m.id LIMIT ?");
        } else {
            filter.first_start_in_range(values);
            q.push_str(&format!(" ORDER BY {st}, m.id LIMIT ?"));
        }
        values.push((first as i64 + 1).into());
        q
    };
    let q = match sql.backend() {
        sea_orm::DbBackend::Postgres => {
            let inner = page(&mut values, true);
            format!(
                "WITH k AS MATERIALIZED ({keys}) SELECT page.*, k.parent_id FROM k \
                 CROSS JOIN LATERAL ({inner}) page ORDER BY k.parent_id, page.sort_time, page.id"
            )
        }
        _ => {
            // No LATERAL: each host's page picks ids; their sort time is read again for them.
            // Values in text order: the keys, the outer sort time, then the page's.
            let mut ordered = vec![values.remove(0)];
            let sort = filter.first_start_in_range(&mut ordered);
            let inner = page(&mut ordered, false);
            values = ordered;
            format!(
                "WITH k AS MATERIALIZED ({keys}) SELECT m.*, {sort} AS sort_time, k.parent_id \
                 FROM k JOIN meeting m ON m.id IN ({inner}) ORDER BY k.parent_id, sort_time, m.id"
            )
        }
    };
    Ok(sql.all(&q, values).await?)
}

/// Meetings (or webinars) per host under `filter` (without its host): for each host, a count
/// of their meetings with a session starting in the range (see [`meetings_of_hosts`]).
pub async fn meeting_counts_of_hosts(
    sql: &Sql,
    filter: &MeetingFilter,
    host_ids: &[i64],
) -> Result<Vec<CountRow>> {
    let mut values = Vec::new();
    let conditions = filter.host_meeting_conditions(&mut values);
    values.extend([
        Value::from(filter.account_id),
        filter.start.into(),
        filter.end.into(),
    ]);
    values.push(sql.id_array(host_ids));
    let keys = match sql.backend() {
        sea_orm::DbBackend::Postgres => "unnest(CAST(? AS BIGINT[])) AS k(parent_id)",
        _ => "(SELECT ids.value AS parent_id FROM json_each(?) AS ids) k",
    };
    let q = format!(
        "SELECT k.parent_id, (SELECT COUNT(*) FROM meeting m WHERE {conditions} AND EXISTS \
         (SELECT 1 FROM meeting_session s WHERE s.meeting_id = m.id AND s.account_id = ? \
         AND s.start_time >= ? AND s.start_time < ?)) AS n FROM {keys}"
    );
    Ok(sql.all(&q, values).await?)
}

/// Meetings of the account by id.
pub async fn meetings_by_id(
    sql: &Sql,
    account_id: i64,
    ids: &[i64],
) -> Result<Vec<entity::meeting::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut values: Vec<Value> = vec![account_id.into()];
    values.push(sql.id_array(ids));
    let q = format!(
        "SELECT * FROM meeting WHERE account_id = ? AND id {}",
        sql.in_ids()
    );
    Ok(sql.all(&q, values).await?)
}
