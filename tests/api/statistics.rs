//! The planner's statistics follow the data (`db/statistics.rs`): a SQLite connection opened
//! on an empty database plans with the statistics analyzed after it opened, whichever
//! connection or process analyzed them; the tables that grew are analyzed by a refresh, by
//! `serve`'s schedule and at the end of an import. The plans are read with `EXPLAIN QUERY
//! PLAN` on the connection that opened first, never timed.

use std::time::{Duration, Instant};

use meeting_reports::{
    auth::Plan,
    db::{self, StatisticsKeeper},
    ingest::{
        accounts::{add_account, NewAccount},
        import::import,
    },
};
use sea_orm::{
    sqlx::{self, pool::PoolConnection, Row, Sqlite},
    ConnectionTrait, DatabaseConnection, DbBackend, FromQueryResult, Statement,
};
use serde_json::json;

use crate::common::{fixtures::Fixture, fresh_db, now};

const ACME: &str = "acme-statistics";

/// A meeting's join rows in join order: `ix_participant_meeting_join` reads a few rows; the
/// account's indexes (`account_join` gives the order for free) read the whole account.
const JOINS_OF_A_MEETING: &str =
    "SELECT id FROM participant WHERE account_id = ? AND meeting_id = ? ORDER BY join_time";
const GOOD_JOINS_PLAN: &str = "ix_participant_meeting_join";

/// A registrant page's "attended" subquery, as `reports::registration` writes it.
const ATTENDED: &str = "SELECT r.id, EXISTS (SELECT 1 FROM participant p \
     WHERE p.account_id = r.account_id AND p.meeting_id = r.meeting_id AND p.registrant_id = r.id) \
     FROM registrant r WHERE r.account_id = ? AND r.meeting_id = ?";

/// A plan that finds a meeting's rows through an index led by the account: the trap. (With
/// statistics the "attended" subquery takes the meeting's or the registrant's index, by the
/// sample.)
fn reads_through_the_account(plan: &str) -> bool {
    plan.contains("_account_")
}

/// A fresh, empty, migrated SQLite file of this test's own, by URL.
fn database_file(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("mr-statistics-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    format!("sqlite://{}?mode=rwc", file.display())
}

/// A connection of `db`'s pool, held by the test, that has read the schema (and whatever
/// statistics there were) by running a statement.
async fn held_connection(db: &DatabaseConnection) -> PoolConnection<Sqlite> {
    let mut conn = db.get_sqlite_connection_pool().acquire().await.unwrap();
    sqlx::query("SELECT COUNT(*) FROM participant")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    conn
}

/// Runs `sql` (two integer parameters) on `conn` as the gateway does, a cached statement, and
/// returns the plan `conn` makes for it now. Running a statement is what makes a connection
/// notice a moved schema cookie (an `EXPLAIN` does not read the database), and the statement
/// is then re-prepared with the statistics the connection reloads. The `EXPLAIN` is prepared
/// afresh each time: a cached `EXPLAIN` keeps the plan text of its first preparation.
async fn plan(conn: &mut PoolConnection<Sqlite>, sql: &str) -> String {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(1i64)
        .bind(1i64)
        .fetch_all(&mut **conn)
        .await
        .unwrap();
    explained(conn, sql, 2).await
}

/// The plan `conn` makes for `sql` (with `parameters` integer parameters, each 1), its lines
/// joined by ` | `.
async fn explained(conn: &mut PoolConnection<Sqlite>, sql: &str, parameters: usize) -> String {
    let text = format!("EXPLAIN QUERY PLAN {sql}");
    let mut explain = sqlx::query(sqlx::AssertSqlSafe(text)).persistent(false);
    for _ in 0..parameters {
        explain = explain.bind(1i64);
    }
    let rows = explain.fetch_all(&mut **conn).await.unwrap();
    rows.iter()
        .map(|r| r.get::<String, _>("detail"))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Loads the bench data (20 users, three months) through a pool of its own, as another process
/// would: the seed ends with `db::analyze`.
async fn seed_elsewhere(url: &str) -> DatabaseConnection {
    let other = db::connect(url).await.unwrap();
    meeting_reports::seed::seed_bench(&other, now(), 42, 20, 3, false)
        .await
        .unwrap();
    other
}

/// Copies every row of the seeded database at `source` into the empty one at `target` in one
/// transaction, without any `ANALYZE`: a bulk load of one's own.
async fn load_without_statistics(target: &DatabaseConnection, source: &str) {
    let mut conn = target.get_sqlite_connection_pool().acquire().await.unwrap();
    let file = source
        .trim_start_matches("sqlite://")
        .split('?')
        .next()
        .unwrap();
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "ATTACH DATABASE '{file}' AS source"
    )))
    .execute(&mut *conn)
    .await
    .unwrap();
    let tables: Vec<String> = sqlx::query(
        "SELECT name FROM source.sqlite_schema WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations'",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect();
    let mut copy = String::from("BEGIN IMMEDIATE;");
    for t in &tables {
        copy.push_str(&format!(
            "INSERT INTO main.\"{t}\" SELECT * FROM source.\"{t}\";"
        ));
    }
    copy.push_str("COMMIT; DETACH DATABASE source;");
    sqlx::raw_sql(sqlx::AssertSqlSafe(copy))
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&mut *conn)
        .await
        .unwrap();
}

