//! Per-parent pages that stop at their limit (`reports::per_parent`): each parent's page is the
//! same as its whole list sorted and cut (first pages, pages after a cursor, parents without
//! rows, parents with fewer rows than the page), the count rides on a first page only when
//! asked for, and the parents' keys are one parameter on both databases.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::participant;
use meeting_reports::db::Sql;
use reports::{
    activity::{self, ActivityFilter, ActivityTable},
    cursor::Keyset,
    meetings::{self, MeetingFilter, MeetingKind},
    per_parent, polls, qa,
    registration::{self, RegistrantFilter},
};
use sea_orm::{ColumnTrait, EntityTrait, FromQueryResult, QueryFilter};

use crate::common::{data, fixtures::Fixture, sql_statements, TestApp};

/// Four November meetings of one account: no joins, two joins, nine joins (three pairs at
/// the same join time, so the id breaks ties), and one join; and a meeting of another account.
async fn world(app: &TestApp) -> (i64, Vec<i64>) {
    let f = Fixture::new(&app.db);
    let acc = f.account("Pages", "pages.example", "BUSINESS").await;
    let host = f.user(acc, "admin@pages.example", "ADMIN").await;
    let mut meetings = Vec::new();
    for (i, joins) in [0usize, 2, 9, 1].into_iter().enumerate() {
        let m = f.meeting(acc, host, "MEETING", &format!("M{i}")).await;
        let s = f
            .session(acc, m, &format!("2026-11-0{}T09:00:00Z", i + 2), 60)
            .await;
        for j in 0..joins {
            // Joins arrive out of order, two at each minute.
            let minute = (joins - j) / 2;
            f.join(
                acc,
                m,
                s,
                None,
                &format!("Guest {j}"),
                None,
                &format!("2026-11-0{}T09:{minute:02}:00Z", i + 2),
                &format!("2026-11-0{}T09:50:00Z", i + 2),
            )
            .await;
        }
        meetings.push(m);
    }
    let other = f
        .account("Elsewhere", "elsewhere.example", "BUSINESS")
        .await;
    let other_host = f.user(other, "admin@elsewhere.example", "ADMIN").await;
    let om = f.meeting(other, other_host, "MEETING", "Theirs").await;
    let os = f.session(other, om, "2026-11-03T09:00:00Z", 60).await;
    f.join(
        other,
        om,
        os,
        None,
        "Them",
        None,
        "2026-11-03T09:00:00Z",
        "2026-11-03T09:10:00Z",
    )
    .await;
    (acc, meetings)
}

/// The oracle: every join row of the account's meetings, sorted per meeting by (join time, id).
async fn every_join(app: &TestApp, acc: i64) -> HashMap<i64, Vec<participant::Model>> {
    let mut per_meeting: HashMap<i64, Vec<participant::Model>> = HashMap::new();
    for row in participant::Entity::find()
        .filter(participant::Column::AccountId.eq(acc))
        .all(&app.db)
        .await
        .unwrap()
    {
        per_meeting.entry(row.meeting_id).or_default().push(row);
    }
    for rows in per_meeting.values_mut() {
        rows.sort_by_key(|r| (r.join_time, r.id));
    }
    per_meeting
}

/// Each meeting's page ids and the counts its rows carry.
async fn pages(
    sql: &Sql,
    acc: i64,
    ids: &[i64],
    first: usize,
    after: Option<&Keyset<i64>>,
    count: bool,
) -> (HashMap<i64, Vec<i64>>, HashMap<i64, Option<i64>>) {
    let mut rows_of: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut totals = HashMap::new();
    for r in meetings::participant_pages(sql, acc, ids, first, after, count)
        .await
        .unwrap()
    {
        assert_eq!(r.parent_id, r.row.row.meeting_id);
        rows_of.entry(r.parent_id).or_default().push(r.row.row.id);
        let previous = totals.insert(r.parent_id, r.row.list_total);
        assert!(previous.is_none() || previous == Some(r.row.list_total));
    }
    (rows_of, totals)
}

