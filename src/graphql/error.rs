//! How the domain's errors reach a GraphQL client, with their stable `extensions.code`.
//!
//! Which error type to use where: every layer below GraphQL (reports, auth, ingest) returns the
//! domain error `reports::Error`; resolvers, guards and loaders return it too, as [`ApiError`]
//! ([`ApiResult`]), or async-graphql's own `Result` when they also use its context. A domain
//! error converts into an async-graphql error that keeps it as its source; [`code_of`] reads the
//! code back from there when the response is assembled (`schema::execute`), so codes and
//! messages are the domain's and the HTTP endpoints answer the same ones. Database errors are
//! logged where they become `INTERNAL`, and no SQL text reaches a client.

use async_graphql::ServerError;

pub use reports::Error as ApiError;

/// The result type of resolvers that only call the layers below.
pub type ApiResult<T> = Result<T, ApiError>;

/// The `extensions.code` of an error of a response: the domain's code when the error came from
/// the layers below; for errors async-graphql makes itself (parse, validation, limits, input
/// coercion), the limits become `QUERY_TOO_COMPLEX`, the rest `BAD_USER_INPUT`.
pub fn code_of(error: &ServerError) -> &'static str {
    if let Some(domain) = error.source::<ApiError>() {
        return domain.code();
    }
    code_for_untagged(&error.message)
}

fn code_for_untagged(message: &str) -> &'static str {
    if message.contains("too complex") || message.contains("nested too deep") {
        "QUERY_TOO_COMPLEX"
    } else {
        "BAD_USER_INPUT"
    }
}

/// The `extensions.code` of a request the server stopped at its time limit
/// (`REQUEST_TIMEOUT_SECS`), answered HTTP 503. The HTTP layer's other refusals reuse the
/// domain's codes: a missing or bad token is `UNAUTHENTICATED` (401); a body that is not JSON,
/// too large (413), of another media type (415), or a mutation sent over GET (405) is
/// `BAD_USER_INPUT`, the status telling which.
pub const TIMEOUT: &str = "TIMEOUT";

/// The `extensions.code` of a subscription refused because its token or its connection already
/// runs as many operations as the server allows (`http/websocket.rs`): the protocol's `error`
/// message for that operation, the connection staying up.
pub const TOO_MANY_SUBSCRIPTIONS: &str = "TOO_MANY_SUBSCRIPTIONS";
