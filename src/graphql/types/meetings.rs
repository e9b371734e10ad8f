//! Meetings (kind MEETING), and the fields they share with webinars.

use async_graphql::{Context, Enum, Object, Result, ID};
use chrono::{DateTime, Utc};

use crate::graphql::{
    connection::{connection_cost, Connection, ConnectionKind, Edge, ListTotal},
    context::{keyset_page, request},
    error::ApiResult,
    loaders::{
        AttendeePageKey, ParticipantPageKey, PerformanceOf, PollsOf, QuestionPageKey, RecordingsOf,
        RegistrantPageKey, SessionsOf, Siblings, TelephoneLegsOf, UserId,
    },
    scalars::{encode_cursor, CursorKind, Keyset},
    types::{
        attendee::{Attendee, AttendeeConnection, AttendeeEdge, AttendeeTotal},
        cloud_recording::{CloudRecording, RecordingFile},
        participant::{Participant, ParticipantConnection, ParticipantEdge, ParticipantTotal},
        performance::WebinarPerformance,
        polls::Poll,
        qa::{QaQuestion, QaQuestionConnection, QaQuestionEdge, QaQuestionTotal},
        registration::{
            Registrant, RegistrantConnection, RegistrantEdge, RegistrantStatus, RegistrantTotal,
        },
        session::MeetingSession,
        telephone::TelephoneLeg,
        users::{HostedTotal, User},
    },
};
use reports::{
    meetings::{meetings_count, MeetingFilter},
    registration::RegistrantFilter,
};

/// How a meeting is scheduled.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum MeetingType {
    /// Started at once, never scheduled.
    Instant,
    /// Scheduled once.
    Scheduled,
    /// Recurring at fixed times.
    RecurringFixed,
    /// Recurring with no fixed time: it can start any time.
    RecurringNoFixedTime,
}

impl MeetingType {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "INSTANT" => MeetingType::Instant,
            "SCHEDULED" => MeetingType::Scheduled,
            "RECURRING_FIXED" => MeetingType::RecurringFixed,
            "RECURRING_NO_FIXED_TIME" => MeetingType::RecurringNoFixedTime,
            _ => return None,
        })
    }
}

/// What a meeting's relations are loaded by: its id and its host.
#[derive(Debug, Clone, Copy)]
pub struct MeetingRef {
    pub id: i64,
    pub host_id: i64,
}

/// The fields meetings and webinars share; `Meeting` and `Webinar` wrap it and delegate to it.
#[derive(Clone)]
pub struct MeetingCore {
    pub row: entity::meeting::Model,
    /// The meetings it was loaded with: its relations load for all of them at once.
    pub siblings: Siblings<MeetingRef>,
}

impl MeetingCore {
    /// One page of the meeting's registrants under `filter` (registrants, absentees).
    pub async fn registrant_page(
        &self,
        ctx: &Context<'_>,
        filter: RegistrantFilter,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<RegistrantConnection> {
        let rc = request(ctx)?;
        let (first, after) = keyset_page::<i64>(first, after, CursorKind::Registrant)?;
        let has_previous_page = after.is_some();
        let key = RegistrantPageKey {
            meeting_id: self.row.id,
            filter,
            first,
            after,
            with_total: ctx.look_ahead().field("totalCount").exists(),
        };
        // Every sibling's page key: the group the registrants of all these pages share.
        let pages = self.siblings.derived(&key, |all| {
            all.iter()
                .map(|m| RegistrantPageKey {
                    meeting_id: m.id,
                    ..key.clone()
                })
                .collect()
        });
        let page = pages
            .load(&rc.loader, key, |keys| keys.to_vec())
            .await?
            .unwrap_or_default();
        let cursors: Vec<String> = page
            .rows
            .iter()
            .map(|r| {
                encode_cursor(
                    CursorKind::Registrant,
                    &Keyset {
                        time: r.registered_at,
                        tie: r.id,
                    },
                )
            })
            .collect();
        Ok(RegistrantConnection {
            edges: cursors
                .into_iter()
                .zip(Registrant::in_group(page.rows, &pages))
                .map(|(cursor, node)| RegistrantEdge { cursor, node })
                .collect(),
            has_next_page: page.has_next_page,
            has_previous_page,
            total: RegistrantTotal {
                meeting_id: self.row.id,
                filter,
                siblings: self.siblings.clone(),
                known: page.total,
            },
        })
    }

    /// Meetings loaded together (a page, a batch), as one sibling group.
    pub fn group(rows: Vec<entity::meeting::Model>) -> Vec<MeetingCore> {
        let siblings = Siblings::new(
            rows.iter()
                .map(|m| MeetingRef {
                    id: m.id,
                    host_id: m.host_id,
                })
                .collect(),
        );
        rows.into_iter()
            .map(|row| MeetingCore {
                row,
                siblings: siblings.clone(),
            })
            .collect()
    }
}

/// The bodies of the fields meetings and webinars share; their `#[Object]` impls below
/// delegate to them, and carry the docs that make the SDL.
impl MeetingCore {
    pub fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    pub fn meeting_number(&self) -> String {
        self.row.meeting_number.to_string()
    }