#[tokio::test]
async fn per_parent_pages_are_each_parents_sorted_list_cut_after_the_cursor() {
    let app = TestApp::new().await;
    let (acc, ms) = world(&app).await;
    let all = every_join(&app, acc).await;
    let sql = Sql::new(app.db.clone());
    let expected = |after: Option<&Keyset<i64>>, first: usize| -> HashMap<i64, Vec<i64>> {
        ms.iter()
            .filter_map(|m| {
                let ids: Vec<i64> = all
                    .get(m)
                    .into_iter()
                    .flatten()
                    .filter(|r| after.is_none_or(|k| (r.join_time, r.id) > (k.time, k.tie)))
                    .take(first + 1)
                    .map(|r| r.id)
                    .collect();
                (!ids.is_empty()).then_some((*m, ids))
            })
            .collect()
    };
    // First pages: the empty meeting has no rows, the short ones all theirs, the long one
    // `first + 1` (the extra row says a next page exists).
    for first in [1, 3, 20] {
        let (got, _) = pages(&sql, acc, &ms, first, None, false).await;
        assert_eq!(got, expected(None, first), "first {first}");
    }
    assert_eq!(
        pages(&sql, acc, &ms, 3, None, false).await.0[&ms[2]].len(),
        4
    );
    // After a cursor inside a tie (the long meeting's fourth row), for every parent at once.
    let fourth = &all[&ms[2]][3];
    let cursor = Keyset {
        time: fourth.join_time,
        tie: fourth.id,
    };
    assert_eq!(
        all[&ms[2]][4].join_time, fourth.join_time,
        "the cursor sits in a tie"
    );
    for first in [1, 3, 20] {
        let (got, totals) = pages(&sql, acc, &ms, first, Some(&cursor), true).await;
        assert_eq!(got, expected(Some(&cursor), first), "first {first}");
        // After a cursor the rows left are not the list: no count rides on them.
        assert!(totals.values().all(Option::is_none), "{totals:?}");
    }
    // Another account's meeting among the keys gives nothing.
    let theirs: Vec<i64> = participant::Entity::find()
        .filter(participant::Column::AccountId.ne(acc))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.meeting_id)
        .collect();
    let (got, _) = pages(&sql, acc, &theirs, 3, None, true).await;
    assert!(got.is_empty(), "{got:?}");
}

#[tokio::test]
async fn a_first_page_counts_its_parents_only_when_asked() {
    let app = TestApp::new().await;
    let (acc, ms) = world(&app).await;
    let sql = Sql::new(app.db.clone());
    let (_, counted) = pages(&sql, acc, &ms, 1, None, true).await;
    assert_eq!(counted.get(&ms[0]), None, "no rows, no count row: 0");
    assert_eq!(counted[&ms[1]], Some(2));
    assert_eq!(counted[&ms[2]], Some(9));
    assert_eq!(counted[&ms[3]], Some(1));
    let (_, uncounted) = pages(&sql, acc, &ms, 1, None, false).await;
    assert!(uncounted.values().all(Option::is_none), "{uncounted:?}");
}

