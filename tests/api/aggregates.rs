//! The aggregates the reports read (`reports::aggregates`) against the raw rows: the
//! reports give the figures a fresh computation over the join rows gives — in zones whose days
//! start on the half or quarter hour, with a meeting still in progress, after a host changes,
//! after a meeting with sessions is deleted — and `verify` finds a manual change of an
//! aggregate and a change never settled, which `rebuild` and `settle` repair. (Every write
//! path's test asserts `verify` after it: `lifecycle`, `import`, `round_trip`, `seed_demo`,
//! `bench_seed`, `activity`'s prune.)

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use reports::{
    aggregates::{rebuild, settle, verify},
    meetings::session_figures,
    sql::{statement, Sql},
};
use sea_orm::{ConnectionTrait, DatabaseConnection, FromQueryResult};
use serde_json::{json, Value};

use crate::{
    common::{assert_aggregates_exact, data, fixtures::exec, settings, TestApp},
    webhooks::{acme, deliver, envelope, ACME, OWNER},
};

const DEMO_OWNER: &str = "owner@demo.example";

/// Sessions, participants and meeting minutes of an account's sessions starting in
/// `[start, end)`, computed from the join rows as every usage report defines them.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
struct Raw {
    meetings: i64,
    participants: i64,
    meeting_minutes: i64,
}

impl Raw {
    fn json(&self) -> Value {
        json!({ "meetings": self.meetings, "participants": self.participants, "meetingMinutes": self.meeting_minutes })
    }
}

