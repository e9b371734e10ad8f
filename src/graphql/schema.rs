//! Building the schema, its limits, and running one request with its accounting.

use std::sync::{
    atomic::{AtomicBool, AtomicUsize, Ordering},
    Arc,
};

use async_graphql::{
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute, NextValidation},
    parser::types::{DocumentOperations, ExecutableDocument, OperationDefinition, Selection},
    EmptyMutation, Positioned, Request, Response, Schema, ServerError, ValidationResult, Value,
};

use crate::{
    auth::Viewer,
    config::ReportSettings,
    db::Sql,
    graphql::{context::RequestContext, error::code_of, query::Query, subscription::Subscription},
};

pub type AppSchema = Schema<Query, EmptyMutation, Subscription>;

/// The schema with its limits: a too deep or too costly query is refused with
/// `QUERY_TOO_COMPLEX` during validation, before any SQL runs.
pub fn build_schema(settings: ReportSettings) -> AppSchema {
    Schema::build(Query::default(), EmptyMutation, Subscription)
        .limit_depth(settings.max_depth)
        .limit_complexity(settings.max_complexity)
        .extension(CostMeterExtension)
        .data(settings)
        .finish()
}

/// The request's measured cost: the complexity estimate found by validation; and whether its
/// operation was executed at all.
#[derive(Default, Clone)]
pub struct CostMeter {
    estimated: Arc<AtomicUsize>,
    executed: Arc<AtomicBool>,
}

struct CostMeterExtension;

impl ExtensionFactory for CostMeterExtension {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(CostMeterExtension)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for CostMeterExtension {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if let Some(meter) = ctx.data_opt::<CostMeter>() {
            meter.estimated.store(result.complexity, Ordering::Relaxed);
        }
        Ok(result)
    }

    /// Reached only once the document parsed and validated and its operation was chosen.
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        if let Some(meter) = ctx.data_opt::<CostMeter>() {
            meter.executed.store(true, Ordering::Relaxed);
        }
        next.run(ctx, operation_name).await
    }
}

/// A response, and whether its operation ran. One that did not is a *request error* (the
/// document does not parse or validate, no operation of that name, a variable refused): the
/// GraphQL-over-HTTP specification gives it no `data` entry and, under
/// `application/graphql-response+json`, an HTTP 400.
pub struct Answer {
    pub response: Response,
    pub executed: bool,
}

/// Runs one request for `viewer` (or, with none, an introspection-only request): builds the
/// request's loaders, tags every error with a code and reports the cost in
/// `extensions.cost { estimated sqlStatements }`.
pub async fn execute(
    schema: &AppSchema,
    sql: Sql,
    viewer: Option<Viewer>,
    request: Request,
) -> Response {
    answer(schema, sql, viewer, request).await.response
}

/// [`execute`], saying whether the operation ran (`http.rs` picks the status from it).
pub async fn answer(
    schema: &AppSchema,
    sql: Sql,
    viewer: Option<Viewer>,
    mut request: Request,
) -> Answer {
    let meter = CostMeter::default();
    let mut response = match missing_variable(&mut request) {
        Some(error) => Response::from_errors(vec![error]),
        None => {
            let mut request = request.data(meter.clone());
            if let Some(viewer) = viewer {
                request = request.data(RequestContext::new(viewer, sql.clone()));
            }
            schema.execute(request).await
        }
    };
    tag_codes(&mut response);
    let mut cost = async_graphql::indexmap::IndexMap::new();
    cost.insert(
        async_graphql::Name::new("estimated"),
        Value::from(meter.estimated.load(Ordering::Relaxed) as u64),
    );
    cost.insert(
        async_graphql::Name::new("sqlStatements"),
        Value::from(sql.statements() as u64),
    );
    response
        .extensions
        .insert("cost".to_owned(), Value::Object(cost));
    Answer {
        response,
        executed: meter.executed.load(Ordering::Relaxed),
    }
}

/// Gives every error of the response its `extensions.code` (`error::code_of`), unless it has
/// one; subscriptions' responses go through it too (`http/websocket.rs`).
pub fn tag_codes(response: &mut Response) {
    for error in &mut response.errors {
        let tagged = error
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if !tagged {
            let code = code_of(error);
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", code);
        }
    }
}

/// A variable of a non-null type that the request leaves out (with no default) or sends as
/// null. Validation checks the values a request sends against the arguments they fill, but
/// not the ones it omits: async-graphql would find those while resolving, as a field error
/// with `data`, where the specification makes a failed coercion a request error.
fn missing_variable(request: &mut Request) -> Option<ServerError> {
    let name = request.operation_name.clone();
    let variables = request.variables.clone();
    let document = request.parsed_query().ok()?;
    let operation = selected_operation(document, name.as_deref())?;
    operation.node.variable_definitions.iter().find_map(|def| {
        let def = &def.node;
        let value = variables.get(&def.name.node);
        let missing = match value {
            None => def.default_value.is_none(),
            Some(value) => *value == Value::Null,
        };
        (!def.var_type.node.nullable && missing).then(|| {
            ServerError::new(
                format!(
                    "variable ${} of non-null type {} must not be null",
                    def.name.node, def.var_type.node
                ),
                Some(def.name.pos),
            )
        })
    })
}

/// The operation a request runs, as async-graphql chooses it: the one named, or the only one
/// (an anonymous operation has no name to ask for).
pub fn selected_operation<'a>(
    document: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<&'a Positioned<OperationDefinition>> {
    match (&document.operations, name) {
        (DocumentOperations::Single(operation), None) => Some(operation),
        (DocumentOperations::Single(_), Some(_)) => None,
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name),
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next()
        }
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// True when every operation of the document selects only introspection fields, which are
/// public (the SDL is served at `/schema.graphql` too): GraphiQL loads its docs before a token
/// is entered.
pub fn is_introspection_only(query: &str) -> bool {
    let Ok(doc) = async_graphql::parser::parse_query(query) else {
        return false;
    };
    introspection_only(&doc)
}

fn introspection_only(doc: &ExecutableDocument) -> bool {
    doc.operations.iter().all(|(_, op)| {
        op.node
            .selection_set
            .node
            .items
            .iter()
            .all(|sel| match &sel.node {
                Selection::Field(f) => {
                    matches!(
                        f.node.name.node.as_str(),
                        "__schema" | "__type" | "__typename"
                    )
                }
                _ => false,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pure_introspection_runs_without_a_token() {
        assert!(is_introspection_only("{ __schema { types { name } } }"));
        assert!(is_introspection_only(
            "query I { __type(name: \"Meeting\") { name } __typename }"
        ));
        assert!(!is_introspection_only(
            "{ __schema { types { name } } viewer { privileges } }"
        ));
        assert!(!is_introspection_only(
            "{ ...F } fragment F on Query { viewer { privileges } }"
        ));
        assert!(!is_introspection_only("not graphql"));
    }
}
