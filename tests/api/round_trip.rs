//! `export-events` → `import` into an empty database: every report of the account is the same.
//! The demo's Demo Corp (a year of meetings, webinars, registrations, recordings, sign-ins,
//! polls, Q&A, phone legs, phone-system calls, remote support, invoices, operation logs and
//! daily storage: every report) is exported, its account added to a fresh database with the
//! same platform id and settings, the file imported, and the reports of both compared month by
//! month as the owner. Exported again, the imported account gives the same file.

use chrono::{Datelike, Months, NaiveDate};
use entity::{account, app_user};
use meeting_reports::{
    auth::Plan,
    ingest::{
        accounts::{add_account, NewAccount},
        export::export_events,
        import::import,
    },
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;

use crate::common::{data, now, TestApp};

const OWNER: &str = "owner@demo.example";

/// A meeting's or webinar's polls, Q&A and phone legs (our own event types).
const INSIDE: &str = "topic
    polls { title anonymous launchedAt questions { text type
        responses(first: 30) { totalCount nodes { respondentName respondentEmail answer answeredAt } } } }
    qa(first: 30) { totalCount nodes { askerName askerEmail anonymous question askedAt status
        answers { answererName content answeredAt kind } } }
    telephoneLegs { participantName participantEmail callType callerNumber calledNumber country
        startTime endTime durationSeconds minutes rate totalCost currency }";

fn month_queries() -> Vec<String> {
    let today = now().date_naive();
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).expect("a date");
    (0..12)
        .flat_map(|back| {
            let from = first - Months::new(back);
            let to = (from + Months::new(1)).pred_opt().expect("a date").min(today);
            [
                format!("{{ dailyUsage(year: {y}, month: {m}) {{ timeZone days {{ date newUsers meetings participants meetingMinutes }} totals {{ newUsers meetings participants meetingMinutes }} }} }}", y = from.year(), m = from.month()),
                format!(r#"{{ activeHosts(from: "{from}", to: "{to}", sortBy: MEETING_MINUTES, first: 300) {{ totalCount totals {{ meetings participants meetingMinutes }} nodes {{ host {{ email }} meetings participants meetingMinutes }} }}
                  inactiveHosts(from: "{from}", to: "{to}", first: 300) {{ totalCount nodes {{ email name createdAt }} }} }}"#),
                format!(r#"{{ signInActivity(from: "{from}", to: "{to}", first: 300) {{ totalCount nodes {{ time type user {{ email }} ipAddress clientType version }} }} }}"#),
                format!(r#"{{ meetings(from: "{from}", to: "{to}", first: 200) {{ totalCount nodes {{
    meetingNumber topic type scheduledStart plannedDurationMinutes registrationRequired createdAt host {{ email }}
    sessions {{ uuid startTime endTime inProgress durationMinutes participantsCount meetingMinutes }}
    recordings {{ startTime endTime durationSeconds totalSizeBytes files {{ fileType sizeBytes recordingStart recordingEnd }} }}
    registrants(first: 50) {{ totalCount nodes {{ email firstName lastName status registeredAt customAnswers {{ question answer }} attended }} }} }} }} }}"#),
                format!(r#"{{ meetings(from: "{from}", to: "{to}", first: 200) {{ nodes {{
    participants(first: 50) {{ totalCount nodes {{ name email joinTime leaveTime durationSeconds role joinMethod device ipAddress location }} }} }} }} }}"#),
                format!(r#"{{ meetings(from: "{from}", to: "{to}", first: 200) {{ nodes {{
    attendees(first: 50) {{ totalCount nodes {{ name email firstJoinTime lastLeaveTime totalSeconds rejoinCount role intervals {{ joinTime leaveTime }} }} }} }} }} }}"#),
                format!(r#"{{ webinars(from: "{from}", to: "{to}", first: 50) {{ totalCount nodes {{
    meetingNumber topic type registrationRequired host {{ email }}
    sessions {{ uuid startTime endTime participantsCount meetingMinutes }}
    registrants(first: 50) {{ totalCount nodes {{ email firstName lastName status registeredAt customAnswers {{ question answer }} attended attendee {{ name totalSeconds }} }} }}
    absentees(first: 50) {{ totalCount nodes {{ email }} }}
    attendees(first: 50) {{ totalCount nodes {{ name firstJoinTime lastLeaveTime totalSeconds rejoinCount role }} }}
    performance {{ registrants approvedRegistrants attendedRegistrants uniqueAttendees attendanceRate absentees peakConcurrent totalMinutes averageMinutesPerAttendee
        questionsAsked questionsAnswered pollsLaunched pollRespondents pollParticipationRate }} }} }} }}"#),
                // What our own event types carry: polls, Q&A and phone legs of every meeting and
                // webinar, and the account-wide reports.
                format!(r#"{{ meetings(from: "{from}", to: "{to}", first: 200) {{ nodes {{ {INSIDE} }} }} }}"#),
                format!(r#"{{ webinars(from: "{from}", to: "{to}", first: 50) {{ nodes {{ {INSIDE} }} }} }}"#),
                format!(r#"{{ telephoneUsage(from: "{from}", to: "{to}", first: 300) {{ totalCount
    totals {{ calls durationSeconds minutes totalCost currency costByCurrency {{ currency calls amount }} }}
    nodes {{ meeting {{ ... on Meeting {{ topic }} ... on Webinar {{ topic }} }} participantName participantEmail callType callerNumber calledNumber country startTime endTime durationSeconds minutes rate totalCost currency }} }}
  phoneSystemUsage(from: "{from}", to: "{to}", first: 300) {{ available phonePlan totalCount
    totals {{ calls answered durationSeconds minutes totalCharge currency chargeByCurrency {{ currency calls amount }} }}
    nodes {{ direction callerNumber callerName calleeNumber calleeName user {{ email }} startTime endTime durationSeconds minutes result charge currency }} }}
}}"#),
                format!(r#"{{ remoteSupportSessions(from: "{from}", to: "{to}", first: 300) {{ totalCount nodes {{
    meeting {{ ... on Meeting {{ topic }} ... on Webinar {{ topic }} }} supporter {{ email }} supporteeName supporteeEmail requestedAt waitSeconds startedAt endedAt durationSeconds }} }}
  operationLogs(from: "{from}", to: "{to}", first: 300) {{ totalCount nodes {{ time operator {{ email }} operatorEmail category action detail }} }}
  billingReport(from: "{from}", to: "{to}") {{
    invoices {{ invoiceNumber periodStart currency amount tax total lines {{ department licenses amount }} }}
    departments {{ department currency licenses amount tax total }} totals {{ currency invoices amount tax total }} }}
  cloudRecordingUsage(from: "{from}", to: "{to}") {{ allowanceBytes
    days {{ date usageBytes allowanceBytes freeBytes overAllowance }}
    storage {{ daysReported peakUsageBytes daysOverAllowance latestDay latestUsageBytes }}
    recordings(first: 300) {{ totalCount }} }} }}"#),
            ]
        })
        .collect()
}

