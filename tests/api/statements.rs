//! The number of SQL statements a query runs depends on its depth, not on how many rows it
//! returns: every relation is a batched, per-parent-paginated load.

use chrono::Duration;
use entity::{meeting, meeting_session, participant};
use sea_orm::{EntityTrait, NotSet, Set};

use crate::common::{
    data,
    fixtures::{t, Fixture},
    sql_statements, TestApp,
};

/// 120 meetings of 4 hosts in November, each with two sessions and six join rows (two of them
/// a rejoin).
async fn many_meetings(app: &TestApp) {
    let f = Fixture::new(&app.db);
    let acc = f.account("Busy", "busy.example", "ENTERPRISE").await;
    f.user(acc, "admin@busy.example", "ADMIN").await;
    let mut hosts = Vec::new();
    for i in 0..4 {
        hosts.push(
            f.user(acc, &format!("host{i}@busy.example"), "MEMBER")
                .await,
        );
    }
    let base = t("2026-11-02T08:00:00Z");
    let meetings: Vec<meeting::ActiveModel> = (0..120)
        .map(|i| meeting::ActiveModel {
            id: Set(10_000 + i),
            account_id: Set(acc),
            source_id: Set(format!("bm-{i}")),
            host_id: Set(hosts[i as usize % 4]),
            kind: Set("MEETING".into()),
            meeting_number: Set(90_000_000_000 + i),
            topic: Set(format!("Meeting {i}")),
            meeting_type: Set("RECURRING_FIXED".into()),
            scheduled_start: Set(None),
            planned_duration_minutes: Set(Some(30)),
            registration_required: Set(false),
            created_at: Set(base - Duration::days(30)),
            deleted_at: Set(None),
        })
        .collect();
    meeting::Entity::insert_many(meetings)
        .exec(&app.db)
        .await
        .unwrap();
    let mut sessions = Vec::new();
    let mut joins = Vec::new();
    for i in 0..120i64 {
        for s in 0..2i64 {
            let sid = 20_000 + i * 2 + s;
            let start = base + Duration::hours(i) + Duration::days(s * 3);
            sessions.push(meeting_session::ActiveModel {
                id: Set(sid),
                account_id: Set(acc),
                source_id: Set(format!("bs-{sid}")),
                meeting_id: Set(10_000 + i),
                start_time: Set(start),
                end_time: Set(Some(start + Duration::minutes(30))),
            });
            for p in 0..3i64 {
                for rejoin in 0..if p == 0 { 2 } else { 1 } {
                    let join = start + Duration::minutes(p + rejoin * 10);
                    joins.push(participant::ActiveModel {
                        id: NotSet,
                        account_id: Set(acc),
                        source_id: Set(format!("bp-{sid}-{p}-{rejoin}")),
                        session_id: Set(sid),
                        meeting_id: Set(10_000 + i),
                        user_id: Set(None),
                        registrant_id: Set(None),
                        name: Set(format!("Guest {p}")),
                        email: Set(Some(format!("guest{p}@example.org"))),
                        join_time: Set(join),
                        leave_time: Set(Some(join + Duration::minutes(5))),
                        duration_seconds: Set(Some(300)),
                        join_method: Set("COMPUTER".into()),
                        role: Set("ATTENDEE".into()),
                        device: Set(None),
                        ip_address: Set(None),
                        location: Set(None),
                        platform_user_id: Set(None),
                        platform_registrant_id: Set(None),
                    });
                }
            }
        }
    }
    meeting_session::Entity::insert_many(sessions)
        .exec(&app.db)
        .await
        .unwrap();
    for chunk in joins.chunks(200) {
        participant::Entity::insert_many(chunk.to_vec())
            .exec(&app.db)
            .await
            .unwrap();
    }
    crate::common::fixtures::settle(&app.db).await;
}

fn deep_query(first: usize) -> String {
    format!(
        r#"{{ meetings(from: "2026-11-01", to: "2026-11-14", first: {first}) {{
            totalCount
            nodes {{
              topic host {{ email }}
              sessions {{ startTime participantsCount }}
              participants(first: {first}) {{ totalCount nodes {{ name joinTime }} }}
              attendees(first: {first}) {{ totalCount nodes {{ name totalSeconds intervals {{ joinTime }} }} }}
            }} }} }}"#
    )
}