#[tokio::test]
async fn the_parents_keys_are_one_parameter_whatever_their_number() {
    let app = TestApp::new().await;
    let (acc, ms) = world(&app).await;
    let sql = Sql::new(app.db.clone());
    let statement = |parents: &[i64], count: bool| {
        per_parent::page_statement(
            &sql,
            per_parent::ChildRows {
                table: "participant",
                alias: "p",
                parent: "meeting_id",
                parent_table: "meeting",
                account_id: acc,
                columns: "p.*",
                filter: String::new(),
                filter_values: Vec::new(),
                cursor: None,
                order: &["join_time", "id"],
            },
            parents,
            3,
            count,
        )
    };
    let many: Vec<i64> = (1..=500).chain(ms.iter().copied()).collect();
    for count in [false, true] {
        let (one_text, one_values) = statement(&ms[..1], count);
        let (many_text, many_values) = statement(&many, count);
        assert_eq!(one_text, many_text);
        assert_eq!(one_values.len(), many_values.len());
        assert_eq!(
            one_values.len(),
            4,
            "keys, their account, the page's account, the limit"
        );
    }
    // 504 keys bound as one array on this database, the 500 unknown ones giving nothing.
    let (got, totals) = pages(&sql, acc, &many, 3, None, true).await;
    assert_eq!(
        got.keys()
            .copied()
            .collect::<std::collections::BTreeSet<_>>(),
        ms[1..].iter().copied().collect()
    );
    assert_eq!(totals[&ms[2]], Some(9));
}

fn nested(first: usize, total: &str, after: &str) -> String {
    format!(
        r#"{{ meetings(from: "2026-11-01", to: "2026-11-14", first: 10) {{ nodes {{
            topic participants(first: {first}{after}) {{ {total} pageInfo {{ endCursor hasNextPage }} nodes {{ name }} }}
        }} }} }}"#
    )
}

#[tokio::test]
async fn nested_participant_pages_count_when_selected_and_page_alike_either_way() {
    let app = TestApp::new().await;
    world(&app).await;
    let admin = "admin@pages.example";
    let counted = app.query_as(admin, &nested(3, "totalCount", "")).await;
    let uncounted = app.query_as(admin, &nested(3, "", "")).await;
    let totals: Vec<_> = data(&counted)["meetings"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["topic"].clone(), n["participants"]["totalCount"].clone()))
        .collect();
    assert_eq!(
        totals,
        [("M0", 0), ("M1", 2), ("M2", 9), ("M3", 1)]
            .map(|(t, n)| (t.into(), n.into()))
            .to_vec()
    );
    // The same pages with or without the count, which rides on the page's statement: meetings,
    // then participants.
    let strip = |r: &serde_json::Value| {
        let mut nodes = data(r)["meetings"]["nodes"].clone();
        for n in nodes.as_array_mut().unwrap() {
            n["participants"]
                .as_object_mut()
                .unwrap()
                .remove("totalCount");
        }
        nodes
    };
    assert_eq!(strip(&counted), strip(&uncounted));
    assert_eq!(sql_statements(&counted), 2, "{counted:#}");
    assert_eq!(sql_statements(&uncounted), 2, "{uncounted:#}");
    // After a cursor the count is a statement of its own, run only when selected.
    let cursor = data(&counted)["meetings"]["nodes"][2]["participants"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let after = format!(r#", after: "{cursor}""#);
    let later_counted = app.query_as(admin, &nested(3, "totalCount", &after)).await;
    let later = app.query_as(admin, &nested(3, "", &after)).await;
    assert_eq!(
        data(&later_counted)["meetings"]["nodes"][2]["participants"]["totalCount"],
        9
    );
    assert_eq!(
        data(&later)["meetings"]["nodes"][2]["participants"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(sql_statements(&later_counted), 3, "{later_counted:#}");
    assert_eq!(sql_statements(&later), 2, "{later:#}");
}

/// Every nested relation of the graph, over the demo data, under a root page of `first`.
fn every_relation(first: usize) -> String {
    format!(
        r#"{{ meetings(from: "2026-10-20", to: "2026-11-14", first: {first}) {{ totalCount nodes {{
            topic host {{ email }} sessions {{ participantsCount }}
            participants(first: 5) {{ totalCount nodes {{ name }} }}
            attendees(first: 5) {{ totalCount nodes {{ name intervals {{ joinTime }} }} }}
            registrants(first: 5) {{ totalCount nodes {{ email attended }} }}
            absentees(first: 5) {{ totalCount nodes {{ email }} }}
            polls {{ title questions {{ text responses(first: 5) {{ totalCount nodes {{ answer }} }} }} }}
            qa(first: 5) {{ totalCount nodes {{ question answers {{ content }} }} }}
            telephoneLegs {{ callType }} recordings {{ files {{ fileType }} }}
          }} }}
          webinars(from: "2026-10-20", to: "2026-11-14", first: {first}) {{ nodes {{
            topic participants(first: 3) {{ totalCount nodes {{ name }} }}
            registrants(first: 3) {{ totalCount nodes {{ email }} }}
            qa(first: 3) {{ totalCount nodes {{ question answers {{ content }} }} }}
            polls {{ questions {{ responses(first: 3) {{ totalCount nodes {{ answer }} }} }} }}
          }} }}
          users(first: {first}) {{ nodes {{ email
            meetings(from: "2026-10-20", to: "2026-11-14", first: 3) {{ totalCount nodes {{ topic }} }}
            webinars(from: "2026-10-20", to: "2026-11-14", first: 3) {{ totalCount nodes {{ topic }} }}
            operationLogs(from: "2026-10-20", to: "2026-11-14", first: 3) {{ totalCount nodes {{ action }} }}
            signInEvents(from: "2026-10-20", to: "2026-11-14", first: 3) {{ totalCount nodes {{ type }} }}
          }} }} }}"#
    )
}