/// Meetings and webinars scheduled in the coming month, which have no occurrence yet (their
/// polls come as definitions for the meeting).
fn upcoming_query() -> String {
    let today = now().date_naive();
    let to = (today + Months::new(1)).pred_opt().expect("a date");
    let fields = "meetingNumber topic type scheduledStart plannedDurationMinutes registrationRequired host { email }
        sessions { uuid } registrants(first: 50) { totalCount nodes { email status } }
        polls { title anonymous launchedAt questions { text type responses(first: 10) { totalCount } } }";
    format!(
        r#"{{ upcomingEvents(from: "{today}", to: "{to}", includeNoFixedTime: true, first: 300) {{ totalCount
        nodes {{ __typename ... on Meeting {{ {fields} }} ... on Webinar {{ {fields} }} }} }} }}"#
    )
}

async fn reports(app: &TestApp) -> Vec<Value> {
    let mut out = Vec::new();
    for q in month_queries().into_iter().chain([upcoming_query()]) {
        out.push(data(&app.query_as(OWNER, &q).await).clone());
    }
    out
}

#[tokio::test]
async fn an_exported_account_imported_into_an_empty_database_gives_the_same_reports() {
    let source = TestApp::with_demo().await;
    let mut file = Vec::new();
    let written = export_events(&source.db, "demo-corp", &mut file)
        .await
        .expect("exports");
    assert!(written.events > 10_000, "{written:?}");

    // The account is added there with the same platform id and settings.
    let original = account::Entity::find()
        .filter(account::Column::PlatformId.eq("demo-corp"))
        .one(&source.db)
        .await
        .expect("read")
        .expect("demo-corp");
    let owner = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(OWNER))
        .one(&source.db)
        .await
        .expect("read")
        .expect("owner");
    let target = TestApp::new().await;
    let added = add_account(
        &target.db,
        &NewAccount {
            platform_id: "demo-corp".into(),
            name: original.name.clone(),
            plan: match original.plan.as_str() {
                "BASIC" => Plan::Basic,
                "PRO" => Plan::Pro,
                "BUSINESS" => Plan::Business,
                _ => Plan::Enterprise,
            },
            time_zone: original.time_zone.parse().expect("a zone"),
            owner_email: OWNER.into(),
            owner_name: Some((owner.first_name.clone(), owner.last_name.clone())),
            billing_reports: original.billing_reports_enabled,
            webinar_addon: original.webinar_addon,
        },
        now(),
    )
    .await
    .expect("account is added");
    // What `account add` does not set (the phone plan, the storage allowance) is copied.
    let mut settings: account::ActiveModel = account::Entity::find_by_id(added.id)
        .one(&target.db)
        .await
        .expect("read")
        .expect("added")
        .into();
    settings.phone_plan = Set(original.phone_plan.clone());
    settings.cloud_storage_allowance_bytes = Set(original.cloud_storage_allowance_bytes);
    settings.update(&target.db).await.expect("updates");

    let summary = import(&target.db, file.as_slice(), now(), |_, _| {})
        .await
        .expect("imports");
    assert_eq!(summary.applied, written.events, "{summary:?}");
    assert_eq!(summary.failed, 0, "{summary:?}");
    assert!(summary.bad_lines.is_empty(), "{summary:?}");
    // Every batch's joins were applied as a set (none fell back to one by one).
    assert_eq!(summary.joins_one_by_one, 0, "{summary:?}");
    crate::common::assert_aggregates_exact(&target.db, "an import").await;

    let (before, after) = (reports(&source).await, reports(&target).await);
    assert_every_report_holds_data(&before);
    for (month, (b, a)) in before.iter().zip(&after).enumerate() {
        for key in b.as_object().expect("an object").keys() {
            assert_eq!(a[key], b[key], "query {month}: {key}");
        }
    }

    // Exported again, the imported account gives the same events: nothing was lost, added or
    // changed on the way (the ids are the platform's, so the lines are the same).
    let mut again = Vec::new();
    let rewritten = export_events(&target.db, "demo-corp", &mut again)
        .await
        .expect("exports");
    assert_eq!(rewritten.events, written.events);
    let lines = |bytes: &[u8]| -> Vec<String> {
        let mut lines: Vec<String> = String::from_utf8_lossy(bytes)
            .lines()
            .map(str::to_owned)
            .collect();
        lines.sort();
        lines
    };
    let (first, second) = (lines(&file), lines(&again));
    let differing: Vec<(&String, &String)> = first
        .iter()
        .zip(&second)
        .filter(|(a, b)| a != b)
        .take(3)
        .collect();
    assert!(
        differing.is_empty(),
        "first differing lines: {differing:#?}"
    );
}