#[tokio::test]
async fn meetings_sessions_participants_attendees_run_as_many_statements_for_5_rows_as_for_100() {
    let app = TestApp::new().await;
    many_meetings(&app).await;
    let small = app.query_as("admin@busy.example", &deep_query(5)).await;
    let large = app.query_as("admin@busy.example", &deep_query(100)).await;
    assert_eq!(
        data(&small)["meetings"]["nodes"].as_array().unwrap().len(),
        5
    );
    assert_eq!(
        data(&large)["meetings"]["nodes"].as_array().unwrap().len(),
        100
    );
    assert_eq!(data(&large)["meetings"]["totalCount"], 120);
    let node = &data(&large)["meetings"]["nodes"][0];
    assert_eq!(node["participants"]["totalCount"], 8);
    assert_eq!(node["attendees"]["totalCount"], 3);
    // meetings page (its hosts read along), sessions, participant pages, attendee pages: one
    // statement each (every first page carries its list's count).
    assert_eq!(sql_statements(&small), 4, "{small:#}");
    assert_eq!(sql_statements(&large), sql_statements(&small));
}

#[tokio::test]
async fn a_first_page_carries_the_list_count_and_a_later_page_counts_it_apart() {
    let app = TestApp::new().await;
    many_meetings(&app).await;
    let page = |after: &str| {
        format!(
            r#"{{ meetings(from: "2026-11-01", to: "2026-11-14", first: 100{after}) {{
                totalCount pageInfo {{ endCursor }} nodes {{ id }} }} }}"#
        )
    };
    let first = app.query_as("admin@busy.example", &page("")).await;
    assert_eq!(data(&first)["meetings"]["totalCount"], 120);
    assert_eq!(sql_statements(&first), 1, "{first:#}");
    let cursor = data(&first)["meetings"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = app
        .query_as(
            "admin@busy.example",
            &page(&format!(r#", after: "{cursor}""#)),
        )
        .await;
    assert_eq!(
        data(&second)["meetings"]["nodes"].as_array().unwrap().len(),
        20
    );
    assert_eq!(data(&second)["meetings"]["totalCount"], 120);
    assert_eq!(sql_statements(&second), 2, "{second:#}");
}

#[tokio::test]
async fn nested_first_pages_carry_their_counts_and_pages_after_a_cursor_count_apart() {
    let app = TestApp::new().await;
    many_meetings(&app).await;
    let q = |participants: &str, attendees: &str| {
        format!(
            r#"{{ meetings(from: "2026-11-01", to: "2026-11-14", first: 3) {{ nodes {{
                participants(first: 3{participants}) {{ totalCount pageInfo {{ endCursor hasNextPage }} nodes {{ name }} }}
                attendees(first: 1{attendees}) {{ totalCount pageInfo {{ endCursor hasNextPage }} nodes {{ name }} }}
            }} }} }}"#
        )
    };
    let first = app.query_as("admin@busy.example", &q("", "")).await;
    let nodes = data(&first)["meetings"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    for node in &nodes {
        assert_eq!(node["participants"]["totalCount"], 8);
        assert_eq!(node["attendees"]["totalCount"], 3);
    }
    // meetings page, participant pages, attendee pages: the counts ride on the pages.
    assert_eq!(sql_statements(&first), 3, "{first:#}");
    let participants = nodes[0]["participants"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let attendees = nodes[0]["attendees"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let later = app
        .query_as(
            "admin@busy.example",
            &q(
                &format!(r#", after: "{participants}""#),
                &format!(r#", after: "{attendees}""#),
            ),
        )
        .await;
    let node = &data(&later)["meetings"]["nodes"][0];
    assert_eq!(node["participants"]["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(node["attendees"]["nodes"].as_array().unwrap().len(), 1);
    // After a cursor the rows left are not the list: the counts come from their own
    // statements and still count the whole list.
    assert_eq!(node["participants"]["totalCount"], 8, "{later:#}");
    assert_eq!(node["attendees"]["totalCount"], 3, "{later:#}");
    assert_eq!(sql_statements(&later), 5, "{later:#}");
}