async fn raw(
    db: &DatabaseConnection,
    account_id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Raw {
    let q = format!(
        "SELECT COUNT(*) AS meetings, CAST(COALESCE(SUM(participants), 0) AS BIGINT) AS participants, \
         CAST(COALESCE(SUM(meeting_minutes), 0) AS BIGINT) AS meeting_minutes \
         FROM (SELECT s.id, {} FROM meeting_session s \
           WHERE s.account_id = ? AND s.start_time >= ? AND s.start_time < ?) x",
        session_figures()
    );
    Raw::find_by_statement(statement(
        db.get_database_backend(),
        &q,
        vec![account_id.into(), start.into(), end.into()],
    ))
    .one(db)
    .await
    .expect("raw figures")
    .expect("one row")
}

async fn account_of(app: &TestApp, email: &str) -> i64 {
    app.user(email).await.0
}

#[tokio::test]
async fn daily_usage_in_zones_cut_on_the_half_and_quarter_hour_equals_the_join_rows_day_by_day() {
    let app = TestApp::with_demo().await;
    let account = account_of(&app, DEMO_OWNER).await;
    assert_aggregates_exact(&app.db, "the demo seed").await;
    for zone in [
        "Asia/Kathmandu",
        "Asia/Kolkata",
        "America/St_Johns",
        "Pacific/Chatham",
        "UTC",
    ] {
        let tz: chrono_tz::Tz = zone.parse().expect("zone");
        let answer = app
            .query_as(
                DEMO_OWNER,
                &format!(
                    r#"{{ dailyUsage(year: 2026, month: 10, timeZone: "{zone}") {{ days {{ date meetings participants meetingMinutes }} }} }}"#
                ),
            )
            .await;
        let days = data(&answer)["dailyUsage"]["days"]
            .as_array()
            .expect("days")
            .clone();
        assert_eq!(days.len(), 31, "{zone}");
        let mut sessions = 0;
        for day in &days {
            let date: NaiveDate = day["date"].as_str().expect("date").parse().expect("date");
            let start = tz
                .from_local_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight"))
                .earliest()
                .expect("a day start")
                .with_timezone(&Utc);
            let next = date.succ_opt().expect("next day");
            let end = tz
                .from_local_datetime(&next.and_hms_opt(0, 0, 0).expect("midnight"))
                .earliest()
                .expect("a day start")
                .with_timezone(&Utc);
            let expected = raw(&app.db, account, start, end).await;
            sessions += expected.meetings;
            let mut got = day.clone();
            got.as_object_mut().expect("object").remove("date");
            assert_eq!(got, expected.json(), "{zone} {date}");
        }
        assert!(
            sessions > 50,
            "{zone}: the month holds sessions ({sessions})"
        );
    }
}

#[tokio::test]
async fn a_day_that_starts_off_a_bucket_boundary_is_added_up_from_the_sessions() {
    let app = TestApp::with_demo().await;
    let account = account_of(&app, DEMO_OWNER).await;
    // Days shifted by 7 minutes: no 15-minute bucket boundary (a zone's historical offset).
    let first = Utc.with_ymd_and_hms(2026, 10, 1, 0, 7, 0).unwrap();
    let days: Vec<_> = (0..10)
        .map(|i| {
            let start = first + Duration::days(i);
            (start.date_naive(), start, start + Duration::days(1))
        })
        .collect();
    let sql = Sql::new(app.db.clone());
    let rows = reports::account_usage::daily_rows(&sql, account, &days)
        .await
        .expect("daily rows");
    assert_eq!(rows.len(), 10);
    let mut sessions = 0;
    for (row, (_, start, end)) in rows.iter().zip(&days) {
        let expected = raw(&app.db, account, *start, *end).await;
        sessions += expected.meetings;
        assert_eq!(
            (row.meetings, row.participants, row.meeting_minutes),
            (
                expected.meetings,
                expected.participants,
                expected.meeting_minutes
            ),
            "{start}"
        );
    }
    assert!(sessions > 10, "the days hold sessions ({sessions})");
}

#[tokio::test]
async fn a_live_meeting_counts_its_minutes_up_to_now_and_its_buckets_take_it_when_it_ends() {
    let app = TestApp::with_settings(meeting_reports::config::ReportSettings {
        fixed_now: None,
        ..settings()
    })
    .await;
    acme(&app).await;
    let account = account_of(&app, OWNER).await;
    let now = Utc::now();
    let iso = |d: DateTime<Utc>| d.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    // A meeting that ended, and one still in progress (one person left, one still in).
    let closed_start = now - Duration::minutes(70);
    let live_start = now - Duration::minutes(10);
    let object = |uuid: &str, start: DateTime<Utc>, extra: Value| {
        let mut o = json!({ "id": "81234567890", "uuid": uuid, "host_id": "HOST-1", "topic": "Daily", "type": 8, "start_time": iso(start) });
        for (k, v) in extra.as_object().expect("object") {
            o[k] = v.clone();
        }
        o
    };
    let joined = |uuid: &str, start: DateTime<Utc>, id: &str, name: &str, at: DateTime<Utc>| {
        envelope(
            "meeting.participant_joined",
            &iso(at),
            ACME,
            object(
                uuid,
                start,
                json!({ "participant": { "user_id": id, "user_name": name, "join_time": iso(at) } }),
            ),
        )
    };
    let left = |uuid: &str, start: DateTime<Utc>, id: &str, name: &str, at: DateTime<Utc>| {
        envelope(
            "meeting.participant_left",
            &iso(at),
            ACME,
            object(
                uuid,
                start,
                json!({ "participant": { "user_id": id, "user_name": name, "leave_time": iso(at) } }),
            ),
        )
    };
    let events = [
        envelope(
            "meeting.started",
            &iso(closed_start),
            ACME,
            object("closed-1==", closed_start, json!({})),
        ),
        joined("closed-1==", closed_start, "1", "Ann", closed_start),
        left(
            "closed-1==",
            closed_start,
            "1",
            "Ann",
            closed_start + Duration::minutes(50),
        ),
        envelope(
            "meeting.ended",
            &iso(closed_start + Duration::minutes(51)),
            ACME,
            object(
                "closed-1==",
                closed_start,
                json!({ "end_time": iso(closed_start + Duration::minutes(51)) }),
            ),
        ),
        envelope(
            "meeting.started",
            &iso(live_start),
            ACME,
            object("live-1==", live_start, json!({})),
        ),
        joined("live-1==", live_start, "2", "Early", live_start),
        joined(
            "live-1==",
            live_start,
            "3",
            "Short",
            now - Duration::minutes(4),
        ),
        left(
            "live-1==",
            live_start,
            "3",
            "Short",
            now - Duration::minutes(2),
        ),
    ];
    for e in &events {
        assert_eq!(deliver(&app, e).await.0, 200);
    }
    assert_aggregates_exact(&app.db, "a live meeting's events").await;

    let day = |t: DateTime<Utc>| t.format("%Y-%m-%d").to_string();
    let (from, to) = (day(closed_start), day(now));
    let range_start =
        Utc.from_utc_datetime(&closed_start.date_naive().and_hms_opt(0, 0, 0).unwrap());
    let range_end =
        Utc.from_utc_datetime(&now.date_naive().and_hms_opt(0, 0, 0).unwrap()) + Duration::days(1);
    let q = format!(
        r#"{{ activeHosts(from: "{from}", to: "{to}") {{ totals {{ meetings participants meetingMinutes }} }}
             dailyUsage(year: {}, month: {}) {{ totals {{ meetings participants meetingMinutes }} }} }}"#,
        now.year(),
        now.month(),
    );
    let (year, month) = (now.year(), now.month());
    let month_start = Utc.with_ymd_and_hms(year, month, 1, 0, 0, 0).unwrap();
    let month_end = if month == 12 {
        Utc.with_ymd_and_hms(year + 1, 1, 1, 0, 0, 0).unwrap()
    } else {
        Utc.with_ymd_and_hms(year, month + 1, 1, 0, 0, 0).unwrap()
    };
    // The report reads "now" a moment after (or before) the raw computation: the live
    // session's minutes may differ by the one minute that passes in between, never more. Each
    // root field reads its own "now" (two fields of one request may straddle a minute), so
    // each is checked against the computation before and after the request on its own.
    let check = |label: &'static str| {
        let app = &app;
        let q = q.clone();
        async move {
            let before = (
                raw(&app.db, account, range_start, range_end).await,
                raw(&app.db, account, month_start, month_end).await,
            );
            let answer = app.query_as(OWNER, &q).await;
            let after = (
                raw(&app.db, account, range_start, range_end).await,
                raw(&app.db, account, month_start, month_end).await,
            );
            let got = (
                data(&answer)["activeHosts"]["totals"].clone(),
                data(&answer)["dailyUsage"]["totals"].clone(),
            );
            let of = |r: &(Raw, Raw)| (r.0.json(), r.1.json());
            let (before, after) = (of(&before), of(&after));
            assert!(
                got.0 == before.0 || got.0 == after.0,
                "{label}: activeHosts {:?} is neither {:?} nor {:?}",
                got.0,
                before.0,
                after.0
            );
            assert!(
                got.1 == before.1 || got.1 == after.1,
                "{label}: dailyUsage {:?} is neither {:?} nor {:?}",
                got.1,
                before.1,
                after.1
            );
            got
        }
    };
    let (hosts, _) = check("in progress").await;
    // Ann's 50 minutes; Early's 10 so far and Short's 2 make the live session's 12 or 13.
    assert_eq!(hosts["meetings"], 2, "{hosts}");
    assert_eq!(hosts["participants"], 3, "{hosts}");
    let minutes = hosts["meetingMinutes"].as_i64().expect("minutes");
    assert!((62..=64).contains(&minutes), "{hosts}");
    let live_rows = live_sessions(&app.db, account).await;
    assert_eq!(live_rows, 1, "one session has a join still in");

    // Early leaves and the meeting ends: its figures are final and its bucket takes it.
    let ended = now + Duration::seconds(1);
    for e in [
        left("live-1==", live_start, "2", "Early", ended),
        envelope(
            "meeting.ended",
            &iso(ended),
            ACME,
            object("live-1==", live_start, json!({ "end_time": iso(ended) })),
        ),
    ] {
        assert_eq!(deliver(&app, &e).await.0, 200);
    }
    assert_aggregates_exact(&app.db, "the live meeting's end").await;
    assert_eq!(live_sessions(&app.db, account).await, 0);
    let (hosts, _) = check("ended").await;
    assert_eq!(hosts["meetings"], 2, "{hosts}");
}