    pub fn topic(&self) -> &str {
        &self.row.topic
    }

    pub fn meeting_type(&self) -> Option<MeetingType> {
        MeetingType::parse(&self.row.meeting_type)
    }

    pub fn scheduled_start(&self) -> Option<DateTime<Utc>> {
        self.row.scheduled_start
    }

    pub fn planned_duration_minutes(&self) -> Option<i32> {
        self.row.planned_duration_minutes
    }

    pub fn registration_required(&self) -> bool {
        self.row.registration_required
    }

    pub fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    pub async fn host(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let rc = request(ctx)?;
        let key = UserId(self.row.host_id);
        let hosts = self.siblings.derived(&key, |all| {
            let mut ids: Vec<i64> = all.iter().map(|m| m.host_id).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        });
        Ok(self
            .siblings
            .load(&rc.loader, key, |all| {
                all.iter().map(|m| UserId(m.host_id)).collect()
            })
            .await?
            .map(|row| User {
                row,
                siblings: hosts,
            }))
    }

    pub async fn sessions(&self, ctx: &Context<'_>) -> Result<Vec<MeetingSession>> {
        let rc = request(ctx)?;
        let rows = self
            .siblings
            .load(&rc.loader, SessionsOf(self.row.id), |all| {
                all.iter().map(|m| SessionsOf(m.id)).collect()
            })
            .await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(MeetingSession)
            .collect())
    }

