//! The schema's types as an export reads them: which root fields are connections and what
//! their node is, and for each field of an object whether it returns a list. Read once from
//! the schema's own SDL (the public contract), not from async-graphql's internal registry.

use std::{
    collections::HashMap,
    sync::{Arc, OnceLock},
};

use async_graphql::parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};

use crate::graphql::schema::AppSchema;

/// What a field returns: the named type under its wrappers, and whether a list wraps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldType {
    pub named: String,
    pub list: bool,
}

impl FieldType {
    /// A scalar (such as `__typename`'s `String`).
    pub fn leaf() -> Self {
        FieldType {
            named: "String".to_owned(),
            list: false,
        }
    }

    fn of(ty: &Type) -> Self {
        match &ty.base {
            BaseType::Named(name) => FieldType {
                named: name.to_string(),
                list: false,
            },
            BaseType::List(inner) => FieldType {
                list: true,
                ..FieldType::of(inner)
            },
        }
    }
}

/// A root field that is a connection: its node's type.
#[derive(Debug, Clone)]
pub struct RootConnection {
    pub node_type: String,
}

/// The fields of every object and interface type, by type then field name.
#[derive(Debug, Default)]
pub struct SchemaTypes {
    fields: HashMap<String, HashMap<String, FieldType>>,
    query_type: String,
    /// Root fields that read one object by its id (`meeting(id: ID!): Meeting`), by the
    /// object's type: how the rest of a nested list is read.
    getters: HashMap<String, String>,
}

impl SchemaTypes {
    /// The types of `schema`, read once per process (the schema's types do not depend on its
    /// settings).
    pub fn of(schema: &AppSchema) -> Arc<SchemaTypes> {
        static TYPES: OnceLock<Arc<SchemaTypes>> = OnceLock::new();
        TYPES
            .get_or_init(|| Arc::new(SchemaTypes::from_sdl(&schema.sdl())))
            .clone()
    }

    /// Reads an SDL; what does not parse gives no types (every export is then refused as not
    /// a connection, never a panic).
    pub fn from_sdl(sdl: &str) -> SchemaTypes {
        let Ok(document) = async_graphql::parser::parse_schema(sdl) else {
            tracing::error!("the schema's own SDL does not parse: exports are refused");
            return SchemaTypes::default();
        };
        let mut types = SchemaTypes {
            query_type: "Query".to_owned(),
            ..SchemaTypes::default()
        };
        for definition in &document.definitions {
            match definition {
                TypeSystemDefinition::Schema(schema) => {
                    if let Some(query) = &schema.node.query {
                        types.query_type = query.node.to_string();
                    }
                }
                TypeSystemDefinition::Type(ty) => {
                    let fields = match &ty.node.kind {
                        TypeKind::Object(object) => &object.fields,
                        TypeKind::Interface(interface) => &interface.fields,
                        _ => continue,
                    };
                    if ty.node.name.node == "Query" {
                        for f in fields {
                            let ty = FieldType::of(&f.node.ty.node);
                            let by_id = matches!(
                                f.node.arguments.as_slice(),
                                [arg] if arg.node.name.node == "id"
                                    && !arg.node.ty.node.nullable
                                    && matches!(&arg.node.ty.node.base, BaseType::Named(n) if n == "ID")
                            );
                            if by_id && !ty.list {
                                types.getters.insert(ty.named, f.node.name.node.to_string());
                            }
                        }
                    }
                    types.fields.insert(
                        ty.node.name.node.to_string(),
                        fields
                            .iter()
                            .map(|f| (f.node.name.node.to_string(), FieldType::of(&f.node.ty.node)))
                            .collect(),
                    );
                }
                TypeSystemDefinition::Directive(_) => {}
            }
        }
        types
    }

    /// What `field` of `type_name` returns, if the type has it.
    pub fn field(&self, type_name: &str, field: &str) -> Option<FieldType> {
        self.fields.get(type_name)?.get(field).cloned()
    }

    /// The root field reading one `type_name` by its id.
    pub fn getter(&self, type_name: &str) -> Option<&str> {
        self.getters.get(type_name).map(String::as_str)
    }

    /// Whether `type_name` is a connection: an object with `pageInfo` and a `nodes` list.
    pub fn is_connection(&self, type_name: &str) -> bool {
        self.field(type_name, "pageInfo").is_some()
            && self.field(type_name, "nodes").is_some_and(|n| n.list)
    }

    /// The root field `name`, when it returns a connection: an object with `pageInfo` and a
    /// `nodes` list.
    pub fn root_connection(&self, name: &str) -> Option<RootConnection> {
        let ty = self.field(&self.query_type, name)?;
        if ty.list {
            return None;
        }
        self.field(&ty.named, "pageInfo")?;
        let nodes = self.field(&ty.named, "nodes").filter(|n| n.list)?;
        Some(RootConnection {
            node_type: nodes.named,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_connections_and_lists_from_the_sdl() {
        let types = SchemaTypes::from_sdl(
            "type Query { things(first: Int): ThingConnection! one(id: ID!): Thing }
             type ThingConnection { nodes: [Thing!]! pageInfo: PageInfo! totalCount: Int! }
             type PageInfo { hasNextPage: Boolean! }
             type Thing { id: ID! tags: [String!]! parts: [Part!] }
             type Part { name: String }",
        );
        assert_eq!(
            types.root_connection("things").map(|c| c.node_type),
            Some("Thing".to_owned())
        );
        assert!(types.root_connection("one").is_none());
        assert!(types.root_connection("missing").is_none());
        assert_eq!(
            types.field("Thing", "parts"),
            Some(FieldType {
                named: "Part".to_owned(),
                list: true
            })
        );
        assert_eq!(types.field("Thing", "id").map(|t| t.list), Some(false));
        assert_eq!(types.getter("Thing"), Some("one"));
        assert!(types.is_connection("ThingConnection"));
        assert!(!types.is_connection("Thing"));
    }
}