async fn live_sessions(db: &DatabaseConnection, account: i64) -> i64 {
    #[derive(FromQueryResult)]
    struct N {
        n: i64,
    }
    N::find_by_statement(statement(
        db.get_database_backend(),
        "SELECT COUNT(*) AS n FROM session_stat WHERE account_id = ? AND open_joins > 0",
        vec![account.into()],
    ))
    .one(db)
    .await
    .expect("count")
    .expect("row")
    .n
}

#[derive(Debug, FromQueryResult)]
struct Pick {
    meeting_id: i64,
    session_id: i64,
    host_id: i64,
    other_host: i64,
}

#[tokio::test]
async fn a_new_host_a_deleted_meeting_a_manual_fix_and_an_unsettled_write_are_all_caught() {
    let app = TestApp::with_demo().await;
    let account = account_of(&app, DEMO_OWNER).await;
    let db = &app.db;
    let backend = db.get_database_backend();
    let pick = |not_meeting: i64| {
        Pick::find_by_statement(statement(
            backend,
            "SELECT s.meeting_id, s.id AS session_id, m.host_id, \
               (SELECT MIN(u.id) FROM app_user u WHERE u.account_id = m.account_id AND u.id <> m.host_id) AS other_host \
             FROM meeting_session s JOIN meeting m ON m.id = s.meeting_id \
             WHERE s.account_id = ? AND s.meeting_id <> ? \
               AND EXISTS (SELECT 1 FROM participant p WHERE p.session_id = s.id) \
             ORDER BY s.id LIMIT 1",
            vec![account.into(), not_meeting.into()],
        ))
        .one(db)
    };
    let first = pick(-1).await.expect("read").expect("a session with joins");

    // A meeting handed to another host: its sessions' figures move with it.
    exec(
        db,
        &[format!(
            "UPDATE meeting SET host_id = {} WHERE id = {}",
            first.other_host, first.meeting_id
        )],
    )
    .await;
    assert_aggregates_exact(db, "a new host").await;
    assert_ne!(first.host_id, first.other_host);

    // A meeting deleted with its sessions and joins (the foreign keys cascade).
    let second = pick(first.meeting_id)
        .await
        .expect("read")
        .expect("another meeting's session");
    exec(
        db,
        &[format!(
            "DELETE FROM meeting WHERE id = {}",
            second.meeting_id
        )],
    )
    .await;
    assert_aggregates_exact(db, "a deleted meeting").await;

    // An aggregate changed by hand: verify names the session; rebuild repairs it.
    db.execute_unprepared(&format!(
        "UPDATE session_stat SET meeting_minutes = meeting_minutes + 7 WHERE session_id = {}",
        first.session_id
    ))
    .await
    .expect("update");
    let found = verify(db, Some(account)).await.expect("verify");
    assert_eq!((found.sessions, found.buckets), (2, 0), "{found:?}");
    assert_eq!(found.examples, vec![first.session_id]);
    db.execute_unprepared(&format!(
        "UPDATE usage_bucket SET sessions = sessions + 1 WHERE account_id = {account} \
         AND bucket = (SELECT MIN(bucket) FROM usage_bucket WHERE account_id = {account})"
    ))
    .await
    .expect("update");
    let found = verify(db, Some(account)).await.expect("verify");
    assert_eq!((found.sessions, found.buckets), (2, 2), "{found:?}");
    let other = account_of(&app, "owner@other.example").await;
    assert!(verify(db, Some(other)).await.expect("verify").is_empty());
    let rebuilt = rebuild(db, Some(account)).await.expect("rebuild");
    assert!(
        rebuilt.sessions > 100 && rebuilt.attendees > 100,
        "{rebuilt:?}"
    );
    assert_aggregates_exact(db, "rebuild").await;

    // A join written without settling (an operator's SQL): listed, not lost.
    db.execute_unprepared(&format!(
        "INSERT INTO participant (account_id, source_id, session_id, meeting_id, name, email, \
         join_time, leave_time, duration_seconds, join_method, role) SELECT account_id, 'manual-1', \
         id, meeting_id, 'Walk-in', NULL, start_time, start_time, 600, 'COMPUTER', 'ATTENDEE' \
         FROM meeting_session WHERE id = {}",
        first.session_id
    ))
    .await
    .expect("insert");
    let found = verify(db, None).await.expect("verify");
    // Its session, and its (meeting, person).
    assert_eq!(found.unsettled, 2, "{found:?}");
    assert_eq!(found.attendees, 1, "{found:?}");
    assert_eq!(found.examples, vec![first.session_id], "{found:?}");
    settle(db).await.expect("settle");
    assert_aggregates_exact(db, "settle").await;
}