    pub async fn participants(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<ParticipantConnection> {
        let rc = request(ctx)?;
        let (first, after) = keyset_page::<i64>(first, after, CursorKind::Participant)?;
        let has_previous_page = after.is_some();
        let key = ParticipantPageKey {
            meeting_id: self.row.id,
            first,
            after,
            with_total: ctx.look_ahead().field("totalCount").exists(),
        };
        let page = self
            .siblings
            .load(&rc.loader, key.clone(), |all| {
                all.iter()
                    .map(|m| ParticipantPageKey {
                        meeting_id: m.id,
                        ..key.clone()
                    })
                    .collect()
            })
            .await?
            .unwrap_or_default();
        let edges = page
            .rows
            .into_iter()
            .map(|row| ParticipantEdge {
                cursor: encode_cursor(
                    CursorKind::Participant,
                    &Keyset {
                        time: row.join_time,
                        tie: row.id,
                    },
                ),
                node: Participant {
                    row,
                    host_id: self.row.host_id,
                },
            })
            .collect();
        Ok(ParticipantConnection {
            edges,
            has_next_page: page.has_next_page,
            has_previous_page,
            total: ParticipantTotal {
                meeting_id: self.row.id,
                siblings: self.siblings.clone(),
                known: page.total,
            },
        })
    }

    pub async fn attendees(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<AttendeeConnection> {
        let rc = request(ctx)?;
        let (first, after) = keyset_page::<String>(first, after, CursorKind::Attendee)?;
        let has_previous_page = after.is_some();
        let key = AttendeePageKey {
            meeting_id: self.row.id,
            first,
            after,
            intervals: crate::graphql::connection::nodes_select(ctx, "intervals"),
        };
        let page = self
            .siblings
            .load(&rc.loader, key.clone(), |all| {
                all.iter()
                    .map(|m| AttendeePageKey {
                        meeting_id: m.id,
                        ..key.clone()
                    })
                    .collect()
            })
            .await?
            .unwrap_or_default();
        let mut edges = Vec::with_capacity(page.attendees.len());
        for merged in page.attendees {
            let attendee = Attendee::try_from(merged)?;
            edges.push(AttendeeEdge {
                cursor: encode_cursor(CursorKind::Attendee, &attendee.keyset()),
                node: attendee,
            });
        }
        Ok(AttendeeConnection {
            edges,
            has_next_page: page.has_next_page,
            has_previous_page,
            total: AttendeeTotal {
                meeting_id: self.row.id,
                siblings: self.siblings.clone(),
                known: page.total,
            },
        })
    }

    pub async fn registrants(
        &self,
        ctx: &Context<'_>,
        status: Option<RegistrantStatus>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RegistrantConnection> {
        let filter = RegistrantFilter::Status(status.map(RegistrantStatus::as_str));
        Ok(self.registrant_page(ctx, filter, first, after).await?)
    }

    pub async fn polls(&self, ctx: &Context<'_>) -> Result<Vec<Poll>> {
        let rc = request(ctx)?;
        let key = PollsOf(self.row.id);
        let group = self
            .siblings
            .derived(&key, |all| all.iter().map(|m| PollsOf(m.id)).collect());
        let rows = self
            .siblings
            .load(&rc.loader, key, |all| {
                all.iter().map(|m| PollsOf(m.id)).collect()
            })
            .await?;
        Ok(Poll::in_group(rows.unwrap_or_default(), &group))
    }

    pub async fn qa(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<QaQuestionConnection> {
        let rc = request(ctx)?;
        let (first, after) = keyset_page::<i64>(first, after, CursorKind::QaQuestion)?;
        let has_previous_page = after.is_some();
        let key = QuestionPageKey {
            meeting_id: self.row.id,
            first,
            after,
            with_total: ctx.look_ahead().field("totalCount").exists(),
        };
        let pages = self.siblings.derived(&key, |all| {
            all.iter()
                .map(|m| QuestionPageKey {
                    meeting_id: m.id,
                    ..key.clone()
                })
                .collect()
        });
        let page = pages
            .load(&rc.loader, key, |keys| keys.to_vec())
            .await?
            .unwrap_or_default();
        let cursors: Vec<String> = page
            .rows
            .iter()
            .map(|q| {
                encode_cursor(
                    CursorKind::QaQuestion,
                    &Keyset {
                        time: q.asked_at,
                        tie: q.id,
                    },
                )
            })
            .collect();
        Ok(QaQuestionConnection {
            edges: cursors
                .into_iter()
                .zip(QaQuestion::in_group(page.rows, &pages))
                .map(|(cursor, node)| QaQuestionEdge { cursor, node })
                .collect(),
            has_next_page: page.has_next_page,
            has_previous_page,
            total: QaQuestionTotal {
                meeting_id: self.row.id,
                siblings: self.siblings.clone(),
                known: page.total,
            },
        })
    }

    pub async fn absentees(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RegistrantConnection> {
        Ok(self
            .registrant_page(ctx, RegistrantFilter::Absentees, first, after)
            .await?)
    }

    pub async fn telephone_legs(&self, ctx: &Context<'_>) -> Result<Vec<TelephoneLeg>> {
        let rc = request(ctx)?;
        let legs = self
            .siblings
            .load(&rc.loader, TelephoneLegsOf(self.row.id), |all| {
                all.iter().map(|m| TelephoneLegsOf(m.id)).collect()
            })
            .await?
            .unwrap_or_default();
        Ok(legs
            .into_iter()
            .map(|row| TelephoneLeg {
                row,
                meeting: Some(self.clone()),
            })
            .collect())
    }

    pub async fn recordings(&self, ctx: &Context<'_>) -> Result<Vec<CloudRecording>> {
        let rc = request(ctx)?;
        let recordings = self
            .siblings
            .load(&rc.loader, RecordingsOf(self.row.id), |all| {
                all.iter().map(|m| RecordingsOf(m.id)).collect()
            })
            .await?
            .unwrap_or_default();
        Ok(recordings
            .into_iter()
            .map(|(row, files)| CloudRecording {
                row,
                meeting: Some(self.clone()),
                files: files.into_iter().map(RecordingFile).collect(),
            })
            .collect())
    }

    /// Webinars only.
    pub async fn performance(&self, ctx: &Context<'_>) -> Result<Option<WebinarPerformance>> {
        let rc = request(ctx)?;
        Ok(self
            .siblings
            .load(&rc.loader, PerformanceOf(self.row.id), |all| {
                all.iter().map(|m| PerformanceOf(m.id)).collect()
            })
            .await?
            .map(WebinarPerformance))
    }
}

/// A meeting (not a webinar).
pub struct Meeting(pub MeetingCore);

// Meeting and Webinar list the shared fields each, rather than `#[graphql(flatten)]` a common
// object: flattening a type that reaches itself through `host → webinars` registers an empty
// copy of it. Both lists keep the order schema.graphql has.
/// A meeting: its schedule, host, sessions, every join (participants), the people behind them (attendees), and its registration, poll and Q&A reports.
#[Object]
impl Meeting {
    /// The meeting's id in this API.
    async fn id(&self) -> ID {
        self.0.id()
    }

    /// The platform's meeting number (9 to 11 digits), as a string: it exceeds 32 bits.
    async fn meeting_number(&self) -> String {
        self.0.meeting_number()
    }

    /// The topic.
    async fn topic(&self) -> &str {
        self.0.topic()
    }

    /// How the meeting is scheduled.
    #[graphql(name = "type")]
    async fn meeting_type(&self) -> Option<MeetingType> {
        self.0.meeting_type()
    }

    /// The scheduled start; null for instant meetings and recurring ones with no fixed time.
    async fn scheduled_start(&self) -> Option<DateTime<Utc>> {
        self.0.scheduled_start()
    }

    /// The planned duration in minutes, when scheduled.
    async fn planned_duration_minutes(&self) -> Option<i32> {
        self.0.planned_duration_minutes()
    }

    /// Whether attendees must register.
    async fn registration_required(&self) -> bool {
        self.0.registration_required()
    }

    /// When the meeting was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at()
    }

    /// The host.
    async fn host(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        self.0.host(ctx).await
    }

    /// Every occurrence of the meeting that started, oldest first.
    async fn sessions(&self, ctx: &Context<'_>) -> Result<Vec<MeetingSession>> {
        self.0.sessions(ctx).await
    }

    /// Every join, one row per join as the portal reports it: a rejoin is a new row. Ordered
    /// by join time.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn participants(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the rows after this cursor.")] after: Option<String>,
    ) -> Result<ParticipantConnection> {
        self.0.participants(ctx, first, after).await
    }

    /// The people who joined: each person's join rows merged (first join, last leave, total
    /// time, rejoins, every interval). A person is the signed-in user, else the email, else the
    /// display name. Ordered by first join.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn attendees(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the attendees after this cursor.")] after: Option<String>,
    ) -> Result<AttendeeConnection> {
        self.0.attendees(ctx, first, after).await
    }

    /// The Registration report: who registered, with their answers and whether they came.
    /// Ordered by registration time.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn registrants(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only registrants of this status.")] status: Option<RegistrantStatus>,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the registrants after this cursor.")] after: Option<String>,
    ) -> Result<RegistrantConnection> {
        self.0.registrants(ctx, status, first, after).await
    }

    /// The Poll report: every poll with its questions and answers.
    async fn polls(&self, ctx: &Context<'_>) -> Result<Vec<Poll>> {
        self.0.polls(ctx).await
    }

    /// The Q&A report: questions asked, by time asked, with their answers.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn qa(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the questions after this cursor.")] after: Option<String>,
    ) -> Result<QaQuestionConnection> {
        self.0.qa(ctx, first, after).await
    }

