//! Building the schema, its limits, and running one request with its accounting.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};

use async_graphql::{
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation},
    parser::types::{ExecutableDocument, Selection},
    EmptyMutation, EmptySubscription, Request, Response, Schema, ServerError, ValidationResult,
    Value,
};

use crate::{
    auth::Viewer,
    config::ReportSettings,
    db::Sql,
    graphql::{context::RequestContext, error::code_of, query::Query},
};

pub type AppSchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// The schema with its limits: a too deep or too costly query is refused with
/// `QUERY_TOO_COMPLEX` during validation, before any SQL runs.
pub fn build_schema(settings: ReportSettings) -> AppSchema {
    Schema::build(Query::default(), EmptyMutation, EmptySubscription)
        .limit_depth(settings.max_depth)
        .limit_complexity(settings.max_complexity)
        .extension(CostMeterExtension)
        .data(settings)
        .finish()
}

/// The request's measured cost: the complexity estimate found by validation.
#[derive(Default, Clone)]
pub struct CostMeter {
    estimated: Arc<AtomicUsize>,
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
    let meter = CostMeter::default();
    let mut request = request.data(meter.clone());
    if let Some(viewer) = viewer {
        request = request.data(RequestContext::new(viewer, sql.clone()));
    }
    let mut response = schema.execute(request).await;
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
    response
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