#[tokio::test]
async fn attendees_read_with_or_without_their_intervals_are_the_same_people() {
    let app = TestApp::with_demo().await;
    let q = |extra: &str| {
        format!(
            r#"{{ meetings(from: "2026-10-01", to: "2026-10-31", first: 50) {{ nodes {{
                attendees(first: 30) {{ totalCount pageInfo {{ endCursor hasNextPage }}
                  nodes {{ name email role firstJoinTime lastLeaveTime totalSeconds rejoinCount {extra} }} }} }} }} }}"#
        )
    };
    let summary = app.query_as(DEMO_OWNER, &q("")).await;
    let mut full = app
        .query_as(DEMO_OWNER, &q("intervals { joinTime leaveTime }"))
        .await;
    let mut people = 0;
    let mut rejoined = 0;
    for node in full["data"]["meetings"]["nodes"]
        .as_array_mut()
        .expect("meetings")
    {
        for a in node["attendees"]["nodes"]
            .as_array_mut()
            .expect("attendees")
        {
            let intervals = a["intervals"].as_array().expect("intervals").len() as i64;
            assert_eq!(intervals, a["rejoinCount"].as_i64().unwrap() + 1, "{a}");
            people += 1;
            rejoined += i64::from(intervals > 1);
            a.as_object_mut().expect("object").remove("intervals");
        }
    }
    assert!(
        people > 100 && rejoined > 5,
        "{people} people, {rejoined} rejoined"
    );
    assert_eq!(data(&summary), data(&full));
}

#[derive(Debug, FromQueryResult)]
struct Rejoiner {
    meeting_id: i64,
    user_id: i64,
}

