//! The Cloud Recording report's types: storage per day against the allowance, and the
//! recordings of the range with their files. Sizes are bytes, as `BigInt`.

use std::collections::HashMap;

use async_graphql::{Context, Description, Enum, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::graphql::{
    connection::{
        connection_cost, split_page, Connection, ConnectionKind, Edge, ListTotal, PageInfo,
    },
    context::{keyset_page, request},
    error::ApiResult,
    range::ReportRange,
    scalars::{encode_cursor, BigInt, CursorKind, Date, Keyset},
    types::{event::Event, meetings::MeetingCore},
};
use reports::{
    cloud_recording::{
        files_by_type, files_of, recording_figures, recordings_count, recordings_page,
        storage_days, storage_summary, FileTypeRow, RecordingFigures, RecordingFilter,
        StorageDayRow, StorageSummaryRow,
    },
    meetings::meetings_by_id,
};

/// What a recording file holds.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum RecordingFileType {
    /// Video (shared screen, speaker, gallery).
    #[graphql(name = "MP4")]
    Mp4,
    /// Audio only.
    #[graphql(name = "M4A")]
    M4a,
    /// The audio transcript.
    #[graphql(name = "TRANSCRIPT")]
    Transcript,
    /// The in-meeting chat.
    #[graphql(name = "CHAT")]
    Chat,
    /// The timeline of who spoke and shared when.
    #[graphql(name = "TIMELINE")]
    Timeline,
    /// Closed captions.
    #[graphql(name = "CC")]
    Cc,
}

impl RecordingFileType {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "MP4" => RecordingFileType::Mp4,
            "M4A" => RecordingFileType::M4a,
            "TRANSCRIPT" => RecordingFileType::Transcript,
            "CHAT" => RecordingFileType::Chat,
            "TIMELINE" => RecordingFileType::Timeline,
            "CC" => RecordingFileType::Cc,
            _ => return None,
        })
    }
}

/// One day of the range and the cloud storage in use at its end.
pub struct StorageDay {
    row: StorageDayRow,
    allowance_bytes: i64,
}

/// One day of the range and the cloud storage in use at its end (in the account's time zone),
/// against the plan's allowance.
#[Object]
impl StorageDay {
    /// The day (yyyy-mm-dd), in the account's time zone.
    async fn date(&self) -> Date {
        Date(self.row.day)
    }

    /// Bytes in use at the end of the day; null when the platform reported nothing that day.
    async fn usage_bytes(&self) -> Option<BigInt> {
        self.row.usage_bytes.map(BigInt)
    }

    /// The plan's allowance, in bytes.
    async fn allowance_bytes(&self) -> BigInt {
        BigInt(self.allowance_bytes)
    }

    /// Bytes left under the allowance (negative when over it); null without a usage figure.
    async fn free_bytes(&self) -> Option<BigInt> {
        self.row
            .usage_bytes
            .map(|u| BigInt(self.allowance_bytes.saturating_sub(u)))
    }

    /// Whether usage exceeded the allowance that day; null without a usage figure.
    async fn over_allowance(&self) -> Option<bool> {
        self.row.usage_bytes.map(|u| u > self.allowance_bytes)
    }
}

/// The range's storage figures, computed by the database.
pub struct StorageSummary(StorageSummaryRow);

/// The range's storage figures: days reported, peak, days over the allowance, latest usage.
#[Object]
impl StorageSummary {
    /// Days of the range with a usage figure.
    async fn days_reported(&self) -> i64 {
        self.0.days_reported
    }

    /// The largest daily usage of the range, in bytes; null when no day was reported.
    async fn peak_usage_bytes(&self) -> Option<BigInt> {
        self.0.peak_usage_bytes.map(BigInt)
    }

    /// Days whose usage exceeded the allowance.
    async fn days_over_allowance(&self) -> i64 {
        self.0.days_over_allowance
    }

    /// The last day of the range with a usage figure.
    async fn latest_day(&self) -> Option<Date> {
        self.0.latest_day.map(Date)
    }

    /// The usage on that day, in bytes.
    async fn latest_usage_bytes(&self) -> Option<BigInt> {
        self.0.latest_usage_bytes.map(BigInt)
    }
}

/// One file of a cloud recording.
pub struct RecordingFile(pub entity::recording_file::Model);

/// One file of a cloud recording: its type and size.
#[Object]
impl RecordingFile {
    /// The file's id in this API.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// What the file holds.
    async fn file_type(&self) -> Option<RecordingFileType> {
        RecordingFileType::parse(&self.0.file_type)
    }

