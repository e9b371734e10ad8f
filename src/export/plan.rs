//! What an export runs, read from its GraphQL document before anything executes: the one root
//! connection, rewritten to select only its rows (`nodes`) and where its page ends
//! (`pageInfo`); the node type; and, for CSV, the columns and the one list a row stands for.

use std::collections::{HashMap, HashSet};

use async_graphql::{
    parser::types::{
        Directive, DocumentOperations, ExecutableDocument, Field, FragmentDefinition,
        OperationDefinition, OperationType, Selection, SelectionSet, VariableDefinition,
    },
    Name, Pos, Positioned, Value, Variables,
};

use super::types::{FieldType, SchemaTypes};
use crate::graphql::{connection::MAX_PAGE, error::ApiError};

/// The response key the page's end is read from; not a column.
pub const PAGE_KEY: &str = "_exportPage";
/// The response key, in every nested connection, of where its page ends: a list is written
/// whole, never cut at its page.
pub const MORE_KEY: &str = "_exportMore";
/// The response key of a row's id, read to fetch the rest of its lists.
pub const ID_KEY: &str = "_exportId";
/// The response key of the row a rest-of-list page reads.
pub const PARENT_KEY: &str = "_exportParent";

/// A column of the CSV, or an object (or list of objects) whose leaves are columns.
#[derive(Debug, Clone)]
pub enum Column {
    /// A scalar or enum field (a list of them is one cell, its items joined by `; `).
    Leaf { key: Name },
    /// An object field; `list` when it returns a list: a row per element.
    Object {
        key: Name,
        list: bool,
        children: Vec<Column>,
    },
}

impl Column {
    pub fn key(&self) -> &Name {
        match self {
            Column::Leaf { key } | Column::Object { key, .. } => key,
        }
    }

    /// How many cells this column writes.
    pub fn width(&self) -> usize {
        match self {
            Column::Leaf { .. } => 1,
            Column::Object { children, .. } => children.iter().map(Column::width).sum(),
        }
    }

    fn headers(&self, prefix: &str, out: &mut Vec<String>) {
        let path = if prefix.is_empty() {
            self.key().to_string()
        } else {
            format!("{prefix}.{}", self.key())
        };
        match self {
            Column::Leaf { .. } => out.push(path),
            Column::Object { children, .. } => {
                for child in children {
                    child.headers(&path, out);
                }
            }
        }
    }

    /// The path of the first list at or under this column.
    fn first_list(&self, prefix: &str) -> Option<String> {
        let path = if prefix.is_empty() {
            self.key().to_string()
        } else {
            format!("{prefix}.{}", self.key())
        };
        match self {
            Column::Leaf { .. } => None,
            Column::Object { list: true, .. } => Some(path),
            Column::Object { children, .. } => children.iter().find_map(|c| c.first_list(&path)),
        }
    }
}

/// The header row: every leaf by its dotted path of response keys, in document order.
pub fn headers(columns: &[Column]) -> Vec<String> {
    let mut out = Vec::new();
    for column in columns {
        column.headers("", &mut out);
    }
    out
}

/// An export's document, ready to run page after page.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The document with one operation (the export's), its root connection selecting
    /// `nodes { ... }` and `_exportPage: pageInfo { hasNextPage endCursor }`.
    pub document: ExecutableDocument,
    /// The root field's response key (its alias, or its name).
    pub root_key: Name,
    /// The root field's name (the file is named after it).
    pub root_field: String,
    /// The page size the document asked for (`first`), if it did.
    pub first: Option<usize>,
    /// Where the document asked to start (`after`), if it did.
    pub after: Option<String>,
    /// The selection under the node, as columns (for CSV; none for NDJSON).
    pub columns: Vec<Column>,
    /// The connections directly under the node that can be read on from their row (the
    /// node's type has a root field by id), by response key.
    pub completions: HashMap<Name, Completion>,
    /// The operation's variable definitions, for the rest-of-list pages.
    variable_definitions: Vec<Positioned<VariableDefinition>>,
    /// Every fragment of the document, for the rest-of-list pages.
    all_fragments: HashMap<Name, Positioned<FragmentDefinition>>,
}

