//! The one error type of the API, and its stable `extensions.code`.
//!
//! Use [`ApiError`] in every resolver and report service. Database and internal errors are
//! logged here, once, with their detail; the client gets a generic message and `INTERNAL`, so no
//! SQL text ever reaches a client.

use async_graphql::ErrorExtensions;

/// Deliberately not `Display`: async-graphql turns any `Display` error into an error without a
/// code, so `ApiError` converts only through the `From` impl below, which sets the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    Unauthenticated,
    Forbidden(String),
    /// The account's plan, e.g. `BASIC`.
    PlanNotSupported(String),
    BadUserInput(String),
    NotFound(String),
    /// The detail is logged where the error is made and never sent.
    Internal,
}

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated => "UNAUTHENTICATED",
            ApiError::Forbidden(_) => "FORBIDDEN",
            ApiError::PlanNotSupported(_) => "PLAN_NOT_SUPPORTED",
            ApiError::BadUserInput(_) => "BAD_USER_INPUT",
            ApiError::NotFound(_) => "NOT_FOUND",
            ApiError::Internal => "INTERNAL",
        }
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        ApiError::BadUserInput(message.into())
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::Forbidden(message.into())
    }

    /// The message a client reads.
    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthenticated => "a valid bearer token is required".to_owned(),
            ApiError::PlanNotSupported(plan) => format!(
                "reports need a Pro, Business, Enterprise, Education or API plan; this account is on {plan}"
            ),
            ApiError::Forbidden(m) | ApiError::BadUserInput(m) | ApiError::NotFound(m) => m.clone(),
            ApiError::Internal => "internal error".to_owned(),
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        ApiError::Internal
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        let code = self.code();
        async_graphql::Error::new(self.message()).extend_with(|_, e| e.set("code", code))
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        err.extend()
    }
}

/// The result type of resolvers.
pub type ApiResult<T> = Result<T, ApiError>;

/// Codes for errors async-graphql makes itself (parse, validation, limits, input coercion),
/// which carry none: the limits become `QUERY_TOO_COMPLEX`, the rest `BAD_USER_INPUT`.
pub fn code_for_untagged(message: &str) -> &'static str {
    if message.contains("too complex") || message.contains("nested too deep") {
        "QUERY_TOO_COMPLEX"
    } else {
        "BAD_USER_INPUT"
    }
}