    /// Its size in bytes.
    async fn size_bytes(&self) -> BigInt {
        BigInt(self.0.size_bytes)
    }

    /// When the recorded part starts.
    async fn recording_start(&self) -> DateTime<Utc> {
        self.0.recording_start
    }

    /// When it ends.
    async fn recording_end(&self) -> DateTime<Utc> {
        self.0.recording_end
    }
}

/// A cloud recording of a meeting or webinar session.
pub struct CloudRecording {
    pub row: entity::recording::Model,
    pub meeting: Option<MeetingCore>,
    pub files: Vec<RecordingFile>,
}

/// A cloud recording of a session of a meeting or webinar, with its files.
#[Object]
impl CloudRecording {
    /// The recording's id in this API.
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// The meeting or webinar recorded (id, number, topic, host, ...).
    async fn meeting(&self) -> Option<Event> {
        self.meeting.clone().map(Event::from_core)
    }

    /// When recording started.
    async fn start_time(&self) -> DateTime<Utc> {
        self.row.start_time
    }

    /// When it stopped.
    async fn end_time(&self) -> DateTime<Utc> {
        self.row.end_time
    }

    /// Seconds recorded.
    async fn duration_seconds(&self) -> i64 {
        (self.row.end_time - self.row.start_time)
            .num_seconds()
            .max(0)
    }

    /// The size of all its files, in bytes.
    async fn total_size_bytes(&self) -> BigInt {
        BigInt(self.row.total_size_bytes)
    }

    /// Its files (video, audio, transcript, chat, ...), by type.
    async fn files(&self) -> &[RecordingFile] {
        &self.files
    }
}

/// The files of the range's recordings of one type.
#[derive(SimpleObject)]
pub struct FileTypeUsage {
    /// The file type; null for a type this API does not know.
    pub file_type: Option<RecordingFileType>,
    /// Files of this type.
    pub files: i64,
    /// Their size, in bytes.
    pub size_bytes: BigInt,
}

impl From<FileTypeRow> for FileTypeUsage {
    fn from(r: FileTypeRow) -> Self {
        Self {
            file_type: RecordingFileType::parse(&r.file_type),
            files: r.files,
            size_bytes: BigInt(r.size_bytes),
        }
    }
}

/// The totals of the range's recordings.
pub struct RecordingTotals {
    figures: RecordingFigures,
    filter: RecordingFilter,
}

/// The totals of the range's recordings, over every page.
#[Object]
impl RecordingTotals {
    /// Recordings that started in the range.
    async fn recordings(&self) -> i64 {
        self.figures.recordings
    }

    /// Their size, in bytes.
    async fn size_bytes(&self) -> BigInt {
        BigInt(self.figures.size_bytes)
    }

    /// Their files per type (they add up to `sizeBytes`).
    async fn by_file_type(&self, ctx: &Context<'_>) -> Result<Vec<FileTypeUsage>> {
        let rows = files_by_type(&request(ctx)?.sql, &self.filter).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}

/// Counts the recordings of a range.
pub struct RecordingTotal {
    filter: RecordingFilter,
}

impl ListTotal for RecordingTotal {
    async fn count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        recordings_count(&request(ctx)?.sql, &self.filter).await
    }
}

/// The list behind `CloudRecordingConnection`.
pub struct CloudRecordingList;

impl ConnectionKind for CloudRecordingList {
    const CONNECTION: &'static str = "CloudRecordingConnection";
    const CONNECTION_DOC: &'static str = "The recordings of a Cloud Recording report, oldest first, with totals, as a Relay connection.";
    const EDGE: &'static str = "CloudRecordingEdge";
    const EDGE_DOC: &'static str = "A recording with its cursor.";
    type Node = CloudRecording;
    type Total = RecordingTotal;
}

pub type CloudRecordingEdge = Edge<CloudRecordingList>;

/// A page of the list, with fields of its own after the ones every connection has.
pub struct CloudRecordingConnection(pub Connection<CloudRecordingList>);

impl Description for CloudRecordingConnection {
    fn description() -> &'static str {
        CloudRecordingList::CONNECTION_DOC
    }
}

#[Object(use_type_description)]
impl CloudRecordingConnection {
    /// The rows of this page, each with its cursor.
    async fn edges(&self) -> &[CloudRecordingEdge] {
        &self.0.edges
    }

    /// The rows of this page, without cursors.
    async fn nodes(&self) -> Vec<&CloudRecording> {
        self.0.nodes_of_page()
    }

    /// Where this page ends, and whether more rows follow.
    async fn page_info(&self) -> PageInfo {
        self.0.info()
    }