#[tokio::test]
async fn every_statement_text_is_the_same_for_one_parent_as_for_many() {
    let app = TestApp::with_demo().await;
    let owner = "owner@demo.example";
    let (one, one_texts) = app.query_texts(owner, &every_relation(1)).await;
    let (many, many_texts) = app.query_texts(owner, &every_relation(40)).await;
    assert!(one.get("errors").is_none(), "{one:#}");
    assert!(many.get("errors").is_none(), "{many:#}");
    let parents =
        |r: &serde_json::Value, root: &str| data(r)[root]["nodes"].as_array().unwrap().len();
    assert_eq!(parents(&one, "meetings"), 1);
    assert!(parents(&many, "meetings") > 10, "{many:#}");
    assert!(parents(&many, "users") > 10, "{many:#}");
    // Statements run concurrently at each depth: compare them as sets. A relation that none of
    // the one parent's children has is not loaded at all (no recording, no file list).
    let set = |t: &[String]| t.iter().cloned().collect::<std::collections::BTreeSet<_>>();
    assert_eq!(one_texts.len() as u64, sql_statements(&one));
    assert!(
        set(&one_texts).is_subset(&set(&many_texts)),
        "{one_texts:#?}"
    );
    for table in [
        "FROM recording_file",
        "FROM poll_response",
        "FROM qa_answer",
    ] {
        assert!(many_texts.iter().any(|t| t.contains(table)), "{table}");
    }
    // No statement lists its keys one placeholder each.
    for text in &many_texts {
        assert!(!text.contains("?, ?"), "{text}");
    }
}

