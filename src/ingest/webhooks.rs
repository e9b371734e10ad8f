//! The platform's webhook format: signatures, the URL-validation challenge, the envelope and
//! the identity of an event. No I/O here: the HTTP handler verifies with these, then hands the
//! envelope to `ingest::events`.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use reports::Error;
use serde_json::Value;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// How far a request's timestamp may lie from our clock, either way: an older one is a replay.
pub const TIMESTAMP_TOLERANCE_SECS: i64 = 5 * 60;

/// The name of the platform's endpoint-validation challenge (answered, never stored).
pub const URL_VALIDATION: &str = "endpoint.url_validation";

/// The app's secret tokens: the first is current; more are accepted while one is rotated.
#[derive(Clone, Default)]
pub struct WebhookSecrets(Vec<String>);

impl WebhookSecrets {
    /// From `a,b,c`; blanks are dropped, so an empty setting means "no secret".
    pub fn parse(list: &str) -> Self {
        Self(
            list.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The secret that signed this request, if any did and its timestamp is within the
    /// tolerance of `now`.
    pub fn verify(
        &self,
        timestamp: Option<&str>,
        signature: Option<&str>,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Result<&str, Error> {
        let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
            return Err(Error::Unauthenticated);
        };
        let seconds: i64 = timestamp
            .trim()
            .parse()
            .map_err(|_| Error::Unauthenticated)?;
        let off_by = now.timestamp().checked_sub(seconds).map(i64::unsigned_abs);
        if off_by.is_none_or(|secs| secs > TIMESTAMP_TOLERANCE_SECS.unsigned_abs()) {
            return Err(Error::Unauthenticated);
        }
        self.0
            .iter()
            .find(|secret| signature_matches(secret, timestamp, body, signature))
            .map(String::as_str)
            .ok_or(Error::Unauthenticated)
    }
}

impl std::fmt::Debug for WebhookSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WebhookSecrets({} secret(s))", self.0.len())
    }
}

fn mac(secret: &str) -> HmacSha256 {
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    match HmacSha256::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    }
}

fn signed_message(mac: &mut HmacSha256, timestamp: &str, body: &[u8]) {
    mac.update(b"v0:");
    mac.update(timestamp.as_bytes());
    mac.update(b":");
    mac.update(body);
}

/// `v0=` + lowercase hex HMAC-SHA256 of `v0:{timestamp}:{body}`: the `x-zm-signature` the
/// platform sends. The raw body bytes are signed, not a re-serialisation of them.
pub fn signature(secret: &str, timestamp: &str, body: &[u8]) -> String {
    let mut mac = mac(secret);
    signed_message(&mut mac, timestamp, body);
    format!("v0={}", hex::encode(mac.finalize().into_bytes()))
}

/// Compares in constant time (`verify_slice`), so the answer's timing says nothing about how
/// much of a forged signature was right.
fn signature_matches(secret: &str, timestamp: &str, body: &[u8], header: &str) -> bool {
    let Some(hex_part) = header.trim().strip_prefix("v0=") else {
        return false;
    };
    let Ok(expected) = hex::decode(hex_part) else {
        return false;
    };
    let mut mac = mac(secret);
    signed_message(&mut mac, timestamp, body);
    mac.verify_slice(&expected).is_ok()
}

