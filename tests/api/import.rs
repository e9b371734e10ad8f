//! `meeting-reports import`: the webhook envelopes as NDJSON, through the same event store. A
//! bad line is reported with its number and kept; a re-run (after a crash, say) doubles nothing.

use std::process::ExitCode;

use clap::Parser;
use entity::{ingest_event, meeting_session};
use meeting_reports::{config::Cli, ingest::import::import};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::Value;

use crate::{
    common::{data, now, TestApp},
    webhooks::{acme, lifecycle, statuses, ACME, MEETINGS, OWNER},
};

/// The lifecycle as NDJSON with a blank line, a line that is not JSON (line 3) and one that is
/// JSON but no event (line 5).
fn ndjson() -> String {
    let events: Vec<String> = lifecycle(ACME).iter().map(Value::to_string).collect();
    [
        events[0].as_str(),
        "",
        "{ not json",
        events[1].as_str(),
        r#"{"payload":{}}"#,
        events[2].as_str(),
        events[3].as_str(),
    ]
    .join("\n")
}

#[tokio::test]
async fn an_import_applies_its_events_and_keeps_bad_lines_with_their_numbers() {
    let app = TestApp::new().await;
    acme(&app).await;
    let mut calls = 0;
    let summary = import(&app.db, ndjson().as_bytes(), now(), |_, _| calls += 1)
        .await
        .unwrap();
    assert!(calls >= 1, "progress is reported at least at the end");
    assert_eq!(summary.lines, 7);
    assert_eq!(
        (summary.applied, summary.failed, summary.duplicates),
        (4, 0, 0)
    );
    let lines: Vec<u64> = summary.bad_lines.iter().map(|(n, _)| *n).collect();
    assert_eq!(lines, [3, 5]);
    assert!(
        summary.bad_lines[0].1.contains("not valid JSON"),
        "{summary:?}"
    );
    assert!(
        summary.bad_lines[1].1.contains("no `event` name"),
        "{summary:?}"
    );

    // The bad lines are in the dead letter, named by their line.
    let failed: Vec<String> = ingest_event::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.status == "FAILED")
        .filter_map(|e| e.reason)
        .collect();
    assert_eq!(failed.len(), 2, "{failed:?}");
    assert!(
        failed[0].starts_with("line 3:") && failed[1].starts_with("line 5:"),
        "{failed:?}"
    );

    // The same report as the webhooks deliver.
    let answer = app.query_as(OWNER, MEETINGS).await;
    let meetings = &data(&answer)["meetings"];
    assert_eq!(meetings["totalCount"], 1);
    assert_eq!(meetings["nodes"][0]["topic"], "Quarterly review");
    assert_eq!(
        meetings["nodes"][0]["sessions"][0]["endTime"],
        "2026-11-10T10:05:00+00:00"
    );
}

#[tokio::test]
async fn an_import_run_again_after_a_crash_doubles_nothing() {
    let app = TestApp::new().await;
    acme(&app).await;
    // A first run that died after two lines...
    let head: String = ndjson().lines().take(2).collect::<Vec<_>>().join("\n");
    import(&app.db, head.as_bytes(), now(), |_, _| {})
        .await
        .unwrap();
    // ... then the whole file, twice.
    let again = import(&app.db, ndjson().as_bytes(), now(), |_, _| {})
        .await
        .unwrap();
    assert_eq!((again.applied, again.duplicates), (3, 1), "{again:?}");
    let third = import(&app.db, ndjson().as_bytes(), now(), |_, _| {})
        .await
        .unwrap();
    assert_eq!((third.applied, third.duplicates), (0, 4), "{third:?}");
    assert_eq!(
        ingest_event::Entity::find().count(&app.db).await.unwrap(),
        6,
        "4 events and 2 bad lines, each stored once"
    );
    assert_eq!(
        meeting_session::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        1
    );
    let applied = statuses(&app).await;
    assert_eq!(applied.iter().filter(|(_, s)| s == "APPLIED").count(), 4);
    let answer = app.query_as(OWNER, MEETINGS).await;
    let meetings = &data(&answer)["meetings"];
    assert_eq!(meetings["totalCount"], 1);
}

