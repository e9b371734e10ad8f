//! The public contract: `schema.graphql` is the server's SDL, and every part of it is documented.

use meeting_reports::build_schema;
use serde_json::Value;

use crate::common::{settings, TestApp};

#[test]
fn schema_graphql_is_the_servers_sdl() {
    let sdl = build_schema(settings()).sdl();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    if checked_in != sdl {
        if std::env::var("UPDATE_SCHEMA").is_ok() {
            std::fs::write(path, &sdl).expect("write schema.graphql");
            return;
        }
        panic!(
            "schema.graphql differs from the server's SDL: run `cargo run -- schema > schema.graphql` \
             (or the tests with UPDATE_SCHEMA=1) and review the diff"
        );
    }
}

#[tokio::test]
async fn every_type_field_and_argument_has_a_description() {
    let schema = build_schema(settings());
    let response = schema
        .execute(
            "{ __schema { types { name kind description \
               fields { name description args { name description } } \
               inputFields { name description } enumValues { name description } } } }",
        )
        .await;
    let json: Value = serde_json::to_value(&response).unwrap();
    let mut missing = Vec::new();
    let blank = |v: &Value| v.as_str().is_none_or(|s| s.trim().is_empty());
    for t in json["data"]["__schema"]["types"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        if name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name) {
            continue;
        }
        if blank(&t["description"]) {
            missing.push(name.to_owned());
        }
        for f in t["fields"].as_array().into_iter().flatten() {
            if blank(&f["description"]) {
                missing.push(format!("{name}.{}", f["name"]));
            }
            for a in f["args"].as_array().into_iter().flatten() {
                if blank(&a["description"]) {
                    missing.push(format!("{name}.{}({})", f["name"], a["name"]));
                }
            }
        }
        for f in t["inputFields"].as_array().into_iter().flatten() {
            if blank(&f["description"]) {
                missing.push(format!("{name}.{}", f["name"]));
            }
        }
        for v in t["enumValues"].as_array().into_iter().flatten() {
            if blank(&v["description"]) {
                missing.push(format!("{name}.{}", v["name"]));
            }
        }
    }
    assert!(missing.is_empty(), "undocumented: {missing:#?}");
}

#[tokio::test]
async fn the_sdl_is_served_at_schema_graphql() {
    let app = TestApp::new().await;
    let (status, body) = app.get("/schema.graphql").await;
    assert_eq!(status, 200);
    assert_eq!(body, build_schema(settings()).sdl());
}

#[tokio::test]
async fn every_playground_example_is_a_valid_query_of_the_schema() {
    let app = TestApp::new().await;
    let f = crate::common::fixtures::Fixture::new(&app.db);
    let acc = f.account("Acme", "acme.example", "BUSINESS").await;
    f.user(acc, "owner@acme.example", "OWNER").await;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/playground/queries");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 8);
    for file in files {
        let query = std::fs::read_to_string(&file).unwrap();
        let response = app.query_as("owner@acme.example", &query).await;
        // Resolver errors (e.g. NOT_FOUND for the placeholder id) carry a path; parse and
        // validation errors do not.
        let invalid: Vec<_> = response["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e.get("path").is_none())
            .collect();
        assert!(invalid.is_empty(), "{}: {invalid:#?}", file.display());
    }
}

/// The layers run one way (ARCHITECTURE.md): `graphql` -> `reports`/`auth` -> `entity`/`db`.
/// The `reports` crate cannot import the server crate at all; this holds the files of the
/// server crate that sit below GraphQL to the same rule, and the crate's manifest to no GraphQL
/// or HTTP dependency.
#[test]
fn the_layers_below_graphql_never_name_it() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("src/db.rs"), root.join("src/config.rs")];
    for dir in ["src/auth", "src/ingest", "src/seed", "reports/src"] {
        let mut stack = vec![root.join(dir)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("read a source folder") {
                let path = entry.expect("a folder entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
    }
    assert!(files.len() > 20, "the source folders were not found");
    let offenders: Vec<String> = files
        .iter()
        .filter(|path| {
            std::fs::read_to_string(path)
                .expect("read a source file")
                .contains("graphql")
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "below GraphQL but naming it: {offenders:?}"
    );
    let manifest = std::fs::read_to_string(root.join("reports/Cargo.toml")).expect("manifest");
    for layer_above in ["async-graphql", "axum", "tower"] {
        assert!(
            !manifest.contains(layer_above),
            "reports/Cargo.toml depends on {layer_above}"
        );
    }
}
