//! Any report as a file: a GraphQL document whose root field is a connection, run page after
//! page through the same schema, guards and limits as a query (so a role exports exactly what
//! it may read), each page written as CSV rows or NDJSON lines as soon as it is read. Memory
//! holds one page at a time; `POST /export` (`http.rs`) and `meeting-reports export`
//! (`cli/export.rs`) both drive an [`Export`].
//!
//! The document is read before anything runs ([`plan`]): its root connection is rewritten to
//! select `nodes` and where the page ends; `first` becomes the page size and `after` where the
//! export starts. Without `first`, the first page is one row (the first byte comes at once)
//! and each next one is sized from the bytes per row of the last ([`PAGE_BYTES`]; at most 300
//! rows, fewer when the complexity limit refuses a page), so memory holds about one MiB of
//! rows whatever the selection. Every page runs as its own request (its own loaders); any error
//! fails the export: before the first byte as an error body, after it by ending the stream
//! without its last chunk, so a client sees an incomplete download, never a silent cut.

mod plan;
mod rows;
mod types;

use async_graphql::{indexmap::IndexMap, Name, Request, ServerError, Value, Variables};
use chrono::Utc;
use sea_orm::DatabaseConnection;

use crate::{
    auth::Viewer,
    db::Sql,
    graphql::{
        connection::MAX_PAGE,
        error::ApiError,
        schema::{answer, AppSchema},
    },
};
use plan::{Plan, ID_KEY, MORE_KEY, PAGE_KEY, PARENT_KEY};
pub use types::SchemaTypes;

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 4180 CSV with a header row: a row per node (per element of its deepest list).
    Csv,
    /// One JSON object per node and line, nesting kept.
    Ndjson,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "ndjson" | "jsonl" => Some(Format::Ndjson),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Ndjson => "application/x-ndjson",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Ndjson => "ndjson",
        }
    }
}

/// Why an export failed: GraphQL errors, each with its `extensions.code`.
#[derive(Debug)]
pub struct ExportError {
    pub errors: Vec<ServerError>,
}

impl ExportError {
    fn of(err: ApiError) -> Self {
        let mut error = ServerError::new(err.message(), None);
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", err.code());
        ExportError {
            errors: vec![error],
        }
    }

    /// The first error's code.
    pub fn code(&self) -> &str {
        self.errors.first().map_or("INTERNAL", code_of)
    }

