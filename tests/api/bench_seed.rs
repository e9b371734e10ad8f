//! The benchmark data generator (`seed bench`): deterministic, sized by its arguments, skewed
//! towards a few heavy hosts, and readable through the API.

use meeting_reports::{db::Sql, seed::seed_bench};
use sea_orm::{FromQueryResult, Value};

use crate::{
    common::{data, now, TestApp},
    seed_demo::fingerprint,
};

const USERS: u32 = 20;
const MONTHS: u32 = 2;

#[derive(Debug, FromQueryResult, PartialEq, Eq)]
struct Aggregates {
    sessions: i64,
    participants: i64,
    seconds: i64,
    registrants: i64,
    max_meeting: i64,
}

async fn aggregates(app: &TestApp) -> Aggregates {
    Sql::new(app.db.clone())
        .one::<Aggregates>(
            "SELECT (SELECT COUNT(*) FROM meeting_session) AS sessions, \
             (SELECT COUNT(*) FROM participant) AS participants, \
             (SELECT CAST(COALESCE(SUM(duration_seconds), 0) AS BIGINT) FROM participant) AS seconds, \
             (SELECT COUNT(*) FROM registrant) AS registrants, \
             (SELECT COALESCE(MAX(meeting_number), 0) FROM meeting) AS max_meeting",
            vec![],
        )
        .await
        .expect("aggregates")
        .expect("one row")
}

async fn seeded() -> TestApp {
    seeded_with(42).await.0
}

/// A fresh database with the bench data of `seed`, and the fingerprint of its rows.
async fn seeded_with(seed: u64) -> (TestApp, String) {
    let app = TestApp::new().await;
    let summary = seed_bench(&app.db, now(), seed, USERS, MONTHS, false)
        .await
        .expect("bench data loads");
    assert_eq!(summary.accounts, 2);
    assert!(summary.webinars > 0);
    assert!(summary.transactions >= 1);
    assert_eq!(
        summary.total_rows,
        summary.rows_per_table.iter().map(|(_, n)| n).sum::<u64>()
    );
    let tables: Vec<&str> = summary.rows_per_table.iter().map(|(t, _)| *t).collect();
    let (rows, counts) = fingerprint(&app.db, &tables).await;
    for ((table, n), stored) in summary.rows_per_table.iter().zip(counts) {
        assert_eq!(*n as usize, stored, "{table}");
        // Ids are 1..n in every table.
        let sql = format!("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS n FROM {table}");
        let top = Sql::new(app.db.clone())
            .one::<Max>(&sql, vec![])
            .await
            .expect("max id")
            .map_or(0, |m| m.n);
        assert_eq!(top as usize, stored, "{table}: ids are not 1..n");
    }
    (app, rows)
}

#[derive(FromQueryResult)]
struct Max {
    n: i64,
}