/// The `encryptedToken` of the URL-validation answer: hex HMAC-SHA256 of the plain token.
pub fn encrypted_token(secret: &str, plain_token: &str) -> String {
    let mut mac = mac(secret);
    mac.update(plain_token.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// An event as the platform sends it: `{"event", "event_ts", "payload": {"account_id",
/// "object", ...}}`.
#[derive(Debug, Clone)]
pub struct Envelope {
    pub event: String,
    /// Milliseconds since the epoch.
    pub event_ts: i64,
    pub payload: Value,
}

impl Envelope {
    /// A JSON object with a string `event`; `event_ts` (ms) may be a number or a numeric string.
    pub fn parse(body: &[u8]) -> Result<Self, Error> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|_| Error::bad_input("the request body is not valid JSON"))?;
        let event = value
            .get("event")
            .and_then(Value::as_str)
            .filter(|e| !e.is_empty())
            .ok_or_else(|| Error::bad_input("not a webhook event: no `event` name"))?
            .to_owned();
        let event_ts = value
            .get("event_ts")
            .and_then(as_i64)
            .ok_or_else(|| Error::bad_input("not a webhook event: no `event_ts`"))?;
        let payload = value.get("payload").cloned().unwrap_or(Value::Null);
        Ok(Self {
            event,
            event_ts,
            payload,
        })
    }

    /// `payload.account_id`, or empty.
    pub fn platform_account_id(&self) -> String {
        self.payload
            .get("account_id")
            .and_then(as_text)
            .unwrap_or_default()
    }

    /// `payload.object`, or `null`.
    pub fn object(&self) -> &Value {
        self.payload.get("object").unwrap_or(&Value::Null)
    }

    /// Hex SHA-256 of the name, the time and the payload in canonical JSON (keys sorted, no
    /// spaces). Not of the raw body: a redelivery that the platform (or an NDJSON export)
    /// re-serialised with other spacing or key order is the same event and must be recognised;
    /// top-level extras outside `payload` (e.g. `download_token`, which changes per delivery)
    /// do not make another event either.
    pub fn identity(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.event.as_bytes());
        hasher.update(b"\n");
        hasher.update(self.event_ts.to_string().as_bytes());
        hasher.update(b"\n");
        let mut canonical = String::new();
        write_canonical(&self.payload, &mut canonical);
        hasher.update(canonical.as_bytes());
        hex::encode(hasher.finalize())
    }
}

/// A number or a numeric string (the platform sends ids and times both ways).
pub fn as_i64(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A non-empty string or a number, as text.
pub fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                if let Some(v) = map.get(key) {
                    write_canonical(v, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_signature_vector_is_reproduced() {
        assert_eq!(
            signature("secret", "1697204592920", br#"{"foo":"bar"}"#),
            "v0=f46042d159828f787589618793a3f535b54de02da06ea660545e46c8960b70bf"
        );
    }

    #[test]
    fn the_documented_url_validation_vector_is_reproduced() {
        assert_eq!(
            encrypted_token("secretValueTest", "qgg8vlvZRS6UYooatFL8Aw"),
            "70c1f2e2e6ca2d39297490d1f9142c7d701415ea8e6151f6562a08fa657a40ff"
        );
    }

    #[test]
    fn a_redelivery_with_other_spacing_has_the_same_identity() {
        let a = Envelope::parse(br#"{"event":"x","event_ts":1,"payload":{"a":1,"b":[1,2]}}"#);
        let b = Envelope::parse(
            br#"{ "payload": { "b": [1, 2], "a": 1 }, "event_ts": 1, "event": "x" }"#,
        );
        let c = Envelope::parse(br#"{"event":"x","event_ts":2,"payload":{"a":1,"b":[1,2]}}"#);
        let (Ok(a), Ok(b), Ok(c)) = (a, b, c) else {
            panic!("envelopes parse");
        };
        assert_eq!(a.identity(), b.identity());
        assert_ne!(a.identity(), c.identity());
    }

    #[test]
    fn rotated_secrets_all_verify_and_stale_timestamps_do_not() {
        let secrets = WebhookSecrets::parse("new, old");
        let now = Utc::now();
        let ts = now.timestamp().to_string();
        let body = br#"{"event":"x"}"#;
        let by_old = signature("old", &ts, body);
        assert_eq!(
            secrets.verify(Some(&ts), Some(&by_old), body, now).ok(),
            Some("old")
        );
        let wrong = signature("other", &ts, body);
        assert!(secrets.verify(Some(&ts), Some(&wrong), body, now).is_err());
        let stale = (now.timestamp() - 301).to_string();
        let signed_stale = signature("new", &stale, body);
        assert!(secrets
            .verify(Some(&stale), Some(&signed_stale), body, now)
            .is_err());
        assert!(secrets.verify(Some(&ts), None, body, now).is_err());
        for odd in ["-9223372036854775808", "9223372036854775807", "1e9", ""] {
            let sig = signature("new", odd, body);
            assert!(
                secrets.verify(Some(odd), Some(&sig), body, now).is_err(),
                "{odd}"
            );
        }
    }
}