/// How the rest of a nested list is read: `getter(id:) { field(first:, after:) }`.
#[derive(Debug, Clone)]
pub struct Completion {
    getter: String,
    field: Positioned<Field>,
}

impl Plan {
    /// Reads the export's document. `Err` is a `BAD_USER_INPUT` message.
    pub fn new(
        types: &SchemaTypes,
        query: &str,
        operation_name: Option<&str>,
        variables: &Variables,
        csv: bool,
    ) -> Result<Plan, ApiError> {
        let mut document = async_graphql::parser::parse_query(query)
            .map_err(|e| ApiError::bad_input(e.to_string()))?;
        let mut operation = take_operation(&mut document, operation_name)?;
        if operation.node.ty != OperationType::Query {
            return Err(ApiError::bad_input(
                "an export runs a query: this operation is a mutation or a subscription",
            ));
        }
        let fragments = std::mem::take(&mut document.fragments);

        let root = single_root_field(&mut operation.node.selection_set.node, &fragments)?;
        let root_field = root.node.name.node.to_string();
        let root_key = root.node.response_key().node.clone();
        let connection = types.root_connection(&root_field).ok_or_else(|| {
            ApiError::bad_input(format!(
                "`{root_field}` is not a connection: an export's root field is a list with \
                 `nodes` and `pageInfo` (meetings, webinars, users, operationLogs, \
                 signInActivity, activeHosts, inactiveHosts, ...)"
            ))
        })?;

        let first = argument(&root.node, "first", variables)?
            .map(|v| match v {
                Value::Number(n) => n
                    .as_u64()
                    .filter(|n| *n >= 1 && *n <= MAX_PAGE as u64)
                    .map(|n| n as usize)
                    .ok_or_else(|| {
                        ApiError::bad_input(format!(
                            "`first` must be between 1 and {MAX_PAGE} in an export, not {n}"
                        ))
                    }),
                _ => Err(ApiError::bad_input("`first` must be an integer")),
            })
            .transpose()?;
        let after = argument(&root.node, "after", variables)?
            .map(|v| match v {
                Value::String(s) => Ok(s),
                _ => Err(ApiError::bad_input("`after` must be a string (a cursor)")),
            })
            .transpose()?;
        root.node
            .arguments
            .retain(|(name, _)| name.node != "first" && name.node != "after");

        let node_selection = node_selection(&root.node.selection_set.node, &fragments)?;
        let columns = if csv {
            columns(
                types,
                &connection.node_type,
                &node_selection,
                &fragments,
                &mut Vec::new(),
            )?
        } else {
            Vec::new()
        };
        // Every nested connection also says where its page ends; a row's id is read along
        // when its lists can be read on (`Export::complete`).
        let mut node_selection = node_selection;
        let mut fragments = fragments;
        let node_type = connection.node_type.clone();
        mark_connections(types, &node_type, &mut node_selection);
        for fragment in fragments.values_mut() {
            let on = fragment.node.type_condition.node.on.node.to_string();
            mark_connections(types, &on, &mut fragment.node.selection_set.node);
        }
        let mut completions = HashMap::new();
        if let Some(getter) = types.getter(&node_type) {
            if types.field(&node_type, "id").is_some() {
                node_selection
                    .items
                    .push(field("id", Some(ID_KEY), SelectionSet::default()));
                let mut fields = Vec::new();
                flatten_fields(&node_selection, &fragments, &mut fields);
                for f in fields {
                    let is_connection = types
                        .field(&node_type, &f.node.name.node)
                        .is_some_and(|ty| !ty.list && types.is_connection(&ty.named));
                    if is_connection {
                        completions
                            .entry(f.node.response_key().node.clone())
                            .or_insert(Completion {
                                getter: getter.to_owned(),
                                field: f,
                            });
                    }
                }
            }
        }
        let variable_definitions = operation.node.variable_definitions.clone();
        let all_fragments = fragments.clone();

        root.node.selection_set.node.items =
            vec![field("nodes", None, node_selection), page_end(PAGE_KEY)];

        // Keep only what the rewritten operation still uses: validation refuses an unused
        // fragment or variable, and the rows' selection may have dropped some (`pageInfo`,
        // `totalCount`, `first: $n`).
        let mut used_fragments = HashSet::new();
        let mut used_variables = HashSet::new();
        uses(
            &operation.node.selection_set.node,
            &fragments,
            &mut used_fragments,
            &mut used_variables,
        );
        directive_variables(&operation.node.directives, &mut used_variables);
        operation
            .node
            .variable_definitions
            .retain(|def| used_variables.contains(def.node.name.node.as_str()));
        document.fragments = fragments
            .into_iter()
            .filter(|(name, _)| used_fragments.contains(name.as_str()))
            .collect();
        document.operations = DocumentOperations::Single(operation);

        Ok(Plan {
            document,
            root_key,
            root_field,
            first,
            after,
            columns,
            completions,
            variable_definitions,
            all_fragments,
        })
    }