#[tokio::test]
async fn an_attendee_row_follows_its_first_join_its_emails_and_its_roles() {
    let app = TestApp::with_demo().await;
    let account = account_of(&app, DEMO_OWNER).await;
    let db = &app.db;
    let backend = db.get_database_backend();
    // A signed-in person (their key does not move with their email) with two joins or more,
    // none of them as host, in a meeting whose attendees fit on one page.
    let who = Rejoiner::find_by_statement(statement(
        backend,
        "SELECT p.meeting_id, p.user_id FROM participant p WHERE p.account_id = ? \
         AND p.user_id IS NOT NULL \
         AND (SELECT COUNT(*) FROM attendee_stat a WHERE a.meeting_id = p.meeting_id) <= 300 \
         GROUP BY p.meeting_id, p.user_id \
         HAVING COUNT(*) >= 2 AND SUM(CASE WHEN p.role = 'HOST' THEN 1 ELSE 0 END) = 0 \
         ORDER BY p.meeting_id, p.user_id LIMIT 1",
        vec![account.into()],
    ))
    .one(db)
    .await
    .expect("read")
    .expect("a person who joined twice");
    let joins: Vec<i64> = Id::find_by_statement(statement(
        backend,
        "SELECT id FROM participant WHERE meeting_id = ? AND user_id = ? ORDER BY join_time, id",
        vec![who.meeting_id.into(), who.user_id.into()],
    ))
    .all(db)
    .await
    .expect("joins")
    .into_iter()
    .filter_map(|j| j.id)
    .collect();
    let (first, second) = (joins[0], joins[1]);
    // The meeting's attendees as a page without intervals shows them, after checking that the
    // aggregates are exact and that a page with intervals (worked out from every join row)
    // shows the same people.
    let attendees = |after: &'static str| {
        let app = &app;
        async move {
            assert_aggregates_exact(&app.db, after).await;
            let q = |extra: &str| {
                format!(
                    r#"{{ meeting(id: "{}") {{ attendees(first: 300) {{ nodes {{
                        name email role firstJoinTime lastLeaveTime totalSeconds rejoinCount {extra} }} }} }} }}"#,
                    who.meeting_id
                )
            };
            let summary = app.query_as(DEMO_OWNER, &q("")).await;
            let mut full = app.query_as(DEMO_OWNER, &q("intervals { joinTime }")).await;
            data(&full);
            for a in full["data"]["meeting"]["attendees"]["nodes"]
                .as_array_mut()
                .expect("attendees")
            {
                a.as_object_mut().expect("object").remove("intervals");
            }
            assert_eq!(data(&summary), data(&full), "after {after}");
            data(&summary)["meeting"]["attendees"]["nodes"]
                .as_array()
                .expect("attendees")
                .clone()
        }
    };
    let find = |nodes: &[Value], name: &str| -> Value {
        nodes
            .iter()
            .find(|a| a["name"] == name)
            .unwrap_or_else(|| panic!("no attendee {name}: {nodes:?}"))
            .clone()
    };

    // The first join without an email, the second with one: the email is the second's.
    exec(
        db,
        &[
            format!("UPDATE participant SET name = 'Probe First', email = NULL WHERE id = {first}"),
            format!(
                "UPDATE participant SET name = 'Probe Second', email = 'Probe.Second@Example.test', \
                 role = 'ATTENDEE' WHERE id = {second}"
            ),
            format!(
                "UPDATE participant SET role = 'ATTENDEE' WHERE meeting_id = {} AND user_id = {}",
                who.meeting_id, who.user_id
            ),
        ],
    )
    .await;
    let a = find(&attendees("the emails changed").await, "Probe First");
    assert_eq!(a["email"], "Probe.Second@Example.test", "{a}");
    assert_eq!(a["role"], "ATTENDEE", "{a}");
    assert_eq!(a["rejoinCount"], joins.len() as i64 - 1, "{a}");

    // A later join's role alone changes: the most prominent one is shown.
    exec(
        db,
        &[format!(
            "UPDATE participant SET role = 'PANELIST' WHERE id = {second}"
        )],
    )
    .await;
    let a = find(&attendees("a role changed").await, "Probe First");
    assert_eq!(a["role"], "PANELIST", "{a}");

    // The first join's name is read from it.
    exec(
        db,
        &[format!(
            "UPDATE participant SET name = 'Probe Renamed' WHERE id = {first}"
        )],
    )
    .await;
    find(&attendees("the first join renamed").await, "Probe Renamed");

    // The first join gone: the second is their first, its name and email theirs.
    exec(db, &[format!("DELETE FROM participant WHERE id = {first}")]).await;
    let nodes = attendees("the first join deleted").await;
    assert!(
        nodes.iter().all(|a| a["name"] != "Probe Renamed"),
        "{nodes:?}"
    );
    let a = find(&nodes, "Probe Second");
    assert_eq!(a["email"], "Probe.Second@Example.test", "{a}");
    assert_eq!(a["rejoinCount"], joins.len() as i64 - 2, "{a}");
}

