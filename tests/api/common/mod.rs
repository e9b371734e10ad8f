//! The test harness: a fresh migrated database, fixture builders, and ways to run queries as a
//! user (schema-level, without HTTP) or over HTTP (the axum router in-process).

pub mod events_world;
pub mod fixtures;
pub mod usage_world;

use std::sync::atomic::{AtomicUsize, Ordering};

use axum::{body::Body, http::Request, Router};
use chrono::{DateTime, Utc};
use http_body_util::BodyExt;
use meeting_reports::{
    auth::{issue_token, load_viewer, Claims, JwtKeys},
    build_app, build_schema,
    config::ReportSettings,
    db::Sql,
    graphql::schema::execute,
    AppSchema,
};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, FromQueryResult, Statement,
};
use serde_json::{json, Value};
use tower::ServiceExt;

/// The tests' "now": fixtures and the demo data lie before it.
pub const NOW: &str = "2026-11-15T12:00:00Z";

pub fn now() -> DateTime<Utc> {
    NOW.parse().expect("NOW is RFC 3339")
}

pub fn settings() -> ReportSettings {
    ReportSettings {
        fixed_now: Some(now()),
        ..ReportSettings::default()
    }
}

pub struct TestApp {
    pub db: DatabaseConnection,
    pub schema: AppSchema,
    pub keys: JwtKeys,
    pub settings: ReportSettings,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh, migrated database.
pub async fn fresh_db() -> DatabaseConnection {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => fresh_postgres_schema(&url).await,
        _ => meeting_reports::db::connect("sqlite::memory:")
            .await
            .expect("in-memory SQLite opens and migrates"),
    }
}

/// A schema of its own per test, so tests run in parallel on one PostgreSQL database.
async fn fresh_postgres_schema(url: &str) -> DatabaseConnection {
    let admin = Database::connect(url)
        .await
        .expect("TEST_DATABASE_URL connects");
    let name = format!(
        "t_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    static CLEANED: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    CLEANED
        .get_or_init(|| async {
            // Schemas left by earlier runs of the suite.
            #[derive(FromQueryResult)]
            struct S {
                nspname: String,
            }
            let mine = format!("t_{}_", std::process::id());
            let old = S::find_by_statement(Statement::from_string(
                admin.get_database_backend(),
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%'",
            ))
            .all(&admin)
            .await
            .unwrap_or_default();
            for s in old.into_iter().filter(|s| !s.nspname.starts_with(&mine)) {
                let _ = admin
                    .execute_unprepared(&format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", s.nspname))
                    .await;
            }
        })
        .await;
    admin
        .execute_unprepared(&format!("CREATE SCHEMA \"{name}\""))
        .await
        .expect("create test schema");
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(4)
        .sqlx_logging(false)
        .set_schema_search_path(name);
    let db = Database::connect(options)
        .await
        .expect("connect to test schema");
    meeting_reports::db::migrate(&db)
        .await
        .expect("migrations run on PostgreSQL");
    db
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_settings(settings()).await
    }

    /// A fresh database served with these settings (e.g. the real clock: `fixed_now: None`).
    pub async fn with_settings(settings: ReportSettings) -> Self {
        let db = fresh_db().await;
        Self {
            schema: build_schema(settings.clone()),
            keys: JwtKeys::new(b"test secret"),
            db,
            settings,
        }
    }

    /// A fresh database with the demo data as of [`NOW`].
    pub async fn with_demo() -> Self {
        let app = Self::new().await;
        meeting_reports::seed::seed_demo(&app.db, now(), 42)
            .await
            .expect("demo data loads");
        app
    }

    pub fn router(&self) -> Router {
        build_app(self.db.clone(), self.keys.clone(), self.settings.clone())
    }

    pub async fn user_id(&self, email: &str) -> i64 {
        self.user(email).await.0
    }

    pub async fn user(&self, email: &str) -> (i64, i64) {
        #[derive(FromQueryResult)]
        struct U {
            id: i64,
            account_id: i64,
        }
        let u: Option<U> = Sql::new(self.db.clone())
            .one(
                "SELECT id, account_id FROM app_user WHERE email = ?",
                vec![email.into()],
            )
            .await
            .expect("user lookup");
        let u = u.unwrap_or_else(|| panic!("no user {email}"));
        (u.id, u.account_id)
    }

    pub async fn token(&self, email: &str) -> String {
        let (id, account) = self.user(email).await;
        issue_token(
            &self.keys,
            id,
            account,
            email,
            Utc::now(),
            chrono::Duration::hours(1),
        )
        .expect("token signs")
    }

    /// Runs a query as `email` through the schema (no HTTP); the whole response as JSON,
    /// extensions included.
    pub async fn query_as(&self, email: &str, query: &str) -> Value {
        self.query_as_with(email, query, json!({})).await
    }

    pub async fn query_as_with(&self, email: &str, query: &str, variables: Value) -> Value {
        self.run_as(Sql::new(self.db.clone()), email, query, variables)
            .await
    }

    /// Runs a query as `email` and keeps the text of every statement it ran, in order.
    pub async fn query_texts(&self, email: &str, query: &str) -> (Value, Vec<String>) {
        let sql = Sql::recording(self.db.clone());
        let response = self.run_as(sql.clone(), email, query, json!({})).await;
        (response, sql.texts())
    }

    async fn run_as(&self, sql: Sql, email: &str, query: &str, variables: Value) -> Value {
        let (id, account) = self.user(email).await;
        let claims = Claims {
            sub: id.to_string(),
            acc: account,
            email: email.to_owned(),
            iat: 0,
            exp: 0,
        };
        // The viewer is read apart, so the response's statement count is the query's own.
        let viewer = load_viewer(&Sql::new(self.db.clone()), &claims)
            .await
            .expect("viewer loads")
            .expect("viewer exists");
        let request = async_graphql::Request::new(query)
            .variables(async_graphql::Variables::from_json(variables));
        let response = execute(&self.schema, sql, Some(viewer), request).await;
        serde_json::to_value(&response).expect("response serialises")
    }

    /// `POST /graphql` through the router; status and JSON body.
    pub async fn post_graphql(&self, authorization: Option<&str>, query: &str) -> (u16, Value) {
        let mut req = Request::post("/graphql").header("content-type", "application/json");
        if let Some(a) = authorization {
            req = req.header("authorization", a);
        }
        let req = req
            .body(Body::from(json!({ "query": query }).to_string()))
            .expect("request builds");
        self.send(req).await
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = self
            .router()
            .oneshot(
                Request::get(path)
                    .body(Body::empty())
                    .expect("request builds"),
            )
            .await
            .expect("router answers");
        let status = response.status().as_u16();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body reads")
            .to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    pub async fn send(&self, req: Request<Body>) -> (u16, Value) {
        let response = self.router().oneshot(req).await.expect("router answers");
        let status = response.status().as_u16();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body reads")
            .to_bytes();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&bytes)));
        (status, body)
    }
}

