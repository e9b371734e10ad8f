//! Accounts without a seed (`meeting-reports account add | set | list`): an account and its
//! owner, who can read reports at once; settings changed in place; what is taken is refused.

use std::process::ExitCode;

use clap::Parser;
use meeting_reports::{
    auth::Plan,
    config::Cli,
    ingest::accounts::{add_account, list_accounts, set_account, AccountChanges, NewAccount},
};
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::common::{data, error_codes, now, TestApp};

fn acme() -> NewAccount {
    NewAccount {
        platform_id: "AcMeAcCoUnT01".into(),
        name: "Acme".into(),
        plan: Plan::Business,
        time_zone: chrono_tz::America::New_York,
        owner_email: "Jane.Doe@Acme.example".into(),
        owner_name: None,
        billing_reports: true,
        webinar_addon: false,
    }
}

const VIEWER: &str = "{ viewer { user { email name role } account { name domain plan timeZone \
    billingReportsEnabled } privileges reportsEnabled } }";

#[tokio::test]
async fn an_account_added_without_a_seed_has_an_owner_who_reads_its_reports_at_once() {
    let app = TestApp::new().await;
    let added = add_account(&app.db, &acme(), now()).await.unwrap();
    assert_eq!(added.platform_id.as_deref(), Some("AcMeAcCoUnT01"));
    assert_eq!(added.domain, "acme.example");
    assert_eq!(added.users, 1);

    let viewer = app.query_as("jane.doe@acme.example", VIEWER).await;
    let viewer = &data(&viewer)["viewer"];
    assert_eq!(viewer["user"]["email"], "jane.doe@acme.example");
    assert_eq!(viewer["user"]["name"], "Jane Doe");
    assert_eq!(viewer["user"]["role"], "OWNER");
    assert_eq!(viewer["account"]["plan"], "BUSINESS");
    assert_eq!(viewer["account"]["timeZone"], "America/New_York");
    assert_eq!(viewer["account"]["billingReportsEnabled"], true);
    assert_eq!(viewer["reportsEnabled"], true);
    assert_eq!(
        viewer["privileges"],
        serde_json::json!(["USAGE_REPORTS", "USER_ACTIVITY_REPORTS", "BILLING_REPORTS"])
    );

    // An empty account's report is empty, not an error.
    let usage = app
        .query_as(
            "jane.doe@acme.example",
            r#"{ meetings(from: "2026-11-01", to: "2026-11-15") { totalCount } }"#,
        )
        .await;
    assert_eq!(data(&usage)["meetings"]["totalCount"], 0);
}