/// A join row of a webinar, as the oracle below reads it.
#[derive(Debug, FromQueryResult)]
struct WebinarJoin {
    id: i64,
    registrant_id: Option<i64>,
    user_id: Option<i64>,
    email: Option<String>,
    name: String,
    role: String,
    join_s: i64,
    leave_s: Option<i64>,
    duration_seconds: Option<i64>,
}

#[derive(Debug, FromQueryResult)]
struct WebinarRegistrant {
    id: i64,
    email: String,
    status: String,
}

#[derive(Debug, FromQueryResult)]
struct Text {
    t: Option<String>,
}

#[derive(Debug, FromQueryResult)]
struct Id {
    id: Option<i64>,
}

/// The Performance report of webinar `id` and its registrants' attendance, computed in Rust
/// from its raw rows (independently of the SQL the aggregates use): the figures as JSON, the
/// attendee seconds at this instant, and the emails of the registrants who attended.
async fn webinar_oracle(db: &DatabaseConnection, id: i64) -> (Value, i64, Vec<String>) {
    let backend = db.get_database_backend();
    let read = |q: &str| statement(backend, q, vec![id.into()]);
    let joins = WebinarJoin::find_by_statement(read(
        "SELECT id, registrant_id, user_id, email, name, role, \
         CAST(unixepoch(join_time) AS BIGINT) AS join_s, CAST(unixepoch(leave_time) AS BIGINT) AS leave_s, \
         duration_seconds FROM participant WHERE meeting_id = ?",
    ))
    .all(db)
    .await
    .expect("joins");
    let registrants = WebinarRegistrant::find_by_statement(read(
        "SELECT id, email, status FROM registrant WHERE meeting_id = ?",
    ))
    .all(db)
    .await
    .expect("registrants");
    let questions = Text::find_by_statement(read(
        "SELECT status AS t FROM qa_question WHERE meeting_id = ?",
    ))
    .all(db)
    .await
    .expect("questions");
    let launched = Id::find_by_statement(read(
        "SELECT id FROM poll WHERE meeting_id = ? AND launched_at IS NOT NULL",
    ))
    .all(db)
    .await
    .expect("polls")
    .len();
    let responders = Id::find_by_statement(read(
        "SELECT pr.participant_id AS id FROM poll_response pr JOIN poll_question q ON q.id = pr.question_id \
         JOIN poll o ON o.id = q.poll_id WHERE o.meeting_id = ?",
    ))
    .all(db)
    .await
    .expect("responses");
    let now = Utc::now().timestamp();
    let person = |j: &WebinarJoin| match (&j.user_id, &j.email) {
        (Some(u), _) => format!("u{u}"),
        (None, Some(e)) if !e.is_empty() => format!("e{}", e.to_lowercase()),
        _ => format!("n{}", j.name),
    };
    let attendees: Vec<&WebinarJoin> = joins.iter().filter(|j| j.role == "ATTENDEE").collect();
    let people: std::collections::BTreeSet<String> = attendees.iter().map(|j| person(j)).collect();
    let seconds: i64 = attendees
        .iter()
        .map(|j| j.duration_seconds.unwrap_or((now - j.join_s).max(0)))
        .sum();
    let mut edges: Vec<(i64, i64)> = joins.iter().map(|j| (j.join_s, 1)).collect();
    edges.extend(joins.iter().filter_map(|j| j.leave_s.map(|l| (l, -1))));
    edges.sort();
    let (mut present, mut peak) = (0i64, 0i64);
    for (_, delta) in edges {
        present += delta;
        peak = peak.max(present);
    }
    let came = |r: &WebinarRegistrant| {
        joins.iter().any(|j| {
            j.registrant_id == Some(r.id)
                || (j.registrant_id.is_none()
                    && j.email.as_deref().map(str::to_lowercase) == Some(r.email.to_lowercase()))
        })
    };
    let approved: Vec<&WebinarRegistrant> = registrants
        .iter()
        .filter(|r| r.status == "APPROVED")
        .collect();
    let attended = approved.iter().filter(|r| came(r)).count();
    let respondents: std::collections::BTreeSet<String> = responders
        .iter()
        .filter_map(|r| r.id)
        .filter_map(|p| attendees.iter().find(|j| j.id == p))
        .map(|j| person(j))
        .collect();
    let mut attended_emails: Vec<String> = registrants
        .iter()
        .filter(|r| came(r))
        .map(|r| r.email.clone())
        .collect();
    attended_emails.sort();
    let figures = json!({
        "registrants": registrants.len(),
        "approvedRegistrants": approved.len(),
        "attendedRegistrants": attended,
        "absentees": approved.len() - attended,
        "uniqueAttendees": people.len(),
        "peakConcurrent": peak,
        "questionsAsked": questions.len(),
        "questionsAnswered": questions.iter().filter(|q| q.t.as_deref() == Some("ANSWERED")).count(),
        "pollsLaunched": launched,
        "pollRespondents": respondents.len(),
    });
    (figures, seconds, attended_emails)
}