    /// The errors' messages, one per line (for the command line).
    pub fn messages(&self) -> String {
        self.errors
            .iter()
            .map(|e| format!("{}: {}", code_of(e), e.message))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// An error's `extensions.code` (`INTERNAL` when it has none).
fn code_of(error: &ServerError) -> &str {
    match error.extensions.as_ref().and_then(|e| e.get("code")) {
        Some(Value::String(code)) => code,
        _ => "INTERNAL",
    }
}

/// An export in progress: the first page is read by [`Export::start`], each next one by
/// [`Export::next_chunk`].
pub struct Export {
    schema: AppSchema,
    db: DatabaseConnection,
    viewer: Viewer,
    plan: Plan,
    format: Format,
    query: String,
    variables: Variables,
    page_size: usize,
    after: Option<String>,
    /// The first page's bytes, until taken.
    pending: Option<Vec<u8>>,
    done: bool,
    rows: u64,
    /// The largest page the complexity limit let through (a page refused as too complex
    /// halves it).
    ceiling: usize,
}

/// The bytes a page aims at when the document leaves its size to the export: each next page
/// is sized from the bytes per row of the last, so a page of meetings with their join rows
/// holds about as much as one of logs (and memory one page of either).
const PAGE_BYTES: usize = 1 << 20;

/// The next page size after a page of `size` rows wrote `bytes`: towards [`PAGE_BYTES`], at
/// most eight times larger, within `1..=ceiling`.
fn next_page_size(size: usize, bytes: usize, ceiling: usize) -> usize {
    let fit = size.saturating_mul(PAGE_BYTES) / bytes.max(1);
    fit.clamp(1, size.saturating_mul(8)).min(ceiling).max(1)
}

impl Export {
    /// Reads the document and runs the first page: every error of the document, the guards
    /// or the report's rules (a range over the limits) is found here, before the first byte.
    pub async fn start(
        schema: &AppSchema,
        db: &DatabaseConnection,
        viewer: Viewer,
        request: Request,
        format: Format,
    ) -> Result<Export, ExportError> {
        let types = SchemaTypes::of(schema);
        let plan = Plan::new(
            &types,
            &request.query,
            request.operation_name.as_deref(),
            &request.variables,
            format == Format::Csv,
        )
        .map_err(ExportError::of)?;
        let mut export = Export {
            schema: schema.clone(),
            db: db.clone(),
            viewer,
            // Without `first`, the first page is one row: it comes back at once, and its cost
            // estimate sizes the next pages.
            page_size: plan.first.unwrap_or(1),
            after: plan.after.clone(),
            plan,
            format,
            query: request.query,
            variables: request.variables,
            pending: None,
            done: false,
            rows: 0,
            ceiling: MAX_PAGE as usize,
        };
        let mut first = Vec::new();
        if format == Format::Csv {
            rows::write_record(
                &mut first,
                plan::headers(&export.plan.columns)
                    .iter()
                    .map(String::as_str),
            );
        }
        export.page(&mut first).await?;
        export.pending = Some(first);
        Ok(export)
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// The file name to offer: the root field and the day, `meetings-2026-12-01.csv`.
    pub fn file_name(&self) -> String {
        format!(
            "{}-{}.{}",
            self.plan.root_field,
            Utc::now().format("%Y-%m-%d"),
            self.format.as_str()
        )
    }

    /// Rows written so far (CSV rows, or NDJSON lines).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The next page's bytes; `None` after the last.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, ExportError> {
        if let Some(first) = self.pending.take() {
            return Ok(Some(first));
        }
        if self.done {
            return Ok(None);
        }
        let mut out = Vec::new();
        match self.page(&mut out).await {
            Ok(()) => Ok(Some(out)),
            Err(e) => {
                self.done = true;
                Err(e)
            }
        }
    }

    /// Runs one page and appends its rows; sizes the next page when the document does not.
    async fn page(&mut self, out: &mut Vec<u8>) -> Result<(), ExportError> {
        let before = out.len();
        loop {
            match self.run_page(out).await {
                Ok(()) => break,
                // A page refused as too complex (validation, before any SQL) may pass at half
                // the rows, when the size is the export's to choose.
                Err(e)
                    if e.code() == "QUERY_TOO_COMPLEX"
                        && self.plan.first.is_none()
                        && self.page_size > 1 =>
                {
                    self.page_size /= 2;
                    self.ceiling = self.page_size;
                }
                Err(e) => return Err(e),
            }
        }
        if self.plan.first.is_none() {
            self.page_size = next_page_size(self.page_size, out.len() - before, self.ceiling);
        }
        Ok(())
    }

    async fn run_page(&mut self, out: &mut Vec<u8>) -> Result<(), ExportError> {
        let mut request = Request::new(self.query.clone()).variables(self.variables.clone());
        request.set_parsed_query(self.plan.page(self.page_size, self.after.as_deref()));
        let sql = Sql::new(self.db.clone());
        let response = answer(&self.schema, sql, Some(self.viewer.clone()), request)
            .await
            .response;
        if !response.errors.is_empty() {
            return Err(ExportError {
                errors: response.errors,
            });
        }
        let mut data = response.data;
        let connection = match &mut data {
            Value::Object(data) => data.get_mut(&self.plan.root_key),
            _ => None,
        };
        let Some(Value::Object(connection)) = connection else {
            // A nullable root that resolved to null: nothing to export.
            self.done = true;
            return Ok(());
        };
        if let Some(Value::List(nodes)) = connection.get_mut("nodes") {
            for node in nodes {
                self.complete(node).await?;
                match self.format {
                    Format::Csv => self.rows += rows::write_node(out, &self.plan.columns, node),
                    Format::Ndjson => {
                        rows::write_json_line(out, node).map_err(|e| {
                            tracing::error!(error = %e, "an exported node does not serialise");
                            ExportError::of(ApiError::Internal)
                        })?;
                        self.rows += 1;
                    }
                }
            }
        }
        let page = match connection.get(PAGE_KEY) {
            Some(Value::Object(page)) => Some(page),
            _ => None,
        };
        let has_next = matches!(
            page.and_then(|p| p.get("hasNextPage")),
            Some(Value::Boolean(true))
        );
        let end = match page.and_then(|p| p.get(&Name::new("endCursor"))) {
            Some(Value::String(cursor)) => Some(cursor.clone()),
            _ => None,
        };
        match (has_next, end) {
            (true, Some(end)) => self.after = Some(end),
            _ => self.done = true,
        }
        Ok(())
    }

    /// Writes a row's lists whole: a connection directly under the row whose page was not its
    /// last is read on from the row (`meeting(id:) { participants(after:) }`), page after
    /// page; one deeper whose page was not its last fails the export, naming it. Then the
    /// keys the export added are taken out.
    async fn complete(&mut self, node: &mut Value) -> Result<(), ExportError> {
        let Value::Object(fields) = node else {
            return Ok(());
        };
        let id = match fields.shift_remove(ID_KEY) {
            Some(Value::String(id)) => Some(id),
            _ => None,
        };
        let keys: Vec<Name> = self.plan.completions.keys().cloned().collect();
        for key in keys {
            let (Some(id), Some(Value::Object(list))) = (&id, fields.get_mut(&key)) else {
                continue;
            };
            let mut after = next_cursor(list);
            while let Some(cursor) = after {
                let rest = self.rest_of_list(&key, id, &cursor).await?;
                let Some(Value::Object(mut rest)) = rest else {
                    break;
                };
                after = next_cursor(&rest);
                for (name, value) in rest.iter_mut() {
                    if name == MORE_KEY {
                        continue;
                    }
                    if let (Some(Value::List(items)), Value::List(more)) =
                        (list.get_mut(name), std::mem::take(value))
                    {
                        items.extend(more);
                    }
                }
                list.insert(Name::new(MORE_KEY), Value::Null);
            }
        }
        if let Some(path) = cut_list(node, &mut Vec::new()) {
            return Err(ExportError::of(ApiError::bad_input(format!(
                "`{path}` holds more rows than one page, and only the lists directly under an \
                 export's rows are read on to their end: export that list from a root field \
                 of its own, or select it directly under the rows"
            ))));
        }
        Ok(())
    }

    /// The next page of the list `key` of row `id`: the connection object, or `None` when
    /// the row can no longer be read.
    async fn rest_of_list(
        &mut self,
        key: &Name,
        id: &str,
        after: &str,
    ) -> Result<Option<Value>, ExportError> {
        let mut first = MAX_PAGE as usize;
        loop {
            let Some(document) = self.plan.rest_of_list(key, id, first, after) else {
                return Ok(None);
            };
            let mut request = Request::new(self.query.clone()).variables(self.variables.clone());
            request.set_parsed_query(document);
            let sql = Sql::new(self.db.clone());
            let response = answer(&self.schema, sql, Some(self.viewer.clone()), request)
                .await
                .response;
            if !response.errors.is_empty() {
                let error = ExportError {
                    errors: response.errors,
                };
                if error.code() == "QUERY_TOO_COMPLEX" && first > 1 {
                    first /= 2;
                    continue;
                }
                return Err(error);
            }
            let Value::Object(mut data) = response.data else {
                return Ok(None);
            };
            return Ok(match data.shift_remove(PARENT_KEY) {
                Some(Value::Object(mut parent)) => parent.shift_remove(key),
                _ => None,
            });
        }
    }
}

/// The cursor after a nested page that was not its list's last.
fn next_cursor(connection: &IndexMap<Name, Value>) -> Option<String> {
    let Some(Value::Object(page)) = connection.get(MORE_KEY) else {
        return None;
    };
    match (page.get("hasNextPage"), page.get("endCursor")) {
        (Some(Value::Boolean(true)), Some(Value::String(cursor))) => Some(cursor.clone()),
        _ => None,
    }
}

/// Takes the export's page ends out of a row; the path of the first list cut at its page.
fn cut_list(value: &mut Value, path: &mut Vec<String>) -> Option<String> {
    let mut cut = None;
    match value {
        Value::Object(fields) => {
            if let Some(Value::Object(page)) = fields.shift_remove(MORE_KEY) {
                if matches!(page.get("hasNextPage"), Some(Value::Boolean(true))) {
                    cut = Some(path.join("."));
                }
            }
            for (name, child) in fields.iter_mut() {
                path.push(name.to_string());
                let inner = cut_list(child, path);
                path.pop();
                cut = cut.or(inner);
            }
        }
        Value::List(items) => {
            for item in items {
                let inner = cut_list(item, path);
                cut = cut.or(inner);
            }
        }
        _ => {}
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_grow_towards_the_byte_budget_within_their_bounds() {
        assert_eq!(next_page_size(1, 100, 300), 8, "at most eight times larger");
        assert_eq!(next_page_size(8, 800, 300), 64);
        assert_eq!(next_page_size(100, 10_000, 300), 300, "never past 300");
        assert_eq!(
            next_page_size(100, 10_000, 75),
            75,
            "nor past the complexity ceiling"
        );
        assert_eq!(
            next_page_size(300, 4 << 20, 300),
            75,
            "a heavy page shrinks the next"
        );
        assert_eq!(next_page_size(1, 50 << 20, 300), 1);
        assert_eq!(next_page_size(5, 0, 300), 40, "an empty page still grows");
    }
}