#[tokio::test]
async fn statistics_analyzed_elsewhere_reach_a_connection_opened_on_the_empty_database() {
    let url = database_file("seed");
    let serving = db::connect(&url).await.unwrap();
    let mut conn = held_connection(&serving).await;
    let empty = plan(&mut conn, JOINS_OF_A_MEETING).await;
    assert!(
        !empty.contains(GOOD_JOINS_PLAN),
        "no statistics yet: {empty}"
    );

    seed_elsewhere(&url).await;

    let joins = plan(&mut conn, JOINS_OF_A_MEETING).await;
    assert!(joins.contains(GOOD_JOINS_PLAN), "{joins}");
    let attended = plan(&mut conn, ATTENDED).await;
    assert!(!reads_through_the_account(&attended), "{attended}");
}

/// The statements `settle` recomputes listed meetings with (registrants' attendance, webinar
/// figures) run during bulk loads, before any statistics exist: they must read each table
/// through its meeting index then too, not through an index led by the account (the whole
/// account per meeting) nor through an automatic index built over all join rows. Both traps
/// made the 1k-user load into SQLite take 10 minutes (`bench/README.md`, 2026-12-04).
#[tokio::test]
async fn settling_listed_meetings_reads_their_rows_through_the_meeting_indexes_without_statistics()
{
    let source = database_file("settle-source");
    seed_elsewhere(&source).await;
    let target = db::connect(&database_file("settle-target")).await.unwrap();
    let mut conn = held_connection(&target).await;
    load_without_statistics(&target, &source).await;
    for q in reports::aggregates::listed_meeting_queries() {
        let plan = explained(&mut conn, &q, 0).await;
        assert!(!reads_through_the_account(&plan), "{plan}");
        assert!(!plan.contains("SEARCH p USING AUTOMATIC"), "{plan}");
        assert!(!plan.contains("SCAN p "), "{plan}");
        assert!(plan.contains("ix_registrant_"), "{plan}");
    }
}

#[tokio::test]
async fn a_plain_analyze_on_another_connection_leaves_an_open_connection_with_its_old_statistics() {
    // What the refresh's signal is for: SQLite's own behaviour without it.
    let source = database_file("plain-source");
    seed_elsewhere(&source).await;
    let url = database_file("plain");
    let serving = db::connect(&url).await.unwrap();
    let mut conn = held_connection(&serving).await;
    let loader = db::connect(&url).await.unwrap();
    load_without_statistics(&loader, &source).await;

    loader.execute_unprepared("ANALYZE").await.unwrap();

    let stale = plan(&mut conn, JOINS_OF_A_MEETING).await;
    assert!(!stale.contains(GOOD_JOINS_PLAN), "{stale}");
    let mut fresh = held_connection(&db::connect(&url).await.unwrap()).await;
    let joins = plan(&mut fresh, JOINS_OF_A_MEETING).await;
    assert!(joins.contains(GOOD_JOINS_PLAN), "{joins}");
}

#[tokio::test]
async fn a_refresh_analyzes_the_tables_that_grew_for_every_connection_then_rests() {
    let source = database_file("refresh-source");
    seed_elsewhere(&source).await;
    let url = database_file("refresh");
    let serving = db::connect(&url).await.unwrap();
    let mut conn = held_connection(&serving).await;
    let loader = db::connect(&url).await.unwrap();
    load_without_statistics(&loader, &source).await;
    let before = plan(&mut conn, JOINS_OF_A_MEETING).await;
    assert!(
        !before.contains(GOOD_JOINS_PLAN),
        "no statistics yet: {before}"
    );

    let analyzed = db::refresh_statistics(&loader).await.unwrap();

    for table in ["participant", "registrant", "meeting_session", "meeting"] {
        assert!(analyzed.iter().any(|t| t == table), "{table}: {analyzed:?}");
    }
    let joins = plan(&mut conn, JOINS_OF_A_MEETING).await;
    assert!(joins.contains(GOOD_JOINS_PLAN), "{joins}");
    let attended = plan(&mut conn, ATTENDED).await;
    assert!(!reads_through_the_account(&attended), "{attended}");
    assert_eq!(
        db::refresh_statistics(&serving).await.unwrap(),
        Vec::<String>::new(),
        "nothing grew since"
    );

    // In full, not sampled: SQLite's sampling limit made a meeting's join rows look 334 where
    // they are 9 (bench data), and the webinar report 40 times slower.
    let refreshed = participant_statistics(&mut conn).await;
    loader
        .execute_unprepared("ANALYZE participant")
        .await
        .unwrap();
    assert_eq!(refreshed, participant_statistics(&mut conn).await);
}

