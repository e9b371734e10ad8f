//! The domain error of every layer below GraphQL, and its stable code.
//!
//! Which error type to use where: report services (this crate), `auth` and `ingest` return
//! [`Error`] ([`Result`]); the GraphQL layer passes it on and maps it to `extensions.code`; HTTP
//! endpoints answer a JSON body with [`Error::code`] and [`Error::message`]. Database errors are logged here, once, with their detail; the client gets a
//! generic message and `INTERNAL`, so no SQL text ever reaches a client.

/// `Display` shows the client's message; the GraphQL layer keeps the error itself as the source
/// of its GraphQL error and reads the code from it (its `code_of`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    Unauthenticated,
    Forbidden(String),
    /// The account's plan, e.g. `BASIC`.
    PlanNotSupported(String),
    BadUserInput(String),
    NotFound(String),
    /// The detail is logged where the error is made and never sent.
    Internal,
}

impl Error {
    /// The stable `extensions.code` (HTTP endpoints: the `code` of the JSON body).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Unauthenticated => "UNAUTHENTICATED",
            Error::Forbidden(_) => "FORBIDDEN",
            Error::PlanNotSupported(_) => "PLAN_NOT_SUPPORTED",
            Error::BadUserInput(_) => "BAD_USER_INPUT",
            Error::NotFound(_) => "NOT_FOUND",
            Error::Internal => "INTERNAL",
        }
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        Error::BadUserInput(message.into())
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Error::Forbidden(message.into())
    }

    /// The message a client reads.
    pub fn message(&self) -> String {
        match self {
            Error::Unauthenticated => "a valid bearer token is required".to_owned(),
            Error::PlanNotSupported(plan) => format!(
                "reports need a Pro, Business, Enterprise, Education or API plan; this account is on {plan}"
            ),
            Error::Forbidden(m) | Error::BadUserInput(m) | Error::NotFound(m) => m.clone(),
            Error::Internal => "internal error".to_owned(),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Error {}

impl From<sea_orm::DbErr> for Error {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        Error::Internal
    }
}

/// The result type of report services.
pub type Result<T> = std::result::Result<T, Error>;