#[tokio::test]
async fn bench_data_is_deterministic_sized_and_skewed() {
    let (a, rows_a) = seeded_with(42).await;
    let (b, rows_b) = seeded_with(42).await;
    assert_eq!(rows_a, rows_b, "two loads with the same arguments differ");
    let first = aggregates(&a).await;
    assert_eq!(first, aggregates(&b).await);
    let (_, other) = seeded_with(43).await;
    assert_ne!(rows_a, other, "another seed gives the same rows");
    crate::common::assert_aggregates_exact(&a.db, "the bench seed").await;

    // A second load into a database that holds data is refused.
    assert!(seed_bench(&a.db, now(), 42, USERS, MONTHS, false)
        .await
        .is_err());

    #[derive(Debug, FromQueryResult)]
    struct PerAccount {
        domain: String,
        platform_id: Option<String>,
        users: i64,
        sessions: i64,
        participants: i64,
    }
    let rows: Vec<PerAccount> = Sql::new(a.db.clone())
        .all(
            "SELECT a.domain, a.platform_id, \
             (SELECT COUNT(*) FROM app_user u WHERE u.account_id = a.id) AS users, \
             (SELECT COUNT(*) FROM meeting_session s WHERE s.account_id = a.id) AS sessions, \
             (SELECT COUNT(*) FROM participant p WHERE p.account_id = a.id) AS participants \
             FROM account a ORDER BY a.id",
            vec![],
        )
        .await
        .expect("per account");
    let bench = rows.first().expect("Bench Corp");
    assert_eq!(bench.domain, "bench.example");
    assert_eq!(bench.platform_id.as_deref(), Some("bench-corp"));
    assert_eq!(
        rows.get(1).and_then(|r| r.platform_id.as_deref()),
        Some("partner-ltd")
    );
    assert_eq!(bench.users, i64::from(USERS));
    assert_eq!(
        rows.get(1).map(|r| r.domain.as_str()),
        Some("partner.example")
    );
    // About 100 sessions per user and year, about ten join rows each; in Partner's twelve too.
    let all = aggregates(&a).await.sessions as f64;
    let everyone = 100.0 * f64::from(USERS + 12) * f64::from(MONTHS) / 12.0;
    assert!(
        (everyone * 0.7..everyone * 1.3).contains(&all),
        "{all} sessions in both accounts, expected about {everyone}"
    );
    let expected = 100.0 * f64::from(USERS) * f64::from(MONTHS) / 12.0;
    let sessions = bench.sessions as f64;
    assert!(
        (expected * 0.75..expected * 1.25).contains(&sessions),
        "{sessions} sessions, expected about {expected}"
    );
    let per_session = bench.participants as f64 / sessions;
    assert!(
        (4.0..16.0).contains(&per_session),
        "{per_session} join rows per session"
    );

    // A few heavy hosts: the busiest host holds far more than a fair share.
    #[derive(Debug, FromQueryResult)]
    struct Host {
        n: i64,
    }
    let hosts: Vec<Host> = Sql::new(a.db.clone())
        .all(
            "SELECT COUNT(*) AS n FROM meeting_session s JOIN meeting m ON m.id = s.meeting_id \
             WHERE s.account_id = ? GROUP BY m.host_id ORDER BY n DESC",
            vec![Value::from(1i64)],
        )
        .await
        .expect("hosts");
    let top = hosts.len().div_ceil(100);
    let top_sessions: i64 = hosts.iter().take(top).map(|h| h.n).sum();
    assert!(
        top_sessions as f64 >= 0.2 * sessions,
        "top {top} of {} hosts hold {top_sessions} of {sessions} sessions",
        hosts.len()
    );

    // Webinars with hundreds of registrants, rejoins and phone legs.
    #[derive(Debug, FromQueryResult)]
    struct Shape {
        max_registrants: i64,
        rejoins: i64,
        phone: i64,
    }
    let shape: Shape = Sql::new(a.db.clone())
        .one(
            "SELECT (SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM registrant GROUP BY meeting_id) r) AS max_registrants, \
             (SELECT COUNT(*) FROM (SELECT session_id, email FROM participant WHERE email IS NOT NULL \
               GROUP BY session_id, email HAVING COUNT(*) > 1) j) AS rejoins, \
             (SELECT COUNT(*) FROM telephone_call) AS phone",
            vec![],
        )
        .await
        .expect("shape")
        .expect("one row");
    assert!(shape.max_registrants >= 80, "{shape:?}");
    assert!(shape.rejoins > 0 && shape.phone > 0, "{shape:?}");
}

#[tokio::test]
async fn bench_data_answers_the_meeting_and_webinar_reports() {
    let app = seeded().await;
    // The last full month before the tests' now.
    let range = r#"from: "2026-10-01", to: "2026-10-31""#;
    let response = app
        .query_as(
            "admin@bench.example",
            &format!(
                "{{ meetings({range}, first: 5) {{ totalCount nodes {{ id topic host {{ email }} }} }} \
                 webinars({range}, first: 5) {{ totalCount }} }}"
            ),
        )
        .await;
    let d = data(&response);
    let meetings = d["meetings"]["totalCount"].as_i64().unwrap_or_default();
    assert!(meetings > 50, "{response}");
    assert_eq!(d["meetings"]["nodes"].as_array().map(Vec::len), Some(5));
    assert!(d["webinars"]["totalCount"].as_i64().is_some(), "{response}");

    // The partner account sees none of Bench Corp's meetings.
    let other = app
        .query_as(
            "owner@partner.example",
            &format!("{{ meetings({range}, first: 300) {{ nodes {{ host {{ email }} }} }} }}"),
        )
        .await;
    let nodes = data(&other)["meetings"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(nodes.iter().all(|n| n["host"]["email"]
        .as_str()
        .is_some_and(|e| e.ends_with("@partner.example"))));
}
