//! The registration and webinar aggregates, kept exact on write as the session and attendee
//! ones are (`m20261205_100000_session_aggregates`):
//!
//! - `registrant_stat`: per registrant, whether they attended (a join row of their meeting
//!   carries their registrant id or, unlinked, their email). Looked up per registrant from the
//!   join rows, that took about 1 ms for a registrant of a recurring webinar (the OR scans the
//!   meeting's joins: a year of them): 34 s for the 31k registrants of the 1k-user bench data's
//!   50 webinars of a month, ~190 ms for their first pages of 20.
//! - `webinar_stat`: per webinar, the Performance report's counts (registrants, approved and
//!   attended ones, unique attendees, the seconds of the attendees' joins that have left and
//!   the joins still in, peak concurrency, questions asked and answered, polls launched, poll
//!   respondents), which took one statement over every join of the webinars at read time.
//! - `meeting_dirty`: the meetings whose registrants or webinar figures a statement changed.
//!   Triggers on `participant` (of webinars and of meetings with registrants only: the rest
//!   have neither figure), `registrant`, `qa_question`, `poll`, `poll_question`,
//!   `poll_response` and `meeting` (a webinar created, or a meeting's kind changed) write it;
//!   `reports::aggregates::settle` recomputes those meetings from the raw rows before the
//!   writer commits, and empties it.
//!
//! The rows already there are not computed here: the migration lists every meeting that has
//! either figure, and `db::migrate` settles the list right after the migrations, with the
//! same statements every writer uses (`reports::aggregates::settle`).
//!
//! The triggers' inserts into `meeting_dirty` never conflict (`WHERE NOT EXISTS` on SQLite):
//! an upsert's conflict clause would override a trigger's `INSERT OR IGNORE`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn col(name: &str) -> Alias {
    Alias::new(name)
}

fn fk(table: &str, column: &str, to: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(col(table), col(column))
        .to(col(to), col("id"))
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

const COUNTS: [&str; 11] = [
    "registrants",
    "approved_registrants",
    "attended_registrants",
    "unique_attendees",
    "closed_seconds",
    "open_joins",
    "peak_concurrent",
    "questions_asked",
    "questions_answered",
    "polls_launched",
    "poll_respondents",
];

fn tables() -> Vec<TableCreateStatement> {
    let mut webinar = Table::create();
    webinar
        .table(col("webinar_stat"))
        .if_not_exists()
        .col(big_integer(col("meeting_id")).primary_key())
        .col(big_integer(col("account_id")));
    for c in COUNTS {
        webinar.col(big_integer(col(c)));
    }
    webinar
        .foreign_key(&mut fk("webinar_stat", "meeting_id", "meeting"))
        .foreign_key(&mut fk("webinar_stat", "account_id", "account"));
    vec![
        webinar.take(),
        Table::create()
            .table(col("registrant_stat"))
            .if_not_exists()
            .col(big_integer(col("registrant_id")).primary_key())
            .col(big_integer(col("account_id")))
            .col(big_integer(col("meeting_id")))
            .col(big_integer(col("attended")))
            .foreign_key(&mut fk("registrant_stat", "registrant_id", "registrant"))
            .foreign_key(&mut fk("registrant_stat", "account_id", "account"))
            .take(),
        Table::create()
            .table(col("meeting_dirty"))
            .if_not_exists()
            .col(big_integer(col("meeting_id")).primary_key())
            .take(),
    ]
}

/// What a table's row marks: the meeting id it belongs to, over the row's columns (prefix
/// `NEW.`, `OLD.` or `r.`); NULL marks nothing.
struct Mark {
    table: &'static str,
    meeting_of: fn(&str) -> String,
    /// SQLite: the columns whose change marks (every column when empty).
    watched: &'static [&'static str],
}

const MARKS: [Mark; 7] = [
    Mark {
        table: "participant",
        meeting_of: |row| format!("{row}meeting_id"),
        watched: &[
            "meeting_id",
            "role",
            "registrant_id",
            "user_id",
            "email",
            "name",
            "join_time",
            "leave_time",
            "duration_seconds",
        ],
    },
    Mark {
        table: "registrant",
        meeting_of: |row| format!("{row}meeting_id"),
        watched: &["meeting_id", "email", "status", "account_id"],
    },
    Mark {
        table: "qa_question",
        meeting_of: |row| format!("{row}meeting_id"),
        watched: &["meeting_id", "status"],
    },
    Mark {
        table: "poll",
        meeting_of: |row| format!("{row}meeting_id"),
        watched: &["meeting_id", "launched_at"],
    },
    Mark {
        table: "poll_question",
        meeting_of: |row| format!("(SELECT o.meeting_id FROM poll o WHERE o.id = {row}poll_id)"),
        watched: &["poll_id"],
    },
    Mark {
        table: "poll_response",
        meeting_of: |row| {
            format!(
                "(SELECT o.meeting_id FROM poll_question q JOIN poll o ON o.id = q.poll_id \
                 WHERE q.id = {row}question_id)"
            )
        },
        watched: &["question_id", "participant_id"],
    },
    Mark {
        table: "meeting",
        meeting_of: |row| format!("CASE WHEN {row}kind = 'WEBINAR' THEN {row}id END"),
        watched: &["kind"],
    },
];