async fn participant_statistics(conn: &mut PoolConnection<Sqlite>) -> Vec<(String, String)> {
    sqlx::query("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'participant' ORDER BY idx")
        .persistent(false)
        .fetch_all(&mut **conn)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[tokio::test]
async fn the_keeper_passes_on_statistics_another_program_wrote_without_the_signal() {
    let url = database_file("keeper");
    let other = seed_elsewhere(&url).await;
    let serving = db::connect(&url).await.unwrap();
    let mut keeper = StatisticsKeeper::default();
    assert_eq!(
        keeper.refresh(&serving).await.unwrap(),
        Vec::<String>::new()
    );
    let mut conn = held_connection(&serving).await;
    assert!(plan(&mut conn, JOINS_OF_A_MEETING)
        .await
        .contains(GOOD_JOINS_PLAN));

    // A program that knows nothing of the signal writes statistics (an application may write
    // them itself; an `ANALYZE` in the shell is the same case): these make the account's index
    // look as selective as a key (and drop the samples that would say otherwise), which a new
    // connection believes at once.
    other
        .execute_unprepared(
            "UPDATE sqlite_stat1 SET stat = '5623 1 1' WHERE idx = 'ix_participant_account_join'; \
             DELETE FROM sqlite_stat4 WHERE tbl = 'participant'",
        )
        .await
        .unwrap();
    let mut fresh = held_connection(&db::connect(&url).await.unwrap()).await;
    let believed = plan(&mut fresh, JOINS_OF_A_MEETING).await;
    assert!(!believed.contains(GOOD_JOINS_PLAN), "{believed}");
    assert!(plan(&mut conn, JOINS_OF_A_MEETING)
        .await
        .contains(GOOD_JOINS_PLAN));

    assert_eq!(
        keeper.refresh(&serving).await.unwrap(),
        Vec::<String>::new(),
        "no table grew"
    );
    let joins = plan(&mut conn, JOINS_OF_A_MEETING).await;
    assert!(
        !joins.contains(GOOD_JOINS_PLAN),
        "the new statistics: {joins}"
    );
}

#[tokio::test]
async fn serve_keeps_statistics_current_on_its_schedule() {
    let source = database_file("schedule-source");
    seed_elsewhere(&source).await;
    let url = database_file("schedule");
    let serving = db::connect(&url).await.unwrap();
    let mut conn = held_connection(&serving).await;
    let upkeep = tokio::spawn(db::keep_statistics_current(
        serving.clone(),
        Duration::from_millis(50),
    ));

    load_without_statistics(&db::connect(&url).await.unwrap(), &source).await;

    let started = Instant::now();
    let mut joins = plan(&mut conn, JOINS_OF_A_MEETING).await;
    while !joins.contains(GOOD_JOINS_PLAN) && started.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        joins = plan(&mut conn, JOINS_OF_A_MEETING).await;
    }
    upkeep.abort();
    assert!(joins.contains(GOOD_JOINS_PLAN), "{joins}");
}

/// A meeting's sessions in start order: `ix_meeting_session_meeting_start` reads a few rows;
/// `account_start` (the order for free) reads the account's sessions.
const SESSIONS_OF_A_MEETING: &str =
    "SELECT id FROM meeting_session WHERE account_id = ? AND meeting_id = ? ORDER BY start_time";

/// `meetings` meetings started `sessions` times each, as the platform's events.
fn started_meetings(account: &str, meetings: i64, sessions: i64) -> String {
    let mut lines = vec![
        json!({ "event": "user.created", "event_ts": 1_790_000_000_000i64,
        "payload": { "account_id": account, "object": { "id": "HOST-1", "first_name": "Hanna",
        "last_name": "Host", "email": "hanna@acme.example", "type": 2 } } })
        .to_string(),
    ];
    for m in 0..meetings {
        for s in 0..sessions {
            let start = 1_790_000_000i64 + (m * sessions + s) * 3_600;
            let at = chrono::DateTime::from_timestamp(start, 0)
                .unwrap()
                .to_rfc3339();
            lines.push(
                json!({ "event": "meeting.started", "event_ts": start * 1000,
                    "payload": { "account_id": account, "object": { "id": (85_000_000_000i64 + m).to_string(),
                    "uuid": format!("occ-{m}-{s}=="), "host_id": "HOST-1", "topic": format!("Meeting {m}"),
                    "type": 8, "start_time": at, "timezone": "UTC", "duration": 30 } } })
                .to_string(),
            );
        }
    }
    lines.join("\n")
}

