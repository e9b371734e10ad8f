//! `export-events` → `import` into an empty database: every report of the account is the same.
//! The demo's Demo Corp (a year of meetings, webinars, registrations, recordings, sign-ins) is
//! exported, its account added to a fresh database with the same platform id and settings, the
//! file imported, and the reports of both compared month by month as the owner.

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
    performance {{ registrants approvedRegistrants attendedRegistrants uniqueAttendees attendanceRate absentees peakConcurrent totalMinutes averageMinutesPerAttendee }} }} }} }}"#),
            ]
        })
        .collect()
}

async fn reports(app: &TestApp) -> Vec<Value> {
    let mut out = Vec::new();
    for q in month_queries() {
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

    let (before, after) = (reports(&source).await, reports(&target).await);
    assert!(
        before
            .iter()
            .any(|m| m["meetings"]["totalCount"].as_i64() > Some(50)),
        "the compared months hold data"
    );
    for (month, (b, a)) in before.iter().zip(&after).enumerate() {
        for key in b.as_object().expect("an object").keys() {
            assert_eq!(a[key], b[key], "query {month}: {key}");
        }
    }

    // Exported again, the imported account gives the same events: nothing was lost or added.
    let mut again = Vec::new();
    let rewritten = export_events(&target.db, "demo-corp", &mut again)
        .await
        .expect("exports");
    assert_eq!(rewritten.events, written.events);
}