    /// Approved registrants who never joined (meetings with registration), by registration time.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn absentees(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the registrants after this cursor.")] after: Option<String>,
    ) -> Result<RegistrantConnection> {
        self.0.absentees(ctx, first, after).await
    }

    /// The meeting's phone legs (who joined by telephone, numbers, durations), in start
    /// order. `rate` and `totalCost` need billing_reports as well as usage_reports.
    async fn telephone_legs(&self, ctx: &Context<'_>) -> Result<Vec<TelephoneLeg>> {
        self.0.telephone_legs(ctx).await
    }

    /// The meeting's cloud recordings with their files, in start order.
    async fn recordings(&self, ctx: &Context<'_>) -> Result<Vec<CloudRecording>> {
        self.0.recordings(ctx).await
    }
}

/// The list behind `MeetingConnection`.
pub struct MeetingList;

impl ConnectionKind for MeetingList {
    const CONNECTION: &'static str = "MeetingConnection";
    const CONNECTION_DOC: &'static str = "A page of meetings, as a Relay connection.";
    const EDGE: &'static str = "MeetingEdge";
    const EDGE_DOC: &'static str = "A meeting with its cursor.";
    type Node = Meeting;
    type Total = MeetingTotal;
}

pub type MeetingConnection = Connection<MeetingList>;
pub type MeetingEdge = Edge<MeetingList>;

