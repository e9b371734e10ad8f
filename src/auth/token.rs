//! HS256 bearer tokens, and the server secret that signs them.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Statement, Value};
use serde::{Deserialize, Serialize};

/// What a token says: the user (`sub`) and their account (`acc`); nothing about privileges.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: String,
    /// The user's account id.
    pub acc: i64,
    /// The user's email, for humans reading a token.
    pub email: String,
    pub iat: i64,
    pub exp: i64,
}

/// The signing and verifying keys made from the server secret.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }
}

pub fn issue_token(
    keys: &JwtKeys,
    user_id: i64,
    account_id: i64,
    email: &str,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<String, jsonwebtoken::errors::Error> {
    let claims = Claims {
        sub: user_id.to_string(),
        acc: account_id,
        email: email.to_owned(),
        iat: now.timestamp(),
        exp: (now + ttl).timestamp(),
    };
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &keys.encoding)
}

/// Verifies signature, algorithm and expiry (no leeway: an expired token is refused).
pub fn verify_token(keys: &JwtKeys, token: &str) -> Option<Claims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.set_required_spec_claims(&["exp", "sub"]);
    jsonwebtoken::decode::<Claims>(token, &keys.decoding, &validation)
        .ok()
        .map(|data| data.claims)
}

/// `JWT_SECRET` when given; otherwise the secret kept in the database, generated on first use,
/// so that `serve` and `token` agree without configuration.
pub async fn load_or_create_secret(
    db: &DatabaseConnection,
    configured: Option<&str>,
) -> Result<Vec<u8>, DbErr> {
    if let Some(secret) = configured.filter(|s| !s.is_empty()) {
        return Ok(secret.as_bytes().to_vec());
    }
    let backend = db.get_database_backend();
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| DbErr::Custom(format!("no randomness: {e}")))?;
    let generated: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    // Two servers starting at once both try; the first insert wins and both read it back.
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        match backend {
            sea_orm::DbBackend::Postgres => {
                "INSERT INTO server_setting (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING"
            }
            _ => "INSERT INTO server_setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        },
        [Value::from("jwt_secret"), Value::from(generated)],
    ))
    .await?;
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DbBackend::Postgres => "SELECT value FROM server_setting WHERE name = $1",
                _ => "SELECT value FROM server_setting WHERE name = ?",
            },
            [Value::from("jwt_secret")],
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("jwt_secret".into()))?;
    let value: String = row.try_get("", "value")?;
    Ok(value.into_bytes())
}

/// `90s`, `15m`, `12h`, `30d` (a bare number is seconds).
pub fn parse_ttl(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (digits, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => (&s[..i], &s[i..]),
        None => (s, "s"),
    };
    let n: i64 = digits.parse().ok()?;
    if n <= 0 {
        return None;
    }
    match unit {
        "s" => Duration::try_seconds(n),
        "m" => Duration::try_minutes(n),
        "h" => Duration::try_hours(n),
        "d" => Duration::try_days(n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_expire() {
        let keys = JwtKeys::new(b"secret");
        let now = Utc::now();
        let t = issue_token(&keys, 3, 1, "a@b.c", now, Duration::hours(1)).unwrap();
        let claims = verify_token(&keys, &t).unwrap();
        assert_eq!(claims.sub, "3");
        assert_eq!(claims.acc, 1);
        let expired = issue_token(
            &keys,
            3,
            1,
            "a@b.c",
            now - Duration::hours(2),
            Duration::hours(1),
        )
        .unwrap();
        assert!(verify_token(&keys, &expired).is_none());
        assert!(verify_token(&JwtKeys::new(b"other"), &t).is_none());
        assert!(verify_token(&keys, "not.a.token").is_none());
    }

    #[test]
    fn ttl_units_parse() {
        assert_eq!(parse_ttl("90"), Some(Duration::seconds(90)));
        assert_eq!(parse_ttl("15m"), Some(Duration::minutes(15)));
        assert_eq!(parse_ttl("30d"), Some(Duration::days(30)));
        assert_eq!(parse_ttl("0h"), None);
        assert_eq!(parse_ttl("3w"), None);
        assert_eq!(parse_ttl("h"), None);
    }
}