/// The pages of relation `name` for `parents`, as [`Got`] rows.
#[allow(clippy::too_many_arguments)]
async fn relation_pages(
    sql: &Sql,
    acc: i64,
    range: &ActivityFilter,
    name: &str,
    parents: &[i64],
    first: usize,
    after: Option<&Keyset<i64>>,
    count: bool,
) -> Vec<Got> {
    match name {
        "qa" => qa::question_pages(sql, acc, parents, first, after, count)
            .await
            .unwrap()
            .into_iter()
            .map(|r| {
                (
                    r.parent_id,
                    r.row.row.id,
                    r.row.row.asked_at,
                    r.row.list_total,
                )
            })
            .collect(),
        "registrants" | "approved" => {
            let filter = match name {
                "approved" => RegistrantFilter::Status(Some("APPROVED")),
                _ => RegistrantFilter::Status(None),
            };
            registration::registrant_pages(sql, acc, parents, filter, first, after, count)
                .await
                .unwrap()
                .into_iter()
                .map(|r| (r.row.parent_id, r.row.id, r.row.registered_at, r.list_total))
                .collect()
        }
        "answers" => polls::response_pages(sql, acc, parents, first, after, count)
            .await
            .unwrap()
            .into_iter()
            .map(|r| {
                (
                    r.parent_id,
                    r.row.row.id,
                    r.row.row.answered_at,
                    r.row.list_total,
                )
            })
            .collect(),
        "logs" => activity::activity_pages_of_users::<entity::operation_log::Model>(
            sql,
            ActivityTable::OperationLog,
            range,
            parents,
            first,
            after,
        )
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.parent_id, r.row.id, r.row.occurred_at, None))
        .collect(),
        "host-meetings" => {
            meetings::meetings_of_hosts(sql, &all_meetings(acc), parents, first, after)
                .await
                .unwrap()
                .into_iter()
                .map(|r| (r.parent_id, r.row.row.id, r.row.sort_time, None))
                .collect()
        }
        _ => activity::activity_pages_of_users::<entity::sign_in_event::Model>(
            sql,
            ActivityTable::SignInEvent,
            range,
            parents,
            first,
            after,
        )
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.parent_id, r.row.id, r.row.occurred_at, None))
        .collect(),
    }
}

/// The account's meetings with a session in a range wider than the demo (the reports' own
/// range rules are not under test here).
fn all_meetings(acc: i64) -> MeetingFilter {
    MeetingFilter {
        account_id: acc,
        kind: MeetingKind::Meeting,
        host_id: None,
        start: "2000-01-01T00:00:00Z".parse().unwrap(),
        end: "2100-01-01T00:00:00Z".parse().unwrap(),
        search: None,
    }
}

/// One child row as a page gives it: its parent, id, sort time and the count it carries.
type Got = (i64, i64, DateTime<Utc>, Option<i64>);

#[derive(Debug, FromQueryResult)]
struct Child {
    parent_id: i64,
    id: i64,
    t: DateTime<Utc>,
}