    /// The document of one page of the list `key` of the row `id`, as `_exportParent`.
    pub fn rest_of_list(
        &self,
        key: &Name,
        id: &str,
        first: usize,
        after: &str,
    ) -> Option<ExecutableDocument> {
        let completion = self.completions.get(key)?;
        let mut list = completion.field.clone();
        list.node
            .arguments
            .retain(|(name, _)| name.node != "first" && name.node != "after");
        list.node.arguments.push((
            pos(Name::new("first")),
            pos(Value::from(first as u64).into_value()),
        ));
        list.node.arguments.push((
            pos(Name::new("after")),
            pos(Value::from(after).into_value()),
        ));
        let mut parent = Field {
            alias: Some(pos(Name::new(PARENT_KEY))),
            name: pos(Name::new(&completion.getter)),
            arguments: vec![(pos(Name::new("id")), pos(Value::from(id).into_value()))],
            directives: Vec::new(),
            selection_set: pos(SelectionSet::default()),
        };
        parent.selection_set.node.items = vec![pos(Selection::Field(list))];
        let selection_set = SelectionSet {
            items: vec![pos(Selection::Field(pos(parent)))],
        };
        let mut used_fragments = HashSet::new();
        let mut used_variables = HashSet::new();
        uses(
            &selection_set,
            &self.all_fragments,
            &mut used_fragments,
            &mut used_variables,
        );
        let operation = OperationDefinition {
            ty: OperationType::Query,
            variable_definitions: self
                .variable_definitions
                .iter()
                .filter(|def| used_variables.contains(def.node.name.node.as_str()))
                .cloned()
                .collect(),
            directives: Vec::new(),
            selection_set: pos(selection_set),
        };
        Some(ExecutableDocument {
            operations: DocumentOperations::Single(pos(operation)),
            fragments: self
                .all_fragments
                .iter()
                .filter(|(name, _)| used_fragments.contains(name.as_str()))
                .map(|(name, fragment)| (name.clone(), fragment.clone()))
                .collect(),
        })
    }

    /// The document of one page: the root field given `first` and `after`.
    pub fn page(&self, first: usize, after: Option<&str>) -> ExecutableDocument {
        let mut document = self.document.clone();
        if let DocumentOperations::Single(operation) = &mut document.operations {
            if let Some(Selection::Field(root)) = operation
                .node
                .selection_set
                .node
                .items
                .iter_mut()
                .map(|s| &mut s.node)
                .find(|s| matches!(s, Selection::Field(_)))
            {
                root.node.arguments.push((
                    pos(Name::new("first")),
                    pos(Value::from(first as u64).into_value()),
                ));
                if let Some(after) = after {
                    root.node.arguments.push((
                        pos(Name::new("after")),
                        pos(Value::from(after).into_value()),
                    ));
                }
            }
        }
        document
    }
}

fn pos<T>(node: T) -> Positioned<T> {
    Positioned::new(node, Pos::default())
}

fn field(name: &str, alias: Option<&str>, selection_set: SelectionSet) -> Positioned<Selection> {
    pos(Selection::Field(pos(Field {
        alias: alias.map(|a| pos(Name::new(a))),
        name: pos(Name::new(name)),
        arguments: Vec::new(),
        directives: Vec::new(),
        selection_set: pos(selection_set),
    })))
}