/// The `extensions.code` of every error of a response.
pub fn error_codes(response: &Value) -> Vec<String> {
    response["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    e["extensions"]["code"]
                        .as_str()
                        .unwrap_or("<none>")
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Asserts a response has no errors, and returns its data.
pub fn data(response: &Value) -> &Value {
    assert!(
        response
            .get("errors")
            .is_none_or(|e| e.as_array().is_none_or(|a| a.is_empty())),
        "unexpected errors: {response:#}"
    );
    &response["data"]
}

/// `extensions.cost.sqlStatements`.
pub fn sql_statements(response: &Value) -> u64 {
    response["extensions"]["cost"]["sqlStatements"]
        .as_u64()
        .expect("cost.sqlStatements is reported")
}

/// Every node of a connection, walked `first` at a time; each page is checked against its
/// `pageInfo` (at most `first` nodes, a previous page exactly when it is not the first).
pub async fn walk(
    app: &TestApp,
    email: &str,
    field: &str,
    args: &str,
    first: usize,
    node: &str,
) -> Vec<Value> {
    let mut all = Vec::new();
    let mut after = String::new();
    for _ in 0..20 {
        let q = format!(
            "{{ {field}({args}, first: {first}{after}) {{ pageInfo {{ hasNextPage hasPreviousPage endCursor }} nodes {{ {node} }} }} }}"
        );
        let response = app.query_as(email, &q).await;
        let page = &data(&response)[field];
        let nodes = page["nodes"].as_array().unwrap();
        assert!(nodes.len() <= first);
        assert_eq!(page["pageInfo"]["hasPreviousPage"], !after.is_empty());
        all.extend(nodes.iter().cloned());
        if page["pageInfo"]["hasNextPage"] == false {
            return all;
        }
        let cursor = page["pageInfo"]["endCursor"].as_str().unwrap();
        after = format!(r#", after: "{cursor}""#);
    }
    panic!("{field} did not end");
}

/// A `Decimal` string (four decimals) as ten-thousandths.
pub fn ten_thousandths(v: &Value) -> i64 {
    let s = v.as_str().unwrap_or_else(|| panic!("not a Decimal: {v}"));
    let (whole, frac) = s.split_once('.').unwrap();
    assert_eq!(frac.len(), 4, "{s}");
    whole.parse::<i64>().unwrap() * 10_000 + frac.parse::<i64>().unwrap()
}

/// The demo's roles, as on every admin report: the owner, the admin, the analyst and another
/// paid account read `query` (`reads` holds for its `field`); members, auditors and billing
/// admins are refused; a BASIC account is not offered it.
pub async fn assert_demo_report_roles(
    app: &TestApp,
    field: &str,
    query: &str,
    reads: impl Fn(&Value) -> bool,
) {
    for email in [
        "owner@demo.example",
        "admin@demo.example",
        "analyst@demo.example",
        "owner@other.example",
    ] {
        let response = app.query_as(email, query).await;
        assert!(reads(&data(&response)[field]), "{email} {field}");
    }
    for email in [
        "member@demo.example",
        "auditor@demo.example",
        "billing@demo.example",
    ] {
        assert_eq!(
            error_codes(&app.query_as(email, query).await),
            vec!["FORBIDDEN"],
            "{email} {field}"
        );
    }
    assert_eq!(
        error_codes(&app.query_as("owner@free.example", query).await),
        vec!["PLAN_NOT_SUPPORTED"],
        "{field}"
    );
}

/// Every write path settles the aggregates before it commits: after any of them, both
/// aggregates equal a fresh computation from the raw rows and no session is left listed.
pub async fn assert_aggregates_exact(db: &DatabaseConnection, after: &str) {
    let found = reports::aggregates::verify(db, None)
        .await
        .expect("the aggregates verify");
    assert!(found.is_empty(), "after {after}: {found:?}");
}