/// Every other relation paged per parent, each checked against its whole list sorted and cut,
/// on the demo data: Q&A (by time asked), registrants (by registration, with a status filter
/// whose count is the filtered list's), poll answers (by answer time) and a user's operation
/// logs and sign-ins (newest first).
#[tokio::test]
async fn every_per_parent_relation_pages_like_its_sorted_list() {
    let app = TestApp::with_demo().await;
    let sql = Sql::new(app.db.clone());
    let (_, acc) = app.user("owner@demo.example").await;
    let oracle = |q: &'static str| {
        let sql = sql.clone();
        async move {
            let rows: Vec<Child> = sql.all(q, vec![acc.into()]).await.unwrap();
            let mut per: HashMap<i64, Vec<(DateTime<Utc>, i64)>> = HashMap::new();
            for r in rows {
                per.entry(r.parent_id).or_default().push((r.t, r.id));
            }
            per
        }
    };
    let range = ActivityFilter {
        account_id: acc,
        start: "2000-01-01T00:00:00Z".parse().unwrap(),
        end: "2100-01-01T00:00:00Z".parse().unwrap(),
        kind: None,
        search: None,
    };
    let relations: [(&str, &'static str, bool); 7] = [
        (
            "host-meetings",
            "SELECT m.host_id AS parent_id, m.id, MIN(s.start_time) AS t FROM meeting m \
             JOIN meeting_session s ON s.meeting_id = m.id WHERE m.account_id = ? AND m.kind = 'MEETING' \
             GROUP BY m.host_id, m.id",
            false,
        ),
        ("qa", "SELECT meeting_id AS parent_id, id, asked_at AS t FROM qa_question WHERE account_id = ?", false),
        ("registrants", "SELECT meeting_id AS parent_id, id, registered_at AS t FROM registrant WHERE account_id = ?", false),
        ("approved", "SELECT meeting_id AS parent_id, id, registered_at AS t FROM registrant WHERE account_id = ? AND status = 'APPROVED'", false),
        ("answers", "SELECT question_id AS parent_id, id, answered_at AS t FROM poll_response WHERE account_id = ?", false),
        ("logs", "SELECT operator_id AS parent_id, id, occurred_at AS t FROM operation_log WHERE account_id = ? AND operator_id IS NOT NULL", true),
        ("sign-ins", "SELECT user_id AS parent_id, id, occurred_at AS t FROM sign_in_event WHERE account_id = ? AND user_id IS NOT NULL", true),
    ];
    for (name, q, newest_first) in relations {
        let mut all = oracle(q).await;
        for rows in all.values_mut() {
            rows.sort();
            if newest_first {
                rows.reverse();
            }
        }
        // Every parent with rows, the one with the most first, and a key with none.
        let mut parents: Vec<i64> = all.keys().copied().collect();
        parents.sort_by_key(|p| std::cmp::Reverse(all[p].len()));
        assert!(
            parents.len() > 1 && all[&parents[0]].len() > 3,
            "{name}: demo too small"
        );
        parents.push(-1);
        let page = |first: usize, after: Option<Keyset<i64>>, count: bool| {
            let (sql, parents, range) = (sql.clone(), parents.clone(), range.clone());
            async move {
                relation_pages(
                    &sql,
                    acc,
                    &range,
                    name,
                    &parents,
                    first,
                    after.as_ref(),
                    count,
                )
                .await
            }
        };
        let expected =
            |first: usize, after: Option<&Keyset<i64>>| -> Vec<(i64, i64, DateTime<Utc>)> {
                let mut keys: Vec<i64> = all.keys().copied().collect();
                keys.sort();
                keys.into_iter()
                    .flat_map(|p| {
                        all[&p]
                            .iter()
                            .filter(move |(t, id)| {
                                after.is_none_or(|k| {
                                    if newest_first {
                                        (*t, *id) < (k.time, k.tie)
                                    } else {
                                        (*t, *id) > (k.time, k.tie)
                                    }
                                })
                            })
                            .take(first + 1)
                            .map(move |(t, id)| (p, *id, *t))
                    })
                    .collect()
            };
        let strip = |g: &[Got]| {
            g.iter()
                .map(|(p, id, t, _)| (*p, *id, *t))
                .collect::<Vec<_>>()
        };
        for first in [1, 2, 50] {
            let got = page(first, None, false).await;
            assert_eq!(strip(&got), expected(first, None), "{name}: first {first}");
            assert!(got.iter().all(|g| g.3.is_none()), "{name}: counted unasked");
            // After the busiest parent's second row, for every parent at once.
            let (time, tie) = all[&parents[0]][1];
            let cursor = Keyset { time, tie };
            let got = page(first, Some(cursor.clone()), true).await;
            assert_eq!(
                strip(&got),
                expected(first, Some(&cursor)),
                "{name}: after, first {first}"
            );
            assert!(
                got.iter().all(|g| g.3.is_none()),
                "{name}: counted after a cursor"
            );
        }
        if name == "host-meetings" {
            let filter = all_meetings(acc);
            let counts = meetings::meeting_counts_of_hosts(&sql, &filter, &parents)
                .await
                .unwrap();
            assert_eq!(counts.len(), parents.len(), "a count for every host");
            for c in counts {
                let n = all.get(&c.parent_id).map_or(0, Vec::len);
                assert_eq!(c.n, n as i64, "{name}: count of {}", c.parent_id);
            }
        } else if !newest_first {
            // Counted first pages: each parent's whole (filtered) list size on every row.
            for (p, _, _, total) in page(1, None, true).await {
                assert_eq!(total, Some(all[&p].len() as i64), "{name}: count of {p}");
            }
        }
    }
}