/// The operation the request names (or its only one), taken out of the document.
fn take_operation(
    document: &mut ExecutableDocument,
    name: Option<&str>,
) -> Result<Positioned<OperationDefinition>, ApiError> {
    let operations = std::mem::replace(
        &mut document.operations,
        DocumentOperations::Multiple(HashMap::new()),
    );
    match (operations, name) {
        (DocumentOperations::Single(operation), None) => Ok(operation),
        (DocumentOperations::Single(_), Some(name)) => Err(ApiError::bad_input(format!(
            "the document has no operation named `{name}`"
        ))),
        (DocumentOperations::Multiple(mut operations), Some(name)) => {
            operations.remove(name).ok_or_else(|| {
                ApiError::bad_input(format!("the document has no operation named `{name}`"))
            })
        }
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => operations
            .into_values()
            .next()
            .ok_or_else(|| ApiError::bad_input("the document has no operation")),
        (DocumentOperations::Multiple(_), None) => Err(ApiError::bad_input(
            "the document has several operations: name the one to export (`operationName`)",
        )),
    }
}

/// The operation's one root field (`__typename` beside it is dropped).
fn single_root_field<'a>(
    selection: &'a mut SelectionSet,
    fragments: &HashMap<Name, Positioned<FragmentDefinition>>,
) -> Result<&'a mut Positioned<Field>, ApiError> {
    // A root selected through a fragment is moved up into the operation first.
    let mut fields = Vec::new();
    flatten_fields(selection, fragments, &mut fields);
    fields.retain(|f| f.node.name.node != "__typename");
    match fields.len() {
        1 => {
            selection.items = fields
                .into_iter()
                .map(|f| pos(Selection::Field(f)))
                .collect();
            match selection.items.first_mut().map(|s| &mut s.node) {
                Some(Selection::Field(root)) => Ok(root),
                _ => Err(ApiError::bad_input("an export selects one root field")),
            }
        }
        0 => Err(ApiError::bad_input(
            "an export selects one root field: a connection such as `meetings`",
        )),
        _ => Err(ApiError::bad_input(format!(
            "an export selects one root field, not {}: {}",
            fields.len(),
            fields
                .iter()
                .map(|f| format!("`{}`", f.node.response_key().node))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// The fields of a selection, through fragment spreads and inline fragments.
fn flatten_fields(
    selection: &SelectionSet,
    fragments: &HashMap<Name, Positioned<FragmentDefinition>>,
    out: &mut Vec<Positioned<Field>>,
) {
    flatten_fields_seen(selection, fragments, out, &mut HashSet::new());
}

fn flatten_fields_seen(
    selection: &SelectionSet,
    fragments: &HashMap<Name, Positioned<FragmentDefinition>>,
    out: &mut Vec<Positioned<Field>>,
    seen: &mut HashSet<Name>,
) {
    for item in &selection.items {
        match &item.node {
            Selection::Field(f) => out.push(f.clone()),
            Selection::InlineFragment(inline) => {
                flatten_fields_seen(&inline.node.selection_set.node, fragments, out, seen)
            }
            Selection::FragmentSpread(spread) => {
                let name = &spread.node.fragment_name.node;
                if let Some(fragment) = fragments.get(name) {
                    if seen.insert(name.clone()) {
                        flatten_fields_seen(
                            &fragment.node.selection_set.node,
                            fragments,
                            out,
                            seen,
                        );
                    }
                }
            }
        }
    }
}

/// The selection under the connection's node: `nodes { ... }` and `edges { node { ... } }`,
/// both if both are there.
fn node_selection(
    connection: &SelectionSet,
    fragments: &HashMap<Name, Positioned<FragmentDefinition>>,
) -> Result<SelectionSet, ApiError> {
    let mut fields = Vec::new();
    flatten_fields(connection, fragments, &mut fields);
    let mut items = Vec::new();
    for field in fields {
        match field.node.name.node.as_str() {
            "nodes" => items.extend(field.node.selection_set.node.items),
            "edges" => {
                let mut edge_fields = Vec::new();
                flatten_fields(&field.node.selection_set.node, fragments, &mut edge_fields);
                for edge_field in edge_fields {
                    if edge_field.node.name.node == "node" {
                        items.extend(edge_field.node.selection_set.node.items);
                    }
                }
            }
            _ => {}
        }
    }
    if items.is_empty() {
        return Err(ApiError::bad_input(
            "an export writes the rows of its connection: select their fields under `nodes` \
             (or `edges { node }`)",
        ));
    }
    Ok(SelectionSet { items })
}

/// The columns of a selection on `type_name`, in document order; a field selected twice (by
/// fragments) is one column. Refuses two lists side by side: a row stands for one element of
/// the deepest list of one path.
fn columns(
    types: &SchemaTypes,
    type_name: &str,
    selection: &SelectionSet,
    fragments: &HashMap<Name, Positioned<FragmentDefinition>>,
    seen: &mut Vec<Name>,
) -> Result<Vec<Column>, ApiError> {
    let mut out: Vec<Column> = Vec::new();
    collect_columns(types, type_name, selection, fragments, seen, &mut out)?;
    let lists: Vec<String> = out.iter().filter_map(|c| c.first_list("")).collect();
    if lists.len() > 1 {
        return Err(ApiError::bad_input(format!(
            "a CSV row stands for one element of one list, and `{}` and `{}` are two lists side \
             by side: export them separately, or as NDJSON (which keeps the nesting)",
            lists[0], lists[1]
        )));
    }
    Ok(out)
}

fn collect_columns(
    types: &SchemaTypes,
    type_name: &str,
    selection: &SelectionSet,
    fragments: &HashMap<Name, Positioned<FragmentDefinition>>,
    seen: &mut Vec<Name>,
    out: &mut Vec<Column>,
) -> Result<(), ApiError> {
    for item in &selection.items {
        match &item.node {
            Selection::Field(f) => {
                let key = f.node.response_key().node.clone();
                let name = f.node.name.node.as_str();
                let ty = if name == "__typename" {
                    Some(FieldType::leaf())
                } else {
                    types.field(type_name, name)
                };
                // A field the type does not have: validation names it when the page runs.
                let Some(ty) = ty else { continue };
                if f.node.selection_set.node.items.is_empty() {
                    if !out.iter().any(|c| c.key() == &key) {
                        out.push(Column::Leaf { key });
                    }
                    continue;
                }
                let mut children = match out.iter().position(|c| c.key() == &key) {
                    Some(at) => match out.remove(at) {
                        Column::Object { children, .. } => children,
                        Column::Leaf { .. } => Vec::new(),
                    },
                    None => Vec::new(),
                };
                let mut nested = Vec::new();
                collect_columns(
                    types,
                    &ty.named,
                    &f.node.selection_set.node,
                    fragments,
                    seen,
                    &mut nested,
                )?;
                for column in nested {
                    if !children.iter().any(|c| c.key() == column.key()) {
                        children.push(column);
                    }
                }
                let lists: Vec<String> = children
                    .iter()
                    .filter_map(|c| c.first_list(key.as_str()))
                    .collect();
                if lists.len() > 1 {
                    return Err(ApiError::bad_input(format!(
                        "a CSV row stands for one element of one list, and `{}` and `{}` are \
                         two lists side by side: export them separately, or as NDJSON (which \
                         keeps the nesting)",
                        lists[0], lists[1]
                    )));
                }
                out.push(Column::Object {
                    key,
                    list: ty.list,
                    children,
                });
            }
            Selection::InlineFragment(inline) => {
                let on = inline
                    .node
                    .type_condition
                    .as_ref()
                    .map(|c| c.node.on.node.to_string())
                    .unwrap_or_else(|| type_name.to_owned());
                collect_columns(
                    types,
                    &on,
                    &inline.node.selection_set.node,
                    fragments,
                    seen,
                    out,
                )?;
            }
            Selection::FragmentSpread(spread) => {
                let name = &spread.node.fragment_name.node;
                let Some(fragment) = fragments.get(name) else {
                    continue;
                };
                if seen.contains(name) {
                    // A fragment that spreads itself: validation refuses it when the page runs.
                    continue;
                }
                seen.push(name.clone());
                let on = fragment.node.type_condition.node.on.node.to_string();
                collect_columns(
                    types,
                    &on,
                    &fragment.node.selection_set.node,
                    fragments,
                    seen,
                    out,
                )?;
                seen.pop();
            }
        }
    }
    Ok(())
}

/// Adds `_exportMore: pageInfo { hasNextPage endCursor }` to every connection selected in
/// `selection` (on `type_name`), at any depth; fragment spreads are marked in their own
/// definitions.
fn mark_connections(types: &SchemaTypes, type_name: &str, selection: &mut SelectionSet) {
    for item in &mut selection.items {
        match &mut item.node {
            Selection::Field(f) => {
                if f.node.selection_set.node.items.is_empty() {
                    continue;
                }
                let Some(ty) = types.field(type_name, &f.node.name.node) else {
                    continue;
                };
                mark_connections(types, &ty.named, &mut f.node.selection_set.node);
                if !ty.list && types.is_connection(&ty.named) {
                    f.node.selection_set.node.items.push(page_end(MORE_KEY));
                }
            }
            Selection::InlineFragment(inline) => {
                let on = inline
                    .node
                    .type_condition
                    .as_ref()
                    .map(|c| c.node.on.node.to_string())
                    .unwrap_or_else(|| type_name.to_owned());
                mark_connections(types, &on, &mut inline.node.selection_set.node);
            }
            Selection::FragmentSpread(_) => {}
        }
    }
}

fn page_end(alias: &str) -> Positioned<Selection> {
    field(
        "pageInfo",
        Some(alias),
        SelectionSet {
            items: vec![
                field("hasNextPage", None, SelectionSet::default()),
                field("endCursor", None, SelectionSet::default()),
            ],
        },
    )
}

/// An argument's value, its variable read from the request.
fn argument(field: &Field, name: &str, variables: &Variables) -> Result<Option<Value>, ApiError> {
    let Some((_, value)) = field.arguments.iter().find(|(n, _)| n.node == name) else {
        return Ok(None);
    };
    let value = value
        .node
        .clone()
        .into_const_with(|var| Ok::<_, ()>(variables.get(&var).cloned().unwrap_or(Value::Null)))
        .unwrap_or(Value::Null);
    Ok((value != Value::Null).then_some(value))
}

/// The fragments and variables a selection uses, through its fragments.
fn uses(
    selection: &SelectionSet,
    fragments: &HashMap<Name, Positioned<FragmentDefinition>>,
    used_fragments: &mut HashSet<String>,
    used_variables: &mut HashSet<String>,
) {
    for item in &selection.items {
        match &item.node {
            Selection::Field(f) => {
                for (_, value) in &f.node.arguments {
                    variables_in(&value.node, used_variables);
                }
                directive_variables(&f.node.directives, used_variables);
                uses(
                    &f.node.selection_set.node,
                    fragments,
                    used_fragments,
                    used_variables,
                );
            }
            Selection::InlineFragment(inline) => {
                directive_variables(&inline.node.directives, used_variables);
                uses(
                    &inline.node.selection_set.node,
                    fragments,
                    used_fragments,
                    used_variables,
                );
            }
            Selection::FragmentSpread(spread) => {
                directive_variables(&spread.node.directives, used_variables);
                let name = spread.node.fragment_name.node.as_str();
                if used_fragments.insert(name.to_owned()) {
                    if let Some(fragment) = fragments.get(name) {
                        uses(
                            &fragment.node.selection_set.node,
                            fragments,
                            used_fragments,
                            used_variables,
                        );
                    }
                }
            }
        }
    }
}

/// The variables the arguments of these directives name.
fn directive_variables(directives: &[Positioned<Directive>], out: &mut HashSet<String>) {
    for directive in directives {
        for (_, value) in &directive.node.arguments {
            variables_in(&value.node, out);
        }
    }
}

/// The variables an argument value names (inside lists and objects too).
fn variables_in(value: &async_graphql_value::Value, out: &mut HashSet<String>) {
    let _ = value.clone().into_const_with(|name| {
        out.insert(name.to_string());
        Ok::<_, ()>(Value::Null)
    });
}