/// A page of meetings or webinars, before it is wrapped in its connection type.
pub struct ListPage {
    pub nodes: Vec<(String, MeetingCore)>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub total: MeetingTotal,
}

impl ListPage {
    pub fn into_meetings(self) -> MeetingConnection {
        MeetingConnection {
            edges: self
                .nodes
                .into_iter()
                .map(|(cursor, core)| MeetingEdge {
                    cursor,
                    node: Meeting(core),
                })
                .collect(),
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
            total: self.total,
        }
    }

    pub fn into_webinars(self) -> WebinarConnection {
        WebinarConnection {
            edges: self
                .nodes
                .into_iter()
                .map(|(cursor, core)| WebinarEdge {
                    cursor,
                    node: Webinar(core),
                })
                .collect(),
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
            total: WebinarTotal(self.total),
        }
    }
}

/// Counts the meetings (or webinars) of a list.
pub enum MeetingTotal {
    /// Counted already, by the first page's statement.
    Known(i64),
    /// A root list.
    List(MeetingFilter),
    /// A host's list.
    OfHost(HostedTotal),
}

impl ListTotal for MeetingTotal {
    async fn count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        match self {
            MeetingTotal::Known(n) => Ok(*n),
            MeetingTotal::List(filter) => meetings_count(&request(ctx)?.sql, filter).await,
            MeetingTotal::OfHost(hosted) => hosted.count(ctx).await,
        }
    }
}

/// The cursor of a meeting or webinar in a list sorted by its first session start.
pub fn meeting_cursor(kind: CursorKind, sort_time: DateTime<Utc>, id: i64) -> String {
    encode_cursor(
        kind,
        &Keyset {
            time: sort_time,
            tie: id,
        },
    )
}

/// A webinar.
pub struct Webinar(pub MeetingCore);

/// A webinar: its schedule, host, sessions, joins and attendees (with their role: host, panelist, attendee), and its registration, attendee, performance, Q&A and poll reports.
#[Object]
impl Webinar {
    /// The meeting's id in this API.
    async fn id(&self) -> ID {
        self.0.id()
    }

    /// The platform's meeting number (9 to 11 digits), as a string: it exceeds 32 bits.
    async fn meeting_number(&self) -> String {
        self.0.meeting_number()
    }

    /// The topic.
    async fn topic(&self) -> &str {
        self.0.topic()
    }

    /// How the meeting is scheduled.
    #[graphql(name = "type")]
    async fn meeting_type(&self) -> Option<MeetingType> {
        self.0.meeting_type()
    }

