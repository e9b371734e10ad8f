//! What the server counts, served at `GET /metrics` in the Prometheus text format (0.0.4), and
//! the one log line of every request ([`observe`]).
//!
//! The registry is [`Metrics`], one per application (`AppState::metrics`): no process-wide
//! global, so two routers (the tests build many, in parallel) never add to each other's counts.
//! Whatever serves a request reaches it through the state; the export calls
//! [`Metrics::export_rows`].
//!
//! Label values are bounded whatever clients send: the route is the router's pattern, not the
//! path; the operation name is one of at most [`MAX_OPERATIONS`] names, kept first come first
//! served and only from operations that ran (a refused request, whoever sent it, cannot take a
//! place), the others counted as [`OTHER_OPERATION`]; the outcome is one of the error codes the
//! server itself writes.

use std::{
    collections::HashSet,
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use axum::{
    extract::{MatchedPath, Request, State},
    http::StatusCode,
    middleware::Next,
    response::Response,
};
use prometheus_client::{
    encoding::{prometheus_text, EncodeLabelSet},
    metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram},
    registry::Registry,
};
use tracing::Instrument as _;

use crate::db::Sql;

/// The most operation names labelled apart; the rest are [`OTHER_OPERATION`].
pub const MAX_OPERATIONS: usize = 200;

/// The operation label of a request without an operation name (an anonymous operation, or a
/// request refused before its name was read). Not a GraphQL name, so no operation has it.
pub const ANONYMOUS_OPERATION: &str = "(anonymous)";

/// The operation label once [`MAX_OPERATIONS`] names are kept, and of a name not yet kept on a
/// request that did not run.
pub const OTHER_OPERATION: &str = "(other)";

/// The route label of a request no route matched (a 404).
pub const UNMATCHED_ROUTE: &str = "(unmatched)";

/// The `outcome` of a GraphQL request without errors; otherwise the first error's code.
pub const OK: &str = "ok";

/// The longest operation name labelled as itself.
const MAX_OPERATION_LEN: usize = 100;

/// GraphQL requests take milliseconds to the time limit (`REQUEST_TIMEOUT_SECS`, 30 s).
const LATENCY_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// A query's statements follow its depth, not its rows: a handful, rarely dozens.
const STATEMENT_BUCKETS: [f64; 9] = [0.0, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0];

/// An event is applied within a second of its time when the platform delivers at once; its
/// retries come minutes to hours later, a replayed backlog days later.
const LAG_BUCKETS: [f64; 12] = [
    0.1, 0.5, 1.0, 2.5, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0, 21600.0, 86400.0,
];

/// Where an event came in. Only the webhook is counted here: `import` and `events replay` run
/// in processes of their own, which serve no `/metrics`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IngestSource {
    Webhook,
}

impl IngestSource {
    fn label(self) -> &'static str {
        match self {
            Self::Webhook => "webhook",
        }
    }
}

/// What became of a delivered event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IngestOutcome {
    /// Stored and applied to the report tables.
    Applied,
    /// Stored as FAILED, for `events replay` (unknown account, a type not applied, a refusal).
    DeadLettered,
    /// Stored before: nothing changed.
    Duplicate,
    /// Not stored (a database error, answered 500: the platform retries).
    Error,
}