/// The webinar's report through the gateway and the oracle's, compared; `after` names the step.
async fn assert_webinar_matches_its_rows(app: &TestApp, id: i64, after: &str) {
    assert_aggregates_exact(&app.db, after).await;
    let q = format!(
        r#"{{ webinar(id: "{id}") {{ performance {{ registrants approvedRegistrants attendedRegistrants
        absentees uniqueAttendees peakConcurrent totalMinutes questionsAsked questionsAnswered
        pollsLaunched pollRespondents }}
        registrants(first: 300) {{ totalCount nodes {{ email attended }} }}
        absentees(first: 300) {{ totalCount }} }} }}"#
    );
    let (_, before, _) = webinar_oracle(&app.db, id).await;
    let response = app.query_as(DEMO_OWNER, &q).await;
    let (figures, seconds, attended) = webinar_oracle(&app.db, id).await;
    let webinar = &data(&response)["webinar"];
    let mut performance = webinar["performance"].clone();
    let minutes = performance
        .as_object_mut()
        .and_then(|p| p.remove("totalMinutes"))
        .and_then(|m| m.as_i64())
        .expect("totalMinutes");
    assert_eq!(performance, figures, "after {after}");
    // A live attendee's seconds grow while the request runs: the minutes lie between the two
    // readings around it.
    let rounded_up = |s: i64| (s + 59) / 60;
    assert!(
        (rounded_up(before)..=rounded_up(seconds)).contains(&minutes),
        "after {after}: {minutes} minutes, the rows give {before}..{seconds} seconds"
    );
    let registrants = webinar["registrants"]["nodes"].as_array().expect("nodes");
    assert_eq!(webinar["registrants"]["totalCount"], registrants.len());
    let mut came: Vec<String> = registrants
        .iter()
        .filter(|r| r["attended"] == true)
        .map(|r| r["email"].as_str().expect("email").to_owned())
        .collect();
    came.sort();
    assert_eq!(came, attended, "after {after}");
    assert_eq!(
        webinar["absentees"]["totalCount"], figures["absentees"],
        "after {after}"
    );
}

