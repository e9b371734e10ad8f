//! The shared world of the Upcoming events and Remote support reports: one account's scheduled,
//! recurring, deleted and past meetings, and remote support given in the past one.

use super::{
    fixtures::{exec, Fixture},
    TestApp,
};

/// Acme (BUSINESS), as of the tests' 15 Nov: Alice hosts "Planning" (SCHEDULED, 20 Nov), the
/// "Launch webinar" (18 Nov), "Open office" (RECURRING_NO_FIXED_TIME), "Next year" (20 Dec, past
/// the range), "Cancelled" (19 Nov, deleted) and "Helpdesk" (SCHEDULED without a start, past);
/// Bob hosts "Bob's review" (RECURRING_FIXED, 21 Nov). Bob gave remote support in Helpdesk on
/// 3 Nov (60 s wait, 600 s), 4 Nov (30 s, 1800 s) and 2 Oct (out of November's range).
///
/// Returns the account, Alice and Helpdesk.
pub async fn events_world(app: &TestApp) -> (i64, i64, i64) {
    let f = Fixture::new(&app.db);
    let acc = f.account("Acme", "acme.example", "BUSINESS").await;
    f.user(acc, "owner@acme.example", "OWNER").await;
    let alice = f.user(acc, "alice@acme.example", "MEMBER").await;
    let bob = f.user(acc, "bob@acme.example", "MEMBER").await;
    let mut ids = Vec::new();
    for (topic, kind, host) in [
        ("Planning", "MEETING", alice),
        ("Launch webinar", "WEBINAR", alice),
        ("Open office", "MEETING", alice),
        ("Next year", "MEETING", alice),
        ("Cancelled", "MEETING", alice),
        ("Bob's review", "MEETING", bob),
    ] {
        ids.push(f.meeting(acc, host, kind, topic).await);
    }
    let set = |id: i64, kind: &str, start: Option<&str>, deleted: bool| {
        format!(
            "UPDATE meeting SET meeting_type = '{kind}', scheduled_start = {}, deleted_at = {} WHERE id = {id}",
            start.map_or("NULL".to_owned(), |s| format!("'{s}'")),
            if deleted { "'2026-11-10T00:00:00+00:00'" } else { "NULL" }
        )
    };
    exec(
        &app.db,
        &[
            set(
                ids[0],
                "SCHEDULED",
                Some("2026-11-20T10:00:00+00:00"),
                false,
            ),
            set(
                ids[1],
                "SCHEDULED",
                Some("2026-11-18T15:00:00+00:00"),
                false,
            ),
            set(ids[2], "RECURRING_NO_FIXED_TIME", None, false),
            set(
                ids[3],
                "SCHEDULED",
                Some("2026-12-20T10:00:00+00:00"),
                false,
            ),
            set(ids[4], "SCHEDULED", Some("2026-11-19T10:00:00+00:00"), true),
            set(
                ids[5],
                "RECURRING_FIXED",
                Some("2026-11-21T08:00:00+00:00"),
                false,
            ),
        ],
    )
    .await;
    // Remote support in Alice's past meeting.
    let past = f.meeting(acc, alice, "MEETING", "Helpdesk").await;
    f.session(acc, past, "2026-11-03T10:00:00Z", 60).await;
    let rows = [
        (
            1,
            "2026-11-03T10:00:00+00:00",
            "2026-11-03T10:01:00+00:00",
            "2026-11-03T10:11:00+00:00",
        ),
        (
            2,
            "2026-11-04T09:00:00+00:00",
            "2026-11-04T09:00:30+00:00",
            "2026-11-04T09:30:30+00:00",
        ),
        (
            3,
            "2026-10-02T09:00:00+00:00",
            "2026-10-02T09:01:00+00:00",
            "2026-10-02T09:02:00+00:00",
        ),
    ];
    exec(
        &app.db,
        &rows
            .iter()
            .map(|(n, req, start, end)| {
                format!(
                    "INSERT INTO remote_support_session (account_id, source_id, meeting_id, supporter_id, supportee_name, supportee_email, requested_at, started_at, ended_at) \
                     VALUES ({acc}, 'rs{n}', {past}, {bob}, 'Client {n}', NULL, '{req}', '{start}', '{end}')"
                )
            })
            .collect::<Vec<_>>(),
    )
    .await;
    (acc, alice, past)
}