/// Every report the queries compare holds data in the demo, so an export that lost a kind of
/// object could not pass unseen.
fn assert_every_report_holds_data(reports: &[Value]) {
    let any = |pick: &dyn Fn(&Value) -> bool| reports.iter().any(pick);
    let count = |v: &Value| v.as_i64().unwrap_or(0);
    let nodes_with = |v: &Value, f: &dyn Fn(&Value) -> bool| {
        v["nodes"].as_array().is_some_and(|n| n.iter().any(f))
    };
    for (what, held) in [
        (
            "meetings",
            any(&|r| count(&r["meetings"]["totalCount"]) > 50),
        ),
        (
            "participants",
            any(&|r| {
                nodes_with(&r["meetings"], &|m| {
                    count(&m["participants"]["totalCount"]) > 0
                })
            }),
        ),
        (
            "registrants",
            any(&|r| {
                nodes_with(&r["webinars"], &|m| {
                    count(&m["registrants"]["totalCount"]) > 0
                })
            }),
        ),
        (
            "recordings",
            any(&|r| {
                nodes_with(&r["meetings"], &|m| {
                    m["recordings"].as_array().is_some_and(|a| !a.is_empty())
                })
            }),
        ),
        (
            "polls",
            any(&|r| {
                nodes_with(&r["webinars"], &|m| {
                    m["polls"].as_array().is_some_and(|a| !a.is_empty())
                })
            }),
        ),
        (
            "Q&A",
            any(&|r| nodes_with(&r["webinars"], &|m| count(&m["qa"]["totalCount"]) > 0)),
        ),
        (
            "phone legs",
            any(&|r| count(&r["telephoneUsage"]["totalCount"]) > 0),
        ),
        (
            "phone-system calls",
            any(&|r| count(&r["phoneSystemUsage"]["totalCount"]) > 0),
        ),
        (
            "remote support",
            any(&|r| count(&r["remoteSupportSessions"]["totalCount"]) > 0),
        ),
        (
            "operation logs",
            any(&|r| count(&r["operationLogs"]["totalCount"]) > 0),
        ),
        (
            "sign-ins",
            any(&|r| count(&r["signInActivity"]["totalCount"]) > 0),
        ),
        (
            "invoices",
            any(&|r| {
                r["billingReport"]["invoices"]
                    .as_array()
                    .is_some_and(|a| !a.is_empty())
            }),
        ),
        (
            "storage days",
            any(&|r| count(&r["cloudRecordingUsage"]["storage"]["daysReported"]) > 0),
        ),
        (
            "polls of upcoming webinars",
            any(&|r| {
                nodes_with(&r["upcomingEvents"], &|m| {
                    m["polls"].as_array().is_some_and(|a| !a.is_empty())
                })
            }),
        ),
    ] {
        assert!(held, "the demo's compared months hold no {what}");
    }
}
