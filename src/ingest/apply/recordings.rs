//! Cloud recordings (`recording.completed`), by the occurrence's uuid.
//!
//! The platform may send the same recording twice (twins that differ only in their download
//! links) or a newer version of it: the newest stored `recording.completed` of the occurrence
//! (by event time) is the recording, and its files replace the previous ones. The download
//! token and links are not kept.

use chrono::{DateTime, Utc};
use entity::{recording, recording_file};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde_json::Value;

use super::{
    meetings::ensure_session, stored_events, text_field, time_field, Applied, Ctx, Kind, Refusal,
};
use crate::ingest::webhooks::{as_i64, Envelope};

pub(super) const EVENT: &str = "recording.completed";

/// Webinar types (5, 6, 9) are recorded as webinars; every other type as a meeting.
fn kind_of(object: &Value) -> Kind {
    match object.get("type").and_then(as_i64) {
        Some(5 | 6 | 9) => Kind::Webinar,
        _ => Kind::Meeting,
    }
}

/// The file types the cloud-recording report knows; anything else is kept as the platform
/// names it, upper-cased.
fn file_type(file: &Value) -> String {
    text_field(file, "file_type")
        .map(|t| t.to_uppercase())
        .unwrap_or_else(|| "MP4".to_owned())
}

struct File {
    source_id: Option<String>,
    file_type: String,
    size_bytes: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

pub(super) async fn apply_recording(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    envelope: &Envelope,
) -> Applied {
    let uuid = text_field(envelope.object(), "uuid")
        .ok_or_else(|| Refusal(format!("`{EVENT}` without payload.object.uuid")))?;
    let stored = stored_events(db, ctx, &uuid, &[EVENT.to_owned()]).await?;
    // Oldest first: the last is the newest version (this event when none is newer).
    let newest = stored.last().unwrap_or(envelope);
    let object = newest.object();
    let session = ensure_session(db, ctx, kind_of(object), EVENT, object).await?;
    let session_start = time_field(object, "start_time");
    let files: Vec<File> = object
        .get("recording_files")
        .and_then(Value::as_array)
        .map(|files| {
            files
                .iter()
                .filter_map(|f| {
                    // `recording_end` is "" while a file is still being recorded.
                    let start = time_field(f, "recording_start").or(session_start)?;
                    Some(File {
                        source_id: text_field(f, "id"),
                        file_type: file_type(f),
                        size_bytes: f.get("file_size").and_then(as_i64).unwrap_or(0).max(0),
                        start,
                        end: time_field(f, "recording_end").unwrap_or(start).max(start),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let start_time = files
        .iter()
        .map(|f| f.start)
        .min()
        .or(session_start)
        .unwrap_or(ctx.at);
    let end_time = files
        .iter()
        .map(|f| f.end)
        .max()
        .unwrap_or(start_time)
        .max(start_time);
    let total_size = object
        .get("total_size")
        .and_then(as_i64)
        .unwrap_or_else(|| files.iter().map(|f| f.size_bytes).sum())
        .max(0);
    let account_id = ctx.account.id;
    let existing = recording::Entity::find()
        .filter(recording::Column::AccountId.eq(account_id))
        .filter(recording::Column::SourceId.eq(uuid.as_str()))
        .one(db)
        .await?;
    let recording_id = match existing {
        Some(found) => {
            let mut active: recording::ActiveModel = found.into();
            active.meeting_id = Set(session.meeting_id);
            active.session_id = Set(session.session_id);
            active.start_time = Set(start_time);
            active.end_time = Set(end_time);
            active.total_size_bytes = Set(total_size);
            let id = active.update(db).await?.id;
            recording_file::Entity::delete_many()
                .filter(recording_file::Column::AccountId.eq(account_id))
                .filter(recording_file::Column::RecordingId.eq(id))
                .exec(db)
                .await?;
            id
        }
        None => {
            recording::ActiveModel {
                account_id: Set(account_id),
                source_id: Set(uuid),
                meeting_id: Set(session.meeting_id),
                session_id: Set(session.session_id),
                start_time: Set(start_time),
                end_time: Set(end_time),
                total_size_bytes: Set(total_size),
                ..Default::default()
            }
            .insert(db)
            .await?
            .id
        }
    };
    if !files.is_empty() {
        recording_file::Entity::insert_many(files.into_iter().map(|f| {
            recording_file::ActiveModel {
                account_id: Set(account_id),
                source_id: Set(f.source_id),
                recording_id: Set(recording_id),
                file_type: Set(f.file_type),
                size_bytes: Set(f.size_bytes),
                recording_start: Set(f.start),
                recording_end: Set(f.end),
                ..Default::default()
            }
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}