/// The command end to end on a database file: `account add`, then `import FILE`.
#[tokio::test]
async fn the_import_command_reads_a_file() {
    let dir = std::env::temp_dir().join(format!("mr-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db_file = dir.join("import.db");
    let _ = std::fs::remove_file(&db_file);
    let input = dir.join("events.ndjson");
    std::fs::write(&input, ndjson()).unwrap();
    let url = format!("sqlite://{}?mode=rwc", db_file.display());
    let run = |args: Vec<String>| {
        let mut argv = vec![
            "meeting-reports".to_owned(),
            "--database-url".to_owned(),
            url.clone(),
        ];
        argv.extend(args);
        meeting_reports::cli::run(Cli::parse_from(argv))
    };
    let add = [
        "account",
        "add",
        "--platform-id",
        ACME,
        "--name",
        "Acme",
        "--plan",
        "BUSINESS",
        "--time-zone",
        "UTC",
        "--owner-email",
        OWNER,
    ];
    assert_eq!(run(add.map(String::from).to_vec()).await, ExitCode::SUCCESS);
    let import_args = vec!["import".to_owned(), input.display().to_string()];
    assert_eq!(run(import_args.clone()).await, ExitCode::SUCCESS);
    assert_eq!(
        run(import_args).await,
        ExitCode::SUCCESS,
        "a re-run succeeds"
    );
    let missing = vec![
        "import".to_owned(),
        dir.join("none.ndjson").display().to_string(),
    ];
    assert_eq!(run(missing).await, ExitCode::FAILURE);

    let db = meeting_reports::db::connect(&url).await.unwrap();
    assert_eq!(meeting_session::Entity::find().count(&db).await.unwrap(), 1);
    assert_eq!(ingest_event::Entity::find().count(&db).await.unwrap(), 6);
    db.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Sign-ins and sign-outs of `n` users, one per line.
fn sign_ins(n: u64) -> String {
    (0..n)
        .map(|i| {
            serde_json::json!({
                "event": if i % 2 == 0 { "user.signed_in" } else { "user.signed_out" },
                "event_ts": 1_794_000_000_000i64 + i as i64 * 1000,
                "payload": { "account_id": ACME, "object": {
                    "id": format!("U{}", i % 7), "email": format!("u{}@acme.example", i % 7),
                    "client_type": "mac", "version": "6.2.0", "date_time": "2026-11-10T10:00:00Z",
                    "login_type": 0 } }
            })
            .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn an_import_longer_than_a_batch_stores_every_event_once() {
    use meeting_reports::ingest::import::BATCH;
    let app = TestApp::new().await;
    acme(&app).await;
    let n = 2 * BATCH + 7;
    let summary = import(&app.db, sign_ins(n).as_bytes(), now(), |_, _| {})
        .await
        .unwrap();
    assert_eq!(summary.applied, n, "{summary:?}");
    assert_eq!(
        entity::sign_in_event::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        n
    );
    let again = import(&app.db, sign_ins(n).as_bytes(), now(), |_, _| {})
        .await
        .unwrap();
    assert_eq!((again.applied, again.duplicates), (0, n));
    assert_eq!(
        ingest_event::Entity::find().count(&app.db).await.unwrap(),
        n
    );
}

/// One transaction looks each account up once (`TransactionAccounts`): events of several
/// accounts interleaved in one batch, one of them unknown, each go to their own account, and
/// the unknown one's are kept FAILED, whatever came before them.
#[tokio::test]
async fn an_import_of_interleaved_accounts_gives_each_event_its_own_account() {
    use crate::webhooks::account;
    const GLOBEX: &str = "globex-platform-id";
    const GLOBEX_OWNER: &str = "owner@globex.example";
    const UNKNOWN: &str = "nobody-platform-id";
    let app = TestApp::new().await;
    acme(&app).await;
    account(&app, GLOBEX, "Globex", GLOBEX_OWNER).await;
    let (a, mut g, u) = (lifecycle(ACME), lifecycle(GLOBEX), lifecycle(UNKNOWN));
    // An email is one account's (another's user with it is refused).
    g[0]["payload"]["object"]["email"] = "hanna@globex.example".into();
    let mut lines = Vec::new();
    for i in 0..a.len() {
        // The unknown account's event first in each round, then the known ones.
        lines.extend([u[i].to_string(), a[i].to_string(), g[i].to_string()]);
    }
    let summary = import(&app.db, lines.join("\n").as_bytes(), now(), |_, _| {})
        .await
        .unwrap();
    assert_eq!(
        (summary.applied, summary.failed, summary.duplicates),
        (8, 4, 0),
        "{summary:?}"
    );
    let accounts: std::collections::HashMap<String, i64> = entity::account::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|a| Some((a.platform_id?, a.id)))
        .collect();
    for event in ingest_event::Entity::find().all(&app.db).await.unwrap() {
        let expected = accounts.get(&event.platform_account_id).copied();
        assert_eq!(event.account_id, expected, "{}", event.platform_account_id);
        let status = if expected.is_some() {
            "APPLIED"
        } else {
            "FAILED"
        };
        assert_eq!(event.status, status, "{}", event.platform_account_id);
    }
    for owner in [OWNER, GLOBEX_OWNER] {
        let answer = app.query_as(owner, MEETINGS).await;
        assert_eq!(data(&answer)["meetings"]["totalCount"], 1, "{owner}");
    }
}

#[tokio::test]
async fn a_refused_join_in_a_batch_keeps_its_reason_and_the_other_joins_are_applied() {
    use crate::webhooks::envelope;
    let app = TestApp::new().await;
    acme(&app).await;
    let join = |uuid: &str, number: &str, who: &str, host: Option<&str>| {
        let mut object = serde_json::json!({ "id": number, "uuid": uuid, "topic": "T", "type": 2,
            "start_time": "2026-11-10T09:02:00Z",
            "participant": { "user_id": who, "user_name": who, "join_time": "2026-11-10T09:10:00Z" } });
        if let Some(host) = host {
            object["host_id"] = host.into();
        }
        envelope(
            "meeting.participant_joined",
            "2026-11-10T09:10:00Z",
            ACME,
            object,
        )
    };
    let mut lines: Vec<String> = lifecycle(ACME).iter().map(Value::to_string).collect();
    lines.push(join("occ-1==", "81234567890", "a", Some("HOST-1")).to_string());
    // A meeting never announced, whose host the join does not name: refused.
    lines.push(join("occ-9==", "89999999999", "b", None).to_string());
    lines.push(join("occ-1==", "81234567890", "c", Some("HOST-1")).to_string());
    let summary = import(&app.db, lines.join("\n").as_bytes(), now(), |_, _| {})
        .await
        .unwrap();
    assert_eq!(
        (summary.applied, summary.failed, summary.duplicates),
        (6, 1, 0),
        "{summary:?}"
    );
    assert_eq!(summary.joins_one_by_one, 3, "the set of three was refused");
    let refused: Vec<(String, Option<String>)> = ingest_event::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.status == "FAILED")
        .map(|e| (e.object_id.unwrap_or_default(), e.reason))
        .collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0].0, "occ-9==/b");
    assert!(
        refused[0]
            .1
            .as_deref()
            .is_some_and(|r| r.contains("host is not known")),
        "{refused:?}"
    );
    let q = r#"{ meetings(from: "2026-11-01", to: "2026-11-14") { nodes { participants(first: 10) { nodes { name } } } } }"#;
    let answer = app.query_as(OWNER, q).await;
    assert_eq!(
        data(&answer)["meetings"]["nodes"][0]["participants"]["nodes"],
        serde_json::json!([{ "name": "a" }, { "name": "c" }])
    );
    crate::common::assert_aggregates_exact(&app.db, "a batch with a refusal").await;
}

#[tokio::test]
async fn a_batch_finds_the_joins_of_names_with_quotes_backslashes_commas_and_braces() {
    use crate::webhooks::envelope;
    let app = TestApp::new().await;
    acme(&app).await;
    // No user_id: the join is keyed by its name, which the batch's lookups bind as one list.
    let names = [
        r#"O'Brien, "Bob" {x}"#,
        r"back\slash \\ and \",
        "NULL",
        "Zoë 山田 ,}{\"",
    ];
    let event = |kind: &str, who: &str, at: &str| {
        let field = if kind == "joined" {
            "join_time"
        } else {
            "leave_time"
        };
        envelope(
            &format!("meeting.participant_{kind}"),
            at,
            ACME,
            serde_json::json!({ "id": "81234567890", "uuid": "occ-1==", "host_id": "HOST-1",
                "topic": "Quarterly review", "type": 2, "start_time": "2026-11-10T09:02:00Z",
                "participant": { "user_name": who, field: at } }),
        )
    };
    let mut lines: Vec<String> = lifecycle(ACME).iter().map(Value::to_string).collect();
    for who in names {
        lines.push(event("joined", who, "2026-11-10T09:10:00Z").to_string());
    }
    // The leaves in a batch of their own: they update the rows the first batch wrote.
    let mut second: Vec<String> = Vec::new();
    for who in names {
        second.push(event("left", who, "2026-11-10T09:40:00Z").to_string());
    }
    for file in [lines, second] {
        let summary = import(&app.db, file.join("\n").as_bytes(), now(), |_, _| {})
            .await
            .unwrap();
        assert_eq!(summary.failed, 0, "{summary:?}");
        assert_eq!(summary.joins_one_by_one, 0, "applied as a set: {summary:?}");
    }
    let q = r#"{ meetings(from: "2026-11-01", to: "2026-11-14") { nodes { participants(first: 10) { nodes { name leaveTime } } } } }"#;
    let answer = app.query_as(OWNER, q).await;
    let mut found: Vec<(String, String)> = data(&answer)["meetings"]["nodes"][0]["participants"]
        ["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| {
            (
                n["name"].as_str().unwrap_or_default().to_owned(),
                n["leaveTime"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    found.sort();
    let mut expected: Vec<(String, String)> = names
        .iter()
        .map(|n| (n.to_string(), "2026-11-10T09:40:00+00:00".to_owned()))
        .collect();
    expected.sort();
    assert_eq!(found, expected);
    crate::common::assert_aggregates_exact(&app.db, "names with quotes").await;
}