/// A join row's meeting `id` (an expression) has a figure kept: a webinar, or a meeting with
/// registrants. Other meetings' joins mark nothing.
fn tracked(id: &str) -> String {
    format!(
        "(EXISTS (SELECT 1 FROM meeting m WHERE m.id = {id} AND m.kind = 'WEBINAR') \
         OR EXISTS (SELECT 1 FROM registrant g WHERE g.meeting_id = {id}))"
    )
}

const OPS: [(&str, &str); 3] = [
    ("insert", "INSERT"),
    ("delete", "DELETE"),
    ("update", "UPDATE"),
];

fn trigger_name(table: &str, op: &str) -> String {
    format!("{table}_meeting_mark_{op}")
}

fn sqlite_triggers() -> String {
    let mut out = Vec::new();
    for mark in &MARKS {
        for (op, verb) in OPS {
            let rows: &[&str] = match op {
                "insert" => &["NEW."],
                "delete" => &["OLD."],
                _ => &["OLD.", "NEW."],
            };
            let mut when = Vec::new();
            if op == "update" && !mark.watched.is_empty() {
                let changed: Vec<String> = mark
                    .watched
                    .iter()
                    .map(|c| format!("OLD.{c} IS NOT NEW.{c}"))
                    .collect();
                when.push(format!("({})", changed.join(" OR ")));
            }
            if mark.table == "participant" && op != "update" {
                when.push(tracked(&format!("{}meeting_id", rows[0])));
            }
            let when = if when.is_empty() {
                String::new()
            } else {
                format!(" WHEN {}", when.join(" AND "))
            };
            let body: String = rows
                .iter()
                .map(|row| {
                    format!(
                        "INSERT INTO meeting_dirty (meeting_id) SELECT x FROM (SELECT {} AS x) \
                         WHERE x IS NOT NULL AND NOT EXISTS \
                         (SELECT 1 FROM meeting_dirty d WHERE d.meeting_id = x); ",
                        (mark.meeting_of)(row)
                    )
                })
                .collect();
            out.push(format!(
                "CREATE TRIGGER {} AFTER {verb} ON {}{when} BEGIN {body}END",
                trigger_name(mark.table, op),
                mark.table
            ));
        }
    }
    out.join("; ")
}

/// PostgreSQL: statement-level triggers with transition tables (a `COPY` or a multi-row
/// insert of the seeds marks its meetings in one statement); an update marks its rows' old
/// and new meetings.
fn pg_triggers() -> String {
    let mut out = Vec::new();
    for mark in &MARKS {
        for (op, verb) in OPS {
            let rows: &[&str] = match op {
                "insert" => &["new_rows"],
                "delete" => &["old_rows"],
                _ => &["old_rows", "new_rows"],
            };
            let filter = if mark.table == "participant" {
                format!(" AND {}", tracked("t.x"))
            } else {
                String::new()
            };
            let body: String = rows
                .iter()
                .map(|rows| {
                    format!(
                        "INSERT INTO meeting_dirty (meeting_id) SELECT t.x FROM \
                         (SELECT DISTINCT {} AS x FROM {rows} r) t WHERE t.x IS NOT NULL{filter} \
                         ON CONFLICT DO NOTHING; ",
                        (mark.meeting_of)("r.")
                    )
                })
                .collect();
            let name = trigger_name(mark.table, op);
            let referencing: Vec<String> = rows
                .iter()
                .map(|r| match *r {
                    "new_rows" => "NEW TABLE AS new_rows".to_owned(),
                    _ => "OLD TABLE AS old_rows".to_owned(),
                })
                .collect();
            out.push(format!(
                "CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN {body}RETURN NULL; END $$; \
                 CREATE TRIGGER {name} AFTER {verb} ON {} REFERENCING {} \
                 FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
                mark.table,
                referencing.join(" ")
            ));
        }
    }
    out.join("; ")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in tables() {
            manager.create_table(t).await?;
        }
        let db = manager.get_connection();
        // `settle` deletes a listed meeting's registrant rows by meeting.
        db.execute_unprepared(
            "CREATE INDEX ix_registrant_stat_meeting ON registrant_stat (meeting_id)",
        )
        .await?;
        match manager.get_database_backend() {
            DbBackend::Postgres => db.execute_unprepared(&pg_triggers()).await?,
            _ => db.execute_unprepared(&sqlite_triggers()).await?,
        };
        db.execute_unprepared(
            "INSERT INTO meeting_dirty (meeting_id) SELECT m.id FROM meeting m \
             WHERE m.kind = 'WEBINAR' OR EXISTS (SELECT 1 FROM registrant g WHERE g.meeting_id = m.id)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        for mark in &MARKS {
            for (op, _) in OPS {
                let name = trigger_name(mark.table, op);
                let on = if postgres {
                    format!(" ON {}", mark.table)
                } else {
                    String::new()
                };
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name}{on}"))
                    .await?;
                if postgres {
                    db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {name}()"))
                        .await?;
                }
            }
        }
        for t in ["meeting_dirty", "registrant_stat", "webinar_stat"] {
            manager
                .drop_table(Table::drop().table(col(t)).if_exists().take())
                .await?;
        }
        Ok(())
    }
}