    /// The scheduled start; null for instant meetings and recurring ones with no fixed time.
    async fn scheduled_start(&self) -> Option<DateTime<Utc>> {
        self.0.scheduled_start()
    }

    /// The planned duration in minutes, when scheduled.
    async fn planned_duration_minutes(&self) -> Option<i32> {
        self.0.planned_duration_minutes()
    }

    /// Whether attendees must register.
    async fn registration_required(&self) -> bool {
        self.0.registration_required()
    }

    /// When the meeting was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at()
    }

    /// The host.
    async fn host(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        self.0.host(ctx).await
    }

    /// Every occurrence of the meeting that started, oldest first.
    async fn sessions(&self, ctx: &Context<'_>) -> Result<Vec<MeetingSession>> {
        self.0.sessions(ctx).await
    }

    /// Every join, one row per join as the portal reports it: a rejoin is a new row. Ordered
    /// by join time.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn participants(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the rows after this cursor.")] after: Option<String>,
    ) -> Result<ParticipantConnection> {
        self.0.participants(ctx, first, after).await
    }

    /// The people who joined: each person's join rows merged (first join, last leave, total
    /// time, rejoins, every interval). A person is the signed-in user, else the email, else the
    /// display name. Ordered by first join.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn attendees(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the attendees after this cursor.")] after: Option<String>,
    ) -> Result<AttendeeConnection> {
        self.0.attendees(ctx, first, after).await
    }

    /// The Registration report: who registered, with their answers and whether they came.
    /// Ordered by registration time.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn registrants(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only registrants of this status.")] status: Option<RegistrantStatus>,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the registrants after this cursor.")] after: Option<String>,
    ) -> Result<RegistrantConnection> {
        self.0.registrants(ctx, status, first, after).await
    }

    /// The Poll report: every poll with its questions and answers.
    async fn polls(&self, ctx: &Context<'_>) -> Result<Vec<Poll>> {
        self.0.polls(ctx).await
    }

    /// The Q&A report: questions asked, by time asked, with their answers.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn qa(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the questions after this cursor.")] after: Option<String>,
    ) -> Result<QaQuestionConnection> {
        self.0.qa(ctx, first, after).await
    }

    /// Approved registrants who never joined (meetings with registration), by registration time.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn absentees(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the registrants after this cursor.")] after: Option<String>,
    ) -> Result<RegistrantConnection> {
        self.0.absentees(ctx, first, after).await
    }

    /// The meeting's phone legs (who joined by telephone, numbers, durations), in start
    /// order. `rate` and `totalCost` need billing_reports as well as usage_reports.
    async fn telephone_legs(&self, ctx: &Context<'_>) -> Result<Vec<TelephoneLeg>> {
        self.0.telephone_legs(ctx).await
    }

    /// The meeting's cloud recordings with their files, in start order.
    async fn recordings(&self, ctx: &Context<'_>) -> Result<Vec<CloudRecording>> {
        self.0.recordings(ctx).await
    }

    /// The Performance report, computed by the database from the same rows the other reports
    /// list.
    async fn performance(&self, ctx: &Context<'_>) -> Result<Option<WebinarPerformance>> {
        self.0.performance(ctx).await
    }
}

/// The list behind `WebinarConnection`.
pub struct WebinarList;

impl ConnectionKind for WebinarList {
    const CONNECTION: &'static str = "WebinarConnection";
    const CONNECTION_DOC: &'static str = "A page of webinars, as a Relay connection.";
    const EDGE: &'static str = "WebinarEdge";
    const EDGE_DOC: &'static str = "A webinar with its cursor.";
    type Node = Webinar;
    type Total = WebinarTotal;
}

pub type WebinarConnection = Connection<WebinarList>;
pub type WebinarEdge = Edge<WebinarList>;

/// Counts the webinars of a list.
pub struct WebinarTotal(pub MeetingTotal);

impl ListTotal for WebinarTotal {
    async fn count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        self.0.count(ctx).await
    }
}