    /// How many rows the whole list holds, over all pages (counted by the database).
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(self.0.count(ctx).await?)
    }

    /// The newest stored event this list reflects (see `Query.dataAsOf`): rows are in
    /// the reports as soon as they are stored.
    async fn data_as_of(&self, ctx: &Context<'_>) -> Result<Option<DateTime<Utc>>> {
        Ok(self.0.freshness(ctx).await?)
    }

    /// The totals of every recording of the range (all pages).
    async fn totals(&self, ctx: &Context<'_>) -> Result<RecordingTotals> {
        Ok(RecordingTotals {
            figures: recording_figures(&request(ctx)?.sql, &self.0.total.filter).await?,
            filter: self.0.total.filter,
        })
    }
}

/// The Cloud Recording report of a range.
pub struct CloudRecordingReport {
    pub account_id: i64,
    pub range: ReportRange,
    pub allowance_bytes: i64,
}

impl CloudRecordingReport {
    fn range_days(&self) -> Vec<NaiveDate> {
        let mut days = Vec::new();
        let mut day = self.range.from;
        while day <= self.range.to {
            days.push(day);
            match day.checked_add_days(Days::new(1)) {
                Some(next) => day = next,
                None => break,
            }
        }
        days
    }
}

/// The Cloud Recording report: cloud storage in use on each day of the range against the
/// plan's allowance, and the recordings that started in the range with their files.
#[Object]
impl CloudRecordingReport {
    /// First day of the range.
    async fn from(&self) -> Date {
        Date(self.range.from)
    }

    /// Last day of the range.
    async fn to(&self) -> Date {
        Date(self.range.to)
    }

    /// The plan's cloud recording storage allowance, in bytes.
    async fn allowance_bytes(&self) -> BigInt {
        BigInt(self.allowance_bytes)
    }

    /// Every day of the range, in order, with the storage in use at its end.
    async fn days(&self, ctx: &Context<'_>) -> Result<Vec<StorageDay>> {
        let rows = storage_days(&request(ctx)?.sql, self.account_id, &self.range_days()).await?;
        Ok(rows
            .into_iter()
            .map(|row| StorageDay {
                row,
                allowance_bytes: self.allowance_bytes,
            })
            .collect())
    }

    /// The range's storage figures: peak, latest, days over the allowance.
    async fn storage(&self, ctx: &Context<'_>) -> Result<StorageSummary> {
        let row = storage_summary(
            &request(ctx)?.sql,
            self.account_id,
            self.range.from,
            self.range.to,
        )
        .await?;
        Ok(StorageSummary(row))
    }

    /// The recordings that started in the range, oldest first, with their meeting and files.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn recordings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 0 to 300 (default 30).")] first: Option<i32>,
        #[graphql(desc = "Return the recordings after this cursor.")] after: Option<String>,
    ) -> Result<CloudRecordingConnection> {
        let rc = request(ctx)?;
        let (first, after) = keyset_page::<i64>(first, after, CursorKind::Recording)?;
        let filter = RecordingFilter {
            account_id: self.account_id,
            start: self.range.start,
            end: self.range.end,
        };
        let rows = recordings_page(&rc.sql, &filter, first, after.as_ref()).await?;
        let (rows, has_next_page) = split_page(rows, first);
        // The page's files and meetings: one statement each.
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut files: HashMap<i64, Vec<RecordingFile>> = HashMap::new();
        for f in files_of(&rc.sql, self.account_id, &ids).await? {
            files
                .entry(f.recording_id)
                .or_default()
                .push(RecordingFile(f));
        }
        let mut meeting_ids: Vec<i64> = rows.iter().map(|r| r.meeting_id).collect();
        meeting_ids.sort_unstable();
        meeting_ids.dedup();
        let meetings: HashMap<i64, MeetingCore> =
            MeetingCore::group(meetings_by_id(&rc.sql, self.account_id, &meeting_ids).await?)
                .into_iter()
                .map(|m| (m.row.id, m))
                .collect();
        Ok(CloudRecordingConnection(Connection {
            edges: rows
                .into_iter()
                .map(|row| CloudRecordingEdge {
                    cursor: encode_cursor(
                        CursorKind::Recording,
                        &Keyset {
                            time: row.start_time,
                            tie: row.id,
                        },
                    ),
                    node: CloudRecording {
                        meeting: meetings.get(&row.meeting_id).cloned(),
                        files: files.remove(&row.id).unwrap_or_default(),
                        row,
                    },
                })
                .collect(),
            has_next_page,
            has_previous_page: after.is_some(),
            total: RecordingTotal { filter },
        }))
    }
}