#[tokio::test]
async fn webinar_figures_and_attendance_follow_every_table_and_a_live_attendee() {
    let app = TestApp::with_settings(meeting_reports::config::ReportSettings {
        fixed_now: None,
        ..settings()
    })
    .await;
    meeting_reports::seed::seed_demo(&app.db, Utc::now(), 42)
        .await
        .expect("demo data loads");
    let db = &app.db;
    let backend = db.get_database_backend();
    let one = |q: &str| Id::find_by_statement(statement(backend, q, Vec::new())).one(db);
    // The demo's webinar with poll answers and the most registrants that fit on one page.
    let webinar = one(
        "SELECT w.id FROM (SELECT m.id, (SELECT COUNT(*) FROM registrant r WHERE r.meeting_id = m.id) AS n \
         FROM meeting m WHERE m.kind = 'WEBINAR' AND EXISTS (SELECT 1 FROM poll o \
           JOIN poll_question q ON q.poll_id = o.id JOIN poll_response pr ON pr.question_id = q.id \
           WHERE o.meeting_id = m.id)) w \
         WHERE w.n <= 300 ORDER BY w.n DESC, w.id LIMIT 1",
    )
    .await
    .expect("read")
    .and_then(|r| r.id)
    .expect("a webinar");
    assert_webinar_matches_its_rows(&app, webinar, "the demo").await;
    let (figures, _, _) = webinar_oracle(db, webinar).await;
    assert!(
        figures["absentees"].as_i64() > Some(0) && figures["pollRespondents"].as_i64() > Some(0),
        "the demo webinar has absentees and poll respondents: {figures}"
    );

    // An absentee joins unlinked, under their email in other case: they attended.
    let absentee = Text::find_by_statement(statement(
        backend,
        &format!(
            "SELECT r.email AS t FROM registrant r WHERE r.meeting_id = {webinar} AND r.status = 'APPROVED' \
             AND NOT EXISTS (SELECT 1 FROM participant p WHERE p.meeting_id = r.meeting_id \
               AND (p.registrant_id = r.id OR LOWER(p.email) = LOWER(r.email))) ORDER BY r.id LIMIT 1"
        ),
        Vec::new(),
    ))
    .one(db)
    .await
    .expect("read")
    .and_then(|t| t.t)
    .expect("an absentee");
    let session = |column: &str| {
        format!("(SELECT MIN({column}) FROM meeting_session WHERE meeting_id = {webinar})")
    };
    exec(
        db,
        &[format!(
            "INSERT INTO participant (account_id, source_id, session_id, meeting_id, name, email, \
             join_time, leave_time, duration_seconds, join_method, role) SELECT account_id, 'late-1', \
             {}, id, 'Late Comer', UPPER('{absentee}'), {}, {}, 300, 'COMPUTER', 'ATTENDEE' \
             FROM meeting WHERE id = {webinar}",
            session("id"),
            session("start_time"),
            session("start_time"),
        )],
    )
    .await;
    assert_webinar_matches_its_rows(&app, webinar, "an unlinked join by email").await;

    // A registrant's email changed (no longer matched), a question answered, a poll answer
    // withdrawn, a poll not launched after all.
    exec(
        db,
        &[
            format!(
                "UPDATE registrant SET email = 'someone.else@elsewhere.example' \
                 WHERE meeting_id = {webinar} AND LOWER(email) = LOWER('{absentee}')"
            ),
            format!(
                "UPDATE qa_question SET status = CASE WHEN status = 'ANSWERED' THEN 'OPEN' ELSE 'ANSWERED' END \
                 WHERE id = (SELECT MIN(id) FROM qa_question WHERE meeting_id = {webinar})"
            ),
            format!(
                "DELETE FROM poll_response WHERE id = (SELECT MIN(pr.id) FROM poll_response pr \
                 JOIN poll_question q ON q.id = pr.question_id JOIN poll o ON o.id = q.poll_id \
                 WHERE o.meeting_id = {webinar})"
            ),
            format!(
                "UPDATE poll SET launched_at = NULL WHERE id = (SELECT MIN(id) FROM poll WHERE meeting_id = {webinar})"
            ),
        ],
    )
    .await;
    assert_webinar_matches_its_rows(&app, webinar, "registrant, question and poll changes").await;

    // An attendee still in: their seconds count up to now, at read time.
    exec(
        db,
        &[format!(
            "INSERT INTO participant (account_id, source_id, session_id, meeting_id, name, email, \
             join_time, leave_time, duration_seconds, join_method, role) SELECT account_id, 'live-1', \
             {}, id, 'Still Here', 'still.here@guest.example', '{}', NULL, NULL, 'COMPUTER', 'ATTENDEE' \
             FROM meeting WHERE id = {webinar}",
            session("id"),
            (Utc::now() - Duration::minutes(7)).format("%Y-%m-%dT%H:%M:%S+00:00"),
        )],
    )
    .await;
    assert_webinar_matches_its_rows(&app, webinar, "a live attendee").await;

    // The webinar turned into a meeting and back: its figures go and come back.
    exec(
        db,
        &[format!(
            "UPDATE meeting SET kind = 'MEETING' WHERE id = {webinar}"
        )],
    )
    .await;
    assert_aggregates_exact(db, "a webinar turned into a meeting").await;
    exec(
        db,
        &[format!(
            "UPDATE meeting SET kind = 'WEBINAR' WHERE id = {webinar}"
        )],
    )
    .await;
    assert_webinar_matches_its_rows(&app, webinar, "a meeting turned into a webinar").await;

    // Changed by hand: verify counts each side of a changed row; rebuild repairs both.
    db.execute_unprepared(&format!(
        "UPDATE webinar_stat SET peak_concurrent = peak_concurrent + 1 WHERE meeting_id = {webinar}"
    ))
    .await
    .expect("update");
    db.execute_unprepared(&format!(
        "UPDATE registrant_stat SET attended = 1 - attended WHERE registrant_id = \
         (SELECT MIN(id) FROM registrant WHERE meeting_id = {webinar})"
    ))
    .await
    .expect("update");
    let found = verify(db, None).await.expect("verify");
    assert_eq!((found.webinars, found.registrants), (2, 2), "{found:?}");
    assert!(!found.is_empty());
    rebuild(db, None).await.expect("rebuild");
    assert_webinar_matches_its_rows(&app, webinar, "rebuild").await;

    // A registrant written without settling (an operator's SQL): its meeting is listed.
    db.execute_unprepared(&format!(
        "INSERT INTO registrant (account_id, source_id, meeting_id, email, first_name, last_name, \
         status, registered_at, custom_answers) SELECT account_id, 'manual-r', id, 'new@guest.example', \
         'New', 'Guest', 'APPROVED', '2026-11-01T00:00:00+00:00', '[]' FROM meeting WHERE id = {webinar}"
    ))
    .await
    .expect("insert");
    assert_eq!(verify(db, None).await.expect("verify").unsettled, 1);
    settle(db).await.expect("settle");
    assert_webinar_matches_its_rows(&app, webinar, "settle").await;
}
