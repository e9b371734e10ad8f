//! Opaque keyset cursors: which list a cursor belongs to, and the position it holds.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::Error;

/// Which connection a cursor belongs to: a cursor of one list is refused by another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorKind {
    Meeting,
    Webinar,
    Participant,
    Attendee,
    Registrant,
    PollResponse,
    QaQuestion,
    User,
    OperationLog,
    SignInEvent,
    ActiveHost,
    InactiveHost,
    Upcoming,
    RemoteSupport,
    TelephoneLeg,
    Recording,
    PhoneCall,
}

impl CursorKind {
    fn tag(self) -> &'static str {
        match self {
            CursorKind::Meeting => "m",
            CursorKind::Participant => "p",
            CursorKind::Attendee => "a",
            CursorKind::Webinar => "w",
            CursorKind::Registrant => "r",
            CursorKind::PollResponse => "pr",
            CursorKind::QaQuestion => "q",
            CursorKind::User => "u",
            CursorKind::OperationLog => "ol",
            CursorKind::SignInEvent => "si",
            CursorKind::ActiveHost => "ah",
            CursorKind::InactiveHost => "ih",
            CursorKind::Upcoming => "ue",
            CursorKind::RemoteSupport => "rs",
            CursorKind::TelephoneLeg => "tel",
            CursorKind::Recording => "rec",
            CursorKind::PhoneCall => "psc",
        }
    }
}

/// A keyset position: the sort key's time and a tie-breaker (a row id or a person key).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Keyset<T> {
    pub time: DateTime<Utc>,
    pub tie: T,
}

/// Cursors are opaque: base64url of a small JSON array `[kind, time, tie]`.
pub fn encode_cursor<T: serde::Serialize>(kind: CursorKind, key: &Keyset<T>) -> String {
    let raw = json!([
        kind.tag(),
        key.time.timestamp(),
        key.time.timestamp_subsec_nanos(),
        key.tie
    ]);
    URL_SAFE_NO_PAD.encode(raw.to_string())
}

pub fn decode_cursor<T: serde::de::DeserializeOwned>(
    kind: CursorKind,
    cursor: &str,
) -> Result<Keyset<T>, Error> {
    let bad = || Error::bad_input(format!("`after` is not a cursor of this list: {cursor}"));
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let (tag, secs, nanos, tie): (String, i64, u32, T) =
        serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if tag != kind.tag() {
        return Err(bad());
    }
    let time = DateTime::from_timestamp(secs, nanos).ok_or_else(bad)?;
    Ok(Keyset { time, tie })
}

/// A cursor over any other sort key (a figure and an id, a name and an id): base64url of
/// `[kind, key]`.
pub fn encode_key_cursor<T: serde::Serialize>(kind: CursorKind, key: &T) -> String {
    URL_SAFE_NO_PAD.encode(json!([kind.tag(), key]).to_string())
}

pub fn decode_key_cursor<T: serde::de::DeserializeOwned>(
    kind: CursorKind,
    cursor: &str,
) -> Result<T, Error> {
    let bad = || Error::bad_input(format!("`after` is not a cursor of this list: {cursor}"));
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let (tag, key): (String, T) = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if tag != kind.tag() {
        return Err(bad());
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_other_lists_and_garbage() {
        let key = Keyset {
            time: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            tie: 42i64,
        };
        let c = encode_cursor(CursorKind::Participant, &key);
        assert_eq!(
            decode_cursor::<i64>(CursorKind::Participant, &c).unwrap(),
            key
        );
        assert_eq!(
            decode_cursor::<i64>(CursorKind::Meeting, &c)
                .unwrap_err()
                .code(),
            "BAD_USER_INPUT"
        );
        assert!(decode_cursor::<i64>(CursorKind::Participant, "!!").is_err());
        assert!(decode_cursor::<i64>(CursorKind::Participant, "bm90IGpzb24").is_err());
    }
}