impl IngestOutcome {
    fn label(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::DeadLettered => "dead_lettered",
            Self::Duplicate => "duplicate",
            Self::Error => "error",
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct GraphqlLabels {
    operation: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    operation: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    route: String,
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FormatLabels {
    format: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct IngestLabels {
    source: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SourceLabels {
    source: &'static str,
}

type HistogramFamily<S> = Family<S, Histogram, fn() -> Histogram>;

/// The application's metrics and their registry.
pub struct Metrics {
    registry: Registry,
    graphql_requests: Family<GraphqlLabels, Counter>,
    graphql_duration: HistogramFamily<OperationLabels>,
    graphql_statements: HistogramFamily<OperationLabels>,
    http_responses: Family<HttpLabels, Counter>,
    export_rows: Family<FormatLabels, Counter>,
    ingest_events: Family<IngestLabels, Counter>,
    ingest_lag: HistogramFamily<SourceLabels>,
    subscriptions_open: Gauge,
    /// The operation names labelled as themselves.
    operations: Mutex<HashSet<String>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::default();
        let graphql_requests = Family::default();
        registry.register(
            "graphql_requests",
            "GraphQL requests by operation name and outcome (ok, or the first error's extensions.code)",
            graphql_requests.clone(),
        );
        let graphql_duration: HistogramFamily<_> =
            Family::new_with_constructor(|| Histogram::new(LATENCY_BUCKETS));
        registry.register(
            "graphql_request_duration_seconds",
            "Time to answer a GraphQL request, refusals and time-outs included, by operation name",
            graphql_duration.clone(),
        );
        let graphql_statements: HistogramFamily<_> =
            Family::new_with_constructor(|| Histogram::new(STATEMENT_BUCKETS));
        registry.register(
            "graphql_sql_statements",
            "SQL statements run by a GraphQL request (its extensions.cost.sqlStatements), by operation name",
            graphql_statements.clone(),
        );
        let http_responses = Family::default();
        registry.register(
            "http_responses",
            "HTTP responses by route pattern and status class",
            http_responses.clone(),
        );
        let export_rows = Family::default();
        registry.register(
            "export_rows",
            "Rows written by exports, by format",
            export_rows.clone(),
        );
        let ingest_events = Family::default();
        registry.register(
            "ingest_events",
            "Events delivered, by source and outcome (applied, dead_lettered, duplicate, error)",
            ingest_events.clone(),
        );
        let ingest_lag: HistogramFamily<_> =
            Family::new_with_constructor(|| Histogram::new(LAG_BUCKETS));
        registry.register(
            "ingest_freshness_lag_seconds",
            "Seconds from an applied event's time (event_ts) to its commit, by source",
            ingest_lag.clone(),
        );
        let subscriptions_open = Gauge::default();
        registry.register(
            "graphql_subscriptions_open",
            "GraphQL operations running over WebSocket connections (subscriptions, and queries sent over them)",
            subscriptions_open.clone(),
        );
        Self {
            registry,
            subscriptions_open,
            graphql_requests,
            graphql_duration,
            graphql_statements,
            http_responses,
            export_rows,
            ingest_events,
            ingest_lag,
            operations: Mutex::new(HashSet::new()),
        }
    }

    /// The gauge of operations running over WebSocket connections: `http/websocket.rs` moves
    /// it as each one starts and ends.
    pub fn subscriptions_open(&self) -> Gauge {
        self.subscriptions_open.clone()
    }

    /// The metrics in the Prometheus text format, [`CONTENT_TYPE`].
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut text = String::new();
        prometheus_text::encode(&mut text, &self.registry)?;
        Ok(text)
    }

    /// Counts `rows` more rows written by an export in `format` (`csv` or `ndjson`; anything
    /// else is counted as `other`). Call it as rows go out, as often as convenient: per row,
    /// per page, or once at the end.
    pub fn export_rows(&self, format: &str, rows: u64) {
        let format = match format {
            "csv" => "csv",
            "ndjson" => "ndjson",
            _ => "other",
        };
        self.export_rows
            .get_or_create(&FormatLabels { format })
            .inc_by(rows);
    }

    /// Counts a delivered event; an applied one's lag is observed too: from its `event_ts`
    /// (milliseconds) to `committed_ms`. An event time ahead of the clock counts as no lag.
    pub fn event_ingested(
        &self,
        source: IngestSource,
        outcome: IngestOutcome,
        event_ts_ms: i64,
        committed_ms: i64,
    ) {
        let source = source.label();
        self.ingest_events
            .get_or_create(&IngestLabels {
                source,
                outcome: outcome.label(),
            })
            .inc();
        if outcome == IngestOutcome::Applied {
            let lag_ms = committed_ms.saturating_sub(event_ts_ms).max(0);
            self.ingest_lag
                .get_or_create(&SourceLabels { source })
                .observe(lag_ms as f64 / 1000.0);
        }
    }

    fn graphql_request(
        &self,
        request: &GraphqlRequest,
        outcome: &str,
        elapsed: Duration,
    ) -> String {
        let operation = self.operation_label(request.operation.as_deref(), request.executed);
        self.graphql_requests
            .get_or_create(&GraphqlLabels {
                operation: operation.clone(),
                outcome: outcome.to_owned(),
            })
            .inc();
        let labels = OperationLabels {
            operation: operation.clone(),
        };
        self.graphql_duration
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
        if let Some(sql) = &request.sql {
            self.graphql_statements
                .get_or_create(&labels)
                .observe(sql.statements() as f64);
        }
        operation
    }

    /// The label of an operation name: itself once kept; kept when there is room and its
    /// operation ran.
    fn operation_label(&self, name: Option<&str>, executed: bool) -> String {
        let Some(name) = name.filter(|name| !name.is_empty()) else {
            return ANONYMOUS_OPERATION.to_owned();
        };
        if !is_label(name) {
            return OTHER_OPERATION.to_owned();
        }
        let mut kept = self
            .operations
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if kept.contains(name) {
            return name.to_owned();
        }
        if executed && kept.len() < MAX_OPERATIONS {
            kept.insert(name.to_owned());
            return name.to_owned();
        }
        OTHER_OPERATION.to_owned()
    }

    fn http_response(&self, route: Option<&str>, status: StatusCode) {
        let status = match status.as_u16() {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        self.http_responses
            .get_or_create(&HttpLabels {
                route: route.unwrap_or(UNMATCHED_ROUTE).to_owned(),
                status,
            })
            .inc();
    }
}

/// The `Content-Type` of `GET /metrics`.
pub const CONTENT_TYPE: &str = prometheus_text::CONTENT_TYPE;

/// A name as a document defines it (`[_A-Za-z][_0-9A-Za-z]*`), and not too long: a label, or a
/// log field, that cannot carry anything else (`operationName` is any string a client sends).
fn is_label(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= MAX_OPERATION_LEN
        && chars
            .next()
            .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// The outcome code a response answers with: set by the GraphQL handler (`ok` or the first
/// error's code) and by every refusal, read by [`observe`].
#[derive(Clone, Debug)]
pub struct OutcomeCode(pub String);

/// What the GraphQL handler learns of its request while it runs. [`observe`] puts one in the
/// request's extensions and reads it when the response is out, also when the time limit cut the
/// handler off (the operation's name and its statements so far are then still known).
#[derive(Default)]
pub struct GraphqlTrace(Mutex<GraphqlRequest>);

#[derive(Default, Clone)]
struct GraphqlRequest {
    operation: Option<String>,
    sql: Option<Sql>,
    executed: bool,
}

impl GraphqlTrace {
    /// The operation's name, once read from the request (or its document).
    pub fn operation(&self, name: Option<String>) {
        self.state().operation = name;
    }

    /// The request's statement counter.
    pub fn sql(&self, sql: &Sql) {
        self.state().sql = Some(sql.clone());
    }

    /// The operation ran (it parsed, validated and was chosen).
    pub fn executed(&self, executed: bool) {
        self.state().executed = executed;
    }

    fn state(&self) -> std::sync::MutexGuard<'_, GraphqlRequest> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The middleware around every route: counts the response by route and status class, a GraphQL
/// request by operation and outcome with its latency and statements, and logs the request once
/// (method, path, status, latency; for GraphQL the operation and outcome, for any refusal its
/// code) at INFO. What the request logs while it runs carries its method and path (a span).
pub async fn observe(
    State(metrics): State<Arc<Metrics>>,
    mut request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|route| route.as_str().to_owned());
    let graphql = (route.as_deref() == Some("/graphql")).then(|| {
        let trace = Arc::new(GraphqlTrace::default());
        request.extensions_mut().insert(trace.clone());
        trace
    });
    let span = tracing::info_span!("request", method = %method, path = %path);
    let response = next.run(request).instrument(span).await;
    let elapsed = started.elapsed();
    let status = response.status();
    metrics.http_response(route.as_deref(), status);
    let code = response
        .extensions()
        .get::<OutcomeCode>()
        .map(|code| code.0.as_str());
    // The playground's page (GET /graphql from a browser) has no outcome: not a GraphQL request.
    // Logged by its own name, which the metrics may fold into a label.
    let operation = match (&graphql, code) {
        (Some(trace), Some(code)) => {
            let request = trace.state().clone();
            let label = metrics.graphql_request(&request, code, elapsed);
            Some(
                request
                    .operation
                    .filter(|name| is_label(name))
                    .unwrap_or(label),
            )
        }
        _ => None,
    };
    // In tenths of a millisecond.
    let latency_ms = (elapsed.as_micros() as f64 / 100.0).round() / 10.0;
    tracing::info!(
        method = %method,
        path = %path,
        status = status.as_u16(),
        latency_ms,
        operation = operation.as_deref(),
        code,
        "request"
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_are_kept_up_to_the_cap_and_only_from_operations_that_ran() {
        let metrics = Metrics::new();
        assert_eq!(metrics.operation_label(None, true), ANONYMOUS_OPERATION);
        assert_eq!(metrics.operation_label(Some(""), true), ANONYMOUS_OPERATION);
        assert_eq!(
            metrics.operation_label(Some("Seen"), false),
            OTHER_OPERATION
        );
        assert_eq!(metrics.operation_label(Some("Seen"), true), "Seen");
        assert_eq!(metrics.operation_label(Some("Seen"), false), "Seen");
        assert_eq!(
            metrics.operation_label(Some("not a name"), true),
            OTHER_OPERATION
        );
        assert_eq!(
            metrics.operation_label(Some(&"A".repeat(MAX_OPERATION_LEN + 1)), true),
            OTHER_OPERATION
        );
        for n in 1..MAX_OPERATIONS {
            assert_eq!(
                metrics.operation_label(Some(&format!("Op{n}")), true),
                format!("Op{n}")
            );
        }
        assert_eq!(
            metrics.operation_label(Some("OneTooMany"), true),
            OTHER_OPERATION
        );
        assert_eq!(metrics.operation_label(Some("Op1"), true), "Op1");
    }

    #[test]
    fn export_rows_add_up_by_format() {
        let metrics = Metrics::new();
        metrics.export_rows("csv", 3);
        metrics.export_rows("csv", 2);
        metrics.export_rows("ndjson", 1);
        metrics.export_rows("xml", 7);
        let text = metrics.encode().expect("the metrics encode");
        assert!(
            text.contains("export_rows_total{format=\"csv\"} 5\n"),
            "{text}"
        );
        assert!(
            text.contains("export_rows_total{format=\"ndjson\"} 1\n"),
            "{text}"
        );
        assert!(
            text.contains("export_rows_total{format=\"other\"} 7\n"),
            "{text}"
        );
    }

    #[test]
    fn an_event_time_ahead_of_the_clock_is_no_lag() {
        let metrics = Metrics::new();
        metrics.event_ingested(IngestSource::Webhook, IngestOutcome::Applied, 5_000, 1_000);
        metrics.event_ingested(IngestSource::Webhook, IngestOutcome::Duplicate, 0, i64::MAX);
        let text = metrics.encode().expect("the metrics encode");
        assert!(
            text.contains("ingest_freshness_lag_seconds_sum{source=\"webhook\"} 0.0\n"),
            "{text}"
        );
        assert!(
            text.contains("ingest_freshness_lag_seconds_count{source=\"webhook\"} 1\n"),
            "{text}"
        );
    }
}