#[tokio::test]
async fn a_platform_id_domain_or_email_taken_is_refused_and_nothing_is_written() {
    let app = TestApp::new().await;
    add_account(&app.db, &acme(), now()).await.unwrap();
    let taken = [
        NewAccount {
            name: "Acme again".into(),
            owner_email: "someone@else.example".into(),
            ..acme()
        },
        NewAccount {
            platform_id: "Other01".into(),
            owner_email: "boss@acme.example".into(),
            ..acme()
        },
        NewAccount {
            platform_id: "Other02".into(),
            owner_email: "not-an-email".into(),
            ..acme()
        },
        NewAccount {
            platform_id: " ".into(),
            owner_email: "a@b.example".into(),
            ..acme()
        },
    ];
    let mut messages = Vec::new();
    for new in &taken {
        let err = add_account(&app.db, new, now()).await.unwrap_err();
        assert_eq!(err.code(), "BAD_USER_INPUT", "{err:?}");
        messages.push(err.message());
    }
    assert!(
        messages[0].contains("platform id AcMeAcCoUnT01"),
        "{messages:?}"
    );
    assert!(messages[1].contains("domain acme.example"), "{messages:?}");
    assert!(messages[2].contains("not an email"), "{messages:?}");
    assert!(messages[3].contains("may not be empty"), "{messages:?}");
    assert_eq!(
        entity::account::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        entity::app_user::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn account_set_changes_what_it_is_given_and_keeps_the_rest() {
    let app = TestApp::new().await;
    add_account(&app.db, &acme(), now()).await.unwrap();
    let changed = set_account(
        &app.db,
        "AcMeAcCoUnT01",
        &AccountChanges {
            plan: Some(Plan::Basic),
            time_zone: Some(chrono_tz::Asia::Kolkata),
            ..AccountChanges::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(changed.plan, "BASIC");
    assert_eq!(changed.time_zone, "Asia/Kolkata");
    assert_eq!(changed.name, "Acme");
    assert!(changed.billing_reports);

    // The plan takes effect at once: a BASIC account has no reports.
    let refused = app
        .query_as(
            "jane.doe@acme.example",
            r#"{ meetings(from: "2026-11-01", to: "2026-11-15") { totalCount } }"#,
        )
        .await;
    assert_eq!(error_codes(&refused), ["PLAN_NOT_SUPPORTED"]);

    let missing = set_account(&app.db, "nobody", &AccountChanges::default())
        .await
        .unwrap_err();
    assert_eq!(missing.code(), "NOT_FOUND");
}

#[tokio::test]
async fn account_list_shows_every_account_with_its_platform_id() {
    let app = TestApp::with_demo().await;
    add_account(&app.db, &acme(), now()).await.unwrap();
    let accounts = list_accounts(&app.db).await.unwrap();
    let acme = accounts.last().unwrap();
    assert_eq!(acme.platform_id.as_deref(), Some("AcMeAcCoUnT01"));
    assert_eq!(
        accounts.len(),
        4,
        "three demo accounts and Acme: {accounts:?}"
    );
}

#[test]
fn the_command_line_refuses_an_unknown_plan_or_zone_with_the_choices() {
    let base = [
        "meeting-reports",
        "account",
        "add",
        "--platform-id",
        "X1",
        "--name",
        "X",
        "--owner-email",
        "o@x.example",
    ];
    let parse = |extra: &[&str]| Cli::try_parse_from(base.iter().chain(extra));
    assert!(parse(&["--plan", "pro", "--time-zone", "Europe/Paris"]).is_ok());
    let plan = parse(&["--plan", "gold", "--time-zone", "Europe/Paris"]).unwrap_err();
    assert!(plan.to_string().contains("BASIC, PRO, BUSINESS"), "{plan}");
    let zone = parse(&["--plan", "PRO", "--time-zone", "Mars/Olympus"]).unwrap_err();
    assert!(zone.to_string().contains("IANA time zone"), "{zone}");
}

/// The commands end to end on a database file: add, set, list, then a token for the owner.
#[tokio::test]
async fn the_account_commands_run_end_to_end_on_a_database_file() {
    let dir = std::env::temp_dir().join(format!("mr-accounts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("accounts.db");
    let _ = std::fs::remove_file(&file);
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let run = |args: &[&str]| {
        let mut argv = vec!["meeting-reports", "--database-url", url.as_str()];
        argv.extend_from_slice(args);
        meeting_reports::cli::run(Cli::parse_from(argv))
    };
    let add = [
        "account",
        "add",
        "--platform-id",
        "CliAcct1",
        "--name",
        "Cli Co",
        "--plan",
        "PRO",
        "--time-zone",
        "Europe/Berlin",
        "--owner-email",
        "owner@cli.example",
        "--webinar-addon",
    ];
    assert_eq!(run(&add).await, ExitCode::SUCCESS);
    assert_eq!(
        run(&add).await,
        ExitCode::FAILURE,
        "a second add is refused"
    );
    let set = [
        "account",
        "set",
        "--platform-id",
        "CliAcct1",
        "--billing-reports",
        "true",
    ];
    assert_eq!(run(&set).await, ExitCode::SUCCESS);
    assert_eq!(run(&["account", "list"]).await, ExitCode::SUCCESS);
    assert_eq!(
        run(&["token", "owner@cli.example"]).await,
        ExitCode::SUCCESS
    );

    let db = meeting_reports::db::connect(&url).await.unwrap();
    let accounts = list_accounts(&db).await.unwrap();
    assert_eq!(accounts.len(), 1);
    assert!(accounts[0].billing_reports && accounts[0].webinar_addon);
    assert_eq!(accounts[0].time_zone, "Europe/Berlin");
    db.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Scripts read a command's stdout (`TOKEN=$(meeting-reports token ..)`): logs, however
/// verbose, go to stderr.
#[tokio::test]
async fn a_token_printed_for_a_script_is_alone_on_stdout_whatever_the_log_level() {
    let dir = std::env::temp_dir().join(format!("mr-token-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("token.db");
    let _ = std::fs::remove_file(&file);
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let db = meeting_reports::db::connect(&url).await.unwrap();
    add_account(&db, &acme(), now()).await.unwrap();
    db.close().await.unwrap();

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_meeting-reports"))
        .args(["--database-url", &url, "token", "jane.doe@acme.example"])
        .env("RUST_LOG", "debug")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "stdout holds the token alone: {stdout}");
    assert_eq!(lines[0].split('.').count(), 3, "a JWT: {stdout}");
    assert!(!out.stderr.is_empty(), "the debug logs went to stderr");
    let _ = std::fs::remove_dir_all(&dir);
}