#[tokio::test]
async fn an_import_leaves_statistics_that_every_connection_plans_with() {
    let url = database_file("import");
    let serving = db::connect(&url).await.unwrap();
    add_account(
        &serving,
        &NewAccount {
            platform_id: ACME.into(),
            name: "Acme".into(),
            plan: Plan::Business,
            time_zone: chrono_tz::UTC,
            owner_email: "owner@acme.example".into(),
            owner_name: None,
            billing_reports: false,
            webinar_addon: false,
        },
        now(),
    )
    .await
    .unwrap();
    let mut conn = held_connection(&serving).await;
    let empty = plan(&mut conn, SESSIONS_OF_A_MEETING).await;
    assert!(
        !empty.contains("ix_meeting_session_meeting_start"),
        "{empty}"
    );

    let importer = db::connect(&url).await.unwrap();
    let input = started_meetings(ACME, 100, 10);
    let summary = import(&importer, input.as_bytes(), now(), |_, _| {})
        .await
        .unwrap();
    assert_eq!(summary.applied, 1001, "{summary:?}");

    let sessions = plan(&mut conn, SESSIONS_OF_A_MEETING).await;
    assert!(
        sessions.contains("ix_meeting_session_meeting_start"),
        "{sessions}"
    );
}

/// On both databases: the tables that got rows are analyzed once, and a second refresh finds
/// nothing to do.
#[tokio::test]
async fn a_refresh_analyzes_tables_that_got_rows_once() {
    let db = fresh_db().await;
    let fx = Fixture::new(&db);
    let account = fx.account("Acme", "acme.example", "BUSINESS").await;
    let host = fx.user(account, "host@acme.example", "MEMBER").await;
    for i in 0..3 {
        fx.meeting(account, host, "MEETING", &format!("Weekly {i}"))
            .await;
    }

    let analyzed = db::refresh_statistics(&db).await.unwrap();

    for table in ["account", "app_user", "meeting"] {
        assert!(analyzed.iter().any(|t| t == table), "{table}: {analyzed:?}");
    }
    assert!(
        !analyzed.iter().any(|t| t == "participant"),
        "an empty table has no statistics to change: {analyzed:?}"
    );
    assert_eq!(
        db::refresh_statistics(&db).await.unwrap(),
        Vec::<String>::new()
    );
    if db.get_database_backend() == DbBackend::Postgres {
        #[derive(FromQueryResult)]
        struct Analyzed {
            n: i64,
        }
        let analyzed = Analyzed::find_by_statement(Statement::from_string(
            DbBackend::Postgres,
            "SELECT COUNT(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = current_schema() AND c.relname IN ('account', 'app_user', 'meeting') \
             AND c.reltuples >= 0",
        ))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
        assert_eq!(analyzed.n, 3, "reltuples is set by ANALYZE");
    }
}

/// On both databases: an import ends with the tables it filled analyzed (on PostgreSQL,
/// autovacuum may be off, as on this project's CI machine, and naps a minute when on).
#[tokio::test]
async fn an_import_ends_with_the_tables_it_filled_analyzed() {
    let db = fresh_db().await;
    add_account(
        &db,
        &NewAccount {
            platform_id: ACME.into(),
            name: "Acme".into(),
            plan: Plan::Business,
            time_zone: chrono_tz::UTC,
            owner_email: "owner@acme.example".into(),
            owner_name: None,
            billing_reports: false,
            webinar_addon: false,
        },
        now(),
    )
    .await
    .unwrap();
    let input = started_meetings(ACME, 20, 5);

    import(&db, input.as_bytes(), now(), |_, _| {})
        .await
        .unwrap();

    #[derive(FromQueryResult)]
    struct Analyzed {
        n: i64,
    }
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT COUNT(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = current_schema() AND c.relname = 'meeting_session' \
             AND c.reltuples >= 0"
        }
        _ => "SELECT COUNT(*) AS n FROM sqlite_stat1 WHERE tbl = 'meeting_session'",
    };
    let analyzed = Analyzed::find_by_statement(Statement::from_string(backend, sql))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(analyzed.n >= 1, "meeting_session has statistics");
}
